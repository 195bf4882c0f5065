import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Restore points counted by hand.
@Suite struct CoverageTests {
  /// The one-pass summaries of every job equal each job's summary worked out on its own:
  /// db (daily at 02:00, overwritten, NoncurrentDays 10): day d's version goes at day d+12 00:00, so at
  /// the end (day 60 00:00) days 48…59 are left, 12 of 60 (day 48's, removed at that very instant,
  /// counts); logs (hourly dated keys) keeps all 1,440; idle (monthly on 31) ran once, on Jan 31.
  @Test func everyJobsSummaryInOnePass() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 60 days
      bucket:
        versioning: Enabled
        lifecycle:
          Rules:
            - { ID: db, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 10 } }
      uploads:
        - { name: db, key: "db/x", schedule: "daily at 02:00", size: 1 GiB }
        - { name: logs, key: "logs/{datetime}", schedule: "hourly at :30", size: 1 MiB }
        - { name: idle, key: "idle/x", schedule: "monthly on 31 at 03:00", size: 1 MiB }
      """)
    #expect(r.coverageByJob == (0..<3).map { r.coverage(job: $0) })
    #expect(r.coverageByJob.map(\.restorePointsCreated) == [60, 1_440, 1])
    #expect(r.coverageByJob.map(\.restorableAtEnd) == [12, 1_440, 1])
  }

  /// Classic, one key overwritten nightly: 32 versions restorable at steady state (see SimulationTests);
  /// sampled at the end of each day from February on: the version of day d−31 (deleted at d+1 00:00) still
  /// counts, so 32 points, the oldest written 31 days 22 hours before the sampling instant.
  @Test func classicFixedKeyDaily() throws {
    let r = try run(classicFixedKey)
    let day = try #require(r.coverageDaily.first { $0.date == CivilDate(year: 2027, month: 6, day: 15) })
    #expect(day.restorable == 32)
    #expect(day.oldestAgeDays == 31 + 22.0 / 24)
    #expect(day.largestGapHours == 24)
    // The first days: day 1 has 1 point, day 31 has 31, day 32 has 32.
    #expect(r.coverageDaily[0].restorable == 1)
    #expect(r.coverageDaily[30].restorable == 31)
    #expect(r.coverageDaily[31].restorable == 32)
    #expect(r.coverageDaily.count == 365)
  }

  /// Coverage is worked out once per result and shared by its copies, but a copy whose points or
  /// horizon change gets its own: classic's 32 restorable points, then 31 without the newest, then
  /// none on the first day (`restorable` 1 at its end) once the horizon is cut to 1 day.
  @Test func coverageFollowsTheResultItDescribes() throws {
    let r = try run(classicFixedKey)
    #expect(r.coverage.restorableAtEnd == 32)
    var fewer = r
    fewer.restorePoints.removeLast()
    #expect(fewer.coverage.restorableAtEnd == 31)
    #expect(r.coverage.restorableAtEnd == 32)
    var shorter = r
    shorter.end = shorter.start + SimTime.secondsPerDay
    #expect(shorter.coverageDaily.map(\.restorable) == [1])
    #expect(r.coverageDaily.count == 365)
  }

  /// Suspended bucket: every nightly PUT replaces the one `null` version, so exactly one point is ever restorable.
  @Test func suspendedKeepsOne() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 2 months
      bucket:
        versioning: Suspended
        lifecycle: { Rules: [{ ID: nc, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] }
      uploads:
        - { name: db, key: db.gz, schedule: "daily at 02:00", size: 1 GiB }
      """)
    #expect(r.coverageDaily.allSatisfy { $0.restorable == 1 })
    #expect(r.coverage.restorableAtEnd == 1)
    #expect(r.restorePoints[0].lostAt == t("2027-01-02T02:00:00Z"))
    #expect(r.noncurrentVersions == 0)
  }

  static let fullAndIncremental = """
    start: 2027-01-01
    duration: 2 months
    bucket:
      versioning: Disabled
      lifecycle:
        Rules:
          - { ID: fulls, Status: Enabled, Filter: { Prefix: "full/" }, Expiration: { Days: 14 } }
          - { ID: incrementals, Status: Enabled, Filter: { Prefix: "incr/" }, Expiration: { Days: 30 } }
    uploads:
      - { name: full, key: "full/{date}", schedule: "weekly on Sun at 01:00", size: 10 GiB }
      - { name: incr, key: "incr/{date}", schedule: "daily at 02:00", size: 1 GiB, dependsOn: full }
    requirements:
      restorePoints: { every: 1 day, for: 14 days }
    """

  /// Weekly full (Sundays 01:00, expires after 14 days: gone at 00:00 fifteen days later) and daily
  /// incrementals (02:00, expire after 30 days), each needing the latest full.
  ///
  /// At the end (2027-03-01 00:00): fulls of Feb 14, 21, 28 (Feb 14's expiry is exactly at the end, outside
  /// the horizon); incrementals of Feb 14–28 (their fulls are alive); those of Jan 29–Feb 13 still exist but
  /// their fulls are gone. Jan 1 and 2 came before any full: never restorable.
  @Test func fullAndIncrementalDependency() throws {
    let r = try run(Self.fullAndIncremental)
    #expect(r.coverage(job: 0).restorePointsCreated == 9)
    #expect(r.coverage(job: 0).restorableAtEnd == 3)
    #expect(r.coverage(job: 1).restorePointsCreated == 59)
    #expect(r.coverage(job: 1).restorableAtEnd == 15)
    #expect(r.coverage.restorableAtEnd == 18)
    #expect(r.coverage.oldestRestorableAtEnd == t("2027-02-14T01:00:00Z"))
    let tl = r.timeline
    #expect(tl.lostAt[0] == t("2027-01-01T02:00:00Z"))  // Jan 1 incremental: no full yet
    // The incremental of Feb 10 outlives its data's expiry window but not its full (Feb 7, gone Feb 22 00:00).
    let feb10 = try #require(r.restorePoints.firstIndex { $0.writtenAt == t("2027-02-10T02:00:00Z") })
    #expect(tl.lostAt[feb10] == t("2027-02-22T00:00:00Z"))
    let full6 = try #require(r.restorePoints.firstIndex { $0.job == 0 && $0.run == 6 })
    #expect(tl.lostBy(feb10) == .needs(point: full6, why: tl.lostBy(full6)))
    #expect(
      Verdict.loss(try #require(tl.lostBy(feb10)), points: r.restorePoints, jobNames: r.jobNames).hasPrefix(
        "it needs full run 6, which was lost: lifecycle rule '"))
  }

  /// restorePoints {every: 1 day, for: 14 days}: first checked at the end of Jan 14; the window
  /// [Jan 1 00:00, Jan 15 00:00] starts with 49 hours before the first restorable point (full, Jan 3 01:00).
  @Test func restorePointsRequirementFails() throws {
    let scenario = try loadScenario(Self.fullAndIncremental)
    let r = simulate(scenario)
    let q = r.checkRequirements(scenario.requirements)
    #expect(q.count == 1)
    #expect(q[0].name == "restorePoints")
    #expect(q[0].met == false)
    #expect(q[0].firstFailedOn == CivilDate(year: 2027, month: 1, day: 14))
  }

  @Test func restorePointsRequirementHolds() throws {
    let yaml = classicFixedKey + "\nrequirements: { restorePoints: { every: 1 day, for: 30 days } }\n"
    let scenario = try loadScenario(yaml)
    let q = simulate(scenario).checkRequirements(scenario.requirements)
    #expect(q.map(\.met) == [true])
    #expect(q[0].firstFailedOn == nil)
  }

  /// An archive in GLACIER is restorable but slow and costly.
  ///
  /// 1,000 × 1 GiB straight into GLACIER:
  /// Standard = 1,000 × $0.05/1,000 + 1,000 GETs × $0.0004/1,000 + 1,000 GB × $0.01 = $10.0504 in 5 h; Bulk
  /// $0.0004 (the GETs) in 12 h; no Expedited (objects of 250 MB and more).
  @Test func glacierArchiveRestore() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 1 month
      bucket: { versioning: Enabled }
      uploads:
        - { name: arch, key: "a/{date}/{i}", objects: 1000, schedule: "weekly on Mon at 00:00", size: 1 GiB, storageClass: GLACIER }
      requirements: { maxRestoreHours: 4 }
      """)
    let e = r.restoreEstimates
    #expect(e.map(\.label) == ["newest", "oldest"])
    let standard = try #require(e[0].tiers[.standard])
    #expect(standard.hours == 5)
    #expect(standard.cost == money("10.0504"))
    #expect(e[0].tiers[.bulk]?.cost == money("0.0004"))
    #expect(e[0].tiers[.bulk]?.hours == 12)
    #expect(e[0].tiers[.expedited] == nil)
    let q = r.checkRequirements(Requirements(maxRestoreHours: 4))
    #expect(q[0].met == false)
    #expect(q[0].firstFailedOn == CivilDate(year: 2027, month: 1, day: 4))  // the first Monday's backup
  }

  /// The check: 15,000,000 objects, 100 TB, from GLACIER with the Standard tier:
  /// 15,000 × $0.05 (restore requests) + 15,000 × $0.0004 (a GET per restored object) + 102,400 GB × $0.01 = $1,780.
  ///
  /// Expedited: 15,000 × $10 + 15,000 × $0.0004 + 102,400 × $0.03. Bulk is free to restore, not to read back.
  @Test func fifteenMillionObjectsFromGlacier() {
    let parts: [StorageClass: PointComposition.Part] = [.glacier: .init(objects: 15_000_000, bytes: 100 << 40, largestObject: 7 << 20)]
    let tiers = RestoreEstimate.tiers(for: parts, prices: .usEast1)
    #expect(tiers[.standard]?.cost == money("1780"))
    #expect(tiers[.standard]?.requestCost == money("756"))
    #expect(tiers[.expedited]?.cost == money("153078"))
    #expect(tiers[.bulk]?.cost == money("6"))
    let deep = RestoreEstimate.tiers(for: [.deepArchive: .init(objects: 15_000_000, bytes: 100 << 40, largestObject: 7 << 20)], prices: .usEast1)
    #expect(deep[.expedited] == nil)
    #expect(deep[.standard]?.cost == money("3554"))  // 15,000 × $0.10 + 15,000 × $0.0004 + 102,400 × $0.02
    #expect(deep[.standard]?.hours == 12)
  }

  /// The GETs use the class's own GET price: STANDARD_IA's is $0.001 per 1,000, not STANDARD's $0.0004.
  @Test func readingInfrequentAccessUsesItsGetPrice() {
    let tiers = RestoreEstimate.tiers(for: [.standardIA: .init(objects: 1_000_000, bytes: 1 << 30, largestObject: 1 << 20)], prices: .usEast1)
    #expect(tiers[.instant]?.requestCost == money("1"))
    #expect(tiers[.instant]?.retrievalCost == money("0.01"))
  }

  /// The reports say what a restore estimate leaves out.
  @Test func reportsSayDataTransferOutIsNotIncluded() throws {
    let at = SimTime(year: 2027, month: 2, day: 10)
    let e = evaluate(try loadScenario(Self.archiveLike), options: SimulationOptions(snapshotAt: at), findMitigation: false)
    #expect(!e.result.restoreEstimates.isEmpty)
    let line = "Not included: data transfer out of AWS (to the internet or another region), billed per GB at the region's price on top of this."
    #expect(MarkdownReport.render(e).contains(line))
    #expect(PeopleReports.html(e, charts: []).contains(line.replacingOccurrences(of: "'", with: "&#39;")))
    let summary = RunReport.summary(e, folder: "x", restoreAt: at)
    #expect(summary.contains("restore costs       requests, retrieval and GETs; data transfer out of AWS not included"), "\(summary)")
  }

  static let archiveLike = """
    start: 2027-01-01
    duration: 2 months
    bucket: { versioning: Enabled }
    uploads:
      - { name: d, key: "d/{date}", schedule: "daily at 00:00", size: 1 GiB }
    """

  /// A maxMonthlyCost cap fails on the first day the month-to-date bill passes it.
  ///
  /// 100 GiB a day at 00:00, kept: by the end of day n January has stored 100 × n(n+1)/2 GiB-days.
  @Test func maxMonthlyCostFirstFailure() throws {
    let yaml = """
      start: 2027-01-01
      duration: 2 months
      bucket: { versioning: Enabled }
      uploads:
        - { name: d, key: "d/{date}", schedule: "daily at 00:00", size: 100 GiB }
      requirements: { maxMonthlyCost: 10 USD }
      """
    let scenario = try loadScenario(yaml)
    let r = simulate(scenario)
    let q = r.checkRequirements(scenario.requirements)
    // Month to date after day n: 100 × n(n+1)/2 / 31 GB-months × $0.023, plus 6,402 requests a day (100 GiB in
    // 8 MiB parts would be 12,800 > 10,000, so 16 MiB parts: 6,400 + 2) × $0.005/1,000 = $0.03201 a day.
    // n = 15: 120 × 0.0741935… = $8.903 + $0.480 = $9.383 ≤ 10; n = 16: 136 × 0.0741935… = $10.090 + $0.512 = $10.602 > 10.
    #expect(q[0].firstFailedOn == CivilDate(year: 2027, month: 1, day: 16))
    let mtd15 = Decimal(120) * dec("0.023") * 100 / 31 + Decimal(15 * 6_402) * dec("0.000005")
    #expect(close(r.daily[14].costToDate.amount, mtd15, within: dec("0.000000001")))
  }
}
