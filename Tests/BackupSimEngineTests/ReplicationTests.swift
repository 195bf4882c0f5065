import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimEngine
@testable import BackupSimModel

/// S3 Replication to a second bucket in another region and account (docs/s3-rules.md §10).
@Suite struct ReplicationTests {
  /// One week, one 1 GiB key overwritten nightly, copied to eu-west-1 in STANDARD_IA with RTC.
  static func week(sourceNoncurrentDays: Int = 1, deleteMarkers: String = "Disabled", destinationRegion: String = "eu-west-1") -> String {
    """
    start: 2027-01-01
    duration: 7 days
    buckets:
      - name: src-backups
        region: us-east-1
        account: "111122223333"
        versioning: Enabled
        lifecycle:
          Rules:
            - { ID: nc, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: \(sourceNoncurrentDays) } }
        replication:
          Role: arn:aws:iam::111122223333:role/replication
          Rules:
            - ID: copy
              Priority: 1
              Status: Enabled
              Filter: { Prefix: "db/" }
              DeleteMarkerReplication: { Status: \(deleteMarkers) }
              Destination:
                Bucket: arn:aws:s3:::dst-copy
                Account: "444455556666"
                StorageClass: STANDARD_IA
                ReplicationTime: { Status: Enabled, Time: { Minutes: 15 } }
                Metrics: { Status: Enabled, EventThreshold: { Minutes: 15 } }
      - name: dst-copy
        region: \(destinationRegion)
        account: "444455556666"
        versioning: Enabled
        lifecycle:
          Rules:
            - { ID: nc2, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 2 } }
    uploads:
      - name: db
        key: db/backup.sql.gz
        schedule: daily at 02:00
        size: 1 GiB
    """
  }

  static let attackAt = SimTime(year: 2027, month: 1, day: 4) + 12 * 3600

  static func overwrite() -> SimulationOptions {
    var o = SimulationOptions(attack: AttackAction(strategy: .overwrite, at: attackAt, mayPut: { _ in true }))
    o.checkInvariants = true
    return o
  }

  /// Runs v1..v7 at 02:00 on Jan 1..7 and the attacker's A at Jan 4 12:00, each 1 GiB (130 PUT requests:
  /// 128 parts of 8 MiB + create + complete).
  ///
  /// Source (NoncurrentDays 1, due at the first 00:00 strictly after noncurrent + 1 day):
  /// v1 noncurrent Jan 2 02:00 → gone Jan 4 00:00 (70 h); v2 → Jan 5 (70 h); v3 → Jan 6 (70 h);
  /// v4 noncurrent at A (Jan 4 12:00) → Jan 6 (46 h); A noncurrent Jan 5 02:00 → Jan 7 (60 h);
  /// v5 → Jan 8 = end (70 h); v6 46 h; v7 22 h. 454 GiB-hours / (24 × 31) = 0.61021505… GB-months
  /// × $0.023 = $0.014034946236559139…; 8 × 130 PUTs × $0.005/1000 = $0.0052; transfer 8 GiB × $0.02
  /// = $0.16; RTC 8 GiB × $0.015 = $0.12. Source: $0.299234946236559139….
  ///
  /// Destination (STANDARD_IA, NoncurrentDays 2): v1 → Jan 5 (94 h), v2 → Jan 6 (94 h), v3 → Jan 7
  /// (94 h), v4 noncurrent Jan 4 12:00 → Jan 7 (70 h), A 84 h, v5 70 h, v6 46 h, v7 22 h: 574 GiB-hours
  /// / 744 × $0.0125 = $0.009643817204301075…; early deletion (30 days = 720 h): v1–v3 626 h each,
  /// v4 650 h = 2528 GiB-hours / 744 × $0.0125 = $0.042473118279569892…; 1040 PUTs × $0.01/1000 =
  /// $0.0104. Destination: $0.062516935483870967….
  @Test func oneWeekOverwriteTwoRegions() throws {
    let r = try run(Self.week(), options: Self.overwrite())
    #expect(r.buckets.count == 2)
    let src = r.buckets[0], dst = r.buckets[1]
    #expect(src.name == "src-backups" && src.isSource && dst.name == "dst-copy" && dst.crossRegion)
    #expect(close(src.months[0].storage.amount, dec("454") / 744 * dec("0.023")))
    #expect(src.months[0].requests == money("0.0052"))
    #expect(src.months[0].dataTransfer == money("0.16"))
    #expect(src.months[0].replicationTimeControl == money("0.12"))
    #expect(close(src.totalCost.amount, dec("454") / 744 * dec("0.023") + dec("0.2852")))
    #expect(close(dst.months[0].storage.amount, dec("574") / 744 * dec("0.0125")))
    #expect(close(dst.months[0].earlyDeletion.amount, dec("2528") / 744 * dec("0.0125")))
    #expect(dst.months[0].requests == money("0.0104"))
    #expect(dst.months[0].dataTransfer == .zero)
    #expect(dst.replicatedVersions == 8 && dst.replicatedBytes == 8 << 30)
    #expect(close(r.totalCost.amount, src.totalCost.amount + dst.totalCost.amount))
    // Surviving at the end: source v5, v6 noncurrent and v7 current; destination A, v5, v6 and v7.
    #expect(src.currentVersions == 1 && src.noncurrentVersions == 2)
    #expect(dst.currentVersions == 1 && dst.noncurrentVersions == 3)
    #expect(dst.endBytesByClass == [.standardIA: 4 << 30] && src.endBytesByClass == [.standard: 3 << 30])
    #expect(r.endBytesByClass == [.standard: 3 << 30, .standardIA: 4 << 30])
    // A point is lost when its last copy goes: run 1 at Jan 5 (the copy's v1), run 2 at Jan 6, and
    // runs 3–4 at Jan 7, where the source alone would have lost run 4 at Jan 6.
    let jan = { (d: Int) in SimTime(year: 2027, month: 1, day: d) }
    #expect(src.restorePoints[3].lostAt == jan(6) && dst.restorePoints[3].lostAt == jan(7))
    #expect(r.restorePoints.map(\.lostAt) == [jan(5), jan(6), jan(7), jan(7), nil, nil, nil])
    #expect(r.restorePoints[3].coldest.map(\.storageClass) == [.standard, .standardIA])
  }

  /// A copy in eu-central-1 is billed at eu-central-1's prices (STANDARD_IA $0.0135 per GB-month,
  /// built-in table), the source at us-east-1's: the same 574 and 2,528 GiB-hours as the week above.
  @Test func copyPricedByItsRegion() throws {
    let r = try run(Self.week(destinationRegion: "eu-central-1"), options: Self.overwrite())
    let src = r.buckets[0], dst = r.buckets[1]
    #expect(close(dst.months[0].storage.amount, dec("574") / 744 * dec("0.0135")))
    #expect(close(dst.months[0].earlyDeletion.amount, dec("2528") / 744 * dec("0.0135")))
    #expect(close(src.months[0].storage.amount, dec("454") / 744 * dec("0.023")))
    #expect(src.months[0].dataTransfer == money("0.16"))
    let scenario = try loadScenario(Self.week(destinationRegion: "eu-central-1"))
    #expect(scenario.prices.notes.contains("Bucket dst-copy is priced with the built-in eu-central-1 table (2024-09-25)."))
  }

  /// Same region: no transfer charge; the RTC charge stays.
  @Test func sameRegionHasNoTransfer() throws {
    let r = try run(Self.week(destinationRegion: "us-east-1"), options: Self.overwrite())
    #expect(r.buckets[0].months[0].dataTransfer == .zero)
    #expect(r.buckets[0].months[0].replicationTimeControl == money("0.12"))
    #expect(!r.buckets[1].crossRegion)
  }

  /// A DeleteObject's marker reaches the copy only with DeleteMarkerReplication Enabled; deleting
  /// versions never does.
  @Test(arguments: [("Disabled", 0), ("Enabled", 1)])
  func deleteMarkersFollowTheRule(_ setting: String, markers: Int) throws {
    let delete = AttackAction(strategy: .delete, at: Self.attackAt, mayDelete: { _ in true })
    let r = try run(Self.week(deleteMarkers: setting), options: SimulationOptions(attack: delete))
    #expect(r.buckets[0].deleteMarkers == 0)  // the job's next PUT made the marker noncurrent; NoncurrentDays 1 removed it
    #expect(r.buckets[1].deleteMarkers == markers)
    let wipe = AttackAction(strategy: .deleteVersions, at: Self.attackAt, mayDeleteVersions: { _ in true })
    let w = try run(Self.week(deleteMarkers: setting), options: SimulationOptions(attack: wipe))
    // The source lost runs 2–4 at the attack; the copy keeps them until its own lifecycle removes them:
    // v3 noncurrent Jan 4 02:00 → Jan 7 00:00; v4, noncurrent at v5 (Jan 5 02:00), is due Jan 8 = the end.
    #expect(w.buckets[0].restorePoints[3].lostAt == Self.attackAt)
    #expect(w.buckets[1].restorePoints[2].lostAt == SimTime(year: 2027, month: 1, day: 7))
    #expect(w.buckets[1].restorePoints[3].lostAt == nil && w.restorePoints[3].lostAt == nil)
  }
}
