/// What lifecycle does to one version (one slot of a key group).
enum LifecycleAction: Equatable, Sendable {
  /// Expiration of a current version: a delete marker, or a permanent deletion when versioning
  /// is off (or suspended and the current version is the `null` one).
  case expireCurrent(rule: String)
  case transition(to: StorageClass, rule: String)
  /// NoncurrentVersionExpiration: permanent deletion of a noncurrent version or delete marker.
  case deleteNoncurrent(rule: String)
  /// Removal of a delete marker that is its key's only version.
  case removeDeleteMarker(rule: String)

  var ruleID: String {
    switch self {
    case .expireCurrent(let r), .transition(_, let r), .deleteNoncurrent(let r), .removeDeleteMarker(let r): return r
    }
  }
}

/// An action and the first daily run at which it may happen.
struct LifecycleCandidate: Equatable, Sendable {
  var slot: Int
  var due: SimTime
  var action: LifecycleAction
}

/// The lifecycle rules as pure functions of a version stack and a time (reference §2.5–§2.8).
enum LifecycleEvaluator {
  /// The first 00:00 UTC strictly after `base + days` (reference §2.5; `days = 0` gives the
  /// midnight following creation, as AWS documents for `Transition Days=0`).
  static func dueDate(base: SimTime, days: Int) -> SimTime {
    (base + Int64(days) * SimTime.secondsPerDay).nextMidnight
  }

  /// When a `Days`/`Date` action on a version created at `created` is due. A `Date` keeps
  /// applying after it passes: later objects are eligible at the next daily run.
  static func dueDate(created: SimTime, when: LifecycleRule.When) -> SimTime {
    switch when {
    case .days(let d): return dueDate(base: created, days: d)
    case .date(let date): return max(date, created.nextMidnight)
    }
  }

  /// Objects under 128 KiB are not transitioned unless a rule's size filter says otherwise (§2.8).
  static func sizeAllowsTransition(
    size: Int64, to target: StorageClass, rule: LifecycleRule, config: LifecycleConfiguration
  ) -> Bool {
    if rule.filter.hasSizeBound || size >= 131_072 { return true }
    switch config.transitionDefaultMinimumObjectSize {
    case .allStorageClasses128K: return false
    case .variesByStorageClass: return target.isArchive
    }
  }

  /// Every action any rule could take on the stack as it stands, each with its due time.
  ///
  /// Time-independent conditions (a delete marker being the only version, the count of newer
  /// noncurrent versions, the transition waterfall) are decided here on the current shape, so
  /// the result stays valid until the stack changes. Object Lock moves a permanent deletion of a
  /// locked version to the first run at or after its retain-until date.
  static func candidates(
    stack: [VersionSlot], rules: [LifecycleRule], ruleIndices: [Int], config: LifecycleConfiguration
  ) -> [LifecycleCandidate] {
    guard !stack.isEmpty else { return [] }
    var out: [LifecycleCandidate] = []
    let top = stack.count - 1
    var newerNoncurrent = 0  // noncurrent object versions (not delete markers) above the slot
    for i in stride(from: top, through: 0, by: -1) {
      let slot = stack[i]
      defer { if i < top && !slot.isDeleteMarker { newerNoncurrent += 1 } }
      for r in ruleIndices {
        let rule = rules[r]
        guard rule.filter.matchesTags(slot.tags) else { continue }
        if !slot.isDeleteMarker && !rule.filter.matchesSize(slot.representativeSize) { continue }
        if i == top {
          if slot.isDeleteMarker {
            guard stack.count == 1, let exp = rule.expiration else { continue }
            let due: SimTime
            switch exp {
            case .expiredObjectDeleteMarker: due = slot.createdAt.nextMidnight
            case .after(let when): due = dueDate(created: slot.createdAt, when: when)
            }
            out.append(LifecycleCandidate(slot: i, due: due, action: .removeDeleteMarker(rule: rule.id)))
          } else {
            if case .after(let when)? = rule.expiration {
              out.append(LifecycleCandidate(slot: i, due: dueDate(created: slot.createdAt, when: when), action: .expireCurrent(rule: rule.id)))
            }
            for t in rule.transitions
            where slot.storageClass.canTransition(to: t.storageClass)
              && sizeAllowsTransition(size: slot.representativeSize, to: t.storageClass, rule: rule, config: config)
            {
              out.append(LifecycleCandidate(slot: i, due: dueDate(created: slot.createdAt, when: t.when), action: .transition(to: t.storageClass, rule: rule.id)))
            }
          }
        } else {
          let successor = stack[i + 1].createdAt
          if let nve = rule.noncurrentExpiration, newerNoncurrent >= (nve.newerNoncurrentVersions ?? 0) {
            var due = dueDate(base: successor, days: nve.noncurrentDays)
            if let until = slot.retainUntil, until > due { due = until.midnightAtOrAfter }
            out.append(LifecycleCandidate(slot: i, due: due, action: .deleteNoncurrent(rule: rule.id)))
          }
          guard !slot.isDeleteMarker else { continue }
          for t in rule.noncurrentTransitions
          where newerNoncurrent >= (t.newerNoncurrentVersions ?? 0)
            && slot.storageClass.canTransition(to: t.storageClass)
            && sizeAllowsTransition(size: slot.representativeSize, to: t.storageClass, rule: rule, config: config)
          {
            out.append(LifecycleCandidate(slot: i, due: dueDate(base: successor, days: t.noncurrentDays), action: .transition(to: t.storageClass, rule: rule.id)))
          }
        }
      }
    }
    return out
  }

  /// The actions the daily run at `now` takes, at most one per slot, by AWS's precedence (§2.7):
  /// permanent deletion, then transition (the cheapest class), then a delete marker.
  static func decide(
    _ candidates: [LifecycleCandidate], stack: [VersionSlot], versioning: VersioningState, now: SimTime
  ) -> [(slot: Int, action: LifecycleAction)] {
    var best: [Int: LifecycleCandidate] = [:]
    for c in candidates where c.due <= now {
      if let b = best[c.slot], !precedes(c, b, stack: stack, versioning: versioning) { continue }
      best[c.slot] = c
    }
    return best.keys.sorted().compactMap { k in best[k].map { (k, $0.action) } }
  }

  /// The earliest run after `now` at which some candidate is due.
  static func nextWake(_ candidates: [LifecycleCandidate], after now: SimTime) -> SimTime? {
    var wake: SimTime?
    for c in candidates {
      let t = c.due > now ? c.due : now.nextMidnight
      if wake == nil || t < wake ?? t { wake = t }
    }
    return wake
  }

  private static func rank(_ c: LifecycleCandidate, stack: [VersionSlot], versioning: VersioningState) -> (Int, Int, SimTime) {
    switch c.action {
    case .deleteNoncurrent, .removeDeleteMarker: return (0, 0, c.due)
    case .expireCurrent:
      let permanent = versioning == .disabled || (versioning == .suspended && stack[c.slot].isNull)
      return (permanent ? 0 : 2, 0, c.due)
    case .transition(let to, _): return (1, to.transitionPreference, c.due)
    }
  }

  private static func precedes(_ a: LifecycleCandidate, _ b: LifecycleCandidate, stack: [VersionSlot], versioning: VersioningState) -> Bool {
    let ra = rank(a, stack: stack, versioning: versioning), rb = rank(b, stack: stack, versioning: versioning)
    return (ra.0, ra.1, ra.2.seconds) < (rb.0, rb.1, rb.2.seconds)
  }
}
