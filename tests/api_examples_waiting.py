"""Valid calls of crmlib.waiting (chapter 5) for the convention tests (see api_examples.py).

Every numeric argument below is swept with NaN, ±inf, ±1e308, a string, None and [] and must get a
clear error naming it. ``legal`` lists the values that are legal inputs: ``None`` for the optional
arguments whose ``None`` means "not given" (no abandonment, the default search limit, the
intervals of the horizon).
"""

from __future__ import annotations

import numpy as np
from api_examples import Example, SeriesExample


def _rng():
    return np.random.default_rng(1)


def _w():
    from crmlib import waiting

    return waiting


def _sim():
    return _w().simulate_queue([2.0, 4.0, 3.0], 1.0, [3, 6, 4], rng=_rng(), interval_length=20.0)


def _designs():
    q = _w().queue_design
    return {"now": q(), "one line": q(single_line=True)}


def _calls():
    import pandas as pd

    stamps = pd.to_datetime(["2003-03-03 09:00", "2003-03-03 09:05", "2003-03-04 09:00", "2003-03-04 09:05"])
    return pd.DataFrame({"datetime": stamps, "calls": [10.0, 12.0, 9.0, 14.0]})


M = "crmlib.waiting."

EXAMPLES = {
    M + "queue_scenario": Example(dict(arrival_rate=1.5, handle_time=2.0, servers=4)),
    M + "queue_metrics": Example(dict(scenario=lambda: _w().queue_scenario(), target_time=0.5)),
    M + "offered_load": Example(dict(arrival_rate=3.0, service_rate=1.0)),
    M + "utilization": Example(dict(arrival_rate=3.0, service_rate=1.0, servers=4)),
    M + "erlang_b": Example(dict(load=5.0, servers=10)),
    M + "erlang_c": Example(dict(arrival_rate=3.0, service_rate=1.0, servers=4)),
    M + "mean_wait": Example(dict(arrival_rate=3.0, service_rate=1.0, servers=4)),
    M + "mean_queue_length": Example(dict(arrival_rate=3.0, service_rate=1.0, servers=4)),
    M + "prob_wait_exceeds": Example(dict(arrival_rate=3.0, service_rate=1.0, servers=4, t=0.5)),
    M + "service_level": Example(dict(arrival_rate=3.0, service_rate=1.0, servers=4, target_time=0.5)),
    M + "required_servers": Example(
        dict(arrival_rate=200 / 60, service_rate=1 / 3, target_time=1 / 3, target_level=0.8, max_servers=1000),
        legal={"max_servers": ("None",)},
    ),
    M + "simulate_queue": Example(
        dict(
            arrival_rate=2.0, service_rate=1.0, servers=3, n_customers=500, rng=_rng, patience=5.0, interval_length=1.0
        ),
        legal={"patience": ("None",)},
    ),
    M + "simulate_parallel_lines": Example(
        dict(arrival_rate=2.0, service_rate=1.0, servers=3, n_customers=500, rng=_rng)
    ),
    M + "queue_length_path": Example(dict(sim=_sim)),
    M + "queue_fairness": Example(dict(sim=_sim)),
    M + "perception_factor": Example(dict(factors={"fair": 1.5})),
    M + "perceived_wait": Example(dict(actual_wait=10.0)),
    M + "only_worse": Example(dict(key="occupied")),
    M + "principles_table": Example({}),
    M + "queue_design": Example(dict(arrival_rate=1.5, handle_time=2.0, servers=4, target_time=0.5)),
    M + "evaluate_design": Example(dict(design=lambda: _w().queue_design(), rng=_rng, n_customers=2000, warmup=100)),
    M + "compare_designs": Example(dict(designs=_designs, rng=_rng, n_customers=2000)),
    M + "arrival_profile": Example(dict(calls=_calls)),
    M + "staffing_plan": Example(
        dict(arrival_rates=[2.0, 4.0], service_rate=0.25, target_time=1 / 3, target_level=0.8)
    ),
    M + "staff_day": Example(
        dict(
            calls_per_interval=[20.0, 40.0, 30.0],
            handle_time=4.0,
            target_time=1 / 3,
            target_level=0.8,
            rng=_rng,
            interval_length=5.0,
            patience=3.0,
        ),
        legal={"patience": ("None",)},
    ),
    # intervals without arrivals have NaN rates by design (documented)
    M + "interval_service_level": Example(
        dict(sim=_sim, interval_length=20.0, target_time=0.5, n_intervals=3),
        legal={"n_intervals": ("None",)},
        nan_ok=True,
    ),
}

# Functions taking Series: the result keeps the index; two Series are aligned by label.
SERIES_FUNCTIONS = {
    M + "offered_load": SeriesExample(dict(arrival_rate=[1.0, 2.0, 3.0], service_rate=[0.5, 1.0, 2.0])),
    M + "utilization": SeriesExample(dict(arrival_rate=[1.0, 2.0, 3.0], servers=[4, 5, 6])),
    M + "erlang_b": SeriesExample(dict(load=[1.0, 5.0, 9.0], servers=[2, 10, 8])),
    M + "erlang_c": SeriesExample(dict(arrival_rate=[1.0, 2.0, 3.0], servers=[4, 5, 6])),
    M + "mean_wait": SeriesExample(dict(arrival_rate=[1.0, 2.0, 3.0], servers=[4, 5, 6])),
    M + "mean_queue_length": SeriesExample(dict(arrival_rate=[1.0, 2.0, 3.0], servers=[4, 5, 6])),
    M + "prob_wait_exceeds": SeriesExample(dict(servers=[4, 5, 6], t=[0.1, 0.5, 1.0])),
    M + "service_level": SeriesExample(dict(servers=[4, 5, 6], target_time=[0.1, 0.5, 1.0])),
    M + "perceived_wait": SeriesExample(dict(actual_wait=[1.0, 2.5, 0.0])),
    M + "staffing_plan": SeriesExample(dict(arrival_rates=[2.0, 4.0, 3.0])),
}
