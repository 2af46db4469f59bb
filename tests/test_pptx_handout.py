"""`nnviz slides --to pptx` and `nnviz handout` on a two-beat scene of our own.

The PowerPoint deck is read back with python-pptx (a movie and notes per slide, last-frame
posters) and opened by LibreOffice Impress; the PDF handout is read with poppler
(``pdfinfo``, ``pdftoppm``, ``pdftotext``). Debian packages: libreoffice-impress, poppler-utils.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

SCENE = """
from manim import Circle, Create, Square, Transform
from nnviz.lesson import LessonScene


class TwoBeats(LessonScene):
    \"\"\"Two beats for the handout\"\"\"

    def construct(self):
        self.beat("neuron", notes="A neuron holds a number: its activation.")
        shape = Circle()
        self.play(Create(shape), run_time=0.4)
        self.beat("layer", notes="Now the square & the next beat.")
        self.play(Transform(shape, Square()), run_time=0.4)
"""
NOTES = ["A neuron holds a number: its activation.", "Now the square & the next beat."]


def nnviz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"needs {name}: apt-get install {package}")
    return path


def not_blank(image: Image.Image) -> bool:
    """More than a flat colour: some pixels differ clearly from the most common one."""
    pixels = np.asarray(image.convert("L"), dtype=np.int16)
    background = np.bincount(pixels.ravel()).argmax()
    return bool((np.abs(pixels - background) > 40).mean() > 0.001)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder with the scene, its PowerPoint deck and its A4 handout (one render each)."""
    folder = tmp_path_factory.mktemp("pptx_handout")
    (folder / "two.py").write_text(SCENE)
    (folder / "out").mkdir()
    for args in (
        ("slides", "--file", "two.py", "TwoBeats", "-ql", "--to", "pptx", "--out", "out/deck.pptx"),
        ("handout", "--file", "two.py", "TwoBeats", "-ql", "--out", "out/hand.pdf"),
    ):
        result = nnviz(*args, cwd=folder)
        assert result.returncode == 0, result.stderr
    return folder / "out"


# ---------------------------------------------------------------- PowerPoint


class TestMadeOnce:
    """Tests of one deck and handout made once (``made``): a class runs on one pytest-xdist worker."""

    def test_the_pptx_has_a_slide_per_beat_with_a_movie_notes_and_a_last_frame_poster(self, made: Path) -> None:
        from pptx import Presentation

        deck = Presentation(str(made / "deck.pptx"))
        assert len(deck.slides) == 2
        posters = []
        for slide, notes in zip(deck.slides, NOTES):
            movies = [r for r in slide.part.rels.values() if r.reltype.endswith(("/video", "/media"))]
            assert movies, "no movie on the slide"
            assert all(r.target_part.blob for r in movies)
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == notes
            (movie,) = [s for s in slide.shapes if s.element.tag.endswith("}pic")]  # a movie is a picture shape
            (embed,) = movie.element.xpath("./p:blipFill/a:blip/@r:embed")  # its poster frame
            poster = Image.open(io.BytesIO(slide.part.related_part(embed).blob))
            assert not_blank(poster)
            posters.append(np.asarray(poster.convert("L")))
        # The posters are the beats' last frames: a circle, then a square (not the first, black frame).
        assert not np.array_equal(posters[0], posters[1])

    def test_libreoffice_opens_the_pptx(self, made: Path, tmp_path: Path) -> None:
        soffice = tool("soffice", "libreoffice-impress")
        pdftoppm = tool("pdftoppm", "poppler-utils")
        profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
        result = subprocess.run(
            [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(made / "deck.pptx")],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        pdf = tmp_path / "deck.pdf"
        assert pdf.is_file(), result.stdout + result.stderr
        subprocess.run([pdftoppm, "-png", "-r", "40", str(pdf), str(tmp_path / "slide")], check=True, timeout=120)
        pages = sorted(tmp_path.glob("slide-*.png"))
        assert len(pages) == 2
        assert all(not_blank(Image.open(p)) for p in pages)

    # ---------------------------------------------------------------- PDF handout

    def test_the_handout_has_a_page_per_beat_a_picture_and_the_notes(self, made: Path, tmp_path: Path) -> None:
        pdf = made / "hand.pdf"
        info = subprocess.run([tool("pdfinfo", "poppler-utils"), str(pdf)], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages:\s+2$", info.stdout, re.MULTILINE), info.stdout
        assert "595.276 x 841.89" in info.stdout  # A4 in points
        subprocess.run([tool("pdftoppm", "poppler-utils"), "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf),
                        str(tmp_path / "page")], check=True, timeout=120)  # fmt: skip
        (page,) = tmp_path.glob("page-*.png")
        assert not_blank(Image.open(page))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Two beats for the handout" in text  # the page title: the scene's docstring
        for notes in NOTES:
            assert notes in " ".join(text.split())

    def test_the_handout_on_letter_paper(self, made: Path) -> None:
        # The same scene again (its render reused), through the command line with --paper letter.
        result = nnviz("handout", "--file", "two.py", "TwoBeats", "-ql", "--paper", "letter", "--out", "out/letter.pdf",
                       cwd=made.parent)  # fmt: skip
        assert result.returncode == 0, result.stderr
        info = subprocess.run([tool("pdfinfo", "poppler-utils"), str(made / "letter.pdf")], capture_output=True,
                              text=True, check=True)  # fmt: skip
        assert re.search(r"^Pages:\s+2$", info.stdout, re.MULTILINE) and "612 x 792" in info.stdout, info.stdout


def test_letter_paper(tmp_path: Path) -> None:
    from nnviz.lesson.handout import BeatPage, write_handout

    picture = Image.new("RGB", (160, 90), "black")
    out = tmp_path / "letter.pdf"
    assert write_handout([BeatPage("Title", "beat", picture, "Notes σ(Wa + b).")], out, paper="letter") == 1
    info = subprocess.run([tool("pdfinfo", "poppler-utils"), str(out)], capture_output=True, text=True, check=True)
    assert "612 x 792" in info.stdout
    assert not list(tmp_path.glob(".*partial*"))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("handout", "--file", "two.py", "Nope", "--out", "hand.pdf"), ["Nope"]),
        (("handout", "--file", "two.py", "TwoBeats", "--out", "missing/hand.pdf"), ["missing", "does not exist"]),
        (("handout", "--file", "two.py", "TwoBeats", "--out", "hand.txt"), ["PDF"]),
        (("slides", "--file", "two.py", "Nope", "--to", "pptx", "--out", "deck.pptx"), ["Nope"]),
        (("slides", "--file", "two.py", "TwoBeats", "--to", "pptx", "--out", "no/deck.pptx"), ["does not exist"]),
        (("slides", "--file", "two.py", "TwoBeats", "--to", "pptx", "--out", "deck.html"), [".pptx"]),
        (("slides", "--file", "two.py", "TwoBeats", "--to", "keynote", "--out", "deck.key"), ["keynote"]),
        (("slides", "--file", "two.py", "TwoBeats", "--to", "pptx", "--one-file", "--out", "d.pptx"), ["one-file"]),
        (("handout", "--file", "two.py", "TwoBeats", "--paper", "a3", "--out", "hand.pdf"), ["a3"]),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path: Path, args: tuple[str, ...], words: list[str]) -> None:
    (tmp_path / "two.py").write_text(SCENE)
    result = nnviz(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["two.py"]
