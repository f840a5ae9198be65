"""Figures of chapter 0 (what CRM is; CRM in the exhibition business). Each takes ``ax=None`` and returns the axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection

from .. import crm
from ..i18n import N_
from ..i18n import gettext as _
from . import PALETTE, axes

#: Axis labels of plot_segments made from feature names (rfm_features), marked for the Chinese edition.
_FEATURE_LABELS = (N_("weeks since last"), N_("purchases"), N_("spend"), N_("holdout purchases"))


def plot_customer_counts(counts, *, truth: int | None = None, ax=None):
    """Horizontal bars: how many customers each view of the data counts, with the true number as a line.

    Parameters
    ----------
    counts : pandas.Series or mapping
        Label -> number of customers (e.g. the four department lists, exact keys, splink).
    truth : int, optional
        The true number of customers (known only for constructed data), drawn as a dashed line.
    ax : matplotlib Axes, optional
    """
    counts = pd.Series(counts, dtype=float)
    if counts.empty:
        raise ValueError("counts must hold at least one bar")
    ax = axes(ax)
    y = np.arange(len(counts))[::-1]
    ax.barh(y, counts.to_numpy(), color=[PALETTE[i % len(PALETTE)] for i in range(len(counts))])
    for yi, value in zip(y, counts.to_numpy()):
        ax.text(value, yi, f" {value:,.0f}", va="center", fontsize=9)
    ax.set_yticks(y, [_(str(i)) for i in counts.index])
    if truth is not None:
        ax.axvline(float(truth), color="black", ls="--", lw=1, label=_("true customers: {truth:,}").format(truth=truth))
        ax.legend(loc="lower right", fontsize=9)
    ax.set_xlabel(_("customers counted"))
    ax.set_title(_("one customer base, counted four ways 客户信息分散 vs 整合"))
    ax.set_xlim(0, counts.max() * 1.15)
    return ax


def plot_segments(
    features: pd.DataFrame,
    segmentation: crm.SegmentationResult,
    *,
    x: str = "weeks_since_last",
    y: str = "spend",
    ax=None,
):
    """Customers on two features, coloured by k-means segment; ``y`` on a log scale (value + 1).

    Parameters
    ----------
    features : pandas.DataFrame
        The features that were segmented (index = customers).
    segmentation : crmlib.crm.SegmentationResult
    x, y : str
        Columns to draw (default weeks since the last purchase, and spend).
    ax : matplotlib Axes, optional
    """
    if not isinstance(segmentation, crm.SegmentationResult):
        raise TypeError(f"segmentation must be a SegmentationResult; got {type(segmentation).__name__}")
    for name, col in (("x", x), ("y", y)):
        if col not in features.columns:
            raise ValueError(f"{name} must be a column of features {list(features.columns)}; got {col!r}")
    labels = segmentation.labels.reindex(features.index)
    ax = axes(ax)
    for s in segmentation.centres.index:
        part = features[labels == s]
        ax.scatter(
            part[x],
            part[y] + 1,
            s=7,
            alpha=0.5,
            color=PALETTE[(s - 1) % len(PALETTE)],
            label=_("segment {segment} ({customers:,})").format(segment=s, customers=len(part)),
        )
    ax.set_yscale("log")
    ax.set_xlabel(_(x.replace("_", " ")))
    ax.set_ylabel(_("{feature} + 1 (log scale)").format(feature=_(y.replace("_", " "))))
    ax.set_title(_("customer segments 客户细分 (k-means)"))
    ax.legend(fontsize=8, markerscale=2)
    return ax


def plot_prospect_ranking(outcome: crm.CampaignOutcome, ax=None):
    """Prospect value by rank: pursued, worth it but beyond the budget, and not worth pursuing.

    Parameters
    ----------
    outcome : crmlib.crm.CampaignOutcome
        From :func:`crmlib.crm.evaluate_campaign`.
    ax : matplotlib Axes, optional
    """
    if not isinstance(outcome, crm.CampaignOutcome):
        raise TypeError(f"outcome must be a CampaignOutcome; got {type(outcome).__name__}")
    r = outcome.ranked
    ax = axes(ax)
    pv = r["prospect_value"].to_numpy() / 1000.0
    rank = r["rank"].to_numpy()
    kinds = (
        (_("pursued"), r["pursue"].to_numpy(), PALETTE[0]),
        (_("worth it, beyond the budget"), (~r["pursue"] & (r["prospect_value"] > 0)).to_numpy(), PALETTE[4]),
        (_("not worth pursuing"), (r["prospect_value"] <= 0).to_numpy(), "#9a9a9a"),
    )
    for label, mask, colour in kinds:
        # one collection of bars per kind, not one Rectangle per prospect: the explorer redraws this
        # figure on every slider move, and 120 separate patches cost ~60 ms of layout and drawing
        x, h = rank[mask].astype(float), pv[mask]
        corners = [(x - 0.425, 0 * h), (x - 0.425, h), (x + 0.425, h), (x + 0.425, 0 * h)]
        bars = PolyCollection(
            np.stack([np.column_stack(c) for c in corners], axis=1),
            facecolors=colour,
            edgecolors="none",
            label=f"{label} ({int(mask.sum())})",
        )
        bars.sticky_edges.y.append(0.0)  # bars stand on zero, as ax.bar's do
        ax.add_collection(bars)
    ax.autoscale_view()
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(_("prospect rank (1 = highest expected value)"))
    ax.set_ylabel(_("prospect value p·V − c (thousand yuan)"))
    ax.set_title(
        _("潜在客户价值: {pursued} pursued, cost {cost_k:,.1f}k yuan, expected {expected:.1f} new exhibitors").format(
            pursued=outcome.n_pursued, cost_k=outcome.cost / 1000, expected=outcome.expected_new_exhibitors
        ),
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper right")
    return ax
