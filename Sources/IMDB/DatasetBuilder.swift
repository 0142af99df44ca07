import SeededRandom

/// Turns collected reviews into `IMDBData`, following Keras' `imdb.load_data`:
/// 1. sort every review by (split, label, id) so the input order does not matter;
/// 2. rank the words of all training reviews into the vocabulary;
/// 3. encode each review as `[1] + word indices` and pad or truncate it;
/// 4. shuffle the training reviews with `SeededGenerator(seed: shuffleSeed)` and hold out
///    the last `validationFraction` of them; shuffle the test reviews with `shuffleSeed + 1`.
enum DatasetBuilder {
  /// `source` names the file or folder in the wrong-layout error.
  static func build(
    _ collector: ReviewCollector, options: IMDBOptions, source: String
  ) throws -> IMDBData {
    let reviews = collector.reviews.sorted { $0.path < $1.path }
    var train = reviews.filter { $0.path.split == .train }
    var test = reviews.filter { $0.path.split == .test }
    for (split, found) in [("train", train), ("test", test)] where found.isEmpty {
      throw IMDBError.wrongLayout(
        path: source, reason: "no \(split) reviews (aclImdb/\(split)/{pos,neg}/<id>_<rating>.txt)")
    }
    // A classifier cannot learn from one class.
    let positive = train.filter { $0.path.label == .positive }.count
    if positive == 0 || positive == train.count {
      let (has, lacks) = positive == 0 ? ("neg", "pos") : ("pos", "neg")
      throw IMDBError.wrongLayout(
        path: source, reason: "the training reviews hold one class only (\(train.count) in aclImdb/train/\(has), none in aclImdb/train/\(lacks)), and a classifier needs both")
    }

    var counts = [Int](repeating: 0, count: collector.words.count)
    for review in train {
      for word in review.words { counts[Int(word)] += 1 }
    }
    let (vocabulary, indices) = Vocabulary.ranked(
      collector.words, counts: counts, size: options.vocabularySize)

    var trainGenerator = SeededGenerator(seed: options.shuffleSeed)
    trainGenerator.shuffle(&train)
    var testGenerator = SeededGenerator(seed: options.shuffleSeed &+ 1)
    testGenerator.shuffle(&test)
    // Keras' validation_split: the first int(n * (1 - fraction)) reviews train.
    let trainCount = Int(Double(train.count) * (1 - options.validationFraction))

    func encode(_ reviews: ArraySlice<Review>) -> EncodedSplit {
      EncodedSplit(
        sequences: reviews.map { [Vocabulary.start] + $0.words.map { indices[Int($0)] } },
        labels: reviews.map { $0.path.label == .positive ? 1 : 0 },
        length: options.sequenceLength, padding: options.padding)
    }
    return IMDBData(
      train: encode(train[..<trainCount]), validation: encode(train[trainCount...]),
      test: encode(test[...]), vocabulary: vocabulary.words)
  }
}
