"""Chapter 5 (the psychology of waiting) speaks Chinese in the Chinese edition (issue 17).

* every library message of chapter 5 (waiting model, figures, widgets, checks) has a Chinese
  translation in ``crmlib/locale/zh/LC_MESSAGES/crmlib.po`` with the same ``{field}`` placeholders;
* the records of the chapter (:class:`~crmlib.waiting.QueueScenario`, ``WaitExperience``,
  ``QueueDesign``) label every field in Chinese under ``i18n.language("zh")``, and print exactly
  as a dataclass in English;
* the queue disciplines named in the simulation and fairness results read in Chinese;
* the principles table shows its index codes (``occupied``, ``group`` …) as Chinese short names,
  while the data keep the codes that ``only_worse`` and ``factors=`` use;
* the published figures (Jones & Peppiatt 1996, Munichor & Rafaeli 2007), shown as a Series, are
  labelled in Chinese;
* the built Chinese notebook shows these outputs (and "是否稳定：否") without English words, and the
  English notebook keeps its English output.
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

from crmlib import i18n, waiting

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tools  # noqa: E402  (tools/i18n.py)
from i18n_harness import BRACES, chinese, numbers  # noqa: E402

CHAPTER_FILES = {
    "crmlib/waiting.py",
    "crmlib/plotting/waiting.py",
    "crmlib/widgets/waiting.py",
    "crmlib/checks/ch05.py",
}
#: An English word a reader would see: three letters or more, not part of an identifier (``mean_wait``)
#: nor a field name before its value (``slipped=0.251``, which follows its Chinese label).
ENGLISH_WORD = re.compile(r"(?<![A-Za-z_])[a-z]{3,}(?![A-Za-z_=])")
NOTEBOOK = "05_psychology_of_waiting.ipynb"


def english_words(text: str) -> list[str]:
    return ENGLISH_WORD.findall(text)


def dataclass_repr(obj) -> str:
    """What ``@dataclass`` would print: ``Class(field=value, ...)``."""
    parts = [f"{f.name}={getattr(obj, f.name)!r}" for f in dataclasses.fields(obj) if f.repr]
    return f"{type(obj).__qualname__}({', '.join(parts)})"


# ------------------------------------------------------------------ the catalogue
def test_every_chapter_5_message_is_translated_with_the_same_fields():
    catalogue = [m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id]
    ours = [m for m in catalogue if {path for path, _line in m.locations} & CHAPTER_FILES]
    assert len(ours) > 200, f"only {len(ours)} messages of chapter 5 in the catalogue: run tools/i18n.py extract"
    untranslated = [m.id for m in ours if not m.string or m.fuzzy]
    assert not untranslated, f"{len(untranslated)} chapter-5 messages without Chinese, e.g. {untranslated[:3]}"
    for m in ours:
        assert sorted(BRACES.findall(m.id)) == sorted(BRACES.findall(m.string)), (m.id, m.string)
        assert chinese(m.string) or not re.search(r"[a-z]{3,} [a-z]{3,}", m.id), (m.id, m.string)


# ------------------------------------------------------------------ records
def _records():
    return {
        "scenario": waiting.queue_scenario(1.5, 2.0, 4),
        "experience": waiting.WaitExperience(occupied=True, anxiety=True, fair=True),
        "design": waiting.queue_design(servers=5, occupy=True, single_line=True),
    }


@pytest.mark.parametrize("name", ["scenario", "experience", "design"])
def test_records_print_as_dataclasses_in_english(name):
    record = _records()[name]
    assert repr(record) == dataclass_repr(record)
    assert not chinese(repr(record))


def test_queue_scenario_labels_its_fields_in_chinese():
    record = _records()["scenario"]
    with i18n.language("zh"):
        zh = repr(record)
    assert zh == (
        "QueueScenario(arrival_rate=1.5（到达率）, service_rate=0.5（服务率）, servers=4（服务台数）, "
        "time_unit='minute'（时间单位）)"
    )
    assert numbers(zh) == numbers(repr(record))


def test_wait_experience_labels_every_flag_with_its_question_in_chinese():
    record = _records()["experience"]
    with i18n.language("zh"):
        zh = repr(record)
    labels = re.findall(r"(\w+)=(True|False)（([^）]*)）", zh)
    assert [name for name, _value, _label in labels] == [f.name for f in dataclasses.fields(record)]
    assert all(chinese(label) and not english_words(label) for _name, _value, label in labels), labels
    assert "anxiety=True（是否平静、不焦虑）" in zh  # True = calm: the label says which way the flag points
    assert "occupied=True（是否有事可干）" in zh and "fair=True（是否公平）" in zh


def test_queue_design_labels_its_levers_and_its_scenario_in_chinese():
    record = _records()["design"]
    with i18n.language("zh"):
        zh = repr(record)
    assert zh.startswith("QueueDesign(scenario=QueueScenario(arrival_rate=1.5（到达率）")
    assert "（排队场景）" in zh
    for lever in ("occupy=True（是否让等待有事可干）", "announce=False（", "single_line=True（是否用单一蛇形队列）"):
        assert lever in zh, zh
    assert "target_time=0.5（目标等待时间）" in zh
    # every field of the design and of its scenario is labelled
    assert zh.count("（") == len(dataclasses.fields(record)) + len(dataclasses.fields(record.scenario))
    assert numbers(zh) == numbers(repr(record))


# ------------------------------------------------------------------ disciplines
@pytest.fixture(scope="module")
def simulations():
    one = waiting.simulate_queue(3.0, 1.0, 4, 3000, rng=np.random.default_rng(1))
    shortest = waiting.simulate_parallel_lines(3.0, 1.0, 4, 3000, rng=np.random.default_rng(1))
    random_line = waiting.simulate_parallel_lines(3.0, 1.0, 4, 3000, choice="random", rng=np.random.default_rng(1))
    return one, shortest, random_line


def test_queue_disciplines_read_in_chinese_in_the_results(simulations):
    expected = ["单一队列（先到先服务）", "多条平行队列（排最短的一条）", "多条平行队列（随机排一条）"]
    for sim, name in zip(simulations, expected):
        fairness = waiting.queue_fairness(sim)
        english = (repr(sim), repr(fairness))
        with i18n.language("zh"):
            zh = (repr(sim), repr(fairness), i18n.translate_frame(fairness.summary()))
        assert zh[0].startswith(f"QueueSimulation({name}，") and zh[1].startswith(f"FairnessResult({name}：")
        assert list(zh[2].columns) == [name]
        for e, z in zip(english, zh[:2]):
            # the field names (mean_wait=…) stay as code; no English word is left besides them
            assert not english_words(z), z
            assert numbers(z) == numbers(e)
        assert sim.discipline in english[0] and sim.discipline in english[1]  # the data keep the English name


def test_english_results_keep_the_discipline_names(simulations):
    one, shortest, _ = simulations
    assert repr(waiting.queue_fairness(one)).startswith("FairnessResult(FCFS single line: slipped=0.000, ")
    assert repr(waiting.queue_fairness(shortest)).startswith("FairnessResult(parallel lines (shortest): slipped=")
    assert repr(one).startswith("QueueSimulation(FCFS single line, customers=3000, ")


# ------------------------------------------------------------------ tables
def test_principles_table_shows_chinese_short_names_and_keeps_the_keys():
    table = waiting.principles_table()[["principle", "中文", "factor", "evidence"]]  # as the notebook shows it
    assert i18n.translate_frame(table) is table
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    keys = list(waiting.PRINCIPLES[i].key for i in range(len(waiting.PRINCIPLES)))
    assert list(table.index) == keys and table.index.name == "key"  # codes for only_worse() and factors=
    assert all(chinese(k) and not english_words(k) for k in shown.index), list(shown.index)
    assert len(set(shown.index)) == len(keys)
    assert dict(zip(keys, shown.index))["group"] == "许多人一起"  # the principle, not a group of data (组别)
    assert dict(zip(keys, shown.index))["occupied"] == "有事可干"
    assert shown.index.name == "代号"
    np.testing.assert_array_equal(shown["系数"].to_numpy(), table["factor"].to_numpy())
    waiting.only_worse(table.index[0])  # the keys still work as code


def test_published_figures_as_series_are_labelled_in_chinese():
    for data in (waiting.JONES_PEPPIATT_1996, waiting.MUNICHOR_RAFAELI_2007):
        series = pd.Series(data)
        with i18n.language("zh"):
            shown = i18n.translate_frame(series)
            text = repr(shown)
        assert all(chinese(label) for label in shown.index), list(shown.index)
        assert [w for w in english_words(text) if w not in ("dtype", "float")] == [], text
        np.testing.assert_array_equal(shown.to_numpy(), series.to_numpy())
    assert list(waiting.JONES_PEPPIATT_1996) == ["actual_seconds", "perceived_seconds", "ratio"]
    assert list(waiting.MUNICHOR_RAFAELI_2007) == ["music only", "music + apologies", "music + queue position"]
    with i18n.language("zh"):
        assert i18n.label("music + queue position") == "音乐 + 告知排队位置"


# ------------------------------------------------------------------ the notebooks
def _outputs(path: Path) -> dict[str, str]:
    nb = nbformat.read(path, as_version=4)
    out = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for o in cell.get("outputs", []):
            t = o.get("text") or o.get("data", {}).get("text/plain", "")
            texts.append("".join(t) if isinstance(t, list) else t)
        out[cell.id] = "".join(texts)
    return out


#: Cells whose output this chapter fixed: the two published figures, the principles table, the
#: stability line and the fairness results.
FIXED_CELLS = ("275fad4f", "99d5f64c", "f5b830c7", "13debc02", "3514384e")


def test_the_chinese_notebook_shows_these_outputs_in_chinese():
    zh = _outputs(ROOT / "notebooks" / "zh" / NOTEBOOK)
    for cell_id in FIXED_CELLS:
        lines = [ln for ln in zh[cell_id].splitlines() if ln.strip() and not ln.startswith("dtype:")]
        assert lines, cell_id
        left = [ln for ln in lines if english_words(ln)]
        assert not left, (cell_id, left)
    assert "10 名座席：利用率 1.00，是否稳定：否" in zh["13debc02"]


def test_the_english_notebook_keeps_its_english_output():
    en = _outputs(ROOT / "notebooks" / NOTEBOOK)
    assert "10 agents: utilisation 1.00, stable: no\n" in en["13debc02"]
    assert en["275fad4f"].startswith("actual_seconds       158.000000\n")
    assert en["f5b830c7"].startswith("music only                0.70\n")
    assert "occupied       Unoccupied time feels longer than occupied time" in en["99d5f64c"]
    assert "FairnessResult(FCFS single line: slipped=0.000" in en["3514384e"]
    assert not any(chinese(en[c]) for c in ("275fad4f", "f5b830c7", "13debc02", "3514384e"))
