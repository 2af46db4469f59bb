"""The cost of recording snapshots: training with and without ``snapshots=SnapshotPlan()``.

Both runs train the shipped network's configuration (784-16-16-10 sigmoid, cross-entropy, 40 epochs,
batch 32, lr 1.0, seed 0) on the embedded train split and measure the held-out accuracy after every
epoch, as ``nnviz train`` does; the second also keeps the shipped plan's 35 snapshots (parameters,
held-out accuracy and cost). The runs alternate so that a busy machine slows both alike; the
target is a median ratio of at most 1.10.

    .venv/bin/python bench/snapshots.py [--repeats 7] [--check]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from nnviz.core.datasets import load_dataset
from nnviz.core.network import Network
from nnviz.core.snapshots import SnapshotPlan
from nnviz.core.training import train

MAX_RATIO = 1.10


def timed(plan: SnapshotPlan | None, data: tuple[np.ndarray, ...]) -> tuple[float, float, Network]:
    """(wall seconds, CPU seconds of this process, the trained network) of one training run."""
    x, y, tx, ty = data
    net = Network([784, 16, 16, 10], seed=0)
    start, cpu = time.perf_counter(), time.process_time()
    train(net, x, y, epochs=40, batch_size=32, lr=1.0, seed=0, test=(tx, ty), snapshots=plan)
    return time.perf_counter() - start, time.process_time() - cpu, net


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if the median ratio exceeds {MAX_RATIO}")
    args = parser.parse_args(argv)
    train_set, test_set = load_dataset(split="train"), load_dataset(split="test")
    data = (train_set.images, train_set.labels, test_set.images, test_set.labels)
    plain, recorded, ratios, cpu_ratios = [], [], [], []
    for i in range(args.repeats):
        a, cpu_a, net_a = timed(None, data)
        b, cpu_b, net_b = timed(SnapshotPlan(), data)
        assert all(np.array_equal(u, v) for u, v in zip(net_a.weights, net_b.weights)), "snapshots changed training"
        plain.append(a)
        recorded.append(b)
        ratios.append(b / a)
        cpu_ratios.append(cpu_b / cpu_a)
        print(
            f"run {i + 1}/{args.repeats}: without {a:6.2f} s   with snapshots {b:6.2f} s   ratio {b / a:5.3f}"
            f"   (CPU {cpu_a:5.2f} s / {cpu_b:5.2f} s, ratio {cpu_b / cpu_a:5.3f})"
        )
    ratio = statistics.median(ratios)
    print(
        f"median of {args.repeats}: without {statistics.median(plain):.2f} s, "
        f"with {statistics.median(recorded):.2f} s, "
        f"wall ratio {ratio:.3f}, CPU ratio {statistics.median(cpu_ratios):.3f} (target <= {MAX_RATIO})"
    )
    return 1 if args.check and ratio > MAX_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
