// swift-tools-version:6.0
// A new user's package: depends on GradLab by version, as SwiftPM allows only for packages
// without unsafe build flags. `.ci/run` places a clone of GradLab tagged 1.0.0 beside it
// (../GradLab) and runs it.
import PackageDescription

let gradlab = "file://" + Context.packageDirectory + "/../GradLab"

let package = Package(
  name: "GradLabConsumer",
  dependencies: [.package(url: gradlab, from: "1.0.0")],
  targets: [
    .executableTarget(name: "consumer", dependencies: [.product(name: "Recurrent", package: "GradLab")])
  ]
)
