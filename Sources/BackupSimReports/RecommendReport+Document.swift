import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

extension RecommendReport {
  /// The one-line verdict the console and recommend.md start with.
  public static func headline(_ o: RecommendOutcome) -> String {
    let cur = o.current.result.steadyMonthlyCost
    guard let r = o.recommendation else {
      return o.truncated
        ? "No candidate found meeting every requirement before the search stopped at its run budget."
        : "Nothing in the search space meets every requirement."
    }
    let diff = r.steadyMonthlyCost - cur
    let vs =
      diff == .zero
      ? "the same as the current configuration"
      : diff < .zero
        ? "\(Format.money(Money.zero - diff)) a month less than the current configuration (\(Format.money(cur)))"
        : "\(Format.money(diff)) a month more than the current configuration (\(Format.money(cur)))"
    return "Cheapest configuration meeting every requirement: \(Format.money(r.steadyMonthlyCost)) a month at steady state, \(vs)."
  }

  /// A caution when the recommendation's stored versions still grow at the end of the horizon.
  static func notSettled(_ r: RecommendRun) -> String? {
    guard r.versionsAddedInLast30Days > 0 else { return nil }
    return "this configuration still accumulates versions at the end of the horizon (\(grouped(r.versionsAddedInLast30Days)) more than "
      + "30 days before), so its monthly cost has not settled and keeps rising: simulate a longer horizon, or ask for less history"
  }

  /// "simulated 412 of 1,234,560 candidates (37 with every attack strategy)".
  public static func searchLine(_ o: RecommendOutcome) -> String {
    "simulated \(grouped(o.simulated)) of \(grouped(o.total)) candidates (\(grouped(o.simulatedWithAttack)) with every attack strategy played)"
      + (o.truncated ? "; stopped at the run budget, so the answer is not proven cheapest" : "")
  }

  static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }

  /// The console summary: headline, search size, the recommendation's settings and margins, files written.
  public static func console(_ o: RecommendOutcome) -> [String] {
    var lines = [headline(o), "  search   " + searchLine(o)]
    if let r = o.recommendation {
      lines.append("  config   " + phrases(o.space.settings(r.candidate)).joined(separator: "; "))
      if let w = notSettled(r) { lines.append("  warning  " + w) }
      for q in r.allRequirements { lines.append("  \(q.name): " + margin(q, history: r.historyDays, survival: r.survivalDays)) }
      for (i, a) in o.found.dropFirst().enumerated() {
        lines.append("  alt \(i + 1)    \(Format.money(a.steadyMonthlyCost))/month: " + trade(a, against: r, space: o.space))
      }
    } else if let c = o.closest {
      lines.append("  closest  " + phrases(o.space.settings(c.candidate)).joined(separator: "; "))
      for q in c.allRequirements where !q.met {
        lines.append(
          "  \(q.name): \(Verdict.status(q)); " + margin(q, history: c.historyDays, survival: c.survivalDays) + "; needs "
            + wouldTake(q, space: o.space))
      }
    } else {
      for q in o.current.requirements where !q.met { lines.append("  \(q.name): \(Verdict.status(q))") }
    }
    return lines
  }

  // MARK: - recommend.md

  static func markdown(_ o: RecommendOutcome, scenarioPath: String, chartFiles: [String]) -> String {
    let sc = o.current.scenario
    var md = "# Recommendation for \(Markdown.escape(sc.name))\n\n"
    md += headline(o) + "\n\n"
    if let r = o.recommendation, let w = notSettled(r) { md += "**Warning:** \(Markdown.escape(w))\n\n" }
    md += "Scenario `\(Markdown.codeSafe(scenarioPath))`, simulated \(Format.horizon(start: sc.start, end: sc.end)). "
    md += "Search: \(searchLine(o)). Monthly costs are the last full calendar month's bill, once every rule has taken effect.\n\n"
    if let r = o.recommendation {
      let s = o.space.settings(r.candidate)
      md += "## The recommended configuration\n\n"
      md += "| | current | recommended |\n|---|---|---|\n"
      md +=
        "| settings | \(currentPhrases(sc).map(Markdown.escape).joined(separator: "<br>")) | \(phrases(s).map(Markdown.escape).joined(separator: "<br>")) |\n"
      md += "| steady monthly cost | \(Format.money(o.current.result.steadyMonthlyCost)) | \(Format.money(r.steadyMonthlyCost)) |\n"
      md += "| cost over the horizon | \(Format.money(o.current.result.totalCost)) | \(Format.money(r.totalCost)) |\n"
      md +=
        "| requirements met | \(o.current.requirements.filter(\.met).count) of \(o.current.requirements.count) | \(r.allRequirements.filter(\.met).count) of \(r.allRequirements.count) |\n\n"
      md += "## Requirements and their margins\n\n| requirement | status | margin |\n|---|---|---|\n"
      for q in r.allRequirements {
        md += "| \(q.name) | \(Verdict.status(q)) | \(Markdown.escape(margin(q, history: r.historyDays, survival: r.survivalDays))) |\n"
      }
      md += "\n" + applySection(o, s) + "\n"
      if o.found.count > 1 {
        md += "## Next cheapest alternatives\n\nEach meets every requirement too; what it changes against the recommendation:\n\n"
        md += "| # | monthly cost | trades |\n|---|---:|---|\n"
        for (i, a) in o.found.dropFirst().enumerated() {
          md += "| \(i + 1) | \(Format.money(a.steadyMonthlyCost)) | \(Markdown.escape(trade(a, against: r, space: o.space))) |\n"
        }
        md += "\n"
      }
    } else {
      md += "## Nothing meets every requirement\n\n"
      if let c = o.closest {
        md +=
          "The closest candidate (fewest requirements failing, then nearest to meeting them, then cheapest): \(phrases(o.space.settings(c.candidate)).map(Markdown.escape).joined(separator: "; ")), "
        md += "\(Format.money(c.steadyMonthlyCost)) a month.\n\n| requirement | status | how far | it would take |\n|---|---|---|---|\n"
        for q in c.allRequirements {
          md +=
            "| \(q.name) | \(Verdict.status(q)) | \(Markdown.escape(margin(q, history: c.historyDays, survival: c.survivalDays))) | \(q.met ? "" : Markdown.escape(wouldTake(q, space: o.space))) |\n"
        }
        md += "\n"
      } else {
        md += "The current configuration's requirements cannot be checked over this horizon, whatever the configuration:\n\n"
        for q in o.current.requirements where !q.met { md += "- \(q.name): \(Verdict.status(q))\n" }
        md += "\n"
      }
    }
    md += paretoSection(o, chartFiles: chartFiles)
    md += spaceSection(o)
    return md
  }

  static func applySection(_ o: RecommendOutcome, _ s: RecommendSettings) -> String {
    let sc = o.current.scenario
    let b = sc.bucket.name
    var md = "## How to apply\n\n```sh\n"
    if sc.bucket.versioning != s.family.versioning || !sc.bucket.versioningChanges.isEmpty {
      md += "aws s3api put-bucket-versioning --bucket \(b) --versioning-configuration Status=\(s.family.versioning.rawValue)\n"
    }
    if o.space.lifecycleRule(s) != nil {
      md += "aws s3api put-bucket-lifecycle-configuration --bucket \(b) --lifecycle-configuration file://lifecycle.json\n"
    } else {
      md += "aws s3api delete-bucket-lifecycle --bucket \(b)\n"
    }
    if s.lockDays > 0 { md += "aws s3api put-object-lock-configuration --bucket \(b) --object-lock-configuration file://object-lock.json\n" }
    if let p = bucketPolicyJSON(s, scenario: sc) {
      md += "aws s3api put-bucket-policy --bucket \(b) --policy file://bucket-policy.json\n"
      if !p.complete { md += "# bucket-policy.json holds only the new statements: merge them into the existing policy first\n" }
    }
    md += "```\n\n"
    md +=
      "The lifecycle rule replaces every rule the bucket has and applies to keys under `\(Markdown.codeSafe(o.space.rulePrefix))`"
      + (o.space.rulePrefix.isEmpty ? " (the whole bucket)" : "") + ". "
    if Set(sc.uploads.map(\.storageClass)) != [s.family.uploadClass] {
      md += "Upload with `--storage-class \(s.family.uploadClass.rawValue)` (e.g. `aws s3 cp --storage-class \(s.family.uploadClass.rawValue)`). "
    }
    if s.lockDays > 0 && sc.bucket.objectLock == nil {
      md += "Object Lock needs versioning Enabled; a default retention applies to versions written from then on, not to those already stored. "
    }
    if s.lockDays == 0 && sc.bucket.objectLock != nil {
      md += "The recommendation has no default retention; a bucket's Object Lock cannot be switched off, but its default retention can be removed. "
    }
    return md + "\n"
  }

  static func paretoSection(_ o: RecommendOutcome, chartFiles: [String]) -> String {
    var md = "## Cost against protection (Pareto fronts)\n\n"
    md += "Among the simulated candidates (not the whole space), those no other beats on both monthly cost and the measure.\n\n"
    let history = o.paretoFront(\.historyDays)
    md += "### History kept at the end\n\n"
    if chartFiles.contains("pareto-history.svg") { md += "![Monthly cost against history kept](charts/pareto-history.svg)\n\n" }
    md += "| history kept | monthly cost | settings |\n|---:|---:|---|\n"
    for p in history {
      md +=
        "| \(Format.days(p.benefit)) | \(Format.money(p.run.steadyMonthlyCost)) | \(phrases(o.space.settings(p.run.candidate)).map(Markdown.escape).joined(separator: "; ")) |\n"
    }
    let attack = o.paretoFront(\.survivalDays)
    if !attack.isEmpty {
      md += "\n### Days a good backup outlives the attack\n\n"
      if chartFiles.contains("pareto-attack.svg") { md += "![Monthly cost against attack survival](charts/pareto-attack.svg)\n\n" }
      md += "| survives | monthly cost | settings |\n|---:|---:|---|\n"
      for p in attack {
        md +=
          "| \(Format.days(p.benefit)) | \(Format.money(p.run.steadyMonthlyCost)) | \(phrases(o.space.settings(p.run.candidate)).map(Markdown.escape).joined(separator: "; ")) |\n"
      }
    }
    return md + "\n"
  }

  static func spaceSection(_ o: RecommendOutcome) -> String {
    let sp = o.space
    func days(_ xs: [Int?], none: String) -> String { xs.map { $0.map(String.init) ?? none }.joined(separator: ", ") }
    var md = "## The search space\n\n"
    md += "- \(sp.families.count) combinations of versioning, upload class, transition waterfalls and lock mode, each searched along:\n"
    md += "- Expiration days: \(days(sp.expirationDays, none: "never")); NoncurrentDays: \(days(sp.noncurrentDays, none: "never")); "
    md += "NewerNoncurrentVersions: \(days(sp.newerNoncurrentVersions, none: "none"))\n"
    md +=
      "- Object Lock days: \(sp.lockDays.map(String.init).joined(separator: ", ")) (0: none), modes \(sp.lockModes.map(\.rawValue).joined(separator: ", "))\n"
    md += "- bucket policy: deny the writers destructive actions \(sp.denyDestructive.map { $0 ? "on" : "off" }.joined(separator: "/")); "
    md += "conditional writes \(sp.conditionalWrites.map { $0 ? "on" : "off" }.joined(separator: "/"))\n"
    if let every = sp.overwrittenEvery {
      md +=
        "- Expiration and current-version transitions are left out: every job overwrites its key at least every "
        + "\(Format.period(seconds: every)), so a current version never lives long enough for them (a --space file can add them)\n"
    }
    md += "- not axes of the search: replication and Intelligent-Tiering (kept as the scenario has them)\n"
    return md
  }

  // MARK: - recommend.json

  static func settingsJSON(_ s: RecommendSettings) -> JSONValue {
    func steps(_ xs: [TransitionStep]) -> JSONValue {
      .array(xs.map { .object(["days": .int($0.days), "storageClass": .string($0.storageClass.rawValue)]) })
    }
    return .object([
      "versioning": .string(s.family.versioning.rawValue), "uploadStorageClass": .string(s.family.uploadClass.rawValue),
      "expirationDays": s.expirationDays.map { .int($0) } ?? .null, "transitions": steps(s.family.transitions),
      "noncurrentDays": s.noncurrentDays.map { .int($0) } ?? .null,
      "newerNoncurrentVersions": s.newerNoncurrentVersions.map { .int($0) } ?? .null,
      "noncurrentTransitions": steps(s.family.noncurrentTransitions),
      "objectLock": s.lockDays > 0 ? .object(["mode": .string(s.family.lockMode.rawValue), "days": .int(s.lockDays)]) : .null,
      "denyDestructive": .bool(s.denyDestructive), "conditionalWrites": .bool(s.conditionalWrites),
    ])
  }

  static func runJSON(_ r: RecommendRun, space: RecommendSpace) -> JSONValue {
    .object([
      "settings": settingsJSON(space.settings(r.candidate)), "steadyMonthlyCost": .money(r.steadyMonthlyCost), "totalCost": .money(r.totalCost),
      "historyDays": r.historyDays.map { .decimal($0) } ?? .null, "attackSurvivalDays": r.survivalDays.map { .decimal($0) } ?? .null,
      "requirements": .array(
        r.allRequirements.map { q in
          .object([
            "name": .string(q.name), "met": .bool(q.met), "firstFailedOn": q.firstFailedOn.map { .string($0.iso8601) } ?? .null,
            "margin": .string(margin(q, history: r.historyDays, survival: r.survivalDays)),
          ])
        }),
    ])
  }

  static func json(_ o: RecommendOutcome, scenarioPath: String) -> JSONValue {
    let cur = o.current.result
    var doc: [String: JSONValue] = [
      "schemaVersion": .int(1), "scenario": .string(scenarioPath),
      "search": .object([
        "candidates": .int(o.total), "simulated": .int(o.simulated), "simulatedWithAttack": .int(o.simulatedWithAttack),
        "stoppedAtBudget": .bool(o.truncated),
      ]),
      "current": .object([
        "steadyMonthlyCost": .money(cur.steadyMonthlyCost), "totalCost": .money(cur.totalCost),
        "requirements": .array(o.current.requirements.map { .object(["name": .string($0.name), "met": .bool($0.met)]) }),
      ]),
      "recommendation": .null, "alternatives": .array([]), "closest": .null,
    ]
    if let r = o.recommendation {
      var rec = runJSON(r, space: o.space)
      if case .object(var m) = rec {
        m["monthlyCostChange"] = .money(r.steadyMonthlyCost - cur.steadyMonthlyCost)
        rec = .object(m)
      }
      doc["recommendation"] = rec
      doc["alternatives"] = .array(o.found.dropFirst().map { runJSON($0, space: o.space) })
    } else if let c = o.closest {
      doc["closest"] = runJSON(c, space: o.space)
    }
    func front(_ f: [(run: RecommendRun, benefit: Decimal)]) -> JSONValue {
      .array(
        f.map {
          .object([
            "benefitDays": .decimal($0.benefit), "steadyMonthlyCost": .money($0.run.steadyMonthlyCost),
            "settings": settingsJSON(o.space.settings($0.run.candidate)),
          ])
        })
    }
    doc["pareto"] = .object(["history": front(o.paretoFront(\.historyDays)), "attackSurvival": front(o.paretoFront(\.survivalDays))])
    return .object(doc)
  }

  // MARK: - Charts

  /// The two Pareto charts: monthly cost (y) against days of history kept and days an attack is survived (x).
  public static func charts(_ o: RecommendOutcome) -> [ChartSpec] {
    func spec(_ id: String, _ title: String, _ xLabel: String, _ caption: String, _ f: [(run: RecommendRun, benefit: Decimal)]) -> ChartSpec? {
      // One distinct x gives gnuplot an empty x range: the table says it all.
      guard Set(f.map(\.benefit)).count > 1 else { return nil }
      let pts = f.map {
        ChartSpec.Point(x: NSDecimalNumber(decimal: $0.benefit).doubleValue, y: NSDecimalNumber(decimal: $0.run.steadyMonthlyCost.amount).doubleValue)
      }
      var markers: [ChartSpec.Marker] = []
      if let r = o.recommendation, let p = f.first(where: { $0.run.candidate == r.candidate }) {
        markers.append(.init(x: NSDecimalNumber(decimal: p.benefit).doubleValue, label: "recommended"))
      }
      return ChartSpec(
        id: id, title: title, caption: caption, style: .steps, xAxis: .numbers(label: xLabel), yLabel: "monthly cost", yFormat: .dollars,
        series: [.init(label: "cheapest for at least this much", points: pts)], markers: markers)
    }
    let name = o.current.scenario.name
    return [
      spec(
        "pareto-history", "\(name): cost against history kept", "oldest restorable backup at the end (days)",
        "The cheapest simulated configuration for each amount of history kept at the end of the simulation.", o.paretoFront(\.historyDays)),
      spec(
        "pareto-attack", "\(name): cost against attack survival", "days a good backup outlives the attack",
        "The cheapest simulated configuration for each number of days a good backup outlives the worst attack.", o.paretoFront(\.survivalDays)),
    ].compactMap { $0 }
  }
}
