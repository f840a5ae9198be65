"""Chapter 5's exercise registry (crmlib/checks/ch05.py) against its solution notebook.

* the registry's references equal what the solution notebook computes (its cells are run here,
  without the check cells);
* a right answer passes, also when a student computes it another way;
* each slip the registry declares is planted *as a student would write it* (plain waiting calls and
  arithmetic on the notebook's inputs, not the registry's slip functions) and gets its own hint:
  off-by-one sums and staffing, percent vs fraction, complement (waiting vs answered at once), units
  (seconds vs minutes, per interval vs per minute vs per hour, agent-intervals vs agent-hours);
* multiple-choice keys and options live in the registry only.
"""

from __future__ import annotations

import math
from pathlib import Path

import checks_harness as harness
import nbformat
import pytest

from crmlib import checks, waiting
from crmlib.checks import registry

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "05_psychology_of_waiting.ipynb"
STUDENT = ROOT / "exercises" / "05_psychology_of_waiting.ipynb"
ENTRIES = registry.registry(5)


@pytest.fixture(scope="module")
def nb():
    """The namespace of the solution notebook run from the top, check cells left out."""
    return harness.solution_namespace(SOLUTION)


_said = harness.hint_of


def _slip(exercise_id: str, words: str):
    return harness.find_slip(ENTRIES, exercise_id, words)


# ----------------------------------------------------------------------------- the registry
def test_every_check_cell_names_a_chapter_5_entry_and_every_entry_is_checked():
    harness.assert_check_cells_name_every_entry_once(SOLUTION, ENTRIES)


def test_the_registry_reference_equals_what_the_solution_computes(nb):
    harness.assert_solution_equals_registry(nb, ENTRIES)


def test_the_registry_uses_the_notebooks_inputs(nb):
    g = registry.given(ENTRIES["5.2a"])
    assert math.isclose(g.calls_per_hour / 60, nb["arrival_rate"]) and g.handle_time == nb["handle_time"]
    assert g.agents == nb["agents"]
    assert registry.given(ENTRIES["5.4a"]).per_interval.equals(nb["profile"]["mean"])


def test_a_right_answer_passes_also_when_computed_another_way(nb):
    lam, mu = 200 / 60, 1 / 3
    load = lam / mu
    c_wait = waiting.erlang_c(lam, mu, 12)
    rates = nb["profile"]["mean"] / 5
    servers = [waiting.required_servers(r, 1 / 4, 1 / 3, 0.8) for r in rates]
    right = {
        "5.1": waiting.erlang_c,
        "5.2a": 1 - c_wait * math.exp(-(12 * mu - lam) * 20 / 60),
        "5.2b": 60 * c_wait / (12 * mu - lam),
        "5.3": 14,
        "5.4a": rates.max(),
        "5.4b": max(servers),
        "5.4c": sum(servers) / 12,
        "5.5a": waiting.mean_wait(lam, mu, 13) * waiting.perception_factor(waiting.WaitExperience()),
        "5.5c": registry.reference(ENTRIES["5.5c"]).upper(),
        "5.6a": waiting.required_servers(1.5, 0.25, 5, 0.9),
    }
    assert load == pytest.approx(10)
    for ex_id, answer in right.items():
        result = checks.exercise(ex_id, answer, echo=False)
        assert result.status == "passed", result.message
        assert "why:" in result.message
    essay = "顾客等待时，让时间被占用。" * 9  # 99 汉字 (punctuation not counted): 66 words
    assert checks.exercise("5.6b", essay, echo=False).status == "answered"
    assert checks.exercise("5.6b", "Open more desks. " * 10, echo=False).status == "not yet right"


# ----------------------------------------------------------------------------- planted slips
def _by_hand(lam, mu, c, terms, queue=True, rho=None):
    a = lam / mu
    rho = a / c if rho is None else rho
    top = a**c / math.factorial(c) * (1 / (1 - rho) if queue else 1)
    return top / (sum(a**k / math.factorial(k) for k in range(terms)) + top)


def _planted(nb) -> list[tuple[str, object, str]]:
    """(exercise, the answer a student who made the slip gives, words of the hint it must get)."""
    lam, mu = nb["arrival_rate"], 1 / nb["handle_time"]
    wq = waiting.mean_wait(lam, mu, 12)
    profile = nb["profile"]
    per5 = profile["mean"]
    plan = waiting.staffing_plan(per5 / 5, 1 / 4, 20 / 60, 0.8)
    plan_raw = waiting.staffing_plan(per5, 1 / 4, 20 / 60, 0.8)
    plan_20 = waiting.staffing_plan(per5 / 5, 1 / 4, 20, 0.8)
    unmanaged = waiting.WaitExperience()
    managed = waiting.WaitExperience(occupied=True, known=True, explained=True)
    sl = waiting.service_level(lam, mu, 12, 20 / 60)
    return [
        # 5.1: functions with the slip
        ("5.1", lambda a, m, c: _by_hand(a, m, c, c + 1), "range(servers)"),
        ("5.1", lambda a, m, c: _by_hand(a, m, c, c, queue=False), "Erlang B"),
        ("5.1", lambda a, m, c: 1 - _by_hand(a, m, c, c), "answered at once"),
        ("5.1", lambda a, m, c: _by_hand(a, m, c, c, rho=a / m), "load per agent"),
        # 5.2a: the service level
        ("5.2a", waiting.service_level(lam, mu, 12, 20), "20 / 60 minute"),
        ("5.2a", 100 * sl, "that is a percentage"),
        ("5.2a", 1 - sl, "wait longer than 20 seconds"),
        ("5.2a", 1 - waiting.erlang_c(lam, mu, 12), "without any wait"),
        # 5.2b: the average speed of answer
        ("5.2b", wq, "in minutes"),
        ("5.2b", 60 * (wq + 3), "time in the system"),
        ("5.2b", 60 * wq / waiting.erlang_c(lam, mu, 12), "callers who wait"),
        # 5.3: agents for 80/20
        ("5.3", 10, "offered load itself"),
        ("5.3", waiting.required_servers(lam, mu, 20, 0.8), "keep the queue stable"),
        ("5.3", 13, "still below 80%"),
        ("5.3", 15, "beat the target"),
        # 5.4
        ("5.4a", per5.max(), "per 5-minute interval"),
        ("5.4a", 12 * per5.max(), "calls per hour"),
        ("5.4a", (per5 / 5).mean(), "average interval"),
        ("5.4b", plan_raw["servers"].max(), "whole 5-minute interval"),
        ("5.4b", plan_20["servers"].max(), "20 / 60 minute"),
        ("5.4c", plan["servers"].sum(), "agent-intervals"),
        ("5.4c", 5 * plan["servers"].sum(), "agent-minutes"),
        ("5.4c", plan["servers"].max() * len(per5) / 12, "peak staffing all day"),
        ("5.4c", plan_raw["servers"].sum() / 12, "whole 5-minute interval"),
        # 5.5
        ("5.5a", waiting.mean_wait(lam, mu, 13), "clock wait"),
        ("5.5a", 60 * waiting.perceived_wait(waiting.mean_wait(lam, mu, 13), unmanaged), "in seconds"),
        ("5.5a", waiting.perceived_wait(wq, unmanaged), "12 agents of today"),
        ("5.5b", wq, "clock wait"),
        ("5.5b", 60 * waiting.perceived_wait(wq, managed), "in seconds"),
        ("5.5b", waiting.perceived_wait(waiting.mean_wait(lam, mu, 13), managed), "with 13 agents"),
        ("5.5b", waiting.perceived_wait(wq, unmanaged), "unmanaged wait with 12"),
        # 5.6a: desks
        ("5.6a", waiting.required_servers(90, 1 / 4, 5, 0.9), "90 / 60 guests"),
        ("5.6a", waiting.required_servers(90 / 60, 4, 5, 0.9), "1 / 4 per minute"),
        ("5.6a", 90 / 60 * 4, "offered load itself"),
        ("5.6a", waiting.required_servers(90 / 60, 1 / 4, 5, 0.1), "smallest stable"),
        ("5.6a", 9, "so does one fewer"),
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


def test_chapter_5_covers_the_slips_of_a_queueing_chapter():
    kinds = {s.kind for e in ENTRIES.values() for s in e.slips}
    assert {"off-by-one", "percent", "complement", "units"} <= kinds
    numbers = [e for e in ENTRIES.values() if e.kind == "number"]
    assert all(e.slips and e.unit and e.explanation for e in numbers)
    # seconds vs minutes both ways: a target of 20 "minutes", a wait in minutes where seconds are asked
    assert any(s.kind == "units" and "20 / 60" in s.hint for s in ENTRIES["5.2a"].slips)
    assert any(s.kind == "units" and "seconds" in s.hint for s in ENTRIES["5.2b"].slips)


# ----------------------------------------------------------------------------- choice and written
def test_the_choice_key_and_options_live_in_the_registry(nb, capsys):
    entry = ENTRIES["5.5c"]
    key = registry.reference(entry)
    assert key == ("a" if nb["answer_5_5a"] < nb["answer_5_5b"] else "b")
    checks.show_options("5.5c")
    assert capsys.readouterr().out.splitlines() == [f"({k}) {v}" for k, v in entry.options.items()]
    wrong = next(k for k in entry.options if k != key)
    result = checks.exercise("5.5c", wrong, echo=False)
    assert result.status == "not yet right" and f"({key})" not in result.message
    student = "\n".join(c.source for c in nbformat.read(STUDENT, as_version=4).cells)
    assert all(text not in student for text in entry.options.values())
    assert 'checks.show_options("5.5c")' in student


def test_the_written_answer_has_a_length_and_aspects():
    entry = ENTRIES["5.6b"]
    assert entry.min_words == 60 and len(entry.aspects) >= 4 and entry.points == 0
    assert checks.exercise("5.6b", "word " * 59, echo=False).status == "not yet right"
    assert checks.exercise("5.6b", "word " * 60, echo=False).status == "answered"
    message = checks.exercise("5.6b", "too short", echo=False).message
    assert all(aspect in message for aspect in entry.aspects)
