"""Tests of crmlib.waiting (chapter 5) against numbers nobody in this project produced.

Outside references used:
* Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example"
  (callcentrehelper.com): 100 calls per 30 minutes, 180-second handle time, 80% within
  20 s -> 10 Erlangs; starting from N = A + 1 = 11 agents it needs 14 agents.
* pyworkforce 0.5.1 (PyPI, ``pyworkforce.queuing.ErlangC``), run in a throwaway venv in
  /tmp on 2026-11-22; the printed values are copied below with the call that made them.
* Analytic M/M/1 formulas (any queueing text, e.g. Cooper 1981, ch. 3): P(wait) = ρ,
  Wq = ρ/(μ-λ), Lq = ρ²/(1-ρ), P(Wq > t) = ρ e^{-(μ-λ)t}; M/M/2: P(wait) = 2ρ²/(1+ρ).
* A standard Erlang B table entry: B(c=10, A=5) = 0.01838 (1.84%).
* Little's law L = λW (Little 1961) on the simulated sample path.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmlib import waiting as w


# ----------------------------------------------------------------- Erlang C, published examples
def test_call_centre_helper_worked_example_needs_14_agents():
    # Call Centre Helper worked example: 200 calls/hour, 3-minute AHT (10 Erlangs), 80/20.
    lam, mu = 200 / 60, 1 / 3          # per minute
    assert w.offered_load(lam, mu) == pytest.approx(10.0)
    assert w.required_servers(lam, mu, 20 / 60, 0.80) == 14
    assert w.service_level(lam, mu, 13, 20 / 60) < 0.80 <= w.service_level(lam, mu, 14, 20 / 60)


def test_against_pyworkforce_small_centre():
    # pyworkforce 0.5.1: ErlangC(transactions=100, aht=3, asa=20/60, interval=30, shrinkage=0)
    #   .waiting_probability(positions=14) -> 0.1741319335950498
    #   .service_level(positions=14, scale_positions=False) -> 0.8883500191794669
    #   .achieved_occupancy(positions=14) -> 0.7142857142857143
    #   .required_positions(service_level=0.8, max_occupancy=1.0)['positions'] -> 14
    lam, mu = 100 / 30, 1 / 3
    assert w.erlang_c(lam, mu, 14) == pytest.approx(0.1741319335950498, rel=1e-10)
    assert w.service_level(lam, mu, 14, 20 / 60) == pytest.approx(0.8883500191794669, rel=1e-10)
    assert w.utilization(lam, mu, 14) == pytest.approx(0.7142857142857143, rel=1e-12)


def test_against_pyworkforce_medium_centre():
    # pyworkforce 0.5.1: ErlangC(transactions=360, aht=4, asa=15/60, interval=30, shrinkage=0)
    #   .waiting_probability(positions=55) -> 0.23870093637800924
    #   .service_level(positions=55) -> 0.8458830921705803
    # (the "360 calls per half hour, 4-minute calls, 55 agents, 15 s" textbook example)
    lam, mu = 360 / 30, 1 / 4
    assert w.erlang_c(lam, mu, 55) == pytest.approx(0.23870093637800924, rel=1e-10)
    assert w.service_level(lam, mu, 55, 15 / 60) == pytest.approx(0.8458830921705803, rel=1e-10)


def test_against_pyworkforce_large_centre_is_stable():
    # 800 Erlangs: pyworkforce 0.5.1 ErlangC(transactions=6000, aht=4, asa=20/60, interval=30,
    # shrinkage=0).required_positions(service_level=0.9, max_occupancy=1.0) -> 818 positions,
    # service level 0.9075761822714371, waiting probability 0.4142148137530176;
    # .waiting_probability(positions=820) -> 0.37099581125780995,
    # .service_level(positions=820) -> 0.9299279424984708
    lam, mu = 6000 / 30, 1 / 4
    assert w.required_servers(lam, mu, 20 / 60, 0.9) == 818
    assert w.erlang_c(lam, mu, 818) == pytest.approx(0.4142148137530176, rel=1e-9)
    assert w.erlang_c(lam, mu, 820) == pytest.approx(0.37099581125780995, rel=1e-9)
    assert w.service_level(lam, mu, 820, 20 / 60) == pytest.approx(0.9299279424984708, rel=1e-9)
    # thousands of servers: still a probability, no overflow
    p = w.erlang_c(9000.0, 1.0, 9100)
    assert 0 < p < 1 and math.isfinite(p)


def test_erlang_b_table_entry():
    # Erlang B tables: 10 trunks, 5 Erlangs -> 1.84% blocking
    assert w.erlang_b(5.0, 10) == pytest.approx(0.018385, abs=5e-7)


# ----------------------------------------------------------------- analytic M/M/1 and M/M/2
@pytest.mark.parametrize("lam,mu", [(0.9, 1.0), (0.5, 2.0), (3.0, 4.0)])
def test_mm1_closed_forms(lam, mu):
    rho = lam / mu
    assert w.erlang_c(lam, mu, 1) == pytest.approx(rho)
    assert w.mean_wait(lam, mu, 1) == pytest.approx(rho / (mu - lam))
    assert w.mean_queue_length(lam, mu, 1) == pytest.approx(rho**2 / (1 - rho))
    assert w.prob_wait_exceeds(lam, mu, 1, 2.5) == pytest.approx(rho * math.exp(-(mu - lam) * 2.5))


def test_mm2_closed_form():
    lam, mu = 1.5, 1.0
    rho = lam / (2 * mu)
    assert w.erlang_c(lam, mu, 2) == pytest.approx(2 * rho**2 / (1 + rho))


def test_vectorised_over_servers():
    cs = np.arange(11, 16)
    out = w.service_level(200 / 60, 1 / 3, cs, 20 / 60)
    assert out.shape == (5,)
    assert np.all(np.diff(out) > 0)
    assert out[3] == pytest.approx(w.service_level(200 / 60, 1 / 3, 14, 20 / 60))


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("call,name", [
    (lambda: w.erlang_c(10.0, 1.0, 10), "arrival_rate"),             # utilisation = 1
    (lambda: w.mean_wait(12.0, 1.0, 10), "arrival_rate"),            # utilisation > 1
    (lambda: w.erlang_c(-1.0, 1.0, 2), "arrival_rate"),
    (lambda: w.erlang_c(1.0, 0.0, 2), "service_rate"),
    (lambda: w.erlang_c(1.0, 1.0, 0), "servers"),
    (lambda: w.erlang_c(1.0, 1.0, 2.5), "servers"),
    (lambda: w.service_level(1.0, 1.0, 2, -0.1), "target_time"),
    (lambda: w.prob_wait_exceeds(1.0, 1.0, 2, -3), "t"),
    (lambda: w.required_servers(1.0, 1.0, 0.1, 1.0), "target_level"),
    (lambda: w.simulate_queue([], 1.0, 2, rng=np.random.default_rng(0)), "arrival_rate"),
    (lambda: w.simulate_queue(1.0, -1.0, 2, 10, rng=np.random.default_rng(0)), "service_rate"),
    (lambda: w.simulate_queue(1.0, 1.0, 2, None, rng=np.random.default_rng(0)), "n_customers"),
    (lambda: w.simulate_queue(1.0, 1.0, 2, 10, rng=np.random.default_rng(0), service="weird"), "service"),
    (lambda: w.simulate_queue([1.0, -2.0], 1.0, 2, rng=np.random.default_rng(0)), "arrival_rate"),
    (lambda: w.perceived_wait(-1.0), "actual_wait"),
    (lambda: w.perception_factor(factors={"nonsense": 2.0}), "factors"),
    (lambda: w.perception_factor(factors={"fair": 0.5}), "fair"),
])
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_utilisation_error_says_why():
    with pytest.raises(ValueError, match=r"utilisation 1\.2"):
        w.erlang_c(12.0, 1.0, 10)


def test_offered_load_itself_is_not_enough_servers():
    # 10 Erlangs (200 calls an hour, 3-minute calls): 10 agents give ρ = 1, no steady state;
    # 11 = ⌊A⌋ + 1 is the smallest stable staffing, 14 meets 80/20 (Call Centre Helper)
    lam, mu = 200 / 60, 1 / 3
    with pytest.raises(ValueError, match="grow without bound"):
        w.mean_wait(lam, mu, 10)
    assert 0 < w.erlang_c(lam, mu, 11) < 1
    assert w.required_servers(lam, mu, 20 / 60, 0.8) == 14


def test_utilisation_one_up_to_rounding_is_unstable():
    # 1.2 per minute x 2.5-minute handle time on 3 servers is ρ = 1, computed as 0.9999999999999999
    s = w.queue_scenario(1.2, 2.5, 3)
    assert s.utilization < 1 and not s.stable
    for call in (lambda: w.erlang_c(0.3, 0.1, 3), lambda: w.mean_wait(0.7, 0.1, 7),
                 lambda: w.evaluate_design(w.queue_design(1.2, 2.5, 3), np.random.default_rng(0), 100, 10)):
        with pytest.raises(ValueError, match="utilisation"):
            call()
    assert w.queue_scenario(1.2, 2.5, 4).stable
    assert w.required_servers(0.3, 0.1, 1.0, 0.5) >= 4           # never returns the unstable c = 3
    ax = w.plot_wait_vs_servers(0.3, 0.1, range(3, 6), target_time=1.0)
    assert ax.lines[0].get_xdata().tolist() == [4, 5]
    import matplotlib.pyplot as plt
    plt.close(ax.figure)


def test_rng_is_required():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        w.simulate_queue(1.0, 1.0, 2, 10)
    with pytest.raises(TypeError, match="rng"):
        w.simulate_parallel_lines(1.0, 1.0, 2, 10, rng=42)


# ----------------------------------------------------------------- simulator vs theory
def _se_of_mean(x, batches=50):
    # batch-means standard error (waits are autocorrelated)
    m = len(x) // batches
    means = x[: m * batches].reshape(batches, m).mean(axis=1)
    return means.std(ddof=1) / math.sqrt(batches)


@pytest.mark.parametrize("lam,mu,c", [(0.8, 1.0, 1), (9.0, 1.0, 10), (40.0, 0.5, 90)])
def test_simulator_agrees_with_erlang_c(lam, mu, c):
    sim = w.simulate_queue(lam, mu, c, 400_000, rng=np.random.default_rng(2026))
    wait = sim.wait[50_000:]                       # drop the warm-up from an empty system
    se = _se_of_mean(wait)
    assert abs(wait.mean() - w.mean_wait(lam, mu, c)) < 4 * se
    p = (wait > 0).mean()
    assert p == pytest.approx(w.erlang_c(lam, mu, c), abs=0.02)
    t = 0.5 / mu
    assert (wait <= t).mean() == pytest.approx(w.service_level(lam, mu, c, t), abs=0.02)


def test_littles_law_on_the_sample_path():
    lam, mu, c = 9.0, 1.0, 10
    sim = w.simulate_queue(lam, mu, c, 200_000, rng=np.random.default_rng(7))
    times, counts = w.queue_length_path(sim)
    T = times[-1]
    area = np.sum(counts[:-1] * np.diff(times))          # ∫ Lq(t) dt from the event sweep
    lq_path = area / T
    lam_hat = sim.n_customers / T
    # Little's law: Lq = λ Wq on the same path (equal up to edge effects)
    assert lq_path == pytest.approx(lam_hat * sim.wait.mean(), rel=1e-3)
    # and both agree with Erlang C's Lq within sampling error
    assert lq_path == pytest.approx(w.mean_queue_length(lam, mu, c), rel=0.1)


def test_general_service_times_keep_the_mean_and_pollaczek_khinchine():
    # M/D/1: Wq = ρ/(2μ(1-ρ)) (Pollaczek-Khinchine), half the M/M/1 wait
    lam, mu = 0.8, 1.0
    sim = w.simulate_queue(lam, mu, 1, 300_000, rng=np.random.default_rng(11), service="deterministic")
    assert sim.wait[20_000:].mean() == pytest.approx(0.8 / (2 * 0.2), rel=0.05)
    sim = w.simulate_queue(lam, mu, 1, 300_000, rng=np.random.default_rng(11), service=("gamma", 0.5))
    svc = sim.end - sim.start
    assert svc.mean() == pytest.approx(1.0, rel=0.01)
    # P-K with cv² = 0.25: Wq = ρ(1+cv²)/(2μ(1-ρ)) = 2.5
    assert sim.wait[20_000:].mean() == pytest.approx(2.5, rel=0.07)
    sim = w.simulate_queue(lam, mu, 1, 2000, rng=np.random.default_rng(1),
                           service=lambda rng, size: rng.uniform(0.5, 1.5, size))
    assert np.all((sim.end - sim.start >= 0.5) & (sim.end - sim.start <= 1.5))


def test_abandonment_matches_erlang_a_direction_and_bounds():
    lam, mu, c = 11.0, 1.0, 10                      # overloaded without abandonment
    sim = w.simulate_queue(lam, mu, c, 200_000, rng=np.random.default_rng(3), patience=1.0)
    ab = sim.abandonment_rate()
    # in steady state served throughput ≈ c μ ρ_busy <= c μ, so at least 1 - cμ/λ must abandon
    assert ab > 1 - c * mu / lam - 0.01
    assert ab < 0.5
    assert np.all(sim.wait[sim.abandoned] >= 0)
    assert np.isnan(sim.start[sim.abandoned]).all()


def test_fcfs_single_line_has_no_slips_but_parallel_lines_do():
    one = w.simulate_queue(3.0, 1.0, 4, 20_000, rng=np.random.default_rng(5))
    lines = w.simulate_parallel_lines(3.0, 1.0, 4, 20_000, rng=np.random.default_rng(5))
    f1, f2 = w.queue_fairness(one), w.queue_fairness(lines)
    assert f1.share_slipped == 0 and f1.share_skipping == 0
    assert f2.share_slipped > 0.05
    assert f2.sd_wait > f1.sd_wait            # one line: same mean-ish, less variable
    assert f2.mean_wait > f1.mean_wait


def test_slip_counting_on_a_tiny_case():
    # served order 2,0,1 (customer 2 arrived last but started first): 0 and 1 each slipped once
    sim = w.QueueSimulation(np.array([0.0, 1.0, 2.0]), np.array([3.0, 4.0, 2.0]), np.array([4.0, 5.0, 3.0]),
                            np.array([3.0, 3.0, 0.0]), np.zeros(3, bool), np.zeros(3, np.int64), 1, 2.0)
    f = w.queue_fairness(sim)
    assert f.share_slipped == pytest.approx(2 / 3)
    assert f.mean_slips == pytest.approx(2 / 3)
    assert f.share_skipping == pytest.approx(1 / 3)


def test_time_varying_arrivals_follow_the_profile():
    rates = np.array([2.0, 8.0, 0.0, 4.0])
    sim = w.simulate_queue(rates, 1.0, 20, rng=np.random.default_rng(9), interval_length=500.0)
    counts = np.bincount((sim.arrival // 500).astype(int), minlength=4)
    expected = rates * 500
    assert counts[2] == 0
    for k in (0, 1, 3):
        assert abs(counts[k] - expected[k]) < 4 * math.sqrt(expected[k])


def test_staffing_plan_servers_follow_the_plan():
    # with zero staff in the middle interval nobody starts service there
    sim = w.simulate_queue(np.array([1.0, 1.0, 1.0]), 2.0, np.array([2, 0, 2]),
                           rng=np.random.default_rng(4), interval_length=100.0)
    started = sim.start[sim.served]
    assert not np.any((started >= 100) & (started < 200))
    assert sim.n_customers > 200


def test_constant_staffing_plan_equals_constant_servers():
    rng1, rng2 = np.random.default_rng(8), np.random.default_rng(8)
    a = w.simulate_queue(np.array([3.0]), 1.0, 4, rng=rng1, interval_length=2000.0)
    b = w.simulate_queue(np.array([3.0]), 1.0, np.array([4]), rng=rng2, interval_length=2000.0)
    np.testing.assert_allclose(a.wait, b.wait)


def test_result_is_immutable_and_has_stable_repr():
    sim = w.simulate_queue(2.0, 1.0, 3, 1000, rng=np.random.default_rng(0))
    with pytest.raises(ValueError):
        sim.wait[0] = 1.0
    assert "0x" not in repr(sim)
    assert isinstance(sim.frame(), pd.DataFrame) and len(sim.frame()) == 1000


# ----------------------------------------------------------------- perceived waits
def test_principles_are_ten_and_honestly_flagged():
    t = w.principles_table()
    assert len(t) == 10
    # no factor is a measured effect of its own principle: nine are assumptions, and the
    # occupied factor borrows one study's overall perceived/actual ratio (a proxy)
    assert set(t["evidence"]) == {"illustrative assumption", "proxy: one study's overall ratio"}
    proxy = t[t["evidence"] != "illustrative assumption"]
    assert proxy.index.tolist() == ["occupied"]
    # Jones & Peppiatt (1996): 221 s judged against 158 s measured, whole sample
    assert proxy.loc["occupied", "factor"] == pytest.approx(w.JONES_PEPPIATT_1996["ratio"], abs=0.005)
    assert "not a measured contrast" in proxy.loc["occupied", "basis"]
    assert "Jones & Peppiatt (1996)" in proxy.loc["occupied", "source"]


def test_principles_use_the_slides_wording():
    # seed 002 (Maister's eight plus Davis & Heineke and Jones & Peppiatt): the second
    # principle covers waits before AND after the process; Chinese terms as in the slides
    t = w.principles_table()
    assert "post-process" in t.loc["in_process", "principle"]
    assert "过程前、过程后" in t.loc["in_process", "中文"]
    pairs = t["中文 (worse / better)"]
    assert pairs["occupied"] == "无所适事 / 有事可干"
    assert pairs["in_process"] == "过程前、过程后 / 过程中"
    assert pairs["fair"] == "不公平 / 平等"
    assert pairs["comfortable"] == "令人身体不舒适 / 舒适"
    assert t["中文"].str.contains("[\u4e00-\u9fff]").all()


def test_perceived_wait_is_multiplicative():
    base = w.perception_factor()          # unmanaged wait: every factor applies
    assert base == pytest.approx(np.prod([p.factor for p in w.PRINCIPLES]))
    exp = w.WaitExperience(occupied=True)
    assert w.perceived_wait(10.0, exp) == pytest.approx(10.0 * base / 1.40)
    assert w.perceived_wait(10.0, exp, factors={"fair": 1.0}) == pytest.approx(10.0 * base / 1.40 / 1.30)


def test_bank_calls_profile_and_staffing():
    from crmlib.datasets import load_bank_calls

    prof = w.arrival_profile(load_bank_calls())
    # data README: daily peak around 10:20 at about 285 calls per 5 minutes
    assert prof["mean"].idxmax() == "10:20"
    assert prof["mean"].max() == pytest.approx(285, abs=2)
    plan = w.staffing_plan(prof["mean"].to_numpy() / 5, 1 / 4, 20 / 60, 0.8, labels=prof.index)
    assert (plan["service_level"] >= 0.8).all()
    assert (plan["utilization"] < 1).all()
    # one fewer agent would miss the target in every interval
    fewer = w.service_level(plan["arrival_rate"], 1 / 4, plan["servers"] - 1, 20 / 60)
    assert (fewer < 0.8).all()


# ----------------------------------------------------------------- designs and widgets
def test_single_line_and_levers_in_design_comparison():
    q = w.queue_design
    t = w.compare_designs({"now": q(), "one line": q(single_line=True),
                           "levers": q(occupy=True, announce=True, single_line=True)}, seed=1)
    assert t.loc["one line", "share_slipped"] == 0 and t.loc["now", "share_slipped"] > 0
    assert t.loc["levers", "perception_factor"] == pytest.approx(1.0)
    assert t.loc["levers", "mean_perceived_wait"] == pytest.approx(t.loc["levers", "mean_actual_wait"])
    assert t.loc["now", "perception_factor"] == pytest.approx(1.40 * 1.20 * 1.15 * 1.30)


def test_evaluate_design_refuses_unstable_queue():
    with pytest.raises(ValueError, match="utilisation"):
        w.evaluate_design(w.queue_design(arrival_rate=3.0, handle_time=2.0, servers=4), np.random.default_rng(0))


def test_staff_day_checks_lengths():
    with pytest.raises(ValueError, match="actual_calls_per_interval"):
        w.staff_day([100, 200], rng=np.random.default_rng(0), actual_calls_per_interval=[100])


def test_queue_widget_shows_the_pure_function_numbers():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import waiting as ww

    widget = ww.explore_queue(seed=7, n_customers=5000)
    first = widget.readout.value
    widget.sliders["arrival_rate"].value = 1.8
    expected = ww.queue_readout(w.evaluate_design(w.queue_design(arrival_rate=1.8), np.random.default_rng(7),
                                                  n_customers=5000))
    assert widget.readout.value == expected != first
    assert widget.output.outputs and "image/png" in widget.output.outputs[0]["data"]
    widget.sliders["single_line"].value = True
    assert "overtaken by a later arrival: 0.0%" in widget.readout.value
    widget.sliders["arrival_rate"].value = 4.0            # 8 Erlangs on 4 servers
    assert "utilisation 2.00" in widget.readout.value


def test_staffing_widget_shows_the_pure_function_numbers():
    pytest.importorskip("ipywidgets")
    from crmlib.datasets import load_bank_calls
    from crmlib.widgets import waiting as ww

    widget = ww.explore_staffing(seed=3)
    widget.sliders["handle_time"].value = 5.0
    prof = w.arrival_profile(load_bank_calls())
    day = w.staff_day(prof["mean"].to_numpy(), 5.0, 20 / 60, 0.8, np.random.default_rng(3), labels=prof.index)
    assert widget.readout.value == ww.staffing_readout(day)
