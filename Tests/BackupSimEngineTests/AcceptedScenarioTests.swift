import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimTestSupport
import Foundation
import Testing

/// Whatever the loader accepts runs: random scenarios with values at the edges of what is accepted
/// (lifecycle days up to S3's 2^31 − 1, objects of 0 bytes to 48 TiB, steep growth, every class,
/// schedules that skip months) either get a located error or simulate to the end with the bucket's
/// totals consistent after every event.
///
/// A trap here stops the whole test process.
@Suite struct AcceptedScenarioTests {
  static func edgeScenario(seed: UInt64) -> String {
    var g = SeededGenerator(seed: seed &+ 0x5EED)
    func pick<T>(_ xs: [T]) -> T { xs[Int(g.next() % UInt64(xs.count))] }
    let days = pick([1, 2, 31, 60])
    let start = pick(["2027-01-01", "2027-02-28", "2028-02-29", "2030-12-31"])
    let versioning = pick(["Enabled", "Suspended", "Disabled"])
    let lock = versioning == "Enabled" ? pick(["", "objectLock: { mode: COMPLIANCE, days: \(pick([1, 36_500])) }"]) : ""
    let bigDays = pick([0, 1, 30, 2_147_483_647, 2_147_483_648])
    let newer = pick(["", ", NewerNoncurrentVersions: \(pick([1, 100, 101]))"])
    let transition = pick([
      "",
      "Transitions: [{ Days: \(pick([0, 30, 2_147_483_647])), StorageClass: \(pick(["GLACIER", "DEEP_ARCHIVE", "STANDARD_IA", "GLACIER_IR"])) }],",
      "NoncurrentVersionTransitions: [{ NoncurrentDays: \(pick([0, 1, 30])), StorageClass: GLACIER }],",
    ])
    let size = pick(["0 B", "1 B", "131071 B", "1 GiB", "5 TiB", "48 TiB", "{ lognormal: { median: 1 MiB, sigma: \(pick([0, 1, 3])) } }"])
    let growth = pick(["", "growth: 50% per month", "growth: 1000% per year", "growth: -99% per month"])
    let schedule = pick(["daily at 23:59", "monthly on 31 at 04:00", "cron */7 3 * * *", "weekly on Sun at 00:00", "hourly at :59"])
    let objects = pick([1, 2, 20])
    let key = pick(["k/x", "k/{i}", "k/{date}/{i}", "k/{datetime}-{run}/{i}"])
    let cls = pick(["STANDARD", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"])
    return """
      start: \(start)
      duration: \(days) days
      seed: \(seed)
      bucket:
        versioning: \(versioning)
        \(lock)
        lifecycle:
          Rules:
            - { ID: edge, Status: Enabled, Filter: { Prefix: "k/" }, \(transition) Expiration: { Days: \(max(1, bigDays)) }, NoncurrentVersionExpiration: { NoncurrentDays: \(max(1, bigDays))\(newer) } }
            - { ID: markers, Status: Enabled, Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } }
      uploads:
        - { name: a, key: "\(key)", objects: \(objects), schedule: "\(schedule)", size: \(size), storageClass: \(cls) \(growth.isEmpty ? "" : ", " + growth) }
      """
  }

  @Test(arguments: 0..<200)
  func acceptedScenariosRunToTheEnd(seed: UInt64) throws {
    let yaml = Self.edgeScenario(seed: seed)
    let scenario: Scenario
    do { scenario = try loadScenario(yaml) } catch let e as ScenarioErrors {
      // Refused: every error is located and on one line.
      #expect(e.errors.allSatisfy { $0.location != nil && !$0.description.contains("\n") }, "\(e)")
      return
    }
    var options = SimulationOptions()
    options.checkInvariants = true
    let r = simulate(scenario, options: options)
    #expect(r.totalCost >= .zero)
    #expect(r.months.allSatisfy { $0.total >= .zero })
    #expect(r.daily.allSatisfy { d in d.bytesByClass.allSatisfy { $0 >= 0 } && d.objectsByClass.allSatisfy { $0 >= 0 } })
    #expect(r.coverage.restorableAtEnd <= r.coverage.restorePointsCreated)
  }

  /// The generator reaches both sides of the line: most of its scenarios load, some are refused.
  @Test func edgesAreOnBothSidesOfWhatIsAccepted() {
    let accepted = (0..<200).filter { (try? loadScenario(Self.edgeScenario(seed: UInt64($0)))) != nil }.count
    #expect(accepted >= 40 && accepted <= 170, "\(accepted) of 200 accepted")
  }
}
