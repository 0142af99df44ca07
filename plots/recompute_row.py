#!/usr/bin/env python3
"""Recompute one row of a gradlab decay table with PyTorch (float64 autograd), from the files
the sweep wrote beside it, without any GradLab code:

  decay_inputs.safetensors   inputs.seed<s> (T x D, row t-1 = x_t), direction.seed<s> (1 x H)
  decay_weights.safetensors  <model>.seed<s>.{kernel, recurrent_kernel, bias, recurrent_bias,
                             block_norms}: the layer before it was rescaled to sigma
  decay_config.json          T, H and the cells' conventions; decay.tsv the row to compare

GradLab's layout is Keras': row vectors, h_t = phi(x_t kernel + h_{t-1} recurrent_kernel + bias),
gate blocks side by side (LSTM i f g o, GRU z r n with r applied after the recurrent product).
At sigma every gate block g of recurrent_kernel is multiplied by sigma / block_norms[g]
(metadata rescaled = "false": an imported layer analysed as it is). The loss is L = u . h_T
from h_0 = 0 (and c_0 = 0); grad_norm = ||dL/dh_t|| (LSTM: c_t held fixed, as autograd's
h_t.grad is) and product_norm = sigma_max(dh_T/dh_t), at lag = T - t.

    python3 plots/recompute_row.py plots/data --model lstm --sigma 0.5 --seed 1 --lag 40

Needs only torch (pip install torch). Tables written with `gradlab decay --precision full`
hold 17 significant digits and agree to about 1e-15, except where the forward pass itself is
chaotic (the tanh RNN at sigma = 3: rounding differences grow along the sequence, about 1e-8);
the default 7 digits limit the agreement to about 5e-7.
"""
import argparse
import json
import struct
from pathlib import Path

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32}


def read_safetensors(path):
    """{name: tensor (float64)} and the metadata of a safetensors file."""
    data = Path(path).read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    metadata = header.pop("__metadata__", {})
    body = data[8 + size:]
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"]).to(torch.float64)
    return tensors, metadata


def step(model, x, h, c, wx, wh, b, bh):
    """One step of GradLab's cells (row vectors): returns (h_t, c_t)."""
    H = h.shape[1]
    if model == "linear":
        return x @ wx + b + h @ wh, c
    if model == "rnn":
        return torch.tanh(x @ wx + b + h @ wh), c
    if model == "lstm":
        a = x @ wx + b + h @ wh
        i, f = torch.sigmoid(a[:, :H]), torch.sigmoid(a[:, H:2 * H])
        g, o = torch.tanh(a[:, 2 * H:3 * H]), torch.sigmoid(a[:, 3 * H:])
        c = f * c + i * g
        return o * torch.tanh(c), c
    if model == "gru":
        ax, ah = x @ wx + b, h @ wh + bh
        z = torch.sigmoid(ax[:, :H] + ah[:, :H])
        r = torch.sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
        n = torch.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
        return z * h + (1 - z) * n, c
    raise ValueError(f"unknown model {model}")


def recompute(folder, model, sigma, seed, lag):
    folder = Path(folder)
    inputs, _ = read_safetensors(folder / "decay_inputs.safetensors")
    weights, metadata = read_safetensors(folder / "decay_weights.safetensors")
    x, u = inputs[f"inputs.seed{seed}"], inputs[f"direction.seed{seed}"]
    name = f"{model}.seed{seed}."
    wx, wh, b = weights[name + "kernel"], weights[name + "recurrent_kernel"].clone(), weights[name + "bias"]
    bh = weights.get(name + "recurrent_bias", torch.zeros_like(b))
    T, H = x.shape[0], wh.shape[0]
    if metadata.get("rescaled", "true") == "true":
        for g, norm in enumerate(weights[name + "block_norms"].reshape(-1).tolist()):
            wh[:, g * H:(g + 1) * H] *= sigma / norm  # W_g <- (sigma / ||W_g||) W_g, as GradLab
    hs = [torch.zeros(1, H, dtype=torch.float64, requires_grad=True)]
    c = torch.zeros(1, H, dtype=torch.float64)
    for t in range(T):
        h, c = step(model, x[t:t + 1], hs[-1], c, wx, wh, b.reshape(1, -1), bh.reshape(1, -1))
        h.retain_grad()
        hs.append(h)
    t = T - lag
    # grad_norm: dL/dh_t for L = u . h_T.
    (u * hs[T]).sum().backward(retain_graph=True)
    grad_norm = hs[t].grad.norm().item()
    # product_norm: the largest singular value of the Jacobian dh_T/dh_t, one row per unit.
    rows = []
    for i in range(H):
        hs[t].grad = None
        hs[T][0, i].backward(retain_graph=True)
        rows.append(hs[t].grad.reshape(-1).clone())
    product_norm = torch.linalg.matrix_norm(torch.stack(rows), ord=2).item()
    return grad_norm, product_norm


def table_row(folder, model, sigma, seed, lag):
    """The decay.tsv row for (model, sigma, seed, lag) as {column: text}."""
    lines = (Path(folder) / "decay.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        if row["model"] == model and float(row["sigma"]) == sigma and int(row["seed"]) == seed and int(row["lag"]) == lag:
            return row
    raise SystemExit(f"no row model={model} sigma={sigma} seed={seed} lag={lag} in {folder}/decay.tsv")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="the folder gradlab decay wrote (e.g. plots/data)")
    parser.add_argument("--model", required=True, choices=["linear", "rnn", "lstm", "gru"])
    parser.add_argument("--sigma", required=True, type=float)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lag", type=int, required=True)
    args = parser.parse_args()
    row = table_row(args.folder, args.model, args.sigma, args.seed, args.lag)
    grad_norm, product_norm = recompute(args.folder, args.model, float(row["sigma"]), args.seed, args.lag)
    for column, value in (("grad_norm", grad_norm), ("product_norm", product_norm)):
        table = float(row[column])
        print(f"{column:12s} table {row[column]:>24s}  recomputed {value:.17g}  relative difference {abs(value - table) / abs(table):.2e}")


if __name__ == "__main__":
    main()
