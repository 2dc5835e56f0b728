# Set-up and everyday commands. Everything the project needs is installed here, into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup system-packages run test test-postgres lint

setup: $(VENV)/.installed node_modules/.package-lock.json system-packages

## node_modules: Bootstrap, Bootstrap Icons, htmx and Chart.js for the web interface, pinned in
## package-lock.json and served by the app itself from node_modules (no CDN at run time)
node_modules/.package-lock.json: package.json package-lock.json $(VENV)/.installed
	@command -v npm >/dev/null 2>&1 || { \
	    echo "theodoi: cần Node.js và npm để cài CSS/JS của giao diện web (Bootstrap, htmx, Chart.js)." >&2; \
	    echo "    Hãy cài Node.js kèm npm (Debian/Ubuntu: sudo apt-get install nodejs npm) rồi chạy lại: make setup" >&2; \
	    exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/theodoi static-compress
	touch $@

## system-packages: LibreOffice and fonts for PDF reports, Chromium for the browser tests,
## where the machine allows
system-packages:
	@bash scripts/system-packages.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: load the Cát Hải dataset into the embedded SQLite database and start the web app
## (THEODOI_DEMO=1: the demo, which runs without THEODOI_SECRET_KEY on a key for trying out)
run: setup
	THEODOI_DEMO=1 $(BIN)/theodoi demo
	THEODOI_DEMO=1 $(BIN)/theodoi serve

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
