# Xiaoqu: `make run` serves the platform with Putuo demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
SHARED := ../shared/data/putuo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve demo test bench bench-triage bench-analytics lint fmt messages clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/xiaoqu migrate --noinput
	$(BIN)/xiaoqu load-demo
	@if [ -f $(SHARED)/putuo_streets_osm_simplified.geojson ]; then \
		$(BIN)/xiaoqu import-boundaries $(SHARED)/putuo_streets_osm_simplified.geojson; \
		$(BIN)/xiaoqu import-boundaries $(SHARED)/putuo_district_datav.geojson; \
	else echo "Boundaries not found in $(SHARED): maps stay empty (see README)."; fi

run: demo serve

serve: setup
	@echo "Xiaoqu on http://$(HOST):$(PORT)/  (demo logins above; stop with Ctrl-C)"
	$(BIN)/xiaoqu runserver $(HOST):$(PORT)

test: setup
	scripts/test.sh

bench: setup bench-triage bench-analytics
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/import_orders.py

bench-triage: setup
	$(BIN)/python bench/triage.py

bench-analytics: setup
	$(BIN)/python bench/analytics.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy xiaoqu bench scripts

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: setup
	cd xiaoqu && ../$(BIN)/xiaoqu makemessages -l zh_Hans --no-obsolete --no-location \
		--ignore 'static/*' --ignore '*/tests/*' --ignore 'browser_tests/*'
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache .pytest_cache
