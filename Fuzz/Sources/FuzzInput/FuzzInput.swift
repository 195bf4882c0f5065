import BackupSimEngine
import BackupSimInput
import BackupSimModel
import Foundation

/// One input: its first byte says which file the rest is, the other files being fixed and valid.
///
/// Accepted scenarios short enough to simulate quickly are also simulated, so a value that passes
/// validation and then traps in the engine is found too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let mode = data[0] % 5
  let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
  let scenario: String
  var files: [String: String] = [:]
  switch mode {
  case 0: scenario = text
  case 1: scenario = FuzzFixtures.scenario(lifecycleFile: "l.json"); files["l.json"] = text
  case 2: scenario = FuzzFixtures.scenario(lifecycleFile: "l.xml"); files["l.xml"] = text
  case 3: scenario = FuzzFixtures.scenario(policyFile: "p.json"); files["p.json"] = text
  default: scenario = FuzzFixtures.scenario(pricing: "prices.yaml"); files["prices.yaml"] = text
  }
  let served = files
  let loader = ScenarioLoader(readFile: { path in
    guard let t = served[(path as NSString).lastPathComponent] else { throw CocoaError(.fileReadNoSuchFile) }
    return t
  })
  guard let loaded = try? loader.load(text: scenario, file: "fuzz.yaml") else { return 0 }
  if FuzzFixtures.quickToSimulate(loaded.scenario) { _ = simulate(loaded.scenario) }
  return 0
}

enum FuzzFixtures {
  static func scenario(lifecycleFile: String? = nil, policyFile: String? = nil, pricing: String? = nil) -> String {
    """
    start: 2027-01-01
    duration: 40 days
    \(pricing.map { "pricing: \($0)" } ?? "")
    bucket:
      name: fuzz-bucket
      versioning: Enabled
      \(lifecycleFile.map { "lifecycleFile: \($0)" } ?? "lifecycle: { Rules: [{ ID: r, Status: Enabled, Filter: {}, Expiration: { Days: 3 } }] }")
    uploads:
      - { name: db, key: "db/x", schedule: "daily at 02:00", size: 1 MiB, objects: 2 }
    principals:
      writer:
        \(policyFile.map { "policyFile: \($0)" } ?? "policy: { Version: \"2012-10-17\", Statement: [{ Effect: Allow, Action: \"s3:PutObject\", Resource: \"*\" }] }")
    """
  }

  /// At most 120 days and about 20,000 versions: each execution must stay fast.
  static func quickToSimulate(_ s: Scenario) -> Bool {
    guard s.end - s.start <= 120 * SimTime.secondsPerDay else { return false }
    var versions = 0
    for job in s.uploads {
      var t = job.schedule.firstFire(atOrAfter: s.start)
      var runs = 0
      while let f = t, f < s.end, runs <= 2_000 {
        runs += 1
        t = job.schedule.nextFire(after: f)
      }
      versions += runs * job.objects
      if runs > 2_000 || versions > 20_000 { return false }
    }
    return true
  }
}

// SwiftPM links an executable target's entry point as `FuzzInput_main`; hand it to libFuzzer's
// driver, which parses the command line and calls `fuzzInput` for every input.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzInput_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var count = argc
  var arguments = argv
  return runFuzzerDriver(&count, &arguments, fuzzInput)
}
