import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimModel

/// The built-in tables of the large regions, and what choosing one changes in a run.
struct RegionPricesTests {
  static let classicPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("scenarios/classic.yaml").path

  /// The classic scenario priced for eu-central-1 costs exactly the price differences more than in us-east-1.
  ///
  /// It stores only STANDARD (one 20 GiB version a night, about 31 versions kept: ~620 GB, well inside the
  /// first 50 TB band) and sends only PUTs, so two prices matter:
  /// - storage: us-east-1 0.023, eu-central-1 0.0245 $/GB-month: +0.0015 per GB-month;
  /// - PUT: us-east-1 0.005, eu-central-1 0.0054 $/1,000: +0.0004 per 1,000.
  /// Each upload is multipart: 20 GiB / 8 MiB = 2,560 parts, + create + complete = 2,562 requests;
  /// 365 nightly uploads in 2027 = 935,130 requests, so requests differ by 935,130 × 0.0004 / 1,000 = $0.374052.
  @Test func classicInFrankfurtCostsThePriceDifferenceMore() throws {
    let yaml = try String(contentsOfFile: Self.classicPath, encoding: .utf8)
    #expect(yaml.contains("pricing: us-east-1"))
    let us = try run(yaml)
    let eu = try run(yaml.replacingOccurrences(of: "pricing: us-east-1", with: "pricing: eu-central-1"))
    #expect(us.prices.region == "us-east-1" && eu.prices.region == "eu-central-1")
    #expect(eu.region == "eu-central-1")

    // Same bytes, same requests: only the prices differ.
    let gb = try #require(us.byStorageClass[.standard]?.gbMonths)
    #expect(eu.byStorageClass[.standard]?.gbMonths == gb)
    #expect(us.byStorageClass.keys.sorted() == [.standard])
    // About 31 versions of 20 GiB for most of the year: between 11 × 600 and 12 × 660 GB-months.
    #expect(gb > 6_600 && gb < 7_920)

    // Requests: $0.005 and $0.0054 per 1,000 for 935,130 requests.
    #expect(us.total(\.requests) == money("4.67565"))  // 935,130 × 0.005 / 1,000
    #expect(eu.total(\.requests) == money("5.049702"))  // 935,130 × 0.0054 / 1,000
    #expect(eu.total(\.requests) - us.total(\.requests) == money("0.374052"))

    // Storage: GB-months × 0.0015 more, month by month.
    for (u, e) in zip(us.months, eu.months) {
      let g = u.gbMonths[.standard] ?? 0
      #expect(close(e.storage.amount - u.storage.amount, g * dec("0.0015")))
      // Nights in the month × 2,562 requests × 0.0004 / 1,000.
      let nights = Decimal(CivilDate.daysIn(year: 2027, month: Int(u.month.suffix(2)) ?? 0))
      #expect(e.requests - u.requests == Money(nights * 2_562 * dec("0.0000004")))
    }
    #expect(close(eu.totalCost.amount - us.totalCost.amount, gb * dec("0.0015") + dec("0.374052")))
    #expect(eu.total(\.transitions) == .zero && eu.total(\.earlyDeletion) == .zero && eu.total(\.retrieval) == .zero)
  }

  /// The bucket's `region:` chooses the prices when `pricing:` is left out, and reaches the IAM request context.
  @Test func bucketRegionChoosesPrices() throws {
    let yaml = """
      duration: 1 month
      bucket: { region: ap-northeast-1, versioning: Enabled }
      uploads: [{ name: j, key: k, schedule: daily at 02:00, size: 1 GiB }]
      """
    let s = try loadScenario(yaml)
    #expect(s.prices.region == "ap-northeast-1" && s.prices.asOf == "2024-09-25")
    #expect(s.region == "ap-northeast-1")
    #expect(s.prices[.standard].putPerThousand == dec("0.0047"))
    let errors = loadErrors(yaml.replacingOccurrences(of: "ap-northeast-1", with: "Frankfurt"))
    #expect(errors == ["test.yaml:2:19: error: 'region' must be an AWS region name like eu-west-1 (got 'Frankfurt')"])
  }

  /// The bucket's region is what `aws:RequestedRegion` sees: a policy pinned to eu-central-1 lets the job write
  /// to a bucket there, and denies it for a bucket in us-east-1 (the region the prices alone would give).
  @Test(arguments: [("eu-central-1", true), ("us-east-1", false)])
  func bucketRegionReachesTheRequestContext(region: String, allowed: Bool) throws {
    let yaml = """
      duration: 1 month
      pricing: us-east-1
      bucket: { name: bkt1, region: \(region), versioning: Enabled }
      uploads: [{ name: j, key: k, schedule: daily at 02:00, size: 1 GiB }]
      principals:
        w:
          policy:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:PutObject
                Resource: arn:aws:s3:::bkt1/*
                Condition: { StringEquals: { aws:RequestedRegion: eu-central-1 } }
      """
    let s = try loadScenario(yaml)
    #expect(s.prices.region == "us-east-1" && s.region == region)
    #expect(s.deniedJobs().isEmpty == allowed)
  }

  /// Every large region is built in, dated, with its source.
  @Test(arguments: [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "ap-southeast-1",
    "ap-southeast-2", "ap-northeast-1",
  ])
  func largeRegionIsBuiltIn(_ region: String) throws {
    let t = try #require(PriceTable.builtIn[region])
    #expect(t.region == region)
    #expect(!t.asOf.isEmpty && !t.source.isEmpty)
    #expect(t.intelligentTiering != nil)
    #expect(Set(t.classes.keys) == Set(StorageClass.allCases))
  }

  /// The 2024-09-25 capture's us-east-1 rows are, item for item, the us-east-1 table read in 2026.
  @Test func feedCaptureAgreesWithTheUsEast1Table() {
    let feed = PriceTable.feedUsEast1
    #expect(feed.classes == PriceTable.usEast1.classes)
    #expect(feed.intelligentTiering == PriceTable.usEast1.intelligentTiering)
  }

  /// A few figures per region, against the capture's rows (per request there, per 1,000 here).
  @Test func regionalFiguresMatchTheCapture() throws {
    let fra = try #require(PriceTable.builtIn["eu-central-1"])
    #expect(fra[.standard].storage.map(\.pricePerGBMonth) == [dec("0.0245"), dec("0.0235"), dec("0.0225")])
    #expect(fra[.standardIA].basePrice == dec("0.0135") && fra[.oneZoneIA].basePrice == dec("0.0108"))
    #expect(fra[.glacier].retrieval[.expedited]?.perThousandRequests == dec("12"))  // 0.012 per request
    #expect(fra[.deepArchive].retrieval[.standard] == .init(perGB: dec("0.024"), perThousandRequests: dec("0.12"), hours: 12))
    let tokyo = try #require(PriceTable.builtIn["ap-northeast-1"])
    #expect(tokyo[.glacier].transitionPerThousand == dec("0.03426"))  // 0.00003426 per request
    #expect(tokyo.intelligentTiering?.deepArchiveAccess == dec("0.002"))
    let london = try #require(PriceTable.builtIn["eu-west-2"])
    #expect(london[.oneZoneIA].basePrice == dec("0.01048"))
    #expect(london[.deepArchive].retrieval[.bulk]?.perThousandRequests == dec("0.026"))
  }
}
