import BackupSimModel

/// The simulation's one source of randomness: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every machine, so a scenario and seed always
/// produce byte-identical output.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  public mutating func next() -> UInt64 {
    let result = rotl(s.1 &* 5, 7) &* 9
    let t = s.1 << 17
    s.2 ^= s.0
    s.3 ^= s.1
    s.1 ^= s.2
    s.0 ^= s.3
    s.2 ^= t
    s.3 = rotl(s.3, 45)
    return result
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform double in (0, 1), never exactly 0 (safe for `log`).
  public mutating func nextUnitInterval() -> Double {
    (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
  }

  /// A standard normal draw (Box–Muller; one draw per call keeps the sequence simple to reason about).
  public mutating func nextGaussian() -> Double {
    let u1 = nextUnitInterval(), u2 = nextUnitInterval()
    return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
  }
}
