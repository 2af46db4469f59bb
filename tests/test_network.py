"""Core numerics against a plain-loop reference, backprop against finite differences, training."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnviz.core.activations import relu, sigmoid
from nnviz.core.errors import NnvizError
from nnviz.core.network import Network
from nnviz.core.training import accuracy, backprop, check_gradient, confusion_matrix, one_hot, train


def reference_forward(net: Network, x: list[float]) -> tuple[list[list[float]], list[list[float]]]:
    """Every neuron's weighted sum and activation with nothing but Python loops and math.exp."""

    def f(z: float, last: bool) -> float:
        if last or net.activation == "sigmoid":
            return 1.0 / (1.0 + math.exp(-z))
        return max(0.0, z)

    activations, sums = [list(x)], []
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        a_prev, z_layer, a_layer = activations[-1], [], []
        for k in range(w.shape[0]):
            z = b[k]
            for j in range(w.shape[1]):
                z += w[k, j] * a_prev[j]
            z_layer.append(z)
            a_layer.append(f(z, l == len(net.weights) - 1))
        sums.append(z_layer)
        activations.append(a_layer)
    return activations, sums


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_forward_matches_plain_loops(activation: str) -> None:
    net = Network([30, 7, 5, 4], activation=activation, seed=3)
    x = np.random.default_rng(1).random(30)
    trace = net.forward(x)
    ref_a, ref_z = reference_forward(net, x.tolist())
    assert len(trace.activations) == 4 and len(trace.weighted_sums) == 3
    for got, want in zip(trace.activations, ref_a):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    for got, want in zip(trace.weighted_sums, ref_z):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_batch_forward_equals_single_forward() -> None:
    net = Network([784, 16, 16, 10], seed=0)
    x = np.random.default_rng(2).random((5, 784))
    batch = net.forward(x)
    for i in range(5):
        single = net.forward(x[i])
        for a_b, a_s in zip(batch.activations, single.activations):
            np.testing.assert_allclose(a_b[i], a_s, rtol=1e-12)
    assert list(net.predict(x)) == [net.predict(x[i]) for i in range(5)]


def test_image_input_is_flattened_row_by_row() -> None:
    net = Network([784, 4], seed=0)
    img = np.random.default_rng(0).random((28, 28))
    np.testing.assert_array_equal(net(img), net(img.reshape(-1)))


def test_parameter_count() -> None:
    assert Network([784, 16, 16, 10]).parameter_count == 784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10 == 13002
    assert Network([8, 6, 6, 4]).parameter_count == 8 * 6 + 6 + 6 * 6 + 6 + 6 * 4 + 4


def test_weight_shapes_are_out_by_in() -> None:
    net = Network([5, 3, 2])
    assert [w.shape for w in net.weights] == [(3, 5), (2, 3)]
    assert [b.shape for b in net.biases] == [(3,), (2,)]


def test_same_seed_same_network_different_seed_different() -> None:
    a, b, c = Network([10, 4], seed=7), Network([10, 4], seed=7), Network([10, 4], seed=8)
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize("sizes", [[10, 0], [10], [3, -1, 2]])
def test_bad_sizes_are_rejected(sizes: list[int]) -> None:
    with pytest.raises(NnvizError):
        Network(sizes)


def test_unknown_activation_rejected() -> None:
    with pytest.raises(NnvizError, match="activation"):
        Network([3, 2], activation="tanh")


def test_wrong_input_size_rejected() -> None:
    with pytest.raises(NnvizError, match="784"):
        Network([784, 10]).forward(np.zeros(100))


def test_activation_functions() -> None:
    z = np.array([-800.0, -1.0, 0.0, 2.0, 800.0])
    s = sigmoid(z)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s, [0.0, 1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-2)), 1.0], atol=1e-15)
    np.testing.assert_array_equal(relu(z), [0, 0, 0, 2, 800])


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("kind", ["cross-entropy", "quadratic"])
def test_backprop_matches_finite_differences(activation: str, kind: str) -> None:
    net = Network([6, 5, 4, 3], activation=activation, seed=11)
    rng = np.random.default_rng(5)
    x = rng.random((7, 6))
    y = one_hot(rng.integers(0, 3, 7), 3)
    assert check_gradient(net, x, y, kind) < 1e-6


def test_gradient_check_detects_a_wrong_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check itself can fail: a gradient off by a factor is caught."""
    import nnviz.core.training as training

    net = Network([4, 3, 2], seed=0)
    x = np.random.default_rng(0).random((3, 4))
    y = one_hot(np.array([0, 1, 1]), 2)
    real = training.backprop
    monkeypatch.setattr(training, "backprop", lambda *a: ([g * 1.1 for g in real(*a)[0]], real(*a)[1]))
    assert check_gradient(net, x, y) > 1e-3


def test_backprop_shapes() -> None:
    net = Network([784, 16, 16, 10], seed=0)
    gw, gb = backprop(net, np.zeros((2, 784)), one_hot(np.array([1, 2]), 10))
    assert [g.shape for g in gw] == [w.shape for w in net.weights]
    assert [g.shape for g in gb] == [b.shape for b in net.biases]


def _embedded() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from nnviz.core.paths import EMBEDDED_DATASET

    with np.load(EMBEDDED_DATASET) as d:
        return d["images"], d["labels"], d["test"]


def test_training_reaches_85_percent_on_the_embedded_split_quickly() -> None:
    images, labels, test = _embedded()
    net = Network([784, 16, 16, 10], seed=0)
    history = train(
        net, images[~test], labels[~test], epochs=3, batch_size=10, lr=0.5, seed=0, test=(images[test], labels[test])
    )
    assert history.epochs == 3 and len(history.accuracies) == 3
    assert history.accuracies[-1] >= 0.85
    assert accuracy(net, images[test], labels[test]) == history.accuracies[-1]


def test_training_is_reproducible_bit_for_bit() -> None:
    images, labels, _test = _embedded()
    nets = [Network([784, 16, 10], seed=4) for _ in range(3)]
    for net, seed in zip(nets, [9, 9, 10]):
        train(net, images[:600], labels[:600], epochs=1, batch_size=20, lr=0.5, seed=seed)
    assert all(np.array_equal(a, b) for a, b in zip(nets[0].weights, nets[1].weights))
    assert not np.array_equal(nets[0].weights[0], nets[2].weights[0])


def test_training_reports_progress() -> None:
    images, labels, _ = _embedded()
    batches, epochs = [], []
    train(
        Network([784, 10], seed=0),
        images[:100],
        labels[:100],
        epochs=2,
        batch_size=30,
        lr=0.1,
        on_batch=lambda e, i, n: batches.append((e, i, n)),
        on_epoch=lambda e, a: epochs.append((e, a)),
    )
    assert batches == [(e, i, 4) for e in (1, 2) for i in (1, 2, 3, 4)]
    assert epochs == [(1, None), (2, None)]


def test_quadratic_cost_also_learns() -> None:
    images, labels, test = _embedded()
    net = Network([784, 16, 10], seed=0)
    history = train(
        net,
        images[~test],
        labels[~test],
        epochs=1,
        batch_size=10,
        lr=3.0,
        cost_kind="quadratic",
        test=(images[test], labels[test]),
    )
    assert history.accuracies[-1] > 0.85


def test_confusion_matrix_counts() -> None:
    net = Network([2, 2], seed=0, weights=[np.array([[1.0, 0.0], [0.0, 1.0]])], biases=[np.zeros(2)])
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    counts = confusion_matrix(net, x, np.array([0, 1, 1]))
    assert counts.tolist() == [[1, 0], [1, 1]]


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("kind", ["cross-entropy", "quadratic"])
def test_one_training_step_is_a_backprop_gradient_step(activation: str, kind: str) -> None:
    """The fused training step equals W - lr * dC/dW from backprop, for every layer."""
    rng = np.random.default_rng(3)
    x, labels = rng.random((4, 9)), np.array([0, 2, 1, 2])
    net = Network([9, 5, 3], activation=activation, seed=1)
    expected = net.copy()
    gw, gb = backprop(expected, x, one_hot(labels, 3), kind)
    for w, b, dw, db in zip(expected.weights, expected.biases, gw, gb):
        w -= 0.7 * dw
        b -= 0.7 * db
    # One epoch of one batch holding every example: the shuffle does not change the mean gradient.
    train(net, x, labels, epochs=1, batch_size=4, lr=0.7, cost_kind=kind)
    for got, want in zip(net.weights + net.biases, expected.weights + expected.biases):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
