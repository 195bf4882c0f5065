import BackupSimAnalysis
import BackupSimModel
import Foundation
import Testing

@testable import BackupSimReports

/// Analysis returns numbers; these are the sentences the reports make of them.
@Suite struct VerdictTests {
  @Test func requirementDetails() {
    let day: Int64 = 86_400
    #expect(
      Verdict.detail(
        .init(met: false, firstFailedOn: nil, measure: .restorePoints(everySeconds: day, forSeconds: 30 * day, longestGapSeconds: 36 * 3600)))
        == "a restorable backup at least every 1 day over the last 30 days, for every job it covers; the longest gap seen was 36.0 hours")
    #expect(
      Verdict.detail(.init(met: true, firstFailedOn: nil, measure: .maxRestoreHours(limitHours: 12, windowSeconds: nil, slowestHours: 5)))
        == "restoring any restorable backup takes at most 12 h with the Standard retrieval tier; the slowest took 5 h")
    #expect(
      Verdict.detail(
        .init(
          met: false, firstFailedOn: nil,
          measure: .maxMonthlyCost(limit: Money(500), costliestMonth: "2027-03", costliestTotal: Money(Decimal(string: "512.345")!))))
        == "at most $500.00 in any calendar month; the costliest month, 2027-03, cost $512.35")
    // 2.5 days after the attack (216,000 s), to a tenth of a day.
    #expect(
      Verdict.detail(
        .init(
          met: false, firstFailedOn: nil, measure: .survivesAttack(detectedWithinSeconds: 7 * day, worst: .flood, lastGoodLostAfterSeconds: 216_000)))
        == "a good backup must outlive an attack noticed within 7 days; with 'flood' the last one is gone 2.5 days after the attack")
    #expect(
      Verdict.detail(
        .init(met: true, firstFailedOn: nil, measure: .survivesAttack(detectedWithinSeconds: day, worst: nil, lastGoodLostAfterSeconds: nil)))
        == "a good backup must outlive an attack noticed within 1 day; every strategy leaves one")
  }

  @Test func mitigationChangesAndRejections() {
    #expect(
      Verdict.change(.objectLock(days: 8, enablesVersioning: true))
        == "Object Lock in COMPLIANCE mode with a 8-day default retention (and versioning enabled)")
    #expect(
      Verdict.rejection(.init(change: .keepNoncurrentLonger(days: 7), stillWinning: .deleteVersions, detectedWithinSeconds: 7 * 86_400))
        == "keep noncurrent versions 7 days longer (NoncurrentDays + 7, no NewerNoncurrentVersions): not enough ('delete-versions' still destroys every good backup within 7 days)"
    )
  }

  @Test func formats() {
    #expect(Format.days(1) == "1 day")
    #expect(Format.days(Decimal(string: "6.94")!) == "6.9 days")
    #expect(Format.days(30) == "30 days")
    #expect(Format.dayCount(31.95) == "32")
    #expect(Format.hours(Decimal(string: "0.25")!) == "15 min")
    #expect(Format.hours(0) == "immediate")
    #expect(Format.bytes(1_610_612_736) == "1.50 GiB")
    #expect(Format.bytes(512) == "512 B")
    #expect(Format.month("2027-02") == "Feb 2027")
    #expect(Format.time(SimTime(year: 2027, month: 11, day: 30, hour: 2)) == "2027-11-30 02:00 UTC")
  }
}
