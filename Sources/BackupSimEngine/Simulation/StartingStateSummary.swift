import BackupSimModel

/// What a run started from when its scenario names an S3 Inventory report: facts for the report's assumptions.
public struct StartingStateSummary: Sendable, Equatable {
  public var source: String
  public var sourceBucket: String
  public var takenAt: SimTime
  public var notes: StartingState.Notes
  /// Some enabled rule filters on tags, which an inventory does not list.
  public var tagRules: Bool

  public init(_ state: StartingState, rules: [LifecycleRule]) {
    source = state.source
    sourceBucket = state.sourceBucket
    takenAt = state.takenAt
    notes = state.notes
    tagRules = rules.contains { $0.enabled && !$0.filter.tags.isEmpty }
  }
}
