"""The exercise checks in the notebook's language (issue 17): Chinese feedback, unchanged English.

* the library catalogue (crmlib/locale/zh/LC_MESSAGES/crmlib.po) is complete: every message marked in
  crmlib has a non-fuzzy Chinese translation, every message marked in crmlib/checks is in it, and the
  ``{field}`` / ``%`` placeholders of each msgid appear identically in its msgstr;
* under ``i18n.language("zh")`` a wrong and a right answer to one exercise of each chapter with a
  registry of ours (0, 3, 4, 5, 6) get Chinese feedback: the status tag, the exercise name, the line
  labels, the headline, the hint and the explanation; under English the messages are byte for byte
  the ones the checks printed before the catalogue existed (ENGLISH below was recorded then);
* a Chinese solution notebook (``metadata.crmlib.language == "zh"``) gives a student copy with Chinese
  placeholders; the report reads Chinese check messages and reports in Chinese;
* Chinese written answers are measured by characters (1.5 汉字 per English word) and their feedback is
  Chinese; the grader's feedback file follows the notebook's language.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from crmlib import checks, i18n
from crmlib.checks import registry

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "crmlib" / "locale" / "zh" / "LC_MESSAGES" / "crmlib.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})|%(?:\([a-z_]+\))?[sdfr]\b")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


ms = _load("crmlib_make_student", ROOT / "exercises" / "make_student.py")


def _catalogue():
    with PO.open("rb") as fh:
        return [m for m in read_po(fh, locale="zh") if m.id]


# ----------------------------------------------------------------------------- the catalogue
def test_every_library_message_has_a_chinese_translation():
    missing = [m.id for m in _catalogue() if not m.string]
    fuzzy = [m.id for m in _catalogue() if m.fuzzy]
    assert not missing, f"{len(missing)} messages without a translation, e.g. {missing[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations, e.g. {fuzzy[:3]}"


def test_every_check_message_is_in_the_catalogue():
    """What crmlib/checks marks (_(), gettext(), N_(), ngettext()) is in crmlib.po: nothing was
    marked after the last `tools/i18n.py extract`."""
    keywords = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    marked = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "crmlib" / "checks"), method_map=[("**.py", "python")], keywords=keywords
    ):
        marked.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    assert len(marked) > 400
    known = {m.id for m in _catalogue()}
    assert not marked - known, f"run `tools/i18n.py extract`: {sorted(marked - known)[:3]}"


def test_placeholders_are_identical_in_msgid_and_msgstr():
    bad = [
        (m.id, m.string)
        for m in _catalogue()
        if m.string and sorted(FIELD.findall(m.id)) != sorted(FIELD.findall(m.string))
    ]
    assert not bad, f"{len(bad)} translations change a placeholder, e.g. {bad[:2]}"


def test_chinese_numbers_in_check_messages_equal_the_english_ones():
    """A hint quotes numbers (0.25, 52 weeks, 1,000 customers): the translation keeps every one."""
    number = re.compile(r"\d+(?:[.,]\d+)*")
    ours = [m for m in _catalogue() if any("crmlib/checks/" in loc[0] for loc in m.locations)]
    assert len(ours) > 400
    bad = [
        (m.id, m.string)
        for m in ours
        if sorted(n.replace(",", "") for n in number.findall(m.id))
        != sorted(n.replace(",", "") for n in number.findall(m.string))
    ]
    assert not bad, f"{len(bad)} translations change a number, e.g. {bad[:2]}"


# ----------------------------------------------------------------------------- English unchanged
# Recorded from the checks before they were marked for translation.
ENGLISH = {
    "0.4a right": (
        "0.4a",
        27312.39669421486,
        "[passed] Exercise 0.4a: 27,312.4 yuan is right (within 0.5% of the reference).\n    why:      V = m (1 + r/(1+d) + (r/(1+d))^2 + (r/(1+d))^3) with m = 36 x 1,100 x 0.3: the first fair counts in full, each later one weighted by the chance she returns and discounted.",
    ),
    "0.4a wrong": (
        "0.4a",
        35506.11570247932,
        "[not yet right] Exercise 0.4a: not the expected value.\n    expected: a number (yuan), within 0.5% of the reference, in [0, inf]\n    found:    35,506.12\n    hint:     higher than the reference by more than 5%: retrace the steps and the inputs.",
    ),
    "3.1b right": (
        "3.1b",
        3249.999999999998,
        "[passed] Exercise 3.1b: 3,250 USD is right (within 0.5% of the reference).\n    why:      With margins at the end of each year, year t counts with weight r^t / (1 + d)^t; the geometric series sums to m r / (1 + d - r).",
    ),
    "3.1b percent": (
        "3.1b",
        324999.9999999998,
        "[not yet right] Exercise 3.1b: not the expected value.\n    expected: a number (USD), within 0.5% of the reference\n    found:    325,000\n    hint:     100 times too large: it looks like a percentage (25 for 25%) where a fraction (0.25) is expected.",
    ),
    "3.1b not attempted": (
        "3.1b",
        Ellipsis,
        "[not attempted yet] Exercise 3.1b: replace the ... in answer_3_1b with your answer, then run this cell again.",
    ),
    "4.2a right": (
        "4.2a",
        360.0,
        "[passed] Exercise 4.2a: 360 yuan per year is right (within 0.5% of the reference).\n    why:      CV = Q (U - P) - O - M: the surplus of her rides with the current app minus its upkeep; she pays no switching cost to stay.",
    ),
    "4.2a slip 0": (
        "4.2a",
        400.0,
        "[not yet right] Exercise 4.2a: not the expected value.\n    expected: a number (yuan per year), within 0.5% of the reference\n    found:    400\n    hint:     the upkeep M (40 yuan a year of membership) is missing: it is a cost of the current relationship too.",
    ),
    "5.2a percent": (
        "5.2a",
        64.01580403740063,
        "[not yet right] Exercise 5.2a: the answer is outside the possible range.\n    expected: a number (fraction of callers), within 0.5% of the reference, in [0, 1]\n    found:    64.0158\n    hint:     a sensible answer lies in [0, 1] (fraction of callers). that is a percentage; the exercise asks for a fraction (0.64 for 64%).",
    ),
    "5.2a wrong": (
        "5.2a",
        0.8322054524862081,
        "[not yet right] Exercise 5.2a: not the expected value.\n    expected: a number (fraction of callers), within 0.5% of the reference, in [0, 1]\n    found:    0.832205\n    hint:     higher than the reference by more than 5%: retrace the steps and the inputs.",
    ),
    "6.1a right": (
        "6.1a",
        0.6968001079376875,
        "[passed] Exercise 6.1a: 0.6968 is right (within 0.5% of the reference).\n    why:      She missed the last fair after a regular run: the BG/BB model weighs that silence against her frequency. Recency, not only frequency, carries the information.",
    ),
    "6.1a wrong": (
        "6.1a",
        0.9058401403189938,
        "[not yet right] Exercise 6.1a: not the expected value.\n    expected: a number (probability), within 0.5% of the reference, in [0, 1]\n    found:    0.90584\n    hint:     higher than the reference by more than 5%: retrace the steps and the inputs.",
    ),
    "3.4b choice wrong": (
        "3.4b",
        "a",
        "[not yet right] Exercise 3.4b: (a) is not the best answer.\n    expected: one letter among a, b, c\n    found:    'a'\n    hint:     in the sBG model each customer's churn probability is constant.",
    ),
    "3.4b choice right": (
        "3.4b",
        "b",
        "[passed] Exercise 3.4b: (b) is right: Customers differ: the ones with a high churn probability leave first, so the survivors are increasingly the loyal ones, although no individual's churn probability changes.\n    why:      Heterogeneity sorts the cohort: the high-churn customers leave early, so the survivors' average retention rises although nobody's own retention changes.",
    ),
    "5.6b written short": (
        "5.6b",
        "Add one agent.",
        "[not yet right] Exercise 5.6b: the answer is too short to discuss the case (3 words).\n    expected: a text of at least 60 words (or 90 汉字)\n    hint:     a good answer discusses: pre- and post-process vs in-process: start the service in the line, keep the wait after it short; occupied time: something useful to do while waiting; uncertain and unexplained waits: announce and explain; fairness: one line, first come first served, visible rules for priority; comfort and familiarity; an option that removes the wait (app, express).",
    ),
}


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_english_messages_are_byte_identical_to_before(key):
    exercise_id, answer, message = ENGLISH[key]
    assert checks.exercise(exercise_id, answer, echo=False).message == message
    with i18n.language("en"):
        assert checks.exercise(exercise_id, answer, echo=False).message == message


# ----------------------------------------------------------------------------- Chinese feedback
def _chinese_enough(text: str) -> bool:
    """Most of what a student reads is Chinese: the Latin words left are few (code, symbols, names)."""
    prose = re.sub(r"'[^']*'|\b[A-Za-z_]+\([^)]*\)|[A-Za-z_]+\.[A-Za-z_.]+", " ", text)
    words = re.findall(r"\b[a-z]{4,}\b", prose)
    return len(CJK.findall(text)) >= 10 and len(words) <= 3


@pytest.mark.parametrize("exercise_id", ["0.4a", "3.1b", "4.2a", "5.2a", "6.1a"])
def test_wrong_and_right_answers_get_chinese_feedback(exercise_id):
    entry = registry.lookup(exercise_id)
    ref = float(registry.reference(entry))
    with i18n.language("zh"):
        right = checks.exercise(exercise_id, ref, echo=False)
        wrong = checks.exercise(exercise_id, ref * 1.3, echo=False)
        slipped = [checks.exercise(exercise_id, registry.slip_value(entry, s), echo=False) for s in entry.slips]
        todo = checks.exercise(exercise_id, ..., echo=False)
    assert right.status == "passed" and right.message.startswith(f"[通过] 练习 {exercise_id}：")
    assert "\n    原因：" in right.message and _chinese_enough(right.message), right.message
    assert wrong.status == "not yet right" and wrong.message.startswith(f"[尚未答对] 练习 {exercise_id}：")
    for label in ("期望：", "实际：", "提示："):
        assert f"\n    {label}" in wrong.message
    assert _chinese_enough(wrong.message), wrong.message
    for result in slipped:  # each slip's own hint, in Chinese
        hint = result.message.split("提示：", 1)[1]
        assert result.status == "not yet right" and len(CJK.findall(hint)) >= 5, result.message
    assert todo.message.startswith(f"[尚未作答] 练习 {exercise_id}：请把 {entry.variable} 里的 ... 换成你的答案")
    # the language is a setting, not a state: English again outside the block
    assert checks.exercise(exercise_id, ref, echo=False).message.startswith(f"[passed] Exercise {exercise_id}:")


def test_choice_options_and_generic_checks_speak_chinese(capsys):
    with i18n.language("zh"):
        checks.show_options("3.4b")
        wrong = checks.exercise("3.4b", "a", echo=False)
        array = checks.check_array([1, 0.8, 0.64], [1.0, 0.8, 0.64, 0.512], name="Exercise 3.4")
        compound = checks.check_number(0.12, 1 - (1 - 0.12) ** (1 / 12), name="Exercise 3.2", unit="per month")
    options = capsys.readouterr().out
    assert options.startswith("(a) 每位客户留得越久，就变得越忠诚。") and "Customers differ" not in options
    assert "sBG 模型" in wrong.message and "(a) 不是最佳答案" in wrong.message
    assert "少了一个元素" in array.message and "一个含 3 个元素的列表（list），形状为 (3,)" in array.message
    assert "按 12 个月复合" in compound.message or "按一年复合" in compound.message
    with i18n.language("zh"):  # the labels are equally wide: each body starts right after its full-width colon
        lines = checks.check_number(2.0, 1.0, name="E").message.splitlines()[1:]
    assert len(lines) >= 2 and all(ln[:4] == "    " and ln[6] == "：" and ln[7] != " " for ln in lines), lines
    lines = checks.check_number(2.0, 1.0, name="E").message.splitlines()[1:]  # English: bodies in column 14
    assert all(ln[13] == " " and ln[14] != " " for ln in lines), lines


def test_status_tags_of_the_report_match_the_catalogue():
    with i18n.language("zh"):
        tags = {i18n.gettext(s): s for s in checks.STATUSES}
    assert tags == ms.STATUS_TAGS_ZH
    with i18n.language("zh"):
        line = checks.exercise("3.1b", 3250.0, echo=False).message.splitlines()[0]
    m = ms.STATUS_LINE.match(line)
    assert m and ms.STATUS_TAGS_ZH[m.group(1)] == "passed" and m.group(2) == "练习 3.1b"


# ----------------------------------------------------------------------------- written answers
def test_chinese_written_answers_are_measured_by_characters():
    text = "客户终身价值是客户在整个生命周期内带来的利润。"  # 22 汉字, punctuation not counted
    n = checks.written_length(text)
    assert (n.words, n.characters) == (0, 22) and n.length == pytest.approx(22 / 1.5)
    mixed = checks.written_length("她的CLV约为3,250美元，流失率10%。")  # CLV, 3,250 and 10 are words
    assert (mixed.words, mixed.characters) == (3, 9)
    assert checks.written_length("ＣＬＶ很高").words == 1  # full-width letters are a word, not characters
    ninety, eighty_nine = "好" * 90, "好" * 89  # 60 words = 90 汉字
    with i18n.language("zh"):
        assert checks.check_written(ninety, name="Exercise 5.6", min_words=60).status == "answered"
        short = checks.check_written(eighty_nine, name="Exercise 5.6", min_words=60, aspects=["服务水平"])
    assert short.status == "not yet right"
    assert short.message == (
        "[尚未答对] 练习 5.6：答案太短，不足以讨论这个案例（89 个汉字，约合 59 个英文单词）。\n"
        "    期望：一段至少 90 个汉字（或 60 个英文单词）的文字\n"
        "    提示：好的答案会讨论：服务水平。"
    )
    with i18n.language("zh"):
        assert str(checks.written_length("one two 三四五")) == "2 个英文单词 + 3 个汉字，约合 4 个英文单词"
    # a Chinese answer in the English edition is measured the same way
    assert checks.check_written(ninety, name="Exercise 5.6", min_words=60).status == "answered"


def test_written_exercise_of_a_registry_in_chinese():
    with i18n.language("zh"):
        done = checks.exercise("5.6b", "排队时就开始服务，告知等待时间并说明原因。" * 6, echo=False)
    assert done.status == "answered" and done.message.startswith("[已作答] 练习 5.6b：答案已记录（")
    assert "对照：" in done.message and "有事可干的等待" in done.message


# ----------------------------------------------------------------------------- the student copy
def _solution(lang: str | None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 练习 — 第 3 章：客户终身价值"),
        nbformat.v4.new_code_cell('from crmlib import i18n\n\ni18n.set_language("zh")\nfrom crmlib import checks'),
        nbformat.v4.new_markdown_cell("### 练习 3.1 — 史密斯太太的价值"),
        nbformat.v4.new_code_cell("answer_3_1b = 650 * 0.90 / (1 + 0.08 - 0.90)", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell(
            'def value_over(margin, periods):\n    """价值。"""\n    return margin * periods',
            metadata={"tags": ["solution"]},
        ),
        nbformat.v4.new_code_cell('letter = "b"\nessay = """很长的答案。"""', metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("她的价值很高。", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell('checks.exercise("3.1b", answer_3_1b)', metadata={"tags": ["check"]}),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    if lang:
        nb.metadata["crmlib"] = {"language": lang, "source": "exercises/solutions/03_x.ipynb"}
    return nb


def test_a_chinese_solution_gives_a_student_copy_with_chinese_placeholders(tmp_path):
    sols, out = tmp_path / "solutions" / "zh", tmp_path / "zh"
    sols.mkdir(parents=True)
    out.mkdir()
    nbformat.write(_solution("zh"), sols / "03_x.ipynb")
    status, path = ms.generate(sols / "03_x.ipynb", out, run=False, log=lambda *_: None)
    assert status == "written"
    copy = nbformat.read(path, as_version=4)
    sources = [c.source for c in copy.cells]
    assert sources[3] == "answer_3_1b = ...  # 在这里写你的代码"
    assert sources[4] == 'def value_over(margin, periods):\n    """价值。"""\n    return ...  # 在这里写你的代码'
    assert sources[5] == (
        'letter = ...  # 在这里写你的答案：选项字母，放在引号里\nessay = ...  # 在这里写你的答案，写成文本："""..."""'
    )
    assert sources[6] == "*在这里写下你的答案。*"
    assert not any("your code here" in s or "Your answer here" in s for s in sources)
    meta = copy.metadata["crmlib"]
    assert meta["language"] == "zh" and meta["generated_from"] == "solutions/zh/03_x.ipynb" and ms.is_pristine(copy)
    # the generator's guarantee holds in Chinese too: a student's edit is never overwritten
    copy.cells[3].source = "answer_3_1b = 3250"
    nbformat.write(copy, path)
    before = path.read_bytes()
    changed = _solution("zh")
    changed.cells[2].source = "### 练习 3.1 — 史密斯太太的终身价值"  # the lecturer revises the prompt
    nbformat.write(changed, sols / "03_x.ipynb")
    status, beside = ms.generate(sols / "03_x.ipynb", out, run=False, log=lambda *_: None)
    assert status == "written beside" and path.read_bytes() == before and beside.name == "03_x.new.ipynb"


def test_an_english_solution_still_gives_english_placeholders():
    student = ms.build_student(_solution(None), "03_x.ipynb")
    # no metadata: the set_language("zh") cell is what tells the language
    assert ms.notebook_language(_solution(None)) == "zh"
    english = _solution(None)
    english.cells[1].source = "from crmlib import checks"
    student = ms.build_student(english, "03_x.ipynb")
    assert student.cells[3].source == "answer_3_1b = ...  # your code here"
    assert student.cells[6].source == "*Your answer here.*"
    assert "language" not in student.metadata["crmlib"]
    assert ms.placeholder_source("print(1)", "zh") == "# 在这里写你的代码"


def test_the_report_reads_chinese_checks_and_speaks_chinese(tmp_path):
    nb = _solution("zh")
    nb.cells[3].source = "answer_3_1b = 3000"  # not yet right
    nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", []) or c.id == "c3"]
    nb.cells.append(nbformat.v4.new_markdown_cell("### 练习 3.2 — 还没做"))
    nb.cells.append(nbformat.v4.new_code_cell('checks.exercise("3.1c", ...)'))
    path = tmp_path / "03_x.ipynb"
    nbformat.write(nb, path)
    lines: list[str] = []
    assert ms.report(path, log=lines.append, timeout=60) == 1
    text = "\n".join(lines)
    assert text.startswith("03_x.ipynb 的报告（运行的是一份副本；你的笔记本没有被改动）")
    assert "  尚未答对  练习 3.1 — 史密斯太太的价值" in text
    assert "  尚未作答  练习 3.2 — 还没做" in text
    assert "2 道练习中完成了 0 道；尚未答对 1 道，尚未作答 1 道。" in text
    assert "在笔记本里运行某道练习的检查单元格" in text


# ----------------------------------------------------------------------------- the grader's feedback
def test_the_grading_feedback_follows_the_notebook_language():
    grader = _load("crmlib_grade_i18n", ROOT / "tools" / "grade.py")
    entries = registry.registry(3)
    with i18n.language("zh"):
        results = {i: checks.exercise(i, ..., echo=False) for i in entries}
    graded = {i: grader.Graded(r.status, 0.0, r.message, grader.tr("not attempted", "zh")) for i, r in results.items()}
    r = grader.StudentResult("李娜", "li_na/03_customer_lifetime_value.ipynb", graded, {}, [], "zh")
    text = grader.feedback_text(r, entries, 3, 60)
    assert text.startswith("# 李娜 的反馈：第 3 章练习\n\n提交的文件：`03_customer_lifetime_value.ipynb`")
    assert "**得分：0 / " in text and "## 练习 3.1a：0 / 1" in text and "备注：尚未作答。" in text
    assert "[尚未作答] 练习 3.1a：" in text and "原因：" in text
    assert "Exercise" not in text and "Why:" not in text
    english = grader.feedback_text(grader.StudentResult("ana", "", graded, {}, []), entries, 3, 60)
    assert english.startswith("# Feedback for ana: exercises of chapter 3") and "## Exercise 3.1a: 0 of 1" in english
