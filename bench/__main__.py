"""``python -m bench``: every benchmark, one after the other."""

import runpy

for name in ("bench.accuracy", "bench.throughput"):
    print(f"== {name}", flush=True)
    runpy.run_module(name, run_name="__main__")
