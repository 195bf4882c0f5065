/// An instant in simulated time: whole seconds since 1970-01-01T00:00:00Z.
///
/// The simulator never asks the machine for the time or a time zone: every calendar
/// computation goes through the proleptic Gregorian UTC functions below, so output is
/// the same on every machine.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var seconds: Int64

  public init(seconds: Int64) { self.seconds = seconds }

  public static let secondsPerDay: Int64 = 86_400

  public static func < (a: SimTime, b: SimTime) -> Bool { a.seconds < b.seconds }
  public static func + (t: SimTime, s: Int64) -> SimTime { SimTime(seconds: t.seconds + s) }
  public static func - (t: SimTime, s: Int64) -> SimTime { SimTime(seconds: t.seconds - s) }
  public static func - (a: SimTime, b: SimTime) -> Int64 { a.seconds - b.seconds }

  /// Builds a UTC instant from calendar fields (no validation beyond the arithmetic).
  public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
    let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
    seconds = days * Self.secondsPerDay + Int64(hour * 3600 + minute * 60 + second)
  }

  /// Days since 1970-01-01 (floor division, so instants before 1970 work too).
  public var dayNumber: Int64 {
    let (q, r) = seconds.quotientAndRemainder(dividingBy: Self.secondsPerDay)
    return r < 0 ? q - 1 : q
  }

  /// 00:00 UTC of this instant's day.
  public var startOfDay: SimTime { SimTime(seconds: dayNumber * Self.secondsPerDay) }

  /// The first 00:00 UTC strictly after this instant.
  public var nextMidnight: SimTime { SimTime(seconds: (dayNumber + 1) * Self.secondsPerDay) }

  /// The first 00:00 UTC at or after this instant.
  public var midnightAtOrAfter: SimTime { isMidnight ? self : nextMidnight }

  public var isMidnight: Bool { seconds - dayNumber * Self.secondsPerDay == 0 }

  public var date: CivilDate { CivilDate(daysSinceEpoch: dayNumber) }

  /// Seconds since the start of this instant's UTC day.
  public var secondOfDay: Int { Int(seconds - dayNumber * Self.secondsPerDay) }

  /// 00:00 UTC on the first day of this instant's month.
  public var startOfMonth: SimTime {
    let d = date
    return SimTime(year: d.year, month: d.month, day: 1)
  }

  /// 00:00 UTC on the first day of the following month.
  public var startOfNextMonth: SimTime {
    let d = date
    return d.month == 12 ? SimTime(year: d.year + 1, month: 1, day: 1) : SimTime(year: d.year, month: d.month + 1, day: 1)
  }

  /// The instant in ISO 8601, UTC: "2027-01-01T02:00:00Z".
  public var iso8601: String {
    let d = date
    let s = secondOfDay
    guard (0...9999).contains(d.year) else { return "\(d.iso8601)T\(pad2(s / 3600)):\(pad2(s / 60 % 60)):\(pad2(s % 60))Z" }
    // Digits into 20 bytes: interpolation took about 5,000 instructions, and reports print an
    // instant per job and per restore point.
    return String(unsafeUninitializedCapacity: 20) { b in
      d.writeISO8601(into: b)
      b[10] = UInt8(ascii: "T")
      writeDigits(s / 3600, width: 2, into: b, at: 11)
      b[13] = UInt8(ascii: ":")
      writeDigits(s / 60 % 60, width: 2, into: b, at: 14)
      b[16] = UInt8(ascii: ":")
      writeDigits(s % 60, width: 2, into: b, at: 17)
      b[19] = UInt8(ascii: "Z")
      return 20
    }
  }

  /// The full ISO 8601 form, also at midnight: "2027-01-01T00:00:00Z".
  public var description: String { iso8601 }

  /// Adds calendar months, clamping the day to the target month's length.
  public func addingMonths(_ n: Int) -> SimTime {
    let d = date
    let total = d.year * 12 + (d.month - 1) + n
    let y = total >= 0 ? total / 12 : (total - 11) / 12
    let m = total - y * 12 + 1
    let day = min(d.day, CivilDate.daysIn(year: y, month: m))
    return SimTime(year: y, month: m, day: day) + Int64(secondOfDay)
  }
}

package func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Writes `n` (0 ≤ n < 10^width) as `width` decimal digits at `b[at...]`.
@inline(__always)
private func writeDigits(_ n: Int, width: Int, into b: UnsafeMutableBufferPointer<UInt8>, at: Int) {
  var n = n
  for k in stride(from: at + width - 1, through: at, by: -1) {
    b[k] = UInt8(ascii: "0") + UInt8(n % 10)
    n /= 10
  }
}

/// A proleptic Gregorian calendar date in UTC.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Converts days since 1970-01-01 to a date (Howard Hinnant's `civil_from_days`).
  public init(daysSinceEpoch: Int64) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
    month = Int(m)
    day = Int(d)
  }

  /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
  public var daysSinceEpoch: Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  public static func < (a: CivilDate, b: CivilDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

  public static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  public var isValid: Bool { (1...12).contains(month) && day >= 1 && day <= Self.daysIn(year: year, month: month) }

  /// 0 = Sunday, 6 = Saturday.
  public var weekday: Int {
    let w = (daysSinceEpoch + 4) % 7  // 1970-01-01 was a Thursday
    return Int(w < 0 ? w + 7 : w)
  }

  public var midnight: SimTime { SimTime(seconds: daysSinceEpoch * SimTime.secondsPerDay) }

  /// The date in ISO 8601: "2027-01-01".
  public var iso8601: String {
    guard (0...9999).contains(year) else {
      let y = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
      return "\(y)-\(pad2(month))-\(pad2(day))"
    }
    return String(unsafeUninitializedCapacity: 10) { b in
      writeISO8601(into: b)
      return 10
    }
  }

  /// "yyyy-mm-dd" into the first 10 bytes of `b` (a year of four digits).
  func writeISO8601(into b: UnsafeMutableBufferPointer<UInt8>) {
    writeDigits(year, width: 4, into: b, at: 0)
    b[4] = UInt8(ascii: "-")
    writeDigits(month, width: 2, into: b, at: 5)
    b[7] = UInt8(ascii: "-")
    writeDigits(day, width: 2, into: b, at: 8)
  }

  /// The calendar month: "2027-01".
  public var yearMonth: String { String(iso8601.prefix(7)) }

  public var description: String { iso8601 }
}
