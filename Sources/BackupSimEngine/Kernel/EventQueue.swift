import BackupSimModel

/// Something that happens at an instant of simulated time.
///
/// Values, never closures, so the
/// queue can be printed and traced.
enum SimEvent: Equatable, Sendable {
  /// 00:00 UTC: close the previous day's sample, then run lifecycle.
  case midnight
  case upload(job: Int)
  case versioning(VersioningState)
  /// Record where every restore point's versions are (for a restore estimate at a given date).
  case snapshot
  /// The attacker acts (`SimulationOptions.attack`).
  case attack
  /// The next hour of a cost bomb's uploads.
  case attackUpload
  /// A replica arrives from the source bucket (`Simulation.incoming`, by index).
  case replica(Int)
}

/// Among events at the same instant, urgent ones run first (the midnight lifecycle run sees the
/// state as it stands at 00:00, before any upload scheduled for 00:00).
enum Priority: Int, Comparable, Sendable {
  case urgent = 0
  case normal = 1
  static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}

struct Scheduled: Comparable, Sendable {
  var time: SimTime
  /// Insertion order: the heap alone does not order ties.
  var sequence: UInt64
  var event: SimEvent
  var priority: Priority

  init(time: SimTime, priority: Priority, sequence: UInt64, event: SimEvent) {
    self.time = time
    self.sequence = sequence
    self.event = event
    self.priority = priority
  }

  @inline(__always)
  static func < (a: Scheduled, b: Scheduled) -> Bool {
    if a.time.seconds != b.time.seconds { return a.time.seconds < b.time.seconds }
    if a.priority != b.priority { return a.priority.rawValue < b.priority.rawValue }
    return a.sequence < b.sequence
  }
  static func == (a: Scheduled, b: Scheduled) -> Bool { a.sequence == b.sequence }
}

/// A binary min-heap of scheduled events in (time, priority, insertion) order.
///
/// Its own heap rather than a general one: the queue pops one event per upload, and a min-max
/// heap's look at four grandchildren per level was most of that. A pop moves the hole left by the
/// root down to a leaf along the smaller children and lets the last event rise from there: the
/// event that follows a run is usually a day later, so it rarely rises far.
struct EventQueue: Sendable {
  private var heap: [Scheduled] = []
  private var sequence: UInt64 = 0

  var isEmpty: Bool { heap.isEmpty }
  var count: Int { heap.count }
  var nextTime: SimTime? { heap.first?.time }
  var next: Scheduled? { heap.first }
  /// The event that will come after `next` (one of the root's children).
  var afterNext: Scheduled? {
    guard heap.count > 1 else { return nil }
    return heap.count > 2 && heap[2] < heap[1] ? heap[2] : heap[1]
  }

  mutating func schedule(_ event: SimEvent, at time: SimTime, priority: Priority = .normal) {
    heap.append(Scheduled(time: time, priority: priority, sequence: sequence, event: event))
    sequence += 1
    heap.withUnsafeMutableBufferPointer { h in Self.rise(h, from: h.count - 1) }
  }

  mutating func pop() -> Scheduled? {
    guard let last = heap.popLast() else { return nil }
    guard !heap.isEmpty else { return last }
    let first = heap[0]
    heap.withUnsafeMutableBufferPointer { h in
      var hole = 0
      while true {
        let left = 2 * hole + 1
        guard left < h.count else { break }
        let child = left + 1 < h.count && h[left + 1] < h[left] ? left + 1 : left
        h[hole] = h[child]
        hole = child
      }
      h[hole] = last
      Self.rise(h, from: hole)
    }
    return first
  }

  /// Moves the event at `i` up while it comes before its parent.
  @inline(__always)
  private static func rise(_ h: UnsafeMutableBufferPointer<Scheduled>, from i: Int) {
    var i = i
    let item = h[i]
    while i > 0 {
      let parent = (i - 1) / 2
      guard item < h[parent] else { break }
      h[i] = h[parent]
      i = parent
    }
    h[i] = item
  }
}

/// Key groups waiting for a lifecycle run, by due time.
///
/// Lifecycle runs only at 00:00 UTC, so entries are kept in a calendar, one list per UTC day:
/// an insert appends to its day's list and a daily run takes that list whole, with no heap. Entries
/// go stale when the group changes; the generation number tells.
struct WakeQueue: Sendable {
  struct Entry: Comparable, Sendable {
    var time: SimTime
    var group: Int
    var generation: UInt64
    static func < (a: Entry, b: Entry) -> Bool { (a.time.seconds, a.group, a.generation) < (b.time.seconds, b.group, b.generation) }
  }
  /// Day number of `days[0]`.
  private var firstDay: Int64 = 0
  /// Entries by UTC day from `firstDay`; days before `next` have been taken.
  private var days: [[Entry]] = []
  private var next = 0

  mutating func insert(_ e: Entry) {
    let day = e.time.dayNumber
    if days.isEmpty { firstDay = day }
    if next == 0 && day < firstDay {
      days = Array(repeating: [], count: Int(firstDay - day)) + days
      firstDay = day
    }
    // A time before the first day not yet taken is due at once: it joins that day.
    let d = max(next, Int(day - firstDay))
    if d >= days.count { days += Array(repeating: [], count: d + 1 - days.count) }
    days[d].append(e)
  }

  /// Removes and returns every entry due at or before `t`, in (time, group, generation) order.
  mutating func popDue(_ t: SimTime) -> [Entry] {
    guard !days.isEmpty else { return [] }
    let last = min(days.count - 1, Int(t.dayNumber - firstDay))
    var out: [Entry] = []
    while next <= last {
      var day: [Entry] = []
      swap(&day, &days[next])
      if day.allSatisfy({ $0.time <= t }) {
        if out.isEmpty { out = day } else { out += day }
        next += 1
      } else {
        // Only on the day of `t` itself, for a time of day past midnight.
        out += day.filter { $0.time <= t }
        days[next] = day.filter { $0.time > t }
        break
      }
    }
    if out.count > 1 { out.sort() }
    return out
  }
}
