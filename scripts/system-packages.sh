#!/usr/bin/env bash
# Debian packages the test suite uses outside Python: PDF and QR checks, the browser.
# Installs whichever are missing when run as root (as on CI); otherwise says what to install.
set -euo pipefail
needed=()
command -v pdftotext >/dev/null 2>&1 || needed+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || needed+=(zbar-tools)
[ -x /usr/bin/chromium ] || needed+=(chromium)
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${needed[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${needed[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${needed[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${needed[*]}" >&2
  exit 1
fi
