import Foundation
import Testing

@testable import BackupSimModel

private func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> SimTime {
  SimTime(year: y, month: mo, day: d, hour: h, minute: mi)
}

private func dec(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) ?? .nan }

/// Time, money and the storage-class facts every stage builds on.
@Suite struct ModelTests {
  /// The waterfall: nothing goes back to a warmer class, and DEEP_ARCHIVE goes nowhere.
  @Test func waterfall() {
    #expect(StorageClass.standard.canTransition(to: .glacier))
    #expect(!StorageClass.glacier.canTransition(to: .standardIA))
    #expect(!StorageClass.intelligentTiering.canTransition(to: .standardIA))
    #expect(StorageClass.standardIA.canTransition(to: .oneZoneIA))
    #expect(!StorageClass.oneZoneIA.canTransition(to: .glacierIR))
    #expect(!StorageClass.deepArchive.canTransition(to: .glacier))
    #expect(StorageClass.allCases.allSatisfy { !$0.canTransition(to: .standard) && !$0.canTransition(to: $0) })
  }

  /// Per-class arrays are indexed by `index`, reports list classes in `allCases` order: the two agree.
  @Test func classIndexIsThePositionInAllCases() {
    #expect(StorageClass.allCases.map(\.index) == Array(0..<7))
    #expect(
      StorageClass.allCases.map(\.rawValue) == [
        "STANDARD", "INTELLIGENT_TIERING", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE",
      ])
  }

  /// The size facts the bill and lifecycle depend on (AWS S3 pricing and lifecycle pages).
  @Test func objectSizeFacts() {
    #expect(StorageClass.minimumBillableSize == 128 * 1024)
    #expect(StorageClass.allCases.filter(\.hasMinimumBillableSize) == [.standardIA, .oneZoneIA, .glacierIR])
    #expect(StorageClass.allCases.filter(\.isArchive) == [.glacier, .deepArchive])
    #expect(StorageClass.archiveOverheadInClass == 32 * 1024)
    #expect(StorageClass.archiveOverheadAtStandard == 8 * 1024)
    #expect(StorageClass.lifecycleMinimumTransitionSize == 128 * 1024)
  }

  @Test func storageBands() {
    let std = PriceTable.usEast1[.standard]
    #expect(std.storageCost(gbMonths: 52_900) == dec("1215"))
    #expect(std.storageCost(gbMonths: 51_200) == dec("1177.6"))
    // 500 TB = 512,000 GB: 51,200 × 0.023 + 460,800 × 0.022; the next 1,000 GB at 0.021.
    #expect(std.storageCost(gbMonths: 513_000) == dec("1177.6") + dec("10137.6") + dec("21"))
  }

  @Test func addingMonthsClampsToTheEndOfTheMonth() {
    #expect(utc(2027, 1, 31, 2, 30).addingMonths(1) == utc(2027, 2, 28, 2, 30))
    #expect(utc(2027, 12, 31).addingMonths(2) == utc(2028, 2, 29))
    #expect(utc(2027, 3, 31).addingMonths(-1) == utc(2027, 2, 28))
  }

  /// Day numbers and weekdays against Python's proleptic Gregorian `date` (2027-01-01 is a Friday).
  @Test func civilDatesRoundTrip() {
    #expect(CivilDate(year: 2027, month: 1, day: 1).daysSinceEpoch == 20_819)
    #expect(CivilDate(daysSinceEpoch: 20_819) == CivilDate(year: 2027, month: 1, day: 1))
    #expect(CivilDate(year: 2027, month: 1, day: 1).weekday == 5)
    #expect(CivilDate(daysSinceEpoch: -1) == CivilDate(year: 1969, month: 12, day: 31))
    #expect(CivilDate(year: 2400, month: 2, day: 29).daysSinceEpoch == 157_113)
    #expect(CivilDate(year: 2000, month: 2, day: 29).isValid)
    #expect(!CivilDate(year: 2100, month: 2, day: 29).isValid)
    #expect(SimTime(seconds: -1).date == CivilDate(year: 1969, month: 12, day: 31))
    #expect(utc(2027, 2, 28, 23, 59).startOfNextMonth == utc(2027, 3, 1))
  }

  /// Instants and dates in ISO 8601, four-digit years padded, five-digit ones as they are.
  @Test func iso8601Texts() {
    #expect(utc(2027, 3, 9, 7, 5).iso8601 == "2027-03-09T07:05:00Z")
    #expect((utc(2027, 12, 31) + 86_399).iso8601 == "2027-12-31T23:59:59Z")
    #expect(SimTime(seconds: -1).iso8601 == "1969-12-31T23:59:59Z")
    #expect(SimTime(year: 999, month: 1, day: 2).iso8601 == "0999-01-02T00:00:00Z")
    #expect(CivilDate(year: 7, month: 10, day: 31).iso8601 == "0007-10-31")
    #expect(CivilDate(year: 9999, month: 12, day: 31).iso8601 == "9999-12-31")
    #expect(CivilDate(year: 12345, month: 6, day: 7).iso8601 == "12345-06-07")
    #expect((SimTime(year: 10000, month: 1, day: 1) + 3_661).iso8601 == "10000-01-01T01:01:01Z")
    #expect(CivilDate(year: 2027, month: 1, day: 1).yearMonth == "2027-01")
  }

  /// Results come back in input order whatever order the threads finish in.
  @Test func parallelMapKeepsOrder() {
    let out = parallelMap(Array(0..<200), threads: 4) { i -> Int in
      if i % 7 == 0 { usleep(100) }
      return i * i
    }
    #expect(out == (0..<200).map { $0 * $0 })
    #expect(parallelMap(count: 0) { $0 }.isEmpty)
  }
}

/// Which keys a job's template can write: what `explain` uses to leave the other jobs out.
@Suite struct KeyTemplateMatchTests {
  static let dated = KeyTemplate(parts: [.literal("db/"), .date, .literal("/part-"), .index, .literal(".gz")])

  @Test func aKeyTheTemplateWritesMatches() {
    let t = SimTime(seconds: 86_400 * 400 + 7_200)
    for run in [1, 12] {
      for i in [0, 7, 123] {
        let key = Self.dated.pattern(at: t, run: run).replacingOccurrences(of: "{i}", with: String(i))
        #expect(Self.dated.mayProduce(key), "\(key)")
      }
    }
    #expect(KeyTemplate(parts: [.literal("wal/"), .datetime]).mayProduce("wal/2027-01-01T00:00:00Z"))
    #expect(KeyTemplate(parts: [.literal("db/backup.sql.gz")]).mayProduce("db/backup.sql.gz"))
    #expect(KeyTemplate(parts: [.run, .literal("-"), .index]).mayProduce("3-1-4"))
  }

  @Test func otherKeysDoNot() {
    #expect(!Self.dated.mayProduce("db//part-1.gz"))  // a placeholder writes at least one character
    #expect(!Self.dated.mayProduce("db/2027-01-01/part-1.tar"))
    #expect(!Self.dated.mayProduce("logs/2027-01-01/part-1.gz"))
    #expect(!Self.dated.mayProduce("db/2027-01-01/part-.gz"))
    #expect(!KeyTemplate(parts: [.literal("db/backup.sql.gz")]).mayProduce("db/backup.sql"))
    #expect(!KeyTemplate(parts: [.literal("x/"), .run, .literal("/"), .index]).mayProduce("x/monthly"))
  }
}
