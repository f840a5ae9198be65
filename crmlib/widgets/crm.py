"""Widget for chapter 0 (what CRM is; CRM in the exhibition business): a thin view over :mod:`crmlib.crm`.

* :func:`explore_prospects` (the chapter's main widget): a prospect-value explorer a lecturer
  can use live. Sliders for the contact budget (the main, first slider), the exhibitors'
  retention rate per fair (periodicity), the booth price, the organiser's profit share, the
  horizon in fairs and the discount rate; a target-market choice. Each move evaluates the
  campaign once (:func:`crmlib.crm.evaluate_campaign`) and formats that one outcome: the
  readout and the ranking figure (:func:`crmlib.plotting.crm.plot_prospect_ranking`).

The builder returns the widget (a ``VBox``, never displayed from inside) with ``sliders``
(dict name -> control), ``readout`` (an ``HTML`` widget), ``output`` (an ``Output`` with the
figure), ``figure``, ``update()`` and ``result`` (the latest
:class:`~crmlib.crm.CampaignOutcome`). Slider defaults come from
:class:`~crmlib.crm.ProspectScenario`.
"""

from __future__ import annotations

import dataclasses

from .. import crm
from ..i18n import N_
from ..i18n import gettext as _
from ..plotting import crm as crm_plots
from . import show_figure

__all__ = ["prospect_readout", "explore_prospects"]

# slider ranges (min, max, step, label) in slider order; the first is the main slider
_RANGES = {
    "contact_budget": (0.0, 400_000.0, 10_000.0, N_("contact budget (yuan)")),
    "retention_rate": (0.0, 0.95, 0.05, N_("retention per fair r")),
    "booth_price": (400.0, 2_000.0, 50.0, N_("booth price (yuan/m²)")),
    "profit_share": (0.05, 0.8, 0.05, N_("profit share of booth revenue")),
    "periods": (1, 10, 1, N_("horizon (fairs)")),
    "discount_rate": (0.0, 0.3, 0.01, N_("discount rate per fair d")),
}
_ALL = N_("all industries")


def prospect_readout(outcome: crm.CampaignOutcome) -> str:
    """The HTML text the prospect explorer shows (a pure function of one outcome)."""
    s = outcome.scenario
    real = (
        ""
        if outcome.realised_new_exhibitors is None
        else " &nbsp; "
        + _("(constructed outcome: {booked} actually booked)").format(booked=outcome.realised_new_exhibitors)
    )
    return (
        _(
            "<b>{pursued}</b> of {prospects} prospects pursued ({worth} have a positive prospect value) &nbsp; "
            "<b>cost</b> {cost:,.0f} of {budget:,.0f} yuan"
        ).format(
            pursued=outcome.n_pursued,
            prospects=outcome.n_prospects,
            worth=outcome.n_worth_pursuing,
            cost=outcome.cost,
            budget=s.contact_budget,
        )
        + "<br>"
        + _("<b>expected new exhibitors</b> {expected:.2f}").format(expected=outcome.expected_new_exhibitors)
        + real
        + "<br>"
        + _(
            "<b>expected value</b> (net of the cost) {value:,.0f} yuan &nbsp; "
            "retention per fair {retention:.2f} over {periods} fairs"
        ).format(value=outcome.expected_value, retention=s.retention_rate, periods=s.periods)
    )


def explore_prospects(prospects, scenario: crm.ProspectScenario | None = None, *, industries=None):
    """Prospect-value explorer: budget, retention per fair, booth price, profit share, horizon, discount rate.

    Parameters
    ----------
    prospects : pandas.DataFrame
        E.g. :func:`crmlib.crm.simulate_exhibitor_prospects` (constructed).
    scenario : ProspectScenario, optional
        Starting values (default ``ProspectScenario()``).
    industries : sequence of str, optional
        The target market at the start (default: all industries); a dropdown offers all
        industries or the fair's theme industries (those with a positive fit in
        :data:`crmlib.crm.INDUSTRIES`).

    Returns
    -------
    ipywidgets.VBox
        With ``sliders``, ``readout``, ``output``, ``figure``, ``update`` and ``result``.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlib import crm
    >>> w = explore_prospects(crm.simulate_exhibitor_prospects(40, rng=np.random.default_rng(1)))
    >>> list(w.sliders)[:2], w.result.n_prospects
    (['contact_budget', 'retention_rate'], 40)
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    sc = crm.ProspectScenario() if scenario is None else scenario
    if not isinstance(sc, crm.ProspectScenario):
        raise TypeError(f"scenario must be a ProspectScenario; got {type(sc).__name__}")
    theme = tuple(k for k, fit in crm.INDUSTRIES.items() if fit > 0)
    markets = {
        _(_ALL): None,
        _("the fair's theme: {industries}").format(industries=", ".join(_(t) for t in theme)): theme,
    }
    start = crm.evaluate_campaign(prospects, sc, industries=industries)  # checks the inputs once
    style = {"description_width": "200px"}
    layout = widgets.Layout(width="470px")
    sliders = {}
    for name, (lo, hi, step, label) in _RANGES.items():
        kind = widgets.IntSlider if name == "periods" else widgets.FloatSlider
        extra = {} if name == "periods" else {"readout_format": ",.0f" if hi > 100 else ".2f"}
        sliders[name] = kind(
            value=getattr(sc, name),
            min=lo,
            max=hi,
            step=step,
            description=_(label),
            style=style,
            layout=layout,
            continuous_update=False,
            **extra,
        )
    market_label = (
        _(_ALL) if industries is None else next((k for k, v in markets.items() if v == tuple(industries)), None)
    )
    if market_label is None:
        label = _("chosen: {industries}").format(industries=", ".join(_(str(i)) for i in industries))
        markets[label] = tuple(industries)
        market_label = label
    sliders["industries"] = widgets.Dropdown(
        options=list(markets), value=market_label, description=_("target market"), style=style, layout=layout
    )
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7.2, 3.8), layout="constrained")  # not registered with pyplot
    ax = fig.add_subplot()
    box = widgets.VBox([widgets.VBox(list(sliders.values())), readout, output])

    def update(*_args):
        values = {k: s.value for k, s in sliders.items() if k != "industries"}
        current = dataclasses.replace(sc, **values)
        outcome = crm.evaluate_campaign(prospects, current, industries=markets[sliders["industries"].value])
        box.result = outcome
        readout.value = prospect_readout(outcome)
        ax.clear()
        crm_plots.plot_prospect_ranking(outcome, ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.figure, box.update = sliders, readout, output, fig, update
    box.result = start
    update()
    return box
