import BackupSimEngine
import BackupSimModel

/// The rows under INTELLIGENT_TIERING in "Storage by class": one per access tier, and the monitoring fee.
enum AccessTierRows {
  /// `[name, GB-months, cost]` per row; empty when nothing was stored in INTELLIGENT_TIERING.
  static func rows(_ r: RunResult) -> [[String]] {
    let tiers = r.byAccessTier
    guard !tiers.isEmpty else { return [] }
    var rows = AccessTier.allCases.compactMap { t in
      tiers[t].map { ["INTELLIGENT_TIERING: \(t.title)", Format.decimal($0.gbMonths, places: 3), $0.storage.formatted()] }
    }
    let m = r.monitoring
    if m.objectMonths != 0 {
      rows.append(["INTELLIGENT_TIERING: monitoring, \(Format.decimal(m.objectMonths, places: 0)) object-months", "", m.cost.formatted()])
    }
    return rows
  }
}
