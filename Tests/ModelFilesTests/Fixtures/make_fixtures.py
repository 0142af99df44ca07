"""Small model files written by PyTorch and Keras themselves, and reference values computed by
PyTorch autograd in float64 (and Keras' own predict), for the import tests. CI does not run
this; its outputs are committed (a few KB each):

    python3 -m venv venv && venv/bin/pip install torch keras h5py safetensors numpy
    KERAS_BACKEND=torch venv/bin/python make_fixtures.py

Writes the fixtures beside this script and ../ModelReferenceValues.swift.

Reference for a recurrent unit (one layer, one direction) on inputs x (T x D): the Jacobians
J_t = dh_T/dh_t (H x H, t = 0..T) taken by autograd on the unrolled cell, with h_t an
intermediate node (for the LSTM c_t is its own node, so J_t holds c_t fixed, as GradLab's
dL/dh_t does). ||u J_t|| is then ||dL/dh_t|| for L = u . h_T, whatever the direction u.
Layer l > 0 reads the outputs of layer l - 1, forward and reverse side by side; the reverse
unit reads x_T..x_1, and its t counts its own steps.
"""
import json
import math
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import numpy as np
import torch
from safetensors.torch import save_file

torch.manual_seed(7)
HERE = os.path.dirname(os.path.abspath(__file__))
T, D, H = 6, 3, 4
out = []  # lines of ModelReferenceValues.swift


def path(name):
    return os.path.join(HERE, name)


def swift_array(name, values, doc=None):
    if doc:
        out.append(f"  /// {doc}\n")
    out.append(f"  static let {name}: [Double] = [{', '.join(f'{float(v):.17g}' for v in values)}]\n")


def cell_step(kind, w_ih, w_hh, b_ih, b_hh, x, h, c):
    """One step of PyTorch's equations (gates along rows of w_ih, PyTorch order)."""
    gi = x @ w_ih.T + b_ih
    gh = h @ w_hh.T + b_hh
    if kind == "lstm":
        i, f, g, o = (gi + gh).chunk(4)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c
    if kind == "gru":
        ir, iz, inn = gi.chunk(3)
        hr, hz, hn = gh.chunk(3)
        r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
        n = torch.tanh(inn + r * hn)
        return (1 - z) * n + z * h, c
    a = gi + gh
    return (torch.relu(a) if kind == "relu" else torch.tanh(a)), c


def unit_jacobians(kind, weights, x):
    """Hidden states h_1..h_T (T x H) and J_t = dh_T/dh_t for t = 0..T ((T+1) x H x H)."""
    w_ih, w_hh, b_ih, b_hh = weights
    hid = w_hh.shape[1]
    h = torch.zeros(hid, dtype=torch.float64, requires_grad=True)
    c = torch.zeros(hid, dtype=torch.float64)
    states = [h]
    for t in range(x.shape[0]):
        h, c = cell_step(kind, w_ih, w_hh, b_ih, b_hh, x[t], h, c)
        h.retain_grad()
        states.append(h)
    J = torch.zeros(len(states), hid, hid, dtype=torch.float64)
    for k in range(hid):
        grads = torch.autograd.grad(states[-1][k], states, retain_graph=True, allow_unused=True)
        for t, g in enumerate(grads):
            if g is not None:
                J[t, k] = g
    return torch.stack(states[1:]).detach(), J


def module_units(kind, module):
    """(layer, reverse, weights) for every unit of an nn.RNN / nn.LSTM / nn.GRU, in float64."""
    units = []
    for layer in range(module.num_layers):
        for reverse in ([False, True] if module.bidirectional else [False]):
            s = f"_l{layer}" + ("_reverse" if reverse else "")
            units.append((layer, reverse, [getattr(module, n + s).detach().double() for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]))
    return units


def stack_references(kind, module, x, name):
    """Per unit: J_t flattened; checks that the units recomposed give nn.Module's own output."""
    layer_input = x
    hidden = {}
    for layer, reverse, weights in module_units(kind, module):
        if layer > 0 and not reverse:
            prev = [hidden[(layer - 1, False)]] + ([hidden[(layer - 1, True)].flip(0)] if module.bidirectional else [])
            layer_input = torch.cat(prev, dim=1)
        seq = layer_input.flip(0) if reverse else layer_input
        states, J = unit_jacobians(kind, weights, seq)
        hidden[(layer, reverse)] = states
        swift_array(f"{name}L{layer}{'Reverse' if reverse else 'Forward'}", J.reshape(-1).tolist(),
                    f"J_t = dh_T/dh_t, t = 0..T, row-major H x H each: layer {layer} {'reverse' if reverse else 'forward'}.")
    last = module.num_layers - 1
    mine = torch.cat([hidden[(last, False)]] + ([hidden[(last, True)].flip(0)] if module.bidirectional else []), dim=1)
    with torch.no_grad():
        theirs = module.double()(x[:, None, :])[0][:, 0, :]
    assert torch.allclose(mine, theirs, atol=1e-12), f"{name}: recomposed units differ from PyTorch's module"


def pytorch_fixtures():
    x = torch.randn(T, D, dtype=torch.float64)
    save_file({"inputs": x.float().contiguous()}, path("inputs_t6_d3.safetensors"))
    x = x.float().double()  # what GradLab reads from the F32 file
    swift_array("inputs", x.reshape(-1).tolist(), "inputs_t6_d3.safetensors (T x D).")

    class Wrapped(torch.nn.Module):
        def __init__(self, rnn):
            super().__init__()
            self.rnn = rnn

    cases = [
        ("lstm", torch.nn.LSTM(D, H, num_layers=2), "lstm_2layer", "lstmTwoLayer"),
        ("lstm", torch.nn.LSTM(D, H, bidirectional=True), "lstm_bidirectional", "lstmBidirectional"),
        ("gru", torch.nn.GRU(D, H, num_layers=2, bidirectional=True), "gru_2layer_bidirectional", "gruTwoLayerBidirectional"),
        ("relu", torch.nn.RNN(D, H, nonlinearity="relu"), "rnn_relu", "reluRNN"),
    ]
    for kind, module, file, name in cases:
        if kind == "relu":  # larger weights, so the ReLU's kinks show at T = 6
            with torch.no_grad():
                module.weight_hh_l0.mul_(3.0)
                module.bias_ih_l0.add_(0.2)
        save_file(Wrapped(module).state_dict(), path(file + ".safetensors"))
        module = module.float().double()  # the F32 values GradLab reads
        stack_references(kind, module, x, name)
        if kind == "relu":
            _, J = unit_jacobians("tanh", module_units("tanh", module)[0][2], x)
            swift_array("reluRNNAsTanh", J.reshape(-1).tolist(), "the same weights run as a tanh RNN.")

    # Refused layouts.
    save_file(torch.nn.LSTM(D, H, proj_size=2).state_dict(), path("lstm_proj.safetensors"))
    two = {("encoder." + k): v for k, v in torch.nn.LSTM(D, H).state_dict().items()}
    two.update({("decoder." + k): v for k, v in torch.nn.GRU(D, H).state_dict().items()})
    save_file(two, path("two_modules.safetensors"))
    extra = dict(torch.nn.LSTM(D, H).state_dict())
    extra["norm.weight"] = torch.ones(H)
    save_file(extra, path("unknown_tensor.safetensors"))

    # A whole classifier: Embedding -> LSTM -> Linear(H, 1), on ids with labels.
    class Classifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(20, D)
            self.lstm = torch.nn.LSTM(D, H, batch_first=True)
            self.fc = torch.nn.Linear(H, 1)

        def forward(self, ids):
            out, _ = self.lstm(self.embedding(ids))
            return self.fc(out[:, -1]).squeeze(-1)

    model = Classifier()
    save_file(model.state_dict(), path("classifier.safetensors"))
    ids = torch.randint(1, 20, (2, T))
    labels = torch.tensor([1.0, 0.0])
    save_file({"ids": ids.to(torch.int64), "labels": labels}, path("classifier_ids.safetensors"))
    model = model.double()
    w = module_units("lstm", model.lstm)[0][2]
    emb = model.embedding.weight.detach().double()
    grads_sq = torch.zeros(T + 1, dtype=torch.float64)
    h = torch.zeros(2, H, dtype=torch.float64, requires_grad=True)
    c = torch.zeros(2, H, dtype=torch.float64)
    states = [h]
    for t in range(T):
        x_t = emb[ids[:, t]]
        gi = x_t @ w[0].T + w[2] + h @ w[1].T + w[3]
        i, f, g, o = gi.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        states.append(h)
    logits = h @ model.fc.weight.detach().double().T + model.fc.bias.detach().double()
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], labels.double())
    grads = torch.autograd.grad(loss, states)
    with torch.no_grad():
        assert torch.allclose(logits[:, 0], model(ids), atol=1e-12)
    swift_array("classifierGradNorms", [g.norm().item() for g in grads], "||dL/dh_t|| (B x H, Frobenius), t = 0..T, of the mean BCE loss.")
    swift_array("classifierLogits", logits[:, 0].tolist(), "the two logits.")


def keras_fixtures():
    import keras

    ids = np.array([[3, 7, 1, 12, 5, 9], [2, 2, 18, 4, 11, 6]], dtype="int32")

    def build(recurrent, stacked=None):
        layers = [keras.Input(shape=(T,), dtype="int32"), keras.layers.Embedding(20, D)]
        if stacked is not None:
            layers.append(stacked)
        layers += [recurrent, keras.layers.Dense(1, activation="sigmoid")]
        model = keras.Sequential(layers)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(ids, np.array([1.0, 0.0]), epochs=1, verbose=0)  # optimizer state in the file, too
        return model

    keras.utils.set_random_seed(3)
    model = build(keras.layers.LSTM(H))
    model.save(path("keras_lstm.keras"))
    model.save(path("keras_lstm.h5"))
    model.save_weights(path("keras_lstm.weights.h5"))
    swift_array("kerasIds", ids.reshape(-1).tolist(), "keras_ids (B x T).")
    swift_array("kerasLSTMPredictions", model.predict(ids, verbose=0).reshape(-1).tolist(), "Keras' own predict (float32).")
    lstm = keras.Model(model.inputs, model.layers[1].output)
    swift_array("kerasLSTMLastHidden", lstm.predict(ids, verbose=0).reshape(-1).tolist(), "the LSTM layer's output h_T (B x H).")

    model = build(keras.layers.GRU(H))
    model.save(path("keras_gru.keras"))
    swift_array("kerasGRUPredictions", model.predict(ids, verbose=0).reshape(-1).tolist(), "Keras' own predict (float32).")
    model = build(keras.layers.SimpleRNN(H, activation="relu"))
    model.save(path("keras_simplernn_relu.keras"))
    swift_array("kerasReLUPredictions", model.predict(ids, verbose=0).reshape(-1).tolist(), "Keras' own predict (float32).")
    model = build(keras.layers.LSTM(H), stacked=keras.layers.LSTM(H, return_sequences=True))
    model.save(path("keras_stacked.keras"))
    swift_array("kerasStackedPredictions", model.predict(ids, verbose=0).reshape(-1).tolist(), "Keras' own predict (float32).")

    # Refused: what GradLab cannot represent.
    build(keras.layers.GRU(H, reset_after=False)).save(path("keras_gru_reset_before.keras"))
    build(keras.layers.Bidirectional(keras.layers.LSTM(H))).save(path("keras_bidirectional.keras"))
    build(keras.layers.LSTM(H, go_backwards=True)).save(path("keras_go_backwards.keras"))
    out.append(f"  // Keras {keras.__version__} on backend {keras.backend.backend()}\n")


out.append(f"// Generated by Fixtures/make_fixtures.py (PyTorch {torch.__version__}). Do not edit.\n")
out.append("enum ModelReferenceValues {\n")
out.append(f"  static let (T, D, H) = ({T}, {D}, {H})\n")
pytorch_fixtures()
keras_fixtures()
out.append("}\n")
with open(os.path.join(HERE, "..", "ModelReferenceValues.swift"), "w") as f:
    f.writelines(out)
