"""Airflow 3's public REST API, as a scheduler-less client would use it: a JWT from
``POST /auth/token`` (the auth manager's token endpoint; FAB's takes a username and a
password), then ``/api/v2`` with ``Authorization: Bearer``.

``sohoa cluster trigger`` starts ``sohoa_digitize`` this way, as the schedule would,
instead of ``dag.test()``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from ocr.errors import SohoaError

FINISHED = {"success", "failed"}


class AirflowAPIError(SohoaError):
    """The API refused a request or did not answer in time."""


@dataclass
class AirflowAPI:
    base_url: str
    username: str
    password: str
    timeout: float = 30.0
    _token: str | None = None

    def token(self) -> str:
        if self._token is None:
            resp = httpx.post(
                f"{self.base_url}/auth/token",
                json={"username": self.username, "password": self.password},
                timeout=self.timeout,
            )
            if resp.status_code >= 300:
                raise AirflowAPIError(
                    f"no token from {self.base_url}/auth/token: {resp.text[:300]}"
                )
            self._token = resp.json()["access_token"]
        return self._token

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token()}"}
        resp = httpx.request(
            method, f"{self.base_url}/api/v2{path}", headers=headers, timeout=self.timeout, **kwargs
        )
        if resp.status_code == 401:  # expired: one new token
            self._token = None
            headers = {"Authorization": f"Bearer {self.token()}"}
            resp = httpx.request(
                method,
                f"{self.base_url}/api/v2{path}",
                headers=headers,
                timeout=self.timeout,
                **kwargs,
            )
        return resp

    def json(self, method: str, path: str, **kwargs) -> dict:
        resp = self.request(method, path, **kwargs)
        if resp.status_code >= 300:
            raise AirflowAPIError(f"{method} {path}: HTTP {resp.status_code} {resp.text[:300]}")
        return resp.json()

    def wait_for_dag(self, dag_id: str, timeout: float = 300.0) -> dict:
        """The DAG once the dag-processor has parsed it; unpaused."""
        deadline = time.monotonic() + timeout
        while True:
            resp = self.request("GET", f"/dags/{dag_id}")
            if resp.status_code == 200:
                dag = resp.json()
                if dag.get("is_paused"):
                    dag = self.json("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
                return dag
            if time.monotonic() > deadline:
                raise AirflowAPIError(
                    f"the DAG {dag_id} did not appear in {timeout:.0f} s "
                    f"(HTTP {resp.status_code}); see the dag-processor's log"
                )
            time.sleep(2)

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        """A new run now, as the schedule would start one; returns its run id."""
        body = {"logical_date": None, "conf": conf or {}}
        return self.json("POST", f"/dags/{dag_id}/dagRuns", json=body)["dag_run_id"]

    def run_state(self, dag_id: str, run_id: str) -> str:
        return self.json("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"]

    def wait_run(self, dag_id: str, run_id: str, timeout: float, poll: float = 2.0) -> str:
        """The run's final state (``success`` or ``failed``)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                state = self.run_state(dag_id, run_id)
            except (httpx.HTTPError, AirflowAPIError):
                state = "unknown"  # the API server restarting: ask again
            if state in FINISHED:
                return state
            if time.monotonic() > deadline:
                raise AirflowAPIError(f"run {run_id} still {state} after {timeout:.0f} s")
            time.sleep(poll)
