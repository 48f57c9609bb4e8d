#!/bin/sh
# Chromium prints the PDFs (finlib report --pdf). Debian's package is used, never a downloaded browser.
#   sh scripts/chromium.sh             installs it with apt-get when missing and this is root; says so otherwise
#   sh scripts/chromium.sh --pdf-flag  prints --pdf when Chromium is there (else nothing: the pack is HTML only)
found() { [ -n "${FINLIB_CHROMIUM:-}" ] && [ -x "$FINLIB_CHROMIUM" ] || command -v chromium >/dev/null 2>&1; }
if [ "${1:-}" = "--pdf-flag" ]; then
  found && echo --pdf
  exit 0
fi
found && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing Chromium (Debian's package) to print the PDFs"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) && exit 0
fi
echo "Chromium is not installed (apt-get install chromium, or set FINLIB_CHROMIUM): the pack is written as HTML only, without PDFs" >&2
