"""What strict nbval, students and lecturers would trip over in a committed notebook.

nbval itself re-runs every notebook and compares outputs; these checks catch what it does not:
unexecuted cells, out-of-order counts, stored errors, local paths and warnings in outputs, and
the structure every chapter promises (slides per H2 section, key terms, references)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(
    p
    for p in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")]
    if ".ipynb_checkpoints" not in p.parts and not p.name.endswith(".new.ipynb")
)
CHAPTERS = sorted(p for p in ROOT.glob("notebooks/0[0-9]_*.ipynb") if p.stem != "00_start_here")
LOCAL_PATH = re.compile(r"(/root/|/home/\w+|/tmp/|/work/|/Users/\w+|site-packages|[A-Z]:\\\\)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _code(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "".join(cell["source"]).strip() != ""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebook_is_executed_in_order_without_errors(path):
    last = 0
    for i, cell in enumerate(_cells(path)):
        if not _code(cell):
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        count = cell.get("execution_count")
        assert count is not None, f"cell {i} was never executed"
        assert count > last, f"cell {i} executed out of order ({count} after {last})"
        last = count
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                assert "raises-exception" in tags, f"cell {i} stores an error {out['ename']}"
            text = json.dumps({k: v for k, v in out.items() if k != "metadata"})
            assert not LOCAL_PATH.search(text), f"cell {i} output shows a local path"
            if out.get("name") == "stderr":
                assert "Warning" not in text, f"cell {i} output shows a warning: {text[:200]}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_notebook_structure(path):
    cells = _cells(path)
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    for h2 in (
        i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")
    ):
        assert cells[h2]["metadata"].get("slideshow", {}).get("slide_type") == "slide", f"H2 cell {h2} is not a slide"
    assert re.search(r"^## .*Summary", text, re.M), "no Summary section"
    assert re.search(r"^## .*Key terms", text, re.M), "no Key terms section"
    assert re.search(r"^## .*References", text, re.M), "no References section"
    stem = path.stem
    assert f"../exercises/{stem}.ipynb" in text, "no link to the exercises notebook"
    sources = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "glossary.table(" in sources, "the key terms come from crmlib.glossary"
    assert "use_style()" in sources, "the set-up cell calls plotting.use_style()"
    tags = [t for c in cells for t in c.get("metadata", {}).get("tags", [])]
    assert tags.count("main-widget") == 1, "exactly one cell shows the chapter's main widget"


# ---------------------------------------------------------------- pasted-over cells
# A markdown cell pasted over another (the same paragraph twice, perhaps with "2A" appended) is
# invisible to nbval. Compare every pair of substantial markdown cells in the *authored* notebooks
# (chapters and exercise solutions; student copies and built editions are generated from them) by
# the Jaccard similarity of their character 6-gram sets.
AUTHORED = sorted(
    p
    for p in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/solutions/*.ipynb")]
    if not p.name.endswith(".new.ipynb")
)
MIN_CHARS = 160  # shorter cells (headings, one-line prompts) may legitimately repeat
MAX_SIMILARITY = 0.80  # the pasted copies of 2026-11 scored 0.93-0.99; real paragraphs < 0.5


def _shingles(text: str, k: int = 6) -> frozenset[str]:
    norm = re.sub(r"\s+", " ", text.lower()).strip()
    return frozenset(norm[i : i + k] for i in range(max(len(norm) - k + 1, 1)))


def near_duplicate_markdown(cells_by_notebook: dict[str, list[dict]]) -> list[tuple[str, str, float]]:
    """Pairs of markdown cells (``"nb#index"``) whose texts are the same or nearly the same."""
    items = []
    for name, cells in cells_by_notebook.items():
        for i, cell in enumerate(cells):
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "markdown" and len(text.strip()) >= MIN_CHARS:
                items.append((f"{name}#{i}", _shingles(text)))
    found = []
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            sa, sb = items[a][1], items[b][1]
            small, large = sorted((len(sa), len(sb)))
            if small / large < MAX_SIMILARITY:  # Jaccard can't reach the bound: skip the set work
                continue
            score = len(sa & sb) / len(sa | sb)
            if score >= MAX_SIMILARITY:
                found.append((items[a][0], items[b][0], round(score, 3)))
    return found


def test_no_markdown_cell_is_a_copy_of_another():
    cells = {str(p.relative_to(ROOT)): _cells(p) for p in AUTHORED}
    assert near_duplicate_markdown(cells) == []


def test_the_copy_check_catches_a_planted_copy():
    cells = [c for p in AUTHORED[:3] for c in _cells(p)]
    long_md = next(c for c in cells if c["cell_type"] == "markdown" and len("".join(c["source"])) > 400)
    other = next(c for c in reversed(cells) if c["cell_type"] == "markdown" and len("".join(c["source"])) > 400)
    clean = {"a": [long_md], "b": [other]}
    planted = {"a": [long_md], "b": [other, {"cell_type": "markdown", "source": "".join(long_md["source"]) + " 2A"}]}
    assert near_duplicate_markdown(clean) == []
    assert [(a, b) for a, b, _ in near_duplicate_markdown(planted)] == [("a#0", "b#1")]


# ---------------------------------------------------------------- quoted figures
# A markdown cell right after a code cell often reads that cell's result ("falls from 8,100.44 to
# 3,721.30"). When the code changes and the prose does not, nbval is silent. Rule: in a paragraph
# (not a heading cell) that follows code cells, every *precise* figure — three or more significant
# digits written with a decimal point or a thousands separator, e.g. 0.338, 42.7%, 8,100, 7,043 —
# must be printed by those code cells (after rounding to the digits quoted, and allowing a fraction
# quoted as a percentage) or written in their code (an input restated). Figures the prose cites
# from elsewhere are marked by giving the markdown cell the tag ``cites-figures`` or by writing the
# figure inside a citation parenthesis that names a year, e.g. "(Reichheld & Sasser 1990: 25-85%)".
# Cross-references such as "Exercise 3.1" are not figures.
NUMBER = re.compile(r"(?<![\w.])[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.,])[-−]?\d+\.\d+%?")
CITATION = re.compile(r"\([^()]*\b(1[89]\d\d|20\d\d)\b[^()]*\)")
CROSS_REFERENCE = re.compile(r"\b(Exercises?|Section|Chapter|§)\s*\d+(\.\d+)?([–-]\d+(\.\d+)?)?")


def _output_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]))
        data = out.get("data", {})
        for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
            if mime in data:
                parts.append("".join(data[mime]))
    return "\n".join(parts)


def _numbers(text: str) -> list[str]:
    """The precise figures in ``text`` (three or more significant digits)."""
    text = CROSS_REFERENCE.sub(" ", CITATION.sub(" ", text))
    return [t for t in NUMBER.findall(text) if len(re.sub(r"\D", "", t).lstrip("0")) >= 3]


def _value(token: str) -> float:
    return float(token.replace(",", "").replace("%", "").replace("−", "-"))


def _printed(token: str, printed: list[float]) -> bool:
    digits = len(token.rstrip("%").split(".")[1]) if "." in token else 0
    want = _value(token)
    for got in printed:
        candidates = (got, got * 100) if token.endswith("%") else (got,)
        for c in candidates:
            if abs(round(c, digits) - want) <= 0.5 * 10**-digits + 1e-12 or abs(c - want) < 1e-9:
                return True
            if abs(round(abs(c), digits) - abs(want)) <= 0.5 * 10**-digits + 1e-12:  # sign written as words
                return True
    return False


def unprinted_figures(cells: list[dict]) -> list[tuple[int, str]]:
    """(cell index, figure) for precise figures in prose that the code cells above do not print.

    "Above" is the run of code cells between the previous markdown cell and this one; a figure
    also counts as printed when it is written in those cells' code (an input the prose restates).
    """
    missing = []
    for i in range(1, len(cells)):
        cell = cells[i]
        if cell["cell_type"] != "markdown" or cells[i - 1]["cell_type"] != "code":
            continue
        if "cites-figures" in cell.get("metadata", {}).get("tags", []) or _text(cell).lstrip().startswith("#"):
            continue
        run, j = [], i - 1
        while j >= 0 and cells[j]["cell_type"] == "code":
            run.append(cells[j])
            j -= 1
        if not any(c.get("outputs") for c in run):
            continue
        shown = "\n".join(_output_text(c) + "\n" + re.sub(r"(?<=\d)_(?=\d)", "", _text(c)) for c in run)
        printed = [_value(t) for t in re.findall(r"[-−]?\d[\d,]*\.?\d*%?", shown) if _safe_float(t)]
        for token in _numbers(_text(cell)):
            if not _printed(token, printed):
                missing.append((i, token))
    return missing


def _text(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _safe_float(token: str) -> bool:
    try:
        _value(token)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("path", AUTHORED, ids=lambda p: str(p.relative_to(ROOT)))
def test_figures_quoted_after_a_code_cell_are_what_it_prints(path):
    assert unprinted_figures(_cells(path)) == []


def test_the_figure_check_catches_drift():
    cells = [
        {
            "cell_type": "code",
            "source": "x",
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "value 8100.44, share 0.4271\n"}],
        },
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": "It falls to 8,100.44 and 42.7% stay (see Exercise 3.1); 9,999.00 is new (Smith 1990: 1.234).",
        },
    ]
    assert unprinted_figures(cells) == [(1, "9,999.00")]
    cells[1]["metadata"]["tags"] = ["cites-figures"]
    assert unprinted_figures(cells) == []
