import Foundation
import Recurrent

/// Everything that defines one run on a long-lag task. Training draws a fresh batch every
/// step (an endless stream from the seed); the test set is a fixed set drawn from another
/// stream of the same seed. A run is solved when its test loss falls below
/// `successFraction` × the task's baseline loss within `steps` steps, and stops there.
public struct TaskConfiguration: Codable, Sendable, Equatable {
  public var task: LongLagTask = .adding
  public var cell: TaskCell = .lstm
  /// T, steps per sequence.
  public var length = 50
  public var hiddenSize = 32
  public var batchSize = 32
  /// The budget: at most this many optimiser steps.
  public var steps = 2000
  public var optimizer: OptimizerKind = .adam
  public var learningRate = 1e-2
  /// Heavy-ball momentum for SGD (0: plain SGD); unused by Adam.
  public var momentum = 0.0
  /// Clip the global gradient norm to this value; nil: no clipping.
  public var clipNorm: Double? = nil
  /// Rescale the recurrent kernel's blocks to this spectral norm at initialisation (nil:
  /// Keras' orthogonal initialisation, σ = 1).
  public var recurrentSpectralNorm: Double? = nil
  public var seed: UInt64 = 1
  /// Evaluate on the test set every this many steps.
  public var evaluateEvery = 50
  public var testSize = 512
  /// Solved: test loss below this fraction of the baseline loss.
  public var successFraction = 0.1
  /// Stop at the first evaluation that meets the success threshold.
  public var stopWhenSolved = true

  public init() {}

  public var successLoss: Double { successFraction * task.baselineLoss }

  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw TaskError.invalidConfiguration(message) }
    }
    try check(length >= task.minimumLength && length <= 100_000, "--length must be in \(task.minimumLength)...100000 for \(task.rawValue), got \(length)")
    try check(hiddenSize >= 1 && hiddenSize <= 4096, "--hidden-size must be in 1...4096, got \(hiddenSize)")
    try check(batchSize >= 1 && batchSize <= 65_536, "--batch-size must be in 1...65536, got \(batchSize)")
    // Memory: the trace holds about (2G + 4)·T·B·H values; refuse above 2^31 Floats (8 GiB).
    let values = Double(cell.traceValuesPerUnit) * Double(length) * Double(max(batchSize, testSize)) * Double(hiddenSize)
    try check(values < Double(1 << 31), "--length × --batch-size (or --test-size) × --hidden-size is too large: the unrolled trace would need about \(Int(values * 4 / 1e9)) GB")
    try check(steps >= 1 && steps <= 10_000_000, "--steps must be in 1...10000000, got \(steps)")
    if let problem = optimizer.problem(learningRate: learningRate, momentum: momentum, clipNorm: clipNorm) { throw TaskError.invalidConfiguration(problem) }
    if let sigma = recurrentSpectralNorm {
      try check(sigma > 0 && sigma.isFinite && sigma <= 1000, "--sigma must be in (0, 1000], got \(sigma)")
      try check(cell.recurrentKind != nil, "--sigma rescales a recurrent matrix W_h; \(cell.rawValue) has none (leave --sigma out)")
      try check(cell != .irnn, "--sigma does not apply to irnn, whose W_h starts at the identity (leave --sigma out)")
    }
    try check(cell != .chrono || length >= 3, "chrono initialisation needs T ≥ 3 (b_f ~ log U[1, T - 1]), got \(length)")
    try check(evaluateEvery >= 1, "--evaluate-every must be at least 1, got \(evaluateEvery)")
    try check(testSize >= 1 && testSize <= 100_000, "--test-size must be in 1...100000, got \(testSize)")
    try check(successFraction > 0 && successFraction < 1, "the success fraction must be in (0, 1), got \(successFraction)")
  }
}

public enum TaskError: Error, CustomStringConvertible {
  case invalidConfiguration(String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let message): "invalid task configuration: \(message)"
    }
  }
}
