import BackupSimModel
import BackupSimEngine
import BackupSimAnalysis

/// The text `backupsim explain` prints: one block per version of the watched key.
public enum Explanation {
  public static func render(key: String, result r: RunResult) -> String {
    var versions: [UInt64] = []
    var events: [UInt64: [TraceEntry]] = [:]
    for e in r.trace {
      if events[e.version] == nil { versions.append(e.version) }
      events[e.version, default: []].append(e)
    }
    var out = "\(key) in \(r.scenarioName), \(r.start.date.iso8601) to \(r.end.date.iso8601)\n"
    for v in versions {
      let es = events[v] ?? []
      let isMarker = es.contains { if case .deleteMarkerCreated = $0.kind { return true } else { return false } }
      out += "\n\(isMarker ? "delete marker" : "version") #\(v)\n"
      for e in es {
        out += "  \(e.time.iso8601)  " + line(e.kind, jobNames: r.jobNames) + "\n"
      }
      if !es.contains(where: { if case .deleted = $0.kind { return true } else { return false } }) {
        out += "  \(r.end.iso8601)  still stored at the end of the horizon\n"
      }
    }
    return out
  }

  static func line(_ k: TraceEntry.Kind, jobNames: [String]) -> String {
    switch k {
    case .uploaded(let c, let bytes, let job, let run):
      return "uploaded by job '\(job)' run \(run): \(Format.bytes(bytes)) in \(c.rawValue)"
    case .uploadedNull(let c, let bytes, let job, let run):
      return "uploaded by job '\(job)' run \(run) as the null version: \(Format.bytes(bytes)) in \(c.rawValue)"
    case .becameNoncurrent(let successor): return "became noncurrent (version #\(successor) is newer)"
    case .locked(let until, let mode): return "Object Lock \(mode.rawValue) until \(until.iso8601)"
    case .transitioned(let to, let rule, let noncurrent):
      return "moved to \(to.rawValue) by rule '\(rule)' (\(noncurrent ? "NoncurrentVersionTransition" : "Transition"))"
    case .deleteMarkerCreated(let rule): return "delete marker created by rule '\(rule)' (Expiration); the version below became noncurrent"
    case .deleted(let reason): return "permanently removed: \(Verdict.removal(reason, jobNames: jobNames))"
    }
  }
}
