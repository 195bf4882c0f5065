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
