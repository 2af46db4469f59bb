"""Digit pre-processing: MNIST's geometry (20 px box, centre of mass at pixel 14) from any picture."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from nnviz.core.datasets import load_dataset
from nnviz.core.errors import NnvizError
from nnviz.core.preprocess import CENTRE, preprocess, preprocess_image


@pytest.fixture
def tmp_path(tmp_path_factory):
    """A fresh directory named "case<n>": pytest's own is named after the test, and then a
    message check such as match="truncated" could succeed on the path alone."""
    return tmp_path_factory.mktemp("case")


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) centre of mass, written out as a plain loop to check the library's."""
    total = rows = cols = 0.0
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            total += image[r, c]
            rows += r * image[r, c]
            cols += c * image[r, c]
    return rows / total, cols / total


def extent(image: np.ndarray, threshold: float) -> tuple[int, int]:
    """Height and width of the box around pixels at or above ``threshold``."""
    rows = np.nonzero((image >= threshold).any(axis=1))[0]
    cols = np.nonzero((image >= threshold).any(axis=0))[0]
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def draw_digit(size=(300, 400), box=(60, 80, 220, 330), ink=255, paper=0, width=22, mode="L") -> Image.Image:
    """A "4"-like stroke figure inside ``box`` (left, top, right, bottom) of a ``size`` canvas."""
    img = Image.new(mode, size, paper)
    left, top, right, bottom = box
    draw = ImageDraw.Draw(img)
    mid, stem = top + (bottom - top) * 6 // 10, left + (right - left) * 7 // 10
    draw.line([(left + (right - left) * 6 // 10, top), (left, mid), (right, mid)], fill=ink, width=width)
    draw.line([(stem, top + (bottom - top) // 3), (stem, bottom)], fill=ink, width=width)
    return img


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return preprocess_image(draw_digit())


# --- geometry ----------------------------------------------------------------------------------

SHAPES = {
    "four": draw_digit(),
    "four off-centre": draw_digit(size=(640, 480), box=(20, 300, 120, 460)),
    "ring": None,
    "tall bar": None,
    "wide bar": None,
}


def _shape(name: str) -> np.ndarray:
    if name == "ring":
        img = Image.new("L", (200, 200), 0)
        ImageDraw.Draw(img).ellipse((30, 20, 150, 190), outline=255, width=18)
        return np.asarray(img)
    if name == "tall bar":
        a = np.zeros((300, 200), np.uint8)
        a[40:240, 120:170] = 255
        return a
    if name == "wide bar":
        a = np.zeros((100, 400), np.uint8)
        a[10:37, 33:333] = 255
        return a
    return np.asarray(SHAPES[name])


@pytest.mark.parametrize("name", list(SHAPES))
def test_centre_of_mass_on_mnist_centre(name):
    out = preprocess_image(_shape(name))
    r, c = centre_of_mass(out)
    # MNIST's digits have their centre of mass at pixel (14, 14), not (13.5, 13.5).
    assert CENTRE == 14.0
    assert abs(r - 14.0) < 0.05 and abs(c - 14.0) < 0.05, (r, c)


@pytest.mark.parametrize("name", list(SHAPES))
def test_longest_side_is_20(name):
    out = preprocess_image(_shape(name))
    # The sub-pixel shift can share an edge between two pixels (0.5 each), and the
    # resampling leaves a faint fringe: count pixels at 0.3 and up, allow one shared edge.
    assert max(extent(out, 0.3)) in (20, 21)
    assert max(extent(out, 0.02)) <= 22
    assert out.max() == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("name, height, width", [("tall bar", 20, 5), ("wide bar", 2, 20)])
def test_solid_bar_scaled_exactly_keeping_aspect(name, height, width):
    out = preprocess_image(_shape(name))
    # For a solid rectangle the per-row (per-column) maxima sum to its exact height (width),
    # however the edges are split by the sub-pixel shift.
    assert out.max(axis=1).sum() == pytest.approx(height, abs=0.15)
    assert out.max(axis=0).sum() == pytest.approx(width, abs=0.15)


def test_output_form():
    x = preprocess(draw_digit())
    assert x.shape == (784,) and x.dtype == np.float64
    assert np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1
    np.testing.assert_array_equal(x, preprocess_image(draw_digit()).reshape(-1))
    assert preprocess_image(draw_digit())[[0, -1], :].max() == 0  # the border stays background


# --- polarity, colour, modes ---------------------------------------------------------------------


def test_either_polarity_gives_the_same_digit(reference):
    dark_on_white = preprocess_image(draw_digit(ink=0, paper=255))
    assert np.abs(dark_on_white - reference).max() < 0.02
    # Grey pencil on grey paper: a weaker contrast, still the same digit.
    pencil = preprocess_image(draw_digit(ink=70, paper=190))
    assert np.abs(pencil - reference).max() < 0.02


def test_light_background_decided_by_border_not_mean():
    # A big heavy blob covers most of the picture: the mean is dark, the border is white.
    img = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(img).rectangle((15, 15, 185, 185), fill=0)
    out = preprocess_image(img)
    assert out[14, 14] > 0.9  # the blob became the bright ink, not the paper


def test_rgba_dark_strokes_on_transparent(reference):
    # Fully transparent pixels stored as black, as drawing apps do: ignoring alpha would see
    # black on black and no digit at all.
    alpha = np.asarray(draw_digit())
    rgba = np.zeros((*alpha.shape, 4), np.uint8)
    rgba[..., 3] = alpha
    out = preprocess_image(Image.fromarray(rgba, "RGBA"))
    assert np.abs(out - reference).max() < 0.02
    np.testing.assert_allclose(preprocess_image(rgba), out, atol=1e-6)  # array input too


def test_rgba_light_strokes_on_transparent(reference):
    alpha = np.asarray(draw_digit())
    rgba = np.full((*alpha.shape, 4), 255, np.uint8)
    rgba[..., 3] = alpha
    assert np.abs(preprocess_image(rgba) - reference).max() < 0.02


def test_coloured_ink(reference):
    rgb = Image.merge(
        "RGB", [draw_digit(ink=20, paper=250), draw_digit(ink=40, paper=250), draw_digit(ink=200, paper=250)]
    )  # blue pen on white paper
    assert np.abs(preprocess_image(rgb) - reference).max() < 0.05


def test_palette_bilevel_and_16_bit_files(tmp_path, reference):
    gray = draw_digit()
    paths = {
        "palette.png": gray.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=4),
        "bilevel.png": gray.convert("1"),
        "deep.png": Image.fromarray(np.asarray(gray).astype(np.uint16) * 257),
    }
    for name, img in paths.items():
        img.save(tmp_path / name)
    assert Image.open(tmp_path / "deep.png").mode.startswith("I")
    for name in paths:
        out = preprocess_image(tmp_path / name)
        assert np.abs(out - reference).max() < 0.05, name


def test_float_and_bool_arrays(reference):
    a = np.asarray(draw_digit())
    np.testing.assert_allclose(preprocess_image(a / 255.0), reference, atol=1e-6)
    assert np.abs(preprocess_image(a > 127) - reference).max() < 0.05


def test_tiny_image():
    tiny = np.zeros((5, 3), np.uint8)
    tiny[:, 1] = 255
    tiny[4, :] = 255  # an upside-down "T", 5 tall and 3 wide
    out = preprocess_image(tiny)
    assert np.isfinite(out).all() and out.min() >= 0 and out.max() <= 1
    height, width = extent(out, 0.3)
    assert height in (20, 21) and width in (12, 13)  # 3 * 20 / 5 = 12 wide
    r, c = centre_of_mass(out)
    assert abs(r - 14) < 0.05 and abs(c - 14) < 0.05


def test_single_pixel_line():
    line = np.zeros((9, 9), np.uint8)
    line[1:8, 4] = 255  # 7 tall and 1 wide: the short side must stay at least 1 px
    out = preprocess_image(line)
    assert extent(out, 0.3)[0] in (20, 21) and out.max() == pytest.approx(1.0)


def test_thin_strokes_reach_full_brightness():
    # A fine pen on a big page: shrinking 25 times dims a 3 px line to a tenth of a pixel.
    thin = draw_digit(size=(800, 800), box=(100, 100, 500, 600), width=3)
    out = preprocess_image(thin)
    assert out.max() == pytest.approx(1.0)
    assert max(extent(out, 0.3)) in (20, 21)
    # ...and it is thickened to about MNIST's thinnest strokes: a 40 px pen on this page
    # gives 1.6 px strokes in the 20 px box, which are left alone.
    marker = preprocess_image(draw_digit(size=(800, 800), box=(100, 100, 500, 600), width=40))
    assert (out >= 0.5).sum() >= 0.8 * (marker >= 0.5).sum()


def test_large_jpeg(tmp_path):
    drawing = draw_digit(size=(1000, 600), box=(400, 80, 620, 520), ink=30, paper=235, width=40)
    drawing.convert("RGB").save(tmp_path / "photo.jpg", quality=75)
    drawing.save(tmp_path / "clean.png")
    from_jpeg = preprocess_image(tmp_path / "photo.jpg")
    clean = preprocess_image(str(tmp_path / "clean.png"))
    assert np.corrcoef(from_jpeg.ravel(), clean.ravel())[0, 1] > 0.98
    r, c = centre_of_mass(from_jpeg)
    assert abs(r - 14) < 0.05 and abs(c - 14) < 0.05
    assert max(extent(from_jpeg, 0.3)) in (20, 21)


# --- real digits ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_digits():
    data = load_dataset(None, "test")
    return data.images[:300], data.labels[:300]


def test_real_digit_stays_the_same_digit(real_digits):
    images, _ = real_digits
    corr = np.array([np.corrcoef(preprocess(x), x.ravel())[0, 1] for x in images])
    # MNIST digits already are MNIST-shaped: re-processing them barely moves a pixel.
    assert corr.min() > 0.8 and corr.mean() > 0.95, (corr.min(), corr.mean())


def test_photo_of_a_real_digit(real_digits):
    # Blow a test digit up to 280x280, dark ink on white paper, and prepare it again.
    images, _ = real_digits
    for x in images[:20]:
        photo = Image.fromarray(255 - x).resize((280, 280), Image.Resampling.BICUBIC)
        out = preprocess(photo)
        assert np.corrcoef(out, x.ravel())[0, 1] > 0.85


# --- errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "blank",
    [
        np.zeros((28, 28), np.uint8),
        np.full((50, 40), 128, np.uint8),
        np.ones((10, 10)),
        np.zeros((20, 20, 4), np.uint8),
        np.full((30, 30, 3), 200, np.uint8),
    ],
)
def test_blank_image_has_no_ink(blank):
    with pytest.raises(NnvizError, match="no ink found"):
        preprocess(blank)


def test_blank_file_names_the_file(tmp_path):
    path = tmp_path / "empty.png"
    Image.new("RGB", (64, 64), "white").save(path)
    with pytest.raises(NnvizError, match="no ink found") as e:
        preprocess(path)
    assert str(e.value).startswith(str(path)) and "\n" not in str(e.value)


def test_faint_noise_is_not_ink():
    rng = np.random.default_rng(0)
    noise = (200 + rng.integers(-4, 5, (60, 60))).astype(np.uint8)  # +-4 levels of paper grain
    with pytest.raises(NnvizError, match="no ink"):
        preprocess(noise)


def test_not_an_image(tmp_path):
    path = tmp_path / "digit.png"
    path.write_text("this is not a picture")
    with pytest.raises(NnvizError, match="not an image") as e:
        preprocess(path)
    assert str(path) in str(e.value)


def test_truncated_image_file(tmp_path):
    path = tmp_path / "cut.png"
    draw_digit().save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(NnvizError, match="cut.png"):
        preprocess(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(NnvizError, match="no such file") as e:
        preprocess(tmp_path / "absent.png")
    assert "absent.png" in str(e.value)
    with pytest.raises(NnvizError, match="directory"):
        preprocess(tmp_path)


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((2, 3, 4, 5)), "shape"),
        (np.zeros((10, 10, 7)), "shape"),
        (np.zeros((0, 10)), "shape"),
        (np.full((10, 10), 2.0), "floats 0..1"),
        (np.full((10, 10), np.nan), "NaN"),
        (np.full((10, 10), -3), "uint8"),
    ],
)
def test_bad_arrays(bad, message):
    with pytest.raises(NnvizError, match=message):
        preprocess(bad)


def test_unsupported_type():
    with pytest.raises(NnvizError, match="list"):
        preprocess([[0, 1], [1, 0]])
