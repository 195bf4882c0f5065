import Foundation

/// A forward-only reader of JSON text that builds no tree of its own.
///
/// The AWS Price List offer file for AmazonS3 runs to tens of megabytes. `OfferImporter` walks its two big
/// objects (`products`, `terms.OnDemand`) key by key with this reader, decodes one SKU's small object at a
/// time into a `Value`, keeps the few fields it needs and drops the rest, so memory holds the file's bytes and
/// the matched SKUs, never a tree of the whole document.
///
/// - Complexity: O(n) in the file's bytes; `skip()` passes over a value without decoding it.
struct JSONStream {
  /// A small decoded value (one product or one SKU's terms).
  indirect enum Value: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case object([String: Value], offsets: [String: Int])
    case array([Value])

    var string: String? { if case .string(let s) = self { s } else { nil } }
    subscript(_ key: String) -> Value? { if case .object(let m, _) = self { m[key] } else { nil } }
    /// Where `key`'s value starts, for error locations.
    func offset(of key: String) -> Int? { if case .object(_, let o) = self { o[key] } else { nil } }
    var members: [String: Value] { if case .object(let m, _) = self { m } else { [:] } }
  }

  /// Bad JSON, at a byte offset.
  struct Failure: Error {
    var message: String
    var offset: Int
  }

  let bytes: [UInt8]
  private(set) var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The 1-based line and column of a byte offset (columns count characters, not UTF-8 bytes).
  func lineAndColumn(of target: Int) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for b in bytes[..<min(target, bytes.count)] {
      if b == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }

  mutating func skipWhitespace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case 0x20, 0x09, 0x0A, 0x0D: offset += 1
      default: return
      }
    }
  }

  /// The next significant byte, without consuming it.
  mutating func peek() -> UInt8? {
    skipWhitespace()
    return offset < bytes.count ? bytes[offset] : nil
  }

  mutating func expect(_ c: Character) throws(Failure) {
    guard let ascii = c.asciiValue else { preconditionFailure("not ASCII") }
    guard peek() == ascii else { throw fail("expected '\(c)'") }
    offset += 1
  }

  func fail(_ what: String) -> Failure {
    let found = offset < bytes.count ? "'\(Character(Unicode.Scalar(bytes[offset])))'" : "the end of the file"
    return Failure(message: "not valid JSON: \(what), found \(found)", offset: offset)
  }

  /// Starts reading an object: consumes `{`.
  mutating func beginObject() throws(Failure) { try expect("{") }

  /// The next key of the object being read and where it starts, or nil once its `}` is consumed.
  ///
  /// `first` is true before the object's first key; the call keeps it up to date.
  mutating func nextKey(_ first: inout Bool) throws(Failure) -> (key: String, offset: Int)? {
    guard let c = peek() else { throw fail("expected a key or '}'") }
    if c == UInt8(ascii: "}") {
      offset += 1
      return nil
    }
    if !first { try expect(",") }
    first = false
    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
    let at = offset
    let key = try string()
    try expect(":")
    skipWhitespace()
    return (key, at)
  }

  /// Reads a string value; the offset must be at its opening quote.
  mutating func string() throws(Failure) -> String {
    try expect("\"")
    let start = offset
    // Fast path: no escapes.
    while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") { offset += 1 }
    guard offset < bytes.count else { throw Failure(message: "not valid JSON: a string is not closed", offset: start - 1) }
    if bytes[offset] == UInt8(ascii: "\"") {
      defer { offset += 1 }
      return String(decoding: bytes[start..<offset], as: UTF8.self)
    }
    var out = Array(bytes[start..<offset])
    while offset < bytes.count {
      let b = bytes[offset]
      offset += 1
      switch b {
      case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard offset < bytes.count else { break }
        let e = bytes[offset]
        offset += 1
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800..<0xDC00).contains(scalar), offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
            bytes[offset + 1] == UInt8(ascii: "u")
          {
            offset += 2
            let low = try hex4()
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
        default: out.append(e)  // \" \\ \/
        }
      default: out.append(b)
      }
    }
    throw Failure(message: "not valid JSON: a string is not closed", offset: start - 1)
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    guard offset + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16) else {
      throw fail("expected four hex digits after \\u")
    }
    offset += 4
    return v
  }

  /// Passes over one value of any kind without decoding it.
  mutating func skip() throws(Failure) {
    guard let c = peek() else { throw fail("expected a value") }
    switch c {
    case UInt8(ascii: "\""): _ = try string()
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      repeat {
        guard offset < bytes.count else { throw fail("an object or array is not closed") }
        switch bytes[offset] {
        case UInt8(ascii: "\""):
          _ = try string()
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
        default: break
        }
        offset += 1
      } while depth > 0
    default: _ = try scalar()
    }
  }

  /// Reads one value completely (used for one SKU's small object at a time).
  mutating func value(depth: Int = 0) throws(Failure) -> Value {
    guard depth < 64 else { throw fail("values nested more than 64 deep") }
    guard let c = peek() else { throw fail("expected a value") }
    switch c {
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "{"):
      offset += 1
      var m: [String: Value] = [:]
      var o: [String: Int] = [:]
      var first = true
      while let (k, _) = try nextKey(&first) {
        o[k] = offset
        m[k] = try value(depth: depth + 1)
      }
      return .object(m, offsets: o)
    case UInt8(ascii: "["):
      offset += 1
      var items: [Value] = []
      if peek() == UInt8(ascii: "]") {
        offset += 1
        return .array(items)
      }
      while true {
        items.append(try value(depth: depth + 1))
        guard let n = peek() else { throw fail("an array is not closed") }
        offset += 1
        if n == UInt8(ascii: "]") { return .array(items) }
        guard n == UInt8(ascii: ",") else {
          offset -= 1
          throw fail("expected ',' or ']'")
        }
      }
    default: return try scalar()
    }
  }

  private mutating func scalar() throws(Failure) -> Value {
    let start = offset
    while offset < bytes.count {
      switch bytes[offset] {
      case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
        break
      default:
        offset += 1
        continue
      }
      break
    }
    let text = String(decoding: bytes[start..<offset], as: UTF8.self)
    switch text {
    case "true": return .bool(true)
    case "false": return .bool(false)
    case "null": return .null
    default:
      guard !text.isEmpty, Double(text) != nil else {
        offset = start
        throw fail("expected a value")
      }
      return .number(text)
    }
  }
}
