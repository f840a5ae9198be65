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
    """Return ``value`` as float (scalar) or float ndarray; reject non-numbers and non-finite values.

    ``None``, strings, booleans and objects that are not numbers are refused with a
    :class:`TypeError` (``np.asarray(None, float)`` would quietly give NaN).
    """
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be a number or an array of numbers; got {value!r}")
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


def in_range(name: str, value, low=None, high=None, *, low_open: bool = False, high_open: bool = False, unit: str = ""):
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


def integer(name: str, value, *, minimum: int | None = None, maximum: int | None = None):
    """Check that ``value`` is integral (int dtype or whole floats) within [``minimum``, ``maximum``].

    Without an explicit ``maximum`` the bound is 2**53 (the largest count a float holds
    exactly), so a value such as 1e308 gets a clear error instead of an overflow later.
    """
    arr = np.asarray(as_float(name, value))
    bad = arr != np.round(arr)
    if bad.any():
        raise ValueError(f"{name} must be a whole number; got {_first_bad(arr, bad)}")
    in_range(name, arr, minimum, 2**53 if maximum is None else maximum)
    return int(arr) if arr.ndim == 0 else arr.astype(np.int64)


#: Largest amount of money (in any currency unit) a public function accepts: far above any
#: customer's or firm's value, and small enough that sums and products of amounts stay finite.
MAX_MONEY = 1e15


def money(name: str, value, *, minimum: float | None = None, unit: str = "currency"):
    """Check an amount of money: finite, |value| <= 1e15, and >= ``minimum`` when given."""
    arr = np.asarray(as_float(name, value))
    bad = np.abs(arr) > MAX_MONEY
    if bad.any():
        raise ValueError(
            f"{name} must be at most {MAX_MONEY:.0e} {unit} in absolute value (larger amounts "
            f"overflow the arithmetic); got {_first_bad(arr, bad)}"
        )
    if minimum is not None:
        in_range(name, arr, minimum, None, unit=unit)
    return float(arr) if arr.ndim == 0 else arr


def finite_result(what: str, value, *, hint: str = "") -> None:
    """Raise a clear error when a computed result is not finite (an overflow the inputs caused)."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        more = f"; {hint}" if hint else ""
        raise ValueError(f"{what} is not finite for these arguments (the computation overflowed){more}")


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
        raise TypeError(f"{name} must be a numpy.random.Generator, e.g. numpy.random.default_rng(42); got {value!r}")
    return value


# ------------------------------------------------------------------ index alignment
def aligned(**named):
    """Align several 1-d inputs by index; return ``(index, {name: float ndarray})``.

    * all pandas Series: they must carry the same set of labels (in any order) and no duplicate
      labels; values are taken in the order of the *first* Series' index, which is returned;
    * no Series (scalars, lists, arrays): they must have the same length (scalars broadcast);
      the index returned is ``None``;
    * a mix of Series and unlabelled sequences of the same length is refused: pairing by position
      is exactly what alignment must prevent.

    Use :func:`labelled` to give the result the index back (index in, same index out).
    """
    import pandas as pd

    series = {k: s for k, s in named.items() if isinstance(s, pd.Series)}
    if not series:
        arrays = {k: np.atleast_1d(as_float(k, x)) for k, x in named.items()}
        sized = {k: a for k, a in arrays.items() if a.size > 1}
        if sized:
            same_length(**sized)
            n = len(next(iter(sized.values())))
            arrays = {k: (np.full(n, a[0]) if a.size == 1 else a) for k, a in arrays.items()}
        return None, arrays
    first_name, first = next(iter(series.items()))
    for k, s in series.items():
        if s.index.has_duplicates:
            raise ValueError(
                f"{k} has duplicate index labels (e.g. {s.index[s.index.duplicated()][0]!r}); "
                "each customer must appear once"
            )
    for k, s in series.items():
        if k != first_name and not s.index.sort_values().equals(first.index.sort_values()):
            only_a = first.index.difference(s.index)
            only_b = s.index.difference(first.index)
            raise ValueError(
                f"{first_name} and {k} must have the same index (they are aligned by label, not by "
                f"position); only in {first_name}: {list(only_a[:3])}, only in {k}: {list(only_b[:3])}"
            )
    out = {}
    for k, x in named.items():
        if isinstance(x, pd.Series):
            out[k] = np.asarray(as_float(k, x.reindex(first.index).to_numpy()), dtype=float).reshape(-1)
        elif np.ndim(x) == 0:
            out[k] = np.full(len(first), as_float(k, x))
        else:
            raise TypeError(
                f"{k} must be a pandas Series like {first_name} (inputs are aligned by index) or a "
                f"single number; got {type(x).__name__}"
            )
    return first.index, out


def labelled(index, values, name: str | None = None):
    """``values`` as a Series on ``index`` (from :func:`aligned`), or unchanged when ``index`` is None."""
    if index is None:
        arr = np.asarray(values)
        return arr.item() if arr.ndim == 0 or arr.size == 1 and np.ndim(values) == 0 else values
    import pandas as pd

    return pd.Series(np.asarray(values), index=index, name=name)


# ------------------------------------------------------------------ transaction logs
def amounts(frame_name: str, frame, column: str):
    """The one rule for money amounts in a transaction log: NaN or negative amounts are refused.

    Returns the column as a float ndarray. The error names the column, how many rows are bad and
    the first one, so the caller can drop or correct them deliberately (returns and refunds are
    not purchases; a missing amount is not zero).
    """
    col = frame[column]
    try:
        arr = np.asarray(col, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{frame_name}[{column!r}] must hold numbers (amounts); got dtype {col.dtype}") from None
    bad = np.isnan(arr)
    if bad.any():
        raise ValueError(
            f"{frame_name}[{column!r}] has {int(bad.sum())} missing amount(s) (first at row "
            f"{col.index[np.flatnonzero(bad)[0]]!r}); drop or fill them first: a missing amount is not 0"
        )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise ValueError(
            f"{frame_name}[{column!r}] has {int(bad.sum())} negative or infinite amount(s) (first "
            f"{arr[bad][0].item()!r} at row {col.index[np.flatnonzero(bad)[0]]!r}); returns and refunds are "
            "not purchases: remove them (or net them against their purchase) first"
        )
    money(f"{frame_name}[{column!r}]", arr)
    return arr
