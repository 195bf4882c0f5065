import BackupSimTerminal
import Foundation

extension Bench {
  // MARK: Report

  static func markdown(_ results: [(BenchCase, BenchMeasurement)], same: [String: Bool], repeats: Int) -> String {
    var out = "### backupsim bench (\(buildKind) build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\n\n"
    if repeats > 1 { out += "Each scenario as written ran \(repeats) times: the median run, with the largest peak memory.\n\n" }
    out += "| scenario | run | days | versions | wall | CPU | peak memory | versions/s | ns/version | groups at end |\n"
    out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    for (c, m) in results {
      let mode = c.dayByDay ? "day-by-day baseline, " : ""
      out +=
        "| \(c.scenario) | \(mode)\(c.label) | \(grouped(m.days)) | \(grouped(m.versions)) | \(seconds(m.wallSeconds)) | \(seconds(m.cpuSeconds)) "
      out += "| \(mib(m.peakBytes)) | \(rate(m.perSecond)) | \(fixed(m.nsPerVersion, 0)) | \(grouped(m.groupsAtEnd)) |\n"
    }

    let products = Dictionary(results.filter { $0.0.kind == .product }.map { ($0.0.scenario, $0.1) }, uniquingKeysWith: { a, _ in a })
    let baselines = results.filter { $0.0.kind == .baseline }
    if !baselines.isEmpty {
      out += "\nSpeed-up over the day-by-day baseline (time per version; the baseline runs on a scaled copy, same years):\n\n"
      out +=
        "| scenario | copy | product ns/version (full size) | product ns/version (copy) | baseline ns/version (copy) | speed-up | same result.json |\n"
      out += "|---|---|---:|---:|---:|---:|---|\n"
      for (c, b) in baselines {
        let copy = results.first { $0.0.scenario == c.scenario && $0.0.kind == .copy }?.1
        let full = products[c.scenario]
        let speedup = full.map { b.nsPerVersion / max($0.nsPerVersion, 1e-9) }
        let agree = c.compareGroup.flatMap { same["\(c.scenario)#\($0)"] }
        out += "| \(c.scenario) | \(c.label) (\(grouped(b.versions)) versions) | \(full.map { fixed($0.nsPerVersion, 0) } ?? "-") "
        out += "| \(copy.map { fixed($0.nsPerVersion, 0) } ?? "-") | \(fixed(b.nsPerVersion, 0)) | \(speedup.map { fixed($0, 0) + "×" } ?? "-") "
        out += "| \(agree == true ? "yes" : "**NO**") |\n"
      }
    }

    let linear = results.filter { $0.0.kind == .linearity }
    if !linear.isEmpty {
      out += "\nLinearity (time per version relative to ×1 of the same axis):\n\n"
      out += "| scenario | scale | versions | wall | ns/version | vs ×1 | peak memory |\n|---|---|---:|---:|---:|---:|---:|\n"
      for (c, m) in linear {
        let axis = c.label.split(separator: " ").first.map(String.init) ?? ""
        let unit =
          linear.first { $0.0.scenario == c.scenario && $0.0.label == "\(axis) ×1" }?.1
          ?? linear.first { $0.0.scenario == c.scenario && $0.0.label.hasPrefix(axis) }?.1
        let rel = unit.map { m.nsPerVersion / max($0.nsPerVersion, 1e-9) }
        out += "| \(c.scenario) | \(c.label) | \(grouped(m.versions)) | \(seconds(m.wallSeconds)) | \(fixed(m.nsPerVersion, 0)) "
        out += "| \(rel.map { fixed($0, 2) } ?? "-") | \(mib(m.peakBytes)) |\n"
      }
    }

    let sweeps = results.filter { $0.0.kind == .sweep }
    if !sweeps.isEmpty {
      out += "\nSweeps (the grid in one process through parallelMap, as `backupsim sweep --jobs N` runs it):\n\n"
      out += "| scenario | variants | time | speed-up over 1 thread | peak memory |\n|---|---:|---|---:|---:|\n"
      for (c, m) in sweeps {
        let one = sweeps.first { $0.0.scenario == c.scenario && $0.0.threads == 1 }?.1
        let speedup = one.map { $0.wallSeconds / max(m.wallSeconds, 1e-9) }
        let time = RunClock.Timing(wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds).sentence(threads: c.threads ?? 1)
        out += "| \(c.scenario) | \(m.runs) | \(time) | \(speedup.map { fixed($0, 2) + "×" } ?? "-") | \(mib(m.peakBytes)) |\n"
      }
    }
    return out
  }

  static var buildKind: String {
    #if DEBUG
      return "debug"
    #else
      return "release"
    #endif
  }

  static let posix = Locale(identifier: "en_US_POSIX")
  static func fixed(_ v: Double, _ places: Int) -> String { String(format: "%.\(places)f", locale: posix, v) }
  static func seconds(_ v: Double) -> String { v < 10 ? fixed(v, 2) + " s" : fixed(v, 1) + " s" }
  static func mib(_ bytes: Int) -> String { fixed(Double(bytes) / 1_048_576, 0) + " MiB" }
  static func rate(_ v: Double) -> String { v >= 1e6 ? fixed(v / 1e6, 1) + " M" : v >= 1e3 ? fixed(v / 1e3, 1) + " k" : fixed(v, 0) }
  static func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.reversed().enumerated() {
      if i > 0 && i % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return String(out.reversed())
  }
}
