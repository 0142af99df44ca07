import Foundation
import Linalg
import Recurrent
import Storage
import TestSupport
import Testing

/// Seeded truncations and bit flips of a small valid weights file: each one imports, or
/// fails with a safetensors or import error that names the file; none traps.
@Suite struct SafetensorsFuzzTests {
  @Test func damagedWeightsFilesImportOrFailWithAClearError() throws {
    var file = SafetensorsFile()
    file.set("lstm.weight_ih_l0", Matrix<Float>(rows: 8, cols: 3, storage: (0..<24).map { Float($0) / 24 - 0.5 }))
    file.set("lstm.weight_hh_l0", Matrix<Float>(rows: 8, cols: 2, storage: (0..<16).map { Float($0 % 5) / 5 - 0.4 }))
    file.setVector("lstm.bias_ih_l0", Matrix<Float>(rows: 1, cols: 8, storage: (0..<8).map { Float($0) / 8 }))
    file.metadata["source"] = "fuzz"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-fuzz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let valid = folder.appendingPathComponent("valid.safetensors")
    try file.write(to: valid)
    var failures = 0
    for (index, (what, bytes)) in Damage.variants(of: [UInt8](try Data(contentsOf: valid)), count: 400, seed: 11).enumerated() {
      let url = folder.appendingPathComponent("fuzz-\(index).safetensors")
      try Data(bytes).write(to: url)
      do {
        let _: RecurrentLayer<Double> = try RecurrentWeightsImport.load(url)
      } catch let error as SafetensorsError {
        failures += 1
        #expect(error.description.contains(url.path), "\(what): \(error)")
      } catch let error as RecurrentImportError {
        failures += 1
        #expect(error.description.contains(url.path), "\(what): \(error)")
      } catch {
        Issue.record("\(what): neither a SafetensorsError nor a RecurrentImportError: \(error)")
      }
    }
    // Every truncation fails; flips in the tensor data may import as other numbers.
    #expect(failures >= 200)
  }
}
