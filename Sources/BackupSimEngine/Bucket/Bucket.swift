import BackupSimModel
import Foundation

/// The bucket's contents: key groups by id, indexed by key pattern, with running totals.
///
/// The totals are kept up to date by `Simulation` as versions come and go, so daily samples
/// never scan the bucket.
struct Bucket: Sendable {
  private(set) var groups: [KeyGroup?] = []
  private var freeIDs: [Int] = []
  private(set) var patterns: [String] = []
  private var patternIDs: [String: Int32] = [:]
  private(set) var groupsByPattern: [Int32: [Int]] = [:]

  /// Logical bytes and object versions per class (index: `StorageClass.index`), delete markers excluded.
  var bytesByClass = [Int64](repeating: 0, count: StorageClass.allCases.count)
  var objectsByClass = [Int](repeating: 0, count: StorageClass.allCases.count)
  var currentVersions = 0
  var noncurrentVersions = 0
  var deleteMarkers = 0

  mutating func intern(_ pattern: String) -> Int32 {
    if let id = patternIDs[pattern] { return id }
    let id = Int32(patterns.count)
    patterns.append(pattern)
    patternIDs[pattern] = id
    return id
  }

  func groupIDs(pattern: Int32) -> [Int] { groupsByPattern[pattern] ?? [] }

  /// The pattern's group when it has exactly one.
  func soleGroup(pattern: Int32) -> Int? {
    guard let ids = groupsByPattern[pattern], ids.count == 1 else { return nil }
    return ids[0]
  }

  subscript(id: Int) -> KeyGroup {
    // Reads borrow the group in place: the engine reads one field at a time, and a copy of the
    // whole group (its stack, keys and rules) for each read was a tenth of the work.
    _read {
      precondition(groups[id] != nil, "group \(id) was removed")
      yield groups[id].unsafelyUnwrapped
    }
    // Edits in place, through the array's own element: the version stack stays uniquely referenced
    // and is never copied, and no field is retained and released around the edit.
    _modify {
      precondition(groups[id] != nil, "group \(id) was removed")
      // The precondition above is the check; an optional's payload can only be yielded in place this way.
      // swift-format-ignore: NeverForceUnwrap
      yield &groups[id]!
    }
  }

  func exists(_ id: Int) -> Bool { id < groups.count && groups[id] != nil }

  mutating func add(_ g: KeyGroup) -> Int {
    let id: Int
    if let free = freeIDs.popLast() {
      id = free
      groups[id] = g
    } else {
      id = groups.count
      groups.append(g)
    }
    groupsByPattern[g.pattern, default: []].append(id)
    return id
  }

  mutating func remove(_ id: Int) {
    guard let g = groups[id] else { return }
    groups[id] = nil
    freeIDs.append(id)
    groupsByPattern[g.pattern]?.removeAll { $0 == id }
    if groupsByPattern[g.pattern]?.isEmpty == true { groupsByPattern[g.pattern] = nil }
  }

  var liveGroups: [(id: Int, group: KeyGroup)] {
    groups.enumerated().compactMap { i, g in g.map { (i, $0) } }
  }

  /// The key of `{i}` = `index` in a pattern.
  func key(pattern: Int32, index: Int) -> String {
    let p = patterns[Int(pattern)]
    return p.contains("{i}") ? p.replacingOccurrences(of: "{i}", with: String(index)) : p
  }
}
