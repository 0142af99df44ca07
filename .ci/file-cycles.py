#!/usr/bin/env python3
"""Lists cycles between the Swift files of each module under Sources/.

File A uses file B when A names a type, function or constant that B declares at the top
level (or a static member of an extension B holds is not counted: only top-level names).
A cycle is a strongly connected group of two or more files. Exit status 1 if any cycle
is found outside ALLOWED. CI runs it (.ci/run).
"""
import glob
import os
import re
import sys

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:public |internal |package |fileprivate |private )?(?:final )?"
    r"(?:struct|enum|class|protocol|typealias|func|let|var|actor)\s+([A-Za-z_][A-Za-z0-9_]*)",
    re.M)


def code(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # Multi-line strings (help texts) first, then one-line strings.
    text = re.sub(r'"""(?:.|\n)*?"""', '""', text)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)


def cycles(files):
    names = {f: set(DECLARATION.findall(code(open(f).read()))) for f in files}
    uses = {}
    for f in files:
        body = code(open(f).read())
        words = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", body))
        uses[f] = {g for g in files if g != f and names[g] & words}
    # Tarjan's strongly connected components.
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in uses[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for f in files:
        if f not in index:
            visit(f)
    return groups


# The one group still allowed: Linalg's Matrix, its scalar protocol and the activations
# name each other (BLASScalar's requirements use Matrix, Matrix's element-wise code uses
# the activations). Untangling them is part of the speed work on Linalg; remove this entry
# when that lands. A cycle counts as allowed when all its files are listed here.
ALLOWED = {
    "Sources/Linalg/": {"Activations.swift", "BLASScalar.swift", "Matrix+Elementwise.swift", "Matrix.swift"},
}

found = False
for module in sorted(glob.glob("Sources/*/")):
    files = sorted(glob.glob(os.path.join(module, "**/*.swift"), recursive=True))
    groups = cycles(files)
    for group in groups:
        names = [os.path.relpath(f, module) for f in group]
        allowed = set(names) <= ALLOWED.get(module, set())
        found = found or not allowed
        print(("allowed cycle: " if allowed else "cycle: ") + " <-> ".join(names) + f"  ({module})")
    listed = ALLOWED.get(module, set())
    if listed and not any(set(os.path.relpath(f, module) for f in g) & listed for g in groups):
        print(f"note: {module} has no cycle among {sorted(listed)} any more; remove its ALLOWED entry")
sys.exit(1 if found else 0)
