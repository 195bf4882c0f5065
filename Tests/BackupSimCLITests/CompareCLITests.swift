import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation
import Testing

// `backupsim compare` and the chart fallback, as users script against them.

@Suite struct CompareCLITests {
  @Test func compareWritesOneSideBySideReport() throws {
    try withTempDir { tmp in
      let out = tmp.file("cmp").path
      let r = try Backupsim.run(["compare", "scenarios/classic.yaml", "scenarios/unversioned.yaml", "--out", out])
      #expect(r.status == 0, "\(r)")
      #expect(tmp.contents("cmp") == (Gnuplot.available() ? ["charts"] : []) + ["compare.html", "compare.json", "compare.md"])
      if Gnuplot.available() {
        #expect(tmp.contents("cmp/charts") == ["compare-cumulative-cost.svg", "compare-history.svg"])
      }
      #expect(r.out.contains("unversioned costs $"), "\(r)")
      #expect(r.out.contains("per month than classic"), "\(r)")
      let object = try JSONSerialization.jsonObject(with: Data(contentsOf: tmp.file("cmp/compare.json")))
      let json = try #require(object as? [String: Any])
      #expect((json["scenarios"] as? [[String: Any]])?.compactMap { $0["label"] as? String } == ["classic", "unversioned"])
      let html = try String(contentsOf: tmp.file("cmp/compare.html"), encoding: .utf8)
      #expect(!html.lowercased().contains("<script"))
    }
  }

  @Test func compareBadInputIsStatus2WithEveryError() throws {
    try withTempDir { tmp in
      let a = try tmp.write("a.yaml", "name: A\nduration: 1 month\nuploads: []\nbucket: { versioning: Enabeld }\n")
      let b = try tmp.write(
        "b.yaml",
        "name: B\nduration: 1 month\nbucket: { versioning: Enabled }\nuploads:\n  - name: x\n    key: k\n    schedule: daily at 25:00\n    size: 1 GiB\n"
      )
      let r = try Backupsim.run(["compare", a, b, "--out", tmp.file("cmp").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines.contains { $0.hasPrefix("\(a):") }, "\(r)")
      #expect(r.errLines.contains { $0.hasPrefix("\(b):") }, "\(r)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("cmp").path))
    }
  }

  @Test func compareNeedsTwoScenarios() throws {
    let r = try Backupsim.run(["compare", "scenarios/classic.yaml"])
    #expect(r.status == 2, "\(r)")
    #expect(r.errLines.count == 1, "\(r)")
  }

  @Test func compareUnmetRequirementIsStatus1() throws {
    try withTempDir { tmp in
      let capped = try String(contentsOfFile: Backupsim.packageRoot.appendingPathComponent("scenarios/classic.yaml").path, encoding: .utf8)
        .replacingOccurrences(of: "\nrequirements:\n", with: "\nrequirements:\n  maxMonthlyCost: 1 USD\n")
      let b = try tmp.write("capped.yaml", capped)
      let r = try Backupsim.run(["compare", "scenarios/classic.yaml", b, "--out", tmp.file("cmp").path])
      #expect(r.status == 1, "\(r)")
      #expect(r.out.contains("capped fails maxMonthlyCost (first on 2027-01-"), "\(r)")
      #expect(tmp.contents("cmp").contains("compare.html"))
    }
  }

  @Test func withoutGnuplotTablesOnlyAndOneHint() throws {
    try withTempDir { tmp in
      var env = ProcessInfo.processInfo.environment
      env["PATH"] = tmp.file("empty-path").path
      let r = try Backupsim.run(["run", "scenarios/classic.yaml", "scenarios/archive.yaml", "--out", tmp.path], environment: env)
      #expect(r.status == 0, "\(r)")
      #expect(r.errLines == [Gnuplot.installHint], "\(r)")
      #expect(tmp.contents("classic") == ["daily.csv", "report.html", "report.md", "result.json"])
      let html = try String(contentsOf: tmp.file("classic/report.html"), encoding: .utf8)
      #expect(!html.contains("<svg"))
      #expect(html.contains("<h2>Cost by month</h2>"))
    }
  }
}
