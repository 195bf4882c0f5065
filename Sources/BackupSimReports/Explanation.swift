import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel

/// The text `backupsim explain` prints: one block per version of the watched key.
public enum Explanation {
  /// How many versions are printed at each end of a long history unless `all` is set.
  public static let shownAtEachEnd = 3

  /// The key's history: a count of its versions, then each version's block.
  ///
  /// Without `all`, a key with
  /// many versions (a nightly overwrite has hundreds) shows only the first and last few.
  ///
  /// Versions are numbered in the order the key got them (#1 is its first), not by the run's
  /// version numbers, which count every key's versions and depend on which jobs were simulated.
  public static func render(key: String, history r: KeyHistory, all: Bool = false) -> String {
    var versions: [UInt64] = []
    var events: [UInt64: [TraceEntry]] = [:]
    for e in r.trace {
      if events[e.version] == nil { versions.append(e.version) }
      events[e.version, default: []].append(e)
    }
    var ordinal: [UInt64: Int] = [:]
    for (n, v) in versions.enumerated() { ordinal[v] = n + 1 }
    func isMarker(_ v: UInt64) -> Bool {
      (events[v] ?? []).contains { if case .deleteMarkerCreated = $0.kind { return true } else { return false } }
    }
    func isRemoved(_ v: UInt64) -> Bool {
      (events[v] ?? []).contains { if case .deleted = $0.kind { return true } else { return false } }
    }
    var out = "\(key) in \(r.scenarioName), \(Format.horizon(start: r.start, end: r.end))\n"
    let markers = versions.filter(isMarker).count
    let removed = versions.filter(isRemoved).count
    out += count(versions.count - markers, "version") + (markers > 0 ? " and \(count(markers, "delete marker"))" : "") + ": "
    out += "\(removed) permanently removed, \(versions.count - removed) still stored at the end.\n"

    let cut = !all && versions.count > 2 * shownAtEachEnd + 1
    for (n, v) in versions.enumerated() {
      if cut && n >= shownAtEachEnd && n < versions.count - shownAtEachEnd {
        if n == shownAtEachEnd {
          out += "\n... \(count(versions.count - 2 * shownAtEachEnd, "more version")) left out (--all prints every one) ...\n"
        }
        continue
      }
      let es = events[v] ?? []
      out += "\n\(isMarker(v) ? "delete marker" : "version") #\(ordinal[v] ?? 0)\n"
      for e in es {
        out += "  \(e.time.iso8601)  " + line(e.kind, jobNames: r.jobNames, ordinal: ordinal) + "\n"
      }
      if !isRemoved(v) {
        out += "  \(r.end.iso8601)  still stored at the end of the horizon\n"
      }
    }
    return out
  }

  static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

  /// The error for a key no job writes, with the nearest key some job does write.
  public static func noSuchKey(_ key: String, history r: KeyHistory, nearest: String?, example: String?) -> String {
    var msg = "error: no job wrote the key '\(key)' between \(r.start.iso8601) and \(r.end.iso8601)"
    if let nearest { msg += "; did you mean '\(nearest)'?" } else if let example { msg += " (the jobs write keys like '\(example)')" }
    return msg
  }

  static func line(_ k: TraceEntry.Kind, jobNames: [String], ordinal: [UInt64: Int]) -> String {
    switch k {
    case .uploaded(let c, let bytes, let job, let run):
      return "uploaded by job '\(job)' run \(run): \(Format.bytes(bytes)) in \(c.rawValue)"
    case .uploadedNull(let c, let bytes, let job, let run):
      return "uploaded by job '\(job)' run \(run) as the null version: \(Format.bytes(bytes)) in \(c.rawValue)"
    case .becameNoncurrent(let successor): return "became noncurrent (version #\(ordinal[successor] ?? 0) is newer)"
    case .locked(let until, let mode): return "Object Lock \(mode.rawValue) until \(until.iso8601)"
    case .transitioned(let to, let rule, let noncurrent):
      return "moved to \(to.rawValue) by rule '\(rule)' (\(noncurrent ? "NoncurrentVersionTransition" : "Transition"))"
    case .deleteMarkerCreated(let rule): return "delete marker created by rule '\(rule)' (Expiration); the version below became noncurrent"
    case .deleted(let reason): return "permanently removed: \(Verdict.removal(reason, jobNames: jobNames))"
    }
  }
}
