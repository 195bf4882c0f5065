/// An S3 request an attacker holding the backup job's credentials may try, with the IAM actions it needs.
///
/// Each request is authorized on one ARN — the bucket (`arn:aws:s3:::BUCKET`) or an object
/// (`arn:aws:s3:::BUCKET/KEY`) — and needs every action in `requiredActions` (docs/s3-rules.md
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

  /// Bucket-level requests act on the bucket ARN, all others on an object ARN (docs/s3-rules.md §5.1).
  public var target: Target {
    switch self {
    case .putLifecycleConfiguration, .putBucketVersioning, .putBucketPolicy, .putBucketObjectLockConfiguration, .listBucket,
      .listBucketVersions:
      return .bucket
    default:
      return .object
    }
  }

  /// Every IAM action the request needs; all must be allowed (docs/s3-rules.md §5.2, "Extra permissions triggered by PUT headers").
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

  /// The ARN the request is authorized on: `arn:aws:s3:::BUCKET` or `arn:aws:s3:::BUCKET/KEY` (docs/s3-rules.md §5.1).
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
