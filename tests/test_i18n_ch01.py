"""Chapter 1 (the satisfaction trap) speaks Chinese in the Chinese edition (issue 17).

* every library message of chapter 1 (its checks registry, widgets, figures, table labels and
  result texts) has a Chinese translation in ``crmlib/locale/zh/LC_MESSAGES/crmlib.po`` with the
  same ``{field}`` placeholders;
* under ``with i18n.language("zh"):`` the three widgets of chapter 1 show Chinese controls and
  readouts holding the same numbers as the English ones, also after a slider moves; the dropdown's
  values stay the English keys the code uses;
* the figures' titles, axis labels, legends, zone and quadrant labels are Chinese and render with
  the suite's style without a missing glyph; English figures keep their English labels;
* a wrong answer to a chapter-1 exercise gets Chinese feedback with the chapter's own hint in
  Chinese, a right one Chinese praise with the explanation in Chinese;
* the tables and result texts chapter 1 shows are labelled in Chinese, with the same numbers.
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
import pytest  # noqa: E402

from crmlib import checks, datasets, i18n, plotting, pls, satisfaction  # noqa: E402
from crmlib.checks import registry  # noqa: E402
from crmlib.plotting import satisfaction as sat_plots  # noqa: E402
from crmlib.widgets import satisfaction as sat_widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tools  # noqa: E402  (tools/i18n.py)
from i18n_harness import (  # noqa: E402, F401
    BRACES,
    CJK,
    NUMBER,
    _texts,
    assert_readout_and_axes_follow_the_language,
    built_in_both_languages,
    chinese,
    numbers,
)

CHAPTER_FILES = {
    "crmlib/checks/ch01.py",
    "crmlib/widgets/satisfaction.py",
    "crmlib/plotting/satisfaction.py",
    "crmlib/satisfaction.py",
    "crmlib/pls.py",
}


@pytest.fixture(scope="module")
def key_drivers():
    survey = datasets.constructed_driver_survey(500, rng=np.random.default_rng(2026))
    return satisfaction.fit_key_drivers(survey)


# ------------------------------------------------------------------ the catalogue
def test_every_chapter_1_message_is_translated_with_the_same_fields():
    catalogue = [m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id]
    ours = [m for m in catalogue if {path for path, _line in m.locations} & CHAPTER_FILES]
    assert len(ours) > 150, f"only {len(ours)} messages of chapter 1 in the catalogue: run tools/i18n.py extract"
    untranslated = [m.id for m in ours if not m.string or m.fuzzy]
    assert not untranslated, f"{len(untranslated)} chapter-1 messages without Chinese, e.g. {untranslated[:3]}"
    for m in ours:
        assert sorted(BRACES.findall(m.id)) == sorted(BRACES.findall(m.string)), (m.id, m.string)
        assert chinese(m.string) or not re.search(r"[a-z]{3,} [a-z]{3,}", m.id), (m.id, m.string)


# ------------------------------------------------------------------ widgets
def _widgets(key_drivers):
    return {
        "trap": (sat_widgets.explore_satisfaction_trap, sat_widgets.trap_readout),
        "lever": (sat_widgets.explore_retention_lever, sat_widgets.lever_readout),
        "drivers": (lambda: sat_widgets.explore_key_drivers(key_drivers), sat_widgets.drivers_readout),
    }


@pytest.mark.parametrize("name", ["trap", "lever", "drivers"])
def test_widget_speaks_chinese_with_the_same_numbers(name, key_drivers):
    build, readout = _widgets(key_drivers)[name]
    english, zh = built_in_both_languages(build)
    assert not any(chinese(s.description) for s in english.sliders.values())
    assert all(chinese(s.description) for s in zh.sliders.values()), [s.description for s in zh.sliders.values()]
    assert_readout_and_axes_follow_the_language(english, zh, readout)


def test_the_trap_widget_follows_its_slider_in_chinese():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with i18n.language("zh"):
            w = sat_widgets.explore_satisfaction_trap()
            w.sliders["switching_barrier"].value = 0.6
            moved = w.readout.value
            expected = sat_widgets.trap_readout(
                satisfaction.evaluate_market(satisfaction.market_scenario(switching_barrier=0.6))
            )
    english = sat_widgets.trap_readout(
        satisfaction.evaluate_market(satisfaction.market_scenario(switching_barrier=0.6))
    )
    assert moved == expected and chinese(moved)
    assert "人质" in moved and "背叛者/恐怖分子" in moved  # the Jones-Sasser types as the slides name them
    assert numbers(moved) == numbers(english)


def test_the_driver_dropdown_shows_chinese_and_keeps_english_keys(key_drivers):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with i18n.language("zh"):
            w = sat_widgets.explore_key_drivers(key_drivers)
            w.sliders["driver"].value = "after_sales_service"
            text = w.readout.value
    labels = dict(w.sliders["driver"].options)
    assert labels["售后服务（after sales service）"] == "after_sales_service"
    assert [value for _label, value in w.sliders["driver"].options] == list(key_drivers.drivers)
    assert "售后服务" in text and "平均评分" in text and "象限" in text
    english = sat_widgets.explore_key_drivers(key_drivers)
    assert dict(english.sliders["driver"].options)["after sales service 售后服务"] == "after_sales_service"


# ------------------------------------------------------------------ figures
def _figures(key_drivers):
    case_a = satisfaction.market_scenario(n_respondents=2000)
    survey = satisfaction.simulate_survey(case_a, rng=np.random.default_rng(2026))
    by_level = satisfaction.repurchase_by_level(survey)
    curve = satisfaction.satisfaction_loyalty_curve(survey, "smooth")
    grid = satisfaction.importance_performance_grid(key_drivers)
    move = satisfaction.evaluate_driver_change(key_drivers, "price", 7.0)
    return {
        "curves": lambda ax: sat_plots.plot_satisfaction_loyalty(ax=ax, survey=by_level, estimates={"logit": curve}),
        "typology": lambda ax: sat_plots.plot_typology(satisfaction.expected_typology(case_a), ax=ax),
        "lever": lambda ax: sat_plots.plot_retention_lever(ax=ax),
        "grid": lambda ax: sat_plots.plot_importance_performance(grid, ax=ax),
        "move": lambda ax: sat_plots.plot_importance_performance(move, ax=ax),
    }


def test_figures_are_labelled_in_chinese_and_render_without_missing_glyphs(key_drivers):
    saved = matplotlib.rcParams.copy()
    try:
        assert plotting.use_style() is not None, "no CJK font: mplfonts should provide Noto Sans CJK SC"
        for name, draw in _figures(key_drivers).items():
            with i18n.language("zh"), warnings.catch_warnings():
                warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")
                fig, ax = plt.subplots()
                try:
                    draw(ax)
                    texts = _texts(ax)
                    assert chinese(ax.get_ylabel()), (name, texts)
                    assert not ax.get_xlabel() or chinese(ax.get_xlabel()), (name, texts)
                    # no English prose left: every text with a word of 3+ letters also has Chinese
                    # (model names and symbols such as LOWESS, p(5), c=0.90 may stay)
                    prose = [t for t in texts if re.search(r"[a-z]{3,} [a-z]{3,}", t) and not chinese(t)]
                    assert not prose, (name, prose)
                    fig.canvas.draw()  # renders every glyph: a missing one raises here
                finally:
                    plt.close(fig)
    finally:
        matplotlib.rcParams.update(saved)


def test_chinese_figures_use_the_slides_terms(key_drivers):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with i18n.language("zh"):
            fig, (a1, a2, a3) = plt.subplots(1, 3)
            try:
                sat_plots.plot_satisfaction_loyalty(ax=a1)
                sat_plots.plot_typology(satisfaction.expected_typology(), ax=a2)
                sat_plots.plot_importance_performance(satisfaction.importance_performance_grid(key_drivers), ax=a3)
                assert {"背离区域", "无所谓区域", "喜爱区域"} <= set(_texts(a1))
                assert [t.get_text() for t in a2.get_xticklabels()] == [
                    "忠诚者/传道者",
                    "唯利是图者",
                    "人质",
                    "背叛者/恐怖分子",
                ]
                assert {"重点改进", "继续保持", "低优先", "可能过度"} <= set(_texts(a3))
                assert "价格（price）" in _texts(a3)
            finally:
                plt.close(fig)


def test_english_figures_keep_their_labels(key_drivers):
    fig, (a1, a2, a3, a4) = plt.subplots(1, 4)
    try:
        sat_plots.plot_satisfaction_loyalty(ax=a1)
        assert a1.get_xlabel() == "satisfaction 满意度 (answer 1-5, 5 = completely satisfied)"
        assert a1.get_ylabel() == "repurchase probability (share)"
        assert [t.get_text() for t in a1.texts] == ["defection 背离", "indifference 无所谓", "affection 喜爱"]
        assert a1.get_legend().get_texts()[0].get_text() == "competition c=0.10, barrier b=0.30"
        sat_plots.plot_typology(satisfaction.expected_typology(), ax=a2)
        assert a2.get_xticklabels()[0].get_text() == "loyalist/apostle\n忠诚者/传道者"
        assert a2.get_ylabel() == "share of customers"
        sat_plots.plot_retention_lever(ax=a3)
        assert a3.get_xlabel() == "base retention rate r (share per period)"
        assert a3.get_ylabel() == "change in customer value from +5% retention (%)"
        assert a3.get_legend().get_texts()[0].get_text() == "discount rate 10%, margin growth 0%"
        sat_plots.plot_importance_performance(satisfaction.importance_performance_grid(key_drivers), ax=a4)
        assert a4.get_xlabel() == "performance: mean rating (constructed data)"
        assert a4.get_ylabel() == "derived importance: LMG share of R²"
        assert "concentrate here\n重点改进" in _texts(a4) and "price 价格" in _texts(a4)
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ checks
def _right(exercise_id):
    entry = registry.lookup(exercise_id)
    return registry.reference(entry)


def test_a_wrong_answer_gets_chinese_feedback_with_the_chapters_hint():
    entry = registry.lookup("1.4")
    slip = next(s for s in entry.slips if "switching barrier" in s.hint)
    wrong = registry.slip_value(entry, slip)
    english = checks.exercise("1.4", wrong, echo=False)
    with i18n.language("zh"):
        zh = checks.exercise("1.4", wrong, echo=False)
        hint = i18n.gettext(slip.hint)
    assert slip.hint in english.message and not chinese(english.message)
    assert zh.status == english.status == "not yet right"
    assert zh.message.startswith("[尚未答对] 练习 1.4：")
    assert chinese(hint) and hint in zh.message and "转移壁垒" in hint
    assert slip.hint not in zh.message


@pytest.mark.parametrize("exercise_id", ["1.1a", "1.2", "1.5a", "1.6", "1.8b", "1.9b"])
def test_right_answers_get_chinese_praise_and_explanation(exercise_id):
    answer = _right(exercise_id)
    english = checks.exercise(exercise_id, answer, echo=False)
    with i18n.language("zh"):
        zh = checks.exercise(exercise_id, answer, echo=False)
        explanation = i18n.gettext(registry.lookup(exercise_id).explanation)
    assert english.status == zh.status == "passed"
    assert zh.message.startswith(f"[通过] 练习 {exercise_id}：")
    assert chinese(explanation) and explanation in zh.message and "原因：" in zh.message
    assert not chinese(english.message.split("\n")[0])


def test_choice_and_written_feedback_of_chapter_1_in_chinese(capsys):
    with i18n.language("zh"):
        wrong = checks.exercise("1.3", "a", echo=False)
        checks.show_options("1.3")
        short = checks.exercise("1.7b", "Survey more.", echo=False)
    options = capsys.readouterr().out
    assert "4 档算“满意”" in wrong.message
    assert options.count("\n") == 3 and all(chinese(line) for line in options.splitlines())
    assert short.status == "not yet right" and "无所谓区域" in short.message and "小柯" in short.message


# ------------------------------------------------------------------ tables and results
def test_chapter_1_tables_show_chinese_labels_and_the_same_numbers(key_drivers):
    survey = satisfaction.simulate_survey(satisfaction.market_scenario(), rng=np.random.default_rng(1))
    by_level = satisfaction.repurchase_by_level(survey)
    zones = (
        by_level.assign(zone=satisfaction.satisfaction_zone(by_level.index)).groupby("zone", sort=False)[["n"]].sum()
    )
    types = satisfaction.expected_typology()
    grid = satisfaction.importance_performance_grid(key_drivers)
    with i18n.language("zh"):
        shown = {
            "by_level": i18n.translate_frame(by_level),
            "zones": i18n.translate_frame(zones),
            "types": i18n.translate_frame(types),
            "grid": i18n.translate_frame(grid),
            "table": i18n.translate_frame(key_drivers.table),
            "summary": i18n.translate_frame(key_drivers.summary()),
        }
    assert list(shown["by_level"].columns) == ["n", "重复购买人数", "比率", "下限", "上限"]
    assert shown["by_level"].index.name == "满意度"
    np.testing.assert_array_equal(shown["by_level"].to_numpy(), by_level.to_numpy())
    assert list(shown["zones"].index) == ["背离区域", "无所谓区域", "喜爱区域"] and shown["zones"].index.name == "区域"
    assert list(shown["types"].index) == ["忠诚者/传道者", "唯利是图者", "人质", "背叛者/恐怖分子"]
    assert shown["types"].index.name == "类型"
    assert list(shown["grid"].columns) == ["重要性", "表现", "象限"]
    assert set(shown["grid"]["象限"]) <= {"重点改进", "继续保持", "低优先", "可能过度"}
    assert "质量" in shown["grid"].index and "顾客关怀" in shown["grid"].index
    assert all(chinese(c) or c in ("LMG", "beta") for c in shown["table"].columns), list(shown["table"].columns)
    assert all(chinese(c) for c in shown["summary"].columns if c != "t"), list(shown["summary"].columns)
    # the data keep their English labels, so code indexing them works in both editions
    assert list(grid.columns) == ["importance", "performance", "quadrant"]


def test_chapter_1_result_texts_in_chinese_with_the_same_numbers(key_drivers):
    move = satisfaction.evaluate_driver_change(key_drivers, "price", 7.0)
    english = (repr(key_drivers), repr(move))
    assert english[0].startswith("KeyDriverResult(key-driver analysis (OLS + LMG): quality=")
    assert english[0].endswith("; n = 500, R² = 0.606, 7 drivers, exact LMG)")
    assert english[1] == (
        "DriverChangeOutcome(price: performance 5.958 -> 7.000, overall 7.000 -> 7.217 (+0.217), "
        "quadrant 'concentrate here' -> 'keep up the good work')"
    )
    with i18n.language("zh"):
        zh = (repr(key_drivers), repr(move))
    for e, z in zip(english, zh):
        assert chinese(z) and numbers(z) == numbers(e), (e, z)
    assert "'重点改进' -> '继续保持'" in zh[1]


def test_the_pls_report_of_chapter_1_has_chinese_headings():
    data = satisfaction.simulate_ecsi_survey(250, rng=np.random.default_rng(2026))
    fit = satisfaction.pls_path_model(data, satisfaction.ECSI_BLOCKS, satisfaction.ECSI_PATHS)
    report = pls.assess(fit).summary()
    english = repr(report)
    assert english.startswith("PLS-SEM assessment (PLS): 6 constructs, 27 indicators, n = 250; centroid scheme")
    assert "\nPath Coefficients:\n" in english and "\nReliability:\n" in english
    with i18n.language("zh"):
        zh = repr(report)
    assert zh.startswith("PLS-SEM 评估（PLS）：6 个构念，27 个指标，n = 250；质心加权方案，标准化指标")
    assert "\n路径系数：\n" in zh and "\n信度：\n" in zh and "参考标准" in zh
    assert numbers(zh) == numbers(english)


# ------------------------------------------------------------------ the last English printouts (session 4)
ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")


def test_key_driver_reprs_name_each_driver_in_chinese_beside_its_code(key_drivers):
    english = repr(key_drivers)
    assert "quality=0.2384, price=0.216, delivery_time=0.1209," in english  # English unchanged
    with i18n.language("zh"):
        zh = repr(key_drivers)
        move = repr(satisfaction.evaluate_driver_change(key_drivers, "price", 7.0))
    assert "quality=0.2384（质量）, price=0.216（价格）, delivery_time=0.1209（交付时间）" in zh
    assert "after_sales_service=0.1185（售后服务）" in zh and "care=0.1747（顾客关怀）" in zh
    assert move.startswith("DriverChangeOutcome(price（价格）：表现 5.958 -> 7.000")
    # outside the driver codes (column names the code uses) no English word is left
    assert not ENGLISH_WORD.findall(re.sub(r"\b\w+=", " ", zh)), zh
    assert not ENGLISH_WORD.findall(move.replace("price（", "（")), move


def test_the_constructed_survey_says_what_it_is_in_chinese():
    survey = datasets.constructed_driver_survey(50, rng=np.random.default_rng(1))
    info = survey.attrs["metadata"]
    assert str(info).startswith("Constructed key-driver survey (constructed data, not a real survey): 50 rows;")
    with i18n.language("zh"):
        shown = str(info)
    assert shown.startswith("构造的关键驱动因素调查（构造数据，并非真实调查）：50 行；")
    # the generator's name is the only Latin text left (a code identifier)
    assert not ENGLISH_WORD.findall(re.sub(r"crmlib(\.\w+)*", " ", shown)), shown
    assert info.title == "Constructed key-driver survey (constructed data, not a real survey)"  # data stay English


def test_pls_tables_and_verdict_of_chapter_1_are_chinese():
    data = satisfaction.simulate_ecsi_survey(150, rng=np.random.default_rng(3))
    fit = satisfaction.pls_path_model(data, satisfaction.ECSI_BLOCKS, satisfaction.ECSI_PATHS)
    prediction = pls.predict(fit, folds=5, repetitions=1, rng=np.random.default_rng(4), progress=False)
    english = prediction.verdict
    assert re.fullmatch(
        r"PLS predicts better than the linear model \(lower RMSE\) for \d+ of 22 indicators: "
        r"predictive power '(high|medium|low|none)' \(Shmueli et al\. 2019\)",
        english,
    )
    assert english in repr(prediction)
    boot = pls.bootstrap(fit, resamples=20, rng=np.random.default_rng(5), progress=False)
    indirect = boot.indirect_effects[["original", "p_value", "bca_lower", "bca_upper"]]
    truth = fit.summary()[["estimate"]].assign(true=[satisfaction.ECSI_TRUE_PATHS[p] for p in fit.paths])
    reliability = repr(pls.assess(fit).summary())
    with i18n.language("zh"):
        verdict = prediction.verdict
        power = i18n.pgettext("pls", prediction.predictive_power)
        shown = {"indirect": i18n.translate_frame(indirect), "truth": i18n.translate_frame(truth)}
        guide = repr(pls.assess(fit).summary()).splitlines()[-1]
    assert chinese(verdict) and f"预测能力“{power}”" in verdict and numbers(verdict) == numbers(english)
    assert i18n.pgettext("pls", "medium") == "medium" and power in {"高", "中等", "低", "无"}
    assert not ENGLISH_WORD.findall(verdict), verdict
    assert list(shown["indirect"].columns) == ["原始估计", "p 值", "BCa 下限", "BCa 上限"]
    assert list(shown["indirect"].index.names) == ["从", "到"]
    assert list(shown["truth"].columns) == ["估计值", "真值"]
    assert guide.startswith("参考标准：克朗巴哈系数、rhoC 和 rhoA") and not ENGLISH_WORD.findall(guide), guide
    assert reliability.splitlines()[-1].startswith("Guide: alpha, rhoC and rhoA of 0.70 to 0.95")


def test_the_built_chapter_1_prints_no_english_beyond_codes():
    """The cells that printed English in the Chinese edition (title, reprs, PLS tables, verdict); symbols
    and model names (beta, PLS, RMSE) and code (driver codes before "=" or their label, crmlib.…) may stay."""
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "zh" / "01_satisfaction_trap.ipynb", as_version=4)
    cells = {c.get("id"): c for c in nb.cells}
    allowed = re.compile(r"crmlib(\.\w+)*|\b\w+=|\b\w+(?=（)|\b(?:True|PLS|PLSc|RMSE|Shmueli|beta)\b")
    for cid in ("kd-data", "kd-fit", "kd-move", "e8a5138e", "20bbee51", "3c06d620", "fa52e19b", "e2518694"):
        for out in cells[cid].outputs:
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            if text.startswith("<Figure"):
                continue
            words = ENGLISH_WORD.findall(allowed.sub(" ", text))
            assert not words, (cid, words, text[:300])
    english = nbformat.read(ROOT / "notebooks" / "01_satisfaction_trap.ipynb", as_version=4)
    verdict = next(c for c in english.cells if c.get("id") == "3c06d620").outputs[0]["text"]
    assert verdict.startswith("PLS predicts better than the linear model (lower RMSE) for 20 of 22 indicators")
