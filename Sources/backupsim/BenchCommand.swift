import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the simulator on large scenarios: versions per second, peak memory, speed-up over the day-by-day baseline.",
    discussion: """
      Each measurement runs in a child process (this same executable), so its
      peak memory (VmHWM) is its own. For every scenario (default:
      scenarios/bench/*.yaml) it measures:
        - the product run: simulation, coverage, requirements, result.json;
        - with --baseline-scale F (default 0.01), a copy with F times the
          objects per run (same years), run by the product and by the
          day-by-day baseline (every key alone, every version looked at every
          day); their result.json must be identical (exit 1 if not), and the
          speed-up is the baseline's time per version over the full-size
          product run's;
        - with --linearity keys,years, the scenario with the objects per run
          and/or the duration multiplied by each of --factors (default 1,2,4);
        - with --vary PATH=VALUES (as in `sweep`), every variant of that grid.
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

  @Flag(name: .long, help: "Print one JSON object per measurement (JSON Lines) instead of Markdown tables.")
  var json = false

  // The child side: one measurement in this process, printed as one JSON line.
  @Flag(name: .long, help: .hidden) var child = false
  @Flag(name: .long, help: .hidden) var dayByDay = false
  @Option(name: .long, parsing: .singleValue, help: .hidden) var set: [String] = []
  @Option(name: .long, help: .hidden) var resultOut: String?

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
  }

  func run() throws {
    if child {
      try runChild()
      return
    }
    #if DEBUG
      Console.error("warning: this is a debug build; its figures mean little: swift build -c release, then .build/release/backupsim bench")
    #endif
    let files = scenarios.isEmpty ? Self.defaultScenarios() : scenarios
    if files.isEmpty {
      Console.error("error: no scenarios given and none in scenarios/bench")
      throw ExitCode(2)
    }
    var plan: [BenchCase] = []
    for path in files { plan += try cases(for: path) }

    let progress = ProgressBar(label: "bench", total: plan.count)
    var results: [(BenchCase, BenchMeasurement)] = []
    let resultDir = FileManager.default.temporaryDirectory.appendingPathComponent("backupsim-bench-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.createDirectory(at: resultDir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: resultDir) }
    // One at a time: runs side by side would share the cores and the memory bandwidth, and
    // each child's peak memory would no longer be the only thing in the machine.
    for (n, c) in plan.enumerated() {
      let out = c.compareGroup != nil ? resultDir.appendingPathComponent("\(n).json").path : nil
      do {
        results.append((c, try measure(c, resultOut: out)))
      } catch {
        progress.finish()
        Console.error("error: \(c.scenario) (\(c.label)): \(error)")
        throw ExitCode(2)
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
        if let g = c.compareGroup { o["sameResultAsProduct"] = .bool(same["\(c.scenario)#\(g)"] ?? false) }
        Console.out(JSONValue.object(o).compact())
      }
    } else {
      Console.out(Self.markdown(results, same: same))
    }
    if same.values.contains(false) {
      Console.error("error: the day-by-day baseline and the product disagree on a scaled copy (result.json differs)")
      throw ExitCode(1)
    }
  }

  static func defaultScenarios() -> [String] {
    let dir = "scenarios/bench"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted().map { "\(dir)/\($0)" }
  }

  // MARK: The plan

  /// The measurements for one scenario file.
  func cases(for path: String) throws -> [BenchCase] {
    let prepared = try SweepInput.prepare(scenario: path, vary: [])
    let tree = prepared.tree
    _ = try prepared.load([0])  // reports a broken scenario before anything runs
    let jobs = ScenarioEdit.get(ConfigPath([.key("uploads")]), in: tree)?.items?.count ?? 0
    func objects(_ j: Int) -> Int {
      ScenarioEdit.get(ConfigPath([.key("uploads"), .index(j), .key("objects")]), in: tree)?.scalar.flatMap { Int($0) } ?? 1
    }
    func scaledObjects(_ f: Double) -> [String] {
      (0..<jobs).map { j in "uploads[\(j)].objects=\(max(1, Int((Double(objects(j)) * f).rounded())))" }
    }
    let name = RunCommand.stem(path)
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
            Console.error("\(path): error: --linearity years needs a duration like '3 years', got '\(text)'")
            throw ExitCode(2)
          }
          out.append(BenchCase(scenario: name, path: path, label: "years ×\(f)", kind: .linearity, edits: ["duration=\(n * f) \(parts[1])"]))
        }
      }
    }
    if !vary.isEmpty {
      let grid = try SweepInput.prepare(scenario: path, vary: vary).grid
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

  static func trim(_ d: Double) -> String {
    d == d.rounded() ? String(Int(d)) : String(d)
  }

  // MARK: Running a child

  func measure(_ c: BenchCase, resultOut: String?) throws -> BenchMeasurement {
    let p = Process()
    p.executableURL = Self.selfExecutable()
    var args = ["bench", "--child", c.path]
    for e in c.edits { args += ["--set", e] }
    if c.dayByDay { args.append("--day-by-day") }
    if let r = resultOut { args += ["--result-out", r] }
    p.arguments = args
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
    guard let m = BenchMeasurement(json: out) else {
      throw BenchError(description: "unreadable measurement: " + String(decoding: out, as: UTF8.self))
    }
    return m
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
    guard let path = scenarios.first else { throw ExitCode(2) }
    var axes: [VaryAxis] = []
    for s in set {
      do {
        let a = try VaryAxis.parse(s)
        guard a.values.count == 1 else { throw VaryError(s, "--set takes one value") }
        axes.append(a)
      } catch {
        Console.error("error: \(error)")
        throw ExitCode(2)
      }
    }
    let prepared = try SweepInput.prepare(scenario: path, vary: [])
    var tree = prepared.tree
    for a in axes {
      guard let v = a.values.first else { continue }
      do { tree = try ScenarioEdit.set(v.node, at: a.path, in: tree) } catch {
        Console.error("error: \(error)")
        throw ExitCode(2)
      }
    }
    let scenario: Scenario
    do { scenario = try ScenarioLoader().load(node: tree, file: path).scenario } catch {
      for e in error.errors { Console.error(e.description) }
      throw ExitCode(2)
    }
    let clock = RunClock()
    let evaluation = evaluate(scenario, options: SimulationOptions(dayByDay: dayByDay), findMitigation: false)
    let rendered = ResultJSON.render(evaluation)
    let t = clock.stop()
    if let r = resultOut {
      do { try Data(rendered.utf8).write(to: URL(fileURLWithPath: r)) } catch {
        Console.error("error: cannot write \(r): \(error.localizedDescription)")
        throw ExitCode(2)
      }
    }
    let m = BenchMeasurement(
      wallSeconds: t.wallSeconds, cpuSeconds: t.cpuSeconds, peakBytes: Self.peakBytes(),
      versions: evaluation.result.restorePoints.reduce(0) { $0 + $1.versions },
      restorePoints: evaluation.result.restorePoints.count, days: evaluation.result.daily.count, groupsAtEnd: evaluation.result.groupsAtEnd)
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

  // MARK: Report

  static func markdown(_ results: [(BenchCase, BenchMeasurement)], same: [String: Bool]) -> String {
    var out = "### backupsim bench (\(buildKind) build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\n\n"
    out += "| scenario | run | days | versions | wall | CPU | peak memory | versions/s | ns/version | groups at end |\n"
    out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (c, m) in results {
      let mode = c.dayByDay ? "day-by-day baseline, " : ""
      out +=
        "| \(c.scenario) | \(mode)\(c.label) | \(grouped(m.days)) | \(grouped(m.versions)) | \(seconds(m.wallSeconds)) | \(seconds(m.cpuSeconds)) "
      out += "| \(mib(m.peakBytes)) | \(rate(m.perSecond)) | \(fixed(m.nsPerVersion, 0)) | \(grouped(m.groupsAtEnd)) |\n"
    }

    let products = Dictionary(results.filter { $0.0.kind == .product }.map { ($0.0.scenario, $0.1) }, uniquingKeysWith: { a, _ in a })
    let baselines = results.filter { $0.0.kind == .baseline }
    if !baselines.isEmpty {
      out += "\nSpeed-up over the day-by-day baseline (time per version; the baseline runs on a scaled copy, same years):\n\n"
      out +=
        "| scenario | copy | product ns/version (full size) | product ns/version (copy) | baseline ns/version (copy) | speed-up | same result.json |\n"
      out += "|---|---|---:|---:|---:|---:|---|\n"
      for (c, b) in baselines {
        let copy = results.first { $0.0.scenario == c.scenario && $0.0.kind == .copy }?.1
        let full = products[c.scenario]
        let speedup = full.map { b.nsPerVersion / max($0.nsPerVersion, 1e-9) }
        let agree = c.compareGroup.flatMap { same["\(c.scenario)#\($0)"] }
        out += "| \(c.scenario) | \(c.label) (\(grouped(b.versions)) versions) | \(full.map { fixed($0.nsPerVersion, 0) } ?? "-") "
        out += "| \(copy.map { fixed($0.nsPerVersion, 0) } ?? "-") | \(fixed(b.nsPerVersion, 0)) | \(speedup.map { fixed($0, 0) + "×" } ?? "-") "
        out += "| \(agree == true ? "yes" : "**NO**") |\n"
      }
    }

    let linear = results.filter { $0.0.kind == .linearity }
    if !linear.isEmpty {
      out += "\nLinearity (time per version relative to ×1 of the same axis):\n\n"
      out += "| scenario | scale | versions | wall | ns/version | vs ×1 | peak memory |\n|---|---|---:|---:|---:|---:|---:|\n"
      for (c, m) in linear {
        let axis = c.label.split(separator: " ").first.map(String.init) ?? ""
        let unit =
          linear.first { $0.0.scenario == c.scenario && $0.0.label == "\(axis) ×1" }?.1
          ?? linear.first { $0.0.scenario == c.scenario && $0.0.label.hasPrefix(axis) }?.1
        let rel = unit.map { m.nsPerVersion / max($0.nsPerVersion, 1e-9) }
        out += "| \(c.scenario) | \(c.label) | \(grouped(m.versions)) | \(seconds(m.wallSeconds)) | \(fixed(m.nsPerVersion, 0)) "
        out += "| \(rel.map { fixed($0, 2) } ?? "-") | \(mib(m.peakBytes)) |\n"
      }
    }
    return out
  }

  static var buildKind: String {
    #if DEBUG
      return "debug"
    #else
      return "release"
    #endif
  }

  static let posix = Locale(identifier: "en_US_POSIX")
  static func fixed(_ v: Double, _ places: Int) -> String { String(format: "%.\(places)f", locale: posix, v) }
  static func seconds(_ v: Double) -> String { v < 10 ? fixed(v, 2) + " s" : fixed(v, 1) + " s" }
  static func mib(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 0) + " MiB" }
  static func rate(_ v: Double) -> String { v >= 1e6 ? fixed(v / 1e6, 1) + " M" : v >= 1e3 ? fixed(v / 1e3, 1) + " k" : fixed(v, 0) }
  static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }
}

/// One measurement to take: a scenario, edits to it, and how to run it.
struct BenchCase {
  enum Kind: String { case product, copy, baseline, linearity, variant }
  var scenario: String
  var path: String
  var label: String
  var kind: Kind
  /// `PATH=VALUE` edits, one value each.
  var edits: [String]
  var dayByDay = false
  /// Runs with the same group number must render the same result.json.
  var compareGroup: Int?
}

/// What one child process reported.
struct BenchMeasurement {
  var wallSeconds: Double
  var cpuSeconds: Double
  var peakBytes: Int
  var versions: Int
  var restorePoints: Int
  var days: Int
  var groupsAtEnd: Int

  var perSecond: Double { wallSeconds > 0 ? Double(versions) / wallSeconds : 0 }
  var nsPerVersion: Double { versions > 0 ? wallSeconds * 1e9 / Double(versions) : 0 }

  init(wallSeconds: Double, cpuSeconds: Double, peakBytes: Int, versions: Int, restorePoints: Int, days: Int, groupsAtEnd: Int) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.peakBytes = peakBytes
    self.versions = versions
    self.restorePoints = restorePoints
    self.days = days
    self.groupsAtEnd = groupsAtEnd
  }

  var json: String {
    let f = { (v: Double) in JSONValue.number(String(format: "%.6f", locale: Locale(identifier: "en_US_POSIX"), v)) }
    return JSONValue.object([
      "wallSeconds": f(wallSeconds), "cpuSeconds": f(cpuSeconds), "peakBytes": .int(peakBytes), "versions": .int(versions),
      "restorePoints": .int(restorePoints), "days": .int(days), "groupsAtEnd": .int(groupsAtEnd),
    ]).compact()
  }

  init?(json data: Data) {
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard let v = try? JSONValue.parse(text), case .object(let o) = v else { return nil }
    func num(_ k: String) -> Double? {
      if case .number(let t)? = o[k] { return Double(t) }
      return nil
    }
    guard let w = num("wallSeconds"), let c = num("cpuSeconds"), let p = num("peakBytes"), let ver = num("versions"),
      let rp = num("restorePoints"), let d = num("days"), let g = num("groupsAtEnd")
    else { return nil }
    self.init(wallSeconds: w, cpuSeconds: c, peakBytes: Int(p), versions: Int(ver), restorePoints: Int(rp), days: Int(d), groupsAtEnd: Int(g))
  }
}
