import BackupSimModel

/// The bucket an S3 Inventory report lists, put in place before the first event.
///
/// Keys whose histories lifecycle cannot tell apart share a key group: same job pattern, same
/// rules matching, and, slot by slot, the same kind (version, `null` version, delete marker),
/// class, UTC day written, side of every size cut, lock date, restore point and, where a
/// minimum-duration charge is still possible, the same date it entered its class. Every due date
/// is a function of those (an action is due at a midnight, so the time of day drops out), which is
/// why the grouped run equals the per-object one.
extension Simulation {
  mutating func seedStartingState() {
    guard let state = scenario.startingState else { return }
    let start = scenario.start
    let origins = makeRestorePoints(state)
    let enabled = rules.indices.filter { rules[$0].enabled }
    // Past the horizon: what a legal hold (no end date) becomes, without overflowing due-date sums.
    let holdUntil = scenario.end + 3_650 * SimTime.secondsPerDay

    struct Builder {
      var pattern: Int32
      var prefixRules: [Int]
      var watched: Bool
      var members: [(index: Int, key: Int)] = []
    }
    var builders: [Builder] = []
    var bySignature: [[Int64]: Int] = [:]
    var bounds = [Int](repeating: 0, count: state.keys.count + 1)
    do {
      var k = 0
      for (i, v) in state.versions.enumerated() {
        while Int(v.key) >= k {
          bounds[k] = i
          k += 1
        }
      }
      while k <= state.keys.count {
        bounds[k] = state.versions.count
        k += 1
      }
    }
    var signature: [Int64] = []
    let patternIDs = state.patterns.map { bucket.intern($0) }
    let prefixes = rules.map { Array($0.filter.prefix.utf8) }
    for k in 0..<state.keys.count where bounds[k] < bounds[k + 1] {
      let origin = state.origins[k]
      let pid = patternIDs[Int(origin.pattern)]
      // Bytes, not String.hasPrefix: non-ASCII keys would be normalised on every comparison.
      let matching = state.keys.withBytes(k) { bytes in enabled.filter { bytes.starts(with: prefixes[$0]) } }
      let watched = options.watchKey.map { w in state.keys.withBytes(k) { $0.elementsEqual(w.utf8) } } ?? false
      signature.removeAll(keepingCapacity: true)
      signature.append(Int64(pid))
      signature.append(Int64(matching.count))
      signature += matching.map(Int64.init)
      if options.perObject || watched { signature.append(-1 - Int64(k)) }
      for i in bounds[k]..<bounds[k + 1] {
        let v = state.versions[i]
        signature.append(v.createdAt / SimTime.secondsPerDay)
        signature.append(Int64(v.flags & (StartingState.Version.isNull | StartingState.Version.isDeleteMarker)))
        signature.append(Int64(origins[i]))
        signature.append(v.retainUntil)
        guard !v.isMarker else { continue }
        signature.append(Int64(v.storageClass.index))
        signature.append(Int64(Self.signature(v.size, structuralCuts) * 1_000 + Self.signature(v.size, classCuts)))
        let since = classSince(state, version: i, last: bounds[k + 1] - 1, matching: matching)
        let minimum = Int64(scenario.prices[v.storageClass].minimumDays) * SimTime.secondsPerDay
        // A date from which no minimum-duration charge can arise any more does not matter.
        signature.append(since + minimum > start.seconds ? since : .min)
      }
      if let b = bySignature[signature] {
        builders[b].members.append((origin.index, k))
      } else {
        bySignature[signature] = builders.count
        builders.append(Builder(pattern: pid, prefixRules: matching, watched: watched, members: [(origin.index, k)]))
      }
    }
    bySignature = [:]

    for var b in builders {
      b.members.sort { $0.index < $1.index }
      let first = b.members[0].key
      let depth = bounds[first + 1] - bounds[first]
      let count = b.members.count
      var stack: [VersionSlot] = []
      stack.reserveCapacity(depth)
      for level in 0..<depth {
        let v = state.versions[bounds[first] + level]
        var slot = VersionSlot(
          serial: nextSerial, isNull: v.isNullVersion, isDeleteMarker: v.isMarker, createdAt: SimTime(seconds: v.createdAt),
          retainUntil: v.retainUntil == .max ? holdUntil : v.lockedUntil, tags: [], origin: origins[bounds[first] + level], parts: [])
        nextSerial += 1
        if !v.isMarker {
          let sizes = b.members.map { state.versions[bounds[$0.key] + level].size }
          let column: SizeColumn = sizes.allSatisfy { $0 == sizes[0] } ? .uniform(sizes[0]) : .perKey(sizes)
          let since = classSince(
            state, version: bounds[first] + level, last: bounds[first + 1] - 1, matching: b.prefixRules)
          slot.parts = [SlotPart(positions: nil, count: count, storageClass: v.storageClass, classSince: SimTime(seconds: since), sizes: column)]
          if v.storageClass == .intelligentTiering {
            // Its access tier follows from the time since it entered the class, as for a new upload: the
            // inventory's IntelligentTieringAccessTier column is not read (backups are assumed unread).
            let key = bucket.key(pattern: b.pattern, index: b.members[0].index)
            slot.parts[0].access = AccessSchedule(scenario.bucket.intelligentTiering, key: key, tags: [])
          }
        }
        stack.append(slot)
      }
      let indices = RangeList.from(sorted: b.members.map(\.index))
      var group = KeyGroup(pattern: b.pattern, indices: indices, count: count, prefixRules: b.prefixRules, stack: VersionStack(stack))
      group.plan = RulePlan(rules: rules, indices: b.prefixRules)
      group.watched = b.watched
      for (level, slot) in stack.enumerated() {
        if slot.isDeleteMarker {
          bucket.deleteMarkers += count
        } else {
          if level == depth - 1 { bucket.currentVersions += count } else { bucket.noncurrentVersions += count }
          for p in slot.parts { store(p, sign: 1) }
        }
        if b.watched {
          let v = state.versions[bounds[first] + level]
          traceExisting(
            slot, successor: level + 1 < depth ? stack[level + 1] : nil, job: scenario.uploads[Int(state.origins[first].job)].name,
            mode: v.flags & StartingState.Version.compliance != 0 ? .compliance : .governance)
        }
      }
      let gid = bucket.add(group)
      let job = Int(state.origins[first].job)
      if job < state.inventoryJobs {
        let top = b.members[count - 1].index + 1
        written.record(b.pattern, job: job, count: top)
      }
      scheduleWake(gid)
    }
    builders = []
    flushWakes()
    // The run of lifecycle at `start` (00:00) is the first the report has not seen: actions already
    // due happen now, as S3's run at this midnight would do them.
    for (gid, g) in bucket.liveGroups where (g.earliestDue ?? .max) <= start.seconds && bucket.exists(gid) { evaluate(gid) }
    flushWakes()
  }

  /// Makes the existing versions' restore points and returns each version's point (-1 for markers).
  ///
  /// One restore point per run of the upload job whose template the key matches (the run is the
  /// latest firing of its schedule at or before the write), and per UTC day for the keys of the
  /// jobs added for prefixes no job writes.
  private mutating func makeRestorePoints(_ state: StartingState) -> [Int32] {
    struct Acc {
      var job: Int
      var runAt: Int64
      var writtenAt: Int64
      var versions = 0
      var bytes: Int64 = 0
      var coldest = StorageClass.standard
    }
    var accs: [Acc] = []
    var byRun: [Int64: [Int: Int]] = [:]  // runAt → job → acc
    var provisional = [Int32](repeating: -1, count: state.versions.count)
    var fires: [Int64: [Int64]] = [:]  // job × day → firings covering that day
    for (i, v) in state.versions.enumerated() where !v.isMarker {
      let job = Int(state.origins[Int(v.key)].job)
      var runAt = v.createdAt - (v.createdAt % SimTime.secondsPerDay + SimTime.secondsPerDay) % SimTime.secondsPerDay
      if job < state.inventoryJobs {
        runAt = lastFire(job: job, atOrBefore: v.createdAt, cache: &fires) ?? v.createdAt
      }
      let a: Int
      if let found = byRun[runAt]?[job] {
        a = found
      } else {
        a = accs.count
        accs.append(Acc(job: job, runAt: runAt, writtenAt: v.createdAt))
        byRun[runAt, default: [:]][job] = a
      }
      accs[a].versions += 1
      accs[a].bytes += v.size
      accs[a].writtenAt = max(accs[a].writtenAt, v.createdAt)
      accs[a].coldest = max(accs[a].coldest, v.storageClass)
      provisional[i] = Int32(a)
    }
    // Points are kept in write order (the coverage scan relies on it); the existing ones come first.
    let order = accs.indices.sorted { (accs[$0].writtenAt, accs[$0].job, accs[$0].runAt) < (accs[$1].writtenAt, accs[$1].job, accs[$1].runAt) }
    var final = [Int32](repeating: -1, count: accs.count)
    var runs = [Int](repeating: 0, count: scenario.uploads.count)
    for a in order where accs[a].job < scenario.uploads.count { runs[accs[a].job] -= 1 }
    for a in order {
      let acc = accs[a]
      final[a] = Int32(points.count)
      runs[acc.job] += 1
      // Existing runs are numbered up to 0, so the job's own runs go on from 1.
      points.append(
        RestorePoint(
          job: acc.job, run: runs[acc.job], writtenAt: SimTime(seconds: acc.writtenAt), versions: acc.versions, bytes: acc.bytes,
          alive: acc.versions, lostAt: nil, lostBy: nil, base: nil, coldest: (acc.coldest, SimTime(seconds: acc.writtenAt))))
      if acc.job < jobs.count { jobs[acc.job].lastPoint = Int32(points.count - 1) }
    }
    return provisional.map { $0 < 0 ? -1 : final[Int($0)] }
  }

  /// The latest firing of job `job`'s schedule at or before `t`, if one lies within a year.
  private func lastFire(job: Int, atOrBefore t: Int64, cache: inout [Int64: [Int64]]) -> Int64? {
    let day = t >= 0 ? t / SimTime.secondsPerDay : (t + 1) / SimTime.secondsPerDay - 1
    let slot = day * 1_024 + Int64(job % 1_024)
    var list = cache[slot]
    if list == nil || job >= 1_024 {
      let schedule = scenario.uploads[job].schedule
      let dayStart = day * SimTime.secondsPerDay
      var found: [Int64] = []
      for lookback: Int64 in [1, 8, 32, 370] {
        found = []
        var f = schedule.firstFire(atOrAfter: SimTime(seconds: dayStart - lookback * SimTime.secondsPerDay))
        while let x = f, x.seconds < dayStart + SimTime.secondsPerDay {
          found.append(x.seconds)
          f = schedule.nextFire(after: x)
        }
        if let first = found.first, first <= dayStart { break }
      }
      list = found
      if job < 1_024 { cache[slot] = found }
    }
    return list?.last { $0 <= t }
  }

  /// When an existing version entered its class (docs/s3-rules.md, "Starting from an inventory"):
  /// the due date of a lifecycle transition into that class that had come by the time the report
  /// was taken (a noncurrent transition first, for a noncurrent version), else LastModified.
  func classSince(_ state: StartingState, version i: Int, last: Int, matching: [Int]) -> Int64 {
    let v = state.versions[i]
    guard v.storageClass != .standard else { return v.createdAt }
    let taken = state.takenAt
    let created = SimTime(seconds: v.createdAt)
    var best: SimTime?
    if i < last {
      let successor = SimTime(seconds: state.versions[i + 1].createdAt)
      for r in matching where rules[r].filter.tags.isEmpty && rules[r].filter.matchesSize(v.size) {
        for t in rules[r].noncurrentTransitions where t.storageClass == v.storageClass {
          let due = LifecycleEvaluator.dueDate(base: successor, days: t.noncurrentDays)
          if due <= taken { best = min(best ?? due, due) }
        }
      }
      if let best { return best.seconds }
    }
    for r in matching where rules[r].filter.tags.isEmpty && rules[r].filter.matchesSize(v.size) {
      for t in rules[r].transitions where t.storageClass == v.storageClass {
        let due = LifecycleEvaluator.dueDate(created: created, when: t.when)
        if due <= taken { best = min(best ?? due, due) }
      }
    }
    return best?.seconds ?? v.createdAt
  }

  private mutating func traceExisting(_ slot: VersionSlot, successor: VersionSlot?, job: String, mode: ObjectLockMode) {
    if !slot.isDeleteMarker {
      let cls = slot.parts.first?.storageClass ?? .standard
      let kind: TraceEntry.Kind =
        slot.isNull
        ? .uploadedNull(storageClass: cls, bytes: slot.totalBytes, job: job, run: points[Int(slot.origin)].run)
        : .uploaded(storageClass: cls, bytes: slot.totalBytes, job: job, run: points[Int(slot.origin)].run)
      trace.append(TraceEntry(time: slot.createdAt, version: slot.serial, kind: kind))
      if let until = slot.retainUntil {
        trace.append(TraceEntry(time: slot.createdAt, version: slot.serial, kind: .locked(until: until, mode: mode)))
      }
    }
    if let s = successor { trace.append(TraceEntry(time: s.createdAt, version: slot.serial, kind: .becameNoncurrent(successor: s.serial))) }
  }
}
