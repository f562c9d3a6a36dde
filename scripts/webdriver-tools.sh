# shellcheck shell=bash
# Sourced: what driving the real app needs (WebKitWebDriver, Xvfb, a session
# bus, tauri-driver, the Selenium client), installed if missing.
# Used by scripts/e2e.sh and scripts/package-test.sh.
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
# dbus: a session bus, on which the e2e test signals "screen locked".
for p in webkit2gtk-driver xvfb python3-pip dbus-daemon dbus-bin curl; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
command -v tauri-driver >/dev/null 2>&1 || cargo install -q tauri-driver --version '^2'
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium 2>/dev/null ||
    python3 -m pip install -q --break-system-packages selenium
