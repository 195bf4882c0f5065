import BackupSimEngine
import BackupSimInput
import BackupSimModel

// Marked input (STYLE.md): put 1️⃣ where an error belongs; the test strips it and asserts that location.

/// Removes the keycap markers `1️⃣` … `9️⃣` from `text` and returns where each one was
/// (1-based line and column, counted in Unicode scalars like Yams and XMLParser).
package func stripMarkers(_ text: String, file: String) -> (text: String, locations: [Int: BackupSimInput.SourceLocation]) {
  let scalars = Array(text.unicodeScalars)
  var out = String.UnicodeScalarView()
  var locations: [Int: BackupSimInput.SourceLocation] = [:]
  var line = 1
  var column = 1
  var i = 0
  while i < scalars.count {
    let s = scalars[i]
    if i + 2 < scalars.count, ("1"..."9").contains(s), scalars[i + 1] == "\u{FE0F}", scalars[i + 2] == "\u{20E3}" {
      let n = Int(s.value) - 0x30
      precondition(locations[n] == nil, "marker \(n) appears twice in \(file)")
      locations[n] = BackupSimInput.SourceLocation(file: file, line: line, column: column)
      i += 3
      continue
    }
    out.append(s)
    if s == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    i += 1
  }
  return (String(out), locations)
}

/// The text without its single `1️⃣` marker, and where the marker was.
package func unmark(_ text: String, file: String) -> (text: String, location: BackupSimInput.SourceLocation?) {
  let (clean, locations) = stripMarkers(text, file: file)
  return (clean, locations[1])
}
