"""What a container's image does before (or instead of) its main process, done here.

- ``postgres``: on an empty data folder, the official image's entrypoint creates the
  cluster with ``POSTGRES_USER``/``POSTGRES_PASSWORD``, creates ``POSTGRES_DB``, runs the
  scripts mounted at ``/docker-entrypoint-initdb.d`` (``deploy/postgres/``) and restarts;
- ``minio-init``: creates the landing bucket (``mc mb --ignore-existing``);
- ``airflow-init``: the image's entrypoint migrates the metadata database
  (``_AIRFLOW_DB_MIGRATE``) and creates the admin user (``_AIRFLOW_WWW_USER_CREATE``)
  before the service's own script, which runs as the compose file writes it, with
  ``/entrypoint`` calling the command directly and ``chown`` left out (one OS user here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from ocr.errors import ConfigurationError
from sohoa.cluster.plan import LOCAL_HOST, Proc


def prepare_postgres(proc: Proc, log: TextIO) -> None:
    """Initialise the data folder once, as the postgres image does on an empty volume."""
    from sohoa.db.tempserver import PostgresServer

    env = proc.env
    root = Path(proc.data["root"])
    user = env.get("POSTGRES_USER") or "postgres"
    server = PostgresServer(root, superuser=user)
    if (server.data / "PG_VERSION").is_file():
        return
    print(f"initialising PostgreSQL in {server.data}", file=log, flush=True)
    root.mkdir(parents=True, exist_ok=True)
    if server.as_postgres:
        reach = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(root.parent)])
        if reach.returncode != 0:
            raise ConfigurationError(
                f"PostgreSQL runs as the postgres OS user, who cannot enter {root.parent}: "
                "put the cluster's folder (--dir) where every user may pass"
            )
    server.initdb(env.get("POSTGRES_PASSWORD") or None)
    port = proc.ports[5432]
    server.pg_ctl_start(f"-k {server.sock} -c listen_addresses='' -p {port}")
    try:
        dbname = env.get("POSTGRES_DB") or user
        if dbname != "postgres":
            server.admin_sql(f'CREATE DATABASE "{dbname}"', port=port)
        folder = proc.data.get("initdb")
        scripts = sorted(Path(folder).glob("*.sh")) if folder else []
        for script in scripts:
            print(f"running {script.name}", file=log, flush=True)
            subprocess.run(
                ["bash", str(script)],
                env={**env, "PGHOST": str(server.sock), "PGPORT": str(port)},
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    finally:
        server.pg_ctl_stop("fast")


def prepare_folder(proc: Proc) -> None:
    folder = proc.data.get("folder")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)


def s3_client(endpoint: str, env: dict[str, str]):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=env.get("MINIO_ROOT_USER") or env.get("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=env.get("MINIO_ROOT_PASSWORD") or env.get("AWS_SECRET_ACCESS_KEY"),
        region_name="us-east-1",
        config=Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 1}),
    )


def make_bucket(proc: Proc, endpoint: str, log: TextIO) -> None:
    """``mc mb --ignore-existing local/$SOHOA_BUCKET``, then list it (as minio-init)."""
    bucket = proc.data.get("bucket")
    if not bucket:
        raise ConfigurationError("minio-init names no bucket (SOHOA_BUCKET)")
    client = s3_client(endpoint, proc.env)
    have = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if bucket not in have:
        client.create_bucket(Bucket=bucket)
    client.list_objects_v2(Bucket=bucket, MaxKeys=1)
    print(f"bucket {bucket} ready at {endpoint}", file=log, flush=True)


def entrypoint_prologue(env: dict[str, str]) -> str:
    """What the official image's entrypoint does first, as shell lines."""
    lines = ["set -euo pipefail"]
    if env.get("_AIRFLOW_DB_MIGRATE", "").lower() == "true":
        lines.append("airflow db migrate")
    if env.get("_AIRFLOW_WWW_USER_CREATE", "").lower() == "true":
        lines.append(
            'airflow users create --username "$_AIRFLOW_WWW_USER_USERNAME" '
            '--password "$_AIRFLOW_WWW_USER_PASSWORD" --firstname Airflow --lastname Admin '
            "--email airflowadmin@example.com --role Admin || true"  # as the image: may exist
        )
    return "\n".join(lines)


def init_script(proc: Proc) -> str:
    """The init service's script, run here: the image's first steps, then its lines."""
    body = proc.argv[-1]
    kept = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("chown "):
            continue  # one OS user runs everything here
        kept.append(
            line.replace("/entrypoint ", "", 1) if stripped.startswith("/entrypoint ") else line
        )
    return entrypoint_prologue(proc.env) + "\n" + "\n".join(kept) + "\n"


def run_init(proc: Proc, log: TextIO, cwd: Path) -> int:
    """The init service's script; returns its exit code."""
    return subprocess.run(
        ["bash", "-c", init_script(proc)],
        env=proc.env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    ).returncode


def python_exe() -> str:
    return sys.executable


def local_url(port: int) -> str:
    return f"http://{LOCAL_HOST}:{port}"


def ensure_dirs(proc: Proc) -> None:
    """Folders a process writes into that its container would have had."""
    for key in ("AIRFLOW_HOME", "AIRFLOW__LOGGING__BASE_LOG_FOLDER"):
        if proc.env.get(key):
            Path(proc.env[key]).mkdir(parents=True, exist_ok=True)
    config = proc.env.get("AIRFLOW_CONFIG")
    if config:
        Path(config).parent.mkdir(parents=True, exist_ok=True)
    for key in ("SOHOA_VALIDATION_DIR", "SOHOA_REPORTS_DIR"):
        if proc.env.get(key):
            Path(proc.env[key]).mkdir(parents=True, exist_ok=True)
    if proc.env.get("SOHOA_LOOKUP_KEY_FILE"):
        Path(proc.env["SOHOA_LOOKUP_KEY_FILE"]).parent.mkdir(parents=True, exist_ok=True)
    os.makedirs(Path(proc.env.get("HOME", "/root")), exist_ok=True)
