"""``sohoa serve``: the web app for archive staff, reviewers, managers and admins."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="the web app for archive staff (sign-in, upload, review)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import logging
    import threading

    import uvicorn

    from sohoa.review.checks import warm_up
    from sohoa.web.accounts import count_admins
    from sohoa.web.app import create_app

    # Sign-ins and background runs are worth a line in the server log (never personal data).
    logging.getLogger("sohoa").setLevel(logging.INFO)
    app = create_app()
    engine = app.state.sohoa.engine  # migrate now: a schema problem shows before serving
    if count_admins(engine) == 0:
        print(
            "sohoa: no admin account yet; create one with `sohoa users add NAME --role admin`",
            file=sys.stderr,
        )
    # The first confirm of a fresh server would load the checks' modules while a clerk waits.
    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
    print(f"sohoa: web app on http://{args.host}:{args.port}/", file=sys.stderr)
    # Access logs hold paths only: no personal data is ever put in a URL.
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=True)
    return 0
