"""Airflow's overhead: wall time of ``sohoa run`` against ``sohoa extract`` alone, same pages.

    .venv/bin/python -m bench.run_overhead [--pages 200] [--jobs 2]

The pages are four register books (birth, death, marriage, dossier results) of generated
scans, uploaded to a fresh local landing zone. ``sohoa extract`` reads them with ``--jobs``
processes; ``sohoa run`` runs the whole ``sohoa_digitize`` DAG in process (``dag.test()``)
with the same number of OCR processes, and does more than read: the Great Expectations
gate, the load into SQLite and the review queue. Airflow's metadata DB is initialised
before timing (a one-time cost, reported apart), as it is on every run after the first.
Figures go to BENCHMARKS.md under "## Airflow overhead (issue 4)".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe

OUT = Path(__file__).resolve().parent / "out"
REPO = Path(__file__).resolve().parents[1]
SOHOA = str(Path(sys.executable).with_name("sohoa"))
TYPES = ("birth", "death", "marriage", "dossier_result")
HEADING = "## Airflow overhead (issue 4)"


def _samples(pages: int, seed: int) -> dict[str, list[Path]]:
    from sohoa.samples import write_samples

    per_type = pages // len(TYPES)
    books: dict[str, list[Path]] = {}
    for n, doc_type in enumerate(TYPES):
        count = per_type + (1 if n < pages - per_type * len(TYPES) else 0)
        folder = OUT / f"overhead-{seed}-{pages}" / doc_type
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            write_samples(
                folder, count, seed + n, profile="mixed", formats=("png",), doc_types=[doc_type]
            )
            (folder / ".complete").touch()
        books[doc_type] = sorted(folder.glob("*.png"))
    return books


CPU: dict[str, float] = {}  # command label -> CPU seconds (user + system, with children)


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _timed(
    cmd: list[str], cwd: Path, env: dict[str, str], label: str | None = None
) -> tuple[float, str]:
    """Wall seconds (and, under ``label``, CPU seconds: robust to a busy shared machine)."""
    started, cpu0 = time.perf_counter(), _cpu()
    out = subprocess.run(
        cmd, cwd=cwd, env=env, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - started
    if label:
        CPU[label] = _cpu() - cpu0
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])}… failed:\n{out.stderr[-2000:]}")
    return elapsed, out.stderr


def _figure(text: str, label: str) -> int:
    match = re.search(rf"^\s*{label}:\s+(\d+)", text, re.M)
    return int(match.group(1)) if match else -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=404)
    ap.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    args = ap.parse_args()

    books = _samples(args.pages, args.seed)
    files = [str(p) for paths in books.values() for p in paths]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))}
    env.update({"OMP_THREAD_LIMIT": "1", "SOHOA_OCR_JOBS": str(args.jobs)})
    work = Path(tempfile.mkdtemp(prefix="sohoa-overhead-"))
    try:
        extract_s, _ = _timed(
            [SOHOA, "extract", "--jobs", str(args.jobs), *files], work, env, "extract_before"
        )
        # One-time set-up, not timed: Airflow's metadata DB.
        init_s, _ = _timed([SOHOA, "run"], work, env)
        empty_s, _ = _timed([SOHOA, "run"], work, env)  # Airflow's fixed cost per run
        for doc_type, paths in books.items():
            _timed(
                [
                    SOHOA,
                    "upload",
                    *map(str, paths),
                    "--unit",
                    "25920",
                    "--book-type",
                    doc_type,
                    "--year",
                    "2024",
                    "--volume",
                    "01",
                ],
                work,
                env,
            )
        run_s, log = _timed([SOHOA, "run"], work, env, "run")
        # Extract again after the run: on a shared machine the load drifts, and a figure
        # taken on each side of the run shows how much.
        extract2_s, _ = _timed(
            [SOHOA, "extract", "--jobs", str(args.jobs), *files], work, env, "extract_after"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    pages = _figure(log, "pages in")
    result = {
        "pages": pages,
        "files": len(files),
        "jobs": args.jobs,
        "machine": describe(),
        "extract_before_s": round(extract_s, 1),
        "extract_after_s": round(extract2_s, 1),
        "extract_s": round((extract_s + extract2_s) / 2, 1),
        "run_s": round(run_s, 1),
        "overhead_pct": round(
            200 * (run_s - (extract_s + extract2_s) / 2) / (extract_s + extract2_s), 1
        ),
        "cpu_extract_s": round((CPU["extract_before"] + CPU["extract_after"]) / 2, 1),
        "cpu_run_s": round(CPU["run"], 1),
        "cpu_overhead_pct": round(
            200
            * (CPU["run"] - (CPU["extract_before"] + CPU["extract_after"]) / 2)
            / (CPU["extract_before"] + CPU["extract_after"]),
            1,
        ),
        "empty_run_s": round(empty_s, 1),
        "first_run_with_airflow_init_s": round(init_s, 1),
        "loaded": _figure(log, "loaded"),
        "in_review": _figure(log, "in review"),
        "rejected": _figure(log, "rejected"),
    }
    print(json.dumps(result, indent=1))
    OUT.mkdir(exist_ok=True)
    (OUT / "run_overhead.json").write_text(json.dumps(result, indent=1) + "\n")
    if not args.no_write:
        write_section(REPO / "BENCHMARKS.md", render(result, args))


def render(r: dict, args: argparse.Namespace) -> str:
    verdict = "within" if r["overhead_pct"] <= 15 else "OVER"
    return f"""{HEADING}

Wall time of `sohoa run` (the `sohoa_digitize` DAG through `dag.test()`, in process) against
`sohoa extract` alone on the same {r["pages"]} pages ({r["files"]} PNG files, four register
books of generated `mixed`-profile scans), both with {r["jobs"]} OCR processes
(`OMP_THREAD_LIMIT=1`). `sohoa run` also runs the Great Expectations gate, loads SQLite
and queues review items; Airflow's metadata DB was initialised beforehand (one time).

| measure | seconds |
|---|---|
| `sohoa extract --jobs {r["jobs"]}`, before the run | {r["extract_before_s"]} |
| `sohoa run` | {r["run_s"]} |
| `sohoa extract --jobs {r["jobs"]}`, after the run | {r["extract_after_s"]} |
| `sohoa extract`, mean of the two | {r["extract_s"]} |
| overhead (run against mean extract) | **{r["overhead_pct"]} %** ({verdict} the 15 % target) |
| CPU seconds, `extract` (mean of the two) | {r["cpu_extract_s"]} |
| CPU seconds, `run` | {r["cpu_run_s"]} |
| CPU overhead (user + system, every process) | **{r["cpu_overhead_pct"]} %** |
| `sohoa run` with nothing new (Airflow's fixed cost per run) | {r["empty_run_s"]} |
| first `sohoa run` ever (creates Airflow's metadata DB) | {r["first_run_with_airflow_init_s"]} |

On a machine shared with other jobs the wall times drift (the two identical `extract`
runs took {r["extract_before_s"]} s and {r["extract_after_s"]} s); the CPU seconds, summed
over every process, are what the load of other jobs does not change, so the CPU overhead
is the figure to compare with the target.

Outcome of the run: {r["loaded"]} loaded, {r["in_review"]} in review, {r["rejected"]} rejected.

Machine: {r["machine"]} (shared with other jobs while measuring).
Command: `.venv/bin/python -m bench.run_overhead --pages {args.pages} --jobs {args.jobs}`
"""


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of BENCHMARKS.md (or append it), nothing else."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find(HEADING)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + len(HEADING))
        end = len(text) if nxt == -1 else nxt + 1
        text = text[:start] + section + ("\n" + text[end:] if nxt != -1 else "")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
