"""Engine of :mod:`crmlib.clv`: log-likelihoods, fits, result records and predictions of the
probabilistic customer-base models (sBG, BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma), and the
Pareto/NBD's discounted expected residual transactions (DERT, Fader, Hardie & Lee 2005b).
Covariate versions of the BG/NBD and Pareto/NBD live in :mod:`crmlib.clv.covariates`.

Public names are re-exported by :mod:`crmlib.clv`. Every fit returns a frozen
:class:`crmlib.results.FitResult` (``params``, ``standard_errors``, ``conf_int``, ``summary()``,
``log_likelihood``, ``n_obs`` = customers, ``converged``, ``message``, ``iterations``) with the
model's predictions as methods.

Numerics
--------
* **Log-likelihoods** are written in log space (``gammaln``/``betaln``, ``logaddexp``), so large
  frequencies and long histories never overflow, and are evaluated on the *unique* rows of the
  data with a weight per row (customers with identical summaries contribute identical terms).
* **Fits** maximise the log-likelihood with L-BFGS-B over the logarithms of the parameters,
  each bounded to [-30, 30] (parameters between e^-30 ≈ 1e-13 and e^30 ≈ 1e13). The Pareto/NBD
  is optimised over (ln r, ln α, ln s, ln μ) with μ = s/β the mean dropout rate: as s → ∞ with
  μ fixed the model tends to a *common* dropout rate μ, and in these coordinates the likelihood
  has that limit instead of running away along a ridge in (s, β). Start values are fixed (each
  fitter documents them) and may be replaced with ``start=``.
* **Diagnostics**: a fit that stops before converging warns with
  :class:`crmlib.results.ConvergenceWarning` (and says what to try); a fit whose estimates sit on
  the bounds, run off to 0, or run off to infinity along a ridge where one kind of heterogeneity
  vanishes (e.g. s → ∞ at fixed s/β: one common dropout rate), or whose standard errors are not
  finite, warns with :class:`EstimationWarning`. Data that cannot identify a model (one customer,
  customers who all share one history, no repeat buyer, a cohort lost in one period, one period
  only) raise :class:`ModelFitError`.
* **Standard errors** come from the observed information: the inverse of the Hessian of -LL at
  the estimates, from central differences of the analytic gradient (Pareto/NBD: forward
  differences from the optimiser's last gradient, in its coordinates, then the delta method;
  Gamma-Gamma: the analytic Hessian). They are computed at the fit, for the diagnostics.
* **Predictions** whose published forms contain Gauss hypergeometric functions (BG/NBD E[X(t)]
  and the conditional expectation, the Pareto/NBD likelihood, P(alive) and conditional
  expectation, the sBG discounted lifetimes) are computed from their definitions as expectations
  over the mixing distribution, by quadrature, in log space, so that they are finite and accurate
  over the whole parameter space, including the special cases a = 1 and a + b = 1 of the BG/NBD
  and s = 1 of the Pareto/NBD, where the closed forms divide by zero (the limits come out by
  themselves). Measured against mpmath and scipy.integrate.quad: BG/NBD E[X(t)] to a relative
  1e-9 for a, b >= 0.05 (1e-7 down to 0.007), the Pareto/NBD log-integral to 2e-10 (the fit's
  faster rule to 1e-6). ``tests/test_clv_models.py`` checks them against scipy.integrate.quad.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way:
an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
customer base analysis. Journal of Marketing Research 42(4), 415-430.
Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical validation and comparison of models
for customer base analysis. International Journal of Research in Marketing 24(3), 201-209.
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
Takahasi, H. & Mori, M. (1974). Double exponential formulas for numerical integration.
Publications of the Research Institute for Mathematical Sciences 9(3), 721-741.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import optimize, special

from .. import _validate as v
from ..i18n import N_, gettext, ngettext, translate_frame
from ..results import FitResult, warn_if_not_converged

__all__ = [
    "BGNBDResult",
    "EstimationWarning",
    "GammaGammaResult",
    "MBGNBDResult",
    "ModelFitError",
    "ParetoNBDResult",
    "SBGResult",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "fit_mbg_nbd",
    "fit_pareto_nbd",
    "fit_sbg",
    "simulate_bg_nbd",
]

#: Log-parameter bounds of every fit: parameters stay in [e^-30, e^30] ≈ [9.4e-14, 1.1e13].
LOG_BOUND = 30.0
#: Largest time (recency, age T, horizon t) the models accept, in the data's time unit.
MAX_TIME = 1e6
#: Largest number of repeat purchases per customer the models accept.
MAX_COUNT = 10**7
#: Largest population :func:`simulate_bg_nbd` draws at once (about 80 MB per column).
MAX_SIMULATED = 10**7


class ModelFitError(ValueError):
    """The data cannot identify the model (e.g. one customer, nobody made a repeat purchase)."""


class EstimationWarning(UserWarning):
    """A fit converged but its estimates are fragile: a parameter sits on the bound of the search
    space (the data do not pin it down) or the standard errors are not finite."""


# =======================================================================================
# argument checks
# =======================================================================================
def _time(name, value, *, positive=False):
    """A time (or array of times) in [0, MAX_TIME] (or (0, MAX_TIME])."""
    return v.in_range(name, value, 0, MAX_TIME, low_open=positive, unit="time units (at most 1e6)")


def _horizon(t, n):
    """The prediction horizon t: one time for every customer, or one per customer (n of them)."""
    tt = np.asarray(_time("t", t), float)
    if tt.ndim > 1 or (tt.ndim == 1 and tt.size not in (1, n)):
        raise ValueError(f"t must be one horizon or one per customer ({n}); got an array of shape {tt.shape}")
    return np.broadcast_to(tt.reshape(-1) if tt.ndim else tt, (n,)).astype(float)


def _inputs(*, optional=(), **named):
    """Align the per-customer inputs by index (Series) or length (arrays); return (index, arrays).

    Arguments listed in ``optional`` may be None (and are then left out). Lists, arrays and scalars
    broadcast by length; pandas Series are aligned by their labels and mismatched labels are
    refused (see ``_validate.aligned``).
    """
    given = {k: x for k, x in named.items() if not (x is None and k in optional)}
    for k, x in given.items():
        if x is None or isinstance(x, (str, bytes, bool, np.bool_)):
            raise TypeError(f"{k} must be a number or an array of numbers; got {x!r}")
        if not isinstance(x, pd.Series) and np.ndim(x) > 1:
            raise ValueError(f"{k} must be a number or a 1-d array; got an array of shape {np.shape(x)}")
    try:
        return v.aligned(**given)
    except ValueError as err:
        msg = str(err)
        if any(msg.startswith(k) for k in given):
            raise
        raise ValueError(f"{', '.join(given)}: {msg}") from None


def _rfm_arrays(frequency, recency, T, *, weights=None):
    """Validate (x, t_x, T[, weights]) and return (index, x, t_x, T, w) as float arrays."""
    index, arr = _inputs(frequency=frequency, recency=recency, T=T, weights=weights, optional=("weights",))
    x = np.atleast_1d(v.integer("frequency", arr["frequency"], minimum=0, maximum=MAX_COUNT)).astype(float)
    tx = np.atleast_1d(_time("recency", arr["recency"])).astype(float)
    TT = np.atleast_1d(_time("T", arr["T"])).astype(float)
    n = max(x.size, tx.size, TT.size)
    x, tx, TT = (np.broadcast_to(a, (n,)).astype(float) for a in (x, tx, TT))
    bad = tx > TT * (1 + 1e-12) + 1e-12
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"recency must not exceed T (a repeat purchase cannot come after the end of "
            f"the calibration period); got recency={float(tx[i])!r} > T={float(TT[i])!r} at position {i}"
        )
    bad = (x == 0) & (tx != 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"recency must be 0 when frequency is 0 (recency is the time of the last repeat "
            f"purchase); got recency={float(tx[i])!r} with frequency=0 at position {i}"
        )
    bad = (x > 0) & (tx == 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"recency must be > 0 when frequency > 0 (repeat purchases happen after the "
            f"first one); got recency=0 with frequency={x[i]:g} at position {i}"
        )
    if weights is None:
        w = np.ones(n)
    else:
        w = np.broadcast_to(np.atleast_1d(v.in_range("weights", arr["weights"], 0, 1e12)), (n,)).astype(float)
    return index, x, np.minimum(tx, TT), TT, w


def _out(index, values, like):
    """Index in, same index out: a Series on ``index``, a float for a scalar input, else an array."""
    values = np.asarray(values, dtype=float)
    if index is not None:
        return pd.Series(values, index=index)
    if np.ndim(like) == 0 and values.size == 1:
        return float(values.ravel()[0])
    return values


def _check_start(start, names, default):
    """Start values: ``default`` (an array) or the user's mapping {name: value}, validated."""
    if start is None:
        return None
    if not isinstance(start, Mapping):
        raise TypeError(
            f"start must be a mapping of parameter name to value, e.g. {dict(zip(names, default))}; "
            f"got {type(start).__name__}"
        )
    unknown = set(start) - set(names)
    if unknown or set(start) != set(names):
        raise ValueError(f"start must give every parameter {list(names)}; got {sorted(start)}")
    bound = math.exp(LOG_BOUND)
    return np.array([v.in_range(f"start[{k!r}]", start[k], 1 / bound, bound) for k in names], float)


# =======================================================================================
# quadrature and stable elementary pieces
# =======================================================================================
def _tanh_sinh(h, t_max=3.0):
    """Tanh-sinh (double exponential) nodes u in (0, 1) and log-weights (Takahasi & Mori 1974)."""
    t = np.arange(-round(t_max / h), round(t_max / h) + 1) * h
    z = 0.5 * np.pi * np.sinh(t)
    u = 1.0 / (1.0 + np.exp(-2.0 * z))
    with np.errstate(divide="ignore"):
        lw = np.log(h * 0.25 * np.pi * np.cosh(t)) - 2.0 * np.log(np.cosh(z))
    keep = (u > 0) & (u < 1) & np.isfinite(lw)
    return u[keep], lw[keep]


# Pareto/NBD quadrature rules; worst error of the log-integral over 200 random parameter sets spanning
# e^±5..e^±12 (against mpmath at 40 digits): 25 nodes 1e-6 (1e-7 for 99% of them), 37 nodes 2e-10
_RULE_FIT = _tanh_sinh(0.25)  # 25 nodes: the fit's objective and gradient
_RULE_FINE = _tanh_sinh(1 / 6)  # 37 nodes: reported log-likelihoods and predictions


def _expm1_ratio(k, L):
    """(1 - exp(-k L)) / k, and its limit L as k -> 0 (k of any sign)."""
    k = np.asarray(k, float)
    L = np.asarray(L, float)
    kl = k * L
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = -np.expm1(-kl) / np.where(k != 0, k, 1.0)
    return np.where(kl != 0, out, L)


def _inv_expm1_ratio(k, z):
    """L with (1 - exp(-k L)) / k = z (the inverse of :func:`_expm1_ratio`)."""
    kz = k * z
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -np.log1p(-kz) / np.where(k != 0, k, 1.0)
    return np.where(kz != 0, out, z)


def _log1p_defect(u):
    """D(u) = u/(1+u) - log(1+u) for u >= 0, by its series where the two terms cancel (u < 1/4)."""
    u = np.asarray(u, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = u / (1 + u) - np.log1p(u)
    small = u < 0.25
    if np.any(small):
        us = u[small]
        ser = np.zeros_like(us)
        term = us * us
        for k in range(2, 30):  # Σ_{k>=2} (-1)^(k+1) (k-1)/k u^k; 0.25^30 < 1e-18
            ser += ((-1) ** (k + 1) * (k - 1) / k) * term
            term = term * us
        out[small] = ser
    return out


def _logsumexp_rows(lw):
    """log Σ_j exp(lw[i, j]) per row, with the normalised weights; -inf rows stay -inf."""
    mx = np.max(lw, axis=1)
    mx = np.where(np.isfinite(mx), mx, 0.0)
    e = np.exp(lw - mx[:, None])
    s = e.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(s) + mx, e / np.where(s > 0, s, 1.0)[:, None]


def _wsum(w, a):
    """Weighted sum without BLAS (np.dot can stall on busy machines with threaded BLAS)."""
    return float(np.add.reduce(w * a))


# =======================================================================================
# fitting machinery
# =======================================================================================
def _factorize_rows(*cols):
    """Codes of the unique rows of the columns (hash-based, linear time) and the first row of each."""
    n = len(cols[0])
    key = np.zeros(n, dtype=np.int64)
    for c in cols:
        codes, uniq = pd.factorize(np.asarray(c))
        key = key * len(uniq) + codes if len(uniq) < 2**20 else pd.factorize(pd.MultiIndex.from_arrays([key, codes]))[0]
    codes, _ = pd.factorize(key)
    first = np.full(codes.max() + 1, -1, dtype=np.int64)
    order = np.arange(n - 1, -1, -1)
    first[codes[order]] = order  # index of the first row of every group
    return codes, first


def _compress(*cols, weights):
    """Unique rows of the columns and the summed weight of each (customers with identical data)."""
    codes, first = _factorize_rows(*cols)
    w = np.bincount(codes, weights=weights, minlength=first.size)
    return [np.asarray(c, float)[first] for c in cols], w


_BLAS_CONTROLLER = []


def _single_threaded_blas():
    """A context that runs BLAS single-threaded: L-BFGS-B makes many tiny BLAS calls, and a
    multi-threaded OpenBLAS on a busy machine turns each into milliseconds of thread hand-offs.
    (threadpoolctl's controller is built once: scanning the loaded libraries takes milliseconds.)"""
    import contextlib

    if not _BLAS_CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController

            _BLAS_CONTROLLER.append(ThreadpoolController())
        except Exception:  # noqa: BLE001 - threadpoolctl (a scikit-learn dependency) missing or failing
            _BLAS_CONTROLLER.append(None)
    controller = _BLAS_CONTROLLER[0]
    if controller is None:
        return contextlib.nullcontext()
    try:
        return controller.limit(limits=1, user_api="blas")
    except Exception:  # noqa: BLE001
        return contextlib.nullcontext()


def _minimize(f_and_grad, starts):
    """Minimise f over the box [-30, 30]^k with L-BFGS-B from each start; return the best result.

    ``f_and_grad(z) -> (f, grad)``. The objective is divided by its value at the first start, so
    one tolerance fits data of any size; a non-finite value counts as +inf (the line search backs
    off). BLAS runs single-threaded meanwhile (see :func:`_single_threaded_blas`).
    """
    first = f_and_grad(np.asarray(starts[0], float))[0]
    scale = max(abs(float(first)), 1.0) if np.isfinite(first) else 1.0

    def f(z):
        val, g = f_and_grad(z)
        if not np.isfinite(val) or not np.all(np.isfinite(g)):
            return np.inf, np.zeros_like(z)
        return val / scale, g / scale

    best = None
    with _single_threaded_blas():
        for z0 in starts:
            res = optimize.minimize(
                f,
                np.clip(np.asarray(z0, float), -LOG_BOUND, LOG_BOUND),
                jac=True,
                method="L-BFGS-B",
                bounds=[(-LOG_BOUND, LOG_BOUND)] * len(z0),
                options={"maxiter": 3000, "ftol": 1e-15, "gtol": 1e-10},
            )
            if best is None or res.fun < best.fun:
                best = res
    # L-BFGS-B reports ABNORMAL when its line search cannot improve the objective any more; at a
    # point where the projected gradient is already negligible that is convergence to the limit of
    # floating-point resolution, not a failure
    best.scale = scale  # best.jac * scale is the gradient of the unscaled objective
    msg = _fit_message(best)
    g = np.where((best.x <= -LOG_BOUND) & (best.jac > 0) | (best.x >= LOG_BOUND) & (best.jac < 0), 0.0, best.jac)
    pg = float(np.max(np.abs(g))) if np.all(np.isfinite(g)) else np.inf
    best.converged = bool(best.success) or (msg.startswith("ABNORMAL") and pg < 1e-7 and np.isfinite(best.fun))
    if msg.startswith("ABNORMAL"):
        best.message = (
            f"{msg.rstrip(': ')}: the line search could not improve the log-likelihood further "
            f"(largest scaled gradient {pg:.1e})"
        )
    return best


def _hessian_from_grad(grad, x, rel=1e-5, floor=1e-3, grad_at_x=None):
    """Symmetrised finite-difference Hessian of a function from its gradient: central differences
    (2k gradient evaluations), or forward differences from ``grad_at_x`` when it is known (k)."""
    x = np.asarray(x, float)
    k = x.size
    h = rel * np.maximum(np.abs(x), floor)
    H = np.empty((k, k))
    for i in range(k):
        e = np.zeros(k)
        e[i] = h[i]
        if grad_at_x is None:
            H[:, i] = (np.asarray(grad(x + e), float) - np.asarray(grad(x - e), float)) / (2 * h[i])
        else:
            H[:, i] = (np.asarray(grad(x + e), float) - grad_at_x) / h[i]
    return (H + H.T) / 2


def _covariance(H):
    """Inverse of an information matrix; NaN where it is singular or not positive definite."""
    k = H.shape[0]
    if not np.all(np.isfinite(H)):
        return np.full((k, k), np.nan)
    try:
        cov = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return np.full((k, k), np.nan)
    d = np.diag(cov)
    if np.any(~np.isfinite(d)) or np.any(d <= 0):
        bad = ~np.isfinite(d) | (d <= 0)
        cov = cov.copy()
        cov[bad, :] = np.nan
        cov[:, bad] = np.nan
    return cov


def _std_errors(negll_grad, theta, data, grad_at_theta=None):
    """Standard errors of θ: the inverse Hessian of -LL, by differences of the gradient in θ
    (forward differences when the gradient at θ is known, e.g. from the optimiser)."""
    theta = np.asarray(theta, float)
    with np.errstate(all="ignore"):
        try:
            H = _hessian_from_grad(lambda th: negll_grad(th, *data)[1], theta, grad_at_x=grad_at_theta)
        except (FloatingPointError, ValueError, ZeroDivisionError):
            return np.full(theta.size, np.nan)
        cov = _covariance(H)
    return np.sqrt(np.diag(cov))


#: The limits of each model where one kind of heterogeneity vanishes: the shape parameters that
#: run off to infinity, what stops varying across customers, and the quantity that stays determined.
_LIMITS = {
    "sBG": [(("alpha", "beta"), N_("churn probabilities"), "alpha/(alpha+beta)", lambda p: p[0] / (p[0] + p[1]))],
    "BG/NBD": [
        (("r",), N_("purchase rates"), "r/alpha", lambda p: p[0] / p[1]),
        (("a", "b"), N_("dropout probabilities"), "a/(a+b)", lambda p: p[2] / (p[2] + p[3])),
    ],
    "MBG/NBD": [
        (("r",), N_("purchase rates"), "r/alpha", lambda p: p[0] / p[1]),
        (("a", "b"), N_("dropout probabilities"), "a/(a+b)", lambda p: p[2] / (p[2] + p[3])),
    ],
    "Pareto/NBD": [
        (("r",), N_("purchase rates"), "r/alpha", lambda p: p[0] / p[1]),
        (("s",), N_("dropout rates"), "mean_dropout_rate = s/beta", lambda p: p[2] / p[3]),
    ],
    "Gamma-Gamma": [
        (("q",), N_("customers' mean spend"), "p*gamma/(q-1)", lambda p: p[0] * p[2] / (p[1] - 1)),
        (
            ("p",),
            N_("a customer's transaction values (each spends the same every time)"),
            "p*gamma/(q-1)",
            lambda p: p[0] * p[2] / (p[1] - 1),
        ),
    ],
}
_LIMIT_SHAPE = 1e4  # a shape parameter above this is taken as "running off to infinity"
_LIMIT_ZERO = 1e-6  # a parameter below this is taken as "running off to 0"


def _diagnose(result, z, model, advice, stacklevel=3):
    """Warn when the fit did not converge, when estimates sit on a bound or run off along a ridge
    towards a limit of the model, or when standard errors are not finite."""
    advice = gettext(advice)  # marked with N_ by the caller; shown now, in the notebook's language
    warn_if_not_converged(result, advice=advice, stacklevel=stacklevel + 1)
    names, vals = result.param_names, np.array(result.param_values)
    on_bound = [n for n, zi in zip(names, z) if abs(zi) >= LOG_BOUND - 1e-3]
    if on_bound:
        shown = ", ".join(f"{n}={val:.3g}" for n, val in zip(names, vals) if n in on_bound)
        warnings.warn(
            ngettext(
                "{model}: {shown} sits on the bound of the search space (e^±{bound:g}): the "
                "data do not pin it down, and the estimate is a limit rather than a finite value. {advice}",
                "{model}: {shown} sits on the bound of the search space (e^±{bound:g}): the "
                "data do not pin them down, and the estimate is a limit rather than a finite value. {advice}",
                len(on_bound),
            ).format(model=model, shown=shown, bound=LOG_BOUND, advice=advice),
            EstimationWarning,
            stacklevel=stacklevel,
        )
    tiny = [n for n, val, zi in zip(names, vals, z) if val < _LIMIT_ZERO and n not in on_bound]
    if tiny:
        shown = ", ".join(f"{n}={vals[names.index(n)]:.3g}" for n in tiny)
        warnings.warn(
            gettext(
                "{model}: {shown} is running off to 0 (the edge of the parameter space): the data "
                "ask for extreme heterogeneity (customers who are either certain or never to do it), and "
                "the estimate is a limit rather than a finite value. {advice}"
            ).format(model=model, shown=shown, advice=advice),
            EstimationWarning,
            stacklevel=stacklevel,
        )
    for shapes, what, label, ratio in _LIMITS.get(model, []):
        if all(vals[names.index(n)] > _LIMIT_SHAPE for n in shapes):
            shown = ", ".join(f"{n}={vals[names.index(n)]:.3g}" for n in shapes)
            with np.errstate(all="ignore"):
                value = ratio(vals)
            warnings.warn(
                gettext(
                    "{model}: {shown} very large: the data show no heterogeneity in {what}, and the "
                    "fit approaches the limit where all customers share one value, {label} = "
                    "{value:.4g}, which is well determined; the parameters separately are not "
                    "(their standard errors are meaningless). {advice}"
                ).format(model=model, shown=shown, what=gettext(what), label=label, value=value, advice=advice),
                EstimationWarning,
                stacklevel=stacklevel,
            )
    se = result.standard_errors.to_numpy()
    if not np.all(np.isfinite(se)):
        bad = [n for n, s in zip(names, se) if not np.isfinite(s)]
        warnings.warn(
            gettext(
                "{model}: the standard errors of {names} are not finite (the observed "
                "information is singular at the estimates: the likelihood is flat in some direction). "
                "{advice}"
            ).format(model=model, names=", ".join(bad), advice=advice),
            EstimationWarning,
            stacklevel=stacklevel,
        )


def _identification(n_rows, total, model, what="customers"):
    if n_rows == 0 or total <= 0:
        raise ModelFitError(f"the {model} model has no data: every weight is 0")
    if total < 2 - 1e-12:
        raise ModelFitError(
            f"one customer cannot identify the {model} model: it describes how customers "
            f"differ, which takes at least two {what} with different histories; fit it "
            "on a customer base"
        )
    if n_rows == 1:
        raise ModelFitError(
            f"all {total:g} {what} have the same history, so the {model} model cannot tell "
            "how customers differ (its heterogeneity parameters run off to infinity); it "
            "needs customers with different histories"
        )


# =======================================================================================
# the result records
# =======================================================================================
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class _CLVResult(FitResult):
    """Shared parts of the four results: validation, ``n_customers``, standard errors, ``from_params``."""

    fit_data: tuple = field(default=(), repr=False, compare=False)

    _param_order: ClassVar[tuple[str, ...]] = ()
    _negll_grad = None  # staticmethod (θ, *fit_data) -> (-LL, -gradient)

    # FitResult's displays with the model's name in the notebook's language (crmlib.i18n): the
    # sBG's name is words; BG/NBD, Pareto/NBD and Gamma-Gamma stay as they are. The parameter
    # names (r, alpha, a, b, s, beta, p, q, gamma) are never translated.
    def __repr__(self) -> str:
        ps = ", ".join(f"{k}={val:.4g}" for k, val in zip(self.param_names, self.param_values))
        return f"{type(self).__name__}({gettext(self.model_name)}: {ps}; {self._fit_line()})"

    def _repr_html_(self) -> str:
        summary = self.summary().round(4)
        shown = translate_frame(summary)
        shown.index = summary.index.rename(shown.index.name)  # labels translated, parameter names as they are
        return f"<p><b>{gettext(self.model_name)}</b>: {self._fit_line()}</p>{shown.to_html()}"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.param_names != self._param_order:
            raise ValueError(
                f"param_names of a {type(self).__name__} must be {self._param_order}; got {self.param_names}"
            )
        for name, val in zip(self.param_names, self.param_values):
            if not (np.isfinite(val) and val > 0):
                raise ValueError(f"{name} must be a positive finite number; got {val!r}")

    @property
    def n_customers(self) -> int:
        """Number of customers the model was fitted on (an alias of ``n_obs``)."""
        return self.n_obs

    def _theta(self) -> np.ndarray:
        return np.array(self.param_values, float)

    def _compute_standard_errors(self) -> np.ndarray:
        """Inverse observed information at the estimates (NaN for a result built with ``from_params``)."""
        if not self.fit_data or type(self)._negll_grad is None:
            return np.full(len(self.param_values), np.nan)
        return _std_errors(type(self)._negll_grad, self._theta(), self.fit_data)

    @classmethod
    def from_params(cls, **params):
        """A result at given parameter values (no data, no standard errors): for predictions at
        published or assumed parameters, e.g. ``BGNBDResult.from_params(r=0.243, alpha=4.414,
        a=0.793, b=2.426)``. Each parameter must lie in [1e-12, 1e12]."""
        names = cls._param_order
        if set(params) != set(names):
            raise ValueError(
                f"{cls.__name__}.from_params needs exactly the parameters {list(names)}; got {sorted(params)}"
            )
        vals = tuple(v.in_range(k, params[k], 1e-12, 1e12) for k in names)
        return cls(
            param_names=names, param_values=vals, n_obs=0, converged=True, message="parameters given, not estimated"
        )


def _fit_message(res) -> str:
    msg = res.message
    return msg.decode() if isinstance(msg, bytes) else str(msg)


# =======================================================================================
# shifted-beta-geometric (contractual)
# =======================================================================================
def _sbg_negll(theta, t_churn, n_churn, t_cens, n_cens):
    """-LL and gradient of the sBG (Fader & Hardie 2007, eq. 7): churn in period t and survival to t."""
    a, b = theta
    lbab = special.betaln(a, b)
    ll = np.sum(n_churn * (special.betaln(a + 1, b + t_churn - 1) - lbab))
    ll += np.sum(n_cens * (special.betaln(a, b + t_cens) - lbab))
    pab = special.digamma(a + b)
    da_ch = special.digamma(a + 1) - special.digamma(a + b + t_churn) - special.digamma(a) + pab
    db_ch = special.digamma(b + t_churn - 1) - special.digamma(a + b + t_churn) - special.digamma(b) + pab
    da_ce = pab - special.digamma(a + b + t_cens)
    db_ce = special.digamma(b + t_cens) - special.digamma(a + b + t_cens) - special.digamma(b) + pab
    g = np.array([np.sum(n_churn * da_ch) + np.sum(n_cens * da_ce), np.sum(n_churn * db_ch) + np.sum(n_cens * db_ce)])
    return -ll, -g


def _beta_expectation_knot(a, b, h, knot):
    """E[h(w)] for w ~ Beta(a, b) (scalars a, b; h smooth on (0, 1) with a bend near ``knot``).

    Adaptive Gauss-Kronrod quadrature (scipy.integrate.quad) on pieces split at the knot, at 1/2 and
    around the mode of a concentrated Beta, with the density written in log space (so that large a and
    b never underflow); an end where the density is singular (a < 1 at 0, b < 1 at 1) is integrated
    with QUADPACK's algebraic end weight (QAWS), which handles the power exactly.
    """
    from scipy import integrate

    lb = special.betaln(a, b)
    cuts = {knot, 0.5}
    if a > 1 and b > 1:
        mode = (a - 1) / (a + b - 2)
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        cuts |= {mode + j * sd for j in (-12, -6, -3, -1, 0, 1, 3, 6, 12)}
    pts = sorted({0.0, 1.0, *(c for c in cuts if 0 < c < 1)})
    total = 0.0
    for lo, hi in zip(pts[:-1], pts[1:]):
        wa = a - 1 if (lo == 0.0 and a < 1) else 0.0  # singular ends go to the algebraic weight
        wb = b - 1 if (hi == 1.0 and b < 1) else 0.0

        def f(w, wa=wa, wb=wb):
            # QAWS evaluates f at the ends of its piece: the weighted power is not part of f there
            logd = -lb
            if not wa and a != 1:
                logd += (a - 1) * math.log(w) if w > 0 else -math.inf
            if not wb and b != 1:
                logd += (b - 1) * math.log1p(-w) if w < 1 else -math.inf
            return math.exp(logd) * h(w) if logd > -math.inf else 0.0

        if wa or wb:
            val, _ = integrate.quad(f, lo, hi, weight="alg", wvar=(wa, wb), epsabs=0, epsrel=1e-12, limit=200)
        else:
            val, _ = integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-12, limit=200)
        total += val
    return total


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class SBGResult(_CLVResult):
    """Fitted shifted-beta-geometric model of contract duration (Fader & Hardie 2007).

    Each customer has a constant per-period churn probability θ ~ Beta(α, β); the
    lifetime T (in periods) is geometric given θ. ``params`` holds ``alpha`` and ``beta``;
    ``n_obs`` (alias ``n_customers``) counts the customers of the cohort(s); ``data`` is the
    table the model was fitted on.
    """

    data: pd.DataFrame | None = field(default=None, compare=False)

    model_name: ClassVar[str] = N_("shifted-beta-geometric")
    _param_order: ClassVar[tuple[str, ...]] = ("alpha", "beta")
    _negll_grad = staticmethod(_sbg_negll)

    def survival(self, t):
        """S(t) = B(α, β+t) / B(α, β): share of a cohort still active after t periods (t >= 0)."""
        index, arr = _inputs(t=t)
        tt = _time("t", arr["t"])
        a, b = self._theta()
        return _out(index, np.exp(special.betaln(a, b + tt) - special.betaln(a, b)), t)

    def churn_probability(self, t):
        """P(T = t) = B(α+1, β+t-1) / B(α, β): share lost in period t (t >= 1)."""
        index, arr = _inputs(t=t)
        tt = v.in_range("t", arr["t"], 1, MAX_TIME)
        a, b = self._theta()
        return _out(index, np.exp(special.betaln(a + 1, b + tt - 1) - special.betaln(a, b)), t)

    def retention_rate(self, t):
        """r_t = S(t)/S(t-1) = (β + t - 1)/(α + β + t - 1): retention in period t (t >= 1)."""
        index, arr = _inputs(t=t)
        tt = v.in_range("t", arr["t"], 1, MAX_TIME)
        a, b = self._theta()
        return _out(index, (b + tt - 1) / (a + b + tt - 1), t)

    def project_survivors(self, periods, cohort_size=1000):
        """Expected survivors of a cohort of ``cohort_size`` at the end of periods 0..``periods``."""
        periods = v.integer("periods", periods, minimum=0, maximum=100_000)
        cohort_size = v.in_range("cohort_size", cohort_size, 0, 1e15, low_open=True)
        t = np.arange(periods + 1, dtype=float)
        a, b = self._theta()
        s = np.exp(special.betaln(a, b + t) - special.betaln(a, b))
        return pd.Series(cohort_size * s, index=pd.Index(t.astype(int), name="period"), name=N_("survivors"))

    def _discounted(self, d, n):
        """Σ_{t>=n} S(t)/S(n-1) / (1+d)^(t-n) = (β+n-1)/(α+β+n-1) · 2F1(1, β+n; α+β+n; 1/(1+d)).

        Evaluated as an expectation over the retention probability q = 1-θ of the customers still
        there after n-1 renewals, q ~ Beta(β+n-1, α): Σ_{k>=0} q^(k+1) z^k = q/(1 - z q), z = 1/(1+d),
        by adaptive quadrature with the Beta end weights (exact for every α, β, including integer
        α where scipy's hyp2f1 overflows near z = 1).
        """
        a, b = self._theta()
        delta = d / (1.0 + d)  # 1 - z, exact for small d
        # 1 - z q = (1 - q) + q δ; the integrand bends where the two terms are equal, q = 1/(1+δ)
        return _beta_expectation_knot(b + n - 1.0, a, lambda q: q / ((1.0 - q) + q * delta), 1.0 / (1.0 + delta))

    def discounted_expected_lifetime(self, discount_rate):
        """DEL(d) = 2F1(1, β; α+β; 1/(1+d)) (Fader & Hardie 2010, eq. 6).

        The expected number of payments of a new customer, each discounted at ``discount_rate``
        per period, the first one (at signing, time 0) undiscounted: 1 + DERL after 0 renewals,
        computed as 1 + the expectation in :meth:`discounted_expected_residual_lifetime` (no
        hypergeometric function is evaluated). Multiply by the payment per period for the
        discounted expected lifetime value.
        """
        index, arr = _inputs(discount_rate=discount_rate)
        d = np.atleast_1d(v.in_range("discount_rate", arr["discount_rate"], 0, 1e6, low_open=True, unit="per period"))
        out = np.array([1.0 + self._discounted(float(di), 1) / (1.0 + float(di)) for di in d])
        return _out(index, out, discount_rate)

    def discounted_expected_residual_lifetime(self, discount_rate, renewals):
        """DERL(d | n-1 renewals) = (β+n-1)/(α+β+n-1) · 2F1(1, β+n; α+β+n; 1/(1+d)) (Fader & Hardie 2010, eq. 5).

        Expected discounted number of *future* payments of a customer who has made
        ``renewals`` = n-1 renewals and stands at the point of her next renewal decision: that
        payment (made with probability S(n)/S(n-1)) is counted undiscounted, the following
        ones discounted by 1, 2, ... periods: Σ_{t>=n} S(t)/S(n-1) / (1+d)^(t-n).
        """
        index, arr = _inputs(discount_rate=discount_rate, renewals=renewals)
        d = np.atleast_1d(v.in_range("discount_rate", arr["discount_rate"], 0, 1e6, low_open=True, unit="per period"))
        k = np.atleast_1d(v.integer("renewals", arr["renewals"], minimum=0, maximum=MAX_COUNT))
        d, k = np.broadcast_arrays(d, k)
        out = np.array([self._discounted(float(di), int(ki) + 1) for di, ki in zip(d, k)])
        like = discount_rate if np.ndim(discount_rate) else renewals
        return _out(index, out, like)


def _sbg_data_from_counts(survivors):
    s = np.asarray(v.integer("survivors", survivors, minimum=0, maximum=10**12), dtype=float)
    if s.ndim != 1 or s.size < 2:
        raise ValueError(f"survivors must list the cohort size and at least one later count; got {survivors!r}")
    if np.any(np.diff(s) > 0):
        i = int(np.flatnonzero(np.diff(s) > 0)[0])
        raise ValueError(
            f"survivors must not increase (a cohort can only shrink); got {s[i]:g} then "
            f"{s[i + 1]:g} at positions {i} and {i + 1}"
        )
    if s[0] <= 0:
        raise ValueError(f"survivors must start with a positive cohort size; got {s[0]:g}")
    lost = -np.diff(s)
    t = np.arange(1, s.size, dtype=float)
    keep = lost > 0
    data = pd.DataFrame({"period": np.arange(s.size), "survivors": s.astype(np.int64)})
    return t[keep], lost[keep], np.array([t[-1]]), np.array([s[-1]]), data, int(s[0])


def _sbg_data_from_tenure(tenure, churned):
    index, arr = _inputs(tenure=tenure)
    t = np.atleast_1d(v.integer("tenure", arr["tenure"], minimum=0, maximum=10**6)).astype(float)
    if churned is None or isinstance(churned, (str, bytes)):
        raise TypeError(f"churned must be booleans (True = the customer left); got {churned!r}")
    if isinstance(churned, pd.Series) and index is not None:
        if not churned.index.sort_values().equals(index.sort_values()):
            raise ValueError("tenure and churned must have the same index (they are aligned by label, not by position)")
        churned = churned.reindex(index)
    elif isinstance(churned, pd.Series) != (index is not None):
        raise TypeError("tenure and churned must both be pandas Series (aligned by index) or both be arrays")
    c = np.asarray(churned)
    if c.dtype != bool:
        try:
            ok = c.size > 0 and np.isin(c, [0, 1]).all()
        except TypeError:
            ok = False
        if not ok:
            raise ValueError(f"churned must be booleans (True = the customer left); got values {np.unique(c)[:5]}")
        c = c.astype(bool)
    c = np.atleast_1d(c)
    v.same_length(tenure=t, churned=c)
    bad = c & (t < 1)
    if bad.any():
        raise ValueError(
            "tenure must be >= 1 for a churned customer (a lifetime lasts at least one "
            f"period); got tenure 0 with churned=True at position {int(np.flatnonzero(bad)[0])}"
        )
    tc, nc = np.unique(t[c], return_counts=True)
    ta, na = np.unique(t[~c], return_counts=True)
    pos = ta > 0  # a censored tenure of 0 carries no information (S(0) = 1)
    data = pd.DataFrame({"tenure": t.astype(int), "churned": c}, index=index)
    return tc, nc.astype(float), ta[pos], na[pos].astype(float), data, int(t.size)


def _fit_sbg_grouped(t_churn, n_churn, t_cens, n_cens, data, n_customers, start):
    if np.sum(n_churn) == 0:
        raise ModelFitError(
            "no customer churned, so the churn-probability distribution is not identified; "
            "the sBG model needs at least one observed churn"
        )
    if n_customers < 2:
        raise ModelFitError(
            "one customer cannot identify the sBG model (it describes how churn "
            "probabilities differ across customers); fit it on a cohort"
        )
    if t_churn.size == 1 and np.sum(n_cens[t_cens >= t_churn[0]]) == 0:
        raise ModelFitError(
            f"every customer who left did so in the same period ({int(t_churn[0])}) and nobody was observed "
            "beyond it, so the sBG model cannot separate how likely customers are to churn from how much "
            "they differ (the fit runs off to α or β = 0 or ∞); it needs a cohort followed for at least "
            "two periods with churn spread over them"
        )
    observed = np.concatenate([t_churn, t_cens[n_cens > 0]])
    if observed.max() <= 1:
        raise ModelFitError(
            "the data cover only the first period, which identifies only the mean churn probability "
            f"α/(α+β) = {np.sum(n_churn) / (np.sum(n_churn) + np.sum(n_cens)):.4g}, not its spread; the sBG "
            "model needs survivors over at least two periods"
        )
    args = (t_churn, n_churn, t_cens, n_cens)
    names = ("alpha", "beta")
    starts = [np.log([1.0, 1.0]), np.log([0.5, 3.0])] if start is None else [np.log(start)]

    def f(z):
        val, g = _sbg_negll(np.exp(z), *args)
        return val, g * np.exp(z)

    res = _minimize(f, starts)
    theta = np.exp(res.x)
    ll = -_sbg_negll(theta, *args)[0]
    se = _std_errors(_sbg_negll, theta, args)
    result = SBGResult(
        param_names=names,
        param_values=tuple(theta),
        se_values=tuple(se),
        n_obs=n_customers,
        converged=res.converged,
        message=_fit_message(res),
        iterations=int(res.nit),
        log_likelihood=float(ll),
        data=data,
        fit_data=args,
    )
    _diagnose(
        result,
        res.x,
        "sBG",
        N_(
            "Try more periods or customers, other start values (start={'alpha': ..., "
            "'beta': ...}), or the simpler model of one common retention rate (crmlib.value)."
        ),
        stacklevel=4,
    )
    return result


def fit_sbg(survivors=None, *, tenure=None, churned=None, start=None) -> SBGResult:
    """Fit the shifted-beta-geometric (sBG) model of contract duration by maximum likelihood.

    Either from cohort **survivor counts** n_0 >= n_1 >= ... >= n_k (customers still active
    at the end of periods 0..k; the last count is right-censored), or from **individual
    tenures** (whole periods) with a ``churned`` flag (False = still active, censored).

    LL = Σ_t (lost in t) ln P(T=t) + (still active) ln S(t), with P(T=t) = B(α+1, β+t-1)/B(α,β)
    and S(t) = B(α, β+t)/B(α,β) (Fader & Hardie 2007, eq. 7).

    Parameters
    ----------
    survivors : sequence of int, optional
    tenure : array or Series of int, optional
        Periods each customer has been (or was) a customer.
    churned : array or Series of bool, optional
        True where the customer has left (her tenure is complete); aligned with ``tenure`` by
        index when both are Series.
    start : mapping, optional
        Start values {"alpha": ..., "beta": ...}. By default the optimiser starts from
        α = β = 1 (a uniform churn probability) and from α = 0.5, β = 3, and keeps the better fit.

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
        Nobody churned; one customer; everybody lost in the same period with nobody observed
        beyond it; only the first period observed.

    Warns
    -----
    ConvergenceWarning, EstimationWarning
        See the module notes.

    Examples
    --------
    >>> res = fit_sbg([1000, 869, 743, 653, 593, 551, 517, 491])   # Fader & Hardie (2007), high end
    >>> res.params.round(3).to_dict(), res.converged
    ({'alpha': 0.668, 'beta': 3.806}, True)
    """
    if (survivors is None) == (tenure is None):
        raise ValueError(
            "give either survivors (cohort counts) or tenure and churned (individual data); "
            f"got survivors={'None' if survivors is None else 'given'}, "
            f"tenure={'None' if tenure is None else 'given'}"
        )
    start = _check_start(start, ("alpha", "beta"), (1.0, 1.0))
    if survivors is not None:
        if isinstance(survivors, (str, bytes)):
            raise TypeError(f"survivors must be a sequence of counts; got {survivors!r}")
        return _fit_sbg_grouped(*_sbg_data_from_counts(survivors), start)
    if churned is None:
        raise ValueError("churned must be given with tenure (True where the customer left); got None")
    return _fit_sbg_grouped(*_sbg_data_from_tenure(tenure, churned), start)


# =======================================================================================
# purchase models: shared
# =======================================================================================
class _PurchaseModel:
    """Methods shared by the BG/NBD and Pareto/NBD results."""

    def customer_lifetime_value(self, spend_model, frequency, recency, T, monetary_value, **kwargs):
        """Discounted expected future spend of each customer; see :func:`crmlib.clv.customer_lifetime_value`."""
        from .value import customer_lifetime_value

        return customer_lifetime_value(self, spend_model, frequency, recency, T, monetary_value, **kwargs)


def _check_repeaters(x, w, model):
    if np.sum(w[x > 0]) == 0:
        raise ModelFitError(
            f"no customer made a repeat purchase (all frequencies are 0), so the {model} "
            "purchase and dropout processes cannot be told apart; the fit would be nonsense. "
            "Use a longer calibration period or more customers."
        )


def _prepare_rfm(frequency, recency, T, weights, model):
    _, x, tx, TT, w = _rfm_arrays(frequency, recency, T, weights=weights)
    _check_repeaters(x, w, model)
    total = float(w.sum())
    (x, tx, TT), w = _compress(x, tx, TT, weights=w)
    keep = w > 0
    x, tx, TT, w = x[keep], tx[keep], TT[keep], w[keep]
    _identification(x.size, total, model)
    ux, inv = np.unique(x, return_inverse=True)
    return (x, tx, TT, w, ux, inv), total


# =======================================================================================
# BG/NBD
# =======================================================================================
def _bgnbd_negll(theta, x, tx, T, w, ux, inv):
    """-LL and gradient of the BG/NBD (Fader, Hardie & Lee 2005a, eq. 6), in log space.

    Terms that depend on x only are computed once per distinct x (``ux``) and gathered.
    """
    r, al, a, b = theta
    gl = special.gammaln
    dg = special.digamma
    pos = ux > 0
    A1u = gl(r + ux) - gl(r) + r * np.log(al)
    lbab = special.betaln(a, b)
    A2c = special.betaln(a, b + ux) - lbab
    bx1 = np.where(pos, b + ux - 1, 1.0)
    A3c = np.where(pos, special.betaln(a + 1, bx1) - lbab, -np.inf)
    d_r1 = dg(r + ux) - dg(r) + np.log(al)
    dab = dg(a + b)
    dabx = dg(a + b + ux)
    da2 = dab - dabx
    db2 = dg(b + ux) - dabx - dg(b) + dab
    da3 = dg(a + 1) - dabx - dg(a) + dab
    db3 = np.where(pos, dg(bx1) - dabx - dg(b) + dab, 0.0)
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


def _bg_expected(t, r, al, a, b):
    """E[X(t)] of the BG/NBD: E_p[(1 - (1 + p t/α)^-r) / p] over p ~ Beta(a, b) (arrays broadcast).

    This is the expectation behind FHL (2005a) eq. 9, (a+b-1)/(a-1) [1 - (α/(α+t))^r
    2F1(r, b; a+b-1; t/(α+t))]: given λ and p, a customer makes (1 - e^(-λpt))/p purchases on
    average in (0, t], and E_λ e^(-λpt) = (1 + pt/α)^-r. Computed by quadrature (see
    :func:`_beta_mixture_mean`), so a = 1 and a + b = 1 need no special case.
    """
    return _beta_mixture_mean(t, r, al, a, b)


# -- Beta-mixture expectation of g(p) = (1 - (1 + κp)^-r)/p -------------------------------
def _log_sigmoid(ell):
    return -np.logaddexp(0.0, -ell)


def _bg_log_g(ell, kap, r):
    """log g(p) at p = σ(ℓ) and d log g/dℓ, g(p) = (1 - (1+κp)^-r)/p, stable for any p, κ, r."""
    lp = _log_sigmoid(ell)
    p = np.exp(lp)
    q = np.exp(_log_sigmoid(-ell))
    kp = kap * p
    L1 = np.log1p(kp)
    N = -np.expm1(-r * L1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        small = kp < 1e-8
        logN = np.where(small, np.log(r * kap) + lp + np.log1p(-(r + 1) * kp / 2), np.log(N))
        ratio = np.where(small, 1.0 - (r + 1) * kp / 2, r * kp * np.exp(-(r + 1) * L1) / N)
    return logN - lp, q * (ratio - 1.0)


def _beta_mixture_mean(t, r, al, a, b, n_nodes=160, n_bisect=32):
    """E_p[(1 - (1 + p t/α)^-r)/p] for p ~ Beta(a, b), vectorised over broadcast arguments.

    The integral is taken in logit space ℓ = ln(p/(1-p)), where the integrand
    p^a (1-p)^b g(p) / B(a, b) is smooth and log-concave with exponential tails: the mode is
    found by bisection on the derivative of its logarithm, the scale from the curvature there,
    and the trapezoidal rule is applied after the sinh substitution ℓ = mode + σ sinh(τ), which
    turns the tails into double-exponentially decaying ones.
    """
    t, r, al, a, b = np.broadcast_arrays(*[np.atleast_1d(np.asarray(z, float)) for z in (t, r, al, a, b)])
    shape = t.shape
    t, r, al, a, b = (z.ravel() for z in (t, r, al, a, b))
    out = np.zeros(t.size)
    pos = t > 0
    if not pos.any():
        return out.reshape(shape)
    t, r, al, a, b = (z[pos] for z in (t, r, al, a, b))
    kap = t / al

    def dlog(ell):
        _, dg = _bg_log_g(ell, kap, r)
        return a * np.exp(_log_sigmoid(-ell)) - b * np.exp(_log_sigmoid(ell)) + dg

    with np.errstate(all="ignore"):
        lo = np.full(t.size, -745.0)
        hi = np.full(t.size, 745.0)
        for _ in range(n_bisect):
            mid = 0.5 * (lo + hi)
            up = dlog(mid) > 0
            lo = np.where(up, mid, lo)
            hi = np.where(up, hi, mid)
        m = 0.5 * (lo + hi)
        dm = 1e-4 * np.maximum(1.0, np.abs(m))
        curv = -(dlog(m + dm) - dlog(m - dm)) / (2 * dm)
        sig = 1.0 / np.sqrt(np.clip(curv, 1e-8, 1e8))
        tl = np.arcsinh(40.0 / (np.minimum(a, 1.0) * sig)) + 0.5
        tr = np.arcsinh(40.0 / (np.minimum(b, 1.0) * sig)) + 0.5
        j = np.linspace(0.0, 1.0, n_nodes)
        tau = -tl[:, None] + (tl + tr)[:, None] * j[None, :]
        h = (tl + tr) / (n_nodes - 1)
        ell = m[:, None] + sig[:, None] * np.sinh(tau)
        lg, _ = _bg_log_g(ell, kap[:, None], r[:, None])
        lf = a[:, None] * _log_sigmoid(ell) + b[:, None] * _log_sigmoid(-ell) + lg + np.log(np.cosh(tau))
        lse, _ = _logsumexp_rows(lf)
        res = np.exp(lse + np.log(sig * h) - special.betaln(a, b))
    out[pos] = res
    return out.reshape(shape)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class BGNBDResult(_PurchaseModel, _CLVResult):
    """Fitted BG/NBD model (Fader, Hardie & Lee 2005a); time in the unit of the fitted data (weeks for CDNOW).

    While active, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after any
    purchase she drops out with probability p ~ Beta(a, b). ``params``: r, alpha, a, b.
    ``n_obs`` (alias ``n_customers``) counts the customers.
    """

    model_name: ClassVar[str] = "BG/NBD"
    _param_order: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    _negll_grad = staticmethod(_bgnbd_negll)

    def expected_purchases(self, t):
        """E[X(t)]: expected repeat purchases of a new customer in (0, t] (FHL 2005a, eq. 9).

        (a+b-1)/(a-1) [1 - (α/(α+t))^r 2F1(r, b; a+b-1; t/(α+t))], evaluated as the expectation
        E_p[(1 - (1+pt/α)^-r)/p] over p ~ Beta(a, b) it comes from (finite for every a, b > 0,
        including a = 1 and a + b = 1 where the closed form divides by zero).
        """
        index, arr = _inputs(t=t)
        tt = _time("t", arr["t"])
        r, al, a, b = self._theta()
        return _out(index, _bg_expected(tt, r, al, a, b), t)

    def _log_odds_dead(self, x, tx, T):
        r, al, a, b = self._theta()
        bx1 = np.where(x > 0, b + x - 1, 1.0)
        lo = np.log(a) - np.log(bx1) + (r + x) * (np.log(al + T) - np.log(al + tx))
        return np.where(x > 0, lo, -np.inf)

    def prob_alive(self, frequency, recency, T):
        """P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)) (FHL 2005a, eq. 11)."""
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        return _out(index, special.expit(-self._log_odds_dead(x, tx, TT)), frequency)

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """E[Y(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005a, eq. 10).

        The published expression is P(alive) times E[X(t)] of a *new* customer with the posterior
        parameters r+x, α+T, a, b+x; it is evaluated that way, with :meth:`expected_purchases`'s
        quadrature, so it is finite for every legal input (a = 1 included).
        """
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        tt = _horizon(t, x.size)
        r, al, a, b = self._theta()
        pa = special.expit(-self._log_odds_dead(x, tx, TT))
        # customers with the same (x, T) share the expectation: compute it once per pair
        codes, first = _factorize_rows(x, TT, tt)
        xu, Tu, tu = x[first], TT[first], tt[first]
        e = _bg_expected(tu, r + xu, al + Tu, a, b + xu)[codes]
        return _out(index, pa * e, frequency)

    def probability_of_n_purchases(self, t, n):
        """P(X(t) = n) for a new customer (FHL 2005a, eq. 8).

        B(a, b+n)/B(a, b) NB(n) + δ(n>0) B(a+1, b+n-1)/B(a, b) P(NB >= n), with NB the negative
        binomial number of purchases of an active customer, NB(n) = Γ(r+n)/(Γ(r) n!)
        (α/(α+t))^r (t/(α+t))^n, and P(NB >= n) = I_{t/(α+t)}(n, r) (regularised incomplete beta).
        """
        index, arr = _inputs(t=t, n=n)
        tt = _time("t", arr["t"], positive=True)
        nn = np.asarray(v.integer("n", arr["n"], minimum=0, maximum=MAX_COUNT), float)
        r, al, a, b = self._theta()
        gl = special.gammaln
        lb = special.betaln(a, b)
        lq = np.log(tt) - np.log(al + tt)
        lpp = np.log(al) - np.log(al + tt)
        first = special.betaln(a, b + nn) - lb + gl(r + nn) - gl(r) - gl(nn + 1) + r * lpp + nn * lq
        q = np.exp(lq)
        pos = nn > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            tail = special.betainc(np.where(pos, nn, 1.0), r, q)
            second = np.where(pos, np.exp(special.betaln(a + 1, np.where(pos, b + nn - 1, 1.0)) - lb) * tail, 0.0)
        like = t if np.ndim(t) else n
        return _out(index, np.exp(first) + second, like)


def fit_bg_nbd(frequency, recency, T, weights=None, *, start=None) -> BGNBDResult:
    """Fit the BG/NBD model (Fader, Hardie & Lee 2005a) by maximum likelihood.

    Log-likelihood (their eq. 6), in log space with analytic gradient:
    ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln[ B(a, b+x)/B(a,b) (α+T)^-(r+x)
    + δ(x>0) B(a+1, b+x-1)/B(a,b) (α+t_x)^-(r+x) ]. Customers with identical (x, t_x, T)
    are counted once with a weight.

    Parameters
    ----------
    frequency : array or Series of int
        Repeat purchases x in the calibration period.
    recency : array or Series of float
        Time t_x of the last repeat purchase after the first purchase (0 if x = 0).
    T : array or Series of float
        Time from the first purchase to the end of the calibration period (same unit).
    weights : array or Series of float, optional
        Number of customers each row stands for. Series are aligned by index.
    start : mapping, optional
        Start values {"r", "alpha", "a", "b"}. By default the optimiser starts from whichever of
        (r, α, a, b) = (1, T̄/4, 1, 1) and (0.3, T̄/8, 0.8, 2.5) has the higher likelihood,
        T̄ being the customers' mean age T.

    Returns
    -------
    BGNBDResult
        ``params`` r, alpha, a, b; ``log_likelihood``; ``standard_errors``; methods
        ``expected_purchases``, ``prob_alive``, ``conditional_expected_purchases``,
        ``probability_of_n_purchases``.

    Raises
    ------
    ValueError
        Negative or non-integer frequency, recency > T, mismatched lengths or indexes.
    ModelFitError
        One customer (or customers who all share one history); no repeat purchase.

    Warns
    -----
    ConvergenceWarning, EstimationWarning
        See the module notes.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1), res.converged
    ({'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}, -9582.4, True)
    """
    return _fit_beta_geometric_nbd(
        _bgnbd_negll,
        BGNBDResult,
        "BG/NBD",
        N_(
            "Try more customers or a longer calibration period, other start values "
            "(start={'r': ..., 'alpha': ..., 'a': ..., 'b': ...}), or a simpler model."
        ),
        frequency,
        recency,
        T,
        weights,
        start,
    )


# =======================================================================================
# MBG/NBD
# =======================================================================================
def _mbgnbd_negll(theta, x, tx, T, w, ux, inv):
    """-LL and gradient of the MBG/NBD (Batislam, Denizel & Filiztekin 2007, eq. 3), in log space.

    Given λ and p a customer survives her first purchase and each of the x repeat purchases with
    probability 1-p, so L(λ, p) = (1-p)^(x+1) λ^x e^(-λT) + p (1-p)^x λ^x e^(-λ t_x) (for x = 0
    too: she may have left right after her first purchase) and, over λ ~ Gamma(r, α) and
    p ~ Beta(a, b), L = Γ(r+x)α^r/Γ(r) [B(a, b+x+1)/B(a,b) (α+T)^-(r+x) + B(a+1, b+x)/B(a,b) (α+t_x)^-(r+x)].
    """
    r, al, a, b = theta
    gl = special.gammaln
    dg = special.digamma
    A1u = gl(r + ux) - gl(r) + r * np.log(al)
    lbab = special.betaln(a, b)
    A2c = special.betaln(a, b + ux + 1) - lbab
    A3c = special.betaln(a + 1, b + ux) - lbab
    d_r1 = dg(r + ux) - dg(r) + np.log(al)
    dab = dg(a + b)
    dabx = dg(a + b + ux + 1)
    da2 = dab - dabx
    db2 = dg(b + ux + 1) - dabx - dg(b) + dab
    da3 = dg(a + 1) - dabx - dg(a) + dab
    db3 = dg(b + ux) - dabx - dg(b) + dab
    la_T = np.log(al + T)
    la_t = np.log(al + tx)
    rx = r + x
    A2 = A2c[inv] - rx * la_T
    A3 = A3c[inv] - rx * la_t
    dlt = A3 - A2
    sp = np.maximum(dlt, 0.0) + np.log1p(np.exp(-np.abs(dlt)))  # softplus: log(1 + e^dlt)
    ll_rows = A1u[inv] + A2 + sp
    p3 = np.exp(dlt - sp)  # weight of the "dropped out after the last purchase" term
    p2 = 1.0 - p3
    g_r = d_r1[inv] - p2 * la_T - p3 * la_t
    g_al = r / al - p2 * rx / (al + T) - p3 * rx / (al + tx)
    g_a = p2 * da2[inv] + p3 * da3[inv]
    g_b = p2 * db2[inv] + p3 * db3[inv]
    ll = _wsum(w, ll_rows)
    g = np.array([_wsum(w, g_r), _wsum(w, g_al), _wsum(w, g_a), _wsum(w, g_b)])
    return -ll, -g


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class MBGNBDResult(_PurchaseModel, _CLVResult):
    """Fitted MBG/NBD model (Batislam, Denizel & Filiztekin 2007); time in the unit of the fitted data.

    As the BG/NBD, except that a customer may also drop out right after her *first* purchase
    (at time 0), with the same probability p ~ Beta(a, b) as after each repeat purchase: a
    customer without repeat purchases is no longer taken to be alive for sure. While active she
    buys as a Poisson process with rate λ ~ Gamma(r, α). ``params``: r, alpha, a, b;
    ``n_obs`` (alias ``n_customers``) counts the customers.
    """

    model_name: ClassVar[str] = "MBG/NBD"
    _param_order: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")
    _negll_grad = staticmethod(_mbgnbd_negll)

    def expected_purchases(self, t):
        """E[X(t)] = b/(a-1) [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))] (Batislam et al. 2007, eq. 4;
        the factor b/(a-1) as corrected by Wagner & Hoppe 2008).

        Evaluated as the expectation it comes from, E_p[(1-p)(1 - (1+pt/α)^-r)/p] over p ~ Beta(a, b)
        = b/(a+b) E_p[(1 - (1+pt/α)^-r)/p] over p ~ Beta(a, b+1), by the BG/NBD's quadrature (finite
        at a = 1, where the closed form divides by zero).
        """
        index, arr = _inputs(t=t)
        tt = _time("t", arr["t"])
        r, al, a, b = self._theta()
        return _out(index, b / (a + b) * _bg_expected(tt, r, al, a, b + 1.0), t)

    def _log_odds_dead(self, x, tx, T):
        r, al, a, b = self._theta()
        return np.log(a) - np.log(b + x) + (r + x) * (np.log(al + T) - np.log(al + tx))

    def prob_alive(self, frequency, recency, T):
        """P(alive | x, t_x, T) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)) (Batislam et al. 2007, eq. 5).

        Unlike the BG/NBD's, it is below 1 for customers without repeat purchases.
        """
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        return _out(index, special.expit(-self._log_odds_dead(x, tx, TT)), frequency)

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """E[Y(t) | x, t_x, T] = (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))]
        × P(alive) (Batislam et al. 2007, eq. 6, as corrected by Wagner & Hoppe 2008).

        Evaluated as P(alive) times the BG/NBD expectation with the posterior parameters r+x, α+T,
        a, b+x+1 of a customer alive at T (she has survived x+1 dropout opportunities).
        """
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        tt = _horizon(t, x.size)
        r, al, a, b = self._theta()
        pa = special.expit(-self._log_odds_dead(x, tx, TT))
        codes, first = _factorize_rows(x, TT, tt)
        xu, Tu, tu = x[first], TT[first], tt[first]
        e = _bg_expected(tu, r + xu, al + Tu, a, b + xu + 1.0)[codes]
        return _out(index, pa * e, frequency)

    def probability_of_n_purchases(self, t, n):
        """P(X(t) = n) for a new customer: a/(a+b) δ(n=0) + b/(a+b) P_BG(n; r, α, a, b+1).

        She leaves at time 0 with probability E[p] = a/(a+b); otherwise (p then follows
        Beta(a, b+1)) she behaves as a BG/NBD customer (:meth:`BGNBDResult.probability_of_n_purchases`).
        Equals Batislam et al. (2007), eq. 7.
        """
        index, arr = _inputs(t=t, n=n)
        tt = _time("t", arr["t"], positive=True)
        nn = np.asarray(v.integer("n", arr["n"], minimum=0, maximum=MAX_COUNT), float)
        r, al, a, b = self._theta()
        bg = BGNBDResult.from_params(r=r, alpha=al, a=a, b=b + 1.0)
        p_bg = np.asarray(bg.probability_of_n_purchases(tt, nn), float)
        like = t if np.ndim(t) else n
        return _out(index, a / (a + b) * (nn == 0) + b / (a + b) * p_bg, like)


def fit_mbg_nbd(frequency, recency, T, weights=None, *, start=None) -> MBGNBDResult:
    """Fit the MBG/NBD model (Batislam, Denizel & Filiztekin 2007) by maximum likelihood.

    Log-likelihood (their eq. 3), in log space with analytic gradient:
    ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln[ B(a, b+x+1)/B(a,b) (α+T)^-(r+x)
    + B(a+1, b+x)/B(a,b) (α+t_x)^-(r+x) ]. The second term is present for x = 0 as well: a
    customer may drop out right after her first purchase. Customers with identical
    (x, t_x, T) are counted once with a weight; the fit works as :func:`fit_bg_nbd`'s.

    Parameters
    ----------
    frequency, recency, T, weights
        As for :func:`fit_bg_nbd` (time in any unit; the parameters α and the predictions use it).
    start : mapping, optional
        Start values {"r", "alpha", "a", "b"}. By default the better (higher likelihood) of
        (r, α, a, b) = (1, T̄/4, 1, 1) and (0.3, T̄/8, 0.8, 2.5), T̄ being the mean age T.

    Returns
    -------
    MBGNBDResult
        ``params`` r, alpha, a, b; ``log_likelihood``; ``standard_errors``; methods
        ``expected_purchases``, ``prob_alive``, ``conditional_expected_purchases``,
        ``probability_of_n_purchases``.

    Raises
    ------
    ValueError
        Negative or non-integer frequency, recency > T, mismatched lengths or indexes.
    ModelFitError
        One customer (or customers who all share one history); no repeat purchase.

    Warns
    -----
    ConvergenceWarning, EstimationWarning
        See the module notes.

    References
    ----------
    Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical validation and comparison of
    models for customer base analysis. International Journal of Research in Marketing 24(3), 201-209.
    Wagner, U. & Hoppe, D. (2008). Erratum on the MBG/NBD model. International Journal of Research
    in Marketing 25(3), 225-226.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_mbg_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_mbg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.converged, res.n_obs
    (True, 2357)
    """
    return _fit_beta_geometric_nbd(
        _mbgnbd_negll,
        MBGNBDResult,
        "MBG/NBD",
        N_(
            "Try more customers or a longer calibration period, other start values "
            "(start={'r': ..., 'alpha': ..., 'a': ..., 'b': ...}), or the BG/NBD model."
        ),
        frequency,
        recency,
        T,
        weights,
        start,
    )


def _fit_beta_geometric_nbd(negll, result_class, model, advice, frequency, recency, T, weights, start):
    """The maximum-likelihood fit shared by the BG/NBD and the MBG/NBD (same parameters r, alpha, a, b).

    ``negll(theta, *args)`` returns the negative log-likelihood and its gradient; the fit runs on the
    log-parameters from the better of two start values (or ``start``), then diagnoses the result.
    """
    names = ("r", "alpha", "a", "b")
    start = _check_start(start, names, (1.0, 1.0, 1.0, 1.0))
    args, total = _prepare_rfm(frequency, recency, T, weights, model)
    if start is None:
        scale = max(float(np.average(args[2], weights=args[3])), 1e-6)
        starts = [np.array([1.0, scale / 4, 1.0, 1.0]), np.array([0.3, scale / 8, 0.8, 2.5])]
        theta0 = min(starts, key=lambda th: negll(th, *args)[0])  # the better start
    else:
        theta0 = start

    def f(z):
        th = np.exp(z)
        val, g = negll(th, *args)
        return val, g * th

    res = _minimize(f, [np.log(theta0)])
    theta = np.exp(res.x)
    result = result_class(
        param_names=names,
        param_values=tuple(theta),
        se_values=tuple(_std_errors(negll, theta, args)),
        n_obs=int(round(total)),
        converged=res.converged,
        message=_fit_message(res),
        iterations=int(res.nit),
        log_likelihood=float(-negll(theta, *args)[0]),
        fit_data=args,
    )
    _diagnose(result, res.x, model, advice)
    return result


# =======================================================================================
# Pareto/NBD
# =======================================================================================
def _pnbd_log_integral(r, al, s, mu, x, tx, T, rule, grad=False):
    """log I with I = ∫_{t_x}^{T} (α+y)^-(r+x) μ (1+y/β)^-(s+1) dy, β = s/μ (per row), and optionally
    the derivatives of log I in (ln r, ln α, ln s, ln μ).

    I is the dropout term of the Pareto/NBD likelihood, s β^s ∫ (α+y)^-(r+x) (β+y)^-(s+1) dy,
    written with β^s (β+y)^-s = (1+y/β)^-s and s/(β+y) = μ/(1+y/β) so that it stays finite as
    s → ∞ with μ fixed (the integrand tends to (α+y)^-(r+x) μ e^(-μy)). The integrand is a product
    of two Lomax-type factors (1 + d/c_i)^-e_i in d = y - t_x, with (c_1, e_1) = (α+t_x, r+x) and
    (c_2, e_2) = (β+t_x, s+1). On each piece (split where the two decay rates e_i/(c_i+d) cross)
    the substitution z = [1 - (1 + d/C)^-(e-1)]/(e-1), with the single Lomax factor (C, e) that
    matches the log-integrand's first two derivatives at the start of the piece, makes the
    integrand nearly constant (because 1/rate is concave, the remainder decreases), and
    tanh-sinh quadrature does the rest.
    """
    u, lwn = rule
    p = r + x
    be = s / mu
    c1 = al + tx
    c2 = be + tx
    e2 = s + 1.0
    D = T - tx
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ys = (p * c2 - e2 * c1) / (e2 - p)
    split = np.isfinite(ys) & (ys > 0) & (ys < D)
    ratio0 = (p / c1) / (e2 / c2)
    split &= (ratio0 > _SPLIT_RATIO) | (ratio0 < 1 / _SPLIT_RATIO)
    ys = np.where(split, ys, D)

    def piece(rows, y0, y1):
        """Log-weights of the nodes of one piece [y0, y1] (d measured from t_x) and their
        log1p(d/c1), log1p(d/c2) and d."""
        C1, C2, E1 = c1[rows], c2[rows], p[rows]
        A = E1 / (C1 + y0)
        B = e2 / (C2 + y0)
        a0 = A + B
        C = a0 / (A / (C1 + y0) + B / (C2 + y0))
        k = a0 * C - 1.0  # e - 1 of the matched Lomax factor
        k = np.where(np.abs(k) < 1e-300, 1e-300, k)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            Z = -np.expm1(-k * np.log1p((y1 - y0) / C)) / k
            L = np.multiply.outer(-k * Z, u)
            np.log1p(L, out=L)
            L /= -k[:, None]  # the node's ln(1 + (d - y0)/C)
            d = np.expm1(L)
            d *= C[:, None]
            d += y0[:, None]
            L1 = d / C1[:, None]
            np.log1p(L1, out=L1)
            L2 = d / C2[:, None]
            np.log1p(L2, out=L2)
            lw = L
            lw *= (k + 1.0)[:, None]
            lw -= E1[:, None] * L1
            lw -= e2 * L2
            lw += lwn[None, :]
            lw += (np.log(C) + np.log(Z))[:, None]  # -inf for an empty piece (t_x = T)
        return lw, L1, L2, d

    n = x.size
    pieces = [(np.arange(n), piece(np.arange(n), np.zeros(n), ys))]
    srows = np.flatnonzero(split)
    if srows.size:
        pieces.append((srows, piece(srows, ys[srows], D[srows])))
    with np.errstate(divide="ignore"):
        phi0 = -p * np.log(c1) + np.log(mu) - e2 * np.log1p(tx / be)
    lse = np.full(n, -np.inf)
    sums = []
    for rows, (lw, *_) in pieces:
        mx = np.max(lw, axis=1)
        mx[~np.isfinite(mx)] = 0.0
        lw -= mx[:, None]
        np.exp(lw, out=lw)  # lw now holds the (scaled) node weights
        tot = lw.sum(axis=1)
        with np.errstate(divide="ignore"):
            lse_piece = np.log(tot) + mx
        lse[rows] = np.logaddexp(lse[rows], lse_piece)
        sums.append((lse_piece, tot))
    logI = np.where(D > 0, phi0 + lse, -np.inf)
    if not grad:
        return logI
    # d log(integrand)/d(ln r, ln α, ln s, ln μ) at y = t_x + d, averaged over the nodes with their
    # normalised weights: -r ln(α+y), -(r+x) α/(α+y), (s+1) y/(β+y) - s ln(1+y/β), 1 - (s+1) y/(β+y)
    # (ln s moves β = s/μ with it; the third is s[y/(β+y) - ln(1+y/β)] + y/(β+y), which tends to 0
    # as s → ∞: its two terms are computed separately, to an absolute accuracy of 1e-16 μy)
    eL1, eL2, ea, eb = (np.zeros(n) for _ in range(4))
    for (rows, (wts, L1, L2, d)), (lse_piece, tot) in zip(pieces, sums):
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.exp(lse_piece - lse[rows]) / tot  # normalises the node weights to shares of I
        share[~np.isfinite(share)] = 0.0
        eL1[rows] += share * np.einsum("ij,ij->i", wts, L1)
        eL2[rows] += share * np.einsum("ij,ij->i", wts, L2)
        np.add(d, c1[rows, None], out=L1)  # reuse the buffers: 1/(α+y), then y/(β+y)
        np.reciprocal(L1, out=L1)
        ea[rows] += share * np.einsum("ij,ij->i", wts, L1)
        np.add(d, c2[rows, None], out=L2)
        d += tx[rows, None]
        np.divide(d, L2, out=L2)
        eb[rows] += share * np.einsum("ij,ij->i", wts, L2)
    g_r = -r * (np.log(c1) + eL1)
    g_al = -p * al * ea
    g_s = e2 * eb - s * (np.log1p(tx / be) + eL2)
    g_mu = 1.0 - e2 * eb
    return logI, (g_r, g_al, g_s, g_mu)


_SPLIT_RATIO = 2.0  # split a row's integral only where the two decay rates differ by more than this at t_x
_PNBD_CHUNK = 20_000  # rows per block of the quadrature (bounds the memory of rows x nodes arrays)


def _pnbd_terms(r, al, s, mu, x, tx, T, rule, grad=False):
    """(log C, log E, log I[, gradients]) of the Pareto/NBD likelihood per row, L = C (E + I):
    C = Γ(r+x)/Γ(r) α^r, E = (α+T)^-(r+x) (1+T/β)^-s, I as in :func:`_pnbd_log_integral`."""
    logC = special.gammaln(r + x) - special.gammaln(r) + r * np.log(al)
    be = s / mu
    uT = T / be
    logE = -(r + x) * np.log(al + T) - s * np.log1p(uT)
    if x.size <= _PNBD_CHUNK:
        parts = [_pnbd_log_integral(r, al, s, mu, x, tx, T, rule, grad)]
    else:  # α and μ may be one per row (customer covariates): cut them into the same blocks

        def block(a, i):
            return a[i : i + _PNBD_CHUNK] if np.ndim(a) else a

        parts = [
            _pnbd_log_integral(r, block(al, i), s, block(mu, i), *(block(a, i) for a in (x, tx, T)), rule, grad)
            for i in range(0, x.size, _PNBD_CHUNK)
        ]
    if not grad:
        return logC, logE, np.concatenate(parts)
    logI = np.concatenate([pt[0] for pt in parts])
    gI = [np.concatenate([pt[1][k] for pt in parts]) for k in range(4)]
    gE = (-r * np.log(al + T), -(r + x) * al / (al + T), s * _log1p_defect(uT), -s * uT / (1.0 + uT))
    return logC, logE, logI, gE, gI


def _pnbd_negll_z(z, x, tx, T, w, ux, inv, rule=_RULE_FIT):
    """-LL and its gradient in z = (ln r, ln α, ln s, ln μ), μ = s/β (the fitting coordinates)."""
    r, al, s, mu = np.exp(z)
    logC, logE, logI, gE, gI = _pnbd_terms(r, al, s, mu, x, tx, T, rule, grad=True)
    lse = np.logaddexp(logE, logI)
    wE = np.exp(logE - lse)
    wI = 1.0 - wE
    ll = _wsum(w, logC + lse)
    dg = special.digamma
    g_r = r * (dg(r + ux) - dg(r))[inv] + r * np.log(al) + wE * gE[0] + wI * gI[0]
    g_al = r + wE * gE[1] + wI * gI[1]
    g_s = wE * gE[2] + wI * gI[2]
    g_mu = wE * gE[3] + wI * gI[3]
    g = np.array([_wsum(w, g_r), _wsum(w, g_al), _wsum(w, g_s), _wsum(w, g_mu)])
    return -ll, -g


def _pnbd_negll_value_z(z, x, tx, T, w, ux, inv, rule=_RULE_FIT):
    """-LL alone (no gradient) in the fitting coordinates; +inf where it cannot be evaluated."""
    r, al, s, mu = np.exp(z)
    logC, logE, logI = _pnbd_terms(r, al, s, mu, x, tx, T, rule)
    val = -_wsum(w, logC + np.logaddexp(logE, logI))
    return val if np.isfinite(val) else np.inf


def _pnbd_negll(theta, x, tx, T, w):
    """-LL of the Pareto/NBD at θ = (r, α, s, β) with the fine quadrature (about 1e-11 relative);
    1e300 where it cannot be evaluated. The reported log-likelihood."""
    r, al, s, be = np.asarray(theta, float)
    x, tx, T, w = (np.asarray(a, float) for a in (x, tx, T, w))
    with np.errstate(all="ignore"):
        logC, logE, logI = _pnbd_terms(r, al, s, s / be, x, tx, T, _RULE_FINE)
        ll = _wsum(w, logC + np.logaddexp(logE, logI))
    return -ll if np.isfinite(ll) else 1e300


def _pnbd_negll_grad_theta(theta, x, tx, T, w, ux, inv):
    """-LL and gradient in θ = (r, α, s, β) (chain rule from the fitting coordinates)."""
    r, al, s, be = theta
    z = np.log([r, al, s, s / be])
    val, gz = _pnbd_negll_z(z, x, tx, T, w, ux, inv, rule=_RULE_FINE)
    # z = (ln r, ln α, ln s, ln s - ln β): dℓ/dθ = J^T dℓ/dz with J = dz/dθ
    g = np.array([gz[0] / r, gz[1] / al, (gz[2] + gz[3]) / s, -gz[3] / be])
    return val, g


def _pnbd_std_errors(theta, args, grad_at_theta=None):
    """Standard errors of (r, α, s, β): the inverse Hessian of -LL in the fitting coordinates
    (ln r, ln α, ln s, ln μ), by differences of the analytic gradient, carried to θ by the delta
    method (at the maximum both give the same observed information). With the gradient at θ
    known (from the optimiser) forward differences need 4 gradient evaluations, else central 8."""
    r, al, s, be = theta
    z = np.log([r, al, s, s / be])

    def grad(zz):
        return _pnbd_negll_z(zz, *args)[1]

    with np.errstate(all="ignore"):
        if grad_at_theta is None:
            H = _hessian_from_grad(grad, z, rel=1e-5, floor=1.0)
        else:
            h = 1e-5 * np.maximum(np.abs(z), 1.0)
            H = np.empty((4, 4))
            for i in range(4):
                e = np.zeros(4)
                e[i] = h[i]
                H[:, i] = (grad(z + e) - grad_at_theta) / h[i]
            H = (H + H.T) / 2
        cov = _covariance(H)
    J = np.array([[r, 0, 0, 0], [0, al, 0, 0], [0, 0, s, 0], [0, 0, be, -be]])  # dθ/dz
    return np.sqrt(np.diag(J @ cov @ J.T))


_LAGUERRE = np.polynomial.laguerre.laggauss(80)


def _lomax_laplace(s, z):
    """U(1, 2-s; z) = ∫_0^∞ e^(-zu) (1+u)^-s du for s > 0, z > 0 (arrays broadcast).

    scipy's ``hyperu`` for s < 20; above, where it fails (it returns 0 beyond s ≈ 170), Gauss-Laguerre
    quadrature in v = zu + s ln(1+u): the integral becomes ∫_0^∞ e^-v / (z + s/(1+u(v))) dv, whose
    second factor is smooth and grows at most like e^(v/s). u(v) comes from Newton's method started
    below the root (the function is concave, so the iterates rise monotonically to it).
    """
    s, z = np.broadcast_arrays(np.asarray(s, float), np.asarray(z, float))
    out = np.empty(s.shape)
    small = s < 20.0
    if np.any(small):
        out[small] = special.hyperu(1.0, 2.0 - s[small], z[small])
    if np.any(~small):
        sl, zl = s[~small][:, None], z[~small][:, None]
        nodes, weights = _LAGUERRE
        u = nodes[None, :] / (zl + sl)
        for _ in range(200):
            step = (zl * u + sl * np.log1p(u) - nodes[None, :]) / (zl + sl / (1.0 + u))
            u = u - step
            if np.all(np.abs(step) <= 1e-15 * (1.0 + u)):
                break
        out[~small] = np.sum(weights[None, :] / (zl + sl / (1.0 + u)), axis=1)
    return out


def _discounted_alive_time(s, c, d, horizon=None):
    """∫_0^H e^(-dt) (1 + t/c)^-s dt: the discounted expected time alive (up to H) of a customer whose
    dropout rate is Gamma(s, c), i.e. c U(1, 2-s; dc) minus the tail after H (H = None: no horizon)."""
    c = np.asarray(c, float)
    if d == 0.0:  # no discounting: the expected time alive in (0, H]
        return c * _expm1_ratio(s - 1.0, np.log1p(horizon / c))
    full = c * _lomax_laplace(s, d * c)
    if horizon is None:
        return full
    ch = c + horizon
    tail = np.exp(-d * horizon - s * np.log1p(horizon / c)) * ch * _lomax_laplace(s, d * ch)
    return np.maximum(full - tail, 0.0)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class ParetoNBDResult(_PurchaseModel, _CLVResult):
    """Fitted Pareto/NBD model (Schmittlein, Morrison & Colombo 1987); time in the data's unit.

    While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); her
    unobserved lifetime is exponential with rate μ ~ Gamma(s, β). ``params``: r, alpha, s, beta;
    ``mean_dropout_rate`` = s/β. ``n_obs`` (alias ``n_customers``) counts the customers.
    """

    model_name: ClassVar[str] = "Pareto/NBD"
    _param_order: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")
    _negll_grad = staticmethod(_pnbd_negll_grad_theta)

    @property
    def mean_dropout_rate(self) -> float:
        """E[μ] = s/β, the mean dropout rate per time unit (well determined even when s and β are not)."""
        r, al, s, be = self._theta()
        return float(s / be)

    def _compute_standard_errors(self) -> np.ndarray:
        """Inverse observed information in (ln r, ln α, ln s, ln μ), carried to (r, α, s, β) by the delta method."""
        if not self.fit_data:
            return np.full(4, np.nan)
        return _pnbd_std_errors(self._theta(), self.fit_data)

    def expected_purchases(self, t):
        """E[X(t)] = rβ/(α(s-1)) [1 - (β/(β+t))^(s-1)] for a new customer (Fader & Hardie 2005 note, eq. 17).

        Written as (r/α) β [1 - e^(-(s-1)L)]/(s-1) with L = ln(1 + t/β), whose limit at s = 1 is
        (r/α) β L: no division by s - 1.
        """
        index, arr = _inputs(t=t)
        tt = _time("t", arr["t"])
        r, al, s, be = self._theta()
        return _out(index, r * be / al * _expm1_ratio(s - 1.0, np.log1p(np.asarray(tt, float) / be)), t)

    def _prob_alive(self, x, tx, TT):
        r, al, s, be = self._theta()
        with np.errstate(all="ignore"):
            _, logE, logI = _pnbd_terms(r, al, s, s / be, x, tx, TT, _RULE_FINE)
            return np.exp(logE - np.logaddexp(logE, logI))

    def prob_alive(self, frequency, recency, T):
        """P(alive | x, t_x, T) = E / (E + I) (Fader & Hardie 2005 note, eq. 18), with E the
        'still alive at T' term (α+T)^-(r+x) (1+T/β)^-s and I the dropout integral of the
        likelihood (see the module notes): computed in log space, 1 when t_x = T."""
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        return _out(index, self._prob_alive(x, tx, TT), frequency)

    def conditional_expected_purchases(self, t, frequency, recency, T):
        """E[Y(t) | x, t_x, T] = (r+x)(β+T)/((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)] P(alive) (note, eq. 19).

        The bracket over s-1 is evaluated as [1 - e^(-(s-1)L)]/(s-1), L = ln(1 + t/(β+T)), with its
        limit L at s = 1.
        """
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        tt = _horizon(t, x.size)
        r, al, s, be = self._theta()
        pa = self._prob_alive(x, tx, TT)
        e = (r + x) * (be + TT) / (al + TT) * _expm1_ratio(s - 1.0, np.log1p(tt / (be + TT)))
        return _out(index, e * pa, frequency)

    def discounted_expected_residual_transactions(self, continuous_discount_rate, frequency, recency, T, horizon=None):
        """DERT: the customer's future purchases, each discounted continuously to the end of calibration.

        DERT(δ | x, t_x, T) = ∫_0^H e^(-δt) d E[Y(t) | x, t_x, T] (H = ∞ by default), in closed form
        (Fader, Hardie & Lee 2005b, eq. 2; their Ψ is Tricomi's confluent hypergeometric function U):

            DERT = α^r β^s δ^(s-1) Γ(r+x+1) U(s, s; δ(β+T)) / (Γ(r) (α+T)^(r+x+1) L(x, t_x, T))
                 = P(alive) · (r+x)/(α+T) · (β+T) U(1, 2-s; δ(β+T)),

        the second line by Kummer's transformation: the posterior mean purchase rate of a customer
        alive at T, (r+x)/(α+T), times ∫_0^∞ e^(-δt) (1 + t/(β+T))^-s dt, the expected discounted
        time she stays alive (her dropout rate is Gamma(s, β+T) given that she is alive at T).
        U(1, 2-s; z) is scipy's ``hyperu`` for s < 20 and, for larger s (where ``hyperu`` loses
        accuracy), 80-node Gauss-Laguerre quadrature after the substitution v = zu + s ln(1+u);
        both agree with 25-digit mpmath quadrature to 1e-9. A finite ``horizon`` H subtracts the
        tail after H, e^(-δH) ((β+T)/(β+T+H))^s (β+T+H) U(1, 2-s; δ(β+T+H)); with δ = 0 and a finite
        horizon the result is :meth:`conditional_expected_purchases` at H.

        Parameters
        ----------
        continuous_discount_rate : float
            Continuously compounded discount rate δ per time unit of the model, in [0, 10] (> 0 for
            an infinite horizon). An annual rate d with weekly data: δ = ln(1+d)/52, e.g. 15% a
            year is δ = 0.0027 a week (Fader, Hardie & Lee 2005b).
        frequency, recency, T : arrays or Series
            The customers' calibration summary (time in the model's unit).
        horizon : float, optional
            H in the model's time unit, at most 1e9 (None: no horizon, the customer's whole residual
            lifetime).

        Returns
        -------
        Series, ndarray or float
            Discounted expected number of future purchases per customer (a count).

        Examples
        --------
        >>> pnbd = ParetoNBDResult.from_params(r=0.5533, alpha=10.5776, s=0.6061, beta=11.6650)
        >>> round(pnbd.discounted_expected_residual_transactions(0.0027, 2, 30.43, 38.86), 3)
        6.483
        """
        index, x, tx, TT, _ = _rfm_arrays(frequency, recency, T)
        infinite = horizon is None
        d = v.in_range(
            "continuous_discount_rate",
            continuous_discount_rate,
            0,
            10,
            low_open=infinite,
            unit="per time unit (continuous)",
        )
        if np.ndim(d):
            raise TypeError(f"continuous_discount_rate must be a single number; got an array of shape {np.shape(d)}")
        d = float(d)
        if not infinite and np.ndim(horizon):
            raise TypeError(f"horizon must be a single number; got an array of shape {np.shape(horizon)}")
        H = None if infinite else float(v.in_range("horizon", horizon, 0, 1e9, low_open=True, unit="time units"))
        r, al, s, be = self._theta()
        pa = self._prob_alive(x, tx, TT)
        c = be + TT
        codes, first = _factorize_rows(c)
        alive_time = _discounted_alive_time(s, c[first], d, H)[codes]
        out = pa * (r + x) / (al + TT) * alive_time
        v.finite_result("discounted_expected_residual_transactions", out)
        return _out(index, out, frequency)


def fit_pareto_nbd(frequency, recency, T, weights=None, *, start=None) -> ParetoNBDResult:
    """Fit the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987) by maximum likelihood.

    The likelihood (Fader & Hardie's 2005 note, eq. 21-22) is L = C [E + I] with
    C = Γ(r+x)/Γ(r) α^r, E = (α+T)^-(r+x) (β/(β+T))^s and the dropout term
    I = s β^s ∫_{t_x}^{T} (α+y)^-(r+x) (β+y)^-(s+1) dy, evaluated by quadrature in log space
    (see the module notes); the gradient is analytic (differentiation under the integral sign).

    The optimiser works in (ln r, ln α, ln s, ln μ) with μ = s/β the mean dropout rate, each in
    [-30, 30]. When the data show no heterogeneity in dropout rates the likelihood increases
    towards s → ∞ at fixed μ (a common dropout rate): the fit then stops at a large s with a
    well-determined ``mean_dropout_rate`` and warns that s and β are not separately identified.

    Parameters
    ----------
    frequency, recency, T, weights
        As for :func:`fit_bg_nbd`.
    start : mapping, optional
        Start values {"r", "alpha", "s", "beta"}. By default the optimiser starts from whichever
        of (r, α, s, β) = (0.5, T̄/4, 0.5, T̄/4) and (0.5, T̄/4, 10, 10 T̄) (a nearly common dropout
        rate 1/T̄) has the higher likelihood, T̄ being the customers' mean age T.

    Returns
    -------
    ParetoNBDResult
        ``params`` r, alpha, s, beta; ``mean_dropout_rate``; ``prob_alive``,
        ``expected_purchases``, ``conditional_expected_purchases``.

    Raises
    ------
    ModelFitError
        One customer (or customers who all share one history); no repeat purchase.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> res = fit_pareto_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1)
    ({'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}, -9595.0)
    """
    names = ("r", "alpha", "s", "beta")
    start = _check_start(start, names, (0.5, 1.0, 0.5, 1.0))
    args, total = _prepare_rfm(frequency, recency, T, weights, "Pareto/NBD")
    x, tx, TT, w, ux, inv = args
    if start is None:
        tbar = max(float(np.average(TT, weights=w)), 1e-6)
        starts = [np.log([0.5, tbar / 4, 0.5, 2.0 / tbar]), np.log([0.5, tbar / 4, 10.0, 1.0 / tbar])]
    else:
        r0, a0, s0, b0 = start
        starts = [np.log([r0, a0, s0, s0 / b0])]
    starts = [np.clip(z, -LOG_BOUND, LOG_BOUND) for z in starts]
    with np.errstate(all="ignore"):
        first = [_pnbd_negll_value_z(z, *args) for z in starts]
    z0 = starts[int(np.nanargmin(np.where(np.isfinite(first), first, np.inf)))]
    with np.errstate(all="ignore"):
        res = _minimize(lambda z: _pnbd_negll_z(z, *args), [z0])
    r, al, s, mu = np.exp(res.x)
    theta = np.array([r, al, s, s / mu])
    ll = -_pnbd_negll(theta, x, tx, TT, w)
    if not np.isfinite(ll) or ll < -1e299:
        raise ModelFitError(
            f"the Pareto/NBD likelihood could not be evaluated at the estimates {theta}; "
            "try other start values or the BG/NBD model"
        )
    se = _pnbd_std_errors(theta, args, grad_at_theta=np.asarray(res.jac) * res.scale)
    result = ParetoNBDResult(
        param_names=names,
        param_values=tuple(theta),
        se_values=tuple(se),
        n_obs=int(round(total)),
        converged=res.converged,
        message=_fit_message(res),
        iterations=int(res.nit),
        log_likelihood=float(ll),
        fit_data=args,
    )
    advice = N_(
        "Try more customers or a longer calibration period, other start values (start={'r': ..., "
        "'alpha': ..., 's': ..., 'beta': ...}), or the simpler BG/NBD model."
    )
    _diagnose(result, res.x, "Pareto/NBD", advice)
    return result


# =======================================================================================
# Gamma-Gamma spend
# =======================================================================================
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
    ll = (
        _wsum(nu, special.gammaln(pu + q) - special.gammaln(pu) + pu * lxu)
        - N * special.gammaln(q)
        + N * q * np.log(g)
        + p * _wsum(w, x * lm)
        - _wsum(w, lm)
        - _wsum(w, (p * x + q) * lgx)
    )
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
    H[0, 0] = _wsum(nu, ux**2 * (t_pq - t_p))
    H[0, 1] = H[1, 0] = _wsum(nu, ux * t_pq)
    H[0, 2] = H[2, 0] = -_wsum(w, x / den)
    H[1, 1] = _wsum(nu, t_pq) - N * special.polygamma(1, q)
    H[1, 2] = H[2, 1] = N / g - _wsum(w, 1.0 / den)
    H[2, 2] = -N * q / g**2 + _wsum(w, (p * x + q) / den**2)
    return H


def _gg_newton(theta0, args, max_iter=100):
    """Newton-Raphson on log-parameters with the analytic gradient and Hessian and step halving.

    Returns (estimates, iterations, message), with estimates None if it fails (the caller then
    uses L-BFGS-B)."""
    z = np.log(np.asarray(theta0, float))
    f, g = _gg_negll(np.exp(z), *args)
    for it in range(1, max_iter + 1):
        th = np.exp(z)
        gz = -g * th  # gradient of LL in z
        Hz = th[:, None] * _gg_hessian_ll(th, *args) * th[None, :] + np.diag(gz)
        # modified Newton: -Hz with its eigenvalues made positive, so the step always ascends
        try:
            ev, vec = np.linalg.eigh(-Hz)
        except np.linalg.LinAlgError:
            return None, it, "Newton: eigen-decomposition failed"
        ev = np.maximum(np.abs(ev), 1e-8 * max(np.abs(ev).max(), 1e-300))
        step = vec @ ((vec.T @ gz) / ev)
        if not np.all(np.isfinite(step)):
            return None, it, "Newton: non-finite step"
        if gz @ step < 1e-13 * max(abs(f), 1.0):  # Newton decrement: converged
            return th, it, "Newton-Raphson converged: Newton decrement below 1e-13 of |LL|"
        t = 1.0
        while t > 1e-8:
            z_new = z + t * step
            if np.any(np.abs(z_new) > LOG_BOUND):
                t /= 2
                continue
            f_new, g_new = _gg_negll(np.exp(z_new), *args)
            if np.isfinite(f_new) and f_new <= f:
                break
            t /= 2
        else:
            return None, it, "Newton: line search failed"
        converged = abs(f - f_new) <= 1e-13 * max(abs(f), 1.0) and np.max(np.abs(t * step)) < 1e-9
        z, f, g = z_new, f_new, g_new
        if converged or np.max(np.abs(g * np.exp(z))) < 1e-9 * max(abs(f), 1.0):
            return np.exp(z), it, "Newton-Raphson converged: gradient below 1e-9 of |LL|"
    return None, max_iter, f"Newton: no convergence in {max_iter} iterations"


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class GammaGammaResult(_CLVResult):
    """Fitted Gamma-Gamma model of spend per transaction (Fader & Hardie 2013).

    Transaction values of a customer are Gamma(p, ν); ν ~ Gamma(q, γ) across customers.
    ``params``: p, q, gamma. Fitted on customers with at least one repeat transaction
    (``n_obs``, alias ``n_customers``, counts them).
    """

    model_name: ClassVar[str] = "Gamma-Gamma"
    _param_order: ClassVar[tuple[str, ...]] = ("p", "q", "gamma")
    _negll_grad = staticmethod(_gg_negll)

    @property
    def mean_transaction_value(self) -> float:
        """Population mean spend per transaction E[Z] = pγ/(q-1) (infinite when q <= 1)."""
        p, q, g = self._theta()
        return float(p * g / (q - 1)) if q > 1 else float("inf")

    def conditional_expected_spend(self, frequency, monetary_value):
        """E[Z | x, m̄] = (γ + x m̄) p / (p x + q - 1) (Fader & Hardie 2013, eq. 5).

        A weighted average of the population mean and the customer's own mean m̄ of x
        transactions; a customer with x = 0 gets the population mean.
        """
        index, arr = _inputs(frequency=frequency, monetary_value=monetary_value)
        x = np.asarray(v.integer("frequency", arr["frequency"], minimum=0, maximum=MAX_COUNT), float)
        m = np.asarray(v.money("monetary_value", arr["monetary_value"], minimum=0), float)
        p, q, g = self._theta()
        if q <= 1:
            raise ValueError(f"the fitted q must exceed 1 for a finite expected spend; got q={q:.4g}")
        out = (g + x * m) * p / (p * x + q - 1)
        v.finite_result("conditional_expected_spend", out)
        return _out(index, out, frequency if np.ndim(frequency) else monetary_value)


def fit_gamma_gamma(frequency, monetary_value, weights=None, *, start=None) -> GammaGammaResult:
    """Fit the Gamma-Gamma spend model (Fader & Hardie 2013) on customers with repeat purchases.

    ln f(m̄ | x) = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln m̄ + px ln x
    - (px+q) ln(γ + m̄x), for each customer with x >= 1 repeat transactions of mean value m̄.
    Rows with x = 0 are ignored.

    The maximum is found by Newton-Raphson on (ln p, ln q, ln γ) with the analytic Hessian,
    started from whichever of (p, q, γ) = (1, 1, 1) and (5, 3, mean m̄) has the higher
    likelihood (or from ``start={"p": ..., "q": ..., "gamma": ...}``); should Newton fail,
    L-BFGS-B takes over from the same start.

    Returns
    -------
    GammaGammaResult
        ``params`` p, q, gamma; ``conditional_expected_spend``.

    Raises
    ------
    ModelFitError
        No customer made a repeat purchase; only one did (or all share one history).

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", "amount", calibration_end="1997-09-30")
    >>> res = fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    >>> res.params.round(2).to_dict(), res.n_customers
    ({'p': 6.25, 'q': 3.74, 'gamma': 15.44}, 946)
    """
    names = ("p", "q", "gamma")
    start = _check_start(start, names, (1.0, 1.0, 1.0))
    _, arr = _inputs(frequency=frequency, monetary_value=monetary_value, weights=weights, optional=("weights",))
    x = np.atleast_1d(v.integer("frequency", arr["frequency"], minimum=0, maximum=MAX_COUNT)).astype(float)
    m = np.atleast_1d(v.money("monetary_value", arr["monetary_value"], minimum=0))
    n = max(x.size, m.size)
    x, m = np.broadcast_to(x, (n,)).astype(float), np.broadcast_to(m, (n,)).astype(float)
    w = (
        np.ones(n)
        if weights is None
        else np.broadcast_to(np.atleast_1d(v.in_range("weights", arr["weights"], 0, 1e12)), (n,)).astype(float)
    )
    keep = (x > 0) & (w > 0)
    if not keep.any():
        raise ModelFitError(
            "no customer made a repeat purchase (all frequencies are 0); the Gamma-Gamma "
            "model is fitted on the mean value of repeat transactions and has no data"
        )
    bad = keep & (m <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"monetary_value must be > 0 for customers with frequency > 0 (the Gamma-Gamma "
            f"model needs positive spend); got {float(m[i])!r} at position {i}"
        )
    total = float(w[keep].sum())
    (x, m), w = _compress(x[keep], m[keep], weights=w[keep])
    _identification(x.size, total, "Gamma-Gamma", what="repeat buyers")
    ux, inv = np.unique(x, return_inverse=True)
    args = (x, m, w, ux, inv)
    if start is None:
        mean_m = float(np.average(m, weights=w))
        starts = [np.array([1.0, 1.0, 1.0]), np.array([5.0, 3.0, mean_m])]
        theta0 = min(starts, key=lambda th: _gg_negll(th, *args)[0])  # optimise from the better start
    else:
        theta0 = start
    with np.errstate(all="ignore"):
        theta, iterations, message = _gg_newton(theta0, args)
    converged = theta is not None
    if theta is None:  # Newton did not converge: fall back to the quasi-Newton optimiser

        def f(z):
            th = np.exp(z)
            val, g = _gg_negll(th, *args)
            return val, g * th

        res = _minimize(f, [np.log(theta0)])
        theta = np.exp(res.x)
        converged = res.converged
        iterations += int(res.nit)
        message = f"{message}; L-BFGS-B: {_fit_message(res)}"
    ll = -_gg_negll(theta, *args)[0]
    with np.errstate(all="ignore"):  # the analytic Hessian: the observed information is -H
        se = np.sqrt(np.diag(_covariance(-_gg_hessian_ll(theta, *args))))
    result = GammaGammaResult(
        param_names=names,
        param_values=tuple(theta),
        se_values=tuple(se),
        n_obs=int(round(total)),
        converged=converged,
        message=message,
        iterations=iterations,
        log_likelihood=float(ll),
        fit_data=args,
    )
    _diagnose(
        result,
        np.log(theta),
        "Gamma-Gamma",
        N_(
            "Try more repeat buyers, other start values "
            "(start={'p': ..., 'q': ..., 'gamma': ...}), or the customers' own mean spend."
        ),
    )
    return result


# =======================================================================================
# simulation
# =======================================================================================
def simulate_bg_nbd(
    r, alpha, a, b, n_customers, *, rng, calibration_days=273, first_purchase_days=84, days_per_unit=7.0
):
    """Simulate the calibration summary of a BG/NBD customer population (daily dates, like CDNOW).

    Each customer makes a first purchase on a day uniform in 0..``first_purchase_days``-1
    and is observed until day ``calibration_days``-1; λ ~ Gamma(r, α) (α in purchases per
    ``days_per_unit`` days), p ~ Beta(a, b); she can drop out right after each repeat purchase
    with probability p (Fader, Hardie & Lee 2005a, assumptions i-v). Given K purchases in
    (0, T], the x-th purchase time is T times a Beta(x, K-x+1) variate; times are rounded up
    to whole days, as in a daily transaction log.

    Parameters
    ----------
    r, alpha, a, b : float
        BG/NBD parameters, each in [1e-6, 1e6].
    n_customers : int
        Customers to simulate (1 to 10,000,000).
    rng : numpy.random.Generator
    calibration_days : int
        Length of the calibration period in days (2 to 100,000).
    first_purchase_days : int
        First purchases fall on days 0..first_purchase_days-1 (below ``calibration_days``).
    days_per_unit : float
        Days per model time unit (7: weeks), between 1/1440 (a minute) and 3660.

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
    r, alpha, a, b = (
        v.in_range(name, val, 1e-6, 1e6) for name, val in (("r", r), ("alpha", alpha), ("a", a), ("b", b))
    )
    n = v.integer("n_customers", n_customers, minimum=1, maximum=MAX_SIMULATED)
    rng = v.rng("rng", rng)
    cal = v.integer("calibration_days", calibration_days, minimum=2, maximum=100_000)
    fp = v.integer("first_purchase_days", first_purchase_days, minimum=1, maximum=100_000)
    if fp >= cal:
        raise ValueError(f"first_purchase_days must be below calibration_days; got {fp} >= {cal}")
    unit = v.in_range("days_per_unit", days_per_unit, 1 / 1440, 3660)
    first = rng.integers(0, fp, size=n)
    T_days = (cal - 1 - first).astype(float)
    lam = rng.gamma(r, 1.0 / alpha, size=n) / unit  # per day
    mean_purchases = lam * T_days
    if not np.all(mean_purchases < 1e9):
        raise ValueError(
            f"r and alpha give purchase rates too high to simulate (up to {mean_purchases.max():.3g} "
            f"purchases per customer in {cal} days; r/alpha = {r / alpha:.3g} per unit of "
            f"{unit:g} days): lower r or raise alpha"
        )
    p = rng.beta(a, b, size=n)
    p = np.maximum(p, 1e-15)  # Beta draws can underflow to 0 for tiny a (she then never leaves)
    K = rng.poisson(mean_purchases)
    J = rng.geometric(p)  # repeat purchases until (and including) the one after which she drops out
    x = np.minimum(K, J)
    pos = x > 0
    frac = np.zeros(n)
    frac[pos] = rng.beta(x[pos], K[pos] - x[pos] + 1)
    rec_days = np.where(pos, np.clip(np.ceil(frac * T_days), 1, T_days), 0.0)
    return pd.DataFrame({"frequency": x.astype(np.int64), "recency": rec_days / unit, "T": T_days / unit})
