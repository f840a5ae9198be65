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

Labels and readouts are written in the notebook's language (:mod:`crmlib.i18n`): after
``i18n.set_language("zh")`` the sliders, readouts and figures are Chinese, with the same numbers;
the dropdown's values stay the English column names the code uses.
"""

from __future__ import annotations

import dataclasses

from crmlib import satisfaction as sat
from crmlib.i18n import gettext as _
from crmlib.widgets import show_figure, slider

__all__ = [
    "explore_satisfaction_trap",
    "explore_retention_lever",
    "explore_key_drivers",
    "trap_readout",
    "lever_readout",
    "drivers_readout",
]


def trap_readout(outcome: sat.MarketOutcome) -> str:
    """The HTML numbers shown by :func:`explore_satisfaction_trap`: a pure formatting of one outcome."""
    rates = " · ".join(f"{lv}: {q:.0%}" for lv, q in outcome.repurchase.items())
    shares = " · ".join(f"{_(name)} {share:.1%}" for name, share in outcome.typology.items())
    return "<br>".join(
        [
            _("<b>repurchase by satisfaction</b> {rates}").format(rates=rates),
            _("<b>top-box multiple</b> p(5)/p(4) = {multiple:.2f}").format(multiple=outcome.top_box_multiple),
            _("<b>satisfied (4-5)</b> {satisfied:.0%} of customers; <b>overall repurchase</b> {repurchase:.1%}").format(
                satisfied=outcome.satisfied_share, repurchase=outcome.overall_repurchase
            ),
            _("<b>types</b> {shares}").format(shares=shares),
        ]
    )


def lever_readout(outcome: sat.LeverOutcome) -> str:
    """The HTML numbers shown by :func:`explore_retention_lever`: a pure formatting of one outcome."""
    sc = outcome.scenario
    r2 = sc.retention_rate + sc.retention_gain
    return "<br>".join(
        [
            _(
                "<b>customer value</b> at r = {before_rate:.2f}: {before:,.1f}; at r = {after_rate:.2f}: {after:,.1f}"
            ).format(
                before_rate=sc.retention_rate, before=outcome.value_before, after_rate=r2, after=outcome.value_after
            ),
            _("<b>change from +{gain:.0%} retention</b> {lift:+.1%}").format(gain=sc.retention_gain, lift=outcome.lift),
            _("<b>expected lifetime</b> {before:.1f} → {after:.1f} periods").format(
                before=outcome.lifetime_before, after=outcome.lifetime_after
            ),
        ]
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
        "competitive_intensity": slider(
            base.competitive_intensity, 0.0, 1.0, 0.05, _("competitive intensity c"), style=style
        ),
        "switching_barrier": slider(base.switching_barrier, 0.0, 0.9, 0.05, _("switching barrier b"), style=style),
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
        plot_satisfaction_loyalty([out], ax=ax, labels=[_("this market")])
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
        "margin": slider(base.margin, 10, 500, 10, _("margin m"), style=style),
        "retention_rate": slider(base.retention_rate, 0.50, 0.94, 0.01, _("retention r"), style=style),
        "discount_rate": slider(base.discount_rate, 0.0, 0.30, 0.01, _("discount rate d"), style=style),
        "margin_growth": slider(base.margin_growth, 0.0, 0.05, 0.01, _("margin growth g"), style=style),
        "acquisition_cost": slider(base.acquisition_cost, 0, 300, 10, _("acquisition cost a"), style=style),
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
            readout.value = _("<b>not defined</b>: {error}").format(error=err)
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


def drivers_readout(outcome: sat.DriverChangeOutcome) -> str:
    """The HTML numbers shown by :func:`explore_key_drivers`: a pure formatting of one outcome."""
    name = outcome.driver.replace("_", " ")
    importance = float(outcome.grid.loc[outcome.driver, "importance"])
    measure = outcome.grid.attrs.get("measure", "")
    return "<br>".join(
        [
            _(
                "<b>{driver}</b> ({term}): mean rating {before:.2f} → {after:.2f}; importance {importance:.3f} ({measure})"
            ).format(
                driver=name,
                term=sat.DRIVER_TERMS.get(outcome.driver, ""),
                before=outcome.performance_before,
                after=outcome.performance_after,
                importance=importance,
                measure=_(measure) if measure else measure,
            ),
            _("<b>predicted overall satisfaction</b> {before:.2f} → {after:.2f} ({change:+.2f} points)").format(
                before=outcome.overall_before, after=outcome.overall_after, change=outcome.change
            ),
            _("<b>quadrant</b> {before} → {after}").format(
                before=_(outcome.quadrant_before), after=_(outcome.quadrant_after)
            ),
        ]
    )


def explore_key_drivers(result: sat.KeyDriverResult | None = None, *, seed: int = 2026):
    """A dropdown for one driver and a slider for its mean rating → predicted overall satisfaction and the grid.

    Each event evaluates the change once (:func:`crmlib.satisfaction.evaluate_driver_change`);
    the readout formats that outcome (:func:`drivers_readout`) and the figure
    (:func:`crmlib.plotting.satisfaction.plot_importance_performance`) draws it. Choosing
    another driver puts the slider at that driver's survey mean (the other drivers always stay
    at theirs): one driver moves at a time.

    Parameters
    ----------
    result : KeyDriverResult, optional
        A fitted key-driver analysis; default: :func:`crmlib.satisfaction.fit_key_drivers` of
        :func:`crmlib.datasets.constructed_driver_survey` (500 respondents, ``seed``).
    seed : int
        Seed of the constructed survey when ``result`` is not given.

    Returns
    -------
    ipywidgets.VBox
        With ``sliders`` (``driver``: the dropdown, ``performance``: the slider), ``readout``
        (:func:`drivers_readout` of the current outcome), ``output``, ``result`` (the current
        :class:`~crmlib.satisfaction.DriverChangeOutcome`), ``fit`` (the key-driver result) and
        ``update()``.
    """
    import ipywidgets as widgets
    import numpy as np
    from matplotlib.figure import Figure

    from crmlib.plotting.satisfaction import _driver_label, plot_importance_performance

    if result is None:
        from crmlib.datasets import constructed_driver_survey

        result = sat.fit_key_drivers(constructed_driver_survey(500, rng=np.random.default_rng(seed)))
    elif not isinstance(result, sat.KeyDriverResult):
        raise TypeError(f"result must be a KeyDriverResult (from fit_key_drivers); got {type(result).__name__}")
    fit = result
    style = {"description_width": "initial"}
    first = fit.drivers[0]
    lo, hi = fit.scale
    sliders = {
        "driver": widgets.Dropdown(
            options=[(_driver_label(d), d) for d in fit.drivers],
            value=first,
            description=_("driver"),
            style=style,
        ),
        "performance": slider(
            round(float(fit.table.loc[first, "performance"]), 2), lo, hi, 0.05, _("mean rating"), style=style
        ),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    box = _box(sliders, readout, output, fig)
    box.fit = fit
    quiet = {"on": False}

    def update(_change=None):
        if quiet["on"]:
            return
        out = sat.evaluate_driver_change(fit, sliders["driver"].value, sliders["performance"].value)
        box.result = out
        readout.value = drivers_readout(out)
        ax.clear()
        plot_importance_performance(out, ax=ax)
        show_figure(output, fig)

    def new_driver(_change=None):
        quiet["on"] = True  # moving the slider to the new driver's mean must not evaluate twice
        try:
            sliders["performance"].value = round(float(fit.table.loc[sliders["driver"].value, "performance"]), 2)
        finally:
            quiet["on"] = False
        update()

    sliders["driver"].observe(new_driver, names="value")
    sliders["performance"].observe(update, names="value")
    box.update = update
    update()
    return box
