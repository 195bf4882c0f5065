import BackupSimModel
import BackupSimTerminal
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
      // A command group (`prices import`) shows its subcommand's options.
      let path = words.count > 2 && words[2].allSatisfy(\.isLowercase) ? [sub, words[2]] : [sub]
      let help = try Backupsim.run(path + ["--help"])
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

@Suite struct EverydayUseCLITests {
  /// classic overwrites one key nightly: 365 versions, summarised unless --all.
  @Test func explainSummarisesALongHistoryAndAllPrintsEveryVersion() throws {
    let short = try Backupsim.run(["explain", "scenarios/classic.yaml", "--key", "db/backup.sql.gz"])
    #expect(short.status == 0, "\(short)")
    let lines = short.out.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[1] == "365 versions: 333 permanently removed, 32 still stored at the end.", "\(short.out)")
    #expect(short.out.contains("\n... 359 more versions left out (--all prints every one) ...\n"), "\(short.out)")
    #expect(short.out.contains("version #1\n") && short.out.contains("version #365\n") && !short.out.contains("version #4\n"))
    #expect(lines.count < 40, "\(lines.count) lines")

    let all = try Backupsim.run(["explain", "scenarios/classic.yaml", "--key", "db/backup.sql.gz", "--all"])
    #expect(all.status == 0, "\(all)")
    #expect(all.out.contains("version #4\n") && !all.out.contains("left out"))
    #expect(all.out.split(separator: "\n").count > 1_000)
  }

  @Test func explainOfANearMissKeySuggestsTheKeyAJobWrites() throws {
    let r = try Backupsim.run(["explain", "scenarios/classic.yaml", "--key", "db/backup.sql"])
    #expect(r.status == 2, "\(r)")
    #expect(
      r.errLines == [
        "error: no job wrote the key 'db/backup.sql' between 2027-01-01T00:00:00Z and 2028-01-01T00:00:00Z; did you mean 'db/backup.sql.gz'?"
      ], "\(r)")
    let far = try Backupsim.run(["explain", "scenarios/archive.yaml", "--key", "nothing/here"])
    #expect(far.err.contains("(the jobs write keys like 'full/2027-01-03/part-0.tar.zst')"), "\(far)")
  }

  /// One convention for the end of the horizon: its last day, "(end of day)", in the summary and both reports.
  @Test func theEndDateReadsTheSameInTheSummaryAndTheReports() throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.path])
      #expect(r.status == 0, "\(r)")
      let span = "2027-01-01 to 2027-12-31 (end of day)"
      #expect(r.out.hasPrefix("Classic - nightly dump, 30 + 30 day lifecycle: \(span)\n"), "\(r.out)")
      let md = try String(contentsOf: tmp.file("classic/report.md"), encoding: .utf8)
      let html = try String(contentsOf: tmp.file("classic/report.html"), encoding: .utf8)
      #expect(md.contains("Simulated \(span), 365 days"))
      #expect(html.contains("Simulated \(span), 365 days"))
      #expect(!r.out.contains("2028-01-01") && !md.contains("to 2028-01-01") && !html.contains("to 2028-01-01"))
    }
  }
}

/// What the progress bar shows (it draws only on a terminal, so its text is tested here).
@Suite struct ProgressTextTests {
  @Test func aBarWithATotalShowsTheCountAndThePercentage() {
    let line = ProgressBar.line(label: "sweep", done: 12, total: 40, elapsed: .seconds(67), width: 80)
    #expect(line == "sweep [############............................] 12/40 30% 1:07")
    #expect(ProgressBar.line(label: "run", done: 0, total: nil, elapsed: .seconds(5), width: 80) == "run 0:05")
  }

  @Test func aRunOfSeveralScenariosSaysWhichOneAndHowMuchIsDone() {
    #expect(ProgressBar.scenarioLabel("classic", index: 0, of: 1) == "simulating classic")
    #expect(ProgressBar.scenarioLabel("archive", index: 2, of: 4) == "simulating archive (3 of 4, 50% of the run done)")
  }
}
