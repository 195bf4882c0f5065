#!/usr/bin/env bash
# The README's main command must leave a clean clone clean, on a machine with gnuplot and on one
# without it: it writes only files git ignores. Exit status: 0 ok, 1 the command changed the tree.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product backupsim >/dev/null
bin=.build/debug/backupsim
before=$(git status --porcelain --untracked-files=all)

# Runs the main command (the arguments say how) and fails when the tree changed.
check() {
  local what=$1 status=0
  shift
  "$@" run scenarios/classic.yaml >/dev/null 2>&1 || status=$?
  # 1 means a requirement failed: the reports are still written.
  if [ "$status" -gt 1 ]; then echo "clean-clone-check: the run $what failed with status $status" >&2; exit 1; fi
  local after
  after=$(git status --porcelain --untracked-files=all)
  if [ "$before" != "$after" ]; then
    echo "clean-clone-check: FAIL: 'backupsim run scenarios/classic.yaml' $what changed the working tree:" >&2
    diff <(echo "$before") <(echo "$after") >&2 || true
    exit 1
  fi
}
# Without gnuplot first (the binary needs nothing else from PATH), then with it when installed.
check "without gnuplot" env PATH=/nonexistent "$bin"
if command -v gnuplot >/dev/null 2>&1; then check "with gnuplot" "$bin"; fi
echo "clean-clone-check: ok (the main command leaves the tree as it was, with and without gnuplot)"
