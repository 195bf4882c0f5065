/// When an upload job runs: a fixed UTC calendar pattern, fired at whole minutes.
///
/// Text forms (words are case-insensitive, everything is UTC):
/// `hourly`, `hourly at :15`, `daily at 02:00`, `weekly on Mon,Thu at 03:00`,
/// `monthly on 1 at 04:00`, or a 5-field cron expression `m h dom mon dow`
/// (optionally prefixed `cron `). `description` gives the canonical text, which parses
/// back to an equal value.
public enum Schedule: Equatable, Sendable, CustomStringConvertible {
  /// Every hour at this minute (0-59).
  case hourly(minute: Int)
  case daily(at: TimeOfDay)
  /// On each listed weekday; an empty set never fires.
  case weekly(on: Set<Weekday>, at: TimeOfDay)
  /// On this day of every month that has it (like cron, day 31 skips 30-day months).
  case monthly(day: Int, at: TimeOfDay)
  case cron(Cron)

  /// A wall-clock time in UTC, to the minute.
  public struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
      self.hour = hour
      self.minute = minute
    }

    var secondOfDay: Int64 { Int64(hour * 3600 + minute * 60) }

    /// Two-digit hours and minutes, like "02:00".
    public var description: String { "\(pad2(hour)):\(pad2(minute))" }
  }

  /// A day of the week, numbered like `CivilDate.weekday` and cron (0 = Sunday).
  public enum Weekday: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }

    /// The three-letter name, like "Sun".
    public var description: String { Self.shortNames[rawValue] }

    package static let shortNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    package static let fullNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
  }

  /// The first firing strictly after `t`, or nil if it never fires again.
  ///
  /// - Complexity: O(1) for hourly, daily, weekly and monthly; for cron, O(days scanned)
  ///   with months the expression excludes skipped whole, bounded by one 400-year cycle.
  public func nextFire(after t: SimTime) -> SimTime? {
    switch self {
    case .hourly(let minute):
      let hourStart = Self.floorDiv(t.seconds, 3600) * 3600
      let candidate = hourStart + Int64(minute) * 60
      return SimTime(seconds: candidate > t.seconds ? candidate : candidate + 3600)
    case .daily(let time):
      let candidate = t.startOfDay + time.secondOfDay
      return candidate > t ? candidate : candidate + SimTime.secondsPerDay
    case .weekly(let days, let time):
      let start = t.startOfDay
      let weekday = t.date.weekday
      // Eight days, because today's slot may already have passed.
      for offset in 0...7 {
        guard let day = Weekday(rawValue: (weekday + offset) % 7), days.contains(day) else { continue }
        let candidate = start + Int64(offset) * SimTime.secondsPerDay + time.secondOfDay
        if candidate > t { return candidate }
      }
      return nil
    case .monthly(let day, let time):
      var date = t.date
      // A day <= 31 recurs within three months (31 skips at most one 30-day month or February).
      for _ in 0..<4 {
        if day >= 1, day <= CivilDate.daysIn(year: date.year, month: date.month) {
          let candidate = SimTime(year: date.year, month: date.month, day: day) + time.secondOfDay
          if candidate > t { return candidate }
        }
        date = date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1) : CivilDate(year: date.year, month: date.month + 1, day: 1)
      }
      return nil
    case .cron(let cron):
      return cron.nextFire(after: t)
    }
  }

  /// The first firing at or after `t`.
  public func firstFire(atOrAfter t: SimTime) -> SimTime? {
    // Instants are whole seconds, so "at or after t" is "strictly after t - 1 s".
    nextFire(after: t - 1)
  }

  /// Whether the schedule fires exactly at `t` (checked from the fields, not by searching).
  public func fires(at t: SimTime) -> Bool {
    let second = t.secondOfDay
    guard second % 60 == 0 else { return false }
    let hour = second / 3600, minute = second / 60 % 60
    switch self {
    case .hourly(let m):
      return minute == m
    case .daily(let time):
      return (hour, minute) == (time.hour, time.minute)
    case .weekly(let days, let time):
      guard let day = Weekday(rawValue: t.date.weekday) else { return false }
      return days.contains(day) && (hour, minute) == (time.hour, time.minute)
    case .monthly(let day, let time):
      return t.date.day == day && (hour, minute) == (time.hour, time.minute)
    case .cron(let cron):
      let date = t.date
      return cron.months.has(date.month) && cron.dayMatches(day: date.day, weekday: date.weekday)
        && cron.hours.has(hour) && cron.minutes.has(minute)
    }
  }

  /// The canonical text form, like "weekly on Mon,Thu at 03:00" or "*/15 9-17 * * 1-5".
  public var description: String {
    switch self {
    case .hourly(let minute): return "hourly at :\(pad2(minute))"
    case .daily(let time): return "daily at \(time)"
    case .weekly(let days, let time): return "weekly on \(days.sorted().map(\.description).joined(separator: ",")) at \(time)"
    case .monthly(let day, let time): return "monthly on \(day) at \(time)"
    case .cron(let cron): return cron.description
    }
  }
}

// MARK: - Cron

extension Schedule {
  /// A parsed 5-field cron expression: one bit set per allowed value in each field.
  ///
  /// Day matching follows Vixie cron: if the day-of-month or day-of-week field starts with
  /// `*` (including `*/2`), a day must match both fields; if neither does, either one is enough.
  /// `0 0 13 * 5` fires on every 13th and every Friday; `0 0 */2 * 5` only on odd-numbered Fridays.
  public struct Cron: Equatable, Sendable, CustomStringConvertible {
    /// Bits 0-59.
    public package(set) var minutes: BitSet
    /// Bits 0-23.
    public package(set) var hours: BitSet
    /// Bits 1-31.
    public package(set) var daysOfMonth: BitSet
    /// Bits 1-12.
    public package(set) var months: BitSet
    /// Bits 0-6, 0 = Sunday (a 7 in the text is stored as 0).
    public package(set) var daysOfWeek: BitSet
    /// The day-of-month field started with `*`.
    public package(set) var daysOfMonthStar: Bool
    /// The day-of-week field started with `*`.
    public package(set) var daysOfWeekStar: Bool

    package init(
      minutes: BitSet, hours: BitSet, daysOfMonth: BitSet, months: BitSet, daysOfWeek: BitSet, daysOfMonthStar: Bool,
      daysOfWeekStar: Bool
    ) {
      self.minutes = minutes
      self.hours = hours
      self.daysOfMonth = daysOfMonth
      self.months = months
      self.daysOfWeek = daysOfWeek
      self.daysOfMonthStar = daysOfMonthStar
      self.daysOfWeekStar = daysOfWeekStar
    }

    /// Days in one Gregorian cycle: dates and weekdays repeat after it, so a longer search finds nothing new.
    static let cycleDays: Int64 = 146_097

    func dayMatches(day: Int, weekday: Int) -> Bool {
      let dom = daysOfMonth.has(day), dow = daysOfWeek.has(weekday)
      return daysOfMonthStar || daysOfWeekStar ? dom && dow : dom || dow
    }

    /// The first allowed minute of the day at or after `minuteOfDay`, as a minute of the day.
    func firstMinute(atOrAfter minuteOfDay: Int) -> Int? {
      guard minuteOfDay < 1440 else { return nil }
      let hour = minuteOfDay / 60
      if hours.has(hour), let m = minutes.first(atOrAfter: minuteOfDay % 60) { return hour * 60 + m }
      guard let h = hours.first(atOrAfter: hour + 1), let m = minutes.first(atOrAfter: 0) else { return nil }
      return h * 60 + m
    }

    func nextFire(after t: SimTime) -> SimTime? {
      var dayNumber = t.dayNumber
      let lastDay = dayNumber + Self.cycleDays
      var date = t.date
      var weekday = date.weekday
      var fromMinute = t.secondOfDay / 60 + 1
      while dayNumber <= lastDay {
        let monthLength = CivilDate.daysIn(year: date.year, month: date.month)
        // Whole excluded months are skipped in one step; this keeps rare dates (Feb 29) cheap.
        let step = months.has(date.month) ? 1 : monthLength - date.day + 1
        if step == 1, dayMatches(day: date.day, weekday: weekday), let m = firstMinute(atOrAfter: fromMinute) {
          return SimTime(seconds: dayNumber * SimTime.secondsPerDay + Int64(m) * 60)
        }
        dayNumber += Int64(step)
        weekday = (weekday + step) % 7
        date.day += step
        if date.day > monthLength {
          date = date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1) : CivilDate(year: date.year, month: date.month + 1, day: 1)
        }
        fromMinute = 0
      }
      return nil
    }

    /// Whether some date in the 400-year cycle matches; every valid (month, day), Feb 29
    /// included, falls on every weekday somewhere in the cycle.
    package var canFire: Bool {
      guard !minutes.isEmpty, !hours.isEmpty else { return false }
      for month in months.values {
        let longest = month == 2 ? 29 : CivilDate.daysIn(year: 2001, month: month)
        for day in 1...longest where (0..<7).contains(where: { dayMatches(day: day, weekday: $0) }) {
          return true
        }
      }
      return false
    }

    /// The fields as numbers, with steps and ranges where they are shorter, like "*/15 9-17 * * 1-5".
    public var description: String {
      [
        Self.render(minutes, in: 0...59, star: nil),
        Self.render(hours, in: 0...23, star: nil),
        Self.render(daysOfMonth, in: 1...31, star: daysOfMonthStar),
        Self.render(months, in: 1...12, star: nil),
        Self.render(daysOfWeek, in: 0...6, star: daysOfWeekStar),
      ].joined(separator: " ")
    }

    /// Renders a field so that parsing the result gives the same bits and the same star flag.
    ///
    /// `star` is nil for fields where a leading `*` means nothing beyond its values.
    static func render(_ bits: BitSet, in range: ClosedRange<Int>, star: Bool?) -> String {
      let values = bits.values
      if star == true {
        // A star field is `*` or `*/s`: the step is the gap between its first two values.
        if values == Array(range) { return "*" }
        return values.count > 1 ? "*/\(values[1] - values[0])" : "*/\(range.count)"
      }
      if star == nil, values == Array(range) { return "*" }
      if values.count >= 3 {
        let step = values[1] - values[0]
        if step > 1, zip(values, values.dropFirst()).allSatisfy({ $1 - $0 == step }) {
          let last = values[values.count - 1]
          // `*/s` on a day field would set the star flag, which changes day matching.
          if star == nil, values[0] == range.lowerBound, last + step > range.upperBound { return "*/\(step)" }
          return "\(values[0])-\(last)/\(step)"
        }
      }
      var parts: [String] = []
      var i = 0
      while i < values.count {
        var j = i
        while j + 1 < values.count, values[j + 1] == values[j] + 1 { j += 1 }
        if j - i >= 2 {
          parts.append("\(values[i])-\(values[j])")
        } else {
          parts.append(contentsOf: values[i...j].map(String.init))
        }
        i = j + 1
      }
      return parts.joined(separator: ",")
    }
  }

  /// A set of small non-negative integers (0-63) as one word.
  public struct BitSet: Hashable, Sendable {
    public var raw: UInt64

    public init(raw: UInt64 = 0) { self.raw = raw }

    public var isEmpty: Bool { raw == 0 }

    public func has(_ n: Int) -> Bool { n >= 0 && n < 64 && raw & (1 << UInt64(n)) != 0 }

    package mutating func insert(_ n: Int) { raw |= 1 << UInt64(n) }

    /// The smallest member >= `n`.
    func first(atOrAfter n: Int) -> Int? {
      guard n < 64 else { return nil }
      let rest = raw & (UInt64.max << UInt64(max(n, 0)))
      return rest == 0 ? nil : rest.trailingZeroBitCount
    }

    /// Members in increasing order.
    public var values: [Int] { (0..<64).filter(has) }
  }
}

extension Schedule {
  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let (q, r) = a.quotientAndRemainder(dividingBy: b)
    return r < 0 ? q - 1 : q
  }

  /// The months (1-12) the schedule names but never runs in, because none of its days of the month
  /// occur in them (`monthly on 31` skips Feb, Apr, Jun, Sep, Nov), and the smallest such day.
  ///
  /// February counts 28 days: day 29 runs there only in leap years.
  public var monthsSkipped: (months: [Int], day: Int)? {
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    let days: [Int], months: [Int]
    switch self {
    case .monthly(let day, _):
      days = [day]
      months = Array(1...12)
    case .cron(let c):
      // With a day-of-week given too, either field is enough (Vixie cron): every month has a run.
      guard !c.daysOfMonthStar, c.daysOfWeekStar else { return nil }
      days = c.daysOfMonth.values
      months = c.months.values
    default:
      return nil
    }
    guard let first = days.min() else { return nil }
    let skipped = months.filter { m in !days.contains { $0 <= lengths[m - 1] } }
    return skipped.isEmpty ? nil : (skipped, first)
  }

  /// How many months a year the schedule names (12 for word forms).
  public var monthsNamed: Int {
    if case .cron(let c) = self { return c.months.values.count }
    return 12
  }

  package static func monthAbbreviation(_ month: Int) -> String {
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return (1...12).contains(month) ? names[month - 1] : "month \(month)"
  }
}
