"""Chapter 0 (what CRM is) speaks Chinese in the Chinese edition (issue 17, session 4).

* every library message of chapter 0 (:mod:`crmlib.crm`, its checks registry, widget and figures)
  has a Chinese translation in ``crmlib/locale/zh/LC_MESSAGES/crmlib.po`` with the same
  ``{field}`` placeholders;
* the codes the chapter's tables show (CRM tiers and types, the four myths, the steps of the CRM
  process, the sources of prospect data, the departments an integrated customer record joins)
  are shown in Chinese under ``with i18n.language("zh"):``, while the data keep their English
  codes, so code that indexes or compares them works in both editions;
* splink's parameter names of the linkage model are shown with their readable part in Chinese
  (the column identifiers such as ``name_key`` and the measures' names stay);
* the sentences the library writes (the communication plan's goal and message, the segmentation's
  features) are Chinese in the Chinese edition, with the same numbers, and unchanged in English;
* the built Chinese notebook no longer shows those English codes and sentences, and the English
  notebook still does.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from crmlib import crm, i18n

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tools  # noqa: E402  (tools/i18n.py)
from i18n_harness import BRACES, chinese, numbers  # noqa: E402

CHAPTER_FILES = {"crmlib/crm.py", "crmlib/checks/ch00.py", "crmlib/widgets/crm.py", "crmlib/plotting/crm.py"}
#: a lower-case English word of three letters or more (what the leftover scan of the Chinese edition finds)
ENGLISH_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}\b")
#: words that stay in the Chinese edition by design: column identifiers, the measures' authors, lambda
KEPT = re.compile(r"\b(?:name_key|phone_key|email_key|birthday_key|lambda|Jaro-Winkler|Levenshtein)\b")


def english_words(text) -> list[str]:
    return ENGLISH_WORD.findall(KEPT.sub(" ", str(text)))


def _cells(frame: pd.DataFrame | pd.Series) -> list[str]:
    """Every label and word cell of a (translated) table, as text."""
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    out = [str(v) for v in frame.index] + [str(c) for c in frame.columns]
    for col in frame.columns:
        out += [str(v) for v in frame[col] if isinstance(v, str)]
    return out


@pytest.fixture(scope="module")
def records():
    return crm.simulate_scattered_records(80, rng=np.random.default_rng(2026))


@pytest.fixture(scope="module")
def ranked():
    return crm.rank_prospects(crm.simulate_exhibitor_prospects(120, rng=np.random.default_rng(7)))


# ------------------------------------------------------------------ the catalogue
def test_every_chapter_0_message_is_translated_with_the_same_fields():
    catalogue = [m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id]
    ours = [m for m in catalogue if {path for path, _line in m.locations} & CHAPTER_FILES]
    assert len(ours) > 150, f"only {len(ours)} messages of chapter 0 in the catalogue: run tools/i18n.py extract"
    untranslated = [m.id for m in ours if not m.string or m.fuzzy]
    assert not untranslated, f"{len(untranslated)} chapter-0 messages without Chinese, e.g. {untranslated[:3]}"
    for m in ours:
        assert sorted(BRACES.findall(m.id)) == sorted(BRACES.findall(m.string)), (m.id, m.string)


# ------------------------------------------------------------------ codes shown in tables
@pytest.mark.parametrize(
    "codes",
    [
        [crm.crm_tier(n) for n in (35, 600, 12_000)],
        list(crm.CRM_TYPES),
        [m.key for m in crm.MYTHS],
        [s.key for s in crm.CRM_PROCESS],
        [s.key for s in crm.PROSPECT_SOURCES],
        list(crm.DEPARTMENTS),
    ],
    ids=["tiers", "types", "myths", "process", "sources", "departments"],
)
def test_codes_are_shown_in_chinese_and_stay_english_in_the_data(codes):
    table = pd.Series(codes, index=codes, name="code").to_frame()
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    assert all(chinese(v) and not english_words(v) for v in [*shown.index, *shown["code"]]), shown
    assert len(set(shown.index)) == len(codes)  # no two codes read the same
    assert list(table.index) == codes and list(table["code"]) == codes  # the data are not changed


def test_the_myths_read_as_the_slides_name_them():
    with i18n.language("zh"):
        assert [i18n.label(m.key) for m in crm.MYTHS] == [m.chinese for m in crm.MYTHS]


def test_every_department_set_of_the_integrated_view_is_shown_in_chinese(records):
    for k in range(1, len(crm.DEPARTMENTS) + 1):
        for combo in itertools.combinations(crm.DEPARTMENTS, k):
            joined = ", ".join(combo)  # how integrated_view writes them (in the order of DEPARTMENTS)
            with i18n.language("zh"):
                shown = i18n.label(joined)
            assert chinese(shown) and not english_words(shown), (joined, shown)
            assert shown.count("、") == k - 1
    view = crm.integrated_view(records, crm.link_exact(records))
    assert "sales, service" in set(view["departments"]) or view["departments"].str.contains(", ").any()
    with i18n.language("zh"):
        shown = i18n.translate_frame(view)
    assert not [v for v in shown.iloc[:, 1] if english_words(v)], shown.iloc[:, 1].tolist()
    assert all(re.fullmatch(r"[a-z]+(, [a-z]+)*", v) for v in view["departments"])  # English data unchanged


def test_the_linkage_parameters_show_their_readable_part_in_chinese(records):
    fit = crm.link_records(records, rng=np.random.default_rng(4))
    english = fit.params.round(4).to_frame()
    assert english.index[0] == "lambda" and "name_key: Exact match on name_key (m)" in english.index
    with i18n.language("zh"):
        shown = i18n.translate_frame(english)
        assert fit.params["lambda"] == fit.param_values[0]  # code indexes the English names in Chinese too
    labels = list(shown.index)
    assert all(chinese(t) and not english_words(t) for t in labels), [t for t in labels if english_words(t)]
    for en, zh in zip(english.index, labels):
        assert numbers(en) == numbers(zh) and en.split(":")[0] in zh, (en, zh)  # same thresholds, same column
        assert en[-3:] in ("(m)", "(u)") and zh.endswith(f"（{en[-2]}）") or en == "lambda"
    assert list(english.index) == list(fit.param_names)  # English labels unchanged


# ------------------------------------------------------------------ sentences the library writes
def test_the_communication_plan_is_written_in_chinese_with_the_same_numbers(ranked):
    english = crm.communication_plan(ranked, 6)
    with i18n.language("zh"):
        plan = crm.communication_plan(ranked, 6)
        shown = i18n.translate_frame(plan)
    assert list(plan.index) == list(english.index)
    for col in ("whom", "goal", "message", "channel"):
        for en, zh in zip(english[col], shown.iloc[:, list(plan.columns).index(col)]):
            assert chinese(zh) and not english_words(zh), (col, zh)
            assert numbers(en.replace("m^2", "")) == numbers(zh), (en, zh)  # m^2 is written 平方米
    assert english["goal"].str.match(r"book a \d+ m\^2 booth|visit the fair").all()
    assert english["message"].str.startswith("meet the ").all()
    assert english["whom"].isin(["general manager", "marketing director"]).all()  # English data, as before


def test_the_segmentation_names_its_features_in_chinese():
    rng = np.random.default_rng(3)
    features = pd.DataFrame(
        {
            "weeks_since_last": rng.integers(0, 39, 200),
            "purchases": rng.integers(1, 9, 200),
            "spend": rng.gamma(2.0, 30.0, 200),
        }
    )
    fit = crm.segment_customers(features, 3, rng=np.random.default_rng(0))
    assert "on weeks_since_last, purchases, spend:" in repr(fit)
    with i18n.language("zh"):
        text = repr(fit)
    inner = text[text.index("(") + 1 : text.index("：")]
    assert chinese(inner) and not english_words(inner.replace("k=", "")), text


# ------------------------------------------------------------------ the built notebooks
CODES_SHOWN = [
    "small business",
    "mid-market",
    "it-system",
    "one-department",
    "sales, service",
    "trade_press",
    "similar_fair",
    "foreign_mission",
    "Exact match on",
    "All other comparisons",
    "book a ",
    "meet the ",
]
CELLS = ["c00-014", "c00-023", "c00-030", "c00-036", "c00-044", "c00-050", "c00-056", "c00-060", "c00-062", "c00-068"]


def _outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.get("id") in CELLS:
            for out in cell.get("outputs", []):
                for key in ("text", "data"):
                    value = out.get(key)
                    texts.append(value if isinstance(value, str) else str((value or {}).get("text/plain", "")))
    return "\n".join(texts)


def test_the_chinese_notebook_shows_no_english_codes_and_the_english_one_keeps_them():
    english = _outputs(ROOT / "notebooks" / "00_what_is_crm.ipynb")
    zh = _outputs(ROOT / "notebooks" / "zh" / "00_what_is_crm.ipynb")
    assert [c for c in CODES_SHOWN if c in english] == CODES_SHOWN
    assert not [c for c in CODES_SHOWN if c in zh]
    assert not [w for w in ("identify", "predict", "tailor", "interact", "evaluate") if w in zh]
