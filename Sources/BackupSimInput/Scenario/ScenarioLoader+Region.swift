import BackupSimModel

extension ScenarioLoader {
  /// Lets the bucket's Region choose the prices when the scenario names none, and warns when the two disagree.
  ///
  /// A bucket in a Region without built-in prices and no `pricing:` is priced as us-east-1 with a warning that
  /// says so: a bill in the wrong Region must not pass unnoticed.
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
