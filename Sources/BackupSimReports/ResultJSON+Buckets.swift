import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// `result.json` for a scenario with several buckets: `cost`, `storage` and `coverage` stay the totals
/// (a restore point counts while a copy survives in any bucket), and `buckets[]` carries each bucket.
extension ResultJSON {
  /// The top-level object, with `buckets` when the scenario has more than one.
  static func withBuckets(_ r: RunResult, _ o: [String: JSONValue]) -> JSONValue {
    guard !r.buckets.isEmpty else { return .object(o) }
    var o = o
    o["buckets"] = .array(r.buckets.indices.map { bucket(r, $0) })
    return .object(o)
  }

  /// The replication charge categories, only for a scenario with several buckets (one-bucket results keep their shape).
  static func replicationCategories(_ shown: Bool, _ m: (KeyPath<MonthCost, Money>) -> Money) -> [String: JSONValue] {
    guard shown else { return [:] }
    return ["dataTransfer": .money(m(\.dataTransfer)), "replicationTimeControl": .money(m(\.replicationTimeControl))]
  }

  static func bucket(_ r: RunResult, _ i: Int) -> JSONValue {
    let b = r.buckets[i]
    let v = r.bucketView(i)
    var coverage = summary(v.coverage)
    coverage["restoreEstimates"] = .array(v.restoreEstimates.map(estimate))
    return .object([
      "name": .string(b.name), "region": .string(b.region), "account": b.account.map { .string($0) } ?? .null,
      "source": .bool(b.isSource), "cost": cost(v, replication: true), "storage": storage(v), "coverage": .object(coverage),
      "replicated": b.isSource
        ? .null
        : .object(["versions": .int(b.replicatedVersions), "bytes": .int(b.replicatedBytes), "crossRegion": .bool(b.crossRegion)]),
    ])
  }
}

extension ResultJSON {
  /// The scenario without its copies beside the scenario with them.
  static func replicationGain(_ g: ReplicationGain) -> JSONValue {
    func side(_ lost: SimTime?, _ survives: Bool?, _ total: Money, _ monthly: Money?) -> JSONValue {
      .object([
        "lastGoodLostAt": lost.map { .string($0.iso8601) } ?? .null,
        "detectionWindowDays": lost.flatMap { l in g.attackAt.map { .decimal(Decimal(l - $0) / 86_400) } } ?? .null,
        "survivesAttack": survives.map { .bool($0) } ?? .null, "total": .money(total),
        "steadyStateMonthly": monthly.map { .money($0) } ?? .null,
      ])
    }
    return .object([
      "copies": .array(g.copies.map { .string($0) }),
      "with": side(g.lastGoodLostAtWith, g.survivesWith, g.totalWith, g.monthlyWith),
      "without": side(g.lastGoodLostAtWithout, g.survivesWithout, g.totalWithout, g.monthlyWithout),
      "sentence": .string(Verdict.replicationGain(g)),
    ])
  }
}
