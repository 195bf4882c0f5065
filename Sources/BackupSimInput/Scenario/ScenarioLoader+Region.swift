import BackupSimModel

extension ScenarioLoader {
  /// Reads `bucket.region`: an AWS Region code such as `eu-central-1`.
  static func decodeRegion(_ node: ConfigNode, reader: inout NodeReader) -> String? {
    guard let v = reader.string(node, key: "region") else { return nil }
    guard v.wholeMatch(of: /[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}/) != nil else {
      var msg = "'region' must be an AWS Region code like eu-central-1, got \(NodeReader.show(node))"
      if let g = NodeReader.nearest(to: v, in: PriceTable.builtIn.keys.sorted()) { msg += "; did you mean '\(g)'?" }
      reader.fail(msg, at: node, key: "region")
      return nil
    }
    return v
  }

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
