import Foundation
import Testing

// Inputs that used to crash `backupsim` (issue 13): each now gets exactly one located error line
// (file:line:column: error: …) and exit status 2, from `validate` and from `run`.

/// A one-month scenario whose bucket and upload job are given by the caller.
private func scenario(bucket: String = "lifecycleFile: lifecycle.xml", job: String = "size: 1 GiB") -> String {
  """
  start: 2027-01-01
  duration: 1 month
  bucket:
    versioning: Enabled
    \(bucket)
  uploads:
    - name: db
      key: db/{i}
      objects: 2
      schedule: daily at 02:00
      \(job)
  """
}

/// A lifecycle XML document with one rule whose content is `rule`.
private func lifecycleXML(_ rule: String, declaration: String = "") -> String {
  "\(declaration)<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status><Filter/>\(rule)</Rule></LifecycleConfiguration>\n"
}

@Suite struct HardeningCLITests {
  /// Writes the scenario (and lifecycle.xml when given), runs `command`, and checks the single error line.
  private func expectOneLocatedError(
    _ command: String, scenario text: String, lifecycle: String? = nil, _ expected: (_ dir: String) -> String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    try withTempDir { tmp in
      let path = try tmp.write("s.yaml", text)
      if let lifecycle { try tmp.write("lifecycle.xml", lifecycle) }
      let args = command == "run" ? ["run", path, "--out", tmp.file("out").path] : [command, path]
      let r = try Backupsim.run(args, in: tmp.url)
      #expect(r.status == 2, "\(r)", sourceLocation: sourceLocation)
      #expect(r.errLines == [expected(tmp.path)], "\(r)", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: ["validate", "run"])
  func lifecycleDaysAboveS3s32BitLimit(_ command: String) throws {
    try expectOneLocatedError(
      command, scenario: scenario(), lifecycle: lifecycleXML("<Expiration><Days>9999999999999999</Days></Expiration>")
    ) { dir in
      "\(dir)/lifecycle.xml:1:92: error: 'Days' must be at most 2147483647, S3's 32-bit limit (got 9999999999999999)"
    }
  }
}

extension HardeningCLITests {
  @Test func xmlNested50000Deep() throws {
    let deep =
      "<LifecycleConfiguration>" + String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000)
      + "</LifecycleConfiguration>\n"
    try expectOneLocatedError("validate", scenario: scenario(), lifecycle: deep) { dir in
      "\(dir)/lifecycle.xml:1:\(1 + 24 + 999 * 3): error: invalid XML: elements nested more than 1000 levels deep"
    }
  }

  @Test(arguments: ["UTF-32", "EBCDIC-US", "IBM037", "UTF-16"])
  func xmlDeclaringAnEncodingOtherThanUTF8(_ encoding: String) throws {
    let xml = lifecycleXML("<Expiration><Days>7</Days></Expiration>", declaration: "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n")
    try expectOneLocatedError("validate", scenario: scenario(), lifecycle: xml) { dir in
      "\(dir)/lifecycle.xml:1:31: error: invalid XML: the document declares encoding '\(encoding)'; S3 takes UTF-8 only"
    }
  }

  @Test func xmlWithADoctypeEntity() throws {
    let xml = lifecycleXML(
      "<Expiration><Days>7</Days></Expiration>",
      declaration: "<?xml version=\"1.0\"?>\n<!DOCTYPE LifecycleConfiguration [<!ENTITY archive \"archive/\">]>\n"
    ).replacingOccurrences(of: "<Filter/>", with: "<Filter><Prefix>&archive;</Prefix></Filter>")
    try expectOneLocatedError("validate", scenario: scenario(), lifecycle: xml) { dir in
      "\(dir)/lifecycle.xml:2:1: error: invalid XML: DOCTYPE is not allowed (S3 refuses DTDs; write the values without entities)"
    }
  }

  @Test func fileThatIsNotUTF8() throws {
    try withTempDir { tmp in
      let path = try tmp.write("s.yaml", scenario())
      // "café" in Latin-1: the é is on line 1, column 38.
      let latin1 = Data("<LifecycleConfiguration><Rule><ID>caf".utf8) + Data([0xE9]) + Data("</ID></Rule></LifecycleConfiguration>\n".utf8)
      try latin1.write(to: tmp.file("lifecycle.xml"))
      let r = try Backupsim.run(["validate", path], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines == ["\(tmp.path)/lifecycle.xml:1:38: error: the file is not UTF-8 text (an invalid byte here); save it as UTF-8"], "\(r)")
    }
  }
}

extension HardeningCLITests {
  @Test(arguments: ["validate", "run"])
  func infiniteGrowth(_ command: String) throws {
    try expectOneLocatedError(command, scenario: scenario(bucket: "", job: "size: 1 GiB\n    growth: inf% per month")) { dir in
      "\(dir)/s.yaml:12:13: error: 'growth' must look like '2% per month' or '10% per year', got 'inf% per month'"
    }
  }

  @Test(arguments: ["validate", "run"])
  func moreBytesThanTheEngineCanCount(_ command: String) throws {
    let text = scenario(bucket: "", job: "size: 48 TiB").replacingOccurrences(of: "objects: 2", with: "objects: 200000")
    try expectOneLocatedError(command, scenario: text) { dir in
      "\(dir)/s.yaml:7:5: error: upload job 'db' could bring the bucket to 293 EiB (at most 32 runs × 200000 objects of up to 48 TiB each), "
        + "more than the 2 EiB the simulator can count; use fewer or smaller objects, less growth or a shorter duration"
    }
  }
}
