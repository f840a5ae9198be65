"""Chapter 3 (customer lifetime value): the registry of ``exercises/03_customer_lifetime_value.ipynb``.

Every reference is computed with :mod:`crmlib.clv` and :mod:`crmlib.value` from the inputs the
prompts give; the slips compute what a student who made that mistake would get from the same
inputs. See :mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import clv, datasets
from ..i18n import N_, NP_
from ..value import retention_lift
from .registry import Exercise, Slip

# Mrs Smith at Jack's supermarket (Case C): Exercises 3.1, 3.2 and 3.6.
SMITH = {
    "weekly_spend": 50.0,
    "weeks_per_year": 52,
    "margin_share": 0.25,
    "retention_rate": 0.90,
    "discount_rate": 0.08,
}


def _margin(g, weekly_spend=None) -> float:
    """Jack's margin on Mrs Smith per year (USD)."""
    spend = g.weekly_spend if weekly_spend is None else weekly_spend
    return spend * g.weeks_per_year * g.margin_share


def _by_hand(margin, retention_rate, discount_rate, periods) -> float:
    """sum of m r^t / (1 + d)^t over the given t: what a hand-written loop computes (any inputs)."""
    t = np.asarray(list(periods), dtype=float)
    return float(np.sum(margin * retention_rate**t / (1 + discount_rate) ** t))


def _value(g, retention_rate=None) -> float:
    r = g.retention_rate if retention_rate is None else retention_rate
    return clv.clv_from_retention(_margin(g), r, g.discount_rate)


@cache
def _sbg() -> dict:
    survivors = (1000, 631, 468, 382, 326, 289, 262, 241)  # Fader & Hardie (2007), "regular" customers
    return {"survivors": survivors, "fit": clv.fit_sbg(list(survivors)), "years": 12}


@cache
def _cdnow() -> dict:
    rfm = clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    return {
        "fit": clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"]),
        "frequency": 2,
        "recency_a": 30,
        "recency_b": 5,
        "age": 39,
        "weeks": 52,
    }


_WEEKLY = N_("that is her margin per week; the exercise asks for a year of 52 weeks.")
_EIGHT = N_("the discount rate of 8% enters the formula as 0.08, not as 8.")
_SPENDING = N_("that values her spending, not Jack's margin: m is 25% of what she spends in a year.")

EXERCISES = [
    # ------------------------------------------------------------------ 3.1 What is Mrs Smith worth?
    Exercise(
        "3.1a",
        "number",
        variable="answer_3_1a",
        unit=N_("USD per year"),
        given=SMITH,
        reference=_margin,
        slips=[
            Slip(
                "other",
                N_("that is her spending, not Jack's margin: multiply by the 25% margin."),
                lambda g: g.weekly_spend * g.weeks_per_year,
            ),
            Slip("units", _WEEKLY, lambda g: g.weekly_spend * g.margin_share),
            Slip(
                "percent",
                N_("the 25% margin enters the formula as 0.25, not as 25."),
                lambda g: g.weekly_spend * g.weeks_per_year * g.margin_share * 100,
            ),
        ],
        explanation=N_("Jack's margin is what he keeps of her spending: weekly spend x 52 weeks x the margin share."),
    ),
    Exercise(
        "3.1b",
        "number",
        variable="answer_3_1b",
        unit=N_("USD"),
        given=SMITH,
        reference=_value,
        slips=[
            Slip(
                "other",
                N_(
                    "that counts a margin today as well (the 'start' timing); the chapter's convention "
                    "pays margins at the end of each year."
                ),
                lambda g: clv.clv_from_retention(_margin(g), g.retention_rate, g.discount_rate, timing="start"),
            ),
            Slip(
                "other",
                N_("that is the margin multiple without the margin: multiply by m."),
                lambda g: clv.margin_multiple(g.retention_rate, g.discount_rate),
            ),
            Slip(
                "other",
                _SPENDING,
                lambda g: clv.clv_from_retention(g.weekly_spend * g.weeks_per_year, g.retention_rate, g.discount_rate),
            ),
            Slip(
                "percent",
                _EIGHT,
                lambda g: _margin(g) * g.retention_rate / (1 + 100 * g.discount_rate - g.retention_rate),
            ),
            Slip(
                "complement",
                N_(
                    "0.10 is the chance that she leaves (churn); the formula needs the chance that she stays, r = 0.90."
                ),
                lambda g: _value(g, 1 - g.retention_rate),
            ),
            Slip(
                "units",
                N_("that values her weekly margin; m is the margin per year (52 weeks)."),
                lambda g: clv.clv_from_retention(g.weekly_spend * g.margin_share, g.retention_rate, g.discount_rate),
            ),
            Slip(
                "sign",
                N_("the denominator is 1 + d - r: retention is subtracted, not added."),
                lambda g: _margin(g) * g.retention_rate / (1 + g.discount_rate + g.retention_rate),
            ),
        ],
        explanation=N_(
            "With margins at the end of each year, year t counts with weight r^t / (1 + d)^t; the "
            "geometric series sums to m r / (1 + d - r)."
        ),
    ),
    Exercise(
        "3.1c",
        "number",
        variable="answer_3_1c",
        unit=N_("USD"),
        given={**SMITH, "years": 20},
        period="years",
        reference=lambda g: clv.continuing_value(np.full(g.years, _margin(g)), g.discount_rate),
        slips=[
            Slip(
                "off-by-one",
                N_(
                    "that sums t = 0 ... 19 (range(20)): the first margin arrives at the end of year 1, "
                    "so t runs from 1 to 20 (range(1, 21))."
                ),
                lambda g: _by_hand(_margin(g), 1.0, g.discount_rate, range(g.years)),
            ),
            Slip(
                "other",
                N_("that is the undiscounted sum of 20 margins; discount year t by 1.08^t."),
                lambda g: g.years * _margin(g),
            ),
            Slip(
                "other",
                _SPENDING,
                lambda g: clv.continuing_value(np.full(g.years, g.weekly_spend * g.weeks_per_year), g.discount_rate),
            ),
            Slip(
                "other",
                N_("that is a certain stay for ever (m/d), not for 20 years."),
                lambda g: _margin(g) / g.discount_rate,
            ),
            Slip(
                "other",
                N_("that still weights year t by r^t; the upper bound assumes she stays for sure (r = 1)."),
                lambda g: clv.clv_from_retention(_margin(g), g.retention_rate, g.discount_rate, periods=g.years),
            ),
            Slip("percent", _EIGHT, lambda g: _by_hand(_margin(g), 1.0, 100 * g.discount_rate, range(1, g.years + 1))),
        ],
        explanation=N_(
            "A certain stay drops the retention weights: 20 margins, each discounted by (1 + d)^t. It "
            "ignores the risk that she leaves, so it only bounds her value from above."
        ),
    ),
    # ------------------------------------------------------------------ 3.2 A finite horizon, by hand
    Exercise(
        "3.2a",
        "function",
        variable="value_over",
        unit=N_("USD"),
        reference=lambda m, r, d, T: clv.clv_from_retention(m, r, d, periods=T),
        cases=[(120, 0.75, 0.1, 6), (650, 0.9, 0.08, 1), (40, 0.6, 0.0, 5), (650, 0.9, 0.08, 30)],
        slips=[
            Slip(
                "off-by-one",
                N_(
                    "your sum runs over t = 0 ... T-1 (range(periods)): the margins arrive at the end "
                    "of periods 1 ... T, so use range(1, periods + 1)."
                ),
                lambda m, r, d, T: _by_hand(m, r, d, range(T)),
            ),
            Slip(
                "off-by-one",
                N_("your sum stops one period early (range(1, periods) ends at T-1): use range(1, periods + 1)."),
                lambda m, r, d, T: _by_hand(m, r, d, range(1, T)),
            ),
            Slip(
                "off-by-one",
                N_(
                    "your sum runs over t = 0 ... T, one period too many: the first margin arrives at the end of period 1."
                ),
                lambda m, r, d, T: _by_hand(m, r, d, range(T + 1)),
            ),
            Slip(
                "other",
                N_("the margins are discounted but not weighted by the chance r^t that she is still there."),
                lambda m, r, d, T: _by_hand(m, 1.0, d, range(1, T + 1)),
            ),
            Slip(
                "other",
                N_("the margins are weighted by r^t but not discounted by (1 + d)^t."),
                lambda m, r, d, T: _by_hand(m, r, 0.0, range(1, T + 1)),
            ),
        ],
        explanation=N_(
            "V_T adds the first T terms of the series of 3.1b: year t counts with weight "
            "r^t / (1 + d)^t, for t = 1 ... T."
        ),
    ),
    Exercise(
        "3.2b",
        "number",
        variable="answer_3_2b",
        unit=N_("USD"),
        given={**SMITH, "years": 10},
        period="years",
        reference=lambda g: clv.clv_from_retention(_margin(g), g.retention_rate, g.discount_rate, periods=g.years),
        slips=[
            Slip(
                "off-by-one",
                N_(
                    "that sums t = 0 ... 9 (range(periods)): the margins arrive at the end of years "
                    "1 ... 10, so use range(1, periods + 1)."
                ),
                lambda g: _by_hand(_margin(g), g.retention_rate, g.discount_rate, range(g.years)),
            ),
            Slip(
                "percent",
                _EIGHT,
                lambda g: _by_hand(_margin(g), g.retention_rate, 100 * g.discount_rate, range(1, g.years + 1)),
            ),
            Slip(
                "complement",
                N_("0.10 is the chance that she leaves (churn); weight year t by her retention r = 0.90 instead."),
                lambda g: clv.clv_from_retention(_margin(g), 1 - g.retention_rate, g.discount_rate, periods=g.years),
            ),
            Slip(
                "units",
                N_("that values her weekly margin; the margin per year is 52 weekly margins."),
                lambda g: clv.clv_from_retention(
                    g.weekly_spend * g.margin_share, g.retention_rate, g.discount_rate, periods=g.years
                ),
            ),
        ],
        explanation=N_("Ten years capture most of the value of 3.1b: the far future is both uncertain and discounted."),
    ),
    # ------------------------------------------------------------------ 3.3 The course's Cv
    Exercise(
        "3.3",
        "number",
        variable="answer_3_3",
        unit=N_("thousand yuan"),
        given={"profits": (80, 90, 100, 100, 90), "discount_rate": 0.10},
        reference=lambda g: clv.continuing_value(list(g.profits), g.discount_rate),
        slips=[
            Slip(
                "off-by-one",
                N_("the first profit is discounted by one year (t starts at 1), not received today."),
                lambda g: sum(p / (1 + g.discount_rate) ** t for t, p in enumerate(g.profits)),
            ),
            Slip(
                "off-by-one",
                N_("that counts four years; the exhibitor stays five (t = 1 ... 5)."),
                lambda g: clv.continuing_value(list(g.profits[:-1]), g.discount_rate),
            ),
            Slip(
                "percent",
                N_("the discount rate of 10% enters the formula as 0.10, not as 10."),
                lambda g: sum(p / (1 + 100 * g.discount_rate) ** t for t, p in enumerate(g.profits, start=1)),
            ),
            Slip("other", N_("that is the undiscounted sum of the profits."), lambda g: sum(g.profits)),
        ],
        explanation=N_("Cv discounts each year's expected profit to the valuation date: profit t / (1 + d)^t."),
    ),
    # ------------------------------------------------------------------ 3.4 sBG
    Exercise(
        "3.4a",
        "number",
        variable="answer_3_4a",
        unit=NP_("unit", "customers"),
        given=_sbg,
        period="years",
        low=0,
        reference=lambda g: float(g.fit.project_survivors(g.years).iloc[-1]),
        slips=[
            Slip(
                "other",
                N_("that is a share of the cohort; multiply by the 1,000 customers."),
                lambda g: float(g.fit.survival(g.years)),
            ),
            Slip(
                "percent",
                N_(
                    "that is the percentage of the cohort still there; the question asks for customers "
                    "(the share times the 1,000 customers)."
                ),
                lambda g: 100 * float(g.fit.survival(g.years)),
            ),
            Slip(
                "complement",
                N_("that is the number who have left by year 12; the question asks for those still there."),
                lambda g: g.survivors[0] - float(g.fit.project_survivors(g.years).iloc[-1]),
            ),
        ],
        explanation=N_(
            "The fitted sBG model projects the cohort's survival curve beyond the data: survivors at "
            "year t = 1,000 x S(t)."
        ),
    ),
    Exercise(
        "3.4b",
        "choice",
        variable="answer_3_4b",
        given=_sbg,
        reference=lambda g: "b" if g.fit.retention_rate(8) > g.fit.retention_rate(2) else "a",
        options={
            "a": N_("Each customer becomes more loyal the longer she stays."),
            "b": N_(
                "Customers differ: the ones with a high churn probability leave first, so the survivors are "
                "increasingly the loyal ones, although no individual's churn probability changes."
            ),
            "c": N_("The firm's service improved over the years."),
        },
        explanations={
            "a": N_("in the sBG model each customer's churn probability is constant."),
            "c": N_("the model has no time effect at all; what changes is who is left."),
        },
        explanation=N_(
            "Heterogeneity sorts the cohort: the high-churn customers leave early, so the survivors' "
            "average retention rises although nobody's own retention changes."
        ),
    ),
    # ------------------------------------------------------------------ 3.5 BG/NBD on CDNOW
    Exercise(
        "3.5a",
        "number",
        variable="answer_3_5a",
        unit=N_("probability"),
        low=0,
        high=1,
        given=_cdnow,
        reference=lambda g: float(g.fit.prob_alive(g.frequency, g.recency_b, g.age)),
        slips=[
            Slip(
                "other",
                N_("that is customer A (last purchase in week 30), not B."),
                lambda g: float(g.fit.prob_alive(g.frequency, g.recency_a, g.age)),
            ),
            Slip(
                "complement",
                N_("that is the probability that B has already dropped out; the question asks for P(alive)."),
                lambda g: 1 - float(g.fit.prob_alive(g.frequency, g.recency_b, g.age)),
            ),
            Slip(
                "percent",
                N_("that is a percentage; a probability is a fraction between 0 and 1."),
                lambda g: 100 * float(g.fit.prob_alive(g.frequency, g.recency_b, g.age)),
            ),
        ],
        explanation=N_(
            "B bought as often as A but has been silent for 34 weeks; the model reads the long silence "
            "as a likely drop-out. Recency matters as much as frequency."
        ),
    ),
    Exercise(
        "3.5b",
        "number",
        variable="answer_3_5b",
        unit=NP_("unit", "purchases"),
        low=0,
        given=_cdnow,
        reference=lambda g: float(g.fit.conditional_expected_purchases(g.weeks, g.frequency, g.recency_a, g.age)),
        slips=[
            Slip(
                "units",
                N_("that is a horizon of 12 (months); the model's time unit is the week: 52 weeks."),
                lambda g: float(g.fit.conditional_expected_purchases(12, g.frequency, g.recency_a, g.age)),
            ),
            Slip(
                "units",
                N_("that is a horizon of 1 (year); the model's time unit is the week: 52 weeks."),
                lambda g: float(g.fit.conditional_expected_purchases(1, g.frequency, g.recency_a, g.age)),
            ),
            Slip(
                "other",
                N_("that is a new customer's expectation; condition on A's history (conditional_expected_purchases)."),
                lambda g: float(g.fit.expected_purchases(g.weeks)),
            ),
            Slip(
                "other",
                N_("that is customer B (last purchase in week 5), not A."),
                lambda g: float(g.fit.conditional_expected_purchases(g.weeks, g.frequency, g.recency_b, g.age)),
            ),
        ],
        explanation=N_(
            "The conditional expectation combines A's purchase rate with the chance that she is still "
            "alive, over the next 52 weeks."
        ),
    ),
    # ------------------------------------------------------------------ 3.6 Open case
    Exercise(
        "3.6a",
        "number",
        variable="answer_3_6a",
        unit=N_("fraction (relative change)"),
        given={**SMITH, "retention_gain": 0.05},
        reference=lambda g: retention_lift(g.retention_rate, g.discount_rate, retention_gain=g.retention_gain),
        slips=[
            Slip(
                "ratio",
                N_("that is the ratio of the two values (new / old); the rise is the ratio minus 1."),
                lambda g: _value(g, g.retention_rate + g.retention_gain) / _value(g),
            ),
            Slip(
                "percent",
                N_("that is the rise in percent; the exercise asks for a fraction (0.25 for +25%)."),
                lambda g: 100 * retention_lift(g.retention_rate, g.discount_rate, retention_gain=g.retention_gain),
            ),
            Slip(
                "percent",
                N_("that is 100 times too small: the relative change is already a fraction; do not divide it by 100."),
                lambda g: retention_lift(g.retention_rate, g.discount_rate, retention_gain=g.retention_gain) / 100,
            ),
            Slip(
                "sign",
                N_(
                    "that is the change from 0.95 back to 0.90 (old / new - 1); the question asks how much "
                    "her value rises: new / old - 1."
                ),
                lambda g: _value(g) / _value(g, g.retention_rate + g.retention_gain) - 1,
            ),
            Slip(
                "other",
                N_(
                    "that is the rise in dollars; the question asks for the relative rise (divide by her "
                    "value at r = 0.90)."
                ),
                lambda g: _value(g, g.retention_rate + g.retention_gain) - _value(g),
            ),
        ],
        explanation=N_(
            "V(0.95) / V(0.90) - 1: five points of retention lengthen her expected stay a lot, because "
            "the value grows like r / (1 + d - r)."
        ),
    ),
    Exercise(
        "3.6b",
        "number",
        variable="answer_3_6b",
        unit=N_("USD"),
        given={**SMITH, "better_weekly_spend": 70.0},
        reference=lambda g: clv.clv_from_retention(
            _margin(g, g.better_weekly_spend) - _margin(g), g.retention_rate, g.discount_rate
        ),
        slips=[
            Slip(
                "other",
                N_(
                    "that is her whole value at the 70-dollar basket; growth potential is only the "
                    "additional part (subtract her current value, Exercise 3.1b)."
                ),
                lambda g: _value(g.replace(weekly_spend=g.better_weekly_spend)),
            ),
            Slip(
                "other",
                N_("that is one year's extra margin; value it over her expected lifetime as in 3.1b."),
                lambda g: _margin(g, g.better_weekly_spend) - _margin(g),
            ),
            Slip(
                "other",
                N_("that is extra spending, not extra margin: multiply by the 25% margin."),
                lambda g: clv.clv_from_retention(
                    (g.better_weekly_spend - g.weekly_spend) * g.weeks_per_year, g.retention_rate, g.discount_rate
                ),
            ),
            Slip(
                "sign",
                N_(
                    "that is her current value minus the larger one; growth potential is what she would add: "
                    "new minus current."
                ),
                lambda g: _value(g) - _value(g.replace(weekly_spend=g.better_weekly_spend)),
            ),
            Slip(
                "units",
                N_("that values the extra margin of one week; a year has 52 weeks."),
                lambda g: clv.clv_from_retention(
                    (g.better_weekly_spend - g.weekly_spend) * g.margin_share, g.retention_rate, g.discount_rate
                ),
            ),
        ],
        explanation=N_(
            "Growth potential is the additional lifetime value: the extra yearly margin of the larger "
            "basket, valued like her current margin in 3.1b."
        ),
    ),
    Exercise(
        "3.6c",
        "written",
        variable="answer_3_6c",
        min_words=60,
        aspects=[
            N_(
                "the cost of losing her: expected lifetime value, not one basket and not the certain-stay bound; "
                "word of mouth"
            ),
            N_("how much a small retention gain is worth (3.6a)"),
            N_("current value (as she is) against growth potential (3.6b), and her place in the matrix"),
            N_("a concrete first step: ask, fix, follow up; track her behaviour"),
        ],
        explanation=N_(
            "Good answers quantify (her expected value, not the certain-stay bound), place her on both "
            "forward-looking axes and propose a concrete first step."
        ),
    ),
]
