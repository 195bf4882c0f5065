/// An S3 request an attacker holding the backup job's credentials may try, with the IAM actions it needs.
///
/// Each request is authorized on one ARN — the bucket (`arn:aws:s3:::BUCKET`) or an object
/// (`arn:aws:s3:::BUCKET/KEY`) — and needs every action in `requiredActions` (reference/s3-semantics.md
/// §5.1–§5.2): a PUT with `x-amz-tagging` also needs `s3:PutObjectTagging`, with an ACL `s3:PutObjectAcl`,
/// with Object Lock headers `s3:PutObjectRetention` / `s3:PutObjectLegalHold`; deleting a version under
/// governance retention needs `s3:BypassGovernanceRetention` too. Multipart uploads need only `s3:PutObject`.
public enum S3Operation: String, Sendable, CaseIterable {
  case putObject = "PutObject"
  case putObjectWithTagging = "PutObjectWithTagging"
  case putObjectWithACL = "PutObjectWithACL"
  case putObjectWithRetention = "PutObjectWithRetention"
  case putObjectWithLegalHold = "PutObjectWithLegalHold"
  case createMultipartUpload = "CreateMultipartUpload"
  case abortMultipartUpload = "AbortMultipartUpload"
  case deleteObject = "DeleteObject"
  case deleteObjectVersion = "DeleteObjectVersion"
  case deleteObjectVersionBypassingGovernance = "DeleteObjectVersionBypassingGovernance"
  case putObjectRetention = "PutObjectRetention"
  case putObjectLegalHold = "PutObjectLegalHold"
  case putLifecycleConfiguration = "PutLifecycleConfiguration"
  case putBucketVersioning = "PutBucketVersioning"
  case putBucketPolicy = "PutBucketPolicy"
  case putBucketObjectLockConfiguration = "PutBucketObjectLockConfiguration"
  case getObject = "GetObject"
  case getObjectVersion = "GetObjectVersion"
  case listBucket = "ListBucket"
  case listBucketVersions = "ListBucketVersions"

  /// What a request is authorized on.
  public enum Target: Sendable, Equatable {
    case bucket
    case object
  }

  /// Bucket-level requests act on the bucket ARN, all others on an object ARN (reference §5.1).
  public var target: Target {
    switch self {
    case .putLifecycleConfiguration, .putBucketVersioning, .putBucketPolicy, .putBucketObjectLockConfiguration, .listBucket,
      .listBucketVersions:
      return .bucket
    default:
      return .object
    }
  }

  /// Every IAM action the request needs; all must be allowed (reference §5.2, "Extra permissions triggered by PUT headers").
  public var requiredActions: [String] {
    switch self {
    case .putObject, .createMultipartUpload: return ["s3:PutObject"]
    case .putObjectWithTagging: return ["s3:PutObject", "s3:PutObjectTagging"]
    case .putObjectWithACL: return ["s3:PutObject", "s3:PutObjectAcl"]
    case .putObjectWithRetention: return ["s3:PutObject", "s3:PutObjectRetention"]
    case .putObjectWithLegalHold: return ["s3:PutObject", "s3:PutObjectLegalHold"]
    case .abortMultipartUpload: return ["s3:AbortMultipartUpload"]
    case .deleteObject: return ["s3:DeleteObject"]
    case .deleteObjectVersion: return ["s3:DeleteObjectVersion"]
    case .deleteObjectVersionBypassingGovernance: return ["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"]
    case .putObjectRetention: return ["s3:PutObjectRetention"]
    case .putObjectLegalHold: return ["s3:PutObjectLegalHold"]
    case .putLifecycleConfiguration: return ["s3:PutLifecycleConfiguration"]
    case .putBucketVersioning: return ["s3:PutBucketVersioning"]
    case .putBucketPolicy: return ["s3:PutBucketPolicy"]
    case .putBucketObjectLockConfiguration: return ["s3:PutBucketObjectLockConfiguration"]
    case .getObject: return ["s3:GetObject"]
    case .getObjectVersion: return ["s3:GetObjectVersion"]
    case .listBucket: return ["s3:ListBucket"]
    case .listBucketVersions: return ["s3:ListBucketVersions"]
    }
  }

  /// The ARN the request is authorized on: `arn:aws:s3:::BUCKET` or `arn:aws:s3:::BUCKET/KEY` (reference §5.1).
  ///
  /// Object requests need a key; bucket requests ignore it.
  public func resourceARN(bucket: String, key: String?) -> String {
    switch target {
    case .bucket:
      return "arn:aws:s3:::\(bucket)"
    case .object:
      precondition(key != nil, "\(rawValue) acts on an object and needs a key")
      return "arn:aws:s3:::\(bucket)/\(key ?? "")"
    }
  }

  /// The S3 actions of the IAM service reference, for spotting misspelt actions in policies.
  public static let knownS3Actions: [String] = [
    "AbortMultipartUpload", "BypassGovernanceRetention", "CreateAccessPoint", "CreateBucket", "CreateJob",
    "DeleteAccessPoint", "DeleteBucket", "DeleteBucketOwnershipControls", "DeleteBucketPolicy", "DeleteBucketWebsite",
    "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion", "DeleteObjectVersionTagging",
    "GetAccelerateConfiguration", "GetAccountPublicAccessBlock", "GetAnalyticsConfiguration", "GetBucketAcl",
    "GetBucketCORS", "GetBucketLocation", "GetBucketLogging", "GetBucketNotification",
    "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls", "GetBucketPolicy", "GetBucketPolicyStatus",
    "GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging", "GetBucketVersioning",
    "GetBucketWebsite", "GetEncryptionConfiguration", "GetIntelligentTieringConfiguration",
    "GetInventoryConfiguration", "GetLifecycleConfiguration", "GetMetricsConfiguration", "GetObject", "GetObjectAcl",
    "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention", "GetObjectTagging", "GetObjectTorrent",
    "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionAttributes", "GetObjectVersionForReplication",
    "GetObjectVersionTagging", "GetObjectVersionTorrent", "GetReplicationConfiguration", "ListAllMyBuckets",
    "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions", "ListMultipartUploadParts",
    "ObjectOwnerOverrideToBucketOwner", "PutAccelerateConfiguration", "PutAccountPublicAccessBlock",
    "PutAnalyticsConfiguration", "PutBucketAcl", "PutBucketCORS", "PutBucketLogging", "PutBucketNotification",
    "PutBucketObjectLockConfiguration", "PutBucketOwnershipControls", "PutBucketPolicy", "PutBucketPublicAccessBlock",
    "PutBucketRequestPayment", "PutBucketTagging", "PutBucketVersioning", "PutBucketWebsite",
    "PutEncryptionConfiguration", "PutIntelligentTieringConfiguration", "PutInventoryConfiguration",
    "PutLifecycleConfiguration", "PutMetricsConfiguration", "PutObject", "PutObjectAcl", "PutObjectLegalHold",
    "PutObjectRetention", "PutObjectTagging", "PutObjectVersionAcl", "PutObjectVersionTagging",
    "PutReplicationConfiguration", "ReplicateDelete", "ReplicateObject", "ReplicateTags", "RestoreObject",
  ]
}

extension PolicyEvaluator {
  /// Decides an S3 request: every action it needs must be allowed on its ARN (reference/s3-semantics.md §5.2, §5.5).
  ///
  /// The first explicit Deny among the required actions decides; otherwise the first implicit deny; the
  /// request is allowed only when all are. `context` is what the request carries (`AttackerContext.values`
  /// plus the request's own headers: `s3:if-none-match: ["*"]` for a PUT with `If-None-Match: *`, nothing
  /// for a plain overwrite). `AbortMultipartUpload` is allowed to the upload's initiator without any
  /// Allow (§5.2, §5.4) — the attacker holds the backup job's credentials, so it initiated every upload
  /// it can abort — unless a statement denies it.
  ///
  /// ```swift
  /// evaluator.authorize(.deleteObjectVersion, bucket: "acme-backups", key: "db/x.sql.gz", context: ctx).decision  // .implicitDeny
  /// ```
  public func authorize(_ op: S3Operation, bucket: String, key: String?, context: [String: [String]]) -> (decision: Decision, reason: String) {
    let resource = op.resourceARN(bucket: bucket, key: key)
    var allowedReasons: [String] = []
    var firstImplicit: String?
    for action in op.requiredActions {
      let (decision, reason) = evaluate(RequestContext(action: action, resource: resource, values: context))
      switch decision {
      case .explicitDeny:
        return (.explicitDeny, "\(op.rawValue): \(reason)")
      case .implicitDeny:
        if op == .abortMultipartUpload {
          allowedReasons.append("no statement allows \(action), but the initiator of an upload may abort it")
        } else if firstImplicit == nil {
          firstImplicit = reason
        }
      case .allowed:
        allowedReasons.append(reason)
      }
    }
    if let firstImplicit { return (.implicitDeny, "\(op.rawValue): \(firstImplicit)") }
    return (.allowed, "\(op.rawValue): \(allowedReasons.joined(separator: "; "))")
  }
}

/// The condition keys an attacker's requests carry by default, when it works from the backup host.
///
/// TLS (`aws:SecureTransport` true, `s3:TlsVersion` 1.3), SigV4 (`s3:signatureversion`), the backup host's
/// address as `aws:SourceIp`, the bucket's region, and the storage class the attacker chose as
/// `s3:x-amz-storage-class` (no header when nil). Long-term access keys carry no
/// `aws:MultiFactorAuthPresent`; no SSE-C header is sent (reference/s3-semantics.md §5.2, §5.5).
/// Add request-specific keys on top, e.g. `s3:if-none-match`.
public enum AttackerContext {
  public static func values(
    sourceIP: String, storageClass: StorageClass? = nil, region: String = "us-east-1", sourceVPCEndpoint: String? = nil,
    at time: SimTime? = nil
  ) -> [String: [String]] {
    var out: [String: [String]] = [
      "aws:SecureTransport": ["true"],
      "aws:SourceIp": [sourceIP],
      "aws:RequestedRegion": [region],
      "s3:TlsVersion": ["1.3"],
      "s3:signatureversion": ["AWS4-HMAC-SHA256"],
    ]
    if let storageClass { out["s3:x-amz-storage-class"] = [storageClass.rawValue] }
    if let sourceVPCEndpoint { out["aws:SourceVpce"] = [sourceVPCEndpoint] }
    if let time { out["aws:CurrentTime"] = [time.iso8601] }
    return out
  }
}
