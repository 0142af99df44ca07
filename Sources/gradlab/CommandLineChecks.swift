import ArgumentParser
import Foundation
import Recurrent
import Storage

/// Checks on flag values shared by the subcommands, and the rewrite that lets a negative
/// number follow its option.
enum CommandLineChecks {
  /// An empty path would silently mean the current folder: refuse it.
  static func nonEmpty(_ value: String?, _ flag: String) throws {
    if value?.isEmpty == true { throw ValidationError("\(flag) must not be empty; give a path") }
  }

  /// Refuses, naming `flag`, a folder path that is a file or lies below one, or where no
  /// file can be written; leaves nothing behind.
  static func folder(_ url: URL, _ flag: String) throws {
    do { try OutputFolder.checkWritable(url) } catch let error as FileSystemError { throw ValidationError("\(flag): \(error.description)") }
  }

  /// The SGD momentum of `--optimizer` and `--momentum` (train, compare): nil for Adam, which
  /// refuses a `--momentum` (it keeps its own moments), and 0 when SGD is given none.
  static func momentum(_ momentum: Double?, for optimizer: OptimizerKind) throws -> Double? {
    switch optimizer {
    case .adam:
      guard momentum == nil else { throw ValidationError("--momentum applies to --optimizer sgd only") }
      return nil
    case .sgd: return momentum ?? 0
    }
  }

  /// argument-parser reads "-1" after an option as another option ("Missing value for
  /// '--epochs'"); joining a negative number to the option before it (`--epochs=-1`) lets the
  /// subcommand's own range check answer instead.
  static func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      let next = index + 1 < arguments.endIndex ? arguments[index + 1] : nil
      if argument.hasPrefix("--"), !argument.contains("="), let next, next.hasPrefix("-"), Double(next) != nil {
        result.append(argument + "=" + next)
        index += 2
      } else {
        result.append(argument)
        index += 1
      }
    }
    return result
  }
}
