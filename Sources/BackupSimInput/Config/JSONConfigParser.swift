import BackupSimModel

/// Strict JSON (RFC 8259) into a `ConfigNode` tree, for the `.json` files AWS tools read and write.
///
/// YAML would also accept `#` comments, trailing commas and single quotes, which IAM answers with
/// MalformedPolicyDocument and the AWS CLI with a parse error; so `.json` files are read with this.
/// Lines and columns count Unicode scalars, like the YAML and XML parsers.
public enum JSONConfigParser {
  /// Nesting bound: the parser recurses, and a debug build's frames are large enough that 1,000
  /// levels overflow the main thread's stack.
  ///
  /// AWS's documents nest under 10 levels.
  static let maxDepth = 64

  public static func parse(_ text: String, file: String) throws(ScenarioError) -> ConfigNode {
    var p = Parser(scalars: Array(text.unicodeScalars), file: file)
    p.skipSpace()
    let root = try p.value(depth: 0)
    p.skipSpace()
    if p.i < p.scalars.count { throw p.error("unexpected text after the JSON value") }
    return root
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    let file: String
    var i = 0
    var line = 1
    var column = 1

    init(scalars: [Unicode.Scalar], file: String) {
      self.scalars = scalars
      self.file = file
    }

    var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }
    var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    func error(_ problem: String) -> ScenarioError {
      ScenarioError(.syntax, "invalid JSON: \(problem)", at: here)
    }

    /// A description of the next character that never quotes file content beyond its kind.
    var found: String {
      guard let c = peek else { return "the end of the file" }
      switch c {
      case "'": return "a single quote (JSON strings take double quotes)"
      case "#", "/": return "a comment (JSON has none)"
      case "{", "}", "[", "]", ",", ":", "\"": return "'\(c)'"
      default: return "an unexpected character"
      }
    }

    mutating func advance() {
      if scalars[i] == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      i += 1
    }

    mutating func skipSpace() {
      while let c = peek, c == " " || c == "\t" || c == "\n" || c == "\r" { advance() }
    }

    mutating func expect(_ c: Unicode.Scalar) throws(ScenarioError) {
      guard peek == c else { throw error("expected '\(c)', found \(found)") }
      advance()
    }

    mutating func value(depth: Int) throws(ScenarioError) -> ConfigNode {
      guard depth < JSONConfigParser.maxDepth else {
        throw error("values nested more than \(JSONConfigParser.maxDepth) levels deep")
      }
      let at = here
      switch peek {
      case "{":
        advance()
        var pairs: [(key: ConfigNode, value: ConfigNode)] = []
        var seen: Set<String> = []
        skipSpace()
        if peek == "}" {
          advance()
          return ConfigNode(.mapping([]), at: at)
        }
        while true {
          skipSpace()
          guard peek == "\"" else {
            throw error(peek == "}" ? "a trailing comma before '}' (JSON allows none)" : "expected a key in double quotes, found \(found)")
          }
          let keyAt = here
          let name = try string()
          if !seen.insert(name).inserted { throw ScenarioError(.syntax, "duplicate key '\(name)'", at: keyAt) }
          skipSpace()
          try expect(":")
          skipSpace()
          pairs.append((ConfigNode(.scalar(name, quoted: true), at: keyAt), try value(depth: depth + 1)))
          skipSpace()
          if peek == "," {
            advance()
            continue
          }
          guard peek == "}" else { throw error("expected ',' or '}', found \(found)") }
          advance()
          return ConfigNode(.mapping(pairs), at: at)
        }
      case "[":
        advance()
        var items: [ConfigNode] = []
        skipSpace()
        if peek == "]" {
          advance()
          return ConfigNode(.sequence([]), at: at)
        }
        while true {
          skipSpace()
          if peek == "]" { throw error("a trailing comma before ']' (JSON allows none)") }
          items.append(try value(depth: depth + 1))
          skipSpace()
          if peek == "," {
            advance()
            continue
          }
          guard peek == "]" else { throw error("expected ',' or ']', found \(found)") }
          advance()
          return ConfigNode(.sequence(items), at: at)
        }
      case "\"":
        return ConfigNode(.scalar(try string(), quoted: true), at: at)
      default:
        // Literals and numbers: the longest run of characters that can belong to one.
        var word = ""
        while let c = peek, c == "-" || c == "+" || c == "." || c.properties.isAlphabetic || ("0"..."9").contains(c) {
          word.unicodeScalars.append(c)
          advance()
        }
        switch word {
        case "true", "false": return ConfigNode(.scalar(word, quoted: false), at: at)
        case "null": return ConfigNode(.null, at: at)
        default:
          guard !word.isEmpty else { throw error("expected a value, found \(found)") }
          guard word.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/) != nil else {
            throw ScenarioError(.syntax, "invalid JSON: expected a value (a string in double quotes, a number, true, false or null)", at: at)
          }
          return ConfigNode(.scalar(word, quoted: false), at: at)
        }
      }
    }

    /// A double-quoted string with JSON's escapes; control characters must be escaped.
    mutating func string() throws(ScenarioError) -> String {
      advance()  // the opening quote
      var out = String.UnicodeScalarView()
      while true {
        guard let c = peek else { throw error("a string is not closed") }
        switch c {
        case "\"":
          advance()
          return String(out)
        case "\\":
          advance()
          guard let e = peek else { throw error("a string is not closed") }
          let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "\"": "\"", "\\": "\\", "/": "/", "b": "\u{8}", "f": "\u{C}", "n": "\n", "r": "\r", "t": "\t",
          ]
          if let s = simple[e] {
            out.append(s)
            advance()
          } else if e == "u" {
            advance()
            var unit = try hex4()
            if (0xD800..<0xDC00).contains(unit) {
              // A high surrogate must be followed by an escaped low one.
              guard peek == "\\", i + 1 < scalars.count, scalars[i + 1] == "u" else { throw error("an unpaired surrogate in a \\u escape") }
              advance()
              advance()
              let low = try hex4()
              guard (0xDC00..<0xE000).contains(low) else { throw error("an unpaired surrogate in a \\u escape") }
              unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let s = Unicode.Scalar(unit) else { throw error("an unpaired surrogate in a \\u escape") }
            out.append(s)
          } else {
            throw error("an invalid escape in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
          }
        default:
          guard c.value >= 0x20 else { throw error("a control character in a string (write it as an escape such as \\n)") }
          out.append(c)
          advance()
        }
      }
    }

    mutating func hex4() throws(ScenarioError) -> UInt32 {
      var v: UInt32 = 0
      for _ in 0..<4 {
        guard let c = peek, let d = Int(String(c), radix: 16) else { throw error("\\u must be followed by four hex digits") }
        v = v * 16 + UInt32(d)
        advance()
      }
      return v
    }
  }
}

extension ConfigNode {
  /// A referenced file's document: strict JSON for `.json` files, YAML otherwise.
  public static func parse(_ text: String, file: String) throws(ScenarioError) -> ConfigNode {
    file.lowercased().hasSuffix(".json") ? try JSONConfigParser.parse(text, file: file) : try parseYAML(text, file: file)
  }
}
