import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// A verdict shown in its own box under the summary (the attacker verdict goes here).
public struct HTMLVerdict: Sendable, Equatable {
  public enum Tone: String, Sendable, Equatable {
    case good, warning, bad
  }

  public var title: String
  public var tone: Tone
  /// One sentence, plain text.
  public var headline: String
  /// Further plain-text lines, one bullet each.
  public var details: [String]

  public init(title: String, tone: Tone, headline: String, details: [String] = []) {
    self.title = title
    self.tone = tone
    self.headline = headline
    self.details = details
  }
}

/// A section added to a report after the built-in tables.
///
/// `html` is inserted as it is: build it with `HTMLReport.escape(_:)` and `HTMLReport.table(...)`,
/// which escape every cell.
public struct HTMLSection: Sendable, Equatable {
  public var id: String
  public var title: String
  public var html: String

  public init(id: String, title: String, html: String) {
    self.id = id
    self.title = title
    self.html = html
  }
}

/// `report.html`: one self-contained page (inline CSS and SVG, no script, no network) for people.
///
/// Summary first (steady-state monthly cost, total, restorable history, requirement verdicts, and the
/// attacker verdict when one is given), then charts, then the tables behind them. Prints cleanly.
public enum HTMLReport {
  public static func render(
    _ r: RunResult, requirements: [RequirementResult], charts: [RenderedChart], attackVerdict: HTMLVerdict? = nil,
    extraSections: [HTMLSection] = []
  ) -> String {
    var body = header(r)
    body += summary(r, requirements: requirements)
    if let v = attackVerdict { body += verdictBox(v) }
    body += chartsSection(charts, scenarioName: r.scenarioName)
    body += costByMonth(r)
    body += storageByClass(r)
    body += StartingStateReport.html(r)
    body += retention(r)
    body += endState(r)
    for s in extraSections {
      body += "<section class=\"page\" id=\"\(escape(slug(s.id)))\">\n<h2>\(escape(s.title))</h2>\n\(s.html)\n</section>\n"
    }
    body += pricesUsed(r)
    return page(title: "\(r.scenarioName) — backupsim report", body: body)
  }

  // MARK: Page

  static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="backupsim">
    <title>\(escape(title))</title>
    <style>
    \(css)
    </style>
    </head>
    <body>
    <main>
    \(body)<footer>Written by backupsim. GB = 2<sup>30</sup> bytes. Amounts in US dollars, rounded to the cent for display; result.json keeps full precision.</footer>
    </main>
    </body>
    </html>

    """
  }

  static let css = """
    :root { color-scheme: light; --ink: #1d2733; --muted: #5b6b7c; --line: #d9e0e7; --soft: #f5f7fa;
      --good: #1e7b34; --good-bg: #e7f4ea; --bad: #b3261e; --bad-bg: #fbe9e7; --warn: #8a5a00; --warn-bg: #fdf3dc; --accent: #2f6db5; }
    * { box-sizing: border-box; }
    html { background: #fff; }
    body { margin: 0; color: var(--ink); background: #fff;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1080px; margin: 0 auto; padding: 32px 28px 48px; }
    header.report { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 22px; }
    .eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; font-weight: 600; color: var(--accent); }
    h1 { margin: 4px 0 6px; font-size: 28px; line-height: 1.25; }
    h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
    h3 { font-size: 16px; margin: 20px 0 8px; }
    .meta { margin: 0; color: var(--muted); font-size: 14px; }
    .summary { border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; background: var(--soft); }
    .summary h2 { margin: 0 0 12px; border: 0; padding: 0; font-size: 17px; }
    .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px; }
    .kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
    .kpi .label { font-size: 13px; color: var(--muted); }
    .kpi .value { font-size: 26px; font-weight: 700; line-height: 1.2; margin: 2px 0; font-variant-numeric: tabular-nums; }
    .kpi .sub { font-size: 13px; color: var(--muted); }
    .verdicts { list-style: none; margin: 14px 0 0; padding: 0; }
    .verdicts li { display: flex; gap: 10px; align-items: baseline; padding: 6px 0; border-top: 1px solid var(--line); }
    .verdicts li:first-child { border-top: 0; }
    .badge { display: inline-block; min-width: 5.6em; text-align: center; font-size: 12px; font-weight: 700; letter-spacing: .04em;
      padding: 2px 8px; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; }
    .badge.good { color: var(--good); background: var(--good-bg); }
    .badge.bad { color: var(--bad); background: var(--bad-bg); }
    .badge.warning { color: var(--warn); background: var(--warn-bg); }
    .none { color: var(--muted); margin: 12px 0 0; }
    .verdict { margin-top: 18px; border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 8px; padding: 14px 18px; }
    .verdict.good { border-left-color: var(--good); }
    .verdict.bad { border-left-color: var(--bad); }
    .verdict.warning { border-left-color: var(--warn); }
    .verdict h2 { margin: 0 0 6px; padding: 0; border: 0; font-size: 17px; }
    .verdict .headline { margin: 0; font-weight: 600; }
    .verdict ul { margin: 8px 0 0; padding-left: 20px; }
    figure.chart { margin: 0 0 22px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 8px; break-inside: avoid; }
    figure.chart svg { display: block; width: 100%; height: auto; }
    figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
    .note { color: var(--muted); border: 1px dashed var(--line); border-radius: 8px; padding: 10px 14px; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
    th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #b8c3cf; font-weight: 600; color: var(--muted); font-size: 13px; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    tbody tr:nth-child(even) td { background: #fafbfc; }
    table.side-by-side { table-layout: fixed; }
    table.side-by-side th:first-child { width: 13em; }
    table.side-by-side td.num, table.side-by-side th.num { white-space: normal; overflow-wrap: anywhere; }
    table.side-by-side td:first-child { font-weight: 600; color: var(--muted); }
    .differences h3 { margin: 16px 0 4px; font-size: 15px; }
    .differences ul { margin: 0; padding-left: 20px; }
    .differences li { margin: 3px 0; }
    tr.total td { font-weight: 700; border-top: 2px solid #b8c3cf; background: #fff; }
    p.small { font-size: 13px; color: var(--muted); }
    footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
    @media (max-width: 640px) { main { padding: 18px 14px; } h1 { font-size: 22px; } .kpi .value { font-size: 22px; } }
    @media print {
      @page { margin: 14mm 12mm; }
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      .summary, tbody tr:nth-child(even) td { background: none; }
      .kpi, .summary, figure.chart, .verdict { break-inside: avoid; }
      .kpis { grid-template-columns: repeat(4, 1fr); gap: 8px; }
      .kpi .value { font-size: 18pt; }
      section.page { break-before: page; }
      h2, h3 { break-after: avoid; }
      figure.chart svg { max-width: 100%; }
      .scroll { overflow: visible; }
      tr { break-inside: avoid; }
    }
    """

  // MARK: Summary

  static func header(_ r: RunResult) -> String {
    var meta = "Simulated \(Format.horizon(start: r.start, end: r.end)), \(r.daily.count) days, seed \(r.seed). "
    meta += "Bucket region: \(escape(r.region)). Prices: \(r.prices.region), read \(r.prices.asOf)."
    return """
      <header class="report">
      <p class="eyebrow">Backup strategy report</p>
      <h1>\(escape(r.scenarioName))</h1>
      <p class="meta">\(escape(meta))</p>
      </header>

      """
  }

  static func kpi(_ label: String, _ value: String, _ sub: String) -> String {
    "<div class=\"kpi\"><div class=\"label\">\(escape(label))</div><div class=\"value\">\(escape(value))</div><div class=\"sub\">\(escape(sub))</div></div>\n"
  }

  static func summary(_ r: RunResult, requirements: [RequirementResult]) -> String {
    var out = "<section class=\"summary\" aria-labelledby=\"summary\">\n<h2 id=\"summary\">Summary</h2>\n<div class=\"kpis\">\n"
    if let m = r.lastFullMonth {
      out += kpi("Monthly cost at steady state", m.total.formatted(), "\(Format.month(m.month)), the last full month")
    } else {
      out += kpi("Monthly cost at steady state", "n/a", "no full calendar month in the horizon")
    }
    out += kpi(
      "Total over the horizon", r.totalCost.formatted(), "\(r.months.count) billing month\(r.months.count == 1 ? "" : "s"), \(r.daily.count) days")
    let cov = r.coverage
    if let oldest = cov.oldestRestorableAtEnd {
      let age = Double(r.end - oldest) / 86_400
      out += kpi(
        "Restorable history at the end", "\(Format.dayCount(age)) days",
        "\(cov.restorableAtEnd) restore point\(cov.restorableAtEnd == 1 ? "" : "s"); the oldest written \(Format.time(oldest))")
    } else {
      out += kpi("Restorable history at the end", "none", "\(cov.restorePointsCreated) restore points written, none restorable")
    }
    let stored = r.endBytesByClass.values.reduce(0, +)
    out += kpi(
      "Stored at the end", Format.bytes(stored),
      "\(r.currentVersions + r.noncurrentVersions) object versions, \(r.deleteMarkers) delete marker\(r.deleteMarkers == 1 ? "" : "s")")
    out += "</div>\n"
    if requirements.isEmpty {
      out += "<p class=\"none\">No requirements are stated in this scenario.</p>\n"
    } else {
      out += "<ul class=\"verdicts\">\n"
      for q in requirements {
        let badge: String
        var when = ""
        switch q.status {
        case .met: badge = "<span class=\"badge good\">MET</span>"
        case .notMet:
          badge = "<span class=\"badge bad\">NOT MET</span>"
          when = " First failed on \(q.firstFailedOn?.iso8601 ?? "-")."
        case .notChecked:
          badge = "<span class=\"badge warning\">NOT CHECKED</span>"
          when = " " + Verdict.status(q).prefix(1).uppercased() + Verdict.status(q).dropFirst() + "."
        }
        out += "<li>\(badge)<span><strong>\(escape(q.name))</strong>: \(escape(Verdict.detail(q))).\(escape(when))</span></li>\n"
      }
      out += "</ul>\n"
    }
    return out + "</section>\n"
  }

  static func verdictBox(_ v: HTMLVerdict) -> String {
    var out = "<section class=\"verdict \(v.tone.rawValue)\" id=\"attack-verdict\">\n<h2>\(escape(v.title))</h2>\n"
    out += "<p class=\"headline\">\(escape(v.headline))</p>\n"
    if !v.details.isEmpty {
      out += "<ul>\n" + v.details.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
    }
    return out + "</section>\n"
  }

  // MARK: Charts

  static func chartsSection(_ charts: [RenderedChart], scenarioName: String) -> String {
    var out = "<section class=\"page\" id=\"charts\">\n<h2>Charts</h2>\n"
    var drawn = 0
    for (i, c) in charts.enumerated() {
      guard let svg = inlineSVG(c.svg, prefix: "c\(i)-", label: c.title) else { continue }
      drawn += 1
      out += "<figure class=\"chart\" id=\"chart-\(escape(slug(c.id)))\">\n\(svg)\n<figcaption>\(escape(c.caption))</figcaption>\n</figure>\n"
    }
    if drawn == 0 {
      out += "<p class=\"note\">No charts in this report: gnuplot was not available when it was written. "
      out += "Install it (<code>apt-get install gnuplot-nox</code>) and run again to get them; the tables below have every number.</p>\n"
    }
    return out + "</section>\n"
  }

  /// gnuplot's SVG made fit to sit inside the page: the XML prologue dropped, ids prefixed so that
  /// several charts do not collide, and a label for screen readers.
  ///
  /// Nil if it is not plain SVG.
  static func inlineSVG(_ svg: String, prefix: String, label: String) -> String? {
    guard let start = svg.range(of: "<svg"), let end = svg.range(of: "</svg>", options: .backwards), start.lowerBound < end.lowerBound
    else { return nil }
    var s = String(svg[start.lowerBound..<end.upperBound])
    let lower = s.lowercased()
    // gnuplot never writes these for the scripts we give it; anything else is not ours to inline.
    for bad in ["<script", "<foreignobject", "javascript:", "<iframe", "<object", "<embed"] where lower.contains(bad) { return nil }
    for (from, to) in [
      ("id='", "id='\(prefix)"), ("id=\"", "id=\"\(prefix)"), ("href='#", "href='#\(prefix)"), ("href=\"#", "href=\"#\(prefix)"),
      ("url(#", "url(#\(prefix)"),
    ] {
      s = s.replacingOccurrences(of: from, with: to)
    }
    s = s.replacingOccurrences(of: "<svg", with: "<svg role=\"img\" aria-label=\"\(escape(label))\"", options: [.anchored])
    return s
  }

  // MARK: Tables

  static func costByMonth(_ r: RunResult) -> String {
    var rows: [[String]] = r.months.map { m in
      [
        Format.month(m.month), m.storage.formatted(), m.requests.formatted(), m.transitions.formatted(), m.earlyDeletion.formatted(),
        m.retrieval.formatted(), m.total.formatted(),
      ]
    }
    rows.append([
      "Total", r.total(\.storage).formatted(), r.total(\.requests).formatted(), r.total(\.transitions).formatted(),
      r.total(\.earlyDeletion).formatted(), r.total(\.retrieval).formatted(), r.totalCost.formatted(),
    ])
    return "<section class=\"page\" id=\"cost-by-month\">\n<h2>Cost by month</h2>\n"
      + table(
        headers: ["Month", "Storage", "Requests", "Transitions", "Early deletion", "Retrieval", "Total"], rows: rows,
        numeric: Set(1...6), totalRow: true)
      + "</section>\n"
  }

  static func storageByClass(_ r: RunResult) -> String {
    let byClass = r.byStorageClass
    var rows: [[String]] = []
    for c in StorageClass.allCases.sorted() where byClass[c] != nil || r.endObjectsByClass[c] != nil {
      let v = byClass[c] ?? (.zero, 0)
      rows.append([
        c.rawValue, Format.decimal(v.gbMonths, places: 3), v.storage.formatted(),
        Format.bytes(r.endBytesByClass[c] ?? 0), String(r.endObjectsByClass[c] ?? 0),
      ])
    }
    rows += AccessTierRows.rows(r).map { $0 + ["", ""] }
    return "<section id=\"storage-by-class\">\n<h2>Storage by class</h2>\n"
      + table(
        headers: ["Class", "GB-months over the horizon", "Storage cost", "Stored at the end", "Object versions at the end"], rows: rows,
        numeric: Set(1...4))
      + "<p class=\"small\">STANDARD includes the 8 KiB per object that GLACIER and DEEP_ARCHIVE bill at STANDARD rates.</p>\n</section>\n"
  }

  /// How much history is kept, and what restoring the newest and the oldest backup would take.
  static func retention(_ r: RunResult) -> String {
    var out = "<section id=\"retention\">\n<h2>Retention and restores</h2>\n"
    let c = r.coverage
    let coverageDaily = r.coverageDaily
    if let last = coverageDaily.last, let age = last.oldestAgeDays {
      var s =
        "At the end, \(c.restorableAtEnd) backup\(c.restorableAtEnd == 1 ? " is" : "s are") restorable, covering \(Format.dayCount(age)) days of history"
      s += last.largestGapHours.map { "; the longest gap between two of them is \(Format.dayCount($0)) hours" } ?? ""
      out += "<p>\(escape(s)).</p>\n"
      let tail = coverageDaily.suffix(max(1, coverageDaily.count / 4))
      let ages = tail.compactMap(\.oldestAgeDays)
      if let lo = ages.min(), let hi = ages.max() {
        let range = Format.dayCount(lo) == Format.dayCount(hi) ? Format.dayCount(lo) : "between \(Format.dayCount(lo)) and \(Format.dayCount(hi))"
        out += "<p>\(escape("Over the last \(tail.count) days the oldest restorable backup was \(range) days old."))</p>\n"
      }
    } else {
      out += "<p>At the end no backup is restorable.</p>\n"
    }
    let estimates = r.restoreEstimates
    if !estimates.isEmpty {
      out += "<h3>What a full restore takes</h3>\n"
      var rows: [[String]] = []
      for e in estimates {
        let classes = e.byClass.keys.sorted().map(\.rawValue).joined(separator: ", ")
        for tier in e.tiers.keys.sorted() {
          guard let t = e.tiers[tier] else { continue }
          rows.append([
            "\(e.label) (\(e.job))", Format.time(e.writtenAt), String(e.objects), Format.bytes(e.bytes), classes, tier.rawValue,
            Format.hours(t.hours), t.cost.formatted(),
          ])
        }
      }
      out += table(headers: ["Backup", "Written", "Objects", "Size", "Classes", "Tier", "Time (up to)", "Cost"], rows: rows, numeric: [2, 3, 6, 7])
      out += "<p class=\"small\">\(escape(RestoreWording.includes + RestoreWording.excludes))</p>\n"
    }
    return out + "</section>\n"
  }

  static func endState(_ r: RunResult) -> String {
    var out = "<section id=\"end-state\">\n<h2>End state</h2>\n"
    out += table(
      headers: ["", "Count"],
      rows: [
        ["Current versions", String(r.currentVersions)], ["Noncurrent versions", String(r.noncurrentVersions)],
        ["Delete markers", String(r.deleteMarkers)],
      ], numeric: [1])
    if !r.jobNames.isEmpty {
      out += "<h3>Restore points by job</h3>\n"
      let rows = zip(r.jobNames, r.coverageByJob).map { name, c -> [String] in
        return [name, String(c.restorePointsCreated), String(c.restorableAtEnd), c.oldestRestorableAtEnd.map(Format.time) ?? "none"]
      }
      out += table(headers: ["Job", "Written", "Restorable at the end", "Oldest restorable"], rows: rows, numeric: [1, 2])
    }
    return out + "</section>\n"
  }

  static func pricesUsed(_ r: RunResult) -> String {
    var out = "<section id=\"prices\">\n<h2>Prices used</h2>\n"
    out += "<p>\(escape(r.prices.source)); read <strong>\(escape(r.prices.asOf))</strong>.</p>\n"
    var rows: [[String]] = []
    for c in StorageClass.allCases {
      guard let p = r.prices.classes[c] else { continue }
      let bands = p.storage.map { b in
        "\(Money.plain(b.pricePerGBMonth))" + (b.upToGB.map { " to \(Money.plain($0)) GB" } ?? (p.storage.count > 1 ? " beyond" : ""))
      }.joined(separator: "; ")
      let mark = { (item: String) in PriceNotes.mark(r.prices, c, item) }
      rows.append([
        c.rawValue, bands + mark("storage"), Money.plain(p.putPerThousand) + mark("put"),
        p.transitionPerThousand.map { Money.plain($0) + mark("transition") } ?? "n/a", String(p.minimumDays),
      ])
    }
    out += table(headers: ["Class", "Storage $/GB-month", "PUT $/1,000", "Transition in $/1,000", "Minimum days"], rows: rows, numeric: [2, 3, 4])
    if let note = PriceNotes.builtInSentence(r.prices) { out += "<p class=\"note\">\(escape(note))</p>\n" }
    for note in r.prices.notes { out += "<p class=\"note\">\(escape(note))</p>\n" }
    return out + "</section>\n"
  }

  /// An HTML table; every header and cell is escaped.
  ///
  /// `numeric` columns are right-aligned.
  public static func table(
    headers: [String], rows: [[String]], numeric: Set<Int> = [], totalRow: Bool = false, className: String? = nil
  ) -> String {
    func cls(_ i: Int) -> String { numeric.contains(i) ? " class=\"num\"" : "" }
    var out = "<div class=\"scroll\"><table\(className.map { " class=\"\(escape(slug($0)))\"" } ?? "")>\n<thead><tr>"
    for (i, h) in headers.enumerated() { out += "<th\(cls(i)) scope=\"col\">\(escape(h))</th>" }
    out += "</tr></thead>\n<tbody>\n"
    for (n, row) in rows.enumerated() {
      out += totalRow && n == rows.count - 1 ? "<tr class=\"total\">" : "<tr>"
      for (i, cell) in row.enumerated() { out += "<td\(cls(i))>\(escape(cell))</td>" }
      out += "</tr>\n"
    }
    return out + "</tbody>\n</table></div>\n"
  }

  // MARK: Text

  /// User text made safe for HTML element content and quoted attribute values.
  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\n", "\r", "\t": out += " "
      case _ where u.value < 0x20 || u.value == 0x7F: continue
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// Letters, digits and dashes, for element ids.
  static func slug(_ s: String) -> String {
    ChartSpec(id: s, title: "", caption: "", style: .lines, xAxis: .dates, yLabel: "", series: []).fileStem
  }

}
