import Recurrent

/// Size limits of a training run, checked before anything is allocated so that a huge flag
/// gets a message instead of an allocation failure or an arithmetic overflow.
extension TrainingConfiguration {
  public static let maxEpochs = 100_000
  public static let maxBatchSize = 65_536
  public static let maxSequenceLength = 100_000
  public static let maxVocabularySize = 10_000_000
  /// The largest embedding size E and hidden size H.
  public static let maxWidth = 65_536
  /// The most parameters (V·E + G·H·(E + H + 2) + H + 1): 2^27, 512 MiB of Float, and
  /// Adam keeps two more copies.
  public static let maxParameters = 1 << 27
  /// The most activation values one batch holds, about B·T·(E + (G + 3)·H): 2^28, 1 GiB.
  public static let maxActivations = 1 << 28

  /// Parameters of the model this configuration builds.
  public var parameterCount: Int {
    let (G, H, E) = (cell.gateCount, hiddenSize, embeddingSize)
    return data.vocabularySize * E + G * H * (E + H + 2) + H + 1
  }

  /// Activation values of one batch: embeddings, gates, states and their gradients.
  public var activationCount: Int {
    batchSize * data.sequenceLength * (embeddingSize + (cell.gateCount + 3) * hiddenSize)
  }

  /// Throws `TrainingError.invalidConfiguration` naming the flag when a size is too large.
  func checkSizes() throws {
    func check(_ value: Int, _ limit: Int, _ flag: String) throws {
      if value > limit { throw TrainingError.invalidConfiguration("\(flag) must be at most \(limit), got \(value)") }
    }
    try check(epochs, Self.maxEpochs, "--epochs")
    try check(batchSize, Self.maxBatchSize, "--batch-size")
    try check(data.sequenceLength, Self.maxSequenceLength, "--length")
    try check(data.vocabularySize, Self.maxVocabularySize, "--vocabulary-size")
    try check(embeddingSize, Self.maxWidth, "--embedding-size")
    try check(hiddenSize, Self.maxWidth, "--hidden-size")
    for epoch in gradientEpochs { try check(epoch, Self.maxEpochs, "--gradient-epochs") }
    guard parameterCount <= Self.maxParameters else {
      throw TrainingError.invalidConfiguration(
        "the model would have \(parameterCount) parameters (--vocabulary-size x --embedding-size + gates x --hidden-size x (E + H + 2)), more than the limit of \(Self.maxParameters)")
    }
    guard activationCount <= Self.maxActivations else {
      throw TrainingError.invalidConfiguration(
        "one batch would hold \(activationCount) activations (--batch-size x --length x (E + \(cell.gateCount + 3) x H)), more than the limit of \(Self.maxActivations); lower --batch-size or --length")
    }
  }
}
