import Foundation
import Testing

/// The debug build of `gradlab` (`swift test` builds it first).
let gradlabBinary: URL? = {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let url = root.appendingPathComponent(".build/debug/gradlab")
  return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
}()

/// Starts gradlab with `arguments`, its standard error going to `errors`.
func startGradLab(_ arguments: [String], errors: Pipe, directory: URL? = nil) throws -> Process {
  // A URL, not a URL?: assigned straight to the optional `executableURL`, `#require` would
  // take the optional itself as its value and let a missing binary through unchecked.
  let binary: URL = try #require(gradlabBinary, "no executable .build/debug/gradlab: run `swift build` first")
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.standardError = errors
  process.standardOutput = Pipe()
  if let directory { process.currentDirectoryURL = directory }
  try process.run()
  return process
}

/// Runs gradlab with `arguments` to its end; returns the exit status and standard error.
func gradlab(_ arguments: [String], directory: URL? = nil) throws -> (status: Int32, stderr: String) {
  let errors = Pipe()
  let process = try startGradLab(arguments, errors: errors, directory: directory)
  let data = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A new empty folder in the temporary directory.
func emptyFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
