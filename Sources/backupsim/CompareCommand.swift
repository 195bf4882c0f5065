import ArgumentParser
import BackupSimAnalysis
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Run several scenarios and write one side-by-side report (compare.html, compare.md, compare.json).",
    discussion: """
      For CI: --json prints compare.json to stdout instead of the summary, and
      the thresholds make the command fail (exit 1), each scenario judged
      against the first file, with one line per crossing on stderr:
        --max-cost-increase 10%   the steady monthly cost (the last full
                                  calendar month) rises more than 10%
        --fail-on-protection-loss fewer restorable restore points at the end,
                                  a shorter attack window, or a requirement
                                  the baseline meets fails
      Exit status: 0 ok; 1 a requirement is not met or a threshold is crossed;
      2 bad input.
      """)

  @Argument(help: "Scenario files (YAML or JSON); the first is the baseline the others are compared with.")
  var scenarios: [String]

  @OptionGroup var input: InputOptions

  @Option(name: .long, help: "Folder the comparison is written to.")
  var out: String = "reports/compare"

  @Flag(name: .long, help: "Print compare.json to stdout instead of the summary (the folder is still written).")
  var json = false

  @Option(
    name: .long,
    help: ArgumentHelp("Exit 1 when a scenario's steady monthly cost is more than this above the baseline's, e.g. 10%.", valueName: "PERCENT"))
  var maxCostIncrease: String?

  @Flag(
    name: .long,
    help: "Exit 1 when a scenario keeps fewer restorable points at the end, has a shorter attack window, or fails a requirement the baseline meets.")
  var failOnProtectionLoss = false

  /// `--max-cost-increase` as a number of percent: "10%" or "10", "2.5%".
  var costIncreasePercent: Decimal? {
    guard let text = maxCostIncrease else { return nil }
    let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
    // Decimal(string:) reads a leading number and ignores the rest ("10x" is 10): check the whole.
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), digits.filter({ $0 == "." }).count <= 1 else {
      return nil
    }
    return Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX"))
  }

  func validate() throws {
    if scenarios.count < 2 { throw ValidationError("compare needs at least two scenario files") }
    if maxCostIncrease != nil && costIncreasePercent == nil {
      throw ValidationError("--max-cost-increase: expected a percentage such as 10% or 2.5%, got '\(maxCostIncrease ?? "")'")
    }
  }

  func run() throws {
    // Load every file first so that all errors of all files are printed, like `validate` does.
    var loaded: [Scenario] = []
    var failed = false
    for path in scenarios {
      do { loaded.append(try loadScenario(path, allowOutsidePaths: input.allowOutsidePaths).scenario) } catch {
        for e in error.errors { Console.error(e.description) }
        failed = true
      }
    }
    if failed { throw InputFailure.alreadyReported }

    let progress = ProgressBar(label: "comparing", total: loaded.count)
    let runs = parallelMap(loaded) { s in
      let e = evaluate(s, findMitigation: false)
      progress.advance()
      return e
    }
    progress.finish()
    let entries = zip(scenarios, zip(CompareReport.labels(forFiles: scenarios), runs)).map { file, lr in
      CompareEntry(label: lr.0, file: file, result: lr.1.result, requirements: lr.1.requirements, attack: lr.1.attack)
    }
    let batch = Gnuplot.drawIfAvailable(CompareReport.charts(entries), gnuplot: Gnuplot.available() ? .live : nil)
    var diagnostics = Diagnostics()
    diagnostics.report(batch.diagnostics)
    let thresholds = CompareThresholds(maxCostIncreasePercent: costIncreasePercent, failOnProtectionLoss: failOnProtectionLoss)
    let files = CompareReport.files(entries, charts: batch.charts, thresholds: thresholds)
    do {
      try ChartFolder.write(batch, into: out)
      try ReportFolder.write(files, to: out)
    } catch {
      throw InputFailure("error: cannot write the comparison to \(out): \(error.localizedDescription)")
    }
    if json, let document = files.first(where: { $0.name == "compare.json" }) {
      Console.out(document.contents)
    } else {
      Console.out(CompareReport.consoleSummary(entries, folder: out))
    }
    let crossed = CompareReport.check(entries, thresholds)
    for f in crossed { Console.error("check failed: \(f.message)") }
    if !crossed.isEmpty || entries.contains(where: { $0.requirements.contains { !$0.met } }) { throw RequirementsNotMet() }
  }
}
