# Two commands: `make run` (the whole system on this machine) and `make test` (the suite).
# Both need only Python 3.11; everything else is installed into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run dev test install migrate seed web worker beat lint bench clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,load]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo --if-empty

# Web server (gunicorn, workers from the cores), Celery worker and beat together; Ctrl-C stops
# all three (config/serve.py). The demo city is 长治市: the public pages start there
# (LIAISON_ROOT_REGION, 1404 unless set; set it empty for the whole country).
run: seed
	@$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)/
	LIAISON_ROOT_REGION=$${LIAISON_ROOT_REGION-1404} LIAISON_PUBLIC_BASE_URL=$${LIAISON_PUBLIC_BASE_URL-http://$(HOST):$(PORT)} \
	$(BIN)/python -m config.serve --host $(HOST) --port $(PORT)

# The same with Django's development server, which reloads on every code change.
dev: seed
	@$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)/
	@export LIAISON_ROOT_REGION=$${LIAISON_ROOT_REGION-1404} \
	  LIAISON_PUBLIC_BASE_URL=$${LIAISON_PUBLIC_BASE_URL-http://$(HOST):$(PORT)}; \
	trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 \
	  -Q celery,reminders,notifications,statistics,exports,imports & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf var .pytest_cache

# Browser tests: Playwright drives Debian's chromium (Playwright's own browser download is not
# used). As root on Debian the target installs chromium (and a CJK font for the screenshots)
# when it is missing.
.PHONY: browser
browser: install
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; \
	  else echo "chromium is missing: install Debian's chromium (apt-get install chromium) to run these tests"; fi; }
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)
