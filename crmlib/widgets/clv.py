"""Chapter 3 widgets: the simple CLV explorer and the customer (P(alive)) explorer.

Builders return the widget (they never display it). The sliders are exposed as
``w.sliders`` (a dict), the numbers as ``w.readout`` (an ``ipywidgets.HTML``), the figure
area as ``w.output`` and the latest evaluation as ``w.result``, so tests can move a slider and
check the displayed numbers against :mod:`crmlib.clv`.

Each slider move evaluates the model **once** (:func:`evaluate_clv`, :func:`evaluate_customer`,
which return frozen records), and both the readout (:func:`clv_readout`,
:func:`customer_readout`) and the figure (``crmlib.plotting.clv.draw_*``) format that one result.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crmlib import clv
from crmlib.plotting import clv as clv_plots
from crmlib.widgets import show_figure

__all__ = [
    "CLVView",
    "CustomerView",
    "clv_readout",
    "customer_readout",
    "evaluate_clv",
    "evaluate_customer",
    "explore_clv",
    "explore_customer",
]


@dataclass(frozen=True)
class CLVView:
    """One evaluation of a simple-CLV scenario: everything the CLV explorer shows."""

    scenario: clv.CLVScenario
    finite_value: float  # value over scenario.periods periods (currency)
    infinite_value: float  # value with no end date (currency)
    margin_multiple: float  # r / (1 + d - r)
    curve: pd.Series  # cumulative value after 1 .. T periods


def evaluate_clv(s: clv.CLVScenario) -> CLVView:
    """Evaluate scenario ``s`` once: finite and infinite-horizon value, margin multiple, value curve."""
    if not isinstance(s, clv.CLVScenario):
        raise TypeError(f"s must be a CLVScenario (see crmlib.clv.scenario); got {type(s).__name__}")
    curve = clv.value_curve(s.margin, s.retention_rate, s.discount_rate, s.periods)
    return CLVView(
        scenario=s,
        finite_value=clv.clv_from_retention(s.margin, s.retention_rate, s.discount_rate, s.periods),
        infinite_value=clv.clv_from_retention(s.margin, s.retention_rate, s.discount_rate),
        margin_multiple=clv.margin_multiple(s.retention_rate, s.discount_rate),
        curve=curve,
    )


def clv_readout(view: CLVView) -> str:
    """The HTML text shown by :func:`explore_clv` for one evaluation (formatting only)."""
    if not isinstance(view, CLVView):
        raise TypeError(f"view must be a CLVView (see evaluate_clv); got {type(view).__name__}")
    return (
        f"CLV over {view.scenario.periods} periods: <b>{view.finite_value:,.2f}</b> | "
        f"infinite horizon: {view.infinite_value:,.2f} | margin multiple r/(1+d-r): {view.margin_multiple:.3f}"
    )


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
        ``readout`` (HTML), ``output`` (figure) and ``result`` (the latest :class:`CLVView`).
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    s = clv.scenario() if defaults is None else defaults
    if not isinstance(s, clv.CLVScenario):
        raise TypeError(f"defaults must be a CLVScenario (see crmlib.clv.scenario); got {type(s).__name__}")
    sliders = {
        "margin": widgets.FloatSlider(value=s.margin, min=0, max=1000, step=10, description="margin m"),
        "retention_rate": widgets.FloatSlider(
            value=s.retention_rate, min=0, max=0.99, step=0.01, description="retention r"
        ),
        "discount_rate": widgets.FloatSlider(
            value=s.discount_rate, min=0, max=0.30, step=0.01, description="discount d"
        ),
        "periods": widgets.IntSlider(value=s.periods, min=1, max=40, step=1, description="horizon T"),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 3.6))  # not registered with pyplot: plt.show() elsewhere never shows it
    ax = fig.subplots()

    box = widgets.VBox([*sliders.values(), readout, output])

    def update(_=None):
        view = evaluate_clv(clv.CLVScenario(**{k: w.value for k, w in sliders.items()}))
        box.result = view
        readout.value = clv_readout(view)
        ax.clear()
        clv_plots.draw_value_curve(view.curve, view.infinite_value, ax=ax)
        show_figure(output, fig)

    for w in sliders.values():
        w.observe(update, names="value")
    box.sliders, box.readout, box.output, box.figure, box.update = sliders, readout, output, fig, update
    update()
    return box


@dataclass(frozen=True)
class CustomerView:
    """One evaluation of the customer explorer: P(alive), expected purchases and the P(alive) curve."""

    frequency: int
    recency: float
    T: float
    horizon: float  # weeks ahead for the expected purchases
    prob_alive: float
    expected_purchases: float
    curve: pd.Series  # P(alive) against recency for this frequency and age (empty when frequency = 0)


def evaluate_customer(model, frequency: int, recency: float, T: float, horizon: float = 52.0) -> CustomerView:
    """Evaluate ``model`` once for one customer (frequency, recency and age in weeks)."""
    if not isinstance(model, (clv.BGNBDResult, clv.ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    return CustomerView(
        frequency=int(frequency),
        recency=float(recency),
        T=float(T),
        horizon=float(horizon),
        prob_alive=float(model.prob_alive(frequency, recency, T)),
        expected_purchases=float(model.conditional_expected_purchases(horizon, frequency, recency, T)),
        curve=clv_plots.prob_alive_curve(model, frequency, T),
    )


def customer_readout(view: CustomerView) -> str:
    """The HTML text shown by :func:`explore_customer` for one evaluation (formatting only)."""
    if not isinstance(view, CustomerView):
        raise TypeError(f"view must be a CustomerView (see evaluate_customer); got {type(view).__name__}")
    return (
        f"P(alive) = <b>{view.prob_alive:.3f}</b> | expected purchases in the next {view.horizon:g} weeks = "
        f"<b>{view.expected_purchases:.3f}</b>"
    )


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
        With ``sliders`` (frequency, recency, T), ``readout``, ``output`` (P(alive) against
        recency for the chosen frequency and age) and ``result`` (the latest :class:`CustomerView`).
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

    box = widgets.VBox([*sliders.values(), readout, output])

    def update(_=None):
        view = evaluate_customer(model, *current(), horizon)
        box.result = view
        readout.value = customer_readout(view)
        ax.clear()
        clv_plots.draw_prob_alive(view.curve, view.frequency, view.recency, view.T, view.prob_alive, ax=ax)
        show_figure(output, fig)

    for w in sliders.values():
        w.observe(update, names="value")
    box.sliders, box.readout, box.output, box.figure, box.update = sliders, readout, output, fig, update
    update()
    return box
