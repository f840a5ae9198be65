"""Chapter 0 (what CRM is): the registry of ``exercises/00_what_is_crm.ipynb``.

Every reference is computed with :mod:`crmlib.crm` from the inputs the prompts give (the
constructed bookstore records are rebuilt from the same seeds as the notebook's cells); the slips
compute what a student who made that mistake would get from the same inputs. See
:mod:`crmlib.checks.registry` for the format.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import crm
from ..i18n import N_, NP_
from .registry import Exercise, Slip

#: The seed of the data cell of Exercise 0.3: ``crm.simulate_scattered_records(200, rng=np.random.default_rng(21))``.
RECORDS_SEED = 21
#: The seed the prompt of Exercise 0.3 prescribes for the linkage: ``rng=np.random.default_rng(5)``.
LINKAGE_SEED = 5

# Exercise 0.1: the capabilities of the four systems, in the vocabulary of crm.CRM_CAPABILITIES.
SYSTEMS = {
    "A": [
        "call centre with computer-telephony integration",
        "one contact history across channels",
        "web self-service portal",
    ],
    "B": ["data warehouse", "churn prediction", "customer value scoring", "customer segmentation"],
    "C": ["sales force automation", "field service scheduling", "marketing campaign management"],
    "D": ["partner portal (PRM)", "e-mail, chat and social-media inbox"],
}
TIERS = ("enterprise", "mid-market", "small business")

# Exercise 0.2: the four plans in the terms of crm.crm_myths.
PLANS = {
    "A": {
        "deliverable": "customer database",
        "in_core_processes": True,
        "owners": ["sales", "service", "events", "web"],
    },
    "B": {"deliverable": "changed processes", "in_core_processes": True, "owners": ["customer service"]},
    "C": {"deliverable": "software", "in_core_processes": True, "owners": ["sales", "operations", "service", "IT"]},
    "D": {"deliverable": "changed processes", "in_core_processes": False, "owners": ["marketing", "sales"]},
}

# Exercise 0.4: the prospective exhibitor and the organiser's terms.
TERMS = {"booth_price": 1100.0, "profit_share": 0.30, "retention_rate": 0.70, "discount_rate": 0.10, "periods": 4}
PROSPECT = {"booth_area": 36.0, "conversion_probability": 0.25, "cost_to_win": 5000.0, **TERMS}
# The three prospects of Exercise 0.4d (the notebook's prospects_0_4).
PROSPECTS = {
    "booth_area": [36.0, 18.0, 72.0],
    "conversion_probability": [0.25, 0.6, 0.08],
    "cost_to_win": [5000.0, 2500.0, 7000.0],
}
PROSPECT_IDS = ["Q1", "Q2", "Q3"]


@cache
def _linkage() -> dict:
    """The bookstore of Exercise 0.3, its probabilistic linkage and the integrated view."""
    records = crm.simulate_scattered_records(200, rng=np.random.default_rng(RECORDS_SEED))
    fit = crm.link_records(records, rng=np.random.default_rng(LINKAGE_SEED))
    return {
        "records": records,
        "fit": fit,
        "view": crm.integrated_view(records, fit.clusters),
        "truth": records["true_customer_id"],
    }


def _prospects() -> dict:
    return {"prospects": pd.DataFrame(PROSPECTS, index=PROSPECT_IDS), **TERMS}


# ----------------------------------------------------------------------------- helpers
def _terms(g, **changes) -> dict:
    return {k: changes.get(k, g[k]) for k in TERMS}


def _won(g, **changes) -> float:
    """V of the prospect of Exercise 0.4 (``changes`` replace some of the terms)."""
    return float(crm.value_if_won(g.booth_area, **_terms(g, **changes)))


def _by_formula(m, r, d, periods) -> float:
    """m sum_{t<T} (r / (1 + d))^t for any inputs (also a discount 'rate' of 10)."""
    return float(sum(m * (r / (1 + d)) ** t for t in range(periods)))


def _margin(g) -> float:
    return g.booth_area * g.booth_price * g.profit_share


def _pv(g, probability=None) -> float:
    p = g.conversion_probability if probability is None else probability
    return float(crm.prospect_value(p, _won(g), g.cost_to_win))


def _quality(g):
    return crm.linkage_quality(g.fit.clusters, g.truth)


EXERCISES = [
    # ------------------------------------------------------------------ 0.1 What kind of CRM is it?
    Exercise(
        "0.1a",
        "label",
        variable="answer_0_1a",
        given={"systems": SYSTEMS},
        allowed=tuple(crm.CRM_TYPES),
        reference=lambda g: [crm.crm_type(c) for c in g.systems.values()],
        explanation=N_(
            "Classify a system by its main purpose: joining channels and partners is collaborative, "
            "analysing data is analytical, automating front-office work is operational."
        ),
    ),
    Exercise(
        "0.1b",
        "label",
        variable="answer_0_1b",
        given={"employees": 150, "multi_region": True},
        allowed=TIERS,
        reference=lambda g: crm.crm_tier(g.employees, multi_region=g.multi_region),
        explanation=N_(
            "The slides draw the line at 200 staff: below it a firm needs small-business CRM, even if "
            "it works in two cities."
        ),
    ),
    # ------------------------------------------------------------------ 0.2 Myths in practice
    Exercise(
        "0.2",
        "label",
        variable="answer_0_2",
        given={"plans": PLANS},
        allowed=tuple(m.key for m in crm.MYTHS),
        reference=lambda g: [crm.crm_myths(**plan)[0] for plan in g.plans.values()],
        explanation=N_(
            "Ask of each plan what its goal is (a database, software or changed processes), whether "
            "the core processes change, and who owns it."
        ),
    ),
    # ------------------------------------------------------------------ 0.3 Integrate the scattered records
    Exercise(
        "0.3a",
        "number",
        variable="answer_0_3a",
        unit=NP_("unit", "customers"),
        low=0,
        given=_linkage,
        reference=lambda g: float(g.fit.n_customers),
        slips=[
            Slip(
                "units",
                N_("that is the number of records in the four lists, not of customers: link them first."),
                lambda g: float(len(g.records)),
            ),
            Slip(
                "other",
                N_("that is the true number of customers, which the store cannot know; count the linked ones."),
                lambda g: float(g.truth.nunique()),
            ),
            Slip(
                "other",
                N_(
                    "that is the number of customers exact phone and e-mail keys find (crm.link_exact); the exercise "
                    "asks for the probabilistic linkage (crm.link_records)."
                ),
                lambda g: float(crm.link_exact(g.records).nunique()),
            ),
        ],
        explanation=N_(
            "Record linkage groups the records that belong to one person; the number of groups is the "
            "number of customers the store can see."
        ),
    ),
    Exercise(
        "0.3b",
        "number",
        variable="answer_0_3b",
        unit=N_("yuan per year"),
        low=0,
        given=_linkage,
        reference=lambda g: float(g.view["spend"].iloc[0]),
        slips=[
            Slip(
                "other",
                N_("that is the largest single record (one card or account); add up the customer's records."),
                lambda g: float(g.records["spend"].max()),
            ),
            Slip(
                "other",
                N_(
                    "that is the spend of all customers together; the question asks for the one most valuable customer."
                ),
                lambda g: float(g.view["spend"].sum()),
            ),
        ],
        explanation=N_(
            "The integrated view sums each customer's spending over all departments' records and ranks "
            "customers by it: the first row is the most valuable customer."
        ),
    ),
    Exercise(
        "0.3c",
        "number",
        variable="answer_0_3c",
        unit=N_("complaints"),
        abs_tol=0.5,
        low=0,
        given=_linkage,
        reference=lambda g: float(g.view["complaints"].iloc[0]),
        slips=[
            Slip(
                "other",
                N_(
                    "that is the largest number of complaints of any customer; the question asks for the complaints "
                    "of the most valuable customer (the first row of the integrated view)."
                ),
                lambda g: float(g.view["complaints"].max()),
            ),
            Slip(
                "other",
                N_("that is the number of complaints of all customers together; take the most valuable customer's."),
                lambda g: float(g.view["complaints"].sum()),
            ),
        ],
        explanation=N_(
            "Only the integrated record shows that the most valuable customer has complained: sales "
            "sees her spending, service her complaints."
        ),
    ),
    Exercise(
        "0.3d",
        "number",
        variable="answer_0_3d",
        unit=N_("fraction of the true pairs"),
        low=0,
        high=1,
        given=_linkage,
        reference=lambda g: float(_quality(g).recall),
        slips=[
            Slip(
                "other",
                N_(
                    "that is the recall of exact phone and e-mail keys (crm.link_exact), not of the probabilistic linkage."
                ),
                lambda g: float(crm.linkage_quality(crm.link_exact(g.records), g.truth).recall),
            ),
            Slip(
                "percent",
                N_("that is a percentage; the exercise asks for a fraction (0.25 for 25%)."),
                lambda g: 100 * float(_quality(g).recall),
            ),
            Slip(
                "other",
                N_(
                    "that is the precision (the share of predicted pairs that are right); the recall is the share of "
                    "the true pairs that were found."
                ),
                lambda g: float(_quality(g).precision),
            ),
            Slip(
                "other",
                N_("that is F1, the harmonic mean of precision and recall; the question asks for the recall alone."),
                lambda g: float(_quality(g).f1),
            ),
            Slip(
                "complement",
                N_(
                    "that is the share of the true pairs the linkage missed (1 - recall); the recall is the share it found."
                ),
                lambda g: 1 - float(_quality(g).recall),
            ),
        ],
        explanation=N_(
            "Recall = true pairs found / all true pairs: records of one person that the linkage did not "
            "join (name-only records) lower it; precision stays perfect."
        ),
    ),
    # ------------------------------------------------------------------ 0.4 A prospective exhibitor
    Exercise(
        "0.4a",
        "number",
        variable="answer_0_4a",
        unit=N_("yuan"),
        low=0,
        period="periods",
        given=PROSPECT,
        reference=_won,
        slips=[
            Slip(
                "other",
                N_("that counts only the first fair; she comes back with probability 0.7 each time."),
                lambda g: _won(g, periods=1),
            ),
            Slip(
                "other",
                N_("the later fairs must be discounted at 10% per interval."),
                lambda g: _won(g, discount_rate=0.0),
            ),
            Slip(
                "off-by-one",
                N_("the first fair is paid now, undiscounted and certain once she is won: the sum starts at t = 0."),
                lambda g: _by_formula(_margin(g), g.retention_rate, g.discount_rate, g.periods + 1) - _margin(g),
            ),
            Slip(
                "percent",
                N_("the discount rate of 10% enters the formula as 0.10, not as 10."),
                lambda g: _by_formula(_margin(g), g.retention_rate, 100 * g.discount_rate, g.periods),
            ),
            Slip(
                "other",
                N_("that values the booth revenue; the profit per fair is the profit share (30%) of it."),
                lambda g: _won(g, profit_share=1.0),
            ),
            Slip(
                "complement",
                N_("0.3 is the chance she does not come back; the sum uses the return probability r = 0.7."),
                lambda g: _won(g, retention_rate=1 - g.retention_rate),
            ),
        ],
        explanation=N_(
            "V = m (1 + r/(1+d) + (r/(1+d))^2 + (r/(1+d))^3) with m = 36 x 1,100 x 0.3: the first fair "
            "counts in full, each later one weighted by the chance she returns and discounted."
        ),
    ),
    Exercise(
        "0.4b",
        "number",
        variable="answer_0_4b",
        unit=N_("yuan"),
        given=PROSPECT,
        reference=_pv,
        slips=[
            Slip(
                "other",
                N_("the cost of winning her is spent whether or not she books: subtract it from p V."),
                lambda g: g.conversion_probability * _won(g),
            ),
            Slip(
                "other",
                N_("multiply the value by the conversion probability before subtracting the cost."),
                lambda g: _won(g) - g.cost_to_win,
            ),
            Slip(
                "sign",
                N_("that is c - p V; the prospect value is what she is expected to bring minus the cost: p V - c."),
                lambda g: -_pv(g),
            ),
            Slip(
                "percent",
                N_("the conversion probability of 25% enters the formula as 0.25, not as 25."),
                lambda g: 100 * g.conversion_probability * _won(g) - g.cost_to_win,
            ),
            Slip(
                "complement",
                N_("0.75 is the chance she is not won; weight her value by the conversion probability 0.25."),
                lambda g: _pv(g, probability=1 - g.conversion_probability),
            ),
        ],
        explanation=N_(
            "PV = p V - c: the value if won, weighted by the chance of winning her, minus the cost of "
            "trying, which is spent either way."
        ),
    ),
    Exercise(
        "0.4c",
        "number",
        variable="answer_0_4c",
        unit=N_("probability"),
        low=0,
        high=1,
        given=PROSPECT,
        reference=lambda g: g.cost_to_win / _won(g),
        slips=[
            Slip(
                "other",
                N_("that is V / c; she breaks even where p V = c, so p = c / V."),
                lambda g: _won(g) / g.cost_to_win,
            ),
            Slip(
                "percent",
                N_("that is a probability in percent; give it as a fraction (0.25 for 25%)."),
                lambda g: 100 * g.cost_to_win / _won(g),
            ),
            Slip(
                "complement",
                N_("that is 1 - c / V; the break-even probability is c / V itself."),
                lambda g: 1 - g.cost_to_win / _won(g),
            ),
            Slip(
                "other",
                N_("that divides the cost by one fair's profit; divide it by her value over the four fairs, V."),
                lambda g: g.cost_to_win / _margin(g),
            ),
        ],
        explanation=N_(
            "Setting PV = p V - c to zero gives p = c / V: any conversion probability above it makes "
            "pursuing her worthwhile."
        ),
    ),
    Exercise(
        "0.4d",
        "label",
        variable="answer_0_4d",
        given=_prospects,
        allowed=tuple(PROSPECT_IDS),
        reference=lambda g: list(
            crm.prospect_value(
                g.prospects["conversion_probability"],
                crm.value_if_won(g.prospects["booth_area"], **{k: g[k] for k in TERMS}),
                g.prospects["cost_to_win"],
            )
            .sort_values(ascending=False)
            .index
        ),
        explanation=N_(
            "Rank by prospect value p V - c, not by booth size: a small booth that will probably book "
            "can beat a large one that probably will not."
        ),
    ),
    # ------------------------------------------------------------------ 0.5 Exam question
    Exercise(
        "0.5",
        "written",
        variable="answer_0_5",
        min_words=80,
        aspects=[
            N_("exhibitors (actual and potential) as the core customers"),
            N_("visitors: professional vs general, effective vs ineffective, matched to exhibitors"),
            N_("service providers as a united front"),
            N_("staff as internal customers (silent protest passed on)"),
            N_("why exhibitors judge the fair by its visitors"),
        ],
        explanation=N_(
            "The slides' four groups: exhibitors at the centre, visitors who decide what the fair is "
            "worth to them, service providers as a united front, and the organiser's own staff."
        ),
    ),
]
