# The two commands a new developer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_ENV := DEBUG=1 EARLYHELP_DEMO_MODE=1
DEMO_FAMILIES ?= 200

.PHONY: demo test install assets migrate seed serve check screenshots bench bench-quick bench-production clean

$(BIN)/earlyhelp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/earlyhelp

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: node_modules/.package-lock.json install
	$(BIN)/python scripts/copy_assets.py

migrate: install
	mkdir -p var
	$(DEMO_ENV) $(BIN)/earlyhelp migrate --no-input

seed: migrate
	$(DEMO_ENV) $(BIN)/earlyhelp seed --families $(DEMO_FAMILIES) --seed 1

# The server and, beside it, the background worker (Annex A, chronology PDFs, subject access packs,
# the dashboard's figures kept ready);
# stopping the demo (Ctrl-C) stops both.
demo: assets seed
	@echo "Early Help demo: http://127.0.0.1:8000 (demo sign-ins are listed on the sign-in page)"
	$(DEMO_ENV) $(BIN)/earlyhelp dashboard_summaries --schedule
	$(DEMO_ENV) $(BIN)/earlyhelp db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/earlyhelp runserver 127.0.0.1:8000

test: assets
	$(BIN)/python scripts/run_tests.py $(PYTEST_ARGS)

check: install
	DJANGO_SETTINGS_MODULE=earlyhelp.config.settings.production SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=earlyhelp.example.gov.uk $(BIN)/earlyhelp check --deploy --fail-level WARNING

screenshots: assets
	EARLYHELP_SCREENSHOT_DIR=docs/images $(BIN)/python -m pytest tests/e2e -q

# Council-scale benchmarks (docs/performance.md). Locust comes from the `bench` extra.
$(VENV)/.bench-installed: pyproject.toml $(BIN)/earlyhelp
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

# 200,000 families in the database earlyhelp_bench (made and seeded when missing); writes benchmarks/results.md.
# The load: 50 users for 5 minutes, profiled; then stepped to find where p95 passes 200 ms, 200 users for 5 minutes last.
bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks.run --database earlyhelp_bench --families 200000 --profile \
		--load-steps 25,50,100,150,200:300 --out benchmarks/results.md

# The independent check of issue 15: 50 users for 2 minutes against the production settings, gunicorn serving TLS.
bench-production: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks.run --database earlyhelp_bench --families 200000 --skip pages --skip search \
		--production --load-seconds 120 --out benchmarks/results-production.md

# 5,000 families in earlyhelp_bench_quick, a minute or two once seeded; prints the same table.
bench-quick: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks.run --database earlyhelp_bench_quick --families 5000 --quick --out var/bench-quick/results.md

clean:
	rm -rf $(VENV) node_modules var src/earlyhelp/web/static/vendor src/earlyhelp/web/public
