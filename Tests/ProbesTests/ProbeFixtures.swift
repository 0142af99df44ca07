import Linalg
import Probes
import Recurrent
import SeededRandom
import TestSupport

/// Small, non-square, seeded shapes shared by the probe tests.
enum Fixture {
  /// A layer with random (not Keras-initial) weights, so no gate sits at a special value.
  static func randomLayer(_ kind: CellKind, input D: Int, hidden H: Int, seed: UInt64 = 21) -> RecurrentLayer<Double> {
    var rng = SeededGenerator(seed: seed)
    var layer = RecurrentLayer<Double>(kind: kind, inputSize: D, hiddenSize: H, using: &rng)
    layer.recurrentKernel = randomMatrix(H, kind.gateCount * H, seed: seed + 1, std: 0.6)
    layer.bias = randomMatrix(1, kind.gateCount * H, seed: seed + 2, std: 0.5)
    if kind.hasRecurrentBias { layer.recurrentBias = randomMatrix(1, kind.gateCount * H, seed: seed + 3, std: 0.5) }
    return layer
  }

  /// A Keras-initialised layer with every recurrent block rescaled to spectral norm `sigma`.
  static func scaledLayer(_ kind: CellKind, sigma: Double, input D: Int, hidden H: Int, seed: UInt64 = 5) -> RecurrentLayer<Double> {
    var rng = SeededGenerator(seed: seed)
    var layer = RecurrentLayer<Double>(kind: kind, inputSize: D, hiddenSize: H, using: &rng)
    layer.rescaleRecurrentBlocks(toSpectralNorm: sigma)
    return layer
  }

  /// A seeded unit vector (1 × H).
  static func direction(_ H: Int, seed: UInt64 = 77) -> Matrix<Double> {
    var u = randomMatrix(1, H, seed: seed)
    u.scale(by: 1 / u.frobeniusNorm)
    return u
  }
}
