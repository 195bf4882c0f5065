#if canImport(Glibc)
  import Glibc
#endif

/// Asks Linux to back the untouched capacity of `array` with 2 MiB pages where it can (a hint:
/// nothing changes but how the memory is mapped, and elsewhere it does nothing).
///
/// The restore points of a long run take hundreds of megabytes, reserved at the start and filled
/// as the run goes; in 4 KiB pages the first touch of each page was a page fault, about a tenth
/// of the run's time.
func adviseHugePages<T>(forCapacityOf array: [T]) {
  #if canImport(Glibc)
    let huge = 2 << 20
    let bytes = array.capacity * MemoryLayout<T>.stride
    guard bytes >= 2 * huge else { return }
    array.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return }
      let from = Int(bitPattern: UnsafeRawPointer(base + all.count))
      let to = Int(bitPattern: UnsafeRawPointer(base)) + bytes
      // Only whole huge pages inside the buffer: the advice applies to whole pages.
      let start = (from + huge - 1) & ~(huge - 1), end = to & ~(huge - 1)
      guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
      _ = madvise(p, end - start, MADV_HUGEPAGE)
    }
  #endif
}
