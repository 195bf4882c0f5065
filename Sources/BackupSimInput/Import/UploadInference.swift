import BackupSimModel
import Foundation

/// The upload jobs a user would write for the keys an S3 Inventory report lists.
///
/// Dates in keys (`2027-01-31`, `2027-01-31T02:00:00Z`) become `{date}` and `{datetime}`; several
/// keys per date that differ only in the last number of their name become `{i}`; a fixed key with
/// several versions is a job that overwrites it. The schedule comes from the median gap between
/// runs and the median time of day they were written; the size is the median version size, and
/// growth compares the median size of the first and last 30 days written.
public enum UploadInference {
  public struct Job: Sendable, Equatable {
    public var name: String
    public var key: String
    public var schedule: String
    public var objects: Int
    public var size: Int64
    public var growth: String?
    public var storageClass: StorageClass
    /// What it was inferred from, for the YAML comment.
    public var evidence: String
  }

  public struct Inferred: Sendable {
    public var jobs: [Job]
    /// Key shapes that were not made jobs, and why.
    public var skipped: [String]
  }

  struct Sample {
    var key: String
    var time: Int64
    var size: Int64
    var storageClass: StorageClass
  }

  public static func infer(_ r: InventoryReader.Result) -> Inferred {
    // Versions (not markers) by key shape with dates replaced.
    var byShape: [String: [(date: String?, sample: Sample)]] = [:]
    for v in r.versions where !v.isMarker {
      let key = r.keys[Int(v.key)]
      let (shape, date) = dated(key)
      byShape[shape, default: []].append((date, Sample(key: key, time: v.createdAt, size: v.size, storageClass: v.storageClass)))
    }
    // Dated shapes that differ only in the last number of the name are one job's {i}.
    var merged: [String: [(date: String?, sample: Sample)]] = [:]
    for (shape, items) in byShape {
      let dated = shape.contains("{date}") || shape.contains("{datetime}")
      merged[dated ? indexed(shape) : shape, default: []] += items
    }
    var jobs: [Job] = []
    var skipped: [String] = []
    for template in merged.keys.sorted() {
      guard let items = merged[template] else { continue }
      let keys = Set(items.map(\.sample.key))
      if template.contains("{date}") || template.contains("{datetime}") {
        // One run per date; several keys per date need {i}.
        var perDate: [String: [Sample]] = [:]
        for it in items { perDate[it.date ?? "", default: []].append(it.sample) }
        let counts = perDate.values.map { Set($0.map(\.key)).count }.sorted()
        if counts.last ?? 1 > 1 && !template.contains("{i}") {
          skipped.append("\(keys.count) keys like \(template) with no numbering per date (left to the inventory's per-prefix restore points)")
          continue
        }
        guard perDate.count >= 3 else {
          skipped.append("\(keys.count) keys like \(template) on only \(perDate.count) dates: too few to tell a schedule")
          continue
        }
        let runs = perDate.values.map { $0.map(\.time).min() ?? 0 }.sorted()
        jobs.append(
          job(
            template: template, runs: runs, samples: items.map(\.sample), objects: counts[counts.count / 2],
            evidence: "\(keys.count) keys on \(perDate.count) dates (\(perDate.keys.min() ?? "") … \(perDate.keys.max() ?? ""))"))
      } else if keys.count == 1 {
        guard items.count >= 3 else { continue }
        let runs = items.map(\.sample.time).sorted()
        jobs.append(
          job(template: template, runs: runs, samples: items.map(\.sample), objects: 1, evidence: "\(items.count) versions of one key, overwritten"))
      }
    }
    // Unique, readable names: the first path segment, then a counter.
    var used: [String: Int] = [:]
    for k in jobs.indices {
      var base = String(jobs[k].key.prefix { $0 != "/" && $0 != "{" }).trimmingCharacters(in: CharacterSet(charactersIn: " ._-"))
      if base.isEmpty { base = "backup" }
      used[base, default: 0] += 1
      jobs[k].name = used[base] == 1 ? base : "\(base)-\(used[base] ?? 0)"
    }
    return Inferred(jobs: jobs, skipped: skipped)
  }

  static func job(template: String, runs: [Int64], samples: [Sample], objects: Int, evidence: String) -> Job {
    let day: Int64 = 86_400
    let gaps = zip(runs.dropFirst(), runs).map { $0 - $1 }.sorted()
    let gap = gaps.isEmpty ? day : gaps[gaps.count / 2]
    let times = runs.map { ($0 % day + day) % day }.sorted()
    let tod = times[times.count / 2]
    let hh = tod / 3_600, mm = tod / 60 % 60
    let at = "\(pad2(Int(hh))):\(pad2(Int(mm)))"
    let schedule: String
    var perDay = ""
    switch gap {
    case ..<(2 * 3_600):
      schedule = "hourly at :\(pad2(Int(mm)))"
      perDay = "24 runs a day"
    case ..<(day * 3 / 2):
      schedule = "daily at \(at)"
      perDay = "1 run a day"
    case (6 * day)...(8 * day):
      let weekdays = runs.map { SimTime(seconds: $0).date.weekday }
      let common = Dictionary(weekdays.map { ($0, 1) }, uniquingKeysWith: +).max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 0
      schedule = "weekly on \(["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][common]) at \(at)"
      perDay = "1 run a week"
    case (27 * day)...(32 * day):
      let days = runs.map { SimTime(seconds: $0).date.day }.sorted()
      schedule = "monthly on \(min(28, days[days.count / 2])) at \(at)"
      perDay = "1 run a month"
    default:
      schedule = "daily at \(at)"
      perDay =
        "runs \(String(format: "%.1f", locale: Locale(identifier: "en_US_POSIX"), Double(gap) / Double(day))) days apart (a daily schedule is a guess)"
    }
    let sizes = samples.map(\.size).sorted()
    let median = sizes[sizes.count / 2]
    // Growth: the median size of the last 30 days written against the first 30.
    var growth: String?
    if let first = runs.first, let last = runs.last, last - first >= 60 * day {
      let early = samples.filter { $0.time < first + 30 * day }.map(\.size).sorted()
      let late = samples.filter { $0.time > last - 30 * day }.map(\.size).sorted()
      // Enough versions at each end for a median to mean something.
      if early.count >= 20, late.count >= 20, early[early.count / 2] > 0 {
        let ratio = Double(late[late.count / 2]) / Double(early[early.count / 2])
        let months = Double(last - first - 30 * day) / (Double(day) * 365.2425 / 12)
        let pct = (_pow(ratio, 1 / months) - 1) * 100
        if pct >= 0.1 { growth = String(format: "%.1f%% per month", locale: Locale(identifier: "en_US_POSIX"), pct) }
      }
    }
    // The class it uploads to: the most common among the newest tenth of its versions.
    let newest = samples.sorted { $0.time > $1.time }.prefix(max(1, samples.count / 10))
    let cls = Dictionary(newest.map { ($0.storageClass, 1) }, uniquingKeysWith: +).max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? .standard
    var ev = "\(evidence): \(perDay)"
    if objects > 1 { ev += ", \(objects) objects per run (median)" }
    ev += ", median size \(ScenarioImport.bytesText(median))"
    if let growth { ev += ", growth \(growth)" }
    return Job(name: "", key: template, schedule: schedule, objects: objects, size: median, growth: growth, storageClass: cls, evidence: ev)
  }

  /// The key with its dates as placeholders, and its first date.
  static func dated(_ key: String) -> (shape: String, date: String?) {
    let b = Array(key.utf8)
    var out: [UInt8] = []
    var date: String?
    var i = 0
    func d(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
    func at(_ k: Int, _ c: Character) -> Bool { k < b.count && b[k] == c.asciiValue }
    while i < b.count {
      let isDate =
        d(i) && d(i + 1) && d(i + 2) && d(i + 3) && at(i + 4, "-") && d(i + 5) && d(i + 6) && at(i + 7, "-") && d(i + 8) && d(i + 9)
        && !d(i + 10) && (i == 0 || !d(i - 1))
      if isDate {
        let isDateTime =
          at(i + 10, "T") && d(i + 11) && d(i + 12) && at(i + 13, ":") && d(i + 14) && d(i + 15) && at(i + 16, ":") && d(i + 17) && d(i + 18)
          && at(i + 19, "Z")
        if date == nil { date = String(decoding: b[i..<(i + 10)], as: UTF8.self) }
        out += Array((isDateTime ? "{datetime}" : "{date}").utf8)
        i += isDateTime ? 20 : 10
      } else {
        out.append(b[i])
        i += 1
      }
    }
    return (String(decoding: out, as: UTF8.self), date)
  }

  /// The shape with the last number of its last path segment as `{i}`.
  static func indexed(_ shape: String) -> String {
    let b = Array(shape.utf8)
    let slash = b.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
    var end = b.count
    while end > slash && !(b[end - 1] >= 0x30 && b[end - 1] <= 0x39) { end -= 1 }
    guard end > slash else { return shape }
    var start = end
    while start > slash && b[start - 1] >= 0x30 && b[start - 1] <= 0x39 { start -= 1 }
    return String(decoding: b[..<start], as: UTF8.self) + "{i}" + String(decoding: b[end...], as: UTF8.self)
  }
}
