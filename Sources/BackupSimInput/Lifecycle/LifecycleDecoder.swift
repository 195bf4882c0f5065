import BackupSimModel

/// Decodes a lifecycle configuration in AWS's own shape into a validated `LifecycleConfiguration`.
///
/// The input is the JSON that `aws s3api get-bucket-lifecycle-configuration` prints and
/// `put-bucket-lifecycle-configuration` takes (PascalCase keys, `Rules`, plural `Transitions`,
/// `TransitionDefaultMinimumObjectSize` beside `Rules`), inline in a scenario or read from a file;
/// the S3 XML document arrives here in the same shape through `XMLConfigParser`
/// (docs/s3-rules.md §2.1, §7.2). Also accepted: the document wrapped as
/// `{"LifecycleConfiguration": {...}}`, and the singular `Transition` / `NoncurrentVersionTransition`
/// objects of the old `put-bucket-lifecycle` API.
///
/// Every problem is reported, each at the node it is about: shape and type errors (unknown keys with
/// "did you mean", non-numbers) through `NodeReader`, and AWS's rejections (§2.4) through
/// `LifecycleValidator`. A rule without an `ID` gets `rule-N` (N = its 1-based position), as AWS
/// generates one too.
///
/// ```swift
/// var reader = NodeReader()
/// let node = try ConfigNode.parseYAML(json, file: "lifecycle.json")
/// if let config = LifecycleDecoder.decode(node, reader: &reader) { ... } else { throw ScenarioErrors(reader.errors) }
/// ```
public enum LifecycleDecoder {
  /// Decodes and validates `node`; returns nil when it added any error to `reader`.
  public static func decode(_ node: ConfigNode, reader: inout NodeReader) -> LifecycleConfiguration? {
    let errorsBefore = reader.errors.count
    var root = node
    if let pairs = node.pairs, pairs.count == 1, pairs[0].key.scalar == "LifecycleConfiguration" {
      root = pairs[0].value
    }
    guard let wire = readConfiguration(root, reader: &reader) else { return nil }
    LifecycleValidator.validate(wire, reader: &reader)
    guard reader.errors.count == errorsBefore else { return nil }
    return wire.configuration
  }

  static let configurationKeys = ["Rules", "TransitionDefaultMinimumObjectSize"]
  static let ruleKeys = [
    "ID", "Status", "Filter", "Prefix", "Expiration", "Transitions", "Transition",
    "NoncurrentVersionTransitions", "NoncurrentVersionTransition", "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload",
  ]
  static let filterKeys = ["Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And"]
  static let andKeys = ["Prefix", "Tags", "ObjectSizeGreaterThan", "ObjectSizeLessThan"]
  static let tagKeys = ["Key", "Value"]
  static let expirationKeys = ["Days", "Date", "ExpiredObjectDeleteMarker"]
  static let transitionKeys = ["Days", "Date", "StorageClass"]
  static let noncurrentTransitionKeys = ["NoncurrentDays", "StorageClass", "NewerNoncurrentVersions"]
  static let noncurrentExpirationKeys = ["NoncurrentDays", "NewerNoncurrentVersions"]
  static let abortKeys = ["DaysAfterInitiation"]

  private static func readConfiguration(_ node: ConfigNode, reader: inout NodeReader) -> Wire.Configuration? {
    guard let map = reader.mapping(node, allowed: configurationKeys, what: "lifecycle configuration") else { return nil }
    var config = Wire.Configuration(node: node)
    if let tdmos = map["TransitionDefaultMinimumObjectSize"] {
      let options = [
        LifecycleConfiguration.TransitionDefaultMinimumObjectSize.allStorageClasses128K,
        .variesByStorageClass,
      ].map { ($0.rawValue, $0) }
      if let value = reader.choice(tdmos, key: "TransitionDefaultMinimumObjectSize", options) {
        config.transitionDefaultMinimumObjectSize = value
      }
    }
    guard let rulesNode = reader.require(map, "Rules", in: "lifecycle configuration", at: node),
      let ruleNodes = reader.list(rulesNode, key: "Rules")
    else { return config }
    config.rulesNode = rulesNode
    if ruleNodes.isEmpty {
      reader.fail(.invalidValue(key: "Rules"), "'Rules' must contain at least one rule", at: rulesNode)
      return config
    }
    let ids = ruleIDs(ruleNodes)
    for (index, ruleNode) in ruleNodes.enumerated() {
      if let rule = readRule(ruleNode, index: index + 1, id: ids[index], reader: &reader) {
        config.rules.append(rule)
      }
    }
    return config
  }

  /// The ID of every rule: its own `ID` when it has a non-empty one, else `rule-N` (made unique).
  private static func ruleIDs(_ ruleNodes: [ConfigNode]) -> [String] {
    let explicit = ruleNodes.map { node -> String? in
      guard let id = node["ID"]?.scalar, !id.isEmpty else { return nil }
      return id
    }
    var taken = Set(explicit.compactMap { $0 })
    var out: [String] = []
    for (index, id) in explicit.enumerated() {
      if let id {
        out.append(id)
        continue
      }
      var candidate = "rule-\(index + 1)"
      var suffix = 2
      while taken.contains(candidate) {
        candidate = "rule-\(index + 1)-\(suffix)"
        suffix += 1
      }
      taken.insert(candidate)
      out.append(candidate)
    }
    return out
  }

  private static func readRule(_ node: ConfigNode, index: Int, id: String, reader: inout NodeReader) -> Wire.Rule? {
    let what = "rule '\(Wire.display(id))'"
    let errorsBefore = reader.errors.count
    guard let map = reader.mapping(node, allowed: ruleKeys, what: what) else { return nil }
    var rule = Wire.Rule(index: index, node: node, id: id)
    if let idNode = map["ID"], !idNode.isNull {
      if reader.string(idNode, key: "ID") != nil { rule.idNode = idNode }
    }
    if let status = map["Status"], !status.isNull {
      if let s = reader.string(status, key: "Status") { rule.status = Located(s, status) }
    }
    rule.damaged = reader.errors.count > errorsBefore
    if let prefix = map["Prefix"] {
      rule.legacyPrefix = readPrefix(prefix, reader: &reader)
    }
    if let filter = map["Filter"] {
      rule.filter = readFilter(filter, what: "Filter in \(what)", reader: &reader)
    }
    rule.hasAction = [
      "Expiration", "Transitions", "Transition", "NoncurrentVersionTransitions",
      "NoncurrentVersionTransition", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload",
    ].contains { map[$0] != nil }
    if let expiration = map["Expiration"] {
      rule.expiration = readExpiration(expiration, what: "Expiration in \(what)", reader: &reader)
    }
    // Singular (old API) and plural forms together, in document order.
    let transitionNodes = ["Transition", "Transitions"].compactMap { map[$0] }.sorted(by: Wire.documentOrder)
    for list in transitionNodes {
      for item in reader.oneOrMany(list) {
        if let t = readTransition(item, what: "Transition in \(what)", reader: &reader) { rule.transitions.append(t) }
      }
    }
    let noncurrentNodes = ["NoncurrentVersionTransition", "NoncurrentVersionTransitions"].compactMap { map[$0] }
      .sorted(by: Wire.documentOrder)
    for list in noncurrentNodes {
      for item in reader.oneOrMany(list) {
        if let t = readNoncurrentTransition(item, what: "NoncurrentVersionTransition in \(what)", reader: &reader) {
          rule.noncurrentTransitions.append(t)
        }
      }
    }
    if let nve = map["NoncurrentVersionExpiration"] {
      rule.noncurrentExpiration = readNoncurrentExpiration(nve, what: "NoncurrentVersionExpiration in \(what)", reader: &reader)
    }
    if let abort = map["AbortIncompleteMultipartUpload"] {
      rule.abort = readAbort(abort, what: "AbortIncompleteMultipartUpload in \(what)", reader: &reader)
    }
    return rule
  }

  /// A prefix; an empty YAML value or empty XML element is the empty prefix.
  private static func readPrefix(_ node: ConfigNode, reader: inout NodeReader) -> Located<String>? {
    if node.isNull { return Located("", node) }
    return reader.string(node, key: "Prefix").map { Located($0, node) }
  }

  /// An empty XML element (`<Filter/>`) or YAML value reads as an empty mapping.
  private static func mappingOrEmpty(_ node: ConfigNode, allowed: [String], what: String, reader: inout NodeReader) -> [String: ConfigNode]? {
    if node.isNull { return [:] }
    return reader.mapping(node, allowed: allowed, what: what)
  }

  private static func readFilter(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.Filter? {
    guard let map = mappingOrEmpty(node, allowed: filterKeys, what: what, reader: &reader) else { return nil }
    var filter = Wire.Filter(node: node)
    filter.predicates = (node.pairs ?? []).compactMap { pair in
      guard let name = pair.key.scalar, filterKeys.contains(name) else { return nil }
      return (name, pair.key)
    }
    readPredicates(map, into: &filter, reader: &reader)
    if let tag = map["Tag"] {
      if let t = readTag(tag, what: "Tag in \(what)", reader: &reader) { filter.tags.append(t) }
    }
    if let and = map["And"] {
      if let andMap = mappingOrEmpty(and, allowed: andKeys, what: "And in \(what)", reader: &reader) {
        readPredicates(andMap, into: &filter, reader: &reader)
        var names = ["Prefix", "ObjectSizeGreaterThan", "ObjectSizeLessThan"].filter { andMap[$0] != nil }
        if let tags = andMap["Tags"], let items = reader.list(tags, key: "Tags") {
          names += items.map { _ in "Tag" }
          for item in items {
            if let t = readTag(item, what: "Tags in \(what)", reader: &reader) { filter.tags.append(t) }
          }
        }
        filter.and = (and, names)
      }
    }
    return filter
  }

  /// `Prefix` and the size bounds, which `Filter` and `Filter.And` share.
  private static func readPredicates(_ map: [String: ConfigNode], into filter: inout Wire.Filter, reader: inout NodeReader) {
    if let prefix = map["Prefix"] { filter.prefix = readPrefix(prefix, reader: &reader) }
    if let gt = map["ObjectSizeGreaterThan"], let v = reader.int(gt, key: "ObjectSizeGreaterThan") {
      filter.sizeGreaterThan = Located(Int64(v), gt)
    }
    if let lt = map["ObjectSizeLessThan"], let v = reader.int(lt, key: "ObjectSizeLessThan") {
      filter.sizeLessThan = Located(Int64(v), lt)
    }
  }

  private static func readTag(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.Tag? {
    guard let map = reader.mapping(node, allowed: tagKeys, what: what),
      let keyNode = reader.require(map, "Key", in: what, at: node),
      let key = reader.string(keyNode, key: "Key")
    else { return nil }
    var value = ""
    if let valueNode = map["Value"], !valueNode.isNull {
      guard let v = reader.string(valueNode, key: "Value") else { return nil }
      value = v
    }
    return Wire.Tag(key: Located(key, keyNode), value: value)
  }

  private static func readExpiration(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.Expiration? {
    let errorsBefore = reader.errors.count
    guard let map = mappingOrEmpty(node, allowed: expirationKeys, what: what, reader: &reader) else { return nil }
    var expiration = Wire.Expiration(node: node)
    expiration.days = readInt(map["Days"], key: "Days", reader: &reader)
    expiration.date = readDate(map["Date"], reader: &reader)
    if let eodm = map["ExpiredObjectDeleteMarker"], !eodm.isNull,
      let v = reader.bool(eodm, key: "ExpiredObjectDeleteMarker")
    {
      expiration.expiredObjectDeleteMarker = Located(v, eodm)
    }
    expiration.damaged = reader.errors.count > errorsBefore
    return expiration
  }

  private static func readTransition(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.Transition? {
    let errorsBefore = reader.errors.count
    guard let map = mappingOrEmpty(node, allowed: transitionKeys, what: what, reader: &reader) else { return nil }
    var transition = Wire.Transition(node: node)
    transition.days = readInt(map["Days"], key: "Days", reader: &reader)
    transition.date = readDate(map["Date"], reader: &reader)
    transition.storageClass = readString(map["StorageClass"], key: "StorageClass", reader: &reader)
    transition.damaged = reader.errors.count > errorsBefore
    return transition
  }

  private static func readNoncurrentTransition(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.NoncurrentTransition? {
    let errorsBefore = reader.errors.count
    guard let map = mappingOrEmpty(node, allowed: noncurrentTransitionKeys, what: what, reader: &reader) else { return nil }
    var transition = Wire.NoncurrentTransition(node: node)
    transition.noncurrentDays = readInt(map["NoncurrentDays"], key: "NoncurrentDays", reader: &reader)
    transition.storageClass = readString(map["StorageClass"], key: "StorageClass", reader: &reader)
    transition.newerNoncurrentVersions = readInt(map["NewerNoncurrentVersions"], key: "NewerNoncurrentVersions", reader: &reader)
    transition.damaged = reader.errors.count > errorsBefore
    return transition
  }

  private static func readNoncurrentExpiration(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.NoncurrentExpiration? {
    let errorsBefore = reader.errors.count
    guard let map = mappingOrEmpty(node, allowed: noncurrentExpirationKeys, what: what, reader: &reader) else { return nil }
    var expiration = Wire.NoncurrentExpiration(node: node)
    expiration.noncurrentDays = readInt(map["NoncurrentDays"], key: "NoncurrentDays", reader: &reader)
    expiration.newerNoncurrentVersions = readInt(map["NewerNoncurrentVersions"], key: "NewerNoncurrentVersions", reader: &reader)
    expiration.damaged = reader.errors.count > errorsBefore
    return expiration
  }

  private static func readAbort(_ node: ConfigNode, what: String, reader: inout NodeReader) -> Wire.Abort? {
    let errorsBefore = reader.errors.count
    guard let map = mappingOrEmpty(node, allowed: abortKeys, what: what, reader: &reader) else { return nil }
    var abort = Wire.Abort(node: node)
    abort.daysAfterInitiation = readInt(map["DaysAfterInitiation"], key: "DaysAfterInitiation", reader: &reader)
    abort.damaged = reader.errors.count > errorsBefore
    return abort
  }

  /// The largest `Days`, `NoncurrentDays`, `NewerNoncurrentVersions` or `DaysAfterInitiation`: S3 types
  /// them as 32-bit integers and refuses anything larger (docs/s3-rules.md §2.1).
  static let maxLifecycleInteger = Int(Int32.max)

  /// An optional whole number; a null value counts as absent.
  ///
  /// Above S3's 32-bit limit it is an error here, so that no later check or due-date computation sees it.
  private static func readInt(_ node: ConfigNode?, key: String, reader: inout NodeReader) -> Located<Int>? {
    guard let node, !node.isNull, let v = reader.int(node, key: key) else { return nil }
    guard v <= maxLifecycleInteger else {
      reader.fail("'\(key)' must be at most \(maxLifecycleInteger), S3's 32-bit limit (got \(v))", at: node, key: key)
      return nil
    }
    return Located(v, node)
  }

  private static func readString(_ node: ConfigNode?, key: String, reader: inout NodeReader) -> Located<String>? {
    guard let node, !node.isNull, let v = reader.string(node, key: key) else { return nil }
    return Located(v, node)
  }

  private static func readDate(_ node: ConfigNode?, reader: inout NodeReader) -> Located<Wire.Date>? {
    guard let node, !node.isNull, let text = reader.string(node, key: "Date") else { return nil }
    guard let date = Wire.Date(iso8601: text) else {
      reader.fail(
        "'Date' must be an ISO 8601 date such as 2027-01-01 or 2027-01-01T00:00:00Z (got '\(text)')",
        at: node, key: "Date")
      return nil
    }
    return Located(date, node)
  }
}

extension LifecycleDecoder {
  typealias Located<Value> = Wire.Located<Value>

  /// The lifecycle document as written, before AWS's rules are checked (docs/s3-rules.md §2.1).
  ///
  /// Every field keeps its node; nothing here is known to be valid yet. `LifecycleValidator` checks it
  /// and `configuration` converts it once no error was found.
  enum Wire {
    /// A decoded value and the node it came from, so that validation can point at it.
    struct Located<Value> {
      var value: Value
      var node: ConfigNode
      init(_ value: Value, _ node: ConfigNode) {
        self.value = value
        self.node = node
      }
      var location: SourceLocation { node.location }
    }

    struct Configuration {
      var node: ConfigNode
      var rulesNode: ConfigNode?
      var rules: [Rule] = []
      var transitionDefaultMinimumObjectSize = LifecycleConfiguration.TransitionDefaultMinimumObjectSize.allStorageClasses128K

      init(node: ConfigNode) { self.node = node }
    }

    struct Rule {
      /// 1-based position in `Rules`.
      var index: Int
      var node: ConfigNode
      /// The rule's own ID, or the generated one.
      var id: String
      /// Nil when the ID was generated.
      var idNode: ConfigNode?
      var status: Located<String>?
      var filter: Filter?
      /// The legacy ("V1") top-level `Prefix`.
      var legacyPrefix: Located<String>?
      /// Whether any action key is present at all (even if its content is wrong).
      var hasAction = false
      /// Whether reading the rule's own keys failed (an unknown key, say): "missing" checks stay quiet then.
      var damaged = false
      var expiration: Expiration?
      var transitions: [Transition] = []
      var noncurrentTransitions: [NoncurrentTransition] = []
      var noncurrentExpiration: NoncurrentExpiration?
      var abort: Abort?

      init(index: Int, node: ConfigNode, id: String) {
        self.index = index
        self.node = node
        self.id = id
      }

      /// The filter as the domain type; also how AWS names it in messages, for example "(prefix=db/)".
      var domainFilter: LifecycleFilter {
        LifecycleFilter(
          prefix: filter?.prefix?.value ?? legacyPrefix?.value ?? "",
          tags: filter?.tags.map { ObjectTag(key: $0.key.value, value: $0.value) } ?? [],
          objectSizeGreaterThan: filter?.sizeGreaterThan?.value,
          objectSizeLessThan: filter?.sizeLessThan?.value)
      }
    }

    struct Filter {
      var node: ConfigNode
      /// The keys written directly in `Filter`, in document order (more than one is an error).
      var predicates: [(name: String, key: ConfigNode)] = []
      /// From `Prefix` or `And.Prefix`.
      var prefix: Located<String>?
      /// From `Tag` or `And.Tags`.
      var tags: [Tag] = []
      var sizeGreaterThan: Located<Int64>?
      var sizeLessThan: Located<Int64>?
      /// `And` when it read as a mapping, and the predicates written in it (a `Tag` for each tag).
      var and: (node: ConfigNode, predicates: [String])?

      init(node: ConfigNode) { self.node = node }
    }

    struct Tag {
      var key: Located<String>
      var value: String
    }

    /// A `Date` value: the instant it names and whether it had a non-zero fraction of a second.
    struct Date: Equatable {
      var time: SimTime
      var hasFraction: Bool

      /// Whether this is exactly 00:00:00 UTC.
      var isMidnightUTC: Bool { time.isMidnight && !hasFraction }

      /// Parses `2027-01-01`, `2027-01-01T00:00:00Z`, `...00.000Z`, `...00+00:00` (also `+0000`, or no zone = UTC).
      init?(iso8601 text: String) {
        var s = Substring(text)
        func number(_ count: Int) -> Int? {
          guard s.count >= count else { return nil }
          let digits = s.prefix(count)
          guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
          s = s.dropFirst(count)
          return n
        }
        func take(_ c: Character) -> Bool {
          guard s.first == c else { return false }
          s = s.dropFirst()
          return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2) else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        var fraction = false
        if take("T") || take("t") {
          guard let h = number(2), take(":"), let m = number(2), h < 24, m < 60 else { return nil }
          hour = h
          minute = m
          if take(":") {
            guard let sec = number(2), sec < 60 else { return nil }
            second = sec
            if take(".") {
              let digits = s.prefix { $0.isASCII && $0.isNumber }
              guard !digits.isEmpty else { return nil }
              fraction = digits.contains { $0 != "0" }
              s = s.dropFirst(digits.count)
            }
          }
          if take("Z") || take("z") {
          } else if let sign = s.first, sign == "+" || sign == "-" {
            s = s.dropFirst()
            guard let oh = number(2), oh < 24 else { return nil }
            _ = take(":")
            guard let om = number(2), om < 60 else { return nil }
            offset = (sign == "+" ? 1 : -1) * (oh * 3600 + om * 60)
          }
        }
        guard s.isEmpty else { return nil }
        time = SimTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second) - Int64(offset)
        hasFraction = fraction
      }
    }

    struct Expiration {
      var node: ConfigNode
      /// Whether reading it reported an error; then "missing" checks stay quiet.
      var damaged = false
      var days: Located<Int>?
      var date: Located<Date>?
      var expiredObjectDeleteMarker: Located<Bool>?
      init(node: ConfigNode) { self.node = node }
    }

    struct Transition {
      var node: ConfigNode
      /// Whether reading it reported an error; then "missing" checks stay quiet.
      var damaged = false
      var days: Located<Int>?
      var date: Located<Date>?
      var storageClass: Located<String>?
      init(node: ConfigNode) { self.node = node }
    }

    struct NoncurrentTransition {
      var node: ConfigNode
      /// Whether reading it reported an error; then "missing" checks stay quiet.
      var damaged = false
      var noncurrentDays: Located<Int>?
      var storageClass: Located<String>?
      var newerNoncurrentVersions: Located<Int>?
      init(node: ConfigNode) { self.node = node }
    }

    struct NoncurrentExpiration {
      var node: ConfigNode
      /// Whether reading it reported an error; then "missing" checks stay quiet.
      var damaged = false
      var noncurrentDays: Located<Int>?
      var newerNoncurrentVersions: Located<Int>?
      init(node: ConfigNode) { self.node = node }
    }

    struct Abort {
      var node: ConfigNode
      /// Whether reading it reported an error; then "missing" checks stay quiet.
      var damaged = false
      var daysAfterInitiation: Located<Int>?
      init(node: ConfigNode) { self.node = node }
    }

    /// How a rule ID appears in messages: in full up to 64 characters, else shortened.
    static func display(_ id: String) -> String {
      id.count <= 64 ? id : String(id.prefix(61)) + "..."
    }

    static func documentOrder(_ a: ConfigNode, _ b: ConfigNode) -> Bool {
      (a.location.line, a.location.column) < (b.location.line, b.location.column)
    }
  }
}

extension LifecycleDecoder.Wire.Configuration {
  /// The domain value; only meaningful once `LifecycleValidator` found nothing wrong.
  var configuration: LifecycleConfiguration {
    LifecycleConfiguration(
      rules: rules.map(\.domainRule),
      transitionDefaultMinimumObjectSize: transitionDefaultMinimumObjectSize)
  }
}

extension LifecycleDecoder.Wire.Rule {
  fileprivate var domainRule: LifecycleRule {
    func when(days: LifecycleDecoder.Located<Int>?, date: LifecycleDecoder.Located<LifecycleDecoder.Wire.Date>?) -> LifecycleRule.When? {
      if let days { return .days(days.value) }
      if let date { return .date(date.value.time) }
      return nil
    }
    var domainExpiration: LifecycleRule.Expiration?
    if let expiration {
      if let w = when(days: expiration.days, date: expiration.date) {
        domainExpiration = .after(w)
      } else if expiration.expiredObjectDeleteMarker?.value == true {
        domainExpiration = .expiredObjectDeleteMarker
      }
    }
    return LifecycleRule(
      id: id,
      enabled: status?.value == "Enabled",
      filter: domainFilter,
      expiration: domainExpiration,
      transitions: transitions.compactMap { t in
        guard let w = when(days: t.days, date: t.date), let c = t.storageClass.flatMap({ StorageClass(rawValue: $0.value) })
        else { return nil }
        return LifecycleRule.Transition(when: w, storageClass: c)
      },
      noncurrentTransitions: noncurrentTransitions.compactMap { t in
        guard let days = t.noncurrentDays, let c = t.storageClass.flatMap({ StorageClass(rawValue: $0.value) })
        else { return nil }
        return LifecycleRule.NoncurrentTransition(
          noncurrentDays: days.value, storageClass: c, newerNoncurrentVersions: t.newerNoncurrentVersions?.value)
      },
      noncurrentExpiration: noncurrentExpiration.flatMap { e in
        e.noncurrentDays.map {
          LifecycleRule.NoncurrentExpiration(noncurrentDays: $0.value, newerNoncurrentVersions: e.newerNoncurrentVersions?.value)
        }
      },
      abortIncompleteMultipartUploadDays: abort?.daysAfterInitiation?.value)
  }
}
