import BackupSimModel

extension ScenarioLoader {
  /// Lets the bucket's Region choose the prices when the scenario names none, and warns when the two disagree.
  ///
  /// A bucket in a Region without built-in prices and no `pricing:` is priced as us-east-1 with a warning that
  /// says so: a bill in the wrong Region must not pass unnoticed.
  /// Each other bucket is priced as its own region is, from the built-in tables, unless `pricing`
  /// names a file: a table written for one bucket then prices them all. Says which in the notes.
  static func pricesForOtherBuckets(
    _ buckets: [BucketConfig], prices: inout PriceTable, pricing: ConfigNode?, reader: inout NodeReader
  ) -> [String: PriceTable] {
    let fromFile = pricing.flatMap { $0.scalar }.map { PriceTable.builtIn[$0] == nil } ?? false
    var out: [String: PriceTable] = [:]
    for b in buckets {
      guard let region = b.region, region != prices.region else { continue }
      if !fromFile, let table = PriceTable.builtIn[region] {
        out[b.name] = table
        prices.notes.append("Bucket \(b.name) is priced with the built-in \(region) table (\(table.asOf)).")
      } else {
        prices.notes.append(
          "Bucket \(b.name) is in \(region) but priced with the \(prices.region) table: \(fromFile ? "the pricing file prices every bucket" : "no built-in table for \(region)")."
        )
      }
    }
    return out
  }

  static func pricesForRegion(_ prices: inout PriceTable, bucket: BucketConfig, pricing: ConfigNode?, reader: inout NodeReader) {
    guard let region = bucket.region else { return }
    if pricing == nil {
      if let table = PriceTable.builtIn[region] {
        prices = table
      } else {
        let known = PriceTable.builtIn.keys.sorted().joined(separator: ", ")
        reader.warnings.append(
          ScenarioError(
            .invalidValue(key: "pricing"),
            "no built-in prices for the bucket's region '\(region)' (built in: \(known)), so it is priced as \(prices.region); "
              + "give 'pricing:' a pricing file for \(region)", at: nil))
      }
    } else if prices.region != region, let node = pricing {
      reader.warnings.append(
        ScenarioError(
          .invalidValue(key: "pricing"), "the bucket is in \(region) but 'pricing' gives \(prices.region) prices", at: node.location))
    }
  }
}
