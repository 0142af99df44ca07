extension DecayConfiguration {
  /// The `gradlab decay` command that regenerates the same files byte for byte, every setting
  /// spelled out. For an imported layer only the flags that apply to it: its cell, and
  /// --sigmas only when it was rescaled.
  public func command(output: String, source: DecaySource) -> String {
    func list(_ xs: [Double]) -> String { xs.map(TSV.sigma).joined(separator: ",") }
    var words = ["swift run -c release gradlab decay"]
    switch source {
    case .random:
      words += ["--models", models.map(\.rawValue).joined(separator: ","), "--sigmas", list(sigmas)]
      words += ["--hidden", "\(hiddenSize)", "--input", "\(inputSize)", "--matrix", matrix.rawValue]
      if let radiusRatio { words += ["--radius-ratio", TSV.sigma(radiusRatio)] }
      words += ["--lstm-forget-bias", TSV.sigma(lstmForgetBias), "--forget-sigma", TSV.sigma(forgetSigma)]
      words += ["--forget-biases", forgetBiases.isEmpty ? "none" : list(forgetBiases)]
    case .imported(let file, _, let rescaled):
      words += ["--weights", Self.shellQuoted(file), "--models", models.map(\.rawValue).joined(separator: ",")]
      if rescaled { words += ["--sigmas", list(sigmas)] }
    }
    words += ["--steps", "\(steps)", "--seeds", "\(seeds)", "--base-seed", "\(baseSeed)", "--input-scale", TSV.sigma(inputScale)]
    words += ["--precision", precision.rawValue, "--output", Self.shellQuoted(output)]
    return words.joined(separator: " ")
  }

  /// A path as one shell word: unchanged when it holds only safe characters, else in single
  /// quotes (a quote inside written '\'').
  static func shellQuoted(_ word: String) -> String {
    let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:,@".contains($0)) }
    return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}
