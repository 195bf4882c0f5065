/// A bucket as an S3 Inventory report lists it: the versions the simulation starts from.
///
/// Keys are stored once (`keys`); `versions` are sorted by key and, within a key, oldest first,
/// so a key's history is one contiguous run. Each key also carries where it came from for the
/// engine: the upload job whose key template it matches (then its `pattern` and `{i}` index are
/// what that job writes, so the job's later writes land on the same key), or a group of keys no
/// job writes, restored per prefix and day.
public struct StartingState: Sendable {
  /// One version or delete marker, as compact as 10 million of them need.
  public struct Version: Sendable, Equatable {
    /// Index into `keys`.
    public var key: Int32
    public var storageClass: StorageClass
    public var flags: UInt8
    /// LastModifiedDate, whole seconds (milliseconds are dropped: lifecycle works in days).
    public var createdAt: Int64
    /// Bytes; 0 for a delete marker.
    public var size: Int64
    /// ObjectLockRetainUntilDate in seconds, `Int64.min` when there is none; a legal hold sets `Int64.max`.
    public var retainUntil: Int64

    public static let isNull: UInt8 = 1
    public static let isDeleteMarker: UInt8 = 2
    public static let isLatest: UInt8 = 4
    public static let legalHold: UInt8 = 8
    public static let compliance: UInt8 = 16

    public init(key: Int32, storageClass: StorageClass, flags: UInt8, createdAt: Int64, size: Int64, retainUntil: Int64 = .min) {
      self.key = key
      self.storageClass = storageClass
      self.flags = flags
      self.createdAt = createdAt
      self.size = size
      self.retainUntil = retainUntil
    }

    public var isNullVersion: Bool { flags & Self.isNull != 0 }
    public var isMarker: Bool { flags & Self.isDeleteMarker != 0 }
    public var lockedUntil: SimTime? { retainUntil == .min ? nil : SimTime(seconds: retainUntil) }
  }

  /// Which restore points the existing versions make (docs/s3-rules.md §7.1, "starting state").
  public struct KeyOrigin: Sendable, Equatable {
    /// The upload job (index into `Scenario.uploads`) whose template matches the key: a real job,
    /// or one of the never-running jobs added for keys no job writes (`inventoryJobs`).
    public var job: Int32
    /// The key as the engine names it, by index into `patterns`: the job's pattern with `{i}` kept,
    /// or a pattern shared by the keys of an added job (not a key anyone writes).
    public var pattern: Int32
    /// The `{i}` value (0 without `{i}`).
    public var index: Int
    public init(job: Int32, pattern: Int32, index: Int) {
      self.job = job
      self.pattern = pattern
      self.index = index
    }
  }

  /// What the report said and what was made of it, for the report's assumptions.
  public struct Notes: Sendable, Equatable {
    public var rows = 0
    public var dataFiles = 0
    public var keys = 0
    public var deleteMarkers = 0
    public var nullVersions = 0
    /// Keys none of whose rows has IsLatest=true (the newest is taken as current).
    public var keysWithoutLatest = 0
    /// Keys whose IsLatest row is not the newest by LastModifiedDate (it is put on top).
    public var keysLatestNotNewest = 0
    /// Keys with more than one `null` version (S3 keeps one): the older ones are dropped.
    public var extraNullVersions = 0
    /// Fields absent from `fileSchema` and what each absence limits, in sentences.
    public var missingFields: [String] = []
    /// Upload jobs added for keys no job writes, with their key counts.
    public var inferredJobs: [(name: String, keys: Int)] = []
    public init() {}

    public static func == (a: Notes, b: Notes) -> Bool {
      a.rows == b.rows && a.dataFiles == b.dataFiles && a.keys == b.keys && a.deleteMarkers == b.deleteMarkers
        && a.nullVersions == b.nullVersions && a.keysWithoutLatest == b.keysWithoutLatest
        && a.keysLatestNotNewest == b.keysLatestNotNewest && a.extraNullVersions == b.extraNullVersions
        && a.missingFields == b.missingFields && a.inferredJobs.map(\.name) == b.inferredJobs.map(\.name)
        && a.inferredJobs.map(\.keys) == b.inferredJobs.map(\.keys)
    }
  }

  /// The manifest the state was read from, as the scenario names it.
  public var source: String
  public var sourceBucket: String
  /// `creationTimestamp`: when S3 began listing the bucket.
  public var takenAt: SimTime
  public var keys: KeyList
  public var origins: [KeyOrigin]
  /// Distinct key patterns of `origins`.
  public var patterns: [String]
  public var versions: [Version]
  public var notes: Notes
  /// Index of the first upload job added for keys no job writes (`Scenario.uploads.count` when none).
  public var inventoryJobs: Int

  public init(
    source: String, sourceBucket: String, takenAt: SimTime, keys: KeyList, origins: [KeyOrigin], patterns: [String], versions: [Version],
    notes: Notes, inventoryJobs: Int
  ) {
    self.source = source
    self.sourceBucket = sourceBucket
    self.takenAt = takenAt
    self.keys = keys
    self.origins = origins
    self.patterns = patterns
    self.versions = versions
    self.notes = notes
    self.inventoryJobs = inventoryJobs
  }

  /// The rule for when an existing version entered its class, which the inventory does not say
  /// (it matters only for the minimum-duration charge), in one sentence for the report.
  public static let classSinceAssumption =
    "The inventory does not say when a version entered its storage class: the model takes the date the lifecycle "
    + "transition that explains the class would have run (LastModified, or the noncurrent date, plus the rule's days, at the next "
    + "00:00 UTC), else LastModified; minimum-duration charges count from that date."
}

/// Object keys stored as one run of UTF-8 bytes: ten million `String`s would be ten million
/// allocations, and the engine only ever compares their bytes.
public struct KeyList: Sendable, Equatable {
  public var bytes: [UInt8]
  /// Where key `i` starts in `bytes`; one more entry than keys (the end of the last).
  public var starts: [Int]

  public init(bytes: [UInt8] = [], starts: [Int] = [0]) {
    self.bytes = bytes
    self.starts = starts
  }

  public var count: Int { starts.count - 1 }

  /// Key `i` as a `String` (made on each call).
  public subscript(i: Int) -> String { withBytes(i) { String(decoding: $0, as: UTF8.self) } }

  /// Calls `body` with the bytes of key `i`.
  public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[starts[i]..<starts[i + 1]])) }
  }

  public func firstIndex(of key: String) -> Int? {
    let k = Array(key.utf8)
    return (0..<count).first { withBytes($0) { $0.elementsEqual(k) } }
  }

  public func contains(_ key: String) -> Bool { firstIndex(of: key) != nil }
}
