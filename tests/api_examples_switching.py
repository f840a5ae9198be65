"""Valid calls of crmlib.switching (chapter 4) for the convention tests (see api_examples.py).

Data that are expensive to build (the telco file, a fitted logit) are built once and handed out as
fresh copies, so a sweep over bad values never sees a frame another call changed.
"""

from functools import lru_cache

import numpy as np
from api_examples import Example, SeriesExample


def _rng():
    return np.random.default_rng(1)


@lru_cache(maxsize=1)
def _telco_cached():
    from crmlib import datasets

    return datasets.load_telco_churn()


def _telco():
    return _telco_cached().copy()


@lru_cache(maxsize=1)
def _churn_fit():
    from crmlib import switching

    return switching.fit_churn_logit(_telco_cached())


@lru_cache(maxsize=1)
def _barrier_fit():
    from crmlib import switching

    return switching.fit_barrier_model(switching.simulate_barrier_survey(300, rng=np.random.default_rng(1)))


def _survey():
    from crmlib import switching

    return switching.simulate_switching_cost_survey(30, rng=np.random.default_rng(1))


def _barrier_survey():
    from crmlib import switching

    return switching.simulate_barrier_survey(300, rng=np.random.default_rng(1))


@lru_cache(maxsize=1)
def _curves():
    from crmlib import switching

    return switching.retention_curves(_telco_cached())


_SV = dict(
    quantity=100.0,
    utility=31.0,
    price=26.0,
    other_costs=30.0,
    maintenance_cost=40.0,
    switching_cost=120.0,
    promotion=0.0,
)
_M = "crmlib.switching."

EXAMPLES = {
    _M + "substitute_value": Example(dict(_SV)),
    _M + "current_value": Example(
        dict(quantity=100.0, utility=30.0, price=26.0, other_costs=0.0, maintenance_cost=40.0)
    ),
    _M + "prefers_switch": Example(dict(current_value=360.0, substitute_value=310.0)),
    _M + "decide": Example({}),
    _M + "break_even_switching_cost": Example(
        dict(
            current_value=360.0,
            quantity=100.0,
            utility=31.0,
            price=26.0,
            other_costs=30.0,
            maintenance_cost=40.0,
            promotion=0.0,
        )
    ),
    _M + "required_price_cut": Example(dict(current_value=360.0, substitute_value=310.0, quantity=100.0)),
    _M + "tornado": Example(dict(swing=0.2)),
    _M + "welcome_offer_value": Example(dict(base_fare=10.0, coupons=[9.0, 8.0], free_orders=3)),
    _M + "break_even_base_fare": Example(dict(value_gap=-50.0, coupons=[9.0, 8.0], free_orders=3)),
    _M + "switch_probability": Example(dict(value_gap=0.0, scale=40.0, barrier=0.0)),
    _M + "churn_rate": Example(dict(value_gaps=[-50.0, 50.0], scale=40.0, barrier=0.0)),
    _M + "expected_churn_rate": Example(dict(mean_gap=-50.0, gap_sd=60.0, scale=40.0, barrier=0.0, nodes=101)),
    _M + "simulate_value_gaps": Example(dict(n_customers=5, mean_gap=-50.0, gap_sd=60.0, rng=_rng)),
    _M + "logsum_surplus": Example(dict(current_value=100.0, substitute_value=100.0, scale=10.0)),
    _M + "churn_outcome": Example(dict(points=11)),
    _M + "simulate_switching_cost_survey": Example(
        dict(n_respondents=5, rng=_rng, items_per_facet=3, type_correlation=0.4, facet_loading=0.8, item_loading=0.8)
    ),
    _M + "score_switching_costs": Example(dict(items=_survey)),
    _M + "facet_reliability": Example(dict(items=_survey)),
    _M + "simulate_barrier_survey": Example(dict(n_respondents=20, rng=_rng)),
    _M + "fit_barrier_model": Example(dict(frame=_barrier_survey)),
    _M + "barrier_slope": Example(dict(result=_barrier_fit, satisfaction=2.0)),
    _M + "churn_by_contract": Example(dict(frame=_telco, level=0.95)),
    _M + "churn_design_matrix": Example(dict(frame=_telco)),
    _M + "fit_churn_logit": Example(dict(frame=_telco)),
    _M + "churn_risk": Example(dict(result=_churn_fit, frame=_telco)),
    _M + "retention_curves": Example(dict(frame=_telco, by="contract", level=0.95)),
    _M + "retention_table": Example(dict(curves=_curves, at=12.0)),
}

# Functions that take Series (argument -> values): index in, same index out; two Series aligned by label.
SERIES_FUNCTIONS = {
    _M + "substitute_value": SeriesExample(dict(quantity=[100.0, 50.0, 10.0], switching_cost=[120.0, 0.0, 30.0])),
    _M + "current_value": SeriesExample(dict(quantity=[100.0, 50.0, 10.0], utility=[30.0, 28.0, 40.0])),
    _M + "prefers_switch": SeriesExample(
        dict(current_value=[360.0, 300.0, 100.0], substitute_value=[310.0, 310.0, 100.0])
    ),
    _M + "break_even_switching_cost": SeriesExample(
        dict(current_value=[360.0, 300.0, 100.0], quantity=[100.0, 50.0, 10.0])
    ),
    _M + "required_price_cut": SeriesExample(
        dict(current_value=[360.0, 300.0, 100.0], substitute_value=[310.0, 310.0, 90.0], quantity=[100.0, 50.0, 10.0])
    ),
    _M + "switch_probability": SeriesExample(dict(value_gap=[-50.0, 0.0, 80.0], barrier=[0.0, 10.0, 100.0])),
    _M + "logsum_surplus": SeriesExample(dict(current_value=[100.0, 50.0, 0.0], substitute_value=[90.0, 60.0, 5.0])),
    _M + "welcome_offer_value": SeriesExample(dict(base_fare=[8.0, 10.0, 12.0])),
    _M + "break_even_base_fare": SeriesExample(dict(value_gap=[-50.0, -20.0, 0.0])),
    _M + "expected_churn_rate": SeriesExample(dict(mean_gap=[-50.0, 0.0, 50.0])),
    _M + "barrier_slope": SeriesExample(dict(satisfaction=[2.0, 4.0, 6.5])),
}
