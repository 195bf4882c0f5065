import BackupSimModel

/// Why a schedule string was rejected: one line, without a location (the caller adds it).
public struct ScheduleParseError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String

  public init(message: String) { self.message = message }

  public var description: String { message }
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
    // An ASCII schedule is split on bytes: Character by Character it cost thousands of instructions.
    if self.text.utf8.allSatisfy({ $0 < 0x80 }) {
      words = self.text.utf8.split(whereSeparator: Self.isASCIIWhitespace).map { Substring($0) }
    } else {
      words = self.text.split(whereSeparator: \.isWhitespace)
    }
  }

  func error(_ message: String, hint: String? = nil) -> ScheduleParseError {
    ScheduleParseError(message: "\(message) in '\(text)'\(hint.map { "; \($0)" } ?? "")")
  }

  static let kinds = ["hourly", "daily", "weekly", "monthly", "cron"]
  static let example = "expected e.g. 'daily at 02:00', 'weekly on Sun at 03:00' or a 5-field cron expression"

  func parse() throws(ScheduleParseError) -> Schedule {
    guard let first = words.first else { throw ScheduleParseError(message: "schedule is empty; \(Self.example)") }
    if let message = Self.awsForm(text) { throw ScheduleParseError(message: message) }
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

  // MARK: AWS forms

  /// People paste EventBridge / Backup schedules: `cron(0 2 * * ? *)` and `rate(1 day)`.
  ///
  /// Say how to
  /// write them here rather than "did you mean 'cron'".
  static func awsForm(_ text: String) -> String? {
    let lower = text.lowercased()
    guard lower.hasPrefix("cron(") || lower.hasPrefix("rate("), lower.hasSuffix(")") else { return nil }
    let inner = text.dropFirst(5).dropLast().split(whereSeparator: \.isWhitespace).map(String.init)
    if lower.hasPrefix("rate(") {
      let rewrite: String
      switch (inner.first.flatMap { Int($0) }, inner.dropFirst().first?.lowercased()) {
      case (1, "day"?): rewrite = "'daily at 00:00' (pick the time of day)"
      case (1, "hour"?): rewrite = "'hourly' (or 'hourly at :MM')"
      case (7, "days"?): rewrite = "'weekly on Sun at 00:00' (pick the day and time)"
      case (let n?, "minutes"?) where n > 0 && 60 % n == 0: rewrite = "the cron expression '*/\(n) * * * *'"
      case (let n?, "hours"?) where n > 0 && 24 % n == 0: rewrite = "the cron expression '0 */\(n) * * *'"
      default: rewrite = "'hourly', 'daily at HH:MM', 'weekly on Sun at HH:MM' or a 5-field cron expression"
      }
      return "'\(text)' is the AWS rate() form, which this tool does not read; write \(rewrite)"
    }
    // AWS: minutes hours day-of-month month day-of-week year, with ? for "any" and weekdays 1-7 from Sunday.
    var hint = "write the 5 fields minute hour day-of-month month day-of-week, without 'cron(', '?' and the year"
    if inner.count == 6 {
      let dow = inner[4]
      if dow.contains(where: \.isNumber) {
        hint += "; AWS numbers weekdays 1-7 from Sunday and this tool 0-6, so use names like MON-FRI"
      } else {
        let five = inner.prefix(5).map { $0 == "?" ? "*" : $0 }.joined(separator: " ")
        hint += ": '\(five)'"
        if inner[5] != "*" { hint += " (the year field '\(inner[5])' has no equivalent: set start and duration instead)" }
      }
    }
    return "'\(text)' is the AWS cron() form, which this tool does not read; \(hint)"
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
    let parts = token.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { Substring($0) }
    guard parts.count == 2, let hour = Self.number(parts[0], maxDigits: 2), parts[1].utf8.count == 2,
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

  /// What `Character.isWhitespace` says of an ASCII byte.
  static func isASCIIWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

  static func trimmed(_ s: Substring) -> Substring {
    if s.utf8.allSatisfy({ $0 < 0x80 }) {
      let start = s.utf8.firstIndex { !isASCIIWhitespace($0) } ?? s.utf8.endIndex
      let end = s.utf8[start...].lastIndex { !isASCIIWhitespace($0) }.map { s.utf8.index(after: $0) } ?? start
      return s[start..<end]
    }
    let start = s.firstIndex { !$0.isWhitespace } ?? s.endIndex
    let end = s.lastIndex { !$0.isWhitespace }.map { s.index(after: $0) } ?? start
    return s[start..<end]
  }

  static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

  /// ASCII digits only (no sign, no spaces); nil otherwise or when longer than `maxDigits`.
  static func number(_ s: Substring, maxDigits: Int) -> Int? {
    // Bytes: an ASCII digit is one byte and one Character, and anything else fails.
    guard !s.isEmpty, s.utf8.count <= maxDigits, s.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    return Int(s)
  }
}
