"""The library speaks the notebook's language (issue 17): widgets, figures and table labels in Chinese.

What is checked, for chapters 0, 4, 5 and 6 (and the shared layers):

* the library catalogue ``crmlib/locale/zh/LC_MESSAGES/crmlib.po`` is complete (no missing or
  fuzzy entry) and every ``{field}``/``{field:spec}`` and ``%``-placeholder of a message appears
  identically in its translation (so a Chinese readout shows the same numbers);
* under ``with i18n.language("zh"):`` every widget's controls and readout are Chinese and the
  readout holds the same numbers as in English; English stays English;
* figures' titles, axis labels and legends are Chinese, and a Chinese figure drawn with the
  suite's style renders without a missing-glyph warning (the CJK font of ``mplfonts``);
* ``i18n.translate_frame`` shows the word labels of the tables the chapter modules return in
  Chinese and leaves their numbers alone;
* in an IPython shell, ``set_language("zh")`` makes a displayed DataFrame show Chinese headers
  (and ``set_language("en")`` undoes it).
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

from crmlib import crm, datasets, i18n, lifecycle, plotting, switching, waiting  # noqa: E402
from crmlib.plotting import churn as churn_plots  # noqa: E402
from crmlib.plotting import crm as crm_plots  # noqa: E402
from crmlib.plotting import lifecycle as lifecycle_plots  # noqa: E402
from crmlib.plotting import switching as switching_plots  # noqa: E402
from crmlib.plotting import waiting as waiting_plots  # noqa: E402
from crmlib.widgets import crm as crm_widgets  # noqa: E402
from crmlib.widgets import lifecycle as lifecycle_widgets  # noqa: E402
from crmlib.widgets import readout_text  # noqa: E402
from crmlib.widgets import switching as switching_widgets  # noqa: E402
from crmlib.widgets import waiting as waiting_widgets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import i18n as i18n_tools  # noqa: E402  (tools/i18n.py: reads the catalogue as translators' tools do)

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
#: {field}, {field:spec} and {0} fields (str.format), always checked.
BRACES = re.compile(r"\{[^{}]*\}")
#: printf-style %s / %(name)s / %.2f placeholders, checked where Babel flags the message python-format
#: (a plain "25% enters" is prose, not a placeholder; the library formats with str.format only).
PERCENT = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0+]*\d*(?:\.\d+)?[sdifr]")

# A fitted BG/BB model with the published parameters (Fader, Hardie & Shang 2010, Table 3).
BGBB = lifecycle.BGBBResult(
    param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True, param_values=(1.204, 0.750, 0.657, 2.783)
)


def chinese(text) -> bool:
    return bool(CJK.search(str(text)))


def numbers(text: str) -> list[str]:
    """The numbers a reader sees, as sorted strings (a translation may put them in another order)."""
    return sorted(NUMBER.findall(text))


# ------------------------------------------------------------------ the catalogue
@pytest.fixture(scope="module")
def catalogue():
    return [m for m in i18n_tools.read_catalogue(i18n_tools.LIBRARY_PO) if m.id]


def test_every_library_message_has_a_translation(catalogue):
    fuzzy = [m.id for m in catalogue if m.fuzzy]
    missing = [m.id for m in catalogue if not m.fuzzy and not m.string]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries, e.g. {fuzzy[:5]}"
    assert not missing, f"{len(missing)} untranslated entries, e.g. {missing[:5]}"


def test_placeholders_are_identical_in_every_translation(catalogue):
    bad = []
    for m in catalogue:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        for msgid in ids:
            for msgstr in strings:
                if not msgstr:
                    continue
                patterns = [BRACES, PERCENT] if "python-format" in m.flags else [BRACES]
                if any(sorted(p.findall(msgid)) != sorted(p.findall(msgstr)) for p in patterns):
                    bad.append((msgid, msgstr))
    assert not bad, f"{len(bad)} translations change a placeholder, e.g. {bad[:3]}"


def test_the_mechanism_reads_this_catalogue():
    """The runtime lookup (Babel) finds a widget label, a figure label and a table label."""
    with i18n.language("zh"):
        assert i18n.gettext("contact budget (yuan)") == "开发预算（元）"
        assert i18n.gettext("agents on duty") == "在岗座席数"
        assert i18n.gettext("Month-to-month") == "按月合同"
    assert i18n.gettext("Month-to-month") == "Month-to-month"


# ------------------------------------------------------------------ widgets
@pytest.fixture(scope="module")
def prospects():
    return crm.simulate_exhibitor_prospects(40, rng=np.random.default_rng(1))


def _build(name, prospects):
    if name == "prospects":
        return crm_widgets.explore_prospects(prospects)
    if name == "substitute_value":
        return switching_widgets.explore_substitute_value()
    if name == "churn":
        return switching_widgets.explore_churn()
    if name == "queue":
        return waiting_widgets.explore_queue(n_customers=2_000)
    if name == "staffing":
        return waiting_widgets.explore_staffing()
    if name == "rescue":
        return lifecycle_widgets.explore_rescue(BGBB)
    raise AssertionError(name)


WIDGETS = ["prospects", "substitute_value", "churn", "queue", "staffing", "rescue"]


@pytest.mark.parametrize("name", WIDGETS)
def test_widget_speaks_chinese_with_the_same_numbers(name, prospects):
    english = _build(name, prospects)
    with i18n.language("zh"):
        zh = _build(name, prospects)
    # every control's description is Chinese in the Chinese edition, English in the English one
    for key, control in zh.sliders.items():
        assert chinese(control.description), (key, control.description)
        assert not chinese(english.sliders[key].description), (key, english.sliders[key].description)
        assert numbers(control.description) == numbers(english.sliders[key].description)
        if not isinstance(control.value, str):  # a dropdown's value may be its (translated) label
            assert control.value == english.sliders[key].value
    # the readout: Chinese words, the same numbers
    en_text, zh_text = readout_text(english), readout_text(zh)
    assert chinese(zh_text), zh_text
    assert numbers(zh_text) == numbers(en_text), (en_text, zh_text)
    # the figure drawn by the widget is labelled in Chinese
    labels = [t for ax in zh.figure.axes for t in _texts(ax)]
    assert any(chinese(t) for t in labels), labels


def test_widget_follows_a_slider_in_chinese(prospects):
    """A slider moved in the Chinese edition gives a Chinese readout with the new numbers."""
    with i18n.language("zh"):
        w = switching_widgets.explore_substitute_value()
        w.sliders["switching_cost"].value = 0.0
        zh_text = readout_text(w)
    english = switching_widgets.explore_substitute_value()
    english.sliders["switching_cost"].value = 0.0
    assert "转向竞争对手" in zh_text  # SV > CV without a switching cost: the customer switches
    assert numbers(zh_text) == numbers(readout_text(english))


def test_dropdown_values_stay_english_keys_in_chinese(prospects):
    """Labels are translated, the values the code reads are not (so notebooks work in both editions)."""
    with i18n.language("zh"):
        staff = waiting_widgets.explore_staffing()
        market = crm_widgets.explore_prospects(prospects)
        staff.sliders["arriving"].value = "Monday"
        assert staff.sliders["arriving"].label == "星期一"
        market.sliders["industries"].value = market.sliders["industries"].options[1]
        assert chinese(market.sliders["industries"].value)
        assert market.result.n_prospects < 40  # the theme industries only


# ------------------------------------------------------------------ figures
def _texts(ax) -> list[str]:
    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    legend = ax.get_legend()
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


@pytest.fixture(scope="module")
def telco():
    return datasets.load_telco_churn()


def _figures(telco):
    """(name, draw(ax)) for every figure function of chapters 0, 4, 5, 6 and the churn figures."""
    ranked = crm.evaluate_campaign(crm.simulate_exhibitor_prospects(40, rng=np.random.default_rng(1)), None)
    curves = switching.retention_curves(telco)
    barrier = switching.fit_barrier_model(switching.simulate_barrier_survey(500, rng=np.random.default_rng(2)))
    y = telco["churn"].to_numpy()
    score = np.linspace(0, 1, len(y))
    from crmlib import churn

    budget = lifecycle.allocate_care_budget(
        20_000.0, customers=100, value=2000.0, base_rate=0.7, max_rate=0.85, response_scale=200.0
    )
    return {
        "customer_counts": lambda ax: crm_plots.plot_customer_counts({"a": 3, "b": 4}, truth=3, ax=ax),
        "prospect_ranking": lambda ax: crm_plots.plot_prospect_ranking(ranked, ax=ax),
        "substitute_value": lambda ax: switching_plots.plot_substitute_value(switching.decide(), ax=ax),
        "tornado": lambda ax: switching_plots.plot_tornado(switching.tornado(), ax=ax),
        "churn_curve": lambda ax: switching_plots.plot_churn_curve(None, ax=ax),
        "barrier": lambda ax: switching_plots.plot_barrier_interaction(barrier, ax=ax),
        "by_contract": lambda ax: switching_plots.plot_churn_by_contract(switching.churn_by_contract(telco), ax=ax),
        "retention": lambda ax: switching_plots.plot_retention_curves(curves, ax=ax),
        "wait": lambda ax: waiting_plots.plot_wait_distribution(
            np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.4, 2.8]), target_time=0.5, ax=ax
        ),
        "servers": lambda ax: waiting_plots.plot_wait_vs_servers(
            200 / 60, 1 / 3, range(11, 16), target_time=1 / 3, ax=ax
        ),
        "staffing": lambda ax: waiting_plots.plot_staffing_day(
            waiting.staffing_plan([20, 40], 1 / 4, 1 / 3, 0.8), target_level=0.8, ax=ax
        ),
        "prob_alive": lambda ax: lifecycle_plots.plot_prob_alive_matrix(BGBB, 4, ax=ax),
        "rescue": lambda ax: lifecycle_plots.plot_rescue(
            lifecycle.evaluate_rescue(BGBB, lifecycle.rescue_case()), ax=ax
        ),
        "budget": lambda ax: lifecycle_plots.plot_budget(budget, ax=ax),
        "roc": lambda ax: churn_plots.plot_roc(churn.roc_table(y, score), auc=churn.roc_auc(y, score), ax=ax),
        "gains": lambda ax: churn_plots.plot_gains(churn.gains_table(y, score), ax=ax),
        "lift": lambda ax: churn_plots.plot_lift(churn.gains_table(y, score), ax=ax),
        "calibration": lambda ax: churn_plots.plot_calibration(churn.calibration_table(y, score), ax=ax),
        "survival": lambda ax: churn_plots.plot_survival_comparison(curves, ax=ax),
    }


def test_figures_are_labelled_in_chinese_and_render_without_missing_glyphs(telco):
    saved = matplotlib.rcParams.copy()
    try:
        font = plotting.use_style()
        assert font is not None, "no CJK font: mplfonts should provide Noto Sans CJK SC"
        assert font == plotting.cjk_font()
        for name, draw in _figures(telco).items():
            fig, ax = plt.subplots()
            try:
                draw(ax)
                english = [t for a in fig.axes for t in (a.get_xlabel(), a.get_ylabel()) if t]
                assert english and not any(chinese(t) for t in english), (name, english)
            finally:
                plt.close(fig)
            with i18n.language("zh"), warnings.catch_warnings():
                warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from")
                fig, ax = plt.subplots()
                try:
                    draw(ax)
                    texts = [t for a in fig.axes for t in _texts(a)]
                    words = [t for t in texts if re.search(r"[A-Za-z]{3,}", t) or chinese(t)]
                    assert words and all(chinese(t) for t in (ax.get_xlabel(), ax.get_ylabel()) if t), (name, texts)
                    assert any(chinese(t) for t in texts), (name, texts)
                    fig.canvas.draw()  # renders every glyph: a missing one raises here
                finally:
                    plt.close(fig)
    finally:
        matplotlib.rcParams.update(saved)


def test_english_figures_stay_english(telco):
    fig, ax = plt.subplots()
    try:
        waiting_plots.plot_wait_distribution(np.array([0.0, 1.0, 2.0]), target_time=0.5, ax=ax)
        assert ax.get_xlabel() == "waiting time (minutes)"
        assert ax.get_legend().get_texts()[0].get_text() == "actual (mean 1.00)"
    finally:
        plt.close(fig)
    with i18n.language("zh"):
        fig, ax = plt.subplots()
        try:
            waiting_plots.plot_wait_distribution(np.array([0.0, 1.0, 2.0]), target_time=0.5, ax=ax)
            assert ax.get_xlabel() == "等待时间（分钟）"
            assert ax.get_legend().get_texts()[0].get_text() == "实际（均值 1.00）"
        finally:
            plt.close(fig)


# ------------------------------------------------------------------ tables
def _tables(telco):
    rng = np.random.default_rng(2026)
    records = crm.simulate_scattered_records(60, rng=rng)
    cdnow = datasets.load_cdnow()
    features = crm.rfm_features(
        cdnow, "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    cols = ["weeks_since_last", "purchases", "spend"]
    prospects = crm.simulate_exhibitor_prospects(60, rng=rng)
    ranked = crm.rank_prospects(prospects)
    items = switching.simulate_switching_cost_survey(100, rng=rng)
    calls = datasets.load_bank_calls()
    profile = waiting.arrival_profile(calls)
    day = waiting.staff_day(profile["mean"], rng=np.random.default_rng(1))
    stages = pd.DataFrame(
        [
            ["cultivation", "confirmation", "trust", "weakening"],
            ["confirmation", "trust", "weakening", "dissolution"],
            ["confirmation", "confirmation", "trust", "trust"],
            ["weakening", "dissolution", "dissolution", "dissolution"],
        ]
    )
    matrix = lifecycle.transition_matrix(lifecycle.transition_counts(stages))
    budget = lifecycle.allocate_care_budget(
        20_000.0, customers=100, value=2000.0, base_rate=0.7, max_rate=0.85, response_scale=200.0
    )
    return {
        # chapter 0
        "records": (records[["department", "name", "spend", "complaints", "events"]], ["department"]),
        "scattered_view": (crm.scattered_view(records), []),
        "integrated_view": (crm.integrated_view(records, crm.link_exact(records)), []),
        "crm_process": (
            pd.DataFrame(crm.CRM_PROCESS).set_index("key")[["chinese", "work", "where"]],
            ["work", "where"],
        ),
        "myths": (pd.DataFrame(crm.MYTHS).set_index("key")[["myth", "instead"]], ["myth", "instead"]),
        "principles": (pd.DataFrame(crm.PRINCIPLES).set_index("key")[["chinese", "meaning"]], ["meaning"]),
        "crm_types": (pd.Series({"a": crm.crm_type(["data warehouse"]), "b": crm.crm_tier(35)}, name="type"), []),
        "rfm_features": (features.head(), []),
        "choose_n_segments": (crm.choose_n_segments(features.head(300), rng=rng, columns=cols, candidates=[2, 3]), []),
        "segment_centres": (crm.segment_customers(features.head(300), 3, rng=rng, columns=cols).centres, []),
        "ranked": (ranked.head(), ["industry"]),
        "source_summary": (crm.source_summary(ranked), []),
        "communication_plan": (crm.communication_plan(ranked, 3), ["whom", "channel"]),
        # chapter 4
        "tornado": (switching.tornado(), []),
        "welcome_offer": (switching.WelcomeOffer().breakdown("express"), []),
        "facet_reliability": (switching.facet_reliability(items), ["type"]),
        "switching_scores": (switching.score_switching_costs(items).head(), []),
        "churn_by_contract": (switching.churn_by_contract(telco), []),
        "retention_table": (switching.retention_table(switching.retention_curves(telco), at=[12, 24]), []),
        # chapter 5
        "wait_principles": (waiting.principles_table(), ["principle", "worse state", "evidence", "basis", "example"]),
        "compare_designs": (
            waiting.compare_designs({"now": waiting.queue_design()}, rng=np.random.default_rng(1), n_customers=2_000),
            [],
        ),
        "arrival_profile": (profile.head(), []),
        "by_weekday": (waiting.arrival_profile(calls, by="weekday").head(), []),
        "staffing_plan": (day.plan.head(), []),
        "simulated_day": (day.simulated.head(), []),
        # chapter 6
        "transition_matrix": (matrix, []),
        "stage_time": (lifecycle.expected_stage_time(matrix, absorbing="dissolution"), []),
        "stage_paths": (lifecycle.stage_paths(stages), []),
        "care_budget": (budget.table, []),
    }


#: Labels that stay as they are in both editions: symbols and codes.
KEPT = {"T", "chinese", "中文", "中文 (worse / better)", 12, 24, "now"}
#: Index names whose values are the keys code uses (``waiting.only_worse("occupied")``, source keys);
#: the tables show the Chinese names beside them, the keys themselves stay as typed.
CODE_KEYS = {"key", "source"}


@pytest.fixture(scope="module")
def tables(telco):
    return _tables(telco)


@pytest.mark.parametrize(
    "name",
    [
        "records",
        "scattered_view",
        "integrated_view",
        "crm_process",
        "myths",
        "principles",
        "crm_types",
        "rfm_features",
        "choose_n_segments",
        "segment_centres",
        "ranked",
        "source_summary",
        "communication_plan",
        "tornado",
        "welcome_offer",
        "facet_reliability",
        "switching_scores",
        "churn_by_contract",
        "retention_table",
        "wait_principles",
        "compare_designs",
        "arrival_profile",
        "by_weekday",
        "staffing_plan",
        "simulated_day",
        "transition_matrix",
        "stage_time",
        "stage_paths",
        "care_budget",
    ],
)
def test_tables_show_chinese_labels_and_the_same_numbers(name, tables):
    table, word_columns = tables[name]
    assert i18n.translate_frame(table) is table  # English: the table itself
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    # columns giving the Chinese beside an English one are left out of the Chinese display
    frame = frame.drop(columns=[c for c in table.attrs.get("english_only", ()) if c in frame.columns])
    shown_frame = shown.to_frame() if isinstance(shown, pd.Series) else shown
    # headers: every word label is Chinese (column names, index names, index values that are words)
    labels = list(frame.columns) + [n for n in frame.index.names if n is not None]
    shown_labels = list(shown_frame.columns) + [n for n in shown_frame.index.names if n is not None]
    words_in_index = frame.index.dtype == object or isinstance(frame.index.dtype, pd.StringDtype)
    if words_in_index and frame.index.name not in CODE_KEYS:
        words = [i for i, v in enumerate(frame.index) if re.search(r"[A-Za-z]{3,}", str(v))]  # not ids or clock times
        labels += [frame.index[i] for i in words]
        shown_labels += [shown_frame.index[i] for i in words]
    english_left = [e for e, z in zip(labels, shown_labels) if e not in KEPT and not chinese(z)]
    assert not english_left, f"{name}: labels left in English: {english_left}"
    # word-valued columns: their cells are Chinese
    for col in word_columns:
        position = list(frame.columns).index(col)
        cells = shown_frame.iloc[:, position].dropna().astype(str)
        assert cells.map(chinese).all(), (name, col, cells[~cells.map(chinese)].head(3).tolist())
    # the numbers are not touched, and the English data keep their labels
    numeric = frame.select_dtypes("number")
    pd.testing.assert_frame_equal(
        shown_frame.select_dtypes("number").set_axis(numeric.columns, axis=1).set_axis(numeric.index, axis=0), numeric
    )
    assert not any(chinese(c) for c in frame.columns if c not in KEPT)


def test_waiting_principles_match_the_chinese_column(tables):
    """The translated English principle is the slides' wording already in the 中文 column."""
    table, _ = tables["wait_principles"]
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    assert shown["原则"].tolist() == table["中文"].tolist()
    worse = [w.split(" / ")[0] for w in table["中文 (worse / better)"]]
    assert shown["较差的状态"].tolist() == worse


# ------------------------------------------------------------------ display in a notebook
def test_set_language_labels_displayed_tables_in_an_ipython_shell(tables):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    table, _ = tables["churn_by_contract"]
    try:
        i18n.set_language("zh")
        data, _meta = shell.display_formatter.format(table)
        assert "流失率" in data["text/html"] and "按月合同" in data["text/html"]
        assert "流失率" in data["text/plain"]
        assert "0.427097" in data["text/plain"]  # the numbers are the English table's
    finally:
        i18n.set_language("en")
    data, _meta = shell.display_formatter.format(table)
    assert "churn_rate" in data["text/html"] and "流失率" not in data["text/html"]
    assert i18n.current_language() == "en"
