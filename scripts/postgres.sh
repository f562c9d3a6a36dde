#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the server tests (installing Debian's
# postgresql if needed) and exports WAYMARK_TEST_POSTGRES, an admin URL the
# tests create their own databases with. Sourced by scripts/test.sh.
set -euo pipefail

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! dpkg -s postgresql >/dev/null 2>&1; then
    echo "test: installing PostgreSQL"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
fi
PG_VERSION=$(ls /etc/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    $SUDO pg_ctlcluster "$PG_VERSION" main start
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 && break
    sleep 1
done
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'waymark'\"" | grep -q 1; then
    as_postgres "psql -q -c \"CREATE ROLE waymark LOGIN CREATEDB PASSWORD 'waymark'\""
fi
export WAYMARK_TEST_POSTGRES="postgres://waymark:waymark@127.0.0.1:5432/postgres"
export WAYMARK_REQUIRE_POSTGRES=1
