import Foundation

/// INTELLIGENT_TIERING's prices beyond its Frequent Access tier (docs/s3-rules.md §3.2).
///
/// Frequent Access is billed with the class's own storage bands (`ClassPrices.storage`), the same as STANDARD's.
public struct IntelligentTieringPrices: Equatable, Sendable {
  public var infrequentAccess: Decimal
  public var archiveInstantAccess: Decimal
  public var archiveAccess: Decimal
  public var deepArchiveAccess: Decimal
  /// The monitoring and automation fee, per 1,000 monitored objects (128 KiB and larger) per month.
  public var monitoringPerThousandObjects: Decimal
  /// An Expedited restore from the Archive Access tier; Standard and Bulk restores from the archive tiers are free.
  public var expedited: ClassPrices.Retrieval

  public init(
    infrequentAccess: Decimal, archiveInstantAccess: Decimal, archiveAccess: Decimal, deepArchiveAccess: Decimal,
    monitoringPerThousandObjects: Decimal, expedited: ClassPrices.Retrieval
  ) {
    self.infrequentAccess = infrequentAccess
    self.archiveInstantAccess = archiveInstantAccess
    self.archiveAccess = archiveAccess
    self.deepArchiveAccess = deepArchiveAccess
    self.monitoringPerThousandObjects = monitoringPerThousandObjects
    self.expedited = expedited
  }
}

extension PriceTable {
  /// Where the regional tables come from.
  ///
  /// The AWS S3 pricing page renders its figures from a public price feed
  /// (b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/s3/USD/current/*.json and
  /// .../s3glacierdeeparchive/USD/current/s3glacierdeeparchive.json). That feed could not be fetched from here;
  /// its values for every region as captured on 2024-09-25 are kept in the public repository
  /// StephenWetzel/aws_s3_pricing_scraper (outputs/*_2024-09-25T20_02_3*.csv, commit 1466b742), and that capture
  /// is what these tables hold. Its us-east-1 rows equal the us-east-1 table read in 2026 item for item (a test
  /// checks it), which suggests the capture still held then; the other regions were not re-read since.
  public static let regionalSource =
    "Amazon S3 pricing page price feed (meteredUnitMaps s3 and s3glacierdeeparchive), as captured on 2024-09-25 "
    + "in github.com/StephenWetzel/aws_s3_pricing_scraper outputs/ (commit 1466b742)"

  /// The built-in tables of the large regions other than us-east-1.
  static let regionalTables: [PriceTable] = [
    usEast2, usWest1, usWest2, euWest1, euWest2, euCentral1, apSoutheast1, apSoutheast2, apNortheast1,
  ]

  /// GLACIER's figures for one region, per GB and per 1,000 requests (a restore tier is `(perGB, perThousand)`).
  struct GlacierFigures {
    var storage: String, put: String, get: String, transition: String
    var expedited: (String, String), standard: (String, String), bulk: (String, String)
  }

  /// DEEP_ARCHIVE's figures for one region (the feed gives no GET price for it: see `regional`).
  struct DeepArchiveFigures {
    var storage: String, put: String, transition: String
    var standard: (String, String), bulk: (String, String)
  }

  /// INTELLIGENT_TIERING's figures for one region.
  struct IntelligentTieringFigures {
    var frequent: [String], infrequent: String, archiveInstant: String, archive: String, deepArchive: String
    var monitoringPerThousand: String, put: String, get: String, transition: String
    var expedited: (String, String)
  }

  /// Builds one region's table from the feed's figures.
  ///
  /// STANDARD_IA, ONEZONE_IA and GLACIER_IR request, transition and retrieval prices are the same in every
  /// one of these regions in the feed (0.01 / 0.001 / 0.01 / $0.01 per GB for the IA classes, 0.02 / 0.01 /
  /// 0.02 / $0.03 per GB for GLACIER_IR), so they are written once here. Restore times and minimum durations
  /// are rules of the class, not prices, and are the same everywhere.
  static func regional(
    _ region: String, standard: [String], standardPut: String, standardGet: String, standardIA: String, oneZoneIA: String,
    glacierIR: String, glacier g: GlacierFigures, deepArchive a: DeepArchiveFigures, intelligentTiering it: IntelligentTieringFigures
  ) -> PriceTable {
    func d(_ s: String) -> Decimal {
      guard let v = Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) else { preconditionFailure(s) }
      return v
    }
    func bands(_ p: [String]) -> [ClassPrices.Band] {
      [
        .init(upToGB: 51_200, pricePerGBMonth: d(p[0])), .init(upToGB: 512_000, pricePerGBMonth: d(p[1])),
        .init(upToGB: nil, pricePerGBMonth: d(p[2])),
      ]
    }
    func flat(_ p: String) -> [ClassPrices.Band] { [.init(upToGB: nil, pricePerGBMonth: d(p))] }
    func r(_ t: (String, String), _ hours: String) -> ClassPrices.Retrieval { .init(perGB: d(t.0), perThousandRequests: d(t.1), hours: d(hours)) }
    func ia(_ storage: String, minimumDays: Int = 30) -> ClassPrices {
      ClassPrices(
        storage: flat(storage), putPerThousand: d("0.01"), getPerThousand: d("0.001"), transitionPerThousand: d("0.01"),
        minimumDays: minimumDays, retrieval: [.instant: r(("0.01", "0.001"), "0")])
    }
    var table = PriceTable(
      region: region, asOf: "2024-09-25", source: regionalSource,
      classes: [
        .standard: ClassPrices(
          storage: bands(standard), putPerThousand: d(standardPut), getPerThousand: d(standardGet), transitionPerThousand: nil,
          minimumDays: 0, retrieval: [.instant: r(("0", standardGet), "0")]),
        .intelligentTiering: ClassPrices(
          storage: bands(it.frequent), putPerThousand: d(it.put), getPerThousand: d(it.get), transitionPerThousand: d(it.transition),
          minimumDays: 0, retrieval: [.instant: r(("0", it.get), "0")]),
        .standardIA: ia(standardIA),
        .oneZoneIA: ia(oneZoneIA),
        .glacierIR: ClassPrices(
          storage: flat(glacierIR), putPerThousand: d("0.02"), getPerThousand: d("0.01"), transitionPerThousand: d("0.02"),
          minimumDays: 90, retrieval: [.instant: r(("0.03", "0.01"), "0")]),
        .glacier: ClassPrices(
          storage: flat(g.storage), putPerThousand: d(g.put), getPerThousand: d(g.get), transitionPerThousand: d(g.transition),
          minimumDays: 90, retrieval: [.expedited: r(g.expedited, "0.0833333333"), .standard: r(g.standard, "5"), .bulk: r(g.bulk, "12")]),
        // The feed has no GET row for DEEP_ARCHIVE; GLACIER's GET price stands in (they are equal in us-east-1).
        .deepArchive: ClassPrices(
          storage: flat(a.storage), putPerThousand: d(a.put), getPerThousand: d(g.get), transitionPerThousand: d(a.transition),
          minimumDays: 180, retrieval: [.standard: r(a.standard, "12"), .bulk: r(a.bulk, "48")]),
      ])
    table.intelligentTiering = IntelligentTieringPrices(
      infrequentAccess: d(it.infrequent), archiveInstantAccess: d(it.archiveInstant), archiveAccess: d(it.archive),
      deepArchiveAccess: d(it.deepArchive), monitoringPerThousandObjects: d(it.monitoringPerThousand),
      expedited: r(it.expedited, "0.0833333333"))
    table.notes = [
      "DEEP_ARCHIVE GET: the price feed has no GET row for DEEP_ARCHIVE; GLACIER's GET price for \(region) is used "
        + "(the two are equal in us-east-1)."
    ]
    return table
  }

  /// us-east-1: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let feedUsEast1 = regional(
    "us-east-1",
    standard: ["0.023", "0.022", "0.021"], standardPut: "0.005", standardGet: "0.0004",
    standardIA: "0.0125", oneZoneIA: "0.01", glacierIR: "0.004",
    glacier: .init(
      storage: "0.0036", put: "0.03", get: "0.0004", transition: "0.03",
      expedited: ("0.03", "10"), standard: ("0.01", "0.05"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.00099", put: "0.05", transition: "0.05", standard: ("0.02", "0.1"), bulk: ("0.0025", "0.025")),
    intelligentTiering: .init(
      frequent: ["0.023", "0.022", "0.021"], infrequent: "0.0125", archiveInstant: "0.004", archive: "0.0036",
      deepArchive: "0.00099", monitoringPerThousand: "0.0025", put: "0.005", get: "0.0004", transition: "0.01",
      expedited: ("0.03", "10")))

  /// us-east-2: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let usEast2 = regional(
    "us-east-2",
    standard: ["0.023", "0.022", "0.021"], standardPut: "0.005", standardGet: "0.0004",
    standardIA: "0.0125", oneZoneIA: "0.01", glacierIR: "0.004",
    glacier: .init(
      storage: "0.0036", put: "0.03", get: "0.0004", transition: "0.03",
      expedited: ("0.03", "10"), standard: ("0.01", "0.05"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.00099", put: "0.05", transition: "0.05", standard: ("0.02", "0.1"), bulk: ("0.0025", "0.025")),
    intelligentTiering: .init(
      frequent: ["0.023", "0.022", "0.021"], infrequent: "0.0125", archiveInstant: "0.004", archive: "0.0036",
      deepArchive: "0.00099", monitoringPerThousand: "0.0025", put: "0.005", get: "0.0004", transition: "0.01",
      expedited: ("0.03", "10")))

  /// us-west-1: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let usWest1 = regional(
    "us-west-1",
    standard: ["0.026", "0.025", "0.024"], standardPut: "0.0055", standardGet: "0.00044",
    standardIA: "0.0144", oneZoneIA: "0.0115", glacierIR: "0.005",
    glacier: .init(
      storage: "0.0045", put: "0.033", get: "0.00044", transition: "0.033",
      expedited: ("0.033", "11"), standard: ("0.011", "0.055"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.002", put: "0.06", transition: "0.06", standard: ("0.022", "0.11"), bulk: ("0.0035", "0.0275")),
    intelligentTiering: .init(
      frequent: ["0.026", "0.025", "0.024"], infrequent: "0.0144", archiveInstant: "0.005", archive: "0.0045",
      deepArchive: "0.002", monitoringPerThousand: "0.0025", put: "0.0055", get: "0.00044", transition: "0.01",
      expedited: ("0.033", "11")))

  /// us-west-2: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let usWest2 = regional(
    "us-west-2",
    standard: ["0.023", "0.022", "0.021"], standardPut: "0.005", standardGet: "0.0004",
    standardIA: "0.0125", oneZoneIA: "0.01", glacierIR: "0.004",
    glacier: .init(
      storage: "0.0036", put: "0.03", get: "0.0004", transition: "0.03",
      expedited: ("0.03", "10"), standard: ("0.01", "0.05"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.00099", put: "0.05", transition: "0.05", standard: ("0.02", "0.1"), bulk: ("0.0025", "0.025")),
    intelligentTiering: .init(
      frequent: ["0.023", "0.022", "0.021"], infrequent: "0.0125", archiveInstant: "0.004", archive: "0.0036",
      deepArchive: "0.00099", monitoringPerThousand: "0.0025", put: "0.005", get: "0.0004", transition: "0.01",
      expedited: ("0.03", "10")))

  /// eu-west-1: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let euWest1 = regional(
    "eu-west-1",
    standard: ["0.023", "0.022", "0.021"], standardPut: "0.005", standardGet: "0.0004",
    standardIA: "0.0125", oneZoneIA: "0.01", glacierIR: "0.004",
    glacier: .init(
      storage: "0.0036", put: "0.033", get: "0.0004", transition: "0.033",
      expedited: ("0.03", "11"), standard: ("0.01", "0.055"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.00099", put: "0.055", transition: "0.055", standard: ("0.02", "0.11"), bulk: ("0.003", "0.025")),
    intelligentTiering: .init(
      frequent: ["0.023", "0.022", "0.021"], infrequent: "0.0125", archiveInstant: "0.004", archive: "0.0036",
      deepArchive: "0.00099", monitoringPerThousand: "0.0025", put: "0.005", get: "0.0004", transition: "0.01",
      expedited: ("0.03", "11")))

  /// eu-west-2: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let euWest2 = regional(
    "eu-west-2",
    standard: ["0.024", "0.023", "0.022"], standardPut: "0.0053", standardGet: "0.00042",
    standardIA: "0.0131", oneZoneIA: "0.01048", glacierIR: "0.005",
    glacier: .init(
      storage: "0.00405", put: "0.0318", get: "0.00042", transition: "0.0318",
      expedited: ("0.0315", "10.5"), standard: ("0.0105", "0.053"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.0018", put: "0.06", transition: "0.06", standard: ("0.021", "0.106"), bulk: ("0.005", "0.026")),
    intelligentTiering: .init(
      frequent: ["0.024", "0.023", "0.022"], infrequent: "0.0131", archiveInstant: "0.005", archive: "0.00405",
      deepArchive: "0.0018", monitoringPerThousand: "0.0025", put: "0.0053", get: "0.00042", transition: "0.01",
      expedited: ("0.0315", "10.5")))

  /// eu-central-1: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let euCentral1 = regional(
    "eu-central-1",
    standard: ["0.0245", "0.0235", "0.0225"], standardPut: "0.0054", standardGet: "0.00043",
    standardIA: "0.0135", oneZoneIA: "0.0108", glacierIR: "0.005",
    glacier: .init(
      storage: "0.00405", put: "0.036", get: "0.00043", transition: "0.036",
      expedited: ("0.036", "12"), standard: ("0.012", "0.06"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.0018", put: "0.06", transition: "0.06", standard: ("0.024", "0.12"), bulk: ("0.005", "0.03")),
    intelligentTiering: .init(
      frequent: ["0.0245", "0.0235", "0.0225"], infrequent: "0.0135", archiveInstant: "0.005", archive: "0.00405",
      deepArchive: "0.0018", monitoringPerThousand: "0.0025", put: "0.0054", get: "0.00043", transition: "0.01",
      expedited: ("0.036", "12")))

  /// ap-southeast-1: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let apSoutheast1 = regional(
    "ap-southeast-1",
    standard: ["0.025", "0.024", "0.023"], standardPut: "0.005", standardGet: "0.0004",
    standardIA: "0.0138", oneZoneIA: "0.011", glacierIR: "0.005",
    glacier: .init(
      storage: "0.0045", put: "0.036", get: "0.0004", transition: "0.036",
      expedited: ("0.036", "12"), standard: ("0.012", "0.06"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.002", put: "0.06", transition: "0.06", standard: ("0.024", "0.12"), bulk: ("0.005", "0.03")),
    intelligentTiering: .init(
      frequent: ["0.025", "0.024", "0.023"], infrequent: "0.0138", archiveInstant: "0.005", archive: "0.0045",
      deepArchive: "0.002", monitoringPerThousand: "0.0025", put: "0.005", get: "0.0004", transition: "0.01",
      expedited: ("0.036", "12")))

  /// ap-southeast-2: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let apSoutheast2 = regional(
    "ap-southeast-2",
    standard: ["0.025", "0.024", "0.023"], standardPut: "0.0055", standardGet: "0.00044",
    standardIA: "0.0138", oneZoneIA: "0.011", glacierIR: "0.005",
    glacier: .init(
      storage: "0.0045", put: "0.036", get: "0.00044", transition: "0.036",
      expedited: ("0.036", "12"), standard: ("0.012", "0.06"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.002", put: "0.06", transition: "0.06", standard: ("0.024", "0.12"), bulk: ("0.005", "0.03")),
    intelligentTiering: .init(
      frequent: ["0.025", "0.024", "0.023"], infrequent: "0.0138", archiveInstant: "0.005", archive: "0.0045",
      deepArchive: "0.002", monitoringPerThousand: "0.0025", put: "0.0055", get: "0.00044", transition: "0.01",
      expedited: ("0.036", "12")))

  /// ap-northeast-1: the S3 pricing page's price feed as captured on 2024-09-25 (see `regionalSource`).
  static let apNortheast1 = regional(
    "ap-northeast-1",
    standard: ["0.025", "0.024", "0.023"], standardPut: "0.0047", standardGet: "0.00037",
    standardIA: "0.0138", oneZoneIA: "0.011", glacierIR: "0.005",
    glacier: .init(
      storage: "0.0045", put: "0.03426", get: "0.00037", transition: "0.03426",
      expedited: ("0.033", "11"), standard: ("0.011", "0.0571"), bulk: ("0", "0")),
    deepArchive: .init(
      storage: "0.002", put: "0.065", transition: "0.065", standard: ("0.022", "0.1142"), bulk: ("0.005", "0.025")),
    intelligentTiering: .init(
      frequent: ["0.025", "0.024", "0.023"], infrequent: "0.0138", archiveInstant: "0.005", archive: "0.0045",
      deepArchive: "0.002", monitoringPerThousand: "0.0025", put: "0.0047", get: "0.00037", transition: "0.01",
      expedited: ("0.033", "11")))
}
