import Foundation
import BackupSimModel

/// Reads input files as UTF-8, the only encoding backupsim (and S3's XML API) takes.
public enum UTF8File {
  /// The file's text; bytes that are not UTF-8 are a located error at the first of them,
  /// so no parser ever guesses an encoding.
  public static func read(_ path: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var bytes = data.makeIterator()
    var decoder = UTF8()
    var line = 1, column = 1
    var text = String.UnicodeScalarView()
    while true {
      switch decoder.decode(&bytes) {
      case .scalarValue(let scalar):
        text.append(scalar)
        if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
      case .emptyInput:
        return String(text)
      case .error:
        throw ScenarioError(
          .io, "the file is not UTF-8 text (an invalid byte here); save it as UTF-8",
          at: SourceLocation(file: path, line: line, column: column))
      }
    }
  }
}
