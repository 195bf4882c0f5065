#!/usr/bin/env python3
"""Checks the deploy/ examples without a cluster: they parse, and the settings that must agree do.

- every Kubernetes manifest is YAML and every Batch definition JSON;
- the sweep Job has a CPU limit and passes it as --jobs, runs as many shards as --shard .../n says,
  fails at once when a shard fails for good, has a deadline, reads its scenario from a ConfigMap
  and writes to a per-sweep folder; the merge Job reads that folder;
- the Batch sweep's --jobs matches its vCPUs, and both definitions use the same per-sweep folder;
- .dockerignore keeps the local build and the lock file out of the image.
Exit status: 0 ok, 1 a check failed.
"""
import json
import pathlib
import re
import sys

import yaml

root = pathlib.Path(__file__).resolve().parent.parent
problems = []


def check(ok, what):
    if not ok:
        problems.append(what)


k8s = root / "deploy/kubernetes"
sweep = yaml.safe_load((k8s / "sweep-indexed-job.yaml").read_text())
merge = yaml.safe_load((k8s / "merge-job.yaml").read_text())
spec = sweep["spec"]
pod = spec["template"]["spec"]
c = pod["containers"][0]
args = " ".join(c["args"])
env = {e["name"]: e for e in c.get("env", [])}
check(c["resources"]["limits"].get("cpu") == c["resources"]["requests"].get("cpu"), "sweep: CPU limit missing or not equal to the request")
check('--jobs "$CPUS"' in args, "sweep: --jobs is not passed the CPU limit")
check(env.get("CPUS", {}).get("valueFrom", {}).get("resourceFieldRef", {}).get("resource") == "limits.cpu", "sweep: CPUS is not limits.cpu")
n = re.search(r'--shard "\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)/(\d+)"', args)
check(n is not None and int(n.group(1)) == spec["completions"], "sweep: completions and --shard .../n differ")
check(spec.get("maxFailedIndexes") == 0 and "backoffLimitPerIndex" in spec, "sweep: a failed shard does not fail the Job at once")
check(isinstance(spec.get("activeDeadlineSeconds"), int), "sweep: no activeDeadlineSeconds")
check(any("configMap" in v for v in pod["volumes"]) and "/scenario/" in args, "sweep: the scenario is not read from a ConfigMap")
check('--out "/results/$SWEEP_ID"' in args and "SWEEP_ID" in env, "sweep: no per-sweep output folder")
mc = merge["spec"]["template"]["spec"]["containers"][0]
check('"/results/$SWEEP_ID"' in " ".join(mc["command"]), "merge: does not read the per-sweep folder")
check(any(e["name"] == "SWEEP_ID" and e["value"] == env["SWEEP_ID"]["value"] for e in mc.get("env", [])), "merge: SWEEP_ID differs from the sweep's")
check("limits" in mc.get("resources", {}), "merge: no resource limits")

batch = root / "deploy/aws-batch"
bs = json.loads((batch / "sweep-job-definition.json").read_text())["containerProperties"]
bm = json.loads((batch / "merge-job-definition.json").read_text())["containerProperties"]
benv = {e["name"]: e["value"] for e in bs["environment"]}
vcpu = next(r["value"] for r in bs["resourceRequirements"] if r["type"] == "VCPU")
check('--jobs \\"${VCPUS}\\"' in json.dumps(bs["command"]) and benv.get("VCPUS") == vcpu, "batch sweep: --jobs is not its vCPU count")
check("/data/${SWEEP}/shards" in " ".join(bs["command"]) and "/data/${SWEEP}/shards" in " ".join(bm["command"]), "batch: no per-sweep folder")
check("/data/${SWEEP}/input/" in " ".join(bs["command"]), "batch sweep: the scenario is not read from the mounted volume")

ignored = set((root / ".dockerignore").read_text().split())
for p in [".build/", "Package.resolved", "reports/", "Fuzz/.build", ".git"]:
    check(p in ignored, f".dockerignore: {p} missing")

for p in problems:
    print(f"check-deploy: FAIL: {p}", file=sys.stderr)
if not problems:
    print("check-deploy: ok")
sys.exit(1 if problems else 0)
