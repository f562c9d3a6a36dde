#!/usr/bin/env bash
# Inside Xvfb: start tauri-driver, run the Selenium test, stop the driver.
set -uo pipefail
tauri-driver --port 4444 >"$WAYMARK_WORK/tauri-driver.log" 2>&1 &
driver=$!
for _ in $(seq 1 50); do
    (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break
    sleep 0.2
done
rc=0
timeout 900 python3 tests/e2e/test_app.py || rc=$?
kill "$driver" 2>/dev/null
[ "$rc" -ne 0 ] && cat "$WAYMARK_WORK/tauri-driver.log" >&2
exit "$rc"
