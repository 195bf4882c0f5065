import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A one-line progress bar on stderr, for people watching a terminal.
///
/// It draws nothing unless stderr is a terminal (so logs, pipes and CI stay clean) and nothing
/// during the first second (so quick runs do not flicker). It redraws itself four times a second
/// from a timer, so the elapsed time moves even while one long run is in progress. With a total
/// (variants, scenarios) it shows a bar, the count and the percentage done; with no total only the
/// label and the elapsed time: one simulation's own progress (its simulated date) would need the
/// engine to report it, which it does not.
package final class ProgressBar: @unchecked Sendable {
  private let label: String
  private let total: Int?
  private let enabled: Bool
  private let started = ContinuousClock.now
  private let lock = NSLock()
  private var done = 0
  private var drawn = false
  /// What is on the screen, so an unchanged line is not written again.
  private var shown = ""
  private var finished = false
  private var timer: DispatchSourceTimer?

  /// How long a run must last before the bar appears.
  static let delay: Duration = .seconds(1)

  /// Starts the bar (its timer); with `total` nil it is indeterminate, with `enabled` nil it is on when stderr is a terminal.
  package init(label: String, total: Int?, enabled: Bool? = nil) {
    self.label = label
    self.total = total
    self.enabled = enabled ?? (isatty(2) == 1)
    guard self.enabled else { return }
    let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    t.schedule(deadline: .now() + .seconds(1), repeating: .milliseconds(250))
    t.setEventHandler { [weak self] in self?.draw() }
    t.resume()
    timer = t
  }

  deinit { timer?.cancel() }

  /// One more unit done (thread-safe).
  package func advance(by n: Int = 1) {
    guard enabled else { return }
    lock.lock()
    done += n
    lock.unlock()
  }

  /// Removes the bar, leaving the line clean for what is printed next.
  package func finish() {
    guard enabled else { return }
    timer?.cancel()
    lock.lock()
    defer { lock.unlock() }
    finished = true
    if drawn { Self.write("\r\u{1B}[2K") }
  }

  private func draw() {
    lock.lock()
    defer { lock.unlock() }
    let elapsed = ContinuousClock.now - started
    guard !finished, elapsed >= Self.delay else { return }
    let line = Self.line(label: label, done: done, total: total, elapsed: elapsed, width: Self.terminalWidth())
    guard line != shown else { return }
    Self.write("\r\u{1B}[2K" + line)
    shown = line
    drawn = true
  }

  /// The bar's text: "sweep [########............] 12/40 30% 0:07", or "label 0:07" without a total.
  package static func line(label: String, done: Int, total: Int?, elapsed: Duration, width: Int) -> String {
    let time = clock(elapsed)
    var line: String
    if let total, total > 0 {
      let counts = " \(done)/\(total) \(min(100, 100 * done / total))% \(time)"
      let room = max(10, min(40, width - label.count - counts.count - 4))
      let filled = min(room, room * done / total)
      line = "\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: room - filled) + "]" + counts
    } else {
      line = "\(label) \(time)"
    }
    if line.count >= width { line = String(line.prefix(max(1, width - 1))) }
    return line
  }

  /// The label of one scenario of a `run`: where it stands among the others.
  package static func scenarioLabel(_ name: String, index: Int, of count: Int) -> String {
    count == 1 ? "simulating \(name)" : "simulating \(name) (\(index + 1) of \(count), \(100 * index / count)% of the run done)"
  }

  static func clock(_ d: Duration) -> String {
    let s = Int(d.components.seconds)
    return String(format: "%d:%02d", s / 60, s % 60)
  }

  static func write(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
  }

  /// The terminal's columns (80 when the size cannot be read).
  static func terminalWidth() -> Int {
    var ws = winsize()
    #if canImport(Glibc)
      let request = UInt(TIOCGWINSZ)
    #else
      let request = TIOCGWINSZ
    #endif
    if ioctl(2, request, &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
    return 80
  }
}
