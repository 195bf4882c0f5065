import BackupSimModel

/// Reads a `recommend --space` file: the axes to search, and optionally the requirements to meet.
///
/// ```yaml
/// expirationDays: [30, 90, never]
/// noncurrentDays: [7, 30, 90]
/// newerNoncurrentVersions: [none, 7]
/// transitions: { STANDARD_IA: [30], GLACIER: [90, 180] }
/// noncurrentTransitions: { GLACIER_IR: [1] }
/// objectLock: { modes: [COMPLIANCE], days: [0, 7, 30] }
/// bucketPolicy: { denyDestructive: [false, true], conditionalWrites: [false] }
/// uploadStorageClass: [STANDARD]
/// versioning: [Enabled]
/// alternatives: 5
/// requirements: { restorePoints: { every: 1 day, for: 30 days } }
/// ```
///
/// Every mistake is an error at its file:line:column; all are collected.
public enum RecommendSpaceDecoder {
  /// What a space file says: the overrides, and the `requirements` node to put in the scenario (if any).
  public struct Decoded: Sendable {
    public var overrides: RecommendSpaceOverrides
    public var requirements: ConfigNode?
  }

  static let keys = [
    "versioning", "expirationDays", "noncurrentDays", "newerNoncurrentVersions", "transitions", "noncurrentTransitions",
    "objectLock", "bucketPolicy", "uploadStorageClass", "alternatives", "requirements",
  ]

  /// Reads and checks the space file at `path`.
  public static func load(path: String, readFile: (String) throws -> String = UTF8File.read) throws(ScenarioErrors) -> Decoded {
    let text: String
    do { text = try readFile(path) } catch let e as ScenarioError {
      throw ScenarioErrors([e])
    } catch {
      let said = (error as? UnreadableFile)?.said(of: "a space file") ?? "cannot read the space file: \(ScenarioLoader.describe(error))"
      throw ScenarioErrors([ScenarioError(.invalidValue(key: "space"), said, at: SourceLocation(file: path, line: 1, column: 1))])
    }
    let root: ConfigNode
    do { root = try ConfigNode.parseYAML(text, file: path) } catch { throw ScenarioErrors([error]) }
    return try decode(root)
  }

  /// Checks a parsed space document.
  public static func decode(_ root: ConfigNode) throws(ScenarioErrors) -> Decoded {
    var reader = NodeReader()
    var o = RecommendSpaceOverrides()
    var requirements: ConfigNode?
    if root.isNull { return Decoded(overrides: o, requirements: nil) }
    if let map = reader.mapping(root, allowed: keys, what: "the space file") {
      if let n = map["versioning"] {
        o.versioning = nonEmpty(n, "versioning", &reader) { r, item in
          r.choice(item, key: "versioning", [("Enabled", VersioningState.enabled), ("Disabled", .disabled), ("Suspended", .suspended)])
        }
      }
      if let n = map["expirationDays"] {
        o.expirationDays = days(n, key: "expirationDays", absent: "never", range: 1...36_500, &reader)
      }
      if let n = map["noncurrentDays"] {
        o.noncurrentDays = days(n, key: "noncurrentDays", absent: "never", range: 1...36_500, &reader)
      }
      if let n = map["newerNoncurrentVersions"] {
        o.newerNoncurrentVersions = days(n, key: "newerNoncurrentVersions", absent: "none", range: 1...100, &reader)
      }
      if let n = map["transitions"] { o.transitions = transitions(n, key: "transitions", &reader) }
      if let n = map["noncurrentTransitions"] { o.noncurrentTransitions = transitions(n, key: "noncurrentTransitions", &reader) }
      if let n = map["objectLock"], let lock = reader.mapping(n, allowed: ["modes", "days"], what: "objectLock") {
        if let m = lock["modes"] {
          o.lockModes = nonEmpty(m, "objectLock.modes", &reader) { r, item in
            r.choice(item, key: "objectLock.modes", [("COMPLIANCE", ObjectLockMode.compliance), ("GOVERNANCE", .governance)])
          }
        }
        if let d = lock["days"] {
          // S3's longest retention is 100 years (docs/s3-rules.md §4); 36,500 days stays within it.
          o.lockDays = nonEmpty(d, "objectLock.days", &reader) { r, item in r.int(item, key: "objectLock.days", range: 0...36_500) }
        }
      }
      if let n = map["bucketPolicy"], let p = reader.mapping(n, allowed: ["denyDestructive", "conditionalWrites"], what: "bucketPolicy") {
        if let d = p["denyDestructive"] {
          o.denyDestructive = nonEmpty(d, "bucketPolicy.denyDestructive", &reader) { r, item in r.bool(item, key: "bucketPolicy.denyDestructive") }
        }
        if let c = p["conditionalWrites"] {
          o.conditionalWrites = nonEmpty(c, "bucketPolicy.conditionalWrites", &reader) { r, item in
            r.bool(item, key: "bucketPolicy.conditionalWrites")
          }
        }
      }
      if let n = map["uploadStorageClass"] {
        o.uploadStorageClasses = nonEmpty(n, "uploadStorageClass", &reader) { r, item in
          r.choice(item, key: "uploadStorageClass", StorageClass.allCases.filter { $0 != .intelligentTiering }.map { ($0.rawValue, $0) })
        }
      }
      if let n = map["alternatives"] { o.alternatives = reader.int(n, key: "alternatives", range: 0...20) }
      requirements = map["requirements"]
    }
    if !reader.errors.isEmpty { throw ScenarioErrors(reader.errors) }
    return Decoded(overrides: o, requirements: requirements)
  }

  /// A non-empty list (or one value), each item read by `item`; duplicates are an error.
  static func nonEmpty<T: Equatable>(
    _ node: ConfigNode, _ key: String, _ reader: inout NodeReader, _ item: (inout NodeReader, ConfigNode) -> T?
  ) -> [T]? {
    let items = reader.oneOrMany(node)
    if items.isEmpty {
      reader.fail("'\(key)' needs at least one value", at: node, key: key)
      return nil
    }
    var out: [T] = []
    var ok = true
    for i in items {
      guard let v = item(&reader, i) else {
        ok = false
        continue
      }
      if out.contains(v) {
        reader.fail("'\(key)' lists \(NodeReader.show(i)) twice", at: i, key: key)
        ok = false
      }
      out.append(v)
    }
    return ok ? out : nil
  }

  /// Day counts (or counts) with one word for "no such action", sorted ascending with that word last.
  static func days(_ node: ConfigNode, key: String, absent: String, range: ClosedRange<Int>, _ reader: inout NodeReader) -> [Int?]? {
    let values: [Int?]? = nonEmpty(node, key, &reader) { r, item in
      if item.scalar == absent { return .some(nil) }
      guard let s = item.scalar, Int(s) != nil else {
        r.fail("'\(key)' values are whole numbers or \(absent) (got \(NodeReader.show(item)))", at: item, key: key)
        return nil
      }
      return r.int(item, key: key, range: range).map { .some($0) }
    }
    return values?.sorted { a, b in (a ?? Int.max) < (b ?? Int.max) }
  }

  /// `{CLASS: [days...]}`: the days at which a transition to each class is tried.
  static func transitions(_ node: ConfigNode, key: String, _ reader: inout NodeReader) -> [StorageClass: [Int]]? {
    if node.isNull { return [:] }
    let targets = StorageClass.allCases.filter { $0 != .standard && $0 != .intelligentTiering }
    guard let pairs = node.pairs else {
      reader.fail("'\(key)' must be a mapping of storage class to days, e.g. { GLACIER: [90] }", at: node, key: key)
      return nil
    }
    var out: [StorageClass: [Int]] = [:]
    var ok = true
    for (k, v) in pairs {
      guard let cls = reader.choice(k, key: key, targets.map { ($0.rawValue, $0) }) else {
        ok = false
        continue
      }
      let minimum = cls.isInfrequentAccess ? StorageClass.infrequentAccessMinimumDays : 0
      let days: [Int]? = nonEmpty(v, "\(key).\(cls.rawValue)", &reader) { r, item in
        guard let d = r.int(item, key: "\(key).\(cls.rawValue)", range: 0...36_500) else { return nil }
        // The rule PutBucketLifecycleConfiguration enforces (docs/s3-rules.md §2.4).
        if d < minimum {
          r.fail("a transition to \(cls.rawValue) needs at least \(minimum) days (got \(d))", at: item, key: key)
          return nil
        }
        return d
      }
      if let days { out[cls] = days.sorted() } else { ok = false }
    }
    return ok ? out : nil
  }
}

extension RecommendSpaceDecoder {
  /// Bad input, one printable line per problem.
  public struct Problems: Error, Sendable {
    public var lines: [String]
  }

  /// Reads the scenario, with the space file's `requirements` in place of its own, and the space overrides.
  ///
  /// Errors in either file name their file:line:column.
  public static func loadScenario(
    _ path: String, space: String?, allowOutsidePaths: Bool = false
  ) throws(Problems) -> (loaded: ScenarioLoader.Loaded, overrides: RecommendSpaceOverrides) {
    var decoded = Decoded(overrides: RecommendSpaceOverrides(), requirements: nil)
    do {
      if let space { decoded = try load(path: space) }
    } catch {
      throw Problems(lines: error.errors.map(\.description))
    }
    var tree: ConfigNode
    do { tree = try SweepPlan.scenarioTree(path).tree } catch { throw Problems(lines: error.lines) }
    if let r = decoded.requirements {
      do { tree = try ScenarioEdit.set(r, at: ConfigPath([.key("requirements")]), in: tree) } catch {
        throw Problems(lines: ["\(r.location): error: \(error.message)"])
      }
    }
    do {
      return (try ScenarioLoader(allowOutsidePaths: allowOutsidePaths).load(node: tree, file: path), decoded.overrides)
    } catch {
      throw Problems(lines: error.errors.map(\.description))
    }
  }
}
