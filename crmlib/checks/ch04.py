"""Chapter 4 (switching cost and substitute value): the registry of ``exercises/04_switching_cost_substitute_value.ipynb``.

Every reference is computed with :mod:`crmlib.switching`, :mod:`crmlib.churn`, :mod:`crmlib.value`
and :mod:`crmlib.stats` from the inputs the prompts give (the value records of the ride-hailing
customer and of the trade-fair exhibitor, the Meituan welcome offer at the assumed base fare, the
telco data); the slips compute what a student who made that mistake would get from the same
inputs. See :mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import numpy as np

from .. import churn, datasets, stats, switching, value
from ..i18n import N_
from .registry import Exercise, Slip

# The ride-hailing customer of Exercises 4.2 and 4.3 (the records `current` and `rival` of the notebook).
RIDES = {
    "current": switching.CurrentRelationship(quantity=100, utility=30, price=26, other_costs=0, maintenance_cost=40),
    "rival": switching.SubstituteOffer(
        quantity=100, utility=31, price=26, other_costs=30, maintenance_cost=40, switching_cost=120
    ),
}
# Exercise 4.3: the slides' Meituan offer at the assumed base fare of 10 yuan, to an express rider.
MEITUAN = {**RIDES, "offer": switching.WelcomeOffer(base_fare=10), "services": "express"}
# Exercise 4.7: the machinery maker at our fair and the rival fair (thousand yuan a year).
FAIR = {
    "ours": switching.CurrentRelationship(quantity=1, utility=500, price=300, other_costs=0, maintenance_cost=10),
    "theirs": switching.SubstituteOffer(
        quantity=1, utility=450, price=210, other_costs=20, maintenance_cost=10, switching_cost=50
    ),
}
# Exercise 4.8: the telecom's retention offer (USD, monthly rates).
OFFER = {
    "margin": 30.0,
    "retention_rate": 0.97,
    "discount_rate": 0.01,
    "months": 24,
    "offer_cost": 40.0,
    "success_rate": 0.25,
    "probability": 0.5,
}


def _decision(g, **rival_changes) -> switching.SwitchDecision:
    """Stay or switch for the given records (the rival's terms changed by ``rival_changes``)."""
    return switching.decide(g.current, replace(g.rival, **rival_changes) if rival_changes else g.rival)


def _coupons(g, services=None) -> list[float]:
    """The amounts of the coupons the rider can use on ``services`` (default: hers)."""
    return [c.amount for c in g.offer.usable_coupons(g.services if services is None else services)]


def _gap(g) -> float:
    """SV - CV before the welcome offer (negative: she stays)."""
    return _decision(g).value_gap


@cache
def _telco() -> dict:
    telco = datasets.load_telco_churn()
    return {"telco": telco, "table": switching.churn_by_contract(telco)}


@cache
def _retention() -> dict:
    telco = datasets.load_telco_churn()
    return {"telco": telco, "curves": switching.retention_curves(telco), "contract": "Month-to-month", "months": 12}


@cache
def _rmst() -> dict:
    curves = switching.retention_curves(datasets.load_telco_churn())
    return {"curve": curves["Month-to-month"], "tau": 12}


def _retained(g, months=None) -> float:
    """Kaplan-Meier retention S(t) of the month-to-month customers after ``months`` (default: the given)."""
    t = g.months if months is None else months
    return float(switching.retention_table(g.curves, at=[t]).loc[g.contract, t])


def _keep_value(g, **changes) -> float:
    """V: her retention-based value over the horizon (4.8a), with some inputs changed."""
    h = g.replace(**changes) if changes else g
    return value.clv_from_retention(h.margin, h.retention_rate, h.discount_rate, periods=h.months)


def _by_hand(margin, retention_rate, discount_rate, periods) -> float:
    """sum of m r^t / (1 + d)^t over the given t: what a hand-written loop computes (any inputs)."""
    t = np.asarray(list(periods), dtype=float)
    return float(np.sum(margin * retention_rate**t / (1 + discount_rate) ** t))


def _steps(g, months) -> float:
    """Sum of the curve's heights S(k) at the given months (steps of one month)."""
    return float(np.sum(g.curve.survival_at(np.asarray(list(months), dtype=float))))


_PER_RIDE = N_("that is a value per ride; the exercise asks for the year: Q = 100 rides (yuan per year).")
_EXPRESS = N_("the 10-yuan coupon is valid on premium rides only, and she rides express.")
_SUCCESS = N_("the success rate of 25% enters the formula as s = 0.25, not as 25.")
_UNLIMITED = N_("that values her over an unlimited horizon; V is her value over the next 24 months (4.8a).")

EXERCISES = [
    # ------------------------------------------------------------------ 4.1 SV by hand
    Exercise(
        "4.1",
        "function",
        variable="sv_by_hand",
        unit=N_("yuan per year"),
        reference=lambda q, u, p, o, m, s: switching.substitute_value(q, u, p, o, m, s),
        cases=[(100, 31, 26, 30, 40, 120), (12, 500, 420, 0, 25, 300), (1, 450, 210, 20, 10, 50)],
        slips=[
            Slip(
                "sign",
                N_("the switching cost S is added: it is a cost of moving to the rival, so subtract it like O and M."),
                lambda q, u, p, o, m, s: q * (u - p) - o - m + s,
            ),
            Slip(
                "sign",
                N_("the surplus per unit is U - P (what a unit is worth minus what it costs), not P - U."),
                lambda q, u, p, o, m, s: q * (p - u) - o - m - s,
            ),
            Slip(
                "other",
                N_(
                    "the switching cost S is missing: that is the value of a relationship the customer already has; "
                    "the substitute also costs S to move to."
                ),
                lambda q, u, p, o, m, s: q * (u - p) - o - m,
            ),
            Slip(
                "other",
                N_("Q multiplies the surplus of one unit, (U - P), not U alone: she pays the price on every unit."),
                lambda q, u, p, o, m, s: q * u - p - o - m - s,
            ),
        ],
        explanation=N_(
            "SV = Q (U - P) - O - M - S: the surplus of the Q units the customer plans to buy, minus the frictions "
            "O, M and S."
        ),
    ),
    # ------------------------------------------------------------------ 4.2 Stay or switch?
    Exercise(
        "4.2a",
        "number",
        variable="answer_4_2a",
        unit=N_("yuan per year"),
        given=RIDES,
        reference=lambda g: _decision(g).current_value,
        slips=[
            Slip(
                "other",
                N_(
                    "the upkeep M (40 yuan a year of membership) is missing: it is a cost of the current relationship too."
                ),
                lambda g: replace(g.current, maintenance_cost=0).value,
            ),
            Slip(
                "sign",
                N_("the upkeep M is added: it is a cost of keeping the relationship, so subtract it."),
                lambda g: g.current.value + 2 * g.current.maintenance_cost,
            ),
            Slip(
                "other",
                N_("that counts the whole utility U of each ride; she pays P for it, so CV counts the surplus U - P."),
                lambda g: replace(g.current, price=0).value,
            ),
            Slip("units", _PER_RIDE, lambda g: g.current.value / g.current.quantity),
        ],
        explanation=N_(
            "CV = Q (U - P) - O - M: the surplus of her rides with the current app minus its upkeep; "
            "she pays no switching cost to stay."
        ),
    ),
    Exercise(
        "4.2b",
        "number",
        variable="answer_4_2b",
        unit=N_("yuan per year"),
        given=RIDES,
        reference=lambda g: _decision(g).substitute_value,
        slips=[
            Slip(
                "sign",
                N_("the switching cost S is subtracted: it is a cost of moving to the rival."),
                lambda g: g.rival.value + 2 * g.rival.switching_cost,
            ),
            Slip(
                "other",
                N_("that is SV before the switching cost: subtract S (new account, payment set-up, lost points) too."),
                lambda g: replace(g.rival, switching_cost=0).value,
            ),
            Slip(
                "other",
                N_("that uses the current app's utility per ride; the rival is expected to be a little better."),
                lambda g: replace(g.rival, utility=g.current.utility).value,
            ),
            Slip("units", _PER_RIDE, lambda g: g.rival.value / g.rival.quantity),
        ],
        explanation=N_(
            "SV = Q (U - P) - O - M - S: the rival's larger surplus per ride is eaten up by its other costs, its upkeep "
            "and the switching cost."
        ),
    ),
    Exercise(
        "4.2c",
        "number",
        variable="answer_4_2c",
        unit=N_("yuan"),
        given=RIDES,
        reference=lambda g: _decision(g).break_even_switching_cost,
        slips=[
            Slip(
                "other",
                N_(
                    "that is the value gap SV - CV at her current switching cost; S* is the switching cost at which "
                    "the gap closes: SV without S, minus CV."
                ),
                lambda g: _decision(g).value_gap,
            ),
            Slip(
                "other",
                N_(
                    "that is how far SV falls short of CV at the current S; S* is the switching cost that makes SV "
                    "equal CV, so take that shortfall off S."
                ),
                lambda g: -_decision(g).value_gap,
            ),
            Slip(
                "sign",
                N_(
                    "that is CV minus SV without S; S* is the other way round: SV without S, minus CV (positive "
                    "when the rival is better before switching costs)."
                ),
                lambda g: -_decision(g).break_even_switching_cost,
            ),
            Slip(
                "units",
                N_("that is a value per ride; S* is an amount in yuan, like S (compare it with the year's values)."),
                lambda g: _decision(g).break_even_switching_cost / g.rival.quantity,
            ),
        ],
        explanation=N_(
            "S* = Q (U - P) - O - M of the rival, minus CV: the largest switching cost at which she "
            "would still move. Her actual S is larger, so she stays although the rival is better."
        ),
    ),
    # ------------------------------------------------------------------ 4.3 Free rides and price cuts
    Exercise(
        "4.3a",
        "number",
        variable="answer_4_3a",
        unit=N_("yuan"),
        given=MEITUAN,
        reference=lambda g: g.offer.value(g.services),
        slips=[
            Slip("other", _EXPRESS, lambda g: g.offer.value(["express", "premium"])),
            Slip(
                "other",
                N_("only the base fare of the first three rides is free, not the whole ride."),
                lambda g: g.offer.free_orders * g.rival.price + sum(_coupons(g)),
            ),
            Slip(
                "other",
                N_("the three free base fares are part of the benefit too, not only the coupons."),
                lambda g: switching.welcome_offer_value(0, _coupons(g), free_orders=g.offer.free_orders),
            ),
            Slip(
                "other",
                N_(
                    "the coupons she can use on express rides are part of the benefit too, not only the free base fares."
                ),
                lambda g: switching.welcome_offer_value(g.offer.base_fare, [], free_orders=g.offer.free_orders),
            ),
        ],
        explanation=N_(
            "B = n F + the coupons she can use: three free base fares and the two coupons valid on "
            "express rides (the premium-only coupon is worth nothing to her)."
        ),
    ),
    Exercise(
        "4.3b",
        "label",
        variable="answer_4_3b",
        given=MEITUAN,
        allowed=("stay", "switch"),
        reference=lambda g: _decision(g, promotion=g.offer.value(g.services)).decision,
        explanation=N_(
            "The offer's benefit B is added to SV; she switches only if SV + B exceeds CV (a tie keeps "
            "her). Here the offer falls just short, at the assumed base fare."
        ),
    ),
    Exercise(
        "4.3c",
        "number",
        variable="answer_4_3c",
        unit=N_("yuan per ride"),
        given=MEITUAN,
        reference=lambda g: g.offer.break_even_base_fare(_gap(g), g.services),
        slips=[
            Slip(
                "other",
                N_("the coupons already cover part of the gap: subtract them before dividing by the three free rides."),
                lambda g: -_gap(g) / g.offer.free_orders,
            ),
            Slip(
                "other",
                N_("the rest of the gap is shared by three free base fares: divide it by 3."),
                lambda g: -_gap(g) - sum(_coupons(g)),
            ),
            Slip(
                "sign",
                N_(
                    "the offer has to make up CV - SV, how far the rival is behind (a positive amount); SV - CV is "
                    "negative here."
                ),
                lambda g: g.offer.break_even_base_fare(-_gap(g), g.services),
            ),
            Slip("other", _EXPRESS, lambda g: g.offer.break_even_base_fare(_gap(g), ["express", "premium"])),
            Slip(
                "other",
                N_(
                    "that is the first whole-yuan fare at which she switches; the question asks for the break-even "
                    "fare itself (at it the values tie and she stays; above it she switches)."
                ),
                lambda g: math.floor(g.offer.break_even_base_fare(_gap(g), g.services)) + 1,
            ),
        ],
        explanation=N_(
            "3 F + the usable coupons must exceed CV - SV: F* = (CV - SV - coupons) / 3. Our verdict in "
            "4.3b holds only for base fares below F*, so state the assumption and its range."
        ),
    ),
    Exercise(
        "4.3d",
        "number",
        variable="answer_4_3d",
        unit=N_("yuan per ride"),
        given=RIDES,
        reference=lambda g: _decision(g).price_cut_needed,
        slips=[
            Slip(
                "units",
                N_("that is the cut over the whole year; divide by the Q rides to get it per ride."),
                lambda g: g.rival.quantity * _decision(g).price_cut_needed,
            ),
            Slip(
                "units",
                N_("that is the cut as a fraction of the rival's price; the question asks for yuan per ride."),
                lambda g: _decision(g).price_cut_needed / g.rival.price,
            ),
            Slip(
                "ratio",
                N_(
                    "that is the ratio of the new price to the old one; the question asks for the cut itself, in "
                    "yuan per ride."
                ),
                lambda g: _decision(g).winning_price / g.rival.price,
            ),
            Slip(
                "other",
                N_(
                    "that is the price the rival must go below (its price minus the cut); the question asks for the cut."
                ),
                lambda g: _decision(g).winning_price,
            ),
            Slip(
                "other",
                N_(
                    "that leaves the switching cost S out of SV: without S the rival would win already; with it, it "
                    "must still cut its price."
                ),
                lambda g: _decision(g, switching_cost=0).price_cut_needed,
            ),
            Slip(
                "sign",
                N_("a price cut is a positive amount: (CV - SV) / Q, not (SV - CV) / Q."),
                lambda g: -_decision(g).price_cut_needed,
            ),
        ],
        explanation=N_(
            "A cut of c yuan per ride raises SV by Q c, so the smallest cut is (CV - SV) / Q. A welcome "
            "offer buys the switch once; a price cut pays every year."
        ),
    ),
    # ------------------------------------------------------------------ 4.4 Churn by contract
    Exercise(
        "4.4",
        "array",
        variable="answer_4_4",
        unit=N_("fraction of customers"),
        given=_telco,
        reference=lambda g: g.table["churn_rate"],
        slips=[
            Slip(
                "percent",
                N_("those are percentages; the exercise asks for fractions (0.25 for 25%)."),
                lambda g: 100 * g.table["churn_rate"].to_numpy(),
            ),
            Slip(
                "percent",
                N_(
                    "100 times too small: the mean of a True/False column is already a fraction; do not divide it by 100."
                ),
                lambda g: g.table["churn_rate"].to_numpy() / 100,
            ),
            Slip(
                "complement",
                N_(
                    "those are the shares who stayed (retention); the exercise asks for the churn rate, the share "
                    "who left."
                ),
                lambda g: 1 - g.table["churn_rate"].to_numpy(),
            ),
            Slip(
                "units",
                N_("those are numbers of churners; divide by the customers of each contract type to get a rate."),
                lambda g: g.table["churned"].to_numpy(dtype=float),
            ),
            Slip(
                "other",
                N_(
                    "that is each contract type's share of all churners; the churn rate divides by the customers of "
                    "that contract type."
                ),
                lambda g: g.table["churned"].to_numpy() / g.table["churned"].sum(),
            ),
            Slip(
                "other",
                N_("that divides by all customers; divide each contract type's churners by its own customers."),
                lambda g: g.table["churned"].to_numpy() / g.table["customers"].sum(),
            ),
        ],
        explanation=N_(
            "The churn rate of a group is its churners over its customers: the mean of the True/False "
            "column within each contract type."
        ),
    ),
    # ------------------------------------------------------------------ 4.5 What does the contract gap mean?
    Exercise(
        "4.5",
        "choice",
        variable="answer_4_5",
        given=_telco,
        reference=lambda g: (
            "c" if g.table.loc["Month-to-month", "ci_low"] < g.table.loc["Two year", "ci_high"] else "b"
        ),
        options={
            "a": N_("Yes: the table shows that two-year contracts cut churn to about 3%."),
            "b": N_(
                "Not necessarily: the table compares different customers; those who choose long contracts "
                "may differ (needs, tenure, satisfaction), so the gap is not the causal effect of the contract."
            ),
            "c": N_("No: the gap between the contract types is within sampling noise."),
        },
        explanations={
            "a": N_("a cross-section shows an association; who chooses a long contract?"),
            "c": N_("compare the confidence intervals of the churn rates (churn_by_contract)."),
        },
        explanation=N_(
            "The churn rates' confidence intervals are far apart, so the gap is not noise; but customers "
            "choose their contracts, so the table shows an association, not what a forced contract would do."
        ),
    ),
    # ------------------------------------------------------------------ 4.6 A retention curve
    Exercise(
        "4.6",
        "number",
        variable="answer_4_6",
        unit=N_("fraction of customers"),
        low=0,
        high=1,
        given=_retention,
        period="months",
        reference=_retained,
        slips=[
            Slip(
                "other",
                N_(
                    "that is the share who stayed among all customers in the data, ignoring that recent customers "
                    "have not had 12 months yet (censoring)."
                ),
                lambda g: 1 - float(g.telco.loc[g.telco["contract"] == g.contract, "churn"].mean()),
            ),
            Slip(
                "complement",
                N_(
                    "that is the share who have left by month 12 (1 - S(12)); the question asks for the share still there."
                ),
                lambda g: 1 - _retained(g),
            ),
            Slip(
                "percent",
                N_("that is a percentage; the exercise asks for a fraction between 0 and 1 (0.25 for 25%)."),
                lambda g: 100 * _retained(g),
            ),
            Slip(
                "units",
                N_("that is the retention after 1 month; tenure is counted in months, so a year is 12."),
                lambda g: _retained(g, 1),
            ),
            Slip(
                "other",
                N_("that is the curve of all customers; estimate it for the month-to-month customers only."),
                lambda g: float(switching.kaplan_meier(g.telco["tenure"], g.telco["churn"]).survival_at(g.months)),
            ),
        ],
        explanation=N_(
            "The Kaplan-Meier curve uses each customer only for the months she was observed: one who "
            "joined five months ago and is still there says nothing about month 12 (she is censored), instead of "
            "counting as a customer who stayed."
        ),
    ),
    # ------------------------------------------------------------------ 4.7 Open case: the rival fair
    Exercise(
        "4.7a",
        "number",
        variable="answer_4_7a",
        unit=N_("thousand yuan"),
        given=FAIR,
        reference=lambda g: switching.decide(g.ours, g.theirs).break_even_switching_cost,
        slips=[
            Slip(
                "other",
                N_(
                    "that is the value gap SV - CV at the actual switching cost; S* is the switching cost at which "
                    "SV equals CV: SV without S, minus CV."
                ),
                lambda g: switching.decide(g.ours, g.theirs).value_gap,
            ),
            Slip(
                "other",
                N_(
                    "that is how far SV falls short of CV at the actual S; S* is the switching cost that makes them "
                    "equal, so take that shortfall off S."
                ),
                lambda g: -switching.decide(g.ours, g.theirs).value_gap,
            ),
            Slip(
                "sign",
                N_(
                    "that is CV minus SV without S; S* is SV without S, minus CV (positive: the rival is better "
                    "before switching costs)."
                ),
                lambda g: -switching.decide(g.ours, g.theirs).break_even_switching_cost,
            ),
            Slip(
                "other",
                N_("the rival's other costs O (new logistics, risk) count against it too."),
                lambda g: switching.decide(g.ours, replace(g.theirs, other_costs=0)).break_even_switching_cost,
            ),
            Slip(
                "units",
                N_("that is in yuan; the exercise's amounts, and the answer, are in thousand yuan."),
                lambda g: 1000 * switching.decide(g.ours, g.theirs).break_even_switching_cost,
            ),
        ],
        explanation=N_(
            "S* = SV without S, minus CV. Moving costs the exhibitor more than S*, so it stays, but by a "
            "small margin: a slightly larger discount next year would tip it."
        ),
    ),
    Exercise(
        "4.7b",
        "written",
        variable="answer_4_7b",
        min_words=60,
        aspects=[
            N_("the decision: S > S*, so it stays, but the margin is small"),
            N_("actions that raise U or lower M/O (value): buyers, seminars, services, reports"),
            N_("actions that only raise S (contracts, penalties) and the hostage risk"),
            N_("the price gap and how to narrow it"),
            N_("how to evaluate: rebooking, booth area, leads, satisfaction of key contacts"),
        ],
        explanation=N_(
            "Good answers separate actions that raise the value of staying from lock-in that only "
            "raises S, and name indicators to watch."
        ),
    ),
    # ------------------------------------------------------------------ 4.8 Who gets the retention offer?
    Exercise(
        "4.8a",
        "number",
        variable="answer_4_8a",
        unit=N_("USD"),
        given=OFFER,
        period="months",
        reference=_keep_value,
        slips=[
            Slip(
                "other",
                N_("the margin is received for at most 24 months: give periods=24."),
                lambda g: value.clv_from_retention(g.margin, g.retention_rate, g.discount_rate),
            ),
            Slip(
                "off-by-one",
                N_(
                    "that counts a margin today as well (t = 0 ... 23); the margins arrive at the end of months 1 ... 24."
                ),
                lambda g: _by_hand(g.margin, g.retention_rate, g.discount_rate, range(g.months)),
            ),
            Slip(
                "percent",
                N_("the discount rate of 1% a month enters the formula as 0.01, not as 1."),
                lambda g: _by_hand(g.margin, g.retention_rate, 100 * g.discount_rate, range(1, g.months + 1)),
            ),
            Slip(
                "complement",
                N_("0.03 is the chance that she leaves each month (churn); weight month t by her retention 0.97^t."),
                lambda g: _keep_value(g, retention_rate=1 - g.retention_rate),
            ),
            Slip(
                "units",
                N_(
                    "that uses a yearly margin with monthly rates; everything in this exercise is per month: USD 30 "
                    "a month."
                ),
                lambda g: _keep_value(g, margin=12 * g.margin),
            ),
            Slip(
                "units",
                N_("that counts 2 periods; with monthly rates the horizon is counted in months: 24."),
                lambda g: _keep_value(g, months=g.months // 12),
            ),
            Slip(
                "other",
                N_("that assumes she stays for sure; weight month t by the chance 0.97^t that she is still there."),
                lambda g: _by_hand(g.margin, 1.0, g.discount_rate, range(1, g.months + 1)),
            ),
        ],
        explanation=N_(
            "V = sum over t = 1 ... 24 of m r^t / (1 + d)^t: the margins of the months she is expected "
            "to stay within the horizon, discounted (chapter 3's retention-based value)."
        ),
    ),
    Exercise(
        "4.8b",
        "number",
        variable="answer_4_8b",
        unit=N_("probability"),
        low=0,
        high=1,
        given=OFFER,
        reference=lambda g: churn.cost_threshold(g.offer_cost, _keep_value(g), success_rate=g.success_rate),
        slips=[
            Slip(
                "other",
                N_("the offer saves only a share s of the churners it reaches: divide by s V, not V."),
                lambda g: churn.cost_threshold(g.offer_cost, _keep_value(g)),
            ),
            Slip(
                "other",
                N_("the threshold is cost over saved value, c / (s V), not the other way round."),
                lambda g: g.success_rate * _keep_value(g) / g.offer_cost,
            ),
            Slip(
                "percent",
                _SUCCESS,
                lambda g: churn.cost_threshold(g.offer_cost, 100 * g.success_rate * _keep_value(g)),
            ),
            Slip(
                "percent",
                N_("that is a percentage; a probability is a fraction between 0 and 1 (0.25 for 25%)."),
                lambda g: 100 * churn.cost_threshold(g.offer_cost, _keep_value(g), success_rate=g.success_rate),
            ),
            Slip(
                "complement",
                N_(
                    "that is one minus the threshold; p* is the churn probability at which the expected gain "
                    "p s V - c is zero."
                ),
                lambda g: 1 - churn.cost_threshold(g.offer_cost, _keep_value(g), success_rate=g.success_rate),
            ),
            Slip(
                "other",
                _UNLIMITED,
                lambda g: churn.cost_threshold(
                    g.offer_cost,
                    value.clv_from_retention(g.margin, g.retention_rate, g.discount_rate),
                    success_rate=g.success_rate,
                ),
            ),
            Slip(
                "units",
                N_("that divides by one month's margin; V is her value over the next 24 months (4.8a)."),
                lambda g: churn.cost_threshold(g.offer_cost, g.margin, success_rate=g.success_rate),
            ),
        ],
        explanation=N_(
            "The offer pays when p s V - c > 0, i.e. above p* = c / (s V) (Elkan's cost-ratio "
            "threshold): a cheaper offer, a more effective one or a more valuable customer lowers it."
        ),
    ),
    Exercise(
        "4.8c",
        "number",
        variable="answer_4_8c",
        unit=N_("USD"),
        given=OFFER,
        reference=lambda g: churn.expected_offer_value(
            g.probability, _keep_value(g), offer_cost=g.offer_cost, success_rate=g.success_rate
        ),
        slips=[
            Slip(
                "other",
                N_("the offer costs c whether or not it keeps her: subtract it."),
                lambda g: g.probability * g.success_rate * _keep_value(g),
            ),
            Slip(
                "other",
                N_("the offer keeps only a share s of the customers who were about to leave: multiply by s."),
                lambda g: churn.expected_offer_value(g.probability, _keep_value(g), offer_cost=g.offer_cost),
            ),
            Slip(
                "sign",
                N_(
                    "that is the cost minus the expected saving; the net value is the expected saving p s V minus the "
                    "cost c."
                ),
                lambda g: (
                    -churn.expected_offer_value(
                        g.probability, _keep_value(g), offer_cost=g.offer_cost, success_rate=g.success_rate
                    )
                ),
            ),
            Slip(
                "percent",
                _SUCCESS,
                lambda g: g.probability * 100 * g.success_rate * _keep_value(g) - g.offer_cost,
            ),
            Slip(
                "other",
                _UNLIMITED,
                lambda g: churn.expected_offer_value(
                    g.probability,
                    value.clv_from_retention(g.margin, g.retention_rate, g.discount_rate),
                    offer_cost=g.offer_cost,
                    success_rate=g.success_rate,
                ),
            ),
        ],
        explanation=N_(
            "p s V - c: the expected value the offer saves minus what it costs; positive because 0.5 "
            "lies above the threshold p* of 4.8b."
        ),
    ),
    # ------------------------------------------------------------------ 4.9 RMST by hand
    Exercise(
        "4.9",
        "number",
        variable="answer_4_9",
        unit=N_("months"),
        low=0,
        high=12,
        given=_rmst,
        period="tau",
        reference=lambda g: stats.restricted_mean_survival(g.curve, g.tau).estimate,
        slips=[
            Slip(
                "off-by-one",
                N_("each step starts at the month it is named after: add S(0), ..., S(11), not S(1), ..., S(12)."),
                lambda g: _steps(g, range(1, g.tau + 1)),
            ),
            Slip(
                "units",
                N_(
                    "that is the average height of the curve (the area in years); the area adds each step's height "
                    "times its width of one month, so the answer is in months."
                ),
                lambda g: stats.restricted_mean_survival(g.curve, g.tau).estimate / 12,
            ),
            Slip(
                "complement",
                N_(
                    "that is the expected time lost before month 12 (12 minus the area); the question asks for the "
                    "months a customer stays."
                ),
                lambda g: g.tau - stats.restricted_mean_survival(g.curve, g.tau).estimate,
            ),
            Slip(
                "other",
                N_(
                    "the curve is a step function, constant between months: each step's height is S at its start, "
                    "not the average of both ends (a trapezoid)."
                ),
                lambda g: float(sum((g.curve.survival_at(k) + g.curve.survival_at(k + 1)) / 2 for k in range(g.tau))),
            ),
            Slip(
                "other",
                N_("that uses the height at month 12 for the whole year; add the height of each month's step."),
                lambda g: g.tau * float(g.curve.survival_at(g.tau)),
            ),
        ],
        explanation=N_(
            "RMST(12) = S(0) + S(1) + ... + S(11) for a curve that steps once a month: the expected "
            "months a month-to-month customer stays within her first year."
        ),
    ),
]
