import BackupSimEngine
import BackupSimModel

/// The outcome of evaluating one request against the policies.
///
/// An explicit Deny beats every Allow; without an applicable Allow the request is implicitly denied
/// (docs/s3-rules.md §5.5).
public enum Decision: Equatable, Sendable {
  case allowed
  case explicitDeny
  case implicitDeny

  /// Whether the request would go through.
  public var isAllowed: Bool { self == .allowed }
}

/// One authorization check: an IAM action on a resource ARN, with the condition keys the request carries.
///
/// `values` maps condition keys (any case; `s3:RequestObjectTag/<k>` keeps the tag key's case) to the
/// values the request sends, e.g. `["s3:x-amz-storage-class": ["GLACIER"]]`. A key that is absent is
/// absent: a PUT without `If-None-Match` sends no `s3:if-none-match` (docs/s3-rules.md §5.5).
/// The evaluator adds `aws:PrincipalArn`, `aws:PrincipalAccount` and (for IAM users) `aws:username`
/// unless given here.
public struct RequestContext: Sendable, Equatable {
  /// `service:Action`, for example `s3:PutObject`.
  public var action: String
  /// The resource ARN, for example `arn:aws:s3:::acme-backups/db/2027-01-01.sql.gz`.
  public var resource: String
  public var values: [String: [String]]

  public init(action: String, resource: String, values: [String: [String]] = [:]) {
    self.action = action
    self.resource = resource
    self.values = values
  }
}

/// Decides requests of one principal against its identity policies and the bucket policy, as AWS does.
///
/// Rules (docs/s3-rules.md §5.5): an applicable explicit `Deny` in any policy wins; otherwise an
/// applicable `Allow` in an identity policy **or** the bucket policy allows (the bucket and the principal
/// are taken to be in the same account); otherwise the request is implicitly denied. A statement applies
/// when its action, resource, (bucket policies) principal and every condition match; a statement whose
/// conditions do not hold does not apply — it never denies by itself. Actions match case-insensitively
/// with `*`/`?`; resource ARNs match case-sensitively with `*`/`?`, segment by segment, so a wildcard never
/// spans a `:` (§5.1). A bucket-policy statement applies when its `Principal` is `"*"`, the principal's
/// ARN or, for an assumed-role session, the role; an account principal (`arn:aws:iam::ACCOUNT:root` or the
/// bare ID) takes in every identity of the account in a Deny but only delegates in an Allow (see
/// `principalMatches`). Condition keys or operators the evaluator does not know are read in the attacker's
/// favour: in an Allow they count as satisfied, in a Deny as not satisfied; each is listed once in `warnings`.
///
/// ```swift
/// let evaluator = PolicyEvaluator(identityPolicies: [putOnly], bucketPolicy: nil,
///                                 principalARN: "arn:aws:iam::111122223333:user/backup")
/// evaluator.evaluate(RequestContext(action: "s3:DeleteObject", resource: "arn:aws:s3:::b/k")).decision  // .implicitDeny
/// ```
public struct PolicyEvaluator: Sendable {
  public let identityPolicies: [PolicyDocument]
  public let bucketPolicy: PolicyDocument?
  public let principalARN: String
  /// Unknown condition keys and operators found in the policies, once each, in policy order.
  public private(set) var warnings: [String]

  private let principalValues: [String: [String]]
  /// Every policy with the name used in reasons, and whether it is the bucket policy.
  private let policies: [(name: String, document: PolicyDocument, isBucketPolicy: Bool)]

  public init(identityPolicies: [PolicyDocument], bucketPolicy: PolicyDocument?, principalARN: String) {
    self.identityPolicies = identityPolicies
    self.bucketPolicy = bucketPolicy
    self.principalARN = principalARN
    var values: [String: [String]] = ["aws:principalarn": [principalARN]]
    let arn = ARN(principalARN)
    if let arn, !arn.account.isEmpty { values["aws:principalaccount"] = [arn.account] }
    if let arn, arn.service == "iam", arn.resource.hasPrefix("user/"), let name = arn.resource.split(separator: "/").last {
      values["aws:username"] = [String(name)]
    }
    self.principalValues = values
    var named: [(name: String, document: PolicyDocument, isBucketPolicy: Bool)] = []
    for (i, doc) in identityPolicies.enumerated() {
      named.append((identityPolicies.count == 1 ? "identity policy" : "identity policy \(i + 1)", doc, false))
    }
    if let bucketPolicy { named.append(("bucket policy", bucketPolicy, true)) }
    self.policies = named
    self.warnings = []
    var seen: Set<String> = []
    for (name, doc, _) in policies {
      for (index, st) in doc.statements.enumerated() {
        for c in st.conditions {
          if c.op == nil, seen.insert("op:" + c.operatorName).inserted {
            warnings.append(
              "unknown condition operator '\(c.operatorName)' in \(Self.label(st, index)) of the \(name): read in the attacker's favour")
          }
          if !Condition.isKnownKey(c.key), seen.insert("key:" + Condition.normalizedKey(c.key)).inserted {
            warnings.append(
              "unknown condition key '\(c.key)' in \(Self.label(st, index)) of the \(name): read in the attacker's favour unless the request carries it"
            )
          }
        }
      }
    }
  }

  /// Decides one request; `reason` names the statement (Sid, or 1-based index) and policy that decided it.
  ///
  /// - Complexity: O(statements × (patterns + conditions)).
  public func evaluate(_ request: RequestContext) -> (decision: Decision, reason: String) {
    let values = effectiveValues(request)
    var firstAllow: String?
    for (name, doc, isBucketPolicy) in policies {
      for (index, st) in doc.statements.enumerated() {
        guard applies(st, in: doc, isBucketPolicy: isBucketPolicy, request: request, values: values) else { continue }
        let decidedBy = "\(Self.label(st, index)) of the \(name)"
        switch st.effect {
        case .deny:
          return (.explicitDeny, "\(request.action) on \(request.resource) is denied by \(decidedBy)")
        case .allow:
          if firstAllow == nil { firstAllow = "\(request.action) on \(request.resource) is allowed by \(decidedBy)" }
        }
      }
    }
    if let firstAllow { return (.allowed, firstAllow) }
    return (.implicitDeny, "no statement allows \(request.action) on \(request.resource)")
  }

  static func label(_ st: PolicyStatement, _ index: Int) -> String {
    if let sid = st.sid, !sid.isEmpty { return "statement '\(sid)'" }
    return "statement \(index + 1)"
  }

  /// The request's condition keys, normalized, plus what the evaluator knows about the principal.
  private func effectiveValues(_ request: RequestContext) -> [String: [String]] {
    var out: [String: [String]] = [:]
    for key in request.values.keys.sorted() {
      out[Condition.normalizedKey(key), default: []] += request.values[key] ?? []
    }
    for (key, value) in principalValues where out[key] == nil { out[key] = value }
    return out
  }

  private func applies(
    _ st: PolicyStatement, in doc: PolicyDocument, isBucketPolicy: Bool, request: RequestContext, values: [String: [String]]
  ) -> Bool {
    if isBucketPolicy {
      guard let principal = st.principal, principalMatches(principal, effect: st.effect) else { return false }
    }
    let actionHit = { (pattern: String) in pattern == "*" || Glob(pattern, caseInsensitive: true).matches(request.action) }
    switch st.actions {
    case .only(let list): guard list.contains(where: actionHit) else { return false }
    case .allExcept(let list): guard !list.contains(where: actionHit) else { return false }
    }
    let variables = doc.substitutesPolicyVariables ? values : nil
    let resourceHit = { (pattern: String) in ARNPattern.matches(pattern, request.resource, variables: variables) }
    switch st.resources {
    case .only(let list): guard list.contains(where: resourceHit) else { return false }
    case .allExcept(let list): guard !list.contains(where: resourceHit) else { return false }
    }
    for condition in st.conditions {
      switch ConditionMatcher.outcome(condition, values: values, variables: variables) {
      case .satisfied: continue
      case .notSatisfied: return false
      case .unknown: if st.effect == .deny { return false }
      }
    }
    return true
  }

  /// Whether a bucket-policy statement's `Principal`/`NotPrincipal` takes in this principal (docs/s3-rules.md §5.5).
  ///
  /// `Principal`: `"*"`, the principal's ARN, or — for an assumed-role session — its role. An account
  /// (`arn:aws:iam::ACCOUNT:root` or the bare ID) covers every identity of the account in a Deny; in an
  /// Allow it only delegates to the account, whose identity policies must then grant the request, so it
  /// grants nothing by itself to an IAM user or role (IAM "AWS account principals"). `NotPrincipal` (Deny
  /// only) exempts a principal only when its whole chain is listed: the account and the user, or the
  /// account, the role and the session (IAM "NotPrincipal").
  private func principalMatches(_ match: PolicyStatement.PrincipalMatch, effect: PolicyStatement.Effect) -> Bool {
    switch match {
    case .only(let p): return names(p, accountCoversIdentities: effect == .deny)
    case .allExcept(let p): return !exempts(p)
    }
  }

  private func names(_ principals: PolicyStatement.Principals, accountCoversIdentities: Bool) -> Bool {
    if principals.everyone { return true }
    let me = ARN(principalARN)
    return principals.aws.contains { entry in
      if entry == principalARN { return true }
      guard let me, let other = ARN(entry), other.account == me.account, other.partition == me.partition else { return false }
      if other.isAccountRoot { return accountCoversIdentities || me.isAccountRoot }
      return me.isSession(of: other)
    }
  }

  private func exempts(_ principals: PolicyStatement.Principals) -> Bool {
    if principals.everyone { return true }
    let listed = principals.aws.contains(principalARN)
    guard let me = ARN(principalARN) else { return listed }
    let entries = principals.aws.compactMap(ARN.init)
    let accountListed = entries.contains { $0.isAccountRoot && $0.account == me.account && $0.partition == me.partition }
    if me.isAccountRoot { return listed || accountListed }
    if me.service == "sts" && me.resource.hasPrefix("assumed-role/") {
      return accountListed && listed && entries.contains { me.isSession(of: $0) }
    }
    return accountListed && listed
  }
}

// MARK: - ARNs and wildcard patterns

/// The six colon-separated parts of an ARN; the resource part keeps any further colons (docs/s3-rules.md §5.1).
struct ARN: Equatable {
  var partition: String
  var service: String
  var region: String
  var account: String
  var resource: String

  init?(_ text: String) {
    let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "arn" else { return nil }
    partition = String(parts[1])
    service = String(parts[2])
    region = String(parts[3])
    account = String(parts[4])
    resource = String(parts[5])
  }

  /// `arn:PARTITION:iam::ACCOUNT:root`, the account as a principal.
  var isAccountRoot: Bool { service == "iam" && resource == "root" }

  /// Whether this is an assumed-role session (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`) of `role`
  /// (`arn:aws:iam::ACCOUNT:role/PATH/NAME`).
  func isSession(of role: ARN) -> Bool {
    guard service == "sts", role.service == "iam", account == role.account, resource.hasPrefix("assumed-role/"),
      role.resource.hasPrefix("role/")
    else { return false }
    let session = resource.split(separator: "/")
    return session.count >= 2 && role.resource.split(separator: "/").last == session[1]
  }
}

/// A pattern with `*` (any run of characters) and `?` (one character), and `${...}` policy variables.
///
/// Variables (policy `Version` 2012-10-17 only) take the request's value for that key, or the default in
/// `${key, 'default'}`; `${*}`, `${?}` and `${$}` stand for the literal characters. A variable whose key
/// is absent and has no default makes the pattern match nothing (IAM policy variables reference).
struct Glob {
  enum Token: Equatable {
    case literal(Character)
    case anyRun
    case anyOne
  }

  var tokens: [Token]?
  var caseInsensitive: Bool

  init(_ pattern: String, caseInsensitive: Bool = false, variables: [String: [String]]? = nil) {
    self.caseInsensitive = caseInsensitive
    self.tokens = Self.tokenize(pattern, variables: variables)
  }

  init(tokens: [Token]?, caseInsensitive: Bool) {
    self.tokens = tokens
    self.caseInsensitive = caseInsensitive
  }

  static func tokenize(_ pattern: String, variables: [String: [String]]?) -> [Token]? {
    var out: [Token] = []
    var rest = Substring(pattern)
    // A `${` after the last `}` is literal text: saying so up front keeps each one from scanning to the end.
    let lastClose = pattern.lastIndex(of: "}")
    while let c = rest.first {
      if variables != nil, let lastClose, rest.startIndex < lastClose, rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
        let inner = rest[rest.index(rest.startIndex, offsetBy: 2)..<close]
        guard let text = resolveVariable(inner, variables: variables ?? [:]) else { return nil }
        out += text.map { Token.literal($0) }
        rest = rest[rest.index(after: close)...]
        continue
      }
      switch c {
      case "*": out.append(.anyRun)
      case "?": out.append(.anyOne)
      default: out.append(.literal(c))
      }
      rest = rest.dropFirst()
    }
    return out
  }

  /// The text a `${...}` stands for, or nil when its key is absent and it has no default.
  static func resolveVariable(_ inner: Substring, variables: [String: [String]]) -> String? {
    switch inner {
    case "*": return "*"
    case "?": return "?"
    case "$": return "$"
    default: break
    }
    var key = Substring(inner)
    var fallback: String?
    if let comma = inner.firstIndex(of: ",") {
      key = inner[..<comma]
      var d = inner[inner.index(after: comma)...].trimmingSpaces
      if d.count >= 2, d.first == "'", d.last == "'" { d = d.dropFirst().dropLast() }
      fallback = String(d)
    }
    let name = Condition.normalizedKey(String(key.trimmingSpaces))
    if let value = variables[name]?.first { return value }
    return fallback
  }

  /// Replaces policy variables in a plain (non-wildcard) value; nil when one cannot be resolved.
  static func substitute(_ text: String, variables: [String: [String]]?) -> String? {
    guard let variables, text.contains("${") else { return text }
    var out = ""
    var rest = Substring(text)
    let lastClose = text.lastIndex(of: "}")  // as in `tokenize`
    while let c = rest.first {
      if let lastClose, rest.startIndex < lastClose, rest.hasPrefix("${"), let close = rest.firstIndex(of: "}") {
        guard let v = resolveVariable(rest[rest.index(rest.startIndex, offsetBy: 2)..<close], variables: variables) else { return nil }
        out += v
        rest = rest[rest.index(after: close)...]
      } else {
        out.append(c)
        rest = rest.dropFirst()
      }
    }
    return out
  }

  func matches(_ text: String) -> Bool {
    guard let tokens else { return false }
    return Self.match(tokens, Array(caseInsensitive ? text.lowercased() : text), caseInsensitive: caseInsensitive)
  }

  func matches(_ text: Substring) -> Bool { matches(String(text)) }

  /// Iterative wildcard matching with one backtrack point per `*`.
  ///
  /// - Complexity: O(pattern × text) in the worst case.
  static func match(_ pattern: [Token], _ text: [Character], caseInsensitive: Bool) -> Bool {
    var p = 0, t = 0
    var star = -1, starT = 0
    func same(_ token: Token, _ c: Character) -> Bool {
      switch token {
      case .anyOne: return true
      case .anyRun: return false
      case .literal(let l): return caseInsensitive ? Character(l.lowercased()) == c : l == c
      }
    }
    while t < text.count {
      if p < pattern.count, same(pattern[p], text[t]) {
        p += 1
        t += 1
      } else if p < pattern.count, pattern[p] == .anyRun {
        star = p
        starT = t
        p += 1
      } else if star >= 0 {
        p = star + 1
        starT += 1
        t = starT
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == .anyRun { p += 1 }
    return p == pattern.count
  }
}

/// ARN matching for `Resource` elements and `ArnLike`/`ArnEquals`: segment by segment, so `*` and `?`
/// never span a `:` (docs/s3-rules.md §5.1); a bare `*` matches everything, and a pattern with
/// fewer than six segments matches nothing (the decoder warns about it).
enum ARNPattern {
  static func matches(_ pattern: String, _ value: String, variables: [String: [String]]?) -> Bool {
    if pattern == "*" { return true }
    guard let tokens = Glob.tokenize(pattern, variables: variables) else { return false }
    var segments: [[Glob.Token]] = [[]]
    for token in tokens {
      if token == .literal(":"), segments.count < 6 { segments.append([]) } else { segments[segments.count - 1].append(token) }
    }
    guard segments.count == 6 else { return false }
    let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6 else { return false }
    for (segment, part) in zip(segments, parts) where !Glob.match(segment, Array(part), caseInsensitive: false) {
      return false
    }
    return true
  }
}

extension Substring {
  fileprivate var trimmingSpaces: Substring {
    var s = self
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return s
  }
}

// MARK: - Conditions

/// Evaluates one `Condition` against a request's condition keys (docs/s3-rules.md §5.5).
///
/// Several policy values are alternatives (OR). A key absent from the request: positive operators are
/// false, negated ones true, `...IfExists` true, `ForAllValues:` true, `ForAnyValue:` false, and `Null`
/// tests presence (`true`: must be absent). With several request values and no qualifier, a positive
/// operator needs one of them to match, a negated one needs none to match. An unknown operator, or an
/// unknown key the request does not carry, gives `.unknown`.
enum ConditionMatcher {
  enum Outcome: Equatable {
    case satisfied
    case notSatisfied
    case unknown
  }

  static func outcome(_ c: Condition, values: [String: [String]], variables: [String: [String]]?) -> Outcome {
    guard let op = c.op else { return .unknown }
    let key = Condition.normalizedKey(c.key)
    let present = values[key].flatMap { $0.isEmpty ? nil : $0 }
    if present == nil && !Condition.isKnownKey(key) { return .unknown }
    if op == .null {
      let hit = c.values.contains { v in
        switch v.lowercased() {
        case "true": return present == nil
        case "false": return present != nil
        default: return false
        }
      }
      return hit ? .satisfied : .notSatisfied
    }
    guard let requestValues = present else {
      if c.ifExists { return .satisfied }
      switch c.qualifier {
      case .forAllValues: return .satisfied
      case .forAnyValue: return .notSatisfied
      case nil: return op.isNegated ? .satisfied : .notSatisfied
      }
    }
    let satisfies = { (value: String) -> Bool in
      let hit = c.values.contains { positiveMatch(op, policy: $0, request: value, variables: variables) }
      return op.isNegated ? !hit : hit
    }
    let result: Bool
    switch c.qualifier {
    case .forAnyValue: result = requestValues.contains(where: satisfies)
    case .forAllValues: result = requestValues.allSatisfy(satisfies)
    case nil: result = op.isNegated ? requestValues.allSatisfy(satisfies) : requestValues.contains(where: satisfies)
    }
    return result ? .satisfied : .notSatisfied
  }

  /// Whether one policy value matches one request value under the operator's positive form.
  static func positiveMatch(_ op: Condition.Operator, policy: String, request: String, variables: [String: [String]]?) -> Bool {
    switch op {
    case .stringEquals, .stringNotEquals:
      return Glob.substitute(policy, variables: variables) == request
    case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
      return Glob.substitute(policy, variables: variables)?.lowercased() == request.lowercased()
    case .stringLike, .stringNotLike:
      return Glob(policy, variables: variables).matches(request)
    case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
      guard let r = Double(request), let p = Double(policy) else { return false }
      return compare(op, r, p)
    case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
      guard let r = PolicyDate.seconds(request), let p = PolicyDate.seconds(policy) else { return false }
      return compare(op, r, p)
    case .bool:
      return policy.lowercased() == request.lowercased()
    case .binaryEquals:
      return policy == request
    case .ipAddress, .notIpAddress:
      guard let block = IPBlock(policy), let ip = IPBlock.parseAddress(Substring(request)) else { return false }
      return block.contains(ip)
    case .arnEquals, .arnNotEquals, .arnLike, .arnNotLike:
      return ARNPattern.matches(policy, request, variables: variables)
    case .null:
      return false
    }
  }

  /// `request OP policy` for the numeric and date operators.
  static func compare(_ op: Condition.Operator, _ r: Double, _ p: Double) -> Bool {
    switch op {
    case .numericLessThan, .dateLessThan: return r < p
    case .numericLessThanEquals, .dateLessThanEquals: return r <= p
    case .numericGreaterThan, .dateGreaterThan: return r > p
    case .numericGreaterThanEquals, .dateGreaterThanEquals: return r >= p
    default: return r == p
    }
  }
}
