"""Scaling out: pages per second of ``sohoa_digitize`` on ``sohoa cluster`` with 1 and with
2 Celery workers, the same pages, and the ``sohoa_ocr`` pool's occupancy over time.

    .venv/bin/python -m bench.scale [--pages 200] [--workers 1 2] [--batch-pages 10]

For each worker count a fresh cluster starts (each worker runs one task at a time, the
pool has one slot per worker), the pages are uploaded with ``sohoa upload`` in four
register books, and one run is started through the REST API and timed from the trigger
to its end. Besides the wall time, the CPU time of every process of the cluster (the
supervisor's whole tree: Airflow, the workers and their tasks, PostgreSQL, Redis, S3) is
summed from ``/proc``, so that a machine shared with other jobs still gives a comparable
figure (CPU seconds per page). Pool occupancy comes from the metadata database: the OCR
task instances' start and end times, as slots in use per tenth of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.machine import describe

OUT = Path(__file__).resolve().parent / "out"
TYPES = ("birth", "death", "marriage", "dossier_result")
HEADING = "## Scaling out on the cluster (issue 16)"


def _samples(pages: int, seed: int) -> dict[str, list[Path]]:
    from sohoa.samples import write_samples

    per_type = pages // len(TYPES)
    books: dict[str, list[Path]] = {}
    for n, doc_type in enumerate(TYPES):
        count = per_type + (1 if n < pages - per_type * len(TYPES) else 0)
        folder = OUT / f"scale-{seed}-{pages}" / doc_type
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            write_samples(
                folder, count, seed + n, profile="mixed", formats=("png",), doc_types=[doc_type]
            )
            (folder / ".complete").touch()
        books[doc_type] = sorted(folder.glob("*.png"))
    return books


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and everything below it, reaped descendants included: the
    sum over the living processes of their own and their waited-for children's time."""
    from sohoa.cluster.state import descendants

    ticks = 0
    for p in [pid, *descendants(pid)]:
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def service_cpu(folder) -> dict[str, float]:
    """CPU seconds so far of each service's process tree."""
    from sohoa.cluster import control

    out = {}
    for name, entry in control.read_status(folder)["processes"].items():
        if entry.get("pid") and entry.get("state") in ("healthy", "running"):
            out[name] = tree_cpu(entry["pid"])
    return out


def database_counters(folder) -> dict[str, dict[str, int]]:
    """Committed transactions and rows written per database (``pg_stat_database``)."""
    import psycopg

    from sohoa.cluster import control

    env = control.load_plan(folder).proc("postgres").env
    with psycopg.connect(
        host=env["PGHOST"], port=control.load_plan(folder).proc("postgres").ports[5432],
        user=env["POSTGRES_USER"], dbname=env["POSTGRES_DB"],
    ) as conn:  # fmt: skip
        rows = conn.execute(
            "SELECT datname, xact_commit, tup_inserted + tup_updated + tup_deleted "
            "FROM pg_stat_database WHERE datname IS NOT NULL"
        ).fetchall()
    return {name: {"commits": c, "rows_written": w} for name, c, w in rows}


def _delta(after: dict, before: dict) -> dict:
    out = {}
    for key, value in after.items():
        if isinstance(value, dict):
            out[key] = _delta(value, before.get(key, {}))
        else:
            out[key] = round(value - before.get(key, 0), 1)
    return out


def occupancy(tries, slots: int, parts: int = 10) -> dict:
    """Slots of the OCR pool in use: the mean over the run's OCR phase, and per tenth."""
    spans = [
        (datetime.fromisoformat(t.start).timestamp(), datetime.fromisoformat(t.end).timestamp())
        for t in tries
        if t.task_id == "extract_batch" and t.start and t.end and t.state == "success"
    ]
    if not spans:
        return {"mean_slots": 0.0, "per_tenth": []}
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    busy = sum(e - s for s, e in spans)
    step = (last - first) / parts
    per = []
    for i in range(parts):
        lo, hi = first + i * step, first + (i + 1) * step
        used = sum(max(0.0, min(e, hi) - max(s, lo)) for s, e in spans)
        per.append(round(used / step, 2) if step else 0.0)
    return {
        "ocr_phase_s": round(last - first, 1),
        "mean_slots": round(busy / (last - first), 2) if last > first else float(slots),
        "slots": slots,
        "per_tenth": per,
        "batches": len(spans),
        "mean_batch_s": round(busy / len(spans), 1),
    }


def task_seconds(tries) -> dict[str, dict[str, float]]:
    """Per task: how many tries, and their summed and longest run time (seconds), the
    serial steps (listing, planning, KPIs) beside the mapped ones."""
    out: dict[str, dict[str, float]] = {}
    for t in tries:
        if t.duration is None:
            continue
        row = out.setdefault(t.task_id, {"tries": 0, "sum_s": 0.0, "max_s": 0.0})
        row["tries"] += 1
        row["sum_s"] = round(row["sum_s"] + t.duration, 1)
        row["max_s"] = round(max(row["max_s"], t.duration), 1)
    return out


def landing_keys(folder) -> dict[str, int]:
    """Objects in the landing zone per top-level area (what each run lists)."""
    from sohoa.cluster import runs

    counts: dict[str, int] = {}
    for key in runs.landing(folder).list():
        area = key.split("/", 1)[0]
        counts[area] = counts.get(area, 0) + 1
    return counts


def measure(workers: int, books: dict[str, list[Path]], batch_pages: int) -> dict:
    from sohoa.cluster import control, runs, state

    root = Path(tempfile.mkdtemp(prefix="sohoa-scale-"))
    root.chmod(0o755)
    folder = state.Folder(root / "state")
    variables = {
        "SOHOA_DIGITIZE_SCHEDULE": "none",
        "AIRFLOW_WORKER_CONCURRENCY": "1",
        "SOHOA_OCR_POOL_SLOTS": str(workers),
        "SOHOA_BATCH_PAGES": str(batch_pages),
    }
    try:
        started = time.monotonic()
        control.start(folder, workers, variables, timeout=1800, stop_with=os.getpid())
        start_s = time.monotonic() - started
        for n, (doc_type, paths) in enumerate(books.items()):
            runs.upload(folder, paths, ("25920", doc_type, 2024, f"{n + 1:02d}"))
        client = control.api(folder)
        client.wait_for_dag("sohoa_digitize")
        sup = state.read_pid(folder.supervisor_pid)["pid"]
        services0, db0 = service_cpu(folder), database_counters(folder)
        cpu0, t0 = tree_cpu(sup), time.monotonic()
        run_id = client.trigger("sohoa_digitize")
        final = client.wait_run("sohoa_digitize", run_id, timeout=4 * 3600)
        wall = time.monotonic() - t0
        cpu = tree_cpu(sup) - cpu0
        services = _delta(service_cpu(folder), services0)
        databases = _delta(database_counters(folder), db0)
        from sohoa.cluster.metadata import task_tries

        tries = task_tries(control.metadata_url(folder), "sohoa_digitize", run_id)
        report = runs.run_report(folder, run_id) or {}
        pages = sum(len(p) for p in books.values())
        hosts = sorted({t.hostname for t in tries if t.task_id == "extract_batch"})
        return {
            "workers": workers,
            "state": final,
            "pages": pages,
            "wall_s": round(wall, 1),
            "pages_per_s": round(pages / wall, 4),
            "cpu_s": round(cpu, 1),
            "cpu_s_per_page": round(cpu / pages, 3),
            "cluster_start_s": round(start_s, 1),
            "pool": occupancy(tries, workers),
            "task_tries": len(tries),
            "cpu_s_by_service": services,
            "databases": {k: v for k, v in databases.items() if k in ("airflow", "sohoa")},
            "ocr_hosts": hosts,
            "task_seconds": task_seconds(tries),
            "landing_keys": landing_keys(folder),
            "outcome": {k: report.get(k) for k in ("loaded", "in_review", "rejected")},
            "load_average_end": open("/proc/loadavg").read().split()[:3],
        }
    finally:
        control.stop(folder)
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch-pages", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1616)
    args = parser.parse_args(argv)
    books = _samples(args.pages, args.seed)
    results = [measure(w, books, args.batch_pages) for w in args.workers]
    first = results[0]
    summary = {
        "machine": describe(),
        "command": f"python -m bench.scale --pages {args.pages} --workers "
        + " ".join(map(str, args.workers))
        + f" --batch-pages {args.batch_pages}",
        "results": results,
        "speed-up (wall)": [round(r["pages_per_s"] / first["pages_per_s"], 2) for r in results],
        "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "scale.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
