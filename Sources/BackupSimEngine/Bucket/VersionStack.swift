import BackupSimModel
import CPrefetch

/// One key group's version slots, oldest first, in one buffer whose bottom can be dropped in O(1).
///
/// Lifecycle removes a key's oldest versions night after night; in a plain array each removal moved
/// every slot above them. Here the slots below `start` are vacated instead (their parts released)
/// and the buffer is compacted once they are as many as the live ones, so each slot moves about
/// once in its life. The live slots stay contiguous, so a look at the stack walks one buffer.
struct VersionStack: Sendable {
  private var buffer: [VersionSlot]
  /// Each slot's cached due time, beside `buffer` (`unknown` for none known): the earliest due
  /// time of any lifecycle action on the slot where it stands (Int64.max: none).
  ///
  /// A column of its own: a night's look at a stack reads every slot's due time, and read from
  /// the slots themselves that look missed the cache once per slot.
  private var dues: [Int64]
  static let unknown = Int64.min
  /// Offset of the oldest live slot in `buffer`.
  private var start: Int32 = 0
  /// `buffer.count`, kept beside it (set after each change of length): the top is found without a
  /// look at the buffer's header, which a prefetch must not read.
  private var end: Int32 = 0
  /// The current version's cached due time (nil: unknown, or no slots), kept here as well as in its slot.
  ///
  /// An upload and a night's expiration both look at the top slot; from here that look is not a
  /// cache miss on a slot written a day earlier.
  private(set) var topDue: Int64?
  /// Whether the current version is a delete marker (false when there are no slots).
  private(set) var topIsDeleteMarker = false

  init(_ slots: [VersionSlot]) {
    buffer = slots
    dues = Array(repeating: Self.unknown, count: slots.count)
    end = Int32(slots.count)
    syncTop()
  }

  /// Reads the top slot's cached fields after a change that may have replaced or edited it.
  private mutating func syncTop() {
    topDue = end > start ? due(at: Int(end - start) - 1) : nil
    topIsDeleteMarker = end > start ? buffer[Int(end) - 1].isDeleteMarker : false
  }

  /// Slot `i`'s cached due time (nil: not known).
  @inline(__always)
  func due(at i: Int) -> Int64? {
    precondition(i >= 0, "slot index out of range")
    let d = dues[Int(start) + i]
    return d == Self.unknown ? nil : d
  }

  /// Sets a slot's cached due time (the top's without a look at the slot).
  @inline(__always)
  mutating func setDue(_ due: Int64?, at i: Int) {
    precondition(i >= 0, "slot index out of range")
    dues[Int(start) + i] = due ?? Self.unknown
    if Int(start) + i == Int(end) - 1 { topDue = due }
  }

  /// Forgets every slot's cached due time.
  mutating func forgetDues() {
    for k in Int(start)..<Int(end) { dues[k] = Self.unknown }
    topDue = nil
  }

  /// How many slots from the bottom, below the top, have a known due time at or before `t`.
  func noncurrentDueFromBottom(by t: Int64) -> Int {
    let top = Int(end) - 1
    var i = Int(start)
    while i < top, dues[i] != Self.unknown, dues[i] <= t { i += 1 }
    return i - Int(start)
  }

  /// Calls `body` with the live slots' cached due times, bottom first (`unknown` for none known).
  func withDues<R>(_ body: (UnsafeBufferPointer<Int64>) throws -> R) rethrows -> R {
    try dues.withUnsafeBufferPointer { all in try body(UnsafeBufferPointer(rebasing: all[Int(start)...])) }
  }

  /// Calls `body` with the live slots, bottom first.
  func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<VersionSlot>) throws -> R) rethrows -> R {
    try buffer.withUnsafeBufferPointer { all in try body(UnsafeBufferPointer(rebasing: all[Int(start)...])) }
  }

  /// What a prefetch is for: a push reads the top slot and writes the one above it; a night's
  /// expirations read and vacate the bottom slot.
  enum Use { case push, expiry }

  /// Starts loading what a push or a night's expirations read first: the buffers' headers (their
  /// counts and reference counts) and the top or the bottom slot and due time, of the stack stored
  /// at `stack`.
  ///
  /// Only a hint to the processor, issued a few groups ahead so that their cache misses overlap.
  /// It reads the stack's own fields as plain bytes (a copy of the buffer would retain it: a write
  /// to the very line being fetched) and nothing of the buffer, whatever the addresses. Only the
  /// lines that use reads: with thousands of keys the processor's queue of outstanding loads is
  /// full, and a hint for a line nobody reads waits for a place in it like one that is.
  static func prefetch(at stack: UnsafeRawPointer, layout: Layout, for use: Use) {
    let object = stack.load(fromByteOffset: layout.buffer, as: UnsafeRawPointer.self)
    let duesObject = stack.load(fromByteOffset: layout.dues, as: UnsafeRawPointer.self)
    let start = Int(stack.load(fromByteOffset: layout.start, as: Int32.self))
    let end = Int(stack.load(fromByteOffset: layout.end, as: Int32.self))
    backupsim_prefetch(object)
    backupsim_prefetch(duesObject)
    guard end > start else { return }
    let slots = object + layout.elements, stride = MemoryLayout<VersionSlot>.stride
    let times = duesObject + layout.dueElements, width = MemoryLayout<Int64>.stride
    switch use {
    case .push:
      // The top slot and due time (the top becomes noncurrent), and the places above them.
      prefetchLines(slots + (end - 1) * stride, slots + (end + 1) * stride)
      prefetchLines(times + (end - 1) * width, times + (end + 1) * width)
    case .expiry:
      prefetchLines(slots + start * stride, slots + (start + 1) * stride)
      backupsim_prefetch(times + start * width)
    }
  }

  /// Where the fields `prefetch` reads lie in a stack, and the first element in each buffer's storage.
  struct Layout: Sendable {
    var buffer: Int, dues: Int, start: Int, end: Int, elements: Int, dueElements: Int
  }

  /// Nil when arrays are not laid out as expected (then nothing is prefetched).
  ///
  /// Read once by each bucket: a static read per prefetch was a call of its own.
  static let layout: Layout? = {
    func firstElement<T>(_ probe: [T]) -> Int? {
      probe.withUnsafeBufferPointer { b in
        b.baseAddress.map { UnsafeRawPointer($0) - withUnsafeBytes(of: probe) { $0.load(as: UnsafeRawPointer.self) } }
      }
    }
    var slots: [VersionSlot] = []
    slots.reserveCapacity(1)
    var times: [Int64] = []
    times.reserveCapacity(1)
    guard MemoryLayout<[VersionSlot]>.size == MemoryLayout<UnsafeRawPointer>.size,
      MemoryLayout<[Int64]>.size == MemoryLayout<UnsafeRawPointer>.size,
      let buffer = MemoryLayout<VersionStack>.offset(of: \.buffer),
      let dues = MemoryLayout<VersionStack>.offset(of: \.dues),
      let start = MemoryLayout<VersionStack>.offset(of: \.start),
      let end = MemoryLayout<VersionStack>.offset(of: \.end),
      let elements = firstElement(slots), let dueElements = firstElement(times)
    else { return nil }
    return Layout(buffer: buffer, dues: dues, start: start, end: end, elements: elements, dueElements: dueElements)
  }()

  /// Drops the vacated bottom of the buffer once it is as long as the live part.
  private mutating func compactIfWorthIt() {
    if start > 0 && start * 2 >= end { compact() }
  }

  @inline(never)
  private mutating func compact() {
    buffer.removeSubrange(0..<Int(start))
    dues.removeSubrange(0..<Int(start))
    start = 0
    end = Int32(buffer.count)
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
  var endIndex: Int { Int(end - start) }
  @inline(__always)
  var indices: Range<Int> { 0..<endIndex }
  @inline(__always)
  var count: Int { Int(end - start) }
  @inline(__always)
  var isEmpty: Bool { end == start }
  /// The current version's slot (not the generic `last`, which was not specialized for this type).
  @inline(__always)
  var last: VersionSlot? { end == start ? nil : buffer[Int(end) - 1] }

  @inline(__always)
  subscript(i: Int) -> VersionSlot {
    _read {
      precondition(i >= 0, "slot index out of range")
      yield buffer[Int(start) + i]
    }
    _modify {
      precondition(i >= 0, "slot index out of range")
      defer { if Int(start) + i == Int(end) - 1 { syncTop() } }
      yield &buffer[Int(start) + i]
    }
  }
}

extension VersionStack: RangeReplaceableCollection {
  init() {
    buffer = []
    dues = []
  }

  /// Replaces slots; the new ones have no due time known.
  mutating func replaceSubrange<C: Collection<VersionSlot>>(_ subrange: Range<Int>, with newSlots: C) {
    precondition(subrange.lowerBound >= 0 && subrange.upperBound <= count, "slot range out of range")
    let range = (Int(start) + subrange.lowerBound)..<(Int(start) + subrange.upperBound)
    buffer.replaceSubrange(range, with: newSlots)
    dues.replaceSubrange(range, with: repeatElement(Self.unknown, count: newSlots.count))
    end = Int32(buffer.count)
    syncTop()
  }

  /// Puts a slot on top, with no due time known.
  @inline(__always)
  mutating func append(_ slot: consuming VersionSlot) {
    // A full buffer whose bottom half is vacated is compacted rather than grown; otherwise it grows
    // (doubling), which leaves room for the bottom to be vacated before the next compaction.
    if start > 0 && Int(end) == buffer.capacity { compactIfWorthIt() }
    topDue = nil
    topIsDeleteMarker = slot.isDeleteMarker
    buffer.append(slot)
    dues.append(Self.unknown)
    end += 1
  }

  /// Puts a slot on top and forgets the old top's due time (it has a successor now): an upload's
  /// change to a stack, in one access.
  @inline(__always)
  mutating func push(_ slot: consuming VersionSlot) {
    if end > start { dues[Int(end) - 1] = Self.unknown }
    append(slot)
  }

  mutating func removeSubrange(_ bounds: Range<Int>) {
    precondition(bounds.lowerBound >= 0 && bounds.upperBound <= count, "slot range out of range")
    guard bounds.lowerBound == 0, bounds.upperBound < count else {
      let range = (Int(start) + bounds.lowerBound)..<(Int(start) + bounds.upperBound)
      buffer.removeSubrange(range)
      dues.removeSubrange(range)
      end = Int32(buffer.count)
      if end == start { removeAll() }
      syncTop()
      return
    }
    for k in Int(start)..<(Int(start) + bounds.upperBound) { buffer[k].vacate() }
    start += Int32(bounds.upperBound)
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
    dues.removeAll(keepingCapacity: keepCapacity)
    start = 0
    end = 0
    syncTop()
  }
}
