import BackupSimModel
import Foundation

/// What `backupsim prices import` made of one or more AWS Price List offer files.
public struct OfferImport: Sendable {
  /// The pricing YAML, in the shape `PricingDecoder` reads.
  public var yaml: String
  /// The prices the offer files did not give, one phrase each ("GLACIER_IR retrieval Instant"); the YAML leaves them out.
  public var missing: [String]
}

/// Reads the AWS Price List bulk offer files of Amazon S3 and writes the pricing YAML backupsim reads.
///
/// An offer file (`offerCode` AmazonS3, or AmazonS3GlacierDeepArchive, where AWS prices DEEP_ARCHIVE) holds
/// `products` by SKU, each with `productFamily` and `attributes` (`location`, `regionCode`, `usagetype`,
/// `volumeType`, `groupDescription`, ...), and `terms.OnDemand` by SKU, each term with `priceDimensions`
/// (`beginRange`, `endRange`, `unit`, `pricePerUnit.USD`). A SKU is recognised by its usage type
/// (docs.aws.amazon.com/AmazonS3/latest/userguide/aws-usage-report-understand.html), with the Region's prefix
/// (EUC1-, USE2-, ...) taken off; the usage types that price several things (`Requests-Tier3`: lifecycle
/// transitions into GLACIER and its Standard restores; `Requests-Tier4`: transitions into STANDARD_IA,
/// ONEZONE_IA, GLACIER_IR, INTELLIGENT_TIERING) are told apart by the product's `groupDescription` and
/// `volumeType` (docs/s3-rules.md §3.7). A price the files do not give is named, never filled in.
///
/// The files are walked with `JSONStream`: only the SKUs that price something backupsim uses are decoded.
public enum OfferImporter {
  /// Reads `files` (path and bytes) for `region` and returns the pricing YAML, or every problem with its location.
  public static func importOffers(_ files: [(path: String, bytes: [UInt8])], region: String) throws(ScenarioErrors) -> OfferImport {
    var found = Found()
    var errors: [ScenarioError] = []
    var offers: [(code: String, version: String, published: String)] = []
    for f in files {
      do {
        offers.append(try read(f.bytes, path: f.path, region: region, into: &found))
      } catch let e as ScenarioError {
        errors.append(e)
      } catch {
        errors.append(ScenarioError(.io, "\(error)", at: SourceLocation(file: f.path, line: 1, column: 1)))
      }
    }
    // The prices are as of the offer's publication: the latest date among the files.
    let dates = offers.map { String($0.published.prefix(10)) }
    for (f, d) in zip(files, dates) where errors.isEmpty && ScenarioLoader.parseDate(d) == nil {
      errors.append(
        ScenarioError(
          .missingKey("publicationDate"), "the offer file has no 'publicationDate' like 2024-11-01T18:12:43Z: the prices' date is not known",
          at: SourceLocation(file: f.path, line: 1, column: 1)))
    }
    if !errors.isEmpty { throw ScenarioErrors(errors) }
    return render(found, offers: offers, region: region, files: files.map(\.path), asOf: dates.max() ?? "")
  }

  // MARK: What a SKU prices

  /// One price backupsim reads.
  enum Item: Hashable, Comparable {
    case storage(StorageClass)
    case accessTier(String)  // an Intelligent-Tiering tier other than Frequent Access, by its pricing-file key
    case monitoring
    case put(StorageClass)
    case get(StorageClass)
    case transition(StorageClass)
    case retrieval(StorageClass, RetrievalTier)
    case restoreRequest(StorageClass, RetrievalTier)

    var unit: String {
      switch self {
      case .storage, .accessTier: return "GB-Mo"
      case .monitoring: return "Objects"
      case .put, .get, .transition, .restoreRequest: return "Requests"
      case .retrieval: return "GB"
      }
    }

    /// How the reports and the missing list name it.
    var name: String {
      switch self {
      case .storage(let c): return "\(c) storage"
      case .accessTier(let t): return "INTELLIGENT_TIERING \(t)"
      case .monitoring: return "INTELLIGENT_TIERING monitoring"
      case .put(let c): return "\(c) put"
      case .get(let c): return "\(c) get"
      case .transition(let c): return "\(c) transition"
      case .retrieval(let c, let t): return "\(c) retrieval \(t.rawValue) per GB"
      case .restoreRequest(let c, let t): return "\(c) retrieval \(t.rawValue) requests"
      }
    }

    static func < (a: Item, b: Item) -> Bool { a.name < b.name }
  }

  /// The Intelligent-Tiering access tiers by usage type, and their keys in the pricing file.
  static let accessTiers: [(usage: String, key: String)] = [
    ("TimedStorage-INT-IA-ByteHrs", "infrequentAccess"), ("TimedStorage-INT-AIA-ByteHrs", "archiveInstantAccess"),
    ("TimedStorage-INT-AA-ByteHrs", "archiveAccess"), ("TimedStorage-INT-DAA-ByteHrs", "deepArchiveAccess"),
  ]

  /// Usage-type codes of the classes in `Requests-<code>-Tier1` and the like.
  static let classCodes: [(code: String, c: StorageClass)] = [
    ("SIA", .standardIA), ("ZIA", .oneZoneIA), ("GIR", .glacierIR), ("GLACIER", .glacier), ("GDA", .deepArchive),
    ("INT", .intelligentTiering),
  ]

  /// Usage types backupsim reads, without the Region prefix.
  static let usageTypes: Set<String> = {
    var s: Set<String> = [
      "TimedStorage-ByteHrs", "TimedStorage-INT-FA-ByteHrs", "TimedStorage-SIA-ByteHrs", "TimedStorage-ZIA-ByteHrs",
      "TimedStorage-GIR-ByteHrs", "TimedStorage-GlacierByteHrs", "TimedStorage-GDA-ByteHrs", "Monitoring-Automation-INT",
      "Requests-Tier1", "Requests-Tier2", "Requests-Tier3", "Requests-Tier4", "Requests-Tier5", "Requests-Tier6",
      "Requests-GDA-Tier3", "Requests-GDA-Tier5", "Retrieval-SIA", "Retrieval-ZIA", "Retrieval-GIR", "Expedited-Retrieval-Bytes",
      "Standard-Retrieval-Bytes", "Bulk-Retrieval-Bytes",
    ]
    for (u, _) in accessTiers { s.insert(u) }
    for (code, _) in classCodes {
      s.insert("Requests-\(code)-Tier1")
      s.insert("Requests-\(code)-Tier2")
    }
    return s
  }()

  /// The usage type without its Region prefix (`EUC1-Requests-Tier1` → `Requests-Tier1`), if backupsim reads it.
  static func baseUsageType(_ usage: String) -> String? {
    if usageTypes.contains(usage) { return usage }
    guard let dash = usage.firstIndex(of: "-") else { return nil }
    let rest = String(usage[usage.index(after: dash)...])
    return usageTypes.contains(rest) ? rest : nil
  }

  /// What a product prices, or nil when it is nothing backupsim reads; a String when it cannot tell which.
  static func item(usage: String, attributes: [String: String], deepArchiveOffer: Bool) -> Result<Item, Ambiguous>? {
    let text = ["groupDescription", "volumeType", "storageClass", "group", "operation"].compactMap { attributes[$0] }
      .joined(separator: " ").lowercased()
    func classNamed() -> StorageClass? {
      if text.contains("intelligent") { return .intelligentTiering }
      if text.contains("one zone") { return .oneZoneIA }
      if text.contains("instant retrieval") { return .glacierIR }
      if text.contains("deep archive") { return .deepArchive }
      if text.contains("infrequent") { return .standardIA }
      if text.contains("glacier") { return .glacier }
      return nil
    }
    switch usage {
    case "TimedStorage-ByteHrs": return .success(.storage(.standard))
    case "TimedStorage-INT-FA-ByteHrs": return .success(.storage(.intelligentTiering))
    case "TimedStorage-SIA-ByteHrs": return .success(.storage(.standardIA))
    case "TimedStorage-ZIA-ByteHrs": return .success(.storage(.oneZoneIA))
    case "TimedStorage-GIR-ByteHrs": return .success(.storage(.glacierIR))
    case "TimedStorage-GlacierByteHrs": return .success(.storage(.glacier))
    case "TimedStorage-GDA-ByteHrs": return .success(.storage(.deepArchive))
    case "Monitoring-Automation-INT": return .success(.monitoring)
    case "Requests-Tier1": return .success(.put(.standard))
    case "Requests-Tier2": return .success(.get(.standard))
    case "Requests-Tier4":
      // Transitions into STANDARD_IA, ONEZONE_IA, GLACIER_IR and INTELLIGENT_TIERING share this usage type.
      guard let c = classNamed(), [.standardIA, .oneZoneIA, .glacierIR, .intelligentTiering].contains(c) else {
        return .failure(Ambiguous(what: "a lifecycle transition into STANDARD_IA, ONEZONE_IA, GLACIER_IR or INTELLIGENT_TIERING"))
      }
      return .success(.transition(c))
    case "Requests-Tier3":
      // Lifecycle transitions into GLACIER (or, in the Deep Archive offer, DEEP_ARCHIVE) and GLACIER Standard restores.
      if text.contains("restore") { return .success(.restoreRequest(.glacier, .standard)) }
      if text.contains("lifecycle") || text.contains("transition") { return .success(.transition(deepArchiveOffer ? .deepArchive : .glacier)) }
      return .failure(Ambiguous(what: "a lifecycle transition into an archive class or a GLACIER Standard restore"))
    case "Requests-Tier5": return .success(.restoreRequest(.glacier, .bulk))
    case "Requests-Tier6": return .success(.restoreRequest(.glacier, .expedited))
    case "Requests-GDA-Tier3": return .success(.restoreRequest(.deepArchive, .standard))
    case "Requests-GDA-Tier5": return .success(.restoreRequest(.deepArchive, .bulk))
    case "Retrieval-SIA": return .success(.retrieval(.standardIA, .instant))
    case "Retrieval-ZIA": return .success(.retrieval(.oneZoneIA, .instant))
    case "Retrieval-GIR": return .success(.retrieval(.glacierIR, .instant))
    case "Expedited-Retrieval-Bytes": return .success(.retrieval(.glacier, .expedited))
    case "Standard-Retrieval-Bytes": return .success(.retrieval(deepArchiveOffer ? .deepArchive : .glacier, .standard))
    case "Bulk-Retrieval-Bytes": return .success(.retrieval(deepArchiveOffer ? .deepArchive : .glacier, .bulk))
    default:
      if let t = accessTiers.first(where: { $0.usage == usage }) { return .success(.accessTier(t.key)) }
      for (code, c) in classCodes {
        if usage == "Requests-\(code)-Tier1" { return .success(.put(c)) }
        if usage == "Requests-\(code)-Tier2" { return .success(.get(c)) }
      }
      return nil
    }
  }

  struct Ambiguous: Error {
    var what: String
  }

  // MARK: Reading one file

  /// The prices found so far, by item, with the SKU and place each came from.
  struct Found {
    struct Price {
      var dimensions: [(begin: Decimal, end: Decimal?, price: Decimal)]
      var sku: String
    }
    var prices: [Item: Price] = [:]
    /// SKUs whose usage type backupsim reads but whose item it cannot tell, with why.
    var ambiguous: [(sku: String, usage: String, what: String)] = []
  }

  /// The regions' names in the offer files' `location` attribute, for files without `regionCode`.
  static let locations: [String: String] = [
    "US East (N. Virginia)": "us-east-1", "US East (Ohio)": "us-east-2", "US West (N. California)": "us-west-1",
    "US West (Oregon)": "us-west-2", "EU (Ireland)": "eu-west-1", "EU (London)": "eu-west-2", "EU (Frankfurt)": "eu-central-1",
    "Asia Pacific (Singapore)": "ap-southeast-1", "Asia Pacific (Sydney)": "ap-southeast-2", "Asia Pacific (Tokyo)": "ap-northeast-1",
  ]

  static let offerCodes = ["AmazonS3", "AmazonS3GlacierDeepArchive"]

  private static func read(
    _ bytes: [UInt8], path: String, region: String, into found: inout Found
  ) throws -> (code: String, version: String, published: String) {
    var s = JSONStream(bytes)
    func at(_ offset: Int) -> SourceLocation {
      let (l, c) = s.lineAndColumn(of: offset)
      return SourceLocation(file: path, line: l, column: c)
    }
    func located(_ body: () throws(JSONStream.Failure) -> Void) throws {
      do { try body() } catch { throw ScenarioError(.syntax, error.message, at: at(error.offset)) }
    }
    var code: String?
    var version = ""
    var published = ""
    // SKUs of this file that price something, with their item and where the product is.
    var wanted: [String: Item] = [:]
    var sawProducts = false
    // Offsets only: a line and column is counted when an error needs one.
    var otherRegion: (name: String, offset: Int)?
    try located { () throws(JSONStream.Failure) in
      try s.beginObject()
      var first = true
      while let (key, keyAt) = try s.nextKey(&first) {
        switch key {
        case "offerCode":
          let valueAt = s.offset
          let v = try s.value().string ?? ""
          guard offerCodes.contains(v) else {
            throw JSONStream.Failure(
              message: "this is the offer file of '\(v)', not of Amazon S3 (offerCode AmazonS3 or AmazonS3GlacierDeepArchive)", offset: valueAt)
          }
          code = v
        case "version": version = try s.value().string ?? ""
        case "publicationDate": published = try s.value().string ?? ""
        case "products":
          guard let code else {
            throw JSONStream.Failure(message: "'offerCode' must come before 'products', as AWS writes offer files", offset: keyAt)
          }
          sawProducts = true
          try s.beginObject()
          var firstSKU = true
          while let (sku, _) = try s.nextKey(&firstSKU) {
            let productAt = s.offset
            let product = try s.value()
            let attributes = (product["attributes"]?.members ?? [:]).compactMapValues(\.string)
            guard let usage = attributes["usagetype"].flatMap(baseUsageType) else { continue }
            let productRegion = attributes["regionCode"] ?? attributes["location"].flatMap { locations[$0] }
            guard productRegion == region else {
              if otherRegion == nil { otherRegion = (productRegion ?? attributes["location"] ?? "no region", productAt) }
              continue
            }
            switch item(usage: usage, attributes: attributes, deepArchiveOffer: code == "AmazonS3GlacierDeepArchive") {
            case .success(let i)?: wanted[sku] = i
            case .failure(let a)?: found.ambiguous.append((sku, attributes["usagetype"] ?? usage, a.what))
            case nil: break
            }
          }
        case "terms":
          guard sawProducts else {
            throw JSONStream.Failure(message: "'products' must come before 'terms', as AWS writes offer files", offset: keyAt)
          }
          try s.beginObject()
          var firstKind = true
          while let (kind, _) = try s.nextKey(&firstKind) {
            guard kind == "OnDemand" else {
              try s.skip()
              continue
            }
            try s.beginObject()
            var firstSKU = true
            while let (sku, _) = try s.nextKey(&firstSKU) {
              guard let w = wanted[sku] else {
                try s.skip()
                continue
              }
              let termsAt = s.offset
              let terms = try s.value()
              try collect(terms, termsAt: termsAt, sku: sku, item: w, into: &found)
            }
          }
        default: try s.skip()
        }
      }
    }
    guard let code else { throw ScenarioError(.missingKey("offerCode"), "not an AWS Price List offer file: it has no 'offerCode'", at: at(0)) }
    if wanted.isEmpty, let other = otherRegion {
      throw ScenarioError(
        .invalidValue(key: "location"), "this offer file prices \(other.name), not \(region): its products are for another Region",
        at: at(other.offset))
    }
    return (code, version, published)
  }

  /// Takes one SKU's on-demand price dimensions, checking each unit against what the item is priced in.
  private static func collect(
    _ terms: JSONStream.Value, termsAt: Int, sku: String, item: Item, into found: inout Found
  ) throws(JSONStream.Failure) {
    var dims: [(begin: Decimal, end: Decimal?, price: Decimal)] = []
    for (_, term) in terms.members.sorted(by: { $0.key < $1.key }) {
      guard let pd = term["priceDimensions"] else { continue }
      for (_, d) in pd.members.sorted(by: { $0.key < $1.key }) {
        let offset = d.offset(of: "unit") ?? termsAt
        let unit = d["unit"]?.string ?? ""
        guard unit.caseInsensitiveCompare(item.unit) == .orderedSame else {
          throw JSONStream.Failure(
            message: "SKU \(sku) prices \(item.name) in '\(unit)', a unit backupsim does not know for it (expected '\(item.unit)')",
            offset: offset)
        }
        guard let usd = d["pricePerUnit"]?["USD"]?.string, let price = Money(exactly: usd)?.amount, price >= 0 else {
          throw JSONStream.Failure(
            message: "SKU \(sku): 'pricePerUnit.USD' must be a price in dollars", offset: d.offset(of: "pricePerUnit") ?? termsAt)
        }
        let begin = d["beginRange"]?.string.flatMap { Money(exactly: $0)?.amount } ?? 0
        let endText = d["endRange"]?.string ?? "Inf"
        let end = endText == "Inf" ? nil : Money(exactly: endText)?.amount
        dims.append((begin, end, price))
      }
    }
    dims.sort { $0.begin < $1.begin }
    guard !dims.isEmpty else { return }
    if let earlier = found.prices[item] {
      let same = earlier.dimensions.count == dims.count && zip(earlier.dimensions, dims).allSatisfy { $0.price == $1.price && $0.end == $1.end }
      guard same else {
        throw JSONStream.Failure(
          message: "SKU \(sku) prices \(item.name) differently from SKU \(earlier.sku); backupsim cannot tell which applies",
          offset: termsAt)
      }
      return
    }
    found.prices[item] = Found.Price(dimensions: dims, sku: sku)
  }
}
