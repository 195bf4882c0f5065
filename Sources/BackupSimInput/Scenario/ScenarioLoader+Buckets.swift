import BackupSimModel
import Foundation

/// `buckets:` (several buckets, the first the one jobs write to) and each bucket's `region`, `account` and `replication`.
extension ScenarioLoader {
  typealias BucketDecoder = (ConfigNode, String, SimTime, inout NodeReader) -> BucketConfig?

  /// The first bucket and the others, from `buckets:`; `bucket:` beside it is an error.
  func decodeBuckets(
    _ top: [String: ConfigNode], file: String, start: SimTime, reader: inout NodeReader, decode: BucketDecoder
  ) -> (BucketConfig, [BucketConfig]) {
    guard let list = top["buckets"] else { return (BucketConfig(), []) }
    if let b = top["bucket"] { reader.fail("give either 'bucket' or 'buckets', not both", at: b, key: "bucket") }
    guard let items = reader.list(list, key: "buckets") else { return (BucketConfig(), []) }
    if items.isEmpty { reader.fail("'buckets' needs at least one bucket", at: list, key: "buckets") }
    var buckets: [BucketConfig] = []
    var nodes: [ConfigNode] = []
    for item in items {
      guard let b = decode(item, file, start, &reader) else { continue }
      if item["name"] == nil && items.count > 1 {
        reader.fail(.missingKey("name"), "each of several buckets needs a 'name' (replication rules name them)", at: item)
      }
      buckets.append(b)
      nodes.append(item)
    }
    if buckets.count == items.count { ReplicationDecoder.checkBuckets(buckets, nodes: nodes, reader: &reader) }
    guard let first = buckets.first else { return (BucketConfig(), []) }
    return (first, Array(buckets.dropFirst()))
  }

  /// A bucket's `region`, `account` and `replication`.
  func decodePlacement(_ m: [String: ConfigNode], into b: inout BucketConfig, reader: inout NodeReader) {
    if let r = m["region"], let v = reader.string(r, key: "region") {
      if v.wholeMatch(of: /[a-z]{2}(-gov)?-[a-z]+-[0-9]/) != nil {
        b.region = v
      } else {
        reader.fail("'region' must be an AWS region name like eu-west-1 (got '\(v)')", at: r, key: "region")
      }
    }
    if let a = m["account"], let v = reader.string(a, key: "account") {
      if v.count == 12 && v.allSatisfy({ $0.isASCII && $0.isNumber }) {
        b.account = v
      } else {
        reader.fail("'account' must be a 12-digit AWS account ID (got '\(v)')", at: a, key: "account")
      }
    }
    if let r = m["replication"], !r.isNull { b.replication = ReplicationDecoder.decode(r, reader: &reader) }
  }
}
