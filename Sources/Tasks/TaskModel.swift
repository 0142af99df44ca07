import Linalg
import Recurrent
import SeededRandom

/// x_1..x_T (D features) -> recurrent layer (H) -> Dense(H, 1) on the last h_T: one output
/// per sequence, read by a `LossHead`. Gradients have the model's own type.
public struct TaskModel<Scalar: BLASScalar>: ParameterSet, Sendable {
  public var recurrent: RecurrentLayer<Scalar>
  public var output: Dense<Scalar>

  /// The names match `SequenceClassifier`'s, so `gradlab decay --weights` reads a task's
  /// checkpoint too.
  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    let recurrent: WritableKeyPath<Self, RecurrentLayer<Scalar>> = \.recurrent
    let layer = RecurrentLayer<Scalar>.parameterPaths.map { (name: "recurrent." + $0.name, path: recurrent.appending(path: $0.path)) }
    return layer + [(name: "dense.kernel", path: \.output.weight), (name: "dense.bias", path: \.output.bias)]
  }

  /// Keras initialisation from one seeded generator; `recurrentSpectralNorm`, when given,
  /// rescales every gate's H × H recurrent block to that spectral norm σ (σ > 1 starts a
  /// tanh RNN in the regime where gradients can explode).
  public init(kind: CellKind, inputSize: Int, hiddenSize: Int, seed: UInt64, recurrentSpectralNorm: Double? = nil) {
    var rng = SeededGenerator(seed: seed)
    recurrent = RecurrentLayer(kind: kind, inputSize: inputSize, hiddenSize: hiddenSize, using: &rng)
    output = Dense(inputSize: hiddenSize, outputSize: 1, using: &rng)
    if let sigma = recurrentSpectralNorm { recurrent.rescaleRecurrentBlocks(toSpectralNorm: sigma) }
  }

  public init(recurrent: RecurrentLayer<Scalar>, output: Dense<Scalar>) {
    self.recurrent = recurrent
    self.output = output
  }

  /// B × 1 outputs for a batch.
  public func outputs(_ batch: TaskBatch<Scalar>) -> Matrix<Scalar> {
    output.forward(recurrent.forward(batch.inputs, batch: batch.batch).lastHidden)
  }

  /// Mean loss, the correct count (classification) and the gradient w.r.t. every parameter;
  /// `record` sees dL/dh_t during BPTT.
  public func lossAndGradient(
    _ batch: TaskBatch<Scalar>, head: LossHead, record: BPTTRecorder<Scalar>? = nil
  ) -> (loss: Scalar, correct: Int?, gradient: TaskModel) {
    let trace = recurrent.forward(batch.inputs, batch: batch.batch)
    let z = output.forward(trace.lastHidden)
    let targets = batch.targets[...]
    // dL/dz from the head, then dW_d, db_d, dL/dh_T = dz W_dᵀ, then BPTT.
    let dense = output.backward(trace.lastHidden, outputGradient: head.gradient(z, targets))
    let recurrentGradient = recurrent.backward(trace, lastHidden: dense.input, record: record)
    let gradient = TaskModel(recurrent: recurrentGradient.parameters, output: Dense(weight: dense.weight, bias: dense.bias))
    return (head.loss(z, targets), head.correctCount(z, targets), gradient)
  }

  /// The same weights in another precision.
  public func converted<Other: BLASScalar>(to: Other.Type) -> TaskModel<Other> {
    TaskModel<Other>(
      recurrent: RecurrentLayer(
        kind: recurrent.kind, inputKernel: recurrent.inputKernel.converted(), recurrentKernel: recurrent.recurrentKernel.converted(),
        bias: recurrent.bias.converted(), recurrentBias: recurrent.recurrentBias.converted()),
      output: Dense(weight: output.weight.converted(), bias: output.bias.converted()))
  }
}
