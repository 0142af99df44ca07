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
  /// (it must stay as it was) or dropped (its buffer is zeroed in place).
  @Test(arguments: [(1, true), (2, true), (2, false)])
  func reusedBuffersGiveTheGradientOfANewOne(shards: Int, keepFirst: Bool) {
    let (B, T, V) = (8, 7, 40)
    let model = SequenceClassifier<Float>(kind: .lstm, vocabularySize: V, embeddingSize: 6, hiddenSize: 5, seed: 43)
    var rng = SeededGenerator(seed: 44)
    // The first batch's ids are 0..<20, the second's 20..<40: a row left from the first shows.
    let first = (0..<(B * T)).map { _ in Int32(rng.index(below: V / 2)) }
    let second = (0..<(B * T)).map { _ in Int32(V / 2 + rng.index(below: V / 2)) }
    let labels = (0..<B).map { Float($0 % 2) }
    let reused = ShardedGradient(shards: shards)
    func bitsEqual(_ a: SequenceClassifier<Float>, _ b: SequenceClassifier<Float>, _ what: String) {
      for (name, path) in SequenceClassifier<Float>.parameterPaths {
        let (x, y) = (a[keyPath: path].storage, b[keyPath: path].storage)
        let differing = zip(x, y).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(x.count == y.count && differing == 0, "\(what), \(name): \(differing) of \(x.count) values differ")
      }
    }
    var kept: SequenceClassifier<Float>?
    if keepFirst {
      kept = reused.compute(model, tokens: first[...], labels: labels[...]).gradient
    } else {
      _ = reused.compute(model, tokens: first[...], labels: labels[...])
    }
    let again = reused.compute(model, tokens: second[...], labels: labels[...]).gradient
    let fresh = ShardedGradient(shards: shards).compute(model, tokens: second[...], labels: labels[...]).gradient
    bitsEqual(again, fresh, "second batch")
    #expect(fresh.embedding.table.rows(0..<(V / 2)).maxAbs == 0 && fresh.embedding.table.maxAbs > 0)
    if let kept {
      bitsEqual(kept, ShardedGradient(shards: shards).compute(model, tokens: first[...], labels: labels[...]).gradient, "first batch, kept")
    }
  }
}
