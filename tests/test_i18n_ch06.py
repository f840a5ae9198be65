"""Chapter 6 (the relationship life cycle) prints no English beyond codes in the Chinese edition.

What session 4 fixed, and what must not turn English again:

* a customer's path through the stages and the stages she skipped (``lifecycle.stage_paths``)
  are written with the stages' Chinese names (关系确认 → 关系弱化, "关系确认、关系弱化"; the
  life-cycle "trust" is 关系信任, never chapter 2's 信任感), while the English edition keeps
  the codes ("confirmation → weakening");
* the column headers the chapter's notebook gives its tables (``fairs in next 5``,
  ``residual value (yuan)``, ``score (1-5)``) and the segment labels of Exercise 6.5 (``key
  accounts``, ``regular``, ``small``) show in Chinese; the data keep the English labels;
* the verdict of the rescue-or-end rule is shown as 挽救 / 终止 (the glossary's words) through
  ``RescueDecision.action_label``, while ``action`` stays the code "rescue" / "end";
* the reprs of ``RescueCase`` and ``RescueDecision`` name every field in Chinese beside the
  English field name and value, and are the plain dataclass reprs in English;
* the built Chinese notebook's cells that printed English (headers, paths, skipped stages,
  decision words, "same as by hand: True") are Chinese, and the English notebook's are English.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from crmlib import glossary, i18n, lifecycle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from i18n_harness import chinese, numbers  # noqa: E402

ENGLISH_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}\b")
STAGE_TERMS = {  # the glossary's English term of each stage code
    "cultivation": "cultivation stage",
    "confirmation": "confirmation stage",
    "trust": "trust stage",
    "weakening": "weakening stage",
    "dissolution": "dissolution stage",
}


def glossary_chinese(english: str) -> str:
    return next(t.chinese for t in glossary.terms(chapter=6) if t.english == english)


@pytest.fixture(scope="module")
def wide():
    """Four customers' stages over four months (NaN: not observed yet)."""
    return pd.DataFrame(
        [
            ["cultivation", "confirmation", "trust", "trust"],
            ["confirmation", "weakening", "dissolution", "dissolution"],
            ["confirmation", "confirmation", "dissolution", "trust"],
            [np.nan, "confirmation", "trust", "weakening"],
        ],
        index=pd.Index([11, 12, 13, 14], name="customer_id"),
    )


# ------------------------------------------------------------------ stage paths
def test_stage_paths_keep_the_codes_in_english(wide):
    paths = lifecycle.stage_paths(wide)
    assert paths["path"].tolist() == [
        "cultivation → confirmation → trust",
        "confirmation → weakening → dissolution",
        "confirmation → dissolution → trust",
        "confirmation → trust → weakening",
    ]
    assert paths["skipped"].tolist() == ["", "trust", "trust, weakening", ""]
    assert paths["returned"].tolist() == [False, False, True, False]


def test_stage_paths_are_shown_with_the_glossarys_stage_names_in_chinese(wide):
    """The data keep the codes in both languages; the displayed table translates each joined stage."""
    english = lifecycle.stage_paths(wide)
    with i18n.language("zh"):
        paths = lifecycle.stage_paths(wide)
        shown = i18n.translate_frame(paths)
        names = {code: i18n.pgettext("life cycle stage", code) for code in lifecycle.STAGES}
        counts = i18n.translate_frame(paths["skipped"].replace("", "none").value_counts())
    pd.testing.assert_frame_equal(paths, english)
    for code, name in names.items():  # 关系信任 for the stage "trust": the glossary's 关系信任阶段, not 信任感
        assert chinese(name) and glossary_chinese(STAGE_TERMS[code]).startswith(name), (code, name)
    assert shown.iloc[1, 0] == " → ".join(names[s] for s in ("confirmation", "weakening", "dissolution"))
    assert shown.iloc[:, 1].tolist() == ["", names["trust"], f"{names['trust']}、{names['weakening']}", ""]
    for text in [*shown.iloc[:, 0], *shown.iloc[:, 1], *shown.columns, shown.index.name]:
        assert not ENGLISH_WORD.findall(str(text)), text
    assert "信任感" not in "".join(shown.iloc[:, 1])
    assert not any(ENGLISH_WORD.findall(str(label)) for label in counts.index), counts


def test_the_chapters_stage_count_table_shows_stages_not_chapter_2s_trust():
    """The notebook counts each customer's last stage with ``apply(value_counts)`` on the staged
    history: the table keeps the stage context, so "trust" shows as 关系信任."""

    class Silence:  # P(alive) falls with the weeks since the last purchase
        def prob_alive(self, frequency, recency, T):
            return np.exp(-(np.asarray(T) - np.asarray(recency)) / 8)

    log = pd.DataFrame(
        {"id": [1, 1, 2, 3, 3, 3], "date": ["2024-01-03", "2024-02-07", "2024-01-10"] + ["2024-05-20"] * 3}
    )
    stages = lifecycle.stage_history(log, "id", "date", Silence(), end="2024-06-30")["stage"].unstack()
    last = pd.concat({"A": stages.iloc[:, -1], "B": stages.iloc[:, -1]}, axis=1)
    table = last.apply(pd.Series.value_counts, sort=False)
    assert list(table.index) == list(lifecycle.STAGES)
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    assert list(shown.index) == [glossary_chinese(STAGE_TERMS[s])[:-2] for s in lifecycle.STAGES]
    assert shown.to_numpy().tolist() == table.to_numpy().tolist()


# ------------------------------------------------------------------ headers the notebook writes
def test_the_notebooks_headers_and_exercise_segments_show_in_chinese():
    table = pd.DataFrame(
        {"fairs in next 5": [3.753, 0.583], "residual value (yuan)": [59098.942, 9184.71], "score (1-5)": [4, 3]},
        index=pd.Index(["key accounts", "regular"]),
    )
    assert i18n.translate_frame(table) is table
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    assert list(shown.columns) == ["未来5届预期参展届数", "剩余价值（元）", "得分（1-5）"]
    assert list(shown.index) == ["重点客户", "普通客户"]
    assert shown.to_numpy().tolist() == table.to_numpy().tolist()
    assert list(table.columns) == ["fairs in next 5", "residual value (yuan)", "score (1-5)"]  # data unchanged


# ------------------------------------------------------------------ rescue or end
def test_the_verdict_is_the_code_in_english_and_the_glossarys_word_in_chinese():
    rescue = lifecycle.rescue_decision(0.3, 40_000, 5_000)
    end = lifecycle.rescue_decision(0.1, 40_000, 5_000)
    assert (rescue.action, rescue.action_label, end.action, end.action_label) == ("rescue", "rescue", "end", "end")
    with i18n.language("zh"):
        assert (rescue.action, end.action) == ("rescue", "end")  # the code compared by checks stays
        verdicts = (rescue.action_label, end.action_label)
    assert verdicts == tuple(glossary_chinese("rescue or end").split(" / "))  # 挽救 / 终止


def plain_repr(record) -> str:
    """The repr a dataclass writes by itself (what the English edition must keep printing)."""
    shown = ", ".join(f"{f.name}={getattr(record, f.name)!r}" for f in dataclasses.fields(record) if f.repr)
    return f"{type(record).__name__}({shown})"


@pytest.mark.parametrize("kind", ["case", "decision"])
def test_rescue_records_label_every_field_in_chinese(kind):
    res = lifecycle.BGBBResult(
        param_names=("alpha", "beta", "gamma", "delta"),
        n_obs=1,
        converged=True,
        param_values=(1.204, 0.750, 0.657, 2.783),
    )
    case = lifecycle.rescue_case()
    record = case if kind == "case" else lifecycle.evaluate_rescue(res, case)
    english = repr(record)
    assert english == plain_repr(record)
    with i18n.language("zh"):
        text = repr(record)
    assert numbers(text.replace("P(alive)", "")) == numbers(english)  # the same values, no digit added
    names = [f.name for f in dataclasses.fields(record) if f.repr]
    labels = re.findall(r"\b(\w+)=[^（,]*（([^）]*)）", text)
    assert [name for name, _label in labels] == names, text  # every field, in order, has a label
    for name, label in labels:
        assert chinese(label), (name, label)
        assert not ENGLISH_WORD.findall(label.replace("P(alive)", "")), (name, label)
    if kind == "decision":
        assert "action='rescue'（决策：挽救）" in text


# ------------------------------------------------------------------ the built notebooks
#: Cells of chapter 6 that printed English in the Chinese edition before session 4.
FIXED_CELLS = (
    "b46f9555",
    "6d8bfd8a",
    "6f5444a3",
    "e16706ec",
    "2b036726",
    "83e124bb",
    "f1093c0d",
    "a2ed621e",
    "0bc7425a",
)
#: Code, symbols and names that stay as they are (P(alive), DERT, BG/NBD, evaluate_rescue, crmlib).
ALLOWED = re.compile(
    r"P\((?:alive|success)\)|\bDERT\b|BG/NBD|Pareto/NBD|\bevaluate_rescue\b|\bcrmlib\b|\bdtype\b|\bName\b|\bint64\b"
)


def outputs(path: Path) -> dict[str, str]:
    nb = nbformat.read(path, as_version=4)
    texts = {}
    for cell in nb.cells:
        if cell.get("id") in FIXED_CELLS:
            parts = [o.get("text") or o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])]
            texts[cell.get("id")] = "".join(p for p in parts if not p.startswith("<Figure"))
    return texts


def test_the_built_chapter_6_prints_no_english_beyond_codes():
    zh = outputs(ROOT / "notebooks" / "zh" / "06_relationship_life_cycle.ipynb")
    en = outputs(ROOT / "notebooks" / "06_relationship_life_cycle.ipynb")
    assert set(zh) == set(en) == set(FIXED_CELLS)
    for cid, text in zh.items():
        words = ENGLISH_WORD.findall(ALLOWED.sub(" ", text))
        assert not words, (cid, words, text[:300])
        assert chinese(text), cid
    assert "关系确认 → 关系弱化 → 关系消失" in zh["e16706ec"]
    assert "→ 挽救" in zh["83e124bb"] and "与手算结果一致： 是" in zh["6f5444a3"]
    # the English edition keeps its English (codes and words)
    assert "confirmation → weakening → dissolution" in en["e16706ec"]
    assert "confirmation, weakening" in en["2b036726"]
    assert "expected gain 2,549 yuan -> rescue" in en["83e124bb"]
    assert "same as by hand: yes" in en["6f5444a3"]
    assert "fairs in next 5" in en["b46f9555"] and "score (1-5)" in en["0bc7425a"]
