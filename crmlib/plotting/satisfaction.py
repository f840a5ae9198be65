"""Figures of chapter 1 (the satisfaction trap). Each takes ``ax=None`` and returns the axis it drew on.

* :func:`plot_satisfaction_loyalty` — repurchase probability against satisfaction for one or
  more markets, with the zones shaded, and optionally observed rates and estimated curves;
* :func:`plot_typology` — the shares of the four Jones–Sasser types as bars;
* :func:`plot_retention_lever` — the lift in customer value from more retention, against the
  base retention rate (:func:`crmlib.value.retention_lift`).

The figures draw what the models of :mod:`crmlib.satisfaction` and :mod:`crmlib.value` compute;
a scenario can be passed as its evaluated outcome (:class:`~crmlib.satisfaction.MarketOutcome`,
:class:`~crmlib.satisfaction.LeverOutcome`) so that a widget evaluates the model once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import satisfaction as sat
from .. import value
from . import PALETTE, axes

__all__ = ["plot_retention_lever", "plot_satisfaction_loyalty", "plot_typology"]

#: Colours of the zones of defection, indifference and affection.
ZONE_COLOURS = (PALETTE[1], "#999999", PALETTE[2])
#: Colours of the four Jones–Sasser types, in the order of :data:`crmlib.satisfaction.TYPES`.
TYPE_COLOURS = (PALETTE[2], PALETTE[4], PALETTE[0], PALETTE[1])
TYPE_LABELS = (
    "loyalist/apostle\n忠诚者/传道者",
    "mercenary\n唯利是图者",
    "hostage\n人质",
    "defector/terrorist\n背叛者/恐怖分子",
)


def plot_satisfaction_loyalty(scenarios=None, ax=None, *, zones=(2, 5), labels=None, survey=None, estimates=None):
    """Plot repurchase probability against satisfaction for one or more markets.

    Parameters
    ----------
    scenarios : MarketScenario, MarketOutcome or a list of them, optional
        Markets whose curve :func:`~crmlib.satisfaction.repurchase_probability` is drawn
        (default: a protected and a competitive market); the dots at the answer levels come
        from the outcome when one is given.
    ax : matplotlib Axes, optional
    zones : (defection_max, affection_min)
        Cut-offs of the shaded zones (see :func:`~crmlib.satisfaction.satisfaction_zone`);
        ``None`` for no shading.
    labels : list of str, optional
        Legend labels, one per scenario.
    survey : pandas.DataFrame, optional
        Observed rates with intervals (:func:`~crmlib.satisfaction.repurchase_by_level` output)
        to overlay.
    estimates : dict of str -> DataFrame, optional
        Estimated curves (:func:`~crmlib.satisfaction.satisfaction_loyalty_curve` or
        :func:`~crmlib.satisfaction.lowess_loyalty_curve` output) drawn with their bands.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    if scenarios is None:
        scenarios = [
            sat.market_scenario(competitive_intensity=0.1, switching_barrier=0.3),
            sat.market_scenario(competitive_intensity=0.9),
        ]
    if isinstance(scenarios, (sat.MarketScenario, sat.MarketOutcome)):
        scenarios = [scenarios]
    scenarios = list(scenarios)
    if labels is not None and len(labels) != len(scenarios):
        raise ValueError(f"labels must give one label per scenario ({len(scenarios)}); got {len(labels)}")
    if zones is not None:
        lo, hi = zones
        ax.axvspan(0.8, lo + 0.5, color=ZONE_COLOURS[0], alpha=0.08)
        ax.axvspan(lo + 0.5, hi - 0.5, color=ZONE_COLOURS[1], alpha=0.08)
        ax.axvspan(hi - 0.5, 5.2, color=ZONE_COLOURS[2], alpha=0.10)
        for x, text in ((0.85, "defection 背离"), (lo + 0.55, "indifference 无所谓"), (hi - 0.45, "affection 喜爱")):
            ax.text(x, 1.01, text, fontsize=8, va="bottom", transform=ax.get_xaxis_transform())
    grid = np.linspace(1, 5, 81)
    for i, item in enumerate(scenarios):
        if isinstance(item, sat.MarketOutcome):
            sc, pts = item.scenario, item.repurchase.to_numpy()
        elif isinstance(item, sat.MarketScenario):
            sc, pts = item, None
        else:
            raise TypeError(f"scenarios must hold MarketScenario or MarketOutcome objects; got {type(item).__name__}")
        p = sat.repurchase_probability(
            grid, sc.competitive_intensity, sc.switching_barrier, sc.max_repurchase, sc.min_repurchase
        )
        if pts is None:
            pts = sat.repurchase_probability(
                np.array(sat.LEVELS, float),
                sc.competitive_intensity,
                sc.switching_barrier,
                sc.max_repurchase,
                sc.min_repurchase,
            )
        label = (
            labels[i]
            if labels
            else f"competition c={sc.competitive_intensity:.2f}, barrier b={sc.switching_barrier:.2f}"
        )
        (line,) = ax.plot(grid, p, lw=2, label=label)
        ax.plot(sat.LEVELS, pts, "o", color=line.get_color())
    if survey is not None:
        ax.errorbar(
            survey.index,
            survey["rate"],
            yerr=[survey["rate"] - survey["lower"], survey["upper"] - survey["rate"]],
            fmt="s",
            color="black",
            capsize=3,
            label="survey rate (95% CI)",
        )
    for name, est in (estimates or {}).items():
        x = est.index.to_numpy(dtype=float)
        (line,) = ax.plot(x, est["probability"], lw=1.5, ls="--", label=f"{name} estimate")
        ax.fill_between(x, est["lower"], est["upper"], color=line.get_color(), alpha=0.15)
    ax.set_xlim(0.8, 5.2)
    ax.set_ylim(0, 1.0)
    ax.set_xticks(sat.LEVELS)
    ax.set_xlabel("satisfaction 满意度 (answer 1-5, 5 = completely satisfied)")
    ax.set_ylabel("repurchase probability (share)")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_typology(shares, ax=None, title=None):
    """Bar chart of the shares of the four Jones–Sasser types, labelled in per cent.

    Parameters
    ----------
    shares : pandas.Series
        Shares indexed by :data:`~crmlib.satisfaction.TYPES`
        (:func:`~crmlib.satisfaction.typology_shares` or
        :func:`~crmlib.satisfaction.expected_typology` output); a missing type counts as 0.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    if not isinstance(shares, pd.Series):
        raise TypeError(f"shares must be a pandas Series indexed by the types in TYPES; got {type(shares).__name__}")
    s = shares.reindex(list(sat.TYPES)).fillna(0.0)
    heights = s.to_numpy(dtype=float)
    ax.bar(range(len(s)), heights, color=TYPE_COLOURS)
    ax.set_xticks(range(len(s)))
    ax.set_xticklabels(TYPE_LABELS, fontsize=8)
    for i, val in enumerate(heights):
        ax.text(i, val + 0.01, f"{val:.0%}", ha="center", fontsize=9)
    ax.set_ylim(0, max(0.05, float(heights.max())) * 1.2)
    ax.set_ylabel("share of customers")
    if title:
        ax.set_title(title)
    return ax


def plot_retention_lever(lever=None, ax=None):
    """Lift in customer value from ``retention_gain`` more retention, against base retention.

    Draws :func:`crmlib.value.retention_lift` over base retention rates (from 0.30 up to where
    the value stops being finite or ``r + Δr`` reaches 1) at the scenario's discount rate,
    margin growth, margin and acquisition cost, marks the scenario's own retention rate, and
    adds horizontal guides at the quoted 25%, 35%, 60% and 100%.

    Parameters
    ----------
    lever : RetentionScenario or LeverOutcome, optional
        The scenario (default :func:`~crmlib.satisfaction.retention_scenario`), or its outcome
        from :func:`~crmlib.satisfaction.evaluate_retention_lever`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    out = lever if isinstance(lever, sat.LeverOutcome) else sat.evaluate_retention_lever(lever)
    sc = out.scenario
    gain, d, g = sc.retention_gain, sc.discount_rate, sc.margin_growth
    top = min(1 - gain, (1 + d) / (1 + g) - gain) - 0.005
    r = np.linspace(0.30, top, 200)
    kw = dict(margin_growth=g, acquisition_cost=sc.acquisition_cost)
    r = r[value.clv_from_retention(sc.margin, r, d, **kw) > 0]
    lift = value.retention_lift(r, d, retention_gain=gain, margin=sc.margin, **kw)
    ax.plot(r, 100 * lift, lw=2, label=f"discount rate {d:.0%}, margin growth {g:.0%}")
    for q in (25, 35, 60, 100):
        ax.axhline(q, color="grey", lw=0.8, ls="--")
        ax.text(r[0], q + 2, f"{q}%", fontsize=8, color="grey")
    ax.plot(
        [sc.retention_rate], [100 * out.lift], "o", color="black", label=f"r = {sc.retention_rate:.2f}: {out.lift:+.1%}"
    )
    ax.set_xlabel("base retention rate r (share per period)")
    ax.set_ylabel(f"change in customer value from +{gain:.0%} retention (%)")
    ax.set_ylim(0, max(150, 100 * out.lift * 1.1))
    ax.legend(loc="upper left", fontsize=8)
    return ax
