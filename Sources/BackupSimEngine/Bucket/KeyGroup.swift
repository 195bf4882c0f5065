import BackupSimModel

/// The sizes of one version slot across the keys of its group.
enum SizeColumn: Sendable {
  /// Every key's version has this size.
  case uniform(Int64)
  /// One size per key, in the order of the group's flattened index list.
  case perKey([Int64])

  func size(at position: Int) -> Int64 {
    switch self {
    case .uniform(let s): return s
    case .perKey(let a): return a[position]
    }
  }

  func select(_ positions: [Int]) -> SizeColumn {
    switch self {
    case .uniform: return self
    case .perKey(let a): return .perKey(positions.map { a[$0] })
    }
  }
}

/// Versions of one slot that share a storage-class history.
///
/// Lifecycle may move the versions of one slot to different classes when a transition depends on
/// object size (the 128 KiB default, size filters on transition rules). Each part is a set of keys
/// whose versions sit in the same class; nothing else about the slot differs between parts.
struct SlotPart: Sendable {
  /// Positions in the group's flattened key order; nil for every key of the group.
  var positions: [Int]?
  var count: Int
  var storageClass: StorageClass
  /// When the versions entered their current class (minimum-duration clock).
  var classSince: SimTime
  /// Sizes aligned with `positions` (or with every key).
  var sizes: SizeColumn
  var totalBytes: Int64 = 0
  /// Σ max(0, `StorageClass.minimumBillableSize` − size): what the 128 KiB minimum billable size adds
  /// in the classes that have one.
  var padBytes: Int64 = 0
  /// Any one version's size.
  ///
  /// Every version of the part falls in the same size class for every
  /// size test the rules make (parts and groups are split when they would not).
  var representativeSize: Int64 = 0
  /// In INTELLIGENT_TIERING: when its versions move to the archive access tiers (nil in other classes).
  var access: AccessSchedule?

  init(positions: [Int]?, count: Int, storageClass: StorageClass, classSince: SimTime, sizes: SizeColumn) {
    self.positions = positions
    self.count = count
    self.storageClass = storageClass
    self.classSince = classSince
    self.sizes = sizes
    recomputeTotals()
  }

  mutating func recomputeTotals() {
    switch sizes {
    case .uniform(let size):
      totalBytes = size * Int64(count)
      padBytes = max(0, StorageClass.minimumBillableSize - size) * Int64(count)
      representativeSize = size
    case .perKey(let a):
      totalBytes = a.reduce(0, +)
      padBytes = a.reduce(0) { $0 + max(0, StorageClass.minimumBillableSize - $1) }
      representativeSize = a.first ?? 0
    }
  }

  var amount: PartAmount {
    PartAmount(storageClass: storageClass, count: count, totalBytes: totalBytes, padBytes: padBytes, classSince: classSince)
  }

  var largestObject: Int64 {
    switch sizes {
    case .uniform(let s): return s
    case .perKey(let a): return a.max() ?? 0
    }
  }
}

/// What a part adds to the totals and the billing rate: plain values, read from an inline part
/// without building a `SlotPart` (whose arrays and enum made each copy a call).
struct PartAmount: Sendable {
  var storageClass: StorageClass
  var count: Int
  var totalBytes: Int64
  /// Σ max(0, `StorageClass.minimumBillableSize` − size) over the part's versions.
  var padBytes: Int64
  var classSince: SimTime
}

/// One version of every key in a group: the same history, different bytes.
///
/// All keys of a `KeyGroup` were written at the same instants by the same writers, so their
/// version stacks have the same shape; a slot is one level of that stack for all of them.
///
/// The usual slot has one part of one size for every key, and holds it inline, and its tags as a
/// number: a version then costs no allocation and its slot no reference counting. Other slots
/// keep their parts in an array (`spilled`); `parts` reads and writes either form.
struct VersionSlot: Sendable {
  // Stored fields, widest first (a struct's fields are laid out in the order declared): 64 bytes,
  // so a key's stack, moved and read slot by slot, spans as few cache lines as it can.

  /// Version number shared by the slot's versions (unique in the run; stands in for the version ID).
  var serial: UInt64
  var createdAt: SimTime
  // The retention date is stored as a plain number (`unset` for nil): a smaller slot, and a key's
  // stack is moved whenever its oldest versions expire.
  private static let unset = Int64.min
  private var packedRetainUntil: Int64
  /// The parts of a slot whose parts are not held inline; empty otherwise.
  private var spilled: [SlotPart]
  /// The inline part's size for each key and class clock (valid when `inlineCount >= 0`).
  private var inlineSize: Int64
  private var inlineSince: Int64
  var retainUntil: SimTime? {
    get { packedRetainUntil == Self.unset ? nil : SimTime(seconds: packedRetainUntil) }
    set { packedRetainUntil = newValue?.seconds ?? Self.unset }
  }
  /// The version's tags, by their number in `TagSets` (0: none).
  let tagSet: UInt32
  var tags: [ObjectTag] { TagSets.tags(tagSet) }
  /// The restore point (run) that wrote it, or -1 for the attacker.
  var origin: Int32
  /// The inline part's number of versions; -1 when there is none (a delete marker, a vacated slot,
  /// or parts in `spilled`).
  private var inlineCount: Int32
  private var inlineClass: StorageClass
  /// Written while versioning was off or suspended: version ID `null`.
  var isNull: Bool
  var isDeleteMarker: Bool

  init(
    serial: UInt64, isNull: Bool, isDeleteMarker: Bool, createdAt: SimTime, retainUntil: SimTime?, tags: [ObjectTag], origin: Int32,
    parts: [SlotPart]
  ) {
    self.init(
      serial: serial, isNull: isNull, isDeleteMarker: isDeleteMarker, createdAt: createdAt, retainUntil: retainUntil,
      tagSet: TagSets.number(tags), origin: origin, parts: parts)
  }

  init(
    serial: UInt64, isNull: Bool, isDeleteMarker: Bool, createdAt: SimTime, retainUntil: SimTime?, tagSet: UInt32, origin: Int32,
    parts: [SlotPart]
  ) {
    self.serial = serial
    self.isNull = isNull
    self.isDeleteMarker = isDeleteMarker
    self.createdAt = createdAt
    packedRetainUntil = retainUntil?.seconds ?? Self.unset
    self.tagSet = tagSet
    self.origin = origin
    spilled = []
    inlineSize = 0
    inlineSince = 0
    inlineCount = -1
    inlineClass = .standard
    self.parts = parts
  }

  /// Empty for a delete marker.
  ///
  /// Builds an array for an inline part: the hot paths read `partCount` and `part(_:)` instead.
  var parts: [SlotPart] {
    get { inlineCount >= 0 ? [part(0)] : spilled }
    set {
      guard newValue.count != 1 || !holdInline(newValue[0]) else { return }
      spilled = newValue
      inlineCount = -1
    }
  }

  /// Makes `part` the slot's only part, held inline when it can be; false, changing nothing, when
  /// it cannot (a subset of the keys, per-key sizes, access tiers).
  private mutating func holdInline(_ part: SlotPart) -> Bool {
    guard part.positions == nil, part.access == nil, case .uniform(let size) = part.sizes else { return false }
    return holdInline(count: part.count, size: size, storageClass: part.storageClass, since: part.classSince)
  }

  /// The same from plain values (an upload's path: no `SlotPart` to copy); false for more versions
  /// than an Int32 holds.
  private mutating func holdInline(count: Int, size: Int64, storageClass: StorageClass, since: SimTime) -> Bool {
    guard let count = Int32(exactly: count) else { return false }
    spilled = []
    inlineCount = count
    inlineSize = size
    inlineSince = since.seconds
    inlineClass = storageClass
    return true
  }

  @inline(__always)
  var partCount: Int { inlineCount >= 0 ? 1 : spilled.count }

  @inline(__always)
  func part(_ p: Int) -> SlotPart {
    guard inlineCount >= 0 else { return spilled[p] }
    precondition(p == 0, "part index out of range")
    return SlotPart(
      positions: nil, count: Int(inlineCount), storageClass: inlineClass, classSince: SimTime(seconds: inlineSince), sizes: .uniform(inlineSize))
  }

  /// Part `p`'s totals, without building the part.
  @inline(__always)
  func amount(_ p: Int) -> PartAmount {
    guard inlineCount >= 0 else { return spilled[p].amount }
    precondition(p == 0, "part index out of range")
    let n = Int64(inlineCount)
    return PartAmount(
      storageClass: inlineClass, count: Int(inlineCount), totalBytes: inlineSize * n,
      padBytes: max(0, StorageClass.minimumBillableSize - inlineSize) * n, classSince: SimTime(seconds: inlineSince))
  }

  /// The largest version of part `p`, without building the part.
  func largestObject(_ p: Int) -> Int64 { inlineCount >= 0 ? inlineSize : spilled[p].largestObject }

  /// Part `p`'s class and any one version's size, without building the part.
  @inline(__always)
  func partClass(_ p: Int) -> StorageClass { inlineCount >= 0 ? inlineClass : spilled[p].storageClass }

  @inline(__always)
  func partSize(_ p: Int) -> Int64 { inlineCount >= 0 ? inlineSize : spilled[p].representativeSize }

  /// Makes the slot one part of `count` versions of one size, every key of the group (inline when it can be).
  mutating func setSolePart(count: Int, size: Int64, storageClass: StorageClass, since: SimTime) {
    guard !holdInline(count: count, size: size, storageClass: storageClass, since: since) else { return }
    parts = [SlotPart(positions: nil, count: count, storageClass: storageClass, classSince: since, sizes: .uniform(size))]
  }

  /// Replaces part `p`.
  mutating func setPart(_ p: Int, _ part: SlotPart) {
    // An inline part is the slot's only one.
    if inlineCount >= 0 && p == 0 && holdInline(part) { return }
    var all = parts
    all[p] = part
    parts = all
  }

  var totalBytes: Int64 {
    inlineCount >= 0 ? inlineSize * Int64(inlineCount) : spilled.reduce(0) { $0 + $1.totalBytes }
  }

  /// The size that stands for the slot in tests of rules that act on whole slots (their size
  /// filters split groups, so every part agrees on them).
  var representativeSize: Int64 { partCount == 0 ? 0 : partSize(0) }

  /// Whether the slot holds anything to release: a slot with an inline part holds only the empty
  /// array (a static object, never freed), so a `VersionStack` drops such a slot without the
  /// runtime's call to destroy it.
  @inline(__always)
  var holdsReferences: Bool { inlineCount < 0 }
}

/// A set of keys whose version histories are identical, simulated as one.
struct KeyGroup: Sendable {
  /// Interned key pattern (`db/2027-01-01/{i}`).
  var pattern: Int32
  /// Sorted, disjoint ranges of `{i}` values; `0..<1` for a pattern without `{i}`.
  var indices: [Range<Int>] { didSet { wholeCount = Self.wholeCount(indices) } }
  /// n when the keys are exactly `{i}` = 0..<n, else -1: read on every upload, without a look at
  /// the ranges (an array of their own, elsewhere in memory).
  private(set) var wholeCount: Int
  var count: Int
  /// Indices of enabled rules whose prefix matches every key of the group.
  var prefixRules: [Int]
  /// What those rules can do (`RulePlan.general` promises nothing and is always right).
  var plan = RulePlan.general
  /// Oldest first; the last slot is the current version.
  var stack: VersionStack
  /// Bumped whenever the group's wake-up moves, so stale entries in the queue are skipped.
  var generation: UInt64 = 0
  /// When the group's live entry in the wake queue fires; `Int64.min` for none.
  ///
  /// A change that leaves it where it was (an upload under a NoncurrentDays rule) adds no entry.
  var wakeAt = Int64.min
  /// No later than the earliest due time in the stack, as of the last look at it; nil when a change
  /// other than a push (a removal, a transition, a split) means the whole stack must be looked at.
  ///
  /// A push only makes the top slots' due times unknown, so one key with many versions stays linear.
  var earliestDue: Int64? = nil
  var watched: Bool = false
  /// Every noncurrent slot's due time is known and none is earlier than the one below it, as
  /// checked by the last look at the stack and kept by every change since; false when not known.
  ///
  /// Under a plain NoncurrentDays rule it holds (successors are written in order), and a night's
  /// expirations are then found from the bottom of the stack, without a look at the rest.
  var duesAscending: Bool = false

  init(pattern: Int32, indices: [Range<Int>], count: Int, prefixRules: [Int], stack: VersionStack) {
    self.pattern = pattern
    self.indices = indices
    wholeCount = Self.wholeCount(indices)
    self.count = count
    self.prefixRules = prefixRules
    self.stack = stack
  }

  private static func wholeCount(_ indices: [Range<Int>]) -> Int {
    indices.count == 1 && indices[0].lowerBound == 0 ? indices[0].upperBound : -1
  }

  /// The flattened `{i}` values, in order.
  var flatIndices: [Int] { indices.flatMap { Array($0) } }
}

/// Helpers on sorted, disjoint range lists.
enum RangeList {
  static func intersect(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = 0, j = 0
    while i < a.count && j < b.count {
      let lo = max(a[i].lowerBound, b[j].lowerBound), hi = min(a[i].upperBound, b[j].upperBound)
      if lo < hi { out.append(lo..<hi) }
      if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
    }
    return out
  }

  static func subtract(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var j = 0
    for r in a {
      var lo = r.lowerBound
      while j < b.count && b[j].upperBound <= lo { j += 1 }
      var k = j
      while k < b.count && b[k].lowerBound < r.upperBound {
        if b[k].lowerBound > lo { out.append(lo..<b[k].lowerBound) }
        lo = max(lo, b[k].upperBound)
        k += 1
      }
      if lo < r.upperBound { out.append(lo..<r.upperBound) }
    }
    return out
  }

  static func count(_ a: [Range<Int>]) -> Int { a.reduce(0) { $0 + $1.count } }

  /// Sorts disjoint ranges and joins adjacent ones.
  static func merged(_ a: [Range<Int>]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    for r in a.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = out.last, last.upperBound >= r.lowerBound {
        out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
      } else {
        out.append(r)
      }
    }
    return out
  }

  /// Builds a range list from sorted distinct values.
  static func from(sorted values: [Int]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    for v in values {
      if let last = out.last, last.upperBound == v { out[out.count - 1] = last.lowerBound..<(v + 1) } else { out.append(v..<(v + 1)) }
    }
    return out
  }
}
