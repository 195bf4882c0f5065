import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Costs worked out by hand from the published prices (docs/s3-rules.md §3.1, PriceTable.usEast1).
@Suite struct CostTests {
  /// S3 FAQ: 4 GiB on day 1 of a 31-day month, 5 GiB written over it on day 16, both kept (versioned).
  ///
  /// (4 × 31 + 5 × 16) / 31 = 204 / 31 = 6.5806 GB-months.
  /// The ledger's byte-seconds, worked out by hand: 1 GiB from Jan 10 00:00, 2 GiB more from
  /// Jan 20 12:00, the first GiB gone on Feb 1 00:00 (the boundary itself), read mid-month and after.
  @Test func ledgerIntegratesTheRateOverEachMonth() {
    let gib = Int64(CostLedger.gib), day = Int128(SimTime.secondsPerDay)
    var l = CostLedger(start: t("2027-01-01T00:00:00Z"))
    l.advance(to: t("2027-01-10T00:00:00Z"))
    l.addBilled(.standard, gib)
    l.advance(to: t("2027-01-20T12:00:00Z"))
    // Read mid-month: 10.5 days of 1 GiB, nothing counted ahead.
    #expect(l.months.map { $0.byteSeconds[0] } == [Int128(gib) * day * 21 / 2])
    l.addBilled(.standardIA, 2 * gib)
    l.advance(to: t("2027-02-01T00:00:00Z"))
    l.addBilled(.standard, -gib)  // on the boundary: January keeps its full 22 days
    l.advance(to: t("2027-02-15T06:00:00Z"))
    let m = l.months
    #expect(m.count == 2)
    #expect(m[0].byteSeconds[0] == Int128(gib) * day * 22)
    #expect(m[0].byteSeconds[2] == Int128(2 * gib) * (day * 11 + day / 2))
    #expect(m[1].byteSeconds[0] == 0)
    #expect(m[1].byteSeconds[2] == Int128(2 * gib) * (day * 14 + day / 4))
  }

  @Test func faqVersionedKey() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 31 days
      bucket: { versioning: Enabled }
      uploads:
        - { name: first, key: doc, schedule: "monthly on 1 at 00:00", size: 4 GiB }
        - { name: second, key: doc, schedule: "monthly on 16 at 00:00", size: 5 GiB }
      """)
    let jan = try #require(r.month("2027-01"))
    let gbm = try #require(jan.gbMonths[.standard])
    #expect(close(gbm, Decimal(204) / Decimal(31)))
    #expect(Money.round(gbm, places: 3) == dec("6.581"))
    // Storage: 204/31 × $0.023. Requests: 4 GiB = 512 parts of 8 MiB + 2; 5 GiB = 640 + 2 → 1,156 × $0.005/1,000.
    #expect(close(jan.storage.amount, Decimal(204) / Decimal(31) * dec("0.023")))
    #expect(jan.requests == money("0.00578"))
    #expect(r.noncurrentVersions == 1 && r.currentVersions == 1)
  }

  /// S3 FAQ (docs/s3-rules.md §9 #20): 100 GB for 15 days then 100 TB for 16 days of March = 52,900 GB-months,
  /// billed 51,200 × $0.023 + 1,700 × $0.022 = $1,215.00 over the STANDARD tiers.
  @Test func faqMarchTiers() throws {
    let r = try run(
      """
      start: 2027-03-01
      duration: 1 month
      bucket: { versioning: Disabled }
      uploads:
        - { name: small, key: "data/{i}", objects: 100, schedule: "monthly on 1 at 00:00", size: 1 GiB }
        - { name: large, key: "data/{i}", objects: 100, schedule: "monthly on 16 at 00:00", size: 1 TiB }
      """)
    let mar = try #require(r.month("2027-03"))
    #expect(mar.gbMonths[.standard] == 52_900)
    #expect(mar.storage == money("1215"))
    // 1 GiB = 128 parts + 2; 1 TiB needs 128 MiB parts (8,192 of them) + 2: (130 + 8,194) × 100 × $0.005/1,000.
    #expect(mar.requests == money("4.162"))
    #expect(r.months.count == 1)
  }

  /// Pricing Calculator: 100 GB of 10 KB objects in DEEP_ARCHIVE = 10,485,760 objects:
  /// 100 GB × $0.00099 + 320 GB overhead × $0.00099 + 80 GB × $0.023 = $2.2558 a month.
  ///
  /// Also the ten-million-object run: one group, nothing per object.
  @Test func deepArchiveSmallObjects() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 1 month
      bucket: { versioning: Enabled }
      uploads:
        - { name: files, key: "f/{i}", objects: 10485760, schedule: "cron 0 0 1 1 *", size: 10 KB, storageClass: DEEP_ARCHIVE }
      """)
    let jan = try #require(r.month("2027-01"))
    #expect(jan.storage == money("2.2558"))
    #expect(jan.gbMonths[.deepArchive] == 420)
    #expect(jan.gbMonths[.standard] == 80)
    #expect(jan.requests == money("524.288"))
    #expect(r.groupsAtEnd == 1)
    #expect(r.endObjectsByClass[.deepArchive] == 10_485_760)
  }

  /// Crossing February: 10 GiB uploaded 2027-01-16 00:00, unversioned, Expiration Days=40.
  ///
  /// Due: the first midnight strictly after 2027-02-25 00:00 = 2027-02-26 00:00.
  /// January holds 16 of 31 days, February 25 of 28 days: 0.023 × (160/31 + 250/28).
  @Test func storageAcrossFebruary() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 3 months
      bucket:
        versioning: Disabled
        lifecycle:
          Rules: [{ ID: forty, Status: Enabled, Filter: {}, Expiration: { Days: 40 } }]
      uploads:
        - { name: once, key: big, schedule: "cron 0 0 16 1 *", size: 10 GiB }
      """)
    let jan = try #require(r.month("2027-01")), feb = try #require(r.month("2027-02")), mar = try #require(r.month("2027-03"))
    #expect(close(try #require(jan.gbMonths[.standard]), Decimal(160) / Decimal(31)))
    #expect(close(try #require(feb.gbMonths[.standard]), Decimal(250) / Decimal(28)))
    #expect(mar.gbMonths[.standard] == nil)
    #expect(close(r.total(\.storage).amount, dec("0.023") * (Decimal(160) / Decimal(31) + Decimal(250) / Decimal(28)), within: dec("0.0000000001")))
    #expect(r.restorePoints[0].lostAt == t("2027-02-26T00:00:00Z"))
    #expect(r.endObjectsByClass.isEmpty)
  }

  /// Early deletion: 1 GiB put straight into STANDARD_IA on 2027-01-01 00:00, expired after 10 days
  /// (due 2027-01-12 00:00, 11 days stored).
  ///
  /// The 19 days short of the 30-day minimum are charged in January:
  /// 1 GiB × 19/31 × $0.0125; storage 1 GiB × 11/31 × $0.0125; 130 PUT-class requests
  /// (multipart: 128 parts + 2) at $0.01/1,000.
  @Test func earlyDeletionInIA() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 2 months
      bucket:
        versioning: Disabled
        lifecycle:
          Rules: [{ ID: ten, Status: Enabled, Filter: {}, Expiration: { Days: 10 } }]
      uploads:
        - { name: once, key: ia, schedule: "cron 0 0 1 1 *", size: 1 GiB, storageClass: STANDARD_IA }
      """)
    let jan = try #require(r.month("2027-01"))
    #expect(close(jan.earlyDeletion.amount, Decimal(19) / Decimal(31) * dec("0.0125")))
    #expect(close(jan.storage.amount, Decimal(11) / Decimal(31) * dec("0.0125")))
    #expect(jan.requests == money("0.0013"))
    #expect(r.month("2027-02")?.total == .zero)
  }

  /// Many small objects: 100,000 × 10 KiB into STANDARD, moved to STANDARD_IA at day 30
  /// (due 2027-02-01 00:00; the size filter overrides the 128 KB default).
  ///
  /// January STANDARD: 1,000,000 KiB = 0.95367431640625 GiB × $0.023. February STANDARD_IA at
  /// 128 KiB each: 12,800,000 KiB = 12.20703125 GiB × $0.0125. Transitions 100,000 × $0.01/1,000 = $1;
  /// PUTs $0.50. The minimum size and the fees are 98% of the bill.
  @Test func smallObjectsMinimumSizeAndTransitionFees() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 2 months
      bucket:
        versioning: Enabled
        lifecycle:
          Rules: [{ ID: to-ia, Status: Enabled, Filter: { ObjectSizeGreaterThan: 0 }, Transitions: [{ Days: 30, StorageClass: STANDARD_IA }] }]
      uploads:
        - { name: tiny, key: "t/{i}", objects: 100000, schedule: "cron 0 0 1 1 *", size: 10 KiB }
      """)
    let jan = try #require(r.month("2027-01")), feb = try #require(r.month("2027-02"))
    #expect(jan.storage == money("0.02193450927734375"))
    #expect(feb.storageByClass[.standardIA] == money("0.152587890625"))
    #expect(feb.gbMonths[.standard] == nil)
    #expect(feb.transitions == money("1"))
    #expect(jan.requests == money("0.5"))
    #expect(r.totalCost == money("1.67452239990234375"))
  }

  /// The same objects without a size filter stay in STANDARD: the 128 KB default blocks the transition.
  @Test func smallObjectsStayWithoutSizeFilter() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 2 months
      bucket:
        versioning: Enabled
        lifecycle:
          Rules: [{ ID: to-ia, Status: Enabled, Filter: {}, Transitions: [{ Days: 30, StorageClass: STANDARD_IA }] }]
      uploads:
        - { name: tiny, key: "t/{i}", objects: 100000, schedule: "cron 0 0 1 1 *", size: 10 KiB }
      """)
    #expect(r.month("2027-02")?.storage == money("0.02193450927734375"))
    #expect(r.total(\.transitions) == .zero)
  }

  /// GLACIER overhead: 1,000 × 1 MiB for all of January.
  ///
  /// GLACIER bills 1,000 × (1 MiB + 32 KiB)
  /// = 1,056,000 KiB; STANDARD bills 1,000 × 8 KiB = 8,000 KiB (1 GiB = 1,048,576 KiB).
  @Test func glacierPerObjectOverhead() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 1 month
      bucket: { versioning: Enabled }
      uploads:
        - { name: arch, key: "a/{i}", objects: 1000, schedule: "cron 0 0 1 1 *", size: 1 MiB, storageClass: GLACIER }
      """)
    let jan = try #require(r.month("2027-01"))
    #expect(jan.gbMonths[.glacier] == Decimal(1_056_000) / Decimal(1_048_576))
    #expect(jan.gbMonths[.standard] == Decimal(8_000) / Decimal(1_048_576))
    #expect(close(jan.storage.amount, Decimal(1_056_000) / Decimal(1_048_576) * dec("0.0036") + Decimal(8_000) / Decimal(1_048_576) * dec("0.023")))
    #expect(jan.requests == money("0.03"))
    // Stored bytes are logical sizes; the overhead is billed, not stored.
    #expect(r.endBytesByClass[.glacier] == Int64(1_048_576_000))
    #expect(r.endBytesByClass[.standard] == nil)
  }

  /// Transition out of GLACIER_IR before 90 days: early deletion at the GLACIER_IR price for the rest.
  ///
  /// 1 GiB into GLACIER_IR on 2027-01-01 00:00, to GLACIER at day 30 (due 2027-02-01 00:00, 31 days in GIR):
  /// 59 days short, charged in February: 1 GiB × 59/28 × $0.004.
  @Test func earlyTransitionOutOfGlacierIR() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 2 months
      bucket:
        versioning: Enabled
        lifecycle:
          Rules: [{ ID: cold, Status: Enabled, Filter: {}, Transitions: [{ Days: 30, StorageClass: GLACIER }] }]
      uploads:
        - { name: once, key: g, schedule: "cron 0 0 1 1 *", size: 1 GiB, storageClass: GLACIER_IR }
      """)
    let feb = try #require(r.month("2027-02"))
    #expect(close(feb.earlyDeletion.amount, Decimal(59) / Decimal(28) * dec("0.004")))
    #expect(feb.transitions == money("0.00003"))
    #expect(r.month("2027-01")?.storageByClass[.glacierIR] == money("0.004"))
  }

  static let multipartCases: [(size: Int64, requests: Int64)] = [
    (1, 1), (8_388_607, 1), (8_388_608, 3), (5_368_709_120, 642),
    (83_886_080_000, 10_002), (83_886_080_001, 5_003),
  ]

  /// AWS CLI multipart: below 8 MiB one PUT; else create + parts + complete, parts doubled past 10,000.
  @Test(arguments: multipartCases)
  func multipartRequestCount(size: Int64, requests: Int64) {
    #expect(Simulation.putRequests(size: size) == requests)
  }

}
