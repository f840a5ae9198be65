"""The Chinese edition of the lecturer's guide stays true to the tools and to the English guide.

The guide's Chinese pages (``docs/zh/PRESENTING.md``, ``docs/zh/GRADING.md``,
``exercises/README.zh-CN.md``) and the Chinese README are checked here:

* each Chinese page exists, its headings are Chinese, and it and its English original link to each other;
* every command in a fenced code block is one the suite has: ``python3 suite.py X …`` names a command
  of ``suite.COMMANDS``, and its arguments (``--lang zh`` included) are accepted by the real argument
  parser of the tool that command runs (``tools/classroom.py``, ``tools/grade.py``,
  ``exercises/make_student.py``, ``tools/i18n.py``), parsed in this process and stopped right after
  parsing, before the tool does anything; the notebooks and chapters it names exist;
* every relative link resolves to a file of the repository;
* the measured results are the English ones: each row of numbers of a measured-results table of the
  English page (a table introduced by "Measured …") is a row of a table of the Chinese page, introduced
  as measured (测得) on the English edition (英文版); and every number the English page writes in
  digits appears in the Chinese page.

A Chinese notebook that is not built yet (``notebooks/zh/X``, ``exercises/zh/X``,
``exercises/solutions/zh/X``) may be named only while its English notebook exists and is listed as
pending in ``tests/test_i18n.py`` (``PENDING``): once it is translated, the link must resolve.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import re
import shlex
import sys
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from decimal import Decimal, InvalidOperation
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: (English original, its Chinese edition)
PAIRS = [
    ("docs/PRESENTING.md", "docs/zh/PRESENTING.md"),
    ("docs/GRADING.md", "docs/zh/GRADING.md"),
    ("exercises/README.md", "exercises/README.zh-CN.md"),
]
CHINESE = [zh for _, zh in PAIRS]
#: every Chinese page whose commands and links are checked
CHECKED = [*CHINESE, "README.zh-CN.md"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load(name: str, relpath: str):
    """Load a repository file as a module under a name of its own (no clash with other tests' imports)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / relpath)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _pending() -> dict[str, set[str]]:
    return _load("crmlib_docs_zh_test_i18n", "tests/test_i18n.py").PENDING


def _read(relpath: str) -> str:
    return (ROOT / relpath).read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- markdown pieces
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([^\n`]*)\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)


def _fences(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced code block."""
    return [(m.group(2).strip(), m.group(3)) for m in _FENCE.finditer(text)]


def _prose(text: str) -> str:
    """The text without fenced blocks and code spans (where a ``[x](y)`` is not a link)."""
    return re.sub(r"`[^`\n]*`", "", _FENCE.sub("", text))


_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def _links(text: str) -> list[str]:
    return _LINK.findall(_prose(text))


def _numbers(text: str) -> list:
    """The numbers written in digits, as Decimals (``1,500`` = ``1500``; ``03`` = ``3``); versions
    such as ``0.5.13`` stay strings."""
    out = []
    for m in re.finditer(r"\d+(?:[.,]\d+)*", text):
        s = m.group()
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
            s = s.replace(",", "")
        for part in s.split(","):
            try:
                out.append(Decimal(part) if part.count(".") <= 1 else part)
            except InvalidOperation:
                out.append(part)
    return out


def _tables(text: str) -> list[tuple[str, list[str]]]:
    """(the paragraph just before it, its body rows) of every Markdown table outside code blocks."""
    lines = _FENCE.sub("", text).splitlines()
    tables, i = [], 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            k, intro = i - 1, []
            while k >= 0 and not lines[k].strip():
                k -= 1
            while k >= 0 and lines[k].strip():
                intro.insert(0, lines[k].strip())
                k -= 1
            body = [row for row in lines[i + 2 : j]]  # without the header and the |---| line
            tables.append((" ".join(intro), body))
            i = j
        else:
            i += 1
    return tables


# ----------------------------------------------------------------------------- files and links
_ZH_NOTEBOOK = re.compile(r"^(notebooks|exercises(?:/solutions)?)/zh/([^/]+\.ipynb)$")


def _repo_file_problem(rel: str) -> str | None:
    """None when ``rel`` (relative to the repository root) is a file of the repository or a Chinese
    notebook still pending translation; otherwise why not."""
    if (ROOT / rel).exists():
        return None
    m = _ZH_NOTEBOOK.match(rel)
    if not m:
        return f"{rel} does not exist"
    folder, name = m.groups()
    kind = "chapter" if folder == "notebooks" else "exercise"
    english = ROOT / "notebooks" / name if kind == "chapter" else ROOT / "exercises" / "solutions" / name
    if not english.exists():
        return f"{rel} does not exist and neither does its English source {english.relative_to(ROOT)}"
    if name not in _pending()[kind]:
        return (
            f"{rel} does not exist, but {english.relative_to(ROOT)} is not pending translation any more "
            f"(tests/test_i18n.py PENDING[{kind!r}]): build it with `python3 suite.py translate build --execute`"
        )
    return None


@pytest.mark.parametrize("english, chinese", PAIRS)
def test_each_chinese_page_exists_is_chinese_and_is_linked_both_ways(english, chinese):
    assert (ROOT / chinese).is_file(), f"{chinese} is missing"
    text = _read(chinese)
    headings = [line for line in _FENCE.sub("", text).splitlines() if re.match(r"#{1,6} ", line)]
    assert headings and all(CJK.search(h) for h in headings), [h for h in headings if not CJK.search(h)]
    back = Path(os.path.relpath(english, Path(chinese).parent)).as_posix()
    assert back in _links(text), f"{chinese} does not link to its English original ({back})"
    forth = Path(os.path.relpath(chinese, Path(english).parent)).as_posix()
    head = _read(english).split("\n## ", 1)[0]
    assert f"[中文版]({forth})" in head, f"{english} has no '[中文版]({forth})' line at its top"


@pytest.mark.parametrize("page", CHECKED)
def test_every_relative_link_resolves(page):
    problems = []
    for target in _links(_read(page)):
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
            continue  # an outside address or an anchor in the page
        path = (ROOT / page).parent / target.split("#", 1)[0]
        try:
            rel = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            problems.append(f"{target}: outside the repository")
            continue
        why = _repo_file_problem(rel)
        if why:
            problems.append(f"{target}: {why}")
    assert not problems, f"{page}: " + "; ".join(problems)


# ----------------------------------------------------------------------------- commands
class _Parsed(Exception):
    def __init__(self, namespace):
        super().__init__("parsed")
        self.namespace = namespace


@contextmanager
def _stop_after_parsing():
    """``ArgumentParser.parse_args`` parses as usual, then stops the tool (raises :class:`_Parsed`)."""
    original = argparse.ArgumentParser.parse_args

    def parse_then_stop(self, args=None, namespace=None):
        raise _Parsed(original(self, args, namespace))

    with mock.patch.object(argparse.ArgumentParser, "parse_args", parse_then_stop):
        yield


def _parse(module, argv: list[str], what: str):
    """The namespace ``module.main(argv)`` parses; fails with argparse's message when it refuses."""
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out), _stop_after_parsing():
        try:
            module.main(argv)
        except _Parsed as parsed:
            return parsed.namespace
        except SystemExit as exc:
            pytest.fail(f"`{what}` is refused by its tool (exit {exc.code}): {err.getvalue().strip()}")
    pytest.fail(f"`{what}`: the tool returned without parsing its arguments")


TOOLS = {  # script -> (module name, path)
    "tools/classroom.py": ("crmlib_docs_zh_classroom", "tools/classroom.py"),
    "tools/grade.py": ("crmlib_docs_zh_grade", "tools/grade.py"),
    "exercises/make_student.py": ("crmlib_docs_zh_make_student", "exercises/make_student.py"),
    "tools/i18n.py": ("crmlib_docs_zh_i18n_tool", "tools/i18n.py"),
}
#: suite.py command -> (the tool it runs, the arguments it puts before the user's)
SUITE_TOOLS = {
    "site": ("tools/classroom.py", ["site"]),
    "slides": ("tools/classroom.py", ["slides"]),
    "dashboard": ("tools/classroom.py", ["dashboard"]),
    "grade": ("tools/grade.py", []),
    "check": ("exercises/make_student.py", ["--report"]),
    "translate": ("tools/i18n.py", []),
}
PLACEHOLDER = re.compile(r"NN|…|\.\.\.|^[A-Z_]+$")


def _tool(script: str):
    return _load(*TOOLS[script])


def _commands(page: str, *, inline: bool = False) -> list[list[str]]:
    """Every command line (``python3 …`` or ``.venv/bin/python …``) in the page's shell code blocks
    (with ``inline``: in its code spans), as tokens without comments; ``[--opt X]`` (an optional part)
    is kept as ``--opt X``."""
    text = _read(page)
    if inline:
        lines = re.findall(r"`((?:python3|\.venv/bin/python) [^`\n]+)`", _FENCE.sub("", text))
    else:
        lines = [
            line
            for info, body in _fences(text)
            if not info or info.split()[0] in ("bash", "sh", "shell", "console")  # not python code, a layout
            for line in body.splitlines()
        ]
    found = []
    for line in lines:
        tokens = [t.strip("[]") for t in shlex.split(line, comments=True)]
        tokens = [t for t in tokens if t]
        if tokens and tokens[0] in ("python3", "python", ".venv/bin/python") and tokens[-1] not in ("...", "…"):
            found.append(tokens)  # (not `python3 suite.py ...`, which names no command)
    return found


def _check_paths(args: list[str], what: str) -> None:
    for arg in args:
        if re.match(r"^(notebooks|exercises)/\S*\.ipynb$", arg) and not PLACEHOLDER.search(arg):
            why = _repo_file_problem(arg)
            assert why is None, f"`{what}`: {why}"


def _check_chapter(namespace, what: str) -> None:
    """``slides NN`` / ``dashboard NN``: the English chapter exists, and so does its Chinese edition
    with ``--lang zh`` (or it is pending translation)."""
    chapter = str(namespace.chapter)
    if PLACEHOLDER.search(chapter) or not chapter.isdigit():
        return
    hits = [p for p in sorted((ROOT / "notebooks").glob(f"{int(chapter):02d}_*.ipynb")) if "start_here" not in p.name]
    assert hits, f"`{what}`: there is no chapter {chapter} in notebooks/"
    if namespace.lang == "zh":
        why = _repo_file_problem(f"notebooks/zh/{hits[0].name}")
        assert why is None, f"`{what}`: {why}"


def _check_command(tokens: list[str]) -> None:
    what = " ".join(tokens)
    script, args = tokens[1], tokens[2:]
    _check_paths(args, what)
    if script == "suite.py":
        suite = _load("crmlib_docs_zh_suite", "suite.py")
        assert args and args[0] in suite.COMMANDS, f"`{what}`: not a command of suite.py ({sorted(suite.COMMANDS)})"
        command, rest = args[0], args[1:]
        if command == "lab":  # suite.py itself takes --lang; the rest goes to JupyterLab
            err = io.StringIO()
            with redirect_stderr(err):
                try:
                    suite._take_lang(rest)
                except SystemExit as exc:
                    pytest.fail(f"`{what}`: {exc}")
        elif command == "env":
            assert not rest, f"`{what}`: `env` takes no arguments"
        elif command in SUITE_TOOLS:
            tool, before = SUITE_TOOLS[command]
            namespace = _parse(_tool(tool), [*before, *rest], what)
            if command in ("slides", "dashboard"):
                _check_chapter(namespace, what)
        else:  # `test`: the rest goes to pytest; a path it names must exist
            for arg in rest:
                if re.match(r"^tests/", arg):
                    assert (ROOT / arg.split("::")[0]).exists(), f"`{what}`: {arg} does not exist"
        return
    assert (ROOT / script).is_file(), f"`{what}`: {script} does not exist"
    if script in TOOLS:
        namespace = _parse(_tool(script), args, what)
        if script == "tools/classroom.py" and getattr(namespace, "command", None) in ("slides", "dashboard"):
            _check_chapter(namespace, what)
        return
    source = _read(script)  # another script: the options it is given are options it defines
    for arg in args:
        if arg.startswith("--"):
            option = arg.split("=", 1)[0]
            assert f'"{option}"' in source or f"'{option}'" in source, f"`{what}`: {script} has no option {option}"


@pytest.mark.parametrize("page", CHECKED)
def test_every_command_in_a_code_block_exists_and_accepts_its_arguments(page):
    commands = _commands(page)
    assert commands, f"{page}: no command found in its code blocks"
    for tokens in commands:
        _check_command(tokens)


@pytest.mark.parametrize("page", CHECKED)
def test_every_command_quoted_in_the_text_exists_too(page):
    for tokens in _commands(page, inline=True):
        _check_command(tokens)


def test_lang_zh_is_what_the_chinese_pages_use_for_slides_dashboard_and_lab():
    """The Chinese guide presents the Chinese edition: its slides, dashboard and lab commands say
    ``--lang zh``; the site command cannot take it (one command builds both editions)."""
    commands = [t for page in CHECKED for t in _commands(page) if t[1] == "suite.py"]
    for name in ("slides", "dashboard", "lab"):
        used = [t for t in commands if t[2] == name]
        assert used and all("--lang" in t and t[t.index("--lang") + 1] == "zh" for t in used), (name, used)
    assert not any(t[2] in ("site", "check", "grade") and "--lang" in t for t in commands)


def test_the_command_checker_refuses_what_the_tools_refuse():
    """The checks above can fail: an unknown command, an option a tool lacks, a missing notebook."""
    for bad in (
        "python3 suite.py present 03",
        "python3 suite.py site --lang zh",
        "python3 suite.py slides 03 --lang fr",
        "python3 suite.py grade --chapter three submissions",
        "python3 suite.py check exercises/zh/07_nothing.ipynb",
        "python3 suite.py slides 09 --lang zh",
        ".venv/bin/python tools/nothing.py",
    ):
        with pytest.raises((AssertionError, pytest.fail.Exception)):
            _check_command(shlex.split(bad))
    _check_command(shlex.split("python3 suite.py dashboard 05 --lang zh --no-token"))


# ----------------------------------------------------------------------------- numbers
def _row_numbers(row: str) -> tuple:
    return tuple(_numbers(row))


def _measured_rows(text: str) -> list[tuple]:
    return [_row_numbers(r) for intro, rows in _tables(text) if intro.startswith("Measured") for r in rows]


def test_measured_results_are_the_english_ones_and_said_to_be():
    checked = 0
    for english, chinese in PAIRS:
        rows = _measured_rows(_read(english))
        if not rows:
            continue
        zh_tables = _tables(_read(chinese))
        zh_rows = {_row_numbers(r): intro for intro, body in zh_tables for r in body}
        for row in rows:
            assert row in zh_rows, f"{chinese}: no table row with the measured numbers {row} of {english}"
            intro = zh_rows[row]
            assert "测得" in intro and "英文版" in intro, (
                f"{chinese}: the table with {row} must say it was measured (测得) on the English edition (英文版)"
            )
            checked += 1
    assert checked >= 10, "the widget-latency table of docs/PRESENTING.md was not found"


@pytest.mark.parametrize("english, chinese", PAIRS)
def test_every_number_of_the_english_page_is_in_the_chinese_page(english, chinese):
    have = set(_numbers(_read(chinese)))
    missing = sorted({str(n) for n in _numbers(_read(english)) if n not in have})
    assert not missing, f"{chinese} lacks these numbers of {english}: {missing}"
