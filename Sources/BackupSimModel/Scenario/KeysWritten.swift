import Foundation

/// The keys a scenario's jobs write, for "did you mean" on `explain --key`.
extension Scenario {
  /// Distinct keys the upload jobs write over the horizon, in the order first written; at most
  /// `runsPerJob` runs and `objectsPerRun` objects of each job are looked at, so a huge scenario stays quick.
  public func keysWritten(runsPerJob: Int = 5_000, objectsPerRun: Int = 10) -> [String] {
    var keys: [String] = []
    var seen: Set<String> = []
    for job in uploads {
      var t = job.schedule.firstFire(atOrAfter: start)
      var run = 1
      while let at = t, at < end, run <= runsPerJob {
        let pattern = job.key.pattern(at: at, run: run)
        for i in 0..<(job.key.hasIndex ? min(job.objects, objectsPerRun) : 1) {
          let key = pattern.replacingOccurrences(of: "{i}", with: String(i))
          if seen.insert(key).inserted { keys.append(key) }
        }
        t = job.schedule.nextFire(after: at)
        run += 1
      }
    }
    return keys
  }
}

extension KeyTemplate {
  /// Whether some run could write `key`: the literal text in order, each placeholder standing for
  /// at least one character.
  ///
  /// It may say yes to a key no run writes (a placeholder is not checked for its shape), never no
  /// to one a run does write: what it rules out is certain.
  public func mayProduce(_ key: String) -> Bool {
    let text = Array(key.utf8)
    // Literal pieces, each preceded by how many placeholders stand before it.
    var pieces: [(placeholders: Int, bytes: [UInt8])] = []
    var pending = 0
    for p in parts {
      if case .literal(let l) = p {
        pieces.append((pending, Array(l.utf8)))
        pending = 0
      } else {
        pending += 1
      }
    }
    return Self.match(text[...], pieces[...], trailing: pending)
  }

  private static func match(_ text: ArraySlice<UInt8>, _ pieces: ArraySlice<(placeholders: Int, bytes: [UInt8])>, trailing: Int) -> Bool {
    guard let piece = pieces.first else { return trailing == 0 ? text.isEmpty : text.count >= trailing }
    let rest = pieces.dropFirst()
    if piece.placeholders == 0 {
      // A literal right here: it must come next.
      guard text.starts(with: piece.bytes) else { return false }
      return match(text.dropFirst(piece.bytes.count), rest, trailing: trailing)
    }
    // After placeholders: the literal may start anywhere past the characters they need.
    var from = text.startIndex + piece.placeholders
    while from + piece.bytes.count <= text.endIndex {
      if text[from...].starts(with: piece.bytes), match(text[(from + piece.bytes.count)...], rest, trailing: trailing) { return true }
      from += 1
    }
    return false
  }
}
