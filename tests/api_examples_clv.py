"""Valid calls of crmlib.clv (summaries and value) for the convention tests (see api_examples.py).

The fits, their results and ``simulate_bg_nbd`` (crmlib.clv.models) have their own file,
``api_examples_clv_models.py``. Fitted models and data are built once and cached: they are
frozen results and read-only frames, so sharing them between calls is safe.
"""

from functools import lru_cache

import pandas as pd
from api_examples import Example, SeriesExample


@lru_cache(maxsize=1)
def _log():
    from crmlib import datasets

    return datasets.load_cdnow(sample=True)


@lru_cache(maxsize=1)
def _rfm():
    from crmlib import clv

    return clv.rfm_summary(
        _log(), "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    )


@lru_cache(maxsize=1)
def _bg():
    from crmlib import clv

    rfm = _rfm()
    return clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])


@lru_cache(maxsize=1)
def _gg():
    from crmlib import clv

    rfm = _rfm()
    return clv.fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])


def _small_log():
    return pd.DataFrame(
        {
            "id": [1, 1, 1, 2, 2],
            "amount": [10.0, 5.0, 20.0, 8.0, 12.0],
            "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-02-20"],
        }
    )


_CUSTOMER = dict(
    purchase_model=_bg,
    spend_model=_gg,
    frequency=2,
    recency=30.0,
    T=38.0,
    monetary_value=20.0,
    periods=12,
    period_length=4.345,
    discount_rate=0.01,
    profit_share=1.0,
)
_CUSTOMERS = SeriesExample(
    series={
        "frequency": [2, 0, 5, 1],
        "recency": [30.0, 0.0, 35.0, 10.0],
        "T": [38.0, 20.0, 38.0, 30.0],
        "monetary_value": [20.0, 0.0, 35.0, 15.0],
    }
)

EXAMPLES = {
    # ------------------------------------------------------------------ crmlib.clv.summaries
    "crmlib.clv.summaries.rfm_summary": Example(
        dict(
            transactions=_small_log,
            customer_col="id",
            date_col="date",
            amount_col="amount",
            calibration_end="2024-01-29",
            observation_end="2024-02-29",
            freq="W",
        )
    ),
    "crmlib.clv.summaries.holdout_comparison": Example(dict(model=_bg, summary=_rfm, max_frequency=7)),
    "crmlib.clv.summaries.tracking_data": Example(
        dict(
            model=_bg,
            transactions=_log,
            customer_col="customer_id",
            date_col="date",
            calibration_end="1997-09-30",
            observation_end="1998-06-30",
            freq="W",
        )
    ),
    # ------------------------------------------------------------------ crmlib.clv.value
    "crmlib.clv.value.scenario": Example(dict(margin=100.0, retention_rate=0.8, discount_rate=0.1, periods=10)),
    "crmlib.clv.value.continuing_value": Example(dict(profits=[100.0, 90.0, 80.0], discount_rate=0.1)),
    "crmlib.clv.value.customer_equity": Example(
        dict(new_customers=1000.0, margin=100.0, retention_rate=0.8, discount_rate=0.12, acquisition_cost=150.0)
    ),
    "crmlib.clv.value.value_elasticities": Example(
        dict(margin=100.0, retention_rate=0.8, discount_rate=0.12, acquisition_cost=150.0)
    ),
    "crmlib.clv.value.customer_lifetime_value": Example(dict(_CUSTOMER)),
    "crmlib.clv.value.growth_potential": Example(dict(_CUSTOMER, quantile=0.75)),
    "crmlib.clv.value.value_matrix": Example(
        dict(
            current_value=[10.0, 50.0, 20.0, 80.0],
            growth_potential=[5.0, 40.0, 60.0, 1.0],
            current_split=30.0,
            growth_split=20.0,
        )
    ),
}

SERIES_FUNCTIONS = {
    "crmlib.clv.value.customer_lifetime_value": _CUSTOMERS,
    "crmlib.clv.value.growth_potential": _CUSTOMERS,
    "crmlib.clv.value.value_matrix": SeriesExample(
        series={"current_value": [10.0, 50.0, 20.0, 80.0], "growth_potential": [5.0, 40.0, 60.0, 1.0]}
    ),
}
