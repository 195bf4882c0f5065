import BackupSimModel

/// Checks a decoded lifecycle document against everything `PutBucketLifecycleConfiguration` rejects.
///
/// The rules and, where AWS's own wording is known, the message texts are those of
/// docs/s3-rules.md §2.4 (limits from §2.1, filters from §2.2, waterfall from §2.9).
/// Every problem becomes one `ScenarioError` with code `.invalidLifecycle(ruleID:)`, a message that
/// starts with `rule '<ID>': `, and the location of the value at fault; all problems are reported,
/// none stops the others. One mistake gives one error: a check skips values another check already
/// rejected (a `STANDARD` target is not also a waterfall error, a duplicate class not also a
/// waterfall step).
///
/// Example: `rule 'tier-down': 'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA' (got 7)`.
enum LifecycleValidator {
  typealias Wire = LifecycleDecoder.Wire

  static let maxRules = 1000
  static let maxIDLength = 255
  /// Largest size-filter value: 50 TB (docs/s3-rules.md §2.2; older pages say 5 TB — UNCONFIRMED which AWS enforces).
  static let maxObjectSizeFilter: Int64 = 50 << 40
  static let newerNoncurrentVersionsRange = 1...100

  static func validate(_ config: Wire.Configuration, reader: inout NodeReader) {
    if config.rules.count > maxRules {
      let rule = config.rules[maxRules]
      Report(rule).fail(
        "too many rules: a lifecycle configuration can have at most \(maxRules) rules (got \(config.rules.count))",
        at: rule.node, &reader)
    }
    var firstUse: [String: Wire.Rule] = [:]
    for rule in config.rules {
      if let first = firstUse[rule.id] {
        Report(rule).fail(
          "Rule ID must be unique; rule \(first.index) (\((first.idNode ?? first.node).location)) has the same ID",
          at: rule.idNode ?? rule.node, &reader)
      } else {
        firstUse[rule.id] = rule
      }
      validate(rule, reader: &reader)
    }
  }

  /// Every check of one rule, in the order its parts are usually written.
  static func validate(_ rule: Wire.Rule, reader: inout NodeReader) {
    let report = Report(rule)
    if let idNode = rule.idNode, rule.id.count > maxIDLength {
      report.fail("'ID' must be at most \(maxIDLength) characters long (got \(rule.id.count))", at: idNode, &reader)
    }
    checkStatus(rule, report, &reader)
    checkFilter(rule, report, &reader)
    if !rule.hasAction, !rule.damaged {
      report.fail(
        "the rule has no action; give it at least one of Expiration, Transitions, NoncurrentVersionTransitions, "
          + "NoncurrentVersionExpiration or AbortIncompleteMultipartUpload", at: rule.node, &reader)
    }
    checkExpiration(rule, report, &reader)
    checkTransitions(rule, report, &reader)
    checkMixedDateAndDays(rule, report, &reader)
    checkNoncurrentTransitions(rule, report, &reader)
    checkNoncurrentExpiration(rule, report, &reader)
    checkAbort(rule, report, &reader)
  }

  /// Adds errors for one rule: code `.invalidLifecycle(ruleID:)`, message prefixed with the rule ID.
  struct Report {
    var id: String
    init(_ rule: Wire.Rule) { id = rule.id }

    func fail(_ message: String, at node: ConfigNode, _ reader: inout NodeReader) {
      reader.errors.append(
        ScenarioError(.invalidLifecycle(ruleID: id), "rule '\(Wire.display(id))': \(message)", at: node.location))
    }
  }

  // MARK: - Rule metadata and filter (§2.1, §2.2)

  /// `Status` is required and is `Enabled` or `Disabled`, case-sensitive (§2.1).
  static func checkStatus(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    guard let status = rule.status else {
      if rule.damaged { return }
      report.fail("'Status' is required (Enabled or Disabled)", at: rule.node, &reader)
      return
    }
    let options = ["Enabled", "Disabled"]
    guard !options.contains(status.value) else { return }
    var message = "'Status' must be Enabled or Disabled (got '\(status.value)')"
    if let guess = NodeReader.nearest(to: status.value, in: options) { message += "; did you mean '\(guess)'?" }
    report.fail(message, at: status.node, &reader)
  }

  /// Filter shape and values (§2.1, §2.2, §2.4).
  ///
  /// `Filter` is required unless the rule has the legacy top-level `Prefix`, and cannot sit beside it;
  /// outside `And` it holds exactly one predicate, inside `And` two or more; tag keys are unique; size bounds lie in
  /// 0...50 TB and GreaterThan < LessThan.
  static func checkFilter(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    // API_LifecycleRule.html: Filter is required when the rule has no (legacy) Prefix; S3 does not
    // read a missing filter as "the whole bucket", an empty one is that.
    if rule.filter == nil, rule.legacyPrefix == nil, !rule.damaged {
      report.fail(
        "'Filter' is required when the rule has no top-level 'Prefix'; an empty Filter applies the rule to the whole bucket",
        at: rule.node, &reader)
    }
    if let filter = rule.filter, let legacy = rule.legacyPrefix {
      report.fail(
        "Filter element can only be used in Lifecycle V2. Move the top-level 'Prefix' (line \(legacy.location.line)) into 'Filter'",
        at: filter.node, &reader)
    }
    guard let filter = rule.filter else { return }
    if filter.predicates.count > 1 {
      let names = filter.predicates.map(\.name)
      report.fail(
        "'Filter' must have exactly one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or And "
          + "(got \(names.joined(separator: " and "))); combine predicates inside 'And'",
        at: filter.predicates[1].key, &reader)
    }
    // API_LifecycleRuleAndOperator.html: And combines two or more predicates.
    if let and = filter.and, and.predicates.count < 2 {
      let got = and.predicates.first.map { "only \($0)" } ?? "none"
      report.fail(
        "'And' must combine two or more predicates (got \(got)); put a single predicate directly in 'Filter'",
        at: and.node, &reader)
    }
    var seenTagKeys: Set<String> = []
    for tag in filter.tags where !seenTagKeys.insert(tag.key.value).inserted {
      report.fail("Tag Keys must be unique: '\(tag.key.value)' appears more than once in the filter", at: tag.key.node, &reader)
    }
    var sizesInRange = true
    for (name, bound) in [("ObjectSizeGreaterThan", filter.sizeGreaterThan), ("ObjectSizeLessThan", filter.sizeLessThan)] {
      guard let bound, !(0...maxObjectSizeFilter).contains(bound.value) else { continue }
      sizesInRange = false
      report.fail(
        "'\(name)' must be between 0 and \(maxObjectSizeFilter) bytes (50 TB) (got \(bound.value))", at: bound.node, &reader)
    }
    if sizesInRange, let gt = filter.sizeGreaterThan, let lt = filter.sizeLessThan, gt.value >= lt.value {
      report.fail(
        "'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan' (got \(gt.value) and \(lt.value))", at: gt.node, &reader)
    }
  }

  /// Whether the rule's filter names a tag; delete markers and multipart uploads carry none (§2.4).
  static func hasTagFilter(_ rule: Wire.Rule) -> Bool {
    !(rule.filter?.tags.isEmpty ?? true)
  }

  // MARK: - Current-version actions (§2.1, §2.4)

  /// `Expiration` (§2.1, §2.4).
  ///
  /// Exactly one of `Days` (≥ 1, greater than every Transition's `Days`), `Date` (midnight UTC) or
  /// `ExpiredObjectDeleteMarker` (not with a tag filter).
  static func checkExpiration(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    guard let expiration = rule.expiration else { return }
    let eodm = expiration.expiredObjectDeleteMarker
    if expiration.days == nil, expiration.date == nil, eodm == nil, !expiration.damaged {
      report.fail("'Expiration' needs one of 'Days', 'Date' or 'ExpiredObjectDeleteMarker'", at: expiration.node, &reader)
    }
    if expiration.days != nil, let date = expiration.date {
      report.fail("'Expiration' must have only one of 'Days' or 'Date'", at: date.node, &reader)
    }
    if let eodm {
      if expiration.days != nil || expiration.date != nil {
        report.fail(
          "'ExpiredObjectDeleteMarker' cannot be specified with 'Days' or 'Date' in the Expiration action", at: eodm.node, &reader)
      }
      if hasTagFilter(rule) {
        report.fail("Tag-based filter cannot be used with ExpiredObjectDeleteMarker action", at: eodm.node, &reader)
      }
    }
    if let days = expiration.days {
      if days.value < 1 {
        report.fail("'Days' for Expiration action must be a positive integer (got \(days.value))", at: days.node, &reader)
      } else {
        let dayTransitions = rule.transitions.compactMap { t in t.days.map { (days: $0.value, storageClass: t.storageClass?.value) } }
        if let latest = dayTransitions.max(by: { $0.days < $1.days }), days.value <= latest.days {
          let target = latest.storageClass.map { " to \($0)" } ?? ""
          report.fail(
            "'Days' in the Expiration action for filter '\(rule.domainFilter.awsDescription)' must be greater than 'Days' "
              + "in the Transition action (got \(days.value); the Transition\(target) has Days \(latest.days))",
            at: days.node, &reader)
        }
      }
    }
    if let date = expiration.date { checkMidnight(date, report, &reader) }
  }

  /// A `Date` must be 00:00:00 UTC (§2.1; vector §9 #18).
  static func checkMidnight(_ date: Wire.Located<Wire.Date>, _ report: Report, _ reader: inout NodeReader) {
    guard !date.value.isMidnightUTC else { return }
    report.fail("'Date' must be at midnight GMT (got \(date.node.scalar ?? date.value.time.iso8601))", at: date.node, &reader)
  }

  /// A storage class named as a transition target, or nil after reporting why it cannot be one (§2.1, §2.9).
  static func target(_ value: Wire.Located<String>, action: String, _ report: Report, _ reader: inout NodeReader) -> StorageClass? {
    if let c = StorageClass(rawValue: value.value), StorageClass.transitionTargets.contains(c) { return c }
    let names = StorageClass.transitionTargets.map(\.rawValue)
    var message = "'StorageClass' in \(action) action must be one of \(names.joined(separator: ", ")) (got '\(value.value)')"
    if StorageClass(rawValue: value.value) != nil || value.value == "REDUCED_REDUNDANCY" {
      message += "; lifecycle cannot move objects into \(value.value)"
    } else if let guess = NodeReader.nearest(to: value.value, in: names) {
      message += "; did you mean '\(guess)'?"
    }
    report.fail(message, at: value.node, &reader)
    return nil
  }

  /// When an action is due, in the one unit the rule uses: days after creation or a day number.
  enum Time: Equatable, Comparable {
    case days(Int)
    case date(Int64)

    var dayValue: Int64 {
      switch self {
      case .days(let d): return Int64(d)
      case .date(let d): return d
      }
    }
    var isDate: Bool { if case .date = self { return true } else { return false } }
    var text: String {
      switch self {
      case .days(let d): return "Days \(d)"
      case .date(let d): return "Date \(CivilDate(daysSinceEpoch: d).iso8601)"
      }
    }
    static func < (a: Time, b: Time) -> Bool { a.dayValue < b.dayValue }
  }

  /// A transition whose target and time passed their own checks; input to the ordering checks.
  struct Step {
    var time: Time
    var timeNode: ConfigNode
    var storageClass: StorageClass
    var classNode: ConfigNode
  }

  /// Each `Transition` and their order (§2.1, §2.4, §2.9).
  ///
  /// One of `Days` (≥ 0; ≥ 30 into STANDARD_IA/ONEZONE_IA) or `Date`; a valid target class, each at
  /// most once per rule; then, when all use one unit, the IA→archive gap and the waterfall.
  static func checkTransitions(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    var steps: [Step] = []
    var seenClasses: Set<StorageClass> = []
    for t in rule.transitions {
      if t.days == nil, t.date == nil, !t.damaged {
        report.fail("'Transition' needs 'Days' or 'Date'", at: t.node, &reader)
      }
      if t.days != nil, let date = t.date {
        report.fail("'Transition' must have only one of 'Days' or 'Date'", at: date.node, &reader)
      }
      if let date = t.date { checkMidnight(date, report, &reader) }
      guard let classValue = t.storageClass else {
        if !t.damaged { report.fail("'Transition' needs 'StorageClass'", at: t.node, &reader) }
        continue
      }
      guard let storageClass = target(classValue, action: "Transition", report, &reader) else { continue }
      if let days = t.days {
        if storageClass.isInfrequentAccess, days.value < StorageClass.infrequentAccessMinimumDays {
          report.fail(
            "'Days' in Transition action must be greater than or equal to \(StorageClass.infrequentAccessMinimumDays) "
              + "for storageClass '\(storageClass)' (got \(days.value))", at: days.node, &reader)
        } else if days.value < 0 {
          report.fail("'Days' in Transition action must not be negative (got \(days.value))", at: days.node, &reader)
        }
      }
      guard seenClasses.insert(storageClass).inserted else {
        report.fail(
          "'StorageClass' must be different for 'Transition' actions in same 'Rule' (\(storageClass) appears more than once)",
          at: classValue.node, &reader)
        continue
      }
      if let days = t.days, t.date == nil {
        steps.append(Step(time: .days(days.value), timeNode: days.node, storageClass: storageClass, classNode: classValue.node))
      } else if let date = t.date, t.days == nil {
        steps.append(
          Step(time: .date(date.value.time.dayNumber), timeNode: date.node, storageClass: storageClass, classNode: classValue.node))
      }
    }
    // Ordering checks need one unit; mixing Date and Days is its own error.
    guard steps.allSatisfy({ $0.time.isDate == steps.first?.time.isDate }) else { return }
    checkArchiveAfterInfrequentAccess(steps, report, &reader)
    checkWaterfall(steps, action: "Transition", report, &reader)
  }

  /// An IA transition and a GLACIER/DEEP_ARCHIVE transition must be at least 30 days apart (§2.4).
  ///
  /// Applied to current-version transitions only; GLACIER_IR has no such documented gap.
  static func checkArchiveAfterInfrequentAccess(_ steps: [Step], _ report: Report, _ reader: inout NodeReader) {
    let gap = StorageClass.infrequentAccessMinimumDays
    let ia = steps.filter(\.storageClass.isInfrequentAccess)
    for archive in steps where archive.storageClass.isArchive {
      let tooSoon = ia.filter { $0.time <= archive.time && archive.time.dayValue - $0.time.dayValue < Int64(gap) }
      guard let last = tooSoon.max(by: { $0.time < $1.time }) else { continue }
      report.fail(
        "the Transition to \(archive.storageClass) (\(archive.time.text)) must come at least \(gap) days "
          + "after the Transition to \(last.storageClass) (\(last.time.text)): objects must stay "
          + "\(gap) days in \(last.storageClass)",
        at: archive.timeNode, &reader)
    }
  }

  /// Ordered by time, each later transition must be allowed from every earlier one's class (§2.9).
  ///
  /// Transitions due at the same time are not ordered against each other (the cheaper one wins, §2.7).
  static func checkWaterfall(_ steps: [Step], action: String, _ report: Report, _ reader: inout NodeReader) {
    for later in steps {
      let blocking = steps.filter { $0.time < later.time && !$0.storageClass.canTransition(to: later.storageClass) }
      guard let from = blocking.max(by: { $0.time < $1.time }) else { continue }
      report.fail(
        "the \(action) to \(later.storageClass) (\(later.time.text)) goes against the transition waterfall: "
          + "objects in \(from.storageClass) (from \(from.time.text)) cannot move to \(later.storageClass)",
        at: later.classNode, &reader)
    }
  }

  /// A rule's Transition and Expiration actions use either all `Days` or all `Date` (§2.4).
  static func checkMixedDateAndDays(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    var timed: [(isDate: Bool, node: ConfigNode, action: String)] = []
    for t in rule.transitions {
      if let d = t.days, t.date == nil { timed.append((false, d.node, "Transition")) }
      if let d = t.date, t.days == nil { timed.append((true, d.node, "Transition")) }
    }
    if let e = rule.expiration {
      if let d = e.days, e.date == nil { timed.append((false, d.node, "Expiration")) }
      if let d = e.date, e.days == nil { timed.append((true, d.node, "Expiration")) }
    }
    timed.sort { Wire.documentOrder($0.node, $1.node) }
    guard let first = timed.first, let odd = timed.first(where: { $0.isDate != first.isDate }) else { return }
    let actions = Set(timed.map(\.action)).sorted().joined(separator: " and ")
    report.fail(
      "Found mixed 'Date' and 'Days' based \(actions) actions in lifecycle rule for filter '\(rule.domainFilter.awsDescription)'",
      at: odd.node, &reader)
  }

  // MARK: - Noncurrent-version actions (§2.1, §2.4, §2.6)

  /// `NewerNoncurrentVersions` is 1...100 and needs a V2 (`Filter`) rule (§2.1, §2.4).
  static func checkNewerNoncurrentVersions(_ value: Wire.Located<Int>?, _ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    guard let value else { return }
    if rule.legacyPrefix != nil, rule.filter == nil {
      report.fail("NewerNoncurrentVersions element can only be used in Lifecycle V2.", at: value.node, &reader)
    }
    if !newerNoncurrentVersionsRange.contains(value.value) {
      report.fail(
        "'NewerNoncurrentVersions' must be between \(newerNoncurrentVersionsRange.lowerBound) and "
          + "\(newerNoncurrentVersionsRange.upperBound) (got \(value.value))", at: value.node, &reader)
    }
  }

  /// Each `NoncurrentVersionTransition` and their order (§2.1, §2.4, §2.9).
  ///
  /// `NoncurrentDays` required (≥ 30 into an IA class, else ≥ 0 — 0 allowed is UNCONFIRMED), a valid
  /// target at most once per rule, and the waterfall ordered by `NoncurrentDays`.
  static func checkNoncurrentTransitions(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    var steps: [Step] = []
    var seenClasses: Set<StorageClass> = []
    for t in rule.noncurrentTransitions {
      checkNewerNoncurrentVersions(t.newerNoncurrentVersions, rule, report, &reader)
      if t.noncurrentDays == nil, !t.damaged {
        report.fail("'NoncurrentVersionTransition' needs 'NoncurrentDays'", at: t.node, &reader)
      }
      guard let classValue = t.storageClass else {
        if !t.damaged { report.fail("'NoncurrentVersionTransition' needs 'StorageClass'", at: t.node, &reader) }
        continue
      }
      guard let storageClass = target(classValue, action: "NoncurrentVersionTransition", report, &reader) else { continue }
      if let days = t.noncurrentDays {
        if storageClass.isInfrequentAccess, days.value < StorageClass.infrequentAccessMinimumDays {
          report.fail(
            "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to "
              + "\(StorageClass.infrequentAccessMinimumDays) for storageClass '\(storageClass)' (got \(days.value))", at: days.node, &reader)
        } else if days.value < 0 {
          report.fail(
            "'NoncurrentDays' in NoncurrentVersionTransition action must not be negative (got \(days.value))", at: days.node, &reader)
        }
      }
      guard seenClasses.insert(storageClass).inserted else {
        report.fail(
          "'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' "
            + "(\(storageClass) appears more than once)", at: classValue.node, &reader)
        continue
      }
      if let days = t.noncurrentDays {
        steps.append(Step(time: .days(days.value), timeNode: days.node, storageClass: storageClass, classNode: classValue.node))
      }
    }
    checkWaterfall(steps, action: "NoncurrentVersionTransition", report, &reader)
  }

  /// `NoncurrentVersionExpiration` (§2.1, §2.4; vector §9 #17).
  ///
  /// `NoncurrentDays` is required and ≥ 1, and greater than every NoncurrentVersionTransition's.
  static func checkNoncurrentExpiration(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    guard let expiration = rule.noncurrentExpiration else { return }
    checkNewerNoncurrentVersions(expiration.newerNoncurrentVersions, rule, report, &reader)
    let positive = "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"
    guard let days = expiration.noncurrentDays else {
      if !expiration.damaged { report.fail("\(positive) (it is missing)", at: expiration.node, &reader) }
      return
    }
    guard days.value >= 1 else {
      report.fail("\(positive) (got \(days.value))", at: days.node, &reader)
      return
    }
    let transitions = rule.noncurrentTransitions.compactMap { t in
      t.noncurrentDays.map { (days: $0.value, storageClass: t.storageClass?.value) }
    }
    if let latest = transitions.max(by: { $0.days < $1.days }), days.value <= latest.days {
      let target = latest.storageClass.map { " to \($0)" } ?? ""
      report.fail(
        "'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '\(rule.domainFilter.awsDescription)' "
          + "must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action "
          + "(got \(days.value); the NoncurrentVersionTransition\(target) has NoncurrentDays \(latest.days))",
        at: days.node, &reader)
    }
  }

  /// `AbortIncompleteMultipartUpload`: `DaysAfterInitiation` ≥ 1, and no tag filter (§2.1, §2.4).
  static func checkAbort(_ rule: Wire.Rule, _ report: Report, _ reader: inout NodeReader) {
    guard let abort = rule.abort else { return }
    if hasTagFilter(rule) {
      report.fail("Tag-based filter cannot be used with AbortIncompleteMultipartUpload action", at: abort.node, &reader)
    }
    let positive = "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer"
    if let days = abort.daysAfterInitiation {
      if days.value < 1 { report.fail("\(positive) (got \(days.value))", at: days.node, &reader) }
    } else if !abort.damaged {
      report.fail("\(positive) (it is missing)", at: abort.node, &reader)
    }
  }
}
