import BackupSimModel
import Foundation

/// Everything one simulation run produced: numbers and a trace, no formatting.
public struct RunResult: Sendable {
  public var scenarioName: String
  public var start: SimTime { didSet { derived = DerivedValues() } }
  public var end: SimTime { didSet { derived = DerivedValues() } }
  public var seed: UInt64
  public var prices: PriceTable
  /// The bucket's Region (`Scenario.region`), which the requests of the run named.
  public var region: String
  public var jobNames: [String] { didSet { derived = DerivedValues() } }
  public var months: [MonthCost]
  public var endBytesByClass: [StorageClass: Int64]
  public var endObjectsByClass: [StorageClass: Int]
  public var currentVersions: Int
  public var noncurrentVersions: Int
  public var deleteMarkers: Int
  public var restorePoints: [RestorePoint] { didSet { derived = DerivedValues() } }
  public var daily: [DailySample]
  public var trace: [TraceEntry]
  /// Key groups alive at the end (a measure of how well histories were shared).
  public var groupsAtEnd: Int
  public var bytesRemoved: Int64
  /// Where each restore point's surviving versions are at the end, by point index.
  public var endComposition: PointCompositions
  /// The same at `SimulationOptions.snapshotAt`, when asked for.
  public var snapshot: PointCompositions?
  /// With several buckets (`Scenario.otherBuckets`): each bucket's own run, the source first.
  ///
  /// The fields above are then the total of all buckets, and restore points count a copy in any bucket.
  public var buckets: [BucketRun] = []
  /// The inventory the bucket started from, if any.
  public var startingState: StartingStateSummary? = nil
  /// What the analysis works out from the restore points, the horizon and the jobs, once.
  public private(set) var derived = DerivedValues()

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
  if scenario.hasReplication { return simulateReplicated(scenario, options: options) }
  var sim = Simulation(scenario: scenario, options: options)
  sim.run()
  return RunResult(sim)
}

/// A run paused just before an attack time, to be finished once per attack (and once without):
/// the history before the attack is simulated once, not once per strategy.
///
/// Each finish gives exactly what `simulate` gives with that attack in the options.
public struct SimulationFork: Sendable {
  /// Nil for a scenario with replication: its copies are simulated after the source, so each
  /// finish runs the whole scenario.
  private var paused: Simulation?
  private let scenario: Scenario
  private let options: SimulationOptions

  /// `options.attack` is ignored: each `finish` says which attack to play.
  public init(_ scenario: Scenario, options: SimulationOptions = SimulationOptions(), pausedBefore t: SimTime) {
    var o = options
    o.attack = nil
    self.scenario = scenario
    self.options = o
    guard !scenario.hasReplication else { return }
    var sim = Simulation(scenario: scenario, options: o)
    sim.begin()
    sim.runEvents(before: t)
    paused = sim
  }

  public func finish(attack: AttackAction?) -> RunResult {
    guard var sim = paused else {
      var o = options
      o.attack = attack
      return simulate(scenario, options: o)
    }
    if let attack { sim.playAttack(attack) }
    sim.runEvents(before: nil)
    sim.finish()
    return RunResult(sim)
  }
}

extension RunResult {
  init(_ sim: Simulation) {
    let scenario = sim.scenario
    var bytes: [StorageClass: Int64] = [:]
    var objects: [StorageClass: Int] = [:]
    for c in StorageClass.allCases where sim.bucket.objectsByClass[c.index] != 0 {
      bytes[c] = sim.bucket.bytesByClass[c.index]
      objects[c] = sim.bucket.objectsByClass[c.index]
    }
    self.init(
      scenarioName: scenario.name, start: scenario.start, end: scenario.end, seed: scenario.seed, prices: scenario.prices, region: scenario.region,
      jobNames: scenario.uploads.map(\.name), months: sim.ledger.months.map { $0.priced(scenario.prices) },
      endBytesByClass: bytes, endObjectsByClass: objects, currentVersions: sim.bucket.currentVersions,
      noncurrentVersions: sim.bucket.noncurrentVersions, deleteMarkers: sim.bucket.deleteMarkers,
      restorePoints: sim.points, daily: sim.daily, trace: sim.trace, groupsAtEnd: sim.bucket.liveGroups.count, bytesRemoved: sim.bytesRemoved,
      endComposition: sim.options.reportDetail ? sim.composition() : PointCompositions(), snapshot: sim.snapshot,
      startingState: scenario.startingState.map { StartingStateSummary($0, rules: scenario.bucket.lifecycle.rules) })
  }
}
