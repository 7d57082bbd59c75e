# The two commands a user needs: `make run` (install, build the demo on first start, serve)
# and `make test` (install test tools, run the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= localhost
PORT ?= 8501

.PHONY: run test demo init-db benchmark clean-db

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m assurance init-db
	$(PY) -m assurance demo --if-empty
	$(VENV)/bin/streamlit run serve.py --server.address $(HOST) --server.port $(PORT)

test: $(VENV)/.dev-installed
	$(PY) -m pytest

demo: $(VENV)/.installed
	$(PY) -m assurance demo

init-db: $(VENV)/.installed
	$(PY) -m assurance init-db

# The benchmarks (figures in the README): loading a 100,000-concern return, the pages over a million concerns,
# users signing in and browsing while five large returns load, and the demo's board pack (PDF and PowerPoint).
benchmark: $(VENV)/.dev-installed
	$(PY) benchmarks/load_activity.py
	$(PY) benchmarks/measures.py
	$(PY) benchmarks/busy_service.py
	$(PY) benchmarks/pack.py
	$(PY) benchmarks/upload_check.py

clean-db:
	rm -f data/assurance.db data/assurance.db-wal data/assurance.db-shm data/assurance.db.*.lock
