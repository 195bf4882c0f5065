import BackupSimModel
import Foundation

/// Reads a bucket's `replication:` (the ReplicationConfiguration of `put-bucket-replication`) and
/// refuses what S3 would refuse (docs/s3-rules.md §10).
enum ReplicationDecoder {
  static let topKeys = ["Role", "Rules"]
  static let ruleKeys = [
    "ID", "Priority", "Status", "Filter", "Prefix", "DeleteMarkerReplication", "Destination", "ExistingObjectReplication",
    "SourceSelectionCriteria",
  ]
  static let destinationKeys = [
    "Bucket", "Account", "StorageClass", "AccessControlTranslation", "ReplicationTime", "Metrics", "EncryptionConfiguration",
  ]
  static let statuses: [(String, Bool)] = [("Enabled", true), ("Disabled", false)]

  /// The configuration, or nil when it has errors (they are in `reader`).
  static func decode(_ node: ConfigNode, reader: inout NodeReader) -> ReplicationConfiguration? {
    var node = node
    // get-bucket-replication prints it wrapped; put-bucket-replication takes it bare.
    if let pairs = node.pairs, pairs.count == 1, pairs[0].key.scalar == "ReplicationConfiguration" { node = pairs[0].value }
    let before = reader.errors.count
    guard let m = reader.mapping(node, allowed: topKeys, what: "replication") else { return nil }
    let role = reader.require(m, "Role", in: "replication", at: node).flatMap { reader.string($0, key: "Role") } ?? ""
    var rules: [ReplicationRule] = []
    var ruleNodes: [ConfigNode] = []
    if let r = reader.require(m, "Rules", in: "replication", at: node), let items = reader.list(r, key: "Rules") {
      if items.isEmpty || items.count > 1000 { reader.fail("replication needs 1 to 1,000 rules (got \(items.count))", at: r, key: "Rules") }
      for (i, item) in items.enumerated() {
        if let rule = decodeRule(item, index: i, reader: &reader) {
          rules.append(rule)
          ruleNodes.append(item)
        }
      }
    }
    var ids: Set<String> = []
    for (rule, n) in zip(rules, ruleNodes) where !rule.id.isEmpty && !ids.insert(rule.id).inserted {
      reader.fail("two replication rules have the ID '\(rule.id)'", at: n["ID"] ?? n, key: "ID")
    }
    // S3 cannot tell which of two rules of equal priority applies to an object both match (§10.2).
    for i in rules.indices {
      for j in rules.indices where j > i && rules[i].priority == rules[j].priority && rules[i].overlaps(rules[j]) {
        reader.fail(
          "replication rules '\(rules[i].id)' and '\(rules[j].id)' have the same Priority \(rules[i].priority) and overlapping filters; give them different priorities",
          at: ruleNodes[j]["Priority"] ?? ruleNodes[j], key: "Priority")
      }
    }
    return reader.errors.count == before ? ReplicationConfiguration(role: role, rules: rules) : nil
  }

  private static func status(_ parent: ConfigNode, what: String, reader: inout NodeReader) -> Bool? {
    guard let m = reader.mapping(parent, allowed: ["Status"], what: what), let s = reader.require(m, "Status", in: what, at: parent) else {
      return nil
    }
    return reader.choice(s, key: "Status", statuses)
  }

  private static func decodeRule(_ node: ConfigNode, index: Int, reader: inout NodeReader) -> ReplicationRule? {
    let what = "replication rule \(index + 1)"
    guard let m = reader.mapping(node, allowed: ruleKeys, what: what) else { return nil }
    let before = reader.errors.count
    var rule = ReplicationRule(id: "", destinationBucket: "")
    if let n = m["ID"], let id = reader.string(n, key: "ID") {
      if id.count > 255 { reader.fail("a replication rule ID has at most 255 characters (got \(id.count))", at: n, key: "ID") }
      rule.id = id
    } else {
      rule.id = "rule-\(index + 1)"
    }
    if let s = reader.require(m, "Status", in: what, at: node), let v = reader.choice(s, key: "Status", statuses) { rule.enabled = v }
    var tagFilter = false
    if let f = m["Filter"] {
      // The current schema (V2): Filter needs Priority and DeleteMarkerReplication beside it.
      if m["Prefix"] != nil { reader.fail("give either 'Filter' or the older rule-level 'Prefix', not both", at: node, key: "Prefix") }
      (rule.prefix, rule.tags) = decodeFilter(f, what: "Filter in \(what)", reader: &reader)
      tagFilter = !rule.tags.isEmpty
      if m["Priority"] == nil { reader.fail(.missingKey("Priority"), "\(what) has a Filter, so S3 needs its 'Priority' too", at: node) }
      if m["DeleteMarkerReplication"] == nil {
        reader.fail(.missingKey("DeleteMarkerReplication"), "\(what) has a Filter, so S3 needs its 'DeleteMarkerReplication' too", at: node)
      }
    } else if let p = m["Prefix"], let v = reader.string(p, key: "Prefix") {
      // The older schema (V1): no priority, and delete markers are replicated.
      rule.prefix = v
      rule.deleteMarkerReplication = true
      for k in ["Priority", "DeleteMarkerReplication"] where m[k] != nil {
        reader.fail("'\(k)' needs a 'Filter' in the rule (the rule-level 'Prefix' is the older schema, which has none)", at: m[k] ?? node, key: k)
      }
    } else {
      reader.fail(.missingKey("Filter"), "\(what) needs 'Filter' (use Filter: {} for every object)", at: node)
    }
    if let p = m["Priority"] { rule.priority = reader.int(p, key: "Priority", range: 0...Int(Int32.max)) ?? 0 }
    if let d = m["DeleteMarkerReplication"], let v = status(d, what: "DeleteMarkerReplication", reader: &reader) {
      rule.deleteMarkerReplication = v
      if v && tagFilter {
        reader.fail("S3 refuses DeleteMarkerReplication Enabled on a rule that filters by tag", at: d, key: "DeleteMarkerReplication")
      }
    }
    if let e = m["ExistingObjectReplication"], let v = status(e, what: "ExistingObjectReplication", reader: &reader) { rule.existingObjects = v }
    if let s = m["SourceSelectionCriteria"] {
      // Kept only as given: the simulated backups are SSE-S3 and replicas are not modified.
      _ = reader.mapping(s, allowed: ["SseKmsEncryptedObjects", "ReplicaModifications"], what: "SourceSelectionCriteria")
    }
    if let d = reader.require(m, "Destination", in: what, at: node) { decodeDestination(d, into: &rule, reader: &reader) }
    return reader.errors.count == before ? rule : nil
  }

  private static func decodeFilter(_ node: ConfigNode, what: String, reader: inout NodeReader) -> (String, [ObjectTag]) {
    if node.isNull { return ("", []) }
    guard let m = reader.mapping(node, allowed: ["Prefix", "Tag", "And"], what: what) else { return ("", []) }
    if m.count > 1 { reader.fail("\(what) takes one of Prefix, Tag or And (use And to combine them)", at: node, key: "Filter") }
    var prefix = "", tags: [ObjectTag] = []
    if let p = m["Prefix"] { prefix = reader.string(p, key: "Prefix") ?? "" }
    if let t = m["Tag"], let tag = decodeTag(t, reader: &reader) { tags.append(tag) }
    if let a = m["And"], let am = reader.mapping(a, allowed: ["Prefix", "Tags"], what: "And in \(what)") {
      if let p = am["Prefix"] { prefix = reader.string(p, key: "Prefix") ?? "" }
      if let ts = am["Tags"], let items = reader.list(ts, key: "Tags") { tags += items.compactMap { decodeTag($0, reader: &reader) } }
    }
    return (prefix, tags)
  }

  private static func decodeTag(_ node: ConfigNode, reader: inout NodeReader) -> ObjectTag? {
    guard let m = reader.mapping(node, allowed: ["Key", "Value"], what: "a Tag"),
      let k = reader.require(m, "Key", in: "a Tag", at: node).flatMap({ reader.string($0, key: "Key") }),
      let v = reader.require(m, "Value", in: "a Tag", at: node).flatMap({ reader.string($0, key: "Value") })
    else { return nil }
    return ObjectTag(key: k, value: v)
  }

  private static func decodeDestination(_ node: ConfigNode, into rule: inout ReplicationRule, reader: inout NodeReader) {
    guard let m = reader.mapping(node, allowed: destinationKeys, what: "Destination") else { return }
    if let b = reader.require(m, "Bucket", in: "Destination", at: node), let arn = reader.string(b, key: "Bucket") {
      if arn.hasPrefix("arn:aws:s3:::"), !arn.dropFirst(13).contains("/"), !arn.dropFirst(13).isEmpty {
        rule.destinationBucket = String(arn.dropFirst(13))
      } else {
        reader.fail("Destination 'Bucket' must be a bucket ARN like arn:aws:s3:::my-copy (got '\(arn)')", at: b, key: "Bucket")
      }
    }
    if let a = m["Account"], let v = reader.string(a, key: "Account") {
      if v.count == 12 && v.allSatisfy(\.isASCII) && v.allSatisfy(\.isNumber) {
        rule.destinationAccount = v
      } else {
        reader.fail("Destination 'Account' must be a 12-digit AWS account ID (got '\(v)')", at: a, key: "Account")
      }
    }
    if let s = m["StorageClass"], let v = reader.string(s, key: "StorageClass") {
      if let c = StorageClass(rawValue: v) {
        rule.storageClass = c
      } else {
        let known = StorageClass.allCases.map(\.rawValue).joined(separator: ", ")
        reader.fail("Destination 'StorageClass' must be one of \(known) (got '\(v)')", at: s, key: "StorageClass")
      }
    }
    if let t = m["AccessControlTranslation"] {
      if let tm = reader.mapping(t, allowed: ["Owner"], what: "AccessControlTranslation"),
        let o = reader.require(tm, "Owner", in: "AccessControlTranslation", at: t)
      {
        _ = reader.choice(o, key: "Owner", [("Destination", true)])
      }
      if m["Account"] == nil {
        reader.fail(.missingKey("Account"), "S3 needs Destination 'Account' when AccessControlTranslation is given", at: t)
      }
    }
    var rtc = false, metrics = false
    if let r = m["ReplicationTime"], let rm = reader.mapping(r, allowed: ["Status", "Time"], what: "ReplicationTime") {
      if let s = reader.require(rm, "Status", in: "ReplicationTime", at: r) { rtc = reader.choice(s, key: "Status", statuses) ?? false }
      if let t = reader.require(rm, "Time", in: "ReplicationTime", at: r) { minutes15(t, what: "ReplicationTime Time", reader: &reader) }
    }
    if let x = m["Metrics"], let xm = reader.mapping(x, allowed: ["Status", "EventThreshold"], what: "Metrics") {
      if let s = reader.require(xm, "Status", in: "Metrics", at: x) { metrics = reader.choice(s, key: "Status", statuses) ?? false }
      if let t = xm["EventThreshold"] { minutes15(t, what: "Metrics EventThreshold", reader: &reader) }
    }
    if rtc && !metrics {
      reader.fail("S3 needs Metrics Enabled beside ReplicationTime Enabled", at: m["ReplicationTime"] ?? node, key: "ReplicationTime")
    }
    rule.replicationTime = rtc
    rule.metrics = metrics
  }

  /// S3 RTC and its metrics threshold accept only `Minutes: 15`.
  private static func minutes15(_ node: ConfigNode, what: String, reader: inout NodeReader) {
    guard let m = reader.mapping(node, allowed: ["Minutes"], what: what), let n = reader.require(m, "Minutes", in: what, at: node) else { return }
    if let v = reader.int(n, key: "Minutes"), v != 15 { reader.fail("\(what) 'Minutes' can only be 15 (got \(v))", at: n, key: "Minutes") }
  }

  /// Checks what only the whole set of buckets tells: destinations exist, both ends are versioned,
  /// Object Lock on the source is matched, and only the bucket the jobs write to replicates.
  static func checkBuckets(_ buckets: [BucketConfig], nodes: [ConfigNode], reader: inout NodeReader) {
    let names = buckets.map(\.name)
    for (i, b) in buckets.enumerated() {
      var seen = Set<String>()
      if names[..<i].contains(b.name) { reader.fail("two buckets are named '\(b.name)'", at: nodes[i]["name"] ?? nodes[i], key: "name") }
      guard let config = b.replication else { continue }
      let at = nodes[i]["replication"] ?? nodes[i]
      if i > 0 {
        reader.fail(
          "only the bucket the jobs write to (the first) can replicate here; replicating a replica again is not modelled", at: at,
          key: "replication")
      }
      if b.versioning != .enabled || b.versioningChanges.contains(where: { $0.status != .enabled }) {
        reader.fail("S3 Replication needs versioning Enabled on the source bucket '\(b.name)' for the whole run", at: at, key: "replication")
      }
      let ruleNodes = at["Rules"]?.items ?? []
      for (k, rule) in config.rules.enumerated() {
        let node = (k < ruleNodes.count ? ruleNodes[k]["Destination"]?["Bucket"] : nil) ?? at
        guard let d = buckets.firstIndex(where: { $0.name == rule.destinationBucket }) else {
          var msg = "replication rule '\(rule.id)' names no bucket of the scenario: '\(rule.destinationBucket)'"
          if let g = reader.suggestion(for: rule.destinationBucket, in: names) { msg += "; did you mean '\(g)'?" }
          reader.fail(msg, at: node, key: "Bucket")
          continue
        }
        guard seen.insert(rule.destinationBucket).inserted else { continue }
        let dest = buckets[d]
        if d == i { reader.fail("replication rule '\(rule.id)' replicates bucket '\(b.name)' into itself", at: node, key: "Bucket"); continue }
        if dest.versioning != .enabled || dest.versioningChanges.contains(where: { $0.status != .enabled }) {
          reader.fail("S3 Replication needs versioning Enabled on the destination bucket '\(dest.name)' for the whole run", at: node, key: "Bucket")
        }
        if b.objectLock != nil && dest.objectLock == nil {
          reader.fail(
            "source bucket '\(b.name)' has Object Lock, so S3 replicates only into a bucket with Object Lock; '\(dest.name)' has none",
            at: node, key: "Bucket")
        }
        if let acct = rule.destinationAccount, let owner = dest.account, acct != owner {
          reader.fail(
            "replication rule '\(rule.id)' says Account \(acct), but bucket '\(dest.name)' belongs to account \(owner)", at: node, key: "Account")
        }
      }
    }
  }
}
