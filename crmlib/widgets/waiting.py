"""Widgets for chapter 5 (the psychology of waiting): a queue designer and a staffing explorer.

Both builders *return* an ``ipywidgets.VBox`` (they never display it) with

* ``w.sliders`` - the input controls by name (the first one is the main slider),
* ``w.readout`` - an ``ipywidgets.HTML`` with the numbers shown,
* ``w.output`` - the ``ipywidgets.Output`` holding the figure,
* ``w.update()`` - recompute and redraw (called on every change),
* ``w.result`` - the latest pure-function result behind the display.

Callbacks call :mod:`crmlib.waiting` once per event and draw that one result with
:mod:`crmlib.plotting.waiting`; slider defaults come from
:func:`crmlib.waiting.queue_design` and :func:`crmlib.waiting.staff_day`. The builders
take a ``seed`` (an int) and make the generator themselves, so moving a slider back
gives the same picture.
"""

from __future__ import annotations

import numpy as np

from .. import waiting
from ..i18n import gettext as _
from ..plotting import waiting as waiting_plots
from . import show_figure, slider

__all__ = ["explore_queue", "explore_staffing", "queue_readout", "staffing_readout"]


def _show(output, fig) -> None:
    """The chapter's figures are drawn at 72 dpi (small, quick to send)."""
    show_figure(output, fig, dpi=72)


def queue_readout(outcome: waiting.DesignOutcome) -> str:
    """The numbers the queue designer shows, as HTML (a pure function of the outcome)."""
    d = outcome.design
    return "<br>".join(
        [
            _("<b>{servers} servers, load {load:.2f} Erlangs, utilisation {utilization:.2f}</b>").format(
                servers=d.scenario.servers, load=d.scenario.load, utilization=d.scenario.utilization
            ),
            _("mean actual wait: {wait:.2f} min").format(wait=outcome.actual.mean()),
            _("mean perceived wait: {wait:.2f} min (x{factor:.2f})").format(
                wait=outcome.perceived.mean(), factor=outcome.factor
            ),
            _("served within {target:g} min: {simulated:.1%} (simulated), {erlang:.1%} (Erlang C, one line)").format(
                target=d.target_time, simulated=outcome.service_level, erlang=outcome.erlang_service_level
            ),
            _("customers overtaken by a later arrival: {share:.1%}").format(share=outcome.share_slipped),
        ]
    )


def explore_queue(seed: int = 2026, n_customers: int = 20_000):
    """Queue designer: arrival rate, handle time and servers, plus three experience levers.

    Shows the actual and perceived waiting-time distributions (simulated with a fixed
    ``seed``, so moving a slider back gives the same picture) and the service level.
    The main (first) slider is the arrival rate.

    Examples
    --------
    >>> w = explore_queue()
    >>> list(w.sliders)[:3]
    ['arrival_rate', 'handle_time', 'servers']
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    d = waiting.queue_design()
    sc = d.scenario
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="480px")
    sliders = {
        "arrival_rate": slider(sc.arrival_rate, 0.25, 4.0, 0.05, _("arrivals / min"), style=style, layout=layout),
        "handle_time": slider(sc.handle_time, 0.5, 6.0, 0.1, _("handle time (min)"), style=style, layout=layout),
        "servers": widgets.IntSlider(
            value=sc.servers,
            min=1,
            max=12,
            description=_("servers"),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "target_time": slider(d.target_time, 0.0, 5.0, 0.25, _("target wait (min)"), style=style, layout=layout),
        "occupy": widgets.Checkbox(value=d.occupy, description=_("occupy the wait")),
        "announce": widgets.Checkbox(value=d.announce, description=_("announce expected wait")),
        "single_line": widgets.Checkbox(value=d.single_line, description=_("single fair line")),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 3.6), layout="constrained")  # not registered with pyplot
    ax = fig.add_subplot()
    box = widgets.VBox([*sliders.values(), readout, output])

    def update(*_args):
        vals = {k: s.value for k, s in sliders.items()}
        design = waiting.queue_design(
            vals["arrival_rate"],
            vals["handle_time"],
            vals["servers"],
            occupy=vals["occupy"],
            announce=vals["announce"],
            single_line=vals["single_line"],
            target_time=vals["target_time"],
        )
        ax.clear()
        if not design.scenario.stable:  # ρ >= 1 (up to rounding): no steady state
            box.result = None
            readout.value = _(
                "<b>utilisation {utilization:.2f} >= 1</b>: the line grows "
                "without bound - add servers or shorten the handle time."
            ).format(utilization=design.scenario.utilization)
            ax.text(0.5, 0.5, _("unstable: arrivals reach or exceed capacity"), ha="center", transform=ax.transAxes)
        else:
            out = waiting.evaluate_design(design, rng=np.random.default_rng(seed), n_customers=n_customers)
            box.result = out
            readout.value = queue_readout(out)
            waiting_plots.plot_wait_distribution(out.actual, out.perceived, target_time=design.target_time, ax=ax)
        _show(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box


def staffing_readout(day: waiting.DayStaffing) -> str:
    """The numbers the staffing explorer shows, as HTML (a pure function of the result)."""
    p = day.params
    return "<br>".join(
        [
            _("<b>handle time {handle:g} min, target {level:.0%} within {seconds:g} s</b>").format(
                handle=day.handle_time, level=day.target_level, seconds=day.target_time * 60
            ),
            _("agent-hours: {hours:.1f}; peak agents: {peak:.0f}").format(
                hours=p["agent_hours"], peak=p["peak_agents"]
            ),
            _("simulated service level over the day: {level:.1%}").format(level=p["simulated_service_level_day"]),
            _("intervals below target in the simulation: {share:.1%}").format(share=p["share_intervals_missed"]),
        ]
    )


def explore_staffing(seed: int = 2026):
    """Staffing explorer on the bank-calls day (mean 5-minute profile, or one weekday's).

    Sliders: mean handle time (main slider, minutes), target share and answer time,
    and the weekday whose mean profile actually arrives while staffing follows the
    all-weekday forecast ("all" = staffing and arrivals both follow the forecast).

    Examples
    --------
    >>> w = explore_staffing()
    >>> list(w.sliders)[0]
    'handle_time'
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from ..datasets import load_bank_calls

    calls = load_bank_calls()
    forecast = waiting.arrival_profile(calls)
    by_day = waiting.arrival_profile(calls, by="weekday")
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="480px")
    sliders = {
        "handle_time": slider(4.0, 2.0, 8.0, 0.5, _("handle time (min)"), style=style, layout=layout),
        "target_level": slider(0.8, 0.5, 0.95, 0.05, _("target share"), style=style, layout=layout),
        "target_seconds": slider(20, 5, 60, 5, _("within (s)"), integer=True, style=style, layout=layout),
        "arriving": widgets.Dropdown(
            options=[(_("all"), "all"), *((_(str(day)), day) for day in by_day.columns)],
            value="all",
            description=_("calls that arrive"),
            style=style,
        ),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7.5, 3.8), layout="constrained")
    box = widgets.VBox([*sliders.values(), readout, output])

    def update(*_args):
        vals = {k: s.value for k, s in sliders.items()}
        # the weekday's profile is matched to the forecast by clock time (index), not by position
        actual = None if vals["arriving"] == "all" else by_day[vals["arriving"]]
        day = waiting.staff_day(
            forecast["mean"],
            vals["handle_time"],
            vals["target_seconds"] / 60,
            vals["target_level"],
            rng=np.random.default_rng(seed),
            actual_calls_per_interval=actual,
        )
        box.result = day
        readout.value = staffing_readout(day)
        fig.clear()
        waiting_plots.plot_staffing_day(day.plan, day.simulated, target_level=day.target_level, ax=fig.add_subplot())
        _show(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box
