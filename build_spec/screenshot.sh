#!/bin/sh
# screenshot.sh [OUT.png]: README's screenshot of the demo tenant's guest list.
# Starts a private Xvfb (1280x800), runs `ZTNA_SCREENSHOT=OUT ztna-desktop --demo` on the xcb
# platform (the app saves a grab of its main window once the guests have loaded, then quits).
# Default OUT: resources/screenshots/guests.png. ZTNA_BIN picks the executable (default: .venv's,
# else ztna-desktop on PATH; a frozen build works too). Needs: apt-get install xvfb (+ the xcb libs).
set -eu
ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
OUT=${1:-$ROOT/resources/screenshots/guests.png}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
BIN=${ZTNA_BIN:-$ROOT/.venv/bin/ztna-desktop}
[ -x "$BIN" ] || BIN=$(command -v ztna-desktop) || {
    echo "screenshot: no ztna-desktop (run sh build_spec/bootstrap.sh demo first, or set ZTNA_BIN)" >&2
    exit 1
}
command -v Xvfb >/dev/null 2>&1 || {
    echo "screenshot: Xvfb missing: apt-get install xvfb" >&2
    exit 1
}
mkdir -p "$(dirname -- "$OUT")"
TMP=$(mktemp -d)
trap 'kill "$XVFB" 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM
# -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$TMP/display" >/dev/null 2>&1 &
XVFB=$!
tries=0
while [ ! -s "$TMP/display" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || { echo "screenshot: Xvfb did not start" >&2; exit 1; }
    sleep 0.1
done
DISPLAY=:$(cat "$TMP/display")
rm -f "$OUT"
env DISPLAY="$DISPLAY" QT_QPA_PLATFORM=xcb HOME="$TMP" XDG_CONFIG_HOME="$TMP/config" \
    XDG_DATA_HOME="$TMP/data" XDG_STATE_HOME="$TMP/state" XDG_CACHE_HOME="$TMP/cache" \
    ZTNA_SCREENSHOT="$OUT" "$BIN" --demo
[ -s "$OUT" ] || { echo "screenshot: the app did not write $OUT" >&2; exit 1; }
echo "wrote $OUT"
