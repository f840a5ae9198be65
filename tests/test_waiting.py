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
* Erlang B tables: erlang.com's calculator manual (15 lines at 1% blocking carry 8.108 Erlangs);
  the Erlang-for-Excel table note on erlang.com (13.5 Erlangs need 22 circuits at 1%, 16 at 10%).
* Erlang B from its definition, A^c/c! / sum_k A^k/k!, in exact integer arithmetic (no recursion,
  no floating point), for thousands of servers.
* The Halfin-Whitt (1981) heavy-traffic limit for many servers: with c = A + β√A,
  C(c, A) -> 1 / (1 + β Φ(β) / φ(β)) as A grows.
"""

from __future__ import annotations

import dataclasses
import math
import time
from fractions import Fraction

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import waiting as w
from crmlib.plotting import waiting as wp

matplotlib.use("Agg")


# ----------------------------------------------------------------- Erlang C, published examples
def test_call_centre_helper_worked_example_needs_14_agents():
    # Call Centre Helper worked example: 200 calls/hour, 3-minute AHT (10 Erlangs), 80/20.
    lam, mu = 200 / 60, 1 / 3  # per minute
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
@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: w.erlang_c(10.0, 1.0, 10), "arrival_rate"),  # utilisation = 1
        (lambda: w.mean_wait(12.0, 1.0, 10), "arrival_rate"),  # utilisation > 1
        (lambda: w.erlang_c(-1.0, 1.0, 2), "arrival_rate"),
        (lambda: w.erlang_c(1.0, 0.0, 2), "service_rate"),
        (lambda: w.erlang_c(1.0, 1.0, 0), "servers"),
        (lambda: w.erlang_c(1.0, 1.0, 2.5), "servers"),
        (lambda: w.service_level(1.0, 1.0, 2, -0.1), "target_time"),
        (lambda: w.prob_wait_exceeds(1.0, 1.0, 2, -3), "t"),
        (lambda: w.required_servers(1.0, 1.0, 0.1, 1.0), "target_level"),
        (lambda: w.simulate_queue([], 1.0, 2, rng=np.random.default_rng(0)), "arrival_rate"),
        (lambda: w.erlang_b(1e308, 10), "load"),
        (lambda: w.erlang_c(1e308, 1.0, 2), "arrival_rate"),
        (lambda: w.erlang_c(1.0, 1e308, 2), "service_rate"),
        (lambda: w.erlang_c(1.0, 1.0, 1e308), "servers"),
        (lambda: w.service_level(1.0, 1.0, 2, 1e308), "target_time"),
        (lambda: w.required_servers(1.0, 1e-308, 0.1, 0.8), "service_rate"),
        (lambda: w.queue_scenario(handle_time=1e308), "handle_time"),
        (lambda: w.simulate_queue(1.0, 1.0, 2, 1e308, rng=np.random.default_rng(0)), "n_customers"),
        (lambda: w.simulate_queue(1.0, 1.0, 1e308, 10, rng=np.random.default_rng(0)), "servers"),
        (lambda: w.simulate_queue(1.0, 1.0, 2, 10, rng=np.random.default_rng(0), patience=1e308), "patience"),
        (
            lambda: w.simulate_queue(1.0, 1.0, 2, 10, rng=np.random.default_rng(0), interval_length=1e308),
            "interval_length",
        ),
        (lambda: w.simulate_queue(1.0, 1.0, 10**5, 10**6, rng=np.random.default_rng(0)), "servers x customers"),
        (lambda: w.simulate_parallel_lines(1.0, 1.0, 2, 1e308, rng=np.random.default_rng(0)), "n_customers"),
        (
            lambda: w.simulate_queue(1.0, 1.0, 2, 10, rng=np.random.default_rng(0), service=("gamma", 1e308)),
            "coefficient of variation",
        ),
        (lambda: w.perceived_wait(1e308), "actual_wait"),
        (lambda: w.perception_factor(factors={"fair": 1e308}), "fair"),
        (
            lambda: w.interval_service_level(
                w.simulate_queue(1.0, 1.0, 2, 10, rng=np.random.default_rng(0)), 1e-9, 0.5
            ),
            "interval_length",
        ),
        (lambda: w.simulate_queue(1.0, -1.0, 2, 10, rng=np.random.default_rng(0)), "service_rate"),
        (lambda: w.simulate_queue(1.0, 1.0, 2, None, rng=np.random.default_rng(0)), "n_customers"),
        (lambda: w.simulate_queue(1.0, 1.0, 2, 10, rng=np.random.default_rng(0), service="weird"), "service"),
        (lambda: w.simulate_queue([1.0, -2.0], 1.0, 2, rng=np.random.default_rng(0)), "arrival_rate"),
        (lambda: w.perceived_wait(-1.0), "actual_wait"),
        (lambda: w.perception_factor(factors={"nonsense": 2.0}), "factors"),
        (lambda: w.perception_factor(factors={"fair": 0.5}), "fair"),
    ],
)
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
    for call in (
        lambda: w.erlang_c(0.3, 0.1, 3),
        lambda: w.mean_wait(0.7, 0.1, 7),
        lambda: w.evaluate_design(
            w.queue_design(1.2, 2.5, 3), rng=np.random.default_rng(0), n_customers=100, warmup=10
        ),
    ):
        with pytest.raises(ValueError, match="utilisation"):
            call()
    assert w.queue_scenario(1.2, 2.5, 4).stable
    assert w.required_servers(0.3, 0.1, 1.0, 0.5) >= 4  # never returns the unstable c = 3
    ax = wp.plot_wait_vs_servers(0.3, 0.1, range(3, 6), target_time=1.0)
    assert ax.lines[0].get_xdata().tolist() == [4, 5]
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_rng_is_required_and_keyword_only():
    with pytest.raises(TypeError, match="rng"):
        w.simulate_queue(1.0, 1.0, 2, 10)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        w.simulate_queue(1.0, 1.0, 2, 10, rng=None)
    with pytest.raises(TypeError, match="rng"):
        w.simulate_parallel_lines(1.0, 1.0, 2, 10, rng=42)
    with pytest.raises(TypeError):
        w.evaluate_design(w.queue_design(), np.random.default_rng(0))  # positional rng: refused
    with pytest.raises(TypeError, match="rng"):
        w.compare_designs({"now": w.queue_design()})
    with pytest.raises(TypeError, match="rng"):
        w.staff_day([100, 200])


# ----------------------------------------------------------------- simulator vs theory
def _se_of_mean(x, batches=50):
    # batch-means standard error (waits are autocorrelated)
    m = len(x) // batches
    means = x[: m * batches].reshape(batches, m).mean(axis=1)
    return means.std(ddof=1) / math.sqrt(batches)


@pytest.mark.parametrize("lam,mu,c", [(0.8, 1.0, 1), (9.0, 1.0, 10), (40.0, 0.5, 90)])
def test_simulator_agrees_with_erlang_c(lam, mu, c):
    sim = w.simulate_queue(lam, mu, c, 400_000, rng=np.random.default_rng(2026))
    wait = sim.wait[50_000:]  # drop the warm-up from an empty system
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
    area = np.sum(counts[:-1] * np.diff(times))  # ∫ Lq(t) dt from the event sweep
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
    sim = w.simulate_queue(
        lam, mu, 1, 2000, rng=np.random.default_rng(1), service=lambda rng, size: rng.uniform(0.5, 1.5, size)
    )
    assert np.all((sim.end - sim.start >= 0.5) & (sim.end - sim.start <= 1.5))


def test_abandonment_matches_erlang_a_direction_and_bounds():
    lam, mu, c = 11.0, 1.0, 10  # overloaded without abandonment
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
    assert f2.sd_wait > f1.sd_wait  # one line: same mean-ish, less variable
    assert f2.mean_wait > f1.mean_wait


def test_slip_counting_on_a_tiny_case():
    # served order 2,0,1 (customer 2 arrived last but started first): 0 and 1 each slipped once
    sim = w.QueueSimulation(
        np.array([0.0, 1.0, 2.0]),
        np.array([3.0, 4.0, 2.0]),
        np.array([4.0, 5.0, 3.0]),
        np.array([3.0, 3.0, 0.0]),
        np.zeros(3, bool),
        np.zeros(3, np.int64),
        1,
        2.0,
    )
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
    sim = w.simulate_queue(
        np.array([1.0, 1.0, 1.0]), 2.0, np.array([2, 0, 2]), rng=np.random.default_rng(4), interval_length=100.0
    )
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
    base = w.perception_factor()  # unmanaged wait: every factor applies
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
    plan = w.staffing_plan(prof["mean"] / 5, 1 / 4, 20 / 60, 0.8)
    assert plan.index.equals(prof.index)  # Series in, same index out
    assert (plan["service_level"] >= 0.8).all()
    assert (plan["utilization"] < 1).all()
    # one fewer agent would miss the target in every interval
    fewer = w.service_level(plan["arrival_rate"], 1 / 4, plan["servers"] - 1, 20 / 60)
    assert (fewer < 0.8).all()


# ----------------------------------------------------------------- designs and widgets
def test_single_line_and_levers_in_design_comparison():
    q = w.queue_design
    t = w.compare_designs(
        {"now": q(), "one line": q(single_line=True), "levers": q(occupy=True, announce=True, single_line=True)},
        rng=np.random.default_rng(1),
    )
    assert t.loc["one line", "share_slipped"] == 0 and t.loc["now", "share_slipped"] > 0
    assert t.loc["levers", "perception_factor"] == pytest.approx(1.0)
    assert t.loc["levers", "mean_perceived_wait"] == pytest.approx(t.loc["levers", "mean_actual_wait"])
    assert t.loc["now", "perception_factor"] == pytest.approx(1.40 * 1.20 * 1.15 * 1.30)


def test_evaluate_design_refuses_unstable_queue():
    with pytest.raises(ValueError, match="utilisation"):
        w.evaluate_design(w.queue_design(arrival_rate=3.0, handle_time=2.0, servers=4), rng=np.random.default_rng(0))


def test_staff_day_checks_lengths():
    with pytest.raises(ValueError, match="actual_calls_per_interval"):
        w.staff_day([100, 200], rng=np.random.default_rng(0), actual_calls_per_interval=[100])


def test_queue_widget_shows_the_pure_function_numbers():
    pytest.importorskip("ipywidgets")
    from crmlib.widgets import waiting as ww

    widget = ww.explore_queue(seed=7, n_customers=5000)
    first = widget.readout.value
    widget.sliders["arrival_rate"].value = 1.8
    expected = ww.queue_readout(
        w.evaluate_design(w.queue_design(arrival_rate=1.8), rng=np.random.default_rng(7), n_customers=5000)
    )
    assert widget.readout.value == expected != first
    assert widget.output.outputs and "image/png" in widget.output.outputs[0]["data"]
    widget.sliders["single_line"].value = True
    assert "overtaken by a later arrival: 0.0%" in widget.readout.value
    widget.sliders["arrival_rate"].value = 4.0  # 8 Erlangs on 4 servers
    assert "utilisation 2.00" in widget.readout.value


def test_staffing_widget_shows_the_pure_function_numbers():
    pytest.importorskip("ipywidgets")
    from crmlib.datasets import load_bank_calls
    from crmlib.widgets import waiting as ww

    widget = ww.explore_staffing(seed=3)
    widget.sliders["handle_time"].value = 5.0
    prof = w.arrival_profile(load_bank_calls())
    day = w.staff_day(prof["mean"], 5.0, 20 / 60, 0.8, rng=np.random.default_rng(3))
    assert widget.readout.value == ww.staffing_readout(day)
    widget.sliders["arriving"].value = "Monday"
    by_day = w.arrival_profile(load_bank_calls(), by="weekday")
    monday = w.staff_day(
        prof["mean"], 5.0, 20 / 60, 0.8, rng=np.random.default_rng(3), actual_calls_per_interval=by_day["Monday"]
    )
    assert widget.readout.value == ww.staffing_readout(monday)
    assert widget.result.simulated.index.equals(prof.index)


# ----------------------------------------------------------------- records validate, change with replace
def test_records_validate_when_built_and_when_replaced():
    with pytest.raises(ValueError, match="arrival_rate"):
        w.QueueScenario(-1, 0.5, 0)  # accepted silently before issue 13
    with pytest.raises(ValueError, match="servers"):
        w.QueueScenario(1.0, 0.5, 0)
    with pytest.raises(ValueError, match="servers"):
        w.QueueScenario(1.0, 0.5, 2.5)
    with pytest.raises(TypeError, match="time_unit"):
        w.QueueScenario(1.0, 0.5, 2, time_unit=None)
    s = w.QueueScenario(1.5, 0.5, 4)
    assert (s.arrival_rate, s.service_rate, s.servers) == (1.5, 0.5, 4) and isinstance(s.servers, int)
    assert dataclasses.replace(s, servers=5).utilization == pytest.approx(0.6)
    with pytest.raises(ValueError, match="service_rate"):
        dataclasses.replace(s, service_rate=float("nan"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.servers = 5
    d = w.queue_design()
    assert dataclasses.replace(d, single_line=True).experience().fair
    with pytest.raises(TypeError, match="single_line"):
        dataclasses.replace(d, single_line="yes")
    with pytest.raises(TypeError, match="scenario"):
        w.QueueDesign("desk")
    with pytest.raises(ValueError, match="target_time"):
        dataclasses.replace(d, target_time=-1.0)
    with pytest.raises(TypeError, match="occupied"):
        w.WaitExperience(occupied=1)
    assert dataclasses.replace(w.WaitExperience(), occupied=True).occupied is True
    p = w.PRINCIPLES[0]
    assert dataclasses.replace(p, factor=1.5).factor == 1.5
    with pytest.raises(ValueError, match="factor"):
        dataclasses.replace(p, factor=0.5)
    with pytest.raises(ValueError, match="factor"):
        dataclasses.replace(p, factor=1e308)
    for cls in (w.QueueScenario, w.QueueDesign, w.WaitExperience, w.Principle):
        assert "replace" not in vars(cls)


# ----------------------------------------------------------------- Erlang B and C for many servers (issue 20)
def _erlang_b_exact(load: int, servers: int) -> float:
    """B = (A^c / c!) / sum_{k<=c} A^k / k!, as the exact ratio A^c / sum_k A^k c!/k! of integers."""
    total, power = 1, 1
    for j in range(1, servers + 1):
        power *= load
        total = j * total + power
    return float(Fraction(power, total))


@pytest.mark.parametrize(
    "load,servers",
    [
        (5, 10),
        (800, 818),
        (990, 1000),
        (1950, 2000),
        (2000, 2000),
        (2100, 2000),
        (2200, 2000),
        (4900, 5000),
        (3000, 5000),
        (9900, 10_000),
    ],
)
def test_erlang_b_equals_its_definition_in_exact_arithmetic(load, servers):
    assert w.erlang_b(float(load), servers) == pytest.approx(_erlang_b_exact(load, servers), rel=1e-12)


def test_closed_form_agrees_with_the_recursion_at_moderate_sizes():
    # the two routes of erlang_b (recursion up to 1,000 servers, closed form above) on the same inputs
    cs = np.array([20, 50, 100, 300, 700, 1000, 1500, 3000])
    for ratio in (0.5, 0.9, 0.99, 1.0, 1.02, 1.2, 2.0):
        loads = ratio * cs
        rec = w._erlang_b_recursion(loads, cs)
        closed = w._erlang_b_large(loads, cs)
        ok = rec > 1e-250
        np.testing.assert_allclose(closed[ok], rec[ok], rtol=1e-10)


def test_erlang_b_tables():
    # erlang.com calculator manual: 15 lines at 1% blocking carry 8.108 Erlangs (rounded to 3 decimals)
    assert w.erlang_b(8.108, 15) == pytest.approx(0.01, abs=2e-5)
    # erlang.com (Erlang B table in Excel): 13.5 Erlangs need 22 circuits at 1%, 16 at 10%
    assert w.erlang_b(13.5, 22) <= 0.01 < w.erlang_b(13.5, 21)
    assert w.erlang_b(13.5, 16) <= 0.10 < w.erlang_b(13.5, 15)


def test_a_hundred_million_servers_take_milliseconds():
    start = time.perf_counter()
    b = w.erlang_b(1e8, 10**8)
    c = w.erlang_c(1e8 - 1e4, 1.0, 10**8)
    sl = w.service_level(1e8 - 1e4, 1.0, 10**8, 1e-4)
    k = w.required_servers(1e8, 1.0, 1e-4, 0.8)
    assert time.perf_counter() - start < 1.0
    # at c = A the blocking is about 1/sqrt(pi A / 2) (Jagerman 1974); a sanity scale check
    assert b == pytest.approx(1 / math.sqrt(math.pi * 1e8 / 2), rel=1e-3)
    assert 0 < c < 1 and 0 < sl < 1
    assert w.service_level(1e8, 1.0, k, 1e-4) >= 0.8 > w.service_level(1e8, 1.0, k - 1, 1e-4)


@pytest.mark.parametrize("load", [1e6, 1e8, 1e10, 1e12 / 2])
@pytest.mark.parametrize("beta", [0.25, 1.0, 2.0])
def test_erlang_c_tends_to_the_halfin_whitt_limit(load, beta):
    from scipy.stats import norm

    servers = int(round(load + beta * math.sqrt(load)))
    beta_exact = (servers - load) / math.sqrt(load)
    limit = 1 / (1 + beta_exact * norm.cdf(beta_exact) / norm.pdf(beta_exact))
    # the limit is reached at rate 1/sqrt(A)
    assert w.erlang_c(load, 1.0, servers) == pytest.approx(limit, abs=2 / math.sqrt(load))


def test_erlang_b_far_beyond_capacity_and_tiny_loads():
    # blocking with ten times the load of the servers: B -> 1 - c/A
    assert w.erlang_b(1e12, 10**11) == pytest.approx(0.9, rel=1e-9)
    assert w.erlang_b(1e15, 5) == pytest.approx(1.0, rel=1e-12)
    assert w.erlang_b(1e-9, 10**6) == 0.0
    assert w.erlang_c(1e-12, 1.0, 10**12) == 0.0


def test_required_servers_is_unchanged_where_the_recursion_answers_and_fast_beyond():
    assert w.required_servers(6000 / 30, 1 / 4, 20 / 60, 0.9) == 818  # pyworkforce, above
    # beyond 1,000 servers: the smallest staffing meeting the target, by bracketing and bisection
    lam, mu, t = 5000.0, 1.0, 0.05
    k = w.required_servers(lam, mu, t, 0.95)
    assert k > 1000
    assert w.service_level(lam, mu, k, t) >= 0.95 > w.service_level(lam, mu, k - 1, t)
    with pytest.raises(ValueError, match="max_servers"):
        w.required_servers(lam, mu, t, 0.95, max_servers=5000)


# ----------------------------------------------------------------- index in, same index out
def test_series_are_aligned_by_index_not_by_position():
    lam = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    servers = pd.Series([6, 5, 4], index=["c", "b", "a"])  # same labels, other order
    out = w.erlang_c(lam, 1.0, servers)
    assert isinstance(out, pd.Series) and list(out.index) == ["a", "b", "c"]
    assert out["a"] == pytest.approx(w.erlang_c(1.0, 1.0, 4))
    assert out["c"] == pytest.approx(w.erlang_c(3.0, 1.0, 6))
    with pytest.raises(ValueError, match="index"):
        w.service_level(lam, 1.0, pd.Series([4, 5, 6], index=["x", "y", "z"]), 0.1)
    with pytest.raises(TypeError, match="servers"):
        w.mean_wait(lam, 1.0, np.array([4, 5, 6]))  # a Series and an unlabelled array: no pairing by position
    waits = pd.Series([1.0, 2.0], index=pd.Index(["Ann", "Bo"], name="customer"))
    felt = w.perceived_wait(waits, w.only_worse("occupied"))
    assert felt.index.equals(waits.index) and felt["Bo"] == pytest.approx(2.8)
    plan = w.staffing_plan(pd.Series([200 / 60, 400 / 60], index=["09:00", "09:05"]), 1 / 3, 20 / 60, 0.8)
    assert list(plan.index) == ["09:00", "09:05"] and plan["servers"].tolist() == [14, 24]


def test_staff_day_matches_the_actual_profile_by_clock_time():
    from crmlib.datasets import load_bank_calls

    calls = load_bank_calls()
    prof = w.arrival_profile(calls)
    monday = w.arrival_profile(calls, by="weekday")["Monday"]
    day = w.staff_day(prof["mean"], rng=np.random.default_rng(1), actual_calls_per_interval=monday)
    shuffled = monday.sample(frac=1.0, random_state=0)  # same clock times, other order
    again = w.staff_day(prof["mean"], rng=np.random.default_rng(1), actual_calls_per_interval=shuffled)
    pd.testing.assert_frame_equal(day.simulated, again.simulated)
    assert day.plan.index.equals(prof.index) and day.simulated.index.equals(prof.index)
    with pytest.raises(ValueError, match="index"):
        w.staff_day(prof["mean"], rng=np.random.default_rng(1), actual_calls_per_interval=monday.iloc[1:])
    with pytest.raises(TypeError, match="actual_calls_per_interval"):
        w.staff_day(prof["mean"], rng=np.random.default_rng(1), actual_calls_per_interval=monday.to_numpy())
    with pytest.raises(TypeError, match="calls_per_interval"):
        w.staff_day(prof["mean"].to_numpy(), rng=np.random.default_rng(1), actual_calls_per_interval=monday)


# ----------------------------------------------------------------- arrival profiles from messy logs
def _log(days=2, times=("09:00", "09:05"), tz=None):
    stamps = [pd.Timestamp(f"2003-03-0{3 + d} {t}") for d in range(days) for t in times]
    frame = pd.DataFrame({"datetime": stamps, "calls": np.arange(len(stamps), dtype=float)})
    if tz:
        frame["datetime"] = frame["datetime"].dt.tz_localize(tz)
    return frame


def test_arrival_profile_refuses_gaps_repeats_and_bad_counts():
    ok = _log()
    assert w.arrival_profile(ok)["mean"].tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="no row for 09:05 on 1 of 2 days"):
        w.arrival_profile(ok.drop(index=3))
    with pytest.raises(ValueError, match="repeats"):
        w.arrival_profile(pd.concat([ok, ok.iloc[[0]]]))
    for bad in (np.nan, -1.0, np.inf):
        broken = ok.copy()
        broken.loc[2, "calls"] = bad
        with pytest.raises(ValueError, match=r"calls\['calls'\]"):
            w.arrival_profile(broken)
    text = ok.assign(datetime=ok["datetime"].astype(str))
    with pytest.raises(TypeError, match="to_datetime"):
        w.arrival_profile(text)


def test_arrival_profile_counts_local_clock_times_and_keeps_every_weekday():
    # the same instants, stored in UTC: their clock times are those of the zone asked for
    local = _log(tz="America/New_York")
    utc = local.assign(datetime=local["datetime"].dt.tz_convert("UTC"))
    assert w.arrival_profile(utc).index.tolist() == ["14:00", "14:05"]
    assert w.arrival_profile(utc, tz="America/New_York").index.tolist() == ["09:00", "09:05"]
    assert w.arrival_profile(local).index.tolist() == ["09:00", "09:05"]  # default: the data's own zone
    with pytest.raises(ValueError, match="tz"):
        w.arrival_profile(_log(), tz="UTC")
    with pytest.raises(ValueError, match="tz"):
        w.arrival_profile(local, tz="Mars/Olympus_Mons")
    weekend = _log(days=7)  # Monday 3 March 2003 to Sunday 9 March
    table = w.arrival_profile(weekend, by="weekday")
    assert list(table.columns) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# ----------------------------------------------------------------- common random numbers
def test_compare_designs_uses_common_random_numbers():
    q = w.queue_design
    t = w.compare_designs({"a": q(), "b": q(), "c": q(occupy=True)}, rng=np.random.default_rng(5), n_customers=3000)
    pd.testing.assert_series_equal(t.loc["a"], t.loc["b"], check_names=False)
    assert t.loc["c", "mean_actual_wait"] == t.loc["a", "mean_actual_wait"]  # same arrivals, other experience
    again = w.compare_designs({"a": q()}, rng=np.random.default_rng(5), n_customers=3000)
    assert again.loc["a", "mean_actual_wait"] == t.loc["a", "mean_actual_wait"]


def test_simulation_sizes_are_bounded():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n_customers"):
        w.simulate_queue(1.0, 1.0, 2, w.MAX_CUSTOMERS + 1, rng=rng)
    with pytest.raises(ValueError, match="candidate arrivals"):
        w.simulate_queue(np.array([1e6]), 1.0, 2, rng=rng, interval_length=1e3)
    with pytest.raises(ValueError, match="servers x customers"):
        w.simulate_parallel_lines(1.0, 1.0, 50_000, 10**6, rng=rng)
    # the parallel-lines simulator no longer keeps a servers x customers table
    sim = w.simulate_parallel_lines(900.0, 1.0, 1000, 200_000, rng=rng)
    assert sim.n_customers == 200_000


# ----------------------------------------------------------------- figures: what is drawn
def test_wait_distribution_draws_both_histograms_on_shared_bins():
    import matplotlib.pyplot as plt

    actual = np.array([0.0, 0.0, 1.0, 2.0])
    ax = wp.plot_wait_distribution(actual, actual * 2, target_time=0.5, bins=4)
    hist_actual, hist_perceived = ax.patches
    edges = hist_actual.get_data().edges
    np.testing.assert_allclose(hist_perceived.get_data().edges, edges)  # shared bins, 0 to the 99th percentile
    assert edges[0] == 0 and edges[-1] == pytest.approx(np.quantile(np.r_[actual, 2 * actual], 0.99))
    assert hist_actual.get_data().values.tolist() == [2, 1, 1, 0]
    assert hist_perceived.get_data().values.tolist() == [2, 0, 1, 0]  # the longest wait lies beyond the 99th pct
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["actual (mean 0.75)", "perceived (mean 1.50)", "target 0.5"]
    assert ax.lines[0].get_xdata()[0] == 0.5  # the dashed target line
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="actual"):
        wp.plot_wait_distribution(np.array([-1.0, 2.0]))


def test_wait_vs_servers_draws_the_erlang_c_numbers():
    import matplotlib.pyplot as plt

    lam, mu = 200 / 60, 1 / 3
    ax = wp.plot_wait_vs_servers(lam, mu, range(10, 15), target_time=20 / 60)
    line = ax.lines[0]
    assert line.get_xdata().tolist() == [11, 12, 13, 14]  # 10 agents: utilisation 1, skipped
    np.testing.assert_allclose(line.get_ydata(), w.mean_wait(lam, mu, np.arange(11, 15)))
    twin = [a for a in ax.figure.axes if a is not ax][0]
    np.testing.assert_allclose(twin.lines[0].get_ydata(), w.service_level(lam, mu, np.arange(11, 15), 20 / 60))
    assert ax.get_ylabel() == "mean wait (minutes)"
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="servers_range"):
        wp.plot_wait_vs_servers(lam, mu, range(1, 10**8), target_time=0.1)
    with pytest.raises(ValueError, match="carry the load"):
        wp.plot_wait_vs_servers(lam, mu, [5, 10], target_time=0.1)


def test_staffing_day_draws_plan_and_simulation_matched_by_interval():
    import matplotlib.pyplot as plt

    plan = w.staffing_plan(pd.Series([20.0, 40.0, 30.0], index=["09:00", "09:05", "09:10"]), 1 / 4, 1 / 3, 0.8)
    simulated = pd.DataFrame({"service_level": [0.7, 0.9, 0.8]}, index=["09:10", "09:00", "09:05"])
    ax = wp.plot_staffing_day(plan, simulated, target_level=0.8)
    assert ax.lines[0].get_ydata().tolist() == plan["servers"].tolist()
    twin = [a for a in ax.figure.axes if a is not ax][0]
    np.testing.assert_allclose(twin.lines[1].get_ydata(), [0.9, 0.8, 0.7])  # by label, not by position
    assert twin.lines[2].get_ydata()[0] == 0.8
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="same index"):
        wp.plot_staffing_day(plan, simulated.reset_index(drop=True))


def test_models_do_not_know_about_figures():
    assert not any(name.startswith("plot_") for name in w.__all__)
    assert not hasattr(w, "plot_wait_distribution")


# ----------------------------------------------------------------- properties (Hypothesis)
servers_st = st.one_of(st.integers(1, 3000), st.integers(3000, 10**12 - 1))
load_st = st.floats(1e-6, 1e13, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(load=load_st, servers=servers_st)
def test_erlang_b_is_a_probability_that_falls_with_every_server(load, servers):
    b = w.erlang_b(load, servers)
    assert 0.0 <= b <= 1.0 and math.isfinite(b)
    assert w.erlang_b(load, servers + 1) <= b * (1 + 1e-12)
    # the recursion's one step links neighbouring server counts: B(c+1) = A B(c) / (c + 1 + A B(c))
    assert w.erlang_b(load, servers + 1) == pytest.approx(load * b / (servers + 1 + load * b), rel=1e-9, abs=1e-300)


@settings(max_examples=150, deadline=None)
@given(servers=servers_st, rho=st.floats(1e-6, 0.999), t=st.floats(0.0, 100.0))
def test_erlang_c_and_service_level_stay_in_bounds(servers, rho, t):
    lam = rho * servers  # service rate 1
    c = w.erlang_c(lam, 1.0, servers)
    assert w.erlang_b(lam, servers) <= c * (1 + 1e-12) + 1e-300 and 0.0 <= c <= 1.0
    sl = w.service_level(lam, 1.0, servers, t)
    assert 0.0 <= sl <= 1.0 and w.service_level(lam, 1.0, servers + 1, t) >= sl - 1e-12
    assert math.isfinite(w.mean_wait(lam, 1.0, servers))


@settings(max_examples=60, deadline=None)
@given(load=st.floats(0.01, 1e9), t=st.floats(0.0, 1.0), level=st.floats(0.05, 0.99))
def test_required_servers_is_the_smallest_that_meets_the_target(load, t, level):
    k = w.required_servers(load, 1.0, t, level)
    assert w.service_level(load, 1.0, k, t) >= level
    if k > 1 and load / (k - 1) < 1 - 1e-12:
        assert w.service_level(load, 1.0, k - 1, t) < level
