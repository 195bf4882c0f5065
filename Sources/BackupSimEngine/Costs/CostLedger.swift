import BackupSimModel
import Foundation

/// Usage metered in one calendar month, before prices are applied.
struct MonthUsage: Sendable {
  var start: SimTime
  var end: SimTime
  var days: Int
  /// Billed byte-seconds per class (index: `StorageClass.index`).
  var byteSeconds = PerClass<Int128>()
  var putRequests = PerClass<Int64>()
  var transitionRequests = PerClass<Int64>()
  /// Remaining byte-seconds charged for leaving a class before its minimum duration.
  var earlyDeletionByteSeconds = PerClass<Int128>()
  var retrieval = Money.zero
  /// INTELLIGENT_TIERING byte-seconds by access tier (index: `AccessTier.index`); they add up to the class's.
  var accessTierByteSeconds = [Int128](repeating: 0, count: AccessTier.allCases.count)
  /// Object-seconds of monitored INTELLIGENT_TIERING objects (128 KiB and larger), for the monitoring fee.
  var monitoredObjectSeconds: Int128 = 0
}

/// Meters storage, requests and early deletions as the simulation runs (docs/s3-rules.md §3.3).
///
/// Storage is the integral of billed bytes over time, kept exactly as `Int128` byte-seconds and
/// split at calendar-month boundaries; prices are applied per month when results are read.
///
/// The open month's byte-seconds are kept as if today's rate held to the month's end: a change of
/// rate adds its difference times the seconds left, and the clock moves without arithmetic (it
/// moves on every event; the rate changes about twice per version). `months` takes off what has
/// not yet been stored, so it reads the integral up to the clock, the same integers.
struct CostLedger: Sendable {
  static let gib: Int64 = 1 << 30

  /// The months so far, the open one's byte-seconds up to the clock.
  var months: [MonthUsage] {
    var out = metered
    let m = out.count - 1
    let left = Int128(openEnd - clock)
    for c in billedBytes.indices { out[m].byteSeconds[c] = openByteSeconds[c] - Int128(billedBytes[c]) * left }
    return out
  }
  /// The months; the open one's byte-seconds are in `openByteSeconds` until the next opens.
  var metered: [MonthUsage] = []
  /// The open month's byte-seconds, counted to its end at the present rate.
  private var openByteSeconds = PerClass<Int128>()
  /// The open month's end (the first instant of the next).
  private var openEnd: SimTime
  /// Billed bytes per class right now (the rate at which byte-seconds accrue).
  private(set) var billedBytes = PerClass<Int64>()
  private(set) var clock: SimTime
  /// INTELLIGENT_TIERING objects by when they entered the class and their tier schedule.
  var cohorts: [Cohort: CohortStock] = [:]

  init(start: SimTime) {
    clock = start
    let first = Self.month(containing: start)
    metered.append(first)
    openEnd = first.end
  }

  private static func month(containing t: SimTime) -> MonthUsage {
    let s = t.startOfMonth, e = t.startOfNextMonth
    return MonthUsage(start: s, end: e, days: Int((e - s) / SimTime.secondsPerDay))
  }

  /// Accrues storage up to `t`, opening new months as their boundaries pass.
  mutating func advance(to t: SimTime) {
    precondition(t >= clock, "ledger time went backwards")
    if cohorts.isEmpty && t < openEnd {
      clock = t  // the open month already counts the present rate to its end
      return
    }
    while t > clock {
      let stop = min(t, openEnd)
      if stop > clock && !cohorts.isEmpty { accrueAccessTiers(from: clock, to: stop) }
      clock = stop
      if clock == openEnd && t > clock { openMonth() }
    }
  }

  /// Closes the open month (its count to the end is now what was used) and opens the one that
  /// starts at the clock, counting the present rate to its end.
  private mutating func openMonth() {
    metered[metered.count - 1].byteSeconds = openByteSeconds
    let next = Self.month(containing: clock)
    let length = Int128(next.end - next.start)
    for c in billedBytes.indices { openByteSeconds[c] = Int128(billedBytes[c]) * length }
    metered.append(next)
    openEnd = next.end
  }

  /// Makes sure the month containing `clock` is open (after an advance that ended on a boundary).
  private mutating func currentMonthIndex() -> Int {
    if clock >= openEnd { openMonth() }
    return metered.count - 1
  }

  mutating func addBilled(_ c: StorageClass, _ bytes: Int64) {
    if clock >= openEnd { openMonth() }
    billedBytes[c.index] += bytes
    precondition(billedBytes[c.index] >= 0, "negative billed bytes")
    openByteSeconds[c.index] += Int128(bytes) * Int128(openEnd - clock)
  }

  mutating func countPuts(_ c: StorageClass, _ n: Int64) {
    let m = currentMonthIndex()
    metered[m].putRequests[c.index] += n
  }

  mutating func countTransitions(into c: StorageClass, _ n: Int64) {
    let m = currentMonthIndex()
    metered[m].transitionRequests[c.index] += n
  }

  mutating func chargeEarlyDeletion(_ c: StorageClass, byteSeconds: Int128) {
    let m = currentMonthIndex()
    metered[m].earlyDeletionByteSeconds[c.index] += byteSeconds
  }

  mutating func chargeRetrieval(_ amount: Money) {
    let m = currentMonthIndex()
    metered[m].retrieval += amount
  }

  /// Bytes billed for `count` objects of `totalBytes` (with `padBytes` of minimum-size padding) in class `c`,
  /// split into what `c` bills and what STANDARD bills for archive metadata (docs/s3-rules.md §3.3).
  static func billed(_ c: StorageClass, count: Int, totalBytes: Int64, padBytes: Int64) -> (inClass: Int64, standardOverhead: Int64) {
    if c.hasMinimumBillableSize { return (totalBytes + padBytes, 0) }
    if c.isArchive {
      let n = Int64(count)
      return (totalBytes + StorageClass.archiveOverheadInClass * n, StorageClass.archiveOverheadAtStandard * n)
    }
    return (totalBytes, 0)
  }
}

/// A month's bill, priced.
public struct MonthCost: Sendable, Equatable {
  /// 00:00 UTC on the month's first day.
  public var start: SimTime
  /// The calendar month, as "2027-01".
  public var month: String { start.date.yearMonth }
  public var storage: Money
  public var requests: Money
  public var transitions: Money
  public var earlyDeletion: Money
  public var retrieval: Money
  public var gbMonths: [StorageClass: Decimal]
  public var storageByClass: [StorageClass: Money]
  /// S3 Replication: inter-region transfer of replicated bytes, and Replication Time Control (docs/s3-rules.md §10.3).
  public var dataTransfer: Money = .zero
  public var replicationTimeControl: Money = .zero
  public var total: Money { storage + requests + transitions + earlyDeletion + retrieval + dataTransfer + replicationTimeControl }
  /// INTELLIGENT_TIERING by access tier: GB-months and their storage cost (both inside `gbMonths` and
  /// `storageByClass` of the class).
  public var accessTierGBMonths: [AccessTier: Decimal] = [:]
  public var accessTierStorage: [AccessTier: Money] = [:]
  /// Monitored object-months and the monitoring and automation fee (inside `storage` and the class's storage).
  public var monitoredObjectMonths: Decimal = 0
  public var monitoring: Money = .zero
}

extension MonthUsage {
  /// GB-months of `byteSeconds` in this month: byte-seconds / 2^30 / (86,400 × days in the month).
  func gbMonths(_ byteSeconds: Int128) -> Decimal {
    Decimal(exactly: byteSeconds) / (Decimal(CostLedger.gib) * Decimal(SimTime.secondsPerDay) * Decimal(days))
  }

  func priced(_ prices: PriceTable) -> MonthCost {
    var cost = MonthCost(
      start: start, storage: .zero, requests: .zero, transitions: .zero, earlyDeletion: .zero,
      retrieval: retrieval, gbMonths: [:], storageByClass: [:])
    for c in StorageClass.allCases {
      let i = c.index, p = prices[c]
      if byteSeconds[i] != 0 {
        let gbm = gbMonths(byteSeconds[i])
        cost.gbMonths[c] = gbm
        let s = c == .intelligentTiering ? pricedAccessTiers(prices, into: &cost) : Money(p.storageCost(gbMonths: gbm))
        cost.storageByClass[c] = s
        cost.storage += s
      }
      if putRequests[i] != 0 { cost.requests += Money(Decimal(putRequests[i]) * p.putPerThousand / 1000) }
      if transitionRequests[i] != 0 {
        cost.transitions += Money(Decimal(transitionRequests[i]) * (p.transitionPerThousand ?? 0) / 1000)
      }
      if earlyDeletionByteSeconds[i] != 0 {
        cost.earlyDeletion += Money(gbMonths(earlyDeletionByteSeconds[i]) * p.basePrice)
      }
    }
    return cost
  }
}
