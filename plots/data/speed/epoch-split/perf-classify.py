import sys, re, collections
# perf script output: a header line per sample, then stack frames, blank line between samples.
cats = [("summarize", "summarize"), ("checkpoint", "CheckpointV5write"), ("probe", "GradientProbe"),
        ("spectrum", "RecurrentSpectrum"), ("evaluation", "EvaluationV3run"), ("training", "EpochLoop"),
        ("training", "ShardedGradient"), ("training", "trainStep"), ("tsv", "TSVTable"), ("load", "IMDB")]
counts = collections.Counter()
frames = []
def flush():
    if not frames: return
    text = "\n".join(frames)
    for name, key in cats:
        if key in text:
            counts[name] += 1; break
    else:
        counts["other"] += 1
for line in sys.stdin:
    if line.strip() == "":
        flush(); frames = []
    else:
        frames.append(line)
flush()
total = sum(counts.values())
for k, v in counts.most_common(): print(f"{k:12s} {v:7d} {100*v/total:6.2f}%")
