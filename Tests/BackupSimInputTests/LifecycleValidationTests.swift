import BackupSimTestSupport
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

// Lifecycle configuration input: decoding (JSON/YAML and S3 XML) and every rejection of
// docs/s3-rules.md §2.4, with the test vectors §9 #15–#18.

/// Decodes YAML/JSON text; returns the configuration (nil on error) and every error reported.
private func decodeLifecycle(_ text: String, file: String = "lifecycle.yaml") throws -> (LifecycleConfiguration?, [ScenarioError]) {
  var reader = NodeReader()
  let node = try ConfigNode.parseYAML(text, file: file)
  let config = LifecycleDecoder.decode(node, reader: &reader)
  return (config, reader.errors)
}

/// Decodes an S3 XML document.
private func decodeLifecycleXML(_ text: String, file: String = "lifecycle.xml") throws -> (LifecycleConfiguration?, [ScenarioError]) {
  var reader = NodeReader()
  let node = try XMLConfigParser.parse(text, file: file)
  let config = LifecycleDecoder.decode(node, reader: &reader)
  return (config, reader.errors)
}

/// The rule ID a message starts with (`rule 'ID': ...`).
private func ruleID(in message: String) -> String? {
  guard message.hasPrefix("rule '") else { return nil }
  let rest = message.dropFirst("rule '".count)
  guard let end = rest.firstIndex(of: "'") else { return nil }
  return String(rest[..<end])
}

private struct RejectionCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  /// A whole lifecycle document (YAML or JSON) with `1️⃣` where the error belongs.
  let input: String
  let message: String
  /// Defaults to `.invalidLifecycle(ruleID:)` with the ID the message starts with.
  var code: ScenarioError.Code?

  init(_ description: String, _ input: String, _ message: String, code: ScenarioError.Code? = nil) {
    testDescription = description
    self.input = input
    self.message = message
    self.code = code
  }

  var expectedCode: ScenarioError.Code { code ?? .invalidLifecycle(ruleID: ruleID(in: message) ?? "") }

  static let longID = String(repeating: "x", count: 256)

  static let table: [RejectionCase] = [
    // Rule metadata (§2.1)
    RejectionCase(
      "duplicate rule ID",
      """
      Rules:
        - { ID: keep, Status: Enabled, Filter: {}, Expiration: { Days: 30 } }
        - { ID: 1️⃣keep, Status: Enabled, Filter: {}, Expiration: { Days: 60 } }
      """,
      "rule 'keep': Rule ID must be unique; rule 1 (lifecycle.yaml:2:11) has the same ID"),
    RejectionCase(
      "ID longer than 255 characters",
      """
      Rules:
        - ID: 1️⃣\(longID)
          Filter: {}
          Status: Enabled
          Expiration: { Days: 30 }
      """,
      "rule '\(String(repeating: "x", count: 61))...': 'ID' must be at most 255 characters long (got 256)",
      code: .invalidLifecycle(ruleID: longID)),
    RejectionCase(
      "Status not Enabled or Disabled",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: 1️⃣enabled
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'Status' must be Enabled or Disabled (got 'enabled'); did you mean 'Enabled'?"),
    RejectionCase(
      "Status missing",
      """
      Rules:
        - 1️⃣ID: r
          Filter: {}
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'Status' is required (Enabled or Disabled)"),
    // API_LifecycleRule.html: "Filter is required if the LifecycleRule does not contain a Prefix element".
    RejectionCase(
      "neither Filter nor top-level Prefix",
      """
      Rules:
        - 1️⃣ID: r
          Status: Enabled
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'Filter' is required when the rule has no top-level 'Prefix'; an empty Filter applies the rule to the whole bucket"),
    // API_LifecycleRuleAndOperator.html: And applies a logical AND to two or more predicates.
    RejectionCase(
      "And with only a Prefix",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { And: 1️⃣{ Prefix: db/ } }
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'And' must combine two or more predicates (got only Prefix); put a single predicate directly in 'Filter'"),
    RejectionCase(
      "And with only one Tag",
      """
      {"Rules": [{"ID": "r", "Status": "Enabled", "Expiration": {"Days": 30},
                  "Filter": {"And": 1️⃣{"Tags": [{"Key": "tier", "Value": "cold"}]}}}]}
      """,
      "rule 'r': 'And' must combine two or more predicates (got only Tag); put a single predicate directly in 'Filter'"),
    RejectionCase(
      "rule with no action",
      """
      Rules:
        - 1️⃣ID: idle
          Status: Enabled
          Filter: { Prefix: db/ }
      """,
      "rule 'idle': the rule has no action; give it at least one of Expiration, Transitions, NoncurrentVersionTransitions, "
        + "NoncurrentVersionExpiration or AbortIncompleteMultipartUpload"),

    // Filters (§2.2)
    RejectionCase(
      "Filter together with the legacy top-level Prefix",
      """
      Rules:
        - ID: r
          Status: Enabled
          Prefix: db/
          Filter: 1️⃣{ Prefix: db/ }
          Expiration: { Days: 30 }
      """,
      "rule 'r': Filter element can only be used in Lifecycle V2. Move the top-level 'Prefix' (line 4) into 'Filter'"),
    RejectionCase(
      "Filter with two predicates outside And",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { Prefix: db/, 1️⃣Tag: { Key: k, Value: v } }
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'Filter' must have exactly one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or And "
        + "(got Prefix and Tag); combine predicates inside 'And'"),
    RejectionCase(
      "duplicate tag keys in one filter",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter:
            And:
              Tags:
                - { Key: tier, Value: a }
                - { Key: 1️⃣tier, Value: b }
          Expiration: { Days: 30 }
      """,
      "rule 'r': Tag Keys must be unique: 'tier' appears more than once in the filter"),
    RejectionCase(
      "ObjectSizeGreaterThan not below ObjectSizeLessThan",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { And: { ObjectSizeGreaterThan: 1️⃣1024, ObjectSizeLessThan: 1024 } }
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan' (got 1024 and 1024)"),
    RejectionCase(
      "negative size filter",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { ObjectSizeGreaterThan: 1️⃣-1 }
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'ObjectSizeGreaterThan' must be between 0 and 54975581388800 bytes (50 TB) (got -1)"),
    RejectionCase(
      "size filter above 50 TB",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { ObjectSizeLessThan: 1️⃣54975581388801 }
          Expiration: { Days: 30 }
      """,
      "rule 'r': 'ObjectSizeLessThan' must be between 0 and 54975581388800 bytes (50 TB) (got 54975581388801)"),

    // Expiration (§2.1, §2.4)
    RejectionCase(
      "vector #16: Expiration Days not greater than Transition Days",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: {}
          Transitions: [{ Days: 30, StorageClass: STANDARD_IA }]
          Expiration: { Days: 1️⃣30 }
      """,
      "rule 'r': 'Days' in the Expiration action for filter '(prefix=)' must be greater than 'Days' in the Transition action "
        + "(got 30; the Transition to STANDARD_IA has Days 30)"),
    RejectionCase(
      "Expiration Days 0",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: { Days: 1️⃣0 }
      """,
      "rule 'r': 'Days' for Expiration action must be a positive integer (got 0)"),
    RejectionCase(
      "Expiration Days negative",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: { Days: 1️⃣-5 }
      """,
      "rule 'r': 'Days' for Expiration action must be a positive integer (got -5)"),
    RejectionCase(
      "Expiration with none of Days, Date, ExpiredObjectDeleteMarker",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: 1️⃣{}
      """,
      "rule 'r': 'Expiration' needs one of 'Days', 'Date' or 'ExpiredObjectDeleteMarker'"),
    RejectionCase(
      "Expiration with both Days and Date",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: { Days: 30, Date: 1️⃣2027-01-01 }
      """,
      "rule 'r': 'Expiration' must have only one of 'Days' or 'Date'"),
    RejectionCase(
      "ExpiredObjectDeleteMarker with Days",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: { Days: 30, ExpiredObjectDeleteMarker: 1️⃣true }
      """,
      "rule 'r': 'ExpiredObjectDeleteMarker' cannot be specified with 'Days' or 'Date' in the Expiration action"),
    RejectionCase(
      "ExpiredObjectDeleteMarker with a tag filter",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { Tag: { Key: k, Value: v } }
          Expiration: { ExpiredObjectDeleteMarker: 1️⃣true }
      """,
      "rule 'r': Tag-based filter cannot be used with ExpiredObjectDeleteMarker action"),
    RejectionCase(
      "vector #18: Expiration Date not at midnight",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: { Date: 1️⃣"2019-04-20T00:01:00Z" }
      """,
      "rule 'r': 'Date' must be at midnight GMT (got 2019-04-20T00:01:00Z)"),
    RejectionCase(
      "Date at local midnight but not UTC",
      """
      {"Rules": [{"Filter": {}, "ID": "r", "Status": "Enabled",
        "Expiration": {"Date": 1️⃣"2027-01-01T00:00:00+01:00"}}]}
      """,
      "rule 'r': 'Date' must be at midnight GMT (got 2027-01-01T00:00:00+01:00)"),
    RejectionCase(
      "Date with a fraction of a second",
      """
      {"Rules": [{"Filter": {}, "ID": "r", "Status": "Enabled",
        "Transitions": [{"Date": 1️⃣"2027-01-01T00:00:00.500Z", "StorageClass": "GLACIER"}]}]}
      """,
      "rule 'r': 'Date' must be at midnight GMT (got 2027-01-01T00:00:00.500Z)"),
    RejectionCase(
      "Date that is not a date",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Expiration: { Date: 1️⃣2027-02-30 }
      """,
      "'Date' must be an ISO 8601 date such as 2027-01-01 or 2027-01-01T00:00:00Z (got '2027-02-30')",
      code: .invalidValue(key: "Date")),
    RejectionCase(
      "Days and Date mixed in one rule",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { Prefix: db/ }
          Transitions: [{ Days: 30, StorageClass: STANDARD_IA }]
          Expiration: { Date: 1️⃣2028-01-01 }
      """,
      "rule 'r': Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '(prefix=db/)'"),

    // Transitions (§2.1, §2.4, §2.9)
    RejectionCase(
      "transition to STANDARD_IA before 30 days",
      """
      Rules:
        - ID: tier-down
          Status: Enabled
          Filter: {}
          Transitions: [{ Days: 1️⃣7, StorageClass: STANDARD_IA }]
      """,
      "rule 'tier-down': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 7)"),
    RejectionCase(
      "vector #15: Transition STANDARD_IA Days 29",
      """
      {"Rules": [{"ID": "v15", "Status": "Enabled", "Filter": {},
        "Transitions": [{"Days": 1️⃣29, "StorageClass": "STANDARD_IA"}]}]}
      """,
      "rule 'v15': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 29)"),
    RejectionCase(
      "transition to ONEZONE_IA before 30 days (old singular Transition)",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transition: { Days: 1️⃣0, StorageClass: ONEZONE_IA }
      """,
      "rule 'r': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA' (got 0)"),
    RejectionCase(
      "negative transition Days",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions: [{ Days: 1️⃣-1, StorageClass: GLACIER }]
      """,
      "rule 'r': 'Days' in Transition action must not be negative (got -1)"),
    RejectionCase(
      "transition with neither Days nor Date",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions: [1️⃣{ StorageClass: GLACIER }]
      """,
      "rule 'r': 'Transition' needs 'Days' or 'Date'"),
    RejectionCase(
      "transition with both Days and Date",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions: [{ Days: 40, Date: 1️⃣2028-01-01, StorageClass: GLACIER }]
      """,
      "rule 'r': 'Transition' must have only one of 'Days' or 'Date'"),
    RejectionCase(
      "transition without StorageClass",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions: [1️⃣{ Days: 40 }]
      """,
      "rule 'r': 'Transition' needs 'StorageClass'"),
    RejectionCase(
      "misspelt storage class",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions: [{ Days: 40, StorageClass: 1️⃣GLACEIR }]
      """,
      "rule 'r': 'StorageClass' in Transition action must be one of STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, "
        + "GLACIER_IR, GLACIER, DEEP_ARCHIVE (got 'GLACEIR'); did you mean 'GLACIER'?"),
    RejectionCase(
      "transition into STANDARD",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions: [{ Days: 40, StorageClass: 1️⃣STANDARD }]
      """,
      "rule 'r': 'StorageClass' in Transition action must be one of STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, "
        + "GLACIER_IR, GLACIER, DEEP_ARCHIVE (got 'STANDARD'); lifecycle cannot move objects into STANDARD"),
    RejectionCase(
      "two transitions to the same class",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions:
            - { Days: 30, StorageClass: GLACIER }
            - { Days: 60, StorageClass: 1️⃣GLACIER }
      """,
      "rule 'r': 'StorageClass' must be different for 'Transition' actions in same 'Rule' (GLACIER appears more than once)"),
    RejectionCase(
      "GLACIER less than 30 days after STANDARD_IA",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions:
            - { Days: 30, StorageClass: STANDARD_IA }
            - { Days: 1️⃣45, StorageClass: GLACIER }
      """,
      "rule 'r': the Transition to GLACIER (Days 45) must come at least 30 days after the Transition to STANDARD_IA (Days 30): "
        + "objects must stay 30 days in STANDARD_IA"),
    RejectionCase(
      "DEEP_ARCHIVE less than 30 days after ONEZONE_IA, by Date",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions:
            - { Date: 2028-01-01, StorageClass: ONEZONE_IA }
            - { Date: 1️⃣2028-01-15, StorageClass: DEEP_ARCHIVE }
      """,
      "rule 'r': the Transition to DEEP_ARCHIVE (Date 2028-01-15) must come at least 30 days after the Transition to "
        + "ONEZONE_IA (Date 2028-01-01): objects must stay 30 days in ONEZONE_IA"),
    RejectionCase(
      "transition against the waterfall: ONEZONE_IA to STANDARD_IA",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions:
            - { Days: 60, StorageClass: 1️⃣STANDARD_IA }
            - { Days: 30, StorageClass: ONEZONE_IA }
      """,
      "rule 'r': the Transition to STANDARD_IA (Days 60) goes against the transition waterfall: "
        + "objects in ONEZONE_IA (from Days 30) cannot move to STANDARD_IA"),
    RejectionCase(
      "transition against the waterfall: GLACIER to GLACIER_IR",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          Transitions:
            - { Days: 30, StorageClass: GLACIER }
            - { Days: 120, StorageClass: 1️⃣GLACIER_IR }
      """,
      "rule 'r': the Transition to GLACIER_IR (Days 120) goes against the transition waterfall: "
        + "objects in GLACIER (from Days 30) cannot move to GLACIER_IR"),

    // Noncurrent versions (§2.1, §2.4, §2.6)
    RejectionCase(
      "noncurrent transition to STANDARD_IA before 30 days",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          NoncurrentVersionTransitions: [{ NoncurrentDays: 1️⃣10, StorageClass: STANDARD_IA }]
      """,
      "rule 'r': 'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 "
        + "for storageClass 'STANDARD_IA' (got 10)"),
    RejectionCase(
      "noncurrent transition against the waterfall",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          NoncurrentVersionTransitions:
            - { NoncurrentDays: 30, StorageClass: GLACIER }
            - { NoncurrentDays: 60, StorageClass: 1️⃣STANDARD_IA }
      """,
      "rule 'r': the NoncurrentVersionTransition to STANDARD_IA (Days 60) goes against the transition waterfall: "
        + "objects in GLACIER (from Days 30) cannot move to STANDARD_IA"),
    RejectionCase(
      "two noncurrent transitions to the same class",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          NoncurrentVersionTransitions:
            - { NoncurrentDays: 30, StorageClass: GLACIER }
            - { NoncurrentDays: 90, StorageClass: 1️⃣GLACIER }
      """,
      "rule 'r': 'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' "
        + "(GLACIER appears more than once)"),
    RejectionCase(
      "NoncurrentVersionExpiration not after NoncurrentVersionTransition",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { Prefix: db/ }
          NoncurrentVersionTransitions: [{ NoncurrentDays: 60, StorageClass: GLACIER }]
          NoncurrentVersionExpiration: { NoncurrentDays: 1️⃣30 }
      """,
      "rule 'r': 'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '(prefix=db/)' must be greater than "
        + "'NoncurrentDays' in the NoncurrentVersionTransition action "
        + "(got 30; the NoncurrentVersionTransition to GLACIER has NoncurrentDays 60)"),
    RejectionCase(
      "vector #17: NoncurrentVersionExpiration with only NewerNoncurrentVersions",
      """
      Rules:
        - ID: v17
          Status: Enabled
          Filter: {}
          NoncurrentVersionExpiration: 1️⃣{ NewerNoncurrentVersions: 1 }
      """,
      "rule 'v17': 'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer (it is missing)"),
    RejectionCase(
      "NoncurrentVersionExpiration NoncurrentDays 0",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          NoncurrentVersionExpiration: { NoncurrentDays: 1️⃣0 }
      """,
      "rule 'r': 'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer (got 0)"),
    RejectionCase(
      "NewerNoncurrentVersions 0",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: {}
          NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 1️⃣0 }
      """,
      "rule 'r': 'NewerNoncurrentVersions' must be between 1 and 100 (got 0)"),
    RejectionCase(
      "NewerNoncurrentVersions above 100 in a noncurrent transition",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: {}
          NoncurrentVersionTransitions: [{ NoncurrentDays: 30, StorageClass: GLACIER, NewerNoncurrentVersions: 1️⃣101 }]
      """,
      "rule 'r': 'NewerNoncurrentVersions' must be between 1 and 100 (got 101)"),
    RejectionCase(
      "NewerNoncurrentVersions in a legacy Prefix rule",
      """
      Rules:
        - ID: r
          Status: Enabled
          Prefix: db/
          NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 1️⃣3 }
      """,
      "rule 'r': NewerNoncurrentVersions element can only be used in Lifecycle V2."),

    // Incomplete multipart uploads
    RejectionCase(
      "AbortIncompleteMultipartUpload DaysAfterInitiation 0",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1️⃣0 }
      """,
      "rule 'r': 'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer (got 0)"),
    RejectionCase(
      "AbortIncompleteMultipartUpload with a tag filter",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: { And: { Prefix: db/, Tags: [{ Key: k, Value: v }] } }
          AbortIncompleteMultipartUpload: 1️⃣{ DaysAfterInitiation: 7 }
      """,
      "rule 'r': Tag-based filter cannot be used with AbortIncompleteMultipartUpload action"),

    // Configuration level and shape
    RejectionCase(
      "TransitionDefaultMinimumObjectSize not one of the two values",
      """
      TransitionDefaultMinimumObjectSize: 1️⃣all_storage_classes_128k
      Rules:
        - { Filter: {}, ID: r, Status: Enabled, Expiration: { Days: 30 } }
      """,
      "'TransitionDefaultMinimumObjectSize' must be one of all_storage_classes_128K, varies_by_storage_class "
        + "(got 'all_storage_classes_128k'); did you mean 'all_storage_classes_128K'?",
      code: .invalidValue(key: "TransitionDefaultMinimumObjectSize")),
    RejectionCase(
      "no rules",
      """
      Rules: 1️⃣[]
      """,
      "'Rules' must contain at least one rule", code: .invalidValue(key: "Rules")),
    RejectionCase(
      "unknown key gets a suggestion",
      """
      Rules:
        - ID: r
          Filter: {}
          Status: Enabled
          1️⃣Expiraton: { Days: 30 }
      """,
      "unknown key 'Expiraton' in rule 'r'; did you mean 'Expiration'?", code: .unknownKey("Expiraton")),

    // S3's 32-bit integers: larger values would overflow the due-date arithmetic (Days × 86,400).
    RejectionCase(
      "Expiration Days above the 32-bit limit",
      """
      Rules:
        - { Filter: {}, ID: r, Status: Enabled, Expiration: { Days: 1️⃣2147483648 } }
      """,
      "'Days' must be at most 2147483647, S3's 32-bit limit (got 2147483648)", code: .invalidValue(key: "Days")),
    RejectionCase(
      "Transition Days that would overflow seconds",
      """
      Rules:
        - { Filter: {}, ID: r, Status: Enabled, Transitions: [{ Days: 1️⃣106751991167301, StorageClass: GLACIER }] }
      """,
      "'Days' must be at most 2147483647, S3's 32-bit limit (got 106751991167301)", code: .invalidValue(key: "Days")),
    RejectionCase(
      "NoncurrentDays above the 32-bit limit",
      """
      Rules:
        - { Filter: {}, ID: r, Status: Enabled, NoncurrentVersionExpiration: { NoncurrentDays: 1️⃣9223372036854775807 } }
      """,
      "'NoncurrentDays' must be at most 2147483647, S3's 32-bit limit (got 9223372036854775807)",
      code: .invalidValue(key: "NoncurrentDays")),
    RejectionCase(
      "NewerNoncurrentVersions above the 32-bit limit",
      """
      Rules:
        - ID: r
          Status: Enabled
          Filter: {}
          NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 1️⃣4294967296 }
      """,
      "'NewerNoncurrentVersions' must be at most 2147483647, S3's 32-bit limit (got 4294967296)",
      code: .invalidValue(key: "NewerNoncurrentVersions")),
    RejectionCase(
      "DaysAfterInitiation above the 32-bit limit",
      """
      Rules:
        - { Filter: {}, ID: r, Status: Enabled, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1️⃣2147483648 } }
      """,
      "'DaysAfterInitiation' must be at most 2147483647, S3's 32-bit limit (got 2147483648)",
      code: .invalidValue(key: "DaysAfterInitiation")),
  ]
}

// MARK: - Fixtures: a valid configuration

/// docs/s3-rules.md §7.2, verbatim.
private let awsCLIExample = """
  {
    "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K",
    "Rules": [
      {
        "ID": "nightly-backups",
        "Filter": { "Prefix": "db/" },
        "Status": "Enabled",
        "Transitions": [ { "Days": 30, "StorageClass": "STANDARD_IA" }, { "Days": 90, "StorageClass": "GLACIER" } ],
        "Expiration": { "Days": 400 },
        "NoncurrentVersionTransitions": [ { "NoncurrentDays": 30, "StorageClass": "GLACIER", "NewerNoncurrentVersions": 2 } ],
        "NoncurrentVersionExpiration": { "NoncurrentDays": 120, "NewerNoncurrentVersions": 3 },
        "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 }
      },
      { "ID": "dm-cleanup", "Filter": {}, "Status": "Enabled", "Expiration": { "ExpiredObjectDeleteMarker": true } }
    ]
  }
  """

/// The same configuration as the S3 XML document (TransitionDefaultMinimumObjectSize is a header there; default).
private let s3XMLExample = """
  <?xml version="1.0" encoding="UTF-8"?>
  <LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Rule>
      <ID>nightly-backups</ID>
      <Filter>
        <Prefix>db/</Prefix>
      </Filter>
      <Status>Enabled</Status>
      <Transition>
        <Days>30</Days>
        <StorageClass>STANDARD_IA</StorageClass>
      </Transition>
      <Transition>
        <Days>90</Days>
        <StorageClass>GLACIER</StorageClass>
      </Transition>
      <Expiration>
        <Days>400</Days>
      </Expiration>
      <NoncurrentVersionTransition>
        <NoncurrentDays>30</NoncurrentDays>
        <StorageClass>GLACIER</StorageClass>
        <NewerNoncurrentVersions>2</NewerNoncurrentVersions>
      </NoncurrentVersionTransition>
      <NoncurrentVersionExpiration>
        <NoncurrentDays>120</NoncurrentDays>
        <NewerNoncurrentVersions>3</NewerNoncurrentVersions>
      </NoncurrentVersionExpiration>
      <AbortIncompleteMultipartUpload>
        <DaysAfterInitiation>7</DaysAfterInitiation>
      </AbortIncompleteMultipartUpload>
    </Rule>
    <Rule>
      <ID>dm-cleanup</ID>
      <Filter></Filter>
      <Status>Enabled</Status>
      <Expiration>
        <ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>
      </Expiration>
    </Rule>
  </LifecycleConfiguration>
  """

private let awsCLIExampleValue = LifecycleConfiguration(
  rules: [
    LifecycleRule(
      id: "nightly-backups",
      filter: LifecycleFilter(prefix: "db/"),
      expiration: .after(.days(400)),
      transitions: [
        .init(when: .days(30), storageClass: .standardIA),
        .init(when: .days(90), storageClass: .glacier),
      ],
      noncurrentTransitions: [.init(noncurrentDays: 30, storageClass: .glacier, newerNoncurrentVersions: 2)],
      noncurrentExpiration: .init(noncurrentDays: 120, newerNoncurrentVersions: 3),
      abortIncompleteMultipartUploadDays: 7),
    LifecycleRule(id: "dm-cleanup", expiration: .expiredObjectDeleteMarker),
  ],
  transitionDefaultMinimumObjectSize: .allStorageClasses128K)

// MARK: - Fixtures: malformed XML

private struct MalformedXMLCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  let input: String
  let message: String
  static let table: [MalformedXMLCase] = [
    // Found by Fuzz/: FoundationXML dereferenced a null pointer on an instruction without data.
    MalformedXMLCase(
      testDescription: "a processing instruction without data",
      input: "1️⃣<?i?>fv",
      message: "invalid XML: processing instructions (<?…?>) are not allowed; only the XML declaration may start with <?"),
    MalformedXMLCase(
      testDescription: "a processing instruction inside the document",
      input: "<LifecycleConfiguration>\n  1️⃣<?target data?><Rule><ID>r</ID></Rule>\n</LifecycleConfiguration>",
      message: "invalid XML: processing instructions (<?…?>) are not allowed; only the XML declaration may start with <?"),
    // S3's PutBucketLifecycleConfiguration body is <LifecycleConfiguration> (API reference, "Request
    // Syntax"); the SDK's type name used as the root read as an unknown key 'Rule' before.
    MalformedXMLCase(
      testDescription: "a root element other than LifecycleConfiguration",
      input:
        "1️⃣<BucketLifecycleConfiguration>\n  <Rule><ID>r</ID><Status>Enabled</Status><Filter/><Expiration><Days>3</Days></Expiration></Rule>\n</BucketLifecycleConfiguration>",
      message: "invalid XML: the root element must be <LifecycleConfiguration>, not <BucketLifecycleConfiguration>"),
    MalformedXMLCase(
      testDescription: "mismatched closing tag",
      input: "<LifecycleConfiguration>\n  <Rule><ID>r</Id>1️⃣</Rule>\n</LifecycleConfiguration>",
      message: "invalid XML: closing tag does not match <ID>"),
    MalformedXMLCase(
      testDescription: "repeated element that is not a list",
      input: "<LifecycleConfiguration>\n  <Rule><ID>r</ID>1️⃣<ID>s</ID></Rule>\n</LifecycleConfiguration>",
      message: "invalid XML: <ID> appears more than once in <Rule>"),
    MalformedXMLCase(
      testDescription: "text mixed with elements",
      input: "<LifecycleConfiguration>\n  1️⃣<Rule>oops<ID>r</ID></Rule>\n</LifecycleConfiguration>",
      message: "invalid XML: <Rule> mixes text with the element <ID>"),

    // Issue 13: what libxml2 must not decide on its own (it crashed, or misread the document).
    MalformedXMLCase(
      testDescription: "elements nested deeper than 1,000 levels",
      input: "<LifecycleConfiguration>\n" + String(repeating: "<a>", count: 999) + "1️⃣<a/>" + String(repeating: "</a>", count: 999)
        + "</LifecycleConfiguration>",
      message: "invalid XML: elements nested more than 1000 levels deep"),
    MalformedXMLCase(
      testDescription: "declared UTF-32 over UTF-8 bytes",
      input: "<?xml version=\"1.0\" encoding=\"1️⃣UTF-32\"?>\n<LifecycleConfiguration/>",
      message: "invalid XML: the document declares encoding 'UTF-32'; S3 takes UTF-8 only"),
    MalformedXMLCase(
      testDescription: "declared EBCDIC",
      input: "<?xml version='1.0' encoding = '1️⃣IBM037' standalone='yes'?>\n<LifecycleConfiguration/>",
      message: "invalid XML: the document declares encoding 'IBM037'; S3 takes UTF-8 only"),
    MalformedXMLCase(
      testDescription: "encoding declaration without a quoted name",
      input: "<?xml version=\"1.0\" 1️⃣encoding=UTF-32?>\n<LifecycleConfiguration/>",
      message: "invalid XML: malformed encoding declaration; write encoding=\"UTF-8\""),
    MalformedXMLCase(
      testDescription: "NUL character (libxml2 would guess UTF-16 or UTF-32 from leading NULs)",
      input: "<1️⃣\u{0}\u{0}\u{0}LifecycleConfiguration/>",
      message: "invalid XML: the document contains a NUL character; S3 takes UTF-8 text"),
    MalformedXMLCase(
      testDescription: "DOCTYPE declaring an entity",
      input: """
        <?xml version="1.0" encoding="utf-8"?>
        <!-- archived dumps -->
        1️⃣<!DOCTYPE LifecycleConfiguration [<!ENTITY archive "archive/">]>
        <LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status>
        <Filter><Prefix>&archive;</Prefix></Filter><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>
        """,
      message: "invalid XML: DOCTYPE is not allowed (S3 refuses DTDs; write the values without entities)"),
    MalformedXMLCase(
      testDescription: "DOCTYPE naming an external DTD",
      input: "1️⃣<!DOCTYPE LifecycleConfiguration SYSTEM \"file:///etc/passwd\">\n<LifecycleConfiguration/>",
      message: "invalid XML: DOCTYPE is not allowed (S3 refuses DTDs; write the values without entities)"),
    MalformedXMLCase(
      testDescription: "entity that no DOCTYPE declares",
      input: "<LifecycleConfiguration><Rule><Filter><Prefix>&archive;1️⃣</Prefix></Filter></Rule></LifecycleConfiguration>",
      message: "invalid XML: bad entity reference (write '&' as '&amp;')"),
  ]
}

@Suite struct LifecycleValidationTests {
  @Test(arguments: RejectionCase.table)
  fileprivate func lifecycleRejection(_ c: RejectionCase) throws {
    let (text, location) = unmark(c.input, file: "lifecycle.yaml")
    let (config, errors) = try decodeLifecycle(text)
    #expect(config == nil)
    #expect(errors == [ScenarioError(c.expectedCode, c.message, at: location)])
  }

  // MARK: Rejections

  @Test func moreThan1000RulesIsRejectedAtTheFirstRuleOverTheLimit() throws {
    let rules = (1...1001).map { #"{"Filter": {}, "ID": "r\#($0)", "Status": "Enabled", "Expiration": {"Days": 30}}"# }
    let text = "{\"Rules\": [\n" + rules.joined(separator: ",\n") + "\n]}"
    let (config, errors) = try decodeLifecycle(text, file: "many.json")
    #expect(config == nil)
    #expect(
      errors == [
        ScenarioError(
          .invalidLifecycle(ruleID: "r1001"),
          "rule 'r1001': too many rules: a lifecycle configuration can have at most 1000 rules (got 1001)",
          at: BackupSimInput.SourceLocation(file: "many.json", line: 1002, column: 1))
      ])
  }

  @Test func everyProblemIsReportedNotOnlyTheFirst() throws {
    let text = """
      Rules:
        - ID: a
          Filter: {}
          Status: Enabeld
          Transitions: [{ Days: 7, StorageClass: STANDARD_IA }]
        - ID: b
          Filter: {}
          Status: Enabled
          Expiration: { Days: 0 }
          NoncurrentVersionExpiration: { NewerNoncurrentVersions: 1 }
      """
    let (config, errors) = try decodeLifecycle(text)
    #expect(config == nil)
    #expect(
      errors.map { "\($0.location.map(\.description) ?? "")" } == [
        "lifecycle.yaml:4:13", "lifecycle.yaml:5:27", "lifecycle.yaml:9:25", "lifecycle.yaml:10:34",
      ])
    #expect(
      errors.map(\.code) == [
        .invalidLifecycle(ruleID: "a"), .invalidLifecycle(ruleID: "a"), .invalidLifecycle(ruleID: "b"), .invalidLifecycle(ruleID: "b"),
      ])
  }

  // MARK: Valid input

  @Test func awsCLIExampleDecodes() throws {
    let (config, errors) = try decodeLifecycle(awsCLIExample, file: "lifecycle.json")
    #expect(errors == [])
    #expect(config == awsCLIExampleValue)
  }

  @Test func s3XMLDecodesToTheSameValue() throws {
    let (config, errors) = try decodeLifecycleXML(s3XMLExample)
    #expect(errors == [])
    #expect(config == awsCLIExampleValue)
  }

  @Test func wrappedDocumentDecodes() throws {
    let (config, errors) = try decodeLifecycle(#"{"LifecycleConfiguration": \#(awsCLIExample)}"#)
    #expect(errors == [])
    #expect(config == awsCLIExampleValue)
  }

  @Test func legacyShapesAndGeneratedIDs() throws {
    let text = """
      TransitionDefaultMinimumObjectSize: varies_by_storage_class
      Rules:
        - Status: Disabled
          Prefix: logs/
          Transition: { Days: 0, StorageClass: GLACIER }
          NoncurrentVersionTransition: { NoncurrentDays: 0, StorageClass: DEEP_ARCHIVE }
        - ID: rule-1
          Status: Enabled
          Filter:
            And:
              Prefix: ""
              Tags: [{ Key: keep, Value: "" }, { Key: tier, Value: cold }]
              ObjectSizeGreaterThan: 131072
              ObjectSizeLessThan: 1073741824
          Expiration: { Days: 30 }
        - Status: Enabled
          Filter: { Tag: { Key: team } }
          Expiration: { Date: 2027-03-01 }
      """
    let (config, errors) = try decodeLifecycle(text)
    #expect(errors == [])
    #expect(
      config
        == LifecycleConfiguration(
          rules: [
            LifecycleRule(
              id: "rule-1-2", enabled: false, filter: LifecycleFilter(prefix: "logs/"),
              transitions: [.init(when: .days(0), storageClass: .glacier)],
              noncurrentTransitions: [.init(noncurrentDays: 0, storageClass: .deepArchive)]),
            LifecycleRule(
              id: "rule-1",
              filter: LifecycleFilter(
                prefix: "", tags: [ObjectTag(key: "keep", value: ""), ObjectTag(key: "tier", value: "cold")],
                objectSizeGreaterThan: 131_072, objectSizeLessThan: 1_073_741_824),
              expiration: .after(.days(30))),
            LifecycleRule(
              id: "rule-3", filter: LifecycleFilter(tags: [ObjectTag(key: "team", value: "")]),
              expiration: .after(.date(SimTime(year: 2027, month: 3, day: 1)))),
          ],
          transitionDefaultMinimumObjectSize: .variesByStorageClass))
  }

  @Test(arguments: [
    "2027-01-01T00:00:00+00:00", "2027-01-01T00:00:00Z", "2027-01-01T00:00:00.000Z", "2027-01-01",
    "2027-01-01T01:00:00+01:00", "2026-12-31T19:00:00-0500",
  ])
  func acceptedDateForms(_ date: String) throws {
    let text = #"{"Rules": [{"Filter": {}, "ID": "d", "Status": "Enabled", "Expiration": {"Date": "\#(date)"}}]}"#
    let (config, errors) = try decodeLifecycle(text)
    #expect(errors == [])
    #expect(config?.rules.first?.expiration == .after(.date(SimTime(year: 2027, month: 1, day: 1))))
  }

  // MARK: XML

  @Test func xmlErrorsPointAtTheXMLText() throws {
    let (text, location) = unmark(
      """
      <LifecycleConfiguration>
        <Rule>
          <ID>tier-down</ID>
          <Status>Enabled</Status>
          <Filter><And><Prefix>db/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>
          <Transition><Days>1️⃣7</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
        </Rule>
      </LifecycleConfiguration>
      """, file: "lifecycle.xml")
    let (config, errors) = try decodeLifecycleXML(text)
    #expect(config == nil)
    #expect(
      errors == [
        ScenarioError(
          .invalidLifecycle(ruleID: "tier-down"),
          "rule 'tier-down': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 7)",
          at: location)
      ])
  }

  @Test func xmlUnknownElementPointsAtItsTag() throws {
    let (text, location) = unmark(
      """
      <LifecycleConfiguration>
        <Rule><ID>r</ID><Status>Enabled</Status>1️⃣<Expiraton><Days>3</Days></Expiraton></Rule>
      </LifecycleConfiguration>
      """, file: "lifecycle.xml")
    let (_, errors) = try decodeLifecycleXML(text)
    #expect(errors == [ScenarioError(.unknownKey("Expiraton"), "unknown key 'Expiraton' in rule 'r'; did you mean 'Expiration'?", at: location)])
  }

  @Test(arguments: MalformedXMLCase.table)
  fileprivate func malformedXMLIsOneLocatedError(_ c: MalformedXMLCase) {
    let (text, location) = unmark(c.input, file: "lifecycle.xml")
    #expect(throws: ScenarioError(.syntax, c.message, at: location)) {
      _ = try XMLConfigParser.parse(text, file: "lifecycle.xml")
    }
  }

  /// 50,000 levels overflowed the stack when the tree was freed; now the parser stops at 1,000.
  @Test func deeplyNestedXMLIsOneErrorNotACrash() {
    let text =
      "<LifecycleConfiguration>" + String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000)
      + "</LifecycleConfiguration>"
    let location = BackupSimInput.SourceLocation(file: "lifecycle.xml", line: 1, column: 1 + 24 + 999 * 3)
    #expect(throws: ScenarioError(.syntax, "invalid XML: elements nested more than 1000 levels deep", at: location)) {
      _ = try XMLConfigParser.parse(text, file: "lifecycle.xml")
    }
  }

  @Test func utf8DeclarationsAreAccepted() throws {
    for declaration in [#"<?xml version="1.0" encoding="UTF-8"?>"#, "<?xml version='1.0' encoding='utf-8'?>", "<?xml version=\"1.0\"?>"] {
      // The example without its own declaration line.
      let (config, errors) = try decodeLifecycleXML(declaration + s3XMLExample.drop { $0 != "\n" })
      #expect(errors == [])
      #expect(config == awsCLIExampleValue)
    }
  }

  @Test func xmlValuesOnTheirOwnLinesAreTrimmed() throws {
    let (text, location) = unmark(
      "<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status><Filter><Prefix> a</Prefix></Filter>\n"
        + "<Expiration><Days>\n    1️⃣0\n  </Days></Expiration></Rule></LifecycleConfiguration>", file: "lifecycle.xml")
    let node = try XMLConfigParser.parse(text, file: "lifecycle.xml")
    #expect(node["Rules"]?.items?.first?["Filter"]?["Prefix"]?.scalar == " a")
    var reader = NodeReader()
    #expect(LifecycleDecoder.decode(node, reader: &reader) == nil)
    #expect(
      reader.errors == [
        ScenarioError(
          .invalidLifecycle(ruleID: "r"), "rule 'r': 'Days' for Expiration action must be a positive integer (got 0)", at: location)
      ])
  }

  @Test func emptyXMLDocumentIsAnError() {
    #expect(throws: ScenarioError.self) { _ = try XMLConfigParser.parse("", file: "lifecycle.xml") }
  }

  @Test func xmlBuildsTheJSONShape() throws {
    let node = try XMLConfigParser.parse(
      "<LifecycleConfiguration><Rule><Filter><And><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>"
        + "<Transition><Days>30</Days></Transition></Rule></LifecycleConfiguration>", file: "x.xml")
    let rule = node["Rules"]?.items?.first
    #expect(rule?["Transitions"]?.items?.count == 1)
    #expect(rule?["Filter"]?["And"]?["Tags"]?.items?.first?["Key"]?.scalar == "k")
    guard case .scalar("30", quoted: false)? = rule?["Transitions"]?.items?.first?["Days"]?.kind else {
      Issue.record("Days is not an unquoted scalar")
      return
    }
  }
}
