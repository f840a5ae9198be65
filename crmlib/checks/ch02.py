"""Chapter 2 (loyalty types): the registry of ``exercises/02_loyalty_types.ipynb``.

Every reference is computed with :mod:`crmlib.loyalty`, :mod:`crmlib.stats` and
:mod:`crmlib.value` from the inputs the prompts give (the CDNOW purchases are loaded with
:func:`crmlib.datasets.load_cdnow`, the relationship survey is rebuilt from the same seed as the
notebook's data cell); the slips compute what a student who made that mistake would get from the
same inputs. See :mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import datasets, loyalty, stats, value
from ..i18n import N_, NP_
from .registry import Exercise, Slip

#: The seed of the notebook's survey cell: ``rng=np.random.default_rng(2026)``.
SEED = 2026

# Exercise 2.1: the six customers of the table.
CUSTOMERS = {
    "customer": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang"],
    "relative_attitude": [0.80, 0.80, 0.20, 0.20, 0.50, 0.49],
    "repeat_patronage": [0.90, 0.10, 0.90, 0.10, 0.50, 0.70],
}

# Exercise 2.2: the survey answers of the three customers (1-5).
TRAVELLER = {"attachment": 2, "repeat": 5, "no_alternative": 5, "habit": 3, "convenience": 3, "price": 2, "rewards": 1}
FLYER = {"attachment": 2, "repeat": 4, "no_alternative": 1, "habit": 3, "convenience": 2, "price": 2, "rewards": 5}
SHOPPER = {"attachment": 1, "repeat": 2, "no_alternative": 1, "habit": 1, "convenience": 2, "price": 5, "rewards": 2}

# Exercise 2.3: the hotel guest's three answers.
GUEST = {"satisfaction": "satisfied", "repurchase_probability": 0.50, "recommend": "very likely"}

COMPONENTS = ("trust", "satisfaction", "commitment", "friendship")

# Exercise 2.6: the ratios the course quotes.
QUOTED = {"retail": 16, "restaurants": 13, "airlines": 12, "hotels": 5}

# Exercise 2.7: the key exhibitor's scores on the five criteria (1-5, 5 = most loyal).
EXHIBITOR = {
    "repeat_purchases": 4,
    "choice_time": 3,
    "price_sensitivity": 2,
    "competitor_attitude": 4,
    "quality_tolerance": 5,
}


# Exercise 2.8: short cases (retold from the slides) -> a word that finds the case in loyalty_principles().
CASES_2_8 = {
    "小柯's fried rice": "小柯",
    "the VIP floor at Beijing Capital Airport": "VIP floor",
    "珍珠's phone kiosk": "珍珠",
    "added services at an exhibition": "virtual exhibition",
    "the service decks' staff training and care": "first customers",
}

# Exercise 2.9: the customer base (crmlib.loyalty.project_customer_base arguments).
BASE_2_9 = {"acquisition": 200.0, "retention_rate": 0.75}
EFFECTS_2_9 = {
    "baseline_retention_rate": 0.70,
    "retention_rate": 0.80,
    "acquisition": 100.0,
    "discount_rate": 0.10,
    "periods": 10,
    "margin": 100.0,
    "margin_growth": 0.05,
    "service_cost": 20.0,
    "cost_decline": 0.10,
    "referral_rate": 0.05,
    "acquisition_cost": 50.0,
    "feedback_value": 2.0,
    "search_cost": 3.0,
    "contracting_cost": 2.0,
    "monitoring_cost": 1.0,
}
#: Exercise 2.9c: the same base without any tenure effect.
NO_TENURE_2_9 = dict(
    EFFECTS_2_9,
    margin_growth=0.0,
    cost_decline=0.0,
    acquisition_cost=0.0,
    search_cost=0.0,
    contracting_cost=0.0,
    monitoring_cost=0.0,
)


def _principle_of(marker: str) -> str:
    table = loyalty.loyalty_principles()
    hit = table.loc[table["case"].str.contains(marker, regex=False), "principle"]
    if len(hit) != 1:
        raise LookupError(f"case marker {marker!r} must find one principle; found {len(hit)}")
    return str(hit.iloc[0])


def _effects(g):
    return loyalty.retention_effects(**g)


def _number_share(g) -> float:
    fx = _effects(g)
    return float(fx.number_effect / (fx.number_effect + fx.time_effect))


def _type_names() -> tuple[str, ...]:
    return (*(t.name for t in loyalty.SEVEN_TYPES), "no loyalty")


@cache
def _cdnow() -> dict:
    """The CDNOW purchases of Exercise 2.4, one row per purchase occasion (customer and day) too."""
    cdnow = datasets.load_cdnow()
    return {
        "cdnow": cdnow,
        "occasions": cdnow[["customer_id", "date"]].drop_duplicates(),
        "end": "1997-09-30",
    }


@cache
def _survey() -> dict:
    """The relationship-quality survey of Exercise 2.5 (400 customers) and its trust items."""
    survey = loyalty.simulate_relationship_survey(400, rng=np.random.default_rng(SEED))
    return {"survey": survey, "trust_items": survey[list(loyalty.SURVEY_SCALES["trust"])]}


# ----------------------------------------------------------------------------- helpers
def _repeat_share(purchases, *, end=None, strict=False, at_least=2) -> float:
    """Share of customers with at least ``at_least`` rows up to ``end`` (before it when ``strict``)."""
    if end is not None:
        purchases = purchases[purchases["date"] < end] if strict else purchases[purchases["date"] <= end]
    return float((purchases.groupby("customer_id").size() >= at_least).mean())


def _gaps(purchases) -> pd.Series:
    """Days between a customer's consecutive rows (purchases or occasions)."""
    ordered = purchases.sort_values(["customer_id", "date"])
    return ordered.groupby("customer_id")["date"].diff().dropna().dt.days


def _parts(g) -> tuple[float, float, float]:
    """The guest's three scores s_S, s_R, s_P on [0, 1], read off crmlib's index with one weight each."""
    one = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    return tuple(
        float(loyalty.quantified_index(g.satisfaction, g.repurchase_probability, g.recommend, weights=w)) / 100
        for w in one
    )


def _index(g) -> float:
    return float(loyalty.quantified_index(g.satisfaction, g.repurchase_probability, g.recommend))


def _alpha_parts(items) -> tuple[int, float]:
    """k and the ratio sum of item variances / variance of the sum (sample variances)."""
    return items.shape[1], float(items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))


def _ceiling_by_formula(d) -> float:
    """(1 + d) / d for any d (also a discount 'rate' of 10)."""
    return (1 + d) / d


def _exhibitor(g) -> float:
    return float(loyalty.criteria_index(g.scores))


_FRACTION = N_("that is a percentage; the exercise asks for a fraction (0.25 for 25%).")

EXERCISES = [
    # ------------------------------------------------------------------ 2.1 Dick & Basu's grid
    Exercise(
        "2.1",
        "label",
        variable="answer_2_1",
        given={"customers": CUSTOMERS},
        allowed=tuple(loyalty.DICK_BASU_CLASSES.values()),
        reference=lambda g: list(loyalty.dick_basu(g.customers["relative_attitude"], g.customers["repeat_patronage"])),
        explanation=N_(
            "High attitude and high patronage is loyalty, high attitude alone latent, high patronage alone "
            "spurious; a value of exactly 0.5 counts as high (>= 0.5)."
        ),
    ),
    # ------------------------------------------------------------------ 2.2 Which of the seven types?
    Exercise(
        "2.2a",
        "label",
        variable="answer_2_2a",
        given=TRAVELLER,
        allowed=_type_names(),
        reference=lambda g: loyalty.seven_type(**g),
        explanation=N_(
            "Low attachment, high repeat buying: the strongest stated driver, having no alternative, "
            "makes him monopoly-loyal."
        ),
    ),
    Exercise(
        "2.2b",
        "label",
        variable="answer_2_2b",
        given=FLYER,
        allowed=_type_names(),
        reference=lambda g: loyalty.seven_type(**g),
        explanation=N_(
            "Low attachment, high repeat buying, and the rewards are the strongest driver: incentive "
            "loyalty, which lasts as long as the points do."
        ),
    ),
    Exercise(
        "2.2c",
        "label",
        variable="answer_2_2c",
        given=SHOPPER,
        allowed=_type_names(),
        reference=lambda g: loyalty.seven_type(**g),
        explanation=N_(
            "Low attachment and low repeat buying, but she buys wherever the price is lowest: loyal to "
            "the price, not to a supermarket."
        ),
    ),
    # ------------------------------------------------------------------ 2.3 The quantified loyalty index
    Exercise(
        "2.3",
        "number",
        variable="answer_2_3",
        unit=N_("index points (0-100, like a percentage)"),
        low=0,
        high=100,
        given=GUEST,
        reference=_index,
        slips=[
            Slip(
                "percent",
                N_("that is the index as a fraction; the index runs from 0 to 100 (multiply by 100)."),
                lambda g: _index(g) / 100,
            ),
            Slip(
                "other",
                N_("that adds the three scores without averaging them; with equal weights divide the sum by 3."),
                lambda g: 100 * sum(_parts(g)),
            ),
            Slip(
                "other",
                N_(
                    "that scores 'satisfied' as 4/5 = 0.8; the five levels score 0, 0.25, 0.5, 0.75 and 1 "
                    "(very dissatisfied 0, satisfied 0.75)."
                ),
                lambda g: 100 * (0.8 + sum(_parts(g)[1:])) / 3,
            ),
        ],
        explanation=N_(
            "Q = 100 (s_S + s_R + s_P) / 3 with satisfied 0.75, a 50% repurchase probability in the "
            "30-70% band (0.5) and 'very likely' 1."
        ),
    ),
    # ------------------------------------------------------------------ 2.4 Behavioural loyalty on CDNOW
    Exercise(
        "2.4a",
        "number",
        variable="answer_2_4a",
        unit=N_("fraction of customers"),
        low=0,
        high=1,
        given=_cdnow,
        reference=lambda g: float(loyalty.repeat_rate(g.cdnow, end=g.end)),
        slips=[
            Slip(
                "other",
                N_("that counts transactions, not purchase occasions: purchases on the same day are one occasion."),
                lambda g: _repeat_share(g.cdnow, end=g.end),
            ),
            Slip("percent", _FRACTION, lambda g: 100 * float(loyalty.repeat_rate(g.cdnow, end=g.end))),
            Slip(
                "complement",
                N_(
                    "that is the share of customers with a single purchase occasion; the repeat rate is the share "
                    "with two or more."
                ),
                lambda g: 1 - float(loyalty.repeat_rate(g.cdnow, end=g.end)),
            ),
            Slip(
                "off-by-one",
                N_("that leaves out 1997-09-30 (date < end); the calibration period includes it (date <= end)."),
                lambda g: _repeat_share(g.occasions, end=g.end, strict=True),
            ),
            Slip(
                "off-by-one",
                N_(
                    "that counts customers with three or more occasions (more than two); a repeat customer has at "
                    "least two (>= 2)."
                ),
                lambda g: _repeat_share(g.occasions, end=g.end, at_least=3),
            ),
            Slip(
                "other",
                N_("that uses the whole data; the calibration period ends on 1997-09-30."),
                lambda g: _repeat_share(g.occasions),
            ),
        ],
        explanation=N_(
            "Keep one row per customer and day, cut at the end of the calibration period, and take the "
            "share of customers with two or more occasions: repeat purchase is behavioural loyalty."
        ),
    ),
    Exercise(
        "2.4b",
        "number",
        variable="answer_2_4b",
        unit=N_("days"),
        low=0,
        given=_cdnow,
        reference=lambda g: float(loyalty.inter_purchase_times(g.cdnow).median()),
        slips=[
            Slip(
                "units",
                N_("that is in weeks; the exercise asks for days."),
                lambda g: float(loyalty.inter_purchase_times(g.cdnow).median()) / 7,
            ),
            Slip(
                "other",
                N_("that is the mean gap; the long gaps pull it up. The exercise asks for the median."),
                lambda g: float(loyalty.inter_purchase_times(g.cdnow).mean()),
            ),
            Slip(
                "other",
                N_("that counts the purchases of one day as gaps of 0 days; keep one row per customer and day first."),
                lambda g: float(_gaps(g.cdnow).median()),
            ),
            Slip(
                "other",
                N_("that uses the calibration period only; the exercise asks for the gaps over the whole data."),
                lambda g: float(_gaps(g.occasions[g.occasions["date"] <= g.end]).median()),
            ),
        ],
        explanation=N_(
            "Sort each customer's purchase days, take the differences between consecutive days and the "
            "median of all of them; the distribution is long-tailed, so the mean is much larger."
        ),
    ),
    # ------------------------------------------------------------------ 2.5 Relationship quality
    Exercise(
        "2.5a",
        "number",
        variable="answer_2_5a",
        unit=N_("reliability coefficient"),
        high=1,
        given=_survey,
        reference=lambda g: float(stats.cronbach_alpha(g.trust_items)),
        slips=[
            Slip(
                "other",
                N_("that leaves out the factor k / (k - 1) = 4/3 in front."),
                lambda g: 1 - _alpha_parts(g.trust_items)[1],
            ),
            Slip(
                "complement",
                N_("that is k / (k - 1) times the ratio of the variances; alpha uses 1 minus that ratio."),
                lambda g: (lambda k, ratio: k / (k - 1) * ratio)(*_alpha_parts(g.trust_items)),
            ),
            Slip(
                "other",
                N_("the factor in front is k / (k - 1) = 4/3, not (k - 1) / k."),
                lambda g: (lambda k, ratio: (k - 1) / k * (1 - ratio))(*_alpha_parts(g.trust_items)),
            ),
            Slip(
                "percent",
                N_("that is alpha times 100; alpha is a coefficient of at most 1."),
                lambda g: 100 * float(stats.cronbach_alpha(g.trust_items)),
            ),
        ],
        explanation=N_(
            "alpha = k/(k-1) (1 - sum of the item variances / variance of the sum score): high when the "
            "items move together."
        ),
    ),
    Exercise(
        "2.5b",
        "label",
        variable="answer_2_5b",
        given=_survey,
        allowed=COMPONENTS,
        label_context="relationship quality",  # its satisfaction is 满足感 (not the customer's 满意度)
        reference=lambda g: loyalty.fit_relationship_quality(g.survey).standardised.idxmax(),
        explanation=N_(
            "Standardised coefficients put the four components on one scale; the largest is the "
            "strongest driver of the loyalty scale in this sample."
        ),
    ),
    # ------------------------------------------------------------------ 2.6 Examining the industry ratios
    Exercise(
        "2.6a",
        "number",
        variable="answer_2_6a",
        unit=N_("times one period's margin"),
        low=1,
        given={"discount_rate": 0.10},
        reference=lambda g: float(value.max_value_ratio(g.discount_rate)),
        slips=[
            Slip(
                "other",
                N_("that is 1/d; the value counted from today's purchase is (1 + d)/d."),
                lambda g: 1 / g.discount_rate,
            ),
            Slip(
                "percent",
                N_("the discount rate of 10% enters the formula as 0.10, not as 10."),
                lambda g: _ceiling_by_formula(100 * g.discount_rate),
            ),
            Slip(
                "other",
                N_("that is d / (1 + d), the inverse; the ceiling is (1 + d) / d, with r = 1 in (1 + d)/(1 + d - r)."),
                lambda g: 1 / _ceiling_by_formula(g.discount_rate),
            ),
        ],
        explanation=N_("As r -> 1 the ratio (1 + d)/(1 + d - r) rises to (1 + d)/d: 11 periods' margin at d = 0.10."),
    ),
    Exercise(
        "2.6b",
        "number",
        variable="answer_2_6b",
        unit=N_("fraction (retention per period)"),
        low=0,
        high=1,
        given={"ratio": 5, "discount_rate": 0.10},
        reference=lambda g: float(value.implied_retention(g.ratio, g.discount_rate)),
        slips=[
            Slip(
                "percent",
                N_("that is a retention rate in percent; give it as a fraction (0.75 for 75%)."),
                lambda g: 100 * float(value.implied_retention(g.ratio, g.discount_rate)),
            ),
            Slip(
                "complement",
                N_("that is the churn (1 - r); the question asks for the retention rate r."),
                lambda g: 1 - float(value.implied_retention(g.ratio, g.discount_rate)),
            ),
            Slip(
                "other",
                N_(
                    "that solves r / (1 + d - r) = 5, the value from the next period on; the ratio counts today's "
                    "purchase too: (1 + d) / (1 + d - r) = 5."
                ),
                lambda g: g.ratio * (1 + g.discount_rate) / (g.ratio + 1),
            ),
            Slip(
                "percent",
                N_("the discount rate of 10% enters the formula as 0.10, not as 10."),
                lambda g: (1 + 100 * g.discount_rate) * (1 - 1 / g.ratio),
            ),
        ],
        explanation=N_("Solve (1 + d)/(1 + d - r) = 5 for r: r = (1 + d)(1 - 1/5)."),
    ),
    Exercise(
        "2.6c",
        "choice",
        variable="answer_2_6c",
        given={"quoted": QUOTED, "discount_rate": 0.10},
        reference=lambda g: (lambda impossible: "b" if impossible == {"retail", "restaurants", "airlines"} else "a")(
            {k for k, ratio in g.quoted.items() if ratio >= value.max_value_ratio(g.discount_rate)}
        ),
        options={
            "a": N_("All four ratios are plausible lifetime-value multiples."),
            "b": N_(
                "Under this reading the 16:1, 13:1 and 12:1 ratios are impossible; they must measure something "
                "else (or assume another period or discount rate), so they cannot be used without their source."
            ),
            "c": N_("Only the hotel ratio is impossible."),
        },
        explanations={
            "a": N_("compare each ratio with the ceiling from (a)."),
            "c": N_("compare each ratio with the ceiling from (a): which ones exceed it?"),
        },
        explanation=N_(
            "No customer is worth more than the ceiling of (a) under this reading, so every quoted ratio "
            "above it must mean something else: a number without its definition supports no decision."
        ),
    ),
    # ------------------------------------------------------------------ 2.7 Open case: loyal exhibitors
    Exercise(
        "2.7a",
        "number",
        variable="answer_2_7a",
        unit=N_("index points (0-100, like a percentage)"),
        low=0,
        high=100,
        given={"scores": EXHIBITOR},
        reference=_exhibitor,
        slips=[
            Slip(
                "other",
                N_("scale each score as (s - 1) / 4, so that 1 gives 0 and 5 gives 100."),
                lambda g: 100 * sum(loyalty.DEFAULT_WEIGHTS[k] * s / 5 for k, s in g.scores.items()),
            ),
            Slip(
                "percent",
                N_("that is the index as a fraction; the index runs from 0 to 100 (multiply by 100)."),
                lambda g: _exhibitor(g) / 100,
            ),
        ],
        explanation=N_(
            "I = 100 sum w_i (s_i - 1)/4: each score rescaled to [0, 1], weighted by the default weights "
            "(which sum to 1)."
        ),
    ),
    Exercise(
        "2.7b",
        "written",
        variable="answer_2_7b",
        min_words=60,
        aspects=[
            N_("what the index and its parts say (price sensitivity as the weak spot)"),
            N_("trust: credibility and benevolence"),
            N_("satisfaction with the core result"),
            N_("commitment/belonging: club, advisory board; commercial friendship: stable contacts"),
            N_("hard vs soft benefits, and which suit low- and high-involvement exhibitors"),
        ],
        explanation=N_(
            "Good answers tie the index's weak spot (price sensitivity) to the four components of "
            "relationship quality and match hard and soft benefits to the exhibitors' involvement."
        ),
    ),
    # ------------------------------------------------------------------ 2.8 Cases and the ten principles
    Exercise(
        "2.8",
        "label",
        variable="answer_2_8",
        given={"cases": list(CASES_2_8)},
        allowed=loyalty.TEN_PRINCIPLES,
        reference=lambda g: [_principle_of(CASES_2_8[c]) for c in g.cases],
        explanation=N_(
            "Each case shows one principle most directly: a bad core product (quality), a service "
            "fitted to the VIP (personalise), a kiosk made easy to use (make buying simple), services nobody "
            "expected (exceed expectations), staff treated as customers (internal customers). Cases often show "
            "more than one principle; say which others you see."
        ),
    ),
    # ------------------------------------------------------------------ 2.9 What loyalty is worth
    Exercise(
        "2.9a",
        "number",
        variable="answer_2_9a",
        unit=NP_("unit", "customers"),
        low=0,
        given=BASE_2_9,
        reference=lambda g: loyalty.project_customer_base(g.acquisition, g.retention_rate).steady_state_customers,
        slips=[
            Slip(
                "percent",
                N_("the retention rate of 75% enters the formula as 0.75, not as 75."),
                lambda g: g.acquisition / (100 - 100 * g.retention_rate),
            ),
            Slip(
                "complement",
                N_(
                    "that divides by the retention rate; the base stops growing when the customers lost each "
                    "period, (1 - r) C, equal the customers won, A."
                ),
                lambda g: g.acquisition / g.retention_rate,
            ),
            Slip(
                "other",
                N_(
                    "that counts only the customers who stay into the next period (r A / (1 - r)); the base of a "
                    "period includes the customers won in it."
                ),
                lambda g: g.retention_rate * g.acquisition / (1 - g.retention_rate),
            ),
        ],
        explanation=N_(
            "C = r C + A in the steady state, so C = A / (1 - r): the customer-number growth effect "
            "in one number (a longer-staying customer base is a bigger one)."
        ),
    ),
    Exercise(
        "2.9b",
        "number",
        variable="answer_2_9b",
        unit=N_("fraction of the gain"),
        low=0,
        high=1,
        given=EFFECTS_2_9,
        reference=_number_share,
        slips=[
            Slip("percent", _FRACTION, lambda g: 100 * _number_share(g)),
            Slip(
                "complement",
                N_(
                    "that is the share of the retention-time effect; the question asks for the customer-number "
                    "growth effect."
                ),
                lambda g: 1 - _number_share(g),
            ),
            Slip(
                "other",
                N_(
                    "that divides by the value of the whole base at the higher retention rate; divide by the gain "
                    "(the number effect plus the time effect)."
                ),
                lambda g: (lambda fx: fx.number_effect / fx.improved.by_period["pv_total"].sum())(_effects(g)),
            ),
        ],
        explanation=N_(
            "retention_effects splits the gain exactly: (C1 - C0) v0 is the value of the extra customers "
            "at the old value per customer, C1 (v1 - v0) the higher value of an older base; take the present "
            "values over the horizon and the number effect's share of their sum."
        ),
    ),
    Exercise(
        "2.9c",
        "choice",
        variable="answer_2_9c",
        given=NO_TENURE_2_9,
        reference=lambda g: (lambda fx: "b" if abs(fx.time_effect) < 1e-6 * abs(fx.number_effect) else "c")(
            _effects(g)
        ),
        options={
            "a": N_(
                "The customer-number growth effect disappears: without rising spend more customers are worth "
                "nothing extra."
            ),
            "b": N_(
                "The retention-time effect disappears: every customer is worth the same each period whatever "
                "her tenure, so only the number of customers grows."
            ),
            "c": N_("Neither: both effects stay, only smaller."),
        },
        explanations={
            "a": N_(
                "more customers each paying a margin are still worth more; which effect needs value that "
                "changes with tenure?"
            ),
            "c": N_(
                "compute both effects with margin_growth, cost_decline, acquisition_cost and the three "
                "transaction costs at 0."
            ),
        },
        explanation=N_(
            "The retention-time effect is the value per customer rising as the base gets older; with "
            "nothing that changes with tenure it is exactly zero, and all of the gain is the number effect."
        ),
    ),
    # ------------------------------------------------------------------ 2.10-2.12 the slides' in-class tasks
    Exercise(
        "2.10",
        "written",
        variable="answer_2_10",
        min_words=60,
        aspects=[
            N_(
                "the small attentions (chair, paper and pen, drinks and cigarettes) that met needs callers had not voiced"
            ),
            N_("principles: exceed expectations, personalise, make buying simple, know the customer"),
            N_("the street had several kiosks: the regulars chose hers despite alternatives"),
            N_("which loyalty type her regulars show (attachment and repeat purchase both high)"),
        ],
        explanation=N_(
            "珍珠 watched her customers and removed each small discomfort before they asked; that is "
            "how a kiosk among several turned passers-by into regulars."
        ),
    ),
    Exercise(
        "2.11",
        "written",
        variable="answer_2_11",
        min_words=60,
        aspects=[
            N_("which of the ten principles Mabella's strategy uses, each with evidence from the case"),
            N_("which principles it leaves out, and whether that matters for its customers"),
            N_("hard vs soft benefits and the customers' involvement"),
        ],
        explanation=N_(
            "Map each measure in the case to one principle and quote the evidence; a principle without "
            "evidence in the case does not count."
        ),
    ),
    Exercise(
        "2.12",
        "written",
        variable="answer_2_12",
        min_words=80,
        aspects=[
            N_("who the programme is for (segments, involvement with a packaged snack)"),
            N_("hard benefits (points, discounts, free packs) and any soft ones, and why"),
            N_("how points are earned and adjusted to what buyers actually do (the American Express key)"),
            N_("what it costs and how its success is measured (repeat rate, share of wallet, referrals)"),
        ],
        explanation=N_(
            "A low-involvement snack calls for simple hard benefits; the programme should follow what "
            "buyers actually do and say how it will be judged."
        ),
    ),
]
