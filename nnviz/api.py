"""The public entry points of the core: the shipped network, the data, a user's digit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.paths import SHIPPED_NETWORK, SHIPPED_RELU_NETWORK
from .core.weights import load_network_file

if TYPE_CHECKING:  # resolved on first use by __getattr__ below
    from .core.datasets import Dataset, load_dataset
    from .core.network import Network
    from .core.preprocess import preprocess

__all__ = ["Dataset", "load_dataset", "load_network", "load_relu_network", "preprocess"]


def load_network(path: str | os.PathLike[str] | None = None) -> Network:
    """Load a weights file, or the shipped 784-16-16-10 sigmoid network when ``path`` is None.

    >>> net = load_network()
    >>> net.sizes, net.activation
    ([784, 16, 16, 10], 'sigmoid')
    """
    return load_network_file(Path(path) if path is not None else SHIPPED_NETWORK)


def load_relu_network() -> Network:
    """The shipped 784-16-16-10 network trained with ReLU hidden layers (assets/README.md).

    >>> load_relu_network().activation
    'relu'
    """
    return load_network_file(SHIPPED_RELU_NETWORK)


def __getattr__(name: str) -> Any:
    # The data and the pre-processing load on first use: `nnviz predict` never reads the
    # datasets, and `nnviz info` never needs PIL or scipy.ndimage.
    if name in ("Dataset", "load_dataset"):
        from .core import datasets

        return getattr(datasets, name)
    if name == "preprocess":
        from .core.preprocess import preprocess

        return preprocess
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
