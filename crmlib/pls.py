r"""Assessing a PLS path model: the report Hair et al.'s PLS-SEM guidelines ask for.

Every function takes the result of :func:`crmlib.satisfaction.pls_path_model` (a
:class:`~crmlib.satisfaction.PLSResult`, which carries its data and specification) and returns
DataFrames; :func:`assess` gathers them into one report whose ``summary()`` reads like R
seminr's ``summary()``.

==========================  =================================================================
measurement model           :func:`reliability` (Cronbach's alpha raw and standardised,
                            :math:`\rho_C`, :math:`\rho_A`, AVE), :func:`fornell_larcker`,
                            :func:`cross_loadings`, :func:`htmt`, :func:`outer_vif`
structural model            :func:`inner_vif`, :func:`r_squared` (and adjusted),
                            :func:`f_squared`, :func:`effects` (direct, indirect, total)
inference                   :func:`bootstrap`: loadings, weights, paths, effects and HTMT with
                            standard errors, t, p, percentile and BCa intervals
predictive power            :func:`blindfolding` (:math:`Q^2`), :func:`predict` (PLSpredict)
extensions                  :func:`consistent` (PLSc), :func:`multigroup` (permutation test),
                            :func:`moderation` (two-stage or product-indicator interaction)
==========================  =================================================================

Conventions (those of seminr, Ray, Danks & Calero Valdez 2021, unless said otherwise): loadings
are correlations of an indicator with its construct score; cross-loadings the same with every
construct; the Fornell-Larcker table has :math:`\sqrt{AVE}` on its diagonal and construct
correlations below it; HTMT uses absolute indicator correlations (Henseler, Ringle & Sarstedt
2015). Cronbach's alpha is given both *raw* (on the items as scored, :func:`crmlib.stats.cronbach_alpha`,
R ``psych``'s ``raw_alpha``) and *standardised* (on their correlations, the alpha seminr, cSEM and
ADANCO print). Single-indicator constructs get reliability 1 and Mode B (formative) blocks none
(NaN): their quality is judged by weights and outer VIF instead.

References
----------
Hair, J. F., Hult, G. T. M., Ringle, C. M. & Sarstedt, M. (2022). *A primer on partial least
squares structural equation modeling (PLS-SEM)*, 3rd ed. Sage. Hair, J. F., Risher, J. J.,
Sarstedt, M. & Ringle, C. M. (2019). When to use and how to report the results of PLS-SEM.
*European Business Review* 31(1), 2-24. Dijkstra, T. K. & Henseler, J. (2015). Consistent
partial least squares path modeling. *MIS Quarterly* 39(2), 297-316. Henseler, J., Ringle, C. M.
& Sarstedt, M. (2015). A new criterion for assessing discriminant validity in variance-based
structural equation modeling. *JAMS* 43(1), 115-135. Shmueli, G., Ray, S., Velasquez Estrada,
J. M. & Chatla, S. B. (2016). The elephant in the room: predictive performance of PLS models.
*Journal of Business Research* 69(10), 4552-4564. Chin, W. W. & Dibbern, J. (2010). An
introduction to a permutation based procedure for multi-group PLS analysis. In *Handbook of
Partial Least Squares*, 171-193. Springer. Efron, B. & Tibshirani, R. J. (1993). *An
introduction to the bootstrap*, ch. 14. Chapman & Hall.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats as sps

from . import _validate as v
from ._pls import (
    INTERACTION_METHODS,
    MAX_RESAMPLES,
    MIN_RESAMPLE_ROWS,
    CollinearityWarning,
    Interaction,
    PLSResult,
    _check_spec,
    _fit_arrays,
    _reachable,
    _topological,
    bootstrap_rows,
)
from ._pls import fit as _fit
from .i18n import N_, NP_, gettext, pgettext, translate_frame
from .results import ConvergenceWarning, FitResult, check_level
from .stats import cronbach_alpha

__all__ = [
    "AssessmentResult",
    "BootstrapResult",
    "CollinearityWarning",
    "ConsistentResult",
    "MultigroupResult",
    "PredictResult",
    "SummaryResult",
    "assess",
    "blindfolding",
    "bootstrap",
    "consistent",
    "cross_loadings",
    "effects",
    "f_squared",
    "fornell_larcker",
    "htmt",
    "inner_vif",
    "moderation",
    "multigroup",
    "outer_vif",
    "predict",
    "r_squared",
    "reliability",
]

#: Thresholds of the guidelines (Hair et al. 2019, 2022), used in warnings and in the report.
VIF_CRITICAL = 5.0
HTMT_CRITICAL = 0.90
#: Antecedent constructs that correlate at least this much make path coefficients unstable.
CORRELATION_CRITICAL = 0.95

# Word labels of the tables this module returns (shown in chapter 1), marked for the catalogue so that
# a displayed table shows them in the notebook's language (crmlib.i18n.translate_frame).
_TABLE_LABELS = (
    N_("parameter"),
    N_("construct"),
    N_("indicator"),
    N_("original"),
    N_("bca_lower"),
    N_("bca_upper"),
    N_("f_squared"),
    N_("vif"),
    N_("r_squared"),
    N_("adj_r_squared"),
    N_("q_squared"),
    N_("pls_rmse"),
    N_("pls_mae"),
    N_("lm_rmse"),
    N_("lm_mae"),
    N_("q2_predict"),
    N_("loading"),
    N_("indicator_reliability"),
    N_("outer_vif"),
    N_("inner_vif"),
    N_("direct"),
    N_("indirect"),
    N_("block_communality"),
)

_ASSESSMENT_TITLE = re.compile(
    r"^PLS-SEM assessment \((?P<kind>[^)]*\)?)\): (?P<constructs>\d+) constructs, (?P<indicators>\d+) indicators, "
    r"n = (?P<n>[\d,]+); (?P<scheme>\w+) scheme, (?P<treatment>\w+) indicators$"
)


def _shown_title(title: str) -> str:
    """The assessment's title in the notebook's language (it is stored in English)."""
    m = _ASSESSMENT_TITLE.match(title)
    if m is None:
        return title
    return gettext(
        "PLS-SEM assessment ({kind}): {constructs} constructs, {indicators} indicators, n = {n}; "
        "{scheme} scheme, {treatment} indicators"
    ).format(
        kind=gettext(m["kind"]),
        constructs=m["constructs"],
        indicators=m["indicators"],
        n=m["n"],
        scheme=gettext(m["scheme"]),
        treatment=gettext(m["treatment"]),
    )


# the words of the title, marked for the catalogue
_TITLE_WORDS = (
    N_("consistent PLS (PLSc)"),
    N_("centroid"),
    N_("factorial"),
    N_("path"),
    N_("standardised"),
    N_("centred"),
)


# ----------------------------------------------------------------------------------------
# a fitted model seen as arrays (the same code serves the estimate and every resample)
# ----------------------------------------------------------------------------------------
@dataclass
class _View:
    spec: object
    raw: np.ndarray  # n x p indicators (interaction columns included)
    weights: np.ndarray  # per indicator, on standardised indicators, scores of unit variance
    loadings: np.ndarray  # per indicator
    corr: np.ndarray  # q x q construct correlations (scores, or PLSc-corrected)
    path: np.ndarray  # q x q, path[k, j]: j -> k
    r2: np.ndarray  # per construct (0 for exogenous)
    scores: np.ndarray | None = None
    rho_a: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.raw.shape[0]

    def block(self, j: int) -> np.ndarray:
        return np.flatnonzero(self.spec.block_index == j)


def _std_weights(w: np.ndarray, raw: np.ndarray, scaled: bool) -> np.ndarray:
    """Weights on standardised indicators (the engine's apply to centred ones when unscaled)."""
    return w if scaled else w * raw.std(axis=0)


def _view_from_fit(res: dict, spec, raw: np.ndarray, scaled: bool) -> _View:
    scores = res["scores"]
    return _View(
        spec=spec,
        raw=raw,
        weights=_std_weights(res["weights"], raw, scaled),
        loadings=res["loadings"],
        corr=np.corrcoef(scores, rowvar=False),
        path=res["path"],
        r2=res["r2"],
        scores=scores,
    )


def _check_result(result, name: str = "result", *, consistent_ok: bool = True):
    if isinstance(result, ConsistentResult) and consistent_ok:
        return result
    if not isinstance(result, PLSResult) or result.design is None or result.data is None:
        allowed = "a PLSResult from crmlib.satisfaction.pls_path_model" + (
            " or a ConsistentResult from crmlib.pls.consistent" if consistent_ok else ""
        )
        raise TypeError(f"{name} must be {allowed}; got {type(result).__name__}")
    return result


def _base(result) -> PLSResult:
    return result.base if isinstance(result, ConsistentResult) else result


def _view(result) -> _View:
    if isinstance(result, ConsistentResult):
        return result._view
    d = result.design
    raw = result.data[list(d.spec.indicators)].to_numpy(dtype=float)
    res = {
        "scores": result.scores.to_numpy(),
        "weights": result.outer_weights.to_numpy(),
        "loadings": result.outer_loadings.to_numpy(),
        "r2": result.r_squared.to_numpy(),
    }
    q = len(d.spec.constructs)
    pos = {c: i for i, c in enumerate(d.spec.constructs)}
    path = np.zeros((q, q))
    for (a, b), val in zip(result.paths, result.param_values):
        path[pos[b], pos[a]] = val
    res["path"] = path
    return _view_from_fit(res, d.spec, raw, d.scaled)


def _constructs(spec) -> list[str]:
    return list(spec.constructs)


def _indicator_index(spec) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays(
        [[spec.constructs[b] for b in spec.block_index], list(spec.indicators)], names=["construct", "indicator"]
    )


def _interaction_positions(result) -> list[int]:
    spec = result.design.spec
    return [spec.constructs.index(t.name) for t in result.design.interactions]


def _reliable(spec, j: int) -> bool:
    """Reliability is defined for Mode A blocks of two or more indicators."""
    return spec.modes[j] == "A" and int((spec.block_index == j).sum()) > 1


# ----------------------------------------------------------------------------------------
# measurement model
# ----------------------------------------------------------------------------------------
def _standardised_alpha(corr: np.ndarray) -> float:
    k = corr.shape[0]
    return k / (k - 1) * (1 - k / corr.sum())


def _rho_a_values(view: _View) -> np.ndarray:
    """Dijkstra-Henseler rho_A per construct (1 for single items and Mode B blocks)."""
    spec = view.spec
    R = np.corrcoef(view.raw, rowvar=False)
    out = np.ones(len(spec.constructs))
    for j in range(len(spec.constructs)):
        if not _reliable(spec, j):
            continue
        idx = view.block(j)
        w = view.weights[idx]
        S = R[np.ix_(idx, idx)] - np.eye(idx.size)
        ww = w @ w
        out[j] = ww**2 * (w @ S @ w) / (ww**2 - np.sum(w**4))
    return out


def _rho_c(lam: np.ndarray) -> float:
    s = lam.sum() ** 2
    return s / (s + np.sum(1 - lam**2))


def reliability(result) -> pd.DataFrame:
    r"""Internal-consistency reliability and convergent validity of each construct.

    Columns, per construct (Hair et al. 2022, ch. 4):

    * ``alpha``: Cronbach's alpha, **raw** (item variances and covariances as scored;
      :func:`crmlib.stats.cronbach_alpha`, R psych's ``raw_alpha``);
    * ``alpha_std``: **standardised** alpha, :math:`k\bar r / (1 + (k-1)\bar r)` from the
      items' correlations (what seminr, cSEM and ADANCO print as "alpha");
    * ``rho_c``: composite reliability :math:`(\sum\lambda)^2 / ((\sum\lambda)^2 + \sum(1-\lambda^2))`
      (Jöreskog's rho; Dillon-Goldstein's rho in plspm);
    * ``rho_a``: Dijkstra & Henseler's (2015) :math:`\rho_A = (w'w)^2\,
      \frac{w'(S - \mathrm{diag}\,S)w}{w'(ww' - \mathrm{diag}\,ww')w}`, with the weights
      :math:`w` scaled so that the score has unit variance and :math:`S` the items' correlations;
    * ``ave``: average variance extracted, the mean squared loading (Fornell & Larcker 1981).

    Interaction terms (:func:`moderation`) get :math:`\rho_A = 1`, as in seminr; their other
    figures are shown but not assessed (:func:`assess` lists no issue for them).

    Guidelines: alpha, :math:`\rho_C` and :math:`\rho_A` between 0.70 and 0.95, AVE at least 0.50.
    Single-indicator constructs get 1; Mode B (formative) blocks get NaN (reliability does not
    apply to them). For a :class:`ConsistentResult` the loadings are the consistent ones, so
    ``rho_c`` and ``ave`` are those of the common-factor model (as ADANCO and cSEM report them).

    Parameters
    ----------
    result : PLSResult or ConsistentResult
        A fitted model (:func:`crmlib.satisfaction.pls_path_model` or :func:`consistent`).

    Returns
    -------
    pandas.DataFrame
        Indexed by construct; columns ``alpha``, ``alpha_std``, ``rho_c``, ``rho_a``, ``ave``.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> reliability(res).loc["SAT"].round(2).to_dict()
    {'alpha': 0.87, 'alpha_std': 0.87, 'rho_c': 0.91, 'rho_a': 0.87, 'ave': 0.72}
    """
    result = _check_result(result)
    view = _view(result)
    spec = view.spec
    data = _base(result).data
    if view.rho_a is None:
        rho_a = _rho_a_values(view)
        rho_a[_interaction_positions(_base(result))] = 1.0  # as seminr (and PLSc) treat interaction terms
    else:
        rho_a = view.rho_a
    rows = []
    for j in range(len(spec.constructs)):
        idx = view.block(j)
        if spec.modes[j] == "B":
            rows.append([np.nan] * 5)
            continue
        if idx.size == 1:
            rows.append([1.0] * 5)
            continue
        cols = [spec.indicators[i] for i in idx]
        lam = view.loadings[idx]
        corr = np.corrcoef(view.raw[:, idx], rowvar=False)
        rows.append(
            [cronbach_alpha(data[cols]), _standardised_alpha(corr), _rho_c(lam), rho_a[j], float(np.mean(lam**2))]
        )
    out = pd.DataFrame(
        rows,
        index=pd.Index(_constructs(spec), name="construct"),
        columns=[NP_("reliability", "alpha"), "alpha_std", "rho_c", "rho_a", "ave"],
    )
    out.attrs["i18n_context"] = "reliability"  # alpha = Cronbach's alpha
    return out


def fornell_larcker(result) -> pd.DataFrame:
    r"""Fornell-Larcker criterion: :math:`\sqrt{AVE}` on the diagonal, construct correlations below.

    Discriminant validity holds when each diagonal entry exceeds every correlation in its row
    and column (Fornell & Larcker 1981). The layout is seminr's (upper triangle NaN). Mode B
    constructs have no AVE (NaN on the diagonal). For a :class:`ConsistentResult` the
    correlations are the consistent (disattenuated) ones.

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.DataFrame
        Constructs x constructs.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> round(float(fornell_larcker(res).loc["SAT", "SAT"]), 2)
    0.85
    """
    result = _check_result(result)
    view = _view(result)
    names = _constructs(view.spec)
    ave = reliability(result)["ave"].to_numpy()
    table = np.array(view.corr, dtype=float)
    table[np.triu_indices(len(names), 1)] = np.nan
    with np.errstate(invalid="ignore"):
        table[np.diag_indices(len(names))] = np.sqrt(ave)
    return pd.DataFrame(table, index=pd.Index(names, name="construct"), columns=names)


def cross_loadings(result) -> pd.DataFrame:
    """Correlation of every indicator with every construct score (seminr's ``cross_loadings``).

    An indicator should load more on its own construct than on any other (Chin 1998). For a
    :class:`ConsistentResult` the scores are those of the underlying PLS fit.

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.DataFrame
        Indexed by (construct, indicator); one column per construct.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> table = cross_loadings(res)
    >>> bool(table.loc[("SAT", "sat1"), "SAT"] > table.loc[("SAT", "sat1"), "LOY"])
    True
    """
    result = _check_result(result)
    base = _base(result)
    view = _view(base)
    x = view.raw
    xs = (x - x.mean(axis=0)) / x.std(axis=0)
    ys = (view.scores - view.scores.mean(axis=0)) / view.scores.std(axis=0)
    table = xs.T @ ys / len(x)
    return pd.DataFrame(table, index=_indicator_index(view.spec), columns=_constructs(view.spec))


def _htmt_values(R: np.ndarray, spec) -> np.ndarray:
    """HTMT matrix (upper triangle; NaN elsewhere) from an indicator correlation matrix."""
    q = len(spec.constructs)
    A = np.abs(R)
    blocks = [np.flatnonzero(spec.block_index == j) for j in range(q)]
    mono = np.ones(q)
    for j, idx in enumerate(blocks):
        if idx.size > 1:
            sub = A[np.ix_(idx, idx)]
            mono[j] = (sub.sum() - np.trace(sub)) / (idx.size * (idx.size - 1))
    out = np.full((q, q), np.nan)
    for i in range(q):
        for j in range(i + 1, q):
            hetero = A[np.ix_(blocks[i], blocks[j])].mean()
            out[i, j] = hetero / math.sqrt(mono[i] * mono[j])
    return out


def htmt(result) -> pd.DataFrame:
    r"""Heterotrait-monotrait ratio of correlations (Henseler, Ringle & Sarstedt 2015).

    For constructs *i* and *j*: the mean absolute correlation between indicators of *i* and
    indicators of *j* (heterotrait-heteromethod), divided by the geometric mean of the mean
    absolute correlations among the indicators within *i* and within *j* (monotrait-
    heteromethod; 1 for a single indicator). It estimates the correlation of the two constructs
    had they been measured without error. Values above 0.90 (0.85 for conceptually distinct
    constructs) signal a lack of discriminant validity; :func:`bootstrap` gives its intervals.
    It depends on the data only, not on the estimates.

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.DataFrame
        Constructs x constructs, upper triangle (row before column in the model's order), NaN
        elsewhere, as seminr prints it.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> round(float(htmt(res).loc["VAL", "SAT"]), 2)
    0.8
    """
    result = _check_result(result)
    view = _view(result)
    names = _constructs(view.spec)
    R = np.corrcoef(view.raw, rowvar=False)
    return pd.DataFrame(_htmt_values(R, view.spec), index=pd.Index(names, name="construct"), columns=names)


def _vif_from_corr(corr: np.ndarray) -> np.ndarray:
    """Variance inflation factors, the diagonal of the inverse correlation matrix."""
    if corr.shape[0] == 1:
        return np.ones(1)
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            return np.diag(np.linalg.inv(corr)).copy()
        except np.linalg.LinAlgError:
            return np.full(corr.shape[0], np.inf)


def outer_vif(result) -> pd.Series:
    r"""Variance inflation factor of each indicator within its block (outer VIF).

    :math:`\mathrm{VIF}_i = 1/(1 - R^2_i)`, with :math:`R^2_i` from regressing indicator *i* on the
    other indicators of its block; 1 for a single indicator. Critical for formative (Mode B)
    blocks, whose weights are regression coefficients: VIF of 5 or more signals critical
    collinearity (Hair et al. 2022, ch. 5), and a :class:`CollinearityWarning` names the block.

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.Series
        Indexed by (construct, indicator).

    Warns
    -----
    CollinearityWarning
        For Mode B blocks with an indicator VIF of 5 or more.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> bool((outer_vif(res) < 3).all())
    True
    """
    result = _check_result(result)
    view = _view(result)
    spec = view.spec
    out = np.ones(len(spec.indicators))
    for j, c in enumerate(spec.constructs):
        idx = view.block(j)
        out[idx] = _vif_from_corr(np.corrcoef(view.raw[:, idx], rowvar=False)) if idx.size > 1 else 1.0
        if spec.modes[j] == "B" and np.max(out[idx]) >= VIF_CRITICAL:
            worst = spec.indicators[idx[int(np.argmax(out[idx]))]]
            warnings.warn(
                f"block {c!r} (Mode B): indicator {worst!r} has outer VIF {np.max(out[idx]):.2f} >= {VIF_CRITICAL:g}; "
                "its weights are unstable: drop or merge collinear indicators",
                CollinearityWarning,
                stacklevel=2,
            )
    return pd.Series(out, index=_indicator_index(spec), name="vif")


# ----------------------------------------------------------------------------------------
# structural model
# ----------------------------------------------------------------------------------------
def _predecessors(spec, k: int) -> np.ndarray:
    return np.flatnonzero(spec.inner[k])


def _endogenous(spec) -> list[int]:
    return [k for k in range(len(spec.constructs)) if spec.inner[k].any()]


def inner_vif(result) -> pd.Series:
    r"""Collinearity of the antecedents of each endogenous construct (inner VIF).

    For each path *j* -> *k*: :math:`1/(1-R^2)` of construct *j* regressed on the other
    antecedents of *k* (from the construct correlations; seminr's ``vif_antecedents``). NaN
    where *k* has a single antecedent. VIF of 5 or more is critical (Hair et al. 2022, ch. 6);
    a :class:`CollinearityWarning` names the constructs, as it does when two antecedents
    correlate 0.95 or more.

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.Series
        Indexed by (from, to), in the order of the model's paths.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> round(float(inner_vif(res)[("VAL", "SAT")]), 2)
    1.71
    """
    result = _check_result(result)
    view = _view(result)
    spec = view.spec
    vif = _inner_vif_values(view)
    _warn_inner_collinearity(view, vif, stacklevel=3)
    return pd.Series(
        [vif[(a, b)] for a, b in spec.paths],
        index=pd.MultiIndex.from_tuples(spec.paths, names=["from", "to"]),
        name="vif",
    )


def _inner_vif_values(view: _View) -> dict:
    spec = view.spec
    names = spec.constructs
    out = {}
    for k in _endogenous(spec):
        pred = _predecessors(spec, k)
        vals = _vif_from_corr(view.corr[np.ix_(pred, pred)]) if pred.size > 1 else np.array([np.nan])
        for j, val in zip(pred, vals):
            out[(names[j], names[k])] = float(val)
    return out


def _warn_inner_collinearity(view: _View, vif: dict, stacklevel: int) -> None:
    spec = view.spec
    names = spec.constructs
    for k in _endogenous(spec):
        pred = _predecessors(spec, k)
        high = [(names[j], vif[(names[j], names[k])]) for j in pred if vif[(names[j], names[k])] >= VIF_CRITICAL]
        pairs = [
            (names[a], names[b], view.corr[a, b])
            for i, a in enumerate(pred)
            for b in pred[i + 1 :]
            if abs(view.corr[a, b]) >= CORRELATION_CRITICAL
        ]
        if high or pairs:
            bits = [f"{c!r} has inner VIF {x:.2f}" for c, x in high]
            bits += [f"{a!r} and {b!r} correlate {r:.3f}" for a, b, r in pairs]
            warnings.warn(
                f"antecedents of {names[k]!r}: {'; '.join(bits)} (critical: VIF >= {VIF_CRITICAL:g}, |r| >= "
                f"{CORRELATION_CRITICAL:g}); their path coefficients into {names[k]!r} are unstable and may "
                "flip sign: merge the constructs (e.g. a higher-order construct) or drop one of the paths",
                CollinearityWarning,
                stacklevel=stacklevel,
            )


def r_squared(result) -> pd.DataFrame:
    r"""Explained variance of each endogenous construct: :math:`R^2` and adjusted :math:`R^2`.

    Adjusted :math:`R^2 = 1 - (1 - R^2)\frac{n - 1}{n - k - 1}` with *k* antecedents (seminr's
    ``AdjRsq``). Rough guide (Hair et al. 2022): 0.75, 0.50 and 0.25 are substantial, moderate
    and weak in marketing research.

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.DataFrame
        Indexed by endogenous construct; columns ``r_squared``, ``adj_r_squared``,
        ``antecedents``.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> r_squared(res).loc["SAT"].round(2).to_dict()
    {'r_squared': 0.51, 'adj_r_squared': 0.51, 'antecedents': 4.0}
    """
    result = _check_result(result)
    view = _view(result)
    spec = view.spec
    rows, names = [], []
    for k in _endogenous(spec):
        p = _predecessors(spec, k).size
        r2 = float(view.r2[k])
        rows.append([r2, 1 - (1 - r2) * (view.n - 1) / (view.n - p - 1), p])
        names.append(spec.constructs[k])
    return pd.DataFrame(
        rows, index=pd.Index(names, name="construct"), columns=["r_squared", "adj_r_squared", "antecedents"]
    )


def _r2_from_corr(corr: np.ndarray, pred: np.ndarray, k: int) -> float:
    if pred.size == 0:
        return 0.0
    b = np.linalg.solve(corr[np.ix_(pred, pred)], corr[pred, k])
    return float(b @ corr[pred, k])


def _refit_without(result: PLSResult, drop: tuple) -> tuple[float, int]:
    """R² of ``drop[1]`` after re-estimating the model without the path ``drop`` (seminr, SmartPLS)."""
    d = result.design
    spec = d.spec
    paths = [p for p in spec.paths if p != drop]
    used = {c for p in paths for c in p}
    if drop[1] not in {b for _, b in paths}:
        return 0.0, 0
    keep = [c for c in spec.constructs if c in used]
    blocks = {c: list(result.blocks[c]) for c in keep}
    modes = {c: spec.modes[spec.constructs.index(c)] for c in keep}
    sub = _check_spec(result.data, blocks, paths, modes)
    raw = result.data[list(sub.indicators)].to_numpy(dtype=float)
    res = _fit_arrays(raw, sub, d.scheme, d.scaled, d.tol, d.maxiter)
    return float(res["r2"][sub.constructs.index(drop[1])]), int(not res["converged"])


def f_squared(result, method: str = "refit") -> pd.Series:
    r"""Cohen's :math:`f^2` effect size of each path: :math:`(R^2_{incl} - R^2_{excl}) / (1 - R^2_{incl})`.

    :math:`R^2_{incl}` is the endogenous construct's :math:`R^2` in the model; :math:`R^2_{excl}`
    its :math:`R^2` without the path, either

    * ``method="refit"``: re-estimating the whole PLS model without the path (Hair et al. 2022,
      SmartPLS and seminr's ``fSquared``), or
    * ``method="scores"``: regressing on the remaining antecedents with the same scores
      (cSEM and ADANCO; the only choice for a :class:`ConsistentResult`, where it uses the
      consistent construct correlations).

    Guide (Cohen 1988): 0.02, 0.15 and 0.35 are small, medium and large effects.

    Parameters
    ----------
    result : PLSResult or ConsistentResult
    method : {"refit", "scores"}

    Returns
    -------
    pandas.Series
        Indexed by (from, to), in the order of the model's paths.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> round(float(f_squared(res)[("SAT", "LOY")]), 2)
    0.41
    """
    result = _check_result(result)
    v.one_of("method", method, ("refit", "scores"))
    if isinstance(result, ConsistentResult) and method == "refit":
        raise ValueError(
            "method='refit' re-estimates a PLS model and does not apply to a ConsistentResult; use method='scores'"
        )
    view = _view(result)
    spec = view.spec
    pos = {c: i for i, c in enumerate(spec.constructs)}
    out, failed = [], 0
    for a, b in spec.paths:
        k = pos[b]
        r2_in = float(view.r2[k])
        if method == "scores":
            pred = np.array([j for j in _predecessors(spec, k) if j != pos[a]], dtype=int)
            r2_out = _r2_from_corr(view.corr, pred, k)
        else:
            r2_out, bad = _refit_without(result, (a, b))
            failed += bad
        out.append((r2_in - r2_out) / (1 - r2_in))
    if failed:
        warnings.warn(
            f"f_squared: {failed} of the re-estimated models did not converge; raise maxiter",
            ConvergenceWarning,
            stacklevel=2,
        )
    return pd.Series(out, index=pd.MultiIndex.from_tuples(spec.paths, names=["from", "to"]), name="f_squared")


def _effect_arrays(path: np.ndarray):
    q = path.shape[0]
    total = np.linalg.inv(np.eye(q) - path) - np.eye(q)
    return total, total - path


def _effect_pairs(spec) -> list[tuple[int, int]]:
    reach = _reachable(spec.inner)
    order = _topological(spec.inner)
    return [(j, i) for j in order for i in order if reach[i, j]]


def effects(result) -> pd.DataFrame:
    r"""Direct, indirect and total effects between every pair of constructs joined by a path.

    With the path matrix :math:`B` (:math:`B_{kj}` for *j* -> *k*) of a recursive model, total
    effects are :math:`(I - B)^{-1} - I = B + B^2 + \dots` and indirect effects total minus
    direct (Alwin & Hauser 1975). :func:`bootstrap` gives their standard errors and intervals
    (the way to test mediation, Zhao, Lynch & Chen 2010).

    Parameters
    ----------
    result : PLSResult or ConsistentResult

    Returns
    -------
    pandas.DataFrame
        Indexed by (from, to); columns ``direct``, ``indirect``, ``total``.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> e = effects(res).loc[("IMAG", "LOY")]
    >>> bool(abs(e["direct"] + e["indirect"] - e["total"]) < 1e-12)
    True
    """
    result = _check_result(result)
    view = _view(result)
    spec = view.spec
    _, indirect = _effect_arrays(view.path)
    pairs = _effect_pairs(spec)
    routes = set(_indirect_pairs(spec))  # pairs joined by a route of two or more paths
    names = spec.constructs
    direct = np.array([view.path[i, j] for j, i in pairs])
    ind = np.array([indirect[i, j] if (j, i) in routes else 0.0 for j, i in pairs])
    return pd.DataFrame(
        {"direct": direct, "indirect": ind, "total": direct + ind},
        index=pd.MultiIndex.from_tuples([(names[j], names[i]) for j, i in pairs], names=["from", "to"]),
    )


# ----------------------------------------------------------------------------------------
# consistent PLS
# ----------------------------------------------------------------------------------------
def _consistent_view(view: _View, fixed=()) -> _View:
    """PLSc (Dijkstra & Henseler 2015): disattenuate the construct correlations by rho_A."""
    spec = view.spec
    rho = _rho_a_values(view)
    for j in fixed:
        rho[j] = 1.0
    bad = [spec.constructs[j] for j in range(len(rho)) if not rho[j] > 0]
    if bad:
        raise ValueError(
            f"consistent: rho_A of block(s) {bad} is not positive; their indicators do not hang together "
            "(negative correlations): PLSc needs reflective blocks with positively correlated indicators"
        )
    adj = np.sqrt(np.outer(rho, rho))
    np.fill_diagonal(adj, 1.0)
    P = view.corr / adj
    np.fill_diagonal(P, 1.0)
    q = len(rho)
    path = np.zeros((q, q))
    r2 = np.zeros(q)
    for k in _endogenous(spec):
        pred = _predecessors(spec, k)
        b = np.linalg.solve(P[np.ix_(pred, pred)], P[pred, k])
        path[k, pred] = b
        r2[k] = b @ P[pred, k]
    lam = view.loadings.copy()
    for j in range(q):
        if _reliable(spec, j) and j not in fixed:
            idx = view.block(j)
            w = view.weights[idx]
            lam[idx] = w * math.sqrt(rho[j]) / (w @ w)
    return _View(spec, view.raw, view.weights, lam, P, path, r2, scores=view.scores, rho_a=rho)


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class ConsistentResult(FitResult):
    """Consistent PLS (PLSc) estimates of a reflective (common-factor) model.

    ``params`` are the consistent path coefficients labelled ``"from -> to"``; standard errors and
    intervals come from :func:`bootstrap` (here NaN). Every assessment function of
    :mod:`crmlib.pls` accepts this result and then uses the consistent loadings and construct
    correlations.

    Attributes
    ----------
    paths : tuple of (str, str)
    path_coefficients, total_effects : pandas.Series
        Indexed by (from, to).
    r_squared : pandas.Series
        Per construct (0 for exogenous ones).
    outer_loadings : pandas.Series
        Consistent loadings :math:`\\hat\\lambda = \\sqrt{\\rho_A}\\, w / (w'w)` of Mode A blocks
        (the PLS loadings elsewhere), indexed by (construct, indicator).
    rho_a : pandas.Series
        Dijkstra-Henseler's :math:`\\rho_A` used for the correction (1 for single items, Mode B
        blocks and interaction terms).
    construct_correlations : pandas.DataFrame
        The disattenuated construct correlations.
    base : PLSResult
        The PLS fit that was corrected.
    """

    paths: tuple
    r_squared: pd.Series
    total_effects: pd.Series
    outer_loadings: pd.Series
    rho_a: pd.Series
    construct_correlations: pd.DataFrame
    base: PLSResult = field(compare=False)
    _view: _View = field(compare=False)

    model_name: ClassVar[str] = N_("consistent PLS (PLSc)")

    @property
    def path_coefficients(self) -> pd.Series:
        """Consistent path coefficients indexed by ``(from, to)`` (a fresh Series)."""
        return pd.Series(
            self.param_values,
            index=pd.MultiIndex.from_tuples(self.paths, names=["from", "to"]),
            name="path_coefficient",
            dtype=float,
        )

    @property
    def design(self):
        return self.base.design

    @property
    def data(self):
        return self.base.data

    def __repr__(self) -> str:
        width = max(len(n) for n in self.param_names)
        lines = [
            f"{type(self).__name__}: {gettext(self.model_name)}, n = {self.n_obs:,}",
            "",
            gettext("Path coefficients:"),
        ]
        lines += [f"  {n:<{width}}  {x: .4f}" for n, x in zip(self.param_names, self.param_values)]
        table = pd.DataFrame({"r_squared": self.r_squared, "rho_a": self.rho_a})
        lines += ["", gettext("Constructs:"), translate_frame(table.round(4)).to_string()]
        return "\n".join(lines)


def consistent(result) -> ConsistentResult:
    r"""Consistent PLS (PLSc, Dijkstra & Henseler 2015) for reflective (common-factor) models.

    PLS composites measure a common factor with error, so PLS loadings are biased upwards and
    path coefficients downwards. PLSc corrects both with each block's reliability
    :math:`\rho_A` (:func:`reliability`): construct correlations become
    :math:`r_{ij}/\sqrt{\rho_{A,i}\rho_{A,j}}`, path coefficients and :math:`R^2` are re-estimated
    by least squares from them, and loadings become :math:`\sqrt{\rho_A}\,w/(w'w)`. Mode B
    blocks, single indicators and interaction terms keep :math:`\rho_A = 1` (composites).

    Parameters
    ----------
    result : PLSResult
        A PLS fit; Mode A blocks are treated as reflective.

    Returns
    -------
    ConsistentResult

    Warns
    -----
    CollinearityWarning
        When antecedents of a construct correlate 0.95 or more after the correction, or their
        inner VIF is 5 or more (the consistent paths into that construct are then unstable).
    UserWarning
        When the result is inadmissible: a :math:`\rho_A` above 1 or a corrected correlation
        beyond ±1 (named).

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(1000, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> plsc = consistent(res)
    >>> round(float(res.path_coefficients[("SAT", "LOY")]), 2), round(float(plsc.path_coefficients[("SAT", "LOY")]), 2)
    (0.43, 0.5)
    """
    result = _check_result(result, consistent_ok=False)
    view = _view(result)
    spec = view.spec
    cv = _consistent_view(view, _interaction_positions(result))
    names = list(spec.constructs)
    over = [names[j] for j in range(len(names)) if cv.rho_a[j] > 1]
    iu = np.triu_indices(len(names), 1)
    beyond = [(names[a], names[b]) for a, b in zip(*iu) if abs(cv.corr[a, b]) > 1]
    if over or beyond:
        bits = ([f"rho_A above 1 for {over}"] if over else []) + (
            [f"corrected correlations beyond ±1 for {beyond}"] if beyond else []
        )
        warnings.warn(
            f"consistent: inadmissible solution ({'; '.join(bits)}); the common-factor model does not fit these "
            "blocks: check the indicators or report the PLS (composite) estimates",
            UserWarning,
            stacklevel=2,
        )
    _warn_inner_collinearity(cv, _inner_vif_values(cv), stacklevel=3)
    pos = {c: i for i, c in enumerate(names)}
    coefs = [cv.path[pos[b], pos[a]] for a, b in spec.paths]
    total, _ = _effect_arrays(cv.path)
    pairs = _effect_pairs(spec)
    return ConsistentResult(
        param_names=result.param_names,
        param_values=tuple(coefs),
        n_obs=result.n_obs,
        converged=result.converged,
        message=f"corrected by rho_A from the PLS fit ({result.message})",
        iterations=result.iterations,
        log_likelihood=None,
        paths=result.paths,
        r_squared=pd.Series(cv.r2, index=pd.Index(names, name="construct"), name="r_squared"),
        total_effects=pd.Series(
            [total[i, j] for j, i in pairs],
            index=pd.MultiIndex.from_tuples([(names[j], names[i]) for j, i in pairs], names=["from", "to"]),
            name="total_effect",
        ),
        outer_loadings=pd.Series(cv.loadings, index=_indicator_index(spec), name="loading"),
        rho_a=pd.Series(cv.rho_a, index=pd.Index(names, name="construct"), name="rho_a"),
        construct_correlations=pd.DataFrame(cv.corr, index=pd.Index(names, name="construct"), columns=names),
        base=result,
        _view=cv,
    )


# ----------------------------------------------------------------------------------------
# bootstrap: percentile and BCa intervals for every estimate
# ----------------------------------------------------------------------------------------
STATISTICS = ("paths", "loadings", "weights", "total_effects", "indirect_effects", "htmt", "r_squared")


def _indirect_pairs(spec) -> list[tuple[int, int]]:
    reach = _reachable(spec.inner).astype(float)
    longer = (spec.inner.astype(float) @ reach) > 0  # a route of length >= 2 from j to i
    return [(j, i) for j, i in _effect_pairs(spec) if longer[i, j]]


def _statistics(view: _View) -> dict:
    spec = view.spec
    pos = {c: i for i, c in enumerate(spec.constructs)}
    total, indirect = _effect_arrays(view.path)
    q = len(spec.constructs)
    R = np.corrcoef(view.raw, rowvar=False)
    return {
        "paths": np.array([view.path[pos[b], pos[a]] for a, b in spec.paths]),
        "loadings": np.asarray(view.loadings, dtype=float).copy(),
        "weights": np.asarray(view.weights, dtype=float).copy(),
        "total_effects": np.array([total[i, j] for j, i in _effect_pairs(spec)]),
        "indirect_effects": np.array([indirect[i, j] for j, i in _indirect_pairs(spec)]),
        "htmt": _htmt_values(R, spec)[np.triu_indices(q, 1)],
        "r_squared": np.asarray(view.r2, dtype=float)[_endogenous(spec)],
    }


def _statistic_index(spec, name: str) -> pd.Index:
    c = spec.constructs
    if name == "paths":
        return pd.MultiIndex.from_tuples(spec.paths, names=["from", "to"])
    if name in ("loadings", "weights"):
        return _indicator_index(spec)
    if name == "total_effects":
        return pd.MultiIndex.from_tuples([(c[j], c[i]) for j, i in _effect_pairs(spec)], names=["from", "to"])
    if name == "indirect_effects":
        return pd.MultiIndex.from_tuples([(c[j], c[i]) for j, i in _indirect_pairs(spec)], names=["from", "to"])
    if name == "htmt":
        q = len(c)
        return pd.MultiIndex.from_tuples([(c[a], c[b]) for a, b in zip(*np.triu_indices(q, 1))], names=["from", "to"])
    return pd.Index([c[k] for k in _endogenous(spec)], name="construct")


def bca_interval(draws: np.ndarray, estimate: np.ndarray, jackknife: np.ndarray, level: float):
    """Bias-corrected and accelerated percentile interval (Efron & Tibshirani 1993, sec. 14.3).

    ``draws`` (resamples x statistics), ``estimate`` (statistics), ``jackknife`` (n x statistics,
    the estimates leaving out one observation each). Bias correction
    :math:`z_0 = \\Phi^{-1}(\\#\\{\\theta^* < \\hat\\theta\\} + \\#\\{\\theta^* \\le \\hat\\theta\\}) / 2B)`,
    acceleration :math:`a = \\sum d_i^3 / (6 (\\sum d_i^2)^{3/2})` with :math:`d_i = \\bar\\theta_{(\\cdot)} - \\theta_{(i)}`
    (0 when the jackknife does not vary), and the interval the
    :math:`\\Phi(z_0 + (z_0 + z_\\alpha)/(1 - a(z_0 + z_\\alpha)))` percentiles of the draws (the
    conventions of scipy.stats.bootstrap). Returns ``(lower, upper)`` arrays.
    """
    B = draws.shape[0]
    share = ((draws < estimate).sum(axis=0) + (draws <= estimate).sum(axis=0)) / (2 * B)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = sps.norm.ppf(share)
        d = jackknife.mean(axis=0) - jackknife
        num = (d**3).sum(axis=0)
        den = 6 * (d**2).sum(axis=0) ** 1.5
        a = np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)
        out = []
        for z in (sps.norm.ppf((1 - level) / 2), sps.norm.ppf((1 + level) / 2)):
            q = sps.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
            vals = np.full(draws.shape[1], np.nan)
            ok = np.isfinite(q)
            for i in np.flatnonzero(ok):
                vals[i] = np.percentile(draws[:, i], 100 * q[i])
            out.append(vals)
    return out[0], out[1]


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class BootstrapResult:
    """Bootstrap inference for every estimate of a PLS (or PLSc) model.

    Each table (``paths``, ``loadings``, ``weights``, ``total_effects``, ``indirect_effects``,
    ``htmt``, ``r_squared``) has the columns ``original`` (the estimate), ``mean`` (of the
    resamples), ``std_error`` (their standard deviation), ``t`` (original / std_error),
    ``p_value`` (two-sided, Student t with resamples - 1 degrees of freedom, as seminr),
    ``lower``/``upper`` (percentile interval at ``level``) and ``bca_lower``/``bca_upper``
    (bias-corrected and accelerated interval at ``level``; NaN when ``bca=False``).
    ``draws`` holds the resampled values (resamples x entries) of each table.
    """

    paths: pd.DataFrame
    loadings: pd.DataFrame
    weights: pd.DataFrame
    total_effects: pd.DataFrame
    indirect_effects: pd.DataFrame
    htmt: pd.DataFrame
    r_squared: pd.DataFrame
    resamples: int
    level: float
    n_obs: int
    consistent: bool
    draws: dict = field(compare=False)

    def table(self, statistic: str) -> pd.DataFrame:
        """The table of one statistic (one of ``crmlib.pls.STATISTICS``), a copy."""
        v.one_of("statistic", statistic, STATISTICS)
        return getattr(self, statistic).copy()

    def __repr__(self) -> str:
        kind = "PLSc" if self.consistent else "PLS"
        lines = [
            gettext(
                "BootstrapResult: {resamples} resamples of n = {n_obs:,} ({kind}); "
                "{level:.0%} percentile and BCa intervals"
            ).format(resamples=self.resamples, n_obs=self.n_obs, kind=kind, level=self.level),
        ]
        show = ["original", "mean", "std_error", "t", "p_value", "lower", "upper", "bca_lower", "bca_upper"]
        for title, name in (
            (gettext("Bootstrapped structural paths"), "paths"),
            (gettext("Bootstrapped total effects"), "total_effects"),
            (gettext("Bootstrapped indirect effects"), "indirect_effects"),
            (gettext("Bootstrapped loadings"), "loadings"),
            (gettext("Bootstrapped weights"), "weights"),
            (gettext("Bootstrapped HTMT"), "htmt"),
        ):
            table = getattr(self, name)
            if len(table):
                t = table[show].copy()
                t.index = [" -> ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in t.index]
                lines += ["", f"{title}:", translate_frame(t.round(3)).to_string()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [
            gettext("<p><b>BootstrapResult</b>: {resamples} resamples, {level:.0%} intervals</p>").format(
                resamples=self.resamples, level=self.level
            )
        ]
        for name in _BOOTSTRAP_TABLES:
            if len(getattr(self, name)):
                parts.append(f"<p>{pgettext('pls', name)}</p>{translate_frame(getattr(self, name).round(3)).to_html()}")
        return "".join(parts)


#: The tables of a :class:`BootstrapResult`, in the order they are shown (names marked for the Chinese edition).
_BOOTSTRAP_TABLES = (
    NP_("pls", "paths"),
    NP_("pls", "total_effects"),
    NP_("pls", "indirect_effects"),
    NP_("pls", "loadings"),
    NP_("pls", "weights"),
    NP_("pls", "htmt"),
)

#: Words a :class:`PredictResult` prints (its technique and its predictive power), marked for the Chinese edition.
_PREDICT_WORDS = (
    NP_("pls", "earliest"),
    NP_("pls", "direct"),
    NP_("pls", "high"),
    NP_("pls", "medium"),
    NP_("pls", "low"),
    NP_("pls", "none"),
)


def _fit_view(design, raw_base: np.ndarray, is_consistent: bool):
    res = design.refit(raw_base)
    if res is None:
        return None
    view = _view_from_fit(res, design.spec, res["raw"], design.scaled)
    if is_consistent:
        fixed = [design.spec.constructs.index(t.name) for t in design.interactions]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                view = _consistent_view(view, fixed)
        except (ValueError, np.linalg.LinAlgError):
            return None
    return _statistics(view)


def bootstrap(result, *, resamples: int = 500, rng, level: float = 0.95, bca: bool = True, progress: bool = True):
    """Bootstrap every estimate: paths, effects, loadings, weights, HTMT and R².

    Draws ``resamples`` samples of the respondents with replacement and re-estimates the
    whole model on each (two-stage interaction terms and PLSc included); resamples with a
    constant indicator or a fit that does not converge are redrawn (as ``plspm`` does). The BCa
    interval needs the jackknife (one more fit per respondent); ``bca=False`` skips it.
    Hair et al. (2022) recommend 10,000 resamples for a final report.

    Parameters
    ----------
    result : PLSResult or ConsistentResult
    resamples : int
        Number of bootstrap resamples, 10 ... 100,000.
    rng : numpy.random.Generator
        Source of randomness (keyword-only, required).
    level : float
        Confidence level of the intervals.
    bca : bool
        Also compute BCa intervals (costs n extra fits).
    progress : bool
        Show tqdm progress bars.

    Returns
    -------
    BootstrapResult

    Raises
    ------
    ValueError
        With fewer than 10 observations, or when resamples keep failing.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(200, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> boot = bootstrap(res, resamples=50, rng=np.random.default_rng(2), bca=False, progress=False)
    >>> row = boot.paths.loc[("SAT", "LOY")]
    >>> bool(row["lower"] < row["original"] < row["upper"]), bool(row["p_value"] < 0.001)
    (True, True)
    """
    result = _check_result(result)
    resamples = v.integer("resamples", resamples, minimum=10, maximum=MAX_RESAMPLES)
    v.rng("rng", rng)
    level = check_level(level)
    for name, flag in (("bca", bca), ("progress", progress)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False; got {flag!r}")
    is_consistent = isinstance(result, ConsistentResult)
    design = result.design
    raw_base = result.data[list(design.base_spec.indicators)].to_numpy(dtype=float)
    n = raw_base.shape[0]
    if n < MIN_RESAMPLE_ROWS:
        raise ValueError(f"bootstrap: data has only {n} rows; a bootstrap needs at least {MIN_RESAMPLE_ROWS}")
    original = _statistics(_view(result))
    fits = bootstrap_rows(
        n, resamples, rng, lambda idx: _fit_view(design, raw_base[idx], is_consistent), progress, maxiter=design.maxiter
    )
    draws = {k: np.array([f[k] for f in fits], dtype=float).reshape(len(fits), -1) for k in STATISTICS}
    jack = None
    if bca:
        from tqdm.auto import tqdm

        rows = []
        for i in tqdm(range(n), desc="jackknife", disable=not progress, leave=False):
            keep = np.r_[0:i, i + 1 : n]
            got = _fit_view(design, raw_base[keep], is_consistent)
            if got is not None:
                rows.append(got)
        jack = {k: np.array([r[k] for r in rows], dtype=float).reshape(len(rows), -1) for k in STATISTICS}
    alpha = (1 - level) / 2
    tables = {}
    for k in STATISTICS:
        est = np.asarray(original[k], dtype=float)
        d = draws[k]
        se = d.std(axis=0, ddof=1) if len(d) > 1 else np.full(est.shape, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = est / se
        p = 2 * sps.t.sf(np.abs(t), df=len(d) - 1)
        if bca and est.size:
            lo_b, hi_b = bca_interval(d, est, jack[k], level)
        else:
            lo_b = hi_b = np.full(est.shape, np.nan)
        tables[k] = pd.DataFrame(
            {
                "original": est,
                "mean": d.mean(axis=0) if est.size else est,
                "std_error": se,
                "t": t,
                "p_value": p,
                "lower": np.quantile(d, alpha, axis=0) if est.size else est,
                "upper": np.quantile(d, 1 - alpha, axis=0) if est.size else est,
                "bca_lower": lo_b,
                "bca_upper": hi_b,
            },
            index=_statistic_index(design.spec, k),
        )
    return BootstrapResult(
        **tables,
        resamples=resamples,
        level=level,
        n_obs=n,
        consistent=is_consistent,
        draws=draws,
    )


# ----------------------------------------------------------------------------------------
# predictive power
# ----------------------------------------------------------------------------------------
def blindfolding(result, *, omission_distance: int = 7) -> pd.DataFrame:
    r"""Stone-Geisser's :math:`Q^2` by blindfolding (cross-validated redundancy).

    For each endogenous construct, its block's data points are numbered row by row
    (respondent 1's indicators, then respondent 2's, ...); in round *d* = 1 ... *D* the points
    numbered *d*, *d + D*, *d + 2D*, ... are omitted, replaced by the mean of the remaining
    values of their column, and the model is re-estimated. Each omitted value is predicted
    from the construct's antecedents: :math:`\hat x = \bar x + s\,\lambda\,\hat\eta`, with
    :math:`\hat\eta` the construct's score predicted by the inner model from its antecedents'
    scores and :math:`\lambda` the indicator's loading (both from that round's fit). Over the
    *D* rounds, with indicators standardised by the full sample's mean and standard deviation,
    :math:`Q^2 = 1 - \mathrm{SSE}/\mathrm{SSO}` (Hair et al. 2022, ch. 6; Tenenhaus et al.
    2005, sec. 2.4). :math:`Q^2 > 0` means predictive relevance; 0.02, 0.15 and 0.35 are small,
    medium and large (the :math:`q^2` of Hair et al.). *D* should lie between 5 and 10 and not
    divide the number of observations.

    Parameters
    ----------
    result : PLSResult
    omission_distance : int
        *D*, 2 ... n/2 (default 7).

    Returns
    -------
    pandas.DataFrame
        Indexed by endogenous construct; columns ``sso``, ``sse``, ``q_squared``.

    Warns
    -----
    UserWarning
        When ``omission_distance`` divides the number of observations.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> q2 = blindfolding(res)["q_squared"]
    >>> bool((q2 > 0).all())
    True
    """
    result = _check_result(result, consistent_ok=False)
    d = result.design
    spec = d.spec
    raw = result.data[list(spec.indicators)].to_numpy(dtype=float)
    n = raw.shape[0]
    D = v.integer("omission_distance", omission_distance, minimum=2, maximum=max(2, n // 2))
    if n % D == 0:
        warnings.warn(
            f"omission_distance={D} divides the number of observations ({n}): the same respondents' values are "
            "omitted together in every round; choose a D between 5 and 10 that does not divide n",
            UserWarning,
            stacklevel=2,
        )
    mean, sd = raw.mean(axis=0), raw.std(axis=0)
    rows, names, failed = [], [], 0
    for k in _endogenous(spec):
        idx = np.flatnonzero(spec.block_index == k)
        pred = _predecessors(spec, k)
        number = (np.arange(n)[:, None] * idx.size + np.arange(idx.size)[None, :]) % D
        sse = sso = 0.0
        for r in range(D):
            omit = number == r
            work = raw.copy()
            for c, col in enumerate(idx):
                work[omit[:, c], col] = raw[~omit[:, c], col].mean()
            if not (work.std(axis=0) > 0).all():
                raise ValueError(
                    f"omission_distance={D}: omitting every {D}th value of block {spec.constructs[k]!r} leaves a "
                    "constant column; use another omission distance or more observations"
                )
            res = _fit_arrays(work, spec, d.scheme, d.scaled, d.tol, d.maxiter)
            failed += int(not res["converged"])
            eta = res["scores"][:, pred] @ res["path"][k, pred]
            zhat = eta[:, None] * res["loadings"][idx][None, :]
            xhat = work[:, idx].mean(axis=0) + work[:, idx].std(axis=0) * zhat
            x = raw[:, idx]
            sse += float((((x - xhat) / sd[idx]) ** 2)[omit].sum())
            sso += float((((x - mean[idx]) / sd[idx]) ** 2)[omit].sum())
        rows.append([sso, sse, 1 - sse / sso])
        names.append(spec.constructs[k])
    if failed:
        warnings.warn(
            f"blindfolding: {failed} re-estimations did not converge; raise maxiter", ConvergenceWarning, stacklevel=2
        )
    return pd.DataFrame(rows, index=pd.Index(names, name="construct"), columns=["sso", "sse", "q_squared"])


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class PredictResult:
    """PLSpredict: out-of-sample prediction errors of the PLS model and a linear benchmark.

    ``indicators`` has one row per indicator of an endogenous construct with ``pls_rmse``,
    ``pls_mae``, ``lm_rmse``, ``lm_mae`` and ``q2_predict`` (PLS against the training mean);
    ``predictive_power`` reads the comparison as Shmueli et al. (2019) do, and ``verdict`` says it in
    one sentence.
    """

    indicators: pd.DataFrame
    folds: int
    repetitions: int
    technique: str
    n_obs: int
    predictions: pd.DataFrame = field(compare=False)

    @property
    def predictive_power(self) -> str:
        """'high', 'medium', 'low' or 'none' (Shmueli et al. 2019, on RMSE; 'none' if Q²predict <= 0)."""
        t = self.indicators
        if (t["q2_predict"] <= 0).any():
            return "none"
        better = int((t["pls_rmse"] < t["lm_rmse"]).sum())
        if better == len(t):
            return "high"
        if better > len(t) / 2:
            return "medium"
        return "low" if better else "none"

    @property
    def verdict(self) -> str:
        """One sentence in the notebook's language: on how many indicators PLS beats the linear model, and
        the :attr:`predictive_power` that gives (as Shmueli et al. 2019 read it)."""
        better = int((self.indicators["pls_rmse"] < self.indicators["lm_rmse"]).sum())
        return gettext(
            "PLS predicts better than the linear model (lower RMSE) for {better} of {total} "
            "indicators: predictive power '{power}' (Shmueli et al. 2019)"
        ).format(better=better, total=len(self.indicators), power=pgettext("pls", self.predictive_power))

    def __repr__(self) -> str:
        head = gettext(
            "PredictResult: PLSpredict, {folds}-fold cross-validation x {repetitions} repetitions "
            "({technique} antecedents), n = {n_obs:,}"
        ).format(
            folds=self.folds, repetitions=self.repetitions, technique=pgettext("pls", self.technique), n_obs=self.n_obs
        )
        return f"{head}\n\n{translate_frame(self.indicators.round(3)).to_string()}\n\n{self.verdict}"

    def _repr_html_(self) -> str:
        return f"<pre>{self.__repr__()}</pre>"


def _ols_predict(xtrain, ytrain, xtest):
    X = np.column_stack([np.ones(len(xtrain)), xtrain])
    coef, *_ = np.linalg.lstsq(X, ytrain, rcond=None)
    return np.column_stack([np.ones(len(xtest)), xtest]) @ coef


def predict(
    result, *, folds: int = 10, repetitions: int = 10, rng, technique: str = "earliest", progress: bool = True
) -> PredictResult:
    r"""PLSpredict (Shmueli et al. 2016, 2019): k-fold out-of-sample prediction of the endogenous indicators.

    The respondents are split at random into ``folds`` groups; each group in turn is held out,
    the model is estimated on the others, and the held-out respondents' endogenous indicators
    are predicted from their exogenous indicators alone:

    * their construct scores use the training weights (indicators standardised by the training
      means and standard deviations);
    * ``technique="earliest"`` (Shmueli et al. 2016, SmartPLS): endogenous scores are predicted
      through the inner model from the exogenous constructs only; ``"direct"`` (Danks 2021,
      seminr's default): from the direct antecedents' scores;
    * an indicator is predicted as :math:`\bar x + s\,\lambda\,\hat\eta` (training mean, standard
      deviation and loading).

    The benchmark is a linear regression (with intercept) of each endogenous indicator on all
    indicators of the exogenous constructs (``"earliest"``) or of the direct antecedents
    (``"direct"``), fitted on the same training folds. Predictions are averaged over
    ``repetitions`` random splits (as seminr does) before the errors are computed; ``q2_predict``
    compares PLS with the training mean. PLS has predictive power when its RMSE (or MAE) is
    lower than the benchmark's for all (high), most (medium) or a minority (low) of the
    indicators.

    Parameters
    ----------
    result : PLSResult
        A model without interaction terms.
    folds : int
        Number of folds, 2 ... n (n is leave-one-out); each training set must keep more
        respondents than the benchmark has predictors.
    repetitions : int
        Random splits to average over (Shmueli et al. 2019 recommend 10), 1 ... 1,000.
    rng : numpy.random.Generator
        Source of randomness for the splits (keyword-only, required).
    technique : {"earliest", "direct"}
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    PredictResult

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> out = predict(res, folds=10, repetitions=2, rng=np.random.default_rng(3), progress=False)
    >>> out.indicators.shape, bool((out.indicators["q2_predict"] > 0).all())
    ((22, 5), True)
    """
    result = _check_result(result, consistent_ok=False)
    d = result.design
    if d.interactions:
        raise ValueError("predict: models with interaction terms are not supported; predict the model without them")
    spec = d.spec
    raw = result.data[list(spec.indicators)].to_numpy(dtype=float)
    n = raw.shape[0]
    folds = v.integer("folds", folds, minimum=2, maximum=n)
    repetitions = v.integer("repetitions", repetitions, minimum=1, maximum=1000)
    v.rng("rng", rng)
    v.one_of("technique", technique, ("earliest", "direct"))
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True or False; got {progress!r}")
    endo = _endogenous(spec)
    exo = [j for j in range(len(spec.constructs)) if j not in endo]
    target = np.flatnonzero(np.isin(spec.block_index, endo))
    order = _topological(spec.inner)

    def lm_inputs(col):
        k = spec.block_index[col]
        src = exo if technique == "earliest" else list(_predecessors(spec, k))
        return np.flatnonzero(np.isin(spec.block_index, src))

    widest = max(lm_inputs(c).size for c in target)
    smallest_train = n - math.ceil(n / folds)
    if smallest_train <= widest + 1:
        raise ValueError(
            f"folds={folds}: with {n} observations the smallest training set has {smallest_train} rows, too few "
            f"for the linear benchmark with {widest} predictors; use fewer folds or more observations"
        )
    pls_pred = np.zeros((n, target.size))
    lm_pred = np.zeros((n, target.size))
    naive = np.zeros((n, target.size))
    failed = 0
    from tqdm.auto import tqdm

    with tqdm(total=folds * repetitions, desc="PLSpredict", disable=not progress, leave=False) as bar:
        for _ in range(repetitions):
            perm = rng.permutation(n)
            for hold in np.array_split(perm, folds):
                train = np.ones(n, dtype=bool)
                train[hold] = False
                xt = raw[train]
                if not (xt.std(axis=0) > 0).all():
                    raise ValueError(
                        f"folds={folds}: a training set has a constant indicator; use fewer folds or more observations"
                    )
                res = _fit_arrays(xt, spec, d.scheme, d.scaled, d.tol, d.maxiter)
                failed += int(not res["converged"])
                mu, sd = xt.mean(axis=0), xt.std(axis=0)
                xh = (raw[hold] - mu) / (sd if d.scaled else 1.0)
                q = len(spec.constructs)
                scores = np.zeros((hold.size, q))
                for j in range(q):
                    idx = np.flatnonzero(spec.block_index == j)
                    scores[:, j] = xh[:, idx] @ res["weights"][idx]
                pred = scores.copy()
                for k in order:
                    if k in endo:
                        p = _predecessors(spec, k)
                        src = pred if technique == "earliest" else scores
                        pred[:, k] = src[:, p] @ res["path"][k, p]
                for c, col in enumerate(target):
                    k = spec.block_index[col]
                    pls_pred[hold, c] += mu[col] + sd[col] * res["loadings"][col] * pred[:, k]
                    inputs = lm_inputs(col)
                    lm_pred[hold, c] += _ols_predict(xt[:, inputs], xt[:, col], raw[hold][:, inputs])
                    naive[hold, c] += mu[col]
                bar.update(1)
    pls_pred /= repetitions
    lm_pred /= repetitions
    naive /= repetitions
    if failed:
        warnings.warn(
            f"predict: {failed} training fits did not converge; raise maxiter", ConvergenceWarning, stacklevel=2
        )
    y = raw[:, target]
    e_pls, e_lm = y - pls_pred, y - lm_pred
    table = pd.DataFrame(
        {
            "pls_rmse": np.sqrt((e_pls**2).mean(axis=0)),
            "pls_mae": np.abs(e_pls).mean(axis=0),
            "lm_rmse": np.sqrt((e_lm**2).mean(axis=0)),
            "lm_mae": np.abs(e_lm).mean(axis=0),
            "q2_predict": 1 - (e_pls**2).sum(axis=0) / ((y - naive) ** 2).sum(axis=0),
        },
        index=_indicator_index(spec)[target],
    )
    cols = [spec.indicators[c] for c in target]
    predictions = pd.concat(
        {
            "pls": pd.DataFrame(pls_pred, index=result.data.index, columns=cols),
            "lm": pd.DataFrame(lm_pred, index=result.data.index, columns=cols),
        },
        axis=1,
    )
    return PredictResult(
        indicators=table, folds=folds, repetitions=repetitions, technique=technique, n_obs=n, predictions=predictions
    )


# ----------------------------------------------------------------------------------------
# multi-group analysis and moderation
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class MultigroupResult:
    """Permutation test of group differences in path coefficients (Chin & Dibbern 2010).

    ``table`` is indexed by path (from, to) with the estimate in each group, their
    ``difference`` (first group minus second) and the permutation ``p_value``.
    """

    table: pd.DataFrame
    groups: tuple
    group_sizes: tuple
    permutations: int
    draws: np.ndarray = field(compare=False)

    def __repr__(self) -> str:
        (g1, g2), (n1, n2) = self.groups, self.group_sizes
        t = self.table.copy()
        t.index = [f"{a} -> {b}" for a, b in t.index]
        head = gettext(
            "MultigroupResult: permutation test ({permutations} permutations), {g1!r} (n = {n1}) vs {g2!r} (n = {n2})"
        ).format(permutations=self.permutations, g1=g1, n1=n1, g2=g2, n2=n2)
        return f"{head}\n\n{translate_frame(t.round(4)).to_string()}"

    def _repr_html_(self) -> str:
        return f"<pre>{self.__repr__()}</pre>"


def multigroup(result, groups, *, permutations: int = 1000, rng, progress: bool = True) -> MultigroupResult:
    r"""Compare path coefficients between two groups of respondents by a permutation test.

    The model is estimated separately in each group and the differences of the path
    coefficients recorded; then the group labels are shuffled ``permutations`` times (group
    sizes kept), the model re-estimated in both shuffled groups, and the p-value of each path is
    the share of permutations whose absolute difference reaches the observed one,
    :math:`p = (1 + \#\{|d^*| \ge |d|\}) / (1 + P)` (Chin & Dibbern 2010; the +1 counts the
    observed labelling, Phipson & Smyth 2010). Hair et al. (2018) advise establishing
    measurement invariance (MICOM) first; this function does not test it.

    Parameters
    ----------
    result : PLSResult
        The model estimated on all respondents.
    groups : pandas.Series or array-like
        One label per respondent, exactly two distinct values. A Series is aligned on the
        data's index (it must carry the same labels); an array must have one entry per row.
    permutations : int
        Number of permutations, 10 ... 100,000 (Hair et al. recommend 5,000).
    rng : numpy.random.Generator
        Source of randomness (keyword-only, required).
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    MultigroupResult

    Raises
    ------
    ValueError
        When ``groups`` does not have two values, a group has fewer than 10 respondents or a
        constant indicator, or ``groups`` does not match the data's rows.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(200, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> g = np.where(np.arange(200) % 2 == 0, "a", "b")
    >>> mga = multigroup(res, g, permutations=20, rng=np.random.default_rng(4), progress=False)
    >>> list(mga.table.columns)
    ['estimate_a', 'estimate_b', 'difference', 'p_value']
    """
    result = _check_result(result, consistent_ok=False)
    d = result.design
    index = result.data.index
    if isinstance(groups, pd.Series):
        if groups.index.has_duplicates or set(groups.index) != set(index) or len(groups) != len(index):
            raise ValueError(
                "groups: a Series must carry the same index labels as the data the model was fitted on "
                f"({len(index)} rows); got {len(groups)} labels that do not match"
            )
        labels = groups.reindex(index).to_numpy()
    else:
        if groups is None or isinstance(groups, (str, bytes)) or np.ndim(groups) != 1:
            raise TypeError(f"groups must be a pandas Series or a 1-d array of labels; got {groups!r}")
        labels = np.asarray(groups)
        if len(labels) != len(index):
            raise ValueError(f"groups must have one label per respondent ({len(index)}); got {len(labels)}")
    if pd.isna(labels).any():
        raise ValueError(f"groups has {int(pd.isna(labels).sum())} missing labels; drop those respondents first")
    values = [x.item() if isinstance(x, np.generic) else x for x in pd.unique(labels)]
    if len(values) != 2:
        raise ValueError(f"groups must have exactly two distinct values; got {len(values)}: {values[:5]}")
    values = sorted(values, key=str)
    permutations = v.integer("permutations", permutations, minimum=10, maximum=MAX_RESAMPLES)
    v.rng("rng", rng)
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True or False; got {progress!r}")
    raw_base = result.data[list(d.base_spec.indicators)].to_numpy(dtype=float)
    first = labels == values[0]
    sizes = (int(first.sum()), int((~first).sum()))
    for g, size in zip(values, sizes):
        if size < MIN_RESAMPLE_ROWS:
            raise ValueError(
                f"groups: group {g!r} has {size} respondents; each group needs at least {MIN_RESAMPLE_ROWS}"
            )
    pos = {c: i for i, c in enumerate(d.spec.constructs)}
    cells = [(pos[b], pos[a]) for a, b in d.spec.paths]

    def paths_of(mask):
        res = d.refit(raw_base[mask])
        return None if res is None else np.array([res["path"][c] for c in cells])

    est = []
    for g, mask in zip(values, (first, ~first)):
        got = paths_of(mask)
        if got is None:
            const = [c for c, s in zip(d.base_spec.indicators, raw_base[mask].std(axis=0)) if not s > 0]
            why = f"indicator(s) {const} are constant in it" if const else "the fit did not converge"
            raise ValueError(f"groups: the model cannot be estimated in group {g!r}: {why}")
        est.append(got)
    observed = est[0] - est[1]
    from tqdm.auto import tqdm

    diffs, attempts = [], 0
    with tqdm(total=permutations, desc="permutations", disable=not progress, leave=False) as bar:
        while len(diffs) < permutations:
            attempts += 1
            if attempts > 10 * permutations + 100:
                raise ValueError("multigroup: too many permutations gave a constant indicator or no convergence")
            shuffled = rng.permutation(first)
            a, b = paths_of(shuffled), paths_of(~shuffled)
            if a is None or b is None:
                continue
            diffs.append(a - b)
            bar.update(1)
    draws = np.asarray(diffs)
    p = (1 + (np.abs(draws) >= np.abs(observed) - 1e-12).sum(axis=0)) / (1 + len(draws))
    table = pd.DataFrame(
        {f"estimate_{values[0]}": est[0], f"estimate_{values[1]}": est[1], "difference": observed, "p_value": p},
        index=pd.MultiIndex.from_tuples(d.spec.paths, names=["from", "to"]),
    )
    return MultigroupResult(
        table=table, groups=tuple(values), group_sizes=sizes, permutations=permutations, draws=draws
    )


def moderation(result, *, predictor: str, moderator: str, outcome: str, method: str = "two_stage") -> PLSResult:
    r"""Add a moderation (interaction) term ``predictor x moderator -> outcome`` and re-estimate.

    * ``method="two_stage"`` (Chin, Marcolin & Newsted 2003; Henseler & Chin 2010; recommended
      by Hair et al. 2022 for most uses): estimate the model without interaction terms, multiply
      the standardised scores of predictor and moderator, and use the product as the single
      indicator of a construct ``"predictor*moderator"``;
    * ``method="product_indicator"``: every product of a standardised indicator of the predictor
      with one of the moderator forms a Mode A block (reflective blocks only).

    The new construct points to ``outcome``; the model must already contain the paths
    predictor -> outcome and moderator -> outcome (the simple effects). The path coefficient of
    ``"predictor*moderator -> outcome"`` is the change in the predictor's effect for a one
    standard deviation rise of the moderator. All of :mod:`crmlib.pls` applies to the result
    (:func:`f_squared` for the interaction's effect size, :func:`bootstrap` re-runs both stages
    in every resample). Call again on the result to add a second interaction.

    Parameters
    ----------
    result : PLSResult
        The model with its simple effects.
    predictor, moderator, outcome : str
        Constructs of the model.
    method : {"two_stage", "product_indicator"}

    Returns
    -------
    PLSResult
        The moderated model (its ``data`` has the interaction columns).

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(300, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> mod = moderation(res, predictor="VAL", moderator="IMAG", outcome="SAT")
    >>> "VAL*IMAG -> SAT" in mod.params.index
    True
    """
    result = _check_result(result, consistent_ok=False)
    d = result.design
    v.one_of("method", method, INTERACTION_METHODS)
    base = d.base_spec
    for name, value in (("predictor", predictor), ("moderator", moderator), ("outcome", outcome)):
        if value not in base.constructs:
            raise ValueError(f"{name} must be a construct of the model {list(base.constructs)}; got {value!r}")
    if predictor == moderator:
        raise ValueError(f"predictor and moderator must differ; got {predictor!r} twice")
    for name, src in (("predictor", predictor), ("moderator", moderator)):
        if (src, outcome) not in base.paths:
            raise ValueError(
                f"{name}: the model needs the simple effect {src!r} -> {outcome!r} before moderating it; "
                "add that path to the model first"
            )
    term = Interaction(predictor, moderator, method)
    if term.name in d.spec.constructs:
        raise ValueError(f"the interaction {term.name!r} is already in the model")
    if method == "product_indicator":
        formative = [c for c in (predictor, moderator) if base.modes[base.constructs.index(c)] == "B"]
        if formative:
            raise ValueError(
                f"method='product_indicator' needs reflective (Mode A) blocks; {formative} are Mode B: use 'two_stage'"
            )
    blocks = {
        c: [base.indicators[i] for i in np.flatnonzero(base.block_index == j)] for j, c in enumerate(base.constructs)
    }
    modes = dict(zip(base.constructs, base.modes))
    paths = [*d.spec.paths, (term.name, outcome)]
    return _fit(
        result.data[list(base.indicators)],
        blocks,
        paths,
        modes=modes,
        scheme=d.scheme,
        scaled=d.scaled,
        tol=d.tol,
        maxiter=d.maxiter,
        interactions=(*d.interactions, term),
    )


# ----------------------------------------------------------------------------------------
# the whole report
# ----------------------------------------------------------------------------------------
def _path_table(view: _View, n: int) -> pd.DataFrame:
    """seminr's path table: R^2 and AdjR^2 rows, then one row per antecedent, one column per outcome."""
    spec = view.spec
    endo = _endogenous(spec)
    names = spec.constructs
    ante = [j for j in range(len(names)) if spec.inner[:, j].any()]
    table = pd.DataFrame(np.nan, index=["R^2", "AdjR^2", *[names[j] for j in ante]], columns=[names[k] for k in endo])
    for k in endo:
        pred = _predecessors(spec, k)
        table.loc["R^2", names[k]] = view.r2[k]
        table.loc["AdjR^2", names[k]] = 1 - (1 - view.r2[k]) * (n - 1) / (n - pred.size - 1)
        for j in pred:
            table.loc[names[j], names[k]] = view.path[k, j]
    return table


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class SummaryResult:
    """The short report seminr's ``summary()`` prints: path coefficients with R², and reliability."""

    title: str
    paths: pd.DataFrame
    reliability: pd.DataFrame
    issues: tuple

    def __repr__(self) -> str:
        rel = self.reliability.rename(
            columns={"alpha": "alpha", "alpha_std": "alpha_std", "rho_c": "rhoC", "ave": "AVE", "rho_a": "rhoA"}
        )
        paths, rel = (
            translate_frame(self.paths.round(3)),
            translate_frame(rel.round(3)),
        )  # labels in the notebook's language
        lines = [_shown_title(self.title), "", gettext("Path Coefficients:"), paths.to_string(na_rep=".")]
        lines += ["", gettext("Reliability:"), rel.to_string(na_rep=".")]
        lines += [
            "",
            gettext(
                "Guide: alpha, rhoC and rhoA of 0.70 to 0.95; AVE of at least 0.50 (alpha raw, alpha_std standardised)."
            ),
        ]
        if self.issues:
            lines += ["", gettext("To check:"), *[f"  - {s}" for s in self.issues]]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{self.__repr__()}</pre>"


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class AssessmentResult:
    """Everything Hair et al.'s guidelines ask to report about a PLS path model, as DataFrames.

    Measurement model: ``loadings`` (loading, indicator reliability, weight, outer VIF per
    indicator), ``reliability``, ``fornell_larcker``, ``cross_loadings``, ``htmt``. Structural
    model: ``paths`` (seminr's layout), ``inner_vif``, ``r_squared``, ``f_squared``, ``effects``,
    ``q_squared`` (blindfolding; None for PLSc). Optional: ``bootstrap`` (a
    :class:`BootstrapResult`) and ``prediction`` (a :class:`PredictResult`). ``issues`` lists what
    falls outside the guidelines' thresholds. ``summary()`` is the short report; the ``repr`` the
    full one.
    """

    title: str
    n_obs: int
    loadings: pd.DataFrame
    reliability: pd.DataFrame
    fornell_larcker: pd.DataFrame
    cross_loadings: pd.DataFrame
    htmt: pd.DataFrame
    paths: pd.DataFrame
    inner_vif: pd.Series
    r_squared: pd.DataFrame
    f_squared: pd.Series
    effects: pd.DataFrame
    q_squared: pd.DataFrame | None
    bootstrap: BootstrapResult | None
    prediction: PredictResult | None
    issues: tuple

    def summary(self) -> SummaryResult:
        """The short report (path coefficients with R² and adjusted R², and reliability), seminr-style."""
        return SummaryResult(title=self.title, paths=self.paths, reliability=self.reliability, issues=self.issues)

    def __repr__(self) -> str:
        def flat(t):
            t = t.copy()
            t.index = [" -> ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in t.index]
            return t

        tr = translate_frame
        s = [repr(self.summary()), "", gettext("Loadings, indicator reliability, weights and outer VIF:")]
        s.append(tr(self.loadings.round(3)).to_string(na_rep="."))
        s += [
            "",
            gettext("Fornell-Larcker criterion (sqrt AVE on the diagonal):"),
            tr(self.fornell_larcker.round(3)).to_string(na_rep="."),
        ]
        s += ["", "HTMT:", tr(self.htmt.round(3)).to_string(na_rep=".")]
        table = pd.DataFrame({"inner_vif": self.inner_vif, "f_squared": self.f_squared})
        s += ["", gettext("Structural paths: inner VIF and f^2:"), tr(flat(table).round(3)).to_string(na_rep=".")]
        s += ["", gettext("Effects:"), tr(flat(self.effects).round(3)).to_string()]
        if self.q_squared is not None:
            s += ["", gettext("Q^2 (blindfolding):"), tr(self.q_squared.round(3)).to_string()]
        if self.bootstrap is not None:
            s += ["", repr(self.bootstrap)]
        if self.prediction is not None:
            s += ["", repr(self.prediction)]
        return "\n".join(s)

    def _repr_html_(self) -> str:
        return f"<pre>{self.__repr__()}</pre>"


def _issues(rel, loadings, htmt_table, vif_inner, q2, skip) -> list[str]:
    """What falls outside the guidelines' thresholds; interaction terms (``skip``) are not assessed."""
    out = []
    rel = rel.drop(index=list(skip))
    loadings = loadings[~loadings.index.get_level_values("construct").isin(list(skip))]
    htmt_table = htmt_table.drop(index=list(skip), columns=list(skip))
    for c, row in rel.iterrows():
        if np.isnan(row["ave"]) or row["ave"] == 1.0 and row["rho_c"] == 1.0:
            continue
        low = [k for k in ("alpha_std", "rho_c", "rho_a") if row[k] < 0.70]
        high = [k for k in ("rho_c", "rho_a") if row[k] > 0.95]
        if low:
            out.append(f"{c}: reliability below 0.70 ({', '.join(f'{k} {row[k]:.2f}' for k in low)})")
        if high:
            out.append(f"{c}: reliability above 0.95, indicators may be redundant ({', '.join(high)})")
        if row["ave"] < 0.50:
            out.append(f"{c}: AVE {row['ave']:.2f} below 0.50 (convergent validity)")
    reflective = loadings[loadings["mode"] == "A"]
    weak = reflective[reflective["loading"] < 0.708]
    multi = rel.index[(rel["ave"] < 1) & rel["ave"].notna()]
    weak = weak[weak.index.get_level_values("construct").isin(multi)]
    if len(weak):
        out.append("loadings below 0.708: " + ", ".join(f"{i} {x:.2f}" for (_, i), x in weak["loading"].items()))
    pairs = [
        (a, b, htmt_table.loc[a, b])
        for a in htmt_table.index
        for b in htmt_table.columns
        if htmt_table.loc[a, b] > HTMT_CRITICAL
    ]
    if pairs:
        out.append("HTMT above 0.90 (discriminant validity): " + ", ".join(f"{a}-{b} {x:.2f}" for a, b, x in pairs))
    formative = loadings[(loadings["mode"] == "B") & (loadings["vif"] >= VIF_CRITICAL)]
    if len(formative):
        out.append(
            "outer VIF of 5 or more in Mode B blocks: "
            + ", ".join(f"{c}/{i} {x:.2f}" for (c, i), x in formative["vif"].items())
        )
    high = vif_inner[vif_inner >= VIF_CRITICAL]
    if len(high):
        out.append("inner VIF of 5 or more: " + ", ".join(f"{a} -> {b} {x:.2f}" for (a, b), x in high.items()))
    if q2 is not None and (q2["q_squared"] <= 0).any():
        out.append("no predictive relevance (Q^2 <= 0) for " + ", ".join(q2.index[q2["q_squared"] <= 0]))
    return out


def assess(
    result, *, boot: BootstrapResult | None = None, prediction: PredictResult | None = None, omission_distance: int = 7
) -> AssessmentResult:
    """The full PLS-SEM assessment of a fitted model (Hair et al. 2019, 2022), in one report.

    Computes the measurement model (:func:`reliability`, loadings with :func:`outer_vif`,
    :func:`fornell_larcker`, :func:`cross_loadings`, :func:`htmt`), the structural model
    (:func:`inner_vif`, :func:`r_squared`, :func:`f_squared`, :func:`effects`) and
    :func:`blindfolding`; the randomised parts are computed separately (they need ``rng``) and
    passed in: ``boot`` from :func:`bootstrap` and ``prediction`` from :func:`predict`.

    Parameters
    ----------
    result : PLSResult or ConsistentResult
    boot : BootstrapResult, optional
        Bootstrap of the same model, added to the report.
    prediction : PredictResult, optional
        PLSpredict of the same model, added to the report.
    omission_distance : int
        Omission distance of the blindfolding (:func:`blindfolding`).

    Returns
    -------
    AssessmentResult

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import satisfaction as sat
    >>> df = sat.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    >>> res = sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")
    >>> report = assess(res)
    >>> report.paths.loc["R^2", "SAT"].round(2), list(report.reliability.columns)
    (np.float64(0.51), ['alpha', 'alpha_std', 'rho_c', 'rho_a', 'ave'])
    """
    result = _check_result(result)
    if boot is not None and not isinstance(boot, BootstrapResult):
        raise TypeError(f"boot must be a BootstrapResult from crmlib.pls.bootstrap or None; got {type(boot).__name__}")
    if prediction is not None and not isinstance(prediction, PredictResult):
        raise TypeError(
            f"prediction must be a PredictResult from crmlib.pls.predict or None; got {type(prediction).__name__}"
        )
    omission_distance = v.integer("omission_distance", omission_distance, minimum=2, maximum=max(2, result.n_obs // 2))
    view = _view(result)
    spec = view.spec
    base = _base(result)
    rel = reliability(result)
    lam = pd.Series(view.loadings, index=_indicator_index(spec))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CollinearityWarning)
        vif_outer = outer_vif(result)
        vif_inner = inner_vif(result)
    loadings = pd.DataFrame(
        {
            "mode": [spec.modes[b] for b in spec.block_index],
            "loading": lam,
            "indicator_reliability": lam**2,
            "weight": view.weights,
            "vif": vif_outer,
        }
    )
    is_consistent = isinstance(result, ConsistentResult)
    q2 = None if is_consistent else blindfolding(result, omission_distance=omission_distance)
    h = htmt(result)
    d = base.design
    kind = "consistent PLS (PLSc)" if is_consistent else "PLS"
    title = (
        f"PLS-SEM assessment ({kind}): {len(spec.constructs)} constructs, {len(spec.indicators)} indicators, "
        f"n = {result.n_obs:,}; {d.scheme} scheme, {'standardised' if d.scaled else 'centred'} indicators"
    )
    _warn_inner_collinearity(view, _inner_vif_values(view), stacklevel=3)
    return AssessmentResult(
        title=title,
        n_obs=result.n_obs,
        loadings=loadings,
        reliability=rel,
        fornell_larcker=fornell_larcker(result),
        cross_loadings=cross_loadings(result),
        htmt=h,
        paths=_path_table(view, result.n_obs),
        inner_vif=vif_inner,
        r_squared=r_squared(result),
        f_squared=f_squared(result, method="scores" if is_consistent else "refit"),
        effects=effects(result),
        q_squared=q2,
        bootstrap=boot,
        prediction=prediction,
        issues=tuple(_issues(rel, loadings, h, vif_inner, q2, [t.name for t in d.interactions])),
    )
