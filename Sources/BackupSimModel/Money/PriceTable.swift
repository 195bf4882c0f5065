import Foundation

/// A retrieval speed for reading archived or infrequent-access data back (docs/s3-rules.md §3.1).
public enum RetrievalTier: String, CaseIterable, Comparable, Sendable {
  case instant = "Instant"
  case expedited = "Expedited"
  case standard = "Standard"
  case bulk = "Bulk"

  public static func < (a: RetrievalTier, b: RetrievalTier) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }
}

/// Prices and billing rules of one storage class.
public struct ClassPrices: Equatable, Sendable {
  /// A storage price band: the price applies to GB-months up to `upToGB` (nil = no limit).
  public struct Band: Equatable, Sendable {
    public var upToGB: Decimal?
    public var pricePerGBMonth: Decimal
    public init(upToGB: Decimal?, pricePerGBMonth: Decimal) {
      self.upToGB = upToGB
      self.pricePerGBMonth = pricePerGBMonth
    }
  }

  /// What one retrieval tier costs and how long it takes.
  public struct Retrieval: Equatable, Sendable {
    public var perGB: Decimal
    public var perThousandRequests: Decimal
    /// Documented upper bound of the restore time.
    public var hours: Decimal
    public init(perGB: Decimal, perThousandRequests: Decimal, hours: Decimal) {
      self.perGB = perGB
      self.perThousandRequests = perThousandRequests
      self.hours = hours
    }
  }

  public var storage: [Band]
  public var putPerThousand: Decimal
  public var getPerThousand: Decimal
  /// Lifecycle transition requests into this class, per 1,000 objects (nil: not a target).
  public var transitionPerThousand: Decimal?
  public var minimumDays: Int
  public var retrieval: [RetrievalTier: Retrieval]

  public init(
    storage: [Band], putPerThousand: Decimal, getPerThousand: Decimal, transitionPerThousand: Decimal?,
    minimumDays: Int, retrieval: [RetrievalTier: Retrieval]
  ) {
    self.storage = storage
    self.putPerThousand = putPerThousand
    self.getPerThousand = getPerThousand
    self.transitionPerThousand = transitionPerThousand
    self.minimumDays = minimumDays
    self.retrieval = retrieval
  }

  /// The first band's price: what early-deletion charges use.
  public var basePrice: Decimal { storage.first?.pricePerGBMonth ?? 0 }

  /// The cost of `gbMonths` in one calendar month, band by band (tiers use 1 TB = 1,024 GB).
  public func storageCost(gbMonths: Decimal) -> Decimal {
    var remaining = gbMonths
    var floor: Decimal = 0
    var cost: Decimal = 0
    for band in storage where remaining > 0 {
      let width = band.upToGB.map { $0 - floor } ?? remaining
      let used = min(width, remaining)
      cost += used * band.pricePerGBMonth
      remaining -= used
      floor = band.upToGB ?? floor
    }
    return cost
  }
}

/// Every price the simulator needs, for one region, with the date they were read.
public struct PriceTable: Equatable, Sendable {
  public var region: String
  /// When these prices were read, for example "2026-06-30".
  public var asOf: String
  public var source: String
  public var classes: [StorageClass: ClassPrices]
  /// The prices a pricing file left out, which are the built-in ones of its region (else us-east-1's), by class.
  ///
  /// Items: "storage", "put", "get", "transition", "retrieval". Empty for a built-in table.
  public var fromBuiltIn: [StorageClass: [String]] = [:]
  /// INTELLIGENT_TIERING's access tiers and monitoring fee (its Frequent Access tier is `classes[.intelligentTiering].storage`).
  public var intelligentTiering: IntelligentTieringPrices?
  /// What the table's source did not give and how the gap was filled, one sentence each (shown in the reports).
  public var notes: [String] = []

  /// The price names `fromBuiltIn` uses, in the order reports list them (minimumDays is a rule of
  /// the class, the same in every region, so it is not one of them).
  public static let itemNames = ["storage", "put", "get", "transition", "retrieval"]

  /// S3 Replication to another region: data transfer out per GB replicated (docs/s3-rules.md §10.3).
  ///
  /// $0.02 for most US and EU region pairs; one price for every pair here.
  public var interRegionTransferPerGB: Decimal = Decimal(2) / 100
  /// S3 Replication Time Control, per GB replicated by a rule with ReplicationTime Enabled.
  public var replicationTimeControlPerGB: Decimal = Decimal(15) / 1000

  /// Whether `item` of class `c` is a built-in price rather than the pricing file's.
  public func isFromBuiltIn(_ c: StorageClass, _ item: String) -> Bool { fromBuiltIn[c]?.contains(item) ?? false }

  public init(region: String, asOf: String, source: String, classes: [StorageClass: ClassPrices]) {
    self.region = region
    self.asOf = asOf
    self.source = source
    self.classes = classes
  }

  public subscript(_ c: StorageClass) -> ClassPrices {
    guard let p = classes[c] else { preconditionFailure("price table lacks \(c)") }
    return p
  }

  /// The built-in tables by region, for `pricing: REGION`; a region's prices are one entry here.
  public static let builtIn: [String: PriceTable] = Dictionary(
    uniqueKeysWithValues: ([usEast1] + regionalTables).map { ($0.region, $0) })

  /// us-east-1 list prices (docs/s3-rules.md §3.1, from pages dated May–June 2026).
  public static let usEast1: PriceTable = {
    func d(_ s: String) -> Decimal {
      guard let v = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) else { preconditionFailure(s) }
      return v
    }
    func flat(_ p: String) -> [ClassPrices.Band] { [.init(upToGB: nil, pricePerGBMonth: d(p))] }
    let standardBands: [ClassPrices.Band] = [
      .init(upToGB: 51_200, pricePerGBMonth: d("0.023")),
      .init(upToGB: 512_000, pricePerGBMonth: d("0.022")),
      .init(upToGB: nil, pricePerGBMonth: d("0.021")),
    ]
    func r(_ gb: String, _ req: String, _ hours: String) -> ClassPrices.Retrieval {
      .init(perGB: d(gb), perThousandRequests: d(req), hours: d(hours))
    }
    var table = PriceTable(
      region: "us-east-1", asOf: "2026-06-30",
      source: "Amazon S3 list prices, us-east-1, as recorded in docs/s3-rules.md §3.1 (pages read May–June 2026)",
      classes: [
        .standard: ClassPrices(
          storage: standardBands, putPerThousand: d("0.005"), getPerThousand: d("0.0004"),
          transitionPerThousand: nil, minimumDays: 0, retrieval: [.instant: r("0", "0.0004", "0")]),
        .intelligentTiering: ClassPrices(
          storage: standardBands, putPerThousand: d("0.005"), getPerThousand: d("0.0004"),
          transitionPerThousand: d("0.01"), minimumDays: 0, retrieval: [.instant: r("0", "0.0004", "0")]),
        .standardIA: ClassPrices(
          storage: flat("0.0125"), putPerThousand: d("0.01"), getPerThousand: d("0.001"),
          transitionPerThousand: d("0.01"), minimumDays: 30, retrieval: [.instant: r("0.01", "0.001", "0")]),
        .oneZoneIA: ClassPrices(
          storage: flat("0.01"), putPerThousand: d("0.01"), getPerThousand: d("0.001"),
          transitionPerThousand: d("0.01"), minimumDays: 30, retrieval: [.instant: r("0.01", "0.001", "0")]),
        .glacierIR: ClassPrices(
          storage: flat("0.004"), putPerThousand: d("0.02"), getPerThousand: d("0.01"),
          transitionPerThousand: d("0.02"), minimumDays: 90, retrieval: [.instant: r("0.03", "0.01", "0")]),
        .glacier: ClassPrices(
          storage: flat("0.0036"), putPerThousand: d("0.03"), getPerThousand: d("0.0004"),
          transitionPerThousand: d("0.03"), minimumDays: 90,
          retrieval: [.expedited: r("0.03", "10.00", "0.0833333333"), .standard: r("0.01", "0.05", "5"), .bulk: r("0", "0", "12")]),
        .deepArchive: ClassPrices(
          storage: flat("0.00099"), putPerThousand: d("0.05"), getPerThousand: d("0.0004"),
          transitionPerThousand: d("0.05"), minimumDays: 180,
          retrieval: [.standard: r("0.02", "0.10", "12"), .bulk: r("0.0025", "0.025", "48")]),
      ])
    // The S3 pricing page's Intelligent-Tiering rows for us-east-1 (docs/s3-rules.md §3.1).
    table.intelligentTiering = IntelligentTieringPrices(
      infrequentAccess: d("0.0125"), archiveInstantAccess: d("0.004"), archiveAccess: d("0.0036"), deepArchiveAccess: d("0.00099"),
      monitoringPerThousandObjects: d("0.0025"), expedited: r("0.03", "10.00", "0.0833333333"))
    return table
  }()
}
