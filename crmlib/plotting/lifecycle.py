"""Figures of chapter 6 (the relationship life cycle). Each takes ``ax=None`` and returns the axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import _validate as v
from ..i18n import N_, label
from ..i18n import gettext as _
from ..lifecycle import STAGE_NAMES, STAGES, BGBBResult, BudgetOutcome, RescueDecision
from . import PALETTE, axes

__all__ = [
    "plot_budget",
    "plot_frequency_fit",
    "plot_occasion_tracking",
    "plot_prob_alive_matrix",
    "plot_rescue",
    "plot_stage_shares",
    "plot_transition_matrix",
    "prob_alive_matrix",
]

#: One colour per stage, from the suite's palette (cultivation grey-blue ... dissolution black).
STAGE_COLOURS = dict(zip(STAGES, ("#56B4E9", "#E69F00", "#009E73", "#D55E00", "#000000")))


def _label(stage: str) -> str:
    return _("{stage} {chinese}").format(stage=stage, chinese=STAGE_NAMES[stage][:-2])


def plot_frequency_fit(comparison: pd.DataFrame, ax=None):
    """Customers by number of repeat occasions: actual against the model (bars side by side).

    ``comparison`` is indexed by frequency x with columns ``actual`` and ``expected`` (counts).
    """
    v.columns("comparison", comparison, ["actual", "expected"])
    ax = axes(ax)
    x = np.arange(len(comparison))
    ax.bar(x - 0.2, comparison["actual"], width=0.4, label=_("actual"))
    ax.bar(x + 0.2, comparison["expected"], width=0.4, label=_("BG/BB model"))
    ax.set_xticks(x, comparison.index.astype(str))
    ax.set_xlabel(_("occasions with a repeat transaction (years with a gift)"))
    ax.set_ylabel(_("customers"))
    ax.legend()
    return ax


def prob_alive_matrix(model: BGBBResult, periods: int, ahead: int = 1) -> pd.DataFrame:
    """P(alive at n + ``ahead``) for every possible history (x, t_x) after n = ``periods`` occasions.

    Rows frequency x (0..n), columns recency t_x (0..n); impossible histories are NaN.
    """
    if not isinstance(model, BGBBResult):
        raise TypeError(f"model must be a fitted BG/BB result; got {type(model).__name__}")
    n = v.integer("periods", periods, minimum=1, maximum=100)
    xs, ts = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    ok = ((xs == 0) & (ts == 0)) | ((xs > 0) & (ts >= xs))
    values = np.full(xs.shape, np.nan)
    values[ok] = model.prob_alive(xs[ok], ts[ok], np.full(ok.sum(), n), ahead=ahead)
    return pd.DataFrame(
        values, index=pd.Index(range(n + 1), name="frequency"), columns=pd.Index(range(n + 1), name="recency")
    )


def plot_prob_alive_matrix(model: BGBBResult, periods: int = 6, ahead: int = 1, ax=None):
    """Heat map of P(alive) by frequency and recency (FHS 2010, Table 6), numbers in the cells."""
    table = prob_alive_matrix(model, periods, ahead)
    ax = axes(ax)
    ax.grid(False)
    im = ax.imshow(table.to_numpy(), origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto")
    for (i, j), val in np.ndenumerate(table.to_numpy()):
        if np.isfinite(val):
            ax.text(j, i, f"{val:.2f}", ha="center", va="center", fontsize=8, color="white" if val < 0.6 else "black")
    ax.set_xticks(range(table.shape[1]), table.columns)
    ax.set_yticks(range(table.shape[0]), table.index)
    ax.set_xlabel(_("recency t_x: occasion of the last transaction"))
    ax.set_ylabel(_("frequency x: occasions with a transaction"))
    ax.set_title(_("P(alive) 存活概率 at the next occasion (n = {n})").format(n=int(periods)))
    ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return ax


def plot_occasion_tracking(tracking: pd.DataFrame, ax=None):
    """Repeat transactions per period, actual and expected, with the end of calibration marked."""
    v.columns("tracking", tracking, ["actual", "expected", "calibration"])
    ax = axes(ax)
    x = np.arange(len(tracking))
    ax.plot(x, tracking["actual"], marker="o", ms=3, label=_("actual"))
    ax.plot(x, tracking["expected"], ls="--", label=_("BG/BB model"))
    cal = np.flatnonzero(tracking["calibration"].to_numpy(bool))
    if cal.size:
        ax.axvline(cal.max() + 0.5, color="grey", ls=":")
        ax.text(cal.max() + 0.6, ax.get_ylim()[1] * 0.95, _("holdout →"), va="top", fontsize=9, color="grey")
    step = len(tracking) // 7 + 1
    ax.set_xticks(x[::step], [str(p) for p in tracking.index[::step]])
    ax.set_xlabel(_(str(tracking.index.name or "period")))
    ax.set_ylabel(_("customers with a repeat transaction"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower left")
    return ax


def plot_stage_shares(stages: pd.DataFrame, ax=None):
    """Share of customers in each stage at the end of each period (stacked areas).

    ``stages``: stage labels, customers in rows and periods in columns (``history["stage"].unstack()``).
    """
    if not isinstance(stages, pd.DataFrame):
        raise TypeError(f"stages must be a DataFrame (customers x periods); got {type(stages).__name__}")
    counts = pd.DataFrame({c: stages[c].astype(object).value_counts() for c in stages.columns}).reindex(list(STAGES))
    shares = counts.fillna(0) / counts.fillna(0).sum()
    ax = axes(ax)
    x = np.arange(shares.shape[1])
    ax.stackplot(
        x, shares.to_numpy(), labels=[_label(s) for s in STAGES], colors=[STAGE_COLOURS[s] for s in STAGES], alpha=0.85
    )
    step = len(x) // 7 + 1
    ax.set_xticks(x[::step], [str(c) for c in shares.columns[::step]])
    ax.set_xlim(0, len(x) - 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel(_("end of period"))
    ax.set_ylabel(_("share of customers"))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    return ax


def plot_transition_matrix(matrix: pd.DataFrame, ax=None):
    """Heat map of stage-to-stage transition probabilities per period, numbers in the cells."""
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(f"matrix must be a DataFrame of probabilities; got {type(matrix).__name__}")
    arr = matrix.to_numpy(dtype=float)
    ax = axes(ax)
    ax.grid(False)
    ax.imshow(np.nan_to_num(arr), cmap="Blues", vmin=0, vmax=1)
    for (i, j), val in np.ndenumerate(arr):
        if np.isfinite(val) and val > 0:
            text = f"{val:.3f}" if val >= 0.0005 else "<0.001"
            ax.text(j, i, text, ha="center", va="center", fontsize=9, color="white" if val > 0.6 else "black")
    stage = matrix.attrs.get("i18n_context", "life cycle stage")  # "trust" is the stage 关系信任 here
    ax.set_xticks(range(arr.shape[1]), [label(str(c), stage) for c in matrix.columns], rotation=30, ha="right")
    ax.set_yticks(range(arr.shape[0]), [label(str(i), stage) for i in matrix.index])
    ax.set_xlabel(_("stage at the end of the next period"))
    ax.set_ylabel(_("stage now"))
    return ax


def plot_rescue(decision: RescueDecision, unit: str = "yuan", ax=None):
    """Expected gain of a rescue against its chance of success: rescue right of the break-even point.

    ``unit`` names the currency on the axis (the chapter's cases are in yuan).
    """
    if not isinstance(decision, RescueDecision):
        raise TypeError(f"decision must be a RescueDecision; got {type(decision).__name__}")
    ax = axes(ax)
    p = np.linspace(0, 1, 101)
    gain = p * decision.value_retained - decision.cost
    ax.plot(p, gain, color=PALETTE[0], label=_("expected gain = p × value retained − cost"))
    ax.axhline(0, color="grey", lw=0.8)
    be = decision.break_even_probability
    if np.isfinite(be) and be <= 1:
        ax.axvline(be, color="grey", ls=":")
        ax.text(
            be, ax.get_ylim()[0], " " + _("break-even p = {p:.2f}").format(p=be), va="bottom", fontsize=9, color="grey"
        )
    colour = PALETTE[2] if decision.action == "rescue" else PALETTE[1]
    ax.plot(
        [decision.success_probability],
        [decision.expected_gain],
        "o",
        ms=9,
        color=colour,
        label=_("this case: rescue (挽救)") if decision.action == "rescue" else _("this case: end (终止)"),
    )
    ax.set_xlim(0, 1)
    ax.set_xlabel(_("P(success) of the rescue"))
    ax.set_ylabel(_("expected gain ({unit})").format(unit=_(unit)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}"))
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_budget(allocation: BudgetOutcome, ax=None):
    """Share of customers, of the care budget and of the value gained, by segment (grouped bars)."""
    if not isinstance(allocation, BudgetOutcome):
        raise TypeError(f"allocation must be a BudgetOutcome; got {type(allocation).__name__}")
    t = allocation.table
    shares = pd.DataFrame(
        {
            N_("customers"): t["customers"] / t["customers"].sum(),
            N_("budget"): t["spend"] / max(t["spend"].sum(), 1e-300),
            N_("value gained"): t["value_gain"] / max(t["value_gain"].sum(), 1e-300),
        }
    )
    ax = axes(ax)
    x = np.arange(len(shares))
    for k, col in enumerate(shares.columns):
        ax.bar(x + (k - 1) * 0.27, shares[col], width=0.27, label=_("share of {what}").format(what=_(col)))
    ax.set_xticks(x, [_(str(i)) for i in shares.index])
    ax.set_ylim(0, 1)
    ax.set_ylabel(_("share"))
    ax.set_xlabel(_("value segment"))
    ax.legend(fontsize=9)
    return ax
