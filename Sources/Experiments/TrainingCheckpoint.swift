import Foundation
import Linalg
import Recurrent

/// The state of a run after a whole epoch: weights, Adam's moments and step, the epoch and
/// the configuration, in one safetensors file (written atomically). Tensor names are the
/// model's parameter names; Adam's moments carry the prefixes `adam.m.` and `adam.v.`.
public struct TrainingCheckpoint {
  public var model: SequenceClassifier<Float>
  public var optimizer: Adam<SequenceClassifier<Float>>
  public var epoch: Int
  public var configuration: TrainingConfiguration

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
    }
    file.metadata["format"] = "gradlab-checkpoint-1"
    file.metadata["epoch"] = String(epoch)
    file.metadata["adam_step"] = String(optimizer.step)
    file.metadata["configuration"] = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
    try file.write(to: url)
  }

  public static func read(from url: URL) throws -> TrainingCheckpoint {
    let file = try SafetensorsFile.read(from: url)
    guard let epochText = file.metadata["epoch"], let epoch = Int(epochText),
      let stepText = file.metadata["adam_step"], let step = Int(stepText),
      let configText = file.metadata["configuration"]
    else { throw TrainingError.checkpointMismatch(path: url.path, reason: "metadata lacks epoch, adam_step or configuration") }
    let configuration = try JSONDecoder().decode(TrainingConfiguration.self, from: Data(configText.utf8))
    var model = SequenceClassifier<Float>(
      kind: configuration.cell, vocabularySize: configuration.data.vocabularySize,
      embeddingSize: configuration.embeddingSize, hiddenSize: configuration.hiddenSize, seed: configuration.seed)
    var optimizer = Adam(for: model, learningRate: configuration.learningRate)
    optimizer.step = step
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      let shape = model[keyPath: path]
      model[keyPath: path] = try file.matrix(name, rows: shape.rows, cols: shape.cols)
      optimizer.m[keyPath: path] = try file.matrix("adam.m." + name, rows: shape.rows, cols: shape.cols)
      optimizer.v[keyPath: path] = try file.matrix("adam.v." + name, rows: shape.rows, cols: shape.cols)
    }
    return TrainingCheckpoint(model: model, optimizer: optimizer, epoch: epoch, configuration: configuration)
  }
}
