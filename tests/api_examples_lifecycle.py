"""Valid calls of every public function of crmlib.lifecycle, for the convention tests (see api_examples.py).

Fitted models and data are built once and cached (frozen results, read-only use). The bad-input sweep
replaces each numeric argument below, one at a time, by NaN, ±inf, ±1e308, a string, None and [].
"""

from functools import lru_cache

import numpy as np
import pandas as pd
from api_examples import Example, SeriesExample

L = "crmlib.lifecycle."


@lru_cache(maxsize=1)
def _lc():
    from crmlib import lifecycle

    return lifecycle


@lru_cache(maxsize=1)
def _donations():
    from crmlib import datasets

    return datasets.load_donations()


@lru_cache(maxsize=1)
def _bgbb():
    d = _donations()
    return _lc().fit_bg_bb(d["frequency"], d["recency"], d["periods"], weights=d["weights"])


def _small_log():
    return pd.DataFrame(
        {
            "id": [1, 1, 1, 2, 2, 3],
            "date": ["2024-01-03", "2024-02-07", "2024-04-20", "2024-01-15", "2024-05-02", "2024-03-08"],
            "amount": [10.0, 20.0, 15.0, 8.0, 9.0, 30.0],
        }
    )


class _Model:
    """A stand-in purchase model: P(alive) falls with the weeks since the last purchase."""

    def prob_alive(self, frequency, recency, T):
        return np.exp(-(np.asarray(T, float) - np.asarray(recency, float)) / 8.0)


def _history():
    return _lc().stage_history(_small_log(), "id", "date", _Model(), amount_col="amount", end="2024-06-30")


def _wide():
    return pd.DataFrame(
        [
            ["cultivation", "confirmation", "trust", "weakening"],
            ["confirmation", "trust", "trust", "dissolution"],
            ["confirmation", "weakening", "dissolution", "dissolution"],
            ["cultivation", "trust", "weakening", "trust"],
        ],
        index=list("ABCD"),
    )


def _matrix():
    stages = ["confirmation", "trust", "weakening", "dissolution"]
    return pd.DataFrame(
        [[0.6, 0.2, 0.2, 0.0], [0.0, 0.85, 0.15, 0.0], [0.0, 0.1, 0.7, 0.2], [0.0, 0.02, 0.0, 0.98]],
        index=stages,
        columns=stages,
    )


EXAMPLES = {
    L + "fit_bg_bb": Example(
        dict(
            frequency=lambda: _donations()["frequency"],
            recency=lambda: _donations()["recency"],
            periods=lambda: _donations()["periods"],
            weights=lambda: _donations()["weights"],
        )
    ),
    L + "occasion_summary": Example(
        dict(
            transactions=_small_log,
            customer_col="id",
            date_col="date",
            calibration_end="2024-03-31",
            observation_end="2024-05-31",
            period="M",
        )
    ),
    L + "occasion_tracking": Example(
        dict(
            model=_bgbb,
            transactions=_small_log,
            customer_col="id",
            date_col="date",
            calibration_end="2024-03-31",
            observation_end="2024-05-31",
            period="M",
        )
    ),
    L + "assign_stages": Example(
        dict(
            acquired=[False, True, True, True],
            repeat_buyer=[False, False, True, True],
            prob_alive=[np.nan, 0.9, 0.7, 0.1],
            weakening_below=0.5,
            dissolved_below=0.2,
        )
    ),
    L + "stage_history": Example(
        dict(
            transactions=_small_log,
            customer_col="id",
            date_col="date",
            model=lambda: _Model(),
            amount_col="amount",
            end="2024-06-30",
            period="M",
            unit="W",
            weakening_below=0.5,
            dissolved_below=0.2,
        )
    ),
    L + "transition_counts": Example(dict(stages=_wide)),
    L + "transition_matrix": Example(dict(counts=lambda: _lc().transition_counts(_wide()))),
    L + "expected_stage_time": Example(dict(matrix=_matrix, absorbing="dissolution")),
    L + "stage_value": Example(
        dict(
            matrix=_matrix,
            discount_rate=0.01,
            value_per_period=lambda: pd.Series(
                {"confirmation": 3.0, "trust": 10.0, "weakening": 1.5, "dissolution": 1.0}
            ),
        )
    ),
    L + "reduce_transition": Example(dict(matrix=_matrix, from_stage="trust", to_stage="weakening", reduction=0.2)),
    L + "stage_paths": Example(dict(stages=_wide)),
    # rhythm_multiple and max_silence may be None (that signal is switched off)
    L + "warning_flags": Example(
        dict(prob_alive=0.4, frequency=2, recency=20.0, T=30.0, alive_below=0.5, rhythm_multiple=2.0, max_silence=26.0),
        legal={"rhythm_multiple": ("None",), "max_silence": ("None",)},
    ),
    L + "first_warnings": Example(
        dict(history=_history, end="2024-06-30", alive_below=0.5, rhythm_multiple=2.0, max_silence=26.0),
        legal={"rhythm_multiple": ("None",), "max_silence": ("None",)},
    ),
    L + "evaluate_warning": Example(
        dict(flagged=[True, True, False, False], stopped=[True, False, True, False]), nan_ok=True
    ),
    L + "rescue_case": Example(
        dict(
            frequency=4,
            recency=4,
            periods=6,
            margin=10_000.0,
            discount_rate=0.1,
            success_probability=0.25,
            cost=8_000.0,
        )
    ),
    L + "rescue_decision": Example(dict(success_probability=0.3, value_retained=40_000.0, cost=5_000.0)),
    L + "evaluate_rescue": Example(dict(model=_bgbb, case=lambda: _lc().rescue_case())),
    L + "retention_response": Example(dict(spend=100.0, base_rate=0.6, max_rate=0.8, response_scale=100.0)),
    L + "retained_value": Example(
        dict(spend=100.0, customers=1000, value=500.0, base_rate=0.6, max_rate=0.8, response_scale=100.0)
    ),
    L + "allocate_care_budget": Example(
        dict(budget=20_000.0, customers=100, value=2000.0, base_rate=0.7, max_rate=0.85, response_scale=200.0)
    ),
}

SERIES_FUNCTIONS = {
    L + "warning_flags": SeriesExample(
        series={
            "prob_alive": [0.9, 0.3, 0.8, 0.95],
            "frequency": [2, 3, 4, 0],
            "recency": [20.0, 10.0, 10.0, 0.0],
            "T": [30.0, 39.0, 30.0, 5.0],
        }
    ),
    L + "assign_stages": SeriesExample(
        series={
            "acquired": [False, True, True, True],
            "repeat_buyer": [False, False, True, True],
            "prob_alive": [np.nan, 0.9, 0.7, 0.1],
        }
    ),
    L + "retention_response": SeriesExample(
        series={
            "spend": [0.0, 50.0, 100.0],
            "base_rate": [0.6, 0.5, 0.7],
            "max_rate": [0.8, 0.6, 0.9],
            "response_scale": [100.0, 50.0, 20.0],
        }
    ),
    L + "retained_value": SeriesExample(
        series={
            "spend": [0.0, 50.0, 100.0],
            "customers": [10, 20, 30],
            "value": [100.0, 50.0, 20.0],
            "base_rate": [0.6, 0.5, 0.7],
            "max_rate": [0.8, 0.6, 0.9],
            "response_scale": [100.0, 50.0, 20.0],
        }
    ),
}
