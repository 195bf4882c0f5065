import BackupSimModel

// MARK: - Decoding

extension PolicyDocument {
  static let documentKeys = ["Version", "Id", "Statement"]
  static let statementKeys = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]
  static let principalKeys = ["AWS", "Service", "Federated", "CanonicalUser"]
  static let versions = ["2012-10-17", "2008-10-17"]

  /// Decodes a policy in AWS's JSON shape; returns nil when it added any error to `reader`.
  ///
  /// Accepts the document itself or the wrappers the AWS CLI prints: `{"PolicyDocument": {...}}`
  /// (`get-user-policy`), `{"PolicyVersion": {"Document": {...}}}` (`get-policy-version`) and
  /// `{"Policy": "<JSON text>"}` (`get-bucket-policy`). `Statement` is one object or a list; `Action`,
  /// `Resource` and their `Not` forms are a string or a list; `Principal` is `"*"` or
  /// `{"AWS": one or many}`; `Condition` is `{operator: {key: value or list}}` (docs/s3-rules.md §5.5).
  /// Unknown keys and misspelt effects are errors with a location and a "did you mean"; unknown condition
  /// operators, condition keys and S3 actions are warnings (the evaluator reads them in the attacker's favour).
  public static func decode(_ node: ConfigNode, kind: Kind, reader: inout NodeReader) -> PolicyDocument? {
    let errorsBefore = reader.errors.count
    guard let root = unwrap(node, reader: &reader) else { return nil }
    // Checked before decoding: an 11 MB policy of 100,001 statements would otherwise be read (and run).
    let size = compactSize(root), limit = maxSize(kind)
    if size > limit.characters {
      reader.fail(
        .invalidValue(key: "Statement"),
        "the policy is \(size) characters without whitespace; \(limit.source) allows at most \(limit.characters)", at: root)
      return nil
    }
    guard let map = reader.mapping(root, allowed: documentKeys, what: "policy") else { return nil }
    var version: String?
    if let v = map["Version"], !v.isNull {
      version = reader.choice(v, key: "Version", versions.map { ($0, $0) })
    }
    var id: String?
    if let i = map["Id"], !i.isNull { id = reader.string(i, key: "Id") }
    var statements: [PolicyStatement] = []
    if let stNode = reader.require(map, "Statement", in: "policy", at: root) {
      let items = reader.oneOrMany(stNode)
      if items.isEmpty { reader.fail(.invalidValue(key: "Statement"), "'Statement' must contain at least one statement", at: stNode) }
      var sids: Set<String> = []
      for (index, item) in items.enumerated() {
        let what = "statement \(index + 1)"
        guard let st = decodeStatement(item, what: what, kind: kind, version: version, reader: &reader) else { continue }
        if let sid = st.sid, !sid.isEmpty, !sids.insert(sid).inserted {
          reader.fail("two statements have Sid '\(sid)'; Sids must be unique within a policy", at: item["Sid"] ?? item, key: "Sid")
        }
        statements.append(st)
      }
    }
    guard reader.errors.count == errorsBefore else { return nil }
    return PolicyDocument(version: version, id: id, statements: statements)
  }

  /// IAM's size limits (IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
  /// a bucket policy at most 20 KB; an identity policy 6,144 characters when managed (2,048 for all of
  /// a user's inline policies together).
  ///
  /// A scenario does not say whether a policy is managed or
  /// inline, so identity policies get the larger, managed limit. IAM does not count whitespace.
  static func maxSize(_ kind: Kind) -> (characters: Int, source: String) {
    switch kind {
    case .identity: return (6_144, "IAM's quota for a managed policy")
    case .bucket: return (20_480, "S3's 20 KB quota for a bucket policy")
    }
  }

  /// The node's length as compact JSON, whitespace not counted (as IAM measures a policy).
  static func compactSize(_ node: ConfigNode) -> Int {
    func text(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) } }
    switch node.kind {
    case .null: return 4
    case .scalar(let s, let quoted):
      let bare = !quoted && (s == "true" || s == "false" || Double(s) != nil)
      return text(s) + (bare ? 0 : 2)
    case .sequence(let items):
      return 2 + max(0, items.count - 1) + items.reduce(0) { $0 + compactSize($1) }
    case .mapping(let pairs):
      return 2 + max(0, pairs.count - 1) + pairs.reduce(0) { $0 + compactSize($1.key) + 1 + compactSize($1.value) }
    }
  }

  private static func unwrap(_ node: ConfigNode, reader: inout NodeReader) -> ConfigNode? {
    guard let pairs = node.pairs, node["Statement"] == nil else { return node }
    if let doc = node["PolicyDocument"] { return doc }
    if let doc = node["PolicyVersion"]?["Document"] { return doc }
    if pairs.count == 1, let text = node["Policy"], let json = text.scalar {
      do {
        return try JSONConfigParser.parse(json, file: "\(text.location) (Policy)")
      } catch {
        reader.errors.append(error)
        return nil
      }
    }
    return node
  }

  private static func decodeStatement(
    _ node: ConfigNode, what: String, kind: Kind, version: String?, reader: inout NodeReader
  ) -> PolicyStatement? {
    let errorsBefore = reader.errors.count
    guard let map = reader.mapping(node, allowed: statementKeys, what: what) else { return nil }
    var sid: String?
    if let s = map["Sid"], !s.isNull { sid = reader.string(s, key: "Sid") }
    let label = sid.map { "statement '\($0)'" } ?? what
    var effect: PolicyStatement.Effect?
    if let e = reader.require(map, "Effect", in: label, at: node) {
      effect = reader.choice(e, key: "Effect", PolicyStatement.Effect.allCases.map { ($0.rawValue, $0) })
    }
    let actions = exclusivePair(map, "Action", "NotAction", in: label, at: node, reader: &reader) { item, key, reader in
      checkAction(item, key: key, reader: &reader)
    }
    let resources = exclusivePair(map, "Resource", "NotResource", in: label, at: node, reader: &reader) { item, key, reader in
      guard let s = reader.string(item, key: key) else { return nil }
      if s != "*" && !s.hasPrefix("arn:") {
        reader.fail("'\(key)' must be \"*\" or an ARN such as arn:aws:s3:::BUCKET/* (got '\(s)')", at: item, key: key)
        return nil
      }
      if s != "*" && s.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).count < 6 {
        reader.warnings.append(
          ScenarioError(
            .invalidValue(key: key),
            "'\(s)' has fewer than six ':'-separated parts, so it matches no ARN (a wildcard never spans ':'); write e.g. arn:aws:s3:::*",
            at: item.location))
      }
      if s.contains("${") && version != PolicyDocument.currentVersion {
        reader.warnings.append(
          ScenarioError(
            .invalidValue(key: key), "'\(s)' contains a policy variable, which is literal text without Version \"2012-10-17\"",
            at: item.location))
      }
      return s
    }
    var principal: PolicyStatement.PrincipalMatch?
    let p = map["Principal"], np = map["NotPrincipal"]
    switch kind {
    case .identity:
      for (name, n) in [("Principal", p), ("NotPrincipal", np)] {
        if let n {
          reader.fail(
            .invalidValue(key: name), "an identity policy names no '\(name)' (it applies to whoever holds it); only bucket policies do", at: n)
        }
      }
    case .bucket:
      if p != nil, let np {
        reader.fail(.invalidValue(key: "NotPrincipal"), "\(label) has both 'Principal' and 'NotPrincipal'; use one", at: np)
      } else if let p {
        principal = decodePrincipals(p, key: "Principal", reader: &reader).map { .only($0) }
      } else if let np {
        if effect == .allow {
          reader.fail(.invalidValue(key: "NotPrincipal"), "'NotPrincipal' works only with \"Effect\": \"Deny\"", at: np)
        }
        principal = decodePrincipals(np, key: "NotPrincipal", reader: &reader).map { .allExcept($0) }
      } else {
        reader.fail(
          .missingKey("Principal"),
          "\(label) of a bucket policy needs 'Principal' (e.g. {\"AWS\": \"arn:aws:iam::111122223333:user/backup\"} or \"*\")", at: node)
      }
    }
    var conditions: [Condition] = []
    if let c = map["Condition"], !c.isNull { conditions = decodeConditions(c, reader: &reader) }
    guard reader.errors.count == errorsBefore, let effect, let actions, let resources else { return nil }
    return PolicyStatement(sid: sid, effect: effect, actions: actions, resources: resources, principal: principal, conditions: conditions)
  }

  /// Reads `Action`/`NotAction` (or `Resource`/`NotResource`): exactly one of the two, a string or a list.
  private static func exclusivePair(
    _ map: [String: ConfigNode], _ positive: String, _ negative: String, in label: String, at node: ConfigNode,
    reader: inout NodeReader, item check: (ConfigNode, String, inout NodeReader) -> String?
  ) -> PolicyStatement.Patterns? {
    let pos = map[positive], neg = map[negative]
    if pos != nil, let neg {
      reader.fail(.invalidValue(key: negative), "\(label) has both '\(positive)' and '\(negative)'; use one", at: neg)
      return nil
    }
    guard let (key, value) = pos.map({ (positive, $0) }) ?? neg.map({ (negative, $0) }) else {
      reader.fail(.missingKey(positive), "\(label) needs '\(positive)' or '\(negative)'", at: node)
      return nil
    }
    let items = reader.oneOrMany(value)
    if items.isEmpty {
      reader.fail("'\(key)' must name at least one value", at: value, key: key)
      return nil
    }
    var out: [String] = []
    var ok = true
    for item in items {
      if let s = check(item, key, &reader) { out.append(s) } else { ok = false }
    }
    guard ok else { return nil }
    return key == positive ? .only(out) : .allExcept(out)
  }

  private static func checkAction(_ item: ConfigNode, key: String, reader: inout NodeReader) -> String? {
    guard let s = reader.string(item, key: key) else { return nil }
    if s == "*" { return s }
    let parts = s.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
      reader.fail("'\(key)' must be \"*\" or service:action such as s3:PutObject (got '\(s)')", at: item, key: key)
      return nil
    }
    if parts[0].lowercased() == "s3" && !s.contains("*") && !s.contains("?") {
      let name = String(parts[1])
      if !S3Operation.knownS3Actions.contains(where: { $0.lowercased() == name.lowercased() }) {
        var message = "'\(s)' is not an S3 action this simulator knows; it matches no request"
        if let guess = NodeReader.nearest(to: name, in: S3Operation.knownS3Actions) { message += "; did you mean 's3:\(guess)'?" }
        reader.warnings.append(ScenarioError(.invalidValue(key: key), message, at: item.location))
      }
    }
    return s
  }

  private static func decodePrincipals(_ node: ConfigNode, key: String, reader: inout NodeReader) -> PolicyStatement.Principals? {
    if let s = node.scalar {
      if s == "*" { return PolicyStatement.Principals(everyone: true) }
      reader.fail("'\(key)' must be \"*\" or a mapping such as {\"AWS\": \"arn:aws:iam::111122223333:root\"} (got '\(s)')", at: node, key: key)
      return nil
    }
    guard let map = reader.mapping(node, allowed: principalKeys, what: "'\(key)'") else { return nil }
    var out = PolicyStatement.Principals()
    var ok = true
    for name in principalKeys {
      guard let v = map[name] else { continue }
      for item in reader.oneOrMany(v) {
        guard let s = reader.string(item, key: "\(key).\(name)") else {
          ok = false
          continue
        }
        if name != "AWS" {
          out.others.append(s)
        } else if s == "*" {
          out.everyone = true
        } else if s.count == 12 && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) {
          out.aws.append("arn:aws:iam::\(s):root")
        } else if s.hasPrefix("arn:") && !s.contains("*") && !s.contains("?") {
          out.aws.append(s)
        } else {
          reader.fail("'\(key)' AWS principals are \"*\", a 12-digit account ID or an ARN without wildcards (got '\(s)')", at: item, key: key)
          ok = false
        }
      }
    }
    return ok ? out : nil
  }

  private static func decodeConditions(_ node: ConfigNode, reader: inout NodeReader) -> [Condition] {
    guard let ops = node.pairs else {
      reader.fail(
        "'Condition' must be a mapping of operators, such as {\"StringEquals\": {\"s3:x-amz-storage-class\": \"STANDARD\"}}, not \(node.typeName)",
        at: node, key: "Condition")
      return []
    }
    var out: [Condition] = []
    for (opNode, block) in ops {
      guard let opName = reader.string(opNode, key: "Condition") else { continue }
      let parsed = Condition.parseOperator(opName)
      if parsed.op == nil {
        var message = "unknown condition operator '\(opName)'; it is read in the attacker's favour (satisfied in Allow, not in Deny)"
        let candidates = Condition.Operator.allCases.map(\.rawValue)
        if let guess = NodeReader.nearest(to: parsed.base, in: candidates), guess != parsed.base {
          let prefix = parsed.qualifier.map { $0.rawValue + ":" } ?? ""
          message += "; did you mean '\(prefix)\(guess)\(parsed.ifExists ? "IfExists" : "")'?"
        } else if parsed.base == "Null" && parsed.ifExists {
          message += "; 'Null' takes no IfExists"
        }
        reader.warnings.append(ScenarioError(.invalidValue(key: "Condition"), message, at: opNode.location))
      }
      guard let keys = block.pairs else {
        reader.fail("'\(opName)' must map condition keys to values, not \(block.typeName)", at: block, key: opName)
        continue
      }
      for (keyNode, valueNode) in keys {
        guard let key = reader.string(keyNode, key: opName) else { continue }
        if !Condition.isKnownKey(key) {
          var message = "condition key '\(key)' is not one this simulator knows; it is read in the attacker's favour unless the request carries it"
          if let guess = NodeReader.nearest(to: key, in: Condition.knownKeys) { message += "; did you mean '\(guess)'?" }
          reader.warnings.append(ScenarioError(.unknownKey(key), message, at: keyNode.location))
        }
        var values: [String] = []
        let items = reader.oneOrMany(valueNode)
        if items.isEmpty { reader.fail("'\(key)' under '\(opName)' needs at least one value", at: valueNode, key: key) }
        for item in items {
          if let s = item.scalar {
            values.append(s)
            if let op = parsed.op, let expected = expectedValue(op, s) {
              reader.fail("'\(opName)' takes \(expected) (got '\(s)')", at: item, key: key)
            }
          } else {
            reader.fail("condition values must be strings, numbers or booleans, not \(item.typeName)", at: item, key: key)
          }
        }
        if parsed.op == .null, let bad = values.first(where: { !["true", "false"].contains($0.lowercased()) }) {
          reader.fail("'Null' takes true or false (got '\(bad)')", at: valueNode, key: key)
        }
        out.append(Condition(operatorName: opName, key: key, values: values))
      }
    }
    return out
  }

  /// What a value of `op` must be, when `value` is not that; nil when it is, or when `op` takes any text.
  ///
  /// IAM checks a value against its operator's type and refuses the policy when it does not parse
  /// (reference_policies_elements_condition_operators.html): `255.256.256.256` under `IpAddress` is an
  /// error, not a condition that matches nothing. Policy variables are allowed only with string and ARN
  /// operators, so `${...}` fails the other types too. How strictly IAM reads ARN values is UNCONFIRMED
  /// (docs/s3-rules.md §5.5): only a value that cannot be an ARN pattern is refused.
  static func expectedValue(_ op: Condition.Operator, _ value: String) -> String? {
    switch op {
    case .ipAddress, .notIpAddress:
      return IPBlock(value) == nil ? "an IPv4 or IPv6 address or CIDR block such as 203.0.113.0/24" : nil
    case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
      return PolicyDate.seconds(value) == nil ? "a date such as 2027-06-15T00:00:00Z or epoch seconds" : nil
    case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan,
      .numericGreaterThanEquals:
      return isNumber(value) ? nil : "a number such as 30"
    case .bool:
      return ["true", "false"].contains(value.lowercased()) ? nil : "true or false"
    case .arnEquals, .arnNotEquals, .arnLike, .arnNotLike:
      let arn = value.hasPrefix("arn:") && value.split(separator: ":", omittingEmptySubsequences: false).count >= 6
      return arn || value == "*" || value.contains("${") ? nil : "an ARN such as arn:aws:iam::111122223333:user/backup"
    default:
      return nil
    }
  }

  /// An integer or decimal, optionally negative (`30`, `-1`, `2.5`); not `1e3`, `inf` or `nan`, which `Double` reads.
  private static func isNumber(_ text: String) -> Bool {
    let unsigned = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
    let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
  }
}
