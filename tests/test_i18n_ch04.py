"""Chapter 4 (switching cost and substitute value) speaks Chinese in the Chinese edition (issue 17).

The last English lines of the chapter's Chinese edition, and what keeps them Chinese:

* the optimisers' reports (``Newton-Raphson converged in 6 iterations``, the penalised logit's
  solver report) and the reading note of a formula logit (``reference levels: ...``) are library
  messages: Chinese under ``i18n.language("zh")``, with the same numbers, and unchanged in English;
* the churn and barrier logits name their model and their terms in Chinese (repr and odds-ratio
  table); the churn scenario's ``scale`` reads 「Logit 尺度参数」 (its own context, so no other
  table's ``scale`` becomes a logit scale);
* the headers of the proportional-hazards test (``rho``, ``chi2``, ``df``) and of the chapter's
  value-at-risk screen (``risk``, ``value_at_risk``) are marked and translated;
* the RMST text writes τ, not ``tau``; the medians of the retention curves are a labelled Series
  (contract values translated) instead of a printed dict;
* the committed Chinese notebook shows none of those English lines, the English notebook still
  shows them in English.

Names, code identifiers, formula terms (``contract[T.One year]``), the intercept ``const`` and the
telco data's values stay as they are (see the brief of session 4).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from crmlib import churn, datasets, i18n, stats, switching

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import i18n as i18n_tools  # noqa: E402  (tools/i18n.py)
from i18n_harness import BRACES, chinese, numbers  # noqa: E402

ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")  # a lower-case English word (names are capitalised)
NOTEBOOK = "04_switching_cost_substitute_value.ipynb"

#: The msgids this file guards (each must have a Chinese msgstr with the same fields).
MESSAGES = [
    "reference levels: {levels}",
    "Newton-Raphson converged in {iterations} iterations",
    "Newton-Raphson stopped after maxiter={maxiter} iterations without meeting its tolerance",
    "{solver} converged in {iterations} iterations",
    "{solver} stopped after maxiter={maxiter} iterations without meeting its tolerance",
    "rho",
    "chi2",
    "df",
    "satisfaction:barriers",
    "stay ~ satisfaction * barriers (centred at 4)",
    "churn ~ contract + tenure + charges + services",
    "reference categories: month-to-month contract, DSL internet",
    "one_year",
    "two_year",
    "tenure_years",
    "monthly_charges_10",
    "fiber_optic",
    "no_internet",
    "add_on_services",
    "risk",
    "value_at_risk",
]


def _english_words(text: str, allowed=()) -> list[str]:
    return [w for w in ENGLISH_WORD.findall(str(text)) if w not in allowed]


@pytest.fixture(scope="module")
def telco():
    return datasets.load_telco_churn()


def test_the_fixed_messages_are_translated_with_the_same_fields():
    catalogue = {(m.context, m.id): m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id}
    for msgid in MESSAGES:
        m = catalogue.get((None, msgid))
        assert m is not None, f"{msgid!r} is not marked in crmlib (run libpo.py / tools/i18n.py extract)"
        assert m.string and not m.fuzzy, msgid
        assert sorted(BRACES.findall(m.id)) == sorted(BRACES.findall(m.string)), (m.id, m.string)
    scale = catalogue[("churn scenario", "scale")]
    assert scale.string == "Logit 尺度参数" and not scale.fuzzy
    assert (None, "scale") not in catalogue or "logit" not in catalogue[(None, "scale")].string.lower()


# ------------------------------------------------------------------ optimiser reports and notes
def test_formula_logit_note_and_report_read_in_chinese_with_the_same_values(telco):
    formula = "churn ~ contract + tenure + internet_service + senior_citizen"
    english = stats.fit_logit_formula(formula, telco)
    with i18n.language("zh"):
        chinese_fit = stats.fit_logit_formula(formula, telco)
    assert english.notes.startswith("reference levels: contract: 'Month-to-month', internet_service:")
    assert re.fullmatch(r"Newton-Raphson converged in \d+ iterations", english.message)
    levels = english.notes.removeprefix("reference levels: ")
    assert chinese_fit.notes == "参照水平：" + levels  # column names and data values stay
    assert chinese(chinese_fit.message) and numbers(chinese_fit.message) == numbers(english.message)
    assert not _english_words(chinese_fit.message), chinese_fit.message


def test_survival_fits_report_in_chinese(telco):
    observed = telco[telco["tenure"] > 0].assign(entry=lambda d: churn.snapshot_entry(d["tenure"]))
    snap = churn.simulate_snapshot(2000, rng=np.random.default_rng(4))
    for fit in (
        lambda: stats.fit_cox("tenure ~ contract", observed, event="churn", entry="entry"),
        lambda: stats.fit_weibull("tenure ~ 1", snap, event="churn", entry="entry"),
    ):
        english = fit()
        with i18n.language("zh"):
            zh = fit()
        assert english.message.startswith("Newton-Raphson converged in ")
        assert chinese(zh.message) and not _english_words(zh.message), zh.message
        assert numbers(zh.message) == numbers(english.message)


def test_penalised_logit_reports_its_solver_in_chinese(telco):
    formula = "churn ~ contract + tenure + monthly_charges"
    english = churn.fit_penalized_logit(formula, telco, penalty="l1", rng=np.random.default_rng(1))
    with i18n.language("zh"):
        zh = churn.fit_penalized_logit(formula, telco, penalty="l1", rng=np.random.default_rng(1))
    assert english.message.startswith("liblinear converged in ")
    assert chinese(zh.message) and _english_words(zh.message) == ["liblinear"], zh.message
    assert numbers(zh.message) == numbers(english.message)


# ------------------------------------------------------------------ the logits of the chapter
def _term_lines(text: str) -> list[tuple[str, str]]:
    """(term, numbers) of each coefficient line of a LogitResult repr."""
    out = []
    for line in text.splitlines()[1:]:
        term, _sep, rest = line.strip().partition("  ")
        out.append((term.strip(), " ".join(numbers(rest))))
    return out


@pytest.mark.parametrize("model", ["churn", "barriers"])
def test_logit_reprs_name_model_and_terms_in_chinese(model, telco):
    def fit():
        if model == "churn":
            return switching.fit_churn_logit(telco)
        return switching.fit_barrier_model(switching.simulate_barrier_survey(2000, rng=np.random.default_rng(1)))

    english = fit()
    with i18n.language("zh"):
        zh = fit()
        text = repr(zh)
        table = i18n.translate_frame(zh.odds_ratios().round(3))
    # English: exactly the dataclass-style repr with the English terms, left-aligned
    width = max(len(n) for n in english.param_names)
    for line, term in zip(repr(english).splitlines()[1:], english.param_names):
        assert line.startswith(f"  {term:<{width}}  "), line
    head = text.splitlines()[0]
    assert chinese(head) and not _english_words(head), head
    terms = _term_lines(text)
    with i18n.language("zh"):
        shown = [str(i18n.label(t)) for t in english.param_names]
    assert [n for n, _ in terms] == shown
    assert [v for _, v in terms] == [v for _, v in _term_lines(repr(english))]  # same numbers
    for term in [n for n, _ in terms if n != "const"]:  # statsmodels' intercept keeps its name
        assert chinese(term) and not _english_words(term), term
    assert all(chinese(x) for x in table.index if x != "const"), list(table.index)
    assert all(chinese(x) for x in table.columns), list(table.columns)


def test_churn_scenario_names_its_logit_scale_in_chinese():
    english = repr(switching.ChurnScenario())
    with i18n.language("zh"):
        zh = repr(switching.ChurnScenario())
    assert english == "ChurnScenario(value_gap=-50.0, gap_sd=60.0, scale=40.0, barrier=0.0)"
    assert "scale=40.0（Logit 尺度参数）" in zh
    words = re.sub(r"\b\w+=", " ", zh.removeprefix("ChurnScenario"))  # field names are code
    assert not _english_words(words), zh


# ------------------------------------------------------------------ tables and texts of the survival part
def test_ph_test_and_value_at_risk_headers_are_chinese(telco):
    observed = telco[telco["tenure"] > 0].assign(entry=lambda d: churn.snapshot_entry(d["tenure"]))
    cox = stats.fit_cox("tenure ~ contract + senior_citizen", observed, event="churn", entry="entry")
    ph = cox.ph_test()
    assert list(ph.columns) == ["rho", "chi2", "df", "p_value"]
    risk = switching.churn_risk(switching.fit_churn_logit(telco), telco)
    screen = telco.assign(risk=risk, value_at_risk=risk * telco["monthly_charges"])
    table = screen.groupby("contract", observed=True)[["risk", "value_at_risk", "monthly_charges"]].mean()
    with i18n.language("zh"):
        ph_zh = i18n.translate_frame(ph)
        table_zh = i18n.translate_frame(table)
    assert list(ph_zh.columns) == ["ρ", "卡方", "自由度", "p 值"]
    assert all(chinese(c) for c in table_zh.columns) and all(chinese(i) for i in table_zh.index)
    np.testing.assert_array_equal(table_zh.to_numpy(), table.to_numpy())


def test_rmst_text_and_median_table_read_in_chinese(telco):
    curves = switching.retention_curves(telco)
    rmst = stats.restricted_mean_survival(curves["Month-to-month"], 24)
    english = repr(rmst)
    medians = pd.Series({name: km.median for name, km in curves.items()}, name="median").rename_axis("contract")
    with i18n.language("zh"):
        zh = repr(rmst)
        medians_zh = i18n.translate_frame(medians)
    assert "up to tau = 24" in english
    assert "τ = 24" in zh and not _english_words(zh.replace(rmst.label, "")), zh  # the curve's label is data
    assert numbers(zh) == numbers(english)
    assert list(medians_zh.index) == ["按月合同", "一年合同", "两年合同"]
    assert medians_zh.name == "中位数" and medians_zh.index.name == "合同"
    assert medians.iloc[0] == 35.0 and np.isinf(medians.iloc[1:]).all()


# ------------------------------------------------------------------ the committed notebooks
def _outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            texts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(texts)


GONE_IN_CHINESE = [
    "reference levels",
    "converged in",
    "value_at_risk",
    "centred at",
    "{'Month-to-month'",
    "logit 尺度",
    "tau =",
    "charges + services",
    " rho ",
]


def test_the_chinese_notebook_shows_none_of_the_fixed_english_lines():
    zh = _outputs(ROOT / "notebooks" / "zh" / NOTEBOOK)
    for text in GONE_IN_CHINESE:
        assert text not in zh, text
    for text in ["参照水平：contract: 'Month-to-month'", "Newton-Raphson 法经 6 次迭代收敛", "风险价值", "τ = 24"]:
        assert text in zh, text


def test_the_english_notebook_keeps_its_english_lines():
    en = _outputs(ROOT / "notebooks" / NOTEBOOK)
    for text in [
        "reference levels: contract: 'Month-to-month'",
        "Newton-Raphson converged in 6 iterations",
        "value_at_risk",
        "LogitResult(stay ~ satisfaction * barriers (centred at 4): n = 2,000",
        "Name: median, dtype: float64",
        "up to tau = 24",
    ]:
        assert text in en, text
