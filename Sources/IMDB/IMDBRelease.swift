/// The official IMDB release and the ways GradLab is told where a copy is.
public enum IMDBRelease {
  /// The environment variable that points at the data.
  public static let environmentVariable = "GRADLAB_IMDB"
  /// The official release.
  public static let downloadURL = "http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
  /// The MD5 of the official release.
  public static let downloadMD5 = "7c2ac02c03563afcf9b574c7e56c153a"

  /// Where to get the data and where to put it; ends every not-found message.
  static let downloadHint = """
    download the official release \(downloadURL) (MD5 \(downloadMD5)) and put it at \
    ./data/aclImdb_v1.tar.gz (or unpack it to ./data/aclImdb), or give its path with --data \
    or in \(environmentVariable)
    """
}
