import Foundation
import Linalg
import StopSignals
import Recurrent

/// Writes a sweep's tables and configuration into a folder, each file atomically.
public enum DecayOutput {
  /// The files one sweep writes.
  public static let fileNames = ["decay.tsv", "decay_summary.tsv", "decay_rates.tsv", "decay_forget.tsv", "decay_config.json"]

  /// What `decay_config.json` holds: the configuration, the command that regenerates the
  /// files, and how the columns are defined.
  public struct Record: Codable, Sendable, Equatable {
    public var configuration: DecayConfiguration
    /// A command that regenerates every file (all flags spelled out).
    public var command: String
    /// The arguments as they were typed (after the program name).
    public var invocation: [String]
    public var files: [String]
    public var gamma: Double
    public var notes: [String]
  }

  /// Fails, before anything runs, if `folder` cannot be written: it must be a writable
  /// directory, or not exist yet below a writable directory (it is created when writing).
  public static func checkFolder(_ folder: URL) throws {
    do {
      try OutputFolder.checkWritable(folder)
    } catch let error as FileSystemError {
      throw DecayOutputError(error.description)
    }
  }

  /// Writes the five files into `folder` (created if missing). Returns their URLs.
  @discardableResult
  public static func write(_ result: DecaySweepResult, to folder: URL, command: String, invocation: [String]) throws -> [URL] {
    let record = Record(
      configuration: result.configuration, command: command, invocation: invocation, files: fileNames,
      gamma: 1,
      notes: [
        "decay.tsv: one line per (model, sigma, seed, t); lag = T - t; loss L = u . h_T with a seeded unit vector u",
        "grad_norm = ||dL/dh_t|| (LSTM: c_t held fixed), grad_norm_rel = grad_norm / grad_norm at lag 0",
        "jacobian_norm = sigma_max(dh_t/dh_{t-1}) (NaN at t = 0); product_norm = sigma_max(dh_T/dh_t)",
        "bound = (gamma sigma_max(W_h))^(T-t), gamma = 1 for tanh: a theorem for rnn and linear only, NaN for lstm and gru",
        "cell_grad_norm = ||dL/dc_t|| and forget_product = mean over units of prod_{k=t+1..T} f_k: LSTM only",
        "decay_rates.tsv: least-squares slope of ln grad_norm against lag per seed (median, quartiles); theory = log(gamma sigma)",
        "decay_forget.tsv: the LSTM at forgetSigma for each forget-gate bias, and the tanh RNN at the same sigma",
        "quartiles: linear interpolation between order statistics over the seeds",
      ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let json = try encoder.encode(record) + Data("\n".utf8)
    let contents: [(String, Data)] = [
      ("decay.tsv", Data(result.rawTable.utf8)),
      ("decay_summary.tsv", Data(result.summaryTable.utf8)),
      ("decay_rates.tsv", Data(result.rateTable.utf8)),
      ("decay_forget.tsv", Data(result.forgetTable.utf8)),
      ("decay_config.json", json),
    ]
    return try AtomicFiles.write(contents, into: folder)
  }
}

/// Writes several files so that none is ever seen half-written: every file goes to a
/// temporary name in the target folder first; only when all of them are complete are they
/// renamed over their targets (rename(2) within one folder is atomic). On any failure the
/// temporary files are removed and the old files stay as they were.
public enum AtomicFiles {
  @discardableResult
  public static func write(_ files: [(name: String, data: Data)], into folder: URL) throws -> [URL] {
    try StopSignals.uninterruptible { try writeAll(files, into: folder) }
  }

  private static func writeAll(_ files: [(name: String, data: Data)], into folder: URL) throws -> [URL] {
    let manager = FileManager.default
    do {
      try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw DecayOutputError(FileSystemError("create the output folder", folder.path, error: error).description)
    }
    // A target that is a folder would fail to be replaced half-way through: refuse up front.
    for (name, _) in files {
      var isDirectory: ObjCBool = false
      let target = folder.appendingPathComponent(name).path
      if manager.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
        throw DecayOutputError("cannot write \(target): a folder of that name exists")
      }
    }
    var temporary: [(URL, URL)] = []
    for (name, data) in files {
      precondition(!name.contains("/"), "AtomicFiles: '\(name)' must be a plain file name")
      let target = folder.appendingPathComponent(name)
      do {
        temporary.append((try AtomicFile.writeTemporary(data, beside: target), target))
      } catch {
        for (tmp, _) in temporary { unlink(tmp.path) }
        throw DecayOutputError("\(error)")
      }
    }
    for (index, (tmp, target)) in temporary.enumerated() {
      do {
        try AtomicFile.commit(tmp, to: target)
      } catch {
        for (rest, _) in temporary[(index + 1)...] { unlink(rest.path) }
        throw DecayOutputError("\(error)")
      }
    }
    return temporary.map(\.1)
  }
}

/// An output folder or file that cannot be written.
public struct DecayOutputError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
