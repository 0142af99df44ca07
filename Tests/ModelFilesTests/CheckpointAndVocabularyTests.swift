import Foundation
import Linalg
import ModelFiles
import Recurrent
import TestSupport
import Testing

/// A GradLab checkpoint read back as a classifier gives the logits that
/// docs/gradlab_to_frameworks.py computes from it with PyTorch (float64) and checks against
/// Keras; Keras' word-index encoding; `gradlab reach` against autograd.
@Suite struct CheckpointAndVocabularyTests {
  @Test func checkpointLogitsMatchPyTorch() throws {
    let model = try ModelImport.read(ModelImportTests.fixture("gradlab_checkpoint.safetensors"))
    #expect(model.format == "GradLab checkpoint")
    #expect(model.notes.contains { $0.contains("optimizer state") })
    let classifier = try model.classifier()
    let ids = try InputTensors.tokens(ModelImportTests.fixture("gradlab_checkpoint_ids.safetensors"))
    let logits = classifier.forward(ids.ids[...], batch: ids.batch).logits.storage
    let expected = try String(contentsOf: ModelImportTests.fixture("gradlab_checkpoint_logits.txt"), encoding: .utf8)
      .split(separator: "\n").map { Double($0)! }
    #expect(expected.count == 3)
    #expect(relativeError(logits, expected) < 1e-12)
  }

  @Test func kerasWordIndexEncodesAsLoadData() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("word-index-\(UUID().uuidString).json")
    try Data(#"{"the": 1, "movie": 2, "great": 17, "rare": 9000}"#.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let index = try KerasWordIndex.read(url)
    // [start] + rank + 3; "rare" (9003 >= 100) and unknown words are out of vocabulary (2).
    #expect(index.encode(["the", "great", "movie", "rare", "zzz"], indexFrom: 3, vocabularySize: 100) == [1, 4, 20, 5, 2, 2])
    try Data(#"{"the": "one"}"#.utf8).write(to: url)
    #expect(throws: ModelFileError.self) { try KerasWordIndex.read(url) }
  }

  @Test(.enabled(if: builtGradLab != nil)) func reachAgreesWithAutogradAndRefusesToGuess() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-reach-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let runner = DecayImportCommandLineTests()
    let model = ModelImportTests.fixture("classifier.safetensors").path
    let result = try runner.run(["reach", "--model", model, "--ids", ModelImportTests.fixture("classifier_ids.safetensors").path, "--output", out.path])
    #expect(result.status == 0, "\(result.err)")
    let norms = try runner.rows(out.appendingPathComponent("model_reach.tsv")).map { Double($0[3])! }
    #expect(relativeError(norms, ModelReferenceValues.classifierGradNorms) < 1e-10)
    let guess = try runner.run(["reach", "--model", model, "--output", out.path])
    #expect(guess.status != 0 && guess.err.contains("does not guess"))
    let foreign = try runner.run(["reach", "--model", model, "--vocabulary", "gradlab", "--imdb", model, "--output", out.path])
    #expect(foreign.status != 0 && foreign.err.contains("not a GradLab checkpoint"), "\(foreign.err)")
  }
}
