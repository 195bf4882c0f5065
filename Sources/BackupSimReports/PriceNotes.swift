import BackupSimModel

/// Which prices of a pricing file's table are really the built-in ones of its region, or us-east-1's (issue 12 item 8).
enum PriceNotes {
  /// " †" after a cell whose price the pricing file did not give.
  static func mark(_ prices: PriceTable, _ c: StorageClass, _ item: String) -> String {
    prices.isFromBuiltIn(c, item) ? " †" : ""
  }

  /// The sentence under the price table, or nil when every price came from one place.
  static func builtInSentence(_ prices: PriceTable) -> String? {
    let parts = StorageClass.allCases.compactMap { c in prices.fromBuiltIn[c].map { "\(c.rawValue) \($0.joined(separator: ", "))" } }
    guard !parts.isEmpty else { return nil }
    let builtIn = PriceTable.builtIn[prices.region] ?? .usEast1
    return "† Not in the pricing file, so the built-in \(builtIn.region) price (read \(builtIn.asOf)) was used: "
      + parts.joined(separator: "; ") + "."
  }
}
