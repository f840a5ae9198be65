"""Chapter 1 - the satisfaction trap: why satisfied customers still defect.

Satisfaction is not loyalty (客户满意 ≠ 客户忠诚). Jones & Sasser (1995) showed that the link
between the two depends on competition: in competitive markets only the "completely
satisfied" top box is loyal (Xerox: a 5 repurchased about six times as often as a 4), in
near-monopolies even dissatisfied customers stay. This module turns that story into
functions that can be computed, plotted, tested and put behind sliders.

==============================  ======================================================
market scenarios                :class:`MarketScenario`, :func:`market_scenario`,
                                :func:`repurchase_probability`, :func:`simulate_survey`
survey analysis                 :func:`repurchase_by_level`, :func:`top_box_multiple`,
                                :func:`satisfaction_loyalty_curve`
zones and typology              :func:`satisfaction_zone`, :func:`jones_sasser_typology`,
                                :func:`expected_typology`
Net Promoter Score              :func:`net_promoter_score`
retention profit lever          :class:`RetentionScenario`, :func:`retention_scenario`,
                                :func:`customer_value`, :func:`retention_lift`,
                                :func:`retention_for_lift`, :func:`expected_lifetime`
ECSI / PLS path model           :func:`pls_path_model`, :data:`ECSI_BLOCKS`,
                                :data:`ECSI_PATHS`, :func:`simulate_ecsi_survey`
figures                         :func:`plot_satisfaction_loyalty`, :func:`plot_typology`,
                                :func:`plot_retention_lever`
==============================  ======================================================

Symbols: satisfaction level :math:`s \\in \\{1,\\dots,5\\}`, repurchase probability
:math:`p(s)`, competitive intensity :math:`c \\in [0, 1]`, switching barrier
:math:`b \\in [0, 1)`, margin per period :math:`m`, retention rate :math:`r`, discount rate
:math:`d`, margin growth :math:`g`.

Randomness is explicit: every simulator takes ``rng``, a :class:`numpy.random.Generator`.
Importing this module is quick and changes no global state: statsmodels, matplotlib and
tqdm are imported inside the functions that need them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate as v
from ._pls import PLSResult
from ._pls import fit as _pls_fit

__all__ = [
    "MarketScenario", "market_scenario", "repurchase_probability", "simulate_survey",
    "LEVELS", "repurchase_by_level", "TopBoxResult", "top_box_multiple", "satisfaction_loyalty_curve",
    "satisfaction_zone", "TYPES", "jones_sasser_typology", "expected_typology",
    "NPSResult", "net_promoter_score",
    "RetentionScenario", "retention_scenario", "customer_value", "retention_lift",
    "retention_for_lift", "retention_lift_table", "expected_lifetime", "overall_repurchase",
    "shift_satisfaction",
    "PLSResult", "pls_path_model", "ECSI_BLOCKS", "ECSI_PATHS", "ECSI_TRUE_PATHS",
    "simulate_ecsi_survey",
    "plot_satisfaction_loyalty", "plot_typology", "plot_retention_lever",
]

#: The five answer levels of the satisfaction question (1 = completely dissatisfied ...
#: 5 = completely satisfied), as in Jones & Sasser (1995).
LEVELS = (1, 2, 3, 4, 5)

# Exponent of the loyalty curve at c = 0 (protected market); the exponent at c = 1 is
# solved so that p(5) / p(4) = 6 when b = 0 (the Xerox finding), see _k1().
_K0 = 0.5
_XEROX_MULTIPLE = 6.0


def _k1(p_min: float, p_max: float) -> float:
    # p_min + (p_max - p_min) * 0.75**k = p_max / 6
    return math.log((p_max / _XEROX_MULTIPLE - p_min) / (p_max - p_min)) / math.log(0.75)


# =====================================================================================
# market scenarios and the survey simulator
# =====================================================================================
@dataclass(frozen=True)
class MarketScenario:
    """A market in which a satisfaction survey is run (build it with :func:`market_scenario`).

    Attributes
    ----------
    competitive_intensity : float
        :math:`c \\in [0, 1]`: 0 = protected market (monopoly, regulated utility),
        1 = commodity market with many equal alternatives (Jones & Sasser's cars and PCs).
    switching_barrier : float
        :math:`b \\in [0, 1)`: share of would-be defectors kept anyway by contracts, costs of
        switching or lack of alternatives (the "hostage" effect).
    max_repurchase : float
        Repurchase probability of a completely satisfied customer without barriers.
    min_repurchase : float
        Repurchase probability of a completely dissatisfied customer without barriers
        (some come back anyway: convenience, habit, inattention).
    satisfaction_shares : tuple of 5 floats
        Shares of answers 1..5 (they sum to 1).
    n_respondents : int
        Survey size used by :func:`simulate_survey`.
    """

    competitive_intensity: float
    switching_barrier: float
    max_repurchase: float
    min_repurchase: float
    satisfaction_shares: tuple
    n_respondents: int

    @property
    def satisfied_share(self) -> float:
        """Share answering 4 or 5 ("satisfied" in the usual top-two-box report)."""
        return float(sum(self.satisfaction_shares[3:]))


def market_scenario(competitive_intensity: float = 0.9, switching_barrier: float = 0.0,
                    max_repurchase: float = 0.75, min_repurchase: float = 0.05,
                    satisfaction_shares=(0.02, 0.02, 0.05, 0.51, 0.40),
                    n_respondents: int = 2000) -> MarketScenario:
    """Defaulting constructor of :class:`MarketScenario` (the chapter's static example).

    The default is Case A of the course: a competitive market (c = 0.9) in which 91% of
    the respondents answer 4 or 5 ("satisfied").

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
    c = v.probability("competitive_intensity", competitive_intensity)
    b = v.probability("switching_barrier", switching_barrier, open_high=True)
    pmax, pmin = _check_pmax_pmin(max_repurchase, min_repurchase)
    shares = np.asarray(v.as_float("satisfaction_shares", satisfaction_shares), dtype=float)
    if shares.shape != (5,):
        raise ValueError(f"satisfaction_shares must hold 5 shares (levels 1..5); got {shares.size}")
    v.probability("satisfaction_shares", shares)
    if abs(shares.sum() - 1) > 1e-9:
        raise ValueError(f"satisfaction_shares must sum to 1; got {shares.sum():.6g}")
    n = v.integer("n_respondents", n_respondents, minimum=1)
    return MarketScenario(c, b, pmax, pmin, tuple(float(s) for s in shares), n)


def _check_pmax_pmin(max_repurchase, min_repurchase):
    pmax = v.in_range("max_repurchase", max_repurchase, 0, 1, low_open=True)
    pmin = v.in_range("min_repurchase", min_repurchase, 0, 1)
    if not pmin < pmax / _XEROX_MULTIPLE:
        raise ValueError(f"min_repurchase must be below max_repurchase / 6 = {pmax / 6:.4g} "
                         f"(so that the top box can repurchase six times as often as a 4); got {pmin}")
    return pmax, pmin


def repurchase_probability(satisfaction, competitive_intensity=0.9, switching_barrier=0.0,
                           max_repurchase=0.75, min_repurchase=0.05):
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
    satisfaction : float or array-like
        Satisfaction level(s) on the 1-5 scale (fractional values allowed for curves).
    competitive_intensity, switching_barrier, max_repurchase, min_repurchase : float
        See :class:`MarketScenario`.

    Returns
    -------
    float or ndarray
        Probabilities in [0, 1], non-decreasing in ``satisfaction``.

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
    s = v.in_range("satisfaction", satisfaction, 1, 5)
    c = v.probability("competitive_intensity", competitive_intensity)
    b = v.probability("switching_barrier", switching_barrier, open_high=True)
    pmax, pmin = _check_pmax_pmin(max_repurchase, min_repurchase)
    k = _K0 * (_k1(pmin, pmax) / _K0) ** c
    x = (np.asarray(s, dtype=float) - 1.0) / 4.0
    p = b + (1.0 - b) * (pmin + (pmax - pmin) * x ** k)
    return float(p) if np.ndim(p) == 0 else p


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
        Defaults to :func:`market_scenario()`.
    rng : numpy.random.Generator
        Source of randomness (required).

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
    sc = market_scenario() if scenario is None else scenario
    if not isinstance(sc, MarketScenario):
        raise TypeError(f"scenario must be a MarketScenario (see market_scenario()); got {type(sc).__name__}")
    n = sc.n_respondents
    s = rng.choice(np.array(LEVELS), size=n, p=np.asarray(sc.satisfaction_shares))
    p = repurchase_probability(s, sc.competitive_intensity, sc.switching_barrier, sc.max_repurchase,
                               sc.min_repurchase)
    y = (rng.random(n) < p).astype(int)
    rec = _recommend_from_satisfaction(s.astype(float), rng)
    intention = np.where(y == 1, rng.integers(4, 6, size=n), rng.integers(1, 4, size=n))
    return pd.DataFrame({"satisfaction": s.astype(int), "repurchase": y, "recommend": rec,
                         "loyalty_intention": intention.astype(int)})


def overall_repurchase(scenario: MarketScenario | None = None) -> float:
    """Expected share of all customers who buy again: :math:`\\sum_s \\pi_s\\, p(s)`.

    Examples
    --------
    >>> round(overall_repurchase(market_scenario(competitive_intensity=1.0)), 4)
    0.3684
    """
    sc = market_scenario() if scenario is None else scenario
    if not isinstance(sc, MarketScenario):
        raise TypeError(f"scenario must be a MarketScenario; got {type(sc).__name__}")
    p = repurchase_probability(np.array(LEVELS, dtype=float), sc.competitive_intensity,
                               sc.switching_barrier, sc.max_repurchase, sc.min_repurchase)
    return float(np.asarray(sc.satisfaction_shares) @ p)


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
    return MarketScenario(scenario.competitive_intensity, scenario.switching_barrier, scenario.max_repurchase,
                          scenario.min_repurchase, tuple(max(x, 0.0) for x in shares), scenario.n_respondents)


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
    bad = ~np.isin(s, LEVELS)
    if bad.any():
        raise ValueError(f"data[{satisfaction!r}] must hold satisfaction levels 1-5 (whole numbers); "
                         f"got {s[bad][0].item()!r} at row {int(np.flatnonzero(bad)[0])}")
    bad = ~np.isin(y, (0, 1))
    if bad.any():
        raise ValueError(f"data[{outcome!r}] must be 0/1 ({outcome_name}); got {y[bad][0].item()!r} "
                         f"at row {int(np.flatnonzero(bad)[0])}")
    return s.astype(int), y.astype(int)


def _wilson(k, n, level):
    from scipy.stats import norm

    z = norm.ppf(0.5 + level / 2)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def repurchase_by_level(data: pd.DataFrame, satisfaction: str = "satisfaction",
                        repurchase: str = "repurchase", level: float = 0.95) -> pd.DataFrame:
    """Repurchase rate at each satisfaction level, with Wilson score intervals.

    .. math:: \\hat p_s = y_s / n_s, \\qquad
              \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

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
    >>> repurchase_by_level(df).loc[[4, 5], ["n", "rate"]].round(3)
                  n   rate
    satisfaction          
    4             3  0.333
    5             2  1.000
    """
    s, y = _survey_columns(data, satisfaction, repurchase)
    level = v.in_range("level", level, 0, 1, low_open=True, high_open=True)
    n = np.array([(s == k).sum() for k in LEVELS])
    k = np.array([y[s == lv].sum() for lv in LEVELS])
    lo, hi = _wilson(k, n, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = k / n
    return pd.DataFrame({"n": n, "repurchased": k, "rate": rate, "lower": lo, "upper": hi},
                        index=pd.Index(LEVELS, name="satisfaction"))


@dataclass(frozen=True)
class TopBoxResult:
    """Top-box multiple: repurchase rate at the top level ÷ rate one level below."""

    multiple: float
    lower: float
    upper: float
    rate_top: float
    rate_below: float
    level: float

    def __repr__(self) -> str:
        return (f"TopBoxResult(multiple={self.multiple:.3f}, {self.level:.0%} CI [{self.lower:.3f}, "
                f"{self.upper:.3f}], rate_top={self.rate_top:.3f}, rate_below={self.rate_below:.3f})")


def top_box_multiple(data: pd.DataFrame, satisfaction: str = "satisfaction",
                     repurchase: str = "repurchase", top: int = 5, level: float = 0.95) -> TopBoxResult:
    """How many times as often the top box repurchases as the box below it (5 vs 4).

    The ratio of two independent proportions with the log (Katz) interval:

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
    level = v.in_range("level", level, 0, 1, low_open=True, high_open=True)
    n1, n0 = (s == top).sum(), (s == top - 1).sum()
    y1, y0 = y[s == top].sum(), y[s == top - 1].sum()
    if min(n1, n0) == 0 or min(y1, y0) == 0:
        raise ValueError(f"data must contain repurchasers at both levels {top - 1} and {top}; "
                         f"got {y0}/{n0} and {y1}/{n1}")
    from scipy.stats import norm

    rr = (y1 / n1) / (y0 / n0)
    se = math.sqrt(1 / y1 - 1 / n1 + 1 / y0 - 1 / n0)
    z = norm.ppf(0.5 + level / 2)
    return TopBoxResult(float(rr), float(rr * math.exp(-z * se)), float(rr * math.exp(z * se)),
                        float(y1 / n1), float(y0 / n0), float(level))


def satisfaction_loyalty_curve(data: pd.DataFrame, method: str = "categorical",
                               satisfaction: str = "satisfaction", repurchase: str = "repurchase",
                               level: float = 0.95, *, frac: float = 0.3, n_boot: int = 200,
                               rng=None) -> pd.DataFrame:
    """Estimate the satisfaction → repurchase curve with statsmodels, with intervals.

    ``method``:

    * ``"categorical"`` — logistic regression with satisfaction as categories
      (:math:`\\text{logit}\\,p = \\beta_0 + \\sum_{k=2}^5 \\beta_k [s = k]`); the fitted
      probabilities equal the observed rates; intervals by the delta method on the logit
      scale, transformed back;
    * ``"smooth"`` — logistic regression with a smooth (quadratic) term
      :math:`\\text{logit}\\,p = \\beta_0 + \\beta_1 x + \\beta_2 x^2`, :math:`x = s - 3`;
      evaluated on a fine grid from 1 to 5;
    * ``"lowess"`` — statsmodels' LOWESS of the 0/1 outcome on satisfaction (jittered by
      ±0.2 so the smoother sees a continuum), evaluated at the answer levels, with
      percentile intervals from ``n_boot`` bootstrap resamples drawn with ``rng``.

    Returns
    -------
    pandas.DataFrame
        Index ``satisfaction`` (the levels, or a grid from 1 to 5 for ``"smooth"``),
        columns ``probability``, ``lower``, ``upper``.

    References
    ----------
    Cleveland, W. S. (1979). Robust locally weighted regression and smoothing scatterplots.
    *JASA* 74(368), 829-836. Seabold, S. & Perktold, J. (2010). statsmodels.

    Examples
    --------
    >>> df = simulate_survey(market_scenario(n_respondents=3000), rng=np.random.default_rng(3))
    >>> cat = satisfaction_loyalty_curve(df, "categorical")
    >>> bool(np.allclose(cat["probability"], repurchase_by_level(df)["rate"]))
    True
    """
    s, y = _survey_columns(data, satisfaction, repurchase)
    v.one_of("method", method, ("categorical", "smooth", "lowess"))
    level = v.in_range("level", level, 0, 1, low_open=True, high_open=True)
    from scipy.stats import norm

    z = norm.ppf(0.5 + level / 2)
    if method in ("categorical", "smooth"):
        import statsmodels.api as sm

        if method == "categorical":
            present = [lv for lv in LEVELS if (s == lv).any()]
            if len(present) < 2:
                raise ValueError(f"data[{satisfaction!r}] must use at least two levels; got {present}")
            design = lambda x: np.column_stack([np.ones(len(x))] + [(x == k).astype(float) for k in present[1:]])
            grid = np.array(present, dtype=float)
        else:
            if len(np.unique(s)) < 3:
                raise ValueError(f"data[{satisfaction!r}] must use at least three levels for a smooth term")
            design = lambda x: np.column_stack([np.ones(len(x)), x - 3.0, (x - 3.0) ** 2])
            grid = np.round(np.linspace(1, 5, 41), 2)
        for lv in np.unique(s):
            if y[s == lv].min() == y[s == lv].max() and method == "categorical":
                raise ValueError(f"level {lv} has only {'repurchasers' if y[s == lv][0] else 'defectors'}; "
                                 "the categorical logit is not identified (use method='lowess')")
        res = sm.GLM(y, design(s.astype(float)), family=sm.families.Binomial()).fit()
        xg = design(grid)
        eta = xg @ res.params
        se = np.sqrt(np.einsum("ij,jk,ik->i", xg, res.cov_params(), xg))
        expit = lambda t: 1.0 / (1.0 + np.exp(-t))
        out = pd.DataFrame({"probability": expit(eta), "lower": expit(eta - z * se),
                            "upper": expit(eta + z * se)}, index=pd.Index(grid, name="satisfaction"))
        if method == "categorical":
            out.index = out.index.astype(int)
        return out
    # lowess
    from statsmodels.nonparametric.smoothers_lowess import lowess

    v.rng("rng", rng)
    frac = v.in_range("frac", frac, 0, 1, low_open=True)
    n_boot = v.integer("n_boot", n_boot, minimum=10)
    grid = np.unique(s).astype(float)       # evaluate at the answer levels: no data lie between them
    jitter = rng.uniform(-0.2, 0.2, size=len(s))
    x = s + jitter
    fit = lowess(y, x, frac=frac, it=0, xvals=grid)
    boots = np.empty((n_boot, len(grid)))
    for i in range(n_boot):
        idx = rng.integers(0, len(s), size=len(s))
        boots[i] = lowess(y[idx], x[idx], frac=frac, it=0, xvals=grid)
    alpha = (1 - level) / 2
    out = pd.DataFrame({"probability": fit, "lower": np.nanquantile(boots, alpha, axis=0),
                        "upper": np.nanquantile(boots, 1 - alpha, axis=0)},
                       index=pd.Index(grid, name="satisfaction"))
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

    References
    ----------
    Heskett, J. L., Jones, T. O., Loveman, G. W., Sasser, W. E. & Schlesinger, L. A. (1994).
    Putting the service-profit chain to work. *Harvard Business Review* 72(2), 164-174.

    Examples
    --------
    >>> satisfaction_zone([1, 2, 3, 4, 5]).tolist()
    ['defection', 'defection', 'indifference', 'indifference', 'affection']
    """
    s = v.in_range("satisfaction", satisfaction, 1, 5)
    lo = v.integer("defection_max", defection_max, minimum=1)
    hi = v.integer("affection_min", affection_min, minimum=1)
    if not lo < hi <= 5:
        raise ValueError(f"defection_max must be below affection_min <= 5; got {lo} and {hi}")
    s = np.asarray(s)
    out = np.where(s <= lo, "defection", np.where(s >= hi, "affection", "indifference"))
    return out.astype(object) if out.ndim else str(out)


#: The four Jones–Sasser types, in the order used by tables and plots.
TYPES = ("loyalist/apostle", "mercenary", "hostage", "defector/terrorist")


def jones_sasser_typology(satisfaction, loyalty, satisfaction_cutoff: float = 4,
                          loyalty_cutoff: float = 0.5) -> pd.Series:
    """Shares of the four Jones–Sasser customer types in a sample.

    ======================  ==========================  ==========================
    \\                       loyalty >= loyalty_cutoff    loyalty < loyalty_cutoff
    ======================  ==========================  ==========================
    satisfaction >= cutoff  loyalist / apostle          mercenary
    satisfaction <  cutoff  hostage                     defector / terrorist
    ======================  ==========================  ==========================

    Parameters
    ----------
    satisfaction : array-like
        Satisfaction scores (any numeric scale).
    loyalty : array-like
        Loyalty (repurchase 0/1, intention scores, ...), same length.
    satisfaction_cutoff, loyalty_cutoff : float
        A customer is "satisfied" when ``satisfaction >= satisfaction_cutoff`` and "loyal"
        when ``loyalty >= loyalty_cutoff``.

    Returns
    -------
    pandas.Series
        Shares indexed by :data:`TYPES` (they sum to 1).

    References
    ----------
    Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. *HBR* 73(6).

    Examples
    --------
    >>> jones_sasser_typology([5, 5, 2, 1], [1, 0, 1, 0]).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    s = np.atleast_1d(v.as_float("satisfaction", satisfaction))
    y = np.atleast_1d(v.as_float("loyalty", loyalty))
    v.same_length(satisfaction=s, loyalty=y)
    sc = v.as_float("satisfaction_cutoff", satisfaction_cutoff)
    lc = v.as_float("loyalty_cutoff", loyalty_cutoff)
    sat, loyal = s >= sc, y >= lc
    shares = [np.mean(sat & loyal), np.mean(sat & ~loyal), np.mean(~sat & loyal), np.mean(~sat & ~loyal)]
    return pd.Series(shares, index=pd.Index(TYPES, name="type"), name="share")


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
    sc = market_scenario() if scenario is None else scenario
    if not isinstance(sc, MarketScenario):
        raise TypeError(f"scenario must be a MarketScenario; got {type(sc).__name__}")
    cut = v.integer("satisfaction_cutoff", satisfaction_cutoff, minimum=2)
    if cut > 5:
        raise ValueError(f"satisfaction_cutoff must be in 2..5; got {cut}")
    pi = np.asarray(sc.satisfaction_shares)
    p = repurchase_probability(np.array(LEVELS, dtype=float), sc.competitive_intensity,
                               sc.switching_barrier, sc.max_repurchase, sc.min_repurchase)
    hi = np.array(LEVELS) >= cut
    shares = [np.sum(pi[hi] * p[hi]), np.sum(pi[hi] * (1 - p[hi])), np.sum(pi[~hi] * p[~hi]),
              np.sum(pi[~hi] * (1 - p[~hi]))]
    return pd.Series(shares, index=pd.Index(TYPES, name="type"), name="share")


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
    n: int
    level: float

    def __repr__(self) -> str:
        return (f"NPSResult(nps={self.nps:.1f}, {self.level:.0%} CI [{self.lower:.1f}, {self.upper:.1f}], "
                f"promoters={self.promoters:.3f}, passives={self.passives:.3f}, "
                f"detractors={self.detractors:.3f}, n={self.n})")


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
    x = np.atleast_1d(v.as_float("scores", scores))
    bad = (x < 0) | (x > 10) | (x != np.round(x))
    if bad.any():
        raise ValueError(f"scores must be whole numbers from 0 to 10; got {x[bad][0].item():g} "
                         f"at position {int(np.flatnonzero(bad)[0])}")
    level = v.in_range("level", level, 0, 1, low_open=True, high_open=True)
    from scipy.stats import norm

    n = x.size
    pp, pd_ = np.mean(x >= 9), np.mean(x <= 6)
    diff = pp - pd_
    se = math.sqrt(max(pp + pd_ - diff ** 2, 0.0) / n)
    z = norm.ppf(0.5 + level / 2)
    return NPSResult(float(100 * diff), float(100 * max(diff - z * se, -1.0)),
                     float(100 * min(diff + z * se, 1.0)),
                     float(pp), float(1 - pp - pd_), float(pd_), int(n), float(level))


# =====================================================================================
# the retention profit lever
# =====================================================================================
@dataclass(frozen=True)
class RetentionScenario:
    """Inputs of the retention profit lever (build with :func:`retention_scenario`).

    ``margin`` per customer per period (currency units), ``retention`` rate per period,
    ``discount_rate`` per period, ``margin_growth`` per period of tenure (older customers
    buy more and cost less to serve), ``acquisition_cost`` paid once, and
    ``retention_gain`` (the "5 percentage points" of the claim).
    """

    margin: float
    retention: float
    discount_rate: float
    margin_growth: float
    acquisition_cost: float
    retention_gain: float


def retention_scenario(margin: float = 100.0, retention: float = 0.80, discount_rate: float = 0.10,
                       margin_growth: float = 0.0, acquisition_cost: float = 0.0,
                       retention_gain: float = 0.05) -> RetentionScenario:
    """Defaulting constructor of :class:`RetentionScenario` (the chapter's static example).

    Examples
    --------
    >>> retention_scenario().retention
    0.8
    """
    m = v.positive("margin", margin)
    r = v.probability("retention", retention, open_high=True)
    d = v.in_range("discount_rate", discount_rate, 0, 1)
    g = v.in_range("margin_growth", margin_growth, -0.5, 0.5)
    a = v.non_negative("acquisition_cost", acquisition_cost)
    dr = v.in_range("retention_gain", retention_gain, 0, 1, low_open=True, high_open=True)
    if r + dr >= 1:
        raise ValueError(f"retention + retention_gain must stay below 1; got {r} + {dr}")
    return RetentionScenario(m, r, d, g, a, dr)


def customer_value(margin, retention, discount_rate, margin_growth=0.0, acquisition_cost=0.0):
    """Present value of a newly acquired customer (currency units).

    Margins are earned at the end of each period the customer survives; the margin grows
    by :math:`g` per period of tenure:

    .. math:: V = \\sum_{t \\ge 1} m (1+g)^{t-1} \\frac{r^t}{(1+d)^t} - a
              = \\frac{m\\, r}{1 + d - r(1+g)} - a,

    which needs :math:`r(1+g) < 1+d`. With :math:`g = a = 0` it is the familiar
    :math:`m \\cdot r/(1+d-r)` "margin multiple" (Gupta & Lehmann 2003).

    Parameters
    ----------
    margin, retention, discount_rate, margin_growth, acquisition_cost : float or array-like
        See :class:`RetentionScenario`; broadcast together.

    Raises
    ------
    ValueError
        If the series does not converge (:math:`r(1+g) \\ge 1+d`).

    References
    ----------
    Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
    Marketing* 17(1), 9-24. Reichheld, F. F. & Sasser, W. E. (1990). Zero defections:
    quality comes to services. *HBR* 68(5), 105-111.

    Examples
    --------
    >>> round(customer_value(100, 0.8, 0.1), 2)
    266.67
    """
    m = v.positive("margin", margin)
    r = v.probability("retention", retention, open_high=True)
    d = v.in_range("discount_rate", discount_rate, 0, 1)
    g = v.in_range("margin_growth", margin_growth, -0.5, 0.5)
    a = v.non_negative("acquisition_cost", acquisition_cost)
    denom = 1 + np.asarray(d) - np.asarray(r) * (1 + np.asarray(g))
    if np.any(denom <= 0):
        raise ValueError("retention * (1 + margin_growth) must be below 1 + discount_rate for the value "
                         f"to be finite; got retention={retention!r}, margin_growth={margin_growth!r}, "
                         f"discount_rate={discount_rate!r}")
    out = np.asarray(m) * np.asarray(r) / denom - np.asarray(a)
    return float(out) if np.ndim(out) == 0 else out


def retention_lift(margin=100.0, retention=0.80, discount_rate=0.10, margin_growth=0.0,
                   acquisition_cost=0.0, retention_gain=0.05):
    """Relative change in customer value when retention rises by ``retention_gain``.

    .. math:: \\text{lift} = \\frac{V(r + \\Delta r)}{V(r)} - 1

    With :math:`g = a = 0` the margin cancels: the lift depends only on :math:`r`, :math:`d`
    and :math:`\\Delta r`. That is why the same "5% more retention" can be quoted as 25%,
    35%, 60% or 100% more profit: each number belongs to a different retention and
    discount rate (see :func:`retention_for_lift`). Reichheld & Sasser (1990) report
    25-85% across industries, with margins that grow with tenure.

    Returns
    -------
    float or ndarray
        Relative change (0.25 = +25%).

    Examples
    --------
    >>> round(retention_lift(retention=0.80, discount_rate=0.10), 4)
    0.275
    """
    base = customer_value(margin, retention, discount_rate, margin_growth, acquisition_cost)
    dr = v.in_range("retention_gain", retention_gain, 0, 1, low_open=True, high_open=True)
    r2 = np.asarray(retention, dtype=float) + dr
    if np.any(r2 >= 1):
        raise ValueError(f"retention + retention_gain must stay below 1; got {retention!r} + {dr}")
    new = customer_value(margin, r2, discount_rate, margin_growth, acquisition_cost)
    base = np.asarray(base)
    if np.any(base <= 0):
        raise ValueError("the base customer value must be positive for a relative change; "
                         "lower acquisition_cost or raise margin")
    out = np.asarray(new) / base - 1
    return float(out) if np.ndim(out) == 0 else out


def retention_for_lift(target_lift: float, discount_rate: float = 0.10, margin_growth: float = 0.0,
                       retention_gain: float = 0.05) -> float:
    """The base retention rate at which ``retention_gain`` raises customer value by ``target_lift``.

    Solves :func:`retention_lift` ``(r) = target`` for :math:`r` by Brent's method (the
    lift rises with :math:`r`). With no acquisition cost the margin plays no role.

    Raises
    ------
    ValueError
        If no retention rate in [0.5, 1 - retention_gain) gives the target. (Below 0.5
        the lift rises again as retention falls, because a small base is easy to multiply;
        those retention rates are not the ones the quoted claims are about.)

    Examples
    --------
    >>> round(retention_for_lift(0.35, discount_rate=0.10), 3)
    0.869
    """
    from scipy.optimize import brentq

    t = v.positive("target_lift", target_lift)
    d = v.in_range("discount_rate", discount_rate, 0, 1)
    g = v.in_range("margin_growth", margin_growth, -0.5, 0.5)
    dr = v.in_range("retention_gain", retention_gain, 0, 1, low_open=True, high_open=True)
    hi = min(1 - dr, (1 + d) / (1 + g) - dr) - 1e-9
    f = lambda r: retention_lift(1.0, r, d, g, 0.0, dr) - t
    lo = 0.5
    if not (f(lo) < 0 < f(hi)):
        raise ValueError(f"no retention rate gives a lift of {t:g} with discount_rate={d:g}, "
                         f"margin_growth={g:g}, retention_gain={dr:g}")
    return float(brentq(f, lo, hi, xtol=1e-12))


def retention_lift_table(targets=(0.25, 0.35, 0.60, 1.00), discount_rates=(0.05, 0.10, 0.15),
                         margin_growth: float = 0.0, retention_gain: float = 0.05) -> pd.DataFrame:
    """Base retention rate needed for each quoted lift at each discount rate (NaN: impossible).

    Notes
    -----
    A NaN is not missing data. With constant margins (``margin_growth = 0``) the lift of
    :func:`retention_lift` is capped: it rises with the base retention :math:`r` (above
    about 0.55) and, as :math:`r + \\Delta r` approaches 1, tends to

    .. math:: \\frac{V(1)}{V(1-\\Delta r)} - 1 = \\frac{d + \\Delta r}{d\\,(1 - \\Delta r)} - 1,

    about 110.5% at :math:`d = 0.05`, 57.9% at 0.10 and 40.4% at 0.15 for five points. A target
    above the cap gets NaN. Base retention rates below 0.5 are not searched (see
    :func:`retention_for_lift`): there the lift rises again only because the base value is tiny.

    Examples
    --------
    >>> retention_lift_table((0.25, 1.0), (0.05, 0.10)).round(3)
    discount rate     5%    10%
    lift                       
    25%            0.700  0.761
    100%           0.944    NaN
    """
    rows = {}
    for t in targets:
        row = {}
        for d in discount_rates:
            try:
                row[f"{d:.0%}"] = retention_for_lift(t, d, margin_growth, retention_gain)
            except ValueError:
                row[f"{d:.0%}"] = np.nan
        rows[f"{t:.0%}"] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "lift"
    out.columns.name = "discount rate"
    return out


def expected_lifetime(retention):
    """Expected number of periods a customer stays, counting the first: :math:`1/(1-r)`.

    With a constant retention rate the number of periods is geometric, so its mean is
    :math:`1/(1-r)` = 1 / churn rate.

    Examples
    --------
    >>> expected_lifetime(0.75)   # 25% of clients lost each year
    4.0
    """
    r = v.probability("retention", retention, open_high=True)
    out = 1.0 / (1.0 - np.asarray(r))
    return float(out) if np.ndim(out) == 0 else out


# =====================================================================================
# ECSI model and PLS path modelling
# =====================================================================================
def pls_path_model(data: pd.DataFrame, blocks: dict, paths, modes: dict | None = None,
                   scheme: str = "centroid", scaled: bool = True, tol: float = 1e-6,
                   maxiter: int = 100, bootstrap: int = 0, rng=None, level: float = 0.95,
                   progress: bool = True) -> PLSResult:
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
        Convergence tolerance (``plspm``'s default 1e-6) and iteration limit.
    bootstrap : int
        Number of bootstrap resamples for path-coefficient intervals (0 = none); needs ``rng``.
    rng : numpy.random.Generator, optional
        Source of randomness for the bootstrap.
    level : float
        Confidence level of the bootstrap percentile intervals.
    progress : bool
        Show a tqdm progress bar during the bootstrap.

    Returns
    -------
    PLSResult
        With ``path_coefficients`` (= ``params``), ``r_squared``, ``total_effects``,
        ``outer_loadings``, ``outer_weights``, ``communality``, ``ave``, ``gof``,
        ``scores`` and, on request, ``bootstrap``.

    Raises
    ------
    ValueError
        Missing columns, constant or non-finite indicators, unknown constructs in
        ``paths`` or ``modes``, cycles, unconnected constructs, bad ``scheme``/``modes``.
    RuntimeError
        If the iteration does not converge within ``maxiter``.

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
    >>> res.path_coefficients.index[0], round(float(res.r_squared["SAT"]), 2)
    (('IMAG', 'EXPE'), 0.46)
    """
    return _pls_fit(data, blocks, paths, modes=modes, scheme=scheme, scaled=scaled, tol=tol,
                    maxiter=maxiter, bootstrap=bootstrap, rng=rng, level=level, progress=progress)


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
ECSI_PATHS = [("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"), ("EXPE", "VAL"),
              ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "LOY")]

#: Standardised path coefficients of the simulated ECSI population (:func:`simulate_ecsi_survey`),
#: of the size Sanchez (2013) reports for the Spanish bank survey.
ECSI_TRUE_PATHS = {("IMAG", "EXPE"): 0.60, ("IMAG", "SAT"): 0.20, ("IMAG", "LOY"): 0.30,
                   ("EXPE", "QUAL"): 0.80, ("EXPE", "VAL"): 0.10, ("EXPE", "SAT"): 0.05,
                   ("QUAL", "VAL"): 0.60, ("QUAL", "SAT"): 0.15, ("VAL", "SAT"): 0.55,
                   ("SAT", "LOY"): 0.50}


def simulate_ecsi_survey(n: int = 250, *, rng, path_coefficients: dict | None = None,
                         loading: float = 0.8) -> pd.DataFrame:
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
    n = v.integer("n", n, minimum=10)
    lam = v.in_range("loading", loading, 0, 1, low_open=True, high_open=True)
    coefs = dict(ECSI_TRUE_PATHS if path_coefficients is None else path_coefficients)
    names = list(ECSI_BLOCKS)
    for (a, b) in coefs:
        if (a, b) not in ECSI_PATHS:
            raise ValueError(f"path_coefficients: {(a, b)!r} is not a path of ECSI_PATHS")
    q = len(names)
    B = np.zeros((q, q))
    for (a, b), val in coefs.items():
        B[names.index(b), names.index(a)] = v.as_float(f"path_coefficients[{(a, b)!r}]", val)
    sigma = np.zeros((q, q))
    psi = np.zeros(q)
    for k in range(q):                  # names are in topological order
        pred = np.flatnonzero(B[k])
        explained = B[k, pred] @ sigma[np.ix_(pred, pred)] @ B[k, pred] if pred.size else 0.0
        psi[k] = 1.0 - explained
        if psi[k] <= 0:
            raise ValueError(f"path_coefficients into {names[k]!r} explain {explained:.3f} > 1 of its "
                             "variance; lower them")
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
# figures
# =====================================================================================
def plot_satisfaction_loyalty(scenarios=None, ax=None, *, zones=(2, 5), labels=None, survey=None,
                              estimates=None):
    """Plot repurchase probability against satisfaction for one or more markets.

    Parameters
    ----------
    scenarios : MarketScenario or list of them, optional
        Curves :func:`repurchase_probability` to draw (default: a protected and a
        competitive market).
    ax : matplotlib Axes, optional
    zones : (defection_max, affection_min)
        Cut-offs of the shaded zones (see :func:`satisfaction_zone`); ``None`` for no shading.
    labels : list of str, optional
        Legend labels.
    survey : pandas.DataFrame, optional
        Observed rates with intervals (:func:`repurchase_by_level` output) to overlay.
    estimates : dict of str -> DataFrame, optional
        Estimated curves (:func:`satisfaction_loyalty_curve` output) drawn with their bands.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if scenarios is None:
        scenarios = [market_scenario(competitive_intensity=0.1, switching_barrier=0.3),
                     market_scenario(competitive_intensity=0.9)]
    if isinstance(scenarios, MarketScenario):
        scenarios = [scenarios]
    if ax is None:
        _, ax = plt.subplots()
    if zones is not None:
        lo, hi = zones
        ax.axvspan(0.8, lo + 0.5, color="#D55E00", alpha=0.08)
        ax.axvspan(lo + 0.5, hi - 0.5, color="#999999", alpha=0.08)
        ax.axvspan(hi - 0.5, 5.2, color="#009E73", alpha=0.10)
        for x, text in ((0.85, "defection 背离"), (lo + 0.55, "indifference 无所谓"), (hi - 0.45, "affection 喜爱")):
            ax.text(x, 1.01, text, fontsize=8, va="bottom", transform=ax.get_xaxis_transform())
    grid = np.linspace(1, 5, 81)
    for i, sc in enumerate(scenarios):
        p = repurchase_probability(grid, sc.competitive_intensity, sc.switching_barrier, sc.max_repurchase,
                                   sc.min_repurchase)
        label = (labels[i] if labels else
                 f"competition c={sc.competitive_intensity:.2f}, barrier b={sc.switching_barrier:.2f}")
        ax.plot(grid, p, lw=2, label=label)
        pts = repurchase_probability(np.array(LEVELS, float), sc.competitive_intensity,
                                     sc.switching_barrier, sc.max_repurchase, sc.min_repurchase)
        ax.plot(LEVELS, pts, "o", color=ax.lines[-1].get_color())
    if survey is not None:
        ax.errorbar(survey.index, survey["rate"], yerr=[survey["rate"] - survey["lower"],
                    survey["upper"] - survey["rate"]], fmt="s", color="black", capsize=3,
                    label="survey rate (95% CI)")
    for name, est in (estimates or {}).items():
        x = est.index.to_numpy(dtype=float)
        line, = ax.plot(x, est["probability"], lw=1.5, ls="--", label=f"{name} estimate")
        ax.fill_between(x, est["lower"], est["upper"], color=line.get_color(), alpha=0.15)
    ax.set_xlim(0.8, 5.2)
    ax.set_ylim(0, 1.0)
    ax.set_xticks(LEVELS)
    ax.set_xlabel("satisfaction 满意度 (answer 1-5, 5 = completely satisfied)")
    ax.set_ylabel("repurchase probability (share)")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_typology(shares, ax=None, title=None):
    """Bar chart of the Jones–Sasser type shares (:func:`jones_sasser_typology` output)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    s = pd.Series(shares).reindex(list(TYPES))
    colors = ["#009E73", "#E69F00", "#0072B2", "#D55E00"]
    ax.bar(range(len(s)), s.to_numpy(), color=colors)
    ax.set_xticks(range(len(s)))
    ax.set_xticklabels(["loyalist/apostle\n忠诚者/传道者", "mercenary\n唯利是图者", "hostage\n人质",
                        "defector/terrorist\n背叛者/恐怖分子"], fontsize=8)
    for i, val in enumerate(s.to_numpy()):
        ax.text(i, val + 0.01, f"{val:.0%}", ha="center", fontsize=9)
    ax.set_ylim(0, max(0.05, float(np.nanmax(s.to_numpy()))) * 1.2)
    ax.set_ylabel("share of customers")
    if title:
        ax.set_title(title)
    return ax


def plot_retention_lever(scenario: RetentionScenario | None = None, ax=None):
    """Lift in customer value from ``retention_gain`` more retention, against base retention.

    Draws :func:`retention_lift` over base retention rates for the scenario's discount rate
    and marks the scenario's own retention rate; horizontal guides at the quoted 25%,
    35%, 60% and 100%.
    """
    import matplotlib.pyplot as plt

    sc = retention_scenario() if scenario is None else scenario
    if ax is None:
        _, ax = plt.subplots()
    top = min(1 - sc.retention_gain, (1 + sc.discount_rate) / (1 + sc.margin_growth) - sc.retention_gain) - 0.005
    r = np.linspace(0.30, top, 200)
    valid = customer_value(sc.margin, r, sc.discount_rate, sc.margin_growth, sc.acquisition_cost) > 0
    r = r[valid]
    lift = retention_lift(sc.margin, r, sc.discount_rate, sc.margin_growth, sc.acquisition_cost,
                          sc.retention_gain)
    ax.plot(r, 100 * lift, lw=2, label=f"discount rate {sc.discount_rate:.0%}, margin growth {sc.margin_growth:.0%}")
    for q in (25, 35, 60, 100):
        ax.axhline(q, color="grey", lw=0.8, ls="--")
        ax.text(r[0], q + 2, f"{q}%", fontsize=8, color="grey")
    here = retention_lift(sc.margin, sc.retention, sc.discount_rate, sc.margin_growth,
                          sc.acquisition_cost, sc.retention_gain)
    ax.plot([sc.retention], [100 * here], "o", color="black", label=f"r = {sc.retention:.2f}: +{here:.0%}")
    ax.set_xlabel("base retention rate r (share per period)")
    ax.set_ylabel(f"change in customer value from +{sc.retention_gain:.0%} retention (%)")
    ax.set_ylim(0, max(150, 100 * here * 1.1))
    ax.legend(loc="upper left", fontsize=8)
    return ax
