"""Chapter 3 widgets: the simple CLV explorer and the customer (P(alive)) explorer.

Builders return the widget (they never display it). The sliders are exposed as
``w.sliders`` (a dict), the numbers as ``w.readout`` (an ``ipywidgets.HTML``), the figure
area as ``w.output`` and the latest evaluation as ``w.result``, so tests can move a slider and
check the displayed numbers against :mod:`crmlib.clv`.

Each slider move evaluates the model **once** (:func:`evaluate_clv`, :func:`evaluate_customer`,
which return frozen records), and both the readout (:func:`clv_readout`,
:func:`customer_readout`) and the figure (``crmlib.plotting.clv.draw_*``) format that one result.
The customer explorer's intervals and band come from the delta method
(:func:`crmlib.clv.delta_intervals`, milliseconds per move), never from the bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crmlib import clv
from crmlib.i18n import current_language
from crmlib.i18n import gettext as _
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


def _label_room(width: str) -> dict:
    """Keyword arguments that widen the sliders' labels in Chinese (longer than the English ones,
    which fit the default width and keep their default layout)."""
    return {} if current_language() == "en" else {"style": {"description_width": width}}


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
    return _(
        "CLV over {periods} periods: <b>{finite:,.2f}</b> | infinite horizon: {infinite:,.2f} | "
        "margin multiple r/(1+d-r): {multiple:.3f}"
    ).format(
        periods=view.scenario.periods,
        finite=view.finite_value,
        infinite=view.infinite_value,
        multiple=view.margin_multiple,
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
    room = _label_room("100px")
    sliders = {
        "margin": widgets.FloatSlider(value=s.margin, min=0, max=1000, step=10, description=_("margin m"), **room),
        "retention_rate": widgets.FloatSlider(
            value=s.retention_rate, min=0, max=0.99, step=0.01, description=_("retention r"), **room
        ),
        "discount_rate": widgets.FloatSlider(
            value=s.discount_rate, min=0, max=0.30, step=0.01, description=_("discount d"), **room
        ),
        "periods": widgets.IntSlider(value=s.periods, min=1, max=40, step=1, description=_("horizon T"), **room),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(7, 3.6))  # not registered with pyplot: plt.show() elsewhere never shows it
    ax = fig.subplots()

    box = widgets.VBox([*sliders.values(), readout, output])

    def update(_change=None):
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
    """One evaluation of the customer explorer: P(alive), expected purchases and the P(alive) curve,
    with their delta-method intervals at ``level`` when the model was fitted to data (else None)."""

    frequency: int
    recency: float
    T: float
    horizon: float  # weeks ahead for the expected purchases
    prob_alive: float
    expected_purchases: float
    curve: pd.Series  # P(alive) against recency for this frequency and age (empty when frequency = 0)
    level: float | None = None
    prob_alive_interval: tuple[float, float] | None = None
    expected_purchases_interval: tuple[float, float] | None = None
    band: pd.DataFrame | None = None  # lower/upper of the curve (parameter uncertainty)


def _has_covariance(model) -> bool:
    try:
        clv.parameter_covariance(model)
    except ValueError:  # built with from_params, or a singular information matrix: no band
        return False
    return True


def evaluate_customer(
    model, frequency: int, recency: float, T: float, horizon: float = 52.0, level: float | None = 0.95
) -> CustomerView:
    """Evaluate ``model`` once for one customer (frequency, recency and age in weeks).

    With a ``level`` and a model fitted to data, P(alive), the expected purchases and the P(alive)
    curve come with delta-method intervals (:func:`crmlib.clv.delta_intervals`: a few dozen
    closed-form or quadrature evaluations, milliseconds); ``level=None`` gives point values only.
    """
    if not isinstance(model, (clv.BGNBDResult, clv.ParetoNBDResult)):
        raise TypeError(f"model must be a fitted BG/NBD or Pareto/NBD result; got {type(model).__name__}")
    if level is None or not _has_covariance(model):
        return CustomerView(
            frequency=int(frequency),
            recency=float(recency),
            T=float(T),
            horizon=float(horizon),
            prob_alive=float(model.prob_alive(frequency, recency, T)),
            expected_purchases=float(model.conditional_expected_purchases(horizon, frequency, recency, T)),
            curve=clv_plots.prob_alive_curve(model, frequency, T),
        )
    alive = clv.delta_intervals("prob_alive", model, None, frequency, recency, T, level=level)
    purchases = clv.delta_intervals("expected_purchases", model, None, frequency, recency, T, t=horizon, level=level)
    band = clv_plots.prob_alive_band(model, frequency, T, level=level)
    return CustomerView(
        frequency=int(frequency),
        recency=float(recency),
        T=float(T),
        horizon=float(horizon),
        prob_alive=alive.estimate,
        expected_purchases=purchases.estimate,
        curve=band["estimate"].rename("P(alive)"),
        level=alive.level,
        prob_alive_interval=(alive.lower, alive.upper),
        expected_purchases_interval=(purchases.lower, purchases.upper),
        band=band[["lower", "upper"]],
    )


def customer_readout(view: CustomerView) -> str:
    """The HTML text shown by :func:`explore_customer` for one evaluation (formatting only)."""
    if not isinstance(view, CustomerView):
        raise TypeError(f"view must be a CustomerView (see evaluate_customer); got {type(view).__name__}")

    def interval(bounds):
        return "" if bounds is None else f" [{bounds[0]:.3f}, {bounds[1]:.3f}]"

    note = (
        "" if view.level is None else _(" ({level:.0%} intervals: parameter uncertainty only)").format(level=view.level)
    )
    return _(
        "P(alive) = <b>{prob_alive:.3f}</b>{alive_interval} | expected purchases in the next {horizon:g} weeks = "
        "<b>{purchases:.3f}</b>{purchases_interval}{note}"
    ).format(
        prob_alive=view.prob_alive,
        alive_interval=interval(view.prob_alive_interval),
        horizon=view.horizon,
        purchases=view.expected_purchases,
        purchases_interval=interval(view.expected_purchases_interval),
        note=note,
    )


def explore_customer(
    model, frequency: int = 2, recency: float = 30.0, T: float = 38.0, horizon: float = 52.0, level: float | None = 0.95
):
    """Customer explorer: frequency, recency and age T -> P(alive) and expected purchases, with intervals.

    Parameters
    ----------
    model : BGNBDResult or ParetoNBDResult
        A fitted model (e.g. the BG/NBD fitted to the CDNOW sample); time in weeks.
    frequency, recency, T : starting values (repeat purchases, weeks, weeks).
    horizon : float
        Weeks ahead for the expected purchases.
    level : float or None, default 0.95
        Confidence level of the delta-method intervals and of the band around the P(alive) curve
        (parameter uncertainty; shown when the model was fitted to data); None for point values.

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
    room = _label_room("130px")
    sliders = {
        "frequency": widgets.IntSlider(value=frequency, min=0, max=30, step=1, description=_("frequency x"), **room),
        "recency": widgets.FloatSlider(value=recency, min=0, max=78, step=0.5, description=_("recency t_x"), **room),
        "T": widgets.FloatSlider(value=T, min=1, max=78, step=0.5, description=_("age T (wk)"), **room),
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

    def update(_change=None):
        view = evaluate_customer(model, *current(), horizon, level)
        box.result = view
        readout.value = customer_readout(view)
        ax.clear()
        clv_plots.draw_prob_alive(
            view.curve, view.frequency, view.recency, view.T, view.prob_alive, ax=ax, band=view.band, level=view.level
        )
        show_figure(output, fig)

    for w in sliders.values():
        w.observe(update, names="value")
    box.sliders, box.readout, box.output, box.figure, box.update = sliders, readout, output, fig, update
    update()
    return box
