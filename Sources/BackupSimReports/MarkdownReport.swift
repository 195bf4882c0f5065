import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// `report.md`: a summary a manager can read, then the tables behind it.
public enum MarkdownReport {
  public static func render(_ e: Evaluation) -> String {
    var out = render(e.result, requirements: e.requirements)
    if let r = out.range(of: "## Cost by month") { out.replaceSubrange(r.lowerBound..<r.lowerBound, with: bucketsSection(e)) }
    if let a = e.attack {
      let section = attackSection(a, mitigation: e.mitigation)
      // After the coverage section, before the costs.
      if let r = out.range(of: "## Cost by month") {
        out.replaceSubrange(r.lowerBound..<r.lowerBound, with: section)
      } else {
        out += section
      }
    }
    // Before everything else: a job that writes nothing makes every other figure about it moot.
    if !e.deniedJobs.isEmpty, let r = out.range(of: "## Summary") {
      let warning = e.deniedJobs.map { "**\(Markdown.escape(Verdict.denied($0)))**\n\n" }.joined()
      out.replaceSubrange(r.lowerBound..<r.lowerBound, with: warning)
    }
    return out
  }

  static func attackSection(_ a: AttackReport, mitigation: Mitigation?) -> String {
    var out = "## What an attacker with the backup credentials can do\n\n"
    out += "**\(Markdown.escape(Verdict.sentence(a)))**\n\n"
    if let m = mitigation { out += Markdown.escape(Verdict.mitigationSentence(m)) + "\n\n" }
    out += "Attack at \(a.at.iso8601) by `\(a.principal.replacingOccurrences(of: "`", with: "'"))`, "
    out += "who may: \(a.allowedActions.isEmpty ? "nothing on this bucket" : a.allowedActions.joined(separator: ", ")).\n\n"
    out += "| Strategy | Possible | Good backups at the attack | Last good backup lost | Time to notice | Data lost | Added to the bill | Why |\n"
    out += "|---|---|---:|---|---:|---:|---:|---|\n"
    for s in a.strategies {
      let lost = s.lastGoodLostAt?.iso8601 ?? "never (one survives)"
      let window = s.detectionWindowDays.map { Format.days($0) } ?? "unlimited"
      out +=
        "| \(s.strategy.rawValue) | \(s.possible ? "yes" : "no") | \(s.goodRestorePointsAtAttack) | \(s.possible ? lost : "-") | \(s.possible ? window : "-") | \(s.possible ? Format.bytes(s.bytesLost) : "-") | \(s.costInflicted.formatted()) | \(Markdown.escape(s.reason)) |\n"
    }
    out += "\n"
    for w in a.warnings { out += "- Note: \(Markdown.escape(w)) (read in the attacker's favour)\n" }
    if let m = mitigation, !m.rejected.isEmpty {
      out += "\nAlso tried: " + m.rejected.map { Markdown.escape(Verdict.rejection($0)) }.joined(separator: "; ") + ".\n"
    }
    return out + "\n"
  }

  public static func render(_ r: RunResult, requirements: [RequirementResult]) -> String {
    var out = "# \(Markdown.escape(r.scenarioName))\n\n"
    out += "Simulated \(Format.horizon(start: r.start, end: r.end)), \(r.daily.count) days, seed \(r.seed). "
    out += "Bucket region: \(r.region). Prices: \(r.prices.region), read \(r.prices.asOf).\n\n"

    out += "## Summary\n\n"
    out += "| | |\n|---|---|\n"
    out += "| Total cost over the horizon | **\(r.totalCost.formatted())** |\n"
    if let m = r.lastFullMonth {
      out += "| Monthly cost at steady state (\(m.month)) | **\(m.total.formatted())** |\n"
    }
    let cov = r.coverage
    out += "| Restore points written | \(cov.restorePointsCreated) |\n"
    out += "| Restorable at the end | \(cov.restorableAtEnd) |\n"
    if let o = cov.oldestRestorableAtEnd {
      let age = Double(r.end - o) / 86_400
      out +=
        "| Oldest restorable backup | \(o.iso8601) (\(CNumber.format(age, "%.1f")) days old at the end) |\n"
    }
    let stored = r.endBytesByClass.values.reduce(0, +)
    out += "| Stored at the end | \(Format.bytes(stored)) in \(r.currentVersions + r.noncurrentVersions) object versions |\n"
    for q in requirements {
      out += "| Requirement `\(q.name)` | \(q.met ? "met" : "**\(Markdown.escape(Verdict.status(q)))**") — \(Markdown.escape(Verdict.detail(q))) |\n"
    }
    out += "\n"

    out += StartingStateReport.markdown(r)
    out += coverageSection(r)

    out += "## Cost by month\n\n"
    out += "| Month | Storage | Requests | Transitions | Early deletion | Retrieval | Total |\n"
    out += "|---|---:|---:|---:|---:|---:|---:|\n"
    for m in r.months {
      out +=
        "| \(m.month) | \(m.storage.formatted()) | \(m.requests.formatted()) | \(m.transitions.formatted()) | \(m.earlyDeletion.formatted()) | \(m.retrieval.formatted()) | \(m.total.formatted()) |\n"
    }
    out +=
      "| **Total** | \(r.total(\.storage).formatted()) | \(r.total(\.requests).formatted()) | \(r.total(\.transitions).formatted()) | \(r.total(\.earlyDeletion).formatted()) | \(r.total(\.retrieval).formatted()) | **\(r.totalCost.formatted())** |\n\n"

    out += "## Storage by class\n\n"
    out += "| Class | GB-months over the horizon | Storage cost | Stored at the end | Object versions at the end |\n|---|---:|---:|---:|---:|\n"
    let byClass = r.byStorageClass
    for c in StorageClass.allCases where byClass[c] != nil || r.endObjectsByClass[c] != nil {
      let v = byClass[c] ?? (.zero, 0)
      out +=
        "| \(c.rawValue) | \(Format.decimal(v.gbMonths, places: 3)) | \(v.storage.formatted()) | \(Format.bytes(r.endBytesByClass[c] ?? 0)) | \(r.endObjectsByClass[c] ?? 0) |\n"
    }
    for row in AccessTierRows.rows(r) { out += "| \(row[0]) | \(row[1]) | \(row[2]) | | |\n" }
    out += "\nGB = 2^30 bytes. STANDARD includes the 8 KiB per object that GLACIER and DEEP_ARCHIVE bill at STANDARD rates.\n\n"

    out += "## End state\n\n"
    out += "- Current versions: \(r.currentVersions)\n- Noncurrent versions: \(r.noncurrentVersions)\n- Delete markers: \(r.deleteMarkers)\n\n"

    if r.jobNames.count > 0 {
      out += "## Restore points by job\n\n| Job | Written | Restorable at the end | Oldest restorable |\n|---|---:|---:|---|\n"
      for (name, c) in zip(r.jobNames, r.coverageByJob) {
        out += "| \(Markdown.escape(name)) | \(c.restorePointsCreated) | \(c.restorableAtEnd) | \(c.oldestRestorableAtEnd?.iso8601 ?? "none") |\n"
      }
      out += "\n"
    }

    out += "## Prices used\n\n\(Markdown.escape(r.prices.source)); read \(r.prices.asOf).\n\n"
    out += "| Class | Storage $/GB-month | PUT $/1,000 | Transition in $/1,000 | Minimum days |\n|---|---|---:|---:|---:|\n"
    for c in StorageClass.allCases {
      guard let p = r.prices.classes[c] else { continue }
      let bands = p.storage.map { b in
        "\(Money.plain(b.pricePerGBMonth))" + (b.upToGB.map { " to \(Money.plain($0)) GB" } ?? (p.storage.count > 1 ? " beyond" : ""))
      }.joined(separator: "; ")
      let mark = { (item: String) in PriceNotes.mark(r.prices, c, item) }
      out += "| \(c.rawValue) | \(bands)\(mark("storage")) | \(Money.plain(p.putPerThousand))\(mark("put")) | "
      out += "\(p.transitionPerThousand.map { Money.plain($0) + mark("transition") } ?? "n/a") | \(p.minimumDays) |\n"
    }
    if let note = PriceNotes.builtInSentence(r.prices) { out += "\n" + Markdown.escape(note) + "\n" }
    for note in r.prices.notes { out += "\n" + Markdown.escape(note) + "\n" }
    return out
  }

  static func coverageSection(_ r: RunResult) -> String {
    var out = "## Retention coverage\n\n"
    let c = r.coverage
    let coverageDaily = r.coverageDaily
    guard let last = coverageDaily.last else { return out + "No simulated day ended inside the horizon.\n\n" }
    if let age = last.oldestAgeDays {
      out += "At the end, \(c.restorableAtEnd) backups are restorable, covering \(fixed(age, 1)) days of history"
      out += last.largestGapHours.map { "; the longest gap between two of them is \(fixed($0, 1)) hours" } ?? ""
      out += ".\n"
    } else {
      out += "At the end no backup is restorable.\n"
    }
    // Steady state: the last quarter of the horizon.
    let tail = coverageDaily.suffix(max(1, coverageDaily.count / 4))
    let ages = tail.compactMap(\.oldestAgeDays)
    if let lo = ages.min(), let hi = ages.max() {
      let fewest = tail.map(\.restorable).min() ?? 0, most = tail.map(\.restorable).max() ?? 0
      let age = fixed(lo, 1) == fixed(hi, 1) ? fixed(lo, 1) : "between \(fixed(lo, 1)) and \(fixed(hi, 1))"
      let count = fewest == most ? "\(most)" : "\(fewest) to \(most)"
      out += "Over the last \(tail.count) days the oldest restorable backup was \(age) days old, with \(count) restorable backups.\n"
    }
    let timeline = r.timeline
    let lostCount = timeline.lostAt.compactMap { $0 }.count
    if lostCount > 0, let firstLoss = timeline.points.indices.lazy.compactMap({ timeline.lostBy($0) }).first {
      let why = Verdict.loss(firstLoss, points: r.restorePoints, jobNames: r.jobNames)
      out +=
        "\(lostCount) of \(c.restorePointsCreated) backups stopped being restorable during the horizon; the first went because of \(Markdown.escape(why)).\n"
    }
    out += "\n"
    let estimates = r.restoreEstimates
    if !estimates.isEmpty {
      out += "### What a full restore takes\n\n"
      out += "| Backup | Written | Objects | Size | Classes | Tier | Time (up to) | Retrieval | Requests | Total |\n"
      out += "|---|---|---:|---:|---|---|---:|---:|---:|---:|\n"
      for e in estimates {
        let classes = e.byClass.keys.sorted().map(\.rawValue).joined(separator: ", ")
        for tier in e.tiers.keys.sorted() {
          guard let t = e.tiers[tier] else { continue }
          out +=
            "| \(Markdown.escape(e.label)) (\(Markdown.escape(e.job))) | \(e.writtenAt.iso8601) | \(e.objects) | \(Format.bytes(e.bytes)) | \(classes) | \(tier.rawValue) | \(Format.hours(t.hours)) | \(t.retrievalCost.formatted()) | \(t.requestCost.formatted()) | \(t.cost.formatted()) |\n"
        }
      }
      out += "\n" + Markdown.escape(RestoreWording.includes + RestoreWording.excludes) + "\n"
    }
    return out
  }

  static func fixed(_ v: Double, _ places: Int) -> String {
    CNumber.format(v, "%.\(places)f")
  }

}
