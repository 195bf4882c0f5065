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
  public var principals: [Principal]
  public var attack: AttackPlan?
  /// The scenario's other buckets (`buckets:` after the first): replication destinations.
  ///
  /// Jobs write only to `bucket`.
  public var otherBuckets: [BucketConfig] = []
  /// The price table of each of `otherBuckets` that is not priced with `prices`, by bucket name.
  public var pricesByBucket: [String: PriceTable] = [:]
  /// The bucket's versions at `start`, from an S3 Inventory report (nil: the bucket starts empty).
  public var startingState: StartingState? = nil

  public init(
    name: String, start: SimTime, end: SimTime, seed: UInt64 = 0, prices: PriceTable = .usEast1,
    bucket: BucketConfig, uploads: [UploadJob], requirements: Requirements = Requirements(),
    principals: [Principal] = [], attack: AttackPlan? = nil, otherBuckets: [BucketConfig] = []
  ) {
    self.otherBuckets = otherBuckets
    self.principals = principals
    self.attack = attack
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

/// S3 bucket versioning state (docs/s3-rules.md §1.1).
///
/// `disabled` is "never enabled".
public enum VersioningState: String, Sendable, Equatable {
  case disabled = "Disabled"
  case enabled = "Enabled"
  case suspended = "Suspended"
}

public enum ObjectLockMode: String, Sendable, Equatable {
  case compliance = "COMPLIANCE"
  case governance = "GOVERNANCE"
}

/// The bucket's default Object Lock retention, applied to every new version (docs/s3-rules.md §4).
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
  public var policy: PolicyDocument?
  /// The bucket's region; nil: the price table's.
  public var region: String?
  /// The owning AWS account ID, when stated.
  public var account: String?
  /// Its S3 Replication configuration (docs/s3-rules.md §10).
  public var replication: ReplicationConfiguration?
  /// The bucket's Intelligent-Tiering configurations (opt-ins to the archive access tiers).
  public var intelligentTiering: [IntelligentTieringConfiguration] = []

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
  /// Compound growth per month, for example 0.02 for "2% per month".
  public var growthPerMonth: Double
  public var storageClass: StorageClass
  public var tags: [ObjectTag]
  /// Index of the job whose latest run this one needs to be restored (an incremental's full).
  public var dependsOn: Int?
  /// The principal (in `Scenario.principals`) whose credentials the job writes with; nil: see `Scenario.writer(of:)`.
  public var principal: String?

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
  /// A restorable point at least every `everySeconds` over the last `forSeconds`, for each job it covers.
  public struct RestorePoints: Sendable, Equatable {
    public var everySeconds: Int64
    public var forSeconds: Int64
    /// Names of the upload jobs it covers; nil: every job.
    public var jobs: [String]?
    public init(everySeconds: Int64, forSeconds: Int64, jobs: [String]? = nil) {
      self.everySeconds = everySeconds
      self.forSeconds = forSeconds
      self.jobs = jobs
    }
  }

  public var restorePoints: RestorePoints?
  public var maxMonthlyCost: Money?
  /// A good backup must still be restorable this long after an attack (the time to notice it).
  public var survivesAttackDetectedWithinSeconds: Int64?
  /// Hours a full restore of any point the `restorePoints` window promises may take (Standard tier).
  public var maxRestoreHours: Decimal?

  public init(restorePoints: RestorePoints? = nil, maxMonthlyCost: Money? = nil, maxRestoreHours: Decimal? = nil) {
    self.restorePoints = restorePoints
    self.maxMonthlyCost = maxMonthlyCost
    self.maxRestoreHours = maxRestoreHours
  }

  public var isEmpty: Bool {
    restorePoints == nil && maxMonthlyCost == nil && maxRestoreHours == nil && survivesAttackDetectedWithinSeconds == nil
  }
}

/// Credentials that can reach the bucket: the backup job's, typically.
public struct Principal: Sendable {
  public var name: String
  public var arn: String
  public var identityPolicies: [PolicyDocument]
  /// Where its requests come from (the backup host): what `aws:SourceIp` conditions see.
  public var sourceIp: String

  public init(name: String, arn: String, identityPolicies: [PolicyDocument], sourceIp: String = "203.0.113.10") {
    self.name = name
    self.arn = arn
    self.identityPolicies = identityPolicies
    self.sourceIp = sourceIp
  }
}

/// What an attacker holding a principal's credentials tries.
public enum AttackStrategy: String, CaseIterable, Sendable, Comparable {
  case overwrite
  case flood
  case delete
  case deleteVersions = "delete-versions"
  case tamperLifecycle = "tamper-lifecycle"
  case suspendVersioning = "suspend-versioning"
  case costBomb = "cost-bomb"

  public static func < (a: AttackStrategy, b: AttackStrategy) -> Bool {
    (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
  }
}

extension Scenario {
  /// The Region every request to the bucket names (`aws:RequestedRegion`): the bucket's `region`, else the price table's.
  public var region: String { bucket.region ?? prices.region }

  /// The principal an upload job writes as: its own `principal`, else the only one the scenario names.
  public func writer(of job: UploadJob) -> Principal? {
    if let name = job.principal { return principals.first { $0.name == name } }
    return principals.count == 1 ? principals[0] : nil
  }
}

public struct AttackPlan: Sendable {
  public var principal: String
  public var at: SimTime
  public var strategies: [AttackStrategy]
  /// `strategies: auto`: every strategy is listed, each with whether the permissions allow it.
  public var auto: Bool
  /// Upload speed for `cost-bomb`, bytes per second (default 1 Gbit/s).
  public var bandwidthBytesPerSecond: Int64
  /// How long the owner takes to notice: the cost bomb runs this long, and `survivesAttack` uses it.
  public var detectedWithinSeconds: Int64

  public init(
    principal: String, at: SimTime, strategies: [AttackStrategy] = AttackStrategy.allCases, auto: Bool = true,
    bandwidthBytesPerSecond: Int64 = 125_000_000, detectedWithinSeconds: Int64 = 7 * 86_400
  ) {
    self.principal = principal
    self.at = at
    self.strategies = strategies
    self.auto = auto
    self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
    self.detectedWithinSeconds = detectedWithinSeconds
  }
}
