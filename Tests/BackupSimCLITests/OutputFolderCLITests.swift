import Foundation
import Testing

// What `run` writes where (issue 13 item 14, issue 12 item 12): never outside --out, never one
// scenario's reports over another's, and plain words when --out is not a folder.

private let tinyScenario = """
  start: 2027-01-01
  duration: 1 month
  bucket: { versioning: Enabled }
  uploads:
    - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
  """

@Suite struct OutputFolderCLITests {
  @Test(arguments: ["...yaml", "..yaml"])
  func aStemOfDotsIsRefused(_ name: String) throws {
    try withTempDir { tmp in
      let path = try tmp.write("in/\(name)", tinyScenario)
      let r = try Backupsim.run(["run", path, "--out", tmp.file("out/reports").path, "--formats", "json"], in: tmp.url)
      let stem = name == "...yaml" ? ".." : "."
      #expect(r.status == 2, "\(r)")
      #expect(
        r.errLines == ["\(path):1:1: error: its report folder would be named '\(stem)', which is not a folder name under --out; rename the file"],
        "\(r)")
      #expect(tmp.contents("out") == [], "nothing written next to reports/")
    }
  }

  @Test func twoScenariosWithTheSameStemAreRefused() throws {
    try withTempDir { tmp in
      let a = try tmp.write("a/x.yaml", tinyScenario)
      let b = try tmp.write("b/x.yaml", tinyScenario)
      let out = tmp.file("reports").path
      let r = try Backupsim.run(["run", a, b, "--out", out, "--formats", "json"], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(
        r.errLines == [
          "\(b):1:1: error: its report folder \(out)/x would also be the one of \(a); rename one of them or run them with different --out"
        ],
        "\(r)")
      #expect(tmp.contents().contains("reports") == false, "nothing written before the check")
    }
  }

  @Test func outNamingAFileSaysSo() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", tinyScenario)
      let file = try tmp.write("taken", "keep me\n")
      let r = try Backupsim.run(["run", s, "--out", file, "--formats", "json"], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines == ["error: --out \(file) is a file, not a folder; name a folder for the reports"], "\(r)")
      #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
    }
  }

  @Test func outBelowAFileSaysWhyInPlainWords() throws {
    try withTempDir { tmp in
      let s = try tmp.write("s.yaml", tinyScenario)
      let file = try tmp.write("taken", "keep me\n")
      let r = try Backupsim.run(["run", s, "--out", "\(file)/sub", "--formats", "json"], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines == ["error: cannot write reports to \(file)/sub/s: \(file) is a file, not a folder"], "\(r)")
    }
  }
}
