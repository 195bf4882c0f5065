import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

@main
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backupsim-bench",
    abstract: "Time the simulator on large scenarios: versions per second, peak memory, speed-up over the day-by-day baseline.",
    discussion: """
      Each measurement runs in a child process (this same executable), so its
      peak memory (VmHWM) is its own. For every scenario (default:
      scenarios/bench/*.yaml) it measures:
        - the product run: simulation, coverage, requirements, result.json
          (--repeat N times, default 3: the median is reported);
        - with --baseline-scale F (default 0.01), a copy with F times the
          objects per run (same years), run by the product and by the
          day-by-day baseline (every key alone, every version looked at every
          day); their result.json must be identical (exit 1 if not), and the
          speed-up is the baseline's time per version over the full-size
          product run's;
        - with --linearity keys,years, the scenario with the objects per run
          and/or the duration multiplied by each of --factors (default 1,2,4);
        - with --vary PATH=VALUES (as in `sweep`), every variant of that grid;
          with --sweep, the whole grid instead, run in one process through
          parallelMap as `backupsim sweep` runs it, on 1 thread and on every
          core: wall, CPU and cores busy;
        - with no scenario given (or --workloads), four written-out workloads:
          1,000 keys that share no history for a year, 5,000 such jobs for
          30 days, and one key overwritten every minute for a year, each with a
          smaller copy checked against the day-by-day baseline; and a sweep of
          50 variants of a 6-month scenario, on 1 thread and on every core.
      Only a release build gives meaningful figures: swift build -c release.
      """)

  @Argument(help: "Scenario files (default: every scenario in scenarios/bench).")
  var scenarios: [String] = []

  @Option(name: .long, help: "Fraction of the objects per run for the day-by-day baseline's copy; 0 skips the baseline.")
  var baselineScale: Double = 0.01

  @Option(
    name: .long, help: ArgumentHelp("Also scale 'keys' (objects per run) and/or 'years' (the duration) by each factor.", valueName: "keys,years"))
  var linearity: String?

  @Option(name: .long, help: "Factors for --linearity.")
  var factors: String = "1,2,4"

  @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("Also run every variant of this grid (as in sweep).", valueName: "PATH=VALUES"))
  var vary: [String] = []

  @Flag(name: .long, help: "Run the --vary grid as one sweep (parallelMap) on 1 thread and on every core, instead of variant by variant.")
  var sweep = false

  @Flag(name: .long, help: "Also run the written-out workloads (unshared keys, many jobs, one key every minute) with the scenarios given.")
  var workloads = false

  @Option(
    name: .customLong("repeat"),
    help: "Runs of each scenario as written (this VM's timings move by a third between runs); the median is reported, with the largest peak memory.")
  var repeatCount = 3

  @Flag(name: .long, help: "Print one JSON object per measurement (JSON Lines) instead of Markdown tables.")
  var json = false

  @Option(
    name: .long,
    help: "Instead: generate a synthetic S3 Inventory report of N rows, then time loading it and simulating 12 months from it.")
  var inventoryRows: Int?

  @Option(name: .long, help: "With --inventory-rows: write the report here and keep it (a kept report of the same size is reused).")
  var inventoryDir: String?

  // The child side: one measurement in this process, printed as one JSON line.
  @Flag(name: .long, help: .hidden) var child = false
  @Flag(name: .long, help: .hidden) var dayByDay = false
  @Option(name: .long, parsing: .singleValue, help: .hidden) var set: [String] = []
  @Option(name: .long, help: .hidden) var resultOut: String?
  @Option(name: .long, help: .hidden) var threads: Int?
  @Flag(name: .long, help: .hidden) var inventoryChild = false

  var factorList: [Int] { factors.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
  var linearityAxes: [String] { (linearity ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }

  func validate() throws {
    if baselineScale < 0 || baselineScale > 1 { throw ValidationError("--baseline-scale must be between 0 and 1 (0 skips the baseline)") }
    if factorList.isEmpty || factorList.count != factors.split(separator: ",").count || factorList.contains(where: { $0 < 1 }) {
      throw ValidationError("--factors: expected whole numbers >= 1, e.g. 1,2,4")
    }
    for a in linearityAxes where a != "keys" && a != "years" {
      throw ValidationError("--linearity: unknown axis '\(a)'; use keys, years or keys,years")
    }
    if child && scenarios.count != 1 { throw ValidationError("--child takes exactly one scenario") }
    if sweep && vary.isEmpty { throw ValidationError("--sweep runs the grid given with --vary PATH=VALUES") }
    if repeatCount < 1 { throw ValidationError("--repeat must be at least 1") }
  }

  /// Exit status: 0 measured; 1 the baseline and the product disagree; 2 bad input.
  static func main() { Exit.run(Self.self) }

  func run() throws {
    if child {
      try inventoryChild ? runInventoryChild() : runChild()
      return
    }
    if let n = inventoryRows {
      try runInventoryBench(rows: n)
      return
    }
    #if DEBUG
      Console.error("warning: this is a debug build; its figures mean little: swift build -c release, then .build/release/backupsim-bench")
    #endif
    let files = scenarios.isEmpty ? Self.defaultScenarios() : scenarios
    if files.isEmpty {
      throw InputFailure("error: no scenarios given and none in scenarios/bench")
    }
    let resultDir = FileManager.default.temporaryDirectory.appendingPathComponent("backupsim-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: resultDir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: resultDir) }
    var plan: [BenchCase] = []
    for path in files { plan += try cases(for: path) }
    // The written-out workloads go with the default set (or when asked for by name).
    if scenarios.isEmpty || workloads {
      plan += try Self.workloadCases(in: resultDir.appendingPathComponent("workloads"), baseline: baselineScale > 0)
    }

    let progress = ProgressBar(label: "bench", total: plan.count)
    var results: [(BenchCase, BenchMeasurement)] = []
    // One at a time: runs side by side would share the cores and the memory bandwidth, and
    // each child's peak memory would no longer be the only thing in the machine.
    for (n, c) in plan.enumerated() {
      let out = c.compareGroup != nil ? resultDir.appendingPathComponent("\(n).json").path : nil
      do {
        let runs = try (0..<(c.kind == .product ? repeatCount : 1)).map { k in try measure(c, resultOut: k == 0 ? out : nil) }
        results.append((c, BenchMeasurement.median(of: runs)))
      } catch {
        progress.finish()
        throw InputFailure("error: \(c.scenario) (\(c.label)): \(error)")
      }
      progress.advance()
    }
    progress.finish()

    // The product and the baseline on the same copy must agree byte for byte.
    var same: [String: Bool] = [:]
    var firstOfGroup: [String: Data?] = [:]
    for (n, c) in plan.enumerated() {
      guard let g = c.compareGroup else { continue }
      let key = "\(c.scenario)#\(g)"
      let data = try? Data(contentsOf: resultDir.appendingPathComponent("\(n).json"))
      if let prior = firstOfGroup[key] {
        same[key] = (same[key] ?? true) && data != nil && data == prior
      } else {
        firstOfGroup[key] = data
      }
    }

    if json {
      for (c, m) in results {
        var o: [String: JSONValue] = [
          "scenario": .string(c.scenario), "case": .string(c.label), "kind": .string(c.kind.rawValue),
          "mode": .string(c.dayByDay ? "day-by-day" : "product"),
          "days": .int(m.days), "versions": .int(m.versions),
          "wallSeconds": .number(String(format: "%.4f", locale: Locale(identifier: "en_US_POSIX"), m.wallSeconds)),
          "cpuSeconds": .number(String(format: "%.4f", locale: Locale(identifier: "en_US_POSIX"), m.cpuSeconds)), "peakBytes": .int(m.peakBytes),
          "groupsAtEnd": .int(m.groupsAtEnd), "restorePoints": .int(m.restorePoints),
        ]
        if c.kind == .product { o["repeats"] = .int(repeatCount) }
        if let g = c.compareGroup { o["sameResultAsProduct"] = .bool(same["\(c.scenario)#\(g)"] ?? false) }
        if let t = c.threads {
          o["variants"] = .int(m.runs)
          o["threads"] = .int(t)
          o["coresBusy"] = .number(String(format: "%.2f", locale: Locale(identifier: "en_US_POSIX"), m.coresBusy))
        }
        Console.out(JSONValue.object(o).compact())
      }
    } else {
      Console.out(Self.markdown(results, same: same, repeats: repeatCount))
    }
    if same.values.contains(false) {
      // A failed check, not bad input: status 1.
      Console.error("error: the day-by-day baseline and the product disagree on a scaled copy (result.json differs)")
      throw ExitCode(1)
    }
  }

  static func defaultScenarios() -> [String] {
    let dir = "scenarios/bench"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted().map { "\(dir)/\($0)" }
  }
}
