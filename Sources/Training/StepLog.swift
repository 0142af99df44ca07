import Foundation
import Linalg
import Recurrent
import Storage

/// The opt-in per-step log of an IMDB run (`steps.tsv`, `gradlab train --log-steps`): what
/// tells an exploding gradient apart from Adam's step growing while its second-moment
/// estimate decays.
///
/// Columns, for every optimiser step (norms are Frobenius, over every parameter unless the
/// name says `recurrent`, which is the recurrent kernel W_h alone):
/// - `loss`, `grad_norm` (before clipping), `grad_norm_recurrent`: the batch's loss and ||g||;
/// - `update_norm` ||Δθ|| of the step and `update_ratio` ||Δθ|| / ||θ|| (θ before the step);
///   `update_ratio_recurrent` the same for W_h;
/// - `adam_v_rms`, `adam_v_rms_recurrent`: sqrt(mean v̂), v̂ = v / (1 - β2^t) after the step,
///   the size of the gradient Adam divides by (NaN for SGD);
/// - `adam_gain_recurrent`: ||ΔW_h|| / (lr · ||g_Wh||), how many times larger the step on
///   W_h is than a plain SGD step with Adam's learning rate would be.
struct StepLog {
  static let header = [
    "epoch", "step", "loss", "grad_norm", "grad_norm_recurrent", "update_norm", "update_ratio",
    "update_ratio_recurrent", "adam_v_rms", "adam_v_rms_recurrent", "adam_gain_recurrent",
  ]
  var table = TSVTable(header: StepLog.header)

  typealias Model = SequenceClassifier<Float>

  /// One row: the model before and after the update, the (unclipped) gradient's norm and
  /// the gradient that was applied.
  mutating func record(
    epoch: Int, step: Int, record: StepRecord, applied gradient: Model, before: Model, after: Model, optimizer: any Optimizer<Model>
  ) {
    let (loss, gradientNorm, learningRate) = (record.loss, record.gradientNorm, optimizer.learningRate)
    let adam = optimizer as? Adam<Model>
    let secondMoment = adam?.v
    let biasCorrection = adam.map { 1 - Foundation.pow($0.beta2, Double($0.step)) } ?? .nan
    let update = before.distance(to: after)
    let recurrentUpdate = before.recurrent.recurrentKernel.distance(to: after.recurrent.recurrentKernel)
    let recurrentGradient = gradient.recurrent.recurrentKernel.scaledNorm
    let vRMS = secondMoment.map { (biasCorrectedMean($0.elementSum / Double($0.parameterCount))).squareRoot() } ?? .nan
    let vRMSRecurrent = secondMoment.map {
      biasCorrectedMean($0.recurrent.recurrentKernel.storage.reduce(0.0) { $0 + Double($1) } / Double($0.recurrent.recurrentKernel.count)).squareRoot()
    } ?? .nan
    func biasCorrectedMean(_ x: Double) -> Double { x / biasCorrection }
    table.append(
      [String(epoch), String(step)]
        + [
          loss, gradientNorm, recurrentGradient, update, update / before.globalNorm,
          recurrentUpdate / before.recurrent.recurrentKernel.scaledNorm, vRMS, vRMSRecurrent,
          recurrentUpdate / (learningRate * recurrentGradient),
        ].map(tsvNumber))
  }

  /// Keeps the rows of epochs up to `epoch` (a resumed run rewrites the rest).
  mutating func keep(throughEpoch epoch: Int) {
    table.rows.removeAll { (Int($0[0]) ?? .max) > epoch }
  }
}

extension ParameterSet {
  /// ||self - other|| over every matrix, in Double.
  func distance(to other: Self) -> Double {
    var sum = 0.0
    for (_, path) in Self.parameterPaths { sum += Foundation.pow(self[keyPath: path].distance(to: other[keyPath: path]), 2) }
    return sum.squareRoot()
  }

  /// Σ of every element (the second moment's total).
  var elementSum: Double {
    Self.parameterPaths.reduce(0.0) { total, entry in self[keyPath: entry.path].storage.reduce(total) { $0 + Double($1) } }
  }
}

extension Matrix {
  /// ||self - other||_F in Double.
  func distance(to other: Matrix) -> Double {
    precondition(count == other.count, "distance: \(shape) vs \(other.shape)")
    var sum = 0.0
    for (a, b) in zip(storage, other.storage) {
      let d = Double(a) - Double(b)
      sum += d * d
    }
    return sum.squareRoot()
  }
}
