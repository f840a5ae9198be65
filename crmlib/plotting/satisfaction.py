"""Figures of chapter 1 (the satisfaction trap). Each takes ``ax=None`` and returns the axis it drew on.

* :func:`plot_satisfaction_loyalty` — repurchase probability against satisfaction for one or
  more markets, with the zones shaded, and optionally observed rates and estimated curves;
* :func:`plot_typology` — the shares of the four Jones–Sasser types as bars;
* :func:`plot_retention_lever` — the lift in customer value from more retention, against the
  base retention rate (:func:`crmlib.value.retention_lift`);
* :func:`plot_importance_performance` — the importance-performance grid of a key-driver
  analysis (:func:`crmlib.satisfaction.importance_performance_grid`), with the quadrants' actions.

The figures draw what the models of :mod:`crmlib.satisfaction` and :mod:`crmlib.value` compute;
a scenario can be passed as its evaluated outcome (:class:`~crmlib.satisfaction.MarketOutcome`,
:class:`~crmlib.satisfaction.LeverOutcome`) so that a widget evaluates the model once.
Titles, axes, legends and the zone, type and quadrant labels are translated when drawn
(:mod:`crmlib.i18n`): English keeps the slides' Chinese beside the English words, the Chinese
edition shows the slides' Chinese alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import satisfaction as sat
from .. import value
from ..i18n import N_
from ..i18n import gettext as _
from . import PALETTE, axes

__all__ = ["plot_importance_performance", "plot_retention_lever", "plot_satisfaction_loyalty", "plot_typology"]

#: Colours of the zones of defection, indifference and affection.
ZONE_COLOURS = (PALETTE[1], "#999999", PALETTE[2])
#: Colours of the four Jones–Sasser types, in the order of :data:`crmlib.satisfaction.TYPES`.
TYPE_COLOURS = (PALETTE[2], PALETTE[4], PALETTE[0], PALETTE[1])
TYPE_LABELS = (
    N_("loyalist/apostle\n忠诚者/传道者"),
    N_("mercenary\n唯利是图者"),
    N_("hostage\n人质"),
    N_("defector/terrorist\n背叛者/恐怖分子"),
)
#: The zones' names written above the shaded bands (English with the slides' Chinese).
ZONE_LABELS = (N_("defection 背离"), N_("indifference 无所谓"), N_("affection 喜爱"))


def _driver_label(driver) -> str:
    """A driver as figures and widgets name it: "price 价格" in English, 价格（price） in Chinese."""
    name = str(driver).replace("_", " ")
    term = sat.DRIVER_TERMS.get(driver, "")
    if not term:
        return name
    return _("{driver} {term}").format(driver=name, term=term)


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
        for x, text in zip((0.85, lo + 0.55, hi - 0.45), ZONE_LABELS):
            ax.text(x, 1.01, _(text), fontsize=8, va="bottom", transform=ax.get_xaxis_transform())
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
            else _("competition c={competition:.2f}, barrier b={barrier:.2f}").format(
                competition=sc.competitive_intensity, barrier=sc.switching_barrier
            )
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
            label=_("survey rate (95% CI)"),
        )
    for name, est in (estimates or {}).items():
        x = est.index.to_numpy(dtype=float)
        (line,) = ax.plot(x, est["probability"], lw=1.5, ls="--", label=_("{name} estimate").format(name=name))
        ax.fill_between(x, est["lower"], est["upper"], color=line.get_color(), alpha=0.15)
    ax.set_xlim(0.8, 5.2)
    ax.set_ylim(0, 1.0)
    ax.set_xticks(sat.LEVELS)
    ax.set_xlabel(_("satisfaction 满意度 (answer 1-5, 5 = completely satisfied)"))
    ax.set_ylabel(_("repurchase probability (share)"))
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
    ax.set_xticklabels([_(label) for label in TYPE_LABELS], fontsize=8)
    for i, val in enumerate(heights):
        ax.text(i, val + 0.01, f"{val:.0%}", ha="center", fontsize=9)
    ax.set_ylim(0, max(0.05, float(heights.max())) * 1.2)
    ax.set_ylabel(_("share of customers"))
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
    ax.plot(
        r,
        100 * lift,
        lw=2,
        label=_("discount rate {discount:.0%}, margin growth {growth:.0%}").format(discount=d, growth=g),
    )
    for q in (25, 35, 60, 100):
        ax.axhline(q, color="grey", lw=0.8, ls="--")
        ax.text(r[0], q + 2, f"{q}%", fontsize=8, color="grey")
    ax.plot(
        [sc.retention_rate], [100 * out.lift], "o", color="black", label=f"r = {sc.retention_rate:.2f}: {out.lift:+.1%}"
    )
    ax.set_xlabel(_("base retention rate r (share per period)"))
    ax.set_ylabel(_("change in customer value from +{gain:.0%} retention (%)").format(gain=gain))
    ax.set_ylim(0, max(150, 100 * out.lift * 1.1))
    ax.legend(loc="upper left", fontsize=8)
    return ax


#: Labels of the grid's quadrants (English action, the suite's Chinese) and where they go.
QUADRANT_LABELS = {
    "concentrate here": (N_("concentrate here\n重点改进"), "left", "top"),
    "keep up the good work": (N_("keep up the good work\n继续保持"), "right", "top"),
    "low priority": (N_("low priority\n低优先"), "left", "bottom"),
    "possible overkill": (N_("possible overkill\n可能过度"), "right", "bottom"),
}
#: Colours of the four quadrants, in the order of :data:`crmlib.satisfaction.QUADRANTS`.
QUADRANT_COLOURS = (PALETTE[1], PALETTE[2], "#999999", PALETTE[4])

_IMPORTANCE_LABEL = N_("derived importance")
_MEASURE_LABELS = {
    "lmg_share": N_("derived importance: LMG share of R²"),
    "lmg": N_("derived importance: LMG (part of R²)"),
    "beta": N_("derived importance: standardised beta"),
    "correlation": N_("derived importance: correlation with overall"),
}


def plot_importance_performance(grid, ax=None, *, title=None, constructed=True):
    """Importance-performance grid: drivers by performance (x) and derived importance (y).

    Draws the grid lines stored with the grid (``grid.attrs``; see
    :func:`~crmlib.satisfaction.importance_performance_grid`), labels the quadrants with the
    action each calls for, colours each driver by its quadrant and labels it with the slides'
    Chinese term. Given a :class:`~crmlib.satisfaction.DriverChangeOutcome`, it draws the grid
    after the change and an arrow from the moved driver's survey position.

    Parameters
    ----------
    grid : pandas.DataFrame or DriverChangeOutcome
        Output of :func:`~crmlib.satisfaction.importance_performance_grid` (columns
        ``importance``, ``performance``, ``quadrant``) or of
        :func:`~crmlib.satisfaction.evaluate_driver_change`.
    ax : matplotlib Axes, optional
    title : str, optional
    constructed : bool
        Add "(constructed data)" to the x label (default True: no real survey ships).

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes(ax)
    moved = None
    if isinstance(grid, sat.DriverChangeOutcome):
        moved, grid = grid, grid.grid
    if not isinstance(grid, pd.DataFrame) or not {"importance", "performance", "quadrant"} <= set(grid.columns):
        raise TypeError(
            "grid must be the DataFrame of importance_performance_grid or a DriverChangeOutcome; "
            f"got {type(grid).__name__}"
        )
    i_cut = grid.attrs.get("importance_cut", float(grid["importance"].mean()))
    p_cut = grid.attrs.get("performance_cut", float(grid["performance"].mean()))
    perf = grid["performance"].to_numpy(dtype=float)
    imp = grid["importance"].to_numpy(dtype=float)
    xs = np.append(perf, [p_cut] + ([moved.performance_before] if moved else []))
    x_lo, x_hi = float(xs.min()), float(xs.max())
    pad_x = max(0.15 * (x_hi - x_lo), 0.3)
    y_lo, y_hi = min(float(imp.min()), i_cut), max(float(imp.max()), i_cut)
    pad_y = max(0.25 * (y_hi - y_lo), 0.02)
    ax.set_xlim(x_lo - pad_x, x_hi + pad_x)
    ax.set_ylim(y_lo - pad_y, y_hi + pad_y)
    ax.axvline(p_cut, color="grey", lw=1, ls="--")
    ax.axhline(i_cut, color="grey", lw=1, ls="--")
    for name, (text, ha, va) in QUADRANT_LABELS.items():
        x = 0.02 if ha == "left" else 0.98
        y = 0.98 if va == "top" else 0.02
        colour = QUADRANT_COLOURS[sat.QUADRANTS.index(name)]
        ax.text(x, y, _(text), transform=ax.transAxes, ha=ha, va=va, fontsize=8, color=colour)
    colours = [QUADRANT_COLOURS[sat.QUADRANTS.index(q)] for q in grid["quadrant"]]
    ax.scatter(perf, imp, s=60, c=colours, zorder=3, edgecolors="black", linewidths=0.5)
    for driver, x, y in zip(grid.index, perf, imp):
        ax.annotate(_driver_label(driver), (x, y), xytext=(5, 4), textcoords="offset points", fontsize=8)
    if moved is not None:
        y = float(grid.loc[moved.driver, "importance"])
        ax.annotate(
            "",
            xy=(moved.performance_after, y),
            xytext=(moved.performance_before, y),
            arrowprops=dict(arrowstyle="->", color="black", lw=1.2),
        )
        ax.plot([moved.performance_before], [y], "o", mfc="none", mec="black", ms=8)
    ax.set_xlabel(_("performance: mean rating (constructed data)") if constructed else _("performance: mean rating"))
    ax.set_ylabel(_(_MEASURE_LABELS.get(grid.attrs.get("measure"), _IMPORTANCE_LABEL)))
    if title:
        ax.set_title(title)
    return ax
