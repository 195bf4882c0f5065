// swift-tools-version: 6.0
import PackageDescription

// One target per stage of the data flow; each imports only the stages below it, so the flow
// scenario → engine → analysis → reports stays one-way:
//
//   BackupSimModel    values and S3 facts (Foundation only)
//   BackupSimInput    YAML/JSON/XML and AWS-shape decoders, validation, sweep editing   (Model)
//   BackupSimEngine   event queue, bucket, lifecycle evaluation, cost ledger, RunResult  (Model)
//   BackupSimAnalysis coverage, requirements, IAM, attacks, mitigation                   (Model, Engine)
//   BackupSimReports  the report document, every sentence, the writers and charts        (Model, Engine, Analysis)
//   BackupSimTerminal console, progress, exit status: what the executables share          (Input, ArgumentParser)
//   backupsim         thin commands                                                      (all of the above)
//   backupsim-bench   the benchmark harness, in Benchmarks/                              (all of the above)
let everyLibrary: [Target.Dependency] = [
  "BackupSimModel", "BackupSimInput", "BackupSimEngine", "BackupSimAnalysis", "BackupSimReports",
]

let package = Package(
  name: "backupsim",
  products: [
    .executable(name: "backupsim", targets: ["backupsim"]),
    .executable(name: "backupsim-bench", targets: ["backupsim-bench"]),
    // For the fuzz target in Fuzz/, a package of its own built with the fuzzing sanitizer.
    .library(name: "BackupSimLibraries", targets: ["BackupSimModel", "BackupSimInput", "BackupSimEngine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    .target(name: "BackupSimModel"),
    // The system zlib (Debian: zlib1g-dev), for the gzip-compressed CSV files of an S3 Inventory report.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "BackupSimInput", dependencies: ["BackupSimModel", "CZlib", .product(name: "Yams", package: "Yams")]),
    // A cache prefetch hint, which Swift cannot spell, for the engine's walks over many keys.
    .target(name: "CPrefetch"),
    .target(name: "BackupSimEngine", dependencies: ["BackupSimModel", "CPrefetch"]),
    .target(name: "BackupSimAnalysis", dependencies: ["BackupSimModel", "BackupSimEngine"]),
    .target(name: "BackupSimReports", dependencies: ["BackupSimModel", "BackupSimEngine", "BackupSimAnalysis"]),
    .target(
      name: "BackupSimTerminal",
      dependencies: ["BackupSimInput", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    .executableTarget(
      name: "backupsim",
      dependencies: everyLibrary + [
        "BackupSimTerminal", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "backupsim-bench",
      dependencies: everyLibrary + [
        "BackupSimTerminal", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Benchmarks/backupsim-bench"
    ),
    // Shared by the test targets: marked input, scenario loading, number helpers.
    .target(name: "BackupSimTestSupport", dependencies: ["BackupSimModel", "BackupSimInput", "BackupSimEngine"], path: "Tests/BackupSimTestSupport"),
    // Tests of a stage may run the stages below and above it (scenarios are loaded from YAML,
    // runs are compared through their result.json).
    .testTarget(name: "BackupSimModelTests", dependencies: ["BackupSimModel"]),
    .testTarget(name: "BackupSimInputTests", dependencies: everyLibrary + ["BackupSimTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "BackupSimEngineTests", dependencies: everyLibrary + ["BackupSimTestSupport"]),
    .testTarget(name: "BackupSimAnalysisTests", dependencies: everyLibrary + ["BackupSimTestSupport"]),
    .testTarget(name: "BackupSimReportsTests", dependencies: everyLibrary + ["BackupSimTestSupport"], exclude: ["__Snapshots__"]),
    .testTarget(name: "BackupSimCLITests", dependencies: everyLibrary + ["BackupSimTerminal"]),
  ]
)
