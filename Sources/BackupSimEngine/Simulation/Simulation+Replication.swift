import BackupSimModel
import Foundation

/// One version (or delete marker) written to the source bucket, as S3 Replication sees it (docs/s3-rules.md §10).
struct ReplicatedWrite: Sendable {
  var time: SimTime
  /// The key pattern (`{i}` over `0..<count`).
  var pattern: String
  var count: Int
  var sizes: SizeColumn
  var storageClass: StorageClass
  var tags: [ObjectTag]
  /// The restore point it belongs to (-1: the attacker's).
  var origin: Int32
  /// A DeleteObject without a version ID: a delete marker on every key of the pattern.
  var isDeleteMarker = false

  init(time: SimTime, pattern: String, count: Int, sizes: SizeColumn, storageClass: StorageClass, tags: [ObjectTag], origin: Int32) {
    self.time = time
    self.pattern = pattern
    self.count = count
    self.sizes = sizes
    self.storageClass = storageClass
    self.tags = tags
    self.origin = origin
  }

  static func marker(at t: SimTime, pattern: String, group: KeyGroup) -> ReplicatedWrite {
    var w = ReplicatedWrite(time: t, pattern: pattern, count: group.count, sizes: .uniform(0), storageClass: .standard, tags: [], origin: -1)
    w.isDeleteMarker = true
    return w
  }

  /// The key the filter is matched against: the pattern with `{i}` = 0 (as the attack checks keys).
  var sampleKey: String { pattern.replacingOccurrences(of: "{i}", with: "0") }

  var bytes: Int64 {
    switch sizes {
    case .uniform(let s): return s * Int64(count)
    case .perKey(let a): return a.reduce(0, +)
    }
  }
}

/// One bucket's own run in a scenario with several buckets.
public struct BucketRun: Sendable {
  public var name: String
  public var region: String
  public var account: String?
  /// True for the bucket the jobs write to.
  public var isSource: Bool
  /// Its bill; the source's carries the replication transfer and Replication Time Control charges.
  public var months: [MonthCost]
  public var endBytesByClass: [StorageClass: Int64]
  public var endObjectsByClass: [StorageClass: Int]
  public var currentVersions: Int
  public var noncurrentVersions: Int
  public var deleteMarkers: Int
  /// The restore points as this bucket alone holds them (a point never replicated here is lost when written).
  public var restorePoints: [RestorePoint]
  public var endComposition: PointCompositions
  /// For a destination: versions and bytes replicated into it, and whether they crossed regions.
  public var replicatedVersions: Int
  public var replicatedBytes: Int64
  public var crossRegion: Bool

  public var totalCost: Money { months.reduce(.zero) { $0 + $1.total } }

  /// Whether every version of point `i` is still in this bucket at `t`.
  public func holds(_ i: Int, at t: SimTime) -> Bool {
    let p = restorePoints[i]
    return p.writtenAt < t && (p.lostAt.map { $0 >= t } ?? true)
  }
}

extension Simulation {
  /// A replica arrives: stored in the rule's class (already set in `w`) with the source's time, and
  /// counted as one more copy of its restore point (docs/s3-rules.md §10.1).
  mutating func receive(_ w: ReplicatedWrite) {
    let pid = bucket.intern(w.pattern)
    if w.isDeleteMarker {
      for gid in bucket.groupIDs(pattern: pid) where bucket.exists(gid) { deleteObject(gid) }
      return
    }
    ledger.countPuts(w.storageClass, putRequests(w.sizes, count: w.count))
    if w.origin >= 0 {
      let o = Int(w.origin)
      // Placeholders are lost at their write time; the first replica makes the point whole here.
      if points[o].alive == 0 && points[o].lostBy == nil && points[o].lostAt == points[o].writtenAt {
        points[o].lostAt = nil
        points[o].coldest = [(w.storageClass, now)]
      }
      points[o].alive += w.count
    }
    write(
      pattern: w.pattern, count: w.count, sizes: w.sizes, storageClass: w.storageClass, tagSet: TagSets.number(w.tags), origin: w.origin,
      writer: .replica)
  }

  /// The run's figures for one bucket.
  func bucketRun(config: BucketConfig, region: String, isSource: Bool, months: [MonthCost]) -> BucketRun {
    var bytes: [StorageClass: Int64] = [:]
    var objects: [StorageClass: Int] = [:]
    for c in StorageClass.allCases where bucket.objectsByClass[c.index] != 0 {
      bytes[c] = bucket.bytesByClass[c.index]
      objects[c] = bucket.objectsByClass[c.index]
    }
    return BucketRun(
      name: config.name, region: region, account: config.account, isSource: isSource, months: months, endBytesByClass: bytes,
      endObjectsByClass: objects, currentVersions: bucket.currentVersions, noncurrentVersions: bucket.noncurrentVersions,
      deleteMarkers: bucket.deleteMarkers, restorePoints: points, endComposition: composition(), replicatedVersions: 0, replicatedBytes: 0,
      crossRegion: false)
  }
}

/// Runs a scenario with replication: the source bucket first, recording every write S3 would
/// replicate, then each destination on its own, fed those writes at their times (docs/s3-rules.md §10).
///
/// Replication is one-way and replicas are not replicated again, so each destination is a one-bucket
/// run of its own versioning, lifecycle and Object Lock. The result's totals add up the buckets, and a
/// restore point stays restorable while a whole copy of it survives in any bucket.
func simulateReplicated(_ scenario: Scenario, options: SimulationOptions) -> RunResult {
  var source = Simulation(scenario: scenario, options: options)
  source.feed = []
  source.run()
  let feed = source.feed ?? []
  let prices = scenario.prices
  let sourceRegion = scenario.bucket.region ?? prices.region
  let gib = Decimal(Int64(1) << 30)
  var sourceMonths = source.ledger.months.map { $0.priced(prices) }
  var runs: [BucketRun] = []
  var destinations: [Simulation] = []
  // Replication charges by month index, and the writes behind them (for the daily cost to date).
  var charged: [(time: SimTime, amount: Money)] = []
  let config = scenario.bucket.replication ?? ReplicationConfiguration(role: "", rules: [])
  for destination in scenario.otherBuckets where config.destinations.contains(destination.name) {
    let region = destination.region ?? prices.region
    var d = scenario
    d.bucket = destination
    // Replicas keep the source version's retention; with none there, the destination's default applies.
    if let lock = scenario.bucket.objectLock { d.bucket.objectLock = lock }
    d.uploads = []
    d.attack = nil
    d.otherBuckets = []
    d.pricesByBucket = [:]
    // Storage and requests at the copy's own region's prices; transfer is billed at the source's.
    d.prices = scenario.pricesByBucket[destination.name] ?? prices
    d.requirements = Requirements()
    var o = SimulationOptions(perObject: options.perObject, snapshotAt: options.snapshotAt, dayByDay: options.dayByDay)
    o.checkInvariants = options.checkInvariants
    var sim = Simulation(scenario: d, options: o)
    sim.points = source.points.map { p in
      var copy = p
      copy.alive = 0
      copy.coldest = []
      if p.lostBy.map({ if case .missingBase = $0 { return false } else { return true } }) ?? true {
        copy.lostAt = p.writtenAt
        copy.lostBy = nil
      }
      return copy
    }
    var seenMarkers: Set<String> = []
    var versions = 0
    var bytes: Int64 = 0
    for w in feed {
      guard let rule = config.rule(to: destination.name, key: w.sampleKey, tags: w.tags) else { continue }
      var arriving = w
      if w.isDeleteMarker {
        // Markers from lifecycle never reach the feed; a DeleteObject's only with the rule's consent.
        guard rule.deleteMarkerReplication, seenMarkers.insert("\(w.time.seconds) \(w.pattern)").inserted else { continue }
      } else {
        arriving.storageClass = rule.storageClass ?? w.storageClass
        versions += w.count
        bytes += w.bytes
        let gb = Decimal(w.bytes) / gib
        var amount = Money.zero
        if region != sourceRegion { amount += Money(gb * prices.interRegionTransferPerGB) }
        if rule.replicationTime { amount += Money(gb * prices.replicationTimeControlPerGB) }
        if let k = sourceMonths.firstIndex(where: { $0.start == w.time.startOfMonth }) {
          if region != sourceRegion { sourceMonths[k].dataTransfer += Money(gb * prices.interRegionTransferPerGB) }
          if rule.replicationTime { sourceMonths[k].replicationTimeControl += Money(gb * prices.replicationTimeControlPerGB) }
        }
        if amount != .zero { charged.append((w.time, amount)) }
      }
      sim.incoming.append(arriving)
      sim.queue.schedule(.replica(sim.incoming.count - 1), at: w.time, priority: .normal)
    }
    sim.run()
    var run = sim.bucketRun(config: destination, region: region, isSource: false, months: sim.ledger.months.map { $0.priced(d.prices) })
    run.replicatedVersions = versions
    run.replicatedBytes = bytes
    run.crossRegion = region != sourceRegion
    runs.append(run)
    destinations.append(sim)
  }
  runs.insert(source.bucketRun(config: scenario.bucket, region: sourceRegion, isSource: true, months: sourceMonths), at: 0)
  return mergedResult(scenario, source: source, destinations: destinations, runs: runs, charged: charged)
}

/// The scenario's totals over its buckets, with restore points that count a copy in any of them.
private func mergedResult(
  _ scenario: Scenario, source: Simulation, destinations: [Simulation], runs: [BucketRun], charged: [(time: SimTime, amount: Money)]
) -> RunResult {
  var months = runs[0].months
  for r in runs.dropFirst() {
    for (k, m) in r.months.enumerated() where k < months.count {
      months[k].storage += m.storage
      months[k].requests += m.requests
      months[k].transitions += m.transitions
      months[k].earlyDeletion += m.earlyDeletion
      months[k].retrieval += m.retrieval
      months[k].dataTransfer += m.dataTransfer
      months[k].replicationTimeControl += m.replicationTimeControl
      for (c, g) in m.gbMonths { months[k].gbMonths[c, default: 0] += g }
      for (c, s) in m.storageByClass { months[k].storageByClass[c, default: .zero] += s }
      for (t, g) in m.accessTierGBMonths { months[k].accessTierGBMonths[t, default: 0] += g }
      for (t, s) in m.accessTierStorage { months[k].accessTierStorage[t, default: .zero] += s }
      months[k].monitoredObjectMonths += m.monitoredObjectMonths
      months[k].monitoring += m.monitoring
    }
  }
  var bytes: [StorageClass: Int64] = [:]
  var objects: [StorageClass: Int] = [:]
  for r in runs {
    for (c, b) in r.endBytesByClass { bytes[c, default: 0] += b }
    for (c, n) in r.endObjectsByClass { objects[c, default: 0] += n }
  }
  // Daily: the buckets' samples added, plus the replication charges incurred by the end of each day.
  var daily = source.daily
  var next = 0
  var chargedToDate = Money.zero
  let sortedCharges = charged.sorted { $0.time < $1.time }
  for (i, day) in daily.enumerated() {
    let end = SimTime(year: day.date.year, month: day.date.month, day: day.date.day) + SimTime.secondsPerDay
    while next < sortedCharges.count && sortedCharges[next].time < end {
      chargedToDate += sortedCharges[next].amount
      next += 1
    }
    daily[i].costToDate += chargedToDate
    for d in destinations where i < d.daily.count {
      let s = d.daily[i]
      for c in daily[i].bytesByClass.indices {
        daily[i].bytesByClass[c] += s.bytesByClass[c]
        daily[i].objectsByClass[c] += s.objectsByClass[c]
      }
      daily[i].currentVersions += s.currentVersions
      daily[i].noncurrentVersions += s.noncurrentVersions
      daily[i].deleteMarkers += s.deleteMarkers
      daily[i].costToDate += s.costToDate
      if !s.accessTierBytes.isEmpty {
        if daily[i].accessTierBytes.isEmpty { daily[i].accessTierBytes = Array(repeating: 0, count: s.accessTierBytes.count) }
        for t in s.accessTierBytes.indices { daily[i].accessTierBytes[t] += s.accessTierBytes[t] }
      }
    }
  }
  let copies = runs.map(\.restorePoints)
  let points = source.points.indices.map { i in mergedPoint(copies.map { $0[i] }) }
  func compositions(_ all: [PointCompositions]) -> PointCompositions {
    // Where a whole copy of each point is: the source's while it has one, else the first bucket's that does.
    var out = PointCompositions()
    for i in source.points.indices {
      guard let first = all.first else { break }
      let whole = all.first { $0.objects(of: i) >= source.points[i].versions } ?? first
      out.append(pointOf: whole, i)
    }
    return out
  }
  let snapshots = ([source.snapshot] + destinations.map(\.snapshot)).compactMap { $0 }
  return RunResult(
    scenarioName: scenario.name, start: scenario.start, end: scenario.end, seed: scenario.seed, prices: scenario.prices,
    region: scenario.region, jobNames: scenario.uploads.map(\.name), months: months, endBytesByClass: bytes, endObjectsByClass: objects,
    currentVersions: runs.reduce(0) { $0 + $1.currentVersions }, noncurrentVersions: runs.reduce(0) { $0 + $1.noncurrentVersions },
    deleteMarkers: runs.reduce(0) { $0 + $1.deleteMarkers }, restorePoints: points, daily: daily, trace: source.trace,
    groupsAtEnd: source.bucket.liveGroups.count + destinations.reduce(0) { $0 + $1.bucket.liveGroups.count },
    bytesRemoved: source.bytesRemoved + destinations.reduce(0) { $0 + $1.bytesRemoved },
    endComposition: compositions(runs.map(\.endComposition)), snapshot: snapshots.isEmpty ? nil : compositions(snapshots), buckets: runs)
}

/// One restore point over its copies (the source's first): restorable while any copy is whole, lost
/// when the last one goes; its class is the source's while that copy lasts, then the survivor's.
func mergedPoint(_ copies: [RestorePoint]) -> RestorePoint {
  var p = copies[0]
  guard copies.count > 1 else { return p }
  // The copy that lasts longest (nil lostAt: to the end).
  let survivor = copies.max { a, b in
    guard let la = a.lostAt else { return false }
    guard let lb = b.lostAt else { return true }
    return la < lb
  }
  guard let s = survivor, let sourceLost = copies[0].lostAt, s.lostAt.map({ $0 > sourceLost }) ?? true else { return p }
  p.lostAt = s.lostAt
  p.lostBy = s.lostBy
  p.alive = copies.map(\.alive).max() ?? p.alive
  var coldest = copies[0].coldest.filter { $0.since < sourceLost }
  if let c = s.coldestClass(at: sourceLost) { coldest.append((c, sourceLost)) }
  coldest += s.coldest.filter { $0.since > sourceLost }
  p.coldest = coldest
  return p
}

extension RunResult {
  /// Bucket `i` on its own, as a one-bucket result: its bill, its end state and the restore points
  /// only it holds (reports reuse the one-bucket summaries and restore estimates on it).
  public func bucketView(_ i: Int) -> RunResult {
    let b = buckets[i]
    var v = self
    v.months = b.months
    v.endBytesByClass = b.endBytesByClass
    v.endObjectsByClass = b.endObjectsByClass
    v.currentVersions = b.currentVersions
    v.noncurrentVersions = b.noncurrentVersions
    v.deleteMarkers = b.deleteMarkers
    v.restorePoints = b.restorePoints
    v.endComposition = b.endComposition
    v.snapshot = nil
    v.daily = []
    v.trace = b.isSource ? trace : []
    v.buckets = []
    return v
  }
}
