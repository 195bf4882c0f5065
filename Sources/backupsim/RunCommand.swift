import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

extension RunReport.Output: ExpressibleByArgument {}

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Simulate each scenario and write its report folder.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var scenarios: [String]

  @OptionGroup var input: InputOptions

  @Option(name: .long, help: "Folder under which each scenario's report folder is written.")
  var out: String = "reports"

  @Flag(name: .long, help: "Also print result.json to stdout (the summary then goes to stderr).")
  var json = false

  @Option(name: .long, help: "Comma-separated outputs to write: json,csv,md,html (md and html also write charts/).")
  var formats: String = "json,csv,md,html"

  @Option(name: .long, help: "Also estimate restores as of this UTC date (end of that day) or date-time.")
  var restoreAt: String?

  var formatSet: Set<RunReport.Output> {
    Set(formats.split(separator: ",").compactMap { RunReport.Output(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
  }

  /// `--restore-at`: a date means the end of that day (as coverage samples it); a date-time is exact.
  var restoreInstant: SimTime? {
    guard let text = restoreAt else { return nil }
    if let d = ScenarioLoader.parseDate(text) { return d + SimTime.secondsPerDay }
    return ScenarioLoader.parseDateTime(text)
  }

  func validate() throws {
    for f in formats.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where RunReport.Output(rawValue: f) == nil {
      throw ValidationError("--formats: unknown format '\(f)'; use json, csv, md, html")
    }
    if scenarios.isEmpty { throw ValidationError("give at least one scenario file") }
    if restoreAt != nil && restoreInstant == nil {
      throw ValidationError("--restore-at: expected a UTC date like 2027-06-15 or a date-time like 2027-06-15T03:00")
    }
  }

  func run() throws {
    try checkReportFolders()
    // Check every scenario before writing any report.
    let loaded = try scenarios.map { path in (path: path, scenario: try loadScenario(path, allowOutsidePaths: input.allowOutsidePaths).scenario) }
    let at = restoreInstant
    if let at, let (path, s) = loaded.first(where: { at <= $0.scenario.start || at > $0.scenario.end }) {
      throw InputFailure("error: --restore-at \(at.iso8601) is outside the horizon of \(path) (\(s.start.iso8601) to \(s.end.iso8601))")
    }
    // gnuplot is looked up once, and its absence said once.
    let formats = formatSet
    let gnuplot: Gnuplot? = (formats.contains(.md) || formats.contains(.html)) && Gnuplot.available() ? .live : nil
    var diagnostics = Diagnostics()
    var anyUnmet = false
    for (n, (path, scenario)) in loaded.enumerated() {
      // A run longer than a second shows its elapsed time on a terminal (nothing otherwise), and
      // with several scenarios which one it is and how much of the run is done.
      let progress = ProgressBar(label: ProgressBar.scenarioLabel(ReportFolder.name(forScenario: path), index: n, of: loaded.count), total: nil)
      let evaluation = evaluate(scenario, options: SimulationOptions(snapshotAt: at))
      progress.finish()
      anyUnmet = anyUnmet || !evaluation.allRequirementsMet
      let folder = (out as NSString).appendingPathComponent(ReportFolder.name(forScenario: path))
      let report = RunReport(evaluation, formats: formats, restoreAt: at, gnuplot: gnuplot)
      diagnostics.report(report.charts.diagnostics)
      do { try report.write(to: folder) } catch {
        throw InputFailure("error: cannot write reports to \(folder): \(ReportFolder.reason(error, folder: folder))")
      }
      let summary = RunReport.summary(evaluation, folder: folder, restoreAt: at)
      if json {
        Console.out(report.files.first { $0.name == "result.json" }?.contents ?? ResultJSON.render(evaluation, restoreAt: at))
        Console.error(summary)
      } else {
        Console.out(summary)
      }
    }
    if anyUnmet { throw RequirementsNotMet() }
  }

  /// `--out` must be a folder (or not exist yet), and each scenario needs a report folder of its own:
  /// two files with the same stem would write the same folder, the second silently replacing the first.
  func checkReportFolders() throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), !isFolder.boolValue {
      throw InputFailure("error: --out \(out) is a file, not a folder; name a folder for the reports")
    }
    var owner: [String: String] = [:]
    for path in scenarios {
      let name = ReportFolder.name(forScenario: path)
      if let problem = ReportFolder.problem(withName: name) { throw InputFailure("\(path):1:1: error: \(problem)") }
      if let first = owner[name], first != path {
        let folder = (out as NSString).appendingPathComponent(name)
        throw InputFailure(
          "\(path):1:1: error: its report folder \(folder) would also be the one of \(first); rename one of them or run them with different --out")
      }
      owner[name] = path
    }
  }
}
