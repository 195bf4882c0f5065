import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation

@main
struct BackupSim: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backupsim",
    abstract: "Simulate an S3 backup strategy: what it costs, what it keeps, what an attacker could destroy.",
    subcommands: [
      RunCommand.self, CompareCommand.self, ValidateCommand.self, ExplainCommand.self, SweepCommand.self, MergeCommand.self,
      BenchCommand.self,
    ]
  )

  /// Exit status follows the contract: 0 ok, 1 a requirement failed, 2 bad input or usage.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      if let exit = error as? ExitCode {
        Foundation.exit(exit.rawValue)
      }
      // One line, compiler style; ArgumentParser's usage block would add two or three more.
      Console.error("error: " + message(for: error).trimmingCharacters(in: .whitespacesAndNewlines))
      Foundation.exit(code == .failure ? 1 : 2)
    }
  }
}

/// Everything the commands print goes through here: stdout for results, stderr for diagnostics.
enum Console {
  static func out(_ s: String) {
    FileHandle.standardOutput.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
  }

  static func error(_ s: String) {
    FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
  }

  static func warnings(_ ws: [ScenarioError]) {
    for w in ws { error("\(w.location.map { "\($0): " } ?? "")warning: \(w.message)") }
  }
}

/// Loads scenarios, printing every error and mapping bad input to exit status 2.
func loadScenario(_ path: String) throws -> ScenarioLoader.Loaded {
  do {
    let loaded = try ScenarioLoader().load(path: path)
    Console.warnings(loaded.warnings)
    return loaded
  } catch {
    for e in error.errors { Console.error(e.description) }
    throw ExitCode(2)
  }
}
