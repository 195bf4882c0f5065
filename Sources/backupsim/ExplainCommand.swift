import ArgumentParser
import BackupSimEngine
import BackupSimReports
import BackupSimTerminal

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
      throw InputFailure("error: no job wrote the key '\(key)' between \(result.start.iso8601) and \(result.end.iso8601)")
    }
    Console.out(Explanation.render(key: key, result: result))
  }
}
