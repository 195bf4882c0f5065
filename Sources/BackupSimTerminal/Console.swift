import ArgumentParser
import BackupSimInput
import Foundation

/// Everything the commands print goes through here: stdout for results, stderr for diagnostics.
package enum Console {
  package static func out(_ s: String) {
    FileHandle.standardOutput.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
  }

  package static func error(_ s: String) {
    FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
  }

  package static func warnings(_ ws: [ScenarioError]) {
    for w in ws { error("\(w.location.map { "\($0): " } ?? "")warning: \(w.message)") }
  }
}

/// Prints each diagnostic line once per command (the gnuplot hint, a chart that failed).
package struct Diagnostics {
  private var seen: Set<String> = []
  package init() {}
  package mutating func report(_ lines: [String]) {
    for l in lines where seen.insert(l).inserted { Console.error(l) }
  }
}

/// Bad input, bad usage or an unwritable folder: its lines go to stderr and the command exits with 2.
package struct InputFailure: Error {
  package var lines: [String]
  package init(_ lines: [String]) { self.lines = lines }
  package init(_ line: String) { lines = [line] }
  /// Lines printed already (while collecting every error of several files); only the status is left.
  package static let alreadyReported = InputFailure([])
}

/// The scenario ran but a stated requirement failed: exit status 1.
///
/// A result, not an error.
package struct RequirementsNotMet: Error {
  package init() {}
}

/// The exit contract, decided in one place: 0 ok, 1 a requirement failed, 2 bad input or usage.
package enum Exit {
  package static func run<Root: ParsableCommand>(_ root: Root.Type) -> Never {
    do {
      var command = try root.parseAsRoot()
      try command.run()
      Foundation.exit(0)
    } catch {
      Foundation.exit(status(for: error, root: root))
    }
  }

  /// Prints what the error has to say and returns the exit status.
  static func status<Root: ParsableCommand>(for error: Error, root: Root.Type) -> Int32 {
    switch error {
    case let e as InputFailure:
      for line in e.lines { Console.error(line) }
      return 2
    case let e as ScenarioErrors:
      for line in e.errors { Console.error(line.description) }
      return 2
    case is RequirementsNotMet:
      return 1
    case let e as ExitCode:
      return e.rawValue
    default:
      let code = root.exitCode(for: error)
      if code == .success {
        // --help and --version: ArgumentParser's text is the answer.
        print(root.fullMessage(for: error))
        return 0
      }
      // One line, compiler style; ArgumentParser's usage block would add two or three more.
      Console.error("error: " + root.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines))
      return code == .failure ? 1 : 2
    }
  }
}

/// How scenario files are read: the options every command that reads one shares.
package struct InputOptions: ParsableArguments {
  @Flag(
    name: .long,
    help: "Let policyFile, lifecycleFile, pricing and bucket policy paths name files outside the scenario's folder (absolute or ../ paths).")
  package var allowOutsidePaths = false

  package init() {}
}

/// Reads a scenario, printing its warnings; its errors become exit status 2.
package func loadScenario(_ path: String, allowOutsidePaths: Bool = false) throws(ScenarioErrors) -> ScenarioLoader.Loaded {
  let loaded = try ScenarioLoader(allowOutsidePaths: allowOutsidePaths).load(path: path)
  Console.warnings(loaded.warnings)
  return loaded
}
