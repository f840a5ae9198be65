"""Valid calls of crmlib/clv/uncertainty.py for the convention tests (see api_examples.py).

The keys are ``crmlib.clv.uncertainty.<name>`` (re-exported unchanged as ``crmlib.clv.<name>``).
The customer's summary is given as single numbers so that the bad-input sweep reaches it. The
delta example asks for "clv" (every argument is used); the bootstrap example for
"expected_purchases" with 10 draws (cheap). The functions return an ``IntervalResult`` rather
than a Series, so they are not in SERIES_FUNCTIONS: tests/test_clv_uncertainty.py checks that
its per-customer Series keep the input index and that mismatched indexes are refused.
"""

from functools import lru_cache

from api_examples import Example


@lru_cache(maxsize=1)
def _rfm():
    from crmlib import clv, datasets

    return clv.rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")


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


def _rng():
    import numpy as np

    return np.random.default_rng(19)


_CUSTOMER = dict(frequency=2, recency=30.0, T=38.0)

EXAMPLES = {
    "crmlib.clv.uncertainty.parameter_covariance": Example(dict(model=_bg)),
    "crmlib.clv.uncertainty.delta_intervals": Example(
        dict(
            quantity="clv",
            purchase_model=_bg,
            spend_model=_gg,
            **_CUSTOMER,
            monetary_value=35.0,
            t=39.0,
            periods=6,
            period_length=4.345,
            discount_rate=0.01,
            profit_share=0.3,
            level=0.9,
        ),
        legal={"t": ("None",)},
    ),
    "crmlib.clv.uncertainty.bootstrap_intervals": Example(
        dict(
            quantity="expected_purchases",
            purchase_model=_bg,
            **_CUSTOMER,
            t=39.0,
            level=0.9,
            n_draws=10,
            rng=_rng,
            progress=False,
        )
    ),
}
