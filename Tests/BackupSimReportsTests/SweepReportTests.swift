import BackupSimAnalysis
import BackupSimInput
import BackupSimModel
import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimReports

/// Sweep rows, the summary and merging shards.
@Suite struct SweepReportTests {
  static let base = sweepBaseScenario

  func tree(_ yaml: String = base) throws -> ConfigNode { try ConfigNode.parseYAML(yaml, file: "base.yaml") }

  // MARK: Rows, summary, merge

  /// Runs every variant of the grid in order (what `sweep` does, without threads).
  func sweep(_ axes: [String], yaml: String = base) throws -> [SweepRow] {
    let grid = try SweepGrid(axes: axes.map { try VaryAxis.parse($0) })
    let fp = grid.fingerprint(scenarioText: yaml)
    let root = try tree(yaml)
    return try (0..<grid.count).map { i in
      let s = try ScenarioLoader().load(node: try grid.tree(at: i, base: root), file: "base.yaml").scenario
      return SweepRow(
        variant: i, gridSize: grid.count, fingerprint: fp, parameters: grid.parameters(at: i), evaluation: evaluate(s, findMitigation: false))
    }
  }

  @Test func rowsRoundTripAndShardsMergeToTheSameBytes() throws {
    let rows = try sweep(["bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays=5...15:5", "uploads[0].size=1 GiB,2 GiB"])
    let text = SweepReport.jsonl(rows)
    #expect(text.split(separator: "\n").count == 6)
    let back = try SweepReport.rows(in: text, name: "sweep.jsonl").map(\.row)
    #expect(back == rows)
    #expect(SweepReport.jsonl(back) == text)

    let shards = (1...4).map { i in
      (name: "s\(i).jsonl", text: SweepReport.jsonl(SweepGrid.shard(i, of: 4, count: rows.count).map { rows[$0] }))
    }
    let merged = try SweepReport.merge(shards.reversed())
    #expect(SweepReport.jsonl(merged) == text)
    #expect(SweepReport.summary(merged) == SweepReport.summary(rows))

    // 5 days of history fail "a restore point every day for 10 days"; 10 and 15 pass.
    #expect(rows.map(\.requirementsMet) == [false, false, true, true, true, true])
    #expect(rows[0].requirements.first?.firstFailedOn != nil)
    #expect(SweepReport.cheapest(rows)?.variant == 2)
    #expect(!rows[0].hasAttack && rows[0].json.compact().contains("attackWindowDays") == false)
  }

  @Test func mergeNamesTheProblem() throws {
    let rows = try sweep(["bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays=5...15:5"])
    let one = SweepReport.jsonl([rows[0]]), two = SweepReport.jsonl([rows[1]])
    #expect(throws: SweepReport.MergeError(["error: 1 of 3 variants are missing (2); run the shards that hold them and merge again"])) {
      try SweepReport.merge([("a", one), ("b", two)])
    }
    #expect(throws: SweepReport.MergeError(["c:1: error: variant 0 is also at a:1; was a shard file given twice?"])) {
      try SweepReport.merge([("a", one), ("b", two), ("c", one)])
    }
    #expect(throws: SweepReport.MergeError(["error: no sweep rows in a"])) { try SweepReport.merge([("a", "\n")]) }
  }

  /// A hand-written row: only what the summary reads matters.
  static func row(_ variant: Int, monthly: String?, total: String, met: [Bool], size: Int = 4) -> String {
    let reqs = met.enumerated().map { i, m in "{\"name\":\"r\(i)\",\"met\":\(m),\"firstFailedOn\":\(m ? "null" : "\"2027-01-02\"")}" }
    return """
      {"variant":\(variant),"gridSize":\(size),"grid":"g","scenario":"S","parameters":{"p":"\(variant)"},"totalCost":\(total),\
      "steadyMonthlyCost":\(monthly ?? "null"),"restorableAtEnd":1,"oldestRestorableAtEnd":null,"requirementsMet":\(met.allSatisfy { $0 }),\
      "requirements":[\(reqs.joined(separator: ","))]}
      """
  }

  @Test func cheapestMeetsEveryRequirementThenCostsLeastPerMonth() throws {
    func rows(_ lines: [String]) throws -> [SweepRow] { try SweepReport.rows(in: lines.joined(separator: "\n"), name: "t").map(\.row) }
    // #0 is cheapest but fails; #1 and #3 cost the same per month, #3 less in total.
    let a = try rows([
      Self.row(0, monthly: "1", total: "10", met: [true, false]), Self.row(1, monthly: "5", total: "60", met: [true, true]),
      Self.row(2, monthly: "9", total: "20", met: [true, true]), Self.row(3, monthly: "5", total: "50", met: [true, true]),
    ])
    #expect(SweepReport.cheapest(a)?.variant == 3)
    #expect(
      SweepReport.verdict(a) == "Cheapest variant that meets every requirement: #3 (p=3) at $5.00/month; 3 of 4 variants meet every requirement.")
    // Equal on both: the lower index.
    let b = try rows([Self.row(0, monthly: "5", total: "5", met: [true], size: 2), Self.row(1, monthly: "5", total: "5", met: [true], size: 2)])
    #expect(SweepReport.cheapest(b)?.variant == 0)
    // No full month: the total decides, and the sentence says so.
    let c = try rows([Self.row(0, monthly: nil, total: "7", met: [true], size: 2), Self.row(1, monthly: nil, total: "3", met: [true], size: 2)])
    #expect(
      SweepReport.verdict(c)
        == "Cheapest variant that meets every requirement: #1 (p=1) at $3.00 in total (no full month in the horizon); 2 of 2 variants meet every requirement."
    )
    // None meets them: no cheapest, and status 1.
    let d = try rows([
      Self.row(0, monthly: "1", total: "1", met: [false, false], size: 2), Self.row(1, monthly: "1", total: "1", met: [true, false], size: 2),
    ])
    #expect(SweepReport.cheapest(d) == nil)
    #expect(SweepReport.noneMeetsRequirements(d))
    #expect(SweepReport.verdict(d) == "No variant meets every requirement (r0 fails in 1, r1 fails in 2 of 2 variants).")
    // No requirements at all: every variant qualifies, and the exit status stays 0.
    let e = try rows([Self.row(0, monthly: "2", total: "2", met: [], size: 2), Self.row(1, monthly: "1", total: "1", met: [], size: 2)])
    #expect(!SweepReport.noneMeetsRequirements(e))
    #expect(SweepReport.verdict(e) == "The scenario states no requirements. Cheapest variant: #1 (p=1) at $1.00/month.")
  }

  @Test func rowsKeepNumbersExactly() throws {
    // Money to 10 places and days to 12, beyond a Double's 15-16 significant digits.
    let line = Self.row(0, monthly: "98765432109.9876543211", total: "123456789012.1234567891", met: [true], size: 1)
      .replacingOccurrences(of: "\"variant\"", with: "\"attackWindowDays\":30.123456789012,\"variant\"")
    let row = try #require(try SweepReport.rows(in: line, name: "t").first?.row)
    #expect(row.totalCost == Decimal(string: "123456789012.1234567891"))
    #expect(row.attackWindowDays == Decimal(string: "30.123456789012") && row.hasAttack)
    for exact in ["\"totalCost\":123456789012.1234567891", "\"steadyMonthlyCost\":98765432109.9876543211", "\"attackWindowDays\":30.123456789012"] {
      #expect(row.line.contains(exact), "\(row.line)")
    }
  }

  @Test func rowsNameWhatIsWrong() throws {
    let good = Self.row(0, monthly: "1", total: "1", met: [true], size: 1)
    let cases = [
      ("not json", "t:1: error: not JSON: Invalid value around character 1."),
      (good.replacingOccurrences(of: "\"gridSize\":1,", with: ""), "t:1: error: not a sweep row: no 'gridSize'"),
      (good.replacingOccurrences(of: "\"totalCost\":1", with: "\"totalCost\":\"1\""), "t:1: error: not a sweep row: 'totalCost' is not a number"),
      (good.replacingOccurrences(of: "{\"name\":\"r0\",", with: "{"), "t:1: error: not a sweep row: no 'requirements[0].name'"),
      (
        good.replacingOccurrences(of: "\"requirementsMet\":true", with: "\"requirementsMet\":false"),
        "t:1: error: not a sweep row: 'requirementsMet' does not agree with 'requirements'"
      ),
      ("[1]", "t:1: error: not a sweep row: not a JSON object"),
    ]
    for (text, message) in cases {
      #expect(throws: (any Error).self) { try SweepReport.rows(in: text, name: "t") }
      do { _ = try SweepReport.rows(in: text, name: "t") } catch {
        #expect(error.lines.count == 1 && error.lines[0].hasPrefix(message), "\(error.lines)")
      }
    }
  }

}
