#!/bin/bash
# Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), after
# 10-sohoa-database.sh: server settings recommended for sohoa's bulk loads (issue 3). They
# land in postgresql.auto.conf and take effect when the image restarts the server after
# initialisation. Measured with bench.load_bench, which starts its server with the same
# values (bench/database.py DURABLE_OPTIONS); see BENCHMARKS.md, "Load (issue 3)".
#
# Durability stays as PostgreSQL ships it: fsync, synchronous_commit and full_page_writes
# on, WAL fit for backups. A load is a few large transactions (one per book), so waiting
# for the WAL flush at commit costs nothing measurable; do NOT switch those off for speed.
# Only sizes change: a 5,000-record book writes ~20 MB of WAL, so max_wal_size keeps a
# load from forcing checkpoints; shared_buffers holds the indexes of the tables a load
# writes. Size shared_buffers to about a quarter of the machine's RAM.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
ALTER SYSTEM SET shared_buffers = '${SOHOA_PG_SHARED_BUFFERS:-256MB}';
ALTER SYSTEM SET wal_buffers = '16MB';
ALTER SYSTEM SET max_wal_size = '4GB';
ALTER SYSTEM SET checkpoint_timeout = '15min';
SQL
