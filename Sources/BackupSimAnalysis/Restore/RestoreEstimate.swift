import BackupSimEngine
import BackupSimModel
import Foundation

/// What a full restore of one restore point needs.
public struct RestoreEstimate: Sendable, Equatable {
  public struct Tier: Sendable, Equatable {
    /// The documented upper bound for the slowest class involved.
    public var hours: Decimal
    public var retrievalCost: Money
    public var requestCost: Money
    public var cost: Money { retrievalCost + requestCost }
  }

  /// "newest", "oldest", or the instant asked for with `--restore-at`.
  public var label: String
  public var point: Int
  public var job: String
  public var writtenAt: SimTime
  /// Objects and bytes to read back, including the point it depends on.
  public var objects: Int
  public var bytes: Int64
  public var byClass: [StorageClass: PointComposition.Part]
  public var tiers: [RetrievalTier: Tier]

  /// Prices a restore of everything in `parts`.
  ///
  /// Archive classes (GLACIER, DEEP_ARCHIVE) need a restore request per object and a retrieval fee per GB at the chosen
  /// tier, then a GET per object to read the restored copy; Expedited exists only for GLACIER and objects under
  /// 250 MB. The other classes are read at once: a GET per object plus their retrieval fee per GB (STANDARD_IA,
  /// ONEZONE_IA, GLACIER_IR). Every GET is at the class's GET price. GB = 2^30 bytes. Data transfer out of AWS is not
  /// included (the reports say so). Example: 15,000,000 objects (100 TB) from GLACIER, Standard:
  /// 15,000 × $0.05 (restore requests) + 15,000 × $0.0004 (GETs) + 102,400 GB × $0.01 = $1,780.
  ///
  /// INTELLIGENT_TIERING objects in its Archive Access or Deep Archive Access tier (`archived`) need a restore too:
  /// Standard and Bulk restores from those tiers are free, Expedited (Archive Access only) is charged per GB and per
  /// request; the times are GLACIER's and DEEP_ARCHIVE's (docs/s3-rules.md §3.2).
  public static func tiers(
    for parts: [StorageClass: PointComposition.Part], prices: PriceTable, archived: [AccessTier: PointComposition.Part] = [:]
  ) -> [RetrievalTier: Tier] {
    let archive = parts.keys.filter(\.isArchive)
    var available: Set<RetrievalTier> = archive.isEmpty && archived.isEmpty ? [.instant] : [.expedited, .standard, .bulk]
    if archived[.deepArchive] != nil { available.remove(.expedited) }
    for c in archive {
      available.formIntersection(prices[c].retrieval.keys)
      if c == .glacier, let part = parts[c], part.largestObject >= 250 * 1_048_576 { available.remove(.expedited) }
    }
    let gib = Decimal(1 << 30)
    var out: [RetrievalTier: Tier] = [:]
    for tier in available {
      var t = Tier(hours: 0, retrievalCost: .zero, requestCost: .zero)
      for (c, part) in parts {
        let p = prices[c]
        let gb = Decimal(part.bytes) / gib
        if c.isArchive {
          guard let r = p.retrieval[tier] else { continue }
          t.hours = max(t.hours, r.hours)
          t.retrievalCost += Money(gb * r.perGB)
          t.requestCost += Money(Decimal(part.objects) * (r.perThousandRequests + p.getPerThousand) / 1000)
        } else {
          let r = p.retrieval[.instant]
          t.retrievalCost += Money(gb * (r?.perGB ?? 0))
          t.requestCost += Money(Decimal(part.objects) * p.getPerThousand / 1000)
        }
      }
      for (accessTier, part) in archived {
        // The GET that reads each object back is counted with the class above; here only the restore.
        let like: StorageClass = accessTier == .deepArchive ? .deepArchive : .glacier
        t.hours = max(t.hours, prices[like].retrieval[tier]?.hours ?? 0)
        if tier == .expedited, let e = prices.intelligentTiering?.expedited {
          t.retrievalCost += Money(Decimal(part.bytes) / gib * e.perGB)
          t.requestCost += Money(Decimal(part.objects) * e.perThousandRequests / 1000)
        }
      }
      out[tier] = t
    }
    return out
  }
}

extension RunResult {
  /// Restore estimates for the newest and the oldest point restorable at the end.
  public var restoreEstimates: [RestoreEstimate] { restoreEstimates(timeline: timeline) }

  /// The same, from a timeline already built for this run (a build reads every restore point).
  public func restoreEstimates(timeline tl: RestoreTimeline) -> [RestoreEstimate] {
    let s = tl.summary(at: end)
    var out: [RestoreEstimate] = []
    let restorable = restorePoints.indices.filter { tl.lostAt[$0] == nil }
    if let newest = restorable.last, s.newestRestorableAtEnd != nil {
      out.append(estimate(point: newest, label: "newest", composition: endComposition))
    }
    if let oldest = restorable.first, restorable.count > 1 {
      out.append(estimate(point: oldest, label: "oldest", composition: endComposition))
    }
    return out
  }

  /// Restore estimates at the snapshot instant (`--restore-at`): the newest and oldest point restorable then.
  public func restoreEstimates(at t: SimTime) -> [RestoreEstimate] {
    guard let snap = snapshot else { return [] }
    let tl = timeline
    let restorable = restorePoints.indices.filter { tl.isRestorable($0, at: t) }
    var out: [RestoreEstimate] = []
    if let n = restorable.last { out.append(estimate(point: n, label: "newest at \(t.iso8601)", composition: snap)) }
    if let o = restorable.first, restorable.count > 1 { out.append(estimate(point: o, label: "oldest at \(t.iso8601)", composition: snap)) }
    return out
  }

  func estimate(point i: Int, label: String, composition: PointCompositions) -> RestoreEstimate {
    var parts: [StorageClass: PointComposition.Part] = [:]
    var archived: [AccessTier: PointComposition.Part] = [:]
    var cur: Int? = i
    while let c = cur {
      let here = composition[c]
      for (t, part) in here?.archivedInIntelligentTiering ?? [:] {
        var acc = archived[t] ?? .init(objects: 0, bytes: 0, largestObject: 0)
        acc.objects += part.objects
        acc.bytes += part.bytes
        acc.largestObject = max(acc.largestObject, part.largestObject)
        archived[t] = acc
      }
      for (cls, part) in here?.byClass ?? [:] {
        var acc = parts[cls] ?? .init(objects: 0, bytes: 0, largestObject: 0)
        acc.objects += part.objects
        acc.bytes += part.bytes
        acc.largestObject = max(acc.largestObject, part.largestObject)
        parts[cls] = acc
      }
      cur = restorePoints[c].base
    }
    let p = restorePoints[i]
    return RestoreEstimate(
      label: label, point: i, job: jobNames[p.job], writtenAt: p.writtenAt,
      objects: parts.values.reduce(0) { $0 + $1.objects }, bytes: parts.values.reduce(0) { $0 + $1.bytes },
      byClass: parts, tiers: RestoreEstimate.tiers(for: parts, prices: prices, archived: archived))
  }
}
