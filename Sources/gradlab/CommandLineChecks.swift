import ArgumentParser

/// Checks on flag values shared by the subcommands, and the rewrite that lets a negative
/// number follow its option.
enum CommandLineChecks {
  /// An empty path would silently mean the current folder: refuse it.
  static func nonEmpty(_ value: String?, _ flag: String) throws {
    if value?.isEmpty == true { throw ValidationError("\(flag) must not be empty; give a path") }
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
