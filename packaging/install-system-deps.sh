#!/usr/bin/env bash
# System libraries that Qt (xcb) and VTK (OpenGL through Mesa) need, plus Xvfb for headless tests.
# Installs them with apt-get where we are root (or have password-less sudo); otherwise prints what
# to install and carries on, since a desktop with a display usually has them already.
set -u
PACKAGES="xvfb xauth libgl1 libegl1 libglx-mesa0 libgl1-mesa-dri libfontconfig1 libdbus-1-3
libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
libxcb-xinerama0 libxcb-xkb1 libxcb-cursor0 libxcb-shape0 libxcb-randr0"
command -v dpkg-query >/dev/null 2>&1 || { echo "install-system-deps: not a Debian/Ubuntu system; skipping"; exit 0; }
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "install-system-deps: please install:$missing"; exit 0; fi
echo "install-system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null \
  || echo "install-system-deps: apt-get failed; the GUI tests may not run"
