import Foundation

/// A validated scenario: everything a simulation run needs, with no raw strings left to interpret.
public struct Scenario: Sendable {
  public var name: String
  /// The horizon is [start, end).
  public var start: SimTime
  public var end: SimTime
  public var seed: UInt64
  public var prices: PriceTable
  public var bucket: BucketConfig
  public var uploads: [UploadJob]
  public var requirements: Requirements

  public init(
    name: String, start: SimTime, end: SimTime, seed: UInt64 = 0, prices: PriceTable = .usEast1,
    bucket: BucketConfig, uploads: [UploadJob], requirements: Requirements = Requirements()
  ) {
    self.name = name
    self.start = start
    self.end = end
    self.seed = seed
    self.prices = prices
    self.bucket = bucket
    self.uploads = uploads
    self.requirements = requirements
  }
}

/// S3 bucket versioning state (reference §1.1). `disabled` is "never enabled".
public enum VersioningState: String, Sendable, Equatable {
  case disabled = "Disabled"
  case enabled = "Enabled"
  case suspended = "Suspended"
}

public enum ObjectLockMode: String, Sendable, Equatable {
  case compliance = "COMPLIANCE"
  case governance = "GOVERNANCE"
}

/// The bucket's default Object Lock retention, applied to every new version (reference §4).
public struct ObjectLockDefault: Sendable, Equatable {
  public var mode: ObjectLockMode
  public var seconds: Int64
  public init(mode: ObjectLockMode, days: Int) {
    self.mode = mode
    self.seconds = Int64(days) * SimTime.secondsPerDay
  }
}

public struct BucketConfig: Sendable {
  public var name: String
  public var versioning: VersioningState
  public var versioningChanges: [(at: SimTime, status: VersioningState)]
  public var objectLock: ObjectLockDefault?
  public var lifecycle: LifecycleConfiguration

  public init(
    name: String = "backups", versioning: VersioningState = .enabled,
    versioningChanges: [(at: SimTime, status: VersioningState)] = [], objectLock: ObjectLockDefault? = nil,
    lifecycle: LifecycleConfiguration = LifecycleConfiguration()
  ) {
    self.name = name
    self.versioning = versioning
    self.versioningChanges = versioningChanges
    self.objectLock = objectLock
    self.lifecycle = lifecycle
  }
}

/// A key template such as `db/{date}/part-{i}.gz`, split into literal text and placeholders.
public struct KeyTemplate: Sendable, Equatable, CustomStringConvertible {
  public enum Part: Sendable, Equatable {
    case literal(String)
    case date  // 2027-01-31
    case datetime  // 2027-01-31T02:00:00Z
    case run  // 1-based run number of the job
    case index  // 0-based object number within the run
  }

  public var parts: [Part]
  public init(parts: [Part]) { self.parts = parts }

  /// Whether `{i}` appears: then each run writes `objects` distinct keys.
  public var hasIndex: Bool { parts.contains(.index) }

  /// The key with time and run placeholders filled and `{i}` kept, naming one run's set of keys.
  public func pattern(at t: SimTime, run: Int) -> String {
    var s = ""
    for p in parts {
      switch p {
      case .literal(let l): s += l
      case .date: s += t.date.iso8601
      case .datetime: s += t.iso8601
      case .run: s += String(run)
      case .index: s += "{i}"
      }
    }
    return s
  }

  public var description: String {
    parts.map {
      switch $0 {
      case .literal(let l): return l
      case .date: return "{date}"
      case .datetime: return "{datetime}"
      case .run: return "{run}"
      case .index: return "{i}"
      }
    }.joined()
  }
}

/// How large each uploaded object is.
public enum SizeSpec: Sendable, Equatable {
  case fixed(Int64)
  /// Log-normal: `median × e^(sigma × Z)`, Z standard normal drawn from the scenario seed.
  case lognormal(median: Int64, sigma: Double)
}

/// One backup job: what it uploads, when, and how.
public struct UploadJob: Sendable {
  public var name: String
  public var key: KeyTemplate
  public var schedule: Schedule
  public var objects: Int
  public var size: SizeSpec
  /// Compound growth per month, e.g. 0.02 for "2% per month".
  public var growthPerMonth: Double
  public var storageClass: StorageClass
  public var tags: [ObjectTag]
  /// Index of the job whose latest run this one needs to be restored (an incremental's full).
  public var dependsOn: Int?

  public init(
    name: String, key: KeyTemplate, schedule: Schedule, objects: Int = 1, size: SizeSpec,
    growthPerMonth: Double = 0, storageClass: StorageClass = .standard, tags: [ObjectTag] = [], dependsOn: Int? = nil
  ) {
    self.dependsOn = dependsOn
    self.name = name
    self.key = key
    self.schedule = schedule
    self.objects = objects
    self.size = size
    self.growthPerMonth = growthPerMonth
    self.storageClass = storageClass
    self.tags = tags
  }
}

/// Conditions checked every simulated day; a failure makes the run's exit status 1.
public struct Requirements: Sendable, Equatable {
  /// A restorable point at least every `everySeconds` over the last `forSeconds`.
  public struct RestorePoints: Sendable, Equatable {
    public var everySeconds: Int64
    public var forSeconds: Int64
    public init(everySeconds: Int64, forSeconds: Int64) {
      self.everySeconds = everySeconds
      self.forSeconds = forSeconds
    }
  }

  public var restorePoints: RestorePoints?
  public var maxMonthlyCost: Money?
  /// Hours a full restore of any point the `restorePoints` window promises may take (Standard tier).
  public var maxRestoreHours: Decimal?

  public init(restorePoints: RestorePoints? = nil, maxMonthlyCost: Money? = nil, maxRestoreHours: Decimal? = nil) {
    self.restorePoints = restorePoints
    self.maxMonthlyCost = maxMonthlyCost
    self.maxRestoreHours = maxRestoreHours
  }

  public var isEmpty: Bool { restorePoints == nil && maxMonthlyCost == nil && maxRestoreHours == nil }
}
