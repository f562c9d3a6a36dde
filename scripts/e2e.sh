#!/usr/bin/env bash
# End-to-end tests of the real app: builds it (the UI first, by test.sh),
# starts the demo sync server, and drives the app under Xvfb through
# tauri-driver + WebKitWebDriver with a Selenium client; axe-core (from npm)
# is injected on every main screen. Screenshots land in
# target/e2e-screenshots/. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/webdriver-tools.sh
TOOLS=target/e2e-tools
AXE_VERSION=4.10.3
[ -f "$TOOLS/node_modules/axe-core/axe.min.js" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$TOOLS/node_modules/axe-core/package.json" \
    || npm install --silent --no-audit --no-fund --prefix "$TOOLS" "axe-core@$AXE_VERSION"

cargo build -q -p waymark-app -p waymark-cli -p waymark-server
WORK=$(mktemp -d)
DEMO="$WORK/demo-server"
cleanup() {
    for pidfile in "$DEMO/server.pid" "$DEMO/keyholder.pid"; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
bash scripts/demo-server.sh "$DEMO" target/debug >/dev/null 2>&1
source "$DEMO/env"

export WAYMARK_STORE="$WORK/app-store" WAYMARK_APP="$PWD/target/debug/waymark-app"
export WAYMARK_CLI="$PWD/target/debug/waymark" WAYMARK_WORK="$WORK" WAYMARK_DEMO_DIR="$DEMO"
export WAYMARK_AXE="$PWD/$TOOLS/node_modules/axe-core/axe.min.js"
export WAYMARK_SHOTS="$PWD/target/e2e-screenshots"
rm -rf "$WAYMARK_SHOTS" && mkdir -p "$WAYMARK_SHOTS"

# NO_AT_BRIDGE: no accessibility bus to start on the fresh session bus.
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- tests/e2e/drive.sh
echo "e2e screenshots: $WAYMARK_SHOTS"
