/// An IAM policy — an identity policy or a bucket policy — in the shape of AWS's policy JSON.
///
/// A document is a list of statements; `PolicyEvaluator` combines the statements of every policy that
/// applies to a request (reference/s3-semantics.md §5.5). `Version` "2012-10-17" turns on policy
/// variables such as `${aws:username}`; without it (AWS's default is "2008-10-17") `${...}` is literal text.
///
/// ```swift
/// var reader = NodeReader()
/// let node = try ConfigNode.parseYAML(json, file: "put-only.json")
/// guard let policy = PolicyDocument.decode(node, kind: .identity, reader: &reader) else { throw ScenarioErrors(reader.errors) }
/// ```
public struct PolicyDocument: Sendable, Equatable {
  /// Where the policy is attached; it decides whether statements name a `Principal`.
  public enum Kind: Sendable, Equatable {
    /// Attached to a user, group or role: statements have no `Principal`.
    case identity
    /// A bucket policy (a resource policy): every statement has `Principal` or `NotPrincipal`.
    case bucket
  }

  /// The policy language version that enables policy variables (`${aws:username}`).
  public static let currentVersion = "2012-10-17"

  public var version: String?
  public var id: String?
  public var statements: [PolicyStatement]

  public init(version: String? = PolicyDocument.currentVersion, id: String? = nil, statements: [PolicyStatement]) {
    self.version = version
    self.id = id
    self.statements = statements
  }

  /// Whether `${...}` in resources and condition values is substituted (only with `Version: 2012-10-17`).
  public var substitutesPolicyVariables: Bool { version == Self.currentVersion }
}

/// One statement of a policy: effect, actions, resources, (for bucket policies) principals and conditions.
///
/// `Action`/`NotAction` and `Resource`/`NotResource` are exclusive pairs; the `Not` forms match everything
/// except the listed patterns (reference/s3-semantics.md §5.5). A statement applies to a request only when
/// all four parts match; a statement whose conditions do not hold never denies by itself.
public struct PolicyStatement: Sendable, Equatable {
  /// `Allow` or `Deny`, spelled exactly as AWS does.
  public enum Effect: String, Sendable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
  }

  /// The listed patterns (`Action`, `Resource`) or everything but them (`NotAction`, `NotResource`).
  public enum Patterns: Sendable, Equatable {
    case only([String])
    case allExcept([String])
  }

  /// The principals one `Principal` element names: `"*"`, or ARNs under `AWS` (a 12-digit account ID is
  /// stored as the account root ARN), and names under `Service`, `Federated` or `CanonicalUser`.
  public struct Principals: Sendable, Equatable {
    public var everyone: Bool
    public var aws: [String]
    public var others: [String]

    public init(everyone: Bool = false, aws: [String] = [], others: [String] = []) {
      self.everyone = everyone
      self.aws = aws
      self.others = others
    }
  }

  /// `Principal` (the listed principals) or `NotPrincipal` (everyone but them).
  public enum PrincipalMatch: Sendable, Equatable {
    case only(Principals)
    case allExcept(Principals)
  }

  public var sid: String?
  public var effect: Effect
  public var actions: Patterns
  public var resources: Patterns
  /// Only in bucket policies; nil in identity policies.
  public var principal: PrincipalMatch?
  /// All must hold (AND); see `Condition`.
  public var conditions: [Condition]

  public init(
    sid: String? = nil, effect: Effect, actions: Patterns, resources: Patterns, principal: PrincipalMatch? = nil,
    conditions: [Condition] = []
  ) {
    self.sid = sid
    self.effect = effect
    self.actions = actions
    self.resources = resources
    self.principal = principal
    self.conditions = conditions
  }
}

/// One test of a statement's `Condition` block: an operator applied to one condition key and its values.
///
/// `{"StringEquals": {"s3:x-amz-storage-class": ["STANDARD", "STANDARD_IA"]}}` is one `Condition` whose values
/// are alternatives (OR); several keys or operators in a block are separate conditions that must all hold
/// (AND). Operators may carry a set qualifier (`ForAnyValue:`, `ForAllValues:`) and the `IfExists` suffix.
/// Keys are case-insensitive; values are kept as written, so YAML numbers and bools become strings
/// (reference/s3-semantics.md §5.5).
public struct Condition: Sendable, Equatable {
  /// How a condition treats a key that carries several values in the request.
  public enum SetQualifier: String, Sendable, CaseIterable {
    /// At least one request value must satisfy the operator; an absent key fails.
    case forAnyValue = "ForAnyValue"
    /// Every request value must satisfy the operator; an absent key passes.
    case forAllValues = "ForAllValues"
  }

  /// A condition operator without its qualifier and `IfExists` suffix.
  public enum Operator: String, Sendable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case numericEquals = "NumericEquals"
    case numericNotEquals = "NumericNotEquals"
    case numericLessThan = "NumericLessThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThan = "NumericGreaterThan"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case dateEquals = "DateEquals"
    case dateNotEquals = "DateNotEquals"
    case dateLessThan = "DateLessThan"
    case dateLessThanEquals = "DateLessThanEquals"
    case dateGreaterThan = "DateGreaterThan"
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    case bool = "Bool"
    case binaryEquals = "BinaryEquals"
    case ipAddress = "IpAddress"
    case notIpAddress = "NotIpAddress"
    case arnEquals = "ArnEquals"
    case arnNotEquals = "ArnNotEquals"
    case arnLike = "ArnLike"
    case arnNotLike = "ArnNotLike"
    case null = "Null"

    /// Negated operators hold when no policy value matches — and when the key is absent.
    public var isNegated: Bool {
      switch self {
      case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
        .notIpAddress, .arnNotEquals, .arnNotLike:
        return true
      default:
        return false
      }
    }
  }

  /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
  public var operatorName: String
  /// nil when the operator is not one AWS documents; the evaluator then reads the condition in the attacker's favour.
  public var op: Operator?
  public var qualifier: SetQualifier?
  public var ifExists: Bool
  /// The condition key as written, e.g. `s3:x-amz-storage-class`.
  public var key: String
  /// Alternatives: the condition holds when any of them matches (for negated operators: when none does).
  public var values: [String]

  /// Splits `operatorName` into qualifier, operator and `IfExists`.
  public init(operatorName: String, key: String, values: [String]) {
    self.operatorName = operatorName
    self.key = key
    self.values = values
    let parsed = Self.parseOperator(operatorName)
    self.qualifier = parsed.qualifier
    self.op = parsed.op
    self.ifExists = parsed.ifExists
  }

  /// The parts of an operator name; `op` is nil when the base name is unknown (or `NullIfExists`).
  static func parseOperator(_ name: String) -> (qualifier: SetQualifier?, op: Operator?, ifExists: Bool, base: String) {
    var rest = Substring(name)
    var qualifier: SetQualifier?
    for q in SetQualifier.allCases where rest.hasPrefix(q.rawValue + ":") {
      qualifier = q
      rest = rest.dropFirst(q.rawValue.count + 1)
    }
    var ifExists = false
    if rest.hasSuffix("IfExists") {
      ifExists = true
      rest = rest.dropLast("IfExists".count)
    }
    let base = String(rest)
    var op = Operator(rawValue: base)
    if op == .null && ifExists { op = nil }
    return (qualifier, op, ifExists, base)
  }

  /// The canonical form of a condition key: lowercased, except the part after `/` (a tag key) which is case-sensitive.
  public static func normalizedKey(_ key: String) -> String {
    guard let slash = key.firstIndex(of: "/") else { return key.lowercased() }
    return key[..<slash].lowercased() + key[slash...]
  }

  /// The condition keys the evaluator understands (reference/s3-semantics.md §5.5), as documented.
  public static let knownKeys: [String] = [
    "s3:x-amz-storage-class", "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-acl", "s3:RequestObjectTagKeys",
    "s3:object-lock-mode", "s3:object-lock-retain-until-date", "s3:object-lock-remaining-retention-days",
    "s3:object-lock-legal-hold", "s3:if-none-match", "s3:if-match", "s3:ObjectCreationOperation", "s3:prefix",
    "s3:delimiter", "s3:max-keys", "s3:versionid", "s3:x-amz-copy-source", "s3:TlsVersion", "s3:signatureversion",
    "aws:SourceIp", "aws:SecureTransport", "aws:SourceVpce", "aws:PrincipalArn", "aws:PrincipalAccount",
    "aws:PrincipalOrgID", "aws:userid", "aws:username", "aws:CurrentTime", "aws:RequestedRegion",
    "aws:MultiFactorAuthPresent",
  ]

  /// Known keys that take a suffix (`s3:RequestObjectTag/<tag key>`).
  public static let knownKeyPrefixes: [String] = ["s3:RequestObjectTag/"]

  private static let knownNormalized: Set<String> = Set(knownKeys.map { $0.lowercased() })
  private static let knownPrefixesNormalized: [String] = knownKeyPrefixes.map { $0.lowercased() }

  /// Whether `key` (any case) is one the evaluator knows; unknown keys are read in the attacker's favour.
  public static func isKnownKey(_ key: String) -> Bool {
    let n = normalizedKey(key)
    if knownNormalized.contains(n) { return true }
    return knownPrefixesNormalized.contains { n.hasPrefix($0) && n.count > $0.count }
  }
}

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
  /// `{"AWS": one or many}`; `Condition` is `{operator: {key: value or list}}` (reference/s3-semantics.md §5.5).
  /// Unknown keys and misspelt effects are errors with a location and a "did you mean"; unknown condition
  /// operators, condition keys and S3 actions are warnings (the evaluator reads them in the attacker's favour).
  public static func decode(_ node: ConfigNode, kind: Kind, reader: inout NodeReader) -> PolicyDocument? {
    let errorsBefore = reader.errors.count
    guard let root = unwrap(node, reader: &reader) else { return nil }
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

  private static func unwrap(_ node: ConfigNode, reader: inout NodeReader) -> ConfigNode? {
    guard let pairs = node.pairs, node["Statement"] == nil else { return node }
    if let doc = node["PolicyDocument"] { return doc }
    if let doc = node["PolicyVersion"]?["Document"] { return doc }
    if pairs.count == 1, let text = node["Policy"], let json = text.scalar {
      do {
        return try ConfigNode.parseYAML(json, file: "\(text.location) (Policy)")
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
          reader.fail(.invalidValue(key: name), "an identity policy names no '\(name)' (it applies to whoever holds it); only bucket policies do", at: n)
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
        reader.fail(.missingKey("Principal"), "\(label) of a bucket policy needs 'Principal' (e.g. {\"AWS\": \"arn:aws:iam::111122223333:user/backup\"} or \"*\")", at: node)
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
      reader.fail("'Condition' must be a mapping of operators, such as {\"StringEquals\": {\"s3:x-amz-storage-class\": \"STANDARD\"}}, not \(node.typeName)", at: node, key: "Condition")
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
}
