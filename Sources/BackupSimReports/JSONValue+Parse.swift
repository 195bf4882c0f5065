import Foundation

extension JSONValue {
  /// A problem reading JSON text, with the 1-based character position.
  public struct ParseError: Error, Equatable, Sendable {
    public var message: String
  }

  /// Reads JSON text, keeping each number's exact text (so reading and rendering give the same bytes).
  public static func parse(_ text: String) throws(ParseError) -> JSONValue {
    var p = JSONParser(Array(text.unicodeScalars))
    let v = try p.value()
    p.skipSpace()
    guard p.i == p.s.count else { throw p.fail("unexpected text after the value") }
    return v
  }
}

/// A small recursive-descent JSON reader (RFC 8259) for `JSONValue.parse`.
private struct JSONParser {
  let s: [Unicode.Scalar]
  var i = 0
  var depth = 0

  init(_ s: [Unicode.Scalar]) { self.s = s }

  func fail(_ message: String) -> JSONValue.ParseError { .init(message: "\(message) at character \(i + 1)") }

  mutating func skipSpace() {
    while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" { i += 1 }
  }

  mutating func value() throws(JSONValue.ParseError) -> JSONValue {
    skipSpace()
    guard i < s.count else { throw fail("unexpected end") }
    switch s[i] {
    case "{":
      depth += 1
      // Deep nesting would exhaust the stack; no sweep row nests more than a few levels.
      guard depth < 100 else { throw fail("nested too deeply") }
      defer { depth -= 1 }
      i += 1
      var o: [String: JSONValue] = [:]
      skipSpace()
      if i < s.count, s[i] == "}" {
        i += 1
        return .object(o)
      }
      while true {
        skipSpace()
        guard i < s.count, s[i] == "\"" else { throw fail("expected a key") }
        let k = try string()
        skipSpace()
        guard i < s.count, s[i] == ":" else { throw fail("expected ':'") }
        i += 1
        o[k] = try value()
        skipSpace()
        guard i < s.count else { throw fail("unexpected end") }
        if s[i] == "," {
          i += 1
          continue
        }
        guard s[i] == "}" else { throw fail("expected ',' or '}'") }
        i += 1
        return .object(o)
      }
    case "[":
      depth += 1
      guard depth < 100 else { throw fail("nested too deeply") }
      defer { depth -= 1 }
      i += 1
      var a: [JSONValue] = []
      skipSpace()
      if i < s.count, s[i] == "]" {
        i += 1
        return .array(a)
      }
      while true {
        a.append(try value())
        skipSpace()
        guard i < s.count else { throw fail("unexpected end") }
        if s[i] == "," {
          i += 1
          continue
        }
        guard s[i] == "]" else { throw fail("expected ',' or ']'") }
        i += 1
        return .array(a)
      }
    case "\"":
      return .string(try string())
    case "t": return try literal("true", .bool(true))
    case "f": return try literal("false", .bool(false))
    case "n": return try literal("null", .null)
    default:
      return try number()
    }
  }

  mutating func literal(_ word: String, _ v: JSONValue) throws(JSONValue.ParseError) -> JSONValue {
    let w = Array(word.unicodeScalars)
    guard i + w.count <= s.count, Array(s[i..<(i + w.count)]) == w else { throw fail("unexpected text") }
    i += w.count
    return v
  }

  mutating func number() throws(JSONValue.ParseError) -> JSONValue {
    let start = i
    if i < s.count, s[i] == "-" { i += 1 }
    func digits(_ p: inout JSONParser) -> Int {
      let b = p.i
      while p.i < p.s.count, ("0"..."9").contains(p.s[p.i]) { p.i += 1 }
      return p.i - b
    }
    guard digits(&self) > 0 else { throw fail("expected a value") }
    if i < s.count, s[i] == "." {
      i += 1
      guard digits(&self) > 0 else { throw fail("expected digits after '.'") }
    }
    if i < s.count, s[i] == "e" || s[i] == "E" {
      i += 1
      if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
      guard digits(&self) > 0 else { throw fail("expected an exponent") }
    }
    var text = ""
    text.unicodeScalars.append(contentsOf: s[start..<i])
    return .number(text)
  }

  mutating func string() throws(JSONValue.ParseError) -> String {
    i += 1  // the opening quote
    var out = String.UnicodeScalarView()
    while i < s.count {
      let c = s[i]
      i += 1
      switch c {
      case "\"": return String(out)
      case "\\":
        guard i < s.count else { throw fail("unexpected end") }
        let e = s[i]
        i += 1
        switch e {
        case "\"": out.append("\"")
        case "\\": out.append("\\")
        case "/": out.append("/")
        case "b": out.append("\u{08}")
        case "f": out.append("\u{0C}")
        case "n": out.append("\n")
        case "r": out.append("\r")
        case "t": out.append("\t")
        case "u":
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code) {
            // A surrogate pair: the low half must follow as another \u escape.
            guard i + 1 < s.count, s[i] == "\\", s[i + 1] == "u" else { throw fail("lone surrogate") }
            i += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("bad surrogate pair") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let u = Unicode.Scalar(code) else { throw fail("bad \\u escape") }
          out.append(u)
        default: throw fail("bad escape")
        }
      default:
        guard c.value >= 0x20 else { throw fail("control character in a string") }
        out.append(c)
      }
    }
    throw fail("unterminated string")
  }

  mutating func hex4() throws(JSONValue.ParseError) -> UInt32 {
    guard i + 4 <= s.count else { throw fail("bad \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard s[i].isASCII, let d = UInt32(String(s[i]), radix: 16) else {
        throw fail("bad \\u escape")
      }
      v = v * 16 + d
      i += 1
    }
    return v
  }
}
