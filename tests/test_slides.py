"""`nnviz slides`: a two-beat scene becomes a two-slide reveal.js deck with the beats' notes.

Runs in the slides environment only (manim-slides 5.7 needs manim < 0.22)::

    python3 -m venv .venv-slides && .venv-slides/bin/pip install -e '.[slides,dev]'
    NNVIZ_STRICT=1 .venv-slides/bin/python -m pytest -m slides
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slides

SCENE = '''
from manim import Circle, Create, Square, Transform
from nnviz.lesson import LessonScene


class TwoBeats(LessonScene):
    def construct(self):
        self.beat("neuron", notes="A neuron holds a number: its activation.")
        shape = Circle()
        self.play(Create(shape), run_time=0.4)
        self.beat("layer", notes="Now the square & the next beat.")
        self.play(Transform(shape, Square()), run_time=0.4)
'''


def test_manim_slides_is_installed_here() -> None:
    # Not a skip: in the slides environment a missing manim-slides is a broken set-up.
    assert importlib.util.find_spec("manim_slides") is not None, (
        "manim-slides is missing; run these tests in .venv-slides (pip install -e '.[slides,dev]')"
    )


def test_two_beats_make_a_two_slide_deck_with_notes(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    (tmp_path / "deck.py").write_text(SCENE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    result = subprocess.run(
        [sys.executable, "-m", "nnviz", "slides", "--file", "deck.py", "TwoBeats", "-ql",
         "--out", "out/deck.html"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    deck = tmp_path / "out" / "deck.html"
    assert "out/deck.html: 2 slides from 1 scene" in result.stdout

    soup = BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")
    slides = soup.select("section[data-background-video]")
    assert len(slides) == 2
    notes = [s.find("aside", class_="notes").get_text() for s in slides]
    assert notes == ["A neuron holds a number: its activation.", "Now the square & the next beat."]
    for slide in slides:  # each slide's video was copied next to the deck
        video = deck.parent / slide["data-background-video"]
        assert video.is_file() and video.stat().st_size > 0
