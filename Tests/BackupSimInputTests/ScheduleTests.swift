import BackupSimTestSupport
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// A UTC instant, written the way the cases below read.
private func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> SimTime {
  SimTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
}

private func parsed(_ text: String) throws -> Schedule {
  try Schedule.parse(text).get()
}

// MARK: - Seeded schedule generator

/// SplitMix64: a tiny deterministic generator so each seed gives the same schedules on every run.
private struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random schedule text in every supported form; cron fields mix `*`, steps, ranges, lists and names.
private func randomScheduleText(_ g: inout SplitMix64) -> String {
  func time() -> String { "\(Int.random(in: 0...23, using: &g)):\(pad2(Int.random(in: 0...59, using: &g)))" }
  func field(_ range: ClosedRange<Int>, names: [String] = []) -> String {
    func value() -> String {
      let v = Int.random(in: range, using: &g)
      return !names.isEmpty && Bool.random(using: &g) && v - range.lowerBound < names.count ? names[v - range.lowerBound] : "\(v)"
    }
    switch Int.random(in: 0..<7, using: &g) {
    case 0, 1: return "*"
    case 2: return "*/\(Int.random(in: 1...max(1, range.count / 2), using: &g))"
    case 3: return value()
    case 4:
      let a = Int.random(in: range, using: &g), b = Int.random(in: a...range.upperBound, using: &g)
      return "\(a)-\(b)"
    case 5:
      let a = Int.random(in: range, using: &g), b = Int.random(in: a...range.upperBound, using: &g)
      return "\(a)-\(b)/\(Int.random(in: 1...5, using: &g))"
    default: return (0..<Int.random(in: 2...4, using: &g)).map { _ in value() }.joined(separator: ",")
    }
  }
  switch Int.random(in: 0..<8, using: &g) {
  case 0: return "hourly at :\(pad2(Int.random(in: 0...59, using: &g)))"
  case 1: return "daily at \(time())"
  case 2:
    let days = (0..<Int.random(in: 1...3, using: &g)).map { _ in Schedule.Weekday.shortNames[Int.random(in: 0..<7, using: &g)] }
    return "weekly on \(days.joined(separator: ",")) at \(time())"
  case 3: return "monthly on \(Int.random(in: 1...31, using: &g)) at \(time())"
  default:
    let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    return [
      field(0...59), field(0...23), field(1...31), field(1...12, names: months),
      field(0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]),
    ].joined(separator: " ")
  }
}

@Suite struct ScheduleTests {
  // MARK: - Firing instants worked out by hand

  struct FireCase: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let schedule: String
    let after: SimTime
    /// Successive results of `nextFire(after:)`, starting from `after`.
    let fires: [SimTime]

    init(_ why: String, _ schedule: String, after: SimTime, _ fires: [SimTime]) {
      testDescription = "\(schedule) after \(after): \(why)"
      self.schedule = schedule
      self.after = after
      self.fires = fires
    }

    // 2027-01-01 is a Friday.
    static let table: [FireCase] = [
      FireCase("a run at exactly 02:00 is not 'after'", "daily at 02:00", after: utc(2027, 1, 1, 2), [utc(2027, 1, 2, 2), utc(2027, 1, 3, 2)]),
      FireCase("one second before fires the same day", "daily at 02:00", after: utc(2027, 1, 1, 1, 59, 59), [utc(2027, 1, 1, 2)]),
      FireCase("bare daily is midnight, across the new year", "daily", after: utc(2027, 12, 31, 23, 59, 59), [utc(2028, 1, 1)]),
      FireCase("bare hourly is minute 0", "hourly", after: utc(2027, 1, 1), [utc(2027, 1, 1, 1), utc(2027, 1, 1, 2)]),
      FireCase(
        "minute already passed this hour", "hourly at :15", after: utc(2027, 1, 1, 10, 20), [utc(2027, 1, 1, 11, 15), utc(2027, 1, 1, 12, 15)]),
      FireCase("minute without colon", "hourly at 15", after: utc(2027, 1, 1, 10, 14, 59), [utc(2027, 1, 1, 10, 15)]),
      FireCase("rolls over the year", "hourly at :45", after: utc(2027, 12, 31, 23, 50), [utc(2028, 1, 1, 0, 45)]),
      FireCase("Friday to Sunday", "weekly on Sun at 03:00", after: utc(2027, 1, 1, 12), [utc(2027, 1, 3, 3), utc(2027, 1, 10, 3)]),
      FireCase("exactly at the slot waits a week", "weekly on Sun at 03:00", after: utc(2027, 1, 3, 3), [utc(2027, 1, 10, 3)]),
      FireCase("same day, slot still ahead", "weekly on Sunday at 03:00", after: utc(2027, 1, 3, 2, 59), [utc(2027, 1, 3, 3)]),
      FireCase(
        "two days a week", "weekly on Mon,Thu at 03:00", after: utc(2027, 1, 1), [utc(2027, 1, 4, 3), utc(2027, 1, 7, 3), utc(2027, 1, 11, 3)]),
      FireCase(
        "31 skips Feb, Apr, Jun, Sep, Nov", "monthly on 31 at 04:00", after: utc(2027, 1, 31, 4),
        [
          utc(2027, 3, 31, 4), utc(2027, 5, 31, 4), utc(2027, 7, 31, 4), utc(2027, 8, 31, 4), utc(2027, 10, 31, 4), utc(2027, 12, 31, 4),
          utc(2028, 1, 31, 4),
        ]),
      FireCase("29 skips February in a common year", "monthly on 29", after: utc(2027, 1, 30), [utc(2027, 3, 29)]),
      FireCase("29 hits February in a leap year", "monthly on 29", after: utc(2028, 1, 30), [utc(2028, 2, 29), utc(2028, 3, 29)]),
      FireCase("into the next year", "monthly on 1 at 04:00", after: utc(2027, 12, 15), [utc(2028, 1, 1, 4)]),
      FireCase(
        "business hours skip the weekend (2027-01-08 is a Friday)", "*/15 9-17 * * 1-5", after: utc(2027, 1, 8, 17, 30),
        [utc(2027, 1, 8, 17, 45), utc(2027, 1, 11, 9), utc(2027, 1, 11, 9, 15)]),
      FireCase(
        "dom and dow both restricted: the 13th OR a Friday", "0 12 13 * 5", after: utc(2027, 1, 1, 12),
        [utc(2027, 1, 8, 12), utc(2027, 1, 13, 12), utc(2027, 1, 15, 12), utc(2027, 1, 22, 12)]),
      FireCase(
        "OR rule: the 1st (a Thursday) or a Monday", "0 0 1 * MON", after: utc(2027, 3, 29),
        [utc(2027, 4, 1), utc(2027, 4, 5), utc(2027, 4, 12)]),
      FireCase(
        "dom starts with *: days 1,8,15,22,29 AND Friday; next month starting on a Friday is October",
        "0 12 */7 * 5", after: utc(2027, 1, 1, 12),
        [utc(2027, 1, 8, 12), utc(2027, 1, 15, 12), utc(2027, 1, 22, 12), utc(2027, 1, 29, 12), utc(2027, 10, 1, 12)]),
      FireCase("leap day", "0 0 29 2 *", after: utc(2027, 1, 1), [utc(2028, 2, 29), utc(2032, 2, 29)]),
      FireCase(
        "leap day on a Sunday: 28 years apart, beyond any 8-year search", "0 0 29 2 */7", after: utc(2027, 1, 1),
        [utc(2032, 2, 29), utc(2060, 2, 29)]),
      FireCase(
        "month names, any case", "30 4 1 JAN,jul *", after: utc(2027, 1, 1), [utc(2027, 1, 1, 4, 30), utc(2027, 7, 1, 4, 30), utc(2028, 1, 1, 4, 30)]),
      FireCase("dow 7 is Sunday", "0 6 * * 7", after: utc(2027, 1, 1), [utc(2027, 1, 3, 6), utc(2027, 1, 10, 6)]),
      FireCase(
        "range with step, cron prefix", "cron 10-50/10 * * * *", after: utc(2027, 1, 1, 10, 50), [utc(2027, 1, 1, 11, 10), utc(2027, 1, 1, 11, 20)]),
      FireCase("hour list, mid-minute start", "0 6,18 * * *", after: utc(2027, 1, 1, 6, 0, 30), [utc(2027, 1, 1, 18), utc(2027, 1, 2, 6)]),
      FireCase("before 1970 works too", "daily at 02:00", after: utc(1969, 12, 31, 3), [utc(1970, 1, 1, 2)]),
    ]
  }

  @Test(arguments: FireCase.table)
  func nextFireMatchesHandWorkedInstants(_ c: FireCase) throws {
    let schedule = try parsed(c.schedule)
    var t = c.after
    for expected in c.fires {
      let next = try #require(schedule.nextFire(after: t))
      #expect(next == expected, "after \(t)")
      #expect(schedule.fires(at: expected))
      t = next
    }
  }

  @Test func firstFireIncludesTheInstantItself() throws {
    let daily = try parsed("daily at 02:00")
    #expect(daily.firstFire(atOrAfter: utc(2027, 1, 1, 2)) == utc(2027, 1, 1, 2))
    #expect(daily.firstFire(atOrAfter: utc(2027, 1, 1, 2, 0, 1)) == utc(2027, 1, 2, 2))
    #expect(daily.firstFire(atOrAfter: utc(2027, 1, 1)) == utc(2027, 1, 1, 2))
    let leap = try parsed("0 0 29 2 *")
    #expect(leap.firstFire(atOrAfter: utc(2028, 2, 29)) == utc(2028, 2, 29))
  }

  @Test func emptyWeekdaySetNeverFires() {
    #expect(Schedule.weekly(on: [], at: .init(hour: 3, minute: 0)).nextFire(after: utc(2027, 1, 1)) == nil)
  }

  /// A run per call for a year of 15-minute uploads must stay cheap and exact (about 1e5 calls per simulation).
  @Test func longChainsStayExact() throws {
    let cron = try parsed("*/15 * * * *")
    let hourly = try parsed("hourly at :00")
    var a = utc(2027, 1, 1), b = utc(2027, 1, 1)
    for _ in 0..<35_040 {
      a = try #require(cron.nextFire(after: a))
      b = try #require(hourly.nextFire(after: b))
    }
    #expect(a == utc(2028, 1, 1))
    #expect(b == utc(2027, 1, 1) + 35_040 * 3600)
  }

  // MARK: - Canonical text

  struct CanonicalCase: Sendable, CustomTestStringConvertible {
    let text: String
    let canonical: String
    var testDescription: String { "'\(text)' -> '\(canonical)'" }

    static let table: [CanonicalCase] = [
      .init(text: "HOURLY", canonical: "hourly at :00"),
      .init(text: "hourly at 15", canonical: "hourly at :15"),
      .init(text: "  Daily  ", canonical: "daily at 00:00"),
      .init(text: "daily AT 2:00", canonical: "daily at 02:00"),
      .init(text: "weekly", canonical: "weekly on Sun at 00:00"),
      .init(text: "weekly on thursday, mon at 3:00", canonical: "weekly on Mon,Thu at 03:00"),
      .init(text: "weekly on Tue ,Fri", canonical: "weekly on Tue,Fri at 00:00"),
      .init(text: "weekly on Sat,sat", canonical: "weekly on Sat at 00:00"),
      .init(text: "monthly", canonical: "monthly on 1 at 00:00"),
      .init(text: "Monthly On 31 At 23:59", canonical: "monthly on 31 at 23:59"),
      .init(text: "cron 0,15,30,45 * * * *", canonical: "*/15 * * * *"),
      .init(text: "0 9-17 * jan-mar mon-fri", canonical: "0 9-17 * 1-3 1-5"),
      .init(text: "0 0 1-31 * *", canonical: "0 0 1-31 * *"),
      .init(text: "0 0 * * 0,7", canonical: "0 0 * * 0"),
      .init(text: "0 0 * * 5-7", canonical: "0 0 * * 0,5,6"),
      .init(text: "0 0 */2 * 1", canonical: "0 0 */2 * 1"),
      .init(text: "0 0 1-31/2 * 1", canonical: "0 0 1-31/2 * 1"),
      .init(text: "0 0 * * */2", canonical: "0 0 * * */2"),
      .init(text: "5/20 0-23 * * *", canonical: "5-45/20 * * * *"),
      .init(text: "0 1,2,3,7 * * *", canonical: "0 1-3,7 * * *"),
    ]
  }

  @Test(arguments: CanonicalCase.table)
  func descriptionIsCanonicalAndParsesBack(_ c: CanonicalCase) throws {
    let schedule = try parsed(c.text)
    #expect(schedule.description == c.canonical)
    #expect(try parsed(schedule.description) == schedule)
  }

  @Test func equivalentSpellingsAreEqual() throws {
    #expect(try parsed("weekly on Mon,Thu at 03:00") == parsed("WEEKLY ON thu,Monday AT 03:00"))
    #expect(try parsed("*/15 * * * *") == parsed("0-59/15 * * * *"))
    // Same days, but a leading * switches the day rule from OR to AND.
    #expect(try parsed("0 0 */2 * 1") != parsed("0 0 1-31/2 * 1"))
  }

  // MARK: - Rejections

  struct RejectCase: Sendable, CustomTestStringConvertible {
    let text: String
    let message: String
    var testDescription: String { "'\(text)'" }

    static let table: [RejectCase] = [
      .init(text: "", message: "schedule is empty; expected e.g. 'daily at 02:00', 'weekly on Sun at 03:00' or a 5-field cron expression"),
      .init(text: "daily at 25:00", message: "hour 25 is out of range 0-23 in 'daily at 25:00'"),
      .init(text: "daily at 02:60", message: "minute 60 is out of range 0-59 in 'daily at 02:60'"),
      .init(text: "daily at 2am", message: "expected a time like 02:00 after 'at' (got '2am') in 'daily at 2am'"),
      .init(text: "daily 02:00", message: "expected 'at HH:MM' after 'daily' (got '02:00') in 'daily 02:00'"),
      .init(text: "daily at", message: "expected a time like 02:00 after 'at' in 'daily at'"),
      .init(text: "daily at 02:00 UTC", message: "unexpected 'UTC' after the time in 'daily at 02:00 UTC'"),
      .init(text: "hourly at :60", message: "minute 60 is out of range 0-59 in 'hourly at :60'"),
      .init(text: "hourly at noon", message: "expected a minute like :15 after 'at' (got 'noon') in 'hourly at noon'"),
      .init(text: "hourly on 15", message: "expected 'hourly' or 'hourly at :MM' in 'hourly on 15'"),
      .init(text: "weekly on Sunn at 03:00", message: "unknown weekday 'Sunn' in 'weekly on Sunn at 03:00'; did you mean 'Sun'?"),
      .init(text: "weekly on Xyzzy", message: "unknown weekday 'Xyzzy' in 'weekly on Xyzzy'; use Sun, Mon, Tue, Wed, Thu, Fri or Sat"),
      .init(text: "weekly at 03:00", message: "expected 'on' after 'weekly' (got 'at') in 'weekly at 03:00'; e.g. 'weekly on Sun at 03:00'"),
      .init(text: "weekly on at 03:00", message: "expected a day after 'on' in 'weekly on at 03:00'; e.g. 'weekly on Sun at 03:00'"),
      .init(text: "weekly on Mon,,Thu at 03:00", message: "empty day in the list 'Mon,,Thu' in 'weekly on Mon,,Thu at 03:00'"),
      .init(text: "weekly on Mon Thu", message: "unknown weekday 'Mon Thu' in 'weekly on Mon Thu'; use Sun, Mon, Tue, Wed, Thu, Fri or Sat"),
      .init(text: "monthly on 1 2 at 04:00", message: "expected a day of the month (1-31) after 'on' (got '1 2') in 'monthly on 1 2 at 04:00'"),
      .init(text: "weekly on Mon at 03:00 at 04:00", message: "unexpected 'at 04:00' after the time in 'weekly on Mon at 03:00 at 04:00'"),
      .init(text: "monthly on 32 at 04:00", message: "day 32 is out of range 1-31 in 'monthly on 32 at 04:00'"),
      .init(text: "monthly on 0", message: "day 0 is out of range 1-31 in 'monthly on 0'"),
      .init(text: "monthly on first", message: "expected a day of the month (1-31) after 'on' (got 'first') in 'monthly on first'"),
      .init(text: "dialy at 02:00", message: "unknown schedule 'dialy' in 'dialy at 02:00'; did you mean 'daily'?"),
      .init(
        text: "every day",
        message: "unknown schedule 'every' in 'every day'; expected e.g. 'daily at 02:00', 'weekly on Sun at 03:00' or a 5-field cron expression"),
      .init(text: "0 0 * *", message: "cron needs 5 fields (got 4) in '0 0 * *'; minute hour day-of-month month day-of-week"),
      .init(text: "cron 0 0 * * * *", message: "cron needs 5 fields (got 6) in 'cron 0 0 * * * *'; minute hour day-of-month month day-of-week"),
      .init(text: "*/0 * * * *", message: "step 0 is not allowed (minute field '*/0') in '*/0 * * * *'; use a step of 1 or more"),
      .init(text: "*/x * * * *", message: "step 'x' in the minute field is not a number in '*/x * * * *'"),
      .init(text: "60 * * * *", message: "minute 60 is out of range 0-59 in '60 * * * *'"),
      .init(text: "0 24 * * *", message: "hour 24 is out of range 0-23 in '0 24 * * *'"),
      .init(text: "0 0 32 * *", message: "day-of-month 32 is out of range 1-31 in '0 0 32 * *'"),
      .init(text: "0 0 0 * *", message: "day-of-month 0 is out of range 1-31 in '0 0 0 * *'"),
      .init(text: "0 0 * 13 *", message: "month 13 is out of range 1-12 in '0 0 * 13 *'"),
      .init(text: "0 0 * * 8", message: "day-of-week 8 is out of range 0-7 in '0 0 * * 8'"),
      .init(text: "0 x * * *", message: "hour 'x' is not a number in '0 x * * *'"),
      .init(text: "0 0 * JNA *", message: "unknown month 'JNA' in '0 0 * JNA *'; did you mean 'JAN'?"),
      .init(text: "0 0 * * FRY", message: "unknown weekday 'FRY' in '0 0 * * FRY'; did you mean 'FRI'?"),
      .init(text: "0 17-9 * * *", message: "hour range 17-9 runs backwards in '0 17-9 * * *'; split it, e.g. '17-23,0-9'"),
      .init(text: "0 0 * * FRI-MON", message: "day-of-week range FRI-MON runs backwards in '0 0 * * FRI-MON'; split it, e.g. '5-6,0-1'"),
      .init(text: "1,,2 * * * *", message: "empty value in the minute field '1,,2' in '1,,2 * * * *'"),
      .init(text: "*,5 * * * *", message: "'*' cannot be combined with other values in the minute field '*,5' in '*,5 * * * *'"),
      .init(text: "0 0 30 2 *", message: "'0 0 30 2 *' never fires: day-of-month 30 never occurs in Feb"),
      .init(text: "0 0 31 4,6,9,11 *", message: "'0 0 31 4,6,9,11 *' never fires: day-of-month 31 never occurs in Apr, Jun, Sep, Nov"),
      .init(text: "0 0 30,31 FEB *", message: "'0 0 30,31 FEB *' never fires: day-of-month 30,31 never occurs in Feb"),
      // A leading * on day-of-week makes the rule AND, so Feb 30 is still required.
      .init(text: "0 0 30 2 */7", message: "'0 0 30 2 */7' never fires: day-of-month 30 never occurs in Feb"),
      // AWS EventBridge / Backup forms, pasted: say how to write them here.
      .init(
        text: "cron(0 2 * * ? *)",
        message: "'cron(0 2 * * ? *)' is the AWS cron() form, which this tool does not read; "
          + "write the 5 fields minute hour day-of-month month day-of-week, without 'cron(', '?' and the year: '0 2 * * *'"),
      .init(
        text: "cron(0 3 ? * MON-FRI 2027)",
        message: "'cron(0 3 ? * MON-FRI 2027)' is the AWS cron() form, which this tool does not read; "
          + "write the 5 fields minute hour day-of-month month day-of-week, without 'cron(', '?' and the year: '0 3 * * MON-FRI' "
          + "(the year field '2027' has no equivalent: set start and duration instead)"),
      .init(
        text: "cron(0 3 ? * 2 *)",
        message: "'cron(0 3 ? * 2 *)' is the AWS cron() form, which this tool does not read; "
          + "write the 5 fields minute hour day-of-month month day-of-week, without 'cron(', '?' and the year; "
          + "AWS numbers weekdays 1-7 from Sunday and this tool 0-6, so use names like MON-FRI"),
      .init(
        text: "rate(1 day)",
        message: "'rate(1 day)' is the AWS rate() form, which this tool does not read; write 'daily at 00:00' (pick the time of day)"),
      .init(
        text: "rate(15 minutes)",
        message: "'rate(15 minutes)' is the AWS rate() form, which this tool does not read; write the cron expression '*/15 * * * *'"),
      .init(
        text: "rate(3 days)",
        message: "'rate(3 days)' is the AWS rate() form, which this tool does not read; "
          + "write 'hourly', 'daily at HH:MM', 'weekly on Sun at HH:MM' or a 5-field cron expression"),
    ]
  }

  @Test(arguments: RejectCase.table)
  func rejectionsSayWhatIsWrong(_ c: RejectCase) {
    #expect(Schedule.parse(c.text) == .failure(ScheduleParseError(message: c.message)))
  }

  @Test(arguments: ["0 0 29 2 *", "0 0 30 2 1", "0 0 31 * *", "0 0 31 1-2 *"])
  func rareButPossibleSchedulesAreAccepted(_ text: String) throws {
    let schedule = try parsed(text)
    #expect(schedule.nextFire(after: utc(2027, 1, 1)) != nil)
  }

  @Test(arguments: 0..<100)
  func nextFireIsIncreasingAndNeverSkipsAFiring(seed: Int) throws {
    var g = SplitMix64(state: UInt64(seed))
    var schedule: Schedule?
    // Impossible random crons (say Feb 30) are rejected; draw again.
    while schedule == nil { schedule = try? Schedule.parse(randomScheduleText(&g)).get() }
    let s = try #require(schedule)
    #expect(try parsed(s.description) == s, "\(s) round-trips")

    var t = utc(2027, 1, 1) + Int64.random(in: 0..<(8 * 365 * 86_400), using: &g)
    for _ in 0..<8 {
      let next = try #require(s.nextFire(after: t), "\(s) after \(t)")
      #expect(next > t)
      #expect(s.fires(at: next), "\(s) fires at \(next)")
      #expect(s.firstFire(atOrAfter: next) == next)
      // No whole minute strictly between t and next fires (checked minute by minute for up to a day).
      var minute = SimTime(seconds: (t.seconds / 60 + 1) * 60)
      let scanEnd = min(next, t + 86_400)
      while minute < scanEnd {
        #expect(!s.fires(at: minute), "\(s) skipped \(minute) going from \(t) to \(next)")
        minute = minute + 60
      }
      t = next
    }
  }
}
