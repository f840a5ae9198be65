"""Chapter 4 - switching cost and substitute value (转移成本与替代价值).

The course's retention model: a customer stays while the value of the current relationship
is at least the *substitute value* SV of the best alternative supplier. The course names six
terms of SV: the quantity Q the customer plans to buy, the expected utility U of the
substitute's product, the substitute's market price P, other expected costs O of choosing it,
the cost M of maintaining the new relationship and the switching cost S of searching and
moving. It lists the terms but gives no algebra; this module reads them as a net benefit over
one planning period,

.. math:: SV = Q\\,(U - P) - O - M - S,

with U and P in money per unit and O, M, S in money per period. ``Q (U - P)`` is the
**consumer surplus** of buying Q units that are each worth U to the buyer at price P
(Marshall's surplus with a flat demand curve up to Q); SV is that surplus net of the
transaction costs of changing supplier. The current relationship is valued on the same
terms without a switching cost: ``CV = Q (U_c - P_c) - O_c - M_c``.

Contents
--------
* records and formulas: :class:`SubstituteOffer`, :class:`CurrentRelationship`,
  :func:`substitute_value`, :func:`current_value`, :func:`decide`,
  :func:`break_even_switching_cost`, :func:`required_price_cut`, :func:`tornado`;
* the course's case "free rides" (Meituan against Didi): :class:`WelcomeOffer`, :class:`Coupon`,
  :data:`MEITUAN_COUPONS`, :data:`MEITUAN_FREE_ORDERS`, :data:`ASSUMED_BASE_FARE` (our assumption),
  :func:`welcome_offer_value`, :func:`break_even_base_fare`;
* a logit choice layer: :func:`switch_probability`, :func:`churn_rate`,
  :func:`expected_churn_rate`, :func:`logsum_surplus`, :class:`ChurnScenario` and
  :func:`churn_outcome` (one evaluation of a scenario for a figure or widget);
* switching-cost types after Burnham, Frels & Mahajan (2003):
  :func:`simulate_switching_cost_survey`, :func:`score_switching_costs`,
  :func:`cronbach_alpha`, :func:`facet_reliability`;
* satisfaction x barriers after Jones, Mothersbaugh & Beatty (2000):
  :func:`simulate_barrier_survey`, :func:`fit_barrier_model`;
* churn on the IBM telco data: :func:`churn_by_contract`, :func:`fit_churn_logit`,
  :func:`churn_risk`, :func:`kaplan_meier`, :func:`retention_curves` (optionally with the
  snapshot's delayed entry), :func:`logrank_test`.

Churn models on any formula and their validation (AUC, gains, calibration, the cost-based
threshold, the value of retention offers) are in :mod:`crmlib.churn`; restricted mean survival
time, the Cox and Weibull models in :mod:`crmlib.stats`.

The generic statistics live in :mod:`crmlib.stats` (statsmodels underneath): Wilson
intervals, Cronbach's alpha, Kaplan-Meier, the log-rank test and the logit fit with its
:class:`~crmlib.stats.LogitResult`. The names this chapter teaches with (``cronbach_alpha``,
``kaplan_meier``, ``logrank_test``, ``KaplanMeierResult``, ``LogrankResult``, ``LogitResult``)
are re-exported here as the *same objects* (aliases). The figures are in
:mod:`crmlib.plotting.switching`, the widgets in :mod:`crmlib.widgets.switching`.

Records (:class:`SubstituteOffer`, :class:`CurrentRelationship`, :class:`ChurnScenario`,
:class:`WelcomeOffer`, :class:`Coupon`) are frozen and validate their fields; change one with
``dataclasses.replace(record, field=value)``, which validates again.

Vectorised formulas accept numbers, arrays or pandas Series: Series are aligned by index (two
Series with different labels are refused) and the result is a Series with the same index.

Money is in yuan (元) in the examples; any currency works if all terms use the same one.
Amounts are refused beyond 1e15 in absolute value (see :mod:`crmlib._validate`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _validate as v
from .churn import snapshot_entry
from .i18n import N_, NP_
from .i18n import gettext as _
from .results import _field_repr, check_level

# Shared statistics (crmlib.stats) re-exported under this chapter's names: the same objects.
from .stats import (
    KaplanMeierResult,
    LogitResult,
    LogrankResult,
    cronbach_alpha,
    fit_logit,
    kaplan_meier,
    logrank_test,
    wilson_interval,
)
from .stats import _binary as _as_bool

__all__ = [
    "SubstituteOffer",
    "CurrentRelationship",
    "SwitchDecision",
    "ChurnScenario",
    "ChurnOutcome",
    "substitute_value",
    "current_value",
    "prefers_switch",
    "decide",
    "break_even_switching_cost",
    "required_price_cut",
    "tornado",
    "Coupon",
    "WelcomeOffer",
    "MEITUAN_COUPONS",
    "MEITUAN_FREE_ORDERS",
    "ASSUMED_BASE_FARE",
    "welcome_offer_value",
    "break_even_base_fare",
    "switch_probability",
    "churn_rate",
    "expected_churn_rate",
    "simulate_value_gaps",
    "logsum_surplus",
    "churn_outcome",
    "SWITCHING_COST_FACETS",
    "SWITCHING_COST_TYPES",
    "simulate_switching_cost_survey",
    "score_switching_costs",
    "cronbach_alpha",
    "facet_reliability",
    "simulate_barrier_survey",
    "fit_barrier_model",
    "barrier_slope",
    "LogitResult",
    "churn_by_contract",
    "churn_design_matrix",
    "fit_churn_logit",
    "churn_risk",
    "KaplanMeierResult",
    "kaplan_meier",
    "retention_curves",
    "retention_table",
    "LogrankResult",
    "logrank_test",
]

#: Largest count of simulated customers or respondents (a larger draw takes minutes and gigabytes).
MAX_SIMULATED = 10_000_000


def _out(x):
    """Return a 0-d array as a Python float, otherwise the array."""
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def _align(**named):
    """Inputs of a vectorised formula: Series aligned by index, ``(index, values)``.

    Without a Series the inputs pass through unchanged (numbers and arrays broadcast with numpy's
    rules) and the index is ``None``; with Series they must share their labels (see
    :func:`crmlib._validate.aligned`) and the result gets the first Series' index back.
    """
    if any(isinstance(x, pd.Series) for x in named.values()):
        return v.aligned(**named)
    return None, named


def _labelled(index, value, name: str):
    """``value`` as a float (0-d), an array, or a Series on ``index`` when the inputs were Series."""
    if index is None:
        return _out(value)
    return pd.Series(np.broadcast_to(np.asarray(value, dtype=float), (len(index),)), index=index, name=name)


def _money(name, value, *, unit="yuan", minimum=None):
    """An amount of money (|value| <= 1e15; >= ``minimum`` when given)."""
    return v.money(name, value, minimum=minimum, unit=unit)


def _scalar(name, value):
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number; got {value!r}")
    return value


# ---------------------------------------------------------------------------------------------
# 1  The substitute-value model
# ---------------------------------------------------------------------------------------------
def substitute_value(quantity, utility, price, other_costs, maintenance_cost, switching_cost, *, promotion=0.0):
    """Substitute value SV = Q (U - P) - O - M - S (+ B) of the best alternative supplier.

    Vectorised: every argument may be a number, an array (arrays broadcast with numpy's rules)
    or a pandas Series (Series are aligned by index; the result is a Series on that index).

    Parameters
    ----------
    quantity : float or array_like
        Q, units the customer plans to buy in the planning period (e.g. rides per year), >= 0.
    utility : float or array_like
        U, *expected* utility of one unit of the substitute, in money per unit (what the unit
        is worth to the customer, judged before trying it), >= 0.
    price : float or array_like
        P, the substitute's market price, money per unit, >= 0.
    other_costs : float or array_like
        O, other expected costs of choosing the substitute (risk, learning, travel), money
        per period, >= 0.
    maintenance_cost : float or array_like
        M, cost of maintaining the new relationship (membership, account upkeep), money per
        period, >= 0.
    switching_cost : float or array_like
        S, cost of searching for and moving to the substitute, money, >= 0.
    promotion : float or array_like, default 0
        B, the benefit (利益) of a rival's welcome offer (free base fares, coupons; see
        :class:`WelcomeOffer`), money, >= 0. It offsets the switching cost: when the two
        suppliers are otherwise alike, SV - CV reduces to B - S, the course's "benefit -
        switching cost = the feeling of a bargain" (赚到的感觉).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        SV in money per period (a float when all inputs are scalars).

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If an argument is negative, not finite, beyond 1e15, the arrays cannot be broadcast or
        two Series have different indexes.

    Notes
    -----
    ``Q (U - P)`` is the consumer surplus of Q units each valued at U and bought at P;
    O, M and S are the transaction costs of the move. The course lists the six terms without
    giving the algebra; the additive reading here is ours.

    References
    ----------
    Klemperer, P. (1995). Competition when consumers have switching costs. *Review of
    Economic Studies* 62(4), 515-539. Farrell, J. & Klemperer, P. (2007). Coordination and
    lock-in: competition with switching costs and network effects. In *Handbook of
    Industrial Organization* 3, 1967-2072.

    Examples
    --------
    >>> substitute_value(100, 31, 26, 30, 40, 120)
    310.0
    >>> substitute_value(100, 31, 26, 30, 40, [0, 70, 120]).tolist()
    [430.0, 360.0, 310.0]
    >>> substitute_value(pd.Series([100, 50], index=["ann", "bo"]), 31, 26, 30, 40, 120).to_dict()
    {'ann': 310.0, 'bo': 60.0}
    """
    index, a = _align(
        quantity=quantity,
        utility=utility,
        price=price,
        other_costs=other_costs,
        maintenance_cost=maintenance_cost,
        switching_cost=switching_cost,
        promotion=promotion,
    )
    q = _money("quantity", a["quantity"], minimum=0, unit="units per period")
    u = _money("utility", a["utility"], minimum=0, unit="money per unit")
    p = _money("price", a["price"], minimum=0, unit="money per unit")
    o = _money("other_costs", a["other_costs"], minimum=0, unit="money")
    m = _money("maintenance_cost", a["maintenance_cost"], minimum=0, unit="money")
    s = _money("switching_cost", a["switching_cost"], minimum=0, unit="money")
    b = _money("promotion", a["promotion"], minimum=0, unit="money")
    _broadcast(quantity=q, utility=u, price=p, other_costs=o, maintenance_cost=m, switching_cost=s, promotion=b)
    return _labelled(index, np.multiply(q, np.subtract(u, p)) - o - m - s + b, "substitute_value")


def current_value(quantity, utility, price, other_costs=0.0, maintenance_cost=0.0):
    """Value CV = Q (U - P) - O - M of the current relationship, on the same terms as SV.

    There is no switching cost: the customer is already there. Vectorised like
    :func:`substitute_value`.

    Parameters
    ----------
    quantity : float or array_like
        Q, units per period, >= 0.
    utility : float or array_like
        U, experienced utility of one unit from the current supplier, money per unit, >= 0.
    price : float or array_like
        P, the current price, money per unit, >= 0.
    other_costs, maintenance_cost : float or array_like, default 0
        O and M of the current relationship, money per period, >= 0.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        CV in money per period.

    Raises
    ------
    TypeError, ValueError
        As :func:`substitute_value`.

    Examples
    --------
    >>> current_value(100, 30, 26, 0, 40)
    360.0
    """
    out = substitute_value(quantity, utility, price, other_costs, maintenance_cost, 0.0)
    return out.rename("current_value") if isinstance(out, pd.Series) else out


def _broadcast(**arrays):
    try:
        np.broadcast(*[np.asarray(a) for a in arrays.values()])
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(a)}" for k, a in arrays.items() if np.ndim(a))
        raise ValueError(f"the array arguments must broadcast to one shape; got {shapes}") from None


#: Words shown after each field of the offers' and scenarios' reprs in the Chinese edition.
_OFFER_LABELS = {
    "quantity": NP_("switching", "quantity"),
    "utility": N_("utility"),
    "price": NP_("switching", "price"),
    "other_costs": N_("other_costs"),
    "maintenance_cost": N_("maintenance_cost"),
    "switching_cost": N_("switching_cost"),
    "promotion": N_("promotion"),
}
_SCENARIO_LABELS = {
    "value_gap": N_("value_gap"),
    "gap_sd": N_("gap_sd"),
    "scale": NP_("churn scenario", "scale"),
    "barrier": N_("barrier"),
}


@dataclass(frozen=True)
class SubstituteOffer:
    """The best alternative supplier's offer, as the customer sees it over one period.

    Defaults: a ride-hailing customer who plans 100 rides a year; the rival app is
    expected to be a little better (31 yuan of value per ride against 30 for the current
    app) at the same price of 26 yuan per ride.

    Attributes
    ----------
    quantity : float
        Q, units the customer plans to buy in the period (rides per year).
    utility : float
        U, expected utility per unit (yuan per ride).
    price : float
        P, the substitute's price (yuan per ride).
    other_costs : float
        O, other expected costs of choosing it (yuan per year).
    maintenance_cost : float
        M, cost of keeping up the new relationship (yuan per year).
    switching_cost : float
        S, cost of searching and moving (yuan).
    promotion : float
        B, benefit of the rival's welcome offer (yuan), default 0.

    Change a field with :func:`dataclasses.replace` (the new record is validated again).

    Examples
    --------
    >>> from dataclasses import replace
    >>> offer = SubstituteOffer()
    >>> offer.value
    310.0
    >>> replace(offer, switching_cost=0).value
    430.0

    With the Meituan welcome offer to an express rider (47 yuan at our assumed 10-yuan base fare):

    >>> replace(offer, promotion=WelcomeOffer().value("express")).value
    357.0
    """

    quantity: float = 100.0
    utility: float = 31.0
    price: float = 26.0
    other_costs: float = 30.0
    maintenance_cost: float = 40.0
    switching_cost: float = 120.0
    promotion: float = 0.0

    def __post_init__(self):
        _check_terms(self)

    def __repr__(self) -> str:
        return _field_repr(self, _OFFER_LABELS, context="switching")

    @property
    def value(self) -> float:
        """SV in yuan per period (see :func:`substitute_value`)."""
        return substitute_value(
            self.quantity,
            self.utility,
            self.price,
            self.other_costs,
            self.maintenance_cost,
            self.switching_cost,
            promotion=self.promotion,
        )


def _check_terms(record) -> None:
    """Validate every field of a value record: a single number, >= 0, at most 1e15."""
    for f in dataclasses.fields(record):
        val = _scalar(f.name, getattr(record, f.name))
        unit = "units per period" if f.name == "quantity" else "yuan"
        object.__setattr__(record, f.name, _money(f.name, val, minimum=0, unit=unit))


@dataclass(frozen=True)
class CurrentRelationship:
    """The current supplier's relationship, valued on the same terms as the substitute.

    Attributes
    ----------
    quantity : float
        Q, units per period (rides per year).
    utility : float
        U, experienced utility per unit (yuan per ride).
    price : float
        P, current price (yuan per ride).
    other_costs : float
        O, other costs of staying (yuan per year), default 0.
    maintenance_cost : float
        M, cost of keeping the relationship up (yuan per year).

    Examples
    --------
    >>> CurrentRelationship().value
    360.0
    """

    quantity: float = 100.0
    utility: float = 30.0
    price: float = 26.0
    other_costs: float = 0.0
    maintenance_cost: float = 40.0

    def __post_init__(self):
        _check_terms(self)

    def __repr__(self) -> str:
        return _field_repr(self, _OFFER_LABELS, context="switching")

    @property
    def value(self) -> float:
        """CV in yuan per period (see :func:`current_value`)."""
        return current_value(self.quantity, self.utility, self.price, self.other_costs, self.maintenance_cost)


def prefers_switch(current_value, substitute_value):
    """True where SV > CV (the customer switches); ties keep the customer (inertia).

    Vectorised; Series are aligned by index and give a Series of booleans.

    Examples
    --------
    >>> prefers_switch(360, [310, 360, 388]).tolist()
    [False, False, True]
    """
    index, a = _align(current_value=current_value, substitute_value=substitute_value)
    cv = _money("current_value", a["current_value"])
    sv = _money("substitute_value", a["substitute_value"])
    _broadcast(current_value=cv, substitute_value=sv)
    out = np.greater(sv, cv)
    if index is not None:
        return pd.Series(np.broadcast_to(out, (len(index),)), index=index, name="switches")
    return bool(out) if np.ndim(out) == 0 else out


def break_even_switching_cost(current_value, quantity, utility, price, other_costs, maintenance_cost, *, promotion=0.0):
    """Switching cost S* at which SV = CV: with S > S* the customer stays, with S < S* leaves.

    S* = Q (U - P) - O - M + B - CV. A negative S* means the customer stays even when
    switching is free. Vectorised.

    Parameters
    ----------
    current_value : float or array_like
        CV, money per period (finite; may be negative).
    quantity, utility, price, other_costs, maintenance_cost, promotion
        The substitute's terms, as in :func:`substitute_value`.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        S* in money.

    Examples
    --------
    >>> break_even_switching_cost(360, 100, 31, 26, 30, 40)
    70.0
    """
    index, a = _align(
        current_value=current_value,
        quantity=quantity,
        utility=utility,
        price=price,
        other_costs=other_costs,
        maintenance_cost=maintenance_cost,
        promotion=promotion,
    )
    cv = _money("current_value", a["current_value"])
    free = substitute_value(
        a["quantity"], a["utility"], a["price"], a["other_costs"], a["maintenance_cost"], 0.0, promotion=a["promotion"]
    )
    _broadcast(current_value=cv, substitute_value=free)
    return _labelled(index, np.subtract(free, cv), "break_even_switching_cost")


def required_price_cut(current_value, substitute_value, quantity):
    """Price cut per unit the rival needs so that SV reaches CV: max(0, (CV - SV) / Q).

    Any cut larger than this wins the customer (ties stay). Zero when the rival already
    wins. Vectorised.

    Parameters
    ----------
    current_value, substitute_value : float or array_like
        CV and SV, money per period.
    quantity : float or array_like
        Q, units per period, > 0.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Money per unit.

    Examples
    --------
    >>> required_price_cut(360, 310, 100)
    0.5
    """
    index, a = _align(current_value=current_value, substitute_value=substitute_value, quantity=quantity)
    cv = _money("current_value", a["current_value"])
    sv = _money("substitute_value", a["substitute_value"])
    q = v.positive("quantity", _money("quantity", a["quantity"], unit="units per period"), unit="units per period")
    _broadcast(current_value=cv, substitute_value=sv, quantity=q)
    return _labelled(index, np.maximum(0.0, (np.subtract(cv, sv)) / q), "price_cut")


@dataclass(frozen=True)
class SwitchDecision:
    """What the customer does and what would change it (all money per period).

    Returned by :func:`decide`, which also keeps the two records it compared (``current``,
    ``substitute``), so a figure or a widget can show this one evaluation without redoing it.
    """

    current_value: float
    substitute_value: float
    decision: str
    break_even_switching_cost: float
    price_cut_needed: float
    winning_price: float
    """Rival wins at any price below this (money per unit): P - (CV - SV) / Q."""
    current: CurrentRelationship | None = None
    substitute: SubstituteOffer | None = None

    @property
    def value_gap(self) -> float:
        """SV - CV; positive means the customer switches."""
        return self.substitute_value - self.current_value

    def __repr__(self) -> str:
        text = _(
            "CV={current_value:.2f}, SV={substitute_value:.2f}, decision={decision}, break-even S={break_even:.2f}, "
            "price cut needed={price_cut:.2f}/unit, rival must charge below {winning_price:.2f}/unit"
        ).format(
            current_value=self.current_value,
            substitute_value=self.substitute_value,
            decision=repr(self.decision)
            if _(self.decision) == self.decision
            else f"{self.decision!r}（{_(self.decision)}）",
            break_even=self.break_even_switching_cost,
            price_cut=self.price_cut_needed,
            winning_price=self.winning_price,
        )
        return f"SwitchDecision({text})"


def decide(current: CurrentRelationship | None = None, substitute: SubstituteOffer | None = None) -> SwitchDecision:
    """Stay or switch, the break-even switching cost and the price cut a rival needs.

    Parameters
    ----------
    current : CurrentRelationship, optional
        Defaults to ``CurrentRelationship()``.
    substitute : SubstituteOffer, optional
        Defaults to ``SubstituteOffer()``.

    Returns
    -------
    SwitchDecision

    Raises
    ------
    TypeError
        If the arguments are not the records named above.
    ValueError
        If the substitute's quantity is 0 (no price cut can then help).

    Examples
    --------
    >>> decide()
    SwitchDecision(CV=360.00, SV=310.00, decision='stay', break-even S=70.00, price cut needed=0.50/unit, rival must charge below 25.50/unit)
    """
    current = CurrentRelationship() if current is None else current
    substitute = SubstituteOffer() if substitute is None else substitute
    if not isinstance(current, CurrentRelationship):
        raise TypeError(f"current must be a CurrentRelationship; got {type(current).__name__}")
    if not isinstance(substitute, SubstituteOffer):
        raise TypeError(f"substitute must be a SubstituteOffer; got {type(substitute).__name__}")
    cv, sv = current.value, substitute.value
    s = substitute
    cut = required_price_cut(cv, sv, s.quantity)
    s_star = break_even_switching_cost(
        cv, s.quantity, s.utility, s.price, s.other_costs, s.maintenance_cost, promotion=s.promotion
    )
    # highest price (exclusive) at which the rival still wins: P - (CV - SV) / Q, not clipped
    return SwitchDecision(
        cv,
        sv,
        N_("switch") if prefers_switch(cv, sv) else N_("stay"),
        s_star,
        cut,
        s.price - (cv - sv) / s.quantity,
        current=current,
        substitute=substitute,
    )


def tornado(
    current: CurrentRelationship | None = None, substitute: SubstituteOffer | None = None, swing: float = 0.2
) -> pd.DataFrame:
    """One-at-a-time sensitivity of the value gap SV - CV to each term of SV (tornado table).

    Each of Q, U, P, O, M, S is moved to (1 - swing) and (1 + swing) times its base value,
    the others held at base.

    Parameters
    ----------
    current, substitute : records, optional
        Defaults as in :func:`decide`.
    swing : float, default 0.2
        Relative change, in (0, 1].

    Returns
    -------
    pandas.DataFrame
        Index: term; columns ``low_input``, ``high_input``, ``gap_at_low``, ``gap_at_high``,
        ``range`` (|difference|, money) and ``base_gap`` (SV - CV at the base values),
        sorted by ``range``, largest first.

    Examples
    --------
    >>> t = tornado()
    >>> t.index[0], round(float(t["range"].iloc[0]), 1)
    ('utility', 1240.0)
    """
    current = CurrentRelationship() if current is None else current
    substitute = SubstituteOffer() if substitute is None else substitute
    decide(current, substitute)  # type checks
    swing = v.in_range("swing", _scalar("swing", swing), 0, 1, low_open=True)
    cv = current.value
    base_gap = substitute.value - cv
    rows = {}
    for term in (
        NP_("switching", "quantity"),
        N_("utility"),
        NP_("switching", "price"),
        N_("other_costs"),
        N_("maintenance_cost"),
        N_("switching_cost"),
    ):
        base = getattr(substitute, term)
        lo, hi = base * (1 - swing), base * (1 + swing)
        g_lo = dataclasses.replace(substitute, **{term: lo}).value - cv
        g_hi = dataclasses.replace(substitute, **{term: hi}).value - cv
        rows[term] = (lo, hi, g_lo, g_hi, abs(g_hi - g_lo), base_gap)
    table = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=[N_("low_input"), N_("high_input"), N_("gap_at_low"), N_("gap_at_high"), N_("range"), N_("base_gap")],
    )
    table.index.name = N_("term")
    table.attrs["i18n_context"] = "switching"  # Q and P of the value equation (数量 Q, 价格 P)
    return table.sort_values("range", ascending=False, kind="stable")


# ---------------------------------------------------------------------------------------------
# 1b  The course's case "free rides": Meituan's welcome offer against Didi
# ---------------------------------------------------------------------------------------------
_SERVICES_NOTE = "e.g. 'express' (快车) or 'premium' (优享)"


def _services(name, services) -> tuple[str, ...]:
    if isinstance(services, str):
        services = (services,)
    try:
        out = tuple(services)
    except TypeError:
        raise TypeError(
            f"{name} must be a service name or a list of them ({_SERVICES_NOTE}); got {services!r}"
        ) from None
    if not out or not all(isinstance(s, str) and s for s in out):
        raise ValueError(f"{name} must be one or more service names ({_SERVICES_NOTE}); got {services!r}")
    return out


@dataclass(frozen=True)
class Coupon:
    """One coupon of a welcome offer: its name, its amount in yuan and the services it is valid on.

    Examples
    --------
    >>> Coupon("快车券", 8, "express")
    Coupon(name='快车券', amount=8.0, services=('express',))
    """

    name: str
    amount: float
    services: tuple[str, ...]

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty string; got {self.name!r}")
        object.__setattr__(self, "amount", _money("amount", _scalar("amount", self.amount), minimum=0))
        object.__setattr__(self, "services", _services("services", self.services))

    @property
    def label(self) -> str:
        """Name, amount and services, e.g. ``快车券 8 yuan (express)`` (in the current language)."""
        return _("{name} {amount:g} yuan ({services})").format(
            name=self.name, amount=self.amount, services=_(", ").join(_(s) for s in self.services)
        )


#: The services of the ride-hailing case, marked for the Chinese edition (快车, 优享).
_SERVICE_LABELS = (N_("express"), N_("premium"))


#: From the slides (seed 003, Meituan's ride-hailing launch against Didi): the coupons a new user
#: got besides the free base fares -- 9 yuan valid on express or premium rides (快车优享通用券),
#: 8 yuan on express (快车券) and 10 yuan on premium (优享券).
MEITUAN_COUPONS = (
    Coupon("快车优享通用券", 9.0, ("express", "premium")),
    Coupon("快车券", 8.0, ("express",)),
    Coupon("优享券", 10.0, ("premium",)),
)
#: From the slides: the base fare (起步价) of a new user's first three orders is free.
MEITUAN_FREE_ORDERS = 3
#: OUR ASSUMPTION, not in the slides (they give no amount): the base fare of one ride, in yuan.
#: A plausible figure for an express ride in a Chinese city; results that depend on it should be
#: shown for a range of fares (see :func:`welcome_offer_value`, :func:`break_even_base_fare`).
ASSUMED_BASE_FARE = 10.0


def welcome_offer_value(base_fare, coupons=(), *, free_orders=MEITUAN_FREE_ORDERS):
    """Benefit B of a welcome offer: the base fare of the first orders free plus coupons.

    B = n F + sum(c), with n free orders, base fare F and the amounts c of the coupons the
    customer can use. Vectorised over ``base_fare``.

    Parameters
    ----------
    base_fare : float or array_like
        F, base fare (起步价) of one order, yuan, >= 0.
    coupons : sequence of float, default ()
        Amounts (yuan, >= 0) of the coupons the customer can use, each once.
    free_orders : int, default 3
        n, number of orders whose base fare is free (3 in the Meituan case), >= 0.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        B in yuan (a Series with the index of a Series ``base_fare``).

    Raises
    ------
    TypeError, ValueError
        If an argument is not numeric, negative, not finite or beyond 1e15, or ``free_orders``
        is not whole.

    Notes
    -----
    Two assumptions of ours: each free order is at least as long as the distance the base fare
    covers (so the whole base fare is saved), and each coupon is used on a ride that costs more
    than its amount.

    Examples
    --------
    Three free base fares of 10 yuan (our assumption) and the 9- and 8-yuan coupons an express
    rider can use:

    >>> welcome_offer_value(10, [9, 8])
    47.0
    >>> welcome_offer_value([8, 10, 12], [9, 8]).tolist()
    [41.0, 47.0, 53.0]
    """
    index, a = _align(base_fare=base_fare)
    f = _money("base_fare", a["base_fare"], minimum=0, unit="yuan per order")
    n = _free_orders(free_orders, minimum=0)
    c = _coupon_total(coupons)
    return _labelled(index, np.multiply(n, f) + c, "benefit")


def _free_orders(value, *, minimum):
    if np.ndim(value):
        raise TypeError(f"free_orders must be a single whole number; got {value!r}")
    return v.integer("free_orders", value, minimum=minimum, maximum=1_000_000)


def _coupon_total(coupons) -> float:
    if coupons is None or isinstance(coupons, (str, bytes)):
        raise TypeError(f"coupons must be a list of amounts (yuan); got {coupons!r}")
    if np.size(coupons) == 0:
        return 0.0
    c = np.atleast_1d(_money("coupons", coupons, minimum=0))
    if c.ndim != 1:
        raise ValueError(f"coupons must be a flat list of amounts (yuan); got shape {c.shape}")
    return float(c.sum())


def break_even_base_fare(value_gap, coupons=(), *, free_orders=MEITUAN_FREE_ORDERS):
    """Base fare F* at which a welcome offer just closes the value gap: n F* + sum(c) = CV - SV.

    ``value_gap`` is SV - CV *before* the offer. With a base fare above F* the offer tips the
    customer into switching; at F* the values tie and the customer stays. A negative F* means
    the coupons alone are enough. Vectorised over ``value_gap``.

    Parameters
    ----------
    value_gap : float or array_like
        SV - CV without the offer, yuan per period (finite).
    coupons, free_orders
        As in :func:`welcome_offer_value`; ``free_orders`` must be >= 1.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        F* in yuan per order.

    Examples
    --------
    The chapter's running customer (SV - CV = -50 yuan) and an express rider's coupons:

    >>> break_even_base_fare(-50, [9, 8])
    11.0
    """
    index, a = _align(value_gap=value_gap)
    gap = _money("value_gap", a["value_gap"])
    n = _free_orders(free_orders, minimum=1)
    return _labelled(index, (np.negative(gap) - _coupon_total(coupons)) / n, "break_even_base_fare")


@dataclass(frozen=True)
class WelcomeOffer:
    """A rival's welcome offer: the base fare of the first orders free, plus coupons.

    The defaults are the course's case "free rides" (Meituan against Didi): from the slides,
    the base fare (起步价) of the first three orders is free and there are coupons of 9 yuan
    (express or premium), 8 yuan (express) and 10 yuan (premium). The base fare itself is
    **our assumption** (``ASSUMED_BASE_FARE`` = 10 yuan); the slides give no amount.

    Attributes
    ----------
    base_fare : float
        F, base fare of one order, yuan (assumed).
    free_orders : int
        n, orders whose base fare is free.
    coupons : tuple of Coupon

    Examples
    --------
    >>> from dataclasses import replace
    >>> meituan = WelcomeOffer()
    >>> meituan.value("express"), meituan.value("premium"), meituan.value(["express", "premium"])
    (47.0, 49.0, 57.0)
    >>> replace(meituan, base_fare=12).value("express")
    53.0
    >>> meituan.break_even_base_fare(-50, "express")
    11.0
    """

    base_fare: float = ASSUMED_BASE_FARE
    free_orders: int = MEITUAN_FREE_ORDERS
    coupons: tuple = MEITUAN_COUPONS

    def __post_init__(self):
        base_fare = _money("base_fare", _scalar("base_fare", self.base_fare), minimum=0, unit="yuan")
        object.__setattr__(self, "base_fare", base_fare)
        object.__setattr__(self, "free_orders", _free_orders(self.free_orders, minimum=0))
        if isinstance(self.coupons, (str, bytes, Coupon)) or not hasattr(self.coupons, "__iter__"):
            raise TypeError(f"coupons must be Coupon records; got {self.coupons!r}")
        coupons = tuple(self.coupons)
        if not all(isinstance(c, Coupon) for c in coupons):
            raise TypeError(f"coupons must be Coupon records; got {self.coupons!r}")
        object.__setattr__(self, "coupons", coupons)

    @property
    def services(self) -> tuple[str, ...]:
        """The services the coupons are valid on, in order of first mention."""
        return tuple(dict.fromkeys(s for c in self.coupons for s in c.services))

    def usable_coupons(self, services="express") -> tuple[Coupon, ...]:
        """The coupons valid on at least one of the customer's ``services``."""
        wanted = _services("services", services)
        if self.coupons:
            for s in wanted:
                v.one_of("services", s, self.services)
        return tuple(c for c in self.coupons if set(c.services) & set(wanted))

    def value(self, services="express") -> float:
        """Benefit B (yuan) to a customer who rides ``services`` (see :func:`welcome_offer_value`)."""
        usable = [c.amount for c in self.usable_coupons(services)]
        return welcome_offer_value(self.base_fare, usable, free_orders=self.free_orders)

    def break_even_base_fare(self, value_gap, services="express"):
        """F* for a customer who rides ``services`` (see :func:`break_even_base_fare`)."""
        usable = [c.amount for c in self.usable_coupons(services)]
        return break_even_base_fare(value_gap, usable, free_orders=self.free_orders)

    def breakdown(self, services="express") -> pd.DataFrame:
        """Where B comes from: the free base fares, each coupon (0 when not valid), the total (yuan)."""
        usable = self.usable_coupons(services)
        free = _("{orders} free base fares (起步价) x {fare:g} yuan").format(
            orders=self.free_orders, fare=self.base_fare
        )
        rows = {free: self.free_orders * self.base_fare}
        rows.update({c.label: c.amount if c in usable else 0.0 for c in self.coupons})
        rows[N_("benefit B (利益)")] = self.value(services)
        return pd.Series(rows, name=N_("yuan")).rename_axis(N_("item")).to_frame()

    def __repr__(self) -> str:
        coupons = _(", ").join(c.label for c in self.coupons)
        text = _("base_fare={fare:g} yuan, free_orders={orders}, coupons=[{coupons}]").format(
            fare=self.base_fare, orders=self.free_orders, coupons=coupons
        )
        return f"WelcomeOffer({text})"


# ---------------------------------------------------------------------------------------------
# 2  Logit choice layer
# ---------------------------------------------------------------------------------------------
def switch_probability(value_gap, scale, barrier=0.0):
    """Binary-logit probability of switching: 1 / (1 + exp(-(gap - barrier) / scale)).

    With independent Gumbel (extreme value type I) taste shocks of scale ``scale`` on the
    value of staying and of switching, the customer switches with this probability.

    Parameters
    ----------
    value_gap : float or array_like
        SV - CV, money per period (finite).
    scale : float or array_like
        Logit scale (money), > 0: how much unobserved taste varies; small = deterministic.
    barrier : float or array_like, default 0
        Extra switching barrier not already in SV (e.g. a contract's early-exit fee), money.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Probability in [0, 1] (a Series on the index of Series inputs).

    References
    ----------
    McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
    P. Zarembka (ed.), *Frontiers in Econometrics*, 105-142. Train, K. (2009). *Discrete
    Choice Methods with Simulation*, 2nd ed., Cambridge University Press, ch. 3.

    Examples
    --------
    >>> round(switch_probability(0, 40), 3)
    0.5
    >>> [round(float(p), 3) for p in switch_probability([-50, 50], 40)]
    [0.223, 0.777]
    """
    from scipy.special import expit

    index, a = _align(value_gap=value_gap, scale=scale, barrier=barrier)
    gap = _money("value_gap", a["value_gap"])
    sc = v.positive("scale", _money("scale", a["scale"]), unit="money")
    b = _money("barrier", a["barrier"])
    _broadcast(value_gap=gap, scale=sc, barrier=b)
    return _labelled(index, expit((np.subtract(gap, b)) / sc), "switch_probability")


def churn_rate(value_gaps, scale, barrier=0.0):
    """Churn rate of a population: the mean switch probability over customers' value gaps.

    Parameters
    ----------
    value_gaps : array_like or pandas.Series
        One SV - CV per customer (money).
    scale, barrier
        As in :func:`switch_probability` (a Series ``barrier`` is aligned with a Series
        ``value_gaps`` by index).

    Returns
    -------
    float
        Fraction of customers expected to switch.

    Examples
    --------
    >>> round(churn_rate([-50, 50], 40), 3)
    0.5
    """
    if isinstance(value_gaps, pd.Series):
        _money("value_gaps", value_gaps.to_numpy())
        gaps = value_gaps
    else:
        gaps = np.atleast_1d(_money("value_gaps", value_gaps))
    return float(np.mean(switch_probability(gaps, scale, barrier)))


def simulate_value_gaps(n_customers, mean_gap, gap_sd, *, rng):
    """Draw ``n_customers`` customers' value gaps SV - CV from a normal distribution (money).

    Parameters
    ----------
    n_customers : int
        Customers to draw, 1 ... 10,000,000.
    mean_gap : float
        Mean of SV - CV (money), |mean_gap| <= 1e15.
    gap_sd : float
        Standard deviation of the gaps (money), >= 0.
    rng : numpy.random.Generator
        The only source of randomness (keyword-only, required).

    Returns
    -------
    numpy.ndarray
        ``n_customers`` gaps.

    Examples
    --------
    >>> gaps = simulate_value_gaps(3, -50, 60, rng=np.random.default_rng(1))
    >>> gaps.shape
    (3,)
    """
    n = v.integer("n_customers", _scalar("n_customers", n_customers), minimum=1, maximum=MAX_SIMULATED)
    mean_gap = _money("mean_gap", _scalar("mean_gap", mean_gap))
    gap_sd = _money("gap_sd", _scalar("gap_sd", gap_sd), minimum=0)
    rng = v.rng("rng", rng)
    return rng.normal(mean_gap, gap_sd, size=n)


def expected_churn_rate(mean_gap, gap_sd, scale, barrier=0.0, *, nodes=1201):
    """Churn rate when value gaps are Normal(mean_gap, gap_sd): E[switch_probability(gap)].

    The logistic-normal integral has no closed form; it is computed by the trapezoidal
    rule on ``nodes`` equally spaced points over +-10 standard deviations (deterministic and
    fast enough for a slider; the rule converges geometrically for this smooth integrand).
    Vectorised over ``mean_gap``.

    Parameters
    ----------
    mean_gap : float, array_like or pandas.Series
        Mean of SV - CV over customers (money).
    gap_sd : float
        Standard deviation of the gaps (money), >= 0 (0 = identical customers).
    scale, barrier : float
        As in :func:`switch_probability` (single numbers here).
    nodes : int, default 1201
        Quadrature points, 3 ... 1,000,001.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Population churn rate (fraction) per mean gap.

    References
    ----------
    Train (2009), sections 6.1-6.2 (mixed logit as an integral of logit probabilities).
    Trefethen, L. N. & Weideman, J. A. C. (2014). The exponentially convergent trapezoidal
    rule. *SIAM Review* 56(3), 385-458.

    Examples
    --------
    >>> round(expected_churn_rate(-50, 60, 40), 4)
    0.2906
    """
    index, a = _align(mean_gap=mean_gap)
    mean_gap = _money("mean_gap", a["mean_gap"])
    gap_sd = _money("gap_sd", _scalar("gap_sd", gap_sd), minimum=0)
    scale = v.positive("scale", _money("scale", _scalar("scale", scale)))
    barrier = _money("barrier", _scalar("barrier", barrier))
    nodes = v.integer("nodes", _scalar("nodes", nodes), minimum=3, maximum=1_000_001)
    x = np.linspace(-10.0, 10.0, nodes)
    w = np.exp(-0.5 * x * x)
    w[[0, -1]] *= 0.5
    w = w / w.sum()
    gaps = np.add.outer(np.atleast_1d(mean_gap), gap_sd * x)
    out = switch_probability(gaps, scale, barrier) @ w
    if index is not None:
        return pd.Series(out, index=index, name="churn_rate")
    return float(out[0]) if np.ndim(mean_gap) == 0 else out


def logsum_surplus(current_value, substitute_value, scale):
    """Expected value of the better option under logit: scale * ln(e^{CV/scale} + e^{SV/scale}).

    This is the log-sum (inclusive value) measure of consumer surplus, up to an additive
    constant that cancels in differences; it is at least max(CV, SV) and tends to it as
    ``scale`` -> 0. Its derivative with respect to SV is the switch probability.

    Parameters
    ----------
    current_value, substitute_value : float or array_like
        CV and SV, money per period.
    scale : float or array_like
        Logit scale (money), > 0.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        Money per period.

    References
    ----------
    Small, K. A. & Rosen, H. S. (1981). Applied welfare economics with discrete choice
    models. *Econometrica* 49(1), 105-130. Train (2009), section 3.5, eq. (3.10).

    Examples
    --------
    >>> round(logsum_surplus(100, 100, 10) - 100, 4)    # = 10 ln 2
    6.9315
    """
    index, a = _align(current_value=current_value, substitute_value=substitute_value, scale=scale)
    cv = _money("current_value", a["current_value"])
    sv = _money("substitute_value", a["substitute_value"])
    sc = v.positive("scale", _money("scale", a["scale"]), unit="money")
    _broadcast(current_value=cv, substitute_value=sv, scale=sc)
    return _labelled(index, sc * np.logaddexp(np.divide(cv, sc), np.divide(sv, sc)), "logsum_surplus")


@dataclass(frozen=True)
class ChurnScenario:
    """A population's value gap, taste scale and barrier (all money per period).

    Defaults: the rival is on average 50 yuan a year worse (gap -50), customers differ with
    standard deviation 60, the logit scale is 40 and there is no extra barrier. Change a field
    with :func:`dataclasses.replace`.

    Examples
    --------
    >>> from dataclasses import replace
    >>> round(ChurnScenario().churn_rate, 4)
    0.2906
    >>> round(replace(ChurnScenario(), barrier=100).churn_rate, 4)
    0.054
    """

    value_gap: float = -50.0
    gap_sd: float = 60.0
    scale: float = 40.0
    barrier: float = 0.0

    def __post_init__(self):
        for name in ("value_gap", "gap_sd", "scale", "barrier"):
            _scalar(name, getattr(self, name))
        object.__setattr__(self, "value_gap", _money("value_gap", self.value_gap))
        object.__setattr__(self, "gap_sd", _money("gap_sd", self.gap_sd, minimum=0))
        object.__setattr__(self, "scale", v.positive("scale", _money("scale", self.scale)))
        object.__setattr__(self, "barrier", _money("barrier", self.barrier))

    def __repr__(self) -> str:
        return _field_repr(self, _SCENARIO_LABELS, context="churn scenario")

    @property
    def switch_probability(self) -> float:
        """Switch probability of the average customer (gap = value_gap)."""
        return switch_probability(self.value_gap, self.scale, self.barrier)

    @property
    def churn_rate(self) -> float:
        """Population churn rate (see :func:`expected_churn_rate`)."""
        return expected_churn_rate(self.value_gap, self.gap_sd, self.scale, self.barrier)


@dataclass(frozen=True, eq=False)
class ChurnOutcome:
    """One evaluation of a :class:`ChurnScenario`: its two rates and the churn curves over a gap grid.

    Attributes
    ----------
    scenario : ChurnScenario
    switch_probability : float
        Of the average customer (gap = ``scenario.value_gap``).
    churn_rate : float
        Of the population (gaps Normal(value_gap, gap_sd)).
    gaps : numpy.ndarray
        Grid of value gaps SV - CV (yuan).
    individual, population : numpy.ndarray
        Switch probability of one customer and churn rate of the population at each gap.
    """

    scenario: ChurnScenario
    switch_probability: float
    churn_rate: float
    gaps: np.ndarray
    individual: np.ndarray
    population: np.ndarray

    def __repr__(self) -> str:
        text = _(
            "switch probability {switch_probability:.1%}, population churn {churn_rate:.1%}; curves over {points} "
            "gaps from {first:g} to {last:g}"
        ).format(
            switch_probability=self.switch_probability,
            churn_rate=self.churn_rate,
            points=len(self.gaps),
            first=self.gaps[0],
            last=self.gaps[-1],
        )
        return f"ChurnOutcome({text})"


def churn_outcome(scenario: ChurnScenario | None = None, *, gap_range=(-300.0, 300.0), points=241) -> ChurnOutcome:
    """Evaluate a churn scenario once: both rates and the churn curves a figure or a widget shows.

    Parameters
    ----------
    scenario : ChurnScenario, optional
        Defaults to ``ChurnScenario()``.
    gap_range : (float, float), default (-300, 300)
        Lowest and highest value gap of the grid (yuan), low < high.
    points : int, default 241
        Grid points, 2 ... 100,000.

    Returns
    -------
    ChurnOutcome

    Examples
    --------
    >>> out = churn_outcome()
    >>> round(out.switch_probability, 3), round(out.churn_rate, 3), len(out.gaps)
    (0.223, 0.291, 241)
    """
    sc = ChurnScenario() if scenario is None else scenario
    if not isinstance(sc, ChurnScenario):
        raise TypeError(f"scenario must be a ChurnScenario; got {type(sc).__name__}")
    if isinstance(gap_range, (str, bytes)) or np.ndim(gap_range) != 1 or np.size(gap_range) != 2:
        raise TypeError(f"gap_range must be two numbers (low, high) in yuan; got {gap_range!r}")
    lo, hi = (_money("gap_range", x) for x in gap_range)
    if not lo < hi:
        raise ValueError(f"gap_range must be (low, high) with low < high; got {gap_range!r}")
    points = v.integer("points", _scalar("points", points), minimum=2, maximum=100_000)
    gaps = np.linspace(lo, hi, points)
    return ChurnOutcome(
        scenario=sc,
        switch_probability=sc.switch_probability,
        churn_rate=sc.churn_rate,
        gaps=gaps,
        individual=switch_probability(gaps, sc.scale, sc.barrier),
        population=expected_churn_rate(gaps, sc.gap_sd, sc.scale, sc.barrier),
    )


# ---------------------------------------------------------------------------------------------
# 3  Switching-cost types (Burnham, Frels & Mahajan 2003)
# ---------------------------------------------------------------------------------------------
#: The eight facets of Burnham, Frels & Mahajan (2003), each mapped to its type.
SWITCHING_COST_FACETS = {
    N_("economic_risk"): "procedural",
    N_("evaluation"): "procedural",
    N_("learning"): "procedural",
    N_("setup"): "procedural",
    N_("benefit_loss"): "financial",
    N_("monetary_loss"): "financial",
    N_("personal_relationship_loss"): "relational",
    N_("brand_relationship_loss"): "relational",
}
#: The three higher-order types, in the paper's order.
SWITCHING_COST_TYPES = (N_("procedural"), N_("financial"), N_("relational"))


def simulate_switching_cost_survey(
    n_respondents,
    *,
    rng,
    items_per_facet=3,
    facet_means=None,
    type_correlation=0.4,
    facet_loading=0.8,
    item_loading=0.8,
):
    """Simulate answers to a switching-cost questionnaire with the BFM (2003) structure.

    Structure (all latent variables standard normal):

    * each respondent has three type scores (procedural, financial, relational) with
      pairwise correlation ``type_correlation``;
    * facet score = ``facet_loading`` * its type score + sqrt(1 - facet_loading^2) * unique;
    * item = ``item_loading`` * its facet score + sqrt(1 - item_loading^2) * noise;
    * answers are on a 1-7 agreement scale: round(mean + 1.3 * item), clipped to 1..7,
      where ``mean`` is the facet's mean (``facet_means``, default 4 = neutral).

    The items are generic stand-ins, not the published wording; the structure (eight facets
    in three types) is the paper's.

    Parameters
    ----------
    n_respondents : int
        Respondents, 2 ... 1,000,000.
    rng : numpy.random.Generator
        The only source of randomness (keyword-only, required).
    items_per_facet : int, default 3
        Items per facet, 2 ... 50.
    facet_means : dict, optional
        Mean answer (1..7) per facet; missing facets get 4.
    type_correlation : float, default 0.4
        In [0, 1).
    facet_loading, item_loading : float, default 0.8
        In (0, 1].

    Returns
    -------
    pandas.DataFrame
        ``n_respondents`` rows; integer columns ``<facet>_<k>`` for k = 1..items_per_facet.

    References
    ----------
    Burnham, T. A., Frels, J. K. & Mahajan, V. (2003). Consumer switching costs: a typology,
    antecedents, and consequences. *Journal of the Academy of Marketing Science* 31(2), 109-126.

    Examples
    --------
    >>> survey = simulate_switching_cost_survey(5, rng=np.random.default_rng(0))
    >>> survey.shape
    (5, 24)
    >>> survey.columns[0]
    'economic_risk_1'
    """
    n = v.integer("n_respondents", _scalar("n_respondents", n_respondents), minimum=2, maximum=1_000_000)
    rng = v.rng("rng", rng)
    k = v.integer("items_per_facet", _scalar("items_per_facet", items_per_facet), minimum=2, maximum=50)
    rho = v.in_range("type_correlation", _scalar("type_correlation", type_correlation), 0, 1, high_open=True)
    lf = v.in_range("facet_loading", _scalar("facet_loading", facet_loading), 0, 1, low_open=True)
    li = v.in_range("item_loading", _scalar("item_loading", item_loading), 0, 1, low_open=True)
    if facet_means is not None and not isinstance(facet_means, dict):
        raise TypeError(f"facet_means must be a dict facet -> mean answer (1-7); got {facet_means!r}")
    means = dict.fromkeys(SWITCHING_COST_FACETS, 4.0)
    for facet, m in (facet_means or {}).items():
        v.one_of("facet_means key", facet, list(SWITCHING_COST_FACETS))
        means[facet] = v.in_range(f"facet_means[{facet!r}]", m, 1, 7)
    cov = np.full((3, 3), rho) + (1 - rho) * np.eye(3)
    types = rng.multivariate_normal(np.zeros(3), cov, size=n, method="cholesky")
    cols = {}
    for facet, kind in SWITCHING_COST_FACETS.items():
        t = types[:, SWITCHING_COST_TYPES.index(kind)]
        f = lf * t + math.sqrt(1 - lf**2) * rng.standard_normal(n)
        for j in range(1, k + 1):
            item = li * f + math.sqrt(1 - li**2) * rng.standard_normal(n)
            cols[f"{facet}_{j}"] = np.clip(np.rint(means[facet] + 1.3 * item), 1, 7).astype(np.int64)
    return pd.DataFrame(cols)


def _facet_columns(items: pd.DataFrame) -> dict[str, list[str]]:
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame; got {type(items).__name__}")
    groups = {
        f: [
            c
            for c in items.columns
            if isinstance(c, str) and c.rsplit("_", 1)[0] == f and c.rsplit("_", 1)[-1].isdigit()
        ]
        for f in SWITCHING_COST_FACETS
    }
    missing = [f for f, cs in groups.items() if not cs]
    if missing:
        raise ValueError(
            f"items is missing item columns for facet(s) {missing} "
            f"(expected columns named <facet>_<k>, e.g. '{missing[0]}_1'); "
            f"it has {list(items.columns)[:8]}{'...' if items.shape[1] > 8 else ''}"
        )
    for f, cs in groups.items():
        vals = items[cs].to_numpy(dtype=float)
        if not np.isfinite(vals).all():
            raise ValueError(f"items column(s) {cs} of facet {f!r} must be finite (no missing answers)")
    return groups


def score_switching_costs(items: pd.DataFrame) -> pd.DataFrame:
    """Score each respondent's eight facets and three types of switching cost.

    Facet score = mean of the facet's items; type score = mean of its facet scores (equal
    weights, as a summated scale).

    Parameters
    ----------
    items : pandas.DataFrame
        One row per respondent, columns ``<facet>_<k>`` (see
        :func:`simulate_switching_cost_survey`), answers on the survey's scale.

    Returns
    -------
    pandas.DataFrame
        Columns: the eight facets, then ``procedural``, ``financial``, ``relational``.

    Raises
    ------
    ValueError
        If a facet has no item columns or an answer is missing or not finite.

    Examples
    --------
    >>> s = score_switching_costs(simulate_switching_cost_survey(4, rng=np.random.default_rng(0)))
    >>> list(s.columns[-3:])
    ['procedural', 'financial', 'relational']
    """
    groups = _facet_columns(items)
    scores = pd.DataFrame({f: items[cs].astype(float).mean(axis=1) for f, cs in groups.items()}, index=items.index)
    for kind in SWITCHING_COST_TYPES:
        facets = [f for f, t in SWITCHING_COST_FACETS.items() if t == kind]
        scores[kind] = scores[facets].mean(axis=1)
    return scores


def facet_reliability(items: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's alpha and number of items of each of the eight facets.

    Alpha is :func:`crmlib.stats.cronbach_alpha` (raw alpha, Cronbach 1951).

    Examples
    --------
    >>> r = facet_reliability(simulate_switching_cost_survey(200, rng=np.random.default_rng(0)))
    >>> list(r.columns)
    ['type', 'items', 'alpha']
    """
    groups = _facet_columns(items)
    rows = [(f, SWITCHING_COST_FACETS[f], len(cs), cronbach_alpha(items[cs])) for f, cs in groups.items()]
    columns = [N_("facet"), N_("type"), N_("items"), NP_("reliability", "alpha")]
    out = pd.DataFrame(rows, columns=columns).set_index("facet")
    out.attrs["i18n_context"] = "reliability"  # alpha is Cronbach's alpha here
    return out


# ---------------------------------------------------------------------------------------------
# 4  Satisfaction x switching barriers (Jones, Mothersbaugh & Beatty 2000)
# ---------------------------------------------------------------------------------------------
_JMB_TRUE = {"const": 0.8, "satisfaction": 0.9, "barriers": 0.5, "satisfaction:barriers": -0.3}


def simulate_barrier_survey(n_respondents, *, rng, coefficients=None):
    """Simulate satisfaction, switching barriers and staying, with a negative interaction.

    Satisfaction and barriers are means of four 1-7 items (so they lie in [1, 7]) with
    correlation about 0.3. Staying follows a logistic model in the centred scores
    (sat - 4, bar - 4)::

        logit P(stay) = const + b_s (sat-4) + b_b (bar-4) + b_sb (sat-4)(bar-4)

    with defaults const 0.8, b_s 0.9, b_b 0.5, b_sb -0.3: barriers raise staying, most
    where satisfaction is low - the pattern Jones, Mothersbaugh & Beatty (2000) report for
    repurchase intentions. The coefficients are illustrative, not the paper's estimates.

    Parameters
    ----------
    n_respondents : int
        Respondents, 10 ... 10,000,000.
    rng : numpy.random.Generator
        The only source of randomness (keyword-only, required).
    coefficients : dict, optional
        Any of ``const``, ``satisfaction``, ``barriers``, ``satisfaction:barriers`` (log-odds,
        |value| <= 100).

    Returns
    -------
    pandas.DataFrame
        Columns ``satisfaction`` and ``barriers`` (1-7 scale scores) and ``stays`` (bool).

    References
    ----------
    Jones, M. A., Mothersbaugh, D. L. & Beatty, S. E. (2000). Switching barriers and
    repurchase intentions in services. *Journal of Retailing* 76(2), 259-274.

    Examples
    --------
    >>> d = simulate_barrier_survey(20, rng=np.random.default_rng(0))
    >>> list(d.columns)
    ['satisfaction', 'barriers', 'stays']
    """
    from scipy.special import expit

    n = v.integer("n_respondents", _scalar("n_respondents", n_respondents), minimum=10, maximum=MAX_SIMULATED)
    rng = v.rng("rng", rng)
    if coefficients is not None and not isinstance(coefficients, dict):
        raise TypeError(f"coefficients must be a dict term -> log-odds coefficient; got {coefficients!r}")
    beta = dict(_JMB_TRUE)
    for key, val in (coefficients or {}).items():
        v.one_of("coefficients key", key, list(_JMB_TRUE))
        beta[key] = v.in_range(f"coefficients[{key!r}]", _scalar(f"coefficients[{key!r}]", val), -100, 100)
    common = rng.standard_normal(n)
    latent_s = math.sqrt(0.3) * common + math.sqrt(0.7) * rng.standard_normal(n)
    latent_b = math.sqrt(0.3) * common + math.sqrt(0.7) * rng.standard_normal(n)

    def scale_score(latent, centre):
        items = np.clip(np.rint(centre + 1.4 * (latent[:, None] + 0.6 * rng.standard_normal((n, 4)))), 1, 7)
        return items.mean(axis=1)

    sat = scale_score(latent_s, 4.8)
    bar = scale_score(latent_b, 3.8)
    s, b = sat - 4, bar - 4
    eta = beta["const"] + beta["satisfaction"] * s + beta["barriers"] * b + beta["satisfaction:barriers"] * s * b
    stays = rng.random(n) < expit(eta)
    return pd.DataFrame({"satisfaction": sat, "barriers": bar, "stays": stays})


def fit_barrier_model(frame: pd.DataFrame) -> LogitResult:
    """Logistic regression of staying on satisfaction, barriers and their product (centred at 4).

    Fitted by :func:`crmlib.stats.fit_logit` (statsmodels ``Logit``); intervals at any level
    come from ``result.conf_int(level)`` and ``result.odds_ratios(level)``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``satisfaction``, ``barriers`` (1-7 scores) and ``stays`` (bool or 0/1).

    Returns
    -------
    LogitResult
        Terms ``const``, ``satisfaction``, ``barriers``, ``satisfaction:barriers``.

    Examples
    --------
    >>> fit = fit_barrier_model(simulate_barrier_survey(2000, rng=np.random.default_rng(1)))
    >>> list(fit.params.index), fit.converged
    (['const', 'satisfaction', 'barriers', 'satisfaction:barriers'], True)
    """
    v.columns("frame", frame, ["satisfaction", "barriers", "stays"])
    s = v.in_range("frame['satisfaction']", frame["satisfaction"].to_numpy(dtype=float), 1, 7) - 4
    b = v.in_range("frame['barriers']", frame["barriers"].to_numpy(dtype=float), 1, 7) - 4
    y = pd.Series(_as_bool("frame['stays']", frame["stays"]), index=frame.index, name="stays")
    X = pd.DataFrame(
        {"const": 1.0, "satisfaction": s, "barriers": b, N_("satisfaction:barriers"): s * b}, index=frame.index
    )
    return fit_logit(y, X, name=_("stay ~ satisfaction * barriers (centred at 4)"))


def barrier_slope(result: LogitResult, satisfaction):
    """Log-odds effect of one more point of barriers at a given satisfaction (1-7).

    = b_barriers + b_interaction * (satisfaction - 4). Vectorised; a Series keeps its index.

    Examples
    --------
    >>> fit = fit_barrier_model(simulate_barrier_survey(500, rng=np.random.default_rng(1)))
    >>> bool(barrier_slope(fit, 2) > barrier_slope(fit, 6))
    True
    """
    if not isinstance(result, LogitResult) or "satisfaction:barriers" not in result.param_names:
        raise TypeError("result must be the LogitResult of fit_barrier_model")
    index, a = _align(satisfaction=satisfaction)
    s = v.in_range("satisfaction", a["satisfaction"], 1, 7)
    p = result.params
    return _labelled(index, p["barriers"] + p["satisfaction:barriers"] * (np.asarray(s) - 4), "barrier_slope")


# ---------------------------------------------------------------------------------------------
# 5  Churn on the IBM telco data
# ---------------------------------------------------------------------------------------------
_CONTRACTS = (N_("Month-to-month"), N_("One year"), N_("Two year"))


def _check_contract(frame, column="contract") -> pd.Series:
    s = frame[column]
    bad = ~s.isin(_CONTRACTS) | s.isna()
    if bad.any():
        raise ValueError(
            f"frame['{column}'] must hold only {list(_CONTRACTS)}; got {s[bad].iloc[0]!r} at row {s.index[bad][0]!r}"
        )
    return pd.Series(pd.Categorical(s.astype(str), categories=list(_CONTRACTS), ordered=True), index=s.index)


def churn_by_contract(frame: pd.DataFrame, *, level=0.95) -> pd.DataFrame:
    """Churn share by contract type with Wilson confidence intervals (:func:`crmlib.stats.wilson_interval`).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``contract`` (Month-to-month / One year / Two year) and ``churn``
        (bool, 0/1 or Yes/No), e.g. :func:`crmlib.datasets.load_telco_churn`.
    level : float, default 0.95
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index contract; columns ``customers``, ``churned``, ``churn_rate``, ``ci_low``, ``ci_high``.

    Raises
    ------
    ValueError
        If a column is missing or a contract type is unknown.

    Examples
    --------
    >>> from crmlib import datasets
    >>> churn_by_contract(datasets.load_telco_churn())["churn_rate"].round(3).tolist()
    [0.427, 0.113, 0.028]
    """
    v.columns("frame", frame, ["contract", "churn"])
    level = check_level(level)
    contract = _check_contract(frame)
    churn = _as_bool("frame['churn']", frame["churn"])
    g = pd.DataFrame({"contract": contract, "churn": churn}).groupby("contract", observed=False)["churn"]
    out = pd.DataFrame({N_("customers"): g.size().astype("int64"), N_("churned"): g.sum().astype("int64")})
    out = out[out["customers"] > 0]
    out[N_("churn_rate")] = out["churned"] / out["customers"]
    lo, hi = wilson_interval(out["churned"].to_numpy(), out["customers"].to_numpy(), level=level)
    out[N_("ci_low")], out[N_("ci_high")] = np.atleast_1d(lo), np.atleast_1d(hi)
    out.index = pd.Index([str(i) for i in out.index], name=N_("contract"))
    return out


_ADDONS = ("online_security", "online_backup", "device_protection", "tech_support", "streaming_tv", "streaming_movies")
_LOGIT_COLUMNS = ["churn", "contract", "tenure", "monthly_charges", "internet_service", *_ADDONS]


def churn_design_matrix(frame: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Outcome and regressors of the telco churn logit.

    Regressors: ``const``; contract dummies ``one_year``, ``two_year`` (reference
    month-to-month); ``tenure_years`` (tenure / 12); ``monthly_charges_10`` (monthly
    charges / 10, i.e. per 10 US$ a month); internet dummies ``fiber_optic`` and
    ``no_internet`` (reference DSL); ``add_on_services`` (number of the six add-ons:
    online security, online backup, device protection, tech support, streaming TV,
    streaming movies; 0-6).

    Returns
    -------
    (y, X) : (pandas.Series of float, pandas.DataFrame of float)

    Raises
    ------
    ValueError
        If a column is missing or a contract / internet-service value is unknown.

    Examples
    --------
    >>> from crmlib import datasets
    >>> y, X = churn_design_matrix(datasets.load_telco_churn())
    >>> list(X.columns[:3]), len(y), int(X["add_on_services"].max())
    (['const', 'one_year', 'two_year'], 7043, 6)
    """
    v.columns("frame", frame, _LOGIT_COLUMNS)
    contract = _check_contract(frame)
    y = pd.Series(_as_bool("frame['churn']", frame["churn"]).astype(float), index=frame.index, name="churn")
    tenure = v.non_negative("frame['tenure']", frame["tenure"].to_numpy(dtype=float), unit="months")
    charges = v.non_negative(
        "frame['monthly_charges']", frame["monthly_charges"].to_numpy(dtype=float), unit="US$ per month"
    )
    internet = frame["internet_service"].astype(str)
    bad = ~internet.isin(["DSL", "Fiber optic", "No"])
    if bad.any():
        raise ValueError(
            f"frame['internet_service'] must hold only ['DSL', 'Fiber optic', 'No']; got {internet[bad].iloc[0]!r}"
        )
    addons = sum((frame[c].astype(str) == "Yes").astype(float) for c in _ADDONS)
    X = pd.DataFrame(
        {
            "const": 1.0,
            N_("one_year"): (contract == "One year").astype(float),
            N_("two_year"): (contract == "Two year").astype(float),
            N_("tenure_years"): tenure / 12.0,
            N_("monthly_charges_10"): charges / 10.0,
            N_("fiber_optic"): (internet == "Fiber optic").astype(float),
            N_("no_internet"): (internet == "No").astype(float),
            N_("add_on_services"): addons,
        },
        index=frame.index,
    )
    return y, X


def fit_churn_logit(frame: pd.DataFrame) -> LogitResult:
    """Logistic regression of churn on contract, tenure, charges and services (statsmodels).

    See :func:`churn_design_matrix` for the regressors; fitted by :func:`crmlib.stats.fit_logit`.
    Odds ratios (``result.odds_ratios(level)``) are per unit of each regressor: per contract
    type vs month-to-month, per year of tenure, per 10 US$ of monthly charges, per add-on
    service. A cross-section: associations, not causal effects.

    Parameters
    ----------
    frame : pandas.DataFrame
        The telco data (:func:`crmlib.datasets.load_telco_churn`) or any frame with its columns.

    Returns
    -------
    LogitResult

    References
    ----------
    Hosmer, D. W., Lemeshow, S. & Sturdivant, R. X. (2013). *Applied Logistic Regression*,
    3rd ed., Wiley.

    Examples
    --------
    >>> from crmlib import datasets
    >>> fit = fit_churn_logit(datasets.load_telco_churn())
    >>> fit.n_obs, fit.converged, bool(fit.params["two_year"] < fit.params["one_year"] < 0)
    (7043, True, True)
    """
    y, X = churn_design_matrix(frame)
    return fit_logit(
        y,
        X,
        name=_("churn ~ contract + tenure + charges + services"),
        notes=_("reference categories: month-to-month contract, DSL internet"),
    )


#: Column names of the chapter's value-at-risk screen (``telco.assign(risk=..., value_at_risk=...)``
#: on :func:`churn_risk`): marked so that the Chinese edition labels that table in Chinese.
_SCREEN_LABELS = (N_("risk"), N_("value_at_risk"))


def churn_risk(result: LogitResult, frame: pd.DataFrame) -> pd.Series:
    """Predicted churn probability of each customer from a :func:`fit_churn_logit` result.

    Parameters
    ----------
    result : LogitResult
        From :func:`fit_churn_logit`.
    frame : pandas.DataFrame
        Customers with the columns of :func:`churn_design_matrix`.

    Returns
    -------
    pandas.Series
        Probabilities in (0, 1), indexed like ``frame`` (terms matched by name, not position).

    Examples
    --------
    >>> from crmlib import datasets
    >>> telco = datasets.load_telco_churn()
    >>> risk = churn_risk(fit_churn_logit(telco), telco)
    >>> round(float(risk.mean()), 4) == round(float(telco["churn"].mean()), 4)
    True
    """
    if not isinstance(result, LogitResult):
        raise TypeError(f"result must be a LogitResult from fit_churn_logit; got {type(result).__name__}")
    _, X = churn_design_matrix(frame)
    if set(result.param_names) != set(X.columns):
        raise ValueError(
            f"result must come from fit_churn_logit (terms {list(X.columns)}); got terms {list(result.param_names)}"
        )
    return result.predict(X).rename("churn_risk")


def retention_curves(
    frame: pd.DataFrame, *, by="contract", level=0.95, delayed_entry=False
) -> dict[str, KaplanMeierResult]:
    """Kaplan-Meier retention curves of the telco customers: tenure (months) until churn, by group.

    Each curve is :func:`crmlib.stats.kaplan_meier` (statsmodels ``SurvfuncRight``) of one
    group's rows; tenure and churn are taken from the same rows of ``frame``.

    The telco file is a snapshot: the customers of the last month, with ``churn`` = left within
    it. Read literally, each customer was observed only from tenure - 1 to tenure, and the
    customers who left before that month are missing. ``delayed_entry=True`` takes that into
    account: entry times from :func:`crmlib.churn.snapshot_entry` (tenure - 1 month), the 11
    customers with tenure 0 (no time at risk) dropped; each month's hazard is then the churn
    share among the customers at that tenure. Without it (the default) every customer counts
    as observed since joining, which overstates retention when early leavers are missing.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``tenure`` (months), ``churn`` and the ``by`` column.
    by : str, default "contract"
        Grouping column; contract values are checked against the three known types.
    level : float, default 0.95
        Confidence level of each curve's pointwise intervals (log-log), in (0, 1).
    delayed_entry : bool, default False
        Use the snapshot's entry times (left truncation), see above.

    Returns
    -------
    dict
        Group label -> :class:`~crmlib.stats.KaplanMeierResult`, in the category order.

    Examples
    --------
    >>> from crmlib import datasets
    >>> curves = retention_curves(datasets.load_telco_churn())
    >>> list(curves)
    ['Month-to-month', 'One year', 'Two year']
    >>> late = retention_curves(datasets.load_telco_churn(), delayed_entry=True)
    >>> round(late["Month-to-month"].survival_at(1), 3)      # 1 - (churners / customers at tenure 1)
    0.371
    """
    if not isinstance(by, str):
        raise TypeError(f"by must be a column name (str); got {by!r}")
    v.columns("frame", frame, ["tenure", "churn", by])
    level = check_level(level)
    if not isinstance(delayed_entry, (bool, np.bool_)):
        raise TypeError(f"delayed_entry must be True or False; got {delayed_entry!r}")
    if delayed_entry:
        frame = frame[frame["tenure"] > 0]
    groups = _check_contract(frame, by) if by == "contract" else frame[by]
    out = {}
    for key in groups.cat.categories if hasattr(groups, "cat") else sorted(groups.dropna().unique()):
        rows = frame[(groups == key).to_numpy()]
        if len(rows):
            tenure = rows["tenure"].astype(float)
            entry = snapshot_entry(tenure, window=1.0) if delayed_entry else None
            out[str(key)] = kaplan_meier(tenure, rows["churn"], entry=entry, level=level, label=str(key))
    return out


def retention_table(curves: dict, at=(12, 24, 36, 48, 60, 72)) -> pd.DataFrame:
    """Retention S(t) of each curve at the given times (rows: group, columns: months).

    Parameters
    ----------
    curves : dict
        Group label -> :class:`~crmlib.stats.KaplanMeierResult` (e.g. :func:`retention_curves`).
    at : float or sequence of float, default 12, 24, ..., 72
        Times (months), >= 0.

    Returns
    -------
    pandas.DataFrame
        S(t) as a fraction; index ``group``, one column per time.

    Examples
    --------
    >>> from crmlib import datasets
    >>> retention_table(retention_curves(datasets.load_telco_churn()), at=[12]).round(3)[12].tolist()
    [0.703, 0.991, 1.0]
    """
    if not isinstance(curves, dict) or not curves or not all(isinstance(c, KaplanMeierResult) for c in curves.values()):
        raise TypeError("curves must be a non-empty dict of KaplanMeierResult, e.g. from retention_curves()")
    at = np.atleast_1d(v.non_negative("at", at))
    cols = [int(t) if float(t).is_integer() else float(t) for t in at]
    return pd.DataFrame(
        {c: [km.survival_at(float(c)) for km in curves.values()] for c in cols},
        index=pd.Index(list(curves), name=N_("group")),
    )
