import BackupSimEngine
import BackupSimModel
import Foundation

extension RecommendSpace {
  /// The IAM actions the `denyDestructive` bucket-policy statement refuses the backup writers.
  public static let destructiveActions = [
    "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
    "s3:PutBucketPolicy", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
  ]

  /// The lifecycle rule a candidate stands for (nil when it has no action: no rule at all).
  public func lifecycleRule(_ s: RecommendSettings) -> LifecycleRule? {
    let rule = LifecycleRule(
      id: "backupsim-recommended", filter: LifecycleFilter(prefix: rulePrefix),
      expiration: s.expirationDays.map { .after(.days($0)) },
      transitions: s.family.transitions.map { .init(when: .days($0.days), storageClass: $0.storageClass) },
      noncurrentTransitions: s.family.noncurrentTransitions.map { .init(noncurrentDays: $0.days, storageClass: $0.storageClass) },
      noncurrentExpiration: s.noncurrentDays.map { .init(noncurrentDays: $0, newerNoncurrentVersions: s.newerNoncurrentVersions) })
    let empty = rule.expiration == nil && rule.transitions.isEmpty && rule.noncurrentTransitions.isEmpty && rule.noncurrentExpiration == nil
    return empty ? nil : rule
  }

  /// The statements a candidate adds to the bucket policy (none when both are off).
  public static func policyStatements(_ s: RecommendSettings, scenario: Scenario) -> [PolicyStatement] {
    var out: [PolicyStatement] = []
    let bucket = scenario.bucket.name
    if s.denyDestructive {
      // Only the backup writers are refused: a Deny for everyone would lock the owner out of its own lifecycle.
      var arns: [String] = scenario.uploads.compactMap { scenario.writer(of: $0)?.arn }
      if let a = scenario.attack, let p = scenario.principals.first(where: { $0.name == a.principal }) { arns.append(p.arn) }
      arns = RecommendSpace.dedup(arns).sorted()
      if !arns.isEmpty {
        out.append(
          PolicyStatement(
            sid: "DenyDestructiveToBackupWriters", effect: .deny, actions: .only(destructiveActions),
            resources: .only(["arn:aws:s3:::\(bucket)", "arn:aws:s3:::\(bucket)/*"]), principal: .only(.init(aws: arns))))
      }
    }
    if s.conditionalWrites { out += Mitigation.denyOverwrites(bucket: bucket).statements }
    return out
  }

  /// `scenario` with a candidate's configuration in place of its own lifecycle, lock, policy and upload class.
  ///
  /// The recommended rule replaces every lifecycle rule of the bucket; policy statements are added to the
  /// bucket policy the scenario has.
  public func apply(_ c: RecommendCandidate, to scenario: Scenario) -> Scenario {
    let s = settings(c)
    var v = scenario
    if v.bucket.versioning != s.family.versioning {
      v.bucket.versioning = s.family.versioning
      v.bucket.versioningChanges = []
    }
    v.bucket.objectLock = s.lockDays > 0 ? ObjectLockDefault(mode: s.family.lockMode, days: s.lockDays) : nil
    v.bucket.lifecycle = LifecycleConfiguration(
      rules: lifecycleRule(s).map { [$0] } ?? [], transitionDefaultMinimumObjectSize: scenario.bucket.lifecycle.transitionDefaultMinimumObjectSize)
    let extra = Self.policyStatements(s, scenario: scenario)
    if !extra.isEmpty {
      if var p = v.bucket.policy {
        p.statements += extra
        v.bucket.policy = p
      } else {
        v.bucket.policy = PolicyDocument(statements: extra)
      }
    }
    for i in v.uploads.indices { v.uploads[i].storageClass = s.family.uploadClass }
    return v
  }
}
