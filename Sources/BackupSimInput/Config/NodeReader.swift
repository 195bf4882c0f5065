import BackupSimModel

/// Reads typed values out of a `ConfigNode` tree, collecting every problem instead of stopping at the first.
///
/// Decoders take a `NodeReader` `inout`, call its typed accessors, and check `errors` at the end.
/// Unknown keys get a "did you mean" suggestion from the allowed set.
public struct NodeReader: Sendable {
  public var errors: [ScenarioError] = []
  public var warnings: [ScenarioError] = []

  public init() {}

  public mutating func fail(_ code: ScenarioError.Code, _ message: String, at node: ConfigNode) {
    errors.append(ScenarioError(code, message, at: node.location))
  }

  public mutating func fail(_ message: String, at node: ConfigNode, key: String) {
    errors.append(ScenarioError(.invalidValue(key: key), message, at: node.location))
  }

  /// The mapping's entries by key, after rejecting keys not in `allowed`.
  public mutating func mapping(_ node: ConfigNode, allowed: [String], what: String) -> [String: ConfigNode]? {
    guard let pairs = node.pairs else {
      fail(.invalidValue(key: what), "\(what) must be a mapping, not \(node.typeName)", at: node)
      return nil
    }
    var out: [String: ConfigNode] = [:]
    for (k, v) in pairs {
      guard let name = k.scalar else {
        fail(.invalidValue(key: what), "keys in \(what) must be strings", at: k)
        continue
      }
      if allowed.contains(name) {
        out[name] = v
      } else {
        var message = "unknown key '\(name)' in \(what)"
        if let guess = Self.nearest(to: name, in: allowed) { message += "; did you mean '\(guess)'?" }
        fail(.unknownKey(name), message, at: k)
      }
    }
    return out
  }

  public mutating func require(_ map: [String: ConfigNode], _ key: String, in what: String, at node: ConfigNode) -> ConfigNode? {
    if let v = map[key], !v.isNull { return v }
    fail(.missingKey(key), "\(what) needs '\(key)'", at: node)
    return nil
  }

  public mutating func string(_ node: ConfigNode, key: String) -> String? {
    guard let s = node.scalar else {
      fail("'\(key)' must be a string, not \(node.typeName)", at: node, key: key)
      return nil
    }
    return s
  }

  public mutating func int(_ node: ConfigNode, key: String, range: ClosedRange<Int>? = nil) -> Int? {
    guard let s = node.scalar, let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
      fail("'\(key)' must be a whole number (got \(Self.show(node)))", at: node, key: key)
      return nil
    }
    if let range, !range.contains(v) {
      fail("'\(key)' must be between \(range.lowerBound) and \(range.upperBound) (got \(v))", at: node, key: key)
      return nil
    }
    return v
  }

  public mutating func bool(_ node: ConfigNode, key: String) -> Bool? {
    switch node.scalar?.lowercased() {
    case "true": return true
    case "false": return false
    default:
      fail("'\(key)' must be true or false (got \(Self.show(node)))", at: node, key: key)
      return nil
    }
  }

  /// One of a fixed set of spellings, matched exactly (AWS enums are case-sensitive).
  public mutating func choice<T>(_ node: ConfigNode, key: String, _ options: [(String, T)]) -> T? {
    guard let s = node.scalar else {
      fail("'\(key)' must be one of \(options.map(\.0).joined(separator: ", ")), not \(node.typeName)", at: node, key: key)
      return nil
    }
    if let hit = options.first(where: { $0.0 == s }) { return hit.1 }
    var message = "'\(key)' must be one of \(options.map(\.0).joined(separator: ", ")) (got '\(s)')"
    if let guess = Self.nearest(to: s, in: options.map(\.0)) { message += "; did you mean '\(guess)'?" }
    fail(message, at: node, key: key)
    return nil
  }

  /// A list, or a single value read as a one-element list (the AWS "one or many" shape).
  public func oneOrMany(_ node: ConfigNode) -> [ConfigNode] {
    if let items = node.items { return items }
    if node.isNull { return [] }
    return [node]
  }

  public mutating func list(_ node: ConfigNode, key: String) -> [ConfigNode]? {
    if let items = node.items { return items }
    if node.isNull { return [] }
    fail("'\(key)' must be a list, not \(node.typeName)", at: node, key: key)
    return nil
  }

  static func show(_ node: ConfigNode) -> String {
    node.scalar.map { "'\($0)'" } ?? node.typeName
  }

  /// The closest allowed spelling within a small edit distance, for "did you mean".
  ///
  /// Bounded work: a candidate whose length differs by more than the distance allowed cannot be
  /// near, and words longer than `maxSuggestedLength` get no suggestion (an edit distance costs
  /// the product of the two lengths).
  public static func nearest(to word: String, in candidates: [String]) -> String? {
    guard word.utf8.count <= maxSuggestedLength * 4 else { return nil }
    let lower = Array(word.lowercased())
    guard lower.count <= maxSuggestedLength else { return nil }
    var best: (String, Int)?
    for c in candidates where c.utf8.count <= maxSuggestedLength * 4 {
      let count = c.count
      let allowed = max(2, count / 3)
      guard abs(count - lower.count) <= allowed else { continue }
      let d = editDistance(lower, Array(c.lowercased()))
      if d <= allowed, d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
  }

  static let maxSuggestedLength = 100

  /// "Did you mean" for the first `suggestionsLeft` misspellings a scenario makes of its own names:
  /// each search looks at every name (3,000 jobs each naming a missing one would be 9 million
  /// comparisons), and past a few dozen mistakes the hints no longer help.
  public mutating func suggestion(for word: String, in candidates: [String]) -> String? {
    guard suggestionsLeft > 0 else { return nil }
    suggestionsLeft -= 1
    return Self.nearest(to: word, in: candidates)
  }

  public var suggestionsLeft = 50

  static func editDistance(_ a: String, _ b: String) -> Int { editDistance(Array(a), Array(b)) }

  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return prev[b.count]
  }
}
