// Parsers for the typed values of IAM condition operators (IP addresses, dates). They live here,
// below Input and Analysis, so the decoder can refuse a value IAM refuses and the evaluator can
// compare values with the same reading.

/// An IPv4 or IPv6 address block in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`); a bare address is /32 or /128.
package struct IPBlock: Equatable {
  package var bytes: [UInt8]
  package var prefix: Int

  package init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let bytes = Self.parseAddress(parts[0]) else { return nil }
    var prefix = bytes.count * 8
    if parts.count == 2 {
      guard let n = Int(parts[1]), (0...prefix).contains(n) else { return nil }
      prefix = n
    }
    self.bytes = bytes
    self.prefix = prefix
  }

  package func contains(_ address: [UInt8]) -> Bool {
    guard address.count == bytes.count else { return false }
    var bits = prefix
    for (a, b) in zip(address, bytes) {
      if bits <= 0 { return true }
      let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
      if a & mask != b & mask { return false }
      bits -= 8
    }
    return true
  }

  /// Four bytes for IPv4, sixteen for IPv6 (with `::` compression and a trailing dotted quad).
  package static func parseAddress(_ text: Substring) -> [UInt8]? {
    text.contains(":") ? parseIPv6(text) : parseIPv4(text)
  }

  package static func parseIPv4(_ text: Substring) -> [UInt8]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var out: [UInt8] = []
    for p in parts {
      guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt8(p) else { return nil }
      out.append(v)
    }
    return out
  }

  package static func parseIPv6(_ text: Substring) -> [UInt8]? {
    func groups(_ s: Substring) -> [UInt8]? {
      if s.isEmpty { return [] }
      var out: [UInt8] = []
      let items = s.split(separator: ":", omittingEmptySubsequences: false)
      for (i, g) in items.enumerated() {
        if i == items.count - 1, g.contains(".") {
          guard let v4 = parseIPv4(g) else { return nil }
          out += v4
          continue
        }
        guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
        out += [UInt8(v >> 8), UInt8(v & 0xFF)]
      }
      return out
    }
    let chars = Array(text)
    let gaps = chars.indices.dropLast().filter { chars[$0] == ":" && chars[$0 + 1] == ":" }
    switch gaps.count {
    case 0:
      guard let all = groups(text), all.count == 16 else { return nil }
      return all
    case 1:
      let head = Substring(String(chars[..<gaps[0]])), tail = Substring(String(chars[(gaps[0] + 2)...]))
      guard let h = groups(head), let t = groups(tail), h.count + t.count <= 14 else { return nil }
      return h + [UInt8](repeating: 0, count: 16 - h.count - t.count) + t
    default:
      return nil
    }
  }
}

/// Dates in condition values and request keys: ISO 8601 (`2027-06-15`, `2027-06-15T03:00:00Z`, with
/// fractions or an offset) or epoch seconds, as IAM's date operators accept.
package enum PolicyDate {
  /// Seconds since 1970-01-01T00:00:00Z, or nil when `text` is not a date.
  package static func seconds(_ text: String) -> Double? {
    if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) { return Double(text) }
    let c = Array(text)
    var i = 0
    func number(_ digits: Int) -> Int? {
      guard i + digits <= c.count else { return nil }
      var v = 0
      for k in i..<(i + digits) {
        guard let d = c[k].wholeNumberValue, c[k].isASCII else { return nil }
        v = v * 10 + d
      }
      i += digits
      return v
    }
    func expect(_ ch: Character) -> Bool {
      guard i < c.count, c[i] == ch else { return false }
      i += 1
      return true
    }
    guard let y = number(4), expect("-"), let mo = number(2), expect("-"), let d = number(2) else { return nil }
    guard CivilDate(year: y, month: mo, day: d).isValid else { return nil }
    var h = 0, mi = 0, s = 0.0
    if i < c.count, c[i] == "T" || c[i] == "t" || c[i] == " " {
      i += 1
      guard let hh = number(2), expect(":"), let mm = number(2), hh < 24, mm < 60 else { return nil }
      h = hh
      mi = mm
      if expect(":") {
        guard let ss = number(2), ss < 61 else { return nil }
        s = Double(ss)
        if expect(".") {
          var scale = 0.1
          while i < c.count, let digit = c[i].wholeNumberValue, c[i].isASCII {
            s += Double(digit) * scale
            scale /= 10
            i += 1
          }
        }
      }
    }
    var offset = 0
    if i < c.count {
      if c[i] == "Z" || c[i] == "z" {
        i += 1
      } else if c[i] == "+" || c[i] == "-" {
        let sign = c[i] == "-" ? -1 : 1
        i += 1
        guard let oh = number(2) else { return nil }
        _ = expect(":")
        let om = number(2) ?? 0
        offset = sign * (oh * 3600 + om * 60)
      }
    }
    guard i == c.count else { return nil }
    let base = SimTime(year: y, month: mo, day: d, hour: h, minute: mi).seconds
    return Double(base - Int64(offset)) + s
  }
}
