import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import Foundation

struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Run several scenarios and write one side-by-side report (compare.html, compare.md, compare.json).")

  @Argument(help: "Scenario files (YAML or JSON); the first is the baseline the others are compared with.")
  var scenarios: [String]

  @Option(name: .long, help: "Folder the comparison is written to.")
  var out: String = "reports/compare"

  func validate() throws {
    if scenarios.count < 2 { throw ValidationError("compare needs at least two scenario files") }
  }

  func run() throws {
    // Load every file first so that all errors of all files are printed, like `run` does.
    var loaded: [Scenario] = []
    var bad = false
    for path in scenarios {
      do {
        loaded.append(try loadScenario(path).scenario)
      } catch {
        bad = true
      }
    }
    if bad { throw ExitCode(2) }

    let runs = parallelMap(loaded) { s in evaluate(s, findMitigation: false) }
    let labels = CompareReport.labels(forFiles: scenarios)
    let entries = zip(scenarios, zip(labels, runs)).map { file, lr in
      CompareEntry(label: lr.0, file: file, result: lr.1.result, requirements: lr.1.requirements, attack: lr.1.attack)
    }

    let gnuplot: Gnuplot? = Gnuplot.available() ? .live : nil
    let batch = Gnuplot.drawIfAvailable(CompareReport.charts(entries), gnuplot: gnuplot)
    var diagnostics = Diagnostics()
    diagnostics.report(batch.diagnostics)

    let files = [
      ("compare.json", CompareReport.json(entries)),
      ("compare.md", CompareReport.markdown(entries, charts: batch.charts)),
      ("compare.html", CompareReport.html(entries, charts: batch.charts)),
    ]
    do {
      try ChartFolder.write(batch, into: out)
      try ReportFolder.write(files, to: out)
    } catch {
      Console.error("error: cannot write the comparison to \(out): \(error.localizedDescription)")
      throw ExitCode(2)
    }

    var lines = ["Compared \(labels.joined(separator: ", ")) (baseline \(labels.first ?? "")):"]
    lines += CompareReport.explanation(entries).map { "  - " + $0 }
    lines.append("  report: \(out)/compare.html")
    Console.out(lines.joined(separator: "\n"))
    if entries.contains(where: { $0.requirements.contains { !$0.met } }) { throw ExitCode(1) }
  }
}

/// Applies `transform` to every element on several threads; results keep the input order.
func parallelMap<T: Sendable, U: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> U) -> [U] {
  let slots = ResultSlots<U>(count: items.count)
  DispatchQueue.concurrentPerform(iterations: items.count) { i in slots.set(i, transform(items[i])) }
  return slots.values()
}

/// Fixed slots filled from several threads, read when all are done.
final class ResultSlots<U: Sendable>: @unchecked Sendable {
  private var items: [U?]
  private let lock = NSLock()
  init(count: Int) { items = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: U) {
    lock.lock()
    items[i] = v
    lock.unlock()
  }
  /// Every slot's value; `concurrentPerform` returns only after every iteration ran, so none is missing.
  func values() -> [U] {
    lock.lock()
    defer { lock.unlock() }
    return items.compactMap { $0 }
  }
}

/// Prints each diagnostic line once per command (the gnuplot hint, a chart that failed).
struct Diagnostics {
  private var seen: Set<String> = []
  mutating func report(_ lines: [String]) {
    for l in lines where seen.insert(l).inserted { Console.error(l) }
  }
}

/// The `charts/` folder of a report: this run's SVGs, and no stale ones from an earlier run.
enum ChartFolder {
  static func write(_ batch: ChartBatch, into folder: String) throws {
    let charts = (folder as NSString).appendingPathComponent("charts")
    if !batch.charts.isEmpty { try ReportFolder.write(batch.files, to: charts) }
    let keep = Set(batch.charts.map(\.fileName))
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: charts)) ?? [] where name.hasSuffix(".svg") && !keep.contains(name) {
      try? fm.removeItem(atPath: (charts as NSString).appendingPathComponent(name))
    }
  }
}
