import Foundation
import Linalg
import Storage

/// A recurrent layer exported from PyTorch or Keras (or a GradLab checkpoint) as safetensors.
///
/// Accepted tensor names, with any prefix (`lstm.`, `rnn.`, `recurrent.`, ...):
/// - PyTorch `nn.RNN` / `nn.LSTM` / `nn.GRU`, layer 0: `weight_ih_l0` (G·H × D),
///   `weight_hh_l0` (G·H × H), `bias_ih_l0` and `bias_hh_l0` (G·H, optional).
///   Gate order: LSTM i f g o (as Keras), GRU r z n (reordered to z r n here). The LSTM's and
///   RNN's two biases are summed; the GRU keeps b_hh as the recurrent bias (same equations).
/// - Keras `SimpleRNN` / `LSTM` / `GRU`: `kernel` (D × G·H), `recurrent_kernel` (H × G·H),
///   `bias` (G·H, or 2 × G·H for the GRU with reset_after=True, the second row being b_h).
///   GradLab's checkpoints use these names with the prefix `recurrent.` and
///   `recurrent.recurrent_bias` for the GRU.
///
/// The cell follows from G = (gate columns) / H: 1 tanh RNN, 3 GRU, 4 LSTM; `kind` overrides
/// it (for `.linear`, whose weights look like an RNN's).
public enum RecurrentWeightsImport {
  public static func load<T: BLASScalar>(_ url: URL, kind: CellKind? = nil, as: T.Type = T.self) throws -> RecurrentLayer<T> {
    let file = try SafetensorsFile.read(from: url)
    // GradLab's own checkpoints carry a checksum; other exporters' files have none.
    if let problem = file.checksumProblem { throw RecurrentImportError("\(url.path): \(problem): the file is damaged; use a good copy") }
    let names = file.tensors.keys.sorted()
    // The layer's tensors share a prefix ("lstm.", "recurrent.", or none): found from the
    // recurrent weight, so a checkpoint's "dense.kernel" or "adam.m." moments never match.
    func prefix(of suffix: String) -> String? {
      names.filter { $0 == suffix || $0.hasSuffix("." + suffix) }.min { $0.count < $1.count }
        .map { String($0.dropLast(suffix.count)) }
    }
    func named(_ prefix: String, _ suffix: String) -> String? { names.contains(prefix + suffix) ? prefix + suffix : nil }
    if let p = prefix(of: "weight_hh_l0"), let ih = named(p, "weight_ih_l0") {
      return try pyTorch(file, ih: ih, hh: p + "weight_hh_l0", bih: named(p, "bias_ih_l0"), bhh: named(p, "bias_hh_l0"), kind: kind, url: url)
    }
    if let p = prefix(of: "recurrent_kernel"), let k = named(p, "kernel") {
      return try keras(file, kernel: k, recurrent: p + "recurrent_kernel", bias: named(p, "bias"), recurrentBias: named(p, "recurrent_bias"), kind: kind, url: url)
    }
    throw RecurrentImportError(
      "\(url.path) holds no recurrent layer: expected PyTorch's weight_ih_l0 and weight_hh_l0 or Keras' kernel and recurrent_kernel; found \(names.joined(separator: ", "))")
  }

  static func cell(hidden: Int, columns: Int, tensor: String, override: CellKind?, url: URL) throws -> CellKind {
    let inferred: CellKind? = columns % hidden == 0 ? [1: .rnn, 3: .gru, 4: .lstm][columns / hidden] : nil
    guard let kind = override ?? inferred else {
      throw RecurrentImportError("\(url.path): \(tensor) has \(columns) gate units for H = \(hidden), which is no RNN (1 H), GRU (3 H) or LSTM (4 H)")
    }
    guard kind.gateCount * hidden == columns else {
      throw RecurrentImportError("\(url.path): \(tensor) has \(columns) gate units, but a \(kind.rawValue) with H = \(hidden) needs \(kind.gateCount * hidden)")
    }
    return kind
  }

  /// The input and recurrent kernels, the cell their gate count implies, and a check that
  /// the input kernel has as many gate units as the recurrent one. PyTorch lays the G·H gate
  /// units along rows, Keras along columns.
  static func kernels<T: BLASScalar>(
    _ file: SafetensorsFile, input: String, recurrent: String, gatesAlongRows: Bool, kind: CellKind?, url: URL
  ) throws -> (Matrix<T>, Matrix<T>, CellKind) {
    let wi: Matrix<T> = try checked(file.matrix(input), input, url: url)
    let wr: Matrix<T> = try checked(file.matrix(recurrent), recurrent, url: url)
    let (hidden, gates) = gatesAlongRows ? (wr.cols, wr.rows) : (wr.rows, wr.cols)
    let kind = try cell(hidden: hidden, columns: gates, tensor: recurrent, override: kind, url: url)
    guard (gatesAlongRows ? wi.rows : wi.cols) == gates else {
      throw RecurrentImportError(
        "\(url.path): \(input) is \(wi.rows)x\(wi.cols) but \(recurrent) (\(wr.rows)x\(wr.cols)) needs \(gates) \(gatesAlongRows ? "rows" : "columns")")
    }
    guard wr.storage.contains(where: { $0 != 0 }) else {
      throw RecurrentImportError("\(url.path): \(recurrent) holds only zeros, so the layer has no recurrence to analyse; export the trained weights again")
    }
    return (wi, wr, kind)
  }

  /// `m` when it has at least one element and every element is finite; otherwise an error
  /// naming the file and the tensor.
  static func checked<T: BLASScalar>(_ m: Matrix<T>, _ tensor: String, url: URL) throws -> Matrix<T> {
    guard m.count > 0 else {
      throw RecurrentImportError("\(url.path): \(tensor) is empty (\(m.rows)x\(m.cols)); a recurrent layer needs at least one unit and one input")
    }
    if let bad = m.storage.firstIndex(where: { !$0.isFinite }) {
      throw RecurrentImportError(
        "\(url.path): \(tensor) holds \(m.storage[bad]) at row \(bad / m.cols), column \(bad % m.cols); every weight must be finite: export the weights again from a run that did not diverge")
    }
    return m
  }

  static func pyTorch<T: BLASScalar>(_ file: SafetensorsFile, ih: String, hh: String, bih: String?, bhh: String?, kind: CellKind?, url: URL) throws -> RecurrentLayer<T> {
    let (wih, whh, kind): (Matrix<T>, Matrix<T>, CellKind) = try kernels(file, input: ih, recurrent: hh, gatesAlongRows: true, kind: kind, url: url)
    let (H, GH) = (whh.cols, whh.rows)
    let zero = Matrix<T>(rows: 1, cols: GH)
    let bi: Matrix<T> = try bih.map { try checked(file.matrix($0, rows: 1, cols: GH), $0, url: url) } ?? zero
    let bh: Matrix<T> = try bhh.map { try checked(file.matrix($0, rows: 1, cols: GH), $0, url: url) } ?? zero
    // PyTorch GRU gates r z n -> z r n; PyTorch stores W (G·H × D), GradLab Wᵀ (D × G·H).
    let order = kind == .gru ? [1, 0, 2] : Array(0..<kind.gateCount)
    func reorder(_ m: Matrix<T>) -> Matrix<T> {
      var out = m
      for (to, from) in order.enumerated() { out.setColumns(to * H, to: m.columns((from * H)..<((from + 1) * H))) }
      return out
    }
    let separate = kind.hasRecurrentBias
    return RecurrentLayer(
      kind: kind, inputKernel: reorder(wih.transposed), recurrentKernel: reorder(whh.transposed),
      bias: reorder(separate ? bi : bi + bh), recurrentBias: separate ? reorder(bh) : nil)
  }

  static func keras<T: BLASScalar>(_ file: SafetensorsFile, kernel: String, recurrent: String, bias: String?, recurrentBias: String?, kind: CellKind?, url: URL) throws -> RecurrentLayer<T> {
    let (wx, wh, kind): (Matrix<T>, Matrix<T>, CellKind) = try kernels(file, input: kernel, recurrent: recurrent, gatesAlongRows: false, kind: kind, url: url)
    let GH = wh.cols
    var b = Matrix<T>(rows: 1, cols: GH)
    var bh: Matrix<T>? = nil
    if let bias {
      let raw: Matrix<T> = try checked(file.matrix(bias), bias, url: url)
      switch (raw.rows, raw.cols) {
      case (1, GH) where kind.hasRecurrentBias && recurrentBias == nil:
        throw RecurrentImportError(
          "\(url.path): \(bias) is 1x\(GH), the bias of a Keras GRU with reset_after=False, whose equations differ (the reset gate multiplies h before W_hn); GradLab's GRU is reset_after=True (Keras' default, bias 2x\(GH)) or PyTorch's")
      case (1, GH): b = raw
      case (2, GH) where kind.hasRecurrentBias:  // Keras GRU reset_after: [b_x; b_h]
        b = raw.rows(0..<1)
        bh = raw.rows(1..<2)
      default:
        throw RecurrentImportError("\(url.path): \(bias) is \(raw.rows)x\(raw.cols), expected \(GH) values\(kind.hasRecurrentBias ? " or 2x\(GH)" : "")")
      }
    }
    if let recurrentBias, kind.hasRecurrentBias { bh = try checked(file.matrix(recurrentBias, rows: 1, cols: GH), recurrentBias, url: url) }
    return RecurrentLayer(kind: kind, inputKernel: wx, recurrentKernel: wh, bias: b, recurrentBias: bh)
  }
}

public struct RecurrentImportError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}
