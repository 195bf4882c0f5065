// swift-tools-version: 6.0
import PackageDescription

// A libFuzzer target for the input stage: built only with the fuzzing sanitizer, so it lives in a
// package of its own (`swift build` of the main package never sees it). Run it with Fuzz/run.sh.
let package = Package(
  name: "backupsim-fuzz",
  dependencies: [.package(name: "backupsim", path: "..")],
  targets: [
    .executableTarget(
      name: "FuzzInput",
      dependencies: [.product(name: "BackupSimLibraries", package: "backupsim")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
  ]
)
