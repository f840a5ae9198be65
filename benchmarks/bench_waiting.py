#!/usr/bin/env python3
"""Benchmark ``crmlib.waiting.simulate_queue`` against ciw and simpy (run on demand, not in pytest).

    .venv/bin/python benchmarks/bench_waiting.py                 # full run (several minutes)
    .venv/bin/python benchmarks/bench_waiting.py --quick         # 100,000 arrivals only
    .venv/bin/python benchmarks/bench_waiting.py --ref-python /path/to/python

Scenarios: M/M/1 (λ=0.9, μ=1) and M/M/10 (λ=9.5, μ=1) with 100,000 and 1,000,000
arrivals. Each simulator runs 3 times with seeds 0, 1, 2; the table reports the median
wall time, the ratios ciw/crmlib and simpy/crmlib measured in the same run, and each
simulator's mean wait against Erlang C's (``crmlib.waiting.mean_wait``).

ciw and simpy are *not* project dependencies: they run in a throwaway virtual
environment in the system temp directory (created on first use with
``python3 -m venv`` + ``pip install ciw simpy``), called through a subprocess, so the
project's ``.venv`` stays untouched. crmlib's time excludes numba's one-off compile
(the kernel is cached on disk after the first call); that first-call time is printed
separately.

Goals (issue 7): >= 50x faster than ciw, >= 20x faster than simpy, and 1,000,000
arrivals through M/M/10 in under 0.5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENARIOS = [("M/M/1", 0.9, 1.0, 1), ("M/M/10", 9.5, 1.0, 10)]
SEEDS = (0, 1, 2)

# --------------------------------------------------------------------------- reference worker
# Runs inside the throwaway environment: must not import crmlib or numpy.
WORKER = r"""
import json, sys, time, random

def run_ciw(lam, mu, c, n, seed):
    import ciw
    net = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(rate=lam)],
                             service_distributions=[ciw.dists.Exponential(rate=mu)],
                             number_of_servers=[c])
    ciw.seed(seed)
    sim = ciw.Simulation(net)
    sim.simulate_until_max_customers(n, method="Arrive")
    waits = [r.waiting_time for r in sim.get_all_records()]
    return sum(waits) / len(waits), len(waits)

def run_simpy(lam, mu, c, n, seed):
    import simpy
    rnd = random.Random(seed)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=c)
    waits = []

    def customer(env):
        arrived = env.now
        with desk.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rnd.expovariate(mu))

    def source(env):
        for _ in range(n):
            env.process(customer(env))
            yield env.timeout(rnd.expovariate(lam))

    env.process(source(env))
    env.run()
    return sum(waits) / len(waits), len(waits)

tool, lam, mu, c, n, seed = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
fn = run_ciw if tool == "ciw" else run_simpy
t0 = time.perf_counter()
mean, count = fn(lam, mu, c, n, seed)
print(json.dumps({"seconds": time.perf_counter() - t0, "mean_wait": mean, "customers": count}))
"""


def ensure_ref_python(path: str | None) -> str:
    if path:
        return path
    env = Path(tempfile.gettempdir()) / "crmlib-bench-ref"
    py = env / "bin" / "python"
    if not py.exists():
        print(f"creating throwaway environment for ciw and simpy in {env} ...", flush=True)
        subprocess.run(["python3", "-m", "venv", str(env)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "ciw", "simpy"], check=True)
    return str(py)


def ref_versions(py: str) -> str:
    out = subprocess.run(
        [py, "-c", "import ciw, simpy; print(ciw.__version__, simpy.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return f"ciw {out[0]}, simpy {out[1]}"


def run_ref(py: str, tool: str, lam, mu, c, n, seed) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(WORKER)
        script = f.name
    try:
        out = subprocess.run(
            [py, script, tool, str(lam), str(mu), str(c), str(n), str(seed)], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(script)
    return json.loads(out.strip().splitlines()[-1])


def run_crmlib(lam, mu, c, n, seed) -> dict:
    import numpy as np

    from crmlib import waiting

    t0 = time.perf_counter()
    sim = waiting.simulate_queue(lam, mu, c, n, rng=np.random.default_rng(seed))
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "mean_wait": float(sim.wait.mean()), "customers": sim.n_customers}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100,000 arrivals only")
    parser.add_argument("--ref-python", help="python of an environment with ciw and simpy installed")
    parser.add_argument("--skip-ref", action="store_true", help="time crmlib only")
    args = parser.parse_args(argv)

    import numba
    import numpy as np

    from crmlib import waiting

    sizes = (100_000,) if args.quick else (100_000, 1_000_000)
    t0 = time.perf_counter()
    waiting.simulate_queue(1.0, 2.0, 2, 10, rng=np.random.default_rng(0))
    first = time.perf_counter() - t0
    py = None if args.skip_ref else ensure_ref_python(args.ref_python)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, numba {numba.__version__}" + ("" if py is None else f", {ref_versions(py)}")
    )
    print(f"crmlib first call (numba load/compile, once per process): {first:.2f} s\n")
    header = (
        f"{'scenario':8} {'arrivals':>9} | {'crmlib s':>8} {'ciw s':>7} {'simpy s':>7} | "
        f"{'ciw/crm':>7} {'simpy/crm':>9} | {'Wq theory':>9} {'Wq crmlib':>9} {'Wq ciw':>8} {'Wq simpy':>8}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for name, lam, mu, c in SCENARIOS:
        theory = waiting.mean_wait(lam, mu, c)
        for n in sizes:
            res = {"crmlib": [run_crmlib(lam, mu, c, n, s) for s in SEEDS]}
            if py is not None:
                for tool in ("ciw", "simpy"):
                    res[tool] = [run_ref(py, tool, lam, mu, c, n, s) for s in SEEDS]
            med = {k: statistics.median(r["seconds"] for r in v) for k, v in res.items()}
            wq = {k: statistics.mean(r["mean_wait"] for r in v) for k, v in res.items()}
            row = {
                "scenario": name,
                "arrivals": n,
                "theory": theory,
                **{f"{k}_s": v for k, v in med.items()},
                **{f"{k}_wq": v for k, v in wq.items()},
            }
            rows.append(row)
            ciw_s, simpy_s = med.get("ciw", float("nan")), med.get("simpy", float("nan"))
            print(
                f"{name:8} {n:>9,} | {med['crmlib']:8.3f} {ciw_s:7.2f} {simpy_s:7.2f} | "
                f"{ciw_s / med['crmlib']:7.0f} {simpy_s / med['crmlib']:9.0f} | {theory:9.3f} "
                f"{wq['crmlib']:9.3f} {wq.get('ciw', float('nan')):8.3f} {wq.get('simpy', float('nan')):8.3f}",
                flush=True,
            )
    print("\nWq columns: mean wait over the 3 seeds (no warm-up removed); theory = Erlang C.")
    big = [r for r in rows if r["scenario"] == "M/M/10" and r["arrivals"] == 1_000_000]
    if big:
        r = big[0]
        print(
            f"goal 1,000,000 arrivals M/M/10 < 0.5 s: {r['crmlib_s']:.3f} s "
            f"({'met' if r['crmlib_s'] < 0.5 else 'NOT met'})"
        )
        if "ciw_s" in r:
            print(
                f"goal >= 50x ciw: {r['ciw_s'] / r['crmlib_s']:.0f}x; goal >= 20x simpy: "
                f"{r['simpy_s'] / r['crmlib_s']:.0f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
