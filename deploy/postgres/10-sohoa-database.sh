#!/bin/bash
# Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d):
# the population database and its owner, separate from Airflow's metadata database.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE USER ${SOHOA_DB_USER} WITH PASSWORD '${SOHOA_DB_PASSWORD}';
CREATE DATABASE ${SOHOA_DB_NAME} OWNER ${SOHOA_DB_USER};
SQL
