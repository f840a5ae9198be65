"""Drive JupyterLab, Voilà and the offline site in Debian's Chromium through Playwright.

Shared by the browser tests (``tests/browser``) and ``benchmarks/widget_latency.py``. Needs the
``playwright`` Python package and ``/usr/bin/chromium`` (never ``playwright install``).
Selectors were checked against JupyterLab 4.6, ipywidgets 8.1 and Voilà 0.5.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import classroom  # noqa: E402  (tools/classroom.py: servers, notebook helpers)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
ARTIFACTS = ROOT / "test-artifacts"


class BrowserUnavailable(RuntimeError):
    """Chromium or Playwright is missing and cannot be installed here (tests skip with this reason)."""


def ensure_chromium() -> str:
    """Return the path of Debian's Chromium, installing it with apt-get when missing (root only)."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        raise BrowserUnavailable(
            f"{CHROMIUM} is missing and installing it needs root (run `sudo apt-get install -y chromium`)"
        )
    if shutil.which("apt-get") is None:
        raise BrowserUnavailable(f"{CHROMIUM} is missing and apt-get is not available on this system")
    import fcntl

    with open("/tmp/crmlib-chromium-install.lock", "w") as lock:  # one installer across xdist workers
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(CHROMIUM):
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            cmd = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
            res = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if res.returncode != 0:  # stale package lists: update once and retry
                subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True)
                res = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if res.returncode != 0 or not os.path.exists(CHROMIUM):
                tail = (res.stderr or res.stdout).strip().splitlines()[-3:]
                raise BrowserUnavailable("`apt-get install -y chromium` failed: " + " | ".join(tail))
    return CHROMIUM


def launch(playwright):
    """Headless Debian Chromium (raises BrowserUnavailable when it cannot start)."""
    path = ensure_chromium()
    try:
        return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # e.g. a Chromium too old for this Playwright
        raise BrowserUnavailable(f"Chromium at {path} did not start under Playwright: {exc}") from exc


# ----------------------------------------------------------------------------- notebooks


def read(nb_path: Path):
    import nbformat

    return nbformat.read(nb_path, as_version=4)


def main_widget_index(nb) -> int | None:
    """Index (among all cells) of the cell tagged ``main-widget``."""
    for i, cell in enumerate(nb.cells):
        if classroom.MAIN_TAG in cell.metadata.get("tags", []):
            return i
    return None


def error_cells(nb) -> list[tuple[int, str]]:
    """(index, 'Name: message') of code cells with an error output but no ``raises-exception`` tag."""
    bad = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "raises-exception" in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                bad.append((i, f"{out.get('ename')}: {out.get('evalue')}"))
    return bad


# ----------------------------------------------------------------------------- JupyterLab


def open_notebook(page, lab: dict, name: str, timeout: float = 90_000) -> None:
    """Open ``notebooks/<name>`` in a fresh Lab workspace and wait for an idle kernel."""
    page.goto(f"{lab['url']}/lab/tree/notebooks/{name}?reset&token={lab['token']}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=timeout)
    dismiss_toasts(page)


def dismiss_toasts(page) -> None:
    for button in page.locator(".Toastify__toast button").all():
        try:
            button.click(timeout=1000)
        except Exception:
            pass


ALL_DONE_JS = """() => {
  const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""


def click_menu(page, menu: str, command: str, tries: int = 3) -> None:
    """Open the main menu ``menu`` and click the entry running ``command``."""
    item = page.locator(f'.lm-Menu li[data-command="{command}"]').first
    for attempt in range(tries):
        page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
        try:
            item.wait_for(state="visible", timeout=5000)
            item.click()
            return
        except Exception:
            page.keyboard.press("Escape")
            if attempt == tries - 1:
                raise


CLEARED_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
  .every(p => !/\\d/.test(p.textContent))"""


STARTED_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
  .some(p => /[\\d*]/.test(p.textContent))"""


def run_all(page, timeout: float = 240_000) -> float:
    """Clear all outputs, then Run > Run All Cells; wait until every code cell has run. Returns seconds.

    Clearing first makes the wait meaningful (committed notebooks already show ``[n]:``) and makes
    every widget on the page a live one, rendered from this kernel.
    """
    click_menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(CLEARED_JS, timeout=30_000)
    t0 = time.monotonic()
    for attempt in range(3):  # a menu click right after opening a notebook is sometimes lost
        click_menu(page, "Run", "runmenu:run-all")
        try:
            page.wait_for_function(STARTED_JS, timeout=15_000)
            break
        except Exception:
            if attempt == 2:
                raise AssertionError("Run > Run All Cells did not start executing") from None
    page.wait_for_function(ALL_DONE_JS, timeout=timeout)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=timeout)
    return time.monotonic() - t0


def save(page, timeout: float = 30_000) -> None:
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
        "[class*=jp-mod-dirty]') && !document.querySelector('.lm-TabBar-tab.jp-mod-dirty')",
        timeout=timeout,
    )


DOM_ERRORS_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')];
  const out = [];
  cells.forEach((c, i) => {
    const errs = c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    if (errs.length) out.push([i, errs[0].innerText.slice(0, 300)]);
  });
  return out;
}"""


def dom_error_cells(page) -> list[tuple[int, str]]:
    """(cell index, text) of every cell that shows stderr/error output in the open notebook."""
    return [tuple(x) for x in page.evaluate(DOM_ERRORS_JS)]


def cell(page, index: int):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)


# ----------------------------------------------------------------------------- widgets

# What the reader sees change: HTML/Label widgets (not the slider's own readout or description),
# and the content of Output widgets (text and figures).
SNAPSHOT_JS = """(root) => {
  const inSlider = el => el.closest('.widget-slider, .widget-hslider, .widget-vslider');
  const texts = [...root.querySelectorAll('.widget-html-content, .widget-label, .widget-html, .widget-htmlmath')]
    .filter(el => !inSlider(el)).map(el => el.innerText.trim());
  const outs = [...root.querySelectorAll('.widget-output')].map(o => {
    const imgs = [...o.querySelectorAll('img')].map(i => i.src.length + ':' + i.src.slice(-64));
    const svgs = [...o.querySelectorAll('svg')].map(s => s.outerHTML.length);
    return o.innerText.trim() + '|' + imgs.join(',') + '|' + svgs.join(',');
  });
  return JSON.stringify({texts, outs});
}"""


def snapshot(locator) -> dict:
    import json

    return json.loads(locator.evaluate(SNAPSHOT_JS))


COVERED_JS = """(h) => {
  const b = h.getBoundingClientRect();
  const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
  return hit === null ? 'nothing at the handle' : (h.contains(hit) || hit.contains(h) ? '' :
         'covered by <' + hit.tagName.toLowerCase() + ' class="' + (hit.className.baseVal ?? hit.className) + '">');
}"""


def assert_reachable(handle) -> None:
    """The slider handle is on screen and not covered by another element (a reader can grab it)."""
    handle.scroll_into_view_if_needed()
    problem = handle.evaluate(COVERED_JS)
    assert not problem, f"the main slider cannot be reached with the mouse: {problem}"


def main_handle(locator):
    """The first noUiSlider handle inside ``locator`` (the chapter's main slider)."""
    return locator.locator(".noUi-handle").first


def wait_lab_idle(page, timeout: float = 60_000, settle_ms: int = 300) -> None:
    """Wait until the notebook's kernel is idle again (widget callbacks done), then let it paint."""
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=timeout)
    page.wait_for_timeout(settle_ms)


# Installs a MutationObserver on the widget's root, records when the visible snapshot changes.
LATENCY_ARM_JS = """(root) => {
  const snap = (__SNAPSHOT_JS__);
  const before = snap(root);
  const st = {t0: null, first: null, last: null, before};
  window.__crmLatency = st;
  window.addEventListener('keydown', () => { st.t0 = performance.now(); }, {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (st.t0 === null) return;
    const now = snap(root);
    if (now !== st.current && now !== before) {
      st.current = now; const t = performance.now() - st.t0;
      if (st.first === null) st.first = t;
      st.last = t;
    }
  });
  obs.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
  st.stop = () => obs.disconnect();
}""".replace("__SNAPSHOT_JS__", SNAPSHOT_JS)


def move_and_time(page, root_locator, settle_ms: int = 1000, timeout_ms: int = 20_000, key: str = "ArrowRight") -> dict:
    """Press an arrow key on the main slider; return ms to the first and last visible change.

    ``first``: the first change of a displayed number or figure after the key press; ``last``:
    the last change, taken once nothing has changed for ``settle_ms`` (numbers and figure may
    arrive in separate messages). When ``key`` changes nothing within 3 s (the slider sits at
    that end) the opposite arrow is pressed. Raises AssertionError when nothing changes.
    """
    handle = main_handle(root_locator)
    assert_reachable(handle)
    other = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}[key]
    for attempt, k in enumerate((key, other)):
        root_locator.evaluate(LATENCY_ARM_JS)
        handle.focus()
        page.keyboard.press(k)
        try:
            page.wait_for_function(
                "() => window.__crmLatency.first !== null", timeout=3000 if attempt == 0 else timeout_ms
            )
            break
        except Exception as exc:
            page.evaluate("() => window.__crmLatency.stop()")
            if attempt == 1:
                raise AssertionError(
                    f"moving the main slider ({key} / {other}) changed no displayed "
                    f"number or figure within {timeout_ms} ms"
                ) from exc
    page.wait_for_function(  # settle: the last change is older than settle_ms
        "(s) => performance.now() - window.__crmLatency.t0 - window.__crmLatency.last > s",
        arg=settle_ms,
        timeout=timeout_ms + settle_ms,
    )
    res = page.evaluate("() => { const s = window.__crmLatency; s.stop(); return {first: s.first, last: s.last}; }")
    res["key"] = k
    return res


def wait_widgets_rendered(locator, timeout: float = 60_000) -> None:
    locator.locator(".noUi-handle").first.wait_for(state="visible", timeout=timeout)


def shutdown_kernels(server: dict) -> None:
    """Shut down every kernel of our own Lab server (REST API), to keep memory low between notebooks."""
    import json
    import urllib.request

    base, token = server["url"], server["token"]
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as r:
        kernels = json.load(r)
    for k in kernels:
        req = urllib.request.Request(f"{base}/api/kernels/{k['id']}?token={token}", method="DELETE")
        try:
            urllib.request.urlopen(req, timeout=30).close()
        except Exception:
            pass


def notebook_paths() -> list[Path]:
    """Chapter notebooks under test: ``notebooks/0[0-9]_*.ipynb`` except ``00_start_here`` (or ``$CRMLIB_BROWSER_NOTEBOOKS``)."""
    return classroom.chapter_notebooks(notebook_dir())


def notebook_dir() -> Path:
    return Path(os.environ.get("CRMLIB_BROWSER_NOTEBOOKS") or ROOT / "notebooks")


def failed(node) -> bool:
    rep = getattr(node, "rep_call", None)
    return rep is not None and rep.failed


def slug(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


# ----------------------------------------------------------------------------- static HTML checks

_URL = __import__("re").compile(r"""https?://([^/\s'"`)]+)""")
_CSS_URL = __import__("re").compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?(https?://[^'")\s]+)""")
# element -> attributes that make the browser fetch something when the page loads
LOADING_ATTRS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
    "input": ("src",),
}
DATA_SCRIPT_TYPES = (
    "application/vnd.jupyter.widget-state+json",
    "application/vnd.jupyter.widget-view+json",
    "application/json",
    "text/x-mathjax-config",
)


def page_references(text: str) -> dict:
    """Parse an HTML page: what it loads (``loads``), its ``<a href>`` links and inline code URLs.

    Returns a dict with ``loads`` [(tag, attr, url)], ``links`` [url] and ``inline_urls``
    [(where, url)] (absolute http(s) URLs inside inline <script> code or <style> url()/@import).
    """
    from html.parser import HTMLParser

    found = {"loads": [], "links": [], "inline_urls": []}

    class P(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.in_tag, self.data_script = None, False

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            for attr in LOADING_ATTRS.get(tag, ()):
                if a.get(attr):
                    if (
                        tag == "link"
                        and attr == "href"
                        and not set((a.get("rel") or "").split())
                        & {"stylesheet", "preload", "prefetch", "icon", "modulepreload", "manifest"}
                    ):
                        continue
                    for url in a[attr].split(",") if attr == "srcset" else [a[attr]]:
                        found["loads"].append((tag, attr, url.strip().split(" ")[0]))
            if tag == "a" and a.get("href") is not None:
                found["links"].append(a["href"])
            if tag in ("script", "style"):
                self.in_tag = tag
                self.data_script = tag == "script" and (a.get("type") or "") in DATA_SCRIPT_TYPES
            style = a.get("style") or ""
            for url in _CSS_URL.findall(style):
                found["inline_urls"].append(("style attribute", url))

        def handle_endtag(self, tag):
            if tag == self.in_tag:
                self.in_tag, self.data_script = None, False

        def handle_data(self, data):
            if self.in_tag == "style":
                for url in _CSS_URL.findall(data):
                    found["inline_urls"].append(("style", url))
            elif self.in_tag == "script" and not self.data_script:
                for m in _URL.finditer(data):
                    found["inline_urls"].append(("script", m.group(0)))

    P().feed(text)
    return found


def outside_references(text: str) -> list[str]:
    """Everything in an HTML page that would make the browser contact a non-local host."""
    refs = page_references(text)
    bad = [f"<{t} {a}={u}>" for t, a, u in refs["loads"] if _is_remote(u)]
    bad += [f"{where}: {u}" for where, u in refs["inline_urls"] if _is_remote(u)]
    return bad


def _is_remote(url: str) -> bool:
    from urllib.parse import urlparse

    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    u = urlparse(url)
    if u.scheme in ("http", "https", "ws", "wss", "ftp"):
        return u.hostname not in ("127.0.0.1", "localhost", "::1")
    return False


def open_dashboard(page, dash: dict, timeout: float = 90_000, tries: int = 2):
    """Open a Voilà dashboard and wait for its main widget; returns the main widget's locator.

    Voilà runs the chapter before showing it. On this machine its execution occasionally stalls
    at a widget cell (ipykernel 7 / Voilà 0.5; seen about once in ten starts, never twice in a
    row); a reload starts a fresh kernel, as a lecturer would. Every stall is reported.
    """
    main = page.locator(".celltag_main-widget").first
    for attempt in range(tries):
        page.goto(dash["url"], timeout=240_000, wait_until="commit")
        try:
            wait_widgets_rendered(main, timeout=timeout)
            return main
        except Exception:
            status = page.locator("body").inner_text()[:80].replace("\n", " ")
            print(
                f"[dashboard] attempt {attempt + 1}: main widget not shown after {timeout / 1000:.0f} s "
                f"(page says: {status!r})",
                flush=True,
            )
            if attempt == tries - 1:
                raise
    return main


# ----------------------------------------------------------------------------- requests and fonts

LOCAL_PREFIXES = (
    "http://127.0.0.1",
    "https://127.0.0.1",
    "ws://127.0.0.1",
    "http://localhost",
    "ws://localhost",
    "http://[::1]",
    "file:",
    "data:",
    "blob:",
    "about:",
)


def record_requests(page) -> list[str]:
    """Every URL the page requests from now on (documents, scripts, styles, fonts, images, XHR, websockets)."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


def outside(urls: list[str]) -> list[str]:
    """The requests that went to a host other than this machine."""
    return sorted({u for u in urls if not u.startswith(LOCAL_PREFIXES)})


MARK_CJK_JS = r"""(root) => {
  root = root || document.body;
  document.querySelectorAll('[data-crm-cjk]').forEach(e => e.removeAttribute('data-crm-cjk'));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!/[\u4e00-\u9fff]/.test(n.textContent) || !el || el.closest('script, style, svg, mjx-container, aside.notes')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;  // not displayed
    el.setAttribute('data-crm-cjk', '1');
    const text = n.textContent.match(/[\u4e00-\u9fff]+/)[0].slice(0, 4);
    const c = document.createElement('canvas').getContext('2d');
    const style = getComputedStyle(el);
    c.font = style.fontSize + ' ' + style.fontFamily;
    const width = c.measureText(text).width / text.length / parseFloat(style.fontSize);
    c.font = style.fontSize + ' crm-no-such-font';
    const tofu = c.measureText(text).width / text.length / parseFloat(style.fontSize);
    return {text: n.textContent.trim().slice(0, 60), family: style.fontFamily, em: width, fallbackEm: tofu};
  }
  return null;
}"""


def chinese_font(page, root_selector: str | None = None) -> dict:
    """How the first visible Chinese text on the page (under ``root_selector``) is drawn.

    Returns ``text``, ``family`` (computed CSS font-family), ``em`` (advance of one character in
    ems with that font list), ``fallbackEm`` (the same with no usable font: the box glyph) and
    ``fonts``: the platform fonts Chromium actually used for the element's text (DevTools
    ``CSS.getPlatformFontsForNode``), e.g. ``[{"familyName": "Noto Sans CJK SC", "isCustomFont": True}]``.
    """
    root = page.locator(root_selector).first.element_handle() if root_selector else None
    info = page.evaluate(MARK_CJK_JS, root)
    if info is None:
        return {}
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        doc = cdp.send("DOM.getDocument", {"depth": -1})
        node = cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "[data-crm-cjk]"})["nodeId"]
        info["fonts"] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return info


def assert_chinese_glyphs(page, where: str, root_selector: str | None = None) -> dict:
    """Chinese text on the page is drawn with the served Noto Sans CJK web font, not as boxes."""
    # the web font loads when text first needs it (16 MB in JupyterLab): ask for it, wait, let it paint
    page.wait_for_function(
        """() => { document.fonts.load('16px "Noto Sans CJK SC"', '客');
                                       return document.fonts.check('16px "Noto Sans CJK SC"', '客'); }""",
        timeout=60_000,
        polling=250,
    )
    page.evaluate("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(true))))")
    page.wait_for_timeout(200)
    info = chinese_font(page, root_selector)
    assert info, f"{where}: no visible Chinese text found"
    noto = [f for f in info["fonts"] if f["familyName"].startswith("Noto Sans CJK SC") and f["isCustomFont"]]
    assert noto and noto[0]["glyphCount"] > 0, (
        f"{where}: {info['text']!r} is drawn with {info['fonts']} (font-family {info['family']}), not the web font"
    )
    assert abs(info["em"] - 1.0) < 0.05, f"{where}: a Chinese character is {info['em']:.2f} em wide (a box?)"
    return info


# ----------------------------------------------------------------------------- slides

# The current slide at the projector's size: its height and width, elements that end outside
# the 1280x720 box, and text that is cut off inside a box that does not show overflow.
SLIDE_FIT_JS = r"""() => {
  const box = document.querySelector('.reveal .slides').getBoundingClientRect();
  const scale = Reveal.getScale(), cfg = Reveal.getConfig();
  const cur = Reveal.getCurrentSlide();
  const bad = [];
  if (cur.scrollHeight > cfg.height + 0.5) bad.push('slide content is ' + cur.scrollHeight + ' px high');
  if (cur.scrollWidth > cfg.width + 0.5) bad.push('slide content is ' + cur.scrollWidth + ' px wide');
  cur.querySelectorAll('*').forEach(el => {
    if (el.closest('aside.notes')) return;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) return;
    const right = (r.right - box.left) / scale, bottom = (r.bottom - box.top) / scale;
    const left = (r.left - box.left) / scale, top = (r.top - box.top) / scale;
    if (right > cfg.width + 1 || bottom > cfg.height + 1 || left < -1 || top < -1)
      bad.push('<' + el.tagName.toLowerCase() + ' class="' + (el.className.baseVal ?? el.className) + '"> at ' +
               [left, top, right, bottom].map(Math.round).join(','));
    const ov = getComputedStyle(el).overflowX;
    if (ov !== 'visible' && el.scrollWidth > el.clientWidth + 1 && !['svg', 'mjx-container'].includes(el.tagName.toLowerCase()))
      bad.push('<' + el.tagName.toLowerCase() + '> cuts its content (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
  });
  const title = cur.querySelector('h1, h2');
  return {height: cur.scrollHeight, width: cur.scrollWidth, problems: bad.slice(0, 8),
          title: title ? title.textContent.trim() : '', notes: (Reveal.getSlideNotes(cur) || '').length,
          code: cur.querySelectorAll('.crm-code').length};
}"""


def slide_indices(page) -> list[tuple[int, int]]:
    return [
        tuple(x)
        for x in page.evaluate(
            "() => Reveal.getSlides().map(s => { const i = Reveal.getIndices(s); return [i.h, i.v || 0]; })"
        )
    ]


@contextlib.contextmanager
def open_command(browser, tmp_path: Path, *args: str):
    """Run the README's open command, ``python3 suite.py lab [args]``, and yield a page at its ``/``.

    The page has loaded the notebook the command lands on. On leaving, the page's requests must all
    have stayed on this machine, and the command must stop on SIGTERM (it passes the signal on to
    JupyterLab, which stops its kernels) within 60 s.
    """
    import pytest

    port, token = classroom.free_port(), "crmlib-open-test"
    log = tmp_path / "lab.log"
    command = ["suite.py lab", *args]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "suite.py"), "lab", *args, "--no-browser", "--ip=127.0.0.1"]
            + [f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.runtime_dir={tmp_path}"],
            cwd=ROOT,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config")},
        )
    try:
        classroom.wait_http(f"http://127.0.0.1:{port}/api/status?token={token}", 180, proc)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        requests = record_requests(page)
        try:
            page.goto(f"http://127.0.0.1:{port}/?token={token}")
            page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell", timeout=120_000)
            yield page
        finally:
            context.close()
        assert outside(requests) == [], outside(requests)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"{' '.join(command)} did not stop on SIGTERM:\n" + log.read_text(errors="replace")[-2000:])
