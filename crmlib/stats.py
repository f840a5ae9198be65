"""Shared statistics used by several chapters: proportion intervals, scale reliability, survival,
logit results.

Where statsmodels already provides an estimator it is called here rather than re-implemented
(Wilson intervals: ``statsmodels.stats.proportion``; Kaplan–Meier, the log-rank test and the Cox
model: ``statsmodels.duration``; logit: ``statsmodels.discrete``; formulas: statsmodels' formula
machinery); crmlib adds input checks with clear messages, the suite's result protocol
(:mod:`crmlib.results`) and the CRM reading. Computations a chapter teaches by hand (Cronbach's
alpha) or that statsmodels lacks (restricted mean survival time, the Weibull likelihood with
delayed entry, the Grambsch-Therneau test) are written out.

Contents
--------
* proportions and scales: :func:`wilson_interval`, :func:`cronbach_alpha`;
* survival: :func:`kaplan_meier` (with delayed entry), :func:`logrank_test`,
  :func:`restricted_mean_survival`, :func:`restricted_mean_table`, :func:`fit_cox` (with
  :meth:`CoxResult.ph_test`), :func:`fit_weibull`;
* binary outcomes: :func:`fit_logit` (a design matrix), :func:`fit_logit_formula` (a formula on
  a DataFrame). Prediction and validation of churn models are in :mod:`crmlib.churn`.

Chapter modules import from here; nothing here imports a chapter module.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from . import _validate as v
from .i18n import N_, NP_, label, translate_frame
from .i18n import gettext as _
from .results import FitResult, check_level, warn_if_not_converged

__all__ = [
    "CoxResult",
    "KaplanMeierResult",
    "LogitResult",
    "LogrankResult",
    "RMSTResult",
    "WeibullResult",
    "cronbach_alpha",
    "fit_cox",
    "fit_logit",
    "fit_logit_formula",
    "fit_weibull",
    "kaplan_meier",
    "logrank_test",
    "restricted_mean_survival",
    "restricted_mean_table",
    "wilson_interval",
]


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
        raise ValueError(
            f"items has missing answers (first at row {r}, item {col!r}); drop or impute them before computing alpha"
        )
    v.as_float("items", arr)
    scale = max(float(np.abs(arr).max()), 1.0)
    if np.abs(arr).max() > 1e150:
        raise ValueError(
            f"items must be at most 1e150 in absolute value (their variances overflow); "
            f"got {float(np.abs(arr).max()):.3g}"
        )
    item_var = arr.var(axis=0, ddof=1)
    total_var = arr.sum(axis=1).var(ddof=1)
    # A sum score that is constant up to floating-point rounding has a variance of order
    # (eps * scale)^2; dividing by it gives nonsense like -3e30, so treat it as constant.
    if total_var <= (k * scale * 1e-12) ** 2 * n:
        raise ValueError("items give a constant sum score (its variance is zero up to rounding); alpha is undefined")
    return float(k / (k - 1) * (1 - item_var.sum() / total_var))


# ---------------------------------------------------------------------------------------------
# helpers: binary outcomes, aligning labelled inputs of any kind
# ---------------------------------------------------------------------------------------------
_YES_NO = {"yes": True, "no": False, "true": True, "false": False}


def _yes_no(x):
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, float, np.integer, np.floating)) and x in (0, 1):
        return bool(x)
    return _YES_NO.get(x.strip().lower()) if isinstance(x, str) else None


def _binary(name: str, values) -> np.ndarray:
    """``values`` (True/False, 0/1 or "Yes"/"No") as a bool ndarray; missing values are refused."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be True/False, 0/1 or Yes/No values; got {values!r}")
    s = values if isinstance(values, pd.Series) else pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    if len(s) == 0:
        raise ValueError(f"{name} must not be empty")
    if s.isna().any():
        raise ValueError(f"{name} must not have missing values (first at row {s.index[s.isna().to_numpy()][0]!r})")
    if pd.api.types.is_bool_dtype(s):
        return s.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s):
        bad = ~s.isin([0, 1])
        if bad.any():
            raise ValueError(f"{name} must be True/False or 0/1; got {s[bad].iloc[0]!r}")
        return s.to_numpy().astype(bool)
    mapped = s.map(_yes_no)
    if mapped.isna().any():
        raise ValueError(f"{name} must be True/False, 0/1 or Yes/No; got {s[mapped.isna().to_numpy()].iloc[0]!r}")
    return mapped.to_numpy().astype(bool)


def _align_any(**named) -> dict:
    """Align 1-d inputs of any dtype by index, like :func:`crmlib._validate.aligned`.

    Series must carry the same labels (in any order; taken in the order of the first Series);
    a Series and an unlabelled sequence are never paired by position. Without Series the inputs
    must have equal lengths. Returns ``{name: Series or ndarray}`` in one order.
    """
    if any(isinstance(x, pd.Series) for x in named.values()):
        probe = {k: (pd.Series(0.0, index=x.index) if isinstance(x, pd.Series) else x) for k, x in named.items()}
        index, _ = v.aligned(**probe)
        return {
            k: (x.reindex(index) if isinstance(x, pd.Series) else pd.Series(np.full(len(index), x), index=index))
            for k, x in named.items()
        }
    out = {}
    for k, x in named.items():
        if x is None or isinstance(x, (str, bytes)):
            raise TypeError(f"{k} must be an array or a pandas Series; got {x!r}")
        out[k] = np.atleast_1d(np.asarray(x))
        if out[k].ndim != 1:
            raise ValueError(f"{k} must be one-dimensional; got shape {out[k].shape}")
        if out[k].size == 0:
            raise ValueError(f"{k} must not be empty")
    v.same_length(**out)
    return out


def _survival_data(durations, events, entry=None, **more):
    """Durations (float), events (bool), entry times (float or None) and the aligned inputs."""
    named = dict(durations=durations, events=events, **more)
    if entry is not None:
        named["entry"] = entry
    data = _align_any(**named)
    d = np.atleast_1d(v.non_negative("durations", data["durations"])).astype(float)
    e = _binary("events", data["events"])
    t0 = None
    if entry is not None:
        t0 = np.atleast_1d(v.non_negative("entry", data["entry"])).astype(float)
        bad = t0 >= d
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            where = data["durations"].index[i] if isinstance(data["durations"], pd.Series) else i
            raise ValueError(
                f"entry must be earlier than durations for every subject (each is observed from its entry to its "
                f"duration); {int(bad.sum())} are not, first at row {where!r}: entry {t0[i]:g} >= duration {d[i]:g}"
            )
    return d, e, t0, data


# ---------------------------------------------------------------------------------------------
# Kaplan-Meier (statsmodels.duration.survfunc.SurvfuncRight)
# ---------------------------------------------------------------------------------------------
_CONF_TYPES = ("log-log", "log", "plain")


def _km_interval(surv: np.ndarray, se: np.ndarray, level: float, conf_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval of S(t) from its Greenwood standard error, on the scale ``conf_type``."""
    from scipy.stats import norm

    z = norm.ppf(0.5 + level / 2)
    surv, se = np.asarray(surv, float), np.asarray(se, float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "log-log":
            # theta = log(-log S) with se(theta) = se(S) / (S |log S|) (delta method)
            theta_se = se / (surv * np.abs(np.log(surv)))
            lo, hi = surv ** np.exp(z * theta_se), surv ** np.exp(-z * theta_se)
        elif conf_type == "log":
            lo, hi = surv * np.exp(-z * se / surv), np.minimum(1.0, surv * np.exp(z * se / surv))
        else:
            lo, hi = np.clip(surv - z * se, 0.0, 1.0), np.clip(surv + z * se, 0.0, 1.0)
    one, zero = surv >= 1.0, surv <= 0.0
    lo, hi = np.where(one, 1.0, lo), np.where(one, 1.0, hi)
    return np.where(zero, 0.0, lo), np.where(zero, 0.0, hi)


def _se_text(se: float) -> str:
    """ "(se 0.0123)" after an estimate in a result's repr, in the current language."""
    return _("(se {std_error:.4f})").format(std_error=se)


#: Labels of the tables survival and regression results return, marked for the Chinese edition.
_TABLE_LABELS = (
    NP_("survival", "events"),  # 事件数, not the exhibition's events (活动)
    N_("at_risk"),
    N_("censored"),
    N_("odds_ratio"),
    N_("hazard_ratio"),
    N_("ci_low"),
    N_("ci_high"),
    N_("rmst"),
    N_("difference"),
    N_("difference_se"),
    N_("difference_lower"),
    N_("difference_upper"),
    N_("time_ratio"),
    N_("GLOBAL"),
    N_("median"),
)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class KaplanMeierResult(FitResult):
    """Kaplan-Meier estimate of a survival (retention) curve with Greenwood standard errors.

    The :class:`~crmlib.results.FitResult` protocol with the survival curve as its estimates:
    ``params`` is S(t) at the event times (a Series indexed by ``time``), ``standard_errors``
    Greenwood's, ``conf_int(level)`` pointwise intervals on the scale ``conf_type`` (log-log by
    default), ``log_likelihood`` is ``None`` and the estimator is a closed form (``converged``
    True, ``message`` "closed form").

    Attributes
    ----------
    label : str
        Name of the group the curve describes.
    level : float
        Confidence level of the ``ci_low``/``ci_high`` columns of :attr:`table`.
    conf_type : {"log-log", "log", "plain"}
        Scale of the pointwise intervals.
    median : float
        Median survival time (``inf`` when the curve stays above one half).
    times, at_risk, events, censored : tuple
        The risk table: every distinct observed time (time 0 added when no one left at 0), the
        number at risk just before it, events and censorings at it.
    delayed_entry : bool
        Whether the curve was estimated with entry times (left truncation): a subject is then
        at risk only between its entry and its duration.
    """

    model_name: ClassVar[str] = "Kaplan-Meier"
    label: str = "KM"
    level: float = 0.95
    conf_type: str = "log-log"
    median: float = math.inf
    event_times: tuple[float, ...] = ()
    times: tuple[float, ...] = ()
    at_risk: tuple[int, ...] = ()
    events: tuple[int, ...] = ()
    censored: tuple[int, ...] = ()
    delayed_entry: bool = False

    @property
    def params(self) -> pd.Series:
        """S(t) at the event times (a fresh Series indexed by ``time``)."""
        return pd.Series(
            self.param_values, index=pd.Index(self.event_times, name="time", dtype=float), name="survival", dtype=float
        )

    @property
    def standard_errors(self) -> pd.Series:
        """Greenwood standard errors of S(t) at the event times (NaN where S(t) = 0)."""
        return pd.Series(
            self.se_values, index=pd.Index(self.event_times, name="time", dtype=float), name="std_error", dtype=float
        )

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Pointwise intervals of S(t) at the event times, on the result's ``conf_type`` scale.

        The log-log interval (Kalbfleisch & Prentice 2002, section 1.3; Stata's and lifelines'
        default) is S^exp(±z se/(S |log S|)); it stays inside [0, 1].
        """
        level = check_level(level)
        lo, hi = _km_interval(np.asarray(self.param_values), np.asarray(self.se_values), level, self.conf_type)
        return pd.DataFrame({"lower": lo, "upper": hi}, index=pd.Index(self.event_times, name="time", dtype=float))

    def summary(self) -> pd.DataFrame:
        """At each event time: number at risk, events, S(t), Greenwood standard error and 95% interval."""
        table = self.table.set_index("time").loc[list(self.event_times)]
        ci = self.conf_int(0.95)
        out = pd.DataFrame(
            {
                "at_risk": table["at_risk"].to_numpy(),
                "events": table["events"].to_numpy(),
                "estimate": self.param_values,
                "std_error": self.se_values,
                "lower_95": ci["lower"].to_numpy(),
                "upper_95": ci["upper"].to_numpy(),
            },
            index=pd.Index(self.event_times, name="time", dtype=float),
        )
        out.attrs["i18n_context"] = "survival"
        return out

    @property
    def n_events(self) -> int:
        """Number of observed events (churners)."""
        return int(sum(self.events))

    def survival_at(self, times):
        """S(t) as a right-continuous step function (1 before the first event). Vectorised.

        A Series of times gives a Series with the same index.
        """
        t = v.non_negative("times", times)
        idx = np.searchsorted(np.asarray(self.event_times, float), np.asarray(t), side="right")
        s = np.concatenate([[1.0], np.asarray(self.param_values, float)])[idx]
        if isinstance(times, pd.Series):
            return pd.Series(s, index=times.index, name="survival")
        return float(s) if np.ndim(s) == 0 else s

    @property
    def table(self) -> pd.DataFrame:
        """The risk table with the curve: ``time``, ``at_risk``, ``events``, ``censored``, ``survival``,
        ``std_error`` (Greenwood) and the pointwise interval ``ci_low``, ``ci_high`` at :attr:`level`,
        at every distinct observed time (a new DataFrame on every access)."""
        times = np.asarray(self.times, float)
        idx = np.searchsorted(np.asarray(self.event_times, float), times, side="right")
        surv = np.concatenate([[1.0], np.asarray(self.param_values, float)])[idx]
        se = np.concatenate([[0.0], np.asarray(self.se_values, float)])[idx]
        lo, hi = _km_interval(surv, se, self.level, self.conf_type)
        out = pd.DataFrame(
            {
                "time": times,
                "at_risk": np.asarray(self.at_risk, np.int64),
                "events": np.asarray(self.events, np.int64),
                "censored": np.asarray(self.censored, np.int64),
                "survival": surv,
                "std_error": se,
                "ci_low": lo,
                "ci_high": hi,
            }
        )
        out.attrs["i18n_context"] = "survival"  # "events" = 事件数
        return out

    def __repr__(self) -> str:
        last = (
            _("S({time:g}) = {survival:.4f}, ").format(time=self.event_times[-1], survival=self.param_values[-1])
            if self.event_times
            else ""
        )
        entry = _(", delayed entry") if self.delayed_entry else ""
        text = _(
            "{label}: n = {n_obs:,}, events = {events:,}, {last}median {median:g}; {level:.0%} intervals "
            "{conf_type}{entry}"
        ).format(
            label=self.label,
            n_obs=self.n_obs,
            events=self.n_events,
            last=last,
            median=self.median,
            level=self.level,
            conf_type=self.conf_type,
            entry=entry,
        )
        return f"KaplanMeierResult({text})"


def kaplan_meier(durations, events, *, entry=None, level=0.95, conf_type="log-log", label="KM") -> KaplanMeierResult:
    r"""Kaplan-Meier (product-limit) survival curve with Greenwood standard errors (statsmodels).

    .. math:: \hat S(t) = \prod_{t_i \le t}\Big(1 - \frac{d_i}{n_i}\Big), \qquad
              \widehat{\operatorname{Var}}\,\hat S(t) = \hat S(t)^2 \sum_{t_i \le t} \frac{d_i}{n_i (n_i - d_i)},

    with :math:`d_i` events among the :math:`n_i` subjects at risk at event time :math:`t_i`.
    S(t) and the Greenwood standard errors are computed by
    ``statsmodels.duration.survfunc.SurvfuncRight``; the pointwise intervals are computed from
    those standard errors on the scale ``conf_type``.

    **Delayed entry** (left truncation). When subjects come under observation only after time 0
    (a snapshot of customers who were still customers when the observation window opened),
    give their ``entry`` times: subject *j* is then in the risk set :math:`n_i` only while
    :math:`\text{entry}_j < t_i \le \text{duration}_j` (the counting-process convention of R's
    ``Surv(entry, duration, event)``). Without it, the customers who left before the window are
    missing from every early risk set and the curve overstates retention (Klein & Moeschberger
    2003, section 4.6).

    Parameters
    ----------
    durations : array_like or pandas.Series
        Time to event or censoring (>= 0, finite), e.g. months of tenure.
    events : array_like or pandas.Series
        True (or 1, "Yes") where the event (churn) was observed, False (0, "No") when censored.
        Two Series are aligned by index.
    entry : array_like or pandas.Series, optional
        Time at which each subject came under observation (>= 0 and earlier than its duration,
        same unit). None (the default): everyone is observed from time 0.
    level : float, default 0.95
        Confidence level of the intervals in :attr:`KaplanMeierResult.table`, in (0, 1).
    conf_type : {"log-log", "log", "plain"}, default "log-log"
        Pointwise interval: on log(-log S) (Kalbfleisch & Prentice; Stata's and lifelines'
        default), on log S (R survfit's default), or on S itself (clipped to [0, 1]).
    label : str
        Name of the group, shown in the repr and in figure legends.

    Returns
    -------
    KaplanMeierResult
        ``median`` is the smallest event time with S(t) < 0.5 (``SurvfuncRight.quantile``, the
        convention of Collett 2015 and SAS), ``inf`` when the curve never falls below one half.

    Raises
    ------
    ValueError
        Negative or non-finite durations, events not boolean/0-1, unequal lengths, Series with
        different indexes, an entry time not earlier than its duration.

    References
    ----------
    Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53(282), 457-481. Greenwood, M. (1926). The natural duration of cancer. *Reports on
    Public Health and Medical Subjects* 33. Kalbfleisch, J. D. & Prentice, R. L. (2002). *The
    Statistical Analysis of Failure Time Data*, 2nd ed., Wiley. Kleinbaum, D. G. & Klein, M.
    (2012). *Survival Analysis: A Self-Learning Text*, 3rd ed., Springer, ch. 2. Klein, J. P. &
    Moeschberger, M. L. (2003). *Survival Analysis: Techniques for Censored and Truncated
    Data*, 2nd ed., Springer, section 4.6 (left truncation).

    Examples
    --------
    The 6-MP arm of the Freireich et al. (1963) leukaemia remission trial (weeks; Kleinbaum & Klein):

    >>> t = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    >>> e = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    >>> km = kaplan_meier(t, e)
    >>> km.params.round(4).tolist()
    [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482]
    >>> km.median, km.converged, km.log_likelihood is None
    (23.0, True, True)

    With delayed entry the subject entering at 8 is not at risk at 6 or 7:

    >>> late = kaplan_meier([6, 7, 10, 12], [1, 1, 0, 1], entry=[0, 0, 8, 0])
    >>> late.table[["time", "at_risk", "events"]].values.tolist()
    [[0.0, 0.0, 0.0], [6.0, 3.0, 1.0], [7.0, 2.0, 1.0], [10.0, 2.0, 0.0], [12.0, 1.0, 1.0]]
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    level = check_level(level)
    v.one_of("conf_type", conf_type, _CONF_TYPES)
    if not isinstance(label, str):
        raise TypeError(f"label must be a string; got {label!r}")
    d, e, t0, _ = _survival_data(durations, events, entry=entry)
    sf = SurvfuncRight(d, e.astype(float), entry=t0)
    times, inverse = np.unique(d, return_inverse=True)
    n_events = np.bincount(inverse, weights=e.astype(float), minlength=len(times))
    n_total = np.bincount(inverse, minlength=len(times)).astype(float)
    if times[0] > 0:
        times = np.concatenate([[0.0], times])
        n_events, n_total = np.concatenate([[0.0], n_events]), np.concatenate([[0.0], n_total])
    # at risk just before t: entered before t and not yet gone (entry < t <= duration)
    entered = np.searchsorted(np.sort(t0), times, side="left") if t0 is not None else np.full(len(times), len(d))
    at_risk = entered - np.searchsorted(np.sort(d), times, side="left")
    event_times = np.asarray(sf.surv_times, float)
    median = float(sf.quantile(0.5)) if len(event_times) else math.nan
    return KaplanMeierResult(
        param_names=tuple(f"S({t:g})" for t in event_times),
        param_values=tuple(sf.surv_prob),
        se_values=tuple(sf.surv_prob_se),
        n_obs=len(d),
        converged=True,
        message="closed form",
        iterations=None,
        log_likelihood=None,
        label=label,
        level=level,
        conf_type=conf_type,
        median=math.inf if math.isnan(median) else median,
        event_times=tuple(event_times.tolist()),
        times=tuple(times.tolist()),
        at_risk=tuple(int(x) for x in at_risk),
        events=tuple(int(x) for x in n_events),
        censored=tuple(int(x) for x in n_total - n_events),
        delayed_entry=t0 is not None,
    )


# ---------------------------------------------------------------------------------------------
# Log-rank test (statsmodels.duration.survfunc.survdiff)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogrankResult:
    """Log-rank (Mantel-Haenszel) test that survival curves are equal.

    ``observed`` and ``expected`` are the events per group (in the order of ``groups``, sorted)
    and the events expected under equal curves.
    """

    statistic: float
    df: int
    p_value: float
    observed: tuple
    expected: tuple
    groups: tuple = ()

    def __repr__(self) -> str:
        p = f"p={self.p_value:.3g}" if self.p_value >= 1e-16 else "p<1e-16"
        return f"LogrankResult(chi2={self.statistic:.2f}, df={self.df}, {p})"


def logrank_test(durations, events, groups) -> LogrankResult:
    """Log-rank test of equal survival across k >= 2 groups (chi-square with k - 1 df).

    The statistic is computed by ``statsmodels.duration.survfunc.survdiff``; the p-value is
    the chi-square upper tail (``scipy.stats.chi2.sf``, accurate far below 1e-16).

    Parameters
    ----------
    durations, events : array_like or pandas.Series
        As in :func:`kaplan_meier`.
    groups : array_like or pandas.Series
        Group label of each subject. Series are aligned by index.

    Returns
    -------
    LogrankResult
        Chi-square statistic, degrees of freedom, p-value, and observed / expected events per
        group (in sorted group order).

    Raises
    ------
    ValueError
        Fewer than two groups, no observed event, or inputs as in :func:`kaplan_meier`.

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising
    in its consideration. *Cancer Chemotherapy Reports* 50(3), 163-170. Collett, D. (2015).
    *Modelling Survival Data in Medical Research*, 3rd ed., CRC Press, section 2.6.

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], ["a", "b", "a", "b", "a", "b"])
    >>> r.df, r.groups
    (1, ('a', 'b'))
    """
    from scipy.stats import chi2
    from statsmodels.duration.survfunc import survdiff

    d, e, _, data = _survival_data(durations, events, groups=groups)
    g = pd.Series(np.asarray(data["groups"], dtype=object))
    if g.isna().any():
        raise ValueError(f"groups must not have missing labels (first at position {int(np.flatnonzero(g.isna())[0])})")
    labels, gi = np.unique(g.astype(str).to_numpy(), return_inverse=True)
    k = len(labels)
    if k < 2:
        raise ValueError(f"groups must contain at least 2 different groups; got {list(labels)}")
    if not e.any():
        raise ValueError("events has no observed event: there is nothing for the log-rank test to compare")
    try:
        stat, _ = survdiff(d, e.astype(float), labels[gi])
    except np.linalg.LinAlgError:
        raise ValueError(
            "the log-rank variance matrix is singular: some group has no subject at risk at any "
            "event time; drop or merge that group"
        ) from None
    # observed and expected events per group (the bookkeeping behind the statistic)
    times, ti = np.unique(d, return_inverse=True)
    counts, deaths = np.zeros((k, len(times))), np.zeros((k, len(times)))
    np.add.at(counts, (gi, ti), 1.0)
    np.add.at(deaths, (gi, ti), e.astype(float))
    at_risk = counts[:, ::-1].cumsum(axis=1)[:, ::-1]
    expected = (at_risk * (deaths.sum(axis=0) / at_risk.sum(axis=0))).sum(axis=1)
    stat = float(stat)
    return LogrankResult(
        stat,
        k - 1,
        float(chi2.sf(stat, k - 1)),
        tuple(float(x) for x in deaths.sum(axis=1)),
        tuple(float(x) for x in expected.round(9)),
        tuple(str(x) for x in labels),
    )


# ---------------------------------------------------------------------------------------------
# Formulas (statsmodels' formula machinery: patsy, or formulaic where statsmodels is set to it)
# ---------------------------------------------------------------------------------------------
_NAME = re.compile(r"Q\(\s*(['\"])(.+?)\1\s*\)|[A-Za-z_][A-Za-z0-9_]*")
_FORMULA_ENV = {"np": np}


def _formula_columns(formula: str, data: pd.DataFrame) -> list[str]:
    """Columns of ``data`` a formula refers to (by name, or as ``Q("a name")``), in order of appearance."""
    found: list[str] = []
    for m in _NAME.finditer(formula):
        name = m.group(2) if m.group(2) is not None else m.group(0)
        if name in data.columns and name not in found:
            found.append(name)
    return found


def _no_missing(data: pd.DataFrame, columns, *, data_name: str = "data") -> None:
    """Refuse missing values in ``columns``: the error names the column, the count and the first row."""
    for c in columns:
        bad = pd.isna(data[c]).to_numpy()
        if bad.any():
            raise ValueError(
                f"{data_name}[{c!r}] has {int(bad.sum())} missing value(s) (first at row "
                f"{data.index[np.flatnonzero(bad)[0]]!r}); drop or impute them first: rows are never dropped silently"
            )


def _parse_formula(formula, data, *, data_name: str = "data") -> tuple[str, list[str]]:
    """Check ``formula`` ("outcome ~ terms") against ``data``; return the outcome column and the columns used."""
    if not isinstance(formula, str) or "~" not in formula:
        raise TypeError(
            f"formula must be a string 'outcome ~ terms', e.g. 'churn ~ contract + tenure'; got {formula!r}"
        )
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{data_name} must be a pandas DataFrame; got {type(data).__name__}")
    if len(data) == 0:
        raise ValueError(f"{data_name} must not be empty")
    lhs = formula.split("~", 1)[0].strip()
    quoted = re.fullmatch(r"Q\(\s*(['\"])(.+)\1\s*\)", lhs)
    lhs = quoted.group(2) if quoted else lhs
    if lhs not in data.columns:
        raise ValueError(
            f"the left-hand side of formula {formula!r} must be one column of {data_name}; {lhs!r} is not "
            f"(columns: {list(data.columns)[:12]})"
        )
    used = _formula_columns(formula, data)
    _no_missing(data, used, data_name=data_name)
    return lhs, used


def _formula_error(formula, err) -> ValueError:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return ValueError(f"formula {formula!r} cannot be evaluated on data: {text}")


def _design(formula: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, object]:
    """(outcome, design matrix, design spec) of ``formula`` on ``frame`` (statsmodels' FormulaManager)."""
    from statsmodels.formula._manager import FormulaManager

    mgr = FormulaManager()
    try:
        y, X = mgr.get_matrices(formula, frame, eval_env=_FORMULA_ENV, pandas=True)
    except Exception as err:  # patsy's PatsyError, formulaic's errors, a KeyError for an unknown name
        raise _formula_error(formula, err) from None
    if len(X) != len(frame):  # a transformation produced missing values (e.g. np.log(0))
        raise ValueError(
            f"formula {formula!r} produces missing or infinite values in {len(frame) - len(X)} row(s) of data "
            "(e.g. log of 0); transform the columns first"
        )
    return y, X, mgr.spec


def _design_rhs(spec, data: pd.DataFrame, columns, *, data_name: str = "data") -> pd.DataFrame:
    """The design matrix of a fitted formula's right-hand side on new data (rows kept, index kept)."""
    from statsmodels.formula._manager import FormulaManager

    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{data_name} must be a pandas DataFrame with the model's columns; got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{data_name} is missing column(s) {missing} used by the model")
    _no_missing(data, columns, data_name=data_name)
    try:
        X = FormulaManager().get_matrices(spec, data, eval_env=_FORMULA_ENV, pandas=True, prediction=True)
    except Exception as err:
        raise ValueError(f"{data_name} cannot be put through the model's formula: {str(err).splitlines()[0]}") from None
    if len(X) != len(data):
        raise ValueError(f"the model's formula produces missing values in {len(data) - len(X)} row(s) of {data_name}")
    return X.set_axis(data.index)


def _columns(text: str) -> int:
    """Terminal columns ``text`` takes: two for each wide (Chinese) character, one otherwise."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _newton_message(converged: bool, iterations: int, maxiter: int) -> str:
    """The optimiser's report of a Newton-Raphson fit, in the current language."""
    if converged:
        return _("Newton-Raphson converged in {iterations} iterations").format(iterations=iterations)
    return _("Newton-Raphson stopped after maxiter={maxiter} iterations without meeting its tolerance").format(
        maxiter=maxiter
    )


# ---------------------------------------------------------------------------------------------
# Logistic regression (statsmodels.discrete.discrete_model.Logit)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class LogitResult(FitResult):
    """A fitted logistic regression: log-odds coefficients in the :class:`~crmlib.results.FitResult` protocol.

    ``params``, ``standard_errors`` and ``log_likelihood`` are statsmodels'; ``conf_int(level)``
    gives Wald intervals (as statsmodels' ``conf_int``); ``converged`` and ``iterations`` come
    from the Newton-Raphson optimiser (``mle_retvals``).

    Attributes
    ----------
    name : str
        A description of the model (outcome ~ regressors).
    log_likelihood_null : float
        Log-likelihood of the intercept-only model (for McFadden's pseudo R²).
    notes : str
        Reading notes, e.g. the reference categories of dummies.
    formula : str
        The formula of :func:`fit_logit_formula` ("" for a fit on a design matrix).
    columns : tuple of str
        The data columns the formula's right-hand side uses (what :meth:`predict` needs).
    """

    model_name: ClassVar[str] = "logistic regression"
    name: str = "logit"
    log_likelihood_null: float = math.nan
    notes: str = ""
    formula: str = ""
    columns: tuple[str, ...] = ()
    design: object = field(default=None, compare=False)

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo R² = 1 - log L / log L(intercept only)."""
        return 1.0 - self.log_likelihood / self.log_likelihood_null

    def odds_ratios(self, level: float = 0.95) -> pd.DataFrame:
        """exp(coefficient) with its Wald interval at ``level`` (columns ``odds_ratio``, ``lower``, ``upper``)."""
        ci = self.conf_int(level)
        return pd.DataFrame(
            {"odds_ratio": np.exp(self.params), "lower": np.exp(ci["lower"]), "upper": np.exp(ci["upper"])}
        )

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors, z, p-values, 95% intervals and the odds ratio exp(estimate)."""
        table = super().summary()
        table["odds_ratio"] = np.exp(table["estimate"])
        return table

    def predict(self, regressors: pd.DataFrame) -> pd.Series:
        """Predicted probabilities for the rows of a DataFrame, indexed like it.

        For a :func:`fit_logit_formula` result, ``regressors`` holds the raw data columns the
        formula uses (the formula's dummies and transformations are applied as in the fit; a
        missing value is refused naming its column). For a :func:`fit_logit` result it holds the
        design columns, matched by name, not position.
        """
        from scipy.special import expit

        if self.formula and self.design is not None:
            X = _design_rhs(self.design, regressors, self.columns, data_name="regressors")
            missing = [c for c in self.param_names if c not in X.columns]
            if missing:
                raise ValueError(f"regressors give no column(s) {missing} of the fitted model {self.name!r}")
            A = X[list(self.param_names)].to_numpy(dtype=float)
            return pd.Series(expit(A @ np.asarray(self.param_values)), index=regressors.index, name="probability")
        if not isinstance(regressors, pd.DataFrame):
            raise TypeError(
                f"regressors must be a pandas DataFrame with columns {list(self.param_names)}; "
                f"got {type(regressors).__name__}"
            )
        missing = [c for c in self.param_names if c not in regressors.columns]
        if missing:
            raise ValueError(f"regressors is missing column(s) {missing} of the fitted model {self.name!r}")
        X = np.column_stack([v.as_float(f"regressors[{c!r}]", regressors[c].to_numpy()) for c in self.param_names])
        return pd.Series(expit(X @ np.asarray(self.param_values)), index=regressors.index, name="probability")

    def __repr__(self) -> str:
        head = _("{name}: {fit}, McFadden pseudo R2 = {pseudo_r2:.3f}").format(
            name=self.name, fit=self._fit_line(), pseudo_r2=self.pseudo_r2
        )
        lines = [f"LogitResult({head})"]
        shown = [str(label(n)) for n in self.param_names]  # the terms' labels in the current language
        width = max((_columns(n) for n in shown), default=0)
        for term, est, se in zip(shown, self.param_values, self.standard_errors):
            lines.append(f"  {term}{' ' * (width - _columns(term))}  {est:+.4f}  {_se_text(se)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = _("{name}: {fit}, McFadden pseudo R² = {pseudo_r2:.3f}").format(
            name=f"<b>{self.name}</b>", fit=self._fit_line(), pseudo_r2=self.pseudo_r2
        )
        return f"<p>{head}</p>" + translate_frame(self.summary().round(4)).to_html()


def _check_collinear(Xv: np.ndarray, terms) -> None:
    """Refuse a design matrix whose columns are linearly dependent, naming the first redundant term."""
    if np.linalg.matrix_rank(Xv) == Xv.shape[1]:
        return
    for j in range(1, Xv.shape[1] + 1):
        if np.linalg.matrix_rank(Xv[:, :j]) < j:
            raise ValueError(
                f"the terms are collinear: {terms[j - 1]!r} is a combination of {list(terms[: j - 1])} (or constant); "
                "drop it or one of those"
            )


def _separating_dummy(y: np.ndarray, X: np.ndarray, terms) -> str | None:
    """A 0/1 regressor whose rows at 1 (or at 0) all have the same outcome (quasi-complete separation)."""
    for j, term in enumerate(terms):
        col = X[:, j]
        if not np.all((col == 0) | (col == 1)) or col.min() == col.max():
            continue
        for value in (1.0, 0.0):
            rows = y[col == value]
            if rows.min() == rows.max():
                return (
                    f"all {len(rows)} row(s) with {term} = {value:g} have outcome {bool(rows[0])} "
                    f"(quasi-complete separation)"
                )
    return None


def _fit_logit_arrays(y, X: pd.DataFrame, *, name, notes, maxiter, outcome_name="outcome", **extra) -> LogitResult:
    """Fit a logit of float 0/1 ``y`` on the design DataFrame ``X`` (checks, statsmodels, the result)."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationError, PerfectSeparationWarning

    terms = [str(c) for c in X.columns]
    Xv = np.column_stack([v.as_float(f"regressors[{c!r}]", X[c].to_numpy()) for c in X.columns])
    if y.min() == y.max():
        raise ValueError(
            f"{outcome_name} must contain both outcomes; all {len(y)} are {bool(y[0])}, so there is nothing to explain"
        )
    if len(y) <= len(terms):
        raise ValueError(
            f"{outcome_name} has {len(y)} observations for {len(terms)} terms: a logit needs more observations "
            "than terms"
        )
    _check_collinear(Xv, terms)
    dummy = _separating_dummy(y, Xv, terms)
    if dummy:
        raise ValueError(
            f"{dummy}: the maximum-likelihood coefficient of that term is infinite (separation); merge that "
            "category with another, drop the term, or use fit_penalized_logit"
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.Logit(y, Xv).fit(disp=0, method="newton", maxiter=maxiter)
        except (PerfectSeparationError, np.linalg.LinAlgError):
            caught.append(warnings.WarningMessage("separation", PerfectSeparationWarning, "", 0))
            res = None
    # Complete separation: a hyperplane puts every 1 on one side and every 0 on the other, so the
    # likelihood keeps rising as the coefficients grow. statsmodels flags it only once the fitted
    # probabilities are all (numerically) 0 or 1; a fit whose linear predictor classifies every
    # observation correctly has found such a hyperplane, whatever the iteration count.
    separated = res is not None and bool(np.all((Xv @ np.asarray(res.params, float) > 0) == (y > 0.5)))
    if res is None or separated or any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        raise ValueError(
            f"the regressors predict {outcome_name} perfectly (complete separation): the maximum-likelihood "
            "estimates do not exist (coefficients run off to infinity); drop or merge the regressor "
            "that separates the outcomes, or collect more data"
        )
    converged = bool(res.mle_retvals.get("converged", False))
    iterations = int(res.mle_retvals.get("iterations", 0))
    message = _newton_message(converged, iterations, maxiter)
    result = LogitResult(
        param_names=tuple(terms),
        param_values=tuple(np.asarray(res.params, float)),
        se_values=tuple(np.asarray(res.bse, float)),
        n_obs=int(res.nobs),
        converged=converged,
        message=message,
        iterations=iterations,
        log_likelihood=float(res.llf),
        log_likelihood_null=float(res.llnull),
        name=name,
        notes=notes,
        **extra,
    )
    warn_if_not_converged(
        result,
        advice=f"Model {name!r}: raise maxiter, put the regressors on similar scales, "
        "or check whether a regressor nearly separates the outcomes.",
        stacklevel=4,
    )
    bad = [t for t, se in zip(terms, result.se_values) if not math.isfinite(se)]
    if bad:
        warnings.warn(
            f"{name}: the standard errors of {bad} are not finite (the information matrix is singular "
            "at the estimates); do not interpret those terms",
            RuntimeWarning,
            stacklevel=3,
        )
    return result


def fit_logit(outcome, regressors, *, name="logit", maxiter=100, notes="") -> LogitResult:
    """Maximum-likelihood logistic regression of a binary outcome (statsmodels ``Logit``, Newton-Raphson).

    Parameters
    ----------
    outcome : array_like or pandas.Series
        True/False, 0/1 or Yes/No per observation.
    regressors : pandas.DataFrame
        One column per term (numbers); include a column of ones (e.g. ``const``) for an
        intercept. A Series ``outcome`` is aligned with it by index. For a model written as a
        formula on raw data (dummies built for you) use :func:`fit_logit_formula`.
    name : str, default "logit"
        A description of the model, shown in the repr.
    maxiter : int, default 100
        Newton-Raphson iterations allowed, 1 ... 10,000. Start values are statsmodels' defaults
        (deterministic).
    notes : str, default ""
        Reading notes kept with the result.

    Returns
    -------
    LogitResult

    Raises
    ------
    ValueError
        An outcome that takes one value only, collinear regressors, fewer observations than
        terms, or outcomes (quasi-)completely separated by the regressors (the maximum-likelihood
        estimates do not exist; a 0/1 regressor whose rows all share one outcome is named).

    Warns
    -----
    crmlib.results.ConvergenceWarning
        When Newton-Raphson stops at ``maxiter`` without meeting its tolerance.

    References
    ----------
    Hosmer, D. W., Lemeshow, S. & Sturdivant, R. X. (2013). *Applied Logistic Regression*,
    3rd ed., Wiley. Albert, A. & Anderson, J. A. (1984). On the existence of maximum likelihood
    estimates in logistic regression models. *Biometrika* 71(1), 1-10 (separation).

    Examples
    --------
    >>> X = pd.DataFrame({"const": 1.0, "x": [0, 1, 2, 3, 4, 5, 6, 7]})
    >>> fit = fit_logit([0, 0, 1, 0, 1, 0, 1, 1], X)
    >>> fit.converged, fit.params.round(3).tolist()
    (True, [-2.079, 0.594])
    """
    if not isinstance(regressors, pd.DataFrame):
        raise TypeError(f"regressors must be a pandas DataFrame (one column per term); got {type(regressors).__name__}")
    if regressors.shape[1] == 0:
        raise ValueError("regressors must have at least one column (add a 'const' column of ones for an intercept)")
    if not isinstance(name, str) or not isinstance(notes, str):
        raise TypeError(f"name and notes must be strings; got {name!r}, {notes!r}")
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=10_000)
    if isinstance(outcome, pd.Series):
        index, _ = v.aligned(
            outcome=pd.Series(0.0, index=outcome.index), regressors=pd.Series(0.0, index=regressors.index)
        )
        outcome, X = outcome.reindex(index), regressors.reindex(index)
    else:
        X = regressors
        if len(np.atleast_1d(np.asarray(outcome, dtype=object))) != len(X):
            raise ValueError(
                f"outcome and regressors must have the same length; outcome has "
                f"{len(np.atleast_1d(np.asarray(outcome, dtype=object)))}, regressors has {len(X)} rows"
            )
    y = _binary("outcome", outcome).astype(float)
    return _fit_logit_arrays(y, X, name=name, notes=notes, maxiter=maxiter)


def fit_logit_formula(formula, data, *, maxiter=100, name=None) -> LogitResult:
    """Logistic regression written as a formula on a DataFrame, e.g. ``"churn ~ contract + tenure"``.

    The formula is turned into a design matrix by statsmodels' formula machinery (patsy syntax:
    ``C(x)`` or a category/bool/text column gives treatment dummies against the first level,
    ``a:b`` an interaction, ``a * b`` both main effects and the interaction, ``np.log(x)`` and
    ``I(x / 12)`` transformations, ``Q("a name")`` a column whose name has spaces, ``- 1`` no
    intercept), then fitted by :func:`fit_logit` (statsmodels ``Logit``, Newton-Raphson).

    Parameters
    ----------
    formula : str
        ``outcome ~ terms``; the outcome is one column of ``data`` holding True/False, 0/1 or
        Yes/No.
    data : pandas.DataFrame
        One row per customer. Rows are never dropped silently: a missing value in any column the
        formula uses is an error naming that column.
    maxiter : int, default 100
        Newton-Raphson iterations allowed, 1 ... 10,000.
    name : str, optional
        A description shown in the repr (default: the formula).

    Returns
    -------
    LogitResult
        With ``formula`` and the columns it uses: ``result.predict(new_data)`` applies the same
        dummies and transformations to new rows (e.g. a holdout sample).

    Raises
    ------
    ValueError
        A formula that names no column of ``data`` on its left, terms that cannot be evaluated,
        missing values (named by column), an outcome with one value only, collinear terms, and
        (quasi-)complete separation (the term is named), as in :func:`fit_logit`.

    References
    ----------
    Hosmer, Lemeshow & Sturdivant (2013), ch. 1-3; Wilkinson, G. N. & Rogers, C. E. (1973).
    Symbolic description of factorial models for analysis of variance. *Applied Statistics*
    22(3), 392-399 (the formula notation).

    Examples
    --------
    >>> df = pd.DataFrame({"churn": [0, 0, 1, 0, 1, 0, 1, 1], "x": [0, 1, 2, 3, 4, 5, 6, 7]})
    >>> fit = fit_logit_formula("churn ~ x", df)
    >>> fit.param_names, fit.params.round(3).tolist()
    (('Intercept', 'x'), [-2.079, 0.594])
    >>> fit.predict(pd.DataFrame({"x": [0.0, 7.0]})).round(3).tolist()
    [0.111, 0.889]
    """
    lhs, used = _parse_formula(formula, data)
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=10_000)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string or None; got {name!r}")
    y = _binary(f"data[{lhs!r}]", data[lhs]).astype(float)
    frame = data[used].copy()
    frame[lhs] = y
    _, X, spec = _design(formula, frame)
    refs = _reference_levels(data, used, lhs)
    return _fit_logit_arrays(
        y,
        X,
        name=formula if name is None else name,
        notes=refs,
        maxiter=maxiter,
        outcome_name=f"data[{lhs!r}]",
        formula=formula,
        columns=tuple(c for c in used if c != lhs),
        design=spec,
    )


def _reference_levels(data: pd.DataFrame, used, lhs) -> str:
    """Reading note: the reference (first) level of each categorical column a formula uses."""
    notes = []
    for c in used:
        if c == lhs:
            continue
        s = data[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            notes.append(f"{c}: {s.cat.categories[0]!r}")
        elif pd.api.types.is_bool_dtype(s):
            notes.append(f"{c}: False")
        elif not pd.api.types.is_numeric_dtype(s):
            notes.append(f"{c}: {sorted(s.astype(str).unique())[0]!r}")
    return _("reference levels: {levels}").format(levels=", ".join(notes)) if notes else ""


# ---------------------------------------------------------------------------------------------
# Restricted mean survival time (area under the Kaplan-Meier curve up to tau)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RMSTResult:
    """Restricted mean survival time up to ``tau``: the expected time survived within [0, tau].

    ``estimate`` is in the unit of the durations (months of tenure for the telco data); the
    interval is estimate ± z·SE at ``level``, clipped to [0, tau].
    """

    tau: float
    estimate: float
    std_error: float
    level: float
    lower: float
    upper: float
    label: str = ""

    def __repr__(self) -> str:
        text = _(
            "{label}: {estimate:.4g} up to tau = {tau:g} (se {std_error:.3g}), {level:.0%} interval {lower:.4g} "
            "to {upper:.4g}"
        ).format(
            label=self.label,
            estimate=self.estimate,
            tau=self.tau,
            std_error=self.std_error,
            level=self.level,
            lower=self.lower,
            upper=self.upper,
        )
        return f"RMSTResult({text})"


def _rmst_parts(curve: KaplanMeierResult, tau: float) -> tuple[float, float]:
    """Area under the step curve on [0, tau] and its variance (Klein & Moeschberger eq. 4.5.2)."""
    t = np.asarray(curve.event_times, float)
    s = np.asarray(curve.param_values, float)
    keep = t < tau
    t, s = t[keep], s[keep]
    # the curve is 1 on [0, t_1), s_k on [t_k, t_{k+1}), the last step running to tau
    edges = np.concatenate([[0.0], t, [tau]])
    heights = np.concatenate([[1.0], s])
    pieces = heights * np.diff(edges)
    area = float(pieces.sum())
    # A_k = integral of S from t_k to tau = the pieces after the k-th step started
    tail = np.cumsum(pieces[::-1])[::-1][1:]
    table = curve.table.set_index("time")
    n = table.loc[t, "at_risk"].to_numpy(float)
    d = table.loc[t, "events"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(n > d, tail**2 * d / (n * (n - d)), 0.0)  # n = d: S drops to 0, A_k = 0
    return area, float(terms.sum())


def restricted_mean_survival(curve, tau, *, level=0.95) -> RMSTResult:
    r"""Restricted mean survival time (RMST): the area under a Kaplan-Meier curve from 0 to ``tau``.

    .. math:: \widehat{\mathrm{RMST}}(\tau) = \int_0^\tau \hat S(t)\,dt, \qquad
              \widehat{\operatorname{Var}} = \sum_{t_i \le \tau} \frac{A_i^2\, d_i}{n_i (n_i - d_i)},
              \quad A_i = \int_{t_i}^{\tau} \hat S(t)\,dt,

    the expected time a subject survives within the first ``tau`` units (for customers: the
    expected months of tenure within the first ``tau`` months), with the Greenwood-type
    variance of Klein & Moeschberger (2003, eq. 4.5.2), the one R ``survival`` prints with
    ``print(fit, rmean = tau)`` and ``survRM2`` uses. Unlike the median it exists when the curve
    never falls to one half, and it adds up: RMST(tau) = tau - (expected time lost before tau).

    Parameters
    ----------
    curve : KaplanMeierResult
        From :func:`kaplan_meier` (with or without delayed entry).
    tau : float
        Horizon, > 0 and at most the curve's last observed time (the curve is not estimated
        beyond it).
    level : float, default 0.95
        Confidence level of the interval, in (0, 1).

    Returns
    -------
    RMSTResult

    References
    ----------
    Irwin, J. O. (1949). The standard error of an estimate of expectation of life. *Journal of
    Hygiene* 47(2), 188-189. Klein & Moeschberger (2003), section 4.5. Royston, P. & Parmar,
    M. K. B. (2013). Restricted mean survival time: an alternative to the hazard ratio for the
    design and analysis of randomized trials with a time-to-event outcome. *BMC Medical
    Research Methodology* 13, 152.

    Examples
    --------
    Two subjects fail at 1 and 3: S = 1 on [0, 1), 0.5 on [1, 3), so the area up to 2 is 1.5.

    >>> r = restricted_mean_survival(kaplan_meier([1, 3], [1, 1]), 2)
    >>> r.estimate, round(r.std_error, 4)
    (1.5, 0.3536)
    """
    if not isinstance(curve, KaplanMeierResult):
        raise TypeError(f"curve must be a KaplanMeierResult from kaplan_meier(); got {type(curve).__name__}")
    tau = v.positive("tau", tau)
    level = check_level(level)
    last = max(curve.times) if curve.times else 0.0
    if tau > last:
        raise ValueError(
            f"tau must be at most the curve's last observed time {last:g} (the curve is not estimated beyond "
            f"it); got {tau:g}"
        )
    from scipy.stats import norm

    area, var = _rmst_parts(curve, tau)
    se = math.sqrt(var)
    z = norm.ppf(0.5 + level / 2)
    return RMSTResult(
        tau=tau,
        estimate=area,
        std_error=se,
        level=level,
        lower=max(0.0, area - z * se),
        upper=min(tau, area + z * se),
        label=curve.label,
    )


def restricted_mean_table(curves, tau, *, reference=None, level=0.95) -> pd.DataFrame:
    """RMST of several curves up to ``tau`` and each curve's difference from a reference curve.

    The difference of two independent groups has variance var_a + var_b (Royston & Parmar 2013);
    its interval and two-sided p-value are normal-theory.

    Parameters
    ----------
    curves : dict
        Group label -> :class:`KaplanMeierResult` (e.g. :func:`crmlib.switching.retention_curves`).
    tau : float
        Horizon, > 0 and at most every curve's last observed time.
    reference : str, optional
        Label of the reference group (default: the first).
    level : float, default 0.95
        Confidence level, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index ``group``; columns ``rmst``, ``std_error``, ``lower``, ``upper``, ``difference``,
        ``difference_se``, ``difference_lower``, ``difference_upper``, ``p_value`` (the reference
        row has difference 0 and NaN for the rest).

    Examples
    --------
    >>> curves = {"a": kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1]), "b": kaplan_meier([2, 4, 6, 8], [1, 1, 0, 0])}
    >>> restricted_mean_table(curves, 4)["difference"].tolist()
    [0.0, 1.0]
    """
    from scipy.stats import norm

    if not isinstance(curves, dict) or not curves or not all(isinstance(c, KaplanMeierResult) for c in curves.values()):
        raise TypeError("curves must be a non-empty dict of KaplanMeierResult, e.g. from retention_curves()")
    level = check_level(level)
    ref = next(iter(curves)) if reference is None else reference
    if ref not in curves:
        raise ValueError(f"reference must be one of {list(curves)}; got {reference!r}")
    rows = {k: restricted_mean_survival(c, tau, level=level) for k, c in curves.items()}
    z = norm.ppf(0.5 + level / 2)
    base = rows[ref]
    out = []
    for k, r in rows.items():
        diff = r.estimate - base.estimate
        dse = math.sqrt(r.std_error**2 + base.std_error**2) if k != ref else math.nan
        p = 2 * norm.sf(abs(diff) / dse) if k != ref and dse > 0 else math.nan
        out.append(
            {
                "group": k,
                "rmst": r.estimate,
                "std_error": r.std_error,
                "lower": r.lower,
                "upper": r.upper,
                "difference": diff,
                "difference_se": dse,
                "difference_lower": diff - z * dse,
                "difference_upper": diff + z * dse,
                "p_value": p,
            }
        )
    return pd.DataFrame(out).set_index("group")


# ---------------------------------------------------------------------------------------------
# Survival regression on a formula: checks shared by Cox and Weibull
# ---------------------------------------------------------------------------------------------
def _survival_frame(formula, data, event, entry, *, positive=False):
    """Durations, events (bool), entry times (or None) and the columns used, from ``data``'s columns."""
    lhs, used = _parse_formula(formula, data)
    for arg, col in (("event", event), ("entry", entry)):
        if col is None and arg == "entry":
            continue
        if not isinstance(col, str):
            raise TypeError(f"{arg} must be the name of a column of data; got {col!r}")
        if col not in data.columns:
            raise ValueError(f"{arg} must be a column of data; {col!r} is not (columns: {list(data.columns)[:12]})")
    _no_missing(data, [event] + ([entry] if entry is not None else []))
    _numeric(data[lhs], lhs)
    d = np.atleast_1d(v.non_negative(f"data[{lhs!r}]", data[lhs].to_numpy(dtype=float))).astype(float)
    if positive and np.any(d <= 0):
        i = int(np.flatnonzero(d <= 0)[0])
        raise ValueError(
            f"data[{lhs!r}] must be > 0 for this model (its likelihood uses log time); got {d[i]:g} at row "
            f"{data.index[i]!r}: drop the customers with zero tenure first"
        )
    e = _binary(f"data[{event!r}]", data[event])
    if not e.any():
        raise ValueError(f"data[{event!r}] has no event (all {len(e)} censored): there is nothing to model")
    t0 = None
    if entry is not None:
        t0 = np.atleast_1d(v.non_negative(f"data[{entry!r}]", data[entry].to_numpy(dtype=float))).astype(float)
        bad = t0 >= d
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"data[{entry!r}] must be earlier than data[{lhs!r}] on every row; {int(bad.sum())} are not, first "
                f"at row {data.index[i]!r}: {t0[i]:g} >= {d[i]:g}"
            )
    cols = [c for c in used if c != lhs]
    frame = data[cols].copy()
    frame[lhs] = d
    return lhs, d, e, t0, cols, frame


def _numeric(s: pd.Series, name: str) -> None:
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise TypeError(f"data[{name!r}] must hold numbers (durations); got dtype {s.dtype}")


# ---------------------------------------------------------------------------------------------
# Cox proportional hazards (statsmodels.duration.hazard_regression.PHReg)
# ---------------------------------------------------------------------------------------------
_PH_TRANSFORMS = ("km", "rank", "identity", "log")


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


def _schoenfeld(d, e, t0, X, beta, ties):
    """Schoenfeld residuals of the events, in time order: x_i minus the risk-set mean at the event's time.

    The risk set at time u holds the subjects with entry < u <= duration, weighted by exp(x'beta).
    With ties="efron" the mean at a time with m tied events is the average over l = 0 .. m-1 of
    Efron's means (S1 - l/m S1_D) / (S0 - l/m S0_D) (as R ``coxph``); with "breslow" the plain
    risk-set mean (as statsmodels ``PHRegResults.schoenfeld_residuals``).
    Returns (event times, residuals n_events x p).
    """
    eta = X @ beta
    w = np.exp(eta - eta.max())
    wx = w[:, None] * X
    order = np.argsort(d, kind="stable")
    ds = d[order]
    # suffix sums over subjects with duration >= u ...
    c0 = np.concatenate([np.cumsum(w[order][::-1])[::-1], [0.0]])
    c1 = np.vstack([np.cumsum(wx[order][::-1], axis=0)[::-1], np.zeros((1, X.shape[1]))])
    ev = np.flatnonzero(e)
    ev = ev[np.argsort(d[ev], kind="stable")]
    times, inv, counts = np.unique(d[ev], return_inverse=True, return_counts=True)
    i = np.searchsorted(ds, times, side="left")
    S0, S1 = c0[i], c1[i]
    if t0 is not None:  # ... minus those not yet entered (entry >= u; they have duration > u)
        o0 = np.argsort(t0, kind="stable")
        e0 = np.concatenate([np.cumsum(w[o0][::-1])[::-1], [0.0]])
        e1 = np.vstack([np.cumsum(wx[o0][::-1], axis=0)[::-1], np.zeros((1, X.shape[1]))])
        j = np.searchsorted(t0[o0], times, side="left")
        S0, S1 = S0 - e0[j], S1 - e1[j]
    means = S1 / S0[:, None]
    if ties == "efron" and np.any(counts > 1):
        D0 = np.bincount(inv, weights=w[ev], minlength=len(times))
        D1 = np.zeros_like(S1)
        np.add.at(D1, inv, wx[ev])
        for k in np.flatnonzero(counts > 1):
            frac = np.arange(counts[k]) / counts[k]
            means[k] = np.mean((S1[k][None, :] - frac[:, None] * D1[k]) / (S0[k] - frac * D0[k])[:, None], axis=0)
    return d[ev], X[ev] - means[inv]


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class CoxResult(FitResult):
    """A fitted Cox proportional-hazards model: log hazard ratios in the FitResult protocol.

    ``params`` are the log hazard ratios (statsmodels ``PHReg``), ``standard_errors`` from the
    inverse information, ``log_likelihood`` the maximised log *partial* likelihood.
    :meth:`hazard_ratios` gives exp(coefficient) with its interval and :meth:`ph_test` the
    proportional-hazards check.

    Attributes
    ----------
    formula : str
        ``duration ~ terms``.
    ties : {"efron", "breslow"}
        How tied event times enter the partial likelihood.
    n_events : int
        Number of events.
    delayed_entry : bool
        Whether entry times (left truncation) were used.
    """

    model_name: ClassVar[str] = "Cox proportional hazards"
    formula: str = ""
    ties: str = "efron"
    n_events: int = 0
    delayed_entry: bool = False
    columns: tuple[str, ...] = ()
    design: object = field(default=None, compare=False)
    covariance: np.ndarray = field(default=None, compare=False)
    event_order_times: np.ndarray = field(default=None, compare=False)
    schoenfeld: np.ndarray = field(default=None, compare=False)
    km_before: np.ndarray = field(default=None, compare=False)

    def hazard_ratios(self, level: float = 0.95) -> pd.DataFrame:
        """exp(coefficient) with its Wald interval at ``level`` (columns ``hazard_ratio``, ``lower``, ``upper``)."""
        ci = self.conf_int(level)
        return pd.DataFrame(
            {"hazard_ratio": np.exp(self.params), "lower": np.exp(ci["lower"]), "upper": np.exp(ci["upper"])}
        )

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors, z, p-values, 95% intervals and the hazard ratio exp(estimate)."""
        table = super().summary()
        table["hazard_ratio"] = np.exp(table["estimate"])
        return table

    def _time_scale(self, transform: str) -> np.ndarray:
        v.one_of("transform", transform, _PH_TRANSFORMS)
        t = np.asarray(self.event_order_times, float)
        if transform == "km":
            return 1.0 - np.asarray(self.km_before, float)
        if transform == "rank":
            from scipy.stats import rankdata

            return rankdata(t)
        if transform == "log":
            if np.any(t <= 0):
                raise ValueError("transform='log' needs event times > 0")
            return np.log(t)
        return t

    def scaled_schoenfeld(self) -> pd.DataFrame:
        """Scaled Schoenfeld residuals, one row per event (in time order), one column per term.

        r*_k = beta + d V r_k (Grambsch & Therneau 1994), with V the covariance of the estimates,
        d the number of events and r_k the Schoenfeld residuals of the k-th event. Under
        proportional hazards their mean does not change with time; plotting them against time
        shows how beta_j(t) would move.
        """
        d = len(self.event_order_times)
        V = np.asarray(self.covariance, float)
        scaled = np.asarray(self.schoenfeld, float) @ V * d + np.asarray(self.param_values)
        return pd.DataFrame(
            scaled, index=pd.Index(np.asarray(self.event_order_times), name="time"), columns=list(self.param_names)
        )

    def ph_test(self, transform: str = "km") -> pd.DataFrame:
        r"""Test of proportional hazards from the scaled Schoenfeld residuals (Grambsch & Therneau 1994).

        For each term, the scaled residuals are regressed on a function g(t) of event time; a
        slope other than zero means the log hazard ratio changes with time. The score statistic

        .. math:: T_j = \frac{\big(\sum_k (g_k - \bar g)\, r^*_{kj}\big)^2}{d\, V_{jj} \sum_k (g_k - \bar g)^2}

        is chi-square with 1 df under proportional hazards; the ``GLOBAL`` row tests all terms
        jointly (p df). ``rho`` is the correlation of g(t) with the scaled residuals. This is the
        approximate test computed by R ``survival::cox.zph`` before version 3.0 and by lifelines'
        ``proportional_hazard_test``. The Schoenfeld residuals use the fit's tie method (Efron's
        averaged means at tied times, as R; Breslow's plain risk-set means, as statsmodels).

        Parameters
        ----------
        transform : {"km", "rank", "identity", "log"}, default "km"
            g(t): one minus the Kaplan-Meier estimate just before t (R's default, robust to a
            few late events; lifelines uses the estimate *at* t instead), the rank of t, t
            itself, or log t.

        Returns
        -------
        pandas.DataFrame
            Index the terms and ``GLOBAL``; columns ``rho``, ``chi2``, ``df``, ``p_value``.

        References
        ----------
        Grambsch, P. M. & Therneau, T. M. (1994). Proportional hazards tests and diagnostics
        based on weighted residuals. *Biometrika* 81(3), 515-526. Therneau, T. M. & Grambsch,
        P. M. (2000). *Modeling Survival Data: Extending the Cox Model*, Springer, section 6.2.
        """
        from scipy.stats import chi2

        g = self._time_scale(transform)
        xx = g - g.mean()
        sxx = float(xx @ xx)
        if sxx == 0:
            raise ValueError("all events happen at one time: the test needs events at two or more times")
        d = len(g)
        V = np.asarray(self.covariance, float)
        S = np.asarray(self.schoenfeld, float)
        r2 = S @ V * d
        test = xx @ r2
        z = test**2 / (np.diag(V) * d * sxx)
        rho = [float(np.corrcoef(xx, r2[:, j])[0, 1]) if np.std(r2[:, j]) > 0 else math.nan for j in range(S.shape[1])]
        u = xx @ S
        z_all = float(u @ V @ u) * d / sxx
        p = S.shape[1]
        return pd.DataFrame(
            {
                N_("rho"): [*rho, math.nan],
                N_("chi2"): [*z.tolist(), z_all],
                N_("df"): [1] * p + [p],
                "p_value": [*chi2.sf(z, 1).tolist(), float(chi2.sf(z_all, p))],
            },
            index=pd.Index([*self.param_names, "GLOBAL"], name="term"),
        )

    def __repr__(self) -> str:
        entry = _(", delayed entry") if self.delayed_entry else ""
        head = _("{formula}: {fit}, events = {events:,}, ties {ties}{entry}").format(
            formula=self.formula, fit=self._fit_line(), events=self.n_events, ties=self.ties, entry=entry
        )
        lines = [f"CoxResult({head})"]
        width = max((len(n) for n in self.param_names), default=0)
        for term, est, se in zip(self.param_names, self.param_values, self.standard_errors):
            lines.append(f"  {term:<{width}}  {est:+.4f}  {_se_text(se)}  HR {math.exp(est):.3f}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        title = _("Cox model")
        return (
            f"<p><b>{title}</b> {self.formula}: {self._fit_line()}</p>"
            + translate_frame(self.summary().round(4)).to_html()
        )


def fit_cox(formula, data, *, event, entry=None, ties="efron", maxiter=100) -> CoxResult:
    r"""Cox proportional-hazards regression on a formula (statsmodels ``PHReg``, Newton-Raphson).

    .. math:: h_i(t) = h_0(t)\,\exp(x_i'\beta),

    an unspecified baseline hazard :math:`h_0` and log hazard ratios :math:`\beta`, estimated
    from the partial likelihood (Cox 1972). The formula's left-hand side is the duration
    column, its right-hand side the terms (patsy syntax as in :func:`fit_logit_formula`; the
    intercept is absorbed by the baseline hazard and dropped).

    Parameters
    ----------
    formula : str
        ``duration ~ terms``, e.g. ``"tenure ~ contract + monthly_charges"``.
    data : pandas.DataFrame
        One row per subject; a missing value in a column the model uses is refused, naming it.
    event : str
        Column of ``data``: True/1/"Yes" where the event (churn) was observed, else censored.
    entry : str, optional
        Column of ``data`` with entry times (delayed entry / left truncation), each earlier than
        its duration; the subject is in the risk sets only after it.
    ties : {"efron", "breslow"}, default "efron"
        Handling of tied event times: Efron's approximation (R's default) or Breslow's (Stata's
        and SAS's default).
    maxiter : int, default 100
        Newton-Raphson iterations allowed, 1 ... 10,000.

    Returns
    -------
    CoxResult

    Warns
    -----
    crmlib.results.ConvergenceWarning
        When Newton-Raphson stops without meeting its tolerance, typically because a group has
        no events (monotone likelihood: the coefficient runs off to minus infinity).

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34(2), 187-220. Efron, B.
    (1977). The efficiency of Cox's likelihood function for censored data. *JASA* 72, 557-565.
    Kleinbaum & Klein (2012), ch. 3-4.

    Examples
    --------
    The Freireich et al. (1963) remission trial (MASS ``gehan``): placebo against 6-MP.

    >>> t6 = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    >>> e6 = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    >>> tc = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]
    >>> gehan = pd.DataFrame({"weeks": t6 + tc, "relapse": e6 + [1] * 21, "placebo": [0] * 21 + [1] * 21})
    >>> fit = fit_cox("weeks ~ placebo", gehan, event="relapse")
    >>> fit.hazard_ratios().round(3).values.tolist()     # R coxph (Efron): coef 1.572, se 0.412
    [[4.817, 2.147, 10.809]]
    """
    from statsmodels.base.model import LikelihoodModel
    from statsmodels.duration.hazard_regression import PHReg, PHRegResults

    v.one_of("ties", ties, ["efron", "breslow"])
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=10_000)
    lhs, d, e, t0, cols, frame = _survival_frame(formula, data, event, entry)
    _, X, spec = _design(formula, frame)
    X = X.drop(columns=[c for c in X.columns if c == "Intercept"])
    if X.shape[1] == 0:
        raise ValueError(f"formula {formula!r} has no term on its right-hand side (a Cox model needs covariates)")
    Xv = X.to_numpy(dtype=float)
    _check_collinear(Xv, [str(c) for c in X.columns])
    model = PHReg(d, Xv, status=e.astype(float), entry=t0, ties=ties)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        raw = LikelihoodModel.fit(model, method="newton", maxiter=maxiter, disp=False)
    res = PHRegResults(model, raw.params, raw.cov_params())
    converged = bool(raw.mle_retvals.get("converged", False))
    iterations = int(raw.mle_retvals.get("iterations", 0))
    # events in time order, their Schoenfeld residuals and the KM estimate just before each (ph_test)
    ev_times, resid = _schoenfeld(d, e, t0, Xv, np.asarray(res.params, float), ties)
    km = kaplan_meier(d, e, entry=t0)
    ev_t = np.asarray(km.event_times, float)
    before = np.concatenate([[1.0], np.asarray(km.param_values, float)])[np.searchsorted(ev_t, ev_times, "left")]
    result = CoxResult(
        param_names=tuple(str(c) for c in X.columns),
        param_values=tuple(np.asarray(res.params, float)),
        se_values=tuple(np.asarray(res.bse, float)),
        n_obs=len(d),
        converged=converged,
        message=_newton_message(converged, iterations, maxiter),
        iterations=iterations,
        log_likelihood=float(res.llf),
        formula=formula,
        ties=ties,
        n_events=int(e.sum()),
        delayed_entry=t0 is not None,
        columns=tuple(cols),
        design=spec,
        covariance=_frozen(res.cov_params()),
        event_order_times=_frozen(ev_times),
        schoenfeld=_frozen(resid),
        km_before=_frozen(before),
    )
    warn_if_not_converged(
        result,
        advice="A group with no events (or only events) makes its coefficient run off to infinity (monotone "
        "likelihood): merge that group, or raise maxiter.",
    )
    return result


# ---------------------------------------------------------------------------------------------
# Weibull regression by maximum likelihood (accelerated-failure-time form, as R survreg)
# ---------------------------------------------------------------------------------------------
def _weibull_loglik(theta, X, logt, delta, logt0, has_entry, *, derivatives=False):
    """Log-likelihood (and gradient, Hessian) of log T = X beta + sigma W, W standard minimum extreme value.

    Per subject: delta (-log sigma - log t + z) - exp(z) + exp(z0) [entry > 0], z = (log t - x'beta) / sigma.
    theta = (beta, log sigma).
    """
    p = X.shape[1]
    beta, log_sigma = theta[:p], theta[p]
    sigma = math.exp(log_sigma)
    eta = X @ beta
    z = (logt - eta) / sigma
    ez = np.exp(z)
    z0 = np.where(has_entry, (logt0 - eta) / sigma, 0.0)
    ez0 = np.where(has_entry, np.exp(z0), 0.0)
    ll = float(np.sum(delta * (-log_sigma - logt + z) - ez + ez0))
    if not derivatives:
        return ll
    a = delta - ez + ez0
    g_beta = -(X.T @ a) / sigma
    g_ls = float(np.sum(-delta - z * (delta - ez) - z0 * ez0))
    w = ez - ez0
    H = np.empty((p + 1, p + 1))
    H[:p, :p] = -(X.T * w) @ X / sigma**2
    H[:p, p] = X.T @ (a - z * ez + z0 * ez0) / sigma
    H[p, :p] = H[:p, p]
    H[p, p] = float(np.sum(delta * z - z * ez - z**2 * ez + z0 * ez0 + z0**2 * ez0))
    return ll, np.concatenate([g_beta, [g_ls]]), H


def _newton(fun, theta0, maxiter, *, tol=1e-12):
    """Maximise a concave-near-the-top log-likelihood by Newton-Raphson with step halving.

    ``fun(theta)`` returns (log-likelihood, gradient, Hessian). Where the Hessian is not negative
    definite the step is damped (Levenberg) until it is. Converged when the Newton decrement
    g' (-H)^-1 g / 2 is below ``tol`` (relative to 1 + |log L|). Returns (theta, converged, iterations).
    """
    theta = np.asarray(theta0, float)
    for it in range(1, maxiter + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            ll, g, H = fun(theta)
        if not (np.isfinite(ll) and np.all(np.isfinite(g)) and np.all(np.isfinite(H))):
            return theta, False, it
        A, damp = -H, 0.0
        while True:
            try:
                L = np.linalg.cholesky(A + damp * np.eye(len(theta)))
                break
            except np.linalg.LinAlgError:
                damp = max(2 * damp, 1e-6 * (1 + np.abs(np.diag(A)).max()))
        step = np.linalg.solve(L.T, np.linalg.solve(L, g))
        if damp == 0.0 and 0.5 * float(g @ step) < tol * (1 + abs(ll)):
            return theta, True, it
        t = 1.0
        while t > 1e-12:
            with np.errstate(over="ignore", invalid="ignore"):
                new = fun(theta + t * step)[0]
            if np.isfinite(new) and new >= ll - 1e-12 * (1 + abs(ll)):
                break
            t /= 2
        theta = theta + t * step
    return theta, False, maxiter


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class WeibullResult(FitResult):
    r"""A Weibull survival model fitted by maximum likelihood, in the FitResult protocol.

    The accelerated-failure-time form of R ``survreg`` and Stata ``streg, time``:
    :math:`\log T = x'\beta + \sigma W`, so subject *i* has
    :math:`S_i(t) = \exp\{-(t/\lambda_i)^k\}` with scale :math:`\lambda_i = e^{x_i'\beta}` and
    shape :math:`k = 1/\sigma`. ``params`` holds the coefficients (on log time; ``exp`` gives
    time ratios) and ``shape``; the shape's interval is computed on the log scale. A shape
    below 1 means a hazard falling with tenure, above 1 a rising one, 1 the exponential.
    The proportional-hazards form has log hazard ratios :math:`-k\beta` (:meth:`hazard_ratios`).
    """

    model_name: ClassVar[str] = "Weibull (accelerated failure time)"
    formula: str = ""
    n_events: int = 0
    delayed_entry: bool = False
    columns: tuple[str, ...] = ()
    design: object = field(default=None, compare=False)
    covariance: np.ndarray = field(default=None, compare=False)  # of (beta, log sigma)

    @property
    def shape(self) -> float:
        """Shape k = 1 / sigma."""
        return float(self.param_values[-1])

    @property
    def coefficients(self) -> pd.Series:
        """The AFT coefficients beta (log time), without the shape."""
        return self.params.iloc[:-1]

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald intervals at ``level``; the shape's on the log scale (it stays positive)."""
        from scipy.stats import norm

        level = check_level(level)
        z = norm.ppf(0.5 + level / 2)
        est, se = self.params, self.standard_errors
        out = pd.DataFrame({"lower": est - z * se, "upper": est + z * se})
        se_log = math.sqrt(float(np.asarray(self.covariance)[-1, -1]))
        out.loc["shape"] = [self.shape * math.exp(-z * se_log), self.shape * math.exp(z * se_log)]
        return out

    def _linear(self, data) -> np.ndarray:
        beta = np.asarray(self.param_values[:-1])
        if data is None:
            if len(beta) != 1:
                raise ValueError(f"data is needed: the model has covariates ({list(self.param_names[1:-1])})")
            return np.array([beta[0]])
        X = _design_rhs(self.design, data, self.columns)
        return X[list(self.param_names[:-1])].to_numpy(dtype=float) @ beta

    def survival(self, times, data=None):
        """S(t) = exp(-(t / scale)^shape) at ``times`` (>= 0).

        Intercept-only model: an array (a Series for a Series of times). With covariates, pass
        ``data`` (rows of customers): a DataFrame, one row per customer, one column per time.
        """
        t = np.atleast_1d(v.non_negative("times", times))
        lam = np.exp(self._linear(data))
        s = np.exp(-((t[None, :] / lam[:, None]) ** self.shape))
        if data is None:
            s = s[0]
            if isinstance(times, pd.Series):
                return pd.Series(s, index=times.index, name="survival")
            return float(s[0]) if np.ndim(times) == 0 else s
        return pd.DataFrame(s, index=data.index, columns=list(t))

    def median(self, data=None):
        """Median survival time scale * (log 2)^(1/shape) (one per row of ``data`` with covariates)."""
        m = np.exp(self._linear(data)) * math.log(2) ** (1 / self.shape)
        return float(m[0]) if data is None else pd.Series(m, index=data.index, name="median")

    def restricted_mean(self, tau, data=None):
        r"""Restricted mean survival time up to ``tau``: :math:`\lambda\,\Gamma(1 + 1/k)\,P(1/k, (\tau/\lambda)^k)`.

        (P the regularised lower incomplete gamma function), comparable with
        :func:`restricted_mean_survival` of a Kaplan-Meier curve.
        """
        from scipy.special import gamma, gammainc

        tau = v.positive("tau", tau)
        lam = np.exp(self._linear(data))
        k = self.shape
        r = lam * gamma(1 + 1 / k) * gammainc(1 / k, (tau / lam) ** k)
        return float(r[0]) if data is None else pd.Series(r, index=data.index, name="rmst")

    def time_ratios(self, level: float = 0.95) -> pd.DataFrame:
        """exp(beta) of the terms (not the intercept): how much longer (> 1) or shorter a group stays."""
        ci = self.conf_int(level).iloc[:-1]
        names = [n for n in self.param_names[:-1] if n != "Intercept"]
        return pd.DataFrame(
            {
                "time_ratio": np.exp(self.params.loc[names]),
                "lower": np.exp(ci.loc[names, "lower"]),
                "upper": np.exp(ci.loc[names, "upper"]),
            }
        )

    def hazard_ratios(self, level: float = 0.95) -> pd.DataFrame:
        """exp(-shape * beta) of the terms, with delta-method intervals on the log scale."""
        from scipy.stats import norm

        level = check_level(level)
        z = norm.ppf(0.5 + level / 2)
        beta = np.asarray(self.param_values[:-1])
        sigma = 1 / self.shape
        V = np.asarray(self.covariance, float)
        p = len(beta)
        rows = {}
        for j, name in enumerate(self.param_names[:-1]):
            if name == "Intercept":
                continue
            g = -beta[j] / sigma
            grad = np.zeros(p + 1)
            grad[j], grad[p] = -1 / sigma, beta[j] / sigma
            se = math.sqrt(float(grad @ V @ grad))
            rows[name] = (math.exp(g), math.exp(g - z * se), math.exp(g + z * se))
        return pd.DataFrame.from_dict(rows, orient="index", columns=["hazard_ratio", "lower", "upper"])

    def __repr__(self) -> str:
        entry = _(", delayed entry") if self.delayed_entry else ""
        head = _("{formula}: {fit}, events = {events:,}{entry}").format(
            formula=self.formula, fit=self._fit_line(), events=self.n_events, entry=entry
        )
        lines = [f"WeibullResult({head})"]
        width = max((len(n) for n in self.param_names), default=0)
        for term, est, se in zip(self.param_names, self.param_values, self.standard_errors):
            lines.append(f"  {term:<{width}}  {est:+.4f}  {_se_text(se)}")
        return "\n".join(lines)


def fit_weibull(formula, data, *, event, entry=None, maxiter=200) -> WeibullResult:
    r"""Weibull survival model by maximum likelihood, with censoring and delayed entry.

    Accelerated-failure-time form :math:`\log T_i = x_i'\beta + \sigma W_i` (W standard
    minimum extreme value), i.e. :math:`S_i(t) = \exp\{-(t/\lambda_i)^k\}`,
    :math:`\lambda_i = e^{x_i'\beta}`, :math:`k = 1/\sigma`. The log-likelihood, on the time
    scale, is

    .. math:: \ell = \sum_i \delta_i \log f(t_i) + (1 - \delta_i) \log S(t_i) - \log S(e_i),

    with :math:`e_i` the entry time (the last term conditions on having survived to entry).
    It is maximised over :math:`(\beta, \log\sigma)` by Newton-Raphson with analytic gradient
    and Hessian and step halving (as R ``survreg``), until the Newton decrement falls below
    1e-12; standard errors come from the inverse of the observed information, the shape's by
    the delta method.

    Parameters
    ----------
    formula : str
        ``duration ~ 1`` for one Weibull distribution, ``duration ~ terms`` for a regression.
        Durations must be > 0.
    data : pandas.DataFrame
        One row per subject; missing values in used columns are refused, naming the column.
    event : str
        Column: True where the event was observed, False when censored.
    entry : str, optional
        Column of entry times (delayed entry), each earlier than its duration.
    maxiter : int, default 200
        Iterations of the optimiser allowed, 1 ... 10,000.

    Returns
    -------
    WeibullResult
        ``converged``, ``message`` and ``iterations`` from Newton-Raphson.

    References
    ----------
    Kalbfleisch & Prentice (2002), section 3.2; Klein & Moeschberger (2003), section 12.2;
    Kleinbaum & Klein (2012), ch. 7 (Weibull AFT and PH forms).

    Examples
    --------
    >>> df = pd.DataFrame({"t": [2.0, 3.0, 5.0, 7.0, 11.0, 13.0], "e": [1, 1, 1, 0, 1, 0]})
    >>> fit = fit_weibull("t ~ 1", df, event="e")
    >>> fit.converged, round(fit.shape, 3), round(float(np.exp(fit.params["Intercept"])), 3)
    (True, 1.348, 9.784)
    """
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=10_000)
    lhs, d, e, t0, cols, frame = _survival_frame(formula, data, event, entry, positive=True)
    _, X, spec = _design(formula, frame)
    if "Intercept" not in X.columns:
        raise ValueError(f"formula {formula!r} must keep the intercept (the Weibull scale); remove '- 1' or '0 +'")
    Xv = X.to_numpy(dtype=float)
    _check_collinear(Xv, [str(c) for c in X.columns])
    logt = np.log(d)
    delta = e.astype(float)
    has_entry = np.zeros(len(d), bool) if t0 is None else t0 > 0
    logt0 = np.where(has_entry, np.log(np.where(has_entry, t0 if t0 is not None else 1.0, 1.0)), 0.0)
    # start: least squares of log time on the terms (events and censored alike), sigma from its spread
    beta0, *_ = np.linalg.lstsq(Xv, logt, rcond=None)
    resid_sd = float(np.std(logt - Xv @ beta0))
    theta0 = np.concatenate([beta0, [math.log(max(resid_sd * math.sqrt(6) / math.pi, 0.05))]])
    args = (Xv, logt, delta, logt0, has_entry)
    theta, converged, iterations = _newton(lambda th: _weibull_loglik(th, *args, derivatives=True), theta0, maxiter)
    ll, grad, H = _weibull_loglik(theta, *args, derivatives=True)
    try:
        cov = np.linalg.inv(-H)
    except np.linalg.LinAlgError:
        cov = np.full_like(H, np.nan)
    k = math.exp(-theta[-1])
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    names = [*map(str, X.columns), "shape"]
    values = [*theta[:-1], k]
    ses = [*se[:-1], k * se[-1]]
    result = WeibullResult(
        param_names=tuple(names),
        param_values=tuple(values),
        se_values=tuple(ses),
        n_obs=len(d),
        converged=converged,
        message=_newton_message(converged, iterations, maxiter),
        iterations=iterations,
        log_likelihood=ll,
        formula=formula,
        n_events=int(e.sum()),
        delayed_entry=t0 is not None,
        columns=tuple(cols),
        design=spec,
        covariance=_frozen(cov),
    )
    warn_if_not_converged(result, advice="Raise maxiter, or check for a group without events.")
    return result
