"""Activation functions and their derivatives, as plain numpy ufunc compositions."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

Array = np.ndarray


@functools.cache
def _expit() -> np.ufunc:
    """scipy's compiled logistic ufunc, imported on the first sigmoid.

    ``import scipy.special`` costs about 0.2 s (its array-API layer loads every numpy
    submodule, f2py included), more than everything else ``nnviz info`` does; commands
    that never evaluate a sigmoid should not pay it. The ufunc is the same object either
    way, so every number stays bit for bit what it was.
    """
    from scipy.special import expit

    return expit


def sigmoid(z: Array) -> Array:
    """The logistic function 1 / (1 + e^-z), squishing the number line into (0, 1).

    scipy's ``expit`` is one ufunc pass and never overflows for large |z|.

    >>> float(sigmoid(np.array(0.0)))
    0.5
    """
    return _expit()(np.asarray(z, dtype=float))


def sigmoid_prime(z: Array) -> Array:
    """d sigmoid / dz = sigmoid(z) (1 - sigmoid(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def relu(z: Array) -> Array:
    """ReLU(z) = max(0, z).

    >>> relu(np.array([-2.0, 3.0])).tolist()
    [0.0, 3.0]
    """
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_prime(z: Array) -> Array:
    """d ReLU / dz: 1 where z > 0, else 0 (the sub-gradient at 0 is taken as 0)."""
    return (np.asarray(z) > 0).astype(float)


#: name -> (function, derivative); the names are what weights files store.
ACTIVATIONS: dict[str, tuple[Callable[[Array], Array], Callable[[Array], Array]]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "relu": (relu, relu_prime),
}
