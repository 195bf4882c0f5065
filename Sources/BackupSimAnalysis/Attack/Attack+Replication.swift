import BackupSimEngine
import BackupSimModel
import Foundation

extension AttackAnalysis {
  /// What the stolen credentials may do to the scenario's other buckets (the replicated copies).
  ///
  /// The attack is played on the source bucket only, so a copy the policies let the attacker write,
  /// delete or reconfigure is warned about: its protection is then overstated. Within one account the
  /// identity policy or the bucket policy may allow; across accounts both must (docs/s3-rules.md §5.5, §10.4).
  static func copyReach(_ scenario: Scenario, principal: Principal, at: SimTime) -> [String] {
    let key = scenario.uploads.first.map { $0.key.pattern(at: at, run: 1).replacingOccurrences(of: "{i}", with: "0") } ?? "probe"
    let parts = principal.arn.split(separator: ":", omittingEmptySubsequences: false)
    let principalAccount = parts.count > 4 && !parts[4].isEmpty ? String(parts[4]) : nil
    let ops: [S3Operation] = [.putObject, .deleteObject, .deleteObjectVersion, .putLifecycleConfiguration, .putBucketVersioning, .putBucketPolicy]
    var out: [String] = []
    for b in scenario.otherBuckets {
      let ctx = AttackerContext.values(sourceIP: principal.sourceIp, region: b.region ?? scenario.prices.region, at: at)
      let sameAccount = (b.account ?? scenario.bucket.account) == (principalAccount ?? scenario.bucket.account)
      let both = PolicyEvaluator(identityPolicies: principal.identityPolicies, bucketPolicy: b.policy, principalARN: principal.arn)
      let identity = PolicyEvaluator(identityPolicies: principal.identityPolicies, bucketPolicy: nil, principalARN: principal.arn)
      let resource = PolicyEvaluator(identityPolicies: [], bucketPolicy: b.policy, principalARN: principal.arn)
      let allowed = ops.filter { op in
        let k = op.target == .bucket ? nil : key
        if sameAccount { return both.authorize(op, bucket: b.name, key: k, context: ctx).decision == .allowed }
        return identity.authorize(op, bucket: b.name, key: k, context: ctx).decision == .allowed
          && resource.authorize(op, bucket: b.name, key: k, context: ctx).decision == .allowed
      }
      guard !allowed.isEmpty else { continue }
      out.append(
        "the '\(principal.name)' credentials may also \(allowed.map(\.rawValue).joined(separator: ", ")) on the copy bucket '\(b.name)'; "
          + "the attack is played on the source bucket only, so the copy's protection is overstated")
    }
    return out
  }
}
