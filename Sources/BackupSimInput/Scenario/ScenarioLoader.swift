import BackupSimModel
import Foundation

/// Turns a scenario file (YAML or JSON) into a validated `Scenario`, reporting every problem with its location.
public struct ScenarioLoader: Sendable {
  /// Reads a file referenced by the scenario (lifecycle, pricing); paths are relative to the scenario's folder.
  public var readFile: @Sendable (String) throws -> String

  /// Whether referenced files may lie outside the scenario's folder (absolute or `../` paths).
  ///
  /// Off by default: their content can come back in error messages.
  public var allowOutsidePaths: Bool

  public init(readFile: @escaping @Sendable (String) throws -> String = UTF8File.read, allowOutsidePaths: Bool = false) {
    self.readFile = readFile
    self.allowOutsidePaths = allowOutsidePaths
  }

  /// Problems that do not stop the run (printed as warnings).
  public struct Loaded: Sendable {
    public var scenario: Scenario
    public var warnings: [ScenarioError]
  }

  public func load(path: String) throws(ScenarioErrors) -> Loaded {
    let text: String
    do { text = try readFile(path) } catch let e as ScenarioError {
      throw ScenarioErrors([e])
    } catch let e as UnreadableFile where e.wrongKind {
      throw ScenarioErrors([ScenarioError(.io, e.said(of: "a scenario file"), at: SourceLocation(file: path, line: 1, column: 1))])
    } catch {
      throw ScenarioErrors([ScenarioError(.io, "cannot read scenario: \(Self.describe(error))", at: SourceLocation(file: path, line: 1, column: 1))])
    }
    return try load(text: text, file: path)
  }

  public func load(text: String, file: String) throws(ScenarioErrors) -> Loaded {
    let root: ConfigNode
    do { root = try ConfigNode.parseYAML(text, file: file) } catch { throw ScenarioErrors([error]) }
    return try load(node: root, file: file)
  }

  /// Decodes an already parsed scenario tree (for example one that `sweep` has edited).
  public func load(node root: ConfigNode, file: String) throws(ScenarioErrors) -> Loaded {
    var reader = NodeReader()
    let scenario = decodeScenario(root, file: file, reader: &reader)
    if !reader.errors.isEmpty { throw ScenarioErrors(reader.errors) }
    guard let scenario else {
      throw ScenarioErrors([ScenarioError(.syntax, "not a scenario", at: root.location)])
    }
    return Loaded(scenario: scenario, warnings: reader.warnings)
  }

  static func describe(_ error: Error) -> String {
    if let e = error as? UnreadableFile { return e.said(of: "a file") }
    let ns = error as NSError
    if ns.domain == NSCocoaErrorDomain && (ns.code == NSFileReadNoSuchFileError || ns.code == 260) { return "no such file" }
    return ns.localizedDescription
  }

  private static let topKeys = [
    "name", "start", "duration", "seed", "pricing", "bucket", "uploads", "principals", "attack", "requirements", "buckets", "startingState",
  ]

  private func decodeScenario(_ root: ConfigNode, file: String, reader: inout NodeReader) -> Scenario? {
    guard let top = reader.mapping(root, allowed: Self.topKeys, what: "the scenario") else { return nil }
    let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    let name = top["name"].flatMap { reader.string($0, key: "name") } ?? stem
    let inventory = top["startingState"].flatMap { decodeStartingState($0, file: file, reader: &reader) }
    var start = inventory.map { Self.inventoryStart($0) } ?? SimTime(year: 2027, month: 1, day: 1)
    if let s = top["start"] {
      if let t = Self.parseDate(s.scalar ?? "") {
        start = t
        if let inventory { Self.checkStart(t, inventory: inventory, at: s, reader: &reader) }
      } else {
        reader.fail("'start' must be a date like 2027-01-01 (UTC midnight), got \(NodeReader.show(s))", at: s, key: "start")
      }
    }
    var end = start.addingMonths(12)
    if let d = top["duration"] {
      if let e = Self.parseDuration(d.scalar ?? "", from: start) {
        end = e
      } else {
        reader.fail("'duration' must be 'N days', 'N months' or 'N years' with N > 0, got \(NodeReader.show(d))", at: d, key: "duration")
      }
    }
    var seed: UInt64 = 0
    if let s = top["seed"] {
      if let v = s.scalar.flatMap({ UInt64($0) }) {
        seed = v
      } else {
        reader.fail("'seed' must be a non-negative whole number, got \(NodeReader.show(s))", at: s, key: "seed")
      }
    }
    var prices = PriceTable.usEast1
    if let p = top["pricing"], let v = reader.string(p, key: "pricing") {
      if let table = PriceTable.builtIn[v] {
        prices = table
      } else if v.wholeMatch(of: /[a-z]{2}(-gov)?-[a-z]+-[0-9]/) != nil {
        let known = PriceTable.builtIn.keys.sorted().joined(separator: ", ")
        reader.fail("no built-in prices for region '\(v)' (built in: \(known)); give a pricing file instead", at: p, key: "pricing")
      } else {
        let path = resolve(v, relativeTo: file)
        do {
          let node = try readReferenced(path, given: v, from: file, what: "pricing file", keys: ["region", "asOf", "source", "classes"])
          if let table = PricingDecoder.decode(node, reader: &reader) { prices = table }
        } catch let e as ScenarioError {
          reader.errors.append(e)
        } catch {
          reader.fail(.io, "cannot read pricing file '\(v)': \(Self.describe(error))", at: p)
        }
      }
    }
    var bucket = BucketConfig()
    var otherBuckets: [BucketConfig] = []
    if top["buckets"] != nil {
      (bucket, otherBuckets) = decodeBuckets(top, file: file, start: start, reader: &reader, decode: decodeBucket)
    } else if let b = reader.require(top, "bucket", in: "the scenario", at: root) {
      bucket = decodeBucket(b, file: file, start: start, reader: &reader) ?? bucket
      if b["replication"] != nil { ReplicationDecoder.checkBuckets([bucket], nodes: [b], reader: &reader) }
    }
    var jobs: [UploadJob] = []
    var jobNodes: [ConfigNode] = []
    if let u = reader.require(top, "uploads", in: "the scenario", at: root), let items = reader.list(u, key: "uploads") {
      if items.isEmpty { reader.fail("'uploads' needs at least one job", at: u, key: "uploads") }
      var names: Set<String> = []
      var dependencies: [(job: Int, on: String, node: ConfigNode)] = []
      for (i, item) in items.enumerated() {
        guard let job = decodeJob(item, index: i, reader: &reader) else { continue }
        if !names.insert(job.name).inserted { reader.fail("two upload jobs are named '\(job.name)'", at: item, key: "name") }
        if let d = item["dependsOn"], let name = reader.string(d, key: "dependsOn") { dependencies.append((jobs.count, name, d)) }
        jobs.append(job)
        jobNodes.append(item)
      }
      let jobNames = jobs.map(\.name)
      let jobIndex = Dictionary(jobNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      for dep in dependencies {
        guard let target = jobIndex[dep.on] else {
          var msg = "'dependsOn' names no upload job: '\(dep.on)'"
          if let g = reader.suggestion(for: dep.on, in: jobNames) { msg += "; did you mean '\(g)'?" }
          reader.fail(msg, at: dep.node, key: "dependsOn")
          continue
        }
        if target == dep.job { reader.fail("a job cannot depend on itself", at: dep.node, key: "dependsOn"); continue }
        jobs[dep.job].dependsOn = target
      }
      for dep in dependencies {
        // Follow the chain; coming back to the start means a cycle.
        var seen: Set<Int> = [dep.job]
        var cur = jobs[dep.job].dependsOn
        while let c = cur {
          if !seen.insert(c).inserted {
            reader.fail("'dependsOn' makes a cycle through job '\(jobs[c].name)'", at: dep.node, key: "dependsOn")
            break
          }
          cur = jobs[c].dependsOn
        }
      }
    }
    var requirements = Requirements()
    if let r = top["requirements"] { requirements = decodeRequirements(r, reader: &reader) }
    var principals: [Principal] = []
    if let p = top["principals"] { principals = decodePrincipals(p, bucket: bucket.name, file: file, reader: &reader) }
    // Names that refer to jobs or principals, checked once both are known.
    func checkName(_ node: ConfigNode, in names: [String], _ what: String, key: String) {
      guard let name = node.scalar, !names.contains(name) else { return }
      var msg = "\(what): '\(name)'"
      if let g = reader.suggestion(for: name, in: names) { msg += "; did you mean '\(g)'?" }
      reader.fail(msg, at: node, key: key)
    }
    if let list = top["requirements"]?["restorePoints"]?["jobs"] {
      for n in reader.oneOrMany(list) { checkName(n, in: jobs.map(\.name), "restorePoints 'jobs' names no upload job", key: "jobs") }
    }
    for item in top["uploads"]?.items ?? [] {
      if let n = item["principal"] { checkName(n, in: principals.map(\.name), "'principal' names no principal in 'principals'", key: "principal") }
    }
    var attack: AttackPlan?
    if let a = top["attack"] {
      attack = decodeAttack(a, principals: principals, start: start, end: end, requirements: requirements, reader: &reader)
    }
    if let n = top["requirements"]?["survivesAttack"], attack == nil {
      reader.fail(.missingKey("attack"), "requirement 'survivesAttack' needs an 'attack' section (who attacks, and when)", at: n)
    }
    if end <= start { return nil }
    var startingState: StartingState?
    if let inventory, reader.errors.isEmpty {
      startingState = Self.startingState(inventory, jobs: &jobs, bucket: bucket, requirements: &requirements, reader: &reader)
    }
    if reader.errors.isEmpty {
      Self.checkStoredBytesFit(jobs: jobs, nodes: jobNodes, attack: attack, start: start, end: end, reader: &reader)
      Self.checkKeyLengths(jobs: jobs, nodes: jobNodes, start: start, end: end, reader: &reader)
      Self.checkDrawnSizesFit(jobs: jobs, nodes: jobNodes, start: start, end: end, reader: &reader)
    }
    Self.pricesForRegion(&prices, bucket: bucket, pricing: top["pricing"], reader: &reader)
    let pricesByBucket = Self.pricesForOtherBuckets(otherBuckets, prices: &prices, pricing: top["pricing"], reader: &reader)
    Self.checkTieringPrefixes(top["bucket"], jobs: jobs, start: start, reader: &reader)
    var scenario = Scenario(
      name: name, start: start, end: end, seed: seed, prices: prices, bucket: bucket, uploads: jobs, requirements: requirements,
      principals: principals, attack: attack, otherBuckets: otherBuckets)
    scenario.pricesByBucket = pricesByBucket
    scenario.startingState = startingState
    return scenario
  }

  /// Reads a file the scenario names (`given` as written, `full` resolved against the scenario's folder),
  /// refusing one outside that folder unless allowed, and one whose top level has none of `keys`:
  /// decoding such a file (a password file, say) would echo its lines as "unknown key" errors.
  private func readReferenced(
    _ full: String, given: String, from file: String, what: String, keys: [String], xml: Bool = false
  ) throws -> ConfigNode {
    if !allowOutsidePaths && (Self.leavesFolder(given) || Self.linksOutside(full, folder: (file as NSString).deletingLastPathComponent)) {
      throw UnreadableFile(problem: "it is outside the scenario's folder (pass --allow-outside-paths to read it)")
    }
    let text = try readFile(full)
    let doc =
      xml && text.drop { $0.isWhitespace }.hasPrefix("<") ? try XMLConfigParser.parse(text, file: full) : try ConfigNode.parse(text, file: full)
    guard let pairs = doc.pairs, pairs.contains(where: { keys.contains($0.key.scalar ?? "") }) else {
      let expected = keys.map { "'\($0)'" }.joined(separator: ", ")
      throw ScenarioError(.syntax, "not a \(what) (expected a mapping with one of \(expected)); its content is not shown", at: doc.location)
    }
    return doc
  }

  /// An absolute path, or a relative one whose `..` parts climb above the folder it starts in.
  static func leavesFolder(_ path: String) -> Bool {
    if path.hasPrefix("/") || path.hasPrefix("~") { return true }
    var depth = 0
    for part in path.split(separator: "/") {
      if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
      if depth < 0 { return true }
    }
    return false
  }

  /// A path in the folder that is, or passes through, a symbolic link to somewhere outside it.
  static func linksOutside(_ path: String, folder: String) -> Bool {
    func real(_ p: String) -> String? {
      guard let r = realpath(p, nil) else { return nil }
      defer { free(r) }
      return String(cString: r)
    }
    guard let target = real(path), let base = real(folder.isEmpty ? "." : folder) else { return false }
    return !target.hasPrefix(base == "/" ? "/" : base + "/")
  }

  private func resolve(_ path: String, relativeTo file: String) -> String {
    if path.hasPrefix("/") { return path }
    let dir = (file as NSString).deletingLastPathComponent
    return dir.isEmpty ? path : (dir as NSString).appendingPathComponent(path)
  }

  // MARK: Bucket

  private func decodeBucket(_ node: ConfigNode, file: String, start: SimTime, reader: inout NodeReader) -> BucketConfig? {
    let allowed = [
      "name", "versioning", "versioningChanges", "objectLock", "lifecycle", "lifecycleFile", "policy", "region", "account", "replication",
      "intelligentTiering",
    ]
    guard let m = reader.mapping(node, allowed: allowed, what: "bucket") else { return nil }
    // Left out, versioning is S3's default for a new bucket: never enabled (docs/s3-rules.md §1.1).
    var b = BucketConfig(versioning: .disabled)
    if let n = m["name"], let v = reader.string(n, key: "name") {
      if Self.isBucketName(v) {
        b.name = v
      } else {
        reader.fail("bucket name '\(v)' is not a valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)", at: n, key: "name")
      }
    }
    if let n = m["intelligentTiering"] { b.intelligentTiering = IntelligentTieringDecoder.decode(n, reader: &reader) }
    let states: [(String, VersioningState)] = [("Enabled", .enabled), ("Suspended", .suspended), ("Disabled", .disabled)]
    if let v = m["versioning"], let s = reader.choice(v, key: "versioning", states) { b.versioning = s }
    if let vc = m["versioningChanges"], let items = reader.list(vc, key: "versioningChanges") {
      // A Suspended start is allowed: the bucket was versioned before the run, so it cannot go back to Disabled either.
      var state = b.versioning
      var last = start
      for item in items {
        guard let c = reader.mapping(item, allowed: ["at", "status"], what: "a versioning change") else { continue }
        guard let atNode = reader.require(c, "at", in: "a versioning change", at: item),
          let stNode = reader.require(c, "status", in: "a versioning change", at: item)
        else { continue }
        guard let at = Self.parseDateTime(atNode.scalar ?? "") else {
          reader.fail(
            "'at' must be a UTC date or date-time like 2027-09-01 or 2027-09-01T12:00, got \(NodeReader.show(atNode))", at: atNode, key: "at")
          continue
        }
        guard let st = reader.choice(stNode, key: "status", states) else { continue }
        if at < last { reader.fail("versioning changes must be in time order", at: atNode, key: "at") }
        if st == .disabled && state != .disabled {
          reader.fail("versioning cannot return to Disabled once enabled; use Suspended", at: stNode, key: "status")
        }
        if st == .suspended && state == .disabled {
          reader.fail("a never-versioned bucket cannot be Suspended; enable versioning first", at: stNode, key: "status")
        }
        last = at
        state = st
        b.versioningChanges.append((at, st))
      }
    }
    if let ol = m["objectLock"] {
      if let lm = reader.mapping(ol, allowed: ["mode", "days", "years"], what: "objectLock") {
        let mode = lm["mode"].flatMap { reader.choice($0, key: "mode", [("COMPLIANCE", ObjectLockMode.compliance), ("GOVERNANCE", .governance)]) }
        if lm["mode"] == nil { reader.fail(.missingKey("mode"), "objectLock needs 'mode' (COMPLIANCE or GOVERNANCE)", at: ol) }
        var days: Int?
        if let d = lm["days"] { days = reader.int(d, key: "days", range: 1...36_500) }
        if let y = lm["years"] {
          if lm["days"] != nil { reader.fail("objectLock takes 'days' or 'years', not both", at: y, key: "years") }
          days = reader.int(y, key: "years", range: 1...100).map { $0 * 365 }
        }
        if lm["days"] == nil && lm["years"] == nil { reader.fail(.missingKey("days"), "objectLock needs 'days' or 'years'", at: ol) }
        if let mode, let days { b.objectLock = ObjectLockDefault(mode: mode, days: days) }
        if b.versioning != .enabled {
          reader.fail("Object Lock requires versioning Enabled (got \(b.versioning.rawValue))", at: ol, key: "objectLock")
        }
        if let bad = b.versioningChanges.first(where: { $0.status != .enabled }) {
          reader.fail("a bucket with Object Lock cannot have versioning \(bad.status.rawValue)", at: ol, key: "objectLock")
        }
      }
    }
    if m["lifecycle"] != nil && m["lifecycleFile"] != nil {
      reader.fail("give either 'lifecycle' or 'lifecycleFile', not both", at: m["lifecycleFile"] ?? node, key: "lifecycleFile")
    }
    if let l = m["lifecycle"], !l.isNull {
      b.lifecycle = LifecycleDecoder.decode(l, reader: &reader) ?? b.lifecycle
    }
    if let lf = m["lifecycleFile"], let path = reader.string(lf, key: "lifecycleFile") {
      let full = resolve(path, relativeTo: file)
      do {
        let doc = try readReferenced(
          full, given: path, from: file, what: "lifecycle configuration",
          keys: ["Rules", "LifecycleConfiguration", "TransitionDefaultMinimumObjectSize"], xml: true)
        b.lifecycle = LifecycleDecoder.decode(doc, reader: &reader) ?? b.lifecycle
      } catch let e as ScenarioError {
        reader.errors.append(e)
      } catch {
        reader.fail(.io, "cannot read lifecycle file '\(path)': \(Self.describe(error))", at: lf)
      }
    }
    if let p = m["policy"] {
      b.policy = decodePolicy(p, kind: .bucket, file: file, reader: &reader)
    }
    decodePlacement(m, into: &b, reader: &reader)
    return b
  }

  static func isBucketName(_ s: String) -> Bool {
    (3...63).contains(s.count) && s.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "." || $0 == "-" }
      && s.first.map { $0.isLetter || $0.isNumber } == true
  }

  // MARK: Upload jobs

  private static let jobKeys = ["name", "key", "schedule", "objects", "size", "growth", "storageClass", "tags", "dependsOn", "principal"]

  private func decodeJob(_ node: ConfigNode, index: Int, reader: inout NodeReader) -> UploadJob? {
    guard let m = reader.mapping(node, allowed: Self.jobKeys, what: "an upload job") else { return nil }
    let errorsBefore = reader.errors.count
    let name = m["name"].flatMap { reader.string($0, key: "name") } ?? "job\(index + 1)"
    var key: KeyTemplate?
    if let k = reader.require(m, "key", in: "upload job '\(name)'", at: node), let text = reader.string(k, key: "key") {
      switch Self.parseKeyTemplate(text) {
      case .success(let t): key = t
      case .failure(let e): reader.fail(e.message, at: k, key: "key")
      }
    }
    var schedule: Schedule?
    if let s = reader.require(m, "schedule", in: "upload job '\(name)'", at: node), let text = reader.string(s, key: "schedule") {
      switch Schedule.parse(text) {
      case .success(let v): schedule = v
      case .failure(let e): reader.fail(e.message, at: s, key: "schedule")
      }
      if let skip = schedule?.monthsSkipped, let schedule {
        reader.warnings.append(
          ScenarioError(.invalidValue(key: "schedule"), Self.skippedMonths(text, skip, of: schedule.monthsNamed), at: s.location))
      }
    }
    var objects = 1
    if let o = m["objects"] { objects = reader.int(o, key: "objects", range: 1...100_000_000) ?? 1 }
    if objects > 1, let key, !key.hasIndex {
      reader.fail("upload job '\(name)' writes \(objects) objects per run, so its key needs {i} to tell them apart", at: m["key"] ?? node, key: "key")
    }
    var size: SizeSpec?
    if let s = reader.require(m, "size", in: "upload job '\(name)'", at: node) { size = Self.decodeSize(s, reader: &reader) }
    var growth = 0.0
    if let g = m["growth"] {
      if let v = g.scalar.flatMap(Self.parseGrowth) {
        growth = v
      } else {
        reader.fail("'growth' must look like '2% per month' or '10% per year', got \(NodeReader.show(g))", at: g, key: "growth")
      }
    }
    var storageClass = StorageClass.standard
    if let c = m["storageClass"] {
      let options = StorageClass.allCases.map { ($0.rawValue, $0) }
      if let v = reader.choice(c, key: "storageClass", options) { storageClass = v }
    }
    var tags: [ObjectTag] = []
    if let t = m["tags"] { tags = Self.decodeTags(t, reader: &reader) }
    let principal = m["principal"].flatMap { reader.string($0, key: "principal") }
    guard reader.errors.count == errorsBefore, let key, let schedule, let size else { return nil }
    var job = UploadJob(
      name: name, key: key, schedule: schedule, objects: objects, size: size, growthPerMonth: growth, storageClass: storageClass, tags: tags)
    job.principal = principal
    return job
  }

  private static func decodeTags(_ node: ConfigNode, reader: inout NodeReader) -> [ObjectTag] {
    var out: [ObjectTag] = []
    if let pairs = node.pairs {
      for (k, v) in pairs {
        guard let key = k.scalar else {
          reader.fail("tag keys must be strings, not \(k.typeName)", at: k, key: "tags")
          continue
        }
        guard let value = tagValue(v, key: key, reader: &reader) else { continue }
        out.append(ObjectTag(key: key, value: value))
      }
    } else if let items = node.items {
      for item in items {
        guard let m = reader.mapping(item, allowed: ["Key", "Value"], what: "a tag") else { continue }
        guard let kn = m["Key"], !kn.isNull else { reader.fail(.missingKey("Key"), "a tag needs 'Key'", at: item); continue }
        guard let k = reader.string(kn, key: "Key") else { continue }
        guard let value = m["Value"].map({ tagValue($0, key: k, reader: &reader) }) ?? "" else { continue }
        out.append(ObjectTag(key: k, value: value))
      }
    } else {
      reader.fail("'tags' must be a mapping of tag keys to values", at: node, key: "tags")
    }
    if out.count > 10 { reader.fail("S3 allows at most 10 tags per object (got \(out.count))", at: node, key: "tags") }
    return out
  }

  /// A tag's value: a string, or empty when null.
  private static func tagValue(_ node: ConfigNode, key: String, reader: inout NodeReader) -> String? {
    if node.isNull { return "" }
    guard let s = node.scalar else {
      reader.fail("tag '\(key)' must have a string value, not \(node.typeName)", at: node, key: "tags")
      return nil
    }
    return s
  }

  private static func decodeSize(_ node: ConfigNode, reader: inout NodeReader) -> SizeSpec? {
    if let text = node.scalar {
      if let message = Self.unitMissing(text, key: "size") {
        reader.fail(message, at: node, key: "size")
        return nil
      }
      guard let v = parseBytes(text) else {
        reader.fail("'size' must be a size like '20 GiB', '512 KB' or '4096 B', got '\(text)'", at: node, key: "size")
        return nil
      }
      return .fixed(v)
    }
    if node.items != nil {
      reader.fail("'size' must be a size like '20 GiB' or { lognormal: { median: 20 GiB, sigma: 0.3 } }, not a list", at: node, key: "size")
      return nil
    }
    guard let m = reader.mapping(node, allowed: ["lognormal"], what: "size"), let ln = m["lognormal"] else {
      if node.pairs != nil { reader.fail(.missingKey("lognormal"), "'size' needs a byte size or { lognormal: { median, sigma } }", at: node) }
      return nil
    }
    guard let p = reader.mapping(ln, allowed: ["median", "sigma"], what: "lognormal") else { return nil }
    guard let mn = reader.require(p, "median", in: "lognormal", at: ln), let sn = reader.require(p, "sigma", in: "lognormal", at: ln) else {
      return nil
    }
    if let message = mn.scalar.flatMap({ Self.unitMissing($0, key: "median") }) {
      reader.fail(message, at: mn, key: "median")
      return nil
    }
    guard let median = mn.scalar.flatMap(parseBytes), median > 0 else {
      reader.fail("'median' must be a positive size like '20 GiB'", at: mn, key: "median")
      return nil
    }
    guard let sigma = sn.scalar.flatMap({ Double($0) }), sigma >= 0, sigma <= 5 else {
      reader.fail("'sigma' must be a number between 0 and 5", at: sn, key: "sigma")
      return nil
    }
    return .lognormal(median: median, sigma: sigma)
  }

  /// "'monthly on 31' makes no backup in Feb, Apr, Jun, Sep, Nov (no day 31 in them): 7 months a year, not 12; ...".
  static func skippedMonths(_ text: String, _ skip: (months: [Int], day: Int), of named: Int) -> String {
    let names = skip.months.map(Schedule.monthAbbreviation).joined(separator: ", ")
    let them = skip.months.count == 1 ? "it" : "them"
    let leap = skip.months == [2] && skip.day == 29 ? " except in leap years" : ""
    let runs = named - skip.months.count
    return "'\(text)' makes no backup in \(names) (no day \(skip.day) in \(them)\(leap)): it runs in \(runs) month\(runs == 1 ? "" : "s") a year, "
      + "not \(named), as cron does; use day 28 or earlier to run every month"
  }

  /// The message for a size written as a bare number: `size: 20` reads as 20 bytes to a machine and
  /// as 20 GiB to most people, so a unit is required (`20 B` for bytes).
  static func unitMissing(_ text: String, key: String) -> String? {
    let t = trimmedSpaces(text[...])
    let isNumber = t.utf8.allSatisfy { $0 < 0x80 } ? t.utf8.allSatisfy(isSizeNumberByte) : t.allSatisfy { $0.isNumber || $0 == "." || $0 == "_" }
    guard !t.isEmpty, isNumber else { return nil }
    return "'\(key)' needs a unit: \(t) B? \(t) GiB? (B, KiB, MiB, GiB, TiB; KB = KiB = 1,024 bytes)"
  }

  /// "20 GiB", "10 KB", "1.5 TB", "4096 B": binary units (KB = KiB = 1,024 bytes, as AWS bills).
  ///
  /// On the UTF-8 bytes: Foundation's trimming and a dictionary built per call took 30,000
  /// instructions a size, most of the loading of a scenario with thousands of jobs.
  static func parseBytes(_ text: String) -> Int64? {
    let t = trimmedSpaces(text[...])
    // Digits are ASCII: any other numeric character leaves a number or a unit that does not parse.
    let numberEnd = t.utf8.firstIndex { !isSizeNumberByte($0) } ?? t.utf8.endIndex
    let number = String(decoding: t.utf8[..<numberEnd].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    guard let mult = byteUnits[String(trimmedSpaces(t[numberEnd...]))] else { return nil }
    if let whole = Int64(number) {
      let (v, overflow) = whole.multipliedReportingOverflow(by: mult)
      return overflow || v > StorageClass.maxObjectSize ? nil : v
    }
    guard let d = Double(number), d >= 0 else { return nil }
    let v = (d * Double(mult)).rounded()
    return v <= Double(StorageClass.maxObjectSize) ? Int64(v) : nil
  }

  private static let byteUnits: [String: Int64] = [
    "B": 1, "bytes": 1, "KB": 1 << 10, "KiB": 1 << 10, "MB": 1 << 20, "MiB": 1 << 20, "GB": 1 << 30, "GiB": 1 << 30, "TB": 1 << 40,
    "TiB": 1 << 40,
  ]

  private static func isSizeNumberByte(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
  }

  /// `s` without leading and trailing whitespace (`CharacterSet.whitespaces`: spaces, tabs and
  /// the other Unicode space separators); ASCII ends are trimmed without Foundation.
  static func trimmedSpaces(_ s: Substring) -> Substring {
    let utf8 = s.utf8
    let isBlank = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
    let start = utf8.firstIndex { !isBlank($0) } ?? utf8.endIndex
    let end = utf8[start...].lastIndex { !isBlank($0) }.map { utf8.index(after: $0) } ?? start
    let t = s[start..<end]
    guard let first = t.utf8.first, let last = t.utf8.last, first >= 0x80 || last >= 0x80 else { return t }
    return Substring(t.trimmingCharacters(in: .whitespaces))
  }

  /// "2% per month" → 0.02; "10% per year" → the monthly rate that compounds to 10% a year.
  static func parseGrowth(_ text: String) -> Double? {
    let parts = text.split(separator: " ").map(String.init)
    guard parts.count == 3, parts[1] == "per", parts[0].hasSuffix("%"), let pct = Double(parts[0].dropLast()), pct.isFinite, pct > -100
    else { return nil }
    switch parts[2] {
    case "month": return pct / 100
    case "year": return _pow(1 + pct / 100, 1.0 / 12) - 1
    default: return nil
    }
  }

  static func parseKeyTemplate(_ text: String) -> Result<KeyTemplate, ScheduleParseError> {
    guard !text.isEmpty else { return .failure(ScheduleParseError(message: "'key' must not be empty")) }
    guard text.utf8.count <= 1024 else { return .failure(ScheduleParseError(message: "S3 keys are at most 1,024 bytes")) }
    var parts: [KeyTemplate.Part] = []
    var literal = ""
    var rest = Substring(text)
    // Braces are found as bytes: walking the key Character by Character cost thousands of instructions.
    while let open = rest.utf8.firstIndex(of: UInt8(ascii: "{")) {
      literal += rest[..<open]
      guard let close = rest[open...].utf8.firstIndex(of: UInt8(ascii: "}")) else {
        return .failure(ScheduleParseError(message: "unclosed '{' in key '\(text)'"))
      }
      let name = String(rest[rest.index(after: open)..<close])
      let part: KeyTemplate.Part
      switch name {
      case "date": part = .date
      case "datetime": part = .datetime
      case "run": part = .run
      case "i": part = .index
      default:
        var msg = "unknown placeholder '{\(name)}' in key; use {date}, {datetime}, {run} or {i}"
        if let g = NodeReader.nearest(to: name, in: ["date", "datetime", "run", "i"]) { msg += "; did you mean '{\(g)}'?" }
        return .failure(ScheduleParseError(message: msg))
      }
      if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
      parts.append(part)
      rest = rest[rest.index(after: close)...]
    }
    literal += rest
    if literal.utf8.contains(UInt8(ascii: "}")) { return .failure(ScheduleParseError(message: "unmatched '}' in key '\(text)'")) }
    if !literal.isEmpty { parts.append(.literal(literal)) }
    return .success(KeyTemplate(parts: parts))
  }

  // MARK: Principals and attack

  /// A policy given inline (the AWS JSON shape) or as a path to a JSON file.
  private func decodePolicy(_ node: ConfigNode, kind: PolicyDocument.Kind, file: String, reader: inout NodeReader) -> PolicyDocument? {
    if let path = node.scalar {
      let full = resolve(path, relativeTo: file)
      do {
        let doc = try readReferenced(
          full, given: path, from: file, what: "policy document", keys: ["Statement", "PolicyDocument", "PolicyVersion", "Policy"])
        return PolicyDocument.decode(doc, kind: kind, reader: &reader)
      } catch let e as ScenarioError {
        reader.errors.append(e)
      } catch {
        reader.fail(.io, "cannot read policy file '\(path)': \(Self.describe(error))", at: node)
      }
      return nil
    }
    return PolicyDocument.decode(node, kind: kind, reader: &reader)
  }

  private func decodePrincipals(_ node: ConfigNode, bucket: String, file: String, reader: inout NodeReader) -> [Principal] {
    guard let pairs = node.pairs else {
      reader.fail("'principals' must map principal names to their policies", at: node, key: "principals")
      return []
    }
    var out: [Principal] = []
    for (k, v) in pairs {
      guard let name = k.scalar else { continue }
      guard let m = reader.mapping(v, allowed: ["arn", "policy", "policyFile", "policies", "sourceIp"], what: "principal '\(name)'") else { continue }
      var policies: [PolicyDocument] = []
      if let p = m["policy"], let doc = decodePolicy(p, kind: .identity, file: file, reader: &reader) { policies.append(doc) }
      if let p = m["policyFile"], let doc = decodePolicy(p, kind: .identity, file: file, reader: &reader) { policies.append(doc) }
      if let list = m["policies"], let items = reader.list(list, key: "policies") {
        for item in items { if let doc = decodePolicy(item, kind: .identity, file: file, reader: &reader) { policies.append(doc) } }
      }
      if m["policy"] == nil && m["policyFile"] == nil && m["policies"] == nil {
        reader.fail(.missingKey("policy"), "principal '\(name)' needs 'policy' (inline IAM JSON) or 'policyFile'", at: v)
      }
      var arn = "arn:aws:iam::111122223333:user/\(name)"
      if let a = m["arn"], let text = reader.string(a, key: "arn") {
        if text.hasPrefix("arn:") && text.split(separator: ":", omittingEmptySubsequences: false).count >= 6 {
          arn = text
        } else {
          reader.fail("'arn' must be an IAM ARN like arn:aws:iam::111122223333:user/backup", at: a, key: "arn")
        }
      }
      var ip = "203.0.113.10"
      if let s = m["sourceIp"], let text = reader.string(s, key: "sourceIp") {
        let parts = text.split(separator: ".")
        if parts.count == 4 && parts.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) {
          ip = text
        } else {
          reader.fail("'sourceIp' must be an IPv4 address like 203.0.113.10", at: s, key: "sourceIp")
        }
      }
      out.append(Principal(name: name, arn: arn, identityPolicies: policies, sourceIp: ip))
    }
    return out
  }

  private func decodeAttack(
    _ node: ConfigNode, principals: [Principal], start: SimTime, end: SimTime, requirements: Requirements, reader: inout NodeReader
  ) -> AttackPlan? {
    guard let m = reader.mapping(node, allowed: ["principal", "at", "strategies", "bandwidth", "detectedWithin"], what: "attack") else { return nil }
    guard let pn = reader.require(m, "principal", in: "attack", at: node), let name = reader.string(pn, key: "principal") else { return nil }
    if !principals.contains(where: { $0.name == name }) {
      var msg = "attack principal '\(name)' is not one of 'principals'"
      if let g = NodeReader.nearest(to: name, in: principals.map(\.name)) { msg += "; did you mean '\(g)'?" }
      reader.fail(msg, at: pn, key: "principal")
    }
    guard let an = reader.require(m, "at", in: "attack", at: node) else { return nil }
    guard let at = an.scalar.flatMap(Self.parseDateTime) else {
      reader.fail("'at' must be a UTC date-time like 2027-06-15T03:00, got \(NodeReader.show(an))", at: an, key: "at")
      return nil
    }
    if at <= start || at >= end {
      reader.fail("the attack at \(at.iso8601) must fall inside the horizon (\(start.iso8601) to \(end.iso8601))", at: an, key: "at")
    }
    var plan = AttackPlan(principal: name, at: at)
    if let d = requirements.survivesAttackDetectedWithinSeconds { plan.detectedWithinSeconds = d }
    if let s = m["strategies"] {
      if s.scalar == "auto" {
        plan.auto = true
      } else {
        plan.auto = false
        var list: [AttackStrategy] = []
        for item in reader.oneOrMany(s) {
          if let v = reader.choice(item, key: "strategies", AttackStrategy.allCases.map { ($0.rawValue, $0) }) {
            if !list.contains(v) { list.append(v) }
          }
        }
        if list.isEmpty { reader.fail("'strategies' must be 'auto' or a list of strategies", at: s, key: "strategies") }
        plan.strategies = list.sorted()
      }
    }
    if let b = m["bandwidth"] {
      if let v = b.scalar.flatMap(Self.parseBandwidth) {
        plan.bandwidthBytesPerSecond = v
      } else {
        reader.fail("'bandwidth' must look like '1 Gbit/s', '500 Mbit/s' or '100 MB/s', got \(NodeReader.show(b))", at: b, key: "bandwidth")
      }
    }
    if let d = m["detectedWithin"] {
      if let v = d.scalar.flatMap(Self.parsePeriod) {
        plan.detectedWithinSeconds = v
      } else {
        reader.fail("'detectedWithin' must be a period like '7 days', got \(NodeReader.show(d))", at: d, key: "detectedWithin")
      }
    }
    return plan
  }

  /// "1 Gbit/s" → 125,000,000 bytes per second; "100 MB/s" → 104,857,600 (MB = MiB, as for sizes).
  static func parseBandwidth(_ text: String) -> Int64? {
    let p = text.split(separator: " ")
    guard p.count == 2, let n = Double(p[0]), n > 0, n <= 1_000_000 else { return nil }
    let bits: [String: Double] = ["bit/s": 1.0 / 8, "kbit/s": 1e3 / 8, "Mbit/s": 1e6 / 8, "Gbit/s": 1e9 / 8]
    let bytes: [String: Double] = ["B/s": 1, "KB/s": 1024, "MB/s": 1_048_576, "GB/s": 1_073_741_824]
    guard let mult = bits[String(p[1])] ?? bytes[String(p[1])] else { return nil }
    return Int64((n * mult).rounded())
  }

  // MARK: Requirements

  private func decodeRequirements(_ node: ConfigNode, reader: inout NodeReader) -> Requirements {
    var r = Requirements()
    guard let m = reader.mapping(node, allowed: ["restorePoints", "maxMonthlyCost", "maxRestoreHours", "survivesAttack"], what: "requirements") else {
      return r
    }
    if let rp = m["restorePoints"], let p = reader.mapping(rp, allowed: ["every", "for", "jobs"], what: "restorePoints") {
      let every = reader.require(p, "every", in: "restorePoints", at: rp).flatMap { n -> Int64? in
        guard let v = n.scalar.flatMap(Self.parsePeriod) else {
          reader.fail("'every' must be a period like '1 day', '12 hours' or '1 week', got \(NodeReader.show(n))", at: n, key: "every")
          return nil
        }
        return v
      }
      let window = reader.require(p, "for", in: "restorePoints", at: rp).flatMap { n -> Int64? in
        guard let v = n.scalar.flatMap(Self.parsePeriod) else {
          reader.fail("'for' must be a period like '30 days', got \(NodeReader.show(n))", at: n, key: "for")
          return nil
        }
        return v
      }
      if let every, let window {
        if every > window {
          reader.fail("'every' (\(every / 3600) h) cannot be longer than 'for' (\(window / 3600) h)", at: rp, key: "restorePoints")
        }
        // Job names are checked against the uploads once both are read.
        let jobs = p["jobs"].map { reader.oneOrMany($0).compactMap { reader.string($0, key: "jobs") } }
        r.restorePoints = .init(everySeconds: every, forSeconds: window, jobs: jobs)
      }
    }
    if let h = m["maxRestoreHours"] {
      if let v = h.scalar.flatMap({ Money(exactly: $0) }), v.amount > 0 {
        r.maxRestoreHours = v.amount
      } else {
        reader.fail("'maxRestoreHours' must be a positive number of hours, got \(NodeReader.show(h))", at: h, key: "maxRestoreHours")
      }
    }
    if let c = m["maxMonthlyCost"] {
      let text = (c.scalar ?? "").replacingOccurrences(of: "USD", with: "").replacingOccurrences(of: "$", with: "").replacingOccurrences(
        of: ",", with: "")
      if let v = Money(exactly: text), v > .zero {
        r.maxMonthlyCost = v
      } else {
        reader.fail("'maxMonthlyCost' must be an amount like '500 USD', got \(NodeReader.show(c))", at: c, key: "maxMonthlyCost")
      }
    }
    if let sa = m["survivesAttack"], let sm = reader.mapping(sa, allowed: ["detectedWithin"], what: "survivesAttack") {
      if let d = reader.require(sm, "detectedWithin", in: "survivesAttack", at: sa) {
        if let v = d.scalar.flatMap(Self.parsePeriod) {
          r.survivesAttackDetectedWithinSeconds = v
        } else {
          reader.fail("'detectedWithin' must be a period like '7 days' or '12 hours', got \(NodeReader.show(d))", at: d, key: "detectedWithin")
        }
      }
    }
    return r
  }

  /// "1 day", "12 hours", "2 weeks", "30 days" → seconds.
  static func parsePeriod(_ text: String) -> Int64? {
    let p = text.split(separator: " ")
    guard p.count == 2, let n = Int64(p[0]), n > 0, n <= 1_000_000 else { return nil }
    switch p[1] {
    case "hour", "hours": return n * 3600
    case "day", "days": return n * SimTime.secondsPerDay
    case "week", "weeks": return n * 7 * SimTime.secondsPerDay
    default: return nil
    }
  }

  // MARK: Dates

  /// "2027-01-01" (midnight UTC).
  public static func parseDate(_ text: String) -> SimTime? {
    let p = text.split(separator: "-", omittingEmptySubsequences: false)
    guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
      let y = Int(p[0]), let mo = Int(p[1]), let d = Int(p[2])
    else { return nil }
    let date = CivilDate(year: y, month: mo, day: d)
    return date.isValid ? date.midnight : nil
  }

  /// "2027-06-15", "2027-06-15T03:00", "2027-06-15T03:00:00Z" or with "+00:00": always UTC.
  public static func parseDateTime(_ text: String) -> SimTime? {
    var t = text.trimmingCharacters(in: .whitespaces)
    guard t.count >= 10 else { return nil }
    guard let day = parseDate(String(t.prefix(10))) else { return nil }
    t = String(t.dropFirst(10))
    if t.isEmpty { return day }
    guard t.first == "T" || t.first == " " else { return nil }
    t = String(t.dropFirst())
    for suffix in ["Z", "+00:00", "+0000"] where t.hasSuffix(suffix) { t = String(t.dropLast(suffix.count)) }
    if let dot = t.firstIndex(of: ".") {
      guard t[t.index(after: dot)...].allSatisfy(\.isNumber) else { return nil }
      t = String(t[..<dot])
    }
    let f = t.split(separator: ":").map { Int($0) }
    guard (2...3).contains(f.count), f.allSatisfy({ $0 != nil }) else { return nil }
    let h = f[0] ?? -1, mi = f[1] ?? -1, s = f.count == 3 ? (f[2] ?? -1) : 0
    guard (0..<24).contains(h), (0..<60).contains(mi), (0..<60).contains(s) else { return nil }
    return day + Int64(h * 3600 + mi * 60 + s)
  }

  /// "30 days", "12 months", "3 years" after `start` (calendar months and years).
  static func parseDuration(_ text: String, from start: SimTime) -> SimTime? {
    let p = text.split(separator: " ")
    guard p.count == 2, let n = Int(p[0]), n > 0, n <= 100_000 else { return nil }
    switch p[1] {
    case "day", "days": return start + Int64(n) * SimTime.secondsPerDay
    case "month", "months": return n <= 1200 ? start.addingMonths(n) : nil
    case "year", "years": return n <= 100 ? start.addingMonths(12 * n) : nil
    default: return nil
    }
  }
}
