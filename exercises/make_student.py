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

(Students run their report as ``python3 suite.py check exercises/NN_topic.ipynb``, which calls
``--report``.)

The Chinese edition (中文版): a solution notebook whose metadata says ``crmlib.language == "zh"``
(``exercises/solutions/zh/NN_topic.ipynb``, built by ``tools/i18n.py``) gets a Chinese student copy
``exercises/zh/NN_topic.ipynb`` (``--lang zh`` selects these folders): its placeholders are Chinese
("*在这里写下你的答案。*", ``# 在这里写你的代码``) and it records ``"language": "zh"`` in its metadata. The
report follows the language of the notebook it runs (its metadata, or an ``i18n.set_language("zh")``
cell), and reads the check messages of either language.

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

Students' work is never lost:

* before writing ``NN_topic.ipynb`` the tool recomputes that hash of the existing file. If it
  differs from the recorded one (a student typed into it) or is missing, the existing file stays
  as it is and the new copy goes to ``NN_topic.new.ipynb`` beside it, with a message saying so;
* a copy whose cells already equal what the solutions generate is left alone and no ``.new`` is
  written (also when it was edited and changed back); so is an edited copy made from the current
  solutions: there is nothing new to deliver (``--force`` re-executes an unedited copy anyway);
* the file is checked again immediately before it is replaced, and replaced atomically (a
  temporary file beside it, then ``os.replace``): an edit saved while the new copy was being
  executed is kept, and the new copy goes to ``.new`` instead;
* new files get the permissions of the user's umask (like any file the user creates);
* a notebook that is not valid JSON (e.g. with merge-conflict markers) gets one line naming it
  and saying what to do; nothing is written and the exit status is 2.

``--check`` compares hashes only (no kernel, about a second): it exits 1 when a copy
is missing, was edited, was never executed, or differs from what the solutions would
generate. ``--report`` executes a *copy* of the given notebook in a temporary folder
(the kernel's working directory is the notebook's own folder, so relative paths
work) with a time limit per cell (``--timeout``, 60 s), and prints which exercises pass,
which are not yet right, which raised an error and which took too long; the notebook
itself is never written.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE / "solutions"
PLACEHOLDER = "...  # your code here"
MARKDOWN_PLACEHOLDER = "*Your answer here.*"
LANGUAGES = ("en", "zh")
CELL_TIMEOUT = 300  # seconds per cell when generating (the solutions' own cells)
REPORT_TIMEOUT = 60  # seconds per cell in a student's report
REPORT_TOTAL_TIMEOUT = 900  # seconds for a whole report
STATUS_LINE = re.compile(
    r"^\[(passed|answered|not yet right|not attempted yet|通过|已作答|尚未答对|尚未作答)\] (.+?)(?:: |：)(.*)$"
)
#: The status tags of the Chinese check messages (crmlib's catalogue translates the statuses so).
STATUS_TAGS_ZH = {"通过": "passed", "已作答": "answered", "尚未答对": "not yet right", "尚未作答": "not attempted yet"}
EXERCISE_HEADING = re.compile(r"^###\s+(Exercise\s+\d+\.\d+\b.*?|练习\s*\d+\.\d+(?!\d).*?)\s*$", re.M)

#: What the tool writes in the Chinese edition: placeholders and the student's report. (The check
#: messages themselves come from crmlib's catalogue; this tool only prints its own lines.)
ZH = {
    PLACEHOLDER: "...  # 在这里写你的代码",
    MARKDOWN_PLACEHOLDER: "*在这里写下你的答案。*",
    "# your code here": "# 在这里写你的代码",
    "...  # your answer here: the letter, in quotes": "...  # 在这里写你的答案：选项字母，放在引号里",
    '...  # your answer here, as text: """..."""': '...  # 在这里写你的答案，写成文本："""..."""',
    "Generated copy; the hash lets the generator recognise an unedited copy. Edit freely: "
    "the generator will not overwrite a copy you have changed.": "这是生成的副本；哈希值让生成器认出未经修改的副本。"
    "请放心修改：生成器不会覆盖你改过的副本。",
    # the report's statuses
    "passed": "通过",
    "answered": "已作答",
    "not yet right": "尚未答对",
    "partly done": "部分完成",
    "not attempted yet": "尚未作答",
    "error": "出错",
    "timed out": "超时",
    "not run": "未运行",
    # the report's lines
    "no such notebook: {path}": "没有这个笔记本：{path}",
    "Report for {name} (a copy was executed; your notebook was not changed)\n": "{name} 的报告（运行的是一份副本；你的笔记本没有被改动）\n",
    "{done} of {total} exercises done": "{total} 道练习中完成了 {done} 道",
    "{count} {status}": "{status} {count} 道",
    "; {parts}.": "；{parts}。",
    ".": "。",
    ", ": "，",
    "; ": "；",
    "{name}: {status}": "{name}：{status}",
    "A cell that runs longer than {timeout:g} s is stopped; fix the loop, or give a slow computation more time "
    "with --timeout.": "运行超过 {timeout:g} 秒的单元格会被停止；请修改循环，或用 --timeout 给较慢的计算更多时间。",
    "The run stopped early: {why}; the cells after it were not run.": "运行提前结束了：{why}；之后的单元格没有运行。",
    "Run an exercise's check cell in the notebook to see what was expected and a hint.": "在笔记本里运行某道练习的检查单元格，就能看到题目的要求和提示。",
    "the cell starting `{first}` was stopped: it ran longer than the time limit (an endless loop?)": "以 `{first}` 开头的单元格被停止了：它的运行时间超过了限制（是不是死循环？）",
    "the cell starting `{first}` was not run": "以 `{first}` 开头的单元格没有运行",
    "{error} (in the cell starting `{first}`)": "{error}（在以 `{first}` 开头的单元格中）",
    "the whole notebook took more than {seconds} s": "整个笔记本的运行时间超过了 {seconds} 秒",
    "the kernel did not respond after cell {cell} was stopped": "第 {cell} 个单元格被停止后，内核没有响应",
    "the kernel died (did the notebook exit Python or run out of memory?)": "内核崩溃了（笔记本是不是退出了 Python，或者内存不够？）",
    "{path} is not a readable notebook ({problem}); nothing was changed. {advice}": "{path} 不是可读的笔记本（{problem}）；没有改动任何东西。{advice}",
    "Resolve the conflict in a text editor (keep one side of each <<<<<<< ... >>>>>>> block), "
    "or restore the last good version, then run the report again.": "请在文本编辑器中解决冲突（每个 <<<<<<< ... >>>>>>> 块只保留一边），"
    "或恢复到上一个正常的版本，然后重新运行报告。",
}


def tr(text: str, lang: str = "en") -> str:
    """``text`` in ``lang``: itself in English, its entry in :data:`ZH` in Chinese (itself when it has none)."""
    return ZH.get(text, text) if lang == "zh" else text


def notebook_language(nb) -> str:
    """The language of a notebook: ``metadata.crmlib.language``, else "zh" when a code cell states
    ``i18n.set_language("zh")`` (the Chinese edition's first cell), else "en"."""
    lang = nb.get("metadata", {}).get("crmlib", {}).get("language")
    if lang in LANGUAGES:
        return lang
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and re.search(r"set_language\(\s*['\"]zh['\"]\s*\)", _source(cell)):
            return "zh"
    return "en"


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.M)


# ------------------------------------------------------------------ placeholders
def _assigned_names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _assigned_names(elt)]
    if isinstance(target, ast.Starred):
        return _assigned_names(target.value)
    return []  # attribute or subscript targets define no new name


def placeholder_source(source: str, lang: str = "en") -> str:
    """The student's version of a solution cell: the names it defines, each set to ``...``.

    ``lang="zh"`` writes the placeholders' comments in Chinese (``# 在这里写你的代码``).

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
            header = lines[start - 1 : body0.lineno - 1]
            prefix = lines[body0.lineno - 1][: body0.col_offset]
            same_line = bool(prefix.strip())  # "def f(x): return x": the body shares the def's last line
            if same_line:
                header.append(prefix.rstrip())
            indent = " " * (node.col_offset + 4) if same_line else " " * body0.col_offset
            keep = list(header)
            if (
                isinstance(body0, ast.Expr)
                and isinstance(body0.value, ast.Constant)
                and isinstance(body0.value.value, str)
                and not same_line
            ):
                keep += lines[body0.lineno - 1 : body0.end_lineno]
            keep.append(f"{indent}return {tr(PLACEHOLDER, lang)}")
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
        comment = tr(PLACEHOLDER, lang)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            comment = tr(
                "...  # your answer here: the letter, in quotes"
                if len(value.value.strip()) <= 3
                else '...  # your answer here, as text: """..."""',
                lang,
            )
        for name in names:
            if name not in seen:
                seen.add(name)
                if out and out[-1].startswith(" ") or out and out[-1].startswith(")"):
                    out.append("")
                out.append(f"{name} = {comment}")
    return "\n".join(out) if out else tr("# your code here", lang)


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


# ------------------------------------------------------------------ reading
class NotebookError(Exception):
    """A notebook file that cannot be read (invalid JSON, merge-conflict markers, not a notebook)."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{_rel(path)}: {problem}")
        self.path = Path(path)
        self.problem = problem

    def line(self, advice: str, lang: str = "en") -> str:
        """The one line a user sees: which file, what is wrong, that nothing changed, what to do."""
        return tr("{path} is not a readable notebook ({problem}); nothing was changed. {advice}", lang).format(
            path=_rel(self.path), problem=self.problem, advice=advice
        )


def _problem(text: str) -> str | None:
    m = CONFLICT_MARKER.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        return f"it holds merge-conflict markers ({m.group(1)} at line {line})"
    return None


def read_notebook(path: Path):
    """Read a notebook (nbformat 4), or raise :class:`NotebookError` with a one-line reason."""
    import nbformat

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(path, f"not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    problem = _problem(text)
    if problem:
        raise NotebookError(path, problem)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(path, f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    try:
        nb = nbformat.reads(text, as_version=4, capture_validation_error={})
    except Exception as exc:  # noqa: BLE001 - any structural fault of the file is reported in one line
        raise NotebookError(path, f"not a Jupyter notebook: {type(exc).__name__}: {exc}") from None
    if not isinstance(nb.get("cells"), list):
        raise NotebookError(path, "not a Jupyter notebook: it has no list of cells")
    return nb


def _fingerprint(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when there is no file: what 'unchanged' means below."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


# ------------------------------------------------------------------ building
def build_student(solution_nb, solution_name: str):
    """The student copy of a solution notebook, not yet executed (a new object; the input is untouched)."""
    import nbformat

    lang = notebook_language(solution_nb)
    student = nbformat.v4.new_notebook()
    meta = {
        k: copy.deepcopy(v) for k, v in solution_nb.get("metadata", {}).items() if k in ("kernelspec", "language_info")
    }
    student.metadata.update(meta)
    for i, cell in enumerate(solution_nb.cells):
        tags = _tags(cell)
        if "instructor" in tags:
            continue
        source = _source(cell)
        cell_id = cell.get("id") or f"cell-{i}"
        if "solution" in tags:
            if cell.cell_type == "code":
                new = nbformat.v4.new_code_cell(placeholder_source(source, lang))
            else:
                new = nbformat.v4.new_markdown_cell(tr(MARKDOWN_PLACEHOLDER, lang))
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
        "generated_from": f"solutions/{'zh/' if lang == 'zh' else ''}{solution_name}",
        "generated_by": "exercises/make_student.py",
        "generated_sha256": content_hash(student),
        "note": tr(
            "Generated copy; the hash lets the generator recognise an unedited copy. Edit freely: "
            "the generator will not overwrite a copy you have changed.",
            lang,
        ),
    }
    if lang != "en":
        student.metadata["crmlib"]["language"] = lang
    return student


# ------------------------------------------------------------------ executing
class _Stop(Exception):
    """Raised inside the runner to stop executing a notebook (the reason is in ``str``)."""


def _runner_class():
    from nbclient import NotebookClient

    class Runner(NotebookClient):
        """nbclient with a per-cell and a total time limit, an output limit, and no exceptions for the
        notebook's own faults: a cell over its limit is interrupted and marked, and the run goes on."""

        def __init__(self, nb, *, cell_timeout, total_timeout=None, max_output_bytes=None, lang="en", **kw):
            super().__init__(
                nb,
                timeout=cell_timeout,
                interrupt_on_timeout=True,
                allow_errors=True,
                error_on_timeout={"ename": "TimeoutError", "evalue": "", "traceback": []},
                shutdown_kernel="immediate",
                record_timing=False,
                store_widget_state=False,
                on_cell_start=self._on_start,
                on_cell_executed=self._on_executed,
                **kw,
            )
            self.lang = lang
            self.cell_timeout = cell_timeout
            self.deadline = None if total_timeout is None else time.monotonic() + total_timeout
            self.total_timeout = total_timeout
            self.max_output_bytes = max_output_bytes
            self.output_bytes = 0
            self.timed_out: list[int] = []
            self.truncated: list[int] = []
            self.current = -1
            self.interrupt_pending = False
            self.timeout_func = self._cell_timeout

        def _cell_timeout(self, cell):
            if self.deadline is None:
                return self.cell_timeout
            return max(1, min(self.cell_timeout, int(self.deadline - time.monotonic()) + 1))

        def _on_start(self, cell, cell_index):
            self.current = cell_index
            if self.deadline is not None and time.monotonic() > self.deadline and cell.cell_type == "code":
                raise _Stop(
                    tr("the whole notebook took more than {seconds} s", self.lang).format(seconds=self.total_timeout)
                )

        def _on_executed(self, cell, cell_index, execute_reply):
            if "header" in (execute_reply or {}):
                self.interrupt_pending = False  # a real reply: the kernel answers again

        async def _async_handle_timeout(self, timeout, cell=None):
            if self.interrupt_pending:
                raise _Stop(
                    tr("the kernel did not respond after cell {cell} was stopped", self.lang).format(
                        cell=self.timed_out[-1]
                    )
                )
            self.timed_out.append(self.current)
            self.interrupt_pending = True
            return await super()._async_handle_timeout(timeout, cell)

        def output(self, outs, msg, display_id, cell_index):
            if self.max_output_bytes is not None:
                self.output_bytes += len(json.dumps(msg.get("content", {}), default=str))
                if self.output_bytes > self.max_output_bytes:
                    if cell_index not in self.truncated:
                        self.truncated.append(cell_index)
                    return None
            return super().output(outs, msg, display_id, cell_index)

    return Runner


def run_notebook(
    nb,
    cwd: Path,
    *,
    cell_timeout: float = REPORT_TIMEOUT,
    total_timeout: float | None = None,
    max_output_bytes: int | None = None,
    lang: str = "en",
) -> dict:
    """Execute ``nb`` in place in a fresh python3 kernel, come what may.

    ``lang`` ("en" or "zh") is the language of the reason given when the run stops early.

    Every cell gets at most ``cell_timeout`` seconds (then the kernel is interrupted and the run
    goes on), the whole notebook at most ``total_timeout``; outputs beyond ``max_output_bytes``
    are dropped. Never raises for the notebook's own faults (errors, endless loops, a kernel that
    dies or ignores the interrupt). Each code cell's outcome is stored in
    ``cell.metadata["crmlib_run"]``: ``"ok"``, ``"error"``, ``"timed out"`` or ``"not run"``.

    Returns a dict with ``timed_out`` (cell indices), ``stopped`` (why the run ended early, or
    None) and ``truncated`` (cells whose output was cut).
    """
    Runner = _runner_class()
    client = Runner(
        nb,
        cell_timeout=cell_timeout,
        total_timeout=total_timeout,
        max_output_bytes=max_output_bytes,
        lang=lang,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    stopped = None
    try:  # the kernel's own log lines (e.g. a transport notice) would only confuse students
        client.execute(stderr=subprocess.DEVNULL)
    except _Stop as exc:
        stopped = str(exc)
    except Exception as exc:  # noqa: BLE001 - DeadKernelError, a kernel that cannot start, ...
        name = type(exc).__name__
        stopped = (
            tr("the kernel died (did the notebook exit Python or run out of memory?)", lang)
            if name == "DeadKernelError"
            else f"{name}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        )
    last = client.current
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not _source(cell).strip():
            continue
        if i in client.timed_out:
            state = "timed out"
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"]
        elif stopped and i >= last:
            state = "not run"
        elif any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            state = "error"
        else:
            state = "ok"
        cell.metadata["crmlib_run"] = state
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return {"timed_out": list(client.timed_out), "stopped": stopped, "truncated": list(client.truncated)}


def execute(nb, cwd: Path, *, allow_errors: bool = False):
    """Execute ``nb`` in place in a fresh python3 kernel (no timings, no widget state stored)."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=allow_errors,
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute(stderr=subprocess.DEVNULL)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


# ------------------------------------------------------------------ writing
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _between_check_and_write(path: Path) -> None:
    """Called after the target was checked and before it is checked again and replaced (a test hook)."""


def _replace_if_unchanged(nb, path: Path, seen: str | None) -> bool:
    """Write ``nb`` to ``path`` atomically, but only if the file still has the fingerprint ``seen``.

    The new content goes to a temporary file beside ``path`` (same folder, so ``os.replace`` is an
    atomic rename) with the permissions of the user's umask; the file is checked again just before
    the rename. Returns False, writing nothing, when the file changed since it was checked.
    """
    import nbformat

    path = Path(path)
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        if _fingerprint(path) != seen:
            return False
        os.replace(tmp, path)
        return True
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(HERE.parent))
    except ValueError:
        return str(path)


def _beside(target: Path) -> Path:
    return target.with_name(target.stem + ".new.ipynb")


def _write_beside(
    student, target: Path, wanted: str, *, run: bool, executed: bool, force: bool, why: str, log
) -> tuple[str, Path | None]:
    beside = _beside(target)
    seen = _fingerprint(beside)
    if seen is not None:
        earlier = read_notebook(beside)
        if not is_pristine(earlier):
            log(
                f"{_rel(target)} and {_rel(beside)} were both changed by hand; nothing written. "
                f"Rename one of them and run again."
            )
            return "refused", None
        if content_hash(earlier) == wanted and not force:
            log(f"{why} The current version is already in {_rel(beside)}.")
            return "already beside", beside
    if run and not executed:
        execute(student, target.parent)
    _between_check_and_write(beside)
    if not _replace_if_unchanged(student, beside, seen):
        log(f"{_rel(beside)} changed while the new version was being made; nothing written. Run again.")
        return "refused", None
    log(f"{why} The new version is in {_rel(beside)}.")
    return "written beside", beside


def generate(
    solution: Path, out_dir: Path = HERE, *, run: bool = True, force: bool = False, log=print
) -> tuple[str, Path | None]:
    """Write the student copy of ``solution`` into ``out_dir``, never overwriting a student's edits.

    Returns ``(status, path)`` with status

    * ``"written"``: the copy was (re)written;
    * ``"up to date"``: nothing to do (its cells already equal what the solution generates, or it
      is a student's edited copy of the current version); nothing written, no ``.new``;
    * ``"written beside"``: the copy was edited (or changed while the new one was being made), so
      the new version went to ``NN_topic.new.ipynb``; ``"already beside"``: that file already
      holds the current version;
    * ``"refused"``: both the copy and an earlier ``.new.ipynb`` were edited; nothing written.

    Raises :class:`NotebookError` (before writing anything) for a notebook that cannot be read.
    """
    solution = Path(solution)
    out_dir = Path(out_dir)
    student = build_student(read_notebook(solution), solution.name)
    wanted = recorded_hash(student)
    target = out_dir / solution.name
    seen = _fingerprint(target)
    if seen is not None:
        existing = read_notebook(target)
        same = content_hash(existing) == wanted
        pristine = is_pristine(existing)
        if same and not (force and pristine):
            log(f"{_rel(target)} is up to date.")
            return "up to date", target
        if not pristine:
            if recorded_hash(existing) == wanted:
                log(f"{_rel(target)} has your changes and was made from the current solutions: nothing to do.")
                return "up to date", target
            return _write_beside(
                student,
                target,
                wanted,
                run=run,
                executed=False,
                force=force,
                log=log,
                why=f"{_rel(target)} has been changed since it was generated, so it was kept as it is.",
            )
    if run:
        execute(student, out_dir)
    _between_check_and_write(target)
    if not _replace_if_unchanged(student, target, seen):
        return _write_beside(
            student,
            target,
            wanted,
            run=run,
            executed=True,
            force=True,
            log=log,
            why=f"{_rel(target)} was changed while the new version was being made, so it was kept as it is.",
        )
    log(f"wrote {_rel(target)}")
    return "written", target


def solutions(selection: list[str] | None = None, solutions_dir: Path = SOLUTIONS) -> list[Path]:
    paths = sorted(p for p in Path(solutions_dir).glob("[0-9][0-9]_*.ipynb"))
    if selection:
        chosen = [
            p
            for p in paths
            if any(p.name.startswith(Path(s).name.split(".")[0]) or Path(s).resolve() == p.resolve() for s in selection)
        ]
        if not chosen:
            raise SystemExit(f"no solution notebook matches {selection}; have {[p.name for p in paths]}")
        return chosen
    return paths


def unreadable(paths) -> list[NotebookError]:
    """The notebooks among ``paths`` (existing files only) that cannot be read."""
    bad = []
    for path in paths:
        if Path(path).exists():
            try:
                read_notebook(path)
            except NotebookError as exc:
                bad.append(exc)
    return bad


_FIX_COPY = "Resolve the conflict (keep one side of each <<<<<<< ... >>>>>>> block) or rename the file, then run again."


# ------------------------------------------------------------------ freshness
def stale_reasons(solution: Path, out_dir: Path = HERE) -> list[str]:
    """Why the committed student copy of ``solution`` is stale (an empty list: it is fresh). No kernel.

    A copy whose cells equal what the solution generates is fresh even if it was edited and
    changed back; a ``.new.ipynb`` beside it is not looked at.
    """
    target = Path(out_dir) / Path(solution).name
    if not target.exists():
        return ["missing"]
    student = build_student(read_notebook(solution), Path(solution).name)
    existing = read_notebook(target)
    reasons = []
    same = content_hash(existing) == recorded_hash(student)
    if recorded_hash(existing) is None:
        reasons.append("has no generator hash (not made by this tool)")
    elif not is_pristine(existing) and not same:
        reasons.append("was edited after it was generated")
    if not same:
        reasons.append("differs from what the solution notebook generates")
    unrun = [
        i
        for i, c in enumerate(existing.cells)
        if c.cell_type == "code" and _source(c).strip() and c.get("execution_count") is None
    ]
    if unrun:
        reasons.append(f"was not executed (cell {unrun[0]} has no execution count)")
    return reasons


def check(out_dir: Path = HERE, solutions_dir: Path = SOLUTIONS, log=print) -> int:
    """Exit status of ``--check``: 0 fresh, 1 stale, 2 a notebook cannot be read."""
    sols = solutions(solutions_dir=solutions_dir)
    bad = unreadable([*sols, *(Path(out_dir) / s.name for s in sols)])
    if bad:
        for exc in bad:
            log(exc.line(_FIX_COPY))
        return 2
    stale = 0
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
        log(
            f"{stale} student cop{'y is' if stale == 1 else 'ies are'} stale: run "
            f"`python exercises/make_student.py` and commit the result."
        )
    return 1 if stale else 0


# ------------------------------------------------------------------ the student's report
def _first_line(cell) -> str:
    first = next((ln.strip() for ln in _source(cell).splitlines() if ln.strip()), "")
    return first if len(first) <= 50 else first[:47] + "..."


def collect(nb, lang: str | None = None) -> list[dict]:
    """Per exercise (H3 'Exercise N.k' heading): the statuses its check cells printed, errors, timeouts.

    Statuses are read from the check messages of either language (``[passed]``, ``[通过]``) and
    recorded in English; the notes are in ``lang`` (default: the notebook's language).
    """
    lang = notebook_language(nb) if lang is None else lang
    exercises: list[dict] = []
    current = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = EXERCISE_HEADING.search(_source(cell))
            if m:
                current = {"title": m.group(1), "statuses": [], "errors": [], "timeouts": [], "not_run": []}
                exercises.append(current)
            continue
        if cell.cell_type != "code" or current is None:
            continue
        state = cell.get("metadata", {}).get("crmlib_run")
        if state == "timed out":
            current["timeouts"].append(
                tr(
                    "the cell starting `{first}` was stopped: it ran longer than the time limit (an endless loop?)",
                    lang,
                ).format(first=_first_line(cell))
            )
        elif state == "not run":
            current["not_run"].append(
                tr("the cell starting `{first}` was not run", lang).format(first=_first_line(cell))
            )
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                for line in "".join(out.get("text", "")).splitlines():
                    m = STATUS_LINE.match(line)
                    if m:
                        status = STATUS_TAGS_ZH.get(m.group(1), m.group(1))
                        current["statuses"].append(status)
                        current.setdefault("checks", []).append((m.group(2), status))
            elif out.get("output_type") == "error" and state != "timed out":
                current["errors"].append(
                    tr("{error} (in the cell starting `{first}`)", lang).format(
                        error=f"{out.get('ename')}: {out.get('evalue', '')}", first=_first_line(cell)
                    )
                )
    return exercises


def _overall(ex: dict) -> str:
    st = ex["statuses"]
    if ex.get("timeouts"):
        return "timed out"
    if ex["errors"]:
        return "error"
    if ex.get("not_run") and not st:
        return "not run"
    if not st:
        return "no check"
    if all(s in ("passed", "answered") for s in st):
        return "passed" if "passed" in st else "answered"
    if "not yet right" in st:
        return "not yet right"
    if all(s == "not attempted yet" for s in st):
        return "not attempted yet"
    return "partly done"


_ORDER = ("passed", "answered", "not yet right", "partly done", "not attempted yet", "error", "timed out", "not run")


def report(
    notebook: Path, log=print, *, timeout: float = REPORT_TIMEOUT, total_timeout: float = REPORT_TOTAL_TIMEOUT
) -> int:
    """Execute a temporary copy of ``notebook`` and print which exercises pass.

    Returns 0 when every exercise is done, 1 otherwise, 2 when the notebook cannot be read or run.
    Never raises and never prints a traceback; the notebook file is never written.
    """
    import nbformat

    notebook = Path(notebook).resolve()
    if not notebook.exists():
        log(tr("no such notebook: {path}", "zh" if "zh" in notebook.parts else "en").format(path=notebook))
        return 2
    try:
        nb = read_notebook(notebook)
    except NotebookError as exc:
        lang = "zh" if "zh" in notebook.parts else "en"
        log(
            exc.line(
                tr(
                    "Resolve the conflict in a text editor (keep one side of each <<<<<<< ... >>>>>>> block), "
                    "or restore the last good version, then run the report again.",
                    lang,
                ),
                lang,
            )
        )
        return 2
    lang = notebook_language(nb)
    with tempfile.TemporaryDirectory(prefix="crmlib-report-") as tmp:
        work = Path(tmp) / notebook.name
        run = run_notebook(
            nb,
            notebook.parent,
            cell_timeout=timeout,
            total_timeout=total_timeout,
            max_output_bytes=20_000_000,
            lang=lang,
        )
        nbformat.write(nb, work)  # the executed copy stays in the temporary folder only
    exercises = [e for e in collect(nb, lang) if _overall(e) != "no check"]
    rows = [(e["title"], _overall(e)) for e in exercises]
    log(tr("Report for {name} (a copy was executed; your notebook was not changed)\n", lang).format(name=notebook.name))
    width = max((_width(tr(s, lang)) for _, s in rows), default=10)
    for ex, (title, status) in zip(exercises, rows):
        log(f"  {_ljust(tr(status, lang), width)}  {title}")
        parts = ex.get("checks", [])
        if len(parts) > 1 and status not in ("passed", "answered", "not attempted yet"):
            log(
                f"  {'':<{width}}    "
                + tr("; ", lang).join(
                    tr("{name}: {status}", lang).format(name=name, status=tr(st, lang)) for name, st in parts
                )
            )
        for note in (ex["timeouts"] + ex["errors"] + ex["not_run"])[:1]:
            log(f"  {'':<{width}}    {note}")
    counts = {s: sum(1 for _, st in rows if st == s) for s in _ORDER}
    done = counts["passed"] + counts["answered"]
    parts = [
        tr("{count} {status}", lang).format(count=n, status=tr(s, lang))
        for s, n in counts.items()
        if n and s not in ("passed", "answered")
    ]
    log(
        "\n"
        + tr("{done} of {total} exercises done", lang).format(done=done, total=len(rows))
        + (tr("; {parts}.", lang).format(parts=tr(", ", lang).join(parts)) if parts else tr(".", lang))
    )
    if run["timed_out"]:
        log(
            tr(
                "A cell that runs longer than {timeout:g} s is stopped; fix the loop, or give a slow computation more "
                "time with --timeout.",
                lang,
            ).format(timeout=timeout)
        )
    if run["stopped"]:
        log(tr("The run stopped early: {why}; the cells after it were not run.", lang).format(why=run["stopped"]))
    if parts:
        log(tr("Run an exercise's check cell in the notebook to see what was expected and a hint.", lang))
    if not rows and run["stopped"]:
        return 2
    return 0 if rows and done == len(rows) else 1


# ------------------------------------------------------------------ command line
def execute_solutions(selection: list[str] | None = None, log=print, solutions_dir: Path = SOLUTIONS) -> int:
    """Re-execute the solution notebooks in place (after editing one), without timings or widget state."""
    status = 0
    for sol in solutions(selection, solutions_dir):
        seen = _fingerprint(sol)
        nb = read_notebook(sol)
        execute(nb, sol.parent)
        if _replace_if_unchanged(nb, sol, seen):
            log(f"executed {_rel(sol)}")
        else:  # saved in an editor while it ran: the edit wins
            log(f"{_rel(sol)} was changed while it ran, so the executed copy was not written; run again.")
            status = 1
    return status


def main(
    argv: list[str] | None = None, *, out_dir: Path | None = None, solutions_dir: Path | None = None, log=print
) -> int:
    """The command line. ``out_dir`` and ``solutions_dir`` (default: this folder and ``solutions/``) are for tests."""
    out_dir = Path(out_dir or HERE)
    solutions_dir = Path(solutions_dir or SOLUTIONS)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="en",
        help="zh: the Chinese edition (solutions/zh -> zh/); default en",
    )
    parser.add_argument("chapters", nargs="*", help="solution notebooks or chapter prefixes (default: all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 when a committed student copy is stale")
    mode.add_argument(
        "--report", metavar="NOTEBOOK", type=Path, help="run a copy of NOTEBOOK and print which exercises pass"
    )
    mode.add_argument("--execute-solutions", action="store_true", help="re-execute the solution notebooks in place")
    parser.add_argument(
        "--force",
        action="store_true",
        help="re-execute and rewrite unedited copies even when their sources are current",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=REPORT_TIMEOUT,
        metavar="S",
        help=f"--report: seconds a cell may run before it is stopped (default {REPORT_TIMEOUT})",
    )
    args = parser.parse_args(argv)
    if not args.timeout > 0:
        parser.error(f"--timeout must be a positive number of seconds; got {args.timeout:g}")
    if args.lang != "en":  # the Chinese edition lives one folder deeper on both sides
        out_dir, solutions_dir = out_dir / args.lang, solutions_dir / args.lang
    if args.check:
        return check(out_dir, solutions_dir, log=log)
    if args.report is not None:
        return report(args.report, log=log, timeout=args.timeout)
    sols = solutions(args.chapters, solutions_dir)
    targets = [out_dir / s.name for s in sols]
    bad = unreadable([*sols, *([] if args.execute_solutions else [*targets, *map(_beside, targets)])])
    if bad:
        for exc in bad:
            log(
                exc.line(
                    "Fix the solution notebook (it is the authored source), then run again."
                    if exc.path.resolve().parent == solutions_dir.resolve()
                    else _FIX_COPY
                )
            )
        return 2
    if args.execute_solutions:
        return execute_solutions(args.chapters, log=log, solutions_dir=solutions_dir)
    results = [generate(sol, out_dir, force=args.force, log=log)[0] for sol in sols]
    return 1 if "refused" in results else 0


if __name__ == "__main__":
    sys.exit(main())
