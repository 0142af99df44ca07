import DecayLab
import Foundation
import Probes
import Recurrent
import Testing

/// The sweep: deterministic whatever the threads, tidy tables, and the course's headline
/// result (the LSTM's cell path keeps the gradient alive where the RNN's vanishes).
@Suite struct DecaySweepTests {
  func small() -> DecayConfiguration {
    var c = DecayConfiguration()
    c.sigmas = [0.5, 2]
    c.steps = 12
    c.hiddenSize = 6
    c.inputSize = 3
    c.seeds = 2
    c.forgetBiases = [0, 2]
    return c
  }

  @Test func rowsDoNotDependOnThreads() throws {
    let sweep = try DecaySweep(small())
    let one = sweep.run(threads: 1)
    let two = sweep.run(threads: 2)
    #expect(one.rows == two.rows)
    #expect(one.forgetRows == two.forgetRows)
    #expect(one.rows.count == sweep.jobs.count * 13)
    #expect(one.rawTable == two.rawTable)
  }

  @Test func tablesAreTidyWithNaNWhereNotApplicable() throws {
    let c = small()
    let result = try DecaySweep(c).run(threads: 2)
    let lines = result.rawTable.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    #expect(lines[0] == ["model", "sigma", "seed", "t", "lag", "grad_norm", "grad_norm_rel", "jacobian_norm", "product_norm", "bound", "cell_grad_norm", "forget_product", "power_norm"])
    #expect(lines.count == 1 + 4 * 2 * 2 * 13)
    #expect(lines.dropFirst().allSatisfy { $0.count == 13 })
    for line in lines.dropFirst() {
      let (model, t, lag) = (line[0], Int(line[3]) ?? -1, Int(line[4]) ?? -1)
      #expect(t + lag == c.steps)
      if lag == 0 { #expect(line[6] == "1", "grad_norm_rel is 1 at lag 0") }
      #expect((line[7] == "NaN") == (t == 0), "jacobian_norm only for t >= 1")
      #expect((line[9] == "NaN") == (model == "lstm" || model == "gru"), "bound only for rnn/linear: \(line)")
      #expect((line[10] == "NaN") == (model != "lstm"), "cell gradient only for the LSTM")
      #expect((line[11] == "NaN") == (model != "lstm"), "forget product only for the LSTM")
      #expect((line[12] == "NaN") == (model != "linear"), "power norm only for the linear RNN")
      if model == "linear" { #expect(line[12] == line[8], "the linear RNN's product norm is ||W^lag||: \(line)") }
    }
    let rates = result.rates()
    #expect(rates.count == 4 * 2)
    for r in rates {
      #expect((r.theory == nil) == (r.model == .lstm || r.model == .gru))
      if r.model == .linear { #expect(abs(r.rate.median - log(r.sigma)) < 1e-9, "linear rate is exactly log sigma") }
    }
    let forget = result.forgetSummary()
    #expect(forget.count == 3 * 13, "LSTM at two forget biases and the RNN")
    #expect(result.summaryTable.split(separator: "\n").count == 1 + 4 * 2 * 13)
    #expect(result.forgetTable.hasPrefix("model\tforget_bias\tsigma\tlag\t"))
  }

  /// At σ = 0.5, 50 steps back, the LSTM with unit forget bias keeps a gradient at least a
  /// thousand times larger than the tanh RNN's.
  @Test func lstmCellPathOutlastsTheRNN() throws {
    var c = DecayConfiguration()
    c.models = [.rnn, .lstm]
    c.sigmas = [0.5]
    c.steps = 50
    c.hiddenSize = 16
    c.seeds = 3
    c.lstmForgetBias = 1
    c.forgetBiases = []
    let summary = try DecaySweep(c).run(threads: 2).summary()
    func gradient(_ kind: CellKind) -> Double { summary.first { $0.model == kind && $0.lag == 50 }?.gradient.median ?? .nan }
    let (lstm, rnn) = (gradient(.lstm), gradient(.rnn))
    #expect(lstm >= 1e3 * rnn, "lag 50: LSTM \(lstm) vs RNN \(rnn)")
  }

  /// --precision full: every measured number in decay.tsv reads back as the Double measured.
  @Test func fullPrecisionTablesRoundTripEveryDouble() throws {
    var c = small()
    c.models = [.lstm]
    c.forgetBiases = []
    c.precision = .full
    let result = try DecaySweep(c).run(threads: 1)
    let lines = result.rawTable.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
    #expect(lines.count == result.rows.count)
    for (line, row) in zip(lines, result.rows) {
      #expect(Double(line[5]) == row.probe.gradientNorm, "grad_norm \(line[5]) vs \(row.probe.gradientNorm)")
      #expect(Double(line[8]) == row.probe.productNorm)
    }
  }

  @Test func quartilesInterpolateLikeNumpy() {
    let q = DecayQuartiles([4, 1, nil, 3, 2, .nan])
    #expect(q.median == 2.5)
    #expect(q.q1 == 1.75)
    #expect(q.q3 == 3.25)
    #expect(DecayQuartiles([]).median.isNaN)
  }

  @Test func writtenFilesRoundTrip() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-sweep-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var c = small()
    c.models = [.rnn]
    let result = try DecaySweep(c).run(threads: 1)
    try DecayOutput.write(result, to: folder, command: "gradlab decay --models rnn")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == DecayOutput.fileNames(for: c).sorted())
    #expect(names.contains("decay_forget.tsv") && names.contains("decay_inputs.safetensors"))
    let record = try JSONDecoder().decode(DecayOutput.Record.self, from: Data(contentsOf: folder.appendingPathComponent("decay_config.json")))
    #expect(record.configuration == c)
    #expect(record.command == "gradlab decay --models rnn")
  }
}
