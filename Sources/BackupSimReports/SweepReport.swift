import Foundation
import BackupSimModel
import BackupSimEngine
import BackupSimAnalysis

/// One variant of a sweep, as one line of `sweep.jsonl`.
///
/// Everything `summary.md` shows is in the row, so `merge` rebuilds the same report from shard
/// files alone. Numbers are kept exactly as written (money to 10 places, days to 12), so a row
/// read back renders to the same bytes.
public struct SweepRow: Sendable, Equatable {
  public struct Requirement: Sendable, Equatable {
    public var name: String
    public var met: Bool
    /// YYYY-MM-DD, or nil when met.
    public var firstFailedOn: String?
  }

  public var variant: Int
  public var gridSize: Int
  /// `SweepGrid.fingerprint`: rows of one grid share it.
  public var grid: String
  public var scenario: String
  public var parameters: [String: String]
  public var totalCost: Decimal
  /// The last full calendar month's bill; nil when the horizon has none.
  public var steadyMonthlyCost: Decimal?
  public var restorableAtEnd: Int
  public var oldestRestorableAtEnd: String?
  /// False when the scenario has no `attack` section (the field is then left out of the row).
  public var hasAttack: Bool
  /// The worst possible strategy's detection window in days; nil when none destroys every good backup.
  public var attackWindowDays: Decimal?
  public var requirements: [Requirement]

  public var requirementsMet: Bool { requirements.allSatisfy(\.met) }

  /// `parameters` are the variant's (path, value) pairs (`SweepGrid.parameters(at:)`).
  public init(variant: Int, gridSize: Int, fingerprint: String, parameters: [(path: String, value: String)], evaluation e: Evaluation) {
    self.variant = variant
    self.gridSize = gridSize
    self.grid = fingerprint
    scenario = e.scenario.name
    self.parameters = Dictionary(parameters.map { ($0.path, $0.value) }, uniquingKeysWith: { a, _ in a })
    totalCost = Money.round(e.result.totalCost.amount, places: 10)
    steadyMonthlyCost = e.result.lastFullMonth.map { Money.round($0.total.amount, places: 10) }
    let c = e.result.coverage
    restorableAtEnd = c.restorableAtEnd
    oldestRestorableAtEnd = c.oldestRestorableAtEnd?.iso8601
    hasAttack = e.attack != nil
    attackWindowDays = e.attack?.worst?.detectionWindowDays.map { Money.round($0, places: 12) }
    requirements = e.requirements.map { Requirement(name: $0.name, met: $0.met, firstFailedOn: $0.firstFailedOn?.iso8601) }
  }

  public var json: JSONValue {
    var o: [String: JSONValue] = [
      "variant": .int(variant), "gridSize": .int(gridSize), "grid": .string(grid), "scenario": .string(scenario),
      "parameters": .object(parameters.mapValues { .string($0) }),
      "totalCost": .number(Money.plain(totalCost)),
      "steadyMonthlyCost": steadyMonthlyCost.map { .number(Money.plain($0)) } ?? .null,
      "restorableAtEnd": .int(restorableAtEnd),
      "oldestRestorableAtEnd": oldestRestorableAtEnd.map { .string($0) } ?? .null,
      "requirementsMet": .bool(requirementsMet),
      "requirements": .array(
        requirements.map { q in
          .object(["name": .string(q.name), "met": .bool(q.met), "firstFailedOn": q.firstFailedOn.map { .string($0) } ?? .null])
        }),
    ]
    if hasAttack { o["attackWindowDays"] = attackWindowDays.map { .number(Money.plain($0)) } ?? .null }
    return .object(o)
  }

  /// The row as one line of JSON (no newline).
  public var line: String { json.compact() }

  /// Reads a row back; `what` names the problem ("no 'variant'") for the caller to locate.
  public init(json: JSONValue) throws(SweepReport.RowError) {
    guard case .object(let o) = json else { throw .init("not a JSON object") }
    func field(_ k: String) throws(SweepReport.RowError) -> JSONValue {
      guard let v = o[k] else { throw .init("no '\(k)'") }
      return v
    }
    func int(_ k: String) throws(SweepReport.RowError) -> Int {
      guard case .number(let t) = try field(k), let v = Int(t) else { throw .init("'\(k)' is not a whole number") }
      return v
    }
    func string(_ k: String) throws(SweepReport.RowError) -> String {
      guard case .string(let s) = try field(k) else { throw .init("'\(k)' is not a string") }
      return s
    }
    func decimal(_ v: JSONValue, _ k: String) throws(SweepReport.RowError) -> Decimal? {
      switch v {
      case .null: return nil
      case .number(let t):
        guard let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")) else { throw .init("'\(k)' is not a number") }
        return d
      default: throw .init("'\(k)' is not a number")
      }
    }
    variant = try int("variant")
    gridSize = try int("gridSize")
    grid = try string("grid")
    scenario = try string("scenario")
    guard case .object(let p) = try field("parameters") else { throw .init("'parameters' is not an object") }
    var params: [String: String] = [:]
    for (k, v) in p {
      guard case .string(let s) = v else { throw .init("parameter '\(k)' is not a string") }
      params[k] = s
    }
    parameters = params
    guard let total = try decimal(field("totalCost"), "totalCost") else { throw .init("'totalCost' is null") }
    totalCost = total
    steadyMonthlyCost = try decimal(field("steadyMonthlyCost"), "steadyMonthlyCost")
    restorableAtEnd = try int("restorableAtEnd")
    switch try field("oldestRestorableAtEnd") {
    case .null: oldestRestorableAtEnd = nil
    case .string(let s): oldestRestorableAtEnd = s
    default: throw .init("'oldestRestorableAtEnd' is not a string")
    }
    hasAttack = o["attackWindowDays"] != nil
    attackWindowDays = try o["attackWindowDays"].flatMap { v throws(SweepReport.RowError) in try decimal(v, "attackWindowDays") }
    guard case .array(let qs) = try field("requirements") else { throw .init("'requirements' is not a list") }
    var reqs: [Requirement] = []
    for q in qs {
      guard case .object(let r) = q, case .string(let name)? = r["name"], case .bool(let met)? = r["met"] else {
        throw .init("a requirement without 'name' and 'met'")
      }
      var failed: String?
      if case .string(let d)? = r["firstFailedOn"] { failed = d }
      reqs.append(Requirement(name: name, met: met, firstFailedOn: failed))
    }
    requirements = reqs
    guard case .bool(let met) = try field("requirementsMet"), met == requirementsMet else {
      throw .init("'requirementsMet' does not agree with 'requirements'")
    }
  }
}

/// `sweep.jsonl` and `summary.md` (and the shard files `merge` joins).
public enum SweepReport {
  /// The files a sweep writes: sweep.jsonl and summary.md, or one shard's rows.
  public static func files(_ rows: [SweepRow], shard: (index: Int, of: Int)?) -> [(name: String, contents: String)] {
    if let s = shard { return [(shardFileName(s.index, of: s.of), jsonl(rows))] }
    return [("sweep.jsonl", jsonl(rows)), ("summary.md", summary(rows))]
  }

  /// The first lines `sweep` prints: what ran and, for a whole grid, the verdict.
  public static func headline(_ rows: [SweepRow], of gridSize: Int, scenario: String, fingerprint: String, shard: (index: Int, of: Int)?) -> String {
    if let s = shard {
      return "Shard \(s.index) of \(s.of): ran \(rows.count) of \(gridSize) variants of \(scenario) (grid \(fingerprint))."
    }
    return "Ran \(rows.count) variants of \(scenario) (grid \(fingerprint)).\n" + verdict(rows)
  }

  public struct RowError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
  }

  /// A problem with the inputs of `merge`, one line each.
  public struct MergeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var lines: [String]
    public init(_ lines: [String]) { self.lines = lines }
    public var description: String { lines.joined(separator: "\n") }
  }

  /// The file a shard writes: `sweep-shard-2-of-4.jsonl`.
  public static func shardFileName(_ i: Int, of n: Int) -> String { "sweep-shard-\(i)-of-\(n).jsonl" }

  /// One line per row, in variant order.
  public static func jsonl(_ rows: [SweepRow]) -> String {
    rows.sorted { $0.variant < $1.variant }.map { $0.line + "\n" }.joined()
  }

  /// The variant that meets every requirement for the least per month (the total when the
  /// horizon has no full month); ties go to the lower total, then the lower index.
  public static func cheapest(_ rows: [SweepRow]) -> SweepRow? {
    rows.filter(\.requirementsMet).min { a, b in
      let ka = a.steadyMonthlyCost ?? a.totalCost, kb = b.steadyMonthlyCost ?? b.totalCost
      if ka != kb { return ka < kb }
      if a.totalCost != b.totalCost { return a.totalCost < b.totalCost }
      return a.variant < b.variant
    }
  }

  /// Whether the scenario states requirements and no variant meets them all (`sweep` and
  /// `merge` then exit with status 1).
  public static func noneMeetsRequirements(_ rows: [SweepRow]) -> Bool {
    rows.contains { !$0.requirements.isEmpty } && !rows.contains(where: \.requirementsMet)
  }

  /// `summary.md`: a table of every variant, then the cheapest that meets every requirement.
  public static func summary(_ rows: [SweepRow]) -> String {
    let rows = rows.sorted { $0.variant < $1.variant }
    let paths = Array(Set(rows.flatMap(\.parameters.keys))).sorted()
    let hasAttack = rows.contains(where: \.hasAttack)
    let hasRequirements = rows.contains { !$0.requirements.isEmpty }
    var out = "# Sweep: \(rows.first.map { Markdown.codeSafe($0.scenario) } ?? "no variants")\n\n"
    out += "\(rows.count) variant\(rows.count == 1 ? "" : "s") of " + paths.map { "`\($0)`" }.joined(separator: " × ")
    out += " (grid \(rows.first?.grid ?? "-")).\n\n"

    var header = ["#"] + paths.map { "`\(Markdown.codeSafe($0))`" } + ["monthly cost", "total cost", "restorable at end", "oldest restorable"]
    var align = ["---:"] + paths.map { _ in "---" } + ["---:", "---:", "---:", "---"]
    if hasAttack {
      header.append("attack window")
      align.append("---:")
    }
    if hasRequirements {
      header.append("requirements")
      align.append("---")
    }
    out += "| " + header.joined(separator: " | ") + " |\n"
    out += "|" + align.joined(separator: "|") + "|\n"
    for r in rows {
      var cols = [String(r.variant)] + paths.map { Markdown.codeSafe(r.parameters[$0] ?? "") }
      cols.append(r.steadyMonthlyCost.map { Money($0).formatted() } ?? "n/a")
      cols.append(Money(r.totalCost).formatted())
      cols.append(String(r.restorableAtEnd))
      cols.append(r.oldestRestorableAtEnd.map { String($0.prefix(10)) } ?? "none")
      if hasAttack {
        if !r.hasAttack {
          cols.append("")
        } else {
          cols.append(r.attackWindowDays.map { Format.days($0) } ?? "survives")
        }
      }
      if hasRequirements {
        let failed = r.requirements.filter { !$0.met }
        cols.append(
          failed.isEmpty
            ? "met" : "**failed:** " + failed.map { q in q.name + (q.firstFailedOn.map { " (\($0))" } ?? "") }.joined(separator: ", "))
      }
      out += "| " + cols.joined(separator: " | ") + " |\n"
    }
    out += "\n" + verdict(rows) + "\n"
    return out
  }

  /// The closing sentence of the summary (also printed by the commands).
  public static func verdict(_ rows: [SweepRow]) -> String {
    let hasRequirements = rows.contains { !$0.requirements.isEmpty }
    if let best = cheapest(rows) {
      let params = best.parameters.keys.sorted().map { "\($0)=\(best.parameters[$0] ?? "")" }.joined(separator: ", ")
      let price =
        best.steadyMonthlyCost.map { "\(Money($0).formatted())/month" }
        ?? "\(Money(best.totalCost).formatted()) in total (no full month in the horizon)"
      let met = rows.filter(\.requirementsMet).count
      if hasRequirements {
        return
          "Cheapest variant that meets every requirement: #\(best.variant) (\(Markdown.codeSafe(params))) at \(price); \(met) of \(rows.count) variants meet every requirement."
      }
      return "The scenario states no requirements. Cheapest variant: #\(best.variant) (\(Markdown.codeSafe(params))) at \(price)."
    }
    if rows.isEmpty { return "No variants." }
    var counts: [String: Int] = [:]
    for r in rows { for q in r.requirements where !q.met { counts[q.name, default: 0] += 1 } }
    let why = counts.keys.sorted().map { "\($0) fails in \(counts[$0] ?? 0)" }.joined(separator: ", ")
    return "No variant meets every requirement (\(why) of \(rows.count) variants)."
  }

  /// Reads every row of a `.jsonl` text; `name` locates errors as `name:line: ...`.
  public static func rows(in text: String, name: String) throws(MergeError) -> [(row: SweepRow, line: Int)] {
    var out: [(SweepRow, Int)] = []
    var errors: [String] = []
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
      do {
        let value = try JSONValue.parse(line)
        out.append((try SweepRow(json: value), n + 1))
      } catch let e as RowError {
        errors.append("\(name):\(n + 1): error: not a sweep row: \(e.message)")
      } catch let e as JSONValue.ParseError {
        errors.append("\(name):\(n + 1): error: not JSON: \(e.message)")
      } catch {
        errors.append("\(name):\(n + 1): error: \(error)")
      }
    }
    if !errors.isEmpty { throw MergeError(errors) }
    return out
  }

  /// Joins shard files into the rows of the whole grid, refusing rows of another grid,
  /// a variant given twice, and missing variants.
  public static func merge(_ inputs: [(name: String, text: String)]) throws(MergeError) -> [SweepRow] {
    var all: [(row: SweepRow, at: String)] = []
    var errors: [String] = []
    for input in inputs {
      do {
        for (row, line) in try rows(in: input.text, name: input.name) { all.append((row, "\(input.name):\(line)")) }
      } catch {
        errors += error.lines
      }
    }
    if !errors.isEmpty { throw MergeError(errors) }
    guard let first = all.first else {
      throw MergeError(["error: no sweep rows in " + inputs.map(\.name).joined(separator: ", ")])
    }
    for (row, at) in all where row.grid != first.row.grid || row.gridSize != first.row.gridSize {
      errors.append(
        "\(at): error: this row is from another sweep (grid \(row.grid), \(row.gridSize) variants) than \(first.at) (grid \(first.row.grid), \(first.row.gridSize) variants); merge shards of one sweep only"
      )
    }
    var seen: [Int: String] = [:]
    for (row, at) in all {
      if row.variant < 0 || row.variant >= first.row.gridSize {
        errors.append("\(at): error: variant \(row.variant) is outside the grid of \(first.row.gridSize) variants")
      } else if let other = seen[row.variant] {
        errors.append("\(at): error: variant \(row.variant) is also at \(other); was a shard file given twice?")
      } else {
        seen[row.variant] = at
      }
    }
    if !errors.isEmpty { throw MergeError(errors) }
    let missing = (0..<first.row.gridSize).filter { seen[$0] == nil }
    if !missing.isEmpty {
      throw MergeError([
        "error: \(missing.count) of \(first.row.gridSize) variants are missing (\(ranges(missing))); run the shards that hold them and merge again"
      ])
    }
    return all.map(\.row).sorted { $0.variant < $1.variant }
  }

  /// "3, 7-9, 12" (at most 20 pieces, then "…").
  static func ranges(_ sorted: [Int]) -> String {
    var pieces: [String] = []
    var i = 0
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
      pieces.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
      i = j + 1
    }
    return pieces.count > 20 ? pieces.prefix(20).joined(separator: ", ") + ", …" : pieces.joined(separator: ", ")
  }
}
