import BackupSimModel

/// Where every restore point's surviving versions sit at one instant, each point's
/// `PointComposition` assembled when it is asked for.
///
/// The bucket holds one entry per class and point; the reports read two points (the newest and
/// the oldest restorable). A dictionary per point cost more than the rest of a short run with
/// thousands of jobs, so the entries are kept in one array ordered by point.
public struct PointCompositions: Sendable {
  struct Entry: Sendable {
    var point: Int32
    /// `StorageClass.index`, or `archivedBase + AccessTier.index` for INTELLIGENT_TIERING objects
    /// in an archive access tier.
    var kind: UInt8
    var objects: Int
    var bytes: Int64
    var largestObject: Int64
  }
  static let archivedBase: UInt8 = 0x80

  /// Ordered by point; a point's entries in any order (they are summed).
  private var entries: [Entry]

  public init() { entries = [] }

  /// Orders `unordered` by point (numbered 0..<`pointCount`): one counting sort while its table,
  /// a word per point, is no larger than the entries; otherwise one counting sort per 11 bits of
  /// the point, lowest first, since a long run has millions of points and only the last weeks'
  /// still hold versions (a comparison sort of them was a tenth of the simulation of 1,000 keys).
  init(unordered: [Entry], pointCount: Int) {
    guard pointCount > 4 * unordered.count else {
      entries = Self.countingSort(unordered, by: { Int($0.point) }, buckets: pointCount)
      return
    }
    let bits = 11
    var ordered = unordered
    var shift = 0
    while (pointCount - 1) >> shift > 0 {
      let s = shift
      ordered = Self.countingSort(ordered, by: { (Int($0.point) >> s) & ((1 << bits) - 1) }, buckets: 1 << bits)
      shift += bits
    }
    entries = ordered
  }

  /// `entries` ordered by `key` (in 0..<`buckets`), stably.
  private static func countingSort(_ entries: [Entry], by key: (Entry) -> Int, buckets: Int) -> [Entry] {
    var starts = [Int](repeating: 0, count: buckets + 1)
    for e in entries { starts[key(e) + 1] += 1 }
    for b in 0..<buckets { starts[b + 1] += starts[b] }
    let placeholder = Entry(point: 0, kind: 0, objects: 0, bytes: 0, largestObject: 0)
    var ordered = [Entry](repeating: placeholder, count: entries.count)
    for e in entries {
      let k = key(e)
      ordered[starts[k]] = e
      starts[k] += 1
    }
    return ordered
  }

  /// The entries of `point`.
  private func range(of point: Int) -> Range<Int> {
    // Binary search for the first entry at or after `point`, then the first after it.
    func firstIndex(atLeast p: Int) -> Int {
      var lo = 0, hi = entries.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if Int(entries[mid].point) < p { lo = mid + 1 } else { hi = mid }
      }
      return lo
    }
    let lo = firstIndex(atLeast: point)
    var hi = lo
    while hi < entries.count && Int(entries[hi].point) == point { hi += 1 }
    return lo..<hi
  }

  /// Point `point`'s surviving versions by class; nil when none survives.
  public subscript(point: Int) -> PointComposition? {
    let r = range(of: point)
    guard !r.isEmpty else { return nil }
    var c = PointComposition()
    for e in entries[r] {
      let part = PointComposition.Part(objects: e.objects, bytes: e.bytes, largestObject: e.largestObject)
      if e.kind >= Self.archivedBase {
        let tier = AccessTier.allCases[Int(e.kind - Self.archivedBase)]
        c.archivedInIntelligentTiering[tier, default: .init(objects: 0, bytes: 0, largestObject: 0)].add(part)
      } else {
        c.byClass[StorageClass.allCases[Int(e.kind)], default: .init(objects: 0, bytes: 0, largestObject: 0)].add(part)
      }
    }
    return c
  }

  /// How many of point `point`'s versions survive (every class), without assembling its composition.
  public func objects(of point: Int) -> Int {
    entries[range(of: point)].reduce(0) { $0 + ($1.kind < Self.archivedBase ? $1.objects : 0) }
  }

  /// Appends the entries of `other`'s point `point`; points must be appended in increasing order.
  mutating func append(pointOf other: PointCompositions, _ point: Int) {
    precondition(entries.last.map { Int($0.point) <= point } ?? true, "points are appended in order")
    entries += other.entries[other.range(of: point)]
  }
}

extension PointComposition.Part {
  mutating func add(_ p: Self) { add(objects: p.objects, bytes: p.bytes, largestObject: p.largestObject) }
}
