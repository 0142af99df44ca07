import Foundation

/// Loads and encodes the IMDB reviews.
public enum IMDBLoader {
  /// Loads from a `.tar.gz` (streamed through zlib, never unpacked to disk) or an unpacked
  /// folder that contains `aclImdb/` or is it. Only files named
  /// `aclImdb/(train|test)/(pos|neg)/<id>_<rating>.txt` are read; the official release's
  /// `train/unsup/`, `*.feat`, `urls_*.txt`, `imdb.vocab` and README are ignored.
  ///
  /// - Parameters:
  ///   - cacheDirectory: if non-nil, a binary cache keyed by the absolute source path, its
  ///     size and modification time, `options` and a format version is read when valid, and
  ///     otherwise (re)written atomically. A corrupt or short cache file is never trusted. A
  ///     cache that cannot be written is reported through `progress`, not thrown.
  ///   - progress: receives a short line now and then ("reading x.tar.gz: 10000 reviews").
  ///   Entries with an absolute or `..` path and files in a review folder with another name
  ///   are skipped, with a warning through `progress` that counts them.
  /// - Throws: `IMDBError` naming the file for a missing or unreadable source, a file that
  ///   is not gzip, corrupt or truncated data, a layout without train or test reviews or
  ///   with one class only among the training reviews, and out-of-range options.
  public static func load(
    from source: URL, options: IMDBOptions, cacheDirectory: URL?,
    progress: (@Sendable (String) -> Void)? = nil
  ) throws -> IMDBData {
    try options.validate()
    let info = try SourceInfo(source)
    let cache = cacheDirectory.map { IMDBCache(directory: $0, source: info, options: options) }
    if let cache {
      switch cache.read() {
      case .hit(let data):
        progress?("read cached \(info.name) from \(cache.file.path)")
        return data
      case .invalid:
        progress?("ignoring invalid cache \(cache.file.path)")
      case .missing:
        break
      }
    }

    let collector = try ReviewCollector.read(info, progress: progress)
    progress?("read \(info.name): \(collector.reviews.count) reviews; encoding")
    let data = try DatasetBuilder.build(collector, options: options, source: info.path)

    if let cache {
      do {
        try cache.write(data)
        progress?("wrote cache \(cache.file.path)")
      } catch {
        progress?("could not write cache \(cache.file.path): \(error)")
      }
    }
    return data
  }
}
