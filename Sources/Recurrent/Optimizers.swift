import Foundation
import Linalg
import PointwiseKernels

/// Adam with Keras' update (epsilon outside the bias correction):
///
///     m = β1 m + (1 - β1) g,   v = β2 v + (1 - β2) g²
///     θ -= lr · sqrt(1 - β2^t) / (1 - β1^t) · m / (sqrt(v) + ε)
///
/// Defaults are Keras': lr 1e-3, β1 0.9, β2 0.999, ε 1e-7.
public struct Adam<Model: ParameterSet>: Optimizer where Model: Sendable {
  public var learningRate: Double
  public var beta1: Double
  public var beta2: Double
  public var epsilon: Double
  /// Updates taken so far (t).
  public var step: Int = 0
  /// Flush subnormal floats to zero during the update (training sets it: the moments of
  /// rarely seen embedding rows decay geometrically into subnormals, which are slow).
  public var flushDenormals = false
  /// First and second moments, shaped like the model.
  public var m: Model
  public var v: Model

  public init(for model: Model, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    m = model.zeroed()
    v = model.zeroed()
  }

  public var stateTensors: [(prefix: String, path: WritableKeyPath<Adam, Model>)] { [("adam.m.", \.m), ("adam.v.", \.v)] }
  public var stateMetadata: [String: String] { ["adam_step": String(step)] }
  public mutating func restore(metadata: [String: String]) -> String? {
    guard let text = metadata["adam_step"], let saved = Int(text) else { return "adam_step" }
    step = saved
    return nil
  }

  /// One Adam step. Large matrices (the embedding table) are updated in two halves on two
  /// threads (`elementwiseChunks`): every element's update is independent.
  /// The one-line math: m = β1 m + (1 - β1) g;  v = β2 v + (1 - β2) g²;  w -= α m / (√v + ε).
  @_specialize(where Model == SequenceClassifier<Float>) @_specialize(where Model == TextCNN<Float>)
  @_specialize(where Model == DiagonalClassifier<Float>)
  public mutating func update(_ model: inout Model, with gradient: Model) {
    step += 1
    let t = Double(step)
    let alpha = Model.Scalar(learningRate * (1 - Foundation.pow(beta2, t)).squareRoot() / (1 - Foundation.pow(beta1, t)))
    let (b1, b2, eps) = (Model.Scalar(beta1), Model.Scalar(beta2), Model.Scalar(epsilon))
    let flushDenormals = flushDenormals
    for (_, path) in Model.parameterPaths {
      withMutableStorage(&m[keyPath: path], &v[keyPath: path], &model[keyPath: path]) { m, v, w in
        gradient[keyPath: path].storage.withUnsafeBufferPointer { g in
          let (pg, pm, pv, pw) = (SendablePointer(g.baseAddress), SendablePointer(m), SendablePointer(v), SendablePointer(w))
          elementwiseChunks(count: g.count, flushDenormals: flushDenormals) { range in
            guard let g = pg.pointer, let m = pm.pointer, let v = pv.pointer, let w = pw.pointer else { return }
            let (lo, hi) = (range.lowerBound, range.upperBound)
            if Model.Scalar.self == Float.self {
              // The same update, sixteen values at a time (`gradlab_adam_f32`).
              return gradlab_adam_f32(
                hi - lo, float(g + lo), float(m + lo), float(v + lo), float(w + lo), Float(alpha), Float(b1), Float(1 - b1), Float(b2),
                Float(1 - b2), Float(eps))
            }
            for k in range {
              m[k] = b1 * m[k] + (1 - b1) * g[k]
              v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
              w[k] -= alpha * m[k] / (Model.Scalar.sqrt(v[k]) + eps)
            }
          }
        }
      }
    }
  }
}
