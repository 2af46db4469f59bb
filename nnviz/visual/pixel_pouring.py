"""A digit's pixels become neurons and pour into a diagram's input layer.

Example::

    from manim import Scene, LEFT, RIGHT
    import numpy as np
    from nnviz.visual import NetworkDiagram, PixelGrid, pixels_to_neurons

    class Pour(Scene):
        def construct(self):
            image = np.load("assets/mnist_subset.npz")["images"][0]
            diagram = NetworkDiagram([784, 16, 16, 10]).shift(RIGHT)
            digit = PixelGrid(image).scale(0.8).to_edge(LEFT)
            self.add(diagram, digit)
            self.play(pixels_to_neurons(digit, diagram))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from manim import Animation, Circle, Scene, VGroup, linear, smooth

from ..core.errors import NnvizError
from .animation_utils import animation_group, rate_array
from .cairo_paths import INVISIBLE
from .diagram_parts import Neuron
from .mobject_utils import fast_copy, fill_rgba

if TYPE_CHECKING:
    from .diagram import NetworkDiagram
    from .pixels import PixelGrid


class _PourDot(Neuron):
    """A pouring neuron: one closed curve, so manim's camera need not look for where it splits.

    Its points are always the unit circle's (or the square projected from it) scaled and moved,
    so its curves join end to end: one subpath, which manim's vectorised search would find too.
    """

    _n_built = -1  # the unit circle's point count, set when the dots are made

    def get_subpath_split_indices_from_points(self, points: np.ndarray, n_dims: int = 3) -> np.ndarray:
        if len(points) == self._n_built:
            return np.array([[0, len(points)]])
        return super().get_subpath_split_indices_from_points(points, n_dims=n_dims)


class PixelsToNeurons(Animation):
    """A digit's pixels become neurons and pour into the diagram's input layer.

    First each pixel square turns into a small neuron (its fill opacity the pixel's value) in a
    28x28 arrangement where the digit was; then the neurons pour into the input layer: those shown
    land on their input neurons, the hidden ones shrink into the ellipsis (with ``all_inputs``,
    every one lands on its place in the sheet). The grid is removed from the scene when the
    animation starts; at the end the diagram's input neurons show the pixel values. Build it with
    :func:`pixels_to_neurons`.

    Example::

        self.play(PixelsToNeurons(PixelGrid(image), diagram))
    """

    def __init__(self, grid: PixelGrid, diagram: NetworkDiagram, **kwargs: Any) -> None:
        if grid.mode != "gray":
            raise NnvizError(
                f"pixels_to_neurons got a {grid.mode!r} PixelGrid: pass the digit as a grayscale grid, PixelGrid(image)"
            )
        if grid.values.size != diagram.sizes[0]:
            raise NnvizError(
                f"the grid has {grid.values.size} pixels but the diagram {diagram.sizes[0]} inputs: pass an image "
                "with one pixel per input neuron"
            )
        self.grid = grid
        self.diagram = diagram
        self.values = grid.values.ravel().copy()
        kwargs.setdefault("run_time", 2 * diagram.theme.move_time)
        kwargs.setdefault("rate_func", linear)
        super().__init__(VGroup(), remover=True, **kwargs)

    def _setup_scene(self, scene: Scene) -> None:
        super()._setup_scene(scene)
        if scene is not None:
            scene.remove(self.grid)

    def begin(self) -> None:
        d, g, t = self.diagram, self.grid, self.diagram.theme
        rows, cols = g.shape
        n = rows * cols
        centers = np.array([g.pixel_center(r, c) for r, c in np.ndindex(rows, cols)])
        pitch = np.linalg.norm(g.pixel_center(0, 1) - g.pixel_center(0, 0)) if cols > 1 else g.pixel_size
        # A unit circle and, projected radially onto the square of half-side 1, a square with the
        # same points: the pixel morphs into a neuron by interpolating between the two.
        unit_circle = Circle(radius=1.0).points
        self.unit_circle = unit_circle
        self.unit_square = unit_circle / np.max(np.abs(unit_circle[:, :2]), axis=1, keepdims=True)
        sheet_center = centers.mean(axis=0)
        spread = 1.15
        self.sheet = sheet_center + (centers - sheet_center) * spread
        self.start, self.pitch = centers, pitch
        # destinations
        dest = np.zeros((n, 3))
        dest_r = np.zeros(n)
        self.dest_stroke = d.layers[0][0].get_stroke_width()
        shown = {int(k) for k in d.shown[0]}
        ell = d.ellipses.get(0)
        ellipsis_center = ell.get_center() if ell is not None else d.layers[0].get_center()
        for k in range(n):
            if k in shown:
                neuron = d.neuron(0, k)
                dest[k] = neuron.get_center()
                dest_r[k] = neuron.width / 2
            else:
                dest[k] = ellipsis_center
                dest_r[k] = 0.0
        self.dest, self.dest_r = dest, dest_r
        self.hidden = np.array([k not in shown for k in range(n)])
        self.dots: list[Neuron] = []
        prototype = _PourDot(radius=1.0, theme=t)
        prototype._n_built = len(unit_circle)
        for k in range(n):
            dot = fast_copy(prototype)
            dot.fill_rgbas = fill_rgba(dot, float(self.values[k]))
            self.dots.append(dot)
        animation_group(self).add(*self.dots)
        order = np.arange(n)
        self.delay = order / max(n - 1, 1)  # reading order: the top rows pour first
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        split = 0.35
        a = smooth(min(alpha / split, 1.0))
        b = np.clip((alpha - split) / (1 - split), 0.0, 1.0)
        # each neuron moves during 40% of the pouring stage, staggered in reading order
        move = rate_array(smooth, np.clip((b - self.delay * 0.6) / 0.4, 0.0, 1.0))
        r0 = self.pitch * 0.42
        # All dots at once (the same arithmetic, element by element, as one dot at a time).
        fades = np.where(self.hidden, 1.0 - move, 1.0)
        centers = (1 - a) * self.start + a * self.sheet
        centers = (1 - move)[:, None] * centers + move[:, None] * self.dest
        radii = (1 - move) * r0 + move * self.dest_r
        if a >= 1.0:
            shapes = self.unit_circle[None] * radii[:, None, None]
        else:
            circles = (a * self.unit_circle)[None] * radii[:, None, None]
            shapes = ((1 - a) * self.unit_square * (self.pitch / 2))[None] + circles
        points = shapes + centers[:, None, :]
        widths = self.dest_stroke * (0.5 + 0.5 * move)
        no_points = np.zeros((0, 3))
        for k, dot in enumerate(self.dots):
            fade = fades[k]
            if fade < INVISIBLE:  # arrived in the ellipsis: invisible, and without points not drawn at all
                dot.points = no_points
                continue
            dot.points = points[k]
            dot.fill_rgbas = fill_rgba(dot, float(self.values[k]) * fade)
            dot.stroke_rgbas = np.array([[*dot.stroke_rgbas[0, :3], a * fade]])
            dot.stroke_width = widths[k]

    def finish(self) -> None:
        super().finish()
        self.diagram.set_layer(0, self.values)


def pixels_to_neurons(grid: PixelGrid, diagram: NetworkDiagram, **kwargs: Any) -> PixelsToNeurons:
    """Turn a digit's pixels into 784 neurons and pour them into the diagram's input layer.

    The grid leaves the scene (pass ``grid.copy()`` to keep it); the shown input neurons end up
    holding the pixel values, the hidden ones vanish into the ellipsis.

    Example::

        class Pour(Scene):
            def construct(self):
                image = np.load("assets/mnist_subset.npz")["images"][0]
                diagram = NetworkDiagram([784, 16, 16, 10]).shift(RIGHT)
                digit = PixelGrid(image).scale(0.8).to_edge(LEFT)
                self.add(diagram, digit)
                self.play(pixels_to_neurons(digit, diagram))
    """
    return PixelsToNeurons(grid, diagram, **kwargs)


__all__ = ["PixelsToNeurons", "pixels_to_neurons"]
