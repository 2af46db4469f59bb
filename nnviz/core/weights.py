"""Weights files: ``.npz`` archives without pickle, written atomically.

A file holds ``W1``..``WL`` (out x in), ``b1``..``bL`` and ``activation`` (a string).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .atomic import atomic_write
from .errors import NnvizError
from .network import Network


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
    if not path.exists():
        raise NnvizError(f"{path}: no such weights file")
    if path.is_dir():
        raise NnvizError(f"{path}: is a directory, expected a weights .npz file")
    magic = _magic(path)
    if magic.startswith(_NPY_MAGIC):
        raise NnvizError(f"{path}: a single array, not a weights .npz archive")
    if not magic.startswith(_ZIP_MAGIC):
        # np.load would take any other file for a pickle and refuse it as one: say what it is.
        raise NnvizError(f"{path}: not a weights file: expected an .npz archive written by `nnviz train`")
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise NnvizError(f"{path}: not a weights .npz archive")
        with archive:
            arrays = {name: archive[name] for name in archive.files}
    except NnvizError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            raise NnvizError(f"{path}: holds arrays that need pickle, refused; re-save it with plain arrays") from e
        raise NnvizError(f"{path}: not a readable .npz weights file ({e})") from e
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise NnvizError(f"{path}: truncated or not an .npz weights file ({type(e).__name__})") from e
    return _network_from_arrays(path, arrays)


#: The first bytes of a zip archive (an .npz is one) and of a single .npy array.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_NPY_MAGIC = b"\x93NUMPY"


def _magic(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(6)
    except OSError as e:
        raise NnvizError(f"{path}: cannot read it ({e.strerror or type(e).__name__})") from e


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
