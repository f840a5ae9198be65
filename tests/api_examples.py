"""One valid call of every public crmlib function, for the convention tests.

``tests/test_conventions.py`` takes each entry, replaces one numeric argument at a time by a bad
value (NaN, ±inf, ±1e308, a string, None, an empty list) and expects a clear error naming that
argument — or a finite result where such a value is legal. Add an entry with every new public
function (the test fails otherwise); keep the call cheap (milliseconds).

An entry is ``Example(kwargs, ...)``:

* ``kwargs``: keyword arguments of a valid call. Values may be callables taking no argument (for
  data that are expensive to build or must be fresh each call); they are called per use.
* ``legal``: for an argument, the bad-value labels that are legal inputs (e.g. ``{"periods":
  ("None",)}`` when None means "infinite horizon").
* ``nan_ok``: the function returns NaN by design for some inputs (documented in its docstring).
* ``aliases``: other words an error message may use for the argument.

``SERIES_FUNCTIONS`` lists functions that take pandas Series: the index test passes them Series
with a reversed, labelled index.

The shared modules' entries are below; each chapter keeps its own in ``tests/api_examples_<module>.py``
(defining ``EXAMPLES``, and optionally ``NO_SWEEP`` and ``SERIES_FUNCTIONS``), merged here.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Example:
    kwargs: dict
    legal: dict = field(default_factory=dict)
    nan_ok: bool = False
    aliases: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesExample:
    series: dict  # argument -> list of values (same length for all)


def _resolve(name: str):
    module, func = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), func)


def example_call(name: str, **override):
    """Call the public function ``name`` with its example arguments, some replaced by ``override``."""
    ex = EXAMPLES.get(name, Example({}))
    kwargs = {k: (val() if callable(val) and not isinstance(val, type) else val) for k, val in ex.kwargs.items()}
    kwargs.update(override)
    return _resolve(name)(**kwargs)


def _rng():
    return np.random.default_rng(1)


EXAMPLES: dict[str, Example] = {
    # ------------------------------------------------------------------ crmlib.value
    "crmlib.value.margin_multiple": Example(dict(retention_rate=0.8, discount_rate=0.1)),
    "crmlib.value.clv_from_retention": Example(
        dict(margin=100.0, retention_rate=0.8, discount_rate=0.1, periods=10, margin_growth=0.0, acquisition_cost=0.0),
        legal={"periods": ("None",)},
    ),
    "crmlib.value.value_curve": Example(dict(margin=100.0, retention_rate=0.8, discount_rate=0.1, periods=5)),
    "crmlib.value.retention_lift": Example(
        dict(
            retention_rate=0.8,
            discount_rate=0.1,
            retention_gain=0.05,
            margin_growth=0.0,
            margin=1.0,
            acquisition_cost=0.0,
        ),
        legal={"periods": ("None",)},
    ),
    "crmlib.value.retention_for_lift": Example(
        dict(target_lift=0.35, discount_rate=0.1, retention_gain=0.05, margin_growth=0.0)
    ),
    "crmlib.value.retention_lift_table": Example(
        dict(targets=(0.25, 1.0), discount_rates=(0.05, 0.1), retention_gain=0.05, margin_growth=0.0), nan_ok=True
    ),
    "crmlib.value.expected_lifetime": Example(dict(retention_rate=0.75)),
    "crmlib.value.max_value_ratio": Example(dict(discount_rate=0.1)),
    "crmlib.value.implied_retention": Example(dict(ratio=5.0, discount_rate=0.1), nan_ok=True),
    # ------------------------------------------------------------------ crmlib.stats
    "crmlib.stats.wilson_interval": Example(dict(successes=30, trials=100, level=0.95)),
    "crmlib.stats.cronbach_alpha": Example(dict(items=[[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 5]])),
    "crmlib.stats.kaplan_meier": Example(
        dict(durations=[6, 6, 7, 9, 10, 13, 16, 20], events=[1, 0, 1, 0, 1, 1, 0, 1], level=0.95)
    ),
    "crmlib.stats.logrank_test": Example(
        dict(durations=[1, 2, 3, 4, 5, 6], events=[1, 1, 0, 1, 1, 1], groups=["a", "b", "a", "b", "a", "b"])
    ),
    "crmlib.stats.fit_logit": Example(
        dict(
            outcome=[0, 0, 1, 0, 1, 0, 1, 1],
            regressors=lambda: pd.DataFrame({"const": 1.0, "x": np.arange(8.0)}),
            maxiter=100,
        )
    ),
    "crmlib.stats.fit_logit_formula": Example(
        dict(
            formula="y ~ x",
            data=lambda: pd.DataFrame({"y": [0, 0, 1, 0, 1, 0, 1, 1], "x": np.arange(8.0)}),
            maxiter=100,
        )
    ),
    "crmlib.stats.restricted_mean_survival": Example(
        dict(
            curve=lambda: _resolve("crmlib.stats.kaplan_meier")([6, 6, 7, 9, 10, 13, 16, 20], [1, 0, 1, 0, 1, 1, 0, 1]),
            tau=12.0,
            level=0.95,
        )
    ),
    "crmlib.stats.restricted_mean_table": Example(
        dict(
            curves=lambda: {
                g: _resolve("crmlib.stats.kaplan_meier")([1, 2, 3, 4 + k], [1, 1, 0, 1]) for k, g in enumerate("ab")
            },
            tau=3.0,
            level=0.95,
        )
    ),
    "crmlib.stats.fit_cox": Example(
        dict(
            formula="t ~ x",
            data=lambda: pd.DataFrame(
                {"t": [5.0, 8, 3, 9, 12, 4, 7, 10], "e": [1, 0, 1, 1, 0, 1, 1, 0], "x": [1.0, 0, 1, 0, 0, 1, 0, 1]}
            ),
            event="e",
            maxiter=100,
        )
    ),
    "crmlib.stats.fit_weibull": Example(
        dict(
            formula="t ~ 1",
            data=lambda: pd.DataFrame({"t": [5.0, 8, 3, 9, 12, 4, 7, 10], "e": [1, 0, 1, 1, 0, 1, 1, 0]}),
            event="e",
            maxiter=200,
        )
    ),
    # ------------------------------------------------------------------ crmlib.results
    "crmlib.results.check_level": Example(dict(level=0.95)),
    "crmlib.results.warn_if_not_converged": Example(
        dict(
            result=lambda: _resolve("crmlib.results.FitResult")(
                param_names=("a",), param_values=(1.0,), n_obs=1, converged=True
            )
        )
    ),
}

# Public functions that the bad-input sweep does not call, with the reason.
NO_SWEEP: dict[str, str] = {
    "crmlib.datasets.data_dir": "no arguments",
}

# Functions that take Series (argument -> values); checked by test_index_in_same_index_out.
SERIES_FUNCTIONS: dict[str, SeriesExample] = {}


def _merge_chapter_files() -> None:
    from pathlib import Path

    for path in sorted(Path(__file__).parent.glob("api_examples_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for mine, theirs in ((EXAMPLES, "EXAMPLES"), (NO_SWEEP, "NO_SWEEP"), (SERIES_FUNCTIONS, "SERIES_FUNCTIONS")):
            extra = getattr(mod, theirs, {})
            clash = set(extra) & set(mine)
            if clash:
                raise ValueError(f"{path.name} repeats entries of another examples file: {sorted(clash)}")
            mine.update(extra)


_merge_chapter_files()

__all__ = ["EXAMPLES", "Example", "NO_SWEEP", "SERIES_FUNCTIONS", "SeriesExample", "example_call", "pd"]
