import ArgumentParser
import BackupSimInput
import BackupSimTerminal

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check scenarios without running them; errors name file:line:column.")

  @Argument(help: "Scenario files (YAML or JSON).")
  var scenarios: [String]

  @OptionGroup var input: InputOptions

  func run() throws {
    var failed = false
    for path in scenarios {
      do {
        let s = try loadScenario(path, allowOutsidePaths: input.allowOutsidePaths).scenario
        Console.out("\(path): ok (\(s.uploads.count) upload job(s), \(s.bucket.lifecycle.rules.count) lifecycle rule(s))")
      } catch {
        // Every file is checked; its errors are printed in turn.
        for e in error.errors { Console.error(e.description) }
        failed = true
      }
    }
    if failed { throw InputFailure.alreadyReported }
  }
}
