"""Mount the web app into Airflow 3's API server (``fastapi_apps``), under ``/sohoa``.

Registered through the ``airflow.plugins`` entry point in ``pyproject.toml``, so every
Airflow installed with sohoa finds it. Importing this module builds the app but touches no
database: that happens on the first request. Airflow's own sign-in does not cover plugin
apps; the app checks its own sessions and roles on every route.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from sohoa.web.app import create_app

URL_PREFIX = "/sohoa"


class SohoaWebPlugin(AirflowPlugin):
    name = "sohoa_web"
    fastapi_apps = [{"app": create_app(), "url_prefix": URL_PREFIX, "name": "sohoa"}]
