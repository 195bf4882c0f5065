import BackupSimEngine
import BackupSimModel

extension PolicyEvaluator {
  /// Decides an S3 request: every action it needs must be allowed on its ARN (docs/s3-rules.md §5.2, §5.5).
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
/// address as `aws:SourceIp`, the bucket's region as `aws:RequestedRegion` (no default: one would quietly
/// put every bucket in us-east-1), and the storage class the attacker chose as `s3:x-amz-storage-class`
/// (no header when nil), and the simulated time as `aws:CurrentTime` and `aws:EpochTime` when given. Long-term access keys carry no `aws:MultiFactorAuthPresent`; no SSE-C header
/// is sent (docs/s3-rules.md §5.2, §5.5).
/// Add request-specific keys on top, e.g. `s3:if-none-match`.
public enum AttackerContext {
  public static func values(
    sourceIP: String, region: String, storageClass: StorageClass? = nil, sourceVPCEndpoint: String? = nil, at time: SimTime? = nil
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
    if let time {
      out["aws:CurrentTime"] = [time.iso8601]
      out["aws:EpochTime"] = [String(time.seconds)]
    }
    return out
  }
}
