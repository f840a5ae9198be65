"""Input checks shared by the public functions of crmlib.

Every check raises a :class:`ValueError` (or :class:`TypeError` for a wrong
kind of object) whose message names the argument, shows the value received
and says what is allowed, e.g.::

    retention_rate must be in [0, 1); got 1.2

Checks accept scalars and array-likes and return the value as a float or a
float ndarray, so a public function can write ``r = as_probability("retention_rate", r)``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def _show(value) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(value.item() if hasattr(value, "item") else value)
    flat = arr.ravel()
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in flat[:5])
    more = ", ..." if flat.size > 5 else ""
    return f"array of shape {arr.shape} [{shown}{more}]"


def _first_bad(arr: np.ndarray, bad: np.ndarray) -> str:
    if arr.ndim == 0:
        return _show(arr)
    idx = int(np.flatnonzero(bad.ravel())[0])
    return f"{arr.ravel()[idx].item()!r} at position {idx}"


def as_float(name: str, value, *, allow_nan: bool = False):
    """Return ``value`` as float (scalar) or float ndarray; reject non-numbers and non-finite values."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers; got {value!r}") from None
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got {_show(value)}")
    bad = ~np.isfinite(arr) if not allow_nan else np.isinf(arr)
    if bad.any():
        raise ValueError(f"{name} must be finite; got {_first_bad(arr, bad)}")
    return float(arr) if arr.ndim == 0 else arr


def in_range(name: str, value, low=None, high=None, *, low_open: bool = False,
             high_open: bool = False, unit: str = ""):
    """Check ``low <= value <= high`` (with open ends on request) and return it as float(s)."""
    arr = np.asarray(as_float(name, value), dtype=float)
    bad = np.zeros(arr.shape, dtype=bool)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if bad.any():
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        interval = f"{'(' if low_open or low is None else '['}{lo}, {hi}{')' if high_open or high is None else ']'}"
        u = f" {unit}" if unit else ""
        raise ValueError(f"{name} must be in {interval}{u}; got {_first_bad(arr, bad)}")
    return float(arr) if arr.ndim == 0 else arr


def positive(name: str, value, *, unit: str = ""):
    """Check ``value > 0``."""
    return in_range(name, value, 0, None, low_open=True, unit=unit)


def non_negative(name: str, value, *, unit: str = ""):
    """Check ``value >= 0``."""
    return in_range(name, value, 0, None, unit=unit)


def probability(name: str, value, *, open_high: bool = False, open_low: bool = False):
    """Check ``0 <= value <= 1`` (``[0, 1)`` with ``open_high=True``)."""
    return in_range(name, value, 0, 1, low_open=open_low, high_open=open_high)


def integer(name: str, value, *, minimum: int | None = None):
    """Check that ``value`` is integral (int dtype or whole floats) and at least ``minimum``."""
    arr = np.asarray(as_float(name, value))
    bad = arr != np.round(arr)
    if bad.any():
        raise ValueError(f"{name} must be a whole number; got {_first_bad(arr, bad)}")
    if minimum is not None:
        in_range(name, arr, minimum, None)
    return int(arr) if arr.ndim == 0 else arr.astype(np.int64)


def one_of(name: str, value, allowed: Iterable):
    """Check that ``value`` is one of ``allowed``; return it."""
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def columns(name: str, frame, required: Sequence[str]):
    """Check that DataFrame ``frame`` (argument ``name``) has all ``required`` columns."""
    if not hasattr(frame, "columns"):
        raise TypeError(f"{name} must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(frame.columns)}")
    return frame


def same_length(**arrays):
    """Check that the named 1-d arrays have equal length; return the length."""
    lengths = {k: len(np.atleast_1d(v)) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"{', '.join(lengths)} must have the same length; {shown}")
    return next(iter(lengths.values()))


def rng(name: str, value):
    """Check that ``value`` is a numpy Generator (None is not accepted: randomness is explicit)."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator, e.g. numpy.random.default_rng(42); got {value!r}"
        )
    return value
