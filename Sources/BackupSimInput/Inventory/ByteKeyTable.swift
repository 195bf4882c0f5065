import BackupSimModel
import Foundation

/// Distinct byte strings numbered in the order first seen, looked up without making a `String`.
///
/// Keys with non-ASCII letters make `String` hashing and comparison normalise them first, which
/// for millions of inventory rows costs more than everything else together; bytes compare as bytes.
/// Each slot keeps 32 bits of the hash beside the id, so a probe rarely touches the bytes of
/// another key, and growing never hashes a key again.
struct ByteKeyTable {
  private var bytes: [UInt8] = []
  private var starts: [Int] = [0]
  private var hashes: [UInt32] = []
  /// (hash tag << 32) | (id + 1); 0 is empty.
  private var slots: [UInt64]
  private var mask: Int

  init(capacity: Int = 1 << 16) {
    var c = 16
    while c < capacity * 2 { c <<= 1 }
    slots = [UInt64](repeating: 0, count: c)
    mask = c - 1
  }

  var count: Int { starts.count - 1 }

  /// The keys, in id order (the table is done with).
  var keyList: KeyList { KeyList(bytes: bytes, starts: starts) }

  /// The id of `key`, and whether it was new (then it has been added).
  mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> (id: Int32, new: Bool) {
    let h = Self.hash(key)
    let tag = UInt64(UInt32(truncatingIfNeeded: h >> 32))
    var s = Int(truncatingIfNeeded: h) & mask
    let found: Int32? = slots.withUnsafeBufferPointer { sl in
      starts.withUnsafeBufferPointer { st in
        bytes.withUnsafeBufferPointer { by in
          while true {
            let e = sl[s]
            if e == 0 { return nil }
            if e >> 32 == tag {
              let id = Int(e & 0xFFFF_FFFF) - 1
              let a = st[id], b = st[id + 1]
              if b - a == key.count
                && (key.count == 0 || memcmp(by.baseAddress.unsafelyUnwrapped + a, key.baseAddress.unsafelyUnwrapped, key.count) == 0)
              {
                return Int32(id)
              }
            }
            s = (s + 1) & mask
          }
        }
      }
    }
    if let found { return (found, false) }
    let id = count
    slots[s] = tag << 32 | UInt64(id + 1)
    bytes.append(contentsOf: key)
    starts.append(bytes.count)
    hashes.append(UInt32(truncatingIfNeeded: h))
    if count * 2 > slots.count { grow() }
    return (Int32(id), true)
  }

  private mutating func grow() {
    let c = slots.count * 2
    var fresh = [UInt64](repeating: 0, count: c)
    let m = c - 1
    for e in slots where e != 0 {
      let id = Int(e & 0xFFFF_FFFF) - 1
      var s = Int(hashes[id]) & m
      while fresh[s] != 0 { s = (s + 1) & m }
      fresh[s] = e
    }
    slots = fresh
    mask = m
  }

  /// FNV-1a, 64 bits, with a final mix so the low bits (the slot) and the high bits (the tag) both vary.
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    h ^= h >> 33
    h = h &* 0xff51_afd7_ed55_8ccd
    return h ^ (h >> 33)
  }
}
