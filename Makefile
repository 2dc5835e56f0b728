# Set-up and everyday commands. Everything the project needs is installed here, into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup system-packages run test test-postgres lint

setup: $(VENV)/.installed system-packages

## system-packages: LibreOffice and fonts for PDF reports, where the machine allows
system-packages:
	@bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: load the Cát Hải dataset into the embedded SQLite database and start the web app
run: setup
	$(BIN)/theodoi demo
	$(BIN)/theodoi serve

## test: lint, migration check and the whole test suite
test: setup lint
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	THEODOI_DATA_DIR=$$(mktemp -d) $(BIN)/theodoi manage makemigrations --check --dry-run

## test-postgres: the suite against PostgreSQL (THEODOI_DATABASE_URL must point at it)
test-postgres: setup
	$(BIN)/pytest
