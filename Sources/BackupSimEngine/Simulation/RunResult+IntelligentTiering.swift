import BackupSimModel
import Foundation

extension RunResult {
  /// INTELLIGENT_TIERING by access tier over the horizon: storage cost and GB-months (part of the class's row).
  public var byAccessTier: [AccessTier: (storage: Money, gbMonths: Decimal)] {
    var out: [AccessTier: (storage: Money, gbMonths: Decimal)] = [:]
    for m in months {
      for (t, g) in m.accessTierGBMonths {
        let prev = out[t] ?? (.zero, 0)
        out[t] = (prev.storage + (m.accessTierStorage[t] ?? .zero), prev.gbMonths + g)
      }
    }
    return out
  }

  /// The Intelligent-Tiering monitoring and automation fee over the horizon, with the object-months it counts.
  public var monitoring: (objectMonths: Decimal, cost: Money) {
    months.reduce((0, .zero)) { ($0.0 + $1.monitoredObjectMonths, $0.1 + $1.monitoring) }
  }
}
