import BackupSimInput
import BackupSimModel
import Foundation
import Testing

/// `backupsim prices import`: the AWS Price List offer files of Amazon S3 to a pricing YAML.
///
/// The fixtures in `Fixtures/` are small offer files in the published shape (products by SKU with
/// `productFamily` and `attributes`; `terms.OnDemand` by SKU with `priceDimensions`), written for these tests
/// with us-east-1's prices, plus SKUs backupsim does not read (data transfer, tags).
struct OfferImportTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  static let s3Path = "AmazonS3-us-east-1.json"
  static let deepArchivePath = "AmazonS3GlacierDeepArchive-us-east-1.json"

  static func fixture(_ name: String) throws -> String {
    try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
  }

  static func importing(_ texts: [(String, String)], region: String = "us-east-1") throws(ScenarioErrors) -> OfferImport {
    try OfferImporter.importOffers(texts.map { ($0.0, Array($0.1.utf8)) }, region: region)
  }

  /// The YAML decoded as a scenario's `pricing:` file would be, with the warnings the run would print.
  static func decode(_ yaml: String) throws -> (PriceTable, [String]) {
    let node = try ConfigNode.parseYAML(yaml, file: "imported.yaml")
    var reader = NodeReader()
    let table = try #require(PricingDecoder.decode(node, reader: &reader))
    #expect(reader.errors.isEmpty, "\(reader.errors)")
    return (table, reader.warnings.map(\.message))
  }

  static let itExpedited = "INTELLIGENT_TIERING Archive Access Expedited restore (the usage type that prices it is not documented)"

  /// Importing both us-east-1 fixtures gives the built-in us-east-1 table, price for price.
  ///
  /// Line by line (offer figure per request ×1,000 where the table is per 1,000):
  /// STANDARD 0.023/0.022/0.021 up to 51,200 and 512,000 GB, PUT 0.000005 → 0.005, GET 0.0000004 → 0.0004;
  /// INTELLIGENT_TIERING the same bands, transition 0.00001 → 0.01; STANDARD_IA 0.0125, PUT/transition 0.01, GET 0.001,
  /// retrieval $0.01/GB; ONEZONE_IA 0.01 and the same; GLACIER_IR 0.004, PUT/transition 0.02, GET 0.01, $0.03/GB;
  /// GLACIER 0.0036, PUT/transition 0.03, GET 0.0004, Expedited $0.03/GB + 0.01 → 10 per 1,000, Standard $0.01/GB +
  /// 0.00005 → 0.05, Bulk 0 + 0; DEEP_ARCHIVE 0.00099, PUT/transition 0.00005 → 0.05, GET 0.0004, Standard
  /// $0.02/GB + 0.0001 → 0.1, Bulk $0.0025/GB + 0.000025 → 0.025; Intelligent-Tiering tiers 0.0125 / 0.004 /
  /// 0.0036 / 0.00099 and monitoring 0.0000025 per object → 0.0025 per 1,000. Minimum days 0/0/30/30/90/90/180
  /// and restore hours come from the class rules. Only the Archive Access Expedited restore is not found.
  @Test func usEast1OfferEqualsTheBuiltInTable() throws {
    let result = try Self.importing([(Self.s3Path, try Self.fixture(Self.s3Path)), (Self.deepArchivePath, try Self.fixture(Self.deepArchivePath))])
    #expect(result.missing == [Self.itExpedited])
    let (table, warnings) = try Self.decode(result.yaml)
    #expect(warnings.isEmpty, "\(warnings)")
    #expect(table.region == "us-east-1" && table.asOf == "2024-11-01")
    for c in StorageClass.allCases {
      #expect(table[c] == PriceTable.usEast1[c], "\(c)")
    }
    var it = try #require(table.intelligentTiering)
    let builtIn = try #require(PriceTable.usEast1.intelligentTiering)
    #expect(it.expedited == builtIn.expedited)  // not in the offer: kept from the built-in table
    it.expedited = builtIn.expedited
    #expect(it == builtIn)
    #expect(result.yaml.contains("#   - \(Self.itExpedited)"))
  }

  /// Without the Deep Archive offer file, every DEEP_ARCHIVE price is named as missing, and the run fills them
  /// from the built-in table and says so.
  @Test func withoutTheDeepArchiveOfferItsPricesAreNamed() throws {
    let result = try Self.importing([(Self.s3Path, try Self.fixture(Self.s3Path))])
    #expect(
      result.missing == [
        "every DEEP_ARCHIVE price (AWS publishes them in the AmazonS3GlacierDeepArchive offer file: give that file too)", Self.itExpedited,
      ])
    let (table, warnings) = try Self.decode(result.yaml)
    #expect(table.fromBuiltIn[.deepArchive] == ["storage", "put", "get", "transition", "retrieval"])
    #expect(warnings.count == 1 && warnings[0].contains("every price of DEEP_ARCHIVE"))
  }

  /// An offer of another Region (usage types prefixed EUC1-, location EU (Frankfurt)) is read for that Region.
  @Test func regionPrefixesAreTakenOff() throws {
    let eu = try Self.fixture(Self.s3Path)
      .replacingOccurrences(of: "US East (N. Virginia)", with: "EU (Frankfurt)")
      .replacingOccurrences(of: "\"regionCode\": \"us-east-1\"", with: "\"regionCode\": \"eu-central-1\"")
      .replacingOccurrences(of: "\"usagetype\": \"", with: "\"usagetype\": \"EUC1-")
      .replacingOccurrences(of: "\"USD\": \"0.0230000000\"", with: "\"USD\": \"0.0245000000\"")
    let result = try Self.importing([("eu.json", eu)], region: "eu-central-1")
    let (table, _) = try Self.decode(result.yaml)
    #expect(table.region == "eu-central-1")
    #expect(table[.standard].storage.first?.pricePerGBMonth == Decimal(string: "0.0245"))
    #expect(table[.glacier].retrieval[.standard]?.perThousandRequests == Decimal(string: "0.05"))
    // The same file asked for us-east-1 is refused: its products are for eu-central-1.
    #expect(throws: ScenarioErrors.self) { try Self.importing([("eu.json", eu)]) }
  }

  /// Bad input is an error at the place it is, and nothing is imported.
  @Test func badInputIsLocated() throws {
    let s3 = try Self.fixture(Self.s3Path)
    func errors(_ text: String, region: String = "us-east-1") -> [String] {
      do {
        _ = try Self.importing([("offer.json", text)], region: region)
        return []
      } catch { return error.errors.map(\.description) }
    }
    // Another Region: the first product names it (line 8, column 25: the product's opening brace).
    #expect(
      errors(s3, region: "eu-central-1") == [
        "offer.json:8:25: error: this offer file prices us-east-1, not eu-central-1: its products are for another Region"
      ])
    // Another service.
    #expect(
      errors(s3.replacingOccurrences(of: "\"offerCode\": \"AmazonS3\"", with: "\"offerCode\": \"AmazonEC2\"")) == [
        "offer.json:4:16: error: this is the offer file of 'AmazonEC2', not of Amazon S3 (offerCode AmazonS3 or AmazonS3GlacierDeepArchive)"
      ])
    // A unit backupsim does not know for the item: the first Requests dimension turned into hours.
    let hours = try #require(s3.range(of: "\"unit\": \"Requests\""))
    let badUnit = s3.replacingCharacters(in: hours, with: "\"unit\": \"Hrs\"")
    let line = badUnit[..<hours.lowerBound].filter { $0 == "\n" }.count + 1
    let e = errors(badUnit)
    #expect(e.count == 1)
    #expect(e.first?.hasPrefix("offer.json:\(line):") == true)
    #expect(e.first?.contains("in 'Hrs', a unit backupsim does not know for it (expected 'Requests')") == true)
    // Not JSON at all.
    #expect(
      errors("{\"offerCode\": \"AmazonS3\",\n  \"products\": {\"A\": [1, 2}}") == [
        "offer.json:2:26: error: not valid JSON: expected ',' or ']', found '}'"
      ])
  }

  /// A Requests-Tier4 SKU whose attributes do not name the class it transitions into is named, not guessed.
  @Test func anAmbiguousTransitionIsNamed() throws {
    let s3 = try Self.fixture(Self.s3Path).replacingOccurrences(
      of: "Lifecycle Transition Requests into One Zone Infrequent Access", with: "Lifecycle Transition Requests")
    let result = try Self.importing([(Self.s3Path, s3)])
    #expect(result.missing.contains("ONEZONE_IA transition"))
    #expect(
      result.missing.contains {
        $0.hasSuffix(
          "(Requests-Tier4): its attributes do not say whether it prices a lifecycle transition into STANDARD_IA, ONEZONE_IA, GLACIER_IR or INTELLIGENT_TIERING"
        )
      })
    #expect(!result.yaml.contains("ONEZONE_IA:\n    storage: 0.01\n    put: 0.01\n    get: 0.001\n    transition"))
  }
}
