import Foundation
import Storage

/// What the cache key needs to know about a data source: its absolute path, whether it is a
/// folder, its size and its modification time. For a folder these are the folder's own,
/// so editing a review inside it does not invalidate the cache; delete the cache then.
struct SourceInfo: Sendable {
  let path: String
  let isDirectory: Bool
  let size: UInt64
  let modified: Double

  /// Throws `IMDBError.missing` if `url` does not exist.
  init(_ url: URL) throws {
    path = url.standardizedFileURL.path
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try FileManager.default.attributesOfItem(atPath: path)
    } catch {
      guard FileManager.default.fileExists(atPath: path) else {
        throw IMDBError.missing(path: path)
      }
      throw IMDBError.unreadable(path: path, reason: FileSystemError.explain(error))
    }
    isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
    size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
    modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
  }

  /// The file or folder name, for progress messages.
  var name: String { (path as NSString).lastPathComponent }
}
