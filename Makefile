# The two commands a new contributor needs: `make demo` and `make test`.
# Everything else is here for maintainers and CI.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := $(sort $(wildcard packages/istok-*))
EDITABLES := $(foreach p,$(PACKAGES),-e $(p)[api])
MANAGE := cd example_project && ../$(BIN)/python manage.py
# axe-core for the browser suite's accessibility checks (test-only, pinned in package.json).
AXE := example_project/tests/js/node_modules/axe-core/axe.min.js

.PHONY: demo test lint messages check-messages docs dist bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements/*.txt example_project/requirements.txt $(PACKAGES:%=%/pyproject.toml)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt \
		-r requirements/dev.txt -r example_project/requirements.txt $(EDITABLES)
	touch $@

messages: $(VENV)/.installed
	$(BIN)/python scripts/compilemessages.py

demo: messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-messages: $(VENV)/.installed
	$(BIN)/python scripts/check_translations.py

$(AXE): example_project/tests/js/package.json
	npm install --prefix example_project/tests/js --no-package-lock --no-audit --no-fund --silent
	touch $@

test: lint check-messages messages $(AXE)
	$(BIN)/python scripts/runtests.py

docs: $(VENV)/.installed
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

dist: messages
	rm -rf dist
	for p in $(PACKAGES); do $(BIN)/python -m build --outdir dist $$p || exit 1; done
	$(BIN)/twine check --strict dist/*

bench: messages
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) dist docs/_build .tox
