import Foundation
import Linalg
import Recurrent
import Storage

/// The inputs a user gives in a safetensors file: feature sequences for a recurrent layer,
/// or token ids (with labels) for a whole classifier.
public enum InputTensors {
  /// One F32/F64 tensor (any name) of shape T × D (one sequence) or B × T × D (B sequences).
  public static func sequences(_ url: URL) throws -> [Matrix<Double>] {
    let file = try SafetensorsFile.read(from: url)
    guard file.tensors.count == 1, let (name, tensor) = file.tensors.first else {
      throw ModelFileError("\(url.path): --inputs reads one tensor (T x D or B x T x D); the file holds \(file.tensors.count): \(file.tensors.keys.sorted().joined(separator: ", "))")
    }
    let shape = tensor.shape
    guard (shape.count == 2 || shape.count == 3), shape.allSatisfy({ $0 > 0 }) else {
      throw ModelFileError("\(url.path): \(name) has shape \(shape); --inputs reads T x D or B x T x D with every size positive")
    }
    let (B, T, D) = shape.count == 2 ? (1, shape[0], shape[1]) : (shape[0], shape[1], shape[2])
    var flat = SafetensorsFile()
    flat.tensors[name] = SafetensorsFile.Tensor(dtype: tensor.dtype, shape: [B * T, D], bytes: tensor.bytes)
    let all: Matrix<Double>
    do { all = try flat.matrix(name) } catch { throw ModelFileError("\(url.path): \(name): \(error)") }
    if let bad = all.storage.firstIndex(where: { !$0.isFinite }) {
      throw ModelFileError("\(url.path): \(name) holds \(all.storage[bad]) at element \(bad); every input must be finite")
    }
    return (0..<B).map { all.rows(($0 * T)..<(($0 + 1) * T)) }
  }

  /// `ids` (B × T integers: I64, I32, I16, U8...) and `labels` (B values, 0 or 1).
  public static func tokens(_ url: URL) throws -> (ids: [Int32], labels: [Double], batch: Int, length: Int) {
    let file = try SafetensorsFile.read(from: url)
    let extra = file.tensors.keys.filter { $0 != "ids" && $0 != "labels" }.sorted()
    guard let ids = file.tensors["ids"], file.tensors["labels"] != nil, extra.isEmpty else {
      throw ModelFileError("\(url.path): --ids reads two tensors, ids (B x T token ids) and labels (B, 0 or 1); the file holds \(file.tensors.keys.sorted().joined(separator: ", "))")
    }
    guard ids.shape.count == 2, ids.shape.allSatisfy({ $0 > 0 }) else { throw ModelFileError("\(url.path): ids has shape \(ids.shape); expected B x T") }
    let (B, T) = (ids.shape[0], ids.shape[1])
    guard let values = integers(ids) else { throw ModelFileError("\(url.path): ids is \(ids.dtype); token ids are integers (I64, I32, I16, I8, U8)") }
    if let bad = values.first(where: { $0 < 0 || $0 > Int64(Int32.max) }) {
      throw ModelFileError("\(url.path): ids holds \(bad); token ids are non-negative and below 2^31")
    }
    let label: Matrix<Double>
    do { label = try file.matrix("labels", rows: 1, cols: B) } catch {
      throw ModelFileError("\(url.path): labels must hold B = \(B) values (one per row of ids): \(error)")
    }
    guard label.storage.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw ModelFileError("\(url.path): labels must be 0 or 1") }
    return (values.map { Int32($0) }, label.storage, B, T)
  }

  static func integers(_ t: SafetensorsFile.Tensor) -> [Int64]? {
    let width: Int
    switch t.dtype {
    case "I64": width = 8
    case "I32": width = 4
    case "I16": width = 2
    case "I8", "U8": width = 1
    default: return nil
    }
    guard t.bytes.count == t.shape.reduce(1, *) * width else { return nil }
    return stride(from: 0, to: t.bytes.count, by: width).map { i in
      var v: UInt64 = 0
      for k in 0..<width { v |= UInt64(t.bytes[i + k]) << (8 * UInt64(k)) }
      if t.dtype == "U8" { return Int64(v) }
      let shift = UInt64(64 - 8 * width)
      return Int64(bitPattern: v << shift) >> Int64(shift)  // sign-extend
    }
  }
}
