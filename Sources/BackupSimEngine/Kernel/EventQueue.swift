import BackupSimModel
import HeapModule

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
  var priority: Priority
  /// Insertion order: the heap alone does not order ties.
  var sequence: UInt64
  var event: SimEvent

  static func < (a: Scheduled, b: Scheduled) -> Bool {
    (a.time.seconds, a.priority.rawValue, a.sequence) < (b.time.seconds, b.priority.rawValue, b.sequence)
  }
  static func == (a: Scheduled, b: Scheduled) -> Bool { a.sequence == b.sequence }
}

/// A min-heap of scheduled events in (time, priority, insertion) order.
struct EventQueue: Sendable {
  private var heap = Heap<Scheduled>()
  private var sequence: UInt64 = 0

  var isEmpty: Bool { heap.isEmpty }
  var count: Int { heap.count }
  var nextTime: SimTime? { heap.min?.time }
  var next: Scheduled? { heap.min }

  mutating func schedule(_ event: SimEvent, at time: SimTime, priority: Priority = .normal) {
    heap.insert(Scheduled(time: time, priority: priority, sequence: sequence, event: event))
    sequence += 1
  }

  mutating func pop() -> Scheduled? { heap.popMin() }
}

/// Key groups waiting for a lifecycle run, by due time.
///
/// Entries go stale when the group changes;
/// the generation number tells.
struct WakeQueue: Sendable {
  struct Entry: Comparable, Sendable {
    var time: SimTime
    var group: Int
    var generation: UInt64
    static func < (a: Entry, b: Entry) -> Bool { (a.time.seconds, a.group, a.generation) < (b.time.seconds, b.group, b.generation) }
  }
  private var heap = Heap<Entry>()

  mutating func insert(_ e: Entry) { heap.insert(e) }

  /// Removes and returns every entry due at or before `t`.
  mutating func popDue(_ t: SimTime) -> [Entry] {
    var out: [Entry] = []
    while let m = heap.min, m.time <= t { out.append(m); _ = heap.popMin() }
    return out
  }
}
