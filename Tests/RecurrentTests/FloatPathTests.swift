import Linalg
import Recurrent
import SeededRandom
import TestSupport
import Testing

/// Training's fast path (Float, BLAS, the rational tanh and the vectorised cells, the
/// distinct-token projection, subnormals flushed) against the Double path (libm, the fixed-
/// order product, every position projected) on the same weights: one step's loss and every
/// gradient must agree to Float precision, at every vector width the kernels have (each
/// width must also give the same bits as the others).
/// Serialized: the kernel level is process-wide, and only this suite changes it.
@Suite(.serialized) struct FloatPathTests {
  /// H = 13: the vector loops' full groups and their tails; T = 40 steps.
  static let (B, T, V, E, H) = (6, 40, 50, 7, 13)

  /// The Float step runs with the pointwise kernels at `level` (or the CPU's best below it).
  static func oneStep(kind: CellKind, level: KernelLevel) -> (loss: [Double], gradients: [(String, Float: [Double], Double: [Double])]) {
    var model = SequenceClassifier<Float>(kind: kind, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 31)
    // Larger weights than Keras' initialisation, so gates saturate and tanh sees its range.
    model.embedding.table = randomMatrix(V, E, seed: 32, std: 0.8).converted()
    model.recurrent.bias = randomMatrix(1, kind.gateCount * H, seed: 33, std: 0.5).converted()
    var rng = SeededGenerator(seed: 34)
    let tokens = (0..<(B * T)).map { _ in Int32(rng.index(below: V)) }
    let labels = (0..<B).map { Float($0 % 2) }
    let (float, reference) = (model, model.converted(to: Double.self))
    let results = ParallelResults<(loss: Float, correct: Int, gradient: SequenceClassifier<Float>)>(count: 1)
    KernelLevel.use(level)
    defer { KernelLevel.use(nil) }
    parallelFor(chunks: 1, flushDenormals: true) { _ in results[0] = float.lossAndGradient(tokens[...], labels: labels[...]) }
    guard let fast = results[0] else { preconditionFailure("no result") }
    let exact = reference.lossAndGradient(tokens[...], labels: labels.map(Double.init)[...], projection: .everyPosition)
    let gradients = SequenceClassifier<Float>.parameterPaths.indices.map { k in
      let (name, path) = SequenceClassifier<Float>.parameterPaths[k]
      return (name, fast.gradient[keyPath: path].storage.map(Double.init), exact.gradient[keyPath: SequenceClassifier<Double>.parameterPaths[k].path].storage)
    }
    return ([Double(fast.loss), exact.loss], gradients)
  }

  @Test(arguments: CellKind.allCases, KernelLevel.allCases)
  func oneStepAgreesWithDouble(kind: CellKind, level: KernelLevel) {
    let step = Self.oneStep(kind: kind, level: level)
    #expect(relativeError(step.loss[0], step.loss[1]) < 1e-6, "\(kind) \(level): loss \(step.loss[0]) vs \(step.loss[1])")
    for (name, float, double) in step.gradients {
      let error = relativeError(float, double)
      #expect(error < 1e-5, "\(kind) \(level) \(name): relative error \(error)")
      #expect(double.isEmpty || double.contains { $0 != 0 }, "\(kind) \(name): an all-zero gradient proves nothing")
    }
  }

  /// The kernels' variants do the same operations on each element: the same bits.
  @Test(arguments: CellKind.allCases)
  func everyVectorWidthGivesTheSameBits(kind: CellKind) {
    let portable = Self.oneStep(kind: kind, level: .portable)
    for level in KernelLevel.allCases.dropFirst() {
      let wide = Self.oneStep(kind: kind, level: level)
      #expect(wide.loss[0] == portable.loss[0], "\(kind) \(level): loss \(wide.loss[0]) vs portable \(portable.loss[0])")
      for (a, b) in zip(wide.gradients, portable.gradients) { #expect(a.Float == b.Float, "\(kind) \(level) \(a.0): bits differ from portable") }
    }
  }
}
