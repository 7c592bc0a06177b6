"""Task instances read back from Airflow's metadata database: which worker ran each try.

``hostname`` is what the worker's ``[core] hostname_callable`` returned (the container's
name, ``HOSTNAME``; see :mod:`sohoa.cluster.hostname`), ``pid`` the task's process. Earlier
tries of a task (one whose worker died, say) are in ``task_instance_history``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, text


@dataclass(frozen=True)
class TaskTry:
    task_id: str
    map_index: int
    try_number: int
    state: str | None
    hostname: str | None
    pid: int | None
    pool: str | None
    start: str | None
    end: str | None
    duration: float | None


_COLUMNS = "task_id, map_index, try_number, state, hostname, pid, pool, start_date, end_date"


def task_tries(sql_alchemy_conn: str, dag_id: str, run_id: str) -> list[TaskTry]:
    """Every try of every task of the run, earlier tries included, in start order."""
    engine = create_engine(sql_alchemy_conn)
    try:
        with engine.connect() as conn:
            rows = []
            for table in ("task_instance_history", "task_instance"):
                rows += conn.execute(
                    text(f"SELECT {_COLUMNS} FROM {table} WHERE dag_id = :dag AND run_id = :run"),
                    {"dag": dag_id, "run": run_id},
                ).all()
    finally:
        engine.dispose()
    tries = [
        TaskTry(
            r.task_id,
            r.map_index,
            r.try_number,
            r.state,
            r.hostname or None,
            r.pid,
            r.pool,
            r.start_date.isoformat() if r.start_date else None,
            r.end_date.isoformat() if r.end_date else None,
            (r.end_date - r.start_date).total_seconds() if r.start_date and r.end_date else None,
        )
        for r in rows
    ]
    return sorted(tries, key=lambda t: (t.start or "9", t.task_id, t.map_index, t.try_number))
