import Foundation
import StopSignals

/// The line a training run prints when it is stopped (Ctrl-C, `kill`): which epoch is saved
/// and the command that continues the run.
final class TrainingStop: @unchecked Sendable {
  private let lock = NSLock()
  private var savedEpoch: Int
  private let output: URL
  private let command: String

  init(output: URL, command: String, savedEpoch: Int) {
    self.output = output
    self.command = command
    self.savedEpoch = savedEpoch
  }

  /// Call after each checkpoint is written.
  func saved(_ epoch: Int) { lock.withLock { savedEpoch = epoch } }

  func message(signal: Int32) -> String {
    let name = StopSignals.name(of: signal)
    let epoch = lock.withLock { savedEpoch }
    guard epoch > 0 else {
      return "stopped by \(name) before epoch 1 finished: nothing is saved in \(output.path); run the same command to start again"
    }
    let resume = command.isEmpty ? "the same command with --resume" : command + (command.contains("--resume") ? "" : " --resume")
    return "stopped by \(name): epoch \(epoch) is saved in \(output.path); continue with: \(resume)"
  }
}
