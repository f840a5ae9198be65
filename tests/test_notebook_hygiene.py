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
NOTEBOOKS = sorted(p for p in [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")]
                   if ".ipynb_checkpoints" not in p.parts and not p.name.endswith(".new.ipynb"))
CHAPTERS = sorted(ROOT.glob("notebooks/0[1-9]_*.ipynb"))
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
    for h2 in (i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("## ")):
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
