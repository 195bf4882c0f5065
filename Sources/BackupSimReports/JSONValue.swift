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
    var out = JSONBytes()
    write(into: &out, indent: 0)
    out.append(UInt8(ascii: "\n"))
    return out.string
  }

  /// One line of JSON: keys in byte order (as `rendered()`), no spaces.
  public func compact() -> String {
    var out = JSONBytes()
    writeCompact(into: &out)
    return out.string
  }

  private func write(into out: inout JSONBytes, indent: Int) {
    switch self {
    case .object(let o):
      if o.isEmpty { out.append("{}"); return }
      out.append("{\n")
      let members = Self.sortedMembers(o)
      for (i, m) in members.enumerated() {
        out.indent(indent + 1)
        out.quote(m.key)
        out.append(": ")
        m.value.write(into: &out, indent: indent + 1)
        out.append(i == members.count - 1 ? "\n" : ",\n")
      }
      out.indent(indent)
      out.append(UInt8(ascii: "}"))
    case .array(let a):
      if a.isEmpty { out.append("[]"); return }
      out.append("[\n")
      for (i, v) in a.enumerated() {
        out.indent(indent + 1)
        v.write(into: &out, indent: indent + 1)
        out.append(i == a.count - 1 ? "\n" : ",\n")
      }
      out.indent(indent)
      out.append(UInt8(ascii: "]"))
    default: writeScalar(into: &out)
    }
  }

  private func writeCompact(into out: inout JSONBytes) {
    switch self {
    case .object(let o):
      out.append(UInt8(ascii: "{"))
      for (i, m) in Self.sortedMembers(o).enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        out.quote(m.key)
        out.append(UInt8(ascii: ":"))
        m.value.writeCompact(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    case .array(let a):
      out.append(UInt8(ascii: "["))
      for (i, v) in a.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        v.writeCompact(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    default: writeScalar(into: &out)
    }
  }

  private func writeScalar(into out: inout JSONBytes) {
    switch self {
    case .string(let s): out.quote(s)
    case .number(let n): out.append(n)
    case .bool(let b): out.append(b ? "true" : "false")
    case .null: out.append("null")
    case .object, .array: preconditionFailure("containers are written by write(into:) and writeCompact(into:)")
    }
  }

  /// The object's members in byte order of their keys (UTF-8), each key's bytes gathered once:
  /// they sort the members and are what is written.
  private static func sortedMembers(_ o: [String: JSONValue]) -> [(key: [UInt8], value: JSONValue)] {
    o.map { (key: Array($0.key.utf8), value: $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
  }
}

/// The UTF-8 bytes of a JSON text being written: appending bytes costs a few instructions each,
/// where appending to a `String` re-checked its encoding on every piece.
struct JSONBytes {
  private(set) var bytes: [UInt8] = []

  var string: String { String(decoding: bytes, as: UTF8.self) }

  mutating func append(_ byte: UInt8) { bytes.append(byte) }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  /// Two spaces per level.
  mutating func indent(_ level: Int) {
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
  }

  /// `text` as a JSON string: quotes, backslash escapes for the quote, the backslash and control
  /// characters, and \u escapes for U+2028 and U+2029 (line breaks to JavaScript).
  mutating func quote(_ text: String) {
    var text = text
    text.withUTF8 { quote($0) }
  }

  mutating func quote(_ utf8: [UInt8]) { utf8.withUnsafeBufferPointer { quote($0) } }

  private mutating func quote(_ utf8: UnsafeBufferPointer<UInt8>) {
    bytes.append(UInt8(ascii: "\""))
    // Bytes that need no escape are copied in runs, not one by one.
    var run = 0
    var i = 0
    while i < utf8.count {
      let b = utf8[i]
      let escape: String?
      var width = 1
      switch b {
      case UInt8(ascii: "\""): escape = "\\\""
      case UInt8(ascii: "\\"): escape = "\\\\"
      case UInt8(ascii: "\n"): escape = "\\n"
      case UInt8(ascii: "\r"): escape = "\\r"
      case UInt8(ascii: "\t"): escape = "\\t"
      case 0..<0x20: escape = Self.unicodeEscape(UInt32(b))
      case 0xE2 where i + 2 < utf8.count && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
        escape = Self.unicodeEscape(utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029)
        width = 3
      default: escape = nil
      }
      if let escape {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
        append(escape)
        run = i + width
      }
      i += width
    }
    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<utf8.count]))
    bytes.append(UInt8(ascii: "\""))
  }

  private static func unicodeEscape(_ value: UInt32) -> String {
    let hex = String(value, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
  }
}
