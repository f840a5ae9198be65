"""Chapter 2's exercise registry (crmlib/checks/ch02.py) against its solution notebook.

* the registry's references equal what the solution notebook computes (its cells are run here,
  on the notebook's own data, without the check cells), and the registry rebuilds that data;
* a right answer passes, also when a student computes it another way;
* each slip is planted *as a student would write it* (plain pandas and arithmetic, not the
  registry's slip functions) and gets its own hint: off-by-one cut-offs, percent vs fraction both
  ways (including a discount rate of 10 for 0.10), complement, units (weeks for days);
* label keys, the multiple-choice key and its options live in the registry only.
"""

from __future__ import annotations

from pathlib import Path

import checks_harness as harness
import nbformat
import numpy as np
import pytest

from crmlib import checks, loyalty
from crmlib.checks import ch02, registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "02_loyalty_types.ipynb"
STUDENT = ROOT / "exercises" / "02_loyalty_types.ipynb"
ENTRIES = registry.registry(2)


@pytest.fixture(scope="module")
def nb():
    """The namespace of the solution notebook run from the top, check cells left out."""
    return harness.solution_namespace(SOLUTION)


_said = harness.hint_of


def _slip(exercise_id: str, words: str):
    return harness.find_slip(ENTRIES, exercise_id, words)


# ----------------------------------------------------------------------------- the registry
def test_every_check_cell_names_a_chapter_2_entry_and_every_entry_is_checked():
    harness.assert_check_cells_name_every_entry_once(SOLUTION, ENTRIES)


def test_the_registry_reference_equals_what_the_solution_computes(nb):
    harness.assert_solution_equals_registry(nb, ENTRIES)


def test_the_registry_rebuilds_the_notebooks_data(nb):
    g = registry.given(ENTRIES["2.5a"])
    assert g.survey.equals(nb["survey"])
    assert registry.given(ENTRIES["2.4a"]).cdnow.equals(nb["cdnow"])
    assert registry.given(ENTRIES["2.1"]).customers == {k: list(v) for k, v in nb["customers"].items()}
    assert registry.given(ENTRIES["2.7a"]).scores == nb["scores_2_7"]
    assert registry.given(ENTRIES["2.8"]).cases == nb["cases_2_8"]
    assert dict(registry.given(ENTRIES["2.9b"])) == nb["effects_2_9"]
    # the data cell seeds its own generator, so running it twice gives the same survey
    sources = [c.source for c in nbformat.read(SOLUTION, as_version=4).cells if c.cell_type == "code"]
    seeded = [s for s in sources if "rng" in s]
    assert seeded and all(f"rng=np.random.default_rng({ch02.SEED})" in s for s in seeded)


def test_a_right_answer_passes_also_when_computed_another_way(nb):
    cdnow, survey = nb["cdnow"], nb["survey"]
    per_day = cdnow.groupby(["customer_id", "date"]).size().reset_index()
    occasions = per_day[per_day["date"] <= "1997-09-30"]["customer_id"].value_counts()
    gaps = np.concatenate([np.diff(np.sort(d.to_numpy())) for _, d in per_day.groupby("customer_id")["date"]])
    items = survey[list(loyalty.SURVEY_SCALES["trust"])].to_numpy(dtype=float)
    k = items.shape[1]
    alpha = k / (k - 1) * (1 - items.var(axis=0, ddof=0).sum() / items.sum(axis=1).var(ddof=0))
    right = {
        "2.1": ["Loyalty", "latent_loyalty", "Spurious Loyalty", "no-loyalty", "loyalty", "spurious loyalty"],
        "2.2a": "Monopoly loyalty",
        "2.2b": "incentive_loyalty",
        "2.2c": "price loyalty",
        "2.3": 75,
        "2.4a": float((occasions >= 2).sum() / per_day["customer_id"].nunique()),
        "2.4b": float(np.median(gaps / np.timedelta64(1, "D"))),
        "2.5a": alpha,
        "2.5b": "Satisfaction",
        "2.6a": 1.1 / 0.1,
        "2.6b": 0.88,
        "2.6c": "(B)",
        "2.7a": 65,
        "2.8": [
            "Control product quality and price",
            "personalise",
            "make_buying_simple",
            "exceed expectations",
            "serve the internal customers (staff)",
        ],
        "2.9a": 800,
        "2.9b": _number_share_by_hand(nb["effects_2_9"]),
        "2.9c": "(b)",
    }
    for ex_id, answer in right.items():
        assert checks.exercise(ex_id, answer, echo=False).status == "passed", (ex_id, answer)


def _whole_base_share(kw):
    """The slip: the number effect divided by the present value of the whole improved base."""
    rest = {k: x for k, x in kw.items() if k not in ("baseline_retention_rate", "retention_rate")}
    lo = loyalty.project_customer_base(retention_rate=kw["baseline_retention_rate"], **rest).by_period
    hi = loyalty.project_customer_base(retention_rate=kw["retention_rate"], **rest).by_period
    number = ((hi["customers"] - lo["customers"]) * lo["total"] / lo["customers"] * lo["discount_factor"]).sum()
    return float(number / hi["pv_total"].sum())


def _number_share_by_hand(kw, discounted=True):
    """The number effect's share, from the two projections' own tables (not retention_effects)."""
    rest = {k: x for k, x in kw.items() if k not in ("baseline_retention_rate", "retention_rate")}
    lo = loyalty.project_customer_base(retention_rate=kw["baseline_retention_rate"], **rest).by_period
    hi = loyalty.project_customer_base(retention_rate=kw["retention_rate"], **rest).by_period
    w = lo["discount_factor"] if discounted else 1.0
    v0 = lo["total"] / lo["customers"]
    number = ((hi["customers"] - lo["customers"]) * v0 * w).sum()
    gain = ((hi["total"] - lo["total"]) * w).sum()
    return float(number / gain)


# ----------------------------------------------------------------------------- planted slips
def _planted(nb) -> list[tuple[str, object, str]]:
    """(exercise, the answer a student who made the slip gives, words of the hint it must get)."""
    cdnow = nb["cdnow"]
    days = cdnow[["customer_id", "date"]].drop_duplicates()

    def repeat(frame, at_least=2):
        return (frame.groupby("customer_id").size() >= at_least).mean()

    def gaps(frame):
        return frame.sort_values(["customer_id", "date"]).groupby("customer_id")["date"].diff().dropna().dt.days

    cal = days[days["date"] <= "1997-09-30"]
    rate = repeat(cal)
    median = gaps(days).median()
    items = nb["survey"][list(loyalty.SURVEY_SCALES["trust"])]
    ratio = items.var().sum() / items.sum(axis=1).var()
    alpha = 4 / 3 * (1 - ratio)
    w, s = loyalty.DEFAULT_WEIGHTS, nb["scores_2_7"]
    index = 100 * sum(w[c] * (s[c] - 1) / 4 for c in s)
    return [
        # 2.3: the quantified index
        ("2.3", (0.75 + 0.5 + 1.0) / 3, "index as a fraction"),
        ("2.3", 100 * (0.75 + 0.5 + 1.0), "without averaging"),
        ("2.3", 100 * (4 / 5 + 0.5 + 1.0) / 3, "4/5 = 0.8"),
        # 2.4a: the repeat rate
        ("2.4a", repeat(cdnow[cdnow["date"] <= "1997-09-30"]), "counts transactions"),
        ("2.4a", 100 * rate, "that is a percentage"),
        ("2.4a", (cal.groupby("customer_id").size() == 1).mean(), "single purchase occasion"),
        ("2.4a", repeat(days[days["date"] < "1997-09-30"]), "leaves out 1997-09-30"),
        ("2.4a", (cal.groupby("customer_id").size() > 2).mean(), "three or more"),
        ("2.4a", repeat(days), "whole data"),
        # 2.4b: the median gap
        ("2.4b", median / 7, "in weeks"),
        ("2.4b", gaps(days).mean(), "mean gap"),
        ("2.4b", gaps(cdnow).median(), "gaps of 0 days"),
        ("2.4b", gaps(cal).median(), "calibration period only"),
        # 2.5a: Cronbach's alpha
        ("2.5a", 1 - ratio, "leaves out the factor"),
        ("2.5a", 4 / 3 * ratio, "1 minus that ratio"),
        ("2.5a", 3 / 4 * (1 - ratio), "not (k - 1) / k"),
        ("2.5a", 100 * alpha, "alpha times 100"),
        # 2.6a: the ceiling
        ("2.6a", 1 / 0.10, "that is 1/d"),
        ("2.6a", (1 + 10) / 10, "0.10, not as 10"),
        ("2.6a", 0.10 / 1.10, "the inverse"),
        # 2.6b: the implied retention
        ("2.6b", 100 * 1.1 * (1 - 1 / 5), "in percent"),
        ("2.6b", 1 - 1.1 * (1 - 1 / 5), "churn"),
        ("2.6b", 5 * 1.1 / 6, "from the next period on"),
        ("2.6b", (1 + 10) * (1 - 1 / 5), "0.10, not as 10"),
        # 2.7a: the criteria index
        ("2.7a", 100 * sum(w[c] * s[c] / 5 for c in s), "(s - 1) / 4"),
        ("2.7a", index / 100, "index as a fraction"),
        # 2.9a: the steady-state base
        ("2.9a", 200 / (100 - 75), "as 0.75, not as 75"),
        ("2.9a", 200 / 0.75, "divides by the retention rate"),
        ("2.9a", 0.75 * 200 / (1 - 0.75), "stay into the next period"),
        # 2.9b: the number effect's share
        ("2.9b", 100 * _number_share_by_hand(nb["effects_2_9"]), "that is a percentage"),
        ("2.9b", 1 - _number_share_by_hand(nb["effects_2_9"]), "retention-time effect"),
        ("2.9b", _whole_base_share(nb["effects_2_9"]), "value of the whole base"),
    ]


def test_every_slip_written_as_a_student_would_gets_its_own_hint(nb):
    hinted = set()
    for ex_id, answer, words in _planted(nb):
        slip = _slip(ex_id, words)
        result = checks.exercise(ex_id, answer, echo=False)
        assert result.status == "not yet right", (ex_id, words, result.message)
        assert _said(result).endswith(slip.hint), (ex_id, words, result.message)
        hinted.add((ex_id, slip.hint))
    declared = {(e.id, s.hint) for e in ENTRIES.values() for s in e.slips}
    assert hinted == declared, f"slips never planted as a student would: {sorted(declared - hinted)}"


def test_no_message_shows_the_reference():
    for entry in ENTRIES.values():
        if entry.kind != "number":
            continue
        shown = checks._fmt(registry.reference(entry))
        for slip in entry.slips:
            result = checks.exercise(entry.id, registry.slip_value(entry, slip), echo=False)
            rest = result.message.replace(checks._fmt(registry.slip_value(entry, slip)), "")
            if len(shown.replace(".", "").replace(",", "")) >= 3:
                assert shown not in rest, (entry.id, result.message)


def test_chapter_2_covers_its_slips():
    kinds = {s.kind for e in ENTRIES.values() for s in e.slips}
    assert {"off-by-one", "percent", "complement", "units"} <= kinds
    numbers = [e for e in ENTRIES.values() if e.kind == "number"]
    assert all(e.slips and e.unit and e.explanation for e in numbers)
    assert all(any(s.kind == "percent" for s in e.slips) for e in numbers if e.id != "2.4b")


# ----------------------------------------------------------------------------- choice, labels, written
def test_the_choice_key_and_options_live_in_the_registry(capsys):
    entry = ENTRIES["2.6c"]
    key = registry.reference(entry)
    assert key == "b"
    checks.show_options("2.6c")
    out = capsys.readouterr().out.splitlines()
    assert out == [f"({k}) {v}" for k, v in entry.options.items()]
    for wrong in set(entry.options) - {key}:
        result = checks.exercise("2.6c", wrong, echo=False)
        assert result.status == "not yet right" and _said(result) == entry.explanations[wrong]
        assert f"({key})" not in result.message
    student = "\n".join(c.source for c in nbformat.read(STUDENT, as_version=4).cells)
    for text in entry.options.values():
        assert text not in student
    assert 'checks.show_options("2.6c")' in student


def test_labels_are_checked_against_the_registrys_keys():
    r = checks.exercise("2.2a", "inertia loyalty", echo=False)
    assert r.status == "not yet right" and "possible label, but not the right one" in r.message
    # Chen on the cut-offs (0.5 counts as high) and Yang just below
    r = checks.exercise(
        "2.1",
        ["loyalty", "latent loyalty", "spurious loyalty", "no loyalty", "no loyalty", "spurious loyalty"],
        echo=False,
    )
    assert r.status == "not yet right" and "1 of 6 labels are not right" in r.message
    r = checks.exercise("2.5b", "loyalty", echo=False)
    assert r.status == "not yet right" and "friendship" in r.message


def test_the_written_answer_counts_words_and_hanzi_on_one_scale():
    entry = ENTRIES["2.7b"]
    assert entry.min_words == 60 and len(entry.aspects) >= 4 and entry.points == 0
    assert checks.exercise("2.7b", "word " * 59, echo=False).status == "not yet right"
    assert checks.exercise("2.7b", "字" * 90, echo=False).status == "answered"
    message = checks.exercise("2.7b", "too short", echo=False).message
    assert all(aspect in message for aspect in entry.aspects)


def test_the_in_class_tasks_are_written_answers_marked_by_hand():
    for ex_id in ("2.10", "2.11", "2.12"):
        entry = ENTRIES[ex_id]
        assert entry.kind == "written" and entry.points == 0 and len(entry.aspects) >= 3
        assert checks.exercise(ex_id, "too short", echo=False).status == "not yet right"
    student = "\n".join(c.source for c in nbformat.read(STUDENT, as_version=4).cells)
    for words in ("Mabella", "有友凤爪", "珍珠", "识记", "领会", "综合应用", "marked by the lecturer"):
        assert words in student, words


def test_the_principles_key_comes_from_the_library_table():
    table = loyalty.loyalty_principles()
    key = registry.reference(ENTRIES["2.8"])
    for case, principle in zip(ch02.CASES_2_8.values(), key, strict=True):
        assert table.loc[table["principle"] == principle, "case"].str.contains(case, regex=False).item()
    r = checks.exercise("2.8", [*key[:-1], "give better service"], echo=False)
    assert r.status == "not yet right" and "1 of 5 labels are not right" in r.message
    assert checks.exercise("2.9c", "a", echo=False).status == "not yet right"
