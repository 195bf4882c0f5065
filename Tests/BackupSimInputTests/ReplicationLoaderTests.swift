import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimInput
@testable import BackupSimModel

/// `buckets:` and `replication:` (docs/s3-rules.md §10): what loads, and what S3 would refuse, located.
@Suite struct ReplicationLoaderTests {
  /// Two buckets; `rules` is the source's Rules list, `destination` the second bucket's extra lines.
  static func scenario(sourceVersioning: String = "versioning: Enabled", rules: String, destination: String = "versioning: Enabled") -> String {
    """
    buckets:
      - name: src-backups
        \(sourceVersioning)
        replication:
          Role: arn:aws:iam::111122223333:role/r
          Rules:
    \(rules)
      - name: dst-copy
        region: eu-west-1
        \(destination)
    uploads:
      - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """
  }

  static let goodRule = """
          - ID: copy
            Priority: 1
            Status: Enabled
            Filter: { Prefix: "db/" }
            DeleteMarkerReplication: { Status: Disabled }
            Destination: { Bucket: "arn:aws:s3:::dst-copy", StorageClass: GLACIER_IR }
    """

  @Test func loadsTwoBuckets() throws {
    let s = try loadScenario(Self.scenario(rules: Self.goodRule))
    #expect(s.bucket.name == "src-backups" && s.otherBuckets.map(\.name) == ["dst-copy"])
    #expect(s.otherBuckets[0].region == "eu-west-1")
    let rule = try #require(s.bucket.replication?.rules.first)
    #expect(rule.destinationBucket == "dst-copy" && rule.storageClass == .glacierIR && rule.priority == 1 && rule.prefix == "db/")
    #expect(!rule.deleteMarkerReplication && !rule.replicationTime)
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let yaml: String
    let message: String
  }

  static let cases: [Case] = [
    Case(
      testDescription: "unknown destination bucket",
      yaml: scenario(
        rules: goodRule.replacingOccurrences(of: "Bucket: \"arn", with: "Bucket: 1️⃣\"arn").replacingOccurrences(of: "dst-copy\"", with: "dst-cpy\"")),
      message: "replication rule 'copy' names no bucket of the scenario: 'dst-cpy'; did you mean 'dst-copy'?"),
    Case(
      testDescription: "destination without versioning",
      yaml: scenario(rules: goodRule.replacingOccurrences(of: "Bucket: \"arn", with: "Bucket: 1️⃣\"arn"), destination: "account: \"444455556666\""),
      message: "S3 Replication needs versioning Enabled on the destination bucket 'dst-copy' for the whole run"),
    Case(
      testDescription: "source without versioning",
      yaml: scenario(sourceVersioning: "versioning: Suspended", rules: goodRule).replacingOccurrences(of: "Role:", with: "1️⃣Role:"),
      message: "S3 Replication needs versioning Enabled on the source bucket 'src-backups' for the whole run"),
    Case(
      testDescription: "same priority, overlapping filters",
      yaml: scenario(
        rules: goodRule + "\n"
          + goodRule.replacingOccurrences(of: "ID: copy", with: "ID: copy-x").replacingOccurrences(of: "Priority: 1", with: "Priority: 1️⃣1")
          .replacingOccurrences(of: "\"db/\"", with: "\"db/x\"")),
      message: "replication rules 'copy' and 'copy-x' have the same Priority 1 and overlapping filters; give them different priorities"),
    Case(
      testDescription: "RTC without metrics",
      yaml: scenario(
        rules: goodRule.replacingOccurrences(
          of: "StorageClass: GLACIER_IR }", with: "ReplicationTime: 1️⃣{ Status: Enabled, Time: { Minutes: 15 } } }")),
      message: "S3 needs Metrics Enabled beside ReplicationTime Enabled"),
    Case(
      testDescription: "delete marker replication with a tag filter",
      yaml: scenario(
        rules: goodRule.replacingOccurrences(of: "Filter: { Prefix: \"db/\" }", with: "Filter: { Tag: { Key: k, Value: v } }")
          .replacingOccurrences(of: "DeleteMarkerReplication: { Status: Disabled }", with: "DeleteMarkerReplication: 1️⃣{ Status: Enabled }")),
      message: "S3 refuses DeleteMarkerReplication Enabled on a rule that filters by tag"),
    Case(
      testDescription: "Filter without Priority",
      yaml: scenario(
        rules: goodRule.replacingOccurrences(of: "      - ID: copy", with: "      - 1️⃣ID: copy").replacingOccurrences(
          of: "        Priority: 1\n", with: "")),
      message: "replication rule 1 has a Filter, so S3 needs its 'Priority' too"),
    Case(
      testDescription: "RTC minutes other than 15",
      yaml: scenario(
        rules: goodRule.replacingOccurrences(
          of: "StorageClass: GLACIER_IR }",
          with: "ReplicationTime: { Status: Enabled, Time: { Minutes: 1️⃣30 } }, Metrics: { Status: Enabled } }")),
      message: "ReplicationTime Time 'Minutes' can only be 15 (got 30)"),
  ]

  @Test(arguments: cases)
  func refused(_ c: Case) {
    let (text, location) = unmark(c.yaml, file: "test.yaml")
    let errors = loadErrors(text)
    #expect(errors == ["\(location.map { "\($0)" } ?? "?"): error: \(c.message)"])
  }
}
