"""Chapter 1's exercise registry (crmlib/checks/ch01.py) against its solution notebook.

* the registry's references equal what the solution notebook computes (its cells are run here,
  on the notebook's own data, without the check cells);
* a right answer passes, also when a student computes it another way;
* each slip the chapter's students make is planted *as a student would write it* (plain pandas
  and numpy on the notebook's data, not the registry's own slip functions) and gets its own hint:
  off-by-one cut-offs and years, percent vs fraction both ways (including a discount rate of 10
  for 0.10 and a churn of 25 for 0.25), ratio vs change, complement (churn vs retention,
  defectors vs hostages), units (counts vs shares), sign;
* no hint and no message shows the reference; multiple-choice keys and options live in the
  registry only.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import checks_harness as harness
import nbformat
import numpy as np
import pytest

from crmlib import checks, pls, satisfaction
from crmlib.checks import ch01, registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "01_satisfaction_trap.ipynb"
STUDENT = ROOT / "exercises" / "01_satisfaction_trap.ipynb"
ENTRIES = registry.registry(1)


@pytest.fixture(scope="module")
def nb():
    """The namespace of the solution notebook run from the top, check cells left out."""
    return harness.solution_namespace(SOLUTION)


_said = harness.hint_of


def _slip(exercise_id: str, words: str):
    return harness.find_slip(ENTRIES, exercise_id, words)


# ----------------------------------------------------------------------------- the registry
def test_every_check_cell_names_a_chapter_1_entry_and_every_entry_is_checked():
    harness.assert_check_cells_name_every_entry_once(SOLUTION, ENTRIES)


def test_the_registry_reference_equals_what_the_solution_computes(nb):
    # 1.5b's solution searches a grid of step 2.3e-6
    harness.assert_solution_equals_registry(nb, ENTRIES, rel_tol=1e-5)


def test_the_registry_rebuilds_the_notebooks_data(nb):
    g = registry.given(ENTRIES["1.1a"])
    assert g.survey.equals(nb["survey"])
    g = registry.given(ENTRIES["1.8a"])
    assert np.allclose(g.loadings.to_numpy(), nb["loadings"].to_numpy())
    assert g.loadings.index.equals(nb["loadings"].index)
    assert registry.given(ENTRIES["1.4"]).scenario == nb["utility"]
    assert registry.given(ENTRIES["1.9a"]).survey.equals(nb["drivers_survey"])
    # pls.reliability's rho_C is the textbook formula on the loadings the student sees
    assert math.isclose(ch01._composite(nb["loadings"]), registry.reference(ENTRIES["1.8b"]), rel_tol=1e-9)


def test_a_right_answer_passes_also_when_computed_another_way(nb, capsys):
    survey, rec, lam = nb["survey"], nb["survey"]["recommend"], nb["loadings"]
    ds = nb["drivers_survey"]
    shares = survey["satisfaction"].value_counts(normalize=True)
    by = survey.groupby("satisfaction")["repurchase"]
    u = nb["utility"]
    p = satisfaction.repurchase_probability(
        np.arange(1, 4),
        competitive_intensity=u.competitive_intensity,
        switching_barrier=u.switching_barrier,
        max_repurchase=u.max_repurchase,
        min_repurchase=u.min_repurchase,
    )
    right = {
        "1.1a": shares[4] + shares[5],
        "1.1b": by.sum().sum() / by.count().sum(),
        "1.2": by.mean()[5] / by.mean()[4],
        "1.3": "(B)",
        "1.4": sum(s * q for s, q in zip(u.satisfaction_shares[:3], p)),
        "1.5a": (0.85 / 0.25) / (0.80 / 0.30) - 1,
        "1.5b": 0.8692,
        "1.6": 100 * (rec.isin([9, 10]).mean() - rec.between(0, 6).mean()),
        "1.7a": 4,
        "1.8a": float(np.mean(lam.to_numpy() ** 2)),
        "1.8b": lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()),
        "1.9a": _ols_r2(ds, ["quality", "price", "communication"]),
        "1.9b": _lmg_by_subsets(ds, ["quality", "price", "communication"], "price"),
        "1.9c": [q.upper().replace(" ", "_") for q in _quadrants_by_hand(ds)],
    }
    for ex_id, answer in right.items():
        result = checks.exercise(ex_id, answer)
        assert result.status == "passed", result.message
        out = capsys.readouterr().out
        assert out.startswith(f"[passed] Exercise {ex_id}: ") and "why:" in out
    essay = "满意不等于忠诚。" * 13  # 91 汉字: about 61 words
    assert checks.exercise("1.7b", essay, echo=False).status == "answered"
    assert checks.exercise("1.7b", "Satisfied clients leave. " * 10, echo=False).status == "not yet right"


# ----------------------------------------------------------------------------- exercise 1.9 by other routes
def _ols_r2(data, cols) -> float:
    """R² from statsmodels' formula interface (another route than the solution's least squares)."""
    import statsmodels.formula.api as smf

    if not cols:
        return 0.0
    return float(smf.ols("overall ~ " + " + ".join(cols), data=data).fit().rsquared)


def _lmg_by_subsets(data, cols, driver) -> float:
    """LMG as the Shapley value over subsets: weights |S|! (p - |S| - 1)! / p! (not over orders)."""
    others = [c for c in cols if c != driver]
    p = len(cols)
    total = 0.0
    for k in range(len(others) + 1):
        for subset in itertools.combinations(others, k):
            weight = math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p)
            total += weight * (_ols_r2(data, [*subset, driver]) - _ols_r2(data, list(subset)))
    return total


def _quadrants_by_hand(data) -> list:
    """Quadrants from LMG shares computed over subsets with statsmodels, lines at the means."""
    drivers = [c for c in data.columns if c != "overall"]
    r2 = _ols_r2(data, drivers)
    importance = np.array([_lmg_by_subsets(data, drivers, d) for d in drivers]) / r2
    performance = data[drivers].mean().to_numpy()
    hi_i, hi_p = importance >= importance.mean(), performance >= performance.mean()
    names = {(True, False): "concentrate here", (True, True): "keep up the good work"}
    names.update({(False, False): "low priority", (False, True): "possible overkill"})
    return [names[(bool(i), bool(h))] for i, h in zip(hi_i, hi_p)]


# ----------------------------------------------------------------------------- planted slips
def _planted(nb) -> list[tuple[str, object, str]]:
    """(exercise, the answer a student who made the slip gives, words of the hint it must get)."""
    survey, rec, lam = nb["survey"], nb["survey"]["recommend"], nb["loadings"]
    s, y = survey["satisfaction"], survey["repurchase"]
    rate = survey.groupby("satisfaction")["repurchase"].mean()
    bought = survey.groupby("satisfaction")["repurchase"].sum()
    u = nb["utility"]
    shares = np.array(u.satisfaction_shares)
    levels = np.arange(1, 6)
    full = {
        "competitive_intensity": u.competitive_intensity,
        "switching_barrier": u.switching_barrier,
        "max_repurchase": u.max_repurchase,
        "min_repurchase": u.min_repurchase,
    }
    p = satisfaction.repurchase_probability(levels, **full)
    p_no_barrier = satisfaction.repurchase_probability(levels, competitive_intensity=u.competitive_intensity)
    p_default_c = satisfaction.repurchase_probability(levels, switching_barrier=u.switching_barrier)

    def V(m, r, d):
        return m * r / (1 + d - r)

    grid = np.linspace(0.50, 0.9499, 200_000)
    lift = V(1, grid + 0.05, 0.10) / V(1, grid, 0.10) - 1
    r35 = float(grid[np.argmin(np.abs(lift - 0.35))])
    grid5 = np.linspace(0.50, 0.94, 200_000)
    lift5 = V(1, grid5 * 1.05, 0.10) / V(1, grid5, 0.10) - 1
    promoters, detractors = (rec >= 9).sum(), (rec <= 6).sum()
    items = nb["ecsi"][["sat1", "sat2", "sat3", "sat4"]]
    alpha = 4 / 3 * (1 - items.var().sum() / items.sum(axis=1).var())
    rho_c = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    ds = nb["drivers_survey"]
    three = ["quality", "price", "communication"]
    r2_three = _ols_r2(ds, three)
    lmg_price = float(np.mean(nb["gains"]))
    first = np.corrcoef(ds["price"], ds["overall"])[0, 1] ** 2
    last = r2_three - _ols_r2(ds, ["quality", "communication"])
    z = (ds - ds.mean()) / ds.std()
    beta_price = np.linalg.lstsq(z[three].to_numpy(), z["overall"].to_numpy(), rcond=None)[0][1]
    return [
        # 1.1a: the share 'satisfied' (4 or 5)
        ("1.1a", 100 * (s >= 4).mean(), "that is a percentage"),
        ("1.1a", (s <= 3).mean(), "1, 2 or 3"),
        ("1.1a", (s > 4).mean(), "only the 5s"),
        ("1.1a", (s >= 3).mean(), "counts the 3s"),
        ("1.1a", (s >= 4).sum(), "number of respondents"),
        # 1.1b: the share who bought again
        ("1.1b", 100 * y.mean(), "that is a percentage"),
        ("1.1b", (y == 0).mean(), "did not buy"),
        ("1.1b", y.sum(), "number of respondents"),
        ("1.1b", y[s >= 4].mean(), "satisfied (4 or 5) only"),
        ("1.1b", rate.mean(), "averages the five levels"),
        # 1.2: the top-box multiple
        ("1.2", rate[4] / rate[5], "4s' rate divided by the 5s'"),
        ("1.2", rate[5] / rate[4] - 1, "relative change"),
        ("1.2", rate[5] - rate[4], "difference of the two"),
        ("1.2", bought[5] / bought[4], "numbers of repurchasers"),
        ("1.2", 100 * rate[5] / rate[4], "multiple in percent"),
        # 1.4: hostages among all the utility's customers
        ("1.4", 100 * np.sum(shares[:3] * p[:3]), "that is a percentage"),
        ("1.4", np.sum(shares[:3] * (1 - p[:3])), "defectors"),
        ("1.4", np.sum(shares[:3] * p[:3]) / shares[:3].sum(), "not-satisfied customers only"),
        ("1.4", np.sum(shares[:2] * p[:2]), "levels 1-2 only"),
        ("1.4", np.sum(shares[:4] * p[:4]), "level 4 as not satisfied"),
        ("1.4", np.sum(shares[3:] * p[3:]), "loyalists"),
        ("1.4", np.sum(shares[:3] * p_no_barrier[:3]), "switching barrier"),
        ("1.4", np.sum(shares[:3] * p_default_c[:3]), "default competitive market"),
        # 1.5a: the lift of five points of retention
        ("1.5a", V(100, 0.85, 0.10) / V(100, 0.80, 0.10), "ratio minus 1"),
        ("1.5a", 100 * (V(100, 0.85, 0.10) / V(100, 0.80, 0.10) - 1), "rise in percent"),
        ("1.5a", (V(100, 0.85, 0.10) / V(100, 0.80, 0.10) - 1) / 100, "100 times too small"),
        ("1.5a", V(100, 0.85, 10) / V(100, 0.80, 10) - 1, "0.10, not as 10"),
        ("1.5a", V(100, 0.80 * 1.05, 0.10) / V(100, 0.80, 0.10) - 1, "5% of itself"),
        ("1.5a", V(100, 0.25, 0.10) / V(100, 0.20, 0.10) - 1, "0.20 is the churn"),
        ("1.5a", V(100, 0.80, 0.10) / V(100, 0.85, 0.10) - 1, "old / new - 1"),
        ("1.5a", V(100, 0.85, 0.10) - V(100, 0.80, 0.10), "rise in money"),
        # 1.5b: the base retention for a 35% lift
        ("1.5b", 100 * r35, "in percent"),
        ("1.5b", 1 - r35, "churn"),
        ("1.5b", r35 + 0.05, "after the five-point rise"),
        ("1.5b", float(grid5[np.argmin(np.abs(lift5 - 0.35))]), "5% of itself"),
        # 1.6: the Net Promoter Score
        ("1.6", (rec >= 9).mean() - (rec <= 6).mean(), "difference of two fractions"),
        ("1.6", 100 * ((rec <= 6).mean() - (rec >= 9).mean()), "detractors minus promoters"),
        ("1.6", 100 * ((rec >= 9).mean() - (rec < 6).mean()), "stop at 5"),
        ("1.6", 100 * ((rec >= 9).mean() - (rec <= 7).mean()), "include the 7s"),
        ("1.6", 100 * ((rec >= 8).mean() - (rec <= 6).mean()), "include the 8s"),
        ("1.6", 100 * ((rec > 9).mean() - (rec <= 6).mean()), "10s only"),
        ("1.6", promoters - detractors, "difference of counts"),
        ("1.6", 100 * (promoters - detractors) / (promoters + detractors), "out of the denominator"),
        ("1.6", 100 * (rec >= 9).mean(), "promoters alone"),
        # 1.7a: the expected stay with 25% churn
        ("1.7a", 1 / 0.75, "retention rate 0.75"),
        ("1.7a", 0.75 / 0.25, "years after the first"),
        ("1.7a", 1 / 25, "0.25, not as 25"),
        ("1.7a", math.log(0.5) / math.log(0.75), "median"),
        # 1.8a: AVE
        ("1.8a", lam.mean(), "mean loading"),
        ("1.8a", (lam**2).sum(), "sum of the squared loadings"),
        ("1.8a", (1 - lam**2).mean(), "error variance"),
        ("1.8a", 100 * (lam**2).mean(), "that is a percentage"),
        # 1.8b: composite reliability
        ("1.8b", alpha, "Cronbach's alpha"),
        ("1.8b", (lam**2).sum() / ((lam**2).sum() + (1 - lam**2).sum()), "AVE of 1.8a"),
        ("1.8b", lam.sum() / (lam.sum() + (1 - lam**2).sum()), "sum of the loadings is squared"),
        ("1.8b", 1 - rho_c, "error share"),
        ("1.8b", 100 * rho_c, "that is a percentage"),
        # 1.9a: R² of the three-driver regression
        ("1.9a", 100 * r2_three, "R² in percent"),
        ("1.9a", 1 - (1 - r2_three) * (len(ds) - 1) / (len(ds) - 3 - 1), "adjusted R²"),
        ("1.9a", _ols_r2(ds, [c for c in ds.columns if c != "overall"]), "all seven drivers"),
        # 1.9b: price's LMG part of R²
        ("1.9b", 100 * lmg_price, "that is a percentage"),
        ("1.9b", lmg_price / r2_three, "divides by R²"),
        ("1.9b", first, "enters first"),
        ("1.9b", last, "enters last"),
        ("1.9b", (first + last) / 2, "two orders only"),
        ("1.9b", beta_price, "standardised regression coefficient"),
        ("1.9b", beta_price**2, "squared beta"),
    ]


def test_every_slip_written_as_a_student_would_gets_its_own_hint(nb):
    planted = _planted(nb)
    hinted = set()
    for ex_id, answer, words in planted:
        slip = _slip(ex_id, words)
        result = checks.exercise(ex_id, answer, echo=False)
        assert result.status == "not yet right", (ex_id, words, result.message)
        said = _said(result)
        assert said.endswith(slip.hint), (ex_id, words, result.message)  # out of range: the range first
        hinted.add((ex_id, slip.hint))
    declared = {(e.id, s.hint) for e in ENTRIES.values() for s in e.slips}
    assert hinted == declared, f"slips never planted as a student would: {sorted(declared - hinted)}"


@pytest.mark.parametrize("ex_id", [e.id for e in ENTRIES.values() if e.slips])
def test_each_exercise_has_distinct_hints_and_never_shows_the_reference(ex_id):
    entry = ENTRIES[ex_id]
    hints = [s.hint for s in entry.slips]
    assert len(hints) == len(set(hints)), "two slips of one exercise share a hint"
    shown = checks._fmt(registry.reference(entry))
    for slip in entry.slips:
        result = checks.exercise(ex_id, registry.slip_value(entry, slip), echo=False)
        assert _said(result).endswith(slip.hint)
        if len(re.sub(r"\D", "", shown)) >= 3:  # shorter numbers occur in the fixed texts ("0.5%")
            rest = result.message.replace(checks._fmt(registry.slip_value(entry, slip)), "")
            assert shown not in rest, "the message shows the reference"


def test_chapter_1_covers_the_slips_students_make_most():
    kinds = {s.kind for e in ENTRIES.values() for s in e.slips}
    assert {"off-by-one", "percent", "ratio", "complement", "units", "sign"} <= kinds
    numbers = [e for e in ENTRIES.values() if e.kind == "number"]
    assert all(e.slips for e in numbers), [e.id for e in numbers if not e.slips]
    assert all(any(s.kind == "percent" for s in e.slips) for e in numbers), "percent vs fraction everywhere"
    # both ways: a percentage for a fraction, and a fraction where points are expected (NPS)
    assert "points from -100 to 100" in _said(checks.exercise("1.6", 0.2815, echo=False))
    assert all(e.unit and e.explanation for e in numbers)


# ----------------------------------------------------------------------------- choice and written
def test_the_choice_key_and_options_live_in_the_registry(nb, capsys):
    entry = ENTRIES["1.3"]
    key = registry.reference(entry)
    rate = nb["survey"].groupby("satisfaction")["repurchase"].mean()
    assert key == ("b" if rate[5] - rate[4] > rate[4] - rate[3] else "c")
    checks.show_options("1.3")
    out = capsys.readouterr().out.splitlines()
    assert out == [f"({k}) {v}" for k, v in entry.options.items()]
    for wrong in set(entry.options) - {key}:
        result = checks.exercise("1.3", wrong, echo=False)
        assert result.status == "not yet right" and _said(result) == entry.explanations[wrong]
        assert f"({key})" not in result.message
    student = "\n".join(c.source for c in nbformat.read(STUDENT, as_version=4).cells)
    for text in entry.options.values():
        assert text not in student
    assert 'checks.show_options("1.3")' in student


def test_the_written_answer_counts_words_and_hanzi_on_one_scale():
    assert ENTRIES["1.9d"].min_words == 60 and len(ENTRIES["1.9d"].aspects) >= 4 and ENTRIES["1.9d"].points == 0
    entry = ENTRIES["1.7b"]
    assert entry.min_words == 60 and len(entry.aspects) >= 4 and entry.points == 0
    assert checks.exercise("1.7b", "word " * 59, echo=False).status == "not yet right"
    assert checks.exercise("1.7b", "word " * 60, echo=False).status == "answered"
    assert checks.exercise("1.7b", "字" * 89, echo=False).status == "not yet right"
    assert checks.exercise("1.7b", "字" * 90, echo=False).status == "answered"
    message = checks.exercise("1.7b", "too short", echo=False).message
    assert all(aspect in message for aspect in entry.aspects)


def test_the_grid_labels_are_checked_one_by_one(nb):
    right = list(registry.reference(ENTRIES["1.9c"]))
    assert set(right) == set(satisfaction.QUADRANTS)  # the survey fills every quadrant
    wrong = ["concentrate here" if q == "low priority" else q for q in right]  # the border case moved up
    result = checks.exercise("1.9c", wrong, echo=False)
    assert result.status == "not yet right"
    result = checks.exercise("1.9c", [*right[:3], "overkill", *right[4:]], echo=False)
    assert result.status == "not yet right" and "possible overkill" in result.message


def test_the_solution_notebook_and_the_registry_agree_on_the_seed(nb):
    # the data cells seed their own generator, so running a cell twice gives the same data
    sources = [c.source for c in nbformat.read(SOLUTION, as_version=4).cells if c.cell_type == "code"]
    seeded = [s for s in sources if "rng=" in s]
    assert seeded and all(f"rng=np.random.default_rng({ch01.SEED})" in s for s in seeded)
    fit = satisfaction.pls_path_model(nb["ecsi"], satisfaction.ECSI_BLOCKS, satisfaction.ECSI_PATHS)
    assert math.isclose(pls.reliability(fit).loc["SAT", "ave"], registry.reference(ENTRIES["1.8a"]), rel_tol=1e-12)
