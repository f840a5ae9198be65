#!/usr/bin/env python3
"""Grade a class's exercise notebooks in one command (for lecturers).

    python3 suite.py grade SUBMISSIONS_DIR [--out DIR] [--timeout S] [--chapter NN]

``SUBMISSIONS_DIR`` holds one submission per student, either as a file or as a folder:

    submissions/
        chen_wei.ipynb                  student "chen_wei" (the file name without .ipynb)
        li_na/                          student "li_na" (the folder's name) ...
            03_customer_lifetime_value.ipynb    ... with one notebook inside (any name)

Hidden files, ``.ipynb_checkpoints`` and ``*.new.ipynb`` are ignored. Every submission is the
student copy of one chapter's exercise notebook; the chapter is read from the notebooks (their
``metadata.crmlib.generated_from`` or a ``NN_`` file name) or given with ``--chapter``.

For each submission the grader

1. copies it into a fresh temporary folder (the submission itself is only read, never written);
2. runs the copy in a fresh kernel whose working directory is that folder, with a time limit per
   cell (``--timeout``, default 60 s; a cell over it is interrupted and the run goes on), a limit
   for the whole notebook (``--total-timeout``, default 600 s) and an output limit (``--max-output``);
3. reads every answer variable of the chapter's registry (``crmlib/checks/chNN.py``) out of the
   kernel and checks it *in the grader's own process* against the registry: what the notebook's
   check cells printed is ignored, so editing or deleting a check cell gains nothing;
4. gives each passed exercise its points (1 by default; a registry entry may say otherwise) and
   records the length of written answers for marking by hand.

It writes ``DIR/grades.csv`` (one row per student: one column of points per exercise, ``total``
and ``out_of``, then ``<id> length``, ``<id> words`` and ``<id> characters`` per written answer
(length = English words + 汉字 / 1.5), and ``notes``) and ``DIR/feedback/<student>.md`` (each
exercise's check message with its hint, the reasons for any zero, and the written answers'
checklists). ``DIR`` defaults to ``SUBMISSIONS_DIR-grades`` beside the submissions folder.

The feedback follows each notebook's language (中文版: ``metadata.crmlib.language == "zh"`` or an
``i18n.set_language("zh")`` cell): a Chinese submission's check messages, hints, reasons and
headings are Chinese (its check cells are compared with ``exercises/solutions/zh``); the columns of
grades.csv stay English, and its ``language`` is noted per student only in the feedback.

A broken notebook (invalid JSON, merge-conflict markers), an endless loop, an error, a deleted
answer cell or a kernel that dies gives zero for what could not be graded, with the reason in
``notes`` and in the feedback, never a crash. The grader runs the students' code with your
permissions: it is not a sandbox (see docs/GRADING.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import io
import math
import pickle
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "exercises" / "solutions"
RESULTS_FILE = "crmlib_grader_answers.pickle"
FUNCTION_CALL_TIMEOUT = 10.0  # seconds per call of a student's function on one test input


def _load_make_student():
    spec = importlib.util.spec_from_file_location("crmlib_make_student", ROOT / "exercises" / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("crmlib_make_student", module)
    spec.loader.exec_module(module)
    return sys.modules["crmlib_make_student"]


ms = _load_make_student()

#: The Chinese of the grader's own texts in a student's feedback (the check messages come from crmlib).
ZH = {
    "no notebook (.ipynb) in the folder": "文件夹中没有笔记本（.ipynb）",
    "several notebooks in the folder ({names}); keep one": "文件夹中有多个笔记本（{names}）；请只保留一个",
    "the check cell of {heading} was {what} (answers were checked anyway)": "{heading}的检查单元格被{what}了（答案照样检查了）",
    "an exercise": "某道练习",
    "edited": "修改",
    "deleted": "删除",
    "{variable} is not defined: was its answer cell deleted?": "{variable} 没有定义：它的答案单元格被删除了吗？",
    "its cell (starting `{first}`) was stopped at the time limit (an endless loop?)": "它所在的单元格（以 `{first}` 开头）因超时被停止了（是不是死循环？）",
    "its cell (starting `{first}`) raised {error}": "它所在的单元格（以 `{first}` 开头）报错：{error}",
    "its cell (starting `{first}`) was not run: the run stopped earlier": "它所在的单元格（以 `{first}` 开头）没有运行：运行在此之前就结束了",
    "{variable} is not defined after running the notebook": "运行笔记本之后，{variable} 仍然没有定义",
    "not a readable notebook ({problem})": "不是可读的笔记本（{problem}）",
    "; ask for a repaired copy": "；请对方提交修复后的副本",
    "this looks like chapter {found}'s notebook, not chapter {chapter}'s": "这看起来是第 {found} 章的笔记本，而不是第 {chapter} 章的",
    "{count} cell(s) stopped at the {timeout:g} s limit": "{count} 个单元格在 {timeout:g} 秒的时限处被停止",
    "the run stopped early: {why}": "运行提前结束了：{why}",
    "{count} cell(s) raised an error": "{count} 个单元格报错",
    "output beyond {limit:,} bytes was dropped": "超过 {limit:,} 字节的输出被丢弃了",
    "the answers could not be read: the run did not reach its end": "无法读取答案：运行没有到达笔记本末尾",
    "the submission file changed while it was being graded (by someone else)": "评分过程中提交的文件被（别人）改动了",
    "{variable} could not be read: {why}": "无法读取 {variable}：{why}",
    "{variable} is not a number, text, array or table: {why}": "{variable} 不是数、文本、数组或表：{why}",
    "checking it raised {error}": "检查它时出错：{error}",
    "not attempted": "尚未作答",
    "the grader could not grade it ({error})": "评分程序无法评分（{error}）",
    "it ran longer than {seconds:g} s on this input (an endless loop?)": "它在这组输入上运行超过了 {seconds:g} 秒（是不是死循环？）",
    # the feedback file
    "# Feedback for {student}: exercises of chapter {chapter}": "# {student} 的反馈：第 {chapter} 章练习",
    "Submission: `{name}`": "提交的文件：`{name}`",
    "**Points: {points} of {out_of}** (written answers are marked by hand; each cell could run for {timeout:g} s).": "**得分：{points} / {out_of}**（书面回答由老师人工评分；每个单元格最多可运行 {timeout:g} 秒）。",
    "Notes:": "备注：",
    "## Exercise {id}: written answer (marked by hand)": "## 练习 {id}：书面回答（人工评分）",
    "## Exercise {id}: {points} of {out_of}": "## 练习 {id}：{points} / {out_of}",
    "Not graded: {reason}.": "未评分：{reason}。",
    "Note: {reason}.": "备注：{reason}。",
    "Length: {length}.": "长度：{length}。",
    "Why: {explanation}": "原因：{explanation}",
}


def tr(text: str, lang: str = "en") -> str:
    """``text`` in ``lang`` (the grader's texts here, the report's in make_student)."""
    if lang != "zh":
        return text
    return ZH.get(text) or ms.ZH.get(text) or text


# ----------------------------------------------------------------------------- finding submissions
@dataclass
class Submission:
    student: str
    path: Path | None
    problem: str | None = None


def _visible(p: Path) -> bool:
    return not p.name.startswith(".") and p.name != "__pycache__"


def _notebooks(folder: Path) -> list[Path]:
    """The notebooks in a student's folder (any depth), without hidden folders, checkpoints and .new copies."""
    out = []
    for p in folder.rglob("*.ipynb"):
        parts = p.relative_to(folder).parts
        if (
            p.is_file()
            and not p.name.endswith(".new.ipynb")
            and not any(q.startswith(".") or q == "__pycache__" for q in parts)
        ):
            out.append(p)
    return sorted(out)


def find_submissions(folder: Path) -> list[Submission]:
    """One submission per student: ``NAME.ipynb`` or ``NAME/<one notebook>`` (see the module docstring)."""
    subs = []
    for entry in sorted(Path(folder).iterdir()):
        if not _visible(entry):
            continue
        if entry.is_file() and entry.suffix == ".ipynb" and not entry.name.endswith(".new.ipynb"):
            subs.append(Submission(entry.stem, entry))
        elif entry.is_dir() and entry.name != ".ipynb_checkpoints":
            found = _notebooks(entry)
            if len(found) > 1:
                preferred = [p for p in found if re.match(r"\d\d_", p.name)]
                found = preferred if len(preferred) == 1 else found
            if not found:
                subs.append(Submission(entry.name, None, "no notebook (.ipynb) in the folder"))
            elif len(found) > 1:
                names = ", ".join(str(p.relative_to(entry)) for p in found)
                subs.append(Submission(entry.name, None, f"several notebooks in the folder ({names}); keep one"))
            else:
                subs.append(Submission(entry.name, found[0]))
    return subs


def _chapter_of(nb, path: Path) -> int | None:
    source = nb.get("metadata", {}).get("crmlib", {}).get("generated_from", "")
    m = re.search(r"(\d\d)_[^/]*\.ipynb$", str(source)) or re.match(r"(\d\d)_", path.name)
    return int(m.group(1)) if m else None


# ----------------------------------------------------------------------------- reading answers out
_EXTRACT = """\
def __crmlib_grader_extract(names, functions, path, per_call):
    import pickle, signal
    found = {}
    space = globals()

    class _Slow(BaseException):
        pass

    def _alarm(signum, frame):
        raise _Slow()

    for name in names:
        if name not in space:
            found[name] = ("missing",)
            continue
        value = space[name]
        if name in functions and callable(value):
            calls = []
            for args, kwargs in functions[name]:
                use_alarm = hasattr(signal, "setitimer")
                if use_alarm:
                    old = signal.signal(signal.SIGALRM, _alarm)
                    signal.setitimer(signal.ITIMER_REAL, per_call)
                try:
                    result = value(*args, **kwargs)
                    calls.append(("ok", pickle.dumps(result)))
                except _Slow:
                    calls.append(("timeout", per_call))
                except Exception as exc:
                    calls.append(("error", type(exc).__name__, str(exc)[:300]))
                finally:
                    if use_alarm:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                        signal.signal(signal.SIGALRM, old)
            found[name] = ("function", calls)
            continue
        try:
            found[name] = ("value", pickle.dumps(value))
        except Exception as exc:
            found[name] = ("unreadable", f"{type(exc).__name__}: {exc}"[:300])
    with open(path, "wb") as f:
        pickle.dump(found, f)


__crmlib_grader_extract(__NAMES__, __FUNCTIONS__, __PATH__, __PER_CALL__)
del __crmlib_grader_extract
"""

_SAFE_BUILTINS = {
    "complex",
    "set",
    "frozenset",
    "slice",
    "range",
    "bytearray",
    "bytes",
    "list",
    "dict",
    "tuple",
    "str",
    "int",
    "float",
    "bool",
    "object",
    "Ellipsis",
    "NotImplemented",
}


class _Unpickler(pickle.Unpickler):
    """Unpickles numbers, text, containers, numpy, pandas (and pyarrow-backed) objects only (a student's own classes
    and anything that could run code when loaded are refused)."""

    def find_class(self, module, name):
        top = module.split(".")[0]
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module == "copyreg" and name == "_reconstructor":
            return super().find_class(module, name)
        if top in ("numpy", "pandas", "pyarrow") and "testing" not in module:
            return super().find_class(module, name)
        if top in ("datetime", "collections", "decimal", "fractions", "zoneinfo"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a value the grader reads")


def _loads(data: bytes):
    return _Unpickler(io.BytesIO(data)).load()


def _stand_in(calls: list, lang: str = "en"):
    """A function that replays what the student's function returned (or raised) on each test input."""
    replies = iter(calls)

    def replay(*args, **kwargs):
        kind, *rest = next(replies)
        if kind == "ok":
            return _loads(rest[0])
        if kind == "timeout":
            raise TimeoutError(
                tr("it ran longer than {seconds:g} s on this input (an endless loop?)", lang).format(seconds=rest[0])
            )
        raise type(rest[0], (Exception,), {})(rest[1])

    return replay


# ----------------------------------------------------------------------------- grading one notebook
@dataclass
class Graded:
    status: str  # passed, answered, not yet right, not attempted yet, not graded
    points: float
    message: str
    reason: str = ""


@dataclass
class StudentResult:
    student: str
    source: str
    exercises: dict[str, Graded] = field(default_factory=dict)
    lengths: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    language: str = "en"  # the notebook's language: its feedback is written in it


def _exercise_of_cells(nb) -> list[str | None]:
    """For each cell, the 'Exercise N.k' heading it falls under (None before the first)."""
    out, current = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^###\s+((?:Exercise|练习)\s*\d+\.\d+)", ms._source(cell), re.M)
            current = m.group(1) if m else current
        out.append(current)
    return out


def _audit_check_cells(nb, chapter: int, lang: str = "en") -> list[str]:
    """Notes on check cells that differ from the generated student copy (edited, deleted)."""
    folder = SOLUTIONS / lang if lang != "en" and (SOLUTIONS / lang).is_dir() else SOLUTIONS
    sols = sorted(folder.glob(f"{chapter:02d}_*.ipynb"))
    if not sols:
        return []
    try:
        expected = ms.build_student(ms.read_notebook(sols[0]), sols[0].name)
    except ms.NotebookError:
        return []
    headings = _exercise_of_cells(expected)
    have = {c.get("id"): ms._source(c) for c in nb.cells}
    have_sources = {ms._source(c).strip() for c in nb.cells}
    notes = []
    for cell, heading in zip(expected.cells, headings):
        if "check" not in cell.metadata.get("tags", []):
            continue
        src = ms._source(cell)
        if have.get(cell.get("id")) == src or src.strip() in have_sources:
            continue
        what = tr("edited" if cell.get("id") in have else "deleted", lang)
        notes.append(
            tr("the check cell of {heading} was {what} (answers were checked anyway)", lang).format(
                heading=heading or tr("an exercise", lang), what=what
            )
        )
    return notes


def _assigning_cell(nb, variable: str):
    pattern = re.compile(rf"^\s*(?:def\s+{re.escape(variable)}\b|{re.escape(variable)}\s*[:+]?=)", re.M)
    hits = [c for c in nb.cells if c.cell_type == "code" and pattern.search(ms._source(c))]
    return hits[-1] if hits else None


def _why_missing(nb, variable: str, lang: str = "en") -> str:
    cell = _assigning_cell(nb, variable)
    if cell is None:
        return tr("{variable} is not defined: was its answer cell deleted?", lang).format(variable=variable)
    state = cell.metadata.get("crmlib_run")
    first = ms._first_line(cell)
    if state == "timed out":
        return tr("its cell (starting `{first}`) was stopped at the time limit (an endless loop?)", lang).format(
            first=first
        )
    if state == "error":
        err = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), {})
        error = f"{err.get('ename', 'an error')}: {err.get('evalue', '')}".rstrip(": ")
        if lang == "en":  # unchanged English wording: "raised NameError: ..."
            return f"its cell (starting `{first}`) raised {error}"
        return tr("its cell (starting `{first}`) raised {error}", lang).format(first=first, error=error)
    if state == "not run":
        return tr("its cell (starting `{first}`) was not run: the run stopped earlier", lang).format(first=first)
    return tr("{variable} is not defined after running the notebook", lang).format(variable=variable)


def _not_graded(entries, reason: str) -> dict[str, Graded]:
    return {i: Graded("not graded", 0.0, "", reason) for i in entries}


def grade_one(sub: Submission, chapter: int, *, timeout: float, total_timeout: float, max_output: int) -> StudentResult:
    """Grade one submission; never raises for a fault of the submission."""
    from crmlib import checks, i18n
    from crmlib.checks import registry, written_length

    entries = registry.registry(chapter)
    result = StudentResult(sub.student, str(sub.path) if sub.path else "")
    if sub.problem:
        result.exercises = _not_graded(entries, sub.problem)
        result.notes.append(sub.problem)
        return result
    before = hashlib.sha256(sub.path.read_bytes()).hexdigest()
    with tempfile.TemporaryDirectory(prefix="crmlib-grade-") as tmp:
        work = Path(tmp) / sub.path.name
        shutil.copyfile(sub.path, work)
        try:
            nb = ms.read_notebook(work)
        except ms.NotebookError as exc:
            lang = "zh" if "zh" in sub.path.parts else "en"
            result.language = lang
            reason = tr("not a readable notebook ({problem})", lang).format(problem=exc.problem)
            result.exercises = _not_graded(entries, reason)
            result.notes.append(reason + tr("; ask for a repaired copy", lang))
            return result
        lang = result.language = ms.notebook_language(nb)
        found_chapter = _chapter_of(nb, sub.path)
        if found_chapter is not None and found_chapter != chapter:
            result.notes.append(
                tr("this looks like chapter {found}'s notebook, not chapter {chapter}'s", lang).format(
                    found=found_chapter, chapter=chapter
                )
            )
        result.notes += _audit_check_cells(nb, chapter, lang)
        functions = {
            e.variable: [((), dict(c)) if isinstance(c, dict) else (tuple(c), {}) for c in e.cases]
            for e in entries.values()
            if e.kind == "function"
        }
        names = sorted({e.variable for e in entries.values()})
        answers_path = Path(tmp) / RESULTS_FILE
        import nbformat

        code = (
            _EXTRACT.replace("__NAMES__", repr(names))
            .replace("__FUNCTIONS__", repr(functions))
            .replace("__PATH__", repr(str(answers_path)))
            .replace("__PER_CALL__", repr(FUNCTION_CALL_TIMEOUT))
        )
        nb.cells.append(nbformat.v4.new_code_cell(code))
        run = ms.run_notebook(
            nb, Path(tmp), cell_timeout=timeout, total_timeout=total_timeout, max_output_bytes=max_output, lang=lang
        )
        nb.cells.pop()
        if run["timed_out"]:
            n = len(run["timed_out"])
            result.notes.append(
                f"{n} cell{'s' if n > 1 else ''} stopped at the {timeout:g} s limit"
                if lang == "en"
                else tr("{count} cell(s) stopped at the {timeout:g} s limit", lang).format(count=n, timeout=timeout)
            )
        if run["stopped"]:
            result.notes.append(tr("the run stopped early: {why}", lang).format(why=run["stopped"]))
        errors = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("crmlib_run") == "error"]
        if errors:
            n = len(errors)
            result.notes.append(
                f"{n} cell{'s' if n > 1 else ''} raised an error"
                if lang == "en"
                else tr("{count} cell(s) raised an error", lang).format(count=n)
            )
        if run["truncated"]:
            result.notes.append(tr("output beyond {limit:,} bytes was dropped", lang).format(limit=max_output))
        try:
            with open(answers_path, "rb") as f:
                found = pickle.load(f)  # a plain dict of tags and bytes, written by the grader's own code
        except (OSError, EOFError, pickle.UnpicklingError):
            reason = tr("the answers could not be read: the run did not reach its end", lang) + (
                f" ({run['stopped']})" if run["stopped"] else ""
            )
            result.exercises = _not_graded(entries, reason)
            return result
    if hashlib.sha256(sub.path.read_bytes()).hexdigest() != before:  # pragma: no cover - a guard, never expected
        result.notes.append(tr("the submission file changed while it was being graded (by someone else)", lang))
    for ex_id, entry in entries.items():
        item = found.get(entry.variable, ("missing",))
        kind = item[0]
        if kind == "missing":
            result.exercises[ex_id] = Graded("not graded", 0.0, "", _why_missing(nb, entry.variable, lang))
            continue
        if kind == "unreadable":
            result.exercises[ex_id] = Graded(
                "not graded",
                0.0,
                "",
                tr("{variable} could not be read: {why}", lang).format(variable=entry.variable, why=item[1]),
            )
            continue
        try:
            answer = _stand_in(item[1], lang) if kind == "function" else _loads(item[1])
        except Exception as exc:  # noqa: BLE001 - an answer of a kind the grader does not read
            result.exercises[ex_id] = Graded(
                "not graded",
                0.0,
                "",
                tr("{variable} is not a number, text, array or table: {why}", lang).format(
                    variable=entry.variable, why=exc
                ),
            )
            continue
        try:
            with i18n.language(lang):  # the check's message, hint and explanation in the notebook's language
                checked = checks.exercise(ex_id, answer, echo=False)
        except Exception as exc:  # noqa: BLE001 - e.g. an answer object whose methods raise
            result.exercises[ex_id] = Graded(
                "not graded",
                0.0,
                "",
                tr("checking it raised {error}", lang).format(error=f"{type(exc).__name__}: {exc}"),
            )
            continue
        reason = ""
        if checked.status == "not attempted yet":
            reason = tr("not attempted", lang)
            cell = _assigning_cell(nb, entry.variable)
            if cell is not None and cell.metadata.get("crmlib_run") in ("timed out", "error", "not run"):
                reason = _why_missing(nb, entry.variable, lang)
        points = entry.points if checked.status == "passed" else 0.0
        result.exercises[ex_id] = Graded(checked.status, points, checked.message, reason)
        if entry.kind == "written" and isinstance(answer, str):
            result.lengths[ex_id] = written_length(answer)
    return result


# ----------------------------------------------------------------------------- writing the results
def _safe_name(student: str) -> str:
    name = re.sub(r"[^\w.\-]+", "_", student, flags=re.UNICODE).strip("._")
    return name or "student"


def _fmt_points(x: float) -> str:
    return f"{x:g}"


def _text_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula (a name starting with '=')."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_rows(results: list[StudentResult], entries) -> tuple[list[str], list[list[str]]]:
    scored = [e for e in entries.values() if e.kind != "written"]
    written = [e for e in entries.values() if e.kind == "written"]
    header = ["student", *(e.id for e in scored), "total", "out_of"]
    for e in written:
        header += [f"{e.id} length", f"{e.id} words", f"{e.id} characters"]
    header.append("notes")
    out_of = sum(e.points for e in entries.values())
    rows = []
    for r in results:
        row = [_text_cell(r.student), *(_fmt_points(r.exercises[e.id].points) for e in scored)]
        row += [_fmt_points(sum(g.points for g in r.exercises.values())), _fmt_points(out_of)]
        for e in written:
            n = r.lengths.get(e.id)
            row += [f"{n.length:.1f}", str(n.words), str(n.characters)] if n is not None else ["", "", ""]
        notes = list(r.notes)
        by_reason: dict[str, list[str]] = {}
        for i, g in r.exercises.items():
            if g.reason:
                by_reason.setdefault(g.reason, []).append(i)
        for reason, ids in by_reason.items():
            if not any(reason in n for n in notes):
                notes.append(f"{', '.join(ids)}: {reason}")
        row.append(_text_cell("; ".join(notes)))
        rows.append(row)
    return header, rows


def feedback_text(r: StudentResult, entries, chapter: int, timeout: float) -> str:
    """The student's feedback file, in the language of the student's notebook (``r.language``)."""
    from crmlib import i18n

    lang = r.language
    total = sum(g.points for g in r.exercises.values())
    out_of = sum(e.points for e in entries.values())
    lines = [
        tr("# Feedback for {student}: exercises of chapter {chapter}", lang).format(student=r.student, chapter=chapter),
        "",
    ]
    if r.source:
        lines += [tr("Submission: `{name}`", lang).format(name=Path(r.source).name), ""]
    lines += [
        tr(
            "**Points: {points} of {out_of}** (written answers are marked by hand; each cell could run for {timeout:g} s).",
            lang,
        ).format(points=_fmt_points(total), out_of=_fmt_points(out_of), timeout=timeout),
        "",
    ]
    if r.notes:
        lines += [tr("Notes:", lang), "", *(f"* {n}" for n in r.notes), ""]
    for ex_id, entry in entries.items():
        g = r.exercises[ex_id]
        head = (
            tr("## Exercise {id}: written answer (marked by hand)", lang).format(id=ex_id)
            if entry.kind == "written"
            else tr("## Exercise {id}: {points} of {out_of}", lang).format(
                id=ex_id, points=_fmt_points(g.points), out_of=_fmt_points(entry.points)
            )
        )
        lines += [head, ""]
        if g.message:
            lines += ["```", g.message, "```", ""]
        if g.reason:
            text = "Not graded: {reason}." if g.status == "not graded" else "Note: {reason}."
            lines += [tr(text, lang).format(reason=g.reason.rstrip("。")), ""]
        with i18n.language(lang):
            if ex_id in r.lengths:
                lines += [tr("Length: {length}.", lang).format(length=r.lengths[ex_id]), ""]
            if entry.explanation and g.status != "passed":
                lines += [tr("Why: {explanation}", lang).format(explanation=i18n.gettext(entry.explanation)), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_outputs(results: list[StudentResult], entries, chapter: int, out: Path, timeout: float) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    feedback = out / "feedback"
    feedback.mkdir(exist_ok=True)
    header, rows = csv_rows(results, entries)
    grades = out / "grades.csv"
    with open(grades, "w", encoding="utf-8-sig", newline="") as f:  # the BOM lets Excel read Chinese names
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    used: set[str] = set()
    for r in results:
        name = _safe_name(r.student)
        while name in used:
            name += "_"
        used.add(name)
        (feedback / f"{name}.md").write_text(feedback_text(r, entries, chapter, timeout), encoding="utf-8")
    return grades


# ----------------------------------------------------------------------------- command line
def _infer_chapter(subs: list[Submission]) -> int | None:
    seen = []
    for s in subs:
        if s.path is None:
            continue
        try:
            seen.append(_chapter_of(ms.read_notebook(s.path), s.path))
        except ms.NotebookError:
            m = re.match(r"(\d\d)_", s.path.name)
            seen.append(int(m.group(1)) if m else None)
    seen = [c for c in seen if c is not None]
    return max(set(seen), key=seen.count) if seen else None


def grade(
    folder: Path,
    out: Path | None = None,
    *,
    chapter: int | None = None,
    timeout: float = 60.0,
    total_timeout: float = 600.0,
    max_output: int = 5_000_000,
    log=print,
) -> int:
    """Grade every submission in ``folder``; returns the exit status (0 done, 2 nothing could start)."""
    from crmlib.checks import registry

    folder = Path(folder).resolve()
    if not folder.is_dir():
        log(f"no such folder: {folder}")
        return 2
    out = Path(out).resolve() if out else folder.parent / f"{folder.name}-grades"
    if out == folder or folder in out.parents:
        log(
            f"--out {out} is inside the submissions folder; choose a folder outside it (submissions are never "
            f"written to)."
        )
        return 2
    subs = find_submissions(folder)
    if not subs:
        log(f"no submissions in {folder}: expected NAME.ipynb files or NAME/ folders with one notebook each")
        return 2
    chapter = chapter if chapter is not None else _infer_chapter(subs)
    if chapter is None:
        log("cannot tell which chapter these notebooks are; pass --chapter NN")
        return 2
    if chapter not in registry.chapters():
        log(
            f"chapter {chapter} has no exercise registry yet (crmlib/checks/ch{chapter:02d}.py), so its answers "
            f"cannot be graded; chapters that can: {registry.chapters()}"
        )
        return 2
    entries = registry.registry(chapter)
    start = time.monotonic()
    results = []
    for i, sub in enumerate(subs, 1):
        t0 = time.monotonic()
        try:
            r = grade_one(sub, chapter, timeout=timeout, total_timeout=total_timeout, max_output=max_output)
        except Exception as exc:  # noqa: BLE001 - one student's notebook must never stop the class's grading
            lang = "zh" if sub.path is not None and "zh" in sub.path.parts else "en"
            reason = tr("the grader could not grade it ({error})", lang).format(error=f"{type(exc).__name__}: {exc}")
            r = StudentResult(sub.student, str(sub.path or ""), _not_graded(entries, reason), {}, [reason], lang)
        total = sum(g.points for g in r.exercises.values())
        log(
            f"[{i}/{len(subs)}] {sub.student}: {_fmt_points(total)} of "
            f"{_fmt_points(sum(e.points for e in entries.values()))} points ({time.monotonic() - t0:.0f} s)"
            + (f"; {r.notes[0]}" if r.notes else "")
        )
        results.append(r)
    grades = write_outputs(results, entries, chapter, out, timeout)
    log(
        f"graded {len(results)} submission{'s' if len(results) != 1 else ''} of chapter {chapter} in "
        f"{time.monotonic() - start:.0f} s: {grades} and {out / 'feedback'}/"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", type=Path, help="folder of submissions (NAME.ipynb or NAME/notebook.ipynb)")
    parser.add_argument("--out", type=Path, help="where grades.csv and feedback/ go (default: SUBMISSIONS-grades)")
    parser.add_argument("--chapter", type=int, help="the chapter (default: read from the notebooks)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds per cell (default 60)")
    parser.add_argument(
        "--total-timeout", type=float, default=600.0, metavar="S", help="seconds per notebook (default 600)"
    )
    parser.add_argument(
        "--max-output",
        type=int,
        default=5_000_000,
        metavar="BYTES",
        help="output kept per notebook (default 5,000,000 bytes)",
    )
    args = parser.parse_args(argv)
    for name in ("timeout", "total_timeout", "max_output"):
        value = getattr(args, name)
        if not (value > 0 and math.isfinite(value)):
            parser.error(f"--{name.replace('_', '-')} must be a positive number; got {value}")
    return grade(
        args.submissions,
        args.out,
        chapter=args.chapter,
        timeout=args.timeout,
        total_timeout=args.total_timeout,
        max_output=args.max_output,
    )


if __name__ == "__main__":
    sys.exit(main())
