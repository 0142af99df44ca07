import Foundation
import Storage

/// Reads the reviews of a `.tar.gz` archive into a collector, straight from the gzip stream.
enum ArchiveSource {
  static func read(
    _ path: String, into collector: inout ReviewCollector, progress: (@Sendable (String) -> Void)?
  ) throws {
    let name = (path as NSString).lastPathComponent
    var tar = TarReader(source: try GzipReader(path: path), path: path)
    var skipped = SkippedEntries()
    try tar.forEachFile(select: { skipped.review(at: $0) }) { review, text in
      collector.add(review, text: &text)
      ReviewProgress.report(collector.reviews.count, name, progress)
    }
    collector.skipped = skipped
  }
}

/// Reads the reviews of an unpacked folder into a collector: `folder/aclImdb/...` or, when
/// `folder` has no `aclImdb` child, `folder/{train,test}/{pos,neg}/` itself.
enum FolderSource {
  static func read(
    _ folder: String, into collector: inout ReviewCollector,
    progress: (@Sendable (String) -> Void)?
  ) throws {
    let files = FileManager.default
    let nested = folder + "/aclImdb"
    var isDirectory: ObjCBool = false
    let root =
      files.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue
      ? nested : folder
    let name = (folder as NSString).lastPathComponent
    for split in ["train", "test"] {
      for label in ["neg", "pos"] {
        let directory = "\(root)/\(split)/\(label)"
        guard files.fileExists(atPath: directory) else { continue }
        let names: [String]
        do {
          names = try files.contentsOfDirectory(atPath: directory)
        } catch {
          throw IMDBError.unreadable(path: directory, reason: FileSystemError.explain(error))
        }
        for file in names.sorted() {
          let filePath = "\(directory)/\(file)"
          guard let review = collector.skipped.review(at: "aclImdb/\(split)/\(label)/\(file)") else {
            continue
          }
          var text: [UInt8]
          do {
            text = [UInt8](try FileContents.read(URL(fileURLWithPath: filePath)))
          } catch {
            throw IMDBError.unreadable(path: filePath, reason: FileSystemError.explain(error))
          }
          collector.add(review, text: &text)
          ReviewProgress.report(collector.reviews.count, name, progress)
        }
      }
    }
  }
}

/// The progress line both sources print every 10,000 reviews.
private enum ReviewProgress {
  static func report(_ count: Int, _ name: String, _ progress: (@Sendable (String) -> Void)?) {
    if count % 10_000 == 0 { progress?("reading \(name): \(count) reviews") }
  }
}

extension ReviewCollector {
  /// Every review of a source (a `.tar.gz` or an unpacked folder), with the warning for the
  /// entries it skipped passed to `progress`.
  static func read(_ info: SourceInfo, progress: (@Sendable (String) -> Void)?) throws -> ReviewCollector {
    var collector = ReviewCollector()
    if info.isDirectory {
      try FolderSource.read(info.path, into: &collector, progress: progress)
    } else {
      try ArchiveSource.read(info.path, into: &collector, progress: progress)
    }
    if let warning = collector.skipped.warning(source: info.path) { progress?(warning) }
    return collector
  }
}
