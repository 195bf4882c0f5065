#!/usr/bin/env bash
# Runs one sweep on Kubernetes: puts SCENARIO (and any files next to it that it names) in the
# ConfigMap backupsim-scenario, starts the Indexed Job with SWEEP_ID as its output folder, waits
# until it completes or fails (a failed shard fails the Job at once: maxFailedIndexes: 0), then
# merges. Each sweep writes /results/SWEEP_ID, so an earlier sweep's shards never reach this merge.
#
# Usage: deploy/kubernetes/run-sweep.sh SCENARIO SWEEP_ID [EXTRA_FILE...]
# Exit status: 0 merged; 1 a Job failed (or no variant meets the requirements); 2 bad usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -lt 2 ]; then
  echo "usage: $0 SCENARIO SWEEP_ID [EXTRA_FILE...]" >&2
  exit 2
fi
scenario=$1 sweep=$2
shift 2
case "$sweep" in
  *[!a-z0-9-]* | "") echo "run-sweep: SWEEP_ID must be lowercase letters, digits and '-', got '$sweep'" >&2; exit 2 ;;
esac

files=(--from-file=scenario.yaml="$scenario")
for f in "$@"; do files+=(--from-file="$f"); done
kubectl create configmap backupsim-scenario "${files[@]}" --dry-run=client -o yaml | kubectl apply -f -

# Waits for Complete or Failed, whichever comes first (kubectl wait takes one condition).
wait_for() {
  local job=$1 state
  while :; do
    state=$(kubectl get "job/$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')
    case " $state " in
      *" Failed "*) echo "run-sweep: job/$job failed" >&2; kubectl describe "job/$job" | tail -20 >&2; return 1 ;;
      *" Complete "*) return 0 ;;
    esac
    sleep 15
  done
}

# A Job's pod template cannot change, so the previous sweep's Jobs go first (not their files).
kubectl delete job backupsim-sweep backupsim-merge --ignore-not-found
sed "s/value: sweep-1$/value: $sweep/" "$here/sweep-indexed-job.yaml" | kubectl apply -f -
wait_for backupsim-sweep
sed "s/value: sweep-1$/value: $sweep/" "$here/merge-job.yaml" | kubectl apply -f -
wait_for backupsim-merge
kubectl logs job/backupsim-merge
