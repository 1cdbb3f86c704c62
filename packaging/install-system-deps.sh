#!/usr/bin/env bash
# System libraries that Qt (xcb) and VTK (OpenGL through Mesa) need, plus Xvfb for headless tests,
# plus, with --pacs (make test), a real DICOM server for the PACS tests (Orthanc and its DICOMweb plugin; the tests start
# their own instance on the loopback interface, never the system service).
# Installs them with apt-get where we are root (or have password-less sudo); otherwise prints what
# to install and carries on, since a desktop with a display usually has the GUI ones already (the
# PACS tests skip, saying why, where Orthanc is absent).
set -u
PACKAGES="xvfb xauth libgl1 libegl1 libglx-mesa0 libgl1-mesa-dri libfontconfig1 libdbus-1-3
libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
libxcb-xinerama0 libxcb-xkb1 libxcb-cursor0 libxcb-shape0 libxcb-randr0"
# the DICOM server only for the tests (`make test` passes --pacs): `make demo` does not need it
PACS_PACKAGES=""
[ "${1:-}" = "--pacs" ] && PACS_PACKAGES="orthanc orthanc-dicomweb"
command -v dpkg-query >/dev/null 2>&1 || { echo "install-system-deps: not a Debian/Ubuntu system; skipping"; exit 0; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing=""
for p in $PACKAGES $PACS_PACKAGES; do installed "$p" || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "install-system-deps: please install:$missing"; exit 0; fi
echo "install-system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the Debian package must not start its own Orthanc service while installing
POLICY=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null && $SUDO chmod +x "$POLICY" && own_policy=1
fi
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
status=$?
[ -n "$own_policy" ] && $SUDO rm -f "$POLICY"
for p in $PACS_PACKAGES; do
  installed "$p" || { echo "install-system-deps: error: apt-get could not install $p" \
    "(needed by the PACS tests; check the apt sources: apt-cache policy $PACS_PACKAGES)" >&2; exit 1; }
done
[ "$status" = 0 ] || echo "install-system-deps: apt-get failed; the GUI tests may not run"
exit 0
