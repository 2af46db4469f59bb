"""Weights files: round trip, atomic save, and every malformed file rejected with a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.errors import NnvizError
from nnviz.core.network import Network
from nnviz.core.weights import load_network_file, save_network


def test_round_trip(tmp_path: Path) -> None:
    net = Network([12, 5, 3], activation="relu", seed=2)
    path = save_network(net, tmp_path / "net.npz")
    back = load_network_file(path)
    assert back.sizes == net.sizes and back.activation == "relu"
    for a, b in zip(net.weights + net.biases, back.weights + back.biases):
        np.testing.assert_array_equal(a, b)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["W1", "W2", "activation", "b1", "b2"]
        assert archive["W1"].shape == (5, 12)


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    save_network(Network([3, 2]), tmp_path / "a.npz")
    assert os.listdir(tmp_path) == ["a.npz"]


def test_interrupted_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save_network(Network([3, 2], seed=1), tmp_path / "a.npz")
    before = path.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez_compressed", boom)
    with pytest.raises(KeyboardInterrupt):
        save_network(Network([3, 2], seed=2), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["a.npz"]


def _write(path: Path, **arrays: np.ndarray) -> Path:
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


GOOD = dict(W1=np.ones((3, 4)), b1=np.zeros(3), W2=np.ones((2, 3)), b2=np.zeros(2), activation=np.array("sigmoid"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(W2=np.ones((2, 5))), "do not chain"),
        (dict(b1=np.zeros(4)), "shape"),
        (dict(W1=np.full((3, 4), np.nan)), "NaN"),
        (dict(b2=np.array([np.inf, 0.0])), "infinite"),
        (dict(activation=np.array("softmax")), "unknown activation"),
        (dict(W1=np.ones(4)), "shape"),
    ],
)
def test_bad_contents_rejected(tmp_path: Path, change: dict, message: str) -> None:
    path = _write(tmp_path / "bad.npz", **{**GOOD, **change})
    with pytest.raises(NnvizError, match=message) as err:
        load_network_file(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_activation_and_bias(tmp_path: Path) -> None:
    no_act = {k: v for k, v in GOOD.items() if k != "activation"}
    with pytest.raises(NnvizError, match="activation"):
        load_network_file(_write(tmp_path / "a.npz", **no_act))
    no_b2 = {k: v for k, v in GOOD.items() if k != "b2"}
    with pytest.raises(NnvizError, match="b2"):
        load_network_file(_write(tmp_path / "b.npz", **no_b2))


def test_pickled_arrays_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.npz", **{**GOOD, "W1": np.array([{"evil": 1}], dtype=object)})
    with pytest.raises(NnvizError, match="pickle"):
        load_network_file(path)


def test_truncated_file_rejected(tmp_path: Path) -> None:
    good = save_network(Network([784, 16, 16, 10]), tmp_path / "good.npz").read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(NnvizError, match="truncated|not"):
        load_network_file(path)


@pytest.mark.parametrize("content", [b"", b"hello, not a zip file", b"\x93NUMPY garbage"])
def test_non_npz_rejected(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.npz"
    path.write_bytes(content)
    with pytest.raises(NnvizError):
        load_network_file(path)


@pytest.mark.parametrize("content", [b"# Notes\n\nnot weights at all\n", b"", b"\x80\x04K\x01."])
def test_a_file_that_is_not_an_archive_says_so_without_mentioning_pickle(tmp_path: Path, content: bytes) -> None:
    # numpy reads anything without the zip or .npy magic as a pickle (the last one really is).
    path = tmp_path / "README.md"
    path.write_bytes(content)
    with pytest.raises(NnvizError) as err:
        load_network_file(path)
    message = str(err.value)
    assert message == f"{path}: not a weights file: expected an .npz archive written by `nnviz train`"


def test_single_npy_array_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.npy"
    np.save(path, np.ones(3))
    with pytest.raises(NnvizError, match="single array"):
        load_network_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NnvizError, match="no such"):
        load_network_file(tmp_path / "nope.npz")
