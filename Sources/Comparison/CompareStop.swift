import Foundation
import StopSignals

/// The line a comparison prints when it is stopped (Ctrl-C, `kill`): how many units are kept
/// and which one was lost. Finished units are files, so the same command continues.
final class CompareStop: @unchecked Sendable {
  private let lock = NSLock()
  private var training: CompareUnit?
  private let folder: CompareFolder

  init(folder: CompareFolder) { self.folder = folder }

  /// Call when `unit` starts training.
  func started(_ unit: CompareUnit) { lock.withLock { training = unit } }

  /// Removes what the unit in training has written so far unless its record is there (the
  /// record comes last; a unit without one trains again from the start), and returns the line
  /// to print: the units kept and the one lost.
  func stopped(signal: Int32) -> String {
    let training: CompareUnit? = lock.withLock { self.training }
    let kept = folder.finishedUnits
    let unfinished = training.flatMap { kept.contains($0) ? nil : $0 }
    if let unfinished {
      for suffix in CompareFolder.unitFileSuffixes { try? FileManager.default.removeItem(at: folder.url(unfinished, suffix)) }
    }
    let lost = unfinished.map { "; \($0.name) was in training and starts again" } ?? ""
    return "stopped by \(StopSignals.name(of: signal)): \(kept.count) of \(folder.planned.count) units are kept in "
      + "\(folder.unitsFolder.path)\(lost); run the same command to continue"
  }
}
