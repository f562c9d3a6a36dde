#!/usr/bin/env bash
# Waymark's two Debian packages, into target/debian/:
#   waymark_<version>_amd64.deb         the desktop app, by Tauri's bundler
#   waymark-server_<version>_amd64.deb  waymark-server and the waymark CLI,
#                                       with a systemd unit (its own user,
#                                       state in /var/lib/waymark, settings
#                                       in /etc/waymark/server.env)
# Both hold the release binaries scripts/run.sh builds (nothing is rebuilt
# after it). scripts/package-test.sh installs them into a clean Debian root.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
source scripts/build-ui.sh
cargo build --release -q -p waymark-app -p waymark-cli -p waymark-server

VERSION=$(cargo metadata --no-deps --format-version 1 |
    python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "waymark-server"))')
ARCH=$(dpkg --print-architecture)
OUT=target/debian
rm -rf "$OUT" && mkdir -p "$OUT"

# --- the desktop app: Tauri's bundler at the tauri crate's own version,
# over the binary already built (`tauri bundle`, not `tauri build`).
TAURI_VERSION=$(python3 -c 'import re,sys; print(re.search(r"name = \"tauri\"\nversion = \"([^\"]+)\"", open("Cargo.lock").read()).group(1))')
TOOLS=target/package-tools
[ -x "$TOOLS/node_modules/.bin/tauri" ] && [ "$("$TOOLS/node_modules/.bin/tauri" --version)" = "tauri-cli $TAURI_VERSION" ] ||
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" "@tauri-apps/cli@$TAURI_VERSION"
TAURI="$PWD/$TOOLS/node_modules/.bin/tauri"
rm -rf target/release/bundle/deb
(cd src-tauri && CI=true "$TAURI" bundle --bundles deb >/dev/null)
app_deb=$(ls target/release/bundle/deb/*.deb)
cp "$app_deb" "$OUT/waymark_${VERSION}_${ARCH}.deb"

# --- the server and the CLI, laid out by hand for dpkg-deb.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/waymark-server"
install -d "$ROOT/DEBIAN" "$ROOT/usr/bin" "$ROOT/lib/systemd/system" "$ROOT/etc/waymark" \
    "$ROOT/usr/share/doc/waymark-server"
install -m 0755 -s target/release/waymark-server target/release/waymark "$ROOT/usr/bin/"
install -m 0644 packaging/waymark-server.service "$ROOT/lib/systemd/system/"
install -m 0640 packaging/server.env "$ROOT/etc/waymark/server.env"
install -m 0644 packaging/README.Debian packaging/copyright "$ROOT/usr/share/doc/waymark-server/"
install -m 0755 packaging/postinst packaging/prerm packaging/postrm "$ROOT/DEBIAN/"
echo /etc/waymark/server.env >"$ROOT/DEBIAN/conffiles"

# The libraries the binaries link, as dpkg-shlibdeps reads them.
mkdir -p "$STAGE/debian"
printf 'Source: waymark\n\nPackage: waymark-server\nArchitecture: any\n' >"$STAGE/debian/control"
SHLIBS=$(cd "$STAGE" && dpkg-shlibdeps -O waymark-server/usr/bin/waymark-server waymark-server/usr/bin/waymark 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
cat >"$ROOT/DEBIAN/control" <<CONTROL
Package: waymark-server
Version: $VERSION
Architecture: $ARCH
Maintainer: Waymark <waymark@localhost>
Section: net
Priority: optional
Depends: adduser, $SHLIBS
Installed-Size: $SIZE
Description: Waymark's sync server and command-line client
 waymark-server relays end-to-end encrypted case changes between the
 organisation's laptops; it never reads a case. It runs as its own user
 (waymark) under systemd, keeps its store in /var/lib/waymark and reads its
 settings from /etc/waymark/server.env. waymark is the command-line client
 and admin tool over the same core as the desktop app.
CONTROL
dpkg-deb --root-owner-group --build "$ROOT" "$OUT/waymark-server_${VERSION}_${ARCH}.deb" >/dev/null
ls -1 "$OUT"/*.deb
