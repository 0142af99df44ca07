import Linalg

extension SequenceClassifier {
  /// What the distinct-token path keeps for the backward pass: the ids and their embedding
  /// rows E[u] (U × E).
  struct DistinctInputs: Sendable {
    let tokens: DistinctTokens
    let rows: Matrix<Scalar>
  }

  /// The recurrent layer run over the tokens, its inputs projected as `projection` says.
  func projectAndRun(_ tokens: ArraySlice<Int32>, batch B: Int, projection: InputProjection) -> (RecurrentTrace<Scalar>, DistinctInputs?) {
    switch projection {
    case .everyPosition:
      return (recurrent.forward(embedding.forward(tokens, batch: B), batch: B), nil)
    case .distinctTokens:
      let (distinct, rows, projected) = StepPhase.inputForward.time {
        let distinct = DistinctTokens(tokens, batch: B, vocabularySize: embedding.vocabularySize)
        let rows = embedding.rows(distinct.ids)
        // P = E[u] W_x + b once per id
        return (distinct, rows, recurrent.inputPreactivations(rows))
      }
      // a_x[t·B + b] = P[slot of tokens[b, t]], step t's rows copied just before step t
      let trace = StepPhase.recurrentForward.time {
        recurrent.forward(steps: distinct.positions / B, batch: B) { t, a in
          StepPhase.inputForward.time { distinct.gather(projected, step: t, batch: B, into: a) }
        }
      }
      return (trace, DistinctInputs(tokens: distinct, rows: rows))
    }
  }

  /// dW_x, db and the embedding gradient from dL/da_x of every position (T·B × G·H), the
  /// inputs as the forward pass left them: the embedded positions (`inputs`, every-position
  /// path) or the distinct ids and their rows.
  func projectionBackward(
    _ tokens: ArraySlice<Int32>, batch B: Int, inputs: Matrix<Scalar>, distinct: DistinctInputs?, preactivationGradient dA: Matrix<Scalar>,
    into gradient: inout SequenceClassifier
  ) {
    guard let distinct else {
      let dX = recurrent.inputGradients(inputs, preactivationGradient: dA, into: &gradient.recurrent)
      embedding.backward(tokens, batch: B, outputGradient: dX, into: &gradient.embedding.table)
      return
    }
    // dA_u = Σ over each id's positions of dA;  dW_x = E[u]ᵀ dA_u,  db = Σ dA_u,  dE[u] = dA_u W_xᵀ
    let dRows = recurrent.inputGradients(distinct.rows, preactivationGradient: distinct.tokens.sum(dA), into: &gradient.recurrent)
    embedding.backward(ids: distinct.tokens.ids, rowGradient: dRows, into: &gradient.embedding.table)
  }
}

extension SequenceClassifier {
  /// B × 1 logits, forward only: each distinct id projected once, and the layer run through
  /// `RecurrentLayer.finalState`, which keeps no trace, so evaluation can use large batches.
  /// The same numbers as `forward(tokens, batch: B).logits`.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func predict(_ tokens: ArraySlice<Int32>, batch B: Int) -> Matrix<Scalar> {
    let distinct = DistinctTokens(tokens, batch: B, vocabularySize: embedding.vocabularySize)
    let projected = recurrent.inputPreactivations(embedding.rows(distinct.ids))
    // a_x of step t: row b is P[slot of tokens[b, t]].
    let state = recurrent.finalState(steps: distinct.positions / B, batch: B) { t, a in distinct.gather(projected, step: t, batch: B, into: a) }
    return output.forward(state.hidden)
  }
}
