import ArgumentParser
import DecayLab
import Foundation

/// Checks a decay-sweep configuration and its output folder before any work, as the
/// parser's one-line validation error.
func checkDecaySettings(output: String, _ makeConfiguration: () throws -> DecayConfiguration) throws {
  do {
    _ = try makeConfiguration()
    try DecayOutput.checkFolder(URL(fileURLWithPath: output))
  } catch let error as DecayConfigurationError {
    throw ValidationError(error.description)
  } catch let error as DecayOutputError {
    throw ValidationError(error.description)
  }
}
