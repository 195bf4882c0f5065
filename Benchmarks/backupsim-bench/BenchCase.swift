import BackupSimReports
import Foundation

/// One measurement to take: a scenario, edits to it, and how to run it.
struct BenchCase {
  enum Kind: String { case product, copy, baseline, linearity, variant, sweep }
  var scenario: String
  var path: String
  var label: String
  var kind: Kind
  /// `PATH=VALUE` edits, one value each.
  var edits: [String]
  var dayByDay = false
  /// Runs with the same group number must render the same result.json.
  var compareGroup: Int?
  /// For `.sweep`: the grid, run in one process through `parallelMap` on this many threads.
  var sweepVary: [String] = []
  var threads: Int?
}

/// What one child process reported.
struct BenchMeasurement: Decodable {
  var wallSeconds: Double
  var cpuSeconds: Double
  var peakBytes: Int
  var versions: Int
  var restorePoints: Int
  var days: Int
  var groupsAtEnd: Int
  /// Simulations in the measurement: 1, or the variants of a sweep (whose other counts are sums).
  var runs = 1

  /// The run with the median wall time (of an even count, the slower middle one), with the
  /// largest peak memory of all.
  static func median(of runs: [BenchMeasurement]) -> BenchMeasurement {
    let sorted = runs.sorted { $0.wallSeconds < $1.wallSeconds }
    var m = sorted[sorted.count / 2]
    m.peakBytes = runs.map(\.peakBytes).max() ?? m.peakBytes
    return m
  }

  var perSecond: Double { wallSeconds > 0 ? Double(versions) / wallSeconds : 0 }
  var nsPerVersion: Double { versions > 0 ? wallSeconds * 1e9 / Double(versions) : 0 }
  var coresBusy: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds : 0 }

  init(wallSeconds: Double, cpuSeconds: Double, peakBytes: Int, versions: Int, restorePoints: Int, days: Int, groupsAtEnd: Int, runs: Int = 1) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.peakBytes = peakBytes
    self.versions = versions
    self.restorePoints = restorePoints
    self.days = days
    self.groupsAtEnd = groupsAtEnd
    self.runs = runs
  }

  var json: String {
    let f = { (v: Double) in JSONValue.number(String(format: "%.6f", locale: Locale(identifier: "en_US_POSIX"), v)) }
    return JSONValue.object([
      "wallSeconds": f(wallSeconds), "cpuSeconds": f(cpuSeconds), "peakBytes": .int(peakBytes), "versions": .int(versions),
      "restorePoints": .int(restorePoints), "days": .int(days), "groupsAtEnd": .int(groupsAtEnd), "runs": .int(runs),
    ]).compact()
  }

  init?(json data: Data) {
    guard let m = try? JSONDecoder().decode(BenchMeasurement.self, from: data) else { return nil }
    self = m
  }

}
