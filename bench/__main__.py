"""``python -m bench``: every benchmark, one after the other (slow: tens of minutes)."""

import runpy

BENCHMARKS = (
    "bench.accuracy",
    "bench.acceptance",
    "bench.throughput",
    "bench.preparation",
    "bench.load_bench",
    "bench.report_bench",
    "bench.run_overhead",
)

for name in BENCHMARKS:
    print(f"== {name}", flush=True)
    runpy.run_module(name, run_name="__main__")
