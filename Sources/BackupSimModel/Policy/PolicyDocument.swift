/// An IAM policy — an identity policy or a bucket policy — in the shape of AWS's policy JSON.
///
/// A document is a list of statements; `PolicyEvaluator` combines the statements of every policy that
/// applies to a request (docs/s3-rules.md §5.5). `Version` "2012-10-17" turns on policy
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
/// except the listed patterns (docs/s3-rules.md §5.5). A statement applies to a request only when
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
/// (docs/s3-rules.md §5.5).
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

  /// The operator as written, for example `ForAnyValue:StringLikeIfExists`.
  public var operatorName: String
  /// nil when the operator is not one AWS documents; the evaluator then reads the condition in the attacker's favour.
  public var op: Operator?
  public var qualifier: SetQualifier?
  public var ifExists: Bool
  /// The condition key as written, for example `s3:x-amz-storage-class`.
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
  package static func parseOperator(_ name: String) -> (qualifier: SetQualifier?, op: Operator?, ifExists: Bool, base: String) {
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

  /// The condition keys the evaluator understands (docs/s3-rules.md §5.5), as documented.
  public static let knownKeys: [String] = [
    "s3:x-amz-storage-class", "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-acl", "s3:RequestObjectTagKeys",
    "s3:object-lock-mode", "s3:object-lock-retain-until-date", "s3:object-lock-remaining-retention-days",
    "s3:object-lock-legal-hold", "s3:if-none-match", "s3:if-match", "s3:ObjectCreationOperation", "s3:prefix",
    "s3:delimiter", "s3:max-keys", "s3:versionid", "s3:x-amz-copy-source", "s3:TlsVersion", "s3:signatureversion",
    "aws:SourceIp", "aws:SecureTransport", "aws:SourceVpce", "aws:PrincipalArn", "aws:PrincipalAccount",
    "aws:PrincipalOrgID", "aws:userid", "aws:username", "aws:CurrentTime", "aws:EpochTime", "aws:RequestedRegion",
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
