import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Loads a scenario from YAML text; `files` stands in for files it references.
func loadScenario(_ yaml: String, file: String = "test.yaml", files: [String: String] = [:]) throws -> Scenario {
  let loader = ScenarioLoader(readFile: { path in
    guard let text = files[path] else { throw CocoaError(.fileReadNoSuchFile) }
    return text
  })
  return try loader.load(text: yaml, file: file).scenario
}

/// The errors a scenario is rejected with, as printed.
func loadErrors(_ yaml: String, file: String = "test.yaml", files: [String: String] = [:]) -> [String] {
  do {
    _ = try loadScenario(yaml, file: file, files: files)
    return []
  } catch let e as ScenarioErrors {
    return e.errors.map(\.description)
  } catch {
    return ["unexpected: \(error)"]
  }
}

func run(_ yaml: String, options: SimulationOptions = SimulationOptions()) throws -> RunResult {
  simulate(try loadScenario(yaml), options: options)
}

func dec(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) ?? .nan }

func money(_ s: String) -> Money { Money(dec(s)) }

/// |a - b| below 1e-20: equal up to the last digits of a 38-digit division.
func close(_ a: Decimal, _ b: Decimal, within eps: Decimal = dec("0.00000000000000000001")) -> Bool {
  let d = a - b
  return (d < 0 ? -d : d) < eps
}

func t(_ s: String) -> SimTime {
  guard let v = ScenarioLoader.parseDateTime(s) else { preconditionFailure("bad time \(s)") }
  return v
}

extension RunResult {
  func month(_ m: String) -> MonthCost? { months.first { $0.month == m } }
}
