"""Presenting: reveal.js slides that work offline, and the Voilà dashboard of each chapter's widgets.

* Slides are built from the notebook's slide metadata (one slide per H2 section plus the
  title); they load only vendored scripts, and each widget output becomes a link to the dashboard.
* ``tools/classroom.py slides NN`` (what ``python3 suite.py slides NN`` runs) serves the slides
  and starts the dashboard on 127.0.0.1; both answer, and stopping the command by its PID
  stops both servers.
* In Chromium, the dashboard's main widget responds to the keyboard (screenshots:
  test-artifacts/dashboard_NN.png).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

import labdriver

classroom = labdriver.classroom
CHAPTERS = labdriver.notebook_paths()
IDS = [p.stem[:2] for p in CHAPTERS]
DASH_URL = "http://127.0.0.1:8866/?token=0123456789abcdef"


def slide_count(nb) -> int:
    return sum(c.metadata.get("slideshow", {}).get("slide_type") == "slide" for c in nb.cells)


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_slides_have_a_slide_per_section_and_load_nothing_from_outside(nb_path, tmp_path):
    nb = labdriver.read(nb_path)
    h2 = [c for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("## ")]
    assert h2, f"{nb_path.name} has no H2 sections"
    assert slide_count(nb) == len(h2) + 1, "title + every H2 cell must start a slide (tools/execute_notebooks.py)"
    out = classroom.build_slides(nb_path, tmp_path, DASH_URL)
    text = out.read_text(encoding="utf-8")
    assert text.count('<section') >= len(h2) + 1
    assert labdriver.outside_references(text) == []
    for _, _, url in labdriver.page_references(text)["loads"]:
        if not url.startswith("data:"):
            assert (out.parent / url).is_file(), f"slides load a missing file: {url}"
    widget_cells = [c for c in nb.cells if classroom.has_widget_output(c)]
    assert widget_cells, f"{nb_path.name}: no widget outputs saved (commit the notebook executed)"
    assert text.count('class="crm-dashboard-link"') == len(widget_cells)
    assert text.count(f'href="{DASH_URL.replace("&", "&amp;")}"') == len(widget_cells)
    assert classroom.WIDGET_VIEW not in text


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_dashboard_notebook_shows_only_widgets(nb_path, tmp_path):
    import nbformat

    nb = labdriver.read(nb_path)
    dash = nbformat.read(classroom.dashboard_notebook(nb_path, tmp_path), as_version=4)
    shown = [c for c in dash.cells if c.cell_type == "code" and not c.source.startswith("%%capture")
             and "dashboard-style" not in c.metadata.get("tags", [])]
    assert len(shown) == sum(classroom.is_widget_cell(c) for c in nb.cells)
    assert sum(classroom.MAIN_TAG in c.metadata.get("tags", []) for c in shown) == 1


def _get_dashboard(url: str, deadline: float = 90.0, tries: int = 2) -> str:
    """GET a Voilà page (it streams while running the chapter); retry once if it stalls.

    See labdriver.open_dashboard: a Voilà start occasionally stalls at a widget cell; a new
    request starts a fresh kernel. Each stall is printed.
    """
    import threading

    for attempt in range(tries):
        box = {}

        def fetch():
            try:
                with urllib.request.urlopen(url, timeout=deadline) as r:
                    box["status"], box["text"] = r.status, r.read().decode("utf-8")
            except Exception as exc:  # noqa: BLE001 - reported below
                box["error"] = exc

        t = threading.Thread(target=fetch, daemon=True)
        t.start()
        t.join(deadline)
        if box.get("status") == 200 and "text" in box:
            return box["text"]
        print(f"[dashboard] attempt {attempt + 1}: no complete page within {deadline:.0f} s ({box.get('error')})")
    pytest.fail(f"the dashboard {url} did not render in {tries} attempts")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(not CHAPTERS, reason="no chapter notebooks yet")
def test_slides_command_serves_slides_and_dashboard_on_localhost(tmp_path):
    nb_path = CHAPTERS[0]
    sport, dport = classroom.free_port(), classroom.free_port()
    cmd = [sys.executable, str(classroom.ROOT / "tools" / "classroom.py"), "slides", str(nb_path),
           "--port", str(sport), "--dashboard-port", str(dport), "--no-browser", "--out", str(tmp_path / "slides")]
    log = tmp_path / "slides.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{sport}/{nb_path.stem}.slides.html"
        classroom.wait_http(url, timeout=240, proc=proc)
        with urllib.request.urlopen(url, timeout=30) as r:
            text = r.read().decode("utf-8")
        for _, _, ref in labdriver.page_references(text)["loads"]:
            if ref.startswith("data:"):
                continue
            with urllib.request.urlopen(urljoin(url, ref), timeout=30) as r:
                assert r.status == 200, ref
        dash = re.search(r'class="crm-dashboard-link">.*?href="(http://127\.0\.0\.1:%d/\?token=[0-9a-f]{32})"' % dport,
                         text, re.S)
        assert dash, "the slides do not link to the dashboard with its token"
        page = _get_dashboard(dash.group(1))
        assert "application/vnd.jupyter.widget-view+json" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{dport}/", timeout=60) as r:  # no token: login page
            assert "/login" in r.geturl() and "widget-view" not in r.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
            pytest.fail("the slides command did not stop on SIGTERM:\n" + log.read_text())
    deadline = time.monotonic() + 20
    while (_port_open(sport) or _port_open(dport)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _port_open(sport) and not _port_open(dport), "servers still listening after stop"


@pytest.mark.browser
@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_dashboard_main_widget_responds_in_chromium(browser, nb_path, tmp_path, artifacts):
    with classroom.dashboard_server(nb_path, tmp_path) as dash:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            main = labdriver.open_dashboard(page, dash)
            before = labdriver.snapshot(main)
            timing = labdriver.move_and_time(page, main)
            assert labdriver.snapshot(main) != before
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            main.screenshot(path=str(artifacts / f"dashboard_{nb_path.stem[:2]}.png"))
            print(f"{nb_path.name} dashboard: first change {timing['first']:.0f} ms, settled {timing['last']:.0f} ms")
        except Exception:
            page.screenshot(path=str(artifacts / f"dashboard_FAILED_{nb_path.stem[:2]}.png"), full_page=True)
            (artifacts / f"dashboard_FAILED_{nb_path.stem[:2]}.log").write_bytes(dash["log"].read_bytes())
            raise
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_slides_render_offline_in_chromium(browser, nb_path, tmp_path, artifacts):
    nb = labdriver.read(nb_path)
    out = classroom.build_slides(nb_path, tmp_path, DASH_URL)
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(out.as_uri())
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        assert page.evaluate("() => Reveal.getTotalSlides()") == slide_count(nb)
        if any(c.cell_type == "markdown" and "$" in c.source for c in nb.cells):
            page.wait_for_selector("mjx-container", state="attached", timeout=30_000)
        h = page.evaluate("""() => [...document.querySelectorAll('.reveal .slides > section')]
                             .findIndex(s => s.querySelector('.crm-dashboard-link'))""")
        assert h >= 0, "no slide links to the dashboard"
        page.evaluate("(h) => Reveal.slide(h)", h)
        box = page.locator(".reveal .slides > section.present .crm-dashboard-link").first
        box.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"slides_{nb_path.stem[:2]}.png"))
    finally:
        context.close()
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors == []
