import Foundation
import Linalg
import Recurrent
import Storage
import Testing

/// Weights files from issue 7 that once crashed or passed silently: each is refused with a
/// message naming the file and the tensor.
@Suite struct HostileWeightsTests {
  let H = 3, D = 2

  /// A PyTorch RNN file whose tensors `edit` may damage; returns the import error's message.
  func importError(_ edit: (inout Matrix<Float>, inout Matrix<Float>, inout Matrix<Float>) -> Void) throws -> String {
    var wih = Matrix<Float>(rows: H, cols: D, storage: (0..<(H * D)).map { Float($0 + 1) / 10 })
    var whh = Matrix<Float>(rows: H, cols: H, storage: (0..<(H * H)).map { Float($0 % 4) / 5 - 0.3 })
    var bias = Matrix<Float>(rows: 1, cols: H, storage: [0.1, -0.2, 0.3])
    edit(&wih, &whh, &bias)
    var file = SafetensorsFile()
    file.set("rnn.weight_ih_l0", wih)
    file.set("rnn.weight_hh_l0", whh)
    file.setVector("rnn.bias_ih_l0", bias)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-hostile-\(UUID().uuidString).safetensors")
    try file.write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    do {
      _ = try RecurrentWeightsImport.load(url, as: Double.self)
    } catch let error as RecurrentImportError {
      #expect(error.description.contains(url.path))
      return error.description
    }
    return "imported"
  }

  @Test func theUndamagedFileImports() throws {
    #expect(try importError { _, _, _ in } == "imported")
  }

  @Test func zeroSizeTensorsAreRefused() throws {
    let message = try importError { wih, whh, bias in
      whh = Matrix(rows: 0, cols: 0)
      wih = Matrix(rows: 0, cols: 0)
      bias = Matrix(rows: 1, cols: 0)
    }
    #expect(message.contains("weight_ih_l0 is empty") || message.contains("weight_hh_l0 is empty"), "\(message)")
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func nonFiniteWeightsAreRefusedNamingTheTensor(value: Float) throws {
    let recurrent = try importError { _, whh, _ in whh[1, 2] = value }
    #expect(recurrent.contains("rnn.weight_hh_l0 holds \(Double(value)) at row 1, column 2"), "\(recurrent)")
    let input = try importError { wih, _, _ in wih[0, 1] = value }
    #expect(input.contains("rnn.weight_ih_l0 holds"), "\(input)")
    let bias = try importError { _, _, bias in bias[0, 2] = value }
    #expect(bias.contains("rnn.bias_ih_l0 holds"), "\(bias)")
  }

  @Test func allZeroRecurrentWeightsAreRefused() throws {
    let message = try importError { _, whh, _ in whh = Matrix(rows: 3, cols: 3) }
    #expect(message.contains("rnn.weight_hh_l0 holds only zeros"), "\(message)")
  }
}
