#!/usr/bin/env bash
# Installs schemathesis (from PyPI, in its own virtual environment under
# target/) for the test that checks the server's /openapi.json against the
# live server, and tells that test where it is. Sourced by scripts/test.sh.
set -euo pipefail
SCHEMATHESIS_VERSION=4.32.5
TOOLS=target/schema-tools
if ! "$TOOLS/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    if ! python3 -m venv "$TOOLS" 2>/dev/null; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv
        python3 -m venv "$TOOLS"
    fi
    "$TOOLS/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi
export WAYMARK_SCHEMATHESIS="$PWD/$TOOLS/bin/st" WAYMARK_REQUIRE_SCHEMATHESIS=1
