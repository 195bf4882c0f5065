import BackupSimEngine
import BackupSimModel
import Foundation

/// One strategy played against the scenario.
public struct StrategyResult: Sendable {
  public var strategy: AttackStrategy
  public var possible: Bool
  /// The permission (or bucket state) that allows or blocks it.
  public var reason: String
  public var goodRestorePointsAtAttack: Int
  /// When the last good point stops being restorable; nil when one survives the horizon.
  public var lastGoodLostAt: SimTime?
  public var detectionWindowDays: Decimal?
  public var bytesLost: Int64
  public var costInflicted: Money
  /// For cost-bomb: the class the junk went into.
  public var storageClass: StorageClass?
  /// Good points still restorable at the end of each day from the attack on.
  public var goodLeft: [(date: CivilDate, count: Int)]
}

/// Everything the attack analysis found.
public struct AttackReport: Sendable {
  public var principal: String
  public var at: SimTime
  public var detectedWithinSeconds: Int64
  /// IAM actions the principal may perform on this bucket (on at least one key the jobs write).
  public var allowedActions: [String]
  public var operations: [(operation: S3Operation, allowed: Bool, reason: String)]
  public var strategies: [StrategyResult]
  public var warnings: [String]

  /// The possible strategy that destroys the last good backup soonest (nil: none can).
  public var worst: StrategyResult? {
    strategies.filter { $0.possible && $0.lastGoodLostAt != nil }.min { ($0.lastGoodLostAt ?? $0.at) < ($1.lastGoodLostAt ?? $1.at) }
  }

  /// Whether there was any good backup at the attack (every strategy starts from the same ones).
  public var hasGoodBackups: Bool { strategies.contains { $0.goodRestorePointsAtAttack > 0 } }

  /// Whether a good backup is still restorable `detectedWithin` after the attack, whatever the attacker
  /// does (never when there was none to begin with).
  public var survives: Bool {
    hasGoodBackups
      && strategies.allSatisfy { s in
        guard s.possible else { return true }
        guard s.goodRestorePointsAtAttack > 0 else { return false }
        return s.lastGoodLostAt.map { $0 - at > detectedWithinSeconds } ?? true
      }
  }
}

private extension StrategyResult {
  var at: SimTime { lastGoodLostAt ?? SimTime(seconds: 0) }
}

/// Plays every attack strategy on the same engine as the baseline run.
public enum AttackAnalysis {
  /// `checkInvariants` is passed on to every strategy's run (tests).
  public static func run(_ scenario: Scenario, baseline: RunResult, checkInvariants: Bool = false) -> AttackReport? {
    guard let plan = scenario.attack, let principal = scenario.principals.first(where: { $0.name == plan.principal }) else { return nil }
    let access = Access(scenario: scenario, principal: principal, at: plan.at)
    let strategies = plan.auto ? AttackStrategy.allCases : plan.strategies
    // The history before the attack is the same for every strategy: simulated once, then each
    // strategy finishes its own copy, on all cores, in order.
    var plain = SimulationOptions()
    plain.checkInvariants = checkInvariants
    plain.reportDetail = false
    let fork = SimulationFork(scenario, options: plain, pausedBefore: plan.at)
    let results = parallelMap(strategies) { strategy in
      play(strategy, scenario: scenario, plan: plan, access: access, baseline: baseline, fork: fork, checkInvariants: checkInvariants)
    }
    var allowed: Set<String> = []
    var ops: [(S3Operation, Bool, String)] = []
    for op in S3Operation.allCases {
      let (ok, reason) = access.allowedOnAnyKey(op)
      ops.append((op, ok, reason))
      if ok { allowed.formUnion(op.requiredActions) }
    }
    // Shortening GOVERNANCE retention needs s3:PutObjectRetention and s3:BypassGovernanceRetention only (§4).
    if allowed.contains("s3:PutObjectRetention"), access.jobKeys.contains(where: { access.allows("s3:BypassGovernanceRetention", key: $0) }) {
      allowed.insert("s3:BypassGovernanceRetention")
    }
    return AttackReport(
      principal: principal.name, at: plan.at, detectedWithinSeconds: plan.detectedWithinSeconds, allowedActions: allowed.sorted(),
      operations: ops, strategies: results,
      warnings: access.evaluator.warnings + copyReach(scenario, principal: principal, at: plan.at))
  }

  /// What the principal may do, with the backup host's request context (docs/s3-rules.md §5).
  struct Access: Sendable {
    let evaluator: PolicyEvaluator
    let bucket: String
    /// The bucket's region, which every request names: `bucket.region`, else the price table's.
    let region: String
    let sourceIp: String
    /// The attack time, sent as `aws:CurrentTime` / `aws:EpochTime`.
    let at: SimTime
    /// One key per job, as written at the attack time (with `{i}` = 0).
    let jobKeys: [String]
    /// Each job's key folder: its template's literal start, up to the last "/".
    let jobFolders: [String]
    /// The policies after the attacker's first step, when it may replace (s3:PutBucketPolicy) or delete
    /// (s3:DeleteBucketPolicy) the bucket policy: any Deny there is gone, and a replacement grants it
    /// everything (§5.5).
    ///
    /// Nil when it may do neither.
    let rewritten: (evaluator: PolicyEvaluator, how: String)?

    init(scenario: Scenario, principal: Principal, at: SimTime) {
      evaluator = PolicyEvaluator(identityPolicies: principal.identityPolicies, bucketPolicy: scenario.bucket.policy, principalARN: principal.arn)
      bucket = scenario.bucket.name
      region = scenario.region
      sourceIp = principal.sourceIp
      self.at = at
      jobKeys = scenario.uploads.map { $0.key.pattern(at: at, run: 1).replacingOccurrences(of: "{i}", with: "0") }
      jobFolders = scenario.uploads.map { job in
        var head = ""
        for part in job.key.parts {
          guard case .literal(let l) = part else { break }
          head += l
        }
        return head.lastIndex(of: "/").map { String(head[...$0]) } ?? ""
      }
      let ctx = AttackerContext.values(sourceIP: sourceIp, region: region, at: at)
      let bucketARN = "arn:aws:s3:::\(scenario.bucket.name)"
      if evaluator.authorize(.putBucketPolicy, bucket: bucket, key: nil, context: ctx).decision == .allowed {
        let grant = PolicyDocument(statements: [
          PolicyStatement(
            sid: "Attacker", effect: .allow, actions: .only(["s3:*"]), resources: .only([bucketARN, bucketARN + "/*"]),
            principal: .only(.init(everyone: false, aws: [principal.arn])))
        ])
        rewritten = (
          PolicyEvaluator(identityPolicies: principal.identityPolicies, bucketPolicy: grant, principalARN: principal.arn),
          "s3:PutBucketPolicy is allowed: the attacker first replaces the bucket policy with one granting it s3:*"
        )
      } else if scenario.bucket.policy != nil,
        evaluator.evaluate(RequestContext(action: "s3:DeleteBucketPolicy", resource: bucketARN, values: ctx)).decision == .allowed
      {
        rewritten = (
          PolicyEvaluator(identityPolicies: principal.identityPolicies, bucketPolicy: nil, principalARN: principal.arn),
          "s3:DeleteBucketPolicy is allowed: the attacker first deletes the bucket policy"
        )
      } else {
        rewritten = nil
      }
    }

    /// The requests the attacker may send for `op` on `key`, each with the headers it chose (§5.2, §5.5):
    /// for a PUT any storage class (or none), SSE-S3 or none, an ACL or none, and — only for a key that
    /// does not exist yet — `If-None-Match: *` or the parts of a multipart upload it never completes
    /// (`s3:ObjectCreationOperation` false).
    ///
    /// An overwrite cannot carry `If-None-Match: *` (it would get a 412).
    func requests(_ op: S3Operation, storageClass: StorageClass?, newKey: Bool) -> [(op: S3Operation, context: [String: [String]], headers: String)] {
      let base = AttackerContext.values(sourceIP: sourceIp, region: region, at: at)
      guard op == .putObject || op == .createMultipartUpload else { return [(op, base, "")] }
      let classes: [StorageClass?] = storageClass.map { [$0] } ?? [nil] + StorageClass.allCases.map { $0 }
      // (s3:ObjectCreationOperation, If-None-Match): a PutObject or CompleteMultipartUpload creates the object.
      var forms: [(String, String?)] = op == .createMultipartUpload ? [("false", nil)] : [("true", nil)]
      if op == .putObject && newKey { forms += [("true", "*"), ("false", nil)] }
      var out: [(S3Operation, [String: [String]], String)] = []
      for (creation, ifNoneMatch) in forms {
        for acl in [nil, "bucket-owner-full-control"] {
          for sse in [nil, "AES256"] {
            for c in classes {
              var ctx = base
              var headers: [String] = []
              ctx["s3:ObjectCreationOperation"] = [creation]
              if creation == "false" && op == .putObject { headers.append("as multipart parts") }
              if let c { ctx["s3:x-amz-storage-class"] = [c.rawValue] }
              if let ifNoneMatch {
                ctx["s3:if-none-match"] = [ifNoneMatch]
                headers.append("If-None-Match: *")
              }
              if let sse {
                ctx["s3:x-amz-server-side-encryption"] = [sse]
                headers.append("x-amz-server-side-encryption: \(sse)")
              }
              if let acl {
                ctx["s3:x-amz-acl"] = [acl]
                headers.append("x-amz-acl: \(acl)")
              }
              out.append((acl == nil ? op : .putObjectWithACL, ctx, headers.joined(separator: ", ")))
            }
          }
        }
      }
      return out
    }

    /// Whether one IAM action is allowed on `key`'s object ARN, before or after a bucket-policy rewrite.
    func allows(_ action: String, key: String) -> Bool {
      let request = RequestContext(
        action: action, resource: "arn:aws:s3:::\(bucket)/\(key)", values: AttackerContext.values(sourceIP: sourceIp, region: region, at: at))
      return evaluator.evaluate(request).decision == .allowed || rewritten?.evaluator.evaluate(request).decision == .allowed
    }

    /// Allowed with whatever headers serve the attacker (`requests`), under the bucket policy as it is or,
    /// failing that, after rewriting it.
    ///
    /// `newKey`: the key does not exist yet (cost bomb).
    func check(_ op: S3Operation, key: String?, storageClass: StorageClass? = nil, newKey: Bool = false) -> (Bool, String) {
      // The initiator's own right to abort: only uploads it can start are its own (§5.2).
      if op == .abortMultipartUpload, let key, !allows("s3:AbortMultipartUpload", key: key) {
        let start = check(.createMultipartUpload, key: key)
        guard start.0 else {
          return (
            false,
            "AbortMultipartUpload: no statement allows s3:AbortMultipartUpload, and the attacker can start no upload of its own to abort (\(start.1))"
          )
        }
      }
      let candidates = requests(op, storageClass: storageClass, newKey: newKey)
      let objectKey = op.target == .bucket ? nil : key
      var firstReason = ""
      for r in candidates {
        let (d, reason) = evaluator.authorize(r.op, bucket: bucket, key: objectKey, context: r.context)
        if firstReason.isEmpty { firstReason = reason }
        if d == .allowed { return (true, r.headers.isEmpty ? reason : "\(reason) (sent with \(r.headers))") }
      }
      if let rewritten, op != .putBucketPolicy,
        let r = candidates.first(where: {
          rewritten.evaluator.authorize($0.op, bucket: bucket, key: objectKey, context: $0.context).decision == .allowed
        })
      {
        return (
          true,
          "\(firstReason); but \(rewritten.how), and then \(op.rawValue)" + (r.headers.isEmpty ? "" : " (sent with \(r.headers))") + " is allowed"
        )
      }
      return (false, firstReason)
    }

    func allowedOnAnyKey(_ op: S3Operation, storageClass: StorageClass? = nil, newKey: Bool = false) -> (Bool, String) {
      if op.target == .bucket { return check(op, key: nil, storageClass: storageClass) }
      var first: (Bool, String)?
      for k in jobKeys {
        let r = check(op, key: k, storageClass: storageClass, newKey: newKey)
        if r.0 { return r }
        if first == nil { first = r }
      }
      return first ?? (false, "no upload job writes a key")
    }
  }

  static func play(
    _ s: AttackStrategy, scenario: Scenario, plan: AttackPlan, access: Access, baseline: RunResult, fork: SimulationFork,
    checkInvariants: Bool
  ) -> StrategyResult {
    let mayPut: @Sendable (String) -> Bool = { access.check(.putObject, key: $0).0 }
    var action = AttackAction(strategy: s, at: plan.at, mayPut: mayPut)
    var possible: Bool
    var reason: String
    switch s {
    case .overwrite, .flood:
      (possible, reason) = access.allowedOnAnyKey(.putObject)
      if possible, s == .flood {
        let n = scenario.bucket.lifecycle.rules.compactMap { $0.noncurrentExpiration?.newerNoncurrentVersions }.max()
        reason +=
          n.map { "; \($0 + 1) versions per key push out the versions kept by NewerNoncurrentVersions = \($0)" }
          ?? "; no rule sets NewerNoncurrentVersions, so one overwrite per key does as much"
      }
    case .delete:
      (possible, reason) = access.allowedOnAnyKey(.deleteObject)
      action.mayDelete = { access.check(.deleteObject, key: $0).0 }
    case .deleteVersions:
      // Version IDs come from a listing, or one at a time from a HEAD of the key (s3:GetObject), which
      // returns the current version's ID: delete it, the next newer one becomes current, repeat (§6.8).
      let del = access.allowedOnAnyKey(.deleteObjectVersion)
      let list = access.allowedOnAnyKey(.listBucketVersions)
      let head = access.allowedOnAnyKey(.getObject)
      possible = del.0 && (list.0 || head.0)
      reason =
        !del.0
        ? del.1
        : list.0
          ? del.1
          : head.0
            ? del.1
              + "; without s3:ListBucketVersions (\(list.1)) it learns each current version's ID with a HEAD (s3:GetObject) and deletes the versions newest first"
            : "s3:DeleteObjectVersion needs version IDs, and both listing them and reading the current one are denied: \(list.1); \(head.1)"
      action.listsVersions = list.0
      action.mayDeleteVersions = { key in access.check(.deleteObjectVersion, key: key).0 && (list.0 || access.check(.getObject, key: key).0) }
      action.bypassGovernance = access.allowedOnAnyKey(.deleteObjectVersionBypassingGovernance).0
      if possible, let lock = scenario.bucket.objectLock {
        reason +=
          lock.mode == .compliance || !action.bypassGovernance
          ? "; versions under Object Lock \(lock.mode.rawValue) retention cannot be deleted until it ends"
          : "; s3:BypassGovernanceRetention lets it delete GOVERNANCE-locked versions too"
      }
    case .tamperLifecycle:
      (possible, reason) = access.allowedOnAnyKey(.putLifecycleConfiguration)
      if possible { reason += "; it installs a rule that expires every object after 1 day and every noncurrent version 1 day later" }
    case .suspendVersioning:
      (possible, reason) = access.allowedOnAnyKey(.putBucketVersioning)
      if possible && scenario.bucket.objectLock != nil {
        possible = false
        reason = "Object Lock is enabled on the bucket: versioning can no longer be suspended"
      } else if possible && scenario.bucket.versioning == .disabled && scenario.bucket.versioningChanges.isEmpty {
        possible = false
        reason = "versioning was never enabled, so there is nothing to suspend"
      }
    case .costBomb:
      (possible, reason) = access.allowedOnAnyKey(.putObject, newKey: true)
    }
    guard possible else {
      return measure(s, run: baseline, baseline: baseline, plan: plan, possible: false, reason: reason, storageClass: nil)
    }
    if s == .costBomb {
      // The costliest class the policy lets through, found by running each.
      // Outside every job's folder if the policy allows (no lifecycle rule reaches it), else in one.
      let prefix = (["attacker-junk/"] + access.jobFolders).first { access.check(.putObject, key: $0 + "probe", newKey: true).0 } ?? ""
      let probeKey = prefix + "probe"
      // The figure is what the attack costs once the owner deletes the junk at detection, whatever the
      // horizon: both runs stop at detection, and the early-deletion charge for junk younger than its
      // class's minimum storage duration is added.
      let detection = plan.at + plan.detectedWithinSeconds
      var untilDetection = scenario
      untilDetection.end = detection
      var plain = SimulationOptions()
      plain.checkInvariants = checkInvariants
      plain.reportDetail = false
      let bombFork = SimulationFork(untilDetection, options: plain, pausedBefore: plan.at)
      let baseCost = bombFork.finish(attack: nil).totalCost
      var best: StrategyResult?
      for c in StorageClass.allCases where c != .intelligentTiering && access.check(.putObject, key: probeKey, storageClass: c, newKey: true).0 {
        action.costBomb = .init(storageClass: c, keyPrefix: prefix + "cost-bomb-", bytesPerSecond: plan.bandwidthBytesPerSecond, until: detection)
        let r = bombFork.finish(attack: action)
        // The junk does not touch the backups: their fate is the baseline's.
        var m = measure(s, run: baseline, baseline: baseline, plan: plan, possible: true, reason: reason, storageClass: c)
        m.costInflicted = r.totalCost - baseCost + earlyDeletionCharge(c, plan: plan, prices: scenario.prices)
        if best.map({ m.costInflicted > $0.costInflicted }) ?? true { best = m }
      }
      if var b = best {
        let gbps = Decimal(plan.bandwidthBytesPerSecond) * 8 / 1_000_000_000
        b.reason +=
          "; uploads \(Money.plain(gbps)) Gbit/s into \(b.storageClass?.rawValue ?? "?") under '\(prefix)' for \(span(plan.detectedWithinSeconds))"
        return b
      }
      return measure(
        s, run: baseline, baseline: baseline, plan: plan, possible: false, reason: "no storage class is allowed for a key the attacker can write",
        storageClass: nil)
    }
    let r = fork.finish(attack: action)
    return measure(s, run: r, baseline: baseline, plan: plan, possible: true, reason: reason, storageClass: nil)
  }

  /// What deleting the cost bomb's junk at detection adds: for each hourly batch (uploaded like
  /// `Simulation.costBombUpload`, in 5 GiB objects and a rest), the part of the class's minimum storage
  /// duration left at detection, at the class's base price in the month of detection (docs/s3-rules.md §3.3).
  static func earlyDeletionCharge(_ c: StorageClass, plan: AttackPlan, prices: PriceTable) -> Money {
    let minimum = Int64(prices[c].minimumDays) * SimTime.secondsPerDay
    let detection = plan.at + plan.detectedWithinSeconds
    guard minimum > 0 else { return .zero }
    let perHour = plan.bandwidthBytesPerSecond * 3600
    let objectSize: Int64 = 5 << 30
    let full = perHour / objectSize, rest = perHour % objectSize
    func billed(_ size: Int64) -> Int64 {
      if c.hasMinimumBillableSize { return max(size, StorageClass.minimumBillableSize) }
      return c.isArchive ? size + StorageClass.archiveOverheadInClass : size
    }
    let batchBytes = Int128(full) * Int128(billed(objectSize)) + (rest > 0 ? Int128(billed(rest)) : 0)
    var byteSeconds: Int128 = 0
    var upload = plan.at
    while upload < detection {
      let remaining = minimum - (detection - upload)
      if remaining > 0 { byteSeconds += batchBytes * Int128(remaining) }
      upload = upload + 3600
    }
    let monthSeconds = detection.startOfNextMonth - detection.startOfMonth
    let gbMonths = Decimal(exactly: byteSeconds) / (Decimal(Int64(1) << 30) * Decimal(monthSeconds))
    return Money(gbMonths * prices[c].basePrice)
  }

  /// The good points (written before the attack, restorable just before it) and what became of them.
  static func measure(
    _ s: AttackStrategy, run r: RunResult, baseline: RunResult, plan: AttackPlan, possible: Bool, reason: String, storageClass: StorageClass?
  ) -> StrategyResult {
    let tl = r.timeline
    let good = r.restorePoints.indices.filter { i in
      r.restorePoints[i].writtenAt < plan.at && (tl.lostAt[i].map { $0 >= plan.at } ?? true)
    }
    let bytesLost = good.reduce(Int64(0)) { $0 + (tl.lostAt[$1] == nil ? 0 : r.restorePoints[$1].bytes) }
    // No good backup at all counts as lost at the attack; one that survives the horizon means none is lost.
    let last: SimTime? =
      good.isEmpty ? plan.at : good.contains { tl.lostAt[$0] == nil } ? nil : good.compactMap { tl.lostAt[$0] }.max()
    var left: [(CivilDate, Int)] = []
    var t = plan.at.nextMidnight
    while t <= r.end {
      left.append(((t - 1).date, good.filter { tl.isRestorable($0, at: t) }.count))
      t = t + SimTime.secondsPerDay
    }
    return StrategyResult(
      strategy: s, possible: possible, reason: reason, goodRestorePointsAtAttack: good.count, lastGoodLostAt: last,
      detectionWindowDays: last.map { Decimal($0 - plan.at) / 86_400 }, bytesLost: bytesLost,
      costInflicted: possible ? r.totalCost - baseline.totalCost : .zero, storageClass: storageClass, goodLeft: left)
  }
}

/// A stated duration in the strategy's reason ("7 days", "36.0 hours"); the reports' sentences use
/// `Format.period`, and the two must read alike.
private func span(_ seconds: Int64) -> String {
  if seconds % SimTime.secondsPerDay == 0 {
    let d = seconds / SimTime.secondsPerDay
    return d == 1 ? "1 day" : "\(d) days"
  }
  return CNumber.format(Double(seconds) / 3600, "%.1f") + " hours"
}
