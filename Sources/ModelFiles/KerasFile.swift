import Foundation
import ZIPFoundation

/// A Keras model file read whole: its layers as `config.json` (a `.keras` archive) or the
/// `model_config` attribute (a legacy `.h5`) lists them, and every layer's weights.
///
/// Layouts (Keras 3; Keras 2's legacy `.h5` has the same groups, names ending in `:0`):
/// - `.keras`: a zip of `config.json`, `metadata.json` and `model.weights.h5`, whose tensors
///   sit at `layers/<name>/vars/<i>` (a recurrent layer's at `layers/<name>/cell/vars/<i>`).
/// - legacy `.h5`: `model_weights/<name>/.../<weight>` by weight name (`kernel`,
///   `recurrent_kernel`, `bias`, `embeddings`), the config in the root's `model_config`.
/// - `.weights.h5`: the `.keras` archive's weights alone, without a config.
public struct KerasFile: Sendable {
  public enum Layout: String, Sendable {
    case archive = "Keras .keras archive"
    case legacyH5 = "legacy Keras .h5"
    case weightsH5 = "Keras .weights.h5 (weights only)"
  }

  /// One layer: its class, the scalar settings of its config (as text: "tanh", "true", "64"),
  /// and its weights by role (`kernel`, `recurrent_kernel`, `bias`, `embeddings`).
  public struct Layer: Sendable {
    public var name: String
    /// nil for a `.weights.h5`, which does not record it.
    public var className: String?
    public var settings: [String: String] = [:]
    /// The wrapped layer's class (Bidirectional, TimeDistributed).
    public var wrapped: String?
    public var weights: [String: (path: String, value: HDF5File.Dataset)] = [:]
  }

  public var layout: Layout
  /// In the model's order (the config's; a `.weights.h5`'s by name).
  public var layers: [Layer]
  /// What the file holds besides the layers' weights, named for the output (optimizer state).
  public var unused: [String]

  /// The weights a layer's `vars/<i>` hold, in order, by class.
  static func roles(_ className: String?, count: Int) -> [String] {
    switch className {
    case "Embedding": ["embeddings"]
    case "Dense": ["kernel", "bias"]
    default: ["kernel", "recurrent_kernel", "bias"]
    }
  }

  public static func read(_ url: URL) throws -> KerasFile {
    let head = (try? FileHandle(forReadingFrom: url).read(upToCount: 8)) ?? Data()
    if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try archive(url) }
    let weights = try HDF5File.read(url)
    if let config = weights.attributes["model_config"] {
      return try legacy(weights, config: config, url: url)
    }
    return try keras3(weights, config: nil, layout: .weightsH5, url: url, name: url.path)
  }

  static func archive(_ url: URL) throws -> KerasFile {
    let zip: Archive
    do { zip = try Archive(url: url, accessMode: .read) } catch {
      throw ModelFileError("\(url.path): not a readable zip archive (\(error)); save the model again with model.save(\"model.keras\")")
    }
    func entry(_ name: String) throws -> Data {
      guard let e = zip[name] else {
        throw ModelFileError("\(url.path): the archive holds no \(name) (it has \(zip.map(\.path).joined(separator: ", "))); save the model again with model.save(\"model.keras\")")
      }
      guard e.uncompressedSize <= 1 << 32 else { throw ModelFileError("\(url.path): \(name) is \(e.uncompressedSize) bytes, more than GradLab reads") }
      var data = Data()
      do { _ = try zip.extract(e) { data.append($0) } } catch {
        throw ModelFileError("\(url.path): \(name) cannot be extracted (\(error)); the archive is damaged")
      }
      return data
    }
    let config = try entry("config.json")
    let weights = try HDF5File.read(image: try entry("model.weights.h5"), name: url.path + "/model.weights.h5")
    return try keras3(weights, config: config, layout: .archive, url: url, name: url.path + "/config.json")
  }

  /// The layers a model config lists (Sequential or Functional), in order.
  static func configLayers(_ data: Data, name: String) throws -> [Layer] {
    guard case .object(let root)? = try? JSONDecoder().decode(JSONValue.self, from: data),
      case .object(let config)? = root["config"], case .array(let layers)? = config["layers"]
    else { throw ModelFileError("\(name): not a Keras model config (no config.layers list); save a Sequential or Functional model") }
    return layers.map { entry in
      guard case .object(let fields) = entry, case .object(let settings)? = fields["config"] else { return Layer(name: "?", className: nil) }
      var layer = Layer(name: settings["name"]?.text ?? "?", className: fields["class_name"]?.text)
      for (key, value) in settings { if let text = value.text { layer.settings[key] = text } }
      if case .object(let inner)? = settings["layer"] { layer.wrapped = inner["class_name"]?.text }
      return layer
    }
  }

  static func keras3(_ file: HDF5File, config: Data?, layout: Layout, url: URL, name: String) throws -> KerasFile {
    var layers = try config.map { try configLayers($0, name: name) } ?? []
    // layers/<name>/[cell/]vars/<i>
    var byLayer: [String: [(index: Int, path: String)]] = [:]
    var unused: [String: Int] = [:]
    for path in file.datasets.keys.sorted() {
      let parts = path.split(separator: "/").map(String.init)
      if parts.first == "layers", parts.count >= 4, parts[parts.count - 2] == "vars", let index = Int(parts.last!) {
        byLayer[parts[1], default: []].append((index, path))
      } else {
        unused[parts.first ?? path, default: 0] += 1
      }
    }
    if config == nil {
      // No config: Keras' default names tell the classes; the model's order is embedding,
      // recurrent layers (lstm, lstm_1, ...), dense.
      func rank(_ name: String) -> (Int, Int) {
        let cls = guessedClass(name, vars: 0)
        let counter = name.split(separator: "_").last.flatMap { Int($0) } ?? 0
        return (cls == "Embedding" ? 0 : cls == "Dense" ? 2 : 1, counter)
      }
      layers = byLayer.keys.sorted { rank($0) < rank($1) }.map { Layer(name: $0, className: nil) }
    }
    // Keras 3 keys a layer's weights by its class in snake case, numbered within the model
    // (lstm, lstm_1), not by the layer's name in the config (lstm_2).
    var counts: [String: Int] = [:]
    for i in layers.indices {
      let key: String
      if let cls = layers[i].className {
        let base = snakeCase(cls)
        key = counts[base].map { "\(base)_\($0)" } ?? base
        counts[base, default: 0] += 1
      } else {
        key = layers[i].name
      }
      let vars = (byLayer.removeValue(forKey: key) ?? []).sorted { $0.index < $1.index }
      let roles = roles(layers[i].className ?? guessedClass(layers[i].name, vars: vars.count), count: vars.count)
      for (k, v) in vars.enumerated() {
        let role = k < roles.count ? roles[k] : "vars/\(v.index)"
        layers[i].weights[role] = (v.path, file.datasets[v.path]!)
      }
    }
    if let (stray, _) = byLayer.first {
      throw ModelFileError("\(url.path): weights of layer '\(stray)' (layers/\(stray)/...) belong to no layer of the config; save the model again")
    }
    return KerasFile(layout: layout, layers: layers, unused: describe(unused))
  }

  /// Keras' `to_snake_case`: "SimpleRNN" -> "simple_rnn", "LSTM" -> "lstm".
  static func snakeCase(_ name: String) -> String {
    let chars = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
    var out = ""
    for (i, c) in chars.enumerated() {
      if i > 0, c.isUppercase {
        let previous = chars[i - 1]
        let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
        // (.)([A-Z][a-z]+) -> \1_\2, then ([a-z])([A-Z]) -> \1_\2
        if nextIsLower || previous.isLowercase { out.append("_") }
      }
      out.append(c)
    }
    return out.lowercased()
  }

  /// A `.weights.h5` does not record layer classes: Keras' default layer names tell them.
  static func guessedClass(_ name: String, vars: Int) -> String? {
    let base = name.split(separator: "_").dropLast(name.last?.isNumber == true ? 1 : 0).joined(separator: "_")
    return ["embedding": "Embedding", "dense": "Dense", "lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"][base.isEmpty ? name : base]
  }

  static func legacy(_ file: HDF5File, config: String, url: URL) throws -> KerasFile {
    var layers = try configLayers(Data(config.utf8), name: url.path + " (model_config)")
    var unused: [String: Int] = [:]
    var byLayer: [String: [String: String]] = [:]
    for path in file.datasets.keys.sorted() {
      let parts = path.split(separator: "/").map(String.init)
      if parts.first == "model_weights", parts.count >= 3 {
        let weight = parts.last!.split(separator: ":").first.map(String.init) ?? parts.last!
        byLayer[parts[1], default: [:]][weight] = path
      } else {
        unused[parts.first ?? path, default: 0] += 1
      }
    }
    for i in layers.indices {
      for (role, path) in byLayer.removeValue(forKey: layers[i].name) ?? [:] { layers[i].weights[role] = (path, file.datasets[path]!) }
    }
    if let (stray, _) = byLayer.first {
      throw ModelFileError("\(url.path): weights of layer '\(stray)' (model_weights/\(stray)/...) belong to no layer of model_config; save the model again")
    }
    return KerasFile(layout: .legacyH5, layers: layers, unused: describe(unused))
  }

  static func describe(_ groups: [String: Int]) -> [String] {
    groups.keys.sorted().map { group in
      let what = group.hasPrefix("optimizer") ? "the optimizer's state" : "not model weights"
      return "\(group)/ (\(groups[group]!) tensors: \(what))"
    }
  }
}

/// A JSON value as Keras configs hold them (booleans kept apart from numbers).
enum JSONValue: Decodable {
  case bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue]), null

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
    else if let n = try? c.decode(Double.self) { self = .number(n) } else if let s = try? c.decode(String.self) { self = .string(s) }
    else if let a = try? c.decode([JSONValue].self) { self = .array(a) } else { self = .object(try c.decode([String: JSONValue].self)) }
  }

  /// A scalar as text ("true", "64", "tanh"); nil for null, arrays and objects.
  var text: String? {
    switch self {
    case .bool(let b): b ? "true" : "false"
    case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    case .string(let s): s
    default: nil
    }
  }
}
