#!/usr/bin/env bash
# The main job: build Waymark, make an encrypted demo store with plainly
# fictional data, and show its caseload.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

cargo build --release -p waymark-cli
WAYMARK=target/release/waymark
STORE="${WAYMARK_DEMO_STORE:-demo-store}"
export WAYMARK_PASSPHRASE="${WAYMARK_PASSPHRASE:-demo passphrase}"

if [ ! -f "$STORE/keys.json" ]; then
    "$WAYMARK" --store "$STORE" init --user demo
    "$WAYMARK" --store "$STORE" demo-data --cases 40 --notes-per-case 12
fi
"$WAYMARK" --store "$STORE" caseload
echo
echo "Demo store: $STORE (user 'demo', passphrase from WAYMARK_PASSPHRASE: '$WAYMARK_PASSPHRASE')."
echo "Try: WAYMARK_PASSPHRASE='$WAYMARK_PASSPHRASE' $WAYMARK --store $STORE search housing"
