"""A GradLab checkpoint (Embedding -> RNN/LSTM/GRU -> Dense(1)) loaded into PyTorch and Keras.

    pip install torch keras safetensors numpy
    KERAS_BACKEND=torch python3 docs/gradlab_to_frameworks.py runs/imdb-lstm/best.safetensors ids.safetensors

ids.safetensors holds `ids` (B x T token ids, GradLab's vocabulary). Prints the logits of
PyTorch (float64) and Keras (float32) and fails unless they agree; with --expect FILE (one
logit per line) it also fails unless both match those.

GradLab stores Keras' layout: kernel D x G*H, recurrent_kernel H x G*H, bias G*H, gates LSTM
i f g o (Keras and PyTorch alike), GRU z r n (PyTorch: r z n) with the GRU's recurrent bias
apart (Keras reset_after=True: bias [b; b_h]); PyTorch stores the transposes.
"""
import argparse
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np
import torch
from safetensors.numpy import load_file


def read(path):
    t = load_file(path)
    kernel, recurrent = t["recurrent.kernel"], t["recurrent.recurrent_kernel"]
    H = recurrent.shape[0]
    cell = {1: "rnn", 3: "gru", 4: "lstm"}[recurrent.shape[1] // H]
    rb = t.get("recurrent.recurrent_bias")
    return cell, t["embedding.embeddings"], kernel, recurrent, t["recurrent.bias"].reshape(-1), \
        (rb.reshape(-1) if rb is not None and rb.size else None), t["dense.kernel"], t["dense.bias"].reshape(-1)


def pytorch_logits(weights, ids):
    cell, emb, kernel, recurrent, bias, rbias, dense_w, dense_b = weights
    H = recurrent.shape[0]
    order = [1, 0, 2] if cell == "gru" else list(range(kernel.shape[1] // H))  # GRU z r n -> r z n
    gates = lambda m: np.concatenate([m[..., g * H:(g + 1) * H] for g in order], axis=-1)
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](emb.shape[1], H, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.tensor(gates(kernel).T))
        module.weight_hh_l0.copy_(torch.tensor(gates(recurrent).T))
        module.bias_ih_l0.copy_(torch.tensor(gates(bias)))
        module.bias_hh_l0.copy_(torch.tensor(gates(rbias)) if rbias is not None else torch.zeros(kernel.shape[1], dtype=torch.float64))
        x = torch.nn.functional.embedding(torch.tensor(ids, dtype=torch.long), torch.tensor(emb, dtype=torch.float64))
        out, _ = module(x)
        return (out[:, -1] @ torch.tensor(dense_w, dtype=torch.float64) + torch.tensor(dense_b, dtype=torch.float64))[:, 0].numpy()


def keras_logits(weights, ids):
    import keras
    cell, emb, kernel, recurrent, bias, rbias, dense_w, dense_b = weights
    H = recurrent.shape[0]
    layer = {"rnn": keras.layers.SimpleRNN(H), "lstm": keras.layers.LSTM(H), "gru": keras.layers.GRU(H, reset_after=True)}[cell]
    model = keras.Sequential([keras.Input(shape=(ids.shape[1],), dtype="int32"), keras.layers.Embedding(*emb.shape), layer, keras.layers.Dense(1)])
    model.layers[0].set_weights([emb])
    model.layers[1].set_weights([kernel, recurrent, np.stack([bias, rbias]) if cell == "gru" else bias])
    model.layers[2].set_weights([dense_w, dense_b])
    return model.predict(ids.astype("int32"), verbose=0)[:, 0]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("ids")
    parser.add_argument("--expect", help="a file of the expected logits, one per line")
    args = parser.parse_args()
    weights = read(args.checkpoint)
    ids = load_file(args.ids)["ids"]
    torch_out, keras_out = pytorch_logits(weights, ids), keras_logits(weights, ids)
    for a, b in zip(torch_out, keras_out):
        print(f"{a:.17g}\t{b:.9g}")
    assert np.allclose(torch_out, keras_out, rtol=1e-5, atol=1e-6), "PyTorch and Keras disagree"
    if args.expect:
        expected = np.loadtxt(args.expect)
        assert np.allclose(torch_out, expected, rtol=1e-12, atol=1e-14), f"PyTorch {torch_out} != expected {expected}"
        assert np.allclose(keras_out, expected, rtol=1e-5, atol=1e-6), f"Keras {keras_out} != expected {expected}"
        print("PyTorch and Keras give the expected logits")
