import Foundation
import Linalg
import ModelFiles
import Recurrent
import TestSupport
import Testing

/// Model files written by PyTorch and Keras themselves (Fixtures/make_fixtures.py), against
/// PyTorch autograd in float64 and Keras' own predict (ModelReferenceValues.swift).
@Suite struct ModelImportTests {
  static func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
  }

  typealias R = ModelReferenceValues
  var inputs: Matrix<Double> { Matrix(rows: R.T, cols: R.D, storage: R.inputs) }

  /// J_t = dh_T/dh_t for t = 0...T, rows k = dh_T[k]/dh_t, flattened as the reference.
  static func jacobians(_ layer: RecurrentLayer<Double>, _ x: Matrix<Double>) -> [Double] {
    let H = layer.hiddenSize
    let trace = layer.forward(x, batch: 1)
    var J = [Double](repeating: .nan, count: (trace.steps + 1) * H * H)
    for k in 0..<H {
      var e = Matrix<Double>(rows: 1, cols: H)
      e[0, k] = 1
      _ = layer.backwardThroughTime(trace, lastHidden: e) { t, dh, _ in
        for j in 0..<H { J[t * H * H + k * H + j] = dh[0, j] }
      }
    }
    return J
  }

  func expectUnits(_ file: String, _ expected: [(Int, Bool, [Double])], nonlinearity: Nonlinearity? = nil) throws -> ImportedModel {
    let model = try ModelImport.read(Self.fixture(file), nonlinearity: nonlinearity)
    #expect(model.units.map(\.layer) == expected.map(\.0))
    #expect(model.units.map(\.reverse) == expected.map(\.1))
    for (unit, (x, reference)) in zip(model.units, zip(model.unitInputs(inputs), expected.map(\.2))) {
      let error = relativeError(Self.jacobians(unit.weights, x), reference)
      #expect(error < 1e-9, "\(file) \(unit.name): relative error \(error)")
    }
    return model
  }

  @Test func twoLayerLSTM() throws {
    _ = try expectUnits("lstm_2layer.safetensors", [(0, false, R.lstmTwoLayerL0Forward), (1, false, R.lstmTwoLayerL1Forward)])
  }

  @Test func bidirectionalLSTM() throws {
    _ = try expectUnits("lstm_bidirectional.safetensors", [(0, false, R.lstmBidirectionalL0Forward), (0, true, R.lstmBidirectionalL0Reverse)])
  }

  @Test func twoLayerBidirectionalGRU() throws {
    _ = try expectUnits("gru_2layer_bidirectional.safetensors", [
      (0, false, R.gruTwoLayerBidirectionalL0Forward), (0, true, R.gruTwoLayerBidirectionalL0Reverse),
      (1, false, R.gruTwoLayerBidirectionalL1Forward), (1, true, R.gruTwoLayerBidirectionalL1Reverse),
    ])
  }

  @Test func reluRNNNeedsTheFlagAndTanhIsSaidToBeAssumed() throws {
    let relu = try expectUnits("rnn_relu.safetensors", [(0, false, R.reluRNNL0Forward)], nonlinearity: .relu)
    #expect(relu.units[0].weights.kind == .reluRNN && relu.nonlinearity?.1 == "--nonlinearity")
    let tanh = try expectUnits("rnn_relu.safetensors", [(0, false, R.reluRNNAsTanh)])
    #expect(tanh.units[0].weights.kind == .rnn)
    #expect(tanh.nonlinearity?.0 == .tanh && tanh.nonlinearity?.1.contains("assumed") == true)
    // The two differ, or the test could not tell them apart.
    #expect(relativeError(R.reluRNNL0Forward, R.reluRNNAsTanh) > 0.01)
  }

  func refusal(_ file: String, prefix: String? = nil) -> String { refusal(url: Self.fixture(file), prefix: prefix) }

  func refusal(url: URL, prefix: String? = nil) -> String {
    do {
      _ = try ModelImport.read(url, prefix: prefix)
      return "no error"
    } catch { return "\(error)" }
  }

  @Test func refusalsNameTheFileAndTheTensor() {
    let projection = refusal("lstm_proj.safetensors")
    #expect(projection.contains("lstm_proj.safetensors") && projection.contains("weight_hr_l0") && projection.contains("proj_size"), "\(projection)")
    let two = refusal("two_modules.safetensors")
    #expect(two.contains("'decoder.'") && two.contains("'encoder.'") && two.contains("--prefix"), "\(two)")
    let unknown = refusal("unknown_tensor.safetensors")
    #expect(unknown.contains("norm.weight (4)") && unknown.contains("--prefix"), "\(unknown)")
    #expect(refusal("two_modules.safetensors", prefix: "nothing.").contains("no recurrent module has the prefix 'nothing.'"))
    #expect(!unknown.contains("\n") && !two.contains("\n") && !projection.contains("\n"))
  }

  @Test func aChosenPrefixNamesTheRest() throws {
    let model = try ModelImport.read(Self.fixture("two_modules.safetensors"), prefix: "decoder.")
    #expect(model.units.count == 1 && model.units[0].weights.kind == .gru)
    #expect(model.notes.contains { $0.contains("outside --prefix decoder.") && $0.contains("encoder.weight_hh_l0") })
  }

  @Test func pyTorchClassifierGradientsMatchAutograd() throws {
    let model = try ModelImport.read(Self.fixture("classifier.safetensors"))
    let classifier = try model.classifier()
    let ids = try InputTensors.tokens(Self.fixture("classifier_ids.safetensors"))
    #expect(ids.batch == 2 && ids.length == R.T)
    let (tokens, labels) = (ids.ids, ids.labels)
    var norms = [Double](repeating: .nan, count: R.T + 1)
    let pass = classifier.forward(tokens[...], batch: 2)
    #expect(relativeError(pass.logits.storage, R.classifierLogits) < 1e-12)
    _ = classifier.lossAndGradient(tokens[...], labels: labels[...]) { t, dh, _ in norms[t] = dh.frobeniusNorm }
    #expect(relativeError(norms, R.classifierGradNorms) < 1e-10)
  }

  /// Keras' predict on the same ids, through GradLab's classifier (float32 in Keras).
  func kerasPredictions(_ model: ImportedModel) throws -> [Double] {
    let ids = R.kerasIds.map { Int32($0) }
    var x: [Matrix<Double>] = []
    for b in 0..<2 {
      var sequence = Matrix<Double>(rows: R.T, cols: model.embedding!.cols)
      for t in 0..<R.T { for j in 0..<sequence.cols { sequence[t, j] = model.embedding![Int(ids[b * R.T + t]), j] } }
      x.append(sequence)
    }
    return try x.map { sequence in
      let last = try #require(model.units.last)
      let input = model.unitInputs(sequence).last!
      let h = last.weights.forward(input, batch: 1).lastHidden
      let logit = model.output!.forward(h)[0, 0]
      // A .weights.h5 does not record the Dense layer's sigmoid: its output is the logit.
      return model.outputSigmoid || model.format == KerasFile.Layout.weightsH5.rawValue ? 1 / (1 + exp(-logit)) : logit
    }
  }

  @Test(arguments: ["keras_lstm.keras", "keras_lstm.h5", "keras_lstm.weights.h5"])
  func kerasLSTMMatchesPredict(file: String) throws {
    let model = try ModelImport.read(Self.fixture(file))
    #expect(model.units.count == 1 && model.units[0].weights.kind == .lstm && model.units[0].source == "lstm")
    #expect(relativeError(try kerasPredictions(model), R.kerasLSTMPredictions) < 1e-5)
    #expect(model.notes.contains { $0.contains("optimizer") }, "\(model.notes)")
    if file.hasSuffix(".keras") || file.hasSuffix("lstm.h5") {
      #expect(model.notes.contains { $0.contains("unit_forget_bias=true") })
    }
  }

  @Test func kerasGRUSimpleRNNAndStackedMatchPredict() throws {
    let gru = try ModelImport.read(Self.fixture("keras_gru.keras"))
    #expect(gru.units[0].weights.kind == .gru)
    #expect(relativeError(try kerasPredictions(gru), R.kerasGRUPredictions) < 1e-5)
    let relu = try ModelImport.read(Self.fixture("keras_simplernn_relu.keras"))
    #expect(relu.units[0].weights.kind == .reluRNN && relu.nonlinearity?.1 == "the Keras config")
    #expect(relativeError(try kerasPredictions(relu), R.kerasReLUPredictions) < 1e-5)
    let stacked = try ModelImport.read(Self.fixture("keras_stacked.keras"))
    #expect(stacked.units.map(\.layer) == [0, 1])
    #expect(relativeError(try kerasPredictions(stacked), R.kerasStackedPredictions) < 1e-5)
  }

  @Test func kerasRefusalsNameTheLayer() {
    let reset = refusal("keras_gru_reset_before.keras")
    #expect(reset.contains("layer 'gru_1' (GRU)") && reset.contains("reset_after=False"), "\(reset)")
    let wrapper = refusal("keras_bidirectional.keras")
    #expect(wrapper.contains("layer 'bidirectional' (Bidirectional)") && wrapper.contains("LSTM"), "\(wrapper)")
    let backwards = refusal("keras_go_backwards.keras")
    #expect(backwards.contains("layer 'lstm_4' (LSTM)") && backwards.contains("go_backwards"), "\(backwards)")
  }

  @Test func damagedFilesAreOneLine() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-modelfiles-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["keras_lstm.keras", "keras_lstm.h5"] {
      let data = try Data(contentsOf: Self.fixture(name))
      let cut = folder.appendingPathComponent(name)
      try data.prefix(data.count / 2).write(to: cut)
      let message = refusal(url: cut)
      #expect(message != "no error" && message.contains(cut.path) && !message.contains("\n"), "\(message)")
    }
  }
}
