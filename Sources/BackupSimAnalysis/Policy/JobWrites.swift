import BackupSimModel
import Foundation

/// An upload job whose own PUTs its principal's policies deny: it makes no restore point.
public struct DeniedJob: Sendable, Equatable {
  public var job: String
  public var principal: String
  /// The key that was checked (the job's first run's, with `{i}` = 0).
  public var key: String
  /// The evaluator's reason, naming the statement or the missing Allow.
  public var reason: String
}

extension Scenario {
  /// Each upload job's s3:PutObject checked as the job sends it: its principal's address, TLS, the
  /// bucket's region and the job's storage class as `x-amz-storage-class` (docs/s3-rules.md §5).
  ///
  /// A job with no known principal (none named, and not exactly one in the scenario) is not checked.
  public func deniedJobs() -> [DeniedJob] {
    var out: [DeniedJob] = []
    for job in uploads {
      guard let p = writer(of: job) else { continue }
      let evaluator = PolicyEvaluator(identityPolicies: p.identityPolicies, bucketPolicy: bucket.policy, principalARN: p.arn)
      let key = job.key.pattern(at: start, run: 1).replacingOccurrences(of: "{i}", with: "0")
      let ctx = AttackerContext.values(sourceIP: p.sourceIp, region: region, storageClass: job.storageClass)
      let (decision, reason) = evaluator.authorize(.putObject, bucket: bucket.name, key: key, context: ctx)
      guard decision != .allowed else { continue }
      // A job that writes a new key every run can send If-None-Match: * (a conditional-writes bucket
      // policy asks for it); one that overwrites its key cannot, as its second run would get a 412.
      if job.key.parts.contains(where: { $0 == .date || $0 == .datetime || $0 == .run }) {
        var conditional = ctx
        conditional["s3:if-none-match"] = ["*"]
        if evaluator.authorize(.putObject, bucket: bucket.name, key: key, context: conditional).decision == .allowed { continue }
      }
      out.append(DeniedJob(job: job.name, principal: p.name, key: key, reason: reason))
    }
    return out
  }

  /// The scenario the engine runs: jobs whose writes are denied never fire (an empty weekly schedule).
  public func withoutDeniedJobs(_ denied: [DeniedJob]) -> Scenario {
    guard !denied.isEmpty else { return self }
    var s = self
    for i in s.uploads.indices where denied.contains(where: { $0.job == s.uploads[i].name }) {
      s.uploads[i].schedule = .weekly(on: [], at: .init(hour: 0, minute: 0))
    }
    return s
  }
}
