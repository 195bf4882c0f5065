/// Restore-point counts at the end of the horizon (PRODUCT.md "Coverage").
public struct CoverageSummary: Sendable, Equatable {
  public var restorePointsCreated: Int
  public var restorableAtEnd: Int
  public var oldestRestorableAtEnd: SimTime?
  public var newestRestorableAtEnd: SimTime?

  /// A point is restorable when every version it wrote is still stored.
  public init(points: some Sequence<RestorePoint>) {
    var created = 0, restorable = 0
    var oldest: SimTime?, newest: SimTime?
    for p in points {
      created += 1
      guard p.alive == p.versions else { continue }
      restorable += 1
      if oldest.map({ p.writtenAt < $0 }) ?? true { oldest = p.writtenAt }
      if newest.map({ p.writtenAt > $0 }) ?? true { newest = p.writtenAt }
    }
    restorePointsCreated = created
    restorableAtEnd = restorable
    oldestRestorableAtEnd = oldest
    newestRestorableAtEnd = newest
  }
}

/// The verdict on one stated requirement.
public struct RequirementResult: Sendable, Equatable {
  public var name: String
  public var met: Bool
  public var firstFailedOn: CivilDate?
  /// What was required and what happened, in plain words.
  public var detail: String
}

extension RunResult {
  public var coverage: CoverageSummary { CoverageSummary(points: restorePoints) }

  public func coverage(job: Int) -> CoverageSummary { CoverageSummary(points: restorePoints.lazy.filter { $0.job == job }) }

  /// The last calendar month that lies wholly inside the horizon: the steady-state bill.
  public var lastFullMonth: MonthCost? {
    months.last { m in
      guard let first = ScenarioLoader.parseDate(m.month + "-01") else { return false }
      return first >= start && first.startOfNextMonth <= end
    }
  }

  /// Checks the requirements this version evaluates; daily, from the samples.
  public func checkRequirements(_ r: Requirements) -> [RequirementResult] {
    var out: [RequirementResult] = []
    if let max = r.maxMonthlyCost {
      // Month-to-date cost at the end of each day, compared with the cap.
      var failed: CivilDate?
      var monthStartCost = Money.zero
      var month = ""
      var previous = Money.zero
      for d in daily {
        if d.date.yearMonth != month {
          month = d.date.yearMonth
          monthStartCost = previous
        }
        if d.costToDate - monthStartCost > max {
          failed = d.date
          break
        }
        previous = d.costToDate
      }
      let worst = months.max { $0.total < $1.total }
      out.append(
        RequirementResult(
          name: "maxMonthlyCost", met: failed == nil, firstFailedOn: failed,
          detail: "at most \(max.formatted()) in any calendar month; the costliest month, \(worst?.month ?? "-"), cost \(worst?.total.formatted() ?? "$0.00")"))
    }
    return out
  }
}
