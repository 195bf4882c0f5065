import Foundation
import BackupSimModel
import BackupSimEngine

/// The cheapest change to the scenario that stops the attack, found by re-running variants.
public struct Mitigation: Sendable {
  public var change: String
  /// Extra cost per month at steady state (the last full month), baseline of the changed scenario minus the original.
  public var extraMonthlyCost: Money
  public var extraTotalCost: Money
  /// The worst strategy's window with the change in place (nil: a good backup survives the horizon).
  public var detectionWindowDaysAfter: Decimal?
  /// Candidates tried that did not stop it, with why.
  public var rejected: [String]

  /// Candidate changes, cheapest to operate first, each checked by a full re-run with every strategy.
  static func find(for scenario: Scenario, baseline: RunResult, attack: AttackReport) -> Mitigation? {
    var rejected: [String] = []
    var best: (Mitigation, Money)?
    for (description, variant) in candidates(scenario, attack: attack) {
      let e = evaluate(variant, findMitigation: false)
      guard let a = e.attack else { continue }
      // Stopping it means a good backup outlives the time it takes to notice, whatever the attacker does.
      let stops = a.survives
      let monthly = (e.result.lastFullMonth?.total ?? .zero) - (baseline.lastFullMonth?.total ?? .zero)
      let total = e.result.totalCost - baseline.totalCost
      if !stops {
        let w = a.worst
        rejected.append(
          "\(description): not enough"
            + (w.map { " ('\($0.strategy.rawValue)' still destroys every good backup within \(RunResult.period(a.detectedWithinSeconds)))" } ?? ""))
        continue
      }
      let m = Mitigation(
        change: description, extraMonthlyCost: monthly, extraTotalCost: total,
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

  static func candidates(_ scenario: Scenario, attack: AttackReport) -> [(String, Scenario)] {
    var out: [(String, Scenario)] = []
    let bucket = scenario.bucket.name
    let detectedDays = Int((attack.detectedWithinSeconds + SimTime.secondsPerDay - 1) / SimTime.secondsPerDay)
    let destructive = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning",
                       "s3:PutBucketPolicy", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold"]
    let possible = Set(attack.strategies.filter(\.possible).map(\.strategy))

    // 1. Deny the destructive actions to the backup principal (free).
    if !possible.isDisjoint(with: [.delete, .deleteVersions, .tamperLifecycle, .suspendVersioning]) {
      var v = scenario
      if let i = v.principals.firstIndex(where: { $0.name == attack.principal }) {
        v.principals[i].identityPolicies.append(denyDestructive(destructive, bucket: bucket))
      }
      out.append(("deny \(attack.principal) every destructive action (\(destructive.joined(separator: ", "))) in its IAM policy", v))
    }

    // 2. Conditional writes: no PUT over an existing key. Only works when every run writes new keys.
    let datedKeys = scenario.uploads.allSatisfy { $0.key.parts.contains { $0 == .date || $0 == .datetime || $0 == .run } }
    if datedKeys {
      let cw = denyOverwrites(bucket: bucket)
      var v = scenario
      if var existing = v.bucket.policy { existing.statements += cw.statements; v.bucket.policy = existing } else { v.bucket.policy = cw }
      out.append(("a bucket policy that denies any PUT without If-None-Match: * (keys are dated, so backups never overwrite)", v))
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
      out.append(("keep noncurrent versions \(detectedDays) days longer (NoncurrentDays + \(detectedDays), no NewerNoncurrentVersions)", v))
    }

    // 4. Object Lock: nothing written can be removed for the time it takes to notice, plus one backup interval.
    let interval = scenario.uploads.map { job -> Int64 in
      guard let a = job.schedule.firstFire(atOrAfter: scenario.start), let b = job.schedule.nextFire(after: a) else { return SimTime.secondsPerDay }
      return b - a
    }.max() ?? SimTime.secondsPerDay
    let lockDays = detectedDays + Int((interval + SimTime.secondsPerDay - 1) / SimTime.secondsPerDay)
    if scenario.bucket.objectLock.map({ $0.mode != .compliance || $0.seconds < Int64(lockDays) * SimTime.secondsPerDay }) ?? true {
      var v = scenario
      v.bucket.versioning = .enabled
      v.bucket.versioningChanges = []
      v.bucket.objectLock = ObjectLockDefault(mode: .compliance, days: lockDays)
      out.append(("Object Lock in COMPLIANCE mode with a \(lockDays)-day default retention" + (scenario.bucket.versioning == .enabled ? "" : " (and versioning enabled)"), v))
    }
    return out
  }
}

/// The one-sentence verdicts a manager reads.
public enum Verdict {
  package static func days(_ d: Decimal) -> String {
    let r = Money.round(d, places: 1)
    return r == 1 ? "1 day" : "\(Money.plain(r)) days"
  }

  public static func sentence(_ a: AttackReport) -> String {
    let who = "Someone holding the '\(a.principal)' credentials"
    var out: String
    if let w = a.worst, let lost = w.lastGoodLostAt {
      let when = lost <= a.at ? "the moment they attack" : "\(days(Decimal(lost - a.at) / 86_400)) after the attack"
      out = "\(who) can make every backup unrecoverable \(when) (\(describe(w.strategy))), unless the attack is noticed and stopped before then."
    } else if a.strategies.contains(where: { $0.possible && $0.goodRestorePointsAtAttack == 0 }) {
      out = "At the time of the attack there is no good backup to protect."
    } else {
      out = "\(who) cannot destroy the backups made before an attack: at least one stays restorable to the end of the simulation."
    }
    if a.worst != nil && a.survives {
      out += " That is longer than the \(RunResult.period(a.detectedWithinSeconds)) it takes to notice, so a good backup is still there when the attack is found."
    }
    if let bomb = a.strategies.first(where: { $0.strategy == .costBomb && $0.possible }), bomb.costInflicted > .zero {
      out += " They can add \(bomb.costInflicted.formatted()) to the bill by uploading junk into \(bomb.storageClass?.rawValue ?? "the bucket") for \(RunResult.period(a.detectedWithinSeconds))."
    }
    return out
  }

  static func describe(_ s: AttackStrategy) -> String {
    switch s {
    case .overwrite: return "by overwriting every backup key once"
    case .flood: return "by overwriting every backup key several times"
    case .delete: return "by deleting every backup key"
    case .deleteVersions: return "by deleting every stored version"
    case .tamperLifecycle: return "by replacing the lifecycle rules"
    case .suspendVersioning: return "by suspending versioning and overwriting"
    case .costBomb: return "by uploading junk"
    }
  }

  public static func mitigationSentence(_ m: Mitigation) -> String {
    let cost = m.extraMonthlyCost == .zero ? "at no extra cost" : m.extraMonthlyCost > .zero
      ? "for \(m.extraMonthlyCost.formatted()) more per month" : "and saves \((Money.zero - m.extraMonthlyCost).formatted()) per month"
    return "The cheapest change that stops it: \(m.change), \(cost) (checked by re-running the scenario with every strategy)."
  }
}
