import BackupSimModel
import Foundation

/// INTELLIGENT_TIERING objects that entered the class at the same instant with the same schedule (§3.2).
///
/// Backups are never read, so an object's access tier follows from how long ago it entered the class:
/// a cohort's bytes move from tier to tier together, and the ledger splits their byte-seconds by tier as
/// time passes, without an event per move.
struct Cohort: Hashable, Sendable {
  var entered: SimTime
  var schedule: AccessSchedule
}

/// What a cohort holds.
struct CohortStock: Sendable {
  /// Bytes of objects of 128 KiB or more: monitored, and moved through the tiers.
  var monitoredBytes: Int64 = 0
  var monitoredObjects: Int64 = 0
  /// Bytes of smaller objects: never monitored, always billed at Frequent Access.
  var unmonitoredBytes: Int64 = 0
  var isEmpty: Bool { monitoredBytes == 0 && monitoredObjects == 0 && unmonitoredBytes == 0 }
}

extension CostLedger {
  /// Adds (sign 1) or removes (sign -1) INTELLIGENT_TIERING objects of the given sizes to the cohort of `entered`.
  mutating func addIntelligentTiering(entered: SimTime, schedule: AccessSchedule, sizes: [Int64], sign: Int64) {
    var stock = CohortStock()
    for size in sizes {
      if size >= AccessTier.minimumMonitoredSize {
        stock.monitoredBytes += size
        stock.monitoredObjects += 1
      } else {
        stock.unmonitoredBytes += size
      }
    }
    addIntelligentTiering(entered: entered, schedule: schedule, stock, sign: sign)
  }

  /// The same for `count` objects of one `size`.
  mutating func addIntelligentTiering(entered: SimTime, schedule: AccessSchedule, size: Int64, count: Int, sign: Int64) {
    var stock = CohortStock()
    if size >= AccessTier.minimumMonitoredSize {
      stock.monitoredBytes = size * Int64(count)
      stock.monitoredObjects = Int64(count)
    } else {
      stock.unmonitoredBytes = size * Int64(count)
    }
    addIntelligentTiering(entered: entered, schedule: schedule, stock, sign: sign)
  }

  private mutating func addIntelligentTiering(entered: SimTime, schedule: AccessSchedule, _ d: CohortStock, sign: Int64) {
    let key = Cohort(entered: entered, schedule: schedule)
    var s = cohorts[key] ?? CohortStock()
    s.monitoredBytes += sign * d.monitoredBytes
    s.monitoredObjects += sign * d.monitoredObjects
    s.unmonitoredBytes += sign * d.unmonitoredBytes
    precondition(s.monitoredBytes >= 0 && s.monitoredObjects >= 0 && s.unmonitoredBytes >= 0, "negative Intelligent-Tiering stock")
    cohorts[key] = s.isEmpty ? nil : s
  }

  /// INTELLIGENT_TIERING bytes by access tier at `t` (index: `AccessTier.index`).
  func accessTierBytes(at t: SimTime) -> [Int64] {
    var out = [Int64](repeating: 0, count: AccessTier.allCases.count)
    for (cohort, stock) in cohorts {
      out[AccessTier.frequent.index] += stock.unmonitoredBytes
      out[cohort.schedule.tier(after: t - cohort.entered).index] += stock.monitoredBytes
    }
    return out
  }

  /// Splits [from, to) of every cohort by access tier into the current month (`to` is inside it).
  mutating func accrueAccessTiers(from: SimTime, to: SimTime) {
    let m = metered.count - 1
    for (cohort, stock) in cohorts {
      let fa = AccessTier.frequent.index
      metered[m].accessTierByteSeconds[fa] += Int128(stock.unmonitoredBytes) * Int128(to - from)
      metered[m].monitoredObjectSeconds += Int128(stock.monitoredObjects) * Int128(to - from)
      guard stock.monitoredBytes != 0 else { continue }
      let steps = cohort.schedule.steps
      for (k, step) in steps.enumerated() {
        let start = max(from, cohort.entered + step.from)
        let end = min(to, k + 1 < steps.count ? cohort.entered + steps[k + 1].from : to)
        guard end > start else { continue }
        metered[m].accessTierByteSeconds[step.tier.index] += Int128(stock.monitoredBytes) * Int128(end - start)
      }
    }
  }
}

extension MonthUsage {
  /// INTELLIGENT_TIERING's storage cost: Frequent Access in the class's bands, the other tiers at their prices,
  /// plus the monitoring fee per 1,000 monitored objects per month (object-months counted like byte-hours, U).
  func pricedAccessTiers(_ prices: PriceTable, into cost: inout MonthCost) -> Money {
    guard let it = prices.intelligentTiering ?? PriceTable.usEast1.intelligentTiering else { preconditionFailure("no tier prices") }
    var total = Money.zero
    for tier in AccessTier.allCases where accessTierByteSeconds[tier.index] != 0 {
      let gbm = gbMonths(accessTierByteSeconds[tier.index])
      let price: Decimal
      switch tier {
      case .frequent:
        let s = Money(prices[.intelligentTiering].storageCost(gbMonths: gbm))
        cost.accessTierGBMonths[tier] = gbm
        cost.accessTierStorage[tier] = s
        total += s
        continue
      case .infrequent: price = it.infrequentAccess
      case .archiveInstant: price = it.archiveInstantAccess
      case .archive: price = it.archiveAccess
      case .deepArchive: price = it.deepArchiveAccess
      }
      cost.accessTierGBMonths[tier] = gbm
      cost.accessTierStorage[tier] = Money(gbm * price)
      total += Money(gbm * price)
    }
    if monitoredObjectSeconds != 0 {
      let objectMonths = Decimal(exactly: monitoredObjectSeconds) / (Decimal(SimTime.secondsPerDay) * Decimal(days))
      cost.monitoredObjectMonths = objectMonths
      cost.monitoring = Money(objectMonths * it.monitoringPerThousandObjects / 1000)
      total += cost.monitoring
    }
    return total
  }
}
