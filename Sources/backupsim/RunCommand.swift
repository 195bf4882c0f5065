import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Simulate each scenario and write its report folder.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var scenarios: [String]

  @Option(name: .long, help: "Folder under which each scenario's report folder is written.")
  var out: String = "reports"

  @Flag(name: .long, help: "Also print result.json to stdout (the summary then goes to stderr).")
  var json = false

  @Option(name: .long, help: "Comma-separated outputs to write: json,csv,md,html (md and html also write charts/).")
  var formats: String = "json,csv,md,html"

  @Option(name: .long, help: "Also estimate restores as of this UTC date (end of that day) or date-time.")
  var restoreAt: String?

  /// `--restore-at`: a date means the end of that day (as coverage samples it); a date-time is exact.
  var restoreInstant: SimTime? {
    guard let text = restoreAt else { return nil }
    if let d = ScenarioLoader.parseDate(text) { return d + SimTime.secondsPerDay }
    return ScenarioLoader.parseDateTime(text)
  }

  func validate() throws {
    let allowed: Set<String> = ["json", "csv", "md", "html"]
    for f in formats.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !allowed.contains(f) {
      throw ValidationError("--formats: unknown format '\(f)'; use json, csv, md, html")
    }
    if scenarios.isEmpty { throw ValidationError("give at least one scenario file") }
    if restoreAt != nil && restoreInstant == nil {
      throw ValidationError("--restore-at: expected a UTC date like 2027-06-15 or a date-time like 2027-06-15T03:00")
    }
  }

  func run() throws {
    let wanted = Set(formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    var loaded: [(path: String, scenario: Scenario)] = []
    for path in scenarios { loaded.append((path, try loadScenario(path).scenario)) }
    // Check every scenario before writing any report.
    if let at = restoreInstant {
      for (path, scenario) in loaded where at <= scenario.start || at > scenario.end {
        Console.error("error: --restore-at \(at.iso8601) is outside the horizon of \(path) (\(scenario.start.iso8601) to \(scenario.end.iso8601))")
        throw ExitCode(2)
      }
    }
    var anyUnmet = false
    // Charts go with the reports for people; gnuplot is looked up once, and its absence said once.
    let wantsCharts = wanted.contains("md") || wanted.contains("html")
    let gnuplot: Gnuplot? = wantsCharts && Gnuplot.available() ? .live : nil
    var diagnostics = Diagnostics()
    for (path, scenario) in loaded {
      let at = restoreInstant
      // A run longer than a second shows its elapsed time on a terminal (nothing otherwise).
      let progress = ProgressBar(label: "simulating \(Self.stem(path))", total: nil)
      let evaluation = evaluate(scenario, options: SimulationOptions(snapshotAt: at))
      progress.finish()
      let result = evaluation.result
      let requirements = evaluation.requirements
      if requirements.contains(where: { !$0.met }) { anyUnmet = true }
      let folder = (out as NSString).appendingPathComponent(Self.stem(path))
      var files: [(String, String)] = []
      let resultJSON = ResultJSON.render(evaluation, restoreAt: at)
      if wanted.contains("json") { files.append(("result.json", resultJSON)) }
      if wanted.contains("csv") { files.append(("daily.csv", DailyCSV.render(result))) }
      let charts = wantsCharts ? Gnuplot.drawIfAvailable(PeopleReports.charts(evaluation), gnuplot: gnuplot) : ChartBatch(charts: [], diagnostics: [])
      diagnostics.report(charts.diagnostics)
      if wanted.contains("md") {
        files.append(("report.md", MarkdownReport.render(evaluation) + "\n" + ChartSpec.markdownSection(charts.charts)))
      }
      if wanted.contains("html") { files.append(("report.html", PeopleReports.html(evaluation, charts: charts.charts))) }
      do {
        if wantsCharts { try ChartFolder.write(charts, into: folder) }
        try ReportFolder.write(files, to: folder)
      } catch {
        Console.error("error: cannot write reports to \(folder): \(error.localizedDescription)")
        throw ExitCode(2)
      }
      if json { Console.out(resultJSON) }
      var summary = Self.summary(result, requirements: requirements, folder: folder)
      if let a = evaluation.attack {
        summary += "\n  attack              " + Verdict.sentence(a)
        if let m = evaluation.mitigation { summary += "\n  fix                 " + Verdict.mitigationSentence(m) }
      }
      if let at {
        for e in result.restoreEstimates(at: at) {
          summary += "\n  restore \(e.label): \(e.job) of \(e.writtenAt.iso8601), \(e.objects) objects, "
          summary += e.tiers.keys.sorted().compactMap { tier in
            e.tiers[tier].map { "\(tier.rawValue) \(MarkdownReport.hours($0.hours)) \($0.cost.formatted())" }
          }.joined(separator: "; ")
        }
      }
      if json { Console.error(summary) } else { Console.out(summary) }
    }
    if anyUnmet { throw ExitCode(1) }
  }

  static func stem(_ path: String) -> String {
    ((path as NSString).lastPathComponent as NSString).deletingPathExtension
  }

  static func summary(_ r: RunResult, requirements: [RequirementResult], folder: String) -> String {
    var lines = ["\(r.scenarioName): \(r.start.date.iso8601) to \(r.end.date.iso8601)"]
    lines.append("  total cost          \(r.totalCost.formatted())")
    if let m = r.lastFullMonth { lines.append("  steady monthly cost \(m.total.formatted()) (\(m.month))") }
    let c = r.coverage
    lines.append("  restore points      \(c.restorableAtEnd) of \(c.restorePointsCreated) restorable at the end" + (c.oldestRestorableAtEnd.map { ", oldest \($0.iso8601)" } ?? ""))
    for q in requirements {
      lines.append("  requirement \(q.name): " + (q.met ? "met" : "NOT MET, first failed on \(q.firstFailedOn?.iso8601 ?? "-")"))
    }
    lines.append("  report              \(folder)/")
    return lines.joined(separator: "\n")
  }
}

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check scenarios without running them; errors name file:line:column.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var scenarios: [String]

  func run() throws {
    var failed = false
    for path in scenarios {
      do {
        let loaded = try ScenarioLoader().load(path: path)
        Console.warnings(loaded.warnings)
        Console.out("\(path): ok (\(loaded.scenario.uploads.count) upload job(s), \(loaded.scenario.bucket.lifecycle.rules.count) lifecycle rule(s))")
      } catch {
        for e in error.errors { Console.error(e.description) }
        failed = true
      }
    }
    if failed { throw ExitCode(2) }
  }
}

/// Writes a report folder so that no reader ever sees a half-written file.
enum ReportFolder {
  static func write(_ files: [(name: String, contents: String)], to folder: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, contents) in files {
      let final = (folder as NSString).appendingPathComponent(name)
      let temp = (folder as NSString).appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
      guard fm.createFile(atPath: temp, contents: Data(contents.utf8)) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temp])
      }
      // rename(2) replaces the old file in one step.
      if rename(temp, final) != 0 {
        try? fm.removeItem(atPath: temp)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final])
      }
    }
  }
}
