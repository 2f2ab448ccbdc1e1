#!/usr/bin/env bash
# Install Mesh Migration Workbench into the user's desktop (XDG, no root needed):
# the built application folder, a launcher in the menu, the icon, and the .meshplan file
# type, so double-clicking a plan opens it in the workbench.
#
#   packaging/install-desktop.sh              install dist/mesh-workbench (build it first)
#   packaging/install-desktop.sh --exec CMD   menu entry only, starting CMD (e.g. a pip-installed
#                                             mesh-workbench); nothing is copied
#   packaging/install-desktop.sh --uninstall  remove everything this script installed
#
# Destinations follow XDG_DATA_HOME (default ~/.local/share): applications/, icons/hicolor/,
# mime/packages/, and mesh-workbench/ for the application folder; a link in ~/.local/bin.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
APP=mesh-workbench
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="${MESH_WORKBENCH_BIN_DIR:-$HOME/.local/bin}"
ICONS="$ROOT/resources/icons"
SIZES="16 24 32 48 64 128 256 512"

fail() { echo "install-desktop.sh: error: $*" >&2; exit 1; }

refresh() {
  if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$DATA/mime" >/dev/null 2>&1 || echo "warning: update-mime-database failed" >&2
  fi
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [[ -f "$DATA/icons/hicolor/index.theme" ]]; then
    gtk-update-icon-cache -q -t "$DATA/icons/hicolor" >/dev/null 2>&1 || true
  fi
}

uninstall() {
  rm -f "$DATA/applications/$APP.desktop" "$DATA/mime/packages/$APP.xml"
  for size in $SIZES; do
    rm -f "$DATA/icons/hicolor/${size}x${size}/apps/$APP.png" \
      "$DATA/icons/hicolor/${size}x${size}/mimetypes/application-x-meshplan.png"
  done
  rm -f "$DATA/icons/hicolor/scalable/apps/$APP.svg" \
    "$DATA/icons/hicolor/scalable/mimetypes/application-x-meshplan.svg"
  if [[ -L "$BIN/$APP" ]]; then rm -f "$BIN/$APP"; fi
  rm -rf "${DATA:?}/$APP"
  mkdir -p "$DATA/mime/packages" "$DATA/applications"
  refresh
  echo "removed Mesh Migration Workbench from $DATA"
}

EXEC=""
case "${1:-}" in
  --uninstall) uninstall; exit 0 ;;
  --exec) [[ -n "${2:-}" ]] || fail "--exec needs a command"; EXEC="$2" ;;
  "") ;;
  -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) fail "unknown argument $1 (see --help)" ;;
esac

if [[ -z "$EXEC" ]]; then
  BUILT="$ROOT/dist/$APP"
  [[ -x "$BUILT/$APP" ]] || fail "no build at $BUILT: run packaging/build.sh first, or pass --exec CMD"
  echo "== copying the application to $DATA/$APP"
  rm -rf "${DATA:?}/$APP.new"
  mkdir -p "$DATA"
  cp -a "$BUILT" "$DATA/$APP.new"
  rm -rf "${DATA:?}/$APP"
  mv "$DATA/$APP.new" "$DATA/$APP"
  EXEC="$DATA/$APP/$APP"
  mkdir -p "$BIN"
  ln -sfn "$EXEC" "$BIN/$APP"
fi

echo "== installing the menu entry, icons and the .meshplan file type into $DATA"
mkdir -p "$DATA/applications" "$DATA/mime/packages"
quoted=$(printf '%s' "$EXEC" | sed 's/[\\"`$]/\\&/g')
while IFS= read -r line; do
  case "$line" in
    Exec=*) printf 'Exec="%s" %%f\n' "$quoted" ;;
    TryExec=*) printf 'TryExec=%s\n' "$EXEC" ;;
    *) printf '%s\n' "$line" ;;
  esac
done <"$HERE/linux/$APP.desktop" >"$DATA/applications/$APP.desktop"
cp "$HERE/linux/$APP-mime.xml" "$DATA/mime/packages/$APP.xml"
for size in $SIZES; do
  for kind in apps mimetypes; do
    mkdir -p "$DATA/icons/hicolor/${size}x${size}/$kind"
  done
  cp "$ICONS/workbench-$size.png" "$DATA/icons/hicolor/${size}x${size}/apps/$APP.png"
  cp "$ICONS/workbench-$size.png" \
    "$DATA/icons/hicolor/${size}x${size}/mimetypes/application-x-meshplan.png"
done
mkdir -p "$DATA/icons/hicolor/scalable/apps" "$DATA/icons/hicolor/scalable/mimetypes"
cp "$ICONS/workbench.svg" "$DATA/icons/hicolor/scalable/apps/$APP.svg"
cp "$ICONS/workbench.svg" "$DATA/icons/hicolor/scalable/mimetypes/application-x-meshplan.svg"
refresh
echo "installed: $DATA/applications/$APP.desktop (starts $EXEC)"
