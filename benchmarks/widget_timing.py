#!/usr/bin/env python3
"""In-process time of a slider move in chapter 1's widgets (no browser), run on demand.

    .venv/bin/python benchmarks/widget_timing.py [--moves 10] [--limit 1.0]

Builds each widget of :mod:`crmlib.widgets.satisfaction` with matplotlib's Agg backend, moves
its main slider ``--moves`` times between two values and times each move: the model evaluated
once, the readout formatted and the figure rendered to PNG (everything a move costs in the kernel;
sending it to the browser is measured by ``benchmarks/widget_latency.py``). Prints one line per
widget with the median and the slowest move and exits with status 1 when the slowest move takes
longer than ``--limit`` seconds (default 1 s, the bound the test suite used to assert; a
classroom machine should stay far below it).

This check used to be a timed assertion in ``tests/test_satisfaction.py``; timings depend on the
machine's load, so they are measured here rather than asserted in the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (builder, slider, the two values it alternates between)
CASES = [
    ("explore_satisfaction_trap", "competitive_intensity", (1.0, 0.5)),
    ("explore_retention_lever", "retention_rate", (0.85, 0.80)),
]


def time_moves(builder: str, slider: str, values: tuple[float, float], moves: int) -> list[float]:
    from crmlib.widgets import satisfaction as ws

    w = getattr(ws, builder)()
    control = w.sliders[slider]
    times = []
    for i in range(moves):
        t0 = time.perf_counter()
        control.value = values[i % 2]
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=10, help="slider moves per widget (default 10)")
    parser.add_argument("--limit", type=float, default=1.0, help="slowest move allowed, seconds (default 1)")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    from crmlib import plotting

    plotting.use_style()
    ok = True
    print(f"{'widget':<28} {'slider':<22} {'moves':>5} {'median s':>9} {'slowest s':>10}")
    for builder, slider, values in CASES:
        times = time_moves(builder, slider, values, args.moves)
        slowest = max(times)
        ok &= slowest <= args.limit
        print(
            f"{builder:<28} {slider:<22} {len(times):>5} {statistics.median(times):>9.3f} {slowest:>10.3f}"
            f"{'' if slowest <= args.limit else f'  above the limit of {args.limit:g} s'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
