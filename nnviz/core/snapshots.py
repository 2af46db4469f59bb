"""Snapshots of a training run: the parameters, held-out accuracy and cost at chosen points.

``train(..., snapshots=SnapshotPlan())`` keeps a snapshot at the random start, every ``every``
mini-batches during the first ``early_epochs`` epochs (learning is fast at first), then at the
end of every ``epoch_every``-th epoch and of the last one. :func:`save_snapshots` writes the run
as an ``.npz`` archive without pickle, :func:`load_snapshots` reads it back and rejects anything
unsound with one clear message.

The archive holds

* ``W1``..``WL``, ``b1``..``bL``, ``activation``: the final network, float64, exactly as
  ``nnviz train --out`` writes it (so the file is also a weights file of the trained network);
* ``snapshot_W1``.. (S, out, in) and ``snapshot_b1``.. (S, out): every snapshot's parameters in
  float32, half the size, far finer than any picture of them; the last one is the final network
  rounded, and :func:`load_snapshots` puts the exact float64 final network in its place;
* ``step`` (S,): mini-batches done at each snapshot (0 is the random start), ``accuracy`` and
  ``cost`` (S,): held-out accuracy and mean cost, float64, measured during training;
* the settings: ``epochs``, ``batch_size``, ``lr``, ``seed``, ``cost_kind``, ``batches_per_epoch``,
  ``train_count``, ``test_count``.

Example::

    run = load_snapshots()                 # the shipped network's own training
    run.epochs[:3], run.accuracy[-1]       # (0.0, 0.07, 0.14), 0.9273
    run.network(5).forward(pixels).output  # what the network said after 95 mini-batches
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .activations import ACTIVATIONS
from .atomic import atomic_write
from .errors import NnvizError
from .network import Network
from .npz import read_npz
from .paths import ASSETS

#: The shipped network's own training run (its final snapshot is ``assets/network.npz``).
SHIPPED_SNAPSHOTS = ASSETS / "snapshots.npz"
#: Settings stored as integer scalars in the archive.
_INT_SETTINGS = ("epochs", "batch_size", "seed", "batches_per_epoch", "train_count", "test_count")


@dataclass(frozen=True)
class SnapshotPlan:
    """When to keep a snapshot: every ``every`` mini-batches in the first ``early_epochs`` epochs,
    then at the end of every ``epoch_every``-th epoch; always at the start and after the last epoch.

    >>> plan = SnapshotPlan(every=100, early_epochs=1, epoch_every=2)
    >>> [s for s in range(1, 251) if plan.due(1 + (s - 1) // 50, 1 + (s - 1) % 50, 50, 5)]
    [50, 100, 200, 250]
    """

    every: int = 19
    early_epochs: int = 1
    epoch_every: int = 2

    def __post_init__(self) -> None:
        if self.every < 1 or self.early_epochs < 0 or self.epoch_every < 1:
            raise NnvizError("a snapshot plan needs every >= 1 mini-batch, early_epochs >= 0 and epoch_every >= 1")

    def due(self, epoch: int, batch: int, batch_count: int, epochs: int) -> bool:
        """Whether to keep a snapshot after mini-batch ``batch`` (1-based) of epoch ``epoch`` (1-based)."""
        if epoch <= self.early_epochs and batch % self.every == 0:
            return True
        end = batch == batch_count
        return end and (epoch <= self.early_epochs or epoch % self.epoch_every == 0 or epoch == epochs)


@dataclass(frozen=True)
class RunSettings:
    """How the run was trained: what a scene names beside the snapshots."""

    epochs: int
    batch_size: int
    lr: float
    seed: int
    cost_kind: str
    activation: str
    batches_per_epoch: int
    train_count: int
    test_count: int


@dataclass(frozen=True)
class Snapshots:
    """A recorded training run: S snapshots of every parameter, with held-out accuracy and cost.

    ``weights[l]`` is (S, out, in) and ``biases[l]`` (S, out); ``steps`` (S,) counts mini-batches.
    """

    steps: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    accuracy: np.ndarray
    cost: np.ndarray
    settings: RunSettings

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def epochs(self) -> np.ndarray:
        """Each snapshot's place in the run in epochs (mini-batches / mini-batches per epoch)."""
        return self.steps / self.settings.batches_per_epoch

    @property
    def sizes(self) -> list[int]:
        """Layer sizes of the recorded network, e.g. [784, 16, 16, 10]."""
        return [int(self.weights[0].shape[2])] + [int(w.shape[1]) for w in self.weights]

    def network(self, i: int) -> Network:
        """The network as it was at snapshot ``i`` (negative counts from the end)."""
        return Network.from_parameters(
            [w[i] for w in self.weights], [b[i] for b in self.biases], self.settings.activation
        )

    def outputs(self, x: np.ndarray) -> np.ndarray:
        """The output activations for input ``x`` (n,) at every snapshot: (S, classes)."""
        return np.array([self.network(i).forward(x).output for i in range(len(self))])

    def first_at(self, epoch: float) -> int:
        """Index of the first snapshot at or after ``epoch`` epochs (the last one if none)."""
        hits = np.flatnonzero(self.epochs >= epoch - 1e-9)
        return int(hits[0]) if len(hits) else len(self) - 1

    def check_fits(self, network: Network, name: str = "snapshots") -> None:
        """Raise ``NnvizError`` unless the snapshots are of a network shaped like ``network``."""
        if self.sizes != list(network.sizes):
            raise NnvizError(
                f"{name}: the snapshots are of a {'-'.join(map(str, self.sizes))} network but the weights are "
                f"{'-'.join(map(str, network.sizes))}; record them with `nnviz train --snapshots` for those weights"
            )


class SnapshotRecorder:
    """Collects snapshots during :func:`~nnviz.core.training.train` (it calls :meth:`record`)."""

    def __init__(self, plan: SnapshotPlan) -> None:
        self.plan = plan
        self._steps: list[int] = []
        self._weights: list[list[np.ndarray]] = []
        self._biases: list[list[np.ndarray]] = []
        self._accuracy: list[float] = []
        self._cost: list[float] = []

    def record(self, step: int, network: Network, accuracy: float, cost: float) -> None:
        """Keep a copy of ``network``'s parameters after ``step`` mini-batches."""
        self._steps.append(step)
        self._weights.append([w.copy() for w in network.weights])
        self._biases.append([b.copy() for b in network.biases])
        self._accuracy.append(accuracy)
        self._cost.append(cost)

    def result(self, settings: RunSettings) -> Snapshots:
        """The recorded run."""
        layers = range(len(self._weights[0]))
        return Snapshots(
            steps=np.array(self._steps, dtype=np.int64),
            weights=[np.stack([s[l] for s in self._weights]) for l in layers],
            biases=[np.stack([s[l] for s in self._biases]) for l in layers],
            accuracy=np.array(self._accuracy, dtype=float),
            cost=np.array(self._cost, dtype=float),
            settings=settings,
        )


def save_snapshots(run: Snapshots, path: str | os.PathLike[str]) -> Path:
    """Write ``run`` to ``path`` atomically (see the module docstring for the layout).

    >>> import tempfile
    >>> p = save_snapshots(load_snapshots(), Path(tempfile.mkdtemp()) / "run.npz")
    >>> len(load_snapshots(p)) == len(load_snapshots())
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    s = run.settings
    # Any: numpy's stubs would match ``**arrays`` against savez's own bool keyword.
    arrays: dict[str, Any] = {"activation": np.array(s.activation), "cost_kind": np.array(s.cost_kind)}
    for name in _INT_SETTINGS:
        arrays[name] = np.array(getattr(s, name), dtype=np.int64)
    arrays["lr"] = np.array(s.lr, dtype=float)
    arrays.update(step=run.steps.astype(np.int64), accuracy=run.accuracy, cost=run.cost)
    for l, (w, b) in enumerate(zip(run.weights, run.biases), start=1):
        arrays[f"W{l}"], arrays[f"b{l}"] = w[-1], b[-1]
        arrays[f"snapshot_W{l}"], arrays[f"snapshot_b{l}"] = w.astype(np.float32), b.astype(np.float32)
    with atomic_write(path) as f:
        np.savez_compressed(f, **arrays)
    return path


def load_snapshots(path: str | os.PathLike[str] | None = None) -> Snapshots:
    """Read a snapshots file (default: the shipped run), rejecting anything unsound in one line.

    Refused: not an ``.npz``, arrays that need pickle, missing arrays, shapes that do not chain,
    fewer than 2 snapshots, steps that do not rise from 0, NaN or infinite values, accuracies
    outside [0, 1], and a final network that is not the last snapshot.

    >>> run = load_snapshots()
    >>> run.sizes, run.settings.epochs, int(run.steps[0])
    ([784, 16, 16, 10], 40, 0)
    """
    path = Path(path) if path is not None else SHIPPED_SNAPSHOTS
    arrays = read_npz(path, "snapshots", _HINT)
    return _snapshots_from_arrays(path, arrays)


_HINT = "expected an .npz archive written by `nnviz train --snapshots`"


def _scalar(path: Path, arrays: dict[str, np.ndarray], name: str, kind: str) -> Any:
    value = arrays.get(name)
    if value is None or value.ndim != 0 or value.dtype.kind not in kind:
        raise NnvizError(f"{path}: missing the setting {name!r}; {_HINT}")
    return value.item()


def _snapshots_from_arrays(path: Path, arrays: dict[str, np.ndarray]) -> Snapshots:
    layers = 0
    while f"snapshot_W{layers + 1}" in arrays:
        layers += 1
    if layers == 0:
        raise NnvizError(f"{path}: no snapshot_W1; {_HINT}")
    steps = arrays.get("step")
    if steps is None or steps.ndim != 1 or steps.dtype.kind not in "iu":
        raise NnvizError(f"{path}: missing the 'step' array; {_HINT}")
    count = len(steps)
    if count < 2:
        raise NnvizError(f"{path}: holds {count} snapshot(s); a training run needs at least 2 (start and end)")
    if steps[0] != 0 or np.any(np.diff(steps) <= 0):
        raise NnvizError(f"{path}: the snapshot steps must start at 0 and rise; the file is damaged")
    weights: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    for l in range(1, layers + 1):
        w, b = arrays[f"snapshot_W{l}"], arrays.get(f"snapshot_b{l}")
        final_w, final_b = arrays.get(f"W{l}"), arrays.get(f"b{l}")
        if b is None or final_w is None or final_b is None:
            raise NnvizError(f"{path}: layer {l} lacks snapshot_b{l}, W{l} or b{l}; {_HINT}")
        if any(a.dtype.kind != "f" for a in (w, b, final_w, final_b)):
            raise NnvizError(f"{path}: the parameters of layer {l} must be float arrays")
        if w.ndim != 3 or b.shape != (count, w.shape[1]) or w.shape[0] != count:
            raise NnvizError(
                f"{path}: snapshot_W{l} has shape {w.shape} and snapshot_b{l} {b.shape}; "
                f"expected ({count}, out, in) and ({count}, out) for {count} snapshots"
            )
        if weights and w.shape[2] != weights[-1].shape[1]:
            raise NnvizError(
                f"{path}: shapes do not chain: layer {l - 1} gives {weights[-1].shape[1]} outputs "
                f"but layer {l} takes {w.shape[2]} inputs"
            )
        if final_w.shape != w.shape[1:] or final_b.shape != b.shape[1:]:
            raise NnvizError(f"{path}: W{l} and b{l} do not have the shapes of the snapshots of layer {l}")
        if not all(np.all(np.isfinite(a)) for a in (w, b, final_w, final_b)):
            raise NnvizError(f"{path}: the parameters of layer {l} hold NaN or infinite values")
        if not (np.array_equal(w[-1], final_w.astype(w.dtype)) and np.array_equal(b[-1], final_b.astype(b.dtype))):
            raise NnvizError(f"{path}: the final network W{l}, b{l} is not the last snapshot; the file is damaged")
        w, b = w.astype(float), b.astype(float)
        w[-1], b[-1] = final_w, final_b  # the exact float64 final network
        weights.append(w)
        biases.append(b)
    values = {}
    for name in ("accuracy", "cost"):
        v = arrays.get(name)
        if v is None or v.shape != (count,) or v.dtype.kind != "f":
            raise NnvizError(f"{path}: missing the {name!r} array of {count} values; {_HINT}")
        if not np.all(np.isfinite(v)):
            raise NnvizError(f"{path}: the {name!r} array holds NaN or infinite values")
        values[name] = v.astype(float)
    if np.any(values["accuracy"] < 0) or np.any(values["accuracy"] > 1) or np.any(values["cost"] < 0):
        raise NnvizError(f"{path}: accuracies must lie in [0, 1] and costs be >= 0")
    settings = _settings(path, arrays)
    if steps[-1] > settings.epochs * settings.batches_per_epoch:
        raise NnvizError(f"{path}: more mini-batches recorded than {settings.epochs} epochs hold; the file is damaged")
    return Snapshots(steps.astype(np.int64), weights, biases, values["accuracy"], values["cost"], settings)


def _settings(path: Path, arrays: dict[str, np.ndarray]) -> RunSettings:
    ints = {name: int(_scalar(path, arrays, name, "iu")) for name in _INT_SETTINGS}
    lr = float(_scalar(path, arrays, "lr", "f"))
    activation = str(_scalar(path, arrays, "activation", "U"))
    cost_kind = str(_scalar(path, arrays, "cost_kind", "U"))
    if activation not in ACTIVATIONS:
        raise NnvizError(f"{path}: unknown activation {activation!r}; expected one of: {', '.join(ACTIVATIONS)}")
    if min(ints.values()) < 0 or ints["batches_per_epoch"] < 1 or not (np.isfinite(lr) and lr > 0):
        raise NnvizError(f"{path}: the recorded settings are out of range (epochs, batch size, learning rate)")
    return RunSettings(lr=lr, activation=activation, cost_kind=cost_kind, **ints)
