"""Every Markdown cell renders as written, in JupyterLab, in the offline pages and on the slides.

For every notebook (chapters, the start page, exercise copies and solutions, any language
edition in a sub-folder of ``notebooks/`` or ``exercises/``) each Markdown cell is rendered by
the real renderer in Chromium and compared with its source (``rendercheck.problems``):

* no MathJax error in any formula;
* as many formulas on the page as math spans in the source (a dollar sign paired differently);
* no formula holding a run of more than four single italic letters (a sentence typeset as math:
  "50aweekatJack′ssupermarket");
* no dollar sign or raw TeX command left in the text;
* every word of the source outside formulas is on the page (nothing swallowed by math, Markdown
  or a TeX ``%`` comment).

A planted notebook with the failures the issue describes proves that the checks catch them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import labdriver
import nbformat
import pytest
import rendercheck

pytestmark = pytest.mark.browser

classroom = labdriver.classroom
ROOT = labdriver.ROOT
FOLDER = labdriver.notebook_dir()
ALL = sorted(
    p
    for p in [*FOLDER.glob("**/*.ipynb"), *(FOLDER.parent / "exercises").glob("**/*.ipynb")]
    if ".ipynb_checkpoints" not in p.parts and not p.name.endswith(".new.ipynb")
)
IDS = [str(p.relative_to(FOLDER.parent)) for p in ALL]
CHAPTERS = labdriver.notebook_paths()

PLANTED = [  # (source, any of these must be reported)
    ("He spends $50 a week at Jack's supermarket and $30 at Tom's.", ("italic letters in a row",)),
    (r"Spending falls from \$8,100.44 to \$3,721.30 after the change.", ("formulas rendered", "missing from the page")),
    ("The retention rate $r = 80% is what the firm keeps$ every year.", ("of its", "missing from the page")),
    (r"A broken formula $\frac{1}{$ here.", ("MathJax error", "dollar sign left")),
]
GOOD = "With margin $m$, retention $r$ and $$V = m \\sum_{t=0}^{T-1} \\Big(\\frac{r}{1+d}\\Big)^{t},$$ costs USD 50."


def _flat_name(path: Path) -> str:
    return str(path.relative_to(FOLDER.parent)).replace("/", "__").replace("\\", "__")


def _planted_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(src) for src, _ in PLANTED] + [nbformat.v4.new_markdown_cell(GOOD)]
    path = folder / "zz_planted.ipynb"
    nbformat.write(nb, path)
    return path


def _check(nb, rendered: dict, where: str) -> list[str]:
    bad = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        key = cell.get("id") or str(i)
        if key not in rendered:
            bad.append(f"{where} cell {i} ({key}): not on the page")
            continue
        bad += [f"{where} cell {i} ({key}): {p}" for p in rendercheck.problems(cell.source, rendered[key])]
    return bad


def _expect_planted(problems: list[str], where: str) -> None:
    for k, (_, expected) in enumerate(PLANTED):
        assert any(f"cell {k} " in p and any(e in p for e in expected) for p in problems), (
            f"{where}: the planted failure {k} ({expected}) was not reported: {problems}"
        )
    n = len(PLANTED)
    assert not [p for p in problems if f"cell {n} " in p], f"{where}: a correct cell was reported: {problems}"


# ----------------------------------------------------------------------------- JupyterLab


@pytest.fixture(scope="module")
def flat(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("flat")
    for p in ALL:
        shutil.copy2(p, folder / _flat_name(p))
    _planted_notebook(folder)
    return folder


@pytest.fixture(scope="module")
def lab(browser, flat, tmp_path_factory):
    with classroom.lab_server(sorted(flat.glob("*.ipynb")), tmp_path_factory.mktemp("lab-md")) as server:
        yield server


LAB_CELLS_JS = """(js) => { const f = eval(js);
  return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(c => {
    const m = c.querySelector('.jp-MarkdownOutput'); return m ? f(m) : null; }); }"""


def _render_in_lab(browser, lab, name: str, nb, artifacts) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{lab['url']}/lab/tree/notebooks/{name}?reset&token={lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
        labdriver.dismiss_toasts(page)
        want = sum(len(rendercheck.split_math(c.source)[1]) for c in nb.cells if c.cell_type == "markdown")
        try:  # formulas are typeset asynchronously; a failing page shows fewer, so do not insist
            page.wait_for_function(
                "(n) => document.querySelectorAll('.jp-MarkdownOutput mjx-container').length >= n",
                arg=want,
                timeout=30_000,
            )
        except Exception:
            pass
        page.wait_for_timeout(500)
        cells = page.evaluate(LAB_CELLS_JS, rendercheck.CELL_JS)
        assert len(cells) == len(nb.cells), f"{name}: {len(cells)} cells on the page, {len(nb.cells)} in the file"
        return {(c.get("id") or str(i)): r for i, (c, r) in enumerate(zip(nb.cells, cells)) if r is not None}
    except Exception:
        page.screenshot(path=str(artifacts / f"markdown_FAILED_lab_{labdriver.slug(name)}.png"))
        raise
    finally:
        context.close()


def test_planted_failures_are_caught_in_jupyterlab(browser, lab, flat, artifacts):
    nb = nbformat.read(flat / "zz_planted.ipynb", as_version=4)
    problems = _check(nb, _render_in_lab(browser, lab, "zz_planted.ipynb", nb, artifacts), "planted")
    _expect_planted(problems, "JupyterLab")


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_markdown_renders_as_written_in_jupyterlab(browser, lab, path, artifacts):
    nb = labdriver.read(path)
    problems = _check(nb, _render_in_lab(browser, lab, _flat_name(path), nb, artifacts), str(path.name))
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------- nbconvert pages (the site)


@pytest.fixture(scope="module")
def pages(flat, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    classroom.copy_static(out)
    for p in sorted(flat.glob("*.ipynb")):
        classroom.export_page(labdriver.read(p), out / "pages" / f"{p.stem}.html", out)
    return out


PAGE_CELLS_JS = """(js) => { const f = eval(js); const o = {};
  document.querySelectorAll('.jp-MarkdownCell').forEach(c => {
    o[c.id.replace('cell-id=', '')] = f(c.querySelector('.jp-RenderedMarkdown') || c); });
  return o; }"""


def _render_page(browser, html: Path, artifacts) -> dict:
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(html.as_uri())
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
        page.evaluate("() => MathJax.startup.promise")
        rendered = page.evaluate(PAGE_CELLS_JS, rendercheck.CELL_JS)
    except Exception:
        page.screenshot(path=str(artifacts / f"markdown_FAILED_page_{labdriver.slug(html.stem)}.png"))
        raise
    finally:
        context.close()
    assert errors == [], f"{html.name}: JavaScript errors {errors}"
    return rendered


def test_planted_failures_are_caught_in_the_offline_pages(browser, pages, flat, artifacts):
    nb = nbformat.read(flat / "zz_planted.ipynb", as_version=4)
    problems = _check(nb, _render_page(browser, pages / "pages" / "zz_planted.html", artifacts), "planted")
    _expect_planted(problems, "nbconvert HTML")


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_markdown_renders_as_written_in_the_offline_pages(browser, pages, path, artifacts):
    nb = labdriver.read(path)
    rendered = _render_page(browser, pages / "pages" / f"{Path(_flat_name(path)).stem}.html", artifacts)
    problems = _check(nb, rendered, path.name)
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------- slides

SLIDE_CELLS_JS = """(js) => { const f = eval(js); const o = {};
  document.querySelectorAll('aside.notes[data-cell-id]').forEach(a => { o[a.dataset.cellId] = f(a); });
  o.__slides__ = f(document.querySelector('.reveal .slides'));
  return o; }"""


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem[:2] for p in CHAPTERS])
def test_markdown_renders_as_written_on_the_slides(browser, nb_path, tmp_path, artifacts):
    """The speaker notes hold every Markdown cell in full; the slides' own formulas are checked too."""
    nb = labdriver.read(nb_path)
    out = classroom.build_slides(nb_path, tmp_path, "http://127.0.0.1:8866/?token=0")
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(out.as_uri())
        page.wait_for_selector("body[data-crm-fitted=true]", timeout=60_000)
        rendered = page.evaluate(SLIDE_CELLS_JS, rendercheck.CELL_JS)
    finally:
        context.close()
    slides = rendered.pop("__slides__")
    problems = _check(nb, rendered, nb_path.name)
    for f in slides["formulas"]:
        if f["error"] or f["maxRun"] > rendercheck.MAX_LETTER_RUN:
            problems.append(f"{nb_path.name} slides: formula problem {f}")
    if "$" in slides["prose"]:
        problems.append(f"{nb_path.name} slides: a dollar sign left in the text")
    assert problems == [], "\n".join(problems)
