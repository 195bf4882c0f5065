import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain", abstract: "Show the timeline of one key: each version's upload, noncurrent, transition, expiry and lock dates.")

  @Argument(help: "Scenario file.")
  var scenario: String

  @Option(name: .long, help: "The object key, e.g. db/2027-01-05/part-0.gz")
  var key: String

  func run() throws {
    let loaded = try loadScenario(scenario)
    let result = simulate(loaded.scenario, options: SimulationOptions(watchKey: key))
    guard !result.trace.isEmpty else {
      Console.error("error: no job wrote the key '\(key)' between \(result.start.iso8601) and \(result.end.iso8601)")
      throw ExitCode(2)
    }
    Console.out(Explanation.render(key: key, result: result))
  }
}
