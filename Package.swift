// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "backupsim",
  products: [
    .executable(name: "backupsim", targets: ["backupsim"]),
    .library(name: "BackupSimCore", targets: ["BackupSimCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    .target(
      name: "BackupSimCore",
      dependencies: [
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "backupsim",
      dependencies: [
        "BackupSimCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "BackupSimCoreTests", dependencies: ["BackupSimCore"], exclude: ["__Snapshots__"]),
    .testTarget(name: "BackupSimCLITests", dependencies: ["BackupSimCore"]),
  ]
)
