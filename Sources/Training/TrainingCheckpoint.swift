import Foundation
import Linalg
import Recurrent
import Storage

/// The state of a run after a whole epoch: weights, the optimiser's state, the epoch, the
/// configuration, the epoch's metrics and the best validation loss so far, in one safetensors
/// file (written atomically). Tensor names are the model's parameter names; the optimiser's
/// state carries its prefixes: `adam.m.` and `adam.v.` (with `adam_step` in the metadata) for
/// Adam, `sgd.velocity.` for SGD. Holding the metrics means a stop between writing the
/// checkpoint and the metrics table loses nothing. Older checkpoints (Adam's moments also in
/// SGD runs, the metrics as a tab-separated row) still load.
public struct TrainingCheckpoint {
  public typealias Model = SequenceClassifier<Float>
  public var model: Model
  public var optimizer: any Optimizer<Model>
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

  /// A fresh run's state: the seeded weights and the configuration's optimiser.
  public init(configuration: TrainingConfiguration) {
    let model = SequenceClassifier<Float>(
      kind: configuration.cell, vocabularySize: configuration.data.vocabularySize,
      embeddingSize: configuration.embeddingSize, hiddenSize: configuration.hiddenSize, seed: configuration.seed)
    self.model = model
    // Training flushes subnormals in Adam's update too (see `Adam.flushDenormals`).
    optimizer = configuration.optimizer.make(
      for: model, learningRate: configuration.learningRate, momentum: configuration.sgdMomentum ?? 0, flushDenormals: true)
    epoch = 0
    self.configuration = configuration
  }

  /// The optimiser when it is Adam / SGD.
  public var adam: Adam<Model>? { optimizer as? Adam<Model> }
  public var sgd: MomentumSGD<Model>? { optimizer as? MomentumSGD<Model> }

  public func write(to url: URL) throws {
    var file = SafetensorsFile()
    for (name, path) in Model.parameterPaths { file.set(name, model[keyPath: path]) }
    Self.store(optimizer, in: &file)
    file.metadata["format"] = "gradlab-checkpoint-1"
    file.metadata["epoch"] = String(epoch)
    file.metadata["configuration"] = String(decoding: try JSONEncoder.compact.encode(configuration), as: UTF8.self)
    if let metrics { file.metadata["metrics_json"] = String(decoding: try JSONEncoder.compact.encode(metrics), as: UTF8.self) }
    file.metadata["best_validation_loss"] = tsvNumber(bestValidationLoss)
    file.metadata["best_epoch"] = String(bestEpoch)
    file.metadata["blas_core"] = blasCore
    file.metadata["data_fingerprint"] = dataFingerprint
    file.metadata[SafetensorsFile.checksumKey] = file.checksum
    try file.write(to: url)
  }

  static func store<O: Optimizer>(_ optimizer: O, in file: inout SafetensorsFile) where O.Model == Model {
    for (prefix, state) in optimizer.stateTensors {
      for (name, path) in Model.parameterPaths { file.set(prefix + name, optimizer[keyPath: state][keyPath: path]) }
    }
    file.metadata.merge(optimizer.stateMetadata) { _, new in new }
  }

  /// Reads the optimiser's state; returns what is missing, or nil.
  static func restore<O: Optimizer>(_ optimizer: inout O, from file: SafetensorsFile, shapes model: Model) throws -> String? where O.Model == Model {
    if let missing = optimizer.restore(metadata: file.metadata) { return missing }
    for (prefix, state) in optimizer.stateTensors {
      for (name, path) in Model.parameterPaths {
        let shape = model[keyPath: path]
        optimizer[keyPath: state][keyPath: path] = try file.matrix(prefix + name, rows: shape.rows, cols: shape.cols)
      }
    }
    return nil
  }

  public static func read(from url: URL) throws -> TrainingCheckpoint {
    let file = try SafetensorsFile.read(from: url)
    // The checksum covers the tensors and the metadata (see `SafetensorsFile.checksum`).
    if let problem = file.checksumProblem {
      throw TrainingError.checkpointMismatch(path: url.path, reason: "\(problem): the file is damaged; restore it from a copy, or start the run again in another --output")
    }
    if let (tensor, index) = file.firstNonFinite() {
      throw TrainingError.checkpointMismatch(
        path: url.path, reason: "tensor \(tensor) holds a NaN or an infinity (element \(index)): these weights cannot be trained on; restore the file from a copy, or start the run again in another --output")
    }
    guard let epochText = file.metadata["epoch"], let epoch = Int(epochText),
      let configText = file.metadata["configuration"]
    else { throw TrainingError.checkpointMismatch(path: url.path, reason: "metadata lacks epoch or configuration") }
    let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(configText.utf8))
    var checkpoint = TrainingCheckpoint(configuration: configuration)
    checkpoint.epoch = epoch
    for (name, path) in Model.parameterPaths {
      let shape = checkpoint.model[keyPath: path]
      checkpoint.model[keyPath: path] = try file.matrix(name, rows: shape.rows, cols: shape.cols)
    }
    if let missing = try restore(&checkpoint.optimizer, from: file, shapes: checkpoint.model) {
      throw TrainingError.checkpointMismatch(path: url.path, reason: "metadata lacks \(missing)")
    }
    if let json = file.metadata["metrics_json"] {
      checkpoint.metrics = try JSONDecoder.tolerant.decode(EpochMetrics.self, from: Data(json.utf8))
    } else if let row = file.metadata["metrics"] {
      // Older checkpoints: the metrics.tsv row, tab-separated.
      checkpoint.metrics = try EpochMetrics(row: row.components(separatedBy: "\t"))
    }
    checkpoint.bestValidationLoss = file.metadata["best_validation_loss"].flatMap(Double.init) ?? .infinity
    checkpoint.bestEpoch = file.metadata["best_epoch"].flatMap(Int.init) ?? 0
    checkpoint.blasCore = file.metadata["blas_core"] ?? "unknown"
    checkpoint.dataFingerprint = file.metadata["data_fingerprint"]
    return checkpoint
  }
}
