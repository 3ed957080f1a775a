# Two commands on a fresh machine: `make run` (demo on SQLite, tasks in-process) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_ENV := DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3
TEST_ENV := SECRET_KEY=test-only-secret-key-not-used-anywhere-else-0123456789abcdef SECURE_SSL_REDIRECT=false PYTHONHASHSEED=0

.PHONY: run test check install clean screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py demo_data
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -n $${PYTEST_WORKERS:-auto} --dist loadfile $(PYTEST_ARGS)

# Lint, migrations in step with models, and Django's deployment checks under production settings.
# Both run on an in-memory database: they need the models, not the data.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=sqlite:///:memory: ALLOWED_HOSTS=mentorat.example.org SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true \
		SECRET_KEY=$$(head -c 48 /dev/urandom | base64) $(PY) manage.py check --deploy --fail-level WARNING

# Phone (390 px) and desktop (1366 px) screenshots of the demo's main pages, into docs/screenshots/.
screenshots: $(STAMP)
	$(PY) docs/screenshots/take.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
