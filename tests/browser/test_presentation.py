"""Presenting: lecture slides that fit a projector, a full-width offline dashboard, clean stops.

* Slides (``tools/classroom.py build_slides``): a title slide without code, one stack per H2
  section, code only for cells tagged ``slide-code``, the notebook's prose as speaker notes, a link
  to the dashboard (at the widget's section) for every widget; only local files.
* In Chromium at 1280x720, every slide fits: nothing taller or wider than the slide, no line cut
  off; Chinese is drawn with the served web font; no request leaves the machine. One screenshot
  per slide: ``test-artifacts/slides_NN/slide_XXX.png`` (and ``summary.json``: slides, max height).
* The dashboard (Voilà): the main widget responds; full width at 1920x1080 and usable at
  1280x720 with readable labels; the slide link opens it at the widget; every request goes to
  127.0.0.1 (``test-artifacts/dashboard_NN_1920.png``, ``dashboard_NN_1280.png``).
* ``suite.py slides NN`` and ``suite.py dashboard NN`` serve on 127.0.0.1 and stop every server
  and kernel they started when they get SIGTERM, as with Ctrl+C.
"""

from __future__ import annotations

import json
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

import labdriver
import pytest

classroom = labdriver.classroom
ROOT = labdriver.ROOT
CHAPTERS = labdriver.notebook_paths()
IDS = [p.stem[:2] for p in CHAPTERS]
DASH_URL = "http://127.0.0.1:8866/?token=0123456789abcdef"
IN_SUITE_ENV = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


def _h2_cells(nb):
    return [c for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("## ")]


def _stacks(text: str) -> list[str]:
    """The top-level ``<section class="crm-stack">`` elements of a deck, as HTML strings."""
    return re.findall(r'<section class="crm-stack"[^>]*>.*?</section></section>', text, re.S)


# ----------------------------------------------------------------------------- the deck, without a browser


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_deck_has_a_title_slide_sections_notes_and_dashboard_links(nb_path, tmp_path):
    nb = labdriver.read(nb_path)
    out = classroom.build_slides(nb_path, tmp_path, DASH_URL)
    text = out.read_text(encoding="utf-8")
    stacks = _stacks(text)
    h2 = _h2_cells(nb)
    assert h2, f"{nb_path.name} has no H2 sections"
    # title slide: the chapter's title, no code, no outputs
    title = stacks[0]
    assert "crm-title-slide" in title and f"<h1>{classroom.split_markdown(nb.cells[0].source)['h1']}</h1>" in title
    assert "<pre" not in title and "crm-code" not in title and "<img" not in title
    # one stack per H2 section (plus an overview of the title cell's goals)
    headings = [re.search(r"<h2>(.*?)</h2>", s, re.S).group(1) for s in stacks[1:]]
    assert [h for h in headings if h != "Overview"] == [classroom.split_markdown(c.source)["h2"] for c in h2]
    # code only where a cell asks for it
    tagged = [c for c in nb.cells if c.cell_type == "code" and classroom.SLIDE_CODE_TAG in c.metadata.get("tags", [])]
    assert text.count('<div class="crm-code">') == len(tagged)
    untagged = [c for c in nb.cells if c.cell_type == "code" and c not in tagged and len(c.source.strip()) > 30]
    leaked = [c.source[:40] for c in untagged if f">{c.source.strip().splitlines()[0][:30]}" in text]
    assert leaked == [], f"code of untagged cells is on the slides: {leaked}"
    # speaker notes: every Markdown cell, in full
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    noted = set(re.findall(r'<aside class="notes" data-cell-id="([^"]+)"', text))
    assert {c.id for c in md} <= noted, f"cells without notes: {sorted({c.id for c in md} - noted)}"
    # every widget: a box linking to the dashboard at the widget's section
    widgets = [c for c in nb.cells if classroom.has_widget_output(c)]
    assert widgets, f"{nb_path.name}: no widget outputs saved (commit the notebook executed)"
    assert text.count('class="crm-dashboard-link"') == len(widgets)
    for c in widgets:
        assert f'href="{(DASH_URL + "#w-" + c.id).replace("&", "&amp;")}"' in text
    assert classroom.WIDGET_VIEW not in text
    # everything local
    assert labdriver.outside_references(text) == []
    for _, _, url in labdriver.page_references(text)["loads"]:
        if not url.startswith("data:"):
            assert (out.parent / url).is_file(), f"slides load a missing file: {url}"
    assert (out.parent / "_static" / classroom.FONT_CSS).is_file()
    assert (out.parent / "_static" / "fonts" / "NotoSansCJK-LICENSE.txt").is_file()


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_dashboard_notebook_shows_only_widgets(nb_path, tmp_path):
    import nbformat

    nb = labdriver.read(nb_path)
    dash = nbformat.read(classroom.dashboard_notebook(nb_path, tmp_path), as_version=4)
    shown = [c for c in dash.cells if c.cell_type == "code" and not c.source.startswith("%%capture")]
    assert len(shown) == sum(classroom.is_widget_cell(c) for c in nb.cells)
    assert sum(classroom.MAIN_TAG in c.metadata.get("tags", []) for c in shown) == 1
    anchors = re.findall(
        r'<a id="(w-[^"]+)"></a>', "\n".join(c.source for c in dash.cells if c.cell_type == "markdown")
    )
    assert anchors == [classroom.widget_anchor(c) for c in nb.cells if classroom.is_widget_cell(c)]


def test_voila_template_loads_nothing_from_outside(tmp_path):
    tpl = classroom.write_voila_template(tmp_path)
    assert (tpl / "static" / classroom.FONT_FILE).is_file() and (tpl / "static" / "crm-dashboard.css").is_file()
    assert "https://" not in (tpl / "static" / "crm-dashboard.css").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- slides in Chromium


@pytest.mark.browser
@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_every_slide_fits_1280x720_in_chromium(browser, nb_path, tmp_path, artifacts):
    out = classroom.build_slides(nb_path, tmp_path, DASH_URL)
    shots = artifacts / f"slides_{nb_path.stem[:2]}"
    if shots.exists():
        for old in shots.glob("*.png"):
            old.unlink()
    shots.mkdir(exist_ok=True)
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    requests = labdriver.record_requests(page)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems, heights, notes = [], [], 0
    try:
        page.goto(out.as_uri())
        page.wait_for_selector("body[data-crm-fitted=true]", timeout=60_000)
        indices = labdriver.slide_indices(page)
        assert len(indices) >= len(_h2_cells(labdriver.read(nb_path))) + 1
        for k, (h, v) in enumerate(indices):
            page.evaluate("([h, v]) => Reveal.slide(h, v)", [h, v])
            fit = page.evaluate(labdriver.SLIDE_FIT_JS)
            heights.append(fit["height"])
            notes += fit["notes"] > 0
            if k == 0:
                assert fit["code"] == 0 and fit["title"], "the title slide shows code or no title"
                assert fit["notes"] > 0, "the title slide has no speaker notes"
                labdriver.assert_chinese_glyphs(page, f"{nb_path.name} title slide", ".reveal .slides section.present")
            if fit["problems"]:
                problems.append(f"slide {k + 1} ({fit['title']!r}): {fit['problems']}")
            page.screenshot(path=str(shots / f"slide_{k + 1:03d}.png"))
        summary = {
            "notebook": nb_path.name,
            "slides": len(indices),
            "max_height": max(heights),
            "slides_with_notes": notes,
            "requests": len(requests),
            "outside_requests": labdriver.outside(requests),
        }
        (shots / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        print(
            f"{nb_path.name}: {len(indices)} slides, max height {max(heights)} px, {notes} with notes, "
            f"{len(requests)} requests"
        )
    finally:
        context.close()
    assert problems == [], "slides that do not fit 1280x720:\n" + "\n".join(problems)
    assert labdriver.outside(requests) == [], labdriver.outside(requests)
    assert errors == []


# ----------------------------------------------------------------------------- the dashboard in Chromium

LAYOUT_JS = r"""() => {
  const main = document.querySelector('.celltag_main-widget');
  const r = main.getBoundingClientRect();
  const labels = [...main.querySelectorAll('.widget-label, .widget-readout, .widget-label-basic')].filter(l => l.offsetParent && l.textContent.trim());
  const img = main.querySelector('.widget-output img');
  const ir = img ? img.getBoundingClientRect() : null;
  return {width: r.width, left: r.left, pageWidth: document.documentElement.scrollWidth,
          minFont: Math.min(...labels.map(l => parseFloat(getComputedStyle(l).fontSize))),
          cut: labels.filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent.trim()),
          figure: ir ? {width: ir.width, height: ir.height, left: ir.left, right: ir.right} : null};
}"""


def _check_layout(page, w: int, h: int, where: str) -> dict:
    lay = page.evaluate(LAYOUT_JS)
    assert lay["pageWidth"] <= w + 1, f"{where}: the page scrolls sideways ({lay['pageWidth']} px)"
    assert lay["width"] >= 0.9 * w, f"{where}: the widget uses {lay['width']:.0f} of {w} px"
    assert lay["minFont"] >= 16, f"{where}: labels of {lay['minFont']} px are too small for a projector"
    assert lay["cut"] == [], f"{where}: labels cut off: {lay['cut']}"
    fig = lay["figure"]
    assert fig and fig["right"] <= w + 1, f"{where}: the figure is missing or off the page: {fig}"
    assert fig["width"] >= (0.55 if w >= 1900 else 0.5) * w, f"{where}: the figure is {fig['width']:.0f} px wide"
    return lay


@pytest.mark.browser
@pytest.mark.parametrize("nb_path", CHAPTERS, ids=IDS)
def test_dashboard_is_full_width_offline_and_responds(browser, nb_path, tmp_path, artifacts):
    nb = labdriver.read(nb_path)
    main_cell = nb.cells[labdriver.main_widget_index(nb)]
    stem = nb_path.stem[:2]
    with classroom.dashboard_server(nb_path, tmp_path) as dash:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        requests = labdriver.record_requests(page)
        try:
            anchored = dict(dash, url=f"{dash['url']}#{classroom.widget_anchor(main_cell)}")
            main = labdriver.open_dashboard(page, anchored)
            page.wait_for_function(
                """(id) => { const a = document.getElementById(id);
                const r = a && a.getBoundingClientRect(); return r && r.top >= -2 && r.top < innerHeight / 2; }""",
                arg=classroom.widget_anchor(main_cell),
                timeout=30_000,
            )
            labdriver.assert_chinese_glyphs(page, f"{nb_path.name} dashboard", "#rendered_cells")
            big = _check_layout(page, 1920, 1080, "1920x1080")
            main.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"dashboard_{stem}_1920.png"))
            page.set_viewport_size({"width": 1280, "height": 720})
            page.wait_for_timeout(500)
            small = _check_layout(page, 1280, 720, "1280x720")
            before = labdriver.snapshot(main)
            timing = labdriver.move_and_time(page, main)
            assert labdriver.snapshot(main) != before, "moving the main slider changed nothing"
            assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
            main.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"dashboard_{stem}_1280.png"))
            main.screenshot(path=str(artifacts / f"dashboard_{stem}.png"))
            print(
                f"{nb_path.name} dashboard: widget {big['width']:.0f}/1920 px, figure {big['figure']['width']:.0f} px; "
                f"at 1280: figure {small['figure']['width']:.0f} px; labels >= {big['minFont']:.0f} px; "
                f"first change {timing['first']:.0f} ms, settled {timing['last']:.0f} ms; {len(requests)} requests"
            )
        except Exception:
            page.screenshot(path=str(artifacts / f"dashboard_FAILED_{stem}.png"), full_page=True)
            (artifacts / f"dashboard_FAILED_{stem}.log").write_bytes(dash["log"].read_bytes())
            raise
        finally:
            context.close()
    assert labdriver.outside(requests) == [], f"the dashboard requested outside hosts: {labdriver.outside(requests)}"


# ----------------------------------------------------------------------------- the commands and their signals


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _get_dashboard(url: str, deadline: float = 90.0, tries: int = 2) -> str:
    """GET a Voilà page (it streams while running the chapter); retry once if it stalls (see labdriver.open_dashboard)."""
    import threading

    for attempt in range(tries):
        box = {}

        def fetch(box=box):
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


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as fh:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "suite.py"), *args],
            cwd=ROOT,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop_and_check(proc: subprocess.Popen, how: str, ports: list[int], log: Path) -> None:
    """Stop the command as a user or a service manager would, then check nothing it started is left."""
    import psutil

    tree = [proc.pid, *(c.pid for c in psutil.Process(proc.pid).children(recursive=True))]
    assert len(tree) >= 2, "the command started no server"
    if how == "SIGTERM":  # to the suite's own process only, as `kill PID` or a service manager does
        proc.send_signal(signal.SIGTERM)
    else:  # Ctrl+C in a terminal: SIGINT to the whole foreground process group
        os.killpg(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(90)
    except subprocess.TimeoutExpired:
        for pid in tree:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        pytest.fail(f"the command did not stop on {how}:\n" + log.read_text(errors="replace")[-3000:])
    deadline = time.monotonic() + 30
    alive = []
    while time.monotonic() < deadline:
        alive = [p for p in tree if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive and not any(_port_open(p) for p in ports):
            break
        time.sleep(0.5)
    names = [" ".join(psutil.Process(p).cmdline()[:4]) for p in alive if psutil.pid_exists(p)]
    for pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not alive, f"after {how} these processes are still running: {names}"
    assert not [p for p in ports if _port_open(p)], f"after {how} ports still listen: {ports}"
    print(f"{how}: exit code {code}, {len(tree)} processes stopped")


@pytest.mark.skipif(not CHAPTERS or not IN_SUITE_ENV, reason="needs a chapter and the suite's environment (.venv)")
@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_suite_slides_serves_locally_and_stops_everything(how, tmp_path):
    nb_path = CHAPTERS[0]
    sport, dport = classroom.free_port(), classroom.free_port()
    log = tmp_path / "slides.log"
    proc = _start(
        [
            "slides",
            str(nb_path),
            "--port",
            str(sport),
            "--dashboard-port",
            str(dport),
            "--no-browser",
            "--out",
            str(tmp_path / "slides"),
        ],
        log,
    )
    try:
        url = f"http://127.0.0.1:{sport}/{nb_path.stem}.slides.html"
        classroom.wait_http(url, timeout=240, proc=proc)
        with urllib.request.urlopen(url, timeout=30) as r:
            text = r.read().decode("utf-8")
        for _, _, ref in labdriver.page_references(text)["loads"]:
            if not ref.startswith("data:"):
                with urllib.request.urlopen(urljoin(url, ref), timeout=30) as r:
                    assert r.status == 200, ref
        dash = re.search(r'href="(http://127\.0\.0\.1:' + str(dport) + r'/\?token=[0-9a-f]{32})(?:#w-[^"]*)?"', text)
        assert dash, "the slides do not link to the dashboard with its token"
        if how == "SIGTERM":  # once is enough: the dashboard renders its widgets and needs its token
            assert "application/vnd.jupyter.widget-view+json" in _get_dashboard(dash.group(1))
            with urllib.request.urlopen(f"http://127.0.0.1:{dport}/", timeout=60) as r:
                assert "/login" in r.geturl() and "widget-view" not in r.read().decode("utf-8")
        else:
            classroom.wait_http(f"http://127.0.0.1:{dport}/voila/static/voila.js", timeout=240, proc=proc)
        _stop_and_check(proc, how, [sport, dport], log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.skipif(not CHAPTERS or not IN_SUITE_ENV, reason="needs a chapter and the suite's environment (.venv)")
def test_suite_dashboard_stops_everything_on_sigterm(tmp_path):
    nb_path = CHAPTERS[0]
    dport = classroom.free_port()
    log = tmp_path / "dashboard.log"
    proc = _start(["dashboard", str(nb_path), "--port", str(dport), "--no-browser", "--no-token"], log)
    try:
        classroom.wait_http(f"http://127.0.0.1:{dport}/voila/static/voila.js", timeout=240, proc=proc)
        page = _get_dashboard(f"http://127.0.0.1:{dport}/")  # also starts a kernel: it must stop too
        assert "application/vnd.jupyter.widget-view+json" in page
        _stop_and_check(proc, "SIGTERM", [dport], log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
