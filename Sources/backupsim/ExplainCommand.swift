import ArgumentParser
import BackupSimEngine
import BackupSimInput
import BackupSimReports
import BackupSimTerminal

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain", abstract: "Show the timeline of one key: each version's upload, noncurrent, transition, expiry and lock dates.")

  @Argument(help: "Scenario file.")
  var scenario: String

  @Option(name: .long, help: "The object key, e.g. db/2027-01-05/part-0.gz")
  var key: String

  @OptionGroup var input: InputOptions

  @Flag(name: .long, help: "Print every version (by default a long history shows its first and last few).")
  var all = false

  func run() throws {
    let loaded = try loadScenario(scenario, allowOutsidePaths: input.allowOutsidePaths)
    // Only the jobs that can write the key are simulated, when that gives it the same history.
    let history = simulateHistory(of: key, in: loaded.scenario)
    guard !history.trace.isEmpty else {
      let keys = loaded.scenario.keysWritten()
      throw InputFailure(Explanation.noSuchKey(key, history: history, nearest: NodeReader.nearest(to: key, in: keys), example: keys.first))
    }
    Console.out(Explanation.render(key: key, history: history, all: all))
  }
}
