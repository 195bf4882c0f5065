import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// `result.json`: the machine-readable result.
public enum ResultJSON {
  public static let schemaVersion = 1

  public static func render(_ e: Evaluation, restoreAt: SimTime? = nil) -> String {
    var v = value(e.result, requirements: e.requirements, restoreAt: restoreAt)
    if case .object(var o) = v {
      o["attack"] = e.attack.map { attack($0, mitigation: e.mitigation) } ?? .null
      if let g = e.replicationGain { o["replicationGain"] = replicationGain(g) }
      o["deniedJobs"] = .array(
        e.deniedJobs.map { d in
          .object([
            "job": .string(d.job), "principal": .string(d.principal), "key": .string(d.key), "reason": .string(d.reason),
            "sentence": .string(Verdict.denied(d)),
          ])
        })
      v = .object(o)
    }
    return v.rendered()
  }

  public static func render(_ r: RunResult, requirements: [RequirementResult], restoreAt: SimTime? = nil) -> String {
    value(r, requirements: requirements, restoreAt: restoreAt).rendered()
  }

  static func attack(_ a: AttackReport, mitigation: Mitigation?) -> JSONValue {
    .object([
      "principal": .string(a.principal),
      "at": .string(a.at.iso8601),
      "detectedWithinDays": .decimal(Decimal(a.detectedWithinSeconds) / 86_400),
      "allowedActions": .array(a.allowedActions.map { .string($0) }),
      "operations": .array(
        a.operations.map { .object(["operation": .string($0.operation.rawValue), "allowed": .bool($0.allowed), "reason": .string($0.reason)]) }),
      "strategies": .array(
        a.strategies.map { s in
          .object([
            "name": .string(s.strategy.rawValue), "possible": .bool(s.possible), "reason": .string(s.reason),
            "goodRestorePointsAtAttack": .int(s.goodRestorePointsAtAttack),
            "lastGoodLostAt": s.lastGoodLostAt.map { .string($0.iso8601) } ?? .null,
            "detectionWindowDays": s.detectionWindowDays.map { .decimal($0) } ?? .null,
            "bytesLost": .int(s.bytesLost), "costInflicted": .money(s.costInflicted),
            "storageClass": s.storageClass.map { .string($0.rawValue) } ?? .null,
          ])
        }),
      "survives": .bool(a.survives),
      "verdict": .string(Verdict.sentence(a)),
      "mitigation": mitigation.map { m in
        .object([
          "change": .string(Verdict.change(m.change)), "extraMonthlyCost": .money(m.extraMonthlyCost), "extraTotalCost": .money(m.extraTotalCost),
          "detectionWindowDaysAfter": m.detectionWindowDaysAfter.map { .decimal($0) } ?? .null,
          "rejected": .array(m.rejected.map { .string(Verdict.rejection($0)) }), "sentence": .string(Verdict.mitigationSentence(m)),
        ])
      } ?? .null,
      "warnings": .array(a.warnings.map { .string($0) }),
    ])
  }

  public static func value(_ r: RunResult, requirements: [RequirementResult], restoreAt: SimTime? = nil) -> JSONValue {
    var coverage = coverage(r)
    if let t = restoreAt, case .object(var o) = coverage {
      o["restoreEstimatesAt"] = .object(["at": .string(t.iso8601), "estimates": .array(r.restoreEstimates(at: t).map(estimate))])
      coverage = .object(o)
    }
    var fields: [String: JSONValue] = [
      "schemaVersion": .int(schemaVersion),
      "scenario": .object([
        "name": .string(r.scenarioName), "start": .string(r.start.iso8601), "end": .string(r.end.iso8601),
        "seed": .number(String(r.seed)), "region": .string(r.region),
      ]),
      "pricing": .object(
        ["region": .string(r.prices.region), "asOf": .string(r.prices.asOf), "source": .string(r.prices.source)]
          .merging(r.prices.notes.isEmpty ? [:] : ["notes": .array(r.prices.notes.map { .string($0) })]) { a, _ in a }),
      "cost": cost(r),
      "storage": storage(r),
      "coverage": coverage,
      "requirements": .array(requirements.map(requirement)),
    ]
    // Only for a run that starts from an inventory: other results keep their shape.
    if r.startingState != nil { fields["startingState"] = StartingStateReport.json(r) }
    return withBuckets(r, fields)
  }

  static func categories(_ m: (KeyPath<MonthCost, Money>) -> Money) -> [String: JSONValue] {
    [
      "storage": .money(m(\.storage)), "requests": .money(m(\.requests)), "transitions": .money(m(\.transitions)),
      "earlyDeletion": .money(m(\.earlyDeletion)), "retrieval": .money(m(\.retrieval)),
    ]
  }

  static func cost(_ r: RunResult, replication: Bool? = nil) -> JSONValue {
    let shown = replication ?? !r.buckets.isEmpty
    var byClass: [String: JSONValue] = [:]
    for (c, v) in r.byStorageClass {
      byClass[c.rawValue] = .object(["storage": .money(v.storage), "gbMonths": .decimal(v.gbMonths)])
    }
    let months: [JSONValue] = r.months.map { m in
      var row = categories { m[keyPath: $0] }.merging(replicationCategories(shown) { m[keyPath: $0] }) { a, _ in a }
      row["month"] = .string(m.month)
      row["total"] = .money(m.total)
      row["gbMonths"] = .object(Dictionary(uniqueKeysWithValues: m.gbMonths.map { ($0.key.rawValue, JSONValue.decimal($0.value)) }))
      if !m.accessTierGBMonths.isEmpty {
        row["accessTierGBMonths"] = .object(
          Dictionary(uniqueKeysWithValues: m.accessTierGBMonths.map { ($0.key.rawValue, JSONValue.decimal($0.value)) }))
      }
      return .object(row)
    }
    var out: [String: JSONValue] = [
      "total": .money(r.totalCost),
      "byCategory": .object(categories { r.total($0) }.merging(replicationCategories(shown) { r.total($0) }) { a, _ in a }),
      "byStorageClass": .object(byClass),
      "byMonth": .array(months),
      "steadyStateMonthly": r.lastFullMonth.map { .money($0.total) } ?? .null,
    ]
    let tiers = r.byAccessTier
    if !tiers.isEmpty {
      // INTELLIGENT_TIERING's storage cost split by access tier, and its monitoring fee (both inside its byStorageClass row).
      let monitoring = r.monitoring
      out["intelligentTiering"] = .object([
        "byAccessTier": .object(
          Dictionary(
            uniqueKeysWithValues: tiers.map {
              ($0.key.rawValue, JSONValue.object(["storage": .money($0.value.storage), "gbMonths": .decimal($0.value.gbMonths)]))
            })),
        "monitoring": .object(["cost": .money(monitoring.cost), "objectMonths": .decimal(monitoring.objectMonths)]),
      ])
    }
    return .object(out)
  }

  static func storage(_ r: RunResult) -> JSONValue {
    .object([
      "end": .object([
        "bytes": .object(Dictionary(uniqueKeysWithValues: r.endBytesByClass.map { ($0.key.rawValue, JSONValue.int($0.value)) })),
        "objects": .object(Dictionary(uniqueKeysWithValues: r.endObjectsByClass.map { ($0.key.rawValue, JSONValue.int($0.value)) })),
        "currentVersions": .int(r.currentVersions),
        "noncurrentVersions": .int(r.noncurrentVersions),
        "deleteMarkers": .int(r.deleteMarkers),
      ])
    ])
  }

  static func summary(_ c: CoverageSummary) -> [String: JSONValue] {
    [
      "restorePointsCreated": .int(c.restorePointsCreated),
      "restorableAtEnd": .int(c.restorableAtEnd),
      "oldestRestorableAtEnd": c.oldestRestorableAtEnd.map { .string($0.iso8601) } ?? .null,
    ]
  }

  private static func coverage(_ r: RunResult) -> JSONValue {
    // One timeline for the three (each build reads every restore point).
    let tl = r.timeline
    var o = summary(tl.summary(at: r.end))
    var byJob: [String: JSONValue] = [:]
    for (name, c) in zip(r.jobNames, tl.summaries(at: r.end, jobs: r.jobNames.count)) { byJob[name] = .object(summary(c)) }
    o["byJob"] = .object(byJob)
    o["restoreEstimates"] = .array(r.restoreEstimates(timeline: tl).map(estimate))
    return .object(o)
  }

  static func estimate(_ e: RestoreEstimate) -> JSONValue {
    var tiers: [String: JSONValue] = [:]
    for (tier, t) in e.tiers {
      tiers[tier.rawValue] = .object([
        "hours": .decimal(t.hours), "retrievalCost": .money(t.retrievalCost), "requestCost": .money(t.requestCost), "cost": .money(t.cost),
      ])
    }
    var classes: [String: JSONValue] = [:]
    for (c, p) in e.byClass { classes[c.rawValue] = .object(["objects": .int(p.objects), "bytes": .int(p.bytes)]) }
    return .object([
      "point": .string(e.label), "job": .string(e.job), "writtenAt": .string(e.writtenAt.iso8601),
      "objects": .int(e.objects), "bytes": .int(e.bytes), "storageClasses": .object(classes), "tiers": .object(tiers),
    ])
  }

  /// "met", "not met" or "not checked" (then `met` is false too: exit status 1).
  static func statusName(_ s: RequirementResult.Status) -> String {
    switch s {
    case .met: return "met"
    case .notMet: return "not met"
    case .notChecked: return "not checked"
    }
  }

  private static func requirement(_ q: RequirementResult) -> JSONValue {
    .object([
      "name": .string(q.name), "met": .bool(q.met), "status": .string(statusName(q.status)),
      "firstFailedOn": q.firstFailedOn.map { .string($0.iso8601) } ?? .null,
      "failedJobs": .array(
        q.failedJobs.map { f in
          .object([
            "jobs": .array(f.jobs.map { .string($0) }), "firstFailedOn": .string(f.firstFailedOn.iso8601),
            "longestGapSeconds": f.longestGapSeconds.map { .int($0) } ?? .null,
          ])
        }),
      "detail": .string(Verdict.detail(q)),
    ])
  }
}

/// `daily.csv`: one row per simulated day, the bucket as it stood at the end of that day.
public enum DailyCSV {
  public static func header(jobs: [String]) -> String {
    var cols = ["date"]
    cols += StorageClass.allCases.map { "bytes_\($0.rawValue)" }
    cols += StorageClass.allCases.map { "objects_\($0.rawValue)" }
    cols += ["current_versions", "noncurrent_versions", "delete_markers", "restorable_points"]
    cols += jobs.map { csvField("restorable_" + $0) }
    cols += ["oldest_restorable_age_days", "largest_gap_hours", "cost_to_date_usd"]
    return cols.joined(separator: ",")
  }

  public static func row(_ d: DailySample, coverage c: DayCoverage?) -> String {
    var cols = [d.date.iso8601]
    cols += d.bytesByClass.map(String.init)
    cols += d.objectsByClass.map(String.init)
    cols += [String(d.currentVersions), String(d.noncurrentVersions), String(d.deleteMarkers), String(c?.restorable ?? 0)]
    cols += (c?.restorableByJob ?? []).map(String.init)
    cols.append(c?.oldestAgeDays.map { fixed($0, 4) } ?? "")
    cols.append(c?.largestGapHours.map { fixed($0, 4) } ?? "")
    cols.append(Money.plain(Money.round(d.costToDate.amount, places: 6)))
    return cols.joined(separator: ",")
  }

  public static func render(_ r: RunResult) -> String {
    var out = header(jobs: r.jobNames) + "\n"
    let byDate = Dictionary(r.coverageDaily.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
    for d in r.daily { out += row(d, coverage: byDate[d.date]) + "\n" }
    return out
  }

  static func fixed(_ v: Double, _ places: Int) -> String {
    CNumber.format(v, "%.\(places)f")
  }

  /// A CSV header field: job names are user text, so quote when needed.
  static func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
