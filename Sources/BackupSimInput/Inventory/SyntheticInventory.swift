import BackupSimModel
import Foundation

/// A made-up S3 Inventory report of a photo-and-database backup bucket, in S3's exact format.
///
/// Deterministic for a seed, and streamed (10 million rows never sit in memory). It has the
/// format's quirks: keys with spaces and non-ASCII letters (URL-encoded), delete markers without
/// size or class, `null` version ids (objects from before versioning), rows in no order, spread
/// over several data files. Contents, as a lifecycle of "IA at 30 days, GLACIER at 90" leaves them:
///
/// - `db/backup.sql.gz`, one key overwritten nightly: 60 noncurrent versions and the current one;
/// - `legacy/old file N.txt`: a few `null` versions written before versioning was enabled;
/// - `Fotos Übersicht/YYYY-MM-DD/IMG N.jpg`: the rest, a year of daily uploads; one in 50 deleted
///   since (a delete marker over it); one in 100 a thumbnail under 128 KiB that never moved class.
public struct SyntheticInventory: Sendable {
  public var rows: Int
  public var files: Int
  public var seed: UInt64
  public var bucket: String
  public var takenAt: SimTime

  public init(
    rows: Int, files: Int = 4, seed: UInt64 = 1, bucket: String = "photo-backups", takenAt: SimTime = SimTime(year: 2027, month: 1, day: 1, hour: 1)
  ) {
    self.rows = rows
    self.files = max(1, files)
    self.seed = seed
    self.bucket = bucket
    self.takenAt = takenAt
  }

  static let dbVersions = 61
  static let days = 365

  var legacy: Int { max(1, rows / 1_000) }
  /// Photo keys: each is one row, or two when deleted (one in 50).
  var photos: Int { max(Self.days, Int(Double(rows - Self.dbVersions - legacy) / 1.02)) }
  public var photosPerDay: Int { max(1, photos / Self.days) }
  var items: Int { Self.dbVersions + legacy + photosPerDay * Self.days }

  /// A scenario that goes on from this bucket: the same jobs keep running, under the lifecycle that shaped it.
  public func scenario(inventory: String, duration: String = "12 months") -> String {
    """
    name: Photo and database backups, from the inventory
    duration: \(duration)
    bucket:
      name: \(bucket)
      versioning: Enabled
      lifecycle:
        Rules:
          - ID: photos-tiering
            Status: Enabled
            Filter: { Prefix: "Fotos Übersicht/" }
            Transitions: [ { Days: 30, StorageClass: STANDARD_IA }, { Days: 90, StorageClass: GLACIER } ]
            NoncurrentVersionExpiration: { NoncurrentDays: 30 }
          - { ID: db-60, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 60 } }
    startingState: { inventory: "\(inventory)" }
    uploads:
      - { name: db, key: "db/backup.sql.gz", schedule: "daily at 02:00", size: 1 GiB }
      - { name: photos, key: "Fotos Übersicht/{date}/IMG {i}.jpg", schedule: "daily at 03:00", objects: \(photosPerDay), size: 4 MiB }

    """
  }

  /// Writes the report under `destination` as S3 lays it out; returns the manifest's path.
  public func write(to destination: String) throws -> String {
    try InventoryWriter.write(to: destination, bucket: bucket, takenAt: takenAt, files: files) { f, emit in
      // Items dealt round-robin to the files, each file's share in a scrambled order, as S3's are.
      let share = (items - f + files - 1) / files
      let stride = Self.coprime(to: share, near: share / 2 + 7)
      for n in 0..<share {
        let item = f + files * ((n * stride) % share)
        for row in rows(item: item) { try emit(row) }
      }
    }
  }

  /// The one or two rows of item `i`.
  func rows(item i: Int) -> [InventoryRow] {
    var h = Self.mix(seed &+ UInt64(i))
    let day = Int64(86_400)
    let dayStart = takenAt.startOfDay
    if i < Self.dbVersions {
      // Nightly at 02:00; the newest (i = 60) is yesterday's and current.
      let t = dayStart - Int64(Self.dbVersions - i) * day + 2 * 3_600 + Int64(h % 60)
      let size = Int64(1 << 30) + Int64(h >> 40 & 0xFFFFF)
      return [InventoryRow(key: "db/backup.sql.gz", versionId: Self.versionID(h), isLatest: i == Self.dbVersions - 1, size: size, lastModified: t)]
    }
    if i < Self.dbVersions + legacy {
      let k = i - Self.dbVersions
      let t = dayStart - (400 + Int64(k % 200)) * day + Int64(h % 86_400)
      return [
        InventoryRow(key: "legacy/old file \(k).txt", versionId: nil, size: 10_000 + Int64(h % 1_000_000), lastModified: t, storageClass: .standardIA)
      ]
    }
    let p = i - Self.dbVersions - legacy
    let age = Int64(Self.days - p / photosPerDay)  // 365 … 1 days old
    let index = p % photosPerDay
    let written = dayStart - age * day + 3 * 3_600 + Int64(index / 20)
    let key = "Fotos Übersicht/\(written.date.iso8601)/IMG \(index).jpg"
    h = Self.mix(h)
    let thumbnail = h % 100 == 0
    let size = thumbnail ? 20_000 + Int64(h >> 20 & 0xFFFF) : (1 << 20) + Int64(h >> 16 & 0x7F_FFFF)
    var cls = StorageClass.standard
    if !thumbnail { cls = age > 90 ? .glacier : age > 30 ? .standardIA : .standard }
    let deleted = (h >> 8) % 50 == 0
    var out = [
      InventoryRow(key: key, versionId: Self.versionID(h), isLatest: !deleted, size: size, lastModified: written, storageClass: cls)
    ]
    if deleted {
      let at = written + 1 + Int64(h >> 24 % UInt64(age * day - 3_600 * 4))
      out.append(
        InventoryRow(
          key: key, versionId: Self.versionID(Self.mix(h)), isLatest: true, isDeleteMarker: true, size: nil, lastModified: at, storageClass: nil))
    }
    return out
  }

  /// A 32-character id of the alphabet S3 uses.
  static func versionID(_ h: UInt64) -> String {
    var x = h
    var s = [UInt8](repeating: 0, count: 32)
    for k in 0..<32 {
      if k == 10 || k == 20 { x = mix(x) }
      s[k] = alphabet[Int(x & 63)]
      x >>= 6
    }
    return String(decoding: s, as: UTF8.self)
  }

  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._".utf8)

  /// SplitMix64's finalizer: a well-mixed hash of a counter.
  static func mix(_ z0: UInt64) -> UInt64 {
    var z = z0 &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  static func coprime(to n: Int, near k: Int) -> Int {
    guard n > 1 else { return 1 }
    var c = max(1, k)
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    while gcd(c, n) != 1 { c += 1 }
    return c
  }
}
