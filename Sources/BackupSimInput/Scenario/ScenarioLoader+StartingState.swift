import BackupSimModel
import Foundation

/// `startingState: { inventory: PATH }`: the bucket's versions from an S3 Inventory report.
extension ScenarioLoader {
  /// Reads the report the node names; a problem is an error located in the report's files.
  func decodeStartingState(_ node: ConfigNode, file: String, reader: inout NodeReader) -> InventoryReader.Result? {
    guard let m = reader.mapping(node, allowed: ["inventory"], what: "startingState"),
      let p = reader.require(m, "inventory", in: "startingState", at: node), let given = reader.string(p, key: "inventory")
    else { return nil }
    let dir = (file as NSString).deletingLastPathComponent
    let full = given.hasPrefix("/") || dir.isEmpty ? given : (dir as NSString).appendingPathComponent(given)
    if !allowOutsidePaths && (Self.leavesFolder(given) || Self.linksOutside(full, folder: dir)) {
      reader.fail(.io, "the inventory '\(given)' is outside the scenario's folder (pass --allow-outside-paths to read it)", at: p)
      return nil
    }
    guard let manifestPath = InventoryManifest.locate(full) else {
      reader.fail(
        .io, "no S3 Inventory manifest at '\(given)' (give a manifest.json, its folder, or the folder of dated deliveries)", at: p)
      return nil
    }
    do {
      let manifest = try InventoryManifest.read(path: manifestPath, readFile: readFile)
      return try InventoryReader.read(manifest)
    } catch {
      reader.errors.append(error)
      return nil
    }
  }

  /// The simulation starts at the first 00:00 UTC at or after the report was taken: the run of
  /// lifecycle at that midnight is the first one the report has not seen.
  static func inventoryStart(_ r: InventoryReader.Result) -> SimTime { r.manifest.takenAt.midnightAtOrAfter }

  static func checkStart(_ start: SimTime, inventory r: InventoryReader.Result, at node: ConfigNode, reader: inout NodeReader) {
    guard start < r.manifest.takenAt else { return }
    reader.fail(
      "'start' \(start.date) is before the inventory was taken (\(r.manifest.takenAt.iso8601)); leave 'start' out to begin at "
        + "\(inventoryStart(r).date), or give a later date",
      at: node, key: "start")
  }

  /// Matches every key to the upload job that writes it and adds a job that never runs for the
  /// keys of each top-level prefix no job writes, so their versions become restore points too.
  static func startingState(
    _ r: InventoryReader.Result, jobs: inout [UploadJob], bucket: BucketConfig, requirements: inout Requirements,
    reader: inout NodeReader
  ) -> StartingState {
    if bucket.name != r.manifest.sourceBucket {
      reader.warnings.append(
        ScenarioError(
          .invalidValue(key: "bucket"),
          "the inventory is of bucket '\(r.manifest.sourceBucket)' but the scenario's bucket is named '\(bucket.name)' (policies are matched against '\(bucket.name)')",
          at: SourceLocation(file: r.manifest.path, line: 1, column: 1)))
    }
    let matchers = jobs.map { KeyTemplateMatcher($0.key) }
    var origins: [StartingState.KeyOrigin] = []
    origins.reserveCapacity(r.keys.count)
    var unmatched: [Int] = []
    var patternIDs = ByteKeyTable()
    var patterns: [String] = []
    var scratch: [UInt8] = []
    func intern(_ bytes: [UInt8]) -> Int32 {
      let found = bytes.withUnsafeBufferPointer { patternIDs.id($0) }
      if found.new { patterns.append(String(decoding: bytes, as: UTF8.self)) }
      return found.id
    }
    for k in 0..<r.keys.count {
      var found: StartingState.KeyOrigin?
      r.keys.withBytes(k) { bytes in
        for (j, m) in matchers.enumerated() {
          if let index = m.match(bytes, pattern: &scratch) {
            found = StartingState.KeyOrigin(job: Int32(j), pattern: intern(scratch), index: index)
            break
          }
        }
      }
      if let found {
        origins.append(found)
      } else {
        origins.append(StartingState.KeyOrigin(job: -1, pattern: -1, index: 0))
        unmatched.append(k)
      }
    }
    let realJobs = jobs.count
    var notes = r.notes
    if !unmatched.isEmpty {
      // One never-running job per top-level prefix (the most-used 100; the rest share one).
      var byPrefix: [String: [Int]] = [:]
      for k in unmatched { byPrefix[topPrefix(r.keys[k]), default: []].append(k) }
      var prefixes = byPrefix.keys.sorted { (byPrefix[$0]?.count ?? 0, $1) > (byPrefix[$1]?.count ?? 0, $0) }
      var groups: [(name: String, prefix: String, keys: [Int])] = []
      if prefixes.count > 100 {
        let rest = prefixes[100...].flatMap { byPrefix[$0] ?? [] }.sorted()
        prefixes = Array(prefixes[..<100])
        groups.append(("existing (other prefixes)", "", rest))
      }
      groups = prefixes.map { p in (p.isEmpty ? "existing (top level)" : "existing \(p)", p, byPrefix[p] ?? []) } + groups
      let used = Set(jobs.map(\.name))
      // Versions of these keys by size and class, for the job's description only.
      var firstVersion = [Int](repeating: -1, count: r.keys.count)
      for (i, v) in r.versions.enumerated() where !v.isMarker { firstVersion[Int(v.key)] = i }
      for g in groups {
        var name = g.name
        while used.contains(name) { name += "'" }
        let j = jobs.count
        let pattern = intern(Array("\u{1}\(name)/{i}".utf8))
        for (i, k) in g.keys.enumerated() { origins[k] = StartingState.KeyOrigin(job: Int32(j), pattern: pattern, index: i) }
        let sizes = g.keys.compactMap { firstVersion[$0] >= 0 ? r.versions[firstVersion[$0]].size : nil }.sorted()
        let classes = g.keys.compactMap { firstVersion[$0] >= 0 ? r.versions[firstVersion[$0]].storageClass : nil }
        let common = Dictionary(classes.map { ($0, 1) }, uniquingKeysWith: +).max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        var job = UploadJob(
          name: name, key: KeyTemplate(parts: [.literal(g.prefix + "*")]), schedule: .weekly(on: [], at: .init(hour: 0, minute: 0)),
          size: .fixed(sizes.isEmpty ? 0 : sizes[sizes.count / 2]), storageClass: common ?? .standard)
        // No principal has this name: the job never writes, so its permissions are not checked.
        job.principal = ""
        jobs.append(job)
        notes.inferredJobs.append((name, g.keys.count))
      }
      if let rp = requirements.restorePoints, rp.jobs == nil {
        requirements.restorePoints?.jobs = jobs[..<realJobs].map(\.name)
      }
    }
    return StartingState(
      source: r.manifest.path, sourceBucket: r.manifest.sourceBucket, takenAt: r.manifest.takenAt, keys: r.keys, origins: origins,
      patterns: patterns, versions: r.versions, notes: notes, inventoryJobs: realJobs)
  }

  /// The key up to and including its first `/` ("" for a key without one).
  static func topPrefix(_ key: String) -> String {
    guard let slash = key.firstIndex(of: "/") else { return "" }
    return String(key[...slash])
  }
}

/// Whether a key is one an upload job's template writes, and with which `{i}`.
///
/// `{date}` is `YYYY-MM-DD`, `{datetime}` `YYYY-MM-DDTHH:MM:SSZ`, `{run}` and `{i}` decimal numbers
/// as the engine writes them (no leading zeros).
struct KeyTemplateMatcher {
  let parts: [KeyTemplate.Part]

  init(_ t: KeyTemplate) { parts = t.parts }

  /// The `{i}` value of a key the job writes (0 without `{i}`), with the job's pattern for it (its
  /// `{i}` digits replaced by `{i}`) in `pattern`; nil when the job does not write the key.
  func match(_ b: UnsafeBufferPointer<UInt8>, pattern: inout [UInt8]) -> Int? {
    // Most keys fail on the first literal: test it before anything else.
    if case .literal(let l)? = parts.first, !b.starts(with: l.utf8) { return nil }
    var indexRange: Range<Int>?
    guard matchFrom(part: 0, at: 0, b, &indexRange) else { return nil }
    pattern.removeAll(keepingCapacity: true)
    guard let r = indexRange else {
      pattern.append(contentsOf: b)
      return 0
    }
    var i = 0
    for k in r { i = i * 10 + Int(b[k] - 0x30) }
    pattern.append(contentsOf: b[..<r.lowerBound])
    pattern.append(contentsOf: "{i}".utf8)
    pattern.append(contentsOf: b[r.upperBound...])
    return i
  }

  /// The same on a `String`, for tests: the pattern and the `{i}` value.
  func match(_ key: String) -> (pattern: String, index: Int)? {
    var pattern: [UInt8] = []
    let bytes = Array(key.utf8)
    guard let i = bytes.withUnsafeBufferPointer({ match($0, pattern: &pattern) }) else { return nil }
    return (String(decoding: pattern, as: UTF8.self), i)
  }

  private func matchFrom(part p: Int, at i: Int, _ b: UnsafeBufferPointer<UInt8>, _ index: inout Range<Int>?) -> Bool {
    guard p < parts.count else { return i == b.count }
    func digit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
    func shape(_ s: String) -> Int? {
      // "d" a digit, anything else itself.
      var k = i
      for c in s.utf8 {
        if c == UInt8(ascii: "d") {
          guard digit(k) else { return nil }
        } else {
          guard k < b.count, b[k] == c else { return nil }
        }
        k += 1
      }
      return k
    }
    switch parts[p] {
    case .literal(let l):
      let lb = Array(l.utf8)
      guard b.count - i >= lb.count, UnsafeBufferPointer(rebasing: b[i..<(i + lb.count)]).elementsEqual(lb) else { return false }
      return matchFrom(part: p + 1, at: i + lb.count, b, &index)
    case .date:
      guard let k = shape("dddd-dd-dd") else { return false }
      return matchFrom(part: p + 1, at: k, b, &index)
    case .datetime:
      guard let k = shape("dddd-dd-ddTdd:dd:ddZ") else { return false }
      return matchFrom(part: p + 1, at: k, b, &index)
    case .run, .index:
      guard digit(i) else { return false }
      var end = i + 1
      if b[i] != 0x30 { while digit(end) && end - i < 18 { end += 1 } }
      // Longest first, then shorter: a literal digit may follow.
      for e in stride(from: end, to: i, by: -1) {
        let saved = index
        if parts[p] == .index && index == nil { index = i..<e }
        if matchFrom(part: p + 1, at: e, b, &index) { return true }
        index = saved
      }
      return false
    }
  }
}
