import BackupSimModel
import Foundation

/// Everything one simulation run produced: numbers and a trace, no formatting.
public struct RunResult: Sendable {
  public var scenarioName: String
  public var start: SimTime
  public var end: SimTime
  public var seed: UInt64
  public var prices: PriceTable
  public var jobNames: [String]
  public var months: [MonthCost]
  public var endBytesByClass: [StorageClass: Int64]
  public var endObjectsByClass: [StorageClass: Int]
  public var currentVersions: Int
  public var noncurrentVersions: Int
  public var deleteMarkers: Int
  public var restorePoints: [RestorePoint]
  public var daily: [DailySample]
  public var trace: [TraceEntry]
  /// Key groups alive at the end (a measure of how well histories were shared).
  public var groupsAtEnd: Int
  public var bytesRemoved: Int64
  /// Where each restore point's surviving versions are at the end, by point index.
  public var endComposition: [Int: PointComposition]
  /// The same at `SimulationOptions.snapshotAt`, when asked for.
  public var snapshot: [Int: PointComposition]?
  /// The inventory the bucket started from, if any.
  public var startingState: StartingStateSummary? = nil

  public var totalCost: Money { months.reduce(.zero) { $0 + $1.total } }

  public func total(_ category: KeyPath<MonthCost, Money>) -> Money {
    months.reduce(.zero) { $0 + $1[keyPath: category] }
  }

  /// Storage cost and GB-months per class over the whole horizon.
  public var byStorageClass: [StorageClass: (storage: Money, gbMonths: Decimal)] {
    var out: [StorageClass: (storage: Money, gbMonths: Decimal)] = [:]
    for m in months {
      for (c, g) in m.gbMonths {
        let prev = out[c] ?? (.zero, 0)
        out[c] = (prev.storage + (m.storageByClass[c] ?? .zero), prev.gbMonths + g)
      }
    }
    return out
  }
}

/// Runs a scenario from start to end.
public func simulate(_ scenario: Scenario, options: SimulationOptions = SimulationOptions()) -> RunResult {
  var sim = Simulation(scenario: scenario, options: options)
  sim.run()
  var bytes: [StorageClass: Int64] = [:]
  var objects: [StorageClass: Int] = [:]
  for c in StorageClass.allCases where sim.bucket.objectsByClass[c.index] != 0 {
    bytes[c] = sim.bucket.bytesByClass[c.index]
    objects[c] = sim.bucket.objectsByClass[c.index]
  }
  return RunResult(
    scenarioName: scenario.name, start: scenario.start, end: scenario.end, seed: scenario.seed, prices: scenario.prices,
    jobNames: scenario.uploads.map(\.name), months: sim.ledger.months.map { $0.priced(scenario.prices) },
    endBytesByClass: bytes, endObjectsByClass: objects, currentVersions: sim.bucket.currentVersions,
    noncurrentVersions: sim.bucket.noncurrentVersions, deleteMarkers: sim.bucket.deleteMarkers,
    restorePoints: sim.points, daily: sim.daily, trace: sim.trace, groupsAtEnd: sim.bucket.liveGroups.count, bytesRemoved: sim.bytesRemoved,
    endComposition: sim.composition(), snapshot: sim.snapshot,
    startingState: scenario.startingState.map { StartingStateSummary($0, rules: scenario.bucket.lifecycle.rules) })
}
