/// An S3 storage class, by its API name.
public enum StorageClass: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  case standard = "STANDARD"
  case intelligentTiering = "INTELLIGENT_TIERING"
  case standardIA = "STANDARD_IA"
  case oneZoneIA = "ONEZONE_IA"
  case glacierIR = "GLACIER_IR"
  case glacier = "GLACIER"
  case deepArchive = "DEEP_ARCHIVE"

  public var description: String { rawValue }

  /// Warm to cold, the order of the transition waterfall (reference §2.9).
  var rank: Int {
    switch self {
    case .standard: return 0
    case .standardIA: return 1
    case .intelligentTiering: return 2
    case .oneZoneIA: return 3
    case .glacierIR: return 4
    case .glacier: return 5
    case .deepArchive: return 6
    }
  }

  public static func < (a: StorageClass, b: StorageClass) -> Bool { a.rank < b.rank }

  /// Classes a lifecycle rule may name as a transition target.
  public static let transitionTargets: [StorageClass] = [.standardIA, .intelligentTiering, .oneZoneIA, .glacierIR, .glacier, .deepArchive]

  /// Whether lifecycle may move an object from `self` to `target` (reference §2.9).
  public func canTransition(to target: StorageClass) -> Bool {
    switch (self, target) {
    case (_, .standard): return false
    case (.standard, _): return self != target
    case (.standardIA, _): return target != .standardIA
    case (.intelligentTiering, _): return [.oneZoneIA, .glacierIR, .glacier, .deepArchive].contains(target)
    case (.oneZoneIA, _), (.glacierIR, _): return [.glacier, .deepArchive].contains(target)
    case (.glacier, _): return target == .deepArchive
    case (.deepArchive, _): return false
    }
  }

  /// GLACIER and DEEP_ARCHIVE: per-object index overhead, restore before read.
  public var isArchive: Bool { self == .glacier || self == .deepArchive }

  /// Classes billed at no less than 128 KiB per object.
  public var hasMinimumBillableSize: Bool { self == .standardIA || self == .oneZoneIA || self == .glacierIR }

  /// Cheaper-wins order among transitions due together (reference §2.7): archive classes first,
  /// then INTELLIGENT_TIERING, then by storage price.
  package var transitionPreference: Int {
    switch self {
    case .deepArchive: return 0
    case .glacier: return 1
    case .intelligentTiering: return 2
    case .glacierIR: return 3
    case .oneZoneIA: return 4
    case .standardIA: return 5
    case .standard: return 6
    }
  }
}
