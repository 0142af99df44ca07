import Foundation
import Storage

/// The files of a comparison's units in `output/units/`: `<unit>.json` (its `UnitRecord`,
/// written last), `<unit>.predictions.tsv`, and for recurrent models `<unit>.gradients.tsv`
/// and `<unit>.spectra.tsv`.
public struct CompareFolder: Sendable {
  public let output: URL
  /// The units of the comparison, in its order.
  public let planned: [CompareUnit]

  public init(output: URL, units: [CompareUnit]) {
    self.output = output
    self.planned = units
  }

  public var unitsFolder: URL { output.appendingPathComponent("units") }
  func url(_ unit: CompareUnit, _ suffix: String) -> URL { unitsFolder.appendingPathComponent(unit.name + suffix) }
  /// The files a unit leaves, its record last.
  static let unitFileSuffixes = [".gradients.tsv", ".spectra.tsv", ".predictions.tsv", ".json"]

  /// The units with a record in the output folder.
  public var finishedUnits: [CompareUnit] {
    planned.filter { FileManager.default.fileExists(atPath: url($0, ".json").path) }
  }

  /// The record of a finished unit.
  public func record(_ unit: CompareUnit) throws -> UnitRecord {
    let recordURL = url(unit, ".json")
    do {
      return try JSONDecoder.tolerant.decode(UnitRecord.self, from: Data(contentsOf: recordURL))
    } catch {
      throw TSVError(path: recordURL.path, problem: "is not a unit record (\(error)); delete it to retrain the unit")
    }
  }
}
