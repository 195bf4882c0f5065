import ArgumentParser
import BackupSimInput
import BackupSimReports
import BackupSimTerminal

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check scenarios without running them; errors name file:line:column.",
    discussion: """
      With --json, prints one JSON document instead of the lines: per file, ok
      or its errors, and its warnings, each with file, line, column and message.
      Exit status either way: 0 every file is valid, 2 one is not.
      """)

  @Argument(help: "Scenario files (YAML or JSON).")
  var scenarios: [String]

  @OptionGroup var input: InputOptions

  @Flag(name: .long, help: "Print one JSON document on stdout (nothing on stderr).")
  var json = false

  func run() throws {
    var failed = false
    var reports: [JSONValue] = []
    for path in scenarios {
      do {
        let loaded = try ScenarioLoader(allowOutsidePaths: input.allowOutsidePaths).load(path: path)
        let s = loaded.scenario
        if json {
          reports.append(
            .object([
              "file": .string(path), "ok": .bool(true), "uploadJobs": .int(s.uploads.count), "lifecycleRules": .int(s.bucket.lifecycle.rules.count),
              "errors": .array([]), "warnings": .array(loaded.warnings.map { Self.value($0, file: path) }),
            ]))
        } else {
          Console.warnings(loaded.warnings)
          Console.out("\(path): ok (\(s.uploads.count) upload job(s), \(s.bucket.lifecycle.rules.count) lifecycle rule(s))")
        }
      } catch {
        // Every file is checked; its errors are printed in turn.
        failed = true
        if json {
          reports.append(
            .object([
              "file": .string(path), "ok": .bool(false), "errors": .array(error.errors.map { Self.value($0, file: path) }), "warnings": .array([]),
            ]))
        } else {
          for e in error.errors { Console.error(e.description) }
        }
      }
    }
    if json { Console.out(JSONValue.object(["ok": .bool(!failed), "files": .array(reports)]).rendered()) }
    if failed { throw InputFailure.alreadyReported }
  }

  /// One error or warning: where (the file it is in may be a policy or lifecycle file the scenario
  /// names; line and column are null when unknown) and the message.
  static func value(_ e: ScenarioError, file: String) -> JSONValue {
    .object([
      "file": .string(e.location?.file ?? file), "line": e.location.map { .int($0.line) } ?? .null,
      "column": e.location.map { .int($0.column) } ?? .null, "message": .string(e.message),
    ])
  }
}
