import Foundation

/// Runs `body(0..<count)` on up to `threads` threads, each taking the next index when it is free
/// (runs differ in length); the results come back in index order whatever order they finish in.
///
/// Whole simulations are independent values, so `sweep`, `compare`, the attack strategies and the
/// chart renderer all parallelize above the engine with this one helper.
package func parallelMap<T: Sendable>(count: Int, threads: Int? = nil, _ body: @escaping @Sendable (Int) -> T) -> [T] {
  guard count > 0 else { return [] }
  let slots = Slots<T>(count: count)
  let next = IndexCounter()
  let workers = max(1, min(threads ?? count, count))
  DispatchQueue.concurrentPerform(iterations: workers) { _ in
    while let k = next.take(below: count) { slots.set(k, body(k)) }
  }
  // `concurrentPerform` returns only after every worker finished, so every slot is filled.
  return slots.values().map { v in
    guard let v else { preconditionFailure("a parallel slot was never filled") }
    return v
  }
}

/// `transform` applied to every element on several threads; the results keep the input order.
package func parallelMap<T: Sendable, U: Sendable>(_ items: [T], threads: Int? = nil, _ transform: @escaping @Sendable (T) -> U) -> [U] {
  parallelMap(count: items.count, threads: threads) { transform(items[$0]) }
}

/// Results written by several threads into fixed slots, read once all are done.
private final class Slots<T: Sendable>: @unchecked Sendable {
  private var items: [T?]
  private let lock = NSLock()
  init(count: Int) { items = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: T) {
    lock.lock()
    items[i] = v
    lock.unlock()
  }
  func values() -> [T?] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}

/// Hands out 0, 1, 2, … to several threads.
private final class IndexCounter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()
  func take(below limit: Int) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}
