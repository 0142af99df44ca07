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

  /// The record of a finished unit, checked before it enters a table or is skipped as done:
  /// it must describe `unit`, hold numbers a run can produce, and have been trained with
  /// `settings` (a record from before the settings were kept: with as many epochs).
  public func record(_ unit: CompareUnit, settings: CompareSettings) throws -> UnitRecord {
    let recordURL = url(unit, ".json")
    let record: UnitRecord
    do {
      record = try JSONDecoder.tolerant.decode(UnitRecord.self, from: FileContents.read(recordURL))
    } catch let error as FileSystemError {
      throw error
    } catch {
      throw UnitRecordError(path: recordURL.path, problem: "is not a unit record (\(FileSystemError.explain(error))); delete it to retrain the unit")
    }
    if let problem = record.problem(unit: unit, settings: settings) {
      throw UnitRecordError(path: recordURL.path, problem: "\(problem); delete it to retrain the unit, or use the flags it was trained with")
    }
    return record
  }
}

extension UnitRecord {
  /// What makes this record unfit for a comparison of `unit` with `settings`, or nil.
  func problem(unit expected: CompareUnit, settings expectedSettings: CompareSettings) -> String? {
    guard unit == expected else { return "holds the unit \(unit.name), not \(expected.name)" }
    let rates = [testAccuracy] + epochs.flatMap { [$0.trainAccuracy, $0.validationAccuracy] }
    guard rates.allSatisfy({ (0...1).contains($0) }) else { return "holds an accuracy outside [0, 1]" }
    guard testLoss.isFinite && testLoss >= 0 else { return "holds the test loss \(testLoss), not a finite loss ≥ 0" }
    guard !epochs.isEmpty, epochs.map(\.epoch) == Array(1...epochs.count), epochs.contains(where: { $0.epoch == bestEpoch }) else {
      return "does not list its epochs 1, 2, ... with the best epoch \(bestEpoch) among them"
    }
    guard parameterCount >= 1 else { return "holds \(parameterCount) parameters" }
    let differences =
      settings.map { $0.differences(from: expectedSettings) }
      ?? (epochs.count == expectedSettings.epochs ? [] : ["epochs \(epochs.count) vs \(expectedSettings.epochs)"])
    guard differences.isEmpty else { return "was trained with other settings (\(differences.joined(separator: ", ")) in this comparison)" }
    return nil
  }
}

/// A unit record that cannot enter the comparison.
public struct UnitRecordError: Error, CustomStringConvertible {
  public let path: String
  public let problem: String
  public var description: String { "unit record \(path) \(problem)" }
}
