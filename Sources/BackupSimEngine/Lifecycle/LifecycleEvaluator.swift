import BackupSimModel

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
  /// The part a transition moves; -1 for actions on the whole slot.
  var part: Int = -1
  var due: SimTime
  var action: LifecycleAction
}

/// What a group's rules can do, worked out once for its rule set, so that an upload's due times
/// are found without walking the rules (most groups have one plain NoncurrentDays rule).
struct RulePlan: Equatable, Sendable {
  /// No rule has Expiration or Transitions: nothing is ever due on a current version.
  var nothingForCurrent: Bool
  /// The NoncurrentDays of the group's only rule, when that rule does nothing else to a noncurrent
  /// version (no tag or size filter, no NewerNoncurrentVersions, no noncurrent transitions).
  var plainNoncurrentDays: Int?

  /// Makes no promise: every due time is worked out from the rules.
  static let general = RulePlan(nothingForCurrent: false, plainNoncurrentDays: nil)

  init(nothingForCurrent: Bool, plainNoncurrentDays: Int?) {
    self.nothingForCurrent = nothingForCurrent
    self.plainNoncurrentDays = plainNoncurrentDays
  }

  init(rules: [LifecycleRule], indices: [Int]) {
    nothingForCurrent = indices.allSatisfy { rules[$0].expiration == nil && rules[$0].transitions.isEmpty }
    plainNoncurrentDays = nil
    guard indices.count == 1 else { return }
    let rule = rules[indices[0]]
    if let nve = rule.noncurrentExpiration, (nve.newerNoncurrentVersions ?? 0) == 0, rule.noncurrentTransitions.isEmpty,
      rule.filter.tags.isEmpty, !rule.filter.hasSizeBound
    {
      plainNoncurrentDays = nve.noncurrentDays
    }
  }
}

/// The lifecycle rules as pure functions of a version stack and a time (docs/s3-rules.md §2.5–§2.8).
enum LifecycleEvaluator {
  /// The first 00:00 UTC strictly after `base + days` (docs/s3-rules.md §2.5; `days = 0` gives the
  /// midnight following creation, as AWS documents for `Transition Days=0`).
  static func dueDate(base: SimTime, days: Int) -> SimTime {
    (base + Int64(days) * SimTime.secondsPerDay).nextMidnight
  }

  /// When a `Days`/`Date` action on a version created at `created` is due.
  ///
  /// A `Date` keeps
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
    if rule.filter.hasSizeBound || size >= StorageClass.lifecycleMinimumTransitionSize { return true }
    switch config.transitionDefaultMinimumObjectSize {
    case .allStorageClasses128K: return false
    case .variesByStorageClass: return target.isArchive
    }
  }

  /// What a candidate does, without the rule's name (the hot loop never builds strings).
  enum Kind {
    case expireCurrent, deleteNoncurrent, removeDeleteMarker
    case transition(StorageClass)
  }

  /// Every action any rule could take on the stack as it stands, each with its due time.
  ///
  /// Time-independent conditions (a delete marker being the only version, the count of newer
  /// noncurrent versions, the transition waterfall) are decided here on the current shape, so
  /// the result stays valid until the stack changes. Object Lock moves a permanent deletion of a
  /// locked version to the first run at or after its retain-until date.
  static func candidates(
    stack: VersionStack, rules: [LifecycleRule], ruleIndices: [Int], config: LifecycleConfiguration,
    dueBy: SimTime? = nil
  ) -> [LifecycleCandidate] {
    var later = Int64.max
    return candidates(stack: stack, rules: rules, ruleIndices: ruleIndices, config: config, dueBy: dueBy, later: &later)
  }

  /// The same, also giving in `later` the earliest cached due time of the slots skipped for being
  /// due after `dueBy` (`Int64.min` when a slot looked at had none cached).
  static func candidates(
    stack: VersionStack, rules: [LifecycleRule], ruleIndices: [Int], config: LifecycleConfiguration,
    dueBy: SimTime?, later: inout Int64
  ) -> [LifecycleCandidate] {
    var out: [LifecycleCandidate] = []
    forEachCandidate(stack: stack, rules: rules, ruleIndices: ruleIndices, config: config, dueBy: dueBy, later: &later) {
      slot, part, due, r, kind in
      let id = rules[r].id
      let action: LifecycleAction
      switch kind {
      case .expireCurrent: action = .expireCurrent(rule: id)
      case .deleteNoncurrent: action = .deleteNoncurrent(rule: id)
      case .removeDeleteMarker: action = .removeDeleteMarker(rule: id)
      case .transition(let c): action = .transition(to: c, rule: id)
      }
      out.append(LifecycleCandidate(slot: slot, part: part, due: due, action: action))
      return true
    }
    return out
  }

  /// Calls `body(slot, part, due, rule index, kind)` for every candidate; `part` is -1 for whole-slot actions.
  ///
  /// Once `body` returns false, the walk ends after the slot at hand. `later` gets the earliest
  /// cached due time of the slots skipped for being due after `dueBy` (`Int64.min` when a slot
  /// looked at had none cached). The count of newer noncurrent versions given to `body` is 0 when
  /// none of the rules tests it.
  ///
  /// With `dueBy`, slots whose cached due time is later are skipped (they have nothing due then).
  /// With `bottomUpWhileDue` too, the noncurrent slots are visited from the bottom up and only
  /// while their cached due times are at or before `dueBy`: for a stack whose noncurrent due times
  /// are known and rise (`KeyGroup.duesAscending`), no rule counting newer versions, and a top slot
  /// with nothing due. The slot's count of newer versions is then given as 0.
  @inline(__always)
  static func forEachCandidate(
    stack: VersionStack, rules: [LifecycleRule], ruleIndices: [Int], config: LifecycleConfiguration, dueBy: SimTime?,
    bottomUpWhileDue: Bool = false, later: inout Int64, _ body: (Int, Int, SimTime, Int, Kind) -> Bool
  ) {
    guard !stack.isEmpty else { return }
    let top = stack.count - 1
    var going = true
    let unknown = VersionStack.unknown
    if bottomUpWhileDue, let limit = dueBy {
      stack.withUnsafeBufferPointer { slots in
        stack.withDues { dues in
          rules.withUnsafeBufferPointer { rs in
            var i = 0
            while going, i < top, dues[i] != unknown, dues[i] <= limit.seconds {
              forEachCandidate(at: i, newerNoncurrent: 0, slots: slots, rules: rs, ruleIndices: ruleIndices, config: config) {
                if going { going = body($0, $1, $2, $3, $4) }
              }
              i += 1
            }
          }
        }
      }
      return
    }
    var newerNoncurrent = 0  // noncurrent object versions (not delete markers) above the slot
    // Counted only for rules that test it: counting reads every slot, which the due times alone do not.
    let counts = ruleIndices.contains { r in
      rules[r].noncurrentExpiration?.newerNoncurrentVersions != nil || rules[r].noncurrentTransitions.contains { $0.newerNoncurrentVersions != nil }
    }
    stack.withUnsafeBufferPointer { slots in
      stack.withDues { dues in
        rules.withUnsafeBufferPointer { rs in
          var i = top
          while going && i >= 0 {
            if let limit = dueBy, dues[i] != unknown, dues[i] > limit.seconds {
              later = min(later, dues[i])  // nothing on this slot is due yet
            } else {
              if dues[i] == unknown { later = .min }
              forEachCandidate(at: i, newerNoncurrent: newerNoncurrent, slots: slots, rules: rs, ruleIndices: ruleIndices, config: config) {
                if going { going = body($0, $1, $2, $3, $4) }
              }
            }
            if counts && i < top && !slots[i].isDeleteMarker { newerNoncurrent += 1 }
            i -= 1
          }
        }
      }
    }
  }

  /// The earliest due time of any action on slot `i` (Int64.max: none), given how many noncurrent
  /// object versions are above it.
  ///
  /// Depends only on the slot, its successor, its place and that count,
  /// so the engine caches it per slot and recomputes it when one of those changes.
  /// `slotDue` for a noncurrent slot under a plan's plain NoncurrentDays rule: its successor's
  /// time plus the days, or the end of its retention when later (as `forEachCandidate`).
  @inline(__always)
  static func plainNoncurrentDue(_ stack: VersionStack, at i: Int, days: Int) -> Int64 {
    var due = dueDate(base: stack[i + 1].createdAt, days: days)
    if let until = stack[i].retainUntil, until > due { due = until.midnightAtOrAfter }
    return due.seconds
  }

  static func slotDue(
    _ stack: VersionStack, at i: Int, newerNoncurrent: Int, rules: [LifecycleRule], ruleIndices: [Int], config: LifecycleConfiguration
  ) -> Int64 {
    var due = Int64.max
    stack.withUnsafeBufferPointer { slots in
      rules.withUnsafeBufferPointer { rs in
        forEachCandidate(at: i, newerNoncurrent: newerNoncurrent, slots: slots, rules: rs, ruleIndices: ruleIndices, config: config) {
          _, _, d, _, _ in due = min(due, d.seconds)
        }
      }
    }
    return due
  }

  @inline(__always)
  static func forEachCandidate(
    at i: Int, newerNoncurrent: Int, slots: UnsafeBufferPointer<VersionSlot>, rules rs: UnsafeBufferPointer<LifecycleRule>,
    ruleIndices: [Int], config: LifecycleConfiguration, _ body: (Int, Int, SimTime, Int, Kind) -> Void
  ) {
    let top = slots.count - 1
    let isMarker = slots[i].isDeleteMarker
    for r in ruleIndices {
      guard rs[r].filter.tags.isEmpty || rs[r].filter.matchesTags(slots[i].tags) else { continue }
      // Whole-slot actions: groups are split on the size filters of rules that delete, so any
      // part's size stands for all; transitions test each part below.
      let wholeSlotMatches = isMarker || !rs[r].filter.hasSizeBound || rs[r].filter.matchesSize(slots[i].representativeSize)
      let created = slots[i].createdAt
      if i == top {
        if isMarker {
          guard slots.count == 1, let exp = rs[r].expiration else { continue }
          switch exp {
          case .expiredObjectDeleteMarker: body(i, -1, created.nextMidnight, r, .removeDeleteMarker)
          case .after(let when): body(i, -1, dueDate(created: created, when: when), r, .removeDeleteMarker)
          }
        } else {
          if case .after(let when)? = rs[r].expiration, wholeSlotMatches {
            body(i, -1, dueDate(created: created, when: when), r, .expireCurrent)
          }
          guard !rs[r].transitions.isEmpty else { continue }
          for p in 0..<slots[i].partCount where rs[r].filter.matchesSize(slots[i].partSize(p)) {
            let cls = slots[i].partClass(p), size = slots[i].partSize(p)
            for t in rs[r].transitions
            where cls.canTransition(to: t.storageClass) && sizeAllowsTransition(size: size, to: t.storageClass, rule: rs[r], config: config) {
              body(i, p, dueDate(created: created, when: t.when), r, .transition(t.storageClass))
            }
          }
        }
      } else {
        let successor = slots[i + 1].createdAt
        if let nve = rs[r].noncurrentExpiration, wholeSlotMatches, newerNoncurrent >= (nve.newerNoncurrentVersions ?? 0) {
          var due = dueDate(base: successor, days: nve.noncurrentDays)
          if let until = slots[i].retainUntil, until > due { due = until.midnightAtOrAfter }
          body(i, -1, due, r, .deleteNoncurrent)
        }
        guard !isMarker, !rs[r].noncurrentTransitions.isEmpty else { continue }
        for p in 0..<slots[i].partCount where rs[r].filter.matchesSize(slots[i].partSize(p)) {
          let cls = slots[i].partClass(p), size = slots[i].partSize(p)
          for t in rs[r].noncurrentTransitions
          where newerNoncurrent >= (t.newerNoncurrentVersions ?? 0) && cls.canTransition(to: t.storageClass)
            && sizeAllowsTransition(size: size, to: t.storageClass, rule: rs[r], config: config)
          {
            body(i, p, dueDate(base: successor, days: t.noncurrentDays), r, .transition(t.storageClass))
          }
        }
      }
    }
  }

  /// The actions the daily run at `now` takes, by AWS's precedence (§2.7): permanent deletion,
  /// then transition (the cheapest class), then a delete marker.
  ///
  /// At most one action per part: a whole-slot action has `part` -1. When a delete marker is due
  /// and only some parts of the slot have a transition due, both are returned; the keys then no
  /// longer share a history and the caller splits the group before acting.
  static func decide(
    _ candidates: [LifecycleCandidate], stack: VersionStack, versioning: VersioningState, now: SimTime
  ) -> [(slot: Int, part: Int, action: LifecycleAction)] {
    // The usual night: one action due on one version, nothing to weigh it against.
    if candidates.count == 1, let c = candidates.first {
      return c.due <= now ? [(c.slot, c.part, c.action)] : []
    }
    // The due candidates by slot, then part (whole-slot actions, part -1, first), then as given: each
    // (slot, part) is one run, and its first candidate that no later one precedes acts. Sorted
    // positions rather than hashed tables: a night has a handful of candidates, a rule change many.
    var due = candidates.indices.filter { candidates[$0].due <= now }
    due.sort { (candidates[$0].slot, candidates[$0].part, $0) < (candidates[$1].slot, candidates[$1].part, $1) }
    var out: [(slot: Int, part: Int, action: LifecycleAction)] = []
    var k = 0
    while k < due.count {
      let slot = candidates[due[k]].slot
      var whole: LifecycleCandidate?
      let firstTransition = out.count
      while k < due.count && candidates[due[k]].slot == slot {
        let part = candidates[due[k]].part
        var best = candidates[due[k]]
        k += 1
        while k < due.count && candidates[due[k]].slot == slot && candidates[due[k]].part == part {
          if precedes(candidates[due[k]], best, stack: stack, versioning: versioning) { best = candidates[due[k]] }
          k += 1
        }
        if part < 0 { whole = best } else { out.append((slot, part, best.action)) }
      }
      guard let w = whole else { continue }
      let transitions = out.count - firstTransition
      if rank(w, stack: stack, versioning: versioning).0 == 0 || transitions == 0 {
        out.removeSubrange(firstTransition...)
        out.append((slot, -1, w.action))  // deletion beats everything; a marker with nothing to move
      } else if transitions == stack[slot].partCount {
        // every version moves instead of getting a marker today
      } else {
        out.insert((slot, -1, w.action), at: firstTransition)
      }
    }
    return out
  }

  private static func rank(_ c: LifecycleCandidate, stack: VersionStack, versioning: VersioningState) -> (Int, Int, SimTime) {
    switch c.action {
    case .deleteNoncurrent, .removeDeleteMarker: return (0, 0, c.due)
    case .expireCurrent:
      let permanent = versioning == .disabled || (versioning == .suspended && stack[c.slot].isNull)
      return (permanent ? 0 : 2, 0, c.due)
    case .transition(let to, _): return (1, to.transitionPreference, c.due)
    }
  }

  private static func precedes(_ a: LifecycleCandidate, _ b: LifecycleCandidate, stack: VersionStack, versioning: VersioningState) -> Bool {
    let ra = rank(a, stack: stack, versioning: versioning), rb = rank(b, stack: stack, versioning: versioning)
    return (ra.0, ra.1, ra.2.seconds) < (rb.0, rb.1, rb.2.seconds)
  }
}
