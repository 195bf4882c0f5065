import BackupSimModel
import Foundation
import Testing

// A first run as a new user makes it: the README's commands can be typed as they are, the
// binary says which release it is.

@Suite struct FirstRunCLITests {
  @Test func versionPrintsTheReleaseOnce() throws {
    let r = try Backupsim.run(["--version"])
    #expect(r.status == 0, "\(r)")
    #expect(r.out == "backupsim \(BackupSimVersion.number)\n", "\(r)")
    #expect(r.err.isEmpty, "\(r)")
  }

  /// Every row of the README's Commands table names a subcommand whose --help lists each option the row shows.
  @Test func theReadmeCommandsTableMatchesTheBinary() throws {
    let readme = try String(contentsOf: Backupsim.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let table = readme.components(separatedBy: "## Commands").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
    let rows = table.split(separator: "\n").filter { $0.hasPrefix("| `backupsim ") }
    #expect(rows.count >= 6, "the Commands table lists the subcommands:\n\(table)")
    for row in rows {
      let usage = row.split(separator: "`")[1]
      let words = usage.split(separator: " ").map(String.init)
      let sub = words[1]
      let help = try Backupsim.run([sub, "--help"])
      #expect(help.status == 0, "backupsim \(sub) --help: \(help)")
      for option in words.map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }) where option.hasPrefix("--") {
        #expect(help.out.contains(option), "README shows '\(option)' for 'backupsim \(sub)', its --help does not:\n\(help.out)")
      }
    }
  }

  /// The README says where the release binary is and how to put it on PATH.
  @Test func theReadmeSaysHowToBuildAndInstallTheReleaseBinary() throws {
    let readme = try String(contentsOf: Backupsim.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(readme.contains("swift build -c release"))
    #expect(readme.contains(".build/release/backupsim"))
  }
}
