"""Where nnviz finds its shipped data."""

from __future__ import annotations

from pathlib import Path

#: The repository's assets/ directory: the embedded MNIST subset and the shipped network.
ASSETS = Path(__file__).resolve().parents[2] / "assets"
EMBEDDED_DATASET = ASSETS / "mnist_subset.npz"
SHIPPED_NETWORK = ASSETS / "network.npz"
SHIPPED_RELU_NETWORK = ASSETS / "network_relu.npz"
