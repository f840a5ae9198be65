"""The one result protocol of every fitted model in crmlib.

Every estimator (the sBG, BG/NBD, Pareto/NBD and Gamma-Gamma fits, the PLS path model, the
churn logit, the survival fits, the relationship-quality regressions) returns a frozen
subclass of :class:`FitResult`. Whatever the model, a result answers the same questions:

=====================  ==================================================================
``params``             the estimates, a labelled :class:`pandas.Series` (a new copy on every
                       access: changing it never changes the result)
``standard_errors``    standard errors, a Series with the same index (NaN where undefined)
``conf_int(level)``    a DataFrame with columns ``lower`` and ``upper``
``log_likelihood``     the maximised log-likelihood, or ``None`` where not defined (PLS, KM)
``n_obs``              the number of observations (customers, respondents, subjects)
``converged``          whether the estimator met its convergence criterion
``message``            the optimiser's (or algorithm's) own message
``iterations``         iterations used, where the estimator counts them
``summary()``          a DataFrame: estimate, standard error, z, p-value and the 95% interval
=====================  ==================================================================

plus a readable ``repr`` (the text nbval compares) and an HTML repr for notebooks.

A fit that did not converge still returns its result, with ``converged=False``, and warns
with :class:`ConvergenceWarning`, which users can filter like any warning category::

    import warnings
    from crmlib.results import ConvergenceWarning
    warnings.simplefilter("error", ConvergenceWarning)   # make it an error instead

The protocol is written down in CONTRIBUTING.md and checked by ``tests/test_conventions.py``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from .i18n import N_, pgettext, translate_frame
from .i18n import gettext as _

__all__ = ["ConvergenceWarning", "FitResult", "check_level", "warn_if_not_converged"]


class ConvergenceWarning(UserWarning):
    """An estimator stopped before meeting its convergence criterion; the estimates may not be optimal."""


def check_level(level) -> float:
    """Validate a confidence level (a fraction strictly between 0 and 1) and return it as float."""
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating, np.integer)):
        raise TypeError(f"level must be a number in (0, 1), e.g. 0.95; got {level!r}")
    level = float(level)
    if not 0.0 < level < 1.0 or math.isnan(level):
        raise ValueError(f"level must be in (0, 1), e.g. 0.95 for a 95% interval; got {level!r}")
    return level


def warn_if_not_converged(result: FitResult, *, advice: str = "", stacklevel: int = 3) -> None:
    """Issue a :class:`ConvergenceWarning` naming the model and the optimiser's message."""
    if not result.converged:
        hint = f" {advice}" if advice else ""
        text = _("{model} did not converge: {message}.{hint}").format(
            model=_(result.model_name), message=result.message, hint=hint
        )
        warnings.warn(text, ConvergenceWarning, stacklevel=stacklevel)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class FitResult:
    """Base of every fitted-model result: frozen, labelled estimates and the fit's diagnostics.

    Subclasses are frozen dataclasses (``kw_only``) that add the model's own fields (the data
    it was fitted on, tables it produced) and methods (predictions). They pass the estimates
    as ``param_names`` / ``param_values`` (stored as tuples, so nothing can change them) and
    either pass ``se_values`` or override :meth:`_compute_standard_errors`.
    """

    param_names: tuple[str, ...]
    param_values: tuple[float, ...]
    n_obs: int
    converged: bool
    message: str = ""
    iterations: int | None = None
    log_likelihood: float | None = None
    se_values: tuple[float, ...] | None = field(default=None, compare=False)

    model_name: ClassVar[str] = "model"

    def __post_init__(self) -> None:
        names = tuple(str(n) for n in self.param_names)
        values = tuple(float(x) for x in np.asarray(self.param_values, dtype=float).ravel())
        if len(names) != len(values):
            raise ValueError(
                f"param_names and param_values must have the same length; got {len(names)} "
                f"names and {len(values)} values"
            )
        object.__setattr__(self, "param_names", names)
        object.__setattr__(self, "param_values", values)
        if self.se_values is not None:
            se = tuple(float(x) for x in np.asarray(self.se_values, dtype=float).ravel())
            if len(se) != len(values):
                raise ValueError(f"se_values must have one entry per parameter ({len(values)}); got {len(se)}")
            object.__setattr__(self, "se_values", se)
        object.__setattr__(self, "converged", bool(self.converged))
        object.__setattr__(self, "n_obs", int(self.n_obs))

    # -- estimates ---------------------------------------------------------------------
    @property
    def params(self) -> pd.Series:
        """The estimates, indexed by parameter name (a fresh Series on every access)."""
        return pd.Series(
            self.param_values, index=pd.Index(self.param_names, name="parameter"), name="estimate", dtype=float
        )

    def _compute_standard_errors(self) -> np.ndarray:
        """Standard errors when ``se_values`` was not given (subclasses override; default NaN)."""
        return np.full(len(self.param_values), np.nan)

    @property
    def standard_errors(self) -> pd.Series:
        """Standard errors of the estimates (NaN where not defined), same index as ``params``."""
        se = self.se_values
        if se is None:
            se = tuple(float(x) for x in np.asarray(self._compute_standard_errors(), float).ravel())
            object.__setattr__(self, "se_values", se)  # a cache: computed once, then frozen
        return pd.Series(se, index=pd.Index(self.param_names, name="parameter"), name="std_error", dtype=float)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald intervals estimate ± z·SE at confidence ``level`` (columns ``lower``, ``upper``).

        Subclasses whose estimator has better intervals (bootstrap percentiles, log-log for
        survival) override this method with the same signature.
        """
        level = check_level(level)
        z = stats.norm.ppf(0.5 + level / 2)
        est, se = self.params, self.standard_errors
        return pd.DataFrame({"lower": est - z * se, "upper": est + z * se})

    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors, z statistics, two-sided p-values and 95% intervals."""
        est, se = self.params, self.standard_errors
        with np.errstate(divide="ignore", invalid="ignore"):
            z = est / se
        ci = self.conf_int(0.95)
        return pd.DataFrame(
            {
                "estimate": est,
                "std_error": se,
                "z": z,
                "p_value": 2 * stats.norm.sf(np.abs(z)),
                "lower_95": ci["lower"],
                "upper_95": ci["upper"],
            }
        )

    # -- display (in the current language: see crmlib.i18n) ---------------------------------
    def _fit_line(self) -> str:
        ll = (
            ""
            if self.log_likelihood is None
            else _(", log-likelihood {log_likelihood:.2f}").format(log_likelihood=self.log_likelihood)
        )
        status = _("converged") if self.converged else _("NOT converged ({message})").format(message=self.message)
        return _("n = {n_obs:,}{log_likelihood}, {status}").format(n_obs=self.n_obs, log_likelihood=ll, status=status)

    def __repr__(self) -> str:
        ps = ", ".join(f"{k}={val:.4g}" for k, val in zip(self.param_names, self.param_values))
        return f"{type(self).__name__}({self.model_name}: {ps}; {self._fit_line()})"

    def _repr_html_(self) -> str:
        table = translate_frame(self.summary().round(4)).to_html()
        return f"<p><b>{self.model_name}</b>: {self._fit_line()}</p>{table}"


#: Labels of the tables results return (summary, conf_int), marked for the Chinese edition.
_TABLE_LABELS = (
    N_("parameter"),
    N_("estimate"),
    N_("std_error"),
    N_("p_value"),
    N_("lower_95"),
    N_("upper_95"),
    N_("lower"),
    N_("upper"),
)


#: The row labels of pandas' ``describe()`` (the words only), marked so displayed tables show them in Chinese.
_DESCRIBE_LABELS = (
    N_("count"),
    N_("mean"),
    N_("std"),
    N_("min"),
    N_("max"),
)


class _DisplayTuple(tuple):
    """A tuple of marked (``N_``) strings that prints in the current language.

    The items stay English (code comparing them keeps working); ``repr``/``str`` show each item
    through :func:`crmlib.i18n.gettext`, so in English it prints exactly as a plain tuple.
    """

    def __repr__(self) -> str:
        return repr(tuple(_(item) for item in self))

    __str__ = __repr__


def param_table(names: Sequence[str], values: Sequence[float]) -> dict:
    """Keyword arguments ``param_names``/``param_values`` for a :class:`FitResult` from two sequences."""
    return {"param_names": tuple(names), "param_values": tuple(float(x) for x in values)}


def _field_repr(obj, labels: dict[str, str], context: str | None = None) -> str:
    """``Class(field=value, ...)`` exactly as a dataclass repr; in Chinese each field in ``labels``
    is followed by its label (marked with ``N_``, or ``NP_`` in ``context``, by the caller) translated now:
    ``price=26.0（价格 P）``."""
    from dataclasses import fields

    parts = []
    for f in fields(obj):
        if not f.repr:
            continue
        text = f"{f.name}={getattr(obj, f.name)!r}"
        if f.name not in labels:
            shown = None
        else:
            shown = _(labels[f.name]) if context is None else pgettext(context, labels[f.name])
        if shown is not None and shown != labels[f.name]:  # translated: name the field in words
            if shown.endswith("）") and "（" in shown:  # "开发预算（元）" -> "开发预算，元": no nested brackets
                head, _sep, unit = shown[:-1].partition("（")
                shown = f"{head}，{unit}"
            text = f"{text}（{shown}）"
        parts.append(text)
    return f"{type(obj).__qualname__}({', '.join(parts)})"
