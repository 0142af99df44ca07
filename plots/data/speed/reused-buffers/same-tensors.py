#!/usr/bin/env python3
"""Compares the tensors of two safetensors files byte for byte: same-tensors.py A B.
Prints the tensors that differ and the metadata keys that differ; exits 1 if any tensor differs."""
import json, struct, sys

def load(path):
    data = open(path, 'rb').read()
    n = struct.unpack('<Q', data[:8])[0]
    return json.loads(data[8:8 + n]), data[8 + n:]

(ha, da), (hb, db) = load(sys.argv[1]), load(sys.argv[2])
names = sorted(k for k in ha if k != '__metadata__')
if names != sorted(k for k in hb if k != '__metadata__'):
    sys.exit(f'the files hold different tensors')
def raw(h, d, k):
    lo, hi = h[k]['data_offsets']
    return d[lo:hi]
differing = [k for k in names if raw(ha, da, k) != raw(hb, db, k)]
ma, mb = ha.get('__metadata__', {}), hb.get('__metadata__', {})
print(f'{len(names)} tensors, {len(differing)} differ' + (': ' + ', '.join(differing) if differing else ''))
print('metadata keys that differ:', ', '.join(sorted(k for k in set(ma) | set(mb) if ma.get(k) != mb.get(k))) or 'none')
sys.exit(1 if differing else 0)
