"""Chapter 0's exercise registry (crmlib/checks/ch00.py) against its solution notebook.

* the registry's references equal what the solution notebook computes (its cells are run here,
  on the notebook's own data, without the check cells), and the registry rebuilds that data;
* a right answer passes, also when a student computes it another way;
* each slip is planted *as a student would write it* (plain arithmetic and pandas on the
  notebook's data, not the registry's slip functions) and gets its own hint: off-by-one fairs,
  percent vs fraction both ways, complement, sign, records vs customers;
* label keys and written-answer rules live in the registry only.
"""

from __future__ import annotations

from pathlib import Path

import checks_harness as harness
import nbformat
import pytest

from crmlib import checks, crm
from crmlib.checks import ch00, registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "00_what_is_crm.ipynb"
ENTRIES = registry.registry(0)


@pytest.fixture(scope="module")
def nb():
    """The namespace of the solution notebook run from the top, check cells left out."""
    return harness.solution_namespace(SOLUTION)


_said = harness.hint_of


def _slip(exercise_id: str, words: str):
    return harness.find_slip(ENTRIES, exercise_id, words)


# ----------------------------------------------------------------------------- the registry
def test_every_check_cell_names_a_chapter_0_entry_and_every_entry_is_checked():
    harness.assert_check_cells_name_every_entry_once(SOLUTION, ENTRIES)


def test_the_registry_reference_equals_what_the_solution_computes(nb):
    harness.assert_solution_equals_registry(nb, ENTRIES)


def test_the_registry_rebuilds_the_notebooks_data(nb):
    g = registry.given(ENTRIES["0.3a"])
    assert g.records.equals(nb["records"])
    assert g.fit.clusters.equals(nb["fit_0_3"].clusters)
    g = registry.given(ENTRIES["0.4d"])
    assert g.prospects.equals(nb["prospects_0_4"])
    # the data cell seeds its own generator with the registry's seed
    sources = [c.source for c in nbformat.read(SOLUTION, as_version=4).cells if c.cell_type == "code"]
    assert any(f"simulate_scattered_records(200, rng=np.random.default_rng({ch00.RECORDS_SEED}))" in s for s in sources)


def test_a_right_answer_passes_also_when_computed_another_way(nb):
    records = nb["records"]
    fit = crm.link_records(records, rng=__import__("numpy").random.default_rng(5))
    linked = records.assign(customer=fit.clusters)
    by_customer = linked.groupby("customer")[["spend", "complaints"]].sum()
    best = by_customer["spend"].idxmax()
    m = 36 * 1100 * 0.3
    V = m * (1 - (0.7 / 1.1) ** 4) / (1 - 0.7 / 1.1)
    right = {
        "0.1a": ["Collaborative", "analytical", "OPERATIONAL", "collaborative"],
        "0.1b": "Small_Business",
        "0.2": ["information", "one department", "IT system", "peripheral"],
        "0.3a": linked["customer"].nunique(),
        "0.3b": by_customer.loc[best, "spend"],
        "0.3c": by_customer.loc[best, "complaints"],
        "0.3d": 0.8505,
        "0.4a": V,
        "0.4b": V / 4 - 5000,
        "0.4c": 5000 / V,
        "0.4d": ("Q2", "Q1", "Q3"),
    }
    for ex_id, answer in right.items():
        assert checks.exercise(ex_id, answer, echo=False).status == "passed", (ex_id, answer)


# ----------------------------------------------------------------------------- planted slips
def _planted(nb) -> list[tuple[str, object, str]]:
    """(exercise, the answer a student who made the slip gives, words of the hint it must get)."""
    records, view, truth = nb["records"], nb["view_0_3"], nb["records"]["true_customer_id"]
    fit = nb["fit_0_3"]
    quality = crm.linkage_quality(fit.clusters, truth)
    exact = crm.link_exact(records)

    def V(m=36 * 1100 * 0.3, r=0.7, d=0.10, ts=range(4)):
        return sum(m * (r / (1 + d)) ** t for t in ts)

    v = V()
    return [
        # 0.3a: customers found
        ("0.3a", len(records), "number of records"),
        ("0.3a", truth.nunique(), "true number of customers"),
        ("0.3a", exact.nunique(), "exact phone and e-mail keys find"),
        # 0.3b: the most valuable customer's spend
        ("0.3b", records["spend"].max(), "largest single record"),
        ("0.3b", view["spend"].sum(), "all customers together"),
        # 0.3c: her complaints
        ("0.3c", view["complaints"].max(), "largest number of complaints"),
        ("0.3c", records["complaints"].sum(), "all customers together"),
        # 0.3d: the recall
        ("0.3d", crm.linkage_quality(exact, truth).recall, "recall of exact"),
        ("0.3d", 100 * quality.recall, "that is a percentage"),
        ("0.3d", quality.precision, "that is the precision"),
        ("0.3d", quality.f1, "F1"),
        ("0.3d", 1 - quality.recall, "missed"),
        # 0.4a: the value if won
        ("0.4a", V(ts=range(1)), "only the first fair"),
        ("0.4a", V(d=0.0), "must be discounted"),
        ("0.4a", V(ts=range(1, 5)), "starts at t = 0"),
        ("0.4a", V(d=10), "0.10, not as 10"),
        ("0.4a", V(m=36 * 1100), "booth revenue"),
        ("0.4a", V(r=0.3), "does not come back"),
        # 0.4b: the prospect value
        ("0.4b", 0.25 * v, "subtract it from p V"),
        ("0.4b", v - 5000, "before subtracting the cost"),
        ("0.4b", 5000 - 0.25 * v, "c - p V"),
        ("0.4b", 25 * v - 5000, "0.25, not as 25"),
        ("0.4b", 0.75 * v - 5000, "not won"),
        # 0.4c: the break-even probability
        ("0.4c", v / 5000, "V / c"),
        ("0.4c", 100 * 5000 / v, "in percent"),
        ("0.4c", 1 - 5000 / v, "1 - c / V"),
        ("0.4c", 5000 / (36 * 1100 * 0.3), "one fair's profit"),
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


def test_a_fair_too_few_or_too_many_gets_the_off_by_one_hint():
    for fairs in (range(3), range(5)):
        answer = sum(36 * 1100 * 0.3 * (0.7 / 1.1) ** t for t in fairs)
        result = checks.exercise("0.4a", answer, echo=False)
        assert result.status == "not yet right" and "period" in _said(result), result.message


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


def test_chapter_0_covers_its_slips():
    kinds = {s.kind for e in ENTRIES.values() for s in e.slips}
    assert {"off-by-one", "percent", "complement", "units", "sign"} <= kinds
    numbers = [e for e in ENTRIES.values() if e.kind == "number"]
    assert all(e.slips and e.unit and e.explanation for e in numbers)


# ----------------------------------------------------------------------------- labels and written
def test_labels_are_checked_against_the_registrys_keys():
    r = checks.exercise("0.1b", "mid-market", echo=False)
    assert r.status == "not yet right" and "possible label, but not the right one" in r.message
    r = checks.exercise("0.2", ["information", "one-department", "peripheral", "it-system"], echo=False)
    assert r.status == "not yet right" and "2 of 4" in r.message
    r = checks.exercise("0.4d", ["Q3", "Q1", "Q2"], echo=False)  # by booth size: not by prospect value
    assert r.status == "not yet right"
    r = checks.exercise("0.1a", ["crm"] * 4, echo=False)
    assert r.status == "not yet right" and "operational" in r.message


def test_the_written_answer_counts_words_and_hanzi_on_one_scale():
    entry = ENTRIES["0.5"]
    assert entry.min_words == 80 and len(entry.aspects) >= 4 and entry.points == 0
    assert checks.exercise("0.5", "word " * 79, echo=False).status == "not yet right"
    assert checks.exercise("0.5", "word " * 80, echo=False).status == "answered"
    assert checks.exercise("0.5", "字" * 119, echo=False).status == "not yet right"
    assert checks.exercise("0.5", "字" * 120, echo=False).status == "answered"
    message = checks.exercise("0.5", "too short", echo=False).message
    assert all(aspect in message for aspect in entry.aspects)
