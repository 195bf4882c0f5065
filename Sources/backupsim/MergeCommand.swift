import ArgumentParser
import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimReports
import BackupSimTerminal
import Foundation

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the shard files of one sweep into sweep.jsonl and summary.md.",
    discussion: """
      Each input is a sweep-shard-i-of-n.jsonl file, or a folder whose
      sweep-shard-*.jsonl files are all taken. The rows must come from one grid
      (same scenario text and --vary axes; each row carries the grid's
      fingerprint), with every variant exactly once. The output is byte for
      byte what one unsharded `backupsim sweep` writes.

      Exit status: 0 when a variant meets every requirement (or the scenario
      states none); 1 when the scenario states requirements and no variant
      meets them all; 2 for bad input (rows of another grid, a variant twice,
      a variant missing).
      """)

  @Argument(help: "Shard files, or folders holding them.")
  var inputs: [String]

  @Option(name: .long, help: "Folder sweep.jsonl and summary.md are written to.")
  var out: String

  func validate() throws {
    if inputs.isEmpty { throw ValidationError("give the shard files (or their folders) to merge") }
  }

  func run() throws {
    let fm = FileManager.default
    var files: [String] = []
    var problems: [String] = []
    for input in inputs {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: input, isDirectory: &isDirectory) else {
        problems.append("\(input): error: no such file or folder")
        continue
      }
      if isDirectory.boolValue {
        let names = ((try? fm.contentsOfDirectory(atPath: input)) ?? []).filter { $0.hasPrefix("sweep-shard-") && $0.hasSuffix(".jsonl") }.sorted()
        if names.isEmpty {
          problems.append("\(input): error: no sweep-shard-*.jsonl files in this folder")
        }
        files += names.map { (input as NSString).appendingPathComponent($0) }
      } else {
        files.append(input)
      }
    }
    // The same file named twice (a folder and a file in it) would look like duplicate variants.
    var unique: [String] = []
    var seenPaths: Set<String> = []
    for f in files where seenPaths.insert((f as NSString).standardizingPath).inserted { unique.append(f) }
    var texts: [(name: String, text: String)] = []
    for f in unique {
      do {
        texts.append((f, try String(contentsOfFile: f, encoding: .utf8)))
      } catch {
        problems.append("\(f): error: cannot read: \(error.localizedDescription)")
      }
    }
    if !problems.isEmpty { throw InputFailure(problems) }

    let rows: [SweepRow]
    do { rows = try SweepReport.merge(texts) } catch { throw InputFailure(error.lines) }
    let written = SweepReport.files(rows, shard: nil)
    do { try ReportFolder.write(written, to: out) } catch {
      throw InputFailure("error: cannot write to \(out): \(error.localizedDescription)")
    }
    var lines = ["Merged \(rows.count) variants from \(unique.count) file\(unique.count == 1 ? "" : "s") (grid \(rows.first?.grid ?? "-"))."]
    lines.append(SweepReport.verdict(rows))
    for (name, _) in written { lines.append("  wrote    \((out as NSString).appendingPathComponent(name))") }
    Console.out(lines.joined(separator: "\n"))
    if SweepReport.noneMeetsRequirements(rows) { throw RequirementsNotMet() }
  }
}
