import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// One scenario of a comparison: its short label, the file it came from, and its run.
public struct CompareEntry: Sendable {
  /// Short and unique within the comparison (the file stem, for example "classic").
  public var label: String
  public var file: String
  public var result: RunResult
  public var requirements: [RequirementResult]
  public var attack: AttackReport?

  public init(label: String, file: String, result: RunResult, requirements: [RequirementResult], attack: AttackReport? = nil) {
    self.label = label
    self.file = file
    self.result = result
    self.requirements = requirements
    self.attack = attack
  }

  /// Days from the attack until the last good backup is gone, for the worst strategy (nil: none destroys them all).
  var attackWindowDays: Decimal? { attack?.worst?.detectionWindowDays }
}

/// `compare.html`, `compare.md` and `compare.json`: several runs side by side, the first one as the baseline.
public enum CompareReport {
  /// compare.json, compare.md and compare.html; with thresholds, compare.json says what crossed them.
  public static func files(
    _ entries: [CompareEntry], charts: [RenderedChart], thresholds: CompareThresholds = CompareThresholds()
  ) -> [(name: String, contents: String)] {
    [
      ("compare.json", json(entries, thresholds: thresholds)), ("compare.md", markdown(entries, charts: charts)),
      ("compare.html", html(entries, charts: charts)),
    ]
  }

  /// What `compare` prints: the scenarios, where they differ, and where the report is.
  public static func consoleSummary(_ entries: [CompareEntry], folder: String) -> String {
    let labels = entries.map(\.label)
    var lines = ["Compared \(labels.joined(separator: ", ")) (baseline \(labels.first ?? "")):"]
    lines += explanation(entries).map { "  - " + $0 }
    lines.append("  report: \(folder)/compare.html")
    return lines.joined(separator: "\n")
  }

  /// Unique short labels from file paths: the file stem, with "-2", "-3" added to repeats.
  public static func labels(forFiles files: [String]) -> [String] {
    var seen: [String: Int] = [:]
    return files.map { f in
      let stem = ((f as NSString).lastPathComponent as NSString).deletingPathExtension
      let base = stem.isEmpty ? "scenario" : stem
      seen[base, default: 0] += 1
      let n = seen[base] ?? 1
      return n == 1 ? base : "\(base)-\(n)"
    }
  }

  // MARK: Explanation

  /// A few plain sentences on how each scenario differs from the first: monthly bill and what drives
  /// it, total cost, how much history is kept, and requirements.
  ///
  /// Example: "B costs $12.40 more per month than A at steady state ($27.48 vs $15.08), mostly
  /// STANDARD storage (+540.0 GB-months, +$12.42)."
  public static func explanation(_ entries: [CompareEntry]) -> [String] {
    explanationByScenario(entries).flatMap(\.lines)
  }

  /// The same sentences, grouped by the scenario they compare with the baseline.
  public static func explanationByScenario(_ entries: [CompareEntry]) -> [(label: String, lines: [String])] {
    guard let a = entries.first else { return [] }
    return entries.dropFirst().map { b in (b.label, differences(a, b)) }
  }

  static func differences(_ a: CompareEntry, _ b: CompareEntry) -> [String] {
    var out: [String] = []
    let A = a.label, B = b.label
    // Monthly bill at steady state and its drivers.
    if let ma = a.result.lastFullMonth, let mb = b.result.lastFullMonth {
      let delta = mb.total - ma.total
      if abs(delta.amount) < Decimal(string: "0.005") ?? 0 {
        out.append("\(B) costs the same per month as \(A) at steady state (\(mb.total.formatted())).")
      } else {
        var s = "\(B) costs \(Money(abs(delta.amount)).formatted()) \(delta.amount > 0 ? "more" : "less") per month than \(A) at steady state "
        s += "(\(mb.total.formatted()) in \(Format.month(mb.month)) vs \(ma.total.formatted()) in \(Format.month(ma.month)))"
        let drivers = monthDrivers(ma, mb)
        let same = drivers.filter { ($0.delta.amount > 0) == (delta.amount > 0) }
        let against = drivers.filter { ($0.delta.amount > 0) != (delta.amount > 0) }
        let threshold = abs(delta.amount) / 10
        let main = same.prefix(2).filter { abs($0.delta.amount) >= threshold }
        if !main.isEmpty {
          s += ", mostly " + main.map(\.text).joined(separator: " and ")
        }
        if let off = against.first, abs(off.delta.amount) >= threshold {
          s += ", partly offset by " + off.text
        }
        out.append(s + ".")
      }
    } else {
      out.append("\(a.result.lastFullMonth == nil ? A : B) has no full calendar month, so steady-state monthly costs are not compared.")
    }
    // Total over the horizon.
    let ta = a.result.totalCost, tb = b.result.totalCost
    let dt = tb - ta
    var total: String
    if abs(dt.amount) < Decimal(string: "0.005") ?? 0 {
      total = "Over the whole horizon both cost \(tb.formatted())"
    } else {
      total =
        "Over the whole horizon \(B) costs \(Money(abs(dt.amount)).formatted()) \(dt.amount > 0 ? "more" : "less") than \(A) (\(tb.formatted()) vs \(ta.formatted()))"
    }
    if a.result.daily.count != b.result.daily.count {
      total += "; the horizons differ (\(b.result.daily.count) vs \(a.result.daily.count) days)"
    }
    out.append(total + ".")
    // History kept.
    let ca = a.result.coverage, cb = b.result.coverage
    let ageA = ca.oldestRestorableAtEnd.map { Double(a.result.end - $0) / 86_400 }
    let ageB = cb.oldestRestorableAtEnd.map { Double(b.result.end - $0) / 86_400 }
    switch (ageA, ageB) {
    case (let x?, let y?):
      let d = y - x
      let points = "\(cb.restorableAtEnd) vs \(ca.restorableAtEnd) restorable restore points"
      if abs(d) < 0.05 {
        out.append("\(A) and \(B) keep the same history at the end: \(Format.dayCount(x)) days back (\(points)).")
      } else {
        let (more, less) = d > 0 ? (B, A) : (A, B)
        out.append(
          "\(more) keeps \(Format.dayCount(abs(d))) more \(Format.dayCount(abs(d)) == "1" ? "day" : "days") of history than \(less) at the end: the oldest restorable backup is "
            + "\(Format.dayCount(y)) days old in \(B) and \(Format.dayCount(x)) in \(A) (\(points)).")
      }
    case (nil, let y?):
      out.append("At the end \(B) can restore backups \(Format.dayCount(y)) days back; \(A) can restore none.")
    case (let x?, nil):
      out.append("At the end \(A) can restore backups \(Format.dayCount(x)) days back; \(B) can restore none.")
    case (nil, nil):
      out.append("At the end neither \(A) nor \(B) has a restorable backup.")
    }
    // Protection against the backup credentials being stolen.
    switch (a.attack, b.attack) {
    case (let x?, let y?):
      func phrase(_ e: CompareEntry, _ r: AttackReport) -> String {
        guard let w = r.worst, let d = w.detectionWindowDays else { return "no attack destroys every backup in \(e.label)" }
        return d == 0
          ? "in \(e.label) every backup is gone at once ('\(w.strategy.rawValue)')"
          : "in \(e.label) the last good backup is gone \(Format.days(d)) after an attack ('\(w.strategy.rawValue)')"
      }
      let da = a.attackWindowDays, db = b.attackWindowDays
      if da == db {
        out.append("Stolen backup credentials do the same damage in both: \(phrase(b, y)).")
      } else {
        let better = (db ?? Decimal.greatestFiniteMagnitude) > (da ?? Decimal.greatestFiniteMagnitude) ? B : A
        out.append("\(better) is better protected if the backup credentials are stolen: \(phrase(b, y)); \(phrase(a, x)).")
      }
    case (nil, let y?):
      out.append("Only \(B) states an attack: \(Verdict.sentence(y))")
    case (let x?, nil):
      out.append("Only \(A) states an attack: \(Verdict.sentence(x))")
    case (nil, nil): break
    }
    // Requirements that one meets and the other does not.
    let names = Array(Set(a.requirements.map(\.name) + b.requirements.map(\.name))).sorted()
    for n in names {
      let qa = a.requirements.first { $0.name == n }, qb = b.requirements.first { $0.name == n }
      switch (qa?.met, qb?.met) {
      case (true?, false?):
        out.append("\(B) fails \(n) (first on \(qb?.firstFailedOn?.iso8601 ?? "-")); \(A) meets it.")
      case (false?, true?):
        out.append("\(A) fails \(n) (first on \(qa?.firstFailedOn?.iso8601 ?? "-")); \(B) meets it.")
      case (false?, false?):
        out.append("Both \(A) and \(B) fail \(n).")
      case (nil, false?):
        out.append("\(B) fails \(n) (first on \(qb?.firstFailedOn?.iso8601 ?? "-")); \(A) does not state it.")
      case (false?, nil):
        out.append("\(A) fails \(n) (first on \(qa?.firstFailedOn?.iso8601 ?? "-")); \(B) does not state it.")
      default: break
      }
    }
    return out
  }

  struct Driver {
    var text: String
    var delta: Money
  }

  /// The parts of a month's bill that differ between two months, largest change first.
  static func monthDrivers(_ a: MonthCost, _ b: MonthCost) -> [Driver] {
    var out: [Driver] = []
    let classes = Set(a.storageByClass.keys).union(b.storageByClass.keys).union(a.gbMonths.keys).union(b.gbMonths.keys)
    for c in classes.sorted() {
      let d = (b.storageByClass[c] ?? .zero) - (a.storageByClass[c] ?? .zero)
      let g = (b.gbMonths[c] ?? 0) - (a.gbMonths[c] ?? 0)
      guard d != .zero else { continue }
      out.append(Driver(text: "\(c.rawValue) storage (\(signed(g)) GB-months, \(signedMoney(d)))", delta: d))
    }
    let parts: [(String, KeyPath<MonthCost, Money>)] = [
      ("PUT requests", \.requests), ("transition requests", \.transitions), ("early-deletion charges", \.earlyDeletion),
      ("retrieval", \.retrieval), ("inter-region replication transfer", \.dataTransfer),
      ("Replication Time Control", \.replicationTimeControl),
    ]
    for (name, path) in parts {
      let d = b[keyPath: path] - a[keyPath: path]
      guard d != .zero else { continue }
      out.append(Driver(text: "\(name) (\(signedMoney(d)))", delta: d))
    }
    return out.sorted { abs($0.delta.amount) > abs($1.delta.amount) }
  }

  /// A signed figure to one decimal place: "+1,894.3", "−20.0".
  static func signed(_ d: Decimal) -> String {
    let text = Money(abs(d)).formatted(places: 1).dropFirst()  // "$1,894.3" without the "$"
    return (d >= 0 ? "+" : "−") + text
  }

  static func signedMoney(_ m: Money) -> String {
    (m.amount >= 0 ? "+" : "−") + Money(abs(m.amount)).formatted()
  }

  // MARK: Charts

  /// Cumulative cost per scenario (one line each) and the oldest restorable backup's age per day.
  ///
  /// When every scenario starts on the same day the x axis is dates, otherwise days since each start.
  public static func charts(_ entries: [CompareEntry]) -> [ChartSpec] {
    let sameStart = Set(entries.map(\.result.start)).count <= 1
    let xAxis: ChartSpec.XAxis = sameStart ? .dates : .numbers(label: "days since the scenario's start")
    func x(_ e: CompareEntry, _ day: CivilDate) -> Double {
      sameStart ? Double(day.midnight.seconds) : Double(day.daysSinceEpoch - e.result.start.dayNumber + 1)
    }
    let cost = entries.enumerated().map { i, e in
      ChartSpec.Series(
        label: e.label, points: e.result.daily.map { .init(x: x(e, $0.date), y: ChartSpec.double($0.costToDate)) },
        color: ChartSpec.palette[i % ChartSpec.palette.count], dashed: i % 2 == 1)
    }
    let history = entries.enumerated().map { i, e in
      ChartSpec.Series(
        label: e.label,
        points: e.result.coverageDaily.map { .init(x: x(e, $0.date), y: $0.oldestAgeDays ?? .nan) },
        color: ChartSpec.palette[i % ChartSpec.palette.count], dashed: i % 2 == 1)
    }
    return [
      ChartSpec(
        id: "compare-cumulative-cost", title: "Cumulative cost", caption: "Total spent since the start, at the end of each day, per scenario.",
        style: .lines, xAxis: xAxis, yLabel: "USD to date", yFormat: .dollars, series: cost),
      ChartSpec(
        id: "compare-history", title: "How far back you could restore",
        caption: "Age in days of the oldest backup that could still be restored in full, at the end of each day, per scenario.",
        style: .lines, xAxis: xAxis, yLabel: "days of history", series: history),
    ].filter { !$0.isEmpty }
  }

  // MARK: Side-by-side rows

  /// Rows of the side-by-side table: a label, then one cell per scenario.
  static func rows(_ entries: [CompareEntry]) -> [[String]] {
    var rows: [[String]] = []
    func row(_ label: String, _ f: (CompareEntry) -> String) { rows.append([label] + entries.map(f)) }
    row("Scenario") { $0.result.scenarioName }
    row("File") { $0.file }
    row("Simulated") { e in "\(Format.horizon(start: e.result.start, end: e.result.end)), \(e.result.daily.count) days" }
    row("Monthly cost at steady state") { e in e.result.lastFullMonth.map { "\($0.total.formatted()) (\(Format.month($0.month)))" } ?? "n/a" }
    row("Total cost over the horizon") { $0.result.totalCost.formatted() }
    let categories: [(String, KeyPath<MonthCost, Money>)] = [
      ("storage", \.storage), ("requests", \.requests), ("transitions", \.transitions), ("early deletion", \.earlyDeletion),
      ("retrieval", \.retrieval), ("data transfer", \.dataTransfer), ("replication time control", \.replicationTimeControl),
    ]
    for (name, path) in categories where entries.contains(where: { $0.result.total(path) != .zero }) || name == "storage" {
      row("  of which \(name)") { $0.result.total(path).formatted() }
    }
    let classes = Set(entries.flatMap { $0.result.byStorageClass.keys }).sorted()
    for c in classes {
      row("Storage in \(c.rawValue)") { e in
        guard let v = e.result.byStorageClass[c] else { return "—" }
        return "\(v.storage.formatted()) (\(Format.decimal(v.gbMonths, places: 1)) GB-months)"
      }
    }
    rows += bucketRows(entries)
    row("Stored at the end") { Format.bytes($0.result.endBytesByClass.values.reduce(0, +)) }
    row("Restorable restore points at the end") { e in "\(e.result.coverage.restorableAtEnd) of \(e.result.coverage.restorePointsCreated)" }
    row("Oldest restorable at the end") { e in
      guard let o = e.result.coverage.oldestRestorableAtEnd else { return "none" }
      return "\(Format.time(o)) (\(Format.dayCount(Double(e.result.end - o) / 86_400)) days)"
    }
    let names = Array(Set(entries.flatMap { $0.requirements.map(\.name) })).sorted()
    for n in names {
      row("Requirement \(n)") { e in
        guard let q = e.requirements.first(where: { $0.name == n }) else { return "not stated" }
        return Verdict.status(q)
      }
    }
    return rows
  }

  // MARK: Writers

  public static func html(_ entries: [CompareEntry], charts: [RenderedChart]) -> String {
    let labels = entries.map(\.label)
    var body = "<header class=\"report\">\n<p class=\"eyebrow\">Backup strategy comparison</p>\n"
    body += "<h1>\(HTMLReport.escape(labels.joined(separator: " vs ")))</h1>\n"
    body +=
      "<p class=\"meta\">\(entries.count) scenarios, each simulated on its own; \(HTMLReport.escape(labels.first ?? "")) is the baseline.</p>\n</header>\n"
    body += "<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">What differs</h2>\n<div class=\"kpis\">\n"
    for e in entries {
      let steady = e.result.lastFullMonth.map { $0.total.formatted() } ?? "n/a"
      let unmet = e.requirements.filter { !$0.met }.count
      let history =
        e.result.coverage.oldestRestorableAtEnd.map { "\(Format.dayCount(Double(e.result.end - $0) / 86_400)) days of history" }
        ?? "no restorable backup"
      let reqs =
        e.requirements.isEmpty
        ? "no requirements stated" : unmet == 0 ? "all requirements met" : "\(unmet) requirement\(unmet == 1 ? "" : "s") NOT MET"
      body += HTMLReport.kpi("\(e.label) — per month at steady state", steady, "\(e.result.totalCost.formatted()) in total; \(history); \(reqs)")
    }
    body += "</div>\n<div class=\"differences\">\n"
    for (label, lines) in explanationByScenario(entries) {
      body += "<h3>\(HTMLReport.escape(label)) compared with \(HTMLReport.escape(entries.first?.label ?? ""))</h3>\n<ul>\n"
      for line in lines { body += "<li>\(HTMLReport.escape(line))</li>\n" }
      body += "</ul>\n"
    }
    body += "</div>\n</section>\n"
    body += "<section id=\"side-by-side\">\n<h2>Side by side</h2>\n"
    let table = rows(entries)
    body += HTMLReport.table(headers: [""] + labels, rows: table, numeric: Set(1...max(1, entries.count)), className: "side-by-side")
    body += "</section>\n"
    body += HTMLReport.chartsSection(charts, scenarioName: "")
    // Monthly cost per scenario, one column each.
    let months = Array(Set(entries.flatMap { $0.result.months.map(\.month) })).sorted()
    let monthRows = months.map { m in
      [Format.month(m)] + entries.map { e in e.result.months.first { $0.month == m }.map { $0.total.formatted() } ?? "—" }
    }
    body += "<section class=\"page\" id=\"cost-by-month\">\n<h2>Cost by month</h2>\n"
    body += HTMLReport.table(headers: ["Month"] + labels, rows: monthRows, numeric: Set(1...max(1, entries.count)))
    body += "</section>\n"
    let prices = entries.map { "\($0.label): \($0.result.prices.source); read \($0.result.prices.asOf)" }
    body +=
      "<section id=\"prices\">\n<h2>Prices used</h2>\n<ul>\n" + prices.map { "<li>\(HTMLReport.escape($0))</li>\n" }.joined() + "</ul>\n</section>\n"
    return HTMLReport.page(title: "\(labels.joined(separator: " vs ")) — backupsim comparison", body: body)
  }

  public static func markdown(_ entries: [CompareEntry], charts: [RenderedChart]) -> String {
    let labels = entries.map(\.label)
    var out = "# Comparison: \(Markdown.escape(labels.joined(separator: " vs ")))\n\n"
    out += "\(Markdown.escape(labels.first ?? "")) is the baseline.\n\n## What differs\n"
    for (label, lines) in explanationByScenario(entries) {
      out += "\n### \(Markdown.escape(label)) compared with \(Markdown.escape(labels.first ?? ""))\n\n"
      for line in lines { out += "- \(Markdown.escape(line))\n" }
    }
    out += "\n## Side by side\n\n"
    out += "| | " + labels.map(Markdown.escape).joined(separator: " | ") + " |\n"
    out += "|---|" + String(repeating: "---:|", count: entries.count) + "\n"
    for row in rows(entries) {
      out += "| " + row.map { Markdown.escape($0.trimmingCharacters(in: .whitespaces)) }.joined(separator: " | ") + " |\n"
    }
    out += "\n"
    out += ChartSpec.markdownSection(charts)
    return out
  }

  /// Each scenario's full `result.json` value under its label, and the explanation; "checks" only
  /// when thresholds were given.
  public static func json(_ entries: [CompareEntry], thresholds: CompareThresholds = CompareThresholds()) -> String {
    var o: [String: JSONValue] = [
      "schemaVersion": .int(ResultJSON.schemaVersion),
      "baseline": .string(entries.first?.label ?? ""),
      "scenarios": .array(
        entries.map { e in
          .object(["label": .string(e.label), "file": .string(e.file), "result": ResultJSON.value(e.result, requirements: e.requirements)])
        }),
      "differences": .array(explanation(entries).map { .string($0) }),
    ]
    if !thresholds.isEmpty { o["checks"] = checksValue(thresholds, check(entries, thresholds)) }
    return JSONValue.object(o).rendered()
  }
}
