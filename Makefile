# The two commands of the README's quick start. Each installs what it needs first.
.PHONY: run test setup lint bench cluster cluster-stop test-faults

SAMPLES ?= .sohoa/samples

setup:
	@./scripts/setup.sh

run: setup
	@for t in birth death marriage dossier_result; do \
	  .venv/bin/sohoa samples --out $(SAMPLES)/$$t --types $$t --count 3 --seed 1987 --year 2024 || exit 1; \
	  .venv/bin/sohoa upload $(SAMPLES)/$$t --unit 25920 --book-type $$t --year 2024 --volume 01 || exit 1; \
	done
	.venv/bin/sohoa samples --out $(SAMPLES)/rejects --count 0 --rejects 2 --seed 1987
	.venv/bin/sohoa upload $(SAMPLES)/rejects --unit 25920 --book-type birth --year 2024 --volume 01
	.venv/bin/sohoa run

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

test:
	@./scripts/setup.sh --test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python -m bench

# The production topology of docker-compose.yml on this machine, without Docker.
WORKERS ?= 2
cluster: setup
	.venv/bin/sohoa cluster --workers $(WORKERS)

cluster-stop:
	.venv/bin/sohoa cluster stop

# A worker killed mid-batch, Redis stopped for 30 s, PostgreSQL restarted mid-load.
test-faults:
	@./scripts/setup.sh --test
	.venv/bin/python -m pytest -m faults tests/sohoa/cluster/test_faults.py -v
