import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// One scenario's report folder (result.json, daily.csv, report.md, report.html, charts/) and the
/// summary `run` prints, all from one evaluation.
public struct RunReport: Sendable {
  /// The outputs `--formats` selects; md and html also draw the charts.
  public enum Output: String, CaseIterable, Sendable {
    case json, csv, md, html
  }

  public var files: [(name: String, contents: String)]
  public var charts: ChartBatch
  /// Whether charts/ belongs to this report (md or html asked for).
  public var hasCharts: Bool

  /// Renders every asked-for file; `gnuplot` nil gives tables only and the install hint in `charts.diagnostics`.
  public init(_ e: Evaluation, formats: Set<Output>, restoreAt: SimTime? = nil, gnuplot: Gnuplot?) {
    hasCharts = formats.contains(.md) || formats.contains(.html)
    charts = hasCharts ? Gnuplot.drawIfAvailable(PeopleReports.charts(e), gnuplot: gnuplot) : ChartBatch(charts: [], diagnostics: [])
    files = []
    if formats.contains(.json) { files.append(("result.json", ResultJSON.render(e, restoreAt: restoreAt))) }
    if formats.contains(.csv) { files.append(("daily.csv", DailyCSV.render(e.result))) }
    if formats.contains(.md) { files.append(("report.md", MarkdownReport.render(e) + "\n" + ChartSpec.markdownSection(charts.charts))) }
    if formats.contains(.html) { files.append(("report.html", PeopleReports.html(e, charts: charts.charts))) }
  }

  /// Writes the folder; each file appears whole or not at all.
  public func write(to folder: String) throws {
    if hasCharts { try ChartFolder.write(charts, into: folder) }
    try ReportFolder.write(files, to: folder)
  }

  /// The few lines `run` prints per scenario: cost, restore points, verdicts, attack, restore estimates.
  public static func summary(_ e: Evaluation, folder: String, restoreAt: SimTime? = nil) -> String {
    let r = e.result
    var lines = ["\(r.scenarioName): \(Format.horizon(start: r.start, end: r.end))"]
    for d in e.deniedJobs { lines.append("  WRITES DENIED       " + Verdict.denied(d)) }
    lines.append("  total cost          \(r.totalCost.formatted())")
    if let m = r.lastFullMonth { lines.append("  steady monthly cost \(m.total.formatted()) (\(m.month))") }
    let c = r.coverage
    lines.append(
      "  restore points      \(c.restorableAtEnd) of \(c.restorePointsCreated) restorable at the end"
        + (c.oldestRestorableAtEnd.map { ", oldest \($0.iso8601)" } ?? ""))
    for q in e.requirements {
      lines.append("  requirement \(q.name): " + Verdict.status(q))
    }
    lines.append("  report              \(folder)/")
    if let a = e.attack {
      lines.append("  attack              " + Verdict.sentence(a))
      if let m = e.mitigation { lines.append("  fix                 " + Verdict.mitigationSentence(m)) }
    }
    if let at = restoreAt, case let estimates = r.restoreEstimates(at: at), !estimates.isEmpty {
      for est in estimates {
        let tiers = est.tiers.keys.sorted().compactMap { tier in
          est.tiers[tier].map { "\(tier.rawValue) \(Format.hours($0.hours)) \($0.cost.formatted())" }
        }
        lines.append("  restore \(est.label): \(est.job) of \(est.writtenAt.iso8601), \(est.objects) objects, " + tiers.joined(separator: "; "))
      }
      lines.append("  restore costs       requests, retrieval and GETs; data transfer out of AWS not included")
    }
    return lines.joined(separator: "\n")
  }
}
