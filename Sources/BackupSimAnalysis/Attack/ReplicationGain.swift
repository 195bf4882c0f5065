import BackupSimEngine
import BackupSimModel
import Foundation

/// What the replicated copies buy: the same scenario run without them, set beside the run with them.
public struct ReplicationGain: Sendable {
  /// The copies' buckets, as `name (account, region)`.
  public var copies: [String]
  /// The worst attack's last good backup lost, with and without the copies (nil: one survives the horizon).
  public var lastGoodLostAtWith: SimTime?
  public var lastGoodLostAtWithout: SimTime?
  public var attackAt: SimTime?
  /// Whether a good backup outlives the detection window, with and without the copies.
  public var survivesWith: Bool?
  public var survivesWithout: Bool?
  public var totalWith: Money
  public var totalWithout: Money
  /// The last full month's bill with and without (nil when no month lies wholly in the horizon).
  public var monthlyWith: Money?
  public var monthlyWithout: Money?
  public var month: String?

  /// Runs `scenario` without its other buckets and replication, and compares with `result`/`attack`.
  public static func measure(_ scenario: Scenario, result: RunResult, attack: AttackReport?) -> ReplicationGain? {
    guard scenario.hasReplication else { return nil }
    var single = scenario
    single.otherBuckets = []
    single.bucket.replication = nil
    let alone = simulate(single)
    let aloneAttack = AttackAnalysis.run(single, baseline: alone)
    let copies = result.buckets.filter { !$0.isSource }.map { b in
      "\(b.name) (" + (b.account.map { "account \($0), " } ?? "") + "\(b.region))"
    }
    return ReplicationGain(
      copies: copies, lastGoodLostAtWith: attack?.worst?.lastGoodLostAt, lastGoodLostAtWithout: aloneAttack?.worst?.lastGoodLostAt,
      attackAt: attack?.at, survivesWith: attack?.survives, survivesWithout: aloneAttack?.survives, totalWith: result.totalCost,
      totalWithout: alone.totalCost, monthlyWith: result.lastFullMonth?.total, monthlyWithout: alone.lastFullMonth?.total,
      month: result.lastFullMonth?.month)
  }
}
