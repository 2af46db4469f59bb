"""Quick start-up of the core commands, with the same numbers.

`nnviz info` and `nnviz predict` import only what they use: scipy's sigmoid on the first
forward pass, PIL and scipy.ndimage only to pre-process an image, the lecture commands never.
These tests hold the lazy paths to the numbers of the eager ones and to the modules each
command may load; bench/startup.py measures the time (no test here is timed).
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.special
from PIL import Image

import nnviz
import nnviz.api
from nnviz.cli import CORE_COMMANDS, build_parser
from nnviz.core import activations
from nnviz.core.activations import sigmoid, sigmoid_prime
from nnviz.core.blas import one_blas_thread
from nnviz.core.datasets import load_dataset
from nnviz.core.training import as_inputs


def bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


def test_sigmoid_is_scipys_expit_bit_for_bit() -> None:
    rng = np.random.default_rng(0)
    edges = np.array(
        [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.2e-308, 1e-300, 36.7, 37.0, -709.8, -745.2, 710.0]
    )
    z = np.concatenate([rng.standard_normal(3_000_000) * 8, rng.uniform(-800, 800, 1_000_000), edges])
    assert np.array_equal(bits(sigmoid(z)), bits(scipy.special.expit(z)))
    s = scipy.special.expit(z)
    assert np.array_equal(bits(sigmoid_prime(z)), bits(s * (1.0 - s)))
    # other shapes and dtypes go through the same float64 ufunc
    grid = z[:1_000_000].reshape(1000, 1000)
    assert np.array_equal(bits(sigmoid(grid)), bits(scipy.special.expit(grid)))
    small = z[:1000].astype(np.float32)
    assert np.array_equal(bits(sigmoid(small)), bits(scipy.special.expit(small.astype(float))))
    assert activations._expit() is scipy.special.expit  # the very ufunc, loaded once


def test_forward_pass_equals_an_eager_scipy_reference() -> None:
    net = nnviz.load_network()
    x = as_inputs(load_dataset(split="test").images)
    with one_blas_thread():
        a = x
        for w, b in zip(net.weights, net.biases):
            a = scipy.special.expit(a @ w.T + b)
        out = net.forward(x).output
    assert np.array_equal(bits(out), bits(a))


def test_lazy_public_names_are_the_modules_own() -> None:
    for module, names in nnviz._CORE_MODULES.items():
        for name in names:
            assert getattr(nnviz, name) is getattr(importlib.import_module(module), name), name
    assert {n for names in nnviz._CORE_MODULES.values() for n in names} <= set(nnviz.__all__)
    assert nnviz.api.load_dataset is importlib.import_module("nnviz.core.datasets").load_dataset
    assert nnviz.api.Dataset is importlib.import_module("nnviz.core.datasets").Dataset
    assert nnviz.api.preprocess is importlib.import_module("nnviz.core.preprocess").preprocess
    with pytest.raises(AttributeError, match="no_such_name"):
        nnviz.api.no_such_name  # noqa: B018


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_core_commands_parse_as_in_the_full_parser() -> None:
    full, core = subcommands(build_parser()), subcommands(build_parser(core_only=True))
    assert list(core) == list(CORE_COMMANDS)
    assert list(full)[: len(CORE_COMMANDS)] == list(CORE_COMMANDS)
    assert {"render", "slides", "page", "serve"} <= set(full) - set(core)
    for name in CORE_COMMANDS:
        assert core[name].format_help() == full[name].format_help(), name


# -- which modules each command loads, in a fresh process ------------------------------------

PROBE = """
import contextlib, io, sys
from nnviz.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:]) if len(sys.argv) > 1 else 0
print(code, *sorted(sys.modules))
"""


def loaded(tmp_path: Path, *argv: str, probe: str = PROBE) -> set[str]:
    """The modules a fresh process holds after running ``nnviz ARGV`` (or just importing it)."""
    result = subprocess.run(
        [sys.executable, "-c", probe, *argv], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    code, *modules = result.stdout.split()
    assert code == "0", result.stderr
    return set(modules)


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


LECTURE = {"nnviz.cli_lecture", "nnviz.cli_page", "nnviz.cli_serve", "nnviz.lesson", "nnviz.page"}


def test_importing_the_command_loads_no_scipy_pil_data_or_lecture(tmp_path: Path) -> None:
    modules = loaded(tmp_path)
    assert "nnviz.cli" in modules and "numpy" in modules  # the probe saw the imports
    assert top(modules).isdisjoint({"scipy", "PIL", "manim"})
    assert modules.isdisjoint({"nnviz.core.datasets", "nnviz.core.preprocess", "nnviz.api", *LECTURE})


def test_the_network_loads_scipy_at_its_first_sigmoid(tmp_path: Path) -> None:
    probe = "import sys\nfrom nnviz.api import load_network\nnet = load_network()\nprint(0, *sys.modules)\n"
    assert "scipy" not in top(loaded(tmp_path, probe=probe))
    probe = probe.replace("print", "net.forward([0.5] * 784)\nprint")
    assert "scipy.special" in loaded(tmp_path, probe=probe)


def test_info_loads_the_sigmoid_but_no_image_code(tmp_path: Path) -> None:
    modules = loaded(tmp_path, "info")
    assert {"scipy.special", "nnviz.core.datasets", "nnviz.core.training"} <= modules
    assert "PIL" not in top(modules) and "scipy.ndimage" not in modules
    assert modules.isdisjoint({"nnviz.core.preprocess", "nnviz.core.detectors", "nnviz.core.regions", *LECTURE})


def test_predict_loads_no_data_or_training(tmp_path: Path) -> None:
    digit = tmp_path / "digit.png"
    Image.fromarray(load_dataset(split="test").images[0]).save(digit)
    modules = loaded(tmp_path, "predict", str(digit))
    assert {"scipy.special", "scipy.ndimage", "PIL.Image", "nnviz.core.preprocess"} <= modules
    assert modules.isdisjoint({"nnviz.core.datasets", "nnviz.core.training", "nnviz.core.snapshots", *LECTURE})


def test_other_commands_still_get_the_full_parser(tmp_path: Path) -> None:
    modules = loaded(tmp_path, "scenes", "--json")
    assert "nnviz.cli_lecture" in modules
