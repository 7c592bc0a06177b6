"""Pages per second of ``sohoa extract`` against the plain ``tesseract`` CLI, same pages.

    .venv/bin/python -m bench.throughput [--pages 40] [--jobs 2] [--stage-pages 12]

Both sides get the same cores: the CLI runs ``--jobs`` processes at a time through
``xargs -P``, sohoa its ``--jobs`` worker processes; both with ``OMP_THREAD_LIMIT=1`` so
neither oversubscribes. sohoa's time includes everything: start-up, loading, the quality
gate, orientation and deskew, both readers (the page reader and the second reader of the
values), field extraction, checks and calibration. Measured in the same run: sohoa with
its page reader alone (``SOHOA_RECOGNIZERS=tesseract``: nothing can be sure then), and
with ``--pytesseract`` the fallback backend.

Other jobs may share the machine, so the CPU seconds of each side (``getrusage`` of the
children) are the steadier figure; the ratios of both are printed. The CPU seconds per
page of each stage come from a separate pass over ``--stage-pages`` of the pages in
this process (:mod:`ocr.stages`).
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


def stage_costs(pages: list[str]) -> dict[str, float]:
    """CPU seconds per page of each stage, reading ``pages`` in this process."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from ocr.pipeline import extract_file
    from ocr.stages import COUNTS, TOTALS

    list(extract_file(Path(pages[0])))  # models loaded once per worker: not a page's cost
    TOTALS.clear()
    COUNTS.clear()
    for page in pages:
        list(extract_file(Path(page)))
    total = sum(TOTALS.values())
    out = {name: cpu / len(pages) for name, cpu in TOTALS.most_common()}
    out["total"] = total / len(pages)
    crops = COUNTS["second reader"]
    out["second reader: crops per page"] = crops / len(pages)
    out["second reader: CPU ms per crop"] = 1000 * TOTALS["second reader"] / crops if crops else 0
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("--stage-pages", type=int, default=12)
    ap.add_argument("--pytesseract", action="store_true", help="also time the fallback backend")
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
    alone = _timed(
        [SOHOA, "extract", "--jobs", str(args.jobs), *pages],
        {**env, "SOHOA_RECOGNIZERS": "tesseract"},
    )
    n = len(pages)
    result = {
        "pages": n,
        "jobs": args.jobs,
        "machine": describe(),
        "load_average_after": os.getloadavg(),
        "pages_per_s": {
            "tesseract_cli": n / cli[0],
            "sohoa_both_readers": n / ours[0],
            "sohoa_page_reader_alone": n / alone[0],
        },
        "cpu_s_per_page": {
            "tesseract_cli": cli[1] / n,
            "sohoa_both_readers": ours[1] / n,
            "sohoa_page_reader_alone": alone[1] / n,
        },
        "ratio_wall_vs_cli": cli[0] / ours[0],
        "ratio_cpu_vs_cli": cli[1] / ours[1],
        "stage_cpu_s_per_page": stage_costs(pages[: args.stage_pages]),
        "command": f"python -m bench.throughput --pages {args.pages} --jobs {args.jobs}",
    }
    if args.pytesseract:
        pyt = _timed(
            [SOHOA, "extract", "--jobs", str(args.jobs), *pages],
            {**env, "SOHOA_OCR_BACKEND": "pytesseract"},
        )
        result["pages_per_s"]["sohoa_pytesseract"] = n / pyt[0]
        result["cpu_s_per_page"]["sohoa_pytesseract"] = pyt[1] / n
    OUT.mkdir(exist_ok=True)
    (OUT / "throughput.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
