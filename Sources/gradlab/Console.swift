import Foundation
import Training

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

  /// A text chart's size on this terminal: all of it but two lines (the epoch line and the
  /// progress line); nil off a terminal, or on one too small to hold a chart.
  func chartSize() -> (columns: Int, rows: Int, colors: Bool)? {
    var size = winsize()
    guard isTerminal, ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 60, size.ws_row >= 20 else { return nil }
    return (Int(size.ws_col), Int(size.ws_row) - 2, true)
  }

  /// Draws a chart from the top of a cleared screen.
  func chart(_ text: String) {
    FileHandle.standardError.write(Data(("\u{1B}[H\u{1B}[2J" + text).utf8))
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
