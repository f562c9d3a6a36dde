#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster of its own for the server tests
# (installing Debian's postgresql if needed) and exports WAYMARK_TEST_POSTGRES,
# an admin URL the tests create their own databases with. Sourced by
# scripts/test.sh, which calls postgres_stop when it ends.
#
# Its own cluster, not the system's: a fresh directory each run starts in a
# second whatever an earlier run left (a killed run once left the system
# cluster to recover thousands of test databases, longer than pg_ctl waits),
# and its databases go with it.
set -euo pipefail

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! dpkg -s postgresql >/dev/null 2>&1; then
    echo "test: installing PostgreSQL"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
fi
PG_BIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

# The first free port from 55432 (another run on this machine may hold one).
PG_PORT=""
for port in $(seq 55432 55499); do
    if ! (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
        PG_PORT=$port
        break
    fi
done
[ -n "$PG_PORT" ] || { echo "postgres.sh: no free port in 55432-55499" >&2; exit 1; }

PG_DIR=$(mktemp -d /tmp/waymark-postgres.XXXXXX)
chown postgres:postgres "$PG_DIR" 2>/dev/null || $SUDO chown postgres:postgres "$PG_DIR"
as_postgres "$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >/dev/null"
# Nothing here outlives the run, so nothing needs to reach the disk.
as_postgres "cat >> $PG_DIR/data/postgresql.conf <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF"
as_postgres "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/log -w -t 120 start >/dev/null" || {
    cat "$PG_DIR/log" >&2
    echo "postgres.sh: the test cluster did not start (log above)" >&2
    exit 1
}
as_postgres "psql -q -h $PG_DIR -p $PG_PORT -U postgres -c \"CREATE ROLE waymark LOGIN CREATEDB PASSWORD 'waymark'\""
export PG_DIR PG_BIN
postgres_stop() {
    as_postgres "$PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop >/dev/null" 2>/dev/null || true
    rm -rf "$PG_DIR"
}
echo "postgres.sh: a throwaway cluster on 127.0.0.1:$PG_PORT ($PG_DIR)"
export WAYMARK_TEST_POSTGRES="postgres://waymark:waymark@127.0.0.1:$PG_PORT/postgres"
export WAYMARK_REQUIRE_POSTGRES=1
