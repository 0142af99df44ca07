import Dispatch
import Foundation
import Linalg
import Probes
import Recurrent
import SeededRandom

/// The gradient-decay sweep behind `gradlab decay`.
///
/// Every job builds its layer and its data from its own seed (never from shared state), so
/// the rows are the same whatever the number of threads or the order the jobs finish in.
/// The analysis runs in Double with denormals kept: every worker clears flush-to-zero.
///
/// Seeds: the inputs x (T × D, N(0, inputScale²)) and the loss direction u (a unit vector)
/// depend on (baseSeed, seed) only, so all models and all σ of one seed see the same data;
/// the weights depend on (baseSeed, seed, model) but not on σ or the forget bias, so a σ
/// sweep rescales one and the same W_h.
public struct DecaySweep: Sendable {
  public let configuration: DecayConfiguration

  /// Validates `configuration` (throws `DecayConfigurationError`).
  public init(_ configuration: DecayConfiguration) throws {
    try configuration.validate()
    self.configuration = configuration
  }

  /// The main sweep: models × sigmas × seeds, in table order.
  public var jobs: [DecayJob] {
    let c = configuration
    return c.models.flatMap { model in
      c.sigmas.flatMap { sigma in
        (1...c.seeds).map { DecayJob(model: model, sigma: sigma, seed: $0, forgetBias: model == .lstm ? c.lstmForgetBias : nil) }
      }
    }
  }

  /// The cell-path experiment: the LSTM at `forgetSigma` for each forget bias, then the tanh
  /// RNN at the same σ; none when `forgetBiases` is empty.
  public var forgetJobs: [DecayJob] {
    let c = configuration
    guard !c.forgetBiases.isEmpty else { return [] }
    let lstm = c.forgetBiases.flatMap { bias in
      (1...c.seeds).map { DecayJob(model: .lstm, sigma: c.forgetSigma, seed: $0, forgetBias: bias) }
    }
    return lstm + (1...c.seeds).map { DecayJob(model: .rnn, sigma: c.forgetSigma, seed: $0) }
  }

  /// The seeded random layer of a job before rescaling: Keras initialisation (glorot-uniform
  /// W_x, orthogonal W_h, zero biases, the forget bias), then for the gaussian and nonnormal
  /// families every recurrent block redrawn from the same generator. It depends on
  /// (baseSeed, seed, model) and the forget bias only, not on σ.
  public func unscaledLayer(model: CellKind, seed: Int, forgetBias: Double) -> RecurrentLayer<Double> {
    let c = configuration
    let H = c.hiddenSize
    var rng = SeededGenerator(seed: Self.seed(base: c.baseSeed, seed: seed, stream: 1 + UInt64(Self.code(model))))
    var layer = RecurrentLayer<Double>(kind: model, inputSize: c.inputSize, hiddenSize: H, forgetBias: forgetBias, using: &rng)
    for gate in 0..<model.gateCount {
      switch c.matrix {
      case .orthogonal: break
      case .gaussian: layer.recurrentKernel.setColumns(gate * H, to: Initializer.scaledNormal(rows: H, cols: H, std: 1 / Double(H).squareRoot(), using: &rng))
      case .nonnormal: layer.recurrentKernel.setColumns(gate * H, to: Initializer.nonNormal(size: H, radius: c.radiusRatio ?? 1, using: &rng))
      }
    }
    return layer
  }

  /// The seeded random layer of a job: `unscaledLayer` with the job's forget bias, every
  /// recurrent block rescaled to σ (W_g ← (σ / ||W_g||₂) W_g).
  public func layer(for job: DecayJob) -> RecurrentLayer<Double> {
    var layer = unscaledLayer(model: job.model, seed: job.seed, forgetBias: job.forgetBias ?? 1)
    layer.rescaleRecurrentBlocks(toSpectralNorm: job.sigma)
    return layer
  }

  /// The inputs x (T × D) and the unit loss direction u (1 × H) of a seed.
  public func data(seed: Int, inputSize D: Int, hiddenSize H: Int) -> (inputs: Matrix<Double>, direction: Matrix<Double>) {
    let c = configuration
    var rng = SeededGenerator(seed: Self.seed(base: c.baseSeed, seed: seed, stream: 0))
    let x: Matrix<Double> = Initializer.scaledNormal(rows: c.steps, cols: D, std: c.inputScale, using: &rng)
    var u: Matrix<Double> = Initializer.scaledNormal(rows: 1, cols: H, std: 1, using: &rng)
    u.scale(by: 1 / u.frobeniusNorm)
    return (x, u)
  }

  /// Probes one layer on the job's seeded data: the entry point for any layer, random or
  /// imported (a trained checkpoint converted to Double; rescale it first if you want a σ).
  /// `job.sigma` is only copied into the rows.
  public func measure(_ layer: RecurrentLayer<Double>, job: DecayJob) -> [DecayRow] {
    let (x, u) = data(seed: job.seed, inputSize: layer.inputSize, hiddenSize: layer.hiddenSize)
    let result = SequenceProbe().measure(layer, inputs: x, direction: u)
    let powers = layer.kind == .linear ? PowerNorms.of(layer.recurrentBlock(0), upTo: x.rows) : nil
    return result.probes.map { DecayRow(job: job, probe: $0, powerNorm: powers?[$0.lag]) }
  }

  /// Runs every job on `threads` workers (each with single-threaded BLAS calls and denormals
  /// kept). `makeLayer` replaces the seeded random layer (for imported weights); `progress`
  /// receives one line now and then, from any thread.
  public func run(
    threads: Int = 2, makeLayer: (@Sendable (DecayJob) -> RecurrentLayer<Double>)? = nil,
    progress: (@Sendable (String) -> Void)? = nil
  ) -> DecaySweepResult {
    precondition(threads >= 1, "DecaySweep.run: threads must be positive, got \(threads)")
    let main = jobs
    let all = main + forgetJobs
    let results = DecaySlots<[DecayRow]>(count: all.count)
    let spectra = DecaySlots<[MatrixSpectrum]>(count: all.count)
    let next = DecayCounter()
    let total = all.count
    // Workers pull job indices from a shared counter; each job fills its own slot.
    DispatchQueue.concurrentPerform(iterations: min(threads, total)) { _ in
      keepingDenormals {
        while let i = next.take(below: total) {
          let job = all[i]
          let layer = makeLayer?(job) ?? layer(for: job)
          results[i] = measure(layer, job: job)
          spectra[i] = layer.recurrentSpectra
          let done = next.complete()
          if let progress, done % 25 == 0 || done == total { progress("decay: \(done) of \(total) jobs done") }
        }
      }
    }
    let rows = (0..<total).map { results[$0] }
    return DecaySweepResult(
      configuration: configuration, rows: Array(rows[0..<main.count].joined()),
      forgetRows: Array(rows[main.count...].joined()),
      spectra: all.indices.map { DecayJobSpectra(job: all[$0], forgetExperiment: $0 >= main.count, gates: spectra[$0]) })
  }

  /// A job seed from the base seed, the seed index and a stream number (0: data; 1 + model
  /// code: weights). SeededGenerator's SplitMix scrambles it further.
  static func seed(base: Int, seed: Int, stream: UInt64) -> UInt64 {
    (UInt64(base) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(seed) << 20) ^ stream
  }

  /// A fixed number per cell (not its position in --models, so the order of the list does not
  /// change the weights).
  static func code(_ kind: CellKind) -> Int {
    switch kind {
    case .linear: 0
    case .rnn: 1
    case .lstm: 2
    case .gru: 3
    case .reluRNN: 4
    }
  }
}

/// Per-job results that concurrent workers write at distinct indices.
final class DecaySlots<Element: RangeReplaceableCollection>: @unchecked Sendable {
  private var storage: [Element]
  private let lock = NSLock()
  init(count: Int) { storage = Array(repeating: Element(), count: count) }
  subscript(i: Int) -> Element {
    get { lock.withLock { storage[i] } }
    set { lock.withLock { storage[i] = newValue } }
  }
}

/// Hands out job indices 0..<n once each, and counts finished jobs.
final class DecayCounter: @unchecked Sendable {
  private var issued = 0
  private var completed = 0
  private let lock = NSLock()
  func take(below n: Int) -> Int? {
    lock.withLock {
      guard issued < n else { return nil }
      defer { issued += 1 }
      return issued
    }
  }
  /// Marks one job finished; returns how many are.
  func complete() -> Int {
    lock.withLock {
      completed += 1
      return completed
    }
  }
}
