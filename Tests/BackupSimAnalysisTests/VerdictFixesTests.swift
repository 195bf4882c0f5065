import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

/// Verdicts that must be earned: per job, within the horizon, from writes that were allowed, and a
/// cost-bomb figure that does not grow with the horizon.
@Suite struct VerdictFixesTests {
  /// host-a overwrites one key nightly in an unversioned bucket; host-b writes dated keys, all kept.
  static func twoHosts(_ requirement: String, duration: String = "3 months") -> String {
    """
    start: 2027-01-01
    duration: \(duration)
    bucket: { versioning: Disabled }
    uploads:
      - { name: host-a, key: "a/backup.tar", schedule: "daily at 02:00", size: 1 GiB }
      - { name: host-b, key: "b/{date}.tar", schedule: "daily at 02:00", size: 1 GiB }
    requirements: { restorePoints: \(requirement) }
    """
  }

  /// First checked at the end of Jan 30 (t = Jan 31 00:00, window from Jan 1 00:00).
  ///
  /// host-a has only the
  /// Jan 30 02:00 version: 29 days 2 hours from the window's start to it. host-b has one point a day:
  /// the longest gap is 24 h, not more than a day. Merged, host-b's points hid host-a's gap.
  @Test func restorePointsHoldForEveryJob() throws {
    let s = try loadScenario(Self.twoHosts("{ every: 1 day, for: 30 days }"))
    let q = try #require(evaluate(s, findMitigation: false).requirements.first)
    #expect(q.status == .notMet)
    #expect(q.firstFailedOn == CivilDate(year: 2027, month: 1, day: 30))
    let jan30 = CivilDate(year: 2027, month: 1, day: 30)
    let gap: Int64 = (29 * 24 + 2) * 3600
    #expect(q.failedJobs == [RequirementResult.JobFailure(jobs: ["host-a"], firstFailedOn: jan30, longestGapSeconds: gap)])
    #expect(Verdict.detail(q).contains("failing: host-a (first on 2027-01-30, longest gap"))

    // Naming only host-b: its gaps are 24 h at most, so it is met.
    let onlyB = try loadScenario(Self.twoHosts("{ every: 1 day, for: 30 days, jobs: [host-b] }"))
    #expect(onlyB.requirements.restorePoints?.jobs == ["host-b"])
    let qb = try #require(evaluate(onlyB, findMitigation: false).requirements.first)
    #expect(qb.status == .met)
    #expect(qb.measure == .restorePoints(everySeconds: 86_400, forSeconds: 30 * 86_400, longestGapSeconds: 24 * 3600))
  }

  @Test func unknownJobNameIsALocatedError() {
    let errors = loadErrors(Self.twoHosts("{ every: 1 day, for: 30 days, jobs: [hots-b] }"))
    #expect(errors.count == 1)
    #expect(errors.first?.hasPrefix("test.yaml:7:") == true)
    #expect(errors.first?.contains("restorePoints 'jobs' names no upload job: 'hots-b'; did you mean 'host-b'?") == true)
  }

  /// 3 months simulated (90 days), a 365-day window: no day can be checked.
  @Test func windowLongerThanTheHorizonIsNotChecked() throws {
    let s = try loadScenario(
      classicFixedKey.replacingOccurrences(of: "12 months", with: "3 months")
        + "\nrequirements: { restorePoints: { every: 1 day, for: 365 days }, maxRestoreHours: 12 }\n")
    let e = evaluate(s, findMitigation: false)
    let notChecked = RequirementResult.Status.notChecked(horizonSeconds: 90 * 86_400)
    #expect(e.requirements.map(\.status) == [notChecked, notChecked])
    #expect(e.requirements.allSatisfy { !$0.met })
    #expect(!e.allRequirementsMet)  // exit status 1
    #expect(Verdict.status(e.requirements[0]) == "not checked: the horizon (90 days) is shorter than the window")
    #expect(!Verdict.detail(e.requirements[0]).contains("longest gap"))
    let json = ResultJSON.render(e)
    #expect(json.contains(#""status": "not checked""#))
  }

  /// The writer may PUT only from 10.0.0.0/8 with MFA; the job runs from the default 203.0.113.10 with
  /// long-term keys, so not one backup is written and the restorePoints requirement fails on its first day.
  @Test func jobWritesAreCheckedAgainstItsPolicy() throws {
    let policy =
      #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "Condition": { "IpAddress": { "aws:SourceIp": "10.0.0.0/8" }, "Bool": { "aws:MultiFactorAuthPresent": "true" } } }] }"#
    let yaml =
      AttackTests.scenario(rules: AttackTests.classicRules, policy: policy, duration: "3 months", at: "2027-02-15T03:00")
      + "\nrequirements: { restorePoints: { every: 1 day, for: 7 days } }\n"
    let e = evaluate(try loadScenario(yaml), findMitigation: false)
    #expect(e.deniedJobs.map(\.job) == ["db"])
    #expect(e.deniedJobs.first?.principal == "writer")
    #expect(e.result.restorePoints.isEmpty)
    #expect(e.result.totalCost == .zero)
    #expect(e.requirements.first?.firstFailedOn == CivilDate(year: 2027, month: 1, day: 7))
    let a = try #require(e.attack)
    #expect(!a.hasGoodBackups)
    #expect(!a.survives)
    let sentence = Verdict.sentence(a)
    #expect(!sentence.contains("cannot destroy"))
    #expect(sentence.hasPrefix("At the time of the attack there is no good backup to protect."))
    let summary = RunReport.summary(e, folder: "reports/x")
    let deniedLine = try #require(summary.range(of: "Upload job 'db' cannot write its backups"))
    let attackLine = try #require(summary.range(of: "At the time of the attack"))
    #expect(deniedLine.lowerBound < attackLine.lowerBound)
    let md = MarkdownReport.render(e)
    #expect(try #require(md.range(of: "cannot write its backups")).lowerBound < (try #require(md.range(of: "## What an attacker"))).lowerBound)

    // From 10.1.2.3, still without MFA: denied. A policy without the MFA condition, from 10.1.2.3: allowed.
    let noMFA = policy.replacingOccurrences(of: #", "Bool": { "aws:MultiFactorAuthPresent": "true" }"#, with: "")
    let fromInside = try loadScenario(
      yaml.replacingOccurrences(of: policy, with: noMFA).replacingOccurrences(
        of: "policy: \(noMFA)", with: "sourceIp: 10.1.2.3\n    policy: \(noMFA)"))
    #expect(fromInside.deniedJobs().isEmpty)
    #expect(fromInside.principals.first?.sourceIp == "10.1.2.3")
  }

  /// Cost bomb pinned to one class, 100 MB/s for one day from 2027-06-29 00:00, noticed 2027-06-30 00:00.
  ///
  /// Each hour: 377,487,360,000 B = 70 objects of 5 GiB + one of 1.5625 GiB = 351.5625 GiB in 70 × 642 + 202 =
  /// 45,142 PUT requests; 24 hours: 1,083,408 requests. Batch h (h = 0…23) is deleted at detection after 24 − h
  /// hours: Σ = 300 batch-hours × 351.5625 GiB = 105,468.75 GiB-hours = 146.484375 GB-months (June: 720 h).
  /// STANDARD: 146.484375 × $0.023 + 1,083,408 × $0.005/1,000 = $3.369140625 + $5.41704 = $8.786180625.
  /// STANDARD_IA (30-day minimum): every batch is billed for 30 days in all, storage plus early deletion =
  /// 24 × 351.5625 GiB × 1 month of June = 8,437.5 GB-months × $0.0125 = $105.46875, plus 1,083,408 × $0.01/1,000 =
  /// $10.83408: $116.30283. The same whether the horizon ends 2027-07-01 (6 months) or 2028-01-01 (12).
  @Test func costBombFigureDoesNotDependOnTheHorizon() throws {
    func bomb(_ cls: String, months: Int) throws -> StrategyResult {
      let policy =
        #"{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::acme-backups/*", "Condition": { "StringEquals": { "s3:x-amz-storage-class": "CLS" } } }]}"#
        .replacingOccurrences(of: "CLS", with: cls)
      let yaml = """
        start: 2027-01-01
        duration: \(months) months
        bucket: { name: acme-backups, versioning: Enabled }
        uploads:
          - { name: db, key: "db/{date}.gz", schedule: "daily at 02:00", size: 1 MiB, storageClass: \(cls) }
        principals:
          writer:
            policy: \(policy)
        attack: { principal: writer, at: 2027-06-29T00:00, strategies: [cost-bomb], bandwidth: 100 MB/s, detectedWithin: 1 day }
        """
      return try AttackTests.strategy(try AttackTests.evaluateYAML(yaml), .costBomb)
    }
    for months in [6, 12] {
      let standard = try bomb("STANDARD", months: months)
      #expect(standard.storageClass == .standard)
      #expect(close(standard.costInflicted.amount, dec("8.786180625")), "\(months) months: \(standard.costInflicted)")
      let ia = try bomb("STANDARD_IA", months: months)
      #expect(close(ia.costInflicted.amount, dec("116.30283")), "\(months) months: \(ia.costInflicted)")
    }
  }

  /// Left out, versioning is S3's default: a bucket never versioned.
  ///
  /// A key overwritten nightly for
  /// 10 days keeps only its last upload: 1 restorable point of 10.
  @Test func versioningDefaultsToNeverEnabled() throws {
    let yaml = """
      start: 2027-01-01
      duration: 10 days
      bucket: { name: acme-backups }
      uploads:
        - { name: db, key: "db/x", schedule: "daily at 02:00", size: 1 GiB }
      """
    let s = try loadScenario(yaml)
    #expect(s.bucket.versioning == .disabled)
    let r = simulate(s)
    #expect(r.coverage.restorePointsCreated == 10)
    #expect(r.coverage.restorableAtEnd == 1)
  }
}
