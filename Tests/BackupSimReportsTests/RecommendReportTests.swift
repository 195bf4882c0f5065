import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTestSupport
import Foundation
import Testing

/// The ready-to-apply documents, byte for byte as the AWS CLI takes them.
@Suite struct RecommendReportTests {
  static let scenario = """
    start: 2027-01-01
    duration: 2 months
    bucket: { name: rec-b1, versioning: Enabled }
    uploads:
      - { name: db, key: "db/{date}.gz", schedule: daily at 02:00, size: 1 GiB, principal: writer }
    principals:
      writer:
        policy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::rec-b1/*" }] }
    attack: { principal: writer, at: 2027-01-20T03:00 }
    """

  @Test func objectLockAndBucketPolicyDocuments() throws {
    let s = try loadScenario(Self.scenario)
    let space = RecommendSpace.make(for: s)
    // Every axis at its top: the longest lock, both policy statements.
    let f = try #require(space.families.firstIndex { $0.noncurrentTransitions.isEmpty && $0.uploadClass == .standard })
    let ax = space.familyAxes[f]
    let top = RecommendCandidate(family: f, index: ax.sizes.map { $0 - 1 })
    let settings = space.settings(top)
    #expect(
      RecommendReport.objectLockJSON(settings)?.rendered() == """
        {
          "ObjectLockEnabled": "Enabled",
          "Rule": {
            "DefaultRetention": {
              "Days": 365,
              "Mode": "COMPLIANCE"
            }
          }
        }

        """)
    let policy = try #require(RecommendReport.bucketPolicyJSON(settings, scenario: s))
    #expect(policy.complete)
    let text = policy.document.rendered()
    // The Deny names the writer, never everyone: the owner keeps control of its bucket.
    #expect(text.contains("\"Principal\": {\n        \"AWS\": \"arn:aws:iam::111122223333:user/writer\"\n      },"), "\(text)")
    #expect(text.contains("\"Sid\": \"DenyDestructiveToBackupWriters\""))
    #expect(text.contains("\"s3:if-none-match\": \"true\""))
    // It parses back through the project's own policy reader with no error.
    var reader = NodeReader()
    let node = try ConfigNode.parseYAML(text, file: "bucket-policy.json")
    #expect(PolicyDocument.decode(node, kind: .bucket, reader: &reader) != nil, "\(reader.errors.map(\.description))")
  }
}
