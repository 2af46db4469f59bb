"""preprocess_steps: every intermediate of the pre-processing, and preprocess_image unchanged by it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage
from test_preprocess import SHAPES, _shape, centre_of_mass, draw_digit

from nnviz.core.datasets import load_dataset
from nnviz.core.errors import NnvizError
from nnviz.core.preprocess import (
    BOX,
    CANVAS,
    CENTRE,
    INK_THRESHOLD,
    MIN_STROKE,
    PreprocessSteps,
    _load_gray,
    preprocess,
    preprocess_image,
    preprocess_steps,
)


def reference_preprocess_image(image: object) -> np.ndarray:
    """The pre-processing as one plain function, written before ``preprocess_steps`` existed.

    The browser page ports this exact algorithm, so ``preprocess_image`` must keep giving its
    output bit for bit. Only the reading of files and arrays (``_load_gray``) is shared.
    """
    gray, _ = _load_gray(image)
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    background = float(np.median(border))
    light = background > (float(gray.min()) + float(gray.max())) / 2
    ink = np.clip(background - gray if light else gray - background, 0.0, None)
    ink = ink / float(ink.max())
    rows = np.nonzero((ink >= INK_THRESHOLD).any(axis=1))[0]
    cols = np.nonzero((ink >= INK_THRESHOLD).any(axis=0))[0]
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    solid = ink >= 0.5
    width = 2 * float(np.percentile(ndimage.distance_transform_edt(solid)[solid], 90)) - 1
    grow = round((MIN_STROKE * max(ink.shape) / BOX - width) / 2)
    if grow >= 1:
        ink = ndimage.maximum_filter(np.pad(ink, grow), size=2 * grow + 1)
    h, w = ink.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = Image.fromarray(ink.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    small = np.clip(np.asarray(small, dtype=np.float64), 0.0, 1.0)
    h, w = small.shape
    com = np.array(ndimage.center_of_mass(small))
    offset = np.clip(CENTRE - com, 0, [CANVAS - h - 1, CANVAS - w - 1])
    whole = np.floor(offset).astype(int)
    canvas = np.zeros((CANVAS, CANVAS))
    canvas[whole[0] : whole[0] + h, whole[1] : whole[1] + w] = small
    shifted = np.clip(ndimage.shift(canvas, offset - whole, order=1, mode="constant", cval=0.0), 0, 1)
    top = shifted.max()
    return shifted / top if top > 0 else shifted


def pictures() -> dict[str, object]:
    """Pictures that take every branch: both polarities, thin strokes thickened, tiny, RGBA, real digits."""
    test = load_dataset(None, "test")
    thin = draw_digit(size=(800, 800), box=(100, 100, 500, 600), width=3)
    alpha = np.asarray(draw_digit())
    rgba = np.zeros((*alpha.shape, 4), np.uint8)
    rgba[..., 3] = alpha
    tiny = np.zeros((5, 3), np.uint8)
    tiny[:, 1] = tiny[4, :] = 255
    pics: dict[str, object] = {name: _shape(name) for name in SHAPES}
    pics |= {"thin pen": thin, "dark on white": draw_digit(ink=0, paper=255), "rgba": rgba, "tiny": tiny}
    pics |= {"pencil": draw_digit(ink=70, paper=190), "edge": draw_digit(size=(200, 200), box=(0, 0, 120, 199))}
    for i in (0, 1, 468, 1499):
        pics[f"test #{i}"] = test.images[i]
        photo = Image.fromarray(255 - test.images[i]).resize((150, 210), Image.Resampling.BICUBIC)
        pics[f"photo of test #{i}"] = photo
    return pics


PICTURES = pictures()


@pytest.mark.parametrize("name", list(PICTURES))
def test_preprocess_image_is_bit_for_bit_the_plain_algorithm(name: str) -> None:
    picture = PICTURES[name]
    out = preprocess_image(picture)
    expected = reference_preprocess_image(picture)
    assert out.dtype == expected.dtype == np.float64 and out.shape == (28, 28)
    assert out.tobytes() == expected.tobytes()
    assert preprocess(picture).tobytes() == expected.reshape(-1).tobytes()


def test_file_input_is_the_same_bits(tmp_path) -> None:
    path = tmp_path / "digit.png"
    draw_digit(ink=20, paper=240).save(path)
    assert preprocess_steps(path).final.tobytes() == reference_preprocess_image(path).tobytes()


@pytest.mark.parametrize("name", list(PICTURES))
def test_every_step_holds_its_numbers(name: str) -> None:
    s = preprocess_steps(PICTURES[name])
    assert isinstance(s, PreprocessSteps)
    gray, _ = _load_gray(PICTURES[name])
    np.testing.assert_array_equal(s.gray, gray)
    assert s.ink.shape == s.gray.shape and s.ink.min() == 0 and s.ink.max() == 1
    # The paper sits at 0 ink, and the ink grows away from the paper's side.
    ink = (s.background - s.gray) if s.inverted else (s.gray - s.background)
    np.testing.assert_allclose(s.ink, np.clip(ink, 0, None) / np.clip(ink, 0, None).max())
    # The box holds every pixel at or above the threshold and touches one on each side.
    (r0, r1), (c0, c1) = s.box_rows, s.box_cols
    strong = s.ink >= INK_THRESHOLD
    assert strong[r0].any() and strong[r1].any() and strong[:, c0].any() and strong[:, c1].any()
    assert strong.sum() == strong[r0 : r1 + 1, c0 : c1 + 1].sum()
    assert s.box_size == (r1 - r0 + 1, c1 - c0 + 1)
    # Thickening pads by grow each side; the scale brings the longest side to 20 px.
    assert s.grow >= 0 and s.cropped.shape == (s.box_size[0] + 2 * s.grow, s.box_size[1] + 2 * s.grow)
    assert s.scale == BOX / max(s.cropped.shape)
    assert max(s.patch.shape) == BOX
    assert s.patch.shape == tuple(max(1, round(n * s.scale)) for n in s.cropped.shape)
    # The centre of mass of the patch, moved by the offset, is the centre of the 28x28.
    np.testing.assert_allclose(s.centre_of_mass, centre_of_mass(s.patch), atol=1e-9)
    assert s.placed_centre == pytest.approx((CENTRE, CENTRE), abs=1e-9)
    np.testing.assert_allclose(centre_of_mass(s.final), (CENTRE, CENTRE), atol=0.05)
    assert s.brightness > 0 and s.final.max() == 1.0


def test_thin_strokes_report_their_thickening() -> None:
    thin = preprocess_steps(PICTURES["thin pen"])
    # A 3 px pen on a 500 px tall digit: 0.12 px at 20 px, so strokes grow.
    assert 2 <= thin.stroke_width <= 4 and thin.stroke_in_box < MIN_STROKE and thin.grow >= 1
    thick = preprocess_steps(PICTURES["four"])
    assert thick.grow == 0 and thick.stroke_in_box >= MIN_STROKE - 1
    assert thick.cropped.shape == thick.box_size


def test_steps_of_a_dark_bar_on_white() -> None:
    canvas = np.full((120, 90), 255, dtype=np.uint8)
    canvas[10:70, 20:35] = 0  # 60 x 15 px, in the top-left of the picture
    s = preprocess_steps(canvas)
    assert s.background == 1.0 and s.inverted
    assert (s.box_rows, s.box_cols, s.grow) == ((10, 69), (20, 34), 0)
    assert s.scale == pytest.approx(1 / 3) and s.patch.shape == (20, 5)
    assert s.centre_of_mass == pytest.approx((9.5, 2.0), abs=0.01)
    assert s.offset == pytest.approx((4.5, 12.0), abs=0.01)


def test_same_errors_as_preprocess() -> None:
    with pytest.raises(NnvizError, match="no ink found"):
        preprocess_steps(np.zeros((28, 28), np.uint8))
    with pytest.raises(NnvizError, match="list"):
        preprocess_steps([[0, 1]])
