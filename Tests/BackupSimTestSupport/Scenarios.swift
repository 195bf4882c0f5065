import BackupSimEngine
import BackupSimInput
import BackupSimModel
import Foundation
import Testing

/// Loads a scenario from YAML text; `files` stands in for files it references.
package func loadScenario(_ yaml: String, file: String = "test.yaml", files: [String: String] = [:]) throws -> Scenario {
  let loader = ScenarioLoader(readFile: { path in
    guard let text = files[path] else { throw CocoaError(.fileReadNoSuchFile) }
    return text
  })
  return try loader.load(text: yaml, file: file).scenario
}

/// The errors a scenario is rejected with, as printed.
package func loadErrors(_ yaml: String, file: String = "test.yaml", files: [String: String] = [:]) -> [String] {
  do {
    _ = try loadScenario(yaml, file: file, files: files)
    return []
  } catch let e as ScenarioErrors {
    return e.errors.map(\.description)
  } catch {
    return ["unexpected: \(error)"]
  }
}

package func run(_ yaml: String, options: SimulationOptions = SimulationOptions()) throws -> RunResult {
  simulate(try loadScenario(yaml), options: options)
}

package func dec(_ s: String) -> Decimal { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) ?? .nan }

package func money(_ s: String) -> Money { Money(dec(s)) }

/// |a - b| below 1e-20: equal up to the last digits of a 38-digit division.
package func close(_ a: Decimal, _ b: Decimal, within eps: Decimal = dec("0.00000000000000000001")) -> Bool {
  let d = a - b
  return (d < 0 ? -d : d) < eps
}

package func t(_ s: String) -> SimTime {
  guard let v = ScenarioLoader.parseDateTime(s) else { preconditionFailure("bad time \(s)") }
  return v
}

extension RunResult {
  package func month(_ m: String) -> MonthCost? { months.first { $0.month == m } }
}

/// The classic strategy: one key overwritten nightly, expire after 30 days, noncurrent deleted 30 days later.
package let classicFixedKey = """
  start: 2027-01-01
  duration: 12 months
  bucket:
    versioning: Enabled
    lifecycle:
      Rules:
        - { ID: expire-30-then-30, Status: Enabled, Filter: { Prefix: "db/" }, Expiration: { Days: 30 }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }
  uploads:
    - { name: db, key: "db/backup.sql.gz", schedule: "daily at 02:00", size: 1 GiB }
  """

/// The scenario the sweep tests vary: one key overwritten nightly, 30-day noncurrent rule, 2 months.
package let sweepBaseScenario = """
  name: Sweep base
  start: 2027-01-01
  duration: 2 months
  bucket:
    name: bkt-test
    versioning: Enabled
    lifecycle:
      Rules:
        - { ID: keep, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }
  uploads:
    - { name: db, key: "db/x", schedule: "daily at 02:00", size: 1 GiB }
  requirements:
    restorePoints: { every: 1 day, for: 10 days }
  """
