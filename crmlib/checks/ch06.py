"""Chapter 6 (the relationship life cycle): the registry of ``exercises/06_relationship_life_cycle.ipynb``.

Every reference is computed with :mod:`crmlib.lifecycle` from the inputs the prompts give (the
BG/BB model is fitted to :func:`crmlib.datasets.load_donations`, as in the notebook's data cell; no
random draws); the slips compute what a student who made that mistake would get from the same
inputs. See :mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import datasets, lifecycle
from ..i18n import N_
from .registry import Exercise, Slip

# The exhibitor of Exercise 6.1: came back in 1996, 1998, 1999 and 2000 of the fairs 1996-2001.
EXHIBITOR = {"frequency": 4, "recency": 5, "periods": 6, "horizon": 5, "margin": 12_000.0, "discount_rate": 0.08}

# The rescue case of Exercise 6.4.
RESCUE = {
    "frequency": 3,
    "recency": 4,
    "periods": 6,
    "margin": 15_000.0,
    "discount_rate": 0.10,
    "success_probability": 0.25,
    "cost": 12_000.0,
}

STAGES = ["confirmation", "trust", "weakening", "dissolution"]
TRANSIENT = ["confirmation", "trust", "weakening"]


@cache
def _bgbb():
    don = datasets.load_donations()
    return lifecycle.fit_bg_bb(don["frequency"], don["recency"], don["periods"], weights=don["weights"])


def _exhibitor() -> dict:
    return {"fit": _bgbb(), **EXHIBITOR}


def _rescue() -> dict:
    fit = _bgbb()
    case = lifecycle.RescueCase(**RESCUE)
    return {"fit": fit, "decision": lifecycle.evaluate_rescue(fit, case), **RESCUE}


def _exhibitors() -> dict:
    """The six exhibitors of Exercise 6.2."""
    frame = pd.DataFrame(
        {
            "acquired": [True, True, False, True, True, True],
            "repeat": [True, False, False, True, True, False],
            "prob_alive": [0.82, 0.50, np.nan, 0.20, 0.45, 0.12],
        },
        index=["Anhui Tools", "Bohai Textiles", "Canton Foods", "Delta Valves", "East Print", "Fuzhou Tea"],
    )
    return {"exhibitors": frame}


def _counts() -> dict:
    """The stage-to-stage counts of Exercise 6.3 and the 25% cut of trust -> weakening."""
    counts = pd.DataFrame(
        [[60, 90, 150, 0], [0, 640, 110, 10], [0, 70, 280, 90], [0, 10, 0, 240]], index=STAGES, columns=STAGES
    )
    return {"counts": counts, "reduction": 0.25}


def _segments() -> dict:
    """The three segments and the care budget of Exercise 6.5."""
    segments = pd.DataFrame(
        {
            "customers": [40, 160, 400],
            "value": [60_000.0, 15_000.0, 4_000.0],
            "base_rate": [0.85, 0.70, 0.55],
            "max_rate": [0.92, 0.82, 0.65],
            "response_scale": [3_000.0, 800.0, 300.0],
        },
        index=[N_("key accounts"), N_("regular"), N_("small")],  # marked: tables show them in Chinese
    )
    return {"segments": segments, "budget": 100_000.0}


# ----------------------------------------------------------------------------- helpers
def _alive(g, frequency=None, recency=None, ahead=1) -> float:
    x = g.frequency if frequency is None else frequency
    tx = g.recency if recency is None else recency
    return float(g.fit.prob_alive(x, tx, g.periods, ahead=ahead))


def _future(g, horizon=None, frequency=None) -> float:
    h = g.horizon if horizon is None else horizon
    x = g.frequency if frequency is None else frequency
    return float(g.fit.conditional_expected_transactions(h, x, g.recency, g.periods))


def _residual(g, discount_rate=None) -> float:
    d = g.discount_rate if discount_rate is None else discount_rate
    return g.margin * float(g.fit.dert(d, g.frequency, g.recency, g.periods))


def _matrix(g):
    return lifecycle.transition_matrix(g.counts)


def _in_trust(g, matrix=None, start="confirmation", stage="trust") -> float:
    return float(lifecycle.expected_stage_time(_matrix(g) if matrix is None else matrix).loc[start, stage])


def _better(g):
    return lifecycle.reduce_transition(_matrix(g), "trust", "weakening", g.reduction)


def _cut_without_moving(g) -> float:
    """N[confirmation, trust] when trust -> weakening is cut but the freed probability is dropped."""
    Q = _matrix(g).loc[TRANSIENT, TRANSIENT].to_numpy().copy()
    Q[1, 2] *= 1 - g.reduction
    return float(np.linalg.inv(np.eye(len(TRANSIENT)) - Q)[0, 1])


def _value_if_rescued(g, discounted=True) -> float:
    v1 = g.margin * (1 + float(g.fit.dert(g.discount_rate, g.frequency + 1, g.periods + 1, g.periods + 1)))
    return v1 / (1 + g.discount_rate) if discounted else v1


def _gain(g, probability=None, cost=None) -> float:
    p = g.success_probability if probability is None else probability
    c = g.cost if cost is None else cost
    return p * g.decision.value_retained - c


def _equal_split(g):
    s = g.segments
    return pd.Series(g.budget / s["customers"].sum(), index=s.index)


def _equal_gain(g) -> float:
    s = g.segments
    kept = lifecycle.retained_value(_equal_split(g), **s) - s["customers"] * s["value"] * s["base_rate"]
    return float(kept.sum())


def _best(g):
    return lifecycle.allocate_care_budget(g.budget, **g.segments)


_FRACTION = N_("that is a percentage; a probability is a fraction between 0 and 1.")
_RESCUE_WHY = N_("compare P(success) x value retained with the cost: which is larger?")

EXERCISES = [
    # ------------------------------------------------------------------ 6.1 Will the exhibitor come back?
    Exercise(
        "6.1a",
        "number",
        variable="answer_6_1a",
        unit=N_("probability"),
        low=0,
        high=1,
        given=_exhibitor,
        reference=_alive,
        slips=[
            Slip(
                "off-by-one",
                N_(
                    "that is the chance she was alive at the 2001 fair (ahead=0); the question is about the next "
                    "fair, 2002."
                ),
                lambda g: _alive(g, ahead=0),
            ),
            Slip(
                "off-by-one",
                N_("the last fair she attended is 2000, occasion 5 (1996 is 1), not 4."),
                lambda g: _alive(g, recency=g.recency - 1),
            ),
            Slip(
                "off-by-one",
                N_("she attended 4 fairs after 1995, not 5 (1995 was her first, not a repeat)."),
                lambda g: _alive(g, frequency=g.frequency + 1),
            ),
            Slip(
                "complement",
                N_("that is the probability that she has dropped out; the question asks for P(alive)."),
                lambda g: 1 - _alive(g),
            ),
            Slip("percent", _FRACTION, lambda g: 100 * _alive(g)),
        ],
        explanation=N_(
            "She missed the last fair after a regular run: the BG/BB model weighs that silence against "
            "her frequency. Recency, not only frequency, carries the information."
        ),
    ),
    Exercise(
        "6.1b",
        "number",
        variable="answer_6_1b",
        unit=N_("fairs"),
        low=0,
        high=5,
        given=_exhibitor,
        reference=_future,
        slips=[
            Slip(
                "other",
                N_(
                    "that is a new exhibitor's expectation; condition on her history (conditional_expected_transactions)."
                ),
                lambda g: float(g.fit.expected_transactions(g.horizon)),
            ),
            Slip("off-by-one", N_("that counts the next 6 fairs, not 5."), lambda g: _future(g, horizon=g.horizon + 1)),
            Slip("off-by-one", N_("that counts the next 4 fairs, not 5."), lambda g: _future(g, horizon=g.horizon - 1)),
            Slip(
                "off-by-one",
                N_("she attended 4 fairs after 1995, not 5 (1995 was her first, not a repeat)."),
                lambda g: _future(g, frequency=g.frequency + 1),
            ),
        ],
        explanation=N_(
            "The conditional expectation combines her attendance rate with the chance that she is still "
            "alive, over the next five fairs."
        ),
    ),
    Exercise(
        "6.1c",
        "number",
        variable="answer_6_1c",
        unit=N_("yuan"),
        low=0,
        given=_exhibitor,
        reference=_residual,
        slips=[
            Slip(
                "other",
                N_("that is the number of discounted fairs (DERT) without the margin: multiply by 12,000."),
                lambda g: float(g.fit.dert(g.discount_rate, g.frequency, g.recency, g.periods)),
            ),
            Slip(
                "percent",
                N_("the discount rate of 8% is 0.08, not 0.8."),
                lambda g: _residual(g, discount_rate=10 * g.discount_rate),
            ),
            Slip(
                "other",
                N_(
                    "that values only the next five fairs, undiscounted (6.1b times the margin); the residual value "
                    "is the margin times DERT, all future fairs discounted at 8%."
                ),
                lambda g: g.margin * _future(g),
            ),
        ],
        explanation=N_(
            "DERT adds her expected future fairs, each discounted to today; times the margin per fair it "
            "is her residual value."
        ),
    ),
    # ------------------------------------------------------------------ 6.2 Which stage?
    Exercise(
        "6.2",
        "label",
        variable="answer_6_2",
        given=_exhibitors,
        allowed=lifecycle.STAGES,
        reference=lambda g: lifecycle.assign_stages(
            g.exhibitors["acquired"], g.exhibitors["repeat"], g.exhibitors["prob_alive"]
        ).tolist(),
        explanation=N_(
            "The rule reads the boundaries as 'below': P(alive) exactly 0.5 is not weakening yet and "
            "exactly 0.2 is not dissolved; a firm that has not exhibited is still being cultivated."
        ),
    ),
    # ------------------------------------------------------------------ 6.3 A Markov chain of stages
    Exercise(
        "6.3a",
        "frame",
        variable="answer_6_3a",
        abs_tol=5e-4,
        given=_counts,
        reference=_matrix,
        explanation=N_(
            "The maximum-likelihood estimate of p_ij is the share of the moves out of stage i that went "
            "to stage j: each row's counts divided by the row total."
        ),
    ),
    Exercise(
        "6.3b",
        "number",
        variable="answer_6_3b",
        unit=N_("fairs"),
        low=0,
        given=_counts,
        reference=_in_trust,
        slips=[
            Slip(
                "other",
                N_(
                    "that is the time in trust of an exhibitor who starts *in trust* (row trust), not a newly "
                    "confirmed one."
                ),
                lambda g: _in_trust(g, start="trust"),
            ),
            Slip(
                "other",
                N_("that is the total time before dissolution; the question asks for the fairs in trust only."),
                lambda g: _in_trust(g, stage="total"),
            ),
            Slip(
                "other",
                N_("that is the time in weakening (column weakening); the question asks for the fairs in trust."),
                lambda g: _in_trust(g, stage="weakening"),
            ),
        ],
        explanation=N_(
            "Row i, column j of N = (I - Q)^(-1) is the expected number of fairs spent in stage j by a "
            "relationship that starts in stage i, before it first dissolves."
        ),
    ),
    Exercise(
        "6.3c",
        "number",
        variable="answer_6_3c",
        unit=N_("fairs"),
        given=_counts,
        reference=lambda g: _in_trust(g, _better(g)) - _in_trust(g),
        slips=[
            Slip(
                "other",
                N_("that is the new number of fairs in trust; the question asks by how much it grows."),
                lambda g: _in_trust(g, _better(g)),
            ),
            Slip(
                "ratio",
                N_("that is the ratio new / old; the question asks by how many fairs the time grows (new - old)."),
                lambda g: _in_trust(g, _better(g)) / _in_trust(g),
            ),
            Slip(
                "ratio",
                N_("that is the relative growth (new / old - 1); the question asks for it in fairs (new - old)."),
                lambda g: _in_trust(g, _better(g)) / _in_trust(g) - 1,
            ),
            Slip(
                "sign",
                N_("that is old minus new; the time in trust grows, so the answer is new minus old."),
                lambda g: _in_trust(g) - _in_trust(g, _better(g)),
            ),
            Slip(
                "other",
                N_(
                    "the probability freed from trust -> weakening stays in trust: add it to trust -> trust so that "
                    "the row still sums to 1 (lifecycle.reduce_transition does this)."
                ),
                lambda g: _cut_without_moving(g) - _in_trust(g),
            ),
        ],
        explanation=N_(
            "Trust is sticky: cutting its exit to weakening by a quarter lengthens the expected stay in "
            "trust by almost two fairs, the slides' first lesson in numbers."
        ),
    ),
    # ------------------------------------------------------------------ 6.4 Rescue or end?
    Exercise(
        "6.4a",
        "number",
        variable="answer_6_4a",
        unit=N_("yuan"),
        low=0,
        given=_rescue,
        reference=lambda g: g.decision.value_retained,
        slips=[
            Slip(
                "other",
                N_("that is her value if rescued (V1) alone; subtract what she is worth anyway (V0)."),
                lambda g: g.decision.value_if_rescued,
            ),
            Slip(
                "other",
                N_("V1 is discounted by one year: she comes back at the next fair, a year from now."),
                lambda g: _value_if_rescued(g, discounted=False) - g.decision.value_now,
            ),
            Slip(
                "sign",
                N_("that is V0 - V1; the value retained by the rescue is V1 - V0."),
                lambda g: g.decision.value_now - g.decision.value_if_rescued,
            ),
        ],
        explanation=N_(
            "What a successful rescue adds is the difference between her value if she comes back (V1) "
            "and what she is worth anyway (V0)."
        ),
    ),
    Exercise(
        "6.4b",
        "number",
        variable="answer_6_4b",
        unit=N_("yuan"),
        given=_rescue,
        reference=lambda g: g.decision.expected_gain,
        slips=[
            Slip("other", N_("that forgets the cost of the rescue."), lambda g: g.decision.max_cost),
            Slip(
                "other",
                N_("that assumes the rescue always works; weight the value retained by P(success) = 0.25."),
                lambda g: _gain(g, probability=1.0),
            ),
            Slip(
                "complement",
                N_("0.75 is the chance that the rescue fails; weight the value retained by P(success) = 0.25."),
                lambda g: _gain(g, probability=1 - g.success_probability),
            ),
            Slip(
                "percent",
                N_("the chance one in four is 0.25 in the formula, not 25."),
                lambda g: _gain(g, probability=100 * g.success_probability),
            ),
            Slip(
                "sign",
                N_("that is cost minus expected value kept; the expected gain is P(success) x value retained - cost."),
                lambda g: -g.decision.expected_gain,
            ),
        ],
        explanation=N_(
            "The expected gain is P(success) x value retained - cost: what the rescue adds on average, "
            "net of what it costs for sure."
        ),
    ),
    Exercise(
        "6.4c",
        "choice",
        variable="answer_6_4c",
        given=_rescue,
        reference=lambda g: "a" if g.decision.action == "rescue" else "b",
        options={
            "a": N_("Rescue (挽救): the expected value kept exceeds the cost."),
            "b": N_("End gracefully (终止): the expected value kept is below the cost."),
        },
        explanations={"a": _RESCUE_WHY, "b": _RESCUE_WHY},
        explanation=N_(
            "Rescue only when P(success) x value retained exceeds the cost; otherwise end gracefully, "
            "keep her informed and learn why she left (or find a cheaper or more likely rescue)."
        ),
    ),
    Exercise(
        "6.4d",
        "number",
        variable="answer_6_4d",
        unit=N_("yuan"),
        low=0,
        given=_rescue,
        reference=lambda g: g.decision.max_cost,
        slips=[
            Slip(
                "other",
                N_("that is the whole value retained; a rescue that works one time in four is worth a quarter of it."),
                lambda g: g.decision.value_retained,
            ),
            Slip(
                "complement",
                N_(
                    "0.75 is the chance that the rescue fails; the break-even cost is P(success) = 0.25 times the "
                    "value retained."
                ),
                lambda g: (1 - g.success_probability) * g.decision.value_retained,
            ),
            Slip(
                "percent",
                N_("the chance one in four is 0.25 in the formula, not 25."),
                lambda g: 100 * g.success_probability * g.decision.value_retained,
            ),
        ],
        explanation=N_(
            "The rescue pays as long as its cost stays below P(success) x value retained: the break-even cost."
        ),
    ),
    # ------------------------------------------------------------------ 6.5 Split the care budget
    Exercise(
        "6.5a",
        "array",
        variable="answer_6_5a",
        unit=N_("yuan per exhibitor"),
        rel_tol=0.01,
        abs_tol=1.0,
        given=_segments,
        reference=lambda g: _best(g).table["spend_per_customer"],
        slips=[
            Slip(
                "units",
                N_("those are the segment totals; divide by the number of exhibitors in each segment."),
                lambda g: _best(g).table["spend"],
            ),
            Slip(
                "other",
                N_(
                    "that is the equal split (the budget over all exhibitors); the best split moves money to where "
                    "the marginal return is highest."
                ),
                _equal_split,
            ),
        ],
        explanation=N_(
            "The money goes where the marginal return is highest, so at the optimum the last yuan returns "
            "the same in every segment that gets money (the shadow price)."
        ),
    ),
    Exercise(
        "6.5b",
        "number",
        variable="answer_6_5b",
        unit=N_("yuan"),
        rel_tol=0.01,
        given=_segments,
        reference=lambda g: _best(g).total_gain - _equal_gain(g),
        slips=[
            Slip(
                "other",
                N_("that is the whole value gained by the best split; subtract what the equal split gains."),
                lambda g: _best(g).total_gain,
            ),
            Slip(
                "other",
                N_("that is what the equal split gains; the question asks how much more the best split keeps."),
                _equal_gain,
            ),
            Slip(
                "sign",
                N_("that is equal split minus best split; the best split keeps more, so take best minus equal."),
                lambda g: _equal_gain(g) - _best(g).total_gain,
            ),
        ],
        explanation=N_(
            "Both splits spend the same budget; the difference in value kept is what targeting the care "
            "by marginal return is worth."
        ),
    ),
    # ------------------------------------------------------------------ 6.6 Loyal exhibitors
    Exercise(
        "6.6",
        "written",
        variable="answer_6_6",
        min_words=80,
        aspects=[
            N_("finding the right exhibitors, valued by lifetime or residual value"),
            N_("the stages: first-fair results (confirmation) and lengthening trust"),
            N_("value-added services and care actions (key persons, clubs, information, matching)"),
            N_("early warning on the slides' signs and the rescue-or-end decision"),
            N_("budget to the segments with the higher return; evaluating care"),
        ],
        explanation=N_(
            "Good answers follow the life cycle with concrete measures for one fair, use the chapter's "
            "tools with numbers, and say what they would measure after each edition."
        ),
    ),
]
