"""Chapter 0 (crmlib.crm): the bookstore records, record linkage, segments and prospect value.

Outside references: the pair counts of ``linkage_quality`` against scikit-learn's
``pair_confusion_matrix``; the linkage against the constructed data's true customer ids (which the
generator knows and a matching never sees); k-means against a hand-checked two-group case and
against the fixed point that defines Lloyd's algorithm (every customer sits in the segment of the
nearest segment mean) and scikit-learn's own silhouette; the prospect value against its analytic
formula and a Monte Carlo simulation of conversions; the value of a won exhibitor against the
geometric sum written out term by term.
"""

from __future__ import annotations

import dataclasses

import matplotlib
import numpy as np
import pandas as pd
import pytest

from crmlib import crm, datasets

matplotlib.use("Agg")


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def records():
    return crm.simulate_scattered_records(300, rng=np.random.default_rng(2026))


@pytest.fixture(scope="module")
def linkage(records):
    return crm.link_records(records, rng=np.random.default_rng(1))


@pytest.fixture(scope="module")
def features():
    cdnow = datasets.load_cdnow()
    return crm.rfm_features(
        cdnow, "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    )


@pytest.fixture(scope="module")
def prospects():
    return crm.simulate_exhibitor_prospects(120, rng=np.random.default_rng(7))


# ----------------------------------------------------------------------------- the generator
def test_scattered_records_are_reproducible_and_well_formed(records):
    again = crm.simulate_scattered_records(300, rng=np.random.default_rng(2026))
    pd.testing.assert_frame_equal(records, again)
    assert records.index.is_unique and records.index.name == "record_id"
    assert set(records["department"].astype(str)) == set(crm.DEPARTMENTS)
    assert sorted(records["true_customer_id"].unique()) == list(range(1, 301))
    assert (records["spend"] >= 0).all()
    # complaints only on service tickets, events only on sign-ups, spend only on cards and accounts
    dept = records["department"].astype(str)
    assert (records.loc[dept != "service", "complaints"] == 0).all()
    assert (records.loc[dept == "service", "complaints"] == 1).all()
    assert (records.loc[dept == "events", "events"] == 1).all()
    assert (records.loc[dept.isin(["service", "events"]), "spend"] == 0).all()
    # every customer appears in at least one department, most in several
    per_customer = records.groupby("true_customer_id").size()
    assert per_customer.min() >= 1 and per_customer.mean() > 2


def test_phones_and_emails_are_unique_to_a_customer(records):
    keys = crm.standardise_contacts(records).assign(t=records["true_customer_id"])
    for col in ("email_key",):
        owners = keys.dropna(subset=[col]).groupby(col)["t"].nunique()
        assert (owners == 1).all(), f"{col} shared by two customers"


def test_simulators_need_an_explicit_generator():
    with pytest.raises(TypeError, match="rng"):
        crm.simulate_scattered_records(10, rng=None)
    with pytest.raises(TypeError, match="rng"):
        crm.simulate_exhibitor_prospects(10, rng=42)
    with pytest.raises(ValueError, match="n_customers"):
        crm.simulate_scattered_records(0, rng=np.random.default_rng(1))


# ----------------------------------------------------------------------------- cleaning and exact keys
def test_standardise_contacts_makes_variants_agree():
    raw = pd.DataFrame(
        {
            "department": ["sales", "web", "events", "service"],
            "name": ["Zhang Wei", "wei zhang", "ZHANG  WEI", "Zhang W."],
            "phone": ["13800138000", "+86 138-0013-8000", "138 0013 8000", "1380013"],
            "email": ["", "Wei.Zhang7@QQ.com ", "wei.zhang7@qq.com", "no address"],
            "birthday": ["03-07", "3/7", "", "7/3"],
        },
        index=["S1", "W1", "E1", "V1"],
    )
    keys = crm.standardise_contacts(raw)
    assert list(keys.index) == ["S1", "W1", "E1", "V1"]
    assert keys.loc[["S1", "W1", "E1"], "name_key"].nunique() == 1
    assert keys.loc["V1", "name_key"] == "w zhang"
    assert keys.loc[["S1", "W1", "E1"], "phone_key"].unique().tolist() == ["13800138000"]
    assert keys.loc["V1", "phone_key"] is None  # too few digits
    assert keys.loc["W1", "email_key"] == keys.loc["E1", "email_key"] == "wei.zhang7@qq.com"
    assert keys.loc["S1", "birthday_key"] == keys.loc["W1", "birthday_key"] == "03-07"


def test_link_exact_joins_shared_keys_transitively():
    raw = pd.DataFrame(
        {
            "department": ["sales", "web", "service", "events"],
            "name": ["Li Na", "Na Li", "Li Na", "Li Na"],
            "phone": ["13800138000", "", "138-0013-8000", ""],
            "email": ["", "li.na1@qq.com", "LI.NA1@qq.com", ""],
        },
        index=["S1", "W1", "V1", "E1"],
    )
    keys = crm.link_exact(raw)
    assert keys.tolist() == [1, 1, 1, 2]  # S1-V1 by phone, V1-W1 by e-mail; E1 has no key
    assert keys.index.equals(raw.index)


# ----------------------------------------------------------------------------- linkage quality
def test_linkage_quality_against_sklearn_pair_confusion_matrix():
    from sklearn.metrics.cluster import pair_confusion_matrix

    rng = np.random.default_rng(0)
    for _ in range(5):
        truth = rng.integers(0, 15, 60)
        found = np.where(rng.random(60) < 0.8, truth, rng.integers(0, 30, 60))
        idx = [f"r{i}" for i in range(60)]
        m = crm.linkage_quality(pd.Series(found, index=idx), pd.Series(truth, index=idx))
        (tn, fp), (fn, tp) = pair_confusion_matrix(truth, found) // 2  # sklearn counts ordered pairs
        assert m.pairs_correct == tp
        assert m.pairs_predicted == tp + fp
        assert m.pairs_true == tp + fn
        assert m.precision == pytest.approx(tp / (tp + fp))
        assert m.recall == pytest.approx(tp / (tp + fn))


def test_linkage_quality_aligns_by_record_id():
    truth = pd.Series([1, 1, 2, 2], index=list("abcd"))
    found = pd.Series([5, 5, 6, 6], index=list("abcd"))
    assert crm.linkage_quality(found.iloc[::-1], truth).recall == 1.0
    with pytest.raises(ValueError, match="index"):
        crm.linkage_quality(pd.Series([5, 5, 6, 6], index=list("wxyz")), truth)
    with pytest.raises(TypeError, match="clusters"):
        crm.linkage_quality([5, 5, 6, 6], truth)


# ----------------------------------------------------------------------------- probabilistic linkage
def test_link_records_recovers_the_true_customers_better_than_exact_keys(records, linkage):
    truth = records["true_customer_id"]
    exact = crm.linkage_quality(crm.link_exact(records), truth)
    prob = crm.linkage_quality(linkage.clusters, truth)
    assert linkage.clusters.index.equals(records.index)
    assert linkage.converged and linkage.n_obs == len(records)
    assert prob.precision >= 0.98
    assert prob.recall > exact.recall + 0.01
    assert prob.customers_found < exact.customers_found
    # a customer count far closer to the truth than the four department lists added up
    assert abs(prob.customers_found - 300) < 0.25 * (len(records) - 300)


def test_link_records_is_a_fit_result_and_reproducible(records, linkage):
    params = linkage.params
    assert params["lambda"] == pytest.approx(linkage.param_values[0])
    m_exact_phone = params["phone_key: Exact match on phone_key (m)"]
    assert 0.8 < m_exact_phone <= 1.0
    assert params["phone_key: Exact match on phone_key (u)"] == pytest.approx(1e-4)  # fixed, see link_records
    assert linkage.standard_errors.isna().all()
    assert (linkage.pairs["match_probability"].diff().dropna() <= 1e-12).all()
    again = crm.link_records(records, rng=np.random.default_rng(1))
    pd.testing.assert_series_equal(again.clusters, linkage.clusters)
    pd.testing.assert_series_equal(again.params, linkage.params)
    assert "customers" in repr(linkage)


def test_link_records_refuses_bad_input(records):
    with pytest.raises(ValueError, match="threshold"):
        crm.link_records(records, rng=np.random.default_rng(1), threshold=1.0)
    with pytest.raises(TypeError, match="rng"):
        crm.link_records(records, rng=None)
    with pytest.raises(ValueError, match="records"):
        crm.link_records(records.drop(columns="phone"), rng=np.random.default_rng(1))
    dup = pd.concat([records.iloc[:3], records.iloc[:1]])
    with pytest.raises(ValueError, match="duplicate"):
        crm.link_records(dup, rng=np.random.default_rng(1))


# ----------------------------------------------------------------------------- the two views
def test_integrated_view_conserves_totals_and_matches_the_truth(records):
    truth_view = crm.integrated_view(records, records["true_customer_id"])
    assert len(truth_view) == 300
    assert truth_view["spend"].sum() == pytest.approx(records["spend"].sum())
    assert truth_view["complaints"].sum() == records["complaints"].sum()
    assert truth_view["records"].sum() == len(records)
    assert truth_view["spend"].is_monotonic_decreasing
    by_customer = records.groupby("true_customer_id")["spend"].sum().round(2)
    pd.testing.assert_series_equal(
        truth_view["spend"].sort_index(), by_customer.rename("spend").rename_axis("customer_key"), check_exact=False
    )


def test_integrated_view_aligns_clusters_by_record_id(records):
    keys = crm.link_exact(records)
    a = crm.integrated_view(records, keys)
    b = crm.integrated_view(records, keys.iloc[::-1])
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="index"):
        crm.integrated_view(records, keys.iloc[1:])


def test_scattered_view_adds_up(records):
    view = crm.scattered_view(records)
    assert view.loc["all departments", "records"] == len(records)
    assert view.loc["sales":"web", "records"].sum() == len(records)
    assert view.loc["all departments", "spend"] == pytest.approx(records["spend"].sum())


# ----------------------------------------------------------------------------- kinds of CRM
def test_crm_type_tier_and_myths():
    assert crm.crm_type(["sales force automation", "service ticketing", "data warehouse"]) == "operational"
    assert crm.crm_type("partner portal (PRM)") == "collaborative"
    with pytest.raises(ValueError, match="balanced"):
        crm.crm_type(["data warehouse", "web self-service portal"])
    with pytest.raises(ValueError, match="capabilities"):
        crm.crm_type(["a crystal ball"])
    assert crm.crm_tier(199) == "small business"
    assert crm.crm_tier(200) == "mid-market"
    assert crm.crm_tier(2000) == "enterprise"
    assert crm.crm_tier(50, global_firm=True) == "enterprise"
    with pytest.raises(TypeError, match="multi_region"):
        crm.crm_tier(300, multi_region="yes")
    assert crm.crm_myths(deliverable="customer database", in_core_processes=False, owners="marketing") == (
        "information",
        "peripheral",
        "one-department",
    )
    assert {m.key for m in crm.MYTHS} == {"it-system", "information", "peripheral", "one-department"}
    assert len(crm.PRINCIPLES) == 6 and len(crm.CRM_PROCESS) == 6 and len(crm.COMMUNICATION_STEPS) == 4
    with pytest.raises(ValueError, match="deliverable"):
        crm.crm_myths(deliverable="a portal", in_core_processes=True, owners=["sales"])


# ----------------------------------------------------------------------------- RFM features and segments
def test_rfm_features_by_hand():
    log = pd.DataFrame(
        {
            "id": [1, 1, 1, 2, 2],
            "amount": [10.0, 5.0, 7.0, 8.0, 4.0],
            "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-02-20"]),
        }
    )
    f = crm.rfm_features(log, "id", "date", "amount", calibration_end="2024-01-29", observation_end="2024-02-29")
    # customer 1: two occasions (two purchases on 1 Jan are one), last on 15 Jan: 2 weeks before 29 Jan
    assert f.loc[1].tolist() == [2.0, 2, 22.0, 0]
    assert f.loc[2].tolist() == [3.0, 1, 8.0, 1]
    with pytest.raises(ValueError, match="amount"):
        crm.rfm_features(
            log.assign(amount=[1.0, np.nan, 1.0, 1.0, 1.0]), "id", "date", "amount", calibration_end="2024-01-29"
        )


def test_rfm_features_on_cdnow_agree_with_rfm_summary(features):
    from crmlib import clv

    cdnow = datasets.load_cdnow()
    summary = clv.rfm_summary(
        cdnow, "customer_id", "date", "amount", calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    assert len(features) == 2357
    assert (features["purchases"] == summary["frequency"] + 1).all()
    assert (features["holdout_purchases"] == summary["frequency_holdout"]).all()
    spend = cdnow[cdnow["date"] <= "1997-09-30"].groupby("customer_id")["amount"].sum()
    pd.testing.assert_series_equal(features["spend"], spend.rename("spend"), check_names=False)


def test_kmeans_recovers_two_obvious_groups():
    pts = pd.DataFrame({"x": [0.0, 0.2, 0.1, 10.0, 10.1, 9.9, 10.2], "y": [1.0, 1.1, 0.9, 5.0, 5.2, 4.9, 5.1]})
    fit = crm.segment_customers(pts, 2, rng=np.random.default_rng(0), log_features=(), order_by="x")
    assert fit.labels.tolist() == [2, 2, 2, 1, 1, 1, 1]
    assert fit.centres.loc[1, "x"] == pytest.approx(10.05)
    assert fit.centres["customers"].tolist() == [4, 3]
    assert fit.converged and fit.silhouette > 0.9


def test_segments_are_a_lloyd_fixed_point_and_match_sklearn_silhouette(features):
    from sklearn.metrics import silhouette_score

    cols = ["weeks_since_last", "purchases", "spend"]
    fit = crm.segment_customers(features, 4, rng=np.random.default_rng(3), columns=cols)
    x = features[cols].to_numpy(float).copy()
    x[:, 1:] = np.log1p(x[:, 1:])
    z = (x - x.mean(0)) / x.std(0)
    labels = fit.labels.to_numpy()
    centres = np.vstack([z[labels == s].mean(0) for s in range(1, 5)])
    nearest = np.argmin(((z[:, None, :] - centres[None]) ** 2).sum(-1), axis=1) + 1
    assert (nearest == labels).mean() > 0.999  # k-means' defining property (ties aside)
    inertia = sum(((z[labels == s] - centres[s - 1]) ** 2).sum() for s in range(1, 5))
    assert fit.inertia == pytest.approx(inertia, rel=1e-5)  # sklearn stops within its tolerance
    assert fit.silhouette == pytest.approx(silhouette_score(z, labels), abs=1e-9)
    # numbered by mean spend, largest first; the segments predict the holdout period
    assert fit.centres["spend"].is_monotonic_decreasing
    holdout = features.groupby(fit.labels)["holdout_purchases"].mean()
    assert holdout.loc[1] > holdout.loc[4]
    assert fit.labels.index.equals(features.index)
    again = crm.segment_customers(features, 4, rng=np.random.default_rng(3), columns=cols)
    pd.testing.assert_series_equal(again.labels, fit.labels)


def test_choose_n_segments(features):
    table = crm.choose_n_segments(
        features, [2, 3, 4], rng=np.random.default_rng(1), columns=["weeks_since_last", "purchases", "spend"]
    )
    assert list(table.index) == [2, 3, 4]
    assert table["inertia"].is_monotonic_decreasing
    assert table["silhouette"].between(-1, 1).all()
    with pytest.raises(ValueError, match="candidates"):
        crm.choose_n_segments(features, [1, 2], rng=np.random.default_rng(1))


def test_segment_customers_refuses_bad_features():
    f = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, 1.0, 1.0, 1.0]})
    with pytest.raises(ValueError, match="constant"):
        crm.segment_customers(f, 2, rng=np.random.default_rng(0), log_features=(), order_by=None)
    with pytest.raises(ValueError, match="n_segments"):
        crm.segment_customers(f[["a"]], 4, rng=np.random.default_rng(0), log_features=(), order_by=None)
    with pytest.raises(ValueError, match="log_features"):
        crm.segment_customers(f, 2, rng=np.random.default_rng(0), columns=["a"], log_features=["b"], order_by=None)


# ----------------------------------------------------------------------------- prospect value
def test_value_if_won_is_the_geometric_sum():
    m = 18 * 1200 * 0.35
    q = 0.6 / 1.08
    by_hand = sum(m * q**t for t in range(5))
    assert crm.value_if_won(18) == pytest.approx(by_hand)
    assert crm.value_if_won(18, retention_rate=0.0) == pytest.approx(m)
    assert crm.value_if_won(18, periods=1, retention_rate=0.9) == pytest.approx(m)
    areas = pd.Series([9.0, 36.0], index=["P2", "P1"])
    out = crm.value_if_won(areas)
    assert list(out.index) == ["P2", "P1"] and out["P1"] == pytest.approx(4 * out["P2"])
    with pytest.raises(ValueError, match="retention_rate"):
        crm.value_if_won(18, retention_rate=1.0)


def test_prospect_value_formula_and_monte_carlo():
    assert crm.prospect_value(0.25, 20_000, 3_000) == pytest.approx(2_000)
    # expected value of pursuing = mean of (won * V - c) over many simulated prospects
    rng = np.random.default_rng(11)
    p, value, cost = 0.3, 16_000.0, 2_100.0
    won = rng.random(400_000) < p
    simulated = (won * value - cost).mean()
    assert crm.prospect_value(p, value, cost) == pytest.approx(simulated, abs=4 * value * np.sqrt(p * (1 - p) / 4e5))
    # break-even probability c / V gives zero
    assert crm.prospect_value(cost / value, value, cost) == pytest.approx(0.0, abs=1e-9)
    a = pd.Series([0.1, 0.5], index=["x", "y"])
    b = pd.Series([10_000.0, 10_000.0], index=["y", "x"])
    out = crm.prospect_value(a, b, 1_000.0)
    assert out.to_dict() == pytest.approx({"x": 0.0, "y": 4_000.0})
    with pytest.raises(ValueError, match="index"):
        crm.prospect_value(a, pd.Series([1.0, 2.0], index=["u", "v"]), 0.0)
    with pytest.raises(ValueError, match="conversion_probability"):
        crm.prospect_value(1.5, 1.0, 0.0)


def test_rank_prospects_respects_value_order_budget_and_market(prospects):
    sc = crm.ProspectScenario(contact_budget=20_000)
    ranked = crm.rank_prospects(prospects, sc)
    assert ranked["prospect_value"].is_monotonic_decreasing
    assert ranked["rank"].tolist() == list(range(1, len(prospects) + 1))
    chosen = ranked[ranked["pursue"]]
    assert chosen["cost_to_win"].sum() <= 20_000
    assert (chosen["prospect_value"] > 0).all()
    expected = crm.prospect_value(
        ranked["conversion_probability"], crm.value_if_won(ranked["booth_area"]), ranked["cost_to_win"]
    )
    pd.testing.assert_series_equal(ranked["prospect_value"], expected, check_names=False)
    theme = crm.rank_prospects(prospects, sc, industries=["robotics", "machine tools"])
    assert set(theme["industry"]) <= {"robotics", "machine tools"}
    with pytest.raises(ValueError, match="industries"):
        crm.rank_prospects(prospects, sc, industries=["space travel"])
    with pytest.raises(TypeError, match="scenario"):
        crm.rank_prospects(prospects, {"contact_budget": 1})


def test_evaluate_campaign_totals_and_longer_loyalty(prospects):
    out = crm.evaluate_campaign(prospects)
    chosen = out.ranked[out.ranked["pursue"]]
    assert out.n_pursued == len(chosen)
    assert out.expected_new_exhibitors == pytest.approx(chosen["conversion_probability"].sum())
    assert out.expected_value == pytest.approx(chosen["prospect_value"].sum())
    assert out.realised_new_exhibitors == int(chosen["converted"].sum())
    # exhibitors who come back fair after fair are worth more: more prospects become worth pursuing
    loyal = crm.evaluate_campaign(prospects, dataclasses.replace(out.scenario, retention_rate=0.85))
    assert loyal.n_worth_pursuing >= out.n_worth_pursuing
    assert out.summary()["pursued"] == out.n_pursued


def test_scenario_is_a_validated_record():
    with pytest.raises(ValueError, match="retention_rate"):
        crm.ProspectScenario(retention_rate=1.0)
    with pytest.raises(ValueError, match="contact_budget"):
        dataclasses.replace(crm.ProspectScenario(), contact_budget=-1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        crm.ProspectScenario().periods = 3


def test_source_summary_and_communication_plan(prospects):
    ranked = crm.rank_prospects(prospects)
    table = crm.source_summary(ranked)
    assert table["prospects"].sum() == len(prospects)
    assert set(table.index) <= {s.key for s in crm.PROSPECT_SOURCES}
    assert table.loc[table.index[0], "chinese"]
    plan = crm.communication_plan(ranked, 4)
    assert len(plan) == min(4, int(ranked["pursue"].sum()))
    assert list(plan.index) == list(ranked[ranked["pursue"]].index[: len(plan)])
    for pid, row in plan.iterrows():
        assert row["channel"] == crm._CHANNELS[ranked.loc[pid, "source"]]
        assert row["whom"] == ("general manager" if ranked.loc[pid, "employees"] < 100 else "marketing director")


# ----------------------------------------------------------------------------- figures and widget
def test_figures_draw_what_they_show(features, prospects):
    import matplotlib.pyplot as plt

    from crmlib.plotting import crm as figs

    ax = figs.plot_customer_counts({"department lists": 752, "exact keys": 369, "splink": 360}, truth=300)
    assert sorted(p.get_width() for p in ax.patches) == [360, 369, 752]
    assert ax.lines[0].get_xdata()[0] == 300
    plt.close(ax.figure)
    fit = crm.segment_customers(
        features, 3, rng=np.random.default_rng(0), columns=["weeks_since_last", "spend"], log_features=["spend"]
    )
    ax = figs.plot_segments(features, fit)
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(features)
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)
    out = crm.evaluate_campaign(prospects)
    ax = figs.plot_prospect_ranking(out)
    # one bar per prospect (in three collections: pursued, beyond the budget, not worth it), its
    # height the prospect's value in thousand yuan
    tops = [path.vertices[1, 1] for c in ax.collections for path in c.get_paths()]
    assert sorted(round(t, 6) for t in tops) == sorted(round(x / 1000, 6) for x in out.ranked["prospect_value"])
    assert len(ax.get_legend().get_texts()) == 3
    plt.close(ax.figure)
    with pytest.raises(TypeError, match="outcome"):
        figs.plot_prospect_ranking(out.ranked)


def test_widget_evaluates_once_and_formats_the_outcome(prospects):
    from crmlib.widgets import crm as crm_widgets

    w = crm_widgets.explore_prospects(prospects)
    assert list(w.sliders)[0] == "contact_budget"
    assert w.readout.value == crm_widgets.prospect_readout(crm.evaluate_campaign(prospects))
    w.sliders["contact_budget"].value = 10_000
    expected = crm.evaluate_campaign(prospects, crm.ProspectScenario(contact_budget=10_000))
    assert w.result.n_pursued == expected.n_pursued
    assert w.readout.value == crm_widgets.prospect_readout(expected)
    w.sliders["industries"].value = w.sliders["industries"].options[1]
    assert set(w.result.ranked["industry"]) <= {k for k, fit in crm.INDUSTRIES.items() if fit > 0}
