"""Pixel grids: any h x w array drawn as pixels, a digit or one neuron's weights.

A :class:`PixelGrid` draws

* a grayscale image (``mode="gray"``): each pixel a square of ``theme.neuron_color`` whose fill
  opacity is the pixel's value in [0, 1] (uint8 images are divided by 255), in a thin frame of
  ``theme.digit_frame`` (blue) — on the black background opacity *is* the gray level;
* a signed grid (``mode="signed"``), such as the 784 weights into one first-layer neuron shown as
  28x28: each pixel has its weight's sign colour (:func:`~nnviz.theme.weight_color`) and the
  opacity :func:`~nnviz.theme.grid_opacity` = ``(|w| / max|w|) ** 0.3``, in a thin white frame.

Two ways to hold the pixels:

* ``individual=True`` (the default): one :class:`~manim.Square` per pixel, row by row, so that
  ``grid.pixel(r, c)`` can be moved, recoloured or transformed like any mobject.
* ``individual=False``: the pixels of one colour and (rounded) opacity are merged into a single
  path, a few dozen paths per grid. Manim's Cairo camera spends most of its time per path and per
  subpath, so this renders about ten times faster: use it to show many grids at once (all 16
  first-layer grids are 12,544 pixels). Opacities are rounded to ``1/theme.grid_levels``.

Example::

    from manim import Scene, FadeIn, LEFT, RIGHT
    import numpy as np
    from nnviz.core.network import Network
    from nnviz.visual.pixels import PixelGrid

    class Pixels(Scene):
        def construct(self):
            digit = np.load("assets/mnist_subset.npz")["images"][0]
            net = Network([784, 16, 16, 10], seed=0)
            left = PixelGrid(digit).shift(3 * LEFT)
            right = PixelGrid.from_weights(net.weights[0][3]).shift(3 * RIGHT)
            self.play(FadeIn(left), FadeIn(right))
            self.play(left.pixel(14, 14).animate.set_fill(opacity=1))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Rectangle, Square, VGroup, VMobject

from ..core.errors import NnvizError
from ..theme import Theme, get_theme, grid_opacity
from .mobject_utils import LeafGroup, fast_copy, polyline_points

Mode = Literal["gray", "signed"]


def as_image(values: np.ndarray | Sequence[float], shape: tuple[int, int] | None = None) -> np.ndarray:
    """``values`` as a 2-D array: a 2-D array is kept, a flat one of n*n values becomes n x n.

    >>> as_image(np.arange(784)).shape
    (28, 28)
    """
    arr = np.asarray(values)
    if shape is not None:
        if arr.size != shape[0] * shape[1]:
            raise NnvizError(
                f"{arr.size} values do not fill a {shape[0]}x{shape[1]} grid: "
                f"pass a shape whose rows x columns is {arr.size}"
            )
        return arr.reshape(shape)
    if arr.ndim == 2:
        return arr
    if arr.ndim == 1:
        side = int(round(np.sqrt(arr.size)))
        if side * side == arr.size and side > 0:
            return arr.reshape(side, side)
        raise NnvizError(f"{arr.size} values are not a square image; pass shape=(rows, columns)")
    raise NnvizError(
        f"a pixel grid needs a 2-D array (or a flat square one), got shape {arr.shape}: pass one image, not a batch"
    )


def gray_levels(values: np.ndarray) -> np.ndarray:
    """Grayscale pixel values as floats in [0, 1]: integers are 0..255, floats must be in [0, 1].

    >>> gray_levels(np.array([0, 51, 255], dtype=np.uint8)).tolist()
    [0.0, 0.2, 1.0]
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        if arr.size and (arr.min() < 0 or arr.max() > 255):
            raise NnvizError(
                f"integer pixel values must be in 0..255, got [{arr.min()}, {arr.max()}]: pass uint8 gray levels, or "
                "mode='signed' for weights"
            )
        return arr.astype(float) / 255.0
    out = arr.astype(float)
    if out.size and not np.all(np.isfinite(out)):
        raise NnvizError("pixel values must be finite: the image holds NaN or infinity; check where it was computed")
    if out.size and (out.min() < -1e-9 or out.max() > 1 + 1e-9):
        raise NnvizError(
            f"float pixel values must be in [0, 1], got [{out.min():.3g}, {out.max():.3g}]; "
            "divide 0..255 values by 255, or use mode='signed' for weights"
        )
    return np.clip(out, 0.0, 1.0)


def _square_corners(centers: np.ndarray, side: float) -> np.ndarray:
    """(n, 3) centres -> (n, 4, 3) corners of axis-aligned squares: UL, UR, DR, DL."""
    h = side / 2
    offsets = np.array([[-h, h, 0.0], [h, h, 0.0], [h, -h, 0.0], [-h, -h, 0.0]])
    return centers[:, None, :] + offsets[None, :, :]


def merged_vertices(rows: np.ndarray, cols: np.ndarray, left: float, top: float, s: float) -> np.ndarray:
    """The vertices of ONE closed path whose filled area is exactly the given pixels.

    Each pixel row becomes a "square wave" along its runs of adjacent pixels — up the left side of
    a run, along its top, down its right side, along the bottom to the next run — closed by a
    return along the bottom (which cancels the bottom between runs). Rows are joined by bridges
    that the path walks back at the end, so the bridges enclose no area. One subpath instead of one
    per pixel keeps Cairo's per-subpath cost away.
    """
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    verts: list[tuple[float, float]] = []
    starts: list[tuple[float, float]] = []
    for r in np.unique(rows):
        c = cols[rows == r]
        breaks = np.flatnonzero(np.diff(c) != 1)
        run_start = np.concatenate([[c[0]], c[breaks + 1]])
        run_end = np.concatenate([c[breaks], [c[-1]]]) + 1
        y1 = top - r * s
        y0 = y1 - s
        start = (left + run_start[0] * s, y0)
        starts.append(start)  # the bridge from the previous row's start is the segment to here
        for a, b in zip(run_start, run_end):
            xa, xb = left + a * s, left + b * s
            verts += [(xa, y0), (xa, y1), (xb, y1), (xb, y0)]
        verts.append(start)
    verts += starts[-2::-1]  # walk the bridges back to the first row's start
    out = np.zeros((len(verts), 3))
    out[:, :2] = verts
    return out


class PixelPath(VMobject):
    """A merged run of pixels: ONE closed subpath (see ``merged_vertices``).

    Manim's camera asks every VMobject where its subpaths split, a vectorised scan that costs more
    than drawing a merged pixel path; while the points still have the count they were built with
    (moves and scaling keep it), the answer is known: one subpath.
    """

    _n_built: int  # the point count it was built with; set by PixelGrid._build_merged

    def get_subpath_split_indices_from_points(self, points: np.ndarray, n_dims: int = 3) -> np.ndarray:
        if len(points) == getattr(self, "_n_built", -1) and len(points) >= 4:
            return np.array([[0, len(points)]])
        return super().get_subpath_split_indices_from_points(points, n_dims=n_dims)


class PixelGrid(VGroup):
    """An h x w array drawn as pixels: a grayscale digit, or signed weights coloured by sign.

    Parameters
    ----------
    values
        The array: 2-D, or flat with a square number of entries (784 -> 28x28).
    mode
        ``"gray"``: values are gray levels (uint8 0..255 or floats in [0, 1]) shown as the fill
        opacity of white pixels. ``"signed"``: values are weights, shown in their sign's colour with
        opacity ``(|w| / max_abs) ** theme.grid_opacity_power``.
    theme
        Colours and sizes; ``None`` is the current theme.
    pixel_size
        Side of one pixel (manim units); default ``theme.pixel_size``.
    frame
        Draw a thin frame around the grid (blue for gray, white for signed).
    individual
        One Square per pixel (animatable, :meth:`pixel`); ``False`` merges the pixels into a few
        paths that render much faster (no :meth:`pixel`).
    max_abs
        ``mode="signed"`` only: the |w| that gets full opacity; default ``max|values|``.
    shape
        (rows, columns) for a flat ``values`` that is not square.
    background
        Put an opaque square of the background colour behind the pixels (for a grid drawn over
        other mobjects, such as edges).

    Attributes: ``values`` (the array as floats, gray levels in [0, 1] for ``"gray"``),
    ``opacities`` (h, w), ``signs`` (h, w; +1/-1, all +1 for gray), ``pixels`` (VGroup: the squares
    row by row, or the merged paths), ``frame`` (the frame or ``None``).

    Example::

        class Digit(Scene):
            def construct(self):
                images = np.load("assets/mnist_subset.npz")["images"]
                self.play(FadeIn(PixelGrid(images[0])))
    """

    def __init__(
        self,
        values: np.ndarray | Sequence[float],
        mode: Mode = "gray",
        theme: Theme | str | None = None,
        pixel_size: float | None = None,
        frame: bool = True,
        individual: bool = True,
        max_abs: float | None = None,
        shape: tuple[int, int] | None = None,
        background: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        self.theme = t
        self.mode = mode
        self.individual = individual
        raw = as_image(values, shape)
        if mode == "gray":
            self.values = gray_levels(raw)
            self.opacities = self.values.copy()
            self.signs = np.ones(self.values.shape, dtype=int)
            self.max_abs = 1.0
        elif mode == "signed":
            self.values = np.asarray(raw, dtype=float)
            if not np.all(np.isfinite(self.values)):
                raise NnvizError(
                    "signed pixel values must be finite: the weights hold NaN or infinity; check the network's file"
                )
            scale = float(np.max(np.abs(self.values))) if max_abs is None else float(max_abs)
            self.max_abs = scale
            self.opacities = np.asarray(grid_opacity(self.values, scale, t), dtype=float)
            self.signs = np.where(self.values >= 0, 1, -1)
        else:
            raise NnvizError(f"unknown mode {mode!r}; use 'gray' or 'signed'")
        self.shape = self.values.shape
        s = float(t.pixel_size if pixel_size is None else pixel_size)
        self.pixel_size = s
        rows, cols = self.shape
        self._left, self._top = -cols * s / 2.0, rows * s / 2.0
        self.background: Rectangle | None = None
        if background:  # an opaque backing, so nothing behind the grid shows through its pixels
            self.background = Rectangle(
                width=cols * s, height=rows * s, stroke_width=0, fill_color=t.background, fill_opacity=1.0
            )
            self.add(self.background)
        self.pixels = self._build_squares() if individual else self._build_merged()
        self.add(self.pixels)
        color = t.digit_frame if mode == "gray" else t.grid_frame_color
        width = t.digit_frame_width if mode == "gray" else t.grid_frame_width
        # The outline is kept (invisible without a frame) so pixel_center can follow moves.
        self._outline = Rectangle(
            width=cols * s, height=rows * s, stroke_color=color, stroke_width=width if frame else 0
        )
        self.frame: Rectangle | None = self._outline if frame else None
        self.add(self._outline)

    # -- construction ---------------------------------------------------------------------------
    def color_of(self, r: int, c: int) -> str:
        """The colour of pixel (r, c): the neuron colour for gray, the weight's sign colour otherwise."""
        if self.mode == "gray":
            return self.theme.neuron_color
        return self.theme.positive if self.signs[r, c] > 0 else self.theme.negative

    def pixel_center(self, r: int, c: int) -> np.ndarray:
        """Where the centre of pixel (r, c) is now (follows moves and scaling of the grid)."""
        rows, cols = self.shape
        ul = self._corner(UP + LEFT)
        right = (self._corner(UP + RIGHT) - ul) / cols
        down = (self._corner(DOWN + LEFT) - ul) / rows
        return ul + (c + 0.5) * right + (r + 0.5) * down

    def _corner(self, direction: np.ndarray) -> np.ndarray:
        return self._outline.get_corner(direction)

    def _centers(self) -> np.ndarray:
        rows, cols = self.shape
        s = self.pixel_size
        r, c = np.mgrid[0:rows, 0:cols]
        centers = np.zeros((rows * cols, 3))
        centers[:, 0] = self._left + (c.ravel() + 0.5) * s
        centers[:, 1] = self._top - (r.ravel() + 0.5) * s
        return centers

    def _build_squares(self) -> VGroup:
        s = self.pixel_size
        prototype = Square(side_length=s, stroke_width=0, fill_color=self.color_of(0, 0), fill_opacity=0)
        base = prototype.points - prototype.get_center()
        squares = []
        colors = {1: self.color_of(0, 0) if self.mode == "gray" else self.theme.positive, -1: self.theme.negative}
        rgb = {k: VMobject(fill_color=v).fill_rgbas[0, :3] for k, v in colors.items()}
        for (r, c), center in zip(np.ndindex(*self.shape), self._centers()):
            sq = fast_copy(prototype)
            sq.points = base + center
            sq.fill_rgbas = np.array([[*rgb[int(self.signs[r, c])], self.opacities[r, c]]])
            squares.append(sq)
        return LeafGroup(*squares)

    def _build_merged(self) -> VGroup:
        levels = max(1, int(self.theme.grid_levels))
        quantized = np.rint(self.opacities * levels).astype(int)
        paths = []
        for sign in (1, -1):
            for level in range(1, levels + 1):
                rows, cols = np.nonzero((quantized == level) & (self.signs == sign))
                if len(rows) == 0:
                    continue
                color = (
                    self.theme.neuron_color
                    if self.mode == "gray"
                    else (self.theme.positive if sign > 0 else self.theme.negative)
                )
                path = PixelPath(stroke_width=0, fill_color=color, fill_opacity=level / levels)
                path.set_points(polyline_points(merged_vertices(rows, cols, self._left, self._top, self.pixel_size)))
                path._n_built = len(path.points)
                paths.append(path)
        group = VGroup(*paths)
        if not paths:  # keep the grid's size even when every pixel is transparent
            group.add(
                VMobject(stroke_width=0, fill_opacity=0).set_points(
                    polyline_points(np.array([[self._left, self._top, 0.0], [-self._left, -self._top, 0.0]]))
                )
            )
        return group

    # -- access ---------------------------------------------------------------------------------
    def pixel(self, r: int, c: int) -> Square:
        """The Square of pixel (r, c) (row r from the top, column c from the left).

        Only for ``individual=True`` grids; a merged grid has no per-pixel mobjects.
        """
        if not self.individual:
            raise NnvizError(
                "this PixelGrid was built with individual=False: its pixels are merged paths; build it with "
                "individual=True to reach single pixels"
            )
        rows, cols = self.shape
        if not (0 <= r < rows and 0 <= c < cols):
            raise NnvizError(f"pixel ({r}, {c}) is outside a {rows}x{cols} grid")
        return cast(Square, self.pixels[r * cols + c])  # individual grids hold only Squares

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def from_weights(
        cls,
        weights: np.ndarray | Sequence[float],
        theme: Theme | str | None = None,
        shape: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> PixelGrid:
        """One neuron's incoming weights (a row of W, e.g. 784 values) as a signed grid.

        Example::

            grid = PixelGrid.from_weights(network.weights[0][k])   # what neuron k looks for
        """
        return cls(weights, mode="signed", theme=theme, shape=shape, **kwargs)

    @classmethod
    def weights_times_input(
        cls,
        weights: np.ndarray | Sequence[float],
        pixels: np.ndarray | Sequence[float],
        theme: Theme | str | None = None,
        shape: tuple[int, int] | None = None,
        **kwargs: Any,
    ) -> PixelGrid:
        """The products w_i * a_i of one neuron's weights and the input pixels, as a signed grid.

        Opacity is scaled by ``max|w|`` of the weights (not of the products), so the grid reads as
        the weight grid masked by the digit: what the digit "reveals" to the neuron. ``pixels`` are
        gray levels (uint8 or [0, 1]).

        Example::

            revealed = PixelGrid.weights_times_input(network.weights[0][k], digit)
        """
        w = np.asarray(weights, dtype=float).ravel()
        a = gray_levels(np.asarray(pixels)).ravel()
        if w.size != a.size:
            raise NnvizError(f"{w.size} weights but {a.size} pixels: pass one neuron's weights and the image it sees")
        kwargs.setdefault("max_abs", float(np.max(np.abs(w))) if w.size else 1.0)
        grid = cls(w * a, mode="signed", theme=theme, shape=shape or as_image(w).shape, **kwargs)
        return grid


def weight_grids(
    weights: np.ndarray,
    theme: Theme | str | None = None,
    columns: int = 4,
    buff: float = 0.25,
    individual: bool = False,
    **kwargs: Any,
) -> VGroup:
    """Every row of a weight matrix (e.g. the 16 rows of W1) as a signed grid, arranged in a table.

    Merged pixels (``individual=False``) by default: 16 grids are 12,544 pixels. To fade them in,
    :func:`~nnviz.visual.highlight.reveal` is several times faster than ``FadeIn`` (which redraws
    every pixel every frame).

    Example::

        class Grids(Scene):
            def construct(self):
                net = load_network_file("assets/network.npz")
                grids = weight_grids(net.weights[0]).scale_to_fit_height(7)
                self.play(reveal(*grids, lag_ratio=0.25, run_time=3))
    """
    w = np.asarray(weights, dtype=float)
    grids = [PixelGrid.from_weights(row, theme=theme, individual=individual, **kwargs) for row in w]
    group = VGroup(*grids)
    group.arrange_in_grid(cols=columns, buff=buff)
    return group


__all__ = ["PixelGrid", "as_image", "gray_levels", "weight_grids"]
