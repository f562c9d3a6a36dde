#!/usr/bin/env bash
# A local sync server with a demo organisation, for the run command and the
# end-to-end tests:   scripts/demo-server.sh DIR [BIN_DIR]
# First time: an organisation "Demo" with team "Outreach", a caseworker
# (demo-worker), a supervisor (demo-supervisor) and an admin (demo-admin),
# each joined with their one-time enrolment code (as `waymark join` does)
# choosing the passphrase "demo passphrase", three programmes the admin
# defines, 40 plainly fictional cases in them pushed as the worker's, the
# supervisor's notes and sign-offs on a few of them, and three of them
# allocated to a volunteer (demo-volunteer), who joins with a code of their
# own (`server admin new-code --user demo-volunteer`).
# Every time: starts the server on its loopback port (DIR/port, DIR/server.pid,
# DIR/server.log) and writes DIR/env with the WAYMARK_DEMO_* variables.
# Cases are end-to-end encrypted: only devices holding a case's key can read
# it, and the server cannot. So the seed store stays as "a colleague's laptop"
# (DIR/seed-store) that syncs every 2 s (DIR/keyholder.pid): it seals the
# case keys for each newly enrolled device, as a member's device does, once
# an admin has confirmed the person. The admin's laptop (DIR/admin-store,
# demo-admin) made the organisation's signing key when it joined; confirm a
# person with the phrase their own device shows (Settings, or
# `waymark identity`):
#   waymark --store DIR/admin-store confirm demo-worker --fingerprint "PHRASE"
# (add --admin to confirm an admin).
set -euo pipefail
DIR=$1
BIN=${2:-target/release}
mkdir -p "$DIR"
DB="$DIR/server.db"
PASS="demo passphrase"
server() { "$BIN/waymark-server" --db "$DB" "$@"; }

if [ ! -f "$DB" ]; then
    server migrate >/dev/null
    server admin create-org --name Demo >/dev/null
    server admin add-team --org Demo --name Outreach >/dev/null
    # An administrator adds people with one-time codes, never passphrases.
    code() { server --json admin add-user --org Demo "$@" | python3 -c 'import json, sys; print(json.load(sys.stdin)["enrolment_code"])'; }
    WORKER_CODE=$(code --name demo-worker --role worker --team Outreach)
    SUPERVISOR_CODE=$(code --name demo-supervisor --role supervisor --team Outreach)
    ADMIN_CODE=$(code --name demo-admin --role admin)
    code --name demo-volunteer --role volunteer --team Outreach >/dev/null
    SEED_CASES=${WAYMARK_DEMO_CASES:-40}
fi

for pidfile in "$DIR/server.pid" "$DIR/keyholder.pid"; do
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")" && sleep 0.3
    fi
done
# The same port every time: stores keep the server's address.
[ -f "$DIR/port" ] || python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$DIR/port"
PORT=$(cat "$DIR/port")
# Not through the function: $! must be the server itself, to stop it.
"$BIN/waymark-server" --db "$DB" serve --listen "127.0.0.1:$PORT" >"$DIR/server.log" 2>&1 &
echo $! >"$DIR/server.pid"
URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 50); do
    grep -q "listening on" "$DIR/server.log" 2>/dev/null && break
    sleep 0.1
done

if [ -n "${SEED_CASES:-}" ]; then
    # The demo worker's cases, written on a seed store and pushed.
    SEED="$DIR/seed-store"
    ADMIN_STORE="$DIR/admin-store"
    rm -rf "$SEED" "$ADMIN_STORE" "$DIR/supervisor-store"
    export WAYMARK_PASSPHRASE="$PASS" WAYMARK_NEW_PASSPHRASE="$PASS"
    # The admin's laptop joins first: it makes the organisation's key.
    "$BIN/waymark" --store "$ADMIN_STORE" join --server "$URL" --user demo-admin --code "$ADMIN_CODE" --device-label "demo admin laptop" >/dev/null
    # The organisation's programmes (signed by the admin, relayed to every device).
    admin_cli() { "$BIN/waymark" --store "$ADMIN_STORE" "$@" >/dev/null; }
    admin_cli programme add --name "Women's diversion scheme" --kind diversion --weeks 16 \
        --follow-up-months 6,12 --outcome-area Confidence --outcome-area "Staying safe"
    admin_cli programme add --name "Domestic abuse outreach" --kind domestic_abuse --weeks 26 \
        --outcome-area "Staying safe"
    admin_cli programme add --name "Complex needs support" --kind outreach --weeks 52 --follow-up-months 6
    admin_cli sync
    "$BIN/waymark" --store "$SEED" join --server "$URL" --user demo-worker --code "$WORKER_CODE" --device-label "demo seed" >/dev/null
    # The seed laptop has the programmes before it writes the demo cases.
    "$BIN/waymark" --store "$SEED" sync >/dev/null
    "$BIN/waymark" --store "$SEED" demo-data --cases "$SEED_CASES" --notes-per-case 6 --keyworker demo-worker --groups >/dev/null
    # The supervisor chose their passphrase on a laptop of their own.
    "$BIN/waymark" --store "$DIR/supervisor-store" join --server "$URL" --user demo-supervisor --code "$SUPERVISOR_CODE" --device-label "demo supervisor laptop" >/dev/null
    PHRASE=$("$BIN/waymark" --store "$SEED" identity --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["fingerprint_phrase"])')
    "$BIN/waymark" --store "$ADMIN_STORE" confirm demo-worker --fingerprint "$PHRASE" >/dev/null
    "$BIN/waymark" --store "$SEED" sync >/dev/null
    # The supervisor's laptop, confirmed too, holds the team's cases (the
    # seed seals it their keys), writes supervision notes on a few and signs
    # off a few closures and risk assessments; its next syncs seal the
    # supervision logs' keys to the keyworker's devices.
    sup() { "$BIN/waymark" --store "$DIR/supervisor-store" "$@"; }
    PHRASE=$(sup identity --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["fingerprint_phrase"])')
    "$BIN/waymark" --store "$ADMIN_STORE" confirm demo-supervisor --fingerprint "$PHRASE" >/dev/null
    "$BIN/waymark" --store "$SEED" sync >/dev/null
    sup sync >/dev/null
    python3 - "$BIN/waymark" "$DIR/supervisor-store" <<'PY'
import datetime, json, subprocess, sys
cli, store = sys.argv[1:3]
def run(*args):
    return subprocess.run([cli, "--store", store, *args], check=True, capture_output=True, text=True).stdout
cases = json.loads(run("caseload", "--json"))
today = datetime.date.today()
talks = [
    ("Reviewed engagement after two missed appointments; she is worried about the court date.",
     "Offer a home visit instead of office appointments", "Arrange a home visit"),
    ("Discussed the housing move and whether the refuge place still fits.",
     "Keep the refuge referral open for another fortnight", "Chase the housing officer"),
    ("Talked through the risk assessment and the children's school arrangements.",
     "Refer to the MARAC if another incident is reported", "Speak to the school's safeguarding lead"),
]
for case, (discussion, decision, action) in zip(cases, talks):
    due = (today + datetime.timedelta(days=10)).isoformat()
    run("supervision", "add", case["case_id"], "--discussion", discussion, "--decision", decision,
        "--action", f"{action} | demo-worker | {due}")
for item in json.loads(run("signoff", "pending", "--json"))[:4]:
    flag = {"closure": "--closure", "risk_assessment": "--risk-assessment",
            "marac_decision": "--marac-decision"}[item["due"]["subject"]]
    run("signoff", "add", flag, item["due"]["subject_id"], "--comment", "Reviewed in supervision")
PY
    sup sync >/dev/null
    sup sync >/dev/null
    # Three cases allocated to the volunteer: the keyworker's laptop writes
    # each one's contact brief, which its next sync sends.
    for case in $("$BIN/waymark" --store "$SEED" caseload --json | python3 -c 'import json, sys; print(" ".join(c["case_id"] for c in json.load(sys.stdin)[3:6]))'); do
        "$BIN/waymark" --store "$SEED" share "$case" --with demo-volunteer >/dev/null
    done
    "$BIN/waymark" --store "$SEED" sync >/dev/null
fi
if [ -d "$DIR/seed-store" ]; then
    # Its own process (not a subshell of a function): $! is what to stop.
    WAYMARK_PASSPHRASE="$PASS" bash -c 'while true; do "$0" --store "$1" sync >/dev/null 2>&1; sleep 2; done' \
        "$BIN/waymark" "$DIR/seed-store" >/dev/null 2>&1 &
    echo $! >"$DIR/keyholder.pid"
fi

cat >"$DIR/env" <<ENV
export WAYMARK_DEMO_SERVER=$URL
export WAYMARK_DEMO_WORKER=demo-worker
export WAYMARK_DEMO_SUPERVISOR=demo-supervisor
export WAYMARK_DEMO_ADMIN=demo-admin
export WAYMARK_DEMO_VOLUNTEER=demo-volunteer
export WAYMARK_DEMO_ADMIN_STORE="$DIR/admin-store"
export WAYMARK_DEMO_PASSPHRASE="$PASS"
ENV
echo "$URL"
