"""Valid calls of the functions defined in crmlib/clv/models.py, for the convention tests (see api_examples.py).

The convention test finds a function where it is defined, so the keys are ``crmlib.clv.models.<name>``
(re-exported unchanged as ``crmlib.clv.<name>``). ``weights`` is given as one number (every row stands
for one customer) so that the bad-input sweep reaches it; ``weights=None`` is the documented default.
The methods of the results are swept in tests/test_clv_models.py.
"""

from functools import lru_cache

from api_examples import Example


@lru_cache(maxsize=1)
def _rfm():
    from crmlib import clv, datasets

    return clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")


def _col(name):
    return lambda: _rfm()[name].to_numpy()


def _rng():
    import numpy as np

    return np.random.default_rng(7)


_WEIGHTS_NONE_OK = {"weights": ("None",)}


def _early():
    """A 0/1 covariate from the data: the customer joined in the first half of the cohort window."""
    T = _rfm()["T"].to_numpy()
    return (T > float(sorted(T)[len(T) // 2])).astype(float)


EXAMPLES = {
    "crmlib.clv.models.fit_sbg": Example(
        dict(survivors=[1000, 631, 468, 382, 326, 289, 262, 241]), legal={"survivors": ("None",)}
    ),
    "crmlib.clv.models.fit_bg_nbd": Example(
        dict(frequency=_col("frequency"), recency=_col("recency"), T=_col("T"), weights=1.0), legal=_WEIGHTS_NONE_OK
    ),
    "crmlib.clv.models.fit_pareto_nbd": Example(
        dict(frequency=_col("frequency"), recency=_col("recency"), T=_col("T"), weights=1.0), legal=_WEIGHTS_NONE_OK
    ),
    "crmlib.clv.models.fit_mbg_nbd": Example(
        dict(frequency=_col("frequency"), recency=_col("recency"), T=_col("T"), weights=1.0), legal=_WEIGHTS_NONE_OK
    ),
    "crmlib.clv.models.fit_gamma_gamma": Example(
        dict(frequency=_col("frequency"), monetary_value=_col("monetary_value"), weights=1.0), legal=_WEIGHTS_NONE_OK
    ),
    "crmlib.clv.covariates.fit_bg_nbd_covariates": Example(
        dict(
            frequency=_col("frequency"),
            recency=_col("recency"),
            T=_col("T"),
            purchase_covariates=_early,
            dropout_covariates=_early,
            weights=1.0,
        ),
        legal=_WEIGHTS_NONE_OK,
    ),
    "crmlib.clv.covariates.fit_pareto_nbd_covariates": Example(
        dict(
            frequency=_col("frequency"),
            recency=_col("recency"),
            T=_col("T"),
            purchase_covariates=_early,
            dropout_covariates=_early,
            weights=1.0,
        ),
        legal=_WEIGHTS_NONE_OK,
    ),
    "crmlib.clv.models.simulate_bg_nbd": Example(
        dict(
            r=0.243,
            alpha=4.414,
            a=0.793,
            b=2.426,
            n_customers=50,
            rng=_rng,
            calibration_days=273,
            first_purchase_days=84,
            days_per_unit=7.0,
        )
    ),
}
