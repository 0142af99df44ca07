import Foundation
import Linalg
import Storage

extension TaskModel where Scalar == Float {
  /// Writes the weights atomically as safetensors, with the step and the configuration in
  /// the metadata; the tensor names are `SequenceClassifier`'s, so `gradlab decay --weights`
  /// reads the file.
  func writeCheckpoint(to url: URL, step: Int, configuration: TaskConfiguration) throws {
    var file = SafetensorsFile()
    for (name, path) in activeParameterPaths { file.set(name, self[keyPath: path]) }
    file.metadata["format"] = "gradlab-task-checkpoint-1"
    file.metadata["step"] = String(step)
    file.metadata["configuration"] = String(decoding: try JSONEncoder.compact.encode(configuration), as: UTF8.self)
    file.metadata[SafetensorsFile.checksumKey] = file.checksum
    try file.write(to: url)
  }
}
