import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Draws charts: takes a gnuplot script, returns SVG text.
///
/// `.live` runs the `gnuplot` found on `PATH` with the script on stdin and reads the SVG from stdout;
/// tests build `Gnuplot(render:)` with a closure that records the script and returns a stand-in SVG.
public struct Gnuplot: Sendable {
  public var render: @Sendable (_ script: String) throws -> String

  public init(render: @escaping @Sendable (_ script: String) throws -> String) {
    self.render = render
  }

  /// The one line printed when charts are skipped because gnuplot is missing.
  public static let installHint =
    "note: gnuplot not found, so the reports have tables but no charts; install it for charts: apt-get install gnuplot-nox"

  /// Seconds one chart may take before gnuplot is killed.
  public static let timeoutSeconds: Double = 20

  /// The gnuplot on `PATH`, run with a timeout; throws `GnuplotError` when it cannot be found or fails.
  public static var live: Gnuplot {
    Gnuplot { script in
      guard let path = executablePath() else { throw GnuplotError.notFound }
      return try run(executable: path, script: script, timeout: timeoutSeconds)
    }
  }

  /// Whether a `gnuplot` executable is on `PATH`.
  public static func available() -> Bool { executablePath() != nil }

  /// The first executable `gnuplot` in the directories of `environment["PATH"]`.
  public static func executablePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    guard let path = environment["PATH"] else { return nil }
    for dir in path.split(separator: ":", omittingEmptySubsequences: true) {
      let candidate = (String(dir) as NSString).appendingPathComponent("gnuplot")
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
        FileManager.default.isExecutableFile(atPath: candidate)
      {
        return candidate
      }
    }
    return nil
  }

  /// Runs gnuplot once: the script goes to stdin, the SVG comes back from stdout.
  ///
  /// `-d` keeps gnuplot from loading `~/.gnuplot` or a system gnuplotrc, so a chart only ever
  /// depends on its script. Pipes are drained on their own threads so that a large script or a large
  /// SVG never blocks either side; after `timeout` seconds the process is killed.
  static func run(executable: String, script: String, timeout: Double) throws(GnuplotError) -> String {
    // Writing a script to a gnuplot that already exited must fail with EPIPE, not kill us.
    _ = signal(SIGPIPE, SIG_IGN)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-d"]
    var env = ProcessInfo.processInfo.environment
    env["LC_ALL"] = "C.UTF-8"
    env["GNUPLOT_LIB"] = nil
    process.environment = env
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    do {
      try process.run()
    } catch {
      throw .launchFailed("\(executable): \(error.localizedDescription)")
    }
    let stdout = Collected(), stderr = Collected()
    let readers = DispatchGroup()
    let outHandle = output.fileHandleForReading, errHandle = errors.fileHandleForReading
    let inHandle = input.fileHandleForWriting
    // Threads of their own, not the global queue: blocking reads there can starve the writer of
    // a worker thread on a small machine, and gnuplot would wait for its script.
    readers.enter()
    readers.enter()
    Thread.detachNewThread {
      stdout.set(outHandle.readDataToEndOfFile())
      readers.leave()
    }
    Thread.detachNewThread {
      stderr.set(errHandle.readDataToEndOfFile())
      readers.leave()
    }
    let data = Data(script.utf8)
    Thread.detachNewThread {
      try? inHandle.write(contentsOf: data)
      try? inHandle.close()
    }
    if exited.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      if exited.wait(timeout: .now() + 2) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        _ = exited.wait(timeout: .now() + 2)
      }
      _ = readers.wait(timeout: .now() + 2)
      throw .timedOut(seconds: timeout)
    }
    _ = readers.wait(timeout: .now() + 5)
    let status = process.terminationStatus
    let message = String(decoding: stderr.get(), as: UTF8.self)
    guard process.terminationReason == .exit, status == 0 else {
      throw .failed(status: status, message: Self.firstErrorLine(message))
    }
    let svg = String(decoding: stdout.get(), as: UTF8.self)
    guard svg.contains("<svg"), svg.contains("</svg>") else { throw .notSVG(Self.firstErrorLine(message)) }
    return svg
  }

  /// The most useful line of gnuplot's error output (it echoes the failing line first).
  static func firstErrorLine(_ s: String) -> String {
    let lines = s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let line = lines.first { $0.contains("rror") || $0.contains("line ") } ?? lines.last ?? ""
    return String(line.prefix(300))
  }

  /// Draws every spec, several gnuplot processes at a time, keeping the specs' order.
  ///
  /// Specs with nothing to draw are skipped. Failures are returned beside the charts that worked.
  public func draw(_ specs: [ChartSpec]) -> ChartBatch {
    let todo = specs.filter { !$0.isEmpty }
    let render = self.render
    let results = parallelMap(todo) { spec -> Result<RenderedChart, GnuplotError> in
      do {
        let svg = try render(GnuplotScript.render(spec))
        return .success(RenderedChart(spec: spec, svg: svg))
      } catch let e as GnuplotError {
        return .failure(e)
      } catch {
        return .failure(.failed(status: -1, message: "\(error)"))
      }
    }
    var batch = ChartBatch(charts: [], diagnostics: [])
    for (i, r) in results.enumerated() {
      switch r {
      case .success(let c): batch.charts.append(c)
      case .failure(let e): batch.diagnostics.append("warning: chart '\(todo[i].fileStem)' not drawn: \(e)")
      }
    }
    return batch
  }

  /// Draws with `gnuplot` when there is one; otherwise no charts and the install hint as the only diagnostic.
  public static func drawIfAvailable(_ specs: [ChartSpec], gnuplot: Gnuplot?) -> ChartBatch {
    guard let g = gnuplot else { return ChartBatch(charts: [], diagnostics: specs.isEmpty ? [] : [installHint]) }
    return g.draw(specs)
  }
}

/// Why a chart could not be drawn.
public enum GnuplotError: Error, Equatable, Sendable, CustomStringConvertible {
  case notFound
  case launchFailed(String)
  case timedOut(seconds: Double)
  case failed(status: Int32, message: String)
  case notSVG(String)

  public var description: String {
    switch self {
    case .notFound: return "gnuplot is not installed (apt-get install gnuplot-nox)"
    case .launchFailed(let m): return "cannot start gnuplot: \(m)"
    case .timedOut(let s): return "gnuplot took longer than \(Int(s)) seconds and was stopped"
    case .failed(let status, let m): return "gnuplot exited with status \(status)" + (m.isEmpty ? "" : ": \(m)")
    case .notSVG(let m): return "gnuplot printed no SVG" + (m.isEmpty ? "" : ": \(m)")
    }
  }
}

/// One chart as drawn: its SVG as gnuplot wrote it, with what the report says about it.
public struct RenderedChart: Sendable, Equatable {
  public var id: String
  public var title: String
  public var caption: String
  /// The SVG document (written to `charts/<id>.svg`).
  public var svg: String

  public init(id: String, title: String, caption: String, svg: String) {
    self.id = id
    self.title = title
    self.caption = caption
    self.svg = svg
  }

  public init(spec: ChartSpec, svg: String) {
    self.init(id: spec.fileStem, title: spec.title, caption: spec.caption, svg: svg)
  }

  public var fileName: String { "\(id).svg" }
}

/// Charts that were drawn and one line per problem (for stderr).
public struct ChartBatch: Sendable, Equatable {
  public var charts: [RenderedChart]
  public var diagnostics: [String]

  public init(charts: [RenderedChart], diagnostics: [String]) {
    self.charts = charts
    self.diagnostics = diagnostics
  }

  /// `charts/<id>.svg` files, for the report folder writer.
  public var files: [(name: String, contents: String)] { charts.map { ($0.fileName, $0.svg) } }
}

/// Bytes read from a pipe on another thread.
private final class Collected: @unchecked Sendable {
  private var data = Data()
  private let lock = NSLock()
  func set(_ d: Data) {
    lock.lock()
    data = d
    lock.unlock()
  }
  func get() -> Data {
    lock.lock()
    defer { lock.unlock() }
    return data
  }
}

// MARK: - Script

/// Turns a `ChartSpec` into a gnuplot script that writes one SVG to stdout.
///
/// Safety: gnuplot can run shell commands (`system()`, backquotes, `!`), so user text only ever
/// reaches the script through `quote(_:)`, inside a single-quoted string; data goes inline in
/// `$name << EOD` blocks that hold numbers we formatted ourselves; and the script never says
/// `set output`, `load`, `call`, `system` or `print`.
public enum GnuplotScript {
  public static let width = 960
  public static let height = 380

  /// `text` as a single-quoted gnuplot string literal that cannot end early or run anything.
  ///
  /// In a single-quoted gnuplot string nothing is special but the closing quote and the end of the
  /// line (no backquote substitution, no macros, no backslash escapes). gnuplot's own `''` escape is
  /// not dependable (gnuplot 5.4 reads `'''a'` as an empty string and then `a'`), so the text keeps no
  /// ASCII quote at all: `'` becomes ’ and a backquote becomes ‘; control, format and line-separator
  /// characters become one space or vanish; text is cut at 200 characters. What comes out is `'`,
  /// then characters that are neither `'` nor a line break, then `'`: always exactly one string.
  public static func quote(_ text: String) -> String {
    var out = "'"
    var count = 0
    var lastWasSpace = false
    for u in text.unicodeScalars {
      if count >= 200 { break }
      switch u.properties.generalCategory {
      case .control, .lineSeparator, .paragraphSeparator:
        if !lastWasSpace {
          out += " "
          lastWasSpace = true
          count += 1
        }
        continue
      case .format, .surrogate, .privateUse, .unassigned:
        continue
      default: break
      }
      lastWasSpace = u == " "
      count += 1
      switch u {
      case "'": out += "\u{2019}"
      case "`": out += "\u{2018}"
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "'"
  }

  /// A number as data: integers as plain digits, others to 9 significant digits (gnuplot reads `1.5e-05`).
  static func number(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
    return CNumber.format(v, "%.9g")
  }

  /// gnuplot's format for a y axis whose largest value is `max`.
  static func axisFormat(_ f: ChartSpec.ValueFormat, max: Double) -> String {
    switch f {
    case .dollars: return max >= 10 ? "'$%.0f'" : "'$%.2f'"
    case .number: return max >= 100 ? "'%.0f'" : "'%g'"
    }
  }

  /// Ticks at month starts between `lo` and `hi` (seconds), at most about 12 of them; the year is
  /// written on the first tick and on each January.
  static func monthTicks(from lo: Double, to hi: Double) -> [(label: String, x: Double)] {
    let first = SimTime(seconds: Int64(lo.rounded(.down))).startOfMonth
    var t = first < SimTime(seconds: Int64(lo.rounded(.up))) ? first.startOfNextMonth : first
    var months: [SimTime] = []
    while Double(t.seconds) <= hi && months.count < 1200 {
      months.append(t)
      t = t.startOfNextMonth
    }
    let step = [1, 2, 3, 6, 12, 24, 60].first { months.count / $0 <= 12 } ?? 120
    // Keep whole quarters/halves/years aligned: Jan, Apr, Jul, Oct for a 3-month step, etc.
    let kept = months.filter { m in (m.date.year * 12 + m.date.month - 1) % step == 0 }
    let labels = ChartSpec.axisMonthLabels(kept.map(\.date.yearMonth))
    return zip(labels, kept).map { ($0, Double($1.seconds)) }
  }

  /// The whole script: terminal, axes, data blocks, one plot command.
  public static func render(_ spec: ChartSpec) -> String {
    var s = "# backupsim chart: \(spec.fileStem)\n"
    s += "set encoding utf8\n"
    s += "set terminal svg size \(width),\(height) dynamic noenhanced font 'Helvetica,14' background rgb 'white'\n"
    s += "set title \(quote(spec.title)) font 'Helvetica,16'\n"
    s += "set border 3 lc rgb '#888888'\n"
    s += "set grid ytics lc rgb '#e2e2e2' lw 1 dt solid\n"
    s += "set tics nomirror out scale 0.6 textcolor rgb '#333333'\n"
    s += "set key outside bottom center horizontal reverse Left noautotitle samplen 1.5 spacing 1.1 textcolor rgb '#333333'\n"
    s += "set ylabel \(quote(spec.yLabel)) textcolor rgb '#333333'\n"
    s += "set lmargin 12\nset rmargin \(spec.y2Label == nil ? 4 : 12)\n"

    let drawn = spec.series.filter(\.hasData)
    let left = drawn.filter { $0.axis == .left }, right = drawn.filter { $0.axis == .right }

    // Stacked styles: each series is drawn as a band from the running total below it to its top.
    let stacked = spec.style == .stackedBars || spec.style == .stackedAreas
    var bands: [(lower: [Double], upper: [Double])] = []
    var xs: [Double] = []
    if stacked {
      xs = Array(Set(drawn.flatMap { $0.points.map(\.x) })).sorted()
      let index = Dictionary(uniqueKeysWithValues: xs.enumerated().map { ($1, $0) })
      var running = [Double](repeating: 0, count: xs.count)
      for series in drawn {
        var upper = running
        for p in series.points where p.y.isFinite {
          if let i = index[p.x] { upper[i] += p.y }
        }
        bands.append((running, upper))
        running = upper
      }
    }

    func maxY(_ ss: [ChartSpec.Series]) -> Double {
      if stacked { return bands.last?.upper.max() ?? 0 }
      return ss.flatMap { $0.points.map(\.y) }.filter(\.isFinite).max() ?? 0
    }
    let yMax = maxY(left)
    s += "set format y \(axisFormat(spec.yFormat, max: yMax))\n"
    s += "set yrange [0:\(yMax > 0 ? "*" : "1")]\n"
    if let y2 = spec.y2Label, !right.isEmpty {
      let y2Max = right.flatMap { $0.points.map(\.y) }.filter(\.isFinite).max() ?? 0
      s += "set y2label \(quote(y2)) textcolor rgb '#333333'\n"
      s += "set y2tics nomirror out scale 0.6\n"
      s += "set format y2 \(axisFormat(spec.y2Format, max: y2Max))\n"
      s += "set y2range [0:\(y2Max > 0 ? "*" : "1")]\n"
      s += "set border 11 lc rgb '#888888'\n"
    }

    // The x axis.
    let allX = drawn.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
    let xLo = allX.min() ?? 0, xHi = allX.max() ?? 1
    switch spec.xAxis {
    case .categories(let labels):
      let step = max(1, Int((Double(labels.count) / 12).rounded(.up)))
      let tics = labels.enumerated().filter { $0.offset % step == 0 }.map { "\(quote($0.element)) \($0.offset)" }
      s += "set xtics (\(tics.joined(separator: ", ")))\n"
      s += "set xrange [-0.6:\(number(Double(max(labels.count, 1)) - 0.4))]\n"
    case .dates:
      let ticks = monthTicks(from: xLo, to: xHi)
      s += "set xtics (\(ticks.map { "\(quote($0.label)) \(number($0.x))" }.joined(separator: ", ")))\n"
      let pad = spec.style == .stackedBars ? 43_200.0 : 0
      s += "set xrange [\(number(xLo - pad)):\(number(xHi + pad))]\n"
    case .numbers(let label):
      s += "set xlabel \(quote(label)) textcolor rgb '#333333'\n"
      s += "set xrange [\(number(xLo)):\(number(xHi))]\n"
    }
    for m in spec.markers where m.x.isFinite {
      s += "set arrow from \(number(m.x)), graph 0 to \(number(m.x)), graph 1 nohead lc rgb '#c0392b' lw 1.5 dt 2\n"
      s += "set label \(quote(m.label)) at \(number(m.x)), graph 0.97 offset 0.6,0 textcolor rgb '#c0392b'\n"
    }

    // Data blocks: numbers only.
    var plots: [String] = []
    for (i, series) in drawn.enumerated() {
      let name = "$s\(i)"
      s += "\(name) << EOD\n"
      if stacked {
        let (lower, upper) = bands[i]
        for j in xs.indices { s += "\(number(xs[j])) \(number(lower[j])) \(number(upper[j]))\n" }
      } else {
        // A blank line breaks the line where y is undefined.
        var broken = false
        for p in series.points where p.x.isFinite {
          if p.y.isFinite {
            s += "\(number(p.x)) \(number(p.y))\n"
            broken = false
          } else if !broken {
            s += "\n"
            broken = true
          }
        }
      }
      s += "EOD\n"
      let color = (series.color ?? ChartSpec.palette[i % ChartSpec.palette.count]).hex
      let axes = series.axis == .right && spec.y2Label != nil ? " axes x1y2" : ""
      let title = "title \(quote(series.label))"
      switch spec.style {
      case .stackedBars:
        let half = barHalfWidth(spec.xAxis, xs: xs)
        plots.append(
          "\(name) using 1:(($2+$3)/2):(\(number(half))):(($3-$2)/2) with boxxyerror fs solid 1.0 noborder lc rgb '\(color)' \(title)")
      case .stackedAreas:
        plots.append("\(name) using 1:2:3 with filledcurves fs solid 0.85 noborder lc rgb '\(color)' \(title)")
      case .lines:
        plots.append("\(name) using 1:2\(axes) with lines lw 2\(series.dashed ? " dt 2" : "") lc rgb '\(color)' \(title)")
      case .steps:
        plots.append("\(name) using 1:2\(axes) with steps lw 2\(series.dashed ? " dt 2" : "") lc rgb '\(color)' \(title)")
      }
    }
    if plots.isEmpty {
      // Nothing to draw still gives a valid, empty chart.
      s += "set key off\nplot 1/0 notitle\n"
    } else {
      // Stacks list their top band first, so the key reads in the order of the picture.
      let ordered = stacked ? plots.reversed() : plots
      s += "plot " + ordered.joined(separator: ", \\\n     ") + "\n"
    }
    return s
  }

  /// Half a bar's width: 35% of the spacing between neighbouring x values.
  static func barHalfWidth(_ axis: ChartSpec.XAxis, xs: [Double]) -> Double {
    if case .categories = axis { return 0.35 }
    let gaps = zip(xs.dropFirst(), xs).map { $0 - $1 }.filter { $0 > 0 }
    return (gaps.min() ?? 1) * 0.35
  }
}
