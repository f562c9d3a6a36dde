#!/usr/bin/env bash
# Every test: formatting, lints, unit, property, integration and process
# tests, then a small benchmark run that prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# faketime runs a CLI store with a laptop's clock a day wrong.
if ! command -v faketime >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq faketime
fi
# The server tests run against SQLite and a real PostgreSQL.
source scripts/postgres.sh
# The desktop shell embeds the UI: build it first.
source scripts/build-ui.sh

if cargo fmt --version >/dev/null 2>&1; then
    cargo fmt --all -- --check
fi
if cargo clippy --version >/dev/null 2>&1; then
    cargo clippy --workspace --all-targets -- -D warnings
fi
cargo test --workspace
# The decoders of untrusted bytes under libFuzzer (cargo fuzz, stable, no sanitizer), briefly.
bash scripts/fuzz.sh 15
# The real app under Xvfb, driven through tauri-driver (screenshots in target/e2e-screenshots/).
bash scripts/e2e.sh

# The budgets are checked at full scale with `waymark-bench` (see README);
# here a small run proves the benchmark works and shows the figures.
cargo run --release -q -p waymark-bench --bin waymark-bench -- --cases 500 --notes-per-case 20 --compare-cases 200

# Sync budgets (full scale in the README): a real server process, a small run.
cargo build --release -q -p waymark-server -p waymark-cli -p waymark-bench
target/release/waymark-sync-bench --changes 20000 --big-cases 100 --big-changes 20000 --idle-seconds 3

# The desktop app's budgets at full scale (release build, a 10,000-case store):
# cold start < 1 s, first caseload page < 300 ms after unlock, app RSS < 200 MB.
bash scripts/budgets.sh 10000
