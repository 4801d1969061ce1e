#!/usr/bin/env bash
# Installs the Debian packages Steward needs, if any is missing. Sourced by dev/demo and
# dev/test, so both work on a fresh Debian machine that has Swift. A caller that needs more
# (dev/bench: Python, to compare with) names them in steward_extra_packages first.
set -euo pipefail
steward_packages=(liblua5.4-dev lua5.4 libedit-dev libsqlite3-dev zlib1g-dev sqlite3 pkg-config lua-check tmux
                  ${steward_extra_packages[@]+"${steward_extra_packages[@]}"})
missing=()
for p in "${steward_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "dev: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "dev: swift is not on PATH (install Swift 6 first)" >&2; exit 2; }
