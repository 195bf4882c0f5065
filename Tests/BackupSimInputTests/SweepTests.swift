import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// `--vary` paths and values and the grid.
@Suite struct SweepTests {
  static let base = sweepBaseScenario

  func tree(_ yaml: String = base) throws -> ConfigNode { try ConfigNode.parseYAML(yaml, file: "base.yaml") }

  func edit(_ argument: String, in yaml: String = base) throws -> ConfigNode {
    let axis = try VaryAxis.parse(argument)
    let value = try #require(axis.values.first)
    return try ScenarioEdit.set(value.node, at: axis.path, in: try tree(yaml))
  }

  func editError(_ argument: String, in yaml: String = base) -> String? {
    do {
      _ = try edit(argument, in: yaml)
      return nil
    } catch let e as VaryError {
      return e.description
    } catch {
      return "unexpected: \(error)"
    }
  }

  // MARK: Paths

  struct PathCase: Sendable, CustomTestStringConvertible {
    let text: String
    let segments: [ConfigPath.Segment]
    var testDescription: String { text }
  }

  @Test(arguments: [
    PathCase(text: "seed", segments: [.key("seed")]),
    PathCase(text: "bucket.objectLock.days", segments: [.key("bucket"), .key("objectLock"), .key("days")]),
    PathCase(
      text: "bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays",
      segments: [.key("bucket"), .key("lifecycle"), .key("Rules"), .index(0), .key("NoncurrentVersionExpiration"), .key("NoncurrentDays")]),
    PathCase(text: "uploads[12].size", segments: [.key("uploads"), .index(12), .key("size")]),
    PathCase(text: "a[1][2]", segments: [.key("a"), .index(1), .index(2)]),
    PathCase(text: "tags[\"x.y\"].v", segments: [.key("tags"), .key("x.y"), .key("v")]),
  ])
  func pathsParseAndPrintBack(_ c: PathCase) throws {
    let p = try ConfigPath.parse(c.text)
    #expect(p.segments == c.segments)
    #expect(p.description == c.text)
  }

  @Test(arguments: [
    ("", "--vary : empty path; write one like bucket.objectLock.days"),
    ("a..b", "--vary a..b: empty key at column 3"),
    ("a.", "--vary a.: the path ends with '.'"),
    (".a", "--vary .a: empty key at column 1"),
    ("a[x]", "--vary a[x]: '[x]' is not a list index: write a whole number >= 0, e.g. Rules[0] (column 2)"),
    ("a[-1]", "--vary a[-1]: '[-1]' is not a list index: write a whole number >= 0, e.g. Rules[0] (column 2)"),
    ("a[0", "--vary a[0: '[' at column 2 is not closed"),
    ("a[0]b", "--vary a[0]b: expected '.' or '[' at column 5"),
    ("a]", "--vary a]: ']' at column 2 has no '['"),
  ])
  func badPathsSayWhere(_ c: (String, String)) {
    do {
      _ = try ConfigPath.parse(c.0)
      Issue.record("\(c.0) parsed")
    } catch {
      #expect(error.description == c.1)
    }
  }

  // MARK: Editing the tree

  @Test func editsReplaceAScalarAndCreateMissingMappings() throws {
    let days = try edit("bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays=45")
    let nd = ScenarioEdit.get(try ConfigPath.parse("bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays"), in: days)
    #expect(nd?.scalar == "45")

    // objectLock does not exist yet: the mapping is made, and the loader accepts the result.
    var t = try edit("bucket.objectLock.mode=COMPLIANCE")
    let axis = try VaryAxis.parse("bucket.objectLock.days=14")
    t = try ScenarioEdit.set(try #require(axis.values.first).node, at: axis.path, in: t)
    let s = try ScenarioLoader().load(node: t, file: "base.yaml").scenario
    #expect(s.bucket.objectLock == ObjectLockDefault(mode: .compliance, days: 14))

    // `objectLock:` with no value is null; it becomes the mapping.
    let withNull = Self.base.replacingOccurrences(of: "  versioning: Enabled\n", with: "  versioning: Enabled\n  objectLock:\n")
    let u = try edit("bucket.objectLock.days=7", in: withNull)
    #expect(ScenarioEdit.get(try ConfigPath.parse("bucket.objectLock.days"), in: u)?.scalar == "7")

    // A flow-YAML value replaces a whole subtree.
    let sized = try edit("uploads[0].size={ lognormal: { median: 2 MiB, sigma: 0.5 } }")
    let scenario = try ScenarioLoader().load(node: sized, file: "base.yaml").scenario
    guard case .lognormal(let median, let sigma) = try #require(scenario.uploads.first).size else {
      Issue.record("size is not lognormal")
      return
    }
    #expect(median == 2 << 20 && sigma == 0.5)
  }

  @Test(arguments: [
    (
      "bucket.lifecycle.Rules.ID=x",
      "--vary bucket.lifecycle.Rules.ID: 'bucket.lifecycle.Rules' is a list of 1 item, not a mapping: address an item, e.g. bucket.lifecycle.Rules[0].ID"
    ),
    ("uploads[1].size=1 GiB", "--vary uploads[1].size: index 1 is out of range for 'uploads': it has 1 item (indices 0...0)"),
    ("bucket[0]=x", "--vary bucket[0]: 'bucket' is a mapping, not a list, so [0] addresses nothing; its keys: name, versioning, lifecycle"),
    ("bucket.name.first=x", "--vary bucket.name.first: 'bucket.name' is the value 'bkt-test', not a mapping, so it has no key 'first'"),
    (
      "principals[0].name=x",
      "--vary principals[0].name: 'principals' does not exist, and --vary does not create lists: write the list in the scenario first"
    ),
    (
      "[0]=x",
      "--vary [0]: the scenario is a mapping, not a list, so [0] addresses nothing; its keys: name, start, duration, bucket, uploads, requirements"
    ),
  ])
  func editErrorsSayWhatIsThere(_ c: (String, String)) {
    #expect(editError(c.0) == c.1)
  }

  @Test func aBadValueIsReportedAgainstTheArgument() throws {
    let t = try edit("bucket.objectLock.days=soon")
    do {
      _ = try ScenarioLoader().load(node: t, file: "base.yaml")
      Issue.record("loaded")
    } catch {
      let located = error.errors.filter { VaryAxis.isVaryLocation($0.location) }
      #expect(!located.isEmpty && located.allSatisfy { $0.location?.file == "--vary bucket.objectLock.days=soon" }, "\(error)")
    }
  }

  // MARK: Values

  @Test(arguments: [
    ("x=30...90:15", ["30", "45", "60", "75", "90"]),
    ("x=1...2:0.25", ["1", "1.25", "1.5", "1.75", "2"]),
    ("x=-1...1:1", ["-1", "0", "1"]),
    ("x=5...6:10", ["5"]),
    ("x=10 GiB, 20 GiB", ["10 GiB", "20 GiB"]),
    ("x=daily at 02:00,weekly on Sun at 03:00", ["daily at 02:00", "weekly on Sun at 03:00"]),
    ("x={ a: 1, b: 2 },[1, 2],'q,r'", ["{ a: 1, b: 2 }", "[1, 2]", "'q,r'"]),
    ("x=1,5...7:1,9", ["1", "5", "6", "7", "9"]),
  ])
  func valuesListsAndRanges(_ c: (String, [String])) throws {
    #expect(try VaryAxis.parse(c.0).values.map(\.text) == c.1)
  }

  @Test(arguments: [
    ("x=", "--vary x=: no value after '='"),
    ("x=1,,2", "--vary x=1,,2: an empty value in the list (two commas in a row, or one at an end?)"),
    ("x=3...1:1", "--vary x=3...1:1: the range '3...1:1' runs backwards: 3 is greater than 1"),
    ("x=1...3:0", "--vary x=1...3:0: the step of '1...3:0' must be greater than 0"),
    ("x=1...3", "--vary x=1...3: '1...3' has no step; write a range as FROM...TO:STEP, e.g. 30...90:15 (both ends included)"),
    (
      "x=1 GiB...3 GiB:1",
      "--vary x=1 GiB...3 GiB:1: '1 GiB...3 GiB:1' is not a numeric range; write a range as FROM...TO:STEP, e.g. 30...90:15 (both ends included)"
    ),
    ("x=7,7", "--vary x=7,7: the value '7' is listed twice (it would run the same variant twice)"),
    ("x=1...100000:1", "--vary x=1...100000:1: more than 10000 values on one axis; is the step right?"),
    ("x={a: 1", "--vary x={a: 1: brackets or braces do not match"),
  ])
  func badValuesSayWhy(_ c: (String, String)) {
    do {
      _ = try VaryAxis.parse(c.0)
      Issue.record("\(c.0) parsed")
    } catch {
      #expect(error.description == c.1)
    }
  }

  // MARK: The grid

  @Test func gridIsTheProductWithTheFirstAxisSlowest() throws {
    let grid = try SweepGrid(axes: [try VaryAxis.parse("a=1,2"), try VaryAxis.parse("b=x,y,z")])
    #expect(grid.count == 6)
    let order = (0..<6).map { grid.parameters(at: $0).map(\.value).joined() }
    #expect(order == ["1x", "1y", "1z", "2x", "2y", "2z"])
    #expect(grid.parameters(at: 4).map(\.path) == ["a", "b"])
  }

  @Test func shardsPartitionTheGrid() {
    for n in 1...5 {
      let all = (1...n).flatMap { SweepGrid.shard($0, of: n, count: 17) }
      #expect(all.sorted() == Array(0..<17))
      #expect(Set(all).count == 17)
    }
    #expect(SweepGrid.shard(2, of: 3, count: 8) == [1, 4, 7])
  }

  @Test func gridRefusesRepeatedOrNestedPathsAndHugeProducts() throws {
    let twice = #expect(throws: VaryError.self) { try SweepGrid(axes: [try VaryAxis.parse("a.b=1"), try VaryAxis.parse("a.b=2")]) }
    #expect(twice?.description == "--vary a.b: is given twice; give each path once")
    let nested = #expect(throws: VaryError.self) { try SweepGrid(axes: [try VaryAxis.parse("a=1"), try VaryAxis.parse("a.b=2")]) }
    #expect(nested?.description == "--vary a.b: overlaps --vary a (one is inside the other); give each path once")
    let huge = #expect(throws: VaryError.self) {
      try SweepGrid(axes: [try VaryAxis.parse("a=1...1000:1"), try VaryAxis.parse("b=1...1000:1")])
    }
    #expect(huge?.description == "--vary b: the grid would have more than 100000 variants; split the sweep")
  }

  @Test func fingerprintFollowsTheScenarioAndTheAxes() throws {
    let g1 = try SweepGrid(axes: [try VaryAxis.parse("a=1,2")])
    let g2 = try SweepGrid(axes: [try VaryAxis.parse("a=1,3")])
    #expect(g1.fingerprint(scenarioText: "x") == g1.fingerprint(scenarioText: "x"))
    #expect(g1.fingerprint(scenarioText: "x") != g1.fingerprint(scenarioText: "y"))
    #expect(g1.fingerprint(scenarioText: "x") != g2.fingerprint(scenarioText: "x"))
    #expect(g1.fingerprint(scenarioText: "x").count == 16)
  }
}
