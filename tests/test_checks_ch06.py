"""Chapter 6's exercise registry (crmlib/checks/ch06.py) against its solution notebook.

* the registry's references equal what the solution notebook computes (its cells are run here,
  on the notebook's own BG/BB fit and data, without the check cells);
* a right answer passes, also when a student computes it another way;
* each slip the registry declares is planted *as a student would write it* (BG/BB calls, numpy
  and pandas on the notebook's data, not the registry's slip functions) and gets its own hint:
  off-by-one occasions and horizons, percent vs fraction (0.8 for 0.08, 25 for 0.25), ratio vs
  change, complement (dropped out vs alive, failure vs success), units (segment totals vs per
  exhibitor), sign;
* multiple-choice keys and options live in the registry only.
"""

from __future__ import annotations

from pathlib import Path

import checks_harness as harness
import nbformat
import numpy as np
import pandas as pd
import pytest

from crmlib import checks, lifecycle
from crmlib.checks import registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "06_relationship_life_cycle.ipynb"
STUDENT = ROOT / "exercises" / "06_relationship_life_cycle.ipynb"
ENTRIES = registry.registry(6)


@pytest.fixture(scope="module")
def nb():
    """The namespace of the solution notebook run from the top, check cells left out."""
    return harness.solution_namespace(SOLUTION)


def _slip(exercise_id: str, words: str):
    return harness.find_slip(ENTRIES, exercise_id, words)


# ----------------------------------------------------------------------------- the registry
def test_every_check_cell_names_a_chapter_6_entry_and_every_entry_is_checked():
    harness.assert_check_cells_name_every_entry_once(SOLUTION, ENTRIES)


def test_the_registry_reference_equals_what_the_solution_computes(nb):
    harness.assert_solution_equals_registry(nb, ENTRIES)


def test_the_registry_rebuilds_the_notebooks_data(nb):
    g = registry.given(ENTRIES["6.1a"])
    assert np.allclose(g.fit.params.to_numpy(), nb["bgbb"].params.to_numpy(), rtol=1e-12)
    assert registry.given(ENTRIES["6.2"]).exhibitors.equals(nb["exhibitors"])
    assert registry.given(ENTRIES["6.3a"]).counts.equals(nb["counts"])
    assert registry.given(ENTRIES["6.5a"]).segments.equals(nb["segments"])


def test_a_right_answer_passes_also_when_computed_another_way(nb):
    b, counts = nb["bgbb"], nb["counts"]
    P = counts.to_numpy() / counts.to_numpy().sum(axis=1, keepdims=True)
    N = np.linalg.inv(np.eye(3) - P[:3, :3])
    right = {
        "6.1a": round(b.prob_alive(4, 5, 6), 4),
        "6.1c": 12_000 * b.dert(0.08, 4, 5, 6),
        "6.2": ["Trust", "confirmation", "cultivation", "weakening", "weakening", "Dissolution"],
        "6.3a": pd.DataFrame(P, index=counts.index, columns=counts.columns).iloc[::-1],
        "6.3b": N[0, 1],
        "6.4c": registry.reference(ENTRIES["6.4c"]),
        "6.5a": nb["answer_6_5a"].to_numpy(),
    }
    for ex_id, answer in right.items():
        result = checks.exercise(ex_id, answer, echo=False)
        assert result.status == "passed", result.message
        assert "why:" in result.message
    essay = "展会要让展商在第一届就有收获，然后延长信任阶段。" * 6  # 132 汉字 (punctuation not counted): 88 words
    assert checks.exercise("6.6", essay, echo=False).status == "answered"
    assert checks.exercise("6.6", "Care for the exhibitors. " * 15, echo=False).status == "not yet right"


# ----------------------------------------------------------------------------- planted slips
def _planted(nb) -> list[tuple[str, object, str]]:
    """(exercise, the answer a student who made the slip gives, words of the hint it must get)."""
    b, counts, segments = nb["bgbb"], nb["counts"], nb["segments"]
    p_alive = b.prob_alive(4, 5, 6)
    P = counts.div(counts.sum(axis=1), axis=0)
    t = ["confirmation", "trust", "weakening"]
    N = pd.DataFrame(np.linalg.inv(np.eye(3) - P.loc[t, t].to_numpy()), index=t, columns=t)
    better = P.copy()
    better.loc["trust", "trust"] += 0.25 * better.loc["trust", "weakening"]
    better.loc["trust", "weakening"] *= 0.75
    N_better = np.linalg.inv(np.eye(3) - better.loc[t, t].to_numpy())[0, 1]
    dropped = P.copy()
    dropped.loc["trust", "weakening"] *= 0.75
    N_dropped = np.linalg.inv(np.eye(3) - dropped.loc[t, t].to_numpy())[0, 1]
    v0 = 15_000 * b.dert(0.10, 3, 4, 6)
    v1_undiscounted = 15_000 * (1 + b.dert(0.10, 4, 7, 7))
    v1 = v1_undiscounted / 1.10
    kept = v1 - v0
    plan = lifecycle.allocate_care_budget(100_000, **segments)
    equal = pd.Series(100_000 / 600, index=segments.index)
    equal_gain = (
        lifecycle.retained_value(equal, **segments) - segments["customers"] * segments["value"] * segments["base_rate"]
    ).sum()
    return [
        # 6.1a: P(alive) at the next fair
        ("6.1a", b.prob_alive(4, 5, 6, ahead=0), "ahead=0"),
        ("6.1a", b.prob_alive(4, 4, 6), "occasion 5"),
        ("6.1a", b.prob_alive(5, 5, 6), "not a repeat"),
        ("6.1a", 1 - p_alive, "dropped out"),
        ("6.1a", 100 * p_alive, "that is a percentage"),
        # 6.1b: expected fairs among the next five
        ("6.1b", b.expected_transactions(5), "new exhibitor"),
        ("6.1b", b.conditional_expected_transactions(6, 4, 5, 6), "next 6 fairs"),
        ("6.1b", b.conditional_expected_transactions(4, 4, 5, 6), "next 4 fairs"),
        ("6.1b", b.conditional_expected_transactions(5, 5, 5, 6), "not a repeat"),
        # 6.1c: residual value
        ("6.1c", b.dert(0.08, 4, 5, 6), "without the margin"),
        ("6.1c", 12_000 * b.dert(0.8, 4, 5, 6), "not 0.8"),
        ("6.1c", 12_000 * b.conditional_expected_transactions(5, 4, 5, 6), "next five fairs, undiscounted"),
        # 6.3b and 6.3c: the fundamental matrix
        ("6.3b", N.loc["trust", "trust"], "starts *in trust*"),
        ("6.3b", N.loc["confirmation"].sum(), "total time"),
        ("6.3b", N.loc["confirmation", "weakening"], "column weakening"),
        ("6.3c", N_better, "new number of fairs"),
        ("6.3c", N_better / N.loc["confirmation", "trust"], "ratio new / old"),
        ("6.3c", N_better / N.loc["confirmation", "trust"] - 1, "relative growth"),
        ("6.3c", N.loc["confirmation", "trust"] - N_better, "old minus new"),
        ("6.3c", N_dropped - N.loc["confirmation", "trust"], "stays in trust"),
        # 6.4: rescue or end
        ("6.4a", v1, "V1) alone"),
        ("6.4a", v1_undiscounted - v0, "discounted by one year"),
        ("6.4a", v0 - v1, "V0 - V1"),
        ("6.4b", 0.25 * kept, "forgets the cost"),
        ("6.4b", kept - 12_000, "always works"),
        ("6.4b", 0.75 * kept - 12_000, "fails"),
        ("6.4b", 25 * kept - 12_000, "not 25"),
        ("6.4b", 12_000 - 0.25 * kept, "cost minus"),
        ("6.4d", kept, "whole value retained"),
        ("6.4d", 0.75 * kept, "fails"),
        ("6.4d", 25 * kept, "not 25"),
        # 6.5: the care budget
        ("6.5a", plan.table["spend_per_customer"] * segments["customers"], "segment totals"),
        ("6.5a", equal, "equal split (the budget"),
        ("6.5b", plan.total_gain, "whole value gained"),
        ("6.5b", equal_gain, "that is what the equal split gains"),
        ("6.5b", equal_gain - plan.total_gain, "equal split minus best"),
    ]


def test_every_slip_written_as_a_student_would_gets_its_own_hint(nb):
    hinted = set()
    for ex_id, answer, words in _planted(nb):
        slip = _slip(ex_id, words)
        result = checks.exercise(ex_id, answer, echo=False)
        assert result.status == "not yet right", (ex_id, words, result.message)
        assert slip.hint in result.message, (ex_id, words, result.message)
        hinted.add((ex_id, slip.hint))
    declared = {(e.id, s.hint) for e in ENTRIES.values() for s in e.slips}
    assert hinted == declared, f"slips never planted as a student would: {sorted(declared - hinted)}"


def test_chapter_6_covers_the_slips_students_make_most():
    kinds = {s.kind for e in ENTRIES.values() for s in e.slips}
    assert {"off-by-one", "percent", "ratio", "complement", "units", "sign"} <= kinds
    numbers = [e for e in ENTRIES.values() if e.kind in ("number", "array")]
    assert all(e.slips and e.unit and e.explanation for e in numbers)


# ----------------------------------------------------------------------------- choice, labels, written
def test_the_choice_key_and_options_live_in_the_registry(nb, capsys):
    entry = ENTRIES["6.4c"]
    key = registry.reference(entry)
    assert key == ("a" if nb["answer_6_4b"] > 0 else "b")
    checks.show_options("6.4c")
    assert capsys.readouterr().out.splitlines() == [f"({k}) {v}" for k, v in entry.options.items()]
    wrong = next(k for k in entry.options if k != key)
    result = checks.exercise("6.4c", wrong, echo=False)
    assert result.status == "not yet right" and f"({key})" not in result.message
    student = "\n".join(c.source for c in nbformat.read(STUDENT, as_version=4).cells)
    assert all(text not in student for text in entry.options.values())
    assert 'checks.show_options("6.4c")' in student


def test_the_stage_labels_are_checked_against_the_chapters_rule():
    key = registry.reference(ENTRIES["6.2"])
    assert key == ["trust", "confirmation", "cultivation", "weakening", "weakening", "dissolution"]
    wrong = key[:1] + ["weakening"] + key[2:]  # P(alive) exactly 0.5 read as 'below 0.5'
    assert checks.exercise("6.2", wrong, echo=False).status == "not yet right"
    assert checks.exercise("6.2", key[:1] + ["loyal"] + key[2:], echo=False).status == "not yet right"


def test_the_written_answer_has_a_length_and_aspects():
    entry = ENTRIES["6.6"]
    assert entry.min_words == 80 and len(entry.aspects) >= 4 and entry.points == 0
    assert checks.exercise("6.6", "word " * 79, echo=False).status == "not yet right"
    assert checks.exercise("6.6", "word " * 80, echo=False).status == "answered"
    message = checks.exercise("6.6", "too short", echo=False).message
    assert all(aspect in message for aspect in entry.aspects)
