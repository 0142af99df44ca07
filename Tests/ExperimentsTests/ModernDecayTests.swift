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
