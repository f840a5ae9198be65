"""Chapter 4's exercise registry (crmlib/checks/ch04.py) against its solution notebook.

* every slip an entry declares is planted (its value, computed from the entry's own inputs, is given
  as the answer) and gets that slip's own hint; the periods an entry counts are planted one too few
  and one too many; the slips are also planted as a student would write them (a discount rate of 1
  for 1%, a success rate of 25 for 0.25, a percentage for a fraction and back, churn for retention,
  a ratio for a cut, a yearly figure for a monthly one, the wrong sign, range(11) for 12 months);
* a correct answer passes, and a wrong answer never shows the reference;
* the registry's reference equals what the solution notebook computes (its cells are run here).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from crmlib import checks, datasets, switching
from crmlib.checks import registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "04_switching_cost_substitute_value.ipynb"
ENTRIES = list(registry.registry(4).values())
PLANTED = [(e.id, k) for e in ENTRIES for k in range(len(e.slips))]
PERIODIC = [e.id for e in ENTRIES if e.period is not None]
PRINTED = [(i, k) for i, k in PLANTED if registry.lookup(i).kind == "number"]  # a single number is printed


def _said(result) -> str:
    """The hint of a result (empty when there is none)."""
    return result.message.split("hint:", 1)[1] if "hint:" in result.message else ""


def _plant(entry, slip):
    if entry.kind == "function":
        return lambda *args, **kwargs: slip.value(*args, **kwargs)
    return registry.slip_value(entry, slip)


def _right(entry):
    if entry.kind == "function":
        return lambda *args, **kwargs: entry.reference(*args, **kwargs)
    if entry.kind == "written":
        return "word " * entry.min_words
    return registry.reference(entry)


# ----------------------------------------------------------------------------- the registry
def test_chapter_4_registry_holds_every_exercise_of_the_notebook():
    ids = {e.id for e in ENTRIES}
    assert {f"4.{k}" for k in range(1, 10)} <= {i.rstrip("abcd") for i in ids}
    assert registry.lookup("4.2a").variable == "answer_4_2a" and registry.lookup("4.1").variable == "sv_by_hand"


def test_chapter_4_covers_the_slips_students_make_most():
    kinds = {s.kind for e in ENTRIES for s in e.slips}
    assert {"off-by-one", "percent", "ratio", "complement", "units", "sign"} <= kinds
    numeric = [e for e in ENTRIES if e.kind in ("number", "array", "function")]
    assert all(e.slips for e in numeric), [e.id for e in numeric if not e.slips]


@pytest.mark.parametrize("exercise_id, k", PLANTED, ids=[f"{i}-slip{k}" for i, k in PLANTED])
def test_each_planted_slip_gets_its_own_hint(exercise_id, k):
    entry = registry.lookup(exercise_id)
    slip = entry.slips[k]
    if entry.kind != "function":
        slipped, ref = registry.slip_value(entry, slip), registry.reference(entry)
        assert not np.allclose(slipped, ref, rtol=max(entry.rel_tol, 1e-3), atol=entry.abs_tol)
    result = checks.exercise(exercise_id, _plant(entry, slip), echo=False)
    assert result.status == "not yet right"
    assert slip.hint in _said(result), result.message
    others = [s.hint for s in entry.slips if s.hint != slip.hint]
    assert not any(h in _said(result) for h in others), "two slips of one exercise give the same answer"


@pytest.mark.parametrize("exercise_id", PERIODIC)
def test_one_period_too_few_or_too_many_gets_the_off_by_one_hint(exercise_id):
    entry = registry.lookup(exercise_id)
    g = registry.given(entry)
    periods = g[entry.period]
    for other, words in ((periods - 1, "one period too few"), (periods + 1, "one period too many")):
        wrong = entry.reference(g.replace(**{entry.period: other}))
        assert not math.isclose(wrong, registry.reference(entry), rel_tol=max(entry.rel_tol, 1e-3))
        result = checks.exercise(exercise_id, wrong, echo=False)
        assert result.status == "not yet right" and words in _said(result), result.message


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_a_correct_answer_passes_with_its_explanation(entry):
    result = checks.exercise(entry.id, _right(entry), echo=False)
    assert result.status == ("answered" if entry.kind == "written" else "passed"), result.message
    if entry.kind != "written":
        assert "why:" in result.message and entry.explanation in result.message
    assert checks.exercise(entry.id, ..., echo=False).status == "not attempted yet"


@pytest.mark.parametrize("exercise_id, k", PRINTED, ids=[f"{i}-slip{k}" for i, k in PRINTED])
def test_a_wrong_answer_never_shows_the_reference(exercise_id, k):
    entry = registry.lookup(exercise_id)
    shown = checks._fmt(float(registry.reference(entry)))
    message = checks.exercise(exercise_id, _plant(entry, entry.slips[k]), echo=False).message
    told = "\n".join(line for line in message.splitlines() if not line.strip().startswith("found:"))
    assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d%])", told), message


def test_a_wrong_label_and_wrong_options_get_a_hint_not_the_key(capsys):
    r = checks.exercise("4.3b", "switch", echo=False)
    assert r.status == "not yet right" and "'stay'" not in r.message
    assert checks.exercise("4.3b", "maybe", echo=False).status == "not yet right"
    entry = registry.lookup("4.5")
    key = registry.reference(entry)
    for letter, why in entry.explanations.items():
        assert letter != key
        r = checks.exercise("4.5", letter, echo=False)
        assert r.status == "not yet right" and why in _said(r) and f"({key})" not in r.message
    checks.show_options("4.5")
    assert capsys.readouterr().out.splitlines() == [f"({k}) {v}" for k, v in entry.options.items()]


# ----------------------------------------------------------------------------- slips as a student writes them
def test_slips_written_as_a_student_would():
    telco = datasets.load_telco_churn()
    rates = telco.groupby("contract", observed=True)["churn"].mean()
    km = switching.retention_curves(telco)["Month-to-month"]

    # 4.1: the switching cost added instead of subtracted; the price paid once instead of per unit
    def sv_plus_s(quantity, utility, price, other_costs, maintenance_cost, switching_cost):
        return quantity * (utility - price) - other_costs - maintenance_cost + switching_cost

    def sv_price_once(quantity, utility, price, other_costs, maintenance_cost, switching_cost):
        return quantity * utility - price - other_costs - maintenance_cost - switching_cost

    assert "subtract it like O and M" in _said(checks.exercise("4.1", sv_plus_s, echo=False))
    assert "not U alone" in _said(checks.exercise("4.1", sv_price_once, echo=False))
    # 4.2: the switching cost with the wrong sign; a value per ride for the year's value
    assert "S is subtracted" in _said(checks.exercise("4.2b", 100 * (31 - 26) - 30 - 40 + 120, echo=False))
    assert "Q = 100 rides" in _said(checks.exercise("4.2a", (30 - 26) - 40 / 100, echo=False))
    # 4.2c and 4.7a: the break-even switching cost the wrong way round, and the gap at the actual S
    assert "other way round" in _said(checks.exercise("4.2c", 360 - (100 * (31 - 26) - 30 - 40), echo=False))
    assert "value gap" in _said(checks.exercise("4.2c", 310 - 360, echo=False))
    assert "SV without S, minus CV" in _said(checks.exercise("4.7a", 190 - 210, echo=False))
    assert "thousand yuan" in _said(checks.exercise("4.7a", 20_000, echo=False))
    # 4.3a: the premium-only coupon counted for an express rider
    assert "premium rides only" in _said(checks.exercise("4.3a", 3 * 10 + 9 + 8 + 10, echo=False))
    # 4.3c: the gap SV - CV (negative) where CV - SV is needed
    assert "positive amount" in _said(checks.exercise("4.3c", (310 - 360 - 17) / 3, echo=False))
    # 4.3d: a ratio (new price / old price) for the cut, the cut per year, the sign
    assert "ratio of the new price" in _said(checks.exercise("4.3d", (26 - 0.5) / 26, echo=False))
    assert "whole year" in _said(checks.exercise("4.3d", 360 - 310, echo=False))
    assert "positive amount" in _said(checks.exercise("4.3d", (310 - 360) / 100, echo=False))
    # 4.4: percent for fraction, a fraction divided by 100 once more, retention for churn, counts for rates
    assert "percentages" in _said(checks.exercise("4.4", rates * 100, echo=False))
    assert "100 times too small" in _said(checks.exercise("4.4", rates / 100, echo=False))
    assert "stayed (retention)" in _said(checks.exercise("4.4", 1 - rates, echo=False))
    churners = telco.groupby("contract", observed=True)["churn"].sum()
    assert "numbers of churners" in _said(checks.exercise("4.4", churners, echo=False))
    # 4.6: eleven and thirteen months, a percentage, the share who left, one month for one year
    assert "one period too few" in _said(checks.exercise("4.6", float(km.survival_at(11)), echo=False))
    assert "one period too many" in _said(checks.exercise("4.6", float(km.survival_at(13)), echo=False))
    assert "percentage" in _said(checks.exercise("4.6", 100 * float(km.survival_at(12)), echo=False))
    assert "have left by month 12" in _said(checks.exercise("4.6", 1 - float(km.survival_at(12)), echo=False))
    assert "a year is 12" in _said(checks.exercise("4.6", float(km.survival_at(1)), echo=False))

    # 4.8a: a monthly discount rate of 1 for 1%, churn for retention, 2 (years) for 24 months,
    # a yearly margin with monthly rates, a sum that starts at t = 0
    def by_hand(margin, retention, discount, months):
        return sum(margin * retention**t / (1 + discount) ** t for t in months)

    assert "0.01, not as 1" in _said(checks.exercise("4.8a", by_hand(30, 0.97, 1, range(1, 25)), echo=False))
    assert "(churn)" in _said(checks.exercise("4.8a", by_hand(30, 0.03, 0.01, range(1, 25)), echo=False))
    assert "counted in months" in _said(checks.exercise("4.8a", by_hand(30, 0.97, 0.01, range(1, 3)), echo=False))
    assert "per month" in _said(checks.exercise("4.8a", by_hand(360, 0.97, 0.01, range(1, 25)), echo=False))
    assert "t = 0 ... 23" in _said(checks.exercise("4.8a", by_hand(30, 0.97, 0.01, range(24)), echo=False))
    v = by_hand(30, 0.97, 0.01, range(1, 25))
    # 4.8b: a success rate of 25 for 25%, the threshold as a percentage, the probability of staying
    assert "not as 25" in _said(checks.exercise("4.8b", 40 / (25 * v), echo=False))
    assert "percentage" in _said(checks.exercise("4.8b", 100 * 40 / (0.25 * v), echo=False))
    assert "one minus the threshold" in _said(checks.exercise("4.8b", 1 - 40 / (0.25 * v), echo=False))
    # 4.8c: the cost minus the saving
    assert "cost minus the expected saving" in _said(checks.exercise("4.8c", 40 - 0.5 * 0.25 * v, echo=False))
    # 4.9: range(11) and range(13) for the twelve steps, S(1) ... S(12), the area in years
    assert "one period too few" in _said(
        checks.exercise("4.9", float(np.sum(km.survival_at(np.arange(11)))), echo=False)
    )
    assert "one period too many" in _said(
        checks.exercise("4.9", float(np.sum(km.survival_at(np.arange(13)))), echo=False)
    )
    assert "not S(1), ..., S(12)" in _said(
        checks.exercise("4.9", float(np.sum(km.survival_at(np.arange(1, 13)))), echo=False)
    )
    assert "in months" in _said(checks.exercise("4.9", float(np.mean(km.survival_at(np.arange(12)))), echo=False))


# ----------------------------------------------------------------------------- the solution notebook
@pytest.fixture(scope="module")
def solved() -> dict:
    """The names the solution notebook defines, from running its cells (check cells left out)."""
    nb = nbformat.read(SOLUTION, as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "check" not in cell.metadata.get("tags", []):
            exec(compile(cell.source, f"<{SOLUTION.name}:{cell.get('id')}>", "exec"), namespace)
    return namespace


def test_check_cells_name_the_registry_entries_in_order():
    nb = nbformat.read(SOLUTION, as_version=4)
    lines = [line for c in nb.cells if "check" in c.metadata.get("tags", []) for line in c.source.splitlines()]
    assert lines == [f'checks.exercise("{e.id}", {e.variable})' for e in ENTRIES]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_the_registry_reference_equals_what_the_solution_computes(entry, solved):
    answer = solved[entry.variable]
    if entry.kind == "function":
        for case in entry.cases:
            assert answer(*case) == pytest.approx(entry.reference(*case), rel=1e-12)
    elif entry.kind == "written":
        assert checks.exercise(entry.id, answer, echo=False).status == "answered"
    elif entry.kind == "array":
        ref = registry.reference(entry)
        mine = pd.Series(answer.to_numpy(dtype=float), index=[str(k) for k in answer.index])
        assert list(mine.index) == list(ref.index)
        np.testing.assert_allclose(mine.to_numpy(), ref.to_numpy(dtype=float), rtol=1e-12)
    elif entry.kind in ("label", "choice"):
        assert answer == registry.reference(entry)
    else:
        assert answer == pytest.approx(registry.reference(entry), rel=1e-9)
    assert checks.exercise(entry.id, answer, echo=False).status in ("passed", "answered")
