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

/// Scheduled events in (time, priority, insertion) order: a calendar of days and a heap.
///
/// Most events are a job's next run, a day or an hour after the last. Events of later days are
/// appended to their day's list; when the events at hand run out, the next day's list is sorted
/// (usually it is already in order: it was filled in the order of the previous day's runs) and
/// read front to back. An event scheduled for the day being read, or earlier, goes to a heap
/// instead, and a pop takes the earlier of the two. A heap of every pending event cost a pass
/// from root to leaf per pop, a cache miss per level once jobs were thousands.
struct EventQueue: Sendable {
  /// Lists of events by UTC day from `firstDay`, unsorted; days up to `open` have been taken.
  private var days: [[Scheduled]] = []
  private var firstDay: Int64 = 0
  /// Index in `days` of the day being read; -1 before the first.
  private var open = -1
  /// The open day's events, sorted; `cursor` is the next one.
  private var today: [Scheduled] = []
  private var cursor = 0
  /// Events scheduled for the open day or earlier after it was opened.
  private var late = EventHeap()
  /// The last day's list, emptied, for the next day that gets an event: a list grown from empty
  /// was reallocated a dozen times a day with thousands of jobs.
  private var spare: [Scheduled] = []
  private var sequence: UInt64 = 0
  private(set) var count = 0

  var isEmpty: Bool { count == 0 }

  mutating func schedule(_ event: SimEvent, at time: SimTime, priority: Priority = .normal) {
    let e = Scheduled(time: time, priority: priority, sequence: sequence, event: event)
    sequence += 1
    count += 1
    let day = time.dayNumber
    if open >= 0 && day <= firstDay + Int64(open) {
      late.push(e)
      return
    }
    if days.isEmpty { firstDay = day }
    if day < firstDay {
      // Only before the first day is opened (after it, earlier days go to the heap).
      days = Array(repeating: [], count: Int(firstDay - day)) + days
      firstDay = day
    }
    let d = Int(day - firstDay)
    if d >= days.count { days += Array(repeating: [], count: d + 1 - days.count) }
    if days[d].capacity == 0 && spare.capacity > 0 { swap(&days[d], &spare) }
    days[d].append(e)
  }

  /// The next event, opening the next day with events when the open one has none left.
  mutating func next() -> Scheduled? {
    if cursor == today.count && late.isEmpty { openNextDay() }
    guard cursor < today.count else { return late.first }
    guard let l = late.first, l < today[cursor] else { return today[cursor] }
    return l
  }

  /// The event `k` places after the next one among the day's sorted events, or nil (a hint for
  /// prefetching: events scheduled into the day since it was opened are not counted).
  func upcoming(_ k: Int) -> Scheduled? { cursor + k < today.count ? today[cursor + k] : nil }

  mutating func pop() -> Scheduled? {
    guard let e = next() else { return nil }
    remove(e)
    return e
  }

  /// Removes `e`, the event `next()` has just returned.
  mutating func remove(_ e: Scheduled) {
    count -= 1
    if cursor < today.count && today[cursor].sequence == e.sequence {
      cursor += 1
    } else {
      _ = late.pop()
    }
  }

  private mutating func openNextDay() {
    var d = open + 1
    while d < days.count && days[d].isEmpty { d += 1 }
    guard d < days.count else { return }
    open = d
    today.removeAll(keepingCapacity: true)
    spare = today
    today = days[d]
    days[d] = []
    cursor = 0
    if !zip(today, today.dropFirst()).allSatisfy({ $0.0 < $0.1 }) { today.sort() }
  }
}

/// A binary min-heap of scheduled events.
///
/// A pop moves the hole left by the root down to a leaf along the smaller children and lets the
/// last event rise from there.
struct EventHeap: Sendable {
  private var heap: [Scheduled] = []

  var isEmpty: Bool { heap.isEmpty }
  var first: Scheduled? { heap.first }

  mutating func push(_ e: Scheduled) {
    heap.append(e)
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
  /// A list handed back by `recycle`, emptied, for the next day that gets an entry (as in
  /// `EventQueue`).
  private var spare: [Entry] = []

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
    if days[d].capacity == 0 && spare.capacity > 0 { swap(&days[d], &spare) }
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

  /// Takes back a list `popDue` returned, once read, to hold a later day's entries.
  mutating func recycle(_ list: consuming [Entry]) {
    var list = list
    list.removeAll(keepingCapacity: true)
    spare = list
  }
}
