"""The `nnviz` command end to end, in a subprocess: results, and every bad input refused cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nnviz.core.idx import write_idx
from nnviz.core.network import Network
from nnviz.core.paths import EMBEDDED_DATASET
from nnviz.core.weights import save_network


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def assert_clean_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, exactly one line on stderr naming the problem, no traceback."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture(scope="module")
def embedded() -> dict[str, np.ndarray]:
    with np.load(EMBEDDED_DATASET) as d:
        return {k: d[k] for k in d.files}


@pytest.fixture
def digit_png(tmp_path: Path, embedded: dict[str, np.ndarray]) -> tuple[Path, int]:
    """A held-out digit, drawn as a user would: black ink on white, 4x larger."""
    index = int(np.flatnonzero(embedded["test"])[0])
    image = Image.fromarray(255 - embedded["images"][index]).resize((112, 112))
    path = tmp_path / "digit.png"
    image.save(path)
    return path, int(embedded["labels"][index])


# ---------------------------------------------------------------- results


def test_info_json() -> None:
    result = run("info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["sizes"] == [784, 16, 16, 10]
    assert info["activation"] == "sigmoid"
    assert info["parameters"] == 13002
    assert info["accuracy"] >= 0.92
    assert info["weights"].endswith("network.npz")


def test_info_text_other_weights(tmp_path: Path) -> None:
    path = save_network(Network([784, 8, 10], activation="relu", seed=0), tmp_path / "w.npz")
    result = run("info", "--weights", str(path))
    assert result.returncode == 0
    assert "784-8-10" in result.stdout and "relu" in result.stdout and "6,370" in result.stdout


def test_evaluate_json_matches_the_core(embedded: dict[str, np.ndarray]) -> None:
    from nnviz import load_network

    result = run("evaluate", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    test = embedded["test"]
    net = load_network()
    predicted = net.predict(embedded["images"][test].reshape(-1, 784) / 255.0)
    assert report["count"] == int(test.sum()) == 1500
    assert report["accuracy"] == pytest.approx(float(np.mean(predicted == embedded["labels"][test])))
    confusion = np.array(report["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 1500
    assert np.trace(confusion) / 1500 == pytest.approx(report["accuracy"])


def test_predict_json(digit_png: tuple[Path, int]) -> None:
    path, label = digit_png
    result = run("predict", str(path), str(path), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 2 and rows[0]["file"] == str(path)
    assert rows[0]["digit"] == label
    assert len(rows[0]["activations"]) == 10
    assert rows[0]["confidence"] == max(rows[0]["activations"])


def test_train_writes_a_network_and_reports_each_epoch(tmp_path: Path) -> None:
    out = tmp_path / "net.npz"
    result = run(
        "train",
        "--hidden",
        "12",
        "--epochs",
        "2",
        "--batch-size",
        "20",
        "--lr",
        "1.0",
        "--seed",
        "3",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "epoch 1/2: held-out accuracy" in result.stderr and "epoch 2/2" in result.stderr
    info = json.loads(run("info", "--weights", str(out), "--json").stdout)
    assert info["sizes"] == [784, 12, 10] and info["accuracy"] > 0.8


def test_train_is_reproducible(tmp_path: Path) -> None:
    args = ["train", "--hidden", "8", "--epochs", "1", "--seed", "5"]
    assert run(*args, "--out", str(tmp_path / "a.npz")).returncode == 0
    assert run(*args, "--out", str(tmp_path / "b.npz")).returncode == 0
    with np.load(tmp_path / "a.npz") as a, np.load(tmp_path / "b.npz") as b:
        assert all(np.array_equal(a[k], b[k]) for k in a.files)


def test_train_on_idx_directory_uses_t10k_as_held_out(tmp_path: Path, embedded: dict[str, np.ndarray]) -> None:
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", embedded["images"][:500])
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", embedded["labels"][:500])
    write_idx(tmp_path / "t10k-images-idx3-ubyte", embedded["images"][500:700])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", embedded["labels"][500:700])
    out = tmp_path / "net.npz"
    result = run("train", "--data", str(tmp_path), "--hidden", "8", "--epochs", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "500 digits" in result.stderr and "200 held-out" in result.stderr
    report = json.loads(run("evaluate", "--weights", str(out), "--data", str(tmp_path), "--json").stdout)
    assert report["count"] == 200


def test_ctrl_c_stops_training_without_a_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "net.npz"
    proc = subprocess.Popen(
        [sys.executable, "-m", "nnviz", "train", "--epochs", "200", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert os.listdir(tmp_path) == []


def test_grids_writes_a_png_per_neuron_and_a_contact_sheet(tmp_path: Path) -> None:
    from nnviz import load_network

    result = run("grids", "--out", str(tmp_path / "g"))
    assert result.returncode == 0, result.stderr
    files = sorted(os.listdir(tmp_path / "g"))
    assert len(files) == 17 and "layer1_contact_sheet.png" in files
    grid = np.asarray(Image.open(tmp_path / "g" / "layer1_neuron00.png").convert("RGB"))
    assert grid.shape == (284, 284, 3)
    assert (grid[0] == 255).all()  # the white frame
    # The strongest weight of neuron 0 is drawn at full strength in its sign's colour.
    w = load_network().weights[0][0].reshape(28, 28)
    r, c = np.unravel_index(np.argmax(np.abs(w)), w.shape)
    pixel = grid[2 + 10 * r + 5, 2 + 10 * c + 5]
    expected = (0x58, 0xC4, 0xDD) if w[r, c] > 0 else (0xFC, 0x62, 0x55)
    assert tuple(pixel) == expected
    layer2 = run("grids", "--layer", "2", "--out", str(tmp_path / "g2"))
    assert layer2.returncode == 0 and len(os.listdir(tmp_path / "g2")) == 17


# ---------------------------------------------------------------- bad input


def _bad_weights(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.npz"
    good = dict(
        W1=np.ones((16, 784)), b1=np.zeros(16), W2=np.ones((10, 16)), b2=np.zeros(10), activation=np.array("sigmoid")
    )
    if kind == "truncated":
        full = save_network(Network([784, 16, 10]), tmp_path / "full.npz").read_bytes()
        (tmp_path / "full.npz").unlink()
        path.write_bytes(full[:1000])
        return path
    changes = {
        "pickled": dict(W1=np.array([None, {"a": 1}], dtype=object)),
        "nan": dict(b1=np.full(16, np.nan)),
        "misshaped": dict(W2=np.ones((10, 15))),
    }[kind]
    with open(path, "wb") as f:
        np.savez(f, **{**good, **changes})
    return path


@pytest.mark.parametrize("kind", ["truncated", "pickled", "nan", "misshaped"])
@pytest.mark.parametrize("command", ["info", "evaluate", "grids", "predict"])
def test_bad_weights_file(tmp_path: Path, kind: str, command: str, digit_png: tuple[Path, int]) -> None:
    path = _bad_weights(tmp_path, kind)
    extra = {"grids": ["--out", str(tmp_path / "out")], "predict": [str(digit_png[0])]}.get(command, [])
    result = run(command, "--weights", str(path), *extra)
    assert_clean_error(result, str(path))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["info", "evaluate", "grids", "predict"])
def test_a_file_that_is_not_an_npz_archive_is_not_a_weights_file(
    tmp_path: Path, command: str, digit_png: tuple[Path, int]
) -> None:
    # np.load takes any non-zip, non-.npy file for a pickle; the message must say what it is.
    notes = tmp_path / "README.md"
    notes.write_text("# My lecture\n\nThe network has 13,002 parameters.\n")
    extra = {"grids": ["--out", str(tmp_path / "out")], "predict": [str(digit_png[0])]}.get(command, [])
    result = run(command, "--weights", str(notes), *extra, cwd=tmp_path)
    assert_clean_error(result, f"{notes}: not a weights file", "expected an .npz archive", "nnviz train")
    assert "pickle" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_grids_palettes_are_the_themes(tmp_path: Path) -> None:
    from nnviz.theme import PALETTES

    help_text = run("grids", "--help").stdout
    assert all(name in help_text for name in PALETTES)
    result = run("grids", "--palette", "sepia", "--out", str(tmp_path / "g"))
    assert_clean_error(result, "--palette", *PALETTES)
    assert not (tmp_path / "g").exists()


def test_missing_weights_file(tmp_path: Path) -> None:
    assert_clean_error(run("info", "--weights", str(tmp_path / "nope.npz")), "nope.npz", "no such")


def test_missing_image(tmp_path: Path) -> None:
    assert_clean_error(run("predict", str(tmp_path / "nope.png")), "nope.png")


def test_not_an_image(tmp_path: Path, digit_png: tuple[Path, int]) -> None:
    path = tmp_path / "notes.png"
    path.write_text("these are my lecture notes")
    result = run("predict", str(digit_png[0]), str(path), "--json")
    assert_clean_error(result, "notes.png")
    assert result.stdout == ""  # nothing printed for the good file either


def test_image_without_ink(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (50, 50), 255).save(path)
    assert_clean_error(run("predict", str(path)), "blank.png", "ink")


def test_directory_without_idx_files(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("hello")
    assert_clean_error(run("evaluate", "--data", str(tmp_path)), str(tmp_path))
    out = tmp_path / "net.npz"
    assert_clean_error(run("train", "--data", str(tmp_path), "--out", str(out)), str(tmp_path))
    assert not out.exists()


def test_network_input_size_does_not_match_the_data(tmp_path: Path) -> None:
    path = save_network(Network([100, 10]), tmp_path / "small.npz")
    assert_clean_error(run("evaluate", "--weights", str(path)), "100 inputs", "784")


def test_predict_needs_a_28x28_network(tmp_path: Path, digit_png: tuple[Path, int]) -> None:
    path = save_network(Network([100, 10]), tmp_path / "small.npz")
    assert_clean_error(run("predict", str(digit_png[0]), "--weights", str(path)), "100 inputs")


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["train", "--hidden", "abc"], "--hidden"),
        (["train", "--hidden", "16,0"], "--hidden"),
        (["train", "--epochs", "-1"], "--epochs"),
        (["train", "--batch-size", "0"], "--batch-size"),
        (["train", "--lr", "nan"], "--lr"),
        (["train", "--activation", "tanh"], "--activation"),
        (["grids", "--layer", "x"], "--layer"),
    ],
)
def test_malformed_options(tmp_path: Path, args: list[str], word: str) -> None:
    out = tmp_path / "net.npz"
    result = run(*args, "--out", str(out))
    assert_clean_error(result, word)
    assert not out.exists()


def test_grids_layer_out_of_range(tmp_path: Path) -> None:
    assert_clean_error(run("grids", "--layer", "4", "--out", str(tmp_path / "g")), "--layer 4")
    assert not (tmp_path / "g").exists()


def test_train_out_must_be_npz(tmp_path: Path) -> None:
    assert_clean_error(run("train", "--out", str(tmp_path / "net.txt")), "--out")
