"""The web app inside Airflow 3's API server: the ``airflow.plugins`` entry point names
``SohoaWebPlugin``, and Airflow's own ``create_app`` mounts it under ``/sohoa``, where
links, redirects and cookies must all carry the prefix.

Airflow reads its configuration once per process (``AIRFLOW_HOME``) and caches plugins,
so the API server is built in a fresh interpreter: the script below drives it with a
TestClient and prints what it saw; the assertions are here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points

from sohoa.web.airflow_plugin import URL_PREFIX

SCRIPT = r"""
import json, re, secrets, sys
from fastapi.testclient import TestClient
from starlette.routing import Mount
from airflow.api_fastapi.app import create_app
from sohoa.db.migrate import upgrade
from sohoa.web.accounts import create_user

app = create_app()  # Airflow's API server, plugins included
seen = {"mounts": [r.path for r in app.routes if isinstance(r, Mount)]}
client = TestClient(app, follow_redirects=False)
links = lambda html: re.findall(r'(?:href|action|src)="(/[^"]*)"', html)  # paths only
cookie_path = lambda r, name: [
    c for c in r.headers.get_list("set-cookie") if c.startswith(name + "=")
]

health = client.get("/sohoa/health")
seen["health"] = [health.status_code, health.json()]
closed = client.get("/sohoa/account", headers={"accept": "text/html"})
seen["closed"] = [closed.status_code, closed.headers.get("location")]
login = client.get("/sohoa/login")
seen["login"] = [login.status_code, links(login.text), cookie_path(login, "sohoa_login_csrf")]
token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)

password = secrets.token_urlsafe(12)
create_user(upgrade(), "clerk1", password, "archive_staff", ["25920"])
signed = client.post(
    "/sohoa/login", data={"username": "clerk1", "password": password, "csrf_token": token}
)
seen["sign_in"] = [signed.status_code, signed.headers.get("location"),
                   cookie_path(signed, "sohoa_session")]
account = client.get("/sohoa/account", headers={"accept": "text/html"})
seen["account"] = [account.status_code, links(account.text)]
static = client.get("/sohoa/static/app.css")
seen["static"] = [static.status_code, static.headers.get("cache-control")]
csrf = re.search(r'<meta name="csrf-token" content="([^"]+)">', account.text).group(1)
out = client.post("/sohoa/logout", headers={"X-CSRF-Token": csrf})
seen["logout"] = [out.status_code, out.headers.get("location")]
after = client.get("/sohoa/account")
seen["after"] = after.status_code
print("SEEN " + json.dumps(seen))
"""


def test_the_entry_point_names_the_plugin():
    [point] = [e for e in entry_points(group="airflow.plugins") if e.name == "sohoa_web"]
    plugin = point.load()
    assert plugin.__name__ == "SohoaWebPlugin"
    [mounted] = plugin.fastapi_apps
    assert mounted["url_prefix"] == URL_PREFIX == "/sohoa"
    assert {r.path for r in mounted["app"].routes} >= {"/login", "/health"}


def test_airflow_api_server_mounts_the_app_under_sohoa(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))}
    env |= {
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(tmp_path / "dags"),
        "SOHOA_DB_URL": f"sqlite:///{tmp_path / 'sohoa.db'}",
        "SOHOA_LANDING": str(tmp_path / "landing"),
        "SOHOA_WEB_PIPELINE": "external",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    [line] = [x for x in done.stdout.splitlines() if x.startswith("SEEN ")]
    seen = json.loads(line.removeprefix("SEEN "))

    assert "/sohoa" in seen["mounts"]
    assert seen["health"] == [200, {"status": "ok", "database": "ok"}]
    assert seen["closed"] == [303, "/sohoa/login"]  # redirects keep the prefix

    status, links, csrf_cookie = seen["login"]
    assert status == 200
    assert links and all(link.startswith("/sohoa/") for link in links), links
    assert "/sohoa/login" in links and "/sohoa/static/app.css" in links
    assert len(csrf_cookie) == 1 and "Path=/sohoa/" in csrf_cookie[0]

    status, location, session_cookie = seen["sign_in"]
    assert (status, location) == (303, "/sohoa/batches")
    assert len(session_cookie) == 1 and "Path=/sohoa/" in session_cookie[0]
    assert "HttpOnly" in session_cookie[0]

    status, links = seen["account"]  # the cookie came back under the prefix
    assert status == 200
    assert all(link.startswith("/sohoa/") for link in links), links

    status, cache = seen["static"]
    assert status == 200 and cache != "no-store"  # static files may be cached, pages not
    assert seen["logout"] == [303, "/sohoa/login"]
    assert seen["after"] == 401
