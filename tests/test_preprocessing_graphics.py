"""Graphical regression: last frames of the pre-processing mobjects against committed control data.

Regenerate after an intended change of the look with
``pytest tests/test_preprocessing_graphics.py --set_test`` (control data in
tests/control_data/preprocessing/, recorded on this machine's cairo).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import LEFT, RIGHT, UP, tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from nnviz.core.network import Network
from nnviz.core.paths import EMBEDDED_DATASET
from nnviz.core.preprocess import PreprocessSteps, preprocess_steps
from nnviz.lesson.settings import Digit
from nnviz.visual import (
    AnswerColumn,
    BoundingBox,
    CentreOfMass,
    InputCanvas,
    PicturePanel,
    PixelGrid,
    ScaleArrow,
)

__module_test__ = "preprocessing"


@pytest.fixture(scope="module", autouse=True)
def tex_in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory):
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield


def _steps() -> PreprocessSteps:
    """Test digit #0 of the embedded subset printed 4x larger, dark on white, off-centre (as the scene does)."""
    with np.load(EMBEDDED_DATASET) as data:
        pixels = data["images"][0] / 255.0
    return preprocess_steps(Digit(pixels, None, "digit 0").picture())


@frames_comparison(last_frame=True)
def test_picture_with_box_and_scale_arrow(scene):
    s = _steps()
    gray = PicturePanel(s.gray, height=2.6).move_to(4.2 * LEFT + 1.6 * UP)
    ink = PicturePanel(s.ink, height=2.6).move_to(4.2 * LEFT + 1.6 * UP).shift(3.6 * (RIGHT - UP) * 0.9)
    box = BoundingBox(ink, s.box_rows, s.box_cols)
    patch = PixelGrid(s.patch, pixel_size=0.12).move_to(4.5 * RIGHT + 0.3 * UP)
    arrow = ScaleArrow(ink.get_right(), patch.get_left(), s.scale, s.cropped.shape)
    scene.add(gray, ink, box, arrow, patch)


@frames_comparison(last_frame=True)
def test_centre_of_mass_canvas_and_answer(scene):
    s = _steps()
    patch = PixelGrid(s.patch, pixel_size=0.12).move_to(5 * LEFT)
    mark = CentreOfMass(patch, s.centre_of_mass)
    canvas = InputCanvas(pixel_size=0.12)
    placed = PixelGrid(s.patch, pixel_size=0.12, frame=False)
    placed.shift(canvas.patch_center(s.patch.shape, s.offset) - placed.get_center())
    answer = AnswerColumn(Network([784, 16, 16, 10], seed=0).forward(s.final).output).move_to(4.8 * RIGHT)
    scene.add(patch, mark, canvas, placed, CentreOfMass(placed, s.centre_of_mass), answer)
