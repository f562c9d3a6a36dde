#!/usr/bin/env bash
# Installs what Waymark needs on a fresh Debian machine, and nothing twice.
# Sourced by scripts/run.sh and scripts/test.sh.
set -euo pipefail

# Debian packages: pkg-config + libssl-dev to link SQLCipher against OpenSSL's
# libcrypto; sqlite3 for the test that plain SQLite cannot read our store.
# mold links (.cargo/config.toml). The desktop app (Tauri 2): WebKitGTK and friends.
DEBIAN_PACKAGES=(pkg-config libssl-dev sqlite3 build-essential mold
    libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || { echo "setup: cargo (Rust) is required" >&2; exit 1; }
