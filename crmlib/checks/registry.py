"""The exercise registries: what each exercise expects, kept out of the student's sight.

A check cell in a student notebook holds only the exercise id and the answer variable::

    checks.exercise("3.1a", answer_3_1a)

Everything else lives here, one module per chapter (``crmlib/checks/ch03.py`` for the ids
``"3.…"``), loaded on first use: the *given* inputs of the exercise, a function that
computes the reference **with crmlib's own models** from those inputs, the kind of answer,
its unit and tolerance, the slips students make (each a function computing the slipped
value from the same inputs, with its own hint) and an explanation shown once the answer
passes. Multiple-choice keys are computed here too, so no notebook holds them.

Writing a registry (converting a chapter)
-----------------------------------------
A chapter module ``crmlib/checks/chNN.py`` defines ``EXERCISES``, a list of
:class:`Exercise` entries. ``reference`` and every :class:`Slip` ``value`` take one
argument ``g``, the entry's ``given`` inputs with attribute access (``g.discount_rate``);
``given`` is a dict or, for data that take time to build (a fitted model), a function
returning one (wrap it in :func:`functools.cache` to share it between entries). For
``kind="function"`` the reference and the slips take the arguments of the student's
function instead, one call per ``cases`` entry. ``period="years"`` names the given input
that counts periods; the reference is then also evaluated one period fewer and one more,
and an answer matching those gets the off-by-one hint. Then, in the solution notebook, the
check cell becomes ``checks.exercise("N.k", answer_N_k)`` (one line per answer; nothing
else) and ``tests/test_checks.py`` plants every slip of the new entries and checks its hint::

    Exercise(
        "3.1b", "number", variable="answer_3_1b", unit=N_("USD"),
        given={"margin": 650.0, "retention_rate": 0.90, "discount_rate": 0.08},
        reference=lambda g: clv.clv_from_retention(g.margin, g.retention_rate, g.discount_rate),
        slips=[Slip("percent", N_("the discount rate 8% is 0.08 in the formula, not 8."),
                    lambda g: g.margin * g.retention_rate / (1 + 100 * g.discount_rate - g.retention_rate))],
        explanation=N_("V = m r / (1 + d - r) values the margins of the years she is expected to stay."),
    )

Every text a student reads — ``unit``, each slip's hint, ``explanation``, the ``options`` and
``explanations`` of a choice, the ``aspects`` of a written answer — is a plain literal wrapped in
``N_()`` (``from ..i18n import N_``): ``tools/i18n.py extract`` then puts it in the library
catalogue, and :mod:`crmlib.checks` translates it when it shows it, in the notebook's language.
Never build these texts with f-strings or ``+`` (the catalogue looks the whole text up); a text
used twice can be a module constant, marked once where it is defined.

Slip kinds (:data:`SLIP_KINDS`): ``"off-by-one"`` (periods counted from 0, one too many or
too few), ``"percent"`` (percent vs fraction, either way, including an input of 10 for
0.10), ``"ratio"`` (a ratio 1.46 for a change 0.46, or back), ``"complement"`` (churn for
retention, 1 - p), ``"units"`` (weekly vs yearly, seconds vs minutes, counts vs shares),
``"sign"`` and ``"other"`` (a slip particular to the exercise).
"""

from __future__ import annotations

import importlib
import keyword
import math
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = [
    "KINDS",
    "SLIP_KINDS",
    "Exercise",
    "Given",
    "Slip",
    "chapters",
    "given",
    "lookup",
    "reference",
    "registry",
    "slip_value",
]

#: The kinds of answer an exercise can ask for (each checked by the matching ``check_<kind>``).
KINDS = ("number", "array", "frame", "label", "choice", "function", "written")

#: The kinds of slip a registry entry can name (see the module docstring).
SLIP_KINDS = ("off-by-one", "percent", "ratio", "complement", "units", "sign", "other")

_ID = re.compile(r"^(\d+)\.(\d+)([a-z]?)$")
_HERE = Path(__file__).resolve().parent


class Given(dict):
    """The inputs of an exercise: a dict whose keys can be read as attributes (``g.margin``)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"the given inputs have no {name!r}; they are {sorted(self)}") from None

    def replace(self, **changes) -> Given:
        """A copy with some inputs changed (``g.replace(years=19)``)."""
        unknown = set(changes) - set(self)
        if unknown:
            raise KeyError(f"unknown given input(s) {sorted(unknown)}; they are {sorted(self)}")
        return Given({**self, **changes})


@dataclass(frozen=True)
class Slip:
    """A mistake students make in one exercise and the hint it deserves.

    Attributes
    ----------
    kind : str
        One of :data:`SLIP_KINDS`.
    hint : str
        What the student sees when the answer equals the slipped value (a full sentence
        that names the mistake and the fix; never the right value).
    value : callable
        ``value(g)`` computes the slipped answer from the same given inputs as the
        reference (for ``kind="function"`` exercises: from the function's arguments).
    """

    kind: str
    hint: str
    value: Callable

    def __post_init__(self):
        if self.kind not in SLIP_KINDS:
            raise ValueError(f"Slip kind must be one of {SLIP_KINDS}; got {self.kind!r}")
        if not isinstance(self.hint, str) or not self.hint.strip():
            raise TypeError(f"Slip hint must be a non-empty text; got {self.hint!r}")
        if not callable(self.value):
            raise TypeError(f"Slip value must be a function of the given inputs; got {self.value!r}")


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its reference and how to check an answer against it.

    Attributes
    ----------
    id : str
        ``"N.k"`` or ``"N.k"`` plus a letter (``"3.1a"``): chapter N, exercise k.
    kind : str
        One of :data:`KINDS`.
    variable : str
        The name the student's notebook assigns (``answer_3_1a``) or defines (a function).
    reference : callable, optional
        ``reference(g)``: the right answer, computed with crmlib from the given inputs (a
        number, array, Series, DataFrame, label or labels; the correct letter for
        ``"choice"``). For ``"function"``: called like the student's function. Not used
        for ``"written"``.
    given : dict or callable, optional
        The exercise's inputs (the numbers in its prompt, data, fitted models), or a
        function without arguments returning them (called once per process).
    unit, rel_tol, abs_tol, low, high, integer
        As in :func:`crmlib.checks.check_number` (unit, tolerances also for arrays,
        frames and functions).
    period : str, optional
        For ``"number"``: the given input that counts periods; answers for one period
        fewer or more get the off-by-one hint.
    slips : sequence of Slip
        The exercise's own slips, tried before the generic ones.
    options, explanations : dict, optional
        For ``"choice"``: letter -> option text, and letter -> why that wrong option tempts.
    allowed : sequence or callable, optional
        For ``"label"``: the possible labels (or ``allowed(g)``).
    label_context : str, optional
        For ``"label"``: the gettext context in which the labels' names are shown (see
        :func:`crmlib.checks.check_label`).
    cases : sequence
        For ``"function"``: the inputs to try (tuples of positional or dicts of keyword
        arguments).
    check_index : bool
        For ``"frame"``: compare row labels (default).
    min_words : int
        For ``"written"``: the shortest acceptable length (English words; 1.5 汉字 each).
    aspects : sequence of str
        For ``"written"``: what a good answer discusses.
    points : float, optional
        What a passed answer is worth in the grader (default 1; 0 for ``"written"``,
        which the lecturer marks by hand).
    explanation : str
        Why the answer is what it is (the method, not the number): shown once it passes,
        and in the grader's feedback.
    """

    id: str
    kind: str
    variable: str
    reference: Callable | None = None
    given: Mapping | Callable[[], Mapping] = field(default_factory=dict)
    unit: str = ""
    rel_tol: float = 5e-3
    abs_tol: float = 0.0
    low: float | None = None
    high: float | None = None
    integer: bool = False
    period: str | None = None
    slips: Sequence[Slip] = ()
    options: Mapping[str, str] | None = None
    explanations: Mapping[str, str] | None = None
    allowed: Sequence[str] | Callable | None = None
    label_context: str | None = None
    cases: Sequence = ()
    check_index: bool = True
    min_words: int = 30
    aspects: Sequence[str] = ()
    points: float | None = None
    explanation: str = ""

    def __post_init__(self):
        where = f"exercise {self.id!r}"
        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise ValueError(f"exercise id must look like '3.1' or '3.1a'; got {self.id!r}")
        if self.kind not in KINDS:
            raise ValueError(f"{where}: kind must be one of {KINDS}; got {self.kind!r}")
        if not isinstance(self.variable, str) or not self.variable.isidentifier() or keyword.iskeyword(self.variable):
            raise ValueError(f"{where}: variable must be a Python name; got {self.variable!r}")
        if self.kind != "written" and not callable(self.reference):
            raise TypeError(f"{where}: reference must be a function computing the answer; got {self.reference!r}")
        if not (isinstance(self.given, Mapping) or callable(self.given)):
            raise TypeError(f"{where}: given must be a dict or a function returning one; got {self.given!r}")
        object.__setattr__(self, "slips", tuple(self.slips))
        for s in self.slips:
            if not isinstance(s, Slip):
                raise TypeError(f"{where}: slips must be Slip(kind, hint, value) entries; got {s!r}")
        if self.slips and self.kind not in ("number", "array", "function"):
            raise ValueError(f"{where}: only number, array and function exercises take slips")
        if self.period is not None and self.kind != "number":
            raise ValueError(f"{where}: period applies to number exercises only")
        if self.kind == "choice" and (not isinstance(self.options, Mapping) or len(self.options) < 2):
            raise ValueError(f"{where}: a choice needs options, a dict of at least two letters")
        if self.kind == "function" and not self.cases:
            raise ValueError(f"{where}: a function exercise needs cases (inputs to try)")
        if self.kind == "written" and (not isinstance(self.min_words, int) or self.min_words < 1):
            raise ValueError(f"{where}: min_words must be a whole number >= 1; got {self.min_words!r}")
        points = (0.0 if self.kind == "written" else 1.0) if self.points is None else self.points
        if not isinstance(points, (int, float)) or not math.isfinite(points) or points < 0:
            raise ValueError(f"{where}: points must be a number >= 0; got {self.points!r}")
        object.__setattr__(self, "points", float(points))

    @property
    def chapter(self) -> int:
        """The chapter number in the id (``3`` for ``"3.1a"``)."""
        return int(_ID.match(self.id).group(1))

    @property
    def name(self) -> str:
        """The name the messages use: ``"Exercise 3.1a"``."""
        return f"Exercise {self.id}"


# ----------------------------------------------------------------------------- loading
def _module_chapter(module_name: str) -> int | None:
    m = re.fullmatch(r"ch(\d\d)", module_name)
    return int(m.group(1)) if m else None


def chapters() -> list[int]:
    """The chapters that have a registry module (``crmlib/checks/chNN.py``), in order."""
    found = (_module_chapter(m.name) for m in pkgutil.iter_modules([str(_HERE)]))
    return sorted(c for c in found if c is not None)


@cache
def registry(chapter: int) -> dict[str, Exercise]:
    """The exercises of one chapter, by id (the chapter's module is imported on first use).

    Raises
    ------
    LookupError
        When the chapter has no registry module.
    ValueError
        When the module's entries are inconsistent (a duplicate id, an id of another chapter).
    """
    if chapter not in chapters():
        raise LookupError(
            f"chapter {chapter} has no exercise registry yet (crmlib/checks/ch{chapter:02d}.py); "
            f"chapters with one: {chapters()}"
        )
    module = importlib.import_module(f"{__package__}.ch{chapter:02d}")
    entries = getattr(module, "EXERCISES", None)
    if not isinstance(entries, (list, tuple)) or not all(isinstance(e, Exercise) for e in entries):
        raise TypeError(f"{module.__name__}.EXERCISES must be a list of Exercise entries")
    out: dict[str, Exercise] = {}
    for e in entries:
        if e.chapter != chapter:
            raise ValueError(f"{module.__name__} holds exercise {e.id!r} of chapter {e.chapter}")
        if e.id in out:
            raise ValueError(f"{module.__name__} defines exercise {e.id!r} twice")
        out[e.id] = e
    return out


def lookup(exercise_id: str) -> Exercise:
    """The registry entry of one exercise (``lookup("3.1a")``).

    Raises
    ------
    KeyError, LookupError, ValueError
        For an id that is not of the form ``"3.1a"``, a chapter without a registry, or an
        id the chapter's registry does not hold.
    """
    m = _ID.match(exercise_id) if isinstance(exercise_id, str) else None
    if m is None:
        raise ValueError(f"exercise_id must look like '3.1a'; got {exercise_id!r}")
    entries = registry(int(m.group(1)))
    if exercise_id not in entries:
        raise KeyError(
            f"chapter {int(m.group(1))}'s registry has no exercise {exercise_id!r}; it has {sorted(entries)}"
        )
    return entries[exercise_id]


_GIVEN_CACHE: dict[Callable, Given] = {}


def given(entry: Exercise) -> Given:
    """The entry's given inputs (a function ``given`` is called once per process)."""
    if isinstance(entry.given, Mapping):
        return Given(entry.given)
    if entry.given not in _GIVEN_CACHE:
        values = entry.given()
        if not isinstance(values, Mapping):
            raise TypeError(f"exercise {entry.id!r}: given() must return a dict; got {type(values).__name__}")
        _GIVEN_CACHE[entry.given] = Given(values)
    return Given(_GIVEN_CACHE[entry.given])


def reference(entry: Exercise):
    """The right answer of a non-function, non-written entry (for tests and the grader)."""
    if entry.kind in ("function", "written"):
        raise ValueError(f"exercise {entry.id!r} is a {entry.kind} exercise; it has no single reference")
    return entry.reference(given(entry))


def slip_value(entry: Exercise, slip: Slip, *args, **kwargs):
    """What the slip gives: ``slip.value(g)``, or for a function exercise ``slip.value(*args)``."""
    if entry.kind == "function":
        return slip.value(*args, **kwargs)
    return slip.value(given(entry))
