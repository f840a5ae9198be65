"""Figures of chapter 5 (the psychology of waiting). Each takes ``ax=None`` and returns the axis.

=================================  ===============================================================
:func:`plot_wait_distribution`     actual (and perceived) waiting times as filled histograms
:func:`plot_wait_vs_servers`       M/M/c mean wait and service level against the number of servers
:func:`plot_staffing_day`          agents on duty per interval and the service level per interval
=================================  ===============================================================
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .. import _validate as v
from .. import waiting
from ..i18n import N_
from ..i18n import gettext as _
from . import PALETTE, axes

__all__ = ["plot_staffing_day", "plot_wait_distribution", "plot_wait_vs_servers"]

#: Time units the axis labels name, marked for the Chinese edition.
_UNITS = (N_("minutes"), N_("seconds"), N_("hours"))

#: Most server counts :func:`plot_wait_vs_servers` draws (one point each).
MAX_POINTS = 10_000


def _waits(name: str, values) -> np.ndarray:
    arr = np.asarray(v.in_range(name, values, 0, waiting.MAX_TIME, unit="time units"), dtype=float).reshape(-1)
    return arr


def plot_wait_distribution(actual, perceived=None, *, target_time=None, unit: str = "minutes", ax=None, bins: int = 40):
    """Histogram of actual (and perceived) waiting times; returns the axis.

    Both histograms share the bin edges (0 to the 99th percentile of all waits shown) and
    are drawn as filled steps, one artist each (fast enough for widgets); the legend gives
    each mean.

    Parameters
    ----------
    actual, perceived : array
        Waiting times in ``unit`` (>= 0; perceived is optional).
    target_time : float, optional
        Draws the service-level target as a dashed vertical line.
    unit : str
        Time unit for the axis label.
    ax : matplotlib Axes, optional
    bins : int
        Number of bins, in [1, 1000].

    Examples
    --------
    >>> import numpy as np
    >>> ax = plot_wait_distribution(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.4, 2.8]), target_time=0.5)
    >>> ax.get_xlabel(), len(ax.patches)
    ('waiting time (minutes)', 2)
    """
    a = _waits("actual", actual)
    p = None if perceived is None else _waits("perceived", perceived)
    bins = v.integer("bins", bins, minimum=1, maximum=1000)
    if target_time is not None:
        target_time = float(v.in_range("target_time", target_time, 0, waiting.MAX_TIME))
    ax = axes(ax)
    shown = a if p is None else np.concatenate([a, p])
    top = float(np.quantile(shown, 0.99))
    edges = np.linspace(0, max(top, 1e-9), bins + 1)
    ax.stairs(
        np.histogram(a, edges)[0],
        edges,
        fill=True,
        color=PALETTE[0],
        alpha=0.6,
        label=_("actual (mean {mean:.2f})").format(mean=a.mean()),
    )
    if p is not None:
        ax.stairs(
            np.histogram(p, edges)[0],
            edges,
            fill=True,
            color=PALETTE[1],
            alpha=0.5,
            label=_("perceived (mean {mean:.2f})").format(mean=p.mean()),
        )
    if target_time is not None:
        ax.axvline(
            target_time, color=PALETTE[7], ls="--", lw=1, label=_("target {target:g}").format(target=target_time)
        )
    ax.set_xlabel(_("waiting time ({unit})").format(unit=_(unit)))
    ax.set_ylabel(_("customers"))
    ax.legend()
    return ax


def plot_wait_vs_servers(arrival_rate, service_rate, servers_range, *, target_time, unit="minutes", ax=None):
    """Mean wait (left axis) and service level (right axis) against the number of servers (M/M/c).

    Server counts that cannot carry the load (cμ <= λ) are skipped. Returns the left axis;
    the service level is drawn on its twin (the figure's other axis).

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per time unit.
    servers_range : iterable of int
        Server counts to draw (at most 10,000).
    target_time : float
        Answer-time target of the service level, in the rates' time unit.

    Examples
    --------
    >>> ax = plot_wait_vs_servers(200 / 60, 1 / 3, range(11, 16), target_time=20 / 60)
    >>> ax.lines[0].get_xdata().tolist()
    [11, 12, 13, 14, 15]
    """
    lam = float(v.in_range("arrival_rate", arrival_rate, waiting.MIN_RATE, waiting.MAX_RATE))
    mu = float(v.in_range("service_rate", service_rate, waiting.MIN_RATE, waiting.MAX_RATE))
    if isinstance(servers_range, (str, bytes)) or not hasattr(servers_range, "__iter__"):
        given = servers_range  # a single count (or a bad value, refused below)
    else:
        given = list(itertools.islice(iter(servers_range), MAX_POINTS + 1))
        if len(given) > MAX_POINTS:
            raise ValueError(f"servers_range must hold at most {MAX_POINTS} server counts")
    counts = np.atleast_1d(v.integer("servers_range", given, minimum=1, maximum=waiting.MAX_SERVERS))
    cs = counts[lam / (counts * mu) < 1 - waiting._STABILITY_TOL]
    if cs.size == 0:
        raise ValueError(
            f"servers_range has no server count that can carry the load (needs more than "
            f"{lam / mu:.4g} servers); got {v._show(counts)}"
        )
    ax = axes(ax)
    ax.plot(cs, waiting.mean_wait(lam, mu, cs), "o-", color=PALETTE[0], label=_("mean wait"))
    ax.set_xlabel(_("servers c"))
    ax.set_ylabel(_("mean wait ({unit})").format(unit=_(unit)))
    ax2 = ax.twinx()
    ax2.plot(cs, waiting.service_level(lam, mu, cs, target_time), "s--", color=PALETTE[1], label=_("service level"))
    ax2.set_ylabel(_("share served within {target:.3g} {unit}").format(target=target_time, unit=_(unit)))
    ax2.set_ylim(0, 1.02)
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="center right")
    return ax


def plot_staffing_day(plan: pd.DataFrame, simulated: pd.DataFrame | None = None, *, target_level=None, ax=None):
    """Agents on duty per interval (steps) and the service level per interval (lines); returns the axis.

    The service levels are drawn on the twin axis (the figure's other axis). ``simulated`` is matched to
    ``plan`` by index label (interval), never by position.

    Parameters
    ----------
    plan : DataFrame
        :func:`crmlib.waiting.staffing_plan` output (``DayStaffing.plan``).
    simulated : DataFrame, optional
        :func:`crmlib.waiting.interval_service_level` output with the plan's index
        (``DayStaffing.simulated``).
    target_level : float, optional
        Draws the target as a dashed line.

    Examples
    --------
    >>> from crmlib.waiting import staffing_plan
    >>> ax = plot_staffing_day(staffing_plan([100 / 5, 200 / 5], 1 / 4, 20 / 60, 0.8))
    >>> ax.get_ylabel(), ax.lines[0].get_ydata().tolist()
    ('agents on duty', [87, 169])
    """
    v.columns("plan", plan, ["servers", "service_level"])
    if simulated is not None:
        v.columns("simulated", simulated, ["service_level"])
        if simulated.index.has_duplicates or not simulated.index.sort_values().equals(plan.index.sort_values()):
            raise ValueError(
                "plan and simulated must have the same index (intervals are matched by label, not by position); "
                f"only in plan: {list(plan.index.difference(simulated.index)[:3])}, "
                f"only in simulated: {list(simulated.index.difference(plan.index)[:3])}"
            )
    if target_level is not None:
        target_level = float(v.probability("target_level", target_level))
    ax = axes(ax)
    x = np.arange(len(plan))
    ax.step(x, plan["servers"].to_numpy(), where="post", color=PALETTE[0], label=_("agents staffed"))
    ax.set_ylabel(_("agents on duty"))
    labels = [str(s) for s in plan.index]
    ticks = x[:: max(1, len(x) // 7)]
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    ax.set_xlabel(_("time of day (5-minute intervals)"))
    ax2 = ax.twinx()
    ax2.plot(x, plan["service_level"].to_numpy(), color=PALETTE[2], lw=1, label=_("Erlang C service level"))
    if simulated is not None:
        sim = simulated["service_level"].reindex(plan.index).to_numpy()
        ax2.plot(x, sim, color=PALETTE[1], lw=1, label=_("simulated service level"))
    if target_level is not None:
        ax2.axhline(target_level, color=PALETTE[7], ls="--", lw=1)
    ax2.set_ylim(0, 1.02)
    ax2.set_ylabel(_("share answered within target"))
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="lower center", fontsize=9)
    return ax
