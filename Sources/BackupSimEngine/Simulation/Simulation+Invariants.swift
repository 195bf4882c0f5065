import BackupSimModel

/// Consistency checks run after every event when `SimulationOptions.checkInvariants` is set (tests).
extension Simulation {
  /// The running totals, the billing rate and the group shapes agree with a count from scratch.
  func checkInvariants() {
    var bytes = [Int64](repeating: 0, count: StorageClass.allCases.count)
    var objects = [Int](repeating: 0, count: StorageClass.allCases.count)
    var billed = [Int64](repeating: 0, count: StorageClass.allCases.count)
    var current = 0, noncurrent = 0, markers = 0
    var alive = [Int](repeating: 0, count: points.count)
    for (_, g) in bucket.liveGroups {
      precondition(g.count == RangeList.count(g.indices), "group count differs from its keys")
      precondition(!g.stack.isEmpty, "an empty group was kept")
      precondition(g.plan == .general || g.plan == RulePlan(rules: rules, indices: g.prefixRules), "a group's rule plan is stale")
      for (i, slot) in g.stack.enumerated() {
        if slot.isDeleteMarker {
          precondition(slot.parts.isEmpty, "a delete marker with data")
          markers += g.count
          continue
        }
        precondition(slot.parts.reduce(0) { $0 + $1.count } == g.count, "parts do not cover the group")
        if i == g.stack.count - 1 { current += g.count } else { noncurrent += g.count }
        if slot.origin >= 0 { alive[Int(slot.origin)] += g.count }
        for p in slot.parts {
          if case .perKey(let a) = p.sizes { precondition(a.count == p.count, "sizes do not match the part") }
          let c = p.storageClass.index
          bytes[c] += p.totalBytes
          objects[c] += p.count
          let b = CostLedger.billed(p.storageClass, count: p.count, totalBytes: p.totalBytes, padBytes: p.padBytes)
          billed[c] += b.inClass
          billed[StorageClass.standard.index] += b.standardOverhead
        }
      }
    }
    precondition(bytes == bucket.bytesByClass.array && objects == bucket.objectsByClass.array, "stored totals drifted")
    precondition(current == bucket.currentVersions && noncurrent == bucket.noncurrentVersions, "version counts drifted")
    precondition(markers == bucket.deleteMarkers, "delete marker count drifted")
    precondition(billed == ledger.billedBytes.array, "billing rate differs from what is stored")
    precondition(alive == points.map(\.alive), "restore points' surviving versions drifted")
  }
}
