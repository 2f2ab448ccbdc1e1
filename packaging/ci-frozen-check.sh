#!/usr/bin/env bash
# CI: build the desktop application and run its self-test from the build, not from source.
#
#   packaging/ci-frozen-check.sh            build with packaging/build.sh, then check
#   packaging/ci-frozen-check.sh --no-build check an existing dist/mesh-workbench
#
# Fails (non-zero, with the reason on stderr) when the build fails, the folder is over
# the size limit, any self-test check fails, or the window takes longer than
# MESH_WORKBENCH_STARTUP_LIMIT seconds (default 5) from launch to shown. Prints the folder
# size and the frozen start-up time. When xvfb-run is installed the self-test runs a second
# time on a real X server (Qt's xcb platform), the way a desktop session starts the app.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=mesh-workbench
EXE="dist/$APP/$APP"
export MESH_WORKBENCH_STARTUP_LIMIT="${MESH_WORKBENCH_STARTUP_LIMIT:-5}"

fail() { echo "ci-frozen-check.sh: FAILED: $*" >&2; exit 1; }

if [[ "${1:-}" != "--no-build" ]]; then
  packaging/build.sh || fail "packaging/build.sh failed"
fi
[[ -x "$EXE" ]] || fail "no frozen build at $EXE"

LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT

run_self_test() {  # $1: label, rest: command prefix
  local label=$1 out="$LOG/$1.txt"
  shift
  echo "== frozen self-test ($label)"
  local start end status=0
  start=$(date +%s.%N)
  "$@" "$EXE" --self-test >"$out" 2>"$LOG/$label.err" || status=$?
  end=$(date +%s.%N)
  cat "$out"
  if (( status != 0 )); then
    cat "$LOG/$label.err" >&2
    fail "the frozen self-test ($label) exited with $status"
  fi
  grep -q '^self-test passed' "$out" || fail "the frozen self-test ($label) did not report success"
  awk -v l="$label" -v s="$start" -v e="$end" 'BEGIN { printf "self-test wall time (%s): %.1f s\n", l, e - s }'
}

# offscreen: what a headless CI runner has (the self-test picks it when there is no display)
run_self_test offscreen env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen
if command -v xvfb-run >/dev/null 2>&1; then
  run_self_test xcb xvfb-run -a -s "-screen 0 1600x1000x24" env -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb
else
  echo "== xvfb-run not installed: the xcb (X11) run is skipped"
fi

startup=$(sed -n 's/^ok   start-up: \([0-9.]*\) s.*/\1/p' "$LOG/offscreen.txt")
echo "== summary"
echo "folder size: $(du -sm "dist/$APP" | cut -f1) MB"
echo "frozen start-up (launch to window shown): ${startup:-not measured} s" \
  "(limit ${MESH_WORKBENCH_STARTUP_LIMIT} s)"
if [[ -f "$LOG/xcb.txt" ]]; then
  echo "frozen start-up under Xvfb: $(sed -n 's/^ok   start-up: \([0-9.]*\) s.*/\1/p' \
    "$LOG/xcb.txt") s"
fi
echo "ci-frozen-check.sh: passed"
