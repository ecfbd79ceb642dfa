#!/usr/bin/env python3
"""Compare two cfsim result files: every dataset bit for bit (NaN payloads included) and
every attribute, except root attributes that record how and when a file was made.

usage: compare_results.py A.h5 B.h5 [--ignore ATTR ...]
exit 0 when equal, 1 with the first differences printed otherwise.
"""
import sys

import h5py
import numpy as np

DEFAULT_IGNORE = {"created_utc", "command_line", "merged_from"}


def plain(v, f):
    """An attribute value with HDF5 object references replaced by the names they point to."""
    if isinstance(v, h5py.Reference):
        return f[v].name if v else None
    if isinstance(v, np.void):
        return tuple(plain(x, f) for x in v)
    if isinstance(v, np.ndarray):
        if v.dtype.kind == "O" or v.dtype.names:
            return [plain(x, f) for x in v.tolist()] if v.dtype.kind == "O" else [plain(x, f) for x in v]
        return v.tobytes()
    if isinstance(v, (list, tuple)):
        return [plain(x, f) for x in v]
    return repr(v)


def attrs(obj, ignore):
    out = {}
    for k, v in obj.attrs.items():
        if k in ignore:
            continue
        out[k] = plain(v, obj.file)
    return out


def main():
    args = sys.argv[1:]
    ignore = set(DEFAULT_IGNORE)
    if "--ignore" in args:
        i = args.index("--ignore")
        ignore |= set(args[i + 1:])
        args = args[:i]
    a_path, b_path = args
    diffs = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        if attrs(a, ignore) != attrs(b, ignore):
            ka, kb = attrs(a, ignore), attrs(b, ignore)
            for k in sorted(set(ka) | set(kb)):
                if ka.get(k) != kb.get(k):
                    diffs.append(f"root attribute {k}: {ka.get(k)!r:.80} != {kb.get(k)!r:.80}")
        names_a, names_b = [], []
        a.visit(names_a.append)
        b.visit(names_b.append)
        if names_a != names_b:
            diffs.append(f"objects differ: {sorted(set(names_a) ^ set(names_b))}")
        for name in names_a:
            if name not in b:
                continue
            x, y = a[name], b[name]
            if isinstance(x, h5py.Dataset):
                if x.dtype != y.dtype or x.shape != y.shape:
                    diffs.append(f"{name}: {x.dtype}{x.shape} != {y.dtype}{y.shape}")
                elif x[()].tobytes() != y[()].tobytes():
                    diffs.append(f"{name}: values differ")
            if name != "" and attrs(x, set()) != attrs(y, set()):
                diffs.append(f"{name}: attributes differ")
    if diffs:
        print(f"{a_path} and {b_path} differ:")
        for d in diffs[:20]:
            print("  " + d)
        return 1
    print(f"{a_path} == {b_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
