import ArgumentParser
import BackupSimModel
import BackupSimTerminal

@main
struct BackupSim: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backupsim",
    abstract: "Simulate an S3 backup strategy: what it costs, what it keeps, what an attacker could destroy.",
    version: BackupSimVersion.line,
    subcommands: [
      RunCommand.self, CompareCommand.self, ValidateCommand.self, ExplainCommand.self, SweepCommand.self, MergeCommand.self,
      PricesCommand.self,
      RecommendCommand.self, ImportCommand.self,
    ]
  )

  /// Exit status follows the contract: 0 ok, 1 a requirement failed, 2 bad input or usage.
  static func main() { Exit.run(Self.self) }
}
