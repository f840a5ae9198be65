"""Chapter 6 — the relationship life cycle and retention work (客户关系生命周期与客户保持).

Four layers, each a handful of pure functions and frozen records:

* **discrete occasions** (an annual fair, a yearly appeal): the beta-geometric/beta-binomial
  (BG/BB) model of Fader, Hardie & Shang (2010) — fit, P(alive), expected and conditional
  expected transactions, discounted expected residual transactions (DERT), expected
  transactions per period for tracking — and :func:`occasion_summary`, which turns a
  transaction log into "did the customer buy in period k" occasions;
* **stages from data**: the five stages of the slides (关系培育 / 确认 / 信任 / 弱化 / 消失阶段)
  assigned per customer and period from her purchase history and a purchase model's P(alive)
  (:func:`assign_stages`, :func:`stage_history`), the Markov chain of stage transitions
  (:func:`transition_counts`, :func:`transition_matrix`, maximum likelihood), the expected time
  in each stage from the fundamental matrix (:func:`expected_stage_time`), the discounted value
  of a relationship by stage (:func:`stage_value`), what a lower exit probability is worth
  (:func:`reduce_transition`) and relationships that skip stages (:func:`stage_paths`);
* **weakening signals and the rescue-or-end decision**: an early-warning rule
  (:func:`warning_flags`) checked on a holdout (:func:`evaluate_warning`), and the rule
  "rescue when P(success) × value retained > cost" (:func:`rescue_decision`, and
  :func:`evaluate_rescue` with the value retained from the BG/BB);
* **care planning**: a care budget allocated across value segments with a concave response
  of retention to spending (:func:`allocate_care_budget`, scipy's SLSQP).

Symbols: x frequency (occasions with a transaction after the first), t_x recency (the
occasion of the last one, 0 if x = 0), n the number of occasions observed after the first;
p ~ Beta(α, β) the chance of a transaction at each occasion while alive, θ ~ Beta(γ, δ) the
chance of dying before each occasion; d the discount rate per occasion (per year for annual
fairs). The stage rules and the care-response curve are this suite's operationalisations of
the slides' words, not formulas from the slides.

References
----------
Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base analysis in a discrete-time
noncontractual setting. Marketing Science 29(6), 1086-1108.
Anderson, T. W. & Goodman, L. A. (1957). Statistical inference about Markov chains. Annals of
Mathematical Statistics 28(1), 89-110.
Kemeny, J. G. & Snell, J. L. (1960). Finite Markov Chains. Van Nostrand (the fundamental matrix).
Pfeifer, P. E. & Carraway, R. L. (2000). Modeling customer relationships as Markov chains.
Journal of Interactive Marketing 14(2), 43-55.
Netzer, O., Lattin, J. M. & Srinivasan, V. (2008). A hidden Markov model of customer
relationship dynamics. Marketing Science 27(2), 185-204.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special

from . import _validate as v
from .i18n import N_, NP_, pgettext
from .i18n import gettext as _
from .results import FitResult, _field_repr, warn_if_not_converged

__all__ = [
    "BGBBResult",
    "BudgetOutcome",
    "RescueCase",
    "RescueDecision",
    "STAGES",
    "STAGE_NAMES",
    "WarningMetrics",
    "allocate_care_budget",
    "assign_stages",
    "evaluate_rescue",
    "evaluate_warning",
    "expected_stage_time",
    "first_warnings",
    "fit_bg_bb",
    "occasion_summary",
    "occasion_tracking",
    "reduce_transition",
    "rescue_case",
    "rescue_decision",
    "retained_value",
    "retention_response",
    "stage_history",
    "stage_paths",
    "stage_value",
    "transition_counts",
    "transition_matrix",
    "warning_flags",
]

#: Largest number of occasions the BG/BB functions accept (a weekly panel of almost 200 years).
MAX_PERIODS = 10_000
#: Largest number of customers in a segment (far above any firm's; keeps values finite).
MAX_CUSTOMERS = 1e12


# =======================================================================================
# BG/BB: discrete occasions
# =======================================================================================
def _history(frequency, recency, periods, *, min_periods: int = 1):
    """Validate a BG/BB history (x, t_x, n); return (index, x, t_x, n) as float arrays."""
    index, arr = v.aligned(frequency=frequency, recency=recency, periods=periods)
    x = np.atleast_1d(v.integer("frequency", arr["frequency"], minimum=0, maximum=MAX_PERIODS)).astype(float)
    tx = np.atleast_1d(v.integer("recency", arr["recency"], minimum=0, maximum=MAX_PERIODS)).astype(float)
    n = np.atleast_1d(v.integer("periods", arr["periods"], minimum=min_periods, maximum=MAX_PERIODS)).astype(float)
    checks = (
        (
            x > n,
            "frequency must not exceed periods (at most one transaction per occasion)",
            lambda i: f"frequency={x[i]:g} with periods={n[i]:g}",
        ),
        (
            tx > n,
            "recency must not exceed periods (the last transaction is one of the n occasions)",
            lambda i: f"recency={tx[i]:g} with periods={n[i]:g}",
        ),
        (
            (x > 0) & (tx < x),
            "recency must be at least frequency (x transactions need x occasions up to the last one)",
            lambda i: f"recency={tx[i]:g} with frequency={x[i]:g}",
        ),
        (
            (x == 0) & (tx != 0),
            "recency must be 0 when frequency is 0 (recency is the occasion of the last transaction)",
            lambda i: f"recency={tx[i]:g} with frequency=0",
        ),
    )
    for bad, message, shown in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{message}; got {shown(i)} at position {i}")
    return index, x, tx, n


def _out(index, values, like, name=None):
    """Index in, same index out; a scalar for scalar input; an array otherwise."""
    values = np.asarray(values, dtype=float)
    if index is not None:
        return pd.Series(values, index=index, name=name)
    if all(np.ndim(a) == 0 for a in like):
        return float(values.ravel()[0])
    return values


def _bgbb_log_terms(theta, x, tx, n):
    """Log of the terms of the BG/BB likelihood (FHS 2010, eq. 5) and their gradients.

    Returns ``(terms, grads)``: ``terms`` has shape (rows, 1 + max gap) with -inf where a term
    does not exist; ``grads`` has shape (4, rows, 1 + max gap). Term 0 is "alive through all n
    occasions", term 1 + i is "alive at occasion t_x + i, dead at t_x + i + 1".
    """
    a, b, g, d = theta
    ps = special.digamma
    lb_ab, lb_gd = special.betaln(a, b), special.betaln(g, d)
    dab = ps(a + b)
    dgd = ps(g + d)
    gap = (n - tx).astype(int)
    width = 1 + int(gap.max()) if gap.size else 1
    i = np.arange(width - 1, dtype=float)[None, :]
    rows = x.size
    terms = np.full((rows, width), -np.inf)
    grads = np.zeros((4, rows, width))
    # alive through n: B(a+x, b+n-x)/B(a,b) * B(g, d+n)/B(g,d)
    terms[:, 0] = special.betaln(a + x, b + n - x) - lb_ab + special.betaln(g, d + n) - lb_gd
    grads[0, :, 0] = ps(a + x) - ps(a + b + n) - ps(a) + dab
    grads[1, :, 0] = ps(b + n - x) - ps(a + b + n) - ps(b) + dab
    grads[2, :, 0] = ps(g) - ps(g + d + n) - ps(g) + dgd
    grads[3, :, 0] = ps(d + n) - ps(g + d + n) - ps(d) + dgd
    if width > 1:
        X, TX = x[:, None], tx[:, None]
        exists = i < gap[:, None]
        bi = np.where(exists, b + TX - X + i, 1.0)
        di = np.where(exists, d + TX + i, 1.0)
        t = special.betaln(a + X, bi) - lb_ab + special.betaln(g + 1, di) - lb_gd
        terms[:, 1:] = np.where(exists, t, -np.inf)
        grads[0, :, 1:] = np.where(exists, ps(a + X) - ps(a + bi + X) - ps(a) + dab, 0.0)
        grads[1, :, 1:] = np.where(exists, ps(bi) - ps(a + bi + X) - ps(b) + dab, 0.0)
        grads[2, :, 1:] = np.where(exists, ps(g + 1) - ps(g + 1 + di) - ps(g) + dgd, 0.0)
        grads[3, :, 1:] = np.where(exists, ps(di) - ps(g + 1 + di) - ps(d) + dgd, 0.0)
    return terms, grads


def _bgbb_loglik_rows(theta, x, tx, n):
    """ln L(α, β, γ, δ | x, t_x, n) per row (FHS 2010, eq. 5), in log space."""
    terms, _ = _bgbb_log_terms(theta, x, tx, n)
    return special.logsumexp(terms, axis=1)


def _bgbb_negll(theta, x, tx, n, w):
    """-LL and its gradient, summed over the (weighted) rows."""
    terms, grads = _bgbb_log_terms(theta, x, tx, n)
    ll_rows = special.logsumexp(terms, axis=1)
    share = np.exp(terms - ll_rows[:, None])  # weight of each path in the row's likelihood
    g_rows = np.einsum("krj,rj->kr", grads, share)
    return -float(np.add.reduce(w * ll_rows)), -np.array([np.add.reduce(w * g) for g in g_rows])


def _compress_history(x, tx, n, w):
    """Unique (x, t_x, n) rows with summed weights (customers with one history count once)."""
    keys = np.stack([x, tx, n], axis=1)
    uniq, inv = np.unique(keys, axis=0, return_inverse=True)
    weights = np.bincount(inv.ravel(), weights=w, minlength=len(uniq))
    keep = weights > 0
    return uniq[keep, 0], uniq[keep, 1], uniq[keep, 2], weights[keep]


def _observed_information_se(grad, theta):
    """Standard errors: the inverse of the Hessian of -LL (central differences of the gradient)."""
    k = theta.size
    h = 1e-5 * np.maximum(np.abs(theta), 1e-3)
    H = np.empty((k, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = h[j]
        H[:, j] = (grad(theta + e) - grad(theta - e)) / (2 * h[j])
    H = (H + H.T) / 2
    try:
        cov = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return np.full(k, np.nan)
    diag = np.diag(cov)
    return np.sqrt(np.where(diag > 0, diag, np.nan))


#: Labels of the tables and Series this module returns, marked for the Chinese edition (the data keep them).
_TABLE_LABELS = (
    N_("prob_alive"),
    N_("expected_transactions"),
    N_("prob_transactions"),
    N_("conditional_expected_transactions"),
    N_("occasion"),
    N_("expected transactions per customer"),
    N_("n_customers"),
    N_("flagged"),
    N_("stopped"),
    N_("true_positives"),
    N_("precision"),
    N_("recall"),
    N_("base_rate"),
    N_("max_rate"),
    N_("response_scale"),
    N_("value_now"),
    N_("value_if_rescued"),
    N_("segment"),
)
#: Column headers the chapter's notebook gives its own tables (the exhibitors' BG/BB values, the
#: care-capability scores), marked so the Chinese edition shows them in Chinese (the data keep them).
_NOTEBOOK_LABELS = (
    N_("fairs in next 5"),
    N_("residual value (yuan)"),
    N_("score (1-5)"),
)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class BGBBResult(FitResult):
    """Fitted beta-geometric/beta-binomial model (Fader, Hardie & Shang 2010).

    While alive, a customer transacts at each occasion with her own probability p ~ Beta(α, β);
    before each occasion she dies with her own probability θ ~ Beta(γ, δ), for good.
    ``params``: alpha, beta, gamma, delta. Time is counted in occasions after the first
    transaction (years for an annual fair or appeal).

    Methods give P(alive), the expected transactions of a new customer, the distribution of
    transactions, the conditional expectation given a history, the discounted expected residual
    transactions (DERT) and the expected transactions per period for tracking.
    """

    model_name = "BG/BB"

    def _theta(self):
        return np.asarray(self.param_values, dtype=float)

    def _log_lik(self, x, tx, n):
        return _bgbb_loglik_rows(self._theta(), x, tx, n)

    # -- P(alive) ----------------------------------------------------------------------
    def prob_alive(self, frequency, recency, periods, ahead=1):
        """P(alive at occasion n + ``ahead`` | x, t_x, n) (FHS 2010, eq. 11 for ``ahead`` = 1).

        = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+ahead)/B(γ,δ) / L(α, β, γ, δ | x, t_x, n).
        ``ahead`` = 1 (the default) is the chance that she is still there for the next occasion
        (the paper's "P(alive in 2002)" for the donors observed 1996-2001); ``ahead`` = 0 is the
        chance that she was alive at the last occasion observed (1 when t_x = n).

        Examples
        --------
        >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
        ...                  param_values=(1.204, 0.750, 0.657, 2.783))
        >>> round(res.prob_alive(6, 6, 6), 3), round(res.prob_alive(6, 6, 6, ahead=0), 3)
        (0.93, 1.0)
        """
        index, x, tx, n = _history(frequency, recency, periods)
        k = v.integer("ahead", ahead, minimum=0, maximum=MAX_PERIODS)
        a, b, g, d = self._theta()
        log_alive = (
            special.betaln(a + x, b + n - x)
            - special.betaln(a, b)
            + special.betaln(g, d + n + k)
            - special.betaln(g, d)
        )
        out = np.exp(np.minimum(log_alive - self._log_lik(x, tx, n), 0.0))
        return _out(index, out, (frequency, recency, periods, ahead), name="prob_alive")

    # -- a new customer ----------------------------------------------------------------
    def expected_transactions(self, periods):
        """E[X(n)]: expected transactions of a new customer in the first n occasions (FHS 2010, eq. 7).

        = α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ) Γ(1+δ+n) / (Γ(γ+δ+n) Γ(1+δ))], its limit
        α/(α+β) · δ · [ψ(1+δ+n) − ψ(1+δ)] at γ = 1.

        Examples
        --------
        >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
        ...                  param_values=(1.204, 0.750, 0.657, 2.783))
        >>> round(res.expected_transactions(6), 3)
        2.22
        """
        index, arr = v.aligned(periods=periods)
        n = np.atleast_1d(v.integer("periods", arr["periods"], minimum=0, maximum=MAX_PERIODS)).astype(float)
        out = self._mean_alive_sum(0.0, n) * self._mean_p()
        return _out(index, out, (periods,), name="expected_transactions")

    def _mean_p(self):
        a, b, _, _ = self._theta()
        return a / (a + b)

    def _mean_alive_sum(self, start, stop):
        """Σ_{t=start+1}^{stop} E[(1−θ)^t] = Σ B(γ, δ+t)/B(γ, δ), in closed form."""
        _, _, g, d = self._theta()
        start = np.asarray(start, float)
        stop = np.asarray(stop, float)
        gl = special.gammaln
        if abs(g - 1.0) < 1e-7:  # the removable singularity at γ = 1
            return d * (special.digamma(1 + d + stop) - special.digamma(1 + d + start))
        c = d / (g - 1) * np.exp(gl(g + d) - gl(1 + d))
        lo = np.exp(gl(1 + d + start) - gl(g + d + start))
        hi = np.exp(gl(1 + d + stop) - gl(g + d + stop))
        return c * (lo - hi)

    def prob_transactions(self, frequency, periods):
        """P(X(n) = x): the chance that a new customer transacts at exactly x of the first n occasions.

        P(X(n)=x) = C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
        + Σ_{i=x}^{n−1} C(i,x) B(α+x, β+i−x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ)   (FHS 2010, eq. 8).
        Times the number of customers, this is the expected histogram of in-sample frequencies.

        Examples
        --------
        >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
        ...                  param_values=(1.204, 0.750, 0.657, 2.783))
        >>> round(float(sum(res.prob_transactions(range(7), 6))), 6)
        1.0
        """
        if isinstance(frequency, range):
            frequency = np.asarray(frequency)
        index, arr = v.aligned(frequency=frequency, periods=periods)
        x = np.atleast_1d(v.integer("frequency", arr["frequency"], minimum=0, maximum=MAX_PERIODS)).astype(float)
        n = np.atleast_1d(v.integer("periods", arr["periods"], minimum=0, maximum=MAX_PERIODS)).astype(float)
        bad = x > n
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"frequency must not exceed periods (at most one transaction per occasion); got "
                f"frequency={x[i]:g} with periods={n[i]:g} at position {i}"
            )
        a, b, g, d = self._theta()
        lb_ab, lb_gd = special.betaln(a, b), special.betaln(g, d)

        def log_choose(top, k):
            return special.gammaln(top + 1) - special.gammaln(k + 1) - special.gammaln(top - k + 1)

        first = log_choose(n, x) + special.betaln(a + x, b + n - x) - lb_ab + special.betaln(g, d + n) - lb_gd
        total = np.exp(first)
        for i in range(int(n.max()) if n.size else 0):
            on = (i >= x) & (i < n)
            if on.any():
                xi = x[on]
                total[on] += np.exp(
                    log_choose(float(i), xi)
                    + special.betaln(a + xi, b + i - xi)
                    - lb_ab
                    + special.betaln(g + 1, d + i)
                    - lb_gd
                )
        return _out(index, total, (frequency, periods), name="prob_transactions")

    def expected_transactions_per_period(self, periods):
        """E[X(t)] − E[X(t−1)] for t = 1..n: a new customer's expected transactions at each occasion.

        Multiplied by a cohort's size this is the tracking curve of the cohort's repeat
        transactions, occasion by occasion (FHS 2010, Figure 3).

        Returns
        -------
        pandas.Series
            Indexed by occasion t = 1..``periods``.

        Examples
        --------
        >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
        ...                  param_values=(1.204, 0.750, 0.657, 2.783))
        >>> res.expected_transactions_per_period(3).round(3).tolist()
        [0.498, 0.425, 0.373]
        """
        n = v.integer("periods", periods, minimum=1, maximum=MAX_PERIODS)
        t = np.arange(1, n + 1, dtype=float)
        inc = self._mean_alive_sum(t - 1, t) * self._mean_p()
        return pd.Series(
            inc, index=pd.Index(np.arange(1, n + 1), name="occasion"), name="expected transactions per customer"
        )

    # -- given a history ---------------------------------------------------------------
    def conditional_expected_transactions(self, future_periods, frequency, recency, periods):
        """E[X(n, n+n*) | x, t_x, n]: expected transactions in the next n* occasions (FHS 2010, eq. 13).

        = B(α+x+1, β+n−x)/B(α,β) · Σ_{t=n+1}^{n+n*} B(γ, δ+t)/B(γ,δ) / L(α, β, γ, δ | x, t_x, n),
        with the sum in closed form.

        Examples
        --------
        >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
        ...                  param_values=(1.204, 0.750, 0.657, 2.783))
        >>> round(res.conditional_expected_transactions(5, 6, 6, 6), 3)
        3.752
        """
        index, x, tx, n = _history(frequency, recency, periods)
        k = v.integer("future_periods", future_periods, minimum=0, maximum=MAX_PERIODS)
        a, b, _, _ = self._theta()
        lead = np.exp(special.betaln(a + x + 1, b + n - x) - special.betaln(a, b) - self._log_lik(x, tx, n))
        out = lead * self._mean_alive_sum(n, n + np.asarray(k, dtype=float))
        return _out(index, out, (future_periods, frequency, recency, periods), name="conditional_expected_transactions")

    def dert(self, discount_rate, frequency, recency, periods):
        """Discounted expected residual transactions (FHS 2010, eq. 14).

        DERT(d | x, t_x, n) = Σ_{t>n} E[transaction at t | x, t_x, n] / (1+d)^(t−n)
        = B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/((1+d) B(γ,δ))
        · ₂F₁(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / L(α, β, γ, δ | x, t_x, n).
        Times the margin per transaction it is the customer's expected residual value.

        Parameters
        ----------
        discount_rate : float
            d per occasion (per year for an annual fair), in (0, 1]; 0 would sum an infinite horizon
            without discounting.

        Examples
        --------
        >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
        ...                  param_values=(1.204, 0.750, 0.657, 2.783))
        >>> round(res.dert(0.10, 6, 6, 6), 2), round(res.dert(0.10, 0, 0, 6), 2)
        (5.91, 0.11)
        """
        d_rate = v.in_range("discount_rate", discount_rate, 0, 1, low_open=True)
        index, x, tx, n = _history(frequency, recency, periods)
        a, b, g, d = self._theta()
        z = 1.0 / (1.0 + d_rate)
        log_lead = (
            special.betaln(a + x + 1, b + n - x)
            - special.betaln(a, b)
            + special.betaln(g, d + n + 1)
            - special.betaln(g, d)
            + math.log(z)
            - self._log_lik(x, tx, n)
        )
        out = np.exp(log_lead) * special.hyp2f1(1.0, d + n + 1, g + d + n + 1, z)
        v.finite_result("dert", out, hint="use a larger discount_rate")
        return _out(index, out, (discount_rate, frequency, recency, periods), name="dert")


def fit_bg_bb(frequency, recency, periods, weights=None) -> BGBBResult:
    """Fit the BG/BB model of repeat transactions at discrete occasions by maximum likelihood.

    L(α, β, γ, δ | x, t_x, n) = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
    + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ)
    (Fader, Hardie & Shang 2010, eq. 5), evaluated in log space (``betaln``, ``logsumexp``) with
    an analytic gradient, on the distinct histories with a weight each. Standard errors come from
    the observed information (the inverse Hessian of −LL at the estimates).

    Parameters
    ----------
    frequency : array of int
        x: occasions with a transaction after the first transaction (0..n).
    recency : array of int
        t_x: the occasion of the last of them (0 when x = 0; x <= t_x <= n).
    periods : array of int
        n: occasions observed after the first transaction (1..10,000).
    weights : array of float, optional
        Number of customers each row stands for (the donations data come as 22 rows with weights).

    Returns
    -------
    BGBBResult
        ``params`` alpha, beta, gamma, delta; ``log_likelihood``; ``standard_errors``; methods
        ``prob_alive``, ``expected_transactions``, ``prob_transactions``,
        ``conditional_expected_transactions``, ``dert``, ``expected_transactions_per_period``.

    Raises
    ------
    ValueError
        Histories the model cannot have (frequency > periods, recency < frequency, recency > periods,
        recency > 0 with frequency 0), negative weights or no customer at all.

    Warns
    -----
    ConvergenceWarning
        If the optimiser stopped before converging.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Marketing Science 29(6), 1086-1108.

    Examples
    --------
    >>> from crmlib import datasets
    >>> don = datasets.load_donations()
    >>> res = fit_bg_bb(don["frequency"], don["recency"], don["periods"], weights=don["weights"])
    >>> res.params.round(3).to_dict(), round(res.log_likelihood, 1)
    ({'alpha': 1.204, 'beta': 0.75, 'gamma': 0.657, 'delta': 2.783}, -33225.6)
    """
    index, x, tx, n = _history(frequency, recency, periods)
    if weights is None:
        w = np.ones_like(x)
    else:
        if index is not None and isinstance(weights, pd.Series):
            _, arr = v.aligned(frequency=frequency, weights=weights)
            w = arr["weights"]
        else:
            w = np.atleast_1d(v.as_float("weights", weights))
        w = np.atleast_1d(v.non_negative("weights", w))
        v.same_length(frequency=x, weights=w)
    if w.sum() <= 0:
        raise ValueError("weights must count at least one customer; got weights that sum to 0")
    x, tx, n, w = _compress_history(x, tx, n, w)
    args = (x, tx, n, w)
    scale = max(abs(_bgbb_negll(np.ones(4), *args)[0]), 1.0)

    def objective(z):
        theta = np.exp(z)
        val, g = _bgbb_negll(theta, *args)
        if not np.isfinite(val):
            return np.inf, np.zeros_like(z)
        return val / scale, g * theta / scale

    starts = [np.ones(4), np.array([0.5, 1.0, 0.5, 1.0]), np.array([2.0, 2.0, 0.5, 3.0])]
    best = min(starts, key=lambda th: _bgbb_negll(th, *args)[0])
    res = optimize.minimize(
        objective,
        np.log(best),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-20.0, 20.0)] * 4,
        options={"maxiter": 3000, "ftol": 1e-15, "gtol": 1e-10},
    )
    theta = np.exp(res.x)
    negll, grad = _bgbb_negll(theta, *args)
    # L-BFGS-B may stop with "precision loss" at the optimum: accept when the gradient is flat
    flat = float(np.max(np.abs(grad * theta))) <= 1e-5 * max(1.0, abs(negll)) ** 0.5
    runaway = [f"{k}={t:.3g}" for k, t in zip(("alpha", "beta", "gamma", "delta"), theta) if t > 1e6 or t < 1e-6]
    converged = bool(res.success or flat) and not runaway
    if runaway:
        message = (
            f"estimates run off towards 0 or infinity ({', '.join(runaway)}): the data do not show how p or "
            "θ varies across customers"
        )
    else:
        message = str(res.message) or "the optimiser stopped early"
    se = _observed_information_se(lambda th: _bgbb_negll(th, *args)[1], theta)
    result = BGBBResult(
        param_names=("alpha", "beta", "gamma", "delta"),
        param_values=tuple(theta),
        n_obs=int(round(w.sum())),
        converged=converged,
        message=message,
        iterations=int(res.nit),
        log_likelihood=-negll,
        se_values=tuple(se),
    )
    warn_if_not_converged(result, advice="Check the data (does anyone come back at all?) or use more customers.")
    return result


# ---------------------------------------------------------------------------------------
# discrete occasions from a transaction log
# ---------------------------------------------------------------------------------------
_PERIODS = {"W": "W-SUN", "M": "M", "Q": "Q", "Y": "Y"}


def _dates(transactions, customer_col, date_col):
    v.columns("transactions", transactions, [customer_col, date_col])
    if len(transactions) == 0:
        raise ValueError("transactions must not be empty; got a frame with 0 rows")
    dates = transactions[date_col]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        try:
            dates = pd.to_datetime(dates, format="ISO8601")
        except (ValueError, TypeError):
            raise TypeError(
                f"transactions[{date_col!r}] must hold dates (ISO strings or datetimes); got values "
                f"like {dates.iloc[0]!r}"
            ) from None
    if dates.isna().any():
        raise ValueError(
            f"transactions[{date_col!r}] must not have missing dates; got {int(dates.isna().sum())} missing"
        )
    if transactions[customer_col].isna().any():
        raise ValueError(f"transactions[{customer_col!r}] must not have missing customer ids")
    return dates.dt.tz_localize(None) if getattr(dates.dt, "tz", None) is not None else dates


def _period_end(name, value, freq):
    """The period of a date that must be the last day of its period (periods are inclusive)."""
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise TypeError(f"{name} must be an ISO date such as '1997-09-30'; got {value!r}") from None
    if pd.isna(day):
        raise TypeError(f"{name} must be an ISO date such as '1997-09-30'; got {value!r}")
    period = day.to_period(_PERIODS[freq])
    if day.normalize() != period.end_time.normalize():
        raise ValueError(
            f"{name} must be the last day of a period (periods are whole and inclusive); got "
            f"{day.date()}, which is inside {period} (ends {period.end_time.date()})"
        )
    return period


def occasion_summary(transactions, customer_col, date_col, *, calibration_end, observation_end=None, period="M"):
    """Discrete occasions from a transaction log: did each customer buy in period k? (BG/BB input).

    Each calendar period (week, month, quarter or year) is one occasion. A customer's first
    purchase falls in her period 0 (the trial, like the donors' first gift in 1995); the occasions
    after it up to ``calibration_end`` give ``frequency`` x (periods with at least one purchase),
    ``recency`` t_x (the last such period, counted from period 0) and ``periods`` n. Several
    purchases in one period count once. Customers whose first purchase falls in the last
    calibration period (n = 0) are left out.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction.
    customer_col, date_col : str
        Columns with the customer id and the date.
    calibration_end : date-like
        Last day (inclusive) of the calibration period; it must end a period.
    observation_end : date-like, optional
        Last day (inclusive) of a holdout period after it (also a period end); then the columns
        ``frequency_holdout`` (periods with a purchase in the holdout) and ``periods_holdout`` are added.
    period : {"W", "M", "Q", "Y"}
        Length of an occasion: week (ending Sunday), month, quarter or year.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer: first_period, frequency, recency, periods (ints) [, frequency_holdout,
        periods_holdout].

    Examples
    --------
    >>> log = pd.DataFrame({"id": [1, 1, 1, 2], "date": ["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-10"]})
    >>> occasion_summary(log, "id", "date", calibration_end="2024-03-31")[["frequency", "recency", "periods"]].to_dict()
    {'frequency': {1: 1, 2: 0}, 'recency': {1: 2, 2: 0}, 'periods': {1: 2, 2: 1}}
    """
    v.one_of("period", period, list(_PERIODS))
    dates = _dates(transactions, customer_col, date_col)
    cal = _period_end("calibration_end", calibration_end, period)
    obs = cal if observation_end is None else _period_end("observation_end", observation_end, period)
    if obs < cal:
        raise ValueError(
            f"observation_end must not be before calibration_end (dates out of order); got "
            f"{observation_end} < {calibration_end}"
        )
    per = dates.dt.to_period(_PERIODS[period])
    frame = pd.DataFrame({"c": transactions[customer_col].to_numpy(), "p": per.to_numpy()})
    frame = frame[frame["p"] <= obs].drop_duplicates()
    first = frame.groupby("c")["p"].min()
    first = first[first < cal]
    if first.empty:
        raise ValueError(f"calibration_end={calibration_end} leaves no customer with an occasion after the first")
    frame = frame[frame["c"].isin(first.index)]
    first_ordinal = pd.PeriodIndex(first).asi8  # periods as integers: differences count occasions
    k = pd.PeriodIndex(frame["p"]).asi8 - pd.Series(first_ordinal, index=first.index).reindex(frame["c"]).to_numpy()
    frame = frame.assign(k=k)
    n_cal = pd.Series(cal.ordinal - first_ordinal, index=first.index)
    cal_rows = frame[(frame["k"] > 0) & (frame["p"] <= cal)]
    freq = cal_rows.groupby("c").size().reindex(first.index, fill_value=0)
    rec = cal_rows.groupby("c")["k"].max().reindex(first.index, fill_value=0)
    out = pd.DataFrame(
        {
            N_("first_period"): first,
            "frequency": freq.astype("int64"),
            "recency": rec.astype("int64"),
            "periods": n_cal.astype("int64"),
        }
    )
    if obs > cal:
        hold = frame[frame["p"] > cal].groupby("c").size().reindex(first.index, fill_value=0)
        out["frequency_holdout"] = hold.astype("int64")
        out["periods_holdout"] = int((obs - cal).n)
    out.index.name = customer_col
    return out.sort_index()


def occasion_tracking(
    model: BGBBResult, transactions, customer_col, date_col, *, calibration_end, observation_end, period="M"
):
    """Repeat transactions per calendar period, actual and expected by the BG/BB model (tracking).

    For the customers of :func:`occasion_summary`, the expected number with a repeat transaction
    in period k is Σ over customers of E[X(k − f)] − E[X(k − f − 1)], f her first period; the
    actual number counts the customers who bought in period k (their first period excluded).

    Returns
    -------
    pandas.DataFrame
        Indexed by period: ``actual``, ``expected`` and ``calibration`` (True up to calibration_end).

    Examples
    --------
    >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
    ...                  param_values=(1.2, 0.75, 0.66, 2.78))
    >>> log = pd.DataFrame({"id": [1, 1, 2], "date": ["2024-01-05", "2024-02-20", "2024-01-10"]})
    >>> tr = occasion_tracking(res, log, "id", "date", calibration_end="2024-02-29", observation_end="2024-03-31")
    >>> tr.round(2).reset_index().astype({"period": str}).values.tolist()
    [['2024-02', 1, 0.99, True], ['2024-03', 0, 0.85, False]]
    """
    if not isinstance(model, BGBBResult):
        raise TypeError(f"model must be a fitted BG/BB result (fit_bg_bb); got {type(model).__name__}")
    summary = occasion_summary(
        transactions,
        customer_col,
        date_col,
        calibration_end=calibration_end,
        observation_end=observation_end,
        period=period,
    )
    dates = _dates(transactions, customer_col, date_col)
    cal = _period_end("calibration_end", calibration_end, period)
    obs = _period_end("observation_end", observation_end, period)
    per = dates.dt.to_period(_PERIODS[period])
    frame = pd.DataFrame({"c": transactions[customer_col].to_numpy(), "p": per.to_numpy()}).drop_duplicates()
    frame = frame[frame["c"].isin(summary.index)]
    frame = frame[frame["p"] > summary["first_period"].reindex(frame["c"]).to_numpy()]
    start = summary["first_period"].min() + 1
    periods = pd.period_range(start, obs, freq=_PERIODS[period])
    actual = frame.groupby("p").size().reindex(periods, fill_value=0)
    cohorts = summary.groupby("first_period").size()
    horizon = len(periods) + 1
    cumulative = np.concatenate([[0.0], np.asarray(model.expected_transactions(np.arange(1, horizon + 1)))])
    expected = np.zeros(len(periods))
    for first, size in cohorts.items():
        t = np.array([(p - first).n for p in periods])
        ok = t > 0
        expected[ok] += size * (cumulative[t[ok]] - cumulative[t[ok] - 1])
    out = pd.DataFrame(
        {
            N_("actual"): actual.to_numpy().astype("int64"),
            N_("expected"): expected,
            N_("calibration"): [p <= cal for p in periods],
        },
        index=pd.Index(periods, name=N_("period")),
    )
    return out


# =======================================================================================
# Stages of the relationship life cycle
# =======================================================================================
#: The five stages of the slides, in their order (关系培育 / 确认 / 信任 / 弱化 / 消失阶段).
#: ("trust" is marked in the context "life cycle stage": chapter 2's plain "trust" is 信任感.)
STAGES = (N_("cultivation"), N_("confirmation"), NP_("life cycle stage", "trust"), N_("weakening"), N_("dissolution"))


def _staged(table):
    """``table`` (a DataFrame or Series of stage labels) marked to show them as stages (关系信任, not 信任感)."""
    table.attrs["i18n_context"] = "life cycle stage"
    return table


#: The slides' Chinese names of the stages.
STAGE_NAMES = {
    "cultivation": "关系培育阶段",
    "confirmation": "关系确认阶段",
    "trust": "关系信任阶段",
    "weakening": "关系弱化阶段",
    "dissolution": "关系消失阶段",
}


def _thresholds(weakening_below, dissolved_below):
    w = v.probability("weakening_below", weakening_below)
    d = v.probability("dissolved_below", dissolved_below)
    if d > w:
        raise ValueError(
            f"dissolved_below must not exceed weakening_below (dissolution is the deeper stage); "
            f"got dissolved_below={d:g} > weakening_below={w:g}"
        )
    return w, d


def assign_stages(acquired, repeat_buyer, prob_alive, *, weakening_below=0.5, dissolved_below=0.2):
    """The life-cycle stage of each customer (and period) from her history and P(alive).

    Our operationalisation of the slides' five stages (the slides define them in words):

    ===================  ===============================================================
    cultivation 培育     not yet acquired: no purchase so far (a potential customer)
    confirmation 确认    first purchase made, no repeat purchase yet, P(alive) >= weakening_below
    trust 信任           at least one repeat purchase and P(alive) >= weakening_below
    weakening 弱化       P(alive) has fallen below weakening_below (but not below dissolved_below)
    dissolution 消失     P(alive) below dissolved_below
    ===================  ===============================================================

    A purchase lifts P(alive) again, so a weakening (or even dissolved) relationship can return
    to trust.

    Parameters
    ----------
    acquired, repeat_buyer : bool array-like
        Whether the first purchase, and a repeat purchase, have happened by the end of the period.
    prob_alive : float array-like
        P(alive) at the end of the period from a purchase model (NaN where not acquired).
    weakening_below, dissolved_below : float
        Thresholds in [0, 1], dissolved_below <= weakening_below.

    Returns
    -------
    Stage labels (``STAGES``) with the shape of the input: a DataFrame for DataFrames (same index
    and columns), a Series for Series (aligned by index), else an array.

    Examples
    --------
    >>> assign_stages([False, True, True, True, True], [False, False, True, True, True],
    ...               [float("nan"), 0.9, 0.8, 0.35, 0.1]).tolist()
    ['cultivation', 'confirmation', 'trust', 'weakening', 'dissolution']
    """
    w, d = _thresholds(weakening_below, dissolved_below)
    frames = [a for a in (acquired, repeat_buyer, prob_alive) if isinstance(a, pd.DataFrame)]
    if frames:
        if len(frames) != 3:
            raise TypeError("acquired, repeat_buyer and prob_alive must all be DataFrames or none of them")
        ref = prob_alive
        for name, f in (("acquired", acquired), ("repeat_buyer", repeat_buyer)):
            if not (f.index.equals(ref.index) and f.columns.equals(ref.columns)):
                raise ValueError(
                    f"{name} and prob_alive must have the same index and columns (they are aligned "
                    "by label, not by position)"
                )
        acq = acquired.to_numpy(dtype=bool)
        rep = repeat_buyer.to_numpy(dtype=bool)
        pa = prob_alive.to_numpy(dtype=float)
        index = None
    else:
        if any(isinstance(a, pd.Series) for a in (acquired, repeat_buyer, prob_alive)):
            index, arr = v.aligned(
                acquired=pd.Series(acquired).astype(float)
                if isinstance(acquired, pd.Series)
                else np.asarray(acquired, dtype=float),
                repeat_buyer=pd.Series(repeat_buyer).astype(float)
                if isinstance(repeat_buyer, pd.Series)
                else np.asarray(repeat_buyer, float),
                prob_alive=prob_alive.fillna(-1.0)
                if isinstance(prob_alive, pd.Series)
                else np.nan_to_num(np.asarray(prob_alive, float), nan=-1.0),
            )
            acq, rep = arr["acquired"] > 0, arr["repeat_buyer"] > 0
            pa = np.where(arr["prob_alive"] == -1.0, np.nan, arr["prob_alive"])
        else:
            index = None
            acq = np.asarray(acquired, dtype=bool)
            rep = np.asarray(repeat_buyer, dtype=bool)
            pa = np.asarray(v.as_float("prob_alive", prob_alive, allow_nan=True), dtype=float)
            v.same_length(acquired=acq.ravel(), repeat_buyer=rep.ravel(), prob_alive=pa.ravel())
    if (rep & ~acq).any():
        raise ValueError("repeat_buyer must be False where acquired is False (a repeat purchase needs a first one)")
    known = acq
    pa_known = pa[known]
    if np.isnan(pa_known).any():
        raise ValueError("prob_alive must be given (not NaN) for every acquired customer")
    if pa_known.size:
        v.probability("prob_alive", pa_known)
    stage = np.where(
        ~acq, STAGES[0], np.where(pa < d, STAGES[4], np.where(pa < w, STAGES[3], np.where(rep, STAGES[2], STAGES[1])))
    ).astype(object)
    if frames:
        return _staged(pd.DataFrame(stage, index=prob_alive.index, columns=prob_alive.columns))
    if index is not None:
        return _staged(pd.Series(stage, index=index, name=N_("stage")))
    return stage


def stage_history(
    transactions,
    customer_col,
    date_col,
    model,
    *,
    amount_col=None,
    end=None,
    period="M",
    unit="W",
    weakening_below=0.5,
    dissolved_below=0.2,
):
    """Each customer's stage at the end of every period, from her purchases up to then and a model's P(alive).

    At the end of each period the customer's history so far gives frequency x (repeat purchase
    days), recency t_x and age T (in ``unit``: weeks = days / 7, as the CDNOW models are fitted);
    ``model.prob_alive(x, t_x, T)`` gives P(alive), and :func:`assign_stages` the stage. The model
    is fitted once (e.g. on the calibration period) and applied in every period, so each stage uses
    only what was known at the time.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction.
    customer_col, date_col : str
        Customer id and date columns; purchases on one day form one occasion.
    model : fitted purchase model
        Anything with ``prob_alive(frequency, recency, T)``: ``crmlib.clv.fit_bg_nbd(...)`` or
        ``crmlib.clv.fit_pareto_nbd(...)`` fitted in the same time unit.
    amount_col : str, optional
        Column with the amount; adds ``spend`` (sum per period, currency).
    end : date-like, optional
        Last day of the last period (default: the last date in the data; must end a period).
    period : {"W", "M", "Q", "Y"}
        Length of a period.
    unit : {"W", "D"}
        Time unit of the model: weeks or days.
    weakening_below, dissolved_below : float
        Thresholds of :func:`assign_stages`.

    Returns
    -------
    pandas.DataFrame
        Indexed by (customer, period): frequency, recency, T, prob_alive (NaN before the first
        purchase), purchased (bool: a purchase in the period), [spend], stage (ordered categorical).

    Examples
    --------
    >>> class Always:                        # a stand-in for a fitted model: P(alive) falls with silence
    ...     def prob_alive(self, frequency, recency, T):
    ...         return np.exp(-(np.asarray(T) - np.asarray(recency)) / 8)
    >>> log = pd.DataFrame({"id": [1, 1], "date": ["2024-01-03", "2024-02-07"]})
    >>> stage_history(log, "id", "date", Always(), end="2024-06-30")["stage"].tolist()
    ['confirmation', 'trust', 'weakening', 'weakening', 'dissolution', 'dissolution']
    """
    if not callable(getattr(model, "prob_alive", None)):
        raise TypeError(
            f"model must be a fitted purchase model with a prob_alive method (e.g. crmlib.clv.fit_bg_nbd"
            f"(...)); got {type(model).__name__}"
        )
    v.one_of("period", period, list(_PERIODS))
    v.one_of("unit", unit, ["W", "D"])
    w, d = _thresholds(weakening_below, dissolved_below)
    dates = _dates(transactions, customer_col, date_col).dt.normalize()
    cols = {"c": transactions[customer_col].to_numpy(), "day": dates.to_numpy()}
    if amount_col is not None:
        v.columns("transactions", transactions, [amount_col])
        cols["amount"] = v.amounts("transactions", transactions, amount_col)
    log = pd.DataFrame(cols)
    last = _period_end("end", end, period) if end is not None else log["day"].max().to_period(_PERIODS[period])
    if end is None and log["day"].max().normalize() != last.end_time.normalize():
        last = last - 1  # the data end inside a period: stop at the last whole one
    log = log[log["day"] <= last.end_time]
    if log.empty:
        raise ValueError(f"end={end} is before every transaction; nothing to summarise")
    periods = pd.period_range(log["day"].min().to_period(_PERIODS[period]), last, freq=_PERIODS[period])
    days = (
        log.groupby(["c", "day"], sort=True)
        .agg(**({"amount": ("amount", "sum")} if amount_col else {}), k=("day", "size"))
        .reset_index()
    )
    first = days.groupby("c")["day"].min()
    customers = first.index
    per_unit = 7.0 if unit == "W" else 1.0
    blocks = []
    for p in periods:
        stop = p.end_time.normalize()
        upto = days[days["day"] <= stop]
        g = upto.groupby("c")["day"]
        count = g.size().reindex(customers, fill_value=0)
        last_day = g.max().reindex(customers)
        acquired = count > 0
        x = (count - 1).clip(lower=0)
        T = (stop - first).dt.days / per_unit
        tx = ((last_day - first).dt.days / per_unit).fillna(0.0)
        in_p = days[(days["day"] >= p.start_time.normalize()) & (days["day"] <= stop)].groupby("c")
        block = pd.DataFrame(
            {
                "frequency": x.astype("int64"),
                "recency": tx,
                "T": T.where(acquired),
                N_("purchased"): (in_p.size().reindex(customers, fill_value=0) > 0),
            }
        )
        if amount_col:
            block["spend"] = in_p["amount"].sum().reindex(customers, fill_value=0.0)
        pa = np.full(len(customers), np.nan)
        if acquired.any():
            a = acquired.to_numpy()
            pa[a] = np.asarray(model.prob_alive(x.to_numpy()[a], tx.to_numpy()[a], T.to_numpy()[a]), dtype=float)
        block["prob_alive"] = pa
        block["stage"] = assign_stages(
            acquired.to_numpy(), (x > 0).to_numpy(), pa, weakening_below=w, dissolved_below=d
        )
        block["period"] = p
        blocks.append(block.rename_axis(customer_col).reset_index())
    out = pd.concat(blocks, ignore_index=True).set_index([customer_col, "period"]).sort_index()
    order = ["frequency", "recency", "T", "prob_alive", "purchased"] + (["spend"] if amount_col else []) + ["stage"]
    out = out[order]
    out["stage"] = pd.Categorical(out["stage"], categories=list(STAGES), ordered=True)
    return _staged(out)


def _wide_stages(stages):
    if isinstance(stages, pd.Series) and isinstance(stages.index, pd.MultiIndex):
        stages = stages.unstack()
    if not isinstance(stages, pd.DataFrame):
        raise TypeError(
            f"stages must be a DataFrame of stage labels (customers in rows, periods in columns in time "
            f"order) or a (customer, period) Series; got {type(stages).__name__}"
        )
    if stages.shape[1] < 2:
        raise ValueError(f"stages must have at least two periods (columns) to show a transition; got {stages.shape[1]}")
    arr = stages.astype(object).to_numpy()
    bad = ~pd.isna(arr) & ~np.isin(arr, STAGES)
    if bad.any():
        raise ValueError(f"stages must hold the labels {list(STAGES)}; got {arr[bad][0]!r}")
    return arr


def transition_counts(stages) -> pd.DataFrame:
    """Counts of stage transitions between consecutive periods, pooled over customers and time.

    Parameters
    ----------
    stages : pandas.DataFrame
        Stage labels, one row per customer and one column per period in time order (e.g.
        ``stage_history(...)["stage"].unstack()``); missing labels (NaN) are skipped.

    Returns
    -------
    pandas.DataFrame
        n_ij: the number of times a customer in stage i at the end of one period was in stage j
        at the end of the next; rows "from", columns "to", all five ``STAGES``.

    Examples
    --------
    >>> wide = pd.DataFrame([["confirmation", "trust", "trust"], ["confirmation", "weakening", "dissolution"]])
    >>> transition_counts(wide).loc[["confirmation", "trust"], ["trust", "weakening"]].to_numpy().tolist()
    [[1, 1], [1, 0]]
    """
    arr = _wide_stages(stages)
    a, b = arr[:, :-1].ravel(), arr[:, 1:].ravel()
    ok = ~pd.isna(a) & ~pd.isna(b)
    code = {s: i for i, s in enumerate(STAGES)}
    ia = np.array([code[s] for s in a[ok]], dtype=int)
    ib = np.array([code[s] for s in b[ok]], dtype=int)
    counts = np.zeros((len(STAGES), len(STAGES)), dtype=np.int64)
    np.add.at(counts, (ia, ib), 1)
    return _staged(
        pd.DataFrame(counts, index=pd.Index(STAGES, name=N_("from")), columns=pd.Index(STAGES, name=N_("to")))
    )


def transition_matrix(counts) -> pd.DataFrame:
    """Maximum-likelihood transition probabilities p_ij = n_ij / Σ_j n_ij (Anderson & Goodman 1957).

    Rows with no observation (a stage nobody was in) are NaN: the data say nothing about them.

    Examples
    --------
    >>> counts = pd.DataFrame([[8, 2], [1, 9]], index=["trust", "weakening"], columns=["trust", "weakening"])
    >>> transition_matrix(counts)
               trust  weakening
    trust        0.8        0.2
    weakening    0.1        0.9
    """
    if not isinstance(counts, pd.DataFrame):
        raise TypeError(
            f"counts must be a DataFrame (from stages in rows, to stages in columns); got {type(counts).__name__}"
        )
    if list(counts.index) != list(counts.columns):
        raise ValueError(
            "counts must have the same stages, in the same order, in its rows and columns; got rows "
            f"{list(counts.index)} and columns {list(counts.columns)}"
        )
    arr = np.asarray(v.non_negative("counts", counts.to_numpy(dtype=float)), dtype=float)
    totals = arr.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        probs = np.where(totals > 0, arr / np.where(totals > 0, totals, 1.0), np.nan)
    return _staged(pd.DataFrame(probs, index=counts.index, columns=counts.columns))


def _check_matrix(matrix) -> np.ndarray:
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(f"matrix must be a DataFrame of transition probabilities; got {type(matrix).__name__}")
    if list(matrix.index) != list(matrix.columns):
        raise ValueError("matrix must have the same stages, in the same order, in its rows and columns")
    arr = matrix.to_numpy(dtype=float)
    if np.isnan(arr).any():
        row = matrix.index[np.isnan(arr).any(axis=1)][0]
        raise ValueError(
            f"matrix has no probabilities for stage {row!r} (no observation): drop that stage or supply its row"
        )
    v.probability("matrix", arr)
    sums = arr.sum(axis=1)
    bad = np.abs(sums - 1) > 1e-8
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"matrix rows must sum to 1 (each is a probability distribution); row {matrix.index[i]!r} "
            f"sums to {sums[i]:.6g}"
        )
    return arr


def expected_stage_time(matrix, *, absorbing="dissolution") -> pd.DataFrame:
    """Expected number of periods spent in each stage before the relationship first dissolves.

    With the absorbing stage(s) removed, Q is the matrix of transitions among the other
    (transient) stages; the fundamental matrix N = (I − Q)⁻¹ gives in row i, column j the expected
    number of periods spent in stage j by a relationship that starts in stage i, counting the
    starting period (Kemeny & Snell 1960). A return from dissolution (a won-back customer) is not
    counted: dissolution is treated as absorbing, so this is the time until the *first* dissolution.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Transition probabilities (:func:`transition_matrix`); rows sum to 1.
    absorbing : str or sequence of str
        The stage(s) treated as the end of the relationship.

    Returns
    -------
    pandas.DataFrame
        N, transient stages in rows and columns, plus a column ``total`` (expected periods until
        dissolution).

    Raises
    ------
    ValueError
        If some transient stage can never reach the absorbing one (the expected time is infinite).

    Examples
    --------
    >>> P = pd.DataFrame([[0.8, 0.2, 0.0], [0.1, 0.6, 0.3], [0.0, 0.0, 1.0]],
    ...                  index=["trust", "weakening", "dissolution"], columns=["trust", "weakening", "dissolution"])
    >>> expected_stage_time(P).round(3)
               trust  weakening  total
    trust      6.667      3.333   10.0
    weakening  1.667      3.333    5.0
    """
    arr = _check_matrix(matrix)
    labels = list(matrix.index)
    absorbing = [absorbing] if isinstance(absorbing, str) else list(absorbing)
    for a in absorbing:
        if a not in labels:
            raise ValueError(f"absorbing must name stages of the matrix {labels}; got {a!r}")
    transient = [i for i, s in enumerate(labels) if s not in absorbing]
    if not transient:
        raise ValueError("absorbing must leave at least one transient stage")
    Q = arr[np.ix_(transient, transient)]
    eye = np.eye(len(transient))
    try:
        N = np.linalg.solve(eye - Q, eye)
    except np.linalg.LinAlgError:
        N = None
    if N is None or not np.all(np.isfinite(N)) or (N < -1e-9).any() or np.linalg.cond(eye - Q) > 1e12:
        raise ValueError(
            f"some stage never reaches {absorbing}: the expected time before dissolution is infinite "
            "(check the matrix: is there a path to dissolution from every stage?)"
        )
    N = np.where(np.abs(N) < 1e-12, 0.0, N)  # rounding noise where a stage cannot be reached
    names = [labels[i] for i in transient]
    out = pd.DataFrame(N, index=pd.Index(names, name=matrix.index.name), columns=names)
    out[N_("total")] = out.sum(axis=1)
    return _staged(out)


def stage_value(matrix, value_per_period, discount_rate, *, absorbing="dissolution") -> pd.Series:
    """Discounted expected value of a relationship by its current stage, until it dissolves.

    With r_s the value one period in stage s brings (e.g. the mean spend in the next period of
    customers now in s) and Q the transitions among the stages other than ``absorbing``,

        V = (I − Q/(1+d))⁻¹ r,

    the present value of what the relationship brings before it first dissolves: the
    Markov-chain customer-value model of Pfeifer & Carraway (2000) with the life-cycle stages as
    states and dissolution as the end. With ``absorbing=None`` the whole chain is valued,
    V = (I − P/(1+d))⁻¹ r, so that won-back customers count too.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Transition probabilities per period.
    value_per_period : pandas.Series
        r, indexed by the matrix's stages (aligned by label), currency per period.
    discount_rate : float
        d per period, in (0, 1].
    absorbing : str, sequence of str or None
        The stage(s) where the relationship ends (their value is 0).

    Returns
    -------
    pandas.Series
        Expected discounted value from each starting stage (currency), in the matrix's order.

    Examples
    --------
    >>> P = pd.DataFrame([[0.9, 0.1], [0.0, 1.0]], index=["trust", "dissolution"], columns=["trust", "dissolution"])
    >>> stage_value(P, pd.Series({"trust": 10.0, "dissolution": 0.0}), 0.1).round(2).to_dict()
    {'trust': 55.0, 'dissolution': 0.0}
    """
    arr = _check_matrix(matrix)
    d = v.in_range("discount_rate", discount_rate, 0, 1, low_open=True)
    if not isinstance(value_per_period, pd.Series):
        raise TypeError(
            "value_per_period must be a Series indexed by the matrix's stages (aligned by label); got "
            f"{type(value_per_period).__name__}"
        )
    missing = [s for s in matrix.index if s not in value_per_period.index]
    if missing:
        raise ValueError(f"value_per_period lacks stages {missing} of the matrix (it is aligned by label)")
    r = np.asarray(v.money("value_per_period", value_per_period.reindex(matrix.index).to_numpy(dtype=float)))
    labels = list(matrix.index)
    ends = [] if absorbing is None else ([absorbing] if isinstance(absorbing, str) else list(absorbing))
    for a in ends:
        if a not in labels:
            raise ValueError(f"absorbing must name stages of the matrix {labels} or be None; got {a!r}")
    keep = [i for i, s in enumerate(labels) if s not in ends]
    values = np.zeros(len(labels))
    Q = arr[np.ix_(keep, keep)]
    values[keep] = np.linalg.solve(np.eye(len(keep)) - Q / (1 + d), r[keep])
    v.finite_result("stage_value", values)
    return _staged(pd.Series(values, index=matrix.index, name=N_("value")))


def reduce_transition(matrix, from_stage, to_stage, reduction) -> pd.DataFrame:
    """A copy of the matrix in which p(from → to) is cut by the fraction ``reduction``; the freed
    probability stays in ``from_stage`` (the relationship lasts longer there).

    Examples
    --------
    >>> P = pd.DataFrame([[0.8, 0.2], [0.0, 1.0]], index=["trust", "weakening"], columns=["trust", "weakening"])
    >>> reduce_transition(P, "trust", "weakening", 0.5).loc["trust"].tolist()
    [0.9, 0.1]
    """
    _check_matrix(matrix)
    r = v.probability("reduction", reduction)
    for name, s in (("from_stage", from_stage), ("to_stage", to_stage)):
        if s not in matrix.index:
            raise ValueError(f"{name} must be one of the matrix's stages {list(matrix.index)}; got {s!r}")
    if from_stage == to_stage:
        raise ValueError(f"to_stage must differ from from_stage; got {to_stage!r} for both")
    out = matrix.astype(float).copy()
    moved = out.loc[from_stage, to_stage] * r
    out.loc[from_stage, to_stage] -= moved
    out.loc[from_stage, from_stage] += moved
    return _staged(out)


def stage_paths(stages) -> pd.DataFrame:
    """Each customer's path through the stages, the stages she skipped and whether she came back.

    Repeated stages are collapsed ("trust, trust, weakening" is the path trust → weakening). A
    move forward by more than one stage in the order of ``STAGES`` skips the stages between, e.g.
    cultivation → trust (confirmation and trust merge: she trusted from her first visit),
    confirmation → weakening (trust never built), trust → dissolution (no visible weakening).
    A move backward (weakening → trust, dissolution → trust) is a return (挽回). Stages before the
    first period observed are not counted as skipped.

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``path`` (str), ``skipped`` (the skipped stages, "" if none),
        ``returned`` (bool), ``all_five`` (bool: the path visits every stage). ``path`` and
        ``skipped`` join the stage codes ("confirmation → weakening", "confirmation, weakening");
        the Chinese edition shows them as 关系确认 → 关系弱化 and 关系确认、关系弱化 (the table
        is translated when displayed, :func:`crmlib.i18n.translate_frame`).

    Examples
    --------
    >>> wide = pd.DataFrame([["cultivation", "trust", "weakening"], ["confirmation", "trust", "trust"]],
    ...                     index=["A", "B"])
    >>> stage_paths(wide)["skipped"].to_dict()
    {'A': 'confirmation', 'B': ''}
    """
    arr = _wide_stages(stages)
    index = stages.index if isinstance(stages, pd.DataFrame) else stages.unstack().index
    code = {s: i for i, s in enumerate(STAGES)}
    paths, skipped, returned, five = [], [], [], []
    for row in arr:
        seq = [s for s in row if not pd.isna(s)]
        path = [s for i, s in enumerate(seq) if i == 0 or s != seq[i - 1]]
        miss, back = [], False
        for a, b in zip(path[:-1], path[1:]):
            ia, ib = code[a], code[b]
            if ib > ia + 1:
                miss += list(STAGES[ia + 1 : ib])
            elif ib < ia:
                back = True
        paths.append(" → ".join(path))
        skipped.append(", ".join(dict.fromkeys(miss)))
        returned.append(back)
        five.append(set(path) == set(STAGES))
    return _staged(
        pd.DataFrame(
            {N_("path"): paths, N_("skipped"): skipped, N_("returned"): returned, N_("all_five"): five}, index=index
        )
    )


# =======================================================================================
# Weakening signals and the rescue-or-end decision
# =======================================================================================
def warning_flags(prob_alive, frequency, recency, T, *, alive_below=0.5, rhythm_multiple=2.0, max_silence=None):
    """Early-warning rule: flag a customer whose relationship shows signs of weakening.

    A customer is flagged when P(alive) has fallen below ``alive_below`` (she has entered the
    weakening stage of :func:`assign_stages`), or when, for a repeat buyer, the gap since her last
    purchase, T − t_x, exceeds ``rhythm_multiple`` times her own rhythm, the mean interval t_x / x
    between her purchases. The second signal compares each customer with herself: a silence that
    is normal for an occasional buyer is alarming for a regular one. ``max_silence`` adds the
    common fixed rule "no purchase for so long" (e.g. 26 weeks); each signal can be switched off
    (``alive_below=0``, ``rhythm_multiple=None``, ``max_silence=None``).

    Parameters
    ----------
    prob_alive : float array-like
        P(alive) from a purchase model, in [0, 1].
    frequency, recency, T : array-like
        Repeat purchases x, time t_x of the last one and age T (same time unit).
    alive_below : float
        P(alive) threshold, in [0, 1].
    rhythm_multiple : float or None
        How many of her usual intervals the gap may last (> 0).
    max_silence : float or None
        The longest gap allowed to anyone (same unit as T, > 0).

    Returns
    -------
    bool array (or Series, aligned by index; a bool for scalars)

    Examples
    --------
    >>> warning_flags([0.9, 0.3, 0.8, 0.95], [2, 3, 4, 0], [20.0, 10.0, 10.0, 0.0], [30.0, 39.0, 30.0, 5.0]).tolist()
    [False, True, True, False]
    >>> warning_flags([0.9, 0.3], [2, 3], [20.0, 30.0], [30.0, 39.0], alive_below=0, rhythm_multiple=None,
    ...               max_silence=26).tolist()
    [False, False]
    """
    index, arr = v.aligned(prob_alive=prob_alive, frequency=frequency, recency=recency, T=T)
    pa = np.atleast_1d(v.probability("prob_alive", arr["prob_alive"]))
    x = np.atleast_1d(v.non_negative("frequency", arr["frequency"]))
    tx = np.atleast_1d(v.non_negative("recency", arr["recency"]))
    TT = np.atleast_1d(v.non_negative("T", arr["T"]))
    bad = tx > TT * (1 + 1e-12) + 1e-12
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"recency must not exceed T (the last purchase cannot come after today); got recency="
            f"{tx[i]:g} > T={TT[i]:g} at position {i}"
        )
    a = v.probability("alive_below", alive_below)
    flags = pa < a
    if rhythm_multiple is not None:
        k = v.positive("rhythm_multiple", rhythm_multiple)
        with np.errstate(divide="ignore", invalid="ignore"):
            rhythm = np.where(x > 0, tx / np.where(x > 0, x, 1.0), np.inf)
        flags |= (x > 0) & (TT - tx > k * rhythm)
    if max_silence is not None:
        flags |= TT - tx > v.positive("max_silence", max_silence)
    if index is not None:
        return pd.Series(flags, index=index, name="flagged")
    return flags if any(np.ndim(arg) for arg in (prob_alive, frequency, recency, T)) else bool(flags[0])


def first_warnings(history, *, end=None, alive_below=0.5, rhythm_multiple=2.0, max_silence=None) -> pd.DataFrame:
    """When did the early-warning rule first fire after each customer's last purchase (up to ``end``)?

    The rule of :func:`warning_flags` is applied period by period to a :func:`stage_history`
    frame, as a firm would run it at every month's end; for each customer the first period after
    her last purchase (up to and including the period of ``end``) in which she is flagged is
    reported, with the silence (T − t_x, time since her last purchase) at that moment.

    Returns
    -------
    pandas.DataFrame
        One row per acquired customer: ``warned`` (bool), ``period`` (the first flagged period, or
        missing) and ``silence`` (NaN when not warned).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([[1], pd.period_range("2024-01", periods=3, freq="M")],
    ...                                  names=["id", "period"])
    >>> hist = pd.DataFrame({"frequency": [1, 1, 1], "recency": [2.0, 2.0, 2.0], "T": [4.0, 8.0, 13.0],
    ...                      "prob_alive": [0.9, 0.6, 0.4]}, index=idx)
    >>> w = first_warnings(hist)
    >>> bool(w.loc[1, "warned"]), float(w.loc[1, "silence"]), str(w.loc[1, "period"])
    (True, 6.0, '2024-02')
    """
    if not isinstance(history, pd.DataFrame) or not isinstance(history.index, pd.MultiIndex):
        raise TypeError(
            f"history must be the (customer, period) DataFrame of stage_history; got {type(history).__name__}"
        )
    v.columns("history", history, ["frequency", "recency", "T", "prob_alive"])
    h = history[history["prob_alive"].notna()]
    if end is not None:
        periods = h.index.get_level_values(1)
        if isinstance(periods, pd.PeriodIndex):
            try:
                stop = pd.Timestamp(end).to_period(periods.freq)
            except (ValueError, TypeError):
                raise TypeError(f"end must be an ISO date such as '1997-09-30'; got {end!r}") from None
        else:
            stop = end
        h = h[periods <= stop]
    if h.empty:
        raise ValueError("history has no acquired customer up to end; nothing to warn about")
    flags = warning_flags(
        h["prob_alive"].to_numpy(),
        h["frequency"].to_numpy(),
        h["recency"].to_numpy(),
        h["T"].to_numpy(),
        alive_below=alive_below,
        rhythm_multiple=rhythm_multiple,
        max_silence=max_silence,
    )
    customer = h.index.get_level_values(0)
    last_recency = h["recency"].groupby(level=0).transform("last")
    spell = np.isclose(h["recency"].to_numpy(), last_recency.to_numpy())  # after her last purchase
    hit = h[spell & np.asarray(flags)]
    first = hit.groupby(level=0).head(1)
    out = pd.DataFrame(index=pd.Index(customer.unique(), name=h.index.names[0]))
    out[N_("warned")] = out.index.isin(first.index.get_level_values(0))
    per = pd.Series(first.index.get_level_values(1), index=first.index.get_level_values(0))
    out["period"] = per.reindex(out.index)
    out[N_("silence")] = (first["T"] - first["recency"]).droplevel(1).reindex(out.index)
    return out


@dataclass(frozen=True)
class WarningMetrics:
    """How good an early-warning rule was on a holdout period (computed by :func:`evaluate_warning`)."""

    n_customers: int
    flagged: int
    stopped: int
    true_positives: int
    precision: float  # share of flagged customers who really stopped
    recall: float  # share of customers who stopped that were flagged
    base_rate: float  # share of all customers who stopped
    lift: float  # precision / base rate

    def __str__(self) -> str:
        return _(
            "flagged {flagged:,} of {customers:,}; precision {precision:.1%} (base rate {base_rate:.1%}, lift "
            "{lift:.2f}); recall {recall:.1%}"
        ).format(
            flagged=self.flagged,
            customers=self.n_customers,
            precision=self.precision,
            base_rate=self.base_rate,
            lift=self.lift,
            recall=self.recall,
        )


def evaluate_warning(flagged, stopped) -> WarningMetrics:
    """Precision, recall and lift of an early-warning rule against what happened in a holdout period.

    Parameters
    ----------
    flagged, stopped : bool array-like (or Series aligned by index)
        Whether each customer was flagged at the end of the calibration period, and whether she
        really stopped (e.g. made no purchase in the holdout period).

    Examples
    --------
    >>> m = evaluate_warning([True, True, False, False], [True, False, True, False])
    >>> m.precision, m.recall, m.lift
    (0.5, 0.5, 1.0)
    """

    def as_bool(name, val):
        if isinstance(val, pd.Series):
            return val.astype(float)
        arr = np.asarray(val)
        if arr.dtype == object or arr.size == 0:
            raise TypeError(f"{name} must be an array of True/False values; got {val!r}")
        return arr.astype(float)

    _, arr = v.aligned(flagged=as_bool("flagged", flagged), stopped=as_bool("stopped", stopped))
    f, s = arr["flagged"] > 0, arr["stopped"] > 0
    n, nf, ns, tp = f.size, int(f.sum()), int(s.sum()), int((f & s).sum())
    precision = tp / nf if nf else float("nan")
    recall = tp / ns if ns else float("nan")
    base = ns / n
    lift = precision / base if nf and base > 0 else float("nan")
    return WarningMetrics(
        n_customers=n,
        flagged=nf,
        stopped=ns,
        true_positives=tp,
        precision=precision,
        recall=recall,
        base_rate=base,
        lift=lift,
    )


#: Field labels of the rescue records' reprs (shown beside each field in the Chinese edition).
_RESCUE_LABELS = {
    "frequency": NP_("rescue or end", "frequency"),
    "recency": NP_("rescue or end", "recency"),
    "periods": NP_("rescue or end", "periods"),
    "margin": NP_("rescue or end", "margin"),
    "discount_rate": NP_("rescue or end", "discount_rate"),
    "success_probability": NP_("rescue or end", "success_probability"),
    "cost": NP_("rescue or end", "cost"),
    "value_retained": NP_("rescue or end", "value_retained"),
    "expected_gain": NP_("rescue or end", "expected_gain"),
    "break_even_probability": NP_("rescue or end", "break_even_probability"),
    "max_cost": NP_("rescue or end", "max_cost"),
    "prob_alive": NP_("rescue or end", "prob_alive"),
    "value_now": NP_("rescue or end", "value_now"),
    "value_if_rescued": NP_("rescue or end", "value_if_rescued"),
}
#: The two verdicts of the rule (``RescueDecision.action``; the glossary's 挽救 / 终止), and the
#: label of the ``action`` field naming the verdict.
_ACTIONS = {"rescue": NP_("rescue or end", "rescue"), "end": NP_("rescue or end", "end")}
_ACTION_FIELD = {"rescue": NP_("rescue or end", "action: rescue"), "end": NP_("rescue or end", "action: end")}


@dataclass(frozen=True)
class RescueCase:
    """A weakening customer and a proposed rescue (挽救): her history, the money, the chances.

    Fields: the BG/BB history ``frequency`` x, ``recency`` t_x, ``periods`` n (e.g. fairs attended
    of the last 6); ``margin`` per occasion she attends (currency); ``discount_rate`` per occasion;
    ``success_probability`` of the rescue; its ``cost`` (currency). Change with
    ``dataclasses.replace`` (which validates again). Build the default with :func:`rescue_case`.
    """

    frequency: int
    recency: int
    periods: int
    margin: float
    discount_rate: float
    success_probability: float
    cost: float

    def __post_init__(self):
        _, x, tx, n = _history(self.frequency, self.recency, self.periods)
        object.__setattr__(self, "frequency", int(x[0]))
        object.__setattr__(self, "recency", int(tx[0]))
        object.__setattr__(self, "periods", int(n[0]))
        object.__setattr__(self, "margin", v.money("margin", self.margin, minimum=0))
        object.__setattr__(self, "discount_rate", v.in_range("discount_rate", self.discount_rate, 0, 1, low_open=True))
        object.__setattr__(self, "success_probability", v.probability("success_probability", self.success_probability))
        object.__setattr__(self, "cost", v.money("cost", self.cost, minimum=0))

    def __repr__(self) -> str:
        return _field_repr(self, _RESCUE_LABELS, context="rescue or end")


def rescue_case(
    frequency=4, recency=4, periods=6, margin=10_000.0, discount_rate=0.10, success_probability=0.25, cost=8_000.0
) -> RescueCase:
    """The chapter's default rescue case (our numbers): an exhibitor who came to the first 4 of the
    last 6 fairs and missed the last 2; 10,000 yuan margin per fair; a rescue (a visit by the
    director, a booth discount) costing 8,000 yuan that works 1 time in 4; 10% a year discount rate.

    Examples
    --------
    >>> rescue_case().success_probability
    0.25
    """
    return RescueCase(frequency, recency, periods, margin, discount_rate, success_probability, cost)


@dataclass(frozen=True)
class RescueDecision:
    """Rescue or end? The expected gain of a rescue and the rule's verdict (output of
    :func:`rescue_decision` or :func:`evaluate_rescue`).

    ``expected_gain`` = success_probability × value_retained − cost; ``break_even_probability``
    = cost / value_retained; ``max_cost`` = success_probability × value_retained (the most the
    rescue may cost); ``action`` "rescue" when the expected gain is positive, else "end" (the code;
    :attr:`action_label` shows it in the current language, 挽救 / 终止 in Chinese).
    With the BG/BB: ``prob_alive``, ``value_now`` (her expected value without the rescue) and
    ``value_if_rescued`` (with a successful one); value_retained is their difference.
    """

    success_probability: float
    value_retained: float
    cost: float
    expected_gain: float
    break_even_probability: float
    max_cost: float
    action: str
    prob_alive: float | None = None
    value_now: float | None = None
    value_if_rescued: float | None = None
    case: RescueCase | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        labels = {**_RESCUE_LABELS, "action": _ACTION_FIELD.get(self.action, NP_("rescue or end", "action"))}
        return _field_repr(self, labels, context="rescue or end")

    @property
    def action_label(self) -> str:
        """The verdict in words of the current language: ``action`` itself in English ("rescue" or
        "end"), 挽救 or 终止 in the Chinese edition.

        >>> rescue_decision(0.3, 40_000, 5_000).action_label
        'rescue'
        """
        return pgettext("rescue or end", self.action) if self.action in _ACTIONS else self.action


def rescue_decision(success_probability, value_retained, cost) -> RescueDecision:
    """The slides' "rescue or end" (挽救还是终止) as a rule: rescue when P(success) × value retained > cost.

    Parameters
    ----------
    success_probability : float
        Chance that the rescue works, in [0, 1].
    value_retained : float
        Value kept if it works (currency, >= 0): the customer's expected value with a successful
        rescue minus her expected value without one.
    cost : float
        Cost of the rescue effort (currency, >= 0).

    Examples
    --------
    >>> d = rescue_decision(0.3, 40_000, 5_000)
    >>> d.action, d.expected_gain, d.break_even_probability
    ('rescue', 7000.0, 0.125)
    """
    p = v.probability("success_probability", success_probability)
    value = v.money("value_retained", value_retained, minimum=0)
    c = v.money("cost", cost, minimum=0)
    gain = p * value - c
    be = c / value if value > 0 else (0.0 if c == 0 else float("inf"))
    return RescueDecision(
        success_probability=p,
        value_retained=value,
        cost=c,
        expected_gain=gain,
        break_even_probability=be,
        max_cost=p * value,
        action="rescue" if gain > 0 else "end",
    )


def evaluate_rescue(model: BGBBResult, case: RescueCase) -> RescueDecision:
    """Rescue or end, with the value retained from the BG/BB model (evaluated once, for widgets).

    Without the rescue she is worth m · DERT(d | x, t_x, n). A successful rescue brings her to the
    next occasion, so she is then worth m · (1 + DERT(d | x+1, n+1, n+1)) / (1+d) (she attends at
    n+1 and then goes on as a customer who has just come back). The value retained is the
    difference; the decision follows :func:`rescue_decision`.

    Examples
    --------
    >>> res = BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
    ...                  param_values=(1.204, 0.750, 0.657, 2.783))
    >>> d = evaluate_rescue(res, rescue_case())
    >>> d.action, round(d.prob_alive, 3), round(d.value_retained), round(d.expected_gain)
    ('rescue', 0.2, 42194, 2548)
    """
    if not isinstance(model, BGBBResult):
        raise TypeError(f"model must be a fitted BG/BB result (fit_bg_bb); got {type(model).__name__}")
    if not isinstance(case, RescueCase):
        raise TypeError(f"case must be a RescueCase (see rescue_case); got {type(case).__name__}")
    x, tx, n, d = case.frequency, case.recency, case.periods, case.discount_rate
    now = case.margin * model.dert(d, x, tx, n)
    rescued = case.margin * (1.0 + model.dert(d, x + 1, n + 1, n + 1)) / (1.0 + d)
    base = rescue_decision(case.success_probability, max(rescued - now, 0.0), case.cost)
    return RescueDecision(
        **{
            **base.__dict__,
            "prob_alive": float(model.prob_alive(x, tx, n)),
            "value_now": now,
            "value_if_rescued": rescued,
            "case": case,
        }
    )


# =======================================================================================
# Care planning: a budget across value segments
# =======================================================================================
def retention_response(spend, base_rate, max_rate, response_scale):
    """Retention rate after ``spend`` per customer on care: r(s) = r₀ + (r_max − r₀)(1 − e^(−s/k)).

    A concave response (each extra yuan buys less): r₀ without care, r_max the ceiling care can
    reach, k the spend per customer that achieves 63% of the possible gain. Our modelling
    assumption, to be estimated from a firm's own tests.

    Examples
    --------
    >>> round(retention_response(100.0, 0.6, 0.8, 100.0), 4)
    0.7264
    """
    index, arr = v.aligned(spend=spend, base_rate=base_rate, max_rate=max_rate, response_scale=response_scale)
    s = np.atleast_1d(v.money("spend", arr["spend"], minimum=0))
    r0, rmax, k = _response_args(arr["base_rate"], arr["max_rate"], arr["response_scale"])
    out = r0 + (rmax - r0) * -np.expm1(-s / k)
    return _out(index, out, (spend, base_rate, max_rate, response_scale), name="retention_rate")


def _response_args(base_rate, max_rate, response_scale):
    r0 = np.atleast_1d(v.probability("base_rate", base_rate))
    rmax = np.atleast_1d(v.probability("max_rate", max_rate))
    k = np.atleast_1d(v.money("response_scale", response_scale))
    v.positive("response_scale", k)
    bad = rmax < r0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"max_rate must be at least base_rate (care cannot lower retention); got max_rate="
            f"{rmax[i]:g} < base_rate={r0[i]:g} at position {i}"
        )
    return r0, rmax, k


def retained_value(spend, customers, value, base_rate, max_rate, response_scale):
    """Expected retained value of each segment for a given care spend per customer:
    customers × value × r(spend) (currency; see :func:`retention_response`).

    Examples
    --------
    >>> float(retained_value(100.0, 1000, 500.0, 0.6, 0.8, 100.0))
    363212.05...
    """
    index, arr = v.aligned(
        spend=spend,
        customers=customers,
        value=value,
        base_rate=base_rate,
        max_rate=max_rate,
        response_scale=response_scale,
    )
    n = np.atleast_1d(v.in_range("customers", arr["customers"], 0, MAX_CUSTOMERS))
    val = np.atleast_1d(v.money("value", arr["value"], minimum=0))
    rate = np.atleast_1d(retention_response(arr["spend"], arr["base_rate"], arr["max_rate"], arr["response_scale"]))
    out = n * val * rate
    v.finite_result("retained_value", out)
    return _out(index, out, (spend, customers, value, base_rate, max_rate, response_scale), name="retained_value")


@dataclass(frozen=True)
class BudgetOutcome:
    """The best split of a care budget across segments (output of :func:`allocate_care_budget`).

    ``table`` has one row per segment: customers, spend_per_customer, spend (total), retention
    before and after, value_gain (extra retained value) and marginal_return (extra value per
    extra currency unit at the optimum). ``shadow_price`` is the value of one more unit of budget;
    at the optimum every segment that gets money has a marginal return equal to it, and those
    that get none have a lower one (the KKT conditions).
    """

    budget: float
    table: pd.DataFrame = field(repr=False)
    total_gain: float
    shadow_price: float
    converged: bool
    message: str

    def __str__(self) -> str:
        return _(
            "budget {budget:,.0f}: retained value +{gain:,.0f} (last unit of budget returns {shadow_price:.2f})"
        ).format(budget=self.budget, gain=self.total_gain, shadow_price=self.shadow_price)


def allocate_care_budget(budget, customers, value, base_rate, max_rate, response_scale) -> BudgetOutcome:
    """Split a care budget across value segments to maximise the expected retained value.

    maximise Σ_i n_i v_i r_i(s_i)   subject to   Σ_i n_i s_i <= B,  s_i >= 0,
    with the concave response r_i(s) of :func:`retention_response` ("put resources on the groups
    with the higher return", but each extra yuan in a group returns less). Solved with scipy's SLSQP
    on each segment's share of the budget, with analytic gradients.

    Parameters
    ----------
    budget : float
        B, the care budget (currency, >= 0).
    customers, value, base_rate, max_rate, response_scale : array-like or Series (aligned by index)
        Per segment: n_i customers, v_i value of a retained customer (currency), r₀, r_max and k of
        the response curve.

    Returns
    -------
    BudgetOutcome

    Examples
    --------
    >>> seg = pd.DataFrame({"customers": [100, 400], "value": [2000.0, 300.0], "base_rate": [0.7, 0.5],
    ...                     "max_rate": [0.85, 0.65], "response_scale": [200.0, 50.0]}, index=["key", "regular"])
    >>> alloc = allocate_care_budget(20_000, **seg)
    >>> alloc.table["spend"].round(0).to_dict()
    {'key': 15108.0, 'regular': 4892.0}
    >>> alloc.table["marginal_return"].round(3).to_dict()    # equal where money goes (KKT)
    {'key': 0.705, 'regular': 0.705}
    """
    B = v.money("budget", budget, minimum=0)
    index, arr = v.aligned(
        customers=customers, value=value, base_rate=base_rate, max_rate=max_rate, response_scale=response_scale
    )
    n = np.atleast_1d(v.in_range("customers", arr["customers"], 0, MAX_CUSTOMERS))
    val = np.atleast_1d(v.money("value", arr["value"], minimum=0))
    r0, rmax, k = _response_args(arr["base_rate"], arr["max_rate"], arr["response_scale"])
    if not (n > 0).any():
        raise ValueError("customers must have at least one segment with customers; got all zero")
    m = n.size
    gain_cap = n * val * (rmax - r0)  # the most care can add in each segment
    scale = max(float(gain_cap.sum()), 1.0)

    def per_customer(y):
        return np.where(n > 0, y * B / np.where(n > 0, n, 1.0), 0.0)

    def objective(y):
        s = per_customer(y)
        e = np.exp(-s / k)
        f = -np.sum(gain_cap * (1 - e)) / scale
        grad = -np.where(n > 0, gain_cap * e / k * B / np.where(n > 0, n, 1.0), 0.0) / scale
        return f, grad

    if B == 0 or gain_cap.sum() == 0:
        y = np.zeros(m)
        res = None
    else:
        res = optimize.minimize(
            objective,
            np.full(m, 1.0 / m),
            jac=True,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * m,
            constraints=[{"type": "ineq", "fun": lambda y: 1.0 - y.sum(), "jac": lambda y: -np.ones(m)}],
            options={"maxiter": 500, "ftol": 1e-14},
        )
        y = np.clip(res.x, 0.0, 1.0)
        if y.sum() > 1:
            y = y / y.sum()
    s = per_customer(y)
    e = np.exp(-s / k)
    after = r0 + (rmax - r0) * (1 - e)
    gain = gain_cap * (1 - e)
    marginal = np.where(n > 0, val * (rmax - r0) * e / k, 0.0)
    funded = y > 1e-6
    shadow = float(marginal[funded].mean()) if funded.any() else float(marginal.max())
    labels = index if index is not None else pd.RangeIndex(m, name="segment")
    table = pd.DataFrame(
        {
            N_("customers"): n,
            N_("spend_per_customer"): s,
            N_("spend"): y * B,
            N_("retention_before"): r0,
            N_("retention_after"): after,
            N_("value_gain"): gain,
            N_("marginal_return"): marginal,
        },
        index=labels,
    )
    converged = True if res is None else bool(res.success)
    message = "nothing to allocate" if res is None else str(res.message)
    return BudgetOutcome(
        budget=B, table=table, total_gain=float(gain.sum()), shadow_price=shadow, converged=converged, message=message
    )
