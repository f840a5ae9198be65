"""One English word, two meanings: each table shows its own Chinese (issue 17, library QA).

A word the suite uses in two senses ("events" of a survival table and of the bookstore's
departments, switching's Q and P against a generic quantity and price, ...) has a plain catalogue
entry for its general meaning and a gettext-context entry (``NP_``) for the special one; the
table of the special meaning names its context in ``frame.attrs["i18n_context"]``. Here, for each
clash, the table of each meaning shows its own Chinese under ``language("zh")``, and in English
the table is itself (the attrs change nothing that is printed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import checks, crm, datasets, i18n, lifecycle, loyalty, pls, satisfaction, stats, switching, waiting


def shown(table):
    """(English table, Chinese table): English is the table itself."""
    assert i18n.translate_frame(table) is table
    with i18n.language("zh"):
        return i18n.translate_frame(table)


def headers(frame) -> list:
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    return list(frame.columns) + [n for n in frame.index.names if n is not None]


@pytest.fixture(scope="module")
def records():
    return crm.simulate_scattered_records(40, rng=np.random.default_rng(7))


@pytest.fixture(scope="module")
def relationship():
    survey = loyalty.simulate_relationship_survey(300, rng=np.random.default_rng(3))
    return loyalty.fit_relationship_quality(survey)


@pytest.fixture(scope="module")
def stage_matrix():
    stages = pd.DataFrame(
        [
            ["cultivation", "confirmation", "trust", "weakening"],
            ["confirmation", "trust", "weakening", "dissolution"],
            ["confirmation", "confirmation", "trust", "trust"],
            ["weakening", "dissolution", "dissolution", "dissolution"],
        ]
    )
    return lifecycle.transition_matrix(lifecycle.transition_counts(stages))


# ------------------------------------------------------------------ events: 事件数 / 活动
def test_events_of_a_survival_table_are_event_counts_and_of_the_bookstore_activities(records):
    km = stats.kaplan_meier([2.0, 3.0, 3.0, 5.0, 8.0], [1, 1, 0, 1, 0])
    assert "事件数" in headers(shown(km.table)) and "事件数" in headers(shown(km.summary()))
    assert list(km.table.columns)[:3] == ["time", "at_risk", "events"]  # English unchanged
    assert "活动" in headers(shown(records)) and "事件数" not in headers(shown(records))
    assert shown(records)["部门"].astype(str).str.contains("活动").any()  # the events department


# ------------------------------------------------------------------ quantity / price: 数量 Q, 价格 P / 数量, 价格
def test_switching_q_and_p_are_labelled_as_in_the_value_equation():
    tornado = switching.tornado()
    labels = list(shown(tornado).index)
    assert "数量 Q" in labels and "价格 P" in labels
    assert "quantity" in tornado.index and "price" in tornado.index  # English unchanged
    offer = switching.SubstituteOffer()
    with i18n.language("zh"):
        text = repr(offer)
    assert "（数量 Q）" in text and "（价格 P）" in text
    assert "（" not in repr(offer)  # English repr is the dataclass repr


def test_a_generic_quantity_and_price_are_plain():
    cdnow = datasets.load_cdnow().head(3)
    assert "数量" in headers(shown(cdnow)) and "数量 Q" not in headers(shown(cdnow))
    rng = np.random.default_rng(5)
    data = pd.DataFrame(rng.integers(1, 8, size=(80, 3)).astype(float), columns=["quality", "price", "delivery"])
    data["overall"] = data.mean(axis=1) + rng.normal(0, 0.5, 80)
    table = satisfaction.fit_key_drivers(data, "overall").table
    assert "价格" in list(shown(table).index) and "价格 P" not in list(shown(table).index)


# ------------------------------------------------------------------ satisfaction: 满意度 / 满足感; trust 信任感
def test_relationship_quality_components_use_chapter_twos_words(relationship):
    table = relationship.summary()
    index = list(shown(table).index)
    assert "满足感" in index and "信任感" in index and "满意度" not in index
    assert "克朗巴哈系数" in headers(shown(table))  # its alpha is Cronbach's
    assert {"trust", "satisfaction"} <= set(table.index)  # English unchanged
    assert "满足感" in list(shown(relationship.alphas).index)
    scores = loyalty.scale_scores(loyalty.simulate_relationship_survey(50, rng=np.random.default_rng(4)))
    assert "满足感" in headers(shown(scores)) and "satisfaction" in scores.columns


def test_satisfaction_in_general_is_manyidu():
    table = satisfaction.repurchase_by_level(
        pd.DataFrame({"satisfaction": [1, 2, 3, 4, 5] * 4, "repurchase": [0, 0, 1, 1, 1] * 4})
    )
    assert "满意度" in headers(shown(table)) and "满足感" not in headers(shown(table))


# ------------------------------------------------------------------ name: 姓名 / 名称
def test_a_persons_name_and_a_things_name(records):
    assert "姓名" in headers(shown(records))
    assert "姓名" in headers(shown(crm.integrated_view(records, crm.link_exact(records))))
    types = pd.DataFrame([{"name": "inertia loyalty", "chinese": "惰性忠诚"}])
    assert "名称" in headers(shown(types))


# ------------------------------------------------------------------ key, principle
def test_keys_and_principles():
    principles = waiting.principles_table()
    assert shown(principles).index.name == "代号"  # an identifier (the principle's short name), not 关键 or 键
    assert "原则" in headers(shown(principles))
    assert principles.index.name == "key" and "principle" in principles.columns  # English unchanged
    keys = loyalty.programme_keys()
    assert "关键" in headers(shown(keys)) and "key" in keys.columns  # the programme's keys to success
    assert "原则" in headers(shown(loyalty.loyalty_principles()))


# ------------------------------------------------------------------ value: 数值 / 价值
def test_a_parameter_value_is_a_number_and_a_stage_value_is_worth(stage_matrix):
    params = waiting.queue_metrics(waiting.queue_scenario()).summary()
    assert headers(shown(params))[0] == "数值" and list(params.columns) == ["value"]
    worth = lifecycle.stage_value(stage_matrix, pd.Series(10.0, index=stage_matrix.index), 0.1)
    assert list(shown(worth).index)[2] == "关系信任"
    assert shown(worth).name == "价值" and worth.name == "value"


# ------------------------------------------------------------------ alpha / beta
def test_greek_parameters_stay_and_cronbachs_alpha_is_named():
    bgbb = lifecycle.BGBBResult(
        param_names=("alpha", "beta", "gamma", "delta"), n_obs=1, converged=True, param_values=(1.2, 0.75, 0.66, 2.8)
    )
    assert list(shown(bgbb.params).index) == ["alpha", "beta", "gamma", "delta"]
    items = switching.simulate_switching_cost_survey(100, rng=np.random.default_rng(2))
    reliability = switching.facet_reliability(items)
    assert "克朗巴哈系数" in headers(shown(reliability)) and "alpha" in reliability.columns
    rng = np.random.default_rng(5)
    data = pd.DataFrame(rng.integers(1, 8, size=(80, 2)).astype(float), columns=["quality", "price"])
    data["overall"] = data.mean(axis=1) + rng.normal(0, 0.5, 80)
    drivers = satisfaction.fit_key_drivers(data, "overall").table
    assert "标准化系数 beta" in headers(shown(drivers)) and "beta" in drivers.columns
    with i18n.language("zh"):
        assert i18n.gettext("beta") == "beta"


def test_pls_reliability_alpha_is_cronbachs():
    df = satisfaction.simulate_ecsi_survey(250, rng=np.random.default_rng(1))
    res = satisfaction.pls_path_model(df, satisfaction.ECSI_BLOCKS, satisfaction.ECSI_PATHS, scheme="path")
    table = pls.reliability(res)
    assert headers(shown(table))[0] == "克朗巴哈系数" and list(table.columns)[0] == "alpha"


# ------------------------------------------------------------------ trust: 关系信任 (stage) / 信任感 (component)
def test_a_life_cycle_stage_is_not_chapter_twos_trust(stage_matrix):
    labels = list(shown(stage_matrix).index)
    assert labels[:3] == ["关系培育", "关系确认", "关系信任"]
    assert "trust" in stage_matrix.index  # English unchanged
    stages = lifecycle.assign_stages(pd.Series([True, True]), pd.Series([True, False]), pd.Series([0.9, 0.9]))
    assert list(shown(stages)) == ["关系信任", "关系确认"]
    with i18n.language("zh"):
        assert i18n.gettext("trust") == "信任感"


# ------------------------------------------------------------------ inertia, churned
def test_inertia_and_churned_customers():
    cdnow = datasets.load_cdnow()
    features = crm.rfm_features(
        cdnow, "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    ).head(300)
    table = crm.choose_n_segments(
        features, candidates=[2, 3], rng=np.random.default_rng(1), columns=["weeks_since_last", "purchases", "spend"]
    )
    assert "惯性" in headers(shown(table))
    telco = datasets.load_telco_churn()
    assert "流失客户" in headers(shown(switching.churn_by_contract(telco)))


# ------------------------------------------------------------------ a check's unit reads as a count
def test_a_check_unit_reads_as_a_chinese_count():
    with i18n.language("zh"):
        assert checks._unit("customers") == "位客户" and checks._unit("purchases") == "次"
        assert i18n.gettext("customers") == "客户数"  # the column label keeps its own word
        assert checks._unit("yuan") == i18n.gettext("yuan")
    assert checks._unit("customers") == "customers"


def test_truth_values_in_a_displayed_table_read_as_shi_and_fou():
    """A True/False column (tracking's ``calibration``, a check's ``passed``) shows 是/否 in Chinese.

    Only the display changes: the frame a student computes with keeps its booleans, and English
    shows True/False as pandas does.
    """
    frame = pd.DataFrame({"weeks": [39, 78], "calibration": [True, False], "note": ["x", np.True_]})
    with i18n.language("zh"):
        shown = i18n.translate_frame(frame)
        series = i18n.translate_frame(frame["calibration"])
    assert shown.iloc[:, 1].tolist() == ["是", "否"] and series.tolist() == ["是", "否"]
    assert shown.iloc[:, 2].tolist() == ["x", "是"] and shown.iloc[:, 0].tolist() == [39, 78]
    assert frame["calibration"].dtype == bool
    assert i18n.translate_frame(frame) is frame


def test_a_label_answer_is_named_in_its_exercises_sense():
    """Check feedback shows a typed label with its Chinese name, in the exercise's own context.

    Exercise 2.5b asks for a relationship-quality component: its "satisfaction" is 满足感
    (chapter 2's term), not the customer satisfaction 满意度 of chapter 1; exercise 2.2's loyalty
    types use the plain catalogue. English feedback shows the label alone, as before.
    """
    with i18n.language("zh"):
        right = checks.exercise("2.5b", "satisfaction", echo=False).message
        wrong = checks.exercise("2.5b", "trust", echo=False).message
        plain = checks._code("latent loyalty")
    assert "'satisfaction'（满足感）" in right and "满意度" not in right
    assert "'trust'（信任感）" in wrong and plain == "'latent loyalty'（潜在忠诚）"
    english = checks.exercise("2.5b", "satisfaction", echo=False).message
    assert "'satisfaction' is right" in english and "（" not in english


def test_the_transition_heat_map_names_the_stage_trust_not_chapter_twos_trust():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlib.plotting import lifecycle as lifecycle_plots

    matrix = pd.DataFrame(np.full((5, 5), 0.2), index=lifecycle.STAGES, columns=lifecycle.STAGES)
    with i18n.language("zh"):
        ax = lifecycle_plots.plot_transition_matrix(matrix)
        names = [i18n.pgettext("life cycle stage", s) for s in lifecycle.STAGES]
    ticks = [t.get_text() for t in ax.get_xticklabels()], [t.get_text() for t in ax.get_yticklabels()]
    plt.close(ax.figure)
    assert ticks == (names, names) and "关系信任" in names and "信任感" not in names


def test_the_slides_chinese_beside_an_english_column_is_not_shown_twice():
    """The waiting principles carry the slides' Chinese beside each English statement; the Chinese
    edition shows the statement in Chinese, so the extra columns are left out there (kept in English)."""
    table = waiting.principles_table()
    with i18n.language("zh"):
        shown = i18n.translate_frame(table)
    assert "中文" in table.columns and "中文 (worse / better)" in table.columns
    assert not {"中文", "中文 (worse / better)"} & set(shown.columns) and len(shown.columns) == len(table.columns) - 2
    assert shown.iloc[0, 0] == table.iloc[0, 1]  # the statement, in the slides' words
