import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation
import Testing

// The command line as users script against it:
// exit status 0 / 1 / 2, one compiler-style error line each on stderr, report folders
// written whole, result.json on stdout with --json, output independent of locale and time zone.

/// A short scenario (one month, one nightly key) so each run takes milliseconds.
private let shortScenario = """
  name: Short nightly dump
  start: 2027-01-01
  duration: 1 month
  bucket:
    versioning: Enabled
    lifecycle:
      Rules:
        - ID: expire-7-then-7
          Status: Enabled
          Filter: { Prefix: "db/" }
          Expiration: { Days: 7 }
          NoncurrentVersionExpiration: { NoncurrentDays: 7 }
  uploads:
    - name: db-dump
      key: db/backup.sql.gz
      schedule: daily at 02:00
      size: 1 GiB
  """

/// Two problems, on lines 5 and 9.
private let brokenScenario = """
  name: Broken
  start: 2027-01-01
  duration: 1 month
  bucket:
    versioning: Enabeld
  uploads:
    - name: db-dump
      key: db/backup.sql.gz
      schedule: daily at 25:00
      size: 1 GiB
  """

private func json(_ data: Data) throws -> [String: Any] {
  let object = try JSONSerialization.jsonObject(with: data)
  return try #require(object as? [String: Any])
}

/// The environment this process runs with, minus locale and time zone settings, plus `extra`.
private func environment(_ extra: [String: String]) -> [String: String] {
  var env = ProcessInfo.processInfo.environment.filter { key, _ in !key.hasPrefix("LC_") && key != "LANG" && key != "LANGUAGE" && key != "TZ" }
  env.merge(extra) { _, new in new }
  return env
}

@Suite struct CLITests {
  // MARK: run

  @Test func runWritesTheReportFolderAndASummary() throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.path])
      #expect(r.status == 0, "\(r)")
      #expect(tmp.contents() == ["classic"])
      // Written whole: no temporary or hidden files left beside the reports.
      let charts = Gnuplot.available() ? ["charts"] : []
      #expect(tmp.contents("classic") == charts + ["daily.csv", "report.html", "report.md", "result.json"])

      let result = try json(try Data(contentsOf: tmp.file("classic/result.json")))
      let cost = try #require(result["cost"] as? [String: Any])
      let total = try #require(cost["total"] as? NSNumber).doubleValue
      #expect(r.out.contains("total cost"), "\(r)")
      #expect(r.out.contains(String(format: "$%.2f", total)), "summary should name the total cost \(total):\n\(r)")
      #expect(r.out.split(separator: "\n").count <= 20, "the summary is short:\n\(r)")
      #expect(!r.err.contains("error:"), "\(r)")

      let csv = try String(contentsOf: tmp.file("classic/daily.csv"), encoding: .utf8)
      // A header and one row per simulated day of 2027.
      #expect(csv.split(separator: "\n").count == 1 + 365)
      #expect(!(try String(contentsOf: tmp.file("classic/report.md"), encoding: .utf8)).isEmpty)
    }
  }

  @Test func jsonFlagPrintsExactlyResultJSONAndTheSummaryToStderr() throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.path, "--json"])
      #expect(r.status == 0, "\(r)")
      let written = try Data(contentsOf: tmp.file("classic/result.json"))
      #expect(r.stdout == written, "stdout must be result.json byte for byte")
      let result = try json(r.stdout)
      #expect((result["schemaVersion"] as? NSNumber)?.intValue == 1)
      #expect(r.err.contains("total cost"), "\(r)")
    }
  }

  @Test func formatsJSONWritesOnlyResultJSON() throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.path, "--formats", "json"])
      #expect(r.status == 0, "\(r)")
      #expect(tmp.contents("classic") == ["result.json"])
    }
  }

  @Test func formatsCSVAndMarkdown() throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.path, "--formats", "csv,md"])
      #expect(r.status == 0, "\(r)")
      #expect(tmp.contents("classic") == (Gnuplot.available() ? ["charts"] : []) + ["daily.csv", "report.md"])
    }
  }

  @Test(arguments: ["html,foo", "foo", "json,pdf"])
  func unknownFormatIsAUsageError(_ formats: String) throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.path, "--formats", formats])
      #expect(r.status == 2, "\(r)")
      #expect(tmp.contents() == [], "nothing is written")
      #expect(r.out.isEmpty, "\(r)")
      // ArgumentParser would add its usage block; errors must be one line each.
      #expect(r.errLines.count == 1, "\(r)")
      #expect(r.errLines.first?.hasPrefix("error: ") == true, "\(r)")
    }
  }

  @Test func outputDoesNotDependOnLocaleOrTimeZone() throws {
    try withTempDir { tmp in
      let exotic = environment(["TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"])
      let plain = environment(["TZ": "UTC", "LC_ALL": "C"])
      let a = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.file("a").path], environment: exotic)
      let b = try Backupsim.run(["run", "scenarios/classic.yaml", "--out", tmp.file("b").path], environment: plain)
      #expect(a.status == 0, "\(a)")
      #expect(b.status == 0, "\(b)")
      for name in ["result.json", "daily.csv", "report.md"] {
        let x = try Data(contentsOf: tmp.file("a/classic/\(name)"))
        let y = try Data(contentsOf: tmp.file("b/classic/\(name)"))
        #expect(x == y, "\(name) differs between de_DE/Kiritimati and C/UTC")
      }
    }
  }

  @Test func badScenarioPrintsLocatedErrorsAndWritesNothing() throws {
    try withTempDir { tmp in
      let path = try tmp.write("in/broken.yaml", brokenScenario)
      let r = try Backupsim.run(["run", path, "--out", tmp.file("out").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.out.isEmpty, "\(r)")
      #expect(
        r.errLines == [
          "\(path):5:15: error: 'versioning' must be one of Enabled, Suspended, Disabled (got 'Enabeld'); did you mean 'Enabled'?",
          "\(path):9:15: error: hour 25 is out of range 0-23 in 'daily at 25:00'",
        ], "\(r)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("out").path) || tmp.contents("out") == [], "nothing is written")
    }
  }

  @Test func oneBadScenarioStopsTheWholeRun() throws {
    try withTempDir { tmp in
      let good = try tmp.write("good.yaml", shortScenario)
      let bad = try tmp.write("broken.yaml", brokenScenario)
      let r = try Backupsim.run(["run", good, bad, "--out", tmp.file("out").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines.count == 2, "\(r)")
      #expect(r.errLines.allSatisfy { $0.hasPrefix("\(bad):") && $0.contains(": error: ") }, "\(r)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("out/good").path), "nothing is written")
    }
  }

  @Test func missingScenarioFileIsBadInput() throws {
    try withTempDir { tmp in
      let path = tmp.file("nowhere.yaml").path
      let r = try Backupsim.run(["run", path, "--out", tmp.file("out").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines == ["\(path):1:1: error: cannot read scenario: no such file"], "\(r)")
    }
  }

  @Test func unmetRequirementExitsWithOne() throws {
    try withTempDir { tmp in
      // About $5 a month: 200 GiB kept for a week.
      let big = shortScenario.replacingOccurrences(of: "size: 1 GiB", with: "size: 200 GiB")
      let path = try tmp.write("budget.yaml", big + "\nrequirements: { maxMonthlyCost: 1 USD }\n")
      let r = try Backupsim.run(["run", path, "--out", tmp.path])
      #expect(r.status == 1, "\(r)")
      let result = try json(try Data(contentsOf: tmp.file("budget/result.json")))
      let requirements = try #require(result["requirements"] as? [[String: Any]])
      let cost = try #require(requirements.first { $0["name"] as? String == "maxMonthlyCost" }, "\(requirements)")
      #expect(cost["met"] as? Bool == false)
      let failedOn = try #require(cost["firstFailedOn"] as? String)
      #expect(failedOn.wholeMatch(of: /2027-01-\d\d/) != nil, "\(failedOn)")
      #expect(r.out.contains("NOT MET"), "\(r)")
    }
  }

  @Test func metRequirementExitsWithZero() throws {
    try withTempDir { tmp in
      let path = try tmp.write("budget.yaml", shortScenario + "\nrequirements: { maxMonthlyCost: 500 USD }\n")
      let r = try Backupsim.run(["run", path, "--out", tmp.path, "--formats", "json"])
      #expect(r.status == 0, "\(r)")
      let result = try json(try Data(contentsOf: tmp.file("budget/result.json")))
      let requirements = try #require(result["requirements"] as? [[String: Any]])
      #expect(requirements.count == 1)
      #expect(requirements.first?["met"] as? Bool == true)
      #expect(requirements.first?["firstFailedOn"] is NSNull)
    }
  }

  // MARK: usage

  @Test(arguments: [
    ["frobnicate"],
    ["run"],
    ["run", "scenarios/classic.yaml", "--bogus"],
    ["explain", "scenarios/classic.yaml"],
    ["validate"],
  ])
  func usageErrorsExitWithTwo(_ args: [String]) throws {
    try withTempDir { tmp in
      let r = try Backupsim.run(args, in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(r.out.isEmpty, "\(r)")
      #expect(!r.err.isEmpty, "\(r)")
      // ArgumentParser would add its usage block; errors must be one line each.
      #expect(r.errLines.count == 1, "\(r)")
      #expect(tmp.contents() == [], "nothing is written")
    }
  }

  @Test func helpExitsWithZero() throws {
    let r = try Backupsim.run(["--help"])
    #expect(r.status == 0, "\(r)")
    #expect(r.out.contains("run"), "\(r)")
  }

  // MARK: validate

  @Test(arguments: Backupsim.exampleScenarios())
  func everyExampleScenarioValidates(_ path: String) throws {
    let r = try Backupsim.run(["validate", path])
    #expect(r.status == 0, "\(r)")
    #expect(r.out.hasPrefix("\(path): ok"), "\(r)")
  }

  @Test func thereAreExampleScenarios() {
    #expect(Backupsim.exampleScenarios().contains("scenarios/classic.yaml"))
  }

  @Test func validateReportsEveryBadFileAndExitsWithTwo() throws {
    try withTempDir { tmp in
      let good = try tmp.write("good.yaml", shortScenario)
      let bad = try tmp.write("broken.yaml", brokenScenario)
      let r = try Backupsim.run(["validate", good, bad])
      #expect(r.status == 2, "\(r)")
      #expect(r.out.hasPrefix("\(good): ok"), "\(r)")
      #expect(r.errLines.count == 2 && r.errLines.allSatisfy { $0.hasPrefix("\(bad):") }, "\(r)")
    }
  }

  // MARK: explain

  @Test func explainShowsTheTimelineOfAKey() throws {
    let r = try Backupsim.run(["explain", "scenarios/classic.yaml", "--key", "db/backup.sql.gz"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("noncurrent"))
    #expect(r.out.contains("permanently removed"))
    #expect(!r.err.contains("error:"), "\(r.err)")
  }

  @Test func explainOfAKeyNobodyWritesIsBadInput() throws {
    let r = try Backupsim.run(["explain", "scenarios/classic.yaml", "--key", "nobody/writes/this"])
    #expect(r.status == 2, "\(r)")
    #expect(r.out.isEmpty, "\(r)")
    #expect(r.errLines.count == 1, "\(r)")
    #expect(r.errLines.first?.hasPrefix("error: ") == true, "\(r)")
    #expect(r.err.contains("nobody/writes/this"), "\(r)")
  }
}
