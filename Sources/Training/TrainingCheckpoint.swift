import Foundation
import Linalg
import Recurrent
import Storage

/// The state of a run after a whole epoch: weights, Adam's moments and step, the epoch, the
/// configuration, the epoch's metrics and the best validation loss so far, in one safetensors
/// file (written atomically). Tensor names are the model's parameter names; Adam's moments
/// carry the prefixes `adam.m.` and `adam.v.`. Holding the metrics row means a stop between
/// writing the checkpoint and the metrics table loses nothing.
public struct TrainingCheckpoint {
  public var model: SequenceClassifier<Float>
  public var optimizer: Adam<SequenceClassifier<Float>>
  /// The SGD state (tensors `sgd.velocity.<name>`) when the configuration trains with SGD;
  /// Adam's moments then stay zero.
  public var sgd: MomentumSGD<SequenceClassifier<Float>>?
  public var epoch: Int
  public var configuration: TrainingConfiguration
  /// The metrics of `epoch` (nil before the first epoch).
  public var metrics: EpochMetrics?
  /// The lowest validation loss up to `epoch`, and its epoch.
  public var bestValidationLoss = Double.infinity
  public var bestEpoch = 0
  /// The BLAS kernels that computed it (bit-identical resume needs the same ones).
  public var blasCore = BLASRuntime.coreName
  /// `IMDBData.fingerprint` of the data it was trained on (nil in older checkpoints).
  public var dataFingerprint: String?

  public init(model: SequenceClassifier<Float>, optimizer: Adam<SequenceClassifier<Float>>, epoch: Int, configuration: TrainingConfiguration) {
    self.model = model
    self.optimizer = optimizer
    self.epoch = epoch
    self.configuration = configuration
  }

  public func write(to url: URL) throws {
    var file = SafetensorsFile()
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      file.set(name, model[keyPath: path])
      file.set("adam.m." + name, optimizer.m[keyPath: path])
      file.set("adam.v." + name, optimizer.v[keyPath: path])
      if let sgd { file.set("sgd.velocity." + name, sgd.velocity[keyPath: path]) }
    }
    file.metadata["format"] = "gradlab-checkpoint-1"
    file.metadata["epoch"] = String(epoch)
    file.metadata["adam_step"] = String(optimizer.step)
    file.metadata["configuration"] = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
    if let metrics { file.metadata["metrics"] = metrics.row.joined(separator: "\t") }
    file.metadata["best_validation_loss"] = tsvNumber(bestValidationLoss)
    file.metadata["best_epoch"] = String(bestEpoch)
    file.metadata["blas_core"] = blasCore
    file.metadata["data_fingerprint"] = dataFingerprint
    file.metadata["tensor_checksum"] = file.tensorChecksum
    try file.write(to: url)
  }

  public static func read(from url: URL) throws -> TrainingCheckpoint {
    let file = try SafetensorsFile.read(from: url)
    // Checkpoints from before the checksum have none, and are trusted as before.
    let computed = file.tensorChecksum
    if let stored = file.metadata["tensor_checksum"], stored != computed {
      throw TrainingError.checkpointMismatch(
        path: url.path, reason: "its tensor data do not match their checksum (\(stored) stored, \(computed) computed): the file is damaged; restore it from a copy, or start the run again in another --output")
    }
    guard let epochText = file.metadata["epoch"], let epoch = Int(epochText),
      let stepText = file.metadata["adam_step"], let step = Int(stepText),
      let configText = file.metadata["configuration"]
    else { throw TrainingError.checkpointMismatch(path: url.path, reason: "metadata lacks epoch, adam_step or configuration") }
    let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(configText.utf8))
    var model = SequenceClassifier<Float>(
      kind: configuration.cell, vocabularySize: configuration.data.vocabularySize,
      embeddingSize: configuration.embeddingSize, hiddenSize: configuration.hiddenSize, seed: configuration.seed)
    var optimizer = Adam(for: model, learningRate: configuration.learningRate)
    optimizer.flushDenormals = true
    optimizer.step = step
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      let shape = model[keyPath: path]
      model[keyPath: path] = try file.matrix(name, rows: shape.rows, cols: shape.cols)
      optimizer.m[keyPath: path] = try file.matrix("adam.m." + name, rows: shape.rows, cols: shape.cols)
      optimizer.v[keyPath: path] = try file.matrix("adam.v." + name, rows: shape.rows, cols: shape.cols)
    }
    var checkpoint = TrainingCheckpoint(model: model, optimizer: optimizer, epoch: epoch, configuration: configuration)
    if let momentum = configuration.sgdMomentum {
      var sgd = MomentumSGD(for: model, learningRate: configuration.learningRate, momentum: momentum)
      for (name, path) in SequenceClassifier<Float>.parameterPaths {
        let shape = model[keyPath: path]
        sgd.velocity[keyPath: path] = try file.matrix("sgd.velocity." + name, rows: shape.rows, cols: shape.cols)
      }
      checkpoint.sgd = sgd
    }
    checkpoint.metrics = try file.metadata["metrics"].map { try EpochMetrics(row: $0.components(separatedBy: "\t")) }
    checkpoint.bestValidationLoss = file.metadata["best_validation_loss"].flatMap(Double.init) ?? .infinity
    checkpoint.bestEpoch = file.metadata["best_epoch"].flatMap(Int.init) ?? 0
    checkpoint.blasCore = file.metadata["blas_core"] ?? "unknown"
    checkpoint.dataFingerprint = file.metadata["data_fingerprint"]
    return checkpoint
  }
}
