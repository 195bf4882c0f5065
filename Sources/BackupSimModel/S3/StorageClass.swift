/// An S3 storage class, by its API name, with every S3 fact about a class that is not a price.
///
/// Prices live in `PriceTable`, and so does each class's minimum storage duration
/// (`ClassPrices.minimumDays`: 30, 90 or 180 days), because a pricing file may override it.
///
/// The small accessors are `@inlinable`: the engine calls them in its hot loops, across a module boundary.
public enum StorageClass: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  case standard = "STANDARD"
  case intelligentTiering = "INTELLIGENT_TIERING"
  case standardIA = "STANDARD_IA"
  case oneZoneIA = "ONEZONE_IA"
  case glacierIR = "GLACIER_IR"
  case glacier = "GLACIER"
  case deepArchive = "DEEP_ARCHIVE"

  public var description: String { rawValue }

  /// The class's position in `allCases`, which indexes every per-class array (the bucket's totals,
  /// the cost ledger).
  ///
  /// A switch rather than a search, so there is no "not found" to fall back from.
  @inlinable public var index: Int {
    switch self {
    case .standard: return 0
    case .intelligentTiering: return 1
    case .standardIA: return 2
    case .oneZoneIA: return 3
    case .glacierIR: return 4
    case .glacier: return 5
    case .deepArchive: return 6
    }
  }

  /// Hashed by position: the synthesized hash of a `String`-backed enum hashes the name, and
  /// per-class dictionaries sit on the engine's hot paths.
  @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(index) }

  // MARK: The transition waterfall

  /// Warm to cold, the order of the transition waterfall (docs/s3-rules.md §2.9).
  @inlinable public var rank: Int {
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

  @inlinable public static func < (a: StorageClass, b: StorageClass) -> Bool { a.rank < b.rank }

  /// Classes a lifecycle rule may name as a transition target.
  public static let transitionTargets: [StorageClass] = [.standardIA, .intelligentTiering, .oneZoneIA, .glacierIR, .glacier, .deepArchive]

  /// Whether lifecycle may move an object from `self` to `target` (docs/s3-rules.md §2.9).
  @inlinable public func canTransition(to target: StorageClass) -> Bool {
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

  /// Cheaper-wins order among transitions due together (docs/s3-rules.md §2.7): archive classes first,
  /// then INTELLIGENT_TIERING, then by storage price.
  @inlinable package var transitionPreference: Int {
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

  // MARK: Lifecycle limits (docs/s3-rules.md §2.4)

  /// STANDARD_IA and ONEZONE_IA, which `infrequentAccessMinimumDays` applies to.
  @inlinable public var isInfrequentAccess: Bool { self == .standardIA || self == .oneZoneIA }

  /// A lifecycle rule may move objects into STANDARD_IA or ONEZONE_IA no sooner than 30 days on,
  /// and from there to GLACIER or DEEP_ARCHIVE no sooner than 30 days later; AWS rejects a rule that
  /// asks for less.
  ///
  /// A validation limit, unlike the billed minimum duration (`ClassPrices.minimumDays`).
  public static var infrequentAccessMinimumDays: Int { 30 }

  // MARK: Object sizes (docs/s3-rules.md §2.8, §3.3)

  /// Lifecycle does not transition an object smaller than this (128 KiB) unless the rule has a size
  /// filter: AWS's default (`all_storage_classes_128K`) since September 2024.
  ///
  /// Under
  /// `varies_by_storage_class` smaller objects still go to the archive classes.
  @inlinable public static var lifecycleMinimumTransitionSize: Int64 { 131_072 }

  /// The least STANDARD_IA, ONEZONE_IA and GLACIER_IR bill for one object, however small: 128 KiB.
  @inlinable public static var minimumBillableSize: Int64 { 131_072 }

  /// The largest object S3 stores: 48.8 TiB, that is 50 TB (docs/s3-rules.md §3.4; older pages: 5 TiB).
  @inlinable public static var maxObjectSize: Int64 { 53_687_091_200_000 }

  /// Classes billed at no less than `minimumBillableSize` per object.
  @inlinable public var hasMinimumBillableSize: Bool { self == .standardIA || self == .oneZoneIA || self == .glacierIR }

  /// GLACIER and DEEP_ARCHIVE: per-object index overhead, restore before read.
  @inlinable public var isArchive: Bool { self == .glacier || self == .deepArchive }

  /// Each archived object also bills 32 KiB in its archive class (the index used to restore it).
  @inlinable public static var archiveOverheadInClass: Int64 { 32_768 }

  /// Each archived object also bills 8 KiB at STANDARD (its name and metadata, kept readable for listing).
  @inlinable public static var archiveOverheadAtStandard: Int64 { 8_192 }
}
