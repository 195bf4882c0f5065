import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTestSupport
import Foundation
import Testing

/// INTELLIGENT_TIERING's access tiers, monitoring fee and configurations (docs/s3-rules.md §3.2).
struct IntelligentTieringTests {
  static let example = """
    start: 2027-01-01
    duration: 200 days
    pricing: us-east-1
    bucket:
      intelligentTiering:
        - Id: archive-after-90
          Status: Enabled
          Tierings: [{ Days: 90, AccessTier: ARCHIVE_ACCESS }]
    uploads:
      - { name: big, key: "big/{i}", schedule: "0 0 1 1 *", objects: 10000, size: 1 MiB, storageClass: INTELLIGENT_TIERING }
      - { name: small, key: "small/{i}", schedule: "0 0 1 1 *", objects: 1000, size: 64 KiB, storageClass: INTELLIGENT_TIERING }
    """

  /// 10,000 objects of 1 MiB and 1,000 of 64 KiB uploaded on 2027-01-01 00:00, 200 days (to 2027-07-20), Archive Access at 90.
  ///
  /// Big: 10,000 MiB = 9.765625 GiB, monitored. Frequent Access for days 0–30 (Jan 1–31), Infrequent Access for
  /// days 30–90 (Jan 31 – Apr 1: 1 day of January, all of February and March), then Archive Access (day 90
  /// reaches Archive Instant Access and Archive Access together: the colder wins) to the end.
  /// Small: 1,000 × 64 KiB = 0.06103515625 GiB, under 128 KiB: Frequent Access throughout, not monitored.
  /// Prices (us-east-1): FA 0.023, IA 0.0125, AA 0.0036 $/GB-month; monitoring 0.0025 per 1,000 objects.
  /// - Jan (31 d): 0.023 × (9.765625 × 30/31 + 0.06103515625) + 0.0125 × 9.765625/31 + 10 × 0.0025 = 0.2477054719
  /// - Feb, Mar: 0.0125 × 9.765625 + 0.023 × 0.06103515625 + 0.025 = 0.14847412109375 each
  /// - Apr, May, Jun: 0.0036 × 9.765625 + 0.023 × 0.06103515625 + 0.025 = 0.06156005859375 each
  /// - Jul (19 of 31 days): 0.06156005859375 × 19/31 = 0.0377303585
  /// Storage 0.7670642484; PUTs: 11,000 × 0.005 / 1,000 = 0.055 (1 MiB is under the 8 MiB multipart threshold);
  /// no transitions, no early deletion (no minimum duration). Total $0.8220642484 → $0.82.
  @Test func handWorkedExample() throws {
    let r = try run(Self.example)
    let jan = try #require(r.month("2027-01")), feb = try #require(r.month("2027-02")), apr = try #require(r.month("2027-04"))
    let jul = try #require(r.month("2027-07"))
    #expect(close(jan.storage.amount, dec("0.2477054719002016129032258064516129032258"), within: dec("0.0000000001")))
    #expect(feb.storage == money("0.14847412109375"))
    #expect(r.month("2027-03")?.storage == money("0.14847412109375"))
    #expect(apr.storage == money("0.06156005859375"))
    #expect(r.month("2027-05")?.storage == money("0.06156005859375") && r.month("2027-06")?.storage == money("0.06156005859375"))
    #expect(close(jul.storage.amount, dec("0.0377303584929435483870967741935483870968"), within: dec("0.0000000001")))
    #expect(r.total(\.requests) == money("0.055"))
    #expect(r.total(\.transitions) == .zero && r.total(\.earlyDeletion) == .zero && r.total(\.retrieval) == .zero)
    #expect(close(r.totalCost.amount, dec("0.8220642483618951612903225806451612903226"), within: dec("0.0000000001")))
    #expect(r.totalCost.formatted() == "$0.82")

    // The tiers month by month: GB-months and the monitoring fee.
    #expect(feb.accessTierGBMonths == [.infrequent: dec("9.765625"), .frequent: dec("0.06103515625")])
    #expect(apr.accessTierGBMonths == [.archive: dec("9.765625"), .frequent: dec("0.06103515625")])
    #expect(feb.monitoredObjectMonths == 10_000 && feb.monitoring == money("0.025"))
    #expect(apr.accessTierStorage[.archive] == money("0.03515625"))  // 9.765625 × 0.0036
    #expect(close(jan.accessTierGBMonths[.infrequent] ?? 0, dec("9.765625") / 31))
  }

  /// The charts show each access tier as its own band: bytes by day, cost by month.
  @Test func chartsSplitTheClassByTier() throws {
    let r = try run(Self.example)
    let stored = ChartSpec.storedByClass(r)
    let names = ["Frequent Access", "Infrequent Access", "Archive Access"].map { "INTELLIGENT_TIERING \($0)" }
    #expect(stored.series.map(\.label) == names)
    // End of 2027-03-01 (day 60): the big objects (10,000 MiB = 9.765625 GiB) are in Infrequent Access.
    let march1 = try #require(r.daily.first { $0.date == CivilDate(year: 2027, month: 3, day: 1) })
    #expect(march1.accessTierBytes == [65_536_000, 10_485_760_000, 0, 0, 0])
    #expect(r.daily.last?.accessTierBytes == [65_536_000, 0, 0, 10_485_760_000, 0])
    let cost = ChartSpec.monthlyStorageCostByClass(r)
    #expect(cost.series.map(\.label) == names + ["INTELLIGENT_TIERING monitoring"])
  }

  /// At the end (day 200) the big objects are in Archive Access: restoring them needs a restore request.
  ///
  /// Standard (5 h) and Bulk (12 h) restores from Archive Access are free; each object is then read with a GET:
  /// 10,000 × 0.0004 / 1,000 = $0.004. Expedited (5 minutes): 9.765625 GB × $0.03 + 10,000 × $10 / 1,000 + the GETs
  /// = 0.29296875 + 100 + 0.004 = $100.29696875. The small objects (Frequent Access) are read at once: 1,000 GETs, $0.0004.
  @Test func restoreFromArchiveAccess() throws {
    let r = try run(Self.example)
    let big = try #require(r.restoreEstimates.first { $0.job == "big" })
    #expect(Set(big.tiers.keys) == [.expedited, .standard, .bulk])
    #expect(big.tiers[.standard]?.hours == 5 && big.tiers[.standard]?.retrievalCost == .zero)
    #expect(big.tiers[.standard]?.requestCost == money("0.004"))
    #expect(big.tiers[.bulk]?.hours == 12 && big.tiers[.bulk]?.cost == money("0.004"))
    #expect(big.tiers[.expedited]?.cost == money("100.29696875"))
    let small = try #require(r.restoreEstimates.first { $0.job == "small" })
    #expect(Set(small.tiers.keys) == [.instant] && small.tiers[.instant]?.hours == 0)
    #expect(small.tiers[.instant]?.cost == money("0.0004"))
  }

  /// Without a configuration, objects go on to Archive Instant Access at 90 days; with Deep Archive Access at 180
  /// they go there after Archive Access.
  @Test func schedules() {
    let day = SimTime.secondsPerDay
    let plain = AccessSchedule()
    #expect(plain.tier(after: 29 * day) == .frequent && plain.tier(after: 30 * day) == .infrequent)
    #expect(plain.tier(after: 90 * day) == .archiveInstant && plain.tier(after: 700 * day) == .archiveInstant)
    let both = AccessSchedule(archiveDays: 120, deepArchiveDays: 180)
    #expect(both.tier(after: 100 * day) == .archiveInstant && both.tier(after: 120 * day) == .archive)
    #expect(both.tier(after: 180 * day) == .deepArchive)
    let deepOnly = AccessSchedule(deepArchiveDays: 180)
    #expect(deepOnly.tier(after: 179 * day) == .archiveInstant && deepOnly.tier(after: 180 * day) == .deepArchive)
    // Several configurations select an object: the fewest days per tier (UNCONFIRMED, §3.2).
    let configs = [
      IntelligentTieringConfiguration(id: "a", enabled: true, prefix: "db/", archiveDays: 200),
      IntelligentTieringConfiguration(id: "b", enabled: true, tags: [ObjectTag(key: "t", value: "1")], archiveDays: 100),
      IntelligentTieringConfiguration(id: "c", enabled: false, archiveDays: 90),
    ]
    #expect(AccessSchedule(configs, key: "db/x", tags: []) == AccessSchedule(archiveDays: 200))
    #expect(AccessSchedule(configs, key: "db/x", tags: [ObjectTag(key: "t", value: "1")]) == AccessSchedule(archiveDays: 100))
    #expect(AccessSchedule(configs, key: "logs/x", tags: []) == AccessSchedule())
  }

  /// A lifecycle transition into INTELLIGENT_TIERING starts its tier clock at the transition, and costs a transition request.
  @Test func transitionIntoIntelligentTiering() throws {
    let yaml = """
      start: 2027-01-01
      duration: 3 months
      bucket:
        lifecycle:
          Rules: [{ ID: it, Status: Enabled, Filter: {}, Transitions: [{ Days: 0, StorageClass: INTELLIGENT_TIERING }] }]
      uploads:
        - { name: j, key: "k/{i}", schedule: "0 0 1 1 *", objects: 1000, size: 1 MiB }
      """
    let r = try run(yaml)
    // Uploaded Jan 1 00:00 to STANDARD, moved at the first midnight strictly after: Jan 2 00:00 (1 day at STANDARD).
    // In Intelligent-Tiering from Jan 2: Frequent Access to Feb 1 (30 days), then Infrequent Access.
    let jan = try #require(r.month("2027-01")), feb = try #require(r.month("2027-02"))
    let gib = dec("1000") / 1024  // 0.9765625 GiB
    #expect(close(jan.gbMonths[.standard] ?? 0, gib / 31))
    #expect(close(jan.accessTierGBMonths[.frequent] ?? 0, gib * 30 / 31))
    #expect(feb.accessTierGBMonths == [.infrequent: gib])
    #expect(r.total(\.transitions) == money("0.01"))  // 1,000 × 0.01 / 1,000
  }

  /// A configuration Prefix that would give the keys of one run different schedules is refused.
  @Test func aPrefixInsideTheIndexIsRefused() {
    let yaml = """
      duration: 1 month
      bucket:
        intelligentTiering:
          - { Id: x, Status: Enabled, Filter: { Prefix: "big/1" }, Tierings: [{ Days: 90, AccessTier: ARCHIVE_ACCESS }] }
      uploads: [{ name: big, key: "big/{i}", objects: 20, schedule: daily at 02:00, size: 1 MiB, storageClass: INTELLIGENT_TIERING }]
      """
    #expect(
      loadErrors(yaml) == [
        "test.yaml:4:51: error: this Prefix tells apart keys that one run of job 'big' writes ('big/{i}'); backupsim gives them one "
          + "Intelligent-Tiering schedule, so use a Prefix that ends before '{i}'"
      ])
  }

  /// Bad configurations are refused where they are written.
  @Test(arguments: [
    ("Tierings: [{ Days: 60, AccessTier: ARCHIVE_ACCESS }]", "test.yaml:6:26: error: 'Days' must be between 90 and 730 (got 60)"),
    ("Tierings: [{ Days: 731, AccessTier: DEEP_ARCHIVE_ACCESS }]", "test.yaml:6:26: error: 'Days' must be between 180 and 730 (got 731)"),
    (
      "Tierings: [{ Days: 90, AccessTier: ARCHIVE }]",
      "test.yaml:6:42: error: 'AccessTier' must be one of ARCHIVE_ACCESS, DEEP_ARCHIVE_ACCESS (got 'ARCHIVE')"
    ),
    (
      "Filter: { Prefix: db/, Tag: { Key: a, Value: b } }\n      Tierings: [{ Days: 90, AccessTier: ARCHIVE_ACCESS }]",
      "test.yaml:6:15: error: an Intelligent-Tiering Filter takes one of Prefix, Tag or And; combine several with And"
    ),
  ])
  func badConfigurations(_ body: String, _ error: String) {
    let yaml = """
      duration: 1 month
      bucket:
        intelligentTiering:
          - Id: x
            Status: Enabled
            \(body)
      uploads: [{ name: j, key: k, schedule: daily at 02:00, size: 1 GiB }]
      """
    #expect(loadErrors(yaml) == [error])
  }
}
