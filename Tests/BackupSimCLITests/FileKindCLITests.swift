import Foundation
import Testing

// Paths that name no regular UTF-8 file (issue 13 item 15): each gets one plain located line and
// exit status 2, never Foundation's "NSCocoaErrorDomain error 256", and a FIFO never hangs.

@Suite struct FileKindCLITests {
  private func expectValidate(_ path: String, in tmp: TempDir, _ expected: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let r = try Backupsim.run(["validate", path], in: tmp.url, timeout: 20)
    #expect(r.status == 2, "\(r)", sourceLocation: sourceLocation)
    #expect(r.errLines == [expected], "\(r)", sourceLocation: sourceLocation)
  }

  @Test func aFolder() throws {
    try withTempDir { tmp in
      try FileManager.default.createDirectory(at: tmp.file("bench"), withIntermediateDirectories: true)
      try expectValidate(tmp.file("bench").path, in: tmp, "\(tmp.file("bench").path):1:1: error: is a folder, not a scenario file")
    }
  }

  @Test func aSymlinkLoop() throws {
    try withTempDir { tmp in
      try FileManager.default.createSymbolicLink(atPath: tmp.file("a.yaml").path, withDestinationPath: "b.yaml")
      try FileManager.default.createSymbolicLink(atPath: tmp.file("b.yaml").path, withDestinationPath: "a.yaml")
      let a = tmp.file("a.yaml").path
      try expectValidate(a, in: tmp, "\(a):1:1: error: is a symbolic link that loops, not a scenario file")
    }
  }

  @Test func aFIFODoesNotHang() throws {
    try withTempDir { tmp in
      let fifo = tmp.file("s.yaml").path
      #expect(mkfifo(fifo, 0o600) == 0)
      try expectValidate(fifo, in: tmp, "\(fifo):1:1: error: is a named pipe, not a scenario file")
    }
  }

  @Test func devNull() throws {
    try withTempDir { tmp in
      try expectValidate("/dev/null", in: tmp, "/dev/null:1:1: error: is a device, not a scenario file")
    }
  }

  @Test func notUTF8() throws {
    try withTempDir { tmp in
      let path = tmp.file("s.yaml").path
      try Data("start: 2027-01-01\nname: caf\u{E9}".utf8.dropLast(2) + [0xE9, 0x0A]).write(to: tmp.file("s.yaml"))
      try expectValidate(path, in: tmp, "\(path):2:10: error: the file is not UTF-8 text (an invalid byte here); save it as UTF-8")
    }
  }

  @Test func aLifecycleFileThatIsAFolder() throws {
    try withTempDir { tmp in
      try FileManager.default.createDirectory(at: tmp.file("rules"), withIntermediateDirectories: true)
      let path = try tmp.write(
        "s.yaml",
        """
        bucket:
          versioning: Enabled
          lifecycleFile: rules
        uploads:
          - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
        """)
      try expectValidate(path, in: tmp, "\(path):3:18: error: cannot read lifecycle file 'rules': is a folder, not a file")
    }
  }

  /// A policy file pointed at a system file: refused by default, and with --allow-outside-paths read
  /// but never quoted (issue 13 item 12).
  @Test func aPolicyFileOutsideTheScenariosFolder() throws {
    try withTempDir { tmp in
      let path = try tmp.write(
        "s.yaml",
        """
        bucket: { versioning: Enabled }
        uploads:
          - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
        principals:
          backup: { policyFile: /etc/passwd }
        """)
      try expectValidate(
        path, in: tmp,
        "\(path):5:25: error: cannot read policy file '/etc/passwd': it is outside the scenario's folder (pass --allow-outside-paths to read it)")
      let r = try Backupsim.run(["validate", "--allow-outside-paths", path], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(
        r.errLines == [
          "/etc/passwd:1:1: error: not a policy document (expected a mapping with one of 'Statement', 'PolicyDocument', 'PolicyVersion', 'Policy'); its content is not shown"
        ],
        "\(r)")
    }
  }
}

extension FileKindCLITests {
  /// A value with a newline and an escape sequence stays one inert line (issue 13 item 13).
  @Test func aForgedDiagnosticStaysOnTheOneLine() throws {
    try withTempDir { tmp in
      let path = try tmp.write(
        "s.yaml",
        """
        bucket: { versioning: Enabled, name: "acme\\nx.yaml:1:1: error: forged\\e[2J" }
        uploads:
          - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
        """)
      let r = try Backupsim.run(["validate", path], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(
        r.errLines == [
          #"\#(path):1:38: error: bucket name 'acme\nx.yaml:1:1: error: forged\u{1B}[2J' is not a valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)"#
        ], "\(r)")
      #expect(!r.err.contains("\u{1B}"))
    }
  }

  /// compare and sweep take --allow-outside-paths too (they load scenarios the same way).
  @Test(arguments: [["compare"], ["sweep", "--vary", "seed=1,2"]])
  func otherCommandsRefuseOutsidePathsUnlessAllowed(_ command: [String]) throws {
    try withTempDir { tmp in
      try tmp.write("shared/policy.json", #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}"#)
      let path = try tmp.write(
        "plans/s.yaml",
        """
        duration: 1 month
        bucket: { versioning: Enabled }
        uploads:
          - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
        principals:
          backup: { policyFile: ../shared/policy.json }
        """)
      let paths = command == ["compare"] ? [path, path] : [path]
      let refused = try Backupsim.run(command + paths + ["--out", tmp.file("out").path], in: tmp.url)
      #expect(refused.status == 2, "\(refused)")
      #expect(refused.err.contains("it is outside the scenario's folder (pass --allow-outside-paths to read it)"), "\(refused)")
      let allowed = try Backupsim.run(command + paths + ["--out", tmp.file("out").path, "--allow-outside-paths"], in: tmp.url)
      #expect(allowed.status == 0, "\(allowed)")
    }
  }
}

extension FileKindCLITests {
  /// A symbolic link in the scenario's folder that points outside it is outside too (issue 13 item 12).
  @Test func aSymlinkOutOfTheScenariosFolderIsRefused() throws {
    try withTempDir { tmp in
      try FileManager.default.createDirectory(at: tmp.file("plans"), withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(atPath: tmp.file("plans/policy.json").path, withDestinationPath: "/etc/passwd")
      let path = try tmp.write(
        "plans/s.yaml",
        """
        bucket: { versioning: Enabled }
        uploads:
          - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
        principals:
          backup: { policyFile: policy.json }
        """)
      try expectValidate(
        path, in: tmp,
        "\(path):5:25: error: cannot read policy file 'policy.json': it is outside the scenario's folder (pass --allow-outside-paths to read it)")
    }
  }
}

extension FileKindCLITests {
  /// A lifecycle JSON file nested 50,000 deep stops at the strict parser's bound, without a crash.
  @Test func deeplyNestedLifecycleJSON() throws {
    try withTempDir { tmp in
      try tmp.write("deep.json", String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000))
      let path = try tmp.write(
        "s.yaml",
        """
        bucket:
          versioning: Enabled
          lifecycleFile: deep.json
        uploads:
          - { name: db, key: db/x, schedule: daily at 02:00, size: 1 GiB }
        """)
      try expectValidate(path, in: tmp, "\(tmp.path)/deep.json:1:65: error: invalid JSON: values nested more than 64 levels deep")
    }
  }
}
