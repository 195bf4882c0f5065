import BackupSimModel
import Foundation

/// One row of an S3 Inventory report, as the writer takes it.
public struct InventoryRow: Sendable, Equatable {
  public var key: String
  /// nil: a `null` version (written as an empty VersionId).
  public var versionId: String?
  public var isLatest: Bool
  public var isDeleteMarker: Bool
  /// nil for a delete marker (S3 leaves Size empty).
  public var size: Int64?
  public var lastModified: SimTime
  public var storageClass: StorageClass?
  public var retainUntil: SimTime?
  public var lockMode: ObjectLockMode?
  public var legalHold: Bool

  public init(
    key: String, versionId: String?, isLatest: Bool = true, isDeleteMarker: Bool = false, size: Int64?, lastModified: SimTime,
    storageClass: StorageClass? = .standard, retainUntil: SimTime? = nil, lockMode: ObjectLockMode? = nil, legalHold: Bool = false
  ) {
    self.key = key
    self.versionId = versionId
    self.isLatest = isLatest
    self.isDeleteMarker = isDeleteMarker
    self.size = size
    self.lastModified = lastModified
    self.storageClass = storageClass
    self.retainUntil = retainUntil
    self.lockMode = lockMode
    self.legalHold = legalHold
  }
}

/// Writes S3 Inventory reports in the exact layout and format S3 delivers them: gzip CSV data files
/// without a header, every value double-quoted, keys URL-encoded, and a manifest.json in a dated folder.
public enum InventoryWriter {
  /// An all-versions report's columns, with the Object Lock fields.
  public static let schema = [
    "Bucket", "Key", "VersionId", "IsLatest", "IsDeleteMarker", "Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded",
    "ObjectLockRetainUntilDate", "ObjectLockMode", "ObjectLockLegalHoldStatus",
  ]

  /// Writes a report as S3 lays it out and returns its manifest's path.
  ///
  /// The manifest goes to `DESTINATION/<bucket>/<configID>/<YYYY-MM-DDTHH-MMZ>/manifest.json` and the
  /// data files under `…/<configID>/data/`; `rows(file, emit)` emits the rows of each data file.
  public static func write(
    to destination: String, bucket: String, configID: String = "all-versions", takenAt: SimTime, files: Int,
    rows: (Int, (InventoryRow) throws -> Void) throws -> Void
  ) throws -> String {
    let base = ((destination as NSString).appendingPathComponent(bucket) as NSString).appendingPathComponent(configID)
    let d = takenAt.date
    let stamp = "\(d.iso8601)T\(pad2(takenAt.secondOfDay / 3600))-\(pad2(takenAt.secondOfDay / 60 % 60))Z"
    let dated = (base as NSString).appendingPathComponent(stamp)
    let data = (base as NSString).appendingPathComponent("data")
    try FileManager.default.createDirectory(atPath: dated, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    var entries: [String] = []
    let bucketField = quoted(bucket)
    for f in 0..<files {
      // S3 names data files by UUID; these are fixed, so the same input writes the same bytes.
      let name = String(format: "%08x-%04x-4%03x-8%03x-%012x.csv.gz", 0x5eed_0000 + f, f, f, f, f)
      let key = "\(bucket)/\(configID)/data/\(name)"
      let path = (data as NSString).appendingPathComponent(name)
      let gz = try GzipWriter(path: path)
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 20)
      try rows(f) { row in
        line(row, bucketField: bucketField, into: &buffer)
        if buffer.count >= 1 << 20 {
          try gz.write(buffer)
          buffer.removeAll(keepingCapacity: true)
        }
      }
      try gz.write(buffer)
      try gz.finish()
      let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      entries.append(
        "    {\n      \"key\" : \"\(key)\",\n      \"size\" : \(size),\n      \"MD5checksum\" : \"\(String(repeating: "0", count: 32))\"\n    }")
    }
    let manifest = """
      {
        "sourceBucket" : "\(bucket)",
        "destinationBucket" : "arn:aws:s3:::\(bucket)-inventory",
        "version" : "2016-11-30",
        "creationTimestamp" : "\(takenAt.seconds * 1000)",
        "fileFormat" : "CSV",
        "fileSchema" : "\(schema.joined(separator: ", "))",
        "files" : [
      \(entries.joined(separator: ",\n"))
        ]
      }

      """
    let path = (dated as NSString).appendingPathComponent("manifest.json")
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// One CSV line for `schema`, newline included.
  static func line(_ r: InventoryRow, bucketField: String, into out: inout [UInt8]) {
    func field(_ s: String) {
      out.append(0x22)
      out.append(contentsOf: s.utf8)
      out.append(0x22)
    }
    out.append(contentsOf: bucketField.utf8)
    out.append(0x2C)
    out.append(0x22)
    urlEncode(r.key, into: &out)
    out.append(0x22)
    out.append(0x2C)
    field(r.versionId ?? "")
    out.append(0x2C)
    field(r.isLatest ? "true" : "false")
    out.append(0x2C)
    field(r.isDeleteMarker ? "true" : "false")
    out.append(0x2C)
    field(r.isDeleteMarker ? "" : String(r.size ?? 0))
    out.append(0x2C)
    field(timestamp(r.lastModified))
    out.append(0x2C)
    // ETag: a placeholder of the right shape (not read).
    field(r.isDeleteMarker ? "" : "d41d8cd98f00b204e9800998ecf8427e")
    out.append(0x2C)
    field(r.isDeleteMarker ? "" : (r.storageClass ?? .standard).rawValue)
    out.append(0x2C)
    field(r.isDeleteMarker ? "" : ((r.size ?? 0) >= 8 << 20 ? "true" : "false"))
    out.append(0x2C)
    field(r.retainUntil.map(timestamp) ?? "")
    out.append(0x2C)
    field(r.lockMode.map { $0 == .compliance ? "COMPLIANCE" : "GOVERNANCE" } ?? "")
    out.append(0x2C)
    field(r.isDeleteMarker ? "" : (r.legalHold ? "ON" : "OFF"))
    out.append(0x0A)
  }

  static func quoted(_ s: String) -> String { "\"\(s)\"" }

  /// The timestamp format of the report, like `2027-03-10T15:00:02.000Z`.
  public static func timestamp(_ t: SimTime) -> String {
    let s = t.iso8601
    return String(s.dropLast()) + ".000Z"
  }

  /// A key as S3 Inventory writes it: form-URL-encoded (space as `+`), UTF-8 bytes as `%XX`.
  public static func urlEncode(_ key: String) -> String {
    var out: [UInt8] = []
    urlEncode(key, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static func urlEncode(_ key: String, into out: inout [UInt8]) {
    let hex = Array("0123456789ABCDEF".utf8)
    for b in key.utf8 {
      switch b {
      case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x2A, 0x2F: out.append(b)
      case 0x20: out.append(0x2B)
      default: out += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
      }
    }
  }
}
