"""Chapter 6 widget: rescue or end? (挽救还是终止) for a weakening exhibitor, live in class.

The builder *returns* an ``ipywidgets.VBox`` (it never displays it) with

* ``w.sliders`` - the controls by name (the first, the chance that the rescue works, is the main one),
* ``w.readout`` - an ``ipywidgets.HTML`` with the numbers shown,
* ``w.output`` - the ``ipywidgets.Output`` holding the figure,
* ``w.update()`` - evaluate and redraw (called on every change),
* ``w.result`` - the :class:`crmlib.lifecycle.RescueDecision` behind the display.

Each change calls :func:`crmlib.lifecycle.evaluate_rescue` once and formats that one result;
slider defaults come from :func:`crmlib.lifecycle.rescue_case`.
"""

from __future__ import annotations

import dataclasses

from .. import lifecycle
from ..i18n import gettext as _
from ..plotting import lifecycle as figures
from . import show_figure, slider

__all__ = ["explore_rescue", "rescue_readout"]


def rescue_readout(decision: lifecycle.RescueDecision) -> str:
    """The numbers the rescue widget shows, as HTML (a pure function of the decision)."""
    c = decision.case
    head = ""
    if c is not None:
        head = (
            _(
                "exhibitor: came to {frequency} of the last {periods} fairs, last at fair {recency}; "
                "P(alive) = {alive:.3f}"
            ).format(frequency=c.frequency, periods=c.periods, recency=c.recency, alive=decision.prob_alive)
            + "<br>"
            + _("value without a rescue: {now:,.0f}; with a successful one: {rescued:,.0f}").format(
                now=decision.value_now, rescued=decision.value_if_rescued
            )
            + "<br>"
        )
    verdict = _("rescue (挽救)") if decision.action == "rescue" else _("end gracefully (终止)")
    return (
        head
        + _(
            "value retained if it works: <b>{retained:,.0f}</b>; cost {cost:,.0f}; "
            "break-even P(success) = {break_even:.2f}"
        ).format(retained=decision.value_retained, cost=decision.cost, break_even=decision.break_even_probability)
        + "<br>"
        + _("expected gain = {p:.2f} × {retained:,.0f} − {cost:,.0f} = <b>{gain:,.0f}</b> → <b>{verdict}</b>").format(
            p=decision.success_probability,
            retained=decision.value_retained,
            cost=decision.cost,
            gain=decision.expected_gain,
            verdict=verdict,
        )
    )


def explore_rescue(model: lifecycle.BGBBResult, defaults: lifecycle.RescueCase | None = None):
    """Rescue-or-end explorer: the chance of success, the cost, the margin and the exhibitor's history.

    Parameters
    ----------
    model : BGBBResult
        A fitted BG/BB model (e.g. on the donations data, read as exhibitors and annual fairs).
    defaults : RescueCase, optional
        Starting values (default :func:`crmlib.lifecycle.rescue_case`).

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> res = lifecycle.BGBBResult(param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True,
    ...                            param_values=(1.204, 0.750, 0.657, 2.783))
    >>> w = explore_rescue(res)
    >>> list(w.sliders)[0], w.result.action
    ('success_probability', 'rescue')
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    if not isinstance(model, lifecycle.BGBBResult):
        raise TypeError(f"model must be a fitted BG/BB result (lifecycle.fit_bg_bb); got {type(model).__name__}")
    case = lifecycle.rescue_case() if defaults is None else defaults
    if not isinstance(case, lifecycle.RescueCase):
        raise TypeError(f"defaults must be a RescueCase (see lifecycle.rescue_case); got {type(case).__name__}")
    style = {"description_width": "170px"}
    layout = widgets.Layout(width="500px")
    n = case.periods
    sliders = {
        "success_probability": slider(
            case.success_probability, 0.0, 1.0, 0.05, _("P(success) of the rescue"), style=style, layout=layout
        ),
        "cost": slider(
            case.cost,
            0.0,
            50_000.0,
            1_000.0,
            _("cost of the rescue (yuan)"),
            style=style,
            layout=layout,
            readout_format=",.0f",
        ),
        "margin": slider(
            case.margin,
            1_000.0,
            50_000.0,
            1_000.0,
            _("margin per fair (yuan)"),
            style=style,
            layout=layout,
            readout_format=",.0f",
        ),
        "frequency": widgets.IntSlider(
            value=case.frequency,
            min=0,
            max=n,
            description=_("fairs attended (of {n})").format(n=n),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "recency": widgets.IntSlider(
            value=case.recency,
            min=0,
            max=n,
            description=_("last fair attended (1..n)"),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 3.4), layout="constrained")  # not registered with pyplot
    ax = fig.add_subplot()
    box = widgets.VBox([*sliders.values(), readout, output])

    def current() -> lifecycle.RescueCase:
        x = sliders["frequency"].value
        tx = 0 if x == 0 else min(max(sliders["recency"].value, x), n)  # keep the history possible
        return dataclasses.replace(
            case,
            frequency=x,
            recency=tx,
            margin=sliders["margin"].value,
            success_probability=sliders["success_probability"].value,
            cost=sliders["cost"].value,
        )

    def update(*_args):
        decision = lifecycle.evaluate_rescue(model, current())
        box.result = decision
        readout.value = rescue_readout(decision)
        ax.clear()
        figures.plot_rescue(decision, ax=ax)
        show_figure(output, fig, dpi=72)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box
