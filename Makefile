# Sijill — the two commands: `make demo` and `make test`. Each sets up what it needs.
BIN := .venv/bin
DEMO_DIR ?= sijill-data/demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint bench setup clean-demo

setup:
	@scripts/bootstrap.sh

demo: setup
	$(BIN)/sijill --data-dir $(DEMO_DIR) demo
	$(BIN)/sijill --data-dir $(DEMO_DIR) serve --role central --host $(HOST) --port $(PORT)

test:
	@scripts/bootstrap.sh --browser
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -n auto --maxprocesses 4

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench:
	@scripts/bootstrap.sh --bench
	$(BIN)/python bench/bench_registry.py
	$(BIN)/python bench/bench_search.py --dedup-only

clean-demo:
	rm -rf $(DEMO_DIR)
