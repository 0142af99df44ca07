@testable import DecayLab
import Foundation
import Linalg
import Recurrent
import Testing


/// The slopes φ'(a_t) = 1 - h_t² of the sweep's tanh RNN, against a forward pass written out
/// by hand from the same weights and inputs.
struct SaturationTablesTests {
  func configuration(inputScale: Double = 1) -> DecayConfiguration {
    var c = DecayConfiguration()
    c.models = [.rnn]
    c.sigmas = [0.5, 3]
    c.steps = 4
    c.hiddenSize = 5
    c.inputSize = 3
    c.seeds = 2
    c.inputScale = inputScale
    c.forgetBiases = []
    return c
  }

  /// h_t = tanh(x_t W_x + b + h_{t-1} W_h), one unit at a time, in plain loops.
  func slopesByHand(_ c: DecayConfiguration, sigma: Double) throws -> [Double] {
    let sweep = try DecaySweep(c)
    var slopes: [Double] = []
    for seed in 1...c.seeds {
      let layer = sweep.layer(for: DecayJob(model: .rnn, sigma: sigma, seed: seed))
      let x = sweep.data(seed: seed, inputSize: c.inputSize, hiddenSize: c.hiddenSize).inputs
      var h = [Double](repeating: 0, count: c.hiddenSize)
      for t in 0..<c.steps {
        h = (0..<c.hiddenSize).map { j in
          var a = layer.bias[0, j]
          for d in 0..<c.inputSize { a += x[t, d] * layer.inputKernel[d, j] }
          for k in 0..<c.hiddenSize { a += h[k] * layer.recurrentKernel[k, j] }
          return Foundation.tanh(a)
        }
        slopes += h.map { 1 - $0 * $0 }
      }
    }
    return slopes
  }

  @Test func summaryMatchesAHandWrittenForwardPass() throws {
    let c = configuration()
    let tables = try SaturationTables(configuration: c, bins: 10)
    for (row, sigma) in zip(tables.summary.rows, c.sigmas) {
      let slopes = try slopesByHand(c, sigma: sigma)
      #expect(row[2] == String(slopes.count))
      let mean = try #require(Double(row[3]))
      #expect(abs(mean - slopes.reduce(0, +) / Double(slopes.count)) < 1e-12)
      let below = try #require(Double(row[8]))
      #expect(below == Double(slopes.filter { $0 < 0.5 }.count) / Double(slopes.count))
    }
  }

  @Test func histogramSumsToOneAndTinyInputsStayLinear() throws {
    let tables = try SaturationTables(configuration: configuration(inputScale: 1e-4), bins: 10)
    for sigma in ["0.5", "3.0"] {
      let rows = tables.histogram.rows.filter { $0[1] == sigma }
      #expect(rows.count == 10)
      let total = rows.compactMap { Double($0[4]) }.reduce(0, +)
      #expect(abs(total - 1) < 1e-12)
    }
    // With inputs of size 1e-4 every pre-activation at σ = 0.5 stays tiny: all slopes in the top bin.
    #expect(tables.histogram.rows.filter { $0[1] == "0.5" }.last?[4] == "1.0")
  }

  @Test func refusesABadBinCount() {
    #expect(throws: DecayConfigurationError.self) { try SaturationTables(configuration: configuration(), bins: 0) }
  }
}
