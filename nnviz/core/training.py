"""Mini-batch stochastic gradient descent with backpropagation.

For a batch of m examples the cost is the mean over the batch of

* cross-entropy: ``C = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)]``
* quadratic:     ``C = 1/2 ||a - y||^2``

Backpropagation computes the output error ``delta(L) = dC/dz(L)`` and pulls it back
one layer at a time, ``delta(l) = (W(l+1)^T delta(l+1)) * f'(z(l))``; the gradients are
``dC/dW(l) = delta(l) a(l-1)^T`` and ``dC/db(l) = delta(l)``, averaged over the batch.
The whole batch goes through as one matrix product per layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .activations import sigmoid
from .blas import one_blas_thread
from .errors import NnvizError
from .network import Network
from .snapshots import RunSettings, SnapshotPlan, SnapshotRecorder, Snapshots

COSTS = ("cross-entropy", "quadratic")

#: Called after each mini-batch with (epoch, batch_index, batch_count), epoch counted from 1.
BatchCallback = Callable[[int, int, int], None]
#: Called after each epoch with (epoch, held-out accuracy or None).
EpochCallback = Callable[[int, "float | None"], None]


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Labels (N,) as an (N, classes) matrix of 0s with a 1 in each label's column.

    >>> one_hot(np.array([2, 0]), 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    labels = np.asarray(labels, dtype=int)
    out = np.zeros((labels.size, classes))
    out[np.arange(labels.size), labels] = 1.0
    return out


def cost(network: Network, x: np.ndarray, y: np.ndarray, kind: str = "cross-entropy") -> float:
    """Mean cost of the network on inputs ``x`` (N, n) against one-hot targets ``y`` (N, classes)."""
    return output_cost(network.forward(x).output, y, kind)


def output_cost(a: np.ndarray, y: np.ndarray, kind: str = "cross-entropy") -> float:
    """Mean cost of output activations ``a`` (N, classes) against one-hot targets ``y``.

    >>> round(output_cost(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]]), "quadratic"), 3)
    0.25
    """
    if kind == "quadratic":
        return float(0.5 * np.sum((a - y) ** 2) / len(a))
    if kind == "cross-entropy":
        a = np.clip(a, 1e-12, 1 - 1e-12)
        return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / len(a))
    raise NnvizError(f"unknown cost {kind!r}; use one of: {', '.join(COSTS)}")


def backprop(
    network: Network, x: np.ndarray, y: np.ndarray, kind: str = "cross-entropy"
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Gradients (dC/dW per layer, dC/db per layer) of the mean cost over a batch.

    >>> net = Network([3, 2], seed=0)
    >>> gw, gb = backprop(net, np.ones((1, 3)), np.array([[1.0, 0.0]]))
    >>> gw[0].shape, gb[0].shape
    ((2, 3), (2,))
    """
    # A lean forward pass (no input checks, no Trace): this runs once per mini-batch.
    a = np.atleast_2d(x)
    activations, sums = [a], []
    last = len(network.weights) - 1
    for l, (w, b) in enumerate(zip(network.weights, network.biases)):
        z = a @ w.T
        z += b
        a = sigmoid(z) if l == last else network.activation_function(z)
        sums.append(z)
        activations.append(a)
    m = len(a)
    if kind == "cross-entropy":
        # The output layer is a sigmoid, so dC/dz simplifies to a - y.
        delta = a - y
    elif kind == "quadratic":
        delta = (a - y) * a * (1.0 - a)  # sigmoid'(z) = a (1 - a)
    else:
        raise NnvizError(f"unknown cost {kind!r}; use one of: {', '.join(COSTS)}")
    hidden_sigmoid = network.activation == "sigmoid"
    grad_w: list[np.ndarray] = [np.empty(0)] * len(network.weights)
    grad_b: list[np.ndarray] = [np.empty(0)] * len(network.biases)
    for l in range(last, -1, -1):
        grad_w[l] = (delta.T @ activations[l]) / m
        grad_b[l] = delta.sum(axis=0) / m
        if l > 0:
            a_l = activations[l]
            slope = a_l * (1.0 - a_l) if hidden_sigmoid else network.activation_derivative(sums[l - 1])
            delta = (delta @ network.weights[l]) * slope
    return grad_w, grad_b


def _sgd_step(network: Network, x: np.ndarray, y: np.ndarray, lr: float, kind: str) -> None:
    """One gradient step on a mini-batch: :func:`backprop` fused with the update.

    The output error is scaled by lr/m once; because backpropagation is linear in delta,
    every layer's update ``W -= delta^T a`` then already carries the step size.
    """
    weights, biases = network.weights, network.biases
    last = len(weights) - 1
    a = x
    activations, sums = [a], []
    for l in range(last + 1):
        z = a @ weights[l].T
        z += biases[l]
        a = sigmoid(z) if l == last else network.activation_function(z)
        sums.append(z)
        activations.append(a)
    delta = a - y
    if kind == "quadratic":
        delta *= a * (1.0 - a)
    delta *= lr / len(x)
    hidden_sigmoid = network.activation == "sigmoid"
    for l in range(last, -1, -1):
        below = None
        if l > 0:  # propagate with the weights before this step's update
            a_l = activations[l]
            slope = a_l * (1.0 - a_l) if hidden_sigmoid else network.activation_derivative(sums[l - 1])
            below = (delta @ weights[l]) * slope
        weights[l] -= delta.T @ activations[l]
        biases[l] -= delta.sum(axis=0)
        if below is not None:
            delta = below


def accuracy(network: Network, images: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of ``images`` whose brightest output neuron is the label."""
    if len(labels) == 0:
        raise NnvizError("cannot measure accuracy on an empty dataset")
    return float(np.mean(network.predict(as_inputs(images)) == np.asarray(labels)))


def as_inputs(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) images (or already-flat floats) as float rows in [0, 1]."""
    images = np.asarray(images)
    flat = images.reshape(len(images), -1)
    return flat / 255.0 if images.dtype == np.uint8 else flat.astype(float)


@dataclass
class History:
    """Held-out accuracy after each completed epoch; ``epochs`` is how many completed.

    ``snapshots`` is the recorded run when ``train`` was given a :class:`SnapshotPlan`.
    """

    accuracies: list[float] = field(default_factory=list)
    epochs: int = 0
    snapshots: Snapshots | None = None


class _HeldOut:
    """The held-out split as float rows, one-hot targets and labels: measured once per snapshot/epoch."""

    def __init__(self, test: tuple[np.ndarray, np.ndarray], classes: int, kind: str) -> None:
        self.x = as_inputs(test[0])
        self.labels = np.asarray(test[1], dtype=int)
        self.y = one_hot(self.labels, classes)
        self.kind = kind
        if len(self.labels) == 0:
            raise NnvizError("cannot measure accuracy on an empty dataset")

    def measure(self, network: Network, with_cost: bool) -> tuple[float, float]:
        """(accuracy, mean cost or NaN) from one forward pass of the whole split."""
        out = network.forward(self.x).output
        acc = float(np.mean(np.argmax(out, axis=1) == self.labels))
        return acc, output_cost(out, self.y, self.kind) if with_cost else float("nan")


def train(
    network: Network,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    epochs: int = 40,
    batch_size: int = 32,
    lr: float = 1.0,
    cost_kind: str = "cross-entropy",
    seed: int = 0,
    test: tuple[np.ndarray, np.ndarray] | None = None,
    on_batch: BatchCallback | None = None,
    on_epoch: EpochCallback | None = None,
    snapshots: SnapshotPlan | None = None,
) -> History:
    """Train ``network`` in place with mini-batch SGD; same seed, same weights bit for bit.

    ``images`` are uint8 (N, 28, 28) or float (N, n) rows; ``labels`` are ints. Each epoch
    shuffles the examples with a generator seeded by ``seed``, then takes one gradient step
    of size ``lr`` per mini-batch.

    With a ``snapshots`` plan (it needs ``test``), ``history.snapshots`` holds the parameters,
    held-out accuracy and cost at the start and at the plan's points; recording only reads the
    network, so the trained weights are the same as without it.

    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((40, 4)); y = (x[:, 0] > 0.5).astype(int)
    >>> net = Network([4, 2], seed=0)
    >>> history = train(net, x, y, epochs=2, batch_size=8, lr=1.0, test=(x, y))
    >>> history.epochs
    2
    """
    if epochs < 0 or batch_size < 1 or not lr > 0:
        raise NnvizError("need epochs >= 0, batch size >= 1 and a positive learning rate")
    if cost_kind not in COSTS:
        raise NnvizError(f"unknown cost {cost_kind!r}; use one of: {', '.join(COSTS)}")
    x = as_inputs(images)
    labels = np.asarray(labels, dtype=int)
    if len(x) != len(labels):
        raise NnvizError(f"{len(x)} images but {len(labels)} labels")
    if x.shape[1] != network.sizes[0]:
        raise NnvizError(f"the data has {x.shape[1]} values per image but the network has {network.sizes[0]} inputs")
    y = one_hot(labels, network.sizes[-1])
    rng = np.random.default_rng(seed)
    history = History()
    batch_count = -(-len(x) // batch_size)
    held_out = _HeldOut(test, network.sizes[-1], cost_kind) if test is not None else None
    recorder = None
    if snapshots is not None:
        if held_out is None or epochs < 1:
            raise NnvizError("snapshots record the held-out accuracy and cost: they need a test split and >= 1 epoch")
        recorder = SnapshotRecorder(snapshots)
        recorder.record(0, network, *held_out.measure(network, True))
    for epoch in range(1, epochs + 1):
        # Gather each mini-batch on its own: copying the whole shuffled set every epoch
        # costs more than the 266 small gathers together (measured: 19 ms vs 2.4 ms).
        order = rng.permutation(len(x))
        with one_blas_thread():
            for i in range(batch_count):
                idx = order[i * batch_size : (i + 1) * batch_size]
                _sgd_step(network, x[idx], y[idx], lr, cost_kind)
                if (
                    recorder is not None
                    and i + 1 < batch_count
                    and recorder.plan.due(epoch, i + 1, batch_count, epochs)
                ):
                    assert held_out is not None
                    recorder.record((epoch - 1) * batch_count + i + 1, network, *held_out.measure(network, True))
                if on_batch is not None:
                    on_batch(epoch, i + 1, batch_count)
        acc = None
        if held_out is not None:
            # One forward pass gives the epoch's accuracy and, when a snapshot is due, its cost.
            due = recorder is not None and recorder.plan.due(epoch, batch_count, batch_count, epochs)
            acc, held_out_cost = held_out.measure(network, due)
            history.accuracies.append(acc)
            if recorder is not None and due:
                recorder.record(epoch * batch_count, network, acc, held_out_cost)
        history.epochs = epoch
        if on_epoch is not None:
            on_epoch(epoch, acc)
    if recorder is not None:
        settings = RunSettings(
            epochs=epochs,
            batch_size=batch_size,
            lr=float(lr),
            seed=seed,
            cost_kind=cost_kind,
            activation=network.activation,
            batches_per_epoch=batch_count,
            train_count=len(x),
            test_count=len(held_out.labels) if held_out is not None else 0,
        )
        history.snapshots = recorder.result(settings)
    return history


def confusion_matrix(network: Network, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """counts[true, predicted] over the dataset, a (classes, classes) int matrix."""
    classes = network.sizes[-1]
    predicted = np.atleast_1d(network.predict(as_inputs(images)))
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (np.asarray(labels, dtype=int), predicted), 1)
    return counts


def check_gradient(
    network: Network,
    x: np.ndarray,
    y: np.ndarray,
    kind: str = "cross-entropy",
    eps: float = 1e-6,
    samples: Sequence[tuple[int, int, int]] | None = None,
) -> float:
    """Relative difference ||numeric - backprop|| / (||numeric|| + ||backprop||) of the gradients.

    The numeric gradient comes from central finite differences of :func:`cost`.

    ``samples`` lists (layer, row, col) weights to probe (col = -1 probes the bias of that row);
    by default every parameter of a small network is probed.
    """
    grad_w, grad_b = backprop(network, x, y, kind)
    if samples is None:
        samples = [
            (l, r, c) for l, w in enumerate(network.weights) for r in range(w.shape[0]) for c in range(-1, w.shape[1])
        ]
    numeric, analytic = [], []
    for l, r, c in samples:
        target = network.biases[l] if c < 0 else network.weights[l]
        index = (r,) if c < 0 else (r, c)
        original = target[index]
        target[index] = original + eps
        plus = cost(network, x, y, kind)
        target[index] = original - eps
        minus = cost(network, x, y, kind)
        target[index] = original
        numeric.append((plus - minus) / (2 * eps))
        analytic.append(grad_b[l][r] if c < 0 else grad_w[l][r, c])
    n, a = np.array(numeric), np.array(analytic)
    # Relative to the size of the whole gradient: single tiny entries are all rounding noise.
    return float(np.linalg.norm(n - a) / max(1e-12, np.linalg.norm(n) + np.linalg.norm(a)))
