"""Chapter 1 - the satisfaction trap: why satisfied customers still defect.

Satisfaction is not loyalty (客户满意 ≠ 客户忠诚). Jones & Sasser (1995) showed that the link
between the two depends on competition: in competitive markets only the "completely
satisfied" top box is loyal (Xerox: a 5 repurchased about six times as often as a 4), in
near-monopolies even dissatisfied customers stay. This module turns that story into
functions that can be computed, tested and put behind sliders.

==============================  ======================================================
market scenarios                :class:`MarketScenario`, :func:`market_scenario`,
                                :func:`repurchase_probability`, :func:`simulate_survey`,
                                :func:`overall_repurchase`, :func:`shift_satisfaction`,
                                :class:`MarketOutcome`, :func:`evaluate_market`
survey analysis                 :func:`repurchase_by_level`, :func:`top_box_multiple`,
                                :func:`satisfaction_loyalty_curve`,
                                :func:`lowess_loyalty_curve`
zones and typology              :func:`satisfaction_zone`, :func:`jones_sasser_typology`,
                                :func:`typology_shares`, :func:`expected_typology`
Net Promoter Score              :func:`net_promoter_score`
retention profit lever          :class:`RetentionScenario`, :func:`retention_scenario`,
                                :class:`LeverOutcome`, :func:`evaluate_retention_lever`
ECSI / PLS path model           :func:`pls_path_model`, :class:`PLSResult`,
                                :data:`ECSI_BLOCKS`, :data:`ECSI_PATHS`,
                                :data:`ECSI_TRUE_PATHS`, :func:`simulate_ecsi_survey`
key drivers of satisfaction     :func:`fit_key_drivers` (:class:`KeyDriverResult`),
                                :func:`importance_performance_grid`,
                                :func:`evaluate_driver_change`, :data:`SATISFACTION_DRIVERS`
==============================  ======================================================

The retention arithmetic itself (customer value, the lift from more retention, the retention
needed for a quoted lift, expected lifetime) lives in :mod:`crmlib.value`, the one home of
retention-based value that every chapter calls: ``value.clv_from_retention``,
``value.retention_lift``, ``value.retention_for_lift``, ``value.retention_lift_table``,
``value.expected_lifetime``. Wilson intervals come from :func:`crmlib.stats.wilson_interval`.
The figures are in :mod:`crmlib.plotting.satisfaction`, the sliders in
:mod:`crmlib.widgets.satisfaction`.

Symbols: satisfaction level :math:`s \\in \\{1,\\dots,5\\}`, repurchase probability
:math:`p(s)`, competitive intensity :math:`c \\in [0, 1]`, switching barrier
:math:`b \\in [0, 1)`, margin per period :math:`m`, retention rate :math:`r`, discount rate
:math:`d`, margin growth :math:`g`.

Randomness is explicit: every function that draws random numbers takes ``rng``, a
:class:`numpy.random.Generator`, keyword-only. Functions given a pandas Series return their
answer on the same index; two Series are aligned by index, never paired by position.
Importing this module is quick and changes no global state: statsmodels and tqdm are imported
inside the functions that need them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from . import _validate as v
from . import value as _value
from ._pls import PLSResult
from ._pls import fit as _pls_fit
from .i18n import N_, NP_
from .i18n import gettext as _
from .results import FitResult, check_level
from .stats import wilson_interval

__all__ = [
    "MarketScenario",
    "market_scenario",
    "repurchase_probability",
    "simulate_survey",
    "overall_repurchase",
    "shift_satisfaction",
    "MarketOutcome",
    "evaluate_market",
    "LEVELS",
    "repurchase_by_level",
    "TopBoxResult",
    "top_box_multiple",
    "satisfaction_loyalty_curve",
    "lowess_loyalty_curve",
    "satisfaction_zone",
    "TYPES",
    "jones_sasser_typology",
    "typology_shares",
    "expected_typology",
    "NPSResult",
    "net_promoter_score",
    "RetentionScenario",
    "retention_scenario",
    "LeverOutcome",
    "evaluate_retention_lever",
    "PLSResult",
    "pls_path_model",
    "ECSI_BLOCKS",
    "ECSI_PATHS",
    "ECSI_TRUE_PATHS",
    "simulate_ecsi_survey",
    "SATISFACTION_DRIVERS",
    "DRIVER_TERMS",
    "QUADRANTS",
    "KeyDriverResult",
    "fit_key_drivers",
    "importance_performance_grid",
    "DriverChangeOutcome",
    "evaluate_driver_change",
]

#: The five answer levels of the satisfaction question (1 = completely dissatisfied ...
#: 5 = completely satisfied), as in Jones & Sasser (1995).
LEVELS = (1, 2, 3, 4, 5)

# Word labels of the tables this module returns, marked for the catalogue so that a displayed table
# shows them in the notebook's language (crmlib.i18n.translate_frame); the data keep these labels.
_TABLE_LABELS = (
    N_("satisfaction"),
    N_("repurchase"),
    N_("recommend"),
    N_("loyalty_intention"),
    N_("repurchased"),
    N_("rate"),
    N_("lower"),
    N_("upper"),
    N_("probability"),
    N_("repurchase_probability"),
    N_("zone"),
    N_("driver"),
    N_("performance"),
    N_("coefficient"),
    N_("beta"),
    NP_("key drivers", "beta"),
    N_("p_value"),
    N_("correlation"),
    N_("lmg"),
    N_("lmg_share"),
    N_("importance"),
    N_("quadrant"),
    N_("estimate"),
    N_("std_error"),
    N_("lower_95"),
    N_("upper_95"),
    N_("overall"),
    # columns chapter 1 builds from these tables
    N_("share_of_customers"),
    N_("repurchase_rate"),
    N_("categorical"),
    N_("smooth"),
    N_("lowess"),
    # the column of ECSI_TRUE_PATHS chapter 1 shows beside the PLS estimates
    N_("true"),
    # labels of crmlib.value.retention_lift_table, shown in chapter 1
    N_("discount rate"),
    N_("lift"),
)

#: Largest survey a simulator draws (larger ones take minutes and gigabytes).
MAX_RESPONDENTS = 10_000_000

# Exponent of the loyalty curve at c = 0 (protected market); the exponent at c = 1 is
# solved so that p(5) / p(4) = 6 when b = 0 (the Xerox finding), see _k1().
_K0 = 0.5
_XEROX_MULTIPLE = 6.0


def _k1(p_min, p_max):
    # p_min + (p_max - p_min) * 0.75**k = p_max / 6
    return np.log((p_max / _XEROX_MULTIPLE - p_min) / (p_max - p_min)) / math.log(0.75)


def _check_pmax_pmin(max_repurchase, min_repurchase):
    pmax = v.in_range("max_repurchase", max_repurchase, 0, 1, low_open=True)
    pmin = v.in_range("min_repurchase", min_repurchase, 0, 1)
    if np.any(np.asarray(pmin) >= np.asarray(pmax) / _XEROX_MULTIPLE):
        raise ValueError(
            f"min_repurchase must be below max_repurchase / 6 = {np.min(pmax) / 6:.4g} "
            f"(so that the top box can repurchase six times as often as a 4); got {min_repurchase!r}"
        )
    return pmax, pmin


def _one(name: str, checked) -> float:
    """A record's field: one number (already checked by ``_validate``), as a float."""
    if np.ndim(checked):
        raise TypeError(f"{name} must be a single number in a scenario; got an array of shape {np.shape(checked)}")
    return float(checked)


def _check_scenario(name: str, scenario, cls):
    if scenario is None:
        return cls()
    if not isinstance(scenario, cls):
        raise TypeError(
            f"{name} must be a {cls.__name__} (see {cls.__name__}() or its defaulting constructor); "
            f"got {type(scenario).__name__}"
        )
    return scenario


# =====================================================================================
# market scenarios and the survey simulator
# =====================================================================================
@dataclass(frozen=True)
class MarketScenario:
    """A market in which a satisfaction survey is run; the fields are validated on creation.

    Change one with :func:`dataclasses.replace` (which validates again), e.g.
    ``dataclasses.replace(market, switching_barrier=0.5)``. The defaults are the chapter's
    Case A (also :func:`market_scenario`).

    Attributes
    ----------
    competitive_intensity : float, default 0.9
        :math:`c \\in [0, 1]`: 0 = protected market (monopoly, regulated utility),
        1 = commodity market with many equal alternatives (Jones & Sasser's cars and PCs).
    switching_barrier : float, default 0
        :math:`b \\in [0, 1)`: share of would-be defectors kept anyway by contracts, costs of
        switching or lack of alternatives (the "hostage" effect).
    max_repurchase : float, default 0.75
        Repurchase probability of a completely satisfied customer without barriers, in (0, 1].
    min_repurchase : float, default 0.05
        Repurchase probability of a completely dissatisfied customer without barriers
        (some come back anyway: convenience, habit, inattention); below ``max_repurchase / 6``.
    satisfaction_shares : tuple of 5 floats
        Shares of answers 1..5 (they sum to 1).
    n_respondents : int, default 2000
        Survey size used by :func:`simulate_survey` (1 ... 10,000,000).

    Examples
    --------
    >>> import dataclasses
    >>> m = dataclasses.replace(MarketScenario(), switching_barrier=0.5)
    >>> m.switching_barrier, round(m.satisfied_share, 2)
    (0.5, 0.91)
    """

    competitive_intensity: float = 0.9
    switching_barrier: float = 0.0
    max_repurchase: float = 0.75
    min_repurchase: float = 0.05
    satisfaction_shares: tuple = (0.02, 0.02, 0.05, 0.51, 0.40)
    n_respondents: int = 2000

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(
            self,
            "competitive_intensity",
            _one("competitive_intensity", v.probability("competitive_intensity", self.competitive_intensity)),
        )
        put(
            self,
            "switching_barrier",
            _one("switching_barrier", v.probability("switching_barrier", self.switching_barrier, open_high=True)),
        )
        pmax, pmin = _check_pmax_pmin(self.max_repurchase, self.min_repurchase)
        put(self, "max_repurchase", _one("max_repurchase", pmax))
        put(self, "min_repurchase", _one("min_repurchase", pmin))
        if isinstance(self.satisfaction_shares, (str, bytes)):
            raise TypeError(f"satisfaction_shares must be 5 numbers (levels 1..5); got {self.satisfaction_shares!r}")
        shares = np.atleast_1d(np.asarray(v.as_float("satisfaction_shares", self.satisfaction_shares), dtype=float))
        if shares.shape != (5,):
            raise ValueError(f"satisfaction_shares must hold 5 shares (levels 1..5); got {shares.size}")
        v.probability("satisfaction_shares", shares)
        if abs(shares.sum() - 1) > 1e-9:
            raise ValueError(f"satisfaction_shares must sum to 1; got {shares.sum():.6g}")
        put(self, "satisfaction_shares", tuple(float(s) for s in shares))
        n = v.integer("n_respondents", self.n_respondents, minimum=1, maximum=MAX_RESPONDENTS)
        put(self, "n_respondents", int(_one("n_respondents", n)))

    @property
    def satisfied_share(self) -> float:
        """Share answering 4 or 5 ("satisfied" in the usual top-two-box report)."""
        return float(sum(self.satisfaction_shares[3:]))


def market_scenario(
    competitive_intensity: float = 0.9,
    switching_barrier: float = 0.0,
    max_repurchase: float = 0.75,
    min_repurchase: float = 0.05,
    satisfaction_shares=(0.02, 0.02, 0.05, 0.51, 0.40),
    n_respondents: int = 2000,
) -> MarketScenario:
    """Defaulting constructor of :class:`MarketScenario` (the chapter's static example).

    The default is Case A of the course: a competitive market (c = 0.9) in which 91% of
    the respondents answer 4 or 5 ("satisfied"). Same arguments as :class:`MarketScenario`.

    Raises
    ------
    ValueError
        If an argument is outside its range or the shares do not sum to 1.

    Examples
    --------
    >>> m = market_scenario()
    >>> round(m.satisfied_share, 2), m.competitive_intensity
    (0.91, 0.9)
    """
    return MarketScenario(
        competitive_intensity, switching_barrier, max_repurchase, min_repurchase, satisfaction_shares, n_respondents
    )


def repurchase_probability(
    satisfaction, competitive_intensity=0.9, switching_barrier=0.0, max_repurchase=0.75, min_repurchase=0.05
):
    """Probability that a customer with satisfaction ``s`` buys again, :math:`p(s)`.

    The generative model of the chapter (a stylised Jones–Sasser curve)::

        p(s) = b + (1 - b) * (p_min + (p_max - p_min) * x ** k(c)),   x = (s - 1) / 4,
        k(c) = k0 * (k1 / k0) ** c,   k0 = 0.5,
        k1 solves p_min + (p_max - p_min) * 0.75 ** k1 = p_max / 6   (k1 ≈ 7.77 by default).

    In a protected market (c = 0) the curve is concave: loyalty is high as soon as the
    customer is not completely dissatisfied. Under intense competition (c = 1) it is
    strongly convex: with no barrier the top box repurchases exactly six times as often
    as the "satisfied" 4, the ratio Jones & Sasser (1995) report for Xerox. A switching
    barrier b keeps a share b of would-be defectors whatever their satisfaction.

    Parameters
    ----------
    satisfaction : float, array-like or pandas.Series
        Satisfaction level(s) on the 1-5 scale (fractional values allowed for curves).
    competitive_intensity, switching_barrier, max_repurchase, min_repurchase : float
        See :class:`MarketScenario`.

    Returns
    -------
    float, ndarray or pandas.Series
        Probabilities in [0, 1], non-decreasing in ``satisfaction``; a Series (on the input's
        index) for a Series.

    References
    ----------
    Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. *Harvard Business
    Review* 73(6), 88-99.

    Examples
    --------
    >>> p = repurchase_probability([4, 5], competitive_intensity=1.0)
    >>> round(float(p[1] / p[0]), 3)
    6.0
    >>> round(float(repurchase_probability(2, competitive_intensity=0.0)), 3)
    0.4
    """
    index = satisfaction.index if isinstance(satisfaction, pd.Series) else None
    s = v.in_range("satisfaction", satisfaction.to_numpy() if index is not None else satisfaction, 1, 5)
    c = v.probability("competitive_intensity", competitive_intensity)
    b = v.probability("switching_barrier", switching_barrier, open_high=True)
    pmax, pmin = _check_pmax_pmin(max_repurchase, min_repurchase)
    k = _K0 * (_k1(pmin, pmax) / _K0) ** c
    x = (np.asarray(s, dtype=float) - 1.0) / 4.0
    p = b + (1.0 - b) * (pmin + (pmax - pmin) * x**k)
    if index is not None:
        return pd.Series(np.asarray(p, dtype=float), index=index, name="repurchase_probability")
    return float(p) if np.ndim(p) == 0 else np.asarray(p, dtype=float)


def _level_probabilities(sc: MarketScenario) -> np.ndarray:
    return repurchase_probability(
        np.array(LEVELS, dtype=float),
        sc.competitive_intensity,
        sc.switching_barrier,
        sc.max_repurchase,
        sc.min_repurchase,
    )


def _recommend_from_satisfaction(s: np.ndarray, rng) -> np.ndarray:
    # 0-10 likelihood to recommend: 2s - 0.5 plus N(0, 1) noise, rounded and clipped.
    raw = 2.0 * s - 0.5 + rng.normal(0.0, 1.0, size=s.shape)
    return np.clip(np.rint(raw), 0, 10).astype(int)


def simulate_survey(scenario: MarketScenario | None = None, *, rng) -> pd.DataFrame:
    """Simulate a satisfaction survey with a later repurchase check.

    Generative model, one row per respondent:

    1. satisfaction :math:`s \\sim \\text{Categorical}(\\pi_1, \\dots, \\pi_5)` with the
       scenario's ``satisfaction_shares``;
    2. repurchase :math:`y \\mid s \\sim \\text{Bernoulli}(p(s))`, :math:`p` from
       :func:`repurchase_probability`;
    3. likelihood to recommend on 0-10: :math:`\\text{round}(2s - 0.5 + \\varepsilon)`,
       :math:`\\varepsilon \\sim N(0, 1)`, clipped to 0..10 (so a 5 is mostly a promoter,
       a 4 mostly a passive);
    4. ``loyalty_intention`` on 1-5: repurchasers answer 4 or 5, defectors 1-3, each
       uniformly (what they would have said had they been asked about loyalty).

    Parameters
    ----------
    scenario : MarketScenario, optional
        Defaults to :func:`market_scenario()`; its ``n_respondents`` is the survey size.
    rng : numpy.random.Generator
        Source of randomness (keyword-only, required).

    Returns
    -------
    pandas.DataFrame
        Columns ``satisfaction`` (1-5), ``repurchase`` (0/1), ``recommend`` (0-10),
        ``loyalty_intention`` (1-5).

    Examples
    --------
    >>> df = simulate_survey(market_scenario(n_respondents=500), rng=np.random.default_rng(1))
    >>> df.shape, sorted(df["satisfaction"].unique().tolist())
    ((500, 4), [1, 2, 3, 4, 5])
    """
    v.rng("rng", rng)
    sc = _check_scenario("scenario", scenario, MarketScenario)
    n = sc.n_respondents
    s = rng.choice(np.array(LEVELS), size=n, p=np.asarray(sc.satisfaction_shares))
    p = repurchase_probability(s, sc.competitive_intensity, sc.switching_barrier, sc.max_repurchase, sc.min_repurchase)
    y = (rng.random(n) < p).astype(int)
    rec = _recommend_from_satisfaction(s.astype(float), rng)
    intention = np.where(y == 1, rng.integers(4, 6, size=n), rng.integers(1, 4, size=n))
    return pd.DataFrame(
        {"satisfaction": s.astype(int), "repurchase": y, "recommend": rec, "loyalty_intention": intention.astype(int)}
    )


def overall_repurchase(scenario: MarketScenario | None = None) -> float:
    """Expected share of all customers who buy again: :math:`\\sum_s \\pi_s\\, p(s)`.

    Examples
    --------
    >>> round(overall_repurchase(market_scenario(competitive_intensity=1.0)), 4)
    0.3684
    """
    sc = _check_scenario("scenario", scenario, MarketScenario)
    return float(np.asarray(sc.satisfaction_shares) @ _level_probabilities(sc))


def shift_satisfaction(scenario: MarketScenario, from_level: int, to_level: int, share: float) -> MarketScenario:
    """The same market after ``share`` of all customers move from one answer to another.

    Used to ask what "5% more satisfaction" means: moving 5% of customers from 3 to 4
    (more "satisfied" in a top-two-box report) or from 4 to 5 (more *completely*
    satisfied) changes repurchase very differently.

    Raises
    ------
    ValueError
        If ``share`` exceeds the share at ``from_level``.

    Examples
    --------
    >>> m = shift_satisfaction(market_scenario(), 4, 5, 0.05)
    >>> [round(x, 2) for x in m.satisfaction_shares]
    [0.02, 0.02, 0.05, 0.46, 0.45]
    """
    if not isinstance(scenario, MarketScenario):
        raise TypeError(f"scenario must be a MarketScenario; got {type(scenario).__name__}")
    a = v.integer("from_level", from_level)
    b = v.integer("to_level", to_level)
    for name, lv in (("from_level", a), ("to_level", b)):
        if lv not in LEVELS:
            raise ValueError(f"{name} must be one of {list(LEVELS)}; got {lv}")
    q = v.probability("share", share)
    shares = list(scenario.satisfaction_shares)
    if q > shares[a - 1] + 1e-12:
        raise ValueError(f"share must not exceed the share answering {a} ({shares[a - 1]:.3f}); got {q}")
    shares[a - 1] -= q
    shares[b - 1] += q
    return dataclasses.replace(scenario, satisfaction_shares=tuple(max(x, 0.0) for x in shares))


@dataclass(frozen=True, eq=False)
class MarketOutcome:
    """What a :class:`MarketScenario` implies, evaluated once (by :func:`evaluate_market`).

    Attributes
    ----------
    scenario : MarketScenario
    repurchase : pandas.Series
        :math:`p(s)` at each answer level 1..5.
    top_box_multiple : float
        :math:`p(5)/p(4)`.
    satisfied_share : float
        Share answering 4 or 5.
    overall_repurchase : float
        :math:`\\sum_s \\pi_s p(s)`.
    typology : pandas.Series
        Expected shares of the Jones–Sasser types (:func:`expected_typology` at cut-off 4).
    """

    scenario: MarketScenario
    repurchase: pd.Series
    top_box_multiple: float
    satisfied_share: float
    overall_repurchase: float
    typology: pd.Series


def _typology_from(pi: np.ndarray, p: np.ndarray, cut: int) -> pd.Series:
    hi = np.array(LEVELS) >= cut
    shares = [
        np.sum(pi[hi] * p[hi]),
        np.sum(pi[hi] * (1 - p[hi])),
        np.sum(pi[~hi] * p[~hi]),
        np.sum(pi[~hi] * (1 - p[~hi])),
    ]
    return pd.Series(shares, index=pd.Index(TYPES, name="type"), name="share")


def evaluate_market(scenario: MarketScenario | None = None) -> MarketOutcome:
    """Repurchase by level, top-box multiple, overall repurchase and expected types of one market.

    Everything the chapter's main widget shows, computed once from one evaluation of
    :func:`repurchase_probability` at the five answer levels.

    Examples
    --------
    >>> out = evaluate_market(market_scenario(competitive_intensity=1.0))
    >>> round(out.top_box_multiple, 2), round(out.overall_repurchase, 4)
    (6.0, 0.3684)
    """
    sc = _check_scenario("scenario", scenario, MarketScenario)
    p = _level_probabilities(sc)
    pi = np.asarray(sc.satisfaction_shares)
    return MarketOutcome(
        scenario=sc,
        repurchase=pd.Series(p, index=pd.Index(LEVELS, name="satisfaction"), name="repurchase"),
        top_box_multiple=float(p[4] / p[3]),
        satisfied_share=sc.satisfied_share,
        overall_repurchase=float(pi @ p),
        typology=_typology_from(pi, p, 4),
    )


# =====================================================================================
# survey analysis
# =====================================================================================
def _survey_columns(data, satisfaction, outcome, *, outcome_name="repurchase"):
    v.columns("data", data, [satisfaction, outcome])
    s = data[satisfaction].to_numpy()
    y = data[outcome].to_numpy()
    try:
        s = s.astype(float)
        y = y.astype(float)
    except (TypeError, ValueError):
        raise TypeError(f"data[{satisfaction!r}] and data[{outcome!r}] must be numeric") from None
    if s.size == 0:
        raise ValueError("data must have at least one respondent; got an empty table")
    bad = ~np.isin(s, LEVELS)
    if bad.any():
        raise ValueError(
            f"data[{satisfaction!r}] must hold satisfaction levels 1-5 (whole numbers); "
            f"got {s[bad][0].item()!r} at row {int(np.flatnonzero(bad)[0])}"
        )
    bad = ~np.isin(y, (0, 1))
    if bad.any():
        raise ValueError(
            f"data[{outcome!r}] must be 0/1 ({outcome_name}); got {y[bad][0].item()!r} "
            f"at row {int(np.flatnonzero(bad)[0])}"
        )
    return s.astype(int), y.astype(int)


def repurchase_by_level(
    data: pd.DataFrame, satisfaction: str = "satisfaction", repurchase: str = "repurchase", level: float = 0.95
) -> pd.DataFrame:
    """Repurchase rate at each satisfaction level, with Wilson score intervals.

    .. math:: \\hat p_s = y_s / n_s, \\qquad
              \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    The intervals are :func:`crmlib.stats.wilson_interval` (statsmodels).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    satisfaction, repurchase : str
        Column names: satisfaction on 1-5, repurchase 0/1.
    level : float
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index satisfaction 1..5; columns ``n``, ``repurchased``, ``rate``, ``lower``, ``upper``
        (levels nobody chose have ``n = 0`` and NaN rates).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209-212.

    Examples
    --------
    >>> df = pd.DataFrame({"satisfaction": [4, 4, 4, 5, 5], "repurchase": [0, 0, 1, 1, 1]})
    >>> by = repurchase_by_level(df)
    >>> by["n"].tolist(), by.loc[[4, 5], "rate"].round(3).tolist()
    ([0, 0, 0, 3, 2], [0.333, 1.0])
    """
    s, y = _survey_columns(data, satisfaction, repurchase)
    level = check_level(level)
    n = np.array([(s == lv).sum() for lv in LEVELS])
    k = np.array([y[s == lv].sum() for lv in LEVELS])
    lo, hi, rate = np.full(5, np.nan), np.full(5, np.nan), np.full(5, np.nan)
    has = n > 0
    lo[has], hi[has] = wilson_interval(k[has], n[has], level=level)
    rate[has] = k[has] / n[has]
    return pd.DataFrame(
        {"n": n, "repurchased": k, "rate": rate, "lower": lo, "upper": hi}, index=pd.Index(LEVELS, name="satisfaction")
    )


@dataclass(frozen=True)
class TopBoxResult:
    """Top-box multiple: repurchase rate at the top level ÷ rate one level below, with its interval."""

    multiple: float
    lower: float
    upper: float
    rate_top: float
    rate_below: float
    level: float

    def __repr__(self) -> str:
        return _(
            "TopBoxResult(multiple={multiple:.3f}, {level:.0%} CI [{lower:.3f}, "
            "{upper:.3f}], rate_top={rate_top:.3f}, rate_below={rate_below:.3f})"
        ).format(
            multiple=self.multiple,
            level=self.level,
            lower=self.lower,
            upper=self.upper,
            rate_top=self.rate_top,
            rate_below=self.rate_below,
        )


def top_box_multiple(
    data: pd.DataFrame,
    satisfaction: str = "satisfaction",
    repurchase: str = "repurchase",
    top: int = 5,
    level: float = 0.95,
) -> TopBoxResult:
    """How many times as often the top box repurchases as the box below it (5 vs 4).

    The ratio of two independent proportions with the log (Katz) interval, computed by
    statsmodels (``Table2x2.riskratio`` and ``riskratio_confint``):

    .. math:: \\widehat{RR} = \\frac{y_5/n_5}{y_4/n_4}, \\qquad
              \\exp\\Bigl(\\ln\\widehat{RR} \\pm z\\sqrt{\\tfrac{1}{y_5} - \\tfrac{1}{n_5}
              + \\tfrac{1}{y_4} - \\tfrac{1}{n_4}}\\Bigr)

    Raises
    ------
    ValueError
        If either level has no respondents or no repurchase (the ratio is undefined).

    References
    ----------
    Katz, D., Baptista, J., Azen, S. P. & Pike, M. C. (1978). Obtaining confidence
    intervals for the risk ratio in cohort studies. *Biometrics* 34(3), 469-474.
    Jones & Sasser (1995) report a multiple of about 6 for Xerox.

    Examples
    --------
    >>> df = pd.DataFrame({"satisfaction": [4] * 10 + [5] * 10,
    ...                    "repurchase": [1] + [0] * 9 + [1] * 6 + [0] * 4})
    >>> round(top_box_multiple(df).multiple, 2)
    6.0
    """
    s, y = _survey_columns(data, satisfaction, repurchase)
    top = v.integer("top", top)
    if top not in LEVELS[1:]:
        raise ValueError(f"top must be one of {list(LEVELS[1:])}; got {top}")
    level = check_level(level)
    n1, n0 = int((s == top).sum()), int((s == top - 1).sum())
    y1, y0 = int(y[s == top].sum()), int(y[s == top - 1].sum())
    if min(n1, n0) == 0 or min(y1, y0) == 0:
        raise ValueError(
            f"data must contain repurchasers at both levels {top - 1} and {top}; got {y0}/{n0} and {y1}/{n1}"
        )
    from statsmodels.stats.contingency_tables import Table2x2

    table = Table2x2(np.array([[y1, n1 - y1], [y0, n0 - y0]], dtype=float))
    lower, upper = table.riskratio_confint(alpha=1 - level)
    return TopBoxResult(float(table.riskratio), float(lower), float(upper), y1 / n1, y0 / n0, level)


def satisfaction_loyalty_curve(
    data: pd.DataFrame,
    method: str = "categorical",
    satisfaction: str = "satisfaction",
    repurchase: str = "repurchase",
    level: float = 0.95,
) -> pd.DataFrame:
    """Estimate the satisfaction → repurchase curve by logistic regression (statsmodels), with intervals.

    ``method``:

    * ``"categorical"`` — satisfaction as categories
      (:math:`\\text{logit}\\,p = \\beta_0 + \\sum_{k=2}^5 \\beta_k [s = k]`); the fitted
      probabilities equal the observed rates;
    * ``"smooth"`` — a smooth (quadratic) term
      :math:`\\text{logit}\\,p = \\beta_0 + \\beta_1 x + \\beta_2 x^2`, :math:`x = s - 3`;
      evaluated on a fine grid from 1 to 5.

    Intervals by the delta method on the logit scale, transformed back (statsmodels'
    ``get_prediction``). For a model-free curve with bootstrap bands see
    :func:`lowess_loyalty_curve`.

    Returns
    -------
    pandas.DataFrame
        Index ``satisfaction`` (the levels, or a grid from 1 to 5 for ``"smooth"``),
        columns ``probability``, ``lower``, ``upper``.

    References
    ----------
    Seabold, S. & Perktold, J. (2010). statsmodels: econometric and statistical modeling with
    Python. *Proceedings of the 9th Python in Science Conference*.

    Examples
    --------
    >>> df = simulate_survey(market_scenario(n_respondents=3000), rng=np.random.default_rng(3))
    >>> cat = satisfaction_loyalty_curve(df, "categorical")
    >>> bool(np.allclose(cat["probability"], repurchase_by_level(df)["rate"]))
    True
    """
    if method == "lowess":
        raise ValueError(
            "method must be 'categorical' or 'smooth'; for LOWESS (it draws bootstrap "
            "resamples) call lowess_loyalty_curve(data, rng=...)"
        )
    v.one_of("method", method, ("categorical", "smooth"))
    s, y = _survey_columns(data, satisfaction, repurchase)
    level = check_level(level)
    import statsmodels.api as sm

    if method == "categorical":
        present = [lv for lv in LEVELS if (s == lv).any()]
        if len(present) < 2:
            raise ValueError(f"data[{satisfaction!r}] must use at least two levels; got {present}")
        for lv in present:
            if y[s == lv].min() == y[s == lv].max():
                raise ValueError(
                    f"level {lv} has only {'repurchasers' if y[s == lv][0] else 'defectors'}; "
                    "the categorical logit is not identified (use lowess_loyalty_curve)"
                )

        def design(x):
            return np.column_stack([np.ones(len(x))] + [(x == k).astype(float) for k in present[1:]])

        grid = np.array(present, dtype=float)
    else:
        if len(np.unique(s)) < 3:
            raise ValueError(f"data[{satisfaction!r}] must use at least three levels for a smooth term")

        def design(x):
            return np.column_stack([np.ones(len(x)), x - 3.0, (x - 3.0) ** 2])

        grid = np.round(np.linspace(1, 5, 41), 2)
    res = sm.GLM(y, design(s.astype(float)), family=sm.families.Binomial()).fit()
    frame = res.get_prediction(design(grid)).summary_frame(alpha=1 - level)
    out = pd.DataFrame(
        {
            "probability": frame["mean"].to_numpy(),
            "lower": frame["mean_ci_lower"].to_numpy(),
            "upper": frame["mean_ci_upper"].to_numpy(),
        },
        index=pd.Index(grid, name="satisfaction"),
    )
    if method == "categorical":
        out.index = out.index.astype(int)
    return out


def lowess_loyalty_curve(
    data: pd.DataFrame,
    satisfaction: str = "satisfaction",
    repurchase: str = "repurchase",
    level: float = 0.95,
    *,
    rng,
    frac: float = 0.3,
    bootstrap: int = 200,
) -> pd.DataFrame:
    """A model-free satisfaction → repurchase curve: LOWESS with bootstrap percentile bands.

    statsmodels' LOWESS of the 0/1 outcome on satisfaction, jittered by a uniform ±0.2 (drawn
    with ``rng``) so that the smoother sees a continuum, evaluated at the answer levels; the
    band is the percentile interval of ``bootstrap`` resamples of the respondents (the same
    jitter), clipped to [0, 1].

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    satisfaction, repurchase : str
        Column names: satisfaction on 1-5, repurchase 0/1.
    level : float
        Confidence level of the band, in (0, 1).
    rng : numpy.random.Generator
        Source of the jitter and the resamples (keyword-only, required).
    frac : float in (0, 1]
        Share of the data in each local fit (LOWESS span).
    bootstrap : int
        Number of bootstrap resamples (10 ... 100,000).

    Returns
    -------
    pandas.DataFrame
        Index ``satisfaction`` (the levels present, as floats), columns ``probability``,
        ``lower``, ``upper``.

    References
    ----------
    Cleveland, W. S. (1979). Robust locally weighted regression and smoothing scatterplots.
    *JASA* 74(368), 829-836.

    Examples
    --------
    >>> df = simulate_survey(market_scenario(n_respondents=2000), rng=np.random.default_rng(3))
    >>> lw = lowess_loyalty_curve(df, rng=np.random.default_rng(1), bootstrap=20)
    >>> list(lw.index), bool(lw["probability"].iloc[-1] > lw["probability"].iloc[0])
    ([1.0, 2.0, 3.0, 4.0, 5.0], True)
    """
    v.rng("rng", rng)
    s, y = _survey_columns(data, satisfaction, repurchase)
    level = check_level(level)
    frac = v.in_range("frac", frac, 0, 1, low_open=True)
    reps = v.integer("bootstrap", bootstrap, minimum=10, maximum=100_000)
    from statsmodels.nonparametric.smoothers_lowess import lowess

    grid = np.unique(s).astype(float)  # evaluate at the answer levels: no data lie between them
    x = s + rng.uniform(-0.2, 0.2, size=len(s))
    fit = lowess(y, x, frac=frac, it=0, xvals=grid)
    boots = np.empty((reps, len(grid)))
    for i in range(reps):
        idx = rng.integers(0, len(s), size=len(s))
        boots[i] = lowess(y[idx], x[idx], frac=frac, it=0, xvals=grid)
    alpha = (1 - level) / 2
    out = pd.DataFrame(
        {
            "probability": fit,
            "lower": np.nanquantile(boots, alpha, axis=0),
            "upper": np.nanquantile(boots, 1 - alpha, axis=0),
        },
        index=pd.Index(grid, name="satisfaction"),
    )
    return out.clip(0.0, 1.0)


# =====================================================================================
# zones and the Jones-Sasser typology
# =====================================================================================
def satisfaction_zone(satisfaction, defection_max: int = 2, affection_min: int = 5):
    """Zone of each satisfaction level: ``"defection"``, ``"indifference"`` or ``"affection"``.

    Heskett et al. (1994) and Jones & Sasser (1995) split the satisfaction scale into a
    zone of defection (low scores: customers leave and complain), a zone of indifference
    (the middle: satisfied but footloose) and a zone of affection (the top box: loyal
    apostles). The cut-offs are arguments: levels ``<= defection_max`` defect, levels
    ``>= affection_min`` are in the zone of affection.

    Returns
    -------
    str, ndarray of str or pandas.Series
        Shaped like ``satisfaction`` (a Series keeps its index).

    References
    ----------
    Heskett, J. L., Jones, T. O., Loveman, G. W., Sasser, W. E. & Schlesinger, L. A. (1994).
    Putting the service-profit chain to work. *Harvard Business Review* 72(2), 164-174.

    Examples
    --------
    >>> satisfaction_zone([1, 2, 3, 4, 5]).tolist()
    ['defection', 'defection', 'indifference', 'indifference', 'affection']
    """
    index = satisfaction.index if isinstance(satisfaction, pd.Series) else None
    s = v.in_range("satisfaction", satisfaction.to_numpy() if index is not None else satisfaction, 1, 5)
    lo = v.integer("defection_max", defection_max, minimum=1)
    hi = v.integer("affection_min", affection_min, minimum=1)
    if not lo < hi <= 5:
        raise ValueError(f"defection_max must be below affection_min <= 5; got {lo} and {hi}")
    s = np.asarray(s)
    out = np.where(s <= lo, N_("defection"), np.where(s >= hi, N_("affection"), N_("indifference")))
    if index is not None:
        return pd.Series(out.astype(object), index=index, name="zone")
    return out.astype(object) if out.ndim else str(out)


#: The four Jones–Sasser types, in the order used by tables and plots.
TYPES = (N_("loyalist/apostle"), N_("mercenary"), N_("hostage"), N_("defector/terrorist"))


def jones_sasser_typology(satisfaction, loyalty, satisfaction_cutoff: float = 4, loyalty_cutoff: float = 0.5):
    """The Jones–Sasser type of each customer, from satisfaction and loyalty.

    ======================  ==========================  ==========================
    \\                       loyalty >= loyalty_cutoff    loyalty < loyalty_cutoff
    ======================  ==========================  ==========================
    satisfaction >= cutoff  loyalist / apostle          mercenary
    satisfaction <  cutoff  hostage                     defector / terrorist
    ======================  ==========================  ==========================

    Parameters
    ----------
    satisfaction : float, array-like or pandas.Series
        Satisfaction scores (any numeric scale).
    loyalty : float, array-like or pandas.Series
        Loyalty (repurchase 0/1, intention scores, ...). Two Series are aligned by index
        (the same customers, in any order; mismatched indexes are refused); arrays must have
        the same length.
    satisfaction_cutoff, loyalty_cutoff : float
        A customer is "satisfied" when ``satisfaction >= satisfaction_cutoff`` and "loyal"
        when ``loyalty >= loyalty_cutoff``.

    Returns
    -------
    str, ndarray of str or pandas.Series
        One of :data:`TYPES` per customer; a Series on the index of ``satisfaction`` when
        Series are given. :func:`typology_shares` turns it into the shares of the four types.

    References
    ----------
    Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. *HBR* 73(6).

    Examples
    --------
    >>> jones_sasser_typology([5, 5, 2, 1], [1, 0, 1, 0]).tolist()
    ['loyalist/apostle', 'mercenary', 'hostage', 'defector/terrorist']
    """
    scalar = np.ndim(satisfaction) == 0 and np.ndim(loyalty) == 0
    index, arrays = v.aligned(satisfaction=satisfaction, loyalty=loyalty)
    s, y = arrays["satisfaction"], arrays["loyalty"]
    sc = v.as_float("satisfaction_cutoff", satisfaction_cutoff)
    lc = v.as_float("loyalty_cutoff", loyalty_cutoff)
    if np.ndim(sc) or np.ndim(lc):
        raise TypeError("satisfaction_cutoff and loyalty_cutoff must be single numbers")
    sat, loyal = s >= sc, y >= lc
    out = np.select([sat & loyal, sat & ~loyal, ~sat & loyal], list(TYPES[:3]), TYPES[3]).astype(object)
    if index is not None:
        return pd.Series(out, index=index, name="type")
    return str(out[0]) if scalar else out


def typology_shares(types) -> pd.Series:
    """Shares of the four Jones–Sasser types among customers (:func:`jones_sasser_typology` output).

    Returns
    -------
    pandas.Series
        Shares indexed by :data:`TYPES` (0 for a type nobody has); they sum to 1.

    Examples
    --------
    >>> typology_shares(jones_sasser_typology([5, 5, 5, 1], [1, 1, 0, 0])).tolist()
    [0.5, 0.25, 0.0, 0.25]
    """
    if types is None or isinstance(types, (str, bytes)):
        raise TypeError(f"types must be the labels of jones_sasser_typology (an array or Series); got {types!r}")
    labels = pd.Series(np.asarray(types, dtype=object).ravel())
    if labels.empty:
        raise ValueError("types must hold at least one customer; got none")
    unknown = sorted(set(labels) - set(TYPES), key=str)
    if unknown:
        raise ValueError(f"types must be labels from TYPES {list(TYPES)}; got {unknown[0]!r}")
    counts = labels.value_counts().reindex(list(TYPES), fill_value=0)
    return pd.Series(counts.to_numpy() / len(labels), index=pd.Index(TYPES, name="type"), name="share")


def expected_typology(scenario: MarketScenario | None = None, satisfaction_cutoff: int = 4) -> pd.Series:
    """Population shares of the Jones–Sasser types implied by a :class:`MarketScenario`.

    With answer shares :math:`\\pi_s` and repurchase probabilities :math:`p(s)`, loyalists
    are :math:`\\sum_{s \\ge s^*} \\pi_s p(s)`, mercenaries :math:`\\sum_{s \\ge s^*} \\pi_s (1-p(s))`,
    hostages :math:`\\sum_{s < s^*} \\pi_s p(s)` and defectors the rest (loyalty = repurchase).

    Examples
    --------
    >>> t = expected_typology(market_scenario(competitive_intensity=1.0))
    >>> round(float(t.sum()), 6), t.idxmax()
    (1.0, 'mercenary')
    """
    sc = _check_scenario("scenario", scenario, MarketScenario)
    cut = v.integer("satisfaction_cutoff", satisfaction_cutoff, minimum=2, maximum=5)
    return _typology_from(np.asarray(sc.satisfaction_shares), _level_probabilities(sc), cut)


# =====================================================================================
# Net Promoter Score
# =====================================================================================
@dataclass(frozen=True)
class NPSResult:
    """Net Promoter Score (in points, -100..100) with its confidence interval."""

    nps: float
    lower: float
    upper: float
    promoters: float
    passives: float
    detractors: float
    n_respondents: int
    level: float

    def __repr__(self) -> str:
        return _(
            "NPSResult(nps={nps:.1f}, {level:.0%} CI [{lower:.1f}, {upper:.1f}], "
            "promoters={promoters:.3f}, passives={passives:.3f}, "
            "detractors={detractors:.3f}, n_respondents={n_respondents})"
        ).format(
            nps=self.nps,
            level=self.level,
            lower=self.lower,
            upper=self.upper,
            promoters=self.promoters,
            passives=self.passives,
            detractors=self.detractors,
            n_respondents=self.n_respondents,
        )


def net_promoter_score(scores, level: float = 0.95) -> NPSResult:
    """Net Promoter Score: % promoters (9-10) minus % detractors (0-6), with a Wald interval.

    With promoter and detractor shares :math:`\\hat p_P, \\hat p_D` from a multinomial
    sample of size :math:`n`,

    .. math:: \\text{NPS} = 100(\\hat p_P - \\hat p_D), \\qquad
              \\operatorname{Var}(\\hat p_P - \\hat p_D) = \\frac{\\hat p_P + \\hat p_D
              - (\\hat p_P - \\hat p_D)^2}{n}.

    Parameters
    ----------
    scores : array-like of int
        Answers to "How likely are you to recommend us?" on the 0-10 scale.
    level : float
        Confidence level in (0, 1).

    Raises
    ------
    ValueError
        If a score is not a whole number from 0 to 10.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *HBR* 81(12), 46-54.
    The variance is that of a difference of two multinomial proportions (Agresti, A.
    (2013). *Categorical Data Analysis*, 3rd ed., Wiley, sec. 1.2 and 16.1).

    Examples
    --------
    >>> r = net_promoter_score([10, 9, 8, 7, 6, 0, 10, 9, 9, 3])
    >>> round(r.nps, 1), round(r.promoters, 2), round(r.detractors, 2)
    (20.0, 0.5, 0.3)
    """
    x = np.atleast_1d(v.as_float("scores", scores.to_numpy() if isinstance(scores, pd.Series) else scores))
    bad = (x < 0) | (x > 10) | (x != np.round(x))
    if bad.any():
        raise ValueError(
            f"scores must be whole numbers from 0 to 10; got {x[bad][0].item():g} "
            f"at position {int(np.flatnonzero(bad)[0])}"
        )
    level = check_level(level)
    from scipy.stats import norm

    n = x.size
    pp, pd_ = float(np.mean(x >= 9)), float(np.mean(x <= 6))
    diff = pp - pd_
    se = math.sqrt(max(pp + pd_ - diff**2, 0.0) / n)
    z = norm.ppf(0.5 + level / 2)
    return NPSResult(
        float(100 * diff),
        float(100 * max(diff - z * se, -1.0)),
        float(100 * min(diff + z * se, 1.0)),
        pp,
        float(1 - pp - pd_),
        pd_,
        int(n),
        level,
    )


# =====================================================================================
# the retention profit lever
# =====================================================================================
@dataclass(frozen=True)
class RetentionScenario:
    """Inputs of the retention profit lever; the fields are validated on creation.

    Change one with :func:`dataclasses.replace`. The defaults are the chapter's static
    example (also :func:`retention_scenario`).

    Attributes
    ----------
    margin : float, default 100
        Margin per customer per period (currency per period), > 0 and at most 1e15.
    retention_rate : float, default 0.80
        Retention rate per period, in [0, 1).
    discount_rate : float, default 0.10
        Discount rate per period, in [0, 1].
    margin_growth : float, default 0
        Growth of the margin per period of tenure (older customers buy more and cost less to
        serve), in [-0.5, 0.5].
    acquisition_cost : float, default 0
        Paid once per customer (currency), >= 0.
    retention_gain : float, default 0.05
        The "5 percentage points" of the claim, in (0, 1); ``retention_rate + retention_gain``
        must stay below 1.

    Examples
    --------
    >>> import dataclasses
    >>> dataclasses.replace(RetentionScenario(), retention_rate=0.9).retention_rate
    0.9
    """

    margin: float = 100.0
    retention_rate: float = 0.80
    discount_rate: float = 0.10
    margin_growth: float = 0.0
    acquisition_cost: float = 0.0
    retention_gain: float = 0.05

    def __post_init__(self) -> None:
        put = object.__setattr__
        margin = v.money("margin", self.margin, unit="currency per period")
        put(self, "margin", _one("margin", v.positive("margin", margin, unit="currency per period")))
        put(
            self,
            "retention_rate",
            _one("retention_rate", v.probability("retention_rate", self.retention_rate, open_high=True)),
        )
        put(
            self,
            "discount_rate",
            _one("discount_rate", v.in_range("discount_rate", self.discount_rate, 0, 1, unit="per period")),
        )
        put(
            self,
            "margin_growth",
            _one("margin_growth", v.in_range("margin_growth", self.margin_growth, -0.5, 0.5, unit="per period")),
        )
        cost = v.money("acquisition_cost", self.acquisition_cost, minimum=0, unit="currency per customer")
        put(self, "acquisition_cost", _one("acquisition_cost", cost))
        gain = v.in_range("retention_gain", self.retention_gain, 0, 1, low_open=True, high_open=True)
        put(self, "retention_gain", _one("retention_gain", gain))
        if self.retention_rate + self.retention_gain >= 1:
            raise ValueError(
                f"retention_rate + retention_gain must stay below 1; got {self.retention_rate} + {self.retention_gain}"
            )


def retention_scenario(
    margin: float = 100.0,
    retention_rate: float = 0.80,
    discount_rate: float = 0.10,
    margin_growth: float = 0.0,
    acquisition_cost: float = 0.0,
    retention_gain: float = 0.05,
) -> RetentionScenario:
    """Defaulting constructor of :class:`RetentionScenario` (the chapter's static example).

    Examples
    --------
    >>> retention_scenario().retention_rate
    0.8
    """
    return RetentionScenario(margin, retention_rate, discount_rate, margin_growth, acquisition_cost, retention_gain)


@dataclass(frozen=True)
class LeverOutcome:
    """The retention lever of one :class:`RetentionScenario`, evaluated once.

    Attributes
    ----------
    scenario : RetentionScenario
    value_before, value_after : float
        Present value of a new customer (currency, net of the acquisition cost) at
        ``retention_rate`` and at ``retention_rate + retention_gain``
        (:func:`crmlib.value.clv_from_retention`, infinite horizon).
    lift : float
        ``value_after / value_before - 1`` (:func:`crmlib.value.retention_lift`).
    lifetime_before, lifetime_after : float
        Expected periods a customer stays, 1/(1 − r) (:func:`crmlib.value.expected_lifetime`).
    """

    scenario: RetentionScenario
    value_before: float
    value_after: float
    lift: float
    lifetime_before: float
    lifetime_after: float


def evaluate_retention_lever(scenario: RetentionScenario | None = None) -> LeverOutcome:
    """Customer value before and after ``retention_gain`` more retention, the lift and the lifetimes.

    All the arithmetic is :mod:`crmlib.value` (the one home of retention-based value):
    :math:`V(r) = m\\,r/(1 + d - r(1+g)) - a`, lift :math:`V(r+\\Delta r)/V(r) - 1`,
    lifetime :math:`1/(1-r)`.

    Raises
    ------
    ValueError
        If the value diverges (:math:`(r+\\Delta r)(1+g) \\ge 1+d`) or is not positive at ``r``
        (an acquisition cost above the customer's value), so that a relative lift is undefined.

    Examples
    --------
    >>> out = evaluate_retention_lever(retention_scenario())
    >>> round(out.value_before, 2), round(out.value_after, 2), round(out.lift, 3), round(out.lifetime_before, 2)
    (266.67, 340.0, 0.275, 5.0)
    """
    sc = _check_scenario("scenario", scenario, RetentionScenario)
    r, r2 = sc.retention_rate, sc.retention_rate + sc.retention_gain
    kw = dict(margin_growth=sc.margin_growth, acquisition_cost=sc.acquisition_cost)
    before = _value.clv_from_retention(sc.margin, r, sc.discount_rate, **kw)
    after = _value.clv_from_retention(sc.margin, r2, sc.discount_rate, **kw)
    lift = _value.retention_lift(r, sc.discount_rate, retention_gain=sc.retention_gain, margin=sc.margin, **kw)
    return LeverOutcome(
        scenario=sc,
        value_before=float(before),
        value_after=float(after),
        lift=float(lift),
        lifetime_before=float(_value.expected_lifetime(r)),
        lifetime_after=float(_value.expected_lifetime(r2)),
    )


# =====================================================================================
# ECSI model and PLS path modelling
# =====================================================================================
def pls_path_model(
    data: pd.DataFrame,
    blocks: dict,
    paths,
    *,
    modes: dict | None = None,
    scheme: str = "centroid",
    scaled: bool = True,
    tol: float = 1e-6,
    maxiter: int = 100,
    bootstrap: int = 0,
    rng=None,
    level: float = 0.95,
    progress: bool = True,
) -> PLSResult:
    """PLS path modelling of a structural model with latent constructs (Wold's algorithm).

    The same algorithm, conventions and stopping rule as R's ``plspm`` (Sanchez 2013):
    indicators centred (``scaled=False``) or standardised (``scaled=True``); Lohmöller's
    iteration with the centroid, factorial or path inner-weighting scheme; Mode A
    (reflective: weights are covariances with the inner estimate) or Mode B (formative:
    multiple-regression weights); stop when the sum of squared changes of the absolute
    outer weights falls below ``tol``; scores with unit (population) variance, signed to
    agree with most of their indicators; path coefficients by OLS on the scores. See
    :mod:`crmlib._pls` for the steps.

    Parameters
    ----------
    data : pandas.DataFrame
        Indicators (numeric, complete, none constant within a block).
    blocks : dict
        Construct name -> list of column names (each column in one block only).
    paths : list of (from, to)
        Structural paths between constructs; the model must be recursive (no cycles) and
        every construct must take part in a path.
    modes : dict, optional
        Construct -> ``"A"`` or ``"B"``; constructs not named use Mode A.
    scheme : {"centroid", "factorial", "path"}
        Inner weighting scheme.
    scaled : bool
        Standardise the indicators (True) or only centre them (False).
    tol, maxiter : float, int
        Convergence tolerance (``plspm``'s default 1e-6, at most 1e-3) and iteration limit
        (1 ... 100,000).
    bootstrap : int
        Number of bootstrap resamples for standard errors and percentile intervals of the path
        coefficients: 0 (none, the default) or 10 ... 100,000; needs ``rng``.
    rng : numpy.random.Generator, optional
        Source of randomness for the bootstrap (keyword-only; the fit itself draws nothing,
        so it is needed only when ``bootstrap > 0``, and then it is required).
    level : float
        Confidence level of the ``bootstrap`` table's intervals (``conf_int`` takes any level).
    progress : bool
        Show a tqdm progress bar during the bootstrap.

    Returns
    -------
    PLSResult
        crmlib's result protocol: ``params`` (the path coefficients, labelled
        ``"IMAG -> EXPE"``), ``standard_errors`` and ``conf_int(level)`` from the bootstrap
        (NaN without one), ``converged``, ``iterations``, ``message``, ``n_obs``,
        ``log_likelihood`` (None), ``summary()``; plus ``path_coefficients`` (indexed by
        ``(from, to)``), ``r_squared``, ``total_effects``, ``outer_loadings``,
        ``outer_weights``, ``communality``, ``ave``, ``gof``, ``scores``, ``inner_summary()``
        and, on request, the ``bootstrap`` table. It also carries the indicator ``data`` and
        the specification (``design``, ``blocks``) that :mod:`crmlib.pls` uses to assess the
        model (reliability, validity, R², f², Q², bootstrap, PLSc, PLSpredict, ...).

    Raises
    ------
    ValueError
        Missing columns, constant or non-finite indicators, unknown constructs in
        ``paths`` or ``modes``, cycles, unconnected constructs, bad ``scheme``/``modes``.
    TypeError
        ``bootstrap > 0`` without ``rng`` (a numpy Generator).

    Warns
    -----
    crmlib.results.ConvergenceWarning
        If the iteration stops at ``maxiter`` before meeting ``tol`` (the result then has
        ``converged=False``).
    crmlib.pls.CollinearityWarning
        If the indicators of a Mode A block are linearly dependent (a Mode B block with
        dependent indicators is refused with a ValueError naming it).

    See Also
    --------
    crmlib.pls.assess : the full PLS-SEM assessment of the fitted model.

    References
    ----------
    Wold, H. (1982). Soft modeling: the basic design and some extensions. In Jöreskog &
    Wold (eds.), *Systems under indirect observation*, Part II, 1-54.
    Lohmöller, J.-B. (1989). *Latent variable path modeling with partial least squares*.
    Physica. Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M. & Lauro, C. (2005). PLS
    path modeling. *Computational Statistics & Data Analysis* 48(1), 159-205.
    Sanchez, G. (2013). *PLS Path Modeling with R*. Trowchez Editions.

    Examples
    --------
    >>> df = simulate_ecsi_survey(300, rng=np.random.default_rng(7))
    >>> res = pls_path_model(df, ECSI_BLOCKS, ECSI_PATHS)
    >>> res.params.index[0], round(float(res.r_squared["SAT"]), 2), res.converged
    ('IMAG -> EXPE', 0.46, True)
    """
    return _pls_fit(
        data,
        blocks,
        paths,
        modes=modes,
        scheme=scheme,
        scaled=scaled,
        tol=tol,
        maxiter=maxiter,
        bootstrap=bootstrap,
        rng=rng,
        level=level,
        progress=progress,
    )


#: Indicator blocks of the ECSI model without complaints (the column names of Sanchez's
#: ``satisfaction`` data, also used by :func:`simulate_ecsi_survey`).
ECSI_BLOCKS = {
    "IMAG": [f"imag{i}" for i in range(1, 6)],
    "EXPE": [f"expe{i}" for i in range(1, 6)],
    "QUAL": [f"qual{i}" for i in range(1, 6)],
    "VAL": [f"val{i}" for i in range(1, 5)],
    "SAT": [f"sat{i}" for i in range(1, 5)],
    "LOY": [f"loy{i}" for i in range(1, 5)],
}

#: Structural paths of the ECSI model without complaints.
ECSI_PATHS = [
    ("IMAG", "EXPE"),
    ("IMAG", "SAT"),
    ("IMAG", "LOY"),
    ("EXPE", "QUAL"),
    ("EXPE", "VAL"),
    ("EXPE", "SAT"),
    ("QUAL", "VAL"),
    ("QUAL", "SAT"),
    ("VAL", "SAT"),
    ("SAT", "LOY"),
]

#: Standardised path coefficients of the simulated ECSI population (:func:`simulate_ecsi_survey`),
#: of the size Sanchez (2013) reports for the Spanish bank survey.
ECSI_TRUE_PATHS = {
    ("IMAG", "EXPE"): 0.60,
    ("IMAG", "SAT"): 0.20,
    ("IMAG", "LOY"): 0.30,
    ("EXPE", "QUAL"): 0.80,
    ("EXPE", "VAL"): 0.10,
    ("EXPE", "SAT"): 0.05,
    ("QUAL", "VAL"): 0.60,
    ("QUAL", "SAT"): 0.15,
    ("VAL", "SAT"): 0.55,
    ("SAT", "LOY"): 0.50,
}


def simulate_ecsi_survey(
    n_respondents: int = 250, *, rng, path_coefficients: dict | None = None, loading: float = 0.8
) -> pd.DataFrame:
    """Simulate an ECSI customer-satisfaction survey (indicators on a 1-10 scale).

    Documented structural model (a linear recursive SEM on standardised constructs):

    1. constructs in the order IMAG, EXPE, QUAL, VAL, SAT, LOY;
       :math:`\\eta_k = \\sum_{j \\to k} \\beta_{jk} \\eta_j + \\zeta_k` with
       :math:`\\zeta_k \\sim N(0, \\psi_k)` and :math:`\\psi_k` chosen so that every
       :math:`\\eta_k` has variance 1 (``path_coefficients`` default :data:`ECSI_TRUE_PATHS`);
    2. each indicator of construct :math:`k` is :math:`x = \\lambda\\eta_k +
       \\sqrt{1-\\lambda^2}\\,\\varepsilon`, :math:`\\varepsilon \\sim N(0,1)`, with common loading
       :math:`\\lambda` = ``loading`` (columns as in :data:`ECSI_BLOCKS`);
    3. answers :math:`\\text{round}(7 + 1.6x)` clipped to 1..10 (surveys skew to the top).

    The data are simulated, not observed; the real ECSI survey (Sanchez 2013) is used in
    the tests only.

    Parameters
    ----------
    n_respondents : int
        Number of respondents (rows), 10 ... 10,000,000.
    rng : numpy.random.Generator
        Source of randomness (keyword-only, required).
    path_coefficients : dict, optional
        ``(from, to) -> coefficient`` for paths of :data:`ECSI_PATHS` (others are 0).
    loading : float in (0, 1)
        Common standardised loading of every indicator.

    Raises
    ------
    ValueError
        If the path coefficients imply a construct variance above 1 (no valid :math:`\\psi_k`).

    Examples
    --------
    >>> df = simulate_ecsi_survey(100, rng=np.random.default_rng(0))
    >>> df.shape, int(df.min().min()) >= 1, int(df.max().max()) <= 10
    ((100, 27), True, True)
    """
    v.rng("rng", rng)
    n = v.integer("n_respondents", n_respondents, minimum=10, maximum=MAX_RESPONDENTS)
    lam = v.in_range("loading", loading, 0, 1, low_open=True, high_open=True)
    if path_coefficients is not None and not isinstance(path_coefficients, dict):
        raise TypeError(f"path_coefficients must be a dict (from, to) -> coefficient; got {path_coefficients!r}")
    coefs = dict(ECSI_TRUE_PATHS if path_coefficients is None else path_coefficients)
    names = list(ECSI_BLOCKS)
    for key in coefs:
        if key not in ECSI_PATHS:
            raise ValueError(f"path_coefficients: {key!r} is not a path of ECSI_PATHS")
    q = len(names)
    B = np.zeros((q, q))
    for (a, b), val in coefs.items():
        B[names.index(b), names.index(a)] = v.in_range(f"path_coefficients[{(a, b)!r}]", val, -1, 1)
    sigma = np.zeros((q, q))
    psi = np.zeros(q)
    for k in range(q):  # names are in topological order
        pred = np.flatnonzero(B[k])
        explained = B[k, pred] @ sigma[np.ix_(pred, pred)] @ B[k, pred] if pred.size else 0.0
        psi[k] = 1.0 - explained
        if psi[k] <= 0:
            raise ValueError(
                f"path_coefficients into {names[k]!r} explain {explained:.3f} > 1 of its variance; lower them"
            )
        sigma[k, k] = 1.0
        for j in range(k):
            sigma[k, j] = sigma[j, k] = B[k, pred] @ sigma[pred, j] if pred.size else 0.0
    eta = np.zeros((n, q))
    for k in range(q):
        eta[:, k] = eta @ B[k] + rng.normal(0.0, math.sqrt(psi[k]), size=n)
    cols = {}
    for k, name in enumerate(names):
        for col in ECSI_BLOCKS[name]:
            x = lam * eta[:, k] + math.sqrt(1 - lam * lam) * rng.normal(size=n)
            cols[col] = np.clip(np.rint(7 + 1.6 * x), 1, 10).astype(int)
    return pd.DataFrame(cols)


# =====================================================================================
# key-driver analysis: what drives satisfaction
# =====================================================================================
#: The drivers of satisfaction the course lists (slides 003: the product's or service's quality,
#: price, delivery time and communication, then brand image, after-sales service and care), as
#: column names of :func:`crmlib.datasets.constructed_driver_survey`.
SATISFACTION_DRIVERS = (
    N_("quality"),
    N_("price"),
    N_("delivery_time"),
    N_("communication"),
    N_("brand_image"),
    N_("after_sales_service"),
    N_("care"),
)

#: The slides' Chinese words for the drivers (影响顾客满意度的因素).
DRIVER_TERMS = {
    "quality": "质量",
    "price": "价格",
    "delivery_time": "交付时间",
    "communication": "沟通",
    "brand_image": "品牌形象",
    "after_sales_service": "售后服务",
    "care": "顾客关怀",
}

#: The four quadrants of the importance-performance grid and the action each calls for
#: (Martilla & James 1977), in the order high/low importance x low/high performance.
QUADRANTS = (N_("concentrate here"), N_("keep up the good work"), N_("low priority"), N_("possible overkill"))

#: Most drivers the exact LMG decomposition takes (it fits 2**p regressions).
MAX_DRIVERS = 12

_IMPORTANCE_MEASURES = ("lmg_share", "lmg", "beta", "correlation")


def _labelled(code: str) -> str:
    """``（质量）`` after a driver code such as ``quality`` in the Chinese edition; nothing in English
    or for a code without a translation (the code itself stays: it is a column name)."""
    shown = _(code)
    return f"（{shown}）" if shown != code else ""


def _subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the regression of variable 0 on every subset of variables 1..p (index = bit mask)."""
    p = corr.shape[0] - 1
    r_xy, r_xx = corr[0, 1:], corr[1:, 1:]
    r2 = np.zeros(2**p)
    for mask in range(1, 2**p):
        idx = [j for j in range(p) if mask >> j & 1]
        r = r_xy[idx]
        r2[mask] = float(r @ np.linalg.solve(r_xx[np.ix_(idx, idx)], r))
    return r2


def _lmg(corr: np.ndarray) -> np.ndarray:
    """Exact LMG (Shapley) shares of R² from the correlation matrix of (y, x_1..x_p).

    .. math:: \\text{LMG}_j = \\sum_{S \\subseteq P \\setminus \\{j\\}}
              \\frac{|S|!\\,(p-|S|-1)!}{p!}\\,\\bigl(R^2(S \\cup \\{j\\}) - R^2(S)\\bigr)
    """
    p = corr.shape[0] - 1
    r2 = _subset_r2(corr)
    weight = [math.factorial(k) * math.factorial(p - k - 1) / math.factorial(p) for k in range(p)]
    out = np.zeros(p)
    for mask in range(2**p):
        size = bin(mask).count("1")
        for j in range(p):
            if not mask >> j & 1:
                out[j] += weight[size] * (r2[mask | 1 << j] - r2[mask])
    return out


def _driver_frame(data, overall, drivers):
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of survey answers; got {type(data).__name__}")
    if not isinstance(overall, str):
        raise TypeError(f"overall must be the name of the overall-satisfaction column; got {overall!r}")
    if drivers is None:
        drivers = [c for c in data.columns if c != overall]
    elif isinstance(drivers, str) or not all(isinstance(d, str) for d in drivers):
        raise TypeError(f"drivers must be a list of column names; got {drivers!r}")
    drivers = list(drivers)
    if overall in drivers:
        raise ValueError(f"drivers must not include the overall column {overall!r}; got {drivers}")
    if len(set(drivers)) != len(drivers):
        raise ValueError(f"drivers must name each column once; got {drivers}")
    if not 2 <= len(drivers) <= MAX_DRIVERS:
        raise ValueError(
            f"drivers must hold 2 to {MAX_DRIVERS} columns (the exact decomposition fits 2**p regressions); "
            f"got {len(drivers)}"
        )
    v.columns("data", data, [overall, *drivers])
    frame = data[[overall, *drivers]]
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col]):
            raise TypeError(f"data[{col!r}] must hold numeric ratings; got dtype {frame[col].dtype}")
        vals = frame[col].to_numpy(dtype=float)
        bad = ~np.isfinite(vals)
        if bad.any():
            raise ValueError(
                f"data[{col!r}] has {int(bad.sum())} missing or non-finite answer(s), the first at row "
                f"{frame.index[int(np.flatnonzero(bad)[0])]!r}; drop or impute them first"
            )
        if np.ptp(vals) == 0:
            raise ValueError(
                f"data[{col!r}] is constant ({vals[0]:g} for everybody); it cannot explain or be explained"
            )
    if len(frame) < len(drivers) + 2:
        raise ValueError(
            f"data must have more respondents than drivers + 1 ({len(drivers) + 1}); got {len(frame)} rows"
        )
    return frame.astype(float), drivers


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class KeyDriverResult(FitResult):
    """Key-driver analysis of a satisfaction survey (:func:`fit_key_drivers`).

    ``params`` are the standardised regression coefficients (beta weights) of the drivers, with
    OLS standard errors and t-based intervals; the full table is :attr:`table`.

    Attributes
    ----------
    overall : str
        The overall-satisfaction column.
    drivers : tuple of str
        The driver columns, in the order given.
    table : pandas.DataFrame
        One row per driver: ``performance`` (mean rating), ``coefficient`` (unstandardised OLS
        slope: overall points per rating point), ``beta`` (standardised slope), ``p_value``,
        ``correlation`` (with overall), ``lmg`` (the driver's LMG share of R², summing to
        :attr:`r_squared`) and ``lmg_share`` (the same, normalised to sum to 1).
    r_squared : float
        R² of the full regression.
    intercept : float
        Intercept of the unstandardised regression.
    overall_mean : float
        Mean overall satisfaction in the survey.
    scale : tuple of float
        Lowest and highest driver rating in the survey (the range :func:`evaluate_driver_change`
        accepts).
    df_resid : int
        Residual degrees of freedom, ``n_obs - len(drivers) - 1``.
    """

    overall: str
    drivers: tuple
    table: pd.DataFrame
    r_squared: float
    intercept: float
    overall_mean: float
    scale: tuple
    df_resid: int

    model_name: ClassVar[str] = N_("key-driver analysis (OLS + LMG)")

    def __repr__(self) -> str:
        # FitResult's repr, with the model's name and the fit line in the notebook's language; in
        # Chinese each driver's code is followed by its label, as records show their fields
        ps = ", ".join(f"{k}={val:.4g}{_labelled(k)}" for k, val in zip(self.param_names, self.param_values))
        return f"{type(self).__name__}({_(self.model_name)}: {ps}; {self._fit_line()})"

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Intervals beta ± t·SE at confidence ``level`` (t with ``df_resid`` degrees of freedom, as statsmodels)."""
        from scipy import stats as _st

        level = check_level(level)
        t = _st.t.ppf(0.5 + level / 2, self.df_resid)
        est, se = self.params, self.standard_errors
        return pd.DataFrame({"lower": est - t * se, "upper": est + t * se})

    def summary(self) -> pd.DataFrame:
        """Betas with standard errors, t statistics, two-sided p-values (t with ``df_resid``) and 95% intervals."""
        from scipy import stats as _st

        est, se = self.params, self.standard_errors
        t = est / se
        ci = self.conf_int(0.95)
        return pd.DataFrame(
            {
                "estimate": est,
                "std_error": se,
                "t": t,
                "p_value": 2 * _st.t.sf(np.abs(t), self.df_resid),
                "lower_95": ci["lower"],
                "upper_95": ci["upper"],
            }
        )

    def _fit_line(self) -> str:
        return _("n = {n:,}, R² = {r_squared:.3f}, {drivers} drivers, exact LMG").format(
            n=self.n_obs, r_squared=self.r_squared, drivers=len(self.drivers)
        )


def fit_key_drivers(data: pd.DataFrame, overall: str = "overall", drivers=None) -> KeyDriverResult:
    """Key-driver analysis: derived importance of each driver against its stated performance.

    Two derived importances of driver :math:`j` for overall satisfaction :math:`y`:

    * **standardised regression** (statsmodels OLS on z-scores):
      :math:`z_y = \\sum_j \\beta_j z_{x_j} + \\varepsilon`;
    * **LMG / Shapley decomposition of R²** (Lindeman, Merenda & Gold 1980; Grömping 2006): the
      increase in R² from adding :math:`x_j`, averaged over all orders in which the drivers can
      enter the regression,

      .. math:: \\text{LMG}_j = \\sum_{S \\subseteq P \\setminus \\{j\\}}
                \\frac{|S|!\\,(p-|S|-1)!}{p!}\\,\\bigl(R^2(S \\cup \\{j\\}) - R^2(S)\\bigr),

      computed exactly over all :math:`2^p` subsets (from the correlation matrix). The shares
      are non-negative and sum to the full R²; with uncorrelated drivers LMG equals the squared
      correlation :math:`r_{y x_j}^2`. Unlike betas, they share the variance that correlated
      drivers explain together instead of giving it to whichever is entered last.

    Performance is the mean rating of each driver (what customers say about it). Put the two
    side by side with :func:`importance_performance_grid`.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent; numeric ratings, no missing answers.
    overall : str
        Column of overall satisfaction.
    drivers : list of str, optional
        Driver columns (2 to 12); default every other column.

    Returns
    -------
    KeyDriverResult

    Raises
    ------
    ValueError
        Missing or constant columns, missing answers, too few respondents, or drivers that are
        linear combinations of each other.

    References
    ----------
    Lindeman, R. H., Merenda, P. F. & Gold, R. Z. (1980). *Introduction to Bivariate and
    Multivariate Analysis*. Scott, Foresman (p. 119 ff.).
    Grömping, U. (2006). Relative importance for linear regression in R: the package relaimpo.
    *Journal of Statistical Software* 17(1), 1-27.
    Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing* 41(1), 77-79.

    Examples
    --------
    >>> from crmlib.datasets import constructed_driver_survey
    >>> survey = constructed_driver_survey(500, rng=np.random.default_rng(1))
    >>> kd = fit_key_drivers(survey)
    >>> bool(np.isclose(kd.table["lmg"].sum(), kd.r_squared))
    True
    """
    frame, drivers = _driver_frame(data, overall, drivers)
    import statsmodels.api as sm

    x = frame[drivers].to_numpy()
    y = frame[overall].to_numpy()
    if np.linalg.matrix_rank(x - x.mean(axis=0)) < len(drivers):
        raise ValueError(f"drivers {drivers} are linearly dependent (one is a combination of others); drop one")
    raw = sm.OLS(y, sm.add_constant(x, has_constant="add")).fit()
    sd_x, sd_y = x.std(axis=0, ddof=1), y.std(ddof=1)
    beta = raw.params[1:] * sd_x / sd_y
    se_beta = raw.bse[1:] * sd_x / sd_y
    corr = np.corrcoef(np.column_stack([y, x]), rowvar=False)
    lmg = _lmg(corr)
    r2 = float(raw.rsquared)
    idx = pd.Index(drivers, name="driver")
    table = pd.DataFrame(
        {
            "performance": x.mean(axis=0),
            "coefficient": raw.params[1:],
            "beta": beta,
            "p_value": raw.pvalues[1:],
            "correlation": corr[0, 1:],
            "lmg": lmg,
            "lmg_share": lmg / lmg.sum(),
        },
        index=idx,
    )
    table.attrs["i18n_context"] = "key drivers"  # beta = standardised coefficient
    return KeyDriverResult(
        param_names=tuple(drivers),
        param_values=tuple(beta),
        se_values=tuple(se_beta),
        n_obs=len(frame),
        converged=True,
        message="closed form: OLS and the exact LMG decomposition over all subsets",
        log_likelihood=float(raw.llf),
        overall=overall,
        drivers=tuple(drivers),
        table=table,
        r_squared=r2,
        intercept=float(raw.params[0]),
        overall_mean=float(y.mean()),
        scale=(float(x.min()), float(x.max())),
        df_resid=int(raw.df_resid),
    )


def _check_key_drivers(result):
    if not isinstance(result, KeyDriverResult):
        raise TypeError(f"result must be a KeyDriverResult (from fit_key_drivers); got {type(result).__name__}")
    return result


def _quadrant(importance: np.ndarray, performance: np.ndarray, i_cut: float, p_cut: float) -> np.ndarray:
    hi_i, hi_p = importance >= i_cut, performance >= p_cut
    return np.select(
        [hi_i & ~hi_p, hi_i & hi_p, ~hi_i & ~hi_p],
        [QUADRANTS[0], QUADRANTS[1], QUADRANTS[2]],
        default=QUADRANTS[3],
    ).astype(object)


def importance_performance_grid(
    result: KeyDriverResult,
    measure: str = "lmg_share",
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> pd.DataFrame:
    """Place each driver in the importance-performance grid and name the action it calls for.

    Importance (derived, from :func:`fit_key_drivers`) is the vertical axis, performance (the
    mean rating) the horizontal one. The grid lines default to the **mean importance** and the
    **mean performance** over the drivers (the data-centred cross-hairs; Martilla & James 1977
    placed them by judgement, and a scale midpoint or a target is just as legitimate: pass
    ``importance_cut`` / ``performance_cut``). A driver exactly on a line counts as high.

    ===========================  ======================  ==========================
    importance                   performance below line  performance at/above line
    ===========================  ======================  ==========================
    at or above the line         concentrate here        keep up the good work
    below the line               low priority            possible overkill
    ===========================  ======================  ==========================

    Parameters
    ----------
    result : KeyDriverResult
    measure : {"lmg_share", "lmg", "beta", "correlation"}
        Column of ``result.table`` used as importance (default the LMG share of R²).
    importance_cut, performance_cut : float, optional
        Positions of the grid lines (defaults: the means over the drivers).

    Returns
    -------
    pandas.DataFrame
        Index ``driver``; columns ``importance``, ``performance``, ``quadrant``. The lines are in
        ``frame.attrs["importance_cut"]`` and ``frame.attrs["performance_cut"]``.

    Examples
    --------
    >>> from crmlib.datasets import constructed_driver_survey
    >>> kd = fit_key_drivers(constructed_driver_survey(500, rng=np.random.default_rng(1)))
    >>> grid = importance_performance_grid(kd)
    >>> round(grid.attrs["importance_cut"], 4), sorted(set(grid["quadrant"])) == sorted(QUADRANTS)
    (0.1429, True)
    """
    kd = _check_key_drivers(result)
    v.one_of("measure", measure, _IMPORTANCE_MEASURES)
    imp = kd.table[measure].to_numpy(dtype=float)
    perf = kd.table["performance"].to_numpy(dtype=float)
    i_cut = float(imp.mean()) if importance_cut is None else float(v.as_float("importance_cut", importance_cut))
    p_cut = float(perf.mean()) if performance_cut is None else float(v.as_float("performance_cut", performance_cut))
    grid = pd.DataFrame(
        {"importance": imp, "performance": perf, "quadrant": _quadrant(imp, perf, i_cut, p_cut)},
        index=kd.table.index.copy(),
    )
    grid.attrs.update(importance_cut=i_cut, performance_cut=p_cut, measure=measure)
    return grid


@dataclass(frozen=True, eq=False)
class DriverChangeOutcome:
    """What moving one driver's performance does, evaluated once (:func:`evaluate_driver_change`).

    Attributes
    ----------
    driver : str
    performance_before, performance_after : float
        The driver's mean rating in the survey and after the change.
    overall_before, overall_after : float
        Predicted mean overall satisfaction (the regression's prediction at the drivers' means;
        ``overall_before`` is the survey's mean).
    grid_before, grid : pandas.DataFrame
        :func:`importance_performance_grid` before and after, with the same grid lines.
    quadrant_before, quadrant_after : str
        The driver's quadrant before and after.
    """

    driver: str
    performance_before: float
    performance_after: float
    overall_before: float
    overall_after: float
    grid_before: pd.DataFrame
    grid: pd.DataFrame
    quadrant_before: str
    quadrant_after: str

    @property
    def change(self) -> float:
        """Change in predicted mean overall satisfaction (scale points)."""
        return self.overall_after - self.overall_before

    def __repr__(self) -> str:
        return _(
            "DriverChangeOutcome({driver}: performance {before:.3f} -> {after:.3f}, overall {overall_before:.3f} -> "
            "{overall_after:.3f} ({change:+.3f}), quadrant {quadrant_before} -> {quadrant_after})"
        ).format(
            driver=f"{self.driver}{_labelled(self.driver)}",
            before=self.performance_before,
            after=self.performance_after,
            overall_before=self.overall_before,
            overall_after=self.overall_after,
            change=self.change,
            quadrant_before=repr(_(self.quadrant_before)),
            quadrant_after=repr(_(self.quadrant_after)),
        )


def evaluate_driver_change(
    result: KeyDriverResult,
    driver: str,
    performance: float,
    measure: str = "lmg_share",
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> DriverChangeOutcome:
    """Predicted overall satisfaction and the grid after moving one driver's mean rating.

    The prediction is the fitted regression at the drivers' means,
    :math:`\\hat{\\bar y} = b_0 + \\sum_k b_k \\bar x_k`, with :math:`\\bar x_j` replaced by
    ``performance``: the mean overall rating moves by :math:`b_j (\\text{performance} - \\bar x_j)`.
    It is a what-if on the survey's own regression (valid near the ratings observed, hence
    ``performance`` must stay inside the survey's rating range ``result.scale``), not a causal
    promise. Importance does not change (it is derived from the answers' covariation); the grid
    lines stay where the survey put them, so the driver's move across a line is visible.

    Examples
    --------
    >>> from crmlib.datasets import constructed_driver_survey
    >>> kd = fit_key_drivers(constructed_driver_survey(500, rng=np.random.default_rng(1)))
    >>> out = evaluate_driver_change(kd, "price", kd.table.loc["price", "performance"] + 1)
    >>> bool(np.isclose(out.change, kd.table.loc["price", "coefficient"]))
    True
    """
    kd = _check_key_drivers(result)
    if not isinstance(driver, str) or driver not in kd.drivers:
        raise ValueError(f"driver must be one of {list(kd.drivers)}; got {driver!r}")
    lo, hi = kd.scale
    new = float(v.in_range("performance", performance, lo, hi, unit="(the survey's rating range)"))
    before = importance_performance_grid(kd, measure, importance_cut, performance_cut)
    i_cut, p_cut = before.attrs["importance_cut"], before.attrs["performance_cut"]
    old = float(kd.table.loc[driver, "performance"])
    coef = float(kd.table.loc[driver, "coefficient"])
    after = before.copy()
    after.loc[driver, "performance"] = new
    after["quadrant"] = _quadrant(after["importance"].to_numpy(), after["performance"].to_numpy(), i_cut, p_cut)
    after.attrs.update(before.attrs)
    return DriverChangeOutcome(
        driver=driver,
        performance_before=old,
        performance_after=new,
        overall_before=kd.overall_mean,
        overall_after=kd.overall_mean + coef * (new - old),
        grid_before=before,
        grid=after,
        quadrant_before=str(before.loc[driver, "quadrant"]),
        quadrant_after=str(after.loc[driver, "quadrant"]),
    )
