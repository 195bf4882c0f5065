#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Numbers printed the way C's printf prints them, with `.` as the decimal point whatever the
/// process locale.
///
/// Foundation's `String(format:locale:)` gives the same digits but costs about 200,000
/// instructions a call on Linux: the daily table's two columns of it were a third of a run.
public enum CNumber {
  /// `v` printed with one printf conversion such as `%.4f` or `%.9g` (correctly rounded).
  public static func format(_ v: Double, _ conversion: String) -> String {
    var buffer = [CChar](repeating: 0, count: 48)
    var written = print(v, conversion, into: &buffer)
    if written >= buffer.count {
      buffer = [CChar](repeating: 0, count: written + 1)
      written = print(v, conversion, into: &buffer)
    }
    precondition(written >= 0, "printf failed")
    let text = String(decoding: buffer[0..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // A locale set by the host program could make the point a comma; %f and %g never group digits.
    let point = localeconv().map { String(cString: $0.pointee.decimal_point) } ?? "."
    return point == "." ? text : text.replacingOccurrences(of: point, with: ".")
  }

  private static func print(_ v: Double, _ conversion: String, into buffer: inout [CChar]) -> Int {
    let count = buffer.count
    return Int(
      withVaList([v]) { args in
        buffer.withUnsafeMutableBufferPointer { b in
          conversion.withCString { vsnprintf(b.baseAddress, count, $0, args) }
        }
      })
  }
}
