"""PLS path modelling (Wold's algorithm, Lohmöller's iteration), as in R ``plspm``.

The public entry point is :func:`crmlib.satisfaction.pls_path_model`; this private module
holds the numerical engine so that the chapter module stays readable.

Algorithm (Wold 1982; Lohmöller 1989; Tenenhaus, Esposito Vinzi, Chatelin & Lauro 2005,
section 2; the same steps, conventions and stopping rule as Sanchez's R package ``plspm``
0.4.x, function ``get_weights``):

1. Treat the indicators: centre them (``scaled=False``) or standardise them with the
   population standard deviation (``scaled=True``). Call the result :math:`X`.
2. Start with unit outer weights per block, rescaled so that each outer estimate
   :math:`Y_j = X_j w_j` has (population) variance 1.
3. Repeat: standardise the outer estimates :math:`Y`; compute inner weights :math:`E`
   (centroid: sign of the correlation of adjacent constructs; factorial: the
   correlation; path: regression weights on predecessors, correlations with
   successors); inner estimates :math:`Z = Y E`; new outer weights, Mode A
   :math:`w_j = X_j^\\top Z_j / n` (covariances) or Mode B the least-squares coefficients
   of :math:`Z_j` on :math:`X_j`. Stop when
   :math:`\\sum_h (|w_h^{old}| - |w_h^{new}|)^2 < \\text{tol}`.
4. Rescale the weights so that each score :math:`Y_j = X_j w_j` has population variance 1,
   fix the sign of each score so that it correlates positively with most of its indicators,
   and estimate the path coefficients by ordinary least squares of each endogenous score on
   its predecessors.

Loadings are the correlations between indicators and their construct's score; AVE is the
mean communality of a Mode A block (Fornell & Larcker 1981); the GoF index is
:math:`\\sqrt{\\overline{\\text{communality}} \\cdot \\overline{R^2}}`, the communality mean taken
over the indicators of blocks with more than one indicator and the :math:`R^2` mean over
the endogenous constructs (Tenenhaus et al. 2005, eq. 25; as in ``plspm::get_gof``).

The fit returns :class:`PLSResult`, crmlib's result protocol (:class:`crmlib.results.FitResult`).
When the iteration stops at ``maxiter`` before meeting ``tol`` the result says so
(``converged=False`` and the last change in its ``message``) and a
:class:`crmlib.results.ConvergenceWarning` is issued; bootstrap resamples that do not converge
are redrawn, as in ``plspm``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from . import _validate as v
from .i18n import N_, translate_frame
from .i18n import gettext as _
from .results import FitResult, check_level, warn_if_not_converged

SCHEMES = ("centroid", "factorial", "path")
MODES = ("A", "B")
#: Largest ``maxiter`` and ``bootstrap`` accepted (larger values would run for hours).
MAX_ITER = 100_000
MAX_RESAMPLES = 100_000
#: Fewest observations a bootstrap (or permutation) accepts: resamples of fewer rows are mostly
#: ties and constant columns, and their percentiles mean little.
MIN_RESAMPLE_ROWS = 10


# --------------------------------------------------------------------------------------
# specification checks
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    constructs: tuple[str, ...]
    indicators: tuple[str, ...]
    block_index: np.ndarray  # construct position of each indicator
    paths: tuple[tuple[str, str], ...]
    inner: np.ndarray  # inner[i, j] = 1 when construct j -> construct i
    modes: tuple[str, ...]


def _check_spec(data, blocks, paths, modes) -> _Spec:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of indicators; got {type(data).__name__}")
    if not isinstance(blocks, dict) or not blocks:
        raise TypeError(
            f"blocks must be a non-empty dict mapping construct name -> list of column names; got {blocks!r}"
        )
    constructs = tuple(str(k) for k in blocks)
    indicators: list[str] = []
    block_index: list[int] = []
    for j, (name, cols) in enumerate(blocks.items()):
        if isinstance(cols, str) or not hasattr(cols, "__iter__"):
            raise TypeError(f"blocks[{name!r}] must be a list of column names; got {cols!r}")
        cols = list(cols)
        if not cols:
            raise ValueError(f"blocks[{name!r}] must list at least one column; got []")
        missing = [c for c in cols if c not in data.columns]
        if missing:
            raise ValueError(
                f"blocks[{name!r}] names column(s) {missing} that are not in data; data has {list(data.columns)}"
            )
        for c in cols:
            if c in indicators:
                raise ValueError(
                    f"blocks: column {c!r} is used in more than one block "
                    f"(again in {name!r}); each indicator belongs to one construct"
                )
            indicators.append(c)
            block_index.append(j)
    values = data[indicators]
    non_numeric = [c for c in indicators if not pd.api.types.is_numeric_dtype(values[c])]
    if non_numeric:
        raise TypeError(f"data columns {non_numeric} used in blocks must be numeric")
    arr = values.to_numpy(dtype=float)
    owner = {c: constructs[b] for c, b in zip(indicators, block_index)}
    if not np.isfinite(arr).all():
        finite = np.isfinite(arr)
        bad = [c for c, ok in zip(indicators, finite.all(axis=0)) if not ok]
        shown = ", ".join(
            f"{c!r} in block {owner[c]!r} ({int((~finite[:, indicators.index(c)]).sum())} rows, first at "
            f"row {data.index[int(np.flatnonzero(~finite[:, indicators.index(c)])[0])]!r})"
            for c in bad
        )
        raise ValueError(
            f"data: indicator column(s) {shown} contain missing or non-finite values; PLS path modelling "
            "here needs complete data: drop those rows (data.dropna()) or impute the values deliberately"
        )
    if len(arr) < 3:
        raise ValueError(f"data must have at least 3 rows; got {len(arr)}")
    sd = arr.std(axis=0)
    constant = [c for c, s in zip(indicators, sd) if not s > 0]
    if constant:
        shown = ", ".join(f"{c!r} in block {owner[c]!r}" for c in constant)
        raise ValueError(
            f"blocks: indicator column(s) {shown} are constant (zero variance); "
            "a constant indicator carries no information: drop it from its block"
        )

    if isinstance(paths, (str, bytes)) or not hasattr(paths, "__iter__"):
        raise TypeError(f"paths must be a list of (from, to) pairs; got {paths!r}")
    paths = [tuple(p) for p in paths]
    if not paths:
        raise ValueError("paths must contain at least one (from, to) pair; got []")
    q = len(constructs)
    pos = {c: i for i, c in enumerate(constructs)}
    inner = np.zeros((q, q))
    for p in paths:
        if len(p) != 2:
            raise ValueError(f"paths must be (from, to) pairs; got {p!r}")
        a, b = p
        for end in (a, b):
            if end not in pos:
                raise ValueError(
                    f"paths: construct {end!r} in {p!r} is not a key of blocks; known constructs are {list(constructs)}"
                )
        if a == b:
            raise ValueError(f"paths: a construct cannot point to itself; got {p!r}")
        if inner[pos[b], pos[a]]:
            raise ValueError(f"paths: {p!r} is listed twice")
        inner[pos[b], pos[a]] = 1.0
    # acyclic? (repeatedly remove constructs without predecessors)
    remaining = set(range(q))
    while remaining:
        free = [i for i in remaining if not any(inner[i, j] for j in remaining)]
        if not free:
            raise ValueError(
                "paths: the structural model has a cycle among "
                f"{sorted(constructs[i] for i in remaining)}; it must be recursive"
            )
        remaining -= set(free)
    lonely = [constructs[i] for i in range(q) if not inner[i].any() and not inner[:, i].any()]
    if lonely:
        raise ValueError(
            f"paths: construct(s) {lonely} take part in no path; every construct of "
            "blocks must be connected to the structural model"
        )

    if modes is None:
        modes = {c: "A" for c in constructs}
    if not isinstance(modes, dict):
        raise TypeError(f"modes must be a dict construct -> 'A' or 'B' (or None); got {modes!r}")
    unknown = [k for k in modes if k not in pos]
    if unknown:
        raise ValueError(f"modes names construct(s) {unknown} that are not keys of blocks {list(constructs)}")
    mode_list = []
    for c in constructs:
        m = modes.get(c, "A")
        if m not in MODES:
            raise ValueError(f"modes[{c!r}] must be 'A' (reflective) or 'B' (formative); got {m!r}")
        mode_list.append(m)
    _check_block_collinearity(arr, constructs, indicators, np.asarray(block_index), mode_list)
    return _Spec(constructs, tuple(indicators), np.asarray(block_index), tuple(paths), inner, tuple(mode_list))


class CollinearityWarning(UserWarning):
    """Indicators of a block, or antecedents of a construct, are (nearly) linearly dependent."""


#: Largest condition number of a block's correlation matrix before its indicators count as
#: linearly dependent (an exact duplicate or a sum of other columns, up to rounding).
SINGULAR_CONDITION = 1e10


def _check_block_collinearity(arr, constructs, indicators, block_index, modes) -> None:
    """Refuse Mode B blocks whose indicators are linearly dependent; warn for Mode A blocks.

    Mode B weights are multiple-regression coefficients: with a singular block they are not
    identified (any of infinitely many weight vectors fits), so the fit is refused. A Mode A
    block with dependent indicators still has weights (covariances), but one indicator repeats
    the others and its outer VIF is infinite: a :class:`CollinearityWarning` names it.
    """
    import warnings

    for j, name in enumerate(constructs):
        idx = np.flatnonzero(block_index == j)
        if idx.size < 2:
            continue
        corr = np.corrcoef(arr[:, idx], rowvar=False)
        eig = np.linalg.eigvalsh(corr)
        if eig[0] > eig[-1] / SINGULAR_CONDITION:
            continue
        cols = [indicators[i] for i in idx]
        # name the columns that take part in the dependence (the smallest eigenvector's support)
        vec = np.linalg.eigh(corr)[1][:, 0]
        involved = [c for c, x in zip(cols, vec) if abs(x) > 1e-6]
        what = (
            f"blocks[{name!r}]: indicator columns {involved} are linearly dependent (one is an exact "
            "combination of the others, e.g. a duplicated column)"
        )
        if modes[j] == "B":
            raise ValueError(
                f"{what}; Mode B weights are regression coefficients and are not identified: drop one of them"
            )
        warnings.warn(
            f"{what}; the block's outer VIF is infinite: drop the redundant indicator",
            CollinearityWarning,
            stacklevel=4,
        )


# --------------------------------------------------------------------------------------
# the algorithm on arrays
# --------------------------------------------------------------------------------------
def _treat(raw: np.ndarray, scaled: bool) -> np.ndarray:
    x = raw - raw.mean(axis=0)
    if scaled:
        x = x / raw.std(axis=0)  # population SD, as plspm::get_treated_data
    return x


def _pstd(a: np.ndarray) -> np.ndarray:
    return a.std(axis=0)


def _inner_weights(y: np.ndarray, inner: np.ndarray, scheme: str) -> np.ndarray:
    adj = inner + inner.T
    if scheme == "centroid":
        return np.sign(np.corrcoef(y, rowvar=False) * adj)
    if scheme == "factorial":
        return np.corrcoef(y, rowvar=False) * adj
    q = inner.shape[0]
    e = np.zeros((q, q))
    for k in range(q):
        pred = np.flatnonzero(inner[k])
        if pred.size:
            coef, *_ = np.linalg.lstsq(y[:, pred], y[:, k], rcond=None)
            e[pred, k] = coef
        succ = np.flatnonzero(inner[:, k])
        if succ.size:
            c = np.corrcoef(y[:, [k, *succ]], rowvar=False)[0, 1:]
            e[succ, k] = c
    return e


def _outer_weights(x, spec: _Spec, scheme: str, tol: float, maxiter: int):
    n = x.shape[0]
    q = len(spec.constructs)
    odm = np.zeros((x.shape[1], q))
    odm[np.arange(x.shape[1]), spec.block_index] = 1.0
    w = odm / _pstd(x @ odm)
    w_old = w.sum(axis=1)
    blocks = [np.flatnonzero(spec.block_index == j) for j in range(q)]
    iteration = 1
    converged = False
    while True:
        y = x @ w
        y = (y - y.mean(axis=0)) / _pstd(y)
        z = y @ _inner_weights(y, spec.inner, scheme)
        for j, idx in enumerate(blocks):
            xj = x[:, idx]
            if spec.modes[j] == "A":
                w[idx, j] = xj.T @ z[:, j] / n
            else:
                w[idx, j] = np.linalg.lstsq(xj, z[:, j], rcond=None)[0]
        w_new = w.sum(axis=1)
        change = float(np.sum((np.abs(w_old) - np.abs(w_new)) ** 2))
        if change < tol:
            converged = True
            break
        if iteration >= maxiter:
            break
        w_old = w_new
        iteration += 1
    w = w / _pstd(x @ w)
    return w, iteration, converged, change


def _fit_arrays(raw, spec: _Spec, scheme, scaled, tol, maxiter):
    """Fit on a raw indicator matrix; return a dict of numpy results (used by fit and bootstrap)."""
    x = _treat(raw, scaled)
    w, iteration, converged, change = _outer_weights(x, spec, scheme, tol, maxiter)
    scores = x @ w
    q = len(spec.constructs)
    # sign ambiguity: a score should correlate positively with most of its own indicators
    xs = (x - x.mean(axis=0)) / _pstd(x)
    ss = (scores - scores.mean(axis=0)) / _pstd(scores)
    xcor = xs.T @ ss / len(x)  # cor(X, scores), p x q
    own = xcor[np.arange(x.shape[1]), spec.block_index]
    for j in range(q):
        if np.sign(own[spec.block_index == j]).sum() <= 0:
            scores[:, j] *= -1
            w[:, j] *= -1
            xcor[:, j] *= -1
    loadings = xcor[np.arange(x.shape[1]), spec.block_index]
    # path coefficients: OLS of each endogenous score on its predecessors (with intercept;
    # the scores have mean 0, so the intercept is 0)
    path = np.zeros((q, q))
    r2 = np.zeros(q)
    for k in range(q):
        pred = np.flatnonzero(spec.inner[k])
        if pred.size:
            coef, *_ = np.linalg.lstsq(scores[:, pred], scores[:, k], rcond=None)
            path[k, pred] = coef
            resid = scores[:, k] - scores[:, pred] @ coef
            r2[k] = 1 - resid @ resid / (scores[:, k] @ scores[:, k])
    # total effects: B + B^2 + ... = (I - B)^-1 - I (B nilpotent for a recursive model)
    total = np.linalg.inv(np.eye(q) - path) - np.eye(q)
    return {
        "weights": w[np.arange(x.shape[1]), spec.block_index],
        "loadings": loadings,
        "path": path,
        "r2": r2,
        "total": total,
        "scores": scores,
        "iterations": iteration,
        "converged": converged,
        "change": change,
    }


def _reachable(inner: np.ndarray) -> np.ndarray:
    q = inner.shape[0]
    reach = inner.copy().astype(bool)
    for _step in range(q):
        reach = reach | (reach.astype(float) @ inner.astype(float) > 0)
    return reach  # reach[i, j]: a directed path j -> ... -> i


def _label(a: str, b: str) -> str:
    return f"{a} -> {b}"


# --------------------------------------------------------------------------------------
# a model's design: what is needed to fit it again on other rows (bootstrap, folds, groups)
# --------------------------------------------------------------------------------------
INTERACTION_METHODS = ("two_stage", "product_indicator")


@dataclass(frozen=True)
class Interaction:
    """A moderation term ``predictor x moderator`` (construct name ``"predictor*moderator"``).

    ``two_stage``: the product of the two constructs' standardised scores from the model
    without interaction terms, a single-indicator construct (Chin, Marcolin & Newsted 2003;
    Henseler & Chin 2010; seminr's ``two_stage``). ``product_indicator``: every product of a
    standardised indicator of the predictor with one of the moderator, a Mode A block (Chin et
    al. 2003; seminr's ``product_indicator``).
    """

    predictor: str
    moderator: str
    method: str

    @property
    def name(self) -> str:
        return f"{self.predictor}*{self.moderator}"


def _zscore(a: np.ndarray) -> np.ndarray:
    return (a - a.mean(axis=0)) / a.std(axis=0)


@dataclass(frozen=True, eq=False)
class Design:
    """The specification of a fitted model, able to fit it again on a subset of rows.

    ``base_spec`` describes the model without interaction terms (the first stage of a two-stage
    interaction), ``spec`` the full model; the indicators of ``spec`` are those of ``base_spec``
    followed by the interaction terms' columns, so a row subset of the base indicators is all a
    refit needs.
    """

    base_spec: _Spec
    spec: _Spec
    scheme: str
    scaled: bool
    tol: float
    maxiter: int
    interactions: tuple = ()

    @property
    def n_base(self) -> int:
        return len(self.base_spec.indicators)

    def interaction_columns(self, raw_base: np.ndarray):
        """Columns of the interaction terms for rows ``raw_base`` (None if stage 1 fails)."""
        cols, names = [], []
        stage1 = None
        pos = {c: i for i, c in enumerate(self.base_spec.constructs)}
        for term in self.interactions:
            if term.method == "two_stage":
                if stage1 is None:
                    stage1 = _fit_arrays(raw_base, self.base_spec, self.scheme, self.scaled, self.tol, self.maxiter)
                    if not stage1["converged"]:
                        return None, None
                sc = _zscore(stage1["scores"])
                cols.append((sc[:, pos[term.predictor]] * sc[:, pos[term.moderator]])[:, None])
                names.append([f"{term.name}"])
            else:
                z = _zscore(raw_base)
                a = np.flatnonzero(self.base_spec.block_index == pos[term.predictor])
                b = np.flatnonzero(self.base_spec.block_index == pos[term.moderator])
                cols.append(np.column_stack([z[:, i] * z[:, k] for i in a for k in b]))
                names.append([f"{self.base_spec.indicators[i]}*{self.base_spec.indicators[k]}" for i in a for k in b])
        return cols, names

    def full_arrays(self, raw_base: np.ndarray):
        """The full indicator matrix (base columns, then interaction columns), or None."""
        if not self.interactions:
            return raw_base
        cols, _ = self.interaction_columns(raw_base)
        if cols is None:
            return None
        return np.column_stack([raw_base, *cols])

    def refit(self, raw_base: np.ndarray):
        """Fit the model on rows ``raw_base``; None when a column is constant or a fit did not converge."""
        if not (raw_base.std(axis=0) > 0).all():
            return None
        raw = self.full_arrays(raw_base)
        if raw is None or not (raw.std(axis=0) > 0).all():
            return None
        res = _fit_arrays(raw, self.spec, self.scheme, self.scaled, self.tol, self.maxiter)
        if not res["converged"]:
            return None
        res["raw"] = raw
        return res


# --------------------------------------------------------------------------------------
# result record
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class PLSResult(FitResult):
    """Result of :func:`crmlib.satisfaction.pls_path_model`: the one result protocol of crmlib.

    The estimates (``params``) are the path coefficients, labelled ``"from -> to"`` (e.g.
    ``"IMAG -> EXPE"``) in the order of ``paths``. PLS has no likelihood (``log_likelihood``
    is ``None``); its standard errors and intervals come from the bootstrap: with
    ``bootstrap > 0`` resamples, ``standard_errors`` are the bootstrap standard deviations and
    ``conf_int(level)`` the bootstrap percentile intervals at any ``level``; without a
    bootstrap both are NaN. ``converged``, ``iterations`` and ``message`` describe Lohmöller's
    iteration of the outer weights. ``summary()`` is a DataFrame (the ``z`` column divides an
    estimate by its bootstrap standard error, the "bootstrap t" of ``plspm`` and ``seminr``);
    the text ``repr`` adds the constructs' R², communality and AVE and the GoF.

    Attributes
    ----------
    path_coefficients : pandas.Series
        The same estimates as ``params``, indexed by the pairs ``(from, to)`` (a fresh copy).
    paths : tuple of (str, str)
        The structural paths, in the order of ``params``.
    r_squared : pandas.Series
        :math:`R^2` of each construct (0 for exogenous constructs, as in ``plspm``).
    total_effects : pandas.Series
        Direct plus indirect effects, indexed by ``(from, to)`` for every pair joined by a
        directed path.
    outer_weights, outer_loadings, communality : pandas.Series
        Per indicator; weights apply to the treated (centred or standardised) indicators.
    ave : pandas.Series
        Average variance extracted per construct (NaN for Mode B blocks).
    gof : float
        Goodness-of-fit index of Tenenhaus et al. (2005).
    scores : pandas.DataFrame
        Construct scores (mean 0, population variance 1), on the data's index.
    modes, scheme, scaled
        The specification fitted.
    bootstrap : pandas.DataFrame or None
        The bootstrap summary of the path coefficients (``original``, ``mean``, ``std_error``,
        ``lower``, ``upper`` at ``level``), indexed by ``(from, to)``; None without a bootstrap.
    bootstrap_draws : numpy.ndarray or None
        The resampled path coefficients (resamples x paths) behind ``conf_int``.
    level : float
        Confidence level of the ``bootstrap`` table's ``lower`` and ``upper``.
    data : pandas.DataFrame
        The indicator columns the model was fitted on (interaction terms' columns included),
        on the data's index: what :mod:`crmlib.pls` assesses.
    design : Design
        The specification, for refits on other rows (bootstrap, folds, groups).
    blocks : dict
        Construct -> indicator columns, as fitted.
    """

    paths: tuple
    r_squared: pd.Series
    total_effects: pd.Series
    outer_weights: pd.Series
    outer_loadings: pd.Series
    communality: pd.Series
    ave: pd.Series
    gof: float
    scores: pd.DataFrame = field(compare=False)
    modes: tuple
    scheme: str
    scaled: bool
    bootstrap: pd.DataFrame | None = None
    bootstrap_draws: np.ndarray | None = field(default=None, compare=False)
    level: float = 0.95
    data: pd.DataFrame | None = field(default=None, compare=False)
    design: Design | None = field(default=None, compare=False)

    model_name: ClassVar[str] = N_("PLS path model")

    @property
    def blocks(self) -> dict:
        """Construct -> tuple of indicator columns, as fitted (interaction terms included)."""
        spec = self.design.spec
        return {
            c: tuple(spec.indicators[i] for i in np.flatnonzero(spec.block_index == j))
            for j, c in enumerate(spec.constructs)
        }

    @property
    def path_coefficients(self) -> pd.Series:
        """Path coefficients indexed by ``(from, to)`` (a fresh Series on every access)."""
        return pd.Series(
            self.param_values,
            index=pd.MultiIndex.from_tuples(self.paths, names=["from", "to"]),
            name="path_coefficient",
            dtype=float,
        )

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Bootstrap percentile intervals at confidence ``level`` (NaN without a bootstrap)."""
        level = check_level(level)
        if self.bootstrap_draws is None:
            return super().conf_int(level)
        alpha = (1 - level) / 2
        draws = np.asarray(self.bootstrap_draws, dtype=float)
        index = pd.Index(self.param_names, name="parameter")
        return pd.DataFrame(
            {"lower": np.quantile(draws, alpha, axis=0), "upper": np.quantile(draws, 1 - alpha, axis=0)}, index=index
        )

    def inner_summary(self) -> pd.DataFrame:
        """Per construct: mode, R², mean communality (block communality) and AVE."""
        blocks = self.outer_loadings.index.get_level_values("construct")
        comm = self.communality.groupby(blocks, sort=False).mean()
        names = list(self.r_squared.index)
        return pd.DataFrame(
            {
                "mode": list(self.modes),
                "r_squared": self.r_squared.values,
                "block_communality": comm.reindex(names).values,
                "ave": self.ave.reindex(names).values,
            },
            index=pd.Index(names, name="construct"),
        )

    def _header(self) -> str:
        treated = _("standardised") if self.scaled else _("centred")
        status = (
            _("converged in {iterations} iterations")
            if self.converged
            else _("NOT converged after {iterations} iterations")
        ).format(iterations=self.iterations)
        return _(
            "{cls}: {model} ({scheme} scheme, {treated} indicators, "
            "{constructs} constructs, {indicators} indicators), n = {n_obs:,}, "
            "{status}"
        ).format(
            cls=type(self).__name__,
            model=_(self.model_name),
            scheme=_(self.scheme),
            treated=treated,
            constructs=len(self.r_squared),
            indicators=len(self.outer_weights),
            n_obs=self.n_obs,
            status=status,
        )

    def __repr__(self) -> str:
        lines = [self._header(), ""]
        if self.bootstrap_draws is not None:
            lines.append(
                _("Path coefficients (bootstrap: {resamples} resamples, {level:.0%} percentile intervals):").format(
                    resamples=len(self.bootstrap_draws), level=self.level
                )
            )
            ci = self.conf_int(self.level)
        else:
            lines.append(_("Path coefficients (no bootstrap: no standard errors or intervals):"))
            ci = None
        width = max(len(name) for name in self.param_names)
        for i, (name, est) in enumerate(zip(self.param_names, self.param_values)):
            extra = "" if ci is None else f"   [{ci['lower'].iloc[i]: .4f}, {ci['upper'].iloc[i]: .4f}]"
            lines.append(f"  {name:<{width}}  {est: .4f}{extra}")
        lines += [
            "",
            _("Constructs:"),
            translate_frame(self.inner_summary().round(4)).to_string(),
            "",
            f"GoF = {self.gof:.4f}",
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return (
            f"<p><b>{_(self.model_name)}</b>: {self._header()}</p>{translate_frame(self.summary().round(4)).to_html()}"
            f"{translate_frame(self.inner_summary().round(4)).to_html()}<p>GoF = {self.gof:.4f}</p>"
        )


def fit(
    data,
    blocks,
    paths,
    *,
    modes=None,
    scheme="centroid",
    scaled=True,
    tol=1e-6,
    maxiter=100,
    bootstrap=0,
    rng=None,
    level=0.95,
    progress=True,
    interactions=(),
) -> PLSResult:
    """Engine behind :func:`crmlib.satisfaction.pls_path_model` (see its docstring).

    ``interactions`` (used by :func:`crmlib.pls.moderation`) is a tuple of :class:`Interaction`;
    their constructs are appended to ``blocks`` (Mode A) and ``paths`` must already contain
    the paths from ``"predictor*moderator"`` to its outcomes.
    """
    names_i = {t.name for t in interactions}
    base_paths = [tuple(p) for p in paths if tuple(p)[0] not in names_i] if interactions else paths
    base_spec = _check_spec(data, blocks, base_paths, modes)
    v.one_of("scheme", scheme, SCHEMES)
    if not isinstance(scaled, (bool, np.bool_)):
        raise TypeError(f"scaled must be True or False; got {scaled!r}")
    tol = v.in_range("tol", tol, 0, 1e-3, low_open=True)
    maxiter = v.integer("maxiter", maxiter, minimum=1, maximum=MAX_ITER)
    bootstrap = v.integer("bootstrap", bootstrap, minimum=0, maximum=MAX_RESAMPLES)
    level = check_level(level)
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True or False; got {progress!r}")
    if bootstrap:
        if bootstrap < 10:
            raise ValueError(f"bootstrap must be 0 (none) or at least 10 resamples; got {bootstrap}")
        if len(data) < MIN_RESAMPLE_ROWS:
            raise ValueError(
                f"bootstrap: data has only {len(data)} rows; a bootstrap needs at least "
                f"{MIN_RESAMPLE_ROWS} observations (set bootstrap=0)"
            )
        if not isinstance(rng, np.random.Generator):
            raise TypeError(
                f"rng must be a numpy.random.Generator when bootstrap={bootstrap} resamples are "
                f"asked for, e.g. rng=numpy.random.default_rng(42); got {rng!r}"
            )
    elif rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator or None (it is used only by the bootstrap); got {rng!r}")

    raw_base = data[list(base_spec.indicators)].to_numpy(dtype=float)
    if interactions:
        stub = Design(base_spec, base_spec, scheme, bool(scaled), tol, maxiter, tuple(interactions))
        cols, col_names = stub.interaction_columns(raw_base)
        if cols is None:
            raise ValueError(
                "interaction: the first-stage model (without interaction terms) did not converge; "
                f"raise maxiter (now {maxiter})"
            )
        frame = data[list(base_spec.indicators)].copy()
        full_blocks = {
            c: list(base_spec.indicators[i] for i in np.flatnonzero(base_spec.block_index == j))
            for j, c in enumerate(base_spec.constructs)
        }
        for term, block, names in zip(interactions, cols, col_names):
            clash = [c for c in names if c in frame.columns]
            if clash:
                raise ValueError(f"interaction {term.name!r}: its column name(s) {clash} are already in data")
            for k, c in enumerate(names):
                frame[c] = block[:, k]
            full_blocks[term.name] = names
        full_modes = dict(zip(base_spec.constructs, base_spec.modes))
        full_modes.update({t.name: "A" for t in interactions})
        spec = _check_spec(frame, full_blocks, paths, full_modes)
    else:
        frame = data[list(base_spec.indicators)].copy()
        spec = base_spec
    design = Design(base_spec, spec, scheme, bool(scaled), tol, maxiter, tuple(interactions))
    raw = frame[list(spec.indicators)].to_numpy(dtype=float)
    res = _fit_arrays(raw, spec, scheme, bool(scaled), tol, maxiter)
    if res["converged"]:
        message = (
            f"the sum of squared changes of the outer weights fell to {res['change']:.3g}, below "
            f"tol={tol:g}, after {res['iterations']} iterations"
        )
    else:
        message = (
            f"Lohmöller's iteration reached maxiter={maxiter} with the sum of squared changes of the "
            f"outer weights at {res['change']:.3g}, above tol={tol:g}"
        )
    q = len(spec.constructs)
    names = list(spec.constructs)
    pos = {c: i for i, c in enumerate(names)}
    coefs = [res["path"][pos[b], pos[a]] for a, b in spec.paths]
    reach = _reachable(spec.inner)
    order = _topological(spec.inner)
    pairs = [(names[j], names[i]) for j in order for i in order if reach[i, j]]
    total = pd.Series(
        [res["total"][pos[b], pos[a]] for a, b in pairs],
        index=pd.MultiIndex.from_tuples(pairs, names=["from", "to"]),
        name="total_effect",
    )
    ind_index = pd.MultiIndex.from_arrays(
        [[names[b] for b in spec.block_index], list(spec.indicators)], names=["construct", "indicator"]
    )
    loadings = pd.Series(res["loadings"], index=ind_index, name="loading")
    weights = pd.Series(res["weights"], index=ind_index, name="weight")
    communality = (loadings**2).rename("communality")
    ave = pd.Series(
        [communality.iloc[spec.block_index == j].mean() if spec.modes[j] == "A" else np.nan for j in range(q)],
        index=pd.Index(names, name="construct"),
        name="ave",
    )
    r2 = pd.Series(res["r2"], index=pd.Index(names, name="construct"), name="r_squared")
    sizes = np.bincount(spec.block_index, minlength=q)
    multi = sizes[spec.block_index] > 1
    endo = spec.inner.any(axis=1)
    gof = float(np.sqrt(communality.to_numpy()[multi].mean() * res["r2"][endo].mean()))
    scores = pd.DataFrame(res["scores"], index=data.index, columns=names)

    boot_table = draws = se = None
    if bootstrap:
        draws = _bootstrap(design, raw_base, bootstrap, rng, progress)
        se = draws.std(axis=0, ddof=1)
        alpha = (1 - level) / 2
        boot_table = pd.DataFrame(
            {
                "original": coefs,
                "mean": draws.mean(axis=0),
                "std_error": se,
                "lower": np.quantile(draws, alpha, axis=0),
                "upper": np.quantile(draws, 1 - alpha, axis=0),
            },
            index=pd.MultiIndex.from_tuples(spec.paths, names=["from", "to"]),
        )
    result = PLSResult(
        param_names=tuple(_label(a, b) for a, b in spec.paths),
        param_values=tuple(coefs),
        n_obs=len(raw),
        converged=bool(res["converged"]),
        message=message,
        iterations=int(res["iterations"]),
        log_likelihood=None,
        se_values=None if se is None else tuple(se),
        paths=tuple(spec.paths),
        r_squared=r2,
        total_effects=total,
        outer_weights=weights,
        outer_loadings=loadings,
        communality=communality,
        ave=ave,
        gof=gof,
        scores=scores,
        modes=spec.modes,
        scheme=scheme,
        scaled=bool(scaled),
        bootstrap=boot_table,
        bootstrap_draws=draws,
        level=level,
        data=frame,
        design=design,
    )
    warn_if_not_converged(
        result,
        stacklevel=4,
        advice=(
            "Raise maxiter (R plspm's default is 100) or tol; if it still does not converge, check the model: "
            "a block whose indicators do not hang together, or Mode B on nearly collinear indicators, "
            "can make the weights oscillate"
        ),
    )
    return result


def _topological(inner: np.ndarray) -> list[int]:
    q = inner.shape[0]
    order, remaining = [], list(range(q))
    while remaining:
        free = [i for i in remaining if not any(inner[i, j] for j in remaining)]
        order += free
        remaining = [i for i in remaining if i not in free]
    return order


def bootstrap_rows(n: int, reps: int, rng, refit, progress: bool, *, what: str = "bootstrap", maxiter=None):
    """Draw ``reps`` bootstrap resamples of ``n`` rows and refit each; redraw failed resamples.

    ``refit(idx)`` returns the fit of rows ``idx`` or None (a constant column in the resample or a
    fit that did not converge: redrawn, as ``plspm::get_boots`` does). Returns the list of fits.
    """
    from tqdm.auto import tqdm

    fits = []
    attempts, limit = 0, 10 * reps + 100
    with tqdm(total=reps, desc=what, disable=not progress, leave=False) as bar:
        while len(fits) < reps:
            attempts += 1
            if attempts > limit:
                hint = f"raise maxiter (now {maxiter}) or " if maxiter is not None else ""
                raise ValueError(
                    f"{what}: only {len(fits)} of {attempts - 1} resamples gave a converged fit "
                    f"with no constant indicator (wanted {reps}); {hint}use more respondents "
                    f"(data has {n} rows)"
                )
            idx = rng.integers(0, n, size=n)
            res = refit(idx)
            if res is None:
                continue
            fits.append(res)
            bar.update(1)
    return fits


def _bootstrap(design: Design, raw_base, reps, rng, progress) -> np.ndarray:
    """Path coefficients of ``reps`` resamples (rows) that converged, as plspm::get_boots."""
    spec = design.spec
    pos = {c: i for i, c in enumerate(spec.constructs)}
    cells = [(pos[b], pos[a]) for a, b in spec.paths]
    fits = bootstrap_rows(
        raw_base.shape[0], reps, rng, lambda idx: design.refit(raw_base[idx]), progress, maxiter=design.maxiter
    )
    return np.asarray([[res["path"][c] for c in cells] for res in fits], dtype=float)
