import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation
import Testing

// `backupsim sweep`, `merge` and `backupsim-bench` as users and batch jobs script against them.

@Suite struct SweepCLITests {
  /// Three keys written nightly; old versions kept `NoncurrentDays`.
  ///
  /// With 14 days of daily restore points required, short retention fails; the attack section gives every row a window.
  static let scenario = """
    name: Sweep test - nightly dumps
    start: 2027-01-01
    duration: 4 months
    seed: 7
    bucket:
      name: sweep-test
      versioning: Enabled
      lifecycle:
        Rules:
          - ID: keep
            Status: Enabled
            Filter: { Prefix: "db/" }
            NoncurrentVersionExpiration: { NoncurrentDays: 30 }
    uploads:
      - name: db
        key: "db/dump-{i}"
        schedule: daily at 02:00
        objects: 3
        size: 1 GiB
    principals:
      writer:
        policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::sweep-test/*" }
    attack:
      principal: writer
      at: 2027-03-01T03:00
      strategies: [overwrite]
    requirements:
      restorePoints: { every: 1 day, for: 14 days }

    """

  static let days = "bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays"
  static let grid = [
    "--vary", "\(days)=5...25:10", "--vary", "uploads[0].size=1 GiB,2 GiB", "--vary", "bucket.objectLock.mode=GOVERNANCE", "--vary",
    "bucket.objectLock.days=1",
  ]

  func read(_ tmp: TempDir, _ name: String) throws -> String {
    try String(contentsOf: tmp.file(name), encoding: .utf8)
  }

  @Test func sweepWritesOneRowPerVariantInGridOrder() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let r = try Backupsim.run(["sweep", s, "--out", tmp.file("out").path, "--jobs", "2"] + Self.grid)
      #expect(r.status == 0, "\(r)")
      #expect(r.err.isEmpty, "no progress bar and no warnings when stderr is not a terminal: \(r)")
      #expect(r.out.contains(" s CPU on 2 threads ("), "\(r)")
      #expect(tmp.contents("out") == ["summary.md", "sweep.jsonl"])
      let lines = try read(tmp, "out/sweep.jsonl").split(separator: "\n").map(String.init)
      #expect(lines.count == 6)
      var params: [[String]] = []
      for (k, line) in lines.enumerated() {
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(row["variant"] as? Int == k)
        let p = try #require(row["parameters"] as? [String: String])
        params.append([p[Self.days] ?? "", p["uploads[0].size"] ?? "", p["bucket.objectLock.mode"] ?? ""])
        #expect(row.keys.contains("attackWindowDays"))
        #expect(row["totalCost"] is NSNumber && row["steadyMonthlyCost"] is NSNumber)
        #expect((row["requirements"] as? [[String: Any]])?.first?["name"] as? String == "restorePoints")
      }
      // The first --vary changes slowest.
      #expect(params.map { $0[0] } == ["5", "5", "15", "15", "25", "25"])
      #expect(params.map { $0[1] } == ["1 GiB", "2 GiB", "1 GiB", "2 GiB", "1 GiB", "2 GiB"])
      #expect(Set(params.map { $0[2] }) == ["GOVERNANCE"])
      let summary = try read(tmp, "out/summary.md")
      // 5 days of history cannot give 14 days of daily restore points; 15 can, and 1 GiB is cheaper.
      #expect(
        summary.contains(
          "Cheapest variant that meets every requirement: #2 (\(Self.days)=15, bucket.objectLock.days=1, bucket.objectLock.mode=GOVERNANCE, uploads[0].size=1 GiB) at $"
        ), "\(summary)")
      #expect(summary.contains("**failed:** restorePoints ("), "\(summary)")
      #expect(r.out.contains("Cheapest variant that meets every requirement: #2"), "\(r)")
    }
  }

  @Test func shardsMergeIntoTheUnshardedFilesByteForByte() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let whole = try Backupsim.run(["sweep", s, "--out", tmp.file("whole").path] + Self.grid)
      #expect(whole.status == 0, "\(whole)")
      for i in 1...4 {
        let r = try Backupsim.run(["sweep", s, "--shard", "\(i)/4", "--out", tmp.file("shards").path, "--jobs", "1"] + Self.grid)
        #expect(r.status == 0, "\(r)")
      }
      #expect(tmp.contents("shards") == (1...4).map { "sweep-shard-\($0)-of-4.jsonl" })
      let shard2 = try read(tmp, "shards/sweep-shard-2-of-4.jsonl").split(separator: "\n")
      #expect(shard2.count == 2, "variants 1 and 5")
      let m = try Backupsim.run(["merge", tmp.file("shards").path, "--out", tmp.file("merged").path])
      #expect(m.status == 0, "\(m)")
      #expect(try read(tmp, "merged/sweep.jsonl") == read(tmp, "whole/sweep.jsonl"))
      #expect(try read(tmp, "merged/summary.md") == read(tmp, "whole/summary.md"))
      #expect(m.out.contains("Merged 6 variants from 4 files"), "\(m)")
    }
  }

  @Test func mergeRefusesMissingDuplicateAndForeignRows() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      for i in 1...3 {
        let r = try Backupsim.run(["sweep", s, "--shard", "\(i)/3", "--out", tmp.file("shards").path] + Self.grid)
        #expect(r.status == 0, "\(r)")
      }
      let shard = { (i: Int) in tmp.file("shards/sweep-shard-\(i)-of-3.jsonl").path }

      let missing = try Backupsim.run(["merge", shard(1), shard(3), "--out", tmp.file("m1").path])
      #expect(missing.status == 2, "\(missing)")
      #expect(missing.err.contains("2 of 6 variants are missing (1, 4)"), "\(missing)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("m1").path))

      try FileManager.default.copyItem(atPath: shard(2), toPath: tmp.file("copy.jsonl").path)
      let twice = try Backupsim.run(["merge", tmp.file("shards").path, tmp.file("copy.jsonl").path, "--out", tmp.file("m2").path])
      #expect(twice.status == 2, "\(twice)")
      #expect(twice.err.contains("copy.jsonl:1: error: variant 1 is also at "), "\(twice)")

      // Same scenario, another grid: its rows carry another fingerprint.
      let other = try Backupsim.run(["sweep", s, "--vary", "\(Self.days)=5,15", "--out", tmp.file("other").path])
      #expect(other.status == 0, "\(other)")
      let foreign = try Backupsim.run(["merge", shard(1), tmp.file("other/sweep.jsonl").path, "--out", tmp.file("m3").path])
      #expect(foreign.status == 2, "\(foreign)")
      #expect(foreign.err.contains("this row is from another sweep"), "\(foreign)")

      let garbage = try tmp.write("bad.jsonl", "{\"variant\": 0}\nnot json\n")
      let bad = try Backupsim.run(["merge", garbage, "--out", tmp.file("m4").path])
      #expect(bad.status == 2, "\(bad)")
      #expect(
        bad.errLines == ["\(garbage):1: error: not a sweep row: no 'gridSize'", "\(garbage):2: error: not JSON: Invalid value around character 1."],
        "\(bad)")
    }
  }

  @Test(arguments: [
    (
      "bucket.lifecycle.Rules.Days=1",
      "--vary bucket.lifecycle.Rules.Days=1: 'bucket.lifecycle.Rules' is a list of 1 item, not a mapping: address an item, e.g. bucket.lifecycle.Rules[0].Days"
    ),
    ("uploads[3].size=1 GiB", "--vary uploads[3].size=1 GiB: index 3 is out of range for 'uploads': it has 1 item (indices 0...0)"),
    ("seed=9...1:1", "--vary seed=9...1:1: the range '9...1:1' runs backwards: 9 is greater than 1"),
    ("seed", "--vary seed: expected PATH=VALUE[,VALUE...], e.g. bucket.objectLock.days=7,14"),
  ])
  func badVaryIsOneLineAndStatus2(_ c: (String, String)) throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let r = try Backupsim.run(["sweep", s, "--vary", c.0, "--out", tmp.file("out").path])
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines == ["error: " + c.1], "\(r)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("out").path))
    }
  }

  @Test func aValueTheLoaderRejectsNamesTheArgument() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let r = try Backupsim.run([
        "sweep", s, "--vary", "bucket.objectLock.days=7,soon", "--vary", "bucket.objectLock.mode=COMPLIANCE", "--out", tmp.file("out").path,
      ])
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines.count == 1, "\(r)")
      #expect(r.err.hasPrefix("error: --vary bucket.objectLock.days=soon: "), "\(r)")
    }
  }

  @Test func noVariantMeetingTheRequirementsIsStatus1ButAShardIsNot() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let r = try Backupsim.run(["sweep", s, "--vary", "\(Self.days)=3,5", "--out", tmp.file("out").path])
      #expect(r.status == 1, "\(r)")
      #expect(try read(tmp, "out/summary.md").contains("No variant meets every requirement (restorePoints fails in 2 of 2 variants)."))
      let shard = try Backupsim.run(["sweep", s, "--vary", "\(Self.days)=3,5", "--shard", "1/2", "--out", tmp.file("out").path])
      #expect(shard.status == 0, "\(shard)")
      let merged = try Backupsim.run(["merge", tmp.file("out/sweep.jsonl").path, "--out", tmp.file("m").path])
      #expect(merged.status == 1, "\(merged)")
    }
  }

  @Test func benchChecksTheBaselineAgainstTheProduct() throws {
    try withTempDir { tmp in
      let s = try tmp.write("b.yaml", Self.scenario.replacingOccurrences(of: "objects: 3", with: "objects: 4"))
      let r = try Backupsim.runBench([s, "--baseline-scale", "0.5", "--json"], timeout: 120)
      #expect(r.status == 0, "\(r)")
      let rows = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
      #expect(rows.map { $0["kind"] as? String } == ["product", "copy", "baseline"])
      #expect(rows.map { $0["versions"] as? Int } == [4 * 120, 2 * 120, 2 * 120])
      #expect(rows.last?["sameResultAsProduct"] as? Bool == true)
      #expect(rows.allSatisfy { ($0["peakBytes"] as? Int ?? 0) > 0 })
    }
  }

  /// How well a sweep uses the cores is measured by the bench (timings need a quiet machine, which a
  /// test suite is not); here only that the bench runs the grid as one sweep per thread count.
  @Test func benchRunsTheGridAsOneSweepPerThreadCount() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", Self.scenario)
      let r = try Backupsim.runBench([s, "--baseline-scale", "0", "--vary", "\(Self.days)=5,15,25", "--sweep", "--json"], timeout: 120)
      #expect(r.status == 0, "\(r)")
      let rows = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
      let cores = ProcessInfo.processInfo.activeProcessorCount
      #expect(rows.map { $0["kind"] as? String } == ["product"] + Array(repeating: "sweep", count: cores > 1 ? 2 : 1))
      let sweeps = rows.filter { $0["kind"] as? String == "sweep" }
      #expect(sweeps.map { $0["threads"] as? Int } == (cores > 1 ? [1, cores] : [1]))
      #expect(sweeps.allSatisfy { $0["variants"] as? Int == 3 && ($0["coresBusy"] as? Double ?? 0) > 0 })
      // Three variants of the product run: three times its versions.
      #expect(sweeps.allSatisfy { $0["versions"] as? Int == 3 * (rows[0]["versions"] as? Int ?? 0) })
      let table = try Backupsim.runBench([s, "--baseline-scale", "0", "--vary", "\(Self.days)=5,15", "--sweep"], timeout: 120)
      #expect(table.status == 0, "\(table)")
      #expect(table.out.contains("| s | 2 | "), "\(table)")
      #expect(table.out.contains(" s CPU on 1 thread ("), "\(table)")
    }
  }
}
