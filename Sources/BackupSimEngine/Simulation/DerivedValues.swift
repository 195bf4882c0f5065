import Foundation

/// Values a later stage works out from a `RunResult` (its restore timeline, its daily coverage),
/// kept so that every report asking for them reads one copy.
///
/// Shared by the copies of a result until one of the fields they depend on changes (`RunResult`
/// then starts a new cache), and safe to read from several threads: a value may be worked out twice
/// by a race, never stored twice.
public final class DerivedValues: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [String: Any] = [:]

  public init() {}

  /// The value cached under `key`, worked out by `make` on first use (outside the lock, so `make`
  /// may ask for other values).
  public func value<T>(_ key: String, _ make: () -> T) -> T {
    if let v = lock.withLock({ values[key] }) as? T { return v }
    let v = make()
    return lock.withLock {
      if let stored = values[key] as? T { return stored }
      values[key] = v
      return v
    }
  }
}
