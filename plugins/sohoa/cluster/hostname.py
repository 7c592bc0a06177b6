"""Airflow's ``[core] hostname_callable`` for sohoa's deployments.

In a container ``HOSTNAME`` is the container's host name, the same as the default's
answer; ``sohoa cluster`` runs several workers on one machine and gives each the name its
container would have (``airflow-worker-2``), so task instances say which worker ran them.
Imported by every task process: keep it free of imports.
"""

from __future__ import annotations

import os
import socket


def container_hostname() -> str:
    return os.environ.get("HOSTNAME") or socket.getfqdn()
