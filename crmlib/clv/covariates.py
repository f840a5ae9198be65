"""Time-invariant customer covariates in the BG/NBD and Pareto/NBD models.

Each customer i carries two vectors of covariates (either may be empty): z_i^P on the purchase
process and z_i^D on the dropout process. They shift the scale parameters of the mixing
distributions, as in R CLVTools' static covariates (Fader & Hardie 2007, "Incorporating
time-invariant covariates into the Pareto/NBD and BG/NBD models", http://brucehardie.com/notes/019/;
Bachmann, Meierer & Näf 2021):

* **Pareto/NBD**: λ_i ~ Gamma(r, α_i) and μ_i ~ Gamma(s, β_i) with
  α_i = α exp(-γ_P'z_i^P) and β_i = β exp(-γ_D'z_i^D);
* **BG/NBD**: λ_i ~ Gamma(r, α_i) and p_i ~ Beta(a_i, b_i) with α_i = α exp(-γ_P'z_i^P),
  a_i = a exp(γ_D'z_i^D) and b_i = b exp(γ_D'z_i^D).

A positive purchase coefficient therefore raises the mean purchase rate r/α_i by the factor
exp(γ_P'z) (the Gamma's rate α_i falls); a positive dropout coefficient raises the Pareto/NBD's
mean dropout rate s/β_i by exp(γ_D'z). In the BG/NBD the dropout coefficients scale a and b
together: the mean dropout probability a/(a+b) is unchanged and the heterogeneity around it
shrinks (a_i + b_i grows) with γ_D'z. The shape parameters r, s (and the ratio a/b) are common
to all customers. With every coefficient at 0 the models are the plain BG/NBD and Pareto/NBD.

The fits maximise the log-likelihood of the plain models with the customer's own α_i, β_i
(a_i, b_i): the likelihood is unchanged in form (each customer's row uses her parameters).
They start from the plain model's fit (coefficients 0), so the log-likelihood never falls below
it, and run L-BFGS-B over (ln r, ln α, ln s, ln μ, γ) — μ = s/β, as in
:func:`crmlib.clv.fit_pareto_nbd` — or (ln r, ln α, ln a, ln b, γ), with analytic gradients.
Standard errors: the inverse Hessian of -LL in those coordinates (central differences of the
gradient), carried to (r, α, s, β, γ) by the delta method. Covariates should be on a moderate
scale (centre or standardise continuous ones); dummies are coded 0/1.

References
----------
Fader, P. S. & Hardie, B. G. S. (2007). Incorporating time-invariant covariates into the Pareto/NBD
and BG/NBD models. http://brucehardie.com/notes/019/
Bachmann, P., Meierer, M. & Näf, J. (2021). The role of time-varying contextual factors in latent
attrition models for customer base analysis. Marketing Science 40(4), 783-809 (R package CLVTools).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import special

from .. import _validate as v
from ..i18n import N_, gettext
from ..results import FitResult, warn_if_not_converged
from . import models as m

__all__ = [
    "BGNBDCovariateResult",
    "ParetoNBDCovariateResult",
    "fit_bg_nbd_covariates",
    "fit_pareto_nbd_covariates",
]

#: Largest absolute covariate value accepted (standardise or rescale larger ones).
MAX_COVARIATE = 1e4


# =======================================================================================
# inputs
# =======================================================================================
def _covariates(name, covariates, index, n):
    """(column names, n x k float matrix) of one covariate table; k = 0 when ``covariates`` is None.

    With Series inputs (``index`` given) the table must be a DataFrame or Series carrying the same
    customers (aligned by label); with array inputs it must be an array (rows by position).
    """
    if covariates is None:
        return (), np.zeros((n, 0))
    if isinstance(covariates, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be a DataFrame, a Series or an array of numbers; got {covariates!r}")
    if isinstance(covariates, (pd.DataFrame, pd.Series)):
        frame = covariates.to_frame() if isinstance(covariates, pd.Series) else covariates
        if index is None:
            raise TypeError(
                f"{name} is a {type(covariates).__name__}, but frequency, recency and T are arrays: give them as "
                "Series (the covariates are aligned by the customers' index) or give the covariates as an array"
            )
        if not frame.index.is_unique or set(frame.index) != set(index) or len(frame) != len(index):
            raise ValueError(
                f"{name} must have one row per customer with the index of frequency, recency and T "
                f"(aligned by label, not by position); got {len(frame)} rows whose index does not match"
            )
        frame = frame.reindex(index)
        names = tuple(str(c) for c in frame.columns)
        values = frame.to_numpy()
    else:
        if index is not None:
            raise TypeError(
                f"{name} must be a DataFrame (or Series) indexed like frequency, recency and T, which are Series; "
                f"got {type(covariates).__name__}"
            )
        values = np.asarray(covariates)
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2 or values.shape[0] != n:
            raise ValueError(f"{name} must have one row per customer ({n}); got an array of shape {values.shape}")
        names = tuple(f"z{j + 1}" for j in range(values.shape[1]))
    if values.shape[1] == 0:
        return (), np.zeros((n, 0))
    if len(set(names)) != len(names):
        raise ValueError(f"{name} has repeated column names: {list(names)}")
    if values.dtype == object or values.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers (code categories as 0/1 dummies); got dtype {values.dtype}")
    values = np.asarray(
        v.in_range(name, values.astype(float), -MAX_COVARIATE, MAX_COVARIATE, unit="(rescale larger covariates)"),
        float,
    )
    return names, values


def _prepare(frequency, recency, T, weights, purchase_covariates, dropout_covariates, model):
    index, x, tx, TT, w = m._rfm_arrays(frequency, recency, T, weights=weights)
    n = x.size
    p_names, Zp = _covariates("purchase_covariates", purchase_covariates, index, n)
    d_names, Zd = _covariates("dropout_covariates", dropout_covariates, index, n)
    m._check_repeaters(x, w, model)
    total = float(w.sum())
    cols, w = m._compress(x, tx, TT, *Zp.T, *Zd.T, weights=w)
    keep = w > 0
    cols = [c[keep] for c in cols]
    w = w[keep]
    x, tx, TT = cols[:3]
    kp = len(p_names)
    Zp = np.column_stack(cols[3 : 3 + kp]) if kp else np.zeros((x.size, 0))
    Zd = np.column_stack(cols[3 + kp :]) if d_names else np.zeros((x.size, 0))
    m._identification(x.size, total, model)
    for arg, names, Z in (("purchase_covariates", p_names, Zp), ("dropout_covariates", d_names, Zd)):
        _check_identified(arg, names, Z, model)
    return (x, tx, TT, w, Zp, Zd), (p_names, d_names), total


def _check_identified(arg, names, Z, model):
    """Warn when covariates are constant or combinations of one another (with the scale parameter they
    multiply, which acts as an intercept): their coefficients are then not identified."""
    if not names:
        return
    design = np.column_stack([np.ones(Z.shape[0]), Z])
    if np.linalg.matrix_rank(design) == design.shape[1]:
        return
    constant = [n for n, col in zip(names, Z.T) if np.ptp(col) == 0]
    what = (
        gettext("constant ({names})").format(names=", ".join(constant))
        if constant
        else gettext("linearly dependent (with a constant)")
    )
    warnings.warn(
        gettext(
            "{model} with covariates: {arg} are {what}, so their coefficients cannot be told apart from the "
            "scale parameter they multiply (the likelihood is flat along that direction; standard errors are "
            "meaningless). Drop constant covariates and one dummy of each full set of categories."
        ).format(model=model, arg=arg, what=what),
        m.EstimationWarning,
        stacklevel=5,
    )


def _covariate_names(p_names, d_names):
    return tuple(f"purchase.{c}" for c in p_names) + tuple(f"dropout.{c}" for c in d_names)


# =======================================================================================
# log-likelihoods in the fitting coordinates
# =======================================================================================
def _pnbd_cov_negll(z, x, tx, T, w, Zp, Zd, rule=m._RULE_FIT):
    """-LL and gradient of the Pareto/NBD with covariates in z = (ln r, ln α, ln s, ln μ, γ_P, γ_D)."""
    kp = Zp.shape[1]
    r, al0, s, mu0 = np.exp(z[:4])
    gp, gd = z[4 : 4 + kp], z[4 + kp :]
    al = al0 * np.exp(-(Zp @ gp)) if kp else np.full(x.size, al0)
    mu = mu0 * np.exp(Zd @ gd) if gd.size else np.full(x.size, mu0)
    with np.errstate(all="ignore"):
        logC, logE, logI, gE, gI = m._pnbd_terms(r, al, s, mu, x, tx, T, rule, grad=True)
        lse = np.logaddexp(logE, logI)
        wE = np.exp(logE - lse)
        wI = 1.0 - wE
        ll = m._wsum(w, logC + lse)
        g_r = r * (special.digamma(r + x) - special.digamma(r)) + r * np.log(al) + wE * gE[0] + wI * gI[0]
        g_al = r + wE * gE[1] + wI * gI[1]  # d ll_i / d ln α_i
        g_s = wE * gE[2] + wI * gI[2]
        g_mu = wE * gE[3] + wI * gI[3]  # d ll_i / d ln μ_i
    g = np.concatenate(
        [
            [m._wsum(w, g_r), m._wsum(w, g_al), m._wsum(w, g_s), m._wsum(w, g_mu)],
            -(Zp.T @ (w * g_al)),
            Zd.T @ (w * g_mu),
        ]
    )
    return -ll, -g


def _bgnbd_cov_negll(z, x, tx, T, w, Zp, Zd):
    """-LL and gradient of the BG/NBD with covariates in z = (ln r, ln α, ln a, ln b, γ_P, γ_D)."""
    kp = Zp.shape[1]
    r, al0, a0, b0 = np.exp(z[:4])
    gp, gd = z[4 : 4 + kp], z[4 + kp :]
    al = al0 * np.exp(-(Zp @ gp)) if kp else np.full(x.size, al0)
    sc = np.exp(Zd @ gd) if gd.size else np.ones(x.size)
    a, b = a0 * sc, b0 * sc
    gl, dg = special.gammaln, special.digamma
    pos = x > 0
    with np.errstate(all="ignore"):
        lbab = special.betaln(a, b)
        bx1 = np.where(pos, b + x - 1, 1.0)
        A2 = special.betaln(a, b + x) - lbab - (r + x) * np.log(al + T)
        A3 = np.where(pos, special.betaln(a + 1, bx1) - lbab - (r + x) * np.log(al + tx), -np.inf)
        dlt = A3 - A2
        sp = np.maximum(dlt, 0.0) + np.log1p(np.exp(-np.abs(dlt)))
        ll_rows = gl(r + x) - gl(r) + r * np.log(al) + A2 + sp
        p3 = np.exp(dlt - sp)
        p2 = 1.0 - p3
        dab, dabx = dg(a + b), dg(a + b + x)
        da2 = dab - dabx
        db2 = dg(b + x) - dabx - dg(b) + dab
        da3 = dg(a + 1) - dabx - dg(a) + dab
        db3 = np.where(pos, dg(bx1) - dabx - dg(b) + dab, 0.0)
        g_r = r * (dg(r + x) - dg(r) + np.log(al) - p2 * np.log(al + T) - p3 * np.log(al + tx))
        g_al = r - (r + x) * al * (p2 / (al + T) + p3 / (al + tx))  # d ll_i / d ln α_i
        g_a = a * (p2 * da2 + p3 * da3)  # d ll_i / d ln a_i
        g_b = b * (p2 * db2 + p3 * np.where(pos, db3, 0.0))  # d ll_i / d ln b_i
    ll = m._wsum(w, ll_rows)
    g = np.concatenate(
        [
            [m._wsum(w, g_r), m._wsum(w, g_al), m._wsum(w, g_a), m._wsum(w, g_b)],
            -(Zp.T @ (w * g_al)),
            Zd.T @ (w * (g_a + g_b)),
        ]
    )
    return -ll, -g


# =======================================================================================
# results
# =======================================================================================
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class _CovariateResult(FitResult):
    """Shared parts: the covariate names and the per-customer scale parameters."""

    purchase_names: tuple[str, ...] = ()
    dropout_names: tuple[str, ...] = ()
    fit_data: tuple = field(default=(), repr=False, compare=False)

    _base: ClassVar[tuple[str, ...]] = ()

    # the model's name in the notebook's language, as the covariate-free results show theirs
    __repr__ = m._CLVResult.__repr__
    _repr_html_ = m._CLVResult._repr_html_

    def __post_init__(self) -> None:
        super().__post_init__()
        expected = self._base + _covariate_names(self.purchase_names, self.dropout_names)
        if self.param_names != expected:
            raise ValueError(f"param_names of a {type(self).__name__} must be {expected}; got {self.param_names}")
        for name, val in zip(self._base, self.param_values):
            if not (np.isfinite(val) and val > 0):
                raise ValueError(f"{name} must be a positive finite number; got {val!r}")

    @property
    def n_customers(self) -> int:
        """Number of customers the model was fitted on (an alias of ``n_obs``)."""
        return self.n_obs

    @property
    def purchase_coefficients(self) -> pd.Series:
        """γ_P, one per purchase covariate (log of the factor on the mean purchase rate per unit of z)."""
        vals = self.param_values[4 : 4 + len(self.purchase_names)]
        return pd.Series(
            vals, index=pd.Index(self.purchase_names, name=N_("covariate")), name=N_("purchase"), dtype=float
        )

    @property
    def dropout_coefficients(self) -> pd.Series:
        """γ_D, one per dropout covariate."""
        vals = self.param_values[4 + len(self.purchase_names) :]
        return pd.Series(
            vals, index=pd.Index(self.dropout_names, name=N_("covariate")), name=N_("dropout"), dtype=float
        )

    def _rows(self, frequency, recency, T, purchase_covariates, dropout_covariates):
        index, x, tx, TT, _ = m._rfm_arrays(frequency, recency, T)
        n = x.size
        out = []
        for arg, names, given in (
            ("purchase_covariates", self.purchase_names, purchase_covariates),
            ("dropout_covariates", self.dropout_names, dropout_covariates),
        ):
            if not names:
                if given is not None:
                    raise ValueError(f"{arg} must be None: the model was fitted without them")
                out.append(np.zeros((n, 0)))
                continue
            if given is None:
                raise ValueError(f"{arg} must be given: the model was fitted with {list(names)}")
            got_names, Z = _covariates(arg, given, index, n)
            if len(got_names) != len(names) or (
                isinstance(given, (pd.DataFrame, pd.Series)) and tuple(got_names) != tuple(names)
            ):
                raise ValueError(f"{arg} must have the columns {list(names)} of the fit; got {list(got_names)}")
            out.append(Z)
        return index, x, tx, TT, out[0], out[1]


def _theta_se(z, negll, data, jac_fn):
    """Standard errors of θ from the Hessian of -LL in the fitting coordinates z (delta method)."""
    with np.errstate(all="ignore"):
        try:
            H = m._hessian_from_grad(lambda zz: negll(zz, *data)[1], z, rel=1e-5, floor=1.0)
        except (FloatingPointError, ValueError, ZeroDivisionError):
            return np.full(z.size, np.nan)
        cov = m._covariance(H)
    J = jac_fn(z)
    return np.sqrt(np.diag(J @ cov @ J.T))


def _pnbd_jacobian(z):
    """dθ/dz for θ = (r, α, s, β = s/μ, γ) and z = (ln r, ln α, ln s, ln μ, γ)."""
    k = z.size
    J = np.eye(k)
    r, al, s, mu = np.exp(z[:4])
    be = s / mu
    J[:4, :4] = [[r, 0, 0, 0], [0, al, 0, 0], [0, 0, s, 0], [0, 0, be, -be]]
    return J


def _bgnbd_jacobian(z):
    J = np.eye(z.size)
    J[:4, :4] = np.diag(np.exp(z[:4]))
    return J


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class ParetoNBDCovariateResult(_CovariateResult):
    """Fitted Pareto/NBD with time-invariant covariates (see the module notes); time in the data's unit.

    ``params``: r, alpha, s, beta (the values at z = 0), then ``purchase.<name>`` (γ_P) and
    ``dropout.<name>`` (γ_D). Customer i has α_i = α exp(-γ_P'z_i^P) and β_i = β exp(-γ_D'z_i^D).
    Predictions (``prob_alive``, ``conditional_expected_purchases``,
    ``discounted_expected_residual_transactions``) take the customers' covariates.
    """

    model_name: ClassVar[str] = N_("Pareto/NBD with covariates")
    _base: ClassVar[tuple[str, ...]] = ("r", "alpha", "s", "beta")

    def _compute_standard_errors(self) -> np.ndarray:
        if not self.fit_data:
            return np.full(len(self.param_values), np.nan)
        th = np.array(self.param_values)
        z = np.concatenate([np.log([th[0], th[1], th[2], th[2] / th[3]]), th[4:]])
        return _theta_se(z, _pnbd_cov_negll, self.fit_data, _pnbd_jacobian)

    def individual_params(self, frequency, recency, T, purchase_covariates=None, dropout_covariates=None):
        """Each customer's (α_i, β_i), a DataFrame (index of the inputs when they are Series)."""
        index, x, _, _, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        al, be = self._scales(Zp, Zd)
        return pd.DataFrame({"alpha": al, "beta": be}, index=index)

    def _scales(self, Zp, Zd):
        th = np.array(self.param_values)
        kp = len(self.purchase_names)
        al = th[1] * np.exp(-(Zp @ th[4 : 4 + kp]))
        be = th[3] * np.exp(-(Zd @ th[4 + kp :]))
        return al, be

    def _prob_alive_rows(self, x, tx, TT, al, be):
        r, s = self.param_values[0], self.param_values[2]
        with np.errstate(all="ignore"):
            _, logE, logI = m._pnbd_terms(r, al, s, s / be, x, tx, TT, m._RULE_FINE)
            return np.exp(logE - np.logaddexp(logE, logI))

    def prob_alive(self, frequency, recency, T, purchase_covariates=None, dropout_covariates=None):
        """P(alive | x, t_x, T, z) (Fader & Hardie's 2005 note, eq. 18, with the customer's α_i, β_i)."""
        index, x, tx, TT, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        al, be = self._scales(Zp, Zd)
        return m._out(index, self._prob_alive_rows(x, tx, TT, al, be), frequency)

    def conditional_expected_purchases(
        self, t, frequency, recency, T, purchase_covariates=None, dropout_covariates=None
    ):
        """E[Y(t) | x, t_x, T, z] (Fader & Hardie's 2005 note, eq. 19, with the customer's α_i, β_i)."""
        index, x, tx, TT, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        tt = m._horizon(t, x.size)
        al, be = self._scales(Zp, Zd)
        r, s = self.param_values[0], self.param_values[2]
        e = (r + x) * (be + TT) / (al + TT) * m._expm1_ratio(s - 1.0, np.log1p(tt / (be + TT)))
        return m._out(index, e * self._prob_alive_rows(x, tx, TT, al, be), frequency)

    def discounted_expected_residual_transactions(
        self,
        continuous_discount_rate,
        frequency,
        recency,
        T,
        purchase_covariates=None,
        dropout_covariates=None,
        horizon=None,
    ):
        """DERT(δ | x, t_x, T, z): Fader, Hardie & Lee's (2005b) closed form with the customer's α_i, β_i
        (as CLVTools' ``pnbd_staticcov_DERT``); see
        :meth:`crmlib.clv.ParetoNBDResult.discounted_expected_residual_transactions` for δ and ``horizon``."""
        index, x, tx, TT, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        infinite = horizon is None
        d = v.in_range(
            "continuous_discount_rate",
            continuous_discount_rate,
            0,
            10,
            low_open=infinite,
            unit="per time unit (continuous)",
        )
        if np.ndim(d) or (not infinite and np.ndim(horizon)):
            raise TypeError("continuous_discount_rate and horizon must be single numbers")
        H = None if infinite else float(v.in_range("horizon", horizon, 0, 1e9, low_open=True, unit="time units"))
        al, be = self._scales(Zp, Zd)
        r, s = self.param_values[0], self.param_values[2]
        pa = self._prob_alive_rows(x, tx, TT, al, be)
        out = pa * (r + x) / (al + TT) * m._discounted_alive_time(s, be + TT, float(d), H)
        v.finite_result("discounted_expected_residual_transactions", out)
        return m._out(index, out, frequency)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class BGNBDCovariateResult(_CovariateResult):
    """Fitted BG/NBD with time-invariant covariates (see the module notes); time in the data's unit.

    ``params``: r, alpha, a, b (the values at z = 0), then ``purchase.<name>`` (γ_P) and
    ``dropout.<name>`` (γ_D). Customer i has α_i = α exp(-γ_P'z_i^P), a_i = a exp(γ_D'z_i^D) and
    b_i = b exp(γ_D'z_i^D).
    """

    model_name: ClassVar[str] = N_("BG/NBD with covariates")
    _base: ClassVar[tuple[str, ...]] = ("r", "alpha", "a", "b")

    def _compute_standard_errors(self) -> np.ndarray:
        if not self.fit_data:
            return np.full(len(self.param_values), np.nan)
        th = np.array(self.param_values)
        z = np.concatenate([np.log(th[:4]), th[4:]])
        return _theta_se(z, _bgnbd_cov_negll, self.fit_data, _bgnbd_jacobian)

    def _scales(self, Zp, Zd):
        th = np.array(self.param_values)
        kp = len(self.purchase_names)
        al = th[1] * np.exp(-(Zp @ th[4 : 4 + kp]))
        sc = np.exp(Zd @ th[4 + kp :])
        return al, th[2] * sc, th[3] * sc

    def individual_params(self, frequency, recency, T, purchase_covariates=None, dropout_covariates=None):
        """Each customer's (α_i, a_i, b_i), a DataFrame (index of the inputs when they are Series)."""
        index, *_, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        al, a, b = self._scales(Zp, Zd)
        return pd.DataFrame({"alpha": al, "a": a, "b": b}, index=index)

    @staticmethod
    def _pa(r, x, tx, TT, al, a, b):
        bx1 = np.where(x > 0, b + x - 1, 1.0)
        lo = np.log(a) - np.log(bx1) + (r + x) * (np.log(al + TT) - np.log(al + tx))
        return special.expit(-np.where(x > 0, lo, -np.inf))

    def prob_alive(self, frequency, recency, T, purchase_covariates=None, dropout_covariates=None):
        """P(alive | x, t_x, T, z) (Fader, Hardie & Lee 2005a, eq. 11, with the customer's α_i, a_i, b_i)."""
        index, x, tx, TT, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        al, a, b = self._scales(Zp, Zd)
        return m._out(index, self._pa(self.param_values[0], x, tx, TT, al, a, b), frequency)

    def conditional_expected_purchases(
        self, t, frequency, recency, T, purchase_covariates=None, dropout_covariates=None
    ):
        """E[Y(t) | x, t_x, T, z] (FHL 2005a, eq. 10, with the customer's α_i, a_i, b_i), computed as
        P(alive) times the expectation of a new customer with the posterior parameters (see
        :meth:`crmlib.clv.BGNBDResult.conditional_expected_purchases`)."""
        index, x, tx, TT, Zp, Zd = self._rows(frequency, recency, T, purchase_covariates, dropout_covariates)
        tt = m._horizon(t, x.size)
        al, a, b = self._scales(Zp, Zd)
        r = self.param_values[0]
        e = m._bg_expected(tt, r + x, al + TT, a, b + x)
        return m._out(index, self._pa(r, x, tx, TT, al, a, b) * e, frequency)


# =======================================================================================
# fits
# =======================================================================================
def _fit(kind, frequency, recency, T, purchase_covariates, dropout_covariates, weights, start):
    model = "Pareto/NBD" if kind == "pnbd" else "BG/NBD"
    data, (p_names, d_names), total = _prepare(
        frequency, recency, T, weights, purchase_covariates, dropout_covariates, model
    )
    x, tx, TT, w, Zp, Zd = data
    k = len(p_names) + len(d_names)
    base = ("r", "alpha", "s", "beta") if kind == "pnbd" else ("r", "alpha", "a", "b")
    names = base + _covariate_names(p_names, d_names)
    if start is None:  # the plain model's fit, coefficients 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = (m.fit_pareto_nbd if kind == "pnbd" else m.fit_bg_nbd)(x, tx, TT, w)
        theta0 = np.concatenate([plain.params.to_numpy(), np.zeros(k)])
    else:
        theta0 = _check_covariate_start(start, names, len(base))
    if kind == "pnbd":
        negll = _pnbd_cov_negll
        z0 = np.concatenate([np.log([theta0[0], theta0[1], theta0[2], theta0[2] / theta0[3]]), theta0[4:]])
    else:
        negll = _bgnbd_cov_negll
        z0 = np.concatenate([np.log(theta0[:4]), theta0[4:]])
    z0 = np.clip(z0, -m.LOG_BOUND, m.LOG_BOUND)
    with np.errstate(all="ignore"):
        res = m._minimize(lambda z: negll(z, *data), [z0])
    z = res.x
    if kind == "pnbd":
        r, al, s, mu = np.exp(z[:4])
        theta = np.concatenate([[r, al, s, s / mu], z[4:]])
        ll = -_pnbd_cov_negll(z, *data, rule=m._RULE_FINE)[0]
        cls, jac = ParetoNBDCovariateResult, _pnbd_jacobian
        fine = lambda zz, *d: _pnbd_cov_negll(zz, *d, rule=m._RULE_FINE)  # noqa: E731
    else:
        theta = np.concatenate([np.exp(z[:4]), z[4:]])
        ll = -_bgnbd_cov_negll(z, *data)[0]
        cls, jac, fine = BGNBDCovariateResult, _bgnbd_jacobian, _bgnbd_cov_negll
    if not np.isfinite(ll):
        raise m.ModelFitError(f"the {model} likelihood with covariates could not be evaluated at the estimates {theta}")
    se = _theta_se(z, fine, data, jac)
    result = cls(
        param_names=names,
        param_values=tuple(theta),
        se_values=tuple(se),
        n_obs=int(round(total)),
        converged=res.converged,
        message=m._fit_message(res),
        iterations=int(res.nit),
        log_likelihood=float(ll),
        purchase_names=p_names,
        dropout_names=d_names,
        fit_data=data,
    )
    advice = gettext(
        "Check that no covariate is constant or a combination of others, rescale large covariates, "
        "or give start values (start={name: value, ...})."
    )
    warn_if_not_converged(result, advice=advice, stacklevel=4)
    far = [f"{n}={g:.3g}" for n, g in zip(names[len(base) :], theta[len(base) :]) if abs(g) > 10]
    if far:
        warnings.warn(
            gettext(
                "{model} with covariates: {names} is running off to ±infinity (a factor beyond e^10 "
                "between customers): the data ask for customers who are certain to act or never to, e.g. a small "
                "group with few repeat purchases; the estimate is a limit rather than a finite value. {advice}"
            ).format(model=model, names=", ".join(far), advice=advice),
            m.EstimationWarning,
            stacklevel=4,
        )
    bad = [n for n, e in zip(names, se) if not np.isfinite(e)]
    if bad:
        warnings.warn(
            gettext(
                "{model} with covariates: the standard errors of {names} are not finite (the observed "
                "information is singular: a constant covariate, or covariates that are combinations of one another, "
                "cannot be told apart from the scale parameters). {advice}"
            ).format(model=model, names=", ".join(bad), advice=advice),
            m.EstimationWarning,
            stacklevel=4,
        )
    return result


def _check_covariate_start(start, names, n_base):
    from collections.abc import Mapping

    if not isinstance(start, Mapping):
        raise TypeError(
            f"start must be a mapping of parameter name to value for {list(names)}; got {type(start).__name__}"
        )
    if set(start) != set(names):
        raise ValueError(f"start must give every parameter {list(names)}; got {sorted(start)}")
    bound = float(np.exp(m.LOG_BOUND))
    vals = [
        v.in_range(f"start[{k!r}]", start[k], 1 / bound, bound)
        if i < n_base
        else v.in_range(f"start[{k!r}]", start[k], -30, 30)
        for i, k in enumerate(names)
    ]
    return np.array(vals, float)


def fit_pareto_nbd_covariates(
    frequency, recency, T, purchase_covariates=None, dropout_covariates=None, weights=None, *, start=None
) -> ParetoNBDCovariateResult:
    """Fit the Pareto/NBD with time-invariant customer covariates by maximum likelihood.

    α_i = α exp(-γ_P'z_i^P) (purchase process), β_i = β exp(-γ_D'z_i^D) (dropout process), as in
    CLVTools' static covariates (Fader & Hardie 2007, note 019); the likelihood is the Pareto/NBD's
    (Fader & Hardie's 2005 note, eq. 21-22) with each customer's α_i and β_i.

    Parameters
    ----------
    frequency, recency, T, weights
        As for :func:`crmlib.clv.fit_pareto_nbd`.
    purchase_covariates, dropout_covariates : DataFrame, Series or array, optional
        Numbers per customer (one column per covariate; 0/1 dummies for categories), each in
        [-1e4, 1e4]. With Series inputs, DataFrames indexed by the same customers (aligned by
        label); with arrays, arrays with one row per customer. At least one should be given.
    start : mapping, optional
        Start values for every parameter (names as in ``params``). By default the plain Pareto/NBD
        fit with every coefficient 0.

    Returns
    -------
    ParetoNBDCovariateResult
        ``params``: r, alpha, s, beta, purchase.<name>..., dropout.<name>...; ``standard_errors``;
        ``purchase_coefficients``, ``dropout_coefficients``; ``individual_params``, ``prob_alive``,
        ``conditional_expected_purchases`` (each given the customers' covariates).

    Raises
    ------
    ValueError, TypeError
        Bad RFM data (as for the plain fit), covariates of the wrong shape, index or type.
    ModelFitError
        One customer (or all sharing one history and covariates); no repeat purchase.

    Warns
    -----
    ConvergenceWarning, EstimationWarning
        A fit that did not converge; standard errors that are not finite (e.g. a constant covariate).

    Examples
    --------
    CDNOW's customers who joined in the first half of the 12-week cohort window ("early", a 0/1
    covariate built from the data) against the later ones:

    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_pareto_nbd_covariates, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> early = (rfm["T"] > rfm["T"].median()).astype(int).to_frame("early")
    >>> res = fit_pareto_nbd_covariates(rfm["frequency"], rfm["recency"], rfm["T"], early, early)
    >>> list(res.params.index), res.converged
    (['r', 'alpha', 's', 'beta', 'purchase.early', 'dropout.early'], True)
    """
    return _fit("pnbd", frequency, recency, T, purchase_covariates, dropout_covariates, weights, start)


def fit_bg_nbd_covariates(
    frequency, recency, T, purchase_covariates=None, dropout_covariates=None, weights=None, *, start=None
) -> BGNBDCovariateResult:
    """Fit the BG/NBD with time-invariant customer covariates by maximum likelihood.

    α_i = α exp(-γ_P'z_i^P) (purchase process), a_i = a exp(γ_D'z_i^D) and b_i = b exp(γ_D'z_i^D)
    (dropout process), as in CLVTools' static covariates (Fader & Hardie 2007, note 019); the
    likelihood is the BG/NBD's (Fader, Hardie & Lee 2005a, eq. 6) with each customer's α_i, a_i, b_i.

    Parameters
    ----------
    frequency, recency, T, weights
        As for :func:`crmlib.clv.fit_bg_nbd`.
    purchase_covariates, dropout_covariates : DataFrame, Series or array, optional
        As for :func:`fit_pareto_nbd_covariates`.
    start : mapping, optional
        Start values for every parameter. By default the plain BG/NBD fit with every coefficient 0.

    Returns
    -------
    BGNBDCovariateResult
        ``params``: r, alpha, a, b, purchase.<name>..., dropout.<name>...; ``standard_errors``;
        ``individual_params``, ``prob_alive``, ``conditional_expected_purchases``.

    Raises
    ------
    ValueError, TypeError, ModelFitError
        As for :func:`fit_pareto_nbd_covariates`.

    Examples
    --------
    >>> from crmlib import datasets
    >>> from crmlib.clv import fit_bg_nbd_covariates, rfm_summary
    >>> rfm = rfm_summary(datasets.load_cdnow(), "customer_id", "date", calibration_end="1997-09-30")
    >>> early = (rfm["T"] > rfm["T"].median()).astype(int).to_frame("early")
    >>> res = fit_bg_nbd_covariates(rfm["frequency"], rfm["recency"], rfm["T"], dropout_covariates=early)
    >>> list(res.params.index), res.converged
    (['r', 'alpha', 'a', 'b', 'dropout.early'], True)
    """
    return _fit("bgnbd", frequency, recency, T, purchase_covariates, dropout_covariates, weights, start)
