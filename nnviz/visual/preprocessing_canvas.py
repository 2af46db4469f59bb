"""The end of pre-processing drawn: a centre-of-mass marker, the 28x28 canvas with its crosshair, the answer.

:class:`CentreOfMass` marks a point of a :class:`~nnviz.visual.pixels.PixelGrid` given in its
pixels (fractions allowed), such as the centre of mass the core computed for the 20 px patch.
:class:`InputCanvas` is the empty 28x28 input with a crosshair through pixel (14, 14), where
MNIST puts the centre of mass; :meth:`InputCanvas.patch_center` says where a patch goes for the
core's offset. :class:`AnswerColumn` shows the network's ten outputs for the result.

Example::

    import numpy as np
    from manim import FadeIn, Scene, VGroup, LEFT, RIGHT
    from nnviz import AnswerColumn, CentreOfMass, InputCanvas, PixelGrid
    from nnviz import load_network, preprocess_steps

    class Centre(Scene):
        def construct(self):
            picture = np.zeros((100, 80))
            picture[10:60, 20:40] = 1
            steps = preprocess_steps(picture)
            canvas = InputCanvas(pixel_size=0.12).shift(2 * LEFT)
            patch = PixelGrid(steps.patch, pixel_size=0.12, frame=False).shift(4 * LEFT)
            mark = CentreOfMass(patch, steps.centre_of_mass)
            self.add(canvas, patch, mark)
            target = canvas.patch_center(steps.patch.shape, steps.offset)
            self.play(VGroup(patch, mark).animate.shift(target - patch.get_center()))  # mark on the crosshair
            answer = AnswerColumn(load_network().forward(steps.final).output).shift(3 * RIGHT)
            self.play(FadeIn(answer))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, Dot, Line, Rectangle, SurroundingRectangle, Text, VGroup

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .diagram_parts import Neuron
from .pixels import PixelGrid


def grid_point(grid: PixelGrid, row: float, col: float) -> np.ndarray:
    """Where (``row``, ``col``) of ``grid``'s pixels is on screen, a pixel's index being its centre."""
    return grid.pixel_center(row, col)  # type: ignore[arg-type]  # fractions are fine: it is linear


class CentreOfMass(VGroup):
    """A marker (a dot in a ring) at ``centre`` = (row, column) of ``grid``'s pixels.

    ``centre`` is the core's centre of mass (``PreprocessSteps.centre_of_mass``); ``dot`` sits
    exactly on it and moves with the grid when grouped with it.

    Example::

        mark = CentreOfMass(patch_grid, steps.centre_of_mass)
    """

    def __init__(
        self, grid: PixelGrid, centre: tuple[float, float], theme: Theme | str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        self.centre = (float(centre[0]), float(centre[1]))
        where = grid_point(grid, *self.centre)
        size = grid.pixel_size
        self.dot = Dot(where, radius=max(0.04, 0.35 * size), color=t.highlight)
        self.ring = Dot(where, radius=max(0.07, 0.6 * size), color=t.background).set_stroke(t.highlight, 2)
        self.add(self.ring, self.dot)


class InputCanvas(VGroup):
    """The empty ``size`` x ``size`` input (28x28) with a crosshair through pixel (``centre``, ``centre``).

    ``outline`` is the canvas's frame; ``crosshair`` two dashed lines meeting at the centre of
    pixel (14, 14) by default, where MNIST's digits have their centre of mass; ``grid_lines``
    faint lines between the pixels. :meth:`point` maps (row, column) to the screen.

    Example::

        canvas = InputCanvas(pixel_size=0.13)
        patch.move_to(canvas.patch_center(steps.patch.shape, steps.offset))
    """

    def __init__(
        self,
        size: int = 28,
        centre: float = 14.0,
        pixel_size: float | None = None,
        theme: Theme | str | None = None,
        grid_opacity: float = 0.18,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        if not 0 <= centre < size:
            raise NnvizError(f"the centre pixel {centre} is outside a {size}x{size} canvas")
        self.size, self.centre = int(size), float(centre)
        s = float(t.pixel_size if pixel_size is None else pixel_size)
        self.pixel_size = s
        side = size * s
        self.outline = Rectangle(width=side, height=side, stroke_color=t.digit_frame, stroke_width=t.digit_frame_width)
        lines = []
        for k in range(1, size):
            x = -side / 2 + k * s
            lines.append(Line(np.array([x, -side / 2, 0.0]), np.array([x, side / 2, 0.0])))
            lines.append(Line(np.array([-side / 2, x, 0.0]), np.array([side / 2, x, 0.0])))
        self.grid_lines = VGroup(*lines).set_stroke(t.axis_color, width=0.6, opacity=grid_opacity)
        c = self.point(self.centre, self.centre)
        self.crosshair = VGroup(
            DashedLine(np.array([c[0], side / 2, 0.0]), np.array([c[0], -side / 2, 0.0]), dash_length=0.08),
            DashedLine(np.array([-side / 2, c[1], 0.0]), np.array([side / 2, c[1], 0.0]), dash_length=0.08),
        ).set_stroke(t.highlight, width=2)
        self.add(self.grid_lines, self.outline, self.crosshair)

    def point(self, row: float, col: float) -> np.ndarray:
        """Where the centre of pixel (``row``, ``col``) is on screen (fractions allowed)."""
        ul = self.outline.get_corner(UP + LEFT)
        right = (self.outline.get_corner(UP + RIGHT) - ul) / self.size
        down = (self.outline.get_corner(DOWN + LEFT) - ul) / self.size
        return ul + (col + 0.5) * right + (row + 0.5) * down

    def centre_point(self) -> np.ndarray:
        """Where the crosshair meets: the centre of pixel (``centre``, ``centre``)."""
        return self.point(self.centre, self.centre)

    def patch_center(self, shape: tuple[int, int], offset: tuple[float, float]) -> np.ndarray:
        """Where the middle of a ``shape`` patch goes when its top-left pixel is at ``offset`` (row, col)."""
        h, w = shape
        return self.point(offset[0] + (h - 1) / 2, offset[1] + (w - 1) / 2)


class AnswerColumn(VGroup):
    """The network's ten outputs for one input: neurons lit by activation, labels 0-9, values, winner boxed.

    ``outputs`` are the output layer's activations (``Trace.output``); ``neurons``, ``labels``,
    ``values`` are VGroups in label order; ``winner`` is the brightest output and ``box`` its
    frame.

    Example::

        answer = AnswerColumn(network.forward(steps.final).output)
    """

    def __init__(
        self,
        outputs: Sequence[float] | np.ndarray,
        theme: Theme | str | None = None,
        spacing: float | None = None,
        font_size: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        values = np.asarray(outputs, dtype=float).ravel()
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise NnvizError("an answer column needs the output layer's finite activations")
        self.outputs = values
        self.winner = int(np.argmax(values))
        gap = t.neuron_spacing * 1.15 if spacing is None else spacing
        size = t.number_font_size * 0.8 if font_size is None else font_size
        self.neurons = VGroup(*[Neuron(theme=t).set_activation(a).shift(DOWN * k * gap) for k, a in enumerate(values)])
        self.labels = VGroup(
            *[Text(str(k), font_size=size).next_to(n, LEFT, buff=0.15) for k, n in enumerate(self.neurons)]
        )
        self.values = VGroup(
            *[
                Text(f"{a:.{t.decimals}f}", font_size=size, color=t.axis_color).next_to(n, RIGHT, buff=0.15)
                for a, n in zip(values, self.neurons)
            ]
        )
        row = VGroup(self.labels[self.winner], self.neurons[self.winner], self.values[self.winner])
        self.box = SurroundingRectangle(row, color=t.highlight, buff=t.box_buff)
        self.add(self.neurons, self.labels, self.values, self.box)
        self.move_to(np.zeros(3))


__all__ = ["AnswerColumn", "CentreOfMass", "InputCanvas", "grid_point"]
