// swift-tools-version:6.0
import PackageDescription

// Linux uses Debian's OpenBLAS through the CBLAS module map; macOS uses Accelerate.
let blasDependency: [Target.Dependency] = [
  .target(name: "CBLAS", condition: .when(platforms: [.linux]))
]

// No unsafe flags, so other packages can depend on GradLab by version. Generic numeric code
// is specialised across modules by the code itself: Matrix is @inlinable, and the hot
// generic entry points of Recurrent carry @_specialize for Float and Double
// (docs/performance.md).

let package = Package(
  name: "GradLab",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gradlab", targets: ["gradlab"]),
    .library(name: "Recurrent", targets: ["Recurrent"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      // Not "CZlib": ZIPFoundation's own zlib module map takes that name.
      name: "CSystemZlib", path: "Sources/CSystemZlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    // HDF5's include and library folders (Debian: /usr/include/hdf5/serial) from its hdf5.pc.
    .systemLibrary(
      name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
      providers: [.apt(["libhdf5-dev", "pkg-config"]), .brew(["hdf5", "pkg-config"])]),
    .target(name: "CPUControl", path: "Sources/CPUControl"),
    // Float training's hot pointwise loops in C, compiled for AVX-512, AVX2 and portably by
    // per-function target attributes (no flags) and picked at run time.
    .target(name: "PointwiseKernels", path: "Sources/PointwiseKernels"),
    .target(name: "StopSignals"),
    .target(name: "CChildSpawn", path: "Sources/CChildSpawn"),
    .target(name: "ChildProcess", dependencies: ["CChildSpawn", "StopSignals"]),
    .target(name: "SeededRandom"),
    .target(name: "Storage", dependencies: ["StopSignals"]),
    .target(name: "Statistics"),
    .target(name: "Timing"),
    .target(name: "Linalg", dependencies: blasDependency + ["CPUControl", "PointwiseKernels", "SeededRandom", "Timing"]),
    .target(
      name: "Recurrent",
      dependencies: [
        "Linalg", "PointwiseKernels", "SeededRandom", "Storage", .product(name: "ComplexModule", package: "swift-numerics"),
        .product(name: "RealModule", package: "swift-numerics"),
      ]),
    .target(name: "Probes", dependencies: ["Linalg", "Recurrent"]),
    .target(name: "IMDB", dependencies: ["CSystemZlib", "SeededRandom", "Storage"]),
    .target(name: "ModelFiles", dependencies: ["CHDF5", "IMDB", "Linalg", "Recurrent", "Storage", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    .target(name: "Figures", dependencies: ["ChildProcess", "StopSignals"]),
    .target(name: "Notebooks", dependencies: ["ChildProcess", "StopSignals"]),
    .target(
      name: "DecayLab",
      dependencies: [
        "Linalg", "SeededRandom", "Recurrent", "Probes", "Storage", .product(name: "ComplexModule", package: "swift-numerics"),
      ]),
    .target(
      name: "Training",
      dependencies: [
        "CPUControl", "Linalg", "SeededRandom", "Recurrent", "Probes", "IMDB", "Storage", "Statistics", "StopSignals", "Timing",
      ]),
    .target(
      name: "Comparison",
      dependencies: ["Linalg", "SeededRandom", "Recurrent", "IMDB", "Storage", "Statistics", "StopSignals", "Training"]),
    .target(name: "Tasks", dependencies: ["Linalg", "SeededRandom", "Recurrent", "Probes", "Storage", "Timing"]),
    .target(name: "Benchmarks", dependencies: ["Linalg", "SeededRandom", "Recurrent", "Timing", "Training"]),
    .target(name: "LiveViews", dependencies: ["Figures", "Recurrent", "Training", "Comparison"]),
    .executableTarget(
      name: "gradlab",
      dependencies: [
        "Benchmarks", "Comparison", "DecayLab", "Figures", "IMDB", "Linalg", "LiveViews", "ModelFiles", "Notebooks", "Recurrent",
        "Statistics", "StopSignals", "Storage", "Tasks", "Timing", "Training",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(name: "TestSupport", dependencies: ["Linalg", "SeededRandom"], path: "Tests/TestSupport"),
    .testTarget(name: "LinalgTests", dependencies: ["Linalg", "SeededRandom", "TestSupport"]),
    .testTarget(name: "StorageTests", dependencies: ["Linalg", "Recurrent", "SeededRandom", "Storage", "TestSupport"], exclude: ["Reference"]),
    .testTarget(
      name: "RecurrentTests",
      dependencies: [
        "Linalg", "Recurrent", "SeededRandom", "Storage", "TestSupport", .product(name: "ComplexModule", package: "swift-numerics"),
      ],
      exclude: ["Reference"]),
    .testTarget(name: "ProbesTests", dependencies: ["Linalg", "Recurrent", "Probes", "SeededRandom", "TestSupport"]),
    .testTarget(name: "IMDBTests", dependencies: ["CSystemZlib", "IMDB", "TestSupport"]),
    .testTarget(
      name: "ModelFilesTests", dependencies: ["CHDF5", "Linalg", "ModelFiles", "Recurrent", "Storage", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "NotebooksTests", dependencies: ["Notebooks", "SeededRandom", "TestSupport"]),
    .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
    .testTarget(name: "TimingTests", dependencies: ["Timing"]),
    .testTarget(name: "TasksTests", dependencies: ["Linalg", "Recurrent", "SeededRandom", "Tasks", "TestSupport"]),
    .testTarget(
      name: "ExperimentsTests",
      dependencies: [
        "Benchmarks", "Comparison", "DecayLab", "Figures", "IMDB", "Linalg", "LiveViews", "Probes", "Recurrent",
        "SeededRandom", "Statistics", "Storage", "Tasks", "Training", "TestSupport",
      ]),
  ]
)
