import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Bench {
  // MARK: Running a child

  func measure(_ c: BenchCase, resultOut: String?) throws -> BenchMeasurement {
    var args = ["--child", c.path]
    for e in c.edits { args += ["--set", e] }
    if c.dayByDay { args.append("--day-by-day") }
    if let r = resultOut { args += ["--result-out", r] }
    if let t = c.threads { args += ["--threads", String(t)] }
    for v in c.sweepVary { args += ["--vary", v] }
    let out = try Self.runChild(args)
    guard let m = BenchMeasurement(json: out) else {
      throw BenchError(description: "unreadable measurement: " + String(decoding: out, as: UTF8.self))
    }
    return m
  }

  /// Runs this executable with `arguments` as a measuring child (its peak memory is its own) and
  /// returns what it printed; a failed child is an error carrying its stderr.
  static func runChild(_ arguments: [String]) throws -> Data {
    let p = Process()
    p.executableURL = selfExecutable()
    p.arguments = arguments
    let stdout = Pipe(), stderr = Pipe()
    p.standardOutput = stdout
    p.standardError = stderr
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // The child prints one short line; reading to the end before waiting cannot deadlock.
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw BenchError(description: "the measurement failed (exit \(p.terminationStatus)): " + String(decoding: err, as: UTF8.self))
    }
    return out
  }

  struct BenchError: Error, CustomStringConvertible { var description: String }

  static func selfExecutable() -> URL {
    // /proc/self/exe is this very binary even when it was started through a relative path or PATH.
    let proc = URL(fileURLWithPath: "/proc/self/exe")
    if FileManager.default.fileExists(atPath: proc.path) { return proc.resolvingSymlinksInPath() }
    return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
  }

  /// Runs one scenario here and prints what it took.
  func runChild() throws {
    guard let path = scenarios.first else { throw InputFailure("error: --child takes one scenario") }
    if let t = threads { return try runSweepChild(path, threads: t) }
    var axes: [VaryAxis] = []
    for s in set {
      do {
        let a = try VaryAxis.parse(s)
        guard a.values.count == 1 else { throw VaryError(s, "--set takes one value") }
        axes.append(a)
      } catch {
        throw InputFailure("error: \(error)")
      }
    }
    let prepared = try Self.plan(path, vary: [])
    var tree = prepared.tree
    for a in axes {
      guard let v = a.values.first else { continue }
      do { tree = try ScenarioEdit.set(v.node, at: a.path, in: tree) } catch {
        throw InputFailure("error: \(error)")
      }
    }
    let scenario: Scenario
    scenario = try ScenarioLoader().load(node: tree, file: path).scenario
    let clock = RunClock()
    let evaluation = evaluate(scenario, options: SimulationOptions(dayByDay: dayByDay), findMitigation: false)
    let rendered = ResultJSON.render(evaluation)
    let t = clock.stop()
    if let r = resultOut {
      do { try Data(rendered.utf8).write(to: URL(fileURLWithPath: r)) } catch {
        throw InputFailure("error: cannot write \(r): \(error.localizedDescription)")
      }
    }
    let m = BenchMeasurement(
      wallSeconds: t.wallSeconds, cpuSeconds: t.cpuSeconds, peakBytes: Self.peakBytes(),
      versions: evaluation.result.restorePoints.reduce(0) { $0 + $1.versions },
      restorePoints: evaluation.result.restorePoints.count, days: evaluation.result.daily.count, groupsAtEnd: evaluation.result.groupsAtEnd)
    Console.out(m.json)
  }

  /// Runs the `--vary` grid as `backupsim sweep` does (every variant loaded, then `parallelMap`
  /// building the sweep rows) and prints what it took, counts summed over the variants.
  func runSweepChild(_ path: String, threads: Int) throws {
    let plan = try Self.plan(path, vary: vary)
    let grid = plan.grid, fingerprint = plan.fingerprint
    let scenarios = try Self.load(plan, Array(0..<grid.count))
    let clock = RunClock()
    let runs = parallelMap(count: scenarios.count, threads: threads) { k in
      let e = evaluate(scenarios[k], findMitigation: false)
      // The row as `sweep` builds it: its summing is part of the work measured.
      let row = SweepRow(variant: k, gridSize: grid.count, fingerprint: fingerprint, parameters: grid.parameters(at: k), evaluation: e)
      return (
        row: row, versions: e.result.restorePoints.reduce(0) { $0 + $1.versions }, restorePoints: e.result.restorePoints.count,
        days: e.result.daily.count, groups: e.result.groupsAtEnd
      )
    }
    let t = clock.stop()
    let m = BenchMeasurement(
      wallSeconds: t.wallSeconds, cpuSeconds: t.cpuSeconds, peakBytes: Self.peakBytes(), versions: runs.reduce(0) { $0 + $1.versions },
      restorePoints: runs.reduce(0) { $0 + $1.restorePoints }, days: runs.first?.days ?? 0, groupsAtEnd: runs.reduce(0) { $0 + $1.groups },
      runs: runs.count)
    Console.out(m.json)
  }

  /// This process's peak resident memory: VmHWM from /proc/self/status, else getrusage's ru_maxrss.
  static func peakBytes() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
      for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Int($0) }.first
        if let kb { return kb * 1024 }
      }
    }
    var u = rusage()
    #if canImport(Glibc)
      let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
      let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &u) == 0 else { return 0 }
    // Linux reports kilobytes, macOS bytes.
    #if os(Linux)
      return Int(u.ru_maxrss) * 1024
    #else
      return Int(u.ru_maxrss)
    #endif
  }
}
