"""A fully connected feed-forward network and the trace of one forward pass.

Layer l (1..L) computes ``z(l) = W[l-1] @ a(l-1) + b[l-1]`` and ``a(l) = f(z(l))``.
``f`` is the network's activation (sigmoid or ReLU) on the hidden layers; the output
layer is always a sigmoid, so every output activation reads as "how much the network
thinks the image is this digit", a number between 0 and 1.
Row k of a weight matrix holds the weights *into* neuron k of the next layer, so
``W[0][k]`` reshaped to 28x28 is what the first-layer neuron k looks for.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, sigmoid, sigmoid_prime
from .blas import one_blas_thread
from .errors import NnvizError


@dataclass(frozen=True)
class Trace:
    """Every number of one forward pass.

    ``activations[0]`` is the input a(0) and ``activations[-1]`` the output a(L);
    ``weighted_sums[l]`` is z(l+1), the value before the activation function.
    For a single input each array is 1-D; for a batch of N inputs it is (N, size).

    >>> net = Network([4, 3, 2], seed=0)
    >>> trace = net.forward(np.ones(4))
    >>> [a.shape for a in trace.activations]
    [(4,), (3,), (2,)]
    """

    activations: list[np.ndarray]
    weighted_sums: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        """The last layer's activations a(L)."""
        return self.activations[-1]

    @property
    def prediction(self) -> np.ndarray | int:
        """Index of the brightest output neuron (an array of them for a batch)."""
        winner = np.argmax(self.output, axis=-1)
        return int(winner) if np.ndim(winner) == 0 else winner


class Network:
    """A feed-forward network with weights ``W[l]`` of shape (out, in) and biases ``b[l]`` (out,).

    Weights start as N(0, 1/fan_in) and biases as N(0, 1), drawn from ``seed``
    so that two networks built with the same seed are identical.

    >>> net = Network([784, 16, 16, 10], seed=1)
    >>> net.parameter_count
    13002
    >>> net.forward(np.zeros(784)).output.shape
    (10,)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        seed: int | None = 0,
        weights: Sequence[np.ndarray] | None = None,
        biases: Sequence[np.ndarray] | None = None,
    ) -> None:
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or any(s < 1 for s in sizes):
            raise NnvizError(f"network sizes {sizes}: need at least two layers, each of size >= 1")
        if activation not in ACTIVATIONS:
            known = ", ".join(ACTIVATIONS)
            raise NnvizError(f"unknown activation {activation!r}; use one of: {known}")
        self.sizes = sizes
        self.activation = activation
        self._f, self._f_prime = ACTIVATIONS[activation]
        rng = np.random.default_rng(seed)
        if weights is None:
            weights = [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in) for n_in, n_out in itertools.pairwise(sizes)]
        if biases is None:
            biases = [rng.standard_normal(n_out) for n_out in sizes[1:]]
        self.weights = [np.array(w, dtype=float) for w in weights]
        self.biases = [np.array(b, dtype=float) for b in biases]
        self._check_shapes()

    @classmethod
    def from_parameters(
        cls, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], activation: str = "sigmoid"
    ) -> Network:
        """Build a network from given weights (out, in) and biases (out,).

        >>> w = [np.array([[1.0, -1.0]])]
        >>> Network.from_parameters(w, [np.array([0.0])]).sizes
        [2, 1]
        """
        if len(weights) == 0 or len(weights) != len(biases):
            raise NnvizError("need one bias vector per weight matrix, and at least one of each")
        sizes = [int(np.shape(weights[0])[-1])] + [int(np.shape(w)[0]) for w in weights]
        return cls(sizes, activation=activation, seed=None, weights=weights, biases=biases)

    def _check_shapes(self) -> None:
        if len(self.weights) != len(self.sizes) - 1 or len(self.biases) != len(self.sizes) - 1:
            raise NnvizError("need one weight matrix and one bias vector per layer")
        for l, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            expected = (self.sizes[l], self.sizes[l - 1])
            if w.shape != expected:
                raise NnvizError(f"W{l} has shape {w.shape}, expected {expected}: the layers do not chain")
            if b.shape != (self.sizes[l],):
                raise NnvizError(f"b{l} has shape {b.shape}, expected ({self.sizes[l]},)")

    @property
    def parameter_count(self) -> int:
        """Number of weights and biases: sum of in*out + out over the layers."""
        return int(sum(w.size + b.size for w, b in zip(self.weights, self.biases)))

    @property
    def num_layers(self) -> int:
        """Number of layers including the input layer."""
        return len(self.sizes)

    def copy(self) -> Network:
        """An independent copy with the same parameters."""
        return Network.from_parameters(
            [w.copy() for w in self.weights], [b.copy() for b in self.biases], self.activation
        )

    def _as_input(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.ndim == 3 or (x.ndim == 2 and x.shape[-1] != self.sizes[0] and x.size == self.sizes[0]):
            x = x.reshape(*x.shape[:-2], -1) if x.ndim == 3 else x.reshape(-1)
        if x.ndim not in (1, 2) or x.shape[-1] != self.sizes[0]:
            raise NnvizError(f"input of shape {x.shape} does not fit a network with {self.sizes[0]} inputs")
        return x

    def forward(self, x: np.ndarray) -> Trace:
        """Run one input (n,) or a batch (N, n) through the network and keep every number.

        A 28x28 image (or an (N, 28, 28) stack) is flattened row by row first.
        """
        a = self._as_input(x)
        activations, weighted_sums = [a], []
        last = len(self.weights) - 1
        with one_blas_thread():
            for l, (w, b) in enumerate(zip(self.weights, self.biases)):
                z = a @ w.T + b
                a = sigmoid(z) if l == last else self._f(z)
                weighted_sums.append(z)
                activations.append(a)
        return Trace(activations=activations, weighted_sums=weighted_sums)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The output activations a(L) for ``x``."""
        return self.forward(x).output

    def predict(self, x: np.ndarray) -> np.ndarray | int:
        """The index of the brightest output neuron for one input, or an array for a batch."""
        return self.forward(x).prediction

    def output_derivative(self, z: np.ndarray) -> np.ndarray:
        """The derivative of the output layer's sigmoid at ``z``."""
        return sigmoid_prime(z)

    def activation_function(self, z: np.ndarray) -> np.ndarray:
        """The hidden layers' activation function applied to ``z``."""
        return self._f(z)

    def activation_derivative(self, z: np.ndarray) -> np.ndarray:
        """The derivative of the hidden layers' activation function at ``z``."""
        return self._f_prime(z)

    def __repr__(self) -> str:
        sizes = "-".join(str(s) for s in self.sizes)
        return f"Network({sizes}, activation={self.activation!r}, parameters={self.parameter_count})"
