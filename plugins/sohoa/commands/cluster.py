"""``sohoa cluster``: the production topology of ``docker-compose.yml`` on this machine,
without Docker: PostgreSQL, Redis, S3 (MinIO, or moto's server), Airflow's api-server,
scheduler, dag-processor and triggerer, N Celery workers and the web app.

    sohoa cluster [--workers N]          start it; prints where the UIs are
    sohoa cluster status                 each process, its state and health
    sohoa cluster env                    `export` lines for `sohoa upload` and friends
    sohoa cluster trigger [--wait]       start a sohoa_digitize run through the REST API
    sohoa cluster service NAME ACTION    stop|start|restart|kill one process
    sohoa cluster stop                   stop what it started, and nothing else
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from ocr.errors import ConfigurationError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cluster",
        help="start the production topology (Airflow, Celery workers, Redis, PostgreSQL, S3)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "action",
        nargs="?",
        default="start",
        choices=["start", "stop", "status", "env", "trigger", "service"],
    )
    p.add_argument("name", nargs="?", help="service: the process (airflow-worker-1, redis...)")
    p.add_argument(
        "service_action",
        nargs="?",
        choices=["stop", "start", "restart", "kill"],
        help=argparse.SUPPRESS,
    )
    p.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="the cluster's state folder (default: SOHOA_CLUSTER_DIR or ./.sohoa/cluster)",
    )
    p.add_argument("--workers", type=int, default=2, help="Celery workers to start (default 2)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="VAR=VALUE",
        help="a compose variable (as in .env), e.g. --set AIRFLOW_WORKER_CONCURRENCY=1",
    )
    p.add_argument("--timeout", type=float, default=900.0, help="seconds to wait (start, trigger)")
    p.add_argument("--wait", action="store_true", help="trigger: wait for the run to finish")
    p.add_argument(
        "--dag", default="sohoa_digitize", help="trigger: the DAG (default sohoa_digitize)"
    )
    p.set_defaults(func=run)


def _folder(args: argparse.Namespace):
    from sohoa.cluster import control, state

    return state.Folder(args.dir.resolve()) if args.dir else control.default_folder()


def _variables(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise ConfigurationError(f"--set wants VAR=VALUE, not {pair!r}")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def run(args: argparse.Namespace) -> int:
    from sohoa.cluster import control

    folder = _folder(args)
    action = args.action
    if action == "start":
        print(f"starting the cluster in {folder.root} ...", file=sys.stderr)
        plan = control.start(folder, args.workers, _variables(args.set), args.timeout)
        _print_where(plan, folder)
        return 0
    if action == "stop":
        if not control.supervisor_running(folder):
            print(f"no cluster running from {folder.root}", file=sys.stderr)
        left = control.stop(folder)
        if left:
            print(f"stopped without the supervisor: {', '.join(left)}", file=sys.stderr)
        print("stopped", file=sys.stderr)
        return 0
    if action == "status":
        return _status(folder)
    if action == "env":
        for key, value in sorted(control.client_env(folder).items()):
            print(f"export {key}={shlex.quote(value)}")
        return 0
    if action == "trigger":
        return _trigger(folder, args)
    if action == "service":
        if not args.name or not args.service_action:
            raise ConfigurationError("usage: sohoa cluster service NAME stop|start|restart|kill")
        entry = control.request(folder, args.name, args.service_action, args.timeout)
        print(f"{args.name}: {entry.get('state')}", file=sys.stderr)
        return 0
    raise ConfigurationError(f"unknown action {action}")  # pragma: no cover


def _print_where(plan, folder) -> None:
    from sohoa.cluster.control import api

    client = api(folder)
    lines = [
        "",
        "the cluster is up:",
        f"  Airflow UI and REST API: {plan.urls.get('airflow')}  "
        f"(user {client.username}, password {client.password}: set them in .env)",
        f"  sohoa web app:           {plan.urls.get('web')}",
        f"  S3 landing zone:         {plan.urls.get('s3')}",
        f"  state, logs, pid files:  {folder.root}",
        "",
        f'  eval "$(sohoa cluster env --dir {folder.root})"   # then sohoa upload ...',
        f"  sohoa cluster trigger --wait --dir {folder.root}",
        f"  sohoa cluster stop --dir {folder.root}",
    ]
    print("\n".join(lines))


def _status(folder) -> int:
    from sohoa.cluster import control

    plan = control.load_plan(folder)
    status = control.read_status(folder)
    running = control.supervisor_running(folder)
    print(f"cluster in {folder.root}: {status.get('phase') if running else 'not running'}")
    s3 = plan.urls.get("s3")
    worst = 0
    for proc in plan.procs:
        entry = status.get("processes", {}).get(proc.name, {})
        line = f"  {proc.name:24} {entry.get('state', '?'):10} pid {entry.get('pid', '-')}"
        if running and not proc.oneshot and entry.get("state") in ("healthy", "running"):
            ok, said = _checked(proc, s3)
            line += f"  {'healthy' if ok else 'UNHEALTHY'}: {said}"
            worst = worst or (0 if ok else 1)
        if entry.get("restarts"):
            line += f"  (restarted {entry['restarts']}×)"
        print(line)
    for url_name, url in plan.urls.items():
        print(f"  {url_name}: {url}")
    return worst if running else 1


def _checked(proc, s3: str | None) -> tuple[bool, str]:
    """The health check as Compose judges it: unhealthy after ``retries`` failures in a
    row (a busy machine may miss one)."""
    import time

    from sohoa.cluster.health import check

    for attempt in range(max(1, proc.health.retries)):
        ok, said = check(proc, s3)
        if ok:
            return ok, said
        if attempt + 1 < proc.health.retries:
            time.sleep(2)
    return ok, said


def _trigger(folder, args) -> int:
    from sohoa.cluster import control
    from sohoa.cluster.metadata import task_tries

    client = control.api(folder)
    client.wait_for_dag(args.dag, timeout=args.timeout)
    run_id = client.trigger(args.dag)
    print(f"triggered {args.dag}: run {run_id}", file=sys.stderr)
    if not args.wait:
        print(run_id)
        return 0
    state = client.wait_run(args.dag, run_id, args.timeout)
    tries = task_tries(control.metadata_url(folder), args.dag, run_id)
    print(json.dumps({"run_id": run_id, "state": state}, indent=None))
    for t in tries:
        where = f"{t.hostname or '?'} pid {t.pid or '?'}"
        index = f"[{t.map_index}]" if t.map_index >= 0 else ""
        print(f"  {t.task_id}{index} try {t.try_number}: {t.state} on {where}", file=sys.stderr)
    return 0 if state == "success" else 1
