import BackupSimModel
import Foundation

/// Reads a pricing YAML that overrides any part of the built-in table of its region (us-east-1's when none is built in).
///
/// ```yaml
/// region: eu-central-1
/// asOf: 2026-11-01
/// classes:
///   STANDARD: { storage: 0.0245, put: 0.0054 }        # $/GB-month, $/1,000 requests
///   STANDARD_IA: { storage: 0.0135, transition: 0.01, minimumDays: 30 }
///   GLACIER: { retrieval: { Standard: { perGB: 0.011, perThousandRequests: 0.055, hours: 5 } } }
/// ```
/// `storage` is a flat price or a list of bands `[{upToGB: 51200, price: 0.0245}, {price: 0.0235}]`.
public enum PricingDecoder {
  public static func decode(_ node: ConfigNode, reader: inout NodeReader) -> PriceTable? {
    let keys = ["region", "asOf", "source", "classes", "intelligentTiering", "notes"]
    guard let m = reader.mapping(node, allowed: keys, what: "the pricing file") else { return nil }
    // What the file leaves out comes from the built-in table of its region, or us-east-1's when there is none.
    var table = PriceTable.usEast1
    if let r = m["region"], let v = reader.string(r, key: "region") {
      table = PriceTable.builtIn[v] ?? table
      table.region = v
    }
    table.notes = []
    table.source = "pricing file \(node.location.file) (overrides of the built-in \(base(of: table).region) table)"
    if let a = m["asOf"] {
      if let v = a.scalar, ScenarioLoader.parseDate(v) != nil {
        table.asOf = v
      } else {
        reader.fail("'asOf' must be the date the prices were read, like 2026-11-01", at: a, key: "asOf")
      }
    } else {
      reader.fail(.missingKey("asOf"), "the pricing file needs 'asOf': the date its prices were read", at: node)
    }
    if let s = m["source"], let v = reader.string(s, key: "source") { table.source = v }
    var given: [StorageClass: Set<String>] = [:]
    if let classes = m["classes"] {
      guard let pairs = classes.pairs else {
        reader.fail("'classes' must map storage classes to prices", at: classes, key: "classes")
        return table
      }
      for (k, v) in pairs {
        guard let name = k.scalar, let c = StorageClass(rawValue: name) else {
          var msg = "unknown storage class '\(k.scalar ?? "")'"
          if let g = NodeReader.nearest(to: k.scalar ?? "", in: StorageClass.allCases.map(\.rawValue)) { msg += "; did you mean '\(g)'?" }
          reader.fail(.unknownKey(k.scalar ?? ""), msg, at: k)
          continue
        }
        table.classes[c] = decodeClass(v, base: table[c], reader: &reader)
        given[c, default: []].formUnion(v.pairs?.compactMap(\.0.scalar) ?? [])
      }
    }
    if let it = m["intelligentTiering"] { table.intelligentTiering = decodeIntelligentTiering(it, base: table.intelligentTiering, reader: &reader) }
    if let n = m["notes"], let items = reader.list(n, key: "notes") { table.notes = items.compactMap { reader.string($0, key: "notes") } }
    noteBuiltIn(&table, given: given, at: node, reader: &reader)
    return table
  }

  /// The built-in table a pricing file's omissions come from: its region's, else us-east-1's.
  public static func base(of table: PriceTable) -> PriceTable { PriceTable.builtIn[table.region] ?? .usEast1 }

  private static func decodeIntelligentTiering(
    _ node: ConfigNode, base: IntelligentTieringPrices?, reader: inout NodeReader
  ) -> IntelligentTieringPrices? {
    let keys = ["infrequentAccess", "archiveInstantAccess", "archiveAccess", "deepArchiveAccess", "monitoringPerThousandObjects", "expedited"]
    guard let m = reader.mapping(node, allowed: keys, what: "Intelligent-Tiering prices") else { return base }
    var p =
      base
      ?? IntelligentTieringPrices(
        infrequentAccess: 0, archiveInstantAccess: 0, archiveAccess: 0, deepArchiveAccess: 0, monitoringPerThousandObjects: 0,
        expedited: .init(perGB: 0, perThousandRequests: 0, hours: 0))
    if let v = m["infrequentAccess"] { p.infrequentAccess = price(v, key: "infrequentAccess", reader: &reader) ?? p.infrequentAccess }
    if let v = m["archiveInstantAccess"] {
      p.archiveInstantAccess = price(v, key: "archiveInstantAccess", reader: &reader) ?? p.archiveInstantAccess
    }
    if let v = m["archiveAccess"] { p.archiveAccess = price(v, key: "archiveAccess", reader: &reader) ?? p.archiveAccess }
    if let v = m["deepArchiveAccess"] { p.deepArchiveAccess = price(v, key: "deepArchiveAccess", reader: &reader) ?? p.deepArchiveAccess }
    if let v = m["monitoringPerThousandObjects"] {
      p.monitoringPerThousandObjects = price(v, key: "monitoringPerThousandObjects", reader: &reader) ?? p.monitoringPerThousandObjects
    }
    if let e = m["expedited"], let t = reader.mapping(e, allowed: ["perGB", "perThousandRequests", "hours"], what: "a retrieval tier") {
      if let x = t["perGB"] { p.expedited.perGB = price(x, key: "perGB", reader: &reader) ?? p.expedited.perGB }
      if let x = t["perThousandRequests"] {
        p.expedited.perThousandRequests = price(x, key: "perThousandRequests", reader: &reader) ?? p.expedited.perThousandRequests
      }
      if let x = t["hours"] { p.expedited.hours = price(x, key: "hours", reader: &reader) ?? p.expedited.hours }
    }
    return p
  }

  /// Records which prices the file left out (they stay us-east-1's) and says so in one warning, so a
  /// file that overrides only some classes is not mistaken for a whole region's prices.
  private static func noteBuiltIn(_ table: inout PriceTable, given: [StorageClass: Set<String>], at node: ConfigNode, reader: inout NodeReader) {
    var whole: [String] = [], partly: [String] = []
    for c in StorageClass.allCases where table.classes[c] != nil {
      // A class that is never a transition target (STANDARD) has no transition price to take.
      let items = PriceTable.itemNames.filter { $0 != "transition" || base(of: table)[c].transitionPerThousand != nil }
      let missing = items.filter { !(given[c]?.contains($0) ?? false) }
      guard !missing.isEmpty else { continue }
      table.fromBuiltIn[c] = missing
      if missing.count == items.count { whole.append(c.rawValue) } else { partly.append("\(c.rawValue) \(missing.joined(separator: ", "))") }
    }
    guard !whole.isEmpty || !partly.isEmpty else { return }
    var parts: [String] = []
    if !whole.isEmpty { parts.append("every price of " + whole.joined(separator: ", ")) }
    if !partly.isEmpty { parts.append(partly.joined(separator: "; ")) }
    let builtIn = base(of: table)
    reader.warnings.append(
      ScenarioError(
        .invalidValue(key: "classes"),
        "this pricing file does not give \(parts.joined(separator: "; and ")): those are the built-in \(builtIn.region) prices "
          + "(read \(builtIn.asOf))\(builtIn.region == table.region ? "" : ", whatever 'region' says"); the report marks them",
        at: node.location))
  }

  private static func price(_ node: ConfigNode, key: String, reader: inout NodeReader) -> Decimal? {
    guard let s = node.scalar, let m = Money(exactly: s), m.amount >= 0 else {
      reader.fail("'\(key)' must be a non-negative price like 0.023, got \(NodeReader.show(node))", at: node, key: key)
      return nil
    }
    return m.amount
  }

  private static func decodeClass(_ node: ConfigNode, base: ClassPrices, reader: inout NodeReader) -> ClassPrices {
    var p = base
    guard let m = reader.mapping(node, allowed: ["storage", "put", "get", "transition", "minimumDays", "retrieval"], what: "class prices") else {
      return p
    }
    if let s = m["storage"] {
      if s.scalar != nil {
        if let v = price(s, key: "storage", reader: &reader) { p.storage = [.init(upToGB: nil, pricePerGBMonth: v)] }
      } else if let items = reader.list(s, key: "storage") {
        var bands: [ClassPrices.Band] = []
        for item in items {
          guard let b = reader.mapping(item, allowed: ["upToGB", "price"], what: "a storage band"),
            let pn = reader.require(b, "price", in: "a storage band", at: item), let v = price(pn, key: "price", reader: &reader)
          else { continue }
          let upTo = b["upToGB"].flatMap { price($0, key: "upToGB", reader: &reader) }
          bands.append(.init(upToGB: upTo, pricePerGBMonth: v))
        }
        if bands.isEmpty || bands.dropLast().contains(where: { $0.upToGB == nil }) || bands.last?.upToGB != nil {
          reader.fail("storage bands need 'upToGB' on every band but the last, which has none", at: s, key: "storage")
        } else {
          p.storage = bands
        }
      }
    }
    if let v = m["put"] { p.putPerThousand = price(v, key: "put", reader: &reader) ?? p.putPerThousand }
    if let v = m["get"] { p.getPerThousand = price(v, key: "get", reader: &reader) ?? p.getPerThousand }
    if let v = m["transition"] { p.transitionPerThousand = price(v, key: "transition", reader: &reader) ?? p.transitionPerThousand }
    if let v = m["minimumDays"] { p.minimumDays = reader.int(v, key: "minimumDays", range: 0...3650) ?? p.minimumDays }
    if let r = m["retrieval"], let tiers = r.pairs {
      for (k, v) in tiers {
        guard let tier = RetrievalTier(rawValue: k.scalar ?? "") else {
          reader.fail(.unknownKey(k.scalar ?? ""), "unknown retrieval tier '\(k.scalar ?? "")'; use Instant, Expedited, Standard or Bulk", at: k)
          continue
        }
        guard let t = reader.mapping(v, allowed: ["perGB", "perThousandRequests", "hours"], what: "a retrieval tier") else { continue }
        var ret = p.retrieval[tier] ?? .init(perGB: 0, perThousandRequests: 0, hours: 0)
        if let x = t["perGB"] { ret.perGB = price(x, key: "perGB", reader: &reader) ?? ret.perGB }
        if let x = t["perThousandRequests"] {
          ret.perThousandRequests = price(x, key: "perThousandRequests", reader: &reader) ?? ret.perThousandRequests
        }
        if let x = t["hours"] { ret.hours = price(x, key: "hours", reader: &reader) ?? ret.hours }
        p.retrieval[tier] = ret
      }
    }
    return p
  }
}
