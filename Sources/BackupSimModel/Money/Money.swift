import Foundation

/// An amount in US dollars at full decimal precision; rounded only when formatted for people.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var amount: Decimal

  public init(_ amount: Decimal) { self.amount = amount }

  public static let zero = Money(0)

  /// Parses an exact decimal literal such as "0.0125" (never through Double).
  public init?(exactly text: String) {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard !t.isEmpty, t.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }),
      let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX"))
    else { return nil }
    amount = d
  }

  public static func + (a: Money, b: Money) -> Money { Money(a.amount + b.amount) }
  public static func - (a: Money, b: Money) -> Money { Money(a.amount - b.amount) }
  public static func * (a: Money, b: Decimal) -> Money { Money(a.amount * b) }
  public static func += (a: inout Money, b: Money) { a.amount += b.amount }
  public static func < (a: Money, b: Money) -> Bool { a.amount < b.amount }

  /// Full precision, plain digits ("1215", "0.0000123"), as written to result.json.
  public var description: String { Money.plain(amount) }

  /// Rounded to `places` decimals with banker-free half-up rounding, for example "$1,215.00".
  public func formatted(places: Int = 2) -> String {
    let rounded = Money.round(amount, places: places)
    let neg = rounded < 0
    let digits = Money.plain(neg ? -rounded : rounded)
    var (whole, frac) = (digits, "")
    if let dot = digits.firstIndex(of: ".") {
      whole = String(digits[..<dot])
      frac = String(digits[digits.index(after: dot)...])
    }
    frac = String((frac + String(repeating: "0", count: places)).prefix(places))
    var grouped = ""
    for (i, ch) in whole.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { grouped.append(",") }
      grouped.append(ch)
    }
    let body = String(grouped.reversed()) + (places > 0 ? "." + frac : "")
    return (neg ? "-$" : "$") + body
  }

  package static func round(_ d: Decimal, places: Int) -> Decimal {
    var value = d
    var result = Decimal()
    NSDecimalRound(&result, &value, places, .plain)
    return result
  }

  /// A decimal as plain digits without exponent or locale grouping.
  package static func plain(_ d: Decimal) -> String {
    let s = NSDecimalNumber(decimal: d).description(withLocale: Locale(identifier: "en_US_POSIX"))
    return s
  }
}

extension Decimal {
  /// An exact conversion of a 128-bit integer (byte-seconds can exceed 64 bits).
  package init(exactly v: Int128) {
    let neg = v < 0
    let m = v.magnitude
    let base = UInt128(1_000_000_000_000_000_000)
    let hi = m / base, lo = m % base
    var d = Decimal(UInt64(hi)) * Decimal(UInt64(base)) + Decimal(UInt64(lo))
    if neg { d = -d }
    self = d
  }
}
