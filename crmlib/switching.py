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
  :func:`expected_churn_rate`, :func:`logsum_surplus`, :class:`ChurnScenario`;
* switching-cost types after Burnham, Frels & Mahajan (2003):
  :func:`simulate_switching_cost_survey`, :func:`score_switching_costs`,
  :func:`cronbach_alpha`, :func:`facet_reliability`;
* satisfaction x barriers after Jones, Mothersbaugh & Beatty (2000):
  :func:`simulate_barrier_survey`, :func:`fit_barrier_model`;
* churn on the IBM telco data: :func:`churn_by_contract`, :func:`wilson_interval`,
  :func:`fit_churn_logit`, :func:`churn_risk`, :func:`kaplan_meier`, :func:`retention_curves`,
  :func:`logrank_test`;
* figures: ``plot_*`` functions (axis in, axis out).

Money is in yuan (元) in the examples; any currency works if all terms use the same one.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmlib import _validate as v
from crmlib.loyalty import cronbach_alpha  # one implementation, tested in chapter 2 against pingouin

__all__ = [
    "SubstituteOffer", "CurrentRelationship", "SwitchDecision", "ChurnScenario",
    "substitute_value", "current_value", "prefers_switch", "decide",
    "break_even_switching_cost", "required_price_cut", "tornado",
    "Coupon", "WelcomeOffer", "MEITUAN_COUPONS", "MEITUAN_FREE_ORDERS", "ASSUMED_BASE_FARE",
    "welcome_offer_value", "break_even_base_fare",
    "switch_probability", "churn_rate", "expected_churn_rate", "simulate_value_gaps",
    "logsum_surplus",
    "SWITCHING_COST_FACETS", "SWITCHING_COST_TYPES", "simulate_switching_cost_survey",
    "score_switching_costs", "cronbach_alpha", "facet_reliability",
    "simulate_barrier_survey", "fit_barrier_model", "barrier_slope", "LogitResult",
    "wilson_interval", "churn_by_contract", "churn_design_matrix", "fit_churn_logit", "churn_risk",
    "KaplanMeierResult", "kaplan_meier", "retention_curves", "retention_table",
    "LogrankResult", "logrank_test",
    "plot_substitute_value", "plot_tornado", "plot_churn_curve", "plot_barrier_interaction",
    "plot_churn_by_contract", "plot_retention_curves",
]


def _out(x):
    """Return a 0-d array as a Python float, otherwise the array."""
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


# ---------------------------------------------------------------------------------------------
# 1  The substitute-value model
# ---------------------------------------------------------------------------------------------
def substitute_value(quantity, utility, price, other_costs, maintenance_cost, switching_cost, *,
                     promotion=0.0):
    """Substitute value SV = Q (U - P) - O - M - S (+ B) of the best alternative supplier.

    Vectorised: every argument may be a number or an array; arrays broadcast (numpy rules).

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
    float or numpy.ndarray
        SV in money per period (a float when all inputs are scalars).

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If an argument is negative, not finite, or the arrays cannot be broadcast.

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
    """
    q = v.non_negative("quantity", quantity, unit="units per period")
    u = v.non_negative("utility", utility, unit="money per unit")
    p = v.non_negative("price", price, unit="money per unit")
    o = v.non_negative("other_costs", other_costs, unit="money")
    m = v.non_negative("maintenance_cost", maintenance_cost, unit="money")
    s = v.non_negative("switching_cost", switching_cost, unit="money")
    b = v.non_negative("promotion", promotion, unit="money")
    _broadcast(quantity=q, utility=u, price=p, other_costs=o, maintenance_cost=m,
               switching_cost=s, promotion=b)
    return _out(np.multiply(q, np.subtract(u, p)) - o - m - s + b)


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
    float or numpy.ndarray
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
    return substitute_value(quantity, utility, price, other_costs, maintenance_cost, 0.0)


def _broadcast(**arrays):
    try:
        np.broadcast(*[np.asarray(a) for a in arrays.values()])
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(a)}" for k, a in arrays.items() if np.ndim(a))
        raise ValueError(f"the array arguments must broadcast to one shape; got {shapes}") from None


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

    Examples
    --------
    >>> offer = SubstituteOffer()
    >>> offer.value
    310.0
    >>> offer.replace(switching_cost=0).value
    430.0

    With the Meituan welcome offer to an express rider (47 yuan at our assumed 10-yuan base fare):

    >>> offer.replace(promotion=WelcomeOffer().value("express")).value
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
        for f in dataclasses.fields(self):
            val = getattr(self, f.name)
            if np.ndim(val) != 0:
                raise TypeError(f"{f.name} must be a single number; got {val!r}")
            object.__setattr__(self, f.name, v.non_negative(f.name, val))

    @property
    def value(self) -> float:
        """SV in yuan per period (see :func:`substitute_value`)."""
        return substitute_value(self.quantity, self.utility, self.price, self.other_costs,
                                self.maintenance_cost, self.switching_cost, promotion=self.promotion)

    def replace(self, **changes) -> "SubstituteOffer":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


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
        SubstituteOffer.__post_init__(self)

    @property
    def value(self) -> float:
        """CV in yuan per period (see :func:`current_value`)."""
        return current_value(self.quantity, self.utility, self.price, self.other_costs,
                             self.maintenance_cost)

    def replace(self, **changes) -> "CurrentRelationship":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)


def prefers_switch(current_value, substitute_value):
    """True where SV > CV (the customer switches); ties keep the customer (inertia).

    Examples
    --------
    >>> prefers_switch(360, [310, 360, 388]).tolist()
    [False, False, True]
    """
    cv = v.as_float("current_value", current_value)
    sv = v.as_float("substitute_value", substitute_value)
    out = np.greater(sv, cv)
    return bool(out) if np.ndim(out) == 0 else out


def break_even_switching_cost(current_value, quantity, utility, price, other_costs,
                              maintenance_cost, *, promotion=0.0):
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
    float or numpy.ndarray
        S* in money.

    Examples
    --------
    >>> break_even_switching_cost(360, 100, 31, 26, 30, 40)
    70.0
    """
    cv = v.as_float("current_value", current_value)
    free = substitute_value(quantity, utility, price, other_costs, maintenance_cost, 0.0,
                            promotion=promotion)
    return _out(np.subtract(free, cv))


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
    float or numpy.ndarray
        Money per unit.

    Examples
    --------
    >>> required_price_cut(360, 310, 100)
    0.5
    """
    cv = v.as_float("current_value", current_value)
    sv = v.as_float("substitute_value", substitute_value)
    q = v.positive("quantity", quantity, unit="units per period")
    return _out(np.maximum(0.0, (np.subtract(cv, sv)) / q))


@dataclass(frozen=True)
class SwitchDecision:
    """What the customer does and what would change it (all money per period)."""

    current_value: float
    substitute_value: float
    decision: str
    break_even_switching_cost: float
    price_cut_needed: float
    winning_price: float
    """Rival wins at any price below this (money per unit): P - (CV - SV) / Q."""

    @property
    def value_gap(self) -> float:
        """SV - CV; positive means the customer switches."""
        return self.substitute_value - self.current_value

    def __repr__(self) -> str:
        return (f"SwitchDecision(CV={self.current_value:.2f}, SV={self.substitute_value:.2f}, "
                f"decision={self.decision!r}, break-even S={self.break_even_switching_cost:.2f}, "
                f"price cut needed={self.price_cut_needed:.2f}/unit, "
                f"rival must charge below {self.winning_price:.2f}/unit)")


def decide(current: CurrentRelationship | None = None, substitute: SubstituteOffer | None = None
           ) -> SwitchDecision:
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
    s_star = break_even_switching_cost(cv, s.quantity, s.utility, s.price, s.other_costs,
                                       s.maintenance_cost, promotion=s.promotion)
    # highest price (exclusive) at which the rival still wins: P - (CV - SV) / Q, not clipped
    return SwitchDecision(cv, sv, "switch" if prefers_switch(cv, sv) else "stay", s_star, cut,
                          s.price - (cv - sv) / s.quantity)


def tornado(current: CurrentRelationship | None = None, substitute: SubstituteOffer | None = None,
            swing: float = 0.2) -> pd.DataFrame:
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
    swing = v.in_range("swing", swing, 0, 1, low_open=True)
    cv = current.value
    base_gap = substitute.value - cv
    rows = {}
    for term in ("quantity", "utility", "price", "other_costs", "maintenance_cost", "switching_cost"):
        base = getattr(substitute, term)
        lo, hi = base * (1 - swing), base * (1 + swing)
        g_lo = substitute.replace(**{term: lo}).value - cv
        g_hi = substitute.replace(**{term: hi}).value - cv
        rows[term] = (lo, hi, g_lo, g_hi, abs(g_hi - g_lo), base_gap)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["low_input", "high_input", "gap_at_low",
                                                                  "gap_at_high", "range", "base_gap"])
    table.index.name = "term"
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
        raise TypeError(f"{name} must be a service name or a list of them ({_SERVICES_NOTE}); "
                        f"got {services!r}") from None
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
        if np.ndim(self.amount) != 0:
            raise TypeError(f"amount must be a single number; got {self.amount!r}")
        object.__setattr__(self, "amount", v.non_negative("amount", self.amount, unit="yuan"))
        object.__setattr__(self, "services", _services("services", self.services))

    @property
    def label(self) -> str:
        """Name, amount and services, e.g. ``快车券 8 yuan (express)``."""
        return f"{self.name} {self.amount:g} yuan ({', '.join(self.services)})"


#: From the slides (seed 003, Meituan's ride-hailing launch against Didi): the coupons a new user
#: got besides the free base fares -- 9 yuan valid on express or premium rides (快车优享通用券),
#: 8 yuan on express (快车券) and 10 yuan on premium (优享券).
MEITUAN_COUPONS = (Coupon("快车优享通用券", 9.0, ("express", "premium")),
                   Coupon("快车券", 8.0, ("express",)),
                   Coupon("优享券", 10.0, ("premium",)))
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
    float or numpy.ndarray
        B in yuan.

    Raises
    ------
    TypeError, ValueError
        If an argument is not numeric, negative or not finite, or ``free_orders`` is not whole.

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
    f = v.non_negative("base_fare", base_fare, unit="yuan per order")
    n = v.integer("free_orders", free_orders, minimum=0)
    if np.ndim(n):
        raise TypeError(f"free_orders must be a single whole number; got {free_orders!r}")
    c = np.zeros(0) if np.size(coupons) == 0 else np.atleast_1d(v.non_negative("coupons", coupons, unit="yuan"))
    if c.ndim != 1:
        raise ValueError(f"coupons must be a flat list of amounts (yuan); got shape {c.shape}")
    return _out(np.multiply(n, f) + float(c.sum()))


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
    float or numpy.ndarray
        F* in yuan per order.

    Examples
    --------
    The chapter's running customer (SV - CV = -50 yuan) and an express rider's coupons:

    >>> break_even_base_fare(-50, [9, 8])
    11.0
    """
    gap = v.as_float("value_gap", value_gap)
    n = v.integer("free_orders", free_orders, minimum=1)
    if np.ndim(n):
        raise TypeError(f"free_orders must be a single whole number; got {free_orders!r}")
    coupon_total = welcome_offer_value(0.0, coupons, free_orders=0)
    return _out((np.negative(gap) - coupon_total) / n)


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
    >>> meituan = WelcomeOffer()
    >>> meituan.value("express"), meituan.value("premium"), meituan.value(["express", "premium"])
    (47.0, 49.0, 57.0)
    >>> meituan.replace(base_fare=12).value("express")
    53.0
    >>> meituan.break_even_base_fare(-50, "express")
    11.0
    """

    base_fare: float = ASSUMED_BASE_FARE
    free_orders: int = MEITUAN_FREE_ORDERS
    coupons: tuple = MEITUAN_COUPONS

    def __post_init__(self):
        if np.ndim(self.base_fare) != 0:
            raise TypeError(f"base_fare must be a single number; got {self.base_fare!r}")
        object.__setattr__(self, "base_fare", v.non_negative("base_fare", self.base_fare, unit="yuan"))
        n = v.integer("free_orders", self.free_orders, minimum=0)
        if np.ndim(n):
            raise TypeError(f"free_orders must be a single whole number; got {self.free_orders!r}")
        object.__setattr__(self, "free_orders", n)
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
        rows = {f"{self.free_orders} free base fares (起步价) x {self.base_fare:g} yuan": self.free_orders * self.base_fare}
        rows.update({c.label: c.amount if c in usable else 0.0 for c in self.coupons})
        rows["benefit B (利益)"] = self.value(services)
        return pd.Series(rows, name="yuan").rename_axis("item").to_frame()

    def replace(self, **changes) -> "WelcomeOffer":
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        coupons = ", ".join(c.label for c in self.coupons)
        return f"WelcomeOffer(base_fare={self.base_fare:g} yuan, free_orders={self.free_orders}, coupons=[{coupons}])"


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
    float or numpy.ndarray
        Probability in [0, 1].

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

    gap = v.as_float("value_gap", value_gap)
    sc = v.positive("scale", scale, unit="money")
    b = v.as_float("barrier", barrier)
    return _out(expit((np.subtract(gap, b)) / sc))


def churn_rate(value_gaps, scale, barrier=0.0):
    """Churn rate of a population: the mean switch probability over customers' value gaps.

    Parameters
    ----------
    value_gaps : array_like
        One SV - CV per customer (money).
    scale, barrier
        As in :func:`switch_probability`.

    Returns
    -------
    float

    Examples
    --------
    >>> round(churn_rate([-50, 50], 40), 3)
    0.5
    """
    return float(np.mean(switch_probability(np.atleast_1d(v.as_float("value_gaps", value_gaps)),
                                            scale, barrier)))


def simulate_value_gaps(n, mean_gap, gap_sd, rng):
    """Draw n customers' value gaps SV - CV from a normal distribution (money).

    Examples
    --------
    >>> gaps = simulate_value_gaps(3, -50, 60, np.random.default_rng(1))
    >>> gaps.shape
    (3,)
    """
    n = v.integer("n", n, minimum=1)
    mean_gap = v.as_float("mean_gap", mean_gap)
    gap_sd = v.non_negative("gap_sd", gap_sd, unit="money")
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
    mean_gap : float or array_like
        Mean of SV - CV over customers (money).
    gap_sd : float
        Standard deviation of the gaps (money), >= 0 (0 = identical customers).
    scale, barrier
        As in :func:`switch_probability`.
    nodes : int, default 1201
        Quadrature points, >= 3.

    Returns
    -------
    float or numpy.ndarray

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
    mean_gap = v.as_float("mean_gap", mean_gap)
    gap_sd = v.non_negative("gap_sd", gap_sd, unit="money")
    nodes = v.integer("nodes", nodes, minimum=3)
    if np.ndim(gap_sd):
        raise ValueError(f"gap_sd must be a single number; got {gap_sd!r}")
    x = np.linspace(-10.0, 10.0, nodes)
    w = np.exp(-0.5 * x * x)
    w[[0, -1]] *= 0.5
    w = w / w.sum()
    gaps = np.add.outer(np.atleast_1d(mean_gap), gap_sd * x)
    out = switch_probability(gaps, scale, barrier) @ w
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
    float or numpy.ndarray
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
    cv = v.as_float("current_value", current_value)
    sv = v.as_float("substitute_value", substitute_value)
    sc = v.positive("scale", scale, unit="money")
    return _out(sc * np.logaddexp(np.divide(cv, sc), np.divide(sv, sc)))


@dataclass(frozen=True)
class ChurnScenario:
    """A population's value gap, taste scale and barrier (all money per period).

    Defaults: the rival is on average 50 yuan a year worse (gap -50), customers differ with
    standard deviation 60, the logit scale is 40 and there is no extra barrier.

    Examples
    --------
    >>> round(ChurnScenario().churn_rate, 4)
    0.2906
    """

    value_gap: float = -50.0
    gap_sd: float = 60.0
    scale: float = 40.0
    barrier: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "value_gap", v.as_float("value_gap", self.value_gap))
        object.__setattr__(self, "gap_sd", v.non_negative("gap_sd", self.gap_sd))
        object.__setattr__(self, "scale", v.positive("scale", self.scale))
        object.__setattr__(self, "barrier", v.as_float("barrier", self.barrier))

    @property
    def switch_probability(self) -> float:
        """Switch probability of the average customer (gap = value_gap)."""
        return switch_probability(self.value_gap, self.scale, self.barrier)

    @property
    def churn_rate(self) -> float:
        """Population churn rate (see :func:`expected_churn_rate`)."""
        return expected_churn_rate(self.value_gap, self.gap_sd, self.scale, self.barrier)

    def replace(self, **changes) -> "ChurnScenario":
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------------------------
# 3  Switching-cost types (Burnham, Frels & Mahajan 2003)
# ---------------------------------------------------------------------------------------------
#: The eight facets of Burnham, Frels & Mahajan (2003), each mapped to its type.
SWITCHING_COST_FACETS = {
    "economic_risk": "procedural",
    "evaluation": "procedural",
    "learning": "procedural",
    "setup": "procedural",
    "benefit_loss": "financial",
    "monetary_loss": "financial",
    "personal_relationship_loss": "relational",
    "brand_relationship_loss": "relational",
}
#: The three higher-order types, in the paper's order.
SWITCHING_COST_TYPES = ("procedural", "financial", "relational")


def simulate_switching_cost_survey(n, rng, *, items_per_facet=3, facet_means=None,
                                   type_correlation=0.4, facet_loading=0.8, item_loading=0.8):
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
    n : int
        Respondents, >= 2.
    rng : numpy.random.Generator
    items_per_facet : int, default 3
        Items per facet, >= 2.
    facet_means : dict, optional
        Mean answer (1..7) per facet; missing facets get 4.
    type_correlation : float, default 0.4
        In [0, 1).
    facet_loading, item_loading : float, default 0.8
        In (0, 1].

    Returns
    -------
    pandas.DataFrame
        n rows; integer columns ``<facet>_<k>`` for k = 1..items_per_facet.

    References
    ----------
    Burnham, T. A., Frels, J. K. & Mahajan, V. (2003). Consumer switching costs: a typology,
    antecedents, and consequences. *Journal of the Academy of Marketing Science* 31(2), 109-126.

    Examples
    --------
    >>> survey = simulate_switching_cost_survey(5, np.random.default_rng(0))
    >>> survey.shape
    (5, 24)
    >>> survey.columns[0]
    'economic_risk_1'
    """
    n = v.integer("n", n, minimum=2)
    rng = v.rng("rng", rng)
    k = v.integer("items_per_facet", items_per_facet, minimum=2)
    rho = v.in_range("type_correlation", type_correlation, 0, 1, high_open=True)
    lf = v.in_range("facet_loading", facet_loading, 0, 1, low_open=True)
    li = v.in_range("item_loading", item_loading, 0, 1, low_open=True)
    means = dict.fromkeys(SWITCHING_COST_FACETS, 4.0)
    for facet, m in (facet_means or {}).items():
        v.one_of("facet_means key", facet, list(SWITCHING_COST_FACETS))
        means[facet] = v.in_range(f"facet_means[{facet!r}]", m, 1, 7)
    cov = np.full((3, 3), rho) + (1 - rho) * np.eye(3)
    types = rng.multivariate_normal(np.zeros(3), cov, size=n, method="cholesky")
    cols = {}
    for facet, kind in SWITCHING_COST_FACETS.items():
        t = types[:, SWITCHING_COST_TYPES.index(kind)]
        f = lf * t + math.sqrt(1 - lf ** 2) * rng.standard_normal(n)
        for j in range(1, k + 1):
            item = li * f + math.sqrt(1 - li ** 2) * rng.standard_normal(n)
            cols[f"{facet}_{j}"] = np.clip(np.rint(means[facet] + 1.3 * item), 1, 7).astype(np.int64)
    return pd.DataFrame(cols)


def _facet_columns(items: pd.DataFrame) -> dict[str, list[str]]:
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame; got {type(items).__name__}")
    groups = {f: [c for c in items.columns if isinstance(c, str) and c.rsplit("_", 1)[0] == f
                  and c.rsplit("_", 1)[-1].isdigit()] for f in SWITCHING_COST_FACETS}
    missing = [f for f, cs in groups.items() if not cs]
    if missing:
        raise ValueError(f"items is missing item columns for facet(s) {missing} "
                         f"(expected columns named <facet>_<k>, e.g. '{missing[0]}_1'); "
                         f"it has {list(items.columns)[:8]}{'...' if items.shape[1] > 8 else ''}")
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
    >>> s = score_switching_costs(simulate_switching_cost_survey(4, np.random.default_rng(0)))
    >>> list(s.columns[-3:])
    ['procedural', 'financial', 'relational']
    """
    groups = _facet_columns(items)
    scores = pd.DataFrame({f: items[cs].astype(float).mean(axis=1) for f, cs in groups.items()},
                          index=items.index)
    for kind in SWITCHING_COST_TYPES:
        facets = [f for f, t in SWITCHING_COST_FACETS.items() if t == kind]
        scores[kind] = scores[facets].mean(axis=1)
    return scores


def facet_reliability(items: pd.DataFrame) -> pd.DataFrame:
    """Cronbach's alpha and number of items of each of the eight facets.

    Examples
    --------
    >>> r = facet_reliability(simulate_switching_cost_survey(200, np.random.default_rng(0)))
    >>> list(r.columns)
    ['type', 'items', 'alpha']
    """
    groups = _facet_columns(items)
    rows = [(f, SWITCHING_COST_FACETS[f], len(cs), cronbach_alpha(items[cs])) for f, cs in groups.items()]
    return pd.DataFrame(rows, columns=["facet", "type", "items", "alpha"]).set_index("facet")


# ---------------------------------------------------------------------------------------------
# 4  Logistic models: a shared result record
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LogitResult:
    """A fitted logistic regression (immutable). ``params`` are log-odds coefficients."""

    name: str
    params: pd.Series
    bse: pd.Series
    conf_low: pd.Series
    conf_high: pd.Series
    pvalues: pd.Series
    nobs: int
    llf: float
    llnull: float
    confidence: float = 0.95
    notes: str = ""

    @property
    def pseudo_r2(self) -> float:
        """McFadden's pseudo R^2 = 1 - llf / llnull."""
        return 1.0 - self.llf / self.llnull

    def odds_ratios(self) -> pd.DataFrame:
        """exp(coefficient) with its confidence interval, one row per term."""
        return pd.DataFrame({"odds_ratio": np.exp(self.params), "ci_low": np.exp(self.conf_low),
                             "ci_high": np.exp(self.conf_high)})

    def summary(self) -> pd.DataFrame:
        """Coefficient table: coef, std_err, z, p_value, ci_low, ci_high, odds_ratio."""
        return pd.DataFrame({"coef": self.params, "std_err": self.bse, "z": self.params / self.bse,
                             "p_value": self.pvalues, "ci_low": self.conf_low,
                             "ci_high": self.conf_high, "odds_ratio": np.exp(self.params)})

    def __repr__(self) -> str:
        lines = [f"LogitResult({self.name}: n={self.nobs}, log-likelihood={self.llf:.2f}, "
                 f"McFadden pseudo R2={self.pseudo_r2:.3f})"]
        width = max(len(str(i)) for i in self.params.index)
        for term in self.params.index:
            lines.append(f"  {str(term):<{width}}  {self.params[term]:+.4f}  (se {self.bse[term]:.4f})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return (f"<p><b>{self.name}</b>: n = {self.nobs}, log-likelihood = {self.llf:.2f}, "
                f"McFadden pseudo R² = {self.pseudo_r2:.3f}</p>" + self.summary().round(4).to_html())


def _fit_logit(y: pd.Series, X: pd.DataFrame, name: str, confidence: float, notes: str = "") -> LogitResult:
    import statsmodels.api as sm

    res = sm.Logit(y.astype(float), X.astype(float)).fit(disp=0, method="newton", maxiter=100)
    if not res.mle_retvals.get("converged", True):
        raise RuntimeError(f"the logistic regression {name!r} did not converge")
    ci = res.conf_int(alpha=1 - confidence)
    return LogitResult(name=name, params=res.params.copy(), bse=res.bse.copy(), conf_low=ci[0].copy(),
                       conf_high=ci[1].copy(), pvalues=res.pvalues.copy(), nobs=int(res.nobs),
                       llf=float(res.llf), llnull=float(res.llnull), confidence=confidence, notes=notes)


# ---------------------------------------------------------------------------------------------
# 5  Satisfaction x switching barriers (Jones, Mothersbaugh & Beatty 2000)
# ---------------------------------------------------------------------------------------------
_JMB_TRUE = {"const": 0.8, "satisfaction": 0.9, "barriers": 0.5, "satisfaction:barriers": -0.3}


def simulate_barrier_survey(n, rng, *, coefficients=None):
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
    n : int
        Respondents, >= 10.
    rng : numpy.random.Generator
    coefficients : dict, optional
        Any of ``const``, ``satisfaction``, ``barriers``, ``satisfaction:barriers``.

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
    >>> d = simulate_barrier_survey(20, np.random.default_rng(0))
    >>> list(d.columns)
    ['satisfaction', 'barriers', 'stays']
    """
    n = v.integer("n", n, minimum=10)
    rng = v.rng("rng", rng)
    beta = dict(_JMB_TRUE)
    for key, val in (coefficients or {}).items():
        v.one_of("coefficients key", key, list(_JMB_TRUE))
        beta[key] = v.as_float(f"coefficients[{key!r}]", val)
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
    stays = rng.random(n) < 1 / (1 + np.exp(-eta))
    return pd.DataFrame({"satisfaction": sat, "barriers": bar, "stays": stays})


def fit_barrier_model(frame: pd.DataFrame, *, confidence=0.95) -> LogitResult:
    """Logistic regression of staying on satisfaction, barriers and their product (centred at 4).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``satisfaction``, ``barriers`` (1-7 scores) and ``stays`` (bool or 0/1).
    confidence : float, default 0.95

    Returns
    -------
    LogitResult
        Terms ``const``, ``satisfaction``, ``barriers``, ``satisfaction:barriers``.

    Examples
    --------
    >>> fit = fit_barrier_model(simulate_barrier_survey(2000, np.random.default_rng(1)))
    >>> list(fit.params.index)
    ['const', 'satisfaction', 'barriers', 'satisfaction:barriers']
    """
    v.columns("frame", frame, ["satisfaction", "barriers", "stays"])
    confidence = v.in_range("confidence", confidence, 0, 1, low_open=True, high_open=True)
    s = v.in_range("frame['satisfaction']", frame["satisfaction"].to_numpy(dtype=float), 1, 7) - 4
    b = v.in_range("frame['barriers']", frame["barriers"].to_numpy(dtype=float), 1, 7) - 4
    y = _as_bool("frame['stays']", frame["stays"])
    X = pd.DataFrame({"const": 1.0, "satisfaction": s, "barriers": b, "satisfaction:barriers": s * b},
                     index=frame.index)
    return _fit_logit(pd.Series(y, index=frame.index), X, "stay ~ satisfaction * barriers (centred at 4)",
                      confidence)


def barrier_slope(result: LogitResult, satisfaction):
    """Log-odds effect of one more point of barriers at a given satisfaction (1-7).

    = b_barriers + b_interaction * (satisfaction - 4). Vectorised.

    Examples
    --------
    >>> fit = fit_barrier_model(simulate_barrier_survey(500, np.random.default_rng(1)))
    >>> bool(barrier_slope(fit, 2) > barrier_slope(fit, 6))
    True
    """
    if not isinstance(result, LogitResult) or "satisfaction:barriers" not in result.params:
        raise TypeError("result must be the LogitResult of fit_barrier_model")
    s = v.in_range("satisfaction", satisfaction, 1, 7)
    return _out(result.params["barriers"] + result.params["satisfaction:barriers"] * (np.asarray(s) - 4))


def _as_bool(name, series) -> np.ndarray:
    arr = pd.Series(series)
    if arr.isna().any():
        raise ValueError(f"{name} must not have missing values")
    if arr.dtype == bool:
        return arr.to_numpy()
    if arr.dtype.kind in "iuf":
        bad = ~arr.isin([0, 1])
        if bad.any():
            raise ValueError(f"{name} must be True/False or 0/1; got {arr[bad].iloc[0]!r}")
        return arr.to_numpy().astype(bool)
    mapped = arr.astype(str).map({"Yes": True, "No": False, "True": True, "False": False})
    if mapped.isna().any():
        raise ValueError(f"{name} must be True/False, 0/1 or Yes/No; got {arr[mapped.isna()].iloc[0]!r}")
    return mapped.to_numpy().astype(bool)


# ---------------------------------------------------------------------------------------------
# 6  Churn on the IBM telco data
# ---------------------------------------------------------------------------------------------
def wilson_interval(successes, trials, confidence=0.95):
    """Wilson score interval for a binomial proportion. Vectorised.

    Parameters
    ----------
    successes : int or array_like
        Counts, 0 <= successes <= trials.
    trials : int or array_like
        Counts, >= 1.
    confidence : float, default 0.95

    Returns
    -------
    (low, high) : tuple of float or numpy.ndarray

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209-212. Agresti, A. & Coull, B. A. (1998). Approximate is
    better than "exact" for interval estimation of binomial proportions. *The American
    Statistician* 52(2), 119-126.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(1655, 3875)]
    [0.4116, 0.4427]
    """
    from scipy.stats import norm

    k = v.integer("successes", successes, minimum=0)
    n = v.integer("trials", trials, minimum=1)
    if np.any(np.asarray(k) > np.asarray(n)):
        raise ValueError(f"successes must not exceed trials; got successes={successes!r}, trials={trials!r}")
    conf = v.in_range("confidence", confidence, 0, 1, low_open=True, high_open=True)
    z = norm.ppf(0.5 + conf / 2)
    p = np.asarray(k) / np.asarray(n)
    n = np.asarray(n, dtype=float)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return _out(centre - half), _out(centre + half)


_CONTRACTS = ("Month-to-month", "One year", "Two year")


def _check_contract(frame, column="contract") -> pd.Series:
    s = frame[column]
    bad = ~s.isin(_CONTRACTS) | s.isna()
    if bad.any():
        raise ValueError(f"frame['{column}'] must hold only {list(_CONTRACTS)}; "
                         f"got {s[bad].iloc[0]!r} at row {s.index[bad][0]!r}")
    return pd.Series(pd.Categorical(s.astype(str), categories=list(_CONTRACTS), ordered=True), index=s.index)


def churn_by_contract(frame: pd.DataFrame, *, confidence=0.95) -> pd.DataFrame:
    """Churn share by contract type with Wilson confidence intervals.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``contract`` (Month-to-month / One year / Two year) and ``churn``
        (bool, 0/1 or Yes/No), e.g. :func:`crmlib.datasets.load_telco_churn`.
    confidence : float, default 0.95

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
    contract = _check_contract(frame)
    churn = _as_bool("frame['churn']", frame["churn"])
    g = pd.DataFrame({"contract": contract, "churn": churn}).groupby("contract", observed=False)["churn"]
    out = pd.DataFrame({"customers": g.size().astype("int64"), "churned": g.sum().astype("int64")})
    out = out[out["customers"] > 0]
    out["churn_rate"] = out["churned"] / out["customers"]
    lo, hi = wilson_interval(out["churned"].to_numpy(), out["customers"].to_numpy(), confidence)
    out["ci_low"], out["ci_high"] = np.atleast_1d(lo), np.atleast_1d(hi)
    out.index = pd.Index([str(i) for i in out.index], name="contract")
    return out


_ADDONS = ("online_security", "online_backup", "device_protection", "tech_support",
           "streaming_tv", "streaming_movies")
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
    """
    v.columns("frame", frame, _LOGIT_COLUMNS)
    contract = _check_contract(frame)
    y = pd.Series(_as_bool("frame['churn']", frame["churn"]).astype(float), index=frame.index, name="churn")
    tenure = v.non_negative("frame['tenure']", frame["tenure"].to_numpy(dtype=float), unit="months")
    charges = v.non_negative("frame['monthly_charges']", frame["monthly_charges"].to_numpy(dtype=float),
                             unit="US$ per month")
    internet = frame["internet_service"].astype(str)
    bad = ~internet.isin(["DSL", "Fiber optic", "No"])
    if bad.any():
        raise ValueError(f"frame['internet_service'] must hold only ['DSL', 'Fiber optic', 'No']; "
                         f"got {internet[bad].iloc[0]!r}")
    addons = sum((frame[c].astype(str) == "Yes").astype(float) for c in _ADDONS)
    X = pd.DataFrame({
        "const": 1.0,
        "one_year": (contract == "One year").astype(float),
        "two_year": (contract == "Two year").astype(float),
        "tenure_years": tenure / 12.0,
        "monthly_charges_10": charges / 10.0,
        "fiber_optic": (internet == "Fiber optic").astype(float),
        "no_internet": (internet == "No").astype(float),
        "add_on_services": addons,
    }, index=frame.index)
    return y, X


def fit_churn_logit(frame: pd.DataFrame, *, confidence=0.95) -> LogitResult:
    """Logistic regression of churn on contract, tenure, charges and services (statsmodels).

    See :func:`churn_design_matrix` for the regressors. Odds ratios are per unit of each
    regressor: per contract type vs month-to-month, per year of tenure, per 10 US$ of
    monthly charges, per add-on service. A cross-section: associations, not causal effects.

    Parameters
    ----------
    frame : pandas.DataFrame
        The telco data (:func:`crmlib.datasets.load_telco_churn`) or any frame with its columns.
    confidence : float, default 0.95

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
    >>> fit.nobs, bool(fit.params["two_year"] < fit.params["one_year"] < 0)
    (7043, True)
    """
    confidence = v.in_range("confidence", confidence, 0, 1, low_open=True, high_open=True)
    y, X = churn_design_matrix(frame)
    return _fit_logit(y, X, "churn ~ contract + tenure + charges + services", confidence,
                      notes="reference categories: month-to-month contract, DSL internet")


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
        Probabilities in (0, 1), indexed like ``frame``.

    Examples
    --------
    >>> from crmlib import datasets
    >>> telco = datasets.load_telco_churn()
    >>> risk = churn_risk(fit_churn_logit(telco), telco)
    >>> round(float(risk.mean()), 4) == round(float(telco["churn"].mean()), 4)
    True
    """
    from scipy.special import expit

    if not isinstance(result, LogitResult):
        raise TypeError(f"result must be a LogitResult from fit_churn_logit; got {type(result).__name__}")
    _, X = churn_design_matrix(frame)
    if list(result.params.index) != list(X.columns):
        raise ValueError(f"result must come from fit_churn_logit (terms {list(X.columns)}); "
                         f"got terms {list(result.params.index)}")
    return pd.Series(expit(X.to_numpy() @ result.params.to_numpy()), index=frame.index, name="churn_risk")


@dataclass(frozen=True, eq=False)
class KaplanMeierResult:
    """Kaplan-Meier estimate with Greenwood standard errors (immutable).

    ``table`` has one row per distinct time (plus time 0): ``time``, ``at_risk``, ``events``,
    ``censored``, ``survival``, ``std_error`` (Greenwood), ``ci_low``, ``ci_high``.
    """

    label: str
    table: pd.DataFrame
    confidence: float
    conf_type: str

    @property
    def n(self) -> int:
        return int(self.table["events"].sum() + self.table["censored"].sum())

    @property
    def events(self) -> int:
        return int(self.table["events"].sum())

    def survival_at(self, times):
        """S(t) as a right-continuous step function (1 before the first event). Vectorised."""
        t = v.non_negative("times", times)
        idx = np.searchsorted(self.table["time"].to_numpy(), np.asarray(t), side="right") - 1
        s = np.concatenate([[1.0], self.table["survival"].to_numpy()])[idx + 1]
        return _out(s)

    @property
    def median(self) -> float:
        """Smallest time with S(t) <= 0.5 (inf if the curve never gets there)."""
        below = self.table[self.table["survival"] <= 0.5]
        return float(below["time"].iloc[0]) if len(below) else math.inf

    def __repr__(self) -> str:
        t = self.table
        last = t.iloc[-1]
        return (f"KaplanMeierResult({self.label}: n={self.n}, events={self.events}, "
                f"S({last['time']:g})={last['survival']:.4f}, median={self.median:g}, "
                f"{self.confidence:.0%} CI {self.conf_type})")


def kaplan_meier(durations, events, *, confidence=0.95, conf_type="log-log", label="KM") -> KaplanMeierResult:
    """Kaplan-Meier (product-limit) survival curve with Greenwood variance.

    S(t) = prod_{t_i <= t} (1 - d_i / n_i), Var S(t) = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i)).

    Parameters
    ----------
    durations : array_like
        Time to event or censoring (>= 0, finite), e.g. months of tenure.
    events : array_like
        True (or 1) where the event (churn) was observed, False (0) when censored.
    confidence : float, default 0.95
    conf_type : {"log-log", "log", "plain"}, default "log-log"
        Pointwise interval: on log(-log S) (Kalbfleisch & Prentice; Stata's and lifelines'
        default), on log S (R survfit's default), or on S itself (clipped to [0, 1]).
    label : str

    Returns
    -------
    KaplanMeierResult

    Raises
    ------
    ValueError
        Negative or non-finite durations, events not boolean/0-1, unequal lengths.

    References
    ----------
    Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
    *JASA* 53(282), 457-481. Greenwood, M. (1926). The natural duration of cancer. *Reports on
    Public Health and Medical Subjects* 33. Kleinbaum, D. G. & Klein, M. (2012). *Survival
    Analysis: A Self-Learning Text*, 3rd ed., Springer, ch. 2.

    Examples
    --------
    The 6-MP arm of the Freireich et al. (1963) leukaemia remission trial (weeks; Kleinbaum & Klein):

    >>> t = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    >>> e = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    >>> km = kaplan_meier(t, e)
    >>> [round(float(s), 4) for s in km.survival_at([6, 7, 10, 13, 16, 22, 23])]
    [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482]
    """
    d = np.atleast_1d(v.non_negative("durations", durations))
    e = _as_bool("events", pd.Series(np.atleast_1d(np.asarray(events))))
    v.same_length(durations=d, events=e)
    v.one_of("conf_type", conf_type, ["log-log", "log", "plain"])
    confidence = v.in_range("confidence", confidence, 0, 1, low_open=True, high_open=True)
    from scipy.stats import norm

    times, inverse = np.unique(d, return_inverse=True)
    n_events = np.bincount(inverse, weights=e.astype(float), minlength=len(times))
    n_total = np.bincount(inverse, minlength=len(times)).astype(float)
    at_risk = len(d) - np.concatenate([[0.0], np.cumsum(n_total)[:-1]])
    if times[0] > 0:
        times = np.concatenate([[0.0], times])
        n_events = np.concatenate([[0.0], n_events])
        n_total = np.concatenate([[0.0], n_total])
        at_risk = np.concatenate([[float(len(d))], at_risk])
    surv = np.cumprod(1 - n_events / at_risk)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(n_events > 0, n_events / (at_risk * (at_risk - n_events)), 0.0)
        gw = np.cumsum(term)      # sum d/(n(n-d)); inf once S hits 0
        se = np.where(surv > 0, surv * np.sqrt(gw), 0.0)
        z = norm.ppf(0.5 + confidence / 2)
        if conf_type == "log-log":
            log_s = np.log(surv)
            theta_se = np.sqrt(gw) / np.abs(log_s)
            lo = surv ** np.exp(z * theta_se)
            hi = surv ** np.exp(-z * theta_se)
        elif conf_type == "log":
            lo = surv * np.exp(-z * np.sqrt(gw))
            hi = np.minimum(1.0, surv * np.exp(z * np.sqrt(gw)))
        else:
            lo = np.clip(surv - z * se, 0, 1)
            hi = np.clip(surv + z * se, 0, 1)
    one = surv >= 1.0
    zero = surv <= 0.0
    lo, hi = np.where(one, 1.0, lo), np.where(one, 1.0, hi)
    lo, hi = np.where(zero, 0.0, lo), np.where(zero, 0.0, hi)
    table = pd.DataFrame({"time": times, "at_risk": at_risk.astype(np.int64),
                          "events": n_events.astype(np.int64),
                          "censored": (n_total - n_events).astype(np.int64), "survival": surv,
                          "std_error": se, "ci_low": lo, "ci_high": hi})
    return KaplanMeierResult(label=str(label), table=table, confidence=confidence, conf_type=conf_type)


def retention_curves(frame: pd.DataFrame, *, by="contract", confidence=0.95) -> dict[str, KaplanMeierResult]:
    """Kaplan-Meier retention curves of the telco customers: tenure (months) until churn, by group.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``tenure`` (months), ``churn`` and the ``by`` column.
    by : str, default "contract"
        Grouping column; contract values are checked against the three known types.

    Returns
    -------
    dict
        Group label -> :class:`KaplanMeierResult`, in the category order.

    Examples
    --------
    >>> from crmlib import datasets
    >>> curves = retention_curves(datasets.load_telco_churn())
    >>> list(curves)
    ['Month-to-month', 'One year', 'Two year']
    """
    if not isinstance(by, str):
        raise TypeError(f"by must be a column name (str); got {by!r}")
    v.columns("frame", frame, ["tenure", "churn", by])
    groups = _check_contract(frame, by) if by == "contract" else frame[by]
    out = {}
    for key in (groups.cat.categories if hasattr(groups, "cat") else sorted(groups.dropna().unique())):
        mask = (groups == key).to_numpy()
        if mask.any():
            out[str(key)] = kaplan_meier(frame.loc[mask, "tenure"].to_numpy(dtype=float),
                                         frame.loc[mask, "churn"], confidence=confidence, label=str(key))
    return out


def retention_table(curves: dict, at=(12, 24, 36, 48, 60, 72)) -> pd.DataFrame:
    """Retention S(t) of each curve at the given times (rows: group, columns: months).

    Examples
    --------
    >>> from crmlib import datasets
    >>> retention_table(retention_curves(datasets.load_telco_churn()), at=[12]).round(3)[12].tolist()
    [0.703, 0.991, 1.0]
    """
    if not isinstance(curves, dict) or not all(isinstance(c, KaplanMeierResult) for c in curves.values()):
        raise TypeError("curves must be a dict of KaplanMeierResult, e.g. from retention_curves()")
    at = np.atleast_1d(v.non_negative("at", at))
    cols = [int(t) if float(t).is_integer() else float(t) for t in at]
    return pd.DataFrame({c: [km.survival_at(float(c)) for km in curves.values()] for c in cols},
                        index=pd.Index(list(curves), name="group"))


@dataclass(frozen=True)
class LogrankResult:
    """Log-rank (Mantel-Haenszel) test that survival curves are equal."""

    statistic: float
    df: int
    p_value: float
    observed: tuple
    expected: tuple

    def __repr__(self) -> str:
        p = f"p={self.p_value:.3g}" if self.p_value >= 1e-16 else "p<1e-16"
        return f"LogrankResult(chi2={self.statistic:.2f}, df={self.df}, {p})"


def logrank_test(durations, events, groups) -> LogrankResult:
    """Log-rank test of equal survival across k >= 2 groups (chi-square with k - 1 df).

    Parameters
    ----------
    durations, events : array_like
        As in :func:`kaplan_meier`.
    groups : array_like
        Group label of each subject.

    Returns
    -------
    LogrankResult
        Chi-square statistic, degrees of freedom, p-value, and observed / expected events per
        group (in sorted group order).

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising
    in its consideration. *Cancer Chemotherapy Reports* 50(3), 163-170. Collett, D. (2015).
    *Modelling Survival Data in Medical Research*, 3rd ed., CRC Press, section 2.6.

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], ["a", "b", "a", "b", "a", "b"])
    >>> r.df
    1
    """
    from scipy.stats import chi2

    d = np.atleast_1d(v.non_negative("durations", durations))
    e = _as_bool("events", pd.Series(np.atleast_1d(np.asarray(events))))
    g = np.atleast_1d(np.asarray(groups))
    v.same_length(durations=d, events=e, groups=g)
    labels, gi = np.unique(g.astype(str), return_inverse=True)
    k = len(labels)
    if k < 2:
        raise ValueError(f"groups must contain at least 2 different groups; got {list(labels)}")
    times = np.unique(d[e])
    O = np.zeros(k)
    E = np.zeros(k)
    V = np.zeros((k, k))
    for t in times:
        risk = d >= t
        n_g = np.bincount(gi[risk], minlength=k).astype(float)
        d_g = np.bincount(gi[(d == t) & e], minlength=k).astype(float)
        n, dd = n_g.sum(), d_g.sum()
        O += d_g
        E += dd * n_g / n
        if n > 1:
            V += dd * (n - dd) / (n - 1) * (np.diag(n_g / n) - np.outer(n_g, n_g) / n ** 2)
    diff = (O - E)[:-1]
    stat = float(diff @ np.linalg.solve(V[:-1, :-1], diff))
    return LogrankResult(stat, k - 1, float(chi2.sf(stat, k - 1)), tuple(O.round(6)), tuple(E.round(6)))


# ---------------------------------------------------------------------------------------------
# 7  Figures
# ---------------------------------------------------------------------------------------------
def _axis(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax


def plot_substitute_value(current: CurrentRelationship | None = None,
                          substitute: SubstituteOffer | None = None, ax=None):
    """Waterfall of SV = Q(U-P) - O - M - S (+ B) against the current value CV (yuan per year).

    Returns the axis.
    """
    from crmlib.plotting import PALETTE

    dec = decide(current, substitute)
    s = SubstituteOffer() if substitute is None else substitute
    ax = _axis(ax)
    steps = [("Q(U−P)\n消费者剩余", s.quantity * (s.utility - s.price)), ("−O\n其他成本", -s.other_costs),
             ("−M\n维持成本", -s.maintenance_cost), ("−S\n转移成本", -s.switching_cost)]
    if s.promotion:
        steps.append(("+B\n利益", s.promotion))
    level = 0.0
    for i, (name, delta) in enumerate(steps):
        ax.bar(i, delta, bottom=level if delta >= 0 else level + delta, color=PALETTE[0] if delta >= 0 else PALETTE[1],
               width=0.6)
        level += delta
    n = len(steps)
    ax.bar(n, dec.substitute_value, color=PALETTE[2], width=0.6)
    ax.axhline(dec.current_value, color="black", ls="--", lw=1.2, label=f"current value CV = {dec.current_value:.0f}")
    ax.set_xticks(range(n + 1), [name for name, _ in steps] + ["SV\n替代价值"])
    ax.set_ylabel("value (yuan per year)")
    ax.set_title(f"SV = {dec.substitute_value:.0f} vs CV = {dec.current_value:.0f}: {dec.decision}")
    ax.legend(loc="upper right")
    return ax


def plot_tornado(table: pd.DataFrame, ax=None):
    """Horizontal tornado bars of the value gap SV - CV from :func:`tornado`. Returns the axis."""
    from crmlib.plotting import PALETTE

    v.columns("table", table, ["gap_at_low", "gap_at_high", "base_gap"])
    ax = _axis(ax)
    t = table.iloc[::-1]
    y = np.arange(len(t))
    base = float(t["base_gap"].iloc[0])
    ax.barh(y, t["gap_at_low"] - base, left=base, color=PALETTE[1], label="term at −swing")
    ax.barh(y, t["gap_at_high"] - base, left=base, color=PALETTE[0], label="term at +swing")
    ax.axvline(base, color="black", lw=1, label=f"base gap {base:g}")
    ax.axvline(0, color="grey", lw=1, ls="--", label="switch threshold")
    ax.set_yticks(y, list(t.index))
    ax.set_xlabel("value gap SV − CV (yuan per year; > 0 = switch)")
    ax.legend(loc="lower right")
    return ax


def plot_churn_curve(scenario: ChurnScenario | None = None, ax=None, gap_range=(-300, 300)):
    """Switch probability against the value gap, for identical customers and for the population.

    Returns the axis.
    """
    sc = ChurnScenario() if scenario is None else scenario
    if not isinstance(sc, ChurnScenario):
        raise TypeError(f"scenario must be a ChurnScenario; got {type(sc).__name__}")
    ax = _axis(ax)
    gaps = np.linspace(*gap_range, 241)
    ax.plot(gaps, switch_probability(gaps, sc.scale, sc.barrier), label="one customer (logit)")
    ax.plot(gaps, expected_churn_rate(gaps, sc.gap_sd, sc.scale, sc.barrier), ls="--",
            label=f"population, gap sd {sc.gap_sd:g}")
    ax.plot([sc.value_gap], [sc.churn_rate], "o", color="black",
            label=f"mean gap {sc.value_gap:g}: churn {sc.churn_rate:.1%}")
    ax.axvline(sc.barrier, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("value gap SV − CV (yuan per year)")
    ax.set_ylabel("probability of switching")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    return ax


def plot_barrier_interaction(result: LogitResult, ax=None, barriers=(2.0, 4.0, 6.0)):
    """Predicted probability of staying against satisfaction, one line per barrier level."""
    from scipy.special import expit

    barrier_slope(result, 4)  # type check
    ax = _axis(ax)
    s = np.linspace(1, 7, 61)
    p = result.params
    for b in barriers:
        b = v.in_range("barriers", b, 1, 7)
        eta = p["const"] + p["satisfaction"] * (s - 4) + p["barriers"] * (b - 4) + p["satisfaction:barriers"] * (s - 4) * (b - 4)
        ax.plot(s, expit(eta), label=f"barriers = {b:g}")
    ax.set_xlabel("satisfaction (1-7 scale)")
    ax.set_ylabel("P(stay)")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right")
    return ax


def plot_churn_by_contract(table: pd.DataFrame, ax=None):
    """Bar chart of churn share by contract with the interval as error bars (from :func:`churn_by_contract`)."""
    from crmlib.plotting import PALETTE

    v.columns("table", table, ["churn_rate", "ci_low", "ci_high"])
    ax = _axis(ax)
    x = np.arange(len(table))
    r = table["churn_rate"].to_numpy()
    err = np.vstack([r - table["ci_low"].to_numpy(), table["ci_high"].to_numpy() - r]) * 100
    ax.bar(x, r * 100, yerr=err, capsize=6, color=PALETTE[:len(table)])
    for xi, ri in zip(x, r):
        ax.text(xi, ri * 100 + 2, f"{ri:.1%}", ha="center")
    ax.set_xticks(x, list(table.index))
    ax.set_ylabel("churned in the last month (% of customers)")
    ax.set_xlabel("contract type")
    return ax


def plot_retention_curves(curves: dict, ax=None):
    """Kaplan-Meier retention curves with pointwise intervals (months of tenure)."""
    from crmlib.plotting import PALETTE

    retention_table(curves, at=[0])  # type check
    ax = _axis(ax)
    for (name, km), colour in zip(curves.items(), PALETTE):
        t = km.table
        ax.step(t["time"], t["survival"], where="post", color=colour, label=name)
        ax.fill_between(t["time"], t["ci_low"], t["ci_high"], step="post", color=colour, alpha=0.2, lw=0)
    ax.set_xlabel("tenure (months)")
    ax.set_ylabel("share still a customer S(t)")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", title="contract")
    return ax
