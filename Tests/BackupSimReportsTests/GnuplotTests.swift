import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Text that tries every way out of a gnuplot string or an HTML page.
let hostileText =
  "it's \"q\" `touch /tmp/PWNED` system(\"touch /tmp/PWNED\") </svg><script>alert(1)</script>\nnext\rline\u{0}\u{1B}[31m\u{202E} @x $(id) \\"

/// A scenario whose every user-supplied name is hostile (scenario name, rule ID, job name, key).
func hostileScenarioYAML(marker: String) -> String {
  """
  name: "it's \\"q\\" `touch \(marker)` system(\\"touch \(marker)\\") </svg><script>alert(1)</script>\\nnext line @x $(id) \\\\"
  start: 2027-01-01
  duration: 3 months
  bucket:
    versioning: Enabled
    lifecycle:
      Rules:
        - ID: "r'`touch \(marker)`</svg><script>"
          Status: Enabled
          Filter: { Prefix: "db/" }
          Expiration: { Days: 30 }
          NoncurrentVersionExpiration: { NoncurrentDays: 30 }
  uploads:
    - name: "job'`touch \(marker)`\\"</svg><script>x</script>"
      key: "db/it's`touch \(marker)`<script>.gz"
      schedule: daily at 02:00
      size: 1 GiB
  """
}

/// A `Gnuplot` that records every script and answers with a stand-in SVG naming the chart.
final class RecordingGnuplot: @unchecked Sendable {
  private let lock = NSLock()
  private var recorded: [String] = []

  var scripts: [String] {
    lock.lock()
    defer { lock.unlock() }
    return recorded
  }

  var gnuplot: Gnuplot {
    Gnuplot { script in
      self.lock.lock()
      self.recorded.append(script)
      self.lock.unlock()
      let id = script.split(separator: "\n").first?.replacingOccurrences(of: "# backupsim chart: ", with: "") ?? "?"
      return
        "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\"><g id=\"gnuplot_plot_1\"><path d=\"M0,0 L10,10\"/></g><text>\(id)</text></svg>\n"
    }
  }
}

/// Splits one gnuplot command line into code (outside strings) and single-quoted string bodies,
/// failing on a string that is not closed or on a double-quoted string (the writer never emits one).
///
/// User text must sit wholly inside one string, so the code part must read as our own commands.
func lexGnuplotLine(_ line: String) -> (code: String, strings: [String])? {
  var code = "", strings: [String] = []
  var chars = Array(line.unicodeScalars)[...]
  while let c = chars.popFirst() {
    if c == "\"" { return nil }
    if c != "'" {
      code.unicodeScalars.append(c)
      continue
    }
    var body = ""
    var closed = false
    // As gnuplot reads it in the worst case: the next quote ends the string.
    while let d = chars.popFirst() {
      if d == "'" {
        closed = true
        break
      }
      body.unicodeScalars.append(d)
    }
    if !closed { return nil }
    strings.append(body)
    code += "S"
  }
  return (code, strings)
}

/// Every problem found in a script: user text outside a string, a command that runs or writes
/// something, a data line that is not numbers.
func unsafeParts(of script: String) -> [String] {
  var problems: [String] = []
  var inData = false
  for line in script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
    if inData {
      if line == "EOD" {
        inData = false
      } else if !line.allSatisfy({ "0123456789.-+e ".contains($0) }) {
        problems.append("data line is not numbers: \(line)")
      }
      continue
    }
    if line.hasPrefix("#") || line.isEmpty { continue }
    guard let (code, strings) = lexGnuplotLine(line) else {
      problems.append("unclosed or double-quoted string: \(line)")
      continue
    }
    for s in strings where s.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "`" || $0.properties.generalCategory == .format }) {
      problems.append("control character or backquote in a string: \(s)")
    }
    let lower = code.lowercased()
    for bad in ["`", "system", "@", "set output", "load", "call", "print", "shell", "pipe", "eval", "exit", "cd ", "save", "|"]
    where lower.contains(bad) {
      problems.append("'\(bad)' outside a string: \(line)")
    }
    if code.trimmingCharacters(in: .whitespaces).hasPrefix("!") { problems.append("shell escape: \(line)") }
    if line.hasSuffix("<< EOD") { inData = true }
  }
  if inData { problems.append("data block not closed") }
  return problems
}

@Suite struct GnuplotQuoteTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let input: String
    let quoted: String
  }

  static let table: [Case] = [
    Case(testDescription: "plain", input: "Monthly cost", quoted: "'Monthly cost'"),
    Case(testDescription: "single quote becomes a typographic one", input: "it's", quoted: "'it\u{2019}s'"),
    Case(testDescription: "quotes at the start and in a row", input: "''a''", quoted: "'\u{2019}\u{2019}a\u{2019}\u{2019}'"),
    Case(testDescription: "backquote becomes an opening quote", input: "a `id` b", quoted: "'a \u{2018}id\u{2018} b'"),
    Case(testDescription: "newline and CR become one space", input: "a\n\r\nb", quoted: "'a b'"),
    Case(testDescription: "NUL and ESC vanish into a space", input: "a\u{0}\u{1B}[1mb", quoted: "'a [1mb'"),
    Case(testDescription: "bidi override dropped", input: "ab\u{202E}c", quoted: "'abc'"),
    Case(testDescription: "double quotes, macros and system() stay literal", input: "system(\"x\") @m $d", quoted: "'system(\"x\") @m $d'"),
    Case(testDescription: "backslash at the end cannot continue the line", input: "x\\", quoted: "'x\\'"),
    Case(testDescription: "non-ASCII kept", input: "Stückkosten — €", quoted: "'Stückkosten — €'"),
    Case(testDescription: "empty", input: "", quoted: "''"),
  ]

  @Test(arguments: table)
  func quote(_ c: Case) {
    #expect(GnuplotScript.quote(c.input) == c.quoted)
  }

  @Test func quotedHostileTextIsOneClosedString() throws {
    let q = GnuplotScript.quote(hostileText)
    let lexed = try #require(lexGnuplotLine("set title \(q)"))
    #expect(lexed.code == "set title S")
    #expect(lexed.strings.count == 1)
    #expect(!q.contains("\n") && !q.contains("\r") && !q.contains("`"))
  }

  @Test func longTextIsCut() {
    let q = GnuplotScript.quote(String(repeating: "'", count: 500))
    #expect(q.count == 2 + 200)
  }
}

@Suite struct GnuplotScriptTests {
  static let days: [ChartSpec.Point] = [
    .init(x: Double(SimTime(year: 2027, month: 1, day: 1).seconds), y: 30),
    .init(x: Double(SimTime(year: 2027, month: 1, day: 2).seconds), y: .nan),
    .init(x: Double(SimTime(year: 2027, month: 2, day: 1).seconds), y: 12.5),
  ]

  @Test func linesChartScript() {
    let spec = ChartSpec(
      id: "Good points!", title: "Good points", caption: "c", style: .lines, xAxis: .dates, yLabel: "points",
      series: [.init(label: "overwrite", points: Self.days, color: ChartSpec.Color(0x2F6DB5))])
    let script = GnuplotScript.render(spec)
    #expect(spec.fileStem == "good-points")
    #expect(
      script == """
        # backupsim chart: good-points
        set encoding utf8
        set terminal svg size 960,380 dynamic noenhanced font 'Helvetica,14' background rgb 'white'
        set title 'Good points' font 'Helvetica,16'
        set border 3 lc rgb '#888888'
        set grid ytics lc rgb '#e2e2e2' lw 1 dt solid
        set tics nomirror out scale 0.6 textcolor rgb '#333333'
        set key outside bottom center horizontal reverse Left noautotitle samplen 1.5 spacing 1.1 textcolor rgb '#333333'
        set ylabel 'points' textcolor rgb '#333333'
        set lmargin 12
        set rmargin 4
        set format y '%g'
        set yrange [0:*]
        set xtics ('Jan 2027' 1798761600, 'Feb' 1801440000)
        set xrange [1798761600:1801440000]
        $s0 << EOD
        1798761600 30

        1801440000 12.5
        EOD
        plot $s0 using 1:2 with lines lw 2 lc rgb '#2f6db5' title 'overwrite'

        """)
  }

  @Test func stackedBarsAreBandsListedTopFirst() {
    let spec = ChartSpec(
      id: "cost", title: "Cost", caption: "", style: .stackedBars, xAxis: .categories(["Jan 2027", "Feb 2027"]), yLabel: "USD",
      yFormat: .dollars,
      series: [
        .init(label: "Storage", points: [.init(x: 0, y: 7.5), .init(x: 1, y: 14)], color: ChartSpec.Color(0x111111)),
        .init(label: "Requests", points: [.init(x: 0, y: 0.25), .init(x: 1, y: 0.5)], color: ChartSpec.Color(0x222222)),
      ])
    let script = GnuplotScript.render(spec)
    #expect(script.contains("set xtics ('Jan 2027' 0, 'Feb 2027' 1)\n"))
    #expect(script.contains("set format y '$%.0f'\n"))
    #expect(script.contains("$s0 << EOD\n0 0 7.5\n1 0 14\nEOD\n"))
    #expect(script.contains("$s1 << EOD\n0 7.5 7.75\n1 14 14.5\nEOD\n"))
    #expect(
      script.contains(
        "plot $s1 using 1:(($2+$3)/2):(0.35):(($3-$2)/2) with boxxyerror fs solid 1.0 noborder lc rgb '#222222' title 'Requests', \\\n"
          + "     $s0 using 1:(($2+$3)/2):(0.35):(($3-$2)/2) with boxxyerror fs solid 1.0 noborder lc rgb '#111111' title 'Storage'\n"))
  }

  @Test func rightAxisAndMarker() {
    let spec = ChartSpec(
      id: "two", title: "T", caption: "", style: .steps, xAxis: .dates, yLabel: "count", y2Label: "days",
      series: [.init(label: "a", points: Self.days), .init(label: "b", points: Self.days, axis: .right, dashed: true)],
      markers: [.init(x: Self.days[1].x, label: "attack")])
    let script = GnuplotScript.render(spec)
    #expect(script.contains("set y2label 'days'"))
    #expect(script.contains("set y2tics nomirror out scale 0.6\n"))
    #expect(script.contains("set arrow from 1798848000, graph 0 to 1798848000, graph 1 nohead"))
    #expect(script.contains("set label 'attack' at 1798848000, graph 0.97"))
    #expect(script.contains("$s1 using 1:2 axes x1y2 with steps lw 2 dt 2"))
  }

  @Test func emptySpecStillPlots() {
    let spec = ChartSpec(id: "e", title: "E", caption: "", style: .lines, xAxis: .dates, yLabel: "y", series: [.init(label: "a", points: [])])
    #expect(spec.isEmpty)
    #expect(GnuplotScript.render(spec).hasSuffix("plot 1/0 notitle\n"))
  }

  @Test func monthTicksThinToAboutTwelve() {
    let ticks = GnuplotScript.monthTicks(
      from: Double(SimTime(year: 2027, month: 1, day: 1).seconds), to: Double(SimTime(year: 2029, month: 12, day: 31).seconds))
    #expect(ticks.map(\.label) == ["Jan 2027", "Apr", "Jul", "Oct", "Jan 2028", "Apr", "Jul", "Oct", "Jan 2029", "Apr", "Jul", "Oct"])
    let mid = GnuplotScript.monthTicks(
      from: Double(SimTime(year: 2027, month: 3, day: 10).seconds), to: Double(SimTime(year: 2027, month: 6, day: 1).seconds))
    #expect(mid.map(\.label) == ["Apr 2027", "May", "Jun"])
  }

  @Test func attackChartFromDateCountPoints() {
    let d = CivilDate(year: 2027, month: 6, day: 15)
    let spec = ChartSpec.goodRestorePointsAfterAttack(
      [(d, 30), (CivilDate(year: 2027, month: 6, day: 16), 29)], strategy: hostileText, attackAt: d.midnight + 3 * 3600,
      scenarioName: hostileText)
    #expect(spec.series.map(\.points.count) == [2])
    #expect(spec.markers.count == 1)
    #expect(unsafeParts(of: GnuplotScript.render(spec)) == [])
  }

  /// Strategies that leave the same number of good points every day share one line: drawn apart,
  /// the later hid the earlier.
  @Test func identicalAttackCurvesShareOneLine() {
    let d1 = CivilDate(year: 2027, month: 6, day: 15), d2 = CivilDate(year: 2027, month: 6, day: 16)
    let spec = ChartSpec.goodRestorePointsAfterAttack([
      ("overwrite", [(d1, 30), (d2, 0)]), ("delete", [(d1, 30), (d2, 30)]), ("flood", [(d1, 30), (d2, 0)]),
    ])
    #expect(spec.series.map(\.label) == ["overwrite, flood", "delete"])
    #expect(spec.series.map { $0.points.map(\.y) } == [[30, 0], [30, 30]])
  }

  @Test func hostileScenarioGivesOnlySafeScripts() throws {
    let marker = "/tmp/backupsim-pwned-\(UUID().uuidString)"
    let r = try run(hostileScenarioYAML(marker: marker))
    #expect(r.scenarioName.contains("system("))
    let rec = RecordingGnuplot()
    let batch = rec.gnuplot.draw(ChartSpec.standard(for: r))
    #expect(batch.diagnostics == [])
    #expect(rec.scripts.count == batch.charts.count)
    #expect(rec.scripts.count >= 4)
    for script in rec.scripts {
      #expect(unsafeParts(of: script) == [])
      #expect(
        script.contains("'Monthly cost by category — it\u{2019}s \"q\" \u{2018}touch \(marker)\u{2018} system(\"touch \(marker)\") </svg><script>")
          || !script.contains("Monthly cost by category"))
    }
  }

  @Test func drawKeepsOrderAndSkipsEmptySpecs() {
    let rec = RecordingGnuplot()
    let specs = (0..<12).map { i in
      ChartSpec(
        id: "c\(i)", title: "c\(i)", caption: "", style: .lines, xAxis: .numbers(label: "x"), yLabel: "y",
        series: [.init(label: "s", points: i == 5 ? [] : [.init(x: 0, y: Double(i))])])
    }
    let batch = rec.gnuplot.draw(specs)
    #expect(batch.charts.map(\.id) == (0..<12).filter { $0 != 5 }.map { "c\($0)" })
    #expect(batch.charts.allSatisfy { $0.svg.contains("<text>\($0.id)</text>") })
  }

  @Test func failuresBecomeOneLineEach() {
    let failing = Gnuplot { _ in throw GnuplotError.failed(status: 1, message: "line 3: undefined variable") }
    let spec = ChartSpec(
      id: "x", title: "x", caption: "", style: .lines, xAxis: .dates, yLabel: "y", series: [.init(label: "s", points: [.init(x: 0, y: 1)])])
    let batch = failing.draw([spec])
    #expect(batch.charts.isEmpty)
    #expect(batch.diagnostics == ["warning: chart 'x' not drawn: gnuplot exited with status 1: line 3: undefined variable"])
  }

  @Test func withoutGnuplotOnlyTheHint() throws {
    let r = try run(hostileScenarioYAML(marker: "/tmp/x"))
    let batch = Gnuplot.drawIfAvailable(ChartSpec.standard(for: r), gnuplot: nil)
    #expect(batch.charts.isEmpty)
    #expect(batch.diagnostics == [Gnuplot.installHint])
    #expect(Gnuplot.installHint.contains("apt-get install gnuplot-nox"))
    #expect(!Gnuplot.installHint.contains("\n"))
  }

  @Test func notFoundOnAnEmptyPath() throws {
    #expect(Gnuplot.executablePath(environment: [:]) == nil)
    #expect(Gnuplot.executablePath(environment: ["PATH": ""]) == nil)
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("no-gnuplot-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(Gnuplot.executablePath(environment: ["PATH": empty.path]) == nil)
  }
}

/// Runs the real gnuplot; skipped where it is not installed.
@Suite(.enabled(if: Gnuplot.available(), "gnuplot is not installed"))
struct LiveGnuplotTests {
  @Test func hostileScenarioRunsNothingAndWritesNothing() throws {
    let marker = "/tmp/backupsim-pwned-\(UUID().uuidString)"
    let r = try run(hostileScenarioYAML(marker: marker))
    var specs = ChartSpec.standard(for: r)
    specs.append(
      ChartSpec.goodRestorePointsAfterAttack(
        [(CivilDate(year: 2027, month: 1, day: 1), 3), (CivilDate(year: 2027, month: 1, day: 2), 1)],
        strategy: "`touch \(marker)` system(\"touch \(marker)\")", attackAt: SimTime(year: 2027, month: 1, day: 1, hour: 3),
        scenarioName: hostileText))
    let cwd = FileManager.default.currentDirectoryPath
    let before = Set((try? FileManager.default.contentsOfDirectory(atPath: cwd)) ?? [])
    let batch = Gnuplot.live.draw(specs)
    #expect(batch.diagnostics == [])
    #expect(batch.charts.count == specs.count)
    #expect(!FileManager.default.fileExists(atPath: marker))
    #expect(Set((try? FileManager.default.contentsOfDirectory(atPath: cwd)) ?? []) == before)
    for c in batch.charts {
      #expect(c.svg.contains("<svg"))
      #expect(!c.svg.lowercased().contains("<script"))
    }
    let html = HTMLReport.render(r, requirements: [], charts: batch.charts)
    #expect(!html.lowercased().contains("<script"))
    #expect(html.components(separatedBy: "<svg role=\"img\"").count - 1 == batch.charts.count)
  }

  @Test func badScriptIsATypedError() {
    #expect(throws: GnuplotError.self) { try Gnuplot.live.render("set terminal svg\nplot $nodata using 1:2\n") }
    do {
      _ = try Gnuplot.live.render("set terminal svg\nthis is not gnuplot\n")
      Issue.record("expected a failure")
    } catch let e as GnuplotError {
      guard case .failed(let status, let message) = e else {
        Issue.record("unexpected \(e)")
        return
      }
      #expect(status != 0)
      #expect(!message.isEmpty)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func slowScriptIsStopped() throws {
    let path = try #require(Gnuplot.executablePath())
    let started = Date()
    #expect(throws: GnuplotError.timedOut(seconds: 0.5)) {
      try Gnuplot.run(executable: path, script: "pause 30\n", timeout: 0.5)
    }
    #expect(Date().timeIntervalSince(started) < 10)
  }

  @Test func threeYearsOfDailyChartsRenderQuickly() throws {
    let r = try run(
      """
      name: three years
      start: 2027-01-01
      duration: 3 years
      bucket:
        versioning: Enabled
        lifecycle:
          Rules:
            - ID: ia
              Status: Enabled
              Filter: { Prefix: "db/" }
              Transitions: [{ Days: 30, StorageClass: STANDARD_IA }]
              Expiration: { Days: 90 }
              NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: GLACIER }]
              NoncurrentVersionExpiration: { NoncurrentDays: 365 }
      uploads:
        - name: db
          key: "db/backup.gz"
          schedule: daily at 02:00
          size: 5 GiB
        - name: logs
          key: "db/logs-{date}.gz"
          schedule: daily at 03:00
          size: 1 GiB
      """)
    #expect(r.daily.count == 1096)
    let started = Date()
    let batch = Gnuplot.live.draw(ChartSpec.standard(for: r))
    let seconds = Date().timeIntervalSince(started)
    #expect(batch.diagnostics == [])
    #expect(batch.charts.count == 5)
    #expect(seconds < 5, "charts took \(seconds) s")
  }
}

@Suite struct CoverageChartTests {
  @Test func restoreChartsFollowDailyCoverage() throws {
    let r = try run(
      """
      name: short retention
      start: 2027-01-01
      duration: 20 days
      bucket:
        versioning: Enabled
        lifecycle:
          Rules:
            - ID: keep-3
              Status: Enabled
              Filter: { Prefix: "db/" }
              NoncurrentVersionExpiration: { NoncurrentDays: 3 }
      uploads:
        - name: db
          key: "db/backup.gz"
          schedule: daily at 02:00
          size: 1 MiB
      """)
    #expect(r.coverageDaily.count == r.daily.count)
    let count = ChartSpec.restorePoints(r), age = ChartSpec.restorableHistory(r)
    #expect(count.series[0].points.map(\.y) == r.coverageDaily.map { Double($0.restorable) })
    #expect(count.series[0].points.map(\.x) == r.daily.map { Double($0.date.midnight.seconds) })
    #expect(age.series[0].points.count == r.coverageDaily.count)
    for (p, d) in zip(age.series[0].points, r.coverageDaily) {
      if let a = d.oldestAgeDays { #expect(p.y == a) } else { #expect(p.y.isNaN) }
    }
    // Day 1: one backup, written at 02:00, 22 hours old at midnight.
    #expect(age.series[0].points.first.map { abs($0.y - 22.0 / 24) < 1e-9 } == true)
  }
}
