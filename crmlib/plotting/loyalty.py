"""Figures of chapter 2 (loyalty types). Each takes ``ax=None`` and returns the axis it drew on.

The figures draw what :mod:`crmlib.loyalty` computes; they compute nothing of their own beyond
the layout (the index contributions come from :func:`crmlib.loyalty.criteria_contributions`,
the effects from a :class:`crmlib.loyalty.RelationshipQualityResult`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from ..i18n import N_
from ..i18n import gettext as _
from ..loyalty import (
    DICK_BASU_CLASSES,
    GRIFFIN_CLASSES,
    MONETARY_PARTS,
    NON_MONETARY_PARTS,
    SEVEN_TYPES,
    CustomerBaseResult,
    RelationshipQualityResult,
    RetentionEffectsResult,
)
from . import PALETTE, axes

__all__ = [
    "plot_customer_base",
    "plot_index_contributions",
    "plot_inter_purchase_times",
    "plot_loyalty_grid",
    "plot_retention_effects",
    "plot_seven_types",
    "plot_standardised_effects",
    "plot_value_by_tenure",
]


def plot_loyalty_grid(
    relative_attitude=None,
    repeat_patronage=None,
    attitude_cutoff: float = 0.5,
    patronage_cutoff: float = 0.5,
    scheme: str = "dick_basu",
    labels=None,
    ax=None,
):
    """Draw the attitude x patronage grid with its four classes and customers as dots.

    Parameters
    ----------
    relative_attitude, repeat_patronage : float or array-like or pandas.Series in [0, 1], optional
        Customers to plot (x = repeat patronage, y = relative attitude); two Series are
        paired by index.
    attitude_cutoff, patronage_cutoff : float in [0, 1]
        Where the grid lines are drawn ("high" begins there).
    scheme : {"dick_basu", "griffin"}
        Whose class names label the four cells.
    labels : list of str, optional
        Text next to each dot (in the order of the points).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    v.one_of("scheme", scheme, ["dick_basu", "griffin"])
    table = DICK_BASU_CLASSES if scheme == "dick_basu" else GRIFFIN_CLASSES
    ac = v.in_range("attitude_cutoff", attitude_cutoff, 0, 1)
    pc = v.in_range("patronage_cutoff", patronage_cutoff, 0, 1)
    points = None
    if relative_attitude is not None or repeat_patronage is not None:
        _index, arr = v.aligned(relative_attitude=relative_attitude, repeat_patronage=repeat_patronage)
        points = (
            np.asarray(v.in_range("relative_attitude", arr["relative_attitude"], 0, 1), dtype=float),
            np.asarray(v.in_range("repeat_patronage", arr["repeat_patronage"], 0, 1), dtype=float),
        )
        if labels is not None and len(labels) != len(points[0]):
            raise ValueError(f"labels must have one text per customer ({len(points[0])}); got {len(labels)}")
    ax = axes(ax)
    cells = {
        (True, True): (pc, 1, ac, 1),
        (True, False): (0, pc, ac, 1),
        (False, True): (pc, 1, 0, ac),
        (False, False): (0, pc, 0, ac),
    }
    colours = {
        (True, True): PALETTE[2],
        (True, False): PALETTE[5],
        (False, True): PALETTE[4],
        (False, False): "#BBBBBB",
    }
    for key, (x0, x1, y0, y1) in cells.items():
        ax.fill_between([x0, x1], y0, y1, color=colours[key], alpha=0.25, lw=0)
        ax.text((x0 + x1) / 2, (y0 + y1) / 2, _(table[key]), ha="center", va="center", fontsize=10, alpha=0.8)
    ax.axvline(pc, color="0.4", lw=1)
    ax.axhline(ac, color="0.4", lw=1)
    if points is not None:
        a, p = points
        ax.scatter(p, a, s=60, color=PALETTE[1], zorder=3, edgecolor="k")
        for i, text in enumerate(labels or []):
            ax.annotate(text, (p[i], a[i]), xytext=(5, 5), textcoords="offset points", fontsize=9)
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel=_("repeat patronage 重复购买 (share of purchases, 0-1)"),
        ylabel=_("relative attitude 相对态度 (0-1)"),
        title="Dick & Basu (1994)" if scheme == "dick_basu" else "Griffin (2002)",
    )
    return ax


def _type_text(t) -> str:
    """A type's cell text: its English name, the slides' Chinese and its driver (the driver translated)."""
    return _("{name}\n{chinese}\n({driver})").format(name=t.name, chinese=t.chinese, driver=_(t.driver))


def plot_seven_types(ax=None):
    """Place the course's seven types in the attachment x repeat-purchase grid.

    Each type goes in the cell of its profile in :data:`crmlib.loyalty.SEVEN_TYPES`: four
    types share the low-attachment, high-repeat cell (told apart by their driver); price
    loyalty shares the low-low cell with no loyalty. Returns the axis.
    """
    ax = axes(ax)
    ax.axvline(0.5, color="0.4", lw=1)
    ax.axhline(0.5, color="0.4", lw=1)
    low_high = [t for t in SEVEN_TYPES if (t.attachment, t.repeat) == ("low", "high")]
    for i, t in enumerate(low_high):
        ax.text(
            0.75,
            0.08 + i * 0.1,
            _("{name} {chinese}: {driver}").format(name=t.name, chinese=t.chinese, driver=_(t.driver)),
            ha="center",
            fontsize=9,
            color=PALETTE[i % len(PALETTE)],
        )
    for t in SEVEN_TYPES:
        if t.attachment == "high":
            x = 0.75 if t.repeat == "high" else 0.25
            ax.text(x, 0.75, _type_text(t), ha="center", va="center", fontsize=10)
        elif t.repeat == "low":
            ax.text(0.25, 0.32, _type_text(t), ha="center", va="center", fontsize=10)
    ax.text(0.25, 0.12, _("no loyalty\n无忠诚度"), ha="center", va="center", fontsize=10, color="0.4")
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xticks=[0.25, 0.75],
        yticks=[0.25, 0.75],
        xticklabels=[_("low"), _("high")],
        yticklabels=[_("low"), _("high")],
        xlabel=_("repeat purchase 重复购买 (level)"),
        ylabel=_("attachment 依恋 (level)"),
        title=_("The seven loyalty types"),
    )
    ax.grid(False)
    return ax


def plot_inter_purchase_times(gaps, bins=None, ax=None):
    """Histogram of inter-purchase times (days), with the median marked as a dashed line.

    ``gaps`` are days between purchases (e.g. :func:`crmlib.loyalty.inter_purchase_times`);
    the default bins are two weeks wide, starting at 0.
    """
    g = np.atleast_1d(np.asarray(v.in_range("gaps", gaps, 0, 1e6, unit="days"), dtype=float))
    ax = axes(ax)
    bins = np.arange(0, g.max() + 15, 14) if bins is None else bins
    ax.hist(g, bins=bins, alpha=0.8)
    med = float(np.median(g))
    ax.axvline(med, color="k", ls="--", lw=1, label=_("median {median:.0f} days").format(median=med))
    ax.set(xlabel=_("days between purchases (days)"), ylabel=_("number of gaps"), title=_("Inter-purchase times"))
    ax.legend()
    return ax


def plot_standardised_effects(*results, ax=None):
    """Bar chart of the standardised effects of the components, one group of bars per fit.

    ``results`` are :class:`crmlib.loyalty.RelationshipQualityResult` objects with the same
    predictors (e.g. the OLS and the ordered-logit fit of one survey).
    """
    if not results or not all(isinstance(r, RelationshipQualityResult) for r in results):
        raise TypeError("results must be RelationshipQualityResult objects from fit_relationship_quality")
    names = list(results[0].predictors)
    if any(list(r.predictors) != names for r in results):
        raise ValueError(f"results must have the same predictors; got {[list(r.predictors) for r in results]}")
    ax = axes(ax)
    width = 0.8 / len(results)
    x = np.arange(len(names))
    for i, r in enumerate(results):
        unit = _("SD of loyalty score") if r.model == "ols" else _("log-odds")
        ax.bar(
            x + i * width,
            r.standardised[names].to_numpy(),
            width,
            label=_("{model} ({unit})").format(model=r.model, unit=unit),
        )
    ax.set_xticks(x + width * (len(results) - 1) / 2, [_(n) for n in names])
    ax.set(ylabel=_("effect per SD of the component"), title=_("Relationship quality -> loyalty"))
    ax.legend()
    return ax


def plot_index_contributions(contributions: pd.DataFrame, ax=None):
    """Horizontal bars: each criterion's contribution (index points) to one customer's loyalty index.

    Parameters
    ----------
    contributions : pandas.DataFrame
        The table of :func:`crmlib.loyalty.criteria_contributions` (columns ``contribution``
        and ``maximum``, one row per criterion); drawn as it is, nothing is recomputed.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Grey bars: the most each criterion can add (100 x weight); coloured bars: this
        customer's contribution; the title gives the index (the sum of the contributions).
    """
    if not isinstance(contributions, pd.DataFrame) or not {"contribution", "maximum"} <= set(contributions.columns):
        raise TypeError(
            "contributions must be the DataFrame of crmlib.loyalty.criteria_contributions (columns 'contribution' "
            f"and 'maximum'); got {type(contributions).__name__}"
        )
    ax = axes(ax)
    y = np.arange(len(contributions))
    ax.barh(y, contributions["maximum"].to_numpy(), color="0.85", label=_("maximum (weight x 100)"))
    ax.barh(y, contributions["contribution"].to_numpy(), label=_("this customer"))
    ax.set_yticks(y, [_(str(k)) for k in contributions.index])
    ax.invert_yaxis()
    total = float(contributions["contribution"].sum())
    ax.set(
        xlabel=_("contribution to the index (index points, 0-100)"),
        title=_("Loyalty index = {total:.1f}").format(total=total),
    )
    ax.legend(loc="lower right")
    return ax


def _check_result(name: str, obj, cls) -> None:
    if not isinstance(obj, cls):
        raise TypeError(f"{name} must be a crmlib.loyalty.{cls.__name__}; got {type(obj).__name__}")


_LABELS = {
    "margin": N_("margin (spend grows with tenure)"),
    "service_cost": N_("service cost (falls with tenure)"),
    "acquisition_spend": N_("acquisition spend"),
    "referrals": N_("referrals (acquisition cost saved)"),
    "feedback": N_("feedback"),
    "search": N_("search cost saved"),
    "contracting": N_("contracting cost saved"),
    "monitoring": N_("monitoring cost saved"),
}


def plot_customer_base(result, ax=None):
    """Customers by period (new and returning) against the steady state A / (1 - r - referral rate).

    Parameters
    ----------
    result : crmlib.loyalty.CustomerBaseResult
        From :func:`crmlib.loyalty.project_customer_base`; drawn as it is.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Stacked bars (returning customers below, new customers above) and a dashed line at the
        steady state: the customer-number growth effect (客户数量增长效应).
    """
    _check_result("result", result, CustomerBaseResult)
    ax = axes(ax)
    t = result.by_period
    x = t.index.to_numpy()
    ax.bar(x, t["returning"], color=PALETTE[0], label=_("returning customers"))
    ax.bar(x, t["new_customers"], bottom=t["returning"], color=PALETTE[5], label=_("new customers (won + referred)"))
    ax.axhline(result.steady_state_customers, color="k", ls="--", lw=1, label=_("steady state"))
    ax.set(
        xlabel=_("period"),
        ylabel=_("customers"),
        title=_("Customer base at retention {retention:.0%} (steady state {steady:.0f})").format(
            retention=result.inputs["retention_rate"], steady=result.steady_state_customers
        ),
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize="small")
    return ax


def plot_value_by_tenure(result, ax=None):
    """One customer's value in her k-th period, stacked by part: the retention-time effect per customer.

    Parameters
    ----------
    result : crmlib.loyalty.CustomerBaseResult
        Its ``by_tenure`` table is drawn as it is.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Bars above zero for the parts that add value (monetary in blue-green shades, non-monetary
        in warm shades), below zero for the service cost; a black line for the net value.
    """
    _check_result("result", result, CustomerBaseResult)
    ax = axes(ax)
    per = result.by_tenure
    x = per.index.to_numpy()
    pos, neg = np.zeros(len(per)), np.zeros(len(per))
    colours = dict(zip((*MONETARY_PARTS, *NON_MONETARY_PARTS), (PALETTE[0], PALETTE[1], PALETTE[7], *PALETTE[2:7])))
    for part in ("margin", "service_cost", *NON_MONETARY_PARTS):
        vals = per[part].to_numpy(dtype=float)
        if not np.any(vals):
            continue
        base = np.where(vals >= 0, pos, neg)
        ax.bar(x, vals, bottom=base, color=colours[part], label=_(_LABELS[part]))
        pos, neg = pos + np.clip(vals, 0, None), neg + np.clip(vals, None, 0)
    ax.plot(x, per["total"], "k-o", ms=3, label=_("net value per period"))
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set(xlabel=_("period of tenure (k)"), ylabel=_("value per customer per period"), title=_("Value by tenure"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize="small")
    return ax


def plot_retention_effects(effects, ax=None):
    """The gain from higher retention by period, split into the customer-number and the retention-time effect.

    Parameters
    ----------
    effects : crmlib.loyalty.RetentionEffectsResult
        From :func:`crmlib.loyalty.retention_effects`; drawn as it is.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Stacked bars of the present values per period; the title gives their totals.
    """
    _check_result("effects", effects, RetentionEffectsResult)
    ax = axes(ax)
    t = effects.by_period
    x = t.index.to_numpy()
    n, tm = t["pv_number_effect"].to_numpy(), t["pv_time_effect"].to_numpy()
    ax.bar(x, n, color=PALETTE[0], label=_("customer-number growth effect"))
    ax.bar(
        x,
        tm,
        bottom=np.where(tm >= 0, np.clip(n, 0, None), np.clip(n, None, 0)),
        color=PALETTE[4],
        label=_("retention-time effect"),
    )
    ax.axhline(0, color="0.5", lw=0.8)
    r0, r1 = effects.baseline.inputs["retention_rate"], effects.improved.inputs["retention_rate"]
    ax.set(
        xlabel=_("period"),
        ylabel=_("present value of the gain"),
        title=_("Retention {r0:.0%} -> {r1:.0%}: number {number:,.0f}, time {time:,.0f}").format(
            r0=r0, r1=r1, number=effects.number_effect, time=effects.time_effect
        ),
    )
    ax.legend(loc="upper left", fontsize="small")
    return ax
