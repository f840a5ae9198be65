"""Friendly answer checks for the exercise notebooks (``exercises/``).

Two layers:

* :func:`exercise` is what a check cell calls: ``checks.exercise("3.1a", answer_3_1a)``.
  It looks the exercise up in its chapter's registry (``crmlib/checks/ch03.py`` for
  ``"3.1a"``; see :mod:`crmlib.checks.registry`), which computes the reference with
  crmlib's own models, knows the tolerance, unit and kind of the answer, the slips
  students make (each with its own hint) and an explanation. The check cell a student
  sees therefore holds no computation and no key.
* the generic checks (:func:`check_number`, :func:`check_array`, :func:`check_frame`,
  :func:`check_label`, :func:`check_choice`, :func:`check_function`,
  :func:`check_written`) compare an answer with a reference given to them. The
  registry calls them; chapters whose exercises are not yet in a registry call them
  directly from their check cells.

Every check prints a short, kind message and returns a :class:`CheckResult`. The
message says

* whether the answer passed, is not yet right, or was not attempted yet;
* what was expected: the kind of object, its shape, its unit, its possible
  range and the tolerance of the comparison;
* what was found; and
* a hint. Common slips get a specific hint: a percentage where a fraction is
  expected (a factor of 100), a monthly rate where a yearly one is expected
  (a factor of 12, or compounding), the wrong sign, the complement
  (churn instead of retention), an off-by-one number of periods, seconds
  instead of minutes. A registry entry adds the slips particular to its
  exercise (a discount rate of 10 instead of 0.10, a ratio of 1.46 instead of
  a change of 0.46, a sum over t = 0 ... T-1).

The reference value itself is never printed, so the message guides without
giving the answer away.

An exercise that still holds the placeholder :data:`NOT_ATTEMPTED` (the
Ellipsis ``...`` that the student copy assigns, e.g. ``answer_3_1 = ...``)
reports ``not attempted yet`` instead of raising, so a student notebook runs
from top to bottom. Checks only read their arguments: they never modify the
answer, the reference, the notebook or any file.

Mistakes of the *exercise author* (a reference that is not a number, a
negative tolerance, a correct option that is not among the options, an unknown
exercise id) raise :class:`ValueError`, :class:`TypeError` or :class:`KeyError`
naming the argument, like the rest of crmlib; mistakes of the *student* never raise.

Each message starts with a status tag in square brackets: ``[passed]``,
``[answered]`` (a written answer recorded; no automatic marking),
``[not yet right]`` or ``[not attempted yet]``. The student's own report
(``python3 suite.py check NOTEBOOK``) and the lecturer's grader
(``python3 suite.py grade FOLDER``) read these statuses.

Every message is written in the notebook's language (:mod:`crmlib.i18n`): after
``i18n.set_language("zh")`` (or inside ``with i18n.language("zh"):``) the status tag
(``[通过]``, ``[已作答]``, ``[尚未答对]``, ``[尚未作答]``), the exercise's name (练习 3.1a), the line
labels, the headline, the hint and the explanation are Chinese, from the catalogue
``crmlib/locale/zh/LC_MESSAGES/crmlib.po``. The texts are translated when a message is built,
so the registries mark theirs with :func:`crmlib.i18n.N_` only; the result's ``status`` and
``name`` stay English (``"passed"``, ``"Exercise 3.1a"``) for the programs that read them.
Written answers may be Chinese: :func:`written_length` counts 1.5 汉字 as one English word.

Examples
--------
>>> from crmlib import checks
>>> r = checks.check_number(0.25, 0.25, name="Exercise 0.1", unit="fraction")
[passed] Exercise 0.1: 0.25 is right (within 0.5% of the reference).
>>> r.passed, r.attempted
(True, True)
>>> _ = checks.check_number(..., 0.25, name="Exercise 0.2", variable="answer_0_2")
[not attempted yet] Exercise 0.2: replace the ... in answer_0_2 with your answer, then run this cell again.
"""

from __future__ import annotations

import contextvars
import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..i18n import N_, gettext, ngettext, pgettext
from ..i18n import gettext as _

__all__ = [
    "NOT_ATTEMPTED",
    "STATUSES",
    "CheckResult",
    "check_array",
    "check_choice",
    "check_frame",
    "check_function",
    "check_label",
    "check_number",
    "check_written",
    "exercise",
    "is_placeholder",
    "show_options",
    "written_length",
]

#: The placeholder a student copy assigns to every answer variable: ``answer = ...``.
NOT_ATTEMPTED = Ellipsis

#: The four outcomes a check can report (the tag that starts every message).
STATUSES = (N_("passed"), N_("answered"), N_("not yet right"), N_("not attempted yet"))

_INDENT = "    "


def is_placeholder(value) -> bool:
    """True when ``value`` is the unattempted-exercise placeholder (``...``).

    Examples
    --------
    >>> is_placeholder(...), is_placeholder(0.0), is_placeholder(None)
    (True, False, False)
    """
    return value is NOT_ATTEMPTED


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: which exercise, its status and the message printed.

    Attributes
    ----------
    name : str
        The exercise, e.g. ``"Exercise 3.1"``.
    status : str
        One of :data:`STATUSES`.
    message : str
        The full message (already printed by the check).
    """

    name: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        """True for ``passed`` and for an ``answered`` written answer."""
        return self.status in ("passed", "answered")

    @property
    def attempted(self) -> bool:
        """False only while the answer is still the placeholder."""
        return self.status != "not attempted yet"

    def __repr__(self) -> str:
        return f"CheckResult(name={self.name!r}, status={self.status!r})"

    def __str__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        # The check already printed its message; showing the result again as the
        # cell's value would only repeat it. (print(result) shows the message.)
        return None


# --------------------------------------------------------------------------- helpers
def _fmt(x) -> str:
    """A short, platform-stable rendering of a number."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}" if abs(int(x)) >= 10_000 else str(int(x))
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x != 0 and (abs(x) >= 1e7 or abs(x) < 1e-4):
        return f"{x:.4g}"
    if abs(x) >= 1000:
        return f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{x:.6g}"


def _unit(unit: str) -> str:
    """A unit as the student reads it (in the current language; the registries mark units with N_, or
    with NP_("unit", ...) where the word is also a column label: "customers" 客户数, as a unit 位客户)."""
    return pgettext("unit", unit) if unit else unit


def _tol_text(rel_tol: float, abs_tol: float, unit: str) -> str:
    parts = []
    if rel_tol > 0:
        pct = rel_tol * 100
        parts.append(_("{pct:g}% of the reference").format(pct=pct))
    if abs_tol > 0:
        parts.append(f"{_fmt(abs_tol)}{' ' + _unit(unit) if unit else ''}")
    if not parts:
        return _("exactly")
    return _("within {tolerance}").format(tolerance=_(" or ").join(parts))


def _describe(value) -> str:
    """What kind of object ``value`` is, for the 'found' line."""
    if value is None:
        return _("None (did the cell assign the result, or does the function return it?)")
    if isinstance(value, (bool, np.bool_)):
        return _("the truth value {value}").format(value=bool(value))
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return _("the text {text}").format(text=repr(short))
    english = _KIND_NAMES.get(type(value).__name__, type(value).__name__)
    kind = gettext(english)
    an = english[0] in "aeiou"
    shape = getattr(value, "shape", None)
    if shape is not None and shape != ():
        text = _("an {kind} of shape {shape}") if an else _("a {kind} of shape {shape}")
        return text.format(kind=kind, shape=tuple(shape))
    if isinstance(value, (list, tuple, set, dict)):
        text = _("an {kind} with {count} element(s)") if an else _("a {kind} with {count} element(s)")
        return text.format(kind=kind, count=len(value))
    return (_("an {kind}") if an else _("a {kind}")).format(kind=kind)


_KIND_NAMES = {
    "ndarray": N_("numpy array"),
    "Series": N_("pandas Series"),
    "DataFrame": N_("pandas DataFrame"),
    "int": N_("whole number (int)"),
    "float": N_("number (float)"),
    "function": N_("function"),
    "NoneType": "None",
    "ellipsis": N_("placeholder ..."),
    "list": N_("list"),
    "tuple": N_("tuple"),
    "dict": N_("dict"),
    "set": N_("set"),
}
_DIMENSIONLESS = ("", "fraction", "share", "proportion", "probability", "ratio", "times")


def _with_unit(text: str, unit: str) -> str:
    return text if unit.split(" ")[0].lower() in _DIMENSIONLESS else f"{text} {_unit(unit)}"


def _code(value, context: str | None = None) -> str:
    """A label code as the student typed it, with its name in the current language beside it.

    >>> from crmlib import i18n
    >>> with i18n.language("zh"):
    ...     print(_code("latent loyalty"), _code("no such label"), _code(3))
    'latent loyalty'（潜在忠诚） 'no such label' 3
    >>> _code("latent loyalty")
    "'latent loyalty'"
    """
    shown = repr(value)
    if not isinstance(value, str):
        return shown
    name = gettext(value) if context is None else pgettext(context, value)
    return shown if name == value else f"{shown}（{name}）"  # only a translated language differs


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!", "。", "？", "！")) else text + _(".")


def _check_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty string such as 'Exercise 3.1'; got {name!r}")
    return name.strip()


def _check_tols(rel_tol, abs_tol):
    rel_tol = _validate.non_negative("rel_tol", rel_tol)
    abs_tol = _validate.non_negative("abs_tol", abs_tol)
    return rel_tol, abs_tol


# False while exercise() (or the grader) builds a message that it prints (or stores) itself.
_PRINT = contextvars.ContextVar("crmlib_checks_print", default=True)


# The labels of a message's lines (translated where the message is built).
_LINE_LABELS = {
    "expected": N_("expected:"),
    "found": N_("found:"),
    "hint": N_("hint:"),
    "why": N_("why:"),
    "compare": N_("compare:"),
}


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns; a Chinese character takes two columns."""
    return text + " " * max(width - _columns(text), 0)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(lines: Sequence[tuple[str, str]]) -> str:
    """The message's labelled lines, their bodies aligned after the longest label of the language:
    ``expected: `` in English (ten columns); in Chinese the labels (``原因：``) are equally wide and
    their full-width colon is the space."""
    labels = {key: gettext(text) for key, text in _LINE_LABELS.items()}
    width = max(_columns(text) for text in labels.values())
    return "".join(
        f"\n{_INDENT}{_pad(labels[key], width)}{'' if labels[key].endswith('：') else ' '}{body}"
        for key, body in lines
        if body
    )


_EXERCISE_NAME = re.compile(r"^Exercise (\S+)$")


def _shown_name(name: str) -> str:
    """The exercise's name as the student reads it: "Exercise 3.1a" is 练习 3.1a in Chinese."""
    m = _EXERCISE_NAME.match(name)
    return _("Exercise {id}").format(id=m.group(1)) if m else name


def _status_tag(status: str) -> str:
    """The tag that starts a message of ``status`` in the current language: ``[passed]``, ``[通过]``."""
    return "[" + gettext(status) + "]"


def _emit(name: str, status: str, headline: str, lines: Sequence[tuple[str, str]] = ()) -> CheckResult:
    text = _("{tag} {name}: {headline}").format(tag=_status_tag(status), name=_shown_name(name), headline=headline)
    text += _lines(lines)
    if _PRINT.get():
        print(text)
    return CheckResult(name=name, status=status, message=text)


def _not_attempted(name: str, variable: str | None) -> CheckResult:
    if variable:
        text = _("replace the ... in {variable} with your answer, then run this cell again.").format(variable=variable)
    else:
        text = _("replace the ... with your answer, then run this cell again.")
    return _emit(name, "not attempted yet", text)


def _close(a, r, rel_tol: float, abs_tol: float):
    a = np.asarray(a, dtype=float)
    r = np.asarray(r, dtype=float)
    return np.abs(a - r) <= np.maximum(rel_tol * np.abs(r), abs_tol)


def _percent_expected(unit: str) -> bool:
    u = unit.lower()
    return "%" in u or "percent" in u


# (factor, what a factor of this size usually means). Checked in both directions.
_FACTORS = (
    (12.0, N_("monthly and yearly figures (12 months a year)")),
    (52.0, N_("weekly and yearly figures (52 weeks a year)")),
    (52.0 / 12.0, N_("weekly and monthly figures (about 4.33 weeks a month)")),
    (7.0, N_("daily and weekly figures (7 days a week)")),
    (365.0, N_("daily and yearly figures (365 days a year)")),
    (60.0, N_("seconds and minutes, or minutes and hours (a factor of 60)")),
    (3600.0, N_("seconds and hours (a factor of 3,600)")),
    (24.0, N_("hours and days (a factor of 24)")),
    (1000.0, N_("units and thousands (a factor of 1,000)")),
)
# (periods per year, the hint when the answer is compounded up, the hint when it is not compounded)
_COMPOUND = (
    (
        12,
        N_(
            "this looks like the monthly value compounded over a year, where the monthly one is expected: a "
            "yearly retention r gives r**(1/12) per month, a yearly churn c gives 1 - (1 - c)**(1/12), a "
            "yearly interest rate i gives (1 + i)**(1/12) - 1."
        ),
        N_(
            "this looks like a monthly value where a yearly one is expected: compound it over 12 months "
            "(retention r**12, churn 1 - (1 - c)**12, interest (1 + i)**12 - 1) rather than multiplying by "
            "12."
        ),
    ),
    (
        52,
        N_(
            "this looks like the weekly value compounded over a year, where the weekly one is expected: a "
            "yearly retention r gives r**(1/52) per week, a yearly churn c gives 1 - (1 - c)**(1/52), a "
            "yearly interest rate i gives (1 + i)**(1/52) - 1."
        ),
        N_(
            "this looks like a weekly value where a yearly one is expected: compound it over 52 weeks "
            "(retention r**52, churn 1 - (1 - c)**52, interest (1 + i)**52 - 1) rather than multiplying by "
            "52."
        ),
    ),
    (
        4,
        N_(
            "this looks like the quarterly value compounded over a year, where the quarterly one is expected:"
            " a yearly retention r gives r**(1/4) per quarter, a yearly churn c gives 1 - (1 - c)**(1/4), a "
            "yearly interest rate i gives (1 + i)**(1/4) - 1."
        ),
        N_(
            "this looks like a quarterly value where a yearly one is expected: compound it over 4 quarters "
            "(retention r**4, churn 1 - (1 - c)**4, interest (1 + i)**4 - 1) rather than multiplying by 4."
        ),
    ),
)


def _diagnose(
    answer: np.ndarray,
    ref: np.ndarray,
    rel_tol: float,
    abs_tol: float,
    unit: str,
    alternatives: Sequence[tuple[str, np.ndarray]] = (),
) -> str:
    """Name the most likely slip that turns ``ref`` into ``answer`` (elementwise, all must match)."""
    rt = max(rel_tol, 1e-3)

    def match(candidate) -> bool:
        candidate = np.asarray(candidate, dtype=float)
        return bool(np.all(np.isfinite(candidate)) and np.all(_close(answer, candidate, rt, abs_tol)))

    for hint, candidate in alternatives:
        if candidate.shape == ref.shape and match(candidate):
            return hint
    nonzero = bool(np.all(ref != 0))
    if nonzero and match(-ref):
        return _("the size is right but the sign is not: check which way round the difference goes (gain vs cost).")
    if nonzero and match(ref * 100):
        if _percent_expected(unit):
            return _("100 times too large.")
        return _("100 times too large: it looks like a percentage (25 for 25%) where a fraction (0.25) is expected.")
    if nonzero and match(ref / 100):
        if _percent_expected(unit):
            return _(
                "100 times too small: it looks like a fraction (0.25) where a percentage (25 for 25%) is expected."
            )
        return _("100 times too small: did you divide by 100 once too often?")
    in_unit = bool(np.all((ref >= 0) & (ref <= 1)))
    if in_unit and bool(np.any((ref > 0) & (ref < 1))) and match(1 - ref):
        return _(
            "this is one minus the expected value: did you give the complement "
            "(e.g. churn instead of retention, 'no wait' instead of 'wait')?"
        )
    if nonzero:
        for factor, meaning in _FACTORS:
            if match(ref * factor):
                return _("about {factor:.3g} times too large: did you mix up {meaning}?").format(
                    factor=factor, meaning=gettext(meaning)
                )
            if match(ref / factor):
                return _("about {factor:.3g} times too small: did you mix up {meaning}?").format(
                    factor=factor, meaning=gettext(meaning)
                )
    if in_unit:
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            for n, up_hint, down_hint in _COMPOUND:
                up = ((1 + ref) ** n - 1, ref**n, 1 - (1 - ref) ** n)
                down = ((1 + ref) ** (1 / n) - 1, ref ** (1 / n), 1 - (1 - ref) ** (1 / n))
                if any(match(c) for c in up):
                    return gettext(up_hint)
                if any(match(c) for c in down):
                    return gettext(down_hint)
    return ""


def _slips(slips) -> list[tuple[str, np.ndarray]]:
    if slips is None:
        return []
    if not isinstance(slips, Mapping):
        raise TypeError(f"slips must map a hint to the value its mistake gives; got {slips!r}")
    out = []
    for hint, value in slips.items():
        if not isinstance(hint, str) or not hint.strip():
            raise TypeError(f"slips keys must be hint texts; got {hint!r}")
        out.append((hint.strip(), np.asarray(_validate.as_float(f"slips[{hint!r}]", value), dtype=float)))
    return out


def _direction(answer: float, ref: float) -> str:
    if ref == 0:
        return _("too high.") if answer > ref else _("too low.")
    gap = abs(answer - ref) / abs(ref)
    if gap <= 0.05:
        if answer > ref:
            return _(
                "close, but a little higher than the reference (within 5%): check rounding "
                "inside the calculation and the inputs you used."
            )
        return _(
            "close, but a little lower than the reference (within 5%): check rounding "
            "inside the calculation and the inputs you used."
        )
    if answer > ref:
        return _("higher than the reference by more than 5%: retrace the steps and the inputs.")
    return _("lower than the reference by more than 5%: retrace the steps and the inputs.")


def _scalar(value):
    """Return (float, None) for a usable number, or (None, why-not) otherwise."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return None, _("expected a number")
    if isinstance(value, str):
        try:
            float(value.replace(",", ""))
        except ValueError:
            return None, _("expected a number, not text")
        return None, _("expected a number, not text: remove the quotes around it")
    if isinstance(value, numbers.Real):
        return float(value), None
    shape = getattr(value, "shape", None)
    if shape == () and np.issubdtype(getattr(value, "dtype", np.dtype(object)), np.number):
        return float(value), None
    size = getattr(value, "size", None)
    if size is None and isinstance(value, (list, tuple)):
        size = len(value)
    if size == 1:
        return None, _("expected a single number, not a container holding one: take it out with float(x) (or x.item())")
    if size is not None:
        return None, _("expected a single number, not several: which one does the exercise ask for?")
    return None, _("expected a number")


# --------------------------------------------------------------------------- numbers
def check_number(
    answer,
    reference,
    *,
    name: str,
    unit: str = "",
    rel_tol: float = 5e-3,
    abs_tol: float = 0.0,
    period: int | None = None,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    slips: Mapping[str, float] | None = None,
    variable: str | None = None,
) -> CheckResult:
    """Check a single number against a reference computed by crmlib.

    Parameters
    ----------
    answer : number
        The student's answer (or the placeholder ``...``).
    reference : number or callable
        The right value, computed at run time. A callable ``reference(T)`` is
        evaluated at ``period``; it is then also evaluated at ``period - 1`` and
        ``period + 1`` to recognise an off-by-one number of periods.
    name : str
        The exercise, e.g. ``"Exercise 3.1"``.
    unit : str, optional
        The unit of the answer (``"US$"``, ``"minutes"``, ``"fraction"``, ``"%"``),
        printed in the messages. ``"%"`` means a percentage is expected.
    rel_tol, abs_tol : float, optional
        The answer passes when ``|answer - reference| <= max(rel_tol * |reference|, abs_tol)``
        (default: within 0.5%).
    period : int, optional
        The number of periods ``T`` at which a callable ``reference`` is evaluated.
    low, high : float, optional
        The range any sensible answer lies in (e.g. 0 and 1 for a probability);
        an answer outside it gets that as its hint.
    integer : bool, optional
        The answer must be a whole number (e.g. a number of servers).
    slips : mapping of str to number, optional
        Mistakes particular to the exercise: hint -> the value the mistake produces
        (computed in the check cell, e.g. the service level with the target time in
        seconds instead of minutes). Tried before the generic slips.
    variable : str, optional
        The name of the answer variable, used in the "not attempted" message.

    Returns
    -------
    CheckResult
        Its message has already been printed.

    Raises
    ------
    TypeError, ValueError
        When the *reference* or an option is unusable (a mistake in the exercise,
        not in the answer).

    Examples
    --------
    A percentage where a fraction is expected, and a monthly rate where a
    yearly one is expected:

    >>> _ = check_number(42.7, 0.427, name="Exercise 4.1", unit="fraction of customers")
    [not yet right] Exercise 4.1: not the expected value.
        expected: a number (fraction of customers), within 0.5% of the reference
        found:    42.7
        hint:     100 times too large: it looks like a percentage (25 for 25%) where a fraction (0.25) is expected.
    >>> _ = check_number(0.01, 0.12, name="Exercise 3.2", unit="per year")
    [not yet right] Exercise 3.2: not the expected value.
        expected: a number (per year), within 0.5% of the reference
        found:    0.01
        hint:     about 12 times too small: did you mix up monthly and yearly figures (12 months a year)?

    An off-by-one number of periods, recognised through a callable reference:

    >>> value = lambda T: sum(100 / 1.1 ** t for t in range(1, T + 1))
    >>> _ = check_number(value(4), value, period=5, name="Exercise 3.3", unit="US$")
    [not yet right] Exercise 3.3: not the expected value.
        expected: a number (US$), within 0.5% of the reference
        found:    316.987
        hint:     this is the value for 4 periods, one period too few: count the periods again (does the sum start at t = 0 or t = 1, does it include the last one?).
    """
    name = _check_name(name)
    rel_tol, abs_tol = _check_tols(rel_tol, abs_tol)
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a string; got {unit!r}")
    alternatives: list[tuple[str, np.ndarray]] = _slips(slips)
    if callable(reference):
        if period is None:
            raise ValueError("period must be given when reference is a callable reference(T)")
        period = _validate.integer("period", period, minimum=0)
        ref = _validate.as_float("reference(period)", reference(period))
        for other, words in ((period - 1, N_("one period too few")), (period + 1, N_("one period too many"))):
            if other < 0:
                continue
            try:
                alt = float(_validate.as_float("reference(period)", reference(other)))
            except (TypeError, ValueError, ZeroDivisionError, OverflowError):
                continue
            alternatives.append(
                (
                    _(
                        "this is the value for {periods} periods, {words}: count the periods again (does the sum "
                        "start at t = 0 or t = 1, does it include the last one?)."
                    ).format(periods=other, words=gettext(words)),
                    np.asarray(alt),
                )
            )
    else:
        ref = _validate.as_float("reference", reference)
    if np.ndim(ref) != 0:
        raise ValueError(
            f"reference must be a single number for check_number; got {_validate._show(ref)}"
            " (use check_array for arrays)"
        )
    ref = float(ref)
    if is_placeholder(answer):
        return _not_attempted(name, variable)
    u = _(" ({unit})").format(unit=_unit(unit)) if unit else ""
    expected = _("{kind}{unit}, {tolerance}").format(
        kind=_("a whole number") if integer else _("a number"), unit=u, tolerance=_tol_text(rel_tol, abs_tol, unit)
    )
    if low is not None or high is not None:
        lo = "-inf" if low is None else _fmt(low)
        hi = "inf" if high is None else _fmt(high)
        expected += _(", in [{low}, {high}]").format(low=lo, high=hi)
    value, why = _scalar(answer)
    if value is None:
        return _emit(
            name,
            "not yet right",
            _("the answer is not a single number."),
            [("expected", expected), ("found", _describe(answer)), ("hint", _sentence(why))],
        )
    found = _fmt(value)
    if not math.isfinite(value):
        return _emit(
            name,
            "not yet right",
            _("the answer is not a finite number."),
            [
                ("expected", expected),
                ("found", found),
                ("hint", _("a division by zero or the log of zero somewhere? Print the intermediate results.")),
            ],
        )
    if integer and value != round(value):
        return _emit(
            name,
            "not yet right",
            _("the answer should be a whole number."),
            [
                ("expected", expected),
                ("found", found),
                (
                    "hint",
                    _(
                        "round to a whole number the way the question needs it (servers, staff and "
                        "customers come whole: round up to meet a target)."
                    ),
                ),
            ],
        )
    if bool(_close(value, ref, rel_tol, abs_tol)):
        tol = _tol_text(rel_tol, abs_tol, unit)
        return _emit(
            name, "passed", _("{value} is right ({tolerance}).").format(value=_with_unit(found, unit), tolerance=tol)
        )
    if (low is not None and value < low) or (high is not None and value > high):
        hint = _("a sensible answer lies in [{low}, {high}]{unit}. ").format(
            low="-inf" if low is None else _fmt(low),
            high="inf" if high is None else _fmt(high),
            unit=_(" ({unit})").format(unit=_unit(unit)) if unit else "",
        )
        slip = _diagnose(np.asarray(value), np.asarray(ref), rel_tol, abs_tol, unit, alternatives)
        return _emit(
            name,
            "not yet right",
            _("the answer is outside the possible range."),
            [("expected", expected), ("found", found), ("hint", hint + (slip or _("Check the units.")))],
        )
    slip = _diagnose(np.asarray(value), np.asarray(ref), rel_tol, abs_tol, unit, alternatives)
    return _emit(
        name,
        "not yet right",
        _("not the expected value."),
        [("expected", expected), ("found", found), ("hint", slip or _direction(value, ref))],
    )


# --------------------------------------------------------------------------- arrays
def _numeric_array(value):
    if value is None or isinstance(value, (str, bytes, numbers.Number, bool)):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def check_array(
    answer,
    reference,
    *,
    name: str,
    unit: str = "",
    rel_tol: float = 5e-3,
    abs_tol: float = 0.0,
    slips: Mapping[str, object] | None = None,
    variable: str | None = None,
) -> CheckResult:
    """Check an array (list, ndarray or pandas Series) of numbers element by element.

    A pandas Series reference is compared by index label when the answer is a
    Series too (missing or extra labels are reported), otherwise by position.
    Besides the slips :func:`check_number` recognises (for the array as a
    whole), it recognises a result shifted by one period and a result one
    element too long or too short.

    Parameters
    ----------
    answer : array-like
        The student's answer (or ``...``).
    reference : array-like
        The right values, computed at run time by crmlib.
    name, unit, rel_tol, abs_tol, slips, variable
        As in :func:`check_number` (here a slip's value is an array).

    Returns
    -------
    CheckResult

    Raises
    ------
    TypeError, ValueError
        When the reference is not an array of finite numbers.

    Examples
    --------
    >>> survival = [1.0, 0.8, 0.64, 0.512]
    >>> _ = check_array([0.8, 0.64, 0.512, 0.4096], survival, name="Exercise 3.4")
    [not yet right] Exercise 3.4: not the expected values.
        expected: 4 numbers, within 0.5% of the reference
        found:    4 numbers, 4 of them differ (first at position 0: 0.8)
        hint:     your values are shifted by one period (yours start one period later): does the first period count as t = 0 or t = 1?
    >>> _ = check_array([1, 0.8, 0.64], survival, name="Exercise 3.4")
    [not yet right] Exercise 3.4: the answer has the wrong shape.
        expected: 4 numbers, within 0.5% of the reference
        found:    a list with 3 element(s), shape (3,)
        hint:     one element too few: does the range of periods start at 0 and include the last one?
    """
    name = _check_name(name)
    rel_tol, abs_tol = _check_tols(rel_tol, abs_tol)
    ref_index = getattr(reference, "index", None) if hasattr(reference, "to_numpy") else None
    if isinstance(reference, str):
        raise TypeError(f"reference must be an array of numbers; got {reference!r}")
    ref = np.atleast_1d(np.asarray(_validate.as_float("reference", reference), dtype=float))
    alternatives = [(h, np.atleast_1d(v)) for h, v in _slips(slips)]
    if is_placeholder(answer):
        return _not_attempted(name, variable)
    u = _(" ({unit})").format(unit=_unit(unit)) if unit else ""
    shape_text = (
        _("{count} numbers").format(count=ref.size)
        if ref.ndim == 1
        else _("an array of shape {shape}").format(shape=ref.shape)
    )
    expected = _("{kind}{unit}, {tolerance}").format(
        kind=shape_text, unit=u, tolerance=_tol_text(rel_tol, abs_tol, unit)
    )
    arr = _numeric_array(answer)
    if arr is None:
        return _emit(
            name,
            "not yet right",
            _("the answer is not an array of numbers."),
            [
                ("expected", expected),
                ("found", _describe(answer)),
                ("hint", _("give a list, numpy array or pandas Series of numbers.")),
            ],
        )
    ans_index = getattr(answer, "index", None) if hasattr(answer, "to_numpy") and np.ndim(answer) == 1 else None
    if ref_index is not None and ans_index is not None and not ref_index.equals(ans_index):
        missing = [k for k in ref_index if k not in set(ans_index)]
        extra = [k for k in ans_index if k not in set(ref_index)]
        if missing or extra:
            found = _("a Series with {count} labels").format(count=len(ans_index))
            hint = []
            if missing:
                hint.append(_("missing label(s) {labels}").format(labels=missing[:5]))
            if extra:
                hint.append(_("unexpected label(s) {labels}").format(labels=extra[:5]))
            return _emit(
                name,
                "not yet right",
                _("the labels of the answer are not the expected ones."),
                [
                    (
                        "expected",
                        _("{kind} labelled {labels}").format(kind=shape_text, labels=list(ref_index[:5]))
                        + (" ..." if len(ref_index) > 5 else ""),
                    ),
                    ("found", found),
                    ("hint", _("; ").join(hint) + _(".")),
                ],
            )
        arr = np.asarray(answer.reindex(ref_index), dtype=float)
    if arr.shape != ref.shape:
        found = (
            _("{kind}, shape {shape}").format(kind=_describe(answer), shape=arr.shape)
            if not hasattr(answer, "shape")
            else _describe(answer)
        )
        if arr.ndim == ref.ndim == 1 and abs(arr.size - ref.size) == 1:
            hint = (
                _("one element too many: does the range of periods start at 0 and include the last one?")
                if arr.size > ref.size
                else _("one element too few: does the range of periods start at 0 and include the last one?")
            )
        elif arr.shape == ref.shape[::-1]:
            hint = _("rows and columns are swapped: transpose it (.T).")
        elif arr.size == ref.size:
            hint = _("the right number of values in the wrong shape: reshape to {shape}.").format(shape=ref.shape)
        else:
            hint = _("the exercise asks for {kind}.").format(kind=shape_text)
        return _emit(
            name,
            "not yet right",
            _("the answer has the wrong shape."),
            [("expected", expected), ("found", found), ("hint", hint)],
        )
    if not np.all(np.isfinite(arr)):
        idx = int(np.flatnonzero(~np.isfinite(arr.ravel()))[0])
        return _emit(
            name,
            "not yet right",
            _("the answer holds values that are not finite numbers."),
            [
                ("expected", expected),
                ("found", _("{value} at position {position}").format(value=_fmt(arr.ravel()[idx]), position=idx)),
                ("hint", _("a division by zero or the log of zero somewhere? Print the intermediate results.")),
            ],
        )
    ok = _close(arr, ref, rel_tol, abs_tol)
    if bool(np.all(ok)):
        return _emit(
            name,
            "passed",
            _("all {count} values are right ({tolerance}).").format(
                count=ref.size, tolerance=_tol_text(rel_tol, abs_tol, unit)
            ),
        )
    bad = np.flatnonzero(~ok.ravel())
    first = int(bad[0])
    found = _("{count} numbers, {bad} of them differ (first at position {position}: {value})").format(
        count=ref.size, bad=bad.size, position=first, value=_fmt(arr.ravel()[first])
    )
    slip = _diagnose(arr, ref, rel_tol, abs_tol, unit, alternatives) if alternatives else ""
    if not slip and ref.ndim == 1 and ref.size >= 3:
        rt = max(rel_tol, 1e-3)
        if bool(np.all(_close(arr[:-1], ref[1:], rt, abs_tol))):
            slip = _(
                "your values are shifted by one period (yours start one period later): does the first "
                "period count as t = 0 or t = 1?"
            )
        elif bool(np.all(_close(arr[1:], ref[:-1], rt, abs_tol))):
            slip = _(
                "your values are shifted by one period (yours start one period earlier): does the first "
                "period count as t = 0 or t = 1?"
            )
    if not slip:
        slip = _diagnose(arr, ref, rel_tol, abs_tol, unit)
    if not slip:
        slip = (
            _("compare your value at that position with a hand calculation for the same inputs.")
            if bad.size < ref.size
            else _("every value differs: check the formula and the inputs.")
        )
    return _emit(
        name, "not yet right", _("not the expected values."), [("expected", expected), ("found", found), ("hint", slip)]
    )


# --------------------------------------------------------------------------- frames
def check_frame(
    answer,
    reference,
    *,
    name: str,
    rel_tol: float = 5e-3,
    abs_tol: float = 0.0,
    check_index: bool = True,
    variable: str | None = None,
) -> CheckResult:
    """Check a pandas DataFrame column by column against a reference frame.

    Column names must match (order does not matter); numeric columns are
    compared within the tolerance, other columns exactly; with
    ``check_index=True`` the row labels must match too (rows are aligned by
    label, so their order does not matter).

    Parameters
    ----------
    answer : pandas.DataFrame
    reference : pandas.DataFrame
        Computed at run time by crmlib.
    name, rel_tol, abs_tol, variable
        As in :func:`check_number`.
    check_index : bool, optional
        Compare row labels (default) or only positions.

    Returns
    -------
    CheckResult

    Raises
    ------
    TypeError
        When the reference is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> ref = pd.DataFrame({"contract": ["a", "b"], "churn_rate": [0.427, 0.113]})
    >>> _ = check_frame(ref.assign(churn_rate=[42.7, 11.3]), ref, name="Exercise 4.2")
    [not yet right] Exercise 4.2: column 'churn_rate' is not right.
        expected: 2 rows x 2 columns ['contract', 'churn_rate'], numbers within 0.5% of the reference
        found:    2 values of 'churn_rate' differ (first in row 0: 42.7)
        hint:     100 times too large: it looks like a percentage (25 for 25%) where a fraction (0.25) is expected.
    """
    import pandas as pd

    name = _check_name(name)
    rel_tol, abs_tol = _check_tols(rel_tol, abs_tol)
    if not isinstance(reference, pd.DataFrame):
        raise TypeError(f"reference must be a pandas DataFrame; got {type(reference).__name__}")
    if is_placeholder(answer):
        return _not_attempted(name, variable)
    cols = list(reference.columns)
    expected = _("{rows} rows x {columns} columns {names}, numbers {tolerance}").format(
        rows=len(reference), columns=len(cols), names=cols, tolerance=_tol_text(rel_tol, abs_tol, "")
    )
    if isinstance(answer, pd.Series) and answer.name is not None and len(cols) == 1:
        answer = answer.to_frame()
    if not isinstance(answer, pd.DataFrame):
        return _emit(
            name,
            "not yet right",
            _("the answer is not a table (pandas DataFrame)."),
            [
                ("expected", expected),
                ("found", _describe(answer)),
                (
                    "hint",
                    _(
                        "build it with pandas, e.g. df.groupby(...).agg(...) or pd.DataFrame({...}); "
                        "a Series becomes a one-column frame with .to_frame()."
                    ),
                ),
            ],
        )
    missing = [c for c in cols if c not in answer.columns]
    extra = [c for c in answer.columns if c not in cols]
    if missing:
        hint = _("missing column(s) {columns}").format(columns=missing)
        if extra:
            hint += _("; the answer has {columns} instead (rename them with .rename(columns={{...}}))").format(
                columns=extra
            )
        return _emit(
            name,
            "not yet right",
            _("the table does not have the expected columns."),
            [
                ("expected", expected),
                ("found", _("columns {columns}").format(columns=list(answer.columns))),
                ("hint", hint + _(".")),
            ],
        )
    if len(answer) != len(reference):
        return _emit(
            name,
            "not yet right",
            _("the table has the wrong number of rows."),
            [
                ("expected", expected),
                ("found", _("{rows} rows").format(rows=len(answer))),
                ("hint", _("one row per group: check the grouping column and any filter.")),
            ],
        )
    if check_index:
        if not answer.index.equals(reference.index):
            if set(answer.index) != set(reference.index):
                missing_rows = [k for k in reference.index if k not in set(answer.index)][:5]
                return _emit(
                    name,
                    "not yet right",
                    _("the row labels are not the expected ones."),
                    [
                        (
                            "expected",
                            _("row labels {labels}").format(labels=list(reference.index[:5]))
                            + (" ..." if len(reference) > 5 else ""),
                        ),
                        (
                            "found",
                            _("row labels {labels}").format(labels=list(answer.index[:5]))
                            + (" ..." if len(answer) > 5 else ""),
                        ),
                        (
                            "hint",
                            _("missing row label(s) {labels}; did you reset or set the index?").format(
                                labels=missing_rows
                            ),
                        ),
                    ],
                )
            answer = answer.loc[reference.index]
    else:
        answer = answer.set_axis(reference.index, axis=0)
    for col in cols:
        r = reference[col]
        a = answer[col]
        if pd.api.types.is_numeric_dtype(r) and not pd.api.types.is_bool_dtype(r):
            a_num = pd.to_numeric(a, errors="coerce")
            if a_num.isna().any() and not r.isna().any():
                return _emit(
                    name,
                    "not yet right",
                    _("column {column} is not numeric.").format(column=repr(col)),
                    [
                        ("expected", expected),
                        ("found", _("column {column} of dtype {dtype}").format(column=repr(col), dtype=a.dtype)),
                        ("hint", _("convert it with pd.to_numeric, and check for text such as '42%'.")),
                    ],
                )
            av, rv = a_num.to_numpy(dtype=float), r.to_numpy(dtype=float)
            both_nan = np.isnan(av) & np.isnan(rv)
            ok = both_nan | _close(np.nan_to_num(av, nan=np.inf), np.nan_to_num(rv, nan=-np.inf), rel_tol, abs_tol)
            if not bool(np.all(ok)):
                bad = np.flatnonzero(~ok)
                slip = (
                    _diagnose(av, rv, rel_tol, abs_tol, "")
                    if np.all(np.isfinite(av)) and np.all(np.isfinite(rv))
                    else ""
                )
                return _emit(
                    name,
                    "not yet right",
                    _("column {column} is not right.").format(column=repr(col)),
                    [
                        ("expected", expected),
                        (
                            "found",
                            ngettext(
                                "{count} value of {column} differ (first in row {row}: {value})",
                                "{count} values of {column} differ (first in row {row}: {value})",
                                bad.size,
                            ).format(
                                count=bad.size,
                                column=repr(col),
                                row=repr(reference.index[bad[0]]),
                                value=_fmt(av[bad[0]]),
                            ),
                        ),
                        ("hint", slip or _("compare that row with a hand calculation.")),
                    ],
                )
        else:
            eq = a.astype(object).to_numpy() == r.astype(object).to_numpy()
            if not bool(np.all(eq)):
                bad = np.flatnonzero(~eq)
                return _emit(
                    name,
                    "not yet right",
                    _("column {column} is not right.").format(column=repr(col)),
                    [
                        ("expected", expected),
                        (
                            "found",
                            _("{count} value(s) of {column} differ (first in row {row}: {value})").format(
                                count=bad.size,
                                column=repr(col),
                                row=repr(reference.index[bad[0]]),
                                value=repr(a.iloc[bad[0]]),
                            ),
                        ),
                        ("hint", _("check spelling and the rule that assigns these values.")),
                    ],
                )
    return _emit(
        name,
        "passed",
        _("all {columns} columns of the {rows}-row table are right.").format(columns=len(cols), rows=len(reference)),
    )


# --------------------------------------------------------------------------- labels and choices
def _norm_label(x) -> str:
    return re.sub(r"[\s_\-]+", " ", str(x)).strip().lower()


def check_label(
    answer,
    reference,
    *,
    name: str,
    allowed: Iterable[str] | None = None,
    variable: str | None = None,
    context: str | None = None,
) -> CheckResult:
    """Check a class label (or an array of labels) such as a loyalty type.

    Case, spaces, hyphens and underscores are ignored (``"Latent_loyalty"``
    equals ``"latent loyalty"``).

    Parameters
    ----------
    answer : str or sequence of str
    reference : str or sequence of str
        The right label(s), computed at run time by crmlib.
    name, variable
        As in :func:`check_number`.
    allowed : iterable of str, optional
        All possible labels; an answer outside them is told what they are.
    context : str, optional
        The gettext context of the labels' names, for a label with two meanings (relationship
        quality's "satisfaction" is 满足感, not 满意度): the feedback shows each label as typed,
        with its name in the current language beside it.

    Returns
    -------
    CheckResult

    Raises
    ------
    TypeError
        When the reference holds no labels.

    Examples
    --------
    >>> kinds = ["loyalty", "latent loyalty", "spurious loyalty", "no loyalty"]
    >>> _ = check_label("Latent-Loyalty", "latent loyalty", name="Exercise 2.1", allowed=kinds)
    [passed] Exercise 2.1: 'Latent-Loyalty' is right.
    >>> _ = check_label("fake loyalty", "spurious loyalty", name="Exercise 2.1", allowed=kinds)
    [not yet right] Exercise 2.1: 'fake loyalty' is not one of the possible labels.
        expected: one of 'loyalty', 'latent loyalty', 'spurious loyalty', 'no loyalty'
        found:    the text 'fake loyalty'
        hint:     use the names exactly as the chapter defines them.
    """
    name = _check_name(name)
    scalar_ref = isinstance(reference, str)
    refs = [reference] if scalar_ref else list(np.asarray(reference, dtype=object).ravel())
    if not refs:
        raise ValueError("reference must hold at least one label; got an empty sequence")
    allowed_list = None if allowed is None else [str(a) for a in allowed]
    if allowed_list is not None:
        bad_ref = [r for r in refs if _norm_label(r) not in {_norm_label(a) for a in allowed_list}]
        if bad_ref:
            raise ValueError(f"reference label {bad_ref[0]!r} is not in allowed {allowed_list}")
    if is_placeholder(answer):
        return _not_attempted(name, variable)
    options = (", ".join(_code(a, context) for a in allowed_list)) if allowed_list else ""
    if scalar_ref:
        expected = _("one of {options}").format(options=options) if options else _("a label (text)")
        if not isinstance(answer, str):
            return _emit(
                name,
                "not yet right",
                _("the answer is not a label (text)."),
                [
                    ("expected", expected),
                    ("found", _describe(answer)),
                    ("hint", _("write the label in quotes, e.g. 'latent loyalty'.")),
                ],
            )
        if allowed_list and _norm_label(answer) not in {_norm_label(a) for a in allowed_list}:
            return _emit(
                name,
                "not yet right",
                _("{answer} is not one of the possible labels.").format(answer=_code(answer, context)),
                [
                    ("expected", expected),
                    ("found", _describe(answer)),
                    ("hint", _("use the names exactly as the chapter defines them.")),
                ],
            )
        if _norm_label(answer) == _norm_label(reference):
            return _emit(name, "passed", _("{answer} is right.").format(answer=_code(answer, context)))
        return _emit(
            name,
            "not yet right",
            _("{answer} is a possible label, but not the right one here.").format(answer=_code(answer, context)),
            [("hint", _("apply the definition (and its cut-offs) step by step to this case."))],
        )
    expected = _("{count} labels").format(count=len(refs)) + (
        _(", each one of {options}").format(options=options) if options else ""
    )
    if isinstance(answer, str) or not hasattr(answer, "__len__"):
        return _emit(
            name,
            "not yet right",
            _("the answer is not a sequence of labels."),
            [
                ("expected", expected),
                ("found", _describe(answer)),
                ("hint", _("give one label per customer, e.g. a list or a pandas Series.")),
            ],
        )
    try:
        ans = list(np.asarray(answer, dtype=object).ravel())
    except Exception:  # noqa: BLE001 - any unusable object is reported, not raised
        ans = None
    if ans is None or len(ans) != len(refs):
        return _emit(
            name,
            "not yet right",
            _("the answer has the wrong number of labels."),
            [
                ("expected", expected),
                ("found", _describe(answer)),
                ("hint", _("one label per customer, in the same order as the data.")),
            ],
        )
    wrong = [i for i, (a, r) in enumerate(zip(ans, refs)) if _norm_label(a) != _norm_label(r)]
    if not wrong:
        return _emit(name, "passed", _("all {count} labels are right.").format(count=len(refs)))
    i = wrong[0]
    unknown = [a for a in ans if allowed_list and _norm_label(a) not in {_norm_label(x) for x in allowed_list}]
    hint = (
        _("{label} is not a possible label; use the chapter's names.").format(label=_code(unknown[0], context))
        if unknown
        else _("apply the definition (and its cut-offs) to that customer again.")
    )
    return _emit(
        name,
        "not yet right",
        _("{wrong} of {count} labels are not right.").format(wrong=len(wrong), count=len(refs)),
        [
            ("expected", expected),
            (
                "found",
                _("first wrong label at position {position}: {label}").format(position=i, label=_code(ans[i], context)),
            ),
            ("hint", hint),
        ],
    )


def check_choice(
    answer,
    correct,
    *,
    name: str,
    options: Mapping[str, str],
    explanations: Mapping[str, str] | None = None,
    variable: str | None = None,
) -> CheckResult:
    """Check a multiple-choice answer given as the option's letter.

    The correct letter is worked out in the check cell from numbers computed
    by crmlib, so the right option follows the data.

    Parameters
    ----------
    answer : str
        A letter such as ``"b"`` (``"B"``, ``"b)"`` and ``"(b)"`` are accepted too).
    correct : str
        The correct letter.
    name, variable
        As in :func:`check_number`.
    options : mapping of str to str
        Letter to option text, e.g. ``{"a": "...", "b": "..."}``.
    explanations : mapping of str to str, optional
        A hint for each wrong option (why it is tempting, why it is wrong).

    Returns
    -------
    CheckResult

    Raises
    ------
    ValueError
        When ``correct`` is not among the options, or there are fewer than two options.

    Examples
    --------
    >>> opts = {"a": "satisfaction guarantees loyalty", "b": "only the top box is loyal"}
    >>> _ = check_choice("A", "b", name="Exercise 1.3", options=opts,
    ...                  explanations={"a": "look at the repurchase rate of the 4s."})
    [not yet right] Exercise 1.3: (a) is not the best answer.
        expected: one letter among a, b
        found:    'A'
        hint:     look at the repurchase rate of the 4s.
    """
    name = _check_name(name)
    if not isinstance(options, Mapping) or len(options) < 2:
        raise ValueError(f"options must map at least two letters to their text; got {options!r}")
    letters = {_norm_choice(k): k for k in options}
    if _norm_choice(correct) not in letters:
        raise ValueError(f"correct must be one of the options {list(options)}; got {correct!r}")
    if is_placeholder(answer):
        return _not_attempted(name, variable)
    expected = _("one letter among {letters}").format(letters=", ".join(str(k) for k in options))
    if not isinstance(answer, str) or _norm_choice(answer) not in letters:
        return _emit(
            name,
            "not yet right",
            _("the answer is not one of the options."),
            [
                ("expected", expected),
                ("found", _describe(answer) if not isinstance(answer, str) else repr(answer)),
                ("hint", _("answer with the letter in quotes, e.g. 'b'.")),
            ],
        )
    key = _norm_choice(answer)
    if key == _norm_choice(correct):
        return _emit(
            name,
            "passed",
            _("({letter}) is right: {option}").format(
                letter=letters[key], option=_sentence(str(options[letters[key]]).strip())
            ),
        )
    hint = (explanations or {}).get(letters[key]) or _(
        "reread the numbers you computed above and the options once more."
    )
    return _emit(
        name,
        "not yet right",
        _("({letter}) is not the best answer.").format(letter=letters[key]),
        [("expected", expected), ("found", repr(answer)), ("hint", hint)],
    )


def _norm_choice(x) -> str:
    return re.sub(r"[\s().]", "", str(x)).lower()


# --------------------------------------------------------------------------- functions and text
def check_function(
    func,
    reference_func: Callable,
    cases: Sequence,
    *,
    name: str,
    unit: str = "",
    rel_tol: float = 5e-3,
    abs_tol: float = 0.0,
    slips: Mapping[str, Callable] | None = None,
    variable: str | None = None,
) -> CheckResult:
    """Check a student's function against a crmlib function on several inputs.

    Each case is a dict of keyword arguments (or a tuple of positional ones);
    both functions are called on it and the results compared like
    :func:`check_number` (or :func:`check_array` for array results). A
    function whose body is still the placeholder (it returns ``...`` or
    ``None``) counts as not attempted; an exception inside the student's
    function is reported, not raised.

    Parameters
    ----------
    func : callable
        The student's function (or ``...``).
    reference_func : callable
        The crmlib function (or a small wrapper around it) giving the right results.
    cases : sequence of dict or tuple
        Inputs to try.
    name, unit, rel_tol, abs_tol, variable
        As in :func:`check_number`.
    slips : mapping of str to callable, optional
        Mistakes particular to the exercise: hint -> a function with the signature of
        ``reference_func`` that computes what the mistaken function returns (e.g. a sum over
        ``t = 0 ... T-1`` instead of ``t = 1 ... T``). Tried on the first input the student's
        function gets wrong, before the generic slips; a slip that raises for that input is skipped.

    Returns
    -------
    CheckResult

    Raises
    ------
    TypeError, ValueError
        When ``reference_func`` is not callable or ``cases`` is empty.

    Examples
    --------
    >>> def margin_multiple(retention, discount):
    ...     return retention / (1 + discount)          # forgot "- retention"
    >>> ref = lambda retention, discount: retention / (1 + discount - retention)
    >>> _ = check_function(margin_multiple, ref, [{"retention": 0.8, "discount": 0.1}],
    ...                    name="Exercise 3.5")
    [not yet right] Exercise 3.5: wrong result for retention=0.8, discount=0.1.
        expected: a number, within 0.5% of the reference
        found:    0.727273
        hint:     lower than the reference by more than 5%: retrace the steps and the inputs.

    A slip of the exercise, recognised on the input where it shows:

    >>> total = lambda margin, periods: sum(margin / 1.1 ** t for t in range(1, periods + 1))
    >>> def mine(margin, periods):
    ...     return sum(margin / 1.1 ** t for t in range(periods))     # t = 0 ... T-1
    >>> _ = check_function(mine, total, [(100, 3)], name="Exercise 3.2",
    ...                    slips={"the sum starts at t = 0: the first margin arrives at the end of "
    ...                           "period 1.": lambda margin, periods: margin + total(margin, periods - 1)})
    [not yet right] Exercise 3.2: wrong result for 100, 3.
        expected: a number, within 0.5% of the reference
        found:    273.554
        hint:     the sum starts at t = 0: the first margin arrives at the end of period 1.
    """
    name = _check_name(name)
    rel_tol, abs_tol = _check_tols(rel_tol, abs_tol)
    if not callable(reference_func):
        raise TypeError(f"reference_func must be callable; got {reference_func!r}")
    if slips is not None and (
        not isinstance(slips, Mapping)
        or not all(isinstance(h, str) and h.strip() and callable(f) for h, f in slips.items())
    ):
        raise TypeError(f"slips must map a hint text to a function like reference_func; got {slips!r}")
    cases = list(cases)
    if not cases:
        raise ValueError("cases must hold at least one input to try; got an empty sequence")
    if is_placeholder(func):
        return _not_attempted(name, variable)
    if not callable(func):
        return _emit(
            name,
            "not yet right",
            _("the answer is not a function."),
            [
                ("expected", _("a function defined with def")),
                ("found", _describe(func)),
                ("hint", _("keep the def line given in the exercise and fill in its body.")),
            ],
        )
    u = _(" ({unit})").format(unit=_unit(unit)) if unit else ""
    for case in cases:
        args, kwargs = ((), dict(case)) if isinstance(case, Mapping) else (tuple(case), {})
        shown = ", ".join(
            [
                *(_fmt(a) if isinstance(a, numbers.Number) else repr(a) for a in args),
                *(f"{k}={_fmt(v) if isinstance(v, numbers.Number) else repr(v)}" for k, v in kwargs.items()),
            ]
        )
        ref = reference_func(*args, **kwargs)
        try:
            got = func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the student's error is reported, not raised
            return _emit(
                name,
                "not yet right",
                _("your function raised an error for {inputs}.").format(inputs=shown),
                [
                    ("found", f"{type(exc).__name__}: {exc}"),
                    ("hint", _("run it on these inputs in a cell of your own and read the error.")),
                ],
            )
        if got is None or is_placeholder(got):
            return (
                _not_attempted(name, variable)
                if is_placeholder(got)
                else _emit(
                    name,
                    "not yet right",
                    _("your function returned None for {inputs}.").format(inputs=shown),
                    [
                        ("expected", _("a result{unit}").format(unit=u)),
                        ("hint", _("end the function with a return statement.")),
                    ],
                )
            )
        ref_arr = np.asarray(ref, dtype=float)
        expected = _("{kind}{unit}, {tolerance}").format(
            kind=_("a number") if ref_arr.ndim == 0 else _("{count} numbers").format(count=ref_arr.size),
            unit=u,
            tolerance=_tol_text(rel_tol, abs_tol, unit),
        )
        got_arr = _numeric_array(got) if not isinstance(got, numbers.Real) else np.asarray(float(got))
        if got_arr is None or got_arr.shape != ref_arr.shape or isinstance(got, (bool, np.bool_)):
            return _emit(
                name,
                "not yet right",
                _("wrong kind of result for {inputs}.").format(inputs=shown),
                [("expected", expected), ("found", _describe(got))],
            )
        if not bool(np.all(np.isfinite(got_arr)) and np.all(_close(got_arr, ref_arr, rel_tol, abs_tol))):
            alternatives = []
            for hint, slipped in (slips or {}).items():
                try:
                    alt = np.asarray(slipped(*args, **kwargs), dtype=float)
                except (ArithmeticError, TypeError, ValueError):
                    continue  # this slip cannot be computed for this input
                if alt.shape == ref_arr.shape:
                    alternatives.append((hint.strip(), alt))
            slip = (
                _diagnose(got_arr, ref_arr, rel_tol, abs_tol, unit, alternatives)
                if np.all(np.isfinite(got_arr))
                else ""
            )
            if not slip and ref_arr.ndim == 0 and math.isfinite(float(got_arr)):
                slip = _direction(float(got_arr), float(ref_arr))
            return _emit(
                name,
                "not yet right",
                _("wrong result for {inputs}.").format(inputs=shown),
                [
                    ("expected", expected),
                    ("found", _fmt(float(got_arr)) if got_arr.ndim == 0 else _("an array with different values")),
                    ("hint", slip or _("compare with a hand calculation for these inputs.")),
                ],
            )
    return _emit(
        name,
        "passed",
        _("your function gives the right result on all {count} test inputs.").format(count=len(cases)),
    )


#: Chinese characters per English word, for comparing the length of written answers. Translators'
#: rule of thumb: 1,000 English words become about 1,500-1,700 Chinese characters and back (Tianheng
#: Consulting, "Chinese character count vs. English word count"; AnyCount, "What count units do translators
#: use": "a multiplier of 1.5"). 1.5 is the lower end, so a Chinese answer is never asked for more.
CJK_PER_WORD = 1.5

_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_CJK = re.compile(f"[{_CJK_RANGES}]")
# a word: letters or digits (not CJK), joined by an apostrophe, hyphen, point or comma ("don't",
# "whole-life", "3,250", "e.g."), as a word processor counts them
_WORD = re.compile(f"[^\\W_{_CJK_RANGES}]+(?:['\u2019.,\\-][^\\W_{_CJK_RANGES}]+)*")


@dataclass(frozen=True)
class WrittenLength:
    """The length of a written answer on one scale for English and Chinese.

    Attributes
    ----------
    words : int
        Words outside Chinese script (English words and numbers).
    characters : int
        Chinese characters (汉字).
    length : float
        ``words + characters / CJK_PER_WORD``: English-word equivalents.
    """

    words: int
    characters: int

    @property
    def length(self) -> float:
        return self.words + self.characters / CJK_PER_WORD

    def __str__(self) -> str:
        if not self.characters:
            return ngettext("{count} word", "{count} words", self.words).format(count=self.words)
        if not self.words:
            return _("{characters} 汉字, about {length:.0f} words").format(
                characters=self.characters, length=self.length
            )
        return _("{words} words + {characters} 汉字, about {length:.0f} words").format(
            words=self.words, characters=self.characters, length=self.length
        )


def written_length(text: str) -> WrittenLength:
    """Count a written answer: English words, Chinese characters, and both on one scale.

    The rule: **length = English words + Chinese characters / 1.5** (:data:`CJK_PER_WORD`),
    so that 90 汉字 count as much as 60 English words, the ratio translators use between the
    two languages. Punctuation and spaces do not count; a number or a hyphenated word
    counts as one word.

    Parameters
    ----------
    text : str

    Returns
    -------
    WrittenLength

    Raises
    ------
    TypeError
        When ``text`` is not a string.

    Examples
    --------
    >>> written_length("Keep Mrs Smith: her whole-life value is 3,250 dollars.")
    WrittenLength(words=9, characters=0)
    >>> n = written_length("客户终身价值是客户在整个生命周期内带来的利润。")
    >>> n.characters, n.length, str(n)
    (22, 14.666666666666666, '22 汉字, about 15 words')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}")
    return WrittenLength(words=len(_WORD.findall(text)), characters=len(_CJK.findall(text)))


def _min_text(min_words: int) -> str:
    return _("at least {words} words (or {characters} 汉字)").format(
        words=min_words, characters=math.ceil(min_words * CJK_PER_WORD)
    )


def check_written(
    answer, *, name: str, min_words: int = 30, aspects: Sequence[str] = (), variable: str | None = None
) -> CheckResult:
    """Record a written answer (an open case): there is no automatic marking.

    The answer counts as ``answered`` when its length (:func:`written_length`: English
    words + Chinese characters / 1.5) is at least ``min_words``; 60 words or 90 汉字
    are equally long. The message lists the aspects a good answer discusses, so the
    student can compare; the model answer is in the lecturer's solutions notebook.

    Parameters
    ----------
    answer : str
        The student's text (or ``...``).
    name, variable
        As in :func:`check_number`.
    min_words : int, optional
        The shortest acceptable answer in English words (default 30); in Chinese,
        ``1.5 * min_words`` characters.
    aspects : sequence of str, optional
        What a good answer covers, shown as a checklist.

    Returns
    -------
    CheckResult

    Raises
    ------
    ValueError
        When ``min_words`` is not a whole number >= 1.

    Examples
    --------
    >>> _ = check_written("Add one agent.", name="Exercise 5.6", min_words=5,
    ...                   aspects=["the service level before and after"])
    [not yet right] Exercise 5.6: the answer is too short to discuss the case (3 words).
        expected: a text of at least 5 words (or 8 汉字)
        hint:     a good answer discusses: the service level before and after.
    >>> _ = check_written("再增加一名座席。", name="Exercise 5.6", min_words=5)
    [not yet right] Exercise 5.6: the answer is too short to discuss the case (7 汉字, about 5 words).
        expected: a text of at least 5 words (or 8 汉字)
    """
    name = _check_name(name)
    min_words = _validate.integer("min_words", min_words, minimum=1)
    aspects = [str(a) for a in aspects]
    if is_placeholder(answer):
        return _not_attempted(name, variable)
    checklist = _("a good answer discusses: {aspects}.").format(aspects=_("; ").join(aspects)) if aspects else ""
    if not isinstance(answer, str):
        return _emit(
            name,
            "not yet right",
            _("the answer is not a text."),
            [
                ("expected", _("a text of {length}, in quotes").format(length=_min_text(min_words))),
                ("found", _describe(answer)),
                ("hint", checklist),
            ],
        )
    n = written_length(answer)
    if n.length < min_words:
        return _emit(
            name,
            "not yet right",
            _("the answer is too short to discuss the case ({length}).").format(length=n),
            [("expected", _("a text of {length}").format(length=_min_text(min_words))), ("hint", checklist)],
        )
    return _emit(
        name,
        "answered",
        _("answer recorded ({length}); there is no single right answer.").format(length=n),
        [("compare", checklist or _("your lecturer's notes on this case."))],
    )


# --------------------------------------------------------------------------- the exercise registries
def _registry_slips(entry, g) -> dict[str, object]:
    return {gettext(s.hint): s.value(g) for s in entry.slips}


def _shown(texts):
    """A registry's option texts or explanations (letter -> text) in the current language."""
    return None if texts is None else {k: gettext(v) for k, v in texts.items()}


def _run_entry(entry, answer) -> CheckResult:
    """Dispatch a registry entry to the generic check of its kind (the caller controls printing)."""
    from . import registry

    common = {"name": entry.name, "variable": entry.variable}
    if entry.kind == "function":
        ref = entry.reference
        return check_function(
            answer,
            lambda *a, **k: ref(*a, **k),
            entry.cases,
            unit=entry.unit,
            rel_tol=entry.rel_tol,
            abs_tol=entry.abs_tol,
            slips={gettext(s.hint): s.value for s in entry.slips},
            **common,
        )
    if entry.kind == "written":
        return check_written(answer, min_words=entry.min_words, aspects=[gettext(a) for a in entry.aspects], **common)
    g = registry.given(entry)
    tolerance = dict(rel_tol=entry.rel_tol, abs_tol=entry.abs_tol, **common)
    if entry.kind == "number":
        reference = entry.reference(g)
        period = None
        if entry.period is not None:
            period = g[entry.period]
            reference = lambda periods: entry.reference(g.replace(**{entry.period: periods}))  # noqa: E731
        return check_number(
            answer,
            reference,
            period=period,
            unit=entry.unit,
            low=entry.low,
            high=entry.high,
            integer=entry.integer,
            slips=_registry_slips(entry, g),
            **tolerance,
        )
    if entry.kind == "array":
        return check_array(answer, entry.reference(g), unit=entry.unit, slips=_registry_slips(entry, g), **tolerance)
    if entry.kind == "frame":
        return check_frame(answer, entry.reference(g), check_index=entry.check_index, **tolerance)
    if entry.kind == "label":
        allowed = entry.allowed(g) if callable(entry.allowed) else entry.allowed
        return check_label(answer, entry.reference(g), allowed=allowed, context=entry.label_context, **common)
    return check_choice(
        answer, entry.reference(g), options=_shown(entry.options), explanations=_shown(entry.explanations), **common
    )


def exercise(exercise_id: str, answer, *, echo: bool = True) -> CheckResult:
    """Check the answer to one exercise: what every converted check cell calls.

    The exercise's reference, unit, tolerance, slips and explanation live in its chapter's
    registry (``crmlib/checks/ch03.py`` for ``"3.1a"``; see :mod:`crmlib.checks.registry`),
    which computes the reference with crmlib's own models when the check runs. A passed
    answer's message ends with the exercise's explanation (``why:``).

    Parameters
    ----------
    exercise_id : str
        The exercise, e.g. ``"3.1a"``.
    answer : object
        The student's answer variable (or function), or the placeholder ``...``.
    echo : bool, optional
        Print the message (default); the grader builds messages without printing them.

    Returns
    -------
    CheckResult

    Raises
    ------
    KeyError, LookupError, ValueError
        When no registry holds ``exercise_id`` (a mistake in the notebook, not in the answer).

    Examples
    --------
    >>> _ = exercise("3.1a", ...)
    [not attempted yet] Exercise 3.1a: replace the ... in answer_3_1a with your answer, then run this cell again.
    >>> _ = exercise("3.6a", 1.4615)
    [not yet right] Exercise 3.6a: not the expected value.
        expected: a number (fraction (relative change)), within 0.5% of the reference
        found:    1.4615
        hint:     that is the ratio of the two values (new / old); the rise is the ratio minus 1.
    """
    from . import registry

    entry = registry.lookup(exercise_id)
    token = _PRINT.set(False)
    try:
        result = _run_entry(entry, answer)
    finally:
        _PRINT.reset(token)
    if result.status == "passed" and entry.explanation:
        result = CheckResult(
            name=result.name,
            status=result.status,
            message=result.message + _lines([("why", gettext(entry.explanation))]),
        )
    if echo:
        print(result.message)
    return result


def show_options(exercise_id: str) -> None:
    """Print the options of a multiple-choice exercise from its registry, ``(a) text`` per line.

    Examples
    --------
    >>> show_options("3.4b")  # doctest: +ELLIPSIS
    (a) Each customer becomes more loyal the longer she stays.
    (b) ...
    """
    from . import registry

    entry = registry.lookup(exercise_id)
    if entry.kind != "choice":
        raise ValueError(f"exercise {exercise_id!r} is a {entry.kind} exercise, not a multiple choice")
    for letter, text in entry.options.items():
        print(f"({letter}) {gettext(text)}")
