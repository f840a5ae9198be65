"""Chapter 3 (customer lifetime value) speaks Chinese in the Chinese edition (issue 17).

* every library message of chapter 3 (its widgets, figures, the labels of the tables and the
  texts of the results :mod:`crmlib.clv` returns) has a Chinese translation in
  ``crmlib/locale/zh/LC_MESSAGES/crmlib.po`` with the same ``{field}`` placeholders, in the
  glossary's words (客户终身价值, 存活概率, 客户保持率, 贴现率, 当前价值 / 增值潜力);
* under ``with i18n.language("zh"):`` the CLV explorer and the customer explorer show Chinese
  controls and readouts holding the same numbers as the English ones, also after a slider moves;
* the figures' titles, axis labels, legends and band labels are Chinese and render with the
  suite's style without a missing glyph; English figures keep their English labels;
* a fit's repr, HTML repr and summary show Chinese labels with the same numbers, and the
  parameter names (r, alpha, a, b, s, beta, p, q, gamma) unchanged;
* the tables chapter 3 shows (RFM summary, holdout comparison, tracking, value matrix,
  elasticities, intervals) are labelled in Chinese with the same numbers, while the data keep
  their English labels so that code indexing them works in both editions.
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

from crmlib import clv, datasets, i18n, plotting  # noqa: E402
from crmlib.plotting import clv as clv_plots  # noqa: E402
from crmlib.widgets import clv as clv_widgets  # noqa: E402
from crmlib.widgets import readout_text  # noqa: E402

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

CHAPTER_FILES = ("crmlib/clv/", "crmlib/widgets/clv.py", "crmlib/plotting/clv.py")
QUADRANTS = ("重点保持与发展", "维持", "重点培养", "降低服务成本")


@pytest.fixture(scope="module")
def cdnow():
    """The CDNOW sample as chapter 3 uses it: transactions, RFM summary with holdout, BG/NBD, Gamma-Gamma."""
    log = datasets.load_cdnow()
    rfm = clv.rfm_summary(
        log, "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    bg = clv.fit_bg_nbd(rfm["frequency"], rfm["recency"], rfm["T"])
    gg = clv.fit_gamma_gamma(rfm["frequency"], rfm["monetary_value"])
    return log, rfm, bg, gg


@pytest.fixture(scope="module")
def sbg():
    return clv.fit_sbg([1000, 631, 468, 382, 326, 289, 262, 241])  # Fader & Hardie (2007), regular customers


# ------------------------------------------------------------------ the catalogue
def test_every_chapter_3_message_is_translated_with_the_same_fields():
    catalogue = [m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id]
    ours = [m for m in catalogue if any(path.startswith(CHAPTER_FILES) for path, _line in m.locations)]
    assert len(ours) > 60, f"only {len(ours)} messages of chapter 3 in the catalogue: run tools/i18n.py extract"
    untranslated = [m.id for m in ours if not m.string or m.fuzzy]
    assert not untranslated, f"{len(untranslated)} chapter-3 messages without Chinese, e.g. {untranslated[:3]}"
    for m in ours:
        assert sorted(BRACES.findall(m.id)) == sorted(BRACES.findall(m.string)), (m.id, m.string)
        assert chinese(m.string) or not re.search(r"[a-z]{3,} [a-z]{3,}", m.id), (m.id, m.string)


@pytest.mark.parametrize(
    ("label", "term"),
    [
        ("customer_lifetime_value", "客户终身价值"),
        ("customer lifetime value 客户终身价值", "客户终身价值"),
        ("P(alive) 存活概率", "存活概率"),
        ("retention_rate", "客户保持率"),
        ("retention r", "客户保持率"),
        ("discount_rate", "贴现率"),
        ("discount d", "贴现率"),
        ("current_value", "当前价值"),
        ("growth_potential", "增值潜力"),
        ("acquisition_cost", "获取客户的成本"),
        ("period after the valuation date (years)", "核定期"),
        ("frequency", "购买频率"),
        ("recency", "最近购买时间"),
        ("monetary_value", "消费金额"),
    ],
)
def test_chapter_3_labels_use_the_glossary_terms(label, term):
    with i18n.language("zh"):
        assert term in i18n.gettext(label), (label, i18n.gettext(label))


def test_the_value_matrix_quadrants_are_the_treatments_of_the_slides():
    matrix = clv.value_matrix([10, 50, 20, 80], [5, 40, 60, 1])
    with i18n.language("zh"):
        shown = i18n.translate_frame(matrix)
        names = [i18n.gettext(seg.split(":")[0]) for seg in matrix["segment"].cat.categories]
    assert list(shown.columns) == ["当前价值", "增值潜力", "细分"]
    assert [s.split("：")[0] for s in shown["细分"]] == ["降低服务成本", "重点保持与发展", "重点培养", "维持"]
    assert names == list(QUADRANTS)
    # the data keep their English labels: code splitting and indexing them works in both editions
    assert matrix["segment"].str.split(":").str[0].tolist() == ["economise", "invest", "develop", "maintain"]


# ------------------------------------------------------------------ widgets
def _builders(cdnow):
    _log, _rfm, bg, _gg = cdnow
    return {
        "clv": (clv_widgets.explore_clv, clv_widgets.clv_readout),
        "customer": (lambda: clv_widgets.explore_customer(bg), clv_widgets.customer_readout),
    }


@pytest.mark.parametrize("name", ["clv", "customer"])
def test_widget_speaks_chinese_with_the_same_numbers(name, cdnow):
    build, readout = _builders(cdnow)[name]
    english, zh = built_in_both_languages(build)
    assert not any(chinese(s.description) for s in english.sliders.values())
    assert all(chinese(s.description) for s in zh.sliders.values()), [s.description for s in zh.sliders.values()]
    # the longer Chinese labels get room; the English sliders keep their default layout
    assert all(s.style.description_width.endswith("px") for s in zh.sliders.values())
    assert not any(s.style.description_width for s in english.sliders.values())
    assert_readout_and_axes_follow_the_language(english, zh, readout)


def test_the_clv_explorer_follows_its_sliders_in_chinese():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with i18n.language("zh"):
            w = clv_widgets.explore_clv()
            w.sliders["retention_rate"].value = 0.9
            w.sliders["periods"].value = 20
            moved = w.readout.value
            legend = [t.get_text() for t in w.figure.axes[0].get_legend().get_texts()]
    scenario = clv.scenario(retention_rate=0.9, periods=20)
    english = clv_widgets.clv_readout(clv_widgets.evaluate_clv(scenario))
    assert english.startswith("CLV over 20 periods: <b>")
    assert moved.startswith("20 期的客户终身价值：<b>") and "利润乘数" in moved
    assert numbers(moved) == numbers(english)
    assert legend[0] == "20 期价值" and legend[1].startswith("无限期 ")


def test_the_customer_explorer_follows_its_sliders_in_chinese(cdnow):
    _log, _rfm, bg, _gg = cdnow
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with i18n.language("zh"):
            w = clv_widgets.explore_customer(bg)
            w.sliders["frequency"].value = 5
            moved = w.readout.value
            ax = w.figure.axes[0]
            title, legend = ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    english = clv_widgets.customer_readout(clv_widgets.evaluate_customer(bg, 5, 30.0, 38.0))
    assert moved.startswith("存活概率 P(alive) = <b>") and "未来 52 周的预期购买次数" in moved
    assert "参数的不确定性" in moved and numbers(moved) == numbers(english)
    assert title == "5 次重复购买，成为客户已 38 周" and legend == ["95% 区间（参数）"]
    # without intervals (level=None) the readout has no note, in both languages
    plain = clv_widgets.evaluate_customer(bg, 2, 30.0, 38.0, level=None)
    with i18n.language("zh"):
        assert readout_text(clv_widgets.customer_readout(plain)).endswith("周的预期购买次数 = 1.592")


# ------------------------------------------------------------------ figures
def _figures(cdnow, sbg):
    log, rfm, bg, gg = cdnow
    regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]
    holdout = clv.holdout_comparison(bg, rfm)
    tracking = clv.tracking_data(bg, log, "customer_id", "date", "1997-09-30", "1998-06-30")
    args = (bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    current = clv.customer_lifetime_value(*args, periods=12, discount_rate=0.01)
    growth = clv.growth_potential(*args, periods=12, discount_rate=0.01, quantile=0.75)
    matrix = clv.value_matrix(current, growth, current_split=current.mean(), growth_split=growth.mean())
    few = rfm.loc[[18, 4, 21, 111]]
    delta = clv.delta_intervals("clv", bg, gg, few["frequency"], few["recency"], few["T"], few["monetary_value"])
    return {
        "value_curve": lambda ax: clv_plots.plot_value_curve(100, 0.8, 0.1, 10, ax=ax),
        "retention": lambda ax: clv_plots.plot_retention(sbg, observed=regular, periods=12, fitted_periods=7, ax=ax),
        "tracking": lambda ax: clv_plots.plot_tracking(tracking, ax=ax),
        "holdout": lambda ax: clv_plots.plot_holdout(holdout, ax=ax),
        "value_matrix": lambda ax: clv_plots.plot_value_matrix(matrix, ax=ax),
        "prob_alive": lambda ax: clv_plots.plot_prob_alive(bg, 2, 30.0, 38.0, ax=ax),
        "prob_alive_band": lambda ax: clv_plots.plot_prob_alive(bg, 2, 30.0, 38.0, ax=ax, level=0.95),
        "totals": lambda ax: clv_plots.draw_total_intervals({"delta 法": delta}, ax=ax, unit="美元"),
    }


def test_figures_are_labelled_in_chinese_and_render_without_missing_glyphs(cdnow, sbg):
    saved = matplotlib.rcParams.copy()
    try:
        assert plotting.use_style() is not None, "no CJK font: mplfonts should provide Noto Sans CJK SC"
        for name, draw in _figures(cdnow, sbg).items():
            with i18n.language("zh"), warnings.catch_warnings():
                warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")
                fig, ax = plt.subplots()
                try:
                    draw(ax)
                    texts = _texts(ax)
                    assert not ax.get_ylabel() or chinese(ax.get_ylabel()), (name, texts)
                    assert chinese(ax.get_xlabel()), (name, texts)
                    # no English prose left: model names and symbols (sBG, P(alive), t_x) may stay
                    prose = [t for t in texts if re.search(r"[a-z]{3,} [a-z]{3,}", t) and not chinese(t)]
                    assert not prose, (name, prose)
                    legend = ax.get_legend()
                    if legend is not None:
                        assert all(chinese(t.get_text()) for t in legend.get_texts()), (name, texts)
                    fig.canvas.draw()  # renders every glyph: a missing one raises here
                finally:
                    plt.close(fig)
    finally:
        matplotlib.rcParams.update(saved)


def test_chinese_figures_use_the_slides_terms_and_the_same_numbers(cdnow, sbg):
    figures = _figures(cdnow, sbg)
    shown = {}
    for lang in ("en", "zh"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            with i18n.language(lang):
                for name in ("value_curve", "value_matrix", "prob_alive_band", "tracking"):
                    fig, ax = plt.subplots()
                    try:
                        figures[name](ax)
                        shown[lang, name] = _texts(ax)
                    finally:
                        plt.close(fig)
    assert shown["zh", "value_curve"][0] == "客户终身价值"
    assert "核定期之后的期数（年）" in shown["zh", "value_curve"]
    assert shown["zh", "value_curve"][-2:] == ["10 期价值", "无限期 267"]
    assert shown["en", "value_curve"][-2:] == ["10-period value", "infinite horizon 267"]
    assert set(QUADRANTS) <= set(shown["zh", "value_matrix"])
    assert {"当前价值 + 1（美元，对数刻度）", "增值潜力 + 1（美元，对数刻度）"} <= set(shown["zh", "value_matrix"])
    assert "存活概率 P(alive)" in shown["zh", "prob_alive_band"]
    assert "时间（周）" in shown["zh", "tracking"] and "时间（周）" not in shown["en", "tracking"]
    for name in ("value_curve", "prob_alive_band"):
        en_numbers = sorted(n for t in shown["en", name] for n in numbers(t))
        zh_numbers = sorted(n for t in shown["zh", name] for n in numbers(t))
        assert en_numbers == zh_numbers, (name, shown["en", name], shown["zh", name])


def test_english_figures_keep_their_labels(cdnow, sbg):
    figures = _figures(cdnow, sbg)
    fig, axs = plt.subplots(1, 4)
    try:
        figures["value_curve"](axs[0])
        assert axs[0].get_title() == "customer lifetime value 客户终身价值"
        assert axs[0].get_xlabel() == "period after the valuation date (years)"
        assert axs[0].get_ylabel() == "cumulative present value (currency)"
        figures["prob_alive_band"](axs[1])
        assert axs[1].get_xlabel() == "recency t_x: week of the last purchase (weeks after the first)"
        assert axs[1].get_ylabel() == "P(alive) 存活概率"
        assert axs[1].get_title() == "2 repeat purchases, customer for 38 weeks"
        assert axs[1].get_legend().get_texts()[0].get_text() == "95% interval (parameters)"
        figures["value_matrix"](axs[2])
        assert [t.get_text() for t in axs[2].get_legend().get_texts()] == ["invest", "maintain", "develop", "economise"]
        figures["totals"](axs[3])
        assert axs[3].get_xlabel() == "total over the customers (美元)"
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ results
def test_a_fits_repr_and_summary_are_chinese_with_the_parameter_names_unchanged(cdnow, sbg):
    _log, _rfm, bg, gg = cdnow
    for fit, names in ((bg, ["r", "alpha", "a", "b"]), (sbg, ["alpha", "beta"]), (gg, ["p", "q", "gamma"])):
        english = repr(fit)
        with i18n.language("zh"):
            zh = repr(fit)
            html = fit._repr_html_()
            summary = i18n.translate_frame(fit.summary())
            params = i18n.translate_frame(fit.params)
        assert chinese(zh) and not chinese(english) and numbers(zh) == numbers(english), (english, zh)
        assert "已收敛" in zh and "对数似然" in zh
        assert all(f"{name}=" in zh for name in names), zh  # r=0.2426, alpha=4.414 …: names as in English
        assert list(summary.index) == names and list(params.index) == names
        assert summary.index.name == "参数" and all(chinese(c) for c in summary.columns if c != "z")
        np.testing.assert_array_equal(summary.to_numpy(), fit.summary().to_numpy())
        assert "已收敛" in html and all(f"<th>{name}</th>" in html for name in names)
        assert "估计值" in html and "<th>estimate</th>" not in html
    with i18n.language("zh"):
        assert repr(sbg).startswith("SBGResult(移位贝塔几何模型（sBG）: alpha=0.7041, beta=1.182; ")
        assert repr(bg).startswith("BGNBDResult(BG/NBD: r=0.2426, alpha=4.414, a=0.7929, b=2.426; ")
    assert repr(sbg) == (
        "SBGResult(shifted-beta-geometric: alpha=0.7041, beta=1.182; n = 1,000, log-likelihood -1680.27, converged)"
    )


def test_interval_results_read_in_chinese_with_the_same_numbers(cdnow):
    _log, rfm, bg, gg = cdnow
    few = rfm.loc[[18, 4, 21, 111]]
    delta = clv.delta_intervals("prob_alive", bg, None, few["frequency"], few["recency"], few["T"])
    boot = clv.bootstrap_intervals(
        "prob_alive", bg, None, few["frequency"], few["recency"], few["T"], n_draws=20, rng=np.random.default_rng(3)
    )
    english = (repr(delta), repr(boot))
    assert english[0].startswith("IntervalResult(prob_alive, delta, 95%: 4 customers; total ")
    assert english[1].startswith("IntervalResult(prob_alive, bootstrap, 20 draws, 95%: 4 customers; total ")
    with i18n.language("zh"):
        zh = (repr(delta), repr(boot))
        customers = i18n.translate_frame(delta.customers)
    assert zh[0].startswith("IntervalResult(prob_alive，delta 法，95%：4 位客户；合计 ")
    assert zh[1].startswith("IntervalResult(prob_alive，自助法（bootstrap），抽样 20 次，95%：4 位客户；合计 ")
    for e, z in zip(english, zh):
        assert numbers(z) == numbers(e), (e, z)
    assert list(customers.columns) == ["估计值", "标准误", "下限", "上限"] and customers.index.name == "客户编号"
    assert list(delta.customers.columns) == ["estimate", "std_error", "lower", "upper"]


def test_chapter_3_tables_show_chinese_labels_and_the_same_numbers(cdnow, sbg):
    log, rfm, bg, gg = cdnow
    holdout = clv.holdout_comparison(bg, rfm)
    tracking = clv.tracking_data(bg, log, "customer_id", "date", "1997-09-30", "1998-06-30")
    elasticities = clv.value_elasticities(100, 0.8, 0.12, acquisition_cost=150)
    value = clv.customer_lifetime_value(bg, gg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"])
    survivors = sbg.project_survivors(12)
    with i18n.language("zh"):
        shown = {
            "rfm": i18n.translate_frame(rfm),
            "holdout": i18n.translate_frame(holdout),
            "tracking": i18n.translate_frame(tracking),
            "elasticities": i18n.translate_frame(elasticities),
            "value": i18n.translate_frame(value),
            "survivors": i18n.translate_frame(survivors),
        }
    assert list(shown["rfm"].columns) == [
        "购买频率",
        "最近购买时间",
        "T",
        "消费金额",
        "留出期购买频率",
        "留出期消费金额",
        "留出期长度",
    ]
    assert shown["rfm"].index.name == "客户编号"
    np.testing.assert_array_equal(shown["rfm"].to_numpy(), rfm.to_numpy())
    assert list(shown["holdout"].columns) == ["客户数", "实际", "模型预测"]
    assert shown["holdout"].index.name == "校准期购买频率" and list(shown["holdout"].index)[-1] == "7+"
    np.testing.assert_array_equal(shown["holdout"].to_numpy(), holdout.to_numpy())
    assert list(shown["tracking"].columns) == ["实际", "模型预期", "校准期"]
    assert shown["tracking"].index.name == "时间（周）"
    assert list(shown["elasticities"].index) == ["利润", "客户保持率", "贴现率", "获取客户的成本"]
    assert shown["elasticities"].name == "弹性"
    np.testing.assert_array_equal(shown["elasticities"].to_numpy(), elasticities.to_numpy())
    assert shown["value"].name == "客户终身价值" and shown["survivors"].name == "存留客户数"
    assert shown["survivors"].index.name == "期"
    # the data keep their English labels, so code indexing them works in both editions
    assert list(holdout.columns) == ["customers", "actual", "predicted"] and tracking.index.name == "time (weeks)"
    assert list(elasticities.index) == ["margin", "retention_rate", "discount_rate", "acquisition_cost"]


def test_covariate_fits_name_their_model_in_chinese_and_keep_their_parameter_names(cdnow):
    _log, rfm, _bg, _gg = cdnow
    early = (rfm["T"] > rfm["T"].median()).astype(int).to_frame("early")
    fit = clv.fit_bg_nbd_covariates(rfm["frequency"], rfm["recency"], rfm["T"], dropout_covariates=early)
    english = repr(fit)
    with i18n.language("zh"):
        zh = repr(fit)
        coefficients = i18n.translate_frame(fit.dropout_coefficients)
        html = fit._repr_html_()
    assert english.startswith("BGNBDCovariateResult(BG/NBD with covariates: r=")
    assert zh.startswith("BGNBDCovariateResult(含协变量的 BG/NBD: r=") and "dropout.early=" in zh
    assert numbers(zh) == numbers(english)
    assert coefficients.name == "流失" and coefficients.index.name == "协变量" and list(coefficients.index) == ["early"]
    assert "<th>dropout.early</th>" in html and "含协变量的 BG/NBD" in html
