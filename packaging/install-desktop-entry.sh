#!/usr/bin/env bash
# Installs a desktop menu entry that starts neuroview: the command given as the first argument
# (an installed wheel's, e.g. /opt/neuroview/bin/neuroview), else this checkout's .venv, else the
# neuroview on PATH.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exe="${1:-}"
if [ -z "$exe" ]; then
    exe="$here/.venv/bin/neuroview"
    [ -x "$exe" ] || exe=$(command -v neuroview || true)
fi
[ -n "$exe" ] && [ -x "$exe" ] || { echo "no neuroview command found: run 'make setup' first, or give the installed one (${exe:-none})"; exit 1; }
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
target="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$target"
sed "s|^Exec=neuroview|Exec=$exe|" "$here/packaging/neuroview.desktop" > "$target/neuroview.desktop"
echo "installed $target/neuroview.desktop"
