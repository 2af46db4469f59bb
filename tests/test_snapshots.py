"""Snapshots of a training run: recording, the safe file format, the shipped run, bad input, mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.datasets import load_dataset
from nnviz.core.errors import NnvizError
from nnviz.core.mistakes import confident_mistakes, largest_confusions
from nnviz.core.network import Network
from nnviz.core.paths import SHIPPED_NETWORK
from nnviz.core.snapshots import SHIPPED_SNAPSHOTS, SnapshotPlan, load_snapshots, save_snapshots
from nnviz.core.training import accuracy, confusion_matrix, cost, one_hot, train
from nnviz.lesson.settings import lesson_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_run() -> tuple[Network, object]:
    """Two epochs on 640 digits (20 mini-batches of 32), snapshots every 6 mini-batches of epoch 1."""
    train_set, test_set = load_dataset(split="train"), load_dataset(split="test")
    net = Network([784, 16, 16, 10], seed=3)
    history = train(
        net, train_set.images[:640], train_set.labels[:640], epochs=2, batch_size=32, lr=1.0, seed=3,
        test=(test_set.images[:300], test_set.labels[:300]), snapshots=SnapshotPlan(every=6, epoch_every=1),
    )  # fmt: skip
    return net, history


# ---------------------------------------------------------------- recording


def test_snapshots_follow_the_plan_and_record_real_measurements(small_run) -> None:
    net, history = small_run
    run = history.snapshots
    assert run.steps.tolist() == [0, 6, 12, 18, 20, 40]
    assert run.epochs.tolist() == [0.0, 0.3, 0.6, 0.9, 1.0, 2.0]
    test = load_dataset(split="test")
    x, labels = test.images[:300], test.labels[:300]
    for i in range(len(run)):
        snap = run.network(i)
        assert run.accuracy[i] == accuracy(snap, x, labels)
        assert run.cost[i] == pytest.approx(cost(snap, x.reshape(300, -1) / 255, one_hot(labels, 10)), rel=1e-12)
    assert history.accuracies[-1] == run.accuracy[-1]
    for l in range(3):  # the last snapshot is the trained network itself
        assert np.array_equal(run.weights[l][-1], net.weights[l])
        assert np.array_equal(run.biases[l][-1], net.biases[l])
    assert not np.array_equal(run.weights[0][0], run.weights[0][-1])


def test_recording_does_not_change_training() -> None:
    train_set, test_set = load_dataset(split="train"), load_dataset(split="test")
    a, b = Network([784, 16, 16, 10], seed=1), Network([784, 16, 16, 10], seed=1)
    args = (train_set.images[:400], train_set.labels[:400])
    kwargs = dict(epochs=2, batch_size=20, lr=0.5, seed=1, test=(test_set.images[:100], test_set.labels[:100]))
    train(a, *args, **kwargs)
    train(b, *args, **kwargs, snapshots=SnapshotPlan(every=3))
    assert all(np.array_equal(w, v) for w, v in zip(a.weights + a.biases, b.weights + b.biases))


def test_snapshots_need_a_held_out_split() -> None:
    with pytest.raises(NnvizError, match="test split"):
        train(Network([4, 2]), np.zeros((8, 4)), np.zeros(8, dtype=int), epochs=1, snapshots=SnapshotPlan())


# ---------------------------------------------------------------- the file


def test_round_trip_keeps_the_final_network_exact(small_run, tmp_path: Path) -> None:
    _, history = small_run
    run = history.snapshots
    path = save_snapshots(run, tmp_path / "run.npz")
    back = load_snapshots(path)
    assert back.steps.tolist() == run.steps.tolist() and back.settings == run.settings
    assert np.array_equal(back.accuracy, run.accuracy) and np.array_equal(back.cost, run.cost)
    for l in range(3):
        assert np.array_equal(back.weights[l][-1], run.weights[l][-1])  # float64, exact
        np.testing.assert_allclose(back.weights[l], run.weights[l], rtol=1e-6, atol=1e-7)  # float32 on the way
    with np.load(path, allow_pickle=False) as raw:
        assert raw["snapshot_W1"].dtype == np.float32 and raw["W1"].dtype == np.float64


def test_the_shipped_run_ends_in_the_shipped_network_bit_for_bit() -> None:
    run = load_snapshots()
    with np.load(SHIPPED_NETWORK, allow_pickle=False) as shipped:
        for l in range(1, 4):
            assert np.array_equal(run.weights[l - 1][-1], shipped[f"W{l}"])
            assert np.array_equal(run.biases[l - 1][-1], shipped[f"b{l}"])
    s = run.settings
    assert (s.epochs, s.batch_size, s.lr, s.seed, s.cost_kind) == (40, 32, 1.0, 0, "cross-entropy")
    assert (s.train_count, s.test_count, s.batches_per_epoch) == (8500, 1500, 266)
    assert 30 <= len(run) <= 40 and run.steps[-1] == 40 * 266
    assert run.accuracy[0] < 0.2 and run.accuracy[-1] == pytest.approx(0.9273, abs=1e-4)
    assert SHIPPED_SNAPSHOTS.stat().st_size < 2_000_000


def test_the_shipped_runs_accuracies_are_those_of_its_snapshots() -> None:
    """Every recorded accuracy is what the stored (float32) snapshot itself scores."""
    run = load_snapshots()
    test = load_dataset(split="test")
    measured = [accuracy(run.network(i), test.images, test.labels) for i in range(len(run))]
    assert measured == run.accuracy.tolist()


def test_the_shipped_run_is_reproduced_by_nnviz_train(tmp_path: Path) -> None:
    """The command of assets/README.md writes the shipped network and the shipped snapshots."""
    out, snaps = tmp_path / "net.npz", tmp_path / "run.npz"
    command = [sys.executable, "-m", "nnviz", "train", "--out", str(out), "--snapshots", str(snaps)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with np.load(snaps, allow_pickle=False) as new, np.load(SHIPPED_SNAPSHOTS, allow_pickle=False) as old:
        assert sorted(new.files) == sorted(old.files)
        assert all(np.array_equal(new[k], old[k]) for k in old.files)
    assert out.read_bytes() and load_snapshots(snaps).network(-1).parameter_count == 13002


def _write(path: Path, **changes: object) -> Path:
    with np.load(SHIPPED_SNAPSHOTS, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays.update(changes)
    for k, v in list(arrays.items()):
        if v is None:
            del arrays[k]
    np.savez(path, **arrays)
    return path


def _one_snapshot() -> dict[str, object]:
    with np.load(SHIPPED_SNAPSHOTS, allow_pickle=False) as f:
        return {k: f[k][-1:] for k in f.files if k.startswith("snapshot_") or k in ("step", "accuracy", "cost")}


def _nan_weights() -> dict[str, object]:
    with np.load(SHIPPED_SNAPSHOTS, allow_pickle=False) as f:
        w = f["snapshot_W2"].copy()
    w[3, 0, 0] = np.nan
    return {"snapshot_W2": w}


BAD_FILES = {
    "one_snapshot": (_one_snapshot, "at least 2"),
    "nan": (_nan_weights, "NaN"),
    "missing_costs": (lambda: {"cost": None}, "'cost'"),
    "steps_fall": (lambda: {"step": np.arange(35)[::-1].copy()}, "start at 0 and rise"),
    "final_not_last": (lambda: {"W3": np.zeros((10, 16))}, "not the last snapshot"),
    "bad_accuracy": (lambda: {"accuracy": np.full(35, 1.5)}, "[0, 1]"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_unsound_files_are_refused_in_one_line(case: str, tmp_path: Path) -> None:
    changes, words = BAD_FILES[case]
    path = _write(tmp_path / f"{case}.npz", **changes())
    with pytest.raises(NnvizError, match=None) as error:
        load_snapshots(path)
    message = str(error.value)
    assert words in message and "\n" not in message


def test_pickles_and_other_files_are_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "pickled.npz", step=np.array([object(), object()], dtype=object))
    with pytest.raises(NnvizError, match="pickle"):
        load_snapshots(tmp_path / "pickled.npz")
    (tmp_path / "notes.npz").write_text("not a zip")
    with pytest.raises(NnvizError, match="not a snapshots file"):
        load_snapshots(tmp_path / "notes.npz")
    with pytest.raises(NnvizError, match="no such snapshots file"):
        load_snapshots(tmp_path / "missing.npz")


# ---------------------------------------------------------------- settings and the command line


def _other_shape_run(tmp_path: Path) -> Path:
    train_set, test_set = load_dataset(split="train"), load_dataset(split="test")
    history = train(
        Network([784, 8, 10], seed=0), train_set.images[:64], train_set.labels[:64], epochs=1, batch_size=32,
        test=(test_set.images[:50], test_set.labels[:50]), snapshots=SnapshotPlan(every=1),
    )  # fmt: skip
    return save_snapshots(history.snapshots, tmp_path / "small.npz")


def test_a_snapshots_file_of_another_network_is_refused_by_check(tmp_path: Path) -> None:
    path = _other_shape_run(tmp_path)
    settings = lesson_settings({"snapshots": str(path)}, environ={}, cwd=tmp_path)
    with pytest.raises(NnvizError, match="784-8-10 network but the weights are 784-16-16-10"):
        settings.check()
    env_settings = lesson_settings(environ={"NNVIZ_SNAPSHOTS": str(path)}, cwd=tmp_path)
    assert env_settings.snapshots == path and env_settings.sources["snapshots"] == "NNVIZ_SNAPSHOTS"
    assert env_settings.env()["NNVIZ_SNAPSHOTS"] == str(path.resolve())
    assert lesson_settings(environ={}, cwd=tmp_path).training_run().sizes == [784, 16, 16, 10]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


@pytest.mark.parametrize("case", ["one_snapshot", "nan", "shape"])
def test_render_refuses_bad_snapshots_before_rendering(case: str, tmp_path: Path) -> None:
    if case == "shape":
        path = _other_shape_run(tmp_path)
        words = "784-8-10"
    else:
        changes, words = BAD_FILES[case]
        path = _write(tmp_path / "bad.npz", **changes())
    result = run_cli("render", "WatchItLearn", "--snapshots", str(path), "-q", "l", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--snapshots" in lines[0] and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "media").exists()


def test_train_checks_the_snapshots_name_before_training(tmp_path: Path) -> None:
    result = run_cli("train", "--out", "net.npz", "--snapshots", "run.txt", cwd=tmp_path)
    assert result.returncode == 2 and "--snapshots run.txt" in result.stderr
    assert not (tmp_path / "net.npz").exists()
    result = run_cli(
        "train", "--epochs", "2", "--snapshot-every", "100", "--snapshot-epochs", "1",
        "--out", "net.npz", "--snapshots", "run.npz", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert load_snapshots(tmp_path / "run.npz").steps.tolist() == [0, 100, 200, 266, 532]


# ---------------------------------------------------------------- where it fails


def test_confident_mistakes_are_wrong_and_sorted() -> None:
    net = Network.from_parameters(
        [np.load(SHIPPED_NETWORK)[f"W{l}"] for l in (1, 2, 3)], [np.load(SHIPPED_NETWORK)[f"b{l}"] for l in (1, 2, 3)]
    )
    test = load_dataset(split="test")
    wrong = confident_mistakes(net, test.images, test.labels, count=5)
    assert len(wrong) == 5
    assert all(m.answer != m.label == test.labels[m.index] for m in wrong)
    assert all(m.answer == net.predict(test.images[m.index] / 255) for m in wrong)
    confidences = [m.confidence for m in wrong]
    assert confidences == sorted(confidences, reverse=True)
    outputs = net.forward(test.images / 255).output
    answers = outputs.argmax(axis=1)
    mistakes = answers != test.labels
    assert confidences[0] == outputs[mistakes].max()
    counts = confusion_matrix(net, test.images, test.labels)
    top = largest_confusions(counts, 3)
    off = counts - np.diag(np.diag(counts))
    assert [n for _, _, n in top] == sorted(off.ravel(), reverse=True)[:3]
    assert all(counts[i, j] == n and i != j for i, j, n in top)
