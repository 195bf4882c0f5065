import Foundation

/// The keys a scenario's jobs write, for "did you mean" on `explain --key`.
extension Scenario {
  /// Distinct keys the upload jobs write over the horizon, in the order first written; at most
  /// `runsPerJob` runs and `objectsPerRun` objects of each job are looked at, so a huge scenario stays quick.
  public func keysWritten(runsPerJob: Int = 5_000, objectsPerRun: Int = 10) -> [String] {
    var keys: [String] = []
    var seen: Set<String> = []
    for job in uploads {
      var t = job.schedule.firstFire(atOrAfter: start)
      var run = 1
      while let at = t, at < end, run <= runsPerJob {
        let pattern = job.key.pattern(at: at, run: run)
        for i in 0..<(job.key.hasIndex ? min(job.objects, objectsPerRun) : 1) {
          let key = pattern.replacingOccurrences(of: "{i}", with: String(i))
          if seen.insert(key).inserted { keys.append(key) }
        }
        t = job.schedule.nextFire(after: at)
        run += 1
      }
    }
    return keys
  }
}
