import BackupSimModel
import CPrefetch

/// One key group's version slots, oldest first, and their cached due times, in one buffer whose
/// bottom can be dropped in O(1).
///
/// Lifecycle removes a key's oldest versions night after night; in a plain array each removal moved
/// every slot above them. Here the slots below `start` are released and left uninitialized, and
/// the live ones are moved down once they are as many, so each slot moves about once in its life.
/// The live slots stay contiguous, so a look at the stack walks one buffer.
///
/// The slots and the due times share one allocation (`SlotStorage`), copied on write: as two
/// arrays, every change checked two buffers' uniqueness and every look read two headers, and a
/// compaction read each dropped slot again (cold by then) to release it.
struct VersionStack: Sendable {
  // Sendable as the value it stands for: it is only changed while uniquely referenced.
  nonisolated(unsafe) private var storage: SlotStorage
  /// Offset of the oldest live slot (the live slots are `start..<end`).
  ///
  /// Kept here as well as in the storage's header: a prefetch works out the addresses from the
  /// group alone.
  private var start: Int32 = 0
  private var end: Int32 = 0
  /// Slots the storage has room for (its due times follow them).
  private var capacity: Int32 = 0
  /// The current version's cached due time (nil: unknown, or no slots), kept here as well as beside
  /// its slot.
  ///
  /// An upload and a night's expiration both look at the top slot; from here that look is not a
  /// cache miss on a slot written a day earlier.
  private(set) var topDue: Int64?
  /// Whether the current version is a delete marker (false when there are no slots).
  private(set) var topIsDeleteMarker = false

  /// A slot's due time when none is known: the earliest due time of any lifecycle action on the
  /// slot where it stands (Int64.max: none).
  static let unknown = Int64.min

  init(_ slots: [VersionSlot]) {
    guard !slots.isEmpty else {
      storage = SlotStorage.empty
      return
    }
    storage = SlotStorage.make(capacity: slots.count)
    capacity = Int32(slots.count)
    storage.withPointers(capacity) { base, dues in
      slots.withUnsafeBufferPointer { source in
        if let s = source.baseAddress { base.initialize(from: s, count: source.count) }
      }
      dues.initialize(repeating: Self.unknown, count: slots.count)
    }
    setBounds(0, Int32(slots.count))
    syncTop()
  }

  private mutating func setBounds(_ s: Int32, _ e: Int32) {
    start = s
    end = e
    storage.setBounds(start: Int(s), end: Int(e))
  }

  /// Makes the storage this stack's own, with room for `extra` more slots on top.
  @inline(__always)
  private mutating func makeUnique(extra: Int) {
    if isKnownUniquelyReferenced(&storage) && Int(end) + extra <= Int(capacity) { return }
    reallocate(extra: extra)
  }

  /// Makes the storage this stack's own, to change what it holds in place.
  @inline(__always)
  private mutating func makeUnique() {
    if isKnownUniquelyReferenced(&storage) { return }
    reallocate(extra: 0)
  }

  /// Moves (or, when shared, copies) the live slots to the bottom of a new storage with room for
  /// `extra` more, doubling as it grows; or compacts in place when half the room is vacated.
  @inline(never)
  private mutating func reallocate(extra: Int) {
    let live = Int(end - start)
    let unique = isKnownUniquelyReferenced(&storage)
    if unique && start > 0 && live + extra <= Int(capacity) && Int(start) >= live {
      compact()
      return
    }
    let room = Swift.max(2 * (live + extra), 4)
    let fresh = SlotStorage.make(capacity: room)
    let s = Int(start)
    storage.withPointers(capacity) { base, dues in
      fresh.withPointers(Int32(room)) { to, toDues in
        if unique {
          to.moveInitialize(from: base + s, count: live)
        } else {
          to.initialize(from: base + s, count: live)
        }
        toDues.initialize(from: dues + s, count: live)
      }
    }
    // The slots moved out leave nothing to release behind them.
    if unique { storage.setBounds(start: 0, end: 0) }
    storage = fresh
    capacity = Int32(room)
    setBounds(0, Int32(live))
  }

  /// Moves the live slots down to the bottom of the same storage (the vacated ones were released
  /// when they were dropped).
  @inline(never)
  private mutating func compact() {
    let live = Int(end - start), s = Int(start)
    storage.withPointers(capacity) { base, dues in
      base.moveInitialize(from: base + s, count: live)
      dues.update(from: dues + s, count: live)
    }
    setBounds(0, Int32(live))
  }

  /// Reads the top slot's cached fields after a change that may have replaced or edited it.
  private mutating func syncTop() {
    guard end > start else {
      topDue = nil
      topIsDeleteMarker = false
      return
    }
    let top = Int(end) - 1
    let (due, marker) = storage.withPointers(capacity) { base, dues in (dues[top], base[top].isDeleteMarker) }
    topDue = due == Self.unknown ? nil : due
    topIsDeleteMarker = marker
  }

  /// Slot `i`'s cached due time (nil: not known).
  @inline(__always)
  func due(at i: Int) -> Int64? {
    precondition(i >= 0 && i < count, "slot index out of range")
    let d = storage.withPointers(capacity) { _, dues in dues[Int(start) + i] }
    return d == Self.unknown ? nil : d
  }

  /// Sets a slot's cached due time (the top's without a look at the slot).
  @inline(__always)
  mutating func setDue(_ due: Int64?, at i: Int) {
    precondition(i >= 0 && i < count, "slot index out of range")
    makeUnique()
    let k = Int(start) + i
    storage.withPointers(capacity) { _, dues in dues[k] = due ?? Self.unknown }
    if k == Int(end) - 1 { topDue = due }
  }

  /// Forgets every slot's cached due time.
  mutating func forgetDues() {
    topDue = nil
    guard !isEmpty else { return }
    makeUnique()
    let s = Int(start), n = count
    storage.withPointers(capacity) { _, dues in (dues + s).update(repeating: Self.unknown, count: n) }
  }

  /// How many slots from the bottom, below the top, have a known due time at or before `t`.
  func noncurrentDueFromBottom(by t: Int64) -> Int {
    let top = Int(end) - 1, s = Int(start)
    return storage.withPointers(capacity) { _, dues in
      var i = s
      while i < top, dues[i] != Self.unknown, dues[i] <= t { i += 1 }
      return i - s
    }
  }

  /// Calls `body` with the live slots' cached due times, bottom first (`unknown` for none known).
  func withDues<R>(_ body: (UnsafeBufferPointer<Int64>) throws -> R) rethrows -> R {
    let s = Int(start), n = count
    return try storage.withPointers(capacity) { _, dues in try body(UnsafeBufferPointer(start: dues + s, count: n)) }
  }

  /// Calls `body` with the live slots, bottom first.
  func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<VersionSlot>) throws -> R) rethrows -> R {
    let s = Int(start), n = count
    return try storage.withPointers(capacity) { base, _ in try body(UnsafeBufferPointer(start: base + s, count: n)) }
  }

  /// What a prefetch is for: a push reads the top slot and writes the one above it; a night's
  /// expirations read and vacate the bottom slot.
  enum Use { case push, expiry }

  /// Starts loading what a push or a night's expirations read first: the storage's header (its
  /// reference count) and the top or the bottom slot and due time, of the stack stored at `stack`.
  ///
  /// Only a hint to the processor, issued a few groups ahead so that their cache misses overlap.
  /// It reads the stack's own fields as plain bytes (a copy of the storage reference would retain
  /// it: a write to the very line being fetched) and nothing of the storage, whatever the
  /// addresses. Only the lines that use reads: with thousands of keys the processor's queue of
  /// outstanding loads is full, and a hint for a line nobody reads waits for a place in it like
  /// one that is.
  static func prefetch(at stack: UnsafeRawPointer, layout: Layout, for use: Use) {
    let object = stack.load(fromByteOffset: layout.storage, as: UnsafeRawPointer.self)
    let start = Int(stack.load(fromByteOffset: layout.start, as: Int32.self))
    let end = Int(stack.load(fromByteOffset: layout.end, as: Int32.self))
    let capacity = Int(stack.load(fromByteOffset: layout.capacity, as: Int32.self))
    backupsim_prefetch(object)
    guard end > start else { return }
    let slots = object + layout.elements, stride = MemoryLayout<VersionSlot>.stride
    let times = slots + capacity * stride, width = MemoryLayout<Int64>.stride
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

  /// Where the fields `prefetch` reads lie in a stack, and the first slot in a storage object.
  struct Layout: Sendable {
    var storage: Int, start: Int, end: Int, capacity: Int, elements: Int
  }

  /// Nil when the layout is not as expected (then nothing is prefetched).
  ///
  /// Read once by each bucket: a static read per prefetch was a call of its own.
  static let layout: Layout? = {
    let probe = SlotStorage.make(capacity: 1)
    let object = UnsafeRawPointer(Unmanaged.passUnretained(probe).toOpaque())
    let elements = probe.withPointers(1) { base, _ in UnsafeRawPointer(base) - object }
    guard MemoryLayout<SlotStorage>.size == MemoryLayout<UnsafeRawPointer>.size,
      let storage = MemoryLayout<VersionStack>.offset(of: \.storage),
      let start = MemoryLayout<VersionStack>.offset(of: \.start),
      let end = MemoryLayout<VersionStack>.offset(of: \.end),
      let capacity = MemoryLayout<VersionStack>.offset(of: \.capacity)
    else { return nil }
    return Layout(storage: storage, start: start, end: end, capacity: capacity, elements: elements)
  }()
}

/// A stack's slots, then room for as many due times, in one object; the slots `start..<end` are
/// initialized (the header says which, so that they are released with it).
///
/// Only ever changed while uniquely referenced (`VersionStack` copies it first).
final class SlotStorage: ManagedBuffer<SlotStorage.Bounds, VersionSlot> {
  struct Bounds {
    var start: Int
    var end: Int
  }

  /// Shared by every empty stack (never changed: the first slot pushed makes a storage of its own).
  nonisolated(unsafe) static let empty = make(capacity: 0)

  /// A storage with room for `capacity` slots and as many due times, after them.
  static func make(capacity: Int) -> SlotStorage {
    // The due times take one slot's room per eight.
    let perSlot = MemoryLayout<VersionSlot>.stride / MemoryLayout<Int64>.stride
    let room = capacity + (capacity + perSlot - 1) / perSlot
    let object = create(minimumCapacity: room) { _ in Bounds(start: 0, end: 0) }
    return unsafeDowncast(object, to: SlotStorage.self)
  }

  /// Records which slots are initialized (through the header's address: the property checks
  /// exclusive access at run time, a call on every change of a stack).
  @inline(__always)
  func setBounds(start: Int, end: Int) {
    withUnsafeMutablePointerToHeader { $0.pointee = Bounds(start: start, end: end) }
  }

  /// Calls `body` with the slots' base and the due times' base, for a storage made with room for
  /// `capacity` slots (the stack keeps the number: asking the allocator is a call of its own).
  @inline(__always)
  func withPointers<R>(
    _ capacity: Int32, _ body: (UnsafeMutablePointer<VersionSlot>, UnsafeMutablePointer<Int64>) throws -> R
  ) rethrows -> R {
    try withUnsafeMutablePointerToElements { base in
      let dues = UnsafeMutableRawPointer(base + Int(capacity)).assumingMemoryBound(to: Int64.self)
      return try body(base, dues)
    }
  }

  deinit {
    let bounds = header
    withUnsafeMutablePointerToElements { base in
      (base + bounds.start).deinitialize(count: bounds.end - bounds.start)
    }
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
  var last: VersionSlot? { end == start ? nil : self[count - 1] }

  @inline(__always)
  subscript(i: Int) -> VersionSlot {
    _read {
      precondition(i >= 0 && i < count, "slot index out of range")
      let k = Int(start) + i
      let slot = storage.withPointers(capacity) { base, _ in UnsafePointer(base + k) }
      yield slot.pointee
    }
    _modify {
      precondition(i >= 0 && i < count, "slot index out of range")
      makeUnique()
      let k = Int(start) + i
      defer { if k == Int(end) - 1 { syncTop() } }
      let slot = storage.withPointers(capacity) { base, _ in base + k }
      yield &slot.pointee
    }
  }
}

extension VersionStack: RangeReplaceableCollection {
  init() {
    storage = SlotStorage.empty
  }

  /// Replaces slots; the new ones have no due time known. (Rare: a whole new storage.)
  mutating func replaceSubrange<C: Collection<VersionSlot>>(_ subrange: Range<Int>, with newSlots: C) {
    precondition(subrange.lowerBound >= 0 && subrange.upperBound <= count, "slot range out of range")
    var slots = withUnsafeBufferPointer { Array($0) }
    var dues = withDues { Array($0) }
    slots.replaceSubrange(subrange, with: newSlots)
    dues.replaceSubrange(subrange, with: repeatElement(Self.unknown, count: newSlots.count))
    self = VersionStack(slots)
    storage.withPointers(capacity) { _, to in dues.withUnsafeBufferPointer { if let d = $0.baseAddress { to.update(from: d, count: dues.count) } } }
    syncTop()
  }

  /// Puts a slot on top, with no due time known.
  @inline(__always)
  mutating func append(_ slot: consuming VersionSlot) {
    // A full storage whose bottom half is vacated is compacted rather than grown; otherwise it
    // grows (doubling), which leaves room for the bottom to be vacated before the next compaction.
    makeUnique(extra: 1)
    place(slot)
  }

  /// Puts a slot on top and forgets the old top's due time (it has a successor now): an upload's
  /// change to a stack, in one access.
  @inline(__always)
  mutating func push(_ slot: consuming VersionSlot) {
    makeUnique(extra: 1)
    if end > start {
      let top = Int(end) - 1
      storage.withPointers(capacity) { _, dues in dues[top] = Self.unknown }
    }
    place(slot)
  }

  /// Puts a slot on top of a storage of its own with room for it.
  @inline(__always)
  private mutating func place(_ slot: consuming VersionSlot) {
    topDue = nil
    topIsDeleteMarker = slot.isDeleteMarker
    let k = Int(end)
    let (place, due) = storage.withPointers(capacity) { base, dues in (base + k, dues + k) }
    place.initialize(to: slot)
    due.pointee = Self.unknown
    end += 1
    storage.setBounds(start: Int(start), end: Int(end))
  }

  mutating func removeSubrange(_ bounds: Range<Int>) {
    precondition(bounds.lowerBound >= 0 && bounds.upperBound <= count, "slot range out of range")
    guard !bounds.isEmpty else { return }
    makeUnique()
    let lo = Int(start) + bounds.lowerBound, hi = Int(start) + bounds.upperBound, e = Int(end)
    // A slot with an inline part holds only the empty array (a static object, never freed): it
    // is dropped without the runtime's call to destroy it, and the usual night's removal makes no
    // call at all. The base outlives the closure: the storage is this stack's own.
    let base = storage.withPointers(capacity) { base, _ in base }
    for k in lo..<hi where base[k].holdsReferences { Self.destroy(base + k) }
    if bounds.lowerBound == 0 && bounds.upperBound < count {
      setBounds(start + Int32(bounds.count), end)
      if start * 2 >= end { compact() }
      return
    }
    // Not the bottom: the slots above close the gap.
    storage.withPointers(capacity) { base, dues in
      (base + lo).moveInitialize(from: base + hi, count: e - hi)
      (dues + lo).update(from: dues + hi, count: e - hi)
    }
    setBounds(start, end - Int32(bounds.count))
    if end == start { setBounds(0, 0) }
    syncTop()
  }

  @inline(never)
  private static func destroy(_ slot: UnsafeMutablePointer<VersionSlot>) { slot.deinitialize(count: 1) }

  @discardableResult
  mutating func remove(at i: Int) -> VersionSlot {
    let slot = self[i]
    removeSubrange(i..<(i + 1))
    return slot
  }

  mutating func removeAll(keepingCapacity keepCapacity: Bool = false) {
    if keepCapacity {
      removeSubrange(0..<count)
    } else {
      self = VersionStack()
    }
  }
}
