import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

func classicLike(name: String = "Classic", size: String = "20 GiB", noncurrentDays: Int = 30, months: Int = 4, cap: String? = nil) -> String {
  """
  name: \(name)
  start: 2027-01-01
  duration: \(months) months
  bucket:
    versioning: Enabled
    lifecycle:
      Rules:
        - ID: expire-30-then-n
          Status: Enabled
          Filter: { Prefix: "db/" }
          Expiration: { Days: 30 }
          NoncurrentVersionExpiration: { NoncurrentDays: \(noncurrentDays) }
  uploads:
    - name: db-dump
      key: "db/backup.sql.gz"
      schedule: daily at 02:00
      size: \(size)
  """ + (cap.map { "\nrequirements:\n  maxMonthlyCost: \($0)\n" } ?? "\n")
}

/// The report with charts drawn by a stand-in gnuplot.
func reportWithStandInCharts(_ r: RunResult, requirements: [RequirementResult] = [], verdict: HTMLVerdict? = nil) -> (html: String, scripts: [String])
{
  let rec = RecordingGnuplot()
  let batch = rec.gnuplot.draw(ChartSpec.standard(for: r))
  return (HTMLReport.render(r, requirements: requirements, charts: batch.charts, attackVerdict: verdict), rec.scripts)
}

@Suite struct HTMLReportTests {
  @Test func hostileTextIsEscapedEverywhere() throws {
    let r = try run(hostileScenarioYAML(marker: "/tmp/backupsim-never"))
    let req = [
      RequirementResult(
        met: false, firstFailedOn: CivilDate(year: 2027, month: 1, day: 3),
        measure: .maxMonthlyCost(limit: Money(10), costliestMonth: hostileText, costliestTotal: Money(12)))
    ]
    let verdict = HTMLVerdict(title: hostileText, tone: .bad, headline: hostileText, details: [hostileText])
    let extra = HTMLSection(id: hostileText, title: hostileText, html: HTMLReport.table(headers: [hostileText], rows: [[hostileText]]))
    let batch = RecordingGnuplot().gnuplot.draw(ChartSpec.standard(for: r))
    let html = HTMLReport.render(r, requirements: req, charts: batch.charts, attackVerdict: verdict, extraSections: [extra])
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("</svg><"))
    #expect(html.contains("&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("it&#39;s &quot;q&quot;"))
    #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  }

  @Test func selfContainedAndScriptFree() throws {
    let (html, _) = reportWithStandInCharts(try run(classicLike()))
    let lower = html.lowercased()
    for bad in ["<script", "<link", " src=", "@import", "url(http", "javascript:"] {
      #expect(!lower.contains(bad), "found \(bad)")
    }
    // The only URLs are XML namespace names, which browsers never fetch.
    let urls = html.components(separatedBy: "http").dropFirst().map { String($0.prefix(30)) }
    #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/") })
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<meta charset=\"utf-8\">"))
    #expect(html.contains("@media print"))
  }

  @Test func summaryComesFirstWithTheHeadlineNumbers() throws {
    let r = try run(classicLike(cap: "10 USD"))
    let requirements = r.checkRequirements(Requirements(maxMonthlyCost: money("10")))
    let (html, _) = reportWithStandInCharts(r, requirements: requirements)
    let steady = try #require(r.lastFullMonth)
    let order = [
      "id=\"summary\"", "Monthly cost at steady state", "Total over the horizon", "Restorable history", "id=\"charts\"",
      "id=\"cost-by-month\"", "id=\"storage-by-class\"", "id=\"retention\"", "What a full restore takes", "id=\"end-state\"", "id=\"prices\"",
    ]
    let positions = order.map { html.range(of: $0)?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil }, "missing one of \(order)")
    let found = positions.compactMap { $0 }
    #expect(found == found.sorted())
    #expect(html.contains(">\(steady.total.formatted())<"))
    #expect(html.contains(">\(r.totalCost.formatted())<"))
    #expect(html.contains("\(r.coverage.restorableAtEnd) restore points"))
    #expect(html.contains("read <strong>\(r.prices.asOf)</strong>"))
    // 20 GiB a day in STANDARD costs more than $10 a month.
    #expect(html.contains("<span class=\"badge bad\">NOT MET</span><span><strong>maxMonthlyCost</strong>"))
  }

  @Test func attackVerdictOnlyWhenGiven() throws {
    let r = try run(classicLike())
    let (without, _) = reportWithStandInCharts(r)
    #expect(!without.contains("attack-verdict"))
    let v = HTMLVerdict(
      title: "If the backup credentials are stolen", tone: .bad, headline: "Every good backup is gone 31 days after an overwrite.",
      details: ["overwrite: possible with s3:PutObject"])
    let (with, _) = reportWithStandInCharts(r, verdict: v)
    #expect(with.contains("<section class=\"verdict bad\" id=\"attack-verdict\">"))
    #expect(with.contains("<li>overwrite: possible with s3:PutObject</li>"))
    // A separate box between the summary and the charts.
    let verdictAt = try #require(with.range(of: "attack-verdict")?.lowerBound)
    let summaryEnd = try #require(with.range(of: "</section>")?.lowerBound)
    let chartsAt = try #require(with.range(of: "id=\"charts\"")?.lowerBound)
    #expect(summaryEnd < verdictAt && verdictAt < chartsAt)
  }

  @Test func chartsAreInlinedWithUniqueIds() throws {
    let r = try run(classicLike())
    let svg = """
      <?xml version="1.0" encoding="utf-8"  standalone="no"?>
      <svg viewBox="0 0 960 380" xmlns="http://www.w3.org/2000/svg"><defs><path id='gpPt0' d='M-1,0 h2'/></defs>
      <g id="gnuplot_plot_1"><use xlink:href='#gpPt0'/><path d="M1,1 L2,2"/></g></svg>
      """
    let charts = [
      RenderedChart(id: "a", title: "A <b>", caption: "first", svg: svg), RenderedChart(id: "b", title: "B", caption: "second", svg: svg),
    ]
    let html = HTMLReport.render(r, requirements: [], charts: charts)
    #expect(!html.contains("<?xml"))
    #expect(html.contains("<figure class=\"chart\" id=\"chart-a\">\n<svg role=\"img\" aria-label=\"A &lt;b&gt;\" viewBox"))
    #expect(html.contains("id='c0-gpPt0'") && html.contains("href='#c0-gpPt0'"))
    #expect(html.contains("id='c1-gpPt0'") && html.contains("href='#c1-gpPt0'"))
    #expect(html.contains("id=\"c1-gnuplot_plot_1\""))
    #expect(html.contains("<figcaption>second</figcaption>"))
  }

  @Test func svgWithActiveContentIsNotInlined() {
    #expect(HTMLReport.inlineSVG("<svg><script>alert(1)</script></svg>", prefix: "c0-", label: "x") == nil)
    #expect(HTMLReport.inlineSVG("<svg><foreignObject></foreignObject></svg>", prefix: "c0-", label: "x") == nil)
    #expect(HTMLReport.inlineSVG("not svg", prefix: "c0-", label: "x") == nil)
    #expect(
      HTMLReport.inlineSVG("<svg viewBox='0 0 1 1'></svg>", prefix: "c0-", label: "x")
        == "<svg role=\"img\" aria-label=\"x\" viewBox='0 0 1 1'></svg>")
  }

  @Test func withoutGnuplotTablesOnlyAndAHint() throws {
    let r = try run(classicLike())
    let batch = Gnuplot.drawIfAvailable(ChartSpec.standard(for: r), gnuplot: nil)
    let html = HTMLReport.render(r, requirements: [], charts: batch.charts)
    #expect(batch.diagnostics.count == 1)
    #expect(!html.contains("<svg"))
    #expect(html.contains("apt-get install gnuplot-nox"))
    #expect(html.contains("<h2>Cost by month</h2>"))
    #expect(html.contains("<td>Jan 2027</td><td class=\"num\">"))
    #expect(ChartSpec.markdownSection(batch.charts) == "")
  }

  @Test func standardChartsOfARun() throws {
    let r = try run(classicLike())
    let specs = ChartSpec.standard(for: r)
    // One storage class only: the by-class cost chart would repeat the category chart.
    #expect(specs.map(\.fileStem) == ["cost-by-category", "stored-by-class", "restore-points", "restorable-history"])
    let cost = specs[0]
    #expect(cost.series.map(\.label) == ["Storage", "Requests"])
    #expect(cost.xAxis == .categories(["Jan 2027", "Feb", "Mar", "Apr"]))
    let jan = try #require(r.months.first)
    #expect(cost.series[0].points[0].y == ChartSpec.double(jan.storage))
    let stored = specs[1]
    #expect(stored.series.map(\.label) == ["STANDARD"])
    #expect(stored.series[0].points.count == r.daily.count)
    // 20 GiB a day, kept about 31 days: about 640 GB at the end.
    #expect(stored.series[0].points.last.map { abs($0.y - Double(r.endBytesByClass[.standard] ?? 0) / Double(1 << 30)) < 1e-9 } == true)
    let md = ChartSpec.markdownSection([RenderedChart(spec: cost, svg: "<svg></svg>")])
    #expect(md == "## Charts\n\n![Monthly cost by category — Classic](charts/cost-by-category.svg)\n\n")
  }

  @Test func escapeHandlesEveryMarkupCharacter() {
    #expect(HTMLReport.escape("<a href=\"x\">'&'</a>\n") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ")
  }
}

@Suite struct CompareReportTests {
  func entries() throws -> [CompareEntry] {
    let a = try loadScenario(classicLike(name: "Small"))
    let b = try loadScenario(classicLike(name: "Big", size: "40 GiB", noncurrentDays: 60, cap: "20 USD"))
    return [("a.yaml", a), ("dir/b.yaml", b)].enumerated().map { i, fs in
      let r = simulate(fs.1)
      return CompareEntry(
        label: CompareReport.labels(forFiles: ["a.yaml", "dir/b.yaml"])[i], file: fs.0, result: r,
        requirements: r.checkRequirements(fs.1.requirements))
    }
  }

  @Test func labelsAreUniqueStems() {
    #expect(
      CompareReport.labels(forFiles: ["x/classic.yaml", "y/classic.yaml", "archive.json", "classic"]) == [
        "classic", "classic-2", "archive", "classic-3",
      ])
  }

  @Test func explanationSaysWhereTheDifferenceComesFrom() throws {
    let e = try entries()
    let lines = CompareReport.explanation(e)
    let a = try #require(e[0].result.lastFullMonth), b = try #require(e[1].result.lastFullMonth)
    let delta = Money(b.total.amount - a.total.amount).formatted()
    #expect(
      lines[0].hasPrefix(
        "b costs \(delta) more per month than a at steady state (\(b.total.formatted()) in Apr 2027 vs \(a.total.formatted()) in Apr 2027), mostly STANDARD storage (+"
      ))
    #expect(lines[1].hasPrefix("Over the whole horizon b costs "))
    #expect(lines[2].hasPrefix("b keeps 3"))
    #expect(lines[2].contains("more days of history than a"))
    #expect(lines.contains { $0.hasPrefix("b fails maxMonthlyCost (first on 2027-") && $0.hasSuffix("; a does not state it.") })
  }

  @Test func writersAreSideBySide() throws {
    let e = try entries()
    let rec = RecordingGnuplot()
    let specs = CompareReport.charts(e)
    #expect(specs.map(\.fileStem) == ["compare-cumulative-cost", "compare-history"])
    #expect(specs[0].series.map(\.label) == ["a", "b"])
    #expect(specs[0].xAxis == .dates)
    let batch = rec.gnuplot.draw(specs)
    let html = CompareReport.html(e, charts: batch.charts)
    #expect(!html.lowercased().contains("<script"))
    #expect(html.contains("<th class=\"num\" scope=\"col\">a</th><th class=\"num\" scope=\"col\">b</th>"))
    #expect(
      html.contains(
        "<td>Total cost over the horizon</td><td class=\"num\">\(e[0].result.totalCost.formatted())</td><td class=\"num\">\(e[1].result.totalCost.formatted())</td>"
      ))
    #expect(html.contains("<h3>b compared with a</h3>"))
    #expect(html.components(separatedBy: "<figure class=\"chart\"").count == 3)
    let md = CompareReport.markdown(e, charts: batch.charts)
    #expect(md.contains("| | a | b |\n|---|---:|---:|\n"))
    #expect(md.contains("![Cumulative cost](charts/compare-cumulative-cost.svg)"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(CompareReport.json(e).utf8)) as? [String: Any])
    #expect(json["baseline"] as? String == "a")
    let scenarios = try #require(json["scenarios"] as? [[String: Any]])
    #expect(scenarios.map { $0["label"] as? String } == ["a", "b"])
    #expect((scenarios[1]["result"] as? [String: Any])?["cost"] != nil)
    #expect((json["differences"] as? [String])?.count == CompareReport.explanation(e).count)
  }

  @Test func hostileLabelsAreEscaped() throws {
    var e = try entries()
    e[1].label = hostileText
    let rec = RecordingGnuplot()
    let html = CompareReport.html(e, charts: rec.gnuplot.draw(CompareReport.charts(e)).charts)
    #expect(!html.lowercased().contains("<script"))
    for script in rec.scripts { #expect(unsafeParts(of: script) == []) }
  }
}
