#!/usr/bin/env python3
"""In the classroom: offline HTML site, reveal.js lecture slides and Voilà dashboards of the chapters.

    python tools/classroom.py site [--out site]        static HTML of every notebook + index (and site/zh: 中文版)
    python tools/classroom.py slides 03 [--no-dashboard] [--port 8000] [--dashboard-port 8866] [--lang zh]
    python tools/classroom.py dashboard 03 [--port 8866] [--lang zh]
    python tools/classroom.py lab-config DIR            JupyterLab custom.css + Chinese web font in DIR/custom

(``python3 suite.py site|slides|dashboard|lab ...`` runs these with the project's environment.)

Everything is served from this machine: the JavaScript that renders saved widget state
(``@jupyter-widgets/html-manager``), RequireJS, reveal.js and MathJax are vendored in
``tools/vendor/`` and copied next to the pages, and the Chinese web font (Noto Sans CJK SC, from
the ``mplfonts`` package the suite installs) is copied or subset beside them, so a lecture or an
offline reading needs no network and shows Chinese on a machine without CJK system fonts.
Servers listen on 127.0.0.1 only; the dashboard uses a fresh random token.

Slides are lecture slides built from the chapter notebook (:func:`build_slides`): a title slide,
one stack per H2 section with the section's lists, tables, formulas, figures and outputs (code
only for cells tagged ``slide-code``), the notebook's prose as speaker notes, sub-slides where a
section does not fit 1280x720 (split in the browser, where it can be measured). Widgets are not
live in slides: each widget output becomes a box that links to the chapter's dashboard at the same
section. The dashboard is a Voilà page of a derived notebook that runs the whole chapter quietly
and shows only the widgets, under their section headings, full width and without outside requests.
"""

from __future__ import annotations

import argparse
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
    "{%- block html_head_css -%}"
    + NAV_CSS
    + '<link rel="stylesheet" href="{{ resources.crm_font_css }}">\n<style type="text/css">\n{{ resources.crm_font_vars }}</style>\n'
    "{%- endblock html_head_css -%}\n"
    "{%- block body_header -%}{{ super() }}\n{{ resources.crm_nav }}\n{%- endblock body_header -%}\n"
    "{% block body_footer %}{{ resources.crm_nav_bottom }}\n{{ super() }}{% endblock body_footer %}\n"
)

# --------------------------------------------------------------------------- notebooks


def chapter_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The chapter notebooks ``NN_*.ipynb``, NN from 00 to 09, in order (not the landing page ``00_start_here``)."""
    return sorted(p for p in Path(folder).glob("0[0-9]_*.ipynb") if p.stem != "00_start_here")


def find_notebook(which: str, folder: Path = NOTEBOOKS) -> Path:
    """Resolve a chapter given as ``3``, ``03``, a file name or a path."""
    p = Path(which)
    if p.suffix == ".ipynb" and p.exists():
        return p.resolve()
    if which.isdigit():
        prefix = f"{int(which):02d}_"
        # "00" is chapter 0 (00_what_is_crm), not the landing page 00_start_here
        hits = [q for q in chapter_notebooks(folder) if q.name.startswith(prefix)]
        hits = hits or sorted(Path(folder).glob(f"{prefix}*.ipynb"))
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
    return [
        line[3:].strip()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()[:1]
        if line.startswith("## ")
    ]


def has_widget_output(cell) -> bool:
    return cell.cell_type == "code" and any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", []))


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


# --------------------------------------------------------------------------- Chinese web font

FONT_FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"  # shipped by the mplfonts package (SIL OFL 1.1)
FONT_LICENCE = "fonts/NotoSansCJK-LICENSE.txt"  # in tools/vendor/, copied beside every copy of the font
FONT_CSS = "fonts/noto-sans-cjk-sc.css"  # under _static/ of the site and the slides
CJK_RANGE = (
    "U+2E80-2FDF, U+3000-303F, U+3040-30FF, U+3100-312F, U+3190-31FF, U+3200-4DBF, U+4E00-9FFF, "
    "U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FFEF, U+20000-2FA1F"
)
_CJK_CHAR = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u4dbf"
    r"\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002fa1f]"
)

# JupyterLab's (and Voilà's, and nbconvert's lab template's) font stacks with the web font first:
# its unicode-range keeps it to Chinese characters, so Latin text keeps the theme's fonts. (After
# ``system-ui`` it would never be asked: Chromium then falls back to the system's boxes.)
# ``html:root`` outranks the themes' ``:root`` whatever the order the style sheets load in.
CJK_FONT_VARS = f"""html:root {{
  --jp-ui-font-family: '{FONT_FAMILY}', system-ui, -apple-system, blinkmacsystemfont, 'Segoe UI', helvetica, arial,
    sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol';
  --jp-content-font-family: '{FONT_FAMILY}', system-ui, -apple-system, blinkmacsystemfont, 'Segoe UI', helvetica,
    arial, sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol';
  --jp-code-font-family-default: '{FONT_FAMILY}', menlo, consolas, 'DejaVu Sans Mono', monospace;
  --jp-code-font-family: var(--jp-code-font-family-default);
}}
"""


def cjk_font_source() -> Path:
    """Noto Sans CJK SC Regular as installed by the ``mplfonts`` package (a library dependency)."""
    import importlib.util

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.origin:
        raise FileNotFoundError("the mplfonts package is not installed: it ships the Chinese font (Noto Sans CJK SC)")
    path = Path(spec.origin).parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing (mplfonts changed its layout?)")
    return path


def font_face_css(url: str, fmt: str) -> str:
    return (
        f"/* {FONT_FAMILY} (SIL Open Font License 1.1: NotoSansCJK-LICENSE.txt) */\n"
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-style: normal; font-weight: 100 900; '
        f'font-display: block;\n  src: url("{url}") format("{fmt}");\n  unicode-range: {CJK_RANGE}; }}\n'
    )


def write_cjk_font(fonts: Path, text: str | None = None) -> Path:
    """Put the Chinese web font, its ``@font-face`` CSS and its licence in the folder ``fonts``.

    With ``text`` the font is subset to the Chinese characters of ``text`` (a WOFF of some kB:
    the site and the slides are static); without, the whole font is copied (16 MB: JupyterLab and
    the dashboard, where any character may appear). Returns the CSS file.
    """
    fonts = Path(fonts)
    fonts.mkdir(parents=True, exist_ok=True)
    src = cjk_font_source()
    shutil.copy2(VENDOR / FONT_LICENCE, fonts / Path(FONT_LICENCE).name)
    if text is None:
        target = fonts / FONT_FILE
        if not target.is_file() or target.stat().st_size != src.stat().st_size:
            shutil.copy2(src, target)
        css = font_face_css(FONT_FILE, "opentype")
    else:
        from fontTools import subset

        chars = "".join(sorted(set(_CJK_CHAR.findall(text)))) or "中"
        opts = subset.Options()
        opts.flavor = "woff"
        opts.layout_features = ["*"]
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        font = subset.load_font(str(src), opts)
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(font)
        subset.save_font(font, str(fonts / "NotoSansCJKsc-subset.woff"), opts)
        css = font_face_css("NotoSansCJKsc-subset.woff", "woff")
    out = fonts / Path(FONT_CSS).name
    out.write_text(css, encoding="utf-8")
    return out


def write_lab_config(config_dir: Path) -> Path:
    """JupyterLab's ``custom/custom.css`` (served with ``--LabApp.custom_css=True``) and the web font beside it.

    ``config_dir`` is the Jupyter config folder the server runs with (``JUPYTER_CONFIG_DIR``).
    """
    custom = Path(config_dir) / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    write_cjk_font(custom)
    css = (
        "/* written by tools/classroom.py: Chinese text in JupyterLab without system CJK fonts */\n"
        + font_face_css(FONT_FILE, "opentype")
        + CJK_FONT_VARS
    )
    out = custom / "custom.css"
    out.write_text(css, encoding="utf-8")
    (Path(config_dir) / "migrated").touch()  # nothing to migrate from ~/.ipython into this folder
    return out


# --------------------------------------------------------------------------- static site

#: The words of the pages this tool writes itself (the notebooks bring their own language).
WORDS = {
    "en": {
        "index": "Index",
        "title": "Customer relationship management: the course",
        "note": (
            "Offline copy of the executed notebooks. Figures and the saved state of every widget are "
            "included; the widgets show their default values but do not recompute without a running "
            "kernel. For live widgets run <code>python3 suite.py lab</code>."
        ),
        "chapters": "Chapters",
        "exercises": "Exercises",
        "exercises_note": "Student copies (read here; solve them in JupyterLab).",
        "other": ("zh", "中文版"),
        "dashboard": "open the live dashboard",
        "overview": "Overview",
        "slides_from": "Lecture slides built from",
        "live_widgets": "Live widgets of this chapter (dashboard)",
        "subtitle": "Customer relationship management（客户关系管理）",
        "dashboard_intro": (
            "Live widgets of this chapter (the text, the code and the static figures are in the notebook "
            "`{name}`). Move a slider: the numbers and the figure follow."
        ),
    },
    "zh": {
        "index": "目录",
        "title": "客户关系管理：课程",
        "note": (
            "已执行笔记本的离线副本。图和每个交互控件保存的状态都已包含；没有运行中的内核时，控件显示默认值，"
            "但不会重新计算。要使用可交互的控件，请运行 <code>python3 suite.py lab --lang zh</code>。"
        ),
        "chapters": "章节",
        "exercises": "练习",
        "exercises_note": "学生版练习（可在此阅读；请在 JupyterLab 中完成）。",
        "other": ("en", "English"),
        "dashboard": "打开实时仪表板",
        "overview": "概览",
        "slides_from": "课堂幻灯片，生成自",
        "live_widgets": "本章的实时控件（仪表板）",
        "subtitle": "客户关系管理（Customer relationship management）",
        "dashboard_intro": "本章的实时控件（正文、代码和静态图在笔记本 `{name}` 中）。拖动滑块，数字和图会随之变化。",
    },
}


def _nav(
    index_href: str, prev: tuple[str, str] | None, nxt: tuple[str, str] | None, bottom=False, lang: str = "en"
) -> str:
    parts = [f'<a class="crm-index" href="{index_href}">&#8962; {WORDS[lang]["index"]}</a>']
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


def export_page(nb, out_html: Path, site_root: Path, nav_prev=None, nav_next=None, lang: str = "en") -> None:
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
    exporter = HTMLExporter(
        config=c,
        template_name="lab",
        template_file="crm_page.html.j2",
        extra_loaders=[_loader("crm_page.html.j2", PAGE_TEMPLATE)],
    )
    resources = {
        "crm_nav": _nav(f"{rel}index.html", nav_prev, nav_next, lang=lang),
        "crm_nav_bottom": _nav(f"{rel}index.html", nav_prev, nav_next, bottom=True, lang=lang),
        "crm_font_css": f"{rel}_static/{FONT_CSS}",
        "crm_font_vars": CJK_FONT_VARS,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if lang == "zh":  # notebooks/zh and exercises/zh are site/zh/notebooks and site/zh/exercises
        body = re.sub(r'href="\.\./\.\./(notebooks|exercises)/zh/', r'href="../\1/', body)
        # "../X.ipynb" from notebooks/zh is the English original: site/<section>/X.html
        section = out_html.parent.name
        body = re.sub(r'href="\.\./([^/"]+\.ipynb)', rf'href="../../{section}/\1', body)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(rewrite_links(body), encoding="utf-8")


INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title} (offline)</title>
<link rel="stylesheet" href="_static/{font_css}">
<style type="text/css">
body {{ font-family: "Noto Sans CJK SC", system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif;
  max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
h1 {{ font-size: 1.6em; }} li {{ margin: 0.3em 0; }} .sections {{ color: #555; font-size: 0.9em; }}
.note {{ background: #f5f5f5; padding: 0.6em 1em; border-radius: 6px; font-size: 0.9em; }}
.lang {{ float: right; font-size: 0.95em; }}
</style>
</head>
<body>
<main>
{switch}
<h1 id="index">{title}</h1>
<p class="note">{note}</p>
<h2>{chapters_word}</h2>
<ol start="0">
{chapters}
</ol>
{exercises}
</main>
</body>
</html>
"""


def build_site(
    out: Path | None = None,
    notebooks: Path = NOTEBOOKS,
    exercises: Path = EXERCISES,
    *,
    lang: str = "en",
    switch: str | None = None,
) -> Path:
    """Export every notebook in ``notebooks`` (and the student exercise copies) to ``out``.

    Returns the path of ``index.html``. Solutions (``exercises/solutions``) are never exported.
    ``lang`` is the language of the pages' own words; ``switch`` a link (relative to the index) to
    the index of the other language's edition, shown at the top right of the index page.
    """
    import nbformat

    words = WORDS[lang]
    out = Path(out or ROOT / "site").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("notebooks/*.html")) + list(out.glob("exercises/*.html")):
        old.unlink()
    copy_static(out)
    pages = sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
    ex_pages = sorted(p for p in Path(exercises).glob("[0-9][0-9]_*.ipynb") if not p.name.endswith(".new.ipynb"))
    books = [nbformat.read(p, as_version=4) for p in pages]
    titles = [title_of(nb) for nb in books]
    items = []
    for i, (path, nb) in enumerate(zip(pages, books)):
        prev = (f"{pages[i - 1].stem}.html", titles[i - 1]) if i > 0 else None
        nxt = (f"{pages[i + 1].stem}.html", titles[i + 1]) if i + 1 < len(pages) else None
        export_page(nb, out / "notebooks" / f"{path.stem}.html", out, prev, nxt, lang=lang)
        secs = sections_of(nb)
        sec_links = " · ".join(
            f'<a href="notebooks/{path.stem}.html#{html.escape(anchor_of(s))}">{html.escape(s)}</a>' for s in secs
        )
        items.append(
            f'<li><a href="notebooks/{path.stem}.html">{html.escape(titles[i])}</a>'
            + (f'<div class="sections">{sec_links}</div>' if secs else "")
            + "</li>"
        )
        print(f"[site] notebooks/{path.stem}.html", flush=True)
    ex_items = []
    for path in ex_pages:
        nb = nbformat.read(path, as_version=4)
        export_page(nb, out / "exercises" / f"{path.stem}.html", out, lang=lang)
        ex_items.append(f'<li><a href="exercises/{path.stem}.html">{html.escape(title_of(nb))}</a></li>')
        print(f"[site] exercises/{path.stem}.html", flush=True)
    ex_html = (
        (f"<h2>{words['exercises']}</h2>\n<p>{words['exercises_note']}</p>\n<ul>\n" + "\n".join(ex_items) + "\n</ul>")
        if ex_items
        else ""
    )
    index = out / "index.html"
    index.write_text(
        INDEX_TEMPLATE.format(
            chapters="\n".join(items),
            exercises=ex_html,
            font_css=FONT_CSS,
            lang="zh-CN" if lang == "zh" else lang,
            title=words["title"],
            note=words["note"],
            chapters_word=words["chapters"],
            switch=(
                f'<p class="lang"><a id="language-switch" hreflang="{words["other"][0]}" href="{switch}">'
                f"{words['other'][1]}</a></p>"
                if switch
                else ""
            ),
        ),
        encoding="utf-8",
    )
    pages_text = "".join(q.read_text(encoding="utf-8") for q in sorted(out.glob("**/*.html")))
    write_cjk_font(out / "_static" / "fonts", text=pages_text)  # only the Chinese characters the pages use
    print(f"[site] wrote {len(pages)} notebook pages and {len(ex_items)} exercise pages; open {index}")
    return index


# --------------------------------------------------------------------------- slides

SLIDE_W, SLIDE_H = 1280, 720  # the projector: every slide must fit this box without scrolling
SHORT_PARAGRAPH = 240  # characters: longer paragraphs go to the speaker notes only
SLIDE_CODE_TAG = "slide-code"  # show this code cell's source on the slide
SLIDE_SKIP_TAG = "slide-skip"  # leave this cell out of the slides (its prose still goes to the notes)

SLIDES_CSS = """
.reveal { font-family: "Noto Sans CJK SC", "Source Sans Pro", Helvetica, sans-serif; font-size: 26px; color: #222; }
.reveal h1, .reveal h2, .reveal h3, .reveal h4 { font-family: "Noto Sans CJK SC", "Source Sans Pro", Helvetica, sans-serif;
  text-transform: none; color: #1a3d5c; line-height: 1.15; margin: 0 0 0.45em 0; }
.reveal h1 { font-size: 56px; } .reveal h2 { font-size: 38px; } .reveal h3 { font-size: 30px; } .reveal h4 { font-size: 27px; }
.reveal .slides { text-align: left; }
.reveal .slides section.crm-slide { box-sizing: border-box; width: 1280px; padding: 26px 52px 20px 52px; }
.reveal p { margin: 0.35em 0; line-height: 1.3; }
.reveal ul, .reveal ol { display: block; margin: 0.3em 0 0.3em 1.1em; }
.reveal li { margin: 0.18em 0; line-height: 1.28; }
.reveal table { border-collapse: collapse; margin: 0.3em 0; font-size: 20px; }
.reveal table th, .reveal table td { border-bottom: 1px solid #ccc; padding: 0.18em 0.5em; text-align: left; vertical-align: top; }
.reveal table th { font-weight: 600; }
.reveal pre { box-shadow: none; width: auto; margin: 0.3em 0; font-size: 17px; line-height: 1.3;
  white-space: pre-wrap; word-break: break-word; overflow-wrap: anywhere; }
.reveal pre code { max-height: none; overflow: visible; padding: 0.4em 0.6em; white-space: pre-wrap; word-break: break-word; }
.reveal pre.crm-stream { background: #f6f6f6; padding: 0.4em 0.6em; border-left: 4px solid #9ab; }
.reveal .crm-code .highlight pre { background: #f4f6fa; padding: 0.4em 0.6em; border-left: 4px solid #1f77b4; }
.reveal img.crm-figure { display: block; max-width: 100%; max-height: 600px; width: auto; height: auto; margin: 0.2em 0; }
.reveal .crm-block { margin: 0 0 0.3em 0; }
.reveal .crm-block.crm-svg svg { max-width: 100%; max-height: 600px; height: auto; }
.reveal .crm-dashboard-link { border: 2px solid #1f77b4; border-radius: 10px; padding: 0.5em 0.9em; margin: 0.4em 0;
  background: #eef5fb; font-size: 24px; }
.reveal .crm-dashboard-link a { font-weight: 600; }
.reveal section.crm-title-slide { padding-top: 150px; }
.reveal section.crm-title-slide h1 { font-size: 58px; }
.reveal .crm-subtitle { font-size: 30px; color: #456; }
.reveal .crm-meta { font-size: 20px; color: #666; margin-top: 2.5em; }
.reveal .crm-lead { font-size: 0.95em; }
.reveal .crm-cont { color: #1a3d5c; }
.reveal .crm-cont .crm-part { color: #889; font-size: 0.6em; font-weight: normal; }
.reveal aside.notes { display: none; }
/* layout pass before reveal.js starts: every slide laid out at the projector's width */
.reveal.crm-measure .slides { position: relative !important; width: 1280px !important; height: auto !important;
  transform: none !important; zoom: 1 !important; }
.reveal.crm-measure .slides section { display: block !important; position: relative !important; height: auto !important;
  transform: none !important; opacity: 1 !important; top: auto !important; }
"""

# Lays every slide out at 1280 px, moves blocks that do not fit to continuation sub-slides (lists,
# tables and printed text split by items/rows/lines, figures scale down), then starts reveal.js.
FIT_JS = r"""
(function () {
  var W = __SLIDE_W__, H = __SLIDE_H__, MIN_ZOOM = 0.5;
  function fits(s) { return s.scrollHeight <= H + 0.5 && s.scrollWidth <= W + 0.5; }
  function blocksOf(s) { return Array.prototype.filter.call(s.children, function (c) { return c.classList.contains('crm-block'); }); }
  function newSlide(stack, title, after) {
    var s = document.createElement('section');
    s.className = 'crm-slide crm-continued';
    if (title) { var h = title.cloneNode(true); h.classList.add('crm-cont'); s.appendChild(h); }
    stack.insertBefore(s, after.nextSibling);
    return s;
  }
  function splitItems(b, cur, containerSel, itemSel, prepare) {
    // keep as many items as fit on `cur`, return a new block with the rest (or null)
    var box = b.querySelector(containerSel);
    if (!box) return null;
    var items = Array.prototype.slice.call(box.querySelectorAll(itemSel)).filter(function (i) { return i.parentElement === box; });
    if (items.length < 2) return null;
    var rest = [];
    while (!fits(cur) && items.length > 1) { var it = items.pop(); rest.unshift(it); it.remove(); }
    if (!rest.length) return null;
    var nb = b.cloneNode(true);
    nb.querySelectorAll('aside.notes').forEach(function (a) { a.remove(); });
    var nbox = nb.querySelector(containerSel);
    Array.prototype.slice.call(nbox.children).forEach(function (c) { if (c.matches(itemSel)) c.remove(); });
    rest.forEach(function (it) { nbox.appendChild(it); });
    if (prepare) prepare(box, nbox, items.length);
    return nb;
  }
  function splitPre(b, cur) {
    var pre = b.querySelector('pre');
    if (!pre || b.querySelector('img, table, ul, ol')) return null;
    var target = pre.querySelector('code') || pre;
    var lines = target.textContent.split('\n');
    if (lines.length < 4) return null;
    var keep = lines.length;
    while (keep > 2) { target.textContent = lines.slice(0, keep).join('\n'); if (fits(cur)) break; keep -= 1; }
    if (keep >= lines.length) return null;
    var nb = b.cloneNode(true);
    nb.querySelectorAll('aside.notes').forEach(function (a) { a.remove(); });
    var ntarget = nb.querySelector('pre code') || nb.querySelector('pre');
    ntarget.textContent = lines.slice(keep).join('\n');
    return nb;
  }
  function shrinkImages(b, cur) {
    var imgs = b.querySelectorAll('img, svg');
    if (!imgs.length) return false;
    for (var step = 0; step < 40 && !fits(cur); step++) {
      imgs.forEach(function (img) {
        var h = img.getBoundingClientRect().height;
        img.style.maxHeight = Math.max(120, Math.floor(h * 0.93)) + 'px';
        img.style.width = 'auto';
      });
    }
    return true;
  }
  function zoomToFit(b, cur) {
    var z = 1;
    while (!fits(cur) && z > MIN_ZOOM) { z = Math.round((z - 0.05) * 100) / 100; b.style.zoom = z; }
  }
  function fixWidth(b) {
    // wide tables or formulas: scale the block down to the slide's width
    b.style.zoom = '';
    var avail = b.clientWidth;
    if (b.scrollWidth > avail + 1) b.style.zoom = Math.max(MIN_ZOOM, Math.floor(100 * avail / b.scrollWidth) / 100);
  }
  function fitStack(stack) {
    var first = stack.querySelector('section');
    var title = first.querySelector(':scope > h2, :scope > h1');
    if (title && title.tagName === 'H2') {  // room for a "(2/3)" label while fitting; set or removed below
      var mark = document.createElement('span'); mark.className = 'crm-part'; mark.textContent = ' (88/88)';
      title.appendChild(mark);
    }
    var queue = blocksOf(first);
    queue.forEach(function (b) { b.remove(); });
    var cur = first, slides = [first];
    while (queue.length) {
      var b = queue.shift();
      cur.appendChild(b);
      fixWidth(b);
      if (fits(cur)) continue;
      if (blocksOf(cur).some(function (o) { return o !== b && o.offsetHeight > 0; })) {
        b.remove();
        cur = newSlide(stack, title, cur); slides.push(cur);
        cur.appendChild(b);
        fixWidth(b);
        if (fits(cur)) continue;
      }
      var rest = splitItems(b, cur, 'ul, ol', 'li', function (box, nbox, kept) {
        if (box.tagName === 'OL') nbox.setAttribute('start', (parseInt(box.getAttribute('start') || '1', 10) + kept));
      }) || splitItems(b, cur, 'tbody', 'tr') || splitPre(b, cur);
      if (rest) {
        queue.unshift(rest);
        if (!fits(cur)) zoomToFit(b, cur);  // a single item/row still too tall
        continue;
      }
      if (!shrinkImages(b, cur) || !fits(cur)) zoomToFit(b, cur);
    }
    slides.forEach(function (s, i) {
      var part = s.querySelector(':scope > h2 > .crm-part');
      if (!part) return;
      if (slides.length > 1) part.textContent = ' (' + (i + 1) + '/' + slides.length + ')'; else part.remove();
    });
  }
  function start() {
    var reveal = document.querySelector('.reveal');
    reveal.classList.add('crm-measure');
    document.querySelectorAll('.reveal .slides > section').forEach(fitStack);
    reveal.classList.remove('crm-measure');
    Reveal.initialize({width: W, height: H, margin: 0, minScale: 0.2, maxScale: 2.0, center: false,
                       controls: true, progress: true, hash: true, slideNumber: 'c/t', transition: 'none',
                       navigationMode: 'linear', plugins: [RevealNotes]}).then(function () {
      document.body.setAttribute('data-crm-fitted', 'true');
    });
  }
  function whenReady() {
    var waits = [];
    if (document.fonts && document.fonts.ready) waits.push(document.fonts.ready);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) waits.push(MathJax.startup.promise);
    Array.prototype.forEach.call(document.images, function (img) {
      waits.push(img.decode ? img.decode().catch(function () {}) : Promise.resolve());
    });
    return Promise.all(waits);
  }
  window.addEventListener('load', function () {
    // fonts used only by hidden slides load once laid out: measure twice, after the fonts arrived
    var reveal = document.querySelector('.reveal');
    reveal.classList.add('crm-measure');
    void reveal.offsetHeight;
    whenReady().then(function () { reveal.classList.remove('crm-measure'); return whenReady(); })
               .then(start, function (e) { console.error(e); start(); });
  });
}());
""".replace("__SLIDE_W__", str(SLIDE_W)).replace("__SLIDE_H__", str(SLIDE_H))


def _markdown_html(source: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


def _is_display_math(text: str) -> bool:
    t = text.strip()
    return (t.startswith("$$") and t.endswith("$$")) or t.startswith("\\[") or t.startswith("\\begin{")


def split_markdown(source: str) -> dict:
    """A Markdown cell as slide material.

    Returns ``{"h1", "h2"}`` (heading texts as HTML, or None), ``"blocks"`` (HTML fragments
    that go on the slide: lists, tables, display formulas, figures, sub-headings, short
    paragraphs, the bold lead-in of a long paragraph) and ``"notes"`` (the whole cell rendered,
    for the speaker notes).
    """
    from bs4 import BeautifulSoup, NavigableString

    full = _markdown_html(source)
    soup = BeautifulSoup(full, "html.parser")
    for a in soup.select("a.anchor-link"):
        a.decompose()
    out = {"h1": None, "h2": None, "blocks": [], "notes": str(soup), "dropped": []}
    for el in list(soup.contents):
        if isinstance(el, NavigableString):
            if el.strip():
                out["blocks"].append(f"<p>{html.escape(str(el).strip())}</p>")
            continue
        name = el.name
        text = el.get_text(" ", strip=True)
        if name == "h1" and out["h1"] is None:
            out["h1"] = el.decode_contents()
        elif name == "h2" and out["h2"] is None:
            out["h2"] = el.decode_contents()
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            out["blocks"].append(f"<h3>{el.decode_contents()}</h3>")
        elif name == "p":
            if _is_display_math(text) or len(text) <= SHORT_PARAGRAPH:
                out["blocks"].append(str(el))
            else:
                lead = el.find(["strong", "b"])
                first = next((c for c in el.contents if not (isinstance(c, NavigableString) and not c.strip())), None)
                if lead is not None and lead is first and len(lead.get_text()) <= 80:
                    out["blocks"].append(f'<p class="crm-lead">{lead}</p>')
                out["dropped"].append(str(el))
        elif name == "blockquote":
            (out["blocks"] if len(text) <= SHORT_PARAGRAPH else out["dropped"]).append(str(el))
        elif name == "hr":
            continue
        else:  # lists, tables, code, images, raw HTML
            out["blocks"].append(str(el))
    return out


def _pygments_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".reveal .crm-code .highlight")


def _code_html(source: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(source, PythonLexer(), HtmlFormatter(style="default"))


def _output_blocks(cell, dashboard_link: str | None, chapter_label: str, lang: str = "en") -> list[str]:
    """HTML blocks for the outputs of one code cell (a widget becomes a link to the dashboard)."""
    blocks = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            if out.get("name") == "stdout" and out.get("text", "").strip():
                blocks.append(f'<pre class="crm-stream">{html.escape(out["text"].rstrip())}</pre>')
            continue
        if kind not in ("display_data", "execute_result"):
            continue  # errors: only in cells tagged raises-exception, which the slides skip
        data = out.get("data", {})
        if WIDGET_VIEW in data:
            flag = " --lang zh" if lang == "zh" else ""
            if dashboard_link:
                link = (
                    f'<a href="{html.escape(dashboard_link)}" target="_blank" rel="noopener">'
                    f"{WORDS[lang]['dashboard']}</a>"
                )
            elif lang == "zh":
                link = f"用 <code>python3 suite.py dashboard {html.escape(chapter_label)}{flag}</code> 启动"
            else:
                link = f"start it with <code>python3 suite.py dashboard {html.escape(chapter_label)}</code>"
            if lang == "zh":
                text = f"<b>实时控件</b>：在本章的仪表板中拖动滑块 &mdash; {link}（会打开到本节）。"
            else:
                text = (
                    f"<b>Live widget</b>: move its sliders in the chapter&#8217;s dashboard &mdash; {link} "
                    "(it opens at this section)."
                )
            blocks.append(f'<div class="crm-dashboard-link">&#9654; {text}</div>')
        elif "image/png" in data or "image/jpeg" in data:
            mime = "image/png" if "image/png" in data else "image/jpeg"
            payload = data[mime].replace("\n", "") if isinstance(data[mime], str) else "".join(data[mime])
            blocks.append(f'<img class="crm-figure" alt="figure" src="data:{mime};base64,{payload}">')
        elif "image/svg+xml" in data:
            svg = data["image/svg+xml"]
            blocks.append(f'<div class="crm-svg-box">{svg if isinstance(svg, str) else "".join(svg)}</div>')
        elif "text/html" in data:
            blocks.append(f'<div class="crm-html">{data["text/html"]}</div>')
        elif "text/markdown" in data:
            blocks.append(_markdown_html(data["text/markdown"]))
        elif "text/latex" in data:
            blocks.append(f'<div class="crm-latex">{html.escape(data["text/latex"])}</div>')
        elif "text/plain" in data:
            blocks.append(f'<pre class="crm-stream">{html.escape(data["text/plain"])}</pre>')
    return blocks


def _block(content: str, cell_id: str, kind: str, notes: str | None = None) -> str:
    aside = f'<aside class="notes" data-cell-id="{html.escape(cell_id)}">{notes}</aside>' if notes else ""
    return f'<div class="crm-block crm-{kind}" data-cell-id="{html.escape(cell_id)}">{content}{aside}</div>'


def slide_sections(nb, dashboard_url: str | None, chapter_label: str, source_name: str, lang: str = "en") -> list[str]:
    """The reveal.js ``<section>`` stacks of a chapter: a title slide, then one stack per H2 section.

    Markdown goes to the slide as headings, lists, tables, formulas, figures and short paragraphs;
    every Markdown cell's full text goes to the speaker notes (``<aside class="notes">``). Code is
    shown only for cells tagged ``slide-code``; outputs (figures, tables, printed numbers) always,
    except for cells tagged ``slide-skip`` or ``raises-exception``. A widget output becomes a box
    linking to the dashboard at the same section (``#w-<cell id>``). Sections are split into
    sub-slides in the browser, where they can be measured (:data:`FIT_JS`).
    """
    title = html.escape(title_of(nb))
    stacks: list[dict] = []  # {"h2": html, "blocks": [...]}
    title_notes: list[tuple[str, str]] = []
    current = None
    for i, cell in enumerate(nb.cells):
        cid = cell.get("id") or f"cell-{i}"
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            md = split_markdown(cell.source)
            if md["h1"] is not None and not stacks and current is None:
                title = md["h1"]
                title_notes.append((cid, md["notes"]))
                if md["blocks"]:
                    current = {"h2": WORDS[lang]["overview"], "blocks": [], "visible": True, "fallback": None}
                    stacks.append(current)
                    current["blocks"] += [_block(b, cid, "md") for b in md["blocks"]]
                continue
            if md["h2"] is not None:
                current = {"h2": md["h2"], "blocks": [], "visible": False, "fallback": None}
                stacks.append(current)
            elif current is None:
                current = {"h2": WORDS[lang]["overview"], "blocks": [], "visible": False, "fallback": None}
                stacks.append(current)
            shown = md["blocks"] if SLIDE_SKIP_TAG not in tags else []
            # one block per element (the browser moves blocks to continuation slides); the notes
            # ride on the cell's first block
            current["blocks"] += [
                _block(b, cid, "md", notes=md["notes"] if k == 0 else None) for k, b in enumerate(shown or [""])
            ]
            current["visible"] |= bool(shown)
            if current["fallback"] is None and md["dropped"]:
                current["fallback"] = _block(md["dropped"][0], cid, "md")
            continue
        if cell.cell_type != "code" or SLIDE_SKIP_TAG in tags or "raises-exception" in tags:
            continue
        if current is None:
            current = {"h2": WORDS[lang]["overview"], "blocks": [], "visible": False, "fallback": None}
            stacks.append(current)
        link = f"{dashboard_url}#w-{cid}" if dashboard_url else None
        if SLIDE_CODE_TAG in tags and cell.source.strip():
            current["blocks"].append(_block(f'<div class="crm-code">{_code_html(cell.source)}</div>', cid, "code"))
            current["visible"] = True
        for out in _output_blocks(cell, link, chapter_label, lang):
            kind = "figure" if out.startswith("<img") else "widget" if "crm-dashboard-link" in out else "output"
            current["blocks"].append(_block(out, cid, kind))
            current["visible"] = True
    for st in stacks:  # a section whose prose all went to the notes shows its first paragraph
        if not st["visible"] and st["fallback"]:
            st["blocks"].insert(0, st["fallback"])
    dash = ""
    if dashboard_url:
        dash = (
            f'<p class="crm-meta"><a href="{html.escape(dashboard_url)}" target="_blank" rel="noopener">'
            f"&#9654; {WORDS[lang]['live_widgets']}</a></p>"
        )
    parts = [
        '<section class="crm-stack" data-crm-section="title"><section class="crm-slide crm-title-slide">'
        f"<h1>{title}</h1>"
        f'<p class="crm-subtitle">{WORDS[lang]["subtitle"]}</p>'
        f'<p class="crm-meta">{WORDS[lang]["slides_from"]} <code>{html.escape(source_name)}</code></p>{dash}'
        + "".join(f'<aside class="notes" data-cell-id="{html.escape(c)}">{n}</aside>' for c, n in title_notes)
        + "</section></section>"
    ]
    for st in stacks:
        parts.append(
            f'<section class="crm-stack"><section class="crm-slide"><h2>{st["h2"]}</h2>'
            + "".join(st["blocks"])
            + "</section></section>"
        )
    return parts


SLIDES_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<link rel="stylesheet" href="_static/{reveal}/dist/reveal.css">
<link rel="stylesheet" href="_static/{reveal}/dist/theme/white.css">
<link rel="stylesheet" href="_static/{font_css}">
<style type="text/css">
{css}
{pygments}
</style>
{mathjax}
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="_static/{reveal}/dist/reveal.js"></script>
<script src="_static/{reveal}/plugin/notes/notes.js"></script>
<script>{fit}</script>
</body>
</html>
"""


def build_slides(nb_path: Path, out_dir: Path, dashboard_url: str | None = None) -> Path:
    """Write ``<out_dir>/<stem>.slides.html`` (reveal.js, everything local) and return its path.

    The page needs only ``<out_dir>/_static`` (reveal.js, MathJax and the Chinese web font, a
    subset of Noto Sans CJK SC with the characters of these slides).
    """
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nb_path = Path(nb_path)
    nb = nbformat.read(nb_path, as_version=4)
    label = nb_path.stem[:2]
    lang = nb.metadata.get("crmlib", {}).get("language", "en")
    source = f"notebooks/{'zh/' if lang == 'zh' else ''}{nb_path.name}"
    sections = "\n".join(slide_sections(nb, dashboard_url, label, source, lang))
    mathjax = MATHJAX_BLOCK.replace("{{ resources.mathjax_url }}", f"_static/{STATIC['mathjax']}")
    page = SLIDES_PAGE.format(
        title=html.escape(re.sub(r"<[^>]+>", "", title_of(nb))),
        reveal=STATIC["reveal"],
        font_css=FONT_CSS,
        css=SLIDES_CSS,
        pygments=_pygments_css(),
        mathjax=mathjax,
        sections=sections,
        fit=FIT_JS,
        lang="zh-CN" if lang == "zh" else "en",
    )
    page = rewrite_links(page)
    static = out_dir / "_static"
    if not (static / STATIC["mathjax"]).is_file() or not (static / "VENDOR.md").is_file():
        copy_static(out_dir)
    out = out_dir / f"{nb_path.stem}.slides.html"
    out.write_text(page, encoding="utf-8")
    write_cjk_font(static / "fonts", text=_font_text(out_dir))
    return out


def _font_text(folder: Path) -> str:
    """Every character of the HTML pages in ``folder`` (the web font is subset to these)."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.html")))


# --------------------------------------------------------------------------- dashboard

VOILA_TEMPLATE = "crm"
DASHBOARD_DPI = 125  # figures are drawn sharper than in the notebook: the dashboard shows them wider

# Full width at 1920x1080, usable at 1280x720: controls in a column of about a third, the figure
# takes the rest and scales with the window; larger labels and readouts for a projector. Columns
# wrap under one another when the window is narrow.
DASHBOARD_CSS = """
body.jp-Notebook { margin: 0; }
#rendered_cells { padding: 0 2vw 4vh 2vw; }
#rendered_cells .jp-Cell { max-width: none; padding: 4px 0; }
.jp-RenderedHTMLCommon { font-size: 18px; }
.jp-RenderedHTMLCommon h1 { font-size: 30px; margin-top: 0.4em; }
.jp-RenderedHTMLCommon h2 { font-size: 25px; margin-top: 1.1em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.jp-OutputArea-output { width: 100%; }
.jupyter-widgets { --jp-widgets-font-size: 17px; --jp-widgets-inline-height: 34px; }
/* a widget whose figure is a direct child: controls and numbers left, the figure right */
.widget-vbox:has(> .widget-output):not(.widget-box .widget-vbox) {
  display: grid !important; grid-template-columns: minmax(400px, 34%) minmax(0, 1fr); column-gap: 2vw;
  align-items: start; width: 100% !important; }
.widget-vbox:has(> .widget-output):not(.widget-box .widget-vbox) > * { grid-column: 1; width: auto !important; }
.widget-vbox:has(> .widget-output):not(.widget-box .widget-vbox) > .widget-output { grid-column: 2; grid-row: 1 / span 40; }
/* the other layouts (figure inside a row): columns that grow, wrap when narrow */
.widget-vbox:not(.widget-box .widget-vbox) { width: 100% !important; }
.widget-hbox { flex-wrap: wrap; align-items: flex-start; column-gap: 2vw; width: 100% !important; }
.widget-hbox > .widget-vbox, .widget-hbox > .widget-box { flex: 1 1 400px; min-width: 400px; max-width: 36%; }
.widget-hbox > .widget-output { flex: 3 1 560px; min-width: 0; }
@media (max-width: 1100px) { .widget-hbox > .widget-vbox, .widget-hbox > .widget-box { max-width: none; } }
/* sliders fill their column; labels wide enough for their words, and readable */
.widget-slider, .widget-inline-hbox { width: 100% !important; max-width: 900px; }
.widget-hbox > .widget-slider, .widget-hbox > .widget-inline-hbox { flex: 1 1 380px; width: auto !important; }
.widget-slider > .widget-label, .widget-inline-hbox > .widget-label { width: 210px !important; min-width: 210px !important;
  max-width: 210px !important; font-size: 17px; white-space: normal; line-height: 1.15; overflow: visible;
  text-overflow: clip; height: auto; }
.widget-readout { font-size: 17px; min-width: 64px; }
.widget-label-basic, .widget-checkbox label, .widget-dropdown select, .widget-toggle-button { font-size: 17px; }
.widget-label-basic { overflow: visible !important; text-overflow: clip !important; white-space: normal !important;
  flex: 1 1 auto; max-width: none !important; height: auto !important; line-height: 1.2 !important; }
.widget-checkbox { height: auto !important; min-height: var(--jp-widgets-inline-height); align-items: center; }
.widget-html, .widget-htmlmath { width: 100% !important; max-width: 1400px; height: auto; }
.widget-html-content, .widget-htmlmath-content { font-size: 18px; line-height: 1.45; }
.widget-output { min-width: 0; width: 100% !important; }
.widget-output img { display: block; width: 100%; max-width: 1300px; height: auto; max-height: calc(100vh - 230px);
  object-fit: contain; object-position: left top; }
.widget-output .jp-OutputArea-output { overflow: visible; }
"""

# Voilà's "lab" template without its Font Awesome links to a CDN (the widgets' own icon font is
# bundled with Voilà), with the Chinese web font and the dashboard's style sheet, and a script
# that scrolls to the section named in the address (``#w-<cell id>``) once the widgets are shown.
VOILA_INDEX = """{%- extends 'lab/index.html.j2' -%}
{%- block notebook_css -%}
{%- filter replace('href="https://', 'data-offline-href="https://') -%}
{%- filter replace('href="http://', 'data-offline-href="http://') -%}
{{ super() }}
{%- endfilter -%}
{%- endfilter -%}
<link rel="stylesheet" href="{{ resources.base_url }}voila/static/noto-sans-cjk-sc.css" type="text/css" />
<link rel="stylesheet" href="{{ resources.base_url }}voila/static/crm-dashboard.css" type="text/css" />
{%- endblock notebook_css -%}
{% block footer_js %}
<script>
(function () {
  var id = decodeURIComponent(location.hash.slice(1)), t0 = Date.now(), done = 0;
  if (!id) return;
  var timer = setInterval(function () {
    var el = document.getElementById(id), cells = document.getElementById('rendered_cells');
    if (el && cells && cells.style.display !== 'none' && document.querySelector('.jupyter-widgets')) {
      el.scrollIntoView({block: 'start'});
      if (++done >= 4) clearInterval(timer);  // again while the widgets finish their layout
    }
    if (Date.now() - t0 > 180000) clearInterval(timer);
  }, 500);
}());
</script>
{% endblock footer_js %}
"""


def write_voila_template(root: Path) -> Path:
    """Write the ``crm`` Voilà template under ``root/voila/templates/crm`` (``root`` goes on JUPYTER_PATH)."""
    tpl = Path(root) / "voila" / "templates" / VOILA_TEMPLATE
    static = tpl / "static"
    static.mkdir(parents=True, exist_ok=True)
    (tpl / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    (tpl / "index.html.j2").write_text(VOILA_INDEX, encoding="utf-8")
    (static / "crm-dashboard.css").write_text(DASHBOARD_CSS + CJK_FONT_VARS, encoding="utf-8")
    write_cjk_font(static)
    return tpl


def widget_anchor(cell, index: int = 0) -> str:
    """The id of a widget's place in the dashboard (the slides link to ``#<this>``)."""
    return f"w-{cell.get('id') or f'cell-{index}'}"


def dashboard_notebook(nb_path: Path, out_dir: Path) -> Path:
    """A notebook for Voilà that runs the whole chapter quietly and shows only its widgets.

    Every code cell runs (under ``%%capture``) so the widgets get the state they depend on;
    cells tagged ``raises-exception`` are skipped; the title and the H2 headings of sections
    that hold a widget stay visible, each widget with an anchor ``w-<cell id>``. Figures are
    drawn at :data:`DASHBOARD_DPI`. The kernel's working directory is the chapter's folder.
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    new = nbformat.v4.new_notebook()
    new.metadata = {
        "kernelspec": nb.metadata.get(
            "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
        ),
        "language_info": nb.metadata.get("language_info", {"name": "python"}),
    }
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title_of(nb)}\n\n"
            + WORDS[nb.metadata.get("crmlib", {}).get("language", "en")]["dashboard_intro"].format(name=nb_path.name)
        )
    ]
    cells.append(nbformat.v4.new_code_cell(f"%%capture\nimport os\nos.chdir({str(nb_path.parent)!r})"))
    heading = None
    dpi_set = False
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            first = cell.source.lstrip().splitlines()[:1]
            if first and first[0].startswith("## "):
                heading = first[0]
            continue
        if cell.cell_type != "code" or "raises-exception" in tags:
            continue
        if is_widget_cell(cell):
            if not dpi_set:  # after the chapter's own set-up (plotting.use_style sets 100 dpi)
                cells.append(
                    nbformat.v4.new_code_cell(
                        f"%%capture\nimport matplotlib\nmatplotlib.rcParams['figure.dpi'] = {DASHBOARD_DPI}",
                        metadata={"tags": ["dashboard-style"]},
                    )
                )
                dpi_set = True
            anchor = f'<a id="{widget_anchor(cell, i)}"></a>'
            cells.append(nbformat.v4.new_markdown_cell(f"{anchor}\n\n{heading}" if heading else anchor))
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


def _descendants(pid: int) -> list:
    try:
        import psutil

        return psutil.Process(pid).children(recursive=True)
    except Exception:  # psutil missing or the process is gone
        return []


def stop(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a server we started, and everything it started (kernels), by PID.

    SIGTERM first (servers shut their kernels down), then SIGKILL to its process group and to any
    descendant still alive (a kernel can sit in a session of its own).
    """
    children = _descendants(proc.pid)
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
    for child in children:
        try:
            if child.is_running():
                child.kill()
                child.wait(5)
        except Exception:  # already gone
            pass


def python() -> str:
    return sys.executable


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def voila_command(nb: Path, port: int, token: str | None) -> list[str]:
    cmd = [
        python(),
        "-m",
        "voila",
        str(nb),
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--show_tracebacks=True",
        "--theme=light",
        # Voilà 0.5 + ipykernel 7 here: about one start in ten stalls at a widget cell (the
        # kernel still answers; a reply is lost). Bound the wait; reloading the page recovers.
        f"--VoilaExecutor.timeout={VOILA_CELL_TIMEOUT}",
        f"--template={VOILA_TEMPLATE}",
    ]
    if token:
        cmd.append(f"--Voila.token={token}")
    return cmd


def lab_command(root_dir: Path, port: int, token: str, settings_dir: Path, workspaces_dir: Path) -> list[str]:
    return [
        python(),
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={workspaces_dir}",
        "--LabApp.news_url=",
        "--LabApp.custom_css=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *_root_flag(),
    ]


LAB_SETTINGS = {
    # keep every cell in the DOM (tests find the main widget cell by its index)
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # no news/update toasts over the notebook
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


@contextmanager
def server(
    cmd: list[str], url: str, log: Path, timeout: float = 180.0, cwd: Path | None = None, env: dict | None = None
):
    """Run a server command in its own process group until ``url`` answers; stop it on exit."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True)
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
    write_lab_config(workdir / "config")  # the Chinese web font, as `suite.py lab` does
    port, token = free_port(), secrets.token_hex(16)
    cmd = lab_command(root, port, token, settings, workdir / "workspaces")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workdir / "config"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"))
    base = f"http://127.0.0.1:{port}"
    log = workdir / "lab.log"
    with server(cmd, f"{base}/api/status?token={token}", log, timeout, cwd=root, env=env) as proc:
        yield {"url": base, "token": token, "root": root, "proc": proc, "log": log}


@contextmanager
def dashboard_server(
    nb_path: Path, workdir: Path, port: int | None = None, token: str | None = "auto", timeout: float = 240.0
):
    """Voilà dashboard of one chapter on 127.0.0.1; yields a dict with ``url`` (incl. token) and ``proc``."""
    dash = dashboard_notebook(Path(nb_path), Path(workdir))
    port = port or free_port()
    token = secrets.token_hex(16) if token == "auto" else token
    query = f"?token={token}" if token else ""
    url = f"http://127.0.0.1:{port}/{query}"
    log = Path(workdir) / "voila.log"
    share = Path(workdir) / "share"
    write_voila_template(share)
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(Path(workdir) / "runtime"),
        JUPYTER_PATH=os.pathsep.join([str(share), *filter(None, [os.environ.get("JUPYTER_PATH")])]),
    )
    # Voilà answers / only after running the whole notebook: wait on its static files instead
    with server(
        voila_command(dash, port, token),
        f"http://127.0.0.1:{port}/voila/static/voila.js",
        log,
        timeout,
        cwd=dash.parent,
        env=env,
    ) as proc:
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


def _interrupt(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def install_stop_signals() -> None:
    """SIGTERM and SIGHUP stop the command like Ctrl+C: the ``with`` blocks then stop every server."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)


def _wait_forever(message: str) -> None:
    print(message, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\n[classroom] stopping ...", flush=True)


def cmd_lab_config(args) -> int:
    print(write_lab_config(Path(args.config_dir)))
    return 0


def cmd_site(args) -> int:
    """The English site in ``out``, and the Chinese edition in ``out/zh`` when it has been built."""
    out = Path(args.out).resolve() if args.out else ROOT / "site"
    zh_notebooks = NOTEBOOKS / "zh"
    has_zh = any(zh_notebooks.glob("[0-9][0-9]_*.ipynb"))
    build_site(out, switch="zh/index.html" if has_zh else None)
    if has_zh:
        build_site(out / "zh", zh_notebooks, EXERCISES / "zh", lang="zh", switch="../index.html")
    return 0


def _folder(lang: str) -> Path:
    """The chapter notebooks of a language: notebooks/ (English) or notebooks/zh (中文版)."""
    return NOTEBOOKS / "zh" if lang == "zh" else NOTEBOOKS


def cmd_dashboard(args) -> int:
    nb = find_notebook(args.chapter, _folder(args.lang))
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
    nb = find_notebook(args.chapter, _folder(args.lang))
    work = Path(tempfile.mkdtemp(prefix="crm-slides-"))
    out = Path(args.out).resolve() if args.out else ROOT / "build" / "slides"
    try:
        if args.no_dashboard:
            slides = build_slides(nb, out, None)
            dash_cm = None
        else:
            dash_cm = dashboard_server(nb, work, port=args.dashboard_port)
        with dash_cm if dash_cm is not None else _null() as dash:
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
    s.add_argument("--lang", choices=("en", "zh"), default="en", help="zh: the Chinese edition (notebooks/zh)")
    s.set_defaults(func=cmd_slides)
    s = sub.add_parser("lab-config", help="write JupyterLab's custom.css and the Chinese web font (suite.py lab)")
    s.add_argument("config_dir", help="the Jupyter config folder the Lab server runs with (JUPYTER_CONFIG_DIR)")
    s.set_defaults(func=cmd_lab_config)
    s = sub.add_parser("dashboard", help="serve a chapter's widgets as a Voilà dashboard")
    s.add_argument("chapter", help="chapter number (e.g. 03) or notebook path")
    s.add_argument("--port", type=int, default=DEFAULT_DASHBOARD_PORT)
    s.add_argument("--no-token", action="store_true", help="no access token (still 127.0.0.1 only)")
    s.add_argument("--no-browser", action="store_true")
    s.add_argument("--lang", choices=("en", "zh"), default="en", help="zh: the Chinese edition (notebooks/zh)")
    s.set_defaults(func=cmd_dashboard)
    args = p.parse_args(argv)
    install_stop_signals()
    try:
        return args.func(args)
    except KeyboardInterrupt:  # stopped while starting: the servers are already stopped
        print("\n[classroom] stopped", flush=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
