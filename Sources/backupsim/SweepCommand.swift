import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a grid of variants of one scenario in parallel; write sweep.jsonl and summary.md.",
    discussion: """
      PATH addresses the scenario tree with dots and list indices:
        --vary 'bucket.lifecycle.Rules[0].Expiration.Days=30...90:15'
        --vary 'uploads[0].size=10 GiB,20 GiB'
        --vary bucket.objectLock.days=7,14 --vary bucket.objectLock.mode=COMPLIANCE
      Values are separated by commas; a...b:step is an inclusive numeric range;
      a value starting with { [ or a quote is read as YAML. Missing mapping keys
      are created; lists are not. Several --vary make a grid of every
      combination, the first --vary changing slowest. Variant k is row k of
      DIR/sweep.jsonl, whatever order the runs finish in. Attack strategies are
      played; no mitigation is searched for.

      --shard i/n runs the variants whose index % n == i-1 and writes only
      DIR/sweep-shard-i-of-n.jsonl; `backupsim merge` joins the shards into the
      same sweep.jsonl and summary.md as one unsharded run.

      Exit status: 0 when a variant meets every requirement (or the scenario
      states none); 1 when the scenario states requirements and no variant
      meets them all; 2 for bad input. A shard exits 0 once its rows are
      written: only `merge` sees the whole grid.
      """)

  @Argument(help: "The scenario file (YAML or JSON) to vary.")
  var scenario: String

  @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("A PATH=V1,V2,... axis of the grid (repeatable).", valueName: "PATH=VALUES"))
  var vary: [String] = []

  @Option(name: .long, help: "Runs at once (default: the number of cores).")
  var jobs: Int?

  @Option(name: .long, help: ArgumentHelp("Run only shard i of n (1-based), e.g. 2/8.", valueName: "i/n"))
  var shard: String?

  @Option(name: .long, help: "Folder the results are written to (default: reports/<scenario-file-stem>-sweep).")
  var out: String?

  /// `--shard i/n` as numbers, when well formed.
  var shardNumbers: (i: Int, n: Int)? {
    guard let s = shard else { return nil }
    let parts = s.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
    return (i, n)
  }

  func validate() throws {
    if vary.isEmpty { throw ValidationError("give at least one --vary PATH=V1,V2,...") }
    if let j = jobs, j < 1 { throw ValidationError("--jobs must be at least 1") }
    if shard != nil && shardNumbers == nil { throw ValidationError("--shard: expected i/n with 1 <= i <= n, e.g. 2/8") }
  }

  func run() throws {
    let folder = out ?? "reports/\(RunCommand.stem(scenario))-sweep"
    let prepared = try SweepInput.prepare(scenario: scenario, vary: vary)
    let indices = shardNumbers.map { SweepGrid.shard($0.i, of: $0.n, count: prepared.grid.count) } ?? Array(0..<prepared.grid.count)
    let scenarios = try prepared.load(indices)

    let threads = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, max(1, indices.count))
    let progress = ProgressBar(label: "sweep", total: indices.count)
    let clock = RunClock()
    let grid = prepared.grid, fingerprint = prepared.fingerprint
    let rows = parallelRun(count: indices.count, threads: threads) { k in
      // findMitigation: false — the mitigation search re-runs the scenario many times, and a
      // sweep is itself the search over variants.
      let row = SweepRow(
        variant: indices[k], gridSize: grid.count, fingerprint: fingerprint, parameters: grid.parameters(at: indices[k]), evaluation: evaluate(scenarios[k], findMitigation: false))
      progress.advance()
      return row
    }
    progress.finish()
    let timing = clock.stop()

    var files = [(name: String, contents: String)]()
    if let s = shardNumbers {
      files.append((SweepReport.shardFileName(s.i, of: s.n), SweepReport.jsonl(rows)))
    } else {
      files.append(("sweep.jsonl", SweepReport.jsonl(rows)))
      files.append(("summary.md", SweepReport.summary(rows)))
    }
    do {
      try ReportFolder.write(files, to: folder)
    } catch {
      Console.error("error: cannot write the sweep to \(folder): \(error.localizedDescription)")
      throw ExitCode(2)
    }

    var lines: [String] = []
    if let s = shardNumbers {
      lines.append("Shard \(s.i) of \(s.n): ran \(rows.count) of \(grid.count) variants of \(scenario) (grid \(fingerprint)).")
    } else {
      lines.append("Ran \(rows.count) variants of \(scenario) (grid \(fingerprint)).")
      lines.append(SweepReport.verdict(rows))
    }
    lines.append("  time     " + timing.sentence(threads: threads))
    for f in files { lines.append("  wrote    \((folder as NSString).appendingPathComponent(f.name))") }
    Console.out(lines.joined(separator: "\n"))
    if shardNumbers == nil && SweepReport.noneMeetsRequirements(rows) { throw ExitCode(1) }
  }
}

/// A sweep's scenario, read once, and its grid: everything needed to build any variant.
struct SweepInput {
  var path: String
  var text: String
  var tree: ConfigNode
  var grid: SweepGrid
  var fingerprint: String

  /// Reads the scenario and the `--vary` axes; bad input is printed and becomes exit status 2.
  static func prepare(scenario path: String, vary: [String]) throws -> SweepInput {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      Console.error("\(path):1:1: error: cannot read scenario: \(error.localizedDescription)")
      throw ExitCode(2)
    }
    let tree: ConfigNode
    do { tree = try ConfigNode.parseYAML(text, file: path) } catch {
      Console.error(error.description)
      throw ExitCode(2)
    }
    var axes: [VaryAxis] = []
    var bad = false
    for v in vary {
      do { axes.append(try VaryAxis.parse(v)) } catch {
        Console.error("error: \(error)")
        bad = true
      }
    }
    if bad { throw ExitCode(2) }
    let grid: SweepGrid
    do { grid = try SweepGrid(axes: axes) } catch {
      Console.error("error: \(error)")
      throw ExitCode(2)
    }
    // Every value of an axis goes to the same place, so one try per axis finds every path mistake.
    for (a, argument) in zip(axes, vary) {
      guard let v = a.values.first else { continue }
      do { _ = try ScenarioEdit.set(v.node, at: a.path, in: tree) } catch {
        Console.error("error: \(VaryError(argument, error.message))")
        bad = true
      }
    }
    if bad { throw ExitCode(2) }
    return SweepInput(path: path, text: text, tree: tree, grid: grid, fingerprint: grid.fingerprint(scenarioText: text))
  }

  /// Loads every variant before any runs, so a bad value is reported at once, not after an hour.
  ///
  /// Each distinct problem is printed once, with the first variant that has it.
  func load(_ indices: [Int]) throws -> [Scenario] {
    var scenarios: [Scenario] = []
    var seen: Set<String> = []
    var bad = false
    let loader = ScenarioLoader()
    for i in indices {
      let params = grid.parameters(at: i).map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
      do {
        let loaded = try loader.load(node: try grid.tree(at: i, base: tree), file: path)
        for w in loaded.warnings where seen.insert(w.description).inserted {
          Console.error(Self.describe(w, kind: "warning", variant: i, params: params))
        }
        scenarios.append(loaded.scenario)
      } catch let e as ScenarioErrors {
        bad = true
        for err in e.errors where seen.insert(err.description).inserted {
          Console.error(Self.describe(err, kind: "error", variant: i, params: params))
        }
      } catch {
        bad = true
        if seen.insert("\(error)").inserted { Console.error("error: \(error)") }
      }
    }
    if bad { throw ExitCode(2) }
    return scenarios
  }

  /// A value from `--vary` is named by its argument; a problem elsewhere by file:line:column and the variant.
  static func describe(_ e: ScenarioError, kind: String, variant: Int, params: String) -> String {
    if VaryAxis.isVaryLocation(e.location), let file = e.location?.file {
      return "\(kind): \(file): \(e.message)"
    }
    return "\(e.location.map { "\($0): " } ?? "")\(kind): \(e.message) (variant #\(variant): \(params))"
  }
}

/// Runs `body(0..<count)` on `threads` threads, each taking the next index when it is free (runs
/// differ in length); results come back in index order whatever order they finish in.
func parallelRun<T: Sendable>(count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
  let slots = ResultSlots<T>(count: count)
  let next = Counter()
  DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
    while let k = next.take(below: count) { slots.set(k, body(k)) }
  }
  return slots.values()
}

/// Hands out 0, 1, 2, … to several threads.
final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func take(below limit: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}

/// Wall time and this process's CPU time (user + system, every thread) over a stretch of work.
struct RunClock {
  private let wall = ContinuousClock.now
  private let cpu = RunClock.cpuSeconds()

  struct Timing {
    var wallSeconds: Double
    var cpuSeconds: Double

    /// "3.21 s wall, 6.05 s CPU on 2 threads (1.9 cores busy)": the CLI tests read these numbers.
    func sentence(threads: Int) -> String {
      let busy = wallSeconds > 0 ? cpuSeconds / wallSeconds : 0
      return String(
        format: "%.2f s wall, %.2f s CPU on %d thread%@ (%.1f cores busy)", locale: Locale(identifier: "en_US_POSIX"), wallSeconds,
        cpuSeconds, threads, threads == 1 ? "" : "s", busy)
    }
  }

  func stop() -> Timing {
    let d = ContinuousClock.now - wall
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return Timing(wallSeconds: seconds, cpuSeconds: RunClock.cpuSeconds() - cpu)
  }

  static func cpuSeconds() -> Double {
    var u = rusage()
    #if canImport(Glibc)
      // Glibc imports RUSAGE_SELF as an enum case; getrusage takes its raw Int32.
      let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
      let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &u) == 0 else { return 0 }
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(u.ru_utime) + s(u.ru_stime)
  }
}
