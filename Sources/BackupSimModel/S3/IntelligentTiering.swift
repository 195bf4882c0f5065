/// An access tier of the INTELLIGENT_TIERING class (docs/s3-rules.md §3.2).
public enum AccessTier: String, CaseIterable, Comparable, Sendable {
  case frequent = "FREQUENT_ACCESS"
  case infrequent = "INFREQUENT_ACCESS"
  case archiveInstant = "ARCHIVE_INSTANT_ACCESS"
  case archive = "ARCHIVE_ACCESS"
  case deepArchive = "DEEP_ARCHIVE_ACCESS"

  public var index: Int { Self.allCases.firstIndex(of: self) ?? 0 }
  public static func < (a: AccessTier, b: AccessTier) -> Bool { a.index < b.index }

  /// How reports name it.
  public var title: String {
    switch self {
    case .frequent: return "Frequent Access"
    case .infrequent: return "Infrequent Access"
    case .archiveInstant: return "Archive Instant Access"
    case .archive: return "Archive Access"
    case .deepArchive: return "Deep Archive Access"
    }
  }

  /// Days without access after which S3 moves an object to Infrequent Access, and to Archive Instant Access.
  public static let infrequentAfterDays = 30
  public static let archiveInstantAfterDays = 90
  /// Objects smaller than this (128 KiB) are not monitored: they stay in Frequent Access and pay no monitoring fee.
  public static let minimumMonitoredSize: Int64 = 131_072
}

/// One bucket Intelligent-Tiering configuration, as `put-bucket-intelligent-tiering-configuration` takes it.
///
/// It opts the objects its filter selects into the Archive Access tier (after 90–730 days without access)
/// and/or the Deep Archive Access tier (after 180–730 days).
public struct IntelligentTieringConfiguration: Sendable, Equatable {
  public var id: String
  public var enabled: Bool
  public var prefix: String?
  public var tags: [ObjectTag]
  public var archiveDays: Int?
  public var deepArchiveDays: Int?

  public init(id: String, enabled: Bool, prefix: String? = nil, tags: [ObjectTag] = [], archiveDays: Int? = nil, deepArchiveDays: Int? = nil) {
    self.id = id
    self.enabled = enabled
    self.prefix = prefix
    self.tags = tags
    self.archiveDays = archiveDays
    self.deepArchiveDays = deepArchiveDays
  }

  /// Whether the filter selects an object with this key and these tags (every condition must hold).
  public func matches(key: String, tags objectTags: [ObjectTag]) -> Bool {
    if let p = prefix, !key.hasPrefix(p) { return false }
    return tags.allSatisfy { objectTags.contains($0) }
  }
}

/// When an Intelligent-Tiering object that is never read changes access tier, counted from when it entered the class.
public struct AccessSchedule: Hashable, Sendable {
  /// Days to the Archive Access and Deep Archive Access tiers (nil: not opted in).
  public var archiveDays: Int?
  public var deepArchiveDays: Int?

  public init(archiveDays: Int? = nil, deepArchiveDays: Int? = nil) {
    self.archiveDays = archiveDays
    self.deepArchiveDays = deepArchiveDays
  }

  /// The schedule of an object with this key and tags: for each opt-in tier, the fewest days among the enabled
  /// configurations that select it (which configuration wins when several match is UNCONFIRMED, §3.2).
  public init(_ configurations: [IntelligentTieringConfiguration], key: String, tags: [ObjectTag]) {
    let matching = configurations.filter { $0.enabled && $0.matches(key: key, tags: tags) }
    archiveDays = matching.compactMap(\.archiveDays).min()
    deepArchiveDays = matching.compactMap(\.deepArchiveDays).min()
  }

  /// The tiers a monitored object passes through, with the second (after entering the class) each begins.
  public var steps: [(from: Int64, tier: AccessTier)] {
    let day = SimTime.secondsPerDay
    var out: [(Int64, AccessTier)] = [(0, .frequent), (Int64(AccessTier.infrequentAfterDays) * day, .infrequent)]
    out.append((Int64(AccessTier.archiveInstantAfterDays) * day, .archiveInstant))
    if let a = archiveDays { out.append((Int64(a) * day, .archive)) }
    if let d = deepArchiveDays { out.append((Int64(d) * day, .deepArchive)) }
    // A later step with a colder tier wins at the same time; an earlier colder step hides a warmer later one.
    out.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var steps: [(Int64, AccessTier)] = []
    for s in out {
      if let last = steps.last, s.1 <= last.1 { continue }
      if let last = steps.last, last.0 == s.0 { steps.removeLast() }
      steps.append(s)
    }
    return steps.map { (from: $0.0, tier: $0.1) }
  }

  /// The tier of a monitored object `seconds` after it entered the class.
  public func tier(after seconds: Int64) -> AccessTier { steps.last { $0.from <= seconds }?.tier ?? .frequent }
}
