#!/usr/bin/env bash
# Called by `npm install` (postinstall): the website's end-to-end tests drive Debian's Chromium,
# because browser downloads from test tools are blocked on the machines this project runs on.
# Idempotent and quick when Chromium is already there. Set RESTORE_SKIP_BROWSER=1 to skip.
set -u
if [ "${RESTORE_SKIP_BROWSER:-0}" = "1" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "restore: Chromium not found and apt-get is unavailable; install Chromium to run the browser tests." >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "restore: run 'sudo apt-get install -y chromium fonts-liberation' to run the browser tests." >&2
    exit 0
  fi
fi
echo "restore: installing Chromium for the browser tests (Debian packages)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && \
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null || {
    echo "restore: could not install Chromium; browser tests will fail until it is installed." >&2
    exit 0
  }
echo "restore: Chromium installed at /usr/bin/chromium"
