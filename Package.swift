// swift-tools-version:6.0
import Foundation
import PackageDescription

// Linux uses Debian's OpenBLAS through the CBLAS module map; macOS uses Accelerate.
let blasDependency: [Target.Dependency] = [
  .target(name: "CBLAS", condition: .when(platforms: [.linux]))
]

// No unsafe flags, so other packages can depend on GradLab by version. Generic numeric code
// is specialised across modules by the code itself: Matrix is @inlinable, and the hot
// generic entry points of Recurrent carry @_specialize for Float and Double
// (docs/performance.md).

// Live figures stream into gnuplot through gnuplot-iostream (Debian's libgnuplot-iostream-dev, a
// header over Boost.Iostreams) when its header is installed; without it (macOS has no package)
// the bridge writes the same text through a plain pipe, and the build says so in a warning.
let gnuplotIostream = FileManager.default.fileExists(atPath: "/usr/include/gnuplot-iostream.h")
let gnuplotStream: Target = .target(
  name: "CGnuplotStream", path: "Sources/CGnuplotStream",
  cxxSettings: gnuplotIostream ? [.define("GRADLAB_GNUPLOT_IOSTREAM")] : [],
  linkerSettings: gnuplotIostream
    ? ["boost_iostreams", "boost_system", "boost_filesystem"].map { .linkedLibrary($0) } : [])

let package = Package(
  name: "GradLab",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gradlab", targets: ["gradlab"]),
    .library(name: "Recurrent", targets: ["Recurrent"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    .target(name: "CPUControl", path: "Sources/CPUControl"),
    .target(name: "StopSignals"),
    .target(name: "Linalg", dependencies: blasDependency + ["CPUControl", "StopSignals"]),
    .target(
      name: "Recurrent",
      dependencies: [
        "Linalg", .product(name: "ComplexModule", package: "swift-numerics"),
        .product(name: "RealModule", package: "swift-numerics"),
      ]),
    .target(name: "Probes", dependencies: ["Linalg", "Recurrent"]),
    .target(name: "IMDB", dependencies: ["CZlib", "Linalg"]),
    gnuplotStream,
    .target(name: "Figures", dependencies: ["CGnuplotStream", "StopSignals"]),
    .target(name: "Notebooks"),
    .target(name: "Tasks", dependencies: ["Linalg", "Recurrent"]),
    .target(
      name: "Experiments",
      dependencies: [
        "Linalg", "Recurrent", "Probes", "IMDB", "Figures", "StopSignals", "Tasks",
        .product(name: "ComplexModule", package: "swift-numerics"),
      ]),
    .executableTarget(
      name: "gradlab",
      dependencies: [
        "Experiments", "Linalg", "Figures", "Notebooks", "StopSignals", "Tasks",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(name: "TestSupport", dependencies: ["Linalg"], path: "Tests/TestSupport"),
    .testTarget(name: "LinalgTests", dependencies: ["Linalg", "TestSupport"]),
    .testTarget(
      name: "RecurrentTests",
      dependencies: ["Linalg", "Recurrent", "TestSupport", .product(name: "ComplexModule", package: "swift-numerics")],
      exclude: ["Reference"]),
    .testTarget(name: "ProbesTests", dependencies: ["Linalg", "Recurrent", "Probes", "TestSupport"]),
    .testTarget(name: "IMDBTests", dependencies: ["IMDB", "TestSupport"]),
    .testTarget(name: "NotebooksTests", dependencies: ["Notebooks"]),
    .testTarget(name: "TasksTests", dependencies: ["Linalg", "Recurrent", "Tasks", "TestSupport"]),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: ["Experiments", "Figures", "IMDB", "Linalg", "Probes", "Recurrent", "Tasks", "TestSupport"]),
  ],
  cxxLanguageStandard: .cxx17
)
