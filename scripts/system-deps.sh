#!/usr/bin/env bash
# Checks for, and where possible installs, the system libraries the project needs.
#   scripts/system-deps.sh weasyprint   Pango and HarfBuzz for PDF rendering (certificates, reports)
#   scripts/system-deps.sh browser      Chromium for the Playwright browser tests
set -euo pipefail

what="${1:-weasyprint}"
case "$what" in
  weasyprint) packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core) ;;
  browser) packages=(chromium fonts-dejavu-core) ;;
  *) echo "usage: $0 weasyprint|browser" >&2; exit 2 ;;
esac

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == *"install ok installed"* ]] || missing+=("$package")
  done
else
  # Not Debian or Ubuntu: check by file instead and explain what to install.
  if [[ "$what" == weasyprint ]]; then
    ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(pango)
    ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(harfbuzz)
  else
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  fi
  if ((${#missing[@]})); then
    echo "Please install: ${missing[*]} (macOS: brew install pango harfbuzz; Fedora: dnf install pango harfbuzz chromium)." >&2
    echo "See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html#installation" >&2
  fi
  exit 0
fi

((${#missing[@]})) || exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  [[ "$what" == browser ]] && echo "(Browser tests are skipped until Chromium is at /usr/bin/chromium.)" >&2
  exit 0
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
