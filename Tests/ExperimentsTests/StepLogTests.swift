import Foundation
import Linalg
import Recurrent
import Storage
import Testing
import Training

/// `gradlab train --log-steps`: one row per optimiser step, resumable like the other tables.
@Suite struct StepLogTests {
  func table(_ output: URL) throws -> TSVTable { try TSVTable.read(from: output.appendingPathComponent("steps.tsv")) }

  func run(epochs: Int, output: URL, resume: Bool) throws {
    var run = TrainingRun(configuration: TrainingRunTests.configuration(epochs: epochs), data: TrainingRunTests.syntheticData(seed: 7), output: output)
    run.logSteps = true
    _ = try run.run(resume: resume, reporter: TrainingReporter())
  }

  @Test func everyStepHasARowAndTheFirstStepMatchesAdamsClosedForm() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-steps-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    try run(epochs: 2, output: output, resume: false)
    let steps = try table(output)
    // 96 training reviews in batches of 16: 6 steps per epoch.
    let epochs: [String] = Array(repeating: "1", count: 6) + Array(repeating: "2", count: 6)
    let stepNumbers: [String] = (1...6).map(String.init)
    #expect(steps.column("epoch") == epochs)
    #expect(steps.column("step") == stepNumbers + stepNumbers)
    // After step 1, v̂ = g², so sqrt(mean v̂) = ||g|| / sqrt(parameter count).
    let c = TrainingRunTests.configuration(epochs: 2)
    let count = SequenceClassifier<Float>(kind: c.cell, vocabularySize: 20, embeddingSize: c.embeddingSize, hiddenSize: c.hiddenSize, seed: c.seed).parameterCount
    let first = try #require(steps.rows.first).compactMap(Double.init)
    let (gradNorm, vRMS) = (first[3], first[8])
    let expected: Double = gradNorm / Double(count).squareRoot()
    #expect(abs(vRMS - expected) < 1e-5 * expected, "v rms \(vRMS), ||g|| \(gradNorm), \(count) parameters")
    // The largest step gradient of each epoch is the metrics table's grad_norm_max.
    let metrics = try TSVTable.read(from: output.appendingPathComponent("metrics.tsv"))
    let maxima = try #require(metrics.column("grad_norm_max")).compactMap(Double.init)
    for epoch in 1...2 {
      let norms = steps.rows.filter { $0[0] == String(epoch) }.compactMap { Double($0[3]) }
      #expect(norms.max() == maxima[epoch - 1])
    }
  }

  @Test func resumeKeepsTheEarlierEpochsRows() throws {
    let (whole, split) = (
      FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-steps-\(UUID().uuidString)"),
      FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-steps-\(UUID().uuidString)")
    )
    defer { for f in [whole, split] { try? FileManager.default.removeItem(at: f) } }
    try run(epochs: 3, output: whole, resume: false)
    try run(epochs: 1, output: split, resume: false)
    try run(epochs: 3, output: split, resume: true)
    #expect(try table(whole) == table(split))
  }
}
