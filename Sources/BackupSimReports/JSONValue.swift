import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// A JSON document built by the report writers and printed with sorted keys and fixed number formats.
public indirect enum JSONValue: Sendable, Equatable {
  case object([String: JSONValue])
  case array([JSONValue])
  case string(String)
  /// A number's exact text (integers and full-precision decimals are both written as-is).
  case number(String)
  case bool(Bool)
  case null

  public static func int<T: BinaryInteger>(_ v: T) -> JSONValue { .number(String(v)) }
  /// Quantities such as GB-months, to 12 decimal places (the division by month length never ends).
  public static func decimal(_ d: Decimal) -> JSONValue { .number(Money.plain(Money.round(d, places: 12))) }
  /// Dollar amounts to 10 decimal places: exact for every price times a count, and a ten-billionth
  /// of a dollar for the quotients of byte-seconds, far below any billing unit.
  public static func money(_ m: Money) -> JSONValue { .number(Money.plain(Money.round(m.amount, places: 10))) }

  /// Pretty-printed with two-space indents and keys in byte order, ending in a newline.
  public func rendered() -> String {
    var out = ""
    write(into: &out, indent: 0)
    out += "\n"
    return out
  }

  private func write(into out: inout String, indent: Int) {
    let pad = String(repeating: "  ", count: indent + 1), close = String(repeating: "  ", count: indent)
    switch self {
    case .object(let o):
      if o.isEmpty { out += "{}"; return }
      out += "{\n"
      for (i, k) in Self.sortedKeys(o).enumerated() {
        out += pad + Self.quote(k) + ": "
        o[k]?.write(into: &out, indent: indent + 1)
        out += i == o.count - 1 ? "\n" : ",\n"
      }
      out += close + "}"
    case .array(let a):
      if a.isEmpty { out += "[]"; return }
      out += "[\n"
      for (i, v) in a.enumerated() {
        out += pad
        v.write(into: &out, indent: indent + 1)
        out += i == a.count - 1 ? "\n" : ",\n"
      }
      out += close + "]"
    case .string(let s): out += Self.quote(s)
    case .number(let n): out += n
    case .bool(let b): out += b ? "true" : "false"
    case .null: out += "null"
    }
  }

  /// The object's keys in byte order (UTF-8), each key's bytes gathered once rather than per comparison.
  private static func sortedKeys(_ o: [String: JSONValue]) -> [String] {
    o.keys.map { (bytes: Array($0.utf8), key: $0) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.map(\.key)
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
        out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  /// One line of JSON: keys in byte order (as `rendered()`), no spaces.
  public func compact() -> String {
    var out = ""
    writeCompact(into: &out)
    return out
  }

  private func writeCompact(into out: inout String) {
    switch self {
    case .object(let o):
      out += "{"
      for (i, k) in Self.sortedKeys(o).enumerated() {
        if i > 0 { out += "," }
        out += Self.quote(k) + ":"
        o[k]?.writeCompact(into: &out)
      }
      out += "}"
    case .array(let a):
      out += "["
      for (i, v) in a.enumerated() {
        if i > 0 { out += "," }
        v.writeCompact(into: &out)
      }
      out += "]"
    case .string(let s): out += Self.quote(s)
    case .number(let n): out += n
    case .bool(let b): out += b ? "true" : "false"
    case .null: out += "null"
    }
  }
}
