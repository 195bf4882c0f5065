import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

extension Bench {
  // MARK: The plan

  /// The measurements for one scenario file.
  func cases(for path: String) throws -> [BenchCase] {
    let prepared = try Self.plan(path, vary: [])
    let tree = prepared.tree
    _ = try Self.load(prepared, [0])  // reports a broken scenario before anything runs
    let jobs = ScenarioEdit.get(ConfigPath([.key("uploads")]), in: tree)?.items?.count ?? 0
    func objects(_ j: Int) -> Int {
      ScenarioEdit.get(ConfigPath([.key("uploads"), .index(j), .key("objects")]), in: tree)?.scalar.flatMap { Int($0) } ?? 1
    }
    func scaledObjects(_ f: Double) -> [String] {
      (0..<jobs).map { j in "uploads[\(j)].objects=\(max(1, Int((Double(objects(j)) * f).rounded())))" }
    }
    let name = ReportFolder.name(forScenario: path)
    var out = [BenchCase(scenario: name, path: path, label: "as written", kind: .product, edits: [])]
    if baselineScale > 0 {
      let edits = scaledObjects(baselineScale)
      let shown = "copy ×\(Self.trim(baselineScale)) objects"
      out.append(BenchCase(scenario: name, path: path, label: shown, kind: .copy, edits: edits, compareGroup: 0))
      out.append(BenchCase(scenario: name, path: path, label: shown, kind: .baseline, edits: edits, dayByDay: true, compareGroup: 0))
    }
    for axis in linearityAxes {
      for f in factorList {
        if axis == "keys" {
          out.append(BenchCase(scenario: name, path: path, label: "keys ×\(f)", kind: .linearity, edits: scaledObjects(Double(f))))
        } else {
          let text = ScenarioEdit.get(ConfigPath([.key("duration")]), in: tree)?.scalar ?? "12 months"
          let parts = text.split(separator: " ")
          guard parts.count == 2, let n = Int(parts[0]) else {
            throw InputFailure("\(path): error: --linearity years needs a duration like '3 years', got '\(text)'")
          }
          out.append(BenchCase(scenario: name, path: path, label: "years ×\(f)", kind: .linearity, edits: ["duration=\(n * f) \(parts[1])"]))
        }
      }
    }
    if sweep {
      let count = try Self.plan(path, vary: vary).grid.count
      out += Self.sweepCases(scenario: name, path: path, vary: vary, variants: count)
    } else if !vary.isEmpty {
      let grid = try Self.plan(path, vary: vary).grid
      for i in 0..<grid.count {
        let params = grid.parameters(at: i)
        // A child gets each value on its own: quote-free values pass through `--set P=V` unchanged.
        out.append(
          BenchCase(
            scenario: name, path: path, label: params.map { "\($0.path)=\($0.value)" }.joined(separator: ", "), kind: .variant,
            edits: params.map { "\($0.path)=\($0.value)" }))
      }
    }
    return out
  }

  /// The grid as one sweep on 1 thread, then on every core: the speed-up is what `sweep --jobs` buys.
  static func sweepCases(scenario: String, path: String, vary: [String], variants: Int) -> [BenchCase] {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let threadCounts: [Int] = cores > 1 ? [1, cores] : [1]
    return threadCounts.map { t in
      BenchCase(
        scenario: scenario, path: path, label: "sweep of \(variants) variants on \(t) thread\(t == 1 ? "" : "s")", kind: .sweep, edits: [],
        sweepVary: vary, threads: t)
    }
  }

  static func trim(_ d: Double) -> String {
    d == d.rounded() ? String(Int(d)) : String(d)
  }

  /// The scenario read as a sweep's base tree, with the `--vary` axes; bad input becomes exit status 2.
  static func plan(_ path: String, vary: [String]) throws -> SweepPlan {
    do { return try SweepPlan.prepare(scenario: path, vary: vary) } catch { throw InputFailure(error.lines) }
  }

  /// The variants of the plan, loaded; bad input becomes exit status 2.
  static func load(_ plan: SweepPlan, _ indices: [Int]) throws -> [Scenario] {
    do { return try plan.load(indices).scenarios } catch { throw InputFailure(error.lines) }
  }
}
