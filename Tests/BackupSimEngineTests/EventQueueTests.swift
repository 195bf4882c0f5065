import BackupSimTestSupport
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// The kernel: nothing runs early, time never goes back, same-time events run urgent first and
/// then in the order they were scheduled.
@Suite struct EventQueueTests {
  @Test(arguments: 0..<50)
  func popsInTimePriorityAndSchedulingOrder(seed: Int) {
    var g = SeededGenerator(seed: UInt64(seed))
    var q = EventQueue()
    var scheduled: [(time: Int64, priority: Priority, order: Int)] = []
    for k in 0..<200 {
      let time = Int64(g.next() % 20) * 3600  // many ties on purpose
      let priority: Priority = g.next() % 3 == 0 ? .urgent : .normal
      q.schedule(.upload(job: k), at: SimTime(seconds: time), priority: priority)
      scheduled.append((time, priority, k))
    }
    let expected = scheduled.sorted { ($0.time, $0.priority.rawValue, $0.order) < ($1.time, $1.priority.rawValue, $1.order) }
    var popped: [Int] = []
    var last = Int64.min
    while let e = q.pop() {
      #expect(e.time.seconds >= last)
      last = e.time.seconds
      if case .upload(let k) = e.event { popped.append(k) }
    }
    #expect(popped == expected.map(\.order))
  }

  /// As the simulation uses it: each pop schedules follow-ups at or after the popped time.
  ///
  /// The queue must agree with a plain sorted list at every step. Follow-ups land on the day being
  /// read (the heap) and on the days after it (the calendar), with ties at midnight.
  @Test(arguments: 0..<20)
  func interleavedSchedulingAgreesWithASortedList(seed: Int) {
    var g = SeededGenerator(seed: UInt64(seed))
    var q = EventQueue()
    var reference: [(time: Int64, priority: Int, order: Int)] = []
    var order = 0
    func add(_ time: Int64, _ priority: Priority) {
      q.schedule(.upload(job: order), at: SimTime(seconds: time), priority: priority)
      reference.append((time, priority.rawValue, order))
      order += 1
    }
    for _ in 0..<50 { add(Int64(g.next() % 10), g.next() % 4 == 0 ? .urgent : .normal) }
    for _ in 0..<2_000 {
      reference.sort { ($0.time, $0.priority, $0.order) < ($1.time, $1.priority, $1.order) }
      guard let e = q.pop() else { break }
      let want = reference.removeFirst()
      #expect(e.time.seconds == want.time)
      if case .upload(let k) = e.event { #expect(k == want.order) }
      for _ in 0..<Int(g.next() % 3) {
        let later: Int64 =
          switch g.next() % 3 {
          case 0: Int64(g.next() % 5)  // the same day, mostly
          case 1: SimTime.secondsPerDay * Int64(1 + g.next() % 3)  // a day or three later, to the second
          default: (e.time.seconds / SimTime.secondsPerDay + 1 + Int64(g.next() % 2)) * SimTime.secondsPerDay - e.time.seconds  // a midnight
          }
        add(e.time.seconds + later, g.next() % 4 == 0 ? .urgent : .normal)
      }
    }
    #expect(q.count == reference.count)
  }

  @Test func wakeQueuePopsOnlyWhatIsDue() {
    var w = WakeQueue()
    for (t, g) in [(30, 1), (10, 2), (20, 3), (10, 4)] { w.insert(.init(time: SimTime(seconds: Int64(t)), group: g, generation: 0)) }
    #expect(w.popDue(SimTime(seconds: 9)).isEmpty)
    #expect(w.popDue(SimTime(seconds: 20)).map(\.group) == [2, 4, 3])
    #expect(w.popDue(SimTime(seconds: 100)).map(\.group) == [1])
  }

  /// The calendar of days takes wake-ups in any order: one a year away first, then tomorrow's.
  @Test func wakeQueueTakesAnEarlierDayAfterALaterOne() {
    let day = SimTime.secondsPerDay
    var w = WakeQueue()
    w.insert(.init(time: SimTime(seconds: 400 * day), group: 1, generation: 0))
    w.insert(.init(time: SimTime(seconds: 11 * day), group: 3, generation: 0))
    w.insert(.init(time: SimTime(seconds: 10 * day), group: 2, generation: 0))
    #expect(w.popDue(SimTime(seconds: 9 * day)).isEmpty)
    #expect(w.popDue(SimTime(seconds: 10 * day)).map(\.group) == [2])
    // Inserted for a day already taken: due at the next run, first (its time is earlier), as a heap has it.
    w.insert(.init(time: SimTime(seconds: 5 * day), group: 4, generation: 0))
    #expect(w.popDue(SimTime(seconds: 11 * day)).map(\.group) == [4, 3])
    #expect(w.popDue(SimTime(seconds: 399 * day)).isEmpty)
    #expect(w.popDue(SimTime(seconds: 400 * day)).map(\.group) == [1])
  }
}

@Suite struct VersionStackTests {
  static func slot(_ serial: UInt64) -> VersionSlot {
    VersionSlot(
      serial: serial, isNull: false, isDeleteMarker: false, createdAt: SimTime(seconds: Int64(serial)), retainUntil: nil, tags: [],
      origin: 0, parts: [SlotPart(positions: nil, count: 1, storageClass: .standard, classSince: SimTime(seconds: 0), sizes: .uniform(1))])
  }

  /// A slot is one 64-byte cache line's worth: the fields are ordered so that no padding makes it
  /// longer (a night's look at a stack and its compactions move slots by the line).
  @Test func aSlotIsSixtyFourBytes() {
    #expect(MemoryLayout<VersionSlot>.stride == 64)
  }

  /// The prefetch hint reads a stack's fields as bytes: the addresses it works out must be the
  /// real ones, or it silently loads the wrong lines.
  @Test func prefetchFindsAStacksSlots() throws {
    var stack = VersionStack((1...5).map { Self.slot($0) })
    stack.removeSubrange(0..<2)
    let layout = try #require(VersionStack.layout)
    let first = stack.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    let firstDue = stack.withDues { $0.baseAddress.map { UnsafeRawPointer($0) } }
    withUnsafeBytes(of: stack) { raw in
      let object = raw.load(fromByteOffset: layout.storage, as: UnsafeRawPointer.self)
      let start = Int(raw.load(fromByteOffset: layout.start, as: Int32.self))
      let end = Int(raw.load(fromByteOffset: layout.end, as: Int32.self))
      let capacity = Int(raw.load(fromByteOffset: layout.capacity, as: Int32.self))
      #expect(start == 2 && end == 5 && capacity == 5)
      let slots = object + layout.elements
      #expect(slots + start * MemoryLayout<VersionSlot>.stride == first)
      #expect(slots + capacity * MemoryLayout<VersionSlot>.stride + start * MemoryLayout<Int64>.stride == firstDue)
    }
  }

  /// A nightly overwrite under a noncurrent rule: one slot in on top, the oldest out at the bottom,
  /// for long enough that the vacated bottom is compacted several times.
  @Test func slidingWindowKeepsOrderAndIndices() {
    var stack = VersionStack((1...5).map { Self.slot($0) })
    for serial in UInt64(6)...200 {
      stack.append(Self.slot(serial))
      stack.removeSubrange(0..<1)
      #expect(stack.map(\.serial) == Array((serial - 4)...serial))
      #expect(stack.first?.serial == serial - 4 && stack.last?.serial == serial && stack.count == 5)
      #expect(stack.withUnsafeBufferPointer { $0.map(\.serial) } == Array((serial - 4)...serial))
    }
    stack.setDue(7, at: 0)
    stack.setDue(9, at: 4)
    #expect(stack.due(at: 0) == 7 && stack.due(at: 1) == nil && stack.topDue == 9)
    // The due times move with their slots: the oldest goes, the next one up is now at 0.
    stack.setDue(8, at: 1)
    stack.removeSubrange(0..<1)
    #expect(stack.due(at: 0) == 8 && stack.due(at: 3) == 9 && stack.withDues { Array($0) } == [8, VersionStack.unknown, VersionStack.unknown, 9])
    // A new top has none; a removal in the middle takes its due time with it.
    stack.append(Self.slot(201))
    #expect(stack.topDue == nil && stack.due(at: 3) == 9)
    stack.removeSubrange(1..<3)
    #expect(stack.withDues { Array($0) } == [8, 9, VersionStack.unknown] && stack.map(\.serial) == [197, 200, 201])
    stack.forgetDues()
    #expect(stack.due(at: 0) == nil && stack.topDue == nil)
  }

  /// A slot whose parts are held in an array of their own (two parts), so that copies, moves and
  /// releases of the storage's slots are reference counted.
  static func spilledSlot(_ serial: UInt64) -> VersionSlot {
    let part = SlotPart(positions: [0], count: 1, storageClass: .standard, classSince: SimTime(seconds: 0), sizes: .uniform(Int64(serial)))
    var other = part
    other.positions = [1]
    return VersionSlot(
      serial: serial, isNull: false, isDeleteMarker: false, createdAt: SimTime(seconds: Int64(serial)), retainUntil: nil, tags: [],
      origin: 0, parts: [part, other])
  }

  /// A copy of a stack is a value: changes to either (pushes that grow or compact it, removals at
  /// the bottom and in the middle, edits of a slot) leave the other as it was.
  @Test func copiesAreIndependent() {
    var a = VersionStack((1...6).map { Self.spilledSlot($0) })
    a.setDue(11, at: 1)
    let b = a
    a.removeSubrange(0..<3)
    for serial in UInt64(7)...40 { a.push(Self.spilledSlot(serial)) }
    a.removeSubrange(2..<5)
    a[0].setPart(1, SlotPart(positions: [1], count: 1, storageClass: .glacier, classSince: SimTime(seconds: 9), sizes: .uniform(5)))
    #expect(b.map(\.serial) == Array(1...6) && b.due(at: 1) == 11 && b.due(at: 0) == nil)
    #expect(b[3].partCount == 2 && b[3].partSize(1) == 4 && b[3].partClass(1) == .standard)
    #expect(a.map(\.serial) == [4, 5] + Array(9...40) && a[0].partClass(1) == .glacier && a[0].partClass(0) == .standard)
    var c = b
    c.removeAll()
    #expect(c.isEmpty && b.count == 6 && b.last?.serial == 6)
    c.append(Self.spilledSlot(99))
    #expect(c.map(\.serial) == [99] && b.count == 6)
  }

  @Test func removalsInTheMiddleAtTheTopAndOfEverything() {
    var stack = VersionStack((1...8).map { Self.slot($0) })
    stack.removeSubrange(0..<2)  // vacated bottom
    stack.removeSubrange(2...3)  // serials 5 and 6
    #expect(stack.map(\.serial) == [3, 4, 7, 8])
    #expect(stack.remove(at: 3).serial == 8)
    #expect(stack.remove(at: 0).serial == 3)
    #expect(stack.map(\.serial) == [4, 7])
    stack.removeSubrange(0..<2)
    #expect(stack.isEmpty && stack.last == nil)
    stack.append(Self.slot(9))
    #expect(stack.map(\.serial) == [9] && stack.indices == 0..<1)
  }
}
