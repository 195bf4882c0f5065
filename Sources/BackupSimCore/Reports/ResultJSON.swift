import Foundation

/// `result.json`: the machine-readable result (PRODUCT.md "Outputs", schema version 1).
public enum ResultJSON {
  public static let schemaVersion = 1

  public static func render(_ r: RunResult, requirements: [RequirementResult]) -> String {
    value(r, requirements: requirements).rendered()
  }

  public static func value(_ r: RunResult, requirements: [RequirementResult]) -> JSONValue {
    .object([
      "schemaVersion": .int(schemaVersion),
      "scenario": .object([
        "name": .string(r.scenarioName), "start": .string(r.start.iso8601), "end": .string(r.end.iso8601),
        "seed": .number(String(r.seed)),
      ]),
      "pricing": .object(["region": .string(r.prices.region), "asOf": .string(r.prices.asOf), "source": .string(r.prices.source)]),
      "cost": cost(r),
      "storage": storage(r),
      "coverage": coverage(r),
      "requirements": .array(requirements.map(requirement)),
    ])
  }

  private static func categories(_ m: (KeyPath<MonthCost, Money>) -> Money) -> [String: JSONValue] {
    [
      "storage": .money(m(\.storage)), "requests": .money(m(\.requests)), "transitions": .money(m(\.transitions)),
      "earlyDeletion": .money(m(\.earlyDeletion)), "retrieval": .money(m(\.retrieval)),
    ]
  }

  private static func cost(_ r: RunResult) -> JSONValue {
    var byClass: [String: JSONValue] = [:]
    for (c, v) in r.byStorageClass {
      byClass[c.rawValue] = .object(["storage": .money(v.storage), "gbMonths": .decimal(v.gbMonths)])
    }
    let months: [JSONValue] = r.months.map { m in
      var row = categories { m[keyPath: $0] }
      row["month"] = .string(m.month)
      row["total"] = .money(m.total)
      row["gbMonths"] = .object(Dictionary(uniqueKeysWithValues: m.gbMonths.map { ($0.key.rawValue, JSONValue.decimal($0.value)) }))
      return .object(row)
    }
    return .object([
      "total": .money(r.totalCost),
      "byCategory": .object(categories { r.total($0) }),
      "byStorageClass": .object(byClass),
      "byMonth": .array(months),
      "steadyStateMonthly": r.lastFullMonth.map { .money($0.total) } ?? .null,
    ])
  }

  private static func storage(_ r: RunResult) -> JSONValue {
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

  private static func summary(_ c: CoverageSummary) -> [String: JSONValue] {
    [
      "restorePointsCreated": .int(c.restorePointsCreated),
      "restorableAtEnd": .int(c.restorableAtEnd),
      "oldestRestorableAtEnd": c.oldestRestorableAtEnd.map { .string($0.iso8601) } ?? .null,
    ]
  }

  private static func coverage(_ r: RunResult) -> JSONValue {
    var o = summary(r.coverage)
    var byJob: [String: JSONValue] = [:]
    for (j, name) in r.jobNames.enumerated() { byJob[name] = .object(summary(r.coverage(job: j))) }
    o["byJob"] = .object(byJob)
    return .object(o)
  }

  private static func requirement(_ q: RequirementResult) -> JSONValue {
    .object([
      "name": .string(q.name), "met": .bool(q.met),
      "firstFailedOn": q.firstFailedOn.map { .string($0.iso8601) } ?? .null,
      "detail": .string(q.detail),
    ])
  }
}

/// `daily.csv`: one row per simulated day, the bucket as it stood at the end of that day.
public enum DailyCSV {
  public static var header: String {
    var cols = ["date"]
    cols += StorageClass.allCases.map { "bytes_\($0.rawValue)" }
    cols += StorageClass.allCases.map { "objects_\($0.rawValue)" }
    cols += ["current_versions", "noncurrent_versions", "delete_markers", "restorable_points", "cost_to_date_usd"]
    return cols.joined(separator: ",")
  }

  public static func row(_ d: DailySample, restorable: Int) -> String {
    var cols = [d.date.iso8601]
    cols += d.bytesByClass.map(String.init)
    cols += d.objectsByClass.map(String.init)
    cols += [String(d.currentVersions), String(d.noncurrentVersions), String(d.deleteMarkers), String(restorable)]
    cols.append(Money.plain(Money.round(d.costToDate.amount, places: 6)))
    return cols.joined(separator: ",")
  }

  public static func render(_ r: RunResult) -> String {
    var out = header + "\n"
    let restorable = restorableByDay(r)
    for (i, d) in r.daily.enumerated() { out += row(d, restorable: restorable[i]) + "\n" }
    return out
  }

  /// Restore points restorable at the end of each sampled day (written before, not yet lost).
  static func restorableByDay(_ r: RunResult) -> [Int] {
    var delta = [Int](repeating: 0, count: r.daily.count + 1)
    guard let first = r.daily.first?.date.daysSinceEpoch else { return [] }
    for p in r.restorePoints {
      // Sample for day d is taken at midnight d+1; a point counts from the day it was written
      // until the day before the instant it was lost (a loss at exactly midnight d+1 still counts for d).
      let from = Int(p.writtenAt.dayNumber - first)
      let until = p.lostAt.map { Int($0.dayNumber - first) } ?? r.daily.count
      let lo = max(0, from), hi = min(r.daily.count, until)
      if lo < hi {
        delta[lo] += 1
        delta[hi] -= 1
      }
    }
    var out: [Int] = []
    var running = 0
    for i in 0..<r.daily.count {
      running += delta[i]
      out.append(running)
    }
    return out
  }
}
