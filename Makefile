# kesu — the two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
KESU_DATA_DIR ?= var
export KESU_DATA_DIR

.PHONY: demo test install install-dev lint messages bench vendor clean test-distributed

# the installer's output goes to $(VENV)/install.log (shown only when it fails), so that what a
# newcomer sees last is the demo's logins and address
INSTALL_LOG := $(VENV)/install.log

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "kesu needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	@echo "Creating $(VENV) …"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip >$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }

install: $(BIN)/python
	@echo "Installing kesu and its dependencies (about a minute the first time; log: $(INSTALL_LOG)) …"
	@$(BIN)/python -m pip install --quiet -e . >>$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }

install-dev: $(BIN)/python
	@echo "Installing kesu with its development dependencies (log: $(INSTALL_LOG)) …"
	@$(BIN)/python -m pip install --quiet -e ".[dev]" >>$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }

## make demo: install, migrate, load a year of demo complaints, create one user per role, serve :8000
demo: install
	@$(BIN)/kesu demo

## make test: install the dev dependencies and run the whole suite
test: install-dev
	$(BIN)/python -m pytest

## make test-distributed: 2 gunicorn workers + 2 consumers on a private PostgreSQL and Redis, both restarted
test-distributed: install-dev
	$(BIN)/python -m pip install --quiet -e ".[dev,distributed]"
	KESU_TEST_DISTRIBUTED=1 $(BIN)/python -m pytest tests/distributed -q -p no:randomly

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## make messages: refresh the zh-hans / en catalogues from the code and compile them
messages: install-dev
	cd src/kesu && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --settings kesu.config.settings --ignore "static/*"
	cd src/kesu && ../../$(BIN)/django-admin compilemessages --settings kesu.config.settings

bench: install-dev
	$(BIN)/python bench/intake.py

## make vendor: fetch the pinned front-end assets from the npm registry into static/vendor/
vendor:
	bash scripts/vendor.sh

clean:
	rm -rf $(VENV) var build src/*.egg-info
