"""`nnviz render` and a plain `manim render` share a media folder (issue 14).

manim cleans its ``media/Tex`` after every formula by unlinking each entry that is not an
SVG or a .tex; a directory there crashes it (``IsADirectoryError``). nnviz's per-job TeX
folders live under ``media/nnviz/tex/`` instead, and a folder where an older nnviz left
them in ``media/Tex`` is repaired. Every test here works in its own tmp folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nnviz.lesson.jobs import RenderJob, RenderOptions
from nnviz.lesson.media_folder import job_cache_dirs, job_config, repair_media_dir

# Two formulas per render at most, -ql, one still frame and no animation: the cheapest MathTex renders.
FORMULA_SCENES = textwrap.dedent(
    r"""
    from manim import MathTex, Scene


    class Bias(Scene):
        def construct(self):
            self.add(MathTex(r"\sigma(w_1 a_1 + b)"))


    class Sigmoid(Scene):
        def construct(self):
            self.add(MathTex(r"\sigma(x) = \frac{1}{1 + e^{-x}}"))
    """
)
# A formula neither render above compiled, so plain manim really runs LaTeX and then cleans up.
PLAIN_MANIM_SCENE = textwrap.dedent(
    r"""
    from manim import MathTex, Scene


    class T(Scene):
        def construct(self):
            self.add(MathTex(r"a^{(1)} = \sigma(W a^{(0)} + b)"))
    """
)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Without the lecturer's lesson settings: a bad NNVIZ_PALETTE would stop `nnviz render`.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def nnviz_render(cwd: Path, *scenes: str) -> subprocess.CompletedProcess[str]:
    (cwd / "bias.py").write_text(FORMULA_SCENES)
    return run(["-m", "nnviz", "render", "--file", "bias.py", *scenes, "-q", "l", "-s", "--jobs", "2"], cwd)


def plain_manim_formula(cwd: Path) -> subprocess.CompletedProcess[str]:
    """`manim render -s -ql tx.py T` in ``cwd``: a fresh MathTex, compiled into manim's own media/Tex."""
    (cwd / "tx.py").write_text(PLAIN_MANIM_SCENE)
    return run(["-m", "manim", "render", "-s", "-ql", "tx.py", "T"], cwd)


def directories_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


# ---------------------------------------------------------------- where the job folders are


def test_job_caches_live_in_nnvizs_own_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    job = RenderJob("Bias", Path("scenes/bias.py"))
    options = RenderOptions(media_dir=Path("media"))
    config = job_config(job, options)
    text = config.read_text()
    tex_dir, text_dir = job_cache_dirs(job, options.media_dir)
    assert f"tex_dir = {(tmp_path / 'media' / 'nnviz' / 'tex' / 'bias.Bias')}" in text
    assert f"text_dir = {(tmp_path / 'media' / 'nnviz' / 'texts' / 'bias.Bias')}" in text
    assert tex_dir == Path("media/nnviz/tex/bias.Bias") and text_dir == Path("media/nnviz/texts/bias.Bias")
    assert not (tmp_path / "media" / "Tex").exists()


def test_repair_moves_old_job_folders_and_nothing_else(tmp_path: Path) -> None:
    media = tmp_path / "media"
    tex, texts = media / "Tex", media / "texts"
    for folder in (tex / "bias.Bias", tex / "feed_forward.FeedForward", texts / "bias.Bias"):
        folder.mkdir(parents=True)
        (folder / "0123456789abcdef.svg").write_text("<svg/>")
    (tex / "fedcba9876543210.svg").write_text("<svg/>")  # manim's own cache entries stay
    (tex / "fedcba9876543210.tex").write_text("x")
    (tex / "notes").mkdir()  # not named like a job folder: not nnviz's to move

    moved = repair_media_dir(media)

    assert sorted(p.relative_to(media).as_posix() for p in moved) == [
        "nnviz/tex/bias.Bias", "nnviz/tex/feed_forward.FeedForward", "nnviz/texts/bias.Bias",
    ]  # fmt: skip
    assert directories_in(tex) == ["notes"] and directories_in(texts) == []
    assert (tex / "fedcba9876543210.svg").is_file() and (tex / "fedcba9876543210.tex").is_file()
    assert (media / "nnviz" / "tex" / "bias.Bias" / "0123456789abcdef.svg").is_file()  # the cache is kept
    assert repair_media_dir(media) == []  # nothing left to do


def test_repair_drops_an_old_folder_whose_new_place_is_taken(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "Tex" / "bias.Bias").mkdir(parents=True)
    (media / "Tex" / "bias.Bias" / "old.svg").write_text("<svg/>")
    (media / "nnviz" / "tex" / "bias.Bias").mkdir(parents=True)
    (media / "nnviz" / "tex" / "bias.Bias" / "new.svg").write_text("<svg/>")
    assert repair_media_dir(media) == []
    assert directories_in(media / "Tex") == []
    assert [p.name for p in (media / "nnviz" / "tex" / "bias.Bias").iterdir()] == ["new.svg"]


def test_repair_of_a_folder_that_does_not_exist_does_nothing(tmp_path: Path) -> None:
    assert repair_media_dir(tmp_path / "nowhere") == []
    assert not (tmp_path / "nowhere").exists()


# ---------------------------------------------------------------- with manim, end to end


def test_plain_manim_compiles_formulas_after_nnviz_render(tmp_path: Path) -> None:
    rendered = nnviz_render(tmp_path, "Bias", "Sigmoid")
    assert rendered.returncode == 0, rendered.stderr
    assert (tmp_path / "media" / "images" / "bias" / "Bias.png").is_file()
    assert directories_in(tmp_path / "media" / "Tex") == []  # manim's folder as manim expects it
    for scene in ("Bias", "Sigmoid"):
        assert list((tmp_path / "media" / "nnviz" / "tex" / f"bias.{scene}").glob("*.svg"))

    plain = plain_manim_formula(tmp_path)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "IsADirectoryError" not in plain.stderr
    assert list((tmp_path / "media" / "images" / "tx").glob("T*.png"))  # T_ManimCE_v0.22.0.png


def test_a_media_folder_damaged_by_an_older_nnviz_works(tmp_path: Path) -> None:
    # What nnviz before issue 14 left behind: a job's TeX cache inside manim's media/Tex.
    old = tmp_path / "media" / "Tex" / "bias.Bias"
    old.mkdir(parents=True)
    (old / "0123456789abcdef.svg").write_text("<svg/>")
    rendered = nnviz_render(tmp_path, "Bias")
    assert rendered.returncode == 0, rendered.stderr
    assert directories_in(tmp_path / "media" / "Tex") == []
    assert (tmp_path / "media" / "nnviz" / "tex" / "bias.Bias" / "0123456789abcdef.svg").is_file()

    plain = plain_manim_formula(tmp_path)
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert list((tmp_path / "media" / "images" / "tx").glob("T*.png"))  # T_ManimCE_v0.22.0.png
