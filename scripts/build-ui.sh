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
# Built aside, and a file replaced only when its bytes changed: the app's
# build script rebuilds the app whenever ui/dist looks touched (minutes).
UI_BUILT=target/ui-dist
rm -rf "$UI_BUILT" && mkdir -p "$UI_BUILT" ui/dist
wasm-bindgen --target web --no-typescript --out-dir "$UI_BUILT" \
    target/wasm32-unknown-unknown/release/waymark-ui.wasm
cp ui/index.html ui/style.css "$UI_BUILT/"
for built in "$UI_BUILT"/*; do
    cmp -s "$built" "ui/dist/${built##*/}" || cp "$built" ui/dist/
done
