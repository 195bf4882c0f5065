/// Distinct byte strings numbered in the order first seen, looked up without making a `String`.
///
/// Keys with non-ASCII letters make `String` hashing and comparison normalise them first, which
/// for millions of inventory rows costs more than everything else together; bytes compare as bytes.
struct ByteKeyTable {
  private var bytes: [UInt8] = []
  private var starts: [Int] = [0]
  private var slots: [Int32]
  private var mask: Int

  init(capacity: Int = 1 << 16) {
    var c = 16
    while c < capacity * 2 { c <<= 1 }
    slots = [Int32](repeating: -1, count: c)
    mask = c - 1
  }

  var count: Int { starts.count - 1 }

  /// The id of `key`, and whether it was new (then it has been added).
  mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, new: Bool) {
    let h = Self.hash(key)
    var s = h & mask
    while true {
      let id = slots[s]
      if id < 0 { break }
      let a = starts[Int(id)], b = starts[Int(id) + 1]
      if b - a == key.count && bytes.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[a..<b]).elementsEqual(key) }) {
        return (id, false)
      }
      s = (s + 1) & mask
    }
    let id = Int32(count)
    slots[s] = id
    bytes.append(contentsOf: key)
    starts.append(bytes.count)
    if count * 2 > slots.count { grow() }
    return (id, true)
  }

  private mutating func grow() {
    let c = slots.count * 2
    slots = [Int32](repeating: -1, count: c)
    mask = c - 1
    for id in 0..<count {
      let a = starts[id], b = starts[id + 1]
      let h = bytes.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[a..<b])) }
      var s = h & mask
      while slots[s] >= 0 { s = (s + 1) & mask }
      slots[s] = Int32(id)
    }
  }

  /// FNV-1a, 64 bits, folded.
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }
}
