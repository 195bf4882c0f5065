import Foundation

/// A bucket's S3 Replication configuration, as `put-bucket-replication` takes it (docs/s3-rules.md §10).
public struct ReplicationConfiguration: Sendable, Equatable {
  /// The IAM role S3 assumes to replicate (kept for the report; the simulation does not evaluate it).
  public var role: String
  public var rules: [ReplicationRule]

  public init(role: String, rules: [ReplicationRule]) {
    self.role = role
    self.rules = rules
  }
}

/// One replication rule: which new versions go to which bucket, in which class.
public struct ReplicationRule: Sendable, Equatable {
  public var id: String
  /// Higher wins when rules to the same destination match one object (§10.2).
  public var priority: Int
  public var enabled: Bool
  public var prefix: String
  /// Every tag must be on the object for the rule to match.
  public var tags: [ObjectTag]
  /// Whether a DeleteObject without a version ID (its delete marker) is replicated.
  public var deleteMarkerReplication: Bool
  /// The destination bucket's name (the ARN's last part).
  public var destinationBucket: String
  public var destinationAccount: String?
  /// The replicas' class; nil: the source version's.
  public var storageClass: StorageClass?
  /// S3 Replication Time Control: billed per GB replicated.
  public var replicationTime: Bool
  public var metrics: Bool
  /// ExistingObjectReplication Enabled: versions written before the rule exist are copied too.
  public var existingObjects: Bool

  public init(
    id: String, priority: Int = 0, enabled: Bool = true, prefix: String = "", tags: [ObjectTag] = [], deleteMarkerReplication: Bool = false,
    destinationBucket: String, destinationAccount: String? = nil, storageClass: StorageClass? = nil, replicationTime: Bool = false,
    metrics: Bool = false, existingObjects: Bool = false
  ) {
    self.id = id
    self.priority = priority
    self.enabled = enabled
    self.prefix = prefix
    self.tags = tags
    self.deleteMarkerReplication = deleteMarkerReplication
    self.destinationBucket = destinationBucket
    self.destinationAccount = destinationAccount
    self.storageClass = storageClass
    self.replicationTime = replicationTime
    self.metrics = metrics
    self.existingObjects = existingObjects
  }

  /// Whether the rule's filter takes an object with this key and these tags.
  public func matches(key: String, tags objectTags: [ObjectTag]) -> Bool {
    key.hasPrefix(prefix) && tags.allSatisfy { objectTags.contains($0) }
  }

  /// Whether some object could match both filters: one prefix starts the other, and no tag key asks for two values.
  public func overlaps(_ other: ReplicationRule) -> Bool {
    guard prefix.hasPrefix(other.prefix) || other.prefix.hasPrefix(prefix) else { return false }
    for t in tags where other.tags.contains(where: { $0.key == t.key && $0.value != t.value }) { return false }
    return true
  }
}

extension ReplicationConfiguration {
  /// The enabled rule that replicates an object to `destination`: the matching one of highest priority.
  public func rule(to destination: String, key: String, tags: [ObjectTag]) -> ReplicationRule? {
    rules.filter { $0.enabled && $0.destinationBucket == destination && $0.matches(key: key, tags: tags) }.max { $0.priority < $1.priority }
  }

  /// The buckets some enabled rule replicates to, in rule order.
  public var destinations: [String] {
    var out: [String] = []
    for r in rules where r.enabled && !out.contains(r.destinationBucket) { out.append(r.destinationBucket) }
    return out
  }
}

extension Scenario {
  /// Every bucket of the scenario, the one jobs write to first.
  public var allBuckets: [BucketConfig] { [bucket] + otherBuckets }

  /// Whether the scenario has more than one bucket (the results then carry a table per bucket).
  public var hasReplication: Bool { !otherBuckets.isEmpty }
}
