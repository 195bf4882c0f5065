/// The parts of `recommend`'s search space a `--space` file sets; every field left nil keeps its default.
///
/// Lists are the values tried along one axis. `nil` inside `expirationDays`, `noncurrentDays` and
/// `newerNoncurrentVersions` means "no such action" (written `never` / `none` in the file); a lock of
/// 0 days means no default retention. Transitions are given per class as the days to try; every valid
/// waterfall built from them is searched (docs/s3-rules.md §2.4, §2.9).
public struct RecommendSpaceOverrides: Sendable, Equatable {
  public var versioning: [VersioningState]?
  public var expirationDays: [Int?]?
  public var noncurrentDays: [Int?]?
  public var newerNoncurrentVersions: [Int?]?
  public var transitions: [StorageClass: [Int]]?
  public var noncurrentTransitions: [StorageClass: [Int]]?
  public var lockModes: [ObjectLockMode]?
  public var lockDays: [Int]?
  public var denyDestructive: [Bool]?
  public var conditionalWrites: [Bool]?
  public var uploadStorageClasses: [StorageClass]?
  /// How many alternatives after the recommendation to list.
  public var alternatives: Int?

  public init() {}
}
