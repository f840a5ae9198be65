"""Valid calls of crmlib.churn for the convention tests (see api_examples.py).

Small frames and arrays, so that the sweep over bad values stays fast; data are built fresh on
each call, so no call sees a frame another one changed.
"""

import numpy as np
import pandas as pd
from api_examples import Example, SeriesExample


def _rng():
    return np.random.default_rng(1)


def _frame():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"x": rng.normal(size=60), "plan": np.where(rng.random(60) < 0.5, "a", "b")})
    df["churn"] = rng.random(60) < 1 / (1 + np.exp(-1.5 * df["x"]))
    return df


_Y = [0, 0, 1, 0, 1, 1, 0, 1, 0, 1]
_P = [0.1, 0.2, 0.7, 0.3, 0.6, 0.9, 0.4, 0.5, 0.15, 0.8]
_M = "crmlib.churn."

EXAMPLES = {
    _M + "fold_labels": Example(dict(outcome=_Y, folds=2, rng=_rng)),
    _M + "split_train_test": Example(dict(data=_frame, test_share=0.3, rng=_rng, stratify="churn")),
    _M + "roc_auc": Example(dict(outcome=_Y, score=_P, level=0.95)),
    _M + "roc_table": Example(dict(outcome=_Y, score=_P)),
    _M + "gains_table": Example(dict(outcome=_Y, score=_P, groups=5)),
    _M + "calibration_table": Example(dict(outcome=_Y, probability=_P, groups=5, level=0.95)),
    _M + "hosmer_lemeshow": Example(dict(outcome=_Y, probability=_P, groups=3)),
    _M + "cost_threshold": Example(dict(offer_cost=50.0, customer_value=1000.0, success_rate=0.5)),
    _M + "expected_offer_value": Example(
        dict(probability=0.3, customer_value=1000.0, offer_cost=50.0, success_rate=0.5)
    ),
    _M + "plan_offers": Example(
        dict(probability=_P, customer_value=1000.0, offer_cost=50.0, success_rate=0.5, outcome=_Y)
    ),
    _M + "confusion_table": Example(dict(outcome=_Y, probability=_P, threshold=0.5)),
    _M + "adjust_to_base_rate": Example(dict(probability=0.5, sample_rate=0.3, population_rate=0.02)),
    _M + "fit_penalized_logit": Example(
        dict(formula="churn ~ x + plan", data=_frame, penalty="l2", folds=3, rng=_rng, grid=4, maxiter=200)
    ),
    _M + "cross_validate": Example(dict(formula="churn ~ x", data=_frame, folds=3, rng=_rng, maxiter=50)),
    _M + "snapshot_entry": Example(dict(tenure=[3.0, 5.0, 0.5], window=1.0)),
    _M + "simulate_snapshot": Example(dict(n_customers=50, rng=_rng, months=24.0, shape=0.8, scale=20.0, window=1.0)),
}

# Functions that take Series (argument -> values): index in, same index out; two Series aligned by label.
SERIES_FUNCTIONS = {
    _M + "cost_threshold": SeriesExample(dict(customer_value=[500.0, 1000.0, 2000.0])),
    _M + "expected_offer_value": SeriesExample(
        dict(probability=[0.1, 0.3, 0.6], customer_value=[500.0, 1000.0, 2000.0])
    ),
    _M + "adjust_to_base_rate": SeriesExample(dict(probability=[0.1, 0.5, 0.9])),
    _M + "snapshot_entry": SeriesExample(dict(tenure=[3.0, 5.0, 0.5])),
}
