"""The lecturer's grader (tools/grade.py, ``python3 suite.py grade``) on a class of chapter 3 submissions.

One folder holds five students: a correct notebook, a wrong one, one with an endless loop, one
with invalid JSON (merge-conflict markers) and one whose check cells were edited (a fake
"[passed]") and deleted. The grader must write the expected CSV and one feedback file per
student, within the stated time limit, without modifying any submission.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "03_customer_lifetime_value.ipynb"
CELL_TIMEOUT = 15  # seconds per cell in this test (the loop costs one of them)
TIME_LIMIT = 240  # seconds for grading the five submissions on the 2-core machine (measured: about 60)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


grader = _load("crmlib_grade", ROOT / "tools" / "grade.py")
ms = grader.ms

IDS = ["3.1a", "3.1b", "3.1c", "3.2a", "3.2b", "3.3", "3.4a", "3.4b", "3.5a", "3.5b", "3.6a", "3.6b"]
CHINESE = "失去史密斯太太的代价是她的预期终身利润，而不是一篮子商品。先问清楚她为什么不满意，再改进并跟进。"


def _student(edits: dict[str, str | None] | None = None):
    """The student copy with every answer cell filled in as in the solutions, then ``edits``
    (cell id -> new source, or None to delete the cell)."""
    solution = nbformat.read(SOLUTION, as_version=4)
    answers = {c.id: c.source for c in solution.cells if "solution" in c.metadata.get("tags", [])}
    nb = ms.build_student(solution, SOLUTION.name)
    for cell in nb.cells:
        if cell.id in answers:
            cell.source = answers[cell.id]
    for cell_id, source in (edits or {}).items():
        cell = next(c for c in nb.cells if c.id == cell_id)
        if source is None:
            nb.cells.remove(cell)
        else:
            cell.source = source
    return nb


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs = base / "submissions"
    subs.mkdir()
    nbformat.write(_student(), subs / "ana.ipynb")  # correct
    (subs / "bo").mkdir()
    nbformat.write(
        _student(
            {  # wrong
                "ex03-004": "answer_3_1a = 50 * 52\n"
                "answer_3_1b = answer_3_1a * 0.90 / (1 + 0.08 - 0.90)\n"
                "answer_3_1c = sum(answer_3_1a / 1.08 ** t for t in range(1, 21))",
                "ex03-008": "def value_over(margin, retention_rate, discount_rate, periods):\n"
                "    return sum(margin * retention_rate ** t / (1 + discount_rate) ** t for t in range(periods))\n"
                "\nanswer_3_2b = value_over(650, 0.90, 0.08, 10)",
                "ex03-018": "sbg = clv.fit_sbg(survivors)\nanswer_3_4a = float(sbg.project_survivors(12).iloc[-1])\n"
                "answer_3_4b = 'a'",
                "ex03-027": "value = lambda r: 650 * r / (1 + 0.08 - r)\nanswer_3_6a = value(0.95) / value(0.90)\n"
                "answer_3_6b = (70 - 50) * 52 * 0.25 * 0.90 / (1 + 0.08 - 0.90)",
                "ex03-029": f'answer_3_6c = """{CHINESE}"""',
            }
        ),
        subs / "bo" / "03_customer_lifetime_value.ipynb",
    )
    loop = _student()
    cell = next(c for c in loop.cells if c.id == "ex03-008")
    cell.source = "while True:\n    pass\n\n" + cell.source  # endless loop
    nbformat.write(loop, subs / "chen.ipynb")
    text = nbformat.writes(_student()).splitlines()  # merge conflict
    text[40:40] = ["<<<<<<< HEAD", '   "answer_3_1a = 650",', "=======", '   "answer_3_1a = 600",', ">>>>>>> theirs"]
    (subs / "dai.ipynb").write_text("\n".join(text) + "\n", encoding="utf-8")
    (subs / "eve").mkdir()
    nbformat.write(
        _student(
            {  # check cells edited
                "ex03-004": "answer_3_1a = 50 * 0.25\nanswer_3_1b = 650 * 0.90 / (1 + 0.08 - 0.90)\n"
                "answer_3_1c = sum(650 / 1.08 ** t for t in range(1, 21))",
                "ex03-005": 'print("[passed] Exercise 3.1a: 650 USD per year is right (within 0.5% of the reference).")',
                "ex03-014": None,
            }
        ),
        subs / "eve" / "03_customer_lifetime_value.ipynb",
    )
    (subs / "eve" / ".ipynb_checkpoints").mkdir()  # ignored
    (subs / "eve" / ".ipynb_checkpoints" / "03_customer_lifetime_value-checkpoint.ipynb").write_text("{}")
    nbformat.write(_student(), subs / "ana.new.ipynb")  # ignored
    before = {p: _sha(p) for p in subs.rglob("*") if p.is_file()}
    out = base / "grades"
    start = time.monotonic()
    # what `python3 suite.py grade SUBS --out OUT --timeout 15` runs in the project's environment
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "grade.py"),
            str(subs),
            "--out",
            str(out),
            "--timeout",
            str(CELL_TIMEOUT),
        ],
        capture_output=True,
        text=True,
        cwd=base,
        timeout=TIME_LIMIT + 60,
    )
    elapsed = time.monotonic() - start
    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    after = {p: _sha(p) for p in subs.rglob("*") if p.is_file()}
    return {"proc": proc, "elapsed": elapsed, "rows": rows, "out": out, "before": before, "after": after, "subs": subs}


def _points(row) -> list[str]:
    return [row[i] for i in IDS]


def test_grade_writes_the_expected_csv_within_the_time_limit(graded):
    proc, rows = graded["proc"], graded["rows"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert graded["elapsed"] < TIME_LIMIT, f"grading took {graded['elapsed']:.0f} s"
    assert sorted(rows) == ["ana", "bo", "chen", "dai", "eve"]
    header = list(rows["ana"])
    assert header == ["student", *IDS, "total", "out_of", "3.6c length", "3.6c words", "3.6c characters", "notes"]
    expected = {  # student: points per exercise (IDS order), total
        "ana": (["1"] * 12, "12"),
        "bo": (["0", "0", "0", "0", "0", "1", "1", "0", "1", "1", "0", "1"], "5"),
        "chen": (["1", "1", "1", "0", "0", "1", "1", "1", "1", "1", "1", "1"], "10"),
        "dai": (["0"] * 12, "0"),
        "eve": (["0"] + ["1"] * 11, "11"),
    }
    for student, (points, total) in expected.items():
        assert _points(rows[student]) == points, (student, rows[student])
        assert rows[student]["total"] == total and rows[student]["out_of"] == "12"
    # written answers: lengths for marking by hand, English words and 汉字 on one scale
    assert rows["ana"]["3.6c words"] == "122" and rows["ana"]["3.6c characters"] == "0"
    assert rows["ana"]["3.6c length"] == "122.0"
    n = len([ch for ch in CHINESE if "\u4e00" <= ch <= "\u9fff"])
    assert rows["bo"]["3.6c characters"] == str(n) and rows["bo"]["3.6c words"] == "0"
    assert rows["bo"]["3.6c length"] == f"{n / 1.5:.1f}"
    assert rows["dai"]["3.6c length"] == ""
    # reasons, not crashes
    assert rows["ana"]["notes"] == ""
    assert "stopped at the 15 s limit" in rows["chen"]["notes"] and "3.2a, 3.2b" in rows["chen"]["notes"]
    assert "merge-conflict markers" in rows["dai"]["notes"]
    assert "check cell of Exercise 3.1 was edited" in rows["eve"]["notes"]
    assert "check cell of Exercise 3.3 was deleted" in rows["eve"]["notes"]


def test_submissions_are_never_modified_and_junk_is_ignored(graded):
    assert graded["before"] == graded["after"]
    assert sorted(p.name for p in graded["subs"].rglob("*") if p.is_file()) == sorted(p.name for p in graded["before"])
    assert "ana.new" not in graded["rows"]


def test_one_feedback_file_per_student_with_hints_and_reasons(graded):
    feedback = graded["out"] / "feedback"
    assert sorted(p.name for p in feedback.iterdir()) == ["ana.md", "bo.md", "chen.md", "dai.md", "eve.md"]
    bo = (feedback / "bo.md").read_text(encoding="utf-8")
    assert "**Points: 5 of 12**" in bo
    assert "range(periods)" in bo  # the specific hint of the slip bo made in 3.2
    assert "ratio minus 1" in bo  # and in 3.6a
    assert "650" not in bo.split("## Exercise 3.1a")[1].split("##")[0].replace("650 USD", "")  # no reference
    chen = (feedback / "chen.md").read_text(encoding="utf-8")
    assert "Not graded: its cell (starting `while True:`) was stopped at the time limit" in chen
    eve = (feedback / "eve.md").read_text(encoding="utf-8")
    assert "[not yet right] Exercise 3.1a" in eve and "52 weeks" in eve
    assert "not a readable notebook" in (feedback / "dai.md").read_text(encoding="utf-8")


def test_the_grader_refuses_what_it_cannot_do(tmp_path):
    lines = []
    assert grader.grade(tmp_path / "missing", log=lines.append) == 2
    (tmp_path / "subs").mkdir()
    assert grader.grade(tmp_path / "subs", log=lines.append) == 2 and "no submissions" in lines[-1]
    nbformat.write(_student(), tmp_path / "subs" / "x.ipynb")
    assert grader.grade(tmp_path / "subs", tmp_path / "subs" / "out", log=lines.append) == 2
    assert "inside the submissions folder" in lines[-1]
    assert grader.grade(tmp_path / "subs", chapter=99, log=lines.append) == 2 and "no exercise registry" in lines[-1]


def test_submission_layouts(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "work").mkdir()
    (tmp_path / "b" / "work" / "mine.ipynb").write_text("{}")
    (tmp_path / "c").mkdir()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.ipynb").write_text("{}")
    (tmp_path / "d" / "y.ipynb").write_text("{}")
    (tmp_path / ".hidden.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    subs = {s.student: s for s in grader.find_submissions(tmp_path)}
    assert sorted(subs) == ["a", "b", "c", "d"]
    assert subs["a"].path.name == "a.ipynb" and subs["b"].path.name == "mine.ipynb"
    assert "no notebook" in subs["c"].problem and "several notebooks" in subs["d"].problem


def test_suite_grade_and_check_run_the_tools_from_the_callers_folder(monkeypatch, tmp_path):
    suite = _load("crmlib_suite", ROOT / "suite.py")
    calls = []
    monkeypatch.setattr(suite, "ensure_env", lambda: Path(sys.executable))
    monkeypatch.setattr(suite.subprocess, "call", lambda cmd, **kw: calls.append((cmd, kw)) or 0)
    assert suite.main(["grade", "subs", "--timeout", "30"]) == 0
    assert suite.main(["check", "exercises/03_customer_lifetime_value.ipynb"]) == 0
    (grade_cmd, grade_kw), (check_cmd, check_kw) = calls
    assert grade_cmd[1:] == [str(ROOT / "tools" / "grade.py"), "subs", "--timeout", "30"] and "cwd" not in grade_kw
    assert (
        check_cmd[1:]
        == [str(ROOT / "exercises" / "make_student.py"), "--report", "exercises/03_customer_lifetime_value.ipynb"]
        and "cwd" not in check_kw
    )


def test_answers_come_out_of_the_kernel_as_values_never_as_code():
    import pickle

    import numpy as np
    import pandas as pd

    answers = [
        1.5,
        np.float64(0.46),
        np.arange(3),
        "b",
        ["trust", "commitment"],
        ...,
        pd.Series([0.43, 0.03], index=["Month-to-month", "Two year"], name="churn_rate"),
        pd.DataFrame({"p": [0.5, 0.5]}, index=pd.Index(["trust", "weakening"], name="from")),
    ]
    for value in answers:
        back = grader._loads(pickle.dumps(value))
        assert back is ... if value is ... else repr(back) == repr(value)
    for refused in (eval, print):
        with pytest.raises(pickle.UnpicklingError):
            grader._loads(pickle.dumps(refused))
    # a student's function is replayed from what it returned or raised on each test input
    replay = grader._stand_in(
        [("ok", pickle.dumps(2.0)), ("error", "ZeroDivisionError", "division by zero"), ("timeout", 10.0)]
    )
    assert replay(1) == 2.0
    with pytest.raises(Exception, match="division by zero") as err:
        replay(2)
    assert type(err.value).__name__ == "ZeroDivisionError"
    with pytest.raises(TimeoutError, match="10 s"):
        replay(3)
