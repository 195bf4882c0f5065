import BackupSimModel
import Foundation

/// The attacker's moves, on the same bucket, ledger and clock as everything else.
extension Simulation {
  /// The attacker acts at `a.at` on every key any job wrote before (it knows them all).
  mutating func attack(_ a: AttackAction) {
    let known = written.patterns
    switch a.strategy {
    case .overwrite, .flood, .suspendVersioning:
      if a.strategy == .suspendVersioning { versioning = .suspended }
      for pid in known {
        guard let info = written[pid], a.mayPut(bucket.key(pattern: pid, index: 0)) else { continue }
        let copies = a.strategy == .flood ? floodCopies(pattern: pid) : 1
        let job = scenario.uploads[info.job]
        let size: Int64
        switch job.size {
        case .fixed(let s): size = s
        case .lognormal(let median, _): size = median
        }
        for _ in 0..<copies {
          ledger.countPuts(job.storageClass, Self.putRequests(size: size) * Int64(info.count))
          write(
            patternID: pid, count: info.count, sizes: .uniform(size), storageClass: job.storageClass, tagSet: 0,
            origin: -1, writer: .attacker)
        }
      }
    case .delete:
      for pid in known where a.mayDelete(bucket.key(pattern: pid, index: 0)) {
        for gid in bucket.groupIDs(pattern: pid) { deleteObject(gid) }
      }
    case .deleteVersions:
      for pid in known where a.mayDeleteVersions(bucket.key(pattern: pid, index: 0)) {
        for gid in bucket.groupIDs(pattern: pid) {
          var i = bucket[gid].stack.count - 1
          while i >= 0, bucket.exists(gid) {
            let slot = bucket[gid].stack[i]
            let locked = slot.retainUntil.map { $0 > now } ?? false
            let bypass = scenario.bucket.objectLock?.mode == .governance && a.bypassGovernance
            if !locked || bypass {
              removeSlot(gid, at: i, reason: .attacker(.deleteObjectVersion))
            } else if !a.listsVersions {
              break  // the older versions' IDs are unknown without a listing
            }
            i -= 1
          }
        }
      }
    case .tamperLifecycle:
      lifecycle = AttackAction.tamperedLifecycle
      rules = lifecycle.rules
      structuralCuts = []
      classCuts = []
      countRules = false
      for (id, _) in bucket.liveGroups {
        bucket[id].prefixRules = [0]
        bucket[id].plan = RulePlan(rules: rules, indices: [0])
        invalidateDues(id)
        scheduleWake(id)
      }
    case .costBomb:
      if let bomb = a.costBomb { costBombUpload(bomb) }
    }
  }

  /// N + 1 writes push a version out when the largest NewerNoncurrentVersions among the rules
  /// matching the key is N; without one, one write does.
  func floodCopies(pattern pid: Int32) -> Int {
    var n = 0
    let key = bucket.key(pattern: pid, index: 0)
    for r in rules where r.enabled && r.filter.matchesKey(key) {
      n = max(n, r.noncurrentExpiration?.newerNoncurrentVersions ?? 0)
      for t in r.noncurrentTransitions { n = max(n, t.newerNoncurrentVersions ?? 0) }
    }
    return n + 1
  }

  /// DELETE without a version ID (§1.3): a marker when versioned; the object itself otherwise.
  mutating func deleteObject(_ gid: Int) {
    let reason = RemovalReason.attacker(.deleteObject)
    switch versioning {
    case .disabled:
      while bucket.exists(gid), let last = bucket[gid].stack.indices.last { removeSlot(gid, at: last, reason: reason) }
    case .enabled, .suspended:
      if versioning == .suspended { removeNullVersions(gid, reason: reason) }
      let marker = VersionSlot(
        serial: nextSerial, isNull: versioning == .suspended, isDeleteMarker: true, createdAt: now, retainUntil: nil, tags: [],
        origin: -1, parts: [])
      nextSerial += 1
      push(gid, marker)
      if feed != nil && versioning == .enabled {
        feed?.append(.marker(at: now, pattern: bucket.patterns[Int(bucket[gid].pattern)], group: bucket[gid]))
      }
    }
  }

  /// One hour of junk at the attacker's bandwidth, in 5 GiB objects, then the next hour's.
  mutating func costBombUpload(_ bomb: AttackAction.CostBomb) {
    let perHour = bomb.bytesPerSecond * 3600
    let objectSize: Int64 = 5 << 30
    let full = Int(perHour / objectSize), rest = perHour % objectSize
    let stamp = now.iso8601
    if full > 0 {
      ledger.countPuts(bomb.storageClass, Self.putRequests(size: objectSize) * Int64(full))
      write(
        pattern: "\(bomb.keyPrefix)\(stamp)/{i}", count: full, sizes: .uniform(objectSize), storageClass: bomb.storageClass, tagSet: 0, origin: -1,
        writer: .attacker)
    }
    if rest > 0 {
      ledger.countPuts(bomb.storageClass, Self.putRequests(size: rest))
      write(
        pattern: "\(bomb.keyPrefix)\(stamp)/rest", count: 1, sizes: .uniform(rest), storageClass: bomb.storageClass, tagSet: 0, origin: -1,
        writer: .attacker)
    }
    let next = now + 3600
    if next < bomb.until && next < scenario.end { queue.schedule(.attackUpload, at: next, priority: .normal) }
  }
}
