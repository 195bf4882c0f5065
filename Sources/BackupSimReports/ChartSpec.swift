import BackupSimAnalysis
import BackupSimEngine
import BackupSimModel
import Foundation

/// A chart to draw: named series of (x, y) points, independent of how it is drawn.
///
/// The report writers build specs from a `RunResult` (cost per month, storage per day, restore points
/// per day) and `GnuplotScript` turns a spec into a gnuplot script; nothing here runs a process.
/// Any series can be fed in, e.g. good restore points left after an attack:
///
/// ```swift
/// let spec = ChartSpec.goodRestorePointsAfterAttack([(date, 30), (later, 12)], strategy: "overwrite", attackAt: t)
/// ```
public struct ChartSpec: Sendable, Equatable {
  /// How the series are drawn.
  public enum Style: Sendable, Equatable {
    /// One line per series.
    case lines
    /// One step line per series (for counts that change at day boundaries).
    case steps
    /// Bars stacked in series order, first series at the bottom (x values shared by all series).
    case stackedBars
    /// Filled areas stacked in series order, first series at the bottom.
    case stackedAreas
  }

  /// What the x values mean.
  public enum XAxis: Sendable, Equatable {
    /// x is an instant in seconds since 1970-01-01T00:00:00Z (`SimTime.seconds`); ticks at month starts.
    case dates
    /// x is the 0-based index of a label, e.g. one bar per month.
    case categories([String])
    /// x is a plain number, e.g. days since the start.
    case numbers(label: String)
  }

  /// How numbers on a y axis are printed.
  public enum ValueFormat: Sendable, Equatable {
    case dollars
    case number
  }

  /// Which y axis a series is measured on.
  public enum Axis: Sendable, Equatable {
    case left
    case right
  }

  /// A colour, written by us as `#rrggbb` (never user text).
  public struct Color: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public init(_ hex: UInt32) {
      red = UInt8((hex >> 16) & 0xFF)
      green = UInt8((hex >> 8) & 0xFF)
      blue = UInt8(hex & 0xFF)
    }
    public var hex: String {
      "#" + [red, green, blue].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
  }

  public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
      self.x = x
      self.y = y
    }
  }

  /// A series of points; in `lines` and `steps` charts a point whose `y` is NaN breaks the line.
  public struct Series: Sendable, Equatable {
    public var label: String
    public var points: [Point]
    public var color: Color?
    public var axis: Axis
    /// Draw the line dashed (tells apart lines that lie on top of each other).
    public var dashed: Bool
    public init(label: String, points: [Point], color: Color? = nil, axis: Axis = .left, dashed: Bool = false) {
      self.label = label
      self.points = points
      self.color = color
      self.axis = axis
      self.dashed = dashed
    }

    /// Whether at least one point can be drawn.
    public var hasData: Bool { points.contains { $0.x.isFinite && $0.y.isFinite } }
  }

  /// A vertical line at `x` with a label, for example the moment of an attack.
  public struct Marker: Sendable, Equatable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) {
      self.x = x
      self.label = label
    }
  }

  /// File name stem under `charts/`; reduced to `[a-z0-9-]` by `fileStem`.
  public var id: String
  public var title: String
  /// One plain-words sentence on what the chart shows (figure caption and alt text).
  public var caption: String
  public var style: Style
  public var xAxis: XAxis
  public var yLabel: String
  public var yFormat: ValueFormat
  public var y2Label: String?
  public var y2Format: ValueFormat
  public var series: [Series]
  public var markers: [Marker]

  public init(
    id: String, title: String, caption: String, style: Style, xAxis: XAxis, yLabel: String, yFormat: ValueFormat = .number,
    y2Label: String? = nil, y2Format: ValueFormat = .number, series: [Series], markers: [Marker] = []
  ) {
    self.id = id
    self.title = title
    self.caption = caption
    self.style = style
    self.xAxis = xAxis
    self.yLabel = yLabel
    self.yFormat = yFormat
    self.y2Label = y2Label
    self.y2Format = y2Format
    self.series = series
    self.markers = markers
  }

  /// The chart's file name stem: lower-case letters, digits and dashes only, never empty.
  public var fileStem: String {
    var out = ""
    for u in id.lowercased().unicodeScalars {
      if ("a"..."z").contains(u) || ("0"..."9").contains(u) {
        out.unicodeScalars.append(u)
      } else if !out.isEmpty && !out.hasSuffix("-") {
        out += "-"
      }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "chart" : String(out.prefix(60))
  }

  /// True when no series has a point to draw.
  public var isEmpty: Bool { series.allSatisfy { !$0.hasData } }
}

// MARK: - Palettes

extension ChartSpec {
  /// Colours of the charge categories, in `MonthCost` order.
  static let categoryColors: [Color] = [Color(0x2F6DB5), Color(0xE3A21A), Color(0x7B5EA7), Color(0xD1495B), Color(0x2A9D8F)]

  /// A fixed colour per storage class, warm to cold.
  public static func color(_ c: StorageClass) -> Color {
    switch c {
    case .standard: return Color(0x2F6DB5)
    case .intelligentTiering: return Color(0x6FB1E8)
    case .standardIA: return Color(0x2A9D8F)
    case .oneZoneIA: return Color(0x8AB17D)
    case .glacierIR: return Color(0xE9C46A)
    case .glacier: return Color(0xF4A261)
    case .deepArchive: return Color(0x6D597A)
    }
  }

  /// Shades of INTELLIGENT_TIERING's blue, lighter to darker as the tier gets colder.
  static func color(_ t: AccessTier) -> Color {
    switch t {
    case .frequent: return Color(0x6FB1E8)
    case .infrequent: return Color(0x4A90C8)
    case .archiveInstant: return Color(0x2F6F9F)
    case .archive: return Color(0x1F4E79)
    case .deepArchive: return Color(0x10304D)
    }
  }

  /// Colours for series that have no meaning of their own (scenarios in a comparison, attack strategies).
  public static let palette: [Color] = [
    Color(0x2F6DB5), Color(0xD1495B), Color(0x2A9D8F), Color(0xE3A21A), Color(0x7B5EA7), Color(0x5C6B73), Color(0xF4A261),
    Color(0x8AB17D),
  ]
}

// MARK: - Charts of one run

extension ChartSpec {
  /// Month labels for a chart axis: the year only on the first and on each January ("Jan 2027", "Feb", ...).
  static func axisMonthLabels(_ yearMonths: [String]) -> [String] {
    yearMonths.enumerated().map { i, ym in
      let label = Format.month(ym)
      return i == 0 || ym.hasSuffix("-01") ? label : String(label.prefix(3))
    }
  }

  static func double(_ m: Money) -> Double { NSDecimalNumber(decimal: m.amount).doubleValue }
  static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

  /// Every chart of the run report, in display order; charts with nothing to draw are left out, and so
  /// is storage cost by class when only one class was ever billed (the category chart shows it already).
  public static func standard(for r: RunResult) -> [ChartSpec] {
    let byClass = monthlyStorageCostByClass(r)
    return [monthlyCostByCategory(r), byClass.series.count > 1 ? byClass : nil, storedByClass(r), restorePoints(r), restorableHistory(r)]
      .compactMap { $0 }.filter { !$0.isEmpty }
  }

  /// Monthly bill stacked by charge category; categories that never cost anything are left out.
  public static func monthlyCostByCategory(_ r: RunResult) -> ChartSpec {
    let categories: [(String, KeyPath<MonthCost, Money>)] = [
      ("Storage", \.storage), ("Requests", \.requests), ("Transitions", \.transitions), ("Early deletion", \.earlyDeletion),
      ("Retrieval", \.retrieval),
    ]
    var series: [Series] = []
    for (i, (label, path)) in categories.enumerated() where r.months.contains(where: { $0[keyPath: path] != .zero }) {
      let points = r.months.enumerated().map { Point(x: Double($0.offset), y: double($0.element[keyPath: path])) }
      series.append(Series(label: label, points: points, color: categoryColors[i]))
    }
    return ChartSpec(
      id: "cost-by-category", title: "Monthly cost by category — \(r.scenarioName)",
      caption: "What each calendar month costs, split into storage, requests, transitions, early-deletion and retrieval charges.",
      style: .stackedBars, xAxis: .categories(axisMonthLabels(r.months.map(\.month))), yLabel: "USD per month", yFormat: .dollars,
      series: series)
  }

  /// Monthly storage charge stacked by storage class.
  public static func monthlyStorageCostByClass(_ r: RunResult) -> ChartSpec {
    var series: [Series] = []
    for c in StorageClass.allCases.sorted() where r.months.contains(where: { ($0.storageByClass[c] ?? .zero) != .zero }) {
      if c == .intelligentTiering {
        // One band per access tier, and one for the monitoring fee.
        for t in AccessTier.allCases where r.months.contains(where: { ($0.accessTierStorage[t] ?? .zero) != .zero }) {
          let points = r.months.enumerated().map { Point(x: Double($0.offset), y: double($0.element.accessTierStorage[t] ?? .zero)) }
          series.append(Series(label: "INTELLIGENT_TIERING \(t.title)", points: points, color: color(t)))
        }
        if r.months.contains(where: { $0.monitoring != .zero }) {
          let points = r.months.enumerated().map { Point(x: Double($0.offset), y: double($0.element.monitoring)) }
          series.append(Series(label: "INTELLIGENT_TIERING monitoring", points: points, color: Color(0x9FB8C8)))
        }
        continue
      }
      let points = r.months.enumerated().map { Point(x: Double($0.offset), y: double($0.element.storageByClass[c] ?? .zero)) }
      series.append(Series(label: c.rawValue, points: points, color: color(c)))
    }
    return ChartSpec(
      id: "storage-cost-by-class", title: "Monthly storage cost by storage class — \(r.scenarioName)",
      caption: "The storage part of each month's bill, by the storage class the bytes were billed in.",
      style: .stackedBars, xAxis: .categories(axisMonthLabels(r.months.map(\.month))), yLabel: "USD per month", yFormat: .dollars,
      series: series)
  }

  /// Stored GB (2^30 bytes) per storage class at the end of each day, stacked.
  public static func storedByClass(_ r: RunResult) -> ChartSpec {
    var series: [Series] = []
    let gib = Double(1 << 30)
    for c in StorageClass.allCases.sorted() {
      guard let i = StorageClass.allCases.firstIndex(of: c) else { continue }
      guard r.daily.contains(where: { i < $0.bytesByClass.count && $0.bytesByClass[i] != 0 }) else { continue }
      if c == .intelligentTiering {
        // One band per access tier.
        for t in AccessTier.allCases where r.daily.contains(where: { t.index < $0.accessTierBytes.count && $0.accessTierBytes[t.index] != 0 }) {
          let points = r.daily.map { d in
            Point(x: Double(d.date.midnight.seconds), y: t.index < d.accessTierBytes.count ? Double(d.accessTierBytes[t.index]) / gib : 0)
          }
          series.append(Series(label: "INTELLIGENT_TIERING \(t.title)", points: points, color: color(t)))
        }
        continue
      }
      let points = r.daily.map { d in
        Point(x: Double(d.date.midnight.seconds), y: i < d.bytesByClass.count ? Double(d.bytesByClass[i]) / gib : 0)
      }
      series.append(Series(label: c.rawValue, points: points, color: color(c)))
    }
    return ChartSpec(
      id: "stored-by-class", title: "Stored data by storage class — \(r.scenarioName)",
      caption: "Logical bytes stored at the end of each day (current and noncurrent versions), by storage class. GB = 2^30 bytes.",
      style: .stackedAreas, xAxis: .dates, yLabel: "GB stored", series: series)
  }

  /// Restorable restore points at the end of each day.
  public static func restorePoints(_ r: RunResult) -> ChartSpec {
    let days = r.restorePoints.isEmpty ? [] : r.coverageDaily
    return ChartSpec(
      id: "restore-points", title: "Backups you could restore — \(r.scenarioName)",
      caption: "How many restore points (backup runs) could still be restored in full at the end of each day.",
      style: .steps, xAxis: .dates, yLabel: "restorable restore points",
      series: [
        Series(
          label: "Restorable restore points", points: days.map { Point(x: Double($0.date.midnight.seconds), y: Double($0.restorable)) },
          color: Color(0x2F6DB5))
      ])
  }

  /// Age of the oldest restorable restore point at the end of each day: how far back a restore can go.
  public static func restorableHistory(_ r: RunResult) -> ChartSpec {
    let days = r.coverageDaily
    return ChartSpec(
      id: "restorable-history", title: "How far back you could restore — \(r.scenarioName)",
      caption: "Age in days of the oldest backup that could still be restored in full, at the end of each day (a gap where none could be).",
      style: .lines, xAxis: .dates, yLabel: "days of history",
      series: [
        Series(
          label: "Age of the oldest restorable backup (days)",
          points: days.map { Point(x: Double($0.date.midnight.seconds), y: $0.oldestAgeDays ?? .nan) }, color: Color(0xD1495B))
      ])
  }

  /// Good restore points left after an attack, one step line per strategy, with the attack marked.
  ///
  /// `points` are `(date, count)` samples taken at the end of each date, as in `daily.csv`.
  public static func goodRestorePointsAfterAttack(
    _ points: [(date: CivilDate, count: Int)], strategy: String, attackAt: SimTime? = nil, scenarioName: String? = nil
  ) -> ChartSpec {
    goodRestorePointsAfterAttack([(strategy, points)], attackAt: attackAt, scenarioName: scenarioName)
  }

  /// Good restore points left over time for several attack strategies.
  public static func goodRestorePointsAfterAttack(
    _ strategies: [(strategy: String, points: [(date: CivilDate, count: Int)])], attackAt: SimTime? = nil, scenarioName: String? = nil
  ) -> ChartSpec {
    // Strategies with the same curve share one line and one label ("overwrite, flood"): drawn
    // separately, the later one hid the earlier.
    var groups: [(labels: [String], points: [Point])] = []
    for s in strategies {
      let points = s.points.map { Point(x: Double($0.date.midnight.seconds), y: Double($0.count)) }
      if let k = groups.firstIndex(where: { $0.points == points }) {
        groups[k].labels.append(s.strategy)
      } else {
        groups.append(([s.strategy], points))
      }
    }
    let series = groups.enumerated().map { i, g in
      Series(label: g.labels.joined(separator: ", "), points: g.points, color: palette[i % palette.count])
    }
    return ChartSpec(
      id: "attack-good-restore-points",
      title: "Good restore points left after an attack" + (scenarioName.map { " — \($0)" } ?? ""),
      caption: "Restore points written before the attack that could still be restored, at the end of each day, for each attack strategy.",
      style: .steps, xAxis: .dates, yLabel: "good restore points", series: series,
      markers: attackAt.map { [Marker(x: Double($0.seconds), label: "attack")] } ?? [])
  }

  /// A "## Charts" Markdown section linking every drawn chart (for `report.md`); empty without charts.
  public static func markdownSection(_ charts: [RenderedChart], folder: String = "charts") -> String {
    guard !charts.isEmpty else { return "" }
    var out = "## Charts\n\n"
    for c in charts {
      out += "![\(Markdown.escape(c.title))](\(folder)/\(c.fileName))\n\n"
    }
    return out
  }
}
