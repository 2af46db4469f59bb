"""Weight grids as one image, for weights that change every frame: a training run's snapshots.

A merged :class:`~nnviz.visual.pixels.PixelGrid` is fast for grids that stay still, but 16
first-layer grids are 12,544 pixels: redrawn as vector paths every frame they would dominate a
render. A :class:`WeightSheet` draws the rows of a weight matrix as tiles of ONE
``ImageMobject`` (one image blit per frame) with the look of the pixel grids: each weight in its
sign's colour at opacity ``(|w| / max|row|) ** 0.3`` over the background, thin white frames
drawn as vectors on top. Given a stack of snapshots (S, rows, inputs), :meth:`WeightSheet.show_at`
shows snapshot ``s`` (a fractional ``s`` cross-fades the two snapshots around it).

Example::

    from manim import Scene
    from nnviz import load_snapshots
    from nnviz.visual.weight_sheet import WeightSheet
    from nnviz.visual.playback import play_snapshots

    class Learning(Scene):
        def construct(self):
            run = load_snapshots()
            sheet = WeightSheet(run.weights[0], height=6)
            self.add(sheet)
            play_snapshots(self, [sheet], 0, len(run) - 1, seconds=0.3)
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Group, ImageMobject, Rectangle, VGroup
from PIL import Image

from ..core.errors import NnvizError
from ..theme import Theme, get_theme, grid_opacity
from .playback import Shared


def _rgb(color: str) -> np.ndarray:
    color = color.lstrip("#")
    return np.array([int(color[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def sheet_pixels(
    weights: np.ndarray,
    columns: int = 4,
    gap: int = 4,
    theme: Theme | None = None,
    shape: tuple[int, int] | None = None,
) -> np.ndarray:
    """The rows of ``weights`` (k, n) as an RGBA float image: tiles of ``shape`` (default square)
    in ``columns`` columns, ``gap`` transparent pixels apart; each tile opaque over the background.

    >>> sheet_pixels(np.ones((16, 784))).shape
    (124, 124, 4)
    """
    t = get_theme(theme)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 2 or w.size == 0:
        raise NnvizError(f"a weight sheet needs a (rows, inputs) matrix, got shape {w.shape}")
    h, wd = shape or _square(w.shape[1])
    rows = -(-len(w) // columns)
    out = np.zeros((rows * h + (rows - 1) * gap, columns * wd + (columns - 1) * gap, 4))
    background, positive, negative = _rgb(t.background), _rgb(t.positive), _rgb(t.negative)
    scale = np.max(np.abs(w), axis=1, keepdims=True)
    opacity = np.asarray(grid_opacity(w / np.where(scale > 0, scale, 1.0), 1.0, t))[..., None]
    colors = np.where(w[..., None] >= 0, positive, negative)
    tiles = background + (colors - background) * opacity  # (k, n, 3)
    for k, tile in enumerate(tiles):
        r, c = divmod(k, columns)
        y, x = r * (h + gap), c * (wd + gap)
        out[y : y + h, x : x + wd, :3] = tile.reshape(h, wd, 3)
        out[y : y + h, x : x + wd, 3] = 255.0
    return out


def _square(n: int) -> tuple[int, int]:
    side = math.isqrt(n)
    if side * side != n:
        raise NnvizError(f"{n} inputs are not a square image; pass shape=(rows, columns)")
    return side, side


class WeightSheet(Group):
    """The rows of a weight matrix (or of each snapshot of one) as framed tiles of one image.

    Parameters
    ----------
    weights
        (rows, inputs) for one matrix, or (S, rows, inputs) for S snapshots of it.
    columns, gap
        Tiles per row and the transparent pixels between tiles.
    height
        Height of the sheet (manim units).
    theme, shape
        Colours; the tile shape (default: square, 784 -> 28x28).

    ``image`` is the ImageMobject, ``frames`` the tile frames (in row order), ``tile(k)`` the
    frame of row k; ``show_at(s)`` shows snapshot ``s``.
    """

    def __init__(
        self,
        weights: np.ndarray,
        columns: int = 4,
        gap: int = 4,
        height: float = 5.0,
        theme: Theme | str | None = None,
        shape: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        stack = np.asarray(weights, dtype=float)
        stack = stack[None] if stack.ndim == 2 else stack
        if stack.ndim != 3 or not np.all(np.isfinite(stack)):
            raise NnvizError("a weight sheet needs finite (rows, inputs) or (snapshots, rows, inputs) weights")
        sheets = np.stack([sheet_pixels(w, columns, gap, t, shape) for w in stack]).astype(np.float32)
        self._sheets = Shared(sheets)  # read-only: not copied with every animation's copy of the sheet
        self.image = ImageMobject(sheets[0].astype(np.uint8))
        self.image.set_resampling_algorithm(Image.Resampling.NEAREST)  # crisp pixels, as the grids
        self.image.height = height
        px = height / sheets.shape[1]  # one image pixel in manim units
        h, w = shape or _square(stack.shape[2])
        top_left = self.image.get_corner(UP + LEFT)
        self.frames = VGroup()
        for k in range(stack.shape[1]):
            r, c = divmod(k, columns)
            # Half an image pixel outside the tile: the frame lies in the transparent gap, so the
            # image, drawn over the still frames while it plays, never hides it.
            frame = Rectangle(
                width=(w + 1) * px,
                height=(h + 1) * px,
                stroke_color=t.grid_frame_color,
                stroke_width=t.grid_frame_width,
            )
            corner = top_left + ((c * (w + gap) - 0.5) * px) * RIGHT + ((r * (h + gap) - 0.5) * px) * DOWN
            frame.move_to(corner, aligned_edge=UP + LEFT)
            self.frames.add(frame)
        self.add(self.image, self.frames)
        self.shown = -1.0
        self.show_at(0.0)

    @property
    def sheets(self) -> np.ndarray:
        """Every snapshot's picture: (S, height, width, 4) RGBA floats."""
        return self._sheets.value

    def tile(self, k: int) -> Rectangle:
        """The frame around row k's tile (for captions and highlights)."""
        return cast(Rectangle, self.frames[k])

    def show_at(self, s: float) -> WeightSheet:
        """Show snapshot ``s``; between two snapshots, a cross-fade of the two pictures."""
        s = float(np.clip(s, 0, len(self.sheets) - 1))
        if s == self.shown:
            return self
        i = min(int(np.floor(s)), len(self.sheets) - 2) if len(self.sheets) > 1 else 0
        t = s - i
        pixels = self.sheets[i] if t == 0 else (1 - t) * self.sheets[i] + t * self.sheets[i + 1]
        self.image.pixel_array = np.rint(pixels).astype(np.uint8)
        self.shown = s
        return self

    def moving_parts(self) -> Group:
        """What changes with :meth:`show_at`: only the image (the frames stay still)."""
        return Group(self.image)


__all__ = ["WeightSheet", "sheet_pixels"]
