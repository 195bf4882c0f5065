import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

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

  @OptionGroup var input: InputOptions

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
    let folder = out ?? "reports/\(ReportFolder.name(forScenario: scenario))-sweep"
    let plan: SweepPlan
    let variants: SweepPlan.Variants
    let indices: [Int]
    do {
      plan = try SweepPlan.prepare(scenario: scenario, vary: vary, allowOutsidePaths: input.allowOutsidePaths)
      indices = shardNumbers.map { SweepGrid.shard($0.i, of: $0.n, count: plan.grid.count) } ?? Array(0..<plan.grid.count)
      variants = try plan.load(indices)
    } catch {
      throw InputFailure(error.lines)
    }
    for w in variants.warnings { Console.error(w) }

    let threads = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, max(1, indices.count))
    let progress = ProgressBar(label: "sweep", total: indices.count)
    let clock = RunClock()
    let grid = plan.grid, fingerprint = plan.fingerprint, scenarios = variants.scenarios
    let rows = parallelMap(count: indices.count, threads: threads) { k in
      // findMitigation: false — the mitigation search re-runs the scenario many times, and a
      // sweep is itself the search over variants.
      let row = SweepRow(
        variant: indices[k], gridSize: grid.count, fingerprint: fingerprint, parameters: grid.parameters(at: indices[k]),
        evaluation: evaluate(scenarios[k], findMitigation: false))
      progress.advance()
      return row
    }
    progress.finish()
    let timing = clock.stop()

    let shard = shardNumbers.map { (index: $0.i, of: $0.n) }
    let files = SweepReport.files(rows, shard: shard)
    do { try ReportFolder.write(files, to: folder) } catch {
      throw InputFailure("error: cannot write the sweep to \(folder): \(error.localizedDescription)")
    }
    var lines = [SweepReport.headline(rows, of: grid.count, scenario: scenario, fingerprint: fingerprint, shard: shard)]
    lines.append("  time     " + timing.sentence(threads: threads))
    for f in files { lines.append("  wrote    \((folder as NSString).appendingPathComponent(f.name))") }
    Console.out(lines.joined(separator: "\n"))
    if shard == nil && SweepReport.noneMeetsRequirements(rows) { throw RequirementsNotMet() }
  }
}
