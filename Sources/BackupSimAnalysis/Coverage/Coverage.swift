import BackupSimEngine
import BackupSimModel
import Foundation

/// Restore-point counts at one instant.
public struct CoverageSummary: Sendable, Equatable {
  public var restorePointsCreated: Int
  public var restorableAtEnd: Int
  public var oldestRestorableAtEnd: SimTime?
  public var newestRestorableAtEnd: SimTime?
}

/// Coverage at the end of one simulated day (sampled at 00:00 of the next).
public struct DayCoverage: Sendable, Equatable {
  public var date: CivilDate
  public var restorable: Int
  public var restorableByJob: [Int]
  /// Age of the oldest restorable point at the sampling instant, in days.
  public var oldestAgeDays: Double?
  /// The longest stretch between consecutive restorable points (all jobs), in hours.
  public var largestGapHours: Double?
}

/// The verdict on one stated requirement, with what was required and what was measured.
public struct RequirementResult: Sendable, Equatable {
  /// The requirement as stated and the figure the simulation found for it.
  public enum Measure: Sendable, Equatable {
    /// A restorable backup at least every `everySeconds` over the last `forSeconds`.
    case restorePoints(everySeconds: Int64, forSeconds: Int64, longestGapSeconds: Int64)
    /// Restoring any backup (of the last `windowSeconds`, when the restorePoints window is stated)
    /// takes at most `limitHours` with the Standard tier.
    case maxRestoreHours(limitHours: Decimal, windowSeconds: Int64?, slowestHours: Decimal)
    /// At most `limit` in any calendar month; the costliest month and its bill.
    case maxMonthlyCost(limit: Money, costliestMonth: String?, costliestTotal: Money)
    /// A good backup outlives an attack noticed within `detectedWithinSeconds`. `worst` is the strategy
    /// that breaks it, and when (seconds after the attack; nil: at once).
    case survivesAttack(detectedWithinSeconds: Int64, worst: AttackStrategy?, lastGoodLostAfterSeconds: Int64?)
  }

  /// Met, not met, or never checked because the horizon is shorter than the requirement's window.
  public enum Status: Sendable, Equatable {
    case met
    case notMet
    /// No day of the horizon (`horizonSeconds` long) could be checked: the window does not fit in it.
    case notChecked(horizonSeconds: Int64)
  }

  /// A restore-point chain (a job, with the jobs it depends on or that depend on it) that failed.
  public struct JobFailure: Sendable, Equatable {
    /// The chain's job names, in scenario order.
    public var jobs: [String]
    public var firstFailedOn: CivilDate
    /// For restorePoints: the chain's longest gap over the horizon.
    public var longestGapSeconds: Int64?
    public init(jobs: [String], firstFailedOn: CivilDate, longestGapSeconds: Int64? = nil) {
      self.jobs = jobs
      self.firstFailedOn = firstFailedOn
      self.longestGapSeconds = longestGapSeconds
    }
  }

  public var status: Status
  public var firstFailedOn: CivilDate?
  public var measure: Measure
  /// For a requirement checked job by job: each failing one, in scenario order.
  public var failedJobs: [JobFailure]

  /// False when not met and when not checked: only a checked requirement counts as met.
  public var met: Bool { status == .met }

  public init(status: Status, firstFailedOn: CivilDate?, measure: Measure, failedJobs: [JobFailure] = []) {
    self.status = status
    self.firstFailedOn = firstFailedOn
    self.measure = measure
    self.failedJobs = failedJobs
  }

  public init(met: Bool, firstFailedOn: CivilDate?, measure: Measure) {
    self.init(status: met ? .met : .notMet, firstFailedOn: firstFailedOn, measure: measure)
  }

  /// The requirement's key in the scenario file.
  public var name: String {
    switch measure {
    case .restorePoints: return "restorePoints"
    case .maxRestoreHours: return "maxRestoreHours"
    case .maxMonthlyCost: return "maxMonthlyCost"
    case .survivesAttack: return "survivesAttack"
    }
  }
}

/// Why a restore point stopped being restorable.
public indirect enum Loss: Sendable, Equatable {
  /// One of its versions was removed.
  case removed(RemovalReason)
  /// The point it needs to be restored (its `base`) was lost first, for `why`.
  case needs(point: Int, why: Loss?)
}

/// When each restore point stops being restorable: its own `lostAt`, or its base's when that
/// comes first (nil: never, within the horizon).
///
/// Without any point that has a base (no `dependsOn`), it reads the points' own times and holds
/// nothing else: a column per point was a tenth of a run of millions of points, most of it the
/// first touch of its memory. Otherwise it keeps, per point, the base whose loss ended it.
public struct LossTimes: RandomAccessCollection, Sendable {
  private let points: [RestorePoint]
  /// Per point: the loss time in seconds (`Int64.min` for none) and the base whose loss ended it
  /// (-1: its own version's removal, or no base); both empty when no point has a base.
  private let times: [Int64]
  private let viaBase: [Int32]

  init(_ points: [RestorePoint]) {
    self.points = points
    guard points.contains(where: { $0.base != nil }) else {
      times = []
      viaBase = []
      return
    }
    var times = [Int64](repeating: .min, count: points.count)
    var viaBase = [Int32](repeating: -1, count: points.count)
    for i in points.indices {
      let own = points[i].lostAt?.seconds ?? .max
      if let b = points[i].base, times[b] != .min, times[b] < own {
        times[i] = times[b]
        viaBase[i] = Int32(b)
      } else {
        times[i] = own == .max ? .min : own
      }
    }
    self.times = times
    self.viaBase = viaBase
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { points.count }

  public subscript(i: Int) -> SimTime? {
    guard !times.isEmpty else { return points[i].lostAt }
    return times[i] == .min ? nil : SimTime(seconds: times[i])
  }

  /// The base whose loss ended point `i`, or -1.
  func base(_ i: Int) -> Int { viaBase.isEmpty ? -1 : Int(viaBase[i]) }
}

/// Restore points as the coverage rules see them: a point stops being restorable when its first
/// version goes, or when the point it depends on does.
public struct RestoreTimeline: Sendable {
  public let points: [RestorePoint]
  /// When each point stops being restorable (nil: never, within the horizon).
  public let lostAt: LossTimes

  public init(points: [RestorePoint]) {
    self.points = points
    lostAt = LossTimes(points)
  }

  /// Why point `i` stops being restorable (nil: it does not, within the horizon).
  public func lostBy(_ i: Int) -> Loss? {
    let b = lostAt.base(i)
    return b >= 0 ? .needs(point: b, why: lostBy(b)) : points[i].lostBy.map(Loss.removed)
  }

  /// Restorable at `t` (a version removed at exactly `t` still counts).
  public func isRestorable(_ i: Int, at t: SimTime) -> Bool {
    points[i].writtenAt < t && (lostAt[i].map { $0 >= t } ?? true)
  }

  /// Every job's summary at `end`, in one pass over the points.
  ///
  /// - Complexity: O(points + jobs), so reports of thousands of jobs stay linear.
  public func summaries(at end: SimTime, jobs: Int) -> [CoverageSummary] {
    var out = [CoverageSummary](
      repeating: CoverageSummary(restorePointsCreated: 0, restorableAtEnd: 0, oldestRestorableAtEnd: nil, newestRestorableAtEnd: nil),
      count: jobs)
    // By index, not by element: a copy of each point retained its fields.
    for i in points.indices {
      let job = points[i].job, writtenAt = points[i].writtenAt
      out[job].restorePointsCreated += 1
      guard lostAt[i].map({ $0 >= end }) ?? true else { continue }
      out[job].restorableAtEnd += 1
      if out[job].oldestRestorableAtEnd.map({ writtenAt < $0 }) ?? true { out[job].oldestRestorableAtEnd = writtenAt }
      if out[job].newestRestorableAtEnd.map({ writtenAt > $0 }) ?? true { out[job].newestRestorableAtEnd = writtenAt }
    }
    return out
  }

  public func summary(at end: SimTime, job: Int? = nil) -> CoverageSummary {
    var created = 0, restorable = 0
    var oldest: SimTime?, newest: SimTime?
    for i in points.indices where job == nil || points[i].job == job {
      let writtenAt = points[i].writtenAt
      created += 1
      guard lostAt[i] == nil || (lostAt[i].map { $0 >= end } ?? false) else { continue }
      restorable += 1
      if oldest.map({ writtenAt < $0 }) ?? true { oldest = writtenAt }
      if newest.map({ writtenAt > $0 }) ?? true { newest = writtenAt }
    }
    return CoverageSummary(restorePointsCreated: created, restorableAtEnd: restorable, oldestRestorableAtEnd: oldest, newestRestorableAtEnd: newest)
  }

  /// Coverage at the end of every day from `start` until `end`.
  ///
  /// - Complexity: O(days × points whose lifetimes overlap the day); points arrive in time order,
  ///   and a moving lower bound skips those lost before the day.
  public func daily(start: SimTime, end: SimTime, jobs: Int) -> [DayCoverage] {
    var out: [DayCoverage] = []
    var low = 0
    var t = start.nextMidnight
    while t <= end {
      while low < points.count, let l = lostAt[low], l < t { low += 1 }
      var byJob = [Int](repeating: 0, count: jobs)
      var count = 0
      var oldest: SimTime?
      var previous: SimTime?
      var gap: Int64 = 0
      var i = low
      while i < points.count && points[i].writtenAt < t {
        if lostAt[i].map({ $0 >= t }) ?? true {
          count += 1
          byJob[points[i].job] += 1
          if oldest == nil { oldest = points[i].writtenAt }
          if let p = previous { gap = max(gap, points[i].writtenAt - p) }
          previous = points[i].writtenAt
        }
        i += 1
      }
      out.append(
        DayCoverage(
          date: (t - 1).date, restorable: count, restorableByJob: byJob,
          oldestAgeDays: oldest.map { Double(t - $0) / 86_400 }, largestGapHours: count > 1 ? Double(gap) / 3600 : nil))
      t = t + SimTime.secondsPerDay
    }
    return out
  }

  /// Write times of the points restorable at `t` and written in [t − window, t], in order.
  func restorableWrites(at t: SimTime, window: Int64) -> [Int] {
    var out: [Int] = []
    // Points are in write order: find the first written at or after t − window.
    var lo = 0, hi = points.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if points[mid].writtenAt < t - window { lo = mid + 1 } else { hi = mid }
    }
    var i = lo
    while i < points.count && points[i].writtenAt < t {
      if isRestorable(i, at: t) { out.append(i) }
      i += 1
    }
    return out
  }
}

extension RunResult {
  /// Built once per result (`RunResult.derived`): requirements, every report and chart read it.
  public var timeline: RestoreTimeline { derived.value("timeline") { RestoreTimeline(points: restorePoints) } }

  public var coverage: CoverageSummary { derived.value("coverage") { timeline.summary(at: end) } }

  public func coverage(job: Int) -> CoverageSummary { timeline.summary(at: end, job: job) }

  /// Every job's coverage at the end, indexed like `jobNames` (one pass: use this for all jobs).
  public var coverageByJob: [CoverageSummary] { derived.value("coverageByJob") { timeline.summaries(at: end, jobs: jobNames.count) } }

  /// Coverage at the end of every simulated day (worked out once per result).
  public var coverageDaily: [DayCoverage] { derived.value("coverageDaily") { timeline.daily(start: start, end: end, jobs: jobNames.count) } }

  /// The last calendar month that lies wholly inside the horizon: the steady-state bill.
  public var lastFullMonth: MonthCost? {
    months.last { $0.start >= start && $0.start.startOfNextMonth <= end }
  }

  /// Hours a Standard-tier restore of point `i` needs at `t`: its coldest class's, or its base's if slower.
  func restoreHours(_ i: Int, at t: SimTime) -> Decimal {
    var hours: Decimal = 0
    var cur: Int? = i
    while let c = cur {
      if let cls = restorePoints[c].coldestClass(at: t) { hours = max(hours, Self.standardHours(cls, prices: prices)) }
      cur = restorePoints[c].base
    }
    return hours
  }

  static func standardHours(_ c: StorageClass, prices: PriceTable) -> Decimal {
    guard c.isArchive else { return 0 }
    return prices[c].retrieval[.standard]?.hours ?? 0
  }

  /// Each job's restore-point chain, named by its lowest job index: an incremental is restored with its
  /// full (a point's `base`), so the two jobs share one history of restore points.
  var chainRoots: [Int] {
    var root = Array(jobNames.indices)
    func find(_ j: Int) -> Int { root[j] == j ? j : find(root[j]) }
    for p in restorePoints {
      guard let b = p.base else { continue }
      let x = find(p.job), y = find(restorePoints[b].job)
      if x != y { root[max(x, y)] = min(x, y) }
    }
    return jobNames.indices.map(find)
  }

  /// Checks every stated requirement, day by day.
  ///
  /// `restorePoints` and `maxRestoreHours` hold for each
  /// covered job's chain on its own: another job's backups do not fill its gaps.
  public func checkRequirements(_ r: Requirements) -> [RequirementResult] {
    var out: [RequirementResult] = []
    let tl = timeline
    let horizon = end - start
    let roots = chainRoots
    let covered: [Bool] = {
      guard let names = r.restorePoints?.jobs else { return [Bool](repeating: true, count: jobNames.count) }
      let chosen = Set(names.compactMap { jobNames.firstIndex(of: $0) }.map { roots[$0] })
      return jobNames.indices.map { chosen.contains(roots[$0]) }
    }()
    let chains = Array(Set(jobNames.indices.filter { covered[$0] }.map { roots[$0] })).sorted()
    func chainNames(_ root: Int) -> [String] { jobNames.indices.filter { roots[$0] == root }.map { jobNames[$0] } }
    if let rp = r.restorePoints {
      var failedOn: [Int: CivilDate] = [:]
      var worstByChain: [Int: Int64] = [:]
      var checkedDays = 0
      var t = max(start + rp.forSeconds, start.nextMidnight).midnightAtOrAfter
      while t <= end {
        checkedDays += 1
        // One pass over the window's points, each gap measured within its own chain.
        var edge: [Int: SimTime] = [:]
        var gap: [Int: Int64] = [:]
        for i in tl.restorableWrites(at: t, window: rp.forSeconds) {
          let c = roots[restorePoints[i].job]
          guard covered[c] else { continue }
          let w = restorePoints[i].writtenAt
          gap[c] = max(gap[c] ?? 0, w - (edge[c] ?? t - rp.forSeconds))
          edge[c] = w
        }
        for c in chains {
          let g = max(gap[c] ?? 0, t - (edge[c] ?? t - rp.forSeconds))
          worstByChain[c] = max(worstByChain[c] ?? 0, g)
          if g > rp.everySeconds && failedOn[c] == nil { failedOn[c] = (t - 1).date }
        }
        t = t + SimTime.secondsPerDay
      }
      let failures = chains.compactMap { c in
        failedOn[c].map { RequirementResult.JobFailure(jobs: chainNames(c), firstFailedOn: $0, longestGapSeconds: worstByChain[c]) }
      }
      let status: RequirementResult.Status = checkedDays == 0 ? .notChecked(horizonSeconds: horizon) : failures.isEmpty ? .met : .notMet
      out.append(
        RequirementResult(
          status: status, firstFailedOn: failures.map(\.firstFailedOn).min(),
          measure: .restorePoints(
            everySeconds: rp.everySeconds, forSeconds: rp.forSeconds, longestGapSeconds: worstByChain.values.max() ?? 0),
          failedJobs: failures))
    }
    if let maxHours = r.maxRestoreHours {
      // Covers the jobs the restorePoints window covers (every job without one).
      let window = r.restorePoints?.forSeconds
      var failedOn: [Int: CivilDate] = [:]
      var worstByChain: [Int: Decimal] = [:]
      var checkedDays = 0
      var t = max(start + (window ?? 0), start.nextMidnight).midnightAtOrAfter
      while t <= end {
        checkedDays += 1
        let candidates = window.map { tl.restorableWrites(at: t, window: $0) } ?? tl.restorableWrites(at: t, window: t - start)
        for i in candidates {
          let c = roots[restorePoints[i].job]
          guard covered[c] else { continue }
          let h = restoreHours(i, at: t)
          worstByChain[c] = max(worstByChain[c] ?? 0, h)
          if h > maxHours && failedOn[c] == nil { failedOn[c] = (t - 1).date }
        }
        t = t + SimTime.secondsPerDay
      }
      let failures = chains.compactMap { c in
        failedOn[c].map { RequirementResult.JobFailure(jobs: chainNames(c), firstFailedOn: $0) }
      }
      let status: RequirementResult.Status = checkedDays == 0 ? .notChecked(horizonSeconds: horizon) : failures.isEmpty ? .met : .notMet
      out.append(
        RequirementResult(
          status: status, firstFailedOn: failures.map(\.firstFailedOn).min(),
          measure: .maxRestoreHours(limitHours: maxHours, windowSeconds: window, slowestHours: worstByChain.values.max() ?? 0),
          failedJobs: failures))
    }
    if let max = r.maxMonthlyCost {
      // Month-to-date cost at the end of each day, compared with the cap.
      var failed: CivilDate?
      var monthStartCost = Money.zero
      var month = ""
      var previous = Money.zero
      for d in daily {
        if d.date.yearMonth != month {
          month = d.date.yearMonth
          monthStartCost = previous
        }
        if d.costToDate - monthStartCost > max {
          failed = d.date
          break
        }
        previous = d.costToDate
      }
      let worst = months.max { $0.total < $1.total }
      out.append(
        RequirementResult(
          met: failed == nil, firstFailedOn: failed,
          measure: .maxMonthlyCost(limit: max, costliestMonth: worst?.month, costliestTotal: worst?.total ?? .zero)))
    }
    return out
  }
}
