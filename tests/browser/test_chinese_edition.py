"""The Chinese edition (中文版) in JupyterLab and in the offline site, with Debian Chromium.

* every Chinese chapter runs without errors in JupyterLab, its main widget's labels are Chinese
  and drawn with the served web font, and moving its slider changes the (Chinese) readout;
* ``python3 suite.py lab --lang zh`` lands on ``notebooks/zh/00_start_here.ipynb``;
* the offline site has a Chinese index reached by the language switch on the English index.

Screenshots: test-artifacts/lab_zh_NN_main_widget.png, lab_zh_open.png, site_zh_index.png.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import labdriver
import pytest

pytestmark = pytest.mark.browser
ROOT = labdriver.ROOT
ZH = ROOT / "notebooks" / "zh"
CHAPTERS = labdriver.classroom.chapter_notebooks(ZH)
START = ZH / "00_start_here.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    if not CHAPTERS:
        pytest.skip("no Chinese chapter has been built yet (python3 suite.py translate build --execute)")
    with labdriver.classroom.lab_server(CHAPTERS, tmp_path_factory.mktemp("lab_zh")) as server:
        yield server


@pytest.fixture
def page(browser, lab, request, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    if labdriver.failed(request.node):
        pg.screenshot(path=str(artifacts / f"lab_zh_FAILED_{labdriver.slug(request.node.name)}.png"))
    context.close()
    labdriver.shutdown_kernels(lab)


LABELS_JS = """(root) => Array.from(root.querySelectorAll('.widget-label, .widget-label-basic, label, .widget-html, .widget-dropdown'))
  .map(e => e.innerText.trim()).filter(t => t.length > 0)"""


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem[:2] for p in CHAPTERS])
def test_chinese_chapter_runs_and_its_widget_speaks_chinese(page, lab, nb_path, artifacts):
    nb = labdriver.read(nb_path)
    assert nb.metadata.get("crmlib", {}).get("language") == "zh"
    idx = labdriver.main_widget_index(nb)
    assert idx is not None, f"{nb_path.name}: no cell carries the tag 'main-widget'"
    labdriver.open_notebook(page, lab, nb_path.name)
    labdriver.assert_chinese_glyphs(page, f"JupyterLab, zh/{nb_path.name}", ".jp-NotebookPanel:not(.lm-mod-hidden)")
    labdriver.run_all(page)
    shown = [
        (i, text)
        for i, text in labdriver.dom_error_cells(page)
        if "raises-exception" not in nb.cells[i].metadata.get("tags", [])
    ]
    assert not shown, f"zh/{nb_path.name}: cells show errors in JupyterLab: {shown}"

    cell = labdriver.cell(page, idx)
    labdriver.wait_widgets_rendered(cell)
    output = cell.locator(".jp-Cell-outputWrapper")
    labels = output.evaluate(LABELS_JS)
    chinese = [t for t in labels if CJK.search(t)]
    assert chinese, f"zh/{nb_path.name}: the main widget shows no Chinese label: {labels[:8]}"
    before = labdriver.snapshot(output)
    timing = labdriver.move_and_time(page, output)
    labdriver.wait_lab_idle(page)
    after = labdriver.snapshot(output)
    assert after != before, f"zh/{nb_path.name}: moving the main slider changed nothing visible"
    assert CJK.search(" ".join(after["texts"])), f"zh/{nb_path.name}: the readout after the move is not Chinese"
    labdriver.assert_chinese_glyphs(page, f"zh/{nb_path.name} widget", ".jp-NotebookPanel:not(.lm-mod-hidden)")
    output.screenshot(path=str(artifacts / f"lab_zh_{nb_path.stem[:2]}_main_widget.png"))
    print(f"zh/{nb_path.name}: labels {chinese[:3]}; first change {timing['first']:.0f} ms")


@pytest.mark.skipif(
    not START.exists() or Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
    reason="needs notebooks/zh/00_start_here.ipynb and runs the README's command inside .venv",
)
def test_open_command_with_lang_zh_lands_on_the_chinese_start_page(browser, tmp_path, artifacts):
    with labdriver.open_command(browser, tmp_path, "--lang", "zh") as page:
        assert page.url.split("?")[0].endswith("/lab/tree/notebooks/zh/00_start_here.ipynb"), page.url
        h1 = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput h1").first.inner_text()
        assert CJK.search(h1) and h1 == labdriver.classroom.title_of(labdriver.read(START)), h1
        labdriver.assert_chinese_glyphs(page, "suite.py lab --lang zh", ".jp-NotebookPanel:not(.lm-mod-hidden)")
        page.screenshot(path=str(artifacts / "lab_zh_open.png"))


def test_offline_site_has_a_chinese_edition_behind_the_language_switch(browser, tmp_path, artifacts):
    if not CHAPTERS:
        pytest.skip("no Chinese chapter has been built yet")
    out = tmp_path / "site"
    labdriver.classroom.cmd_site(type("Args", (), {"out": str(out)})())
    assert (out / "zh" / "index.html").exists()
    broken = []
    for page_file in (out / "zh").glob("**/*.html"):
        for href in re.findall(r'href="([^"#?:]+\.html)', page_file.read_text(encoding="utf-8")):
            if not (page_file.parent / href).resolve().exists():
                broken.append(f"{page_file.relative_to(out)} -> {href}")
    assert not broken, f"links of the Chinese site that lead nowhere: {broken[:10]}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = labdriver.record_requests(page)
    try:
        page.goto((out / "index.html").as_uri())
        page.click("#language-switch")
        page.wait_for_load_state("load")
        assert page.url.endswith("/zh/index.html"), page.url
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert CJK.search(page.locator("h1").inner_text())
        titles = page.locator("ol li > a").all_inner_texts()
        pages = sorted(ZH.glob("[0-9][0-9]_*.ipynb"))
        assert len(titles) == len(pages) and all(CJK.search(t) for t in titles), titles
        labdriver.assert_chinese_glyphs(page, "site/zh/index.html")
        page.screenshot(path=str(artifacts / "site_zh_index.png"))
        page.click("ol li > a >> nth=0")
        page.wait_for_load_state("load")
        labdriver.assert_chinese_glyphs(page, "a Chinese chapter page of the site")
    finally:
        context.close()
    assert labdriver.outside(requests) == [], labdriver.outside(requests)
