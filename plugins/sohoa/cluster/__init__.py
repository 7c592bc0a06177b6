"""``sohoa cluster``: the production topology of ``docker-compose.yml`` run on one machine
without Docker (docs/cluster.md). Kept empty: ``hostname`` is imported by every task."""
