import BackupSimModel

extension Simulation {
  /// The access-tier schedule of a group's INTELLIGENT_TIERING versions with these tags (docs/s3-rules.md §3.2).
  ///
  /// Its keys share one schedule: the loader refuses a configuration whose Prefix would tell them apart.
  func accessSchedule(_ gid: Int, tags: [ObjectTag]) -> AccessSchedule {
    let g = bucket[gid]
    let key = bucket.key(pattern: g.pattern, index: g.indices.first?.lowerBound ?? 0)
    return AccessSchedule(scenario.bucket.intelligentTiering, key: key, tags: tags)
  }

  /// Adds or removes a part's objects in the ledger's Intelligent-Tiering cohorts.
  mutating func storeAccessTiers(_ part: SlotPart, sign: Int64) {
    let schedule = part.access ?? AccessSchedule()
    switch part.sizes {
    case .uniform(let size): ledger.addIntelligentTiering(entered: part.classSince, schedule: schedule, size: size, count: part.count, sign: sign)
    case .perKey(let sizes): ledger.addIntelligentTiering(entered: part.classSince, schedule: schedule, sizes: sizes, sign: sign)
    }
  }

  /// The part's objects that are in an archive access tier now (monitored objects whose schedule has reached one).
  func archivedAccessTiers(_ part: SlotPart) -> [AccessTier: PointComposition.Part] {
    let tier = (part.access ?? AccessSchedule()).tier(after: now - part.classSince)
    guard tier == .archive || tier == .deepArchive else { return [:] }
    var p = PointComposition.Part(objects: 0, bytes: 0, largestObject: 0)
    let sizes: [Int64]
    switch part.sizes {
    case .uniform(let size): sizes = [size]
    case .perKey(let a): sizes = a
    }
    for size in sizes where size >= AccessTier.minimumMonitoredSize {
      p.objects += 1
      p.bytes += size
      p.largestObject = max(p.largestObject, size)
    }
    if case .uniform(let size) = part.sizes, p.objects == 1 {
      p = .init(objects: part.count, bytes: size * Int64(part.count), largestObject: size)
    }
    return p.objects == 0 ? [:] : [tier: p]
  }
}
