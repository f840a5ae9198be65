#!/usr/bin/env python3
"""Slider-to-output latency of each chapter's main widget, measured in a real browser.

    .venv/bin/python benchmarks/widget_latency.py [--moves 10] [--where lab,voila] [--lang en,zh] [NN ...]

For every chapter notebook (``notebooks/0[0-9]_*.ipynb``, or the chapters named; with ``--lang zh``
the Chinese edition in ``notebooks/zh``) it opens the
notebook in JupyterLab (a private server on 127.0.0.1 over copies of the notebooks, headless
Debian Chromium driven by Playwright), runs all cells, focuses the main slider (first slider of
the cell tagged ``main-widget``) and presses an arrow key ``--moves`` times (half right, then
back left). For each press a MutationObserver in the page records, from the keydown event:

* ``first``: the first change of a displayed number or figure (HTML/Label widgets, Output);
* ``last``:  the last change, i.e. the complete update (numbers *and* redrawn figure), taken
  once nothing has changed for 1 s.

It then does the same in the chapter's Voilà dashboard (``python3 suite.py dashboard NN``).
Goal (issue 9): median ``last`` below 200 ms on a 2-core machine. Prints a Markdown table and
writes ``benchmarks/results/widget_latency.json`` (gitignored).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import labdriver  # noqa: E402

classroom = labdriver.classroom
GOAL_MS = 200.0


def keys(moves: int) -> list[str]:
    half = moves // 2
    return ["ArrowRight"] * (moves - half) + ["ArrowLeft"] * half


def measure(page, root, moves: int) -> list[dict]:
    root.locator(".noUi-handle").first.wait_for(state="visible", timeout=120_000)
    labdriver.move_and_time(page, root)  # warm-up press (first draw caches fonts etc.), not counted
    page.wait_for_timeout(300)
    out = []
    for key in keys(moves):
        out.append(labdriver.move_and_time(page, root, key=key))
        page.wait_for_timeout(200)
    return out


def in_lab(browser, lab, nb_path: Path, moves: int) -> list[dict]:
    idx = labdriver.main_widget_index(labdriver.read(nb_path))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        labdriver.open_notebook(page, lab, nb_path.name)
        labdriver.run_all(page)
        return measure(page, labdriver.cell(page, idx).locator(".jp-Cell-outputWrapper"), moves)
    finally:
        context.close()
        labdriver.shutdown_kernels(lab)


def in_voila(browser, nb_path: Path, moves: int, work: Path) -> list[dict]:
    with classroom.dashboard_server(nb_path, work) as dash:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            return measure(page, labdriver.open_dashboard(page, dash), moves)
        finally:
            context.close()


def summary(samples: list[dict]) -> dict:
    first = [s["first"] for s in samples]
    last = [s["last"] for s in samples]
    return {
        "n": len(samples),
        "first_median_ms": statistics.median(first),
        "median_ms": statistics.median(last),
        "p90_ms": sorted(last)[max(0, int(0.9 * len(last)) - 1)],
        "max_ms": max(last),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*", help="chapter numbers (default: every chapter notebook)")
    p.add_argument("--moves", type=int, default=10)
    p.add_argument("--where", default="lab,voila", help="lab, voila or both (comma-separated)")
    p.add_argument("--lang", default="en", help="en, zh or both (comma-separated): which edition's notebooks")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "widget_latency.json"))
    args = p.parse_args(argv)
    editions = []
    for lang in [x.strip() for x in args.lang.split(",") if x.strip()]:
        if lang not in ("en", "zh"):
            p.error(f"--lang must be en, zh or en,zh; got {lang!r}")
        folder = classroom.NOTEBOOKS if lang == "en" else classroom.NOTEBOOKS / "zh"
        found = [classroom.find_notebook(c, folder) for c in args.chapters] or classroom.chapter_notebooks(folder)
        found = [c for c in found if labdriver.main_widget_index(labdriver.read(c)) is not None]
        editions += [(lang, found)] if found else []
    if not editions:
        print("no chapter notebook with a main-widget cell")
        return 1
    where = [w.strip() for w in args.where.split(",") if w.strip()]
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="crm-latency-") as tmp, sync_playwright() as pw:
        browser = labdriver.launch(pw)
        try:
            for lang, chapters in editions:
                prefix = "" if lang == "en" else f"{lang}/"
                if "lab" in where:
                    with classroom.lab_server(chapters, Path(tmp) / f"lab-{lang}") as lab:
                        for nb in chapters:
                            s = in_lab(browser, lab, nb, args.moves)
                            rows.append(
                                {"chapter": prefix + nb.stem, "where": "JupyterLab", **summary(s), "samples": s}
                            )
                            print(f"[latency] {rows[-1]['chapter']} JupyterLab: median {rows[-1]['median_ms']:.0f} ms")
                if "voila" in where:
                    for nb in chapters:
                        s = in_voila(browser, nb, args.moves, Path(tmp) / f"voila-{lang}-{nb.stem}")
                        rows.append({"chapter": prefix + nb.stem, "where": "Voilà", **summary(s), "samples": s})
                        print(
                            f"[latency] {rows[-1]['chapter']} Voilà: median {rows[-1]['median_ms']:.0f} ms", flush=True
                        )
        finally:
            browser.close()
    print()
    print(
        f"Main-widget latency, key press -> updated output, {args.moves} moves each "
        f"({platform.machine()}, {__import__('os').cpu_count()} cores, headless Chromium):"
    )
    print()
    print(
        "| chapter | where | first change, median (ms) | complete update, median (ms) | p90 (ms) | max (ms) | goal < 200 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---|")
    for r in rows:
        ok = "yes" if r["median_ms"] < GOAL_MS else "**no**"
        print(
            f"| {r['chapter']} | {r['where']} | {r['first_median_ms']:.0f} | {r['median_ms']:.0f} | "
            f"{r['p90_ms']:.0f} | {r['max_ms']:.0f} | {ok} |"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "moves": args.moves, "rows": rows}, indent=1
        ),
        encoding="utf-8",
    )
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
