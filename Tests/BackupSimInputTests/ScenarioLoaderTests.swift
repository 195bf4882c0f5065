import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

// Scenario input: every rejection names file:line:column
// and reads as one line; the accepted forms (durations, sizes, growth, tags, JSON) decode to
// the documented values.

// MARK: - Marked input

/// A scenario (and the files it references) that must be rejected with exactly `messages`.
///
/// The scenario and each file may hold markers; marker N is where `messages[N - 1]` belongs,
/// and the messages are listed in the order the loader reports them.
private struct RejectionCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  let yaml: String
  let messages: [String]
  var file = "test.yaml"
  var files: [String: String] = [:]

  init(_ description: String, _ yaml: String, _ messages: [String], file: String = "test.yaml", files: [String: String] = [:]) {
    testDescription = description
    self.yaml = yaml
    self.messages = messages
    self.file = file
    self.files = files
  }

  /// The stripped inputs and the lines the loader must print.
  func prepared() -> (yaml: String, files: [String: String], expected: [String]) {
    let (text, scenarioMarks) = stripMarkers(yaml, file: file)
    var marks = scenarioMarks
    var stripped: [String: String] = [:]
    for (path, contents) in files {
      let (t, m) = stripMarkers(contents, file: path)
      stripped[path] = t
      marks.merge(m) { a, _ in preconditionFailure("marker used in two files: \(a)") }
    }
    precondition(marks.count == messages.count, "\(testDescription): \(marks.count) markers for \(messages.count) messages")
    let expected = messages.enumerated().map { i, message -> String in
      guard let at = marks[i + 1] else { preconditionFailure("\(testDescription): no marker \(i + 1)") }
      return "\(at): error: \(message)"
    }
    return (text, stripped, expected)
  }
}

private let rejections: [RejectionCase] = [
  // Unknown keys
  RejectionCase(
    "unknown top-level key, with did-you-mean",
    """
    2️⃣bucket: { versioning: Enabled }
    1️⃣uplods:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    [
      "unknown key 'uplods' in the scenario; did you mean 'uploads'?",
      "the scenario needs 'uploads'",
    ]),
  RejectionCase(
    "unknown top-level key without a near match",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    1️⃣retention: 30 days
    """,
    ["unknown key 'retention' in the scenario"]),
  RejectionCase(
    "unknown job key, with did-you-mean",
    """
    bucket: { versioning: Enabled }
    uploads:
      - 2️⃣name: db
        key: db/x
        schedule: daily at 02:00
        1️⃣sise: 1 GiB
    """,
    [
      "unknown key 'sise' in an upload job; did you mean 'size'?",
      "upload job 'db' needs 'size'",
    ]),
  RejectionCase(
    "unknown bucket key",
    """
    bucket:
      versioning: Enabled
      1️⃣lifecycleFiles: aws/lifecycle.json
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["unknown key 'lifecycleFiles' in bucket; did you mean 'lifecycleFile'?"]),

  // Wrong types
  RejectionCase(
    "size given as a list",
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: db/x
        schedule: daily at 02:00
        size: 1️⃣[1]
    """,
    ["'size' must be a size like '20 GiB' or { lognormal: { median: 20 GiB, sigma: 0.3 } }, not a list"]),
  RejectionCase(
    "objects given as a word",
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: db/{i}
        schedule: daily at 02:00
        size: 1 GiB
        objects: 1️⃣"many"
    """,
    ["'objects' must be a whole number (got 'many')"]),
  RejectionCase(
    "objects zero",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: "db/{i}", schedule: daily at 02:00, size: 1 GiB, objects: 1️⃣0 }
    """,
    ["'objects' must be between 1 and 100000000 (got 0)"]),
  RejectionCase(
    "negative seed",
    """
    seed: 1️⃣-1
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["'seed' must be a non-negative whole number, got '-1'"]),
  RejectionCase(
    "duration in weeks",
    """
    duration: 1️⃣"3 weeks"
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["'duration' must be 'N days', 'N months' or 'N years' with N > 0, got '3 weeks'"]),
  RejectionCase(
    "zero duration",
    """
    duration: 1️⃣0 days
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["'duration' must be 'N days', 'N months' or 'N years' with N > 0, got '0 days'"]),
  RejectionCase(
    "start that is not a date",
    """
    start: 1️⃣2027-02-30
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["'start' must be a date like 2027-01-01 (UTC midnight), got '2027-02-30'"]),
  RejectionCase(
    "size with an unknown unit",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1️⃣3 parsecs }
    """,
    ["'size' must be a size like '20 GiB', '512 KB' or '4096 B', got '3 parsecs'"]),
  RejectionCase(
    "size without a unit (20 bytes, or 20 GiB?)",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1️⃣20 }
      - { name: b, key: db/y, schedule: daily at 02:00, size: { lognormal: { median: 2️⃣1_000, sigma: 0.3 } } }
    """,
    [
      "'size' needs a unit: 20 B? 20 GiB? (B, KiB, MiB, GiB, TiB; KB = KiB = 1,024 bytes)",
      "'median' needs a unit: 1_000 B? 1_000 GiB? (B, KiB, MiB, GiB, TiB; KB = KiB = 1,024 bytes)",
    ]),
  RejectionCase(
    "growth that is not a rate",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB, growth: 1️⃣fast }
    """,
    ["'growth' must look like '2% per month' or '10% per year', got 'fast'"]),
  RejectionCase(
    "key template under 1,024 bytes whose keys are over it ({datetime} writes 20 characters)",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { name: db, key: 1️⃣"\(String(repeating: "x", count: 1005)){datetime}", schedule: daily at 02:00, size: 1 GiB }
    """,
    ["upload job 'db' writes keys of up to 1025 bytes once its placeholders are filled in; S3 keys are at most 1024 bytes"]),
  RejectionCase(
    "infinite growth (the engine trapped converting the size to Int64)",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB, growth: 1️⃣inf% per month }
    """,
    ["'growth' must look like '2% per month' or '10% per year', got 'inf% per month'"]),
  RejectionCase(
    "more bytes than the engine can count (200,000 objects of 48 TiB)",
    """
    duration: 1 month
    bucket: { versioning: Enabled }
    uploads:
      - 1️⃣{ name: db, key: "db/{i}", schedule: daily at 02:00, objects: 200000, size: 48 TiB }
    """,
    [
      "upload job 'db' could bring the bucket to 293 EiB (at most 32 runs × 200000 objects of up to 48 TiB each), "
        + "more than the 2 EiB the simulator can count; use fewer or smaller objects, less growth or a shorter duration"
    ]),
  RejectionCase(
    "growth too large for a Double",
    """
    duration: 2 months
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
      - 1️⃣{ name: big, key: db/y, schedule: hourly, size: 1 KiB, growth: 1e300% per month }
    """,
    [
      "upload job 'big' could bring the bucket to an unbounded size (at most 1440 runs × 1 objects of up to an unbounded size each), "
        + "more than the 2 EiB the simulator can count; use fewer or smaller objects, less growth or a shorter duration"
    ]),
  RejectionCase(
    "a log-normal whose largest draw cannot be counted",
    """
    duration: 1 month
    bucket: { versioning: Enabled }
    uploads:
      - 1️⃣{ name: db, key: db/x, schedule: daily at 02:00, size: { lognormal: { median: 1 TiB, sigma: 5 } } }
    """,
    [
      "upload job 'db' could bring the bucket to 187274934241170 EiB (at most 32 runs × 1 objects of up to 5852341695037 EiB each), "
        + "more than the 2 EiB the simulator can count; use fewer or smaller objects, less growth or a shorter duration"
    ]),
  RejectionCase(
    "the whole scenario is a list",
    """
    1️⃣- bucket: { versioning: Enabled }
    """,
    ["the scenario must be a mapping, not a list"]),

  // Malformed YAML: located syntax errors, never a crash
  RejectionCase(
    "unclosed flow sequence",
    """
    bucket: { versioning: Enabled }
    uploads: [
      { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    1️⃣
    """,
    ["invalid YAML: did not find expected ',' or ']'"]),
  RejectionCase(
    "unclosed flow mapping",
    """
    bucket: { versioning: Enabled
    uploads1️⃣:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["invalid YAML: did not find expected ',' or '}'"]),
  RejectionCase(
    "key indented deeper than its siblings",
    """
    bucket:
      versioning: Enabled
       name1️⃣: acme-backups
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["invalid YAML: mapping values are not allowed in this context"]),
  RejectionCase(
    "list item key outdented",
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: db/x
       1️⃣schedule: daily at 02:00
        size: 1 GiB
    """,
    ["invalid YAML: did not find expected '-' indicator"]),
  RejectionCase(
    "tab used for indentation",
    """
    bucket:
    1️⃣\tversioning: Enabled
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["invalid YAML: found character that cannot start any token"]),
  RejectionCase(
    "duplicate top-level key",
    // Yams reports the first occurrence (1:1); the error belongs at the repeated key.
    """
    name: first
    1️⃣name: second
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["invalid YAML: duplicate key 'name'"]),
  RejectionCase(
    "duplicate key inside a job",
    // Yams reports the first occurrence (5:5); the error belongs at the repeated key.
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: db/x
        schedule: daily at 02:00
        size: 1 GiB
        1️⃣size: 2 GiB
    """,
    ["invalid YAML: duplicate key 'size'"]),

  // Schedules and keys
  RejectionCase(
    "daily at 25:00",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: 1️⃣daily at 25:00, size: 1 GiB }
    """,
    ["hour 25 is out of range 0-23 in 'daily at 25:00'"]),
  RejectionCase(
    "cron on February 30",
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: db/x
        schedule: 1️⃣cron 0 0 30 2 *
        size: 1 GiB
    """,
    ["'cron 0 0 30 2 *' never fires: day-of-month 30 never occurs in Feb"]),
  RejectionCase(
    "unknown placeholder in key",
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: 1️⃣"db/{data}/dump.gz"
        schedule: daily at 02:00
        size: 1 GiB
    """,
    ["unknown placeholder '{data}' in key; use {date}, {datetime}, {run} or {i}; did you mean '{date}'?"]),
  RejectionCase(
    "several objects per run without {i}",
    """
    bucket: { versioning: Enabled }
    uploads:
      - name: files
        key: 1️⃣"files/{date}.tar"
        schedule: daily at 02:00
        objects: 3
        size: 1 GiB
    """,
    ["upload job 'files' writes 3 objects per run, so its key needs {i} to tell them apart"]),
  RejectionCase(
    "two jobs with one name",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { name: db, key: db/a, schedule: daily at 02:00, size: 1 GiB }
      - 1️⃣{ name: db, key: db/b, schedule: daily at 03:00, size: 1 GiB }
    """,
    ["two upload jobs are named 'db'"]),

  // Versioning and Object Lock
  RejectionCase(
    "Object Lock with versioning Suspended",
    """
    bucket:
      versioning: Suspended
      objectLock: 1️⃣{ mode: COMPLIANCE, days: 30 }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["Object Lock requires versioning Enabled (got Suspended)"]),
  RejectionCase(
    "Object Lock with versioning Disabled",
    """
    bucket:
      versioning: Disabled
      objectLock:
        1️⃣mode: GOVERNANCE
        days: 30
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["Object Lock requires versioning Enabled (got Disabled)"]),
  RejectionCase(
    "Object Lock with a later suspension",
    """
    bucket:
      versioning: Enabled
      versioningChanges:
        - { at: 2027-09-01, status: Suspended }
      objectLock: 1️⃣{ mode: COMPLIANCE, days: 30 }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["a bucket with Object Lock cannot have versioning Suspended"]),
  RejectionCase(
    "versioning returning to Disabled",
    """
    bucket:
      versioning: Enabled
      versioningChanges:
        - { at: 2027-03-01, status: Suspended }
        - { at: 2027-04-01, status: 1️⃣Disabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["versioning cannot return to Disabled once enabled; use Suspended"]),
  RejectionCase(
    "a Suspended start returning to Disabled",
    """
    bucket:
      versioning: Suspended
      versioningChanges:
        - { at: 2027-03-01, status: 1️⃣Disabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["versioning cannot return to Disabled once enabled; use Suspended"]),
  RejectionCase(
    "versioning misspelt",
    """
    bucket: { versioning: 1️⃣enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["'versioning' must be one of Enabled, Suspended, Disabled (got 'enabled'); did you mean 'Enabled'?"]),

  // Storage classes
  RejectionCase(
    "storage class misspelt",
    """
    bucket: { versioning: Enabled }
    uploads:
      - key: db/x
        schedule: daily at 02:00
        size: 1 GiB
        storageClass: 1️⃣GLACIR
    """,
    [
      "'storageClass' must be one of STANDARD, INTELLIGENT_TIERING, STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE (got 'GLACIR'); did you mean 'GLACIER'?"
    ]),

  // Lifecycle, inline and from files
  RejectionCase(
    "inline lifecycle: Transition to STANDARD_IA after 7 days",
    """
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - ID: to-ia
            Status: Enabled
            Filter: { Prefix: "db/" }
            Transitions:
              - { Days: 1️⃣7, StorageClass: STANDARD_IA }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["rule 'to-ia': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 7)"]),
  RejectionCase(
    "inline lifecycle: unknown rule key",
    """
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - ID: expire
            Status: Enabled
            Filter: {}
            1️⃣Expiraton: { Days: 30 }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["unknown key 'Expiraton' in rule 'expire'; did you mean 'Expiration'?"]),
  RejectionCase(
    "lifecycleFile that does not exist",
    """
    bucket:
      versioning: Enabled
      lifecycleFile: 1️⃣aws/lifecycle.json
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["cannot read lifecycle file 'aws/lifecycle.json': no such file"]),
  RejectionCase(
    "lifecycleFile (JSON) with a rejected rule, located in that file",
    """
    bucket:
      versioning: Enabled
      lifecycleFile: aws/lifecycle.json
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["rule 'to-ia': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 7)"],
    files: [
      "aws/lifecycle.json": """
      {
          "Rules": [
              {
                  "ID": "to-ia",
                  "Status": "Enabled",
                  "Filter": { "Prefix": "db/" },
                  "Transitions": [{ "Days": 1️⃣7, "StorageClass": "STANDARD_IA" }]
              }
          ]
      }
      """
    ]),
  RejectionCase(
    "lifecycleFile (S3 XML) with a rejected rule, located in that file",
    """
    bucket:
      versioning: Enabled
      lifecycleFile: aws/lifecycle.xml
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["rule 'to-ia': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 7)"],
    files: [
      "aws/lifecycle.xml": """
      <LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Rule>
          <ID>to-ia</ID>
          <Status>Enabled</Status>
          <Filter><Prefix>db/</Prefix></Filter>
          <Transition>
            <Days>1️⃣7</Days>
            <StorageClass>STANDARD_IA</StorageClass>
          </Transition>
        </Rule>
      </LifecycleConfiguration>
      """
    ]),
  RejectionCase(
    "lifecycleFile (S3 XML) that is not well-formed",
    """
    bucket:
      versioning: Enabled
      lifecycleFile: aws/lifecycle.xml
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    // XMLParser reports the position just after the offending tag.
    ["invalid XML: closing tag does not match <Rule>"],
    files: [
      "aws/lifecycle.xml": """
      <LifecycleConfiguration>
        <Rule>
          <ID>r</ID>
        </Rul>1️⃣
      </LifecycleConfiguration>
      """
    ]),
  RejectionCase(
    "lifecycle and lifecycleFile together",
    """
    bucket:
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: expire, Status: Enabled, Filter: {}, Expiration: { Days: 30 } }
      lifecycleFile: 1️⃣aws/lifecycle.json
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["give either 'lifecycle' or 'lifecycleFile', not both"],
    files: ["aws/lifecycle.json": #"{"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 9}}]}"#]),

  // Pricing files
  RejectionCase(
    "pricing file that does not exist",
    """
    pricing: 1️⃣prices/eu-central-1.yaml
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    ["cannot read pricing file 'prices/eu-central-1.yaml': no such file"]),
  RejectionCase(
    "pricing file without asOf and with a misspelt class",
    """
    pricing: prices.yaml
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    """,
    [
      "the pricing file needs 'asOf': the date its prices were read",
      "unknown storage class 'STANDRD'; did you mean 'STANDARD'?",
    ],
    files: [
      "prices.yaml": """
      1️⃣classes:
        2️⃣STANDRD: { storage: 0.03 }
      """
    ]),

  // Requirements
  RejectionCase(
    "maxMonthlyCost that is not an amount",
    """
    bucket: { versioning: Enabled }
    uploads:
      - { key: db/x, schedule: daily at 02:00, size: 1 GiB }
    requirements:
      maxMonthlyCost: 1️⃣lots
    """,
    ["'maxMonthlyCost' must be an amount like '500 USD', got 'lots'"]),

  // Everything at once
  RejectionCase(
    "several errors in one file are all reported",
    """
    name: many problems
    duration: 1️⃣3 weeks
    seed: 2️⃣abc
    bucket:
      versioning: 3️⃣Maybe
    uploads:
      - key: db/x
        schedule: 5️⃣daily at 25:00
        size: 6️⃣lots
        4️⃣colour: blue
    """,
    [
      "'duration' must be 'N days', 'N months' or 'N years' with N > 0, got '3 weeks'",
      "'seed' must be a non-negative whole number, got 'abc'",
      "'versioning' must be one of Enabled, Suspended, Disabled (got 'Maybe')",
      "unknown key 'colour' in an upload job",
      "hour 25 is out of range 0-23 in 'daily at 25:00'",
      "'size' must be a size like '20 GiB', '512 KB' or '4096 B', got 'lots'",
    ]),
  RejectionCase(
    "JSON scenario: errors located in JSON",
    """
    {
      "bucket": { "versioning": "Enabled" },
      "uploads": [
        { "key": "db/x", "schedule": "daily at 02:00", "size": "1 GiB", "storageClass": 1️⃣"GLACIR" }
      ]
    }
    """,
    [
      "'storageClass' must be one of STANDARD, INTELLIGENT_TIERING, STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE (got 'GLACIR'); did you mean 'GLACIER'?"
    ],
    file: "test.json"),
]

// MARK: - Accepted forms

private func utc(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 0, _ mi: Int = 0) -> SimTime {
  SimTime(year: y, month: mo, day: d, hour: h, minute: mi)
}

private struct DurationCase: Sendable, CustomTestStringConvertible {
  let start: String
  let duration: String
  let end: SimTime
  var testDescription: String { "\(duration) from \(start)" }
}

private let durations: [DurationCase] = [
  DurationCase(start: "2027-01-01", duration: "1 day", end: utc(2027, 1, 2)),
  DurationCase(start: "2027-01-31", duration: "30 days", end: utc(2027, 3, 2)),
  // Calendar months clamp the day to the target month's length (SimTime.addingMonths).
  DurationCase(start: "2027-01-31", duration: "1 month", end: utc(2027, 2, 28)),
  DurationCase(start: "2028-01-31", duration: "1 month", end: utc(2028, 2, 29)),
  DurationCase(start: "2027-03-31", duration: "1 month", end: utc(2027, 4, 30)),
  // Counted from the start, not month by month: Jan 31 + 2 months is Mar 31, not Mar 28.
  DurationCase(start: "2027-01-31", duration: "2 months", end: utc(2027, 3, 31)),
  DurationCase(start: "2027-01-01", duration: "12 months", end: utc(2028, 1, 1)),
  DurationCase(start: "2028-02-29", duration: "1 year", end: utc(2029, 2, 28)),
  DurationCase(start: "2027-06-15", duration: "3 years", end: utc(2030, 6, 15)),
]

private struct SizeCase: Sendable, CustomTestStringConvertible {
  let text: String
  let bytes: Int64
  var testDescription: String { text }
}

/// KB and KiB are both 1,024 bytes.
private let sizes: [SizeCase] = [
  SizeCase(text: "20 GiB", bytes: 21_474_836_480),
  SizeCase(text: "20 GB", bytes: 21_474_836_480),
  SizeCase(text: "10 KB", bytes: 10_240),
  SizeCase(text: "512 KiB", bytes: 524_288),
  SizeCase(text: "1.5 MiB", bytes: 1_572_864),
  SizeCase(text: "0.5 KB", bytes: 512),
  SizeCase(text: "2 TiB", bytes: 2_199_023_255_552),
  SizeCase(text: "4096 B", bytes: 4096),
  SizeCase(text: "4096 bytes", bytes: 4096),
  SizeCase(text: "1_000_000 B", bytes: 1_000_000),
]

/// A minimal valid scenario around one upload job's extra lines.
private func scenario(job extra: String = "", top: String = "") -> String {
  """
  \(top)
  bucket: { versioning: Enabled }
  uploads:
    - name: db
      key: db/x
      schedule: daily at 02:00
      size: 1 GiB
  \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
  """
}

private let lifecycleJSON = """
  {
      "TransitionDefaultMinimumObjectSize": "varies_by_storage_class",
      "Rules": [
          {
              "ID": "ia-after-30-expire-after-365",
              "Filter": { "Prefix": "db/" },
              "Status": "Enabled",
              "Expiration": { "Days": 365 },
              "Transitions": [{ "Days": 30, "StorageClass": "STANDARD_IA" }],
              "NoncurrentVersionExpiration": { "NoncurrentDays": 30 }
          }
      ]
  }
  """

private let lifecycleXML = """
  <?xml version="1.0" encoding="UTF-8"?>
  <LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <TransitionDefaultMinimumObjectSize>varies_by_storage_class</TransitionDefaultMinimumObjectSize>
    <Rule>
      <ID>ia-after-30-expire-after-365</ID>
      <Filter><Prefix>db/</Prefix></Filter>
      <Status>Enabled</Status>
      <Expiration><Days>365</Days></Expiration>
      <Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
      <NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration>
    </Rule>
  </LifecycleConfiguration>
  """

private let expectedLifecycle = LifecycleConfiguration(
  rules: [
    LifecycleRule(
      id: "ia-after-30-expire-after-365", filter: LifecycleFilter(prefix: "db/"), expiration: .after(.days(365)),
      transitions: [.init(when: .days(30), storageClass: .standardIA)],
      noncurrentExpiration: .init(noncurrentDays: 30))
  ],
  transitionDefaultMinimumObjectSize: .variesByStorageClass)

/// A scenario that uses most of the format, for the never-crash checks.
private let richScenario = """
  name: Nightly database dump, 30-day retention
  start: 2027-01-01
  duration: 2 months
  seed: 42
  pricing: us-east-1
  bucket:
    name: acme-backups
    versioning: Enabled
    versioningChanges:
      - { at: 2027-02-01, status: Enabled }
    objectLock: { mode: COMPLIANCE, days: 30 }
    lifecycle:
      Rules:
        - ID: ia-after-30-expire-after-365
          Status: Enabled
          Filter: { Prefix: "db/" }
          Expiration: { Days: 30 }
          NoncurrentVersionExpiration: { NoncurrentDays: 30 }
  uploads:
    - name: db-dump
      key: "db/{date}/part-{i}.gz"
      schedule: daily at 02:00
      objects: 2
      size: { lognormal: { median: 20 GiB, sigma: 0.3 } }
      growth: 2% per month
      storageClass: STANDARD
      tags: [{ Key: team, Value: db }]
  requirements:
    maxMonthlyCost: 500 USD
  """

@Suite struct ScenarioLoaderTests {
  // MARK: Rejections

  @Test(arguments: rejections)
  fileprivate func rejectedWithLocatedMessages(_ c: RejectionCase) {
    let (yaml, files, expected) = c.prepared()
    #expect(loadErrors(yaml, file: c.file, files: files) == expected)
  }

  // A tag value that is a list or mapping is rejected, not read as "".
  /// A tag value must be a string; a list or mapping is reported where it is written.
  @Test(arguments: [
    "tags: { team: 1️⃣[db, ops] }",
    "tags: [{ Key: team, Value: 1️⃣{ name: db } }]",
  ])
  func nonStringTagValuesAreRejected(_ line: String) {
    let (yaml, marks) = stripMarkers(scenario(job: line), file: "test.yaml")
    let errors = loadErrors(yaml)
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.hasPrefix("\(marks[1].map(\.description) ?? "?"): error: ") == true, "\(errors)")
  }

  /// Cut, drop or garble the text anywhere: the loader either accepts it or reports located errors; it never crashes.
  @Test func damagedInputNeverCrashesAndEveryErrorIsLocated() {
    let loader = ScenarioLoader(readFile: { _ in throw CocoaError(.fileReadNoSuchFile) })
    let chars = Array(richScenario)
    var variants: [String] = []
    for i in 0...chars.count {
      variants.append(String(chars[..<i]))
      if i < chars.count {
        variants.append(String(chars[..<i] + chars[(i + 1)...]))
        // One junk character per position, cycling through the ones YAML cares most about.
        let junk: [Character] = ["\t", "[", "{", "\"", ":", "&", "*", "\u{0}", "-", "'"]
        variants.append(String(chars[..<i] + [junk[i % junk.count]] + chars[i...]))
      }
    }
    let lineCount = richScenario.split(separator: "\n", omittingEmptySubsequences: false).count
    var unlocated: [String] = []
    for text in variants {
      do {
        _ = try loader.load(text: text, file: "test.yaml")
      } catch {
        for e in error.errors {
          guard let at = e.location, at.file == "test.yaml", at.line >= 1, at.line <= lineCount + 1, at.column >= 1 else {
            unlocated.append("\(e) for input:\n\(text)")
            continue
          }
        }
      }
    }
    #expect(unlocated.isEmpty, "\(unlocated.prefix(3).joined(separator: "\n\n"))")
  }

  // MARK: Defaults

  @Test func defaultsForOmittedFields() throws {
    let s = try loadScenario(scenario(), file: "plans/nightly.yaml")
    #expect(s.name == "nightly")
    #expect(s.start == utc(2027, 1, 1))
    #expect(s.end == utc(2028, 1, 1))
    #expect(s.seed == 0)
    #expect(s.prices == PriceTable.usEast1)
    #expect(s.bucket.name == "backups")
    #expect(s.bucket.lifecycle == LifecycleConfiguration())
    #expect(s.bucket.objectLock == nil)
    #expect(s.requirements == Requirements())
    let job = try #require(s.uploads.first)
    #expect(job.objects == 1)
    #expect(job.growthPerMonth == 0)
    #expect(job.storageClass == .standard)
    #expect(job.tags == [])
  }

  /// A bucket may start Suspended (it was versioned before the run) and be enabled again later.
  @Test func suspendedStart() throws {
    let bucket = "bucket: { versioning: Suspended, versioningChanges: [{ at: 2027-03-01, status: Enabled }] }"
    let s = try loadScenario(scenario().replacingOccurrences(of: "bucket: { versioning: Enabled }", with: bucket))
    #expect(s.bucket.versioning == .suspended)
    #expect(s.bucket.versioningChanges.map(\.at) == [utc(2027, 3, 1)])
    #expect(s.bucket.versioningChanges.map(\.status) == [.enabled])
  }

  /// `pricing:` names a built-in region or a pricing file; a region without built-in prices is refused where it is written.
  @Test func pricingByRegion() throws {
    #expect(try loadScenario(scenario(top: "pricing: us-east-1")).prices == PriceTable.usEast1)
    #expect(try loadScenario(scenario(top: "pricing: eu-central-1")).prices.region == "eu-central-1")
    let (yaml, marks) = stripMarkers(scenario(top: "pricing: 1️⃣sa-east-1"), file: "test.yaml")
    let builtIn = "ap-northeast-1, ap-southeast-1, ap-southeast-2, eu-central-1, eu-west-1, eu-west-2, us-east-1, us-east-2, us-west-1, us-west-2"
    #expect(
      loadErrors(yaml) == [
        "\(marks[1].map(\.description) ?? "?"): error: no built-in prices for region 'sa-east-1' (built in: \(builtIn)); give a pricing file instead"
      ])
  }

  // MARK: Durations, sizes, growth

  @Test(arguments: durations)
  fileprivate func durationsAreCalendarSpans(_ c: DurationCase) throws {
    let s = try loadScenario(scenario(top: "start: \(c.start)\nduration: \(c.duration)"))
    #expect(s.start == ScenarioLoader.parseDate(c.start))
    #expect(s.end == c.end)
  }

  @Test(arguments: sizes)
  fileprivate func fixedSizesUseBinaryUnits(_ c: SizeCase) throws {
    let yaml = scenario().replacingOccurrences(of: "size: 1 GiB", with: "size: \(c.text)")
    let job = try #require(try loadScenario(yaml).uploads.first)
    #expect(job.size == .fixed(c.bytes))
  }

  /// Spacing, underscores and the odd input, on the parser itself: Unicode spaces around the
  /// number and unit are trimmed as ASCII ones are; digits other than ASCII are not numbers.
  @Test func sizeTextsAtTheEdges() {
    let cases: [(String, Int64?)] = [
      ("  7\tMiB\t", 7 << 20), ("7MiB", 7 << 20), ("\u{A0}3 GiB\u{2003}", 3 << 30), ("3\u{A0}KiB", 3 << 10), ("1_024 B", 1_024),
      (".5 KiB", 512), ("5. KiB", 5_120), ("1.2.3 GiB", nil), ("-1 GiB", nil), ("\u{663} GiB", nil), ("1\u{301} GiB", nil),
      ("3 gib", nil), ("3 GiB s", nil), ("", nil), ("GiB", nil), ("50 TiB", nil),  // over the 50 TB object limit
    ]
    for (text, bytes) in cases { #expect(ScenarioLoader.parseBytes(text) == bytes, "\(text.debugDescription)") }
    #expect(ScenarioLoader.unitMissing(" 20 ", key: "size")?.hasPrefix("'size' needs a unit: 20 B?") == true)
    #expect(ScenarioLoader.unitMissing("\u{663}", key: "size") != nil)  // an Arabic-Indic three: a number without a unit
    #expect(ScenarioLoader.unitMissing("20 GiB", key: "size") == nil)
  }

  @Test func lognormalSize() throws {
    let yaml = scenario().replacingOccurrences(of: "size: 1 GiB", with: "size: { lognormal: { median: 20 GiB, sigma: 0.3 } }")
    let job = try #require(try loadScenario(yaml).uploads.first)
    #expect(job.size == .lognormal(median: 21_474_836_480, sigma: 0.3))
  }

  @Test func growthPerMonth() throws {
    let job = try #require(try loadScenario(scenario(job: "growth: 2% per month")).uploads.first)
    #expect(job.growthPerMonth == 0.02)
  }

  @Test func growthPerYearCompoundsMonthly() throws {
    let job = try #require(try loadScenario(scenario(job: "growth: 10% per year")).uploads.first)
    var factor = 1.0
    for _ in 0..<12 { factor *= 1 + job.growthPerMonth }
    #expect(abs(factor - 1.1) < 1e-12)
  }

  // MARK: Tags

  @Test func tagsAsAMapping() throws {
    let job = try #require(try loadScenario(scenario(job: "tags: { team: db, retention: \"30\" }")).uploads.first)
    #expect(job.tags == [ObjectTag(key: "team", value: "db"), ObjectTag(key: "retention", value: "30")])
  }

  @Test func tagsAsTheAWSList() throws {
    let line = "tags: [{ Key: team, Value: db }, { Key: retention, Value: \"30\" }, { Key: empty }]"
    let job = try #require(try loadScenario(scenario(job: line)).uploads.first)
    #expect(
      job.tags == [ObjectTag(key: "team", value: "db"), ObjectTag(key: "retention", value: "30"), ObjectTag(key: "empty", value: "")])
  }

  // MARK: JSON input

  @Test func jsonScenarioLoadsLikeItsYAML() throws {
    let json = """
      {
        "name": "Nightly dump",
        "start": "2027-01-31",
        "duration": "1 month",
        "seed": 7,
        "bucket": {
          "name": "acme-backups",
          "versioning": "Enabled",
          "objectLock": { "mode": "GOVERNANCE", "days": 14 },
          "lifecycle": \(lifecycleJSON)
        },
        "uploads": [
          {
            "name": "db-dump",
            "key": "db/{date}/part-{i}.gz",
            "schedule": "weekly on Sun at 03:00",
            "objects": 4,
            "size": "10 KB",
            "growth": "2% per month",
            "storageClass": "STANDARD_IA",
            "tags": { "team": "db" }
          }
        ],
        "requirements": { "maxMonthlyCost": "500 USD" }
      }
      """
    let yaml = """
      name: Nightly dump
      start: 2027-01-31
      duration: 1 month
      seed: 7
      bucket:
        name: acme-backups
        versioning: Enabled
        objectLock: { mode: GOVERNANCE, days: 14 }
        lifecycle:
          TransitionDefaultMinimumObjectSize: varies_by_storage_class
          Rules:
            - ID: ia-after-30-expire-after-365
              Filter: { Prefix: "db/" }
              Status: Enabled
              Expiration: { Days: 365 }
              Transitions: [{ Days: 30, StorageClass: STANDARD_IA }]
              NoncurrentVersionExpiration: { NoncurrentDays: 30 }
      uploads:
        - name: db-dump
          key: "db/{date}/part-{i}.gz"
          schedule: weekly on Sun at 03:00
          objects: 4
          size: 10 KB
          growth: 2% per month
          storageClass: STANDARD_IA
          tags: { team: db }
      requirements:
        maxMonthlyCost: 500 USD
      """
    let a = try loadScenario(json, file: "nightly.json")
    let b = try loadScenario(yaml, file: "nightly.yaml")
    #expect(a.name == "Nightly dump")
    #expect(a.start == utc(2027, 1, 31))
    #expect(a.end == utc(2027, 2, 28))
    #expect(a.seed == 7)
    #expect(a.bucket.name == "acme-backups")
    #expect(a.bucket.objectLock == ObjectLockDefault(mode: .governance, days: 14))
    #expect(a.bucket.lifecycle == expectedLifecycle)
    #expect(a.requirements.maxMonthlyCost == Money(exactly: "500"))
    let job = try #require(a.uploads.first)
    #expect(job.name == "db-dump")
    #expect(job.key.description == "db/{date}/part-{i}.gz")
    #expect(job.schedule == .weekly(on: [.sunday], at: .init(hour: 3, minute: 0)))
    #expect(job.objects == 4)
    #expect(job.size == .fixed(10_240))
    #expect(job.growthPerMonth == 0.02)
    #expect(job.storageClass == .standardIA)
    #expect(job.tags == [ObjectTag(key: "team", value: "db")])

    #expect(
      [a.name, a.start.iso8601, a.end.iso8601, String(a.seed), a.bucket.name] == [
        b.name, b.start.iso8601, b.end.iso8601, String(b.seed), b.bucket.name,
      ])
    #expect(a.bucket.lifecycle == b.bucket.lifecycle)
    #expect(a.bucket.objectLock == b.bucket.objectLock)
    #expect(a.requirements == b.requirements)
    let other = try #require(b.uploads.first)
    #expect(job.key == other.key && job.schedule == other.schedule && job.size == other.size)
    #expect(job.objects == other.objects && job.growthPerMonth == other.growthPerMonth)
    #expect(job.storageClass == other.storageClass && job.tags == other.tags)
  }

  // MARK: Referenced files

  @Test func lifecycleFileInAWSCLIJSON() throws {
    let yaml = scenario().replacingOccurrences(
      of: "bucket: { versioning: Enabled }", with: "bucket: { versioning: Enabled, lifecycleFile: aws/lifecycle.json }")
    // Paths are relative to the scenario's folder.
    let s = try loadScenario(yaml, file: "scenarios/nightly.yaml", files: ["scenarios/aws/lifecycle.json": lifecycleJSON])
    #expect(s.bucket.lifecycle == expectedLifecycle)
  }

  @Test func lifecycleFileInS3XML() throws {
    let yaml = scenario().replacingOccurrences(
      of: "bucket: { versioning: Enabled }", with: "bucket: { versioning: Enabled, lifecycleFile: aws/lifecycle.xml }")
    let s = try loadScenario(yaml, file: "scenarios/nightly.yaml", files: ["scenarios/aws/lifecycle.xml": lifecycleXML])
    #expect(s.bucket.lifecycle == expectedLifecycle)
  }

  @Test func lifecycleFileWrappedInLifecycleConfiguration() throws {
    let yaml = scenario().replacingOccurrences(
      of: "bucket: { versioning: Enabled }", with: "bucket: { versioning: Enabled, lifecycleFile: /etc/aws/lifecycle.json }")
    let wrapped = "{\"LifecycleConfiguration\": \(lifecycleJSON)}"
    // An absolute path is used as given (when paths outside the scenario's folder are allowed).
    let loader = ScenarioLoader(readFile: { _ in wrapped }, allowOutsidePaths: true)
    let s = try loader.load(text: yaml, file: "scenarios/nightly.yaml").scenario
    #expect(s.bucket.lifecycle == expectedLifecycle)
  }

  @Test func pricingFileOverridesTheBuiltInTable() throws {
    let pricing = """
      asOf: 2026-11-01
      classes:
        STANDARD: { storage: 0.0245, put: 0.0054 }
      """
    let s = try loadScenario(scenario(top: "pricing: prices/eu.yaml"), file: "scenarios/nightly.yaml", files: ["scenarios/prices/eu.yaml": pricing])
    let table = s.prices
    #expect(table.asOf == "2026-11-01")
    #expect(table.region == "us-east-1")
    #expect(table.source == "pricing file scenarios/prices/eu.yaml (overrides of the built-in us-east-1 table)")
    #expect(table[.standard].storage == [ClassPrices.Band(upToGB: nil, pricePerGBMonth: dec("0.0245"))])
    #expect(table[.standard].putPerThousand == dec("0.0054"))
    // What the file does not mention keeps the built-in value.
    #expect(table[.standard].getPerThousand == PriceTable.usEast1[.standard].getPerThousand)
    #expect(table[.standard].retrieval == PriceTable.usEast1[.standard].retrieval)
    for c in StorageClass.allCases where c != .standard {
      #expect(table.classes[c] == PriceTable.usEast1.classes[c], "\(c)")
    }
  }

  @Test func pricingFileWithRegionAndBands() throws {
    let pricing = """
      region: eu-central-1
      asOf: 2026-11-01
      source: AWS price list API, 2026-11-01
      classes:
        STANDARD:
          storage: [{ upToGB: 51200, price: 0.0245 }, { price: 0.0235 }]
        GLACIER:
          retrieval: { Standard: { perGB: 0.011, perThousandRequests: 0.055, hours: 5 } }
      """
    let s = try loadScenario(scenario(top: "pricing: eu.yaml"), files: ["eu.yaml": pricing])
    #expect(s.prices.region == "eu-central-1")
    #expect(s.prices.source == "AWS price list API, 2026-11-01")
    #expect(
      s.prices[.standard].storage == [
        ClassPrices.Band(upToGB: 51_200, pricePerGBMonth: dec("0.0245")), ClassPrices.Band(upToGB: nil, pricePerGBMonth: dec("0.0235")),
      ])
    #expect(s.prices[.glacier].retrieval[.standard] == ClassPrices.Retrieval(perGB: dec("0.011"), perThousandRequests: dec("0.055"), hours: 5))
    #expect(s.prices[.glacier].retrieval[.bulk] == PriceTable.usEast1[.glacier].retrieval[.bulk])
  }
}

// MARK: - Schedules that skip months

@Suite struct SkippedMonthWarningTests {
  /// A monthly day or cron day-of-month that some months lack is a warning at the schedule, naming those months.
  @Test func daysSomeMonthsLackAreWarnedAtTheSchedule() throws {
    let (text, marks) = stripMarkers(
      """
      bucket: { versioning: Enabled }
      uploads:
        - { name: a, key: a/x, schedule: 1️⃣monthly on 31 at 04:00, size: 1 GiB }
        - { name: b, key: b/x, schedule: 2️⃣"0 2 30,31 * *", size: 1 GiB }
        - { name: c, key: c/x, schedule: 3️⃣monthly on 29, size: 1 GiB }
        - { name: d, key: d/x, schedule: 4️⃣"0 2 31 1-6 *", size: 1 GiB }
        - { name: e, key: e/x, schedule: monthly on 28, size: 1 GiB }
        - { name: f, key: f/x, schedule: "0 2 31 * 1", size: 1 GiB }
        - { name: g, key: g/x, schedule: "0 2 31 1,3 *", size: 1 GiB }
      """, file: "test.yaml")
    let loaded = try ScenarioLoader().load(text: text, file: "test.yaml")
    let tail = "as cron does; use day 28 or earlier to run every month"
    #expect(
      loaded.warnings.map { "\($0.location!): warning: \($0.message)" } == [
        "\(marks[1]!): warning: 'monthly on 31 at 04:00' makes no backup in Feb, Apr, Jun, Sep, Nov (no day 31 in them): it runs in 7 months a year, not 12, \(tail)",
        "\(marks[2]!): warning: '0 2 30,31 * *' makes no backup in Feb (no day 30 in it): it runs in 11 months a year, not 12, \(tail)",
        "\(marks[3]!): warning: 'monthly on 29' makes no backup in Feb (no day 29 in it except in leap years): it runs in 11 months a year, not 12, \(tail)",
        "\(marks[4]!): warning: '0 2 31 1-6 *' makes no backup in Feb, Apr, Jun (no day 31 in them): it runs in 3 months a year, not 6, \(tail)",
      ])
  }
}

// MARK: - Prices a pricing file leaves out

@Suite struct PricingFromBuiltInTests {
  // A region without a built-in table, so what the file leaves out is us-east-1's.
  static let pricing = """
    region: sa-east-1
    asOf: 2026-11-01
    classes:
      STANDARD: { storage: 0.0245, put: 0.0054, get: 0.00043, retrieval: { Instant: { perGB: 0, perThousandRequests: 0.00043, hours: 0 } } }
      GLACIER: { storage: 0.0036, retrieval: { Standard: { perGB: 0.011, perThousandRequests: 0.055, hours: 5 } } }
    """

  @Test func theLoadWarnsWhichPricesAreTheBuiltInOnes() throws {
    let yaml = scenario(top: "pricing: eu.yaml")
    let loader = ScenarioLoader(readFile: { path in
      guard path == "eu.yaml" else { throw CocoaError(.fileReadNoSuchFile) }
      return Self.pricing
    })
    let loaded = try loader.load(text: yaml, file: "test.yaml")
    #expect(
      loaded.warnings.map { "\($0.location!): warning: \($0.message)" } == [
        "eu.yaml:1:1: warning: this pricing file does not give every price of INTELLIGENT_TIERING, STANDARD_IA, ONEZONE_IA, GLACIER_IR, DEEP_ARCHIVE; "
          + "and GLACIER put, get, transition: those are the built-in us-east-1 prices (read 2026-06-30), whatever 'region' says; "
          + "the report marks them"
      ])
    let prices = loaded.scenario.prices
    #expect(prices.fromBuiltIn[.standard] == nil)
    #expect(prices.fromBuiltIn[.glacier] == ["put", "get", "transition"])
    #expect(prices.fromBuiltIn[.standardIA] == ["storage", "put", "get", "transition", "retrieval"])
  }

  /// A file for a region with a built-in table takes what it leaves out from that region's table.
  @Test func aFileForABuiltInRegionFallsBackToThatRegion() throws {
    let text = "region: eu-central-1\nasOf: 2026-11-01\nclasses:\n  STANDARD: { put: 0.006 }\n"
    let loaded = try ScenarioLoader(readFile: { _ in text }).load(text: scenario(top: "pricing: eu.yaml"), file: "test.yaml")
    let prices = loaded.scenario.prices
    #expect(prices[.standard].putPerThousand == Decimal(string: "0.006"))
    #expect(prices[.standard].basePrice == Decimal(string: "0.0245"))  // eu-central-1's, not us-east-1's 0.023
    #expect(prices.fromBuiltIn[.standard] == ["storage", "get", "retrieval"])
    #expect(loaded.warnings.first?.message.contains("those are the built-in eu-central-1 prices (read 2024-09-25)") == true)
  }

  @Test func aBuiltInTableTakesNothingFromElsewhere() throws {
    let loaded = try ScenarioLoader().load(text: scenario(top: "pricing: us-east-1"), file: "test.yaml")
    #expect(loaded.warnings.isEmpty)
    #expect(loaded.scenario.prices.fromBuiltIn.isEmpty)
  }

  @Test func theReportMarksThePricesTakenFromTheBuiltInTable() throws {
    let s = try loadScenario(scenario(top: "pricing: eu.yaml\nduration: 1 month"), files: ["eu.yaml": Self.pricing])
    let e = evaluate(s, findMitigation: false)
    let md = MarkdownReport.render(e)
    #expect(md.contains("| GLACIER | 0.0036 | 0.03 † | 0.03 † | 90 |"), "\(md)")
    #expect(md.contains("| STANDARD_IA | 0.0125 † | 0.01 † | 0.01 † | 30 |"), "\(md)")
    #expect(md.contains("| STANDARD | 0.0245 | 0.0054 | n/a | 0 |"), "\(md)")
    #expect(
      md.contains(
        "† Not in the pricing file, so the built-in us-east-1 price (read 2026-06-30) was used: INTELLIGENT\\_TIERING storage, put, get, transition, retrieval; STANDARD\\_IA storage, put, get, transition, retrieval;"
      ), "\(md)")
    let html = PeopleReports.html(e, charts: [])
    #expect(html.contains("<td class=\"num\">0.03 †</td>"))
    #expect(html.contains("<p class=\"note\">† Not in the pricing file, so the built-in us-east-1 price (read 2026-06-30) was used: "))
  }
}
