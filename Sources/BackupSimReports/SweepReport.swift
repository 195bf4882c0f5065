import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

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
}

/// Reading a row back with Foundation's decoder, which reads a `Decimal` from the number's digits,
/// so amounts to 10 places and days to 12 come back exactly.
extension SweepRow: Decodable {
  enum CodingKeys: String, CodingKey {
    case variant, gridSize, grid, scenario, parameters, totalCost, steadyMonthlyCost, restorableAtEnd, oldestRestorableAtEnd
    case requirementsMet, requirements, attackWindowDays
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    variant = try c.decode(Int.self, forKey: .variant)
    gridSize = try c.decode(Int.self, forKey: .gridSize)
    grid = try c.decode(String.self, forKey: .grid)
    scenario = try c.decode(String.self, forKey: .scenario)
    parameters = try c.decode([String: String].self, forKey: .parameters)
    totalCost = try c.decode(Decimal.self, forKey: .totalCost)
    // Written as null when absent: the key itself must be there (decodeNil throws when it is not).
    steadyMonthlyCost = try c.decodeNil(forKey: .steadyMonthlyCost) ? nil : c.decode(Decimal.self, forKey: .steadyMonthlyCost)
    restorableAtEnd = try c.decode(Int.self, forKey: .restorableAtEnd)
    oldestRestorableAtEnd = try c.decodeNil(forKey: .oldestRestorableAtEnd) ? nil : c.decode(String.self, forKey: .oldestRestorableAtEnd)
    // A row without an attack section leaves the key out; with one whose window is none, it is null.
    hasAttack = c.contains(.attackWindowDays)
    attackWindowDays = try c.decodeIfPresent(Decimal.self, forKey: .attackWindowDays)
    requirements = try c.decode([Requirement].self, forKey: .requirements)
    guard try c.decode(Bool.self, forKey: .requirementsMet) == requirementsMet else {
      throw DecodingError.dataCorruptedError(
        forKey: .requirementsMet, in: c, debugDescription: "'requirementsMet' does not agree with 'requirements'")
    }
  }
}

extension SweepRow.Requirement: Decodable {}

extension SweepReport.RowError {
  /// What a decoding error says about the row, in the words of the other merge errors.
  init(_ e: DecodingError) {
    // "requirements[0].name"
    func path(_ c: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
      var out = ""
      for k in c.codingPath + (key.map { [$0] } ?? []) {
        if let i = k.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
      }
      return out
    }
    switch e {
    case .keyNotFound(let key, let c): self.init("no '\(path(c, key))'")
    case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
      let what =
        type == Int.self
        ? "a whole number"
        : type == Decimal.self
          ? "a number"
          : type == String.self
            ? "a string"
            : type == Bool.self ? "true or false" : "of the right kind"
      self.init(c.codingPath.isEmpty ? "not a JSON object" : "'\(path(c))' is not \(what)")
    case .dataCorrupted(let c): self.init(c.debugDescription)
    @unknown default: self.init("\(e)")
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
        out.append((try JSONDecoder().decode(SweepRow.self, from: Data(line.utf8)), n + 1))
      } catch let e as DecodingError {
        if case .dataCorrupted(let c) = e, c.codingPath.isEmpty {
          // The decoder does not say where; JSONSerialization does ("Invalid value around character 1.").
          let why = Self.syntaxProblem(line) ?? c.debugDescription
          errors.append("\(name):\(n + 1): error: not JSON: \(why)")
        } else {
          errors.append("\(name):\(n + 1): error: not a sweep row: \(RowError(e).message)")
        }
      } catch {
        errors.append("\(name):\(n + 1): error: \(error)")
      }
    }
    if !errors.isEmpty { throw MergeError(errors) }
    return out
  }

  static func syntaxProblem(_ line: String) -> String? {
    do {
      _ = try JSONSerialization.jsonObject(with: Data(line.utf8), options: .fragmentsAllowed)
      return nil
    } catch {
      return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
    }
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
