import BackupSimEngine
import BackupSimModel
import BackupSimTestSupport
import Testing

/// A run paused before the attack and finished once per strategy gives, byte for byte, what a run
/// with the attack scheduled from the start gives.
@Suite struct SimulationForkTests {
  /// Dated and fixed keys, a count rule, a transition and a lock-free bucket, so that every
  /// strategy has something to change.
  static let scenario = """
    start: 2027-01-01
    duration: 4 months
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: db, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 10, NewerNoncurrentVersions: 2 } }
          - { ID: files, Status: Enabled, Filter: { Prefix: "files/" }, Expiration: { Days: 60 }, Transitions: [{ Days: 30, StorageClass: GLACIER }] }
    uploads:
      - { name: db, key: "db/backup.sql.gz", schedule: "daily at 02:00", size: 1 GiB }
      - { name: files, key: "files/{date}/{i}", objects: 3, schedule: "weekly on sunday at 00:00", size: 200 MiB }
    """

  static func actions(at: SimTime) -> [AttackAction] {
    let yes: @Sendable (String) -> Bool = { _ in true }
    let bomb = AttackAction.CostBomb(storageClass: .standardIA, keyPrefix: "junk/", bytesPerSecond: 10 << 20, until: at + 3 * 86_400)
    return [
      AttackAction(strategy: .overwrite, at: at, mayPut: yes),
      AttackAction(strategy: .flood, at: at, mayPut: yes),
      AttackAction(strategy: .delete, at: at, mayDelete: yes),
      AttackAction(strategy: .deleteVersions, at: at, mayDeleteVersions: yes),
      AttackAction(strategy: .tamperLifecycle, at: at),
      AttackAction(strategy: .suspendVersioning, at: at, mayPut: yes),
      AttackAction(strategy: .costBomb, at: at, mayPut: yes, costBomb: bomb),
    ]
  }

  /// At 00:00 the attack follows that midnight's lifecycle run and precedes the weekly upload due
  /// at the same instant (2027-02-14 is a Sunday); at 02:00 it precedes the nightly upload.
  @Test(arguments: ["2027-02-14T00:00:00Z", "2027-02-16T02:00:00Z", "2027-03-03T13:30:00Z"])
  func forkedRunsEqualWholeRuns(at time: String) throws {
    let scenario = try loadScenario(Self.scenario)
    let at = t(time)
    var checked = SimulationOptions()
    checked.checkInvariants = true
    let fork = SimulationFork(scenario, options: checked, pausedBefore: at)
    let plain = simulate(scenario, options: checked)
    expectSame(fork.finish(attack: nil), plain)
    for action in Self.actions(at: at) {
      var options = checked
      options.attack = action
      let whole = simulate(scenario, options: options)
      let forked = fork.finish(attack: action)
      expectSame(forked, whole, "\(action.strategy) at \(time)")
      // The attack changed something, so the comparison above could have failed.
      #expect(whole.totalCost != plain.totalCost || whole.restorePoints != plain.restorePoints, "\(action.strategy)")
    }
  }

  func expectSame(_ a: RunResult, _ b: RunResult, _ label: String = "no attack") {
    #expect(a.months == b.months, "\(label): monthly costs")
    #expect(a.restorePoints == b.restorePoints, "\(label): restore points")
    #expect(a.daily == b.daily, "\(label): daily samples")
    #expect(a.endBytesByClass == b.endBytesByClass && a.endObjectsByClass == b.endObjectsByClass, "\(label): end state")
    #expect(
      a.currentVersions == b.currentVersions && a.noncurrentVersions == b.noncurrentVersions && a.deleteMarkers == b.deleteMarkers,
      "\(label): version counts")
  }
}
