import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

// IAM policy evaluation for S3 (docs/s3-rules.md §5): decoding with located errors, the
// evaluation rules of §5.5, the permissions of §5.2, and the shared fixture tools/policy_cases.json
// that tools/moto_check.py replays against moto.

private let writer = "arn:aws:iam::123456789012:user/backup-writer"
private let bucketName = "acme-backups"

/// Decodes a policy from YAML or JSON text; crashes the test on errors (policies here are valid).
private func policy(_ text: String, kind: PolicyDocument.Kind = .identity, file: String = "policy.yaml") -> PolicyDocument {
  var reader = NodeReader()
  guard let node = try? ConfigNode.parseYAML(text, file: file), let doc = PolicyDocument.decode(node, kind: kind, reader: &reader) else {
    Issue.record("policy does not decode: \(reader.errors.map(\.description))")
    return PolicyDocument(statements: [])
  }
  return doc
}

/// The errors and warnings decoding produces.
private func diagnose(_ text: String, kind: PolicyDocument.Kind = .identity, file: String = "policy.yaml") -> (
  errors: [ScenarioError], warnings: [ScenarioError]
) {
  var reader = NodeReader()
  do {
    let node = try ConfigNode.parseYAML(text, file: file)
    _ = PolicyDocument.decode(node, kind: kind, reader: &reader)
  } catch {
    return ([error], [])
  }
  return (reader.errors, reader.warnings)
}

// MARK: - Policies under test

private enum Policies {
  static let putOnly = """
    Version: "2012-10-17"
    Statement:
      - Sid: BackupWrites
        Effect: Allow
        Action: s3:PutObject
        Resource: arn:aws:s3:::acme-backups/db/*
    """
  static let putStar = """
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Put*",
     "Resource": ["arn:aws:s3:::acme-backups", "arn:aws:s3:::acme-backups/*"]}}
    """
  static let allButVersionDeletes = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: "s3:*"
        Resource: "*"
      - Sid: NoHistoryLoss
        Effect: Deny
        Action: [s3:DeleteObjectVersion, s3:BypassGovernanceRetention]
        Resource: "*"
    """
  static let notAction = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        NotAction: ["s3:Delete*", s3:PutLifecycleConfiguration, "s3:PutBucket*"]
        Resource: [arn:aws:s3:::acme-backups, "arn:aws:s3:::acme-backups/*"]
    """
  static let notResource = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: [s3:PutObject, s3:GetObject]
        Resource: "arn:aws:s3:::acme-backups/*"
      - Sid: OnlyDb
        Effect: Deny
        Action: "s3:*"
        NotResource: "arn:aws:s3:::acme-backups/db/*"
    """
  static let pinnedIA = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {StringEquals: {"s3:x-amz-storage-class": STANDARD_IA}}
    """
  static let denyOtherClasses = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
      - Sid: OnlyStandardOrIA
        Effect: Deny
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {StringNotEquals: {"s3:x-amz-storage-class": [STANDARD, STANDARD_IA]}}
    """
  static let putAll = """
    Version: "2012-10-17"
    Statement: {Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::acme-backups/*"}
    """
  static let conditionalWrites = """
    Version: "2012-10-17"
    Statement:
      - Sid: DenyOverwrites
        Effect: Deny
        Principal: "*"
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {"Null": {"s3:if-none-match": true}}
    """
  static let sourceIP = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {IpAddress: {"aws:SourceIp": [203.0.113.0/24, "2001:db8::/32"]}}
    """
  static let tlsOnly = """
    Version: "2012-10-17"
    Statement:
      - Sid: TLSOnly
        Effect: Deny
        Principal: {AWS: "*"}
        Action: "s3:*"
        Resource: [arn:aws:s3:::acme-backups, "arn:aws:s3:::acme-backups/*"]
        Condition: {Bool: {"aws:SecureTransport": false}}
    """
  static let tagKeys = """
    Version: "2012-10-17"
    Statement:
      - Sid: TaggedWrites
        Effect: Allow
        Action: [s3:PutObject, s3:PutObjectTagging]
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {"ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": [job, date]}}
      - Sid: NoLegalTag
        Effect: Deny
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {"ForAnyValue:StringLike": {"s3:RequestObjectTagKeys": "legal*"}}
    """
  static let getOnly = """
    Version: "2012-10-17"
    Statement: {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::acme-backups/*"}
    """
  static let principals = """
    Version: "2012-10-17"
    Statement:
      - Sid: WriterPuts
        Effect: Allow
        Principal: {AWS: "arn:aws:iam::123456789012:user/backup-writer"}
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
      - Sid: AdminDeletes
        Effect: Allow
        Principal: {AWS: [arn:aws:iam::123456789012:user/admin]}
        Action: s3:DeleteObject
        Resource: "arn:aws:s3:::acme-backups/*"
      - Sid: AccountLists
        Effect: Allow
        Principal: {AWS: "arn:aws:iam::123456789012:root"}
        Action: s3:ListBucket
        Resource: arn:aws:s3:::acme-backups
      - Sid: AccountIdListsVersions
        Effect: Allow
        Principal: {AWS: "123456789012"}
        Action: s3:ListBucketVersions
        Resource: arn:aws:s3:::acme-backups
      - Sid: AccountMayNotChangePolicy
        Effect: Deny
        Principal: {AWS: "123456789012"}
        Action: s3:PutBucketPolicy
        Resource: arn:aws:s3:::acme-backups
      - Sid: NoForeignReads
        Effect: Deny
        Principal: {AWS: "arn:aws:iam::999999999999:root"}
        Action: s3:GetObject
        Resource: "arn:aws:s3:::acme-backups/*"
      - Sid: OnlyAdminDestroys
        Effect: Deny
        NotPrincipal: {AWS: ["arn:aws:iam::123456789012:user/admin", "arn:aws:iam::123456789012:root"]}
        Action: [s3:DeleteObjectVersion, s3:PutLifecycleConfiguration]
        Resource: [arn:aws:s3:::acme-backups, "arn:aws:s3:::acme-backups/*"]
    """
  static let notPrincipalUserOnly = """
    Version: "2012-10-17"
    Statement:
      - Effect: Deny
        NotPrincipal: {AWS: "arn:aws:iam::123456789012:user/admin"}
        Action: s3:DeleteObjectVersion
        Resource: "arn:aws:s3:::acme-backups/*"
    """
  static let notPrincipalSession = """
    Version: "2012-10-17"
    Statement:
      - Effect: Deny
        NotPrincipal:
          AWS: [arn:aws:iam::123456789012:root, arn:aws:iam::123456789012:role/admin, arn:aws:sts::123456789012:assumed-role/admin/alice]
        Action: s3:DeleteObjectVersion
        Resource: "arn:aws:s3:::acme-backups/*"
    """
  static let allOnBucket = """
    Version: "2012-10-17"
    Statement: {Effect: Allow, Action: "s3:*", Resource: [arn:aws:s3:::acme-backups, "arn:aws:s3:::acme-backups/*"]}
    """
  static let protectHistory = """
    Version: "2012-10-17"
    Statement:
      - Sid: ProtectHistory
        Effect: Deny
        Principal: "*"
        Action: [s3:DeleteObjectVersion, s3:PutLifecycleConfiguration, s3:PutBucketVersioning]
        Resource: [arn:aws:s3:::acme-backups, "arn:aws:s3:::acme-backups/*"]
    """
  static let unknownKeys = """
    Version: "2012-10-17"
    Statement:
      - Sid: PutWithFutureKey
        Effect: Allow
        Action: s3:PutObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {StringEquals: {"aws:SomeFutureKey": "yes"}}
      - Sid: Deletes
        Effect: Allow
        Action: [s3:DeleteObject, s3:DeleteObjectVersion]
        Resource: "arn:aws:s3:::acme-backups/*"
      - Sid: DenyDeletesUnlessFuture
        Effect: Deny
        Action: s3:DeleteObject
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {StringNotEquals: {"aws:SomeFutureKey": "yes"}}
      - Sid: DenyVersionDeletesFuzzy
        Effect: Deny
        Action: s3:DeleteObjectVersion
        Resource: "arn:aws:s3:::acme-backups/*"
        Condition: {StringEqualsFuzzy: {"s3:versionid": "x"}}
      - Sid: LifecycleFuzzy
        Effect: Allow
        Action: s3:PutLifecycleConfiguration
        Resource: arn:aws:s3:::acme-backups
        Condition: {StringEqualsFuzzy: {"s3:x-amz-acl": "x"}}
    """
}

// MARK: - Evaluation table

private struct EvalCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  let identity: String
  let bucketPolicy: String?
  let op: S3Operation
  let key: String?
  let context: [String: [String]]
  let expected: Decision
  var principal: String = writer

  init(
    _ description: String, _ identity: String, bucket: String? = nil, _ op: S3Operation, _ key: String?,
    _ context: [String: [String]], _ expected: Decision, principal: String = writer
  ) {
    testDescription = description
    self.identity = identity
    self.bucketPolicy = bucket
    self.op = op
    self.key = key
    self.context = context
    self.expected = expected
    self.principal = principal
  }

  init(
    _ description: String, _ identity: String, bucket: String? = nil, _ op: S3Operation, _ key: String?, _ expected: Decision,
    principal: String = writer
  ) {
    self.init(description, identity, bucket: bucket, op, key, [:], expected, principal: principal)
  }

  static let table: [EvalCase] = [
    // A put-only writer (docs/s3-rules.md §5.4)
    EvalCase("put-only: PutObject under its prefix", Policies.putOnly, .putObject, "db/2027-06-15.sql.gz", .allowed),
    EvalCase("put-only: PutObject outside its prefix", Policies.putOnly, .putObject, "logs/x", .implicitDeny),
    EvalCase("put-only: multipart upload", Policies.putOnly, .createMultipartUpload, "db/big.tar", .allowed),
    EvalCase("put-only: initiator may abort its upload", Policies.putOnly, .abortMultipartUpload, "db/big.tar", .allowed),
    EvalCase("put-only: DeleteObject", Policies.putOnly, .deleteObject, "db/x", .implicitDeny),
    EvalCase("put-only: DeleteObjectVersion", Policies.putOnly, .deleteObjectVersion, "db/x", .implicitDeny),
    EvalCase("put-only: PutLifecycleConfiguration", Policies.putOnly, .putLifecycleConfiguration, nil, .implicitDeny),
    EvalCase("put-only: PutBucketVersioning", Policies.putOnly, .putBucketVersioning, nil, .implicitDeny),
    EvalCase("put-only: ListBucket", Policies.putOnly, .listBucket, nil, .implicitDeny),
    EvalCase("put-only: GetObject", Policies.putOnly, .getObject, "db/x", .implicitDeny),
    EvalCase(
      "put-only: PUT with tagging needs s3:PutObjectTagging", Policies.putOnly, .putObjectWithTagging, "db/x",
      ["s3:RequestObjectTagKeys": ["job"]], .implicitDeny),
    EvalCase("put-only: PUT with an ACL needs s3:PutObjectAcl", Policies.putOnly, .putObjectWithACL, "db/x", .implicitDeny),
    EvalCase("put-only: PUT with retention", Policies.putOnly, .putObjectWithRetention, "db/x", .implicitDeny),
    EvalCase("put-only: PUT with legal hold", Policies.putOnly, .putObjectWithLegalHold, "db/x", .implicitDeny),
    // s3:Put* (docs/s3-rules.md §5.5)
    EvalCase("s3:Put* grants PutLifecycleConfiguration", Policies.putStar, .putLifecycleConfiguration, nil, .allowed),
    EvalCase("s3:Put* grants PutBucketVersioning", Policies.putStar, .putBucketVersioning, nil, .allowed),
    EvalCase("s3:Put* grants PutBucketPolicy", Policies.putStar, .putBucketPolicy, nil, .allowed),
    EvalCase("s3:Put* grants PUT with tagging", Policies.putStar, .putObjectWithTagging, "db/x", .allowed),
    EvalCase("s3:Put* does not grant DeleteObject", Policies.putStar, .deleteObject, "db/x", .implicitDeny),
    // s3:* with an explicit Deny
    EvalCase("s3:* allows DeleteObject", Policies.allButVersionDeletes, .deleteObject, "db/x", .allowed),
    EvalCase("Deny beats s3:* for DeleteObjectVersion", Policies.allButVersionDeletes, .deleteObjectVersion, "db/x", .explicitDeny),
    EvalCase(
      "Deny of BypassGovernanceRetention", Policies.allButVersionDeletes, .deleteObjectVersionBypassingGovernance, "db/x",
      .explicitDeny),
    EvalCase("s3:* allows PutLifecycleConfiguration", Policies.allButVersionDeletes, .putLifecycleConfiguration, nil, .allowed),
    // NotAction / NotResource
    EvalCase("NotAction allows PutObject", Policies.notAction, .putObject, "db/x", .allowed),
    EvalCase("NotAction allows ListBucket", Policies.notAction, .listBucket, nil, .allowed),
    EvalCase("NotAction excludes DeleteObjectVersion", Policies.notAction, .deleteObjectVersion, "db/x", .implicitDeny),
    EvalCase("NotAction excludes PutBucketVersioning", Policies.notAction, .putBucketVersioning, nil, .implicitDeny),
    EvalCase("NotResource Deny spares db/", Policies.notResource, .putObject, "db/x", .allowed),
    EvalCase("NotResource Deny hits tmp/", Policies.notResource, .putObject, "tmp/x", .explicitDeny),
    EvalCase("NotResource Deny hits the bucket ARN", Policies.notResource, .listBucket, nil, .explicitDeny),
    // Storage-class pinning
    EvalCase("pinned class: STANDARD_IA", Policies.pinnedIA, .putObject, "db/x", ["s3:x-amz-storage-class": ["STANDARD_IA"]], .allowed),
    EvalCase("pinned class: GLACIER", Policies.pinnedIA, .putObject, "db/x", ["s3:x-amz-storage-class": ["GLACIER"]], .implicitDeny),
    EvalCase("pinned class: no header", Policies.pinnedIA, .putObject, "db/x", .implicitDeny),
    EvalCase(
      "pinned class: key names are case-insensitive", Policies.pinnedIA, .putObject, "db/x",
      ["S3:X-Amz-Storage-Class": ["STANDARD_IA"]], .allowed),
    EvalCase(
      "Deny StringNotEquals: STANDARD passes", Policies.denyOtherClasses, .putObject, "db/x",
      ["s3:x-amz-storage-class": ["STANDARD"]], .allowed),
    EvalCase(
      "Deny StringNotEquals: DEEP_ARCHIVE denied", Policies.denyOtherClasses, .putObject, "db/x",
      ["s3:x-amz-storage-class": ["DEEP_ARCHIVE"]], .explicitDeny),
    EvalCase("Deny StringNotEquals: no header denied", Policies.denyOtherClasses, .putObject, "db/x", .explicitDeny),
    // Conditional writes (docs/s3-rules.md §5.5, §6.8)
    EvalCase(
      "conditional writes: If-None-Match: * passes", Policies.putAll, bucket: Policies.conditionalWrites, .putObject, "db/new",
      ["s3:if-none-match": ["*"]], .allowed),
    EvalCase(
      "conditional writes: a plain overwrite is denied", Policies.putAll, bucket: Policies.conditionalWrites, .putObject, "db/x",
      .explicitDeny),
    EvalCase(
      "conditional writes: multipart without the header is denied", Policies.putAll, bucket: Policies.conditionalWrites,
      .createMultipartUpload, "db/big", .explicitDeny),
    // Source IP and TLS
    EvalCase("SourceIp inside the block", Policies.sourceIP, .putObject, "db/x", ["aws:SourceIp": ["203.0.113.7"]], .allowed),
    EvalCase("SourceIp outside the block", Policies.sourceIP, .putObject, "db/x", ["aws:SourceIp": ["198.51.100.1"]], .implicitDeny),
    EvalCase("SourceIp IPv6 inside", Policies.sourceIP, .putObject, "db/x", ["aws:SourceIp": ["2001:db8:1::7"]], .allowed),
    EvalCase("SourceIp absent", Policies.sourceIP, .putObject, "db/x", .implicitDeny),
    EvalCase(
      "SecureTransport true passes the TLS Deny", Policies.putAll, bucket: Policies.tlsOnly, .putObject, "db/x",
      ["aws:SecureTransport": ["true"]], .allowed),
    EvalCase(
      "SecureTransport false is denied", Policies.putAll, bucket: Policies.tlsOnly, .putObject, "db/x",
      ["aws:SecureTransport": ["false"]], .explicitDeny),
    EvalCase(
      "SecureTransport absent: Bool is false, the Deny does not apply", Policies.putAll, bucket: Policies.tlsOnly, .putObject, "db/x", .allowed),
    // Set qualifiers on a multi-valued key
    EvalCase(
      "ForAllValues: every tag key allowed", Policies.tagKeys, .putObjectWithTagging, "db/x",
      ["s3:RequestObjectTagKeys": ["job", "date"]], .allowed),
    EvalCase(
      "ForAllValues: one tag key not allowed", Policies.tagKeys, .putObjectWithTagging, "db/x",
      ["s3:RequestObjectTagKeys": ["job", "owner"]], .implicitDeny),
    EvalCase(
      "ForAnyValue: a legal* key is denied", Policies.tagKeys, .putObjectWithTagging, "db/x",
      ["s3:RequestObjectTagKeys": ["date", "legal-hold"]], .explicitDeny),
    EvalCase("no tags: ForAllValues holds, ForAnyValue does not", Policies.tagKeys, .putObject, "db/x", .allowed),
    // Bucket-policy principals (same account)
    EvalCase("principal ARN named: bucket Allow suffices", Policies.getOnly, bucket: Policies.principals, .putObject, "db/x", .allowed),
    EvalCase("another principal named: no Allow", Policies.getOnly, bucket: Policies.principals, .deleteObject, "db/x", .implicitDeny),
    EvalCase("account root in an Allow only delegates", Policies.getOnly, bucket: Policies.principals, .listBucket, nil, .implicitDeny),
    EvalCase("bare account ID in an Allow only delegates", Policies.getOnly, bucket: Policies.principals, .listBucketVersions, nil, .implicitDeny),
    EvalCase(
      "account root in an Allow grants the root user", Policies.getOnly, bucket: Policies.principals, .listBucket, nil, .allowed,
      principal: "arn:aws:iam::123456789012:root"),
    EvalCase("account ID in a Deny takes in its users", Policies.allOnBucket, bucket: Policies.principals, .putBucketPolicy, nil, .explicitDeny),
    EvalCase("Deny for another account does not apply", Policies.getOnly, bucket: Policies.principals, .getObject, "db/x", .allowed),
    EvalCase(
      "NotPrincipal Deny applies to everyone else", Policies.getOnly, bucket: Policies.principals, .deleteObjectVersion, "db/x", .explicitDeny),
    EvalCase(
      "NotPrincipal Deny spares the named principal", Policies.allOnBucket, bucket: Policies.principals, .putLifecycleConfiguration, nil,
      .allowed, principal: "arn:aws:iam::123456789012:user/admin"),
    EvalCase(
      "NotPrincipal without the account does not spare the user", Policies.allOnBucket, bucket: Policies.notPrincipalUserOnly,
      .deleteObjectVersion, "db/x", .explicitDeny, principal: "arn:aws:iam::123456789012:user/admin"),
    EvalCase(
      "NotPrincipal spares a session when account, role and session are listed", Policies.allOnBucket, bucket: Policies.notPrincipalSession,
      .deleteObjectVersion, "db/x", .allowed, principal: "arn:aws:sts::123456789012:assumed-role/admin/alice"),
    EvalCase(
      "NotPrincipal: another session of the role is denied", Policies.allOnBucket, bucket: Policies.notPrincipalSession,
      .deleteObjectVersion, "db/x", .explicitDeny, principal: "arn:aws:sts::123456789012:assumed-role/admin/mallory"),
    EvalCase(
      "foreign account is denied", Policies.allOnBucket, bucket: Policies.principals, .getObject, "db/x", .explicitDeny,
      principal: "arn:aws:iam::999999999999:user/mallory"),
    // Cross-policy: an identity Allow and a bucket-policy Deny
    EvalCase("bucket Deny beats identity s3:*", Policies.allOnBucket, bucket: Policies.protectHistory, .deleteObjectVersion, "db/x", .explicitDeny),
    EvalCase("bucket Deny on a bucket action", Policies.allOnBucket, bucket: Policies.protectHistory, .putBucketVersioning, nil, .explicitDeny),
    EvalCase(
      "identity Allow where the bucket policy is silent", Policies.allOnBucket, bucket: Policies.protectHistory, .deleteObject, "db/x", .allowed),
    // Unknown keys and operators: attacker-favourable reading
    EvalCase("unknown key in an Allow counts as satisfied", Policies.unknownKeys, .putObject, "db/x", .allowed),
    EvalCase("unknown key in a Deny: the Deny does not apply", Policies.unknownKeys, .deleteObject, "db/x", .allowed),
    EvalCase("unknown operator in a Deny: the Deny does not apply", Policies.unknownKeys, .deleteObjectVersion, "db/x", .allowed),
    EvalCase("unknown operator in an Allow counts as satisfied", Policies.unknownKeys, .putLifecycleConfiguration, nil, .allowed),
    EvalCase(
      "an unknown key the request carries is evaluated", Policies.unknownKeys, .deleteObject, "db/x", ["aws:SomeFutureKey": ["yes"]], .allowed),
    EvalCase(
      "an unknown key the request carries can fail an Allow", Policies.unknownKeys, .putObject, "db/x", ["aws:SomeFutureKey": ["no"]],
      .implicitDeny),
  ]
}

@Test(arguments: EvalCase.table)
private func decisions(_ c: EvalCase) {
  let evaluator = PolicyEvaluator(
    identityPolicies: [policy(c.identity)], bucketPolicy: c.bucketPolicy.map { policy($0, kind: .bucket) }, principalARN: c.principal)
  let (decision, reason) = evaluator.authorize(c.op, bucket: bucketName, key: c.key, context: c.context)
  #expect(decision == c.expected, "\(reason)")
}

// MARK: - Matching details

private struct MatchCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  let statement: String
  let action: String
  let resource: String
  var values: [String: [String]] = [:]
  let expected: Decision

  static func allow(_ body: String) -> String {
    "Version: \"2012-10-17\"\nStatement:\n  - Effect: Allow\n" + body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
  }

  static let table: [MatchCase] = [
    MatchCase(
      testDescription: "PutObject on the bucket ARN alone grants nothing",
      statement: allow("Action: s3:PutObject\nResource: arn:aws:s3:::acme-backups"), action: "s3:PutObject",
      resource: "arn:aws:s3:::acme-backups/db/x", expected: .implicitDeny),
    MatchCase(
      testDescription: "object ARN pattern does not match the bucket ARN",
      statement: allow("Action: \"s3:*\"\nResource: \"arn:aws:s3:::acme-backups/*\""), action: "s3:ListBucket",
      resource: "arn:aws:s3:::acme-backups", expected: .implicitDeny),
    MatchCase(
      testDescription: "actions match case-insensitively",
      statement: allow("Action: S3:putobject\nResource: \"*\""), action: "s3:PutObject", resource: "arn:aws:s3:::b/k", expected: .allowed),
    MatchCase(
      testDescription: "? matches one character",
      statement: allow("Action: s3:GetObject\nResource: \"arn:aws:s3:::b/day-??.sql\""), action: "s3:GetObject",
      resource: "arn:aws:s3:::b/day-07.sql", expected: .allowed),
    MatchCase(
      testDescription: "? does not match two characters",
      statement: allow("Action: s3:GetObject\nResource: \"arn:aws:s3:::b/day-?.sql\""), action: "s3:GetObject",
      resource: "arn:aws:s3:::b/day-07.sql", expected: .implicitDeny),
    MatchCase(
      testDescription: "resources match case-sensitively",
      statement: allow("Action: s3:GetObject\nResource: \"arn:aws:s3:::b/DB/*\""), action: "s3:GetObject",
      resource: "arn:aws:s3:::b/db/x", expected: .implicitDeny),
    MatchCase(
      testDescription: "a wildcard never spans a colon",
      statement: allow("Action: s3:GetObject\nResource: \"arn:*:b/*\""), action: "s3:GetObject", resource: "arn:aws:s3:::b/x",
      expected: .implicitDeny),
    MatchCase(
      testDescription: "a wildcard per segment",
      statement: allow("Action: s3:GetObject\nResource: \"arn:*:s3:::b/*\""), action: "s3:GetObject", resource: "arn:aws:s3:::b/x:y",
      expected: .allowed),
    MatchCase(
      testDescription: "policy variable in a resource",
      statement: allow("Action: s3:PutObject\nResource: \"arn:aws:s3:::b/home/${aws:username}/*\""), action: "s3:PutObject",
      resource: "arn:aws:s3:::b/home/backup-writer/x", expected: .allowed),
    MatchCase(
      testDescription: "policy variable for another user",
      statement: allow("Action: s3:PutObject\nResource: \"arn:aws:s3:::b/home/${aws:username}/*\""), action: "s3:PutObject",
      resource: "arn:aws:s3:::b/home/admin/x", expected: .implicitDeny),
    MatchCase(
      testDescription: "StringLike with a wildcard",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {StringLike: {\"s3:x-amz-storage-class\": \"*_IA\"}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["s3:x-amz-storage-class": ["ONEZONE_IA"]], expected: .allowed),
    MatchCase(
      testDescription: "StringEqualsIgnoreCase",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {StringEqualsIgnoreCase: {\"s3:x-amz-server-side-encryption\": AES256}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["s3:x-amz-server-side-encryption": ["aes256"]], expected: .allowed),
    MatchCase(
      testDescription: "NumericLessThanEquals on retention days (YAML number)",
      statement: allow(
        "Action: s3:PutObjectRetention\nResource: \"*\"\nCondition: {NumericLessThanEquals: {\"s3:object-lock-remaining-retention-days\": 30}}"),
      action: "s3:PutObjectRetention", resource: "arn:aws:s3:::b/k", values: ["s3:object-lock-remaining-retention-days": ["31"]],
      expected: .implicitDeny),
    MatchCase(
      testDescription: "DateLessThan on aws:CurrentTime",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {DateLessThan: {\"aws:CurrentTime\": \"2028-01-01T00:00:00Z\"}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["aws:CurrentTime": ["2027-12-31T23:59:59+00:00"]], expected: .allowed),
    MatchCase(
      testDescription: "ArnLike on aws:PrincipalArn (added by the evaluator)",
      statement: allow(
        "Action: s3:PutObject\nResource: \"*\"\nCondition: {ArnLike: {\"aws:PrincipalArn\": \"arn:aws:iam::123456789012:user/backup-*\"}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", expected: .allowed),
    MatchCase(
      testDescription: "StringEqualsIfExists with the key absent",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {StringEqualsIfExists: {\"s3:x-amz-storage-class\": STANDARD}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", expected: .allowed),
    MatchCase(
      testDescription: "Null false needs the key",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {\"Null\": {\"s3:x-amz-server-side-encryption\": \"false\"}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", expected: .implicitDeny),
    MatchCase(
      testDescription: "values of one key are ORed",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {StringEquals: {\"s3:x-amz-storage-class\": [GLACIER, DEEP_ARCHIVE]}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["s3:x-amz-storage-class": ["DEEP_ARCHIVE"]], expected: .allowed),
    MatchCase(
      testDescription: "keys and operators are ANDed",
      statement: allow(
        "Action: s3:PutObject\nResource: \"*\"\nCondition:\n  StringEquals: {\"s3:x-amz-storage-class\": GLACIER}\n  Bool: {\"aws:SecureTransport\": true}"
      ),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["s3:x-amz-storage-class": ["GLACIER"], "aws:SecureTransport": ["false"]],
      expected: .implicitDeny),
    MatchCase(
      testDescription: "NotIpAddress outside every block",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {NotIpAddress: {\"aws:SourceIp\": [10.0.0.0/8, \"fd00::/8\"]}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["aws:SourceIp": ["192.0.2.1"]], expected: .allowed),
    MatchCase(
      testDescription: "tag condition keys keep the tag key's case",
      statement: allow("Action: s3:PutObject\nResource: \"*\"\nCondition: {StringEquals: {\"s3:requestobjecttag/Job\": nightly}}"),
      action: "s3:PutObject", resource: "arn:aws:s3:::b/k", values: ["s3:RequestObjectTag/Job": ["nightly"]], expected: .allowed),
  ]
}

@Test(arguments: MatchCase.table)
private func matching(_ c: MatchCase) {
  let evaluator = PolicyEvaluator(identityPolicies: [policy(c.statement)], bucketPolicy: nil, principalARN: writer)
  let (decision, reason) = evaluator.evaluate(RequestContext(action: c.action, resource: c.resource, values: c.values))
  #expect(decision == c.expected, "\(reason)")
}

@Test func policyVariablesNeedVersion2012() {
  let old = policy("Statement: {Effect: Allow, Action: s3:PutObject, Resource: \"arn:aws:s3:::b/home/${aws:username}/*\"}")
  #expect(!old.substitutesPolicyVariables)
  let evaluator = PolicyEvaluator(identityPolicies: [old], bucketPolicy: nil, principalARN: writer)
  #expect(evaluator.evaluate(RequestContext(action: "s3:PutObject", resource: "arn:aws:s3:::b/home/backup-writer/x")).decision == .implicitDeny)
  #expect(evaluator.evaluate(RequestContext(action: "s3:PutObject", resource: "arn:aws:s3:::b/home/${aws:username}/x")).decision == .allowed)
}

@Test func assumedRoleSessionMatchesItsRole() {
  let bucket = policy(
    """
    Version: "2012-10-17"
    Statement: {Effect: Allow, Principal: {AWS: "arn:aws:iam::123456789012:role/service/backup"}, Action: s3:PutObject, Resource: "*"}
    """, kind: .bucket)
  let session = PolicyEvaluator(identityPolicies: [], bucketPolicy: bucket, principalARN: "arn:aws:sts::123456789012:assumed-role/backup/i-0abc")
  #expect(session.authorize(.putObject, bucket: "b", key: "k", context: [:]).decision == .allowed)
  let other = PolicyEvaluator(identityPolicies: [], bucketPolicy: bucket, principalARN: "arn:aws:sts::123456789012:assumed-role/web/i-0abc")
  #expect(other.authorize(.putObject, bucket: "b", key: "k", context: [:]).decision == .implicitDeny)
}

// MARK: - Reasons and warnings

@Test func reasonsNameTheDecidingStatementAndPolicy() {
  let evaluator = PolicyEvaluator(
    identityPolicies: [policy(Policies.allButVersionDeletes)], bucketPolicy: policy(Policies.protectHistory, kind: .bucket), principalARN: writer)
  let denied = evaluator.authorize(.deleteObjectVersion, bucket: bucketName, key: "db/x", context: [:])
  #expect(denied.decision == .explicitDeny)
  #expect(denied.reason.contains("statement 'NoHistoryLoss' of the identity policy"), "\(denied.reason)")
  let versioning = evaluator.authorize(.putBucketVersioning, bucket: bucketName, key: nil, context: [:])
  #expect(versioning.reason.contains("statement 'ProtectHistory' of the bucket policy"), "\(versioning.reason)")
  let allowed = evaluator.authorize(.putObject, bucket: bucketName, key: "db/x", context: [:])
  #expect(allowed.reason.contains("allowed by statement 1 of the identity policy"), "\(allowed.reason)")
  let putOnly = PolicyEvaluator(identityPolicies: [policy(Policies.putOnly)], bucketPolicy: nil, principalARN: writer)
  let none = putOnly.evaluate(RequestContext(action: "s3:DeleteObject", resource: "arn:aws:s3:::acme-backups/db/x"))
  #expect(none.decision == .implicitDeny)
  #expect(none.reason == "no statement allows s3:DeleteObject on arn:aws:s3:::acme-backups/db/x")
}

@Test func unknownKeysAndOperatorsWarnOnce() {
  let evaluator = PolicyEvaluator(identityPolicies: [policy(Policies.unknownKeys)], bucketPolicy: nil, principalARN: writer)
  #expect(evaluator.warnings.count == 2, "\(evaluator.warnings)")
  #expect(evaluator.warnings.first?.contains("unknown condition key 'aws:SomeFutureKey' in statement 'PutWithFutureKey'") == true)
  #expect(evaluator.warnings.last?.contains("unknown condition operator 'StringEqualsFuzzy'") == true)
  let known = PolicyEvaluator(
    identityPolicies: [policy(Policies.tagKeys)], bucketPolicy: policy(Policies.tlsOnly, kind: .bucket), principalARN: writer)
  #expect(known.warnings.isEmpty)
}

@Test func decodingWarnsAboutUnknownKeysOperatorsAndActions() {
  let text = """
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: [s3:PutObjects, "s3:Get*"]
        Resource: "*"
        Condition:
          StringEqual: {"s3:x-amz-storage-clas": GLACIER}
    """
  let (errors, warnings) = diagnose(text)
  #expect(errors.isEmpty)
  let messages = warnings.map(\.description)
  #expect(messages.contains { $0.hasPrefix("policy.yaml:4:14:") && $0.contains("did you mean 's3:PutObject'?") }, "\(messages)")
  #expect(messages.contains { $0.hasPrefix("policy.yaml:7:7:") && $0.contains("did you mean 'StringEquals'?") }, "\(messages)")
  #expect(messages.contains { $0.hasPrefix("policy.yaml:7:21:") && $0.contains("did you mean 's3:x-amz-storage-class'?") }, "\(messages)")
}

@Test func attackerContextDefaults() {
  let ctx = AttackerContext.values(sourceIP: "203.0.113.7", region: "eu-west-3", storageClass: .deepArchive)
  #expect(ctx["aws:SecureTransport"] == ["true"])
  #expect(ctx["aws:SourceIp"] == ["203.0.113.7"])
  #expect(ctx["aws:RequestedRegion"] == ["eu-west-3"])
  #expect(ctx["s3:x-amz-storage-class"] == ["DEEP_ARCHIVE"])
  #expect(ctx["s3:x-amz-server-side-encryption-customer-algorithm"] == nil)
  #expect(ctx["aws:MultiFactorAuthPresent"] == nil)
  #expect(AttackerContext.values(sourceIP: "203.0.113.7", region: "eu-west-3")["s3:x-amz-storage-class"] == nil)
  let evaluator = PolicyEvaluator(
    identityPolicies: [policy(Policies.sourceIP)], bucketPolicy: policy(Policies.tlsOnly, kind: .bucket), principalARN: writer)
  #expect(evaluator.authorize(.putObject, bucket: bucketName, key: "db/x", context: ctx).decision == .allowed)
}

@Test func operationCatalog() {
  #expect(S3Operation.allCases.count == 20)
  for op in S3Operation.allCases {
    #expect(!op.requiredActions.isEmpty)
    for action in op.requiredActions {
      #expect(S3Operation.knownS3Actions.contains(String(action.dropFirst(3))), "\(action)")
    }
  }
  #expect(S3Operation.putObjectWithTagging.requiredActions == ["s3:PutObject", "s3:PutObjectTagging"])
  #expect(S3Operation.listBucketVersions.resourceARN(bucket: "b", key: "ignored") == "arn:aws:s3:::b")
  #expect(S3Operation.deleteObjectVersion.resourceARN(bucket: "b", key: "db/x") == "arn:aws:s3:::b/db/x")
}

// MARK: - Decoding errors with locations

private struct DecodeErrorCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  /// A policy with `1️⃣` where the error belongs.
  let input: String
  let kind: PolicyDocument.Kind
  let message: String

  init(_ description: String, _ input: String, kind: PolicyDocument.Kind = .identity, _ message: String) {
    testDescription = description
    self.input = input
    self.kind = kind
    self.message = message
  }

  static let table: [DecodeErrorCase] = [
    DecodeErrorCase(
      "Statement typo", "Version: \"2012-10-17\"\n1️⃣Statment:\n  - {Effect: Allow, Action: s3:PutObject, Resource: \"*\"}\n",
      "unknown key 'Statment' in policy; did you mean 'Statement'?"),
    DecodeErrorCase(
      "Alow", "Version: \"2012-10-17\"\nStatement:\n  - Effect: 1️⃣Alow\n    Action: s3:PutObject\n    Resource: \"*\"\n",
      "'Effect' must be one of Allow, Deny (got 'Alow'); did you mean 'Allow'?"),
    DecodeErrorCase(
      "Alow in JSON", "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": 1️⃣\"Alow\", \"Action\": \"s3:PutObject\", \"Resource\": \"*\"}]}",
      "'Effect' must be one of Allow, Deny (got 'Alow'); did you mean 'Allow'?"),
    DecodeErrorCase(
      "statement key typo", "Statement:\n  - Effect: Deny\n    1️⃣Actions: s3:DeleteObject\n    Resource: \"*\"\n",
      "unknown key 'Actions' in statement 1; did you mean 'Action'?"),
    DecodeErrorCase(
      "action without a service prefix", "Statement:\n  - Effect: Allow\n    Action: [s3:GetObject, 1️⃣PutObject]\n    Resource: \"*\"\n",
      "'Action' must be \"*\" or service:action such as s3:PutObject (got 'PutObject')"),
    DecodeErrorCase(
      "resource not an ARN", "Statement:\n  - Effect: Allow\n    Action: s3:PutObject\n    Resource: 1️⃣acme-backups/*\n",
      "'Resource' must be \"*\" or an ARN such as arn:aws:s3:::BUCKET/* (got 'acme-backups/*')"),
    DecodeErrorCase(
      "Action and NotAction", "Statement:\n  - Effect: Allow\n    Action: s3:PutObject\n    NotAction: 1️⃣s3:GetObject\n    Resource: \"*\"\n",
      "statement 1 has both 'Action' and 'NotAction'; use one"),
    DecodeErrorCase(
      "no Resource", "Statement:\n  - 1️⃣Sid: Writes\n    Effect: Allow\n    Action: s3:PutObject\n",
      "statement 'Writes' needs 'Resource' or 'NotResource'"),
    DecodeErrorCase(
      "Principal in an identity policy", "Statement:\n  - Effect: Allow\n    Principal: 1️⃣\"*\"\n    Action: s3:PutObject\n    Resource: \"*\"\n",
      "an identity policy names no 'Principal' (it applies to whoever holds it); only bucket policies do"),
    DecodeErrorCase(
      "bucket policy without Principal", "Statement:\n  - 1️⃣Effect: Allow\n    Action: s3:PutObject\n    Resource: \"*\"\n", kind: .bucket,
      "statement 1 of a bucket policy needs 'Principal' (e.g. {\"AWS\": \"arn:aws:iam::111122223333:user/backup\"} or \"*\")"),
    DecodeErrorCase(
      "principal type typo",
      "Statement:\n  - Effect: Allow\n    Principal: {1️⃣Aws: \"*\"}\n    Action: s3:PutObject\n    Resource: \"*\"\n", kind: .bucket,
      "unknown key 'Aws' in 'Principal'; did you mean 'AWS'?"),
    DecodeErrorCase(
      "wildcard in a principal ARN",
      "Statement:\n  - Effect: Allow\n    Principal: {AWS: 1️⃣\"arn:aws:iam::123456789012:user/*\"}\n    Action: s3:PutObject\n    Resource: \"*\"\n",
      kind: .bucket,
      "'Principal' AWS principals are \"*\", a 12-digit account ID or an ARN without wildcards (got 'arn:aws:iam::123456789012:user/*')"),
    DecodeErrorCase(
      "NotPrincipal with Allow",
      "Statement:\n  - Effect: Allow\n    NotPrincipal: 1️⃣{AWS: \"123456789012\"}\n    Action: s3:PutObject\n    Resource: \"*\"\n", kind: .bucket,
      "'NotPrincipal' works only with \"Effect\": \"Deny\""),
    DecodeErrorCase(
      "condition value is a mapping",
      "Statement:\n  - Effect: Allow\n    Action: s3:PutObject\n    Resource: \"*\"\n    Condition: {StringEquals: {\"s3:x-amz-acl\": 1️⃣{a: b}}}\n",
      "condition values must be strings, numbers or booleans, not a mapping"),
    DecodeErrorCase(
      "Null takes a boolean",
      "Statement:\n  - Effect: Deny\n    Action: s3:PutObject\n    Resource: \"*\"\n    Condition: {\"Null\": {\"s3:if-none-match\": 1️⃣yes}}\n",
      "'Null' takes true or false (got 'yes')"),
    // Condition values are read by their operator's type; IAM refuses a value that does not parse
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
    DecodeErrorCase(
      "IpAddress with an octet above 255",
      "Statement:\n  - Effect: Deny\n    Action: \"s3:*\"\n    Resource: \"*\"\n    Condition: {NotIpAddress: {\"aws:SourceIp\": [203.0.113.0/24, 1️⃣255.256.256.256]}}\n",
      "'NotIpAddress' takes an IPv4 or IPv6 address or CIDR block such as 203.0.113.0/24 (got '255.256.256.256')"),
    DecodeErrorCase(
      "CIDR prefix too long",
      "Statement:\n  - Effect: Allow\n    Action: s3:PutObject\n    Resource: \"*\"\n    Condition: {IpAddressIfExists: {\"aws:SourceIp\": 1️⃣10.0.0.0/33}}\n",
      "'IpAddressIfExists' takes an IPv4 or IPv6 address or CIDR block such as 203.0.113.0/24 (got '10.0.0.0/33')"),
    DecodeErrorCase(
      "date that is not a date",
      "Statement:\n  - Effect: Deny\n    Action: s3:PutObject\n    Resource: \"*\"\n    Condition: {DateGreaterThan: {\"aws:CurrentTime\": 1️⃣\"2027-02-30\"}}\n",
      "'DateGreaterThan' takes a date such as 2027-06-15T00:00:00Z or epoch seconds (got '2027-02-30')"),
    DecodeErrorCase(
      "number that is not a number",
      "Statement:\n  - Effect: Allow\n    Action: s3:ListBucket\n    Resource: \"*\"\n    Condition: {NumericLessThanEquals: {\"s3:max-keys\": 1️⃣ten}}\n",
      "'NumericLessThanEquals' takes a number such as 30 (got 'ten')"),
    DecodeErrorCase(
      "Bool that is not a boolean",
      "Statement:\n  - Effect: Deny\n    Action: \"s3:*\"\n    Resource: \"*\"\n    Condition: {Bool: {\"aws:SecureTransport\": 1️⃣no}}\n",
      "'Bool' takes true or false (got 'no')"),
    DecodeErrorCase(
      "ARN operator without an ARN",
      "Statement:\n  - Effect: Allow\n    Action: s3:PutObject\n    Resource: \"*\"\n    Condition: {ArnLike: {\"aws:PrincipalArn\": 1️⃣\"user/backup-*\"}}\n",
      "'ArnLike' takes an ARN such as arn:aws:iam::111122223333:user/backup (got 'user/backup-*')"),
    DecodeErrorCase(
      "unknown Version", "Version: 1️⃣\"2012-10-18\"\nStatement: {Effect: Allow, Action: s3:PutObject, Resource: \"*\"}\n",
      "'Version' must be one of 2012-10-17, 2008-10-17 (got '2012-10-18'); did you mean '2012-10-17'?"),
    DecodeErrorCase(
      "duplicate Sid",
      "Statement:\n  - {Sid: A, Effect: Allow, Action: s3:PutObject, Resource: \"*\"}\n  - {Sid: 1️⃣A, Effect: Deny, Action: s3:GetObject, Resource: \"*\"}\n",
      "two statements have Sid 'A'; Sids must be unique within a policy"),
  ]
}

@Test(arguments: DecodeErrorCase.table)
private func decodingErrors(_ c: DecodeErrorCase) {
  let (text, location) = unmark(c.input, file: "policy.yaml")
  let (errors, _) = diagnose(text, kind: c.kind)
  let hit = errors.first { $0.message == c.message }
  #expect(hit != nil, "got \(errors.map(\.description))")
  #expect(hit?.location == location, "got \(errors.map(\.description))")
}

/// Values IAM accepts for each typed operator stay accepted
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
@Test func typedConditionValuesThatParse() {
  let accepted: [(Condition.Operator, String)] = [
    (.ipAddress, "203.0.113.7"), (.notIpAddress, "2001:db8::/32"), (.dateLessThan, "2027-06-15"),
    (.dateGreaterThan, "1813028400"), (.numericEquals, "30"), (.numericLessThan, "-2.5"), (.bool, "True"),
    (.arnLike, "arn:aws:iam::*:role/backup-*"), (.arnEquals, "${aws:PrincipalArn}"), (.stringEquals, "anything"),
  ]
  for (op, value) in accepted {
    #expect(PolicyDocument.expectedValue(op, value) == nil, "\(op) \(value)")
  }
  #expect(PolicyDocument.expectedValue(.numericEquals, "1e3") != nil)
}

@Test func wrappersPrintedByTheAWSCLI() {
  let bucket =
    #"{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\"}]}"}"#
  let doc = policy(bucket, kind: .bucket, file: "bucket-policy.json")
  #expect(doc.statements.first?.effect == .deny)
  #expect(doc.statements.first?.principal == .only(PolicyStatement.Principals(everyone: true)))
  let user =
    #"{"UserName": "backup", "PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}}"#
  #expect(policy(user).statements.count == 1)
}

@Test func conditionOperatorsParse() {
  let c = Condition(operatorName: "ForAnyValue:StringNotLikeIfExists", key: "S3:RequestObjectTagKeys", values: ["a*"])
  #expect(c.qualifier == .forAnyValue)
  #expect(c.op == .stringNotLike)
  #expect(c.ifExists)
  #expect(Condition(operatorName: "NullIfExists", key: "k", values: ["true"]).op == nil)
  #expect(Condition.normalizedKey("S3:RequestObjectTag/Job") == "s3:requestobjecttag/Job")
  #expect(Condition.isKnownKey("AWS:SOURCEIP"))
  #expect(!Condition.isKnownKey("s3:RequestObjectTag/"))
}

// MARK: - The shared fixture (tools/policy_cases.json, replayed against moto by tools/moto_check.py)

private struct FixtureRequest: Sendable, CustomTestStringConvertible {
  let testDescription: String
  let identity: PolicyDocument
  let bucketPolicy: PolicyDocument?
  let principal: String
  let bucket: String
  let op: S3Operation
  let key: String?
  let context: [String: [String]]
  let expected: Decision
}

private enum Fixture {
  static var path: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("tools/policy_cases.json").path
  }

  /// Every request of every case, or the problems found reading the file.
  static let loaded: (requests: [FixtureRequest], problems: [String], policies: Int) = load()

  static func load() -> ([FixtureRequest], [String], Int) {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ([], ["cannot read \(path)"], 0) }
    let root: ConfigNode
    do { root = try ConfigNode.parseYAML(text, file: "policy_cases.json") } catch { return ([], [error.description], 0) }
    var out: [FixtureRequest] = []
    var problems: [String] = []
    var reader = NodeReader()
    let decisions: [String: Decision] = ["allowed": .allowed, "explicitDeny": .explicitDeny, "implicitDeny": .implicitDeny]
    let cases = root.items ?? []
    for c in cases {
      let name = c["name"]?.scalar ?? "?"
      guard let idNode = c["identityPolicy"], let identity = PolicyDocument.decode(idNode, kind: .identity, reader: &reader) else {
        problems.append("\(name): identity policy: \(reader.errors.map(\.description))")
        continue
      }
      var bucketPolicy: PolicyDocument?
      if let b = c["bucketPolicy"], !b.isNull {
        bucketPolicy = PolicyDocument.decode(b, kind: .bucket, reader: &reader)
        if bucketPolicy == nil { problems.append("\(name): bucket policy: \(reader.errors.map(\.description))") }
      }
      for r in c["requests"]?.items ?? [] {
        let opName = r["operation"]?.scalar ?? ""
        guard let op = S3Operation(rawValue: opName), let expected = r["expected"]?.scalar.flatMap({ decisions[$0] }) else {
          problems.append("\(name): bad request at \(r.location)")
          continue
        }
        var context: [String: [String]] = [:]
        for (k, v) in r["context"]?.pairs ?? [] {
          context[k.scalar ?? ""] = (v.items ?? [v]).compactMap(\.scalar)
        }
        let key = r["key"]?.scalar
        let shown = context.keys.sorted().map { "\($0)=\(context[$0]?.joined(separator: ",") ?? "")" }.joined(separator: " ")
        out.append(
          FixtureRequest(
            testDescription: "\(name): \(opName) \(key ?? "(bucket)") \(shown)", identity: identity, bucketPolicy: bucketPolicy,
            principal: c["principalArn"]?.scalar ?? "", bucket: c["bucket"]?.scalar ?? "", op: op, key: key, context: context,
            expected: expected))
      }
    }
    return (out, problems, cases.count)
  }
}

@Test func fixtureLoads() {
  #expect(Fixture.loaded.problems.isEmpty, "\(Fixture.loaded.problems)")
  #expect(Fixture.loaded.policies >= 8)
  #expect(Fixture.loaded.requests.count >= 40)
  let covered = Set(Fixture.loaded.requests.map(\.op))
  #expect(covered == Set(S3Operation.allCases), "not covered: \(Set(S3Operation.allCases).subtracting(covered))")
}

@Test(arguments: Fixture.loaded.requests)
private func fixtureDecisions(_ r: FixtureRequest) {
  let evaluator = PolicyEvaluator(identityPolicies: [r.identity], bucketPolicy: r.bucketPolicy, principalARN: r.principal)
  let (decision, reason) = evaluator.authorize(r.op, bucket: r.bucket, key: r.key, context: r.context)
  #expect(decision == r.expected, "\(reason)")
}

// MARK: - Addresses and dates in conditions

private struct IPCase: Sendable, CustomTestStringConvertible {
  let block: String
  let address: String
  let inside: Bool?  // nil: the block or the address does not parse
  var testDescription: String { "\(address) in \(block)" }

  static let table: [IPCase] = [
    IPCase(block: "10.0.0.0/8", address: "10.255.0.1", inside: true),
    IPCase(block: "10.0.0.0/8", address: "11.0.0.1", inside: false),
    IPCase(block: "203.0.113.7", address: "203.0.113.7", inside: true),
    IPCase(block: "0.0.0.0/0", address: "198.51.100.1", inside: true),
    IPCase(block: "203.0.113.0/25", address: "203.0.113.128", inside: false),
    IPCase(block: "203.0.113.0/24", address: "2001:db8::1", inside: false),
    IPCase(block: "2001:db8::/32", address: "2001:db8:ffff::1", inside: true),
    IPCase(block: "2001:db8::/32", address: "2001:db9::1", inside: false),
    IPCase(block: "::1", address: "::1", inside: true),
    IPCase(block: "::ffff:192.0.2.0/120", address: "::ffff:192.0.2.9", inside: true),
    IPCase(block: "1:2:3:4:5:6:7:8", address: "1:2:3:4:5:6:7:8", inside: true),
    IPCase(block: "1::2::3", address: "1::3", inside: nil),
    IPCase(block: "10.0.0.0/33", address: "10.0.0.1", inside: nil),
    IPCase(block: "10.0.0.0/8", address: "300.1.1.1", inside: nil),
  ]
}

@Test(arguments: IPCase.table)
private func ipBlocks(_ c: IPCase) {
  guard let block = IPBlock(c.block), let address = IPBlock.parseAddress(Substring(c.address)) else {
    #expect(c.inside == nil)
    return
  }
  #expect(block.contains(address) == c.inside)
}

@Test func policyDates() {
  let june15 = Double(SimTime(year: 2027, month: 6, day: 15).seconds)
  #expect(PolicyDate.seconds("2027-06-15") == june15)
  #expect(PolicyDate.seconds("2027-06-15T03:00:00Z") == june15 + 3 * 3600)
  #expect(PolicyDate.seconds("2027-06-15T03:00:00+02:00") == june15 + 3600)
  #expect(PolicyDate.seconds("2027-06-15T03:00:00.5Z") == june15 + 3 * 3600 + 0.5)
  #expect(PolicyDate.seconds("1700000000") == 1_700_000_000)
  #expect(PolicyDate.seconds("2027-02-30") == nil)
  #expect(PolicyDate.seconds("June 15") == nil)
}

@Test func resourcesWithTooFewSegmentsWarn() {
  let (errors, warnings) = diagnose("Statement: {Effect: Allow, Action: \"s3:*\", Resource: \"arn:aws:s3:*\"}")
  #expect(errors.isEmpty)
  #expect(warnings.contains { $0.message.contains("fewer than six ':'-separated parts") }, "\(warnings)")
}
