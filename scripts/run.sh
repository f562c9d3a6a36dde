#!/usr/bin/env bash
# The main job: build Waymark and open the desktop app against a local demo
# server. First run: the server gets a demo organisation (a caseworker and a
# supervisor, 40 plainly fictional cases) and the app starts on its "join"
# screen with a "Use the demo" button. Later runs: the unlock screen.
# State lives in ./demo (WAYMARK_DEMO_DIR); delete it to start again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source scripts/build-ui.sh

cargo build --release -p waymark-app -p waymark-cli -p waymark-server
DEMO="${WAYMARK_DEMO_DIR:-demo}"
URL=$(bash scripts/demo-server.sh "$DEMO" target/release 2>/dev/null)
source "$DEMO/env"
export WAYMARK_STORE="${WAYMARK_STORE:-$DEMO/app-store}"
trap 'kill "$(cat "$DEMO/server.pid")" "$(cat "$DEMO/keyholder.pid")" 2>/dev/null || true' EXIT

cat <<TEXT

Waymark demo: a sync server with the organisation "Demo" is running at $URL.
  First run: press "Use the demo", then "Join and fetch my cases".
  Log in as $WAYMARK_DEMO_WORKER (a caseworker), $WAYMARK_DEMO_SUPERVISOR (a supervisor)
  or $WAYMARK_DEMO_ADMIN (an admin: devices, the recovery key);
  the passphrase is "$WAYMARK_DEMO_PASSPHRASE". All people in it are fictional.
  Quick exit: Ctrl+L (or the red button) hides everything and locks.
  Case keys reach a person only once an admin has confirmed them: compare the
  phrase in the app's Settings, then, as the demo's admin:
    target/release/waymark --store $WAYMARK_DEMO_ADMIN_STORE confirm $WAYMARK_DEMO_WORKER --fingerprint "PHRASE"
  (passphrase "$WAYMARK_DEMO_PASSPHRASE"; --admin to confirm an admin) and sync.
  The app's store: $WAYMARK_STORE (encrypted). Close the window to stop.

TEXT
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    target/release/waymark-app
else
    # No desktop (a server, CI): show that it starts, under a virtual display.
    command -v xvfb-run >/dev/null 2>&1 || { $([ "$(id -u)" -ne 0 ] && echo sudo) apt-get install -y -qq xvfb; }
    echo "No display here: starting the app under Xvfb for 5 seconds to show it runs."
    timeout 5 xvfb-run -a target/release/waymark-app || [ $? -eq 124 ]
    echo "The app started and ran. On a desktop, this command opens its window."
fi
