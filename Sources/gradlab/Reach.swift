import ArgumentParser
import Figures
import Foundation
import IMDB
import Linalg
import ModelFiles
import Recurrent
import Storage
import Training

/// `gradlab reach`: a whole classifier (Embedding -> recurrent -> Dense(1)) from a model file,
/// run on real token ids, and how far back into them the gradient reaches.
struct Reach: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "How far back into real reviews the gradient of your own classifier reaches.",
    discussion: """
      Reads Embedding -> SimpleRNN/LSTM/GRU -> Dense(1) from a model file (PyTorch state dict, \
      GradLab checkpoint, Keras .keras, .h5 or .weights.h5), runs it on token ids and records \
      ||dL/dh_t|| of the batch's mean binary cross-entropy for every t: on IMDB test reviews \
      encoded with the model's own vocabulary (--word-index for Keras' imdb_word_index.json, \
      --vocabulary gradlab for a GradLab checkpoint) or on --ids. GradLab never guesses a \
      vocabulary. Writes model_reach.tsv and model_reach_settings.tsv, and draws model_reach.png.
      """)

  @Option(help: "The model file.") var model: String
  @Option(help: "With a safetensors file: the recurrent module's tensor prefix when it holds several.") var prefix: String?
  @Option(help: "A single-gate RNN's nonlinearity, tanh or relu (default tanh; a Keras config states it).") var nonlinearity: Nonlinearity?
  @Option(help: "Keras' imdb_word_index.json (word -> rank), for a model trained on keras.datasets.imdb.") var wordIndex: String?
  @Option(help: "With --word-index: Keras' index_from (the ids below it are padding, start and out-of-vocabulary).") var indexFrom = 3
  @Option(help: "'gradlab': the vocabulary GradLab's reader builds from the training reviews (GradLab checkpoints only).") var vocabulary: String?
  @Option(help: "A safetensors file with ids (B x T token ids) and labels (B), instead of IMDB reviews.") var ids: String?
  @Option(help: "The IMDB reviews (.tar.gz or folder; default as gradlab train finds them).") var imdb: String?
  @Option(help: "How many test reviews, spread over the test split (a GradLab checkpoint: the first of its shuffled test split).") var reviews = 64
  @Option(help: "Sequence length T the reviews are padded or truncated to.") var length = 200
  @Option(help: "Padding side: pre (Keras' default) or post.") var padding: Padding = .pre
  @Option(help: "Output folder (created if missing).") var output = "runs/reach"

  func validate() throws {
    let sources = [("--word-index", wordIndex), ("--vocabulary", vocabulary), ("--ids", ids)].filter { $0.1 != nil }
    guard sources.count == 1 else {
      throw ValidationError(sources.isEmpty
        ? "give the model's own vocabulary: --word-index imdb_word_index.json (Keras), --vocabulary gradlab (a GradLab checkpoint), or --ids FILE.safetensors; GradLab does not guess one"
        : "\(sources.map(\.0).joined(separator: " and ")) both give the ids; give one")
    }
    if let vocabulary, vocabulary != "gradlab" { throw ValidationError("--vocabulary \(vocabulary): the one vocabulary GradLab builds is 'gradlab'; for Keras give --word-index") }
    if ids != nil, let flag = [("--imdb", imdb != nil), ("--reviews", reviews != 64), ("--length", length != 200)].first(where: \.1)?.0 {
      throw ValidationError("\(flag) does not apply with --ids: the ids and their length come from the file; leave \(flag) out")
    }
    guard (1...25_000).contains(reviews) else { throw ValidationError("--reviews must be in 1...25000, got \(reviews)") }
    guard (1...10_000).contains(length) else { throw ValidationError("--length must be in 1...10000, got \(length)") }
    guard indexFrom >= 3 else { throw ValidationError("--index-from must be at least 3 (0 padding, 1 start, 2 out of vocabulary), got \(indexFrom)") }
    try CommandLineChecks.nonEmpty(output, "--output")
  }

  func run() throws {
    let imported = try ModelImport.read(URL(fileURLWithPath: model), prefix: prefix, nonlinearity: nonlinearity)
    let classifier = try imported.classifier()
    let V = classifier.embedding.table.rows
    print("model: \(model), \(imported.format): Embedding(\(V), \(classifier.embedding.table.cols)) -> \(classifier.recurrent.kind.rawValue)(\(classifier.recurrent.hiddenSize)) -> Dense(1)")
    if let (kind, who) = imported.nonlinearity { print("  nonlinearity: \(kind.rawValue), \(who)") }
    for note in imported.notes { print("  \(note)") }
    let (tokens, labels, what) = try inputs(imported, vocabularySize: V)
    if let bad = tokens.first(where: { Int($0) >= V }) {
      throw ValidationError("\(what): token id \(bad) is outside the embedding's \(V) rows; the ids do not belong to this model")
    }
    let probe = GradientProbe(tokens: tokens[...], labels: labels[...])
    let (norms, loss, correct) = probe.measure(classifier)
    let T = norms.count - 1
    let cell = classifier.recurrent.kind.rawValue
    let table = (["cell\tt\tlag\tgrad_norm"] + (0...T).map { "\(cell)\t\($0)\t\(T - $0)\t\(tsvNumber(norms[$0]))" }).joined(separator: "\n") + "\n"
    let settings: [(String, String)] = [
      ("model", (model as NSString).lastPathComponent), ("format", imported.format), ("cell", cell),
      ("hidden", String(classifier.recurrent.hiddenSize)), ("vocabulary", String(V)), ("inputs", what),
      ("reviews", String(labels.count)), ("steps", String(T)), ("loss", tsvNumber(loss)),
      ("accuracy", tsvNumber(Double(correct) / Double(labels.count))),
    ]
    let settingsTable = (["name\tvalue"] + settings.map { "\($0.0)\t\($0.1.replacingOccurrences(of: "\t", with: " "))" }).joined(separator: "\n") + "\n"
    let folder = URL(fileURLWithPath: output)
    var written = try AtomicFile.write([("model_reach.tsv", Data(table.utf8)), ("model_reach_settings.tsv", Data(settingsTable.utf8))], into: folder)
    print(String(format: "%@: %d reviews of T = %d, mean loss %.4f, accuracy %.4f", what, labels.count, T, loss, Double(correct) / Double(labels.count)))
    for lag in Set([0, 10, 50, 100, 200, T]).sorted() where lag <= T { print(String(format: "  ||dL/dh_t|| at lag %4d: %.4g", lag, norms[T - lag])) }
    do {
      written += try FigureRenderer.renderAll(
        [FigureSpec(script: "model_reach.gp", output: "model_reach", width: 1100, height: 600)],
        plotsDirectory: URL(fileURLWithPath: "plots"), dataDirectory: folder, outputDirectory: folder, formats: ["png"], progress: { _ in })
    } catch {
      print("no figure (\(error)); draw it later with: gnuplot -e \"datadir='\(output)'\" plots/model_reach.gp")
    }
    for file in written { print("wrote \(file.path)") }
  }

  /// The token ids, labels and a description of where they came from.
  func inputs(_ imported: ImportedModel, vocabularySize V: Int) throws -> ([Int32], [Double], String) {
    if let ids {
      let given = try InputTensors.tokens(URL(fileURLWithPath: ids))
      return (given.ids, given.labels, "\(ids) (ids)")
    }
    let source = try IMDBLocator.resolve(flag: imdb, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    if let wordIndex {
      let index = try KerasWordIndex.read(URL(fileURLWithPath: wordIndex))
      let all = try IMDBLoader.tokenizedReviews(from: source, progress: { Console().line($0) })
      let split = try ReviewEncoding.kerasTestReviews(all, wordIndex: index, indexFrom: indexFrom, vocabularySize: V, count: reviews, length: length, padding: padding)
      return (split.tokens, split.labels.map(Double.init), "IMDB test reviews encoded with \((wordIndex as NSString).lastPathComponent) (index_from \(indexFrom), num_words \(V))")
    }
    guard imported.format == "GradLab checkpoint" else {
      throw ValidationError("--vocabulary gradlab: \(model) is a \(imported.format), not a GradLab checkpoint; its embedding means something only with its own vocabulary (--word-index for Keras, or --ids)")
    }
    var options = IMDBOptions()
    (options.vocabularySize, options.sequenceLength, options.padding) = (V, length, padding)
    let data = try IMDBLoader.load(from: source, options: options, cacheDirectory: nil, progress: { Console().line($0) })
    let n = min(reviews, data.test.count)
    return (Array(data.test.tokens[0..<(n * length)]), data.test.labels[0..<n].map(Double.init), "IMDB test reviews encoded with GradLab's vocabulary of \(V)")
  }
}
