import ArgumentParser
import BackupSimInput
import BackupSimReports
import BackupSimTerminal
import Foundation

struct PricesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prices", abstract: "Work with price tables.", subcommands: [PricesImportCommand.self])
}

struct PricesImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Write a pricing YAML from the AWS Price List offer files of Amazon S3.",
    discussion: """
      Give the bulk offer file of AmazonS3 for the Region (and, for DEEP_ARCHIVE prices, the one of
      AmazonS3GlacierDeepArchive), as downloaded from the AWS Price List bulk API. Prices the files do not give
      are named on stderr and in the file's header and left out, so the built-in table supplies them and every
      run says which. A file of another service or Region, or a price in a unit backupsim does not know, is an
      error (exit 2) and nothing is written.
      """)

  @Argument(help: "Offer files (JSON).")
  var offers: [String]

  @Option(name: .long, help: "The Region to take prices for, e.g. eu-central-1.")
  var region: String

  @Option(name: .long, help: "Where to write the pricing YAML (default: stdout).")
  var out: String?

  func validate() throws {
    if offers.isEmpty { throw ValidationError("give the offer file(s) to import") }
    if region.wholeMatch(of: /[a-z]{2}(-gov)?-[a-z]+-[0-9]{1,2}/) == nil {
      throw ValidationError("--region must be an AWS Region code like eu-central-1, got '\(region)'")
    }
  }

  func run() throws {
    var files: [(path: String, bytes: [UInt8])] = []
    var problems: [String] = []
    for path in offers {
      guard let bytes = Self.readBytes(path) else {
        problems.append("\(path):1:1: error: cannot read the offer file")
        continue
      }
      files.append((path, bytes))
    }
    if !problems.isEmpty { throw InputFailure(problems) }
    let result: OfferImport
    do { result = try OfferImporter.importOffers(files, region: region) } catch { throw InputFailure(error.errors.map(\.description)) }
    for m in result.missing { Console.error("warning: not in the offer files, left to the built-in table: \(m)") }
    guard let out else {
      Console.out(result.yaml)
      return
    }
    let folder = (out as NSString).deletingLastPathComponent
    do {
      try ReportFolder.write([((out as NSString).lastPathComponent, result.yaml)], to: folder.isEmpty ? "." : folder)
    } catch {
      throw InputFailure("\(out): error: cannot write: \(error.localizedDescription)")
    }
    Console.out("wrote \(out)")
  }

  /// The file's bytes, read straight into one array (no second copy: offer files run to tens of megabytes).
  static func readBytes(_ path: String) -> [UInt8]? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
      let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    else { return nil }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      guard let base = buffer.baseAddress else { return }
      while count < size {
        let n = read(fd, base + count, size - count)
        if n <= 0 {
          complete = n == 0 && count == size
          break
        }
        count += n
      }
    }
    return complete ? bytes : nil
  }
}
