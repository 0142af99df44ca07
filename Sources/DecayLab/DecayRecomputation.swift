import Foundation
import Linalg
import Recurrent
import Storage

/// Where a sweep's layers came from, and what it writes so a row can be recomputed outside
/// GradLab (`plots/recompute_row.py` shows how).
///
/// `decay_inputs.safetensors` (F64): `inputs.seed<s>` (T × D, the x_t of seed s, one row per
/// step) and `direction.seed<s>` (1 × H, the unit vector u of the loss L = u · h_T).
///
/// `decay_weights.safetensors` (F64, GradLab's Keras layout h_t = φ(x_t W_x + h_{t-1} W_h + b),
/// gates side by side: LSTM i f g o, GRU z r n): for every model and seed, the layer before it
/// is rescaled to σ, `<model>.seed<s>.kernel` (D × G·H), `.recurrent_kernel` (H × G·H), `.bias`
/// (1 × G·H), `.recurrent_bias` (GRU, 1 × G·H) and `.block_norms` (1 × G, the ||W_g||₂ the
/// rescaling divides by). A row at σ uses W_g ← (σ / block_norms[g]) · W_g for every gate g,
/// in Double, exactly as GradLab does; metadata `rescaled` = "false" means the layer was
/// analysed as it is (an imported layer without --sigmas). The LSTM's forget bias is the main
/// sweep's (`lstmForgetBias`); the cell-path experiment only changes that bias.
public enum DecaySource: Sendable {
  /// Seeded random layers from the sweep's configuration.
  case random
  /// One imported layer (`file` as the user gave it), rescaled to each σ or analysed as it is.
  case imported(file: String, layer: RecurrentLayer<Double>, rescaled: Bool)

  /// The name figures and tables show for the layers' origin.
  public var label: String {
    switch self {
    case .random: "random"
    case .imported(let file, _, _): (file as NSString).lastPathComponent
    }
  }

  /// The inputs and loss directions of every seed.
  func inputs(_ sweep: DecaySweep) -> SafetensorsFile {
    let c = sweep.configuration
    var file = SafetensorsFile()
    for seed in 1...c.seeds {
      let (x, u) = sweep.data(seed: seed, inputSize: c.inputSize, hiddenSize: c.hiddenSize)
      file.set("inputs.seed\(seed)", x)
      file.set("direction.seed\(seed)", u)
    }
    return file
  }

  /// The layer of every model and seed before rescaling, with the norms rescaling divides by.
  func weights(_ sweep: DecaySweep) -> SafetensorsFile {
    let c = sweep.configuration
    var file = SafetensorsFile()
    var rescaled = true
    for model in c.models {
      for seed in 1...c.seeds {
        let layer: RecurrentLayer<Double>
        switch self {
        case .random: layer = sweep.unscaledLayer(model: model, seed: seed, forgetBias: c.lstmForgetBias)
        case .imported(_, let imported, let isRescaled):
          layer = imported
          rescaled = isRescaled
        }
        let name = "\(model.rawValue).seed\(seed)."
        for (suffix, path) in RecurrentLayer<Double>.parameterPaths where layer[keyPath: path].count > 0 {
          file.set(name + suffix, layer[keyPath: path])
        }
        let norms = (0..<model.gateCount).map { SingularValues.spectralNorm(layer.recurrentBlock($0)) }
        file.set(name + "block_norms", Matrix(rows: 1, cols: norms.count, storage: norms))
      }
    }
    file.metadata = ["rescaled": rescaled ? "true" : "false", "layout": "keras: h_t = phi(x_t kernel + h_{t-1} recurrent_kernel + bias)"]
    return file
  }
}
