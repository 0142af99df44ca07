import Foundation

/// Paths as the checker compares them: absolute, with `.` and `..` resolved by their text
/// (`../x` from /a/b is /a/x), so a folder given on the command line means what it says.
public enum RepositoryPath {
  /// `path` made absolute against `base` (default: the current directory), `.` and `..` resolved.
  public static func absolute(_ path: String, from base: String = FileManager.default.currentDirectoryPath) -> String {
    let joined = path.hasPrefix("/") ? path : base + "/" + path
    var parts: [Substring] = []
    for part in joined.split(separator: "/") {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default: parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// True when `path` is `folder` or lies inside it, by text and, for existing paths, after
  /// symbolic links are resolved.
  public static func isInside(_ path: String, _ folder: String) -> Bool {
    func inside(_ p: String, _ f: String) -> Bool { p == f || p.hasPrefix(f == "/" ? "/" : f + "/") }
    let (p, f) = (absolute(path), absolute(folder))
    guard inside(p, f) else { return false }
    let resolved = URL(fileURLWithPath: p).resolvingSymlinksInPath().path
    return inside(resolved, URL(fileURLWithPath: f).resolvingSymlinksInPath().path)
  }

  /// True when the relative `path` stays inside the folder it is relative to (no `..` out of it).
  public static func staysInside(relative path: String) -> Bool {
    !path.hasPrefix("/") && isInside(absolute(path, from: "/folder"), "/folder")
  }
}
