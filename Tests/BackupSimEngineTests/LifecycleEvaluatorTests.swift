import BackupSimTestSupport
import Foundation
import Testing

@testable import BackupSimAnalysis
@testable import BackupSimEngine
@testable import BackupSimInput
@testable import BackupSimModel
@testable import BackupSimReports

struct DueDateCase: Sendable, CustomTestStringConvertible {
  let testDescription: String
  let base: String, days: Int, due: String
}

/// Reference §9 test vectors and the rules of §2.5–§2.8, on the pure evaluator.
@Suite struct LifecycleEvaluatorTests {
  static let dueCases: [DueDateCase] = [
    .init(testDescription: "#1 Transition Days=3", base: "2014-01-15T10:30:00Z", days: 3, due: "2014-01-19T00:00:00Z"),
    .init(testDescription: "#2 NoncurrentDays=3", base: "2014-01-15T10:30:00Z", days: 3, due: "2014-01-19T00:00:00Z"),
    .init(testDescription: "#5 knowledge center", base: "2020-01-01T10:30:00Z", days: 3, due: "2020-01-05T00:00:00Z"),
    .init(testDescription: "#6 successor, NoncurrentDays=1", base: "2020-01-02T11:30:00Z", days: 1, due: "2020-01-04T00:00:00Z"),
    .init(testDescription: "#7 MinIO days=4", base: "2020-03-15T10:10:10Z", days: 4, due: "2020-03-20T00:00:00Z"),
    .init(testDescription: "#8 exact midnight goes to the following one", base: "2020-03-15T00:00:00Z", days: 1, due: "2020-03-17T00:00:00Z"),
    .init(testDescription: "Days=0: the midnight after creation", base: "2027-01-01T10:00:00Z", days: 0, due: "2027-01-02T00:00:00Z"),
    .init(testDescription: "Days=0 at midnight: the next one", base: "2027-01-01T00:00:00Z", days: 0, due: "2027-01-02T00:00:00Z"),
    .init(testDescription: "#4 Expiration 30 crosses into February", base: "2027-01-01T10:00:00Z", days: 30, due: "2027-02-01T00:00:00Z"),
    .init(testDescription: "leap day", base: "2028-02-28T23:59:59Z", days: 1, due: "2028-03-01T00:00:00Z"),
  ]

  @Test(arguments: dueCases)
  func dueDateIsNextUTCMidnight(_ c: DueDateCase) {
    #expect(LifecycleEvaluator.dueDate(base: t(c.base), days: c.days) == t(c.due))
  }

  static func slot(
    _ serial: UInt64, _ created: String, dm: Bool = false, null: Bool = false, size: Int64 = 1 << 20,
    cls: StorageClass = .standard, tags: [ObjectTag] = [], retain: String? = nil
  ) -> VersionSlot {
    VersionSlot(
      serial: serial, isNull: null, isDeleteMarker: dm, createdAt: t(created), retainUntil: retain.map(t), tags: tags, origin: 0,
      parts: dm ? [] : [SlotPart(positions: nil, count: 1, storageClass: cls, classSince: t(created), sizes: .uniform(size))])
  }

  static func decide(
    _ stack: [VersionSlot], _ rules: [LifecycleRule], at now: String, versioning: VersioningState = .enabled,
    config: LifecycleConfiguration? = nil
  ) -> [(slot: Int, part: Int, action: LifecycleAction)] {
    let cfg = config ?? LifecycleConfiguration(rules: rules)
    let c = LifecycleEvaluator.candidates(stack: VersionStack(stack), rules: rules, ruleIndices: Array(rules.indices), config: cfg)
    return LifecycleEvaluator.decide(c, stack: VersionStack(stack), versioning: versioning, now: t(now))
  }

  /// #3: photo.gif created 2014-01-01 10:30, deleted (marker) 2014-01-02 11:30, NoncurrentDays=5:
  /// removed by the run on 2014-01-08 00:00, not the one before.
  @Test func vector3NoncurrentAfterDeleteMarker() {
    let stack = [Self.slot(1, "2014-01-01T10:30:00Z"), Self.slot(2, "2014-01-02T11:30:00Z", dm: true)]
    let rules = [LifecycleRule(id: "nc5", noncurrentExpiration: .init(noncurrentDays: 5))]
    #expect(Self.decide(stack, rules, at: "2014-01-07T00:00:00Z").isEmpty)
    let d = Self.decide(stack, rules, at: "2014-01-08T00:00:00Z")
    #expect(d.count == 1 && d[0].slot == 0 && d[0].action == .deleteNoncurrent(rule: "nc5"))
  }

  /// §2.7 on a night with several actions per slot, given out of order: per slot, deletion beats
  /// everything (the earlier due rule names it), the cheapest class wins a part, a marker due with
  /// only some parts moving comes first and the moving part after it; nothing not yet due acts.
  @Test func decideWeighsEachSlotAndPartAlone() {
    var stack = [Self.slot(1, "2027-01-01T10:00:00Z"), Self.slot(2, "2027-01-02T10:00:00Z"), Self.slot(3, "2027-01-03T10:00:00Z")]
    stack[2].parts = [
      SlotPart(positions: [0], count: 1, storageClass: .standard, classSince: t("2027-01-03T10:00:00Z"), sizes: .uniform(1 << 20)),
      SlotPart(positions: [1], count: 1, storageClass: .standard, classSince: t("2027-01-03T10:00:00Z"), sizes: .uniform(1 << 10)),
    ]
    let now = t("2027-03-01T00:00:00Z"), day = SimTime.secondsPerDay
    let candidates = [
      LifecycleCandidate(slot: 2, due: now, action: .expireCurrent(rule: "exp")),
      LifecycleCandidate(slot: 0, due: now, action: .deleteNoncurrent(rule: "b")),
      LifecycleCandidate(slot: 2, part: 1, due: now, action: .transition(to: .glacier, rule: "g")),
      LifecycleCandidate(slot: 0, part: 0, due: now, action: .transition(to: .standardIA, rule: "ia")),
      LifecycleCandidate(slot: 0, due: now - day, action: .deleteNoncurrent(rule: "a")),
      LifecycleCandidate(slot: 1, part: 0, due: now, action: .transition(to: .standardIA, rule: "ia")),
      LifecycleCandidate(slot: 1, part: 0, due: now, action: .transition(to: .glacier, rule: "g")),
      LifecycleCandidate(slot: 2, part: 0, due: now + day, action: .transition(to: .standardIA, rule: "ia")),
      LifecycleCandidate(slot: 1, due: now + day, action: .deleteNoncurrent(rule: "late")),
    ]
    let d = LifecycleEvaluator.decide(candidates, stack: VersionStack(stack), versioning: .enabled, now: now)
    #expect(d.map(\.slot) == [0, 1, 2, 2])
    #expect(d.map(\.part) == [-1, 0, -1, 1])
    #expect(
      d.map(\.action) == [
        .deleteNoncurrent(rule: "a"), .transition(to: .glacier, rule: "g"), .expireCurrent(rule: "exp"), .transition(to: .glacier, rule: "g"),
      ])
    // Both parts moving: the marker waits.
    let both = candidates + [LifecycleCandidate(slot: 2, part: 0, due: now, action: .transition(to: .glacierIR, rule: "ir"))]
    let e = LifecycleEvaluator.decide(both, stack: VersionStack(stack), versioning: .enabled, now: now)
    #expect(e.filter { $0.slot == 2 }.map(\.action) == [.transition(to: .glacierIR, rule: "ir"), .transition(to: .glacier, rule: "g")])
  }

  /// #10: all objects expire at 365; logs/ go to STANDARD_IA at 30.
  ///
  /// Both happen, each on its day.
  @Test func vector10TransitionThenExpiration() {
    let stack = [Self.slot(1, "2027-01-01T10:00:00Z")]
    let rules = [
      LifecycleRule(id: "A", expiration: .after(.days(365))),
      LifecycleRule(id: "B", filter: .init(prefix: "logs/"), transitions: [.init(when: .days(30), storageClass: .standardIA)]),
    ]
    #expect(Self.decide(stack, rules, at: "2027-02-01T00:00:00Z").map(\.action) == [.transition(to: .standardIA, rule: "B")])
    var moved = stack
    moved[0].parts[0].storageClass = .standardIA
    #expect(Self.decide(moved, rules, at: "2028-01-02T00:00:00Z", versioning: .disabled).map(\.action) == [.expireCurrent(rule: "A")])
  }

  /// #11: Expiration 365 and Transition 365 on the same prefix; 366 days old: deleted, never transitioned.
  ///
  /// In a versioned bucket the expiration only adds a delete marker, and a transition wins over that.
  @Test func vector11DeletionBeatsTransition() {
    let stack = [Self.slot(1, "2027-01-01T10:00:00Z")]
    let rules = [
      LifecycleRule(id: "exp", filter: .init(prefix: "logs/"), expiration: .after(.days(365))),
      LifecycleRule(id: "ia", filter: .init(prefix: "logs/"), transitions: [.init(when: .days(365), storageClass: .standardIA)]),
    ]
    #expect(Self.decide(stack, rules, at: "2028-01-03T00:00:00Z", versioning: .disabled).map(\.action) == [.expireCurrent(rule: "exp")])
    #expect(Self.decide(stack, rules, at: "2028-01-03T00:00:00Z", versioning: .enabled).map(\.action) == [.transition(to: .standardIA, rule: "ia")])
  }

  /// #12: tag1 → GLACIER at 365, tag2 → expire at 14; an object with both tags, 15 days old: expired.
  @Test func vector12TagRules() {
    let tags = [ObjectTag(key: "tag1", value: "value1"), ObjectTag(key: "tag2", value: "value2")]
    let stack = [Self.slot(1, "2027-01-01T10:00:00Z", tags: tags)]
    let rules = [
      LifecycleRule(id: "g", filter: .init(tags: [tags[0]]), transitions: [.init(when: .days(365), storageClass: .glacier)]),
      LifecycleRule(id: "e", filter: .init(tags: [tags[1]]), expiration: .after(.days(14))),
    ]
    #expect(Self.decide(stack, rules, at: "2027-01-16T00:00:00Z", versioning: .disabled).map(\.action) == [.expireCurrent(rule: "e")])
    let untagged = [Self.slot(1, "2027-01-01T10:00:00Z")]
    #expect(Self.decide(untagged, rules, at: "2027-01-16T00:00:00Z", versioning: .disabled).isEmpty)
  }

  /// #13: v5 (current) … v1; NewerNoncurrentVersions=2, NoncurrentDays long passed: v2 and v1 go.
  ///
  /// With v2 under compliance retention only v1 goes, and v2 is retried when its lock ends.
  @Test func vector13NewerNoncurrentVersions() {
    var stack = (1...5).map { Self.slot(UInt64($0), "2027-01-0\($0)T02:00:00Z") }
    let rules = [LifecycleRule(id: "keep2", noncurrentExpiration: .init(noncurrentDays: 1, newerNoncurrentVersions: 2))]
    #expect(Self.decide(stack, rules, at: "2027-03-01T00:00:00Z").map(\.slot) == [0, 1])
    stack[1].retainUntil = t("2027-04-15T12:00:00Z")
    #expect(Self.decide(stack, rules, at: "2027-03-01T00:00:00Z").map(\.slot) == [0])
    let c = LifecycleEvaluator.candidates(stack: VersionStack(stack), rules: rules, ruleIndices: [0], config: LifecycleConfiguration(rules: rules))
    #expect(c.first { $0.slot == 1 }?.due == t("2027-04-16T00:00:00Z"))
  }

  /// #14: NoncurrentDays=30, N=3.
  ///
  /// Good current C; 3 attacker PUTs at 2027-03-10 15:00 leave C with only
  /// 2 newer noncurrent versions: not eligible. After a 4th, C goes at the 2027-04-10 00:00 run.
  @Test func vector14FloodNeedsNPlusOneWrites() {
    let rules = [LifecycleRule(id: "nc", noncurrentExpiration: .init(noncurrentDays: 30, newerNoncurrentVersions: 3))]
    var stack = [Self.slot(1, "2027-03-09T02:00:00Z")]
    for k in 2...4 { stack.append(Self.slot(UInt64(k), "2027-03-10T15:00:00Z")) }
    let c3 = LifecycleEvaluator.candidates(stack: VersionStack(stack), rules: rules, ruleIndices: [0], config: LifecycleConfiguration(rules: rules))
    #expect(!c3.contains { $0.slot == 0 })
    stack.append(Self.slot(5, "2027-03-10T15:00:00Z"))
    let c4 = LifecycleEvaluator.candidates(stack: VersionStack(stack), rules: rules, ruleIndices: [0], config: LifecycleConfiguration(rules: rules))
    #expect(c4.first { $0.slot == 0 }?.due == t("2027-04-10T00:00:00Z"))
  }

  /// #21: a 1 KB object with Transition GLACIER Days=1 stays put under the 128 KB default and moves
  /// under `varies_by_storage_class`; never to STANDARD_IA.
  @Test func vector21SmallObjectTransitions() {
    let stack = [Self.slot(1, "2027-01-01T10:00:00Z", size: 1024)]
    let glacier = [LifecycleRule(id: "g", transitions: [.init(when: .days(1), storageClass: .glacier)])]
    #expect(Self.decide(stack, glacier, at: "2027-01-10T00:00:00Z").isEmpty)
    let varies = LifecycleConfiguration(rules: glacier, transitionDefaultMinimumObjectSize: .variesByStorageClass)
    #expect(Self.decide(stack, glacier, at: "2027-01-03T00:00:00Z", config: varies).map(\.action) == [.transition(to: .glacier, rule: "g")])
    let ia = [LifecycleRule(id: "ia", transitions: [.init(when: .days(30), storageClass: .standardIA)])]
    #expect(
      Self.decide(
        stack, ia, at: "2027-03-01T00:00:00Z", config: LifecycleConfiguration(rules: ia, transitionDefaultMinimumObjectSize: .variesByStorageClass)
      ).isEmpty)
    let filtered = [LifecycleRule(id: "f", filter: .init(objectSizeGreaterThan: 0), transitions: [.init(when: .days(30), storageClass: .standardIA)])]
    #expect(Self.decide(stack, filtered, at: "2027-03-01T00:00:00Z").map(\.action) == [.transition(to: .standardIA, rule: "f")])
  }

  /// Among transitions due together the coldest, cheapest class wins (§2.7: GLACIER over STANDARD_IA).
  @Test func cheapestTransitionWins() {
    let stack = [Self.slot(1, "2027-01-01T10:00:00Z")]
    let rules = [
      LifecycleRule(id: "ia", transitions: [.init(when: .days(30), storageClass: .standardIA)]),
      LifecycleRule(id: "gl", transitions: [.init(when: .days(30), storageClass: .glacier)]),
    ]
    #expect(Self.decide(stack, rules, at: "2027-02-01T00:00:00Z").map(\.action) == [.transition(to: .glacier, rule: "gl")])
  }

  /// A sole delete marker: ExpiredObjectDeleteMarker removes it at the next run; an Expiration Days
  /// rule only once the marker itself is old enough; a marker with versions below it stays.
  @Test func soleDeleteMarkers() {
    let marker = [Self.slot(9, "2027-02-01T00:00:00Z", dm: true)]
    let eodm = [LifecycleRule(id: "dm", expiration: .expiredObjectDeleteMarker)]
    #expect(Self.decide(marker, eodm, at: "2027-02-02T00:00:00Z").map(\.action) == [.removeDeleteMarker(rule: "dm")])
    let days = [LifecycleRule(id: "d30", expiration: .after(.days(30)))]
    #expect(Self.decide(marker, days, at: "2027-03-03T00:00:00Z").isEmpty)
    #expect(Self.decide(marker, days, at: "2027-03-04T00:00:00Z").map(\.action) == [.removeDeleteMarker(rule: "d30")])
    let notSole = [Self.slot(1, "2027-01-01T02:00:00Z"), Self.slot(9, "2027-02-01T00:00:00Z", dm: true)]
    #expect(!Self.decide(notSole, eodm, at: "2027-02-02T00:00:00Z").contains { $0.slot == 1 })
  }

  /// #22 / §2.10: lifecycle never deletes a locked version; it becomes deletable at its retain-until date.
  @Test func vector22LockedVersionWaits() {
    let stack = [
      Self.slot(1, "2027-01-01T02:00:00Z", retain: "2027-01-31T02:00:00Z"),
      Self.slot(2, "2027-01-02T02:00:00Z", retain: "2027-03-03T02:00:00Z"),
    ]
    let rules = [LifecycleRule(id: "nc1", noncurrentExpiration: .init(noncurrentDays: 1))]
    #expect(Self.decide(stack, rules, at: "2027-01-31T00:00:00Z").isEmpty)
    #expect(Self.decide(stack, rules, at: "2027-02-01T00:00:00Z").map(\.slot) == [0])
  }

  /// A rule set's plan promises only what its rules allow, and its shortcut gives the due time the
  /// rules give.
  @Test func rulePlansPromiseOnlyWhatTheRulesAllow() {
    let plain = LifecycleRule(id: "nc30", noncurrentExpiration: .init(noncurrentDays: 30))
    let rules = [
      plain,
      LifecycleRule(id: "newer", noncurrentExpiration: .init(noncurrentDays: 30, newerNoncurrentVersions: 2)),
      LifecycleRule(id: "tagged", filter: .init(tags: [ObjectTag(key: "k", value: "v")]), noncurrentExpiration: .init(noncurrentDays: 30)),
      LifecycleRule(id: "sized", filter: .init(objectSizeGreaterThan: 1), noncurrentExpiration: .init(noncurrentDays: 30)),
      LifecycleRule(
        id: "moves", noncurrentTransitions: [.init(noncurrentDays: 10, storageClass: .glacier)], noncurrentExpiration: .init(noncurrentDays: 30)),
      LifecycleRule(id: "expires", expiration: .after(.days(90)), noncurrentExpiration: .init(noncurrentDays: 7)),
      LifecycleRule(id: "ia", transitions: [.init(when: .days(30), storageClass: .standardIA)]),
    ]
    #expect(RulePlan(rules: rules, indices: [0]) == RulePlan(nothingForCurrent: true, plainNoncurrentDays: 30))
    for r in 1...4 { #expect(RulePlan(rules: rules, indices: [r]) == RulePlan(nothingForCurrent: true, plainNoncurrentDays: nil)) }
    #expect(RulePlan(rules: rules, indices: [5]) == RulePlan(nothingForCurrent: false, plainNoncurrentDays: 7))
    #expect(RulePlan(rules: rules, indices: [6]) == RulePlan(nothingForCurrent: false, plainNoncurrentDays: nil))
    #expect(RulePlan(rules: rules, indices: [0, 5]) == RulePlan(nothingForCurrent: false, plainNoncurrentDays: nil))
    #expect(RulePlan(rules: rules, indices: []) == RulePlan(nothingForCurrent: true, plainNoncurrentDays: nil))

    // Slot 0: successor at 2027-01-01 11:00 + 30 days → 2027-02-01 00:00. Slot 1 would go on 2027-02-02,
    // but its lock to 2027-03-01 12:00 holds it to 2027-03-02. Slot 2: 2027-01-03 10:00 → 2027-02-03.
    let stack = VersionStack([
      Self.slot(1, "2027-01-01T10:00:00Z"), Self.slot(2, "2027-01-01T11:00:00Z", retain: "2027-03-01T12:00:00Z"),
      Self.slot(3, "2027-01-02T10:00:00Z"), Self.slot(4, "2027-01-03T10:00:00Z"),
    ])
    let cfg = LifecycleConfiguration(rules: [plain])
    for i in 0..<3 {
      let general = LifecycleEvaluator.slotDue(stack, at: i, newerNoncurrent: 0, rules: [plain], ruleIndices: [0], config: cfg)
      #expect(LifecycleEvaluator.plainNoncurrentDue(stack, at: i, days: 30) == general)
    }
    let dues = (0..<3).map { LifecycleEvaluator.plainNoncurrentDue(stack, at: $0, days: 30) }
    #expect(dues == ["2027-02-01T00:00:00Z", "2027-03-02T00:00:00Z", "2027-02-03T00:00:00Z"].map { t($0).seconds })
  }
}
