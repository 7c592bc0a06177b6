"""Instructions per loaded record, counted by valgrind (issue 3): a figure that does not move.

    .venv/bin/python -m bench.load_instructions [--preload 20000] [--records 10000]

On a shared machine the load benchmark's time, and even its CPU time, vary by 15-30 %
from one run to the next (``bench.load_bench``). An instruction count is the same to
within 0.1 %, so a change of a few percent in the loader or the schema shows. It is not a
time: cache misses and locks are not in it. Needs Debian's ``valgrind`` (not installed by
the project: ``apt-get install valgrind``).

What it does: a throwaway PostgreSQL with the production settings (``bench.database``,
autovacuum off so that nothing runs at its own times) gets ``--preload`` generated birth
records, then is restarted under callgrind. The next ``--records`` records are loaded
(books of 5,000, one worker, ``load_records(..., gate=None)``) by a loader process that is
itself under callgrind; the figures are the loader's instructions (Python included) and
those of the server process that served it, each divided by the records.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.database import DURABLE_OPTIONS
from bench.load_bench import books

_BOOK = 5000
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preload", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=10_000)
    args = parser.parse_args()
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode:
        sys.exit("valgrind is not installed: apt-get install valgrind")
    client, server = measure(args.preload, args.records)
    print(
        f"{args.records:,} records onto {args.preload:,}: loader {client:,.0f} + "
        f"PostgreSQL {server:,.0f} = {client + server:,.0f} instructions per record"
    )


def measure(preload: int, records: int) -> tuple[float, float]:
    from sohoa.db.migrate import upgrade
    from sohoa.db.tempserver import TempPostgres
    from sohoa.load.transaction import load_records

    server = TempPostgres().start()
    try:
        server.admin_sql("CREATE DATABASE bench")
        engine = upgrade(server.url("bench"))
        batches = books(preload + records, (preload + records) // _BOOK)
        for meta, recs in batches[: preload // _BOOK]:
            load_records(engine, recs, meta, gate=None)
        engine.dispose()
        server.admin_sql("CHECKPOINT")
        server._run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")
        out = server.root / "callgrind"
        out.mkdir()
        if os.geteuid() == 0:
            shutil.chown(out, "postgres", "postgres")  # the server writes its counts here
        _start_under_callgrind(server, out)
        loader, pid = _loader_instructions(server.url("bench"), preload, records, out)
        return loader / records, _total(out / f"cg.{pid}") / records
    finally:
        server.stop()


def _start_under_callgrind(server, out: Path) -> subprocess.Popen:
    cmd = [
        "valgrind", "--tool=callgrind", "--trace-children=yes",
        f"--callgrind-out-file={out}/cg.%p", str(server.bin / "postgres"), "-D", str(server.data),
        "-k", str(server.sock), "-c", "listen_addresses=", "-c", "autovacuum=off",
        *DURABLE_OPTIONS.split(),
    ]  # fmt: skip
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import psycopg

    for _ in range(600):
        try:
            psycopg.connect(host=str(server.sock), user="postgres", dbname="postgres").close()
            return proc
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise RuntimeError("PostgreSQL under valgrind did not start")


def _loader_instructions(url: str, preload: int, records: int, out: Path) -> tuple[int, int]:
    """(instructions, server pid): the load, in a loader process under callgrind whose
    counting is switched on for the load alone."""
    script = out / "loader.py"
    script.write_text(_LOADER.format(url=url, preload=preload, records=records))
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}/loader.out",
            sys.executable,
            str(script),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": _pythonpath()},
        check=True,
    )
    pid = int(result.stdout.split("PID")[1].split()[0])
    collected = re.search(r"Collected : (\d+)", result.stderr)
    if not collected or int(collected[1]) == 0:
        raise RuntimeError("callgrind counted nothing in the loader:\n" + result.stderr[-2000:])
    return int(collected[1]), pid


def _pythonpath() -> str:
    """The loader's import path: this checkout first (``bench``), then the caller's."""
    return os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))


def _total(path: Path) -> int:
    for _ in range(120):
        if path.exists():
            for line in path.read_text().splitlines():
                if line.startswith(("summary:", "totals:")):
                    return int(line.split()[1])
        time.sleep(1)
    raise RuntimeError(f"no callgrind totals in {path}")


_LOADER = """
import os, subprocess
from sqlalchemy import text
from bench.load_bench import books
from sohoa.db.engine import make_engine
from sohoa.load.transaction import load_records
batches = books({preload} + {records}, ({preload} + {records}) // 5000)[{preload} // 5000:]
engine = make_engine({url!r})
with engine.connect() as conn:
    pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
me = str(os.getpid())
subprocess.run(["callgrind_control", "-i", "on", me], stdout=subprocess.DEVNULL, check=True)
for meta, recs in batches:
    load_records(engine, recs, meta, gate=None)
subprocess.run(["callgrind_control", "-i", "off", me], stdout=subprocess.DEVNULL, check=True)
with engine.connect() as conn:
    assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == pid, "one connection"
engine.dispose()
print("PID", pid)
"""


if __name__ == "__main__":
    main()
