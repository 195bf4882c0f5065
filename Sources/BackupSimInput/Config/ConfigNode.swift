import BackupSimModel
import Yams

/// A parsed YAML, JSON or XML document as a tree that remembers where each value came from.
///
/// Every input format (scenario YAML/JSON, lifecycle JSON or XML, policy JSON, pricing YAML)
/// is turned into this one shape, so decoding and error locations work the same for all.
public struct ConfigNode: Sendable {
  public enum Kind: Sendable {
    /// `quoted` is true for quoted YAML/JSON strings, whose text is never read as a number or bool.
    case scalar(String, quoted: Bool)
    case mapping([(key: ConfigNode, value: ConfigNode)])
    case sequence([ConfigNode])
    case null
  }

  public var kind: Kind
  public var location: SourceLocation

  public init(_ kind: Kind, at location: SourceLocation) {
    self.kind = kind
    self.location = location
  }

  public var scalar: String? {
    if case .scalar(let s, _) = kind { return s }
    return nil
  }

  public var pairs: [(key: ConfigNode, value: ConfigNode)]? {
    if case .mapping(let p) = kind { return p }
    return nil
  }

  public var items: [ConfigNode]? {
    if case .sequence(let s) = kind { return s }
    return nil
  }

  public var isNull: Bool {
    if case .null = kind { return true }
    return false
  }

  /// The value for `key` in a mapping (first match; duplicates are rejected at parse time).
  public subscript(key: String) -> ConfigNode? {
    pairs?.first { $0.key.scalar == key }?.value
  }

  /// A short name for the node's type, for error messages.
  public var typeName: String {
    switch kind {
    case .scalar: return "a scalar"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .null: return "null"
    }
  }

  /// Parses YAML (JSON is valid YAML) into a node tree.
  ///
  /// A syntax error becomes a located `ScenarioError`.
  public static func parseYAML(_ text: String, file: String) throws(ScenarioError) -> ConfigNode {
    let root: Node?
    do {
      // No implicit tags: every scalar is read as text and typed by the scenario's reader, and the
      // default resolver's regular expressions, run on every scalar (twice for mapping keys), were
      // most of the time of loading a scenario of thousands of jobs.
      root = try Yams.compose(yaml: text, .basic)
    } catch let error as YamlError {
      throw yamlError(error, file: file, text: text)
    } catch {
      throw ScenarioError(.syntax, "cannot parse: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
    }
    guard let root else { return ConfigNode(.null, at: SourceLocation(file: file, line: 1, column: 1)) }
    var budget = maxNodes
    return try convert(root, file: file, budget: &budget)
  }

  /// YAML aliases can expand a small file into millions of values; no scenario needs that many.
  static let maxNodes = 1_000_000

  private static func convert(_ node: Node, file: String, budget: inout Int) throws(ScenarioError) -> ConfigNode {
    let loc = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    budget -= 1
    if budget < 0 {
      throw ScenarioError(.syntax, "document too large: more than \(maxNodes) values (nested YAML aliases?)", at: loc)
    }
    switch node {
    case .scalar(let s):
      if s.style == .plain && s.tag.description == Tag.Name.null.rawValue { return ConfigNode(.null, at: loc) }  // `!!null`
      if s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) { return ConfigNode(.null, at: loc) }
      return ConfigNode(.scalar(s.string, quoted: s.style != .plain), at: loc)
    case .mapping(let m):
      var out: [(key: ConfigNode, value: ConfigNode)] = []
      var seen: Set<String> = []
      for (k, v) in m {
        let key = try convert(k, file: file, budget: &budget)
        if let name = key.scalar {
          if !seen.insert(name).inserted {
            throw ScenarioError(.syntax, "duplicate key '\(name)'", at: key.location)
          }
        }
        out.append((key, try convert(v, file: file, budget: &budget)))
      }
      return ConfigNode(.mapping(out), at: loc)
    case .sequence(let s):
      var out: [ConfigNode] = []
      for item in s { out.append(try convert(item, file: file, budget: &budget)) }
      return ConfigNode(.sequence(out), at: loc)
    case .alias:
      throw ScenarioError(.syntax, "YAML aliases are not supported; write the value out", at: loc)
    }
  }

  /// The next occurrence of `key` used as a mapping key after `first`, at the same column for block
  /// mappings or anywhere later on the same line for flow mappings.
  static func repeatOf(key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (n, line) in lines.enumerated() where n + 1 >= first.line {
      let chars = Array(line.unicodeScalars)
      for col in chars.indices {
        if n + 1 == first.line && col <= first.column - 1 { continue }
        for form in [key, "\"\(key)\"", "'\(key)'"] {
          let f = Array(form.unicodeScalars)
          guard col + f.count <= chars.count, Array(chars[col..<(col + f.count)]) == f else { continue }
          let before = col == 0 ? " " : chars[col - 1]
          var after = col + f.count
          while after < chars.count && chars[after] == " " { after += 1 }
          guard after < chars.count, chars[after] == ":", " {,-".unicodeScalars.contains(before) else { continue }
          if n + 1 > first.line && !line.contains("{") && col != first.column - 1 { continue }
          return (n + 1, col + 1)
        }
      }
    }
    return nil
  }

  private static func yamlError(_ error: YamlError, file: String, text: String) -> ScenarioError {
    func located(_ problem: String, _ mark: Mark) -> ScenarioError {
      ScenarioError(.syntax, "invalid YAML: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
    }
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
      return located(problem, mark)
    case .duplicatedKeysInMapping(let duplicates, let context):
      // Yams points at the first occurrence; the mistake is the repeat, so find it.
      let at = duplicates.first.flatMap { repeatOf(key: $0, after: context.mark, in: text) } ?? (context.mark.line, context.mark.column)
      return ScenarioError(
        .syntax, "invalid YAML: duplicate key '\(duplicates.joined(separator: "', '"))'",
        at: SourceLocation(file: file, line: at.line, column: at.column))
    case .reader(let problem, _, _, _):
      return ScenarioError(.syntax, "cannot read: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
    default:
      return ScenarioError(.syntax, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
    }
  }
}
