import Dispatch
import Linalg
import Recurrent
import SeededRandom

/// Where a training step's time goes: each part of the step timed alone, on the benchmark's
/// own batch, the shards on their threads at once as in training (medians, ms).
///
/// - input side: distinct ids, P = E[u] W_x + b, gathering P to the positions; backward the
///   per-id sums of dA, dW_x, db, dE[u] and their scatter into the embedding gradient;
/// - recurrent products: the per-step h W_h (forward) and dA W_hᵀ (backward) and dW_h;
/// - pointwise: the forward and BPTT loops timed whole, minus their recurrent products
///   (the cells' gate arithmetic and the loops' copies);
/// - optimiser: the sum of the shard gradients, the gradient norm and Adam;
/// - rest: the step's median minus all of these (the Dense layer and loss, allocation,
///   thread hand-offs).
public struct StepBreakdown: Sendable, Codable {
  public var inputSide: Double
  public var recurrentProducts: Double
  public var pointwise: Double
  public var optimiser: Double
  public var rest: Double

  public var rows: [(String, Double)] {
    [("input side", inputSide), ("recurrent products", recurrentProducts), ("pointwise", pointwise), ("optimiser", optimiser), ("rest", rest)]
  }

  /// `step` is the measured median step (ms); `repeats` timings per part.
  static func measure(
    model: SequenceClassifier<Float>, tokens: [Int32], labels: [Float], shards: Int, step: Double, repeats: Int = 9
  ) -> StepBreakdown {
    let B = labels.count
    let T = tokens.count / B
    let count = min(shards, B)
    let bounds = (0...count).map { $0 * B / count }
    let layer = model.recurrent
    let (H, GH) = (layer.hiddenSize, layer.kind.gateCount * layer.hiddenSize)
    @Sendable func shardTokens(_ s: Int) -> ArraySlice<Int32> { tokens[(bounds[s] * T)..<(bounds[s + 1] * T)] }
    // The median of `repeats` runs of body(shard) on all shards at once.
    func time(_ body: @escaping @Sendable (Int) -> Void) -> Double {
      var times: [Double] = []
      for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        parallelFor(chunks: count, flushDenormals: true, body)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
      }
      return times.sorted()[repeats / 2]
    }
    // Each shard's inputs, made before the clocks start: dL/da (T·b × G·H), h_0..h_T.
    var rng = SeededGenerator(seed: 9)
    let dAs: [Matrix<Float>] = (0..<count).map { s in Initializer.uniform(rows: T * (bounds[s + 1] - bounds[s]), cols: GH, limit: 0.01, using: &rng) }
    let hiddens = (0..<count).map { s in Matrix<Float>(rows: (T + 1) * (bounds[s + 1] - bounds[s]), cols: H, repeating: 0.1) }
    let inputSide = time { s in
      let distinct = DistinctTokens(shardTokens(s), batch: bounds[s + 1] - bounds[s], vocabularySize: model.embedding.vocabularySize)
      let rows = model.embedding.rows(distinct.ids)
      _ = distinct.gather(layer.inputPreactivations(rows))
      var gradient = layer.zeroed()
      let dRows = layer.inputGradients(rows, preactivationGradient: distinct.sum(dAs[s]), into: &gradient)
      var table = Matrix<Float>(rows: model.embedding.vocabularySize, cols: model.embedding.dimension)
      model.embedding.backward(ids: distinct.ids, rowGradient: dRows, into: &table)
    }
    let products = time { s in
      let b = bounds[s + 1] - bounds[s]
      let (h, a) = (hiddens[s], dAs[s])
      var (ah, dh, dW) = (Matrix<Float>(rows: b, cols: GH), Matrix<Float>(rows: b, cols: H), Matrix<Float>(rows: H, cols: GH))
      withStorage(h, a) { hp, ap in
        layer.recurrentKernel.storage.withUnsafeBufferPointer { wh in
          withMutableStorage(&ah, &dh) { ahp, dhp in
            for t in 0..<T {
              Float.gemm(transposeA: false, transposeB: false, m: b, n: GH, k: H, alpha: 1, a: hp! + t * b * H, lda: H, b: wh.baseAddress!, ldb: GH, beta: 0, c: ahp!, ldc: GH)
              Float.gemm(transposeA: false, transposeB: true, m: b, n: H, k: GH, alpha: 1, a: ap! + t * b * GH, lda: GH, b: wh.baseAddress!, ldb: GH, beta: 0, c: dhp!, ldc: H)
            }
          }
        }
        dW.storage.withUnsafeMutableBufferPointer { dWp in
          Float.gemm(transposeA: true, transposeB: false, m: H, n: GH, k: T * b, alpha: 1, a: hp!, lda: H, b: ap!, ldb: GH, beta: 0, c: dWp.baseAddress!, ldc: GH)
        }
      }
    }
    let loops = time { s in
      let b = bounds[s + 1] - bounds[s]
      let trace = layer.forward(inputPreactivations: dAs[s], batch: b)
      _ = layer.backwardThroughTime(trace, lastHidden: Matrix(rows: b, cols: H, repeating: 0.01))
    }
    let parts = (0..<count).map { s in model.lossAndGradient(shardTokens(s), labels: labels[bounds[s]..<bounds[s + 1]], meanOver: B).gradient }
    var optimiserTimes: [Double] = []
    var adam = Adam(for: model)
    adam.flushDenormals = true
    for _ in 0..<repeats {
      var copy = model
      let start = DispatchTime.now().uptimeNanoseconds
      var total = parts[0]
      for part in parts.dropFirst() { total.add(part) }
      precondition(total.globalNorm.isFinite, "breakdown: non-finite gradient")
      adam.update(&copy, with: total)
      optimiserTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    let optimiser = optimiserTimes.sorted()[repeats / 2]
    let pointwise = max(0, loops - products)
    return StepBreakdown(
      inputSide: inputSide, recurrentProducts: products, pointwise: pointwise, optimiser: optimiser,
      rest: step - inputSide - products - pointwise - optimiser)
  }
}
