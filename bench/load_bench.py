"""Load benchmark (issue 3): 100,000 generated records into PostgreSQL, then a rerun.

    .venv/bin/python -m bench.load_bench [--records 100000] [--books 20] [--workers 2]
                                         [--no-write]

Starts a throwaway PostgreSQL (Debian's binaries; ``SOHOA_BENCH_DB_URL`` to use another
server's empty database instead), migrates it, loads the records book by book (one
transaction per book; ``--workers`` processes, each with its own connection, load books
at the same time, as Airflow's mapped load tasks do) through
``sohoa.load.batch.load_batch`` and reloads the same input.
The rerun must change zero rows (every table's content is fingerprinted before and after).
The Great Expectations gate runs before the transaction; its cost is measured on one book
and reported apart. Figures go to BENCHMARKS.md under "## Load (issue 3)".
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import resource
import time
from pathlib import Path

from sqlalchemy import text

from bench.database import bench_database
from sohoa.db.engine import make_engine
from sohoa.db.migrate import upgrade
from sohoa.db.tables import metadata
from sohoa.load.batch import load_batch
from sohoa.load.book import BookMeta
from sohoa.load.synthetic import make_book

HEADING = "## Load (issue 3)"
ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), cpu)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"nproc {os.cpu_count()}, {cpu}, {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average at "
        f"the end of the run: {load}"
    )


def server_cpu_seconds(server) -> float:
    """CPU time used so far by the throwaway server's processes, live or exited (/proc)."""
    if server is None:
        return float("nan")
    master = int((server.data / "postmaster.pid").read_text().split()[0])
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        if int(stat.parent.name) == master:  # and its exited children (closed connections)
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        elif int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


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


def books(total: int, count: int) -> list[tuple[BookMeta, list[dict]]]:
    """``count`` birth books spread over 1990-2024 (IDs printed from 2016 on)."""
    per = total // count
    out = []
    for i in range(count):
        year = 1990 + (i * 35) // count  # distinct years while count <= 35
        meta = BookMeta(f"{26000 + i % 5}", "birth", year, f"{i:02d}", per, "bench")
        out.append((meta, make_book("birth", year, f"{i:02d}", per, seed=i)))
    return out


_BATCHES: list[tuple[BookMeta, list[dict]]] = []  # set before the workers fork
_ENGINE = None  # one per worker process


def _worker_start(url: str) -> None:
    global _ENGINE
    _ENGINE = make_engine(url)


def _load_one(i: int):
    meta, recs = _BATCHES[i]
    return load_batch(_ENGINE, recs, meta, gate=None)


def load_all(engine, url: str, batches, workers: int) -> tuple[list, float, float]:
    """(summaries, wall seconds, loader CPU seconds): every book, ``workers`` at a time."""
    t0, c0 = time.perf_counter(), _own_and_children_cpu()
    if workers <= 1:
        done = [load_batch(engine, recs, meta, gate=None) for meta, recs in batches]
        return done, time.perf_counter() - t0, _own_and_children_cpu() - c0
    _BATCHES[:] = batches
    engine.dispose()  # no connection may be shared with the forked workers
    pool = multiprocessing.get_context("fork").Pool(workers, _worker_start, (url,))
    try:
        done = pool.map(_load_one, range(len(batches)), chunksize=1)
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
        batches = books(total, count)
        generate = time.perf_counter() - t0
        n = sum(len(r) for _, r in batches)
        s0 = server_cpu_seconds(server)
        first, first_s, client_cpu = load_all(engine, url, batches, workers)
        server_cpu = server_cpu_seconds(server) - s0
        load_1 = os.getloadavg()[0]
        before = fingerprint(engine)
        again, rerun_s, _ = load_all(engine, url, batches, workers)
        after = fingerprint(engine)
        changed_tables = [t for t in before if before[t] != after[t]]
        gate_s = _gate_seconds(batches[0])
        engine.dispose()
    return {
        "records": n,
        "books": count,
        "workers": workers,
        "durable": durable,
        "load_1": load_1,
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
        "gate_book": len(batches[0][1]),
        "gate_s": gate_s,
    }


def _gate_seconds(batch: tuple[BookMeta, list[dict]]) -> float:
    import tempfile

    import great_expectations  # noqa: F401  (import time is not the gate's per-batch cost)

    from sohoa.gate.validate import run_gate

    meta, recs = batch
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        run_gate(recs, meta, out_dir=Path(out))
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
        ("rows in the database", f"{r['rows']:,} (records, scans, persons, links)"),
        (
            "GX gate, one book",
            f"{r['gate_book']:,} records in {r['gate_s']:.1f} s "
            f"({r['gate_book'] / r['gate_s']:,.0f} records/s; before the transaction, once per "
            "batch; not in the figures above)",
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
the writer alone (`load_batch(..., gate=None)`).

| measure | figure |
|---|---|
{table}

Machine: {machine()}.
The machine is shared with other jobs (OCR benchmarks of other issues): the wall-clock
figures depend on how much of the two cores the load got. The CPU per record varies too:
176 to 346 µs for the same code this evening, not always with the load average seen
inside this virtual machine (its cores are shared on the host).

This session's runs (24 Nov 2026 01:11-01:17, nothing else running, load average 1.3-1.8
at the end of each): 8,061 / 9,761 / 8,560 / 7,583 records/s (the table above is the last),
at 235 / 192 / 217 / 244 µs of CPU per record. Still short of 10,000; what changed since
the previous session's 5,738:

- **Candidate persons by index** (`sohoa.people.link`, migration 0004): an expression
  index on (name, month * 100 + day of birth) answers "same name, same birthday in
  another year", and the candidate queries run with `random_page_cost = 1.1` for their
  transaction. With PostgreSQL's default of 4 the planner hashed the whole person table
  for every batch (EXPLAIN at 100,000 persons: 193 and 169 ms for two of the queries;
  42 and 34 ms probing the indexes).
- **The benchmark's books now spread over 1990-2024 as documented.** `1990 + (i * 7) % 35`
  gave only five years, so 20,000 births a year piled up as namesakes: up to 1,800
  possible-duplicate flags per 5,000-record book, against 150-420 now. The earlier figures
  were measured on that data.
- Measured and left: per-row foreign-key checks are the largest server cost (EXPLAIN of a
  5,000-row insert, measured while other jobs ran: 8-20 µs per row for each of the two on
  `civil_record`, 11-14 for each of the two on `record_person`, about 10 for `scan`'s
  book); the issue asks for those constraints, so they
  stay. The KPI trigger costs about 12 µs per record; a plain INSERT instead of its
  upsert, more `work_mem` for its transition table, or dropping its partial index made
  no difference beyond the noise.

Before/after, measured interleaved (old code, new code, old, ...: 40,000 records, same
benchmark, 23 Nov 2026 21:57-22:03, load average 2-5.5; single runs vary by up to 2x
here, CPU time included, so compare the pairs, not runs of different hours):

| code | records/s (three runs) | CPU per record: loader + PostgreSQL |
|---|---|---|
| before (one load at a time) | 2,316 / 3,026 / 3,118 | 156+207, 145+162, 144+167 µs |
| after, one worker | 3,051 / 4,333 / 4,111 | 89+130, 87+138, 102+154 µs |
| after, two workers | 4,475 / 4,564 / 6,608 | 115+150, 114+144, 116+158 µs |

Runs of the full benchmark (100,000 records, two workers) the same evening: 2,959 to
9,149 records/s (the best at load average 3.3, 87+118 µs CPU per record). In the same
quiet minutes, trials with schema changes not made here: foreign keys of the hot tables
dropped 10,649 records/s (85+89 µs), and the KPI triggers too 11,232 records/s (81+77 µs).

How the writer spends its CPU, and what is left (trials of 23 Nov 2026, 20,000 records,
one worker): loader about 85 µs per record (formatting COPY text a column at a time, as
UTF-8 bytes with the JSON left as msgspec writes it; the rest is reading the SPEC-3 dicts
and building identities), PostgreSQL about 130 µs, growing with the person table (about
170 µs on average over 100,000 records). Server side per record: `civil_record` about
65 µs (two foreign-key checks about 20, the KPI trigger of issue 5 about 12, validating
the `fields` JSON about 10), `scan` about 28, `record_person` about 24 (its two
foreign-key checks most of it), `person` about 13, candidate person queries 13 at 20,000
persons and about 45 at 100,000 (same name and same day of year has no index: the
planner scans every namesake). Not done here, each a decision beyond the loader: dropping
foreign keys (about 35 µs; none is redundant today), an index on (name_key, month, day of
birth) (`sohoa.db.tables`), a cheaper KPI trigger.

Concurrency: books load in parallel (one transaction each); two loads of one book take
turns (a per-book advisory lock), and people are linked one transaction at a time (a
lock held from the candidate query to commit, so that parallel loads never create the
same person twice); a load that loses a race on a page or unit is retried whole.
Durability: the production settings cost about the same CPU as fsync=off here (a few
large transactions); `synchronous_commit=off` would only save the one flush per book.
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
