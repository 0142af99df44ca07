import Foundation
import Notebooks

/// The command line as typed, for a run's config.json: "gradlab" and its arguments, with
/// every absolute path made relative to the current directory (the repository, which the
/// course's commands are run from), so that no machine's folders are recorded.
func commandLine(
  _ arguments: [String] = Array(CommandLine.arguments.dropFirst()), from directory: String = FileManager.default.currentDirectoryPath
) -> String {
  let recorded = arguments.map { argument -> String in
    // "--output=/a/b" as well as "/a/b".
    if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "="), argument[argument.index(after: equals)...].hasPrefix("/") {
      return argument[...equals] + relativePath(String(argument[argument.index(after: equals)...]), from: directory)
    }
    return recordedPath(argument, from: directory)
  }
  return (["gradlab"] + recorded.map { $0.contains(" ") ? "'\($0)'" : $0 }).joined(separator: " ")
}

/// A path for a recorded command: an absolute one relative to `directory`, any other as given.
func recordedPath(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
  path.hasPrefix("/") ? relativePath(path, from: directory) : path
}

/// `path` (absolute) from `directory`: "runs/x" inside it, "../data/x" beside it, "." for
/// the directory itself.
func relativePath(_ path: String, from directory: String) -> String {
  let target = RepositoryPath.absolute(path).split(separator: "/")
  let base = RepositoryPath.absolute(directory).split(separator: "/")
  let common = zip(target, base).prefix { $0 == $1 }.count
  let parts = Array(repeating: "..", count: base.count - common) + target[common...].map(String.init)
  return parts.isEmpty ? "." : parts.joined(separator: "/")
}
