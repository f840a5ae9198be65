"""Chapter 2 (loyalty types) and the glossary speak Chinese in the Chinese edition (issue 17).

* every library message of chapter 2 (its checks registry, widgets, figures, the labels and cases
  of the tables :mod:`crmlib.loyalty` returns) and every glossary definition has a Chinese
  translation in ``crmlib/locale/zh/LC_MESSAGES/crmlib.po`` with the same ``{field}`` placeholders;
* under ``with i18n.language("zh"):`` the three widgets of chapter 2 show Chinese controls and
  readouts holding the same numbers as the English ones, also after a slider moves;
* the figures' titles, axis labels, legends and cell labels are Chinese (the slides' terms) and
  render with the suite's style without a missing glyph; English figures keep their labels;
* a wrong answer to a chapter-2 exercise gets Chinese feedback with the chapter's own hint in
  Chinese, a right one Chinese praise with the explanation in Chinese;
* the chapter's tables are labelled in Chinese with the same numbers, and their cases read as
  the slides tell them; the data keep their English labels;
* ``glossary.table()`` shown in the Chinese edition has a Chinese definition for every term and
  its English and 中文 columns unchanged.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlib import checks, glossary, i18n, loyalty, plotting  # noqa: E402
from crmlib.checks import registry  # noqa: E402
from crmlib.plotting import loyalty as loyalty_plots  # noqa: E402
from crmlib.widgets import loyalty as loyalty_widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tools  # noqa: E402  (tools/i18n.py)
from i18n_harness import BRACES, CJK, NUMBER, chinese, numbers  # noqa: E402, F401

CHAPTER_FILES = {
    "crmlib/checks/ch02.py",
    "crmlib/widgets/loyalty.py",
    "crmlib/plotting/loyalty.py",
    "crmlib/loyalty.py",
    "crmlib/glossary.py",
}


def _texts(ax) -> list[str]:
    """Like i18n_harness._texts, with the y tick labels (chapter 2's grids label both axes)."""
    legend = ax.get_legend()
    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


# ------------------------------------------------------------------ the catalogue
def test_every_chapter_2_and_glossary_message_is_translated_with_the_same_fields():
    catalogue = [m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id]
    ours = [m for m in catalogue if {path for path, _line in m.locations} & CHAPTER_FILES]
    assert len(ours) > 500, f"only {len(ours)} messages of chapter 2 in the catalogue: run tools/i18n.py extract"
    untranslated = [m.id for m in ours if not m.string or m.fuzzy]
    assert not untranslated, f"{len(untranslated)} chapter-2 messages without Chinese, e.g. {untranslated[:3]}"
    for m in ours:
        assert sorted(BRACES.findall(m.id)) == sorted(BRACES.findall(m.string)), (m.id, m.string)
        assert chinese(m.string) or not re.search(r"[a-z]{3,} [a-z]{3,}", m.id), (m.id, m.string)


def test_loyalty_terms_follow_the_glossary():
    """The type and component names the figures and tables show are the glossary's (the slides') Chinese."""
    by_english = {t.english: t.chinese for t in glossary.terms(2)}
    with i18n.language("zh"):
        for name in ("monopoly loyalty", "inertia loyalty", "latent loyalty", "convenience loyalty"):
            assert i18n.gettext(name) == by_english[name]
        assert i18n.gettext("premium loyalty") == "超值忠诚"
        assert i18n.gettext("no loyalty") == by_english["no loyalty"]
        assert i18n.gettext("customer-number growth effect") == "客户数量增长效应"
        assert i18n.gettext("retention-time effect") == "客户保持时间效应"
        assert i18n.gettext("trust") == by_english["trust"]
        assert i18n.gettext("commitment") == "归属感" and i18n.gettext("friendship") == "商业友谊"
        # the ten principles and nine strategies read as the slides word them (the tables' chinese column)
        for table, column in ((loyalty.loyalty_principles(), "principle"), (loyalty.loyalty_strategies(), "strategy")):
            assert [i18n.gettext(x) for x in table[column]] == [
                c.replace(",", "，").replace("(", "（").replace(")", "）") for c in table["chinese"]
            ]


# ------------------------------------------------------------------ widgets
_WIDGETS = {
    "grid": (loyalty_widgets.explore_loyalty_grid, "relative_attitude", 0.7),
    "index": (loyalty_widgets.explore_loyalty_index, "score:price_sensitivity", 4.0),
    "value": (loyalty_widgets.explore_loyalty_value, "retention_rate", 0.85),
}


def _build(name, lang):
    build, _slider, _value = _WIDGETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # glyphs: no style set here (see the figure test)
        with i18n.language(lang):
            return build()


@pytest.mark.parametrize("name", list(_WIDGETS))
def test_widget_speaks_chinese_with_the_same_numbers(name):
    english, zh = _build(name, "en"), _build(name, "zh")
    assert not any(chinese(s.description) for s in english.sliders.values())
    assert all(chinese(s.description) for s in zh.sliders.values()), [s.description for s in zh.sliders.values()]
    assert chinese(zh.readout.value) and zh.readout.value != english.readout.value
    assert numbers(zh.readout.value) == numbers(english.readout.value), (zh.readout.value, english.readout.value)
    labels = {
        lang: [t for ax in w.figure.axes for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) if t]
        for lang, w in (("en", english), ("zh", zh))
    }
    assert labels["zh"] and all(chinese(t) for t in labels["zh"] if not t.startswith(("Dick", "Griffin"))), labels
    assert not any(chinese(t) for t in labels["en"] if not re.search(r"[a-z]{4,} [\u4e00-\u9fff]", t))


@pytest.mark.parametrize("name", list(_WIDGETS))
def test_chinese_widget_follows_its_slider_with_the_english_numbers(name):
    _build_fn, slider, value = _WIDGETS[name]
    shown = {}
    for lang in ("en", "zh"):
        w = _build(name, lang)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with i18n.language(lang):
                w.sliders[slider].value = value
        shown[lang] = w.readout.value
    assert shown["en"] != _build(name, "en").readout.value  # the slider changed the numbers
    assert chinese(shown["zh"]) and not chinese(shown["en"])
    assert numbers(shown["zh"]) == numbers(shown["en"]), shown


def test_grid_readout_names_the_classes_and_advice_in_chinese():
    cust = loyalty_widgets.GridCustomer.default()
    classes = cust.classify()
    english = loyalty_widgets.grid_readout(cust, classes)
    with i18n.language("zh"):
        zh = loyalty_widgets.grid_readout(cust, classes)
        weights = loyalty_widgets._weights_message(1.2)
    assert "Dick &amp; Basu:</b> spurious loyalty" in english and "convenience loyalty" in english
    assert "虚假忠诚" in zh and "惰性忠诚" in zh and "方便忠诚" in zh and "怎么做" in zh
    assert numbers(zh) == numbers(english)
    assert "权重合计为 1.20" in weights


# ------------------------------------------------------------------ figures
def _figures():
    a = np.array([0.9, 0.8, 0.2, 0.1, 0.5])
    p = np.array([0.9, 0.2, 0.85, 0.1, 0.5])
    survey = loyalty.simulate_relationship_survey(300, rng=np.random.default_rng(2026))
    ols = loyalty.fit_relationship_quality(survey)
    contributions = loyalty.criteria_contributions(loyalty.LoyaltyCriteria.default().scores)
    assume = dict(margin_growth=0.05, referral_rate=0.05, acquisition_cost=50.0, feedback_value=2.0, search_cost=3.0)
    base = loyalty.project_customer_base(retention_rate=0.8, **assume)
    effects = loyalty.retention_effects(0.7, 0.8, **assume)
    return {
        "grid": lambda ax: loyalty_plots.plot_loyalty_grid(a, p, labels=list("ABCDE"), ax=ax),
        "griffin": lambda ax: loyalty_plots.plot_loyalty_grid(scheme="griffin", ax=ax),
        "seven": lambda ax: loyalty_plots.plot_seven_types(ax=ax),
        "gaps": lambda ax: loyalty_plots.plot_inter_purchase_times([3, 10, 25, 40, 90], ax=ax),
        "effects": lambda ax: loyalty_plots.plot_standardised_effects(ols, ax=ax),
        "index": lambda ax: loyalty_plots.plot_index_contributions(contributions, ax=ax),
        "base": lambda ax: loyalty_plots.plot_customer_base(base, ax=ax),
        "tenure": lambda ax: loyalty_plots.plot_value_by_tenure(base, ax=ax),
        "retention": lambda ax: loyalty_plots.plot_retention_effects(effects, ax=ax),
    }


def test_figures_are_labelled_in_chinese_and_render_without_missing_glyphs():
    saved = matplotlib.rcParams.copy()
    try:
        assert plotting.use_style() is not None, "no CJK font: mplfonts should provide Noto Sans CJK SC"
        for name, draw in _figures().items():
            with i18n.language("zh"), warnings.catch_warnings():
                warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")
                fig, ax = plt.subplots()
                try:
                    draw(ax)
                    texts = _texts(ax)
                    assert chinese(ax.get_ylabel() + ax.get_xlabel()), (name, texts)
                    assert not ax.get_xlabel() or chinese(ax.get_xlabel()), (name, texts)
                    assert not ax.get_ylabel() or chinese(ax.get_ylabel()), (name, texts)
                    assert (
                        not ax.get_title()
                        or chinese(ax.get_title())
                        or "(19" in ax.get_title()
                        or "(20" in ax.get_title()
                    )
                    # no English prose left: every text with two words of 3+ letters also has Chinese
                    prose = [t for t in texts if re.search(r"[a-z]{3,} [a-z]{3,}", t) and not chinese(t)]
                    assert not prose, (name, prose)
                    fig.canvas.draw()  # renders every glyph: a missing one raises here
                finally:
                    plt.close(fig)
    finally:
        matplotlib.rcParams.update(saved)


def test_chinese_figures_use_the_slides_terms_and_the_same_numbers():
    draws = _figures()
    fig, axes = plt.subplots(1, 4)
    try:
        english = {}
        for ax, name in zip(axes, ("seven", "index", "base", "retention")):
            draws[name](ax)
            english[name] = _texts(ax)
            ax.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with i18n.language("zh"):
                for ax, name in zip(axes, ("seven", "index", "base", "retention")):
                    draws[name](ax)
        zh = {name: _texts(ax) for ax, name in zip(axes, ("seven", "index", "base", "retention"))}
        assert zh["seven"][0] == "客户忠诚的七种类型"
        assert "垄断忠诚（monopoly loyalty）：别无选择" in zh["seven"] and "无忠诚度\nno loyalty" in zh["seven"]
        assert [t.get_text() for t in axes[0].get_xticklabels()] == ["低", "高"]
        assert {"重复购买次数", "价格敏感度", "对质量问题的容忍"} <= set(zh["index"])
        assert {"客户数量增长效应", "客户保持时间效应"} <= set(zh["retention"])
        for name in ("index", "base", "retention"):
            assert numbers(zh[name][0]) == numbers(english[name][0]), (zh[name][0], english[name][0])
    finally:
        plt.close(fig)


def test_english_figures_keep_their_labels():
    fig, (a1, a2, a3) = plt.subplots(1, 3)
    try:
        loyalty_plots.plot_loyalty_grid([0.9], [0.2], ax=a1)
        assert a1.get_xlabel() == "repeat patronage 重复购买 (share of purchases, 0-1)"
        assert {"loyalty", "latent loyalty", "spurious loyalty", "no loyalty"} <= set(_texts(a1))
        loyalty_plots.plot_seven_types(ax=a2)
        assert a2.get_title() == "The seven loyalty types"
        assert "monopoly loyalty 垄断忠诚: no alternative" in _texts(a2)
        loyalty_plots.plot_inter_purchase_times([3, 10, 25], ax=a3)
        assert a3.get_legend().get_texts()[0].get_text() == "median 10 days"
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ checks
def test_a_wrong_answer_gets_chinese_feedback_with_the_chapters_hint():
    entry = registry.lookup("2.4a")
    slip = next(s for s in entry.slips if "purchase occasions" in s.hint)
    wrong = registry.slip_value(entry, slip)
    english = checks.exercise("2.4a", wrong, echo=False)
    with i18n.language("zh"):
        zh = checks.exercise("2.4a", wrong, echo=False)
        hint = i18n.gettext(slip.hint)
    assert slip.hint in english.message and not chinese(english.message)
    assert zh.status == english.status == "not yet right"
    assert zh.message.startswith("[尚未答对] 练习 2.4a：")
    assert chinese(hint) and hint in zh.message and "购买场合" in hint
    assert slip.hint not in zh.message
    assert numbers(zh.message.split("\n")[1]) == numbers(english.message.split("\n")[1])  # the expected line


@pytest.mark.parametrize("exercise_id", ["2.1", "2.2a", "2.3", "2.6a", "2.6c", "2.8", "2.9a", "2.9c"])
def test_right_answers_get_chinese_praise_and_explanation(exercise_id):
    answer = registry.reference(registry.lookup(exercise_id))
    english = checks.exercise(exercise_id, answer, echo=False)
    with i18n.language("zh"):
        zh = checks.exercise(exercise_id, answer, echo=False)
        explanation = i18n.gettext(registry.lookup(exercise_id).explanation)
    assert english.status == zh.status == "passed"
    assert zh.message.startswith(f"[通过] 练习 {exercise_id}：")
    assert chinese(explanation) and explanation in zh.message and "原因：" in zh.message
    assert not chinese(english.message.split("\n")[0])


def test_choice_and_written_feedback_of_chapter_2_in_chinese(capsys):
    with i18n.language("zh"):
        wrong = checks.exercise("2.6c", "a", echo=False)
        checks.show_options("2.9c")
        short = checks.exercise("2.10", "她很用心。", echo=False)
        label = checks.exercise("2.2b", "monopoly loyalty", echo=False)
    options = capsys.readouterr().out
    assert wrong.status == "not yet right" and "(a) 算出的上限" in wrong.message
    assert options.count("\n") == 3 and all(chinese(line) for line in options.splitlines())
    assert short.status == "not yet right" and "椅子、纸笔" in short.message and "超越客户期待" in short.message
    assert label.status == "not yet right" and label.message.startswith("[尚未答对] 练习 2.2b：")


# ------------------------------------------------------------------ tables
def test_chapter_2_tables_show_chinese_labels_and_cases_with_the_same_numbers():
    types = pd.DataFrame([t.__dict__ for t in loyalty.SEVEN_TYPES]).set_index("name")
    contributions = loyalty.criteria_contributions(loyalty.LoyaltyCriteria.default().scores)
    fx = loyalty.retention_effects(0.7, 0.8)
    with i18n.language("zh"):
        shown = {
            "types": i18n.translate_frame(types),
            "principles": i18n.translate_frame(loyalty.loyalty_principles()),
            "strategies": i18n.translate_frame(loyalty.loyalty_strategies()),
            "points": i18n.translate_frame(loyalty.value_proposition_points()),
            "keys": i18n.translate_frame(loyalty.programme_keys()),
            "contributions": i18n.translate_frame(contributions),
            "effects": i18n.translate_frame(fx.summary()),
        }
    assert list(shown["types"].index)[:3] == ["垄断忠诚", "惰性忠诚", "潜在忠诚"]
    assert set(shown["types"]["依恋"]) == {"低", "高"} and "驱动因素" in shown["types"].columns
    assert all(chinese(x) for x in shown["types"]["示例"])
    principles = shown["principles"]
    assert "案例" in principles.columns and principles.index.name == "原则序号"
    cases = principles["案例"].tolist()
    assert all(chinese(c) and not re.search(r"[a-z]{3,} [a-z]{3,}", c) for c in cases), cases
    assert "蛋炒饭" in cases[0] and "靠背椅" in cases[8] and "要客专用休息室" in cases[6]
    assert all(chinese(c) for c in shown["strategies"]["案例"]) and "东山再起" in shown["strategies"]["案例"].iloc[0]
    assert "美国运通" in shown["keys"]["案例"].iloc[0] and list(shown["points"].index) == ["相似点", "差异点", "共鸣点"]
    assert list(shown["contributions"].columns) == ["得分", "权重", "贡献", "最大值"]
    assert list(shown["contributions"].index)[0] == "重复购买次数"
    np.testing.assert_array_equal(shown["contributions"].to_numpy(), contributions.to_numpy())
    assert list(shown["effects"].index)[:2] == ["客户数量增长效应", "客户保持时间效应"]
    np.testing.assert_array_equal(shown["effects"].to_numpy(), fx.summary().to_numpy())
    # the data keep their English labels, so code indexing them works in both editions
    assert loyalty.loyalty_principles().loc[9, "principle"] == "make buying simple"
    assert "小柯" in loyalty.loyalty_principles().loc[1, "case"]


# ------------------------------------------------------------------ the glossary
def test_glossary_table_has_chinese_definitions_and_unchanged_term_columns():
    english = glossary.table()
    with i18n.language("zh"):
        shown = i18n.translate_frame(english)
        chapter_2 = i18n.translate_frame(glossary.table(chapter=2))
    assert list(shown.columns) == ["章", "English", "中文", "释义"]
    assert list(chapter_2.columns) == ["English", "中文", "释义"]
    pd.testing.assert_series_equal(shown["English"], english["English"])
    pd.testing.assert_series_equal(shown["中文"], english["中文"])
    assert shown["章"].tolist() == english["chapter"].tolist()
    assert len(shown) == len(glossary.TERMS)
    untranslated = [d for d in shown["释义"] if not chinese(d) or d in set(english["definition"])]
    assert not untranslated, untranslated[:3]
    # each Chinese definition keeps the English one's numbers (years, 1-5 scales, 80%, 20 seconds ...)
    for en, zh in zip(english["definition"], shown["释义"]):
        assert numbers(zh) == numbers(en), (en, zh)
    # English stays the default
    assert glossary.table().equals(english) and "definition" in glossary.table().columns


# ------------------------------------------------------------------ the last English of the Chinese edition
LATIN_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}\b")  # tools/i18n.py's measure of an English word
NAMES = {"Dick", "Basu", "Griffin"}  # authors' names stay in Latin letters
ZH_CHAPTER = ROOT / "notebooks" / "zh" / "02_loyalty_types.ipynb"
EN_CHAPTER = ROOT / "notebooks" / "02_loyalty_types.ipynb"
ZH_SOLUTIONS = ROOT / "exercises" / "solutions" / "zh" / "02_loyalty_types.ipynb"
EN_SOLUTIONS = ROOT / "exercises" / "solutions" / "02_loyalty_types.ipynb"


def _english_words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(str(text))) - NAMES


def _shown_words(frame) -> set[str]:
    """The English words left in a table shown in Chinese: labels, index and word cells."""
    shown = i18n.translate_frame(frame)
    words = set()
    for labels in (shown.columns, shown.index):
        for label in labels.to_flat_index():
            words |= _english_words(label)
        for name in labels.names:
            words |= _english_words(name or "")
    for col in shown.columns:
        if shown[col].dtype == object:
            for cell in shown[col]:
                words |= _english_words(cell)
    return words


def _cell_outputs(path: Path, cell_id: str) -> str:
    import nbformat

    cell = next(c for c in nbformat.read(path, as_version=4).cells if c.get("id") == cell_id)
    out = []
    for o in cell.get("outputs", []):
        text = o.get("text") or o.get("data", {}).get("text/plain", "")
        out.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(out)


def test_sources_of_the_practice_tables_read_in_chinese_and_stay_english_in_english():
    tables = [loyalty.loyalty_strategies(), loyalty.loyalty_principles(), loyalty.programme_keys()]
    tables.append(loyalty.value_proposition_points())
    with i18n.language("zh"):
        for table in tables:
            sources = i18n.translate_frame(table)["来源"].tolist()
            for src in sources:
                # "seed 003" names the slide file (an identifier); every other word is Chinese
                assert src.startswith("幻灯片 seed 00") and _english_words(src) <= {"seed"}, src
    with i18n.language("zh"):
        assert i18n.gettext("slides, seed 003 (第五章 客户忠诚度管理); Coca-Cola case").endswith("案例：可口可乐")
    # English: the very strings the tables always had (the deck, then the part of it)
    assert loyalty.loyalty_strategies().loc[1, "source"] == "slides, seed 003 (第五章 客户忠诚度管理); Coca-Cola case"
    assert (
        loyalty.loyalty_principles().loc[4, "source"]
        == "slides, seed 003 (第五章 客户忠诚度管理) (IBM case, title only)"
    )
    assert loyalty.value_proposition_points()["source"].iloc[0].endswith("; examples: the suite's")
    assert all(s.startswith("slides, seed 00") for t in tables for s in t["source"])


def test_the_chapters_tables_and_codes_show_no_english_in_chinese():
    scores = [10, 40, 60, 90]
    qi = pd.DataFrame(
        {
            "satisfaction": ["very satisfied", "neutral"],
            "repurchase_probability": [0.9, 0.3],
            "recommend": ["very likely", "possible"],
        }
    )
    apples = pd.DataFrame({"buyer": ["张三"], "stall": ["王大妈"], "product_value": [9.0], "price": [6.0]})
    apples["delivered_value"], _ = loyalty.customer_delivered_value(
        product=apples["product_value"],
        service=0,
        personnel=0,
        image=0,
        money=apples["price"],
        time=0,
        energy=0,
        psychic=0,
    )
    ratios = pd.Series(loyalty.INDUSTRY_RATIOS, name="ratio").rename_axis("industry")
    frames = {
        "classes": pd.DataFrame(loyalty_widgets.GridCustomer.default().classify(), index=["customer"]),
        "index": qi.assign(quantified_index=loyalty.quantified_index(**qi)),
        "apples": apples,
        "effects": pd.DataFrame(dict(loyalty.SURVEY_EFFECTS), index=["true_effect"]),
        "alphas": pd.DataFrame({"trust": [0.86]}, index=["cronbach_alpha"]),
        "profit": loyalty.loyal_customer_profit(years=3),
        "ratios": pd.DataFrame({0.1: [np.nan] * 4}, index=pd.MultiIndex.from_frame(ratios.reset_index())),
        "retention": loyalty.retention_effects(0.7, 0.8).summary() + 0.0,
        "benefits": pd.DataFrame({"involvement": [2, 5], "benefit_type": loyalty.benefit_type([2, 5])}),
        "levels": pd.DataFrame({"loyalty_index": scores, "loyalty_level": loyalty.loyalty_level(scores)}),
    }
    with i18n.language("zh"):
        for name, frame in frames.items():
            assert not _shown_words(frame), (name, _shown_words(frame))
        retention = i18n.translate_frame(frames["retention"])
        assert list(retention.index) == ["客户数量增长效应", "客户保持时间效应", "两者合计"]  # the total gain
        assert i18n.translate_frame(frames["profit"]).columns[-1] == "累计"
        assert [i18n.gettext(code) for code in loyalty.benefit_type([2, 5])] == ["实质的利益", "软性利益"]
        assert all(chinese(i18n.gettext(level)) for level in loyalty.FOUR_LEVELS)
        assert all(chinese(i18n.gettext(k)) for k in loyalty.INDUSTRY_RATIOS)
        # a value point is still a point of difference (差异点) outside the retention table
        assert i18n.gettext("difference") != "两者合计"
    # English: the labels and codes the code indexes are unchanged
    assert list(frames["retention"].index) == ["customer-number growth effect", "retention-time effect", "difference"]
    assert frames["profit"].columns[-1] == "cumulative" and list(loyalty.benefit_type([2, 5])) == ["hard", "soft"]
    assert list(loyalty.INDUSTRY_RATIOS) == ["retail", "restaurants", "airlines", "hotels"]
    assert i18n.translate_frame(frames["retention"]) is frames["retention"]


# the cells whose printed lists, dicts and tables were the last English of the Chinese chapter:
# cell id -> (a label the Chinese output shows, the English label in its place in the English output)
FIXED_CELLS = {
    "94a9b7d0": ("虚假忠诚", "spurious loyalty"),  # the Dick & Basu rule by hand
    "d1e96eca": ("七种类型", "seven_type"),  # the widget customer's three classes
    "76729a1b": ("客户忠诚量化指数", "quantified_index"),
    "c2n008": ("客户让渡价值", "delivered_value"),  # the apple stalls
    "3f2b05ac": ("真实效应", "true_effect"),
    "f70deacd": ("克朗巴哈系数", "cronbach_alpha"),
    "3a4fbe77": ("累计", "cumulative"),
    "d4d51962": ("零售业", "retail"),
    "c2n029": ("两者合计", "difference"),
    "c2n038": ("幻灯片", "examples: the suite's"),
    "c2n043": ("案例：可口可乐", "Coca-Cola case"),
    "74d6fc02": ("仅有标题", "title only"),
    "c2n045": ("案例：美国运通", "American Express case"),
    "db0723cc": ("实质的利益", "hard"),
    "6622091e": ("忠诚层次", "loyalty_level"),
}


@pytest.mark.parametrize("cell_id", sorted(FIXED_CELLS))
def test_chinese_chapter_cell_shows_no_english(cell_id):
    chinese_label, english_label = FIXED_CELLS[cell_id]
    shown = _cell_outputs(ZH_CHAPTER, cell_id)
    assert chinese_label in shown, shown
    words = {w for line in shown.splitlines() for w in _english_words(line)} - {
        "seed",
        "Figure",
        "size",
        "with",
        "Axes",
        "True",  # a printed Python truth value (the rule by hand agrees with crmlib)
    }
    assert not words, (cell_id, words)
    english = _cell_outputs(EN_CHAPTER, cell_id)
    assert english_label in english and chinese_label not in english, english


def test_exercise_2_9_table_and_the_demonstrated_refusal():
    shown = _cell_outputs(ZH_SOLUTIONS, "ex02-107")
    assert "两者合计" in shown and not {w for w in _english_words(shown)}, shown
    assert "customer-number growth effect" in _cell_outputs(EN_SOLUTIONS, "ex02-107")
    # a library error message stays English (project convention); the Chinese edition says what happened
    refusal = _cell_outputs(ZH_CHAPTER, "ac994622")
    assert refusal.startswith("被拒绝（ValueError）： weights must sum to 1")
    assert _cell_outputs(EN_CHAPTER, "ac994622").startswith("refused with ValueError: weights must sum to 1")
