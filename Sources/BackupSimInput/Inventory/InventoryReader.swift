import BackupSimModel
import Foundation

/// Reads an S3 Inventory report (manifest and gzip CSV data files) into the versions it lists.
///
/// The CSV has no header row; columns follow the manifest's `fileSchema`; every value is
/// double-quoted; keys are URL-encoded (`+` or `%20` for a space, `%2B` for a plus sign, UTF-8
/// bytes as `%XX`). Rows are not sorted. A `null` version has an empty VersionId; a delete marker
/// has no Size or StorageClass. Rows are streamed: only one compact record per version is kept.
public enum InventoryReader {
  /// The report's versions, grouped by key and oldest first within a key.
  public struct Result: Sendable {
    public var manifest: InventoryManifest
    public var keys: KeyList
    public var versions: [StartingState.Version]
    public var notes: StartingState.Notes
  }

  /// Reads every data file of `manifest`; the first bad row, missing file or truncated file is an error.
  ///
  /// Data files are read side by side, one per core, each into its own table of keys; the tables
  /// are then joined in the manifest's order, so keys and versions come out in the same order as a
  /// file-by-file read (and the first error reported is the first in that order).
  public static func read(_ manifest: InventoryManifest) throws(ScenarioError) -> Result {
    var paths: [String] = []
    for key in manifest.files {
      guard let path = manifest.dataPath(key) else {
        throw ScenarioError(
          .io,
          "data file '\(key)' listed in the manifest is missing (looked for data/\((key as NSString).lastPathComponent) beside the manifest's folder and in it)",
          at: SourceLocation(file: manifest.path, line: 1, column: 1))
      }
      paths.append(path)
    }
    // Room for about as many rows as the compressed files suggest (a gzip CSV row takes 20 to 30
    // bytes), so 10 million rows are not copied again and again as the arrays grow.
    let sizes = paths.map { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 }
    var builder = Builder(manifest: manifest, expectedRows: sizes.reduce(0, +) / 25)
    let threads = min(paths.count, ProcessInfo.processInfo.activeProcessorCount)
    if threads <= 1 {
      for path in paths { try builder.readFile(path) }
      return builder.finish()
    }
    let parts = PartResults(count: paths.count)
    let files = paths
    DispatchQueue.concurrentPerform(iterations: files.count) { f in
      var part = Builder(manifest: manifest, expectedRows: sizes[f] / 25)
      do throws(ScenarioError) {
        try part.readFile(files[f])
        parts.set(f, .success(part))
      } catch {
        parts.set(f, .failure(error))
      }
    }
    for f in paths.indices {
      switch parts.take(f) {
      case .success(let part): builder.join(part)
      case .failure(let e): throw e
      case nil: preconditionFailure("a data file was not read")
      }
    }
    return builder.finish()
  }

  /// Each file's builder, filled in by the threads that read them.
  final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Swift.Result<Builder, ScenarioError>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Swift.Result<Builder, ScenarioError>) {
      lock.lock()
      results[i] = r
      lock.unlock()
    }
    func take(_ i: Int) -> Swift.Result<Builder, ScenarioError>? {
      lock.lock()
      defer { lock.unlock() }
      let r = results[i]
      results[i] = nil
      return r
    }
  }

  /// What a column means, by its name in `fileSchema`.
  enum Field {
    case bucket, key, versionId, isLatest, isDeleteMarker, size, lastModified, storageClass, retainUntil, lockMode, legalHold, other
    init(_ name: String) {
      switch name {
      case "Bucket": self = .bucket
      case "Key": self = .key
      case "VersionId": self = .versionId
      case "IsLatest": self = .isLatest
      case "IsDeleteMarker": self = .isDeleteMarker
      case "Size": self = .size
      case "LastModifiedDate": self = .lastModified
      case "StorageClass": self = .storageClass
      case "ObjectLockRetainUntilDate": self = .retainUntil
      case "ObjectLockMode": self = .lockMode
      case "ObjectLockLegalHoldStatus": self = .legalHold
      default: self = .other
      }
    }
  }

  struct Builder {
    let manifest: InventoryManifest
    let fields: [Field]
    let bucketBytes: [UInt8]
    var keyIDs = ByteKeyTable()
    var versions: [StartingState.Version] = []
    var notes = StartingState.Notes()
    let versioned: Bool
    // Reused per row.
    var starts: [Int] = []
    var ends: [Int] = []
    var scratch: [UInt8] = []

    init(manifest: InventoryManifest, expectedRows: Int = 0) {
      self.manifest = manifest
      keyIDs = ByteKeyTable(capacity: max(1 << 16, expectedRows))
      versions.reserveCapacity(expectedRows)
      fields = manifest.schema.map(Field.init)
      bucketBytes = Array(manifest.sourceBucket.utf8)
      versioned = manifest.schema.contains("VersionId")
      var missing: [String] = []
      let s = Set(manifest.schema)
      if !s.contains("VersionId") || !s.contains("IsLatest") || !s.contains("IsDeleteMarker") {
        missing.append(
          "The report lists current versions only (no VersionId, IsLatest or IsDeleteMarker): noncurrent versions and delete markers "
            + "are not known, so noncurrent storage and older restore points start at zero.")
      }
      if !s.contains("StorageClass") { missing.append("No StorageClass field: every version is taken to be in STANDARD.") }
      if !s.contains("ObjectLockRetainUntilDate") {
        missing.append("No ObjectLockRetainUntilDate field: existing versions are taken to be unlocked.")
      }
      if !s.contains("ObjectLockLegalHoldStatus") {
        missing.append("No ObjectLockLegalHoldStatus field: no existing version is taken to be on legal hold.")
      }
      notes.missingFields = missing
    }

    mutating func readFile(_ path: String) throws(ScenarioError) {
      notes.dataFiles += 1
      let lines: GzipLines
      do { lines = try GzipLines(path: path) } catch {
        throw ScenarioError(
          .io, "cannot read inventory data file: \((error as? GzipLines.Failure)?.message ?? "\(error)")",
          at: SourceLocation(file: path, line: 1, column: 1))
      }
      var lastLine = 0
      do {
        try lines.forEachLine { bytes, line in
          lastLine = line
          try self.row(bytes, file: path, line: line)
        }
      } catch let e as ScenarioError {
        throw e
      } catch let f as GzipLines.Failure {
        throw ScenarioError(.io, "inventory data file: \(f.message)", at: SourceLocation(file: path, line: lastLine + 1, column: 1))
      } catch {
        throw ScenarioError(.io, "inventory data file: \(error)", at: SourceLocation(file: path, line: lastLine + 1, column: 1))
      }
    }

    /// Adds another file's rows, its keys renumbered into this table.
    mutating func join(_ part: Builder) {
      let keys = part.keyIDs.keyList
      var global = [Int32](repeating: 0, count: keys.count)
      for k in 0..<keys.count { global[k] = keys.withBytes(k) { keyIDs.id($0).id } }
      versions.reserveCapacity(versions.count + part.versions.count)
      for var v in part.versions {
        v.key = global[Int(v.key)]
        versions.append(v)
      }
      notes.rows += part.notes.rows
      notes.dataFiles += part.notes.dataFiles
      notes.deleteMarkers += part.notes.deleteMarkers
      notes.nullVersions += part.notes.nullVersions
    }

    /// Splits one CSV line into fields (byte ranges of their unquoted values).
    mutating func split(_ b: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws(ScenarioError) {
      starts.removeAll(keepingCapacity: true)
      ends.removeAll(keepingCapacity: true)
      starts.reserveCapacity(fields.count + 1)
      ends.reserveCapacity(fields.count + 1)
      var i = 0
      let n = b.count > 0 && b[b.count - 1] == 0x0D ? b.count - 1 : b.count
      while true {
        if i < n && b[i] == 0x22 {
          // Quoted: values never contain a quote (keys are URL-encoded), but "" is read as one.
          let s = i + 1
          var j = s
          while j < n && !(b[j] == 0x22 && (j + 1 >= n || b[j + 1] != 0x22)) { j += b[j] == 0x22 ? 2 : 1 }
          guard j < n else {
            throw ScenarioError(
              .syntax, "column \(starts.count + 1): a quoted value is not closed", at: SourceLocation(file: file, line: line, column: i + 1))
          }
          starts.append(s)
          ends.append(j)
          i = j + 1
        } else {
          let s = i
          while i < n && b[i] != 0x2C { i += 1 }
          starts.append(s)
          ends.append(i)
        }
        if i >= n { break }
        guard b[i] == 0x2C else {
          throw ScenarioError(
            .syntax, "column \(starts.count): text after the closing quote", at: SourceLocation(file: file, line: line, column: i + 1))
        }
        i += 1
      }
    }

    mutating func row(_ b: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws(ScenarioError) {
      if b.isEmpty || (b.count == 1 && b[0] == 0x0D) { return }
      try split(b, file: file, line: line)
      guard starts.count == fields.count else {
        throw ScenarioError(
          .syntax, "the row has \(starts.count) values but fileSchema names \(fields.count) columns",
          at: SourceLocation(file: file, line: line, column: 1))
      }
      notes.rows += 1
      var keyID: Int32 = -1
      var flags: UInt8 = versioned ? 0 : StartingState.Version.isLatest
      var size: Int64 = -1
      var created: Int64?
      var storageClass = StorageClass.standard
      var classColumn: Int?
      var retain: Int64 = .min
      var hold = false
      for c in fields.indices {
        let s = starts[c], e = ends[c]
        let value = UnsafeBufferPointer(rebasing: b[s..<e])
        func fail(_ what: String) -> ScenarioError {
          let shown = String(decoding: value.prefix(60), as: UTF8.self)
          return ScenarioError(
            .invalidValue(key: manifest.schema[c]), "column \(c + 1) '\(manifest.schema[c])': \(what) (got '\(shown)')",
            at: SourceLocation(file: file, line: line, column: s + 1))
        }
        switch fields[c] {
        case .bucket:
          guard value.elementsEqual(bucketBytes) else {
            throw fail("the row is for another bucket than the manifest's sourceBucket '\(manifest.sourceBucket)'")
          }
        case .key:
          if scratch.count < value.count { scratch = [UInt8](repeating: 0, count: value.count * 2) }
          let found: (id: Int32, valid: Bool)? = scratch.withUnsafeMutableBufferPointer { buf in
            guard let n = Self.urlDecode(value, into: buf) else { return nil }
            let decoded = UnsafeBufferPointer(rebasing: buf[0..<n])
            let f = keyIDs.id(decoded)
            // A new key is checked to be UTF-8 once.
            return (f.id, !f.new || Self.isUTF8(decoded))
          }
          guard let found else { throw fail("not a URL-encoded key") }
          guard found.valid else { throw fail("the decoded key is not UTF-8") }
          keyID = found.id
        case .versionId:
          if value.isEmpty || value.elementsEqual("null".utf8) { flags |= StartingState.Version.isNull }
        case .isLatest:
          guard let v = Self.bool(value) else { throw fail("must be true or false") }
          if v { flags |= StartingState.Version.isLatest }
        case .isDeleteMarker:
          guard let v = Self.bool(value) else { throw fail("must be true or false") }
          if v { flags |= StartingState.Version.isDeleteMarker }
        case .size:
          if value.isEmpty { continue }
          guard let v = Self.integer(value) else { throw fail("not a whole number of bytes") }
          size = v
        case .lastModified:
          guard let t = Self.timestamp(value) else { throw fail("not a timestamp like 2027-03-10T15:00:02.000Z") }
          created = t
        case .storageClass:
          if value.isEmpty { continue }
          if let cls = Self.classNames.first(where: { value.elementsEqual($0.name) })?.cls {
            storageClass = cls
            classColumn = c
            continue
          }
          let name = String(decoding: value, as: UTF8.self)
          throw fail(
            "storage class \(name) is not modelled (STANDARD, INTELLIGENT_TIERING, STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER and DEEP_ARCHIVE are)"
          )
        case .retainUntil:
          if value.isEmpty { continue }
          guard let t = Self.timestamp(value) else { throw fail("not a timestamp like 2027-04-01T00:00:00.000Z") }
          retain = t
        case .lockMode:
          if value.isEmpty { continue }
          switch String(decoding: value, as: UTF8.self).uppercased() {
          case "COMPLIANCE": flags |= StartingState.Version.compliance
          case "GOVERNANCE": break
          default: throw fail("must be GOVERNANCE or COMPLIANCE")
          }
        case .legalHold:
          if value.isEmpty { continue }
          switch String(decoding: value, as: UTF8.self).uppercased() {
          case "ON": hold = true
          case "OFF": break
          default: throw fail("must be ON or OFF")
          }
        case .other:
          continue
        }
      }
      guard keyID >= 0, let createdAt = created else { return }
      let isMarker = flags & StartingState.Version.isDeleteMarker != 0
      if isMarker {
        size = 0
        notes.deleteMarkers += 1
      } else if size < 0, let c = fields.firstIndex(where: { if case .size = $0 { return true } else { return false } }) {
        throw ScenarioError(
          .invalidValue(key: "Size"), "column \(c + 1) 'Size': empty, and the row is not a delete marker",
          at: SourceLocation(file: file, line: line, column: starts[c] + 1))
      }
      _ = classColumn
      if flags & StartingState.Version.isNull != 0 { notes.nullVersions += 1 }
      if hold {
        flags |= StartingState.Version.legalHold
        retain = .max
      }
      versions.append(
        StartingState.Version(key: keyID, storageClass: storageClass, flags: flags, createdAt: createdAt, size: size, retainUntil: retain))
    }

    static let classNames: [(name: [UInt8], cls: StorageClass)] = StorageClass.allCases.map {
      (Array($0.rawValue.utf8), $0)
    }

    /// Groups versions by key (a counting sort: keys are dense ids), oldest first within a key,
    /// and settles what the report leaves inconsistent.
    mutating func finish() -> Result {
      let keys = keyIDs.keyList
      keyIDs = ByteKeyTable(capacity: 1)
      let k = keys.count
      var counts = [Int](repeating: 0, count: k + 1)
      for v in versions { counts[Int(v.key) + 1] += 1 }
      for i in 0..<k { counts[i + 1] += counts[i] }
      var sorted = [StartingState.Version]()
      sorted.reserveCapacity(versions.count)
      if !versions.isEmpty {
        sorted = [StartingState.Version](unsafeUninitializedCapacity: versions.count) { buf, n in
          var next = counts
          for v in versions {
            (buf.baseAddress.unsafelyUnwrapped + next[Int(v.key)]).initialize(to: v)
            next[Int(v.key)] += 1
          }
          n = versions.count
        }
      }
      versions = []
      // Compacted in place (a dropped null version moves the rest down): no third copy of 10 million rows.
      var w = 0
      for key in 0..<k {
        if counts[key + 1] - counts[key] == 1 {
          // The usual key: one version, nothing to order.
          if sorted[counts[key]].flags & StartingState.Version.isLatest == 0 { notes.keysWithoutLatest += 1 }
          sorted[w] = sorted[counts[key]]
          w += 1
          continue
        }
        var history = Array(sorted[counts[key]..<counts[key + 1]])
        // Oldest first; at the same instant the IsLatest one last.
        history.sort { ($0.createdAt, $0.flags & StartingState.Version.isLatest) < ($1.createdAt, $1.flags & StartingState.Version.isLatest) }
        let latest = history.lastIndex { $0.flags & StartingState.Version.isLatest != 0 }
        if latest == nil {
          notes.keysWithoutLatest += 1
        } else if let l = latest, l != history.count - 1 {
          notes.keysLatestNotNewest += 1
          history.append(history.remove(at: l))
        }
        // S3 keeps one null version per key: an older one in the report is stale.
        var seenNull = false
        for i in stride(from: history.count - 1, through: 0, by: -1) where history[i].isNullVersion {
          if seenNull {
            history.remove(at: i)
            notes.extraNullVersions += 1
          }
          seenNull = true
        }
        for v in history {
          sorted[w] = v
          w += 1
        }
      }
      sorted.removeLast(sorted.count - w)
      notes.keys = k
      return Result(manifest: manifest, keys: keys, versions: sorted, notes: notes)
    }

    /// Whether the bytes are well-formed UTF-8 (ASCII alone is checked in one pass).
    static func isUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
      if !b.contains(where: { $0 >= 0x80 }) { return true }
      return String(validating: b, as: UTF8.self) != nil
    }

    static func bool(_ v: UnsafeBufferPointer<UInt8>) -> Bool? {
      if v.elementsEqual("true".utf8) { return true }
      if v.elementsEqual("false".utf8) { return false }
      return nil
    }

    static func integer(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
      guard !v.isEmpty, v.count <= 18 else { return nil }
      var n: Int64 = 0
      for c in v {
        guard c >= 0x30 && c <= 0x39 else { return nil }
        n = n * 10 + Int64(c - 0x30)
      }
      return n
    }

    /// `2027-03-10T15:00:02.000Z` (milliseconds optional) in seconds since 1970.
    static func timestamp(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
      guard v.count >= 20, v[4] == 0x2D, v[7] == 0x2D, v[10] == 0x54, v[13] == 0x3A, v[16] == 0x3A, v[v.count - 1] == 0x5A else { return nil }
      func num(_ a: Int, _ b: Int) -> Int? {
        var n = 0
        for i in a..<b {
          guard v[i] >= 0x30 && v[i] <= 0x39 else { return nil }
          n = n * 10 + Int(v[i] - 0x30)
        }
        return n
      }
      guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16), let s = num(17, 19) else {
        return nil
      }
      if v.count > 20 {
        guard v[19] == 0x2E, v.count > 21, num(20, v.count - 1) != nil else { return nil }
      }
      guard CivilDate(year: y, month: mo, day: d).isValid, h < 24, mi < 60, s < 60 else { return nil }
      return SimTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s).seconds
    }

    /// Percent-decodes a key into `out` (`+` is a space, as S3 Inventory writes it), which has room
    /// for `v.count` bytes; returns the decoded length, nil for a bad escape.
    static func urlDecode(_ v: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int? {
      var n = 0
      var i = 0
      func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
      }
      while i < v.count {
        let c = v[i]
        if c == 0x25 {
          guard i + 2 < v.count, let h = hex(v[i + 1]), let l = hex(v[i + 2]) else { return nil }
          out[n] = h << 4 | l
          i += 3
        } else {
          out[n] = c == 0x2B ? 0x20 : c
          i += 1
        }
        n += 1
      }
      return n
    }
  }
}
