"""Widgets of chapter 1 (the satisfaction trap): thin views over :mod:`crmlib.satisfaction`.

* :func:`explore_satisfaction_trap` — competitive intensity and switching barrier →
  satisfaction–loyalty curve, zones and the Jones–Sasser type shares (the main widget);
* :func:`explore_retention_lever` — margin, retention, discount rate (and margin growth,
  acquisition cost) → change in customer value from 5 points more retention.

Each builder returns the widget (it never displays itself) and exposes ``w.sliders``
(a dict of the sliders), ``w.readout`` (the HTML with the numbers), ``w.output`` (the
figure), ``w.result`` (the outcome behind both) and ``w.update()``, so that tests can move a
slider and compare the readout with the pure function. Every event evaluates the model once
(:func:`crmlib.satisfaction.evaluate_market`, :func:`crmlib.satisfaction.evaluate_retention_lever`);
the readout only formats that outcome (:func:`trap_readout`, :func:`lever_readout`) and the
figure (:mod:`crmlib.plotting.satisfaction`) draws it. Slider defaults come from
:func:`crmlib.satisfaction.market_scenario` and :func:`crmlib.satisfaction.retention_scenario`,
like the static cells before them.
"""

from __future__ import annotations

import dataclasses

from crmlib import satisfaction as sat
from crmlib.widgets import show_figure

__all__ = ["explore_satisfaction_trap", "explore_retention_lever", "trap_readout", "lever_readout"]


def trap_readout(outcome: sat.MarketOutcome) -> str:
    """The HTML numbers shown by :func:`explore_satisfaction_trap`: a pure formatting of one outcome."""
    rates = " · ".join(f"{lv}: {q:.0%}" for lv, q in outcome.repurchase.items())
    shares = " · ".join(f"{name} {share:.1%}" for name, share in outcome.typology.items())
    return (
        f"<b>repurchase by satisfaction</b> {rates}<br>"
        f"<b>top-box multiple</b> p(5)/p(4) = {outcome.top_box_multiple:.2f}<br>"
        f"<b>satisfied (4-5)</b> {outcome.satisfied_share:.0%} of customers; "
        f"<b>overall repurchase</b> {outcome.overall_repurchase:.1%}<br>"
        f"<b>types</b> {shares}"
    )


def lever_readout(outcome: sat.LeverOutcome) -> str:
    """The HTML numbers shown by :func:`explore_retention_lever`: a pure formatting of one outcome."""
    sc = outcome.scenario
    r2 = sc.retention_rate + sc.retention_gain
    return (
        f"<b>customer value</b> at r = {sc.retention_rate:.2f}: {outcome.value_before:,.1f}; "
        f"at r = {r2:.2f}: {outcome.value_after:,.1f}<br>"
        f"<b>change from +{sc.retention_gain:.0%} retention</b> {outcome.lift:+.1%}<br>"
        f"<b>expected lifetime</b> {outcome.lifetime_before:.1f} → "
        f"{outcome.lifetime_after:.1f} periods"
    )


def _box(sliders, readout, output, figure):
    import ipywidgets as widgets

    box = widgets.VBox(
        [widgets.HBox(list(sliders.values())[:3]), widgets.HBox(list(sliders.values())[3:]), readout, output]
    )
    box.sliders = sliders
    box.readout = readout
    box.output = output
    box.figure = figure
    box.result = None
    return box


def explore_satisfaction_trap(scenario: sat.MarketScenario | None = None):
    """Sliders for competitive intensity and switching barrier → curve and zones (figure), type shares (readout).

    Each slider move evaluates the market once (:func:`crmlib.satisfaction.evaluate_market`);
    the readout formats that outcome and the figure draws it.

    Parameters
    ----------
    scenario : MarketScenario, optional
        Starting values (default :func:`crmlib.satisfaction.market_scenario`).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``sliders`` (``competitive_intensity``, ``switching_barrier``),
        ``readout`` (HTML: :func:`trap_readout` of the current outcome), ``output``,
        ``result`` (the current :class:`~crmlib.satisfaction.MarketOutcome`) and ``update()``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from crmlib.plotting.satisfaction import plot_satisfaction_loyalty

    base = sat.market_scenario() if scenario is None else scenario
    style = {"description_width": "initial"}
    sliders = {
        "competitive_intensity": widgets.FloatSlider(
            value=base.competitive_intensity,
            min=0.0,
            max=1.0,
            step=0.05,
            description="competitive intensity c",
            style=style,
            continuous_update=False,
        ),
        "switching_barrier": widgets.FloatSlider(
            value=base.switching_barrier,
            min=0.0,
            max=0.9,
            step=0.05,
            description="switching barrier b",
            style=style,
            continuous_update=False,
        ),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    # One panel only, so that a slider move redraws in well under 200 ms; the Jones-Sasser
    # type shares are in the readout. Not registered with pyplot: no stray copy in later cells.
    fig = Figure(figsize=(7.5, 3.6), layout="constrained")
    ax = fig.subplots()
    box = _box(sliders, readout, output, fig)

    def update(_change=None):
        sc = dataclasses.replace(
            base,
            competitive_intensity=sliders["competitive_intensity"].value,
            switching_barrier=sliders["switching_barrier"].value,
        )
        out = sat.evaluate_market(sc)
        box.result = out
        readout.value = trap_readout(out)
        ax.clear()
        plot_satisfaction_loyalty([out], ax=ax, labels=["this market"])
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.update = update
    update()
    return box


def explore_retention_lever(scenario: sat.RetentionScenario | None = None):
    """Sliders for margin, retention rate, discount rate, margin growth and acquisition cost.

    Each move evaluates the lever once (:func:`crmlib.satisfaction.evaluate_retention_lever`,
    all arithmetic in :mod:`crmlib.value`): the customer value before and after
    ``retention_gain`` more retention and the relative change, with the lift curve.

    Returns
    -------
    ipywidgets.VBox
        With ``sliders`` (``margin``, ``retention_rate``, ``discount_rate``, ``margin_growth``,
        ``acquisition_cost``), ``readout`` (:func:`lever_readout`), ``output``, ``result``
        (the current :class:`~crmlib.satisfaction.LeverOutcome`, or None where the lift is
        undefined) and ``update()``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from crmlib.plotting.satisfaction import plot_retention_lever

    base = sat.retention_scenario() if scenario is None else scenario
    style = {"description_width": "initial"}
    sliders = {
        "margin": widgets.FloatSlider(
            value=base.margin, min=10, max=500, step=10, description="margin m", style=style, continuous_update=False
        ),
        "retention_rate": widgets.FloatSlider(
            value=base.retention_rate,
            min=0.50,
            max=0.94,
            step=0.01,
            description="retention r",
            style=style,
            continuous_update=False,
        ),
        "discount_rate": widgets.FloatSlider(
            value=base.discount_rate,
            min=0.0,
            max=0.30,
            step=0.01,
            description="discount rate d",
            style=style,
            continuous_update=False,
        ),
        "margin_growth": widgets.FloatSlider(
            value=base.margin_growth,
            min=0.0,
            max=0.05,
            step=0.01,
            description="margin growth g",
            style=style,
            continuous_update=False,
        ),
        "acquisition_cost": widgets.FloatSlider(
            value=base.acquisition_cost,
            min=0,
            max=300,
            step=10,
            description="acquisition cost a",
            style=style,
            continuous_update=False,
        ),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7.5, 3.8), layout="constrained")
    ax = fig.subplots()
    box = _box(sliders, readout, output, fig)

    def update(_change=None):
        vals = {k: s.value for k, s in sliders.items()}
        try:
            out = sat.evaluate_retention_lever(dataclasses.replace(base, **vals))
        except ValueError as err:  # e.g. acquisition cost above the customer's value
            box.result = None
            readout.value = f"<b>not defined</b>: {err}"
            return
        box.result = out
        readout.value = lever_readout(out)
        ax.clear()
        plot_retention_lever(out, ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.update = update
    update()
    return box
