# augur's entry points. `make run` and `make test` work on a fresh Debian 12 machine:
# each installs what is missing (scripts/bootstrap.sh), builds once with CMake + Ninja + ccache,
# and then runs the server or every test.
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 45
DATA ?= ./augur-data
PYTHON := /usr/bin/python3
# ccache keys on paths relative to the checkout and leaves the build directory out of the hash,
# so a fresh clone elsewhere (CI's) reuses what an earlier build compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
CMAKE_FLAGS ?=

.PHONY: all deps configure build run docs check-docs test check-layers test-unit test-integration test-asan test-tsan fuzz-build fuzz fuzz-long bench bench-index bench-engine bench-pgbench bench-http format clean

all: build

deps:
	@scripts/bootstrap.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD)

run: build
	$(BUILD)/augur serve --data $(DATA)

# README.md's settings table is generated from the declarations in src/common/config_settings.cpp;
# the unit tests fail while it is out of date, and this rewrites it.
docs: build
	AUGUR_UPDATE_README=1 $(BUILD)/tests/unit/common/common_config_test \
	  --gtest_filter=SettingDeclarations.ReadmeTableMatchesDeclarations

test: build
	$(MAKE) --no-print-directory check-docs check-layers test-unit test-integration
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS)

# Every link in the Markdown files resolves inside the repository (the checker's own tests first).
check-docs:
	$(PYTHON) scripts/test_check_links.py
	$(PYTHON) scripts/check_links.py

# The layering rules the build enforces, said in words (scripts/check_layers.sh).
check-layers:
	@scripts/check_layers.sh

test-unit:
	ctest --test-dir $(BUILD) --output-on-failure -j2

test-integration:
	AUGUR_BIN=$(abspath $(BUILD))/augur $(PYTHON) -m pytest -q tests/integration

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DAUGUR_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=0 ctest --test-dir $(ASAN_BUILD) --output-on-failure -j2
	# Skipped under ASan, where they measure the sanitizer rather than augur: pgbench's timed runs,
	# the named-cursor test's RSS bound (ASan's shadow memory and quarantine grow RSS by hundreds of
	# MiB), and the 10,000-job SKIP LOCKED queue, whose workers outlive its join timeout.
	ASAN_OPTIONS=detect_leaks=0 AUGUR_BIN=$(abspath $(ASAN_BUILD))/augur $(PYTHON) -m pytest -q tests/integration -k "not pgbench and not million_rows_bounded_memory and not skip_locked_job_queue"

# ThreadSanitizer over the learned core's tests: its folds, merges and lock-free lookups run on
# several threads. Only that test is built (DuckDB is not instrumented, and a TSan DuckDB would
# report its own lock-free code).
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DAUGUR_TSAN=ON
	cmake --build $(TSAN_BUILD) --target learned_index_test
	TSAN_OPTIONS=halt_on_error=1 $(TSAN_BUILD)/tests/unit/learned/learned_index_test

# libFuzzer targets (tests/fuzz) in their own clang build: FUZZ_SECONDS per target on the
# committed corpus; fails when one crashes. fuzz-long: half an hour each, with a table of figures.
$(FUZZ_BUILD)/build.ninja: | deps
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DAUGUR_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD)

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz-long: fuzz-build
	scripts/fuzz_long.sh $(FUZZ_BUILD)

bench: bench-index bench-engine bench-pgbench bench-http

bench-index: build
	$(BUILD)/bench/learned/bench_index

# ROWS="10000000 100000000" for the 100M-row table as well (about 6 GB of RAM).
bench-engine: build
	$(BUILD)/bench/engine/bench_engine $(ROWS)

bench-pgbench: build
	bench/pgbench_compare.sh

bench-http: build
	bench/http_bench.sh

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
