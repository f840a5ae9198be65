"""Shared statistics used by several chapters: proportion intervals, scale reliability, survival,
logit results.

Where statsmodels already provides an estimator it is called here rather than re-implemented
(Wilson intervals: ``statsmodels.stats.proportion``; Kaplan–Meier and the log-rank test:
``statsmodels.duration``; logit: ``statsmodels.discrete``); crmlib adds input checks with
clear messages, the suite's result protocol (:mod:`crmlib.results`) and the CRM reading.
Computations a chapter teaches by hand (Cronbach's alpha) are written out.

Chapter modules import from here; nothing here imports a chapter module.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _validate as v
from .results import check_level

__all__ = ["cronbach_alpha", "wilson_interval"]


def _out(value):
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def wilson_interval(successes, trials, *, level=0.95):
    """Wilson score interval for a binomial proportion (vectorised), clipped to [0, 1].

    Parameters
    ----------
    successes : int or array_like
        Counts, 0 <= successes <= trials.
    trials : int or array_like
        Counts, >= 1.
    level : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    (lower, upper) : tuple of float or numpy.ndarray
        Bounds of the interval for the proportion successes / trials (fractions).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209-212. Computed by
    ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(1655, 3875)]
    [0.4116, 0.4427]
    >>> wilson_interval(5, 5)[1]        # never above 1, whatever the rounding
    1.0
    """
    from statsmodels.stats.proportion import proportion_confint

    k = v.integer("successes", successes, minimum=0)
    n = v.integer("trials", trials, minimum=1)
    if np.any(np.asarray(k) > np.asarray(n)):
        raise ValueError(f"successes must not exceed trials; got successes={successes!r}, trials={trials!r}")
    level = check_level(level)
    lo, hi = proportion_confint(np.asarray(k), np.asarray(n), alpha=1 - level, method="wilson")
    return _out(np.clip(lo, 0.0, 1.0)), _out(np.clip(hi, 0.0, 1.0))


def cronbach_alpha(items) -> float:
    r"""Cronbach's alpha of a scale: the internal-consistency reliability of its items (raw alpha).

    .. math:: \alpha = \frac{k}{k-1}\left(1 - \frac{\sum_{i=1}^k s_i^2}{s_T^2}\right),

    with *k* items, item variances :math:`s_i^2` and the variance :math:`s_T^2` of the sum
    score (sample variances, ``ddof=1``). This is the *raw* alpha (on the items as scored),
    the one R ``psych::alpha`` reports as ``raw_alpha`` and pingouin as ``cronbach_alpha``.

    Parameters
    ----------
    items : pandas.DataFrame or 2-D array-like
        Respondents in rows, the scale's items in columns (at least 2 items and 2
        respondents). Missing answers are not allowed: drop or impute them first.

    Returns
    -------
    float
        Alpha, at most 1 (negative when the items disagree systematically).

    Raises
    ------
    ValueError
        With fewer than two items or respondents, missing values, or a sum score that is
        constant (or constant up to rounding), where alpha is undefined.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]]), 4)
    0.9825
    """
    if isinstance(items, pd.DataFrame):
        arr = items.to_numpy(dtype=float)
    else:
        if items is None or isinstance(items, (str, bytes)):
            raise TypeError(f"items must be a DataFrame or a 2-D array of numbers; got {items!r}")
        try:
            arr = np.asarray(items, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"items must be a DataFrame or a 2-D array of numbers; got {items!r}") from None
    if arr.ndim != 2:
        raise ValueError(f"items must be 2-D (respondents x items); got shape {arr.shape}")
    n, k = arr.shape
    if k < 2 or n < 2:
        raise ValueError(f"items must have at least 2 respondents and 2 items; got shape {arr.shape}")
    if np.isnan(arr).any():
        r, c = np.argwhere(np.isnan(arr))[0]
        col = items.columns[c] if isinstance(items, pd.DataFrame) else c
        raise ValueError(f"items has missing answers (first at row {r}, item {col!r}); "
                         "drop or impute them before computing alpha")
    v.as_float("items", arr)
    scale = max(float(np.abs(arr).max()), 1.0)
    if np.abs(arr).max() > 1e150:
        raise ValueError(f"items must be at most 1e150 in absolute value (their variances overflow); "
                         f"got {float(np.abs(arr).max()):.3g}")
    item_var = arr.var(axis=0, ddof=1)
    total_var = arr.sum(axis=1).var(ddof=1)
    # A sum score that is constant up to floating-point rounding has a variance of order
    # (eps * scale)^2; dividing by it gives nonsense like -3e30, so treat it as constant.
    if total_var <= (k * scale * 1e-12) ** 2 * n:
        raise ValueError("items give a constant sum score (its variance is zero up to rounding); alpha is "
                         "undefined")
    return float(k / (k - 1) * (1 - item_var.sum() / total_var))
