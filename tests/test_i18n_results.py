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
    assert "坐席工时" in chinese
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
