# Hangar — see README.md. `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := build
SWIFT ?= swift
DEMO_HOME ?= $(CURDIR)/.hangar-demo

.PHONY: setup build test test-fast test-postgres demo bench leak-check browser-test install dist clean

## setup: install missing prerequisites (apt) and provision DuckDB 1.5.3 (cached; instant when done)
setup:
	@scripts/setup

## build: debug build of every target
build: setup
	$(SWIFT) build

# Run in phases of their own after the main suite: each starts many processes at once, which on
# a small machine would starve the time-limited tests beside them.
LAKE_TESTS := DuckLakeDatabaseTests|LakeMaintenanceTests
OWN_PHASE_TESTS := ScaleOutTests|$(LAKE_TESTS)

## test: the whole test suite (unit, process and leak checks); prints the test count
test: setup
	$(SWIFT) build --build-tests
	@# Swift flights in the tests compile against the FlightKit SDK library beside hangar: make sure it is there.
	$(SWIFT) build --product FlightKit
	@# The dlt conformance tests load dlt's test cases with dlt 1.27.2 from this venv (made once, cached).
	@scripts/dlt-venv >/dev/null
	@# The DuckLake tests on S3 start moto's S3 server from this venv (made once, cached).
	@scripts/python-venv moto-5.2.6-venv scripts/requirements-s3-server.txt 'import moto.server' >/dev/null
	@# The scale-out acceptance (several hangar processes sharing one PostgreSQL) runs on its own
	@# afterwards, so its load never starves the time-limited tests beside it.
	@set -o pipefail; HANGAR_TESTS=all $(SWIFT) test --skip-build --skip '$(OWN_PHASE_TESTS)' 2>&1 | tee .build/test-output.txt | grep -vE '^(◇|↳ Testing|\[|Test Suite|Test Case)' ; \
	  status=$$?; scripts/test-summary .build/test-output.txt; exit $$status
	@# DuckLake's process tests (concurrent writers on a folder and on S3, maintenance) one after another.
	@set -o pipefail; HANGAR_TESTS=all $(SWIFT) test --skip-build --filter '$(LAKE_TESTS)' 2>&1 | tee .build/test-lake-output.txt | grep -vE '^(◇|↳ Testing|\[|Test Suite|Test Case)' ; \
	  status=$$?; echo "DuckLake on PostgreSQL, a shared folder and S3: $$(scripts/test-summary .build/test-lake-output.txt)"; exit $$status
	@# The flights suite again with PostgreSQL as the control store (a throwaway server the tests start).
	@set -o pipefail; HANGAR_TEST_CONTROL=postgres $(SWIFT) test --skip-build --filter HangarFlightsTests 2>&1 | tee .build/test-postgres-output.txt | grep -vE '^(◇|↳ Testing|\[|Test Suite|Test Case)' ; \
	  status=$$?; echo "HangarFlightsTests on PostgreSQL: $$(scripts/test-summary .build/test-postgres-output.txt)"; exit $$status
	@set -o pipefail; HANGAR_TESTS=all $(SWIFT) test --skip-build --filter ScaleOutTests 2>&1 | tee .build/test-scale-out-output.txt | grep -vE '^(◇|↳ Testing|\[|Test Suite|Test Case)' ; \
	  status=$$?; echo "Scale-out on PostgreSQL: $$(scripts/test-summary .build/test-scale-out-output.txt)"; exit $$status
	@$(MAKE) --no-print-directory leak-check
	@# The dashboard in real headless Chromium against a real hangar serve; screenshots in .build/artifacts/browser/.
	@scripts/browser-test .build/debug/hangar

## test-fast: the unit tests, under a minute after a build: the binding, ingest engine, scheduling,
## flights store, runtime, metrics and FlightKit targets, and the API's and views' in-process suites.
## No Python environments, no `hangar serve`, no browser: tests marked `.fullRunOnly` (and the CLI's
## and the API's process tests) run in `make test` only, which stays the whole suite.
FAST_TESTS := ^(DuckDBTests|HangarAccountTests|HangarFlightsTests|HangarRunnerTests|HangarRuntimeTests|HangarSchedulingTests|HangarIngestTests|HangarMetricsTests|FlightKitTests)\.|^HangarHTTPTests\.(OpenAPITests|InProcessServerTests|SurfacesAgreeTests)/
test-fast: setup
	$(SWIFT) build --build-tests
	@set -o pipefail; HANGAR_TESTS=fast $(SWIFT) test --skip-build --filter '$(FAST_TESTS)' 2>&1 | tee .build/test-fast-output.txt | grep -vE '^(◇|↳ Testing|\[|Test Suite|Test Case)' ; \
	  status=$$?; scripts/test-summary .build/test-fast-output.txt; exit $$status

## test-postgres: only the PostgreSQL control store's tests, the flights suite on PostgreSQL
## (HANGAR_TEST_CONTROL=postgres), and the scale-out acceptance; they start and stop throwaway servers
test-postgres: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter HangarControlPostgresTests
	HANGAR_TEST_CONTROL=postgres $(SWIFT) test --skip-build --filter HangarFlightsTests
	HANGAR_TESTS=all $(SWIFT) test --skip-build --filter 'ScaleOutTests|SharedStoreSchedulerTests'

## browser-test: only the dashboard's browser test (Debian's chromium, Playwright from PyPI, both installed when missing)
browser-test: setup
	$(SWIFT) build --product hangar
	@scripts/browser-test .build/debug/hangar

## demo: build, then load a sample of GitHub repository data into a local DuckDB file and query it
demo: build
	@scripts/demo "$(DEMO_HOME)"

## bench: release build; prints binding and ingest figures next to DuckDB's own and dlt 1.27.2's, measured in the same run
# Quicker runs: HANGAR_BENCH_RECORDS (default 200000), HANGAR_BENCH_BIG_RECORDS (default 2000000),
# HANGAR_BENCH_DLT_WORKLOADS (default 1,2,3,4). dlt comes from a venv scripts/dlt-venv makes once.
bench: setup
	@scripts/dlt-venv >/dev/null
	$(SWIFT) build -c release --product HangarBench
	$(SWIFT) build -c release --product hangar
	@# The flights latency section compiles a Swift flight against the SDK beside the release hangar.
	$(SWIFT) build -c release --product FlightKit
	@# The guide's Python flight fetches from the replay server.
	$(SWIFT) build -c release --product GitHubReplay
	.build/release/HangarBench

## leak-check: runs a workload of every binding feature under valgrind; fails on a definite leak
leak-check: setup
	@scripts/setup valgrind
	$(SWIFT) build --product BindingWorkload
	@scripts/leak-check .build/debug/BindingWorkload

## install: release build installed under PREFIX (default /usr/local; DESTDIR honoured): bin/hangar, lib/hangar, share/hangar, completions
PREFIX ?= /usr/local
install: setup
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install

## dist: hangar-<version>-linux-<arch>.tar.gz in .build/dist, the installed tree to unpack anywhere
dist: setup
	@scripts/dist

clean:
	rm -rf .build .hangar-demo
