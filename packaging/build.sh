#!/usr/bin/env bash
# Build the desktop application: dist/mesh-workbench/mesh-workbench (one folder, windowed).
#
#   packaging/build.sh
#
# From a clean checkout, in one command: creates a build virtualenv (build/venv) unless
# MESH_BUILD_PYTHON names an interpreter that already has the project installed, installs
# the project and PyInstaller into it, runs PyInstaller on packaging/mesh-workbench.spec
# (which leaves out what the app does not use), removes leftovers, and prints the folder
# size and the build time. Environment:
#   PYTHON             interpreter that creates the build venv (default: python3)
#   MESH_BUILD_PYTHON  use this interpreter as is (no venv, no installs)
#   MESH_MAX_SIZE_MB   fail when the folder is larger (default: 250)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
APP=mesh-workbench
DIST="$ROOT/dist/$APP"
START=$(date +%s)

fail() { echo "build.sh: error: $*" >&2; exit 1; }

if [[ -n "${MESH_BUILD_PYTHON:-}" ]]; then
  PY="$MESH_BUILD_PYTHON"
  "$PY" -c 'import PyInstaller, workbench' 2>/dev/null \
    || fail "$PY lacks PyInstaller or the project (pip install pyinstaller -e .)"
else
  VENV="$ROOT/build/venv"
  if [[ ! -x "$VENV/bin/python" ]]; then
    echo "== creating the build virtualenv in build/venv"
    "${PYTHON:-python3}" -m venv "$VENV" || fail "cannot create a virtualenv (install python3-venv)"
  fi
  PY="$VENV/bin/python"
  echo "== installing the project and PyInstaller"
  "$PY" -m pip install -q --disable-pip-version-check . "pyinstaller>=6.10,<7" \
    || fail "pip could not install the project and PyInstaller"
fi
echo "== $("$PY" -m PyInstaller --version | sed 's/^/PyInstaller /') on $("$PY" --version)"

echo "== running PyInstaller (this takes a few minutes)"
rm -rf "$DIST"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
  packaging/mesh-workbench.spec || fail "PyInstaller failed"
[[ -x "$DIST/$APP" ]] || fail "PyInstaller did not produce $DIST/$APP"

echo "== trimming"
# Bytecode caches and type stubs of bundled data folders are never read by the frozen app.
find "$DIST" \( -name '__pycache__' -o -name '*.pyi' -o -name 'py.typed' \) -prune \
  -exec rm -rf {} +
# Debug symbols of the Python runtime itself (a from-source Python keeps them: libpython
# alone is 23 MB with them, 5 MB without). Only CPython's own binaries: third-party ones
# (numpy's OpenBLAS, Qt) are left exactly as their wheels ship them.
if [[ "$(uname -s)" == Linux ]]; then
  command -v strip >/dev/null 2>&1 || fail "strip not found (install binutils)"
  for lib in "$DIST"/_internal/libpython3*.so* "$DIST"/_internal/python3*/lib-dynload/*.so; do
    # The section list read whole, then searched: "readelf | grep -q" under pipefail
    # fails at random when grep quits before readelf has written everything (SIGPIPE).
    [[ -f "$lib" && ! -L "$lib" ]] || continue
    sections=$(readelf -S "$lib") || fail "readelf failed on $lib"
    if [[ "$sections" == *".debug_info"* ]]; then
      strip --strip-debug "$lib" || fail "strip failed on $lib"
    fi
  done
fi

SIZE_MB=$(du -sm "$DIST" | cut -f1)
MAX_MB=${MESH_MAX_SIZE_MB:-250}
echo "== built $DIST/$APP"
echo "folder size: ${SIZE_MB} MB (limit ${MAX_MB} MB)"
echo "build time: $(( $(date +%s) - START )) s"
(( SIZE_MB <= MAX_MB )) || fail "the folder is ${SIZE_MB} MB, above the ${MAX_MB} MB limit"
