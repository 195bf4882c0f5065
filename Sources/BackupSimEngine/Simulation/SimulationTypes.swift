import BackupSimModel
import Foundation

/// How to run a scenario.
public struct SimulationOptions: Sendable {
  /// Simulate every key on its own instead of in groups with one history (the reference model
  /// the grouped one must match exactly; slow for large buckets).
  public var perObject: Bool
  /// Record a timeline of this key's versions (for `explain`).
  public var watchKey: String?
  /// Also record where every restore point's versions are at this instant (for `--restore-at`).
  public var snapshotAt: SimTime?

  /// An attack to play at its time (already checked against the policies).
  public var attack: AttackAction?
  /// The benchmark's baseline: every key on its own and every version looked at every day, with no
  /// wake-up queue.
  ///
  /// Same results, much slower.
  public var dayByDay: Bool
  /// Recount everything after every event and stop at the first disagreement (for tests).
  public var checkInvariants = false
  /// Record what only a scenario's own report reads: the bill to date in every daily sample (daily.csv,
  /// `maxMonthlyCost`) and where each restore point's versions are at the end (restore estimates).
  ///
  /// The attack strategies' runs, read for their losses and costs only, leave both out.
  public var reportDetail = true

  public init(
    perObject: Bool = false, watchKey: String? = nil, snapshotAt: SimTime? = nil, attack: AttackAction? = nil, dayByDay: Bool = false
  ) {
    self.dayByDay = dayByDay
    self.perObject = perObject || dayByDay
    self.watchKey = watchKey
    self.snapshotAt = snapshotAt
    self.attack = attack
  }
}

/// What the attacker does at `at`, with the permission checks it needs per key.
public struct AttackAction: Sendable {
  /// Junk uploads for `cost-bomb`.
  public struct CostBomb: Sendable {
    public var storageClass: StorageClass
    public var keyPrefix: String
    public var bytesPerSecond: Int64
    public var until: SimTime
    public init(storageClass: StorageClass, keyPrefix: String, bytesPerSecond: Int64, until: SimTime) {
      self.storageClass = storageClass
      self.keyPrefix = keyPrefix
      self.bytesPerSecond = bytesPerSecond
      self.until = until
    }
  }

  public var strategy: AttackStrategy
  public var at: SimTime
  /// Whether the attacker may overwrite this key with a plain PUT.
  public var mayPut: @Sendable (String) -> Bool
  public var mayDelete: @Sendable (String) -> Bool
  public var mayDeleteVersions: @Sendable (String) -> Bool
  /// GOVERNANCE-mode locks do not stop it (s3:BypassGovernanceRetention).
  public var bypassGovernance: Bool
  /// It may list version IDs; without, it learns only the current one (HEAD) and stops at a version it cannot delete.
  public var listsVersions = true
  public var costBomb: CostBomb?

  public init(
    strategy: AttackStrategy, at: SimTime, mayPut: @escaping @Sendable (String) -> Bool = { _ in false },
    mayDelete: @escaping @Sendable (String) -> Bool = { _ in false },
    mayDeleteVersions: @escaping @Sendable (String) -> Bool = { _ in false }, bypassGovernance: Bool = false,
    costBomb: CostBomb? = nil
  ) {
    self.strategy = strategy
    self.at = at
    self.mayPut = mayPut
    self.mayDelete = mayDelete
    self.mayDeleteVersions = mayDeleteVersions
    self.bypassGovernance = bypassGovernance
    self.costBomb = costBomb
  }

  /// The rule an attacker with s3:PutLifecycleConfiguration installs: everything expires at once.
  public static let tamperedLifecycle = LifecycleConfiguration(rules: [
    LifecycleRule(
      id: "attacker-expire-all", expiration: .after(.days(1)), noncurrentExpiration: .init(noncurrentDays: 1))
  ])
}

/// Where one restore point's surviving versions sit, by class.
public struct PointComposition: Sendable, Equatable {
  public struct Part: Sendable, Equatable {
    public var objects: Int
    public var bytes: Int64
    public var largestObject: Int64

    package init(objects: Int, bytes: Int64, largestObject: Int64) {
      self.objects = objects
      self.bytes = bytes
      self.largestObject = largestObject
    }

    mutating func add(objects: Int, bytes: Int64, largestObject: Int64) {
      self.objects += objects
      self.bytes += bytes
      self.largestObject = max(self.largestObject, largestObject)
    }
  }
  public var byClass: [StorageClass: Part] = [:]
  /// The INTELLIGENT_TIERING objects among them that sit in the Archive Access or Deep Archive Access tier, which
  /// must be restored before they can be read (docs/s3-rules.md §3.2).
  public var archivedInIntelligentTiering: [AccessTier: Part] = [:]
  public init() {}
}

/// Why a version (or delete marker) was permanently removed: data, for the reports to put in words.
public enum RemovalReason: Sendable, Hashable {
  /// The lifecycle action a rule took, by the rule's ID.
  public enum LifecycleAction: Sendable, Hashable {
    case expiration, noncurrentVersionExpiration, expiredObjectDeleteMarker
  }
  case lifecycle(rule: String, LifecycleAction)
  /// A write replaced the null version: versioning `.suspended`, or `.disabled` (never enabled or off).
  case nullVersionReplaced(VersioningState)
  /// The attacker's request (DeleteObject, DeleteObjectVersion).
  case attacker(S3Operation)
  /// The run depends on job `job`, none of whose runs had been written before it (never restorable).
  case missingBase(job: Int)
}

/// Values numbered from 1 in the order first seen (0 stands for none).
///
/// One table for the process, behind a lock: sweeps run simulations on threads. The numbers are
/// never reported.
final class SharedNumbering<Value: Hashable & Sendable>: @unchecked Sendable {
  private let limit: UInt32
  private let lock = NSLock()
  private var values: [Value] = []
  private var numbers: [Value: UInt32] = [:]

  init(limit: UInt32) { self.limit = limit }

  func number(_ value: Value) -> UInt32 {
    lock.withLock {
      if let n = numbers[value] { return n }
      precondition(UInt32(values.count) + 1 < limit, "too many distinct \(Value.self) values")
      values.append(value)
      let n = UInt32(values.count)
      numbers[value] = n
      return n
    }
  }

  func value(_ number: UInt32) -> Value { lock.withLock { values[Int(number) - 1] } }
}

/// Removal reasons by number.
///
/// A restore point holds a number rather than a reason whose rule ID is a string: a point stays
/// 64 bytes and is copied without reference counting. Reasons are few (a scenario's rules and
/// actions, the attacker's requests, the jobs others depend on).
enum RemovalReasonNumbers {
  /// Numbers fit in the 29 bits a restore point keeps for them.
  static let shared = SharedNumbering<RemovalReason>(limit: 1 << 29)
}

/// Every distinct set of object tags a version has been written with, by number (0: none).
///
/// A slot keeps its tags' number: an array in each slot was retained and released whenever a
/// version was written, vacated or compacted. Only rules that filter on tags read the sets.
enum TagSets {
  private static let numbering = SharedNumbering<[ObjectTag]>(limit: .max)

  static func number(_ tags: [ObjectTag]) -> UInt32 { tags.isEmpty ? 0 : numbering.number(tags) }

  static func tags(_ number: UInt32) -> [ObjectTag] { number == 0 ? [] : numbering.value(number) }
}

/// What the engine reads and writes for one upload job on every run, in one place: its run
/// count, its latest point and copies of the job's fields that a run reads.
///
/// Five arrays by job were five cache lines and five checks of uniqueness per run, and the job
/// itself (its name, key, schedule and tags) another three lines.
struct JobState: Sendable {
  /// The seconds from one run to the next when they never vary (hourly, daily), else 0: the next
  /// run is then found without a copy of the job's schedule.
  let period: Int64
  let growthPerMonth: Double
  /// The size of every object when it is fixed, else -1 (drawn from the job's distribution).
  let fixedSize: Int64
  let objects: Int
  var runs: Int32 = 0
  /// Its latest restore point, or -1.
  var lastPoint: Int32 = -1
  /// Its key's pattern id, interned once, when the key has no date or run in it; else -1 (building
  /// and hashing the string on every run was a tenth of an upload).
  var fixedPattern: Int32 = -1
  /// Its tags' number in `TagSets`.
  let tagSet: UInt32
  /// The job it is an increment of, or -1.
  let dependsOn: Int32
  let storageClass: StorageClass

  init(_ job: UploadJob) {
    switch job.schedule {
    case .hourly: period = 3600
    case .daily: period = SimTime.secondsPerDay
    case .weekly, .monthly, .cron: period = 0
    }
    growthPerMonth = job.growthPerMonth
    switch job.size {
    case .fixed(let s): fixedSize = s
    case .lognormal: fixedSize = -1
    }
    objects = job.objects
    tagSet = TagSets.number(job.tags)
    if let d = job.dependsOn { dependsOn = Int32(d) } else { dependsOn = -1 }
    storageClass = job.storageClass
  }
}

/// Who writes a version, as a watched key's trace names it.
///
/// A job by its index, not its name: a name passed down with every upload was a string retained
/// and released per version, read only for a watched key.
enum Writer: Sendable {
  case job(Int, run: Int)
  case attacker
  case replica

  func nameAndRun(_ jobs: [UploadJob]) -> (name: String, run: Int) {
    switch self {
    case .job(let j, let run): (jobs[j].name, run)
    case .attacker: ("attacker", 0)
    case .replica: ("replica", 0)
    }
  }
}

/// One run of one upload job: the unit of restore.
///
/// A run holds one point per run of every job, millions over years: the fields are stored packed
/// (32-bit job and run numbers, sentinels for the optionals, the first class and the removal
/// reason as numbers in one word) and read and written through the properties. 64 bytes.
public struct RestorePoint: Sendable, Equatable {
  public var job: Int {
    get { Int(packedJob) }
    set { packedJob = Int32(newValue) }
  }
  /// 1-based run number of the job.
  public var run: Int {
    get { Int(packedRun) }
    set { packedRun = Int32(newValue) }
  }
  public var writtenAt: SimTime
  public var versions: Int {
    get { Int(packedVersions) }
    set { packedVersions = Int32(newValue) }
  }
  public var bytes: Int64
  /// Versions of this run still stored.
  public var alive: Int {
    get { Int(packedAlive) }
    set { packedAlive = Int32(newValue) }
  }
  /// When the first of its versions was permanently removed, and why.
  public var lostAt: SimTime? {
    get { packedLostAt == Self.never ? nil : SimTime(seconds: packedLostAt) }
    set { packedLostAt = newValue?.seconds ?? Self.never }
  }
  public var lostBy: RemovalReason? {
    get { lostByNumber == 0 ? nil : RemovalReasonNumbers.shared.value(lostByNumber) }
    set { lostByNumber = newValue.map { RemovalReasonNumbers.shared.number($0) } ?? 0 }
  }
  /// The point it needs to be restored (the latest run of the job it `dependsOn`), if any.
  public var base: Int? {
    get { packedBase < 0 ? nil : Int(packedBase) }
    set { packedBase = newValue.map { Int32($0) } ?? -1 }
  }
  /// The coldest class any of its versions had reached, from when (classes only ever get colder).
  public var coldest: [(storageClass: StorageClass, since: SimTime)] {
    get { (firstColdest.map { [$0] } ?? []) + laterColdest }
    set {
      firstColdest = newValue.first
      laterColdest = Array(newValue.dropFirst())
    }
  }
  private static let never = Int64.min
  // Stored fields, widest first (a struct's fields are laid out in the order declared).
  private var packedLostAt: Int64
  /// When `firstColdest` was reached.
  private var packedFirstSince: Int64 = 0
  private var laterColdest: [(storageClass: StorageClass, since: SimTime)] = []
  private var packedJob: Int32
  private var packedRun: Int32
  private var packedVersions: Int32
  private var packedAlive: Int32
  private var packedBase: Int32
  /// The low 3 bits: the index of the first entry of `coldest` plus 1 (0: none); the rest: the
  /// number of `lostBy` in `RemovalReasonNumbers` (0: none).
  ///
  /// Most points never change class, and an array for each of millions of points was a tenth of
  /// an upload; a reason held as such made each point 88 bytes and each copy a call.
  private var packedClassAndReason: UInt32 = 0
  private static let classes = StorageClass.allCases

  /// The first entry of `coldest`, inline.
  private var firstColdest: (storageClass: StorageClass, since: SimTime)? {
    get {
      let c = Int(packedClassAndReason & 7)
      return c == 0 ? nil : (Self.classes[c - 1], SimTime(seconds: packedFirstSince))
    }
    set {
      let c = newValue.map { $0.storageClass.index + 1 } ?? 0
      precondition(c < 8, "a point keeps a class's index in 3 bits")
      packedClassAndReason = (packedClassAndReason & ~7) | UInt32(c)
      packedFirstSince = newValue?.since.seconds ?? 0
    }
  }

  /// `lostBy`'s number (0: none).
  var lostByNumber: UInt32 {
    get { packedClassAndReason >> 3 }
    set { packedClassAndReason = (packedClassAndReason & 7) | newValue << 3 }
  }

  init(
    job: Int, run: Int, writtenAt: SimTime, versions: Int, bytes: Int64, alive: Int, lostAt: SimTime?, lostBy: RemovalReason?,
    base: Int?, coldest: (storageClass: StorageClass, since: SimTime)
  ) {
    packedJob = Int32(job)
    packedRun = Int32(run)
    self.writtenAt = writtenAt
    packedVersions = Int32(versions)
    self.bytes = bytes
    packedAlive = Int32(alive)
    packedLostAt = lostAt?.seconds ?? Self.never
    packedBase = base.map { Int32($0) } ?? -1
    firstColdest = coldest
    self.lostBy = lostBy
  }

  /// Records that a version reached `storageClass` at `since`, if that is colder than any before.
  mutating func noteColder(_ storageClass: StorageClass, since: SimTime) {
    let last = laterColdest.last ?? firstColdest
    if let l = last, l.storageClass < storageClass { laterColdest.append((storageClass, since)) }
  }

  public static func == (a: RestorePoint, b: RestorePoint) -> Bool {
    a.job == b.job && a.run == b.run && a.writtenAt == b.writtenAt && a.versions == b.versions && a.bytes == b.bytes
      && a.alive == b.alive && a.lostAt == b.lostAt && a.lostByNumber == b.lostByNumber && a.base == b.base
      && a.coldest.map(\.storageClass) == b.coldest.map(\.storageClass) && a.coldest.map(\.since) == b.coldest.map(\.since)
  }

  /// The coldest class reached by time `t`.
  public func coldestClass(at t: SimTime) -> StorageClass? {
    if let later = laterColdest.last(where: { $0.since <= t }) { return later.storageClass }
    return firstColdest.flatMap { $0.since <= t ? $0.storageClass : nil }
  }
}

/// The bucket at the end of one simulated day.
public struct DailySample: Sendable, Equatable {
  public var date: CivilDate
  public var bytesByClass: [Int64]
  public var objectsByClass: [Int]
  public var currentVersions: Int
  public var noncurrentVersions: Int
  public var deleteMarkers: Int
  public var costToDate: Money
  /// INTELLIGENT_TIERING bytes by access tier (index: `AccessTier.index`); empty when the class holds nothing.
  public var accessTierBytes: [Int64] = []
}

/// One step in the life of a watched key's versions.
public struct TraceEntry: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case uploaded(storageClass: StorageClass, bytes: Int64, job: String, run: Int)
    case uploadedNull(storageClass: StorageClass, bytes: Int64, job: String, run: Int)
    case becameNoncurrent(successor: UInt64)
    case locked(until: SimTime, mode: ObjectLockMode)
    case transitioned(to: StorageClass, rule: String, noncurrent: Bool)
    case deleteMarkerCreated(rule: String)
    case deleted(reason: RemovalReason)
  }
  public var time: SimTime
  public var version: UInt64
  public var kind: Kind
}

/// Every key pattern a job has written: the job and how many `{i}` values, by pattern id.
///
/// Pattern ids are dense, so this is an array: it is updated on every upload.
struct WrittenPatterns: Sendable {
  private var byPattern: [(job: Int, count: Int)?] = []

  subscript(pattern: Int32) -> (job: Int, count: Int)? {
    Int(pattern) < byPattern.count ? byPattern[Int(pattern)] : nil
  }

  mutating func record(_ pattern: Int32, job: Int, count: Int) {
    let p = Int(pattern)
    // A job writing its key again: nothing to change, and no write to the array.
    if p < byPattern.count, let known = byPattern[p], known.job == job, known.count >= count { return }
    if p >= byPattern.count { byPattern += Array(repeating: nil, count: p + 1 - byPattern.count) }
    byPattern[p] = (job, max(count, byPattern[p]?.count ?? 0))
  }

  /// The written patterns' ids, in increasing order.
  var patterns: [Int32] { byPattern.indices.filter { byPattern[$0] != nil }.map { Int32($0) } }
}
