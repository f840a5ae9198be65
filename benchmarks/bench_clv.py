#!/usr/bin/env python3
"""Benchmark crmlib.clv against lifetimes 0.11.3 (run on demand; not part of the test suite).

    .venv/bin/python benchmarks/bench_clv.py                       # full run (about 10 minutes)
    .venv/bin/python benchmarks/bench_clv.py --quick               # CDNOW only (about a minute)
    .venv/bin/python benchmarks/bench_clv.py --lifetimes-python /path/to/python
    .venv/bin/python benchmarks/bench_clv.py --crmlib-only --quick # crmlib's fits alone, no lifetimes

lifetimes is archived and needs pandas < 2 and numpy < 2, so it runs in its own throwaway
virtual environment: by default ``/tmp/crmlib-bench-lifetimes`` (created on first use with
``pip install lifetimes==0.11.3 "pandas<2" "numpy<2" "scipy<1.12"``), never in the project's.

What is measured, in the same run and on the same machine, for both libraries:

* model fits on identical (frequency, recency, T[, monetary value]) arrays — computed once
  with ``crmlib.clv.rfm_summary`` (weeks, 39-week calibration from 1997-01-01) and handed to
  both — for the CDNOW sample, the CDNOW master file and a synthetic 1,000,000-customer
  BG/NBD population (``crmlib.clv.simulate_bg_nbd``, seed 2026): BG/NBD, Pareto/NBD and
  Gamma-Gamma. The log-likelihood of both sets of estimates is evaluated with the same exact
  crmlib likelihood, so "equal log-likelihood" is checked, not assumed;
* the RFM summary of a transaction log (``crmlib.clv.rfm_summary`` vs lifetimes'
  ``summary_data_from_transaction_data``, both with daily resolution and monetary value) on
  the CDNOW master log and on a synthetic 10,000,000-row log: time, and peak memory traced
  with ``tracemalloc`` (NumPy and pandas report their buffers to it) in a separate run.

Each number is the median of ``--repeats`` runs (5) inside one worker process after a
warm-up fit; lifetimes' slowest jobs (fits on 1,000,000 customers, the 10-million-row
summary) use ``--slow-repeats`` runs (1 by default) — the table says how many. Each library
runs in its own subprocess, one job at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = Path("/tmp/crmlib-bench-lifetimes")


# ----------------------------------------------------------------------------------------
# worker side (runs in either environment; imports its library lazily)
# ----------------------------------------------------------------------------------------
def _timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _worker(lib: str, job: dict) -> dict:
    import numpy as np
    import pandas as pd

    kind = job["kind"]
    reps = job["repeats"]
    if kind == "fit":
        d = np.load(job["data"])
        x, tx, T = d["frequency"], d["recency"], d["T"]
        rep = (x > 0) & (d["monetary"] > 0)  # Gamma-Gamma: repeat buyers with positive spend
        if lib == "crmlib":
            from crmlib import clv

            fits = {
                "bg_nbd": lambda: clv.fit_bg_nbd(x, tx, T).params.to_numpy(),
                "pareto_nbd": lambda: clv.fit_pareto_nbd(x, tx, T).params.to_numpy(),
                "gamma_gamma": lambda: clv.fit_gamma_gamma(x[rep], d["monetary"][rep]).params.to_numpy(),
            }
            clv.fit_bg_nbd(x[:500], tx[:500], T[:500])  # warm-up (imports)
        else:
            import warnings

            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter

            fits = {
                "bg_nbd": lambda: BetaGeoFitter().fit(x, tx, T).params_.to_numpy(),
                "pareto_nbd": lambda: ParetoNBDFitter().fit(x, tx, T).params_.to_numpy(),
                "gamma_gamma": lambda: GammaGammaFitter().fit(x[rep], d["monetary"][rep]).params_.to_numpy(),
            }
            BetaGeoFitter().fit(x[:500], tx[:500], T[:500])
        seconds, params = _timed(fits[job["model"]], reps)
        return {"seconds": seconds, "params": [float(p) for p in params]}
    if kind == "rfm":
        d = np.load(job["data"])
        log = pd.DataFrame(
            {"customer_id": d["customer_id"], "date": d["date"].astype("datetime64[ns]"), "amount": d["amount"]}
        )
        if lib == "crmlib":
            from crmlib import clv

            def run():
                return clv.rfm_summary(log, "customer_id", "date", "amount", freq="D")
        else:
            import warnings

            warnings.simplefilter("ignore")
            from lifetimes.utils import summary_data_from_transaction_data

            def run():
                return summary_data_from_transaction_data(
                    log, "customer_id", "date", monetary_value_col="amount", freq="D"
                )

        if job.get("memory"):
            tracemalloc.start()
            out = run()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            return {"peak_bytes": peak, "rows": len(out)}
        seconds, out = _timed(run, reps)
        return {
            "seconds": seconds,
            "rows": len(out),
            "frequency_sum": float(out["frequency"].sum()),
            "T_sum": float(out["T"].sum()),
        }
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------
# parent side
# ----------------------------------------------------------------------------------------
def _ensure_lifetimes(python: str | None) -> str:
    if python:
        return python
    py = DEFAULT_VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {DEFAULT_VENV} with lifetimes 0.11.3 ...", flush=True)
        subprocess.run(["python3", "-m", "venv", str(DEFAULT_VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "lifetimes==0.11.3", "pandas<2", "numpy<2", "scipy<1.12"],
            check=True,
        )
    return str(py)


def _run(python: str, lib: str, job: dict) -> dict:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT) if lib == "crmlib" else "",
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    out = subprocess.run(
        [python, __file__, "--worker", lib, json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    if out.returncode != 0:
        raise RuntimeError(f"{lib} worker failed on {job}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _prepare(tmp: Path, quick: bool):
    import numpy as np

    from crmlib import clv, datasets

    sets = {}
    for name, sample in (("CDNOW sample", True), ("CDNOW master", False)):
        log = datasets.load_cdnow(sample=sample)
        rfm = clv.rfm_summary(log, "customer_id", "date", "amount", calibration_end="1997-09-30")
        path = tmp / f"{name.replace(' ', '_')}.npz"
        np.savez(
            path,
            frequency=rfm["frequency"].to_numpy(float),
            recency=rfm["recency"].to_numpy(),
            T=rfm["T"].to_numpy(),
            monetary=rfm["monetary_value"].to_numpy(),
        )
        sets[name] = path
    logs = {}
    master = datasets.load_cdnow(sample=False)
    path = tmp / "log_master.npz"
    np.savez(
        path,
        customer_id=master["customer_id"].to_numpy(),
        date=master["date"].to_numpy(),
        amount=master["amount"].to_numpy(),
    )
    logs["CDNOW master log (69,659 rows)"] = path
    if not quick:
        rng = np.random.default_rng(2026)
        sim = clv.simulate_bg_nbd(0.243, 4.414, 0.793, 2.426, 1_000_000, rng=rng)
        path = tmp / "synthetic_1m.npz"
        np.savez(
            path,
            frequency=sim["frequency"].to_numpy(float),
            recency=sim["recency"].to_numpy(),
            T=sim["T"].to_numpy(),
            monetary=np.zeros(len(sim)),
        )
        sets["synthetic 1,000,000 customers"] = path
        n = 10_000_000
        cust = rng.integers(0, 1_000_000, size=n)
        day = rng.integers(0, 546, size=n)
        date = np.datetime64("1997-01-01") + day.astype("timedelta64[D]")
        amount = np.round(rng.gamma(2.0, 15.0, size=n), 2)
        path = tmp / "log_10m.npz"
        np.savez(path, customer_id=cust, date=date.astype("datetime64[ns]"), amount=amount)
        logs["synthetic log (10,000,000 rows)"] = path
    return sets, logs


def _loglik(model: str, params, path) -> float:
    import numpy as np

    from crmlib.clv import models as m

    d = np.load(path)
    x, tx, T = d["frequency"], d["recency"], d["T"]
    w = np.ones_like(x)
    p = np.asarray(params, float)
    if model == "bg_nbd":
        ux, inv = np.unique(x, return_inverse=True)
        return -m._bgnbd_negll(p, x, tx, T, w, ux, inv)[0]
    if model == "pareto_nbd":
        return -m._pnbd_negll(p, x, tx, T, w)
    rep = (x > 0) & (d["monetary"] > 0)
    return -m._gg_negll(p, x[rep], d["monetary"][rep], w[rep])[0]


def _crmlib_only(args) -> int:
    """Fit timings of crmlib alone, each in its own worker process like the full comparison."""
    with tempfile.TemporaryDirectory(prefix="bench-clv-") as tmpdir:
        sets, _ = _prepare(Path(tmpdir), args.quick)
        for data_name, path in sets.items():
            for model in ("bg_nbd", "pareto_nbd", "gamma_gamma"):
                if model == "gamma_gamma" and data_name.startswith("synthetic"):
                    continue  # the synthetic population has no spend
                r = _run(
                    sys.executable,
                    "crmlib",
                    {"kind": "fit", "data": str(path), "model": model, "repeats": args.repeats},
                )
                ll = _loglik(model, r["params"], path)
                print(
                    f"{model + ' fit':<18} {data_name:<34} crmlib {r['seconds']:.4f} s "
                    f"(median of {args.repeats}); log-likelihood {ll:.2f}",
                    flush=True,
                )
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--lifetimes-python", help="python of an environment with lifetimes 0.11.3")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--slow-repeats",
        type=int,
        default=1,
        help="runs of lifetimes' slowest jobs (1,000,000-customer fits, 10-million-row summary)",
    )
    ap.add_argument("--quick", action="store_true", help="CDNOW data only")
    ap.add_argument(
        "--crmlib-only",
        action="store_true",
        help="time crmlib's model fits alone (no lifetimes environment, no RFM summaries): a quick check "
        "that a change did not slow the fits down",
    )
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker[0], json.loads(args.worker[1]))))
        return 0
    sys.path.insert(0, str(ROOT))
    if args.crmlib_only:
        return _crmlib_only(args)
    ours_py = sys.executable
    theirs_py = _ensure_lifetimes(args.lifetimes_python)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-clv-") as tmpdir:
        tmp = Path(tmpdir)
        sets, logs = _prepare(tmp, args.quick)
        for data_name, path in sets.items():
            big = data_name.startswith("synthetic")
            for model in ("bg_nbd", "pareto_nbd", "gamma_gamma"):
                if model == "gamma_gamma" and big:
                    continue  # the synthetic population has no spend
                res = {}
                for lib, py in (("crmlib", ours_py), ("lifetimes", theirs_py)):
                    reps = args.slow_repeats if (big and lib == "lifetimes") else args.repeats
                    r = _run(py, lib, {"kind": "fit", "data": str(path), "model": model, "repeats": reps})
                    r["ll"] = _loglik(model, r["params"], path)
                    r["repeats"] = reps
                    res[lib] = r
                rows.append(
                    {
                        "task": f"{model} fit",
                        "data": data_name,
                        **{f"{lib}_{k}": v for lib, r in res.items() for k, v in r.items() if k != "params"},
                    }
                )
                print(_fmt(rows[-1]), flush=True)
        for log_name, path in logs.items():
            big = "10,000,000" in log_name
            res = {}
            for lib, py in (("crmlib", ours_py), ("lifetimes", theirs_py)):
                reps = args.slow_repeats if (big and lib == "lifetimes") else args.repeats
                r = _run(py, lib, {"kind": "rfm", "data": str(path), "repeats": reps})
                r["peak_bytes"] = _run(py, lib, {"kind": "rfm", "data": str(path), "repeats": 1, "memory": True})[
                    "peak_bytes"
                ]
                r["repeats"] = reps
                res[lib] = r
            assert res["crmlib"]["rows"] == res["lifetimes"]["rows"], "the two summaries disagree on customers"
            rows.append(
                {
                    "task": "rfm summary",
                    "data": log_name,
                    **{f"{lib}_{k}": v for lib, r in res.items() for k, v in r.items()},
                }
            )
            print(_fmt(rows[-1]), flush=True)
    print()
    print(_table(rows))
    return 0


def _fmt(row):
    s = (
        f"{row['task']:<18} {row['data']:<34} crmlib {row['crmlib_seconds']:.4f} s, lifetimes "
        f"{row['lifetimes_seconds']:.4f} s: {row['lifetimes_seconds'] / row['crmlib_seconds']:.1f}x"
    )
    if "crmlib_ll" in row:
        s += f"; LL {row['crmlib_ll']:.2f} vs {row['lifetimes_ll']:.2f}"
    if "crmlib_peak_bytes" in row:
        s += f"; peak {row['crmlib_peak_bytes'] / 2**20:.0f} MB vs {row['lifetimes_peak_bytes'] / 2**20:.0f} MB"
    return s


def _table(rows):
    lines = [
        "| task | data | crmlib | lifetimes 0.11.3 | speed-up | log-likelihood (crmlib / lifetimes) | peak memory (crmlib / lifetimes) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ll = f"{r['crmlib_ll']:.1f} / {r['lifetimes_ll']:.1f}" if "crmlib_ll" in r else ""
        mem = (
            f"{r['crmlib_peak_bytes'] / 2**20:,.0f} MB / {r['lifetimes_peak_bytes'] / 2**20:,.0f} MB"
            if "crmlib_peak_bytes" in r
            else ""
        )
        lines.append(
            f"| {r['task']} | {r['data']} | {r['crmlib_seconds']:.4f} s (n={r['crmlib_repeats']}) | "
            f"{r['lifetimes_seconds']:.4f} s (n={r['lifetimes_repeats']}) | "
            f"{r['lifetimes_seconds'] / r['crmlib_seconds']:.1f}x | {ll} | {mem} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
