import Foundation

/// Writes a report folder so that no reader ever sees a half-written file.
public enum ReportFolder {
  /// The folder name for a scenario file: its name without folder and extension.
  public static func name(forScenario path: String) -> String {
    ((path as NSString).lastPathComponent as NSString).deletingPathExtension
  }

  /// Why `name` cannot be a report folder under the output folder, or nil when it can:
  /// `.` and `..` (from files named `..yaml` and `...yaml`) and the empty name would write outside it.
  public static func problem(withName name: String) -> String? {
    if name.isEmpty || name == "." || name == ".." || name.contains("/") {
      return "its report folder would be named '\(name)', which is not a folder name under --out; rename the file"
    }
    return nil
  }

  /// Why `folder` could not be written, in plain words: Foundation on Linux says only
  /// "NSCocoaErrorDomain error 512", so look at the nearest part of the path that exists.
  public static func reason(_ error: Error, folder: String) -> String {
    let fm = FileManager.default
    var path = folder
    while !path.isEmpty && path != "/" && path != "." {
      var isFolder: ObjCBool = false
      if fm.fileExists(atPath: path, isDirectory: &isFolder) {
        if !isFolder.boolValue { return "\(path) is a file, not a folder" }
        if !fm.isWritableFile(atPath: path) { return "\(path) is not writable" }
        break
      }
      path = (path as NSString).deletingLastPathComponent
    }
    return (error as NSError).localizedDescription
  }

  public static func write(_ files: [(name: String, contents: String)], to folder: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, contents) in files {
      let final = (folder as NSString).appendingPathComponent(name)
      let temp = (folder as NSString).appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
      guard fm.createFile(atPath: temp, contents: Data(contents.utf8)) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temp])
      }
      // rename(2) replaces the old file in one step.
      if rename(temp, final) != 0 {
        try? fm.removeItem(atPath: temp)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final])
      }
    }
  }
}

/// The `charts/` folder of a report: this run's SVGs, and no stale ones from an earlier run.
public enum ChartFolder {
  public static func write(_ batch: ChartBatch, into folder: String) throws {
    let charts = (folder as NSString).appendingPathComponent("charts")
    if !batch.charts.isEmpty { try ReportFolder.write(batch.files, to: charts) }
    let keep = Set(batch.charts.map(\.fileName))
    let fm = FileManager.default
    for name in (try? fm.contentsOfDirectory(atPath: charts)) ?? [] where name.hasSuffix(".svg") && !keep.contains(name) {
      try? fm.removeItem(atPath: (charts as NSString).appendingPathComponent(name))
    }
  }
}
