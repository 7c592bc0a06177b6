"""PostgreSQL servers from Debian's binaries: a throwaway one for the test suite and the
benchmarks (:class:`TempPostgres`), and the kept one of ``sohoa cluster``
(:class:`PostgresServer`, in the cluster's state folder).

Uses ``/usr/lib/postgresql/<ver>/bin`` or ``SOHOA_PG_BIN``. PostgreSQL refuses to run as
root, and CI runs as root: there the server runs as the ``postgres`` OS user, in a folder
that user owns. The throwaway server listens on a unix socket only (no TCP port to collide
with other jobs) and trades durability for speed (``fsync=off``): the data is thrown away
at the end.
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
from sohoa.settings import get_settings


def pg_bin_dir() -> Path:
    override = get_settings().pg_bin
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"))[::-1]
    for cand in candidates:
        if cand and (Path(cand) / "initdb").is_file():
            return Path(cand)
    raise MissingDependencyError(
        "PostgreSQL server binaries not found; install them with "
        "`apt-get install postgresql` or set SOHOA_PG_BIN"
    )


class PostgresServer:
    """A cluster in ``root/data`` with its unix socket in ``root/sock``, run as the
    ``postgres`` OS user when we are root."""

    def __init__(self, root: Path, superuser: str = "postgres") -> None:
        self.bin = pg_bin_dir()
        self.root = Path(root)
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.superuser = superuser
        self.as_postgres = os.geteuid() == 0

    def command(self, *args: str) -> list[str]:
        """``args`` with the binary's full path, as the OS user the server runs as."""
        cmd = [str(self.bin / args[0]), *args[1:]]
        return ["runuser", "-u", "postgres", "--", *cmd] if self.as_postgres else cmd

    def _run(self, *args: str) -> None:
        subprocess.run(
            self.command(*args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def _own(self, path: Path) -> None:
        if self.as_postgres:
            shutil.chown(path, "postgres", "postgres")

    def initdb(self, password: str | None = None, *extra: str) -> None:
        """A new cluster; with ``password``, the superuser's, and TCP clients must give
        theirs (scram-sha-256) while the unix socket trusts local users."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.sock.mkdir(exist_ok=True)
        self._own(self.root)
        self._own(self.sock)
        args = ["initdb", "-D", str(self.data), "-U", self.superuser, "-E", "UTF8"]
        args += ["--locale=C.UTF-8", *extra]
        pwfile = self.root / "pwfile"
        if password is None:
            args += ["-A", "trust"]
        else:
            pwfile.write_text(password + "\n")
            self._own(pwfile)
            args += ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}"]
        try:
            self._run(*args)
        finally:
            pwfile.unlink(missing_ok=True)

    def pg_ctl_start(self, options: str, log: Path | None = None) -> None:
        """Start in the background and wait until it accepts connections."""
        log = log or self.root / "log"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-w", "-t", "60", "-l", str(log), "start"
        )

    def pg_ctl_stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@/{dbname}?host={self.sock}"

    def admin_sql(self, *statements: str, port: int | None = None) -> None:
        """Run statements in autocommit on the ``postgres`` database (CREATE DATABASE...)."""
        import psycopg

        extra = {"port": port} if port else {}
        with psycopg.connect(
            host=str(self.sock), user=self.superuser, dbname="postgres", autocommit=True, **extra
        ) as conn:
            for sql in statements:
                conn.execute(sql)


class TempPostgres(PostgresServer):
    """``start()`` initialises and starts a cluster; ``stop()`` stops it and deletes it."""

    def __init__(self) -> None:
        super().__init__(Path(tempfile.mkdtemp(prefix="sohoa-pg-")))

    def start(self) -> TempPostgres:
        self.initdb(None, "--no-sync")
        opts = (
            f"-k {self.sock} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50 "
            # bulk-load settings: fewer checkpoints, less WAL, room for the working set
            "-c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=4GB "
            "-c shared_buffers=256MB"
        )
        self.pg_ctl_start(opts)
        return self

    def stop(self) -> None:
        try:
            self.pg_ctl_stop("immediate")
        except subprocess.CalledProcessError:
            time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)
