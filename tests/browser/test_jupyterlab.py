"""End to end in JupyterLab with Debian Chromium: the open command lands on the start notebook,
every chapter runs, its main widget responds, Chinese is drawn with the served web font.

One JupyterLab server for this file (so one per pytest-xdist worker, with --dist loadfile),
on 127.0.0.1 with a temporary token, over *copies* of the notebooks in a temporary folder,
so autosave never touches the committed notebooks. Screenshots: test-artifacts/lab_NN_*.png.
The open-command test runs the README's ``python3 suite.py lab`` itself (test-artifacts/lab_open.png).
"""

from __future__ import annotations

import sys
from pathlib import Path

import labdriver
import pytest

pytestmark = pytest.mark.browser
ROOT = labdriver.ROOT

CHAPTERS = labdriver.notebook_paths()
START = labdriver.notebook_dir() / "00_start_here.ipynb"
ALL = ([START] if START.exists() else []) + CHAPTERS


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    with labdriver.classroom.lab_server(ALL, tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture
def page(browser, lab, request, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    if labdriver.failed(request.node):
        pg.screenshot(path=str(artifacts / f"lab_FAILED_{labdriver.slug(request.node.name)}.png"))
    context.close()
    labdriver.shutdown_kernels(lab)


def _check_no_errors(page, lab, nb_path: Path) -> None:
    nb = labdriver.read(nb_path)
    shown = [
        (i, text)
        for i, text in labdriver.dom_error_cells(page)
        if "raises-exception" not in nb.cells[i].metadata.get("tags", [])
    ]
    assert not shown, f"{nb_path.name}: cells show errors/stderr in JupyterLab: {shown}"
    labdriver.save(page)
    saved = labdriver.read(lab["root"] / "notebooks" / nb_path.name)
    assert len(saved.cells) == len(nb.cells)
    assert labdriver.error_cells(saved) == [], f"{nb_path.name}: error outputs after Run All"


@pytest.mark.skipif(not START.exists(), reason="notebooks/00_start_here.ipynb not written yet")
def test_start_here_runs_without_errors(page, lab):
    labdriver.open_notebook(page, lab, START.name)
    labdriver.assert_chinese_glyphs(page, "JupyterLab, 00_start_here", ".jp-NotebookPanel:not(.lm-mod-hidden)")
    labdriver.run_all(page)
    _check_no_errors(page, lab, START)


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() or labdriver.notebook_dir() != ROOT / "notebooks",
    reason="runs the README's open command, inside the environment it manages (.venv)",
)
def test_open_command_lands_on_the_start_notebook(browser, tmp_path, artifacts):
    """`python3 suite.py lab`: the address it prints and `/` open 00_start_here, with Chinese glyphs, offline."""
    with labdriver.open_command(browser, tmp_path) as page:
        assert page.url.split("?")[0].endswith("/lab/tree/notebooks/00_start_here.ipynb"), page.url
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").inner_text()
        assert tab == "00_start_here.ipynb", f"the open tab is {tab!r}"
        h1 = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput h1").first.inner_text()
        assert h1 == labdriver.classroom.title_of(labdriver.read(START)), h1
        assert page.locator(".jp-Launcher").count() == 0, "the Launcher is open"
        font = labdriver.assert_chinese_glyphs(page, "suite.py lab", ".jp-NotebookPanel:not(.lm-mod-hidden)")
        page.screenshot(path=str(artifacts / "lab_open.png"))
        print(f"opened {page.url.split('?')[0]}; Chinese {font['text'][:20]!r} drawn with {font['fonts']}")


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem[:2] for p in CHAPTERS])
def test_chapter_runs_and_main_widget_responds(page, lab, nb_path, artifacts):
    nb = labdriver.read(nb_path)
    idx = labdriver.main_widget_index(nb)
    assert idx is not None, f"{nb_path.name}: no cell carries the tag 'main-widget'"
    labdriver.open_notebook(page, lab, nb_path.name)
    labdriver.run_all(page)
    _check_no_errors(page, lab, nb_path)

    cell = labdriver.cell(page, idx)
    labdriver.wait_widgets_rendered(cell)
    output = cell.locator(".jp-Cell-outputWrapper")
    before = labdriver.snapshot(output)
    assert before["texts"] or before["outs"], f"{nb_path.name}: the main widget shows no HTML/Label/Output"
    timing = labdriver.move_and_time(page, output)
    labdriver.wait_lab_idle(page)  # the callback has finished: the screenshot shows its result
    after = labdriver.snapshot(output)
    assert after != before, f"{nb_path.name}: moving the main slider changed nothing visible"
    shown = labdriver.dom_error_cells(page)
    assert not [s for s in shown if s[0] == idx], f"{nb_path.name}: the widget shows an error: {shown}"
    stem = nb_path.stem[:2]
    output.screenshot(path=str(artifacts / f"lab_{stem}_main_widget.png"))
    page.screenshot(path=str(artifacts / f"lab_{stem}_page.png"))
    print(f"{nb_path.name}: first visible change {timing['first']:.0f} ms, settled {timing['last']:.0f} ms")
