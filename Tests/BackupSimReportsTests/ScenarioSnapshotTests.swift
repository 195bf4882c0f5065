import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Every bundled scenario runs end to end against its golden result.json and daily.csv.
///
/// `RECORD_SNAPSHOTS=1 swift test` writes new goldens (and fails, so a recording is never mistaken for a pass).
@Suite struct ScenarioSnapshotTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

  static var bundled: [String] {
    let dir = root.appendingPathComponent("scenarios").path
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
  }

  @Test(arguments: bundled)
  func matchesGolden(_ file: String) throws {
    let path = Self.root.appendingPathComponent("scenarios/\(file)").path
    let scenario = try ScenarioLoader().load(path: path).scenario
    let e = evaluate(scenario)
    let stem = (file as NSString).deletingPathExtension
    for (suffix, text) in [("result.json", ResultJSON.render(e)), ("daily.csv", DailyCSV.render(e.result))] {
      let golden = Self.snapshots.appendingPathComponent("\(stem).\(suffix)")
      if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try text.write(to: golden, atomically: true, encoding: .utf8)
        Issue.record("recorded \(golden.lastPathComponent); run again without RECORD_SNAPSHOTS")
        continue
      }
      let expected = try String(contentsOf: golden, encoding: .utf8)
      #expect(text == expected, "\(stem).\(suffix) differs from its golden; re-record with RECORD_SNAPSHOTS=1 if the change is intended")
    }
  }
}
