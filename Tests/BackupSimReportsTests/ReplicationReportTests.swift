import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimModel
@testable import BackupSimReports

/// What the copy buys, in result.json, report.md and compare (docs/s3-rules.md §10).
@Suite struct ReplicationReportTests {
  /// The week of `ReplicationTests` (v1..v7 of 1 GiB at 02:00 Jan 1..7; the copy in eu-west-1 in
  /// STANDARD_IA with RTC; NoncurrentDays 1 at the source, 2 at the copy), attacked at Jan 4 12:00.
  static let yaml = """
    start: 2027-01-01
    duration: 7 days
    buckets:
      - name: src-backups
        versioning: Enabled
        lifecycle: { Rules: [ { ID: nc, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } } ] }
        replication:
          Role: arn:aws:iam::111122223333:role/replication
          Rules:
            - ID: copy
              Priority: 1
              Status: Enabled
              Filter: { Prefix: "db/" }
              DeleteMarkerReplication: { Status: Disabled }
              Destination:
                Bucket: arn:aws:s3:::dst-copy
                StorageClass: STANDARD_IA
                ReplicationTime: { Status: Enabled, Time: { Minutes: 15 } }
                Metrics: { Status: Enabled }
      - name: dst-copy
        region: eu-west-1
        account: "444455556666"
        versioning: Enabled
        lifecycle: { Rules: [ { ID: nc2, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 2 } } ] }
    uploads:
      - { name: db, key: db/backup.sql.gz, schedule: daily at 02:00, size: 1 GiB }
    principals:
      writer:
        policy: { Statement: [ { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::src-backups/*" } ] }
    attack: { principal: writer, at: 2027-01-04T12:00, strategies: [overwrite], detectedWithin: 1 day }
    """

  /// With the copy the last good backup (run 4) goes at Jan 7 00:00, 2.5 days after the attack;
  /// without it at Jan 6 00:00, 1.5 days after (ReplicationTests works both out).
  ///
  /// No month is whole, so the price is over the horizon: the baseline copy holds v1–v3 94 h each
  /// (gone Jan 5, 6, 7), v4 94 h (noncurrent Jan 5 02:00, due Jan 8 = the end), v5 70 h, v6 46 h, v7 22 h
  /// = 514 GiB-hours, and early deletion of v1–v3 at 626 h each = 1,878 GiB-hours, both at $0.0125 per
  /// GB-month of 744 h: 2,392 / 744 × 0.0125 = $0.04019; PUTs 7 × 130 × $0.01/1000 = $0.0091;
  /// transfer 7 GiB × $0.02 = $0.14; RTC 7 × $0.015 = $0.105. Together $0.2943 → "$0.29".
  @Test func gainSentenceAndFigures() throws {
    let e = evaluate(try loadScenario(Self.yaml))
    let g = try #require(e.replicationGain)
    #expect(g.lastGoodLostAtWith == SimTime(year: 2027, month: 1, day: 7))
    #expect(g.lastGoodLostAtWithout == SimTime(year: 2027, month: 1, day: 6))
    let extra = dec("2392") / 744 * dec("0.0125") + dec("0.0091") + dec("0.14") + dec("0.105")
    #expect(close((g.totalWith - g.totalWithout).amount, extra))
    #expect(
      Verdict.replicationGain(g)
        == "With the copy in dst-copy (account 444455556666, eu-west-1) the last good backup survives 2.5 days after the attack instead of 1.5 days, for $0.29 more over the horizon."
    )
    let json = ResultJSON.render(e)
    #expect(json.contains("\"replicationGain\""))
    #expect(json.contains("\"dataTransfer\": 0.14,"))
    let md = MarkdownReport.render(e)
    #expect(md.contains("## Buckets"))
    #expect(md.contains("| dst-copy | 444455556666 | eu-west-1 | copy of 7 versions (7.00 GiB), cross-region |"))
  }

  @Test func compareHasARowPerBucket() throws {
    let e = evaluate(try loadScenario(Self.yaml), findMitigation: false)
    let entry = CompareEntry(label: "copy", file: "copy.yaml", result: e.result, requirements: e.requirements, attack: e.attack)
    let rows = CompareReport.bucketRows([entry])
    #expect(rows.map(\.first) == ["Bucket src-backups", "Bucket dst-copy"])
    #expect(rows[1][1].hasPrefix("\(e.result.buckets[1].totalCost.formatted()) (eu-west-1, account 444455556666), 4 restorable"))
  }

  /// A writer allowed s3:* everywhere reaches a copy in its own account (111122223333, the default
  /// principal ARN's), but not one in another account whose bucket policy grants it nothing.
  @Test(arguments: [("111122223333", true), ("444455556666", false)])
  func copyWithinReachIsWarned(_ account: String, warned: Bool) throws {
    let yaml = Self.yaml.replacingOccurrences(of: "account: \"444455556666\"", with: "account: \"\(account)\"")
      .replacingOccurrences(of: "Action: s3:PutObject, Resource: \"arn:aws:s3:::src-backups/*\"", with: "Action: \"s3:*\", Resource: \"*\"")
    let e = evaluate(try loadScenario(yaml), findMitigation: false)
    let w = e.attack?.warnings.filter { $0.contains("copy bucket") } ?? []
    #expect(
      w
        == (warned
          ? [
            "the 'writer' credentials may also PutObject, DeleteObject, DeleteObjectVersion, PutLifecycleConfiguration, PutBucketVersioning, PutBucketPolicy on the copy bucket 'dst-copy'; the attack is played on the source bucket only, so the copy's protection is overstated"
          ] : []))
  }
}
