import Foundation
import IMDB
import Linalg
import Recurrent
import SeededRandom
import Storage
import Testing
import Training

/// The trainer on a tiny synthetic task: positive "reviews" contain word 3 more often.
@Suite struct TrainingRunTests {
  static func syntheticData(seed: UInt64) -> IMDBData {
    var rng = SeededGenerator(seed: seed)
    func split(_ n: Int) -> EncodedSplit {
      var sequences: [[Int32]] = []
      var labels: [Float] = []
      for i in 0..<n {
        let positive = i % 2 == 0
        let words = (0..<10).map { _ -> Int32 in
          let marker = rng.nextUniform() < (positive ? 0.4 : 0.05)
          return marker ? 3 : Int32(4 + rng.index(below: 16))
        }
        sequences.append([1] + words)
        labels.append(positive ? 1 : 0)
      }
      return EncodedSplit(sequences: sequences, labels: labels, length: 12, padding: .pre)
    }
    return IMDBData(train: split(96), validation: split(32), test: split(32), vocabulary: (0..<20).map { "w\($0)" })
  }

  static func configuration(epochs: Int) -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.epochs = epochs
    c.data = IMDBOptions(vocabularySize: 20, sequenceLength: 12)
    c.batchSize = 16
    c.embeddingSize = 6
    c.hiddenSize = 5
    c.learningRate = 0.01
    c.gradientEpochs = [0, 2]
    return c
  }

  func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-train-\(UUID().uuidString)")
  }

  @Test func trainingDrivesTheLossDownAndWritesEveryTable() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let run = TrainingRun(configuration: Self.configuration(epochs: 6), data: Self.syntheticData(seed: 1), output: output)
    let summary = try run.run(resume: false, reporter: TrainingReporter())
    let metrics = try TSVTable.read(from: output.appendingPathComponent("metrics.tsv"))
    let losses = try #require(metrics.column("train_loss")).compactMap(Double.init)
    #expect(losses.count == 6)
    #expect(losses.last! < 0.6 * losses.first!, "train loss \(losses)")
    #expect(summary.last.testAccuracy > 0.75)
    let gradients = try TSVTable.read(from: output.appendingPathComponent("gradients.tsv"))
    #expect(gradients.rows.count == 2 * 13)  // epochs 0 and 2, t = 0...12
    let spectra = try TSVTable.read(from: output.appendingPathComponent("spectra.tsv"))
    #expect(spectra.column("epoch") == ["0", "0", "0", "0", "2", "2", "2", "2"])
    #expect(spectra.column("gate") == ["i", "f", "g", "o", "i", "f", "g", "o"])
    for name in ["checkpoint.safetensors", "best.safetensors", "results.json", "config.json"] {
      #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "\(name) missing")
    }
    // A checkpoint is also a weights file `gradlab decay --weights` reads.
    let checkpoint = try TrainingCheckpoint.read(from: output.appendingPathComponent("checkpoint.safetensors"))
    let imported: RecurrentLayer<Float> = try RecurrentWeightsImport.load(output.appendingPathComponent("checkpoint.safetensors"))
    #expect(imported.kind == .lstm)
    #expect(imported.recurrentKernel == checkpoint.model.recurrent.recurrentKernel)
    #expect(imported.inputKernel == checkpoint.model.recurrent.inputKernel && imported.bias == checkpoint.model.recurrent.bias)
  }

  @Test func aStopBetweenCheckpointAndTablesLosesNoRow() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let data = Self.syntheticData(seed: 5)
    _ = try TrainingRun(configuration: Self.configuration(epochs: 2), data: data, output: output).run(resume: false, reporter: TrainingReporter())
    // Simulate a stop after epoch 2's checkpoint but before its rows reached the tables.
    let metricsURL = output.appendingPathComponent("metrics.tsv")
    var metrics = try TSVTable.read(from: metricsURL)
    let epoch2 = metrics.rows.removeLast()
    try metrics.write(to: metricsURL)
    let gradientsURL = output.appendingPathComponent("gradients.tsv")
    var gradients = try TSVTable.read(from: gradientsURL)
    gradients.rows.removeAll { $0[1] == "2" }
    try gradients.write(to: gradientsURL)
    _ = try TrainingRun(configuration: Self.configuration(epochs: 3), data: data, output: output).run(resume: true, reporter: TrainingReporter())
    let restored = try TSVTable.read(from: metricsURL)
    #expect(restored.column("epoch") == ["1", "2", "3"])
    #expect(restored.rows[1] == epoch2)
    #expect(try TSVTable.read(from: gradientsURL).rows.filter { $0[1] == "2" }.count == 13)
  }

  @Test func resumeAfterAStopEqualsTheUninterruptedRunBitForBit() throws {
    let (whole, split) = (temporaryFolder(), temporaryFolder())
    defer { for f in [whole, split] { try? FileManager.default.removeItem(at: f) } }
    let data = Self.syntheticData(seed: 2)
    _ = try TrainingRun(configuration: Self.configuration(epochs: 4), data: data, output: whole).run(resume: false, reporter: TrainingReporter())
    // Stopped after epoch 2 (a kill loses at most the epoch in progress), then resumed to 4.
    _ = try TrainingRun(configuration: Self.configuration(epochs: 2), data: data, output: split).run(resume: false, reporter: TrainingReporter())
    _ = try TrainingRun(configuration: Self.configuration(epochs: 4), data: data, output: split).run(resume: true, reporter: TrainingReporter())
    let a = try TrainingCheckpoint.read(from: whole.appendingPathComponent("checkpoint.safetensors"))
    let b = try TrainingCheckpoint.read(from: split.appendingPathComponent("checkpoint.safetensors"))
    #expect(a.epoch == 4 && b.epoch == 4 && a.adam?.step == b.adam?.step && a.adam != nil)
    for (name, path) in SequenceClassifier<Float>.parameterPaths {
      #expect(a.model[keyPath: path].storage.map(\.bitPattern) == b.model[keyPath: path].storage.map(\.bitPattern), "\(name) differs")
      #expect(a.adam?.v[keyPath: path] == b.adam?.v[keyPath: path], "Adam v of \(name) differs")
    }
    let metricsA = try TSVTable.read(from: whole.appendingPathComponent("metrics.tsv"))
    let metricsB = try TSVTable.read(from: split.appendingPathComponent("metrics.tsv"))
    #expect(metricsA.column("train_loss") == metricsB.column("train_loss"))
  }

  @Test func aDivergingRunStopsNamingEpochAndStep() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    var configuration = Self.configuration(epochs: 3)
    configuration.learningRate = 1e38  // one Adam step moves every weight by ~1e38
    let run = TrainingRun(configuration: configuration, data: Self.syntheticData(seed: 3), output: output)
    do {
      _ = try run.run(resume: false, reporter: TrainingReporter())
      Issue.record("a learning rate of 1e38 should make the loss non-finite")
    } catch let error as TrainingError {
      let message = error.description
      #expect(message.contains("epoch 1") && message.contains("step"), "\(message)")
    }
    #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("checkpoint.safetensors").path))
  }

  @Test func anOccupiedOutputFolderNeedsResume() throws {
    let output = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let data = Self.syntheticData(seed: 4)
    _ = try TrainingRun(configuration: Self.configuration(epochs: 1), data: data, output: output).run(resume: false, reporter: TrainingReporter())
    #expect(throws: TrainingError.self) {
      try TrainingRun(configuration: Self.configuration(epochs: 1), data: data, output: output).run(resume: false, reporter: TrainingReporter())
    }
    var changed = Self.configuration(epochs: 2)
    changed.hiddenSize = 7
    do {
      _ = try TrainingRun(configuration: changed, data: data, output: output).run(resume: true, reporter: TrainingReporter())
      Issue.record("resuming with another hidden size must fail")
    } catch let error as TrainingError {
      #expect(error.description.contains("hiddenSize: 5 -> 7"), "\(error)")
    }
  }

  @Test func badConfigurationsAreRejected() {
    var c = Self.configuration(epochs: 0)
    #expect(throws: TrainingError.self) { try c.validate() }
    c = Self.configuration(epochs: 1)
    c.learningRate = -1
    #expect(throws: TrainingError.self) { try c.validate() }
    c = Self.configuration(epochs: 1)
    c.clipNorm = 0
    #expect(throws: TrainingError.self) { try c.validate() }
  }
}
