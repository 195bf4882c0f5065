import Foundation
import Testing

/// `backupsim prices import` as users run it: the file it writes, and nothing written on bad input.
struct PricesCLITests {
  static let fixtures = Backupsim.packageRoot.appendingPathComponent("Tests/BackupSimInputTests/Fixtures")

  @Test func importWritesAPricingFileARunReads() throws {
    try withTempDir { tmp in
      let s3 = Self.fixtures.appendingPathComponent("AmazonS3-us-east-1.json").path
      let da = Self.fixtures.appendingPathComponent("AmazonS3GlacierDeepArchive-us-east-1.json").path
      let r = try Backupsim.run(["prices", "import", s3, da, "--region", "us-east-1", "--out", tmp.file("p.yaml").path], in: tmp.url)
      #expect(r.status == 0, "\(r)")
      #expect(
        r.errLines == [
          "warning: not in the offer files, left to the built-in table: INTELLIGENT_TIERING Archive Access Expedited restore (the usage type that prices it is not documented)"
        ])
      let yaml = try String(contentsOf: tmp.file("p.yaml"), encoding: .utf8)
      #expect(yaml.contains("  GLACIER:\n    storage: 0.0036\n    put: 0.03\n"))
      // A scenario priced with it validates without a warning about prices.
      try """
      pricing: p.yaml
      duration: 1 month
      bucket: { versioning: Enabled }
      uploads: [{ name: j, key: k, schedule: daily at 02:00, size: 1 GiB }]
      """.write(to: tmp.file("s.yaml"), atomically: true, encoding: .utf8)
      let v = try Backupsim.run(["validate", "s.yaml"], in: tmp.url)
      #expect(v.status == 0 && v.err.isEmpty, "\(v)")
    }
  }

  @Test func anOfferOfAnotherRegionWritesNothing() throws {
    try withTempDir { tmp in
      let s3 = Self.fixtures.appendingPathComponent("AmazonS3-us-east-1.json").path
      let r = try Backupsim.run(["prices", "import", s3, "--region", "eu-central-1", "--out", tmp.file("p.yaml").path], in: tmp.url)
      #expect(r.status == 2)
      #expect(r.errLines == ["\(s3):8:25: error: this offer file prices us-east-1, not eu-central-1: its products are for another Region"])
      #expect(!FileManager.default.fileExists(atPath: tmp.file("p.yaml").path))
    }
  }
}
