# Trainer's two everyday commands are `make run` and `make test`; see README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# Debian packages: fonts for Hindi PDFs, pango for WeasyPrint, poppler for PDF checks,
# chromium for the browser tests.
RUN_PACKAGES := fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils

.PHONY: run install install-test system-packages system-packages-test translations lint test messages vendor

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo
	BIN=$(BIN) bin/serve

install: $(BIN)/activate system-packages
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(MAKE) translations

install-test: $(BIN)/activate system-packages-test
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(MAKE) translations

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

system-packages:
	@bin/apt-install $(RUN_PACKAGES)

system-packages-test:
	@bin/apt-install $(TEST_PACKAGES)

translations:
	$(BIN)/pybabel --quiet compile -d trainer/translations

# Two workers by default (the machines have two cores); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2

test: install-test lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# ruff (pyflakes, bugbear, import order; ruff.toml) and the layers of the package (.importlinter).
lint:
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# Refresh the catalogue after changing user-visible strings, then translate the new entries in hi/.
messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _ln:1,2 --sort-output --no-location -o trainer/translations/messages.pot .
	$(BIN)/pybabel update -i trainer/translations/messages.pot -d trainer/translations --no-fuzzy-matching

# Copy third-party CSS, JS and fonts from their npm packages into static/vendor (versions in its package.json).
vendor:
	cd static/vendor && npm install --no-audit --no-fund --no-save && sh copy-assets.sh && rm -rf node_modules package-lock.json
