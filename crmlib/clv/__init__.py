"""Chapter 3 — customer lifetime value (客户终身价值).

Three layers, from the blackboard to the research literature:

* **simple value** from a margin, a retention rate and a discount rate: the margin multiple,
  finite and infinite horizons, the course's customer lifetime value Cv (客户终身价值) over the
  T periods of the customer's life cycle counted from the valuation date (从核定期开始计算),
  customer equity of a stream of cohorts with acquisition cost, and the elasticities of value
  (Gupta & Lehmann 2003; Gupta, Lehmann & Stuart 2004). The slides name Cv and T but show the
  formula only as an image; ``continuing_value`` implements our reading of it;
* **contractual** settings (departures observed): the shifted-beta-geometric model fitted to
  cohort survivor counts or to individual censored tenures, survival and retention
  projections, discounted expected (residual) lifetime (Fader & Hardie 2007, 2010);
* **non-contractual** settings (departures hidden): ``rfm_summary`` of a transaction log in
  the Fader–Hardie conventions, the BG/NBD, Pareto/NBD and Gamma-Gamma models, holdout
  validation, P(alive), expected purchases and spend, CLV, and the customer value matrix of
  current value × growth potential (当前价值 × 增值潜力): current value is the value expected if
  the customer's present behaviour continues, growth potential the *additional* value of
  changing it (``growth_potential``, our operationalisation after Verhoef & Donkers 2001).

Symbols: m margin per period (currency), r retention rate per period, d discount rate per
period, T number of periods; x frequency (repeat purchases), t_x recency and T age (both
in the time unit of the summary, weeks for CDNOW).

The package has three parts (and its figures live apart, in :mod:`crmlib.plotting.clv`):

* ``crmlib.clv.summaries``: ``rfm_summary``, ``holdout_comparison``, ``tracking_data`` (the
  transaction-log rules: local dates in a named time zone, ISO or explicit date formats,
  units of days, weeks, months or a pandas offset, one rule for missing and negative amounts);
* ``crmlib.clv.models``: the sBG, BG/NBD, Pareto/NBD and Gamma-Gamma fits and their results;
* ``crmlib.clv.value``: the course's Cv, customer equity, elasticities, model-based CLV,
  growth potential and the value matrix.

Retention-based value has one home, :mod:`crmlib.value`; ``margin_multiple``,
``clv_from_retention`` and ``value_curve`` are re-exported here as the same objects.
``retention_uplift`` is an **alias of** :func:`crmlib.value.retention_lift` (the same object),
kept for one release so that old notebooks still run: call ``crmlib.value.retention_lift`` in
new code. Its third argument is now the keyword ``retention_gain`` (formerly ``uplift``):
``retention_lift(0.8, 0.1, retention_gain=0.05)``.

References
----------
Gupta, S. & Lehmann, D. R. (2003). Customers as assets. Journal of Interactive Marketing 17(1), 9-24.
Gupta, S., Lehmann, D. R. & Stuart, J. A. (2004). Valuing customers. Journal of Marketing Research 41(1), 7-18.
Reichheld, F. F. & Sasser, W. E. (1990). Zero defections: quality comes to services. Harvard
Business Review 68(5), 105-111.
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way.
Marketing Science 24(2), 275-284.
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
customer base analysis. Journal of Marketing Research 42(4), 415-430.
Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. Journal of
Interactive Marketing 21(1), 76-90.
Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting.
Marketing Science 29(1), 85-93.
Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
http://brucehardie.com/notes/025/
Ryals, L. (2002). Are your customers worth more than money? Journal of Retailing and Consumer
Services 9(5), 241-251.
Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your customers.
Management Science 33(1), 1-24.
Verhoef, P. C. & Donkers, B. (2001). Predicting customer potential value: an application in the
insurance industry. Decision Support Systems 32(2), 189-199.
"""

from __future__ import annotations

from ..value import clv_from_retention, margin_multiple, value_curve
from ..value import retention_lift as retention_uplift  # alias kept for one release
from .covariates import (
    BGNBDCovariateResult,
    ParetoNBDCovariateResult,
    fit_bg_nbd_covariates,
    fit_pareto_nbd_covariates,
)
from .models import (
    BGNBDResult,
    EstimationWarning,
    GammaGammaResult,
    MBGNBDResult,
    ModelFitError,
    ParetoNBDResult,
    SBGResult,
    fit_bg_nbd,
    fit_gamma_gamma,
    fit_mbg_nbd,
    fit_pareto_nbd,
    fit_sbg,
    simulate_bg_nbd,
)
from .summaries import holdout_comparison, rfm_summary, tracking_data
from .uncertainty import IntervalResult, bootstrap_intervals, delta_intervals, parameter_covariance
from .value import (
    CLVScenario,
    continuing_value,
    customer_equity,
    customer_lifetime_value,
    growth_potential,
    scenario,
    value_elasticities,
    value_matrix,
)

__all__ = [
    "BGNBDCovariateResult",
    "BGNBDResult",
    "CLVScenario",
    "EstimationWarning",
    "GammaGammaResult",
    "IntervalResult",
    "MBGNBDResult",
    "ModelFitError",
    "ParetoNBDCovariateResult",
    "ParetoNBDResult",
    "SBGResult",
    "bootstrap_intervals",
    "clv_from_retention",
    "continuing_value",
    "customer_equity",
    "customer_lifetime_value",
    "delta_intervals",
    "fit_bg_nbd",
    "fit_bg_nbd_covariates",
    "fit_gamma_gamma",
    "fit_mbg_nbd",
    "fit_pareto_nbd",
    "fit_pareto_nbd_covariates",
    "fit_sbg",
    "growth_potential",
    "holdout_comparison",
    "margin_multiple",
    "parameter_covariance",
    "retention_uplift",
    "rfm_summary",
    "scenario",
    "simulate_bg_nbd",
    "tracking_data",
    "value_curve",
    "value_elasticities",
    "value_matrix",
]
