import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Properties over seeded random scenarios: conservation, consistency, monotonic cost, and the
/// grouped model equal to the per-object one.
@Suite struct PropertyTests {
  /// A small random but valid scenario for `seed`.
  static func randomScenario(seed: UInt64) -> String {
    var g = SeededGenerator(seed: seed)
    func pick<T>(_ xs: [T]) -> T { xs[Int(g.next() % UInt64(xs.count))] }
    let versioning = pick(["Enabled", "Enabled", "Disabled", "Suspended"])
    let change =
      versioning == "Disabled"
      ? pick(["", "versioningChanges: [{ at: 2027-02-10, status: Enabled }]"])
      : pick(["", "versioningChanges: [{ at: 2027-02-10, status: Suspended }, { at: 2027-03-01, status: Enabled }]"])
    let lock = versioning == "Enabled" && change.isEmpty ? pick(["", "", "objectLock: { mode: GOVERNANCE, days: \(pick([5, 20, 45])) }"]) : ""
    let exp = pick([7, 15, 30, 60])
    let nc = pick([1, 10, 30])
    let newer = pick(["", ", NewerNoncurrentVersions: 2"])
    let transition = pick([
      "", "Transitions: [{ Days: 30, StorageClass: STANDARD_IA }, { Days: 60, StorageClass: GLACIER }],",
      "Transitions: [{ Days: 0, StorageClass: GLACIER_IR }],",
    ])
    let expiration = transition.contains("60") ? max(exp, 61) : exp
    let key = pick(["k/{i}", "k/{date}/{i}", "k/fixed-{i}", "k/{run}-{i}"])
    let size = pick(["300 KiB", "2 MiB", "{ lognormal: { median: 200 KiB, sigma: 0.7 } }", "100 KiB"])
    let schedule = pick(["daily at 02:00", "weekly on Mon,Thu at 23:30", "cron 0 */8 * * *", "daily at 00:00"])
    let cls = pick(["STANDARD", "STANDARD", "STANDARD_IA", "GLACIER"])
    return """
      start: 2027-01-01
      duration: 4 months
      seed: \(seed)
      bucket:
        versioning: \(versioning)
        \(change)
        \(lock)
        lifecycle:
          Rules:
            - { ID: main, Status: Enabled, Filter: { Prefix: "k/" }, \(transition) Expiration: { Days: \(expiration) }, NoncurrentVersionExpiration: { NoncurrentDays: \(nc)\(newer) } }
            - { ID: markers, Status: Enabled, Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } }
            - { ID: big, Status: Enabled, Filter: { ObjectSizeGreaterThan: 250000 }, NoncurrentVersionTransitions: [{ NoncurrentDays: 5, StorageClass: DEEP_ARCHIVE }] }
      uploads:
        - { name: a, key: "\(key)", objects: \(pick([1, 3, 7])), schedule: "\(schedule)", size: \(size), storageClass: \(cls) }
        - { name: b, key: "k/{i}", objects: 2, schedule: "weekly on Sun at 05:00", size: 1 MiB }
      """
  }

  @Test(arguments: 0..<40)
  func bytesAreConservedAndTotalsConsistent(seed: Int) throws {
    let yaml = Self.randomScenario(seed: UInt64(seed))
    var options = SimulationOptions()
    options.checkInvariants = true  // totals, billing rate and group shapes recounted after every event
    let r = try run(yaml, options: options)
    let uploaded = r.restorePoints.reduce(Int64(0)) { $0 + $1.bytes }
    let stored = r.endBytesByClass.values.reduce(0, +)
    #expect(uploaded == stored + r.bytesRemoved, "seed \(seed)")
    #expect(r.endObjectsByClass.values.reduce(0, +) == r.currentVersions + r.noncurrentVersions, "seed \(seed)")
    #expect(r.restorePoints.reduce(0) { $0 + $1.alive } == r.currentVersions + r.noncurrentVersions, "seed \(seed)")
    // Cost to date never goes down; the last sample equals the total.
    for (a, b) in zip(r.daily, r.daily.dropFirst()) { #expect(a.costToDate <= b.costToDate) }
    #expect(r.daily.last?.costToDate == r.totalCost)
    #expect(r.daily.count == 120)
  }

  /// The grouped engine, the per-object one and the day-by-day baseline (every version looked at
  /// every night, no wake-ups) agree on random scenarios: a wake-up computed too late shows here.
  @Test(arguments: 0..<25)
  func groupedEqualsPerObject(seed: Int) throws {
    let yaml = Self.randomScenario(seed: UInt64(seed))
    let grouped = try run(yaml)
    let single = try run(yaml, options: SimulationOptions(perObject: true))
    #expect(ResultJSON.render(grouped, requirements: []) == ResultJSON.render(single, requirements: []), "seed \(seed)")
    #expect(DailyCSV.render(grouped) == DailyCSV.render(single), "seed \(seed)")
    let daily = try run(yaml, options: SimulationOptions(dayByDay: true))
    #expect(ResultJSON.render(grouped, requirements: []) == ResultJSON.render(daily, requirements: []), "seed \(seed)")
  }

  /// Keeping noncurrent versions longer never makes the bill smaller (in STANDARD: in classes with a
  /// minimum duration, a short retention pays its early-deletion charge inside the horizon while a
  /// longer one still owes part of it at the end, so a fixed window can show the opposite).
  @Test(arguments: 0..<6)
  func costGrowsWithRetention(seed: Int) throws {
    var previous = Money.zero
    for days in [1, 5, 10, 20, 40, 80] {
      let yaml = """
        start: 2027-01-01
        duration: 5 months
        seed: \(seed)
        bucket:
          versioning: Enabled
          lifecycle: { Rules: [{ ID: nc, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: \(days) } }] }
        uploads:
          - { name: a, key: "f/{i}", objects: 5, schedule: "daily at 0\(seed % 10):00", size: { lognormal: { median: 3 MiB, sigma: 0.5 } }, storageClass: STANDARD }
        """
      let total = try run(yaml).totalCost
      #expect(total >= previous, "NoncurrentDays \(days)")
      previous = total
    }
  }

  /// Same scenario, same seed: the same bytes out.
  @Test func deterministic() throws {
    let yaml = Self.randomScenario(seed: 3)
    #expect(ResultJSON.render(try run(yaml), requirements: []) == ResultJSON.render(try run(yaml), requirements: []))
  }
}
