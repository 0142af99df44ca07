import DecayLab
import Linalg
import Recurrent
import Testing

/// The course tables must come out byte for byte the same on every CPU and BLAS kernel, so
/// the Double analysis (the decay sweep, saturation, probes, spectral norms, matrix powers)
/// makes no BLAS product: a kernel's product changes last digits between CPUs. Only Float
/// training multiplies through BLAS.
@Suite struct KernelIndependenceTests {
  func configuration(_ matrix: MatrixFamily) -> DecayConfiguration {
    var c = DecayConfiguration()
    c.models = [.rnn, .lstm, .gru, .linear]
    c.sigmas = [0.5, 2]
    c.steps = 8
    c.hiddenSize = 5
    c.inputSize = 3
    c.seeds = 1
    c.forgetBiases = [0]
    c.matrix = matrix
    if matrix == .nonnormal { c.radiusRatio = 0.2 }
    return c
  }

  /// Every job of every matrix family, measured and its spectra taken on this thread (the
  /// counter is per thread, so tests running beside it cannot disturb it), then saturation.
  @Test func analysisMakesNoBLASProduct() throws {
    let before = BLASRuntime.productsOnThisThread
    _ = Matrix.product(Matrix<Float>(rows: 2, cols: 3, repeating: 1), Matrix<Float>(rows: 3, cols: 2, repeating: 1))
    #expect(BLASRuntime.productsOnThisThread == before + 1, "the counter must see a Float product, or this test proves nothing")

    let start = BLASRuntime.productsOnThisThread
    for family in MatrixFamily.allCases {
      let sweep = try DecaySweep(configuration(family))
      for job in sweep.jobs + sweep.forgetJobs {
        let layer = sweep.layer(for: job)
        #expect(!sweep.measure(layer, job: job).isEmpty)
        #expect(layer.recurrentSpectra.count == job.model.gateCount)
      }
    }
    _ = try SaturationTables(configuration: configuration(.orthogonal), bins: 4)
    // The modern cells, every setting on this thread: decay-modern's curves and rates, and
    // the σ sweep on the course's data.
    var modern = ModernDecay()
    (modern.steps, modern.seeds, modern.hiddenSize, modern.radii) = (8, 1, 5, [0.9])
    for setting in modern.settings { #expect(modern.measure(setting, seed: 1).norms.count == 9) }
    var rates = ModernRateSweep()
    rates.configuration = configuration(.orthogonal)
    rates.gateBiases = [0]
    let sweep = try DecaySweep(rates.configuration)
    #expect(Set(rates.settings.map(\.model)) == ["irnn", "relu-rnn", "chrono", "lru", "mingru"])
    for setting in rates.settings { #expect(rates.measure(setting, seed: 1, on: sweep).norms.count == 9) }
    #expect(BLASRuntime.productsOnThisThread == start, "the analysis made \(BLASRuntime.productsOnThisThread - start) BLAS products")
  }
}
