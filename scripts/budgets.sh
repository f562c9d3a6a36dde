#!/usr/bin/env bash
# The desktop app's budgets, measured in the release build under Xvfb: cold
# start to the unlock screen, the first caseload page of a 10,000-case store
# after unlock, resident memory. Prints each figure as MET or MISSED; fails
# only if the app does not do its job (no unlock, no caseload).
#   scripts/budgets.sh [CASES]
# Expects what e2e.sh installs (tauri-driver, WebKitWebDriver, Xvfb, selenium).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-10000}
# The same build as scripts/run.sh and scripts/test.sh: nothing is rebuilt.
cargo build -q --release -p waymark-app -p waymark-cli -p waymark-server
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export WAYMARK_STORE="$WORK/store" WAYMARK_APP="$PWD/target/release/waymark-app"
export WAYMARK_USER=demo WAYMARK_PASSPHRASE="demo passphrase" WAYMARK_CASES=$CASES WAYMARK_WORK="$WORK"
target/release/waymark init --user demo >/dev/null
target/release/waymark demo-data --cases "$CASES" --notes-per-case 2 >/dev/null 2>&1
cat >"$WORK/drive.sh" <<'DRIVE'
#!/usr/bin/env bash
set -uo pipefail
tauri-driver --port 4444 >"$WAYMARK_WORK/tauri-driver.log" 2>&1 &
driver=$!
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
rc=0
timeout 300 python3 tests/e2e/budgets.py "$@" || rc=$?
kill "$driver" 2>/dev/null
exit "$rc"
DRIVE
chmod +x "$WORK/drive.sh"
xvfb-run -a -s "-screen 0 1280x900x24" "$WORK/drive.sh" "$@"
