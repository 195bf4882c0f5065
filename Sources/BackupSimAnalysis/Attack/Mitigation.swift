import BackupSimEngine
import BackupSimModel
import Foundation

/// The cheapest change to the scenario that stops the attack, found by re-running variants.
public struct Mitigation: Sendable {
  /// A change to the scenario that may stop the attack.
  public enum Change: Sendable, Equatable {
    /// An explicit Deny of `actions` in the principal's identity policy.
    case denyDestructive(principal: String, actions: [String])
    /// A bucket policy refusing any PUT without `If-None-Match: *` (every job writes dated keys).
    case conditionalWrites
    /// NoncurrentDays longer by `days`, and no NewerNoncurrentVersions.
    case keepNoncurrentLonger(days: Int)
    /// Default retention in COMPLIANCE mode; `enablesVersioning` when the bucket was not versioned.
    case objectLock(days: Int, enablesVersioning: Bool)
  }

  /// A change that was tried and did not stop the attack, and the strategy that still wins (nil: none named).
  public struct Rejection: Sendable, Equatable {
    public var change: Change
    public var stillWinning: AttackStrategy?
    public var detectedWithinSeconds: Int64

    public init(change: Change, stillWinning: AttackStrategy?, detectedWithinSeconds: Int64) {
      self.change = change
      self.stillWinning = stillWinning
      self.detectedWithinSeconds = detectedWithinSeconds
    }
  }

  public var change: Change
  /// Extra cost per month at steady state (the last full month), baseline of the changed scenario minus the original.
  public var extraMonthlyCost: Money
  public var extraTotalCost: Money
  /// The worst strategy's window with the change in place (nil: a good backup survives the horizon).
  public var detectionWindowDaysAfter: Decimal?
  /// Candidates tried that did not stop it.
  public var rejected: [Rejection]

  /// Candidate changes, cheapest to operate first, each checked by a full re-run with every strategy.
  static func find(for scenario: Scenario, baseline: RunResult, attack: AttackReport) -> Mitigation? {
    var rejected: [Rejection] = []
    var best: (Mitigation, Money)?
    for (change, variant) in candidates(scenario, attack: attack) {
      let e = evaluate(variant, findMitigation: false)
      guard let a = e.attack else { continue }
      // Stopping it means a good backup outlives the time it takes to notice, whatever the attacker does.
      let monthly = (e.result.lastFullMonth?.total ?? .zero) - (baseline.lastFullMonth?.total ?? .zero)
      let total = e.result.totalCost - baseline.totalCost
      guard a.survives else {
        rejected.append(Rejection(change: change, stillWinning: a.worst?.strategy, detectedWithinSeconds: a.detectedWithinSeconds))
        continue
      }
      let m = Mitigation(
        change: change, extraMonthlyCost: monthly, extraTotalCost: total,
        detectionWindowDaysAfter: a.worst?.detectionWindowDays, rejected: [])
      if best.map({ total < $0.1 }) ?? true { best = (m, total) }
    }
    guard var m = best?.0 else { return nil }
    m.rejected = rejected
    return m
  }

  /// An identity-policy statement denying `actions` on the bucket and its objects:
  /// `{"Sid": "NoDestruction", "Effect": "Deny", "Action": [...], "Resource": ["arn:aws:s3:::B", "arn:aws:s3:::B/*"]}`.
  package static func denyDestructive(_ actions: [String], bucket: String) -> PolicyDocument {
    PolicyDocument(statements: [
      PolicyStatement(
        sid: "NoDestruction", effect: .deny, actions: .only(actions),
        resources: .only(["arn:aws:s3:::\(bucket)", "arn:aws:s3:::\(bucket)/*"]))
    ])
  }

  /// A bucket policy statement refusing any PUT that could overwrite (§5.3 conditional writes):
  /// `{"Sid": "NoOverwrites", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
  /// "Resource": "arn:aws:s3:::B/*", "Condition": {"Null": {"s3:if-none-match": "true"}}}`.
  package static func denyOverwrites(bucket: String) -> PolicyDocument {
    PolicyDocument(statements: [
      PolicyStatement(
        sid: "NoOverwrites", effect: .deny, actions: .only(["s3:PutObject"]), resources: .only(["arn:aws:s3:::\(bucket)/*"]),
        principal: .only(.init(everyone: true)), conditions: [Condition(operatorName: "Null", key: "s3:if-none-match", values: ["true"])])
    ])
  }

  static func candidates(_ scenario: Scenario, attack: AttackReport) -> [(Change, Scenario)] {
    var out: [(Change, Scenario)] = []
    let bucket = scenario.bucket.name
    let detectedDays = Int((attack.detectedWithinSeconds + SimTime.secondsPerDay - 1) / SimTime.secondsPerDay)
    let destructive = [
      "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
      "s3:PutBucketPolicy", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold",
    ]
    let possible = Set(attack.strategies.filter(\.possible).map(\.strategy))

    // 1. Deny the destructive actions to the backup principal (free).
    if !possible.isDisjoint(with: [.delete, .deleteVersions, .tamperLifecycle, .suspendVersioning]) {
      var v = scenario
      if let i = v.principals.firstIndex(where: { $0.name == attack.principal }) {
        v.principals[i].identityPolicies.append(denyDestructive(destructive, bucket: bucket))
      }
      out.append((.denyDestructive(principal: attack.principal, actions: destructive), v))
    }

    // 2. Conditional writes: no PUT over an existing key. Only works when every run writes new keys.
    let datedKeys = scenario.uploads.allSatisfy { $0.key.parts.contains { $0 == .date || $0 == .datetime || $0 == .run } }
    if datedKeys {
      let cw = denyOverwrites(bucket: bucket)
      var v = scenario
      if var existing = v.bucket.policy { existing.statements += cw.statements; v.bucket.policy = existing } else { v.bucket.policy = cw }
      out.append((.conditionalWrites, v))
    }

    // 3. Keep noncurrent versions for longer than it takes to notice, and drop the count limit a flood exploits.
    if scenario.bucket.versioning == .enabled, scenario.bucket.lifecycle.rules.contains(where: { $0.noncurrentExpiration != nil }) {
      var v = scenario
      for i in v.bucket.lifecycle.rules.indices {
        guard var nve = v.bucket.lifecycle.rules[i].noncurrentExpiration else { continue }
        nve.noncurrentDays += detectedDays
        nve.newerNoncurrentVersions = nil
        v.bucket.lifecycle.rules[i].noncurrentExpiration = nve
      }
      out.append((.keepNoncurrentLonger(days: detectedDays), v))
    }

    // 4. Object Lock: nothing written can be removed for the time it takes to notice, plus one backup interval.
    let interval =
      scenario.uploads.map { job -> Int64 in
        guard let a = job.schedule.firstFire(atOrAfter: scenario.start), let b = job.schedule.nextFire(after: a) else { return SimTime.secondsPerDay }
        return b - a
      }.max() ?? SimTime.secondsPerDay
    let lockDays = detectedDays + Int((interval + SimTime.secondsPerDay - 1) / SimTime.secondsPerDay)
    if scenario.bucket.objectLock.map({ $0.mode != .compliance || $0.seconds < Int64(lockDays) * SimTime.secondsPerDay }) ?? true {
      var v = scenario
      v.bucket.versioning = .enabled
      v.bucket.versioningChanges = []
      v.bucket.objectLock = ObjectLockDefault(mode: .compliance, days: lockDays)
      out.append((.objectLock(days: lockDays, enablesVersioning: scenario.bucket.versioning != .enabled), v))
    }
    return out
  }
}
