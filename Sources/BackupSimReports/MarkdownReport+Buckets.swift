import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

extension MarkdownReport {
  /// `## Buckets`: each bucket's bill and which restore points it still holds, and what the copies buy.
  static func bucketsSection(_ e: Evaluation) -> String {
    let r = e.result
    guard !r.buckets.isEmpty else { return "" }
    var out = "## Buckets\n\n"
    if let g = e.replicationGain { out += "**\(Markdown.escape(Verdict.replicationGain(g)))**\n\n" }
    out += "A backup is restorable while a whole copy of it survives in any bucket.\n\n"
    out += "| Bucket | Account | Region | Role | Total cost | Transfer + RTC | Restorable at the end | Oldest | Newest backup restored from here |\n"
    out += "|---|---|---|---|---:|---:|---:|---|---|\n"
    for i in r.buckets.indices {
      let b = r.buckets[i]
      let v = r.bucketView(i)
      let cov = v.coverage
      let role =
        b.isSource
        ? "written by the jobs"
        : "copy of \(b.replicatedVersions) versions (\(Format.bytes(b.replicatedBytes)))\(b.crossRegion ? ", cross-region" : "")"
      let newest = v.restoreEstimates.first.map { est -> String in
        let classes = est.byClass.keys.sorted().map(\.rawValue).joined(separator: ", ")
        let tier = est.tiers[.standard].map { ("Standard", $0) } ?? est.tiers[.instant].map { ("Instant", $0) }
        return "\(est.writtenAt.iso8601) in \(classes)"
          + (tier.map { ", \($0.0) tier \(Money.plain($0.1.hours)) h, \(Format.money($0.1.cost))" } ?? "")
      }
      let extra = v.total(\.dataTransfer) + v.total(\.replicationTimeControl)
      out +=
        "| \(Markdown.escape(b.name)) | \(b.account ?? "-") | \(b.region) | \(role) | \(v.totalCost.formatted()) | \(extra.formatted()) | \(cov.restorableAtEnd) | \(cov.oldestRestorableAtEnd?.iso8601 ?? "-") | \(newest.map(Markdown.escape) ?? "-") |\n"
    }
    return out + "\n"
  }
}
