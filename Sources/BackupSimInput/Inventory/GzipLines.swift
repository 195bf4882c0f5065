import BackupSimModel
import CZlib
import Foundation

/// Reads a gzip-compressed text file line by line without holding it: S3 Inventory delivers its
/// CSV files this way, and a report of 10 million rows is a few gigabytes once inflated.
///
/// A file of several gzip members (concatenated streams) reads as their concatenation, as gzip does.
final class GzipLines {
  /// Why the file could not be read, in words; the caller adds the path.
  struct Failure: Error {
    var message: String
  }

  private static let chunk = 1 << 20
  private let file: UnsafeMutablePointer<FILE>
  private var stream = z_stream()
  // Allocated once: zlib keeps pointers into them between calls.
  private let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
  private let output = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)

  init(path: String) throws {
    guard let f = fopen(path, "rb") else {
      let e = errno
      input.deallocate()
      output.deallocate()
      throw Failure(message: e == ENOENT ? "no such file" : String(cString: strerror(e)))
    }
    file = f
    // 15 window bits + 32: read a gzip or zlib header, whichever it is.
    let status = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      fclose(f)
      input.deallocate()
      output.deallocate()
      throw Failure(message: "zlib could not start (\(status))")
    }
  }

  deinit {
    inflateEnd(&stream)
    fclose(file)
    input.deallocate()
    output.deallocate()
  }

  /// Calls `body` with each line's bytes (without the line break) and its 1-based number.
  ///
  /// A file that ends inside a gzip member is an error: a truncated download.
  func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
    var carry: [UInt8] = []
    var lineNumber = 0
    var sawData = false
    var inMember = false
    while true {
      if stream.avail_in == 0 {
        let n = fread(input, 1, Self.chunk, file)
        if n == 0 {
          if ferror(file) != 0 { throw Failure(message: "read error") }
          if inMember { throw Failure(message: "the gzip data ends early (a truncated or partial download?)") }
          if !sawData { throw Failure(message: "the file is empty, not gzip data") }
          break
        }
        sawData = true
        stream.next_in = input
        stream.avail_in = UInt32(n)
      }
      stream.next_out = output
      stream.avail_out = UInt32(Self.chunk)
      let status = inflate(&stream, Z_NO_FLUSH)
      let produced = Self.chunk - Int(stream.avail_out)
      inMember = true
      switch status {
      case Z_OK, Z_BUF_ERROR: break
      case Z_STREAM_END:
        inMember = false
        // Another member may follow in the same file.
        if inflateReset(&stream) != Z_OK { throw Failure(message: "zlib could not restart") }
      case Z_DATA_ERROR: throw Failure(message: "not valid gzip data (\(stream.msg.map { String(cString: $0) } ?? "corrupt"))")
      case Z_MEM_ERROR: throw Failure(message: "out of memory while inflating")
      default: throw Failure(message: "zlib error \(status)")
      }
      let bytes = UnsafeBufferPointer(start: output, count: produced)
      var start = 0
      for i in 0..<produced where bytes[i] == 0x0A {
        lineNumber += 1
        if carry.isEmpty {
          try body(UnsafeBufferPointer(rebasing: bytes[start..<i]), lineNumber)
        } else {
          carry.append(contentsOf: bytes[start..<i])
          try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
          carry.removeAll(keepingCapacity: true)
        }
        start = i + 1
      }
      if start < produced { carry.append(contentsOf: bytes[start..<produced]) }
    }
    if !carry.isEmpty {
      lineNumber += 1
      try carry.withUnsafeBufferPointer { try body($0, lineNumber) }
    }
  }
}

/// Writes a gzip file in pieces (the synthetic inventories: the format S3 delivers).
public final class GzipWriter {
  private let file: UnsafeMutablePointer<FILE>
  private var stream = z_stream()
  private static let chunk = 1 << 18
  private let out = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
  private var finished = false

  public init(path: String, level: Int32 = 6) throws {
    guard let f = fopen(path, "wb") else {
      out.deallocate()
      throw GzipLines.Failure(message: "cannot create \(path): \(String(cString: strerror(errno)))")
    }
    file = f
    // 15 window bits + 16: a gzip header and trailer rather than zlib's.
    let status = deflateInit2_(
      &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      fclose(f)
      out.deallocate()
      throw GzipLines.Failure(message: "zlib could not start (\(status))")
    }
  }

  deinit {
    deflateEnd(&stream)
    fclose(file)
    out.deallocate()
  }

  public func write(_ bytes: [UInt8]) throws { try pump(bytes, flush: Z_NO_FLUSH) }

  /// Ends the gzip member and closes the file.
  public func finish() throws {
    guard !finished else { return }
    finished = true
    try pump([], flush: Z_FINISH)
    fflush(file)
  }

  private func pump(_ bytes: [UInt8], flush: Int32) throws {
    var input = bytes
    try input.withUnsafeMutableBufferPointer { buf in
      stream.next_in = buf.baseAddress
      stream.avail_in = UInt32(buf.count)
      repeat {
        stream.next_out = out
        stream.avail_out = UInt32(Self.chunk)
        let status = deflate(&stream, flush)
        guard status != Z_STREAM_ERROR else { throw GzipLines.Failure(message: "deflate failed") }
        let n = Self.chunk - Int(stream.avail_out)
        if n > 0, fwrite(out, 1, n, file) != n { throw GzipLines.Failure(message: "write error") }
        if flush == Z_FINISH && status == Z_STREAM_END { break }
      } while stream.avail_out == 0 || (flush == Z_FINISH)
    }
  }
}
