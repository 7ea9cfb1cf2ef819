#!/usr/bin/env bash
# Fetches the Debian packages that ship natural photographs and unpacks each, without installing
# anything, into <data root>/photo-packages/<package>/ (a file tree as under /), where
# `milan data photos` reads them. About 500 MB of packages; not part of scripts/setup.sh (the tests
# use a small fake package tree). Needs apt's package lists (apt-get update, as root, once).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="${MILAN_DATA_DIR:-$here/data}"
dest="$root/photo-packages"
packages=(mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04
          ukui-wallpapers palapeli-data gcompris-qt-data tuxpaint-stamps-default python3-skimage opencv-doc)
mkdir -p "$dest/.debs"
cd "$dest/.debs"
for package in "${packages[@]}"; do
  if [ -d "$dest/$package" ]; then continue; fi
  if ! ls "${package}"_*.deb >/dev/null 2>&1; then
    apt-get download "$package" || { echo "setup-photos: $package is not available from apt; skipped" >&2; continue; }
  fi
  deb="$(ls "${package}"_*.deb | head -1)"
  rm -rf "$dest/.partial-$package"
  dpkg-deb -x "$deb" "$dest/.partial-$package"
  mv "$dest/.partial-$package" "$dest/$package"
  echo "setup-photos: $package unpacked into $dest/$package"
done
