"""Turn any picture of a digit into a 28x28 input the way MNIST's digits were made.

MNIST's recipe: light ink on a black background, the digit scaled (keeping its aspect
ratio) to fit a 20x20 box, then placed in a 28x28 image so that its centre of mass lies
at the centre. A network trained on MNIST only works on digits prepared the same way,
so a photo or a drawing goes through the same steps:

1. grayscale, with transparent pixels composited onto a contrasting background;
2. make the ink bright: subtract the background (the border pixels' median), inverting
   when the background is the light side, and stretch the ink to reach 1;
3. crop to the ink's bounding box; thicken strokes that would end up thinner than
   MNIST's (a fine pen on a big page), since the network has never seen hairlines;
4. scale the longest side to exactly 20 pixels, keeping the aspect ratio;
5. paste into 28x28 and shift by a fraction of a pixel so the centre of mass lands on
   pixel (14, 14), where MNIST's digits have theirs (see ``CENTRE``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from scipy import ndimage

from .errors import NnvizError

CANVAS = 28
BOX = 20
#: Where the centre of mass goes, as (row, column) pixel indices. MNIST put it at pixel
#: (14, 14), not at the geometric middle 13.5: over the embedded subset's 10,000 digits it
#: sits at (14.00, 14.00), sd 0.29. A 784-16-16-10 network trained on them scores about
#: 3 points less on its own test digits re-centred at 13.5 than at 14.
CENTRE = 14.0
#: Ink at or above this fraction of the brightest ink counts for the bounding box;
#: lower values are faint anti-aliasing or paper texture.
INK_THRESHOLD = 0.2
#: The least contrast (on a 0..1 scale) between ink and background that counts as ink.
MIN_CONTRAST = 0.05
#: The thinnest stroke, in pixels of the 20 px box, left as it is: about the 5th percentile
#: of MNIST's (median 2.3 px, measured on the embedded subset drawn 10 times larger).
#: A 3 px pen line on a 500 px tall digit would be 0.1 px.
MIN_STROKE = 1.5
#: Larger pictures are shrunk first: the digit ends up 20 px tall anyway.
MAX_WORKING_SIDE = 1024

ImageLike = str | os.PathLike[str] | Image.Image | np.ndarray


def preprocess(image: ImageLike) -> np.ndarray:
    """784 floats in [0, 1], row by row: ``image`` prepared like an MNIST digit.

    ``image`` is a path to a PNG/JPEG/... file, a PIL image, or an array (h, w), (h, w, 3)
    or (h, w, 4) of uint8 0..255 or floats 0..1. Dark ink on light paper and light ink on
    a dark background both work.

    >>> canvas = np.zeros((60, 40), dtype=np.uint8)
    >>> canvas[10:50, 15:25] = 255                       # a thick bar, like a "1"
    >>> x = preprocess(canvas)
    >>> x.shape, float(x.min()) >= 0, float(x.max()) <= 1
    ((784,), True, True)
    """
    return preprocess_image(image).reshape(-1)


def preprocess_image(image: ImageLike) -> np.ndarray:
    """The same as ``preprocess`` but as a (28, 28) array.

    >>> canvas = np.full((60, 40), 255, dtype=np.uint8)
    >>> canvas[10:50, 15:25] = 0                         # dark ink on white paper
    >>> out = preprocess_image(canvas)
    >>> round(float(out.max(axis=1).sum()), 3)          # the bar is 20 px tall (edges shared)
    20.0
    """
    return preprocess_steps(image).final


@dataclass(frozen=True, eq=False)
class PreprocessSteps:
    """Every intermediate of :func:`preprocess_image`, with the numbers each step used.

    Pictures are (rows, columns) float arrays in [0, 1]; positions are (row, column) in the
    pixels of the picture named, a pixel's index being its centre.

    * ``gray``: the picture as read (grayscale, transparency flattened).
    * ``background``: the paper's level (median of the border pixels); ``inverted``: True when
      the paper is the light side, so ink = background - gray.
    * ``ink``: the ink, 1 = the strongest stroke, on a background of exactly 0.
    * ``box_rows``, ``box_cols``: first and last row and column (inclusive) in ``ink`` holding
      ink at or above ``INK_THRESHOLD``: the bounding box.
    * ``stroke_width``: the typical stroke width inside the box, in picture pixels;
      ``grow``: pixels added on each side of every stroke (0: strokes left as they are);
      ``cropped``: the box's contents after that thickening (``2 * grow`` larger each way).
    * ``scale``: ``BOX / max(cropped.shape)``, the factor that brings the longest side to 20 px;
      ``patch``: the cropped ink resized by it (Lanczos), its longest side ``BOX`` pixels.
    * ``centre_of_mass``: of ``patch``, in patch pixels.
    * ``offset``: where the patch's top-left pixel goes in the 28x28 canvas, fractional, so that
      ``centre_of_mass + offset`` is (``CENTRE``, ``CENTRE``) unless the patch would leave the canvas.
    * ``brightness``: the brightest pixel after the sub-pixel shift; ``final`` is divided by it.
    * ``final``: the (28, 28) input, what :func:`preprocess_image` returns.

    >>> canvas = np.full((120, 90), 255, dtype=np.uint8)
    >>> canvas[10:70, 20:35] = 0                         # a dark bar, 60 px tall, off-centre
    >>> s = preprocess_steps(canvas)
    >>> s.inverted, s.box_rows, s.box_cols, s.box_size
    (True, (10, 69), (20, 34), (60, 15))
    >>> round(s.scale, 4), s.patch.shape
    (0.3333, (20, 5))
    >>> s.placed_centre
    (14.0, 14.0)
    """

    gray: np.ndarray
    background: float
    inverted: bool
    ink: np.ndarray
    box_rows: tuple[int, int]
    box_cols: tuple[int, int]
    stroke_width: float
    grow: int
    cropped: np.ndarray
    scale: float
    patch: np.ndarray
    centre_of_mass: tuple[float, float]
    offset: tuple[float, float]
    brightness: float
    final: np.ndarray

    @property
    def box_size(self) -> tuple[int, int]:
        """(height, width) of the bounding box in picture pixels."""
        return self.box_rows[1] - self.box_rows[0] + 1, self.box_cols[1] - self.box_cols[0] + 1

    @property
    def stroke_in_box(self) -> float:
        """``stroke_width`` as it would be after scaling to 20 px without thickening."""
        return self.stroke_width * BOX / max(self.box_size)

    @property
    def placed_centre(self) -> tuple[float, float]:
        """Where the patch's centre of mass lands in the 28x28 canvas: (CENTRE, CENTRE) unless clipped."""
        return (
            float(self.centre_of_mass[0] + self.offset[0]),
            float(self.centre_of_mass[1] + self.offset[1]),
        )


def preprocess_steps(image: ImageLike) -> PreprocessSteps:
    """MNIST-style pre-processing of ``image`` one step at a time: see :class:`PreprocessSteps`.

    ``preprocess_steps(image).final`` is ``preprocess_image(image)``, bit for bit; accepts the
    same inputs and raises the same errors.

    >>> canvas = np.zeros((60, 40), dtype=np.uint8)
    >>> canvas[10:50, 15:25] = 255                       # a thick bar, 40 x 10 px
    >>> s = preprocess_steps(canvas)
    >>> s.box_size, s.grow, s.scale, s.patch.shape, s.centre_of_mass
    ((40, 10), 0, 0.5, (20, 5), (9.5, 2.0))
    """
    gray, name = _load_gray(image)
    ink, background, inverted = _ink_steps(gray, name)
    rows, cols = _box(ink)
    crop = ink[rows[0] : rows[1] + 1, cols[0] : cols[1] + 1]
    width = _stroke_width(crop)
    grow = _grow(crop, width)
    cropped = _thicken_by(crop, grow)
    scale = BOX / max(cropped.shape)
    patch = _fit_box(cropped)
    com, offset, brightness, final = _centre_steps(patch)
    return PreprocessSteps(
        gray=gray,
        background=background,
        inverted=inverted,
        ink=ink,
        box_rows=rows,
        box_cols=cols,
        stroke_width=width,
        grow=grow,
        cropped=cropped,
        scale=scale,
        patch=patch,
        centre_of_mass=(float(com[0]), float(com[1])),
        offset=(float(offset[0]), float(offset[1])),
        brightness=brightness,
        final=final,
    )


# --- reading: any input -> grayscale floats in [0, 1] ---------------------------------


def _load_gray(image: ImageLike) -> tuple[np.ndarray, str]:
    """Grayscale (h, w) floats in [0, 1] and a name for error messages."""
    if isinstance(image, (str, os.PathLike)):
        path = Path(image)
        return _gray_from_pil(_open(path), str(path)), str(path)
    if isinstance(image, Image.Image):
        return _gray_from_pil(image, "image"), "image"
    if isinstance(image, np.ndarray):
        return _gray_from_array(image, "image"), "image"
    raise NnvizError(f"cannot read a digit from {type(image).__name__}; pass an image file, a PIL image or an array")


def _open(path: Path) -> Image.Image:
    if not path.exists():
        raise NnvizError(f"{path}: no such file; pass a PNG or JPEG picture of a digit")
    if path.is_dir():
        raise NnvizError(f"{path}: is a directory; pass a PNG or JPEG picture of a digit")
    try:
        with Image.open(path) as img:
            img.draft("L", (MAX_WORKING_SIDE, MAX_WORKING_SIDE))  # JPEG: decode at reduced size
            img.load()
            return img.copy()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise NnvizError(f"{path}: not an image Pillow can read ({type(e).__name__}); pass a PNG or JPEG file") from e


def _gray_from_pil(img: Image.Image, name: str) -> np.ndarray:
    if max(img.size) > MAX_WORKING_SIDE:
        img = img.copy()
        img.thumbnail((MAX_WORKING_SIDE, MAX_WORKING_SIDE), Image.Resampling.LANCZOS)
    mode = img.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        return np.asarray(img, dtype=np.float64) / 65535.0
    if mode in ("I", "F"):
        values = np.asarray(img, dtype=np.float64)
        # 32-bit modes carry no range: 16-bit PNGs open as "I" with older Pillow.
        top = 1.0 if mode == "F" and values.max() <= 1 else 255.0 if values.max() <= 255 else 65535.0
        return _gray_from_array(values / top, name)
    has_alpha = "A" in mode or "a" in mode or "transparency" in img.info
    target = "RGBA" if has_alpha else "RGB" if mode not in ("1", "L") else "L"
    return _gray_from_array(np.asarray(img.convert(target)), name)


def _gray_from_array(array: np.ndarray, name: str) -> np.ndarray:
    a = np.asarray(array)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (2, 3, 4)) or 0 in a.shape:
        raise NnvizError(
            f"{name}: an array of shape {a.shape} is not a picture; expected (h, w), (h, w, 3) or (h, w, 4)"
        )
    a = _unit_scale(a, name)
    if a.ndim == 2:
        return a
    colour, alpha = (a[..., :-1], a[..., -1]) if a.shape[2] in (2, 4) else (a, None)
    # ITU-R 601 luma, as Pillow's own "L" conversion.
    gray = colour[..., 0] if colour.shape[2] == 1 else colour @ np.array([0.299, 0.587, 0.114])
    if alpha is None:
        return gray
    return _composite(gray, alpha)


def _unit_scale(a: np.ndarray, name: str) -> np.ndarray:
    if a.dtype == bool:
        return a.astype(np.float64)
    if a.dtype == np.uint8:
        return a / 255.0
    if a.dtype == np.uint16:
        return a / 65535.0
    if a.dtype.kind in "iu" and a.min() >= 0 and a.max() <= 255:
        return a / 255.0
    if a.dtype.kind == "f":
        if not np.isfinite(a).all():
            raise NnvizError(f"{name}: the picture holds NaN or infinite values")
        if a.min() >= 0 and a.max() <= 1:
            return a.astype(np.float64)
    raise NnvizError(
        f"{name}: pixel values of type {a.dtype} from {a.min()} to {a.max()}; expected uint8 0..255 or floats 0..1"
    )


def _composite(gray: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Flatten transparency onto the background the picture implies.

    A digit drawn on a transparent canvas has no background colour of its own (fully
    transparent pixels are often stored as black), so it goes onto whichever of black and
    white contrasts with its visible strokes: dark strokes onto white, light onto black.
    """
    if alpha.sum() == 0:
        return np.zeros_like(gray)  # nothing visible: blank, reported as "no ink" later
    visible_brightness = float((gray * alpha).sum() / alpha.sum())
    background = 0.0 if visible_brightness > 0.5 else 1.0
    return gray * alpha + background * (1 - alpha)


# --- ink: bright digit on zero background --------------------------------------------


def _ink_steps(gray: np.ndarray, name: str) -> tuple[np.ndarray, float, bool]:
    """Ink in [0, 1] (1 = the strongest stroke) on a background of exactly 0, the background
    level, and whether the picture was inverted (light paper)."""
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    background = float(np.median(border))
    # The background is the light side when the border sits above the middle of the
    # picture's range: then the ink is darker than the paper and we invert.
    light_background = background > (float(gray.min()) + float(gray.max())) / 2
    ink = background - gray if light_background else gray - background
    ink = np.clip(ink, 0.0, None)
    strongest = float(ink.max())
    if strongest < MIN_CONTRAST:
        raise NnvizError(
            f"{name}: no ink found (the picture is one flat shade); pass a digit drawn "
            f"darker or lighter than its background"
        )
    return ink / strongest, background, light_background


def _box(ink: np.ndarray) -> tuple[tuple[int, int], tuple[int, int]]:
    """First and last (inclusive) row and column holding ink at or above INK_THRESHOLD."""
    rows = np.nonzero((ink >= INK_THRESHOLD).any(axis=1))[0]
    cols = np.nonzero((ink >= INK_THRESHOLD).any(axis=0))[0]
    return (int(rows[0]), int(rows[-1])), (int(cols[0]), int(cols[-1]))


def _stroke_width(ink: np.ndarray) -> float:
    """A typical stroke width in pixels: twice the distance from the strokes' cores to
    their edges (90th percentile, so that blots and crossings do not count), minus the
    centre pixel counted twice. A bar w pixels wide gives about w."""
    solid = ink >= 0.5
    depth = ndimage.distance_transform_edt(solid)[solid]
    return 2 * float(np.percentile(depth, 90)) - 1


def _grow(ink: np.ndarray, stroke_width: float) -> int:
    """Pixels to add on each side of every stroke so that the 20 px scaling leaves strokes at
    least MIN_STROKE wide; 0 when they already are."""
    wanted = MIN_STROKE * max(ink.shape) / BOX  # MIN_STROKE in this picture's pixels
    grow = round((wanted - stroke_width) / 2)
    return grow if grow >= 1 else 0


def _thicken_by(ink: np.ndarray, grow: int) -> np.ndarray:
    """Widen every stroke by ``grow`` pixels on each side (``grow`` 0: ``ink`` as it is)."""
    if grow < 1:
        return ink
    # A maximum filter of size 2g+1 widens every stroke by g pixels each side; the padding
    # gives strokes at the crop's edge room to grow.
    return ndimage.maximum_filter(np.pad(ink, grow), size=2 * grow + 1)


# --- geometry: 20 px box, centre of mass at the centre --------------------------------


def _fit_box(ink: np.ndarray) -> np.ndarray:
    """Scale so the longest side is exactly BOX pixels, keeping the aspect ratio."""
    h, w = ink.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # PIL wants (width, height)
    resized = Image.fromarray(ink.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    # LANCZOS rings slightly below 0 and above 1 next to hard edges.
    return np.clip(np.asarray(resized, dtype=np.float64), 0.0, 1.0)


def _centre_steps(small: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Place ``small`` in a 28x28 canvas with its centre of mass at (CENTRE, CENTRE).

    Returns the patch's centre of mass, the (fractional) offset of its top-left pixel, the
    brightest pixel after the shift, and the canvas scaled by it."""
    h, w = small.shape
    com = np.array(ndimage.center_of_mass(small))
    # The offset of the patch's top-left corner, kept so that the patch plus one pixel
    # for the sub-pixel shift stays inside: centring never cuts off ink.
    offset = np.clip(CENTRE - com, 0, [CANVAS - h - 1, CANVAS - w - 1])
    whole = np.floor(offset).astype(int)
    canvas = np.zeros((CANVAS, CANVAS))
    canvas[whole[0] : whole[0] + h, whole[1] : whole[1] + w] = small
    # Linear interpolation splits each pixel between two neighbours, which moves the
    # centre of mass by exactly the fractional part.
    shifted = np.clip(ndimage.shift(canvas, offset - whole, order=1, mode="constant", cval=0.0), 0, 1)
    # Scaling down and the sub-pixel shift dim thin strokes; MNIST's strokes reach full
    # brightness. Scaling every pixel alike leaves the centre of mass where it is.
    top = shifted.max()
    return com, offset, float(top), shifted / top if top > 0 else shifted
