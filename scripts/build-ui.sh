#!/usr/bin/env bash
# Builds the Yew UI into ui/dist (the Tauri shell embeds it at compile time):
# the wasm32 target and the wasm-bindgen CLI at exactly the version in
# Cargo.lock are installed if missing. Sourced by run.sh and test.sh.
set -euo pipefail

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' \
    || rustup target add wasm32-unknown-unknown
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
cargo build -q -p waymark-ui --target wasm32-unknown-unknown --release
mkdir -p ui/dist
wasm-bindgen --target web --no-typescript --out-dir ui/dist \
    target/wasm32-unknown-unknown/release/waymark-ui.wasm
cp ui/index.html ui/style.css ui/dist/
