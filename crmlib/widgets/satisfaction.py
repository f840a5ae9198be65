"""Widgets of chapter 1 (the satisfaction trap): thin views over :mod:`crmlib.satisfaction`.

* :func:`explore_satisfaction_trap` — competitive intensity and switching barrier →
  satisfaction–loyalty curve, zones and the Jones–Sasser type shares (the main widget);
* :func:`explore_retention_lever` — margin, retention, discount rate (and margin growth,
  acquisition cost) → change in customer value from 5 points more retention.

Each builder returns the widget (it never displays itself) and exposes ``w.sliders``
(a dict of the sliders), ``w.readout`` (the HTML with the numbers) and ``w.output`` (the
figure), so that tests can move a slider and compare the readout with the pure function.
Slider defaults come from :func:`crmlib.satisfaction.market_scenario` and
:func:`crmlib.satisfaction.retention_scenario`, like the static cells before them.
"""
from __future__ import annotations

from crmlib import satisfaction as sat
from crmlib.widgets import show_figure

__all__ = ["explore_satisfaction_trap", "explore_retention_lever", "trap_readout", "lever_readout"]


def trap_readout(scenario: sat.MarketScenario) -> str:
    """The HTML numbers shown by :func:`explore_satisfaction_trap` for one scenario."""
    import numpy as np

    p = sat.repurchase_probability(np.array(sat.LEVELS, float), scenario.competitive_intensity,
                                   scenario.switching_barrier, scenario.max_repurchase,
                                   scenario.min_repurchase)
    types = sat.expected_typology(scenario)
    pi = np.asarray(scenario.satisfaction_shares)
    rates = " · ".join(f"{lv}: {q:.0%}" for lv, q in zip(sat.LEVELS, p))
    shares = " · ".join(f"{name} {share:.1%}" for name, share in types.items())
    return (f"<b>repurchase by satisfaction</b> {rates}<br>"
            f"<b>top-box multiple</b> p(5)/p(4) = {p[4] / p[3]:.2f}<br>"
            f"<b>satisfied (4-5)</b> {pi[3:].sum():.0%} of customers; "
            f"<b>overall repurchase</b> {float(pi @ p):.1%}<br>"
            f"<b>types</b> {shares}")


def lever_readout(scenario: sat.RetentionScenario) -> str:
    """The HTML numbers shown by :func:`explore_retention_lever` for one scenario."""
    args = (scenario.margin, scenario.retention, scenario.discount_rate, scenario.margin_growth,
            scenario.acquisition_cost)
    before = sat.customer_value(*args)
    r2 = scenario.retention + scenario.retention_gain
    after = sat.customer_value(scenario.margin, r2, scenario.discount_rate, scenario.margin_growth,
                               scenario.acquisition_cost)
    lift = sat.retention_lift(*args, scenario.retention_gain)
    return (f"<b>customer value</b> at r = {scenario.retention:.2f}: {before:,.1f}; "
            f"at r = {r2:.2f}: {after:,.1f}<br>"
            f"<b>change from +{scenario.retention_gain:.0%} retention</b> {lift:+.1%}<br>"
            f"<b>expected lifetime</b> {sat.expected_lifetime(scenario.retention):.1f} → "
            f"{sat.expected_lifetime(r2):.1f} periods")


def _box(sliders, readout, output, figure):
    import ipywidgets as widgets

    box = widgets.VBox([widgets.HBox(list(sliders.values())[:3]), widgets.HBox(list(sliders.values())[3:]),
                        readout, output])
    box.sliders = sliders
    box.readout = readout
    box.output = output
    box.figure = figure
    return box


def explore_satisfaction_trap(scenario: sat.MarketScenario | None = None):
    """Sliders for competitive intensity and switching barrier → curve and zones (figure), type shares (readout).

    Parameters
    ----------
    scenario : MarketScenario, optional
        Starting values (default :func:`crmlib.satisfaction.market_scenario`).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``sliders`` (``competitive_intensity``, ``switching_barrier``),
        ``readout`` (HTML: :func:`trap_readout` of the current scenario) and ``output``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    base = sat.market_scenario() if scenario is None else scenario
    style = {"description_width": "initial"}
    sliders = {
        "competitive_intensity": widgets.FloatSlider(value=base.competitive_intensity, min=0.0, max=1.0,
                                                     step=0.05, description="competitive intensity c",
                                                     style=style, continuous_update=False),
        "switching_barrier": widgets.FloatSlider(value=base.switching_barrier, min=0.0, max=0.9, step=0.05,
                                                 description="switching barrier b", style=style,
                                                 continuous_update=False),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    # One panel only, so that a slider move redraws in well under 200 ms; the Jones-Sasser
    # type shares are in the readout. Not registered with pyplot: no stray copy in later cells.
    fig = Figure(figsize=(7.5, 3.6), layout="constrained")
    ax = fig.subplots()

    def current():
        return sat.market_scenario(sliders["competitive_intensity"].value, sliders["switching_barrier"].value,
                                   base.max_repurchase, base.min_repurchase, base.satisfaction_shares,
                                   base.n_respondents)

    def redraw(_change=None):
        sc = current()
        readout.value = trap_readout(sc)
        ax.clear()
        sat.plot_satisfaction_loyalty([sc], ax=ax, labels=["this market"])
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(redraw, names="value")
    redraw()
    return _box(sliders, readout, output, fig)


def explore_retention_lever(scenario: sat.RetentionScenario | None = None):
    """Sliders for margin, retention, discount rate, margin growth and acquisition cost.

    Shows the customer value before and after ``retention_gain`` more retention and the
    relative change (:func:`crmlib.satisfaction.retention_lift`), with the lift curve.

    Returns
    -------
    ipywidgets.VBox
        With ``sliders`` (``margin``, ``retention``, ``discount_rate``, ``margin_growth``,
        ``acquisition_cost``), ``readout`` (:func:`lever_readout`) and ``output``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    base = sat.retention_scenario() if scenario is None else scenario
    style = {"description_width": "initial"}
    sliders = {
        "margin": widgets.FloatSlider(value=base.margin, min=10, max=500, step=10, description="margin m",
                                      style=style, continuous_update=False),
        "retention": widgets.FloatSlider(value=base.retention, min=0.50, max=0.94, step=0.01,
                                         description="retention r", style=style, continuous_update=False),
        "discount_rate": widgets.FloatSlider(value=base.discount_rate, min=0.0, max=0.30, step=0.01,
                                             description="discount rate d", style=style,
                                             continuous_update=False),
        "margin_growth": widgets.FloatSlider(value=base.margin_growth, min=0.0, max=0.05, step=0.01,
                                             description="margin growth g", style=style,
                                             continuous_update=False),
        "acquisition_cost": widgets.FloatSlider(value=base.acquisition_cost, min=0, max=300, step=10,
                                                description="acquisition cost a", style=style,
                                                continuous_update=False),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7.5, 3.8), layout="constrained")
    ax = fig.subplots()

    def redraw(_change=None):
        vals = {k: s.value for k, s in sliders.items()}
        try:
            sc = sat.retention_scenario(**vals, retention_gain=base.retention_gain)
            readout.value = lever_readout(sc)
        except ValueError as err:          # e.g. acquisition cost above the customer's value
            readout.value = f"<b>not defined</b>: {err}"
            return
        ax.clear()
        sat.plot_retention_lever(sc, ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(redraw, names="value")
    redraw()
    return _box(sliders, readout, output, fig)
