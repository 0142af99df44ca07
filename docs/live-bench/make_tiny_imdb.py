# A small aclImdb-layout folder: reviews of random filler words; positive ones use "good" words more often.
import os, random, sys
root = sys.argv[1]; n_train = int(sys.argv[2]); n_test = int(sys.argv[3])
rng = random.Random(7)
filler = [f"word{i}" for i in range(300)]
good = ["great", "wonderful", "superb", "moving", "brilliant"]
bad = ["awful", "boring", "dull", "terrible", "waste"]
for split, n in (("train", n_train), ("test", n_test)):
    for label in ("pos", "neg"):
        d = os.path.join(root, "aclImdb", split, label); os.makedirs(d, exist_ok=True)
        for i in range(n // 2):
            words = [rng.choice(filler) for _ in range(rng.randint(20, 60))]
            marks = good if label == "pos" else bad
            for _ in range(rng.randint(1, 4)):
                words.insert(rng.randrange(len(words)), rng.choice(marks))
            rating = rng.randint(7, 10) if label == "pos" else rng.randint(1, 4)
            open(os.path.join(d, f"{i}_{rating}.txt"), "w").write(" ".join(words) + "\n")
