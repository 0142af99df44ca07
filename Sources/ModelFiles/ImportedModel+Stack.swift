import Linalg
import Recurrent

extension ImportedModel {
  /// The sequence each unit reads (in `units` order) when the model runs on one sequence
  /// `x` (T × D) from zero states, as PyTorch and Keras stack them: layer 0 reads x; layer
  /// l > 0 reads layer l-1's outputs, the forward and reverse h_t side by side at each t; a
  /// reverse unit reads its layer's input from x_T back to x_1.
  public func unitInputs(_ x: Matrix<Double>) -> [Matrix<Double>] {
    var inputs: [Matrix<Double>] = []
    var layerInput = x
    for layer in 0..<layerCount {
      var outputs: [Matrix<Double>] = []
      for unit in units where unit.layer == layer {
        let sequence = unit.reverse ? Self.reversedInTime(layerInput) : layerInput
        inputs.append(sequence)
        let trace = unit.weights.forward(sequence, batch: 1)
        let hidden = trace.hidden.rows(1..<(trace.steps + 1))
        outputs.append(unit.reverse ? Self.reversedInTime(hidden) : hidden)
      }
      var next = Matrix<Double>(rows: x.rows, cols: outputs.map(\.cols).reduce(0, +))
      var column = 0
      for output in outputs {
        next.setColumns(column, to: output)
        column += output.cols
      }
      layerInput = next
    }
    return inputs
  }

  /// The rows (timesteps) of `m` in reverse order.
  static func reversedInTime(_ m: Matrix<Double>) -> Matrix<Double> {
    var out = m
    for t in 0..<m.rows { for j in 0..<m.cols { out[t, j] = m[m.rows - 1 - t, j] } }
    return out
  }

  /// The model as GradLab's classifier (Embedding -> one recurrent layer -> Dense(1)), or
  /// an error saying what is missing or more than it holds.
  public func classifier() throws -> SequenceClassifier<Double> {
    guard let embedding else { throw ModelFileError("\(file.path) holds no embedding (V x D before the recurrent layer); the classifier needs Embedding -> recurrent -> Dense(1)") }
    guard let output else { throw ModelFileError("\(file.path) holds no Dense(1) after the recurrent layer; the classifier needs Embedding -> recurrent -> Dense(1)") }
    guard units.count == 1 else {
      throw ModelFileError("\(file.path) has \(layerCount) layers\(bidirectional ? " in two directions" : ""); GradLab's classifier runs one forward recurrent layer (gradlab decay analyses every unit)")
    }
    return SequenceClassifier(embedding: Embedding(table: embedding), recurrent: units[0].weights, output: output)
  }
}
