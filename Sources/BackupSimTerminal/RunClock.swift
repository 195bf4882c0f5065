import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Wall time and this process's CPU time (user + system, every thread) over a stretch of work.
package struct RunClock {
  private let wall = ContinuousClock.now
  private let cpu = RunClock.cpuSeconds()

  package init() {}

  package struct Timing {
    package var wallSeconds: Double
    package var cpuSeconds: Double

    package init(wallSeconds: Double, cpuSeconds: Double) {
      self.wallSeconds = wallSeconds
      self.cpuSeconds = cpuSeconds
    }

    /// "3.21 s wall, 6.05 s CPU on 2 threads (1.9 cores busy)": the CLI tests read these numbers.
    package func sentence(threads: Int) -> String {
      let busy = wallSeconds > 0 ? cpuSeconds / wallSeconds : 0
      return String(
        format: "%.2f s wall, %.2f s CPU on %d thread%@ (%.1f cores busy)", locale: Locale(identifier: "en_US_POSIX"), wallSeconds,
        cpuSeconds, threads, threads == 1 ? "" : "s", busy)
    }
  }

  package func stop() -> Timing {
    let d = ContinuousClock.now - wall
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    return Timing(wallSeconds: seconds, cpuSeconds: RunClock.cpuSeconds() - cpu)
  }

  package static func cpuSeconds() -> Double {
    var u = rusage()
    #if canImport(Glibc)
      // Glibc imports RUSAGE_SELF as an enum case; getrusage takes its raw Int32.
      let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
      let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &u) == 0 else { return 0 }
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(u.ru_utime) + s(u.ru_stime)
  }
}
