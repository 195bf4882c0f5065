import BackupSimAnalysis
import BackupSimEngine
import BackupSimInput
import BackupSimModel
import BackupSimTestSupport
import Foundation
import Testing

@Suite struct RecommendTests {
  /// One 20 GiB key overwritten nightly at 02:00 in a versioned bucket; 30 days of daily restore points asked.
  static func nightly(requirements: String = "restorePoints: { every: 1 day, for: 30 days }", attack: Bool = false) -> String {
    """
    start: 2027-01-01
    duration: 12 months
    bucket:
      name: rec
      versioning: Enabled
      lifecycle:
        Rules:
          - { ID: keep-30, Status: Enabled, Filter: { Prefix: "db/" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }
    uploads:
      - { name: db, key: "db/dump.gz", schedule: daily at 02:00, size: 20 GiB }
    principals:
      writer:
        policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Action: s3:PutObject, Resource: "arn:aws:s3:::rec/*" }
    \(attack ? "attack: { principal: writer, at: 2027-06-15T03:00, strategies: auto, detectedWithin: 7 days }" : "")
    requirements:
      \(requirements)
    """
  }

  static func space(_ yaml: String) throws -> RecommendSpaceOverrides {
    try RecommendSpaceDecoder.decode(try ConfigNode.parseYAML(yaml, file: "space.yaml")).overrides
  }

  /// Checked by hand.
  ///
  /// Version v_d is written on day d at 02:00 and becomes noncurrent at 02:00 on day d+1,
  /// so NoncurrentDays N removes it at the first midnight strictly after (d+1) 02:00 + N days: 00:00 of
  /// day d+N+2. Coverage at the end of day e (t = 00:00 of day e+1) counts a version removed at exactly t.
  ///
  /// The first day checked is 2027-01-30 (its end is start + 30 days, t = 2027-01-31 00:00); the window
  /// starts 2027-01-01 00:00 and its first point must be within a day of that, i.e. v_0 (01-01 02:00).
  /// - N = 28: v_0 is removed at 00:00 of day 0+28+2 = 2027-01-31 = t: it still counts, gap 2 h. Met.
  /// - N = 27: v_0 went at 2027-01-30 00:00; the first point is v_1 (01-02 02:00), 26 h after the window
  ///   starts: fails on 2027-01-30. N = 14 fails the same day (first point v_14, 14 days 2 hours in).
  /// Cost in December 2027 (31 days, steady): each version lives (N+2) days − 2 h = 718 h, so the month
  /// holds 31 × 718 version-hours of 20 GiB = 31 × 718 × 20 / (24 × 31) = 598.333… GB-months × $0.023 =
  /// $13.7616666…; each upload is 20 GiB / 8 MiB = 2,560 parts + 2 = 2,562 requests, × 31 uploads =
  /// 79,422 × $0.005 / 1,000 = $0.39711. Total $14.1587766…
  @Test func nightlyKeyNeedsTwentyEightNoncurrentDays() throws {
    let scenario = try loadScenario(Self.nightly())
    let axes = """
      noncurrentDays: [14, 27, 28, 30, never]
      newerNoncurrentVersions: [none]
      noncurrentTransitions: {}
      objectLock: { days: [0] }
      bucketPolicy: { denyDestructive: [false] }
      """
    let space = RecommendSpace.make(for: scenario, overrides: try Self.space(axes + "\nuploadStorageClass: [STANDARD]"))
    #expect(space.count == 5)
    let o = RecommendSearch.run(scenario, space: space, threads: 2)
    let rec = try #require(o.recommendation)
    let s = space.settings(rec.candidate)
    #expect(s.noncurrentDays == 28)
    #expect(s.expirationDays == nil && s.lockDays == 0 && s.family.noncurrentTransitions.isEmpty)
    let storage = dec("598.333333333333333333") * dec("0.023")
    #expect(abs(rec.steadyMonthlyCost.amount - (storage + dec("0.39711"))) < dec("0.000001"), "\(rec.steadyMonthlyCost)")
    // The cheaper neighbours, and the day they fail.
    for n in [27, 14] {
      let run = try #require(o.runs.first { space.settings($0.candidate).noncurrentDays == n })
      let q = try #require(run.requirements.first { $0.name == "restorePoints" })
      #expect(q.status == .notMet)
      #expect(q.firstFailedOn?.iso8601 == "2027-01-30", "N = \(n)")
      #expect(run.steadyMonthlyCost < rec.steadyMonthlyCost)
    }
    // 30 days and never lie above 28 on the same axis: they keep more for more money, no alternative.
    #expect(o.found.count == 1)
    // The current configuration (N = 30) keeps 2 more days of 20 GiB: 31 × 2 × 24 × 20 / 744 = 40 GB-months × $0.023 = $0.92.
    #expect(abs((o.current.result.steadyMonthlyCost - rec.steadyMonthlyCost).amount - dec("0.92")) < dec("0.000001"))
    // 14, 27 and 28 were simulated, in that order; 30 and never never were.
    #expect(o.simulated == 3)

    // Uploading to STANDARD_IA: the same 598.333… GB-months at $0.0125 = $7.4791666…, plus the 2 hours each
    // version misses of IA's 30-day minimum (31 × 2 × 20 / 744 = 1.6666… GB-months, $0.0208333…), plus
    // 79,422 PUTs at $0.01 / 1,000 = $0.79422: $8.29422 in all, the new recommendation; STANDARD the alternative.
    let both = RecommendSpace.make(for: scenario, overrides: try Self.space(axes + "\nuploadStorageClass: [STANDARD, STANDARD_IA]"))
    let o2 = RecommendSearch.run(scenario, space: both, threads: 2)
    let ia = try #require(o2.recommendation)
    #expect(both.settings(ia.candidate).family.uploadClass == .standardIA)
    #expect(both.settings(ia.candidate).noncurrentDays == 28)
    #expect(abs(ia.steadyMonthlyCost.amount - dec("8.29422")) < dec("0.000001"), "\(ia.steadyMonthlyCost)")
    #expect(o2.found.dropFirst().map { both.settings($0.candidate).family.uploadClass } == [.standard])
  }

  /// On a space small enough to simulate every candidate, the search returns exactly what brute force does.
  ///
  /// It also simulates fewer candidates than there are. GLACIER noncurrent versions take hours to restore, so
  /// `maxRestoreHours` (which follows no order along the axes) rules that family out candidate by candidate.
  @Test func searchEqualsExhaustiveOnASmallSpace() throws {
    let scenario = try loadScenario(
      Self.nightly(
        requirements: "restorePoints: { every: 1 day, for: 14 days }\n  survivesAttack: { detectedWithin: 7 days }\n  maxRestoreHours: 1",
        attack: true
      )
      .replacingOccurrences(of: "duration: 12 months", with: "duration: 4 months").replacingOccurrences(of: "2027-06-15", with: "2027-03-15"))
    let overrides = try Self.space(
      """
      noncurrentDays: [3, 15, never]
      newerNoncurrentVersions: [3, none]
      noncurrentTransitions: { GLACIER: [1] }
      objectLock: { days: [0, 5, 15] }
      bucketPolicy: { denyDestructive: [false, true] }
      uploadStorageClass: [STANDARD, STANDARD_IA]
      alternatives: 3
      """)
    let space = RecommendSpace.make(for: scenario, overrides: overrides)
    // 2 upload classes × 2 waterfalls × (2 × 2 + 1 NoncurrentDays/NewerNoncurrentVersions) × 3 locks × 2 policies.
    #expect(space.count == 2 * 2 * 5 * 3 * 2)
    #expect(space.allCandidates().count == space.count)
    let brute = RecommendSearch.exhaustive(scenario, space: space, threads: 2)
    let o = RecommendSearch.run(scenario, space: space, threads: 2)
    #expect(!brute.isEmpty)
    #expect(o.found.map(\.candidate) == brute.map(\.candidate))
    #expect(o.found.map(\.steadyMonthlyCost) == brute.map(\.steadyMonthlyCost))
    #expect(o.simulated < space.count, "simulated \(o.simulated) of \(space.count)")
  }

  /// The same scenario searched twice, on one thread and on several, gives the same answer.
  @Test func deterministicWhateverTheThreads() throws {
    let scenario = try loadScenario(Self.nightly())
    let overrides = try Self.space("noncurrentDays: [7, 28, 60]\nobjectLock: { days: [0, 30] }\nuploadStorageClass: [STANDARD]")
    let space = RecommendSpace.make(for: scenario, overrides: overrides)
    let a = RecommendSearch.run(scenario, space: space, threads: 1)
    let b = RecommendSearch.run(scenario, space: space, threads: 4)
    #expect(a.found.map(\.candidate) == b.found.map(\.candidate))
    #expect(a.simulated == b.simulated)
  }

  /// Every lifecycle document the default space can produce passes PutBucketLifecycleConfiguration's checks.
  @Test func defaultSpaceLifecyclesAreValid() throws {
    for yaml in [Self.nightly(), Self.nightly().replacingOccurrences(of: "db/dump.gz", with: "db/{date}.gz")] {
      let scenario = try loadScenario(yaml)
      let space = RecommendSpace.make(for: scenario)
      var checked = 0
      for (f, ax) in space.familyAxes.enumerated() {
        // Each Expiration and each NoncurrentDays value at least once, against the family's transitions.
        let n = max(ax.expiration.count, ax.noncurrent.count)
        for i in 0..<n {
          let c = RecommendCandidate(
            family: f, index: [min(i, ax.expiration.count - 1), min(i, ax.noncurrent.count - 1), ax.newer.count - 1, 0, 0, 0])
          let s = space.settings(c)
          guard let rule = space.lifecycleRule(s) else { continue }
          let json = lifecycleText(rule)
          var reader = NodeReader()
          let decoded = LifecycleDecoder.decode(try ConfigNode.parseYAML(json, file: "lifecycle.json"), reader: &reader)
          #expect(decoded != nil, "\(json): \(reader.errors.map(\.description))")
          checked += 1
        }
      }
      #expect(checked > 10)
    }
  }

  /// The rule in the AWS JSON shape (what lifecycle.json holds), without the Reports module.
  func lifecycleText(_ r: LifecycleRule) -> String {
    var parts = ["\"ID\": \"\(r.id)\"", "\"Status\": \"Enabled\"", "\"Filter\": {\"Prefix\": \"\(r.filter.prefix)\"}"]
    if case .after(.days(let d))? = r.expiration { parts.append("\"Expiration\": {\"Days\": \(d)}") }
    let t = r.transitions.compactMap { x -> String? in
      guard case .days(let d) = x.when else { return nil }
      return "{\"Days\": \(d), \"StorageClass\": \"\(x.storageClass.rawValue)\"}"
    }
    if !t.isEmpty { parts.append("\"Transitions\": [\(t.joined(separator: ", "))]") }
    let nt = r.noncurrentTransitions.map { "{\"NoncurrentDays\": \($0.noncurrentDays), \"StorageClass\": \"\($0.storageClass.rawValue)\"}" }
    if !nt.isEmpty { parts.append("\"NoncurrentVersionTransitions\": [\(nt.joined(separator: ", "))]") }
    if let e = r.noncurrentExpiration {
      parts.append(
        "\"NoncurrentVersionExpiration\": {\"NoncurrentDays\": \(e.noncurrentDays)"
          + (e.newerNoncurrentVersions.map { ", \"NewerNoncurrentVersions\": \($0)" } ?? "") + "}")
    }
    return "{\"Rules\": [{\(parts.joined(separator: ", "))}]}"
  }

  /// Valid waterfalls only: IA needs 30 days, nothing goes back to a warmer class, archive 30 days after IA.
  @Test func waterfallsFollowTheRules() {
    let w = RecommendSpace.waterfalls([.standardIA: [30], .glacier: [1, 60]], noncurrent: false)
    let shown = w.map { $0.map { "\($0.storageClass.rawValue)@\($0.days)" }.joined(separator: ">") }
    // GLACIER@1 then STANDARD_IA@30 goes back up the waterfall; IA@30 then GLACIER@60 keeps the 30-day gap.
    #expect(shown == ["", "STANDARD_IA@30", "GLACIER@1", "GLACIER@60", "STANDARD_IA@30>GLACIER@60"])
  }
}

/// A configuration whose bucket still fills up at the end of the horizon is flagged: its "steady"
/// monthly cost is not one.
@Suite struct SettledTests {
  /// Dated nightly keys never expired keep adding versions; one key with NoncurrentDays 30 does not.
  ///
  /// Over 3 months the dated keys hold 30 more versions at the end (Mar 31) than 30 days before
  /// (Mar 1); the fixed key holds 1 current and 31 noncurrent versions on both days.
  @Test func versionsStillAccumulating() throws {
    let growing = try run(
      """
      start: 2027-01-01
      duration: 3 months
      bucket: { versioning: Enabled }
      uploads:
        - { name: db, key: "db/{date}.gz", schedule: "daily at 02:00", size: 1 GiB }
      """)
    #expect(growing.versionsAddedInLast30Days == 30)
    let settled = try run(classicFixedKey.replacingOccurrences(of: "Expiration: { Days: 30 }, ", with: ""))
    #expect(settled.versionsAddedInLast30Days == 0)
  }
}
