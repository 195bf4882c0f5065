import Foundation
import BackupSimModel
import BackupSimEngine

/// A scenario's baseline run, its attack analysis and the requirement verdicts: what every report shows.
public struct Evaluation: Sendable {
  public var scenario: Scenario
  public var result: RunResult
  public var attack: AttackReport?
  public var mitigation: Mitigation?
  public var requirements: [RequirementResult]

  public var allRequirementsMet: Bool { requirements.allSatisfy(\.met) }
}

/// Runs the scenario, then every attack strategy, then checks the requirements.
/// `findMitigation` also re-runs variants of the scenario to find the cheapest change that stops the attack.
public func evaluate(_ scenario: Scenario, options: SimulationOptions = SimulationOptions(), findMitigation: Bool = true) -> Evaluation {
  let result = simulate(scenario, options: options)
  var requirements = result.checkRequirements(scenario.requirements)
  let attack = AttackAnalysis.run(scenario, baseline: result, checkInvariants: options.checkInvariants)
  if let attack, let detected = scenario.requirements.survivesAttackDetectedWithinSeconds {
    let failing = attack.strategies.filter { s in
      s.possible && (s.goodRestorePointsAtAttack == 0 || (s.lastGoodLostAt.map { $0 - attack.at <= detected } ?? false))
    }
    let worst = failing.min { ($0.lastGoodLostAt ?? attack.at) < ($1.lastGoodLostAt ?? attack.at) }
    requirements.append(
      RequirementResult(
        met: worst == nil, firstFailedOn: worst.map { ($0.lastGoodLostAt ?? attack.at).date },
        measure: .survivesAttack(
          detectedWithinSeconds: detected, worst: worst?.strategy, lastGoodLostAfterSeconds: worst?.lastGoodLostAt.map { $0 - attack.at })))
  }
  var mitigation: Mitigation?
  if findMitigation, let attack, !attack.survives {
    mitigation = Mitigation.find(for: scenario, baseline: result, attack: attack)
  }
  return Evaluation(scenario: scenario, result: result, attack: attack, mitigation: mitigation, requirements: requirements)
}
