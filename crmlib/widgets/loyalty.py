"""Widgets for chapter 2 (loyalty types): thin views over :mod:`crmlib.loyalty`.

* :func:`explore_loyalty_grid` (the chapter's main widget): move a customer in the
  relative-attitude x repeat-patronage grid and through the seven-type survey items;
  read the Dick & Basu, Griffin and seven-type classes and what to do about them.
* :func:`explore_loyalty_index`: sliders for the five measurement criteria and their
  weights; read the loyalty index and its level.
* :func:`explore_loyalty_value`: a retention slider (and referrals, spend growth) against a
  baseline retention rate; read the customer-number growth effect and the retention-time
  effect, and the monetary and non-monetary value of the base.

Both return the widget (a ``VBox``) with ``sliders`` (dict name -> slider), ``readout``
(an ``HTML`` widget with the numbers), ``output`` (an ``Output`` with the figure),
``update()`` (evaluate and redraw) and ``result`` (the one model result behind the display).
Each event evaluates the model once; the readout and the figure format that one result.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _validate as v
from .. import loyalty
from ..i18n import N_
from ..i18n import gettext as _
from ..plotting import loyalty as loyalty_plots
from . import show_figure, slider

__all__ = [
    "GridCustomer",
    "explore_loyalty_grid",
    "explore_loyalty_index",
    "explore_loyalty_value",
    "grid_readout",
    "index_readout",
    "value_readout",
]

_ITEMS = ("attachment", "repeat", "no_alternative", "habit", "convenience", "price", "rewards")
#: The sliders' words for the survey items (translated when the widget is built).
_ITEM_LABELS = {
    "attachment": N_("attachment (1-5)"),
    "repeat": N_("repeat (1-5)"),
    "no_alternative": N_("no alternative (1-5)"),
    "habit": N_("habit (1-5)"),
    "convenience": N_("convenience (1-5)"),
    "price": N_("price (1-5)"),
    "rewards": N_("rewards (1-5)"),
}


@dataclass(frozen=True)
class GridCustomer:
    """The example customer of the grid widget (and of the static cell before it).

    Attitude and patronage are on [0, 1]; the survey items on 1-5. Validated in
    ``__post_init__``; change with :func:`dataclasses.replace`.
    """

    relative_attitude: float = 0.3
    repeat_patronage: float = 0.8
    attachment: int = 2
    repeat: int = 5
    no_alternative: int = 1
    habit: int = 3
    convenience: int = 4
    price: int = 2
    rewards: int = 2

    def __post_init__(self) -> None:
        for name in ("relative_attitude", "repeat_patronage"):
            v.in_range(name, getattr(self, name), 0, 1)
        for name in _ITEMS:
            v.in_range(name, getattr(self, name), 1, 5, unit="(a 1-5 Likert score)")

    @classmethod
    def default(cls) -> GridCustomer:
        """A commuter who buys often because the shop is on the way, with little attachment."""
        return cls()

    def classify(self) -> dict:
        """Dick & Basu, Griffin and seven-type classes of this customer (one evaluation of the models)."""
        return {
            "dick_basu": loyalty.dick_basu(self.relative_attitude, self.repeat_patronage),
            "griffin": loyalty.griffin(self.relative_attitude, self.repeat_patronage),
            "seven_type": loyalty.seven_type(
                self.attachment,
                self.repeat,
                no_alternative=self.no_alternative,
                habit=self.habit,
                convenience=self.convenience,
                price=self.price,
                rewards=self.rewards,
            ),
        }


def grid_readout(customer: GridCustomer, classes: dict) -> str:
    """The HTML text the grid widget shows: ``classes`` (from :meth:`GridCustomer.classify`) formatted."""
    return "<br>".join(
        [
            _("relative attitude {attitude:.2f}, repeat patronage {patronage:.2f}").format(
                attitude=customer.relative_attitude, patronage=customer.repeat_patronage
            ),
            _(
                "<b>Dick &amp; Basu:</b> {dick_basu} &nbsp; <b>Griffin:</b> {griffin} &nbsp; <b>seven types:</b> {seven}"
            ).format(dick_basu=_(classes["dick_basu"]), griffin=_(classes["griffin"]), seven=_(classes["seven_type"])),
            _("<b>What to do:</b> {action}").format(action=_(loyalty.ACTIONS[classes["dick_basu"]])),
            _("<b>For a {kind} customer:</b> {action}").format(
                kind=_(classes["seven_type"]), action=_(loyalty.ACTIONS[classes["seven_type"]])
            ),
        ]
    )


def explore_loyalty_grid(customer: GridCustomer | None = None):
    """Sliders for attitude, patronage and the seven-type items -> classes, grid, advice.

    The first slider is relative attitude (the main slider). Returns a ``VBox`` with
    attributes ``sliders``, ``readout``, ``output``, ``update`` and ``result`` (the classes).
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    customer = customer or GridCustomer.default()
    if not isinstance(customer, GridCustomer):
        raise TypeError(f"customer must be a GridCustomer; got {customer!r}")
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="420px")
    sliders = {
        "relative_attitude": slider(
            customer.relative_attitude,
            0,
            1,
            0.05,
            _("relative attitude"),
            continuous_update=True,
            style=style,
            layout=layout,
        ),
        "repeat_patronage": slider(
            customer.repeat_patronage,
            0,
            1,
            0.05,
            _("repeat patronage"),
            continuous_update=True,
            style=style,
            layout=layout,
        ),
    }
    for name in _ITEMS:
        sliders[name] = slider(
            getattr(customer, name),
            1,
            5,
            1,
            _(_ITEM_LABELS[name]),
            integer=True,
            continuous_update=True,
            style=style,
            layout=layout,
        )
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(6, 4.5), layout="constrained")  # not managed by pyplot: never shown twice
    ax = fig.subplots()
    left = widgets.VBox(
        [
            widgets.HTML(_("<b>Dick &amp; Basu / Griffin grid</b>")),
            sliders["relative_attitude"],
            sliders["repeat_patronage"],
            widgets.HTML(_("<b>Seven-type survey items</b>")),
            *[sliders[k] for k in _ITEMS],
        ]
    )
    box = widgets.VBox([widgets.HBox([left, output]), readout])

    def update(_change=None):
        cust = GridCustomer(**{k: s.value for k, s in sliders.items()})
        classes = cust.classify()  # the one evaluation of this event
        box.result = classes
        readout.value = grid_readout(cust, classes)
        ax.clear()
        loyalty_plots.plot_loyalty_grid(cust.relative_attitude, cust.repeat_patronage, labels=[_("customer")], ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box


#: The sliders' words for the five criteria (translated when the widget is built).
_CRITERION_LABELS = {
    "repeat_purchases": N_("repeat purchases"),
    "choice_time": N_("choice time"),
    "price_sensitivity": N_("price sensitivity"),
    "competitor_attitude": N_("competitor attitude"),
    "quality_tolerance": N_("quality tolerance"),
}


def index_readout(contributions) -> str:
    """The HTML text the index widget shows for one :func:`crmlib.loyalty.criteria_contributions` table."""
    idx = float(contributions["contribution"].sum())
    return _("<b>loyalty index:</b> {index:.1f} / 100 &nbsp; <b>level:</b> {level}").format(
        index=idx, level=_(loyalty.loyalty_level(idx))
    )


def _weights_message(total: float) -> str:
    return _("<b>weights sum to {total:.2f}</b>, not 1: adjust them (criteria_index would raise ValueError)").format(
        total=total
    )


def explore_loyalty_index(criteria: loyalty.LoyaltyCriteria | None = None):
    """Sliders for the five criteria (1-5) and their weights -> loyalty index and level.

    Returns a ``VBox`` with attributes ``sliders`` (``score:<criterion>`` and
    ``weight:<criterion>``), ``readout``, ``output``, ``update`` and ``result`` (the
    contributions table, or None while the weights do not sum to 1).
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    criteria = criteria or loyalty.LoyaltyCriteria.default()
    if not isinstance(criteria, loyalty.LoyaltyCriteria):
        raise TypeError(f"criteria must be a LoyaltyCriteria; got {criteria!r}")
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="400px")
    sliders = {}
    for k in loyalty.CRITERIA:
        sliders[f"score:{k}"] = slider(
            criteria.scores[k], 1, 5, 0.5, _(_CRITERION_LABELS[k]), continuous_update=True, style=style, layout=layout
        )
    for k in loyalty.CRITERIA:
        sliders[f"weight:{k}"] = slider(
            criteria.weights[k],
            0,
            1,
            0.05,
            _("w {criterion}").format(criterion=_(_CRITERION_LABELS[k])),
            continuous_update=True,
            style=style,
            layout=layout,
        )
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(6.5, 3.5), layout="constrained")
    ax = fig.subplots()
    controls = widgets.HBox(
        [
            widgets.VBox(
                [widgets.HTML(_("<b>Scores (5 = most loyal)</b>")), *[sliders[f"score:{k}"] for k in loyalty.CRITERIA]]
            ),
            widgets.VBox(
                [widgets.HTML(_("<b>Weights (must sum to 1)</b>")), *[sliders[f"weight:{k}"] for k in loyalty.CRITERIA]]
            ),
        ]
    )
    box = widgets.VBox([controls, readout, output])

    def update(_change=None):
        scores = {k: sliders[f"score:{k}"].value for k in loyalty.CRITERIA}
        weights = {k: round(sliders[f"weight:{k}"].value, 6) for k in loyalty.CRITERIA}
        total = sum(weights.values())
        if abs(total - 1) > 1e-9:  # the sliders are free; say what is wrong instead of raising
            box.result = None
            readout.value = _weights_message(total)
            return
        table = loyalty.criteria_contributions(scores, weights)  # the one evaluation of this event
        box.result = table
        readout.value = index_readout(table)
        ax.clear()
        loyalty_plots.plot_index_contributions(table, ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box


#: The widget's fixed assumptions (the chapter's example base): passed to
#: :func:`crmlib.loyalty.retention_effects` with the slider values.
VALUE_DEFAULTS = dict(
    acquisition=100.0,
    discount_rate=0.10,
    periods=15,
    margin=100.0,
    service_cost=20.0,
    cost_decline=0.10,
    acquisition_cost=50.0,
    feedback_value=2.0,
    search_cost=3.0,
    contracting_cost=2.0,
    monitoring_cost=1.0,
)


def value_readout(effects) -> str:
    """The HTML text of the value widget for one :class:`crmlib.loyalty.RetentionEffectsResult`."""
    base, up = effects.baseline, effects.improved
    r0, r1 = base.inputs["retention_rate"], up.inputs["retention_rate"]
    return "<br>".join(
        [
            _(
                "<b>retention</b> {r0:.0%} &rarr; {r1:.0%} &nbsp; <b>steady-state customers</b> {c0:,.0f} &rarr; {c1:,.0f}"
            ).format(r0=r0, r1=r1, c0=base.steady_state_customers, c1=up.steady_state_customers),
            _(
                "<b>customer-number growth effect:</b> {number:,.0f} &nbsp; <b>retention-time effect:</b> {time:,.0f} "
                "(present values over {periods} periods)"
            ).format(number=effects.number_effect, time=effects.time_effect, periods=up.inputs["periods"]),
            _(
                "<b>value of the base at {r1:.0%}:</b> monetary {monetary:,.0f} &nbsp; non-monetary {non_monetary:,.0f}"
            ).format(r1=r1, monetary=up.pv_monetary, non_monetary=up.pv_non_monetary),
        ]
    )


def explore_loyalty_value(baseline_retention_rate: float = 0.7, retention_rate: float = 0.8, **projection):
    """A retention slider -> the customer-number growth effect and the retention-time effect.

    The first slider is the retention rate (the main slider); the others are the referral rate
    and the growth of spend with tenure. Every event calls :func:`crmlib.loyalty.retention_effects`
    once (against ``baseline_retention_rate``) and formats that result. Other assumptions are
    :data:`VALUE_DEFAULTS`, overridden by ``projection`` (arguments of
    :func:`crmlib.loyalty.project_customer_base`). Returns a ``VBox`` with ``sliders``,
    ``readout``, ``output``, ``update`` and ``result``.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    v.probability("baseline_retention_rate", baseline_retention_rate, open_high=True)
    v.in_range("retention_rate", retention_rate, 0, 0.9)
    fixed = dict(VALUE_DEFAULTS, **projection)
    for key in ("referral_rate", "margin_growth"):
        fixed.pop(key, None)
    style = {"description_width": "160px"}
    layout = widgets.Layout(width="440px")
    sliders = {
        "retention_rate": slider(
            retention_rate, 0.0, 0.9, 0.05, _("retention rate"), continuous_update=True, style=style, layout=layout
        ),
        "referral_rate": slider(
            projection.get("referral_rate", 0.05),
            0.0,
            0.09,
            0.01,
            _("referrals per customer"),
            continuous_update=True,
            style=style,
            layout=layout,
        ),
        "margin_growth": slider(
            projection.get("margin_growth", 0.05),
            0.0,
            0.15,
            0.01,
            _("spend growth per period"),
            continuous_update=True,
            style=style,
            layout=layout,
        ),
    }
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax_base, ax_fx = fig.subplots(1, 2)
    box = widgets.VBox([widgets.VBox(list(sliders.values())), readout, output])

    def update(_change=None):
        effects = loyalty.retention_effects(
            baseline_retention_rate,
            sliders["retention_rate"].value,
            referral_rate=sliders["referral_rate"].value,
            margin_growth=sliders["margin_growth"].value,
            **fixed,
        )  # the one evaluation of this event
        box.result = effects
        readout.value = value_readout(effects)
        ax_base.clear()
        ax_fx.clear()
        loyalty_plots.plot_customer_base(effects.improved, ax=ax_base)
        loyalty_plots.plot_retention_effects(effects, ax=ax_fx)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box
