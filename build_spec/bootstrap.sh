#!/bin/sh
# bootstrap.sh MODE: the one script behind README's two commands, for Debian 12 / Ubuntu with python3.
#   demo  install what the app needs into .venv, then start it against the embedded demo tenant
#   test  install the tools, run ruff, mypy, import-linter and the whole pytest suite (with a real
#         Secret Service: gnome-keyring under dbus-run-session), build the frozen app and test it
# Idempotent: it installs only what is missing, so a second run goes straight to the work.
# As root (or with passwordless sudo) it apt-installs missing system packages; otherwise it prints
# the apt-get command to run and exits 1. Needs no display and no stdin (CI=true works).
set -eu

usage() {
    echo "usage: sh build_spec/bootstrap.sh demo|test" >&2
    exit 2
}
[ $# -eq 1 ] || usage
MODE=$1
case $MODE in demo | test) ;; *) usage ;; esac

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
cd "$ROOT"
VENV=$ROOT/.venv
PY=${PYTHON:-python3}

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf 'bootstrap: %s\n' "$*" >&2
    exit 1
}

# --- Python -------------------------------------------------------------------------------------
command -v "$PY" >/dev/null 2>&1 || die "python3 not found: apt-get install python3"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "Python >= 3.11 needed, $PY is $("$PY" -V 2>&1)"

# --- system packages (Debian / Ubuntu) ----------------------------------------------------------
# Qt's shared-library needs (platform-notes.md §1); the xcb set lets the window open on X11 and is
# bundled into the frozen build; the test tools: a Secret Service for the keyring tests, objdump and
# strip for PyInstaller, Xvfb for screenshots.
QT_LIBS="libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3
 fontconfig-config fonts-dejavu-core"
XCB_LIBS="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1"
TEST_TOOLS="gnome-keyring dbus-user-session libsecret-tools binutils xvfb xauth"

WANT="$QT_LIBS $XCB_LIBS"
[ "$MODE" = test ] && WANT="$WANT $TEST_TOOLS"
# Debian's python3 has no ensurepip (so no venv with pip) without python3-venv.
"$PY" -c 'import ensurepip' >/dev/null 2>&1 || WANT="python3-venv $WANT"
# PyInstaller bundles libpython3.X.so, which Debian's python3 keeps in a package of its own.
PYVER=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$MODE" = test ] && command -v dpkg-query >/dev/null 2>&1 &&
    dpkg-query -S "$(readlink -f "$(command -v "$PY")")" >/dev/null 2>&1; then
    WANT="$WANT libpython$PYVER"
fi

if command -v dpkg-query >/dev/null 2>&1; then
    MISSING=""
    for pkg in $WANT; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [ "$status" = installed ] || MISSING="$MISSING $pkg"
    done
    if [ -n "$MISSING" ]; then
        APT="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$MISSING"
        if [ "$(id -u)" -eq 0 ]; then
            SUDO=""
        elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO="sudo -n"
        else
            printf 'bootstrap: missing system packages:%s\nrun as root:\n  apt-get update && %s\n' \
                "$MISSING" "$APT" >&2
            exit 1
        fi
        say "apt-get install$MISSING"
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086  # word splitting of the package list is wanted
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            $MISSING </dev/null
    fi
else
    say "no dpkg: not Debian/Ubuntu; make sure the equivalents of these are installed: $WANT"
fi

# --- virtual environment ------------------------------------------------------------------------
if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    say "creating .venv"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
fi
if [ "$MODE" = test ]; then SPEC='.[test,build]'; else SPEC='.'; fi
# Reinstall only when pyproject.toml, the Python or the extras changed (a test install covers demo).
STAMP="$(cksum <pyproject.toml) $("$VENV/bin/python" -V 2>&1)"
if ! grep -qxF "$STAMP" "$VENV/.bootstrap-$MODE" 2>/dev/null; then
    say "pip install -e $SPEC"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet -e "$SPEC"
    printf '%s\n' "$STAMP" >"$VENV/.bootstrap-$MODE"
    [ "$MODE" = test ] && printf '%s\n' "$STAMP" >"$VENV/.bootstrap-demo"
fi

# --- demo ---------------------------------------------------------------------------------------
if [ "$MODE" = demo ]; then
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-}" ]; then
        die "no display (DISPLAY is unset): run this in a desktop session, or headless with QT_QPA_PLATFORM=offscreen"
    fi
    say "ztna-desktop --demo"
    exec "$VENV/bin/ztna-desktop" --demo
fi

# --- test ---------------------------------------------------------------------------------------
LOGS=$ROOT/build/bootstrap-logs
mkdir -p "$LOGS"
FAILED=""
step() { # step NAME COMMAND...: run it, remember a failure, keep going
    name=$1
    shift
    say "$name"
    if "$@"; then :; else FAILED="$FAILED $name"; fi
}

# Run "$@" on a private D-Bus session bus with gnome-keyring unlocked (random password, throw-away
# keyring dir), so keyring/libsecret tests use a real encrypted Secret Service.
in_keyring_session() {
    KR_DIR=$(mktemp -d)
    KR_PW=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    export KR_DIR KR_PW
    set +e
    # shellcheck disable=SC2016  # expanded by the inner shell
    dbus-run-session -- sh -c '
        mkdir -p "$KR_DIR/data" "$KR_DIR/run" && chmod 700 "$KR_DIR/run"
        [ -n "${XDG_RUNTIME_DIR:-}" ] || export XDG_RUNTIME_DIR="$KR_DIR/run"
        printf %s "$KR_PW" | XDG_DATA_HOME="$KR_DIR/data" \
            gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 97
        unset KR_PW
        exec "$@"' sh "$@"
    rc=$?
    set -e
    unset KR_PW
    rm -rf "$KR_DIR"
    return $rc
}

# pytest with its output shown and kept; exit 5 (nothing collected) counts as a failure.
run_pytest() { # run_pytest LOGNAME ARGS...
    log=$LOGS/$1.log
    shift
    rm -f "$log.rc"
    { in_keyring_session "$VENV/bin/python" -m pytest "$@" 2>&1 || echo $? >"$log.rc"; } | tee "$log"
    [ ! -f "$log.rc" ] || return "$(cat "$log.rc")"
}

step "ruff check" "$VENV/bin/ruff" check
step "ruff format --check" "$VENV/bin/ruff" format --check
step "mypy" "$VENV/bin/mypy"
step "lint-imports" "$VENV/bin/lint-imports" --no-cache
step "pytest (suite)" run_pytest pytest-suite -m "not frozen"
step "frozen build" "$VENV/bin/python" build_spec/build.py
if [ -d dist/ztna-desktop ] && ! printf '%s' "$FAILED" | grep -q "frozen build"; then
    ZTNA_FROZEN_DIR=$ROOT/dist/ztna-desktop
    export ZTNA_FROZEN_DIR
    step "pytest (frozen)" run_pytest pytest-frozen -m frozen tests/test_frozen.py
else
    FAILED="$FAILED pytest-frozen(not-run)"
fi

say "summary"
for log in "$LOGS/pytest-suite.log" "$LOGS/pytest-frozen.log"; do
    [ -f "$log" ] || continue
    line=$(grep -E '^=+ .*(passed|failed|error|skipped|deselected|no tests ran).* =+$' "$log" |
        tail -n 1)
    printf '%s: %s\n' "$(basename "$log" .log)" "${line:-(no pytest summary line)}"
done
if [ -n "$FAILED" ]; then
    printf 'FAILED:%s\n' "$FAILED"
    exit 1
fi
echo "all checks passed"
