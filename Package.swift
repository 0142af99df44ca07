// swift-tools-version:6.0
import PackageDescription

// Linux uses Debian's OpenBLAS through the CBLAS module map; macOS uses Accelerate.
let blasDependency: [Target.Dependency] = [
  .target(name: "CBLAS", condition: .when(platforms: [.linux]))
]

// Generic numeric code (Matrix<Float>, RecurrentLayer<Float>) must be specialised across
// module boundaries or every multiply goes through a witness table: full cross-module
// optimisation in release builds (about 100x faster training steps).
let optimized: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
  name: "GradLab",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gradlab", targets: ["gradlab"]),
    .library(name: "Recurrent", targets: ["Recurrent"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    .target(name: "CPUControl", path: "Sources/CPUControl"),
    .target(name: "Linalg", dependencies: blasDependency + ["CPUControl"], swiftSettings: optimized),
    .target(name: "Recurrent", dependencies: ["Linalg"], swiftSettings: optimized),
    .target(name: "Probes", dependencies: ["Linalg", "Recurrent"], swiftSettings: optimized),
    .target(name: "IMDB", dependencies: ["CZlib", "Linalg"], swiftSettings: optimized),
    .target(name: "Figures"),
    .target(name: "Notebooks"),
    .target(name: "Experiments", dependencies: ["Linalg", "Recurrent", "Probes", "IMDB", "Figures"], swiftSettings: optimized),
    .executableTarget(
      name: "gradlab",
      dependencies: [
        "Experiments", "Linalg", "Figures", "Notebooks",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(name: "TestSupport", dependencies: ["Linalg"], path: "Tests/TestSupport"),
    .testTarget(name: "LinalgTests", dependencies: ["Linalg", "TestSupport"]),
    .testTarget(
      name: "RecurrentTests", dependencies: ["Linalg", "Recurrent", "TestSupport"],
      exclude: ["Reference"]),
    .testTarget(name: "ProbesTests", dependencies: ["Linalg", "Recurrent", "Probes", "TestSupport"]),
    .testTarget(name: "IMDBTests", dependencies: ["IMDB"]),
    .testTarget(name: "NotebooksTests", dependencies: ["Notebooks"]),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: ["Experiments", "Figures", "IMDB", "Linalg", "Probes", "Recurrent", "TestSupport"]),
  ]
)
