import ArgumentParser
import Foundation
import Storage
import Training

/// `gradlab spikes`: the diagnosis tables of a loss spike from a run's steps.tsv.
struct Spikes: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Condense the steps.tsv of `gradlab train --log-steps` into the tables that diagnose a loss spike.",
    discussion: """
      The spike's onset is the first step of --epoch whose loss is above 100 times the median \
      loss of one epoch of steps before it (the largest loss of the epoch if none \
      is). Writes <cell>-epochs.tsv (medians and maxima per epoch), <cell>-window.tsv (every \
      step from --before steps before the onset to --after steps after it) and \
      <cell>-config.json (this command), and replaces the <cell> row of spikes.tsv (the onset \
      against the epoch of quiet steps before it) in the output folder.
      """)

  @Option(help: "The steps.tsv of a run.") var steps: String
  @Option(help: "The cell's name for the tables (rnn, lstm, ...).") var cell: String
  @Option(help: "The epoch in which the spike starts.") var epoch: Int
  @Option(help: "Steps before the spike in the window.") var before = 400
  @Option(help: "Steps after the spike in the window.") var after = 400
  @Option(help: "Output folder.") var output = "runs/spikes"

  func validate() throws {
    guard epoch >= 1 else { throw ValidationError("--epoch must be at least 1, got \(epoch)") }
    guard before >= 0, after >= 0 else { throw ValidationError("--before and --after must be >= 0") }
    guard !cell.isEmpty, cell.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
      throw ValidationError("--cell must be letters, digits or '-', got '\(cell)'")
    }
  }

  func run() throws {
    let url = URL(fileURLWithPath: steps)
    let analysis = try StepLogAnalysis(steps: try TSVTable.read(from: url), path: steps)
    guard let spike = analysis.spike(epoch: epoch, cell: cell) else {
      throw ValidationError("\(steps) has no steps of epoch \(epoch)")
    }
    if analysis.onset(epoch: epoch) == nil {
      Console().line("no spike in epoch \(epoch) of \(steps): no step's loss is above \(Int(StepLogAnalysis.onsetFactor)) × the median before it; the row describes the epoch's largest loss")
    }
    let folder = URL(fileURLWithPath: output)
    try OutputFolder.checkWritable(folder)
    let lock = try OutputFolderLock(folder)
    defer { lock.release() }
    try analysis.epochs.write(to: folder.appendingPathComponent("\(cell)-epochs.tsv"))
    try analysis.window(epoch: epoch, before: before, after: after).write(to: folder.appendingPathComponent("\(cell)-window.tsv"))
    let spikesURL = folder.appendingPathComponent("spikes.tsv")
    var spikes = FileManager.default.fileExists(atPath: spikesURL.path) ? try TSVTable.read(from: spikesURL) : TSVTable(header: StepLogAnalysis.spikeHeader)
    guard spikes.header == StepLogAnalysis.spikeHeader else { throw ValidationError("\(spikesURL.path) has another header: move it away") }
    spikes.rows.removeAll { $0[0] == cell }
    spikes.append(spike)
    try spikes.write(to: spikesURL)
    let onset = analysis.onset(epoch: epoch) == nil ? "none: the largest loss of the epoch" : "the first step above \(Int(StepLogAnalysis.onsetFactor)) × the median loss before it"
    let config = ["command": commandLine(), "steps": recordedPath(steps), "onset": onset]
    try AtomicFile.write(
      JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]),
      to: folder.appendingPathComponent("\(cell)-config.json"))
    print(zip(StepLogAnalysis.spikeHeader, spike).map { "\($0)\t\($1)" }.joined(separator: "\n"))
  }
}
