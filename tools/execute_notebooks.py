#!/usr/bin/env python3
"""Prepare and execute committed notebooks in place, the way strict nbval expects them.

    python tools/execute_notebooks.py notebooks/01_satisfaction_trap.ipynb [...]
    python tools/execute_notebooks.py --all          # every notebook in notebooks/

For each notebook it
1. sets the slideshow metadata: the title cell and every markdown cell that opens with an
   H2 heading start a new slide; other cells continue the slide ("-");
2. sets the kernelspec to ``python3``;
3. executes the notebook top to bottom in a fresh kernel (timeout 300 s per cell), with
   the notebook's folder as working directory, storing widget state so that exported HTML
   shows the widgets;
4. writes it back with sorted keys and a final newline (stable diffs).
Run it with the project's environment (``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def set_slides(nb) -> None:
    for i, cell in enumerate(nb.cells):
        src = cell.source.lstrip()
        starts = i == 0 or (cell.cell_type == "markdown" and src.startswith("## "))
        cell.metadata["slideshow"] = {"slide_type": "slide" if starts else "-"}


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    set_slides(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None) if not nb.metadata.get("widgets") else None
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="every notebook in notebooks/")
    args = parser.parse_args(argv)
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) if args.all else [p.resolve() for p in args.paths]
    if not paths:
        parser.error("name at least one notebook, or --all")
    for path in paths:
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
