import BackupSimEngine
import BackupSimModel
import Foundation

/// What one simulated candidate showed.
public struct RecommendRun: Sendable {
  public var candidate: RecommendCandidate
  /// The last full calendar month's bill: what the configuration costs once it has settled.
  public var steadyMonthlyCost: Money
  public var totalCost: Money
  /// Days from the oldest restorable point to the end of the horizon (nil: none is left).
  public var historyDays: Decimal?
  /// The requirements the run without the attack decides (all but survivesAttack).
  public var requirements: [RequirementResult]
  /// Whether some job's own writes were denied (the candidate's policy refused them).
  public var deniedJobs: Bool
  /// How many more versions the bucket held at the end than 30 days before: above zero, what it
  /// keeps still accumulates, so its steady monthly cost has not settled within the horizon.
  public var versionsAddedInLast30Days: Int = 0
  /// Every requirement, with the attack played: set once the candidate got that far.
  public var full: Evaluation?

  public var allRequirements: [RequirementResult] { full?.requirements ?? requirements }

  /// Days a good backup outlives the attack under the worst strategy (nil: not played, or no attack).
  public var survivalDays: Decimal? {
    guard let e = full, let a = e.attack else { return nil }
    guard a.hasGoodBackups else { return 0 }
    guard let w = a.worst, let lost = w.lastGoodLostAt else { return Decimal(e.result.end - a.at) / Decimal(SimTime.secondsPerDay) }
    return Decimal(lost - a.at) / Decimal(SimTime.secondsPerDay)
  }
}

/// The outcome of `recommend`: the cheapest candidates meeting every requirement, and what was learned on the way.
public struct RecommendOutcome: Sendable {
  public var space: RecommendSpace
  /// The scenario as stated, evaluated the same way.
  public var current: Evaluation
  /// The recommendation first, then the alternatives, cheapest first; empty when nothing meets every requirement.
  public var found: [RecommendRun]
  /// Every candidate simulated, in the order of the space.
  public var runs: [RecommendRun]
  /// Candidates simulated without the attack, and with it.
  public var simulated: Int
  public var simulatedWithAttack: Int
  public var total: Int
  /// The search stopped at its run budget before it could prove the answer.
  public var truncated: Bool
  /// When nothing meets: the simulated candidate that fails fewest requirements, by the least shortfall, then cheapest.
  public var closest: RecommendRun?

  public var recommendation: RecommendRun? { found.first }
}

/// Finds the cheapest candidate of a `RecommendSpace` that meets every requirement, simulating few of them.
///
/// Best-first search in order of (steady monthly cost, candidate order). It rests on three facts about a
/// step up any axis of the space (longer retention, a longer lock, one more Deny), everything else equal:
///
/// 1. no version is removed sooner, so a restore point restorable before stays restorable:
///    `restorePoints` never goes from met to failing (docs/s3-rules.md §2, §4);
/// 2. the attacker can remove nothing sooner: `survivesAttack` never goes from met to failing;
/// 3. every day holds the same versions or more, in the same classes: the steady monthly cost does not
///    fall, and `maxMonthlyCost` never goes from failing to met. (An early removal is charged the rest of
///    its class's minimum duration, which is what keeping it would cost; with sizes that change from run to
///    run the two can differ by the size difference of the versions concerned.)
///
/// Fact 3 lets a candidate be queued at its parent's cost before it is simulated, and makes the first
/// candidate that meets everything the cheapest. Facts 1 and 2 skip simulations: below a candidate that
/// failed `restorePoints` (which transitions, the lock mode and the policy do not change) or
/// `survivesAttack`, nothing can meet it. Candidates above one already found are no alternative (they cost
/// no less and keep no less) and are not simulated. `maxRestoreHours` follows no such order and is
/// simply checked.
public enum RecommendSearch {
  public static func run(
    _ scenario: Scenario, space: RecommendSpace, threads: Int = ProcessInfo.processInfo.activeProcessorCount, maxRuns: Int = 20_000,
    progress: (@Sendable (Int) -> Void)? = nil
  ) -> RecommendOutcome {
    let current = evaluate(scenario, findMitigation: false)
    var state = State(scenario: scenario, space: space)
    // A requirement the horizon is too short to check is not checked whatever the configuration.
    let horizonBound = current.requirements.contains { if case .notChecked = $0.status { return true } else { return false } }
    if !horizonBound { state.search(threads: max(1, threads), maxRuns: maxRuns, progress: progress) }
    let runs = state.runs.values.sorted { $0.candidate < $1.candidate }
    let closest =
      state.found.isEmpty
      ? runs.min { a, b in (a.failures, a.shortfall, a.steadyMonthlyCost, a.candidate) < (b.failures, b.shortfall, b.steadyMonthlyCost, b.candidate) }
      : nil
    return RecommendOutcome(
      space: space, current: current, found: state.found, runs: runs, simulated: state.runs.count,
      simulatedWithAttack: state.runs.values.filter { $0.full != nil }.count, total: space.count, truncated: state.truncated,
      closest: closest)
  }

  /// Every candidate simulated in full and the cheapest meeting all requirements with `alternatives` more, by brute force.
  public static func exhaustive(_ scenario: Scenario, space: RecommendSpace, threads: Int = ProcessInfo.processInfo.activeProcessorCount)
    -> [RecommendRun]
  {
    let all = space.allCandidates()
    let runs = parallelMap(all, threads: threads) { c in fullRun(c, scenario: scenario, space: space) }
    var found: [RecommendRun] = []
    for r in runs.sorted(by: { ($0.steadyMonthlyCost, $0.candidate) < ($1.steadyMonthlyCost, $1.candidate) }) where r.failures == 0 {
      if found.contains(where: { dominates($0.candidate, r.candidate) || sameBill($0, r) }) { continue }
      found.append(r)
      if found.count > space.alternatives { break }
    }
    return found
  }

  /// Two runs billed exactly alike month by month in total: the same configuration in effect.
  static func sameBill(_ a: RecommendRun, _ b: RecommendRun) -> Bool {
    a.steadyMonthlyCost == b.steadyMonthlyCost && a.totalCost == b.totalCost
  }

  /// Whether `b` lies on or above `a` along every axis of the same family.
  static func dominates(_ a: RecommendCandidate, _ b: RecommendCandidate) -> Bool {
    a.family == b.family && zip(a.index, b.index).allSatisfy { $0 <= $1 }
  }

  static func baselineRun(_ c: RecommendCandidate, scenario: Scenario, space: RecommendSpace) -> RecommendRun {
    let v = space.apply(c, to: scenario)
    let denied = v.deniedJobs()
    let s = v.withoutDeniedJobs(denied)
    let r = simulate(s)
    var run = RecommendRun(
      candidate: c, steadyMonthlyCost: r.steadyMonthlyCost, totalCost: r.totalCost, historyDays: r.historyDays,
      requirements: r.checkRequirements(s.requirements), deniedJobs: !denied.isEmpty, full: nil)
    run.versionsAddedInLast30Days = r.versionsAddedInLast30Days
    return run
  }

  static func fullRun(_ c: RecommendCandidate, scenario: Scenario, space: RecommendSpace) -> RecommendRun {
    let v = space.apply(c, to: scenario)
    let e = evaluate(v, findMitigation: false)
    var run = RecommendRun(
      candidate: c, steadyMonthlyCost: e.result.steadyMonthlyCost, totalCost: e.result.totalCost, historyDays: e.result.historyDays,
      requirements: e.requirements.filter { $0.name != "survivesAttack" }, deniedJobs: !e.deniedJobs.isEmpty, full: e)
    run.versionsAddedInLast30Days = e.result.versionsAddedInLast30Days
    return run
  }

  /// Retention along the four axes that decide when versions go, as numbers (absent = unlimited).
  struct Retention {
    var values: [Int]
    func below(_ o: Retention) -> Bool { zip(values, o.values).allSatisfy { $0 <= $1 } }
  }

  struct Entry: Comparable {
    var bound: Money
    var candidate: RecommendCandidate
    /// 0: only a lower bound is known; 1: the run without the attack is done; 2: the attack too.
    var stage: Int
    static func < (a: Entry, b: Entry) -> Bool { (a.bound, a.candidate) < (b.bound, b.candidate) }
    static func == (a: Entry, b: Entry) -> Bool { a.bound == b.bound && a.candidate == b.candidate }
  }

  struct State {
    let scenario: Scenario
    let space: RecommendSpace
    let needsAttack: Bool
    var heap = BinaryHeap<Entry>()
    var queued: Set<RecommendCandidate> = []
    var runs: [RecommendCandidate: RecommendRun] = [:]
    /// Baselines shared by candidates that differ only in bucket policy (which the run without the attack never sees).
    var baselines: [RecommendCandidate: RecommendRun] = [:]
    var found: [RecommendRun] = []
    var truncated = false
    /// Retentions known to fail restorePoints, per (versioning, upload class).
    var restoreFailures: [String: [Retention]] = [:]
    /// Candidates known to fail survivesAttack (down-closed) and maxMonthlyCost (up-closed), per family.
    var attackFailures: [Int: [[Int]]] = [:]
    var costFailures: [Int: [[Int]]] = [:]

    init(scenario: Scenario, space: RecommendSpace) {
      self.scenario = scenario
      self.space = space
      needsAttack = scenario.requirements.survivesAttackDetectedWithinSeconds != nil && scenario.attack != nil
    }

    func group(_ c: RecommendCandidate) -> String {
      let f = space.families[c.family]
      return "\(f.versioning.rawValue)/\(f.uploadClass.rawValue)"
    }

    func retention(_ c: RecommendCandidate) -> Retention {
      let s = space.settings(c)
      let unlimited = Int.max
      let n = s.noncurrentDays ?? unlimited
      // Without noncurrent expiration the count limit means nothing: as good as unlimited.
      let k = s.noncurrentDays == nil ? unlimited : (s.newerNoncurrentVersions ?? unlimited)
      return Retention(values: [s.expirationDays ?? unlimited, n, k, s.lockDays])
    }

    func policyFree(_ c: RecommendCandidate) -> RecommendCandidate {
      var k = c
      k.index[RecommendSpace.Axis.denyDestructive.rawValue] = 0
      k.index[RecommendSpace.Axis.conditionalWrites.rawValue] = 0
      return k
    }

    enum Known { case unknown, fails, pointless }

    /// What is already known about `c` without simulating it.
    func known(_ c: RecommendCandidate) -> Known {
      if found.contains(where: { dominates($0.candidate, c) }) { return .pointless }
      if costFailures[c.family]?.contains(where: { dominates(RecommendCandidate(family: c.family, index: $0), c) }) ?? false { return .pointless }
      let r = retention(c)
      if restoreFailures[group(c)]?.contains(where: { r.below($0) }) ?? false { return .fails }
      if attackFailures[c.family]?.contains(where: { dominates(c, RecommendCandidate(family: c.family, index: $0)) }) ?? false { return .fails }
      return .unknown
    }

    mutating func push(_ c: RecommendCandidate, bound: Money, stage: Int = 0) {
      guard queued.insert(c).inserted else { return }
      heap.push(Entry(bound: bound, candidate: c, stage: stage))
    }

    mutating func expand(_ c: RecommendCandidate, bound: Money) {
      for s in space.successors(c) { push(s, bound: bound) }
    }

    mutating func search(threads: Int, maxRuns: Int, progress: (@Sendable (Int) -> Void)?) {
      for c in space.starts { push(c, bound: .zero) }
      // Fixed, not per thread: which candidates get simulated must not depend on the machine.
      let batchSize = 16
      while let top = heap.peek {
        if found.count > space.alternatives { return }
        if runs.count >= maxRuns {
          truncated = true
          return
        }
        switch top.stage {
        case 0:
          // Entries further down that only need their run are run now too, so every thread has work;
          // the others go back unchanged, so the order decisions are taken in stays the same.
          var batch: [Entry] = []
          var aside: [Entry] = []
          var scanned = 0
          while batch.count < batchSize, scanned < batchSize * 8, let t = heap.pop() {
            scanned += 1
            guard t.stage == 0 else {
              aside.append(t)
              continue
            }
            switch known(t.candidate) {
            case .pointless: continue
            case .fails: expand(t.candidate, bound: t.bound)
            case .unknown: batch.append(t)
            }
          }
          for t in aside { heap.push(t) }
          let todo = batch.filter { baselines[policyFree($0.candidate)] == nil }
          let keys = RecommendSpace.dedup(todo.map { policyFree($0.candidate) })
          let (scenario, space) = (self.scenario, self.space)
          let done = parallelMap(keys, threads: threads) { k in RecommendSearch.baselineRun(k, scenario: scenario, space: space) }
          for r in done { baselines[r.candidate] = r }
          for t in batch {
            guard var r = baselines[policyFree(t.candidate)] else { continue }
            r.candidate = t.candidate
            // A policy can deny a job's own writes: such a candidate is run as itself.
            if !RecommendSpace.Axis.allCases.dropFirst(4).allSatisfy({ t.candidate.index[$0.rawValue] == 0 }) {
              let v = space.apply(t.candidate, to: scenario)
              if !v.deniedJobs().isEmpty { r = RecommendSearch.baselineRun(t.candidate, scenario: scenario, space: space) }
            }
            runs[t.candidate] = r
            heap.push(Entry(bound: max(t.bound, r.steadyMonthlyCost), candidate: t.candidate, stage: 1))
          }
          progress?(runs.count)
        case 1:
          guard let r = runs[top.candidate] else { return }
          if r.failures > 0 {
            _ = heap.pop()
            settleFailure(r)
            continue
          }
          guard needsAttack else {
            _ = heap.pop()
            settleMet(r)
            continue
          }
          var batch: [Entry] = []
          while batch.count < batchSize, let t = heap.peek, t.stage == 1, let tr = runs[t.candidate], tr.failures == 0 {
            _ = heap.pop()
            switch known(t.candidate) {
            case .pointless: continue
            case .fails: expand(t.candidate, bound: t.bound)
            case .unknown: batch.append(t)
            }
          }
          let (scenario, space) = (self.scenario, self.space)
          let done = parallelMap(batch, threads: threads) { t in RecommendSearch.fullRun(t.candidate, scenario: scenario, space: space) }
          for (t, r) in zip(batch, done) {
            runs[t.candidate] = r
            heap.push(Entry(bound: t.bound, candidate: t.candidate, stage: 2))
          }
          progress?(runs.count)
        default:
          _ = heap.pop()
          guard let r = runs[top.candidate] else { continue }
          if r.failures == 0 { settleMet(r) } else { settleFailure(r) }
        }
      }
    }

    static func below(_ a: [Int], _ b: [Int]) -> Bool { zip(a, b).allSatisfy { $0 <= $1 } }

    /// A candidate that meets everything is listed unless one listed already covers it, or bills exactly
    /// the same (settings that never come into play, such as a transition later than any version lives).
    mutating func settleMet(_ r: RecommendRun) {
      if known(r.candidate) == .pointless { return }
      if found.contains(where: { RecommendSearch.sameBill($0, r) }) { return }
      found.append(r)
    }

    /// Records what the failure proves about other candidates, then queues the ones above it that might still meet.
    mutating func settleFailure(_ r: RecommendRun) {
      let c = r.candidate
      let reqs = r.allRequirements
      // Each list keeps only the points no other in it covers, so checks stay short.
      if !r.deniedJobs, reqs.contains(where: { $0.name == "restorePoints" && $0.status == .notMet }) {
        let x = retention(c)
        var list = restoreFailures[group(c)] ?? []
        if !list.contains(where: { x.below($0) }) {
          list.removeAll { $0.below(x) }
          list.append(x)
          restoreFailures[group(c)] = list
        }
      }
      if reqs.contains(where: { $0.name == "survivesAttack" && $0.status == .notMet }) {
        var list = attackFailures[c.family] ?? []
        if !list.contains(where: { Self.below(c.index, $0) }) {
          list.removeAll { Self.below($0, c.index) }
          list.append(c.index)
          attackFailures[c.family] = list
        }
      }
      if reqs.contains(where: { $0.name == "maxMonthlyCost" && $0.status == .notMet }) {
        var list = costFailures[c.family] ?? []
        if !list.contains(where: { Self.below($0, c.index) }) {
          list.removeAll { Self.below(c.index, $0) }
          list.append(c.index)
          costFailures[c.family] = list
        }
        return
      }
      expand(c, bound: r.steadyMonthlyCost)
    }
  }
}

extension RecommendRun {
  /// How many requirements fail (not met, or not checked).
  public var failures: Int { allRequirements.filter { !$0.met }.count }

  /// How far the failing requirements are off, each as a fraction of what it asks (0: all met).
  ///
  /// A gap of 2 days where 1 is allowed is 1; $600 against a $500 cap is 0.2; a backup lost 3 days after
  /// the attack when 7 are needed is 4/7.
  public var shortfall: Decimal {
    var total: Decimal = 0
    for q in allRequirements where !q.met {
      switch q.measure {
      case .restorePoints(let every, _, let gap): total += every > 0 ? Decimal(max(0, gap - every)) / Decimal(every) : 1
      case .maxRestoreHours(let limit, _, let slowest): total += limit > 0 ? max(0, slowest - limit) / limit : 1
      case .maxMonthlyCost(let limit, _, let worst): total += limit > .zero ? max(0, (worst - limit).amount / limit.amount) : 1
      case .survivesAttack(let detected, _, let after):
        total += detected > 0 ? Decimal(max(0, detected - (after ?? 0))) / Decimal(detected) : 1
      }
    }
    return total
  }
}

extension RunResult {
  /// The last full calendar month's bill (the last month when none is full).
  public var steadyMonthlyCost: Money { (lastFullMonth ?? months.last)?.total ?? .zero }

  /// Versions (current and noncurrent) stored at the end less those stored 30 days before.
  public var versionsAddedInLast30Days: Int {
    guard let last = daily.last, daily.count > 30 else { return 0 }
    let before = daily[daily.count - 31]
    return (last.currentVersions + last.noncurrentVersions) - (before.currentVersions + before.noncurrentVersions)
  }

  /// Days from the oldest point still restorable at the end to the end (nil: none is).
  public var historyDays: Decimal? {
    coverage.oldestRestorableAtEnd.map { Decimal(end - $0) / Decimal(SimTime.secondsPerDay) }
  }
}

/// A binary min-heap of search states.
struct BinaryHeap<T: Comparable> {
  private var items: [T] = []
  var peek: T? { items.first }
  var isEmpty: Bool { items.isEmpty }

  mutating func push(_ x: T) {
    items.append(x)
    var i = items.count - 1
    while i > 0 {
      let p = (i - 1) / 2
      guard items[i] < items[p] else { break }
      items.swapAt(i, p)
      i = p
    }
  }

  mutating func pop() -> T? {
    guard let first = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var m = i
        if l < items.count && items[l] < items[m] { m = l }
        if r < items.count && items[r] < items[m] { m = r }
        if m == i { break }
        items.swapAt(i, m)
        i = m
      }
    }
    return first
  }
}

extension RecommendOutcome {
  /// The simulated candidates no other beats on both cost and `benefit`, by increasing benefit.
  ///
  /// A candidate is on the front when no other costs no more a month and gives at least as much, one of
  /// the two strictly. Candidates whose benefit is unknown (nil) are left out; ties keep the first in
  /// the space's order.
  public func paretoFront(_ benefit: (RecommendRun) -> Decimal?) -> [(run: RecommendRun, benefit: Decimal)] {
    let points = runs.compactMap { r in benefit(r).map { (run: r, benefit: $0) } }
      .sorted { ($0.run.steadyMonthlyCost, -$0.benefit, $0.run.candidate) < ($1.run.steadyMonthlyCost, -$1.benefit, $1.run.candidate) }
    var front: [(run: RecommendRun, benefit: Decimal)] = []
    for p in points where front.last.map({ p.benefit > $0.benefit }) ?? true { front.append(p) }
    return front
  }
}
