#!/usr/bin/env python3
"""Compares two folders written by the same gradlab commands (.ci/behaviour-check.sh).

Every file must be byte-identical, except:
- wall-clock seconds: TSV columns and JSON keys whose name contains "seconds", which are
  blanked before comparing (their count is reported);
- JSON keys in ALLOWED_JSON_ADDITIONS that only the new file holds, with the value the old
  behaviour had (named in the output);
- checkpoints (.safetensors): every tensor both files hold must be byte-identical and the
  metadata equal but for the whole-file `checksum`, which covers the seconds (the
  configuration as JSON values: older checkpoints wrote its keys in a random order); a tensor or metadata key only one side holds is listed (a changed layout
  is reported, and is a failure unless it is listed in ALLOWED_LAYOUT_CHANGES); the
  epoch's metrics are compared as values, whichever way each side stores them.
Exit status 1 on any other difference.
"""
import json
import os
import struct
import sys

# Layout changes that are intended: (tensor or metadata key prefix, side that holds it).
ALLOWED_LAYOUT_CHANGES = [
    # SGD runs no longer store Adam's (zero) moments and step.
    ("adam.", "old"),
    ("adam_step", "old"),
    # The epoch's metrics as JSON instead of a metrics.tsv row.
    ("metrics_json", "new"),
    ("metrics", "old"),
]

# JSON keys a newer record adds with the value the older behaviour had: (key, value).
ALLOWED_JSON_ADDITIONS = [
    # A compare unit's settings name its optimiser (compare trained with Adam, no momentum).
    ("optimizer", "adam"),
    ("momentum", 0),
]

METRICS_HEADER = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "seconds", "grad_norm_median", "grad_norm_max"]
METRICS_KEYS = ["epoch", "trainLoss", "trainAccuracy", "validationLoss", "validationAccuracy", "seconds",
                "gradientNormMedian", "gradientNormMax"]

blanked = 0
notes = []
failures = []


def tsv(path):
    global blanked
    lines = open(path, encoding="utf-8").read().split("\n")
    header = lines[0].split("\t")
    timed = [i for i, name in enumerate(header) if "seconds" in name]
    out = []
    for line in lines:
        fields = line.split("\t")
        for i in timed:
            if line is not lines[0] and i < len(fields):
                fields[i] = "<seconds>"
                blanked += 1
        out.append(fields)
    return out


def without_additions(old, new):
    """`new` without the ALLOWED_JSON_ADDITIONS keys that `old` lacks at the same place."""
    if isinstance(old, dict) and isinstance(new, dict):
        result = {}
        for key, item in new.items():
            if key not in old and (key, item) in ALLOWED_JSON_ADDITIONS:
                notes.append(f"JSON key {key!r} = {item!r} only in the new run")
                continue
            result[key] = without_additions(old.get(key), item)
        return result
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [without_additions(a, b) for a, b in zip(old, new)]
    return new


def untimed(value):
    global blanked
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if "seconds" in key.lower():
                blanked += 1
                result[key] = "<seconds>"
            else:
                result[key] = untimed(item)
        return result
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    tensors = {name: (e["dtype"], e["shape"], body[e["data_offsets"][0]:e["data_offsets"][1]]) for name, e in header.items()}
    return tensors, metadata


def metrics_of(metadata):
    if "metrics_json" in metadata:
        m = json.loads(metadata["metrics_json"])
        return {k: m.get(k) for k in METRICS_KEYS if k != "seconds"}
    if "metrics" in metadata:
        fields = metadata["metrics"].split("\t")
        row = dict(zip(METRICS_HEADER, fields))
        return {k: (int(row[h]) if h == "epoch" else float(row[h])) for h, k in zip(METRICS_HEADER, METRICS_KEYS) if k != "seconds"}
    return None


def allowed(name, side):
    return any(name.startswith(prefix) and side == s for prefix, s in ALLOWED_LAYOUT_CHANGES)


def layout(rel, kind, names, side):
    intended = sorted(n for n in names if allowed(n, side))
    if intended:
        notes.append(f"{rel}: {len(intended)} {kind} entries only in the {side} run ({', '.join(intended[:2])}{', ...' if len(intended) > 2 else ''})")
    for name in sorted(set(names) - set(intended)):
        failures.append(f"{rel}: {kind} {name} only in the {side} run")


def compare_checkpoints(rel, a, b):
    (ta, ma), (tb, mb) = safetensors(a), safetensors(b)
    layout(rel, "tensor", ta.keys() - tb.keys(), "old")
    layout(rel, "tensor", tb.keys() - ta.keys(), "new")
    for name in sorted(ta.keys() & tb.keys()):
        if ta[name] != tb[name]:
            failures.append(f"{rel}: tensor {name} differs")
    if metrics_of(ma) != metrics_of(mb):
        failures.append(f"{rel}: the epoch's metrics differ: {metrics_of(ma)} vs {metrics_of(mb)}")
    # The whole-file checksum covers the metrics' wall-clock seconds, so it differs between
    # any two runs; the tensors and every other entry are compared themselves.
    skip = {"metrics", "metrics_json", "tensor_checksum", "checksum"}
    layout(rel, "metadata", (ma.keys() - mb.keys()) - skip, "old")
    layout(rel, "metadata", (mb.keys() - ma.keys()) - skip, "new")
    for key in sorted((ma.keys() & mb.keys()) - skip):
        if key == "configuration" and json.loads(ma[key]) == json.loads(mb[key]):
            continue  # the same JSON (older checkpoints wrote its keys in random order)
        if ma[key] != mb[key]:
            failures.append(f"{rel}: metadata {key} differs: {ma[key]!r} vs {mb[key]!r}")
    if ta.keys() == tb.keys() and ma.get("tensor_checksum") != mb.get("tensor_checksum"):
        failures.append(f"{rel}: tensor checksums differ")


def main(old, new):
    def files(root):
        return {os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs}

    fa, fb = files(old), files(new)
    for rel in sorted(fa - fb):
        failures.append(f"{rel}: only in the old run")
    for rel in sorted(fb - fa):
        failures.append(f"{rel}: only in the new run")
    compared = 0
    for rel in sorted(fa & fb):
        a, b = os.path.join(old, rel), os.path.join(new, rel)
        compared += 1
        if open(a, "rb").read() == open(b, "rb").read():
            continue
        if rel.endswith(".tsv"):
            if tsv(a) != tsv(b):
                failures.append(f"{rel}: differs")
        elif rel.endswith(".json"):
            ja, jb = json.load(open(a)), json.load(open(b))
            if untimed(ja) != untimed(without_additions(ja, jb)):
                failures.append(f"{rel}: differs")
        elif rel.endswith(".safetensors"):
            compare_checkpoints(rel, a, b)
        else:
            failures.append(f"{rel}: differs (bytes)")
    print(f"compared {compared} files; {blanked} wall-clock seconds fields left out")
    for note in sorted(set(notes)):
        print("intended layout change: " + note)
    for failure in failures:
        print("DIFFERENCE: " + failure)
    print("behaviour: identical" if not failures else f"behaviour: {len(failures)} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
