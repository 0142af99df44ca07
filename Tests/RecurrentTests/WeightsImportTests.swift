import Foundation
import Linalg
import Recurrent
import Storage
import TestSupport
import Testing

/// PyTorch- and Keras-layout safetensors files become the same layer: checked end to end
/// against the PyTorch reference forward values.
@Suite struct WeightsImportTests {
  let B = 2, T = 4, D = 3, H = 5
  let reference = ReferenceForwardTests()

  func write(_ build: (inout SafetensorsFile) -> Void) throws -> URL {
    var file = SafetensorsFile()
    build(&file)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-import-\(UUID().uuidString).safetensors")
    try file.write(to: url)
    return url
  }

  /// GradLab layout -> PyTorch layout: transposed, GRU gates z r n -> r z n.
  func pyTorchLayout(_ m: Matrix<Double>, kind: CellKind) -> Matrix<Double> {
    guard kind == .gru else { return m.transposed }
    var out = m
    for (to, from) in [1, 0, 2].enumerated() { out.setColumns(to * H, to: m.columns((from * H)..<((from + 1) * H))) }
    return out.transposed
  }

  func forward(_ layer: RecurrentLayer<Double>) -> [Double] {
    let initial = RecurrentState(hidden: reference.pattern(5, B, H), cell: layer.kind.hasCellState ? reference.pattern(6, B, H) : Matrix(rows: 0, cols: 0))
    return layer.forward(reference.pattern(9, T * B, D), batch: B, initial: initial).hidden.rows(B..<((T + 1) * B)).storage
  }

  @Test(arguments: [CellKind.lstm, .gru])
  func pyTorchNamesGiveThePyTorchForward(kind: CellKind) throws {
    let G = kind.gateCount
    let url = try write { file in
      file.set("lstm.weight_ih_l0", pyTorchLayout(reference.pattern(1, D, G * H), kind: kind))
      file.set("lstm.weight_hh_l0", pyTorchLayout(reference.pattern(2, H, G * H), kind: kind))
      file.setVector("lstm.bias_ih_l0", pyTorchLayout(reference.pattern(3, 1, G * H), kind: kind))
      if kind == .gru { file.setVector("lstm.bias_hh_l0", pyTorchLayout(reference.pattern(4, 1, G * H), kind: kind)) }
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let layer: RecurrentLayer<Double> = try RecurrentWeightsImport.load(url)
    #expect(layer.kind == kind)
    let expected = kind == .lstm ? ReferenceValues.lstmHidden : ReferenceValues.gruHidden
    #expect(relativeError(forward(layer), expected) < 1e-13)
  }

  /// PyTorch's LSTM adds bias_ih_l0 and bias_hh_l0; a non-zero bias_hh_l0 must reach the
  /// forward (the reference has both biases set, the one above bias_ih_l0 only).
  @Test func pyTorchLSTMAddsItsTwoBiases() throws {
    let url = try write { file in
      file.set("lstm.weight_ih_l0", pyTorchLayout(reference.pattern(1, D, 4 * H), kind: .lstm))
      file.set("lstm.weight_hh_l0", pyTorchLayout(reference.pattern(2, H, 4 * H), kind: .lstm))
      file.setVector("lstm.bias_ih_l0", pyTorchLayout(reference.pattern(3, 1, 4 * H), kind: .lstm))
      file.setVector("lstm.bias_hh_l0", pyTorchLayout(reference.pattern(4, 1, 4 * H), kind: .lstm))
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let layer: RecurrentLayer<Double> = try RecurrentWeightsImport.load(url)
    #expect(relativeError(forward(layer), ReferenceValues.lstmHiddenTwoBiases) < 1e-13)
    #expect(relativeError(ReferenceValues.lstmHiddenTwoBiases, ReferenceValues.lstmHidden) > 1e-3, "the second bias changes the forward")
  }

  @Test func kerasNamesWithTheGRUsTwoRowBias() throws {
    let url = try write { file in
      file.set("kernel", reference.pattern(1, D, 3 * H))
      file.set("recurrent_kernel", reference.pattern(2, H, 3 * H))
      var bias = Matrix<Double>(rows: 2, cols: 3 * H)
      bias.storage = reference.pattern(3, 1, 3 * H).storage + reference.pattern(4, 1, 3 * H).storage
      file.set("bias", bias)
    }
    defer { try? FileManager.default.removeItem(at: url) }
    let layer: RecurrentLayer<Double> = try RecurrentWeightsImport.load(url)
    #expect(layer.kind == .gru)
    #expect(relativeError(forward(layer), ReferenceValues.gruHidden) < 1e-13)
  }

  @Test func mismatchedShapesNameTheTensors() throws {
    let url = try write { file in
      file.set("weight_ih_l0", Matrix<Float>(rows: 12, cols: 3))
      file.set("weight_hh_l0", Matrix<Float>(rows: 20, cols: 5))
    }
    defer { try? FileManager.default.removeItem(at: url) }
    do {
      let _: RecurrentLayer<Double> = try RecurrentWeightsImport.load(url)
      Issue.record("a 12-row input kernel cannot fit a 20-row recurrent kernel")
    } catch let error as RecurrentImportError {
      #expect(error.description.contains("weight_ih_l0") && error.description.contains("12x3") && error.description.contains("20"))
    }
    let empty = try write { $0.set("something", Matrix<Float>(rows: 1, cols: 1)) }
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(throws: RecurrentImportError.self) { let _: RecurrentLayer<Double> = try RecurrentWeightsImport.load(empty) }
  }
}
