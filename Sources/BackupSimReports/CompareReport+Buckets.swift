import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

extension CompareReport {
  /// With several buckets in any scenario: one row per bucket name, its cost over the horizon and the
  /// restore points it alone holds at the end; a one-bucket scenario shows its figures on the first
  /// row (the bucket its jobs write to).
  static func bucketRows(_ entries: [CompareEntry]) -> [[String]] {
    var names: [String] = []
    for e in entries {
      for b in e.result.buckets where !names.contains(b.name) { names.append(b.name) }
    }
    guard !names.isEmpty else { return [] }
    return names.enumerated().map { k, name in
      ["Bucket \(name)"]
        + entries.map { e in
          guard !e.result.buckets.isEmpty else {
            return k == 0 ? "\(e.result.totalCost.formatted()) (its only bucket), \(e.result.coverage.restorableAtEnd) restorable" : "—"
          }
          guard let i = e.result.buckets.firstIndex(where: { $0.name == name }) else { return "—" }
          let b = e.result.buckets[i]
          let place = b.region + (b.account.map { ", account \($0)" } ?? "")
          return "\(b.totalCost.formatted()) (\(place)), \(e.result.bucketView(i).coverage.restorableAtEnd) restorable"
        }
    }
  }
}
