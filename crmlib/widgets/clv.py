"""Chapter 3 widgets: the simple CLV explorer and the customer (P(alive)) explorer.

Builders return the widget (they never display it). The sliders are exposed as
``w.sliders`` (a dict), the numbers as ``w.readout`` (an ``ipywidgets.HTML``) and the figure
area as ``w.output``, so tests can move a slider and check the displayed numbers against
:mod:`crmlib.clv`. Callbacks only call ``crmlib.clv`` functions.
"""
from __future__ import annotations

from crmlib import clv
from crmlib.widgets import show_figure

__all__ = ["explore_clv", "explore_customer", "clv_readout", "customer_readout"]


def clv_readout(s: clv.CLVScenario) -> str:
    """The HTML text shown by :func:`explore_clv` for scenario ``s`` (a pure function)."""
    finite = clv.clv_from_retention(s.margin, s.retention_rate, s.discount_rate, s.periods)
    infinite = clv.clv_from_retention(s.margin, s.retention_rate, s.discount_rate)
    mult = clv.margin_multiple(s.retention_rate, s.discount_rate)
    return (f"CLV over {s.periods} periods: <b>{finite:,.2f}</b> | infinite horizon: {infinite:,.2f} | "
            f"margin multiple r/(1+d-r): {mult:.3f}")


def explore_clv(defaults: clv.CLVScenario | None = None):
    """Simple CLV explorer: margin, retention, discount rate and horizon -> value and value curve.

    Parameters
    ----------
    defaults : CLVScenario, optional
        Starting values (default :func:`crmlib.clv.scenario`).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``sliders`` (margin, retention_rate, discount_rate, periods),
        ``readout`` (HTML) and ``output`` (figure).
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    s = clv.scenario() if defaults is None else defaults
    if not isinstance(s, clv.CLVScenario):
        raise TypeError(f"defaults must be a CLVScenario (see crmlib.clv.scenario); got {type(s).__name__}")
    sliders = {
        "margin": widgets.FloatSlider(value=s.margin, min=0, max=1000, step=10, description="margin m"),
        "retention_rate": widgets.FloatSlider(value=s.retention_rate, min=0, max=0.99, step=0.01,
                                              description="retention r"),
        "discount_rate": widgets.FloatSlider(value=s.discount_rate, min=0, max=0.30, step=0.01,
                                             description="discount d"),
        "periods": widgets.IntSlider(value=s.periods, min=1, max=40, step=1, description="horizon T"),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 3.6))  # not registered with pyplot: plt.show() elsewhere never shows it
    ax = fig.subplots()

    def update(_=None):
        cur = clv.CLVScenario(**{k: w.value for k, w in sliders.items()})
        readout.value = clv_readout(cur)
        ax.clear()
        clv.plot_value_curve(cur.margin, cur.retention_rate, cur.discount_rate, cur.periods, ax=ax)
        show_figure(output, fig)

    for w in sliders.values():
        w.observe(update, names="value")
    update()
    box = widgets.VBox([*sliders.values(), readout, output])
    box.sliders, box.readout, box.output, box.figure = sliders, readout, output, fig
    return box


def customer_readout(model, frequency: int, recency: float, T: float, horizon: float = 52.0) -> str:
    """The HTML text shown by :func:`explore_customer` (a pure function)."""
    pa = model.prob_alive(frequency, recency, T)
    e = model.conditional_expected_purchases(horizon, frequency, recency, T)
    return (f"P(alive) = <b>{pa:.3f}</b> | expected purchases in the next {horizon:g} weeks = "
            f"<b>{e:.3f}</b>")


def explore_customer(model, frequency: int = 2, recency: float = 30.0, T: float = 38.0, horizon: float = 52.0):
    """Customer explorer: frequency, recency and age T -> P(alive) and expected purchases.

    Parameters
    ----------
    model : BGNBDResult or ParetoNBDResult
        A fitted model (e.g. the BG/NBD fitted to the CDNOW sample); time in weeks.
    frequency, recency, T : starting values (repeat purchases, weeks, weeks).
    horizon : float
        Weeks ahead for the expected purchases.

    Returns
    -------
    ipywidgets.VBox
        With ``sliders`` (frequency, recency, T), ``readout`` and ``output`` (P(alive) against
        recency for the chosen frequency and age).
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    if not isinstance(model, (clv.BGNBDResult, clv.ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    sliders = {
        "frequency": widgets.IntSlider(value=frequency, min=0, max=30, step=1, description="frequency x"),
        "recency": widgets.FloatSlider(value=recency, min=0, max=78, step=0.5, description="recency t_x"),
        "T": widgets.FloatSlider(value=T, min=1, max=78, step=0.5, description="age T (wk)"),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 3.4))
    ax = fig.subplots()

    def current():
        x = sliders["frequency"].value
        TT = sliders["T"].value
        tx = 0.0 if x == 0 else min(max(sliders["recency"].value, 0.5), TT)
        return x, tx, TT

    def update(_=None):
        x, tx, TT = current()
        readout.value = customer_readout(model, x, tx, TT, horizon)
        ax.clear()
        clv.plot_prob_alive(model, x, tx, TT, ax=ax)
        show_figure(output, fig)

    for w in sliders.values():
        w.observe(update, names="value")
    update()
    box = widgets.VBox([*sliders.values(), readout, output])
    box.sliders, box.readout, box.output, box.figure = sliders, readout, output, fig
    return box
