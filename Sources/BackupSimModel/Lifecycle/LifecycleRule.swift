/// A bucket's lifecycle configuration after validation (docs/s3-rules.md §2.1).
public struct LifecycleConfiguration: Equatable, Sendable {
  public enum TransitionDefaultMinimumObjectSize: String, Equatable, Sendable {
    case allStorageClasses128K = "all_storage_classes_128K"
    case variesByStorageClass = "varies_by_storage_class"
  }

  public var rules: [LifecycleRule]
  public var transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize

  public init(rules: [LifecycleRule] = [], transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize = .allStorageClasses128K) {
    self.rules = rules
    self.transitionDefaultMinimumObjectSize = transitionDefaultMinimumObjectSize
  }
}

/// One lifecycle rule.
///
/// Only validated values reach this type.
public struct LifecycleRule: Equatable, Sendable {
  public var id: String
  public var enabled: Bool
  public var filter: LifecycleFilter
  public var expiration: Expiration?
  public var transitions: [Transition]
  public var noncurrentTransitions: [NoncurrentTransition]
  public var noncurrentExpiration: NoncurrentExpiration?
  /// Days after initiation; incomplete multipart uploads are only created by attacks.
  public var abortIncompleteMultipartUploadDays: Int?

  public init(
    id: String, enabled: Bool = true, filter: LifecycleFilter = LifecycleFilter(),
    expiration: Expiration? = nil, transitions: [Transition] = [],
    noncurrentTransitions: [NoncurrentTransition] = [], noncurrentExpiration: NoncurrentExpiration? = nil,
    abortIncompleteMultipartUploadDays: Int? = nil
  ) {
    self.id = id
    self.enabled = enabled
    self.filter = filter
    self.expiration = expiration
    self.transitions = transitions
    self.noncurrentTransitions = noncurrentTransitions
    self.noncurrentExpiration = noncurrentExpiration
    self.abortIncompleteMultipartUploadDays = abortIncompleteMultipartUploadDays
  }

  /// When a current-version action applies: N days after creation, or from a midnight UTC date on.
  public enum When: Equatable, Sendable {
    case days(Int)
    case date(SimTime)
  }

  public enum Expiration: Equatable, Sendable {
    case after(When)
    /// `ExpiredObjectDeleteMarker: true`: remove delete markers that are a key's only version.
    case expiredObjectDeleteMarker
  }

  public struct Transition: Equatable, Sendable {
    public var when: When
    public var storageClass: StorageClass
    public init(when: When, storageClass: StorageClass) {
      self.when = when
      self.storageClass = storageClass
    }
  }

  public struct NoncurrentTransition: Equatable, Sendable {
    public var noncurrentDays: Int
    public var storageClass: StorageClass
    public var newerNoncurrentVersions: Int?
    public init(noncurrentDays: Int, storageClass: StorageClass, newerNoncurrentVersions: Int? = nil) {
      self.noncurrentDays = noncurrentDays
      self.storageClass = storageClass
      self.newerNoncurrentVersions = newerNoncurrentVersions
    }
  }

  public struct NoncurrentExpiration: Equatable, Sendable {
    public var noncurrentDays: Int
    public var newerNoncurrentVersions: Int?
    public init(noncurrentDays: Int, newerNoncurrentVersions: Int? = nil) {
      self.noncurrentDays = noncurrentDays
      self.newerNoncurrentVersions = newerNoncurrentVersions
    }
  }
}

/// What a rule applies to (docs/s3-rules.md §2.2).
///
/// An empty filter matches the whole bucket.
public struct LifecycleFilter: Equatable, Sendable {
  public var prefix: String
  public var tags: [ObjectTag]
  /// Strict bounds: `size > objectSizeGreaterThan`, `size < objectSizeLessThan`.
  public var objectSizeGreaterThan: Int64?
  public var objectSizeLessThan: Int64?

  public init(prefix: String = "", tags: [ObjectTag] = [], objectSizeGreaterThan: Int64? = nil, objectSizeLessThan: Int64? = nil) {
    self.prefix = prefix
    self.tags = tags
    self.objectSizeGreaterThan = objectSizeGreaterThan
    self.objectSizeLessThan = objectSizeLessThan
  }

  public var hasSizeBound: Bool { objectSizeGreaterThan != nil || objectSizeLessThan != nil }

  /// Whether `key` starts with the prefix, byte for byte: S3 compares keys as UTF-8 bytes, where
  /// `String.hasPrefix` would also match canonically equivalent spellings (é as e + U+0301).
  public func matchesKey(_ key: String) -> Bool { key.utf8.starts(with: prefix.utf8) }

  /// Every filter tag present with the same value; extra object tags are ignored.
  public func matchesTags(_ objectTags: [ObjectTag]) -> Bool {
    tags.allSatisfy { objectTags.contains($0) }
  }

  public func matchesSize(_ size: Int64) -> Bool {
    if let gt = objectSizeGreaterThan, !(size > gt) { return false }
    if let lt = objectSizeLessThan, !(size < lt) { return false }
    return true
  }

  /// How AWS prints the filter in error messages, for example "(prefix=db/)".
  public var awsDescription: String {
    var parts = ["prefix=\(prefix)"]
    for t in tags { parts.append("tag=\(t.key):\(t.value)") }
    if let g = objectSizeGreaterThan { parts.append("size>\(g)") }
    if let l = objectSizeLessThan { parts.append("size<\(l)") }
    return "(" + parts.joined(separator: ", ") + ")"
  }
}

/// An object tag (key and value, both case-sensitive).
public struct ObjectTag: Hashable, Sendable {
  public var key: String
  public var value: String
  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}
