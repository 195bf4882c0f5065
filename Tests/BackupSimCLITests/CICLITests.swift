import Foundation
import Testing

// `compare --json` with thresholds and `validate --json`: what a CI job scripts against.

@Suite struct CICLITests {
  /// Three months of nightly dumps kept `NoncurrentDays`, an overwrite attack, a 14-day requirement.
  static func scenario(days: Int = 30, size: String = "1 GiB") -> String {
    """
    name: nightly dumps
    start: 2027-01-01
    duration: 3 months
    bucket:
      name: ci-test
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: keep, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: \(days) } }
    uploads:
      - { name: db, key: db/dump, schedule: daily at 02:00, size: \(size) }
    principals:
      writer:
        policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::ci-test/*" }
    attack: { principal: writer, at: 2027-02-15T03:00, strategies: [overwrite] }
    requirements:
      restorePoints: { every: 1 day, for: 14 days }

    """
  }

  static func object(_ r: Backupsim.Output) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], "\(r)")
  }

  static func failures(_ json: [String: Any]) -> [[String: Any]] {
    ((json["checks"] as? [String: Any])?["failures"] as? [[String: Any]]) ?? []
  }

  @Test func costIncreaseAboveTheLimitIsStatus1AndNamedInTheJSON() throws {
    try withTempDir { tmp in
      let a = try tmp.write("a.yaml", Self.scenario())
      let b = try tmp.write("b.yaml", Self.scenario(size: "1.2 GiB"))
      let over = try Backupsim.run(["compare", a, b, "--json", "--max-cost-increase", "10%", "--out", tmp.file("c1").path])
      #expect(over.status == 1, "\(over)")
      let json = try Self.object(over)
      #expect(json["baseline"] as? String == "a")
      #expect((json["checks"] as? [String: Any])?["passed"] as? Bool == false)
      #expect((json["checks"] as? [String: Any])?["maxCostIncreasePercent"] as? Int == 10)
      let f = Self.failures(json)
      #expect(f.map { $0["check"] as? String } == ["costIncrease"] && f.first?["scenario"] as? String == "b", "\(f)")
      #expect(
        over.errLines == ["check failed: b costs 20.0% more per month than a at steady state ($0.91 vs $0.75 per month); the limit is 10%."],
        "\(over)")
      // The same bytes are in the folder.
      #expect(try Data(contentsOf: tmp.file("c1/compare.json")) == over.stdout)

      let under = try Backupsim.run(["compare", a, b, "--json", "--max-cost-increase", "25", "--out", tmp.file("c2").path])
      #expect(under.status == 0, "\(under)")
      #expect((try Self.object(under)["checks"] as? [String: Any])?["passed"] as? Bool == true)
      #expect(under.err.isEmpty, "\(under)")
    }
  }

  @Test func protectionLossIsStatus1OnlyWhenAskedFor() throws {
    try withTempDir { tmp in
      let a = try tmp.write("a.yaml", Self.scenario())
      let shorter = try tmp.write("shorter.yaml", Self.scenario(days: 20))
      // 20 days of history still meets the 14-day requirement, and costs less: no threshold, no failure.
      let plain = try Backupsim.run(["compare", a, shorter, "--json", "--out", tmp.file("c1").path])
      #expect(plain.status == 0, "\(plain)")
      #expect(try Self.object(plain)["checks"] == nil)

      let r = try Backupsim.run([
        "compare", a, shorter, "--json", "--fail-on-protection-loss", "--max-cost-increase", "0%", "--out", tmp.file("c2").path,
      ])
      #expect(r.status == 1, "\(r)")
      let f = Self.failures(try Self.object(r))
      #expect(f.map { $0["check"] as? String } == ["restorableAtEnd", "attackWindow"], "\(f)")
      #expect(
        r.errLines == [
          "check failed: shorter keeps 22 restorable restore points at the end, fewer than a's 32.",
          "check failed: In shorter the last good backup is gone 20.9 days after an attack, sooner than in a (30.9 days).",
        ], "\(r)")

      // 10 days of history fails the requirement that the baseline meets.
      let ten = try tmp.write("ten.yaml", Self.scenario(days: 10))
      let lost = try Backupsim.run(["compare", a, ten, "--json", "--fail-on-protection-loss", "--out", tmp.file("c3").path])
      #expect(lost.status == 1, "\(lost)")
      #expect(Self.failures(try Self.object(lost)).map { $0["check"] as? String } == ["restorableAtEnd", "attackWindow", "requirement"])
      #expect(lost.err.contains("check failed: ten fails restorePoints (NOT MET, first failed on 2027-01-"), "\(lost)")
    }
  }

  @Test(arguments: ["ten", "-5%", "10%%", "1.2.3"])
  func aMalformedPercentageIsStatus2(_ text: String) throws {
    let r = try Backupsim.run(["compare", "scenarios/classic.yaml", "scenarios/locked.yaml", "--max-cost-increase=\(text)"])
    #expect(r.status == 2, "\(r)")
    #expect(r.errLines.count == 1 && r.err.contains("--max-cost-increase: expected a percentage such as 10%"), "\(r)")
  }

  @Test func validateJSONListsEveryFileWithItsErrorsAndWarnings() throws {
    try withTempDir { tmp in
      let good = try tmp.write("good.yaml", Self.scenario())
      let warned = try tmp.write(
        "warned.yaml", Self.scenario().replacingOccurrences(of: "schedule: daily at 02:00", with: "schedule: monthly on 31 at 02:00"))
      let bad = try tmp.write("bad.yaml", Self.scenario().replacingOccurrences(of: "versioning: Enabled", with: "versioning: Enabeld"))
      let r = try Backupsim.run(["validate", good, warned, bad, "--json"])
      #expect(r.status == 2, "\(r)")
      #expect(r.err.isEmpty, "everything is in the JSON: \(r)")
      let json = try Self.object(r)
      #expect(json["ok"] as? Bool == false)
      let files = try #require(json["files"] as? [[String: Any]])
      #expect(files.map { $0["file"] as? String } == [good, warned, bad])
      #expect(files.map { $0["ok"] as? Bool } == [true, true, false])
      #expect(files[0]["uploadJobs"] as? Int == 1 && files[0]["lifecycleRules"] as? Int == 1)
      #expect((files[0]["warnings"] as? [Any])?.isEmpty == true && (files[0]["errors"] as? [Any])?.isEmpty == true)
      let warning = try #require((files[1]["warnings"] as? [[String: Any]])?.first)
      #expect(warning["file"] as? String == warned && warning["line"] as? Int == 11 && warning["column"] as? Int == 41, "\(warning)")
      #expect((warning["message"] as? String)?.hasPrefix("'monthly on 31 at 02:00' makes no backup in Feb, Apr, Jun, Sep, Nov") == true, "\(warning)")
      let error = try #require((files[2]["errors"] as? [[String: Any]])?.first)
      #expect(error["file"] as? String == bad && error["line"] as? Int == 6 && error["column"] as? Int == 15, "\(error)")
      #expect((error["message"] as? String)?.contains("Enabeld") == true, "\(error)")

      let allGood = try Backupsim.run(["validate", good, "--json"])
      #expect(allGood.status == 0, "\(allGood)")
      #expect(try Self.object(allGood)["ok"] as? Bool == true)
    }
  }
}
