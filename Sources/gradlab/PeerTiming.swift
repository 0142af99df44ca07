import ArgumentParser
import Foundation
import Storage

/// The training speed a peer benchmark (../shared/peers/bench_torch.py, bench_keras.py)
/// wrote: its "summary.ms_per_train_step", the median over epochs 2 and later.
struct PeerTiming {
  var name: String
  var millisecondsPerStep: Double

  static func read(from path: String) throws -> PeerTiming {
    let data: Data
    do {
      data = try FileContents.read(URL(fileURLWithPath: path))
    } catch let error as FileSystemError {
      throw ValidationError("--peer-json: \(error.description)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let summary = object["summary"] as? [String: Any],
      let ms = summary["ms_per_train_step"] as? Double
    else {
      throw ValidationError("peer timing \(path) has no summary.ms_per_train_step (expected the JSON of ../shared/peers/bench_*.py)")
    }
    let name = (object["framework"] as? String) ?? (object["backend"] as? String) ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return PeerTiming(name: name, millisecondsPerStep: ms)
  }
}
