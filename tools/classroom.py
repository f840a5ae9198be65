#!/usr/bin/env python3
"""In the classroom: offline HTML site, reveal.js slides and Voilà dashboards of the chapters.

    python tools/classroom.py site [--out site]        static HTML of every notebook + index
    python tools/classroom.py slides 03 [--no-dashboard] [--port 8000] [--dashboard-port 8866]
    python tools/classroom.py dashboard 03 [--port 8866]

(``python3 suite.py site|slides|dashboard ...`` runs these with the project's environment.)

Everything is served from this machine: the JavaScript that renders saved widget state
(``@jupyter-widgets/html-manager``), RequireJS, reveal.js and MathJax are vendored in
``tools/vendor/`` and copied next to the pages, so a lecture or an offline reading needs no
network. Servers listen on 127.0.0.1 only; the dashboard uses a fresh random token.

Slides come from the chapter notebook's slide metadata (``tools/execute_notebooks.py`` makes the
title and every H2 section a slide). Widgets are not live in slides, so each widget output is
replaced on its slide by a box that links to the chapter's dashboard, where the same widgets run
on a kernel. The dashboard is a Voilà page of a derived notebook that runs the whole chapter
quietly and shows only the widgets, under their section headings.
"""
from __future__ import annotations

import argparse
import copy
import functools
import html
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import webbrowser
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
VENDOR = Path(__file__).resolve().parent / "vendor"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DEFAULT_SLIDES_PORT = 8000
DEFAULT_DASHBOARD_PORT = 8866
MAIN_TAG = "main-widget"
VOILA_CELL_TIMEOUT = 120  # seconds per cell in the dashboard (chapters run in seconds)

# vendored file -> path under <out>/_static/ (the whole folder is copied, licences included)
STATIC = {
    "require": "requirejs/require.js",
    "widgets": "html-manager/embed-amd.js",
    "mathjax": "mathjax/tex-svg-full.js",
    "reveal": "reveal.js",
}

# MathJax 3 configured like the notebook front-ends ($...$ inline, $$...$$ display).
# MathJax 3 configured like the notebook front-ends ($...$ inline, $$...$$ display), with a small
# MathJax-2 ``Hub.Queue`` shim: the widget renderer (embed-amd.js) calls it to typeset widget HTML.
MATHJAX_BLOCK = r"""
<script>
(function () {
  function hub() {
    return {Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === 'Typeset' && window.MathJax && window.MathJax.typesetPromise) {
          window.MathJax.typesetPromise(job[2] ? [job[2]] : undefined).catch(function () {});
        }
      }
    }};
  }
  window.MathJax = {
    tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
          processEscapes: true, processEnvironments: true},
    svg: {fontCache: 'global'},
    options: {skipHtmlTags: ['script', 'noscript', 'style', 'textarea', 'pre', 'code']},
    startup: {ready: function () { window.MathJax.startup.defaultReady(); window.MathJax.Hub = hub(); }},
    Hub: hub()
  };
}());
</script>
<script src="{{ resources.mathjax_url }}"></script>
"""

NAV_CSS = """
<style type="text/css">
nav.crm-nav { font-family: var(--jp-ui-font-family, sans-serif); font-size: 14px;
  padding: 8px 16px; margin: 0 0 8px 0; border-bottom: 1px solid #ddd; background: #fafafa; }
nav.crm-nav a { margin-right: 1.5em; }
nav.crm-nav.crm-bottom { border-top: 1px solid #ddd; border-bottom: none; margin-top: 24px; }
.jupyter-widgets, .widget-label, .widget-readout, .widget-html-content, .widget-inline-hbox {
  font-family: var(--jp-ui-font-family, sans-serif); }
</style>
"""

# Page template: JupyterLab look, local scripts, navigation bar at top and bottom.
PAGE_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_mathjax -%}" + MATHJAX_BLOCK + "{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{%- block html_head_css -%}" + NAV_CSS + "{%- endblock html_head_css -%}\n"
    "{%- block body_header -%}{{ super() }}\n{{ resources.crm_nav }}\n{%- endblock body_header -%}\n"
    "{% block body_footer %}{{ resources.crm_nav_bottom }}\n{{ super() }}{% endblock body_footer %}\n"
)

DASHBOARD_BOX_CSS = """
<style type="text/css">
.crm-dashboard-link { border: 2px solid #1f77b4; border-radius: 8px; padding: 0.6em 1em;
  margin: 0.5em 0; background: #eef5fb; font-size: 0.9em; }
/* long sections scroll inside their slide (mouse wheel / touch pad); arrows change slides */
.reveal .slides > section { height: 100% !important; overflow-y: auto !important; overflow-x: hidden; }
</style>
"""

# Slides template: reveal.js and MathJax from the local copy, no jQuery, no mermaid.
SLIDES_TEMPLATE = (
    "{%- extends 'index.html.j2' -%}\n"
    "{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{%- block html_head_js_mathjax -%}" + MATHJAX_BLOCK + "{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_css -%}" + DASHBOARD_BOX_CSS + "{%- endblock html_head_css -%}\n"
    """{% block footer_js %}
<script>
require({waitSeconds: 30},
  ["{{ resources.reveal.url_prefix }}/dist/reveal.js", "{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"],
  function (Reveal, RevealNotes) {
    window.Reveal = Reveal;
    Reveal.initialize({controls: true, progress: true, history: true, slideNumber: "c/t",
                       transition: "none", center: false, plugins: [RevealNotes], width: 1280, height: 800});
  });
</script>
{% endblock footer_js %}
"""
)


# --------------------------------------------------------------------------- notebooks

def chapter_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The chapter notebooks ``NN_*.ipynb`` with NN from 01 to 09, in order."""
    return sorted(Path(folder).glob("0[1-9]_*.ipynb"))


def find_notebook(which: str, folder: Path = NOTEBOOKS) -> Path:
    """Resolve a chapter given as ``3``, ``03``, a file name or a path."""
    p = Path(which)
    if p.suffix == ".ipynb" and p.exists():
        return p.resolve()
    if which.isdigit():
        hits = sorted(Path(folder).glob(f"{int(which):02d}_*.ipynb"))
    else:
        hits = sorted(Path(folder).glob(f"{which}*.ipynb"))
    if not hits:
        have = ", ".join(q.name for q in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))) or "none"
        raise SystemExit(f"no notebook matches {which!r} in {folder} (have: {have})")
    return hits[0].resolve()


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled"


def sections_of(nb) -> list[str]:
    return [line[3:].strip() for cell in nb.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines()[:1] if line.startswith("## ")]


def has_widget_output(cell) -> bool:
    return cell.cell_type == "code" and any(
        WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", []))


def is_widget_cell(cell) -> bool:
    return has_widget_output(cell) or MAIN_TAG in cell.metadata.get("tags", [])


def anchor_of(heading: str) -> str:
    """The id JupyterLab and nbconvert give a heading (spaces to hyphens)."""
    return heading.strip().replace(" ", "-")


def copy_static(out: Path) -> Path:
    """Copy the vendored scripts (with their licences) to ``out/_static``."""
    static = out / "_static"
    if static.exists():
        shutil.rmtree(static)
    shutil.copytree(VENDOR, static, ignore=shutil.ignore_patterns("README.md"))
    shutil.copy2(VENDOR / "README.md", static / "VENDOR.md")
    return static


def _loader(name: str, text: str):
    import jinja2

    return jinja2.DictLoader({name: text})


# --------------------------------------------------------------------------- static site

def _nav(index_href: str, prev: tuple[str, str] | None, nxt: tuple[str, str] | None, bottom=False) -> str:
    parts = [f'<a class="crm-index" href="{index_href}">&#8962; Index</a>']
    if prev:
        parts.append(f'<a class="crm-prev" href="{prev[0]}">&larr; {html.escape(prev[1])}</a>')
    if nxt:
        parts.append(f'<a class="crm-next" href="{nxt[0]}">{html.escape(nxt[1])} &rarr;</a>')
    cls = "crm-nav crm-bottom" if bottom else "crm-nav"
    return f'<nav class="{cls}">' + "".join(parts) + "</nav>"


_IPYNB_LINK = re.compile(r'(href=")(?![a-zA-Z][a-zA-Z0-9+.-]*:)([^"#?]*?)\.ipynb((?:#[^"]*)?")')


def rewrite_links(text: str) -> str:
    """Relative links to ``x.ipynb`` become links to the exported ``x.html``."""
    return _IPYNB_LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}.html{m.group(3)}", text)


def export_page(nb, out_html: Path, site_root: Path, nav_prev=None, nav_next=None) -> None:
    """Export one executed notebook to ``out_html`` using the scripts in ``site_root/_static``."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    rel = os.path.relpath(site_root, out_html.parent).replace(os.sep, "/")
    rel = "" if rel == "." else rel + "/"
    c = Config()
    c.HTMLExporter.require_js_url = f"{rel}_static/{STATIC['require']}"
    c.HTMLExporter.widget_renderer_url = f"{rel}_static/{STATIC['widgets']}"
    c.HTMLExporter.mathjax_url = f"{rel}_static/{STATIC['mathjax']}"
    c.HTMLExporter.mermaid_js_url = ""
    exporter = HTMLExporter(config=c, template_name="lab", template_file="crm_page.html.j2",
                            extra_loaders=[_loader("crm_page.html.j2", PAGE_TEMPLATE)])
    resources = {"crm_nav": _nav(f"{rel}index.html", nav_prev, nav_next),
                 "crm_nav_bottom": _nav(f"{rel}index.html", nav_prev, nav_next, bottom=True)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(rewrite_links(body), encoding="utf-8")


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Customer relationship management: the course (offline)</title>
<style type="text/css">
body {{ font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
  max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.6em; }} li {{ margin: 0.3em 0; }} .sections {{ color: #555; font-size: 0.9em; }}
.note {{ background: #f5f5f5; padding: 0.6em 1em; border-radius: 6px; font-size: 0.9em; }}
</style>
</head>
<body>
<main>
<h1 id="index">Customer relationship management: the course</h1>
<p class="note">Offline copy of the executed notebooks. Figures and the saved state of every
widget are included; the widgets show their default values but do not recompute without a
running kernel. For live widgets run <code>python3 suite.py lab</code>.</p>
<h2>Chapters</h2>
<ol start="0">
{chapters}
</ol>
{exercises}
</main>
</body>
</html>
"""


def build_site(out: Path | None = None, notebooks: Path = NOTEBOOKS, exercises: Path = EXERCISES) -> Path:
    """Export every notebook in ``notebooks`` (and the student exercise copies) to ``out``.

    Returns the path of ``index.html``. Solutions (``exercises/solutions``) are never exported.
    """
    import nbformat

    out = Path(out or ROOT / "site").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("notebooks/*.html")) + list(out.glob("exercises/*.html")):
        old.unlink()
    copy_static(out)
    pages = sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
    ex_pages = sorted(Path(exercises).glob("[0-9][0-9]_*.ipynb")) if Path(exercises).is_dir() else []
    books = [nbformat.read(p, as_version=4) for p in pages]
    titles = [title_of(nb) for nb in books]
    items = []
    for i, (path, nb) in enumerate(zip(pages, books)):
        prev = (f"{pages[i - 1].stem}.html", titles[i - 1]) if i > 0 else None
        nxt = (f"{pages[i + 1].stem}.html", titles[i + 1]) if i + 1 < len(pages) else None
        export_page(nb, out / "notebooks" / f"{path.stem}.html", out, prev, nxt)
        secs = sections_of(nb)
        sec_links = " · ".join(f'<a href="notebooks/{path.stem}.html#{html.escape(anchor_of(s))}">{html.escape(s)}</a>'
                               for s in secs)
        items.append(f'<li><a href="notebooks/{path.stem}.html">{html.escape(titles[i])}</a>'
                     + (f'<div class="sections">{sec_links}</div>' if secs else "") + "</li>")
        print(f"[site] notebooks/{path.stem}.html", flush=True)
    ex_items = []
    for path in ex_pages:
        nb = nbformat.read(path, as_version=4)
        export_page(nb, out / "exercises" / f"{path.stem}.html", out)
        ex_items.append(f'<li><a href="exercises/{path.stem}.html">{html.escape(title_of(nb))}</a></li>')
        print(f"[site] exercises/{path.stem}.html", flush=True)
    ex_html = ("<h2>Exercises</h2>\n<p>Student copies (read here; solve them in JupyterLab).</p>\n<ul>\n"
               + "\n".join(ex_items) + "\n</ul>") if ex_items else ""
    index = out / "index.html"
    index.write_text(INDEX_TEMPLATE.format(chapters="\n".join(items), exercises=ex_html), encoding="utf-8")
    print(f"[site] wrote {len(pages)} notebook pages and {len(ex_items)} exercise pages; open {index}")
    return index


# --------------------------------------------------------------------------- slides

def slides_notebook(nb, dashboard_url: str | None, chapter_label: str):
    """Copy of ``nb`` whose widget outputs are replaced by a link box to the dashboard."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # no live widgets in slides: nothing to render
    for cell in nb.cells:
        if not has_widget_output(cell):
            continue
        kept = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
        if dashboard_url:
            link = (f'<a href="{html.escape(dashboard_url)}" target="_blank">open the live dashboard</a>')
        else:
            link = f"start it with <code>python3 suite.py dashboard {chapter_label}</code>"
        box = (f'<div class="crm-dashboard-link">&#9654; <b>Live widget</b>: this widget runs in the '
               f'chapter dashboard &mdash; {link} (same section heading there).</div>')
        kept.append({"output_type": "display_data", "metadata": {},
                     "data": {"text/html": box, "text/plain": "[live widget: see the dashboard]"}})
        cell.outputs = kept
    return nb


def build_slides(nb_path: Path, out_dir: Path, dashboard_url: str | None = None) -> Path:
    """Write ``<out_dir>/<stem>.slides.html`` (reveal.js, all scripts local) and return its path."""
    import nbformat
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_static(out_dir)
    nb = nbformat.read(nb_path, as_version=4)
    label = nb_path.stem[:2]
    c = Config()
    c.SlidesExporter.reveal_url_prefix = f"_static/{STATIC['reveal']}"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.require_js_url = f"_static/{STATIC['require']}"
    c.SlidesExporter.mathjax_url = f"_static/{STATIC['mathjax']}"
    c.SlidesExporter.mermaid_js_url = ""
    c.SlidesExporter.jquery_url = ""
    exporter = SlidesExporter(config=c, template_file="crm_slides.html.j2",
                              extra_loaders=[_loader("crm_slides.html.j2", SLIDES_TEMPLATE)])
    body, _ = exporter.from_notebook_node(slides_notebook(nb, dashboard_url, label))
    out = out_dir / f"{nb_path.stem}.slides.html"
    out.write_text(rewrite_links(body), encoding="utf-8")
    return out


# --------------------------------------------------------------------------- dashboard

# Voilà lets an HBox squeeze a column of sliders next to a wide figure down to 1 px (the figure
# then covers the sliders); keep columns at their natural width and wrap when the page is narrow.
DASHBOARD_CSS = ("<style>.widget-hbox { flex-wrap: wrap; } "
                 ".widget-hbox > .widget-vbox, .widget-hbox > .widget-box { flex-shrink: 0; }</style>")


def dashboard_notebook(nb_path: Path, out_dir: Path) -> Path:
    """A notebook for Voilà that runs the whole chapter quietly and shows only its widgets.

    Every code cell runs (under ``%%capture``) so the widgets get the state they depend on;
    cells tagged ``raises-exception`` are skipped; the title and the H2 headings of sections
    that hold a widget stay visible. The kernel's working directory is the chapter's folder.
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    new = nbformat.v4.new_notebook()
    new.metadata = {"kernelspec": nb.metadata.get("kernelspec", {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}),
                    "language_info": nb.metadata.get("language_info", {"name": "python"})}
    cells = [nbformat.v4.new_markdown_cell(
        f"# {title_of(nb)}\n\nLive widgets of this chapter (the text, the code and the static figures are in "
        f"the notebook `{nb_path.name}`). Move a slider: the numbers and the figure follow.")]
    cells.append(nbformat.v4.new_code_cell(f"%%capture\nimport os\nos.chdir({str(nb_path.parent)!r})"))
    cells.append(nbformat.v4.new_code_cell(
        "from IPython.display import HTML\nHTML(" + repr(DASHBOARD_CSS) + ")", metadata={"tags": ["dashboard-style"]}))
    heading = None
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            first = cell.source.lstrip().splitlines()[:1]
            if first and first[0].startswith("## "):
                heading = first[0]
            continue
        if cell.cell_type != "code" or "raises-exception" in tags:
            continue
        if is_widget_cell(cell):
            if heading:
                cells.append(nbformat.v4.new_markdown_cell(heading))
                heading = None
            keep = nbformat.v4.new_code_cell(cell.source)
            if tags:
                keep.metadata["tags"] = list(tags)
            cells.append(keep)
        else:
            cells.append(nbformat.v4.new_code_cell("%%capture\n" + cell.source))
    new.cells = cells
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{nb_path.stem}.dashboard.ipynb"
    nbformat.write(new, out)
    return out


# --------------------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers HTTP 200 (raise RuntimeError on timeout or if ``proc`` dies)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if r.status == 200:
                    return
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s (last error: {last})")


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a server we started, by its PID: SIGINT/SIGTERM first, then kill its process group."""
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    try:  # kernels are children of the server: they share its (new) session / process group
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)


def python() -> str:
    return sys.executable


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def voila_command(nb: Path, port: int, token: str | None) -> list[str]:
    cmd = [python(), "-m", "voila", str(nb), f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
           "--Voila.port_retries=0", "--show_tracebacks=True", "--theme=light",
           # Voilà 0.5 + ipykernel 7 here: about one start in ten stalls at a widget cell (the
           # kernel still answers; a reply is lost). Bound the wait; reloading the page recovers.
           f"--VoilaExecutor.timeout={VOILA_CELL_TIMEOUT}"]
    if token:
        cmd.append(f"--Voila.token={token}")
    return cmd


def lab_command(root_dir: Path, port: int, token: str, settings_dir: Path, workspaces_dir: Path) -> list[str]:
    return [python(), "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}", f"--LabApp.user_settings_dir={settings_dir}",
            f"--LabApp.workspaces_dir={workspaces_dir}", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *_root_flag()]


LAB_SETTINGS = {
    # keep every cell in the DOM (tests find the main widget cell by its index)
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # no news/update toasts over the notebook
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


@contextmanager
def server(cmd: list[str], url: str, log: Path, timeout: float = 180.0, cwd: Path | None = None,
           env: dict | None = None):
    """Run a server command in its own process group until ``url`` answers; stop it on exit."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                start_new_session=True)
        try:
            wait_http(url, timeout, proc)
            yield proc
        finally:
            stop(proc)


@contextmanager
def lab_server(notebooks: list[Path], workdir: Path, timeout: float = 180.0):
    """JupyterLab on 127.0.0.1 with a temporary token over *copies* of ``notebooks``.

    Yields a dict with ``url`` (base URL), ``token``, ``root`` (the folder of the copies),
    ``proc`` and ``log``. The copies live in ``workdir/root/notebooks`` next to a copy of the
    ``datasets`` folder link, so relative paths in the notebooks keep working.
    """
    workdir = Path(workdir)
    root = workdir / "root"
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    for nb in notebooks:
        shutil.copy2(nb, root / "notebooks" / Path(nb).name)
    for extra in ("datasets", "exercises"):  # relative links/paths from notebooks/ keep working
        if (ROOT / extra).exists() and not (root / extra).exists():
            (root / extra).symlink_to(ROOT / extra)
    settings = workdir / "settings"
    for rel, value in LAB_SETTINGS.items():
        f = settings / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    port, token = free_port(), secrets.token_hex(16)
    cmd = lab_command(root, port, token, settings, workdir / "workspaces")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workdir / "config"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"))
    base = f"http://127.0.0.1:{port}"
    log = workdir / "lab.log"
    with server(cmd, f"{base}/api/status?token={token}", log, timeout, cwd=root, env=env) as proc:
        yield {"url": base, "token": token, "root": root, "proc": proc, "log": log}


@contextmanager
def dashboard_server(nb_path: Path, workdir: Path, port: int | None = None, token: str | None = "auto",
                     timeout: float = 240.0):
    """Voilà dashboard of one chapter on 127.0.0.1; yields a dict with ``url`` (incl. token) and ``proc``."""
    dash = dashboard_notebook(Path(nb_path), Path(workdir))
    port = port or free_port()
    token = secrets.token_hex(16) if token == "auto" else token
    query = f"?token={token}" if token else ""
    url = f"http://127.0.0.1:{port}/{query}"
    log = Path(workdir) / "voila.log"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(Path(workdir) / "runtime"))
    # Voilà answers / only after running the whole notebook: wait on its static files instead
    with server(voila_command(dash, port, token), f"http://127.0.0.1:{port}/voila/static/voila.js", log,
                timeout, cwd=dash.parent, env=env) as proc:
        yield {"url": url, "token": token, "proc": proc, "log": log, "notebook": dash}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the lecturer's terminal clean
        pass


@contextmanager
def static_server(folder: Path, port: int | None = None):
    """Serve ``folder`` on 127.0.0.1 from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port or 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --------------------------------------------------------------------------- commands

def _wait_forever(message: str) -> None:
    print(message, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\n[classroom] stopping ...", flush=True)


def cmd_site(args) -> int:
    build_site(Path(args.out) if args.out else None)
    return 0


def cmd_dashboard(args) -> int:
    nb = find_notebook(args.chapter)
    work = Path(tempfile.mkdtemp(prefix="crm-dashboard-"))
    try:
        print(f"[classroom] starting the dashboard of {nb.name} (Voilà runs the chapter first) ...", flush=True)
        with dashboard_server(nb, work, port=args.port, token=None if args.no_token else "auto") as dash:
            if not args.no_browser:
                webbrowser.open(dash["url"])
            _wait_forever(f"[classroom] dashboard: {dash['url']}\n[classroom] press Ctrl+C to stop")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def cmd_slides(args) -> int:
    nb = find_notebook(args.chapter)
    work = Path(tempfile.mkdtemp(prefix="crm-slides-"))
    out = Path(args.out).resolve() if args.out else ROOT / "build" / "slides"
    try:
        if args.no_dashboard:
            slides = build_slides(nb, out, None)
            dash_cm = None
        else:
            dash_cm = dashboard_server(nb, work, port=args.dashboard_port)
        with (dash_cm if dash_cm is not None else _null()) as dash:
            if dash is not None:
                slides = build_slides(nb, out, dash["url"])
            with static_server(out, args.port) as base:
                url = f"{base}/{slides.name}"
                if not args.no_browser:
                    webbrowser.open(url)
                msg = f"[classroom] slides: {url}"
                if dash is not None:
                    msg += f"\n[classroom] dashboard: {dash['url']}"
                _wait_forever(msg + "\n[classroom] press Ctrl+C to stop")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


@contextmanager
def _null():
    yield None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("site", help="export every notebook to a static offline HTML site")
    s.add_argument("--out", help="output folder (default: site/)")
    s.set_defaults(func=cmd_site)
    s = sub.add_parser("slides", help="serve a chapter as reveal.js slides (+ its widget dashboard)")
    s.add_argument("chapter", help="chapter number (e.g. 03) or notebook path")
    s.add_argument("--port", type=int, default=DEFAULT_SLIDES_PORT, help="slides port (0: any free port)")
    s.add_argument("--dashboard-port", type=int, default=DEFAULT_DASHBOARD_PORT, help="dashboard port")
    s.add_argument("--no-dashboard", action="store_true", help="slides only")
    s.add_argument("--no-browser", action="store_true")
    s.add_argument("--out", help="folder for the built slides (default: build/slides/)")
    s.set_defaults(func=cmd_slides)
    s = sub.add_parser("dashboard", help="serve a chapter's widgets as a Voilà dashboard")
    s.add_argument("chapter", help="chapter number (e.g. 03) or notebook path")
    s.add_argument("--port", type=int, default=DEFAULT_DASHBOARD_PORT)
    s.add_argument("--no-token", action="store_true", help="no access token (still 127.0.0.1 only)")
    s.add_argument("--no-browser", action="store_true")
    s.set_defaults(func=cmd_dashboard)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
