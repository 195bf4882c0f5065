import Foundation

/// Workloads that are written out rather than bundled, because their point is size: thousands of
/// jobs that share nothing, or one key with half a million versions.
///
/// Each has a smaller copy that the product and the day-by-day baseline both run; their
/// result.json must agree byte for byte, like the scaled copies of the bundled scenarios.
struct Workload {
  var name: String
  var description: String
  /// The scenario's YAML at full size and for the baseline's copy.
  var full: String
  var copy: String
  var copyLabel: String

  /// `jobs` keys, each written daily by its own job at its own minute: no two keys share a history.
  static func unshared(jobs: Int, days: Int, copyJobs: Int) -> Workload {
    Workload(
      name: "unshared-\(jobs)-keys-\(days)d", description: "\(jobs) keys, one job each at its own minute, \(days) days",
      full: yaml(jobs: jobs, days: days), copy: yaml(jobs: copyJobs, days: days), copyLabel: "copy with \(copyJobs) jobs")
  }

  /// One key overwritten every minute (log shipping), 30-day noncurrent rule.
  static func oneKeyEveryMinute(days: Int, copyDays: Int) -> Workload {
    func text(_ d: Int) -> String {
      """
      name: one key written every minute, \(d) days
      start: 2027-01-01
      duration: \(d) days
      bucket:
        name: bench-wal
        versioning: Enabled
        lifecycle:
          Rules:
            - { ID: keep-30, Status: Enabled, Filter: { Prefix: "wal/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }
      uploads:
        - { name: wal, key: "wal/current", schedule: "* * * * *", size: 16 MiB }

      """
    }
    return Workload(
      name: "one-key-every-minute-\(days)d", description: "one key overwritten every minute, \(days) days",
      full: text(days), copy: text(copyDays), copyLabel: "copy of \(copyDays) days")
  }

  static let standard: [Workload] = [
    .unshared(jobs: 1_000, days: 365, copyJobs: 100),
    .unshared(jobs: 5_000, days: 30, copyJobs: 500),
    .oneKeyEveryMinute(days: 365, copyDays: 45),
  ]

  private static func yaml(jobs: Int, days: Int) -> String {
    var lines = [
      "name: \(jobs) keys that share no history, \(days) days", "start: 2027-01-01", "duration: \(days) days", "bucket:",
      "  name: bench-unshared", "  versioning: Enabled", "  lifecycle:", "    Rules:",
      "      - { ID: keep-30, Status: Enabled, Filter: { Prefix: \"hosts/\" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }",
      "uploads:",
    ]
    for j in 0..<jobs {
      let minute = j % 1_440
      let at = String(format: "%02d:%02d", minute / 60, minute % 60)
      lines.append("  - { name: host-\(j), key: \"hosts/\(j)/backup.tar\", schedule: \"daily at \(at)\", size: 1 GiB }")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension Bench {
  /// Writes each workload's two scenario files into `dir` and plans product, copy and baseline runs.
  static func workloadCases(in dir: URL, baseline: Bool) throws -> [BenchCase] {
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var out: [BenchCase] = []
    for w in Workload.standard {
      let full = dir.appendingPathComponent("\(w.name).yaml"), copy = dir.appendingPathComponent("\(w.name)-copy.yaml")
      try Data(w.full.utf8).write(to: full)
      try Data(w.copy.utf8).write(to: copy)
      out.append(BenchCase(scenario: w.name, path: full.path, label: "as written", kind: .product, edits: []))
      if baseline {
        out.append(BenchCase(scenario: w.name, path: copy.path, label: w.copyLabel, kind: .copy, edits: [], compareGroup: 0))
        out.append(BenchCase(scenario: w.name, path: copy.path, label: w.copyLabel, kind: .baseline, edits: [], dayByDay: true, compareGroup: 0))
      }
    }
    let sweep = dir.appendingPathComponent("sweep-nightly-dumps.yaml")
    try Data(sweepScenario.utf8).write(to: sweep)
    out += sweepCases(scenario: "sweep-nightly-dumps", path: sweep.path, vary: [sweepAxis], variants: 50)
    return out
  }

  /// 50 retention periods of a 6-month scenario (three keys written nightly, overwrite attack): the
  /// sweep `backupsim sweep --vary` runs, to show it spreads over the cores.
  static let sweepAxis = "bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays=1...50:1"
  static let sweepScenario = """
    name: nightly dumps, 6 months
    start: 2027-01-01
    duration: 6 months
    seed: 7
    bucket:
      name: bench-sweep
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: keep, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }
    uploads:
      - { name: db, key: "db/dump-{i}", schedule: daily at 02:00, objects: 3, size: 1 GiB }
    principals:
      writer:
        policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::bench-sweep/*" }
    attack: { principal: writer, at: 2027-03-01T03:00, strategies: [overwrite] }
    requirements:
      restorePoints: { every: 1 day, for: 14 days }

    """
}
