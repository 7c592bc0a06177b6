"""Load benchmark (issue 3): 100,000 generated records into PostgreSQL, then a rerun.

    .venv/bin/python -m bench.load_bench [--records 100000] [--books 20] [--workers 2]
                                         [--no-write]

Starts a throwaway PostgreSQL (Debian's binaries; ``SOHOA_BENCH_DB_URL`` to use another
server's empty database instead), migrates it, loads the records book by book (one
transaction per book; ``--workers`` processes, each with its own connection, load books
at the same time, as Airflow's mapped load tasks do) through
``sohoa.load.transaction.load_records`` and reloads the same input.
The rerun must change zero rows (every table's content is fingerprinted before and after).
The Great Expectations gate runs before the transaction; its cost is measured on one book
and reported apart. Figures go to BENCHMARKS.md under "## Load (issue 3)".
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import time
from pathlib import Path

from sqlalchemy import text

from bench.database import bench_database
from bench.machine import host
from ocr.book import Book
from sohoa.db.engine import make_engine
from sohoa.db.migrate import upgrade
from sohoa.db.tables import metadata
from sohoa.load.synthetic import make_book
from sohoa.load.transaction import load_records

HEADING = "## Load (issue 3)"
ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{host()}; load average at the end of the run: {load}"


def server_cpu_seconds(server) -> float:
    """CPU time used so far by the throwaway server's processes, live or exited (/proc).

    An exited backend's time moves into the postmaster's children's total when it is
    reaped. A reaping between reading the postmaster and reading its children would lose
    or count twice that backend's time (it lost half the server's time of one run), so
    the reading is taken again until the postmaster's totals stayed the same across it."""
    if server is None:
        return float("nan")
    master = int((server.data / "postmaster.pid").read_text().split()[0])
    tck = os.sysconf("SC_CLK_TCK")
    for _ in range(50):
        before = _stat(master)
        children = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            fields = _fields(stat)
            if fields is not None and int(fields[1]) == master:
                children += int(fields[11]) + int(fields[12])
        after = _stat(master)
        if before == after:
            return (sum(before) + children) / tck
        time.sleep(0.05)
    raise RuntimeError("the server's processes kept exiting: no steady CPU reading")


def machine_ticks() -> dict[str, int]:
    """The machine's CPU time so far, in clock ticks: busy, idle and steal (/proc/stat).

    Steal is time the hypervisor gave this virtual machine's cores to someone else. It
    tells a run slowed by a busy host from a run slowed by the code; in session 6's runs
    it stayed at 0-2 %, and the runs differed by what a record cost in CPU instead."""
    with open("/proc/stat", encoding="utf-8") as stat:
        user, nice, system, idle, iowait, irq, softirq, steal = map(
            int, stat.readline().split()[1:9]
        )
    return {
        "busy": user + nice + system + irq + softirq,
        "idle": idle + iowait,
        "steal": steal,
    }


def _share(before: dict[str, int], after: dict[str, int], part: str) -> float:
    total = sum(after.values()) - sum(before.values())
    return (after[part] - before[part]) / total if total else float("nan")


def _stat(pid: int) -> tuple[int, int, int, int]:
    """utime, stime and the reaped children's cutime, cstime of ``pid``."""
    fields = _fields(Path(f"/proc/{pid}/stat"))
    if fields is None:
        raise RuntimeError(f"process {pid} is gone")
    return int(fields[11]), int(fields[12]), int(fields[13]), int(fields[14])


def _fields(stat: Path) -> list[str] | None:
    """The fields of a /proc/PID/stat after the command name (None: the process is gone)."""
    try:
        raw = stat.read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def fingerprint(engine) -> dict[str, tuple[int, str]]:
    """Per table: row count and md5 of all rows in primary-key order (PostgreSQL)."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = ", ".join(f"t.{c.name}" for c in table.primary_key.columns) or "t::text"
            out[table.name] = tuple(
                conn.execute(
                    text(
                        "SELECT count(*), coalesce(md5(string_agg(t::text, '|' "
                        f"ORDER BY {order})), '') FROM {table.name} t"
                    )
                ).one()
            )
    return out


def books(total: int, count: int) -> list[tuple[Book, list[dict]]]:
    """``count`` birth books spread over 1990-2024 (IDs printed from 2016 on)."""
    per = total // count
    out = []
    for i in range(count):
        year = 1990 + (i * 35) // count  # distinct years while count <= 35
        book = Book(f"{26000 + i % 5}", "birth", year, f"{i:02d}", per, "bench")
        out.append((book, make_book("birth", year, f"{i:02d}", per, seed=i)))
    return out


_LOADS: list[tuple[Book, list[dict]]] = []  # set before the workers fork
_ENGINE = None  # one per worker process


def _worker_start(url: str) -> None:
    global _ENGINE
    _ENGINE = make_engine(url)


def _load_one(i: int):
    book, recs = _LOADS[i]
    return load_records(_ENGINE, recs, book, gate=None)


def load_all(engine, url: str, loads, workers: int) -> tuple[list, float, float]:
    """(summaries, wall seconds, loader CPU seconds): every book, ``workers`` at a time."""
    t0, c0 = time.perf_counter(), _own_and_children_cpu()
    if workers <= 1:
        done = [load_records(engine, recs, book, gate=None) for book, recs in loads]
        return done, time.perf_counter() - t0, _own_and_children_cpu() - c0
    _LOADS[:] = loads
    engine.dispose()  # no connection may be shared with the forked workers
    pool = multiprocessing.get_context("fork").Pool(workers, _worker_start, (url,))
    try:
        done = pool.map(_load_one, range(len(loads)), chunksize=1)
    finally:
        pool.close()
        pool.join()  # reaped: their CPU time is now in RUSAGE_CHILDREN
    return done, time.perf_counter() - t0, _own_and_children_cpu() - c0


def _own_and_children_cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def run(
    total: int, count: int, workers: int = 2, durable: bool = True
) -> dict[str, float | int | str]:
    with bench_database(durable) as (url, server):
        engine = upgrade(url)
        t0 = time.perf_counter()
        loads = books(total, count)
        generate = time.perf_counter() - t0
        n = sum(len(r) for _, r in loads)
        s0, m0 = server_cpu_seconds(server), machine_ticks()
        first, first_s, client_cpu = load_all(engine, url, loads, workers)
        server_cpu = server_cpu_seconds(server) - s0
        m1 = machine_ticks()
        load_1 = os.getloadavg()[0]
        before = fingerprint(engine)
        again, rerun_s, _ = load_all(engine, url, loads, workers)
        after = fingerprint(engine)
        changed_tables = [t for t in before if before[t] != after[t]]
        gate_s = _gate_seconds(loads[0])
        engine.dispose()
    return {
        "records": n,
        "books": count,
        "workers": workers,
        "durable": durable,
        "load_1": load_1,
        "busy_share": _share(m0, m1, "busy"),
        "steal_share": _share(m0, m1, "steal"),
        "generate_s": generate,
        "first_s": first_s,
        "first_rate": n / first_s,
        "client_us": client_cpu / n * 1e6,
        "server_us": server_cpu / n * 1e6,
        "rerun_s": rerun_s,
        "rerun_rate": n / rerun_s,
        "rerun_share": rerun_s / first_s,
        "loaded": sum(s.loaded for s in first),
        "rerun_loaded": sum(s.loaded for s in again),
        "rerun_skipped": sum(s.skipped_existing for s in again),
        "changed_tables": ", ".join(changed_tables) or "none",
        "rows": sum(c for c, _ in after.values()),
        "gate_book": len(loads[0][1]),
        "gate_s": gate_s,
    }


def _gate_seconds(load: tuple[Book, list[dict]]) -> float:
    import tempfile

    import great_expectations  # noqa: F401  (import time is not the gate's per-load cost)

    from sohoa.gate.validate import run_gate

    book, recs = load
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        run_gate(recs, book, out_dir=Path(out))
        return time.perf_counter() - t0


def report(r: dict) -> str:
    ok_rate = "met" if r["first_rate"] >= 10_000 else "NOT met"
    ok_rerun = "met" if r["rerun_share"] <= 0.20 and r["changed_tables"] == "none" else "NOT met"
    per_book = r["records"] // r["books"]
    total_us = r["client_us"] + r["server_us"]
    rows = [
        (
            "first load",
            f"{r['records']:,} records in {r['first_s']:.1f} s = "
            f"**{r['first_rate']:,.0f} records/s** (target >= 10,000: {ok_rate})",
        ),
        (
            "rerun of the same input",
            f"{r['rerun_s']:.2f} s = {r['rerun_rate']:,.0f} records/s, "
            f"**{r['rerun_share']:.1%} of the first load** (target <= 20 %: {ok_rerun})",
        ),
        (
            "rows changed by the rerun",
            f"tables whose content changed: {r['changed_tables']}; "
            f"records loaded by the rerun: {r['rerun_loaded']}, skipped as known: "
            f"{r['rerun_skipped']:,}",
        ),
        (
            "CPU per record, first load",
            f"loader {r['client_us']:.0f} µs + PostgreSQL {r['server_us']:.0f} µs "
            f"(all its processes, autovacuum included) = {total_us:.0f} µs; two idle cores "
            f"busy with nothing else could do at most ~{2e6 / total_us:,.0f} records/s",
        ),
        ("load average (1 min) at the end of the first load", f"{r['load_1']:.1f}"),
        (
            "the machine during the first load (/proc/stat)",
            f"both cores busy {r['busy_share']:.0%} of the time; taken by the hypervisor "
            f"(steal) {r['steal_share']:.0%}",
        ),
        ("rows in the database", f"{r['rows']:,} (records, scans, persons, links)"),
        (
            "GX gate, one book",
            f"{r['gate_book']:,} records in {r['gate_s']:.1f} s "
            f"({r['gate_book'] / r['gate_s']:,.0f} records/s; before the transaction, once per "
            "load; not in the figures above)",
        ),
    ]
    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    server = (
        "production settings (fsync, synchronous_commit and full_page_writes on, "
        "wal_level=replica; sizes as in `deploy/postgres/20-sohoa-load-settings.sh`)"
        if r["durable"]
        else "the test suite's settings (fsync=off, synchronous_commit=off: not for production)"
    )
    return f"""{HEADING}

Command: `.venv/bin/python -m bench.load_bench --workers {r["workers"]}`: {r["records"]:,}
generated birth records in {r["books"]} books of {per_book:,}, one transaction per book,
{r["workers"]} books at a time (worker processes, one connection each, as Airflow's mapped
load tasks run), into a throwaway PostgreSQL 15 started by the benchmark with {server};
the writer alone (`load_records(..., gate=None)`).

| measure | figure |
|---|---|
{table}

Machine: {machine()}.
The machine's two cores are shared on the host: the same code varies by 15-30 % from one
run to the next, CPU time included. `python -m bench.load_instructions` counts
instructions per record instead (valgrind), which repeat to within 0.1 %. How the figures
moved, change by change, and runs interleaved with older code: the next section.
"""


def write_section(body: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Replace (or append) this benchmark's section, leaving the others untouched."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = (
        pattern.sub(lambda _: body + "\n", old)
        if pattern.search(old)
        else old.rstrip("\n") + "\n\n" + body
    )
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--books", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=2, help="books loaded at the same time (processes)"
    )
    parser.add_argument(
        "--fast-server",
        action="store_true",
        help="keep the test server's fsync=off settings instead of the production ones",
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    args = parser.parse_args()
    body = report(run(args.records, args.books, args.workers, not args.fast_server))
    print(body)
    if not args.no_write:
        write_section(body)


if __name__ == "__main__":
    main()
