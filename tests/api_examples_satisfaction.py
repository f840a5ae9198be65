"""Valid calls of every public function of crmlib.satisfaction, for the convention tests (see api_examples.py).

Data that must be fresh or take a moment to build are lambdas (called per use). The bad-input sweep
replaces each numeric argument below, one at a time, by NaN, ±inf, ±1e308, a string, None and [].
"""

import numpy as np
import pandas as pd
from api_examples import Example, SeriesExample


def _sat():
    from crmlib import satisfaction

    return satisfaction


def _survey():
    return _sat().simulate_survey(_sat().market_scenario(n_respondents=400), rng=np.random.default_rng(5))


def _ecsi():
    return _sat().simulate_ecsi_survey(60, rng=np.random.default_rng(3))


def _rng():
    return np.random.default_rng(1)


def _drivers_survey():
    from crmlib.datasets import constructed_driver_survey

    return constructed_driver_survey(120, rng=np.random.default_rng(4))


def _key_drivers():
    return _sat().fit_key_drivers(_drivers_survey())


S = "crmlib.satisfaction."

EXAMPLES = {
    S + "market_scenario": Example(
        dict(
            competitive_intensity=0.9,
            switching_barrier=0.0,
            max_repurchase=0.75,
            min_repurchase=0.05,
            satisfaction_shares=(0.02, 0.02, 0.05, 0.51, 0.40),
            n_respondents=2000,
        )
    ),
    S + "repurchase_probability": Example(
        dict(
            satisfaction=4.0, competitive_intensity=0.9, switching_barrier=0.0, max_repurchase=0.75, min_repurchase=0.05
        )
    ),
    S + "simulate_survey": Example(dict(scenario=lambda: _sat().market_scenario(n_respondents=50), rng=_rng)),
    S + "overall_repurchase": Example(dict(scenario=lambda: _sat().market_scenario())),
    S + "shift_satisfaction": Example(
        dict(scenario=lambda: _sat().market_scenario(), from_level=4, to_level=5, share=0.05)
    ),
    S + "evaluate_market": Example(dict(scenario=lambda: _sat().market_scenario())),
    S + "repurchase_by_level": Example(dict(data=_survey, level=0.95)),
    S + "top_box_multiple": Example(dict(data=_survey, top=5, level=0.95)),
    S + "satisfaction_loyalty_curve": Example(dict(data=_survey, method="categorical", level=0.95)),
    S + "lowess_loyalty_curve": Example(dict(data=_survey, level=0.95, rng=_rng, frac=0.3, bootstrap=10)),
    S + "satisfaction_zone": Example(dict(satisfaction=3.0, defection_max=2, affection_min=5)),
    # cut-offs are on the data's own scale: any finite number is a legal cut-off (everybody or nobody
    # above it), so only non-finite values, strings, None and [] are refused
    S + "jones_sasser_typology": Example(
        dict(satisfaction=[5, 5, 2, 1], loyalty=[1, 0, 1, 0], satisfaction_cutoff=4.0, loyalty_cutoff=0.5),
        legal={"satisfaction_cutoff": ("1e308", "-1e308"), "loyalty_cutoff": ("1e308", "-1e308")},
    ),
    S + "typology_shares": Example(dict(types=lambda: np.array(["hostage", "mercenary"], dtype=object))),
    S + "expected_typology": Example(dict(scenario=lambda: _sat().market_scenario(), satisfaction_cutoff=4)),
    S + "net_promoter_score": Example(dict(scores=[10, 9, 8, 7, 6, 0, 10, 9, 9, 3], level=0.95)),
    S + "retention_scenario": Example(
        dict(
            margin=100.0,
            retention_rate=0.8,
            discount_rate=0.1,
            margin_growth=0.0,
            acquisition_cost=0.0,
            retention_gain=0.05,
        )
    ),
    S + "evaluate_retention_lever": Example(dict(scenario=lambda: _sat().retention_scenario())),
    S + "pls_path_model": Example(
        dict(
            data=_ecsi,
            blocks=lambda: _sat().ECSI_BLOCKS,
            paths=lambda: _sat().ECSI_PATHS,
            tol=1e-6,
            maxiter=100,
            bootstrap=0,
            level=0.95,
            progress=False,
        )
    ),
    S + "simulate_ecsi_survey": Example(dict(n_respondents=50, rng=_rng, loading=0.8)),
    S + "fit_key_drivers": Example(dict(data=_drivers_survey, overall="overall")),
    # grid lines are on the data's own scale: any finite line is legal (every driver on one side)
    S + "importance_performance_grid": Example(
        dict(result=_key_drivers, measure="lmg_share", importance_cut=0.15, performance_cut=7.0),
        legal={"importance_cut": ("1e308", "-1e308"), "performance_cut": ("1e308", "-1e308")},
    ),
    S + "evaluate_driver_change": Example(
        dict(result=_key_drivers, driver="price", performance=7.0, importance_cut=0.15, performance_cut=7.0),
        legal={"importance_cut": ("1e308", "-1e308"), "performance_cut": ("1e308", "-1e308")},
    ),
}

SERIES_FUNCTIONS = {
    S + "repurchase_probability": SeriesExample(dict(satisfaction=[1.0, 2.0, 3.5, 4.0, 5.0])),
    S + "satisfaction_zone": SeriesExample(dict(satisfaction=[1, 2, 3, 4, 5])),
    S + "jones_sasser_typology": SeriesExample(dict(satisfaction=[5, 5, 2, 1, 4], loyalty=[1, 0, 1, 0, 0])),
}

__all__ = ["EXAMPLES", "SERIES_FUNCTIONS", "pd"]
