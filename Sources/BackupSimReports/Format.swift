import BackupSimModel
import Foundation

/// One formatter for each kind of figure the reports show, so report.md, report.html, the
/// console summary, compare and sweep say the same thing the same way.
///
/// Fixed formats, never the
/// machine's locale.
public enum Format {
  private static let posix = Locale(identifier: "en_US_POSIX")

  /// Dollars with cents and thousands separators: "$1,234.56".
  public static func money(_ m: Money) -> String { m.formatted() }

  /// The simulated span, by its first and last day: "2027-01-01 to 2027-12-31 (end of day)".
  ///
  /// The
  /// horizon ends at 00:00 of the day after; every report says it this one way.
  public static func horizon(start: SimTime, end: SimTime) -> String {
    "\(start.date.iso8601) to \((end - 1).date.iso8601) (end of day)"
  }

  /// A measured span in days, to a tenth, without a trailing ".0": "1 day", "6.9 days", "30 days".
  public static func days(_ d: Decimal) -> String {
    let r = Money.round(d, places: 1)
    return r == 1 ? "1 day" : "\(Money.plain(r)) days"
  }

  /// The number alone, for phrases that name the unit themselves: "31.9", "30".
  public static func dayCount(_ d: Double) -> String {
    let tenths = (d * 10).rounded()
    guard tenths.isFinite, abs(tenths) < 1e15 else { return "-" }
    let t = Int64(tenths)
    return t % 10 == 0 ? String(t / 10) : String(format: "%.1f", locale: posix, tenths / 10)
  }

  /// A stated duration: whole days as "1 day" / "30 days", anything else in hours ("36.0 hours").
  public static func period(seconds: Int64) -> String {
    if seconds % SimTime.secondsPerDay == 0 {
      let d = seconds / SimTime.secondsPerDay
      return d == 1 ? "1 day" : "\(d) days"
    }
    return String(format: "%.1f hours", locale: posix, Double(seconds) / 3600)
  }

  /// A restore time: "immediate", "45 min", "12 h".
  public static func hours(_ h: Decimal) -> String {
    if h == 0 { return "immediate" }
    if h < 1 { return "\(Money.plain(Money.round(h * 60, places: 0))) min" }
    return "\(Money.plain(Money.round(h, places: 1))) h"
  }

  /// Binary units: "512 B", "1.50 GiB".
  public static func bytes(_ b: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var v = Double(b)
    var u = 0
    while v >= 1024 && u < units.count - 1 {
      v /= 1024
      u += 1
    }
    return u == 0 ? "\(b) B" : String(format: "%.2f", locale: posix, v) + " " + units[u]
  }

  /// A fixed number of decimals, padded: 1.5 → "1.500" with 3 places.
  public static func decimal(_ d: Decimal, places: Int) -> String {
    let s = Money.plain(Money.round(d, places: places))
    guard places > 0 else { return s }
    if let dot = s.firstIndex(of: ".") {
      let frac = s[s.index(after: dot)...]
      return s + String(repeating: "0", count: max(0, places - frac.count))
    }
    return s + "." + String(repeating: "0", count: places)
  }

  /// A time to the minute, in UTC: "2027-11-30 02:00 UTC".
  public static func time(_ t: SimTime) -> String {
    let s = t.secondOfDay
    return "\(t.date.iso8601) \(pad2(s / 3600)):\(pad2(s / 60 % 60)) UTC"
  }

  private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  /// "2027-01" → "Jan 2027".
  public static func month(_ yearMonth: String) -> String {
    let parts = yearMonth.split(separator: "-")
    guard parts.count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return yearMonth }
    return "\(monthNames[m - 1]) \(parts[0])"
  }
}

/// Markdown text made from user text (scenario, job and key names, sweep paths and values).
public enum Markdown {
  /// Prose and table cells: no markup, no broken tables.
  public static func escape(_ s: String) -> String {
    var out = ""
    for ch in s {
      switch ch {
      case "|", "\\", "`", "*", "_", "<", ">", "[", "]": out += "\\\(ch)"
      case "\n", "\r": out += " "
      default: out.append(ch)
      }
    }
    return out
  }

  /// Inside a code span (where backslash escapes are not read) and the console: only what would
  /// break a table row.
  public static func codeSafe(_ s: String) -> String {
    s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}

/// What restore estimates count, said wherever they are shown.
public enum RestoreWording {
  public static let includes =
    "Cost is the retrieval fee, the restore requests and a GET per object at the class's price, for every object of that backup (and of the backup it depends on). "
  /// Restores usually leave AWS, and that transfer is often the largest item; it is not modelled.
  public static let excludes =
    "Not included: data transfer out of AWS (to the internet or another region), billed per GB at the region's price on top of this."
}
