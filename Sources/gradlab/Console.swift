import Experiments
import Foundation

/// Progress on standard error: a live line rewritten in place on a terminal, plain lines
/// (one per epoch) otherwise, so logs stay readable.
struct Console: Sendable {
  let isTerminal = isatty(STDERR_FILENO) != 0

  func line(_ text: String) {
    FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + text + "\n").utf8))
  }

  func live(_ text: String) {
    guard isTerminal else { return }
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
  }

  func trainingReporter() -> TrainingReporter {
    TrainingReporter(
      progress: { p in
        live(String(format: "epoch %d/%d  step %d/%d  loss %.4f  acc %.4f  %.1f steps/s  epoch ETA %.0f s  run ETA %.0f min",
          p.epoch, p.epochs, p.step, p.steps, p.loss, p.accuracy, p.stepsPerSecond, p.epochSecondsLeft, p.runSecondsLeft / 60))
      },
      epochFinished: { m in
        line(String(format: "epoch %d: loss %.4f acc %.4f val_loss %.4f val_acc %.4f (%.1f s, grad norm median %.3g)",
          m.epoch, m.trainLoss, m.trainAccuracy, m.validationLoss, m.validationAccuracy, m.seconds, m.gradientNormMedian))
      },
      log: { line($0) })
  }
}
