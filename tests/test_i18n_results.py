"""What notebooks print from library objects speaks the notebook's language (issue 17).

Results and records (a fit's repr, summary and HTML repr; queue measures and a staffing plan; a
data set's metadata line; the CRM chapter's records) are worded in the current language *when
they are shown*: under ``with i18n.language("zh"):`` they hold Chinese words and exactly the same
numbers as in English, and outside the block (the default) they are byte-identical to the
English text the English notebooks and doctests pin.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from crmlib import churn, crm, datasets, i18n, lifecycle, stats, switching, waiting
from crmlib.clv import fit_sbg

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")

# the chapter 3 regular-customer cohort (Fader & Hardie 2007, table 1): a real sBG fit
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]


def numbers(text: str) -> Counter:
    """The numbers written in a text, as a multiset (a translation may put them in another order)."""
    return Counter(NUMBER.findall(text))


def shown_in_both(make) -> tuple[str, str]:
    """The text ``make()`` gives in English and in Chinese."""
    english = make()
    with i18n.language("zh"):
        chinese = make()
    return english, chinese


def assert_translated(english: str, chinese: str) -> None:
    assert not CJK.search(english.replace("起步价", "").replace("利益", "")), english  # English stays English
    assert CJK.search(chinese), chinese
    assert numbers(chinese) == numbers(english), (english, chinese)


@pytest.fixture(scope="module")
def sbg():
    return fit_sbg(REGULAR)


@pytest.fixture(scope="module")
def day():
    profile = pd.Series([120.0, 180.0, 240.0, 150.0], index=["09:00", "09:05", "09:10", "09:15"])
    return waiting.staff_day(profile, 4.0, 20 / 60, 0.8, rng=np.random.default_rng(3))


def test_fit_result_repr_and_fit_line_in_chinese_with_the_same_numbers(sbg):
    english, chinese = shown_in_both(lambda: repr(sbg))
    assert english.startswith("SBGResult(shifted-beta-geometric: alpha=") and "converged)" in english
    assert_translated(english, chinese)
    assert "已收敛" in chinese and "对数似然" in chinese
    assert "alpha=" in chinese and "beta=" in chinese  # Greek parameter names are not translated


def test_fit_result_summary_and_html_repr_in_chinese(sbg):
    table = sbg.summary()
    assert i18n.translate_frame(table) is table
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
        html = sbg._repr_html_()
    assert list(table.columns) == ["estimate", "std_error", "z", "p_value", "lower_95", "upper_95"]  # data: English
    assert all(CJK.search(c) for c in shown.columns if c != "z")
    assert shown.index.name == "参数" and list(shown.index) == ["alpha", "beta"]
    np.testing.assert_array_equal(shown.to_numpy(), table.to_numpy())
    assert "估计值" in html and "标准误" in html and "已收敛" in html
    assert "estimate" in sbg._repr_html_() and not CJK.search(sbg._repr_html_())


def test_survival_and_logit_results_in_chinese():
    rng = np.random.default_rng(5)
    t = rng.exponential(10.0, 300).round(1) + 0.1
    e = rng.random(300) < 0.7
    km = stats.kaplan_meier(t, e, label="all")
    assert_translated(*shown_in_both(lambda: repr(km)))
    assert_translated(*shown_in_both(lambda: repr(stats.restricted_mean_survival(km, 12.0))))
    frame = pd.DataFrame({"y": (rng.random(300) < 0.4).astype(int), "x": rng.normal(size=300)})
    logit = stats.fit_logit_formula("y ~ x", frame)
    english, chinese = shown_in_both(lambda: repr(logit))
    assert_translated(english, chinese)
    assert "McFadden" in chinese and "标准误" in chinese
    english, chinese = shown_in_both(logit._repr_html_)
    assert "优势比" in chinese and numbers(chinese) == numbers(english)


def test_queue_metrics_and_day_staffing_in_chinese(day):
    metrics = waiting.queue_metrics(waiting.queue_scenario(), target_time=0.5)
    english, chinese = shown_in_both(lambda: repr(metrics))
    assert english == "QueueMetrics(c=4, A=3 Erlangs, rho=0.7500, P(wait)=0.5094, Wq=1.019, Lq=1.528, SL(0.5)=0.6033)"
    assert_translated(english, chinese)
    assert "利用率" in chinese and "服务水平" in chinese
    english, chinese = shown_in_both(lambda: repr(day))
    assert english.startswith("DayStaffing(handle_time=4 min, target 80% within 20 s: agent_hours=")
    assert_translated(english, chinese)
    assert "座席工时" in chinese
    with i18n.language("zh"):
        shown = i18n.translate_frame(day.summary())
    assert all(CJK.search(label) for label in shown.index)


def test_dataset_metadata_line_in_chinese():
    for name in ("cdnow_sample", "telco_churn", "bank_calls", "donations"):
        info = datasets.metadata(name)
        english, chinese = shown_in_both(lambda info=info: str(info))
        assert english == f"{info.title}: {info.rows:,} rows; source: {info.source}; licence: {info.licence}"
        assert_translated(english, chinese)
        assert "行；来源：" in chinese
        english, chinese = shown_in_both(info._repr_markdown_)
        assert_translated(english, chinese)
        assert info.citation in chinese  # citations stay as published
    assert info.title.startswith("Repeat donations")  # the record's fields stay English


def test_constructed_data_labelled_constructed_in_chinese():
    survey = datasets.constructed_driver_survey(100, rng=np.random.default_rng(0))
    english, chinese = shown_in_both(lambda: str(survey.attrs["metadata"]))
    assert "constructed data" in english
    assert "构造数据" in chinese
    assert_translated(english, chinese)


def test_crm_records_in_chinese():
    metrics = crm.LinkageMetrics(
        n_records=752,
        customers_found=369,
        customers_true=300,
        pairs_predicted=1000,
        pairs_true=1214,
        pairs_correct=1000,
        precision=1.0,
        recall=0.824,
        f1=0.904,
    )
    english, chinese = shown_in_both(lambda: repr(metrics))
    assert english == (
        "LinkageMetrics(752 records: 369 customers found, 300 true; pairs precision 1.000, recall 0.824, F1 0.904)"
    )
    assert_translated(english, chinese)
    assert "精确率" in chinese and "召回率" in chinese  # the glossary's terms
    outcome = crm.evaluate_campaign(crm.simulate_exhibitor_prospects(120, rng=np.random.default_rng(7)))
    assert_translated(*shown_in_both(lambda: repr(outcome)))
    english, chinese = shown_in_both(lambda: repr(crm.ProspectScenario()))
    assert english == (
        "ProspectScenario(booth_price=1200.0, profit_share=0.35, retention_rate=0.6, discount_rate=0.08, "
        "periods=5, contact_budget=100000.0)"
    )
    assert_translated(english, chinese)
    assert "retention_rate=0.6（客户保持率）" in chinese  # the code name stays, the glossary's words follow


def test_switching_and_churn_records_in_chinese():
    offer = switching.WelcomeOffer()
    english, chinese = shown_in_both(lambda: repr(offer))
    assert english == (
        "WelcomeOffer(base_fare=10 yuan, free_orders=3, coupons=[快车优享通用券 9 yuan (express, premium), "
        "快车券 8 yuan (express), 优享券 10 yuan (premium)])"
    )
    assert "快车、优享" in chinese and numbers(chinese) == numbers(english)
    english_rows, chinese_rows = shown_in_both(lambda: list(offer.breakdown("express").index))
    assert english_rows[0] == "3 free base fares (起步价) x 10 yuan" and chinese_rows[0] == "3 单免起步价 × 10 元"
    for make in (switching.decide, switching.SubstituteOffer, switching.ChurnScenario, switching.churn_outcome):
        assert_translated(*shown_in_both(lambda make=make: repr(make())))
    auc = churn.roc_auc([1, 0, 1, 0, 1, 0], [0.9, 0.2, 0.6, 0.4, 0.3, 0.35])
    english, chinese = shown_in_both(lambda: repr(auc))
    assert_translated(english, chinese)
    assert "流失客户" in chinese


def test_lifecycle_printed_lines_in_chinese():
    plan = lifecycle.allocate_care_budget(
        2_000.0, customers=[235, 707], value=[4000.0, 1500.0], base_rate=0.8, max_rate=0.9, response_scale=5.0
    )
    english, chinese = shown_in_both(lambda: str(plan))
    assert english.startswith("budget 2,000: retained value +")
    assert_translated(english, chinese)
    assert chinese.startswith("预算 2,000：")
    warning = lifecycle.evaluate_warning([True, True, False, False], [True, False, True, False])
    assert_translated(*shown_in_both(lambda: str(warning)))


# ----------------------------------------------------------------------------------------------
# satisfaction, loyalty, PLS and CLV texts (issue 17, the Chinese edition's remaining English)
# ----------------------------------------------------------------------------------------------
def test_top_box_and_nps_reprs_in_chinese():
    from crmlib import satisfaction as sat

    top = sat.TopBoxResult(multiple=6.0, lower=3.25, upper=9.5, rate_top=0.6, rate_below=0.1, level=0.95)
    nps = sat.NPSResult(
        nps=12.3, lower=1.0, upper=20.0, promoters=0.4, passives=0.3, detractors=0.3, n_respondents=100, level=0.95
    )
    assert repr(top) == "TopBoxResult(multiple=6.000, 95% CI [3.250, 9.500], rate_top=0.600, rate_below=0.100)"
    assert repr(nps) == (
        "NPSResult(nps=12.3, 95% CI [1.0, 20.0], promoters=0.400, passives=0.300, detractors=0.300, n_respondents=100)"
    )
    for obj in (top, nps):
        english, chinese = shown_in_both(lambda obj=obj: repr(obj))
        assert_translated(english, chinese)
        assert "置信区间" in chinese
    with i18n.language("zh"):
        assert "multiple=6.000（最高档倍数）" in repr(top)
        assert "promoters=0.400（推荐者比例）" in repr(nps)


def test_loyalty_results_and_signs_in_chinese():
    from crmlib import loyalty

    base = loyalty.project_customer_base()
    effects = loyalty.retention_effects()
    english, chinese = shown_in_both(lambda: repr(base))
    assert english.startswith("CustomerBaseResult(retention_rate=0.8, referral_rate=0, periods=10, customers in")
    assert_translated(english, chinese)
    english, chinese = shown_in_both(lambda: repr(effects))
    assert english.startswith("RetentionEffectsResult(retention 0.7 -> 0.8: number effect ")
    assert_translated(english, chinese)
    assert "客户数量增长效应" in chinese and "客户保持时间效应" in chinese
    # the signs of a loyal customer: a tuple of English strings that prints in the notebook's language
    assert loyalty.LOYAL_SIGNS[0] == "regular repeat purchase"
    assert str(loyalty.LOYAL_SIGNS) == repr(tuple(loyalty.LOYAL_SIGNS))
    english, chinese = shown_in_both(lambda: str(loyalty.LOYAL_SIGNS))
    assert "regular repeat purchase" in english and CJK.search(chinese) and "regular" not in chinese


def test_relationship_quality_result_in_chinese():
    from crmlib import loyalty

    survey = loyalty.simulate_relationship_survey(200, rng=np.random.default_rng(4))
    res = loyalty.fit_relationship_quality(survey)
    english, chinese = shown_in_both(lambda: repr(res))
    assert english.startswith("RelationshipQualityResult(model='ols', outcome=") and "standardised: " in english
    assert_translated(english, chinese)
    english, chinese = shown_in_both(res._repr_html_)
    assert english.startswith("<p><b>relationship quality -> loyalty</b> (OLS of ")
    assert "关系质量" in chinese


@pytest.fixture(scope="module")
def pls_fit():
    from crmlib import satisfaction as sat

    df = sat.simulate_ecsi_survey(80, rng=np.random.default_rng(3))
    return sat.pls_path_model(df, sat.ECSI_BLOCKS, sat.ECSI_PATHS, scheme="path")


def test_pls_result_bootstrap_predict_and_assessment_in_chinese(pls_fit):
    from crmlib import pls

    english, chinese = shown_in_both(lambda: repr(pls_fit))
    assert english.startswith("PLSResult: PLS path model (path scheme, standardised indicators, ")
    assert "Path coefficients (no bootstrap" in english and "Constructs:" in english
    assert "路径系数" in chinese and "PLS 路径模型" in chinese and "构念：" in chinese
    assert numbers(chinese) == numbers(english)
    boot = pls.bootstrap(pls_fit, resamples=10, rng=np.random.default_rng(1), bca=False, progress=False)
    english, chinese = shown_in_both(lambda: repr(boot))
    assert english.startswith("BootstrapResult: 10 resamples of n = 80 (PLS); 95% percentile and BCa intervals")
    assert "Bootstrapped structural paths:" in english
    assert "重抽样" in chinese and "自助法：结构路径" in chinese
    assert numbers(chinese) == numbers(english)
    english, chinese = shown_in_both(boot._repr_html_)
    assert "<p>paths</p>" in english and "<p>路径</p>" in chinese
    pred = pls.predict(pls_fit, folds=5, repetitions=1, rng=np.random.default_rng(1), progress=False)
    english, chinese = shown_in_both(lambda: repr(pred))
    assert english.startswith(
        "PredictResult: PLSpredict, 5-fold cross-validation x 1 repetitions (earliest antecedents)"
    )
    assert "交叉验证" in chinese and "预测能力" in chinese
    assert numbers(chinese) == numbers(english)
    report = pls.assess(pls_fit)
    english, chinese = shown_in_both(lambda: repr(report))
    assert "Loadings, indicator reliability, weights and outer VIF:" in english
    assert "Fornell-Larcker criterion" in english and "Q^2 (blindfolding):" in english
    assert "载荷、指标信度、权重和外部 VIF：" in chinese and "效应：" in chinese
    assert "Loadings, indicator" not in chinese


def test_clv_estimation_warnings_in_chinese():
    import warnings

    from crmlib import clv

    def warned() -> str:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clv.fit_bg_nbd([1, 2, 0, 3], [5.0, 9.0, 0.0, 12.0], [20.0, 20.0, 20.0, 20.0])
        return " ".join(str(w.message) for w in caught if issubclass(w.category, clv.EstimationWarning))

    english, chinese = shown_in_both(warned)
    assert "no heterogeneity in dropout probabilities" in english and "or a simpler model." in english
    assert "异质性" in chinese and "流失概率" in chinese and "更简单的模型" in chinese
    assert "a/(a+b)" in chinese and "heterogeneity" not in chinese
    assert numbers(chinese) == numbers(english)


def test_describe_row_labels_in_chinese():
    table = pd.DataFrame({"spend": [1.0, 2.0, 3.0, 4.0]}).describe()
    assert list(table.index) == ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    assert list(shown.index) == ["计数", "均值", "标准差", "最小值", "25%", "50%", "75%", "最大值"]
    assert shown.iloc[:, 0].tolist() == table["spend"].tolist()
    assert i18n.translate_frame(table) is table  # English: the table itself
