import BackupSimModel
import Foundation

/// Reads input files as UTF-8, the only encoding backupsim (and S3's XML API) takes.
public enum UTF8File {
  /// The file's text; bytes that are not UTF-8 are a located error at the first of them,
  /// so no parser ever guesses an encoding.
  public static func read(_ path: String) throws -> String {
    try checkIsRegularFile(path)
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      if access(path, R_OK) != 0 && errno == EACCES { throw UnreadableFile(problem: "permission denied") }
      throw error
    }
    // Valid text, the usual case, is validated in bulk; only invalid text is walked scalar by
    // scalar, to say where the first bad byte is (the walk cost 500 instructions a byte).
    if let text = String(validating: data, as: UTF8.self) { return text }
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

  /// Looks before opening: reading a FIFO waits for a writer forever, /dev/zero never ends, and
  /// Foundation's texts for folders and link loops ("NSCocoaErrorDomain error 256") say nothing useful.
  ///
  /// A missing file is left to the read, whose "no such file" the callers already word.
  static func checkIsRegularFile(_ path: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      switch errno {
      case ELOOP: throw UnreadableFile(problem: "is a symbolic link that loops", wrongKind: true)
      case EACCES: throw UnreadableFile(problem: "permission denied")
      case ENOTDIR: throw UnreadableFile(problem: "no such file (a part of its path is a file, not a folder)")
      default: return
      }
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFDIR: throw UnreadableFile(problem: "is a folder", wrongKind: true)
    case S_IFIFO: throw UnreadableFile(problem: "is a named pipe", wrongKind: true)
    case S_IFCHR, S_IFBLK: throw UnreadableFile(problem: "is a device", wrongKind: true)
    case S_IFSOCK: throw UnreadableFile(problem: "is a socket", wrongKind: true)
    default: throw UnreadableFile(problem: "is not a regular file", wrongKind: true)
    }
  }
}

/// A path that names no readable regular file, in plain words ("is a folder").
public struct UnreadableFile: Error, Sendable {
  public var problem: String
  /// A folder, pipe, device or link loop rather than a file we may not read.
  public var wrongKind = false

  /// The problem said about a file that should be `what` ("a scenario file").
  public func said(of what: String) -> String { wrongKind ? "\(problem), not \(what)" : problem }
}
