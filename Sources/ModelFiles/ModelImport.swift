import Foundation
import Linalg
import Recurrent
import Storage

/// One recurrent unit of an imported model: one layer in one direction.
public struct ImportedUnit: Sendable {
  public var layer: Int
  public var reverse: Bool
  /// What the file calls it: a tensor prefix ("rnn.") or a Keras layer name ("lstm").
  public var source: String
  public var weights: RecurrentLayer<Double>
  public var direction: String { reverse ? "reverse" : "forward" }
  /// The unit's folder name: l0, l0_reverse, l1, ...
  public var name: String { "l\(layer)" + (reverse ? "_reverse" : "") }
}

/// The nonlinearity of a single-gate recurrent layer (nn.RNN, SimpleRNN).
public enum Nonlinearity: String, CaseIterable, Codable, Sendable {
  case tanh, relu
  public var cell: CellKind { self == .tanh ? .rnn : .reluRNN }
}

/// A model read from a file: its recurrent units, the embedding before them and the Dense
/// layer after them when the file has them, and a line for everything else it holds.
public struct ImportedModel: Sendable {
  public var file: URL
  /// "PyTorch state dict", "GradLab checkpoint", or a `KerasFile.Layout`.
  public var format: String
  /// Layer-major, forward before reverse.
  public var units: [ImportedUnit]
  /// V × D, Keras' layout (row = token id).
  public var embedding: Matrix<Double>?
  /// H × 1 and 1 × 1, on the last layer's h_T.
  public var output: Dense<Double>?
  /// Whether the Dense layer's output is a probability (Keras' sigmoid) rather than a logit.
  public var outputSigmoid = false
  /// For a single-gate layer: its nonlinearity and who said so.
  public var nonlinearity: (Nonlinearity, String)?
  /// What the file holds and the import does not use, one line each.
  public var notes: [String] = []

  public var bidirectional: Bool { units.contains { $0.reverse } }
  public var layerCount: Int { (units.map(\.layer).max() ?? -1) + 1 }
}

public enum ModelImport {
  /// Reads a safetensors file (PyTorch state dict, GradLab checkpoint, a single layer), a
  /// `.keras` archive or a Keras `.h5` / `.weights.h5`, told apart by their first bytes.
  ///
  /// `prefix` chooses one recurrent module of a safetensors file; tensors outside it are then
  /// named as not used. `nonlinearity` sets a PyTorch or weights-only single-gate layer's
  /// (default tanh, PyTorch's; a Keras config's activation wins, and a flag that contradicts
  /// it is refused). `linear` reads a single-gate layer as the linear RNN.
  public static func read(_ url: URL, prefix: String? = nil, nonlinearity: Nonlinearity? = nil, linear: Bool = false) throws -> ImportedModel {
    let head: Data
    do { head = try FileHandle(forReadingFrom: url).read(upToCount: 8) ?? Data() } catch {
      throw ModelFileError(FileSystemError("read the model file", url.path, error: error).description)
    }
    let isZip = head.starts(with: [0x50, 0x4B, 0x03, 0x04])
    let isHDF5 = head.starts(with: [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
    if isZip || isHDF5 {
      if let prefix { throw ModelFileError("--prefix \(prefix) applies to safetensors files; \(url.path) is a Keras file, whose config names its layers: leave --prefix out") }
      return try keras(KerasFile.read(url), url: url, nonlinearity: nonlinearity, linear: linear)
    }
    return try safetensors(SafetensorsFile.read(from: url), url: url, prefix: prefix, nonlinearity: nonlinearity, linear: linear)
  }

  // MARK: safetensors

  static func safetensors(_ file: SafetensorsFile, url: URL, prefix chosen: String?, nonlinearity: Nonlinearity?, linear: Bool) throws -> ImportedModel {
    let names = file.tensors.keys.sorted()
    func prefixes(_ suffix: String) -> [String] { names.filter { $0 == suffix || $0.hasSuffix("." + suffix) }.map { String($0.dropLast(suffix.count)) } }
    // A GradLab checkpoint's Adam moments repeat its names under adam.*: never a module.
    let modules = (prefixes("weight_hh_l0").map { ($0, true) } + prefixes("recurrent_kernel").map { ($0, false) })
      .filter { !isOptimizerState($0.0) }
    let candidates = chosen.map { p in modules.filter { $0.0 == p } } ?? modules
    guard let (prefix, isPyTorch) = candidates.first else {
      if let chosen, !modules.isEmpty {
        throw ModelFileError("\(url.path): no recurrent module has the prefix '\(chosen)'; its modules: \(modules.map { "'\($0.0)'" }.joined(separator: ", "))")
      }
      throw ModelFileError(
        "\(url.path) holds no recurrent layer: expected PyTorch's weight_ih_l0 and weight_hh_l0 or Keras' kernel and recurrent_kernel; found \(names.joined(separator: ", "))")
    }
    guard candidates.count == 1 else {
      throw ModelFileError(
        "\(url.path) holds \(candidates.count) recurrent modules (\(candidates.map { "'\($0.0)'" }.joined(separator: ", "))); choose one with --prefix, e.g. --prefix \(candidates[0].0.isEmpty ? "''" : candidates[0].0)")
    }
    let single: CellKind? = linear ? .linear : nonlinearity?.cell
    var model = ImportedModel(file: url, format: isPyTorch ? "PyTorch state dict" : (prefix == "recurrent." ? "GradLab checkpoint" : "Keras-named safetensors"), units: [])
    var used: Set<String>
    do {
      if isPyTorch {
        let stack: (units: [(layer: Int, reverse: Bool, weights: RecurrentLayer<Double>)], used: Set<String>) =
          try RecurrentWeightsImport.pyTorchStack(file, prefix: prefix, kind: single, url: url)
        model.units = stack.units.map { ImportedUnit(layer: $0.layer, reverse: $0.reverse, source: prefix, weights: $0.weights) }
        used = stack.used
      } else {
        let parts = ["kernel", "recurrent_kernel", "bias", "recurrent_bias"].map { prefix + $0 }
        let weights: RecurrentLayer<Double> = try RecurrentWeightsImport.keras(
          file, kernel: parts[0], recurrent: parts[1], bias: names.contains(parts[2]) ? parts[2] : nil,
          recurrentBias: names.contains(parts[3]) ? parts[3] : nil, kind: single, url: url)
        guard names.contains(parts[0]) else { throw ModelFileError("\(url.path): \(parts[1]) has no \(parts[0]) beside it") }
        model.units = [ImportedUnit(layer: 0, reverse: false, source: prefix, weights: weights)]
        used = Set(parts.filter(names.contains))
      }
    } catch let error as RecurrentImportError {
      throw ModelFileError(error.description)
    }
    if model.units[0].weights.kind.gateCount == 1 && !linear {
      model.nonlinearity = nonlinearity.map { ($0, "--nonlinearity") }
        ?? (.tanh, "assumed (PyTorch's default; a state dict does not record it: pass --nonlinearity relu for nn.RNN(nonlinearity='relu'))")
    } else if let nonlinearity, model.units[0].weights.kind.gateCount > 1 {
      throw ModelFileError("--nonlinearity \(nonlinearity.rawValue) applies to a single-gate RNN; \(url.path) holds a \(model.units[0].weights.kind.rawValue): leave it out")
    }
    try classify(file, rest: names.filter { !used.contains($0) }, into: &model, url: url, prefixChosen: chosen != nil)
    return model
  }

  static func isOptimizerState(_ name: String) -> Bool {
    name.hasPrefix("adam.") || name.hasPrefix("optimizer") || name.hasPrefix("sgd.")
  }

  /// The tensors beside the recurrent module: an embedding (V × D, D the first layer's
  /// input) and a Dense(1) on the last layer's output become part of the model; optimizer
  /// state is named; anything else is refused, or named as not used when --prefix chose
  /// the module.
  static func classify(_ file: SafetensorsFile, rest: [String], into model: inout ImportedModel, url: URL, prefixChosen: Bool) throws {
    let D = model.units[0].weights.inputSize
    let last = model.units.filter { $0.layer == model.layerCount - 1 }
    let H = last.map(\.weights.hiddenSize).reduce(0, +)
    var rest = Set(rest)
    let optimizer = rest.filter(isOptimizerState)
    if !optimizer.isEmpty { model.notes.append("not used: \(optimizer.count) tensors of optimizer state (\(optimizer.sorted().prefix(2).joined(separator: ", "))\(optimizer.count > 2 ? ", ..." : ""))") }
    rest.subtract(optimizer)
    func shape(_ name: String) -> [Int] { file.tensors[name]?.shape ?? [] }
    // Embedding: PyTorch <name>.weight (V × D) without a bias; Keras/GradLab *.embeddings.
    if let name = rest.sorted().first(where: {
      ($0.hasSuffix(".weight") && !rest.contains(String($0.dropLast(6)) + "bias") || $0.hasSuffix("embeddings")) && shape($0).count == 2 && shape($0)[1] == D
    }) {
      model.embedding = try checked(file.matrix(name), name, url: url)
      model.notes.append("embedding: \(name) (\(shape(name)[0]) x \(D))")
      rest.remove(name)
    }
    // Dense(1): PyTorch <name>.weight (1 × H) + <name>.bias (1); Keras/GradLab *.kernel (H × 1) + *.bias.
    for name in rest.sorted() {
      let base = name.hasSuffix(".weight") ? String(name.dropLast(6)) : name.hasSuffix("kernel") ? String(name.dropLast(6)) : nil
      guard let base, rest.contains(base + "bias"), shape(base + "bias").reduce(1, *) == 1 else { continue }
      let pyTorch = name.hasSuffix(".weight")
      guard shape(name).reduce(1, *) == H, shape(name).count == 2, shape(name)[pyTorch ? 1 : 0] == H else { continue }
      var w: Matrix<Double> = try checked(file.matrix(name), name, url: url)
      if pyTorch { w = w.transposed }
      let b: Matrix<Double> = try checked(file.matrix(base + "bias", rows: 1, cols: 1), base + "bias", url: url)
      model.output = Dense(weight: w, bias: b)
      model.notes.append("output: \(name) and \(base)bias (Dense \(H) -> 1, a logit; sigmoid for the probability)")
      rest.subtract([name, base + "bias"])
      break
    }
    guard !rest.isEmpty else { return }
    let listed = rest.sorted().map { "\($0) (\(shape($0).map(String.init).joined(separator: "x")))" }.joined(separator: ", ")
    if prefixChosen {
      model.notes.append("not used (outside --prefix \(model.units[0].source)): \(listed)")
    } else {
      throw ModelFileError(
        "\(url.path): \(listed) \(rest.count == 1 ? "is" : "are") no part of the recurrent module '\(model.units[0].source)', an embedding before it or a Dense(1) after it; pass --prefix '\(model.units[0].source)' to analyse the module alone")
    }
  }

  static func checked(_ m: Matrix<Double>, _ name: String, url: URL) throws -> Matrix<Double> {
    if let bad = m.storage.firstIndex(where: { !$0.isFinite }) {
      throw ModelFileError("\(url.path): \(name) holds \(m.storage[bad]) at element \(bad); every weight must be finite")
    }
    return m
  }
}
