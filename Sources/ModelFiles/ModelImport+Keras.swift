import Foundation
import Linalg
import Recurrent
import Storage

extension ModelImport {
  /// A Keras model as GradLab's layers: Embedding -> SimpleRNN / LSTM / GRU (stacked, every
  /// one but the last with return_sequences) -> Dense(1). What GradLab's equations do not
  /// compute (go_backwards, Bidirectional, GRU reset_after=False, other activations, other
  /// layers) is refused naming the layer; what does not change the forward pass at inference
  /// (dropout, the initialisers such as unit_forget_bias) is named in a note.
  static func keras(_ file: KerasFile, url: URL, nonlinearity: Nonlinearity?, linear: Bool) throws -> ImportedModel {
    var model = ImportedModel(file: url, format: file.layout.rawValue, units: [])
    model.notes = file.unused.map { "not used: \($0)" }
    func refuse(_ layer: KerasFile.Layer, _ why: String) -> ModelFileError {
      ModelFileError("\(url.path): layer '\(layer.name)' (\(layer.className ?? "?")) \(why)")
    }
    let recurrentLayers = file.layers.filter { ["LSTM", "GRU", "SimpleRNN"].contains(class_($0)) }
    for layer in file.layers {
      let s = layer.settings
      switch class_(layer) {
      case "InputLayer":
        continue
      case "Embedding":
        guard model.units.isEmpty, model.embedding == nil else { throw refuse(layer, "comes after the recurrent layers; GradLab reads Embedding -> recurrent -> Dense") }
        guard s["mask_zero"] != "true" else { throw refuse(layer, "has mask_zero=True, so Keras skips padded steps; GradLab runs every step: save the model with mask_zero=False") }
        model.embedding = try matrix(layer, "embeddings", url: url)
        model.notes.append("embedding: '\(layer.name)' (\(model.embedding!.rows) x \(model.embedding!.cols))")
      case "LSTM", "GRU", "SimpleRNN":
        model.units.append(try recurrent(layer, index: model.units.count, isLast: layer.name == recurrentLayers.last?.name, model: &model, url: url, nonlinearity: nonlinearity, linear: linear))
      case "Dense":
        guard !model.units.isEmpty, model.output == nil else { throw refuse(layer, "is not the one Dense(1) after the recurrent layers; GradLab reads Embedding -> recurrent -> Dense(1)") }
        let kernel = try matrix(layer, "kernel", url: url)
        guard kernel.cols == 1 else { throw refuse(layer, "has \(kernel.cols) units; GradLab's classifier ends in Dense(1)") }
        let configured = layer.className != nil
        let activation = s["activation"] ?? "linear"
        guard ["sigmoid", "linear"].contains(activation) else {
          throw refuse(layer, "has activation \(activation); GradLab's classifier ends in a logit (linear) or its sigmoid")
        }
        let bias = s["use_bias"] == "false" ? Matrix<Double>(rows: 1, cols: 1) : try matrix(layer, "bias", url: url)
        model.output = Dense(weight: kernel, bias: Matrix(rows: 1, cols: 1, storage: bias.storage))
        model.outputSigmoid = activation == "sigmoid"
        model.notes.append("output: '\(layer.name)' (Dense \(kernel.rows) -> 1, \(configured ? activation : "activation not recorded in a .weights.h5: its output read as a logit"))")
      case "Dropout", "SpatialDropout1D":
        model.notes.append("not used: '\(layer.name)' (\(layer.className!): no weights, inactive at inference)")
      case "Bidirectional":
        throw refuse(layer, "wraps a \(layer.wrapped ?? "layer") in both directions, which GradLab does not read from Keras files; save the model without the wrapper, or export a PyTorch module with bidirectional=True")
      case nil:
        throw refuse(layer, "is not named like a Keras default layer and a .weights.h5 records no layer classes; give the .keras file, whose config does")
      default:
        throw refuse(layer, "does not map onto GradLab's Embedding -> SimpleRNN/LSTM/GRU -> Dense(1); save a model of those layers only")
      }
    }
    guard !model.units.isEmpty else {
      throw ModelFileError("\(url.path) holds no recurrent layer (SimpleRNN, LSTM or GRU); its layers: \(file.layers.map { "'\($0.name)'" }.joined(separator: ", "))")
    }
    return model
  }

  static func class_(_ layer: KerasFile.Layer) -> String? { layer.className ?? KerasFile.guessedClass(layer.name, vars: layer.weights.count) }

  static func recurrent(
    _ layer: KerasFile.Layer, index: Int, isLast: Bool, model: inout ImportedModel, url: URL, nonlinearity: Nonlinearity?, linear: Bool
  ) throws -> ImportedUnit {
    let s = layer.settings
    let cls = class_(layer)!
    func refuse(_ why: String) -> ModelFileError { ModelFileError("\(url.path): layer '\(layer.name)' (\(cls)) \(why)") }
    let configured = layer.className != nil
    if s["go_backwards"] == "true" { throw refuse("has go_backwards=True (it reads the sequence reversed); GradLab runs forward: save it with go_backwards=False") }
    if s["use_bias"] == "false" { throw refuse("has use_bias=False; save it with use_bias=True") }
    if configured, s["return_sequences"] != (isLast ? "false" : "true") {
      throw refuse(isLast
        ? "has return_sequences=True, so the Dense layer reads every step; GradLab's classifier reads h_T: save it with return_sequences=False"
        : "feeds the next recurrent layer but has return_sequences=False")
    }
    var kind: CellKind
    switch cls {
    case "LSTM": kind = .lstm
    case "GRU":
      kind = .gru
      if configured, s["reset_after"] != "true" {
        throw refuse("has reset_after=False: the reset gate multiplies h_{t-1} before W_hn, which GradLab's GRU (reset_after=True, as PyTorch's) does not compute")
      }
    default: kind = .rnn
    }
    if kind == .rnn {
      let stated = s["activation"].flatMap { ["tanh": Nonlinearity.tanh, "relu": .relu][$0] }
      if configured && stated == nil && !(s["activation"] == "linear") { throw refuse("has activation \(s["activation"] ?? "?"); GradLab's RNN is tanh, relu or linear") }
      if s["activation"] == "linear" || linear {
        guard s["activation"] == nil || s["activation"] == "linear" else { throw refuse("has activation \(s["activation"]!), not linear: leave --models linear out") }
        kind = .linear
      } else if let stated {
        if let nonlinearity, nonlinearity != stated { throw refuse("has activation \(stated.rawValue) in its config; --nonlinearity \(nonlinearity.rawValue) contradicts it: leave it out") }
        kind = stated.cell
        model.nonlinearity = (stated, "the Keras config")
      } else {
        kind = (nonlinearity ?? .tanh).cell
        model.nonlinearity = (nonlinearity ?? .tanh, nonlinearity == nil ? "assumed (a .weights.h5 does not record it: pass --nonlinearity relu for activation='relu')" : "--nonlinearity")
      }
    } else {
      if let nonlinearity { throw refuse("is gated; --nonlinearity \(nonlinearity.rawValue) applies to a SimpleRNN: leave it out") }
      for (key, expected) in [("activation", "tanh"), ("recurrent_activation", "sigmoid")] where configured && s[key] != expected {
        throw refuse("has \(key) \(s[key] ?? "?"); GradLab's \(cls) uses \(expected)")
      }
    }
    if kind == .lstm, let forget = s["unit_forget_bias"] {
      model.notes.append("'\(layer.name)': unit_forget_bias=\(forget) sets the forget bias at initialisation only; the trained bias is read from the file")
    }
    for key in ["dropout", "recurrent_dropout"] where (Double(s[key] ?? "0") ?? 0) > 0 {
      model.notes.append("'\(layer.name)': \(key)=\(s[key]!) acts in training only, not in this analysis")
    }
    var tensors = SafetensorsFile()
    var names: [String: String] = [:]
    for role in ["kernel", "recurrent_kernel", "bias"] {
      guard let (path, _) = layer.weights[role] else {
        if role == "bias" { continue }
        throw refuse("has no \(role) in the file (its weights: \(layer.weights.keys.sorted().joined(separator: ", "))); save the model again")
      }
      tensors.set(path, try matrix(layer, role, url: url))
      names[role] = path
    }
    do {
      let weights: RecurrentLayer<Double> = try RecurrentWeightsImport.keras(
        tensors, kernel: names["kernel"]!, recurrent: names["recurrent_kernel"]!, bias: names["bias"], recurrentBias: nil, kind: kind, url: url)
      if let previous = model.units.last, previous.weights.hiddenSize != weights.inputSize {
        throw refuse("reads \(weights.inputSize) inputs but '\(previous.source)' gives \(previous.weights.hiddenSize)")
      }
      if let embedding = model.embedding, index == 0, embedding.cols != weights.inputSize {
        throw refuse("reads \(weights.inputSize) inputs but the embedding gives \(embedding.cols)")
      }
      return ImportedUnit(layer: index, reverse: false, source: layer.name, weights: weights)
    } catch let error as RecurrentImportError {
      throw ModelFileError(error.description)
    }
  }

  /// A layer's weight `role` as a matrix: 2-D as stored, 1-D as one row.
  static func matrix(_ layer: KerasFile.Layer, _ role: String, url: URL) throws -> Matrix<Double> {
    guard let (path, data) = layer.weights[role] else {
      throw ModelFileError("\(url.path): layer '\(layer.name)' has no \(role) in the file (its weights: \(layer.weights.keys.sorted().joined(separator: ", ")))")
    }
    let (rows, cols): (Int, Int) = switch data.shape.count {
    case 1: (1, data.shape[0])
    case 2: (data.shape[0], data.shape[1])
    default: throw ModelFileError("\(url.path): \(path) has shape \(data.shape); expected a matrix or a vector")
    }
    return try checked(Matrix(rows: rows, cols: cols, storage: data.values), path, url: url)
  }
}
