import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel

/// A bucket brought in from an S3 Inventory report, worked out by hand (docs/s3-rules.md §3.1 prices).
@Suite struct StartingStateTests {
  static let GiB: Int64 = 1 << 30
  static let MiB: Int64 = 1 << 20
  static let KiB: Int64 = 1 << 10
  static let day: Int64 = 86_400
  static let hour: Int64 = 3_600

  /// 18 versions of 15 keys, taken 2027-01-30 03:00, written in two data files in no order.
  static var rows: [InventoryRow] {
    var r: [InventoryRow] = [
      // The job's fixed key, overwritten monthly: one noncurrent version and the current one.
      InventoryRow(key: "db/backup.sql.gz", versionId: "v2", isLatest: false, size: GiB, lastModified: t("2026-12-01T02:00:05")),
      InventoryRow(key: "db/backup.sql.gz", versionId: "v3", isLatest: true, size: GiB, lastModified: t("2027-01-01T02:00:07")),
      // Written before versioning was enabled: a null version.
      InventoryRow(key: "db/legacy.dump", versionId: nil, isLatest: true, size: 2 * GiB, lastModified: t("2026-06-15T09:30:00")),
      // Deleted: a delete marker (no size, no class) over the version.
      InventoryRow(key: "db/old.sql.gz", versionId: "o1", isLatest: false, size: GiB, lastModified: t("2026-12-20T04:00:00")),
      InventoryRow(
        key: "db/old.sql.gz", versionId: "dm1", isLatest: true, isDeleteMarker: true, size: nil, lastModified: t("2027-01-20T10:00:00"),
        storageClass: nil),
      // A space and a non-ASCII letter in the key; the old version in GLACIER, overwritten 5 days ago.
      InventoryRow(
        key: "archive/Fotos Übersicht 2026.tar", versionId: "a1", isLatest: false, size: 4 * GiB, lastModified: t("2026-11-20T12:00:00"),
        storageClass: .glacier),
      InventoryRow(
        key: "archive/Fotos Übersicht 2026.tar", versionId: "a2", isLatest: true, size: 4 * GiB, lastModified: t("2027-01-25T12:00:00")),
      InventoryRow(key: "archive/2026-10.tar", versionId: "e1", size: GiB, lastModified: t("2026-10-05T00:00:00"), storageClass: .glacier),
    ]
    for d in ["28", "29"] {
      for i in 0..<5 {
        r.append(
          InventoryRow(key: "logs/2027-01-\(d)/part-\(i).log", versionId: "l\(d)\(i)", size: 512 * MiB, lastModified: t("2027-01-\(d)T23:00:0\(i)")))
      }
    }
    return r
  }

  static let scenarioText = """
    name: From the inventory
    duration: 3 months
    bucket:
      name: acme-backups
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: db, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 40 } }
          - ID: archive
            Status: Enabled
            Filter: { Prefix: "archive/" }
            Transitions: [ { Days: 30, StorageClass: GLACIER } ]
            NoncurrentVersionExpiration: { NoncurrentDays: 10 }
    startingState: { inventory: inv/acme-backups/all-versions }
    uploads:
      - { name: db, key: "db/backup.sql.gz", schedule: "monthly on 1 at 02:00", size: 1 GiB }
    """

  /// Writes the report (rows interleaved over two data files) and the scenario into a new folder.
  static func scenarioFile(rows: [InventoryRow] = rows, scenario: String = scenarioText) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inv-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    _ = try InventoryWriter.write(
      to: (dir as NSString).appendingPathComponent("inv"), bucket: "acme-backups", takenAt: t("2027-01-30T03:00:00"), files: 2
    ) { f, emit in
      for (i, row) in rows.enumerated().reversed() where i % 2 == f { try emit(row) }
    }
    let path = (dir as NSString).appendingPathComponent("scenario.yaml")
    try scenario.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func load(_ path: String) throws -> Scenario { try ScenarioLoader().load(path: path).scenario }

  /// GB-months of a month from byte-seconds, as billed: / 2^30 / (86,400 × days in the month).
  static func gbm(_ byteSeconds: Int64, days: Int64) -> Decimal { Decimal(byteSeconds) / Decimal(GiB) / Decimal(day * days) }

  @Test func threeMonthsByHand() throws {
    let scenario = try Self.load(try Self.scenarioFile())
    // Taken 2027-01-30 03:00: the run starts at the next midnight and lasts 3 months.
    #expect(scenario.start == t("2027-01-31T00:00:00") && scenario.end == t("2027-04-30T00:00:00"))
    let state = try #require(scenario.startingState)
    #expect(state.notes.rows == 18 && state.notes.keys == 15 && state.notes.dataFiles == 2)
    #expect(state.notes.deleteMarkers == 1 && state.notes.nullVersions == 1)
    #expect(state.keys.contains("archive/Fotos Übersicht 2026.tar"))
    // Keys no job writes get never-running jobs by top-level prefix, most keys first (ties by name).
    #expect(scenario.uploads.map(\.name) == ["db", "existing logs/", "existing archive/", "existing db/"])

    let r = simulate(scenario)
    let G = Self.GiB, d = Self.day, h = Self.hour
    let overheadStd = 8 * Self.KiB, overheadGlacier = 32 * Self.KiB
    // Timeline (STANDARD unless said):
    //   v2 1 GiB: noncurrent 2027-01-01 02:00:07 + 40 days → deleted 02-11 00:00
    //   v3 1 GiB: noncurrent at the job's run 02-01 02:00 + 40 → deleted 03-14 00:00
    //   v4 (job, 02-01 02:00), noncurrent 03-01 02:00 + 40 → deleted 04-11 00:00; v5 (03-01 02:00) and v6 (04-01 02:00) stay
    //   db/legacy.dump 2 GiB (null) stays; db/old.sql.gz 1 GiB noncurrent since 01-20 10:00 + 40 → deleted 03-02 00:00
    //   logs: 10 × 512 MiB = 5 GiB stay
    //   archive/2026-10.tar 1 GiB GLACIER stays (in GLACIER since 2026-11-05: the 30-day rule explains it)
    //   Fotos a1 4 GiB GLACIER (since 2026-12-21 by the same rule): noncurrent 01-25 12:00 + 10 → deleted 02-05 00:00,
    //     46 days in GLACIER: 44 days of the 90-day minimum charged
    //   Fotos a2 4 GiB: 01-25 12:00 + 30 → GLACIER at 02-25 00:00
    //   Each GLACIER object also bills 32 KiB there and 8 KiB at STANDARD.
    let jan = try #require(r.month("2027-01"))  // 1 day
    let janStd = (1 + 1 + 2 + 1 + 4 + 5) * G * d + 2 * overheadStd * d
    let janGla = (G + overheadGlacier + 4 * G + overheadGlacier) * d
    #expect(close(try #require(jan.gbMonths[.standard]), Self.gbm(janStd, days: 31)))
    #expect(close(try #require(jan.gbMonths[.glacier]), Self.gbm(janGla, days: 31)))

    let feb = try #require(r.month("2027-02"))  // 28 days
    let febStd =
      G * 10 * d  // v2 until 02-11
      + G * 28 * d  // v3
      + G * (28 * d - 2 * h)  // v4 from 02-01 02:00
      + 2 * G * 28 * d + G * 28 * d  // legacy, old
      + 4 * G * 24 * d  // a2 until 02-25
      + 5 * G * 28 * d  // logs
      + overheadStd * (28 + 4 + 4) * d  // 2026-10.tar all month, a1 until 02-05, a2 from 02-25
    let febGla = (G + overheadGlacier) * 28 * d + (4 * G + overheadGlacier) * 4 * d + (4 * G + overheadGlacier) * 4 * d
    #expect(close(try #require(feb.gbMonths[.standard]), Self.gbm(febStd, days: 28)))
    #expect(close(try #require(feb.gbMonths[.glacier]), Self.gbm(febGla, days: 28)))
    // 44 remaining days of (4 GiB + 32 KiB) at $0.0036, charged in February (28 days).
    let early = Self.gbm((4 * G + overheadGlacier) * 44 * d, days: 28) * dec("0.0036")
    #expect(close(feb.earlyDeletion.amount, early))
    #expect(feb.transitions == money("0.00003"))  // one transition into GLACIER at $0.03 per 1,000
    #expect(feb.requests == money("0.00065"))  // 1 GiB = 128 parts of 8 MiB + 2 = 130 PUTs × $0.005 / 1,000
    let febStorage = Self.gbm(febStd, days: 28) * dec("0.023") + Self.gbm(febGla, days: 28) * dec("0.0036")
    #expect(close(feb.storage.amount, febStorage))
    #expect(close(feb.total.amount, febStorage + early + dec("0.00003") + dec("0.00065")))

    let mar = try #require(r.month("2027-03"))  // 31 days
    let marStd =
      G * 13 * d  // v3 until 03-14
      + G * 31 * d  // v4
      + G * (31 * d - 2 * h)  // v5 from 03-01 02:00
      + 2 * G * 31 * d + G * 1 * d  // legacy; old until 03-02
      + 5 * G * 31 * d + 2 * overheadStd * 31 * d
    let marGla = (G + overheadGlacier + 4 * G + overheadGlacier) * 31 * d
    #expect(close(try #require(mar.gbMonths[.standard]), Self.gbm(marStd, days: 31)))
    #expect(close(try #require(mar.gbMonths[.glacier]), Self.gbm(marGla, days: 31)))
    #expect(mar.earlyDeletion == .zero && mar.transitions == .zero)

    let apr = try #require(r.month("2027-04"))  // 29 of 30 days: the horizon ends 04-30 00:00
    let aprStd =
      G * 10 * d  // v4 until 04-11
      + G * 29 * d + G * (29 * d - 2 * h)  // v5; v6 from 04-01 02:00
      + 2 * G * 29 * d + 5 * G * 29 * d + 2 * overheadStd * 29 * d
    #expect(close(try #require(apr.gbMonths[.standard]), Self.gbm(aprStd, days: 30)))
    #expect(close(try #require(apr.gbMonths[.glacier]), Self.gbm((5 * G + 2 * overheadGlacier) * 29 * d, days: 30)))
    #expect(r.months.count == 4)

    // Storage at the end: v5, v6, legacy, 10 logs in STANDARD (9 GiB); 2026-10.tar and a2 in GLACIER.
    #expect(r.endObjectsByClass[.standard] == 13 && r.endBytesByClass[.standard] == 9 * G)
    #expect(r.endObjectsByClass[.glacier] == 2 && r.endBytesByClass[.glacier] == 5 * G)
    #expect(r.currentVersions == 14 && r.noncurrentVersions == 1 && r.deleteMarkers == 1)

    // Coverage: 9 existing points (db: v2, v3; logs: 2 days; archive: 3 days; db/ others: 2 days) + 3 runs.
    let days = r.coverageDaily
    #expect(days.first?.date == CivilDate(year: 2027, month: 1, day: 31))
    #expect(days.first?.restorable == 9)
    #expect(days.first?.restorableByJob == [2, 2, 3, 2])
    #expect(r.coverage.restorePointsCreated == 12)
    // Lost: a1 (02-05), v2 (02-11), old (03-02), v3 (03-14), v4 (04-11).
    #expect(r.coverage.restorableAtEnd == 7)
    #expect(r.coverage.oldestRestorableAtEnd == t("2026-06-15T09:30:00"))
    let byJob = r.coverageByJob
    #expect(byJob[0].restorePointsCreated == 5 && byJob[0].restorableAtEnd == 2)
    #expect(byJob[2].restorableAtEnd == 2 && byJob[3].restorableAtEnd == 1)
  }

  /// An INTELLIGENT_TIERING object written 2026-10-01 is 122 days in the class at the start (2027-01-31
  /// 00:00), so past the 90 days that take it to Archive Instant Access: February bills 1 GiB for the
  /// whole month at that tier's $0.004 and one monitored object at $0.0025 per 1,000.
  @Test func intelligentTieringObjectKeepsItsAge() throws {
    let rows = [
      InventoryRow(key: "it/a.bin", versionId: "i1", size: Self.GiB, lastModified: t("2026-10-01T00:00:00"), storageClass: .intelligentTiering)
    ]
    let text = Self.scenarioText.replacingOccurrences(of: "duration: 3 months", with: "duration: 29 days")
    let r = simulate(try Self.load(try Self.scenarioFile(rows: rows, scenario: text)))
    let feb = try #require(r.month("2027-02"))
    #expect(feb.accessTierGBMonths == [.archiveInstant: 1])
    #expect(feb.accessTierStorage[.archiveInstant] == money("0.004"))
    #expect(feb.monitoredObjectMonths == 1 && feb.monitoring == money("0.0000025"))
    #expect(r.endObjectsByClass[.intelligentTiering] == 1)
  }

  /// `explain` of a key from the report: its existing versions, numbered as runs up to 0 of the job that wrote them.
  @Test func explainAnExistingKey() throws {
    let scenario = try Self.load(try Self.scenarioFile())
    let r = simulate(scenario, options: SimulationOptions(watchKey: "db/backup.sql.gz"))
    let first = try #require(r.trace.first)
    #expect(first.time == t("2026-12-01T02:00:05"))
    #expect(first.kind == .uploaded(storageClass: .standard, bytes: Self.GiB, job: "db", run: -1))
    // v2: noncurrent at v3's write, removed 40 days later at the next midnight.
    #expect(
      r.trace.contains {
        $0.version == first.version && $0.kind == .deleted(reason: .lifecycle(rule: "db", .noncurrentVersionExpiration))
          && $0.time == t("2027-02-11T00:00:00")
      })
  }

  /// Grouping keys lifecycle cannot tell apart gives the per-object run's numbers exactly.
  @Test func groupedEqualsPerObject() throws {
    let scenario = try Self.load(try Self.scenarioFile())
    let grouped = simulate(scenario)
    var options = SimulationOptions(perObject: true)
    options.checkInvariants = true
    let single = simulate(scenario, options: options)
    #expect(grouped.months == single.months)
    #expect(grouped.restorePoints == single.restorePoints)
    #expect(grouped.daily == single.daily)
    // The five logs of each day share one group.
    #expect(grouped.groupsAtEnd < single.groupsAtEnd)
  }
}

/// The synthetic report generator writes what the reader reads back, quirks included.
@Suite struct SyntheticInventoryTests {
  @Test func roundTripAndGrouping() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syn-\(UUID().uuidString)").path
    let synthetic = SyntheticInventory(rows: 6_000, files: 3)
    let manifest = try synthetic.write(to: (dir as NSString).appendingPathComponent("inventory"))
    #expect(manifest.hasSuffix("inventory/photo-backups/all-versions/2027-01-01T01-00Z/manifest.json"))
    let text = synthetic.scenario(inventory: "inventory/photo-backups/all-versions", duration: "2 months")
    try text.write(toFile: (dir as NSString).appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
    let scenario = try ScenarioLoader().load(path: (dir as NSString).appendingPathComponent("s.yaml")).scenario
    let state = try #require(scenario.startingState)
    // 61 db versions + 6 legacy null versions + 15 photos a day for 365 days ((6,000 − 67) / 1.02 / 365, rounded down), one in 50 with a marker.
    #expect(synthetic.photosPerDay == 15)
    #expect(state.notes.dataFiles == 3)
    #expect(state.notes.nullVersions == 6)
    #expect(state.notes.rows == 61 + 6 + 15 * 365 + state.notes.deleteMarkers)
    #expect(state.notes.deleteMarkers > 60 && state.notes.deleteMarkers < 180)
    #expect(state.keys.contains("Fotos Übersicht/2026-06-01/IMG 7.jpg"))
    // Photos and db keys match the jobs; only legacy/ gets a job of its own.
    #expect(scenario.uploads.map(\.name) == ["db", "photos", "existing legacy/"])
    #expect(state.notes.inferredJobs.map(\.keys) == [6])
    let grouped = simulate(scenario)
    let single = simulate(scenario, options: SimulationOptions(perObject: true))
    #expect(grouped.months == single.months)
    #expect(grouped.restorePoints == single.restorePoints)
    #expect(grouped.daily == single.daily)
    // The year of photos already there: about one restore point per day and job.
    #expect(grouped.daily.first.map { $0.objectsByClass[StorageClass.glacier.index] > 0 } == true)
  }
}
