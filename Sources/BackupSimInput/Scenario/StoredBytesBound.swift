import BackupSimModel

extension ScenarioLoader {
  /// The most bytes a scenario may ever hold: 2 EiB, a quarter of the Int64 range the engine counts
  /// bytes in, so sums over classes and rounding stay representable.
  static let maxStoredBytes: Double = 0x1p61

  /// The largest standard normal draw the engine can make: Box–Muller with a uniform draw no smaller
  /// than 2^-54 (`SeededGenerator.nextUnitInterval`) gives |Z| ≤ √(−2 ln 2^-54) ≈ 8.65.
  static let maxGaussianDraw = (-2 * _log(0x1p-54)).squareRoot()

  /// Refuses a scenario whose uploads (and cost-bomb attack) could, in the worst case, hold more bytes
  /// than the engine can count: the byte totals would overflow and trap in the middle of a run.
  ///
  /// The worst case keeps every version for the whole horizon: per job, a bound on its runs × objects ×
  /// the largest object it can write (the size grown for the whole horizon, a log-normal's largest
  /// possible draw), plus per-object billing overhead. Jobs are added in order; the error is reported
  /// at the job that takes the total over the limit.
  static func checkStoredBytesFit(
    jobs: [UploadJob], nodes: [ConfigNode], attack: AttackPlan?, start: SimTime, end: SimTime, reader: inout NodeReader
  ) {
    let horizon = Double(end - start)
    // As the engine computes growth: months of 365.2425 / 12 days.
    let months = horizon / (Double(SimTime.secondsPerDay) * 365.2425 / 12)
    let days = (end - start) / SimTime.secondsPerDay + 1
    let overhead = Double(StorageClass.minimumBillableSize + StorageClass.archiveOverheadInClass + StorageClass.archiveOverheadAtStandard)
    var total = attack.map { Double($0.bandwidthBytesPerSecond) * horizon } ?? 0
    for (job, node) in zip(jobs, nodes) {
      let growth = max(1, _pow(1 + job.growthPerMonth, months))
      let largest: Double
      switch job.size {
      case .fixed(let s): largest = Double(s) * growth
      case .lognormal(let median, let sigma): largest = Double(median) * _exp(sigma * maxGaussianDraw) * growth
      }
      let runs = runsPerDayBound(job.schedule) * Double(days)
      total += runs * Double(job.objects) * (largest + overhead)
      guard !(total <= maxStoredBytes) else { continue }  // also catches inf and nan
      reader.fail(
        "upload job '\(job.name)' could bring the bucket to \(bytesText(total)) (at most \(Int(runs)) runs × \(job.objects) objects "
          + "of up to \(bytesText(largest)) each), more than the 2 EiB the simulator can count; "
          + "use fewer or smaller objects, less growth or a shorter duration",
        at: node, key: "uploads")
      return
    }
  }

  /// The most object versions with drawn (log-normal) sizes a scenario may write: the engine keeps
  /// one Int64 per such version while it lives, and without a lifecycle rule every version lives to
  /// the end; 100 million is 800 MB of sizes. (scenarios/bench/files-100k-1y.yaml writes 36.6 million.)
  static let maxDrawnSizes = 100_000_000.0

  /// Refuses upload jobs with log-normal sizes that, together, could write more versions than
  /// `maxDrawnSizes` (bounded by runs × objects, as if every version were kept).
  static func checkDrawnSizesFit(jobs: [UploadJob], nodes: [ConfigNode], start: SimTime, end: SimTime, reader: inout NodeReader) {
    let days = Double((end - start) / SimTime.secondsPerDay + 1)
    var total = 0.0
    for (job, node) in zip(jobs, nodes) {
      guard case .lognormal = job.size else { continue }
      let runs = runsPerDayBound(job.schedule) * days
      total += runs * Double(job.objects)
      guard total > maxDrawnSizes else { continue }
      reader.fail(
        "upload job '\(job.name)' could write \(Int(runs)) runs × \(job.objects) objects with log-normal sizes "
          + "(\(Int(total)) in all), more than the \(Int(maxDrawnSizes)) whose sizes the simulator keeps in memory; "
          + "use fewer objects, a fixed size or a shorter duration",
        at: node["objects"] ?? node, key: "objects")
      return
    }
  }

  /// The longest S3 key, in UTF-8 bytes (docs/s3-rules.md §3.4 lists the object limits).
  static let maxKeyBytes = 1024

  /// Refuses a key template whose longest key is over S3's limit: the template itself is checked when
  /// parsed, but `{date}` writes 10 characters, `{datetime}` 20, and `{run}` and `{i}` their largest numbers.
  static func checkKeyLengths(jobs: [UploadJob], nodes: [ConfigNode], start: SimTime, end: SimTime, reader: inout NodeReader) {
    let days = (end - start) / SimTime.secondsPerDay + 1
    for (job, node) in zip(jobs, nodes) {
      let runs = Int(runsPerDayBound(job.schedule)) * Int(days)
      let longest = job.key.parts.reduce(0) { sum, part in
        switch part {
        case .literal(let text): return sum + text.utf8.count
        case .date: return sum + "2027-01-31".count
        case .datetime: return sum + "2027-01-31T02:00:00Z".count
        case .run: return sum + String(runs).count
        case .index: return sum + String(job.objects - 1).count
        }
      }
      guard longest > maxKeyBytes else { continue }
      reader.fail(
        "upload job '\(job.name)' writes keys of up to \(longest) bytes once its placeholders are filled in; S3 keys are at most \(maxKeyBytes) bytes",
        at: node["key"] ?? node, key: "key")
    }
  }

  /// At least as many runs a day as `schedule` ever makes (weekly and monthly counted as daily).
  static func runsPerDayBound(_ schedule: Schedule) -> Double {
    switch schedule {
    case .hourly: return 24
    case .daily, .weekly, .monthly: return 1
    case .cron(let cron): return Double(cron.minutes.values.count * cron.hours.values.count)
    }
  }

  /// "2 TiB", "297,000 EiB"-style in whole binary units; a growth that overflows a Double is "an unbounded size".
  static func bytesText(_ bytes: Double) -> String {
    guard bytes.isFinite else { return "an unbounded size" }
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = bytes, unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return value < 1e15 ? "\(Int(value.rounded())) \(units[unit])" : "more than 10^15 EiB"
  }
}
