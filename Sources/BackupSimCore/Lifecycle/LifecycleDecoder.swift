// TEMPORARY stand-in until the lifecycle decoder lands (helper replaces this file).
public enum LifecycleDecoder {
  public static func decode(_ node: ConfigNode, reader: inout NodeReader) -> LifecycleConfiguration? {
    guard let m = reader.mapping(node, allowed: ["Rules", "TransitionDefaultMinimumObjectSize"], what: "lifecycle") else { return nil }
    var rules: [LifecycleRule] = []
    for r in m["Rules"]?.items ?? [] {
      var rule = LifecycleRule(id: r["ID"]?.scalar ?? "x")
      rule.filter.prefix = r["Filter"]?["Prefix"]?.scalar ?? ""
      if let d = r["Expiration"]?["Days"]?.scalar, let v = Int(d) { rule.expiration = .after(.days(v)) }
      if let d = r["NoncurrentVersionExpiration"]?["NoncurrentDays"]?.scalar, let v = Int(d) {
        rule.noncurrentExpiration = .init(noncurrentDays: v, newerNoncurrentVersions: r["NoncurrentVersionExpiration"]?["NewerNoncurrentVersions"]?.scalar.flatMap { Int($0) })
      }
      for t in r["Transitions"]?.items ?? [] {
        if let d = t["Days"]?.scalar, let v = Int(d), let c = t["StorageClass"]?.scalar.flatMap({ StorageClass(rawValue: $0) }) {
          rule.transitions.append(.init(when: .days(v), storageClass: c))
        }
      }
      rules.append(rule)
    }
    return LifecycleConfiguration(rules: rules)
  }
}
