"""Chapter 1 (the satisfaction trap): the registry of ``exercises/01_satisfaction_trap.ipynb``.

Every reference is computed with :mod:`crmlib.satisfaction`, :mod:`crmlib.value` and
:mod:`crmlib.pls` from the inputs the prompts give (the simulated surveys are rebuilt from the
same scenario and seed as the notebook's data cells); the slips compute what a student who made
that mistake would get from the same inputs. See :mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import datasets, pls, satisfaction, value
from ..i18n import N_
from .registry import Exercise, Slip

#: The seed of the notebook's data cells: ``rng=np.random.default_rng(2026)``.
SEED = 2026

# The protected utility of Exercise 1.4.
UTILITY = {
    "competitive_intensity": 0.1,
    "switching_barrier": 0.4,
    "satisfaction_shares": (0.10, 0.15, 0.25, 0.35, 0.15),
}

# The customer of Exercise 1.5.
CUSTOMER = {"margin": 100.0, "retention_rate": 0.80, "discount_rate": 0.10, "retention_gain": 0.05}


@cache
def _case_a() -> dict:
    """The Case A survey of Exercises 1.1-1.3 and 1.6 (2,000 owners, competitive market)."""
    survey = satisfaction.simulate_survey(satisfaction.market_scenario(), rng=np.random.default_rng(SEED))
    return {
        "survey": survey,
        "by_level": satisfaction.repurchase_by_level(survey),
        "recommend": survey["recommend"],
        "satisfied_from": 4,
    }


@cache
def _utility() -> dict:
    scenario = satisfaction.market_scenario(**UTILITY)
    return {"scenario": scenario, **UTILITY, "satisfied_from": 4}


@cache
def _ecsi() -> dict:
    """The ECSI survey of Exercise 1.8 (250 respondents), its PLS fit and the SAT block."""
    data = satisfaction.simulate_ecsi_survey(250, rng=np.random.default_rng(SEED))
    fit = satisfaction.pls_path_model(data, satisfaction.ECSI_BLOCKS, satisfaction.ECSI_PATHS)
    return {
        "loadings": fit.outer_loadings.xs("SAT", level="construct"),
        "block": pls.reliability(fit).loc["SAT"],
    }


# The three drivers of Exercise 1.9a-b and the driver whose LMG is asked for.
THREE_DRIVERS = ("quality", "price", "communication")


@cache
def _drivers() -> dict:
    """The constructed key-driver survey of Exercise 1.9 (400 customers) and its analyses."""
    survey = datasets.constructed_driver_survey(400, rng=np.random.default_rng(SEED))
    three = satisfaction.fit_key_drivers(survey, drivers=list(THREE_DRIVERS))
    seven = satisfaction.fit_key_drivers(survey)
    return {
        "survey": survey,
        "three": three,
        "seven": seven,
        "grid": satisfaction.importance_performance_grid(seven),
        "driver": "price",
    }


def _r2_of(g, cols) -> float:
    """R² of overall on ``cols`` (with intercept), by least squares; 0 for no column."""
    if not cols:
        return 0.0
    y = g.survey["overall"].to_numpy(float)
    x = np.column_stack([np.ones(len(y))] + [g.survey[c].to_numpy(float) for c in cols])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    return float(1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))


def _gain(g, before) -> float:
    """Gain in R² when the asked driver enters after the drivers ``before``."""
    return _r2_of(g, [*before, g.driver]) - _r2_of(g, list(before))


def _lmg(g) -> float:
    return float(g.three.table.loc[g.driver, "lmg"])


def _others(g) -> list:
    return [d for d in THREE_DRIVERS if d != g.driver]


# ----------------------------------------------------------------------------- helpers
def _share(g, levels) -> float:
    """Share of the Case A respondents whose answer is in ``levels``."""
    n = g.by_level["n"]
    return float(n.loc[list(levels)].sum() / n.sum())


def _repurchased(g) -> float:
    return float(g.by_level["repurchased"].sum() / g.by_level["n"].sum())


def _level_p(g, **changes) -> np.ndarray:
    """p(s) at the levels 1-5 in the utility's market (``changes`` replace its parameters)."""
    sc = g.scenario
    kw = {
        "competitive_intensity": sc.competitive_intensity,
        "switching_barrier": sc.switching_barrier,
        "max_repurchase": sc.max_repurchase,
        "min_repurchase": sc.min_repurchase,
        **changes,
    }
    return np.asarray(satisfaction.repurchase_probability(np.arange(1, 6), **kw))


def _stayers(g, levels, **changes) -> float:
    """Expected share of all the utility's customers who answer one of ``levels`` and stay."""
    idx = np.asarray(list(levels)) - 1
    return float(np.sum(np.asarray(g.satisfaction_shares)[idx] * _level_p(g, **changes)[idx]))


def _hostages(g) -> float:
    return float(satisfaction.expected_typology(g.scenario, satisfaction_cutoff=g.satisfied_from)["hostage"])


def _lift(g, retention_rate=None, retention_gain=None) -> float:
    r = g.retention_rate if retention_rate is None else retention_rate
    gain = g.retention_gain if retention_gain is None else retention_gain
    return float(value.retention_lift(r, g.discount_rate, retention_gain=gain))


def _value(g, retention_rate) -> float:
    return float(value.clv_from_retention(g.margin, retention_rate, g.discount_rate))


def _by_formula(m, r, d) -> float:
    """m r / (1 + d - r) for any inputs (also a discount 'rate' of 10)."""
    return m * r / (1 + d - r)


def _retention_for_relative_gain(target, discount_rate, gain) -> float:
    """The base r at which raising r by ``gain`` *of itself* (r -> r (1 + gain)) lifts V by ``target``."""
    from scipy.optimize import brentq

    def gap(r):
        return value.retention_lift(r, discount_rate, retention_gain=gain * r) - target

    return float(brentq(gap, 0.5, 0.99 / (1 + gain), xtol=1e-12))


def _nps(g, promoters_from=9, detractors_to=6) -> float:
    rec = g.recommend
    return float(100 * ((rec >= promoters_from).mean() - (rec <= detractors_to).mean()))


def _composite(loadings, top: str = "squared sum") -> float:
    """(Σλ)² / ((Σλ)² + Σ(1 - λ²)), or with Σλ² ("sum of squares") or Σλ ("sum") in place of (Σλ)²."""
    tops = {
        "squared sum": float(loadings.sum()) ** 2,
        "sum of squares": float((loadings**2).sum()),
        "sum": float(loadings.sum()),
    }
    return tops[top] / (tops[top] + float((1 - loadings**2).sum()))


_FRACTION = N_("that is a percentage; the exercise asks for a fraction (0.25 for 25%).")
_COUNT = N_("that is a number of respondents; the share divides it by all 2,000 respondents.")

EXERCISES = [
    # ------------------------------------------------------------------ 1.1 The paradox in numbers
    Exercise(
        "1.1a",
        "number",
        variable="answer_1_1a",
        unit=N_("fraction of respondents"),
        low=0,
        high=1,
        given=_case_a,
        reference=lambda g: _share(g, range(g.satisfied_from, 6)),
        slips=[
            Slip("percent", _FRACTION, lambda g: 100 * _share(g, range(g.satisfied_from, 6))),
            Slip(
                "complement",
                N_("that is the share who answered 1, 2 or 3 (not satisfied); the question asks for the 4s and 5s."),
                lambda g: _share(g, range(1, g.satisfied_from)),
            ),
            Slip(
                "off-by-one",
                N_("that counts only the 5s (satisfaction > 4); 'satisfied' means 4 or 5 (satisfaction >= 4)."),
                lambda g: _share(g, range(g.satisfied_from + 1, 6)),
            ),
            Slip(
                "off-by-one",
                N_("that counts the 3s as satisfied too (satisfaction >= 3); 'satisfied' means 4 or 5."),
                lambda g: _share(g, range(g.satisfied_from - 1, 6)),
            ),
            Slip("units", _COUNT, lambda g: float(g.by_level["n"].loc[g.satisfied_from :].sum())),
        ],
        explanation=N_(
            "'Satisfied' is the top two boxes, 4 or 5: count them and divide by all respondents "
            "(the mean of a True/False column does both)."
        ),
    ),
    Exercise(
        "1.1b",
        "number",
        variable="answer_1_1b",
        unit=N_("fraction of respondents"),
        low=0,
        high=1,
        given=_case_a,
        reference=_repurchased,
        slips=[
            Slip("percent", _FRACTION, lambda g: 100 * _repurchased(g)),
            Slip(
                "complement",
                N_(
                    "that is the share who did not buy the brand again (repurchase = 0); the question asks for those "
                    "who did."
                ),
                lambda g: 1 - _repurchased(g),
            ),
            Slip("units", _COUNT, lambda g: float(g.by_level["repurchased"].sum())),
            Slip(
                "other",
                N_(
                    "that is the repurchase rate of the satisfied (4 or 5) only; the question asks about all respondents."
                ),
                lambda g: float(
                    g.by_level["repurchased"].loc[g.satisfied_from :].sum()
                    / g.by_level["n"].loc[g.satisfied_from :].sum()
                ),
            ),
            Slip(
                "other",
                N_(
                    "that averages the five levels' repurchase rates as if every level had as many respondents; "
                    "divide all who bought again by all respondents."
                ),
                lambda g: float(g.by_level["rate"].mean()),
            ),
        ],
        explanation=N_(
            "Repurchase is behaviour: the share of all respondents who bought the same brand again. "
            "Compare it with the share 'satisfied' in 1.1a."
        ),
    ),
    # ------------------------------------------------------------------ 1.2 The top-box multiple
    Exercise(
        "1.2",
        "number",
        variable="answer_1_2",
        unit=N_("times"),
        low=0,
        given=_case_a,
        reference=lambda g: float(satisfaction.top_box_multiple(g.survey).multiple),
        slips=[
            Slip(
                "other",
                N_(
                    "that is the 4s' rate divided by the 5s' rate; the multiple puts the 5s on top (rate of 5s / rate of 4s)."
                ),
                lambda g: float(g.by_level.loc[4, "rate"] / g.by_level.loc[5, "rate"]),
            ),
            Slip(
                "ratio",
                N_(
                    "that is the relative change (ratio minus 1); the exercise asks for the plain ratio, "
                    "'how many times as often'."
                ),
                lambda g: float(satisfaction.top_box_multiple(g.survey).multiple) - 1,
            ),
            Slip(
                "other",
                N_("that is the difference of the two repurchase rates; the multiple is their ratio."),
                lambda g: float(g.by_level.loc[5, "rate"] - g.by_level.loc[4, "rate"]),
            ),
            Slip(
                "other",
                N_(
                    "that divides the numbers of repurchasers; divide the rates (repurchasers at a level over the "
                    "respondents at that level): there are more 4s than 5s."
                ),
                lambda g: float(g.by_level.loc[5, "repurchased"] / g.by_level.loc[4, "repurchased"]),
            ),
            Slip(
                "percent",
                N_("that is the multiple in percent; give the plain ratio (6 for 'six times as often')."),
                lambda g: 100 * float(satisfaction.top_box_multiple(g.survey).multiple),
            ),
        ],
        explanation=N_(
            "The multiple is the repurchase rate of the 5s over that of the 4s: far above one in a "
            "competitive market, where a 4 is satisfied but footloose."
        ),
    ),
    # ------------------------------------------------------------------ 1.3 What should the manager do?
    Exercise(
        "1.3",
        "choice",
        variable="answer_1_3",
        given=_case_a,
        reference=lambda g: (
            "b"
            if g.by_level.loc[5, "rate"] - g.by_level.loc[4, "rate"]
            > g.by_level.loc[4, "rate"] - g.by_level.loc[3, "rate"]
            else "c"
        ),
        options={
            "a": N_("With about nine in ten customers satisfied, loyalty is safe: keep the service as it is."),
            "b": N_("The big lever is turning 'satisfied' 4s into 'completely satisfied' 5s."),
            "c": N_("The big lever is lifting the few dissatisfied customers (1-3) to a 4."),
        },
        explanations={
            "a": N_("a 4 is 'satisfied', but compare how often the 4s bought again with the 5s."),
            "b": N_("compare the gain in repurchase rate from 4 to 5 with the gain from 3 to 4."),
            "c": N_(
                "compare the gain in repurchase rate from 3 to 4 with the gain from 4 to 5, "
                "and how many customers sit at each level."
            ),
        },
        explanation=N_(
            "In a competitive market the satisfaction-repurchase curve is convex: most of the gain in "
            "repurchase lies between 4 and 5, and most customers sit at 4."
        ),
    ),
    # ------------------------------------------------------------------ 1.4 Hostages
    Exercise(
        "1.4",
        "number",
        variable="answer_1_4",
        unit=N_("fraction of customers"),
        low=0,
        high=1,
        given=_utility,
        reference=_hostages,
        slips=[
            Slip("percent", _FRACTION, lambda g: 100 * _hostages(g)),
            Slip(
                "complement",
                N_(
                    "that is the not-satisfied customers who leave (defectors): hostages are the ones who stay, "
                    "with probability p(s), not 1 - p(s)."
                ),
                lambda g: float(
                    satisfaction.expected_typology(g.scenario, satisfaction_cutoff=g.satisfied_from)[
                        "defector/terrorist"
                    ]
                ),
            ),
            Slip(
                "other",
                N_(
                    "that is a share of the not-satisfied customers only; the exercise asks for a share of all "
                    "customers (do not divide by the shares of levels 1-3)."
                ),
                lambda g: _hostages(g) / float(np.sum(g.satisfaction_shares[: g.satisfied_from - 1])),
            ),
            Slip(
                "off-by-one",
                N_("that counts levels 1-2 only (shares[:2]); not satisfied is levels 1-3 (shares[:3])."),
                lambda g: _stayers(g, range(1, g.satisfied_from - 1)),
            ),
            Slip(
                "off-by-one",
                N_(
                    "that counts level 4 as not satisfied (shares[:4]); satisfied is 4 or 5, so hostages come from "
                    "levels 1-3 (shares[:3])."
                ),
                lambda g: _stayers(g, range(1, g.satisfied_from + 1)),
            ),
            Slip(
                "other",
                N_(
                    "that is the satisfied customers who stay (the loyalists); hostages are the not-satisfied who stay."
                ),
                lambda g: _stayers(g, range(g.satisfied_from, 6)),
            ),
            Slip(
                "other",
                N_(
                    "that leaves out the switching barrier b = 0.4; pass the utility's switching_barrier to "
                    "repurchase_probability."
                ),
                lambda g: _stayers(g, range(1, g.satisfied_from), switching_barrier=0.0),
            ),
            Slip(
                "other",
                N_("that uses the default competitive market (c = 0.9); the utility has competitive_intensity = 0.1."),
                lambda g: _stayers(g, range(1, g.satisfied_from), competitive_intensity=0.9),
            ),
        ],
        explanation=N_(
            "Hostages are not satisfied (1-3) and stay anyway: the sum over levels 1-3 of the share "
            "answering s times p(s). Little competition and the barrier keep them, not their satisfaction."
        ),
    ),
    # ------------------------------------------------------------------ 1.5 "5% more retention"
    Exercise(
        "1.5a",
        "number",
        variable="answer_1_5a",
        unit=N_("fraction (relative change)"),
        given=CUSTOMER,
        reference=_lift,
        slips=[
            Slip(
                "ratio",
                N_("that is the ratio of the two values (new / old); the rise is the ratio minus 1."),
                lambda g: 1 + _lift(g),
            ),
            Slip(
                "percent",
                N_("that is the rise in percent; the exercise asks for a fraction (0.25 for +25%)."),
                lambda g: 100 * _lift(g),
            ),
            Slip(
                "percent",
                N_("that is 100 times too small: the relative change is already a fraction; do not divide it by 100."),
                lambda g: _lift(g) / 100,
            ),
            Slip(
                "percent",
                N_("the discount rate of 10% enters the formula as 0.10, not as 10."),
                lambda g: (
                    _by_formula(g.margin, g.retention_rate + g.retention_gain, 100 * g.discount_rate)
                    / _by_formula(g.margin, g.retention_rate, 100 * g.discount_rate)
                    - 1
                ),
            ),
            Slip(
                "percent",
                N_(
                    "that raises retention by 5% of itself (0.80 x 1.05); the exercise means five percentage "
                    "points: 0.80 -> 0.85."
                ),
                lambda g: _lift(g, retention_gain=g.retention_gain * g.retention_rate),
            ),
            Slip(
                "complement",
                N_("0.20 is the churn; the formula needs the retention rate r = 0.80 (raised to 0.85)."),
                lambda g: _lift(g, retention_rate=1 - g.retention_rate),
            ),
            Slip(
                "sign",
                N_(
                    "that is the change from 0.85 back to 0.80 (old / new - 1); the question asks how much V rises: "
                    "new / old - 1."
                ),
                lambda g: _value(g, g.retention_rate) / _value(g, g.retention_rate + g.retention_gain) - 1,
            ),
            Slip(
                "other",
                N_("that is the rise in money; the question asks for the relative rise (divide by V at r = 0.80)."),
                lambda g: _value(g, g.retention_rate + g.retention_gain) - _value(g, g.retention_rate),
            ),
        ],
        explanation=N_(
            "V(0.85) / V(0.80) - 1: the margin cancels, so the lift depends only on the base "
            "retention, the discount rate and the five points."
        ),
    ),
    Exercise(
        "1.5b",
        "number",
        variable="answer_1_5b",
        unit=N_("fraction (retention per year)"),
        low=0,
        high=1,
        given={"target_lift": 0.35, "discount_rate": 0.10, "retention_gain": 0.05},
        reference=lambda g: value.retention_for_lift(
            g.target_lift, discount_rate=g.discount_rate, retention_gain=g.retention_gain
        ),
        slips=[
            Slip(
                "percent",
                N_("that is a retention rate in percent; give it as a fraction (0.75 for 75%)."),
                lambda g: (
                    100
                    * value.retention_for_lift(
                        g.target_lift, discount_rate=g.discount_rate, retention_gain=g.retention_gain
                    )
                ),
            ),
            Slip(
                "complement",
                N_("that is the churn (1 - r); the question asks for the retention rate r."),
                lambda g: (
                    1
                    - value.retention_for_lift(
                        g.target_lift, discount_rate=g.discount_rate, retention_gain=g.retention_gain
                    )
                ),
            ),
            Slip(
                "other",
                N_(
                    "that is the retention after the five-point rise (r + 0.05); the question asks for the base "
                    "retention r."
                ),
                lambda g: (
                    g.retention_gain
                    + value.retention_for_lift(
                        g.target_lift, discount_rate=g.discount_rate, retention_gain=g.retention_gain
                    )
                ),
            ),
            Slip(
                "percent",
                N_(
                    "that raises retention by 5% of itself (r x 1.05); the exercise means five percentage points "
                    "(r + 0.05)."
                ),
                lambda g: _retention_for_relative_gain(g.target_lift, g.discount_rate, g.retention_gain),
            ),
        ],
        explanation=N_(
            "The lift of five points rises with the base retention: solve lift(r) = 0.35 for r with a "
            "fine grid or a root finder (crmlib: value.retention_for_lift)."
        ),
    ),
    # ------------------------------------------------------------------ 1.6 Net Promoter Score
    Exercise(
        "1.6",
        "number",
        variable="answer_1_6",
        unit=N_("percentage points"),
        abs_tol=0.05,
        low=-100,
        high=100,
        given=_case_a,
        reference=lambda g: float(satisfaction.net_promoter_score(g.recommend).nps),
        slips=[
            Slip(
                "percent",
                N_(
                    "that is the difference of two fractions; NPS is given in points from -100 to 100 "
                    "(percentages: multiply by 100)."
                ),
                lambda g: _nps(g) / 100,
            ),
            Slip(
                "sign",
                N_("that is detractors minus promoters; NPS is promoters minus detractors."),
                lambda g: -_nps(g),
            ),
            Slip(
                "off-by-one",
                N_("your detractors stop at 5 (score < 6 or <= 5); detractors answer 0-6 (score <= 6)."),
                lambda g: _nps(g, detractors_to=5),
            ),
            Slip(
                "off-by-one",
                N_("your detractors include the 7s; detractors answer 0-6 (score <= 6), 7-8 are passives."),
                lambda g: _nps(g, detractors_to=7),
            ),
            Slip(
                "off-by-one",
                N_("your promoters include the 8s; promoters answer 9 or 10 (score >= 9), 7-8 are passives."),
                lambda g: _nps(g, promoters_from=8),
            ),
            Slip(
                "off-by-one",
                N_("your promoters are the 10s only (score > 9); promoters answer 9 or 10 (score >= 9)."),
                lambda g: _nps(g, promoters_from=10),
            ),
            Slip(
                "units",
                N_(
                    "that is a difference of counts (promoters minus detractors); NPS uses percentages of all respondents."
                ),
                lambda g: float((g.recommend >= 9).sum() - (g.recommend <= 6).sum()),
            ),
            Slip(
                "other",
                N_("that leaves the passives (7-8) out of the denominator; the percentages are of all respondents."),
                lambda g: float(
                    100
                    * ((g.recommend >= 9).sum() - (g.recommend <= 6).sum())
                    / ((g.recommend >= 9).sum() + (g.recommend <= 6).sum())
                ),
            ),
            Slip(
                "other",
                N_("that is the percentage of promoters alone; subtract the percentage of detractors."),
                lambda g: float(100 * (g.recommend >= 9).mean()),
            ),
        ],
        explanation=N_(
            "NPS = % promoters (9-10) minus % detractors (0-6) of all respondents; the passives "
            "(7-8) count in the denominator only."
        ),
    ),
    # ------------------------------------------------------------------ 1.7 Open case: the exhibition firm
    Exercise(
        "1.7a",
        "number",
        variable="answer_1_7a",
        unit=N_("years"),
        low=1,
        given={"churn": 0.25},
        reference=lambda g: float(value.expected_lifetime(1 - g.churn)),
        slips=[
            Slip(
                "complement",
                N_("that divides by the retention rate 0.75; a client stays on average 1 / churn years (1 / (1 - r))."),
                lambda g: 1 / (1 - g.churn),
            ),
            Slip(
                "off-by-one",
                N_("that counts the years after the first (r / (1 - r)); the question counts the first year too."),
                lambda g: float(value.expected_lifetime(1 - g.churn)) - 1,
            ),
            Slip(
                "percent",
                N_("the churn of 25% enters the formula as 0.25, not as 25."),
                lambda g: 1 / (100 * g.churn),
            ),
            Slip(
                "other",
                N_(
                    "that is the median stay (the year by which half the clients are gone); the question asks for "
                    "the average, 1 / churn."
                ),
                lambda g: float(np.log(0.5) / np.log(1 - g.churn)),
            ),
        ],
        explanation=N_(
            "With a constant yearly churn the length of stay is geometric: on average 1 / churn "
            "years, counting the first year."
        ),
    ),
    Exercise(
        "1.7b",
        "written",
        variable="answer_1_7b",
        min_words=60,
        aspects=[
            N_("the zone of indifference and the top box"),
            N_("measuring the wrong thing (小柯, the customer in Little Ke's fried rice), silent defection"),
            N_("behavioural measures: rebooking rate, churn, top-box share, exit interviews"),
            N_("the value of a lost client (expected lifetime times yearly margin)"),
            N_("a concrete first step"),
        ],
        explanation=N_(
            "Good answers separate attitude (the survey) from behaviour (rebooking), see that '88% "
            "satisfied' is a top-two-box figure hiding the 4s, and start by asking the clients who left."
        ),
    ),
    # ------------------------------------------------------------------ 1.8 Reliability of the SAT block
    Exercise(
        "1.8a",
        "number",
        variable="answer_1_8a",
        unit=N_("fraction of variance"),
        low=0,
        high=1,
        given=_ecsi,
        reference=lambda g: float(g.block["ave"]),
        slips=[
            Slip(
                "other",
                N_("that is the mean loading; AVE is the mean of the *squared* loadings."),
                lambda g: float(g.loadings.mean()),
            ),
            Slip(
                "other",
                N_("that is the sum of the squared loadings; AVE is their mean (divide by the 4 questions)."),
                lambda g: float((g.loadings**2).sum()),
            ),
            Slip(
                "complement",
                N_("that is the mean error variance, 1 - loading²; AVE is the mean of the squared loadings."),
                lambda g: 1 - float(g.block["ave"]),
            ),
            Slip("percent", _FRACTION, lambda g: 100 * float(g.block["ave"])),
        ],
        explanation=N_(
            "AVE is the share of the questions' variance the construct explains, on average: the "
            "mean of the squared loadings (at least 0.5 is wanted)."
        ),
    ),
    Exercise(
        "1.8b",
        "number",
        variable="answer_1_8b",
        unit=N_("reliability (0 to 1)"),
        low=0,
        high=1,
        given=_ecsi,
        reference=lambda g: float(g.block["rho_c"]),
        slips=[
            Slip(
                "other",
                N_(
                    "that is Cronbach's alpha (a different formula, from the items' variances); the exercise asks "
                    "for the composite reliability rho_C from the loadings."
                ),
                lambda g: float(g.block["alpha"]),
            ),
            Slip(
                "other",
                N_(
                    "that puts the sum of the squared loadings, Σλ², where rho_C has the square of their sum, (Σλ)² "
                    "(with Σλ² the formula gives the AVE of 1.8a)."
                ),
                lambda g: _composite(g.loadings, "sum of squares"),
            ),
            Slip(
                "other",
                N_("the sum of the loadings is squared in rho_C: (Σλ)², in the numerator and the denominator."),
                lambda g: _composite(g.loadings, "sum"),
            ),
            Slip(
                "complement",
                N_("that is one minus the reliability (the error share); give rho_C itself."),
                lambda g: 1 - float(g.block["rho_c"]),
            ),
            Slip("percent", _FRACTION, lambda g: 100 * float(g.block["rho_c"])),
        ],
        explanation=N_(
            "rho_C = (Σλ)² / ((Σλ)² + Σ(1 - λ²)): the share of the sum score's variance that is the "
            "construct's; 0.7 to 0.95 is wanted."
        ),
    ),
    # ------------------------------------------------------------------ 1.9 Key drivers of satisfaction
    Exercise(
        "1.9a",
        "number",
        variable="answer_1_9a",
        unit=N_("fraction of variance (R²)"),
        low=0,
        high=1,
        given=_drivers,
        reference=lambda g: float(g.three.r_squared),
        slips=[
            Slip(
                "percent",
                N_("that is R² in percent; give it as a fraction (0.25 for 25%)."),
                lambda g: 100 * g.three.r_squared,
            ),
            Slip(
                "other",
                N_(
                    "that is the adjusted R²; the exercise asks for R² itself, the share of the variance the regression "
                    "explains."
                ),
                lambda g: 1 - (1 - g.three.r_squared) * (g.three.n_obs - 1) / g.three.df_resid,
            ),
            Slip(
                "other",
                N_("that regression uses all seven drivers; this part uses quality, price and communication only."),
                lambda g: float(g.seven.r_squared),
            ),
        ],
        explanation=N_(
            "R² = 1 - (residual sum of squares) / (total sum of squares) of the regression of overall "
            "satisfaction on the three drivers, with an intercept."
        ),
    ),
    Exercise(
        "1.9b",
        "number",
        variable="answer_1_9b",
        unit=N_("part of R²"),
        low=0,
        high=1,
        given=_drivers,
        reference=_lmg,
        slips=[
            Slip(
                "percent",
                N_("that is a percentage; give the part of R² as a fraction of the variance."),
                lambda g: 100 * _lmg(g),
            ),
            Slip(
                "other",
                N_(
                    "that divides by R² (price's share of the explained part); the exercise asks for the part of R² "
                    "itself, so that the three drivers' parts add up to R²."
                ),
                lambda g: _lmg(g) / float(g.three.r_squared),
            ),
            Slip(
                "other",
                N_(
                    "that is the gain when price enters first (its squared correlation with overall); LMG averages the "
                    "gain over all six orders."
                ),
                lambda g: _gain(g, []),
            ),
            Slip(
                "other",
                N_(
                    "that is the gain when price enters last; LMG averages the gain over all six orders, in which price "
                    "also comes first or second."
                ),
                lambda g: _gain(g, _others(g)),
            ),
            Slip(
                "other",
                N_(
                    "that averages two orders only (price first and price last); with three drivers price is second in "
                    "two of the six orders too."
                ),
                lambda g: (_gain(g, []) + _gain(g, _others(g))) / 2,
            ),
            Slip(
                "other",
                N_(
                    "that is price's standardised regression coefficient (beta); LMG is a part of R², an average gain "
                    "in R²."
                ),
                lambda g: float(g.three.params[g.driver]),
            ),
            Slip(
                "other",
                N_("that is price's squared beta; LMG averages the gains in R² over the orders instead."),
                lambda g: float(g.three.params[g.driver]) ** 2,
            ),
        ],
        explanation=N_(
            "LMG: enter the drivers in each of the 3! = 6 orders, note how much R² rises when price "
            "enters, and average; the three parts add up to R² (and equal each driver's Shapley value)."
        ),
    ),
    Exercise(
        "1.9c",
        "label",
        variable="answer_1_9c",
        given=_drivers,
        reference=lambda g: list(g.grid["quadrant"]),
        allowed=satisfaction.QUADRANTS,
        explanation=N_(
            "Importance is the LMG share of R² from all seven drivers, performance the mean rating; a "
            "driver at or above the mean importance is important, at or above the mean rating is rated high."
        ),
    ),
    Exercise(
        "1.9d",
        "written",
        variable="answer_1_9d",
        min_words=60,
        aspects=[
            N_(
                "the priorities by quadrant (concentrate here first; protect what is kept up; overkill and low priority)"
            ),
            N_(
                "a lever for each priority driver (定期沟通 regular communication, 顾客档案 customer files, 个性化服务 "
                "personalisation, 服务质量 service quality)"
            ),
            N_("drivers on the border of a grid line, and where the lines were drawn"),
            N_("derived importance is association in one survey, not a proven effect; the cost of moving a driver"),
            N_("the link to loyalty: which drivers lift customers into the top box"),
        ],
        explanation=N_(
            "Good answers act by quadrant, tie each priority to one of the course's levers, treat the "
            "grid lines as a convention and remember that only completely satisfied customers are reliably loyal."
        ),
    ),
]
