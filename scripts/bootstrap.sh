#!/usr/bin/env bash
# Set up a fresh machine (Debian + Python >= 3.11) for running frontdesk and its tests.
#
# - System packages, when we are root on Debian/Ubuntu: a C compiler (the ID-card reader
#   adapter is tested against a fake vendor library compiled at test time), poppler and
#   zbar (tests read printed PDFs and decode their barcodes), CJK fonts for screenshots,
#   Xvfb for looking at real windows, wrk for the 200-workstation sync bench. Skipped
#   quietly elsewhere (Windows/macOS devs).
# - The project itself, editable, with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(gcc libc6-dev poppler-utils libzbar0 fonts-noto-cjk fonts-droid-fallback
              fonts-wqy-microhei xvfb libgl1 libegl1 libxkbcommon0 libfontconfig1
              libdbus-1-3
              # Qt 6's xcb platform plugin (a real display; without these `frontdesk demo`
              # aborts with "could not load the Qt platform plugin xcb")
              libx11-6 libx11-xcb1 libxext6 libxrender1 libxi6 libfreetype6 libxcb1
              libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
              libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
              libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
              libxkbcommon-x11-0)
# only the sync bench needs it: never let it fail a test run
OPTIONAL_APT_PACKAGES=(wrk)

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  for pkg in "${OPTIONAL_APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" \
        >/dev/null 2>&1 || echo "bootstrap: optional package $pkg not installed (bench only)"
    fi
  done
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
echo "bootstrap: ready"
