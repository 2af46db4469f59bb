"""The shared formula store: a formula compiled by one manim process is found by the others, whole."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import MathTex, tempconfig

from nnviz.visual.formula_store import formula_store, share_compiled_formulas


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty store of this test's own (the session's holds other tests' formulas)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert share_compiled_formulas()
    return formula_store()


def no_tex(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on ``latex`` and ``dvisvgm`` fail: a formula can only come from a cache."""
    folder.mkdir()
    for tool in ("latex", "dvisvgm"):
        (folder / tool).write_text("#!/bin/sh\nexit 1\n")
        (folder / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_a_formula_compiled_in_one_tex_dir_is_found_in_another_without_tex(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    formula = r"\sigma(w_{1} a_{1} + \dots + b) = 0.{\tt store}"
    with tempconfig({"tex_dir": str(tmp_path / "first")}):
        compiled = MathTex(formula)
    [stored] = store.glob("*.svg")
    assert stored.read_bytes().rstrip().endswith(b"</svg>")

    no_tex(tmp_path / "bin", monkeypatch)
    with tempconfig({"tex_dir": str(tmp_path / "second")}):
        found = MathTex(formula)
    np.testing.assert_array_equal(found.get_all_points(), compiled.get_all_points())
    # The second tex_dir holds what manim leaves after a compile: the TeX source and the SVG.
    assert sorted(p.suffix for p in (tmp_path / "second").iterdir()) == [".svg", ".tex"]
    # Proof that TeX really is gone: a formula the store lacks cannot be made.
    with tempconfig({"tex_dir": str(tmp_path / "third")}), pytest.raises((ValueError, RuntimeError)):
        MathTex(r"\tau_{\rm not\ stored}")


def test_a_damaged_stored_file_is_compiled_again_and_replaced(store: Path, tmp_path: Path) -> None:
    formula = r"x_{\rm damaged}^{2}"
    with tempconfig({"tex_dir": str(tmp_path / "first")}):
        compiled = MathTex(formula)
    [stored] = store.glob("*.svg")
    whole = stored.read_bytes()
    stored.write_bytes(whole[: len(whole) // 2])  # cut off, as by a full disk
    with tempconfig({"tex_dir": str(tmp_path / "second")}):
        again = MathTex(formula)
    np.testing.assert_array_equal(again.get_all_points(), compiled.get_all_points())
    assert stored.read_bytes() == whole


def test_a_store_that_cannot_be_written_leaves_tex_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not_a_folder").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not_a_folder"))
    assert share_compiled_formulas()
    with tempconfig({"tex_dir": str(tmp_path / "tex")}):
        formula = MathTex(r"y_{\rm unstored}")
    assert len(formula.get_all_points()) > 0
    assert sorted(p.suffix for p in (tmp_path / "tex").iterdir()) == [".svg", ".tex"]


PARALLEL = """
import sys
from manim import MathTex, tempconfig
from nnviz.visual.formula_store import share_compiled_formulas

assert share_compiled_formulas()
with tempconfig({"tex_dir": sys.argv[1]}):
    for i in range(6):
        MathTex(rf"a^{{(1)}}_{{{i}}} = \\sigma(w_{{{i}}} \\cdot a + b_{{{i}}})")
"""


def test_processes_compiling_the_same_formulas_at_once_all_succeed(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = tmp_path / "parallel.py"
    script.write_text(textwrap.dedent(PARALLEL))
    processes = [
        subprocess.Popen([sys.executable, str(script), str(tmp_path / f"tex{k}")], env=env, cwd=tmp_path)
        for k in range(2)
    ]
    assert [p.wait(timeout=300) for p in processes] == [0, 0]
    stored = sorted((tmp_path / "cache" / "nnviz" / "formulas").iterdir())
    assert len(stored) == 6 and all(p.suffix == ".svg" for p in stored)  # no temporary file left
    assert all(p.read_bytes().rstrip().endswith(b"</svg>") for p in stored)


def test_without_a_home_folder_formulas_compile_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home(cls: type) -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", classmethod(no_home))
    assert share_compiled_formulas()
    with tempconfig({"tex_dir": str(tmp_path / "tex")}):
        formula = MathTex(r"z_{\rm homeless}")
    assert len(formula.get_all_points()) > 0
