"""Engine of :mod:`crmlib.clv`: log-likelihoods, fitting and result records of the
probabilistic customer-base models (sBG, BG/NBD, Pareto/NBD, Gamma-Gamma).

Public names are re-exported by :mod:`crmlib.clv`. Every log-likelihood is
written in log space (``gammaln``/``betaln``, ``logaddexp``) so that large frequencies and
long histories never overflow, and is evaluated on the *unique* rows of the data with a
weight per row (customers with identical summaries contribute identical terms).

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way:
an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.
Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the Pareto/NBD model and related
expressions. http://brucehardie.com/notes/009/
Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
http://brucehardie.com/notes/025/
Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. Journal of
Interactive Marketing 21(1), 76-90.
Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting: the
perils of ignoring heterogeneity. Marketing Science 29(1), 85-93.
Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your customers: who are
they and what will they do next? Management Science 33(1), 1-24.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import optimize, special

from .. import _validate as v
from ..results import ConvergenceWarning, FitResult, warn_if_not_converged

__all__ = [
    "BGNBDResult", "GammaGammaResult", "ParetoNBDResult", "SBGResult", "ModelFitError",
    "fit_bg_nbd", "fit_gamma_gamma", "fit_pareto_nbd", "fit_sbg",
]


class ModelFitError(ValueError):
    """The data cannot identify the model (e.g. nobody made a repeat purchase)."""


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _rfm_arrays(frequency, recency, T, *, weights=None):
    """Validate (x, t_x, T) and return float arrays (and weights)."""
    x = np.atleast_1d(v.integer("frequency", frequency, minimum=0)).astype(float)
    tx = np.atleast_1d(v.non_negative("recency", recency))
    TT = np.atleast_1d(v.non_negative("T", T))
    v.same_length(frequency=x, recency=tx, T=TT)
    bad = tx > TT * (1 + 1e-12) + 1e-12
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"recency must not exceed T (a repeat purchase cannot come after the end of "
                         f"the calibration period); got recency={float(tx[i])!r} > T={float(TT[i])!r} at position {i}")
    bad = (x == 0) & (tx != 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"recency must be 0 when frequency is 0 (recency is the time of the last repeat "
                         f"purchase); got recency={float(tx[i])!r} with frequency=0 at position {i}")
    bad = (x > 0) & (tx == 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"recency must be > 0 when frequency > 0 (repeat purchases happen after the "
                         f"first one); got recency=0 with frequency={x[i]:g} at position {i}")
    if weights is None:
        w = np.ones_like(x)
    else:
        w = np.atleast_1d(v.non_negative("weights", weights))
        v.same_length(frequency=x, weights=w)
    return x, np.minimum(tx, TT), TT, w


def _compress(*cols, weights):
    """Unique rows of the columns and the summed weight of each (customers with identical data).

    Hash-based (pandas factorize), so it is linear in the number of rows.
    """
    n = len(cols[0])
    key = np.zeros(n, dtype=np.int64)
    for c in cols:
        codes, uniq = pd.factorize(np.asarray(c))
        key = key * len(uniq) + codes if len(uniq) < 2**20 else pd.factorize(
            pd.MultiIndex.from_arrays([key, codes]))[0]
    codes, _ = pd.factorize(key)
    first = np.full(codes.max() + 1, -1, dtype=np.int64)
    # index of the first row of every group
    order = np.arange(n - 1, -1, -1)
    first[codes[order]] = order
    w = np.bincount(codes, weights=weights, minlength=first.size)
    return [np.asarray(c, float)[first] for c in cols], w


def _hessian(fun, theta, eps=1e-5):
    """Central-difference Hessian of a scalar function of a parameter vector."""
    theta = np.asarray(theta, float)
    k = theta.size
    h = eps * np.maximum(np.abs(theta), 1.0)
    H = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            e_i = np.zeros(k)
            e_j = np.zeros(k)
            e_i[i] = h[i]
            e_j[j] = h[j]
            f_pp = fun(theta + e_i + e_j)
            f_pm = fun(theta + e_i - e_j)
            f_mp = fun(theta - e_i + e_j)
            f_mm = fun(theta - e_i - e_j)
            H[i, j] = H[j, i] = (f_pp - f_pm - f_mp + f_mm) / (4 * h[i] * h[j])
    return H


def _std_errors(negll, params, grad=None):
    """Standard errors from the inverse of the observed information (Hessian of -LL).

    With ``grad`` (the analytic gradient of -LL) the Hessian is the central difference of
    the gradient (2k evaluations); otherwise of the function itself.
    """
    theta = np.asarray(params, float)
    try:
        if grad is not None:
            k = theta.size
            h = 1e-5 * np.maximum(np.abs(theta), 1e-3)
            H = np.empty((k, k))
            for i in range(k):
                e = np.zeros(k)
                e[i] = h[i]
                H[:, i] = (grad(theta + e) - grad(theta - e)) / (2 * h[i])
            H = (H + H.T) / 2
        else:
            H = _hessian(negll, theta)
        cov = np.linalg.inv(H)
        se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
    except (np.linalg.LinAlgError, FloatingPointError, ValueError):
        se = np.full(len(theta), np.nan)
    return se


def _minimize_log(negll_and_grad, x0, *, jac=True):
    """Minimise -LL over log-parameters with L-BFGS-B; return (params, optimizer result).

    The objective is scaled by its value at the first start, so one tolerance fits data of
    any size. (On a busy machine a multi-threaded OpenBLAS can make each L-BFGS-B iteration
    cost milliseconds; ``OPENBLAS_NUM_THREADS=1`` removes that overhead for small data.)
    """
    first = negll_and_grad(np.asarray(x0[0], float))
    scale = max(abs(float(first[0] if jac else first)), 1.0)
    if jac:
        def f(z):
            theta = np.exp(z)
            val, g = negll_and_grad(theta)
            if not np.isfinite(val):
                return np.inf, np.zeros_like(z)
            return val / scale, g * theta / scale
    else:
        def f(z):
            return negll_and_grad(np.exp(z)) / scale
    best = None
    for start in x0:
        res = optimize.minimize(f, np.log(start), jac=jac, method="L-BFGS-B", bounds=[(-30.0, 30.0)] * len(start),
                                options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10})
        if best is None or res.fun < best.fun:
            best = res
    # With ftol = 1e-15 L-BFGS-B often ends with "ABNORMAL_TERMINATION_IN_LNSRCH": the line search can
    # no longer improve a value that is optimal to machine precision. That is convergence when the
    # gradient of the (scaled) objective is ~0; report it as such, and anything else as a failure.
    grad = np.asarray(getattr(best, "jac", np.zeros_like(best.x)), float)
    inside = np.abs(best.x) < 29.999
    gnorm = float(np.max(np.abs(grad[inside]))) if inside.any() else 0.0
    success = bool(best.success) or (np.isfinite(best.fun) and gnorm < 1e-5)
    message = str(best.message)
    if success and not best.success:
        message = f"converged: the line search stopped at the optimum (largest gradient {gnorm:.1e})"
    elif not success:
        message = f"{message} (largest gradient {gnorm:.1e} after {best.nit} iterations)"
    return np.exp(best.x), SimpleNamespace(success=success, message=message, nit=int(best.nit), fun=best.fun)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class _CLVFit(FitResult):
    """The result protocol (:class:`crmlib.results.FitResult`) for the customer-base models.

    Standard errors come from the observed information: the inverse Hessian of −LL at the
    estimates (central differences of the analytic gradient), computed on first use.
    ``n_customers`` is the number of customers the model was fitted on (= ``n_obs``).
    """

    _fit_data: tuple = field(default=(), repr=False, compare=False)
    _negll_grad: ClassVar = None  # staticmethod (theta, *data) -> (-LL, -gradient), set by each model

    @property
    def n_customers(self) -> int:
        """Customers the model was fitted on (the same as ``n_obs``)."""
        return self.n_obs

    def _compute_standard_errors(self) -> np.ndarray:
        grad = type(self)._negll_grad
        return _std_errors(None, np.asarray(self.param_values), grad=lambda th: grad(th, *self._fit_data)[1])


_ADVICE = ("Try more customers or a longer calibration period, or the simpler model (BG/NBD instead of "
           "Pareto/NBD); the start values are fixed, so a refit gives the same result.")


def _make(cls, names, theta, ll, n, opt, **fields):
    """Build a result from the optimiser's output, warn when it did not converge or sits on a bound."""
    converged = bool(getattr(opt, "success", True))
    message = str(getattr(opt, "message", "converged"))
    iterations = getattr(opt, "nit", None)
    result = cls(param_names=tuple(names), param_values=tuple(float(x) for x in theta), log_likelihood=float(ll),
                 n_obs=int(n), converged=converged, message=message,
                 iterations=None if iterations is None else int(iterations), **fields)
    warn_if_not_converged(result, advice=_ADVICE, stacklevel=4)
    log_theta = np.log(np.asarray(theta, float))
    if np.any(np.abs(log_theta) > 29.0):
        on = [f"{k}={x:.3g}" for k, x in zip(names, theta) if abs(np.log(x)) > 29.0]
        warnings.warn(f"{cls.model_name}: estimate(s) {', '.join(on)} sit on the optimiser's bound "
                      "(e^±30): the data barely identify them. " + _ADVICE, ConvergenceWarning, stacklevel=4)
    return result


# ---------------------------------------------------------------------------------------
# shifted-beta-geometric (contractual)
# ---------------------------------------------------------------------------------------
def _sbg_negll(theta, t_churn, n_churn, t_cens, n_cens):
    a, b = theta
    lbab = special.betaln(a, b)
    ll = np.sum(n_churn * (special.betaln(a + 1, b + t_churn - 1) - lbab))
    ll += np.sum(n_cens * (special.betaln(a, b + t_cens) - lbab))
    # gradients: d/da, d/db of ln B(.,.) = psi(.) - psi(sum)
    pab = special.digamma(a + b)
    da_ch = special.digamma(a + 1) - special.digamma(a + b + t_churn) - special.digamma(a) + pab
    db_ch = special.digamma(b + t_churn - 1) - special.digamma(a + b + t_churn) - special.digamma(b) + pab
    da_ce = special.digamma(a) - special.digamma(a + b + t_cens) - special.digamma(a) + pab
    db_ce = special.digamma(b + t_cens) - special.digamma(a + b + t_cens) - special.digamma(b) + pab
    g = np.array([np.sum(n_churn * da_ch) + np.sum(n_cens * da_ce),
                  np.sum(n_churn * db_ch) + np.sum(n_cens * db_ce)])
    return -ll, -g


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class SBGResult(_CLVFit):
    """Fitted shifted-beta-geometric model of contract duration (Fader & Hardie 2007).

    Each customer has a constant per-period churn probability θ ~ Beta(α, β); the
    lifetime T (in periods) is geometric given θ. ``params`` holds ``alpha`` and ``beta``.
    """

    data: pd.DataFrame = field(compare=False)
    model_name: ClassVar[str] = "shifted-beta-geometric"
    _negll_grad: ClassVar = staticmethod(_sbg_negll)

    def survival(self, t):
        """S(t) = B(α, β+t) / B(α, β): share of a cohort still active after t periods."""
        t = v.non_negative("t", t)
        a, b = self.params
        return np.exp(special.betaln(a, b + t) - special.betaln(a, b))

    def churn_probability(self, t):
        """P(T = t) = B(α+1, β+t-1) / B(α, β): share lost in period t (t >= 1)."""
        t = v.in_range("t", t, 1, None)
        a, b = self.params
        return np.exp(special.betaln(a + 1, b + t - 1) - special.betaln(a, b))

    def retention_rate(self, t):
        """r_t = S(t)/S(t-1) = (β + t - 1)/(α + β + t - 1): retention in period t (t >= 1)."""
        t = v.in_range("t", t, 1, None)
        a, b = self.params
        return (b + t - 1) / (a + b + t - 1)

    def project_survivors(self, periods, cohort_size=1000):
        """Expected survivors of a cohort of ``cohort_size`` at the end of periods 0..``periods``."""
        periods = v.integer("periods", periods, minimum=0)
        cohort_size = v.positive("cohort_size", cohort_size)
        t = np.arange(periods + 1, dtype=float)
        return pd.Series(cohort_size * self.survival(t), index=pd.Index(t.astype(int), name="period"),
                         name="survivors")

    def discounted_expected_lifetime(self, discount_rate):
        """DEL(d) = 2F1(1, β; α+β; 1/(1+d)) (Fader & Hardie 2010, eq. 6).

        The expected number of payments of a new customer, each discounted at ``discount_rate``
        per period, the first one (at signing, time 0) undiscounted. Multiply by the payment
        per period for the discounted expected lifetime value.
        """
        d = v.positive("discount_rate", discount_rate, unit="per period")
        a, b = self.params
        return special.hyp2f1(1.0, b, a + b, 1.0 / (1.0 + d))

    def discounted_expected_residual_lifetime(self, discount_rate, renewals):
        """DERL(d | n-1 renewals) = (β+n-1)/(α+β+n-1) · 2F1(1, β+n; α+β+n; 1/(1+d)) (Fader & Hardie 2010, eq. 5).

        Expected discounted number of *future* payments of a customer who has made
        ``renewals`` = n-1 renewals and stands at the point of her next renewal decision: that
        payment (made with probability S(n)/S(n-1)) is counted undiscounted, the following
        ones discounted by 1, 2, ... periods: Σ_{t>=n} S(t)/S(n-1) / (1+d)^(t-n).
        """
        d = v.positive("discount_rate", discount_rate, unit="per period")
        k = v.integer("renewals", renewals, minimum=0)
        a, b = self.params
        n = np.asarray(k, float) + 1
        return (b + n - 1) / (a + b + n - 1) * special.hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d))


def fit_sbg_counts(survivors):
    """Fit the sBG model to cohort survivor counts n_0 >= n_1 >= ... >= n_k (see ``fit_sbg``)."""
    s = np.asarray(v.integer("survivors", survivors, minimum=0), dtype=float)
    if s.ndim != 1 or s.size < 2:
        raise ValueError(f"survivors must list the cohort size and at least one later count; got {survivors!r}")
    if np.any(np.diff(s) > 0):
        i = int(np.flatnonzero(np.diff(s) > 0)[0])
        raise ValueError(f"survivors must not increase (a cohort can only shrink); got {s[i]:g} then "
                         f"{s[i + 1]:g} at positions {i} and {i + 1}")
    if s[0] <= 0:
        raise ValueError(f"survivors must start with a positive cohort size; got {s[0]:g}")
    lost = -np.diff(s)
    t = np.arange(1, s.size, dtype=float)
    return _fit_sbg_grouped(t, lost, np.array([t[-1]]), np.array([s[-1]]),
                            pd.DataFrame({"period": np.arange(s.size), "survivors": s.astype(int)}))


def fit_sbg_tenure(tenure, churned):
    """Fit the sBG model to individual tenures with right censoring (see ``fit_sbg``)."""
    t = np.atleast_1d(v.integer("tenure", tenure, minimum=0)).astype(float)
    c = np.asarray(churned)
    if c.dtype != bool:
        if not np.isin(c, [0, 1]).all():
            raise ValueError(f"churned must be booleans (True = the customer left); got values {np.unique(c)[:5]}")
        c = c.astype(bool)
    c = np.atleast_1d(c)
    v.same_length(tenure=t, churned=c)
    bad = c & (t < 1)
    if bad.any():
        raise ValueError("tenure must be >= 1 for a churned customer (a lifetime lasts at least one "
                         f"period); got tenure 0 with churned=True at position {int(np.flatnonzero(bad)[0])}")
    tc, nc = np.unique(t[c], return_counts=True)
    ta, na = np.unique(t[~c], return_counts=True)
    data = pd.DataFrame({"tenure": t.astype(int), "churned": c})
    return _fit_sbg_grouped(tc, nc.astype(float), ta, na.astype(float), data)


def _fit_sbg_grouped(t_churn, n_churn, t_cens, n_cens, data):
    if np.sum(n_churn) == 0:
        raise ModelFitError("no customer churned, so the churn-probability distribution is not identified; "
                            "the sBG model needs at least one observed churn")
    if np.sum(n_cens) == 0 and np.unique(t_churn).size == 1:
        raise ModelFitError(f"every customer churned in the same period ({t_churn[0]:g}), so only the mean "
                            "churn probability is known, not its spread across customers: the sBG model is not "
                            "identified (alpha and beta would run to infinity). Use a cohort observed over "
                            "several periods.")
    args = (t_churn, n_churn, t_cens, n_cens)
    theta, opt = _minimize_log(lambda th: _sbg_negll(th, *args), [np.array([1.0, 1.0]), np.array([0.5, 3.0])])
    ll = -_sbg_negll(theta, *args)[0]
    return _make(SBGResult, ("alpha", "beta"), theta, ll, np.sum(n_churn) + np.sum(n_cens), opt,
                 data=data, _fit_data=args)


class _PurchaseModel:
    """Methods shared by the BG/NBD and Pareto/NBD results."""

    def customer_lifetime_value(self, spend_model, frequency, recency, T, monetary_value, **kwargs):
        """Discounted expected future spend of each customer; see :func:`crmlib.clv.customer_lifetime_value`."""
        from .value import customer_lifetime_value

        return customer_lifetime_value(self, spend_model, frequency, recency, T, monetary_value, **kwargs)


# ---------------------------------------------------------------------------------------
# BG/NBD
# ---------------------------------------------------------------------------------------
def _bgnbd_negll(theta, x, tx, T, w, ux, inv):
    """-LL and gradient of the BG/NBD (Fader, Hardie & Lee 2005a, eq. 6), in log space.

    Terms that depend on x only are computed once per distinct x (``ux``) and gathered.
    """
    r, al, a, b = theta
    gl = special.gammaln
    dg = special.digamma
    pos = ux > 0
    # per distinct x
    A1u = gl(r + ux) - gl(r) + r * np.log(al)
    lbab = special.betaln(a, b)
    A2c = special.betaln(a, b + ux) - lbab
    A3c = np.where(pos, special.betaln(a + 1, np.maximum(b + ux - 1, 1e-300)) - lbab, -np.inf)
    d_r1 = dg(r + ux) - dg(r) + np.log(al)
    dab = dg(a + b)
    dabx = dg(a + b + ux)
    da2 = dab - dabx
    db2 = dg(b + ux) - dabx - dg(b) + dab
    da3 = dg(a + 1) - dabx - dg(a) + dab
    db3 = np.where(pos, dg(np.maximum(b + ux - 1, 1e-300)) - dabx - dg(b) + dab, 0.0)
    # per row
    la_T = np.log(al + T)
    la_t = np.log(al + tx)
    rx = r + x
    A2 = A2c[inv] - rx * la_T
    A3 = A3c[inv] - rx * la_t
    dlt = A3 - A2
    sp = np.maximum(dlt, 0.0) + np.log1p(np.exp(-np.abs(dlt)))  # softplus: log(1 + e^dlt)
    ll_rows = A1u[inv] + A2 + sp
    p3 = np.exp(dlt - sp)  # weight of the "dropped out at t_x" term
    p2 = 1.0 - p3
    g_r = d_r1[inv] - p2 * la_T - p3 * la_t
    g_al = r / al - p2 * rx / (al + T) - p3 * rx / (al + tx)
    g_a = p2 * da2[inv] + p3 * da3[inv]
    g_b = p2 * db2[inv] + p3 * db3[inv]
    ll = _wsum(w, ll_rows)
    g = np.array([_wsum(w, g_r), _wsum(w, g_al), _wsum(w, g_a), _wsum(w, g_b)])
    return -ll, -g


def _wsum(w, a):
    """Weighted sum without BLAS (np.dot can stall on busy machines with threaded BLAS)."""
    return float(np.add.reduce(w * a))


def _check_repeaters(x, w, model):
    if np.sum(w) < 2:
        raise ModelFitError(f"the {model} model describes a population of customers: one customer cannot "
                            "identify its four parameters (a single history gives absurd estimates such as "
                            "r = 1e9). Fit it on a customer base.")
    if np.sum(w[x > 0]) == 0:
        raise ModelFitError(f"no customer made a repeat purchase (all frequencies are 0), so the {model} "
                            "purchase and dropout processes cannot be told apart; the fit would be nonsense. "
                            "Use a longer calibration period or more customers.")


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class BGNBDResult(_PurchaseModel, _CLVFit):
    """Fitted BG/NBD model (Fader, Hardie & Lee 2005a); time in the unit of the fitted data (weeks for CDNOW).

    While active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after any
    purchase she drops out with probability p ~ Beta(a, b). ``params``: r, alpha, a, b.
    """

    model_name: ClassVar[str] = "BG/NBD"
    _negll_grad: ClassVar = staticmethod(_bgnbd_negll)

    def expected_purchases(self, t):
        """E[X(t)]: expected repeat purchases of a new customer in (0, t] (FHL 2005a, eq. 7)."""
        t = v.non_negative("t", t)
        r, al, a, b = self.params
        h = special.hyp2f1(r, a - 1, a + b - 1, -np.asarray(t, float) / al)  # Pfaff-transformed, stable
        return (a + b - 1) / (a - 1) * (1 - h)

    def _log_odds_dead(self, x, tx, T):
        r, al, a, b = self.params
        with np.errstate(divide="ignore"):
            lo = np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) + (r + x) * (np.log(al + T) - np.log(al + tx))
        return np.where(x > 0, lo, -np.inf)

    def prob_alive(self, frequency, recency, T):
        """P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)) (FHL 2005a, eq. 11)."""
        x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        return _squeeze(special.expit(-self._log_odds_dead(x, tx, TT)), frequency)

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """E[Y(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005a, eq. 10).

        Evaluated as (a+b+x-1)/(a-1) · [1 - 2F1(r+x, a-1; a+b+x-1; -t/(α+T))] · P(alive),
        the Pfaff transform of the published expression, which cannot overflow.
        """
        t = v.non_negative("t", t)
        x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        r, al, a, b = self.params
        h = special.hyp2f1(r + x, a - 1, a + b + x - 1, -t / (al + TT))
        pa = special.expit(-self._log_odds_dead(x, tx, TT))
        return _squeeze((a + b + x - 1) / (a - 1) * (1 - h) * pa, frequency)

    def probability_of_n_purchases(self, t, n):
        """P(X(t) = n) for a new customer (FHL 2005a, eq. 8)."""
        t = v.positive("t", t)
        n = np.asarray(v.integer("n", n, minimum=0), float)
        r, al, a, b = self.params
        gl = special.gammaln
        lb = special.betaln(a, b)
        first = special.betaln(a, b + n) - lb + gl(r + n) - gl(r) - gl(n + 1) + r * np.log(al / (al + t)) \
            + n * np.log(t / (al + t))
        # second term: delta(n>0) B(a+1,b+n-1)/B(a,b) [1 - (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j]
        out = np.exp(first)
        nn = np.atleast_1d(n)
        extra = np.zeros(nn.shape)
        for i, ni in enumerate(nn):
            if ni > 0:
                j = np.arange(int(ni))
                s = np.exp(gl(r + j) - gl(r) - gl(j + 1) + r * np.log(al / (al + t)) + j * np.log(t / (al + t))).sum()
                extra[i] = np.exp(special.betaln(a + 1, b + ni - 1) - lb) * (1 - s)
        return out + (extra if np.ndim(n) else extra[0])


def fit_bg_nbd_arrays(frequency, recency, T, weights=None):
    x, tx, TT, w = _rfm_arrays(frequency, recency, T, weights=weights)
    _check_repeaters(x, w, "BG/NBD")
    (x, tx, TT), w = _compress(x, tx, TT, weights=w)
    keep = w > 0
    x, tx, TT, w = x[keep], tx[keep], TT[keep], w[keep]
    ux, inv = np.unique(x, return_inverse=True)
    args = (x, tx, TT, w, ux, inv)
    scale = max(float(np.average(TT, weights=w)), 1e-6)
    starts = [np.array([1.0, scale / 4, 1.0, 1.0]), np.array([0.3, scale / 8, 0.8, 2.5])]
    best = min(starts, key=lambda th: _bgnbd_negll(th, *args)[0])  # optimise from the better start
    theta, opt = _minimize_log(lambda th: _bgnbd_negll(th, *args), [best])
    ll = -_bgnbd_negll(theta, *args)[0]
    return _make(BGNBDResult, ("r", "alpha", "a", "b"), theta, ll, round(w.sum()), opt, _fit_data=args)


# ---------------------------------------------------------------------------------------
# Pareto/NBD
# ---------------------------------------------------------------------------------------
def _pnbd_log_integral_terms(r, al, s, be, x, t):
    """log of (α+t)^-(r+x) (β+t)^-s · H, the stable form of the hypergeometric term at time t.

    The published term is 2F1(r+s+x, b; r+s+x+1; z)/(c+t)^(r+s+x) with (b, c) = (s+1, α) when
    α >= β and (r+x, β) otherwise (Fader & Hardie 2005 note, eq. 22). The Pfaff transformation
    2F1(A,B;C;z) = (1-z)^-B 2F1(C-A, B; C; z/(z-1)) turns it into a 2F1(1, ·; ·; w <= 0) between
    0 and 1 times powers written here in logs, so nothing overflows for large x or long T.
    """
    m = r + s + x
    if al >= be:
        w = -(al - be) / (be + t)
        H = special.hyp2f1(1.0, s + 1.0, m + 1.0, w)
        return -(r + x) * np.log(al + t) - s * np.log(be + t) + np.log(al + t) - np.log(be + t) + np.log(H)
    w = -(be - al) / (al + t)
    H = special.hyp2f1(1.0, r + x, m + 1.0, w)
    return -(r + x) * np.log(al + t) - s * np.log(be + t) + np.log(H)


def _pnbd_parts(theta, x, tx, T):
    """(log C, log first term, log second term) of the Pareto/NBD likelihood per row."""
    r, al, s, be = theta
    logC = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al) + s * np.log(be)
    P = -(r + x) * np.log(al + T) - s * np.log(be + T)
    Qt = _pnbd_log_integral_terms(r, al, s, be, x, tx)
    QT = _pnbd_log_integral_terms(r, al, s, be, x, T)
    d = np.minimum(QT - Qt, 0.0)
    with np.errstate(divide="ignore"):
        logA0 = Qt + np.log(-np.expm1(d))
    second = np.log(s) - np.log(r + s + x) + logA0
    return logC, P, second


def _pnbd_negll(theta, x, tx, T, w):
    logC, P, second = _pnbd_parts(theta, x, tx, T)
    ll = _wsum(w, logC + np.logaddexp(P, second))
    return -ll if np.isfinite(ll) else 1e300


def _tanh_sinh(h=0.25, t_max=3.0):
    """Tanh-sinh (double-exponential) nodes on (-1, 1): x, 1 - x (accurate near 1) and weights."""
    t = np.arange(-int(round(t_max / h)), int(round(t_max / h)) + 1) * h
    z = 0.5 * np.pi * np.sinh(t)
    x = np.tanh(z)
    one_minus_x = 2.0 / (1.0 + np.exp(2.0 * z))
    wts = h * 0.5 * np.pi * np.cosh(t) / np.cosh(z) ** 2
    return x, one_minus_x, wts


_TS_X, _TS_1MX, _TS_W = _tanh_sinh()


def _pnbd_negll_quad(theta, x, tx, T, w, ux, inv):
    """-LL and analytic gradient of the Pareto/NBD by quadrature (the fast path used for fitting).

    L = C [ (α+T)^-(r+x) (β+T)^-s + s I ],  I = ∫_{t_x}^{T} (α+y)^-(r+x) (β+y)^-(s+1) dy
    (Fader & Hardie 2005 note, eq. 21). The substitutions u = ln((α+y)/(α+t_x)) and
    v = 1 - exp(-k u), with k the smallest decay rate of the integrand in u, leave a bounded
    integrand on [0, V] that decreases to its end; tanh-sinh quadrature integrates it to
    about machine precision even where it has an endpoint singularity. The same nodes, read
    as a quadrature rule in y, give the derivatives of ln I (differentiation under the
    integral sign). The reported log-likelihood is recomputed with the exact hypergeometric form.
    """
    r, al, s, be = theta
    lat = np.log(al + tx)
    lbt = np.log(be + tx)
    rho0 = np.exp(np.minimum(lat - lbt, 0.0))
    k = np.maximum(r + x - 1.0 + (s + 1.0) * rho0, 0.1 * (r + x + s))
    U = np.log(al + T) - lat
    V = -np.expm1(-k * U)                                    # upper limit in v
    one_minus_v = np.exp(-k * U)[:, None] + 0.5 * V[:, None] * _TS_1MX[None, :]
    u = -np.log(one_minus_v) / k[:, None]                    # rows x nodes
    ly_a = lat[:, None] + u                                   # ln(α+y)
    ea = np.exp(ly_a)                                         # α+y
    eb = ea + (be - al)                                       # β+y
    ly_b = np.log(eb)                                         # ln(β+y)
    # log of quadrature terms W_j h_j, h = f(y)/f(t_x): integrand in v is
    # (α+t_x)/k · exp((k - (r+x-1)) u - (s+1) ln((β+y)/(β+t_x)))
    with np.errstate(divide="ignore", invalid="ignore"):
        lterm = (np.log(0.5 * V) + lat - np.log(k))[:, None] + np.log(_TS_W)[None, :] \
            + (k - (r + x - 1.0))[:, None] * u - (s + 1.0) * (ly_b - lbt[:, None])
        mx = np.max(lterm, axis=1)
        mx = np.where(np.isfinite(mx), mx, 0.0)
        lterm -= mx[:, None]
        ew = np.exp(lterm, out=lterm)
        K = ew.sum(axis=1)
        lnI = -(r + x) * lat - (s + 1.0) * lbt + mx + np.log(K)  # ln I (−inf when t_x = T)
    q = ew / np.where(K > 0, K, 1.0)[:, None]                  # normalised weights over nodes
    e_lnya = np.einsum("ij,ij->i", q, ly_a)
    np.reciprocal(ea, out=ea)
    np.reciprocal(eb, out=eb)
    e_inv_a = np.einsum("ij,ij->i", q, ea)
    e_lnyb = np.einsum("ij,ij->i", q, ly_b)
    e_inv_b = np.einsum("ij,ij->i", q, eb)
    gl = special.gammaln
    dg = special.digamma
    logC = (gl(r + ux) - gl(r))[inv] + r * np.log(al) + s * np.log(be)
    laT = np.log(al + T)
    lbT = np.log(be + T)
    P = -(r + x) * laT - s * lbT
    B = np.log(s) + lnI
    mPB = np.maximum(P, B)
    lse = mPB + np.log(np.exp(P - mPB) + np.exp(B - mPB))
    wA = np.exp(P - lse)
    wB = 1.0 - wA
    ll = _wsum(w, logC + lse)
    g_r = (dg(r + ux) - dg(r))[inv] + np.log(al) + wA * (-laT) + wB * (-e_lnya)
    g_al = r / al + wA * (-(r + x) / (al + T)) + wB * (-(r + x) * e_inv_a)
    g_s = np.log(be) + wA * (-lbT) + wB * (1.0 / s - e_lnyb)
    g_be = s / be + wA * (-s / (be + T)) + wB * (-(s + 1.0) * e_inv_b)
    g = np.array([_wsum(w, g_r), _wsum(w, g_al), _wsum(w, g_s), _wsum(w, g_be)])
    return -ll, -g


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class ParetoNBDResult(_PurchaseModel, _CLVFit):
    """Fitted Pareto/NBD model (Schmittlein, Morrison & Colombo 1987); time in the data's unit.

    While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); her
    unobserved lifetime is exponential with rate μ ~ Gamma(s, β). ``params``: r, alpha, s, beta.
    """

    model_name: ClassVar[str] = "Pareto/NBD"
    _negll_grad: ClassVar = staticmethod(_pnbd_negll_quad)

    def expected_purchases(self, t):
        """E[X(t)] = rβ/(α(s-1)) [1 - (β/(β+t))^(s-1)] for a new customer (Fader & Hardie 2005 note, eq. 17)."""
        t = v.non_negative("t", t)
        r, al, s, be = self.params
        return r * be / al * _one_minus_pow_over(np.log1p(np.asarray(t, float) / be), s - 1)

    def prob_alive(self, frequency, recency, T):
        """P(alive | x, t_x, T) (Fader & Hardie 2005 note, eq. 18), computed in log space."""
        x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        _, P, second = _pnbd_parts(self.params.to_numpy(), x, tx, TT)
        return _squeeze(np.exp(P - np.logaddexp(P, second)), frequency)

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """E[Y(t) | x, t_x, T] = (r+x)(β+T)/((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)] P(alive) (note, eq. 19)."""
        t = v.non_negative("t", t)
        x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        r, al, s, be = self.params
        _, P, second = _pnbd_parts(self.params.to_numpy(), x, tx, TT)
        pa = np.exp(P - np.logaddexp(P, second))
        e = (r + x) * (be + TT) / (al + TT) * _one_minus_pow_over(np.log1p(t / (be + TT)), s - 1)
        return _squeeze(e * pa, frequency)


def _one_minus_pow_over(L, k):
    """[1 - exp(-k L)] / k, with the limit L as k -> 0 (the s = 1 case of the Pareto/NBD)."""
    if abs(k) < 1e-10:
        return np.asarray(L, float)
    return -np.expm1(-k * np.asarray(L, float)) / k


def fit_pareto_nbd_arrays(frequency, recency, T, weights=None):
    x, tx, TT, w = _rfm_arrays(frequency, recency, T, weights=weights)
    _check_repeaters(x, w, "Pareto/NBD")
    (x, tx, TT), w = _compress(x, tx, TT, weights=w)
    keep = w > 0
    x, tx, TT, w = x[keep], tx[keep], TT[keep], w[keep]
    ux, inv = np.unique(x, return_inverse=True)
    args = (x, tx, TT, w, ux, inv)
    scale = max(float(np.average(TT, weights=w)), 1e-6)
    start = np.array([0.5, scale / 4, 0.5, scale / 4])
    theta, opt = _minimize_log(lambda th: _pnbd_negll_quad(th, *args), [start])
    exact = (x, tx, TT, w)
    ll = -_pnbd_negll(theta, *exact)
    if not np.isfinite(ll) or ll < -1e299:
        raise ModelFitError("the Pareto/NBD likelihood could not be evaluated at the estimates")
    return _make(ParetoNBDResult, ("r", "alpha", "s", "beta"), theta, ll, round(w.sum()), opt, _fit_data=args)


# ---------------------------------------------------------------------------------------
# Gamma-Gamma spend
# ---------------------------------------------------------------------------------------
def _gg_negll(theta, x, m, w, ux=None, inv=None):
    """-LL and gradient of the Gamma-Gamma model (Fader & Hardie 2013, eq. 3).

    Terms that depend on x only are computed once per distinct x; per row only
    ln(γ + m̄x) depends on the parameters.
    """
    p, q, g = theta
    if ux is None:
        ux, inv = np.unique(x, return_inverse=True)
    nu = np.bincount(inv, weights=w, minlength=ux.size)
    pu = p * ux
    lxu = np.log(ux)
    lm = np.log(m)
    lgx = np.log(g + m * x)
    N = nu.sum()
    ll = (_wsum(nu, special.gammaln(pu + q) - special.gammaln(pu) + pu * lxu) - N * special.gammaln(q)
          + N * q * np.log(g) + p * _wsum(w, x * lm) - _wsum(w, lm) - _wsum(w, (p * x + q) * lgx))
    dpq = special.digamma(pu + q)
    gp = _wsum(nu, ux * (dpq - special.digamma(pu) + lxu)) + _wsum(w, x * lm) - _wsum(w, x * lgx)
    gq = _wsum(nu, dpq) - N * special.digamma(q) + N * np.log(g) - _wsum(w, lgx)
    gg = N * q / g - _wsum(w, (p * x + q) / (g + m * x))
    return -ll, -np.array([gp, gq, gg])


def _gg_hessian_ll(theta, x, m, w, ux, inv):
    """Analytic Hessian of the Gamma-Gamma log-likelihood in (p, q, γ)."""
    p, q, g = theta
    nu = np.bincount(inv, weights=w, minlength=ux.size)
    pu = p * ux
    t_pq = special.polygamma(1, pu + q)
    t_p = special.polygamma(1, pu)
    N = nu.sum()
    den = g + m * x
    H = np.empty((3, 3))
    H[0, 0] = _wsum(nu, ux ** 2 * (t_pq - t_p))
    H[0, 1] = H[1, 0] = _wsum(nu, ux * t_pq)
    H[0, 2] = H[2, 0] = -_wsum(w, x / den)
    H[1, 1] = _wsum(nu, t_pq) - N * special.polygamma(1, q)
    H[1, 2] = H[2, 1] = N / g - _wsum(w, 1.0 / den)
    H[2, 2] = -N * q / g ** 2 + _wsum(w, (p * x + q) / den ** 2)
    return H


def _gg_newton(theta0, args, max_iter=100):
    """Newton-Raphson on log-parameters with the analytic gradient and Hessian and step halving.

    Returns the estimates, or None if it fails (the caller then uses L-BFGS-B)."""
    z = np.log(np.asarray(theta0, float))
    f, g = _gg_negll(np.exp(z), *args)
    for _ in range(max_iter):
        th = np.exp(z)
        gz = -g * th                                   # gradient of LL in z
        Hz = th[:, None] * _gg_hessian_ll(th, *args) * th[None, :] + np.diag(gz)
        # modified Newton: -Hz with its eigenvalues made positive, so the step always ascends
        try:
            ev, vec = np.linalg.eigh(-Hz)
        except np.linalg.LinAlgError:
            return None
        ev = np.maximum(np.abs(ev), 1e-8 * max(np.abs(ev).max(), 1e-300))
        step = vec @ ((vec.T @ gz) / ev)
        if not np.all(np.isfinite(step)):
            return None
        if gz @ step < 1e-13 * max(abs(f), 1.0):              # Newton decrement: converged
            return th
        t = 1.0
        while t > 1e-8:
            z_new = z + t * step
            f_new, g_new = _gg_negll(np.exp(z_new), *args)
            if np.isfinite(f_new) and f_new <= f:
                break
            t /= 2
        else:
            return None
        converged = abs(f - f_new) <= 1e-13 * max(abs(f), 1.0) and np.max(np.abs(t * step)) < 1e-9
        z, f, g = z_new, f_new, g_new
        if converged or np.max(np.abs(g * np.exp(z))) < 1e-9 * max(abs(f), 1.0):
            return np.exp(z)
    return None


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class GammaGammaResult(_CLVFit):
    """Fitted Gamma-Gamma model of spend per transaction (Fader & Hardie 2013).

    Transaction values of a customer are Gamma(p, ν); ν ~ Gamma(q, γ) across customers.
    ``params``: p, q, gamma. Fitted on customers with at least one repeat transaction.
    """

    model_name: ClassVar[str] = "Gamma-Gamma"
    _negll_grad: ClassVar = staticmethod(_gg_negll)

    @property
    def mean_transaction_value(self) -> float:
        """Population mean spend per transaction E[Z] = pγ/(q-1) (infinite when q <= 1)."""
        p, q, g = self.params
        return float(p * g / (q - 1)) if q > 1 else float("inf")

    def conditional_expected_spend(self, frequency, monetary_value):
        """E[Z | x, m̄] = (γ + x m̄) p / (p x + q - 1) (Fader & Hardie 2013, eq. 5).

        A weighted average of the population mean and the customer's own mean m̄ of x
        transactions; a customer with x = 0 gets the population mean.
        """
        x = np.asarray(v.integer("frequency", frequency, minimum=0), float)
        m = np.asarray(v.non_negative("monetary_value", monetary_value, unit="currency"), float)
        v.same_length(frequency=x, monetary_value=m)
        p, q, g = self.params
        if q <= 1:
            raise ValueError(f"the fitted q must exceed 1 for a finite expected spend; got q={q:.4g}")
        out = (g + x * m) * p / (p * x + q - 1)
        return _squeeze(out, frequency)


def fit_gamma_gamma_arrays(frequency, monetary_value, weights=None):
    x = np.atleast_1d(v.integer("frequency", frequency, minimum=0)).astype(float)
    m = np.atleast_1d(v.non_negative("monetary_value", monetary_value, unit="currency"))
    v.same_length(frequency=x, monetary_value=m)
    w = np.ones_like(x) if weights is None else np.atleast_1d(v.non_negative("weights", weights))
    keep = (x > 0) & (w > 0)
    if not keep.any():
        raise ModelFitError("no customer made a repeat purchase (all frequencies are 0); the Gamma-Gamma "
                            "model is fitted on the mean value of repeat transactions and has no data")
    bad = keep & (m <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"monetary_value must be > 0 for customers with frequency > 0 (the Gamma-Gamma "
                         f"model needs positive spend); got {float(m[i])!r} at position {i}")
    (x, m), w = _compress(x[keep], m[keep], weights=w[keep])
    ux, inv = np.unique(x, return_inverse=True)
    args = (x, m, w, ux, inv)
    mean_m = float(np.average(m, weights=w))
    starts = [np.array([1.0, 1.0, 1.0]), np.array([5.0, 3.0, mean_m])]
    best = min(starts, key=lambda th: _gg_negll(th, *args)[0])  # optimise from the better start
    theta = _gg_newton(best, args)
    opt = SimpleNamespace(success=True, message="Newton's method converged", nit=None)
    if theta is None:  # Newton did not converge: fall back to the quasi-Newton optimiser
        theta, opt = _minimize_log(lambda th: _gg_negll(th, *args), [best])
    ll = -_gg_negll(theta, *args)[0]
    return _make(GammaGammaResult, ("p", "q", "gamma"), theta, ll, round(w.sum()), opt, _fit_data=args)


def _squeeze(arr, like):
    """Return a Python float when the input was a scalar, else the array."""
    return float(np.asarray(arr).ravel()[0]) if np.ndim(like) == 0 else np.asarray(arr)


# ---------------------------------------------------------------------------------------
# public fitting functions and simulation
# ---------------------------------------------------------------------------------------
def fit_sbg(survivors=None, *, tenure=None, churned=None) -> SBGResult:
    """Fit the shifted-beta-geometric (sBG) model of contract duration by maximum likelihood.

    Either from cohort **survivor counts** n_0 >= n_1 >= ... >= n_k (customers still active
    at the end of periods 0..k; the last count is right-censored), or from **individual
    tenures** (whole periods) with a ``churned`` flag (False = still active, censored).

    LL = Σ_t (lost in t) ln P(T=t) + (still active) ln S(t), with P(T=t) = B(α+1, β+t-1)/B(α,β)
    and S(t) = B(α, β+t)/B(α,β) (Fader & Hardie 2007, eq. 7).

    Parameters
    ----------
    survivors : sequence of int, optional
    tenure : array of int, optional
        Periods each customer has been (or was) a customer.
    churned : array of bool, optional
        True where the customer has left (her tenure is complete).

    Returns
    -------
    SBGResult
        ``params`` alpha, beta; ``survival``, ``retention_rate``, ``project_survivors``,
        ``discounted_expected_lifetime``, ``discounted_expected_residual_lifetime``.

    Raises
    ------
    ValueError
        Increasing survivor counts, negative tenures, neither or both data forms.
    ModelFitError
        If nobody churned.

    Examples
    --------
    >>> res = fit_sbg([1000, 869, 743, 653, 593, 551, 517, 491])   # Fader & Hardie (2007), high end
    >>> res.params.round(3).to_dict()
    {'alpha': 0.668, 'beta': 3.806}
    """
    if (survivors is None) == (tenure is None):
        raise ValueError("give either survivors (cohort counts) or tenure and churned (individual data); "
                         f"got survivors={'None' if survivors is None else 'given'}, "
                         f"tenure={'None' if tenure is None else 'given'}")
    if survivors is not None:
        return fit_sbg_counts(survivors)
    if churned is None:
        raise ValueError("churned must be given with tenure (True where the customer left); got None")
    return fit_sbg_tenure(tenure, churned)


def fit_bg_nbd(frequency, recency, T, weights=None) -> BGNBDResult:
    """Fit the BG/NBD model (Fader, Hardie & Lee 2005a) by maximum likelihood.

    Log-likelihood (their eq. 6), in log space with analytic gradient:
    ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln[ B(a, b+x)/B(a,b) (α+T)^-(r+x)
    + δ(x>0) B(a+1, b+x-1)/B(a,b) (α+t_x)^-(r+x) ]. Customers with identical (x, t_x, T)
    are counted once with a weight.

    Parameters
    ----------
    frequency : array of int
        Repeat purchases x in the calibration period.
    recency : array of float
        Time t_x of the last repeat purchase after the first purchase (0 if x = 0).
    T : array of float
        Time from the first purchase to the end of the calibration period (same unit).
    weights : array of float, optional
        Number of customers each row stands for.

    Returns
    -------
    BGNBDResult
        ``params`` r, alpha, a, b; ``log_likelihood``; ``standard_errors``; methods
        ``expected_purchases``, ``prob_alive``, ``conditional_expected_purchases``.

    Raises
    ------
    ValueError
        Negative or non-integer frequency, recency > T, mismatched lengths.
    ModelFitError
        If no customer made a repeat purchase.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1)
    ({'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}, -9582.4)
    """
    return fit_bg_nbd_arrays(frequency, recency, T, weights=weights)


def fit_pareto_nbd(frequency, recency, T, weights=None) -> ParetoNBDResult:
    """Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) by maximum likelihood.

    The likelihood (Fader & Hardie's 2005 note, eq. 21-22) is L = C [(α+T)^-(r+x) (β+T)^-s + s I]
    with I = ∫_{t_x}^{T} (α+y)^-(r+x) (β+y)^-(s+1) dy. The optimiser works with a fast
    tanh-sinh quadrature of I and its analytic gradient (differentiation under the integral
    sign); the reported ``log_likelihood`` is the exact closed form, with the Gauss
    hypergeometric terms Pfaff-transformed and kept in logs, so that nothing overflows for
    large x or long T (the two agree to about 1e-9). See :func:`fit_bg_nbd` for the arguments.

    Returns
    -------
    ParetoNBDResult
        ``params`` r, alpha, s, beta.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1)
    ({'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}, -9595.0)
    """
    return fit_pareto_nbd_arrays(frequency, recency, T, weights=weights)


def fit_gamma_gamma(frequency, monetary_value, weights=None) -> GammaGammaResult:
    """Fit the Gamma-Gamma spend model (Fader & Hardie 2013) on customers with repeat purchases.

    ln f(m̄ | x) = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln m̄ + px ln x
    - (px+q) ln(γ + m̄x), for each customer with x >= 1 repeat transactions of mean value m̄.
    Rows with x = 0 are ignored.

    Returns
    -------
    GammaGammaResult
        ``params`` p, q, gamma; ``conditional_expected_spend``.

    Raises
    ------
    ModelFitError
        If no customer made a repeat purchase.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> res = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> res.params.round(2).to_dict(), res.n_customers
    ({'p': 6.25, 'q': 3.74, 'gamma': 15.44}, 946)
    """
    return fit_gamma_gamma_arrays(frequency, monetary_value, weights=weights)


def simulate_bg_nbd(r, alpha, a, b, n_customers, *, rng, calibration_days=273, first_purchase_days=84,
                    days_per_unit=7.0):
    """Simulate the calibration summary of a BG/NBD customer population (daily dates, like CDNOW).

    Each customer makes a first purchase on a day uniform in 0..``first_purchase_days``-1
    and is observed until day ``calibration_days``-1; λ ~ Gamma(r, α) (α in purchases per
    ``days_per_unit`` days), p ~ Beta(a, b); she can drop out right after each repeat purchase
    with probability p (Fader, Hardie & Lee 2005a, assumptions i-v). Given K purchases in
    (0, T], the x-th purchase time is T times a Beta(x, K-x+1) variate; times are rounded up
    to whole days, as in a daily transaction log.

    Returns
    -------
    pandas.DataFrame
        frequency, recency, T (in units of ``days_per_unit`` days, weeks by default).

    Examples
    --------
    >>> sim = simulate_bg_nbd(0.243, 4.414, 0.793, 2.426, 5, rng=np.random.default_rng(1))
    >>> list(sim.columns), len(sim)
    (['frequency', 'recency', 'T'], 5)
    """
    for name, val in (("r", r), ("alpha", alpha), ("a", a), ("b", b)):
        v.positive(name, val)
    n = v.integer("n_customers", n_customers, minimum=1)
    rng = v.rng("rng", rng)
    cal = v.integer("calibration_days", calibration_days, minimum=2)
    fp = v.integer("first_purchase_days", first_purchase_days, minimum=1)
    if fp >= cal:
        raise ValueError(f"first_purchase_days must be below calibration_days; got {fp} >= {cal}")
    unit = v.positive("days_per_unit", days_per_unit)
    first = rng.integers(0, fp, size=n)
    T_days = (cal - 1 - first).astype(float)
    lam = rng.gamma(r, 1.0 / alpha, size=n) / unit  # per day
    p = rng.beta(a, b, size=n)
    K = rng.poisson(lam * T_days)
    J = rng.geometric(p)  # repeat purchases until (and including) the one after which she drops out
    x = np.minimum(K, J)
    pos = x > 0
    frac = np.zeros(n)
    frac[pos] = rng.beta(x[pos], K[pos] - x[pos] + 1)
    rec_days = np.where(pos, np.clip(np.ceil(frac * T_days), 1, T_days), 0.0)
    return pd.DataFrame({"frequency": x.astype(np.int64), "recency": rec_days / unit, "T": T_days / unit})
