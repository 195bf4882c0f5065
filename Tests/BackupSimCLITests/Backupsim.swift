import Foundation
import Testing

/// Runs the built `backupsim` executable and captures what it prints.
///
/// The test target does not depend on the executable target, so the binary is looked up next to the
/// running test bundle (same build configuration), then at `.build/debug/backupsim`; if neither
/// exists it is built once with `swift build --product backupsim` (into `.build/cli-tests`).
/// `swift test` builds every product first, so normally the binary is already there and current.
enum Backupsim {
  /// What one invocation printed and how it ended.
  struct Output: CustomStringConvertible {
    var status: Int32
    var stdout: Data
    var stderr: Data

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }
    /// Non-empty stderr lines.
    var errLines: [String] { err.split(separator: "\n").map(String.init) }

    var description: String { "exit \(status)\n--- stdout\n\(out)--- stderr\n\(err)" }
  }

  /// The package root, derived from this file's path (`Tests/BackupSimCLITests/Backupsim.swift`).
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The example scenarios shipped in `scenarios/`, as paths relative to the package root.
  static func exampleScenarios() -> [String] {
    let dir = packageRoot.appendingPathComponent("scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted().map { "scenarios/\($0)" }
  }

  /// Built (or found) once per test process; every test shares the answer.
  private static let located: Result<URL, BinaryNotFound> = locate("backupsim")
  private static let locatedBench: Result<URL, BinaryNotFound> = locate("backupsim-bench")

  struct BinaryNotFound: Error, CustomStringConvertible {
    var description: String
  }

  static func binary() throws -> URL { try located.get() }

  /// Finds or builds the executable `product`.
  private static func locate(_ product: String) -> Result<URL, BinaryNotFound> {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let me = CommandLine.arguments.first, me.contains("/") {
      // `backupsimPackageTests.xctest` (a file on Linux, a bundle on macOS) sits beside `backupsim`.
      var url = URL(fileURLWithPath: me).standardizedFileURL
      while url.pathComponents.count > 1, url.pathExtension != "xctest" { url.deleteLastPathComponent() }
      if url.pathExtension == "xctest" { candidates.append(url.deletingLastPathComponent().appendingPathComponent(product)) }
    }
    let debug = packageRoot.appendingPathComponent(".build/debug/\(product)")
    candidates.append(debug)
    if let found = candidates.first(where: { isExecutableFile($0) }) { return .success(found) }

    // A separate scratch path: the `swift test` that runs us may hold the lock on `.build`
    // (it does with --skip-build), and a nested build of the same folder would wait for it forever.
    let scratch = packageRoot.appendingPathComponent(".build/cli-tests")
    let built = scratch.appendingPathComponent("debug/\(product)")
    let build = Process()
    build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    build.arguments = ["swift", "build", "--product", product, "--scratch-path", scratch.path]
    build.currentDirectoryURL = packageRoot
    let log = fm.temporaryDirectory.appendingPathComponent("backupsim-build-\(UUID().uuidString).log")
    _ = fm.createFile(atPath: log.path, contents: nil)
    defer { try? fm.removeItem(at: log) }
    do {
      let handle = try FileHandle(forWritingTo: log)
      defer { try? handle.close() }
      build.standardOutput = handle
      build.standardError = handle
      try build.run()
      if !wait(for: build, seconds: 900) {
        return .failure(BinaryNotFound(description: "swift build --product \(product) did not finish within 15 minutes"))
      }
    } catch {
      return .failure(BinaryNotFound(description: "cannot run swift build: \(error)"))
    }
    guard build.terminationStatus == 0, isExecutableFile(built) else {
      let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      return .failure(BinaryNotFound(description: "swift build --product \(product) failed (\(build.terminationStatus)):\n\(text)"))
    }
    return .success(built)
  }

  /// Waits for `process` to exit; after `seconds`, terminates it and returns false.
  private static func wait(for process: Process, seconds: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      return false
    }
    process.waitUntilExit()
    return true
  }

  private static func isExecutableFile(_ url: URL) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
      && FileManager.default.isExecutableFile(atPath: url.path)
  }

  /// Runs `backupsim args…` in `directory` (default: the package root) and waits for it.
  ///
  /// Output goes to files rather than pipes, so a long `explain` cannot fill a pipe and stall.
  /// `environment` replaces the inherited one when given.
  static func run(
    _ args: [String], in directory: URL? = nil, environment: [String: String]? = nil, timeout: TimeInterval = 60
  ) throws -> Output {
    try run(executable: binary(), args, in: directory, environment: environment, timeout: timeout)
  }

  /// Runs `backupsim-bench args…` (the benchmark harness, its own executable).
  static func runBench(_ args: [String], timeout: TimeInterval = 60) throws -> Output {
    try run(executable: locatedBench.get(), args, in: nil, environment: nil, timeout: timeout)
  }

  private static func run(
    executable: URL, _ args: [String], in directory: URL?, environment: [String: String]?, timeout: TimeInterval
  ) throws -> Output {
    let fm = FileManager.default
    let capture = fm.temporaryDirectory.appendingPathComponent("backupsim-out-\(UUID().uuidString)")
    try fm.createDirectory(at: capture, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: capture) }
    let outURL = capture.appendingPathComponent("stdout"), errURL = capture.appendingPathComponent("stderr")
    _ = fm.createFile(atPath: outURL.path, contents: nil)
    _ = fm.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = executable
    process.arguments = args
    process.currentDirectoryURL = directory ?? packageRoot
    if let environment { process.environment = environment }
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    if !wait(for: process, seconds: timeout) {
      Issue.record("\(executable.lastPathComponent) \(args.joined(separator: " ")) did not finish within \(timeout) s")
    }
    try outHandle.close()
    try errHandle.close()
    return Output(status: process.terminationStatus, stdout: try Data(contentsOf: outURL), stderr: try Data(contentsOf: errURL))
  }
}

/// Runs `body` with a fresh temporary folder and removes the folder afterwards.
func withTempDir<T>(_ body: (TempDir) throws -> T) throws -> T {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("backupsim-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(TempDir(url: url))
}

/// One test's own temporary folder (see `withTempDir`).
struct TempDir {
  let url: URL

  var path: String { url.path }

  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// Writes `text` to `name` inside the folder and returns its full path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let target = file(name)
    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: target)
    return target.path
  }

  /// Names in `sub` (the folder itself when nil), hidden files included, sorted.
  func contents(_ sub: String? = nil) -> [String] {
    let dir = sub.map { url.appendingPathComponent($0) } ?? url
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
  }
}
