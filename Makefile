# The two commands of the README's quick start. Each installs what it needs first.
.PHONY: run test setup lint bench

SAMPLES ?= .sohoa/samples

setup:
	@./scripts/setup.sh

run: setup
	.venv/bin/sohoa samples --out $(SAMPLES) --count 8 --seed 1987
	.venv/bin/sohoa extract --summary $(SAMPLES) > .sohoa/extract.jsonl
	@echo "records written to .sohoa/extract.jsonl"

lint: setup
	.venv/bin/ruff check .

test: setup lint
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python -m bench
