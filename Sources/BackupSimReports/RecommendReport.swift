import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// The files `recommend` writes: recommend.md, recommend.json, the ready-to-apply AWS JSON, and the Pareto charts.
public enum RecommendReport {
  /// Every text file of the report (charts are drawn separately, from `charts(_:)`).
  public static func files(_ o: RecommendOutcome, scenarioPath: String, chartFiles: [String] = []) -> [(name: String, contents: String)] {
    var out: [(name: String, contents: String)] = []
    out.append(("recommend.md", markdown(o, scenarioPath: scenarioPath, chartFiles: chartFiles)))
    out.append(("recommend.json", json(o, scenarioPath: scenarioPath).rendered()))
    if let r = o.recommendation {
      let s = o.space.settings(r.candidate)
      if let lc = lifecycleJSON(o.space, s) { out.append(("lifecycle.json", lc.rendered())) }
      if let p = bucketPolicyJSON(s, scenario: o.current.scenario) { out.append(("bucket-policy.json", p.document.rendered())) }
      if let l = objectLockJSON(s) { out.append(("object-lock.json", l.rendered())) }
    }
    return out
  }

  // MARK: - Ready-to-apply AWS JSON

  /// The `--lifecycle-configuration` document of `put-bucket-lifecycle-configuration` (nil: the candidate has no rule).
  public static func lifecycleJSON(_ space: RecommendSpace, _ s: RecommendSettings) -> JSONValue? {
    guard let rule = space.lifecycleRule(s) else { return nil }
    var r: [String: JSONValue] = [
      "ID": .string(rule.id), "Status": .string("Enabled"), "Filter": .object(["Prefix": .string(rule.filter.prefix)]),
    ]
    if case .after(.days(let d)) = rule.expiration { r["Expiration"] = .object(["Days": .int(d)]) }
    if !rule.transitions.isEmpty {
      r["Transitions"] = .array(
        rule.transitions.compactMap { t in
          guard case .days(let d) = t.when else { return nil }
          return .object(["Days": .int(d), "StorageClass": .string(t.storageClass.rawValue)])
        })
    }
    if !rule.noncurrentTransitions.isEmpty {
      r["NoncurrentVersionTransitions"] = .array(
        rule.noncurrentTransitions.map { .object(["NoncurrentDays": .int($0.noncurrentDays), "StorageClass": .string($0.storageClass.rawValue)]) })
    }
    if let e = rule.noncurrentExpiration {
      var o: [String: JSONValue] = ["NoncurrentDays": .int(e.noncurrentDays)]
      if let n = e.newerNoncurrentVersions { o["NewerNoncurrentVersions"] = .int(n) }
      r["NoncurrentVersionExpiration"] = .object(o)
    }
    return .object(["Rules": .array([.object(r)])])
  }

  /// The `put-object-lock-configuration` document (nil: no default retention).
  public static func objectLockJSON(_ s: RecommendSettings) -> JSONValue? {
    guard s.lockDays > 0 else { return nil }
    return .object([
      "ObjectLockEnabled": .string("Enabled"),
      "Rule": .object(["DefaultRetention": .object(["Mode": .string(s.family.lockMode.rawValue), "Days": .int(s.lockDays)])]),
    ])
  }

  /// The bucket policy to put: the scenario's statements and the candidate's, as one document.
  ///
  /// `put-bucket-policy` replaces the whole policy. `complete` is false when an existing statement names
  /// a principal type that is not kept (Service, Federated, CanonicalUser): then only the new statements are written.
  public static func bucketPolicyJSON(_ s: RecommendSettings, scenario: Scenario) -> (document: JSONValue, complete: Bool)? {
    let added = RecommendSpace.policyStatements(s, scenario: scenario)
    guard !added.isEmpty else { return nil }
    let existing = scenario.bucket.policy?.statements ?? []
    let keepable = existing.allSatisfy { st in
      switch st.principal {
      case .only(let p)?, .allExcept(let p)?: return p.others.isEmpty
      case nil: return true
      }
    }
    let statements = (keepable ? existing : []) + added
    var doc: [String: JSONValue] = ["Version": .string(scenario.bucket.policy?.version ?? PolicyDocument.currentVersion)]
    if let id = scenario.bucket.policy?.id { doc["Id"] = .string(id) }
    doc["Statement"] = .array(statements.map(statementJSON))
    return (.object(doc), keepable)
  }

  static func statementJSON(_ st: PolicyStatement) -> JSONValue {
    var o: [String: JSONValue] = ["Effect": .string(st.effect.rawValue)]
    if let sid = st.sid { o["Sid"] = .string(sid) }
    func list(_ xs: [String]) -> JSONValue { xs.count == 1 ? .string(xs[0]) : .array(xs.map { .string($0) }) }
    switch st.actions {
    case .only(let a): o["Action"] = list(a)
    case .allExcept(let a): o["NotAction"] = list(a)
    }
    switch st.resources {
    case .only(let r): o["Resource"] = list(r)
    case .allExcept(let r): o["NotResource"] = list(r)
    }
    func principals(_ p: PolicyStatement.Principals) -> JSONValue {
      if p.everyone && p.aws.isEmpty { return .string("*") }
      return .object(["AWS": list((p.everyone ? ["*"] : []) + p.aws)])
    }
    switch st.principal {
    case .only(let p)?: o["Principal"] = principals(p)
    case .allExcept(let p)?: o["NotPrincipal"] = principals(p)
    case nil: break
    }
    if !st.conditions.isEmpty {
      var ops: [String: [String: JSONValue]] = [:]
      for c in st.conditions { ops[c.operatorName, default: [:]][c.key] = list(c.values) }
      o["Condition"] = .object(ops.mapValues { .object($0) })
    }
    return .object(o)
  }

  // MARK: - Words

  /// The candidate's settings, one short phrase each, in a fixed order.
  public static func phrases(_ s: RecommendSettings) -> [String] {
    var out = ["versioning \(s.family.versioning.rawValue)", "uploads to \(s.family.uploadClass.rawValue)"]
    out.append(s.expirationDays.map { "Expiration \($0) d" } ?? "no Expiration")
    for t in s.family.transitions { out.append("\(t.storageClass.rawValue) at \(t.days) d") }
    if s.family.versioning == .enabled {
      out.append(
        s.noncurrentDays.map { "noncurrent kept \($0) d" + (s.newerNoncurrentVersions.map { " (and \($0) newer)" } ?? "") }
          ?? "noncurrent kept forever")
      for t in s.family.noncurrentTransitions { out.append("noncurrent to \(t.storageClass.rawValue) at \(t.days) d") }
    }
    out.append(s.lockDays > 0 ? "Object Lock \(s.family.lockMode.rawValue) \(s.lockDays) d" : "no Object Lock")
    if s.denyDestructive { out.append("deny writers destructive actions") }
    if s.conditionalWrites { out.append("conditional writes only") }
    return out
  }

  /// What an alternative gives up or gains against the recommendation, in a few words.
  public static func trade(_ a: RecommendRun, against r: RecommendRun, space: RecommendSpace) -> String {
    let sa = phrases(space.settings(a.candidate)), sr = phrases(space.settings(r.candidate))
    var parts = sa.filter { !sr.contains($0) }.map { $0 }
    let extra = a.steadyMonthlyCost - r.steadyMonthlyCost
    parts.append("\(Format.money(extra)) more a month")
    if let ha = a.historyDays, let hr = r.historyDays, ha != hr {
      parts.append("history \(Format.days(ha)) instead of \(Format.days(hr))")
    }
    if let va = a.survivalDays, let vr = r.survivalDays, va != vr {
      parts.append("survives an attack \(Format.days(va)) instead of \(Format.days(vr))")
    }
    if let ha = slowest(a), let hr = slowest(r), ha != hr { parts.append("slowest restore \(Format.hours(ha)) instead of \(Format.hours(hr))") }
    return parts.joined(separator: "; ")
  }

  static func slowest(_ r: RecommendRun) -> Decimal? {
    for q in r.allRequirements { if case .maxRestoreHours(_, _, let h) = q.measure { return h } }
    return nil
  }

  /// How much room a met requirement leaves, or how far a failing one is off, in its own unit.
  public static func margin(_ q: RequirementResult, history: Decimal?, survival: Decimal? = nil) -> String {
    switch q.measure {
    case .restorePoints(let every, let window, let gap):
      let room = "longest gap \(Format.period(seconds: gap)) of \(Format.period(seconds: every)) allowed"
      guard let h = history else { return room }
      return room + "; oldest restorable backup at the end \(Format.days(h)) old (\(Format.period(seconds: window)) asked)"
    case .maxRestoreHours(let limit, _, let slowest):
      return "slowest restore \(Format.hours(slowest)) of \(Money.plain(limit)) h allowed"
    case .maxMonthlyCost(let limit, let month, let total):
      let left = limit - total
      return left >= .zero
        ? "\(Format.money(left)) below the cap in the costliest month (\(month ?? "-"))"
        : "\(Format.money(Money.zero - left)) over the cap in \(month ?? "-")"
    case .survivesAttack(let detected, let worst, let after):
      guard let after else {
        guard q.met else { return "no good backup at the attack" }
        guard let survival else { return "no strategy removes the last good backup within the \(Format.period(seconds: detected)) to notice" }
        let spare = survival - Decimal(detected) / 86_400
        return "the last good backup lasts \(Format.days(survival)) after the attack under the worst strategy, "
          + "\(Format.days(spare)) more than the \(Format.period(seconds: detected)) to notice"
      }
      let spare = Decimal(after - detected) / 86_400
      return "'\(worst?.rawValue ?? "-")' removes the last good backup after \(Format.days(Decimal(after) / 86_400)), "
        + (spare >= 0 ? "\(Format.days(spare)) more than" : "\(Format.days(-spare)) short of") + " the \(Format.period(seconds: detected)) to notice"
    }
  }

  /// What it would take to meet a failing requirement, as far as the search can tell.
  public static func wouldTake(_ q: RequirementResult, space: RecommendSpace) -> String {
    switch q.measure {
    case .restorePoints(let every, _, let gap):
      if gap > every && q.failedJobs.isEmpty { return "the schedule itself leaves gaps longer than asked" }
      let longest = space.noncurrentDays.compactMap { $0 }.max().map { "\($0)" } ?? "-"
      return "longer retention than the space offers (longest NoncurrentDays \(longest), lock \(space.lockDays.max() ?? 0) days): "
        + "add longer values under noncurrentDays, expirationDays or objectLock.days in a --space file, or more frequent backups"
    case .maxRestoreHours:
      return "keeping the backups of the window out of GLACIER and DEEP_ARCHIVE: fewer or later archive transitions"
    case .maxMonthlyCost(let limit, _, let total):
      return "a cap of at least \(Format.money(total)) (\(Format.money(total - limit)) more), or smaller or fewer backups"
    case .survivesAttack(let detected, _, _):
      return "keeping good backups beyond \(Format.period(seconds: detected)) after the attack: a longer Object Lock, "
        + "a Deny on destructive actions, or conditional writes (keys that change each run); add them to the space"
    }
  }

  /// The current configuration's settings, as the scenario states them.
  public static func currentPhrases(_ s: Scenario) -> [String] {
    var out = [
      "versioning \(s.bucket.versioning.rawValue)", "uploads to \(Set(s.uploads.map(\.storageClass.rawValue)).sorted().joined(separator: ", "))",
    ]
    for r in s.bucket.lifecycle.rules {
      var p: [String] = []
      if case .after(.days(let d))? = r.expiration { p.append("Expiration \(d) d") }
      for t in r.transitions { if case .days(let d) = t.when { p.append("\(t.storageClass.rawValue) at \(d) d") } }
      if let e = r.noncurrentExpiration {
        p.append("noncurrent kept \(e.noncurrentDays) d" + (e.newerNoncurrentVersions.map { " (and \($0) newer)" } ?? ""))
      }
      for t in r.noncurrentTransitions { p.append("noncurrent to \(t.storageClass.rawValue) at \(t.noncurrentDays) d") }
      out.append("rule '\(r.id)': " + (p.isEmpty ? "other actions" : p.joined(separator: ", ")))
    }
    if s.bucket.lifecycle.rules.isEmpty { out.append("no lifecycle rule") }
    out.append(s.bucket.objectLock.map { "Object Lock \($0.mode.rawValue) \($0.seconds / SimTime.secondsPerDay) d" } ?? "no Object Lock")
    out.append(s.bucket.policy == nil ? "no bucket policy" : "bucket policy with \(s.bucket.policy?.statements.count ?? 0) statement(s)")
    return out
  }
}
