#!/usr/bin/env python3
"""RFM summaries at scale: DuckDB out of core vs pandas in memory vs lifetimes vs Spark (on demand).

    .venv/bin/python benchmarks/bench_rfm_scale.py generate --rows 100000000   # the synthetic log
    .venv/bin/python benchmarks/bench_rfm_scale.py run                          # every engine, every size
    .venv/bin/python benchmarks/bench_rfm_scale.py run --engines duckdb --sizes 100000000
    .venv/bin/python benchmarks/bench_rfm_scale.py table                        # the results as Markdown

Never part of the test suite. Files go to ``benchmarks/data/`` (gitignored): the logs
``rfm_<rows>.parquet`` (100 million rows: about 1.4 GB), DuckDB's spill folder and
``results.jsonl`` (one line per measurement; ``table`` prints them).

**The synthetic log** (``generate``). ``rows`` transactions of ``rows / 20`` customers over two
years (1 January 2024 to 30 December 2025, 730 days), written in chunks of 5 million rows so that
the generator never holds more than one chunk (about 200 MB): chunk k draws from
``numpy.random.default_rng([seed, k])`` (seed 2026), so every file is reproducible and a chunk
does not depend on the chunk size of the others. Each row draws a customer uniformly; customer c
is acquired on day ``floor(365 c / n_customers)`` (cohorts spread over the first year) and the
row's day is uniform over the days from her acquisition to the end, with a uniform time of day
(a naive timestamp, microseconds); the amount is Gamma(shape 2, scale 15) dollars rounded to
cents. Rows are in customer-random order (as a log sorted by time would be, for the grouping), in
row groups of 1 million rows; some rows fall on a day the same customer already bought on, so
occasions are fewer than rows.

**What is timed** (each run in its own process, one at a time): ``rfm_summary(path,
"customer_id", "date", "amount", calibration_end="2025-06-30", observation_end="2025-12-30",
freq="D")`` — a holdout summary with monetary values, every customer's row handed back to pandas.

* ``duckdb``: crmlib on the Parquet file, DuckDB with ``memory_limit`` (default 3 GB),
  ``temp_directory`` in ``benchmarks/data/duckdb-tmp`` and 2 threads: out of core;
* ``pandas``: ``pd.read_parquet`` of the three columns, then crmlib's in-memory
  ``rfm_summary`` on the DataFrame (read and summary timed apart);
* ``lifetimes``: ``calibration_and_holdout_data(..., calibration_period_end=...,
  observation_period_end=..., freq="D", monetary_value_col=...)`` of lifetimes 0.11.3 (its
  holdout version of ``summary_data_from_transaction_data``) on the DataFrame, in
  its own virtual environment ``benchmarks/.venv-lifetimes`` (created on first use with
  ``lifetimes==0.11.3 "pandas<2" "numpy<2" "scipy<1.12" "pyarrow<17"``; lifetimes is archived and
  needs pandas < 2), read with ``pd.read_parquet`` as for pandas;
* ``spark``: crmlib on ``spark.read.parquet(path)`` in a local[2] SparkSession (driver memory
  3 GB), session start-up timed apart.

Peak memory is the largest sum of the resident set sizes of the process and all its children
(Spark's JVM), sampled every 0.1 s with psutil; the operating system's ``ru_maxrss`` of the
worker (its largest single process) is recorded beside it. The in-memory engines (pandas,
lifetimes) run a size only if it should fit: when their peak on the previous size, scaled by
the number of rows, would exceed ``--memory-cap`` (default 16 GB of this 24 GB machine, which
others share), the size is not run and the table says so.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
RESULTS = DATA / "results.jsonl"
LIFETIMES_VENV = ROOT / "benchmarks" / ".venv-lifetimes"
SEED = 2026
START = "2024-01-01"
DAYS = 730
CALIBRATION_END = "2025-06-30"
OBSERVATION_END = "2025-12-30"
CHUNK = 5_000_000
SIZES = (1_000_000, 10_000_000, 30_000_000, 100_000_000)
ENGINES = ("duckdb", "pandas", "lifetimes", "spark")
IN_MEMORY = ("pandas", "lifetimes")  # their memory grows with the log; DuckDB's and Spark's is capped


# ----------------------------------------------------------------------------- generator
def log_path(rows: int) -> Path:
    return DATA / f"rfm_{rows}.parquet"


def generate(rows: int, *, seed: int = SEED, chunk: int = CHUNK) -> Path:
    """Write the synthetic log of ``rows`` transactions (see the module docstring); return its path."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = log_path(rows)
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    n_customers = max(rows // 20, 1)
    start_us = np.datetime64(START, "us").astype(np.int64)
    day_us = 86_400_000_000
    schema = pa.schema([("customer_id", pa.int64()), ("date", pa.timestamp("us")), ("amount", pa.float64())])
    tmp = path.with_suffix(".parquet.part")
    t0 = time.perf_counter()
    with pq.ParquetWriter(tmp, schema, compression="snappy") as writer:
        for k, lo in enumerate(range(0, rows, chunk)):
            m = min(chunk, rows - lo)
            rng = np.random.default_rng([seed, k])
            cust = rng.integers(0, n_customers, size=m, dtype=np.int64)
            acquired = cust * 365 // n_customers
            day = acquired + np.floor(rng.random(m) * (DAYS - acquired)).astype(np.int64)
            stamp = start_us + day * day_us + rng.integers(0, day_us, size=m, dtype=np.int64)
            amount = np.round(rng.gamma(2.0, 15.0, size=m), 2)
            table = pa.table(
                {"customer_id": cust, "date": pa.array(stamp, pa.timestamp("us")), "amount": amount}, schema=schema
            )
            writer.write_table(table, row_group_size=1_000_000)
            del cust, acquired, day, stamp, amount, table
            print(f"  {lo + m:>12,} rows written ({time.perf_counter() - t0:.0f} s)", flush=True)
    tmp.rename(path)
    return path


# ----------------------------------------------------------------------------- workers
def _summary_kwargs():
    return dict(calibration_end=CALIBRATION_END, observation_end=OBSERVATION_END, freq="D")


def _worker(engine: str, rows: int, opts: dict) -> dict:
    path = str(log_path(rows))
    out: dict = {}
    if engine == "duckdb":
        import duckdb

        from crmlib import clv

        spill = DATA / "duckdb-tmp"
        spill.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(
            config={
                "memory_limit": opts["memory_limit"],
                "temp_directory": str(spill),
                "threads": 2,
            }
        )
        con.execute("SET enable_progress_bar = false")
        t0 = time.perf_counter()
        rfm = clv.rfm_summary(path, "customer_id", "date", "amount", **_summary_kwargs(), connection=con)
        out["seconds"] = time.perf_counter() - t0
    elif engine == "pandas":
        import pandas as pd

        from crmlib import clv

        t0 = time.perf_counter()
        log = pd.read_parquet(path, columns=["customer_id", "date", "amount"])
        out["read_seconds"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        rfm = clv.rfm_summary(log, "customer_id", "date", "amount", **_summary_kwargs())
        out["summary_seconds"] = time.perf_counter() - t1
        out["seconds"] = time.perf_counter() - t0
    elif engine == "lifetimes":
        import warnings

        import pandas as pd

        warnings.simplefilter("ignore")
        from lifetimes.utils import calibration_and_holdout_data

        t0 = time.perf_counter()
        log = pd.read_parquet(path, columns=["customer_id", "date", "amount"])
        out["read_seconds"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        rfm = calibration_and_holdout_data(
            log,
            "customer_id",
            "date",
            calibration_period_end=CALIBRATION_END,
            observation_period_end=OBSERVATION_END,
            freq="D",
            monetary_value_col="amount",
        )
        out["summary_seconds"] = time.perf_counter() - t1
        out["seconds"] = time.perf_counter() - t0
        rfm = rfm.rename(columns={"frequency_cal": "frequency", "recency_cal": "recency", "T_cal": "T"})
    elif engine == "spark":
        import warnings

        from pyspark.sql import SparkSession

        from crmlib import clv

        warnings.simplefilter("ignore", FutureWarning)
        t0 = time.perf_counter()
        spark = (
            SparkSession.builder.master("local[2]")
            .appName("crmlib-bench")
            .config("spark.driver.memory", opts["spark_memory"])
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "64")
            .config("spark.local.dir", str(DATA / "spark-tmp"))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        out["startup_seconds"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        rfm = clv.rfm_summary(spark.read.parquet(path), "customer_id", "date", "amount", **_summary_kwargs())
        out["seconds"] = time.perf_counter() - t1
        spark.stop()
    else:
        raise ValueError(engine)
    out.update(customers=int(len(rfm)), frequency_sum=int(rfm["frequency"].sum()), T_sum=float(rfm["T"].sum()))
    return out


def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure(engine: str, rows: int, opts: dict) -> dict:
    """Run one worker in a subprocess; its result plus wall time and peak memory of its process tree."""
    import psutil

    if engine == "lifetimes":
        python = str(_ensure_lifetimes())
        env = dict(os.environ, PYTHONPATH="")
    else:
        python = sys.executable
        env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [python, __file__, "worker", engine, str(rows), json.dumps(opts)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    ps = psutil.Process(proc.pid)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(ps))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        return {
            "engine": engine,
            "rows": rows,
            "error": stderr.strip().splitlines()[-1] if stderr.strip() else "?",
            "peak_tree_bytes": peak[0],
            "wall_seconds": wall,
        }
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(engine=engine, rows=rows, peak_tree_bytes=peak[0], wall_seconds=wall)
    return result


def _ensure_lifetimes() -> Path:
    py = LIFETIMES_VENV / "bin" / "python"
    if not py.exists():
        print(f"creating {LIFETIMES_VENV} with lifetimes 0.11.3 ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(LIFETIMES_VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "lifetimes==0.11.3", "pandas<2", "numpy<2", "scipy<1.12",
             "pyarrow<17", "psutil"],
            check=True,
        )  # fmt: skip
    return py


# ----------------------------------------------------------------------------- driver
def _machine_note() -> str:
    try:
        load = os.getloadavg()
    except OSError:
        load = (float("nan"),) * 3
    return f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at start"


def run(engines, sizes, opts, memory_cap: float) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for rows in sizes:
        generate(rows)
    peaks: dict = {}
    for engine in engines:
        for rows in sizes:
            note = _machine_note()
            prev = peaks.get(engine) if engine in IN_MEMORY else None  # DuckDB and Spark are bounded
            if prev is not None and prev[1] * rows / prev[0] > memory_cap:
                row = {"engine": engine, "rows": rows, "skipped": f"expected peak {prev[1] * rows / prev[0] / 2**30:.0f} GB "
                       f"> cap {memory_cap / 2**30:.0f} GB (from {prev[0]:,} rows)"}  # fmt: skip
            else:
                print(f"{engine:<10} {rows:>12,} rows ...", flush=True)
                row = measure(engine, rows, opts)
                if "error" not in row:
                    peaks[engine] = (rows, row["peak_tree_bytes"])
            row.update(note=note, options=opts, date=time.strftime("%Y-%m-%d %H:%M"))
            with open(RESULTS, "a") as f:
                f.write(json.dumps(row) + "\n")
            print("   ", _describe(row), flush=True)


def _describe(row) -> str:
    if "skipped" in row:
        return f"not run: {row['skipped']}"
    if "error" in row:
        return f"failed: {row['error']} (peak {row['peak_tree_bytes'] / 2**30:.2f} GB)"
    return (
        f"{row['seconds']:.1f} s, peak {row['peak_tree_bytes'] / 2**30:.2f} GB, {row['customers']:,} customers, "
        f"frequency sum {row['frequency_sum']:,}"
    )


def table() -> str:
    """The results as Markdown: per engine and size, the fastest and the slowest recorded run."""
    rows = [json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()]
    runs: dict = {}
    for r in rows:
        runs.setdefault((r["engine"], r["rows"]), []).append(r)
    lines = [
        "| engine | rows | customers | time (s), fastest run | slowest run | runs | of which reading (s) "
        "| peak memory (GB) | Σ frequency |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine in ENGINES:
        for size in sorted({k[1] for k in runs if k[0] == engine}):
            ok = sorted((r for r in runs[(engine, size)] if "seconds" in r), key=lambda r: r["seconds"])
            if not ok:
                last = runs[(engine, size)][-1]
                why = last.get("skipped") or f"failed: {last.get('error')}"
                lines.append(f"| {engine} | {size:,} | | not run | | | | | {why} |")
                continue
            best = ok[0]
            slow = f"{ok[-1]['seconds']:.1f}" if len(ok) > 1 else ""
            read = f"{best['read_seconds']:.1f}" if "read_seconds" in best else ""
            if "startup_seconds" in best:
                read = f"(+{best['startup_seconds']:.0f} start-up)"
            peak = max(x["peak_tree_bytes"] for x in ok) / 2**30
            lines.append(
                f"| {engine} | {size:,} | {best['customers']:,} | {best['seconds']:.1f} | {slow} | {len(ok)} | {read} | "
                f"{peak:.2f} | {best['frequency_sum']:,} |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write the synthetic log")
    g.add_argument("--rows", type=int, default=100_000_000)
    r = sub.add_parser("run", help="time every engine on every size")
    r.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    r.add_argument("--sizes", nargs="+", type=int, default=list(SIZES))
    r.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit")
    r.add_argument("--spark-memory", default="3g", help="Spark driver memory")
    r.add_argument("--memory-cap", type=float, default=16.0, help="GB: skip a size expected to need more")
    sub.add_parser("table", help="print the results (fastest and slowest run of each) as a Markdown table")
    w = sub.add_parser("worker", help=argparse.SUPPRESS)
    w.add_argument("engine")
    w.add_argument("rows", type=int)
    w.add_argument("opts")
    args = ap.parse_args(argv)
    if args.command == "generate":
        t0 = time.perf_counter()
        path = generate(args.rows)
        print(f"{path} ({path.stat().st_size / 2**30:.2f} GB) in {time.perf_counter() - t0:.0f} s")
    elif args.command == "run":
        opts = {"memory_limit": args.memory_limit, "spark_memory": args.spark_memory}
        run(args.engines, args.sizes, opts, args.memory_cap * 2**30)
        print()
        print(table())
    elif args.command == "table":
        print(table())
    else:
        result = _worker(args.engine, args.rows, json.loads(args.opts))
        import resource

        result["ru_maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        result["ru_maxrss_children_bytes"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
