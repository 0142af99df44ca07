#!/usr/bin/env python3
"""FNV-1a (64 bits) of prefixes of bytes(range(256)) * 4 + b"GradLab", without any GradLab
code: the reference values of FNV1aTests. Run: python3 fnv1a_reference.py"""
data = bytes(range(256)) * 4 + b"GradLab"
for n in [0, 1, 7, 8, 9, 15, 16, 17, 1031]:
    h = 0xCBF29CE484222325
    for byte in data[:n]:
        h = ((h ^ byte) * 0x100000001B3) % 2**64
    print(f"({n}, 0x{h:016x}),")
