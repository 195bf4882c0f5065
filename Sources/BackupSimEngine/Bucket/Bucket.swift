import BackupSimModel
import CPrefetch
import Foundation

/// The bucket's contents: key groups by id, indexed by key pattern, with running totals.
///
/// The totals are kept up to date by `Simulation` as versions come and go, so daily samples
/// never scan the bucket.
struct Bucket: Sendable {
  /// By id; a removed group's place holds an empty group until the id is reused (`alive` says which).
  ///
  /// Not optionals: testing an optional group for nil copied the whole group (its stack, ranges and
  /// rules retained and released) on every access.
  private var groups: [KeyGroup] = []
  private var alive: [Bool] = []
  private var freeIDs: [Int] = []
  private(set) var patterns: [String] = []
  private var patternIDs: [String: Int32] = [:]
  /// Each pattern's groups, by pattern id (ids are dense: an array, not a hashed lookup per upload).
  private(set) var groupsByPattern: [[Int]] = []
  /// Each pattern's group when it has exactly one, else -1: looked up on every upload, without the
  /// retain and the pointer chase of the pattern's list.
  private var soleGroupByPattern: [Int] = []

  /// Logical bytes and object versions per class (index: `StorageClass.index`), delete markers excluded.
  var bytesByClass = PerClass<Int64>()
  var objectsByClass = PerClass<Int>()
  var currentVersions = 0
  var noncurrentVersions = 0
  var deleteMarkers = 0

  mutating func intern(_ pattern: String) -> Int32 {
    if let id = patternIDs[pattern] { return id }
    let id = Int32(patterns.count)
    patterns.append(pattern)
    groupsByPattern.append([])
    soleGroupByPattern.append(-1)
    patternIDs[pattern] = id
    return id
  }

  func groupIDs(pattern: Int32) -> [Int] { groupsByPattern[Int(pattern)] }

  /// The pattern's group when it has exactly one.
  func soleGroup(pattern: Int32) -> Int? {
    let id = soleGroupByPattern[Int(pattern)]
    return id >= 0 ? id : nil
  }

  private mutating func noteGroups(of pattern: Int32) {
    let ids = groupsByPattern[Int(pattern)]
    soleGroupByPattern[Int(pattern)] = ids.count == 1 ? ids[0] : -1
  }

  subscript(id: Int) -> KeyGroup {
    // Reads borrow the group in place: the engine reads one field at a time, and a copy of the
    // whole group (its stack, keys and rules) for each read was a tenth of the work.
    _read {
      precondition(alive[id], "group \(id) was removed")
      yield groups[id]
    }
    // Edits in place, through the array's own element: the version stack stays uniquely referenced
    // and is never copied, and no field is retained and released around the edit.
    _modify {
      precondition(alive[id], "group \(id) was removed")
      yield &groups[id]
    }
  }

  func exists(_ id: Int) -> Bool { id < alive.count && alive[id] }

  /// Starts loading group `id`'s fields (a hint; see `VersionStack.prefetch`).
  func prefetchGroup(_ id: Int) { prefetchElement(of: groups, at: id) }

  /// Starts loading what a change to group `id`'s stack reads first; its fields should be on their way.
  func prefetchStack(_ id: Int, for use: VersionStack.Use) {
    guard id < groups.count, let offset = stackOffset, let layout = stackLayout else { return }
    groups.withUnsafeBufferPointer { all in
      if let base = all.baseAddress { VersionStack.prefetch(at: UnsafeRawPointer(base + id) + offset, layout: layout, for: use) }
    }
  }

  private let stackOffset = MemoryLayout<KeyGroup>.offset(of: \.stack)
  private let stackLayout = VersionStack.layout

  mutating func add(_ g: KeyGroup) -> Int {
    let id: Int
    if let free = freeIDs.popLast() {
      id = free
      groups[id] = g
      alive[id] = true
    } else {
      id = groups.count
      groups.append(g)
      alive.append(true)
    }
    groupsByPattern[Int(g.pattern)].append(id)
    noteGroups(of: g.pattern)
    return id
  }

  mutating func remove(_ id: Int) {
    guard exists(id) else { return }
    let pattern = groups[id].pattern
    groups[id] = KeyGroup(pattern: pattern, indices: [], count: 0, prefixRules: [], stack: [])
    alive[id] = false
    freeIDs.append(id)
    groupsByPattern[Int(pattern)].removeAll { $0 == id }
    noteGroups(of: pattern)
  }

  var liveGroups: [(id: Int, group: KeyGroup)] {
    groups.indices.compactMap { i in alive[i] ? (i, groups[i]) : nil }
  }

  /// The key of `{i}` = `index` in a pattern.
  func key(pattern: Int32, index: Int) -> String {
    let p = patterns[Int(pattern)]
    return p.contains("{i}") ? p.replacingOccurrences(of: "{i}", with: String(index)) : p
  }
}
