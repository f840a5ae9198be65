"""The offline HTML site (``python3 suite.py site``): builds, loads nothing from outside, links back.

Policy checked here (also in docs/PRESENTING.md): a page may *link* to outside references with a
plain ``<a href>`` (nothing is fetched until the reader clicks), but nothing the page *loads* by
itself (scripts, style sheets, images, frames, fonts, ``@import``, URLs inside inline scripts)
may point to a host other than this machine. The browser test opens each chapter from ``file://``
with the network switched off and checks that the saved widgets, figures and formulas render, that
no request leaves the machine and that Chinese is drawn with the web font shipped in ``_static/fonts``
(a subset of Noto Sans CJK SC with the characters the pages use), not as boxes.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import labdriver
import pytest

classroom = labdriver.classroom
FOLDER = labdriver.notebook_dir()
CHAPTERS = labdriver.notebook_paths()
PAGES = sorted(FOLDER.glob("[0-9][0-9]_*.ipynb"))
EXERCISES = FOLDER.parent / "exercises"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    index = classroom.build_site(out, notebooks=FOLDER, exercises=EXERCISES)
    assert index == out / "index.html"
    return out


def html_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html")) + sorted(site.glob("notebooks/*.html")) + sorted(site.glob("exercises/*.html"))


def test_site_has_a_page_per_notebook_and_an_index(site):
    assert PAGES, f"no notebooks in {FOLDER}"
    index = (site / "index.html").read_text(encoding="utf-8")
    for nb in PAGES:
        assert (site / "notebooks" / f"{nb.stem}.html").is_file(), nb.name
        assert f'href="notebooks/{nb.stem}.html"' in index, f"index does not link {nb.name}"
    for ex in sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb")):
        assert (site / "exercises" / f"{ex.stem}.html").is_file(), ex.name
    assert not list(site.rglob("solutions")), "exercise solutions must not be published"
    assert (site / "_static" / classroom.STATIC["widgets"]).is_file()
    assert (site / "_static" / "html-manager" / "LICENSE").is_file()
    fonts = site / "_static" / "fonts"
    assert (fonts / "NotoSansCJKsc-subset.woff").is_file() and (fonts / "NotoSansCJK-LICENSE.txt").is_file()
    assert (fonts / "NotoSansCJKsc-subset.woff").stat().st_size < 2_000_000, "the web font should be a subset"


def test_no_page_loads_anything_from_an_outside_host(site):
    bad = {
        p.relative_to(site).as_posix(): labdriver.outside_references(p.read_text(encoding="utf-8"))
        for p in html_pages(site)
    }
    assert {k: v for k, v in bad.items() if v} == {}


def test_local_scripts_and_styles_exist(site):
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        urls = [u for _, _, u in labdriver.page_references(text)["loads"] if not u.startswith("data:")]
        urls += re.findall(r"var widgetRendererSrc = '([^']+)'", text)
        for url in urls:
            assert not urlparse(url).scheme, f"{page.name}: {url}"
            assert (page.parent / unquote(url)).resolve().is_file(), f"{page.name}: missing {url}"


def test_every_page_links_back_to_the_index(site):
    index = (site / "index.html").resolve()
    for page in html_pages(site):
        if page.name == "index.html" and page.parent == site:
            continue
        links = labdriver.page_references(page.read_text(encoding="utf-8"))["links"]
        targets = {
            (page.parent / unquote(urlparse(h).path)).resolve()
            for h in links
            if h and not urlparse(h).scheme and not h.startswith("#")
        }
        assert index in targets, f"{page.relative_to(site)} has no link to index.html"


def test_relative_links_point_to_pages_of_the_site(site):
    broken = []
    for page in html_pages(site):
        for href in labdriver.page_references(page.read_text(encoding="utf-8"))["links"]:
            u = urlparse(href)
            if u.scheme or not u.path:  # outside references (allowed as plain links) and #anchors
                continue
            if not (page.parent / unquote(u.path)).resolve().exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
    assert broken == []


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem[:2] for p in CHAPTERS])
def test_chapter_page_embeds_widget_state_and_figures(site, nb_path):
    nb = labdriver.read(nb_path)
    text = (site / "notebooks" / f"{nb_path.stem}.html").read_text(encoding="utf-8")
    assert "widgets" in nb.metadata, f"{nb_path.name} is committed without saved widget state"
    assert "application/vnd.jupyter.widget-state+json" in text
    assert f"var widgetRendererSrc = '../_static/{classroom.STATIC['widgets']}'" in text
    n_png = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert text.count("data:image/png;base64,") >= n_png


@pytest.mark.browser
@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem[:2] for p in CHAPTERS])
def test_chapter_page_renders_offline(browser, site, nb_path, artifacts):
    """file:// page, network off: saved widgets render, figures load, formulas are typeset."""
    nb = labdriver.read(nb_path)
    idx = labdriver.main_widget_index(nb)
    assert idx is not None, f"{nb_path.name}: no cell tagged main-widget"
    page_file = site / "notebooks" / f"{nb_path.stem}.html"
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(page_file.as_uri())
        main = page.locator(".celltag_main-widget").first
        main.locator(".noUi-handle").first.wait_for(state="visible", timeout=60_000)
        snap = labdriver.snapshot(main)
        assert any(snap["texts"]) or any(o.strip("|,") for o in snap["outs"]), (
            f"{nb_path.name}: the saved main widget shows no numbers or figure"
        )
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=30_000)
        broken = page.evaluate(
            "() => [...document.images].filter(i => i.naturalWidth === 0).map(i => i.src.slice(0, 80))"
        )
        assert broken == [], f"{nb_path.name}: images that did not load: {broken}"
        has_math = any(c.cell_type == "markdown" and "$" in c.source for c in nb.cells)
        if has_math:
            page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
        page.evaluate("() => window.scrollTo(0, 0)")
        labdriver.assert_chinese_glyphs(page, f"site page {nb_path.stem}", "main")
        main.scroll_into_view_if_needed()
        main.screenshot(path=str(artifacts / f"site_{nb_path.stem[:2]}_main_widget.png"))
    except Exception:
        page.screenshot(path=str(artifacts / f"site_FAILED_{nb_path.stem[:2]}.png"))
        raise
    finally:
        context.close()
    remote = [u for u in requests if not u.startswith(("file:", "data:", "blob:"))]
    assert remote == [], f"{nb_path.name}: the page tried to fetch {remote}"
    assert errors == [], f"{nb_path.name}: JavaScript errors: {errors}"


@pytest.mark.browser
def test_index_renders_offline_with_chinese_glyphs(browser, site, artifacts):
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests = labdriver.record_requests(page)
    try:
        page.goto((site / "index.html").as_uri())
        info = labdriver.assert_chinese_glyphs(page, "site index")
        page.screenshot(path=str(artifacts / "site_index.png"), full_page=True)
        print(f"site index: Chinese {info['text'][:20]!r} drawn with {info['fonts']}; {len(requests)} requests")
    finally:
        context.close()
    assert labdriver.outside(requests) == []
