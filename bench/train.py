"""Training speed: nnviz's vectorised mini-batch SGD against a per-example backprop loop.

Both train the same 784-16-16-10 sigmoid network (same initial weights, same shuffles, same
hyper-parameters) on the embedded train split; the reference computes each example's
gradient on its own, as the textbook loop does, and sums them per mini-batch.
Also times the forward pass of all 10,000 embedded digits.

    .venv/bin/python bench/train.py [--epochs 40] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from nnviz.core.activations import sigmoid, sigmoid_prime
from nnviz.core.network import Network
from nnviz.core.paths import EMBEDDED_DATASET
from nnviz.core.training import accuracy, as_inputs, one_hot, train


def backprop_one(net: Network, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The textbook per-example backprop: column vectors, fresh gradient lists, sigma' from z."""
    activation, activations, sums = x, [x], []
    for w, b in zip(net.weights, net.biases):
        z = np.dot(w, activation) + b
        sums.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    delta = activations[-1] - y  # cross-entropy with a sigmoid output
    nabla_w[-1] = np.dot(delta, activations[-2].T)
    nabla_b[-1] = delta
    for l in range(2, len(net.sizes)):
        delta = np.dot(net.weights[-l + 1].T, delta) * sigmoid_prime(sums[-l])
        nabla_w[-l] = np.dot(delta, activations[-l - 1].T)
        nabla_b[-l] = delta
    return nabla_w, nabla_b


def train_per_example(
    net: Network, x: np.ndarray, y: np.ndarray, epochs: int, batch: int, lr: float, seed: int
) -> None:
    """Cross-entropy SGD with one backprop per example, summed per mini-batch (sigmoid everywhere).

    Biases are held as column vectors here, as in the textbook loop, and written back at the end.
    """
    rng = np.random.default_rng(seed)
    columns = x[:, :, None]
    targets = y[:, :, None]
    net.biases = [b[:, None] for b in net.biases]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            sum_w = [np.zeros(w.shape) for w in net.weights]
            sum_b = [np.zeros(b.shape) for b in net.biases]
            for i in idx:
                delta_w, delta_b = backprop_one(net, columns[i], targets[i])
                sum_w = [s + d for s, d in zip(sum_w, delta_w)]
                sum_b = [s + d for s, d in zip(sum_b, delta_b)]
            net.weights = [w - (lr / len(idx)) * s for w, s in zip(net.weights, sum_w)]
            net.biases = [b - (lr / len(idx)) * s for b, s in zip(net.biases, sum_b)]
    net.biases = [b[:, 0] for b in net.biases]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with np.load(EMBEDDED_DATASET) as d:
        images, labels, test = d["images"], d["labels"], d["test"]
    x_train, y_train = as_inputs(images[~test]), labels[~test]
    # The shipped network's hyper-parameters (the defaults of `nnviz train`).
    hyper = dict(epochs=args.epochs, batch=32, lr=1.0, seed=0)

    fast_times, slow_times = [], []
    for _ in range(args.repeats):
        fast = Network([784, 16, 16, 10], seed=0)
        t0 = time.perf_counter()
        train(
            fast,
            x_train,
            y_train,
            epochs=hyper["epochs"],
            batch_size=hyper["batch"],
            lr=hyper["lr"],
            seed=hyper["seed"],
        )
        fast_times.append(time.perf_counter() - t0)
        slow = Network([784, 16, 16, 10], seed=0)
        t0 = time.perf_counter()
        train_per_example(slow, x_train, one_hot(y_train, 10), **hyper)
        slow_times.append(time.perf_counter() - t0)
    acc_fast = accuracy(fast, images[test], labels[test])
    acc_slow = accuracy(slow, images[test], labels[test])

    all_inputs = as_inputs(images)
    net = Network([784, 16, 16, 10], seed=0)
    forward_times = []
    for _ in range(20):
        t0 = time.perf_counter()
        net.forward(all_inputs)
        forward_times.append(time.perf_counter() - t0)

    f, s = statistics.median(fast_times), statistics.median(slow_times)
    print(
        f"training, {hyper['epochs']} epochs on {len(x_train)} digits, batch {hyper['batch']}, lr {hyper['lr']}, "
        f"median of {args.repeats}:"
    )
    print(f"  vectorised mini-batch   {f:8.2f} s   held-out accuracy {acc_fast:.4f}")
    print(f"  per-example loop        {s:8.2f} s   held-out accuracy {acc_slow:.4f}")
    print(f"  speed-up                {s / f:8.1f}x  accuracy difference {100 * abs(acc_fast - acc_slow):.2f} points")
    median_ms = 1000 * statistics.median(forward_times)
    print(
        f"forward pass of all {len(all_inputs)} embedded digits: median {median_ms:.1f} ms "
        f"(min {1000 * min(forward_times):.1f} ms, 20 runs)"
    )


if __name__ == "__main__":
    main()
