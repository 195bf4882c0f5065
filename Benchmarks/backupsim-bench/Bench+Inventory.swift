import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

/// `--inventory-rows N`: a bucket of N inventory rows brought in and simulated for 12 months.
extension Bench {
  func runInventoryBench(rows: Int) throws {
    #if DEBUG
      Console.error("warning: this is a debug build; its figures mean little: swift build -c release, then .build/release/backupsim-bench")
    #endif
    guard rows >= 1_000 else { throw InputFailure("error: --inventory-rows must be at least 1000") }
    let keep = inventoryDir.map { URL(fileURLWithPath: $0) }
    let dir =
      keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("backupsim-inventory-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }
    let synthetic = SyntheticInventory(rows: rows, files: max(1, rows / 1_000_000))
    let clock = RunClock()
    // A kept report of the same size is reused (generating 10 million rows takes a while).
    let stamp = dir.appendingPathComponent("inventory/rows")
    if (try? String(contentsOf: stamp, encoding: .utf8)) != String(rows) {
      _ = try synthetic.write(to: dir.appendingPathComponent("inventory").path)
      try Data(String(rows).utf8).write(to: stamp)
    }
    let generated = clock.stop()
    let scenario = dir.appendingPathComponent("scenario.yaml")
    try Data(synthetic.scenario(inventory: "inventory/\(synthetic.bucket)/all-versions").utf8).write(to: scenario)
    var bytes = 0
    if let files = FileManager.default.enumerator(atPath: dir.path) {
      for case let f as String in files {
        bytes += (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(f).path)[.size] as? Int) ?? 0
      }
    }

    let o = try Self.runChild(["--child", scenario.path, "--inventory-child"])
    let line = String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if json {
      Console.out(
        line.replacingOccurrences(of: "{", with: "{\"generateSeconds\":\(String(format: "%.2f", generated.wallSeconds)),", options: .anchored))
      return
    }
    let f = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    func num(_ k: String) -> Double { (f[k] as? NSNumber)?.doubleValue ?? 0 }
    let posix = Locale(identifier: "en_US_POSIX")
    Console.out(
      """
      | inventory rows | report on disk (gzip) | generate | load | simulate 12 months | load + simulate (wall) | load + simulate (CPU) | peak memory | key groups at start | versions at start |
      |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
      | \(Int(num("rows"))) | \(String(format: "%.0f MB", locale: posix, Double(bytes) / 1e6)) | \(String(format: "%.1f s", locale: posix, generated.wallSeconds)) | \
      \(String(format: "%.1f s", locale: posix, num("loadSeconds"))) | \(String(format: "%.1f s", locale: posix, num("simulateSeconds"))) | \
      \(String(format: "%.1f s", locale: posix, num("loadSeconds") + num("simulateSeconds"))) | \
      \(String(format: "%.1f s", locale: posix, num("loadCPUSeconds") + num("simulateCPUSeconds"))) | \
      \(String(format: "%.2f GB", locale: posix, num("peakBytes") / 1e9)) | \(Int(num("groupsAtStart"))) | \(Int(num("versions"))) |
      """)
  }

  /// The child's side: load (read and group the report) and simulate, each timed; one JSON line.
  func runInventoryChild() throws {
    guard let path = scenarios.first else { throw InputFailure("error: --child takes one scenario") }
    let load = RunClock()
    let scenario = try ScenarioLoader().load(path: path).scenario
    let loaded = load.stop()
    let state = scenario.startingState
    let sim = RunClock()
    let evaluation = evaluate(scenario, findMitigation: false)
    _ = ResultJSON.render(evaluation)
    let simulated = sim.stop()
    var groups = 0
    do {
      // How far the report's versions were grouped: the engine's groups right after seeding.
      var s = scenario
      s.end = s.start + 1
      groups = simulate(s).groupsAtEnd
    }
    let posix = Locale(identifier: "en_US_POSIX")
    Console.out(
      "{\"rows\":\(state?.notes.rows ?? 0),\"versions\":\(state?.versions.count ?? 0),\"keys\":\(state?.keys.count ?? 0),"
        + "\"loadSeconds\":\(String(format: "%.3f", locale: posix, loaded.wallSeconds)),"
        + "\"simulateSeconds\":\(String(format: "%.3f", locale: posix, simulated.wallSeconds)),"
        + "\"loadCPUSeconds\":\(String(format: "%.3f", locale: posix, loaded.cpuSeconds)),"
        + "\"simulateCPUSeconds\":\(String(format: "%.3f", locale: posix, simulated.cpuSeconds)),"
        + "\"peakBytes\":\(Self.peakBytes()),\"groupsAtStart\":\(groups)}")
  }
}
