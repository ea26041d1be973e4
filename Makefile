# hwcloud.taskops build, test and demo entry points.
#   make demo   set everything up and run a maintenance window against the bundled emulator
#   make test   set everything up and run every test: sanity, units, integration and lint on the newest
#               ansible-core line, sanity and units on every other claimed line, the tarball, Galaxy's importer
#               and the documentation site
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
PY := $(shell tests/utils/pick-python)
PY_VERSION := $(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# ansible-core 2.20+ needs Python >= 3.12; on 3.11 the newest line is 2.19.
CORE := $(if $(filter 3.11,$(PY_VERSION)),2.19.14,2.21.5)
# Every other line requires_ansible claims, as CORE:PYTHONS (the first installed Python runs it; none is a
# failure). The oldest is also smoke-tested from its tarball, as the newest is by make smoke.
LINES ?= 2.16.19:3.11,3.12 2.17.14:3.11,3.12 2.18.19:3.11,3.12,3.13 2.19.14:3.11,3.12,3.13 2.20.10:3.12,3.13
OLDEST := 2.16.19

VENV := .venv
DOCS_VENV := .venv-docs
STAGE := .tmp/collections
COLLECTION_DIR := $(STAGE)/ansible_collections/hwcloud/taskops
# A throwaway ANSIBLE_HOME keeps ansible-lint from installing stale copies that shadow the work tree.
LINT_ENV := PATH=$(ROOT)/$(VENV)/bin:$$PATH ANSIBLE_HOME=$(ROOT)/.tmp/ansible-home ANSIBLE_COLLECTIONS_PATH=$(ROOT)/$(STAGE)

REQS := tests/requirements/runtime.txt tests/requirements/test.txt
PYTEST_ARGS ?=

.PHONY: help venv docs-venv browser chaos chaos-full test sanity units integration lint lines smoke docs importer \
	release demo benchmark ee-context clean

help:
	@echo "make demo    run a maintenance window against the bundled emulator"
	@echo "make test    every check below, then the fault suite"
	@echo "make venv    create .venv ($(PY_VERSION), ansible-core $(CORE)) with the collection linked in"
	@echo "make sanity units integration lint   on ansible-core $(CORE)"
	@echo "make lines   sanity + units on every other claimed ansible-core line (LINES=... to choose)"
	@echo "make smoke   install the built tarball into a clean path and run a window from it"
	@echo "make docs    the documentation site in .tmp/docs/html"
	@echo "make importer  Galaxy's importer on the built tarball, failing on any finding"
	@echo "make release VERSION=X.Y.Z  prepare a release (docs/releasing.md)"
	@echo "make ee-context  the execution environment's build context (from the collection tarball) in .tmp/ee"

venv:
	@test -n "$(PY)" || { echo "No usable Python (3.11, 3.12 or 3.13) found" >&2; exit 1; }
	@tests/utils/make-venv $(VENV) $(PY) $(CORE) $(REQS) tests/requirements/tools.txt

docs-venv:
	@tests/utils/make-venv $(DOCS_VENV) $(PY) $(CORE) tests/requirements/docs.txt

test: sanity units integration lint lines smoke importer docs chaos
	@echo "make test: all checks passed (ansible-core $(CORE), and $(words $(LINES_TO_CHECK)) other lines)"

units: venv
	$(VENV)/bin/python -m pytest -p no:cacheprovider -q -n 2 tests/unit $(PYTEST_ARGS)
	@# The emulator's conformance suite, run from the installed package (not the source tree) as its users run it.
	@mkdir -p .tmp
	cd .tmp && $(ROOT)/$(VENV)/bin/python -m pytest -p no:cacheprovider -q -n 2 --pyargs hwc_emulator.conformance

LINES_TO_CHECK = $(filter-out $(CORE):%,$(LINES))
lines:
	@tests/utils/check-lines --smoke $(OLDEST) $(LINES_TO_CHECK)

smoke: venv
	@tests/utils/smoke-tarball $(VENV)

docs: docs-venv
	@tests/utils/build-docs $(DOCS_VENV) .tmp/docs

importer: docs-venv
	@rm -rf .tmp/dist && $(DOCS_VENV)/bin/ansible-galaxy collection build --output-path .tmp/dist . >/dev/null
	@tests/utils/galaxy-import $(DOCS_VENV) .tmp/dist/hwcloud-taskops-*.tar.gz

release: venv
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=X.Y.Z" >&2; exit 1; }
	@tests/utils/release $(VERSION) $(VENV)

# The HTML report is checked in headless Chromium; install Debian's package where we may (CI runs as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing chromium for the report test"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; else echo "chromium not found: the HTML report test will be skipped" >&2; fi; }

integration: venv browser
	$(VENV)/bin/python tests/integration/run.py $(if $(TARGETS),--targets $(TARGETS),)
	$(VENV)/bin/python -m pytest -p no:cacheprovider -q -n 2 tests/integration/python $(PYTEST_ARGS)

sanity: venv
	@tests/utils/stage-collection $(STAGE) >/dev/null
	cd $(COLLECTION_DIR) && $(ROOT)/$(VENV)/bin/ansible-test sanity --python $(PY_VERSION) --color no

lint: venv
	@tests/utils/stage-collection $(STAGE) >/dev/null
	cd $(COLLECTION_DIR) && $(LINT_ENV) $(ROOT)/$(VENV)/bin/ansible-lint --profile production
	$(VENV)/bin/antsibull-changelog lint

demo: venv
	@if [ -f tests/demo/run_demo.py ]; then $(VENV)/bin/python tests/demo/run_demo.py; \
	else echo "make demo: the maintenance-window demo is not available yet (it needs the modules and the role)" >&2; exit 1; fi

# The fault suite (docs/reliability.md): fault-injected windows, SIGKILLs, malformed answers, generated arguments
# and a secrets scan. make test runs it at a size that keeps CI short; CHAOS_ARGS sizes it, CHAOS_FULL is the
# full run the docs record.
CHAOS_ARGS ?= --windows 2 --kills 2 --argsets 15 --parallel 2
CHAOS_FULL := --windows 50 --kills 30 --argsets 500 --parallel 3
chaos: venv
	$(VENV)/bin/python tests/chaos/run_chaos.py $(CHAOS_ARGS)

chaos-full: venv
	$(VENV)/bin/python tests/chaos/run_chaos.py $(CHAOS_FULL)

benchmark: venv
	$(VENV)/bin/python tests/benchmarks/run_benchmarks.py
	$(VENV)/bin/python tests/benchmarks/window_benchmark.py

# The execution environment is built from this checkout's tarball, placed beside its definition.
ee-context: venv
	rm -f extensions/awx/hwcloud-taskops*.tar.gz
	$(VENV)/bin/ansible-galaxy collection build --force --output-path .tmp/ee .
	cp .tmp/ee/hwcloud-taskops-*.tar.gz extensions/awx/hwcloud-taskops.tar.gz
	$(VENV)/bin/ansible-builder create -f extensions/awx/execution-environment.yml --context .tmp/ee/context
	@echo "build it with: ansible-builder build -f extensions/awx/execution-environment.yml --context .tmp/ee/context -t hwcloud-taskops-ee"

clean:
	rm -rf $(VENV) .venv-* .tmp tests/output
