#!/usr/bin/env bash
# The packages, installed as a service would install them: a clean Debian
# root (debootstrap, the host's release), both .debs installed there by apt
# (which fetches what they depend on), then
#   - waymark --version and waymark-server --help;
#   - the server's user, its private state directory and settings file, and
#     the server started as that user answering /healthz;
#   - an upgrade: a person's store written by an earlier release
#     (tests/fixtures/store-before-0.1.0, see its README) opened by the
#     installed app under Xvfb through WebDriver (its unlock screen, unlocked,
#     every case there), then read whole by the installed CLI.
# Needs root (chroot, mounts). Called by scripts/test.sh (stage `package`)
# after scripts/package.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || exec sudo -E bash "$0" "$@"

missing=()
for p in debootstrap xvfb; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
source scripts/webdriver-tools.sh

VERSION=$(ls target/debian/waymark-server_*.deb | sed 's/.*waymark-server_\(.*\)_.*\.deb/\1/')
SUITE=$(. /etc/os-release && echo "$VERSION_CODENAME")
MIRROR=${WAYMARK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ROOT="$PWD/target/debian-root"
SHOTS="$PWD/target/package-screenshots"
FIXTURE=tests/fixtures/store-before-0.1.0

mounted() { grep -q " $ROOT" /proc/mounts; }
unmount_all() {
    # Deepest first; a lazy unmount for anything a straggler holds.
    { grep " $ROOT" /proc/mounts || true; } | cut -d' ' -f2 | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
}
cleanup() {
    if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; fi
    unmount_all
    # Never delete through a mount: a bound /dev would take the host's with it.
    if mounted; then echo "package-test: $ROOT still has mounts; not deleting it" >&2; else rm -rf "$ROOT"; fi
}
trap cleanup EXIT
in_root() { chroot "$ROOT" "$@"; }

unmount_all
mounted && { echo "package-test: cannot unmount under $ROOT" >&2; exit 1; }
rm -rf "$ROOT"
echo "package-test: a clean $SUITE root (debootstrap --variant=minbase)"
debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$PWD/target/debootstrap.log" 2>&1 ||
    { tail -20 "$PWD/target/debootstrap.log"; exit 1; }
mount -t proc proc "$ROOT/proc"
mount -t sysfs sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

cp target/debian/*.deb "$ROOT/tmp/"
echo "package-test: apt installs both packages and what they depend on"
in_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --no-install-recommends \
    "/tmp/waymark-server_${VERSION}_$(dpkg --print-architecture).deb" \
    "/tmp/waymark_${VERSION}_$(dpkg --print-architecture).deb" >"$PWD/target/package-install.log" 2>&1 ||
    { tail -30 "$PWD/target/package-install.log"; exit 1; }

fail() { echo "FAILED package-test: $*" >&2; exit 1; }
expect() { # expect WHAT EXPECTED ACTUAL
    [ "$2" = "$3" ] || fail "$1: expected '$2', found '$3'"
    echo "  ok  $1: $3"
}
expect "waymark --version" "waymark $VERSION" "$(in_root waymark --version)"
in_root waymark-server --help | grep -q "Waymark's central sync server" || fail "waymark-server --help"
echo "  ok  waymark-server --help"
expect "the app installed" /usr/bin/waymark-app "$(in_root sh -c 'command -v waymark-app')"
grep -q '^Exec=waymark-app' "$ROOT/usr/share/applications/Waymark.desktop" || fail "no desktop entry for the app"
echo "  ok  the app's desktop entry"

expect "the server's user" "waymark:/var/lib/waymark:/usr/sbin/nologin" \
    "$(in_root getent passwd waymark | cut -d: -f1,6,7)"
expect "its state directory" "700 waymark:waymark" "$(in_root stat -c '%a %U:%G' /var/lib/waymark)"
expect "its settings" "640 root:waymark" "$(in_root stat -c '%a %U:%G' /etc/waymark/server.env)"
expect "the settings a conffile" /etc/waymark/server.env "$(in_root dpkg-query -W -f='${Conffiles}' waymark-server | awk '{print $1}')"
in_root test -f /lib/systemd/system/waymark-server.service || fail "no systemd unit"
if command -v systemd-analyze >/dev/null 2>&1; then
    verify() { systemd-analyze verify --root="$ROOT" "$1" >"$PWD/target/unit-verify.log" 2>&1 && [ ! -s "$PWD/target/unit-verify.log" ]; }
    # The check can fail: a unit with a bad setting is reported.
    sed 's/^Type=exec/Type=bogus/' "$ROOT/lib/systemd/system/waymark-server.service" >"$ROOT/lib/systemd/system/planted.service"
    verify /lib/systemd/system/planted.service && fail "systemd-analyze verify did not see a planted fault"
    rm "$ROOT/lib/systemd/system/planted.service"
    verify /lib/systemd/system/waymark-server.service || { cat "$PWD/target/unit-verify.log"; fail "systemd-analyze verify of the unit"; }
    echo "  ok  systemd-analyze verify of the unit"
fi

# The server as the unit runs it: its user, its settings, its state.
PORT=18543
(
    set -a
    . "$ROOT/etc/waymark/server.env"
    set +a
    exec chroot --userspec=waymark:waymark "$ROOT" /usr/bin/waymark-server serve --listen "127.0.0.1:$PORT"
) >"$PWD/target/package-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$PWD/target/package-server.log"; fail "the installed server did not answer /healthz"; }
echo "  ok  the installed server, run as waymark, answers /healthz"
expect "its store" "600 waymark" "$(in_root stat -c '%a %U' /var/lib/waymark/server.db)"
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=

# The upgrade: an earlier release's store where the app keeps it.
in_root useradd --create-home --shell /bin/bash worker
STORE="$ROOT/home/worker/.local/share/waymark"
mkdir -p "$(dirname "$STORE")"
cp -r "$FIXTURE/store" "$STORE"
in_root chown -R worker:worker /home/worker/.local
source "$FIXTURE/env"
mkdir -p "$ROOT/tmp/.X11-unix"

rm -rf "$SHOTS" && mkdir -p "$SHOTS"
WORK=$(mktemp -d)
cat >"$WORK/waymark-app" <<WRAPPER
#!/bin/sh
# The installed app, as the person 'worker' in the clean root; WebKitWebDriver's
# inspector address and the display pass through the environment.
exec chroot --userspec=worker:worker "$ROOT" env HOME=/home/worker USER=worker /usr/bin/waymark-app "\$@"
WRAPPER
chmod +x "$WORK/waymark-app"
cat >"$WORK/drive.sh" <<DRIVE
#!/usr/bin/env bash
set -uo pipefail
# The X socket, inside the root too (the server runs with -ac: loopback only, a test).
mount --bind /tmp/.X11-unix "$ROOT/tmp/.X11-unix"
tauri-driver --port 4444 >"$WORK/tauri-driver.log" 2>&1 &
driver=\$!
for _ in \$(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
rc=0
timeout 300 python3 tests/e2e/installed.py || rc=\$?
kill "\$driver" 2>/dev/null
exit "\$rc"
DRIVE
chmod +x "$WORK/drive.sh"
WAYMARK_APP="$WORK/waymark-app" WAYMARK_SHOTS="$SHOTS" WAYMARK_USER="$FIXTURE_USER" \
    WAYMARK_PASSPHRASE="$FIXTURE_PASSPHRASE" WAYMARK_CASES="$FIXTURE_CASES" NO_AT_BRIDGE=1 \
    xvfb-run -a -s "-screen 0 1280x900x24 -ac" "$WORK/drive.sh" || { tail -20 "$WORK/tauri-driver.log"; rm -rf "$WORK"; fail "the installed app"; }
rm -rf "$WORK"

# The rest of the earlier release's store, read by the installed CLI.
as_worker() { # as_worker USER PASSPHRASE COMMAND...
    chroot --userspec=worker:worker "$ROOT" env HOME=/home/worker WAYMARK_USER="$1" \
        WAYMARK_PASSPHRASE="$2" "${@:3}"
}
status=$(as_worker "$FIXTURE_USER" "$FIXTURE_PASSPHRASE" waymark status)
echo "$status" | grep -q "^schema_version: " || fail "waymark status after the upgrade: $status"
IFS='|' read -r -a names <<<"$FIXTURE_CASES"
for name in "${names[@]}"; do
    as_worker "$FIXTURE_USER" "$FIXTURE_PASSPHRASE" waymark caseload --name "$name" --json | grep -q "\"$name\"" ||
        fail "the upgraded store lacks the case of $name"
done
echo "  ok  the installed CLI reads every case of the upgraded store"
as_worker "$FIXTURE_USER" "$FIXTURE_PASSPHRASE" waymark search "$FIXTURE_NOTE_WORD" --json | grep -q "$FIXTURE_NOTE_WORD" ||
    fail "the earlier release's note is not found by search"
echo "  ok  the earlier release's notes are searchable"
other=$(as_worker "$FIXTURE_OTHER_USER" "$FIXTURE_OTHER_PASSPHRASE" waymark caseload --json)
echo "$other" | grep -q "\"$FIXTURE_OTHER_CASE\"" || fail "$FIXTURE_OTHER_USER, who shared the laptop's store, lost their case"
echo "$other" | grep -q "\"${names[0]}\"" && fail "$FIXTURE_OTHER_USER's own store holds ${names[0]}, whom only $FIXTURE_USER worked with"
echo "  ok  the laptop's second person unlocks a store of their own, with their case only"
# The process tests' cheap key derivation is a debug build's only: what ships
# writes 64 MiB, 3 passes, whatever the environment asks.
as_worker cheap "a passphrase for the cost check" env WAYMARK_TEST_KDF=cheap \
    waymark --store /home/worker/cost-check init --user cheap >/dev/null
cost=$(in_root sh -c 'cat /home/worker/cost-check/people/*/keys.json' |
    python3 -c 'import json,sys; k = json.load(sys.stdin)["wraps"][0]["kdf"]; print(k["m_cost_kib"], "KiB", k["t_cost"], "passes")')
expect "the shipped CLI's key cost, WAYMARK_TEST_KDF=cheap set" "65536 KiB 3 passes" "$cost"
echo "package-test: installed, started and upgraded (screenshots in $SHOTS)"
