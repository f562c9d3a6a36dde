#!/usr/bin/env bash
# Every test, or one stage of them:
#   scripts/test.sh [all|fmt|lint|unit|fuzz|e2e|bench|budgets|package]
# fmt and lint check the code; unit runs every unit, property, integration,
# process and sync test (against SQLite and a real PostgreSQL); fuzz runs the
# decoders of untrusted bytes briefly; e2e drives the real app under Xvfb;
# bench and budgets print their figures as MET / MISSED; package builds the
# .debs and installs them into a clean Debian root. A stage fails on
# correctness only: a figure over its budget is printed, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=${1:-all}
case "$STAGE" in
all | fmt | lint | unit | fuzz | e2e | bench | budgets | package) ;;
*)
    echo "test.sh: unknown stage '$STAGE' (all, fmt, lint, unit, fuzz, e2e, bench, budgets, package)" >&2
    exit 2
    ;;
esac
runs() { [ "$STAGE" = all ] || [ "$STAGE" = "$1" ]; }

# Where CI's time goes: each stage's wall time, printed as it ends and again
# at the close (CI has 90 minutes; a run over it is refused without a word).
TIMES=()
STARTED=$SECONDS
timed() {
    local name=$1 t=$SECONDS
    shift
    "$@"
    TIMES+=("$name $((SECONDS - t)) s")
    echo "test.sh: $name took $((SECONDS - t)) s"
}
# A step that hangs fails here, naming itself, before CI's limit (each
# limit is several times the step's usual time).
within() {
    local seconds=$1 name=$2 rc=0
    shift 2
    timeout --kill-after=30 "$seconds" "$@" || rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "test.sh: $name did not finish within $seconds s" >&2
    fi
    return "$rc"
}

timed setup source scripts/setup.sh
# The desktop shell embeds the UI: lint, tests and the app need it built.
if [ "$STAGE" != fmt ] && [ "$STAGE" != fuzz ]; then
    timed ui source scripts/build-ui.sh
fi

# What we ship, built exactly as scripts/run.sh builds it (so run.sh after
# test.sh reuses it), then the benchmarks on their own: their plain-store
# feature must never reach a shipped binary.
release_build() {
    cargo build --release -q -p waymark-app -p waymark-cli -p waymark-server
    if runs bench; then cargo build --release -q -p waymark-bench; fi
}
# The whole run builds the release (about 17 minutes of CPU from scratch)
# beside the tests, at idle priority: it takes only the CPU they leave while
# they wait on processes, sockets and the webview. The bench stage waits for it.
RELEASE_PID=""
if [ "$STAGE" = all ]; then
    export -f release_build runs
    export STAGE
    mkdir -p target
    # Its own process group (to stop it whole) but this session: Linux
    # weighs nice only within a session's group (autogroup), so `setsid`
    # would give it an equal share with the tests.
    set -m
    nice -n 19 ionice -c3 bash -ec release_build >target/release-build.log 2>&1 &
    RELEASE_PID=$!
    set +m
fi
# What a run leaves behind goes with it, however it ends.
cleanup() {
    if [ -n "$RELEASE_PID" ]; then kill -- -"$RELEASE_PID" 2>/dev/null || true; fi
    if declare -F postgres_stop >/dev/null; then postgres_stop; fi
}
trap cleanup EXIT
release_done() {
    if [ -z "$RELEASE_PID" ]; then
        release_build
    elif ! wait "$RELEASE_PID"; then
        cat target/release-build.log >&2
        echo "test.sh: the release build failed" >&2
        return 1
    fi
    cat target/release-build.log
}

if runs fmt && cargo fmt --version >/dev/null 2>&1; then
    timed fmt cargo fmt --all -- --check
fi
if runs lint && cargo clippy --version >/dev/null 2>&1; then
    timed lint cargo clippy --workspace --all-targets -- -D warnings
fi
unit() {
    # faketime runs a CLI store with a laptop's clock a day wrong.
    if ! command -v faketime >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq faketime
    fi
    # The server tests run against SQLite and a real PostgreSQL (a cluster
    # of the run's own, stopped and removed when it ends).
    source scripts/postgres.sh
    # schemathesis checks the server's published schema against the live server.
    source scripts/schemathesis.sh
    # No limit of its own: the stage times already show CI's log where it stopped.
    cargo test --workspace
}
if runs unit; then timed unit unit; fi
# The decoders of untrusted bytes under libFuzzer (cargo fuzz, stable, no sanitizer), briefly.
if runs fuzz; then timed fuzz within 1200 fuzz bash scripts/fuzz.sh 15; fi
# The real app under Xvfb, driven through tauri-driver (screenshots in target/e2e-screenshots/).
if runs e2e; then timed e2e within 2400 e2e bash scripts/e2e.sh; fi

if runs bench || runs budgets; then timed release release_done; fi
bench() {
    # The store's budgets at full scale are in the README; a small run here.
    within 900 waymark-bench target/release/waymark-bench --cases 500 --notes-per-case 20 --compare-cases 200
    # Sync budgets (full scale in the README): a real server process, a small
    # run, with PouchDB (from npm) measured beside the device.
    bash scripts/pouchdb.sh
    within 1200 waymark-sync-bench target/release/waymark-sync-bench \
        --changes 20000 --big-cases 100 --big-changes 20000 --idle-seconds 3 --rounds 3
}
if runs bench; then timed bench bench; fi
# The desktop app's budgets at full scale (release build, a 10,000-case store):
# cold start < 1 s, first caseload page < 300 ms after unlock, app RSS < 200 MB.
if runs budgets; then timed budgets within 900 budgets bash scripts/budgets.sh 10000; fi
# The Debian packages of the app and of the server with the CLI, installed
# into a clean Debian root, started there, and upgrading an earlier
# release's store.
package() {
    within 900 package.sh bash scripts/package.sh
    within 1200 package-test.sh bash scripts/package-test.sh
}
if runs package; then timed package package; fi
echo "test.sh: $STAGE passed in $((SECONDS - STARTED)) s (${TIMES[*]/%/;})"
