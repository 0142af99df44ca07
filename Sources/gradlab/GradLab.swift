import ArgumentParser
import Foundation
import Linalg
import StopSignals

@main
struct GradLab: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gradlab",
    abstract: "See how gradients flow back through time in RNNs, LSTMs and GRUs.",
    subcommands: CourseCommands.all + [Notebook.self])

  static func main() {
    OpenBLASCoreType.reexecIfGeneric()
    StopSignals.install()
    do {
      var command = try parseAsRoot(CommandLineChecks.joiningNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
      try command.run()
    } catch {
      // A refused flag value is one line; the usage summary would only bury it.
      guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
      FileHandle.standardError.write(Data("Error: \(message(for: error))\n".utf8))
      Foundation.exit(ExitCode.validationFailure.rawValue)
    }
  }
}
