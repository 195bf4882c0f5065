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

  /// Orders `unordered` by point (numbered 0..<`pointCount`): a counting sort while its table, a
  /// word per point, is no larger than the entries; otherwise a comparison sort, since a long run
  /// has millions of points and only the last weeks' still hold versions.
  init(unordered: [Entry], pointCount: Int) {
    guard pointCount <= 4 * unordered.count else {
      entries = unordered.sorted { $0.point < $1.point }
      return
    }
    var starts = [Int](repeating: 0, count: pointCount + 1)
    for e in unordered { starts[Int(e.point) + 1] += 1 }
    for p in 0..<pointCount { starts[p + 1] += starts[p] }
    let placeholder = Entry(point: 0, kind: 0, objects: 0, bytes: 0, largestObject: 0)
    var ordered = [Entry](repeating: placeholder, count: unordered.count)
    for e in unordered {
      ordered[starts[Int(e.point)]] = e
      starts[Int(e.point)] += 1
    }
    entries = ordered
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
