import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel

/// The charts and HTML of an `Evaluation`: the standard charts plus the attack's.
public enum PeopleReports {
  public static func charts(_ e: Evaluation) -> [ChartSpec] {
    var specs = ChartSpec.standard(for: e.result)
    if let a = e.attack {
      let series = a.strategies.filter(\.possible).map { (strategy: $0.strategy.rawValue, points: $0.goodLeft) }
      if !series.isEmpty {
        specs.append(ChartSpec.goodRestorePointsAfterAttack(series, attackAt: a.at, scenarioName: e.result.scenarioName))
      }
    }
    return specs
  }

  public static func html(_ e: Evaluation, charts: [RenderedChart]) -> String {
    var verdict: HTMLVerdict?
    var sections: [HTMLSection] = []
    // A job that cannot write is said first, above the attack verdict.
    let denied = e.deniedJobs.map(Verdict.denied)
    if !denied.isEmpty {
      verdict = HTMLVerdict(title: "The backup jobs cannot write", tone: .bad, headline: denied.joined(separator: " "), details: [])
    }
    if let a = e.attack {
      let tone: HTMLVerdict.Tone = !a.survives ? .bad : a.worst != nil ? .warning : .good
      var details: [String] = []
      if let m = e.mitigation { details.append(Verdict.mitigationSentence(m)) }
      details.append("Allowed on this bucket: " + (a.allowedActions.isEmpty ? "nothing" : a.allowedActions.joined(separator: ", ")) + ".")
      verdict = HTMLVerdict(
        title: "If the backup credentials are stolen", tone: tone, headline: (denied + [Verdict.sentence(a)]).joined(separator: " "), details: details
      )
      let rows: [[String]] = a.strategies.map { s in
        [
          s.strategy.rawValue, s.possible ? "yes" : "no", String(s.goodRestorePointsAtAttack),
          s.possible ? (s.lastGoodLostAt?.iso8601 ?? "never") : "-",
          s.possible ? (s.detectionWindowDays.map { Format.days($0) } ?? "unlimited") : "-",
          s.possible ? Format.bytes(s.bytesLost) : "-", s.costInflicted.formatted(), s.reason,
        ]
      }
      var html = "<p>Attack at \(HTMLReport.escape(a.at.iso8601)) with the credentials of <code>\(HTMLReport.escape(a.principal))</code>. "
      html += "Every backup written before it is good; everything written after it is not trusted.</p>"
      html += HTMLReport.table(
        headers: [
          "Strategy", "Possible", "Good backups at the attack", "Last good backup lost", "Time to notice", "Data lost", "Added to the bill", "Why",
        ],
        rows: rows, numeric: [2, 5, 6])
      if let m = e.mitigation, !m.rejected.isEmpty {
        html += "<p>Also tried: " + m.rejected.map { HTMLReport.escape(Verdict.rejection($0)) }.joined(separator: "; ") + ".</p>"
      }
      for w in a.warnings { html += "<p class=\"note\">Note: \(HTMLReport.escape(w)) (read in the attacker's favour).</p>" }
      sections.append(HTMLSection(id: "attack", title: "Attacker reach", html: html))
    }
    if let b = bucketsSection(e) { sections.insert(b, at: 0) }
    return HTMLReport.render(e.result, requirements: e.requirements, charts: charts, attackVerdict: verdict, extraSections: sections)
  }
}
