import DecayLab
import Foundation
import Recurrent
import Testing

/// Bad settings are refused with a message that names the flag, before anything runs.
@Suite struct DecayConfigurationTests {
  @Test func defaultsAreValid() throws {
    try DecayConfiguration().validate()
    _ = try DecaySweep(DecayConfiguration())
  }

  func message(_ change: (inout DecayConfiguration) -> Void) -> String? {
    var c = DecayConfiguration()
    change(&c)
    do {
      try c.validate()
      return nil
    } catch let error as DecayConfigurationError {
      return error.description
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func outOfRangeValuesAreRefused() {
    #expect(message { $0.sigmas = [0.5, 0] }?.contains("--sigmas") == true)
    #expect(message { $0.sigmas = [-1] }?.contains("--sigmas") == true)
    #expect(message { $0.sigmas = [.nan] }?.contains("--sigmas") == true)
    #expect(message { $0.sigmas = [] }?.contains("--sigmas") == true)
    #expect(message { $0.steps = 0 }?.contains("--steps") == true)
    #expect(message { $0.hiddenSize = 0 }?.contains("--hidden") == true)
    #expect(message { $0.inputSize = 0 }?.contains("--input") == true)
    #expect(message { $0.seeds = 0 }?.contains("--seeds") == true)
    #expect(message { $0.models = [] }?.contains("--models") == true)
    #expect(message { $0.models = [.rnn, .rnn] }?.contains("--models") == true)
    #expect(message { $0.forgetSigma = 0 }?.contains("--forget-sigma") == true)
    #expect(throws: DecayConfigurationError.self) { try DecaySweep({ var c = DecayConfiguration(); c.steps = 0; return c }()) }
  }

  @Test func listsParseAndUnknownNamesAreRefused() throws {
    #expect(try DecayConfiguration.parseModels(["rnn,LSTM", "gru"]) == [.rnn, .lstm, .gru])
    #expect(try DecayConfiguration.parseNumbers(["0.5,1", "2"], flag: "--sigmas") == [0.5, 1, 2])
    #expect(throws: DecayConfigurationError("--models: unknown model 'transformer'; known: linear, rnn, relu-rnn, lstm, gru")) {
      try DecayConfiguration.parseModels(["rnn", "transformer"])
    }
    #expect(throws: DecayConfigurationError("--sigmas: 'x' is not a number")) {
      try DecayConfiguration.parseNumbers(["0.5", "x"], flag: "--sigmas")
    }
  }
}
