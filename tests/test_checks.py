"""crmlib.checks: every check accepts the right answer, rejects each common kind of wrong answer
with its specific hint, reports an unattempted exercise instead of raising, never reveals the
reference value, never modifies its inputs or any file, and rejects a badly written check
(the exercise author's mistake) with an error naming the argument.

The exercise registries (crmlib/checks/chNN.py): every entry computes its reference, every slip it
declares is planted (the slipped value, computed from the entry's own inputs, is given as the
answer) and must get that slip's own hint, and the slips students make most often are covered.

The "wrong answers" below are the reference transformed by a known slip; the transformations
are textbook identities (a yearly rate compounds a monthly one as (1 + i)**12 - 1, a yearly
retention is the monthly one to the 12th power, 1 minute = 60 seconds), not numbers from a model.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from crmlib import checks


def _hint(result) -> str:
    return result.message.lower()


# ----------------------------------------------------------------------------- check_number
def test_right_answer_passes_within_the_stated_tolerance(capsys):
    r = checks.check_number(266.7, 266.6667, name="Exercise 3.1", unit="US$")
    assert r.passed and r.attempted and r.status == "passed"
    out = capsys.readouterr().out
    assert out.startswith("[passed] Exercise 3.1:") and out.strip() == r.message
    assert not checks.check_number(268.0, 266.6667, name="E", rel_tol=1e-3).passed  # 0.5% off, 0.1% allowed
    assert checks.check_number(268.0, 266.6667, name="E", rel_tol=1e-2).passed


def test_abs_tol_lets_answers_near_zero_pass():
    assert checks.check_number(0.04, 0.0, name="E", abs_tol=0.05).passed
    assert not checks.check_number(0.06, 0.0, name="E", abs_tol=0.05).passed


def test_not_attempted_is_reported_not_raised(capsys):
    r = checks.check_number(..., 0.5, name="Exercise 1.1", variable="answer_1_1")
    assert (r.status, r.attempted, r.passed) == ("not attempted yet", False, False)
    assert "[not attempted yet] Exercise 1.1: replace the ... in answer_1_1" in capsys.readouterr().out
    assert checks.is_placeholder(checks.NOT_ATTEMPTED) and checks.NOT_ATTEMPTED is ...


@pytest.mark.parametrize("reference", [0.427, 0.113, 0.028])
def test_percent_instead_of_fraction(reference):
    r = checks.check_number(reference * 100, reference, name="E", unit="fraction of customers")
    assert r.status == "not yet right" and "percentage" in _hint(r) and "fraction" in _hint(r)


def test_fraction_instead_of_percent():
    r = checks.check_number(0.279, 27.9, name="E", unit="percentage points")
    assert not r.passed and "fraction" in _hint(r) and "100 times too small" in _hint(r)


def test_monthly_instead_of_yearly_rate_by_multiplication():
    yearly = 0.12
    r = checks.check_number(yearly / 12, yearly, name="E", unit="per year")
    assert not r.passed and "monthly and yearly" in _hint(r)
    r = checks.check_number(yearly, yearly / 12, name="E", unit="per month")
    assert not r.passed and "12 times too large" in _hint(r)


@pytest.mark.parametrize(
    "monthly, compound",
    [
        (0.02, lambda m: 1 - (1 - m) ** 12),  # churn: yearly churn = 1 - (1 - monthly churn)**12
        (0.98, lambda m: m**12),  # retention/survival: yearly = monthly**12
        (0.01, lambda m: (1 + m) ** 12 - 1),  # interest/discount rate: (1 + i)**12 - 1
    ],
)
def test_monthly_vs_yearly_by_compounding(monthly, compound):
    yearly = compound(monthly)
    r = checks.check_number(monthly, yearly, name="E", unit="per year")
    assert not r.passed and "monthly value where a yearly one is expected" in _hint(r)
    r = checks.check_number(yearly, monthly, name="E", unit="per month")
    assert not r.passed and "compounded over a year" in _hint(r)


def test_wrong_sign():
    r = checks.check_number(-150.0, 150.0, name="E", unit="US$")
    assert not r.passed and "sign" in _hint(r)


def test_complement_of_a_probability():
    r = checks.check_number(1 - 0.73, 0.73, name="E", unit="probability", low=0, high=1)
    assert not r.passed and "complement" in _hint(r)


def test_off_by_one_period_with_a_callable_reference():
    # finite-horizon value sum_{t=1..T} m r^t / (1+d)^t (Gupta & Lehmann 2003)
    value = lambda T: sum(100 * 0.8**t / 1.1**t for t in range(1, T + 1))
    for wrong, words in ((value(9), "one period too few"), (value(11), "one period too many")):
        r = checks.check_number(wrong, value, period=10, name="E", unit="US$")
        assert not r.passed and words in _hint(r)
    # the sum from t = 0 instead of t = 1 is the reference plus the first margin: not an off-by-one of T
    assert checks.check_number(value(10), value, period=10, name="E").passed


def test_seconds_instead_of_minutes():
    r = checks.check_number(0.5 * 60, 0.5, name="E", unit="minutes")
    assert not r.passed and "seconds and minutes" in _hint(r)


def test_whole_numbers_and_ranges():
    r = checks.check_number(13.2, 14, name="E", integer=True)
    assert not r.passed and "whole number" in _hint(r)
    r = checks.check_number(1.3, 0.8, name="E", low=0, high=1)
    assert not r.passed and "outside the possible range" in _hint(r)


@pytest.mark.parametrize(
    "answer",
    [
        None,
        "0.5",
        "abc",
        [0.5, 0.6],
        np.array([0.5]),
        True,
        {},
        object(),
        float("nan"),
        float("inf"),
        pd.Series([1.0, 2.0]),
    ],
)
def test_unusable_answers_are_explained_never_raised(answer):
    r = checks.check_number(answer, 0.5, name="E", unit="fraction")
    assert r.status == "not yet right" and "expected:" in r.message and "found:" in r.message


def test_a_close_but_wrong_answer_gets_a_direction_not_the_reference():
    ref = 0.4271828
    r = checks.check_number(0.44, ref, name="E")
    assert "higher" in _hint(r) and "0.427" not in r.message
    r = checks.check_number(4.2, 2.0, name="E")
    assert "higher than the reference by more than 5%" in _hint(r) and "2.0" not in r.message


def test_numpy_and_pandas_scalars_are_numbers():
    assert checks.check_number(np.float64(0.5), 0.5, name="E").passed
    assert checks.check_number(np.int64(14), 14, name="E", integer=True).passed
    assert checks.check_number(pd.Series([0.5]).mean(), 0.5, name="E").passed


# ----------------------------------------------------------------------------- check_array
def test_array_passes_and_handles_series_labels():
    ref = pd.Series([0.427, 0.113, 0.028], index=["Month-to-month", "One year", "Two year"])
    assert checks.check_array(ref.iloc[::-1], ref, name="E").passed  # aligned by label
    r = checks.check_array(ref.rename({"Two year": "2 year"}), ref, name="E")
    assert not r.passed and "missing label(s) ['two year']" in _hint(r)
    assert checks.check_array(ref.to_numpy(), ref, name="E").passed  # by position


def test_array_kinds_of_wrong_answers():
    survival = 0.9 ** np.arange(6)
    r = checks.check_array(100 * survival, survival, name="E")
    assert not r.passed and "percentage" in _hint(r)
    r = checks.check_array(-survival, survival, name="E")
    assert not r.passed and "sign" in _hint(r)
    r = checks.check_array(0.9 ** np.arange(1, 7), survival, name="E")
    assert not r.passed and "shifted by one period" in _hint(r)
    r = checks.check_array(survival[:-1], survival, name="E")
    assert not r.passed and "one element too few" in _hint(r)
    r = checks.check_array(np.append(survival, 0.5), survival, name="E")
    assert not r.passed and "one element too many" in _hint(r)
    r = checks.check_array(survival.reshape(2, 3).T, survival.reshape(2, 3), name="E")
    assert not r.passed and "transpose" in _hint(r)
    r = checks.check_array(survival / 12, survival, name="E")
    assert not r.passed and "monthly and yearly" in _hint(r)
    assert checks.check_array(..., survival, name="E").status == "not attempted yet"
    assert checks.check_array("not an array", survival, name="E").status == "not yet right"


# ----------------------------------------------------------------------------- check_frame
def _churn_table():
    return pd.DataFrame(
        {"customers": [3875, 1473, 1695], "churn_rate": [0.427, 0.113, 0.028]},
        index=pd.Index(["Month-to-month", "One year", "Two year"], name="contract"),
    )


def test_frame_passes_in_any_row_and_column_order():
    ref = _churn_table()
    assert checks.check_frame(ref.iloc[::-1][["churn_rate", "customers"]], ref, name="E").passed


def test_frame_kinds_of_wrong_answers():
    ref = _churn_table()
    r = checks.check_frame(ref.assign(churn_rate=ref["churn_rate"] * 100), ref, name="E")
    assert not r.passed and "'churn_rate'" in r.message and "percentage" in _hint(r)
    r = checks.check_frame(ref.assign(churn_rate=-ref["churn_rate"]), ref, name="E")
    assert not r.passed and "sign" in _hint(r)
    r = checks.check_frame(ref.rename(columns={"churn_rate": "churn"}), ref, name="E")
    assert not r.passed and "missing column(s) ['churn_rate']" in r.message
    r = checks.check_frame(ref.iloc[:2], ref, name="E")
    assert not r.passed and "number of rows" in r.message
    r = checks.check_frame(ref.reset_index(), ref, name="E")
    assert not r.passed
    r = checks.check_frame(ref["churn_rate"].to_numpy(), ref, name="E")
    assert not r.passed and "not a table" in r.message
    assert checks.check_frame(..., ref, name="E").status == "not attempted yet"


# ----------------------------------------------------------------------------- labels, choices
def test_labels_scalar_and_vector():
    allowed = ["loyalty", "latent loyalty", "spurious loyalty", "no loyalty"]
    assert checks.check_label("Spurious_Loyalty", "spurious loyalty", name="E", allowed=allowed).passed
    r = checks.check_label("latent loyalty", "spurious loyalty", name="E", allowed=allowed)
    assert not r.passed and "possible label, but not the right one" in r.message
    r = checks.check_label(["loyalty", "no loyalty"], ["loyalty", "latent loyalty"], name="E", allowed=allowed)
    assert not r.passed and "1 of 2 labels" in r.message and "position 1" in r.message
    assert checks.check_label(
        pd.Series(["loyalty", "latent loyalty"]), np.array(["loyalty", "latent loyalty"]), name="E", allowed=allowed
    ).passed
    r = checks.check_label(["loyalty"], ["loyalty", "latent loyalty"], name="E")
    assert not r.passed and "number of labels" in r.message
    assert checks.check_label(3, "loyalty", name="E").status == "not yet right"


def test_choice():
    opts = {"a": "first", "b": "second", "c": "third"}
    assert checks.check_choice(" (B) ", "b", name="E", options=opts).passed
    r = checks.check_choice("c", "b", name="E", options=opts, explanations={"c": "look at the 4s."})
    assert not r.passed and "look at the 4s." in r.message
    assert checks.check_choice("d", "b", name="E", options=opts).status == "not yet right"
    assert checks.check_choice(2, "b", name="E", options=opts).status == "not yet right"
    assert checks.check_choice(..., "b", name="E", options=opts).status == "not attempted yet"


# ----------------------------------------------------------------------------- functions, text
def _value(margin, retention, discount):
    return margin * retention / (1 + discount - retention)  # Gupta & Lehmann (2003) margin multiple


def test_function_checks():
    cases = [dict(margin=100, retention=0.8, discount=0.1), dict(margin=50, retention=0.6, discount=0.05)]
    assert checks.check_function(_value, _value, cases, name="E").passed
    r = checks.check_function(
        lambda margin, retention, discount: -_value(margin, retention, discount), _value, cases, name="E"
    )
    assert not r.passed and "sign" in _hint(r)

    def placeholder(margin, retention, discount):
        return ...

    assert checks.check_function(placeholder, _value, cases, name="E").status == "not attempted yet"
    assert checks.check_function(..., _value, cases, name="E").status == "not attempted yet"
    r = checks.check_function(lambda margin, retention, discount: 1 / 0, _value, cases, name="E")
    assert not r.passed and "ZeroDivisionError" in r.message
    r = checks.check_function(lambda margin, retention, discount: None, _value, cases, name="E")
    assert not r.passed and "return" in r.message
    assert checks.check_function(42, _value, cases, name="E").status == "not yet right"


def test_function_slips_are_computed_per_input():
    def over(m, r, d, T):
        return sum(m * r**t / (1 + d) ** t for t in range(1, T + 1))

    def from_zero(m, r, d, T):
        return sum(m * r**t / (1 + d) ** t for t in range(T))

    hint = "the sum starts at t = 0."
    slips = {hint: from_zero, "never used.": lambda m, r, d, T: 1 / 0}
    r = checks.check_function(from_zero, over, [(100, 0.8, 0.1, 5)], name="E", slips=slips)
    assert not r.passed and hint in r.message
    assert checks.check_function(over, over, [(100, 0.8, 0.1, 5)], name="E", slips=slips).passed
    with pytest.raises(TypeError, match="slips"):
        checks.check_function(over, over, [(1, 0.5, 0.1, 2)], name="E", slips={"hint": 3.0})


def test_written_answers():
    assert checks.check_written(..., name="E").status == "not attempted yet"
    r = checks.check_written("too short", name="E", min_words=10, aspects=["a", "b"])
    assert not r.passed and "too short" in r.message and "a; b" in r.message
    r = checks.check_written("word " * 12, name="E", min_words=10)
    assert r.status == "answered" and r.passed
    assert checks.check_written("顾客满意不等于顾客忠诚" * 3, name="E", min_words=20).status == "answered"
    assert checks.check_written(12, name="E").status == "not yet right"


def test_written_length_puts_english_words_and_chinese_characters_on_one_scale():
    # the rule: English words + 汉字 / 1.5 (translators' ratio, about 1,500 characters per 1,000 words)
    assert checks.CJK_PER_WORD == 1.5
    english = "Losing Mrs Smith costs Jack her expected whole-life profit, about 3,250 dollars."
    n = checks.written_length(english)
    assert (n.words, n.characters, n.length) == (12, 0, 12) and str(n) == "12 words"
    chinese = "失去史密斯太太的代价是她的预期终身利润。"  # 19 汉字 + one full stop
    n = checks.written_length(chinese)
    assert (n.words, n.characters) == (0, 19) and n.length == pytest.approx(19 / 1.5)
    assert str(n) == "19 汉字, about 13 words"
    mixed = checks.written_length("CLV 是客户终身价值 (Cv)。")
    assert (mixed.words, mixed.characters) == (2, 7) and mixed.length == pytest.approx(2 + 7 / 1.5)
    # sixty Chinese characters no longer count as sixty words: 90 are needed, as 60 English words
    assert checks.check_written("顾" * 60, name="E", min_words=60).status == "not yet right"
    assert checks.check_written("顾" * 90, name="E", min_words=60).status == "answered"
    assert checks.check_written("word " * 59, name="E", min_words=60).status == "not yet right"
    assert checks.check_written("word " * 60, name="E", min_words=60).status == "answered"
    r = checks.check_written("顾" * 60, name="E", min_words=60)
    assert "60 汉字, about 40 words" in r.message and "at least 60 words (or 90 汉字)" in r.message
    with pytest.raises(TypeError, match="text"):
        checks.written_length(None)


# ----------------------------------------------------------------------------- ground rules
def test_checks_never_modify_their_inputs_or_write_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    arr = np.array([1.0, 2.0, 3.0])
    ser = pd.Series([0.1, 0.2], index=["a", "b"])
    frame = _churn_table()
    answers = (arr.copy(), ser.copy(), frame.copy())
    checks.check_array(arr, arr * 2, name="E")
    checks.check_array(ser, ser[::-1], name="E")
    checks.check_frame(frame, frame.iloc[::-1], name="E")
    checks.check_number(arr, 1.0, name="E")
    np.testing.assert_array_equal(arr, answers[0])
    pd.testing.assert_series_equal(ser, answers[1])
    pd.testing.assert_frame_equal(frame, answers[2])
    assert list(tmp_path.iterdir()) == []


def test_result_is_immutable_with_a_stable_repr():
    r = checks.check_number(1.0, 1.0, name="Exercise 9.9")
    assert repr(r) == "CheckResult(name='Exercise 9.9', status='passed')"
    assert str(r) == r.message and r._ipython_display_() is None
    with pytest.raises(AttributeError):
        r.status = "failed"


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: checks.check_number(1, 1, name=""), "name"),
        (lambda: checks.check_number(1, 1, name="E", rel_tol=-0.1), "rel_tol"),
        (lambda: checks.check_number(1, "x", name="E"), "reference"),
        (lambda: checks.check_number(1, math.nan, name="E"), "reference"),
        (lambda: checks.check_number(1, [1, 2], name="E"), "reference"),
        (lambda: checks.check_number(1, lambda T: T, name="E"), "period"),
        (lambda: checks.check_array([1], ["a"], name="E"), "reference"),
        (lambda: checks.check_frame(1, [1], name="E"), "reference"),
        (lambda: checks.check_choice("a", "z", name="E", options={"a": "x", "b": "y"}), "correct"),
        (lambda: checks.check_choice("a", "a", name="E", options={"a": "x"}), "options"),
        (lambda: checks.check_label("a", "b", name="E", allowed=["a"]), "allowed"),
        (lambda: checks.check_label("a", [], name="E"), "reference"),
        (lambda: checks.check_function(len, None, [()], name="E"), "reference_func"),
        (lambda: checks.check_function(len, len, [], name="E"), "cases"),
        (lambda: checks.check_written("x", name="E", min_words=0), "min_words"),
    ],
)
def test_author_mistakes_raise_naming_the_argument(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()


def test_every_message_starts_with_a_known_status_tag():
    results = [
        checks.check_number(1, 1, name="E"),
        checks.check_number(2, 1, name="E"),
        checks.check_number(..., 1, name="E"),
        checks.check_written("a b c", name="E", min_words=2),
    ]
    for r in results:
        assert r.status in checks.STATUSES and r.message.startswith(f"[{r.status}] E: ")


def test_exercise_specific_slips_come_first():
    # a 5-minute count where a per-minute rate is expected: the generic factors do not know 5
    r = checks.check_number(
        285.2, 57.04, name="E", unit="calls per minute", slips={"divide the calls per 5-minute interval by 5.": 285.2}
    )
    assert not r.passed and "divide the calls per 5-minute interval by 5." in r.message
    # a factor of 12 that is not months: the exercise's own hint wins over "monthly and yearly"
    r = checks.check_number(
        120.0, 10.0, name="E", unit="agent-hours", slips={"12 five-minute intervals make an hour.": 120.0}
    )
    assert "12 five-minute intervals" in r.message and "monthly" not in r.message
    r = checks.check_array([2.0, 4.0], [1.0, 2.0], name="E", slips={"doubled.": [2.0, 4.0]})
    assert "doubled." in r.message
    with pytest.raises(TypeError, match="slips"):
        checks.check_number(1, 1, name="E", slips=[1.0])
    with pytest.raises(TypeError, match="slips"):
        checks.check_number(1, 1, name="E", slips={"hint": "x"})


from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_answers = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.floats(allow_nan=False), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_references = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).filter(lambda x: abs(x) > 1e-9)


@settings(max_examples=200, deadline=None)
@given(answer=_answers, reference=_references)
def test_property_student_answers_never_raise(answer, reference):
    r = checks.check_number(answer, reference, name="E", unit="US$")
    assert r.status in checks.STATUSES
    r = checks.check_array(answer, [reference, reference], name="E")
    assert r.status in checks.STATUSES


@settings(max_examples=200, deadline=None)
@given(reference=_references, wobble=st.floats(min_value=-0.99, max_value=0.99))
def test_property_answers_within_tolerance_pass_and_never_show_the_reference(reference, wobble):
    # inside the tolerance the answer passes; well outside it fails
    assert checks.check_number(reference * (1 + 0.005 * wobble), reference, name="E").passed
    wrong = reference * (1 + 0.2 + abs(wobble))
    r = checks.check_number(wrong, reference, name="E")
    assert not r.passed
    # the message's fixed text holds "0.5%" and "5%": only references with 3+ digits are recognisable
    assume(len(re.sub(r"\D", "", checks._fmt(reference))) >= 3)
    shown = re.escape(checks._fmt(reference))
    assert not re.search(rf"(?<![\d.,]){shown}(?![\d.,]*\d)", r.message.replace(checks._fmt(wrong), ""))


# ----------------------------------------------------------------------------- the exercise registries
from crmlib.checks import registry  # noqa: E402

CHAPTERS = registry.chapters()
ENTRIES = [e for c in CHAPTERS for e in registry.registry(c).values()]
PLANTED = [(e.id, i) for e in ENTRIES for i in range(len(e.slips))]


def _plant(entry, slip):
    """The answer a student who made ``slip`` gives (for a function: a function that makes it)."""
    if entry.kind == "function":
        return lambda *args, **kwargs: slip.value(*args, **kwargs)
    return registry.slip_value(entry, slip)


def test_chapter_3_has_a_registry_and_ids_resolve():
    assert 3 in CHAPTERS
    assert registry.lookup("3.1a").variable == "answer_3_1a"
    with pytest.raises(KeyError, match="3.9z"):
        checks.exercise("3.9z", 1.0)
    with pytest.raises(ValueError, match="3.1a"):
        checks.exercise("three", 1.0)
    missing = next(c for c in range(100) if c not in CHAPTERS)
    with pytest.raises(LookupError, match=f"chapter {missing} has no exercise registry"):
        checks.exercise(f"{missing}.1", 1.0)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_every_entry_computes_its_reference_and_accepts_it(entry, capsys):
    if entry.kind == "function":
        right = lambda *args, **kwargs: entry.reference(*args, **kwargs)  # noqa: E731
    elif entry.kind == "written":
        right = "word " * entry.min_words
    else:
        right = registry.reference(entry)
    result = checks.exercise(entry.id, right)
    assert result.passed, result.message
    out = capsys.readouterr().out
    assert out.strip() == result.message and out.startswith(f"[{result.status}] Exercise {entry.id}: ")
    if entry.explanation and result.status == "passed":
        assert "why:" in out and entry.explanation in out
    assert checks.exercise(entry.id, ...).status == "not attempted yet"
    assert entry.variable in checks.exercise(entry.id, ...).message
    if entry.kind == "choice":
        key = right
        wrong = next(k for k in entry.options if k != key)
        r = checks.exercise(entry.id, wrong)
        assert not r.passed and "(" + key + ")" not in r.message  # the key is never shown
        capsys.readouterr()
        checks.show_options(entry.id)
        assert capsys.readouterr().out.splitlines()[0].startswith("(a) ")


@pytest.mark.parametrize("exercise_id, k", PLANTED, ids=[f"{i}-slip{k}" for i, k in PLANTED])
def test_every_declared_slip_gets_its_own_hint_when_planted(exercise_id, k):
    entry = registry.lookup(exercise_id)
    slip = entry.slips[k]
    if entry.kind != "function":
        slipped = registry.slip_value(entry, slip)
        ref = registry.reference(entry)
        assert not np.allclose(slipped, ref, rtol=max(entry.rel_tol, 1e-3), atol=entry.abs_tol), (
            "the slip gives the right answer: it cannot be told apart"
        )
    result = checks.exercise(exercise_id, _plant(entry, slip), echo=False)
    assert result.status == "not yet right"
    assert slip.hint in result.message, result.message


def test_chapter_3_covers_the_slips_students_make_most():
    kinds = {s.kind for e in registry.registry(3).values() for s in e.slips}
    assert {"off-by-one", "percent", "ratio", "complement", "units", "sign"} <= kinds
    numbers = [e for e in registry.registry(3).values() if e.kind in ("number", "array", "function")]
    assert all(e.slips for e in numbers), [e.id for e in numbers if not e.slips]


def _said(result) -> str:
    return result.message.split("hint:", 1)[1] if "hint:" in result.message else ""


def test_planted_slips_written_as_a_student_would():
    # 3.2: summing over range(periods), i.e. t = 0 ... T-1 (the slip exercises/README.md promises)
    def value_over(margin, retention_rate, discount_rate, periods):
        return sum(margin * retention_rate**t / (1 + discount_rate) ** t for t in range(periods))

    assert "range(periods)" in _said(checks.exercise("3.2a", value_over, echo=False))
    assert "t = 0 ... 9" in _said(checks.exercise("3.2b", value_over(650, 0.9, 0.08, 10), echo=False))
    # off by one at the other end: ten years counted as nine or eleven
    r = checks.exercise("3.2b", value_over(650, 0.9, 0.08, 12) - 650, echo=False)  # t = 1 ... 11
    assert "one period too many" in _said(r)
    # a discount rate of 10 instead of 0.10
    profits = [80, 90, 100, 100, 90]
    assert "0.10, not as 10" in _said(
        checks.exercise("3.3", sum(p / 11**t for t, p in enumerate(profits, 1)), echo=False)
    )
    # a ratio of 1.46 instead of the change 0.46
    ratio = (650 * 0.95 / (1 + 0.08 - 0.95)) / (650 * 0.90 / (1 + 0.08 - 0.90))
    assert "ratio minus 1" in _said(checks.exercise("3.6a", ratio, echo=False))
    # a percentage (46.2) where a fraction is expected, and the fraction divided by 100 once more
    assert "percent" in _said(checks.exercise("3.6a", 100 * (ratio - 1), echo=False))
    assert "100 times too small" in _said(checks.exercise("3.6a", (ratio - 1) / 100, echo=False))
    # churn used in place of retention
    assert "churn" in _said(checks.exercise("3.1b", 650 * 0.10 / (1 + 0.08 - 0.10), echo=False))
    # weekly instead of yearly
    assert "52 weeks" in _said(checks.exercise("3.1a", 50 * 0.25, echo=False))
    # the wrong sign
    assert "new minus current" in _said(checks.exercise("3.6b", -1300.0, echo=False))


def test_generic_percent_and_fraction_both_ways_and_a_generic_off_by_one():
    assert "percentage" in _said(checks.check_number(46.15, 0.4615, name="E", unit="fraction"))
    assert "fraction (0.25) where a percentage" in _said(checks.check_number(0.4615, 46.15, name="E", unit="%"))
    value = lambda T: sum(100 / 1.1**t for t in range(1, T + 1))  # noqa: E731
    assert "one period too few" in _said(checks.check_number(value(4), value, period=5, name="E"))


def test_registry_entries_are_validated():
    from crmlib.checks.registry import Exercise, Slip

    with pytest.raises(ValueError, match="kind"):
        Exercise("3.9", "guess", variable="x", reference=lambda g: 1)
    with pytest.raises(ValueError, match="id"):
        Exercise("3-9", "number", variable="x", reference=lambda g: 1)
    with pytest.raises(TypeError, match="reference"):
        Exercise("3.9", "number", variable="x", reference=1.0)
    with pytest.raises(ValueError, match="Slip kind"):
        Slip("typo", "hint.", lambda g: 1)
    with pytest.raises(ValueError, match="options"):
        Exercise("3.9", "choice", variable="x", reference=lambda g: "a", options={"a": "only one"})
    with pytest.raises(ValueError, match="slips"):
        Exercise("3.9", "written", variable="x", slips=[Slip("other", "h.", lambda g: 1)])
    assert Exercise("3.9", "written", variable="x").points == 0
    assert Exercise("3.9", "number", variable="x", reference=lambda g: 1).points == 1
