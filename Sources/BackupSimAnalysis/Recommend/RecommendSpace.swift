import BackupSimEngine
import BackupSimModel
import Foundation

/// One lifecycle transition of a candidate: to `storageClass` after `days` (NoncurrentDays for noncurrent versions).
public struct TransitionStep: Sendable, Hashable {
  public var storageClass: StorageClass
  public var days: Int
  public init(_ storageClass: StorageClass, _ days: Int) {
    self.storageClass = storageClass
    self.days = days
  }
}

/// The settings of a candidate that no search axis orders; each family is searched as its own lattice.
public struct RecommendFamily: Sendable, Hashable {
  public var versioning: VersioningState
  public var uploadClass: StorageClass
  /// Current-version transitions, by days.
  public var transitions: [TransitionStep]
  /// Noncurrent-version transitions, by NoncurrentDays.
  public var noncurrentTransitions: [TransitionStep]
  public var lockMode: ObjectLockMode
}

/// The configuration space `recommend` searches: families times six ordered axes.
///
/// The axes are ordered so that a step up never removes a version sooner nor lets an attacker do more:
/// expiration days, noncurrent days, newer noncurrent versions (absent = unlimited, last), Object Lock
/// days (0 = no lock, first), then the two bucket-policy statements (off, then on). Along every axis
/// `restorePoints` and `survivesAttack` can only go from failing to met, and the steady monthly cost
/// can only grow; the search relies on exactly these facts (see `RecommendSearch`).
public struct RecommendSpace: Sendable {
  public enum Axis: Int, CaseIterable, Sendable {
    case expiration, noncurrent, newer, lock, denyDestructive, conditionalWrites
  }

  public var families: [RecommendFamily]
  public var expirationDays: [Int?]
  public var noncurrentDays: [Int?]
  public var newerNoncurrentVersions: [Int?]
  public var lockDays: [Int]
  public var denyDestructive: [Bool]
  public var conditionalWrites: [Bool]
  public var lockModes: [ObjectLockMode]
  /// How many alternatives to list after the recommendation.
  public var alternatives: Int
  /// The prefix the recommended rule filters on: the literal start of every job's key, cut at its last "/".
  public var rulePrefix: String
  /// `axes(_:)` of each family, worked out once (`make` fills it; `prepared()` refreshes it after edits).
  public var familyAxes: [Axes] = []
  /// Set when the default space left out Expiration and current-version transitions: every job overwrites
  /// one fixed key at least this often (seconds), so a current version never lives long enough for them.
  public var overwrittenEvery: Int64?

  /// The space with `familyAxes` worked out for its current families and values.
  public func prepared() -> RecommendSpace {
    var s = self
    s.familyAxes = families.map(axes)
    return s
  }

  /// Every axis's values for one family, as indices are read: validity already applied.
  public struct Axes: Sendable {
    public var expiration: [Int?]
    public var noncurrent: [Int?]
    public var newer: [Int?]
    public var lock: [Int]
    public var denyDestructive: [Bool]
    public var conditionalWrites: [Bool]

    public var sizes: [Int] {
      [expiration.count, noncurrent.count, newer.count, lock.count, denyDestructive.count, conditionalWrites.count]
    }
  }

  /// The values each axis takes in `family`: Expiration must come after the last current transition and
  /// NoncurrentDays after the last noncurrent one (docs/s3-rules.md §2.4); an unversioned bucket has no
  /// noncurrent versions and cannot hold a lock.
  public func axes(_ family: RecommendFamily) -> Axes {
    let lastT = family.transitions.map(\.days).max()
    let lastNT = family.noncurrentTransitions.map(\.days).max()
    let versioned = family.versioning == .enabled
    return Axes(
      expiration: expirationDays.filter { d in d.map { $0 > (lastT ?? 0) } ?? true },
      noncurrent: versioned ? noncurrentDays.filter { d in d.map { $0 > (lastNT ?? 0) } ?? true } : [nil],
      newer: versioned ? newerNoncurrentVersions : [nil],
      lock: versioned ? lockDays : [0],
      denyDestructive: denyDestructive, conditionalWrites: conditionalWrites)
  }
}

/// One point of the space: a family and an index along each axis.
public struct RecommendCandidate: Sendable, Hashable, Comparable {
  public var family: Int
  public var index: [Int]

  public init(family: Int, index: [Int]) {
    self.family = family
    self.index = index
  }

  /// The search's tie order: family, then axis indices; a step up an axis always comes later.
  public static func < (a: Self, b: Self) -> Bool {
    if a.family != b.family { return a.family < b.family }
    return a.index.lexicographicallyPrecedes(b.index)
  }
}

/// A candidate's settings, read out of the space.
public struct RecommendSettings: Sendable, Equatable {
  public var family: RecommendFamily
  public var expirationDays: Int?
  public var noncurrentDays: Int?
  public var newerNoncurrentVersions: Int?
  public var lockDays: Int
  public var denyDestructive: Bool
  public var conditionalWrites: Bool
}

extension RecommendSpace {
  /// The default space for `scenario`, with `overrides` from a `--space` file applied.
  public static func make(for scenario: Scenario, overrides o: RecommendSpaceOverrides = RecommendSpaceOverrides()) -> RecommendSpace {
    let current = scenario.uploads.first?.storageClass ?? .standard
    let versioning = o.versioning ?? dedup([scenario.bucket.versioning == .suspended ? .enabled : scenario.bucket.versioning, .enabled])
    let uploads = o.uploadStorageClasses ?? dedup([current, .standard, .standardIA])
    // An action due d days after a version's creation never fires when a new version replaces it sooner
    // (due is strictly after creation + d days, §2.5): with every key overwritten at least daily,
    // Expiration and current-version transitions change nothing and only multiply the space.
    let overwritten = fixedKeyInterval(scenario).flatMap { $0 <= SimTime.secondsPerDay ? $0 : nil }
    // Current versions: cool down after a month, archive after a quarter or half a year.
    let t = o.transitions ?? (overwritten != nil ? [:] : [.standardIA: [30], .glacierIR: [30], .glacier: [90], .deepArchive: [180]])
    // Noncurrent versions are kept only in case: archive them from the first day, or after a month.
    let nt = o.noncurrentTransitions ?? [.standardIA: [30], .glacierIR: [1, 30], .glacier: [1, 30], .deepArchive: [1, 30]]
    let modes = o.lockModes ?? [.compliance]
    var families: [RecommendFamily] = []
    for v in versioning {
      for u in uploads {
        for w in waterfalls(t, noncurrent: false) {
          for nw in v == .enabled ? waterfalls(nt, noncurrent: true) : [[]] {
            for m in v == .enabled ? modes : [modes[0]] {
              families.append(RecommendFamily(versioning: v, uploadClass: u, transitions: w, noncurrentTransitions: nw, lockMode: m))
            }
          }
        }
      }
    }
    // Conditional writes refuse every PUT without If-None-Match: only jobs that write new keys each run can send it.
    let freshKeys = scenario.uploads.allSatisfy { $0.key.parts.contains { $0 == .date || $0 == .datetime || $0 == .run } }
    return RecommendSpace(
      families: families,
      expirationDays: o.expirationDays ?? (overwritten != nil ? [nil] : [1, 7, 14, 30, 60, 90, 180, 365, 730, nil]),
      noncurrentDays: o.noncurrentDays ?? [1, 7, 14, 30, 60, 90, 180, 365, nil],
      newerNoncurrentVersions: o.newerNoncurrentVersions ?? [1, 7, 30, nil],
      lockDays: (o.lockDays ?? [0, 7, 14, 30, 60, 90, 180, 365]).sorted(),
      // The policy statements only stop attacks: without an attack to play they change nothing.
      denyDestructive: (o.denyDestructive ?? (scenario.attack != nil ? [false, true] : [false])).sorted { !$0 && $1 },
      conditionalWrites: (o.conditionalWrites ?? (freshKeys && scenario.attack != nil ? [false, true] : [false])).sorted { !$0 && $1 },
      lockModes: modes, alternatives: o.alternatives ?? 4, rulePrefix: commonPrefix(scenario.uploads.map(\.key)),
      familyAxes: [], overwrittenEvery: o.expirationDays == nil && o.transitions == nil ? overwritten : nil
    ).prepared()
  }

  /// The longest time between two writes of a job, when every job writes one fixed key (nil otherwise).
  static func fixedKeyInterval(_ scenario: Scenario) -> Int64? {
    var longest: Int64 = 0
    for job in scenario.uploads {
      guard job.key.parts.allSatisfy({ if case .literal = $0 { return true } else { return false } }) else { return nil }
      guard var t = job.schedule.firstFire(atOrAfter: scenario.start) else { return nil }
      // The gaps of a year of fires bound those of any calendar schedule.
      for _ in 0..<400 {
        guard let n = job.schedule.nextFire(after: t), n < scenario.end else { break }
        longest = max(longest, n - t)
        t = n
      }
    }
    return scenario.uploads.isEmpty || longest == 0 ? nil : longest
  }

  static func dedup<T: Equatable>(_ xs: [T]) -> [T] {
    var out: [T] = []
    for x in xs where !out.contains(x) { out.append(x) }
    return out
  }

  /// The literal text every key starts with, up to and including its last "/" ("" when they share none).
  static func commonPrefix(_ keys: [KeyTemplate]) -> String {
    let literals = keys.map { k -> String in
      guard case .literal(let l) = k.parts.first else { return "" }
      return l
    }
    guard var p = literals.first else { return "" }
    for l in literals.dropFirst() { p = String(zip(p, l).prefix { $0 == $1 }.map(\.0)) }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    return String(p[...slash])
  }

  /// Every valid set of transitions built from `days` per class (none included), ordered by days.
  ///
  /// Valid as PutBucketLifecycleConfiguration checks it (docs/s3-rules.md §2.4, §2.9): each class at most
  /// once, a later transition must be allowed from every earlier one's class, and for current versions an
  /// archive class comes at least 30 days after an infrequent-access one. Two transitions on the same day
  /// are valid but left out: the cheaper class wins (§2.7), so the other would do nothing.
  public static func waterfalls(_ days: [StorageClass: [Int]], noncurrent: Bool) -> [[TransitionStep]] {
    var out: [[TransitionStep]] = [[]]
    for cls in days.keys.sorted(by: { $0.rank < $1.rank }) {
      var next = out
      for w in out {
        for d in days[cls] ?? [] {
          let steps = (w + [TransitionStep(cls, d)]).sorted { ($0.days, $0.storageClass.rank) < ($1.days, $1.storageClass.rank) }
          if isValid(steps, noncurrent: noncurrent) { next.append(steps) }
        }
      }
      out = next
    }
    return out
  }

  static func isValid(_ steps: [TransitionStep], noncurrent: Bool) -> Bool {
    for (i, later) in steps.enumerated() {
      for earlier in steps[..<i] {
        if earlier.days == later.days || !earlier.storageClass.canTransition(to: later.storageClass) { return false }
        if !noncurrent, earlier.storageClass.isInfrequentAccess, later.storageClass.isArchive,
          later.days - earlier.days < StorageClass.infrequentAccessMinimumDays
        {
          return false
        }
      }
    }
    return true
  }

  // MARK: - Candidates

  /// The one index every equivalent spelling of a candidate maps to: without noncurrent expiration
  /// NewerNoncurrentVersions means nothing; without a lock its mode means nothing.
  public func canonical(_ c: RecommendCandidate) -> RecommendCandidate {
    var c = c
    let ax = familyAxes[c.family]
    if ax.noncurrent[c.index[Axis.noncurrent.rawValue]] == nil { c.index[Axis.newer.rawValue] = 0 }
    if lockModes.count > 1, ax.lock[c.index[Axis.lock.rawValue]] == 0, families[c.family].lockMode != lockModes[0] {
      let f = families[c.family]
      if let first = families.firstIndex(where: {
        $0.versioning == f.versioning && $0.uploadClass == f.uploadClass && $0.transitions == f.transitions
          && $0.noncurrentTransitions == f.noncurrentTransitions && $0.lockMode == lockModes[0]
      }) {
        c.family = first
      }
    }
    return c
  }

  public func settings(_ c: RecommendCandidate) -> RecommendSettings {
    let f = families[c.family]
    let ax = familyAxes[c.family]
    let i = c.index
    return RecommendSettings(
      family: f, expirationDays: ax.expiration[i[0]], noncurrentDays: ax.noncurrent[i[1]],
      newerNoncurrentVersions: ax.noncurrent[i[1]] == nil ? nil : ax.newer[i[2]],
      lockDays: ax.lock[i[3]], denyDestructive: ax.denyDestructive[i[4]], conditionalWrites: ax.conditionalWrites[i[5]])
  }

  /// How many distinct candidates the space holds (each counted once, in its canonical spelling).
  public var count: Int {
    families.indices.reduce(0) { sum, f in
      let ax = familyAxes[f]
      let finite = ax.noncurrent.filter { $0 != nil }.count
      let nk = finite * ax.newer.count + (ax.noncurrent.contains(nil) ? 1 : 0)
      let locks = families[f].lockMode == lockModes[0] ? ax.lock.count : ax.lock.filter { $0 != 0 }.count
      return sum + ax.expiration.count * nk * locks * ax.denyDestructive.count * ax.conditionalWrites.count
    }
  }

  /// Every distinct candidate, in the search's tie order (for exhaustive checks on small spaces).
  public func allCandidates() -> [RecommendCandidate] {
    var out: [RecommendCandidate] = []
    for f in families.indices {
      let sizes = familyAxes[f].sizes
      var index = [Int](repeating: 0, count: sizes.count)
      guard !sizes.contains(0) else { continue }
      while true {
        let c = RecommendCandidate(family: f, index: index)
        if canonical(c) == c { out.append(c) }
        var a = sizes.count - 1
        while a >= 0 {
          index[a] += 1
          if index[a] < sizes[a] { break }
          index[a] = 0
          a -= 1
        }
        if a < 0 { break }
      }
    }
    return out
  }

  /// The candidates one step up from `c`, one per axis (canonical, deduplicated).
  ///
  /// From a candidate without a lock, a step up the lock axis also reaches the same settings under each other lock mode.
  public func successors(_ c: RecommendCandidate) -> [RecommendCandidate] {
    let f = families[c.family]
    let sizes = familyAxes[c.family].sizes
    var out: [RecommendCandidate] = []
    for a in 0..<sizes.count where c.index[a] + 1 < sizes[a] {
      var n = c
      n.index[a] += 1
      out.append(canonical(n))
      if lockModes.count > 1, a == Axis.lock.rawValue, c.index[a] == 0 {
        for (g, other) in families.enumerated() where g != c.family && other.lockMode != f.lockMode {
          if other.versioning == f.versioning && other.uploadClass == f.uploadClass && other.transitions == f.transitions
            && other.noncurrentTransitions == f.noncurrentTransitions
          {
            out.append(RecommendCandidate(family: g, index: n.index))
          }
        }
      }
    }
    return Self.dedup(out)
  }

  /// The lowest candidate of each family (where searches start).
  public var starts: [RecommendCandidate] {
    Self.dedup(
      families.indices.compactMap { f in
        let sizes = familyAxes[f].sizes
        guard !sizes.contains(0) else { return nil }
        let c = canonical(RecommendCandidate(family: f, index: [Int](repeating: 0, count: sizes.count)))
        return c.family == f ? c : nil
      })
  }
}
