# innocluster: `make demo` serves the app with demo data; `make test` runs the whole suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: demo test lint e2e bench messages clean

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x $(BIN)/python ]; then \
	  PY=$$(scripts/find-python); echo "creating $(VENV) with $$PY"; "$$PY" -m venv $(VENV); \
	fi; \
	$(BIN)/python -m pip install --quiet --upgrade pip; \
	$(BIN)/python -m pip install --quiet -e ".[dev]"; \
	touch $(STAMP)

demo: $(STAMP)
	DEBUG=$${DEBUG:-1} INNOCLUSTER_DEMO_BYPASS_CODE=$${INNOCLUSTER_DEMO_BYPASS_CODE-123456} $(BIN)/innocluster demo --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest -n 2 --durations=15

e2e: $(STAMP)
	$(BIN)/pytest e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check-messages

bench: $(STAMP)
	@set -e; found=0; for f in bench/*.py; do [ -e "$$f" ] || continue; case "$$f" in bench/_*) continue;; esac; found=1; $(BIN)/python "$$f"; done; \
	[ $$found = 1 ] || echo "no benchmarks yet under bench/"

messages: $(STAMP)
	cd src/innocluster && ../../$(BIN)/innocluster makemessages -l kk -l ru -l en --no-obsolete --no-location
	cd src/innocluster && ../../$(BIN)/innocluster compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
