"""What readers see, checked without a browser: signs in Markdown, tags in plain-text outputs.

* Markdown (every notebook: chapters, exercises, solutions, any language edition in a sub-folder):
  no dollar sign for money (escaped or not: every renderer may pair dollar signs into a formula),
  no unpaired dollar sign, no unescaped ``%`` inside a formula (a TeX comment: the rest of the line
  disappears). The suite writes money as "USD 50", "50 dollars" or "¥9 / 9 yuan" (notes/COMMON.md).
* Outputs: a stream or a plain-text-only output with HTML tags (``<b>``, ``<br>``, ``&nbsp;``) is
  a readout meant for an HTML widget printed as text; print ``crmlib.widgets.readout_text(...)``
  instead. HTML and Markdown outputs must not contain dollar signs either (JupyterLab and the
  offline pages typeset math in them).

The browser side (JupyterLab, the offline pages and the slides in Chromium: formulas that swallowed
text, MathJax errors) is ``tests/browser/test_markdown_rendering.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import rendercheck  # noqa: E402

NOTEBOOKS = sorted(
    p
    for p in [*ROOT.glob("notebooks/**/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")]
    if ".ipynb_checkpoints" not in p.parts and not p.name.endswith(".new.ipynb")
)
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
TAG = re.compile(
    r"</?(?:b|i|em|strong|br|p|div|span|table|tr|td|th|sup|sub|code|ul|ol|li|h[1-6])\b[^>]*>|&(?:nbsp|amp|lt|gt);", re.I
)
RICH = (
    "text/html",
    "image/png",
    "image/svg+xml",
    "image/jpeg",
    "text/markdown",
    "text/latex",
    "application/vnd.jupyter.widget-view+json",
)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _src(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def test_notebooks_are_found():
    assert any(p.parent.name == "notebooks" for p in NOTEBOOKS) and any("exercises" in p.parts for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_signs_render_as_written(path):
    bad = []
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "markdown":
            continue
        src = _src(cell)
        where = f"cell {i} ({cell.get('id', '?')})"
        bad += [f"{where}: {p}" for p in rendercheck.dollar_problems(src)]
        bad += [f"{where}: '%' inside the formula {m[:60]!r} (write \\%)" for m in rendercheck.percent_in_math(src)]
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_raw_html_tags_in_plain_text_outputs(path):
    bad = []
    for i, cell in enumerate(_cells(path)):
        for out in cell.get("outputs", []):
            where = f"cell {i} ({cell.get('id', '?')})"
            if out.get("output_type") == "stream":
                text = _text(out.get("text"))
            elif out.get("output_type") in ("display_data", "execute_result"):
                data = out.get("data", {})
                for mime in ("text/html", "text/markdown"):
                    if "$" in _text(data.get(mime)):
                        bad.append(f"{where}: a dollar sign in a {mime} output (typeset as math)")
                if any(m in data for m in RICH):
                    continue  # the plain text is only the fallback of a richer display
                text = _text(data.get("text/plain"))
            else:
                continue
            found = TAG.findall(text)
            if found:
                bad.append(f"{where}: HTML printed as text {sorted(set(found))[:5]}: {text.strip()[:100]!r}")
    assert bad == [], "\n".join(bad)


# ----------------------------------------------------------------------------- the checks catch what they should


@pytest.mark.parametrize(
    "source, expected",
    [
        ("He spends $50 a week at Jack's and $30 at Tom's.", "money-like formula"),
        (r"It falls from \$8,100.44 to \$3,721.30.", "escaped dollar"),
        ("A price of $5.", "unpaired dollar"),
    ],
)
def test_dollar_check_catches_money(source, expected):
    assert any(expected in p for p in rendercheck.dollar_problems(source)), rendercheck.dollar_problems(source)


def test_percent_check_catches_a_tex_comment():
    assert rendercheck.percent_in_math("with $r = 80%$ retention") == ["$r = 80%$"]
    assert rendercheck.percent_in_math(r"with $r = 80\%$ retention, 10% per year") == []


def test_math_spans_follow_jupyterlab():
    text, spans = rendercheck.split_math("a $x$ and `$HOME` and $$y$$ and a `$` sign, \\$5")
    assert spans == ["$x$", "$$y$$"] and "`$HOME`" in text


def test_readout_text_has_no_tags():
    from crmlib.widgets import readout_text

    html = "<b>SV</b> = 310.0 yuan &nbsp; <b>CV</b> = 360.0 yuan<br><b>decision:</b> the customer stays"
    assert TAG.findall(html) and not TAG.findall(readout_text(html))
