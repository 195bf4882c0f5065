import ArgumentParser
import BackupSimAnalysis
import BackupSimModel
import BackupSimReports
import BackupSimTerminal

struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Run several scenarios and write one side-by-side report (compare.html, compare.md, compare.json).")

  @Argument(help: "Scenario files (YAML or JSON); the first is the baseline the others are compared with.")
  var scenarios: [String]

  @OptionGroup var input: InputOptions

  @Option(name: .long, help: "Folder the comparison is written to.")
  var out: String = "reports/compare"

  func validate() throws {
    if scenarios.count < 2 { throw ValidationError("compare needs at least two scenario files") }
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
    do {
      try ChartFolder.write(batch, into: out)
      try ReportFolder.write(CompareReport.files(entries, charts: batch.charts), to: out)
    } catch {
      throw InputFailure("error: cannot write the comparison to \(out): \(error.localizedDescription)")
    }
    Console.out(CompareReport.consoleSummary(entries, folder: out))
    if entries.contains(where: { $0.requirements.contains { !$0.met } }) { throw RequirementsNotMet() }
  }
}
