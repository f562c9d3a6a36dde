#!/usr/bin/env bash
# The peer the sync bench measures beside the device: PouchDB and its
# server, pinned by crates/waymark-bench/pouchdb/package-lock.json, from npm.
# Called by scripts/test.sh before the sync bench; without it the bench says
# PouchDB was not run.
set -euo pipefail
cd "$(dirname "$0")/.."
PEER=crates/waymark-bench/pouchdb
if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm
fi
[ -d "$PEER/node_modules/pouchdb-node" ] && [ "$PEER/node_modules/.package-lock.json" -nt "$PEER/package-lock.json" ] \
    || npm ci --silent --no-audit --no-fund --prefix "$PEER"
