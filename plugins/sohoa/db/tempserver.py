"""A throwaway PostgreSQL server for the test suite and the benchmarks.

Uses Debian's binaries (``/usr/lib/postgresql/<ver>/bin`` or ``SOHOA_PG_BIN``). PostgreSQL
refuses to run as root, and CI runs as root: there the server runs as the ``postgres``
OS user, in a temporary directory that user owns. It listens on a unix socket only (no
TCP port to collide with other jobs) and trades durability for speed (``fsync=off``):
the data is thrown away at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ocr.errors import MissingDependencyError


def pg_bin_dir() -> Path:
    override = os.environ.get("SOHOA_PG_BIN")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"))[::-1]
    for cand in candidates:
        if cand and (Path(cand) / "initdb").is_file():
            return Path(cand)
    raise MissingDependencyError(
        "PostgreSQL server binaries not found; install them with "
        "`apt-get install postgresql` or set SOHOA_PG_BIN"
    )


class TempPostgres:
    """``start()`` initialises and starts a cluster; ``stop()`` stops it and deletes it."""

    def __init__(self) -> None:
        self.bin = pg_bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="sohoa-pg-"))
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> TempPostgres:
        self.sock.mkdir()
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        opts = (
            f"-k {self.sock} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50 "
            # bulk-load settings: fewer checkpoints, less WAL, room for the working set
            "-c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=4GB "
            "-c shared_buffers=256MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "log"),
            "start",
        )
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{dbname}?host={self.sock}"

    def admin_sql(self, *statements: str) -> None:
        """Run statements in autocommit on the ``postgres`` database (CREATE DATABASE...)."""
        import psycopg

        with psycopg.connect(
            host=str(self.sock), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            for sql in statements:
                conn.execute(sql)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)
