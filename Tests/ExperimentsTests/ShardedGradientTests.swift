import Linalg
import Recurrent
import SeededRandom
import Testing
import Training

/// The sharded gradient is the sum of its shards' gradients, bit for bit: the shard sum adds
/// only the embedding rows a shard's reviews hold, which must give what adding the whole
/// table gives.
@Suite struct ShardedGradientTests {
  @Test(arguments: [2, 3])
  func equalsTheDenseSumOfItsShards(shards: Int) {
    let (B, T, V) = (12, 9, 40)
    let model = SequenceClassifier<Float>(kind: .lstm, vocabularySize: V, embeddingSize: 6, hiddenSize: 5, seed: 41)
    var rng = SeededGenerator(seed: 42)
    // Shards share some ids and each holds ids the others lack.
    let tokens = (0..<(B * T)).map { _ in Int32(rng.index(below: V)) }
    let labels = (0..<B).map { Float($0 % 2) }
    let sharded = ShardedGradient(shards: shards).compute(model, tokens: tokens[...], labels: labels[...])
    let bounds = (0...shards).map { $0 * B / shards }
    let results = ParallelResults<SequenceClassifier<Float>>(count: shards)
    parallelFor(chunks: shards, flushDenormals: true) { s in
      results[s] = model.lossAndGradient(
        tokens: tokens[(bounds[s] * T)..<(bounds[s + 1] * T)], labels: labels[bounds[s]..<bounds[s + 1]], meanOver: B
      ).gradient
    }
    guard var dense = results[0] else { preconditionFailure("no shard 0") }
    for s in 1..<shards {
      guard let part = results[s] else { preconditionFailure("no shard \(s)") }
      dense.add(part)
    }
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      let (a, b) = (sharded.gradient[keyPath: path].storage, dense[keyPath: path].storage)
      let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
      #expect(a.count == b.count && differing == 0, "\(name): \(differing) of \(a.count) values differ from the dense sum")
    }
    #expect(sharded.gradient.embedding.table.maxAbs > 0)
  }

  /// A ShardedGradient keeps its shards' gradient buffers and zeroes only the embedding rows
  /// the last batch wrote: a second batch with other ids gets the gradient a new
  /// ShardedGradient gives it, bit for bit, whether the first batch's gradient was kept
  /// (it must stay as it was) or dropped (its buffer is zeroed in place), for every model
  /// the sharded gradient trains.
  @Test(arguments: ["lstm", "text-cnn", "lru", "mingru"], [(1, true), (2, true), (2, false)])
  func reusedBuffersGiveTheGradientOfANewOne(model: String, sharding: (shards: Int, keepFirst: Bool)) {
    let (V, E, H) = (40, 6, 5)
    switch model {
    case "lstm":
      Self.checkReuse(SequenceClassifier<Float>(kind: .lstm, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 43), sharding)
    case "text-cnn":
      Self.checkReuse(TextCNN<Float>(vocabularySize: V, embeddingSize: E, widths: [2, 3], filters: 4, seed: 43), sharding)
    default:
      guard let recurrence = DiagonalRecurrence(rawValue: model) else { preconditionFailure("no model \(model)") }
      Self.checkReuse(DiagonalClassifier<Float>(recurrence: recurrence, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 43), sharding)
    }
  }

  /// A buffer kept from a model of other shapes is not reused: the comparison trains an LRU
  /// block, then minGRU, through one ShardedGradient, and minGRU's gradient (empty LRU
  /// matrices) is the one a new ShardedGradient gives.
  @Test func buffersOfOtherShapesAreNotReused() {
    let (B, T, V) = (8, 7, 40)
    var rng = SeededGenerator(seed: 45)
    let tokens = (0..<(B * T)).map { _ in Int32(rng.index(below: V)) }
    let labels = (0..<B).map { Float($0 % 2) }
    let lru = DiagonalClassifier<Float>(recurrence: .lru, vocabularySize: V, embeddingSize: 6, hiddenSize: 5, seed: 46)
    let minGRU = DiagonalClassifier<Float>(recurrence: .mingru, vocabularySize: V, embeddingSize: 6, hiddenSize: 5, seed: 47)
    let sharded = ShardedGradient(shards: 2)
    _ = sharded.compute(lru, tokens: tokens[...], labels: labels[...])
    let reused = sharded.compute(minGRU, tokens: tokens[...], labels: labels[...]).gradient
    let fresh = ShardedGradient(shards: 2).compute(minGRU, tokens: tokens[...], labels: labels[...]).gradient
    for (name, path) in DiagonalClassifier<Float>.parameterPaths {
      let (x, y) = (reused[keyPath: path], fresh[keyPath: path])
      #expect(x.shape == y.shape && x.storage.map(\.bitPattern) == y.storage.map(\.bitPattern), "\(name): \(x.shape) against \(y.shape)")
    }
  }

  static func checkReuse<Model: SentimentModel>(_ model: Model, _ sharding: (shards: Int, keepFirst: Bool)) where Model.Scalar == Float {
    let (B, T) = (8, 7)
    let V = model[keyPath: Model.embeddingTable].rows
    var rng = SeededGenerator(seed: 44)
    // The first batch's ids are 0..<V/2, the second's V/2..<V: a row left from the first shows.
    let first = (0..<(B * T)).map { _ in Int32(rng.index(below: V / 2)) }
    let second = (0..<(B * T)).map { _ in Int32(V / 2 + rng.index(below: V / 2)) }
    let labels = (0..<B).map { Float($0 % 2) }
    func bitsEqual(_ a: Model, _ b: Model, _ what: String) {
      for (name, path) in Model.parameterPaths {
        let (x, y) = (a[keyPath: path].storage, b[keyPath: path].storage)
        let differing = zip(x, y).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(x.count == y.count && differing == 0, "\(Model.self) \(what), \(name): \(differing) of \(x.count) values differ")
      }
    }
    let reused = ShardedGradient(shards: sharding.shards)
    var kept: Model?
    if sharding.keepFirst {
      kept = reused.compute(model, tokens: first[...], labels: labels[...]).gradient
    } else {
      _ = reused.compute(model, tokens: first[...], labels: labels[...])
    }
    let again = reused.compute(model, tokens: second[...], labels: labels[...]).gradient
    let fresh = ShardedGradient(shards: sharding.shards).compute(model, tokens: second[...], labels: labels[...]).gradient
    bitsEqual(again, fresh, "second batch")
    let table = fresh[keyPath: Model.embeddingTable]
    #expect(table.rows(0..<(V / 2)).maxAbs == 0 && table.maxAbs > 0, "\(Model.self): the second batch's gradient is zero outside its ids")
    if let kept {
      bitsEqual(kept, ShardedGradient(shards: sharding.shards).compute(model, tokens: first[...], labels: labels[...]).gradient, "first batch, kept")
    }
  }
}
