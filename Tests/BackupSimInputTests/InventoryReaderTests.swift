import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimInput
@testable import BackupSimModel

/// Reading S3 Inventory reports: the format's quirks, and every bad input as one located error.
@Suite struct InventoryReaderTests {
  static let schema = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass"

  /// A report folder laid out as S3 writes it: `<dir>/cfg/2027-03-01T01-00Z/manifest.json`, data in `<dir>/cfg/data/`.
  struct Report {
    var dir: String
    var manifest: String
    func data(_ name: String) -> String { "\(dir)/cfg/data/\(name)" }
  }

  static func report(
    _ files: [String: String], schema: String = schema, bucket: String = "bkt", listed: [String]? = nil, gzip: Bool = true
  ) throws -> Report {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("invr-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: "\(dir)/cfg/data", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: "\(dir)/cfg/2027-03-01T01-00Z", withIntermediateDirectories: true)
    for (name, text) in files {
      let path = "\(dir)/cfg/data/\(name)"
      if gzip {
        let gz = try GzipWriter(path: path)
        try gz.write(Array(text.utf8))
        try gz.finish()
      } else {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      }
    }
    let keys = (listed ?? files.keys.sorted()).map { "{\"key\": \"inv/bkt/cfg/data/\($0)\", \"size\": 1, \"MD5checksum\": \"x\"}" }
    let manifest = """
      {
        "sourceBucket": "\(bucket)",
        "destinationBucket": "arn:aws:s3:::inv",
        "version": "2016-11-30",
        "creationTimestamp": "1803949200000",
        "fileFormat": "CSV",
        "fileSchema": "\(schema)",
        "files": [\(keys.joined(separator: ", "))]
      }
      """
    let path = "\(dir)/cfg/2027-03-01T01-00Z/manifest.json"
    try manifest.write(toFile: path, atomically: true, encoding: .utf8)
    return Report(dir: dir, manifest: path)
  }

  static func read(_ r: Report) throws -> InventoryReader.Result {
    try InventoryReader.read(try InventoryManifest.read(path: r.manifest))
  }

  static func error(_ r: Report) -> String {
    do {
      _ = try read(r)
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func quirksOfTheFormat() throws {
    let r = try Self.report([
      "a.csv.gz": """
      "bkt","photos/Fotos+%C3%9Cbersicht%2B1.jpg","v2","true","false","100","2027-02-10T15:00:02.000Z","STANDARD"
      "bkt","gone.txt","","true","true","","2027-02-01T00:20:00.000Z",""
      "bkt","photos/Fotos+%C3%9Cbersicht%2B1.jpg","v1","false","false","90","2027-01-10T15:00:02.000Z","GLACIER"

      """,
      "b.csv.gz": """
      "bkt","gone.txt","g1","false","false","5","2026-12-01T00:00:00Z","STANDARD"
      "bkt","old null.txt","","true","false","7","2026-01-01T00:00:00.000Z","STANDARD_IA"
      "bkt","old null.txt","null","false","false","7","2025-01-01T00:00:00.000Z","STANDARD_IA"
      """,
    ])
    let inv = try Self.read(r)
    // 1,803,949,200 s = 20,879 days (2027-03-02) + 3,600 s.
    #expect(inv.manifest.takenAt == t("2027-03-02T01:00:00"))
    // + is a space, %2B a plus, UTF-8 bytes percent-encoded.
    #expect(inv.keys.contains("photos/Fotos Übersicht+1.jpg"))
    #expect(inv.notes.rows == 6 && inv.notes.keys == 3 && inv.notes.dataFiles == 2)
    #expect(inv.notes.deleteMarkers == 1 && inv.notes.nullVersions == 3)
    // A key keeps one null version: the older of "old null.txt" is dropped.
    #expect(inv.notes.extraNullVersions == 1)
    // Grouped by key, oldest first: the marker over the null version of gone.txt.
    let gone = try #require(inv.keys.firstIndex(of: "gone.txt"))
    let history = inv.versions.filter { $0.key == Int32(gone) }
    #expect(history.map(\.isMarker) == [false, true])
    #expect(history.map(\.size) == [5, 0])
    #expect(inv.notes.missingFields.count == 2)  // no Object Lock fields
  }

  @Test func currentVersionsOnly() throws {
    let r = try Self.report(
      ["a.csv.gz": "\"bkt\",\"x\",\"10\",\"2027-02-10T15:00:02.000Z\"\n"], schema: "Bucket, Key, Size, LastModifiedDate")
    let inv = try Self.read(r)
    #expect(inv.versions.count == 1 && inv.versions[0].flags & StartingState.Version.isLatest != 0)
    #expect(inv.notes.missingFields.first?.hasPrefix("The report lists current versions only") == true)
  }

  @Test func aBadValueNamesFileLineColumnAndColumnName() throws {
    let r = try Self.report([
      "a.csv.gz": """
      "bkt","x","v1","true","false","10","2027-02-10T15:00:02.000Z","STANDARD"
      "bkt","y","v1","true","false","12x","2027-02-10T15:00:02.000Z","STANDARD"
      """
    ])
    // Line 2; the value of column 6 starts at byte 32 (after its quote).
    #expect(Self.error(r) == "\(r.data("a.csv.gz")):2:32: error: column 6 'Size': not a whole number of bytes (got '12x')")
  }

  @Test func aBadTimestamp() throws {
    let r = try Self.report(["a.csv.gz": "\"bkt\",\"x\",\"v1\",\"true\",\"false\",\"10\",\"2027-02-30T15:00:02.000Z\",\"STANDARD\"\n"])
    #expect(
      Self.error(r).hasSuffix(
        ":1:37: error: column 7 'LastModifiedDate': not a timestamp like 2027-03-10T15:00:02.000Z (got '2027-02-30T15:00:02.000Z')"))
  }

  @Test func aRowOfAnotherBucket() throws {
    let r = try Self.report(["a.csv.gz": "\"other\",\"x\",\"v1\",\"true\",\"false\",\"10\",\"2027-02-10T15:00:02.000Z\",\"STANDARD\"\n"])
    #expect(
      Self.error(r)
        == "\(r.data("a.csv.gz")):1:2: error: column 1 'Bucket': the row is for another bucket than the manifest's sourceBucket 'bkt' (got 'other')")
  }

  @Test func aClassTheModelLacks() throws {
    let r = try Self.report(["a.csv.gz": "\"bkt\",\"x\",\"v1\",\"true\",\"false\",\"10\",\"2027-02-10T15:00:02.000Z\",\"REDUCED_REDUNDANCY\"\n"])
    #expect(Self.error(r).contains(":1:64: error: column 8 'StorageClass': storage class REDUCED_REDUNDANCY is not modelled"))
  }

  @Test func aSchemaWithoutANeededField() throws {
    let r = try Self.report(["a.csv.gz": ""], schema: "Bucket, Key, VersionId, Size")
    #expect(
      Self.error(r)
        == "\(r.manifest):7:17: error: the inventory's fileSchema lacks 'LastModifiedDate', which the simulation needs; add it to the inventory configuration"
    )
  }

  @Test func aMissingDataFile() throws {
    let r = try Self.report(["a.csv.gz": ""], listed: ["a.csv.gz", "b.csv.gz"])
    #expect(Self.error(r).hasPrefix("\(r.manifest):1:1: error: data file 'inv/bkt/cfg/data/b.csv.gz' listed in the manifest is missing"))
  }

  @Test func aTruncatedGzipFile() throws {
    let text = String(repeating: "\"bkt\",\"x\",\"v1\",\"true\",\"false\",\"10\",\"2027-02-10T15:00:02.000Z\",\"STANDARD\"\n", count: 100)
    let r = try Self.report(["a.csv.gz": text])
    let path = r.data("a.csv.gz")
    let whole = try Data(contentsOf: URL(fileURLWithPath: path))
    try whole.prefix(whole.count - 12).write(to: URL(fileURLWithPath: path))
    #expect(Self.error(r).contains("error: inventory data file: the gzip data ends early (a truncated or partial download?)"))
    #expect(Self.error(r).hasPrefix(path))
  }

  @Test func notGzip() throws {
    let r = try Self.report(["a.csv.gz": "\"bkt\",\"x\"\n"], gzip: false)
    #expect(Self.error(r).contains("error: inventory data file: not valid gzip data"))
  }

  @Test func aRowWithTooFewValues() throws {
    let r = try Self.report(["a.csv.gz": "\"bkt\",\"x\",\"v1\"\n"])
    #expect(Self.error(r) == "\(r.data("a.csv.gz")):1:1: error: the row has 3 values but fileSchema names 8 columns")
  }

  /// Keys are matched to the job that writes them, with its `{i}` value.
  @Test func keyTemplates() throws {
    let m = KeyTemplateMatcher(KeyTemplate(parts: [.literal("db/"), .date, .literal("/part-"), .index, .literal(".gz")]))
    #expect(m.match("db/2027-01-31/part-12.gz")?.pattern == "db/2027-01-31/part-{i}.gz")
    #expect(m.match("db/2027-01-31/part-12.gz")?.index == 12)
    #expect(m.match("db/2027-01-31/part-012.gz") == nil)  // the engine never writes leading zeros
    #expect(m.match("db/2027-1-31/part-1.gz") == nil)
    let fixed = KeyTemplateMatcher(KeyTemplate(parts: [.literal("db/backup.sql.gz")]))
    #expect(fixed.match("db/backup.sql.gz")?.pattern == "db/backup.sql.gz")
    #expect(fixed.match("db/backup.sql.gz.1") == nil)
  }
}

/// `backupsim import` carries the bucket's Intelligent-Tiering configurations into the scenario.
@Suite struct ImportIntelligentTieringTests {
  /// What `aws s3api get-bucket-intelligent-tiering-configuration` prints, with a versioning output:
  /// the written scenario holds the configuration and loads with its Archive Access at 120 days.
  @Test func configurationBecomesScenarioBlock() throws {
    let tiering = """
      { "IntelligentTieringConfiguration": { "Id": "archive-old", "Status": "Enabled",
        "Tierings": [ { "Days": 120, "AccessTier": "ARCHIVE_ACCESS" } ] } }
      """
    let yaml = try ScenarioImport.scenario(
      from: [.init(path: "versioning.json", text: "{ \"Status\": \"Enabled\" }"), .init(path: "it.json", text: tiering)],
      output: "scenario.yaml")
    #expect(yaml.contains("  intelligentTiering:\n    - {"))
    let scenario = try loadScenario(yaml)
    #expect(scenario.bucket.intelligentTiering.count == 1)
    #expect(scenario.bucket.intelligentTiering.first?.id == "archive-old")
  }
}
