"""Valid calls of crmlib.crm (chapter 0) for the convention tests (see api_examples.py).

The constructed data (scattered bookstore records, exhibitor prospects) and the CDNOW features are
built once and handed out as fresh copies, so a sweep over bad values never sees a frame another
call changed.
"""

from functools import lru_cache

import numpy as np
from api_examples import Example, SeriesExample


def _rng():
    return np.random.default_rng(1)


@lru_cache(maxsize=1)
def _records_cached():
    from crmlib import crm

    return crm.simulate_scattered_records(40, rng=np.random.default_rng(3))


def _records():
    return _records_cached().copy()


def _clusters():
    from crmlib import crm

    return crm.link_exact(_records_cached())


def _true_ids():
    return _records_cached()["true_customer_id"].copy()


@lru_cache(maxsize=1)
def _log_cached():
    import pandas as pd

    return pd.DataFrame(
        {
            "id": [1, 1, 2, 3, 3, 3, 4, 5, 5, 6],
            "date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-20",
                    "2024-01-05",
                    "2024-01-02",
                    "2024-01-09",
                    "2024-01-30",
                    "2024-01-15",
                    "2024-01-03",
                    "2024-02-10",
                    "2024-01-25",
                ]
            ),
            "amount": [10.0, 12.0, 5.0, 30.0, 25.0, 40.0, 8.0, 15.0, 9.0, 60.0],
        }
    )


def _log():
    return _log_cached().copy()


def _features():
    from crmlib import crm

    return crm.rfm_features(_log_cached(), "id", "date", "amount", calibration_end="2024-01-31")


@lru_cache(maxsize=1)
def _prospects_cached():
    from crmlib import crm

    return crm.simulate_exhibitor_prospects(40, rng=np.random.default_rng(2))


def _prospects():
    return _prospects_cached().copy()


def _ranked():
    from crmlib import crm

    return crm.rank_prospects(_prospects_cached())


EXAMPLES = {
    # the bookstore case
    "crmlib.crm.simulate_scattered_records": Example(dict(n_customers=30, rng=_rng)),
    "crmlib.crm.standardise_contacts": Example(dict(records=_records)),
    "crmlib.crm.link_exact": Example(dict(records=_records)),
    "crmlib.crm.link_records": Example(dict(records=_records, rng=_rng, threshold=0.9)),
    "crmlib.crm.linkage_quality": Example(dict(clusters=_clusters, true_ids=_true_ids)),
    "crmlib.crm.scattered_view": Example(dict(records=_records)),
    "crmlib.crm.integrated_view": Example(dict(records=_records, clusters=_clusters)),
    # kinds of CRM
    "crmlib.crm.crm_type": Example(dict(capabilities=["data warehouse", "churn prediction"])),
    "crmlib.crm.crm_tier": Example(dict(employees=450, multi_region=True, global_firm=False)),
    "crmlib.crm.crm_myths": Example(dict(deliverable="software", in_core_processes=False, owners=["IT"])),
    # analytical CRM
    "crmlib.crm.rfm_features": Example(
        dict(
            transactions=_log,
            customer_col="id",
            date_col="date",
            amount_col="amount",
            calibration_end="2024-01-31",
            observation_end="2024-02-29",
        )
    ),
    "crmlib.crm.segment_customers": Example(
        dict(features=_features, n_segments=2, rng=_rng, log_features=("purchases", "spend"))
    ),
    "crmlib.crm.choose_n_segments": Example(dict(features=_features, candidates=(2, 3), rng=_rng)),
    # developing new customers
    "crmlib.crm.simulate_exhibitor_prospects": Example(dict(n_prospects=30, rng=_rng)),
    "crmlib.crm.value_if_won": Example(
        dict(booth_area=18.0, booth_price=1200.0, profit_share=0.35, retention_rate=0.6, discount_rate=0.08, periods=5)
    ),
    "crmlib.crm.prospect_value": Example(dict(conversion_probability=0.3, value_if_won=16000.0, cost_to_win=2100.0)),
    "crmlib.crm.rank_prospects": Example(dict(prospects=_prospects)),
    "crmlib.crm.evaluate_campaign": Example(dict(prospects=_prospects)),
    "crmlib.crm.source_summary": Example(dict(ranked=_ranked)),
    "crmlib.crm.communication_plan": Example(dict(ranked=_ranked, n_prospects=3)),
}

SERIES_FUNCTIONS = {
    "crmlib.crm.value_if_won": SeriesExample({"booth_area": [9.0, 18.0, 36.0]}),
    "crmlib.crm.prospect_value": SeriesExample(
        {
            "conversion_probability": [0.1, 0.3, 0.6],
            "value_if_won": [8000.0, 16000.0, 30000.0],
            "cost_to_win": [900.0, 2100.0, 4000.0],
        }
    ),
}
