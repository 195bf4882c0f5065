import BackupSimModel

/// Where a piece of input came from: file, 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// A problem with the input, reported as one compiler-style line.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Code: Equatable, Sendable {
    case syntax
    case unknownKey(String)
    case missingKey(String)
    case invalidValue(key: String)
    case invalidLifecycle(ruleID: String)
    case io
  }

  public var code: Code
  public var message: String
  public var location: SourceLocation?

  public init(_ code: Code, _ message: String, at location: SourceLocation?) {
    self.code = code
    self.message = message
    self.location = location
  }

  public var description: String { "\(location.map { "\($0): " } ?? "")error: \(message)" }
}

/// Every problem found in one input, in the order found (the loader reports them all at once).
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [ScenarioError]
  public init(_ errors: [ScenarioError]) { self.errors = errors }
  public var description: String { errors.map(\.description).joined(separator: "\n") }
}
