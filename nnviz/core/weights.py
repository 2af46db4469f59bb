"""Weights files: ``.npz`` archives without pickle, written atomically.

A file holds ``W1``..``WL`` (out x in), ``b1``..``bL`` and ``activation`` (a string).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .atomic import atomic_write
from .errors import NnvizError
from .network import Network
from .npz import read_npz


def save_network(network: Network, path: str | os.PathLike[str]) -> Path:
    """Write ``network`` to ``path`` atomically: a temporary file beside it, then a rename.

    An interrupted save leaves either the old file or none, never half a file.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> p = save_network(Network([4, 2], seed=0), os.path.join(d, "tiny.npz"))
    >>> load_network_file(p).sizes
    [4, 2]
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Any: numpy's stubs would match ``**arrays`` against savez's own bool keyword.
    arrays: dict[str, Any] = {"activation": np.array(network.activation)}
    for l, (w, b) in enumerate(zip(network.weights, network.biases), start=1):
        arrays[f"W{l}"] = w
        arrays[f"b{l}"] = b
    with atomic_write(path) as f:
        np.savez_compressed(f, **arrays)
    return path


def load_network_file(path: str | os.PathLike[str]) -> Network:
    """Read a weights file, rejecting anything that is not a sound network with a clear message.

    Arrays are loaded without pickle, so a file cannot run code when it is opened.

    >>> import tempfile
    >>> notes = Path(tempfile.mkdtemp()) / "README.md"
    >>> _ = notes.write_text("# my lecture notes")
    >>> try:
    ...     load_network_file(notes)
    ... except NnvizError as e:
    ...     print(str(e).removeprefix(str(notes)))
    : not a weights file: expected an .npz archive written by `nnviz train`
    """
    path = Path(path)
    arrays = read_npz(path, "weights", "expected an .npz archive written by `nnviz train`")
    return _network_from_arrays(path, arrays)


def _network_from_arrays(path: Path, arrays: dict[str, np.ndarray]) -> Network:
    layers = 0
    while f"W{layers + 1}" in arrays:
        layers += 1
    if layers == 0:
        raise NnvizError(f"{path}: no weight matrix W1; expected W1..WL, b1..bL and activation")
    stored = arrays.get("activation")
    if stored is None or stored.ndim != 0 or stored.dtype.kind != "U":
        raise NnvizError(f"{path}: missing the 'activation' string")
    activation = str(stored)
    if activation not in ACTIVATIONS:
        raise NnvizError(f"{path}: unknown activation {activation!r}; expected one of: {', '.join(ACTIVATIONS)}")
    weights: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    for l in range(1, layers + 1):
        if f"b{l}" not in arrays:
            raise NnvizError(f"{path}: W{l} has no bias vector b{l}")
        w, b = arrays[f"W{l}"], arrays[f"b{l}"]
        if w.dtype.kind not in "fiu" or b.dtype.kind not in "fiu":
            raise NnvizError(f"{path}: W{l} and b{l} must be numeric arrays")
        if w.ndim != 2 or b.ndim != 1 or b.shape[0] != w.shape[0]:
            raise NnvizError(f"{path}: W{l} has shape {w.shape} and b{l} {b.shape}; expected (out, in) and (out,)")
        if weights and w.shape[1] != weights[-1].shape[0]:
            raise NnvizError(
                f"{path}: shapes do not chain: W{l - 1} gives {weights[-1].shape[0]} outputs "
                f"but W{l} takes {w.shape[1]} inputs"
            )
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
            raise NnvizError(f"{path}: W{l} or b{l} holds NaN or infinite values")
        weights.append(w.astype(float))
        biases.append(b.astype(float))
    return Network.from_parameters(weights, biases, activation)
