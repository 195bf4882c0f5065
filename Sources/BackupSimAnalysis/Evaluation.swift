import BackupSimEngine
import BackupSimModel
import Foundation

/// A scenario's baseline run, its attack analysis and the requirement verdicts: what every report shows.
public struct Evaluation: Sendable {
  /// The scenario as stated (reports show its jobs as written).
  public var scenario: Scenario
  /// Jobs whose own writes are denied: the run gave them no restore point.
  ///
  /// Reports say so first.
  public var deniedJobs: [DeniedJob]
  public var result: RunResult
  public var attack: AttackReport?
  public var mitigation: Mitigation?
  public var requirements: [RequirementResult]
  /// With several buckets: the same scenario without the copies, for comparison.
  public var replicationGain: ReplicationGain?

  public var allRequirementsMet: Bool { requirements.allSatisfy(\.met) }
}

/// Runs the scenario, then every attack strategy, then checks the requirements.
///
/// `findMitigation` also re-runs variants of the scenario to find the cheapest change that stops the attack.
/// Jobs whose own writes their principal may not make are run without uploads (they back nothing up).
public func evaluate(_ stated: Scenario, options: SimulationOptions = SimulationOptions(), findMitigation: Bool = true) -> Evaluation {
  let denied = stated.deniedJobs()
  let scenario = stated.withoutDeniedJobs(denied)
  let result = simulate(scenario, options: options)
  var requirements = result.checkRequirements(scenario.requirements)
  let attack = AttackAnalysis.run(scenario, baseline: result, checkInvariants: options.checkInvariants)
  if let attack, let detected = scenario.requirements.survivesAttackDetectedWithinSeconds {
    let noGood = attack.strategies.first.map { $0.goodRestorePointsAtAttack == 0 } ?? false
    let failing = attack.strategies.filter { s in
      s.possible && (s.goodRestorePointsAtAttack == 0 || (s.lastGoodLostAt.map { $0 - attack.at <= detected } ?? false))
    }
    let worst = failing.min { ($0.lastGoodLostAt ?? attack.at) < ($1.lastGoodLostAt ?? attack.at) }
    // No good backup at the attack fails it whatever the attacker may do; a pass is only earned
    // when the horizon reaches the end of the detection window.
    let status: RequirementResult.Status =
      worst != nil || noGood ? .notMet : attack.at + detected > result.end ? .notChecked(horizonSeconds: result.end - result.start) : .met
    requirements.append(
      RequirementResult(
        status: status, firstFailedOn: status == .notMet ? (worst?.lastGoodLostAt ?? attack.at).date : nil,
        measure: .survivesAttack(
          detectedWithinSeconds: detected, worst: worst?.strategy, lastGoodLostAfterSeconds: worst?.lastGoodLostAt.map { $0 - attack.at })))
  }
  var mitigation: Mitigation?
  if findMitigation, let attack, !attack.survives, attack.hasGoodBackups {
    mitigation = Mitigation.find(for: scenario, baseline: result, attack: attack)
  }
  return Evaluation(
    scenario: stated, deniedJobs: denied, result: result, attack: attack, mitigation: mitigation, requirements: requirements,
    replicationGain: ReplicationGain.measure(scenario, result: result, attack: attack))
}
