import BackupSimModel
import Foundation

/// A problem with a `--vary PATH=VALUES` argument, reported before anything runs.
public struct VaryError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The argument as given (`bucket.objectLock.days=7,14`), or its path when only that is known.
  public var argument: String
  public var message: String

  public init(_ argument: String, _ message: String) {
    self.argument = argument
    self.message = message
  }

  public var description: String { "--vary \(argument): \(message)" }
}

/// Where a value sits in a scenario tree: mapping keys and list indices, written
/// `bucket.lifecycle.Rules[0].NoncurrentVersionExpiration.NoncurrentDays`.
///
/// A key that itself contains a dot or a bracket is written `["a.b"]`.
public struct ConfigPath: Sendable, Equatable, Hashable, CustomStringConvertible {
  public enum Segment: Sendable, Equatable, Hashable {
    case key(String)
    case index(Int)
  }

  public var segments: [Segment]

  public init(_ segments: [Segment]) { self.segments = segments }

  /// The canonical text: what `parse` reads back to the same path.
  public var description: String { Self.text(segments[...]) }

  static func text(_ segments: ArraySlice<Segment>) -> String {
    var out = ""
    for s in segments {
      switch s {
      case .key(let k):
        if k.contains(where: { ".[]\"=".contains($0) }) || k.isEmpty {
          out += "[\"\(k)\"]"
        } else {
          out += (out.isEmpty ? "" : ".") + k
        }
      case .index(let i): out += "[\(i)]"
      }
    }
    return out
  }

  /// Reads a path; every mistake names the column it is at.
  public static func parse(_ text: String) throws(VaryError) -> ConfigPath {
    let chars = Array(text)
    var segments: [Segment] = []
    var i = 0
    func fail(_ message: String) -> VaryError { VaryError(text, message) }
    guard !chars.isEmpty else { throw fail("empty path; write one like bucket.objectLock.days") }
    // After a segment, only "." (then a key), "[" or the end may follow.
    var expectKey = true
    while i < chars.count {
      if chars[i] == "[" {
        guard let close = chars[i...].firstIndex(of: "]") else { throw fail("'[' at column \(i + 1) is not closed") }
        let inside = String(chars[(i + 1)..<close])
        if inside.hasPrefix("\"") {
          guard inside.count >= 2, inside.hasSuffix("\"") else { throw fail("a quoted key must look like [\"name\"] (column \(i + 1))") }
          segments.append(.key(String(inside.dropFirst().dropLast())))
        } else {
          guard let n = Int(inside), n >= 0, inside.allSatisfy(\.isASCII) else {
            throw fail("'[\(inside)]' is not a list index: write a whole number >= 0, e.g. Rules[0] (column \(i + 1))")
          }
          segments.append(.index(n))
        }
        i = close + 1
        expectKey = false
        continue
      }
      if chars[i] == "." {
        guard !expectKey, !segments.isEmpty else { throw fail("empty key at column \(i + 1)") }
        i += 1
        expectKey = true
        guard i < chars.count else { throw fail("the path ends with '.'") }
        continue
      }
      guard expectKey else { throw fail("expected '.' or '[' at column \(i + 1)") }
      var name = ""
      while i < chars.count, chars[i] != ".", chars[i] != "[" {
        if chars[i] == "]" { throw fail("']' at column \(i + 1) has no '['") }
        name.append(chars[i])
        i += 1
      }
      segments.append(.key(name))
      expectKey = false
    }
    return ConfigPath(segments)
  }

  /// Whether `self` is `other` or lies inside it.
  func isInside(_ other: ConfigPath) -> Bool {
    segments.count >= other.segments.count && Array(segments.prefix(other.segments.count)) == other.segments
  }
}

/// Sets values inside an already parsed scenario tree (for `sweep` and `bench`).
///
/// A missing mapping key is created (so `bucket.objectLock.mode=COMPLIANCE` adds the mapping it
/// needs, and `null` counts as an empty mapping); a list is never created, and an index must name
/// an existing item. Everything else the loader checks afterwards, as for a hand-edited file.
public enum ScenarioEdit {
  /// `root` with the value at `path` replaced by (or set to) `value`.
  public static func set(_ value: ConfigNode, at path: ConfigPath, in root: ConfigNode) throws(VaryError) -> ConfigNode {
    try set(value, path: path, from: 0, in: root, origin: value.location)
  }

  /// The node at `path`, if every step of it exists.
  public static func get(_ path: ConfigPath, in root: ConfigNode) -> ConfigNode? {
    var node = root
    for s in path.segments {
      switch s {
      case .key(let k):
        guard let v = node[k] else { return nil }
        node = v
      case .index(let i):
        guard let items = node.items, i < items.count else { return nil }
        node = items[i]
      }
    }
    return node
  }

  private static func set(_ value: ConfigNode, path: ConfigPath, from n: Int, in node: ConfigNode, origin: SourceLocation) throws(VaryError)
    -> ConfigNode
  {
    guard n < path.segments.count else { return value }
    let here = ConfigPath.text(path.segments[..<n])
    let whole = path.description
    func fail(_ message: String) -> VaryError { VaryError(whole, message) }
    let shown = here.isEmpty ? "the scenario" : "'\(here)'"
    switch path.segments[n] {
    case .key(let k):
      switch node.kind {
      case .mapping(var pairs):
        if let i = pairs.firstIndex(where: { $0.key.scalar == k }) {
          pairs[i].value = try set(value, path: path, from: n + 1, in: pairs[i].value, origin: origin)
        } else {
          pairs.append((ConfigNode(.scalar(k, quoted: false), at: origin), try create(value, path: path, from: n + 1, origin: origin)))
        }
        return ConfigNode(.mapping(pairs), at: node.location)
      case .null:
        let child = try create(value, path: path, from: n + 1, origin: origin)
        return ConfigNode(.mapping([(ConfigNode(.scalar(k, quoted: false), at: origin), child)]), at: node.location)
      case .sequence(let items):
        let example = ConfigPath.text(path.segments[..<n]) + "[0]." + ConfigPath.text(path.segments[n...n])
        throw fail("\(shown) is a list of \(items.count) item\(items.count == 1 ? "" : "s"), not a mapping: address an item, e.g. \(example)")
      case .scalar(let s, _):
        throw fail("\(shown) is the value '\(s)', not a mapping, so it has no key '\(k)'")
      }
    case .index(let i):
      switch node.kind {
      case .sequence(var items):
        guard i < items.count else {
          let range = items.isEmpty ? "it is empty" : "it has \(items.count) item\(items.count == 1 ? "" : "s") (indices 0...\(items.count - 1))"
          throw fail("index \(i) is out of range for \(shown): \(range)")
        }
        items[i] = try set(value, path: path, from: n + 1, in: items[i], origin: origin)
        return ConfigNode(.sequence(items), at: node.location)
      case .mapping(let pairs):
        let keys = pairs.compactMap(\.key.scalar).joined(separator: ", ")
        throw fail("\(shown) is a mapping, not a list, so [\(i)] addresses nothing; its keys: \(keys)")
      case .null:
        throw fail("\(shown) is empty, and --vary does not create lists: write the list in the scenario first")
      case .scalar(let s, _):
        throw fail("\(shown) is the value '\(s)', not a list")
      }
    }
  }

  /// The value under keys that do not exist yet: mappings all the way down, never lists.
  private static func create(_ value: ConfigNode, path: ConfigPath, from n: Int, origin: SourceLocation) throws(VaryError) -> ConfigNode {
    guard n < path.segments.count else { return value }
    guard case .key(let k) = path.segments[n] else {
      let missing = ConfigPath.text(path.segments[..<n])
      throw VaryError(path.description, "'\(missing)' does not exist, and --vary does not create lists: write the list in the scenario first")
    }
    return ConfigNode(
      .mapping([(ConfigNode(.scalar(k, quoted: false), at: origin), try create(value, path: path, from: n + 1, origin: origin))]), at: origin)
  }
}

/// One `--vary PATH=V1,V2,...`: a path and the values it takes, in the order given.
///
/// Values are separated by commas (commas inside `{...}`, `[...]` or quotes do not count).
/// `a...b:step` is an inclusive numeric range (`30...90:15` is 30, 45, 60, 75, 90); a value
/// starting with `{`, `[` or a quote is read as YAML (`{ lognormal: { median: 2 MiB, sigma: 1 } }`);
/// `null` or `~` is null; anything else is the text itself, as if written unquoted in the file.
public struct VaryAxis: Sendable {
  public struct Value: Sendable {
    /// As shown in reports (`10 GiB`, `45`).
    public var text: String
    public var node: ConfigNode
  }

  public var path: ConfigPath
  public var values: [Value]

  /// More values than this on one axis is almost surely a mistyped step.
  public static let maxValues = 10_000

  public init(path: ConfigPath, values: [Value]) {
    self.path = path
    self.values = values
  }

  /// The location given to every node `--vary` puts into a tree: the loader's errors about
  /// such a value then name the argument instead of a line of the scenario file.
  public static func location(path: String, value: String) -> SourceLocation {
    SourceLocation(file: "\(varyMarker)\(path)=\(value)", line: 1, column: 1)
  }

  static let varyMarker = "--vary "

  /// Whether a loader error is about a value that came from `--vary` (see `location(path:value:)`).
  public static func isVaryLocation(_ location: SourceLocation?) -> Bool {
    location?.file.hasPrefix(varyMarker) ?? false
  }

  public static func parse(_ argument: String) throws(VaryError) -> VaryAxis {
    guard let eq = argument.firstIndex(of: "=") else {
      throw VaryError(argument, "expected PATH=VALUE[,VALUE...], e.g. bucket.objectLock.days=7,14")
    }
    let pathText = String(argument[..<eq]).trimmingCharacters(in: .whitespaces)
    let path: ConfigPath
    do { path = try ConfigPath.parse(pathText) } catch { throw VaryError(argument, error.message) }
    let canonical = path.description
    var values: [Value] = []
    for piece in try split(String(argument[argument.index(after: eq)...]), argument: argument) {
      if let range = try range(piece, argument: argument) {
        for t in range { values.append(Value(text: t, node: ConfigNode(.scalar(t, quoted: false), at: location(path: canonical, value: t)))) }
      } else {
        values.append(Value(text: piece, node: try node(piece, path: canonical, argument: argument)))
      }
      if values.count > maxValues { throw VaryError(argument, "more than \(maxValues) values on one axis; is the step right?") }
    }
    var seen: Set<String> = []
    for v in values where !seen.insert(v.text).inserted {
      throw VaryError(argument, "the value '\(v.text)' is listed twice (it would run the same variant twice)")
    }
    return VaryAxis(path: path, values: values)
  }

  /// Splits at commas outside brackets, braces and quotes; every piece trimmed and non-empty.
  static func split(_ text: String, argument: String) throws(VaryError) -> [String] {
    var pieces: [String] = []
    var current = ""
    var depth = 0
    var quote: Character?
    for ch in text {
      if let q = quote {
        if ch == q { quote = nil }
      } else if ch == "\"" || ch == "'" {
        if current.trimmingCharacters(in: .whitespaces).isEmpty { quote = ch }
      } else if ch == "{" || ch == "[" {
        depth += 1
      } else if ch == "}" || ch == "]" {
        depth -= 1
      } else if ch == "," && depth == 0 {
        pieces.append(current)
        current = ""
        continue
      }
      current.append(ch)
    }
    pieces.append(current)
    if quote != nil { throw VaryError(argument, "a quote is not closed") }
    if depth != 0 { throw VaryError(argument, "brackets or braces do not match") }
    let trimmed = pieces.map { $0.trimmingCharacters(in: .whitespaces) }
    if trimmed.contains(where: \.isEmpty) {
      throw VaryError(argument, trimmed.count == 1 ? "no value after '='" : "an empty value in the list (two commas in a row, or one at an end?)")
    }
    return trimmed
  }

  /// `a...b:step` as the list of its values; nil when the text is not a range.
  static func range(_ text: String, argument: String) throws(VaryError) -> [String]? {
    guard !text.hasPrefix("{"), !text.hasPrefix("["), !text.hasPrefix("\""), !text.hasPrefix("'"),
      let dots = text.range(of: "...")
    else { return nil }
    let example = "write a range as FROM...TO:STEP, e.g. 30...90:15 (both ends included)"
    let from = text[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)
    let rest = text[dots.upperBound...]
    guard let colon = rest.lastIndex(of: ":") else { throw VaryError(argument, "'\(text)' has no step; \(example)") }
    let to = rest[..<colon].trimmingCharacters(in: .whitespaces)
    let stepText = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    guard let a = number(from), let b = number(to), let step = number(stepText) else {
      throw VaryError(argument, "'\(text)' is not a numeric range; \(example)")
    }
    guard step > 0 else { throw VaryError(argument, "the step of '\(text)' must be greater than 0") }
    guard a <= b else { throw VaryError(argument, "the range '\(text)' runs backwards: \(from) is greater than \(to)") }
    var out: [String] = []
    var v = a
    while v <= b {
      out.append(NSDecimalNumber(decimal: v).description(withLocale: Locale(identifier: "en_US_POSIX")))
      if out.count > maxValues { throw VaryError(argument, "more than \(maxValues) values on one axis; is the step right?") }
      v += step
    }
    return out
  }

  /// An exact decimal: digits with an optional sign and point, never through Double.
  private static func number(_ s: String) -> Decimal? {
    var body = Substring(s)
    if body.first == "-" { body = body.dropFirst() }
    guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), body.filter({ $0 == "." }).count <= 1,
      body.first != ".", body.last != "."
    else { return nil }
    return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
  }

  private static func node(_ text: String, path: String, argument: String) throws(VaryError) -> ConfigNode {
    let loc = location(path: path, value: text)
    if text == "null" || text == "~" { return ConfigNode(.null, at: loc) }
    guard let first = text.first, "{[\"'".contains(first) else { return ConfigNode(.scalar(text, quoted: false), at: loc) }
    do {
      return try ConfigNode.parseYAML(text, file: loc.file)
    } catch {
      throw VaryError(argument, "cannot read the value '\(text)': \(error.message)")
    }
  }
}

/// Several `--vary` axes: their cartesian product, in a fixed order (the first axis changes
/// slowest, as in nested loops written in the order the axes were given).
public struct SweepGrid: Sendable {
  public var axes: [VaryAxis]
  public let count: Int

  /// A grid this large is a mistake, or a job for several sweeps.
  public static let maxVariants = 100_000

  public init(axes: [VaryAxis]) throws(VaryError) {
    for (i, a) in axes.enumerated() {
      for b in axes[..<i] where a.path.isInside(b.path) || b.path.isInside(a.path) {
        let what = a.path == b.path ? "is given twice" : "overlaps --vary \(b.path) (one is inside the other)"
        throw VaryError(a.path.description, "\(what); give each path once")
      }
    }
    var n = 1
    for a in axes {
      let (product, overflow) = n.multipliedReportingOverflow(by: a.values.count)
      guard !overflow, product <= Self.maxVariants else {
        throw VaryError(a.path.description, "the grid would have more than \(Self.maxVariants) variants; split the sweep")
      }
      n = product
    }
    self.axes = axes
    count = n
  }

  /// Each axis's value index for variant `index` (mixed radix, last axis fastest).
  func digits(_ index: Int) -> [Int] {
    var rest = index
    var out = [Int](repeating: 0, count: axes.count)
    for k in axes.indices.reversed() {
      out[k] = rest % axes[k].values.count
      rest /= axes[k].values.count
    }
    return out
  }

  /// The (path, value) pairs of variant `index`, in axis order.
  public func parameters(at index: Int) -> [(path: String, value: String)] {
    zip(axes, digits(index)).map { ($0.path.description, $0.values[$1].text) }
  }

  /// The base tree with variant `index`'s values set.
  public func tree(at index: Int, base: ConfigNode) throws(VaryError) -> ConfigNode {
    var tree = base
    for (axis, d) in zip(axes, digits(index)) { tree = try ScenarioEdit.set(axis.values[d].node, at: axis.path, in: tree) }
    return tree
  }

  /// Identifies the grid and the scenario it varies, so `merge` can refuse shards of different sweeps.
  ///
  /// FNV-1a (64 bits) of the scenario text and every axis. Not a security measure; files
  /// the scenario refers to (lifecycleFile, pricing) are not included.
  public func fingerprint(scenarioText: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ s: String) {
      for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
      }
      // A separator byte that UTF-8 text never contains, so "ab"+"c" and "a"+"bc" differ.
      h ^= 0xff
      h = h &* 0x0000_0100_0000_01b3
    }
    mix("backupsim-sweep-1")
    mix(scenarioText)
    for a in axes {
      mix(a.path.description)
      for v in a.values { mix(v.text) }
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The variants shard `i` of `n` (1-based) runs: those with `index % n == i - 1`.
  public static func shard(_ i: Int, of n: Int, count: Int) -> [Int] {
    guard n > 0, i >= 1, i <= n else { return [] }
    return Array(stride(from: i - 1, to: count, by: n))
  }
}
