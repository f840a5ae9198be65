"""Ground rules of the library: importing crmlib changes no global state and pulls in no heavy
packages; the plot style renders Chinese labels (or falls back quietly); the glossary is complete."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

from crmlib import glossary, plotting

CHAPTER_MODULES = ["satisfaction", "loyalty", "clv", "switching", "waiting"]
HEAVY = ["matplotlib", "statsmodels", "ipywidgets", "numba", "tqdm", "seaborn", "IPython"]


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_crmlib_and_its_modules_changes_no_global_state():
    modules = ["crmlib", "crmlib.datasets", "crmlib.glossary", "crmlib.checks"] + [
        f"crmlib.{m}" for m in CHAPTER_MODULES
    ]
    code = f"""
import importlib, importlib.util, json, sys, warnings
import numpy as np
import pandas, scipy.special, scipy.stats, scipy.optimize  # their own filters are not crmlib's doing
state = np.random.get_state()[1].tolist()
filters = list(warnings.filters)
imported = []
for name in {modules!r}:
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name); imported.append(name)
print(json.dumps({{"heavy": [m for m in {HEAVY!r} if m in sys.modules],
                  "seed_unchanged": np.random.get_state()[1].tolist() == state,
                  "filters_unchanged": list(warnings.filters) == filters,
                  "imported": imported}}))
"""
    result = _run(code)
    assert "crmlib" in result["imported"]
    assert result["heavy"] == [], f"importing crmlib loads heavy packages: {result['heavy']} (defer them)"
    assert result["seed_unchanged"] and result["filters_unchanged"]


def test_importing_crmlib_does_not_touch_matplotlib_rcparams():
    code = """
import json, matplotlib as mpl
before = dict(mpl.rcParams)
import crmlib, crmlib.plotting, crmlib.datasets, crmlib.glossary
print(json.dumps({"same": {k: str(v) for k, v in mpl.rcParams.items()} == {k: str(v) for k, v in before.items()}}))
"""
    assert _run(code)["same"]


def test_use_style_renders_chinese_without_warnings(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        font = plotting.use_style()
        assert font is not None, "the CJK font from mplfonts should be found on a pip install"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph would warn
            fig, ax = plt.subplots()
            ax.set_title("客户满意 ≠ 客户忠诚 (satisfaction is not loyalty)")
            fig.savefig(tmp_path / "cjk.png")
            plt.close(fig)


def test_use_style_falls_back_quietly_without_a_cjk_font(monkeypatch, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plotting, "cjk_font", lambda: None)
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert plotting.use_style() is None
        fig, ax = plt.subplots()
        ax.set_xlabel("满意度 satisfaction")
        fig.savefig(tmp_path / "fallback.png")
        plt.close(fig)
    assert [w for w in caught if "Glyph" in str(w.message)] == []


@pytest.mark.parametrize("chapter", [0, 1, 2, 3, 4, 5])
def test_every_chapter_has_bilingual_terms(chapter):
    rows = glossary.terms(chapter)
    assert len(rows) >= 4
    for term in rows:
        assert term.english and term.definition
        assert any("\u4e00" <= ch <= "\u9fff" for ch in term.chinese), f"{term.english}: no Chinese term"
    assert list(glossary.table(chapter).columns) == ["English", "中文", "definition"]


def test_glossary_rejects_unknown_chapter():
    with pytest.raises(ValueError, match="chapter must be one of .*; got 9"):
        glossary.terms(9)
