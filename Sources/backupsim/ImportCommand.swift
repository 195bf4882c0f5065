import ArgumentParser
import BackupSimInput
import BackupSimTerminal
import Foundation

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import", abstract: "Write a scenario from what the AWS CLI prints about a bucket (and its S3 Inventory report).",
    discussion: """
      Each file is recognised by its shape: the output of `aws s3api
      get-bucket-versioning`, `get-bucket-lifecycle-configuration`,
      `get-object-lock-configuration`, `get-bucket-policy`, `aws iam
      get-user-policy` or `get-policy-version`, or an S3 Inventory
      manifest.json (its data files are read from beside it). From an
      inventory the upload jobs are inferred and commented in the YAML with
      what they were inferred from; the simulation then starts from the
      inventory's versions. Without --out the YAML goes to stdout.
      Exit status: 0 written, 2 a file is not one of these outputs.
      """)

  @Argument(help: "AWS CLI output files (JSON) and/or an inventory manifest.json.")
  var files: [String]

  @Option(name: .long, help: "Where to write the scenario (written atomically).")
  var out: String?

  func validate() throws {
    if files.isEmpty { throw ValidationError("give the AWS CLI output files to import") }
  }

  func run() throws {
    var inputs: [ScenarioImport.Input] = []
    var problems: [String] = []
    for f in files {
      do { inputs.append(.init(path: f, text: try UTF8File.read(f))) } catch let e as ScenarioError {
        problems.append(e.description)
      } catch {
        problems.append("\(f):1:1: error: cannot read: \(error.localizedDescription)")
      }
    }
    if !problems.isEmpty { throw InputFailure(problems) }
    let yaml: String
    do { yaml = try ScenarioImport.scenario(from: inputs, output: out ?? "scenario.yaml") } catch {
      throw InputFailure(error.errors.map(\.description))
    }
    guard let out else {
      Console.out(yaml)
      return
    }
    do { try Data(yaml.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
      throw InputFailure("error: cannot write \(out): \(error.localizedDescription)")
    }
    Console.out("wrote \(out); check the values marked 'inferred', then: backupsim run \(out)")
  }
}
