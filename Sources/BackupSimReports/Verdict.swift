import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// The sentences a manager reads: the attack verdict, the fix, and what each requirement asked
/// and found.
///
/// Analysis returns numbers and reasons; every sentence about them is made here.
public enum Verdict {
  public static func sentence(_ a: AttackReport) -> String {
    let who = "Someone holding the '\(a.principal)' credentials"
    let notice = Format.period(seconds: a.detectedWithinSeconds)
    var out: String
    if !a.hasGoodBackups {
      out = "At the time of the attack there is no good backup to protect."
    } else if let w = a.worst, let lost = w.lastGoodLostAt {
      let when = lost <= a.at ? "the moment they attack" : "\(Format.days(Decimal(lost - a.at) / 86_400)) after the attack"
      out = "\(who) can make every backup unrecoverable \(when) (\(describe(w.strategy))), unless the attack is noticed and stopped before then."
    } else if a.strategies.contains(where: { $0.possible && $0.goodRestorePointsAtAttack == 0 }) {
      out = "At the time of the attack there is no good backup to protect."
    } else {
      out = "\(who) cannot destroy the backups made before an attack: at least one stays restorable to the end of the simulation."
    }
    if a.worst != nil && a.survives {
      out += " That is longer than the \(notice) it takes to notice, so a good backup is still there when the attack is found."
    }
    if let bomb = a.strategies.first(where: { $0.strategy == .costBomb && $0.possible }), bomb.costInflicted > .zero {
      out +=
        " They can add \(Format.money(bomb.costInflicted)) to the bill by uploading junk into \(bomb.storageClass?.rawValue ?? "the bucket") for \(notice)"
        + " (the uploads, and the junk's storage until it is deleted when the attack is noticed, or until its minimum storage duration ends if that is later)."
    }
    return out
  }

  /// A job that cannot write: said before any other verdict, since it has no backup to judge.
  public static func denied(_ d: DeniedJob) -> String {
    "Upload job '\(d.job)' cannot write its backups: '\(d.principal)' is denied s3:PutObject on \(d.key) (\(d.reason)), so it makes no restore point."
  }

  /// The requirement's state in a few words: met, NOT MET with its first failure, or not checked.
  public static func status(_ q: RequirementResult) -> String {
    switch q.status {
    case .met: return "met"
    case .notMet: return "NOT MET, first failed on \(q.firstFailedOn?.iso8601 ?? "-")"
    case .notChecked(let horizon):
      return "not checked: the horizon (\(Format.period(seconds: horizon))) is shorter than the window"
    }
  }

  static func describe(_ s: AttackStrategy) -> String {
    switch s {
    case .overwrite: return "by overwriting every backup key once"
    case .flood: return "by overwriting every backup key several times"
    case .delete: return "by deleting every backup key"
    case .deleteVersions: return "by deleting every stored version"
    case .tamperLifecycle: return "by replacing the lifecycle rules"
    case .suspendVersioning: return "by suspending versioning and overwriting"
    case .costBomb: return "by uploading junk"
    }
  }

  public static func mitigationSentence(_ m: Mitigation) -> String {
    let cost =
      m.extraMonthlyCost == .zero
      ? "at no extra cost"
      : m.extraMonthlyCost > .zero
        ? "for \(Format.money(m.extraMonthlyCost)) more per month" : "and saves \(Format.money(Money.zero - m.extraMonthlyCost)) per month"
    return "The cheapest change that stops it: \(change(m.change)), \(cost) (checked by re-running the scenario with every strategy)."
  }

  /// What a candidate change does, as the mitigation finder tried it.
  public static func change(_ c: Mitigation.Change) -> String {
    switch c {
    case .denyDestructive(let principal, let actions):
      return "deny \(principal) every destructive action (\(actions.joined(separator: ", "))) in its IAM policy"
    case .conditionalWrites:
      return "a bucket policy that denies any PUT without If-None-Match: * (keys are dated, so backups never overwrite)"
    case .keepNoncurrentLonger(let days):
      return "keep noncurrent versions \(days) days longer (NoncurrentDays + \(days), no NewerNoncurrentVersions)"
    case .objectLock(let days, let enablesVersioning):
      return "Object Lock in COMPLIANCE mode with a \(days)-day default retention" + (enablesVersioning ? " (and versioning enabled)" : "")
    }
  }

  /// A change that was not enough, and why.
  public static func rejection(_ r: Mitigation.Rejection) -> String {
    "\(change(r.change)): not enough"
      + (r.stillWinning.map {
        " ('\($0.rawValue)' still destroys every good backup within \(Format.period(seconds: r.detectedWithinSeconds)))"
      } ?? "")
  }

  /// What a requirement asked for and what the simulation found, in plain words.
  public static func detail(_ q: RequirementResult) -> String {
    switch q.measure {
    case .restorePoints(let every, let window, let gap):
      let head = "a restorable backup at least every \(Format.period(seconds: every)) over the last \(Format.period(seconds: window))"
      if case .notChecked = q.status { return head + " (for every job it covers)" }
      return head + ", for every job it covers; the longest gap seen was \(Format.period(seconds: gap))" + failedJobs(q)
    case .maxRestoreHours(let limit, let window, let slowest):
      let scope = window.map { "any backup of the last \(Format.period(seconds: $0))" } ?? "any restorable backup"
      let head = "restoring \(scope) takes at most \(Money.plain(limit)) h with the Standard retrieval tier"
      if case .notChecked = q.status { return head }
      return head + "; the slowest took \(Money.plain(slowest)) h" + failedJobs(q)
    case .maxMonthlyCost(let limit, let month, let total):
      return "at most \(Format.money(limit)) in any calendar month; the costliest month, \(month ?? "-"), cost \(Format.money(total))"
    case .survivesAttack(let detected, let worst, let after):
      let head = "a good backup must outlive an attack noticed within \(Format.period(seconds: detected)); "
      guard let worst else {
        switch q.status {
        case .met: return head + "every strategy leaves one"
        case .notMet: return head + "there was no good backup when the attack came"
        case .notChecked: return head + "every strategy leaves one to the end of the simulation, which comes before the attack is noticed"
        }
      }
      return head + "with '\(worst.rawValue)' the last one is gone "
        + (after.map { "\(Format.days(Decimal($0) / 86_400)) after the attack" } ?? "at once")
    }
  }

  /// Why a version was removed: "lifecycle rule 'expire' (NoncurrentVersionExpiration)".
  public static func removal(_ r: RemovalReason, jobNames: [String]) -> String {
    switch r {
    case .lifecycle(let rule, .expiration): return "lifecycle rule '\(rule)' (Expiration)"
    case .lifecycle(let rule, .noncurrentVersionExpiration): return "lifecycle rule '\(rule)' (NoncurrentVersionExpiration)"
    case .lifecycle(let rule, .expiredObjectDeleteMarker): return "lifecycle rule '\(rule)' (expired object delete marker)"
    case .nullVersionReplaced(.suspended): return "overwritten while versioning was Suspended (null version replaced)"
    case .nullVersionReplaced: return "overwritten (versioning Disabled)"
    case .attacker(let op): return "deleted by the attacker (\(op.rawValue))"
    case .missingBase(let job): return "no run of job '\(jobNames.indices.contains(job) ? jobNames[job] : "?")' had been written before it"
    }
  }

  /// Why a restore point stopped being restorable, following what it needed.
  public static func loss(_ l: Loss, points: [RestorePoint], jobNames: [String]) -> String {
    switch l {
    case .removed(let r): return removal(r, jobNames: jobNames)
    case .needs(let b, let why):
      let name = jobNames.indices.contains(points[b].job) ? jobNames[points[b].job] : "?"
      return "it needs \(name) run \(points[b].run), which was lost: " + (why.map { loss($0, points: points, jobNames: jobNames) } ?? "")
    }
  }

  /// "; failing: host-a (first on 2027-01-30, longest gap 29 days 2 hours)" for a requirement checked job by job.
  static func failedJobs(_ q: RequirementResult) -> String {
    guard !q.failedJobs.isEmpty else { return "" }
    return "; failing: "
      + q.failedJobs.map { f in
        f.jobs.joined(separator: " + ") + " (first on \(f.firstFailedOn.iso8601)"
          + (f.longestGapSeconds.map { ", longest gap \(Format.period(seconds: $0))" } ?? "") + ")"
      }.joined(separator: ", ")
  }
}
