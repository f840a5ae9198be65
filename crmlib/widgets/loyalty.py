"""Widgets for chapter 2 (loyalty types): thin views over :mod:`crmlib.loyalty`.

* :func:`explore_loyalty_grid` (the chapter's main widget): move a customer in the
  relative-attitude x repeat-patronage grid and through the seven-type survey items;
  read the Dick & Basu, Griffin and seven-type classes and what to do about them.
* :func:`explore_loyalty_index`: sliders for the five measurement criteria and their
  weights; read the loyalty index and its level.

Both return the widget (a ``VBox``) with ``sliders`` (dict name -> slider), ``readout``
(an ``HTML`` widget with the numbers), ``output`` (an ``Output`` with the figure),
``update()`` (evaluate and redraw) and ``result`` (the one model result behind the display).
Each event evaluates the model once; the readout and the figure format that one result.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _validate as v
from .. import loyalty
from ..plotting import loyalty as loyalty_plots
from . import show_figure

__all__ = [
    "GridCustomer",
    "explore_loyalty_grid",
    "explore_loyalty_index",
    "grid_readout",
    "index_readout",
]

_ITEMS = ("attachment", "repeat", "no_alternative", "habit", "convenience", "price", "rewards")


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
    return (
        f"relative attitude {customer.relative_attitude:.2f}, repeat patronage "
        f"{customer.repeat_patronage:.2f}<br><b>Dick &amp; Basu:</b> {classes['dick_basu']} &nbsp; "
        f"<b>Griffin:</b> {classes['griffin']} &nbsp; <b>seven types:</b> {classes['seven_type']}<br>"
        f"<b>What to do:</b> {loyalty.ACTIONS[classes['dick_basu']]}<br>"
        f"<b>For a {classes['seven_type']} customer:</b> {loyalty.ACTIONS[classes['seven_type']]}"
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
        "relative_attitude": widgets.FloatSlider(
            value=customer.relative_attitude,
            min=0,
            max=1,
            step=0.05,
            description="relative attitude",
            style=style,
            layout=layout,
        ),
        "repeat_patronage": widgets.FloatSlider(
            value=customer.repeat_patronage,
            min=0,
            max=1,
            step=0.05,
            description="repeat patronage",
            style=style,
            layout=layout,
        ),
    }
    for name in _ITEMS:
        sliders[name] = widgets.IntSlider(
            value=getattr(customer, name),
            min=1,
            max=5,
            step=1,
            description=f"{name.replace('_', ' ')} (1-5)",
            style=style,
            layout=layout,
        )
    readout = widgets.HTML()
    output = widgets.Output()
    fig = Figure(figsize=(6, 4.5), layout="constrained")  # not managed by pyplot: never shown twice
    ax = fig.subplots()
    left = widgets.VBox(
        [
            widgets.HTML("<b>Dick &amp; Basu / Griffin grid</b>"),
            sliders["relative_attitude"],
            sliders["repeat_patronage"],
            widgets.HTML("<b>Seven-type survey items</b>"),
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
        loyalty_plots.plot_loyalty_grid(cust.relative_attitude, cust.repeat_patronage, labels=["customer"], ax=ax)
        show_figure(output, fig)

    for s in sliders.values():
        s.observe(update, names="value")
    box.sliders, box.readout, box.output, box.update, box.figure = sliders, readout, output, update, fig
    update()
    return box


def index_readout(contributions) -> str:
    """The HTML text the index widget shows for one :func:`crmlib.loyalty.criteria_contributions` table."""
    idx = float(contributions["contribution"].sum())
    return f"<b>loyalty index:</b> {idx:.1f} / 100 &nbsp; <b>level:</b> {loyalty.loyalty_level(idx)}"


def _weights_message(total: float) -> str:
    return f"<b>weights sum to {total:.2f}</b>, not 1: adjust them (criteria_index would raise ValueError)"


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
        sliders[f"score:{k}"] = widgets.FloatSlider(
            value=criteria.scores[k],
            min=1,
            max=5,
            step=0.5,
            description=k.replace("_", " "),
            style=style,
            layout=layout,
        )
    for k in loyalty.CRITERIA:
        sliders[f"weight:{k}"] = widgets.FloatSlider(
            value=criteria.weights[k],
            min=0,
            max=1,
            step=0.05,
            description=f"w {k.replace('_', ' ')}",
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
                [widgets.HTML("<b>Scores (5 = most loyal)</b>"), *[sliders[f"score:{k}"] for k in loyalty.CRITERIA]]
            ),
            widgets.VBox(
                [widgets.HTML("<b>Weights (must sum to 1)</b>"), *[sliders[f"weight:{k}"] for k in loyalty.CRITERIA]]
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
