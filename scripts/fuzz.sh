#!/usr/bin/env bash
# Fuzzes the decoders that read untrusted bytes (sealed changes, sealed keys,
# the wire's JSON bodies) with cargo fuzz, for SECONDS each (default 15).
# Stable Rust: libFuzzer's coverage instrumentation without a sanitizer
# (`-s none`); a failing input lands in fuzz/artifacts/.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-15}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install -q cargo-fuzz --version '^0.13'
cd fuzz
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
for target in ${FUZZ_TARGETS:-sealed_change sealed_key envelope}; do
    if ! cargo fuzz run -s none -O "$target" -- -max_total_time="$SECONDS_EACH" >"$LOG" 2>&1; then
        grep -E "panicked|ERROR|SUMMARY|artifact" "$LOG" >&2 || tail -20 "$LOG" >&2
        echo "fuzz: $target found a failing input (fuzz/artifacts/$target/)" >&2
        exit 1
    fi
    echo "fuzz $target: $(grep -E '^Done' "$LOG")"
done
