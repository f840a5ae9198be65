"""Valid calls of every public function of crmlib.pls, for the convention tests (see api_examples.py).

Each example fits a small simulated ECSI model afresh (a lambda, called per use); the bad-input
sweep replaces each numeric argument below (resamples, level, omission_distance, folds,
repetitions, permutations), one at a time, by NaN, ±inf, ±1e308, a string, None and [].
"""

import numpy as np
import pandas as pd
from api_examples import Example


def _fit(n_respondents=80):
    from crmlib import satisfaction as sat

    df = sat.simulate_ecsi_survey(n_respondents, rng=np.random.default_rng(3))
    return sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")


def _consistent():
    from crmlib import pls

    return pls.consistent(_fit(200))


def _rng():
    return np.random.default_rng(1)


def _groups():
    return np.where(np.arange(80) % 2 == 0, "female", "male")


P = "crmlib.pls."

EXAMPLES = {
    P + "reliability": Example(dict(result=_fit)),
    P + "fornell_larcker": Example(dict(result=_fit)),
    P + "cross_loadings": Example(dict(result=_fit)),
    P + "htmt": Example(dict(result=_fit)),
    P + "outer_vif": Example(dict(result=_fit)),
    P + "inner_vif": Example(dict(result=_fit)),
    P + "r_squared": Example(dict(result=_fit)),
    P + "f_squared": Example(dict(result=_fit, method="scores")),
    P + "effects": Example(dict(result=_consistent)),
    P + "consistent": Example(dict(result=lambda: _fit(200))),
    P + "bootstrap": Example(dict(result=_fit, resamples=10, rng=_rng, level=0.95, bca=False, progress=False)),
    P + "blindfolding": Example(dict(result=_fit, omission_distance=7)),
    P + "predict": Example(dict(result=_fit, folds=5, repetitions=1, rng=_rng, progress=False)),
    P + "multigroup": Example(dict(result=_fit, groups=_groups, permutations=10, rng=_rng, progress=False)),
    P + "moderation": Example(dict(result=_fit, predictor="VAL", moderator="IMAG", outcome="SAT")),
    P + "assess": Example(dict(result=_fit, omission_distance=7)),
}

__all__ = ["EXAMPLES", "pd"]
