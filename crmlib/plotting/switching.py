"""Figures of chapter 4 (switching cost and substitute value). Each takes ``ax=None`` and returns the axis.

Every function draws a result the model already computed (a :class:`~crmlib.switching.SwitchDecision`,
a :func:`~crmlib.switching.tornado` table, a :class:`~crmlib.switching.ChurnOutcome`, a
:class:`~crmlib.stats.LogitResult`, a :func:`~crmlib.switching.churn_by_contract` table,
:func:`~crmlib.switching.retention_curves`); it never re-evaluates the model it shows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _validate as v
from .. import switching
from ..i18n import gettext as _
from ..stats import KaplanMeierResult, LogitResult
from . import PALETTE, axes

__all__ = [
    "plot_barrier_interaction",
    "plot_churn_by_contract",
    "plot_churn_curve",
    "plot_retention_curves",
    "plot_substitute_value",
    "plot_tornado",
]


def plot_substitute_value(decision: switching.SwitchDecision | None = None, ax=None):
    """Waterfall of SV = Q(U-P) - O - M - S (+ B) against the current value CV (yuan per year).

    Parameters
    ----------
    decision : SwitchDecision, optional
        From :func:`crmlib.switching.decide` (default: ``decide()``, the chapter's running customer).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Bars: the terms of SV (surplus, -O, -M, -S, and +B when there is a welcome benefit), then SV;
        a dashed line at CV.
    """
    d = switching.decide() if decision is None else decision
    if not isinstance(d, switching.SwitchDecision) or d.substitute is None:
        raise TypeError(f"decision must be the SwitchDecision of crmlib.switching.decide(); got {type(d).__name__}")
    s = d.substitute
    ax = axes(ax)
    steps = [
        ("Q(U−P)\n消费者剩余", s.quantity * (s.utility - s.price)),
        ("−O\n其他成本", -s.other_costs),
        ("−M\n维持成本", -s.maintenance_cost),
        ("−S\n转移成本", -s.switching_cost),
    ]
    if s.promotion:
        steps.append(("+B\n利益", s.promotion))
    level = 0.0
    for i, (_name, delta) in enumerate(steps):
        ax.bar(i, delta, bottom=level, color=PALETTE[0] if delta >= 0 else PALETTE[1], width=0.6)
        level += delta
    n = len(steps)
    ax.bar(n, d.substitute_value, color=PALETTE[2], width=0.6)
    ax.axhline(
        d.current_value,
        color="black",
        ls="--",
        lw=1.2,
        label=_("current value CV = {cv:.0f}").format(cv=d.current_value),
    )
    ax.set_xticks(range(n + 1), [name for name, _delta in steps] + ["SV\n替代价值"])
    ax.set_ylabel(_("value (yuan per year)"))
    ax.set_title(
        _("SV = {sv:.0f} vs CV = {cv:.0f}: {decision}").format(
            sv=d.substitute_value, cv=d.current_value, decision=_(d.decision)
        )
    )
    ax.legend(loc="upper right")
    return ax


def plot_tornado(table: pd.DataFrame, ax=None):
    """Horizontal tornado bars of the value gap SV - CV from :func:`crmlib.switching.tornado`. Returns the axis.

    Each term gets two bars from the base gap: to the gap with the term at -swing (left colour) and at
    +swing; the largest range is at the top.
    """
    v.columns("table", table, ["gap_at_low", "gap_at_high", "base_gap"])
    ax = axes(ax)
    t = table.iloc[::-1]
    y = np.arange(len(t))
    base = float(t["base_gap"].iloc[0])
    ax.barh(y, t["gap_at_low"] - base, left=base, color=PALETTE[1], label=_("term at −swing"))
    ax.barh(y, t["gap_at_high"] - base, left=base, color=PALETTE[0], label=_("term at +swing"))
    ax.axvline(base, color="black", lw=1, label=_("base gap {gap:g}").format(gap=base))
    ax.axvline(0, color="grey", lw=1, ls="--", label=_("switch threshold"))
    ax.set_yticks(y, [_(str(i)) for i in t.index])
    ax.set_xlabel(_("value gap SV − CV (yuan per year; > 0 = switch)"))
    ax.legend(loc="lower right")
    return ax


def plot_churn_curve(outcome: switching.ChurnOutcome | switching.ChurnScenario | None = None, ax=None):
    """Switch probability against the value gap, for identical customers and for the population.

    Parameters
    ----------
    outcome : ChurnOutcome or ChurnScenario, optional
        What :func:`crmlib.switching.churn_outcome` computed (a scenario is evaluated once here;
        default ``ChurnScenario()``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Two lines (one customer, the population) and a point at the scenario's mean gap.
    """
    out = outcome if isinstance(outcome, switching.ChurnOutcome) else switching.churn_outcome(outcome)
    sc = out.scenario
    ax = axes(ax)
    ax.plot(out.gaps, out.individual, label=_("one customer (logit)"))
    ax.plot(out.gaps, out.population, ls="--", label=_("population, gap sd {sd:g}").format(sd=sc.gap_sd))
    ax.plot(
        [sc.value_gap],
        [out.churn_rate],
        "o",
        color="black",
        label=_("mean gap {gap:g}: churn {churn:.1%}").format(gap=sc.value_gap, churn=out.churn_rate),
    )
    ax.axvline(sc.barrier, color="grey", lw=0.8, ls=":")
    ax.set_xlabel(_("value gap SV − CV (yuan per year)"))
    ax.set_ylabel(_("probability of switching"))
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    return ax


def plot_barrier_interaction(result: LogitResult, ax=None, barriers=(2.0, 4.0, 6.0)):
    """Predicted probability of staying against satisfaction, one line per barrier level.

    ``result`` is the :class:`~crmlib.stats.LogitResult` of :func:`crmlib.switching.fit_barrier_model`;
    ``barriers`` are barrier scores on the 1-7 scale.
    """
    from scipy.special import expit

    switching.barrier_slope(result, 4)  # type check
    levels = [v.in_range("barriers", b, 1, 7) for b in np.atleast_1d(barriers)]
    ax = axes(ax)
    s = np.linspace(1, 7, 61)
    p = result.params
    for b in levels:
        eta = (
            p["const"]
            + p["satisfaction"] * (s - 4)
            + p["barriers"] * (b - 4)
            + p["satisfaction:barriers"] * (s - 4) * (b - 4)
        )
        ax.plot(s, expit(eta), label=_("barriers = {barrier:g}").format(barrier=b))
    ax.set_xlabel(_("satisfaction (1-7 scale)"))
    ax.set_ylabel(_("P(stay)"))
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right")
    return ax


def plot_churn_by_contract(table: pd.DataFrame, ax=None):
    """Bar chart of churn share (%) by contract with the interval as error bars.

    ``table`` comes from :func:`crmlib.switching.churn_by_contract`. Returns the axis.
    """
    v.columns("table", table, ["churn_rate", "ci_low", "ci_high"])
    ax = axes(ax)
    x = np.arange(len(table))
    r = table["churn_rate"].to_numpy(dtype=float)
    err = np.vstack([r - table["ci_low"].to_numpy(dtype=float), table["ci_high"].to_numpy(dtype=float) - r]) * 100
    ax.bar(x, r * 100, yerr=err, capsize=6, color=PALETTE[: len(table)])
    for xi, ri in zip(x, r):
        ax.text(xi, ri * 100 + 2, f"{ri:.1%}", ha="center")
    ax.set_xticks(x, [_(str(i)) for i in table.index])
    ax.set_ylabel(_("churned in the last month (% of customers)"))
    ax.set_xlabel(_("contract type"))
    return ax


def plot_retention_curves(curves: dict, ax=None):
    """Kaplan-Meier retention curves (steps) with their pointwise intervals (bands), months of tenure.

    ``curves`` maps a group label to a :class:`~crmlib.stats.KaplanMeierResult`
    (e.g. :func:`crmlib.switching.retention_curves`). Returns the axis.
    """
    if not isinstance(curves, dict) or not curves or not all(isinstance(c, KaplanMeierResult) for c in curves.values()):
        raise TypeError("curves must be a non-empty dict of KaplanMeierResult, e.g. from retention_curves()")
    ax = axes(ax)
    for (name, km), colour in zip(curves.items(), PALETTE):
        t = km.table
        ax.step(t["time"], t["survival"], where="post", color=colour, label=_(str(name)))
        ax.fill_between(t["time"], t["ci_low"], t["ci_high"], step="post", color=colour, alpha=0.2, lw=0)
    ax.set_xlabel(_("tenure (months)"))
    ax.set_ylabel(_("share still a customer S(t)"))
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", title=_("contract"))
    return ax
