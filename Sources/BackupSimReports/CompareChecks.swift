import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// What `compare` fails on for CI: every scenario against the baseline (the first).
public struct CompareThresholds: Sendable, Equatable {
  /// Fail when a scenario's steady monthly cost is more than this many percent above the baseline's.
  public var maxCostIncreasePercent: Decimal?
  /// Fail when a scenario keeps fewer restorable restore points at the end, leaves a shorter attack
  /// window, or fails a requirement that the baseline meets.
  public var failOnProtectionLoss: Bool

  public init(maxCostIncreasePercent: Decimal? = nil, failOnProtectionLoss: Bool = false) {
    self.maxCostIncreasePercent = maxCostIncreasePercent
    self.failOnProtectionLoss = failOnProtectionLoss
  }

  public var isEmpty: Bool { maxCostIncreasePercent == nil && !failOnProtectionLoss }
}

/// One threshold a scenario crossed.
public struct CompareCheckFailure: Sendable, Equatable {
  public enum Check: String, Sendable {
    case costIncrease, restorableAtEnd, attackWindow, requirement
  }
  /// The scenario's label.
  public var scenario: String
  public var check: Check
  /// One sentence, naming both scenarios and both figures.
  public var message: String
}

extension CompareReport {
  /// The thresholds each scenario after the first crosses, in scenario order.
  public static func check(_ entries: [CompareEntry], _ t: CompareThresholds) -> [CompareCheckFailure] {
    guard let a = entries.first else { return [] }
    var out: [CompareCheckFailure] = []
    for b in entries.dropFirst() {
      func fail(_ c: CompareCheckFailure.Check, _ m: String) { out.append(CompareCheckFailure(scenario: b.label, check: c, message: m)) }
      if let limit = t.maxCostIncreasePercent {
        if let ma = a.result.lastFullMonth?.total, let mb = b.result.lastFullMonth?.total {
          let rise = mb.amount - ma.amount
          let costs = "\(mb.formatted()) vs \(ma.formatted()) per month"
          if ma.amount > 0 {
            let percent = rise / ma.amount * 100
            if percent > limit {
              fail(
                .costIncrease,
                "\(b.label) costs \(Format.decimal(percent, places: 1))% more per month than \(a.label) at steady state (\(costs)); the limit is \(Money.plain(limit))%."
              )
            }
          } else if rise > 0 {
            fail(.costIncrease, "\(b.label) costs more per month than \(a.label), which costs nothing at steady state (\(costs)).")
          }
        } else {
          // A gate that cannot be checked must not pass silently.
          let missing = a.result.lastFullMonth == nil ? a.label : b.label
          fail(.costIncrease, "\(missing) has no full calendar month, so the steady monthly cost of \(b.label) cannot be checked against \(a.label).")
        }
      }
      guard t.failOnProtectionLoss else { continue }
      let ra = a.result.coverage.restorableAtEnd, rb = b.result.coverage.restorableAtEnd
      if rb < ra {
        fail(.restorableAtEnd, "\(b.label) keeps \(rb) restorable restore points at the end, fewer than \(a.label)'s \(ra).")
      }
      // Only when both state an attack; no window (nil) means no strategy destroys every good backup.
      if a.attack != nil, b.attack != nil, let wb = b.attackWindowDays, a.attackWindowDays.map({ wb < $0 }) ?? true {
        let was = a.attackWindowDays.map { ", sooner than in \(a.label) (\(Format.days($0)))" } ?? "; in \(a.label) no attack destroys every backup"
        fail(.attackWindow, "In \(b.label) the last good backup is gone \(Format.days(wb)) after an attack\(was).")
      }
      for qa in a.requirements where qa.met {
        guard let qb = b.requirements.first(where: { $0.name == qa.name }), !qb.met else { continue }
        fail(.requirement, "\(b.label) \(qb.status == .notMet ? "fails" : "does not check") \(qa.name) (\(Verdict.status(qb))); \(a.label) meets it.")
      }
    }
    return out
  }

  /// compare.json's "checks": the thresholds asked for and what crossed them.
  static func checksValue(_ t: CompareThresholds, _ failures: [CompareCheckFailure]) -> JSONValue {
    var o: [String: JSONValue] = [
      "failOnProtectionLoss": .bool(t.failOnProtectionLoss),
      "passed": .bool(failures.isEmpty),
      "failures": .array(
        failures.map { .object(["scenario": .string($0.scenario), "check": .string($0.check.rawValue), "message": .string($0.message)]) }),
    ]
    if let p = t.maxCostIncreasePercent { o["maxCostIncreasePercent"] = .number(Money.plain(p)) }
    return .object(o)
  }
}
