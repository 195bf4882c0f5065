import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimInput
@testable import BackupSimModel

// Issue 13 (items 6, 8–13): each bad input gets located errors that echo no file content
// beyond what a scenario-shaped document says, in bounded time.

/// A scenario whose bucket lines and principals are the caller's.
private func scenario(bucket: String = "", principals: String = "") -> String {
  """
  bucket:
    versioning: Enabled
  \(bucket.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
  uploads:
    - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
  \(principals.isEmpty ? "" : "principals:\n" + principals.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
  """
}

/// The errors for `yaml` with `files` (markers in the files give the expected locations, in order).
private func expectErrors(
  _ yaml: String, files: [String: String], _ messages: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  var stripped: [String: String] = [:]
  var marks: [Int: BackupSimInput.SourceLocation] = [:]
  let (text, own) = stripMarkers(yaml, file: "test.yaml")
  marks.merge(own) { a, _ in a }
  for (path, contents) in files {
    let (t, m) = stripMarkers(contents, file: path)
    stripped[path] = t
    marks.merge(m) { a, _ in a }
  }
  let expected = messages.enumerated().map { i, m in "\(marks[i + 1].map(\.description) ?? "?"): error: \(m)" }
  #expect(loadErrors(text, files: stripped) == expected, sourceLocation: sourceLocation)
}

@Suite struct HardeningInputTests {
  // MARK: 6. JSON files are strict JSON

  @Test func policyFileWithAHashComment() {
    expectErrors(
      scenario(principals: "backup: { policyFile: policy.json }"),
      files: ["policy.json": "{\n  1️⃣# puts only\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n"],
      ["invalid JSON: expected a key in double quotes, found a comment (JSON has none)"])
  }

  @Test func policyFileWithSingleQuotes() {
    expectErrors(
      scenario(principals: "backup: { policyFile: policy.json }"),
      files: ["policy.json": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": 1️⃣'Allow'}}"],
      ["invalid JSON: expected a value, found a single quote (JSON strings take double quotes)"])
  }

  @Test func lifecycleFileWithATrailingComma() {
    expectErrors(
      scenario(bucket: "lifecycleFile: lifecycle.json"),
      files: ["lifecycle.json": #"{"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 9}},1️⃣]}"#],
      ["invalid JSON: a trailing comma before ']' (JSON allows none)"])
  }

  @Test func deeplyNestedJSONStopsCleanly() {
    let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
    #expect(throws: ScenarioError(.syntax, "invalid JSON: values nested more than 64 levels deep", at: .init(file: "d.json", line: 1, column: 65))) {
      try JSONConfigParser.parse(deep, file: "d.json")
    }
  }

  @Test func strictJSONStillReadsEveryValueKind() throws {
    let node = try JSONConfigParser.parse(#"{"a": [1, -2.5e3, true, null, "x\u00e9\n\ud83d\ude00"], "b": {}}"#, file: "f.json")
    #expect(node["a"]?.items?.map { $0.scalar ?? "null" } == ["1", "-2.5e3", "true", "null", "xé\n😀"])
    #expect(node["b"]?.pairs?.isEmpty == true)
  }

  // MARK: 12. Referenced files stay in the scenario's folder and are not echoed

  @Test(arguments: ["/etc/shadow", "../secrets/policy.json", "a/../../policy.json", "~/policy.json"])
  func aPolicyFileOutsideTheScenariosFolderIsRefused(_ path: String) {
    expectErrors(
      scenario(principals: "backup: { policyFile: 1️⃣\(path) }"), files: [:],
      ["cannot read policy file '\(path)': it is outside the scenario's folder (pass --allow-outside-paths to read it)"])
  }

  @Test func aPathThatStaysInsideIsRead() throws {
    let policy = #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}"#
    let s = try loadScenario(scenario(principals: "backup: { policyFile: a/../policy.json }"), files: ["a/../policy.json": policy])
    #expect(s.principals.first?.identityPolicies.count == 1)
  }

  @Test func aFileThatIsNotShapedLikeTheExpectedDocumentIsNotQuoted() {
    expectErrors(
      scenario().replacingOccurrences(of: "bucket:", with: "pricing: prices.yaml\nbucket:"),
      files: ["prices.yaml": "1️⃣root:\nhash-of-the-root-password:\n"],
      ["not a pricing file (expected a mapping with one of 'region', 'asOf', 'source', 'classes'); its content is not shown"])
    expectErrors(
      scenario(bucket: "lifecycleFile: rules.json"),
      files: ["rules.json": "1️⃣[\"secret\"]"],
      [
        "not a lifecycle configuration (expected a mapping with one of 'Rules', 'LifecycleConfiguration', 'TransitionDefaultMinimumObjectSize'); its content is not shown"
      ])
  }

  // MARK: 13. Echoed values are escaped and bounded

  @Test func aValueWithANewlineAndAnEscapeStaysOnOneInertLine() {
    let errors = loadErrors(
      scenario().replacingOccurrences(of: "versioning: Enabled", with: #"{ versioning: Enabled, name: "acme\ntest.yaml:9:9: error: forged\e[31m" }"#))
    #expect(
      errors == [
        #"test.yaml:2:32: error: bucket name 'acme\ntest.yaml:9:9: error: forged\u{1B}[31m' is not a valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)"#
      ])
  }

  @Test func aLongValueIsCutAt80Characters() {
    let long = String(repeating: "x", count: 100_000)
    let errors = loadErrors(scenario().replacingOccurrences(of: "versioning: Enabled", with: "{ versioning: Enabled, name: \(long) }"))
    #expect(
      errors == [
        "test.yaml:2:32: error: bucket name '\(String(repeating: "x", count: 79))…' is not a valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)"
      ])
  }

  @Test func aWholeMessageIsBounded() {
    let e = ScenarioError(.syntax, "got " + String(repeating: "y", count: 5000), at: nil)
    #expect(e.message.count == Shown.maxMessage)
    #expect(e.message.hasSuffix("…"))
  }

  // MARK: 9. "Did you mean" is bounded

  @Test func thousandsOfMisspeltDependenciesAreQuick() {
    let jobs = (0..<3000).map { i in
      "  - { name: job\(i), key: k\(i)/x, schedule: daily at 02:00, size: 1 KiB, dependsOn: jbo\(i) }"
    }
    let yaml = "bucket: { versioning: Enabled }\nuploads:\n" + jobs.joined(separator: "\n")
    var errors: [String] = []
    let elapsed = ContinuousClock().measure { errors = loadErrors(yaml) }
    #expect(errors.count == 3000)
    #expect(errors.first == "test.yaml:3:80: error: 'dependsOn' names no upload job: 'jbo0'; did you mean 'job0'?")
    #expect(errors.last == "test.yaml:3002:86: error: 'dependsOn' names no upload job: 'jbo2999'")
    // Every name against every name was 9 million edit distances (over 10 s).
    #expect(elapsed < .seconds(8), "\(elapsed)")
  }

  // MARK: 8. IAM's policy size limits

  /// A policy of `count` statements, each 46 characters without whitespace (47 with its comma).
  private func bigPolicy(_ count: Int) -> String {
    let st = #"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#
    return #"1️⃣{"Version": "2012-10-17", "Statement": ["# + Array(repeating: st, count: count).joined(separator: ", ") + "]}"
  }

  @Test func anIdentityPolicyOverIAMsManagedLimitIsRefused() {
    let policy = bigPolicy(110)
    let size = PolicyDocument.compactSize(try! JSONConfigParser.parse(unmark(policy, file: "p.json").text, file: "p.json"))
    #expect(size > 6_144)
    expectErrors(
      scenario(principals: "backup: { policyFile: policy.json }"), files: ["policy.json": policy],
      ["the policy is \(size) characters without whitespace; IAM's quota for a managed policy allows at most 6144"])
  }

  @Test func anIdentityPolicyWithinTheLimitIsRead() throws {
    let policy = unmark(bigPolicy(100), file: "p.json").text
    #expect(PolicyDocument.compactSize(try JSONConfigParser.parse(policy, file: "p.json")) <= 6_144)
    let s = try loadScenario(scenario(principals: "backup: { policyFile: policy.json }"), files: ["policy.json": policy])
    #expect(s.principals.first?.identityPolicies.first?.statements.count == 100)
  }

  @Test func compactSizeIsTheLengthOfMinifiedJSON() throws {
    let json =
      #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": true}}}]}"#
    let minified = json.filter { $0 != " " }
    #expect(PolicyDocument.compactSize(try JSONConfigParser.parse(json, file: "p.json")) == minified.count)
  }

  // MARK: 11. What cannot fit in memory is refused

  @Test func a100MillionObjectLogNormalJobIsRefused() {
    let yaml = """
      duration: 1 year
      bucket: { versioning: Enabled }
      uploads:
        - name: files
          key: f/{i}
          schedule: daily at 01:00
          objects: 1️⃣100_000_000
          size: { lognormal: { median: 1 KiB, sigma: 0.1 } }
      """
    let (text, at) = unmark(yaml, file: "test.yaml")
    #expect(
      loadErrors(text) == [
        "\(at!): error: upload job 'files' could write 366 runs × 100000000 objects with log-normal sizes (36600000000 in all), "
          + "more than the 100000000 whose sizes the simulator keeps in memory; use fewer objects, a fixed size or a shorter duration"
      ])
  }

  @Test func theShippedHundredThousandFileBenchmarkStillLoads() throws {
    let text = try String(
      contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios/bench/files-100k-1y.yaml"),
      encoding: .utf8)
    #expect(loadErrors(text, file: "files-100k-1y.yaml") == [])
  }
}
