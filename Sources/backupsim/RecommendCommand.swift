import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

struct RecommendCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recommend",
    abstract: "Find the cheapest configuration that meets every requirement; write it as ready-to-apply AWS JSON.",
    discussion: """
      Searches lifecycle expiration and transitions, NoncurrentVersionExpiration, Object Lock, a bucket
      policy that denies the backup writers destructive actions or overwrites, and the upload storage
      class, for the cheapest variant of the scenario (by its steady monthly cost) that meets every
      requirement it states. A --space file (YAML) narrows or widens the axes and may carry the
      requirements, e.g.:

        noncurrentDays: [7, 14, 30, 60, never]
        transitions: { GLACIER: [90] }
        noncurrentTransitions: { GLACIER_IR: [1] }
        objectLock: { modes: [COMPLIANCE], days: [0, 14, 30] }
        requirements: { restorePoints: { every: 1 day, for: 30 days } }

      Writes DIR/recommend.md, recommend.json, lifecycle.json, bucket-policy.json,
      object-lock.json (those the recommendation needs) and charts/.

      Exit status: 0 a configuration meets every requirement; 1 none in the space
      does; 2 bad input.
      """)

  @Argument(help: "The scenario file (YAML or JSON).")
  var scenario: String

  @OptionGroup var input: InputOptions

  @Option(name: .long, help: ArgumentHelp("A YAML file that overrides parts of the search space.", valueName: "FILE"))
  var space: String?

  @Option(name: .long, help: "Runs at once (default: the number of cores).")
  var jobs: Int?

  @Option(name: .long, help: "Folder the results are written to (default: reports/<scenario-file-stem>/recommend).")
  var out: String?

  func validate() throws {
    if let j = jobs, j < 1 { throw ValidationError("--jobs must be at least 1") }
  }

  func run() throws {
    let folder = out ?? "reports/\(ReportFolder.name(forScenario: scenario))/recommend"
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
      throw InputFailure("error: --out \(folder) is a file, not a folder; name a folder for the recommendation")
    }
    let (loaded, overrides) = try load()
    let s = loaded.scenario
    if s.requirements.isEmpty {
      throw InputFailure(
        "\(scenario):1:1: error: the scenario states no requirements, and recommend looks for the cheapest configuration that meets them; "
          + "add requirements: to the scenario or to the --space file")
    }
    let space = RecommendSpace.make(for: s, overrides: overrides)
    if space.count == 0 {
      throw InputFailure("\(self.space ?? scenario):1:1: error: the search space is empty: no valid combination of its values")
    }

    let threads = jobs ?? ProcessInfo.processInfo.activeProcessorCount
    let progress = ProgressBar(label: "recommend", total: nil)
    let clock = RunClock()
    let outcome = RecommendSearch.run(s, space: space, threads: threads)
    progress.finish()
    let timing = clock.stop()

    let gnuplot: Gnuplot? = Gnuplot.available() ? .live : nil
    let batch = Gnuplot.drawIfAvailable(RecommendReport.charts(outcome), gnuplot: gnuplot)
    var diagnostics = Diagnostics()
    diagnostics.report(batch.diagnostics)
    let files = RecommendReport.files(outcome, scenarioPath: scenario, chartFiles: batch.charts.map(\.fileName))
    do {
      try ReportFolder.write(files, to: folder)
      try ChartFolder.write(batch, into: folder)
      // Ready-to-apply files of an earlier run that this one does not recommend must not be left to apply.
      let written = Set(files.map(\.name))
      for stale in ["lifecycle.json", "bucket-policy.json", "object-lock.json"] where !written.contains(stale) {
        try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(stale))
      }
    } catch {
      throw InputFailure("error: cannot write the recommendation to \(folder): \(ReportFolder.reason(error, folder: folder))")
    }
    var lines = RecommendReport.console(outcome)
    lines.append("  time     " + timing.sentence(threads: threads))
    for f in files { lines.append("  wrote    \((folder as NSString).appendingPathComponent(f.name))") }
    Console.out(lines.joined(separator: "\n"))
    if outcome.recommendation == nil { throw RequirementsNotMet() }
  }

  /// The scenario (with the space file's requirements, when it has some) and the space overrides.
  func load() throws -> (ScenarioLoader.Loaded, RecommendSpaceOverrides) {
    do {
      let (loaded, overrides) = try RecommendSpaceDecoder.loadScenario(scenario, space: space, allowOutsidePaths: input.allowOutsidePaths)
      Console.warnings(loaded.warnings)
      return (loaded, overrides)
    } catch {
      throw InputFailure(error.lines)
    }
  }
}
