# Comptoir: `make demo` runs the product on the demo organisation, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
PYTEST_WORKERS ?= 2

.PHONY: demo test test-pg lint types serve worker scheduler messages bench clean

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Comptoir needs Python 3.12 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	@touch $@

demo: $(VENV)/.synced
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py createcachetable
	DJANGO_DEBUG=1 $(PY) manage.py demo --if-empty
	@echo "Comptoir runs on http://127.0.0.1:8000/ (Ctrl-C stops it)"
	trap 'kill 0' EXIT; \
	DJANGO_DEBUG=1 COMPTOIR_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend $(PY) manage.py db_worker & \
	DJANGO_DEBUG=1 $(PY) manage.py scheduler & \
	DJANGO_DEBUG=1 $(PY) manage.py runserver --noreload 127.0.0.1:8000

test: $(VENV)/.synced lint types
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

# The same suite on PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir make test-pg
test-pg: $(VENV)/.synced
	@test -n "$$DATABASE_URL" || (echo "set DATABASE_URL to a PostgreSQL database"; exit 1)
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .

types: $(VENV)/.synced
	DJANGO_DEBUG=1 $(VENV)/bin/mypy comptoir

worker: $(VENV)/.synced
	$(PY) manage.py db_worker

# Enqueues the periodic jobs (escalations, reminders, digests, roll-ups) when due; run exactly one.
scheduler: $(VENV)/.synced
	$(PY) manage.py scheduler

serve: $(VENV)/.synced
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The organisation at scale on a fresh SQLite file: make bench PEOPLE=10000
PEOPLE ?= 10000
bench: $(VENV)/.synced
	rm -f var/bench.sqlite3*
	DJANGO_DEBUG=1 COMPTOIR_SQLITE_PATH=var/bench.sqlite3 $(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=1 COMPTOIR_SQLITE_PATH=var/bench.sqlite3 $(PY) manage.py bench_org --people $(PEOPLE)

# Each app keeps its own French catalogue (comptoir/<app>/locale), so apps translate independently;
# the compiled .mo files are committed so a machine without gettext still shows French.
messages: $(VENV)/.synced
	for app in $$(dirname $$(ls comptoir/*/apps.py)); do \
	  mkdir -p $$app/locale && (cd $$app && DJANGO_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l fr --no-obsolete --ignore 'tests/*' --ignore 'migrations/*'); \
	done
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv' --ignore '.tools'

clean:
	rm -rf $(VENV) .tools var
