/// How `SequenceClassifier` turns tokens into the gate pre-activations a_x = E[token] W_x + b.
/// Both give the same numbers up to the order of additions.
public enum InputProjection: Sendable {
  /// Project each distinct id of the batch once, P = E[u] W_x + b (U × G·H), and gather
  /// rows of P for the positions; backward sums each id's dL/da_x rows (in position order)
  /// before dW_x = E[u]ᵀ dA_u and dE[u] = dA_u W_xᵀ. About 5 times less input-side work on
  /// IMDB batches; what training and evaluation use.
  case distinctTokens
  /// Embed every position (T·B × E) and project it: the textbook path, which also gives
  /// dL/dx_t per position.
  case everyPosition
}
