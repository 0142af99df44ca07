import DecayLab
import Foundation
import Testing

/// The modern decay tables: the LRU with every |λ| = r decays at exactly log r per step (the
/// built-in self-check, to 1e-10), and on a ring its rate lies between the ring's radii.
@Suite struct ModernDecayTests {
  @Test func lruRatesAreLogRadius() throws {
    var experiment = ModernDecay()
    (experiment.steps, experiment.seeds, experiment.radii) = (200, 2, [0.5, 0.9, 0.99])
    let rates = experiment.tables(threads: 2).rates
    let column = { (name: String) in try #require(rates.column(name)) }
    let (models, settings, radii, measured) = (try column("model"), try column("setting"), try column("radius"), try column("rate_median"))
    var checked = 0
    for k in rates.rows.indices where models[k] == "lru" {
      let (r, rate) = (try #require(Double(radii[k])), try #require(Double(measured[k])))
      if settings[k] == "equal" {
        #expect(abs(rate - log(r)) < 1e-10, "r \(r): rate \(rate) vs log r \(log(r))")
        checked += 1
      } else {
        #expect(rate <= log(r) + 1e-12 && rate >= log(0.5 * r), "ring up to r \(r): rate \(rate)")
      }
    }
    #expect(checked == 3)
    // Every other setting is measured too (finite rates, one row each).
    #expect(Set(models) == ["lru", "irnn", "relu-rnn", "rnn", "chrono", "lstm", "mingru"])
  }
}

/// The modern cells on the course's rate chart (`ModernRateSweep`): the LRU with every
/// |λ| = σ decays at exactly log σ (to 1e-10); the IRNN at W_h = σ I decays at most at log σ
/// (each step multiplies dL/dh by σ and masks the units that are off, so ln||dL/dh_t|| - lag
/// · log σ does not increase, and neither does its least-squares slope); the rows do not
/// depend on the thread count.
@Suite struct ModernRateSweepTests {
  func small() -> ModernRateSweep {
    var sweep = ModernRateSweep()
    (sweep.configuration.steps, sweep.configuration.seeds, sweep.configuration.hiddenSize) = (60, 2, 6)
    sweep.configuration.sigmas = [0.5, 0.9, 1.5]
    sweep.gateBiases = [-2, 1]
    sweep.configuration.precision = .full
    return sweep
  }

  @Test func lruIsExactAndIRNNIsBounded() throws {
    let table = try small().table(threads: 2)
    let column = { (name: String) in try #require(table.column(name)) }
    let (models, settings, sigmas, rates, exact) = (try column("model"), try column("setting"), try column("sigma"), try column("rate_median"), try column("exact_rate"))
    var (lru, irnn) = (0, 0)
    for k in table.rows.indices {
      guard let sigma = Double(sigmas[k]), let rate = Double(rates[k]) else { continue }
      if models[k] == "lru" && settings[k] == "equal" {
        #expect(abs(rate - log(sigma)) < 1e-10, "LRU at σ \(sigma): rate \(rate) vs log σ \(log(sigma))")
        #expect(Double(exact[k]) == log(sigma))
        lru += 1
      }
      if models[k] == "irnn" {
        #expect(rate <= log(sigma) + 1e-12, "IRNN at σ \(sigma): rate \(rate) above log σ \(log(sigma))")
        irnn += 1
      }
    }
    #expect(lru == 2 && irnn == 3)
    #expect(Set(models) == ["irnn", "relu-rnn", "chrono", "lru", "mingru"])
    // minGRU: a larger gate bias opens z, so the gradient fades faster.
    let minGRU = table.rows.indices.filter { models[$0] == "mingru" }.compactMap { Double(rates[$0]) }
    #expect(minGRU.count == 2 && minGRU[1] < minGRU[0])
  }

  @Test func rowsDoNotDependOnThreads() throws {
    #expect(try small().table(threads: 1).text == small().table(threads: 2).text)
  }
}
