import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Attacks played on the engine, with the dates worked out by hand.
@Suite struct AttackTests {
  static func scenario(
    versioning: String = "Enabled", lock: String = "", rules: String, key: String = "db/backup.sql.gz",
    schedule: String = "daily at 02:00", policy: String = putOnly, bucketPolicy: String = "", extra: String = "",
    start: String = "2027-01-01", duration: String = "12 months", at: String = "2027-06-15T03:00"
  ) -> String {
    """
    start: \(start)
    duration: \(duration)
    bucket:
      name: acme-backups
      versioning: \(versioning)
      \(lock)
      \(bucketPolicy)
      lifecycle:
        Rules: \(rules)
    uploads:
      - { name: db, key: "\(key)", schedule: "\(schedule)", size: 1 GiB }
    principals:
      writer:
        policy: \(policy)
    attack: { principal: writer, at: \(at), strategies: auto\(extra) }
    """
  }

  static let putOnly =
    #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*" }] }"#
  static let classicRules =
    #"[{ ID: c, Status: Enabled, Filter: { Prefix: "db/" }, Expiration: { Days: 30 }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }]"#

  static func evaluateYAML(_ yaml: String, files: [String: String] = [:]) throws -> Evaluation {
    var options = SimulationOptions()
    options.checkInvariants = true  // every strategy's run recounts the bucket after every event
    return evaluate(try loadScenario(yaml, files: files), options: options, findMitigation: false)
  }

  static func strategy(_ e: Evaluation, _ s: AttackStrategy) throws -> StrategyResult {
    try #require(e.attack?.strategies.first { $0.strategy == s })
  }

  /// Put-only writer on the classic strategy.
  ///
  /// The attacker's PUT at 2027-06-15 03:00 makes the good
  /// current version (written 02:00) noncurrent; NoncurrentDays 30 → the first midnight after
  /// 2027-07-15 03:00 = 2027-07-16 00:00; 30 days 21 hours after the attack. Older good versions go sooner.
  @Test func putOnlyWriterOnClassic() throws {
    let e = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules))
    let a = try #require(e.attack)
    #expect(a.allowedActions == ["s3:AbortMultipartUpload", "s3:PutObject"])
    let overwrite = try Self.strategy(e, .overwrite)
    #expect(overwrite.possible)
    #expect(overwrite.goodRestorePointsAtAttack == 32)
    #expect(overwrite.lastGoodLostAt == t("2027-07-16T00:00:00Z"))
    #expect(overwrite.detectionWindowDays == Decimal(30) + Decimal(21) / 24)
    #expect(overwrite.bytesLost == 32 << 30)
    let delete = try Self.strategy(e, .delete)
    #expect(!delete.possible)
    #expect(delete.reason.contains("no statement allows s3:DeleteObject"))
    #expect(try !Self.strategy(e, .deleteVersions).possible)
    #expect(try !Self.strategy(e, .tamperLifecycle).possible)
    #expect(try !Self.strategy(e, .suspendVersioning).possible)
    #expect(a.survives)  // 30.9 days > the default 7 days to notice
    #expect(Verdict.sentence(a).contains("unrecoverable 30.9 days after the attack"))
  }

  /// Object Lock COMPLIANCE 30 days with NoncurrentDays 1: without the lock the overwritten good version goes
  /// at the first midnight after 2027-06-16 03:00 (2027-06-17); with it, only once its lock (written
  /// 2027-06-15 02:00, until 2027-07-15 02:00) has ended: 2027-07-16 00:00.
  @Test func objectLockKeepsGoodPointsUntilTheLockEnds() throws {
    let rules = #"[{ ID: nc1, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }]"#
    let open = try Self.strategy(try Self.evaluateYAML(Self.scenario(rules: rules)), .overwrite)
    #expect(open.lastGoodLostAt == t("2027-06-17T00:00:00Z"))
    let locked = try Self.evaluateYAML(Self.scenario(lock: "objectLock: { mode: COMPLIANCE, days: 30 }", rules: rules))
    let o = try Self.strategy(locked, .overwrite)
    #expect(o.lastGoodLostAt == t("2027-07-16T00:00:00Z"))
    // With the lock, 30 versions are held: good points at the attack are those written 2027-05-16 … 2027-06-15.
    #expect(o.goodRestorePointsAtAttack == 31)
    #expect(try !Self.strategy(locked, .suspendVersioning).possible)
  }

  /// Versioning Disabled: the overwrite destroys the only copy at the attack instant.
  @Test func unversionedLostAtTheAttack() throws {
    let rules = #"[{ ID: e, Status: Enabled, Filter: {}, Expiration: { Days: 30 } }]"#
    let e = try Self.evaluateYAML(Self.scenario(versioning: "Disabled", rules: rules, key: "db/{date}.gz"))
    let o = try Self.strategy(e, .overwrite)
    #expect(o.lastGoodLostAt == t("2027-06-15T03:00:00Z"))
    #expect(o.detectionWindowDays == 0)
    // Dated keys expire at the first midnight after day + 30 days 02:00: those of 2027-05-16 … 2027-06-15 remain.
    #expect(o.goodRestorePointsAtAttack == 31)
    #expect(e.attack?.survives == false)
    #expect(Verdict.sentence(try #require(e.attack)).contains("the moment they attack"))
  }

  /// NewerNoncurrentVersions = 3, NoncurrentDays 1, a weekly job (Sundays 02:00): the good history is the
  /// current version of Sun 2027-06-13 and three noncurrent ones (06-06, 05-30, 05-23).
  ///
  /// A flood (N + 1 = 4 writes at the attack, Tue 2027-06-15 03:00) gives every one of them 3 newer noncurrent
  /// versions: the old three go at the next run (06-16), the 06-13 one when its day is up (first midnight after
  /// 06-16 03:00 = 06-17). A single overwrite only pushes out one version per weekly run: 05-23 at 06-16,
  /// 05-30 at 06-21, 06-06 at 06-28 and 06-13 at 07-05.
  @Test func floodBeatsNewerNoncurrentVersions() throws {
    let rules = #"[{ ID: keep3, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 3 } }]"#
    let e = try Self.evaluateYAML(Self.scenario(rules: rules, schedule: "weekly on Sun at 02:00"))
    let flood = try Self.strategy(e, .flood)
    let overwrite = try Self.strategy(e, .overwrite)
    #expect(flood.goodRestorePointsAtAttack == 4)
    #expect(flood.lastGoodLostAt == t("2027-06-17T00:00:00Z"))
    #expect(overwrite.lastGoodLostAt == t("2027-07-05T00:00:00Z"))
    #expect(flood.reason.contains("4 versions per key"))
  }

  static let bombScenario = """
    start: 2027-06-01
    duration: 30 days
    bucket: { name: acme-backups, versioning: Enabled }
    uploads:
      - { name: db, key: "db/{date}.gz", schedule: "daily at 02:00", size: 1 MiB }
    principals:
      writer:
        policy: POLICY
    attack: { principal: writer, at: 2027-06-29T00:00, strategies: [cost-bomb], bandwidth: 100 MB/s, detectedWithin: 1 day }
    """

  /// Cost bomb at 100 MB/s (104,857,600 B/s) for one day from 2027-06-29 00:00, deleted when noticed on 2027-06-30 00:00.
  ///
  /// Each hour: 377,487,360,000 B = 70 objects of 5 GiB + one of 1.5625 GiB; hour h's upload is stored
  /// 24 − h hours: Σ = 300 batch-hours × 351.5625 GiB = 105,468.75 GiB-hours = 146.484375 GB-months (June: 720 h).
  /// Pinned to STANDARD: 146.484375 × $0.023 + 24 × (70 × 642 + 202) requests × $0.005/1,000 = $3.369140625 + $5.41704.
  /// Unpinned, the attacker picks the class that costs most once its minimum duration is billed: GLACIER, 8,437.5 GB
  /// for 90 days (3 × $0.0036 = $91.125) and $32.50 of PUTs, against DEEP_ARCHIVE's 180 days ($50.11) and $54.17 of PUTs.
  @Test func costBombWithAndWithoutStorageClassCondition() throws {
    let pinned =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "Condition": { "StringEquals": { "s3:x-amz-storage-class": "STANDARD" } } }]}"#
    let p = try Self.strategy(try Self.evaluateYAML(Self.bombScenario.replacingOccurrences(of: "POLICY", with: pinned)), .costBomb)
    #expect(p.possible)
    #expect(p.storageClass == .standard)
    #expect(close(p.costInflicted.amount, dec("3.369140625") + dec("5.41704")))
    let open = try Self.strategy(try Self.evaluateYAML(Self.bombScenario.replacingOccurrences(of: "POLICY", with: Self.putOnly)), .costBomb)
    #expect(open.storageClass == .glacier)
    #expect(open.costInflicted > money("123.6"))  // 91.125 + 1,083,408 × $0.03/1,000, plus archive overheads
    #expect(open.costInflicted > p.costInflicted)
  }

  /// s3:* with an explicit Deny on s3:DeleteObjectVersion: delete (a marker) and the bucket-level attacks are
  /// possible, delete-versions is not; the Deny is named.
  @Test func starWithExplicitDeny() throws {
    let policy =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::acme-backups", "arn:aws:s3:::acme-backups/*"] }, { "Sid": "KeepHistory", "Effect": "Deny", "Action": "s3:DeleteObjectVersion", "Resource": "arn:aws:s3:::acme-backups/*" }]}"#
    let e = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: policy))
    let a = try #require(e.attack)
    #expect(a.allowedActions.contains("s3:DeleteObject"))
    #expect(!a.allowedActions.contains("s3:DeleteObjectVersion"))
    #expect(try Self.strategy(e, .delete).possible)
    let dv = try Self.strategy(e, .deleteVersions)
    #expect(!dv.possible)
    #expect(dv.reason.contains("KeepHistory"))
    // Replacing the lifecycle (every object expires after 1 day, every noncurrent version 1 day later): the
    // job's 2027-06-16 02:00 upload makes the last good version noncurrent; it goes at the first midnight
    // after 2027-06-17 02:00.
    let tamper = try Self.strategy(e, .tamperLifecycle)
    #expect(tamper.possible)
    #expect(tamper.lastGoodLostAt == t("2027-06-18T00:00:00Z"))
    #expect(try Self.strategy(e, .suspendVersioning).possible)
  }

  /// The attacker's requests name the bucket's region (the pricing file's, eu-central-1) as `aws:RequestedRegion`.
  ///
  /// A PutObject allowed only in eu-central-1 lets the overwrite through, with the dates of `putOnlyWriterOnClassic`;
  /// allowed only in us-east-1, nothing the attacker sends is allowed.
  @Test func requestsCarryTheBucketsRegion() throws {
    func putOnlyIn(_ region: String) -> String {
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "#
        + #""Condition": { "StringEquals": { "aws:RequestedRegion": "\#(region)" } } }] }"#
    }
    let files = ["eu.yaml": "region: eu-central-1\nasOf: 2026-11-01\n"]
    func yaml(_ policy: String) -> String { "pricing: eu.yaml\n" + Self.scenario(rules: Self.classicRules, policy: policy) }

    let inRegion = try Self.evaluateYAML(yaml(putOnlyIn("eu-central-1")), files: files)
    #expect(inRegion.result.prices.region == "eu-central-1")
    #expect(inRegion.attack?.allowedActions == ["s3:AbortMultipartUpload", "s3:PutObject"])
    let overwrite = try Self.strategy(inRegion, .overwrite)
    #expect(overwrite.possible)
    #expect(overwrite.goodRestorePointsAtAttack == 32)
    #expect(overwrite.lastGoodLostAt == t("2027-07-16T00:00:00Z"))
    #expect(overwrite.bytesLost == 32 << 30)

    let elsewhere = try Self.evaluateYAML(yaml(putOnlyIn("us-east-1")), files: files)
    #expect(elsewhere.attack?.allowedActions == [])  // it can start no upload, so it has none to abort
    let blocked = try Self.strategy(elsewhere, .overwrite)
    #expect(!blocked.possible)
    #expect(blocked.reason == "PutObject: no statement allows s3:PutObject on arn:aws:s3:::acme-backups/db/backup.sql.gz")
    #expect(try !Self.strategy(elsewhere, .costBomb).possible)
  }

  /// An attack at exactly 00:00 comes after that midnight's lifecycle run, as an upload would: the version
  /// due at 2027-01-25 00:00 (successor 01-23 02:00, NoncurrentDays 1) still goes then.
  ///
  /// The attacker's own
  /// version lives from 01-25 00:00 until the first midnight after 01-26 02:00 (its successor + 1 day):
  /// 48 hours of 1 GiB in January (744 h) × $0.023, plus 130 PUT requests × $0.005/1,000.
  @Test func attackAtMidnightComesAfterThatNightsLifecycle() throws {
    let rules = #"[{ ID: r, Status: Enabled, Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }]"#
    let yaml = Self.scenario(rules: rules, duration: "1 months", at: "2027-01-25T00:00")
      .replacingOccurrences(of: "strategies: auto", with: "strategies: [overwrite]")
    let o = try Self.strategy(try Self.evaluateYAML(yaml), .overwrite)
    #expect(close(o.costInflicted.amount, Decimal(48) / 744 * dec("0.023") + dec("0.00065")))
    #expect(o.lastGoodLostAt == t("2027-01-27T00:00:00Z"))
  }

  /// The mitigation search re-runs variants: for dated keys in an unversioned bucket, the conditional-write
  /// bucket policy stops the overwrite at no cost.
  @Test func cheapestMitigationIsVerified() throws {
    let rules = #"[{ ID: e, Status: Enabled, Filter: {}, Expiration: { Days: 30 } }]"#
    let e = evaluate(try loadScenario(Self.scenario(versioning: "Disabled", rules: rules, key: "db/{date}.gz")))
    let m = try #require(e.mitigation)
    #expect(m.change == .conditionalWrites)
    #expect(m.extraMonthlyCost == .zero)
  }

  // MARK: - Issue 14: the attacker picks its requests as AWS lets it

  static let star =
    #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::acme-backups", "arn:aws:s3:::acme-backups/*"] }]}"#
  static func denyBucketPolicy(_ actions: String) -> String {
    #"policy: { "Version": "2012-10-17", "Statement": [{ "Sid": "KeepVersions", "Effect": "Deny", "Principal": "*", "Action": \#(actions), "Resource": ["arn:aws:s3:::acme-backups", "arn:aws:s3:::acme-backups/*"] }] }"#
  }

  /// IAM evaluation logic (reference_policies_evaluation-logic.html) and PutBucketPolicy
  /// (AmazonS3/latest/API/API_PutBucketPolicy.html: the new policy replaces the old one): an `s3:*` writer
  /// whose bucket policy denies the version operations but not s3:PutBucketPolicy replaces the bucket
  /// policy at the attack (2027-06-15 03:00), and the Deny is gone.
  ///
  /// delete-versions then removes every
  /// good version at once; the tampered lifecycle (1 day, then 1 noncurrent day) takes the last good
  /// version at the first midnight after 2027-06-17 02:00 (see `starWithExplicitDeny`): 2027-06-18.
  @Test func rewritingTheBucketPolicyRemovesItsDeny() throws {
    let versionOps = #"["s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]"#
    let e = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: Self.star, bucketPolicy: Self.denyBucketPolicy(versionOps)))
    let dv = try Self.strategy(e, .deleteVersions)
    #expect(dv.possible)
    #expect(dv.reason.contains("KeepVersions"))
    #expect(dv.reason.contains("replaces the bucket policy"))
    #expect(dv.lastGoodLostAt == t("2027-06-15T03:00:00Z"))
    #expect(dv.detectionWindowDays == 0)
    let tamper = try Self.strategy(e, .tamperLifecycle)
    #expect(tamper.possible)
    #expect(tamper.lastGoodLostAt == t("2027-06-18T00:00:00Z"))
    #expect(try Self.strategy(e, .suspendVersioning).possible)
    #expect(try #require(e.attack).allowedActions.contains("s3:DeleteObjectVersion"))
    #expect(try !#require(e.attack).survives)

    // A Deny that also covers the policy actions cannot be rewritten away.
    let covered =
      #"["s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]"#
    let held = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: Self.star, bucketPolicy: Self.denyBucketPolicy(covered)))
    #expect(try !Self.strategy(held, .deleteVersions).possible)
    #expect(try !Self.strategy(held, .tamperLifecycle).possible)

    // s3:DeleteBucketPolicy alone removes the Deny too; the identity policy's Allow does the rest.
    let deleteOnly = #"["s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketPolicy"]"#
    let gone = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: Self.star, bucketPolicy: Self.denyBucketPolicy(deleteOnly)))
    let dv2 = try Self.strategy(gone, .deleteVersions)
    #expect(dv2.possible)
    #expect(dv2.reason.contains("deletes the bucket policy"))
    #expect(dv2.lastGoodLostAt == t("2027-06-15T03:00:00Z"))
  }

  /// HeadObject (AmazonS3/latest/API/API_HeadObject.html: the response's x-amz-version-id) and DeleteObject
  /// with a versionId (AmazonS3/latest/userguide/DeletingObjectVersions.html): s3:GetObject plus
  /// s3:DeleteObjectVersion deletes the current version, the next newer one becomes current, repeat — no
  /// listing needed.
  ///
  /// Every good version is gone at the attack, 2027-06-15 03:00 ("at once", not 30.9 days).
  @Test func deletingVersionsWithoutListingThem() throws {
    let policy =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObjectVersion"], "Resource": "arn:aws:s3:::acme-backups/*" }]}"#
    let e = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: policy))
    let dv = try Self.strategy(e, .deleteVersions)
    #expect(dv.possible)
    #expect(dv.reason.contains("HEAD"))
    #expect(dv.goodRestorePointsAtAttack == 32)
    #expect(dv.lastGoodLostAt == t("2027-06-15T03:00:00Z"))
    #expect(try #require(e.attack).worst?.strategy == .deleteVersions)
    #expect(Verdict.sentence(try #require(e.attack)).contains("30.9 days") == false)

    // Without s3:GetObject it knows no version ID: the overwrite's 30.9 days stand.
    let blind =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObjectVersion"], "Resource": "arn:aws:s3:::acme-backups/*" }]}"#
    let b = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: blind))
    #expect(try !Self.strategy(b, .deleteVersions).possible)
    #expect(try #require(b.attack).worst?.detectionWindowDays == Decimal(30) + Decimal(21) / 24)
  }

  /// Enforce conditional writes (AmazonS3/latest/userguide/conditional-writes-enforce.html): a bucket
  /// policy denying PUTs without If-None-Match stops overwrites, but a new key written with
  /// `If-None-Match: *` is allowed, so the cost bomb goes on — at GLACIER, as in
  /// `costBombWithAndWithoutStorageClassCondition` (more than $123.6).
  ///
  /// The overwrite stays impossible.
  @Test func requestsCarryTheHeadersTheAttackerChooses() throws {
    let yaml = Self.bombScenario.replacingOccurrences(of: "POLICY", with: Self.putOnly)
      .replacingOccurrences(of: "strategies: [cost-bomb]", with: "strategies: [cost-bomb, overwrite]")
      .replacingOccurrences(
        of: "versioning: Enabled }",
        with:
          #"versioning: Enabled, policy: { "Version": "2012-10-17", "Statement": [{ "Sid": "NoOverwrites", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "Condition": { "Null": { "s3:if-none-match": "true" } } }] } }"#
      )
    let e = try Self.evaluateYAML(yaml)
    let bomb = try Self.strategy(e, .costBomb)
    #expect(bomb.possible)
    #expect(bomb.reason.contains("If-None-Match: *"))
    #expect(bomb.storageClass == .glacier)
    #expect(bomb.costInflicted > money("123.6"))
    #expect(try !Self.strategy(e, .overwrite).possible)

    // A Deny of every request that creates an object (PutObject, CompleteMultipartUpload) still lets
    // parts through (s3:ObjectCreationOperation false): an upload never completed is still a cost bomb.
    let partsOnly = Self.bombScenario.replacingOccurrences(of: "POLICY", with: Self.putOnly)
      .replacingOccurrences(
        of: "versioning: Enabled }",
        with:
          #"versioning: Enabled, policy: { "Version": "2012-10-17", "Statement": [{ "Sid": "OnlyParts", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "Condition": { "Bool": { "s3:ObjectCreationOperation": "true" } } }] } }"#
      )
    let parts = try Self.strategy(try Self.evaluateYAML(partsOnly), .costBomb)
    #expect(parts.possible)
    #expect(parts.reason.contains("as multipart parts"))
  }

  /// IAM global condition keys (IAM/latest/UserGuide/reference_policies_condition-keys.html, aws:CurrentTime
  /// and aws:EpochTime): the request's time is the simulated attack time.
  ///
  /// A Deny of s3:PutObject from
  /// 2027-06-01 (or from epoch 1,813,028,400 = 2027-06-15 03:00) applies to the attack at 2027-06-15 03:00,
  /// so no overwrite gets through; with the Deny from 2027-07-01 the overwrite's 30.9 days stand.
  @Test func requestsCarryTheSimulatedTime() throws {
    func denyFrom(_ op: String, _ value: String) -> String {
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*" }, { "Sid": "Frozen", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "Condition": { "\#(op)": { "\#(op == "DateGreaterThan" ? "aws:CurrentTime" : "aws:EpochTime")": "\#(value)" } } }]}"#
    }
    let frozen = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: denyFrom("DateGreaterThan", "2027-06-01T00:00:00Z")))
    let o = try Self.strategy(frozen, .overwrite)
    #expect(!o.possible)
    #expect(o.reason.contains("Frozen"))
    // 2027-06-15T03:00:00Z = 1,813,028,400 s since 1970.
    let epoch = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: denyFrom("NumericGreaterThanEquals", "1813028400")))
    #expect(try !Self.strategy(epoch, .overwrite).possible)
    let later = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: denyFrom("DateGreaterThan", "2027-07-01T00:00:00Z")))
    #expect(try Self.strategy(later, .overwrite).detectionWindowDays == Decimal(30) + Decimal(21) / 24)
  }

  /// `allowedActions` lists the IAM actions of every request the attacker can make on the bucket or a job's
  /// key.
  ///
  /// AbortMultipartUpload (AmazonS3/latest/API/API_AbortMultipartUpload.html): without an Allow, only the
  /// initiator may abort, so a principal that can start no upload has nothing to abort. Object Lock
  /// (AmazonS3/latest/userguide/object-lock-managing.html, bypassing governance mode): s3:PutObjectRetention
  /// with s3:BypassGovernanceRetention shortens GOVERNANCE retention without s3:DeleteObjectVersion.
  @Test func allowedActionsAreTheRequestsTheAttackerCanMake() throws {
    let readOnly =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-backups/*" }]}"#
    let r = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: readOnly))
    #expect(try #require(r.attack).allowedActions == ["s3:GetObject"])
    let retention =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectRetention", "s3:BypassGovernanceRetention"], "Resource": "arn:aws:s3:::acme-backups/*" }]}"#
    let g = try Self.evaluateYAML(Self.scenario(rules: Self.classicRules, policy: retention))
    #expect(
      try #require(g.attack).allowedActions == ["s3:AbortMultipartUpload", "s3:BypassGovernanceRetention", "s3:PutObject", "s3:PutObjectRetention"])
  }
}
