import BackupSimModel
import Foundation

extension OfferImporter {
  /// Every price backupsim reads, in the order the pricing file lists them (retrievals come with their tiers).
  static func expected(_ c: StorageClass) -> [Item] {
    var items: [Item] = [.storage(c), .put(c), .get(c)]
    if c != .standard { items.append(.transition(c)) }
    switch c {
    case .standardIA, .oneZoneIA, .glacierIR: items.append(.retrieval(c, .instant))
    case .glacier:
      for t in [RetrievalTier.expedited, .standard, .bulk] { items += [.retrieval(c, t), .restoreRequest(c, t)] }
    case .deepArchive:
      for t in [RetrievalTier.standard, .bulk] { items += [.retrieval(c, t), .restoreRequest(c, t)] }
    case .standard, .intelligentTiering: break
    }
    return items
  }

  static func render(
    _ found: Found, offers: [(code: String, version: String, published: String)], region: String, files: [String], asOf: String
  ) -> OfferImport {
    var missing: [String] = []
    var yaml: [String] = []
    let haveDeepArchiveOffer = offers.contains { $0.code == "AmazonS3GlacierDeepArchive" }

    /// One price, or nil (and a missing entry) when the offer has none or prices it in bands.
    func single(_ item: Item, perThousand: Bool = false) -> String? {
      guard let p = found.prices[item] else { return nil }
      guard let first = p.dimensions.first, p.dimensions.allSatisfy({ $0.price == first.price }) else {
        missing.append("\(item.name) (SKU \(p.sku) prices it in bands, which backupsim models for storage only)")
        return nil
      }
      return Money(perThousand ? first.price * 1000 : first.price).description
    }

    yaml.append("classes:")
    for c in StorageClass.allCases {
      var lines: [String] = []
      let absent = expected(c).filter { found.prices[$0] == nil }
      if c == .deepArchive && !haveDeepArchiveOffer && absent.count == expected(c).count {
        missing.append("every DEEP_ARCHIVE price (AWS publishes them in the AmazonS3GlacierDeepArchive offer file: give that file too)")
      } else {
        missing += absent.map(\.name)
      }
      if let p = found.prices[.storage(c)] {
        let d = p.dimensions
        let contiguous = d.first?.begin == 0 && d.last?.end == nil && zip(d, d.dropFirst()).allSatisfy { $0.end == $1.begin }
        if !contiguous {
          missing.append("\(c) storage (SKU \(p.sku)'s price bands do not run from 0 to Inf without gaps)")
        } else if d.count == 1 {
          lines.append("    storage: \(Money(d[0].price))")
        } else {
          lines.append("    storage:")
          for band in d {
            lines.append("      - { \(band.end.map { "upToGB: \(Money($0)), " } ?? "")price: \(Money(band.price)) }")
          }
        }
      }
      let put = single(.put(c), perThousand: true)
      let get = single(.get(c), perThousand: true)
      if let put { lines.append("    put: \(put)") }
      if let get { lines.append("    get: \(get)") }
      if c != .standard, let v = single(.transition(c), perThousand: true) { lines.append("    transition: \(v)") }
      // Minimum durations and restore times are rules of the class, not prices: the price list has none.
      let rules = PriceTable.usEast1[c]
      lines.append("    minimumDays: \(rules.minimumDays)")
      var tiers: [String] = []
      for tier in RetrievalTier.allCases {
        guard let hours = rules.retrieval[tier]?.hours else { continue }
        let perGB: String?
        let requests: String?
        switch (c, tier) {
        case (.standard, .instant), (.intelligentTiering, .instant):
          (perGB, requests) = ("0", get)  // no retrieval fee: reading is a GET
        case (_, .instant):
          (perGB, requests) = (single(.retrieval(c, tier)), get)
        default:
          (perGB, requests) = (single(.retrieval(c, tier)), single(.restoreRequest(c, tier), perThousand: true))
        }
        guard let perGB, let requests else { continue }
        tiers.append("      \(tier.rawValue): { perGB: \(perGB), perThousandRequests: \(requests), hours: \(Money(hours)) }")
      }
      if !tiers.isEmpty { lines += ["    retrieval:"] + tiers }
      yaml.append("  \(c.rawValue):")
      yaml += lines
    }

    var it: [String] = []
    for (_, key) in accessTiers {
      if let v = single(.accessTier(key)) { it.append("  \(key): \(v)") } else { missing.append(Item.accessTier(key).name) }
    }
    if let v = single(.monitoring, perThousand: true) {
      it.append("  monitoringPerThousandObjects: \(v)")
    } else {
      missing.append(Item.monitoring.name)
    }
    missing.append("INTELLIGENT_TIERING Archive Access Expedited restore (the usage type that prices it is not documented)")
    if !it.isEmpty { yaml += ["intelligentTiering:"] + it }
    for a in found.ambiguous {
      missing.append("SKU \(a.sku) (\(a.usage)): its attributes do not say whether it prices \(a.what)")
    }

    let codes = offers.map { "\($0.code) version \($0.version) published \($0.published)" }.joined(separator: "; ")
    var head = [
      "# Written by `backupsim prices import` from \(files.joined(separator: ", ")).",
      "# Minimum days and restore hours are rules of each class (docs/s3-rules.md §3), not in the price list.",
    ]
    if !missing.isEmpty {
      head.append("# Not in the offer files, so left out (the built-in table supplies them, and every run says which):")
      head += missing.map { "#   - \($0)" }
    }
    head += [
      "region: \(region)",
      "asOf: \(asOf)",
      "source: \"AWS Price List offer files: \(codes.replacingOccurrences(of: "\"", with: "'"))\"",
    ]
    return OfferImport(yaml: (head + yaml).joined(separator: "\n") + "\n", missing: missing)
  }
}
