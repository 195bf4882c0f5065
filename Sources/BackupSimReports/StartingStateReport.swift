import BackupSimEngine
import BackupSimModel
import Foundation

/// The sentences a report gives about a bucket brought in from an S3 Inventory report: what was read,
/// and every assumption the model made where the report is silent (PRODUCT.md: the report states them).
public enum StartingStateReport {
  /// What was read, in one sentence.
  public static func source(_ s: StartingStateSummary, start: SimTime) -> String {
    let n = s.notes
    return "The bucket starts as the S3 Inventory report of '\(s.sourceBucket)' taken \(s.takenAt.iso8601) lists it "
      + "(\(n.rows) rows in \(n.dataFiles) data files: \(n.keys) keys, \(n.deleteMarkers) delete markers, \(n.nullVersions) null versions); "
      + "the simulation starts at \(start.iso8601), the first 00:00 UTC at or after it."
  }

  /// Every assumption, one sentence each, in a fixed order.
  public static func assumptions(_ s: StartingStateSummary) -> [String] {
    let n = s.notes
    var out = [
      StartingState.classSinceAssumption,
      "Lifecycle actions the report shows as already due happen at the first simulated run of lifecycle (the start); "
        + "S3 would have done them at most a run later than it lists.",
    ]
    out += n.missingFields
    if n.keysWithoutLatest > 0 {
      out.append("\(n.keysWithoutLatest) keys have no row marked IsLatest: their newest version is taken as current.")
    }
    if n.keysLatestNotNewest > 0 {
      out.append("\(n.keysLatestNotNewest) keys have an IsLatest row that is not their newest: it is kept as the current version.")
    }
    if n.extraNullVersions > 0 {
      out.append("\(n.extraNullVersions) older null versions were dropped (S3 keeps one null version per key).")
    }
    if !n.inferredJobs.isEmpty {
      let list = n.inferredJobs.map { "'\($0.name)' (\($0.keys) keys)" }.joined(separator: ", ")
      out.append(
        "Keys no upload job writes are restored per top-level prefix and UTC day written, as jobs that never run: \(list); "
          + "other existing versions belong to the run of the job whose key they match.")
    }
    if s.tagRules {
      out.append("An inventory lists no object tags: lifecycle rules that filter on tags do not apply to existing versions.")
    }
    out.append("An existing version's own Object Lock mode is not modelled: GOVERNANCE bypass follows the bucket's default mode.")
    return out
  }

  static func markdown(_ r: RunResult) -> String {
    guard let s = r.startingState else { return "" }
    var out = "## Starting state\n\n\(Markdown.escape(source(s, start: r.start)))\n\nAssumptions:\n\n"
    for a in assumptions(s) { out += "- \(Markdown.escape(a))\n" }
    return out + "\n"
  }

  static func html(_ r: RunResult) -> String {
    guard let s = r.startingState else { return "" }
    var out = "<section id=\"starting-state\">\n<h2>Starting state</h2>\n<p>\(HTMLReport.escape(source(s, start: r.start)))</p>\n<ul>\n"
    for a in assumptions(s) { out += "<li>\(HTMLReport.escape(a))</li>\n" }
    return out + "</ul>\n</section>\n"
  }

  static func json(_ r: RunResult) -> JSONValue {
    guard let s = r.startingState else { return .null }
    let n = s.notes
    return .object([
      "inventory": .string(s.source), "sourceBucket": .string(s.sourceBucket), "takenAt": .string(s.takenAt.iso8601),
      "rows": .int(n.rows), "dataFiles": .int(n.dataFiles), "keys": .int(n.keys), "deleteMarkers": .int(n.deleteMarkers),
      "nullVersions": .int(n.nullVersions), "sentence": .string(source(s, start: r.start)),
      "assumptions": .array(assumptions(s).map { .string($0) }),
    ])
  }
}
