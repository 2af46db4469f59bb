"""Pre-processing drawn: the mobjects place the core's numbers exactly, and the scene shows the core's numbers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import DOWN, LEFT, RIGHT, UP, tempconfig

from nnviz.core.errors import NnvizError
from nnviz.core.network import Network
from nnviz.core.preprocess import PreprocessSteps, preprocess_steps
from nnviz.lesson.settings import DEFAULT_DIGIT, LessonSettings
from nnviz.theme import get_theme
from nnviz.visual import AnswerColumn, BoundingBox, CentreOfMass, InputCanvas, PicturePanel, PixelGrid, ScaleArrow
from nnviz.visual.preprocessing import display_picture

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def tex_in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory):
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield


@pytest.fixture(scope="module")
def steps() -> PreprocessSteps:
    return preprocess_steps(LessonSettings().digit().picture())


# ---------------------------------------------------------------- the picture and its box


@pytest.mark.parametrize("shape", [(160, 200), (480, 640), (700, 90)])
def test_panel_maps_picture_pixels_to_the_screen(shape: tuple[int, int]) -> None:
    picture = np.random.default_rng(0).random(shape)
    panel = PicturePanel(picture, height=3.0).shift(2 * LEFT + UP)
    rows, cols = shape
    grid = panel.grid
    assert panel.picture_shape == shape and max(panel.shown.shape) == min(200, max(shape))
    # The picture's outer corners are the grid's corners, whatever the averaging down.
    np.testing.assert_allclose(panel.edge_point(0, 0), grid.get_corner(UP + LEFT), atol=1e-9)
    np.testing.assert_allclose(panel.edge_point(rows, cols), grid.get_corner(DOWN + RIGHT), atol=1e-9)
    np.testing.assert_allclose(panel.height, 3.0, atol=0.03)
    if max(shape) <= 200:  # drawn one cell per pixel: pixel centres are cell centres
        np.testing.assert_allclose(panel.point(17, 23), grid.pixel_center(17, 23), atol=1e-9)


def test_panel_draws_each_level_once() -> None:
    picture = np.random.default_rng(1).random((30, 40))
    panel = PicturePanel(picture, height=2.0)
    n = get_theme().grid_levels
    levels = np.rint(panel.shown * n).astype(int)
    # Nested paths: path k covers the pixels at level >= k with opacity 1/(n-k+1); after the first
    # q of them a pixel of level q has opacity 1 - prod(1 - 1/(n-k+1)) = q/n.
    opacities = [p.get_fill_opacity() for p in panel.levels]
    assert opacities == pytest.approx([1 / (n - k + 1) for k in range(1, len(opacities) + 1)])
    composed = 1 - np.cumprod([1 - a for a in opacities])
    assert composed == pytest.approx(np.arange(1, len(opacities) + 1) / n)
    assert len(opacities) == levels.max()


def test_display_picture_averages_large_pictures_only() -> None:
    big = np.zeros((400, 400))
    big[:200] = 1.0
    shown = display_picture(big, 200)
    assert shown.shape == (200, 200) and shown[:100].min() == 1 and shown[100:].max() == 0
    small = np.eye(50)
    assert np.array_equal(display_picture(small, 200), small)
    with pytest.raises(NnvizError, match="2-D"):
        display_picture(np.zeros((3, 3, 3)), 200)


def test_bounding_box_sits_on_the_cores_rows_and_columns(steps: PreprocessSteps) -> None:
    panel = PicturePanel(steps.ink, height=3.6).shift(3 * LEFT)
    box = BoundingBox(panel, steps.box_rows, steps.box_cols)
    (r0, r1), (c0, c1) = steps.box_rows, steps.box_cols
    np.testing.assert_allclose(box.rect.get_corner(UP + LEFT), panel.edge_point(r0, c0), atol=1e-9)
    np.testing.assert_allclose(box.rect.get_corner(DOWN + RIGHT), panel.edge_point(r1 + 1, c1 + 1), atol=1e-9)
    assert box.size == steps.box_size
    assert box.height_label.original_text == f"{steps.box_size[0]} px"
    assert box.width_label.original_text == f"{steps.box_size[1]} px"


def test_scale_arrow_carries_the_cores_factor(steps: PreprocessSteps) -> None:
    arrow = ScaleArrow(LEFT, RIGHT, steps.scale, steps.cropped.shape)
    assert arrow.factor == steps.scale
    tex = arrow.label[0].get_tex_string() + arrow.label[1].get_tex_string()
    assert f"{steps.scale:.3f}" in tex and f"{max(steps.cropped.shape)}" in tex and "20" in tex


# ---------------------------------------------------------------- centre of mass, canvas, answer


def test_patch_lands_with_its_centre_of_mass_on_the_crosshair(steps: PreprocessSteps) -> None:
    canvas = InputCanvas(pixel_size=0.12).shift(2 * RIGHT + 0.3 * DOWN)
    patch = PixelGrid(steps.patch, pixel_size=0.12).shift(4 * LEFT)
    mark = CentreOfMass(patch, steps.centre_of_mass)
    np.testing.assert_allclose(mark.dot.get_center(), patch.pixel_center(*steps.centre_of_mass), atol=1e-9)
    target = canvas.patch_center(steps.patch.shape, steps.offset)
    moved = target - patch.get_center()
    patch.shift(moved)
    mark.shift(moved)
    # Where the patch's centre of mass now is, and where the crosshair meets: pixel (14, 14).
    np.testing.assert_allclose(patch.pixel_center(*steps.centre_of_mass), canvas.centre_point(), atol=1e-9)
    np.testing.assert_allclose(mark.dot.get_center(), canvas.centre_point(), atol=1e-9)
    np.testing.assert_allclose(canvas.centre_point(), canvas.point(*steps.placed_centre), atol=1e-9)
    vertical, horizontal = canvas.crosshair
    assert vertical.get_center()[0] == pytest.approx(canvas.centre_point()[0])
    assert horizontal.get_center()[1] == pytest.approx(canvas.centre_point()[1])
    # The canvas's pixels are the final grid's pixels.
    final = PixelGrid(steps.final, pixel_size=0.12).move_to(canvas.outline)
    np.testing.assert_allclose(final.pixel_center(3, 20), canvas.point(3, 20), atol=1e-9)


def test_answer_column_is_the_forward_pass(steps: PreprocessSteps) -> None:
    net = Network([784, 16, 16, 10], seed=3)
    out = net.forward(steps.final).output
    answer = AnswerColumn(out)
    assert [n.get_fill_opacity() for n in answer.neurons] == pytest.approx(out)
    assert answer.winner == int(np.argmax(out))
    assert [v.original_text for v in answer.values] == [f"{a:.2f}" for a in out]
    winner = answer.neurons[answer.winner].get_center()
    assert answer.box.get_bottom()[1] < winner[1] < answer.box.get_top()[1]
    with pytest.raises(NnvizError, match="finite"):
        AnswerColumn([np.nan, 0.5])


# ---------------------------------------------------------------- the scene's numbers are the core's


def scene_class() -> type:
    spec = importlib.util.spec_from_file_location("pre_processing_scene", ROOT / "scenes" / "pre_processing.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PreProcessing


def run_scene(tmp_path: Path):
    """Run the scene's construct with every animation skipped to its end: the numbers, no frames."""
    from manim.renderer.cairo_renderer import CairoRenderer

    with tempconfig({"dry_run": True, "media_dir": str(tmp_path), "quality": "low_quality"}):
        scene = scene_class()(renderer=CairoRenderer(skip_animations=True))
        scene.render()
    return scene


def check_scene_numbers(scene, expected: PreprocessSteps, network: Network) -> None:
    s = scene.steps
    for name in ("gray", "ink", "cropped", "patch", "final"):
        assert getattr(s, name).tobytes() == getattr(expected, name).tobytes(), name
    assert (s.box_rows, s.box_cols, s.scale, s.grow) == (
        expected.box_rows,
        expected.box_cols,
        expected.scale,
        expected.grow,
    )
    assert (s.centre_of_mass, s.offset) == (expected.centre_of_mass, expected.offset)
    # What is drawn: the final grid's 784 values and the network's outputs for them.
    np.testing.assert_array_equal(scene.final.values, expected.final)
    out = network.forward(expected.final).output
    np.testing.assert_array_equal(scene.answer.outputs, out)
    text = "\n".join(scene.captions)
    (r0, r1), (c0, c1) = expected.box_rows, expected.box_cols
    h, w = expected.box_size
    r, c = expected.centre_of_mass
    for number in (
        f"rows {r0}–{r1}, columns {c0}–{c1}: {h} x {w} px",
        f"x {expected.scale:.3f} = 20 px",
        f"row {r:.2f}, column {c:.2f}",
        f"row {expected.offset[0]:.2f}, column {expected.offset[1]:.2f}",
        f"reads it as {int(np.argmax(out))}, output {out.max():.2f}",
    ):
        assert number in text, number


def test_scene_shows_the_cores_numbers_for_the_default_digit(tmp_path: Path, monkeypatch) -> None:
    for name in ("NNVIZ_DIGIT", "NNVIZ_WEIGHTS", "NNVIZ_PALETTE"):
        monkeypatch.delenv(name, raising=False)
    settings = LessonSettings()
    scene = run_scene(tmp_path)
    assert scene.digit.index == DEFAULT_DIGIT
    check_scene_numbers(scene, preprocess_steps(settings.digit().picture()), settings.network())
    assert f"test digit #{DEFAULT_DIGIT}" in scene.captions[0]


def test_scene_shows_your_own_picture(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (320, 240), 230)  # a dark "7" on grey paper, off to the right
    ImageDraw.Draw(img).line([(180, 40), (260, 40), (200, 200)], fill=30, width=9)
    path = tmp_path / "seven.png"
    img.save(path)
    monkeypatch.setenv("NNVIZ_DIGIT", str(path))
    scene = run_scene(tmp_path)
    expected = preprocess_steps(path)
    check_scene_numbers(scene, expected, LessonSettings().network())
    # The same 784 values every other scene gets for this picture.
    assert scene.digit.pixels.tobytes() == expected.final.tobytes()
    assert "seven.png: 320 x 240 px" in scene.captions[0]
