import Foundation
import Testing

// `backupsim recommend` as users script against it: files written, exit status, located errors.

@Suite struct RecommendCLITests {
  static let scenario = """
    name: Recommend test - nightly dump
    start: 2027-01-01
    duration: 6 months
    bucket:
      name: rec-cli
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: keep-30, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }
    uploads:
      - { name: db, key: "db/dump.gz", schedule: daily at 02:00, size: 1 GiB }
    requirements:
      restorePoints: { every: 1 day, for: 30 days }

    """

  /// 28 NoncurrentDays is the least that keeps 30 days of nightly versions (worked out in RecommendTests).
  static let space = """
    noncurrentDays: [14, 28, 60]
    newerNoncurrentVersions: [none]
    noncurrentTransitions: {}
    objectLock: { days: [0, 30] }
    uploadStorageClass: [STANDARD]

    """

  @Test func writesTheReadyToApplyFiles() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let sp = try tmp.write("space.yaml", Self.space)
      let r = try Backupsim.run(["recommend", s, "--space", sp, "--out", tmp.file("out").path, "--jobs", "2"])
      #expect(r.status == 0, "\(r)")
      #expect(r.out.contains("simulated "), "\(r)")
      #expect(r.out.contains(" of 6 candidates"), "3 NoncurrentDays × 2 locks: \(r)")
      #expect(tmp.contents("out").contains("lifecycle.json"))
      #expect(!tmp.contents("out").contains("object-lock.json"), "the cheapest needs no lock")
      let lc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tmp.file("out/lifecycle.json"))) as? [String: Any])
      let rule = try #require((lc["Rules"] as? [[String: Any]])?.first)
      #expect((rule["NoncurrentVersionExpiration"] as? [String: Any])?["NoncurrentDays"] as? Int == 28)
      #expect((rule["Filter"] as? [String: Any])?["Prefix"] as? String == "db/")
      #expect(rule["Status"] as? String == "Enabled")
      let md = try String(contentsOf: tmp.file("out/recommend.md"), encoding: .utf8)
      #expect(md.contains("put-bucket-lifecycle-configuration --bucket rec-cli --lifecycle-configuration file://lifecycle.json"), "\(md)")
    }
  }

  @Test func nothingMeetsExitsOneAndNamesTheClosest() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let sp = try tmp.write(
        "space.yaml",
        "noncurrentDays: [7, 14]\nnewerNoncurrentVersions: [none]\nnoncurrentTransitions: {}\nobjectLock: { days: [0] }\nuploadStorageClass: [STANDARD]\n"
      )
      let r = try Backupsim.run(["recommend", s, "--space", sp, "--out", tmp.file("out").path])
      #expect(r.status == 1, "\(r)")
      #expect(r.out.contains("Nothing in the search space meets every requirement."), "\(r)")
      #expect(r.out.contains("restorePoints: NOT MET, first failed on 2027-01-30"), "\(r)")
      #expect(!tmp.contents("out").contains("lifecycle.json"))
    }
  }

  @Test func badSpaceFileIsALocatedErrorAndWritesNothing() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let sp = try tmp.write("space.yaml", "noncurrentDays: [7, forever]\ntransitions: { STANDARD_IA: [7] }\nobjectLok: {}\n")
      let r = try Backupsim.run(["recommend", s, "--space", sp, "--out", tmp.file("out").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.out.isEmpty)
      #expect(
        r.errLines == [
          "\(sp):3:1: error: unknown key 'objectLok' in the space file; did you mean 'objectLock'?",
          "\(sp):1:21: error: 'noncurrentDays' values are whole numbers or never (got 'forever')",
          "\(sp):2:30: error: a transition to STANDARD_IA needs at least 30 days (got 7)",
        ], "\(r)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("out").path))
    }
  }

  @Test func aScenarioWithoutRequirementsIsRefused() throws {
    try withTempDir { tmp in
      let s = try tmp.write(
        "s.yaml", Self.scenario.replacingOccurrences(of: "requirements:\n  restorePoints: { every: 1 day, for: 30 days }\n", with: ""))
      let r = try Backupsim.run(["recommend", s, "--out", tmp.file("out").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.err.contains("error: the scenario states no requirements"), "\(r)")
    }
  }
}
