import BackupSimModel

/// One key group's version slots, oldest first, in one buffer whose bottom can be dropped in O(1).
///
/// Lifecycle removes a key's oldest versions night after night; in a plain array each removal moved
/// every slot above them. Here the slots below `start` are vacated instead (their parts released)
/// and the buffer is compacted once they are as many as the live ones, so each slot moves about
/// once in its life. The live slots stay contiguous, so a look at the stack walks one buffer.
struct VersionStack: Sendable {
  private var buffer: [VersionSlot]
  /// Offset of the oldest live slot in `buffer`.
  private var start = 0
  /// The current version's cached due time (nil: unknown, or no slots), kept here as well as in its slot.
  ///
  /// An upload and a night's expiration both look at the top slot; from here that look is not a
  /// cache miss on a slot written a day earlier.
  private(set) var topDue: Int64?
  /// Whether the current version is a delete marker (false when there are no slots).
  private(set) var topIsDeleteMarker = false

  init(_ slots: [VersionSlot]) {
    buffer = slots
    syncTop()
  }

  /// Reads the top slot's cached fields after a change that may have replaced or edited it.
  private mutating func syncTop() {
    topDue = buffer.count > start ? buffer[buffer.count - 1].due : nil
    topIsDeleteMarker = buffer.count > start ? buffer[buffer.count - 1].isDeleteMarker : false
  }

  /// Sets a slot's cached due time (the top's without a look at the slot).
  @inline(__always)
  mutating func setDue(_ due: Int64?, at i: Int) {
    precondition(i >= 0, "slot index out of range")
    buffer[start + i].due = due
    if start + i == buffer.count - 1 { topDue = due }
  }

  /// Calls `body` with the live slots, bottom first.
  func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<VersionSlot>) throws -> R) rethrows -> R {
    try buffer.withUnsafeBufferPointer { all in try body(UnsafeBufferPointer(rebasing: all[start...])) }
  }

  /// Drops the vacated bottom of the buffer once it is as long as the live part.
  private mutating func compactIfWorthIt() {
    if start > 0 && start * 2 >= buffer.count { compact() }
  }

  @inline(never)
  private mutating func compact() {
    buffer.removeSubrange(0..<start)
    start = 0
  }
}

extension VersionStack: ExpressibleByArrayLiteral {
  init(arrayLiteral slots: VersionSlot...) { self.init(slots) }
}

extension VersionStack: RandomAccessCollection, MutableCollection {
  typealias Indices = Range<Int>
  @inline(__always)
  var startIndex: Int { 0 }
  @inline(__always)
  var endIndex: Int { buffer.count - start }
  @inline(__always)
  var indices: Range<Int> { 0..<endIndex }
  @inline(__always)
  var count: Int { buffer.count - start }
  @inline(__always)
  var isEmpty: Bool { buffer.count == start }
  /// The current version's slot (not the generic `last`, which was not specialized for this type).
  @inline(__always)
  var last: VersionSlot? { buffer.count == start ? nil : buffer[buffer.count - 1] }

  @inline(__always)
  subscript(i: Int) -> VersionSlot {
    _read {
      precondition(i >= 0, "slot index out of range")
      yield buffer[start + i]
    }
    _modify {
      precondition(i >= 0, "slot index out of range")
      defer { if start + i == buffer.count - 1 { syncTop() } }
      yield &buffer[start + i]
    }
  }
}

extension VersionStack: RangeReplaceableCollection {
  init() { buffer = [] }

  mutating func replaceSubrange<C: Collection<VersionSlot>>(_ subrange: Range<Int>, with newSlots: C) {
    precondition(subrange.lowerBound >= 0 && subrange.upperBound <= count, "slot range out of range")
    buffer.replaceSubrange((start + subrange.lowerBound)..<(start + subrange.upperBound), with: newSlots)
    syncTop()
  }

  @inline(__always)
  mutating func append(_ slot: consuming VersionSlot) {
    // A full buffer whose bottom half is vacated is compacted rather than grown; otherwise it grows
    // (doubling), which leaves room for the bottom to be vacated before the next compaction.
    if start > 0 && buffer.count == buffer.capacity { compactIfWorthIt() }
    topDue = slot.due
    topIsDeleteMarker = slot.isDeleteMarker
    buffer.append(slot)
  }

  mutating func removeSubrange(_ bounds: Range<Int>) {
    precondition(bounds.lowerBound >= 0 && bounds.upperBound <= count, "slot range out of range")
    guard bounds.lowerBound == 0, bounds.upperBound < count else {
      buffer.removeSubrange((start + bounds.lowerBound)..<(start + bounds.upperBound))
      if buffer.count == start { removeAll() }
      syncTop()
      return
    }
    for k in start..<(start + bounds.upperBound) { buffer[k].vacate() }
    start += bounds.upperBound
    compactIfWorthIt()
  }

  @discardableResult
  mutating func remove(at i: Int) -> VersionSlot {
    let slot = self[i]
    removeSubrange(i..<(i + 1))
    return slot
  }

  mutating func removeAll(keepingCapacity keepCapacity: Bool = false) {
    buffer.removeAll(keepingCapacity: keepCapacity)
    start = 0
    syncTop()
  }
}
