import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

extension Verdict {
  /// What the copies buy, in one sentence: how long the last good backup survives with and without them, and the price.
  public static func replicationGain(_ g: ReplicationGain) -> String {
    let copy = g.copies.count == 1 ? "the copy in \(g.copies[0])" : "the copies in \(g.copies.joined(separator: ", "))"
    func life(_ lost: SimTime?) -> String {
      guard let lost, let at = g.attackAt else { return "to the end of the simulation" }
      return lost <= at ? "not at all" : Format.days(Decimal(lost - at) / 86_400)
    }
    var out = "With \(copy)"
    if g.attackAt == nil {
      out += ","
    } else if g.lastGoodLostAtWith == g.lastGoodLostAtWithout {
      out += " the last good backup after an attack survives no longer (\(life(g.lastGoodLostAtWith))),"
    } else {
      out += " the last good backup survives \(life(g.lastGoodLostAtWith)) after the attack instead of \(life(g.lastGoodLostAtWithout)),"
    }
    if let with = g.monthlyWith, let without = g.monthlyWithout, let month = g.month {
      out += " for \(Format.money(with - without)) more a month (\(month): \(Format.money(with)) instead of \(Format.money(without)))."
    } else {
      out += " for \(Format.money(g.totalWith - g.totalWithout)) more over the horizon."
    }
    return out
  }
}
