import BackupSimModel

/// Where a piece of input came from: file, 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(Shown.escaped(file)):\(line):\(column)" }
}

/// A problem with the input, reported as one compiler-style line.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Code: Equatable, Sendable {
    case syntax
    case unknownKey(String)
    case missingKey(String)
    case invalidValue(key: String)
    case invalidLifecycle(ruleID: String)
    case io
  }

  public var code: Code
  public var message: String
  public var location: SourceLocation?

  public init(_ code: Code, _ message: String, at location: SourceLocation?) {
    self.code = code
    self.message = Shown.message(message)
    self.location = location
  }

  public var description: String { "\(location.map { "\($0): " } ?? "")error: \(message)" }
}

/// Every problem found in one input, in the order found (the loader reports them all at once).
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [ScenarioError]
  public init(_ errors: [ScenarioError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// How messages show the input values they quote, decided here once for every message: a
/// newline would split the one-line error (and could forge a second one), an escape sequence
/// would reach the terminal, and a 100 MB value would come back whole.
public enum Shown {
  /// The most characters of one quoted value that a message shows.
  public static let maxValue = 80
  /// The most characters of a whole message (a bound even for values not in quotes).
  public static let maxMessage = 1000

  /// `message` with control characters escaped, each '…'-quoted value cut to `maxValue`
  /// characters and the whole to `maxMessage`, each cut marked with "…".
  public static func message(_ message: String) -> String {
    var parts = escaped(message).split(separator: "'", omittingEmptySubsequences: false)
    // Odd parts lie between quotes; the last part has no closing quote, so it is prose.
    for i in parts.indices where i % 2 == 1 && i < parts.count - 1 && parts[i].count > maxValue {
      parts[i] = Substring(parts[i].prefix(maxValue - 1) + "…")
    }
    let out = parts.joined(separator: "'")
    return out.count > maxMessage ? String(out.prefix(maxMessage - 1)) + "…" : out
  }

  /// `text` with C0/C1 controls, line and paragraph separators and bidi overrides written as escapes.
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = ""
    for s in text.unicodeScalars {
      switch s {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where needsEscape(s): out += "\\u{\(String(s.value, radix: 16, uppercase: true))}"
      default: out.unicodeScalars.append(s)
      }
    }
    return out
  }

  private static func needsEscape(_ s: Unicode.Scalar) -> Bool {
    s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
      || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
  }
}
