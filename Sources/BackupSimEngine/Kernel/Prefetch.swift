import CPrefetch

/// Starts loading every cache line of `array[i]`.
///
/// A hint to the processor, issued an event or a few groups ahead of the work that reads the
/// element, so that misses on data last touched a day ago overlap that work; it reads nothing of
/// the element and changes nothing.
@inline(__always)
func prefetchElement<T>(of array: [T], at i: Int) {
  guard i >= 0 && i < array.count else { return }
  array.withUnsafeBufferPointer { all in
    guard let base = all.baseAddress else { return }
    let first = UnsafeRawPointer(base + i)
    prefetchLines(first, first + MemoryLayout<T>.size)
  }
}

/// Starts loading every cache line that holds a byte of `from..<to` (a hint, as above).
@inline(__always)
func prefetchLines(_ from: UnsafeRawPointer, _ to: UnsafeRawPointer) {
  var line = from
  while line < to {
    backupsim_prefetch(line)
    line += 64
  }
  backupsim_prefetch(to - 1)
}
