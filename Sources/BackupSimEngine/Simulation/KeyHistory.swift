import BackupSimModel

/// One key's versions over a scenario's horizon, event by event: what `explain` prints.
public struct KeyHistory: Sendable {
  public var scenarioName: String
  public var start: SimTime
  public var end: SimTime
  /// The simulated jobs' names, by the job numbers in the trace's removal reasons.
  public var jobNames: [String]
  /// The key's events in time order; version numbers are the run's, not the key's.
  public var trace: [TraceEntry]
  /// How many of the scenario's upload jobs were simulated to find it.
  public var jobsSimulated: Int
}

/// Simulates what one key's history depends on, and returns that history.
///
/// A key's versions are written only by the jobs whose key template can produce it, and lifecycle,
/// Object Lock and versioning act on each key on its own. So the other jobs are left out whenever
/// that cannot change the key's history: one key of a bucket of thousands costs what its own
/// history costs. They are kept when the scenario replicates, and when leaving them out would shift
/// the draws of log-normal sizes (a left-out job draws sizes and a kept one does too).
public func simulateHistory(of key: String, in scenario: Scenario) -> KeyHistory {
  simulateHistory(of: key, in: scenario, narrowed: narrowed(scenario, toJobsWriting: key))
}

/// As the public one; `narrowed` nil simulates the whole scenario (the tests compare the two).
func simulateHistory(of key: String, in scenario: Scenario, narrowed: Scenario?) -> KeyHistory {
  let simulated = narrowed ?? scenario
  let r = simulate(simulated, options: SimulationOptions(watchKey: key))
  return KeyHistory(
    scenarioName: r.scenarioName, start: r.start, end: r.end, jobNames: r.jobNames, trace: r.trace, jobsSimulated: simulated.uploads.count)
}

/// The scenario with only the jobs that may write `key`, or nil when that would not give the key
/// the same history (or would leave every job in).
func narrowed(_ scenario: Scenario, toJobsWriting key: String) -> Scenario? {
  guard !scenario.hasReplication else { return nil }
  let kept = scenario.uploads.indices.filter { scenario.uploads[$0].key.mayProduce(key) }
  guard kept.count < scenario.uploads.count else { return nil }
  func drawsSizes(_ j: Int) -> Bool {
    if case .lognormal = scenario.uploads[j].size { return true }
    return false
  }
  // One random generator serves every job's draws in event order.
  let keptDraw = kept.contains(where: drawsSizes)
  let leftOutDraw = scenario.uploads.indices.contains { !kept.contains($0) && drawsSizes($0) }
  guard !(keptDraw && leftOutDraw) else { return nil }
  var s = scenario
  var newIndex = [Int?](repeating: nil, count: scenario.uploads.count)
  for (n, j) in kept.enumerated() { newIndex[j] = n }
  s.uploads = kept.map { j in
    var job = scenario.uploads[j]
    // Which run a restore point builds on; it does not touch the versions.
    job.dependsOn = job.dependsOn.flatMap { newIndex[$0] }
    return job
  }
  return s
}
