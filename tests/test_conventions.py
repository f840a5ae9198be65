"""The library's conventions (CONTRIBUTING.md), checked by introspecting the public API.

* layers: models never import plotting or widgets; the import graph of crmlib has no cycle;
* names: one name per concept (``retention_rate``, ``level``, ``rng``, ...);
* randomness: ``rng`` is keyword-only, and required unless the randomness is optional;
* records: frozen dataclasses that validate in ``__post_init__``, changed with ``dataclasses.replace``;
* results: every fitted model returns a frozen ``FitResult`` subclass;
* bad input: every numeric argument of every public function refuses NaN, ±inf, ±1e308,
  strings, None and empty lists with an error that names the argument — or, where such a value
  is legal, returns a finite result (``tests/api_examples.py`` holds one valid call per function);
* index in, same index out, for the functions that take Series.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import math
import pkgutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from api_examples import EXAMPLES, NO_SWEEP, SERIES_FUNCTIONS, example_call

import crmlib
from crmlib.results import FitResult

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "crmlib"

# Modules that hold models (everything but the views and the exercise checks).
VIEW_PACKAGES = ("crmlib.plotting", "crmlib.widgets")
NOT_MODELS = (*VIEW_PACKAGES, "crmlib.checks")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


ALL_MODULES = sorted(_module_name(p) for p in PKG.rglob("*.py"))
MODEL_MODULES = [m for m in ALL_MODULES if not m.startswith(NOT_MODELS)]
# Modules whose public functions form the API swept for bad input.
API_MODULES = [
    m for m in MODEL_MODULES if not m.split(".")[-1].startswith("_") and m not in ("crmlib", "crmlib.glossary")
]


def _imports(module: str) -> set[str]:
    """crmlib modules imported anywhere in ``module`` (top level or inside functions)."""
    path = PKG.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PKG.parent / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            subs = {f"{mod}.{a.name}" for a in node.names}
            # `from . import engines` imports the sibling module, not the package's __init__
            if node.module or not all(_resolve(x) == x for x in subs):
                found.add(mod)
            found |= subs
    return {m for m in found if m.startswith("crmlib") or m.startswith("matplotlib") or m.startswith("ipywidgets")}


def _resolve(name: str) -> str | None:
    """The crmlib module a dotted import name refers to (``crmlib.value.x`` -> ``crmlib.value``)."""
    while name:
        if name in ALL_MODULES:
            return name
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return None


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_models_never_import_plotting_or_widgets(module):
    bad = sorted(
        m
        for m in _imports(module)
        if m.startswith(VIEW_PACKAGES) or m.startswith("matplotlib") or m.startswith("ipywidgets")
    )
    assert bad == [], f"{module} imports views: {bad}"


def test_the_import_graph_has_no_cycle():
    graph = {m: {r for r in map(_resolve, _imports(m)) if r and r != m and r != "crmlib"} for m in ALL_MODULES}
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for m in ALL_MODULES:
        if m not in state:
            visit(m, [])


# ------------------------------------------------------------------------------ public API
def _public(module: str):
    mod = importlib.import_module(module)
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name, None)
        if obj is None or inspect.ismodule(obj):
            continue
        # a re-export is checked where it is defined
        home = getattr(obj, "__module__", module)
        if home != module and home in API_MODULES:
            continue
        yield f"{module}.{name}", obj


PUBLIC = sorted({name: obj for m in API_MODULES for name, obj in _public(m)}.items())
FUNCTIONS = [(n, o) for n, o in PUBLIC if inspect.isfunction(o)]
CLASSES = [(n, o) for n, o in PUBLIC if inspect.isclass(o)]

BANNED = {
    "retention": "retention_rate",
    "discount": "discount_rate",
    "confidence": "level",
    "conf_level": "level",
    "alpha_level": "level",
    "seed": "rng (the library takes a Generator)",
    "random_state": "rng",
    "n": "a count that says what it counts (n_customers, n_respondents, ...)",
}
# Functions whose randomness is optional (rng is used only when asked for, e.g. a bootstrap).
OPTIONAL_RNG = {"crmlib.satisfaction.pls_path_model"}


@pytest.mark.parametrize("name,func", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_argument_names_follow_the_conventions(name, func):
    params = inspect.signature(func).parameters
    bad = {p: BANNED[p] for p in params if p in BANNED}
    assert not bad, f"{name}: rename {bad}"
    if "rng" in params:
        p = params["rng"]
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: rng must be keyword-only"
        if name not in OPTIONAL_RNG:
            assert p.default is inspect.Parameter.empty, f"{name}: rng must be required (no default)"
    if "level" in params and params["level"].default is not inspect.Parameter.empty:
        assert params["level"].default == 0.95, f"{name}: level defaults to 0.95"


RECORDS = [(n, c) for n, c in CLASSES if dataclasses.is_dataclass(c) and not issubclass(c, FitResult)]
# Computed outputs (what a function returns) are frozen too; parameter records — the inputs a
# user builds or changes — must also validate their fields.
OUTPUT_SUFFIXES = ("Result", "Metrics", "Outcome", "Decision", "Simulation", "Info", "Staffing")


@pytest.mark.parametrize("name,cls", RECORDS, ids=[n for n, _ in RECORDS])
def test_records_are_frozen_validated_and_changed_one_way(name, cls):
    assert cls.__dataclass_params__.frozen, f"{name} must be frozen"
    assert "replace" not in vars(cls), f"{name}: change records with dataclasses.replace, not a .replace method"
    if not cls.__name__.endswith(OUTPUT_SUFFIXES) and any(f.init for f in dataclasses.fields(cls)):
        assert hasattr(cls, "__post_init__"), f"{name} must validate its fields in __post_init__"


FIT_FUNCTIONS = [
    (n, f)
    for n, f in FUNCTIONS
    if n.rsplit(".", 1)[1].startswith("fit_") or n.endswith((".pls_path_model", ".kaplan_meier"))
]


@pytest.mark.parametrize("name,func", FIT_FUNCTIONS, ids=[n for n, _ in FIT_FUNCTIONS])
def test_every_fit_returns_the_one_result_protocol(name, func):
    result = example_call(name)
    assert isinstance(result, FitResult), f"{name} returns {type(result).__name__}, not a FitResult"
    assert dataclasses.is_dataclass(result) and type(result).__dataclass_params__.frozen
    assert isinstance(result.converged, bool) and isinstance(result.message, str)
    assert isinstance(result.n_obs, int) and result.n_obs > 0
    params = result.params
    assert isinstance(params, pd.Series) and len(params) > 0
    params.iloc[0] = 1e9  # changing the copy ...
    assert result.params.iloc[0] != 1e9  # ... never changes the result
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.converged = False
    table = result.summary()
    assert isinstance(table, pd.DataFrame) and len(table) >= 1
    ci = result.conf_int(0.9)
    assert list(ci.columns) == ["lower", "upper"]
    assert isinstance(repr(result), str) and "<" in result._repr_html_()


# ------------------------------------------------------------------------------ bad input
BAD_VALUES = [
    ("nan", math.nan),
    ("inf", math.inf),
    ("-inf", -math.inf),
    ("1e308", 1e308),
    ("-1e308", -1e308),
    ("str", "x"),
    ("None", None),
    ("[]", []),
]


def test_every_public_function_has_an_example_call():
    missing = [n for n, _ in FUNCTIONS if n not in EXAMPLES and n not in NO_SWEEP]
    assert missing == [], "add a valid call to tests/api_examples.py for: " + ", ".join(missing)


def _numeric_args(name):
    return [
        k
        for k, val in EXAMPLES[name].kwargs.items()
        if isinstance(val, (int, float, np.integer, np.floating)) and not isinstance(val, bool)
    ]


SWEEP = [
    (n, arg, label, bad) for n, _ in FUNCTIONS if n in EXAMPLES for arg in _numeric_args(n) for label, bad in BAD_VALUES
]


def _finite(result) -> bool:
    """True when every number in ``result`` is finite (NaN allowed where the example says so)."""
    if isinstance(result, FitResult):
        return bool(np.all(np.isfinite(result.params)))
    if isinstance(result, (pd.Series, pd.DataFrame)):
        vals = (
            result.select_dtypes("number").to_numpy()
            if isinstance(result, pd.DataFrame)
            else (result.to_numpy() if pd.api.types.is_numeric_dtype(result) else np.array([0.0]))
        )
        return bool(np.all(np.isfinite(np.asarray(vals, dtype=float)[~np.isnan(np.asarray(vals, dtype=float))])))
    if isinstance(result, (tuple, list)):
        return all(_finite(r) for r in result)
    if isinstance(result, (int, float, np.ndarray, np.number)):
        arr = np.asarray(result, dtype=float)
        return bool(np.all(np.isfinite(arr[~np.isnan(arr)])))
    if dataclasses.is_dataclass(result):
        return all(
            _finite(getattr(result, f.name))
            for f in dataclasses.fields(result)
            if isinstance(getattr(result, f.name), (int, float, np.ndarray))
        )
    return True


@pytest.mark.parametrize("name,arg,label,bad", SWEEP, ids=[f"{n}-{a}-{lbl}" for n, a, lbl, _ in SWEEP])
def test_bad_input_gets_a_clear_error(name, arg, label, bad):
    ex = EXAMPLES[name]
    if arg in ex.legal.get(label, ()) or label in ex.legal.get(arg, ()):
        pytest.skip(f"{arg}={label} is legal for {name} (documented in api_examples)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = example_call(name, **{arg: bad})
        except (ValueError, TypeError) as err:
            assert arg in str(err) or any(a in str(err) for a in ex.aliases.get(arg, ())), (
                f"{name}({arg}={label}) raised {type(err).__name__} without naming {arg!r}: {err}"
            )
            return
        except Exception as err:  # noqa: BLE001 - an overflow or index error from deep inside numpy/scipy
            pytest.fail(f"{name}({arg}={label}) raised {type(err).__name__} instead of a clear error: {err}")
    assert _finite(result) or ex.nan_ok, f"{name}({arg}={label}) returned a non-finite result silently"


@pytest.mark.parametrize("name", sorted(SERIES_FUNCTIONS))
def test_index_in_same_index_out(name):
    """Series keep their index; two Series are aligned by index; mismatched indexes are refused."""
    spec = SERIES_FUNCTIONS[name]
    labels = [f"c{i}" for i in range(len(next(iter(spec.series.values()))))][::-1]
    series = {k: pd.Series(val, index=labels) for k, val in spec.series.items()}
    out = example_call(name, **series)
    assert isinstance(out, (pd.Series, pd.DataFrame)), f"{name} returned {type(out).__name__} for Series input"
    assert list(out.index) == labels
    if len(series) >= 2:
        first, *rest = list(series)
        shuffled = dict(series)
        shuffled[first] = series[first].iloc[::-1]  # same labels, other order: same answer
        again = example_call(name, **shuffled)
        assert list(again.index) == labels or list(again.index) == labels[::-1]
        pd.testing.assert_series_equal(
            pd.Series(np.asarray(again.loc[labels]).ravel()), pd.Series(np.asarray(out.loc[labels]).ravel())
        )
        broken = dict(series)
        broken[first] = pd.Series(series[first].to_numpy(), index=[f"x{i}" for i in range(len(labels))])
        with pytest.raises(ValueError, match="index"):
            example_call(name, **broken)


def test_crmlib_lists_its_modules():
    names = {m.name for m in pkgutil.iter_modules(crmlib.__path__) if not m.name.startswith("_")}
    assert names == set(crmlib.__all__) - {"__version__"}
