"""Widgets for chapter 4 (switching cost and substitute value): thin views over :mod:`crmlib.switching`.

* :func:`explore_substitute_value` (the chapter's main widget): a slider per term of
  SV = Q(U - P) - O - M - S (+ B); read SV against the current value CV, the decision,
  the break-even switching cost and the price cut a rival needs. The **first slider is the
  switching cost S** (the chapter's subject), so the main slider moves S.
* :func:`explore_churn`: mean value gap, gap spread, logit scale and barrier; read the
  switch probability and the population churn rate on the churn-probability curve.

Both return the widget (a ``VBox``) with ``sliders`` (dict name -> slider), ``readout``
(an ``HTML`` widget with the numbers), ``output`` (an ``Output`` with the figure), ``figure``,
``update()`` (recompute and redraw) and ``result`` (the latest model result behind the display).
Each slider move evaluates the model once (:func:`~crmlib.switching.decide` or
:func:`~crmlib.switching.churn_outcome`); the readout and the figure format that one result.
Slider defaults come from :class:`~crmlib.switching.SubstituteOffer`,
:class:`~crmlib.switching.CurrentRelationship` and :class:`~crmlib.switching.ChurnScenario`.
"""

from __future__ import annotations

from .. import switching
from ..i18n import N_
from ..i18n import gettext as _
from ..plotting import switching as figures
from . import show_figure, slider

__all__ = ["substitute_readout", "churn_readout", "explore_substitute_value", "explore_churn"]

# slider ranges (min, max, step) of the substitute-value widget, in slider order
_SV_RANGES = {
    "switching_cost": (0.0, 400.0, 10.0, N_("S switching cost (yuan)")),
    "quantity": (0.0, 300.0, 5.0, N_("Q rides per year")),
    "utility": (0.0, 60.0, 0.5, N_("U utility (yuan/ride)")),
    "price": (0.0, 60.0, 0.5, N_("P price (yuan/ride)")),
    "other_costs": (0.0, 300.0, 10.0, N_("O other costs (yuan)")),
    "maintenance_cost": (0.0, 200.0, 10.0, N_("M maintenance (yuan)")),
    "promotion": (0.0, 300.0, 1.0, N_("B welcome benefit (yuan)")),  # step 1: the case's 47 yuan is reachable
}
_CHURN_RANGES = {
    "value_gap": (-300.0, 300.0, 10.0, N_("mean value gap SV−CV (yuan)")),
    "gap_sd": (0.0, 200.0, 10.0, N_("gap spread, sd (yuan)")),
    "scale": (5.0, 150.0, 5.0, N_("logit scale (yuan)")),
    "barrier": (0.0, 300.0, 10.0, N_("extra barrier (yuan)")),
}


def substitute_readout(decision: switching.SwitchDecision) -> str:
    """The HTML text the substitute-value widget shows: a pure function of one :func:`~crmlib.switching.decide` result."""
    if not isinstance(decision, switching.SwitchDecision):
        raise TypeError(f"decision must be a SwitchDecision (from switching.decide); got {type(decision).__name__}")
    d = decision
    verdict = (
        _("<b>decision:</b> the customer switches to the rival")
        if d.decision == "switch"
        else _("<b>decision:</b> the customer stays")
    )
    return (
        _("<b>SV</b> = {sv:.1f} yuan &nbsp; <b>CV</b> = {cv:.1f} yuan &nbsp; gap SV−CV = {gap:+.1f}").format(
            sv=d.substitute_value, cv=d.current_value, gap=d.value_gap
        )
        + " &nbsp; "
        + verdict
        + "<br>"
        + _(
            "<b>break-even switching cost</b> S* = {break_even:.1f} yuan &nbsp; "
            "<b>price cut the rival needs</b> = {cut:.2f} yuan/ride "
            "(the rival wins at any price below {price:.2f} yuan/ride)"
        ).format(break_even=d.break_even_switching_cost, cut=d.price_cut_needed, price=d.winning_price)
    )


def churn_readout(outcome: switching.ChurnOutcome) -> str:
    """The HTML text the churn widget shows: a pure function of one :func:`~crmlib.switching.churn_outcome` result."""
    if not isinstance(outcome, switching.ChurnOutcome):
        raise TypeError(f"outcome must be a ChurnOutcome (from switching.churn_outcome); got {type(outcome).__name__}")
    return _(
        "<b>switch probability</b> of the average customer = {probability:.1%} "
        "&nbsp; <b>population churn rate</b> = {churn:.1%}"
    ).format(probability=outcome.switch_probability, churn=outcome.churn_rate)


def _slider(widgets, name, value, spec):
    lo, hi, step, label = spec
    return slider(
        value,
        lo,
        hi,
        step,
        _(label),
        continuous_update=True,
        style={"description_width": "190px"},
        layout=widgets.Layout(width="460px"),
        readout_format=".1f",
    )


def explore_substitute_value(
    current: switching.CurrentRelationship | None = None, substitute: switching.SubstituteOffer | None = None
):
    """Sliders for S, Q, U, P, O, M and B -> SV vs CV waterfall, decision and break-even S.

    The current relationship stays fixed (``current``, default ``CurrentRelationship()``);
    the sliders start at ``substitute`` (default ``SubstituteOffer()``). The first slider,
    the switching cost, is the main slider. Returns a ``VBox`` with ``sliders``,
    ``readout``, ``output``, ``figure``, ``update`` and ``result`` (the latest
    :class:`~crmlib.switching.SwitchDecision`).

    Examples
    --------
    >>> w = explore_substitute_value()
    >>> list(w.sliders)[0], w.result.decision
    ('switching_cost', 'stay')
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    current = switching.CurrentRelationship() if current is None else current
    substitute = switching.SubstituteOffer() if substitute is None else substitute
    switching.decide(current, substitute)  # type checks
    sliders = {name: _slider(widgets, name, getattr(substitute, name), spec) for name, spec in _SV_RANGES.items()}
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 4))  # not registered with pyplot: a later plt.show() never re-draws it
    ax = fig.subplots()

    box = widgets.VBox([widgets.HBox([widgets.VBox(list(sliders.values())), output]), readout])

    def update(_change=None):
        offer = switching.SubstituteOffer(**{k: s.value for k, s in sliders.items()})
        decision = switching.decide(current, offer)  # the one evaluation per event
        box.result = decision
        readout.value = substitute_readout(decision)
        ax.clear()
        figures.plot_substitute_value(decision, ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.figure, box.update = sliders, readout, output, fig, update
    box.current = current
    update()
    return box


def explore_churn(scenario: switching.ChurnScenario | None = None):
    """Sliders for mean value gap, gap spread, logit scale and barrier -> churn-probability curve.

    The first slider (mean value gap) is the main slider. Returns a ``VBox`` with
    ``sliders``, ``readout``, ``output``, ``figure``, ``update`` and ``result`` (the latest
    :class:`~crmlib.switching.ChurnOutcome`).

    Examples
    --------
    >>> w = explore_churn()
    >>> list(w.sliders)[0], round(w.result.churn_rate, 3)
    ('value_gap', 0.291)
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    scenario = switching.ChurnScenario() if scenario is None else scenario
    if not isinstance(scenario, switching.ChurnScenario):
        raise TypeError(f"scenario must be a ChurnScenario; got {type(scenario).__name__}")
    sliders = {name: _slider(widgets, name, getattr(scenario, name), spec) for name, spec in _CHURN_RANGES.items()}
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 4))  # not registered with pyplot: a later plt.show() never re-draws it
    ax = fig.subplots()

    box = widgets.VBox([widgets.HBox([widgets.VBox(list(sliders.values())), output]), readout])

    def update(_change=None):
        sc = switching.ChurnScenario(**{k: s.value for k, s in sliders.items()})
        outcome = switching.churn_outcome(sc)  # the one evaluation per event
        box.result = outcome
        readout.value = churn_readout(outcome)
        ax.clear()
        figures.plot_churn_curve(outcome, ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.figure, box.update = sliders, readout, output, fig, update
    update()
    return box
