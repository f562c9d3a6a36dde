#!/usr/bin/env bash
# End-to-end tests of the real app: builds it (the UI first), makes a demo
# store, and drives the app under Xvfb through tauri-driver + WebKitWebDriver
# with a Selenium client. Screenshots land in target/e2e-screenshots/.
# Called by scripts/test.sh (after setup.sh and build-ui.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
for p in webkit2gtk-driver xvfb python3-pip; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
command -v tauri-driver >/dev/null 2>&1 || cargo install -q tauri-driver --version '^2'
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium

cargo build -q -p waymark-app -p waymark-cli
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export WAYMARK_STORE="$WORK/store" WAYMARK_APP="$PWD/target/debug/waymark-app"
export WAYMARK_SHOTS="$PWD/target/e2e-screenshots" WAYMARK_CASES=12
mkdir -p "$WAYMARK_SHOTS"
WAYMARK_PASSPHRASE="demo passphrase" target/debug/waymark init --user demo >/dev/null
WAYMARK_PASSPHRASE="demo passphrase" target/debug/waymark demo-data --cases "$WAYMARK_CASES" --notes-per-case 3 >/dev/null

export WORK
xvfb-run -a -s "-screen 0 1280x900x24" tests/e2e/drive.sh
echo "e2e screenshots: $WAYMARK_SHOTS"
