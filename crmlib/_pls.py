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
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SCHEMES = ("centroid", "factorial", "path")
MODES = ("A", "B")


# --------------------------------------------------------------------------------------
# specification checks
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    constructs: tuple[str, ...]
    indicators: tuple[str, ...]
    block_index: np.ndarray          # construct position of each indicator
    paths: tuple[tuple[str, str], ...]
    inner: np.ndarray                # inner[i, j] = 1 when construct j -> construct i
    modes: tuple[str, ...]


def _check_spec(data, blocks, paths, modes) -> _Spec:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of indicators; got {type(data).__name__}")
    if not isinstance(blocks, dict) or not blocks:
        raise TypeError("blocks must be a non-empty dict mapping construct name -> list of column "
                        f"names; got {blocks!r}")
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
            raise ValueError(f"blocks[{name!r}] names column(s) {missing} that are not in data; "
                             f"data has {list(data.columns)}")
        for c in cols:
            if c in indicators:
                raise ValueError(f"blocks: column {c!r} is used in more than one block "
                                 f"(again in {name!r}); each indicator belongs to one construct")
            indicators.append(c)
            block_index.append(j)
    values = data[indicators]
    non_numeric = [c for c in indicators if not pd.api.types.is_numeric_dtype(values[c])]
    if non_numeric:
        raise TypeError(f"data columns {non_numeric} used in blocks must be numeric")
    arr = values.to_numpy(dtype=float)
    if not np.isfinite(arr).all():
        bad = [c for c, ok in zip(indicators, np.isfinite(arr).all(axis=0)) if not ok]
        raise ValueError(f"data columns {bad} contain missing or non-finite values; "
                         "PLS path modelling here needs complete data")
    if len(arr) < 3:
        raise ValueError(f"data must have at least 3 rows; got {len(arr)}")
    sd = arr.std(axis=0)
    constant = [c for c, s in zip(indicators, sd) if not s > 0]
    if constant:
        owner = {c: constructs[b] for c, b in zip(indicators, block_index)}
        shown = ", ".join(f"{c!r} in block {owner[c]!r}" for c in constant)
        raise ValueError(f"blocks: indicator column(s) {shown} are constant (zero variance); "
                         "a constant indicator carries no information: drop it from its block")

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
                raise ValueError(f"paths: construct {end!r} in {p!r} is not a key of blocks; "
                                 f"known constructs are {list(constructs)}")
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
            raise ValueError("paths: the structural model has a cycle among "
                             f"{sorted(constructs[i] for i in remaining)}; it must be recursive")
        remaining -= set(free)
    lonely = [constructs[i] for i in range(q) if not inner[i].any() and not inner[:, i].any()]
    if lonely:
        raise ValueError(f"paths: construct(s) {lonely} take part in no path; every construct of "
                         "blocks must be connected to the structural model")

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
    return _Spec(constructs, tuple(indicators), np.asarray(block_index), tuple(paths), inner,
                 tuple(mode_list))


# --------------------------------------------------------------------------------------
# the algorithm on arrays
# --------------------------------------------------------------------------------------
def _treat(raw: np.ndarray, scaled: bool) -> np.ndarray:
    x = raw - raw.mean(axis=0)
    if scaled:
        x = x / raw.std(axis=0)          # population SD, as plspm::get_treated_data
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
        if np.sum((np.abs(w_old) - np.abs(w_new)) ** 2) < tol:
            converged = True
            break
        if iteration >= maxiter:
            break
        w_old = w_new
        iteration += 1
    w = w / _pstd(x @ w)
    return w, iteration, converged


def _fit_arrays(raw, spec: _Spec, scheme, scaled, tol, maxiter):
    """Fit on a raw indicator matrix; return a dict of numpy results (used by fit and bootstrap)."""
    x = _treat(raw, scaled)
    w, iteration, converged = _outer_weights(x, spec, scheme, tol, maxiter)
    scores = x @ w
    q = len(spec.constructs)
    # sign ambiguity: a score should correlate positively with most of its own indicators
    xs = (x - x.mean(axis=0)) / _pstd(x)
    ss = (scores - scores.mean(axis=0)) / _pstd(scores)
    xcor = xs.T @ ss / len(x)                      # cor(X, scores), p x q
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
    return {"weights": w[np.arange(x.shape[1]), spec.block_index], "loadings": loadings,
            "path": path, "r2": r2, "total": total, "scores": scores,
            "iterations": iteration, "converged": converged}


def _reachable(inner: np.ndarray) -> np.ndarray:
    q = inner.shape[0]
    reach = inner.copy().astype(bool)
    for _ in range(q):
        reach = reach | (reach.astype(float) @ inner.astype(float) > 0)
    return reach                          # reach[i, j]: a directed path j -> ... -> i


# --------------------------------------------------------------------------------------
# result record
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, repr=False)
class PLSResult:
    """Result of :func:`crmlib.satisfaction.pls_path_model` (immutable).

    Attributes
    ----------
    params, path_coefficients : pandas.Series
        Path coefficients indexed by ``(from, to)`` in the order of ``paths``.
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
        Construct scores (mean 0, population variance 1).
    bootstrap : pandas.DataFrame or None
        Path coefficients' bootstrap summary (original, mean, std_error, lower, upper)
        when requested.
    """

    path_coefficients: pd.Series
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
    iterations: int
    n_obs: int
    bootstrap: pd.DataFrame | None = None

    @property
    def params(self) -> pd.Series:
        return self.path_coefficients

    def inner_summary(self) -> pd.DataFrame:
        """Per construct: mode, R², mean communality (block communality) and AVE."""
        blocks = self.outer_loadings.index.get_level_values("construct")
        comm = self.communality.groupby(blocks, sort=False).mean()
        names = list(self.r_squared.index)
        return pd.DataFrame({"mode": list(self.modes), "r_squared": self.r_squared.values,
                             "block_communality": comm.reindex(names).values,
                             "ave": self.ave.reindex(names).values}, index=pd.Index(names, name="construct"))

    def summary(self) -> str:
        """A plain-text report: paths (with bootstrap intervals if any), R², AVE, GoF."""
        lines = [f"PLS path model ({self.scheme} scheme, {'standardised' if self.scaled else 'centred'} "
                 f"indicators), n = {self.n_obs}, {self.iterations} iterations", "",
                 "Path coefficients:"]
        for (a, b), v in self.path_coefficients.items():
            extra = ""
            if self.bootstrap is not None:
                row = self.bootstrap.loc[(a, b)]
                extra = f"   [{row['lower']:.4f}, {row['upper']:.4f}]"
            lines.append(f"  {a:>10} -> {b:<10} {v: .4f}{extra}")
        lines += ["", "Constructs:", self.inner_summary().round(4).to_string(), "",
                  f"GoF = {self.gof:.4f}"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        paths = ", ".join(f"{a}->{b}: {v:.4f}" for (a, b), v in self.path_coefficients.items())
        return (f"PLSResult(constructs={len(self.r_squared)}, indicators={len(self.outer_weights)}, "
                f"n={self.n_obs}, scheme={self.scheme!r}, scaled={self.scaled}, gof={self.gof:.4f}, "
                f"paths={{{paths}}})")


def fit(data, blocks, paths, modes=None, scheme="centroid", scaled=True, tol=1e-6, maxiter=100,
        bootstrap=0, rng=None, level=0.95, progress=True) -> PLSResult:
    """Engine behind :func:`crmlib.satisfaction.pls_path_model` (see its docstring)."""
    from crmlib import _validate as v

    spec = _check_spec(data, blocks, paths, modes)
    v.one_of("scheme", scheme, SCHEMES)
    if not isinstance(scaled, (bool, np.bool_)):
        raise TypeError(f"scaled must be True or False; got {scaled!r}")
    tol = v.in_range("tol", tol, 0, 1e-3, low_open=True)
    maxiter = v.integer("maxiter", maxiter, minimum=1)
    bootstrap = v.integer("bootstrap", bootstrap, minimum=0)
    level = v.in_range("level", level, 0, 1, low_open=True, high_open=True)
    if bootstrap:
        v.rng("rng", rng)
        if bootstrap < 10:
            raise ValueError(f"bootstrap must be 0 (none) or at least 10 resamples; got {bootstrap}")

    raw = data[list(spec.indicators)].to_numpy(dtype=float)
    res = _fit_arrays(raw, spec, scheme, bool(scaled), tol, maxiter)
    if not res["converged"]:
        raise RuntimeError(f"the PLS iteration did not converge in maxiter={maxiter} iterations "
                           f"(tol={tol:g}); raise maxiter or check the model")
    q = len(spec.constructs)
    names = list(spec.constructs)
    pos = {c: i for i, c in enumerate(names)}
    path_index = pd.MultiIndex.from_tuples(spec.paths, names=["from", "to"])
    path_coef = pd.Series([res["path"][pos[b], pos[a]] for a, b in spec.paths], index=path_index,
                          name="path_coefficient")
    reach = _reachable(spec.inner)
    order = _topological(spec.inner)
    pairs = [(names[j], names[i]) for j in order for i in order if reach[i, j]]
    total = pd.Series([res["total"][pos[b], pos[a]] for a, b in pairs],
                      index=pd.MultiIndex.from_tuples(pairs, names=["from", "to"]), name="total_effect")
    ind_index = pd.MultiIndex.from_arrays([[names[b] for b in spec.block_index], list(spec.indicators)],
                                          names=["construct", "indicator"])
    loadings = pd.Series(res["loadings"], index=ind_index, name="loading")
    weights = pd.Series(res["weights"], index=ind_index, name="weight")
    communality = (loadings ** 2).rename("communality")
    ave = pd.Series([communality.iloc[spec.block_index == j].mean() if spec.modes[j] == "A" else np.nan
                     for j in range(q)], index=pd.Index(names, name="construct"), name="ave")
    r2 = pd.Series(res["r2"], index=pd.Index(names, name="construct"), name="r_squared")
    sizes = np.bincount(spec.block_index, minlength=q)
    multi = sizes[spec.block_index] > 1
    endo = spec.inner.any(axis=1)
    gof = float(np.sqrt(communality.to_numpy()[multi].mean() * res["r2"][endo].mean()))
    scores = pd.DataFrame(res["scores"], index=data.index, columns=names)

    boot_table = None
    if bootstrap:
        boot_table = _bootstrap(raw, spec, scheme, bool(scaled), tol, maxiter, bootstrap, rng, level,
                                path_coef, progress)
    return PLSResult(path_coef, r2, total, weights, loadings, communality, ave, gof, scores,
                     spec.modes, scheme, bool(scaled), int(res["iterations"]), len(raw), boot_table)


def _topological(inner: np.ndarray) -> list[int]:
    q = inner.shape[0]
    order, remaining = [], list(range(q))
    while remaining:
        free = [i for i in remaining if not any(inner[i, j] for j in remaining)]
        order += free
        remaining = [i for i in remaining if i not in free]
    return order


def _bootstrap(raw, spec, scheme, scaled, tol, maxiter, reps, rng, level, original, progress):
    from tqdm.auto import tqdm

    n = raw.shape[0]
    pos = {c: i for i, c in enumerate(spec.constructs)}
    cells = [(pos[b], pos[a]) for a, b in spec.paths]
    draws = []
    with tqdm(total=reps, desc="bootstrap", disable=not progress, leave=False) as bar:
        while len(draws) < reps:
            idx = rng.integers(0, n, size=n)
            sample = raw[idx]
            if not (sample.std(axis=0) > 0).all():     # a resample with a constant column: redraw
                continue
            res = _fit_arrays(sample, spec, scheme, scaled, tol, maxiter)
            if not res["converged"]:                   # as plspm::get_boots: redraw
                continue
            draws.append([res["path"][c] for c in cells])
            bar.update(1)
    draws = np.asarray(draws)
    alpha = (1 - level) / 2
    return pd.DataFrame({"original": original.to_numpy(), "mean": draws.mean(axis=0),
                         "std_error": draws.std(axis=0, ddof=1),
                         "lower": np.quantile(draws, alpha, axis=0),
                         "upper": np.quantile(draws, 1 - alpha, axis=0)}, index=original.index)
