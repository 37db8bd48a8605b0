# Gongzhi: the two commands people run are `make run` and `make test`.
# Every step installs what it needs when missing, and is quick when done.

SHELL := /bin/bash
.DEFAULT_GOAL := run

# Cargo's build output lives outside the clone so rebuilds are incremental across clones.
export CARGO_TARGET_DIR ?= /var/tmp/gongzhi-target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)
BIN := $(CARGO_TARGET_DIR)/release/gongzhi
SITE := target/site
SOURCES := $(shell find app domain server frontend style public migrations -type f -not -path '*/tests/*') Cargo.toml Cargo.lock .cargo/config.toml
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
TEST_DATABASE_URL ?= postgres://postgres@$(PG_HOST):$(PG_PORT)/postgres
E2E_PORT ?= 3100
MOTO_VERSION := 5.2.6
S3_SERVER := $(CURDIR)/.tools/s3/bin/moto_server

# What the server needs at run time, for `make run` (the rest has defaults; see .env.example).
RUN_ENV := LEPTOS_SITE_ROOT=$(SITE) LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD \
	LEPTOS_SITE_ADDR=$${LEPTOS_SITE_ADDR:-127.0.0.1:3000}

.PHONY: run test setup build fmt-check clippy test-rust test-e2e bench bench-all bench-reports bench-open311 bench-forwarding bench-deliberation bench-live bench-results clean-test-dbs help

help:
	@echo "make run   - build (first time: installs tools), migrate, seed demo data, serve on http://127.0.0.1:3000"
	@echo "make test  - fmt, clippy, Rust tests on SQLite and PostgreSQL, Playwright end-to-end"

## ---- set-up: each step checks first and does nothing when done -------------------------------

setup: .tools/rust-wasm .tools/cargo-leptos-$(CARGO_LEPTOS_VERSION) .tools/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.bin/wasm-opt public/vendor/leaflet/leaflet.js

.tools/rust-wasm:
	@mkdir -p .tools
	rustup target add wasm32-unknown-unknown
	@touch $@

.tools/cargo-leptos-$(CARGO_LEPTOS_VERSION):
	@mkdir -p .tools
	@if cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then true; else \
		echo "Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 20 minutes on 2 cores, once per machine)"; \
		cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION); fi
	@touch $@

# The wasm-bindgen CLI must match the library version in Cargo.lock. Installed without
# --locked: its lock file names a crate version the registry no longer has.
.tools/wasm-bindgen-$(WASM_BINDGEN_VERSION):
	@mkdir -p .tools
	@if wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then true; else \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@touch $@

node_modules/.bin/wasm-opt: package.json
	npm install --no-audit --no-fund
	@touch $@

# Leaflet is served from our own assets (no CDN): copied from npm into public/vendor.
public/vendor/leaflet/leaflet.js: node_modules/.bin/wasm-opt
	@test -f node_modules/leaflet/dist/leaflet.js || npm install --no-audit --no-fund
	mkdir -p public/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images public/vendor/leaflet/
	cp node_modules/leaflet/LICENSE public/vendor/leaflet/LICENSE
	@touch $@

## ---- build and run ---------------------------------------------------------------------------

build: setup $(BIN)

$(BIN): $(SOURCES)
	cargo leptos build --release --precompress
	@touch $@

run: build
	@mkdir -p data
	@echo "Gongzhi: http://127.0.0.1:3000  (demo accounts are in README.md and printed below)"
	$(RUN_ENV) $(BIN) serve

## ---- tests -------------------------------------------------------------------------------------

test: fmt-check clippy test-rust test-e2e

fmt-check:
	cargo fmt --all --check

clippy: setup
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p gongzhi-frontend -p gongzhi-app --target wasm32-unknown-unknown --features gongzhi-frontend/hydrate -- -D warnings

# Rust tests on SQLite and on PostgreSQL. CI must reach PostgreSQL; elsewhere a missing
# server is said in one line and only the SQLite half runs.
test-rust: $(S3_SERVER)
	@if (exec 3<>/dev/tcp/$(PG_HOST)/$(PG_PORT)) 2>/dev/null; then \
		TEST_DATABASE_URL='$(TEST_DATABASE_URL)' GONGZHI_TEST_S3_SERVER='$(S3_SERVER)' cargo test --workspace --no-fail-fast; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): CI requires it."; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): running the SQLite tests only."; \
		GONGZHI_TEST_S3_SERVER='$(S3_SERVER)' cargo test --workspace --no-fail-fast -- --skip postgres --skip both_schemas; \
	fi

# An S3-compatible server for the blob-store contract test (the test starts and stops it):
# moto's, from PyPI, in a virtual environment inside the project.
$(S3_SERVER):
	python3 -m venv .tools/s3
	.tools/s3/bin/pip install --quiet --disable-pip-version-check "moto[server]==$(MOTO_VERSION)"
	@touch $@

test-e2e: build end2end/node_modules/.bin/playwright /usr/bin/chromium
	cd end2end && E2E_PORT=$(E2E_PORT) GONGZHI_BIN=$(BIN) npx playwright test

end2end/node_modules/.bin/playwright: end2end/package.json
	cd end2end && npm install --no-audit --no-fund
	@touch $@

## ---- benchmarks ------------------------------------------------------------------------------

# The whole server under load in one run, on SQLite and PostgreSQL, with the machine's
# reference points (a static file, the raw commit rate) and the bytes of a first visit:
# bench/results.md. About 10 minutes once the release is built.
bench: build /usr/bin/wrk /usr/bin/sqlite3
	GONGZHI_BIN=$(BIN) bash bench/run.sh

# Each feature's own benchmark, one after another (each writes bench/results-<name>.md).
bench-all: bench bench-reports bench-open311 bench-deliberation bench-forwarding bench-live bench-results

# Report pages from a 100,000-report database, on SQLite and PostgreSQL (issue 3's targets).
bench-reports: build /usr/bin/wrk
	GONGZHI_BIN=$(BIN) bash bench/reports.sh

# The Open311 server under 32 connections from a 100,000-report database (issue 4's target).
bench-open311: build /usr/bin/wrk
	GONGZHI_BIN=$(BIN) bash bench/open311.sh

# A proposal page with a 2,000-comment discussion, first and later pages (issue 5's target).
bench-deliberation: build /usr/bin/wrk
	GONGZHI_BIN=$(BIN) bash bench/deliberation.sh

# A live Q&A session with 500 connected browsers: upvote delivery latency and server memory
# (issue 7's target).
bench-live: build
	GONGZHI_BIN=$(BIN) bash bench/live.sh

# The results page and open data from a city of 1,000,000 reports (issue 8's target).
bench-results: build /usr/bin/wrk /usr/bin/sqlite3
	GONGZHI_BIN=$(BIN) bash bench/results.sh

# Submit-to-arrival latency of forwarding between two chained instances (issue 4's target).
bench-forwarding: build /usr/bin/sqlite3
	GONGZHI_BIN=$(BIN) bash bench/forwarding.sh

/usr/bin/sqlite3:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 bc; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 bc; fi

/usr/bin/wrk:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk brotli; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk brotli; fi

/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi
