import BackupSimModel
import Foundation

/// Plays a scenario out on one event queue and one clock.
///
/// Handlers change the bucket only through `addVersion`, `removeSlot` and `transitionSlot`,
/// which keep the totals, the cost ledger, the restore points and the trace consistent.
struct Simulation {
  let scenario: Scenario
  var options: SimulationOptions
  private(set) var now: SimTime
  var queue = EventQueue()
  var wake = WakeQueue()
  var rng: SeededGenerator
  var bucket = Bucket()
  var ledger: CostLedger
  var versioning: VersioningState
  var points: [RestorePoint] = []
  /// Writes S3 Replication copies elsewhere, recorded when non-nil; replicas arriving here (`Simulation+Replication.swift`).
  var feed: [ReplicatedWrite]?
  var incoming: [ReplicatedWrite] = []
  /// What each job's runs read and write, in one place.
  var jobs: [JobState]
  /// Where each restore point's versions were at `options.snapshotAt`.
  private(set) var snapshot: PointCompositions?
  private(set) var daily: [DailySample] = []
  var trace: [TraceEntry] = []
  /// Logical bytes permanently removed (for the conservation check: uploaded = stored + removed).
  private(set) var bytesRemoved: Int64 = 0
  var nextSerial: UInt64 = 1
  /// Each distinct list of rule indices a group has had, shared by the groups that have it.
  var ruleSets: [[Int]: [Int]] = [:]
  /// Reused by `evaluate` for a night's expirations of one group (no allocation per group and night).
  var expirationScratch: [(index: Int, reason: RemovalReason)] = []
  /// The last removal reason given a number (`number(of:)`).
  var lastRemovalReason: (reason: RemovalReason, number: UInt32)?
  /// Each rule's NoncurrentVersionExpiration's number as a removal reason, by rule index (0: not yet numbered).
  var expirationNumbers: [UInt32] = []
  /// Groups changed during the current event, each once (`isDirty` marks them by group id).
  var dirty: [Int] = []
  var isDirty: [Bool] = []
  /// One counter for all groups, so a stale wake-up never matches a group that reuses an id.
  var nextGeneration: UInt64 = 1
  var closedMonthsCost = Money.zero
  var closedMonths = 0
  /// Size thresholds (`size >= cut`) of rules that delete: keys whose versions fall on different
  /// sides get different histories, so groups are split on them.
  var structuralCuts: [Int64]
  /// Size thresholds of transitions (their size filters, the 128 KiB default): versions on
  /// different sides only end up in different classes, so slots are split into parts on them.
  var classCuts: [Int64]
  var rules: [LifecycleRule]
  var lifecycle: LifecycleConfiguration
  /// Some rule keeps versions by count (NewerNoncurrentVersions): any push or removal changes
  /// every older version's count, so cached due times of the whole group go stale.
  var countRules: Bool
  /// Every key pattern written so far: the job that wrote it and how many `{i}` values.
  var written = WrittenPatterns()
  /// Each class's minimum storage duration in seconds, by `StorageClass.index` (read on every removal).
  let minimumSeconds: [Int64]

  init(scenario: Scenario, options: SimulationOptions = SimulationOptions()) {
    self.scenario = scenario
    self.options = options
    now = scenario.start
    rng = SeededGenerator(seed: scenario.seed)
    ledger = CostLedger(start: scenario.start)
    versioning = scenario.bucket.versioning
    jobs = scenario.uploads.map { JobState($0) }
    minimumSeconds = StorageClass.allCases.map { Int64(scenario.prices.classes[$0]?.minimumDays ?? 0) * SimTime.secondsPerDay }
    rules = scenario.bucket.lifecycle.rules
    lifecycle = scenario.bucket.lifecycle
    var structural: Set<Int64> = [], classes: Set<Int64> = []
    for r in rules {
      var bounds: [Int64] = []
      if let g = r.filter.objectSizeGreaterThan { bounds.append(g + 1) }
      if let l = r.filter.objectSizeLessThan { bounds.append(l) }
      if r.expiration != nil || r.noncurrentExpiration != nil { structural.formUnion(bounds) }
      if !r.transitions.isEmpty || !r.noncurrentTransitions.isEmpty {
        classes.formUnion(bounds)
        classes.insert(StorageClass.lifecycleMinimumTransitionSize)
      }
    }
    structuralCuts = structural.sorted()
    classCuts = classes.sorted()
    countRules = rules.contains { r in
      r.noncurrentExpiration?.newerNoncurrentVersions != nil || r.noncurrentTransitions.contains { $0.newerNoncurrentVersions != nil }
    }
    if let a = options.attack, a.at >= scenario.start, a.at < scenario.end {
      // Like an upload: a lifecycle run at the same 00:00 decides on the state before the attack.
      queue.schedule(.attack, at: a.at, priority: .normal)
    }
    // An inventory's versions are in the bucket before anything else happens.
    if scenario.startingState != nil { seedStartingState() }
  }

  // MARK: Running

  mutating func run() {
    begin()
    runEvents(before: nil)
    finish()
  }

  /// Schedules the first events: the midnights, each job's first run, versioning changes.
  mutating func begin() {
    let start = scenario.start, end = scenario.end
    // Scheduled before any midnight, so at a midnight it sees the state before that run's lifecycle.
    if let s = options.snapshotAt, s >= start, s < end { queue.schedule(.snapshot, at: s, priority: .urgent) }
    queue.schedule(.midnight, at: start.nextMidnight, priority: .urgent)
    var runs = 0
    for (j, job) in scenario.uploads.enumerated() {
      guard let first = job.schedule.firstFire(atOrAfter: start), first < end else { continue }
      queue.schedule(.upload(job: j), at: first)
      let period = jobs[j].period
      if period > 0 {
        runs += Int((end - first + period - 1) / period)
        continue
      }
      var t: SimTime? = first
      while let f = t, f < end {
        runs += 1
        t = job.schedule.nextFire(after: f)
      }
    }
    // One restore point per run: counted first, because growing an array of millions of points by
    // doubling copied it and touched twice its memory.
    points.reserveCapacity(points.count + runs)
    adviseHugePages(forCapacityOf: points)
    for change in scenario.bucket.versioningChanges where change.at >= start && change.at < end {
      queue.schedule(.versioning(change.status), at: change.at, priority: .urgent)
    }
  }

  /// Plays events in order up to the end, or only those that come before an attack at `pause`
  /// would (every event before it, and that instant's urgent ones: its lifecycle run).
  mutating func runEvents(before pause: SimTime?) {
    while let next = queue.next(), next.time < scenario.end {
      if let p = pause, next.time > p || (next.time == p && next.priority >= .normal) { return }
      queue.remove(next)
      prefetchNextUploads()
      precondition(next.time >= now, "simulated time went backwards")
      now = next.time
      ledger.advance(to: now)
      apply(next.event)
      flushWakes()
      if options.checkInvariants { checkInvariants() }
    }
  }

  /// The attack, played on a run paused before its time as if it had been scheduled from the
  /// start: it comes first among that instant's non-urgent events, as it does then.
  mutating func playAttack(_ a: AttackAction) {
    options.attack = a
    guard a.at >= scenario.start, a.at < scenario.end else { return }
    precondition(a.at >= now, "the run went past the attack")
    now = a.at
    ledger.advance(to: now)
    apply(.attack)
    flushWakes()
    if options.checkInvariants { checkInvariants() }
  }

  /// Closes the books at the end of the horizon.
  mutating func finish() {
    let end = scenario.end
    now = end
    ledger.advance(to: end)
    if end.isMidnight { sample(day: (end - SimTime.secondsPerDay).date) }
    if let s = options.snapshotAt, s >= end { snapshot = composition() }
  }

  /// Where every restore point's surviving versions are right now: an entry per part, ordered by
  /// point at the end; an inline part is read without building it.
  func composition() -> PointCompositions {
    var entries: [PointCompositions.Entry] = []
    entries.reserveCapacity(bucket.currentVersions + bucket.noncurrentVersions)
    for (_, g) in bucket.liveGroups {
      // Through the buffer: a slot copied out of the stack retained what it holds.
      g.stack.withUnsafeBufferPointer { slots in
        for i in slots.indices where !slots[i].isDeleteMarker && slots[i].origin >= 0 {
          let origin = slots[i].origin
          for k in 0..<slots[i].partCount {
            let amount = slots[i].amount(k)
            entries.append(
              .init(
                point: origin, kind: UInt8(amount.storageClass.index), objects: amount.count, bytes: amount.totalBytes,
                largestObject: slots[i].largestObject(k)))
            guard amount.storageClass == .intelligentTiering else { continue }
            for (tier, a) in archivedAccessTiers(slots[i].part(k)) {
              entries.append(
                .init(
                  point: origin, kind: PointCompositions.archivedBase + UInt8(tier.index), objects: a.objects, bytes: a.bytes,
                  largestObject: a.largestObject))
            }
          }
        }
      }
    }
    return PointCompositions(unordered: entries, pointCount: points.count)
  }

  mutating func apply(_ event: SimEvent) {
    switch event {
    case .midnight:
      sample(day: (now - SimTime.secondsPerDay).date)
      runLifecycle()
      queue.schedule(.midnight, at: now + SimTime.secondsPerDay, priority: .urgent)
    case .upload(let j):
      upload(job: j)
      // A run happens at one of its schedule's times, so a fixed period gives the next.
      let period = jobs[j].period
      let next = period > 0 ? now + period : scenario.uploads[j].schedule.nextFire(after: now)
      if let t = next, t < scenario.end { queue.schedule(.upload(job: j), at: t) }
    case .versioning(let state):
      versioning = state
    case .snapshot:
      snapshot = composition()
    case .attack:
      if let a = options.attack { attack(a) }
    case .attackUpload:
      if let bomb = options.attack?.costBomb { costBombUpload(bomb) }
    case .replica(let i):
      receive(incoming[i])
    }
  }

  // MARK: Daily sample

  mutating func sample(day: CivilDate) {
    var cost = Money.zero
    if options.reportDetail {
      let months = ledger.months
      while closedMonths < months.count - 1 {
        closedMonthsCost += months[closedMonths].priced(scenario.prices).total
        closedMonths += 1
      }
      cost = closedMonthsCost + (months.last.map { $0.priced(scenario.prices).total } ?? .zero)
    }
    daily.append(
      DailySample(
        date: day, bytesByClass: bucket.bytesByClass.array, objectsByClass: bucket.objectsByClass.array,
        currentVersions: bucket.currentVersions, noncurrentVersions: bucket.noncurrentVersions,
        deleteMarkers: bucket.deleteMarkers, costToDate: cost))
    if !ledger.cohorts.isEmpty { daily[daily.count - 1].accessTierBytes = ledger.accessTierBytes(at: now) }
  }

  // MARK: Uploads

  mutating func upload(job j: Int) {
    // The job's state and copies of its fields, not the job: a copy of the whole job (its name,
    // key, schedule and tags retained) on every run was a thirtieth of the work with thousands of
    // jobs, and a read of its fields three more cache lines.
    jobs[j].runs += 1
    let run = Int(jobs[j].runs)
    let pid: Int32
    if jobs[j].fixedPattern >= 0 {
      pid = jobs[j].fixedPattern
    } else {
      let key = scenario.uploads[j].key
      pid = bucket.intern(key.pattern(at: now, run: run))
      let timeless = key.parts.allSatisfy {
        switch $0 {
        case .literal, .index: true
        case .date, .datetime, .run: false
        }
      }
      if timeless { jobs[j].fixedPattern = pid }
    }
    let n = jobs[j].objects, storageClass = jobs[j].storageClass
    let dependsOn = jobs[j].dependsOn < 0 ? nil : Int(jobs[j].dependsOn)
    let sizes = drawSizes(job: j, count: n)
    let total: Int64
    switch sizes {
    case .uniform(let s): total = s * Int64(n)
    case .perKey(let a): total = a.reduce(0, +)
    }
    let base = dependsOn.flatMap { jobs[$0].lastPoint < 0 ? nil : Int(jobs[$0].lastPoint) }
    points.append(
      RestorePoint(
        job: j, run: run, writtenAt: now, versions: n, bytes: total, alive: n, lostAt: nil, lostBy: nil, base: base,
        coldest: (storageClass, now)))
    let origin = Int32(points.count - 1)
    jobs[j].lastPoint = origin
    if let d = dependsOn, base == nil {
      // Nothing to restore it onto: an incremental before its first full is never restorable.
      points[points.count - 1].lostAt = now
      points[points.count - 1].lostBy = .missingBase(job: d)
    }
    ledger.countPuts(storageClass, putRequests(sizes, count: n))
    written.record(pid, job: j, count: n)
    write(
      patternID: pid, count: n, sizes: sizes, storageClass: storageClass, tagSet: jobs[j].tagSet, origin: origin,
      writer: .job(j, run: run))
  }

  /// Starts loading what the next three uploads read: their keys were last touched a day ago, and
  /// the loads now overlap this event's work (hints only; see `VersionStack.prefetch`).
  ///
  /// A pipeline: each stage reads what the one before loaded an event earlier (the job's state
  /// gives the group, the group gives the stack's addresses).
  ///
  /// Mutating only so that it gets the simulation by reference: a non-mutating method called here
  /// was handed a copy of the whole simulation.
  private mutating func prefetchNextUploads() {
    if case .upload(let j)? = queue.upcoming(0)?.event, jobs[j].fixedPattern >= 0, let gid = bucket.soleGroup(pattern: jobs[j].fixedPattern) {
      bucket.prefetchStack(gid, for: .push)
    }
    if case .upload(let j)? = queue.upcoming(1)?.event, jobs[j].fixedPattern >= 0, let gid = bucket.soleGroup(pattern: jobs[j].fixedPattern) {
      bucket.prefetchGroup(gid)
    }
    if case .upload(let j)? = queue.upcoming(2)?.event { prefetchElement(of: jobs, at: j) }
  }

  /// Sizes for one run of job `j`'s objects, by `{i}`.
  mutating func drawSizes(job j: Int, count n: Int) -> SizeColumn {
    let months = Double(now - scenario.start) / (Double(SimTime.secondsPerDay) * 365.2425 / 12)
    let growthPerMonth = jobs[j].growthPerMonth
    let growth = growthPerMonth == 0 ? 1 : _pow(1 + growthPerMonth, months)
    if jobs[j].fixedSize >= 0 {
      let s = jobs[j].fixedSize
      return .uniform(growth == 1 ? s : Int64((Double(s) * growth).rounded()))
    }
    // Drawn from the job's distribution (a fixed size is in its state, read above).
    guard case .lognormal(let median, let sigma) = scenario.uploads[j].size else { preconditionFailure("a fixed size is in the job's state") }
    var a = [Int64](repeating: 0, count: n)
    for i in 0..<n {
      let z = rng.nextGaussian()
      a[i] = max(0, Int64((Double(median) * _exp(sigma * z) * growth).rounded()))
    }
    return .perKey(a)
  }

  /// PUT-class requests for uploading these objects with the AWS CLI: one PUT below 8 MiB,
  /// otherwise create + parts + complete, 8 MiB parts doubled while there would be > 10,000.
  static func putRequests(size: Int64) -> Int64 {
    let threshold: Int64 = 8 << 20
    guard size >= threshold else { return 1 }
    var part = threshold
    var parts = (size + part - 1) / part
    while parts > 10_000 {
      part *= 2
      parts = (size + part - 1) / part
    }
    return parts + 2
  }

  func putRequests(_ sizes: SizeColumn, count n: Int) -> Int64 {
    switch sizes {
    case .uniform(let s): return Self.putRequests(size: s) * Int64(n)
    case .perKey(let a): return a.reduce(0) { $0 + Self.putRequests(size: $1) }
    }
  }

  static func signature(_ size: Int64, _ cuts: [Int64]) -> Int {
    var k = 0
    while k < cuts.count && size >= cuts[k] { k += 1 }
    return k
  }

  /// Writes one version of each key `pattern` with `{i}` in 0..<count.
  mutating func write(
    pattern: String, count n: Int, sizes: SizeColumn, storageClass: StorageClass, tagSet: UInt32, origin: Int32, writer: Writer
  ) {
    write(
      patternID: bucket.intern(pattern), count: n, sizes: sizes, storageClass: storageClass, tagSet: tagSet, origin: origin, writer: writer)
  }

  /// Writes one version of each key of an interned pattern with `{i}` in 0..<count.
  ///
  /// By id: the pattern's text (a string of its own, elsewhere in memory) is read only when a
  /// write makes new groups or is replicated.
  mutating func write(
    patternID pid: Int32, count n: Int, sizes: SizeColumn, storageClass: StorageClass, tagSet: UInt32, origin: Int32,
    writer: Writer
  ) {
    if feed != nil && versioning == .enabled {
      feed?.append(
        .init(
          time: now, pattern: bucket.patterns[Int(pid)], count: n, sizes: sizes, storageClass: storageClass, tags: TagSets.tags(tagSet),
          origin: origin))
    }
    // The common case, a key (or set of keys) that is one group written whole again, without the
    // range bookkeeping below: its allocations were most of an upload's cost.
    if let only = bucket.soleGroup(pattern: pid), bucket[only].wholeCount == n {
      if case .uniform = sizes {
        addVersion(only, sizes: sizes, storageClass: storageClass, tagSet: tagSet, origin: origin, writer: writer)
        return
      }
      for part in splitBySize(only, sizes: sizes) {
        addVersion(part, sizes: column(sizes, for: part), storageClass: storageClass, tagSet: tagSet, origin: origin, writer: writer)
      }
      return
    }
    let writeSet: [Range<Int>] = [0..<n]
    var covered: [Range<Int>] = []
    var coveredCount = 0
    for gid in bucket.groupIDs(pattern: pid) {
      let indices = bucket[gid].indices
      // Groups partition the keys, so each is inside the write set, outside it, or across its end.
      let inside = indices.first.map { $0.lowerBound >= 0 } == true && indices.last.map { $0.upperBound <= n } == true
      let inter = inside ? indices : RangeList.intersect(indices, writeSet)
      guard !inter.isEmpty else { continue }
      var targets = [gid]
      if !inside {
        let flat = bucket[gid].flatIndices
        targets = split(gid, by: flat.map { $0 < n ? 0 : 1 }).filter { bucket[$0].indices.last.map { $0.upperBound <= n } == true }
      }
      for t in targets {
        for part in splitBySize(t, sizes: sizes) {
          addVersion(part, sizes: column(sizes, for: part), storageClass: storageClass, tagSet: tagSet, origin: origin, writer: writer)
        }
      }
      covered += inter
      coveredCount += RangeList.count(inter)
    }
    guard coveredCount < n else { return }
    let remaining = RangeList.subtract(writeSet, RangeList.merged(covered))
    let partition = Self.newGroupPartition(
      pattern: bucket.patterns[Int(pid)], indices: remaining, sizes: sizes, rules: rules, structuralCuts: structuralCuts, options: options)
    for (indices, prefixRules) in partition {
      // Groups with the same rules share one array: it is read on every look at a group.
      let shared = ruleSets[prefixRules] ?? prefixRules
      ruleSets[prefixRules] = shared
      var group = KeyGroup(pattern: pid, indices: indices, count: RangeList.count(indices), prefixRules: shared, stack: [])
      group.plan = RulePlan(rules: rules, indices: shared)
      let id = bucket.add(group)
      if let w = options.watchKey, bucket.key(pattern: pid, index: indices[0].lowerBound) == w, RangeList.count(indices) == 1 {
        bucket[id].watched = true
      }
      addVersion(id, sizes: column(sizes, for: id), storageClass: storageClass, tagSet: tagSet, origin: origin, writer: writer)
    }
  }

  /// The sizes of a write that fall on one group's keys.
  func column(_ sizes: SizeColumn, for gid: Int) -> SizeColumn {
    guard case .perKey(let all) = sizes else { return sizes }
    // One run of keys (one key, once histories have diverged): a slice, not a list of positions.
    if bucket[gid].indices.count == 1, let keys = bucket[gid].indices.first { return .perKey(Array(all[keys])) }
    return sizes.select(bucket[gid].flatIndices)
  }

  /// Splits new keys into groups that every rule treats alike: same matching prefixes, same size
  /// class for this version, and the watched key (or, per object, every key) on its own.
  ///
  /// Static, on what it reads: called from a mutating method, an instance method took a copy of
  /// the whole simulation.
  static func newGroupPartition(
    pattern: String, indices: [Range<Int>], sizes: SizeColumn, rules: [LifecycleRule], structuralCuts: [Int64], options: SimulationOptions
  ) -> [([Range<Int>], [Int])] {
    let marker = indexMarker(in: pattern)
    let head = marker.map { pattern.utf8[..<$0] } ?? pattern.utf8[...]
    var uniformRules: [Int] = []
    var perKeyRules: [Int] = []
    // Prefixes against the text before {i}, as bytes (as S3 compares keys).
    for r in rules.indices where rules[r].enabled {
      let prefix = rules[r].filter.prefix
      if head.starts(with: prefix.utf8) {
        uniformRules.append(r)
      } else if marker != nil && prefix.utf8.starts(with: head) {
        perKeyRules.append(r)
      }
    }
    let sizeVaries: Bool
    if case .perKey = sizes { sizeVaries = structuralCuts.count > 0 } else { sizeVaries = false }
    let watchIndex: Int? = options.watchKey.flatMap { w in
      marker != nil ? indices.flatMap { Array($0) }.first { pattern.replacingOccurrences(of: "{i}", with: String($0)) == w } : nil
    }
    if perKeyRules.isEmpty && !sizeVaries && watchIndex == nil && !options.perObject {
      return [(indices, uniformRules)]
    }
    // Slow path: decide per key.
    var buckets: [[Int]: [Int]] = [:]
    var order: [[Int]] = []
    for i in indices.flatMap({ Array($0) }) {
      let key = pattern.replacingOccurrences(of: "{i}", with: String(i))
      var sig = perKeyRules.filter { rules[$0].filter.matchesKey(key) }
      if sizeVaries { sig.append(-1 - Self.signature(sizes.size(at: i), structuralCuts)) }
      if options.perObject || i == watchIndex { sig.append(Int.min + i) }
      if buckets[sig] == nil { order.append(sig) }
      buckets[sig, default: []].append(i)
    }
    return order.map { sig in
      let ruleSet = (uniformRules + sig.filter { $0 >= 0 }).sorted()
      return (RangeList.from(sorted: buckets[sig] ?? []), ruleSet)
    }
  }

  /// Where "{i}" starts in `pattern`: a byte scan (Foundation's search took thousands of
  /// instructions for a key name).
  static func indexMarker(in pattern: String) -> String.Index? {
    let utf8 = pattern.utf8
    var i = utf8.startIndex
    while i != utf8.endIndex {
      if utf8[i] == UInt8(ascii: "{") {
        let rest = utf8[i...].dropFirst()
        if rest.first == UInt8(ascii: "i") && rest.dropFirst().first == UInt8(ascii: "}") { return i }
      }
      i = utf8.index(after: i)
    }
    return nil
  }

  /// Splits a group whose keys would get versions that rules deleting by size treat differently.
  mutating func splitBySize(_ gid: Int, sizes: SizeColumn) -> [Int] {
    // One key has one size: nothing to split (the usual case once histories have diverged).
    guard case .perKey = sizes, !structuralCuts.isEmpty, bucket[gid].count > 1 else { return [gid] }
    let flat = bucket[gid].flatIndices
    return split(gid, by: flat.map { Self.signature(sizes.size(at: $0), structuralCuts) })
  }

  /// Splits a group by a label per key (in flattened order); returns the ids of the parts.
  @discardableResult
  mutating func split(_ gid: Int, by labels: [Int]) -> [Int] {
    let distinct = Array(Set(labels)).sorted()
    guard distinct.count > 1 else { return [gid] }
    let g = bucket[gid]
    let flat = g.flatIndices
    var ids: [Int] = []
    for (n, label) in distinct.enumerated() {
      let positions = labels.indices.filter { labels[$0] == label }
      var newPosition = [Int](repeating: -1, count: labels.count)
      for (k, p) in positions.enumerated() { newPosition[p] = k }
      var part = g
      part.indices = RangeList.from(sorted: positions.map { flat[$0] })
      part.count = positions.count
      part.generation = 0
      part.wakeAt = .min
      part.earliestDue = nil
      part.duesAscending = false
      part.stack = VersionStack(
        g.stack.map { slot in
          var s = slot  // a new stack: its due times are worked out again
          s.parts = slot.parts.compactMap { old in
            var kept: [Int] = []  // indices into the old part's own order
            var mapped: [Int] = []
            if let ps = old.positions {
              for (j, p) in ps.enumerated() where labels[p] == label {
                kept.append(j)
                mapped.append(newPosition[p])
              }
            } else {
              kept = positions
              mapped = Array(0..<positions.count)
            }
            guard !kept.isEmpty else { return nil }
            var np = SlotPart(
              positions: mapped.count == positions.count ? nil : mapped, count: kept.count, storageClass: old.storageClass,
              classSince: old.classSince, sizes: old.sizes.select(kept))
            np.access = old.access
            np.recomputeTotals()
            return np
          }
          return s
        })
      if n == 0 {
        bucket[gid] = part
        ids.append(gid)
      } else {
        ids.append(bucket.add(part))
      }
    }
    for id in ids { scheduleWake(id) }
    return ids
  }

  /// Splits one version's sizes into parts that transitions treat alike.
  ///
  /// Static, so that calling it from a mutating method never copies the whole simulation (a
  /// method on `self` there did, once per upload).
  static func parts(
    for sizes: SizeColumn, count: Int, storageClass: StorageClass, classCuts: [Int64], now: SimTime
  ) -> [SlotPart] {
    guard case .perKey(let a) = sizes, !classCuts.isEmpty, a.count > 1 else {
      return [SlotPart(positions: nil, count: count, storageClass: storageClass, classSince: now, sizes: sizes)]
    }
    var byLabel: [Int: [Int]] = [:]
    for (p, size) in a.enumerated() { byLabel[Self.signature(size, classCuts), default: []].append(p) }
    if byLabel.count == 1 {
      return [SlotPart(positions: nil, count: count, storageClass: storageClass, classSince: now, sizes: sizes)]
    }
    return byLabel.keys.sorted().compactMap { label in
      guard let ps = byLabel[label] else { return nil }
      return SlotPart(positions: ps, count: ps.count, storageClass: storageClass, classSince: now, sizes: sizes.select(ps))
    }
  }

  // MARK: Changing versions (the only places totals change)

  /// A PUT of one version onto every key of the group, as the current versioning state dictates (§1.3).
  mutating func addVersion(
    _ gid: Int, sizes: SizeColumn, storageClass: StorageClass, tagSet: UInt32, origin: Int32, writer: Writer
  ) {
    switch versioning {
    case .enabled: break
    case .suspended: removeNullVersions(gid, reason: .nullVersionReplaced(.suspended))
    case .disabled: removeNullVersions(gid, reason: .nullVersionReplaced(.disabled))
    }
    var slot = VersionSlot(
      serial: nextSerial, isNull: versioning != .enabled, isDeleteMarker: false, createdAt: now, retainUntil: nil, tagSet: tagSet,
      origin: origin, parts: [])
    if case .uniform(let size) = sizes {
      // The usual version: one part, inline, without building an array.
      slot.setSolePart(count: bucket[gid].count, size: size, storageClass: storageClass, since: now)
    } else {
      slot.parts = Self.parts(for: sizes, count: bucket[gid].count, storageClass: storageClass, classCuts: classCuts, now: now)
    }
    if storageClass == .intelligentTiering {
      let schedule = accessSchedule(gid, tags: TagSets.tags(tagSet))
      for i in slot.parts.indices { slot.parts[i].access = schedule }
    }
    nextSerial += 1
    if let lock = scenario.bucket.objectLock, versioning == .enabled { slot.retainUntil = now + lock.seconds }
    if bucket[gid].watched {
      let (jobName, run) = writer.nameAndRun(scenario.uploads)
      let kind: TraceEntry.Kind =
        slot.isNull
        ? .uploadedNull(storageClass: storageClass, bytes: slot.totalBytes, job: jobName, run: run)
        : .uploaded(storageClass: storageClass, bytes: slot.totalBytes, job: jobName, run: run)
      trace.append(TraceEntry(time: now, version: slot.serial, kind: kind))
      if let until = slot.retainUntil, let lock = scenario.bucket.objectLock {
        trace.append(TraceEntry(time: now, version: slot.serial, kind: .locked(until: until, mode: lock.mode)))
      }
    }
    push(gid, consume slot)
  }

  /// Puts a slot on top of the stack; the previous current version becomes noncurrent.
  mutating func push(_ gid: Int, _ slot: consuming VersionSlot) {
    let count = bucket[gid].count
    // Fields of the old top, not a copy of it: a copy retains its parts, another cache miss per upload.
    if let top = bucket[gid].stack.indices.last {
      if !bucket[gid].stack.topIsDeleteMarker {
        bucket.currentVersions -= count
        bucket.noncurrentVersions += count
      }
      if bucket[gid].watched {
        trace.append(TraceEntry(time: now, version: bucket[gid].stack[top].serial, kind: .becameNoncurrent(successor: slot.serial)))
      }
    }
    if slot.isDeleteMarker {
      bucket.deleteMarkers += count
    } else {
      bucket.currentVersions += count
      for k in 0..<slot.partCount {
        let amount = slot.amount(k)
        store(amount, sign: 1)
        if amount.storageClass == .intelligentTiering { storeAccessTiers(slot.part(k), sign: 1) }
      }
    }
    // The old top is now noncurrent; with a count rule every older slot's count moved too.
    if countRules {
      invalidateDues(gid)
      bucket[gid].stack.append(consume slot)
      scheduleWake(gid)
      return
    }
    bucket[gid].stack.push(consume slot)
    // The new due times are worked out now, while the stack is in cache, as the event's end would;
    // the group waits for the event's end only when its wake-up moves (an upload under a
    // NoncurrentDays rule leaves it where it was).
    if gid < isDirty.count && isDirty[gid] { return }
    if nextWake(gid) != bucket[gid].wakeAt { scheduleWake(gid) }
  }

  /// Forgets every cached due time of a group (its rules, parts or counts changed).
  mutating func invalidateDues(_ gid: Int) {
    bucket[gid].stack.forgetDues()
    bucket[gid].earliestDue = nil
    bucket[gid].duesAscending = false
  }

  /// Adds (sign 1) or removes (sign -1) a part's bytes from the totals and the billing rate.
  mutating func store(_ part: SlotPart, sign: Int64) {
    store(part.amount, sign: sign)
    if part.storageClass == .intelligentTiering { storeAccessTiers(part, sign: sign) }
  }

  /// The totals and the billing rate, without the access tiers (an inline part's amounts are
  /// read in place, the part never built).
  private mutating func store(_ amount: PartAmount, sign: Int64) {
    let c = amount.storageClass.index
    bucket.bytesByClass[c] += sign * amount.totalBytes
    bucket.objectsByClass[c] += Int(sign) * amount.count
    let billed = CostLedger.billed(amount.storageClass, count: amount.count, totalBytes: amount.totalBytes, padBytes: amount.padBytes)
    ledger.addBilled(amount.storageClass, sign * billed.inClass)
    if billed.standardOverhead != 0 { ledger.addBilled(.standard, sign * billed.standardOverhead) }
  }

  /// Charges the rest of the class's minimum duration for versions leaving it early (§3.3).
  mutating func chargeEarlyLeave(_ part: PartAmount) {
    let remaining = minimumSeconds[part.storageClass.index] - (now - part.classSince)
    guard remaining > 0 else { return }
    let billed = CostLedger.billed(part.storageClass, count: part.count, totalBytes: part.totalBytes, padBytes: part.padBytes).inClass
    ledger.chargeEarlyDeletion(part.storageClass, byteSeconds: Int128(billed) * Int128(remaining))
  }

  /// Removes the key's `null` version or marker, keeping the group for the version that replaces it.
  mutating func removeNullVersions(_ gid: Int, reason: RemovalReason) {
    while let i = bucket[gid].stack.lastIndex(where: { $0.isNull }) {
      removeSlot(gid, at: i, reason: reason, keepIfEmpty: true)
    }
  }

  /// Permanently removes one slot (a version or delete marker of every key in the group).
  mutating func removeSlot(_ gid: Int, at i: Int, reason: RemovalReason, keepIfEmpty: Bool = false) {
    // Fields, not the group: a copy of the group would make the stack shared and every edit copy it.
    let count = bucket[gid].count, watched = bucket[gid].watched
    let isTop = i == bucket[gid].stack.count - 1
    forget(gid, at: i, count: count, isTop: isTop, watched: watched, reason: reason)
    bucket[gid].stack.remove(at: i)
    bucket[gid].earliestDue = nil
    bucket[gid].duesAscending = false
    // The slot below has a new successor; a new top is current now; a lone marker may be removable.
    let n = bucket[gid].stack.count
    if countRules || n == 1 {
      invalidateDues(gid)
    } else {
      if i > 0 { bucket[gid].stack.setDue(nil, at: i - 1) }
      if isTop, n > 0 { bucket[gid].stack.setDue(nil, at: n - 1) }
    }
    if isTop, let newTop = bucket[gid].stack.last, !newTop.isDeleteMarker {
      bucket.noncurrentVersions -= count
      bucket.currentVersions += count
    }
    if bucket[gid].stack.isEmpty && !keepIfEmpty {
      bucket.remove(gid)
    } else {
      scheduleWake(gid)
    }
  }

  /// Permanently removes noncurrent slots (distinct indices, never the top) in one pass over the
  /// stack: a night's expirations of one key with many versions cost what they remove, not the
  /// stack's length each.
  mutating func removeNoncurrentSlots(_ gid: Int, _ removals: [(index: Int, reason: RemovalReason)]) {
    guard !removals.isEmpty else { return }
    let count = bucket[gid].count, watched = bucket[gid].watched
    for r in removals {
      precondition(r.index < bucket[gid].stack.count - 1, "the current version is not noncurrent")
      forget(gid, at: r.index, count: count, isTop: false, watched: watched, reason: r.reason)
    }
    // Contiguous runs of removed slots, top run first, so the lower indices stay where they are;
    // usually one run, the oldest versions. Each removal moves the slots above it without copying them.
    let sorted = zip(removals, removals.dropFirst()).allSatisfy { $0.index < $1.index }
    let reordered: [Int]? = sorted ? nil : removals.map(\.index).sorted()
    func index(_ k: Int) -> Int { reordered?[k] ?? removals[k].index }
    var hi = removals.count - 1
    var below: [Int] = []  // the slots below runs, by index before the removal, top first
    while hi >= 0 {
      var lo = hi
      while lo > 0 && index(lo - 1) == index(lo) - 1 { lo -= 1 }
      // The slot below the run has a new successor.
      if index(lo) > 0 {
        bucket[gid].stack.setDue(nil, at: index(lo) - 1)
        below.append(index(lo) - 1)
      }
      bucket[gid].stack.removeSubrange(index(lo)...index(hi))
      hi = lo - 1
    }
    if countRules || bucket[gid].stack.count == 1 {
      invalidateDues(gid)
    } else if bucket[gid].earliestDue != nil {
      // Removing slots never makes the earliest due time earlier, so the known bound stays a bound
      // once the slots with a new successor are worked out (without a count rule a slot's due time
      // does not depend on the versions above it): no look at the whole stack for a night's expirations.
      for old in below {
        let i = old - removals.lazy.filter { $0.index < old }.count
        let due = LifecycleEvaluator.slotDue(
          bucket[gid].stack, at: i, newerNoncurrent: 0, rules: rules, ruleIndices: bucket[gid].prefixRules, config: lifecycle)
        bucket[gid].stack.setDue(due, at: i)
        bucket[gid].earliestDue = min(bucket[gid].earliestDue ?? .max, due)
        // The rest stay in order (a removal keeps an order); this one must fit between its neighbours.
        let top = bucket[gid].stack.count - 1
        if i > 0, (bucket[gid].stack.due(at: i - 1) ?? .max) > due { bucket[gid].duesAscending = false }
        if i + 1 < top, (bucket[gid].stack.due(at: i + 1) ?? .min) < due { bucket[gid].duesAscending = false }
      }
    }
    scheduleWake(gid)
  }

  /// Permanently removes the `n` oldest slots, all noncurrent, expired by rule `r`'s
  /// NoncurrentVersionExpiration: a night's expirations under a plain NoncurrentDays rule (what
  /// `removeNoncurrentSlots` does for indices 0..<n: nothing is left below them whose due time would change).
  mutating func removeBottomSlots(_ gid: Int, count n: Int, expiredBy r: Int) {
    let count = bucket[gid].count, watched = bucket[gid].watched
    precondition(n < bucket[gid].stack.count, "the current version is not noncurrent")
    // The reason is a number kept per rule: building it (the rule's ID retained) and finding its
    // number on every night of every key was a tenth of an expiration.
    let number = noncurrentExpirationNumber(r)
    for i in 0..<n {
      let lost = forgetContents(gid, at: i, count: count, isTop: false)
      if lost >= 0 { points[lost].lostByNumber = number }
      if watched {
        let reason = RemovalReason.lifecycle(rule: rules[r].id, .noncurrentVersionExpiration)
        trace.append(TraceEntry(time: now, version: bucket[gid].stack[i].serial, kind: .deleted(reason: reason)))
      }
    }
    bucket[gid].stack.removeSubrange(0..<n)
    if countRules || bucket[gid].stack.count == 1 { invalidateDues(gid) }
    scheduleWake(gid)
  }

  /// The number of rule `r`'s NoncurrentVersionExpiration as a removal reason.
  private mutating func noncurrentExpirationNumber(_ r: Int) -> UInt32 {
    if r < expirationNumbers.count, expirationNumbers[r] != 0 { return expirationNumbers[r] }
    if r >= expirationNumbers.count { expirationNumbers += Array(repeating: 0, count: r + 1 - expirationNumbers.count) }
    expirationNumbers[r] = RemovalReasonNumbers.shared.number(.lifecycle(rule: rules[r].id, .noncurrentVersionExpiration))
    return expirationNumbers[r]
  }

  /// The totals, the ledger, the restore point and the trace forget a slot that is being removed.
  private mutating func forget(_ gid: Int, at i: Int, count: Int, isTop: Bool, watched: Bool, reason: RemovalReason) {
    let lost = forgetContents(gid, at: i, count: count, isTop: isTop)
    if lost >= 0 { points[lost].lostByNumber = number(of: reason) }
    if watched { trace.append(TraceEntry(time: now, version: bucket[gid].stack[i].serial, kind: .deleted(reason: reason))) }
  }

  /// The totals, the ledger and the restore point forget a slot's versions; returns the restore
  /// point that loses its first version by it, whose reason the caller records, or -1.
  ///
  /// By index, not a copy of the slot: a copy retained what the slot holds only to release it again.
  private mutating func forgetContents(_ gid: Int, at i: Int, count: Int, isTop: Bool) -> Int {
    // One look at the slot for what the usual removal reads (each look through the bucket checks
    // the group, the stack and the index again).
    let (isMarker, partCount, origin) = bucket[gid].stack.withUnsafeBufferPointer { s in
      (s[i].isDeleteMarker, s[i].partCount, s[i].origin)
    }
    if isMarker {
      bucket.deleteMarkers -= count
      return -1
    }
    for k in 0..<partCount {
      let amount = bucket[gid].stack[i].amount(k)
      chargeEarlyLeave(amount)
      store(amount, sign: -1)
      if amount.storageClass == .intelligentTiering { storeAccessTiers(bucket[gid].stack[i].part(k), sign: -1) }
      bytesRemoved += amount.totalBytes
    }
    if isTop { bucket.currentVersions -= count } else { bucket.noncurrentVersions -= count }
    guard origin >= 0 else { return -1 }
    let p = Int(origin)
    points[p].alive -= count
    guard points[p].lostAt == nil else { return -1 }
    points[p].lostAt = now
    return p
  }

  /// The reason's number for a restore point; the last one is kept, as a night removes many
  /// versions for the same reason and the table is behind a lock.
  private mutating func number(of reason: RemovalReason) -> UInt32 {
    if let last = lastRemovalReason, last.reason == reason { return last.number }
    let n = RemovalReasonNumbers.shared.number(reason)
    lastRemovalReason = (reason, n)
    return n
  }

  mutating func transitionSlot(_ gid: Int, at i: Int, part p: Int, to target: StorageClass, rule: String) {
    let watched = bucket[gid].watched, isTop = i == bucket[gid].stack.count - 1
    let slot = bucket[gid].stack[i]
    let old = slot.part(p)
    chargeEarlyLeave(old.amount)
    store(old, sign: -1)
    var moved = old
    moved.storageClass = target
    moved.classSince = now
    moved.access = target == .intelligentTiering ? accessSchedule(gid, tags: slot.tags) : nil
    store(moved, sign: 1)
    ledger.countTransitions(into: target, Int64(old.count))
    bucket[gid].stack[i].setPart(p, moved)
    if let known = bucket[gid].earliestDue, !countRules {
      // Only this slot's due time moved (without a count rule it does not depend on the slots above).
      let due = LifecycleEvaluator.slotDue(
        bucket[gid].stack, at: i, newerNoncurrent: 0, rules: rules, ruleIndices: bucket[gid].prefixRules, config: lifecycle)
      bucket[gid].stack.setDue(due, at: i)
      bucket[gid].earliestDue = min(known, due)
    } else {
      bucket[gid].stack.setDue(nil, at: i)
      bucket[gid].earliestDue = nil
    }
    bucket[gid].duesAscending = false
    if slot.origin >= 0 { points[Int(slot.origin)].noteColder(target, since: now) }
    if watched {
      trace.append(TraceEntry(time: now, version: slot.serial, kind: .transitioned(to: target, rule: rule, noncurrent: !isTop)))
    }
    scheduleWake(gid)
  }

  // MARK: Lifecycle

  /// Marks a changed group; its next lifecycle run is worked out once, when the event ends.
  mutating func scheduleWake(_ gid: Int) {
    if gid >= isDirty.count { isDirty += Array(repeating: false, count: gid + 1 - isDirty.count) }
    if !isDirty[gid] {
      isDirty[gid] = true
      dirty.append(gid)
    }
  }

  mutating func flushWakes() {
    if dirty.count > 1 { dirty.sort() }
    // By index: a `for` loop over the list held a copy of it (retained and released per event).
    var k = 0
    while k < dirty.count {
      let gid = dirty[k]
      k += 1
      guard isDirty[gid] else { continue }
      isDirty[gid] = false
      flushWake(gid)
    }
    dirty.removeAll(keepingCapacity: true)
  }

  private mutating func flushWake(_ gid: Int) {
    guard bucket.exists(gid) else { return }
    let wakeAt = nextWake(gid)
    guard wakeAt != bucket[gid].wakeAt else { return }
    bucket[gid].generation = nextGeneration
    nextGeneration += 1
    bucket[gid].wakeAt = wakeAt
    if wakeAt != .min { wake.insert(.init(time: SimTime(seconds: wakeAt), group: gid, generation: bucket[gid].generation)) }
  }

  /// When group `gid`'s lifecycle run comes next (`Int64.min`: none before the end), its changed
  /// due times worked out.
  private mutating func nextWake(_ gid: Int) -> Int64 {
    let earliest = Self.earliestDue(of: &bucket[gid], rules: rules, config: lifecycle)
    let at = earliest == .max ? Int64.min : max(earliest, now.nextMidnight.seconds)
    return at < scenario.end.seconds ? at : .min
  }

  /// Works out the group's due times that changed and returns the earliest of all; after pushes
  /// alone the unknown ones are the top slots, and the rest keep the earliest known.
  ///
  /// On the group in place, through one access: each look through the bucket checked the id and
  /// the array's uniqueness again.
  private static func earliestDue(of g: inout KeyGroup, rules: [LifecycleRule], config: LifecycleConfiguration) -> Int64 {
    let known = g.earliestDue
    // The top's due time is known, so the walk below would stop at once (a night's expirations
    // from the bottom leave it so): the known earliest stands.
    if let known, g.stack.topDue != nil { return known }
    let top = g.stack.count - 1
    // Rules without Expiration or Transitions have nothing for the current version (or a lone
    // delete marker) to do: its due time is known without a look at it.
    func topDue() -> Int64 {
      let nothingForCurrent = g.plan.nothingForCurrent || g.prefixRules.allSatisfy { rules[$0].expiration == nil && rules[$0].transitions.isEmpty }
      return nothingForCurrent
        ? .max : LifecycleEvaluator.slotDue(g.stack, at: top, newerNoncurrent: 0, rules: rules, ruleIndices: g.prefixRules, config: config)
    }
    // The usual event, a push onto a stack whose due times were known: only the top two are not
    // (the loop below, without its bookkeeping).
    if let known, top >= 1, g.stack.topDue == nil, g.stack.due(at: top - 1) == nil, top == 1 || g.stack.due(at: top - 2) != nil {
      let current = topDue()
      let below =
        if let days = g.plan.plainNoncurrentDays {
          LifecycleEvaluator.plainNoncurrentDue(g.stack, at: top - 1, days: days)
        } else {
          LifecycleEvaluator.slotDue(g.stack, at: top - 1, newerNoncurrent: 0, rules: rules, ruleIndices: g.prefixRules, config: config)
        }
      g.stack.setDue(current, at: top)
      g.stack.setDue(below, at: top - 1)
      if top >= 2, let under = g.stack.due(at: top - 2), under > below { g.duesAscending = false }
      let earliest = min(known, current, below)
      g.earliestDue = earliest
      return earliest
    }
    var earliest = known ?? .max
    var newer = 0
    // Whether the noncurrent due times looked at (or, after pushes, those and the one below) rise.
    var ascending = known == nil || g.duesAscending
    var above = Int64.max  // due time of the noncurrent slot above the one looked at
    for i in stride(from: top, through: 0, by: -1) {
      let due: Int64
      if let cached = i == top ? g.stack.topDue : g.stack.due(at: i) {
        if known != nil {
          if i < top && cached > above { ascending = false }
          break
        }
        due = cached
      } else if i == top {
        due = topDue()
        g.stack.setDue(due, at: i)
      } else if let days = g.plan.plainNoncurrentDays {
        due = LifecycleEvaluator.plainNoncurrentDue(g.stack, at: i, days: days)
        g.stack.setDue(due, at: i)
      } else {
        due = LifecycleEvaluator.slotDue(g.stack, at: i, newerNoncurrent: newer, rules: rules, ruleIndices: g.prefixRules, config: config)
        g.stack.setDue(due, at: i)
      }
      earliest = min(earliest, due)
      if i < top {
        if due > above { ascending = false }
        above = due
        if !g.stack[i].isDeleteMarker { newer += 1 }
      }
    }
    g.earliestDue = earliest
    g.duesAscending = ascending
    return earliest
  }

  /// The daily run at 00:00: every group with an action due acts on its state as of now.
  mutating func runLifecycle() {
    if options.dayByDay {
      _ = wake.popDue(now)
      for (id, _) in bucket.liveGroups where bucket.exists(id) { evaluate(id) }
      return
    }
    let due = wake.popDue(now)
    for (k, entry) in due.enumerated() {
      // Groups a few entries ahead start loading now, so that their cache misses overlap this one's work.
      if k + 16 < due.count { bucket.prefetchGroup(due[k + 16].group) }
      if k + 8 < due.count { bucket.prefetchStack(due[k + 8].group, for: .expiry) }
      guard bucket.exists(entry.group) && bucket[entry.group].generation == entry.generation else { continue }
      bucket[entry.group].wakeAt = .min  // taken
      evaluate(entry.group)
      // Its next wake-up is worked out now, while its stack is in cache, not after the whole night's
      // run; a later change to it that night marks it again.
      if isDirty[entry.group] {
        isDirty[entry.group] = false
        flushWake(entry.group)
        // Settled: its mark comes off the list too (usually the last one; the event's end skips any other).
        if dirty.last == entry.group { dirty.removeLast() }
      }
    }
    wake.recycle(due)
  }

  /// The usual night: nothing due on the group but noncurrent-version expirations.
  ///
  /// Each expiring slot is removed by the rule `LifecycleEvaluator.decide` would pick (the earliest
  /// due, the first rule on a tie), bottom slot first, as `evaluate` does, without building
  /// candidates, rule names or sets. Returns false, having changed nothing, when anything else is due.
  private mutating func expireNoncurrentOnly(_ gid: Int) -> Bool {
    let bottomUp = bucket[gid].duesAscending && !countRules
    if bottomUp, let topDue = bucket[gid].stack.topDue, topDue <= now.seconds { return false }
    if bottomUp, let r = bucket[gid].prefixRules.first, bucket[gid].prefixRules.count == 1, rules[r].noncurrentTransitions.isEmpty {
      // One rule, without noncurrent transitions: its expiration is the only action a noncurrent
      // slot can have, so the slots whose known due time has come go, without a look at the rule.
      let expiring = bucket[gid].stack.noncurrentDueFromBottom(by: now.seconds)
      guard expiring > 0 else {
        wokenEarly(gid)
        return true
      }
      removeBottomSlots(gid, count: expiring, expiredBy: r)
      return true
    }
    var picks = expirationScratch
    expirationScratch = []
    defer {
      picks.removeAll(keepingCapacity: true)
      expirationScratch = picks
    }
    var other = false
    var lastDue = Int64.min  // the due time of the last pick's rule
    var later = Int64.max  // not needed here: a night of expirations keeps the earliest known
    LifecycleEvaluator.forEachCandidate(
      stack: bucket[gid].stack, rules: rules, ruleIndices: bucket[gid].prefixRules, config: lifecycle, dueBy: now,
      bottomUpWhileDue: bottomUp, later: &later
    ) { slot, _, due, r, kind in
      guard due <= now else { return true }
      guard case .deleteNoncurrent = kind else {
        other = true  // the general path takes the night; no need to look further
        return false
      }
      let reason = RemovalReason.lifecycle(rule: rules[r].id, .noncurrentVersionExpiration)
      if picks.last?.index == slot {
        if due.seconds < lastDue {
          picks[picks.count - 1].reason = reason
          lastDue = due.seconds
        }
      } else {
        picks.append((slot, reason))
        lastDue = due.seconds
      }
      return true
    }
    guard !other else { return false }
    guard !picks.isEmpty else {
      wokenEarly(gid)
      return true
    }
    // Candidates come top slot first (unless found from the bottom up); removals go bottom first.
    if !bottomUp { picks.reverse() }
    removeNoncurrentSlots(gid, picks)
    if bucket.exists(gid) { scheduleWake(gid) }
    return true
  }

  /// Nothing was due after all (the earliest known due time was a lower bound): the whole stack
  /// is looked at again.
  private mutating func wokenEarly(_ gid: Int) {
    bucket[gid].earliestDue = nil
    bucket[gid].duesAscending = false
    scheduleWake(gid)
  }

  mutating func evaluate(_ gid: Int) {
    // The baseline takes the general path below for every group: it checks this one.
    if !options.dayByDay && expireNoncurrentOnly(gid) { return }
    let watched = bucket[gid].watched
    // Decide on the state as it stands, without holding a copy of the group while it changes.
    var later = Int64.max  // the earliest due time of the slots with nothing due tonight
    let decided = LifecycleEvaluator.decide(
      LifecycleEvaluator.candidates(
        stack: bucket[gid].stack, rules: rules, ruleIndices: bucket[gid].prefixRules, config: lifecycle,
        dueBy: options.dayByDay ? nil : now, later: &later),  // the baseline looks at every version, cached or not
      stack: bucket[gid].stack, versioning: versioning, now: now)
    guard !decided.isEmpty else {
      wokenEarly(gid)
      return
    }
    // Every slot with something due tonight is acted on below (removed, moved, or given a marker
    // above it) and has its due time worked out again; the others keep theirs. So the earliest of
    // theirs is a bound the actions only lower, and the next wake-up needs no look at the whole stack.
    if !options.dayByDay && !countRules && later != .min {
      bucket[gid].earliestDue = later
      bucket[gid].duesAscending = false
    }
    // A marker due on a slot where only some parts move today: those keys' histories part here.
    // `decide` lists a slot's actions together, the whole-slot one first.
    let partMoves = zip(decided, decided.dropFirst()).first { $0.slot == $1.slot && $0.part < 0 && $1.part >= 0 }
    if let slot = partMoves?.0.slot {
      let count = bucket[gid].count
      var labels = [Int](repeating: -1, count: count)
      for (k, part) in bucket[gid].stack[slot].parts.enumerated() {
        for p in part.positions ?? Array(0..<count) { labels[p] = k }
      }
      for id in split(gid, by: labels) { evaluate(id) }
      return
    }
    let bySerial = decided.map { (serial: bucket[gid].stack[$0.slot].serial, part: $0.part, action: $0.action) }
    // Serials grow from the bottom of the stack to the top, so a slot is found by bisection.
    func index(_ serial: UInt64) -> Int? {
      guard bucket.exists(gid) else { return nil }
      var lo = 0, hi = bucket[gid].stack.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if bucket[gid].stack[mid].serial < serial { lo = mid + 1 } else { hi = mid }
      }
      return lo < bucket[gid].stack.count && bucket[gid].stack[lo].serial == serial ? lo : nil
    }
    var expired: [(index: Int, reason: RemovalReason)] = []
    for d in bySerial {
      // `decide` gives a slot at most one whole-slot action: one removal per slot.
      if case .deleteNoncurrent(let rule) = d.action, let i = index(d.serial) {
        expired.append((i, .lifecycle(rule: rule, .noncurrentVersionExpiration)))
      }
    }
    removeNoncurrentSlots(gid, expired)
    for d in bySerial {
      if case .removeDeleteMarker(let rule) = d.action, let i = index(d.serial) {
        removeSlot(gid, at: i, reason: .lifecycle(rule: rule, .expiredObjectDeleteMarker))
      }
    }
    for d in bySerial {
      if case .transition(let to, let rule) = d.action, let i = index(d.serial) { transitionSlot(gid, at: i, part: d.part, to: to, rule: rule) }
    }
    for d in bySerial {
      guard case .expireCurrent(let rule) = d.action, let i = index(d.serial) else { continue }
      let reason = RemovalReason.lifecycle(rule: rule, .expiration)
      switch versioning {
      case .disabled:
        removeSlot(gid, at: i, reason: reason)
      case .enabled, .suspended:
        if versioning == .suspended { removeNullVersions(gid, reason: reason) }
        let marker = VersionSlot(
          serial: nextSerial, isNull: versioning == .suspended, isDeleteMarker: true, createdAt: now, retainUntil: nil, tags: [],
          origin: -1, parts: [])
        nextSerial += 1
        if watched { trace.append(TraceEntry(time: now, version: marker.serial, kind: .deleteMarkerCreated(rule: rule))) }
        push(gid, marker)
      }
    }
    if bucket.exists(gid) { scheduleWake(gid) }
  }
}
