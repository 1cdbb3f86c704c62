#!/usr/bin/env bash
# Installs a desktop menu entry that starts the neuroview of this checkout's .venv.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exe="$here/.venv/bin/neuroview"
[ -x "$exe" ] || { echo "run 'make setup' first ($exe not found)"; exit 1; }
target="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$target"
sed "s|^Exec=neuroview|Exec=$exe|" "$here/packaging/neuroview.desktop" > "$target/neuroview.desktop"
echo "installed $target/neuroview.desktop"
