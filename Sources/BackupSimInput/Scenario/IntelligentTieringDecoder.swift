import BackupSimModel

/// Reads `bucket.intelligentTiering`: a list of configurations in the AWS shape (docs/s3-rules.md §3.2).
///
/// ```yaml
/// intelligentTiering:
///   - Id: archive-old-dumps
///     Status: Enabled
///     Filter: { Prefix: "db/" }          # or { Tag: { Key: k, Value: v } } or { And: { Prefix: "db/", Tags: [...] } }
///     Tierings:
///       - { Days: 90, AccessTier: ARCHIVE_ACCESS }
///       - { Days: 180, AccessTier: DEEP_ARCHIVE_ACCESS }
/// ```
/// Refused as S3 refuses them: a missing `Id`, `Status` or `Tierings`; two configurations with one `Id`; a tier
/// named twice; Archive Access days outside 90–730 or Deep Archive Access days outside 180–730; a `Filter` with
/// more than one of `Prefix`, `Tag`, `And` (combine them with `And`).
enum IntelligentTieringDecoder {
  static func decode(_ node: ConfigNode, reader: inout NodeReader) -> [IntelligentTieringConfiguration] {
    guard let items = reader.list(node, key: "intelligentTiering") else { return [] }
    var out: [IntelligentTieringConfiguration] = []
    var ids: Set<String> = []
    for item in items {
      guard let m = reader.mapping(item, allowed: ["Id", "Status", "Filter", "Tierings"], what: "an Intelligent-Tiering configuration")
      else { continue }
      let id = reader.require(m, "Id", in: "an Intelligent-Tiering configuration", at: item).flatMap { reader.string($0, key: "Id") }
      if let id, let n = m["Id"], !ids.insert(id).inserted {
        reader.fail("two Intelligent-Tiering configurations have the Id '\(id)'", at: n, key: "Id")
      }
      let status = reader.require(m, "Status", in: "an Intelligent-Tiering configuration", at: item).flatMap {
        reader.choice($0, key: "Status", [("Enabled", true), ("Disabled", false)])
      }
      var config = IntelligentTieringConfiguration(id: id ?? "", enabled: status ?? false)
      if let f = m["Filter"] { decodeFilter(f, into: &config, reader: &reader) }
      if let t = reader.require(m, "Tierings", in: "an Intelligent-Tiering configuration", at: item) {
        decodeTierings(t, into: &config, reader: &reader)
      }
      out.append(config)
    }
    return out
  }

  private static func decodeFilter(_ node: ConfigNode, into c: inout IntelligentTieringConfiguration, reader: inout NodeReader) {
    guard let m = reader.mapping(node, allowed: ["Prefix", "Tag", "And"], what: "an Intelligent-Tiering Filter") else { return }
    if m.count > 1 {
      reader.fail("an Intelligent-Tiering Filter takes one of Prefix, Tag or And; combine several with And", at: node, key: "Filter")
      return
    }
    if let p = m["Prefix"] { c.prefix = reader.string(p, key: "Prefix") }
    if let t = m["Tag"], let tag = decodeTag(t, reader: &reader) { c.tags = [tag] }
    if let a = m["And"], let and = reader.mapping(a, allowed: ["Prefix", "Tags"], what: "an Intelligent-Tiering And filter") {
      if let p = and["Prefix"] { c.prefix = reader.string(p, key: "Prefix") }
      if let ts = and["Tags"], let list = reader.list(ts, key: "Tags") { c.tags = list.compactMap { decodeTag($0, reader: &reader) } }
      if and.isEmpty { reader.fail("an And filter needs a Prefix or Tags", at: a, key: "And") }
    }
  }

  private static func decodeTag(_ node: ConfigNode, reader: inout NodeReader) -> ObjectTag? {
    guard let m = reader.mapping(node, allowed: ["Key", "Value"], what: "a tag"),
      let k = reader.require(m, "Key", in: "a tag", at: node).flatMap({ reader.string($0, key: "Key") }),
      let v = reader.require(m, "Value", in: "a tag", at: node).flatMap({ reader.string($0, key: "Value") })
    else { return nil }
    return ObjectTag(key: k, value: v)
  }

  private static func decodeTierings(_ node: ConfigNode, into c: inout IntelligentTieringConfiguration, reader: inout NodeReader) {
    guard let items = reader.list(node, key: "Tierings") else { return }
    if items.isEmpty { reader.fail("'Tierings' needs ARCHIVE_ACCESS, DEEP_ARCHIVE_ACCESS or both", at: node, key: "Tierings") }
    for t in items {
      guard let m = reader.mapping(t, allowed: ["Days", "AccessTier"], what: "a Tiering"),
        let tierNode = reader.require(m, "AccessTier", in: "a Tiering", at: t),
        let tier = reader.choice(tierNode, key: "AccessTier", [("ARCHIVE_ACCESS", AccessTier.archive), ("DEEP_ARCHIVE_ACCESS", .deepArchive)]),
        let daysNode = reader.require(m, "Days", in: "a Tiering", at: t)
      else { continue }
      let range = tier == .archive ? 90...730 : 180...730
      guard let days = reader.int(daysNode, key: "Days", range: range) else { continue }
      if (tier == .archive ? c.archiveDays : c.deepArchiveDays) != nil {
        reader.fail("'Tierings' names \(tier.rawValue) twice", at: tierNode, key: "AccessTier")
      }
      if tier == .archive { c.archiveDays = days } else { c.deepArchiveDays = days }
    }
  }
}
