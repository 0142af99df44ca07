import Foundation
import Linalg
import Recurrent
import Storage
import Testing
import Training

/// `gradlab train --optimizer sgd [--momentum μ]`: steps in proportion to the gradient, and
/// resumable like Adam.
@Suite struct TrainingSGDTests {
  static func configuration(epochs: Int, momentum: Double) -> TrainingConfiguration {
    var c = TrainingRunTests.configuration(epochs: epochs)
    c.sgdMomentum = momentum
    c.learningRate = 0.5
    return c
  }

  func folder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-sgd-\(UUID().uuidString)") }

  @Test func plainSGDMovesTheWeightsByTheLearningRateTimesTheGradient() throws {
    let output = folder()
    defer { try? FileManager.default.removeItem(at: output) }
    var run = TrainingRun(configuration: Self.configuration(epochs: 2, momentum: 0), data: TrainingRunTests.syntheticData(seed: 8), output: output)
    run.logSteps = true
    _ = try run.run(resume: false, reporter: TrainingReporter())
    let steps = try TSVTable.read(from: output.appendingPathComponent("steps.tsv"))
    let (norms, updates) = (try #require(steps.column("grad_norm")), try #require(steps.column("update_norm")))
    #expect(norms.count == 12)
    for (g, u) in zip(norms.compactMap(Double.init), updates.compactMap(Double.init)) {
      // θ -= lr · g, so ||Δθ|| = lr · ||g|| (up to Float rounding of the weights).
      #expect(abs(u - 0.5 * g) < 1e-4 * 0.5 * g, "update \(u), gradient \(g)")
    }
    #expect(try #require(steps.column("adam_v_rms")).allSatisfy { $0 == "NaN" })
    let losses = try #require(try TSVTable.read(from: output.appendingPathComponent("metrics.tsv")).column("train_loss")).compactMap(Double.init)
    #expect(losses[1] < losses[0], "train loss \(losses)")
  }

  @Test func momentumSGDResumesToTheSameWeightsBitForBit() throws {
    let (whole, split) = (folder(), folder())
    defer { for f in [whole, split] { try? FileManager.default.removeItem(at: f) } }
    let data = TrainingRunTests.syntheticData(seed: 9)
    _ = try TrainingRun(configuration: Self.configuration(epochs: 3, momentum: 0.9), data: data, output: whole).run(resume: false, reporter: TrainingReporter())
    _ = try TrainingRun(configuration: Self.configuration(epochs: 1, momentum: 0.9), data: data, output: split).run(resume: false, reporter: TrainingReporter())
    _ = try TrainingRun(configuration: Self.configuration(epochs: 3, momentum: 0.9), data: data, output: split).run(resume: true, reporter: TrainingReporter())
    let a = try TrainingCheckpoint.read(from: whole.appendingPathComponent("checkpoint.safetensors"))
    let b = try TrainingCheckpoint.read(from: split.appendingPathComponent("checkpoint.safetensors"))
    let (va, vb) = (try #require(a.sgd).velocity, try #require(b.sgd).velocity)
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      #expect(a.model[keyPath: path].storage.map(\.bitPattern) == b.model[keyPath: path].storage.map(\.bitPattern), "\(name) differs")
      #expect(va[keyPath: path] == vb[keyPath: path], "velocity of \(name) differs")
    }
    #expect(va.globalNorm > 0)
  }

  @Test func sgdCheckpointsHoldOnlyTheVelocityAndOlderOnesStillLoad() throws {
    let output = folder()
    defer { try? FileManager.default.removeItem(at: output) }
    _ = try TrainingRun(configuration: Self.configuration(epochs: 1, momentum: 0.5), data: TrainingRunTests.syntheticData(seed: 4), output: output)
      .run(resume: false, reporter: TrainingReporter())
    let url = output.appendingPathComponent("checkpoint.safetensors")
    var file = try SafetensorsFile.read(from: url)
    let names = SequenceClassifier<Float>.parameterPaths.map(\.name)
    #expect(Set(file.tensors.keys) == Set(names + names.map { "sgd.velocity." + $0 }))
    #expect(file.metadata["adam_step"] == nil)
    let saved = try TrainingCheckpoint.read(from: url)
    let metrics = try #require(saved.metrics)
    // The layout before optimisers stored only their own state: Adam's (zero) moments and
    // step beside the velocity, the metrics as a metrics.tsv row.
    for name in names {
      file.tensors["adam.m." + name] = file.tensors[name]
      file.tensors["adam.v." + name] = file.tensors[name]
    }
    file.metadata["adam_step"] = "0"
    file.metadata["metrics_json"] = nil
    file.metadata["metrics"] = metrics.row.joined(separator: "\t")
    file.metadata[SafetensorsFile.checksumKey] = nil  // nor the whole-file checksum
    file.metadata["tensor_checksum"] = file.tensorChecksum
    try file.write(to: url)
    let old = try TrainingCheckpoint.read(from: url)
    #expect(old.metrics == metrics && old.epoch == 1)
    let (va, vb) = (try #require(old.sgd).velocity, try #require(saved.sgd).velocity)
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      #expect(old.model[keyPath: path] == saved.model[keyPath: path] && va[keyPath: path] == vb[keyPath: path], "\(name) differs")
    }
  }

  @Test func badMomentumIsRefused() {
    #expect(throws: TrainingError.self) { try Self.configuration(epochs: 1, momentum: 1).validate() }
    #expect(throws: TrainingError.self) { try Self.configuration(epochs: 1, momentum: -0.1).validate() }
  }
}
