"""Pre-processing drawn: a picture of any size, its ink's bounding box, the arrow that scales it to 20 px.

The numbers come from :func:`nnviz.core.preprocess.preprocess_steps`; these mobjects only place
them. A :class:`PicturePanel` draws a picture of any size (a photo can be 1024 px wide) with a
:class:`~nnviz.visual.pixels.PixelGrid`, averaged down for the screen when it is large, and maps
positions in the picture's own pixels to the screen, so a box drawn by :meth:`PicturePanel.box`
sits exactly on the rows and columns the core found. :class:`ScaleArrow` is an arrow labelled
with the scale factor.

Example::

    import numpy as np
    from manim import Create, FadeIn, Scene, LEFT, RIGHT
    from nnviz import BoundingBox, PicturePanel, ScaleArrow, PixelGrid, preprocess_steps

    class Steps(Scene):
        def construct(self):
            picture = np.ones((120, 160))
            picture[20:90, 30:60] = 0                      # a dark bar on white paper
            steps = preprocess_steps(picture)
            panel = PicturePanel(steps.ink, height=3).shift(3 * LEFT)
            patch = PixelGrid(steps.patch, pixel_size=0.12).shift(3 * RIGHT)
            self.play(FadeIn(panel))
            self.play(Create(BoundingBox(panel, steps.box_rows, steps.box_cols)))
            self.play(FadeIn(ScaleArrow(panel.get_right(), patch.get_left(), steps.scale, steps.box_size)))
            self.play(FadeIn(patch))
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, MathTex, Rectangle, Text, VGroup
from PIL import Image

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .mobject_utils import polyline_points
from .pixels import PixelGrid, PixelPath, merged_vertices


def display_picture(picture: np.ndarray, max_side: int) -> np.ndarray:
    """``picture`` (h, w) in [0, 1] averaged down (box filter) so its longer side is at most ``max_side``.

    Only for drawing: a screen shows about 200 pixels across a panel, and a path per pixel of
    a 1024 px photo would take minutes to render. Smaller pictures are returned unchanged.

    >>> display_picture(np.ones((400, 100)), 200).shape
    (200, 50)
    """
    a = np.asarray(picture, dtype=float)
    if a.ndim != 2 or 0 in a.shape:
        raise NnvizError(f"a picture is a 2-D array of gray levels, got shape {a.shape}")
    h, w = a.shape
    if max(h, w) <= max_side:
        return a
    factor = max_side / max(h, w)
    size = (max(1, round(w * factor)), max(1, round(h * factor)))  # PIL wants (width, height)
    small = Image.fromarray(a.astype(np.float32), "F").resize(size, Image.Resampling.BOX)
    return np.clip(np.asarray(small, dtype=float), 0.0, 1.0)


def stacked_levels(values: np.ndarray, grid: PixelGrid, levels: int) -> VGroup:
    """Gray pixels as nested paths: path k holds every pixel at level k or brighter, opacity 1/(n-k+1).

    Drawn in order they compose to opacity k/n exactly (the light left after k of them is
    (n-k)/n), like PixelGrid's merged paths; but where two levels meet, the darker one runs on
    underneath, so anti-aliasing leaves no dark seam between them (a photo's paper has many
    such edges). ``grid`` gives the geometry (its pixel size and centre).
    """
    n = max(1, int(levels))
    quantized = np.rint(np.clip(values, 0.0, 1.0) * n).astype(int)
    rows, cols = values.shape
    s = grid.pixel_size
    left, top = grid.get_center()[0] - cols * s / 2, grid.get_center()[1] + rows * s / 2
    paths = []
    for k in range(1, n + 1):
        r, c = np.nonzero(quantized >= k)
        if len(r) == 0:
            break
        path = PixelPath(stroke_width=0, fill_color=grid.theme.neuron_color, fill_opacity=1.0 / (n - k + 1))
        path.set_points(polyline_points(merged_vertices(r, c, left, top, s)))
        path._n_built = len(path.points)
        paths.append(path)
    return VGroup(*paths)


class PicturePanel(VGroup):
    """A grayscale picture of any size, ``height`` units tall (or ``width`` wide), in picture coordinates.

    ``picture_shape`` is the picture's own (rows, columns); ``shown`` the picture as drawn, with at
    most ``max_side`` cells on its longer side (averaged down when larger); ``grid`` the
    :class:`~nnviz.visual.pixels.PixelGrid` frame it is drawn in and ``levels`` its pixels (see
    :func:`stacked_levels`). :meth:`point` maps (row, column) of the picture, a pixel's index
    being its centre, to the screen.

    Example::

        class Photo(Scene):
            def construct(self):
                steps = preprocess_steps("my_digit.png")
                panel = PicturePanel(steps.gray, height=4)
                self.add(panel, panel.box(steps.box_rows, steps.box_cols))
    """

    def __init__(
        self,
        picture: np.ndarray,
        height: float | None = 3.5,
        width: float | None = None,
        max_side: int = 200,
        theme: Theme | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.theme = get_theme(theme)
        shown = display_picture(picture, max_side)
        self.picture_shape: tuple[int, int] = (int(np.shape(picture)[0]), int(np.shape(picture)[1]))
        if width is not None:
            cell = width / shown.shape[1]
        elif height is not None:
            cell = height / shown.shape[0]
        else:
            raise NnvizError("give a PicturePanel a height or a width")
        # Square cells: an averaged-down picture keeps its aspect to within a rounded cell. The
        # grid holds the frame and the geometry; the pixels are drawn as nested levels (below).
        self.shown = shown
        self.grid = PixelGrid(np.zeros(shown.shape), pixel_size=cell, individual=False, theme=self.theme)
        self.levels = stacked_levels(shown, self.grid, self.theme.grid_levels)
        self.add(self.levels, self.grid)

    def point(self, row: float, col: float) -> np.ndarray:
        """Where the centre of picture pixel (``row``, ``col``) is on screen (fractions allowed)."""
        rows, cols = self.picture_shape
        shown_rows, shown_cols = self.grid.shape
        # Picture pixel r spans [r, r + 1) of rows; the display cell i spans [i, i + 1) * rows / shown_rows.
        return self.grid.pixel_center((row + 0.5) * shown_rows / rows - 0.5, (col + 0.5) * shown_cols / cols - 0.5)

    def edge_point(self, row: float, col: float) -> np.ndarray:
        """Where the top-left corner of picture pixel (``row``, ``col``) is on screen."""
        return self.point(row - 0.5, col - 0.5)

    def box(self, rows: tuple[int, int], cols: tuple[int, int], **kwargs: Any) -> Rectangle:
        """A rectangle around picture rows ``rows[0]..rows[1]`` and columns ``cols[0]..cols[1]`` (inclusive)."""
        top_left = self.edge_point(rows[0], cols[0])
        bottom_right = self.edge_point(rows[1] + 1, cols[1] + 1)
        kwargs.setdefault("color", self.theme.highlight)
        kwargs.setdefault("stroke_width", 3)
        rect = Rectangle(width=bottom_right[0] - top_left[0], height=top_left[1] - bottom_right[1], **kwargs)
        return rect.move_to((top_left + bottom_right) / 2)


class BoundingBox(VGroup):
    """The bounding box of a picture's ink, with its height and width in picture pixels beside it.

    ``rect`` is the box (drawn by :meth:`PicturePanel.box`), ``height_label`` and ``width_label``
    say ``"82 px"``; ``size`` is (height, width) as computed from ``rows`` and ``cols``.

    Example::

        box = BoundingBox(panel, steps.box_rows, steps.box_cols)   # steps from preprocess_steps
    """

    def __init__(
        self,
        panel: PicturePanel,
        rows: tuple[int, int],
        cols: tuple[int, int],
        font_size: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = panel.theme
        size = font_size if font_size is not None else t.caption_font_size
        self.size = (rows[1] - rows[0] + 1, cols[1] - cols[0] + 1)
        self.rect = panel.box(rows, cols)
        self.height_label = Text(f"{self.size[0]} px", font_size=size, color=t.highlight)
        self.width_label = Text(f"{self.size[1]} px", font_size=size, color=t.highlight)
        # Inside the panel when the box leaves no room outside it (a digit filling its picture).
        self.height_label.next_to(self.rect, LEFT, buff=0.1)
        if self.height_label.get_left()[0] < panel.get_left()[0] - 0.05:
            self.height_label.next_to(self.rect, RIGHT, buff=0.1)
        self.width_label.next_to(self.rect, UP, buff=0.08)
        if self.width_label.get_top()[1] > panel.get_top()[1] + 0.05:
            self.width_label.next_to(self.rect, DOWN, buff=0.08)
        self.add(self.rect, self.height_label, self.width_label)


class ScaleArrow(VGroup):
    r"""An arrow from ``start`` to ``end`` labelled with a scale factor: ``\times 0.244`` over ``20 / 82``.

    ``factor`` is the core's scale factor and ``size`` the (height, width) it scales; the second
    line says which side becomes how many pixels (``box`` px, 20 for MNIST). ``arrow`` and
    ``label`` are the parts.

    Example::

        arrow = ScaleArrow(panel.get_right(), patch.get_left(), steps.scale, steps.cropped.shape)
    """

    def __init__(
        self,
        start: np.ndarray,
        end: np.ndarray,
        factor: float,
        size: tuple[int, int],
        box: int = 20,
        theme: Theme | str | None = None,
        decimals: int = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        self.factor = float(factor)
        longest = max(size)
        self.arrow = Arrow(start, end, buff=0.1, color=t.highlight, stroke_width=4)
        factor_tex = MathTex(rf"\times\,{self.factor:.{decimals}f}", font_size=t.math_font_size)
        sides = MathTex(rf"{longest}\,\mathrm{{px}} \to {box}\,\mathrm{{px}}", font_size=t.small_math_font_size)
        self.label = VGroup(factor_tex, sides).arrange(DOWN, buff=0.12)
        self.label.next_to(self.arrow, UP, buff=0.12)
        self.add(self.arrow, self.label)


__all__ = ["BoundingBox", "PicturePanel", "ScaleArrow", "display_picture", "stacked_levels"]
