"""The web app for archive staff, reviewers, managers and admins (``sohoa serve``, issue 6).

Server-rendered pages (Jinja) over the same domain code the CLI uses: uploads go through
:mod:`sohoa.landing`, review through :mod:`sohoa.review.queue`, reports through
:mod:`sohoa.kpi`. The app also mounts into Airflow's API server as a plugin
(:mod:`sohoa.web.airflow_plugin`).
"""
