import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// The "Buckets" section of report.md and report.html: what the copies buy, and a row per bucket.
enum BucketsTable {
  static let headers = [
    "Bucket", "Account", "Region", "Role", "Total cost", "Transfer + RTC", "Restorable at the end", "Oldest", "Newest backup restored from here",
  ]
  static let note = "A backup is restorable while a whole copy of it survives in any bucket."

  static func rows(_ r: RunResult) -> [[String]] {
    r.buckets.indices.map { i in
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
      return [
        b.name, b.account ?? "-", b.region, role, v.totalCost.formatted(), extra.formatted(), String(cov.restorableAtEnd),
        cov.oldestRestorableAtEnd?.iso8601 ?? "-", newest ?? "-",
      ]
    }
  }
}

extension MarkdownReport {
  /// `## Buckets`, empty for a one-bucket scenario.
  static func bucketsSection(_ e: Evaluation) -> String {
    guard !e.result.buckets.isEmpty else { return "" }
    var out = "## Buckets\n\n"
    if let g = e.replicationGain { out += "**\(Markdown.escape(Verdict.replicationGain(g)))**\n\n" }
    out += BucketsTable.note + "\n\n"
    out += "| " + BucketsTable.headers.joined(separator: " | ") + " |\n"
    out += "|---|---|---|---|---:|---:|---:|---|---|\n"
    for row in BucketsTable.rows(e.result) { out += "| " + row.map(Markdown.escape).joined(separator: " | ") + " |\n" }
    return out + "\n"
  }
}

extension PeopleReports {
  /// The same for report.html; nil for a one-bucket scenario.
  static func bucketsSection(_ e: Evaluation) -> HTMLSection? {
    guard !e.result.buckets.isEmpty else { return nil }
    var html = ""
    if let g = e.replicationGain { html += "<p><strong>\(HTMLReport.escape(Verdict.replicationGain(g)))</strong></p>" }
    html += "<p>\(HTMLReport.escape(BucketsTable.note))</p>"
    html += HTMLReport.table(headers: BucketsTable.headers, rows: BucketsTable.rows(e.result), numeric: [4, 5, 6])
    return HTMLSection(id: "buckets", title: "Buckets", html: html)
  }
}
