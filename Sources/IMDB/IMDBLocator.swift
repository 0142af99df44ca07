import Foundation

/// Finds the IMDB data on disk.
public enum IMDBLocator {
  /// The default locations, relative to `currentDirectory`, in the order they are tried.
  public static func defaultLocations(currentDirectory: URL) -> [URL] {
    [
      "../shared/data/imdb/aclImdb-labelled.tar.gz", "data/aclImdb_v1.tar.gz", "data/aclImdb",
    ].map { currentDirectory.appendingPathComponent($0).standardizedFileURL }
  }

  /// Resolution order: the explicit `flag` path, then `GRADLAB_IMDB`, then
  /// `defaultLocations(currentDirectory:)`; relative paths are taken from `currentDirectory`.
  /// Returns the first that exists.
  ///
  /// - Throws: `IMDBError.missing` if `flag` is given and does not exist (no fall-through);
  ///   otherwise `IMDBError.notFound` listing every path tried, where to put the data and
  ///   the download URL.
  public static func resolve(
    flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: URL
  ) throws -> URL {
    func url(_ path: String) -> URL {
      let expanded = (path as NSString).expandingTildeInPath
      return
        (expanded.hasPrefix("/")
        ? URL(fileURLWithPath: expanded)
        : currentDirectory.appendingPathComponent(expanded)).standardizedFileURL
    }
    func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    if let flag, !flag.isEmpty {
      let candidate = url(flag)
      guard exists(candidate) else { throw IMDBError.missing(path: candidate.path) }
      return candidate
    }
    var tried: [String] = []
    if let variable = environment[IMDBRelease.environmentVariable], !variable.isEmpty {
      let candidate = url(variable)
      if exists(candidate) { return candidate }
      tried.append("\(candidate.path) (from \(IMDBRelease.environmentVariable))")
    }
    for candidate in defaultLocations(currentDirectory: currentDirectory) {
      if exists(candidate) { return candidate }
      tried.append(candidate.path)
    }
    throw IMDBError.notFound(tried: tried)
  }
}
