#!/usr/bin/env bash
# Builds the input fuzz target with libFuzzer and AddressSanitizer and runs it for SECONDS
# (default 60) on the committed seed corpus. New interesting inputs go to Fuzz/.work/corpus (not
# committed); a crash is written to Fuzz/.work/crash-* and ends the run with status 1.
# Usage: Fuzz/run.sh [SECONDS]
# FUZZ_SEED=N makes the run repeatable (CI uses it): libFuzzer's seed is N and the run starts from the
# committed corpus alone, so the same binary tries the same inputs in the same order.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
swift build -c release -Xswiftc -sanitize=fuzzer,address --product FuzzInput 2>&1 | grep -v "warning: Cannot export local symbol" | tail -3
bin=$(swift build -c release -Xswiftc -sanitize=fuzzer,address --show-bin-path)/FuzzInput
work=.work/corpus
if [ -n "${FUZZ_SEED:-}" ]; then work=.work/corpus-seed-$FUZZ_SEED; rm -rf "$work"; fi
mkdir -p "$work"
# Every execution gets 10 s and 2 GiB: a hang or a runaway allocation is a finding too. Leak reports
# are off: Foundation keeps allocations for the life of the process, which LeakSanitizer flags.
ASAN_OPTIONS=detect_leaks=0 "$bin" "$work" corpus -seed="${FUZZ_SEED:-0}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix=.work/ -print_final_stats=1 -detect_leaks=0 2>&1 | tail -25
