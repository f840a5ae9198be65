"""The exercise notebooks and their generator (exercises/make_student.py).

* the authored solution notebooks follow the exercise conventions (STYLE.md section 6);
* the generated student copies hide solutions and instructor notes, keep the checks, and are
  fresh (``make_student.py --check`` exits 0 on the committed copies);
* generation is deterministic and idempotent, and never overwrites a copy a student changed;
* the student's own report runs a copy and never modifies the notebook.

Strict nbval runs the solution notebooks (every check passes) and the student copies (every
check reports "not attempted yet") through pytest's testpaths; these tests cover the rest.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = sorted((EXERCISES / "solutions").glob("[0-9][0-9]_*.ipynb"))


def _load_tool():
    spec = importlib.util.spec_from_file_location("crmlib_make_student", EXERCISES / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ms = _load_tool()


def _src(cell) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_is_an_exercise_notebook_for_every_chapter_notebook():
    chapters = {p.name for p in (ROOT / "notebooks").glob("0[1-9]_*.ipynb")}
    solutions = {p.name for p in SOLUTIONS}
    assert solutions, "no solution notebooks in exercises/solutions"
    assert chapters <= solutions, f"chapters without exercises: {sorted(chapters - solutions)}"


# ----------------------------------------------------------------------------- placeholders
def test_placeholders_keep_names_signatures_and_docstrings():
    src = ('import numpy as np\n'
           'fit = model(data)\n'
           'answer_3_1, answer_3_2 = fit.a, fit.b\n'
           'answer_3_1 += 0\n'
           'def value(margin, retention,\n'
           '          discount):\n'
           '    """Customer value (US$)."""\n'
           '    return margin * retention / (1 + discount - retention)\n'
           'letter = "b"\n'
           'essay = """A long answer."""\n'
           'fit.params\n')
    out = ms.placeholder_source(src)
    assert out == ('fit = ...  # your code here\n'
                   'answer_3_1 = ...  # your code here\n'
                   'answer_3_2 = ...  # your code here\n'
                   '\n'
                   'def value(margin, retention,\n'
                   '          discount):\n'
                   '    """Customer value (US$)."""\n'
                   '    return ...  # your code here\n'
                   '\n'
                   'letter = ...  # your answer here: the letter, in quotes\n'
                   'essay = ...  # your answer here, as text: """..."""')
    compile(out, "<placeholder>", "exec")
    assert ms.placeholder_source("print(1)") == "# your code here"


# ----------------------------------------------------------------------------- solution notebooks
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_notebook_structure(path):
    nb = nbformat.read(path, as_version=4)
    chapter = int(path.name[:2])
    exercises = [m for c in nb.cells if c.cell_type == "markdown"
                 for m in re.findall(rf"^### Exercise {chapter}\.(\d+) — \S", _src(c), re.M)]
    assert len(exercises) >= 5, f"{path.name} has {len(exercises)} exercises; at least 5 are required"
    assert exercises == [str(k) for k in range(1, len(exercises) + 1)], "exercises must be numbered 1, 2, ..."
    assert any(_src(c).startswith("## Review questions") for c in nb.cells if c.cell_type == "markdown")
    assert _src(nb.cells[0]).startswith(f"# Exercises — Chapter {chapter}:")
    assert f"--report exercises/{path.name}" in _src(nb.cells[0]), "the top cell explains the student's report"
    assert f"../notebooks/{path.name}" in _src(nb.cells[0]), "the top cell links the chapter notebook"
    kinds = {t for c in nb.cells for t in _tags(c)}
    assert {"solution", "check", "instructor"} <= kinds
    current, with_check = None, set()
    for cell in nb.cells:
        m = re.search(r"^### (Exercise \d+\.\d+)", _src(cell), re.M) if cell.cell_type == "markdown" else None
        if m:
            current = m.group(1)
        if "check" in _tags(cell):
            assert "crmlib" in _src(nb.cells[1]) or "checks" in _src(nb.cells[1])
            assert "checks.check_" in _src(cell), "a check cell calls a crmlib.checks helper"
            with_check.add(current)
    every = {f"Exercise {chapter}.{k}" for k in exercises}
    assert every <= with_check, f"exercises without a check cell: {sorted(every - with_check)}"
    text = json.dumps(nb.metadata)
    assert "widgets" not in nb.metadata, "saved widget state could leak answers"
    assert "/work/" not in text and "/tmp/" not in text


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_notebook_checks_all_pass_as_committed(path):
    statuses = [s for e in ms.collect(nbformat.read(path, as_version=4)) for s in e["statuses"]]
    assert statuses and all(s in ("passed", "answered") for s in statuses), statuses


# ----------------------------------------------------------------------------- student copies
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_student_copy_hides_solutions_and_instructor_notes(path):
    solution = nbformat.read(path, as_version=4)
    student = ms.build_student(solution, path.name)
    assert not [c for c in student.cells if {"solution", "instructor"} & set(_tags(c))]
    student_text = "\n".join(_src(c) for c in student.cells)
    for cell in solution.cells:
        if "instructor" in _tags(cell):
            assert _src(cell) not in student_text
        if "solution" in _tags(cell) and cell.cell_type == "code":
            for line in _src(cell).splitlines():
                if "=" in line and not line.lstrip().startswith(("def ", '"""', "#")) and len(line) > 25:
                    assert line not in student_text, f"solution line leaked: {line}"
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in student.cells if c.cell_type == "code")
    # every answer variable a check cell reads is defined by a placeholder
    defined = set(re.findall(r"^(\w+) = \.\.\.", student_text, re.M))
    for cell in student.cells:
        if "check" in _tags(cell):
            for name in re.findall(r"\b(answer_\w+)\b", _src(cell)):
                assert name in defined, f"{name} is checked but never defined in the student copy"


def test_generation_is_deterministic():
    for path in SOLUTIONS:
        solution = nbformat.read(path, as_version=4)
        a = nbformat.writes(ms.build_student(solution, path.name))
        b = nbformat.writes(ms.build_student(nbformat.read(path, as_version=4), path.name))
        assert a == b
        assert nbformat.writes(solution) == nbformat.writes(nbformat.read(path, as_version=4)), \
            "building a student copy must not change the solution notebook object"


def test_committed_student_copies_are_fresh():
    # the CI staleness check: exactly the documented command, on the committed files
    proc = subprocess.run([sys.executable, str(EXERCISES / "make_student.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_committed_student_copy_reports_not_attempted(path):
    student = nbformat.read(EXERCISES / path.name, as_version=4)
    statuses = [s for e in ms.collect(student) for s in e["statuses"]]
    assert statuses and set(statuses) == {"not attempted yet"}
    assert ms.is_pristine(student)


# ----------------------------------------------------------------------------- never lose work
@pytest.fixture()
def sandbox(tmp_path):
    """A copy of the first solution notebook in its own solutions folder, and an output folder."""
    sol_dir = tmp_path / "solutions"
    sol_dir.mkdir()
    solution = sol_dir / SOLUTIONS[0].name
    shutil.copyfile(SOLUTIONS[0], solution)
    out = tmp_path / "student"
    out.mkdir()
    return solution, out


def test_tampered_student_copy_is_not_overwritten(sandbox):
    solution, out = sandbox
    quiet = lambda *a: None
    assert ms.generate(solution, out, run=False, log=quiet)[0] == "written"
    target = out / solution.name
    # idempotent: a second run recognises its own unedited output and leaves it alone
    before = _sha(target)
    assert ms.generate(solution, out, run=False, log=quiet)[0] == "up to date"
    assert _sha(target) == before
    # a student types an answer
    nb = nbformat.read(target, as_version=4)
    answer_cell = next(c for c in nb.cells if "answer" in _tags(c))
    answer_cell.source = answer_cell.source.replace("...  # your code here", "0.91", 1)
    nbformat.write(nb, target)
    edited = _sha(target)
    messages = []
    status, written = ms.generate(solution, out, run=False, log=messages.append)
    assert status == "written beside" and written == out / (solution.stem + ".new.ipynb")
    assert _sha(target) == edited, "the student's notebook was modified"
    assert "was kept as it is" in messages[0] and written.name in messages[0]
    assert ms.is_pristine(nbformat.read(written, as_version=4))
    # the .new copy is regenerated freely; if the student edits that one too, nothing is written
    assert ms.generate(solution, out, run=False, log=quiet)[0] == "written beside"
    new_nb = nbformat.read(written, as_version=4)
    new_nb.cells[0].source += "\nmy notes"
    nbformat.write(new_nb, written)
    new_sha = _sha(written)
    assert ms.generate(solution, out, run=False, log=quiet)[0] == "refused"
    assert _sha(target) == edited and _sha(written) == new_sha


def test_a_foreign_file_without_hash_is_not_overwritten(sandbox):
    solution, out = sandbox
    target = out / solution.name
    target.write_text(json.dumps(nbformat.v4.new_notebook()), encoding="utf-8")
    before = _sha(target)
    assert ms.generate(solution, out, run=False, log=lambda *a: None)[0] == "written beside"
    assert _sha(target) == before


def test_staleness_check_detects_changes(sandbox):
    solution, out = sandbox
    quiet = lambda *a: None
    assert ms.check(out, solution.parent, log=quiet) == 1                 # missing
    ms.generate(solution, out, run=False, log=quiet)
    assert "was not executed (cell" in ms.stale_reasons(solution, out)[0]  # never executed
    nb = nbformat.read(solution, as_version=4)
    nb.cells[0].source += "\nA new sentence in the prompt."
    nbformat.write(nb, solution)
    assert "differs from what the solution notebook generates" in ms.stale_reasons(solution, out)


def test_executed_copy_is_fresh_and_the_report_never_modifies_it(sandbox, capsys):
    solution, out = sandbox
    ms.generate(solution, out, log=lambda *a: None)        # executes the copy with nbclient
    target = out / solution.name
    assert ms.stale_reasons(solution, out) == []
    before, mtime = _sha(target), target.stat().st_mtime_ns
    lines = []
    assert ms.report(target, log=lines.append) == 1        # nothing attempted yet
    assert _sha(target) == before and target.stat().st_mtime_ns == mtime
    text = "\n".join(lines)
    assert "your notebook was not changed" in text and "not attempted yet" in text
    assert re.search(r"0 of \d+ exercises done", text)
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    lines.clear()
    assert ms.report(solution, log=lines.append) == 0      # the solutions pass
    assert "passed" in "\n".join(lines)


def test_report_names_errors_in_a_students_code(sandbox):
    solution, out = sandbox
    ms.generate(solution, out, run=False, log=lambda *a: None)
    target = out / solution.name
    nb = nbformat.read(target, as_version=4)
    answer_cell = next(c for c in nb.cells if "answer" in _tags(c))
    answer_cell.source = "answer = 1 / 0"
    nbformat.write(nb, target)
    lines = []
    ms.report(target, log=lines.append)
    assert "ZeroDivisionError" in "\n".join(lines)
