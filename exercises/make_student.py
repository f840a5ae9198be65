#!/usr/bin/env python3
"""Student copies of the exercise notebooks: generate them, check they are fresh, report progress.

The authored notebooks are ``exercises/solutions/NN_topic.ipynb`` (solutions inside).
This repository tool (not part of crmlib's API) turns each into the student copy
``exercises/NN_topic.ipynb``. Run it with the project's environment::

    .venv/bin/python exercises/make_student.py            # regenerate every student copy
    .venv/bin/python exercises/make_student.py 03         # only chapter 03 (a prefix or a path)
    .venv/bin/python exercises/make_student.py --check    # exit 1 if a committed copy is stale
    .venv/bin/python exercises/make_student.py --report exercises/03_customer_lifetime_value.ipynb
    .venv/bin/python exercises/make_student.py --execute-solutions   # re-run the solution notebooks

What a student copy is (deterministic: the same solutions give the same bytes):

* cells tagged ``solution`` become placeholders that keep the names they define:
  ``answer_3_1 = ...  # your code here``; a function keeps its ``def`` line and
  docstring and gets the body ``return ...  # your code here``; a markdown cell
  tagged ``solution`` becomes "*Your answer here.*";
* cells tagged ``instructor`` are dropped;
* every other cell (prompts, scaffold, checks) is kept; outputs, execution counts,
  cell metadata other than tags, and saved widget state are cleared;
* the copy is executed (nbclient, 300 s per cell) so that it shows the checks'
  "not attempted yet" messages, and it records ``metadata.crmlib.generated_sha256``,
  a SHA-256 over its cells' types, sources and tags.

Students' work is never overwritten: before writing ``NN_topic.ipynb`` the tool
recomputes that hash of the existing file. If it differs from the recorded one (a
student typed into it) or is missing, the existing file stays as it is and the new
copy goes to ``NN_topic.new.ipynb`` beside it, with a message saying so. An unchanged
earlier copy whose sources are already current is left alone (use ``--force`` to
re-execute it anyway, e.g. after crmlib's messages changed).

``--check`` compares hashes only (no kernel, about a second): it exits 1 when a copy
is missing, was edited, was never executed, or differs from what the solutions would
generate. ``--report`` executes a *copy* of the given notebook in a temporary folder
(the kernel's working directory is the notebook's own folder, so relative paths
work) and prints which exercises pass; the notebook itself is never written.
"""
from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE / "solutions"
PLACEHOLDER = "...  # your code here"
MARKDOWN_PLACEHOLDER = "*Your answer here.*"
CELL_TIMEOUT = 300  # seconds per cell
STATUS_LINE = re.compile(r"^\[(passed|answered|not yet right|not attempted yet)\] (.+?): (.*)$")
EXERCISE_HEADING = re.compile(r"^###\s+(Exercise\s+\d+\.\d+\b.*?)\s*$", re.M)


# ------------------------------------------------------------------ placeholders
def _assigned_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _assigned_names(elt)]
    if isinstance(target, ast.Starred):
        return _assigned_names(target.value)
    return []  # attribute or subscript targets define no new name


def placeholder_source(source: str) -> str:
    """The student's version of a solution cell: the names it defines, each set to ``...``.

    >>> print(placeholder_source("fit = clv.fit_bg_nbd(f, r, T)\\nanswer_3_2 = fit.params['r']"))
    fit = ...  # your code here
    answer_3_2 = ...  # your code here
    >>> print(placeholder_source('def cv(m, r, d):\\n    "Value."\\n    return m * r / (1 + d - r)'))
    def cv(m, r, d):
        "Value."
        return ...  # your code here
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    out: list[str] = []
    seen: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            body0 = node.body[0]
            header = lines[start - 1: body0.lineno - 1]
            prefix = lines[body0.lineno - 1][: body0.col_offset]
            same_line = bool(prefix.strip())  # "def f(x): return x": the body shares the def's last line
            if same_line:
                header.append(prefix.rstrip())
            indent = " " * (node.col_offset + 4) if same_line else " " * body0.col_offset
            keep = list(header)
            if (isinstance(body0, ast.Expr) and isinstance(body0.value, ast.Constant)
                    and isinstance(body0.value.value, str) and not same_line):
                keep += lines[body0.lineno - 1: body0.end_lineno]
            keep.append(f"{indent}return {PLACEHOLDER}")
            if out:
                out.append("")
            out.extend(keep)
            seen.add(node.name)
            continue
        if isinstance(node, ast.Assign):
            names = [n for t in node.targets for n in _assigned_names(t)]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            names = _assigned_names(node.target)
        else:
            names = []
        value = getattr(node, "value", None)
        comment = PLACEHOLDER
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            comment = ("...  # your answer here: the letter, in quotes" if len(value.value.strip()) <= 3
                       else '...  # your answer here, as text: """..."""')
        for name in names:
            if name not in seen:
                seen.add(name)
                if out and out[-1].startswith(" ") or out and out[-1].startswith(")"):
                    out.append("")
                out.append(f"{name} = {comment}")
    return "\n".join(out) if out else "# your code here"


# ------------------------------------------------------------------ hashes
def _tags(cell) -> list[str]:
    return sorted(cell.get("metadata", {}).get("tags", []))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def content_hash(nb) -> str:
    """SHA-256 over what a student can change: each cell's type, source and tags (not outputs)."""
    payload = [[c["cell_type"], _source(c), _tags(c)] for c in nb["cells"]]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8")).hexdigest()


def recorded_hash(nb) -> str | None:
    return nb.get("metadata", {}).get("crmlib", {}).get("generated_sha256")


def is_pristine(nb) -> bool:
    """True when ``nb`` is an unedited output of this tool (its recorded hash matches its cells)."""
    recorded = recorded_hash(nb)
    return recorded is not None and recorded == content_hash(nb)


# ------------------------------------------------------------------ building
def build_student(solution_nb, solution_name: str):
    """The student copy of a solution notebook, not yet executed (a new object; the input is untouched)."""
    import nbformat

    student = nbformat.v4.new_notebook()
    meta = {k: copy.deepcopy(v) for k, v in solution_nb.get("metadata", {}).items()
            if k in ("kernelspec", "language_info")}
    student.metadata.update(meta)
    for i, cell in enumerate(solution_nb.cells):
        tags = _tags(cell)
        if "instructor" in tags:
            continue
        source = _source(cell)
        cell_id = cell.get("id") or f"cell-{i}"
        if "solution" in tags:
            if cell.cell_type == "code":
                new = nbformat.v4.new_code_cell(placeholder_source(source))
            else:
                new = nbformat.v4.new_markdown_cell(MARKDOWN_PLACEHOLDER)
            kept_tags = [t for t in tags if t != "solution"] + ["answer"]
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(source)
            kept_tags = tags
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(source)
            kept_tags = tags
        else:
            new = nbformat.v4.new_raw_cell(source)
            kept_tags = tags
        new["id"] = cell_id
        if kept_tags:
            new.metadata["tags"] = sorted(kept_tags)
        student.cells.append(new)
    student.metadata["crmlib"] = {
        "generated_from": f"solutions/{solution_name}",
        "generated_by": "exercises/make_student.py",
        "generated_sha256": content_hash(student),
        "note": "Generated copy; the hash lets the generator recognise an unedited copy. Edit freely: "
                "the generator will not overwrite a copy you have changed.",
    }
    return student


def execute(nb, cwd: Path, *, allow_errors: bool = False):
    """Execute ``nb`` in place in a fresh python3 kernel (no timings, no widget state stored)."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=allow_errors,
                            record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(cwd)}})
    # the kernel's own log lines (e.g. jupyter_client's transport notice) would only confuse students
    client.execute(stderr=subprocess.DEVNULL)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def _write(nb, path: Path) -> None:
    import nbformat

    fd, tmp = tempfile.mkstemp(suffix=".ipynb", dir=path.parent)
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(HERE.parent))
    except ValueError:
        return str(path)


def generate(solution: Path, out_dir: Path = HERE, *, run: bool = True, force: bool = False,
             log=print) -> tuple[str, Path | None]:
    """Write the student copy of ``solution`` into ``out_dir``, never overwriting a student's edits.

    Returns ``(status, path)`` with status ``"written"``, ``"up to date"``, ``"written beside"``
    (the existing copy was edited; the new one went to ``NN_topic.new.ipynb``) or ``"refused"``
    (both the copy and an earlier ``.new.ipynb`` were edited; nothing written).
    """
    import nbformat

    solution = Path(solution)
    out_dir = Path(out_dir)
    student = build_student(nbformat.read(solution, as_version=4), solution.name)
    wanted = recorded_hash(student)
    target = out_dir / solution.name
    if target.exists():
        existing = nbformat.read(target, as_version=4)
        if not is_pristine(existing):
            beside = target.with_name(target.stem + ".new.ipynb")
            if beside.exists() and not is_pristine(nbformat.read(beside, as_version=4)):
                log(f"{_rel(target)} and {_rel(beside)} were both changed by hand; nothing written. "
                    f"Rename one of them and run again.")
                return "refused", None
            if run:
                execute(student, out_dir)
            _write(student, beside)
            log(f"{_rel(target)} has been changed since it was generated, so it was kept as it is. "
                f"The new version is in {_rel(beside)}.")
            return "written beside", beside
        if recorded_hash(existing) == wanted and not force:
            log(f"{_rel(target)} is up to date.")
            return "up to date", target
    if run:
        execute(student, out_dir)
    _write(student, target)
    log(f"wrote {_rel(target)}")
    return "written", target


def solutions(selection: list[str] | None = None, solutions_dir: Path = SOLUTIONS) -> list[Path]:
    paths = sorted(p for p in Path(solutions_dir).glob("[0-9][0-9]_*.ipynb"))
    if selection:
        chosen = [p for p in paths if any(p.name.startswith(Path(s).name.split(".")[0]) or
                                          Path(s).resolve() == p.resolve() for s in selection)]
        if not chosen:
            raise SystemExit(f"no solution notebook matches {selection}; have {[p.name for p in paths]}")
        return chosen
    return paths


# ------------------------------------------------------------------ freshness
def stale_reasons(solution: Path, out_dir: Path = HERE) -> list[str]:
    """Why the committed student copy of ``solution`` is stale (an empty list: it is fresh). No kernel."""
    import nbformat

    target = Path(out_dir) / Path(solution).name
    if not target.exists():
        return ["missing"]
    student = build_student(nbformat.read(solution, as_version=4), Path(solution).name)
    existing = nbformat.read(target, as_version=4)
    reasons = []
    if recorded_hash(existing) is None:
        reasons.append("has no generator hash (not made by this tool)")
    elif not is_pristine(existing):
        reasons.append("was edited after it was generated")
    if content_hash(existing) != recorded_hash(student):
        reasons.append("differs from what the solution notebook generates")
    unrun = [i for i, c in enumerate(existing.cells)
             if c.cell_type == "code" and _source(c).strip() and c.get("execution_count") is None]
    if unrun:
        reasons.append(f"was not executed (cell {unrun[0]} has no execution count)")
    return reasons


def check(out_dir: Path = HERE, solutions_dir: Path = SOLUTIONS, log=print) -> int:
    stale = 0
    sols = solutions(solutions_dir=solutions_dir)
    for sol in sols:
        reasons = stale_reasons(sol, out_dir)
        target = Path(out_dir) / sol.name
        if reasons:
            stale += 1
            log(f"STALE {_rel(target)}: {'; '.join(reasons)}")
        else:
            log(f"fresh {_rel(target)}")
    names = {s.name for s in sols}
    for orphan in sorted(Path(out_dir).glob("[0-9][0-9]_*.ipynb")):
        if orphan.name not in names and not orphan.name.endswith(".new.ipynb"):
            stale += 1
            log(f"STALE {_rel(orphan)}: no solution notebook solutions/{orphan.name}")
    if stale:
        log(f"{stale} student cop{'y is' if stale == 1 else 'ies are'} stale: run "
            f"`python exercises/make_student.py` and commit the result.")
    return 1 if stale else 0


# ------------------------------------------------------------------ the student's report
def collect(nb) -> list[dict]:
    """Per exercise (H3 'Exercise N.k' heading): the statuses its check cells printed, and errors."""
    exercises: list[dict] = []
    current = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            m = EXERCISE_HEADING.search(_source(cell))
            if m:
                current = {"title": m.group(1), "statuses": [], "errors": []}
                exercises.append(current)
            continue
        if cell.cell_type != "code" or current is None:
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                for line in "".join(out.get("text", "")).splitlines():
                    m = STATUS_LINE.match(line)
                    if m:
                        current["statuses"].append(m.group(1))
                        current.setdefault("checks", []).append((m.group(2), m.group(1)))
            elif out.get("output_type") == "error":
                first = next((ln.strip() for ln in _source(cell).splitlines() if ln.strip()), "")
                first = first if len(first) <= 50 else first[:47] + "..."
                current["errors"].append(f"{out.get('ename')}: {out.get('evalue', '')} "
                                         f"(in the cell starting `{first}`)")
    return exercises


def _overall(ex: dict) -> str:
    st = ex["statuses"]
    if ex["errors"]:
        return "error"
    if not st:
        return "no check"
    if all(s in ("passed", "answered") for s in st):
        return "passed" if "passed" in st else "answered"
    if "not yet right" in st:
        return "not yet right"
    if all(s == "not attempted yet" for s in st):
        return "not attempted yet"
    return "partly done"


def report(notebook: Path, log=print) -> int:
    """Execute a temporary copy of ``notebook`` and print which exercises pass. Returns 0 when all do."""
    import nbformat

    notebook = Path(notebook).resolve()
    if not notebook.exists():
        log(f"no such notebook: {notebook}")
        return 2
    with tempfile.TemporaryDirectory(prefix="crmlib-report-") as tmp:
        work = Path(tmp) / notebook.name
        shutil.copyfile(notebook, work)
        nb = nbformat.read(work, as_version=4)
        execute(nb, notebook.parent, allow_errors=True)
        nbformat.write(nb, work)  # the executed copy stays in the temporary folder only
    exercises = [e for e in collect(nb) if _overall(e) != "no check"]
    rows = [(e["title"], _overall(e), e["errors"]) for e in exercises]
    log(f"Report for {notebook.name} (a copy was executed; your notebook was not changed)\n")
    width = max((len(s) for _, s, _ in rows), default=10)
    for ex, (title, status, errors) in zip(exercises, rows):
        log(f"  {status:<{width}}  {title}")
        parts = ex.get("checks", [])
        if len(parts) > 1 and status not in ("passed", "answered", "not attempted yet"):
            log(f"  {'':<{width}}    " + "; ".join(f"{name}: {st}" for name, st in parts))
        for err in errors[:1]:
            log(f"  {'':<{width}}    {err}")
    counts = {s: sum(1 for _, st, _ in rows if st == s) for s in
              ("passed", "answered", "not yet right", "partly done", "not attempted yet", "error")}
    done = counts["passed"] + counts["answered"]
    parts = [f"{n} {s}" for s, n in counts.items() if n and s not in ("passed", "answered")]
    log(f"\n{done} of {len(rows)} exercises done" + (f"; {', '.join(parts)}." if parts else "."))
    if parts:
        log("Run an exercise's check cell in the notebook to see what was expected and a hint.")
    return 0 if rows and done == len(rows) else 1


# ------------------------------------------------------------------ command line
def execute_solutions(selection: list[str] | None = None, log=print) -> int:
    """Re-execute the solution notebooks in place (after editing one), without timings or widget state."""
    import nbformat

    for sol in solutions(selection):
        nb = nbformat.read(sol, as_version=4)
        execute(nb, sol.parent)
        _write(nb, sol)
        log(f"executed {_rel(sol)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("chapters", nargs="*", help="solution notebooks or chapter prefixes (default: all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when a committed student copy is stale")
    mode.add_argument("--report", metavar="NOTEBOOK", type=Path,
                      help="run a copy of NOTEBOOK and print which exercises pass")
    mode.add_argument("--execute-solutions", action="store_true",
                      help="re-execute the solution notebooks in place")
    parser.add_argument("--force", action="store_true",
                        help="re-execute and rewrite unedited copies even when their sources are current")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if args.report is not None:
        return report(args.report)
    if args.execute_solutions:
        return execute_solutions(args.chapters)
    results = [generate(sol, force=args.force)[0] for sol in solutions(args.chapters)]
    return 1 if "refused" in results else 0


if __name__ == "__main__":
    sys.exit(main())
