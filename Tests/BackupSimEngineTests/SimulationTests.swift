import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Whole runs, with versions and restore points counted by hand.
@Suite struct SimulationTests {
  /// A run of years keeps millions of points: each is 64 bytes, its class and removal reason
  /// numbers packed in one word, and keeps every field through the packing.
  @Test func restorePointsArePackedAndKeepTheirFields() {
    #expect(MemoryLayout<RestorePoint>.stride == 64)
    let reason = RemovalReason.lifecycle(rule: "a rule whose ID is longer than a small string", .noncurrentVersionExpiration)
    var p = RestorePoint(
      job: 3, run: 7, writtenAt: t("2027-01-01T02:00:00Z"), versions: 5, bytes: 1 << 40, alive: 5, lostAt: nil, lostBy: nil, base: 2,
      coldest: (.deepArchive, t("2027-01-01T02:00:00Z")))
    #expect(p.lostBy == nil && p.coldest.map(\.storageClass) == [.deepArchive])
    p.lostBy = reason
    p.lostAt = t("2027-03-01T00:00:00Z")
    #expect(p.lostBy == reason && p.coldestClass(at: t("2027-02-01T00:00:00Z")) == .deepArchive)
    p.coldest = [(.standard, t("2027-01-01T02:00:00Z")), (.glacier, t("2027-02-01T00:00:00Z"))]
    #expect(p.lostBy == reason && p.coldestClass(at: t("2027-01-15T00:00:00Z")) == .standard)
    p.lostBy = .missingBase(job: 2)
    #expect(p.lostBy == .missingBase(job: 2) && p.coldest.map(\.storageClass) == [.standard, .glacier])
    #expect(p.job == 3 && p.run == 7 && p.versions == 5 && p.bytes == 1 << 40 && p.base == 2)
  }

  /// One key overwritten nightly: version of day d becomes noncurrent at d+1 02:00 and is deleted at
  /// the first midnight after d+31 02:00, that is d+32 00:00.
  ///
  /// At the end (2028-01-01 00:00 = day 365) the
  /// versions of days 333…364 are left: 32 (1 current + 31 noncurrent), the oldest from 2027-11-30 02:00.
  @Test func classicFixedKeySteadyState() throws {
    let r = try run(classicFixedKey)
    #expect(r.currentVersions == 1)
    #expect(r.noncurrentVersions == 31)
    #expect(r.deleteMarkers == 0)
    #expect(r.coverage.restorableAtEnd == 32)
    #expect(r.coverage.oldestRestorableAtEnd == t("2027-11-30T02:00:00Z"))
    // The version of 2027-01-01 went at 2027-02-02 00:00, by the noncurrent rule.
    #expect(r.restorePoints[0].lostAt == t("2027-02-02T00:00:00Z"))
    #expect(r.restorePoints[0].lostBy == .lifecycle(rule: "expire-30-then-30", .noncurrentVersionExpiration))
    // Steady state: 31 days 22 hours of each 1 GiB version are always stored: 31.916… GB on average.
    let apr = try #require(r.month("2027-04"))
    #expect(close(try #require(apr.gbMonths[.standard]), Decimal(766) / Decimal(24)))
  }

  /// Dated keys: the expiration makes a delete marker at the first midnight after day+30 (d+31 00:00,
  /// the current version becomes noncurrent then), the noncurrent rule deletes it 31 midnights later (d+62),
  /// and the Expiration rule removes the then-sole marker at the next run (d+63).
  ///
  /// At the end the points of
  /// days 303…364 are left: 62, oldest 2027-10-31 02:00.
  @Test func classicDatedKeys() throws {
    let r = try run(classicFixedKey.replacingOccurrences(of: "db/backup.sql.gz", with: "db/{date}.sql.gz"))
    #expect(r.coverage.restorableAtEnd == 62)
    #expect(r.coverage.oldestRestorableAtEnd == t("2027-10-31T02:00:00Z"))
    #expect(r.restorePoints[0].lostAt == t("2027-03-04T00:00:00Z"))  // 2027-01-01 + 62 days
    // Current: days 334…364 (no marker yet: 31). Noncurrent under a marker: days 303…333 (31).
    #expect(r.currentVersions == 31)
    #expect(r.noncurrentVersions == 31)
    // Markers: over days 303…333 (31) plus the sole one of day 302, removed only at 2028-01-01 00:00, outside the horizon.
    #expect(r.deleteMarkers == 32)
  }

  /// Unversioned (#4): created 2027-01-01 10:00, Expiration Days=30 → gone at 2027-02-01 00:00,
  /// no storage billed after that instant.
  @Test func vector4UnversionedExpiry() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 2 months
      bucket:
        versioning: Disabled
        lifecycle: { Rules: [{ ID: e30, Status: Enabled, Filter: {}, Expiration: { Days: 30 } }] }
      uploads:
        - { name: once, key: k, schedule: "cron 0 10 1 1 *", size: 1 GiB }
      """)
    #expect(r.restorePoints[0].lostAt == t("2027-02-01T00:00:00Z"))
    #expect(r.month("2027-01")?.gbMonths[.standard] == Decimal(734) / Decimal(744))  // 734 of 744 hours
    #expect(r.month("2027-02")?.gbMonths[.standard] == nil)
  }

  /// #19: Suspended bucket, key holds version 111111 (written while Enabled).
  ///
  /// PUT, PUT, then an
  /// expiration (which acts as a DELETE): PUT 1 makes `null` current, PUT 2 replaces it, the expiration
  /// removes the `null` data and adds a `null` marker; 111111 is untouched.
  @Test func vector19SuspendedBucket() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 10 days
      bucket:
        versioning: Enabled
        versioningChanges: [{ at: 2027-01-01T12:00, status: Suspended }]
        lifecycle: { Rules: [{ ID: e1, Status: Enabled, Filter: {}, Expiration: { Days: 1 } }] }
      uploads:
        - { name: v, key: k, schedule: "cron 0 2 1-3 1 *", size: 1 MiB }
      """)
    let p = r.restorePoints
    #expect(p.count == 3)
    #expect(p[0].lostAt == nil)  // 111111 survives
    #expect(p[1].lostAt == t("2027-01-03T02:00:00Z"))
    #expect(p[1].lostBy == .nullVersionReplaced(.suspended))
    // Second null version: due at the first midnight after 2027-01-04 02:00.
    #expect(p[2].lostAt == t("2027-01-05T00:00:00Z"))
    #expect(r.currentVersions == 0 && r.noncurrentVersions == 1 && r.deleteMarkers == 1)
  }

  /// Unversioned overwrite destroys the old object at once; enabling versioning later keeps the null version.
  @Test func disabledThenEnabled() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 5 days
      bucket:
        versioning: Disabled
        versioningChanges: [{ at: 2027-01-02T12:00, status: Enabled }]
      uploads:
        - { name: v, key: k, schedule: "daily at 02:00", size: 1 MiB }
      """)
    #expect(r.restorePoints[0].lostAt == t("2027-01-02T02:00:00Z"))
    #expect(r.restorePoints[0].lostBy == .nullVersionReplaced(.disabled))
    #expect(r.restorePoints[1...].allSatisfy { $0.lostAt == nil })
    #expect(r.currentVersions == 1 && r.noncurrentVersions == 3)
  }

  /// Object Lock (COMPLIANCE 40 days) holds noncurrent versions past a 1-day noncurrent rule:
  /// the version of day d (retain-until d+40 02:00) is removed at d+41 00:00.
  @Test func objectLockHoldsVersions() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 3 months
      bucket:
        versioning: Enabled
        objectLock: { mode: COMPLIANCE, days: 40 }
        lifecycle: { Rules: [{ ID: nc1, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] }
      uploads:
        - { name: v, key: k, schedule: "daily at 02:00", size: 1 MiB }
      """)
    #expect(r.restorePoints[0].lostAt == t("2027-02-11T00:00:00Z"))
    #expect(r.noncurrentVersions == 40)
  }

  /// 128 KB default (#21) end to end: a 1 KiB object under `varies_by_storage_class` reaches GLACIER
  /// at 2027-01-03 00:00 and is billed 1 KiB + 32 KiB in GLACIER and 8 KiB in STANDARD from then on.
  @Test func vector21Billing() throws {
    let r = try run(
      """
      start: 2027-01-01
      duration: 1 month
      bucket:
        versioning: Enabled
        lifecycle:
          TransitionDefaultMinimumObjectSize: varies_by_storage_class
          Rules: [{ ID: g1, Status: Enabled, Filter: {}, Transitions: [{ Days: 1, StorageClass: GLACIER }] }]
      uploads:
        - { name: tiny, key: k, schedule: "cron 0 10 1 1 *", size: 1 KiB }
      """)
    let jan = try #require(r.month("2027-01"))
    let gib = Decimal(1 << 30), month = Decimal(31 * 86_400)
    // STANDARD: 1 KiB from 01-01 10:00 to 01-03 00:00 (38 h), then 8 KiB for 29 days.
    #expect(close(try #require(jan.gbMonths[.standard]), (Decimal(1024 * 38 * 3600) + Decimal(8192 * 29 * 86_400)) / gib / month))
    #expect(close(try #require(jan.gbMonths[.glacier]), Decimal(33 * 1024 * 29 * 86_400) / gib / month))
    #expect(jan.transitions == money("0.00003"))
  }

  /// The grouped model and the per-object model give the same result, byte for byte.
  @Test(arguments: ["classic", "dated", "lognormal", "suspended", "mixed", "divergent", "unshared", "logShipping"])
  func groupedEqualsPerObject(_ name: String) throws {
    let yaml = Self.equalityScenarios[name] ?? ""
    var checked = SimulationOptions()
    checked.checkInvariants = true
    let grouped = try run(yaml, options: checked)
    let single = try run(yaml, options: SimulationOptions(perObject: true))
    #expect(ResultJSON.render(grouped, requirements: []) == ResultJSON.render(single, requirements: []))
    #expect(DailyCSV.render(grouped) == DailyCSV.render(single))
    #expect(grouped.groupsAtEnd <= single.groupsAtEnd)
    let daily = try run(yaml, options: SimulationOptions(dayByDay: true))
    #expect(ResultJSON.render(grouped, requirements: []) == ResultJSON.render(daily, requirements: []))
  }

  /// `explain` simulates only the jobs that can write the key: the history it prints is the one
  /// the whole scenario gives the key, version for version.
  @Test(arguments: ["mixed", "unshared", "suspended", "sizes"])
  func keyHistoryFromItsOwnJobsEqualsTheWholeRun(_ name: String) throws {
    let scenario = try loadScenario(Self.equalityScenarios[name] ?? Self.narrowingScenario)
    let keys = scenario.keysWritten(runsPerJob: 3, objectsPerRun: 2)
    #expect(keys.count >= 2)
    for key in keys {
      let own = simulateHistory(of: key, in: scenario)
      let whole = simulateHistory(of: key, in: scenario, narrowed: nil)
      #expect(!whole.trace.isEmpty)
      #expect(Explanation.render(key: key, history: own, all: true) == Explanation.render(key: key, history: whole, all: true), "\(key)")
      let writers = scenario.uploads.filter { $0.key.mayProduce(key) }.count
      switch name {
      case "unshared", "mixed": #expect(own.jobsSimulated == 1, "\(key)")
      case "suspended": #expect(own.jobsSimulated == 2, "both jobs write every key")
      default:
        // Log-normal sizes come from one generator in event order: a job that draws is only left
        // out when no kept job draws (so files/ and logs/ keys need every job, db/ keys their own).
        #expect(own.jobsSimulated == (key.hasPrefix("db/") ? writers : 4), "\(key)")
      }
    }
  }

  /// Two jobs drawing log-normal sizes, two of fixed size, a job building on another, versioning
  /// suspended for a while and rules of every kind.
  static let narrowingScenario = """
    start: 2027-01-01
    duration: 75 days
    seed: 5
    bucket:
      versioning: Enabled
      versioningChanges: [{ at: 2027-02-01, status: Suspended }, { at: 2027-02-10, status: Enabled }]
      lifecycle:
        Rules:
          - { ID: nc, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 6, NewerNoncurrentVersions: 2 } }
          - { ID: cold, Status: Enabled, Filter: { Prefix: "files/" }, Transitions: [{ Days: 30, StorageClass: GLACIER }] }
          - { ID: old-logs, Status: Enabled, Filter: { Prefix: "logs/" }, Expiration: { Days: 10 } }
          - { ID: dm, Status: Enabled, Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } }
    uploads:
      - { name: files, key: "files/{i}", objects: 5, schedule: "daily at 01:00", size: { lognormal: { median: 200 KiB, sigma: 0.7 } } }
      - { name: logs, key: "logs/{date}.gz", schedule: "daily at 03:00", size: { lognormal: { median: 1 MiB, sigma: 0.5 } } }
      - { name: full, key: "db/dump", schedule: "weekly on Sun at 02:00", size: 4 GiB }
      - { name: incr, key: "db/incr-{run}", schedule: "daily at 02:30", size: 300 MiB, dependsOn: full }
    """

  static let equalityScenarios: [String: String] = [
    // A delete marker and a transition due the same night; only the objects of 128 KiB and more can
    // move (the default), so the small ones get the marker and the large ones move: histories part.
    "divergent": """
    start: 2027-01-01
    duration: 4 months
    seed: 11
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: expire, Status: Enabled, Filter: {}, Expiration: { Days: 20 }, NoncurrentVersionExpiration: { NoncurrentDays: 15 } }
          - { ID: cold, Status: Enabled, Filter: {}, Transitions: [{ Days: 20, StorageClass: GLACIER }] }
    uploads:
      - { name: f, key: "f/{date}/{i}", objects: 40, schedule: "weekly on Wed at 04:00", size: { lognormal: { median: 128 KiB, sigma: 0.6 } } }
    """,
    "classic": classicFixedKey.replacingOccurrences(of: "db/backup.sql.gz", with: "db/{i}").replacingOccurrences(
      of: "size: 1 GiB", with: "size: 1 GiB, objects: 20"),
    "dated": classicFixedKey.replacingOccurrences(of: "db/backup.sql.gz", with: "db/{date}/{i}").replacingOccurrences(
      of: "size: 1 GiB", with: "size: 1 GiB, objects: 5"),
    "lognormal": """
    start: 2027-01-01
    duration: 4 months
    seed: 7
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: big-to-ia, Status: Enabled, Filter: { ObjectSizeGreaterThan: 200000 }, Transitions: [{ Days: 30, StorageClass: STANDARD_IA }] }
          - { ID: keep3, Status: Enabled, Filter: { Prefix: "f/1" }, NoncurrentVersionExpiration: { NoncurrentDays: 5, NewerNoncurrentVersions: 3 } }
          - { ID: all, Status: Enabled, Filter: {}, NoncurrentVersionTransitions: [{ NoncurrentDays: 10, StorageClass: GLACIER }], NoncurrentVersionExpiration: { NoncurrentDays: 40 } }
    uploads:
      - { name: files, key: "f/{i}", objects: 30, schedule: "daily at 01:00", size: { lognormal: { median: 180 KiB, sigma: 0.8 } } }
    """,
    "suspended": """
    start: 2027-01-01
    duration: 3 months
    bucket:
      versioning: Enabled
      versioningChanges: [{ at: 2027-02-01, status: Suspended }, { at: 2027-03-01, status: Enabled }]
      lifecycle: { Rules: [{ ID: e, Status: Enabled, Filter: {}, Expiration: { Days: 3 }, NoncurrentVersionExpiration: { NoncurrentDays: 7 } }] }
    uploads:
      - { name: a, key: "k/{i}", objects: 8, schedule: "weekly on Mon at 03:00", size: 3 MiB }
      - { name: b, key: "k/{i}", objects: 3, schedule: "daily at 05:00", size: 1 MiB, storageClass: STANDARD_IA }
    """,
    "mixed": """
    start: 2027-01-01
    duration: 6 months
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: tier, Status: Enabled, Filter: { Prefix: "x/" }, Transitions: [{ Days: 30, StorageClass: STANDARD_IA }, { Days: 90, StorageClass: GLACIER }], Expiration: { Days: 120 } }
          - { ID: nc, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 20 } }
          - { ID: dm, Status: Enabled, Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } }
    uploads:
      - { name: w, key: "x/{run}/{i}", objects: 4, schedule: "weekly on Sun at 03:00", size: 2 MiB }
      - { name: m, key: "x/monthly", schedule: "monthly on 1 at 04:00", size: 50 MiB }
    """,
    // Keys that share no history (one job each, at its own minute), two noncurrent rules that
    // overlap on one prefix, a lock that holds some expirations past their rule's day, and
    // schedules other than daily: the night's expirations are removed without a look at the
    // whole stack, and the known earliest due time must stay a bound.
    "unshared": """
    start: 2027-01-01
    duration: 70 days
    bucket:
      versioning: Enabled
      objectLock: { mode: GOVERNANCE, days: 4 }
      lifecycle:
        Rules:
          - { ID: keep-3, Status: Enabled, Filter: { Prefix: "hosts/" }, NoncurrentVersionExpiration: { NoncurrentDays: 3 } }
          - { ID: keep-1, Status: Enabled, Filter: { Prefix: "hosts/1" }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }
    uploads:
      - { name: h0, key: "hosts/0/backup.tar", schedule: "daily at 00:00", size: 1 GiB }
      - { name: h1, key: "hosts/1/backup.tar", schedule: "daily at 00:01", size: 1 GiB }
      - { name: h2, key: "hosts/2/backup.tar", schedule: "daily at 23:59", size: 1 GiB }
      - { name: h3, key: "hosts/3/backup.tar", schedule: "weekly on Tue at 12:00", size: 1 GiB }
      - { name: h4, key: "hosts/4/backup.tar", schedule: "cron 0 */6 * * *", size: 1 GiB }
      - { name: h5, key: "hosts/5/backup.tar", schedule: "monthly on 3 at 02:00", size: 1 GiB }
    """,
    // One key overwritten every two minutes (log shipping): thousands of versions on one stack, a
    // night's expirations a run of 720 of them.
    "logShipping": """
    start: 2027-01-01
    duration: 4 days
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: keep-1, Status: Enabled, Filter: { Prefix: "wal/" }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }
    uploads:
      - { name: wal, key: "wal/current", schedule: "*/2 * * * *", size: 16 MiB }
    """,
  ]
}

/// New keys are grouped by the rules whose prefixes they match, compared as bytes.
@Suite struct NewGroupPartitionTests {
  let rules = [
    LifecycleRule(id: "all", filter: .init(prefix: "")),
    LifecycleRule(id: "db", filter: .init(prefix: "db/")),
    LifecycleRule(id: "db1", filter: .init(prefix: "db/1")),
    LifecycleRule(id: "off", enabled: false, filter: .init(prefix: "db/")),
    LifecycleRule(id: "logs", filter: .init(prefix: "logs/")),
  ]

  func partition(_ pattern: String, _ indices: [Range<Int>], rules: [LifecycleRule]? = nil) -> [([Range<Int>], [Int])] {
    Simulation.newGroupPartition(
      pattern: pattern, indices: indices, sizes: .uniform(1), rules: rules ?? self.rules, structuralCuts: [], options: SimulationOptions())
  }

  @Test func prefixesBeforeTheIndexApplyToEveryKey() {
    let p = partition("db/x{i}", [0..<20])
    #expect(p.count == 1 && p[0].0 == [0..<20] && p[0].1 == [0, 1])
  }

  @Test func longerPrefixesSplitTheKeysTheyMatch() {
    // db/1, db/10 … db/19 match "db/1" (one group); the others do not (another).
    let p = partition("db/{i}", [0..<20])
    #expect(p.map(\.0) == [[0..<1, 2..<10], [1..<2, 10..<20]])
    #expect(p.map(\.1) == [[0, 1], [0, 1, 2]])
  }

  @Test func aKeyWithoutIndexMatchesWholePrefixes() {
    #expect(partition("db/1.sql", [0..<1]).map(\.1) == [[0, 1, 2]])
    #expect(partition("logs", [0..<1]).map(\.1) == [[0]])
  }

  /// S3 compares bytes: "cafe" + U+0301 starts with "cafe", and does not start with "café" (U+00E9).
  @Test func prefixesAreComparedAsBytes() {
    let rules = [LifecycleRule(id: "plain", filter: .init(prefix: "cafe")), LifecycleRule(id: "accent", filter: .init(prefix: "caf\u{E9}"))]
    #expect(partition("cafe\u{301}/{i}", [0..<3], rules: rules).map(\.1) == [[0]])
    #expect(partition("caf\u{E9}/{i}", [0..<3], rules: rules).map(\.1) == [[1]])
    #expect(rules[0].filter.matchesKey("cafe\u{301}/dump") && !rules[1].filter.matchesKey("cafe\u{301}/dump"))
  }
}
