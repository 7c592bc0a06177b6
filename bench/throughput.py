"""Pages per second of ``sohoa extract`` against the plain ``tesseract`` CLI, same pages.

    .venv/bin/python -m bench.throughput [--pages 40] [--jobs 2]

Both sides get the same cores: the CLI runs ``--jobs`` processes at a time through
``xargs -P``, sohoa its ``--jobs`` worker processes; both with ``OMP_THREAD_LIMIT=1`` so
neither oversubscribes. sohoa's time includes everything: start-up, loading, the quality
gate, orientation and deskew, OCR, field extraction, correction and checks.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.machine import describe
from sohoa.samples import write_samples

OUT = Path(__file__).resolve().parent / "out"
SOHOA = str(Path(sys.executable).with_name("sohoa"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and everything it started)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run(
        cmd,
        env=env,
        input=stdin,
        text=True,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=77)
    args = ap.parse_args()

    folder = OUT / f"throughput-{args.seed}-{args.pages}"
    if not folder.exists():
        write_samples(folder, args.pages, args.seed, profile="mixed", formats=("png",))
    pages = sorted(str(p) for p in folder.glob("*.png"))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    listing = "\n".join(pages) + "\n"

    cli = _timed(
        ["xargs", "-P", str(args.jobs), "-I{}", "tesseract", "{}", "stdout", "-l", "vie"],
        env,
        listing,
    )
    ours = _timed([SOHOA, "extract", "--jobs", str(args.jobs), *pages], env)
    ours_pyt = _timed(
        [SOHOA, "extract", "--jobs", str(args.jobs), *pages],
        {**env, "SOHOA_OCR_BACKEND": "pytesseract"},
    )
    n = len(pages)
    result = {
        "pages": n,
        "jobs": args.jobs,
        "machine": describe(),
        "load_average_after": os.getloadavg(),
        "tesseract_cli_pages_per_s": n / cli[0],
        "sohoa_tesserocr_pages_per_s": n / ours[0],
        "sohoa_pytesseract_pages_per_s": n / ours_pyt[0],
        "ratio_tesserocr_vs_cli": cli[0] / ours[0],
        "ratio_pytesseract_vs_cli": cli[0] / ours_pyt[0],
        "cpu_s_per_page": {
            "tesseract_cli": cli[1] / n,
            "sohoa_tesserocr": ours[1] / n,
            "sohoa_pytesseract": ours_pyt[1] / n,
        },
        "ratio_by_cpu_tesserocr_vs_cli": cli[1] / ours[1],
        "command": f"python -m bench.throughput --pages {args.pages} --jobs {args.jobs}",
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "throughput.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
