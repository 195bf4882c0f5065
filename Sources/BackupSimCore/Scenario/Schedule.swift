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

    static let shortNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let fullNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
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

/// Why a schedule string was rejected: one line, without a location (the caller adds it).
public struct ScheduleParseError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String

  public init(message: String) { self.message = message }

  public var description: String { message }
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
    public internal(set) var minutes: BitSet
    /// Bits 0-23.
    public internal(set) var hours: BitSet
    /// Bits 1-31.
    public internal(set) var daysOfMonth: BitSet
    /// Bits 1-12.
    public internal(set) var months: BitSet
    /// Bits 0-6, 0 = Sunday (a 7 in the text is stored as 0).
    public internal(set) var daysOfWeek: BitSet
    /// The day-of-month field started with `*`.
    public internal(set) var daysOfMonthStar: Bool
    /// The day-of-week field started with `*`.
    public internal(set) var daysOfWeekStar: Bool

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
    var canFire: Bool {
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

    mutating func insert(_ n: Int) { raw |= 1 << UInt64(n) }

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

// MARK: - Parsing

extension Schedule {
  /// Parses a schedule string; on failure returns a one-line human message (no location; the caller adds it).
  public static func parse(_ text: String) -> Result<Schedule, ScheduleParseError> {
    let parser = ScheduleParser(text: text)
    do throws(ScheduleParseError) {
      return .success(try parser.parse())
    } catch {
      return .failure(error)
    }
  }
}

/// Hand-written parser for the schedule forms; every failure names the offending part and quotes the input.
private struct ScheduleParser {
  let text: String
  let words: [Substring]

  init(text: String) {
    self.text = String(Self.trimmed(text[...]))
    words = self.text.split(whereSeparator: \.isWhitespace)
  }

  func error(_ message: String, hint: String? = nil) -> ScheduleParseError {
    ScheduleParseError(message: "\(message) in '\(text)'\(hint.map { "; \($0)" } ?? "")")
  }

  static let kinds = ["hourly", "daily", "weekly", "monthly", "cron"]
  static let example = "expected e.g. 'daily at 02:00', 'weekly on Sun at 03:00' or a 5-field cron expression"

  func parse() throws(ScheduleParseError) -> Schedule {
    guard let first = words.first else { throw ScheduleParseError(message: "schedule is empty; \(Self.example)") }
    let kind = first.lowercased()
    let rest = Array(words.dropFirst())
    switch kind {
    case "hourly":
      return .hourly(minute: try parseHourly(rest))
    case "daily":
      return .daily(at: try parseAt(rest, after: "daily"))
    case "weekly":
      return try parseWeekly(rest)
    case "monthly":
      return try parseMonthly(rest)
    case "cron":
      return .cron(try parseCron(rest))
    default:
      if let c = first.first, Self.isDigit(c) || c == "*" { return .cron(try parseCron(words)) }
      let hint = NodeReader.nearest(to: String(first), in: Self.kinds).map { "did you mean '\($0)'?" } ?? Self.example
      throw error("unknown schedule '\(first)'", hint: hint)
    }
  }

  // MARK: Word forms

  func parseHourly(_ rest: [Substring]) throws(ScheduleParseError) -> Int {
    if rest.isEmpty { return 0 }
    guard rest.count == 2, rest[0].lowercased() == "at" else {
      throw error("expected 'hourly' or 'hourly at :MM'")
    }
    let token = rest[1]
    let digits = token.hasPrefix(":") ? token.dropFirst() : token
    guard let minute = Self.number(digits, maxDigits: 2) else {
      throw error("expected a minute like :15 after 'at' (got '\(token)')")
    }
    guard minute <= 59 else { throw error("minute \(digits) is out of range 0-59") }
    return minute
  }

  /// `[]` (midnight) or `["at", "HH:MM"]`.
  func parseAt(_ rest: [Substring], after form: String) throws(ScheduleParseError) -> Schedule.TimeOfDay {
    if rest.isEmpty { return Schedule.TimeOfDay(hour: 0, minute: 0) }
    guard rest[0].lowercased() == "at" else {
      throw error("expected 'at HH:MM' after '\(form)' (got '\(rest[0])')")
    }
    guard rest.count == 2 else {
      throw error(rest.count == 1 ? "expected a time like 02:00 after 'at'" : "unexpected '\(rest[2...].joined(separator: " "))' after the time")
    }
    return try parseTime(rest[1])
  }

  func parseTime(_ token: Substring) throws(ScheduleParseError) -> Schedule.TimeOfDay {
    let parts = token.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let hour = Self.number(parts[0], maxDigits: 2), parts[1].count == 2,
      let minute = Self.number(parts[1], maxDigits: 2)
    else {
      throw error("expected a time like 02:00 after 'at' (got '\(token)')")
    }
    guard hour <= 23 else { throw error("hour \(parts[0]) is out of range 0-23") }
    guard minute <= 59 else { throw error("minute \(parts[1]) is out of range 0-59") }
    return Schedule.TimeOfDay(hour: hour, minute: minute)
  }

  /// Splits `on X[,Y...] [at HH:MM]` into the day list and the time.
  func splitOn(_ rest: [Substring], form: String, example: String) throws(ScheduleParseError) -> (days: String, time: Schedule.TimeOfDay)? {
    if rest.isEmpty { return nil }
    guard rest[0].lowercased() == "on" else {
      throw error("expected 'on' after '\(form)' (got '\(rest[0])')", hint: "e.g. '\(example)'")
    }
    let atIndex = rest.firstIndex { $0.lowercased() == "at" } ?? rest.endIndex
    let days = rest[1..<atIndex].joined(separator: " ")
    guard !days.isEmpty else { throw error("expected a day after 'on'", hint: "e.g. '\(example)'") }
    return (days, try parseAt(Array(rest[atIndex...]), after: "\(form) on \(days)"))
  }

  func parseWeekly(_ rest: [Substring]) throws(ScheduleParseError) -> Schedule {
    // Bare `weekly` means Sunday 00:00, like cron's @weekly.
    guard let (list, time) = try splitOn(rest, form: "weekly", example: "weekly on Sun at 03:00") else {
      return .weekly(on: [.sunday], at: Schedule.TimeOfDay(hour: 0, minute: 0))
    }
    var days: Set<Schedule.Weekday> = []
    for item in list.split(separator: ",", omittingEmptySubsequences: false) {
      // "Mon, Thu" works like "Mon,Thu"; "Mon Thu" stays one (unknown) name.
      let name = Self.trimmed(item)
      guard !name.isEmpty else { throw error("empty day in the list '\(list)'") }
      guard let n = Self.weekdayNumber(name), let day = Schedule.Weekday(rawValue: n) else {
        let hint = NodeReader.nearest(to: String(name), in: Schedule.Weekday.shortNames + Schedule.Weekday.fullNames)
        throw error("unknown weekday '\(name)'", hint: hint.map { "did you mean '\($0)'?" } ?? "use Sun, Mon, Tue, Wed, Thu, Fri or Sat")
      }
      days.insert(day)
    }
    return .weekly(on: days, at: time)
  }

  func parseMonthly(_ rest: [Substring]) throws(ScheduleParseError) -> Schedule {
    // Bare `monthly` means the 1st at 00:00, like cron's @monthly.
    guard let (dayText, time) = try splitOn(rest, form: "monthly", example: "monthly on 1 at 04:00") else {
      return .monthly(day: 1, at: Schedule.TimeOfDay(hour: 0, minute: 0))
    }
    guard let day = Self.number(dayText[...], maxDigits: 4) else {
      throw error("expected a day of the month (1-31) after 'on' (got '\(dayText)')")
    }
    guard (1...31).contains(day) else { throw error("day \(dayText) is out of range 1-31") }
    return .monthly(day: day, at: time)
  }

  // MARK: Cron

  struct Field {
    let name: String
    let range: ClosedRange<Int>
    /// Lowercased names accepted in place of numbers.
    var names: [String: Int] = [:]
    /// What an unknown name is called in errors ("month", "weekday"), and the spellings to suggest.
    var nameLabel = ""
    var suggestions: [String] = []
  }

  static let monthNames: [String: Int] = {
    let short = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    var names: [String: Int] = [:]
    for (i, s) in short.enumerated() { names[s] = i + 1 }
    for (i, s) in full.enumerated() { names[s] = i + 1 }
    return names
  }()

  static let weekdayNames: [String: Int] = {
    var names: [String: Int] = [:]
    for (i, s) in Schedule.Weekday.shortNames.enumerated() { names[s.lowercased()] = i }
    for (i, s) in Schedule.Weekday.fullNames.enumerated() { names[s.lowercased()] = i }
    return names
  }()

  static func weekdayNumber(_ name: Substring) -> Int? { weekdayNames[name.lowercased()] }

  static let fields = [
    Field(name: "minute", range: 0...59),
    Field(name: "hour", range: 0...23),
    Field(name: "day-of-month", range: 1...31),
    Field(
      name: "month", range: 1...12, names: monthNames, nameLabel: "month",
      suggestions: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
    // 0-7 so that steps like */2 run over cron's range; 7 is folded into Sunday afterwards.
    Field(
      name: "day-of-week", range: 0...7, names: weekdayNames, nameLabel: "weekday",
      suggestions: Schedule.Weekday.shortNames.map { $0.uppercased() }),
  ]

  func parseCron(_ parts: [Substring]) throws(ScheduleParseError) -> Schedule.Cron {
    guard parts.count == 5 else {
      throw error("cron needs 5 fields (got \(parts.count))", hint: "minute hour day-of-month month day-of-week")
    }
    var sets: [Schedule.BitSet] = []
    var stars: [Bool] = []
    for (field, part) in zip(Self.fields, parts) {
      let (bits, star) = try parseField(part, field)
      sets.append(bits)
      stars.append(star)
    }
    var daysOfWeek = sets[4]
    if daysOfWeek.has(7) {
      daysOfWeek.raw &= ~(1 << 7)
      daysOfWeek.insert(0)
    }
    let cron = Schedule.Cron(
      minutes: sets[0], hours: sets[1], daysOfMonth: sets[2], months: sets[3], daysOfWeek: daysOfWeek,
      daysOfMonthStar: stars[2], daysOfWeekStar: stars[4])
    guard cron.canFire else {
      let months = cron.months.values.map { Schedule.monthAbbreviation($0) }
      throw ScheduleParseError(message: "'\(text)' never fires: day-of-month \(parts[2]) never occurs in \(months.joined(separator: ", "))")
    }
    return cron
  }

  /// One field: a comma list of `*`, `N`, `N-M`, each optionally `/STEP`.
  func parseField(_ text: Substring, _ field: Field) throws(ScheduleParseError) -> (Schedule.BitSet, star: Bool) {
    var bits = Schedule.BitSet()
    let items = text.split(separator: ",", omittingEmptySubsequences: false)
    let star = items.first?.hasPrefix("*") ?? false
    for item in items {
      guard !item.isEmpty else { throw error("empty value in the \(field.name) field '\(text)'") }
      let slash = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
      let base = slash[0]
      var step = 1
      if slash.count == 2 {
        guard let s = Self.number(slash[1], maxDigits: 4) else {
          throw error("step '\(slash[1])' in the \(field.name) field is not a number")
        }
        guard s > 0 else { throw error("step 0 is not allowed (\(field.name) field '\(item)')", hint: "use a step of 1 or more") }
        step = s
      }
      var low = field.range.lowerBound, high = field.range.upperBound
      if base == "*" {
        // `*` mixed into a list would make the Vixie day rule depend on item order; nothing needs it.
        guard items.count == 1 else { throw error("'*' cannot be combined with other values in the \(field.name) field '\(text)'") }
      } else {
        let bounds = base.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        low = try value(bounds[0], field)
        if bounds.count == 2 {
          high = try value(bounds[1], field)
          guard low <= high else {
            let top = field.range.upperBound == 7 ? 6 : field.range.upperBound
            let split = [low >= top ? "\(low)" : "\(low)-\(top)", high == field.range.lowerBound ? "\(high)" : "\(field.range.lowerBound)-\(high)"]
            throw error("\(field.name) range \(base) runs backwards", hint: "split it, e.g. '\(split.joined(separator: ","))'")
          }
        } else if slash.count == 1 {
          high = low
        }
        // `N/STEP` means N through the field's maximum, as in cronie and Quartz.
      }
      for v in stride(from: low, through: high, by: step) { bits.insert(v) }
    }
    return (bits, star)
  }

  func value(_ token: Substring, _ field: Field) throws(ScheduleParseError) -> Int {
    if let n = Self.number(token, maxDigits: 9) {
      guard field.range.contains(n) else {
        throw error("\(field.name) \(token) is out of range \(field.range.lowerBound)-\(field.range.upperBound)")
      }
      return n
    }
    if let n = field.names[token.lowercased()] { return n }
    if token.isEmpty { throw error("missing number in the \(field.name) field") }
    guard !field.names.isEmpty else { throw error("\(field.name) '\(token)' is not a number") }
    let hint = NodeReader.nearest(to: String(token), in: field.suggestions).map { "did you mean '\($0)'?" }
    throw error("unknown \(field.nameLabel) '\(token)'", hint: hint)
  }

  static func trimmed(_ s: Substring) -> Substring {
    let start = s.firstIndex { !$0.isWhitespace } ?? s.endIndex
    let end = s.lastIndex { !$0.isWhitespace }.map { s.index(after: $0) } ?? start
    return s[start..<end]
  }

  static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

  /// ASCII digits only (no sign, no spaces); nil otherwise or when longer than `maxDigits`.
  static func number(_ s: Substring, maxDigits: Int) -> Int? {
    guard !s.isEmpty, s.count <= maxDigits, s.allSatisfy(isDigit) else { return nil }
    return Int(s)
  }
}

extension Schedule {
  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let (q, r) = a.quotientAndRemainder(dividingBy: b)
    return r < 0 ? q - 1 : q
  }

  static func monthAbbreviation(_ month: Int) -> String {
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return (1...12).contains(month) ? names[month - 1] : "month \(month)"
  }
}
