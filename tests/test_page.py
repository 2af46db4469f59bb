"""`nnviz page`: the folder it writes carries the core's numbers exactly, and bad input is refused."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnviz import load_dataset, load_network
from nnviz.core.network import Network
from nnviz.core.shown import shown_indices
from nnviz.core.weights import save_network
from nnviz.page import MARKER, write_page


def nnviz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nnviz", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def script_value(path: Path) -> Any:
    """The value a ``window.NAME = ...;`` script assigns."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))


def test_the_page_carries_the_networks_exact_numbers(tmp_path: Path) -> None:
    result = nnviz("page", "--out", "site", "--palette", "colorblind", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "site/" in result.stdout
    site = tmp_path / "site"
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "style.css", "data.js", "samples.js", MARKER, "js/app.js", "js/preprocess.js"} <= names
    data = script_value(site / "data.js")
    network = load_network()
    assert data["sizes"] == network.sizes and data["palette"] == "colorblind"
    for page_w, w in zip(data["weights"], network.weights, strict=True):
        assert np.array_equal(np.array(page_w), w)  # bit for bit: JSON floats round-trip
    for page_b, b in zip(data["biases"], network.biases, strict=True):
        assert np.array_equal(np.array(page_b), b)
    assert data["shown_inputs"] == shown_indices(784, 16).tolist()
    # Every html/js reference resolves inside the folder; nothing is fetched from elsewhere.
    html = (site / "index.html").read_text()
    for ref in ("style.css", "data.js", "samples.js", "js/app.js"):
        assert f'"{ref}"' in html
    assert "http://" not in html and "https://" not in html


def test_the_samples_are_held_out_digits_with_the_cores_answers(tmp_path: Path) -> None:
    write_page(tmp_path / "site")
    samples = script_value(tmp_path / "site" / "samples.js")
    test = load_dataset(split="test")
    indices = np.array(samples["indices"])
    assert 200 <= samples["count"] == len(indices) <= 400
    pixels = np.frombuffer(base64.b64decode(samples["pixels"]), dtype=np.uint8)
    assert np.array_equal(pixels.reshape(-1, 28, 28), test.images[indices])
    assert samples["labels"] == test.labels[indices].tolist()
    predictions = np.asarray(load_network().predict(test.inputs()[indices]))
    assert samples["predictions"] == predictions.tolist()
    # Every digit the network gets wrong is among them.
    wrong_all = int((np.asarray(load_network().predict(test.inputs())) != test.labels).sum())
    assert int((predictions != test.labels[indices]).sum()) == wrong_all > 0


def test_writing_again_replaces_a_page_and_other_folders_are_refused(tmp_path: Path) -> None:
    assert nnviz("page", "--out", "site", cwd=tmp_path).returncode == 0
    (tmp_path / "site" / "stale.txt").write_text("from an old page")
    assert nnviz("page", "--out", "site", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "site" / "stale.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]  # no temporary folder left

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "lecture.md").write_text("mine")
    (tmp_path / "file.txt").write_text("mine")
    for out, words in (
        ("notes", "holds other files"),
        ("file.txt", "is a file"),
        ("missing/site", "does not exist"),
    ):
        result = nnviz("page", "--out", out, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["lecture.md"]
    assert (tmp_path / "file.txt").read_text() == "mine"


def test_other_weights_and_bad_input(tmp_path: Path) -> None:
    save_network(Network([784, 30, 10], seed=1), tmp_path / "mine.npz")
    result = nnviz("page", "--out", "site", "--weights", "mine.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = script_value(tmp_path / "site" / "data.js")
    assert data["sizes"] == [784, 30, 10] and "mine.npz" in data["source"]
    for args, words in (
        (["--weights", "README.md"], "README.md"),
        (["--palette", "pink"], "invalid choice"),
    ):
        (tmp_path / "README.md").write_text("# not weights")
        result = nnviz("page", "--out", "other", *args, cwd=tmp_path)
        assert result.returncode == 2 and words in result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("size", [10, 784 + 1])
def test_a_network_without_28x28_inputs_is_refused(tmp_path: Path, size: int) -> None:
    save_network(Network([size, 4, 10], seed=0), tmp_path / "odd.npz")
    result = nnviz("page", "--out", "site", "--weights", "odd.npz", cwd=tmp_path)
    assert result.returncode == 2 and f"takes {size} inputs" in result.stderr
    assert not (tmp_path / "site").exists()
