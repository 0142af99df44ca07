/// Everything that can go wrong while finding, reading or caching the IMDB data. Each
/// description names the file or folder and says what is wrong with it.
public enum IMDBError: Error, CustomStringConvertible, Equatable {
  /// The path does not exist (a source given to the loader or on the command line).
  case missing(path: String)
  /// The path exists but cannot be opened or read.
  case unreadable(path: String, reason: String)
  /// The file does not start with the gzip magic bytes.
  case notGzip(path: String)
  /// zlib or the tar parser found invalid data.
  case corrupt(path: String, reason: String)
  /// The data ends too early: before the end of the gzip stream or in the middle of a tar entry.
  case truncated(path: String, reason: String)
  /// The archive or folder holds no `aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt` reviews
  /// for a split.
  case wrongLayout(path: String, reason: String)
  /// An `IMDBOptions` field is out of range.
  case invalidOptions(String)
  /// No candidate location holds the data; `tried` lists them in resolution order.
  case notFound(tried: [String])

  public var description: String {
    switch self {
    case .missing(let path):
      return "IMDB data not found at \(path) (no such file or folder): " + IMDBRelease.downloadHint
    case .unreadable(let path, let reason):
      return "cannot read IMDB data \(path): \(reason)"
    case .notGzip(let path):
      return
        "IMDB archive \(path) is not a gzip file (expected a .tar.gz such as aclImdb_v1.tar.gz)"
    case .corrupt(let path, let reason):
      return "IMDB archive \(path) is corrupt: \(reason)"
    case .truncated(let path, let reason):
      return "IMDB archive \(path) is truncated: \(reason); download it again"
    case .wrongLayout(let path, let reason):
      return "IMDB data \(path) has the wrong layout: \(reason); expected "
        + "aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt"
    case .invalidOptions(let reason):
      return "invalid IMDB options: \(reason)"
    case .notFound(let tried):
      return "IMDB data not found (tried, in order: \(tried.joined(separator: ", "))): " + IMDBRelease.downloadHint
    }
  }
}
