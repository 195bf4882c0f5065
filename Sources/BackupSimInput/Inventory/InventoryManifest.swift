import BackupSimModel
import Foundation

/// The `manifest.json` of one S3 Inventory delivery (docs/s3-rules.md §7.1).
///
/// ```json
/// { "sourceBucket": "acme-backups", "destinationBucket": "arn:aws:s3:::acme-inventory",
///   "version": "2016-11-30", "creationTimestamp": "1803954000000", "fileFormat": "CSV",
///   "fileSchema": "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass",
///   "files": [ { "key": "inv/acme-backups/all-versions/data/0b5e.csv.gz", "size": 2147, "MD5checksum": "…" } ] }
/// ```
public struct InventoryManifest: Sendable {
  public var path: String
  public var sourceBucket: String
  public var takenAt: SimTime
  /// Field names in column order.
  public var schema: [String]
  /// `files[].key`, in the manifest's order.
  public var files: [String]

  /// The fields this reader knows; others (ETag, EncryptionStatus, …) are skipped.
  public static let knownFields = [
    "Bucket", "Key", "VersionId", "IsLatest", "IsDeleteMarker", "Size", "LastModifiedDate", "StorageClass", "IsMultipartUploaded",
    "ObjectLockRetainUntilDate", "ObjectLockMode", "ObjectLockLegalHoldStatus", "IntelligentTieringAccessTier",
  ]
  /// Without these the versions cannot be simulated at all.
  public static let requiredFields = ["Bucket", "Key", "Size", "LastModifiedDate"]

  /// Reads and checks a manifest; errors name the manifest's line and column.
  public static func read(path: String, readFile: (String) throws -> String = UTF8File.read) throws(ScenarioError) -> InventoryManifest {
    let top = SourceLocation(file: path, line: 1, column: 1)
    let text: String
    do { text = try readFile(path) } catch let e as ScenarioError { throw e } catch {
      throw ScenarioError(.io, "cannot read the inventory manifest: \(ScenarioLoader.describe(error))", at: top)
    }
    let root = try JSONConfigParser.parse(text, file: path)
    func field(_ name: String) throws(ScenarioError) -> ConfigNode {
      guard let v = root[name], !v.isNull else {
        throw ScenarioError(.missingKey(name), "the inventory manifest has no '\(name)' (is this an S3 Inventory manifest.json?)", at: root.location)
      }
      return v
    }
    func string(_ name: String) throws(ScenarioError) -> String {
      let v = try field(name)
      guard let s = v.scalar else { throw ScenarioError(.invalidValue(key: name), "'\(name)' must be a string", at: v.location) }
      return s
    }
    let format = try string("fileFormat")
    guard format.uppercased() == "CSV" else {
      throw ScenarioError(
        .invalidValue(key: "fileFormat"),
        "this inventory is \(format); backupsim reads CSV inventories (set the inventory configuration's output format to CSV)",
        at: try field("fileFormat").location)
    }
    let bucket = try string("sourceBucket")
    let stampNode = try field("creationTimestamp")
    guard let ms = stampNode.scalar.flatMap({ Int64($0) }), ms > 0 else {
      throw ScenarioError(
        .invalidValue(key: "creationTimestamp"), "'creationTimestamp' must be milliseconds since 1970 as a string, got \(NodeReader.show(stampNode))",
        at: stampNode.location)
    }
    let schemaNode = try field("fileSchema")
    guard let schemaText = schemaNode.scalar else {
      throw ScenarioError(.invalidValue(key: "fileSchema"), "'fileSchema' must be a string of field names", at: schemaNode.location)
    }
    let schema = schemaText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    for name in requiredFields where !schema.contains(name) {
      throw ScenarioError(
        .missingKey(name), "the inventory's fileSchema lacks '\(name)', which the simulation needs; add it to the inventory configuration",
        at: schemaNode.location)
    }
    let filesNode = try field("files")
    guard let items = filesNode.items, !items.isEmpty else {
      throw ScenarioError(.invalidValue(key: "files"), "'files' must list the report's data files", at: filesNode.location)
    }
    var files: [String] = []
    for item in items {
      guard let k = item["key"]?.scalar, !k.isEmpty else {
        throw ScenarioError(.missingKey("key"), "each entry of 'files' needs a 'key'", at: item.location)
      }
      files.append(k)
    }
    return InventoryManifest(
      path: path, sourceBucket: bucket, takenAt: SimTime(seconds: ms / 1000), schema: schema, files: files)
  }

  /// The manifest a scenario's `inventory:` path names: the file itself, a delivery folder holding
  /// `manifest.json`, or a configuration's folder of dated deliveries (the latest is taken).
  public static func locate(_ path: String) -> String? {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
    guard isDir.boolValue else { return path }
    let direct = (path as NSString).appendingPathComponent("manifest.json")
    if FileManager.default.fileExists(atPath: direct) { return direct }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    // Deliveries are named YYYY-MM-DDTHH-MMZ, so the latest sorts last.
    let dated = entries.filter { $0.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z/) != nil }.sorted()
    for d in dated.reversed() {
      let m = ((path as NSString).appendingPathComponent(d) as NSString).appendingPathComponent("manifest.json")
      if FileManager.default.fileExists(atPath: m) { return m }
    }
    return nil
  }

  /// Where a data file listed in the manifest lies on disk.
  ///
  /// S3 writes `…/<config-id>/data/NAME.csv.gz`
  /// beside the dated folder holding the manifest; a copy may also keep them next to it.
  public func dataPath(_ key: String) -> String? {
    let folder = (path as NSString).deletingLastPathComponent
    let parent = (folder as NSString).deletingLastPathComponent
    let name = (key as NSString).lastPathComponent
    let candidates = [
      (parent as NSString).appendingPathComponent("data/\(name)"),
      (folder as NSString).appendingPathComponent("data/\(name)"),
      (folder as NSString).appendingPathComponent(name),
    ]
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
  }
}
