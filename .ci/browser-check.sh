#!/usr/bin/env bash
# Renders the classic scenario's report.html in headless Chromium and checks what was drawn:
# every chart in charts/ is in the DOM as an <svg> with plot paths, nothing logs a console error,
# nothing is fetched from outside the page. Writes a screenshot to .build/ci-artifacts/ (ignored by
# git) for CI to keep; the committed samples/classic/screenshot.png is refreshed only on purpose,
# with --screenshot samples/classic/screenshot.png.
#
# Usage: .ci/browser-check.sh [--screenshot PATH]
# Installs what it needs (chromium, gnuplot-nox, websocket-client) when run as root with apt-get.
# Exit status: 0 ok, 1 a check failed, 2 the check could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

screenshot=.build/ci-artifacts/screenshot.png
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshot) screenshot="$2"; shift 2 ;;
    *) echo "browser-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "browser-check: needs ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi
if ! python3 -c 'import websocket' >/dev/null 2>&1; then
  python3 -m pip install -q websocket-client >/dev/null 2>&1 || {
    echo "browser-check: needs the python module websocket-client (pip install websocket-client)" >&2
    exit 2
  }
fi

swift build --product backupsim >/dev/null
bin=.build/debug/backupsim

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
"$bin" run scenarios/classic.yaml --out "$tmp" >/dev/null || status=$?
# 1 means a requirement failed: the report is still written and still has to render.
if [ "$status" -gt 1 ]; then
  echo "browser-check: backupsim run failed with status $status" >&2
  exit 2
fi
report="$tmp/classic/report.html"

# The checker must notice a console error: give it one and expect a failure.
if python3 tools/browser_check.py "$report" --charts-dir "$tmp/classic/charts" --inject-console-error >"$tmp/selftest.log" 2>&1; then
  cat "$tmp/selftest.log"
  echo "browser-check: FAIL: an injected console.error went unnoticed" >&2
  exit 1
fi
if ! grep -q "console.error: injected by browser-check" "$tmp/selftest.log"; then
  cat "$tmp/selftest.log"
  echo "browser-check: the self-test did not fail for the injected console error" >&2
  exit 2
fi

python3 tools/browser_check.py "$report" --charts-dir "$tmp/classic/charts" --screenshot "$screenshot"
